//! What the interactive chart draws, as a list of plain drawing commands: candles, study
//! lines, grids, axis labels, the last-price tag and the crosshair. Pure, so the geometry
//! is tested natively; `canvas.rs` replays the list on a 2D canvas in the browser.

use super::layout::{Layout, Rect};
use super::scale::{compact, decimals_for, time_label, Scale};
use super::studies::{Computed, Pane};
use super::viewport::Viewport;
use indicators::Bar;

/// Colours of the page's theme (read from its CSS variables in the browser).
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub bg: String,
    pub text: String,
    pub muted: String,
    pub grid: String,
    pub up: String,
    pub down: String,
}

impl Theme {
    pub fn light() -> Theme {
        Theme {
            bg: "#ffffff".into(),
            text: "#0f172a".into(),
            muted: "#475569".into(),
            grid: "#e2e8f0".into(),
            up: "#16a34a".into(),
            down: "#dc2626".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cmd {
    /// Following commands draw only inside this rectangle (None: anywhere).
    Clip(Option<Rect>),
    Fill {
        rect: Rect,
        color: String,
        alpha: f64,
    },
    /// A polyline.
    Stroke {
        points: Vec<(f64, f64)>,
        color: String,
        width: f64,
        dashed: bool,
    },
    /// Text with its baseline's middle at `y`, optionally on a filled box.
    Text {
        x: f64,
        y: f64,
        text: String,
        color: String,
        align: Align,
        bold: bool,
        boxed: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Candles,
    Line,
}

/// Everything one frame depends on.
pub struct Frame<'a> {
    pub bars: &'a [Bar],
    pub studies: &'a [Computed],
    pub view: Viewport,
    pub layout: &'a Layout,
    /// Pointer position in CSS pixels from the canvas' top-left corner.
    pub pointer: Option<(f64, f64)>,
    pub style: Style,
    pub intraday: bool,
    pub title: &'a str,
}

/// The drawing commands of a frame, and each pane's value scale (price first) so the
/// pointer's height can be read back as a value.
pub struct Scene {
    pub cmds: Vec<Cmd>,
    // Read by the tests to check positions against values.
    #[cfg_attr(not(test), allow(dead_code))]
    pub scales: Vec<(Rect, Scale)>,
}

const PAD: f64 = 0.06;

pub fn build(f: &Frame, theme: &Theme) -> Scene {
    let mut out = Vec::new();
    let l = f.layout;
    let n = f.bars.len();
    let vis = f.view.visible(n);
    // One bar beyond each edge so lines run to the border instead of stopping short.
    let ext = vis.start.saturating_sub(1)..(vis.end + 1).min(n);
    out.push(Cmd::Fill {
        rect: Rect {
            x: 0.0,
            y: 0.0,
            w: l.width,
            h: l.height,
        },
        color: theme.bg.clone(),
        alpha: 1.0,
    });

    if n == 0 {
        legend_row(
            &mut out,
            l.price,
            &[(f.title.to_string(), theme.text.clone(), true)],
        );
        return Scene {
            cmds: out,
            scales: Vec::new(),
        };
    }
    let overlays: Vec<&Computed> = f
        .studies
        .iter()
        .filter(|s| s.pane == Pane::Overlay)
        .collect();
    let lower: Vec<&Computed> = f.studies.iter().filter(|s| s.pane == Pane::Lower).collect();

    let price_scale = Scale::fit(
        f.bars[vis.clone()]
            .iter()
            .flat_map(|b| [b.h, b.l])
            .chain(overlays.iter().flat_map(|s| {
                s.lines
                    .iter()
                    .flat_map(|ln| ln.values[vis.clone()].iter().flatten().copied())
            })),
        PAD,
    );
    let mut scales = vec![(l.price, price_scale)];
    let lower_scales: Vec<Scale> = lower
        .iter()
        .map(|s| match s.bounds {
            Some((lo, hi, _)) => Scale { lo, hi },
            None => {
                let zero = s.lines.iter().any(|ln| ln.histogram).then_some(0.0);
                Scale::fit(
                    s.lines
                        .iter()
                        .flat_map(|ln| ln.values[vis.clone()].iter().flatten().copied())
                        .chain(zero),
                    PAD,
                )
            }
        })
        .collect();
    scales.extend(l.lower.iter().copied().zip(lower_scales.iter().copied()));

    time_grid(&mut out, f, theme);
    value_grid(&mut out, l.price, price_scale, 6, theme, false);
    for (k, s) in lower.iter().enumerate() {
        let (rect, scale) = (l.lower[k], lower_scales[k]);
        value_grid(
            &mut out,
            rect,
            scale,
            3,
            theme,
            s.name == "volume" || s.name == "obv",
        );
        if let Some((_, _, guides)) = s.bounds {
            for g in guides {
                let y = scale.y(*g, rect.y, rect.h);
                out.push(hline(rect, y, &theme.muted, true));
            }
        }
    }

    // Candles or the close line.
    out.push(Cmd::Clip(Some(l.price)));
    let pw = l.price.w;
    let slot = f.view.slot(pw);
    let y = |v: f64| price_scale.y(v, l.price.y, l.price.h);
    match f.style {
        Style::Candles => {
            let body = (slot * 0.7).max(1.0);
            for i in vis.clone() {
                let b = f.bars[i];
                let x = f.view.x_of(i, pw);
                let color = if b.c >= b.o { &theme.up } else { &theme.down };
                out.push(Cmd::Stroke {
                    points: vec![(x, y(b.h)), (x, y(b.l))],
                    color: color.clone(),
                    width: 1.0,
                    dashed: false,
                });
                let (top, bottom) = (y(b.o.max(b.c)), y(b.o.min(b.c)));
                out.push(Cmd::Fill {
                    rect: Rect {
                        x: x - body / 2.0,
                        y: top,
                        w: body,
                        h: (bottom - top).max(1.0),
                    },
                    color: color.clone(),
                    alpha: 1.0,
                });
            }
        }
        Style::Line => {
            let closes: Vec<Option<f64>> = f.bars.iter().map(|b| Some(b.c)).collect();
            line(
                &mut out,
                f,
                ext.clone(),
                &closes,
                l.price,
                price_scale,
                &theme.text,
                1.5,
            );
        }
    }
    for s in &overlays {
        for ln in &s.lines {
            line(
                &mut out,
                f,
                ext.clone(),
                &ln.values,
                l.price,
                price_scale,
                ln.color,
                1.5,
            );
        }
    }

    // Lower panes.
    for (k, s) in lower.iter().enumerate() {
        let (rect, scale) = (l.lower[k], lower_scales[k]);
        out.push(Cmd::Clip(Some(rect)));
        for ln in &s.lines {
            if ln.histogram {
                let zero = scale.y(0.0, rect.y, rect.h);
                let w = (slot * 0.7).max(1.0);
                for i in vis.clone() {
                    let Some(v) = ln.values[i] else { continue };
                    let vy = scale.y(v, rect.y, rect.h);
                    let b = f.bars[i];
                    let color = if s.name == "volume" {
                        if b.c >= b.o {
                            &theme.up
                        } else {
                            &theme.down
                        }
                    } else if v >= 0.0 {
                        &theme.up
                    } else {
                        &theme.down
                    };
                    out.push(Cmd::Fill {
                        rect: Rect {
                            x: f.view.x_of(i, pw) - w / 2.0,
                            y: vy.min(zero),
                            w,
                            h: (vy - zero).abs().max(1.0),
                        },
                        color: color.clone(),
                        alpha: 0.55,
                    });
                }
            } else {
                line(
                    &mut out,
                    f,
                    ext.clone(),
                    &ln.values,
                    rect,
                    scale,
                    ln.color,
                    1.5,
                );
            }
        }
    }
    out.push(Cmd::Clip(None));

    // Legends: the chart's title and overlays in the price pane, each study in its pane,
    // with the values at the pointer's bar (or the last bar).
    let at = pointer_bar(f).or(n.checked_sub(1));
    let mut legend = vec![(f.title.to_string(), theme.text.clone(), true)];
    for s in &overlays {
        legend.push((
            with_value(&s.label, s, at),
            s.lines[0].color.to_string(),
            false,
        ));
    }
    legend_row(&mut out, l.price, &legend);
    for (k, s) in lower.iter().enumerate() {
        let color = if s.name == "volume" {
            theme.muted.clone()
        } else {
            s.lines[0].color.to_string()
        };
        legend_row(
            &mut out,
            l.lower[k],
            &[(with_value(&s.label, s, at), color, false)],
        );
    }

    // The last close on the price axis.
    if let Some(last) = f.bars.last() {
        let ly = y(last.c);
        if l.price.contains_y(ly) {
            let color = if last.c >= last.o {
                &theme.up
            } else {
                &theme.down
            };
            out.push(hline(l.price, ly, color, true));
            out.push(axis_label(
                l.price,
                ly,
                &fmt_price(last.c, price_scale),
                color,
            ));
        }
    }

    crosshair(&mut out, f, &scales, theme);
    Scene { cmds: out, scales }
}

/// The bar under the pointer, if the pointer is over the plot.
pub fn pointer_bar(f: &Frame) -> Option<usize> {
    let (px, py) = f.pointer?;
    if py >= f.layout.height - super::layout::TIME_H {
        return None;
    }
    f.view.index_at(px, f.layout.price.w, f.bars.len())
}

fn with_value(label: &str, s: &Computed, at: Option<usize>) -> String {
    let Some(i) = at else {
        return label.to_string();
    };
    let values: Vec<String> = s
        .lines
        .iter()
        .filter_map(|ln| ln.values.get(i).copied().flatten())
        .map(|v| {
            if s.name == "volume" || s.name == "obv" {
                compact(v)
            } else {
                format!("{v:.2}")
            }
        })
        .collect();
    if values.is_empty() {
        label.to_string()
    } else {
        format!("{label}  {}", values.join("  "))
    }
}

fn fmt_price(v: f64, scale: Scale) -> String {
    let step = scale.ticks(6).windows(2).next().map_or(v, |w| w[1] - w[0]);
    format!(
        "{v:.*}",
        decimals_for(step.min(v.abs().max(f64::MIN_POSITIVE)))
    )
}

fn hline(r: Rect, y: f64, color: &str, dashed: bool) -> Cmd {
    Cmd::Stroke {
        points: vec![(r.x, y), (r.x + r.w, y)],
        color: color.to_string(),
        width: 1.0,
        dashed,
    }
}

fn axis_label(r: Rect, y: f64, text: &str, bg: &str) -> Cmd {
    Cmd::Text {
        x: r.x + r.w + 6.0,
        y,
        text: text.to_string(),
        color: "#ffffff".into(),
        align: Align::Left,
        bold: true,
        boxed: Some(bg.to_string()),
    }
}

fn value_grid(out: &mut Vec<Cmd>, r: Rect, s: Scale, target: usize, theme: &Theme, big: bool) {
    let ticks = s.ticks(target);
    let step = ticks.windows(2).next().map_or(1.0, |w| w[1] - w[0]);
    for t in ticks {
        let y = s.y(t, r.y, r.h);
        // Labels too close to the pane's edges would collide with the next pane's.
        if y < r.y + 6.0 || y > r.bottom() - 6.0 {
            continue;
        }
        out.push(hline(r, y, &theme.grid, false));
        out.push(Cmd::Text {
            x: r.x + r.w + 6.0,
            y,
            text: if big {
                compact(t)
            } else {
                format!("{t:.*}", decimals_for(step))
            },
            color: theme.muted.clone(),
            align: Align::Left,
            bold: false,
            boxed: None,
        });
    }
    out.push(Cmd::Stroke {
        points: vec![
            (r.x, r.y),
            (r.x + r.w, r.y),
            (r.x + r.w, r.bottom()),
            (r.x, r.bottom()),
        ],
        color: theme.grid.clone(),
        width: 1.0,
        dashed: false,
    });
}

fn time_grid(out: &mut Vec<Cmd>, f: &Frame, theme: &Theme) {
    let l = f.layout;
    let slot = f.view.slot(l.price.w);
    // A label every `step` bars, at indices divisible by it so labels stay put while panning.
    let step = ((90.0 / slot).ceil() as usize).max(1);
    let axis = l.time_axis();
    let top = l.price.y;
    let bottom = l.panes().last().map_or(l.price.bottom(), |r| r.bottom());
    let mut prev = f
        .view
        .visible(f.bars.len())
        .start
        .checked_sub(step)
        .map(|i| f.bars[i - i % step].t);
    for i in f.view.visible(f.bars.len()).filter(|i| i % step == 0) {
        let x = f.view.x_of(i, l.price.w);
        if x < 20.0 || x > l.price.w - 20.0 {
            prev = Some(f.bars[i].t);
            continue;
        }
        out.push(Cmd::Stroke {
            points: vec![(x, top), (x, bottom)],
            color: theme.grid.clone(),
            width: 1.0,
            dashed: false,
        });
        out.push(Cmd::Text {
            x,
            y: axis.y + axis.h / 2.0,
            text: time_label(f.bars[i].t, prev, f.intraday),
            color: theme.muted.clone(),
            align: Align::Center,
            bold: false,
            boxed: None,
        });
        prev = Some(f.bars[i].t);
    }
}

#[allow(clippy::too_many_arguments)]
fn line(
    out: &mut Vec<Cmd>,
    f: &Frame,
    range: std::ops::Range<usize>,
    values: &[Option<f64>],
    r: Rect,
    s: Scale,
    color: &str,
    width: f64,
) {
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut flush = |run: &mut Vec<(f64, f64)>| {
        if run.len() > 1 {
            out.push(Cmd::Stroke {
                points: std::mem::take(run),
                color: color.to_string(),
                width,
                dashed: false,
            });
        }
        run.clear();
    };
    for i in range {
        match values.get(i).copied().flatten() {
            Some(v) => run.push((r.x + f.view.x_of(i, r.w), s.y(v, r.y, r.h))),
            None => flush(&mut run),
        }
    }
    flush(&mut run);
}

fn legend_row(out: &mut Vec<Cmd>, r: Rect, items: &[(String, String, bool)]) {
    // Rough advance of 7 px per character at the 12 px font: enough to keep items apart.
    let mut x = r.x + 8.0;
    for (text, color, bold) in items {
        out.push(Cmd::Text {
            x,
            y: r.y + 12.0,
            text: text.clone(),
            color: color.clone(),
            align: Align::Left,
            bold: *bold,
            boxed: None,
        });
        x += text.chars().count() as f64 * 7.0 + 16.0;
    }
}

fn crosshair(out: &mut Vec<Cmd>, f: &Frame, scales: &[(Rect, Scale)], theme: &Theme) {
    let Some((_, py)) = f.pointer else { return };
    let Some(i) = pointer_bar(f) else { return };
    let l = f.layout;
    let x = f.view.x_of(i, l.price.w);
    let bottom = l.panes().last().map_or(l.price.bottom(), |r| r.bottom());
    out.push(Cmd::Stroke {
        points: vec![(x, l.price.y), (x, bottom)],
        color: theme.muted.clone(),
        width: 1.0,
        dashed: true,
    });
    if let Some((rect, scale)) = scales.iter().find(|(r, _)| r.contains_y(py)) {
        out.push(hline(*rect, py, &theme.muted, true));
        let v = scale.value_at(py, rect.y, rect.h);
        let text = if scale.hi - scale.lo > 1e5 {
            compact(v)
        } else {
            fmt_price(v, *scale)
        };
        out.push(axis_label(*rect, py, &text, &theme.muted));
    }
    let axis = l.time_axis();
    let label = super::scale::readout_time(f.bars[i].t, f.intraday);
    out.push(Cmd::Text {
        x: x.clamp(40.0, (l.price.w - 40.0).max(40.0)),
        y: axis.y + axis.h / 2.0,
        text: label,
        color: "#ffffff".into(),
        align: Align::Center,
        bold: true,
        boxed: Some(theme.muted.clone()),
    });
}

#[cfg(test)]
mod tests {
    use super::super::studies::{compute_all, Active};
    use super::*;
    use indicators::StudySpec;

    fn bars(n: usize) -> Vec<Bar> {
        (0..n)
            .map(|i| {
                let o = 100.0 + i as f64;
                // Every third bar closes down.
                let c = if i % 3 == 0 { o - 2.0 } else { o + 2.0 };
                Bar::new(
                    1_325_376_000_000 + i as i64 * 86_400_000,
                    o,
                    o.max(c) + 1.0,
                    o.min(c) - 1.0,
                    c,
                    1e6,
                )
            })
            .collect()
    }

    fn frame<'a>(
        b: &'a [Bar],
        s: &'a [Computed],
        l: &'a Layout,
        v: Viewport,
        p: Option<(f64, f64)>,
    ) -> Frame<'a> {
        Frame {
            bars: b,
            studies: s,
            view: v,
            layout: l,
            pointer: p,
            style: Style::Candles,
            intraday: false,
            title: "TEST · 1D",
        }
    }

    fn fills(sc: &Scene, color: &str) -> Vec<Rect> {
        sc.cmds
            .iter()
            .filter_map(|c| match c {
                Cmd::Fill { rect, color: k, .. } if k == color => Some(*rect),
                _ => None,
            })
            .collect()
    }

    fn texts(sc: &Scene) -> Vec<String> {
        sc.cmds
            .iter()
            .filter_map(|c| match c {
                Cmd::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn candles_sit_at_their_prices_in_their_colours() {
        let b = bars(30);
        let l = Layout::new(668.0, 0, false); // plot 600 px wide
        let v = Viewport {
            end: 30.0,
            span: 30.0,
        }; // 20 px per bar
        let t = Theme::light();
        let sc = build(&frame(&b, &[], &l, v, None), &t);
        let up = fills(&sc, &t.up);
        let down = fills(&sc, &t.down);
        assert_eq!(up.len(), 20);
        assert_eq!(down.len(), 10);
        // Bar 1 (up: open 101, close 103): body 14 px wide centred at x = 30.
        let (_, scale) = sc.scales[0];
        let body = up[0];
        assert!((body.x - 23.0).abs() < 1e-9 && (body.w - 14.0).abs() < 1e-9);
        assert!((body.y - scale.y(103.0, 0.0, 380.0)).abs() < 1e-9);
        assert!((body.h - (scale.y(101.0, 0.0, 380.0) - scale.y(103.0, 0.0, 380.0))).abs() < 1e-9);
        // The scale fits the visible highs and lows with 6 % padding.
        assert!(scale.lo < 97.0 && scale.lo > 90.0 && scale.hi > 132.0 && scale.hi < 140.0);
        // Title, last-price tag with the last close (bar 29 closes 131).
        let tx = texts(&sc);
        assert!(tx.contains(&"TEST · 1D".to_string()));
        assert!(tx.contains(&"131.00".to_string()), "{tx:?}");
        // Date labels on the time axis.
        assert!(tx.iter().any(|s| s.starts_with("Jan")), "{tx:?}");
    }

    #[test]
    fn studies_get_their_panes_and_legends() {
        let b = bars(60);
        let st = compute_all(
            &b,
            &[
                Active {
                    id: 1,
                    spec: StudySpec::new("sma").with("period", 5.0),
                },
                Active {
                    id: 2,
                    spec: StudySpec::new("volume"),
                },
                Active {
                    id: 3,
                    spec: StudySpec::new("rsi"),
                },
            ],
        );
        let l = Layout::new(800.0, 2, false);
        let t = Theme::light();
        let sc = build(&frame(&b, &st, &l, Viewport::latest(60, 40), None), &t);
        assert_eq!(sc.scales.len(), 3);
        assert_eq!(sc.scales[2].1, Scale { lo: 0.0, hi: 100.0 });
        let tx = texts(&sc);
        // Legends show the last bar's values: SMA 5 of closes 155..159 region.
        let sma_last = b[55..].iter().map(|x| x.c).sum::<f64>() / 5.0;
        assert!(tx.contains(&format!("SMA 5  {sma_last:.2}")), "{tx:?}");
        assert!(tx.contains(&"Volume  1.0M".to_string()), "{tx:?}");
        assert!(tx.iter().any(|s| s.starts_with("RSI 14  ")), "{tx:?}");
        // The SMA is one polyline in its colour inside the price pane.
        let sma: Vec<&Vec<(f64, f64)>> = sc
            .cmds
            .iter()
            .filter_map(|c| match c {
                Cmd::Stroke { points, color, .. } if color == st[0].lines[0].color => Some(points),
                _ => None,
            })
            .collect();
        assert_eq!(sma.len(), 1);
        assert!(sma[0].iter().all(|(_, y)| *y >= 0.0 && *y <= 380.0));
    }

    #[test]
    fn the_crosshair_follows_the_pointer_and_reads_values_back() {
        let b = bars(30);
        let l = Layout::new(668.0, 0, false);
        let v = Viewport {
            end: 30.0,
            span: 30.0,
        };
        let t = Theme::light();
        let f = frame(&b, &[], &l, v, Some((75.0, 190.0)));
        assert_eq!(pointer_bar(&f), Some(3));
        let sc = build(&f, &t);
        let (_, scale) = sc.scales[0];
        let tx = texts(&sc);
        assert!(tx.contains(&"2012-01-04".to_string()), "{tx:?}");
        let v = scale.value_at(190.0, 0.0, 380.0);
        assert!(tx.contains(&format!("{v:.2}")), "{tx:?}");
        // Off the plot: no crosshair.
        assert_eq!(
            pointer_bar(&frame(&b, &[], &l, f.view, Some((650.0, 10.0)))),
            None
        );
    }

    #[test]
    fn no_bars_draws_an_empty_frame() {
        let l = Layout::new(668.0, 0, false);
        let sc = build(
            &frame(&[], &[], &l, Viewport::latest(0, 100), Some((10.0, 10.0))),
            &Theme::light(),
        );
        assert!(!sc.cmds.is_empty());
        assert_eq!(texts(&sc), vec!["TEST · 1D".to_string()]);
    }
}
