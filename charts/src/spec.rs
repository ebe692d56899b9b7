//! What to draw: [`ChartSpec`] and its parts, as the REST API sends them
//! (camelCase JSON), and [`ChartSpec::validate`].

use std::collections::BTreeMap;
use std::fmt;

use indicators::{Study, StudySpec, CATALOGUE};
use serde::{Deserialize, Serialize};

/// Smallest and largest accepted image sizes, in pixels.
pub const MIN_WIDTH: u32 = 320;
pub const MAX_WIDTH: u32 = 3840;
pub const MIN_HEIGHT: u32 = 240;
pub const MAX_HEIGHT: u32 = 2160;
/// At most this many studies (overlays and panes together, volume included).
pub const MAX_STUDIES: usize = 8;
/// At most this many panes below the price pane.
pub const MAX_LOWER_PANES: usize = 4;
/// At most this many drawings.
pub const MAX_DRAWINGS: usize = 50;
/// At most this many bars per chart.
pub const MAX_BARS: usize = 20_000;

const MAX_SYMBOL_CHARS: usize = 40;
const MAX_INTERVAL_CHARS: usize = 16;
const MAX_TEXT_CHARS: usize = 120;
const MAX_LABEL_CHARS: usize = 60;
const MAX_UTC_OFFSET_MINUTES: i32 = 14 * 60;

/// How bars are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChartStyle {
    /// Candlesticks: wick from low to high, body from open to close.
    #[default]
    Candles,
    /// OHLC bars: a vertical range with open tick left and close tick right.
    Ohlc,
    /// A line through the closes.
    Line,
}

/// Colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImageFormat {
    #[default]
    Png,
    Svg,
}

impl ImageFormat {
    /// The HTTP `Content-Type` of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Svg => "svg",
        }
    }
}

/// Where a study is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Placement {
    /// On the price pane, in price units.
    Overlay,
    /// In its own pane below the price pane.
    Pane,
}

/// The studies a chart can show: the indicators crate's catalogue plus the
/// pseudo-study `volume`.
pub const STUDY_NAMES: &[&str] = &[
    "volume", "sma", "ema", "wma", "bbands", "vwap", "rsi", "macd", "stoch", "atr", "adx", "obv",
];

/// Where the study called `name` goes, `None` for an unknown name.
pub fn placement(name: &str) -> Option<Placement> {
    match name {
        "sma" | "ema" | "wma" | "bbands" | "vwap" => Some(Placement::Overlay),
        "volume" | "rsi" | "macd" | "stoch" | "atr" | "adx" | "obv" => Some(Placement::Pane),
        _ => None,
    }
}

/// One study on the chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StudyRequest {
    /// A name from [`STUDY_NAMES`].
    pub name: String,
    /// Parameters by name; omitted ones take the catalogue's defaults.
    #[serde(default)]
    pub params: BTreeMap<String, f64>,
    /// Line colour as `#rrggbb`; a palette colour when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

impl StudyRequest {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    pub fn with(mut self, param: impl Into<String>, value: f64) -> Self {
        self.params.insert(param.into(), value);
        self
    }

    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// The legend label, e.g. `EMA 20`, `BB 20 2`, `MACD 12 26 9`, with
    /// omitted parameters at their defaults.
    pub fn label(&self) -> String {
        let short = match self.name.as_str() {
            "volume" => return "Volume".to_owned(),
            "vwap" => return "VWAP".to_owned(),
            "obv" => return "OBV".to_owned(),
            "bbands" => "BB",
            "stoch" => "Stoch",
            other => return self.label_with(&other.to_ascii_uppercase()),
        };
        self.label_with(short)
    }

    fn label_with(&self, short: &str) -> String {
        let mut label = short.to_owned();
        if let Some(info) = CATALOGUE.iter().find(|i| i.name == self.name) {
            for (param, default) in info.params {
                let v = self.params.get(*param).copied().unwrap_or(*default);
                label.push(' ');
                label.push_str(&format_param(v));
            }
        }
        label
    }

    pub(crate) fn study_spec(&self) -> StudySpec {
        StudySpec {
            name: self.name.clone(),
            params: self.params.clone(),
        }
    }
}

fn format_param(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Trade levels drawn by [`Drawing::Marker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MarkerKind {
    Entry,
    Stop,
    Target,
}

impl MarkerKind {
    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::Entry => "Entry",
            MarkerKind::Stop => "Stop",
            MarkerKind::Target => "Target",
        }
    }
}

/// Something drawn over the price pane. Times are unix milliseconds (UTC),
/// placed between bars by interpolation and past the last bar by the mean
/// bar spacing. Everything is clipped to the price pane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Drawing {
    /// A level across the pane with an optional label and a price tag.
    HorizontalLine {
        price: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        color: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    /// A segment from `(t1, p1)` to `(t2, p2)`.
    TrendLine {
        t1: i64,
        p1: f64,
        t2: i64,
        p2: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        color: Option<String>,
    },
    /// A translucent rectangle between two times and two prices.
    Zone {
        t1: i64,
        t2: i64,
        #[serde(rename = "pLow")]
        p_low: f64,
        #[serde(rename = "pHigh")]
        p_high: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        color: Option<String>,
    },
    /// An entry, stop or target level; from time `t` on when given.
    Marker {
        kind: MarkerKind,
        price: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        t: Option<i64>,
    },
}

/// Everything about a chart except its bars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ChartSpec {
    pub symbol: String,
    /// A label such as `1D` or `15m`; the time axis reads the bars' times.
    pub interval: String,
    pub style: ChartStyle,
    pub theme: Theme,
    pub width: u32,
    pub height: u32,
    pub studies: Vec<StudyRequest>,
    pub drawings: Vec<Drawing>,
    pub format: ImageFormat,
    /// Replaces the `SYMBOL · INTERVAL` title line when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Draws a visible "SIMULATED DATA" badge and watermark.
    pub simulated: bool,
    /// Small text in the top-right corner, e.g. a data attribution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_note: Option<String>,
    /// Time-axis labels are shown at UTC plus this many minutes (e.g. -240
    /// for New York in summer); the caller knows the exchange's zone.
    pub utc_offset_minutes: i32,
}

impl Default for ChartSpec {
    fn default() -> Self {
        Self {
            symbol: String::new(),
            interval: String::new(),
            style: ChartStyle::default(),
            theme: Theme::default(),
            width: 1200,
            height: 675,
            studies: Vec::new(),
            drawings: Vec::new(),
            format: ImageFormat::default(),
            title: None,
            simulated: false,
            source_note: None,
            utc_offset_minutes: 0,
        }
    }
}

/// Why a [`ChartSpec`] was rejected: the offending field (a JSON-ish path
/// such as `studies[2].color`) and a sentence saying what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub field: String,
    pub message: String,
}

impl SpecError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SpecError {}

impl ChartSpec {
    /// A spec for `symbol` at `interval` with every other field at its default.
    pub fn new(symbol: impl Into<String>, interval: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            interval: interval.into(),
            ..Self::default()
        }
    }

    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<(), SpecError> {
        let symbol = self.symbol.trim();
        if symbol.is_empty() {
            return Err(SpecError::new("symbol", "symbol must not be empty"));
        }
        check_len("symbol", &self.symbol, MAX_SYMBOL_CHARS)?;
        check_len("interval", &self.interval, MAX_INTERVAL_CHARS)?;
        if !(MIN_WIDTH..=MAX_WIDTH).contains(&self.width) {
            return Err(SpecError::new(
                "width",
                format!(
                    "width must be between {MIN_WIDTH} and {MAX_WIDTH} pixels, got {}",
                    self.width
                ),
            ));
        }
        if !(MIN_HEIGHT..=MAX_HEIGHT).contains(&self.height) {
            return Err(SpecError::new(
                "height",
                format!(
                    "height must be between {MIN_HEIGHT} and {MAX_HEIGHT} pixels, got {}",
                    self.height
                ),
            ));
        }
        if let Some(title) = &self.title {
            check_len("title", title, MAX_TEXT_CHARS)?;
        }
        if let Some(note) = &self.source_note {
            check_len("sourceNote", note, MAX_TEXT_CHARS)?;
        }
        if self.utc_offset_minutes.abs() > MAX_UTC_OFFSET_MINUTES {
            return Err(SpecError::new(
                "utcOffsetMinutes",
                format!(
                    "utcOffsetMinutes must be between -{m} and {m}, got {}",
                    self.utc_offset_minutes,
                    m = MAX_UTC_OFFSET_MINUTES
                ),
            ));
        }
        self.validate_studies()?;
        self.validate_drawings()
    }

    fn validate_studies(&self) -> Result<(), SpecError> {
        if self.studies.len() > MAX_STUDIES {
            return Err(SpecError::new(
                "studies",
                format!(
                    "at most {MAX_STUDIES} studies are allowed, got {}",
                    self.studies.len()
                ),
            ));
        }
        let mut panes = 0;
        for (i, s) in self.studies.iter().enumerate() {
            let field = format!("studies[{i}]");
            match placement(&s.name) {
                None => {
                    return Err(SpecError::new(
                        format!("{field}.name"),
                        format!(
                            "{field}.name: unknown study `{}` (expected one of {})",
                            s.name,
                            STUDY_NAMES.join(", ")
                        ),
                    ))
                }
                Some(Placement::Pane) => panes += 1,
                Some(Placement::Overlay) => {}
            }
            if s.name == "volume" {
                if let Some(p) = s.params.keys().next() {
                    return Err(SpecError::new(
                        format!("{field}.params"),
                        format!("{field}.params: volume takes no parameters, got `{p}`"),
                    ));
                }
            } else if let Err(e) = Study::from_spec(&s.study_spec()) {
                return Err(SpecError::new(
                    format!("{field}.params"),
                    format!("{field}.params: {e}"),
                ));
            }
            if let Some(c) = &s.color {
                check_color(&format!("{field}.color"), c)?;
            }
        }
        if panes > MAX_LOWER_PANES {
            return Err(SpecError::new(
                "studies",
                format!(
                    "at most {MAX_LOWER_PANES} lower panes are allowed (volume, rsi, macd, stoch, atr, adx, obv), got {panes}"
                ),
            ));
        }
        Ok(())
    }

    fn validate_drawings(&self) -> Result<(), SpecError> {
        if self.drawings.len() > MAX_DRAWINGS {
            return Err(SpecError::new(
                "drawings",
                format!(
                    "at most {MAX_DRAWINGS} drawings are allowed, got {}",
                    self.drawings.len()
                ),
            ));
        }
        for (i, d) in self.drawings.iter().enumerate() {
            let field = format!("drawings[{i}]");
            let (prices, color): (Vec<(&str, f64)>, &Option<String>) = match d {
                Drawing::HorizontalLine {
                    price,
                    color,
                    label,
                } => {
                    if let Some(label) = label {
                        check_len(&format!("{field}.label"), label, MAX_LABEL_CHARS)?;
                    }
                    (vec![("price", *price)], color)
                }
                Drawing::TrendLine {
                    p1,
                    p2,
                    color,
                    t1,
                    t2,
                    ..
                } => {
                    if t1 == t2 && p1 == p2 {
                        return Err(SpecError::new(
                            field.clone(),
                            format!("{field}: a trend line needs two distinct points"),
                        ));
                    }
                    (vec![("p1", *p1), ("p2", *p2)], color)
                }
                Drawing::Zone {
                    p_low,
                    p_high,
                    color,
                    ..
                } => {
                    if p_low.is_finite() && p_high.is_finite() && p_low > p_high {
                        return Err(SpecError::new(
                            format!("{field}.pLow"),
                            format!("{field}.pLow ({p_low}) must not exceed pHigh ({p_high})"),
                        ));
                    }
                    (vec![("pLow", *p_low), ("pHigh", *p_high)], color)
                }
                Drawing::Marker { price, .. } => (vec![("price", *price)], &None),
            };
            for (name, v) in prices {
                if !v.is_finite() {
                    return Err(SpecError::new(
                        format!("{field}.{name}"),
                        format!("{field}.{name} must be a finite number, got {v}"),
                    ));
                }
            }
            if let Some(c) = color {
                check_color(&format!("{field}.color"), c)?;
            }
        }
        Ok(())
    }

    /// The studies drawn in their own panes, in request order.
    pub fn lower_panes(&self) -> impl Iterator<Item = &StudyRequest> {
        self.studies
            .iter()
            .filter(|s| placement(&s.name) == Some(Placement::Pane))
    }
}

fn check_len(field: &str, value: &str, max: usize) -> Result<(), SpecError> {
    let n = value.chars().count();
    if n > max {
        return Err(SpecError::new(
            field,
            format!("{field} must be at most {max} characters, got {n}"),
        ));
    }
    Ok(())
}

fn check_color(field: &str, value: &str) -> Result<(), SpecError> {
    if parse_hex_color(value).is_none() {
        return Err(SpecError::new(
            field,
            format!("{field} must be a #rrggbb colour, got {value:?}"),
        ));
    }
    Ok(())
}

/// Parses `#rrggbb` (case-insensitive).
pub fn parse_hex_color(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ChartSpec {
        ChartSpec::new("AAPL", "1D")
    }

    fn err(s: &ChartSpec) -> String {
        match s.validate() {
            Err(e) => e.to_string(),
            Ok(()) => "ok".to_owned(),
        }
    }

    #[test]
    fn default_spec_is_valid() {
        assert_eq!(spec().validate(), Ok(()));
    }

    #[test]
    fn sizes_are_checked() {
        let mut s = spec();
        s.width = 100;
        assert_eq!(
            err(&s),
            "width must be between 320 and 3840 pixels, got 100"
        );
        s.width = 1200;
        s.height = 5000;
        assert_eq!(
            err(&s),
            "height must be between 240 and 2160 pixels, got 5000"
        );
    }

    #[test]
    fn symbol_is_required() {
        let mut s = spec();
        s.symbol = "  ".into();
        assert_eq!(err(&s), "symbol must not be empty");
    }

    #[test]
    fn studies_are_checked() {
        let mut s = spec();
        s.studies = vec![StudyRequest::new("foo")];
        assert!(err(&s)
            .starts_with("studies[0].name: unknown study `foo` (expected one of volume, sma"));
        s.studies = vec![StudyRequest::new("rsi").with("period", 1.0)];
        assert!(err(&s).starts_with("studies[0].params: rsi: `period` = 1 is invalid"));
        s.studies = vec![StudyRequest::new("ema").color("red")];
        assert_eq!(
            err(&s),
            "studies[0].color must be a #rrggbb colour, got \"red\""
        );
        s.studies = vec![StudyRequest::new("volume").with("period", 3.0)];
        assert_eq!(
            err(&s),
            "studies[0].params: volume takes no parameters, got `period`"
        );
        s.studies = ["volume", "rsi", "macd", "stoch", "atr"]
            .iter()
            .map(|n| StudyRequest::new(*n))
            .collect();
        assert_eq!(
            err(&s),
            "at most 4 lower panes are allowed (volume, rsi, macd, stoch, atr, adx, obv), got 5"
        );
        s.studies = vec![StudyRequest::new("sma"); 9];
        assert_eq!(err(&s), "at most 8 studies are allowed, got 9");
    }

    #[test]
    fn drawings_are_checked() {
        let mut s = spec();
        s.drawings = vec![Drawing::Zone {
            t1: 0,
            t2: 1,
            p_low: 10.0,
            p_high: 5.0,
            color: None,
        }];
        assert_eq!(err(&s), "drawings[0].pLow (10) must not exceed pHigh (5)");
        s.drawings = vec![Drawing::HorizontalLine {
            price: f64::NAN,
            color: None,
            label: None,
        }];
        assert_eq!(
            err(&s),
            "drawings[0].price must be a finite number, got NaN"
        );
    }

    #[test]
    fn labels_use_defaults() {
        assert_eq!(StudyRequest::new("ema").label(), "EMA 20");
        assert_eq!(StudyRequest::new("bbands").label(), "BB 20 2");
        assert_eq!(
            StudyRequest::new("bbands").with("stddev", 2.5).label(),
            "BB 20 2.5"
        );
        assert_eq!(StudyRequest::new("macd").label(), "MACD 12 26 9");
        assert_eq!(StudyRequest::new("stoch").label(), "Stoch 14 3 3");
        assert_eq!(
            StudyRequest::new("rsi").with("period", 7.0).label(),
            "RSI 7"
        );
        assert_eq!(StudyRequest::new("volume").label(), "Volume");
    }

    #[test]
    fn json_is_camel_case() {
        let json = r##"{
            "symbol": "AAPL", "interval": "1D", "style": "ohlc", "theme": "dark",
            "studies": [{"name": "ema", "params": {"period": 50}, "color": "#ff9800"}],
            "drawings": [
                {"type": "horizontalLine", "price": 101.5, "label": "R1"},
                {"type": "zone", "t1": 0, "t2": 10, "pLow": 1, "pHigh": 2},
                {"type": "marker", "kind": "stop", "price": 95}
            ],
            "format": "svg", "simulated": true, "sourceNote": "Data: test"
        }"##;
        let s: ChartSpec = serde_json::from_str(json).expect("parses");
        assert_eq!(s.width, 1200);
        assert_eq!(s.style, ChartStyle::Ohlc);
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(s.format, ImageFormat::Svg);
        assert_eq!(s.source_note.as_deref(), Some("Data: test"));
        assert_eq!(s.drawings.len(), 3);
        assert_eq!(s.validate(), Ok(()));
        let back = serde_json::to_string(&s).expect("serializes");
        assert!(back.contains("\"sourceNote\""));
        assert!(back.contains("\"pLow\""));
        assert!(back.contains("\"horizontalLine\""));
        assert!(serde_json::from_str::<ChartSpec>(r#"{"symbol":"A","widht":3}"#).is_err());
    }
}
