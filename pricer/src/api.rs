//! High-level API shared by the CLI, the HTTP API and the browser:
//! validated inputs, engine selection by name, [`price`] and [`implied_vol`].

use crate::american::{alo, baw, bjerksund, fd_greeks, tree};
use crate::black::OptionKind;
use crate::error::{InputError, IvError, PricingError};
use crate::greeks::{bsm_greeks, PriceResult};
use crate::iv::implied_vol_bsm;
use crate::solver::brent;
use std::str::FromStr;

/// European or American exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ExerciseStyle {
    /// Exercise at expiry only.
    European,
    /// Exercise at any time up to expiry.
    American,
}

/// Pricing engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Engine {
    /// Closed-form Black-Scholes-Merton (European only).
    Analytic,
    /// Barone-Adesi & Whaley 1987 (American only).
    Baw,
    /// Bjerksund & Stensland 1993 (American only).
    Bs1993,
    /// Bjerksund & Stensland 2002 (American only).
    Bs2002,
    /// Leisen-Reimer binomial tree with this many steps (made odd).
    Tree {
        /// Number of time steps.
        steps: usize,
    },
    /// Most accurate engine: Analytic for European, ALO collocation for American.
    Best,
}

/// Steps used when a tree is requested by name without a count.
pub const DEFAULT_TREE_STEPS: usize = 501;

impl Engine {
    /// Lower-case name, as accepted by `from_str`.
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Analytic => "analytic",
            Engine::Baw => "baw",
            Engine::Bs1993 => "bs1993",
            Engine::Bs2002 => "bs2002",
            Engine::Tree { .. } => "tree",
            Engine::Best => "best",
        }
    }
}

impl FromStr for Engine {
    type Err = InputError;
    /// Case-insensitive: `analytic`, `baw`, `bs1993`, `bs2002`, `tree`
    /// (or `tree:N` / `tree(N)` for N steps), `best`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let l = s.trim().to_ascii_lowercase();
        let unknown = || InputError::Unknown {
            what: "engine",
            value: s.to_string(),
        };
        Ok(match l.as_str() {
            "analytic" => Engine::Analytic,
            "baw" => Engine::Baw,
            "bs1993" => Engine::Bs1993,
            "bs2002" => Engine::Bs2002,
            "best" => Engine::Best,
            "tree" => Engine::Tree {
                steps: DEFAULT_TREE_STEPS,
            },
            _ => {
                let rest = l.strip_prefix("tree").ok_or_else(unknown)?;
                let digits =
                    rest.trim_matches(|c: char| c == ':' || c == '(' || c == ')' || c == '=');
                let steps: usize = digits.parse().map_err(|_| unknown())?;
                if steps == 0 {
                    return Err(unknown());
                }
                Engine::Tree { steps }
            }
        })
    }
}

impl FromStr for OptionKind {
    type Err = InputError;
    /// `call`/`c` or `put`/`p`, case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "call" | "c" => Ok(OptionKind::Call),
            "put" | "p" => Ok(OptionKind::Put),
            _ => Err(InputError::Unknown {
                what: "option kind",
                value: s.to_string(),
            }),
        }
    }
}

impl FromStr for ExerciseStyle {
    type Err = InputError;
    /// `european`/`eu` or `american`/`am`, case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "european" | "eu" | "e" => Ok(ExerciseStyle::European),
            "american" | "am" | "a" => Ok(ExerciseStyle::American),
            _ => Err(InputError::Unknown {
                what: "exercise style",
                value: s.to_string(),
            }),
        }
    }
}

pub(crate) fn check_finite(v: f64, name: &'static str) -> Result<f64, InputError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(InputError::NonFinite(name))
    }
}

pub(crate) fn check_positive(v: f64, name: &'static str) -> Result<f64, InputError> {
    if check_finite(v, name)? > 0.0 {
        Ok(v)
    } else {
        Err(InputError::NotPositive(name))
    }
}

pub(crate) fn check_non_negative(v: f64, name: &'static str) -> Result<f64, InputError> {
    if check_finite(v, name)? >= 0.0 {
        Ok(v)
    } else {
        Err(InputError::Negative(name))
    }
}

/// Contract terms of a vanilla option.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OptionTerms {
    /// Call or put.
    pub kind: OptionKind,
    /// European or American.
    pub style: ExerciseStyle,
    /// Strike (> 0).
    pub strike: f64,
    /// Time to expiry in years (>= 0).
    pub expiry: f64,
}

impl OptionTerms {
    /// Validated terms: strike finite and > 0, expiry finite and >= 0.
    pub fn new(
        kind: OptionKind,
        style: ExerciseStyle,
        strike: f64,
        expiry: f64,
    ) -> Result<Self, InputError> {
        check_positive(strike, "strike")?;
        check_non_negative(expiry, "expiry")?;
        Ok(OptionTerms {
            kind,
            style,
            strike,
            expiry,
        })
    }
}

/// Market snapshot for one underlying.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Market {
    /// Spot price (> 0).
    pub spot: f64,
    /// Continuously compounded risk-free rate.
    pub rate: f64,
    /// Continuous dividend yield.
    pub dividend_yield: f64,
    /// Black-Scholes volatility (> 0).
    pub vol: f64,
}

impl Market {
    /// Validated snapshot: spot > 0, vol > 0, rates finite.
    pub fn new(spot: f64, rate: f64, dividend_yield: f64, vol: f64) -> Result<Self, InputError> {
        check_positive(spot, "spot")?;
        check_finite(rate, "r")?;
        check_finite(dividend_yield, "q")?;
        check_positive(vol, "vol")?;
        Ok(Market {
            spot,
            rate,
            dividend_yield,
            vol,
        })
    }
}

/// A pricing request in flat form.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PricingRequest {
    /// Call or put.
    pub kind: OptionKind,
    /// Exercise style.
    pub style: ExerciseStyle,
    /// Engine; `None` = Analytic for European, Best for American.
    pub engine: Option<Engine>,
    /// Spot.
    pub spot: f64,
    /// Strike.
    pub strike: f64,
    /// Dividend yield.
    pub q: f64,
    /// Risk-free rate.
    pub r: f64,
    /// Time to expiry in years.
    pub t: f64,
    /// Volatility.
    pub vol: f64,
}

/// An implied-volatility request in flat form.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IvRequest {
    /// Call or put.
    pub kind: OptionKind,
    /// Exercise style.
    pub style: ExerciseStyle,
    /// Engine for American options; `None` = Best. Ignored for European.
    pub engine: Option<Engine>,
    /// Spot.
    pub spot: f64,
    /// Strike.
    pub strike: f64,
    /// Dividend yield.
    pub q: f64,
    /// Risk-free rate.
    pub r: f64,
    /// Time to expiry in years (> 0).
    pub t: f64,
    /// Observed option price.
    pub price: f64,
}

fn resolve(style: ExerciseStyle, engine: Option<Engine>) -> Result<Engine, PricingError> {
    let e = engine.unwrap_or(match style {
        ExerciseStyle::European => Engine::Analytic,
        ExerciseStyle::American => Engine::Best,
    });
    match (style, e) {
        (ExerciseStyle::American, Engine::Analytic) => Err(PricingError::Unsupported {
            engine: "analytic",
            what: "American exercise",
        }),
        (ExerciseStyle::European, Engine::Baw | Engine::Bs1993 | Engine::Bs2002) => {
            Err(PricingError::Unsupported {
                engine: e.name(),
                what: "European exercise",
            })
        }
        _ => Ok(e),
    }
}

/// Price of a validated contract under `engine` (no Greeks). `t = 0` gives
/// the payoff. Inputs must be validated by the caller.
#[allow(clippy::too_many_arguments)]
pub(crate) fn engine_price(
    kind: OptionKind,
    style: ExerciseStyle,
    engine: Engine,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
) -> f64 {
    if !(t > 0.0) {
        return (kind.sign() * (s - k)).max(0.0);
    }
    match (style, engine) {
        (ExerciseStyle::European, Engine::Tree { steps }) => tree::price(
            tree::TreeKind::LeisenReimer,
            false,
            kind,
            s,
            k,
            r,
            q,
            t,
            vol,
            steps,
        ),
        (ExerciseStyle::European, _) => crate::black::bsm_price(kind, s, k, r, q, t, vol),
        (ExerciseStyle::American, Engine::Baw) => baw::price(kind, s, k, r, q, t, vol),
        (ExerciseStyle::American, Engine::Bs1993) => {
            bjerksund::price_1993(kind, s, k, r, q, t, vol)
        }
        (ExerciseStyle::American, Engine::Bs2002) => {
            bjerksund::price_2002(kind, s, k, r, q, t, vol)
        }
        (ExerciseStyle::American, Engine::Tree { steps }) => tree::price(
            tree::TreeKind::LeisenReimer,
            true,
            kind,
            s,
            k,
            r,
            q,
            t,
            vol,
            steps,
        ),
        (ExerciseStyle::American, _) => alo::price(kind, s, k, r, q, t, vol, &alo::AloScheme::BEST),
    }
}

/// Price and Greeks. European/Analytic uses the closed forms; every other
/// combination uses central finite differences of the engine price.
pub fn price(req: &PricingRequest) -> Result<PriceResult, PricingError> {
    check_positive(req.spot, "spot")?;
    check_positive(req.strike, "strike")?;
    check_finite(req.r, "r")?;
    check_finite(req.q, "q")?;
    check_non_negative(req.t, "t")?;
    check_positive(req.vol, "vol")?;
    let engine = resolve(req.style, req.engine)?;
    let (kind, style, k) = (req.kind, req.style, req.strike);
    let res = match (style, engine) {
        (ExerciseStyle::European, Engine::Analytic | Engine::Best) => {
            bsm_greeks(kind, req.spot, k, req.r, req.q, req.t, req.vol)
        }
        _ if req.t == 0.0 => bsm_greeks(kind, req.spot, k, req.r, req.q, 0.0, req.vol),
        // American call without dividends: never exercised early.
        (ExerciseStyle::American, _) if kind == OptionKind::Call && req.q <= 0.0 => {
            bsm_greeks(kind, req.spot, k, req.r, req.q, req.t, req.vol)
        }
        _ => {
            let f = |s: f64, r: f64, q: f64, t: f64, v: f64| {
                engine_price(kind, style, engine, s, k, r, q, t, v)
            };
            fd_greeks(&f, req.spot, req.r, req.q, req.t, req.vol)
        }
    };
    if !res.price.is_finite() {
        return Err(PricingError::Numerical("non-finite price"));
    }
    Ok(res)
}

/// Implied volatility. European: Let's Be Rational (exact to attainable
/// precision). American: Brent on the engine price over σ ∈ [1e-4, 20]
/// (bracket widened to 100 if needed), at most 100 evaluations, tolerance
/// 1e-10 in σ; the bracket is checked before iterating.
pub fn implied_vol(req: &IvRequest) -> Result<f64, IvError> {
    check_positive(req.spot, "spot")?;
    check_positive(req.strike, "strike")?;
    check_finite(req.r, "r")?;
    check_finite(req.q, "q")?;
    check_positive(req.t, "t")?;
    check_finite(req.price, "price")?;
    match req.style {
        ExerciseStyle::European => implied_vol_bsm(
            req.kind, req.price, req.spot, req.strike, req.r, req.q, req.t,
        ),
        ExerciseStyle::American => {
            let engine = resolve(ExerciseStyle::American, req.engine)?;
            let (s, k) = (req.spot, req.strike);
            let intrinsic = (req.kind.sign() * (s - k)).max(0.0);
            if req.price <= intrinsic {
                return Err(IvError::BelowIntrinsic {
                    price: req.price,
                    bound: intrinsic,
                });
            }
            let upper = if req.kind == OptionKind::Call { s } else { k };
            if req.price >= upper {
                return Err(IvError::AboveUpperBound {
                    price: req.price,
                    bound: upper,
                });
            }
            let f = |v: f64| {
                engine_price(
                    req.kind,
                    ExerciseStyle::American,
                    engine,
                    s,
                    k,
                    req.r,
                    req.q,
                    req.t,
                    v,
                ) - req.price
            };
            let lo = 1e-4;
            if f(lo) > 0.0 {
                // Even a vanishing volatility is worth more than the price.
                return Err(IvError::BelowIntrinsic {
                    price: req.price,
                    bound: f(lo) + req.price,
                });
            }
            for hi in [20.0, 100.0] {
                if f(hi) >= 0.0 {
                    return brent(f, lo, hi, 1e-10, 100)
                        .ok_or(IvError::NoConvergence("Brent on American engine"));
                }
            }
            Err(IvError::NoConvergence(
                "price not reached at volatility 100",
            ))
        }
    }
}
