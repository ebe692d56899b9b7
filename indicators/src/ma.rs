//! Moving averages: SMA, EMA, WMA.
//!
//! The arithmetic copies TA-Lib's operation order (running sums rather than
//! re-summing each window) so results are the same bits as TA-Lib's, not
//! merely close to them.

use crate::bar::{run, Convention, Indicator};
use crate::error::{check_period, IndicatorError};

/// Simple moving average. Lookback `period - 1`.
#[derive(Debug, Clone)]
pub struct Sma {
    period: usize,
    window: Vec<f64>,
    pos: usize,
    seen: usize,
    total: f64,
}

impl Sma {
    pub fn new(period: usize) -> Result<Self, IndicatorError> {
        check_period("sma", "period", period, 1)?;
        Ok(Self::unchecked(period))
    }

    pub(crate) fn unchecked(period: usize) -> Self {
        Self {
            period,
            window: vec![0.0; period],
            pos: 0,
            seen: 0,
            total: 0.0,
        }
    }
}

impl Indicator for Sma {
    type Input = f64;
    type Output = f64;

    #[inline]
    fn next(&mut self, x: f64) -> Option<f64> {
        self.window[self.pos] = x;
        self.pos += 1;
        if self.pos == self.period {
            self.pos = 0;
        }
        self.total += x;
        if self.seen + 1 < self.period {
            self.seen += 1;
            return None;
        }
        // TA-Lib divides the total that includes x, then drops the oldest
        // value of this window (now at `pos`) from the running total.
        let out = self.total / self.period as f64;
        self.total -= self.window[self.pos];
        Some(out)
    }

    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.period);
    }
}

/// SMA over `values`; `None` for the first `period - 1` bars.
pub fn sma(values: &[f64], period: usize) -> Result<Vec<Option<f64>>, IndicatorError> {
    Ok(run(Sma::new(period)?, values, |x| *x))
}

/// Exponential moving average, k = 2 / (period + 1), seeded with the SMA of
/// the first `period` values (TA-Lib's default compatibility, and Pine's
/// `ta.ema`). Lookback `period - 1`.
///
/// The two conventions differ only in rounding: TA-Lib updates with
/// `(x - prev) * k + prev`, Pine with `k * x + (1 - k) * prev`.
#[derive(Debug, Clone)]
pub struct Ema {
    period: usize,
    k: f64,
    convention: Convention,
    seen: usize,
    sum: f64,
    prev: f64,
}

impl Ema {
    pub fn new(period: usize, convention: Convention) -> Result<Self, IndicatorError> {
        check_period("ema", "period", period, 1)?;
        Ok(Self::unchecked(period, convention))
    }

    pub(crate) fn unchecked(period: usize, convention: Convention) -> Self {
        Self {
            period,
            k: 2.0 / (period as f64 + 1.0),
            convention,
            seen: 0,
            sum: 0.0,
            prev: 0.0,
        }
    }

    /// Starts already seeded, as TA-Lib's MACD does with its fast EMA.
    pub(crate) fn seeded(period: usize, convention: Convention, seed: f64) -> Self {
        let mut e = Self::unchecked(period, convention);
        e.seen = period;
        e.prev = seed;
        e
    }

    #[inline]
    fn step(&self, x: f64) -> f64 {
        match self.convention {
            Convention::TaLib => (x - self.prev) * self.k + self.prev,
            Convention::TradingView => self.k * x + (1.0 - self.k) * self.prev,
        }
    }
}

impl Indicator for Ema {
    type Input = f64;
    type Output = f64;

    #[inline]
    fn next(&mut self, x: f64) -> Option<f64> {
        if self.seen >= self.period {
            self.prev = self.step(x);
            return Some(self.prev);
        }
        self.sum += x;
        self.seen += 1;
        if self.seen < self.period {
            return None;
        }
        self.prev = self.sum / self.period as f64;
        Some(self.prev)
    }

    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.period, self.convention);
    }
}

/// EMA over `values`; `None` for the first `period - 1` bars.
pub fn ema(
    values: &[f64],
    period: usize,
    convention: Convention,
) -> Result<Vec<Option<f64>>, IndicatorError> {
    Ok(run(Ema::new(period, convention)?, values, |x| *x))
}

/// Linearly weighted moving average (weights 1..=period, newest heaviest).
/// Lookback `period - 1`.
#[derive(Debug, Clone)]
pub struct Wma {
    period: usize,
    divider: f64,
    window: Vec<f64>,
    pos: usize,
    seen: usize,
    sum: f64,
    sub: f64,
    trailing: f64,
}

impl Wma {
    pub fn new(period: usize) -> Result<Self, IndicatorError> {
        check_period("wma", "period", period, 1)?;
        Ok(Self::unchecked(period))
    }

    fn unchecked(period: usize) -> Self {
        Self {
            period,
            divider: ((period * (period + 1)) >> 1) as f64,
            window: vec![0.0; period],
            pos: 0,
            seen: 0,
            sum: 0.0,
            sub: 0.0,
            trailing: 0.0,
        }
    }
}

impl Indicator for Wma {
    type Input = f64;
    type Output = f64;

    #[inline]
    fn next(&mut self, x: f64) -> Option<f64> {
        // TA-Lib copies the input for period 1; the running sums below would
        // otherwise leave rounding residue.
        if self.period == 1 {
            return Some(x);
        }
        self.window[self.pos] = x;
        self.pos += 1;
        if self.pos == self.period {
            self.pos = 0;
        }
        if self.seen + 1 < self.period {
            self.seen += 1;
            self.sub += x;
            self.sum += x * self.seen as f64;
            return None;
        }
        // TA-Lib keeps sum(w_i x_i) and sum(x_i) running: adding x with the
        // top weight and then subtracting the plain sum shifts every weight
        // down by one for the next bar.
        self.sub += x;
        self.sub -= self.trailing;
        self.sum += x * self.period as f64;
        self.trailing = self.window[self.pos];
        let out = self.sum / self.divider;
        self.sum -= self.sub;
        Some(out)
    }

    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.period);
    }
}

/// WMA over `values`; `None` for the first `period - 1` bars.
pub fn wma(values: &[f64], period: usize) -> Result<Vec<Option<f64>>, IndicatorError> {
    Ok(run(Wma::new(period)?, values, |x| *x))
}
