//! Which bars the interactive chart shows, and the arithmetic of panning and zooming.
//! Pure: positions are fractions of the plot's width, bars are indices into the series.

/// The bars on screen as a window over bar slots: `end` is the (fractional) slot just past
/// the right edge, `span` the number of slots across the plot. Bar `i` occupies slot
/// `[i, i + 1)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub end: f64,
    pub span: f64,
}

/// Fewest bars a zoom can show: below this candles stop reading as a chart.
pub const MIN_SPAN: f64 = 10.0;
/// Bars kept on screen when panning past either end of the data.
const KEEP: f64 = 5.0;

impl Viewport {
    /// The newest `span` bars of `n`, with one empty slot after the last so its candle
    /// does not touch the price axis.
    pub fn latest(n: usize, span: usize) -> Self {
        Viewport {
            end: n as f64 + 1.0,
            span: span as f64,
        }
        .clamped(n)
    }

    pub fn start(&self) -> f64 {
        self.end - self.span
    }

    /// Moves the window by `bars` slots (positive: towards newer bars).
    pub fn pan(self, bars: f64, n: usize) -> Self {
        Viewport {
            end: self.end + bars,
            ..self
        }
        .clamped(n)
    }

    /// Zooms by `factor` (< 1 zooms in) keeping the bar under `anchor` (0 = left edge,
    /// 1 = right edge of the plot) where it is.
    pub fn zoom(self, factor: f64, anchor: f64, n: usize) -> Self {
        if !(factor.is_finite() && factor > 0.0) {
            return self;
        }
        let anchor = anchor.clamp(0.0, 1.0);
        let pivot = self.start() + anchor * self.span;
        let span = (self.span * factor).clamp(MIN_SPAN, max_span(n));
        let start = pivot - anchor * span;
        Viewport {
            end: start + span,
            span,
        }
        .clamped(n)
    }

    /// Keeps the span within [MIN_SPAN, all bars plus margins] and at least a few bars on
    /// screen at either end.
    pub fn clamped(self, n: usize) -> Self {
        let span = if self.span.is_finite() {
            self.span.clamp(MIN_SPAN, max_span(n))
        } else {
            MIN_SPAN
        };
        let keep = KEEP.min(n as f64);
        let lo = keep;
        let hi = n as f64 + span - keep;
        let end = if self.end.is_finite() {
            self.end.clamp(lo, hi.max(lo))
        } else {
            n as f64 + 1.0
        };
        Viewport { end, span }
    }

    /// Indices of the bars at least partly on screen.
    pub fn visible(&self, n: usize) -> std::ops::Range<usize> {
        let first = self.start().floor().max(0.0) as usize;
        let last = (self.end.ceil().max(0.0) as usize).min(n);
        first.min(last)..last
    }

    /// Width of one bar slot in pixels on a plot `width` wide.
    pub fn slot(&self, width: f64) -> f64 {
        width / self.span
    }

    /// The x of bar `i`'s centre, from the plot's left edge.
    pub fn x_of(&self, i: usize, width: f64) -> f64 {
        (i as f64 + 0.5 - self.start()) * self.slot(width)
    }

    /// The bar under `x` (from the plot's left edge), if there is one there.
    pub fn index_at(&self, x: f64, width: f64, n: usize) -> Option<usize> {
        if !(0.0..width).contains(&x) {
            return None;
        }
        let slot = (self.start() + x / self.slot(width)).floor();
        (slot >= 0.0 && slot < n as f64).then_some(slot as usize)
    }
}

fn max_span(n: usize) -> f64 {
    (n as f64 + 2.0 * KEEP).max(MIN_SPAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_shows_the_newest_bars_with_a_gap_on_the_right() {
        let v = Viewport::latest(1000, 120);
        assert_eq!(
            v,
            Viewport {
                end: 1001.0,
                span: 120.0
            }
        );
        assert_eq!(v.visible(1000), 881..1000);
    }

    #[test]
    fn short_series_fit_on_screen() {
        let v = Viewport::latest(3, 120);
        assert_eq!(v.span, 13.0);
        assert_eq!(v.visible(3), 0..3);
    }

    #[test]
    fn panning_stops_with_a_few_bars_left_on_screen() {
        let v = Viewport::latest(1000, 100);
        let left = v.pan(-5000.0, 1000);
        assert_eq!(left.end, 5.0);
        assert_eq!(left.visible(1000), 0..5);
        let right = v.pan(5000.0, 1000);
        assert_eq!(right.start(), 995.0);
        assert_eq!(right.visible(1000), 995..1000);
        assert_eq!(v.pan(-10.0, 1000).end, 991.0);
    }

    #[test]
    fn zoom_keeps_the_bar_under_the_pointer_in_place() {
        let v = Viewport {
            end: 500.0,
            span: 100.0,
        };
        // The bar at 3/4 of the width is slot 475.
        let z = v.zoom(0.5, 0.75, 1000);
        assert_eq!(z.span, 50.0);
        assert!((z.start() + 0.75 * z.span - 475.0).abs() < 1e-9);
        let back = z.zoom(2.0, 0.75, 1000);
        assert!((back.end - 500.0).abs() < 1e-9 && (back.span - 100.0).abs() < 1e-9);
    }

    #[test]
    fn zoom_is_bounded_both_ways() {
        let v = Viewport::latest(200, 100);
        assert_eq!(v.zoom(0.0001, 0.5, 200).span, MIN_SPAN);
        assert_eq!(v.zoom(1e6, 0.5, 200).span, 210.0);
        assert_eq!(v.zoom(f64::NAN, 0.5, 200), v);
    }

    #[test]
    fn pixels_map_to_bars_and_back() {
        let v = Viewport {
            end: 110.0,
            span: 10.0,
        };
        // 100 px wide: 10 px per bar; bar 100 spans 0..10 px.
        assert_eq!(v.x_of(100, 100.0), 5.0);
        assert_eq!(v.index_at(5.0, 100.0, 200), Some(100));
        assert_eq!(v.index_at(99.9, 100.0, 200), Some(109));
        assert_eq!(v.index_at(99.9, 100.0, 105), None);
        assert_eq!(v.index_at(-1.0, 100.0, 200), None);
        for i in 100..110 {
            assert_eq!(v.index_at(v.x_of(i, 100.0), 100.0, 200), Some(i));
        }
    }

    #[test]
    fn empty_series_do_not_break_anything() {
        let v = Viewport::latest(0, 120);
        assert_eq!(v.visible(0), 0..0);
        assert_eq!(v.index_at(10.0, 100.0, 0), None);
        assert_eq!(v.pan(3.0, 0).visible(0), 0..0);
    }
}
