//! Technical indicators for Refract: pure functions and small state machines,
//! no I/O, no clock, no threads; builds for `wasm32-unknown-unknown`.
//!
//! # Shape
//!
//! Every indicator has a **streaming** form, a struct implementing
//! [`Indicator`] (`next(input) -> Option<output>`, `None` while warming up),
//! and a **batch** form, a function from a slice to one `Vec<Option<f64>>`
//! per output line, aligned with the input (one entry per bar). The batch
//! functions run the streaming structs, so the two give the same bits
//! (tests/streaming.rs checks it on real series anyway, including `reset` and
//! clones taken mid-stream).
//!
//! | family | batch | streaming | input |
//! |---|---|---|---|
//! | [`ma`] | [`sma`], [`ema`], [`wma`] | [`Sma`], [`Ema`], [`Wma`] | closes |
//! | [`momentum`] | [`rsi`], [`macd`], [`stoch`] | [`Rsi`], [`Macd`], [`Stoch`] | closes; bars for stoch |
//! | [`volatility`] | [`atr`], [`bbands`] | [`Atr`], [`Bbands`] | bars; closes for bbands |
//! | [`trend`] | [`adx`] (+DI, -DI) | [`Adx`] | bars |
//! | [`volume`] | [`obv`], [`vwap`], [`vwap_with_resets`] | [`Obv`], [`Vwap`] | bars |
//! | [`levels`] | [`pivots`], [`session_pivots`], [`support_resistance`] | — | bars |
//!
//! Callers holding a study name and parameters (REST, browser) use
//! [`compute`]`(bars, &StudySpec, Convention) -> Vec<Series>`; [`CATALOGUE`]
//! lists names, parameters, defaults and output lines. Invalid parameters are
//! [`IndicatorError`]s with the study, parameter, value and rule; too few bars
//! is not an error (all `None`).
//!
//! # Conventions
//!
//! [`Convention::TaLib`] (the default) reproduces TA-Lib's C library with its
//! default settings: unstable period 0 and default (not Metastock)
//! compatibility, which gives the lookbacks below, EMA seeded with the SMA of
//! its first `period` values, Wilder smoothing seeded with a plain mean, and
//! TA-Lib's order of floating-point operations (running sums, `(x - prev) * k
//! + prev`, ...). [`Convention::TradingView`] follows Pine Script's built-ins
//! (v5/v6 `ta.*` and the built-in indicator scripts) where they differ:
//!
//! | indicator | TA-Lib | TradingView |
//! |---|---|---|
//! | ATR | TR from bar 1; first ATR at bar `n` = mean TR of bars 1..=n | `ta.rma(ta.tr(true), n)`: TR of bar 0 = high - low; first ATR at bar `n-1` = mean TR of bars 0..n |
//! | MACD | fast EMA seeded at bar `slow-1` with the SMA of bars `slow-fast..slow`; all lines from bar `slow+signal-2` | each `ta.ema` seeded with the SMA of its own first bars; MACD line from bar `slow-1`, signal/hist from `slow+signal-2` |
//! | OBV | starts at bar 0's volume | starts at 0 (`ta.cum`) |
//! | ADX/DMI | TR/DM smoothed as Wilder *sums* seeded with bars 1..n-1 | `ta.rma` *averages* seeded with the SMA of bars 1..=n (DI values differ early on, converge later) |
//! | RSI | `100 * g / (g + l)`, 0 when both ~0 | `100 - 100 / (1 + g / l)`, 100 when `l == 0` |
//! | Stochastic | %K and %D from bar `k+ks+d-3` | %K `d-1` bars earlier |
//! | EMA/RSI/ATR updates | `(x - p) * k + p`, `(p * (n-1) + x) / n` | `k * x + (1 - k) * p` |
//!
//! Pine's `ta.ema` is documented as seeded with `ta.sma(src, length)` (the
//! v5/v6 reference's `pine_ema`), so TradingView-mode EMAs start at bar
//! `period - 1` exactly like TA-Lib's; the two differ only by rounding. SMA,
//! WMA, Bollinger Bands (population deviation in both) and VWAP (TA-Lib has
//! none; `ta.vwap(hlc3)`) are the same in both modes. Known gaps in
//! TradingView mode: Pine yields `na` where a division by zero occurs (a flat
//! stochastic window, a zero TR average before any DI); this crate gives 0 there.
//!
//! # Lookbacks (bars of `None` before the first complete output)
//!
//! | indicator | TA-Lib mode | TradingView mode |
//! |---|---|---|
//! | SMA, EMA, WMA, Bollinger (`n`) | `n-1` | `n-1` |
//! | RSI (`n`) | `n` | `n` |
//! | ATR (`n`) | `n` | `n-1` |
//! | ADX (`n`); +DI/-DI | `2n-1`; `n` | `2n-1`; `n` |
//! | MACD (`f, s, g`) | `s+g-2` (all lines) | `s+g-2` (MACD line from `s-1`) |
//! | Stochastic (`k, ks, d`) | `k+ks+d-3` | `k+ks+d-3` (%K from `k+ks-2`) |
//! | OBV, VWAP | 0 | 0 |
//!
//! Parameter bounds are TA-Lib 0.8's: periods up to 100 000; SMA/EMA/WMA/ATR
//! and all stochastic periods ≥ 1; RSI, ADX, Bollinger and MACD fast/slow ≥ 2;
//! MACD signal ≥ 1. Unlike TA-Lib, MACD requires `fast < slow` (TA-Lib
//! silently swaps them) and Bollinger requires a deviation multiplier > 0.
//!
//! # Accuracy
//!
//! tests/talib_reference.rs compares every TA-Lib-mode indicator, at default
//! and non-default parameters (86 series, 50 320 values), with TA-Lib 0.8.1's
//! own output on 600 real daily bars each of AAPL and IBM. Every warm-up
//! length equals TA-Lib's lookback, and every value is within 1e-12 relative
//! (2.1e-10 absolute, on Bollinger bands of a ~$600 stock); the test's bound is
//! 1e-9 × max(1, |value|). SMA, ADX, +DI, -DI, the Stochastic, OBV, the MACD
//! line at 12/26/9 and EMA(20) are bit-identical. The rest differ in the last
//! bits because TA-Lib 0.8.1's binary rounds some steps differently from the
//! operation order of its published C source, which this crate follows (its
//! EMA, for one, matches a fused multiply-add); the stochastic uses 0.8's
//! `100 * ((c - ll) / (hh - ll))`, matched bit for bit. Running sums (SMA,
//! WMA, Bollinger) carry TA-Lib's drift too: over millions of bars the error
//! grows like that of any running sum.
//!
//! TradingView mode is not compared with TradingView's own output (no access
//! here): tests/tradingview.rs checks ATR, MACD, EMA, RSI, OBV, ADX/DMI and the
//! Stochastic against values worked by hand from Pine's documented
//! definitions, next to the TA-Lib-mode values for the same bars (those
//! confirmed with TA-Lib 0.8.1).
//!
//! # Unstable periods
//!
//! EMA, MACD, RSI, ATR and ADX are recursive: a value depends on every bar
//! before it, so the same date gets slightly different values from series that
//! start on different days. TA-Lib's answer is an "unstable period" (extra bars
//! consumed and hidden); its default is 0, which this crate reproduces: the
//! first value after the lookback is the SMA-seeded one, not a converged
//! value. Callers wanting stable values load more history than they display
//! (Wilder smoothing with period n forgets the seed by a factor e about every
//! n bars).
//!
//! Inputs are not checked: a NaN close propagates as TA-Lib's would.
//!
//! # Technical analyst
//!
//! [`analyse`]`(bars, &AnalystConfig) -> Analysis` (module [`analyst`]) turns
//! at least 60 bars into a chart analysis: trend direction and strength (price
//! against SMA 50/200, the SMA 50 slope over 10 bars, ADX 14), a technical
//! rating following TradingView's documented "Technical Ratings" rules (SMA/EMA
//! 10-200, VWMA 20, Hull 9; RSI, Stochastic, CCI, ADX, Awesome Oscillator,
//! Momentum, MACD; score in −1..=1 and its Strong Sell..Strong Buy label, every
//! vote listed), readable signals, the nearest support and resistance from
//! [`support_resistance`], and a Long/Short/Neutral call (from the rating's
//! label; Neutral whatever the label when the market has no trend) with
//! entry, stop (nearest level or an ATR multiple), target (nearest level if
//! it pays the configured reward/risk, else 2 R), reward/risk and a 1-10
//! confidence. It
//! is deterministic (same bars → same bits; no clock, no hashing) and unlike
//! the indicators it checks its input: too few bars or a non-finite price is
//! an [`IndicatorError`]. The module documentation lists every threshold and
//! its source.

pub mod analyst;
mod bar;
mod error;
pub mod levels;
pub mod ma;
pub mod momentum;
mod study;
pub mod trend;
pub mod volatility;
pub mod volume;

pub use analyst::{
    analyse, Analysis, AnalystConfig, KeyLevels, Rating, RatingLabel, Recommendation, Trend,
    TrendDirection, TrendStrength, Vote, VoteSignal,
};
pub use bar::{Bar, Convention, Indicator, Session};
pub use error::{IndicatorError, MAX_PERIOD};
pub use levels::{
    pivot_levels, pivots, session_pivots, support_resistance, swing_points, Level, LevelKind,
    PivotKind, PivotLevels, SrConfig, SwingPoint,
};
pub use ma::{ema, sma, wma, Ema, Sma, Wma};
pub use momentum::{
    macd, rsi, stoch, Macd, MacdPoint, MacdSeries, Rsi, Stoch, StochPoint, StochSeries,
};
pub use study::{compute, Series, Study, StudyInfo, StudySpec, CATALOGUE};
pub use trend::{adx, Adx, AdxPoint, AdxSeries};
pub use volatility::{atr, bbands, true_range, Atr, Bbands, BbandsPoint, BbandsSeries};
pub use volume::{obv, vwap, vwap_with_resets, Obv, Vwap};
