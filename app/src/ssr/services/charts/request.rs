//! From a chart request as spec 004 writes it (study and drawing names such as "Relative
//! Strength Index" and "Horizontal Line", `input` and `override` maps) to the renderer's
//! `ChartSpec`, with errors that name the field.

use crate::charts_wire::{ChartRequest, DrawingInput, StudyInput};
use crate::error::AppError;
use charts::{ChartSpec, ChartStyle, Drawing, ImageFormat, MarkerKind, StudyRequest, Theme};
use chrono::DateTime;
use market::Interval;
use serde_json::Value;

/// A study's short name from its short or long (TradingView-style) name.
pub fn study_name(name: &str) -> Option<&'static str> {
    let n = name.trim().to_ascii_lowercase();
    Some(match n.as_str() {
        "sma" | "ma" | "moving average" | "simple moving average" | "moving average simple" => {
            "sma"
        }
        "ema" | "exponential moving average" | "moving average exponential" => "ema",
        "wma" | "weighted moving average" | "moving average weighted" => "wma",
        "bbands" | "bb" | "bollinger bands" | "bollinger" => "bbands",
        "vwap" | "volume weighted average price" => "vwap",
        "rsi" | "relative strength index" => "rsi",
        "macd" | "moving average convergence divergence" => "macd",
        "stoch" | "stochastic" | "stochastic oscillator" => "stoch",
        "atr" | "average true range" => "atr",
        "adx" | "average directional index" | "directional movement" | "dmi" => "adx",
        "obv" | "on balance volume" | "on-balance volume" => "obv",
        "volume" | "vol" => "volume",
        _ => return None,
    })
}

/// TradingView's input names for the same parameters.
fn param_name(name: &str) -> String {
    match name {
        "length" | "len" => "period".into(),
        "mult" | "multiplier" | "std" | "stdev" => "stddev".into(),
        "fastLength" | "fast_length" => "fast".into(),
        "slowLength" | "slow_length" => "slow".into(),
        "signalLength" | "signal_length" => "signal".into(),
        other => other.to_string(),
    }
}

fn study(i: usize, s: &StudyInput) -> Result<StudyRequest, AppError> {
    let name = study_name(&s.name).ok_or_else(|| {
        AppError::invalid(
            &format!("studies[{i}].name"),
            format!(
                "studies[{i}]: unknown study '{}' (use one of: {})",
                s.name,
                charts::STUDY_NAMES.join(", ")
            ),
        )
    })?;
    Ok(StudyRequest {
        name: name.to_string(),
        params: s.input.iter().map(|(k, v)| (param_name(k), *v)).collect(),
        color: s.color.clone(),
    })
}

fn number(d: &DrawingInput, i: usize, keys: &[&str]) -> Result<f64, AppError> {
    keys.iter()
        .find_map(|k| d.input.get(*k))
        .and_then(Value::as_f64)
        .ok_or_else(|| {
            AppError::invalid(
                &format!("drawings[{i}].input.{}", keys[0]),
                format!(
                    "drawings[{i}] ({}): input.{} must be a number",
                    d.name, keys[0]
                ),
            )
        })
}

/// A time as unix milliseconds or an RFC 3339 string.
fn instant(d: &DrawingInput, i: usize, keys: &[&str]) -> Result<Option<i64>, AppError> {
    let Some(v) = keys.iter().find_map(|k| d.input.get(*k)) else {
        return Ok(None);
    };
    let bad = || {
        AppError::invalid(
            &format!("drawings[{i}].input.{}", keys[0]),
            format!(
                "drawings[{i}] ({}): input.{} must be unix milliseconds or an RFC 3339 time",
                d.name, keys[0]
            ),
        )
    };
    match v {
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(bad),
        Value::String(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.timestamp_millis()))
            .map_err(|_| bad()),
        _ => Err(bad()),
    }
}

fn required_instant(d: &DrawingInput, i: usize, keys: &[&str]) -> Result<i64, AppError> {
    instant(d, i, keys)?.ok_or_else(|| {
        AppError::invalid(
            &format!("drawings[{i}].input.{}", keys[0]),
            format!("drawings[{i}] ({}): input.{} is required", d.name, keys[0]),
        )
    })
}

fn color(d: &DrawingInput) -> Option<String> {
    d.overrides
        .get("linecolor")
        .or_else(|| d.overrides.get("color"))
        .or_else(|| d.overrides.get("backgroundColor"))
        .cloned()
}

fn drawing(i: usize, d: &DrawingInput) -> Result<Drawing, AppError> {
    let marker = |kind| -> Result<Drawing, AppError> {
        Ok(Drawing::Marker {
            kind,
            price: number(d, i, &["price"])?,
            t: instant(d, i, &["time", "t"])?,
        })
    };
    match d.name.trim().to_ascii_lowercase().as_str() {
        "horizontal line" | "horizontal_line" | "hline" => Ok(Drawing::HorizontalLine {
            price: number(d, i, &["price"])?,
            color: color(d),
            label: d
                .overrides
                .get("text")
                .cloned()
                .or_else(|| d.input.get("text").and_then(Value::as_str).map(String::from)),
        }),
        "trend line" | "trend_line" | "trendline" => Ok(Drawing::TrendLine {
            t1: required_instant(d, i, &["startTime", "t1"])?,
            p1: number(d, i, &["startPrice", "p1"])?,
            t2: required_instant(d, i, &["endTime", "t2"])?,
            p2: number(d, i, &["endPrice", "p2"])?,
            color: color(d),
        }),
        "rectangle" | "zone" => Ok(Drawing::Zone {
            t1: required_instant(d, i, &["startTime", "t1"])?,
            t2: required_instant(d, i, &["endTime", "t2"])?,
            p_low: number(d, i, &["low", "pLow", "bottomPrice"])?,
            p_high: number(d, i, &["high", "pHigh", "topPrice"])?,
            color: color(d),
        }),
        "entry" | "long position" | "short position" => marker(MarkerKind::Entry),
        "stop" | "stop loss" | "stoploss" => marker(MarkerKind::Stop),
        "target" | "take profit" | "takeprofit" => marker(MarkerKind::Target),
        _ => Err(AppError::invalid(
            &format!("drawings[{i}].name"),
            format!(
                "drawings[{i}]: unknown drawing '{}' (use Horizontal Line, Trend Line, Rectangle, Entry, Stop Loss or Take Profit)",
                d.name
            ),
        )),
    }
}

fn choice<T: Copy>(field: &str, raw: &str, options: &[(&str, T)]) -> Result<T, AppError> {
    let lower = raw.trim().to_ascii_lowercase();
    options
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            AppError::invalid(
                field,
                format!("{field} must be one of {}, got '{raw}'", names.join(", ")),
            )
        })
}

/// The renderer's spec for a request (bars and their source are added by the caller).
pub fn to_spec(
    req: &ChartRequest,
    interval: Interval,
    symbol: &str,
) -> Result<ChartSpec, AppError> {
    let spec = ChartSpec {
        symbol: symbol.to_string(),
        interval: interval.as_str().to_string(),
        style: choice(
            "style",
            &req.style,
            &[
                ("candles", ChartStyle::Candles),
                ("candle", ChartStyle::Candles),
                ("candlestick", ChartStyle::Candles),
                ("ohlc", ChartStyle::Ohlc),
                ("bars", ChartStyle::Ohlc),
                ("line", ChartStyle::Line),
            ],
        )?,
        theme: choice(
            "theme",
            &req.theme,
            &[("light", Theme::Light), ("dark", Theme::Dark)],
        )?,
        width: req.width,
        height: req.height,
        studies: req
            .studies
            .iter()
            .enumerate()
            .map(|(i, s)| study(i, s))
            .collect::<Result<_, _>>()?,
        drawings: req
            .drawings
            .iter()
            .enumerate()
            .map(|(i, d)| drawing(i, d))
            .collect::<Result<_, _>>()?,
        format: choice(
            "format",
            &req.format,
            &[("png", ImageFormat::Png), ("svg", ImageFormat::Svg)],
        )?,
        title: req.title.clone(),
        ..ChartSpec::default()
    };
    spec.validate()
        .map_err(|e| AppError::invalid(&e.field, e.message))?;
    Ok(spec)
}

/// The default look-back for an interval when the request gives neither range nor from.
pub fn default_range(interval: Interval) -> &'static str {
    match interval {
        Interval::M1 => "1D",
        Interval::M5 | Interval::M15 => "5D",
        Interval::H1 => "1M",
        Interval::H4 => "3M",
        Interval::D1 => "6M",
        Interval::W1 => "5Y",
    }
}

/// A range such as 7D, 2W, 6M, 1Y or ALL, as milliseconds back from the last bar (None
/// for ALL). Months are 30 days and years 365 here: a look-back, not a calendar.
pub fn range_ms(raw: &str) -> Result<Option<i64>, AppError> {
    let s = raw.trim().to_ascii_uppercase();
    if s == "ALL" || s == "MAX" {
        return Ok(None);
    }
    let bad = || {
        AppError::invalid(
            "range",
            format!("range must be a count and a unit such as 7D, 2W, 6M, 1Y, or ALL; got '{raw}'"),
        )
    };
    let unit = s.chars().last().ok_or_else(bad)?;
    let n: i64 = s[..s.len() - 1].parse().map_err(|_| bad())?;
    if !(1..=100).contains(&n) {
        return Err(bad());
    }
    let day = 86_400_000;
    let per = match unit {
        'D' => day,
        'W' => 7 * day,
        'M' => 30 * day,
        'Y' => 365 * day,
        _ => return Err(bad()),
    };
    Ok(Some(n * per))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn req() -> ChartRequest {
        ChartRequest {
            symbol: "AAPL".into(),
            ..Default::default()
        }
    }

    #[test]
    fn spec_004_names_map_to_studies_and_drawings() {
        let mut r = req();
        r.theme = "dark".into();
        r.studies = vec![
            StudyInput {
                name: "Relative Strength Index".into(),
                input: BTreeMap::from([("length".into(), 10.0)]),
                color: None,
            },
            StudyInput {
                name: "Bollinger Bands".into(),
                input: BTreeMap::from([("period".into(), 20.0), ("stddev".into(), 2.0)]),
                color: None,
            },
        ];
        r.drawings = vec![DrawingInput {
            name: "Horizontal Line".into(),
            input: BTreeMap::from([("price".into(), serde_json::json!(107418))]),
            overrides: BTreeMap::from([
                ("linecolor".into(), "#f23645".into()),
                ("text".into(), "Resistance".into()),
            ]),
        }];
        let spec = to_spec(&r, Interval::D1, "AAPL").expect("spec");
        assert_eq!(spec.theme, Theme::Dark);
        assert_eq!(spec.studies[0].name, "rsi");
        assert_eq!(spec.studies[0].params.get("period"), Some(&10.0));
        assert_eq!(spec.studies[1].name, "bbands");
        assert_eq!(
            spec.drawings[0],
            Drawing::HorizontalLine {
                price: 107418.0,
                color: Some("#f23645".into()),
                label: Some("Resistance".into())
            }
        );
    }

    #[test]
    fn errors_name_the_field() {
        let mut r = req();
        r.studies = vec![StudyInput {
            name: "Ichimoku".into(),
            input: BTreeMap::new(),
            color: None,
        }];
        let e = to_spec(&r, Interval::D1, "AAPL").expect_err("unknown study");
        assert_eq!(e.field(), Some("studies[0].name"));
        let mut r = req();
        r.theme = "neon".into();
        let e = to_spec(&r, Interval::D1, "AAPL").expect_err("theme");
        assert_eq!(e.message, "theme must be one of light, dark, got 'neon'");
        let mut r = req();
        r.drawings = vec![DrawingInput {
            name: "Trend Line".into(),
            input: BTreeMap::from([("startPrice".into(), serde_json::json!(1))]),
            overrides: BTreeMap::new(),
        }];
        let e = to_spec(&r, Interval::D1, "AAPL").expect_err("no time");
        assert_eq!(
            e.message,
            "drawings[0] (Trend Line): input.startTime is required"
        );
        let mut r = req();
        r.width = 10;
        assert_eq!(
            to_spec(&r, Interval::D1, "AAPL")
                .expect_err("width")
                .field(),
            Some("width")
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(range_ms("7D").expect("7D"), Some(7 * 86_400_000));
        assert_eq!(range_ms("1y").expect("1y"), Some(365 * 86_400_000));
        assert_eq!(range_ms("ALL").expect("all"), None);
        for bad in ["", "D", "0D", "7X", "1000D", "-1M"] {
            assert!(range_ms(bad).is_err(), "{bad}");
        }
    }
}
