//! Studies by name, for callers that get a name and parameters from outside
//! (the REST API, the browser's chart settings).

use std::collections::BTreeMap;

use crate::bar::{run_into, Bar, Convention, Session};
use crate::error::{IndicatorError, MAX_PERIOD};
use crate::{ma, momentum, trend, volatility, volume};

/// A study as callers send it: a name and numeric parameters, any omitted
/// parameter taking its default (see [`CATALOGUE`]).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StudySpec {
    pub name: String,
    #[cfg_attr(feature = "serde", serde(default))]
    pub params: BTreeMap<String, f64>,
}

impl StudySpec {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            params: BTreeMap::new(),
        }
    }

    pub fn with(mut self, param: impl Into<String>, value: f64) -> Self {
        self.params.insert(param.into(), value);
        self
    }
}

/// One output line of a study, aligned with the input bars.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Series {
    /// The study's name, e.g. `macd`.
    pub name: String,
    /// The line, e.g. `signal`; the study's name for single-line studies.
    pub output: String,
    /// One value per bar; `None` during warm-up.
    pub values: Vec<Option<f64>>,
}

/// What a study is called, which parameters it takes (with defaults) and
/// which lines it outputs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StudyInfo {
    pub name: &'static str,
    pub params: &'static [(&'static str, f64)],
    pub outputs: &'static [&'static str],
}

/// Every study [`compute`] knows. Defaults: 20 bars for the moving averages
/// and Bollinger Bands (TA-Lib's own MA default is 30; 20 is what charting
/// packages show), 14 for RSI/ATR/ADX and 14/3/3 for Stochastic (TA-Lib's
/// defaults are 14 and 5/3/3), MACD 12/26/9 and 2 standard deviations (as
/// TA-Lib). VWAP's `session_ms` = 0 means no reset.
pub const CATALOGUE: &[StudyInfo] = &[
    StudyInfo {
        name: "sma",
        params: &[("period", 20.0)],
        outputs: &["sma"],
    },
    StudyInfo {
        name: "ema",
        params: &[("period", 20.0)],
        outputs: &["ema"],
    },
    StudyInfo {
        name: "wma",
        params: &[("period", 20.0)],
        outputs: &["wma"],
    },
    StudyInfo {
        name: "rsi",
        params: &[("period", 14.0)],
        outputs: &["rsi"],
    },
    StudyInfo {
        name: "atr",
        params: &[("period", 14.0)],
        outputs: &["atr"],
    },
    StudyInfo {
        name: "vwap",
        params: &[("session_ms", 0.0), ("session_offset_ms", 0.0)],
        outputs: &["vwap"],
    },
    StudyInfo {
        name: "obv",
        params: &[],
        outputs: &["obv"],
    },
    StudyInfo {
        name: "macd",
        params: &[("fast", 12.0), ("slow", 26.0), ("signal", 9.0)],
        outputs: &["macd", "signal", "hist"],
    },
    StudyInfo {
        name: "bbands",
        params: &[("period", 20.0), ("stddev", 2.0)],
        outputs: &["upper", "middle", "lower"],
    },
    StudyInfo {
        name: "stoch",
        params: &[("k_period", 14.0), ("k_smooth", 3.0), ("d_period", 3.0)],
        outputs: &["k", "d"],
    },
    StudyInfo {
        name: "adx",
        params: &[("period", 14.0)],
        outputs: &["adx", "plus_di", "minus_di"],
    },
];

/// A validated study with all parameters resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Study {
    Sma {
        period: usize,
    },
    Ema {
        period: usize,
    },
    Wma {
        period: usize,
    },
    Rsi {
        period: usize,
    },
    Atr {
        period: usize,
    },
    Vwap {
        session: Session,
    },
    Obv,
    Macd {
        fast: usize,
        slow: usize,
        signal: usize,
    },
    Bbands {
        period: usize,
        stddev: f64,
    },
    Stoch {
        k_period: usize,
        k_smooth: usize,
        d_period: usize,
    },
    Adx {
        period: usize,
    },
}

impl Study {
    /// Resolves defaults and validates: unknown names or parameters, and
    /// values TA-Lib would reject, are errors.
    pub fn from_spec(spec: &StudySpec) -> Result<Study, IndicatorError> {
        let key = spec.name.trim().to_ascii_lowercase();
        let info = CATALOGUE
            .iter()
            .find(|i| i.name == key)
            .ok_or_else(|| IndicatorError::UnknownStudy(spec.name.clone()))?;
        let study = info.name;
        for param in spec.params.keys() {
            if !info.params.iter().any(|(p, _)| p == param) {
                let allowed = match info.params.len() {
                    0 => "no parameters",
                    _ => allowed_list(study),
                };
                return Err(IndicatorError::UnknownParam {
                    study,
                    param: param.clone(),
                    allowed,
                });
            }
        }
        let get = |name: &'static str| -> (&'static str, f64) {
            let default = info
                .params
                .iter()
                .find(|(p, _)| *p == name)
                .map_or(f64::NAN, |(_, d)| *d);
            (name, spec.params.get(name).copied().unwrap_or(default))
        };
        let int =
            |name: &'static str, min: usize| integer(study, get(name), min, MAX_PERIOD as i64);
        let built = match study {
            "sma" => Study::Sma {
                period: int("period", 1)?,
            },
            "ema" => Study::Ema {
                period: int("period", 1)?,
            },
            "wma" => Study::Wma {
                period: int("period", 1)?,
            },
            "rsi" => Study::Rsi {
                period: int("period", 2)?,
            },
            "atr" => Study::Atr {
                period: int("period", 1)?,
            },
            "adx" => Study::Adx {
                period: int("period", 2)?,
            },
            "obv" => Study::Obv,
            "vwap" => {
                let ms = |name| milliseconds(study, get(name));
                let period_ms = ms("session_ms")?;
                let offset_ms = ms("session_offset_ms")?;
                if period_ms < 0 {
                    return Err(IndicatorError::InvalidParam {
                        study,
                        param: "session_ms",
                        value: period_ms as f64,
                        reason: "must be 0 (no reset) or a positive number of milliseconds".into(),
                    });
                }
                Study::Vwap {
                    session: match period_ms {
                        0 => Session::Never,
                        _ => Session::Every {
                            period_ms,
                            offset_ms,
                        },
                    },
                }
            }
            "macd" => Study::Macd {
                fast: int("fast", 2)?,
                slow: int("slow", 2)?,
                signal: int("signal", 1)?,
            },
            "bbands" => Study::Bbands {
                period: int("period", 2)?,
                stddev: get("stddev").1,
            },
            "stoch" => Study::Stoch {
                k_period: int("k_period", 1)?,
                k_smooth: int("k_smooth", 1)?,
                d_period: int("d_period", 1)?,
            },
            _ => return Err(IndicatorError::UnknownStudy(spec.name.clone())),
        };
        // Cross-parameter checks (fast < slow, stddev > 0) live in the
        // constructors; building one here reports them before any work.
        built.compute(&[], Convention::TaLib)?;
        Ok(built)
    }

    pub fn name(&self) -> &'static str {
        match self {
            Study::Sma { .. } => "sma",
            Study::Ema { .. } => "ema",
            Study::Wma { .. } => "wma",
            Study::Rsi { .. } => "rsi",
            Study::Atr { .. } => "atr",
            Study::Vwap { .. } => "vwap",
            Study::Obv => "obv",
            Study::Macd { .. } => "macd",
            Study::Bbands { .. } => "bbands",
            Study::Stoch { .. } => "stoch",
            Study::Adx { .. } => "adx",
        }
    }

    /// Bars before every output line has a value (TA-Lib's lookback in
    /// TA-Lib mode).
    pub fn lookback(&self, convention: Convention) -> usize {
        match *self {
            Study::Sma { period } | Study::Ema { period } | Study::Wma { period } => period - 1,
            Study::Rsi { period } => period,
            Study::Atr { period } => match convention {
                Convention::TaLib => period,
                Convention::TradingView => period - 1,
            },
            Study::Vwap { .. } | Study::Obv => 0,
            Study::Macd { slow, signal, .. } => slow + signal - 2,
            Study::Bbands { period, .. } => period - 1,
            Study::Stoch {
                k_period,
                k_smooth,
                d_period,
            } => k_period + k_smooth + d_period - 3,
            Study::Adx { period } => 2 * period - 1,
        }
    }

    /// Computes every output line over `bars` (closes for the single-input
    /// studies).
    pub fn compute(
        &self,
        bars: &[Bar],
        convention: Convention,
    ) -> Result<Vec<Series>, IndicatorError> {
        let name = self.name();
        let one = |values| vec![series(name, name, values)];
        let closes = || bars.iter().map(|b| b.c).collect::<Vec<_>>();
        Ok(match *self {
            Study::Sma { period } => one(ma::sma(&closes(), period)?),
            Study::Ema { period } => one(ma::ema(&closes(), period, convention)?),
            Study::Wma { period } => one(ma::wma(&closes(), period)?),
            Study::Rsi { period } => one(momentum::rsi(&closes(), period, convention)?),
            Study::Atr { period } => one(volatility::atr(bars, period, convention)?),
            Study::Vwap { session } => one(volume::vwap(bars, session)?),
            Study::Obv => one(volume::obv(bars, convention)),
            Study::Macd { fast, slow, signal } => {
                let m = momentum::macd(&closes(), fast, slow, signal, convention)?;
                vec![
                    series(name, "macd", m.macd),
                    series(name, "signal", m.signal),
                    series(name, "hist", m.hist),
                ]
            }
            Study::Bbands { period, stddev } => {
                let b = volatility::bbands(&closes(), period, stddev)?;
                vec![
                    series(name, "upper", b.upper),
                    series(name, "middle", b.middle),
                    series(name, "lower", b.lower),
                ]
            }
            Study::Stoch {
                k_period,
                k_smooth,
                d_period,
            } => {
                let s = momentum::stoch(bars, k_period, k_smooth, d_period, convention)?;
                vec![series(name, "k", s.k), series(name, "d", s.d)]
            }
            Study::Adx { period } => {
                let a = trend::adx(bars, period, convention)?;
                vec![
                    series(name, "adx", a.adx),
                    series(name, "plus_di", a.plus_di),
                    series(name, "minus_di", a.minus_di),
                ]
            }
        })
    }
}

impl Study {
    /// The names of the output lines, in [`Study::compute`]'s order (the
    /// catalogue's).
    pub fn outputs(&self) -> &'static [&'static str] {
        let name = self.name();
        CATALOGUE
            .iter()
            .find(|i| i.name == name)
            .map_or(&[], |i| i.outputs)
    }

    /// [`Study::compute`] into caller-owned lines, the shape of TA-Lib's C
    /// API: `out` holds one slice per output line ([`Study::outputs`]), each
    /// `bars.len()` long; warm-up rows are NaN. The same numbers as
    /// `compute` (the same state machines), but a caller that keeps its
    /// buffers between calls allocates nothing: on a million bars fresh
    /// output memory (first-touch page faults) cost more than the maths.
    pub fn compute_into(
        &self,
        bars: &[Bar],
        convention: Convention,
        out: &mut [&mut [f64]],
    ) -> Result<(), IndicatorError> {
        let want = self.outputs().len();
        if out.len() != want {
            return Err(IndicatorError::LengthMismatch {
                what: "output lines",
                expected: want,
                got: out.len(),
            });
        }
        if let Some(line) = out.iter().find(|l| l.len() != bars.len()) {
            return Err(IndicatorError::LengthMismatch {
                what: "output line",
                expected: bars.len(),
                got: line.len(),
            });
        }
        let nan = f64::NAN;
        let close = |b: &Bar| b.c;
        let bar = |b: &Bar| *b;
        let one = |v: Option<f64>| [v.unwrap_or(nan)];
        match *self {
            Study::Sma { period } => run_into(ma::Sma::new(period)?, bars, close, one, out),
            Study::Ema { period } => {
                run_into(ma::Ema::new(period, convention)?, bars, close, one, out)
            }
            Study::Wma { period } => run_into(ma::Wma::new(period)?, bars, close, one, out),
            Study::Rsi { period } => run_into(
                momentum::Rsi::new(period, convention)?,
                bars,
                close,
                one,
                out,
            ),
            Study::Atr { period } => run_into(
                volatility::Atr::new(period, convention)?,
                bars,
                bar,
                one,
                out,
            ),
            Study::Vwap { session } => run_into(volume::Vwap::new(session)?, bars, bar, one, out),
            Study::Obv => run_into(volume::Obv::new(convention), bars, bar, one, out),
            Study::Macd { fast, slow, signal } => run_into(
                momentum::Macd::new(fast, slow, signal, convention)?,
                bars,
                close,
                |p| match p {
                    Some(p) => [p.macd, p.signal.unwrap_or(nan), p.hist.unwrap_or(nan)],
                    None => [nan; 3],
                },
                out,
            ),
            Study::Bbands { period, stddev } => run_into(
                volatility::Bbands::new(period, stddev)?,
                bars,
                close,
                |p| match p {
                    Some(p) => [p.upper, p.middle, p.lower],
                    None => [nan; 3],
                },
                out,
            ),
            Study::Stoch {
                k_period,
                k_smooth,
                d_period,
            } => run_into(
                momentum::Stoch::new(k_period, k_smooth, d_period, convention)?,
                bars,
                bar,
                |p| match p {
                    Some(p) => [p.k, p.d.unwrap_or(nan)],
                    None => [nan; 2],
                },
                out,
            ),
            Study::Adx { period } => run_into(
                trend::Adx::new(period, convention)?,
                bars,
                bar,
                |p| match p {
                    Some(p) => [p.adx.unwrap_or(nan), p.plus_di, p.minus_di],
                    None => [nan; 3],
                },
                out,
            ),
        }
        Ok(())
    }
}

/// Validates `spec` and computes it over `bars`.
pub fn compute(
    bars: &[Bar],
    spec: &StudySpec,
    convention: Convention,
) -> Result<Vec<Series>, IndicatorError> {
    Study::from_spec(spec)?.compute(bars, convention)
}

fn series(name: &str, output: &str, values: Vec<Option<f64>>) -> Series {
    Series {
        name: name.to_owned(),
        output: output.to_owned(),
        values,
    }
}

fn allowed_list(study: &str) -> &'static str {
    match study {
        "vwap" => "session_ms, session_offset_ms",
        "macd" => "fast, slow, signal",
        "bbands" => "period, stddev",
        "stoch" => "k_period, k_smooth, d_period",
        _ => "period",
    }
}

fn integer(
    study: &'static str,
    (param, value): (&'static str, f64),
    min: usize,
    max: i64,
) -> Result<usize, IndicatorError> {
    let v = integer_i64(study, (param, value), min as i64, max)?;
    usize::try_from(v).map_err(|_| out_of_range(study, param, value, min as i64, max))
}

fn integer_i64(
    study: &'static str,
    (param, value): (&'static str, f64),
    min: i64,
    max: i64,
) -> Result<i64, IndicatorError> {
    if !value.is_finite() || value.fract() != 0.0 || value < min as f64 || value > max as f64 {
        return Err(out_of_range(study, param, value, min, max));
    }
    Ok(value as i64)
}

/// Whole milliseconds that an f64 (JSON number) holds exactly.
fn milliseconds(
    study: &'static str,
    (param, value): (&'static str, f64),
) -> Result<i64, IndicatorError> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if !value.is_finite() || value.fract() != 0.0 || value.abs() > EXACT {
        return Err(IndicatorError::InvalidParam {
            study,
            param,
            value,
            reason: "must be a whole number of milliseconds".into(),
        });
    }
    Ok(value as i64)
}

fn out_of_range(
    study: &'static str,
    param: &'static str,
    value: f64,
    min: i64,
    max: i64,
) -> IndicatorError {
    IndicatorError::InvalidParam {
        study,
        param,
        value,
        reason: format!("must be an integer from {min} to {max}"),
    }
}
