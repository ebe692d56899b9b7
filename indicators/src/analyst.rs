//! A deterministic technical analyst: trend, a TradingView-style technical
//! rating, readable signals, support/resistance and a trade plan (entry, stop,
//! target, reward/risk, confidence) from one series of bars.
//!
//! [`analyse`] is a pure function of the bars and the [`AnalystConfig`]: no
//! clock, no randomness, no hash-map iteration, so the same input gives the
//! same [`Analysis`] bit for bit, natively and on wasm32. It needs at least
//! [`MIN_BARS`] (60) bars: the SMA 50 plus its 10-bar slope; longer averages
//! (SMA/EMA 100 and 200) join in when there are enough bars.
//!
//! # Trend
//!
//! * `sma50_slope_pct` = 100 × (SMA50 now − SMA50 ten bars ago) / SMA50 ten
//!   bars ago.
//! * **Sideways** when |slope| < [`FLAT_SLOPE_PCT`] (0.5 % over 10 bars) and
//!   ADX(14) < 20. Otherwise points are counted: close vs SMA50 (±1), the
//!   slope's sign (±1, 0 when |slope| < 0.5 %), and, with ≥ 200 bars, close vs
//!   SMA200 (±1) and SMA50 vs SMA200 (±1). **Bullish** when the total is
//!   positive and at least half the number of points available (1 of 2, or
//!   2 of 4), **Bearish** mirrored, Sideways otherwise.
//! * Strength from ADX(14): < 20 **Weak**, 20 to 40 **Moderate**, > 40
//!   **Strong** (Wilder's and the usual charting reading of ADX).
//!
//! # Rating
//!
//! TradingView's "Technical Ratings", as documented on TradingView's support
//! pages <https://www.tradingview.com/support/solutions/43000614331-technical-ratings/>
//! and <https://www.tradingview.com/support/solutions/43000475547-what-do-the-ratings-in-the-screener-mean/>
//! (the screener page is the one the built-in indicator reproduces; where the
//! two pages differ, for the Stochastic and ADX, its rules are used), with
//! the cross-checks in the `tradingview-ta` Python package
//! (`tradingview_ta/technicals.py`, `Compute`, AnalyzerREST/python-tradingview-ta):
//! "rising"/"falling" compare the last bar with the one before.
//!
//! Moving-average group, each Buy if MA < close, Sell if MA > close, Neutral
//! if equal ([`ma_signal`]): SMA and EMA 10, 20, 30, 50, 100, 200, VWMA 20 and
//! Hull MA 9. Oscillator group:
//!
//! | indicator | Buy | Sell |
//! |---|---|---|
//! | RSI(14) ([`rsi_signal`]) | < 30 and rising | > 70 and falling |
//! | Stochastic 14,3,3 ([`stoch_signal`]) | %K and %D < 20 and %K > %D | %K and %D > 80 and %K < %D |
//! | CCI(20) ([`cci_signal`]) | < −100 and rising | > 100 and falling |
//! | ADX(14) ([`adx_signal`]) | ADX > 20 and rising, +DI > −DI | ADX > 20 and rising, +DI < −DI |
//! | Awesome Oscillator 5/34 ([`ao_signal`]) | crosses above 0, or bullish saucer above 0 | crosses below 0, or bearish saucer below 0 |
//! | Momentum(10) ([`momentum_signal`]) | rising | falling |
//! | MACD 12,26,9 ([`macd_signal`]) | MACD > signal | MACD < signal |
//!
//! Not included, for want of a confirmed rule or indicator here: the
//! Ichimoku cloud (MA group), Stochastic RSI, Williams %R, Bull Bear Power and
//! the Ultimate Oscillator (oscillators). Each vote is +1 / 0 / −1; a vote
//! whose indicator has no value yet (too few bars) is listed with `value:
//! None` and left out of its group's mean. Group score = mean of its votes,
//! total = mean of the two group scores. Labels, as TradingView's:
//! [−1, −0.5) Strong Sell, [−0.5, −0.1) Sell, [−0.1, 0.1] Neutral,
//! (0.1, 0.5] Buy, (0.5, 1] Strong Buy ([`RatingLabel::from_score`]).
//!
//! # Trade plan
//!
//! Recommendation: Buy/Strong Buy → Long, Sell/Strong Sell → Short, else
//! Neutral (no stop, target or ratio); and Neutral whatever the label when
//! the trend is Sideways and Weak ([`Recommendation::decide`]: on a
//! range-bound series the rating flips between Buy and Sell with the noise). ATR is ATR(14) in the configured
//! [`Convention`]. Long: stop = max(nearest support, entry −
//! `atr_stop_multiple` × ATR), then lowered if need be to at most entry − 0.5
//! × ATR; risk = entry − stop; target = the nearest resistance if it is at
//! least `min_reward_risk` × risk away, else entry + max(2, `min_reward_risk`)
//! × risk. Short mirrored. Support and resistance come from
//! [`support_resistance`] with [`SrConfig::default`]: levels at or below the
//! last close are support, above it resistance, nearest first, 3 of each.
//!
//! Confidence = round(1 + conviction + ADX points + agreement points),
//! clamped to 1..=10. For Long/Short: conviction 5 × |score|, ADX points 0
//! weak, 1 moderate, 2 strong. For Neutral (confidence that standing aside
//! is right): conviction 5 × (1 − min(1, 2 |score|)), ADX points 2 weak, 1
//! moderate, 0 strong. Agreement +2 when the trend agrees with the
//! recommendation (Bullish/Long, Bearish/Short, Sideways/Neutral), −2 when
//! it opposes it (Bullish/Short, Bearish/Long), 0 otherwise.

use crate::bar::{Bar, Convention};
use crate::error::IndicatorError;
use crate::levels::{support_resistance, SrConfig};
use crate::ma::{ema, sma, wma};
use crate::momentum::{macd, rsi, stoch};
use crate::trend::adx;
use crate::volatility::{atr, bbands};

/// Fewest bars [`analyse`] accepts: SMA 50 and its slope over 10 bars.
pub const MIN_BARS: usize = 60;

/// |SMA 50 slope| (percent over 10 bars) below which the slope counts as flat.
pub const FLAT_SLOPE_PCT: f64 = 0.5;

/// ADX below this: weak trend.
pub const ADX_WEAK: f64 = 20.0;

/// ADX above this: strong trend.
pub const ADX_STRONG: f64 = 40.0;

/// Bars over which the SMA 50 slope is measured.
const SLOPE_BARS: usize = 10;

/// How far back crosses (MACD, SMA 50/200) are reported in the signals.
const CROSS_LOOKBACK: usize = 10;

/// How many bars back a close must have been on the other side of a level
/// for a breakout to be reported.
const BREAKOUT_BARS: usize = 3;

/// Settings of [`analyse`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct AnalystConfig {
    /// Whose indicator formulas to use (EMA, RSI, ATR, ADX, MACD, Stochastic).
    pub convention: Convention,
    /// Stop distance in ATRs when no nearer support/resistance (default 2).
    pub atr_stop_multiple: f64,
    /// Least reward/risk for taking the nearest level as target (default 1.5).
    pub min_reward_risk: f64,
}

impl Default for AnalystConfig {
    fn default() -> Self {
        Self {
            convention: Convention::TaLib,
            atr_stop_multiple: 2.0,
            min_reward_risk: 1.5,
        }
    }
}

impl AnalystConfig {
    fn validate(&self) -> Result<(), IndicatorError> {
        for (param, value) in [
            ("atr_stop_multiple", self.atr_stop_multiple),
            ("min_reward_risk", self.min_reward_risk),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(IndicatorError::InvalidParam {
                    study: "analyst",
                    param,
                    value,
                    reason: "must be a finite number > 0".into(),
                });
            }
        }
        Ok(())
    }
}

/// Direction of the trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TrendDirection {
    Bullish,
    Bearish,
    Sideways,
}

/// Strength of the trend, from ADX(14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TrendStrength {
    /// ADX < 20 (or no ADX).
    Weak,
    /// 20 ≤ ADX ≤ 40.
    Moderate,
    /// ADX > 40.
    Strong,
}

impl TrendStrength {
    /// The strength for an ADX value (see [`ADX_WEAK`], [`ADX_STRONG`]).
    pub fn from_adx(adx: Option<f64>) -> Self {
        match adx {
            Some(a) if a > ADX_STRONG => TrendStrength::Strong,
            Some(a) if a >= ADX_WEAK => TrendStrength::Moderate,
            _ => TrendStrength::Weak,
        }
    }
}

/// Trend direction and strength.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Trend {
    pub direction: TrendDirection,
    pub strength: TrendStrength,
    /// ADX(14) at the last bar.
    pub adx: Option<f64>,
    /// Percent change of SMA 50 over the last 10 bars.
    pub sma50_slope_pct: Option<f64>,
}

/// One indicator's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VoteSignal {
    Buy,
    Neutral,
    Sell,
}

impl VoteSignal {
    /// +1, 0, −1.
    pub fn value(self) -> f64 {
        match self {
            VoteSignal::Buy => 1.0,
            VoteSignal::Neutral => 0.0,
            VoteSignal::Sell => -1.0,
        }
    }

    fn from_conditions(buy: bool, sell: bool) -> Self {
        if buy {
            VoteSignal::Buy
        } else if sell {
            VoteSignal::Sell
        } else {
            VoteSignal::Neutral
        }
    }
}

/// The rating's five labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RatingLabel {
    StrongSell,
    Sell,
    Neutral,
    Buy,
    StrongBuy,
}

impl RatingLabel {
    /// TradingView's buckets: [−1, −0.5) Strong Sell, [−0.5, −0.1) Sell,
    /// [−0.1, 0.1] Neutral, (0.1, 0.5] Buy, (0.5, 1] Strong Buy. NaN is
    /// Neutral.
    pub fn from_score(score: f64) -> Self {
        if score < -0.5 {
            RatingLabel::StrongSell
        } else if score < -0.1 {
            RatingLabel::Sell
        } else if score <= 0.1 || score.is_nan() {
            RatingLabel::Neutral
        } else if score <= 0.5 {
            RatingLabel::Buy
        } else {
            RatingLabel::StrongBuy
        }
    }

    fn text(self) -> &'static str {
        match self {
            RatingLabel::StrongSell => "Strong Sell",
            RatingLabel::Sell => "Sell",
            RatingLabel::Neutral => "Neutral",
            RatingLabel::Buy => "Buy",
            RatingLabel::StrongBuy => "Strong Buy",
        }
    }
}

/// One indicator in the rating.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Vote {
    /// E.g. `SMA(50)`, `RSI(14)`, `MACD(12,26,9)`.
    pub indicator: String,
    /// The indicator's last value (the MA, RSI, %K, CCI, ADX, AO, momentum,
    /// MACD line); `None` when it has no value yet, and then the vote is
    /// Neutral and not counted.
    pub value: Option<f64>,
    pub signal: VoteSignal,
}

/// The technical rating.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Rating {
    /// Mean of `ma` and `oscillators`, in −1..=1.
    pub score: f64,
    pub label: RatingLabel,
    /// Mean vote of the moving-average group.
    pub ma: f64,
    /// Mean vote of the oscillator group.
    pub oscillators: f64,
    /// Moving-average votes first, then oscillators.
    pub votes: Vec<Vote>,
}

/// Support below and resistance above the last close, nearest first.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct KeyLevels {
    pub support: Vec<f64>,
    pub resistance: Vec<f64>,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Recommendation {
    Long,
    Short,
    Neutral,
}

impl Recommendation {
    /// Buy/Strong Buy → Long, Sell/Strong Sell → Short, Neutral → Neutral.
    pub fn from_label(label: RatingLabel) -> Self {
        match label {
            RatingLabel::Buy | RatingLabel::StrongBuy => Recommendation::Long,
            RatingLabel::Sell | RatingLabel::StrongSell => Recommendation::Short,
            RatingLabel::Neutral => Recommendation::Neutral,
        }
    }

    /// What [`analyse`] recommends: [`Recommendation::from_label`], except
    /// Neutral when there is no trend at all (Sideways *and* Weak: flat SMA
    /// 50 or conflicting averages with ADX < 20). TradingView's rating votes
    /// on where the close sits against its averages, so on a range-bound,
    /// noisy series it flips between Buy and Sell from bar to bar; the rating
    /// itself is still reported unchanged.
    pub fn decide(label: RatingLabel, trend: &Trend) -> Self {
        if trend.direction == TrendDirection::Sideways && trend.strength == TrendStrength::Weak {
            Recommendation::Neutral
        } else {
            Recommendation::from_label(label)
        }
    }
}

/// The analyst's report on one series.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Analysis {
    pub trend: Trend,
    pub rating: Rating,
    /// Readable observations, e.g. "RSI(14) is 72.4: overbought".
    pub signals: Vec<String>,
    pub key_levels: KeyLevels,
    pub recommendation: Recommendation,
    /// The last close.
    pub entry_price: f64,
    /// `None` when neutral (or, degenerate, when ATR is 0 and no risk can be
    /// sized).
    pub stop_loss: Option<f64>,
    pub take_profit: Option<f64>,
    /// Reward / risk.
    pub risk_reward_ratio: Option<f64>,
    /// 1..=10.
    pub confidence: u8,
    /// A few sentences explaining the call.
    pub analysis_text: String,
    pub config: AnalystConfig,
}

// ---------------------------------------------------------------------------
// Vote rules (TradingView's, see the module documentation).
// ---------------------------------------------------------------------------

/// Any moving average: Buy if `ma < close`, Sell if `ma > close`.
pub fn ma_signal(ma: f64, close: f64) -> VoteSignal {
    VoteSignal::from_conditions(ma < close, ma > close)
}

/// RSI: Buy if < 30 and rising, Sell if > 70 and falling.
pub fn rsi_signal(rsi: f64, prev: f64) -> VoteSignal {
    VoteSignal::from_conditions(rsi < 30.0 && rsi > prev, rsi > 70.0 && rsi < prev)
}

/// Stochastic: Buy if %K and %D < 20 and %K > %D, Sell if both > 80 and
/// %K < %D.
pub fn stoch_signal(k: f64, d: f64) -> VoteSignal {
    VoteSignal::from_conditions(k < 20.0 && d < 20.0 && k > d, k > 80.0 && d > 80.0 && k < d)
}

/// CCI: Buy if < −100 and rising, Sell if > 100 and falling.
pub fn cci_signal(cci: f64, prev: f64) -> VoteSignal {
    VoteSignal::from_conditions(cci < -100.0 && cci > prev, cci > 100.0 && cci < prev)
}

/// ADX: with ADX > 20 and rising, Buy if +DI > −DI, Sell if +DI < −DI.
pub fn adx_signal(adx: f64, prev_adx: f64, plus_di: f64, minus_di: f64) -> VoteSignal {
    let trending = adx > 20.0 && adx > prev_adx;
    VoteSignal::from_conditions(
        trending && plus_di > minus_di,
        trending && plus_di < minus_di,
    )
}

/// Awesome Oscillator (`ao`, then one and two bars back): Buy on a cross
/// above 0 or a bullish saucer above 0 (`ao1` a dip between `ao2` and `ao`),
/// Sell mirrored.
pub fn ao_signal(ao: f64, ao1: f64, ao2: f64) -> VoteSignal {
    VoteSignal::from_conditions(
        (ao > 0.0 && ao1 < 0.0) || (ao > 0.0 && ao1 > 0.0 && ao > ao1 && ao2 > ao1),
        (ao < 0.0 && ao1 > 0.0) || (ao < 0.0 && ao1 < 0.0 && ao < ao1 && ao2 < ao1),
    )
}

/// Momentum: Buy if rising, Sell if falling.
pub fn momentum_signal(mom: f64, prev: f64) -> VoteSignal {
    VoteSignal::from_conditions(mom > prev, mom < prev)
}

/// MACD: Buy if the MACD line is above its signal line, Sell if below.
pub fn macd_signal(macd: f64, signal: f64) -> VoteSignal {
    VoteSignal::from_conditions(macd > signal, macd < signal)
}

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

/// Value `back` bars before the last one.
fn at(series: &[Option<f64>], back: usize) -> Option<f64> {
    series
        .len()
        .checked_sub(1 + back)
        .and_then(|i| series.get(i).copied().flatten())
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

/// CCI over typical prices ending at index `end` (TA-Lib's: 0 when the mean
/// deviation is 0).
fn cci_at(typical: &[f64], period: usize, end: usize) -> Option<f64> {
    let window = typical.get((end + 1).checked_sub(period)?..=end)?;
    let n = period as f64;
    let avg = window.iter().sum::<f64>() / n;
    let dev = window.iter().map(|x| (x - avg).abs()).sum::<f64>() / n;
    let last = *window.last()?;
    Some(if dev == 0.0 {
        0.0
    } else {
        (last - avg) / (0.015 * dev)
    })
}

/// Awesome Oscillator at index `end`: SMA 5 − SMA 34 of (high + low) / 2.
fn ao_at(median: &[f64], end: usize) -> Option<f64> {
    let avg = |p: usize| -> Option<f64> {
        let w = median.get((end + 1).checked_sub(p)?..=end)?;
        Some(w.iter().sum::<f64>() / p as f64)
    };
    Some(avg(5)? - avg(34)?)
}

/// Volume-weighted MA of the last `period` closes; `None` without volume.
fn vwma_last(bars: &[Bar], period: usize) -> Option<f64> {
    let w = bars.get(bars.len().checked_sub(period)?..)?;
    let vol: f64 = w.iter().map(|b| b.v).sum();
    (vol > 0.0).then(|| w.iter().map(|b| b.c * b.v).sum::<f64>() / vol)
}

/// Hull MA: WMA(2 × WMA(n/2) − WMA(n), floor(√n)) at the last close.
fn hma_last(closes: &[f64], period: usize) -> Result<Option<f64>, IndicatorError> {
    let half = wma(closes, period / 2)?;
    let full = wma(closes, period)?;
    let raw: Vec<f64> = half
        .iter()
        .zip(&full)
        .filter_map(|(h, f)| Some(2.0 * (*h)? - (*f)?))
        .collect();
    let root = (period as f64).sqrt().floor() as usize;
    if raw.is_empty() {
        return Ok(None);
    }
    Ok(wma(&raw, root)?.last().copied().flatten())
}

/// Bars since the sign of `diff` last changed to its current sign, if within
/// `lookback` bars (0 = on the last bar); with the current side (`true` =
/// above).
fn last_cross(diff: &[Option<f64>], lookback: usize) -> Option<(usize, bool)> {
    let now = at(diff, 0)?;
    let above = now > 0.0;
    for back in 0..lookback {
        let cur = at(diff, back)?;
        let prev = at(diff, back + 1)?;
        if (cur > 0.0) != above {
            return None;
        }
        if (prev > 0.0) != above {
            return Some((back, above));
        }
    }
    None
}

fn ago(bars: usize) -> String {
    match bars {
        0 => "on the last bar".into(),
        1 => "1 bar ago".into(),
        n => format!("{n} bars ago"),
    }
}

fn side(above: bool) -> &'static str {
    if above {
        "above"
    } else {
        "below"
    }
}

// ---------------------------------------------------------------------------
// The analyst.
// ---------------------------------------------------------------------------

/// Analyses `bars` (oldest first; the last bar is the current one).
///
/// Errors: fewer than [`MIN_BARS`] bars ("the analyst needs at least 60
/// bars, got 12"), a non-finite price or volume, or an invalid config
/// (`atr_stop_multiple` and `min_reward_risk` must be finite and > 0).
pub fn analyse(bars: &[Bar], config: &AnalystConfig) -> Result<Analysis, IndicatorError> {
    config.validate()?;
    if bars.len() < MIN_BARS {
        return Err(IndicatorError::NotEnoughBars {
            what: "the analyst",
            needed: MIN_BARS,
            got: bars.len(),
        });
    }
    if let Some(index) = bars.iter().position(|b| {
        !(b.o.is_finite()
            && b.h.is_finite()
            && b.l.is_finite()
            && b.c.is_finite()
            && b.v.is_finite())
    }) {
        return Err(IndicatorError::NonFiniteBar {
            what: "the analyst",
            index,
        });
    }

    let conv = config.convention;
    let n = bars.len();
    let closes: Vec<f64> = bars.iter().map(|b| b.c).collect();
    let close = closes[n - 1];

    // --- indicators -------------------------------------------------------
    let sma50 = sma(&closes, 50)?;
    let sma200 = sma(&closes, 200)?;
    let adx14 = adx(bars, 14, conv)?;
    let rsi14 = rsi(&closes, 14, conv)?;
    let stoch14 = stoch(bars, 14, 3, 3, conv)?;
    let macd12 = macd(&closes, 12, 26, 9, conv)?;
    let atr14 = at(&atr(bars, 14, conv)?, 0);
    let bb = bbands(&closes, 20, 2.0)?;
    let typical: Vec<f64> = bars.iter().map(Bar::typical_price).collect();
    let median: Vec<f64> = bars.iter().map(|b| (b.h + b.l) / 2.0).collect();

    // --- trend ------------------------------------------------------------
    let adx_now = at(&adx14.adx, 0);
    let s50 = at(&sma50, 0);
    let s50_then = at(&sma50, SLOPE_BARS);
    let s200 = at(&sma200, 0);
    let slope = match (s50, s50_then) {
        (Some(now), Some(then)) if then != 0.0 => Some(100.0 * (now - then) / then),
        _ => None,
    };
    let trend = trend_of(close, s50, s200, slope, adx_now);

    // --- rating -----------------------------------------------------------
    let mut ma_votes = Vec::with_capacity(14);
    for period in [10, 20, 30, 50, 100, 200] {
        for (name, series) in [
            ("SMA", sma(&closes, period)?),
            ("EMA", ema(&closes, period, conv)?),
        ] {
            let value = at(&series, 0);
            ma_votes.push(vote(format!("{name}({period})"), value, |m| {
                ma_signal(m, close)
            }));
        }
    }
    ma_votes.push(vote("VWMA(20)".into(), vwma_last(bars, 20), |m| {
        ma_signal(m, close)
    }));
    ma_votes.push(vote("HMA(9)".into(), hma_last(&closes, 9)?, |m| {
        ma_signal(m, close)
    }));

    let mut osc_votes = Vec::with_capacity(7);
    let rsi_now = at(&rsi14, 0);
    osc_votes.push(pair_vote("RSI(14)", rsi_now, at(&rsi14, 1), rsi_signal));
    let (k_now, d_now) = (at(&stoch14.k, 0), at(&stoch14.d, 0));
    osc_votes.push(pair_vote("Stoch %K(14,3,3)", k_now, d_now, stoch_signal));
    let cci_now = cci_at(&typical, 20, n - 1);
    osc_votes.push(pair_vote(
        "CCI(20)",
        cci_now,
        cci_at(&typical, 20, n - 2),
        cci_signal,
    ));
    let (plus_di, minus_di) = (at(&adx14.plus_di, 0), at(&adx14.minus_di, 0));
    osc_votes.push(Vote {
        indicator: "ADX(14)".into(),
        value: adx_now,
        signal: match (adx_now, at(&adx14.adx, 1), plus_di, minus_di) {
            (Some(a), Some(a1), Some(p), Some(m)) => adx_signal(a, a1, p, m),
            _ => VoteSignal::Neutral,
        },
    });
    let ao_now = ao_at(&median, n - 1);
    osc_votes.push(Vote {
        indicator: "AO(5,34)".into(),
        value: ao_now,
        signal: match (ao_now, ao_at(&median, n - 2), ao_at(&median, n - 3)) {
            (Some(a), Some(a1), Some(a2)) => ao_signal(a, a1, a2),
            _ => VoteSignal::Neutral,
        },
    });
    let mom = |end: usize| Some(closes.get(end)? - closes.get(end.checked_sub(10)?)?);
    osc_votes.push(pair_vote(
        "Momentum(10)",
        mom(n - 1),
        mom(n - 2),
        momentum_signal,
    ));
    let (macd_now, signal_now) = (at(&macd12.macd, 0), at(&macd12.signal, 0));
    osc_votes.push(pair_vote(
        "MACD(12,26,9)",
        macd_now,
        signal_now,
        macd_signal,
    ));

    let group = |votes: &[Vote]| {
        mean(
            votes
                .iter()
                .filter(|v| v.value.is_some())
                .map(|v| v.signal.value()),
        )
        .unwrap_or(0.0)
    };
    let ma_score = group(&ma_votes);
    let osc_score = group(&osc_votes);
    let score = (ma_score + osc_score) / 2.0;
    let label = RatingLabel::from_score(score);
    let mut votes = ma_votes;
    votes.extend(osc_votes);
    let rating = Rating {
        score,
        label,
        ma: ma_score,
        oscillators: osc_score,
        votes,
    };

    // --- levels -----------------------------------------------------------
    let levels = support_resistance(bars, &SrConfig::default())?;
    let mut support: Vec<f64> = levels
        .iter()
        .map(|l| l.price)
        .filter(|p| *p <= close)
        .collect();
    support.sort_by(|a, b| b.total_cmp(a));
    support.truncate(3);
    let mut resistance: Vec<f64> = levels
        .iter()
        .map(|l| l.price)
        .filter(|p| *p > close)
        .collect();
    resistance.sort_by(f64::total_cmp);
    resistance.truncate(3);
    let key_levels = KeyLevels {
        support,
        resistance,
    };

    // --- signals ----------------------------------------------------------
    let mut signals = Vec::new();
    for (period, value) in [(200, s200), (50, s50)] {
        if let Some(m) = value {
            if m != close {
                signals.push(format!(
                    "Close {close:.2} is {} the {period}-bar SMA ({m:.2})",
                    side(close > m)
                ));
            }
        }
    }
    let sma_diff: Vec<Option<f64>> = sma50
        .iter()
        .zip(&sma200)
        .map(|(a, b)| Some((*a)? - (*b)?))
        .collect();
    if let Some((back, above)) = last_cross(&sma_diff, CROSS_LOOKBACK) {
        signals.push(format!(
            "The 50-bar SMA crossed {} the 200-bar SMA {} ({})",
            side(above),
            ago(back),
            if above { "golden cross" } else { "death cross" }
        ));
    }
    if let Some(r) = rsi_now {
        let zone = if r > 70.0 {
            "overbought"
        } else if r < 30.0 {
            "oversold"
        } else {
            "neutral zone"
        };
        signals.push(format!("RSI(14) is {r:.1}: {zone}"));
    }
    if let Some((back, above)) = last_cross(&macd12.hist, CROSS_LOOKBACK) {
        signals.push(format!(
            "MACD crossed {} its signal line {}",
            side(above),
            ago(back)
        ));
    } else if let (Some(m), Some(s)) = (macd_now, signal_now) {
        if m != s {
            signals.push(format!("MACD is {} its signal line", side(m > s)));
        }
    }
    if let Some(k) = k_now {
        if k > 80.0 {
            signals.push(format!("Stochastic %K(14,3,3) is {k:.1}: overbought"));
        } else if k < 20.0 {
            signals.push(format!("Stochastic %K(14,3,3) is {k:.1}: oversold"));
        }
    }
    if let Some(c) = cci_now {
        if c > 100.0 {
            signals.push(format!("CCI(20) is {c:.1}: overbought"));
        } else if c < -100.0 {
            signals.push(format!("CCI(20) is {c:.1}: oversold"));
        }
    }
    if let (Some(a), Some(p), Some(m)) = (adx_now, plus_di, minus_di) {
        let strength = match TrendStrength::from_adx(Some(a)) {
            TrendStrength::Weak => "weak or no trend",
            TrendStrength::Moderate => "moderate trend",
            TrendStrength::Strong => "strong trend",
        };
        signals.push(format!(
            "ADX(14) is {a:.1}: {strength}, +DI {p:.1} {} -DI {m:.1}",
            side(p > m)
        ));
    }
    if let (Some(up), Some(lo)) = (at(&bb.upper, 0), at(&bb.lower, 0)) {
        if close > up {
            signals.push(format!(
                "Close is above the upper Bollinger Band(20,2) at {up:.2}"
            ));
        } else if close < lo {
            signals.push(format!(
                "Close is below the lower Bollinger Band(20,2) at {lo:.2}"
            ));
        }
    }
    let before = closes[n - 1 - BREAKOUT_BARS];
    let mut broken: Vec<f64> = levels.iter().map(|l| l.price).collect();
    broken.sort_by(f64::total_cmp);
    for level in broken {
        if before < level && close > level {
            signals.push(format!("Price broke above resistance {level:.2}"));
        } else if before > level && close < level {
            signals.push(format!("Price broke below support {level:.2}"));
        }
    }
    if let Some(avg) = mean(bars[n - 21..n - 1].iter().map(|b| b.v)) {
        let v = bars[n - 1].v;
        if avg > 0.0 && v >= 2.0 * avg {
            signals.push(format!("Volume is {:.1}x its 20-bar average", v / avg));
        }
    }

    // --- trade plan -------------------------------------------------------
    let recommendation = Recommendation::decide(label, &trend);
    let entry = close;
    let plan = atr14.and_then(|a| plan_trade(recommendation, entry, a, &key_levels, config));
    let (stop_loss, take_profit, risk_reward_ratio) = match plan {
        Some(p) => (Some(p.stop), Some(p.target), Some(p.ratio)),
        None => (None, None, None),
    };

    let confidence = confidence_of(score, trend.strength, trend.direction, recommendation);

    let analysis_text = text_of(
        &rating,
        &trend,
        recommendation,
        entry,
        atr14,
        plan.as_ref(),
        &key_levels,
        confidence,
    );

    Ok(Analysis {
        trend,
        rating,
        signals,
        key_levels,
        recommendation,
        entry_price: entry,
        stop_loss,
        take_profit,
        risk_reward_ratio,
        confidence,
        analysis_text,
        config: *config,
    })
}

fn vote(indicator: String, value: Option<f64>, rule: impl Fn(f64) -> VoteSignal) -> Vote {
    Vote {
        indicator,
        value,
        signal: value.map_or(VoteSignal::Neutral, rule),
    }
}

/// A vote from the indicator's value and a second number (its previous value,
/// or its signal line); the vote's value is the first.
fn pair_vote(
    indicator: &str,
    value: Option<f64>,
    other: Option<f64>,
    rule: fn(f64, f64) -> VoteSignal,
) -> Vote {
    Vote {
        indicator: indicator.into(),
        value,
        signal: match (value, other) {
            (Some(a), Some(b)) => rule(a, b),
            _ => VoteSignal::Neutral,
        },
    }
}

fn trend_of(
    close: f64,
    sma50: Option<f64>,
    sma200: Option<f64>,
    slope: Option<f64>,
    adx: Option<f64>,
) -> Trend {
    let strength = TrendStrength::from_adx(adx);
    let sign = |x: f64| {
        if x > 0.0 {
            1
        } else if x < 0.0 {
            -1
        } else {
            0
        }
    };
    let flat = slope.is_none_or(|s| s.abs() < FLAT_SLOPE_PCT);
    let weak = adx.is_none_or(|a| a < ADX_WEAK);
    let direction = if flat && weak {
        TrendDirection::Sideways
    } else {
        let mut points = 0i32;
        let mut available = 0i32;
        if let Some(m) = sma50 {
            points += sign(close - m);
            available += 1;
        }
        if let Some(s) = slope {
            if !flat {
                points += sign(s);
            }
            available += 1;
        }
        if let (Some(m200), Some(m50)) = (sma200, sma50) {
            points += sign(close - m200) + sign(m50 - m200);
            available += 2;
        }
        if points > 0 && 2 * points >= available {
            TrendDirection::Bullish
        } else if points < 0 && -2 * points >= available {
            TrendDirection::Bearish
        } else {
            TrendDirection::Sideways
        }
    };
    Trend {
        direction,
        strength,
        adx,
        sma50_slope_pct: slope,
    }
}

/// Where the stop came from, for the text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum StopBasis {
    Level,
    Atr,
    MinDistance,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Plan {
    stop: f64,
    target: f64,
    ratio: f64,
    stop_basis: StopBasis,
    target_is_level: bool,
}

fn plan_trade(
    rec: Recommendation,
    entry: f64,
    atr: f64,
    levels: &KeyLevels,
    config: &AnalystConfig,
) -> Option<Plan> {
    // dir = +1 long, -1 short; everything below is written for a long and
    // mirrored through `dir`.
    let (dir, protect, aim) = match rec {
        Recommendation::Long => (1.0, levels.support.first(), levels.resistance.first()),
        Recommendation::Short => (-1.0, levels.resistance.first(), levels.support.first()),
        Recommendation::Neutral => return None,
    };
    let atr_stop = entry - dir * config.atr_stop_multiple * atr;
    let (mut stop, mut basis) = match protect {
        // The tighter of the level and the ATR stop.
        Some(&level) if dir * (level - atr_stop) > 0.0 => (level, StopBasis::Level),
        _ => (atr_stop, StopBasis::Atr),
    };
    let min_stop = entry - dir * 0.5 * atr;
    if dir * (stop - min_stop) > 0.0 {
        stop = min_stop;
        basis = StopBasis::MinDistance;
    }
    let risk = dir * (entry - stop);
    if !(risk > 0.0 && risk.is_finite()) {
        return None;
    }
    let (target, target_is_level) = match aim {
        Some(&level) if dir * (level - entry) >= config.min_reward_risk * risk => (level, true),
        _ => (entry + dir * config.min_reward_risk.max(2.0) * risk, false),
    };
    Some(Plan {
        stop,
        target,
        ratio: dir * (target - entry) / risk,
        stop_basis: basis,
        target_is_level,
    })
}

fn confidence_of(
    score: f64,
    strength: TrendStrength,
    direction: TrendDirection,
    rec: Recommendation,
) -> u8 {
    let trend_points = match strength {
        TrendStrength::Weak => 0.0,
        TrendStrength::Moderate => 1.0,
        TrendStrength::Strong => 2.0,
    };
    let magnitude = score.abs().min(1.0);
    let (conviction, adx_points) = if rec == Recommendation::Neutral {
        (5.0 * (1.0 - (2.0 * magnitude).min(1.0)), 2.0 - trend_points)
    } else {
        (5.0 * magnitude, trend_points)
    };
    let agreement = match (direction, rec) {
        (TrendDirection::Bullish, Recommendation::Long)
        | (TrendDirection::Bearish, Recommendation::Short)
        | (TrendDirection::Sideways, Recommendation::Neutral) => 2.0,
        (TrendDirection::Bullish, Recommendation::Short)
        | (TrendDirection::Bearish, Recommendation::Long) => -2.0,
        _ => 0.0,
    };
    let raw = 1.0 + conviction + adx_points + agreement;
    raw.round().clamp(1.0, 10.0) as u8
}

#[allow(clippy::too_many_arguments)]
fn text_of(
    rating: &Rating,
    trend: &Trend,
    rec: Recommendation,
    entry: f64,
    atr: Option<f64>,
    plan: Option<&Plan>,
    levels: &KeyLevels,
    confidence: u8,
) -> String {
    let mut out = format!(
        "Technical rating {} (score {:+.2}: moving averages {:+.2}, oscillators {:+.2}).",
        rating.label.text(),
        rating.score,
        rating.ma,
        rating.oscillators
    );
    let direction = match trend.direction {
        TrendDirection::Bullish => "bullish",
        TrendDirection::Bearish => "bearish",
        TrendDirection::Sideways => "sideways",
    };
    let strength = match trend.strength {
        TrendStrength::Weak => "weak",
        TrendStrength::Moderate => "moderate",
        TrendStrength::Strong => "strong",
    };
    out.push_str(&format!(" The trend is {direction} and {strength}"));
    let mut details = Vec::new();
    if let Some(a) = trend.adx {
        details.push(format!("ADX {a:.1}"));
    }
    if let Some(s) = trend.sma50_slope_pct {
        details.push(format!("SMA 50 {s:+.2}% over 10 bars"));
    }
    if !details.is_empty() {
        out.push_str(&format!(" ({})", details.join(", ")));
    }
    out.push('.');
    let side = match rec {
        Recommendation::Long => "Long",
        Recommendation::Short => "Short",
        Recommendation::Neutral => "",
    };
    match (rec, plan) {
        (Recommendation::Neutral, _) => {
            let why = if rating.label == RatingLabel::Neutral {
                "the signals are mixed"
            } else {
                "there is no trend to follow"
            };
            out.push_str(&format!(" No trade at {entry:.2}: {why}"));
            let near: Vec<String> = levels
                .support
                .first()
                .map(|s| format!("support {s:.2}"))
                .into_iter()
                .chain(
                    levels
                        .resistance
                        .first()
                        .map(|r| format!("resistance {r:.2}")),
                )
                .collect();
            if !near.is_empty() {
                out.push_str(&format!("; nearest {}", near.join(" and ")));
            }
            out.push('.');
        }
        (_, Some(p)) => {
            let atr_text = atr.map(|a| format!(", ATR(14) {a:.2}")).unwrap_or_default();
            let stop_why = match p.stop_basis {
                StopBasis::Level => {
                    if rec == Recommendation::Long {
                        "at support"
                    } else {
                        "at resistance"
                    }
                }
                StopBasis::Atr => "an ATR multiple away",
                StopBasis::MinDistance => "half an ATR away, the closest allowed",
            };
            let target_why = if p.target_is_level {
                if rec == Recommendation::Long {
                    "at resistance"
                } else {
                    "at support"
                }
            } else {
                "at twice the risk"
            };
            out.push_str(&format!(
                " {side} from {entry:.2}{atr_text}: stop {:.2} ({stop_why}), target {:.2} ({target_why}), reward/risk {:.2}.",
                p.stop, p.target, p.ratio
            ));
        }
        (_, None) => {
            out.push_str(&format!(
                " {side} bias at {entry:.2}, but the range is too small to size a stop."
            ));
        }
    }
    out.push_str(&format!(" Confidence {confidence}/10."));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(closes: &[f64]) -> Vec<Bar> {
        closes
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let o = if i == 0 { c } else { closes[i - 1] };
                Bar::new(
                    i as i64 * 86_400_000,
                    o,
                    o.max(c) * 1.004,
                    o.min(c) * 0.996,
                    c,
                    1_000.0,
                )
            })
            .collect()
    }

    #[test]
    fn buckets_at_their_boundaries() {
        use RatingLabel::*;
        for (score, label) in [
            (-1.0, StrongSell),
            (-0.500_000_1, StrongSell),
            (-0.5, Sell),
            (-0.100_000_1, Sell),
            (-0.1, Neutral),
            (0.0, Neutral),
            (0.1, Neutral),
            (0.100_000_1, Buy),
            (0.5, Buy),
            (0.500_000_1, StrongBuy),
            (1.0, StrongBuy),
        ] {
            assert_eq!(RatingLabel::from_score(score), label, "score {score}");
        }
    }

    #[test]
    fn recommendation_from_label() {
        assert_eq!(
            Recommendation::from_label(RatingLabel::StrongBuy),
            Recommendation::Long
        );
        assert_eq!(
            Recommendation::from_label(RatingLabel::Sell),
            Recommendation::Short
        );
        assert_eq!(
            Recommendation::from_label(RatingLabel::Neutral),
            Recommendation::Neutral
        );
    }

    #[test]
    fn strength_thresholds() {
        assert_eq!(TrendStrength::from_adx(None), TrendStrength::Weak);
        assert_eq!(TrendStrength::from_adx(Some(19.99)), TrendStrength::Weak);
        assert_eq!(TrendStrength::from_adx(Some(20.0)), TrendStrength::Moderate);
        assert_eq!(TrendStrength::from_adx(Some(40.0)), TrendStrength::Moderate);
        assert_eq!(TrendStrength::from_adx(Some(40.01)), TrendStrength::Strong);
    }

    #[test]
    fn trend_rules() {
        // Flat slope and weak ADX: sideways whatever the price.
        let t = trend_of(110.0, Some(100.0), None, Some(0.3), Some(15.0));
        assert_eq!(t.direction, TrendDirection::Sideways);
        // Above a rising SMA 50, no SMA 200: bullish.
        let t = trend_of(110.0, Some(100.0), None, Some(2.0), Some(25.0));
        assert_eq!(t.direction, TrendDirection::Bullish);
        assert_eq!(t.strength, TrendStrength::Moderate);
        // Above a rising SMA 50 but below a higher SMA 200: 1 + 1 - 1 - 1 = 0.
        let t = trend_of(110.0, Some(100.0), Some(120.0), Some(2.0), Some(25.0));
        assert_eq!(t.direction, TrendDirection::Sideways);
        // Below a falling SMA 50 and SMA 200 above it: bearish.
        let t = trend_of(90.0, Some(100.0), Some(110.0), Some(-1.0), Some(45.0));
        assert_eq!(t.direction, TrendDirection::Bearish);
        assert_eq!(t.strength, TrendStrength::Strong);
    }

    #[test]
    fn stop_and_target_rules() {
        let config = AnalystConfig::default();
        let levels = KeyLevels {
            support: vec![98.0],
            resistance: vec![110.0],
        };
        // Long, ATR 2: ATR stop 96, support 98 is tighter; 98 ≤ 100 - 1 so it
        // stays. Risk 2, resistance 10 away = 5 R ≥ 1.5: target 110.
        let p = plan_trade(Recommendation::Long, 100.0, 2.0, &levels, &config).expect("plan");
        assert_eq!((p.stop, p.target, p.ratio), (98.0, 110.0, 5.0));
        // Support too close (99.5 > 100 - 0.5*2): stop pushed to 99.
        let close_levels = KeyLevels {
            support: vec![99.5],
            resistance: vec![100.5],
        };
        let p = plan_trade(Recommendation::Long, 100.0, 2.0, &close_levels, &config).expect("plan");
        assert_eq!(p.stop, 99.0);
        assert_eq!(p.stop_basis, StopBasis::MinDistance);
        // Resistance 0.5 away < 1.5 × 1: target at 2 R.
        assert_eq!((p.target, p.ratio), (102.0, 2.0));
        // Short mirrored: resistance 110 is looser than the ATR stop 104.
        let p = plan_trade(Recommendation::Short, 100.0, 2.0, &levels, &config).expect("plan");
        assert_eq!((p.stop, p.stop_basis), (104.0, StopBasis::Atr));
        // Support 98 is only 0.5 R away: target 2 R below.
        assert_eq!((p.target, p.ratio), (92.0, 2.0));
        assert!(plan_trade(Recommendation::Neutral, 100.0, 2.0, &levels, &config).is_none());
        assert!(plan_trade(Recommendation::Long, 100.0, 0.0, &levels, &config).is_none());
    }

    #[test]
    fn confidence_formula() {
        use Recommendation as R;
        use TrendDirection as D;
        use TrendStrength as S;
        assert_eq!(confidence_of(1.0, S::Strong, D::Bullish, R::Long), 10);
        assert_eq!(confidence_of(-1.0, S::Strong, D::Bearish, R::Short), 10);
        // Neutral: 1 + 5 + 2 + 0 = 8; sideways and weak at score 0 is a
        // confident "stand aside" (10); a Strong Buy label gated to Neutral
        // by a trendless market: 1 + 0 + 2 + 2 = 5.
        assert_eq!(confidence_of(0.0, S::Weak, D::Bullish, R::Neutral), 8);
        assert_eq!(confidence_of(0.0, S::Weak, D::Sideways, R::Neutral), 10);
        assert_eq!(confidence_of(0.64, S::Weak, D::Sideways, R::Neutral), 5);
        assert_eq!(confidence_of(0.3, S::Strong, D::Bearish, R::Neutral), 3);
        // 1 + 1.5 + 1 - 2 = 1.5 → 2; 1 + 1 + 0 - 2 = 0 → clamped to 1.
        assert_eq!(confidence_of(0.3, S::Moderate, D::Bearish, R::Long), 2);
        assert_eq!(confidence_of(0.2, S::Weak, D::Bearish, R::Long), 1);
        // 1 + 5 × 0.5 + 1 + 0 = 4.5 → 5 (round half away from zero).
        assert_eq!(confidence_of(0.5, S::Moderate, D::Sideways, R::Long), 5);
    }

    #[test]
    fn cross_detection() {
        let d = [Some(-1.0), Some(-0.5), Some(0.5), Some(1.0), Some(2.0)];
        assert_eq!(last_cross(&d, 10), Some((2, true)));
        assert_eq!(last_cross(&d, 2), None);
        let d = [Some(1.0), Some(-1.0)];
        assert_eq!(last_cross(&d, 10), Some((0, false)));
        let d = [None, Some(1.0), Some(2.0)];
        assert_eq!(last_cross(&d, 10), None);
    }

    #[test]
    fn hull_and_cci_by_hand() {
        // Linear closes: every WMA lags by a constant, HMA removes the lag
        // exactly: HMA(9) of 1..=20 is 20.
        let closes: Vec<f64> = (1..=20).map(f64::from).collect();
        let h = hma_last(&closes, 9).expect("valid").expect("value");
        assert!((h - 20.0).abs() < 1e-12, "{h}");
        // CCI of 1..=20 at the end: mean 10.5, mean deviation 5, (20 - 10.5)
        // / (0.015 × 5) = 126.66..
        let cci = cci_at(&closes, 20, 19).expect("value");
        assert!((cci - 9.5 / 0.075).abs() < 1e-9, "{cci}");
        assert_eq!(cci_at(&closes, 20, 18), None);
    }

    #[test]
    fn errors_are_precise() {
        let bars = series(&[100.0; 12]);
        let err = analyse(&bars, &AnalystConfig::default()).expect_err("too few");
        assert_eq!(
            err.to_string(),
            "the analyst needs at least 60 bars, got 12"
        );
        let mut bars = series(&[100.0; 70]);
        bars[33].h = f64::NAN;
        let err = analyse(&bars, &AnalystConfig::default()).expect_err("NaN");
        assert_eq!(
            err.to_string(),
            "the analyst: bar 33 has a non-finite open, high, low, close or volume"
        );
        let config = AnalystConfig {
            min_reward_risk: 0.0,
            ..AnalystConfig::default()
        };
        let err = analyse(&series(&[100.0; 70]), &config).expect_err("config");
        assert_eq!(
            err.to_string(),
            "analyst: `min_reward_risk` = 0 is invalid: must be a finite number > 0"
        );
    }

    #[test]
    fn flat_prices_are_neutral() {
        let a = analyse(&series(&[100.0; 80]), &AnalystConfig::default()).expect("analysis");
        assert_eq!(a.recommendation, Recommendation::Neutral);
        assert_eq!(a.rating.label, RatingLabel::Neutral);
        assert_eq!(a.stop_loss, None);
        assert!((1..=10).contains(&a.confidence));
    }
}
