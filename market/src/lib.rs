//! Market data without I/O.
//!
//! What is here:
//!
//! * [`actions`]: corporate actions (cash dividends, splits), their CSV import and the
//!   split / total-return adjustment of a bar series.
//! * [`interval`]: the chart intervals (`1m` … `1W`) with their wire strings.
//! * [`resample`]: aggregation of sorted bars into a coarser interval (UTC buckets,
//!   ISO weeks starting Monday 00:00 UTC).
//! * [`csv_bars`]: an all-or-nothing parser for bar CSV files uploaded by users, with
//!   per-line error messages.
//! * [`vendor`]: pure decoders for the JSON of Polygon.io aggregates and Alpha Vantage
//!   `TIME_SERIES_DAILY`, plus the request paths to fetch them. The HTTP client lives
//!   elsewhere.
//! * [`sample`]: the built-in real daily data set (AAPL, IBM, MSFT, GOOG, FB up to
//!   2013-03-01, public domain Quandl WIKI prices via `bokeh-sampledata`).
//! * [`simulate`]: a seeded GBM + Merton-jump price simulator. Its output must always
//!   be labelled "simulated" wherever it is shown.
//!
//! Why `f64`: bar prices feed the `f64` indicators crate and charts; no money is booked
//! from them (the journal uses `rust_decimal` for that).
//!
//! The no-I/O rule: nothing in this crate touches files, the network, the clock or
//! threads, so it compiles and behaves the same natively and on
//! `wasm32-unknown-unknown`. Callers pass bytes and strings in and get values out.

pub mod actions;
pub mod csv_bars;
pub mod interval;
pub mod resample;
pub mod sample;
pub mod simulate;
pub mod vendor;

pub use actions::{
    adjust, parse_actions_csv, ActionKind, ActionsCsvError, Adjust, CorporateAction,
};
pub use csv_bars::{
    check_bar, parse_bars_csv, parse_time, validate_symbol, CsvBarsError, ParsedBars, ParsedSeries,
    RowError,
};
pub use indicators::Bar;
pub use interval::{Interval, ParseIntervalError};
pub use resample::aggregate;
pub use sample::{
    sample_actions, sample_daily, SAMPLE_ATTRIBUTION, SAMPLE_DAILY_GZ, SAMPLE_SPLITS,
};
pub use simulate::{simulate, SimParams};
pub use vendor::{
    alpha_vantage_daily_query, decode_alpha_vantage_daily, decode_polygon_aggs, polygon_aggs_path,
    VendorError,
};

/// A named series of bars at one interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SymbolBars {
    pub symbol: String,
    pub interval: Interval,
    pub bars: Vec<Bar>,
}

/// Errors of the interval, resampling, sample and simulation functions.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarketError {
    #[error(transparent)]
    Interval(#[from] ParseIntervalError),
    #[error("cannot aggregate {from} bars to {to}: the target interval must be the same as or coarser than the source")]
    CannotAggregate { from: Interval, to: Interval },
    #[error("bars must be sorted strictly ascending by time: bar {index} has t={t}, which is not after the previous bar's t={prev}")]
    Unsorted { index: usize, t: i64, prev: i64 },
    #[error("invalid simulation parameter: {0}")]
    InvalidParam(String),
    #[error("simulated price left the representable range at bar {0} (parameters too extreme)")]
    SimulationOverflow(usize),
    #[error("built-in sample data is corrupt: {0}")]
    Sample(String),
}
