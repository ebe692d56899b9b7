//! Oscillators on closes: RSI (Wilder), MACD, slow Stochastic.

use crate::bar::{run, run_split, Bar, Convention, Indicator};
use crate::error::{check_period, ta_is_zero, IndicatorError};
use crate::ma::{Ema, Sma};

/// Wilder's RSI. Lookback `period` (the first change needs two closes).
///
/// Both conventions seed the average gain/loss with the plain mean of the first
/// `period` changes and then smooth with 1/period. TA-Lib writes the update as
/// `(prev * (n-1) + x) / n` and the output as `100 * gain / (gain + loss)`
/// (0 when both are ~0); TradingView's built-in RSI script uses `ta.rma`
/// (`x / n + (1 - 1/n) * prev`) and `100 - 100 / (1 + gain / loss)`, with 100
/// when the average loss is 0 and 0 when the average gain is 0.
#[derive(Debug, Clone)]
pub struct Rsi {
    period: usize,
    convention: Convention,
    prev_close: Option<f64>,
    changes: usize,
    gain: f64,
    loss: f64,
}

impl Rsi {
    pub fn new(period: usize, convention: Convention) -> Result<Self, IndicatorError> {
        check_period("rsi", "period", period, 2)?;
        Ok(Self::unchecked(period, convention))
    }

    fn unchecked(period: usize, convention: Convention) -> Self {
        Self {
            period,
            convention,
            prev_close: None,
            changes: 0,
            gain: 0.0,
            loss: 0.0,
        }
    }

    fn value(&self) -> f64 {
        match self.convention {
            Convention::TaLib => {
                let total = self.gain + self.loss;
                if ta_is_zero(total) {
                    0.0
                } else {
                    100.0 * (self.gain / total)
                }
            }
            Convention::TradingView => {
                if self.loss == 0.0 {
                    100.0
                } else if self.gain == 0.0 {
                    0.0
                } else {
                    100.0 - 100.0 / (1.0 + self.gain / self.loss)
                }
            }
        }
    }
}

impl Indicator for Rsi {
    type Input = f64;
    type Output = f64;

    #[inline]
    fn next(&mut self, x: f64) -> Option<f64> {
        let prev = self.prev_close.replace(x)?;
        let diff = x - prev;
        let n = self.period as f64;
        self.changes += 1;
        if self.changes < self.period {
            if diff < 0.0 {
                self.loss -= diff;
            } else {
                self.gain += diff;
            }
            return None;
        }
        if self.changes == self.period {
            if diff < 0.0 {
                self.loss -= diff;
            } else {
                self.gain += diff;
            }
            self.loss /= n;
            self.gain /= n;
            return Some(self.value());
        }
        self.changes = self.period + 1;
        match self.convention {
            Convention::TaLib => {
                self.loss *= n - 1.0;
                self.gain *= n - 1.0;
                if diff < 0.0 {
                    self.loss -= diff;
                } else {
                    self.gain += diff;
                }
                self.loss /= n;
                self.gain /= n;
            }
            Convention::TradingView => {
                let alpha = 1.0 / n;
                let (up, down) = (diff.max(0.0), (-diff).max(0.0));
                self.gain = alpha * up + (1.0 - alpha) * self.gain;
                self.loss = alpha * down + (1.0 - alpha) * self.loss;
            }
        }
        Some(self.value())
    }

    fn lookback(&self) -> usize {
        self.period
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.period, self.convention);
    }
}

/// RSI over `values`; `None` for the first `period` bars.
pub fn rsi(
    values: &[f64],
    period: usize,
    convention: Convention,
) -> Result<Vec<Option<f64>>, IndicatorError> {
    Ok(run(Rsi::new(period, convention)?, values, |x| *x))
}

/// One MACD output. `signal`/`hist` are `None` only in TradingView mode, where
/// the MACD line appears `signal - 1` bars before its signal line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MacdPoint {
    pub macd: f64,
    pub signal: Option<f64>,
    pub hist: Option<f64>,
}

/// MACD line (fast EMA - slow EMA), its EMA signal line, and the histogram.
///
/// TA-Lib (`TA_MACD`): both EMAs start at bar `slow - 1`; the slow one is seeded
/// with the SMA of bars `0..slow`, the fast one with the SMA of bars
/// `slow - fast..slow` (not of the first `fast` bars), and nothing is output
/// before the signal exists: lookback `slow + signal - 2` for all three.
///
/// TradingView (`ta.macd`): two independent `ta.ema`s, each seeded with the SMA
/// of its own first `period` bars, so the fast EMA has run since bar
/// `fast - 1`; the MACD line starts at bar `slow - 1` and signal/hist at
/// `slow + signal - 2`.
#[derive(Debug, Clone)]
pub struct Macd {
    fast_period: usize,
    slow_period: usize,
    signal_period: usize,
    convention: Convention,
    /// TA-Lib mode: the first `slow` closes, needed to seed both EMAs at once.
    warmup: Vec<f64>,
    seeded: bool,
    fast: Ema,
    slow: Ema,
    signal: Ema,
}

impl Macd {
    pub fn new(
        fast: usize,
        slow: usize,
        signal: usize,
        convention: Convention,
    ) -> Result<Self, IndicatorError> {
        check_period("macd", "fast", fast, 2)?;
        check_period("macd", "slow", slow, 2)?;
        check_period("macd", "signal", signal, 1)?;
        if fast >= slow {
            return Err(IndicatorError::FastNotBelowSlow {
                study: "macd",
                fast_name: "fast",
                fast,
                slow_name: "slow",
                slow,
            });
        }
        Ok(Self::unchecked(fast, slow, signal, convention))
    }

    fn unchecked(fast: usize, slow: usize, signal: usize, convention: Convention) -> Self {
        Self {
            fast_period: fast,
            slow_period: slow,
            signal_period: signal,
            convention,
            warmup: Vec::new(),
            seeded: false,
            fast: Ema::unchecked(fast, convention),
            slow: Ema::unchecked(slow, convention),
            signal: Ema::unchecked(signal, convention),
        }
    }

    /// TA-Lib mode: the fast and slow EMAs, once both exist.
    #[inline]
    fn talib_emas(&mut self, x: f64) -> Option<(f64, f64)> {
        if self.seeded {
            let f = self.fast.next(x)?;
            let s = self.slow.next(x)?;
            return Some((f, s));
        }
        self.warmup.push(x);
        if self.warmup.len() < self.slow_period {
            return None;
        }
        // TA-Lib sums each seed window front to back, as here.
        let mean = |xs: &[f64]| xs.iter().fold(0.0, |acc, v| acc + v) / xs.len() as f64;
        let slow_seed = mean(&self.warmup);
        let fast_seed = mean(&self.warmup[self.slow_period - self.fast_period..]);
        self.fast = Ema::seeded(self.fast_period, Convention::TaLib, fast_seed);
        self.slow = Ema::seeded(self.slow_period, Convention::TaLib, slow_seed);
        self.warmup = Vec::new();
        self.seeded = true;
        Some((fast_seed, slow_seed))
    }
}

impl Indicator for Macd {
    type Input = f64;
    type Output = MacdPoint;

    #[inline]
    fn next(&mut self, x: f64) -> Option<MacdPoint> {
        let (f, s) = match self.convention {
            Convention::TaLib => self.talib_emas(x)?,
            Convention::TradingView => {
                // Both must see every close, so no `?` between them.
                let f = self.fast.next(x);
                let s = self.slow.next(x);
                (f?, s?)
            }
        };
        let macd = f - s;
        let signal = self.signal.next(macd);
        if signal.is_none() && self.convention == Convention::TaLib {
            return None;
        }
        Some(MacdPoint {
            macd,
            signal,
            hist: signal.map(|sig| macd - sig),
        })
    }

    fn lookback(&self) -> usize {
        self.slow_period + self.signal_period - 2
    }

    fn reset(&mut self) {
        *self = Self::unchecked(
            self.fast_period,
            self.slow_period,
            self.signal_period,
            self.convention,
        );
    }
}

/// Batch MACD, one entry per input bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MacdSeries {
    pub macd: Vec<Option<f64>>,
    pub signal: Vec<Option<f64>>,
    pub hist: Vec<Option<f64>>,
}

/// MACD over `values`. TA-Lib: all three `None` for the first
/// `slow + signal - 2` bars. TradingView: `macd` from bar `slow - 1`.
pub fn macd(
    values: &[f64],
    fast: usize,
    slow: usize,
    signal: usize,
    convention: Convention,
) -> Result<MacdSeries, IndicatorError> {
    let [macd, signal, hist] = run_split(
        Macd::new(fast, slow, signal, convention)?,
        values,
        |x| *x,
        |p| match p {
            Some(p) => [Some(p.macd), p.signal, p.hist],
            None => [None; 3],
        },
    );
    Ok(MacdSeries { macd, signal, hist })
}

/// One slow-stochastic output; `d` is `None` only in TradingView mode, where
/// %K appears `d_period - 1` bars before %D.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StochPoint {
    pub k: f64,
    pub d: Option<f64>,
}

/// Slow stochastic: fast %K over `k_period` bars, smoothed by an SMA of
/// `k_smooth` into %K, and %D = SMA(`d_period`) of %K (TA-Lib's `STOCH` with
/// SMA for both MA types, TradingView's built-in "Stoch").
///
/// Fast %K is 0 when the high-low range is 0 in both modes (TA-Lib's rule).
/// TA-Lib 0.8 rounds it as `100 * ((c - ll) / (hh - ll))`, Pine as
/// `100 * (c - ll) / (hh - ll)`. TA-Lib outputs %K and %D together from bar
/// `k_period + k_smooth + d_period - 3`; TradingView shows %K `d_period - 1`
/// bars earlier.
#[derive(Debug, Clone)]
pub struct Stoch {
    k_period: usize,
    k_smooth: usize,
    d_period: usize,
    convention: Convention,
    extremes: RollingExtremes,
    slow_k: Sma,
    slow_d: Sma,
}

impl Stoch {
    pub fn new(
        k_period: usize,
        k_smooth: usize,
        d_period: usize,
        convention: Convention,
    ) -> Result<Self, IndicatorError> {
        check_period("stoch", "k_period", k_period, 1)?;
        check_period("stoch", "k_smooth", k_smooth, 1)?;
        check_period("stoch", "d_period", d_period, 1)?;
        Ok(Self::unchecked(k_period, k_smooth, d_period, convention))
    }

    fn unchecked(
        k_period: usize,
        k_smooth: usize,
        d_period: usize,
        convention: Convention,
    ) -> Self {
        Self {
            k_period,
            k_smooth,
            d_period,
            convention,
            extremes: RollingExtremes::new(k_period),
            slow_k: Sma::unchecked(k_smooth),
            slow_d: Sma::unchecked(d_period),
        }
    }
}

impl Indicator for Stoch {
    type Input = Bar;
    type Output = StochPoint;

    #[inline]
    fn next(&mut self, bar: Bar) -> Option<StochPoint> {
        let (hh, ll) = self.extremes.push(bar.h, bar.l)?;
        let range = hh - ll;
        let fast_k = match self.convention {
            // TA-Lib 0.8.1's rounding, matched bit for bit on the reference
            // data (older releases computed `(c - ll) / (range / 100)`).
            Convention::TaLib => {
                if range != 0.0 {
                    100.0 * ((bar.c - ll) / range)
                } else {
                    0.0
                }
            }
            Convention::TradingView => {
                if range != 0.0 {
                    100.0 * (bar.c - ll) / range
                } else {
                    0.0
                }
            }
        };
        let k = self.slow_k.next(fast_k)?;
        let d = self.slow_d.next(k);
        if d.is_none() && self.convention == Convention::TaLib {
            return None;
        }
        Some(StochPoint { k, d })
    }

    fn lookback(&self) -> usize {
        self.k_period + self.k_smooth + self.d_period - 3
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.k_period, self.k_smooth, self.d_period, self.convention);
    }
}

/// Batch slow stochastic, one entry per input bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StochSeries {
    pub k: Vec<Option<f64>>,
    pub d: Vec<Option<f64>>,
}

/// Slow stochastic over `bars` (uses h, l, c).
pub fn stoch(
    bars: &[Bar],
    k_period: usize,
    k_smooth: usize,
    d_period: usize,
    convention: Convention,
) -> Result<StochSeries, IndicatorError> {
    let [k, d] = run_split(
        Stoch::new(k_period, k_smooth, d_period, convention)?,
        bars,
        |b| *b,
        |p| match p {
            Some(p) => [Some(p.k), p.d],
            None => [None; 2],
        },
    );
    Ok(StochSeries { k, d })
}

/// Highest high and lowest low of the last `period` bars.
///
/// Same strategy as TA-Lib's STOCH: remember where the extreme is and rescan
/// the window only when it falls out, which is O(1) amortised on real data.
#[derive(Debug, Clone)]
pub(crate) struct RollingExtremes {
    period: usize,
    highs: Vec<f64>,
    lows: Vec<f64>,
    /// Ring slot of the oldest bar once the window is full.
    pos: usize,
    /// Bars seen so far.
    count: usize,
    highest: f64,
    highest_idx: usize,
    lowest: f64,
    lowest_idx: usize,
}

impl RollingExtremes {
    pub(crate) fn new(period: usize) -> Self {
        Self {
            period,
            highs: vec![0.0; period],
            lows: vec![0.0; period],
            pos: 0,
            count: 0,
            highest: f64::NEG_INFINITY,
            highest_idx: 0,
            lowest: f64::INFINITY,
            lowest_idx: 0,
        }
    }

    /// `(highest, lowest)` once `period` bars have been pushed.
    #[inline]
    pub(crate) fn push(&mut self, high: f64, low: f64) -> Option<(f64, f64)> {
        let today = self.count;
        self.highs[self.pos] = high;
        self.lows[self.pos] = low;
        self.pos += 1;
        if self.pos == self.period {
            self.pos = 0;
        }
        self.count += 1;
        let trailing = self.count.saturating_sub(self.period);

        if today == 0 || self.lowest_idx < trailing {
            (self.lowest_idx, self.lowest) = self.scan(&self.lows, trailing, |a, b| a < b);
        } else if low <= self.lowest {
            self.lowest_idx = today;
            self.lowest = low;
        }
        if today == 0 || self.highest_idx < trailing {
            (self.highest_idx, self.highest) = self.scan(&self.highs, trailing, |a, b| a > b);
        } else if high >= self.highest {
            self.highest_idx = today;
            self.highest = high;
        }
        (self.count >= self.period).then_some((self.highest, self.lowest))
    }

    /// Extreme of the window, oldest bar first; ties keep the earliest bar, as
    /// TA-Lib's rescan does (the value is the same either way). Returns the
    /// bar's index counted from the first bar pushed.
    fn scan(
        &self,
        ring: &[f64],
        trailing: usize,
        better: impl Fn(f64, f64) -> bool,
    ) -> (usize, f64) {
        let (older, newer) = if self.count < self.period {
            (&ring[..self.count], &ring[..0])
        } else {
            let (newer, older) = ring.split_at(self.pos);
            (older, newer)
        };
        let mut best_k = 0;
        let mut best = older.first().copied().unwrap_or(f64::NAN);
        // Two plain loops rather than a chained iterator: this rescan is the
        // stochastic's hot spot on trending data.
        for (k, &v) in older.iter().enumerate().skip(1) {
            if better(v, best) {
                best_k = k;
                best = v;
            }
        }
        for (k, &v) in newer.iter().enumerate() {
            if better(v, best) {
                best_k = older.len() + k;
                best = v;
            }
        }
        let best_idx = trailing + best_k;
        (best_idx, best)
    }
}
