//! Layout and drawing, generic over plotters' `DrawingBackend` so PNG and
//! SVG come from the same code.
//!
//! Everything is placed in whole pixels: axis-aligned lines are 1-pixel
//! filled rectangles (crisp in both backends; an SVG line on an integer
//! coordinate would straddle two pixels), candle wicks sit on one pixel
//! column, bodies have odd widths centred on the wick. Filled rectangles
//! are half-open `[x0, x1) × [y0, y1)` in both backends.

use indicators::{Bar, Series};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::font::{safe_text, Fonts};
use crate::scale::{format_compact, format_number, nice_ticks, price_decimals, time_ticks};
use crate::spec::{ChartSpec, ChartStyle, Drawing};
use crate::theme::{Palette, Rgb};
use crate::ChartError;

/// A study with its computed lines, ready to draw.
pub(crate) struct StudyData {
    pub name: String,
    pub label: String,
    pub color: Rgb,
    pub series: Vec<Series>,
}

impl StudyData {
    fn line(&self, output: &str) -> Option<&[Option<f64>]> {
        self.series
            .iter()
            .find(|s| s.output == output)
            .map(|s| s.values.as_slice())
    }

    /// The line shown in the legend value and the axis tag.
    fn main_line(&self) -> Option<&[Option<f64>]> {
        match self.name.as_str() {
            "bbands" => self.line("middle"),
            "stoch" => self.line("k"),
            _ => self.series.first().map(|s| s.values.as_slice()),
        }
    }
}

/// Everything needed to draw one chart.
pub(crate) struct Model<'a> {
    pub bars: &'a [Bar],
    pub spec: &'a ChartSpec,
    pub pal: Palette,
    pub overlays: Vec<StudyData>,
    pub panes: Vec<StudyData>,
    pub fonts: &'static Fonts,
}

type Res = Result<(), ChartError>;

fn backend_error<E: std::error::Error + Send + Sync>(
    e: plotters::drawing::DrawingAreaErrorKind<E>,
) -> ChartError {
    ChartError::Backend(e.to_string())
}

fn rgba(c: Rgb, alpha: f64) -> RGBAColor {
    RGBColor(c.0, c.1, c.2).mix(alpha)
}

/// How a piece of text looks. `em` is the font size in pixels.
#[derive(Clone, Copy)]
struct Txt {
    em: f64,
    color: Rgb,
    alpha: f64,
    align: HPos,
    bold: bool,
}

impl Txt {
    fn new(em: f64, color: Rgb) -> Self {
        Self {
            em,
            color,
            alpha: 1.0,
            align: HPos::Left,
            bold: false,
        }
    }
    fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    fn right(mut self) -> Self {
        self.align = HPos::Right;
        self
    }
    fn center(mut self) -> Self {
        self.align = HPos::Center;
        self
    }
    fn alpha(mut self, a: f64) -> Self {
        self.alpha = a;
        self
    }
}

// DejaVu Sans cap height, in em. plotters' SVG backend writes font-size =
// size / 1.24 and dy = 0.76em for top-anchored text.
const SVG_SIZE_PER_EM: f64 = 1.24;
const CAP_HEIGHT: f64 = 0.729;

/// Width of study lines and trend lines, in pixels.
const LINE_W: f64 = 1.6;
/// Width of secondary lines (band edges, DI lines).
const THIN_W: f64 = 1.0;

/// Pixel drawing primitives over a plotters drawing area.
struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    svg: bool,
    fonts: &'static Fonts,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// Fills `[x0, x1) × [y0, y1)`.
    fn fill(&self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), c: Rgb, alpha: f64) -> Res {
        if x1 <= x0 || y1 <= y0 {
            return Ok(());
        }
        self.area
            .draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                rgba(c, alpha).filled(),
            ))
            .map_err(backend_error)
    }

    fn hline(&self, x0: i32, x1: i32, y: i32, c: Rgb, alpha: f64) -> Res {
        self.fill((x0, y), (x1, y + 1), c, alpha)
    }

    fn vline(&self, x: i32, y0: i32, y1: i32, c: Rgb, alpha: f64) -> Res {
        self.fill((x, y0), (x + 1, y1), c, alpha)
    }

    fn dashed_hline(&self, x0: i32, x1: i32, y: i32, c: Rgb, alpha: f64, dash: i32) -> Res {
        let mut x = x0;
        while x < x1 {
            self.hline(x, (x + dash).min(x1), y, c, alpha)?;
            x += dash + dash / 2 + 1;
        }
        Ok(())
    }

    /// A polyline through `pts` (pixel-centre coordinates), `width` pixels
    /// wide. SVG gets a `<polyline>`; the bitmap gets distance-based
    /// anti-aliasing computed here (plotters' own anti-aliased lines drop the
    /// last pixels of short segments, which dashes a dense study line).
    fn polyline(&self, pts: &[(f64, f64)], c: Rgb, alpha: f64, width: f64) -> Res {
        if pts.is_empty() {
            return Ok(());
        }
        if self.svg {
            if pts.len() == 1 {
                let (x, y) = (pts[0].0.round() as i32, pts[0].1.round() as i32);
                return self.fill((x - 1, y - 1), (x + 1, y + 1), c, alpha);
            }
            let ipts: Vec<(i32, i32)> = pts
                .iter()
                .map(|&(x, y)| (x.round() as i32, y.round() as i32))
                .collect();
            let style = ShapeStyle {
                color: rgba(c, alpha),
                filled: false,
                stroke_width: width.round().max(1.0) as u32,
            };
            return self
                .area
                .draw(&PathElement::new(ipts, style))
                .map_err(backend_error);
        }
        let (w, h) = self.area.dim_in_pixel();
        let (w, h) = (w as i64, h as i64);
        let r = width / 2.0;
        let mut cover: Vec<(i64, f32)> = Vec::new();
        let single = [pts[0], pts[0]];
        let segments = if pts.len() == 1 { &single[..] } else { pts };
        for seg in segments.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let x0 = ((a.0.min(b.0) - r - 1.0).floor() as i64).max(0);
            let x1 = ((a.0.max(b.0) + r + 1.0).ceil() as i64).min(w - 1);
            let y0 = ((a.1.min(b.1) - r - 1.0).floor() as i64).max(0);
            let y1 = ((a.1.max(b.1) + r + 1.0).ceil() as i64).min(h - 1);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len2 = dx * dx + dy * dy;
            for py in y0..=y1 {
                for px in x0..=x1 {
                    let (cx, cy) = (px as f64 + 0.5, py as f64 + 0.5);
                    let t = if len2 > 0.0 {
                        (((cx - a.0) * dx + (cy - a.1) * dy) / len2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let (ex, ey) = (a.0 + t * dx - cx, a.1 + t * dy - cy);
                    let d = (ex * ex + ey * ey).sqrt();
                    let cov = (r + 0.5 - d).clamp(0.0, 1.0);
                    if cov > 0.0 {
                        cover.push((py * w + px, cov as f32));
                    }
                }
            }
        }
        // Joints are covered by two segments: keep the larger coverage so
        // they are not blended twice.
        cover.sort_unstable_by(|p, q| p.0.cmp(&q.0).then(q.1.total_cmp(&p.1)));
        cover.dedup_by_key(|p| p.0);
        for (key, cov) in cover {
            let (px, py) = ((key % w) as i32, (key / w) as i32);
            self.area
                .draw_pixel((px, py), &rgba(c, alpha * f64::from(cov)))
                .map_err(backend_error)?;
        }
        Ok(())
    }

    fn polygon(&self, pts: Vec<(i32, i32)>, c: Rgb, alpha: f64) -> Res {
        if pts.len() < 3 {
            return Ok(());
        }
        self.area
            .draw(&Polygon::new(pts, rgba(c, alpha).filled()))
            .map_err(backend_error)
    }

    /// Width in pixels of `s` (DejaVu Sans metrics).
    fn text_width(&self, s: &str, t: &Txt) -> i32 {
        self.fonts.width(&safe_text(s), t.em, t.bold).ceil() as i32
    }

    /// Draws `s` with its capital letters vertically centred on `cy`;
    /// returns the width drawn.
    fn text(&self, s: &str, x: i32, cy: i32, t: &Txt) -> Result<i32, ChartError> {
        if s.is_empty() {
            return Ok(0);
        }
        let s = safe_text(s);
        let baseline = (f64::from(cy) + CAP_HEIGHT * t.em / 2.0).round();
        let width = self.fonts.width(&s, t.em, t.bold);
        if self.svg {
            let style = TextStyle {
                font: FontDesc::new(
                    FontFamily::SansSerif,
                    t.em * SVG_SIZE_PER_EM,
                    if t.bold {
                        FontStyle::Bold
                    } else {
                        FontStyle::Normal
                    },
                ),
                color: rgba(t.color, t.alpha).to_backend_color(),
                pos: Pos::new(t.align, VPos::Top),
            };
            let y = (baseline - 0.76 * t.em).round() as i32;
            self.area
                .draw_text(&s, &style, (x, y))
                .map_err(backend_error)?;
        } else {
            let x0 = match t.align {
                HPos::Left => f64::from(x),
                HPos::Right => f64::from(x) - width,
                HPos::Center => f64::from(x) - width / 2.0,
            }
            .round();
            let (w, h) = self.area.dim_in_pixel();
            let mut result = Ok(());
            self.fonts
                .raster(&s, (x0, baseline), t.em, t.bold, |px, py, cov| {
                    if result.is_ok() && px >= 0 && py >= 0 && px < w as i32 && py < h as i32 {
                        let c = rgba(t.color, t.alpha * f64::from(cov));
                        result = self.area.draw_pixel((px, py), &c).map_err(backend_error);
                    }
                });
            result?;
        }
        Ok(width.ceil() as i32)
    }
}

/// A vertical range of the image: `[top, bottom)`.
#[derive(Debug, Clone, Copy)]
struct Band {
    top: i32,
    bottom: i32,
}

/// Value ↔ pixel mapping of one pane: `lo` at pixel `y_lo`, `hi` at `y_hi`.
#[derive(Debug, Clone, Copy)]
struct YMap {
    lo: f64,
    hi: f64,
    y_lo: f64,
    y_hi: f64,
}

impl YMap {
    fn new(lo: f64, hi: f64, band: Band, pad_top: f64, pad_bottom: f64) -> Self {
        let (lo, hi) = pad_flat(lo, hi);
        Self {
            lo,
            hi,
            y_lo: f64::from(band.bottom) - 1.0 - pad_bottom,
            y_hi: f64::from(band.top) + pad_top,
        }
    }

    fn y(&self, v: f64) -> f64 {
        self.y_lo - (v - self.lo) / (self.hi - self.lo) * (self.y_lo - self.y_hi)
    }

    fn yi(&self, v: f64) -> i32 {
        self.y(v).round() as i32
    }

    fn value(&self, y: f64) -> f64 {
        self.lo + (self.y_lo - y) / (self.y_lo - self.y_hi) * (self.hi - self.lo)
    }
}

/// Widens an empty or degenerate range so flat data draws mid-pane.
fn pad_flat(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    let scale = lo.abs().max(hi.abs());
    if span <= scale * 1e-9 || span <= f64::MIN_POSITIVE {
        let pad = if scale > 0.0 { scale * 0.01 } else { 1.0 };
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

/// Bar index → pixel column mapping.
#[derive(Debug, Clone, Copy)]
struct XMap {
    left: f64,
    step: f64,
}

impl XMap {
    fn x(&self, i: f64) -> f64 {
        self.left + (i + 0.5) * self.step
    }
    fn xi(&self, i: usize) -> i32 {
        (self.x(i as f64) - 0.5).round() as i32
    }
    /// Half the body width: bodies span `xc - half ..= xc + half`.
    fn half_body(&self) -> i32 {
        ((self.step * 0.72 - 1.0) / 2.0).floor().max(0.0) as i32
    }
}

/// Fractional bar index of time `t`: interpolated between bars, extrapolated
/// by the mean bar spacing outside them.
fn time_index(times: &[i64], t: i64) -> f64 {
    let n = times.len();
    let (Some(&first), Some(&last)) = (times.first(), times.last()) else {
        return 0.0;
    };
    let mean = if n > 1 {
        ((last - first) as f64 / (n - 1) as f64).max(1.0)
    } else {
        86_400_000.0
    };
    if t <= first {
        return (t - first) as f64 / mean;
    }
    if t >= last {
        return (n - 1) as f64 + (t - last) as f64 / mean;
    }
    let i = times.partition_point(|&x| x <= t);
    let (a, b) = (times[i - 1], times[i]);
    (i - 1) as f64 + (t - a) as f64 / (b - a).max(1) as f64
}

/// Clips segment `a`–`b` to the rectangle (Liang–Barsky).
fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, y0, x1, y1): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// A price tag on the right axis.
struct Tag {
    y: f64,
    text: String,
    bg: Rgb,
}

/// One lower pane, laid out.
struct PaneGeom<'m> {
    study: &'m StudyData,
    band: Band,
    ymap: YMap,
    ticks: Vec<(f64, String)>,
}

fn min_max<'v>(lines: impl IntoIterator<Item = &'v [Option<f64>]>) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for line in lines {
        for v in line.iter().flatten() {
            if v.is_finite() {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
    }
    (lo <= hi).then_some((lo, hi))
}

fn last_value(line: &[Option<f64>]) -> Option<f64> {
    line.iter().rev().flatten().next().copied()
}

/// Formats a value of a lower-pane study.
fn pane_value(name: &str, v: f64) -> String {
    match name {
        "volume" | "obv" => format_compact(v),
        _ if v.abs() >= 10_000.0 => format_compact(v),
        _ if v.abs() >= 1.0 || v == 0.0 => format_number(v, 2),
        _ => format_number(v, 4),
    }
}

/// Draws the whole chart onto `area`.
pub(crate) fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: &Model<'_>,
    svg: bool,
) -> Res {
    let cv = Canvas {
        area,
        svg,
        fonts: m.fonts,
    };
    let pal = &m.pal;
    let spec = m.spec;
    let bars = m.bars;
    let n = bars.len();
    let (w, h) = (spec.width as i32, spec.height as i32);
    let scale = ((f64::from(spec.width) * f64::from(spec.height)) / (1200.0 * 675.0))
        .sqrt()
        .clamp(0.85, 1.8);
    let em = (12.0 * scale).round();
    let small = (em * 0.9).round();
    let row_h = (em * 1.55).round() as i32;

    cv.fill((0, 0), (w, h), pal.background, 1.0)?;

    // ---- vertical layout
    let time_axis_h = (em * 2.0).round() as i32;
    let plot_bottom = h - time_axis_h;
    let plot_top = 0;
    let k = m.panes.len() as i32;
    let avail = plot_bottom - plot_top;
    let lower_frac = match k {
        0 => 0.0,
        1 => 0.22,
        2 => 0.38,
        3 => 0.48,
        _ => 0.56,
    };
    let pane_h = if k > 0 {
        ((f64::from(avail) * lower_frac) / f64::from(k)).floor() as i32
    } else {
        0
    };
    let price_band = Band {
        top: plot_top,
        bottom: plot_bottom - pane_h * k,
    };
    let lower_bands: Vec<Band> = (0..k)
        .map(|i| Band {
            top: price_band.bottom + i * pane_h,
            bottom: price_band.bottom + (i + 1) * pane_h,
        })
        .collect();

    // ---- legend rows of the price pane (counted before the y mapping, which
    // keeps the data below them)
    let title = match &spec.title {
        Some(t) if !t.trim().is_empty() => t.trim().to_owned(),
        _ => symbol_line(spec),
    };
    let title_em = (em * 1.15).round();
    let has_title_row = spec.title.as_deref().is_some_and(|t| !t.trim().is_empty());

    // ---- price range
    let closes_only = spec.style == ChartStyle::Line;
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for b in bars {
        let (l, hh) = if closes_only { (b.c, b.c) } else { (b.l, b.h) };
        lo = lo.min(l);
        hi = hi.max(hh);
    }
    for s in &m.overlays {
        if let Some((a, b)) = min_max(s.series.iter().map(|s| s.values.as_slice())) {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    for d in &spec.drawings {
        if let Drawing::HorizontalLine { price, .. } | Drawing::Marker { price, .. } = d {
            lo = lo.min(*price);
            hi = hi.max(*price);
        }
    }
    let last = bars[n - 1];
    let decimals = price_decimals(last.c.abs().max(hi.abs().min(lo.abs())));

    // ---- price pane y mapping (legend rows reserved at the top)
    let legend_rows_est = {
        let approx_w = f64::from(w) - em * 7.0;
        let mut rows = 1 + i32::from(has_title_row);
        let mut x = 0.0;
        for (i, s) in m.overlays.iter().enumerate() {
            let item = m.fonts.width(&s.label, em, false) + em * 7.0;
            if i == 0 {
                rows += 1;
            } else if x + item > approx_w {
                rows += 1;
                x = 0.0;
            }
            x += item;
        }
        let has_note = spec
            .source_note
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty());
        let right_rows = i32::from(has_note) + i32::from(spec.simulated);
        rows.max(right_rows)
    };
    // One more row than the legend: labels drawn above levels near the top
    // must not run into it.
    let pad_top = f64::from(legend_rows_est * row_h + row_h + 4);
    let price_map = YMap::new(lo, hi, price_band, pad_top, f64::from(row_h / 2));
    let tick_target = (f64::from(price_band.bottom - price_band.top) / (em * 4.5)).max(2.0);
    let (vt, tick_dec) = nice_ticks(
        price_map.value(f64::from(price_band.bottom)),
        price_map.value(f64::from(price_band.top)),
        tick_target as usize,
    );
    let decimals = decimals.max(tick_dec);
    let price_ticks: Vec<(f64, String)> = vt
        .into_iter()
        .map(|v| (v, format_number(v, decimals)))
        .collect();

    // ---- lower panes
    let mut panes = Vec::new();
    for (study, band) in m.panes.iter().zip(&lower_bands) {
        panes.push(pane_geom(study, *band, row_h, em));
    }

    // ---- right axis width from the widest label
    let label_txt = Txt::new(small, pal.muted);
    let tag_txt = Txt::new(small, pal.text).bold();
    let mut axis_w = 0;
    for (_, s) in price_ticks
        .iter()
        .chain(panes.iter().flat_map(|p| p.ticks.iter()))
    {
        axis_w = axis_w.max(cv.text_width(s, &label_txt));
    }
    axis_w = axis_w.max(cv.text_width(&format_number(last.c, decimals), &tag_txt));
    for p in &panes {
        if let Some(v) = p.study.main_line().and_then(last_value) {
            axis_w = axis_w.max(cv.text_width(&pane_value(&p.study.name, v), &tag_txt));
        }
    }
    let axis_w = (axis_w + (em * 1.4) as i32).max((em * 4.0) as i32);
    let plot_l = 0;
    let plot_r = w - axis_w;

    // ---- x mapping: bar slots plus a little room on the right; at most
    // ~40 px per bar so a handful of bars do not become giant candles
    let plot_w = f64::from(plot_r - plot_l);
    let pad_slots = ((n as f64) * 0.04).ceil().max(2.0);
    let slots = (n as f64 + pad_slots).max(plot_w / (40.0 * scale));
    let xm = XMap {
        left: f64::from(plot_l),
        step: plot_w / slots,
    };

    // ---- time ticks
    let times: Vec<i64> = bars.iter().map(|b| b.t).collect();
    let max_labels = ((plot_w / (em * 8.0)) as usize).max(1);
    let tticks = time_ticks(&times, max_labels, spec.utc_offset_minutes);
    let time_txt = Txt::new(small, pal.muted).center();
    let mut shown_time = Vec::new();
    let mut last_right = i32::MIN;
    for (i, label) in &tticks {
        let x = xm.xi(*i);
        let tw = cv.text_width(label, &time_txt);
        let (l, r) = (x - tw / 2, x + tw - tw / 2);
        if l < plot_l + 2 || r > plot_r - 2 || l < last_right + (em as i32) {
            continue;
        }
        last_right = r;
        shown_time.push((x, label.clone()));
    }

    // ---- grid
    let all_bands: Vec<Band> = std::iter::once(price_band)
        .chain(lower_bands.iter().copied())
        .collect();
    for (x, _) in &shown_time {
        for b in &all_bands {
            cv.vline(*x, b.top, b.bottom, pal.grid, 1.0)?;
        }
    }
    for (v, _) in &price_ticks {
        let y = price_map.yi(*v);
        if y > price_band.top && y < price_band.bottom - 1 {
            cv.hline(plot_l, plot_r, y, pal.grid, 1.0)?;
        }
    }
    for p in &panes {
        for (v, _) in &p.ticks {
            let y = p.ymap.yi(*v);
            if y > p.band.top && y < p.band.bottom - 1 {
                cv.hline(plot_l, plot_r, y, pal.grid, 1.0)?;
            }
        }
    }

    let clip = (
        f64::from(plot_l),
        f64::from(price_band.top),
        f64::from(plot_r - 1),
        f64::from(price_band.bottom - 1),
    );

    // ---- zones (behind the bars)
    for d in &spec.drawings {
        if let Drawing::Zone {
            t1,
            t2,
            p_low,
            p_high,
            color,
        } = d
        {
            let c = drawing_color(color, pal.drawing);
            let (a, b) = (time_index(&times, *t1), time_index(&times, *t2));
            let (xa, xb) = (xm.x(a.min(b)), xm.x(a.max(b)));
            let x0 = xa.round().max(clip.0) as i32;
            let x1 = xb.round().min(clip.2 + 1.0) as i32;
            let y0 = price_map.y(*p_high).round().max(clip.1) as i32;
            let y1 = price_map.y(*p_low).round().min(clip.3 + 1.0) as i32;
            if x1 > x0 && y1 > y0 {
                cv.fill((x0, y0), (x1, y1), c, 0.14)?;
                let edges = [(y0, true), (y1 - 1, true)];
                for (y, _) in edges {
                    if f64::from(y) > clip.1 && f64::from(y) < clip.3 {
                        cv.hline(x0, x1, y, c, 0.55)?;
                    }
                }
            }
        }
    }

    // ---- Bollinger fill (behind the bars)
    for s in &m.overlays {
        if s.name == "bbands" {
            if let (Some(up), Some(dn)) = (s.line("upper"), s.line("lower")) {
                for run in runs(up, dn) {
                    let mut pts: Vec<(i32, i32)> = run
                        .iter()
                        .map(|&(i, u, _)| (xm.xi(i), price_map.yi(u)))
                        .collect();
                    pts.extend(
                        run.iter()
                            .rev()
                            .map(|&(i, _, l)| (xm.xi(i), price_map.yi(l))),
                    );
                    cv.polygon(pts, s.color, 0.07)?;
                }
            }
        }
    }

    // ---- bars
    let half = xm.half_body();
    match spec.style {
        ChartStyle::Candles => {
            for (i, b) in bars.iter().enumerate() {
                let c = if b.c >= b.o { pal.up } else { pal.down };
                let x = xm.xi(i);
                let (yh, yl) = (price_map.yi(b.h), price_map.yi(b.l));
                cv.vline(x, yh, yl + 1, c, 1.0)?;
                let (yo, yc) = (price_map.yi(b.o), price_map.yi(b.c));
                let (top, bot) = (yo.min(yc), yo.max(yc));
                cv.fill((x - half, top), (x + half + 1, bot + 1), c, 1.0)?;
            }
        }
        ChartStyle::Ohlc => {
            let tick = half.max(1);
            for (i, b) in bars.iter().enumerate() {
                let c = if b.c >= b.o { pal.up } else { pal.down };
                let x = xm.xi(i);
                cv.vline(x, price_map.yi(b.h), price_map.yi(b.l) + 1, c, 1.0)?;
                cv.hline(x - tick, x, price_map.yi(b.o), c, 1.0)?;
                cv.hline(x + 1, x + 1 + tick, price_map.yi(b.c), c, 1.0)?;
            }
        }
        ChartStyle::Line => {
            let pts: Vec<(f64, f64)> = bars
                .iter()
                .enumerate()
                .map(|(i, b)| (xm.x(i as f64), price_map.y(b.c)))
                .collect();
            cv.polyline(&pts, pal.line, 1.0, LINE_W)?;
        }
    }

    // ---- overlay lines
    for s in &m.overlays {
        for series in &s.series {
            let (alpha, width) = match (s.name.as_str(), series.output.as_str()) {
                ("bbands", "middle") => (0.8, THIN_W),
                ("bbands", _) => (1.0, THIN_W),
                _ => (1.0, LINE_W),
            };
            draw_line(&cv, &series.values, &xm, &price_map, s.color, alpha, width)?;
        }
    }

    // ---- drawings on top of the bars
    let mut tags: Vec<Tag> = Vec::new();
    let label_small = Txt::new(small, pal.text);
    for d in &spec.drawings {
        match d {
            Drawing::HorizontalLine {
                price,
                color,
                label,
            } => {
                let c = drawing_color(color, pal.drawing);
                let y = price_map.yi(*price);
                if f64::from(y) >= clip.1 && f64::from(y) <= clip.3 {
                    cv.hline(plot_l, plot_r, y, c, 1.0)?;
                    if let Some(label) = label.as_deref().filter(|l| !l.is_empty()) {
                        let t = Txt {
                            color: c,
                            ..label_small
                        }
                        .right();
                        let tw = cv.text_width(label, &t);
                        let ly = y - (em * 0.8) as i32;
                        cv.fill(
                            (plot_r - 11 - tw, ly - (em * 0.65) as i32),
                            (plot_r - 5, ly + (em * 0.65) as i32),
                            pal.background,
                            0.8,
                        )?;
                        cv.text(label, plot_r - 8, ly, &t)?;
                    }
                    tags.push(Tag {
                        y: f64::from(y),
                        text: format_number(*price, decimals),
                        bg: c,
                    });
                }
            }
            Drawing::TrendLine {
                t1,
                p1,
                t2,
                p2,
                color,
            } => {
                let c = drawing_color(color, pal.drawing);
                let a = (xm.x(time_index(&times, *t1)), price_map.y(*p1));
                let b = (xm.x(time_index(&times, *t2)), price_map.y(*p2));
                if let Some((a, b)) = clip_segment(a, b, clip) {
                    cv.polyline(&[a, b], c, 1.0, LINE_W)?;
                }
            }
            Drawing::Marker { kind, price, t } => {
                let c = pal.marker(*kind);
                let y = price_map.yi(*price);
                if f64::from(y) < clip.1 || f64::from(y) > clip.3 {
                    continue;
                }
                let x0 = match t {
                    Some(t) => (xm.x(time_index(&times, *t)).round() as i32).max(plot_l),
                    None => plot_l,
                };
                if x0 >= plot_r {
                    continue;
                }
                cv.dashed_hline(x0, plot_r, y, c, 1.0, 6)?;
                cv.hline(x0, plot_r, y + 1, c, 0.35)?;
                let text = format!("{} {}", kind.label(), format_number(*price, decimals));
                let t = Txt {
                    color: c,
                    ..label_small
                }
                .bold();
                let tw = cv.text_width(&text, &t);
                let lx = (x0 + 6).min(plot_r - tw - 8).max(plot_l + 4);
                let ly = y - (em * 0.8) as i32;
                cv.fill(
                    (lx - 3, ly - (em * 0.65) as i32),
                    (lx + tw + 3, ly + (em * 0.65) as i32),
                    pal.background,
                    0.8,
                )?;
                cv.text(&text, lx, ly, &t)?;
                tags.push(Tag {
                    y: f64::from(y),
                    text: format_number(*price, decimals),
                    bg: c,
                });
            }
            Drawing::Zone { .. } => {}
        }
    }

    // ---- last price line and tag
    let last_color = if n > 1 && spec.style == ChartStyle::Line {
        if last.c >= bars[n - 2].c {
            pal.up
        } else {
            pal.down
        }
    } else if last.c >= last.o {
        pal.up
    } else {
        pal.down
    };
    let y_last = price_map.yi(last.c);
    cv.dashed_hline(plot_l, plot_r, y_last, last_color, 0.6, 3)?;
    tags.push(Tag {
        y: f64::from(y_last),
        text: format_number(last.c, decimals),
        bg: last_color,
    });

    // ---- simulated watermark
    if spec.simulated {
        let wm = Txt::new((em * 3.2).round(), pal.simulated)
            .bold()
            .center()
            .alpha(0.10);
        let cy = (price_band.top + price_band.bottom) / 2;
        cv.text("SIMULATED DATA", (plot_l + plot_r) / 2, cy, &wm)?;
    }

    // ---- legend of the price pane
    let mut y_row = price_band.top + row_h / 2 + 4;
    let x_legend = plot_l + 8;
    let mut right_limit = plot_r - 8;
    if let Some(note) = spec.source_note.as_deref().filter(|s| !s.trim().is_empty()) {
        let t = Txt::new((em * 0.85).round(), pal.muted).right();
        let tw = cv.text(note.trim(), plot_r - 8, y_row, &t)?;
        right_limit -= tw + 16;
    }
    let mut badge_row = y_row;
    if spec.simulated {
        let t = Txt::new(small, pal.on(pal.simulated)).bold();
        let text = "SIMULATED DATA";
        let tw = cv.text_width(text, &t);
        if spec
            .source_note
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
        {
            badge_row += row_h;
        } else {
            right_limit -= tw + 24;
        }
        let x1 = plot_r - 8;
        let x0 = x1 - tw - 12;
        let hh = (row_h - 4) / 2;
        cv.fill(
            (x0, badge_row - hh),
            (x1, badge_row + hh + 1),
            pal.simulated,
            1.0,
        )?;
        cv.text(text, x0 + 6, badge_row, &t)?;
    }
    if has_title_row {
        let t = Txt::new(title_em, pal.text).bold();
        cv.text(&title, x_legend, y_row, &t)?;
        y_row += row_h;
    }
    {
        // Symbol · interval, then the last bar's OHLC and change.
        let line = symbol_line(spec);
        let t = Txt::new(title_em, pal.text).bold();
        let mut x = x_legend;
        x += cv.text(&line, x, y_row, &t)? + (em * 1.2) as i32;
        let prev_close = if n > 1 { Some(bars[n - 2].c) } else { None };
        let mut pieces: Vec<(String, Rgb)> = Vec::new();
        for (k, v) in [("O", last.o), ("H", last.h), ("L", last.l), ("C", last.c)] {
            pieces.push((k.to_owned(), pal.muted));
            pieces.push((format_number(v, decimals), last_color));
        }
        if let Some(pc) = prev_close {
            let ch = last.c - pc;
            let pct = if pc != 0.0 { ch / pc * 100.0 } else { 0.0 };
            let sign = if ch >= 0.0 { "+" } else { "" };
            let c = if ch >= 0.0 { pal.up } else { pal.down };
            pieces.push((
                format!(
                    "{sign}{} ({sign}{}%)",
                    format_number(ch, decimals),
                    format_number(pct, 2)
                ),
                c,
            ));
        }
        let vt = Txt::new(em, pal.text);
        for (i, (s, c)) in pieces.iter().enumerate() {
            let t = Txt { color: *c, ..vt };
            let tw = cv.text_width(s, &t);
            if x + tw > right_limit {
                break;
            }
            cv.text(s, x, y_row, &t)?;
            x += tw
                + if i % 2 == 0 {
                    (em * 0.3) as i32
                } else {
                    (em * 0.9) as i32
                };
        }
        y_row += row_h;
    }
    if !m.overlays.is_empty() {
        let mut x = x_legend;
        for s in &m.overlays {
            let t = Txt::new(em, s.color);
            let value = s
                .main_line()
                .and_then(last_value)
                .map(|v| format_number(v, decimals))
                .unwrap_or_default();
            let lw = cv.text_width(&s.label, &t);
            let vw = cv.text_width(&value, &t);
            let total = lw + (em * 0.5) as i32 + vw;
            if x > x_legend && x + total > plot_r - 8 {
                // Wrap onto the next row (overlapping the data is better
                // than dropping a study from the legend).
                x = x_legend;
                y_row += row_h;
            }
            cv.text(&s.label, x, y_row, &t)?;
            if !value.is_empty() {
                cv.text(&value, x + lw + (em * 0.5) as i32, y_row, &t.alpha(0.85))?;
            }
            x += total + (em * 1.5) as i32;
        }
    }

    // ---- lower panes
    for p in &panes {
        draw_pane(&cv, p, &xm, bars, pal, plot_l, plot_r, em)?;
    }

    // ---- separators and axis frame
    cv.vline(plot_r, 0, plot_bottom, pal.border, 1.0)?;
    cv.hline(0, w, plot_bottom, pal.border, 1.0)?;
    for b in &lower_bands {
        cv.hline(0, w, b.top, pal.border, 1.0)?;
    }

    // ---- right axis labels and tags
    let tag_h = (small * 1.6).round() as i32;
    let price_tags = resolve_tags(tags, price_band, tag_h);
    axis_labels(
        &cv,
        &price_ticks,
        &price_map,
        price_band,
        &price_tags,
        plot_r,
        &label_txt,
        tag_h,
    )?;
    draw_tags(&cv, &price_tags, plot_r, w, tag_h, small, pal)?;
    for p in &panes {
        let mut ptags = Vec::new();
        if let Some(v) = p.study.main_line().and_then(last_value) {
            ptags.push(Tag {
                y: p.ymap.y(v),
                text: pane_value(&p.study.name, v),
                bg: p.study.color,
            });
        }
        let ptags = resolve_tags(ptags, p.band, tag_h);
        axis_labels(
            &cv, &p.ticks, &p.ymap, p.band, &ptags, plot_r, &label_txt, tag_h,
        )?;
        draw_tags(&cv, &ptags, plot_r, w, tag_h, small, pal)?;
    }

    // ---- time axis labels
    let ty = plot_bottom + time_axis_h / 2;
    for (x, label) in &shown_time {
        cv.vline(*x, plot_bottom, plot_bottom + 4, pal.border, 1.0)?;
        cv.text(label, *x, ty + 1, &time_txt)?;
    }
    Ok(())
}

fn symbol_line(spec: &ChartSpec) -> String {
    let symbol = spec.symbol.trim();
    let interval = spec.interval.trim();
    if interval.is_empty() {
        symbol.to_owned()
    } else {
        format!("{symbol} · {interval}")
    }
}

fn drawing_color(color: &Option<String>, default: Rgb) -> Rgb {
    color
        .as_deref()
        .and_then(crate::spec::parse_hex_color)
        .unwrap_or(default)
}

/// Stretches of bars where both lines have values: `(index, a, b)`.
fn runs(a: &[Option<f64>], b: &[Option<f64>]) -> Vec<Vec<(usize, f64, f64)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        match (x, y) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => cur.push((i, *x, *y)),
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A study line, broken where values are missing.
fn draw_line<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    values: &[Option<f64>],
    xm: &XMap,
    ym: &YMap,
    color: Rgb,
    alpha: f64,
    width: f64,
) -> Res {
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) if v.is_finite() => pts.push((xm.x(i as f64), ym.y(*v))),
            _ => {
                if !pts.is_empty() {
                    cv.polyline(&pts, color, alpha, width)?;
                    pts.clear();
                }
            }
        }
    }
    if !pts.is_empty() {
        cv.polyline(&pts, color, alpha, width)?;
    }
    Ok(())
}

/// Fixed guide levels of bounded oscillators.
fn guides(name: &str) -> &'static [f64] {
    match name {
        "rsi" => &[30.0, 70.0],
        "stoch" => &[20.0, 80.0],
        _ => &[],
    }
}

fn pane_geom(study: &StudyData, band: Band, row_h: i32, em: f64) -> PaneGeom<'_> {
    let pad_top = f64::from(row_h) + 2.0;
    let pad_bottom = 3.0;
    let (lo, hi) = match study.name.as_str() {
        "rsi" | "stoch" => (0.0, 100.0),
        "volume" | "obv" | "atr" | "adx" => {
            let (lo, hi) =
                min_max(study.series.iter().map(|s| s.values.as_slice())).unwrap_or((0.0, 1.0));
            if study.name == "obv" {
                (lo, hi)
            } else {
                (lo.min(0.0), hi)
            }
        }
        _ => {
            let (lo, hi) =
                min_max(study.series.iter().map(|s| s.values.as_slice())).unwrap_or((-1.0, 1.0));
            (lo.min(0.0), hi.max(0.0))
        }
    };
    let ymap = YMap::new(lo, hi, band, pad_top, pad_bottom);
    let guide = guides(&study.name);
    let ticks: Vec<(f64, String)> = if !guide.is_empty() {
        guide.iter().map(|v| (*v, format!("{v:.0}"))).collect()
    } else {
        let target = (f64::from(band.bottom - band.top) / (em * 3.5)).clamp(1.0, 6.0) as usize;
        let (vals, dec) = nice_ticks(ymap.lo, ymap.hi, target.max(2));
        vals.into_iter()
            .map(|v| {
                let s = match study.name.as_str() {
                    "volume" | "obv" => format_compact(v),
                    _ if v.abs() >= 10_000.0 => format_compact(v),
                    _ => format_number(v, dec),
                };
                (v, s)
            })
            .collect()
    };
    PaneGeom {
        study,
        band,
        ymap,
        ticks,
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_pane<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    p: &PaneGeom<'_>,
    xm: &XMap,
    bars: &[Bar],
    pal: &Palette,
    plot_l: i32,
    plot_r: i32,
    em: f64,
) -> Res {
    let s = p.study;
    let ym = &p.ymap;
    let half = xm.half_body();
    for g in guides(&s.name) {
        cv.dashed_hline(plot_l, plot_r, ym.yi(*g), pal.muted, 0.7, 4)?;
    }
    if let [a, b] = guides(&s.name) {
        let (y0, y1) = (ym.yi(*b), ym.yi(*a));
        cv.fill((plot_l, y0 + 1), (plot_r, y1), s.color, 0.05)?;
    }
    match s.name.as_str() {
        "volume" => {
            let y0 = ym.yi(0.0);
            for (i, b) in bars.iter().enumerate() {
                if !b.v.is_finite() || b.v <= 0.0 {
                    continue;
                }
                let c = if b.c >= b.o { pal.up } else { pal.down };
                let x = xm.xi(i);
                let y = ym.yi(b.v).min(y0);
                cv.fill((x - half, y), (x + half + 1, y0 + 1), c, 0.55)?;
            }
        }
        "macd" => {
            let y0 = ym.yi(0.0);
            cv.hline(plot_l, plot_r, y0, pal.muted, 0.5)?;
            if let Some(hist) = s.line("hist") {
                for (i, v) in hist.iter().enumerate() {
                    let Some(v) = v.filter(|v| v.is_finite()) else {
                        continue;
                    };
                    let c = if v >= 0.0 { pal.up } else { pal.down };
                    let x = xm.xi(i);
                    let y = ym.yi(v);
                    cv.fill(
                        (x - half, y.min(y0)),
                        (x + half + 1, y.max(y0) + 1),
                        c,
                        0.55,
                    )?;
                }
            }
            if let Some(l) = s.line("macd") {
                draw_line(cv, l, xm, ym, s.color, 1.0, LINE_W)?;
            }
            if let Some(l) = s.line("signal") {
                draw_line(cv, l, xm, ym, pal.studies[1], 1.0, LINE_W)?;
            }
        }
        "stoch" => {
            if let Some(l) = s.line("k") {
                draw_line(cv, l, xm, ym, s.color, 1.0, LINE_W)?;
            }
            if let Some(l) = s.line("d") {
                draw_line(cv, l, xm, ym, pal.studies[1], 1.0, LINE_W)?;
            }
        }
        "adx" => {
            if let Some(l) = s.line("plus_di") {
                draw_line(cv, l, xm, ym, pal.up, 0.9, THIN_W)?;
            }
            if let Some(l) = s.line("minus_di") {
                draw_line(cv, l, xm, ym, pal.down, 0.9, THIN_W)?;
            }
            if let Some(l) = s.line("adx") {
                draw_line(cv, l, xm, ym, s.color, 1.0, LINE_W)?;
            }
        }
        _ => {
            for series in &s.series {
                draw_line(cv, &series.values, xm, ym, s.color, 1.0, LINE_W)?;
            }
        }
    }
    // Legend: label and last value(s).
    let cy = p.band.top + (em * 1.0).round() as i32 + 2;
    let t = Txt::new(em, s.color);
    let mut x = plot_l + 8;
    x += cv.text(&s.label, x, cy, &t)? + (em * 0.6) as i32;
    let values: Vec<(String, Rgb)> = match s.name.as_str() {
        "macd" => vec![
            ("macd", s.color),
            ("signal", pal.studies[1]),
            ("hist", pal.muted),
        ],
        "stoch" => vec![("k", s.color), ("d", pal.studies[1])],
        "adx" => vec![
            ("adx", s.color),
            ("plus_di", pal.up),
            ("minus_di", pal.down),
        ],
        _ => vec![(s.series.first().map_or("", |x| x.output.as_str()), s.color)],
    }
    .into_iter()
    .filter_map(|(out, c)| {
        s.line(out)
            .and_then(last_value)
            .map(|v| (pane_value(&s.name, v), c))
    })
    .collect();
    for (v, c) in values {
        x += cv.text(&v, x, cy, &Txt::new(em, c))? + (em * 0.6) as i32;
        if x > plot_r - 20 {
            break;
        }
    }
    Ok(())
}

/// Moves overlapping tags apart and keeps them inside the band.
fn resolve_tags(mut tags: Vec<Tag>, band: Band, tag_h: i32) -> Vec<Tag> {
    let h = f64::from(tag_h) + 1.0;
    let top = f64::from(band.top) + h / 2.0;
    let bottom = f64::from(band.bottom) - h / 2.0;
    tags.retain(|t| {
        t.y.is_finite() && t.y >= f64::from(band.top) - 1.0 && t.y <= f64::from(band.bottom)
    });
    tags.sort_by(|a, b| a.y.total_cmp(&b.y));
    for i in 0..tags.len() {
        let min = if i == 0 { top } else { tags[i - 1].y + h };
        if tags[i].y < min {
            tags[i].y = min;
        }
    }
    let mut max = bottom;
    for t in tags.iter_mut().rev() {
        if t.y > max {
            t.y = max;
        }
        max = t.y - h;
    }
    tags
}

#[allow(clippy::too_many_arguments)]
fn axis_labels<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    ticks: &[(f64, String)],
    ym: &YMap,
    band: Band,
    tags: &[Tag],
    plot_r: i32,
    t: &Txt,
    tag_h: i32,
) -> Res {
    let half = (t.em * 0.6) as i32;
    let mut prev: Option<i32> = None;
    for (v, s) in ticks {
        let y = ym.yi(*v);
        if y - half < band.top + 2 || y + half > band.bottom - 2 {
            continue;
        }
        if prev.is_some_and(|p| (p - y).abs() < (t.em * 1.3) as i32) {
            continue;
        }
        if tags
            .iter()
            .any(|tag| (tag.y - f64::from(y)).abs() < f64::from(tag_h))
        {
            continue;
        }
        cv.hline(plot_r + 1, plot_r + 4, y, t.color, 0.6)?;
        cv.text(s, plot_r + 7, y, t)?;
        prev = Some(y);
    }
    Ok(())
}

fn draw_tags<DB: DrawingBackend>(
    cv: &Canvas<'_, DB>,
    tags: &[Tag],
    plot_r: i32,
    w: i32,
    tag_h: i32,
    em: f64,
    pal: &Palette,
) -> Res {
    for tag in tags {
        let y = tag.y.round() as i32;
        let y0 = y - tag_h / 2;
        cv.fill((plot_r + 1, y0), (w, y0 + tag_h), tag.bg, 1.0)?;
        let t = Txt::new(em, pal.on(tag.bg)).bold();
        cv.text(&tag.text, plot_r + 7, y, &t)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_ranges_are_padded() {
        assert_eq!(pad_flat(5.0, 5.0), (4.95, 5.05));
        assert_eq!(pad_flat(0.0, 0.0), (-1.0, 1.0));
        assert_eq!(pad_flat(f64::NAN, 1.0), (0.0, 1.0));
    }

    #[test]
    fn times_map_to_fractional_indices() {
        let t = [0, 10, 30];
        assert_eq!(time_index(&t, 0), 0.0);
        assert_eq!(time_index(&t, 20), 1.5);
        assert_eq!(time_index(&t, 45), 3.0);
        assert_eq!(time_index(&t, -15), -1.0);
    }

    #[test]
    fn segments_are_clipped() {
        let r = (0.0, 0.0, 10.0, 10.0);
        let ((ax, ay), (bx, by)) =
            clip_segment((-10.0, 5.0), (20.0, 5.0), r).expect("crosses the box");
        assert_eq!((ax, ay, bx, by), (0.0, 5.0, 10.0, 5.0));
        assert!(clip_segment((-10.0, -5.0), (20.0, -5.0), r).is_none());
    }

    #[test]
    fn tags_do_not_overlap() {
        let tags = ["a", "b", "c"]
            .iter()
            .map(|s| Tag {
                y: 50.0,
                text: (*s).to_owned(),
                bg: (0, 0, 0),
            })
            .collect();
        let out = resolve_tags(
            tags,
            Band {
                top: 0,
                bottom: 100,
            },
            18,
        );
        for w in out.windows(2) {
            assert!(w[1].y - w[0].y >= 18.0);
        }
    }
}
