//! SVG charts of the Strategy Lab, drawn in the browser: the P/L curve at expiry and at
//! the evaluation date with breakevens, and the P/L heat map over price × days.
//! Colours come from CSS classes and SVG presentation attributes (no inline styles, so the
//! strict CSP holds).

use crate::options::analysis::Grid;
use crate::ui::format;
use leptos::prelude::*;

const W: f64 = 720.0;
const H: f64 = 320.0;
const ML: f64 = 68.0;
const MR: f64 = 16.0;
const MT: f64 = 14.0;
const MB: f64 = 42.0;

/// Round tick positions covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about `n` of them.
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() as i64;
    let end = (hi / step).floor() as i64;
    (start..=end).map(|i| i as f64 * step).collect()
}

struct Scale {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Scale {
    fn x(&self, v: f64) -> f64 {
        ML + (v - self.x0) / (self.x1 - self.x0) * (W - ML - MR)
    }
    fn y(&self, v: f64) -> f64 {
        MT + (self.y1 - v) / (self.y1 - self.y0) * (H - MT - MB)
    }
}

fn path(scale: &Scale, xs: &[f64], ys: &[f64]) -> String {
    let mut d = String::with_capacity(xs.len() * 16);
    for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
        let cmd = if i == 0 { 'M' } else { 'L' };
        d.push_str(&format!("{cmd}{:.1},{:.1}", scale.x(*x), scale.y(*y)));
    }
    d
}

/// P/L at expiry and at the evaluation date over price.
#[component]
pub fn PayoffChart(
    #[prop(into)] prices: Signal<Vec<f64>>,
    #[prop(into)] expiry: Signal<Vec<f64>>,
    #[prop(into)] eval: Signal<Vec<f64>>,
    #[prop(into)] breakevens: Signal<Vec<f64>>,
    #[prop(into)] spot: Signal<f64>,
    #[prop(into)] eval_label: Signal<String>,
) -> impl IntoView {
    // The frame (axes, ticks) follows the expiry curve only, so dragging the date slider
    // redraws one path, not the whole chart.
    let frame = Memo::new(move |_| {
        let xs = prices.get();
        let ys = expiry.get();
        let (mut lo, mut hi) = ys
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
        let pad = ((hi - lo) * 0.12).max(1.0);
        lo -= pad;
        hi += pad;
        (
            xs.first().copied().unwrap_or(0.0),
            xs.last().copied().unwrap_or(1.0),
            lo,
            hi,
        )
    });
    let scale = move || {
        let (x0, x1, y0, y1) = frame.get();
        Scale { x0, x1, y0, y1 }
    };
    view! {
        <figure class="chart payoff" data-testid="payoff-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label="Profit and loss by underlying price">
                {move || {
                    let s = scale();
                    let (x0, x1, y0, y1) = frame.get();
                    let yt = ticks(y0, y1, 6).into_iter().map(|v| {
                        let y = s.y(v);
                        view! {
                            <line class="grid" x1=ML x2=W - MR y1=y y2=y/>
                            <text class="tick" x=ML - 6.0 y=y + 4.0 text-anchor="end">{format::money(v).trim_end_matches(".00").to_string()}</text>
                        }
                    }).collect_view();
                    let xt = ticks(x0, x1, 7).into_iter().map(|v| {
                        let x = s.x(v);
                        view! {
                            <line class="grid" x1=x x2=x y1=MT y2=H - MB/>
                            <text class="tick" x=x y=H - MB + 16.0 text-anchor="middle">{format::price(v)}</text>
                        }
                    }).collect_view();
                    let zero = s.y(0.0);
                    view! {
                        {yt}{xt}
                        <line class="zero" x1=ML x2=W - MR y1=zero y2=zero/>
                        <text class="axis-label" x=(ML + W - MR) / 2.0 y=H - 6.0 text-anchor="middle">"Underlying price"</text>
                    }
                }}
                {move || {
                    let s = scale();
                    let x = s.x(spot.get());
                    view! {
                        <line class="spot" x1=x x2=x y1=MT y2=H - MB/>
                        <text class="spot-label" x=x + 4.0 y=MT + 12.0>{format!("spot {}", format::price(spot.get()))}</text>
                    }
                }}
                <path class="pnl expiry" fill="none" d=move || path(&scale(), &prices.get(), &expiry.get())/>
                <path class="pnl eval" fill="none" data-testid="eval-curve" d=move || path(&scale(), &prices.get(), &eval.get())/>
                {move || {
                    let s = scale();
                    breakevens.get().into_iter().map(|b| {
                        let (x, y) = (s.x(b), s.y(0.0));
                        view! {
                            <circle class="breakeven" cx=x cy=y r="5"/>
                            <text class="be-label" x=x y=y - 10.0 text-anchor="middle">{format::price(b)}</text>
                        }
                    }).collect_view()
                }}
            </svg>
            <figcaption class="legend">
                <span class="key expiry">"At expiry"</span>
                <span class="key eval">{move || eval_label.get()}</span>
                <span class="key be">"Breakeven"</span>
            </figcaption>
        </figure>
    }
}

/// Fill colour for a P/L cell: green for profit, red for loss, stronger with size.
fn heat(v: f64, max_abs: f64) -> String {
    let a = if max_abs > 0.0 {
        (v.abs() / max_abs).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let a = 0.12 + 0.88 * a.sqrt();
    if v >= 0.0 {
        format!("rgba(22,163,74,{a:.3})")
    } else {
        format!("rgba(220,38,38,{a:.3})")
    }
}

/// P/L over price (x) and days from now (y, today at the top).
#[component]
pub fn HeatMap(
    #[prop(into)] grid: Signal<Grid>,
    #[prop(into)] eval_days: Signal<f64>,
) -> impl IntoView {
    let hm_h = 260.0;
    view! {
        <figure class="chart heatmap" data-testid="heatmap">
            <svg viewBox=format!("0 0 {W} {hm_h}") role="img" aria-label="Profit and loss by price and date">
                {move || {
                    let g = grid.get();
                    let (np, nd) = (g.prices.len(), g.days.len());
                    if np < 2 || nd == 0 {
                        return ().into_any();
                    }
                    let max_abs = g.values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                    let cw = (W - ML - MR) / np as f64;
                    let ch = (hm_h - MT - MB) / nd as f64;
                    let cells = g.values.iter().enumerate().map(|(k, v)| {
                        let (d, i) = (k / np, k % np);
                        let title = format!("{} at {} in {:.0} days", format::signed_money(*v), format::price(g.prices[i]), g.days[d]);
                        view! {
                            <rect x=ML + i as f64 * cw y=MT + d as f64 * ch width=cw + 0.5 height=ch + 0.5 fill=heat(*v, max_abs)>
                                <title>{title}</title>
                            </rect>
                        }
                    }).collect_view();
                    let day_ticks = [0usize, nd / 2, nd - 1].into_iter().map(|d| view! {
                        <text class="tick" x=ML - 6.0 y=MT + (d as f64 + 0.7) * ch text-anchor="end">{format!("{:.0}d", g.days[d])}</text>
                    }).collect_view();
                    let x0 = g.prices[0];
                    let x1 = g.prices[np - 1];
                    let price_ticks = ticks(x0, x1, 6).into_iter().map(|p| {
                        let x = ML + (p - x0) / (x1 - x0) * (W - ML - MR);
                        view! { <text class="tick" x=x y=hm_h - MB + 16.0 text-anchor="middle">{format::price(p)}</text> }
                    }).collect_view();
                    view! {
                        {cells}{day_ticks}{price_ticks}
                        <text class="axis-label" x=(ML + W - MR) / 2.0 y=hm_h - 6.0 text-anchor="middle">"Underlying price"</text>
                    }.into_any()
                }}
                // the evaluation date, on its own so the slider does not redraw the cells
                {move || {
                    let last_day = grid.with(|g| g.days.last().copied()).unwrap_or(0.0).max(1e-9);
                    let y = MT + (eval_days.get() / last_day).clamp(0.0, 1.0) * (hm_h - MT - MB);
                    view! { <line class="eval-marker" x1=ML x2=W - MR y1=y y2=y/> }
                }}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::ticks;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            ticks(-230.0, 810.0, 6),
            vec![-200.0, 0.0, 200.0, 400.0, 600.0, 800.0]
        );
        assert_eq!(ticks(5.0, 5.0, 5), vec![5.0]);
    }
}
