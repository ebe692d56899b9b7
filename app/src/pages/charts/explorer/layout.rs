//! Where the panes of the interactive chart sit: the price pane on top, one pane per
//! lower study, the price axis on the right and the time axis at the bottom.

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn contains_y(&self, y: f64) -> bool {
        y >= self.y && y < self.y + self.h
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// Width of the price axis on the right (labels up to 8 characters).
pub const AXIS_W: f64 = 68.0;
/// Height of the time axis under the last pane.
pub const TIME_H: f64 = 24.0;
const GAP: f64 = 8.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub price: Rect,
    pub lower: Vec<Rect>,
}

impl Layout {
    /// Panes for a canvas `width` CSS pixels wide with `lower` study panes; `compact` for
    /// phone widths (shorter panes so the whole chart fits on screen).
    pub fn new(width: f64, lower: usize, compact: bool) -> Layout {
        let width = width.max(AXIS_W + 100.0);
        let (main_h, pane_h) = if compact {
            (260.0, 80.0)
        } else {
            (380.0, 100.0)
        };
        let plot_w = width - AXIS_W;
        let price = Rect {
            x: 0.0,
            y: 0.0,
            w: plot_w,
            h: main_h,
        };
        let mut y = price.bottom();
        let lower = (0..lower)
            .map(|_| {
                let r = Rect {
                    x: 0.0,
                    y: y + GAP,
                    w: plot_w,
                    h: pane_h,
                };
                y = r.bottom();
                r
            })
            .collect();
        Layout {
            width,
            height: y + TIME_H,
            price,
            lower,
        }
    }

    /// The time axis' band under the panes.
    pub fn time_axis(&self) -> Rect {
        Rect {
            x: 0.0,
            y: self.height - TIME_H,
            w: self.price.w,
            h: TIME_H,
        }
    }

    /// Every pane, price first.
    pub fn panes(&self) -> impl Iterator<Item = &Rect> {
        std::iter::once(&self.price).chain(self.lower.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_stack_under_the_price_pane() {
        let l = Layout::new(1000.0, 2, false);
        assert_eq!(
            l.price,
            Rect {
                x: 0.0,
                y: 0.0,
                w: 932.0,
                h: 380.0
            }
        );
        assert_eq!(
            l.lower[0],
            Rect {
                x: 0.0,
                y: 388.0,
                w: 932.0,
                h: 100.0
            }
        );
        assert_eq!(l.lower[1].y, 496.0);
        assert_eq!(l.height, 596.0 + TIME_H);
        assert_eq!(l.time_axis().y, 596.0);
        assert_eq!(l.panes().count(), 3);
        let phone = Layout::new(360.0, 1, true);
        assert_eq!(phone.price.h, 260.0);
        assert_eq!(phone.height, 260.0 + 8.0 + 80.0 + TIME_H);
        assert_eq!(Layout::new(10.0, 0, false).width, AXIS_W + 100.0);
    }
}
