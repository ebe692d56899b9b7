//! Volatility: true range, ATR (Wilder), Bollinger Bands.

use crate::bar::{run, run_split, Bar, Convention, Indicator};
use crate::error::{check_period, ta_is_zero_or_neg, IndicatorError};
use crate::ma::Sma;

/// Greatest of high - low, |high - prev close|, |low - prev close|, compared in
/// TA-Lib's order (`TRUE_RANGE` macro).
#[inline]
pub fn true_range(high: f64, low: f64, prev_close: f64) -> f64 {
    let mut out = high - low;
    let t = (high - prev_close).abs();
    if t > out {
        out = t;
    }
    let t = (low - prev_close).abs();
    if t > out {
        out = t;
    }
    out
}

/// Average true range with Wilder's smoothing.
///
/// TA-Lib (`TA_ATR`): the first true range is at bar 1 (bar 0 has no previous
/// close); the first ATR, at bar `period`, is the SMA of the true ranges of bars
/// `1..=period`, then `atr = (atr * (n-1) + tr) / n`. Lookback `period`.
///
/// TradingView (`ta.atr` = `ta.rma(ta.tr(true), n)`): bar 0's true range is
/// high - low, so the first ATR, at bar `period - 1`, is the SMA of bars
/// `0..period`, then `atr = tr / n + (1 - 1/n) * atr`. Lookback `period - 1`.
#[derive(Debug, Clone)]
pub struct Atr {
    period: usize,
    convention: Convention,
    prev_close: Option<f64>,
    ranges: usize,
    atr: f64,
}

impl Atr {
    pub fn new(period: usize, convention: Convention) -> Result<Self, IndicatorError> {
        check_period("atr", "period", period, 1)?;
        Ok(Self::unchecked(period, convention))
    }

    pub(crate) fn unchecked(period: usize, convention: Convention) -> Self {
        Self {
            period,
            convention,
            prev_close: None,
            ranges: 0,
            atr: 0.0,
        }
    }
}

impl Indicator for Atr {
    type Input = Bar;
    type Output = f64;

    #[inline]
    fn next(&mut self, bar: Bar) -> Option<f64> {
        let tr = match (self.prev_close.replace(bar.c), self.convention) {
            (Some(pc), _) => true_range(bar.h, bar.l, pc),
            (None, Convention::TaLib) => return None,
            (None, Convention::TradingView) => bar.h - bar.l,
        };
        let n = self.period as f64;
        if self.ranges < self.period {
            self.atr += tr;
            self.ranges += 1;
            if self.ranges < self.period {
                return None;
            }
            self.atr /= n;
            return Some(self.atr);
        }
        match self.convention {
            Convention::TaLib => {
                self.atr *= n - 1.0;
                self.atr += tr;
                self.atr /= n;
            }
            Convention::TradingView => {
                let alpha = 1.0 / n;
                self.atr = alpha * tr + (1.0 - alpha) * self.atr;
            }
        }
        Some(self.atr)
    }

    fn lookback(&self) -> usize {
        match self.convention {
            Convention::TaLib => self.period,
            Convention::TradingView => self.period - 1,
        }
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.period, self.convention);
    }
}

/// ATR over `bars` (uses h, l, c).
pub fn atr(
    bars: &[Bar],
    period: usize,
    convention: Convention,
) -> Result<Vec<Option<f64>>, IndicatorError> {
    Ok(run(Atr::new(period, convention)?, bars, |b| *b))
}

/// One set of Bollinger Bands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BbandsPoint {
    pub upper: f64,
    pub middle: f64,
    pub lower: f64,
}

/// Bollinger Bands: SMA middle band ± `stddev` × population standard
/// deviation over the same window (TA-Lib `BBANDS` with `matype` SMA and equal
/// up/down deviations; TradingView's `ta.bb` gives the same numbers up to
/// rounding). Lookback `period - 1`.
///
/// The deviation is TA-Lib's `sqrt(mean(x^2) - sma^2)` from running sums, 0 when
/// that difference is below TA-Lib's epsilon.
#[derive(Debug, Clone)]
pub struct Bbands {
    period: usize,
    stddev: f64,
    sma: Sma,
    squares: Vec<f64>,
    pos: usize,
    total2: f64,
}

impl Bbands {
    pub fn new(period: usize, stddev: f64) -> Result<Self, IndicatorError> {
        check_period("bbands", "period", period, 2)?;
        if !(stddev.is_finite() && stddev > 0.0) {
            return Err(IndicatorError::InvalidParam {
                study: "bbands",
                param: "stddev",
                value: stddev,
                reason: "must be a finite number greater than 0".into(),
            });
        }
        Ok(Self::unchecked(period, stddev))
    }

    fn unchecked(period: usize, stddev: f64) -> Self {
        Self {
            period,
            stddev,
            sma: Sma::unchecked(period),
            squares: vec![0.0; period],
            pos: 0,
            total2: 0.0,
        }
    }
}

impl Indicator for Bbands {
    type Input = f64;
    type Output = BbandsPoint;

    #[inline]
    fn next(&mut self, x: f64) -> Option<BbandsPoint> {
        let sq = x * x;
        self.squares[self.pos] = sq;
        self.pos += 1;
        if self.pos == self.period {
            self.pos = 0;
        }
        self.total2 += sq;
        let middle = self.sma.next(x)?;
        let mut var = self.total2 / self.period as f64;
        self.total2 -= self.squares[self.pos];
        var -= middle * middle;
        let dev = if ta_is_zero_or_neg(var) {
            0.0
        } else {
            var.sqrt()
        };
        let width = dev * self.stddev;
        Some(BbandsPoint {
            upper: middle + width,
            middle,
            lower: middle - width,
        })
    }

    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.period, self.stddev);
    }
}

/// Batch Bollinger Bands, one entry per input bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BbandsSeries {
    pub upper: Vec<Option<f64>>,
    pub middle: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
}

/// Bollinger Bands over `values`; `None` for the first `period - 1` bars.
pub fn bbands(values: &[f64], period: usize, stddev: f64) -> Result<BbandsSeries, IndicatorError> {
    let [upper, middle, lower] = run_split(
        Bbands::new(period, stddev)?,
        values,
        |x| *x,
        |p| match p {
            Some(p) => [Some(p.upper), Some(p.middle), Some(p.lower)],
            None => [None; 3],
        },
    );
    Ok(BbandsSeries {
        upper,
        middle,
        lower,
    })
}
