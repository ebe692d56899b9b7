//! Trading charts rendered on the server as PNG or SVG.
//!
//! Pure: bars and a [`ChartSpec`] in, bytes out; no file or network I/O and
//! no clock (the bars carry their times, the spec the time zone offset).
//!
//! ```
//! use charts::{render, ChartSpec, ImageFormat, StudyRequest};
//! use indicators::{Bar, Convention};
//!
//! let bars: Vec<Bar> = (0..100)
//!     .map(|i| {
//!         let c = 100.0 + (i as f64 / 7.0).sin() * 5.0;
//!         Bar::new(1_700_000_000_000 + i * 86_400_000, c - 0.5, c + 1.0, c - 1.0, c, 1e6)
//!     })
//!     .collect();
//! let mut spec = ChartSpec::new("AAPL", "1D");
//! spec.studies.push(StudyRequest::new("ema").with("period", 20.0));
//! spec.format = ImageFormat::Svg;
//! let out = render(&bars, &spec, Convention::TaLib).unwrap();
//! assert_eq!(out.content_type, "image/svg+xml");
//! assert!(String::from_utf8(out.bytes).unwrap().contains("EMA 20"));
//! ```
//!
//! # What is drawn
//!
//! A price pane (candles, OHLC bars or a close line) with overlays (`sma`,
//! `ema`, `wma`, `bbands`, `vwap`) and drawings (horizontal lines, trend
//! lines, zones, entry/stop/target markers), up to four panes below it
//! (`volume`, `rsi`, `macd`, `stoch`, `atr`, `adx`, `obv`), a time axis by
//! bar index (no gaps for weekends and holidays) with calendar-aware labels,
//! and a price axis on the right with rounded ticks and tags for the last
//! price, levels and the lower studies' last values. The legend at the top
//! left names the symbol and interval, the last bar's OHLC and change, and
//! every study with its parameters in its colour.
//!
//! # Fonts
//!
//! PNG text uses the embedded DejaVu Sans (fonts/README.md for the licence),
//! registered with plotters once per process; SVG text names the family
//! `sans-serif`, so viewers use their own sans-serif font.

mod draw;
mod font;
mod scale;
mod spec;
mod theme;

use indicators::{Bar, Convention, IndicatorError, Series};
use plotters::prelude::*;

pub use scale::{format_compact, format_number, nice_ticks, price_decimals, time_ticks};
pub use spec::{
    parse_hex_color, placement, ChartSpec, ChartStyle, Drawing, ImageFormat, MarkerKind, Placement,
    SpecError, StudyRequest, Theme, MAX_BARS, MAX_DRAWINGS, MAX_HEIGHT, MAX_LOWER_PANES,
    MAX_STUDIES, MAX_WIDTH, MIN_HEIGHT, MIN_WIDTH, STUDY_NAMES,
};
pub use theme::{theme_colors, ThemeColors};

use draw::{Model, StudyData};
use theme::Palette;

/// Why a chart could not be rendered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    #[error("no bars to chart")]
    NoBars,
    #[error("too many bars: at most {max}, got {0}", max = MAX_BARS)]
    TooManyBars(usize),
    #[error("bar {index}: {reason}")]
    InvalidBar { index: usize, reason: String },
    #[error("invalid chart spec: {0}")]
    InvalidSpec(#[from] SpecError),
    #[error("indicator error: {0}")]
    Indicator(#[from] IndicatorError),
    #[error("drawing backend error: {0}")]
    Backend(String),
}

/// A rendered image.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// `image/png` or `image/svg+xml`.
    pub content_type: &'static str,
}

/// Renders `bars` (oldest first) as `spec.format`. Studies are computed with
/// `convention`.
pub fn render(
    bars: &[Bar],
    spec: &ChartSpec,
    convention: Convention,
) -> Result<Rendered, ChartError> {
    let bytes = match spec.format {
        ImageFormat::Png => render_png(bars, spec, convention)?,
        ImageFormat::Svg => render_svg(bars, spec, convention)?.into_bytes(),
    };
    Ok(Rendered {
        bytes,
        format: spec.format,
        width: spec.width,
        height: spec.height,
        content_type: spec.format.content_type(),
    })
}

/// Renders as an SVG document, whatever `spec.format` says.
pub fn render_svg(
    bars: &[Bar],
    spec: &ChartSpec,
    convention: Convention,
) -> Result<String, ChartError> {
    let model = prepare(bars, spec, convention)?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (spec.width, spec.height)).into_drawing_area();
        draw::draw_chart(&root, &model, true)?;
        root.present()
            .map_err(|e| ChartError::Backend(e.to_string()))?;
    }
    Ok(out)
}

/// Renders as PNG bytes (8-bit RGB), whatever `spec.format` says.
pub fn render_png(
    bars: &[Bar],
    spec: &ChartSpec,
    convention: Convention,
) -> Result<Vec<u8>, ChartError> {
    let model = prepare(bars, spec, convention)?;
    let (w, h) = (spec.width, spec.height);
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw::draw_chart(&root, &model, false)?;
        root.present()
            .map_err(|e| ChartError::Backend(e.to_string()))?;
    }
    encode_png(&buf, w, h)
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut out = Vec::with_capacity(rgb.len() / 8);
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Sub)
        .write_image(rgb, w, h, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Backend(format!("PNG encoding failed: {e}")))?;
    Ok(out)
}

/// Checks inputs, computes the studies and assigns colours.
fn prepare<'a>(
    bars: &'a [Bar],
    spec: &'a ChartSpec,
    convention: Convention,
) -> Result<Model<'a>, ChartError> {
    spec.validate()?;
    if bars.is_empty() {
        return Err(ChartError::NoBars);
    }
    if bars.len() > MAX_BARS {
        return Err(ChartError::TooManyBars(bars.len()));
    }
    for (i, b) in bars.iter().enumerate() {
        check_bar(i, b)?;
        if i > 0 && b.t <= bars[i - 1].t {
            return Err(ChartError::InvalidBar {
                index: i,
                reason: format!(
                    "bars must be in ascending time order, but t = {} is not after the previous bar's {}",
                    b.t,
                    bars[i - 1].t
                ),
            });
        }
    }
    let fonts = font::ensure_fonts().map_err(ChartError::Backend)?;

    let pal = Palette::new(spec.theme);
    let mut next_color = 0;
    let mut overlays = Vec::new();
    let mut panes = Vec::new();
    for req in &spec.studies {
        let color = match req.color.as_deref().and_then(parse_hex_color) {
            Some(c) => c,
            None => {
                let c = pal.studies[next_color % pal.studies.len()];
                next_color += 1;
                c
            }
        };
        let series = if req.name == "volume" {
            vec![Series {
                name: "volume".to_owned(),
                output: "volume".to_owned(),
                values: bars.iter().map(|b| Some(b.v)).collect(),
            }]
        } else {
            indicators::compute(bars, &req.study_spec(), convention)?
        };
        let data = StudyData {
            name: req.name.clone(),
            label: req.label(),
            color,
            series,
        };
        match placement(&req.name) {
            Some(Placement::Overlay) => overlays.push(data),
            _ => panes.push(data),
        }
    }
    Ok(Model {
        bars,
        spec,
        pal,
        overlays,
        panes,
        fonts,
    })
}

fn check_bar(index: usize, b: &Bar) -> Result<(), ChartError> {
    for (name, v) in [("o", b.o), ("h", b.h), ("l", b.l), ("c", b.c)] {
        if !v.is_finite() {
            return Err(ChartError::InvalidBar {
                index,
                reason: format!("`{name}` must be a finite number, got {v}"),
            });
        }
    }
    if b.l > b.h {
        return Err(ChartError::InvalidBar {
            index,
            reason: format!("low {} is above high {}", b.l, b.h),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(n: usize) -> Vec<Bar> {
        (0..n)
            .map(|i| {
                let x = i as f64;
                let c = 100.0 + (x / 9.0).sin() * 6.0 + x * 0.05;
                let o = c + (x / 2.3).cos() * 1.5;
                Bar::new(
                    1_600_000_000_000 + i as i64 * 86_400_000,
                    o,
                    o.max(c) + 1.0,
                    o.min(c) - 1.0,
                    c,
                    1e6 + (x / 5.0).sin().abs() * 5e5,
                )
            })
            .collect()
    }

    #[test]
    fn errors_are_reported() {
        let spec = ChartSpec::new("X", "1D");
        assert_eq!(
            render(&[], &spec, Convention::TaLib),
            Err(ChartError::NoBars)
        );
        let many = vec![Bar::default(); MAX_BARS + 1];
        assert_eq!(
            render(&many, &spec, Convention::TaLib).map(|_| ()),
            Err(ChartError::TooManyBars(MAX_BARS + 1))
        );
        let mut b = bars(3);
        b[1].h = f64::NAN;
        let e = render(&b, &spec, Convention::TaLib).map(|_| ());
        assert_eq!(
            e.map_err(|e| e.to_string()),
            Err("bar 1: `h` must be a finite number, got NaN".to_owned())
        );
        let mut b = bars(3);
        b[2].t = b[1].t;
        assert!(matches!(
            render(&b, &spec, Convention::TaLib),
            Err(ChartError::InvalidBar { index: 2, .. })
        ));
        let mut bad = spec.clone();
        bad.width = 100;
        assert_eq!(
            render(&bars(3), &bad, Convention::TaLib)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(
                "invalid chart spec: width must be between 320 and 3840 pixels, got 100".to_owned()
            )
        );
    }

    #[test]
    fn every_study_renders() {
        let b = bars(120);
        for names in [
            ["sma", "ema", "wma", "bbands", "vwap", "volume"],
            ["rsi", "macd", "stoch", "atr", "sma", "ema"],
            ["adx", "obv", "volume", "rsi", "bbands", "wma"],
        ] {
            let mut spec = ChartSpec::new("TEST", "1D");
            spec.studies = names.iter().map(|n| StudyRequest::new(*n)).collect();
            for format in [ImageFormat::Svg, ImageFormat::Png] {
                spec.format = format;
                let out = render(&b, &spec, Convention::TradingView).expect("renders");
                assert!(!out.bytes.is_empty());
            }
        }
    }
}
