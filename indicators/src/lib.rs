//! Technical indicators for Refract: pure functions and small state machines,
//! no I/O, no clock, no threads; builds for `wasm32-unknown-unknown`.
//!
//! (Full documentation below is filled in with the verification results.)

mod bar;
mod error;
pub mod levels;
pub mod ma;
pub mod momentum;
mod study;
pub mod trend;
pub mod volatility;
pub mod volume;

pub use bar::{Bar, Convention, Indicator, Session};
pub use error::{IndicatorError, MAX_PERIOD};
pub use levels::{
    pivot_levels, pivots, session_pivots, support_resistance, swing_points, Level, LevelKind, PivotKind,
    PivotLevels, SrConfig, SwingPoint,
};
pub use ma::{ema, sma, wma, Ema, Sma, Wma};
pub use momentum::{macd, rsi, stoch, Macd, MacdPoint, MacdSeries, Rsi, Stoch, StochPoint, StochSeries};
pub use study::{compute, Series, Study, StudyInfo, StudySpec, CATALOGUE};
pub use trend::{adx, Adx, AdxPoint, AdxSeries};
pub use volatility::{atr, bbands, true_range, Atr, Bbands, BbandsPoint, BbandsSeries};
pub use volume::{obv, vwap, vwap_with_resets, Obv, Vwap};
