//! What the market-data, indicator and chart APIs send over the wire (REST and server
//! functions). Field names follow spec 004 (camelCase) where it defines them; times are
//! RFC 3339 UTC; bar times inside `bars` are unix milliseconds like the indicator API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A bar on the wire: `t` is the bar's open time in unix milliseconds (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarView {
    pub t: i64,
    pub o: f64,
    pub h: f64,
    pub l: f64,
    pub c: f64,
    #[serde(default)]
    pub v: f64,
}

impl From<indicators::Bar> for BarView {
    fn from(b: indicators::Bar) -> Self {
        Self {
            t: b.t,
            o: b.o,
            h: b.h,
            l: b.l,
            c: b.c,
            v: b.v,
        }
    }
}

impl From<BarView> for indicators::Bar {
    fn from(b: BarView) -> Self {
        indicators::Bar::new(b.t, b.o, b.h, b.l, b.c, b.v)
    }
}

fn no_adjustment() -> String {
    "none".into()
}

/// `GET /market/bars`: the bars and where they came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarsView {
    pub symbol: String,
    pub interval: String,
    /// sample, import, polygon, alphavantage or simulated.
    pub source: String,
    /// True when the bars were aggregated from a finer interval.
    pub aggregated: bool,
    /// none, splits (split-adjusted) or all (splits and dividends: total return).
    #[serde(default = "no_adjustment")]
    pub adjust: String,
    /// Shown wherever the data shows (attribution of the built-in data, "simulated").
    pub note: Option<String>,
    pub bars: Vec<BarView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SymbolView {
    pub symbol: String,
    pub interval: String,
    pub source: String,
    /// Built-in data every workspace reads (else imported into this workspace).
    pub shared: bool,
    pub bars: i64,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

/// `GET /market/actions`: one cash dividend or split of a symbol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionView {
    /// Ex-date, YYYY-MM-DD.
    pub date: String,
    /// dividend or split.
    #[serde(rename = "type")]
    pub kind: String,
    /// A dividend's cash per share, or a split's new shares per old share ("2" for 2:1).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub value: rust_decimal::Decimal,
    /// sample (built in) or import.
    pub source: String,
    #[serde(rename = "builtIn")]
    pub built_in: bool,
}

/// `POST /market/actions/import`: what was stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionsImported {
    pub symbol: String,
    pub imported: u64,
    pub dividends: u64,
    pub splits: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BarsImported {
    pub symbol: String,
    pub interval: String,
    pub bars: u64,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
}

/// One study of a chart request, as spec 004 writes it: `{"name": "Relative Strength
/// Index", "input": {"period": 14}}`. Short names (`rsi`, `bbands`, ...) work too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StudyInput {
    pub name: String,
    #[serde(default)]
    pub input: BTreeMap<String, f64>,
    /// `#rrggbb`; a palette colour by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// One drawing, as spec 004 writes it: `{"name": "Horizontal Line", "input": {"price":
/// 107418}, "override": {"linecolor": "#f23645", "text": "Resistance"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DrawingInput {
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub input: BTreeMap<String, serde_json::Value>,
    #[serde(default, rename = "override")]
    pub overrides: BTreeMap<String, String>,
}

fn default_interval() -> String {
    "1D".into()
}
fn default_theme() -> String {
    "light".into()
}
fn default_style() -> String {
    "candles".into()
}
fn default_format() -> String {
    "png".into()
}
fn default_width() -> u32 {
    1200
}
fn default_height() -> u32 {
    675
}

/// `POST /charts/generate`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChartRequest {
    pub symbol: String,
    /// 1m, 5m, 15m, 1h, 4h, 1D or 1W.
    #[serde(default = "default_interval")]
    pub interval: String,
    /// How far back from the last bar: 7D, 1M, 3M, 6M, 1Y, 2Y, 5Y or ALL (default 6M).
    /// Ignored when `from` is given.
    #[serde(default)]
    pub range: Option<String>,
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub to: Option<DateTime<Utc>>,
    /// light or dark.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// candles, ohlc or line.
    #[serde(default = "default_style")]
    pub style: String,
    #[serde(default = "default_width")]
    pub width: u32,
    #[serde(default = "default_height")]
    pub height: u32,
    /// png or svg.
    #[serde(default = "default_format")]
    pub format: String,
    #[serde(default)]
    pub studies: Vec<StudyInput>,
    #[serde(default)]
    pub drawings: Vec<DrawingInput>,
    #[serde(default)]
    pub title: Option<String>,
}

impl Default for ChartRequest {
    fn default() -> Self {
        Self {
            symbol: String::new(),
            interval: default_interval(),
            range: None,
            from: None,
            to: None,
            theme: default_theme(),
            style: default_style(),
            width: default_width(),
            height: default_height(),
            format: default_format(),
            studies: Vec::new(),
            drawings: Vec::new(),
            title: None,
        }
    }
}

/// Usage of one kind of work in the current month.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuotaView {
    pub used: i64,
    /// None: unlimited.
    pub limit: Option<i64>,
    pub remaining: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChartMetadata {
    /// PNG or SVG.
    pub format: String,
    pub width: i64,
    pub height: i64,
    /// "1200x675", as spec 004 writes it.
    pub resolution: String,
    pub generated_at: DateTime<Utc>,
    pub bars: i64,
    pub data_source: String,
    pub render_ms: i64,
}

/// `POST /charts/generate` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GeneratedChart {
    pub chart_id: Uuid,
    pub url: String,
    pub metadata: ChartMetadata,
    pub quota: QuotaView,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChartSummary {
    pub id: Uuid,
    pub symbol: String,
    pub interval: String,
    pub url: String,
    /// ready (or failed).
    pub status: String,
    pub format: String,
    pub width: i64,
    pub height: i64,
    pub data_source: String,
    pub created_at: DateTime<Utc>,
    pub analyses_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChartPage {
    pub charts: Vec<ChartSummary>,
    pub pagination: ChartPagination,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChartPagination {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub has_more: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChartDetail {
    pub chart: ChartSummary,
    pub config: ChartRequest,
    pub analyses: Vec<AnalysisSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AnalysisSummary {
    pub id: Uuid,
    pub recommendation: String,
    pub confidence: u8,
    pub model: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KeyLevelsView {
    pub support: Vec<f64>,
    pub resistance: Vec<f64>,
}

/// The analysis of spec 004.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AnalysisView {
    /// bullish, bearish or sideways.
    pub trend: String,
    pub signals: Vec<String>,
    /// LONG, SHORT or NEUTRAL.
    pub recommendation: String,
    pub entry_price: Option<f64>,
    pub stop_loss: Option<f64>,
    pub take_profit: Option<f64>,
    /// 1 to 10.
    pub confidence: u8,
    pub risk_reward_ratio: Option<f64>,
    pub analysis_text: String,
    pub key_levels: KeyLevelsView,
    /// The technical rating, -1 (strong sell) to 1 (strong buy), when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AnalysisMetadata {
    pub model: String,
    /// Seconds.
    pub processing_time: f64,
    /// Tokens the LLM analyst used, when one answered and its vendor reported usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_used: Option<i64>,
    /// Why the requested analyst was not used, when it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnalyzeRequest {
    #[serde(default)]
    pub prompt: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// `POST /charts/{id}/analyze` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AnalysisResult {
    pub analysis_id: Uuid,
    pub chart_id: Uuid,
    pub analysis: AnalysisView,
    pub metadata: AnalysisMetadata,
    pub quota: QuotaView,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuotaKinds {
    pub charts: QuotaView,
    pub analyses: QuotaView,
    #[serde(rename = "resetAt")]
    pub reset_at: DateTime<Utc>,
}

/// `GET /user/quota`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QuotaReport {
    pub quota: QuotaKinds,
    pub plan: String,
}

/// `POST /indicators`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IndicatorRequest {
    pub bars: Vec<BarView>,
    pub indicators: Vec<IndicatorSpec>,
    /// talib (default) or tradingview.
    #[serde(default)]
    pub convention: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IndicatorSpec {
    pub name: String,
    #[serde(default)]
    pub params: BTreeMap<String, f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeriesView {
    pub name: String,
    pub output: String,
    pub params: BTreeMap<String, f64>,
    /// Aligned with the bars; null during warm-up.
    pub values: Vec<Option<f64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IndicatorResult {
    pub series: Vec<SeriesView>,
}

/// A saved chart configuration (spec 004's templates).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    pub id: Uuid,
    pub name: String,
    pub config: ChartRequest,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewTemplate {
    pub name: String,
    /// The chart request to reuse; its symbol is only a default.
    pub config: ChartRequest,
}

/// `POST /charts/bulk`: one chart per symbol of a watchlist, from a config or a template.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkRequest {
    pub symbols: Vec<String>,
    #[serde(default)]
    pub config: Option<ChartRequest>,
    #[serde(default)]
    pub template_id: Option<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkItem {
    pub symbol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<GeneratedChart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub error: Option<crate::error::AppError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkResult {
    pub results: Vec<BulkItem>,
    pub generated: usize,
    pub failed: usize,
}

fn default_sim_symbol() -> String {
    "SIM".into()
}
fn default_sim_bars() -> usize {
    500
}
fn default_sim_price() -> f64 {
    100.0
}
fn default_sim_sigma() -> f64 {
    0.25
}

/// `POST /market/simulate`: seeded bars (GBM with jumps) stored in the workspace with the
/// source "simulated", which every chart and reply of them says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SimulateRequest {
    #[serde(default = "default_sim_symbol")]
    pub symbol: String,
    #[serde(default = "default_interval")]
    pub interval: String,
    #[serde(default = "default_sim_bars")]
    pub bars: usize,
    #[serde(default)]
    pub seed: u64,
    #[serde(default = "default_sim_price")]
    pub start_price: f64,
    /// Drift per year.
    #[serde(default)]
    pub mu: f64,
    /// Volatility per √year.
    #[serde(default = "default_sim_sigma")]
    pub sigma: f64,
    /// Jumps per year.
    #[serde(default)]
    pub jump_lambda: f64,
    #[serde(default)]
    pub jump_mean: f64,
    #[serde(default)]
    pub jump_std: f64,
    /// First bar's open time (default 2024-01-01T00:00:00Z).
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
}

/// `POST /market/bars/fetch`: bars from the configured vendor into the workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FetchRequest {
    pub symbol: String,
    #[serde(default = "default_interval")]
    pub interval: String,
    /// First day (inclusive).
    pub from: chrono::NaiveDate,
    /// Last day (inclusive).
    pub to: chrono::NaiveDate,
}
