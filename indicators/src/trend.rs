//! Trend strength: Wilder's directional movement (+DI, -DI) and ADX.

use crate::bar::{run_split, Bar, Convention, Indicator};
use crate::error::{check_period, ta_is_zero, IndicatorError};

/// One directional-movement output. `adx` is `None` for the `period - 1` bars
/// where the DIs exist but ADX is still averaging its first DXs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdxPoint {
    pub adx: Option<f64>,
    pub plus_di: f64,
    pub minus_di: f64,
}

/// ADX with +DI and -DI. +DI/-DI start at bar `period` (TA-Lib's `PLUS_DI` /
/// `MINUS_DI` lookback), ADX at bar `2 * period - 1` (`ADX` lookback).
///
/// TA-Lib (`TA_ADX`, `TA_PLUS_DI`, `TA_MINUS_DI`): the DM and TR sums start as
/// plain sums of bars `1..period` and are then smoothed Wilder's way as sums
/// (`s = s - s/n + x`) from bar `period` on; the first ADX is the mean of the
/// DXs of bars `period..2*period`, then `adx = (adx*(n-1) + dx) / n`. A DI is
/// 0 while the smoothed TR is ~0, and DX is skipped (ADX kept) when TR or
/// +DI + -DI is ~0.
///
/// TradingView (built-in "DMI"/"ADX" scripts with DI length = ADX smoothing =
/// `period`): TR, +DM and -DM are `ta.rma`s seeded with the SMA of bars
/// `1..=period`, so their first value at bar `period` differs from TA-Lib's;
/// `dx = |+DI - -DI| / (+DI + -DI)` (sum 0 → divide by 1) and ADX =
/// `100 * ta.rma(dx, period)`. A DI whose TR average is 0 repeats the previous
/// DI (`fixnan`), or is 0 before there is one.
#[derive(Debug, Clone)]
pub struct Adx {
    period: usize,
    convention: Convention,
    index: usize,
    prev_high: f64,
    prev_low: f64,
    prev_close: f64,
    plus_dm: f64,
    minus_dm: f64,
    tr: f64,
    /// TA-Lib: sum of the first DXs, then the ADX. TradingView: the DX average.
    adx: f64,
    plus_di: f64,
    minus_di: f64,
}

impl Adx {
    pub fn new(period: usize, convention: Convention) -> Result<Self, IndicatorError> {
        check_period("adx", "period", period, 2)?;
        Ok(Self::unchecked(period, convention))
    }

    fn unchecked(period: usize, convention: Convention) -> Self {
        Self {
            period,
            convention,
            index: 0,
            prev_high: 0.0,
            prev_low: 0.0,
            prev_close: 0.0,
            plus_dm: 0.0,
            minus_dm: 0.0,
            tr: 0.0,
            adx: 0.0,
            plus_di: 0.0,
            minus_di: 0.0,
        }
    }

    #[inline]
    fn talib(&mut self, i: usize, plus: f64, minus: f64, tr: f64) -> Option<AdxPoint> {
        let n = self.period as f64;
        if i < self.period {
            self.plus_dm += plus;
            self.minus_dm += minus;
            self.tr += tr;
            return None;
        }
        self.minus_dm -= self.minus_dm / n;
        self.plus_dm -= self.plus_dm / n;
        self.minus_dm += minus;
        self.plus_dm += plus;
        self.tr = self.tr - self.tr / n + tr;
        let dx = if ta_is_zero(self.tr) {
            self.plus_di = 0.0;
            self.minus_di = 0.0;
            None
        } else {
            self.minus_di = 100.0 * (self.minus_dm / self.tr);
            self.plus_di = 100.0 * (self.plus_dm / self.tr);
            let sum = self.minus_di + self.plus_di;
            (!ta_is_zero(sum)).then(|| 100.0 * ((self.minus_di - self.plus_di).abs() / sum))
        };
        let last_seed = 2 * self.period - 1;
        let adx = if i < last_seed {
            self.adx += dx.unwrap_or(0.0);
            None
        } else if i == last_seed {
            self.adx += dx.unwrap_or(0.0);
            self.adx /= n;
            Some(self.adx)
        } else {
            if let Some(dx) = dx {
                self.adx = (self.adx * (n - 1.0) + dx) / n;
            }
            Some(self.adx)
        };
        Some(AdxPoint {
            adx,
            plus_di: self.plus_di,
            minus_di: self.minus_di,
        })
    }

    #[inline]
    fn tradingview(&mut self, i: usize, plus: f64, minus: f64, tr: f64) -> Option<AdxPoint> {
        let n = self.period as f64;
        if i <= self.period {
            self.plus_dm += plus;
            self.minus_dm += minus;
            self.tr += tr;
            if i < self.period {
                return None;
            }
            self.plus_dm /= n;
            self.minus_dm /= n;
            self.tr /= n;
        } else {
            let alpha = 1.0 / n;
            self.plus_dm = alpha * plus + (1.0 - alpha) * self.plus_dm;
            self.minus_dm = alpha * minus + (1.0 - alpha) * self.minus_dm;
            self.tr = alpha * tr + (1.0 - alpha) * self.tr;
        }
        if self.tr != 0.0 {
            self.plus_di = 100.0 * self.plus_dm / self.tr;
            self.minus_di = 100.0 * self.minus_dm / self.tr;
        }
        let sum = self.plus_di + self.minus_di;
        let dx = (self.plus_di - self.minus_di).abs() / if sum == 0.0 { 1.0 } else { sum };
        let last_seed = 2 * self.period - 1;
        let adx = if i < last_seed {
            self.adx += dx;
            None
        } else {
            if i == last_seed {
                self.adx += dx;
                self.adx /= n;
            } else {
                let alpha = 1.0 / n;
                self.adx = alpha * dx + (1.0 - alpha) * self.adx;
            }
            Some(100.0 * self.adx)
        };
        Some(AdxPoint {
            adx,
            plus_di: self.plus_di,
            minus_di: self.minus_di,
        })
    }
}

impl Indicator for Adx {
    type Input = Bar;
    type Output = AdxPoint;

    #[inline]
    fn next(&mut self, bar: Bar) -> Option<AdxPoint> {
        let i = self.index;
        self.index += 1;
        let (prev_high, prev_low, prev_close) = (self.prev_high, self.prev_low, self.prev_close);
        self.prev_high = bar.h;
        self.prev_low = bar.l;
        self.prev_close = bar.c;
        if i == 0 {
            return None;
        }
        let diff_p = bar.h - prev_high;
        let diff_m = prev_low - bar.l;
        // TA-Lib's case analysis; Pine's `up > down and up > 0` picks the same
        // bars (the two differ only in naming).
        let (plus, minus) = if diff_m > 0.0 && diff_p < diff_m {
            (0.0, diff_m)
        } else if diff_p > 0.0 && diff_p > diff_m {
            (diff_p, 0.0)
        } else {
            (0.0, 0.0)
        };
        let tr = crate::volatility::true_range(bar.h, bar.l, prev_close);
        match self.convention {
            Convention::TaLib => self.talib(i, plus, minus, tr),
            Convention::TradingView => self.tradingview(i, plus, minus, tr),
        }
    }

    fn lookback(&self) -> usize {
        2 * self.period - 1
    }

    fn reset(&mut self) {
        *self = Self::unchecked(self.period, self.convention);
    }
}

/// Batch ADX/DMI, one entry per input bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdxSeries {
    pub adx: Vec<Option<f64>>,
    pub plus_di: Vec<Option<f64>>,
    pub minus_di: Vec<Option<f64>>,
}

/// ADX, +DI and -DI over `bars` (uses h, l, c).
pub fn adx(
    bars: &[Bar],
    period: usize,
    convention: Convention,
) -> Result<AdxSeries, IndicatorError> {
    let [adx, plus_di, minus_di] = run_split(
        Adx::new(period, convention)?,
        bars,
        |b| *b,
        |p| match p {
            Some(p) => [p.adx, Some(p.plus_di), Some(p.minus_di)],
            None => [None; 3],
        },
    );
    Ok(AdxSeries {
        adx,
        plus_di,
        minus_di,
    })
}
