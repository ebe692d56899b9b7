//! Volume studies: OBV and VWAP.

use crate::bar::{run, Bar, Convention, Indicator, Session};
use crate::error::IndicatorError;

/// On-balance volume: add the bar's volume when the close rises, subtract it
/// when it falls. Lookback 0.
///
/// TA-Lib (`TA_OBV`) starts at bar 0's volume; TradingView (`ta.obv`,
/// `ta.cum(math.sign(ta.change(close)) * volume)`) starts at 0. The two differ
/// by that constant forever after.
#[derive(Debug, Clone)]
pub struct Obv {
    convention: Convention,
    prev_close: Option<f64>,
    obv: f64,
}

impl Obv {
    pub fn new(convention: Convention) -> Self {
        Self {
            convention,
            prev_close: None,
            obv: 0.0,
        }
    }
}

impl Indicator for Obv {
    type Input = Bar;
    type Output = f64;

    #[inline]
    fn next(&mut self, bar: Bar) -> Option<f64> {
        match self.prev_close.replace(bar.c) {
            None => {
                self.obv = match self.convention {
                    Convention::TaLib => bar.v,
                    Convention::TradingView => 0.0,
                }
            }
            Some(pc) if bar.c > pc => self.obv += bar.v,
            Some(pc) if bar.c < pc => self.obv -= bar.v,
            Some(_) => {}
        }
        Some(self.obv)
    }

    fn lookback(&self) -> usize {
        0
    }

    fn reset(&mut self) {
        *self = Self::new(self.convention);
    }
}

/// OBV over `bars` (uses c, v). Never `None`.
pub fn obv(bars: &[Bar], convention: Convention) -> Vec<Option<f64>> {
    run(Obv::new(convention), bars, |b| *b)
}

/// Volume-weighted average price: cumulative typical price × volume over
/// cumulative volume, typical price = (h + l + c) / 3 (TradingView's
/// `ta.vwap(hlc3)`; TA-Lib has no VWAP). `None` while the session's volume is
/// still 0. Lookback 0.
#[derive(Debug, Clone)]
pub struct Vwap {
    session: Session,
    last_key: Option<i64>,
    pv: f64,
    volume: f64,
}

impl Vwap {
    pub fn new(session: Session) -> Result<Self, IndicatorError> {
        if let Session::Every { period_ms, .. } = session {
            if period_ms <= 0 {
                return Err(IndicatorError::InvalidParam {
                    study: "vwap",
                    param: "session_ms",
                    value: period_ms as f64,
                    reason: "must be greater than 0 (or 0 in a study spec for no reset)".into(),
                });
            }
        }
        Ok(Self {
            session,
            last_key: None,
            pv: 0.0,
            volume: 0.0,
        })
    }

    /// Feeds a bar, starting a new session first when `new_session` is true:
    /// for callers that know their own session boundaries.
    #[inline]
    pub fn next_with_reset(&mut self, bar: Bar, new_session: bool) -> Option<f64> {
        if new_session {
            self.pv = 0.0;
            self.volume = 0.0;
        }
        self.pv += bar.typical_price() * bar.v;
        self.volume += bar.v;
        (self.volume != 0.0).then(|| self.pv / self.volume)
    }
}

impl Indicator for Vwap {
    type Input = Bar;
    type Output = f64;

    #[inline]
    fn next(&mut self, bar: Bar) -> Option<f64> {
        let key = self.session.key(bar.t);
        let new_session = key.is_some() && key != self.last_key;
        self.last_key = key;
        self.next_with_reset(bar, new_session)
    }

    fn lookback(&self) -> usize {
        0
    }

    fn reset(&mut self) {
        self.last_key = None;
        self.pv = 0.0;
        self.volume = 0.0;
    }
}

/// VWAP over `bars`, resetting per `session`.
pub fn vwap(bars: &[Bar], session: Session) -> Result<Vec<Option<f64>>, IndicatorError> {
    Ok(run(Vwap::new(session)?, bars, |b| *b))
}

/// VWAP over `bars`, starting a new session at every bar whose flag in
/// `new_session` is true (bar 0 always starts one).
pub fn vwap_with_resets(
    bars: &[Bar],
    new_session: &[bool],
) -> Result<Vec<Option<f64>>, IndicatorError> {
    if new_session.len() != bars.len() {
        return Err(IndicatorError::LengthMismatch {
            what: "vwap session flags",
            expected: bars.len(),
            got: new_session.len(),
        });
    }
    let mut v = Vwap::new(Session::Never)?;
    Ok(bars
        .iter()
        .zip(new_session)
        .map(|(b, &reset)| v.next_with_reset(*b, reset))
        .collect())
}
