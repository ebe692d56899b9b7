//! Implied volatility.
//!
//! European options are inverted with Jäckel's "Let's Be Rational" on the
//! forward (undiscounted) representation: BSM inputs are converted to
//! `F = S·e^{(r-q)T}`, discount `e^{-rT}`, and the normalised time value
//! `β = (P/DF - intrinsic)/√(FK)` of the equivalent out-of-the-money call.
//! At most two Householder(3) iterations follow the rational initial guess, so
//! the cost is bounded and the result is the root to attainable precision: the
//! error is a few ulp of the price divided by vega (see the crate docs).
//!
//! Prices at or outside the no-arbitrage bounds are rejected with a typed
//! error, never NaN.

mod batch;
mod lanes;
mod lets_be_rational;
mod rational_cubic;

pub use batch::{implied_vol_batch, IvQuote};

use crate::black::OptionKind;
use crate::error::{InputError, IvError};

fn finite(v: f64, name: &'static str) -> Result<f64, InputError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(InputError::NonFinite(name))
    }
}

fn positive(v: f64, name: &'static str) -> Result<f64, InputError> {
    if finite(v, name)? > 0.0 {
        Ok(v)
    } else {
        Err(InputError::NotPositive(name))
    }
}

/// Implied total volatility `s = σ√T` from the normalised value `beta` of an
/// option with log-moneyness `x = ln(F/K)` (value divided by `√(FK)`,
/// undiscounted, including intrinsic value).
pub fn implied_normalised_vol(beta: f64, x: f64, kind: OptionKind) -> Result<f64, IvError> {
    finite(beta, "normalised price")?;
    finite(x, "log-moneyness")?;
    let theta = kind.sign();
    let intrinsic = if theta * x > 0.0 {
        2.0 * (0.5 * x.abs()).sinh()
    } else {
        0.0
    };
    let upper = (0.5 * theta * x).exp();
    if beta >= upper {
        return Err(IvError::AboveUpperBound {
            price: beta,
            bound: upper,
        });
    }
    let tv = beta - intrinsic;
    if !(tv > 0.0) {
        return Err(IvError::BelowIntrinsic {
            price: beta,
            bound: intrinsic,
        });
    }
    let xo = -x.abs();
    let b_max = (0.5 * xo).exp();
    if tv >= b_max {
        return Err(IvError::AboveUpperBound {
            price: beta,
            bound: upper,
        });
    }
    let s = lets_be_rational::solve(tv, xo, b_max);
    if s.is_finite() && s > 0.0 {
        Ok(s)
    } else {
        Err(IvError::NoConvergence("normalised Black inversion"))
    }
}

/// Implied volatility from an undiscounted Black price on forward `f`.
pub fn implied_vol_black_undiscounted(
    kind: OptionKind,
    price: f64,
    f: f64,
    k: f64,
    t: f64,
) -> Result<f64, IvError> {
    positive(f, "forward")?;
    positive(k, "strike")?;
    positive(t, "t")?;
    implied_vol_forward(kind, price, (f / k).ln(), f, k, t, 1.0)
}

/// Implied volatility of a Black-76 option (discounted price on a forward).
pub fn implied_vol_black76(
    kind: OptionKind,
    price: f64,
    f: f64,
    k: f64,
    r: f64,
    t: f64,
) -> Result<f64, IvError> {
    positive(f, "forward")?;
    positive(k, "strike")?;
    positive(t, "t")?;
    finite(r, "r")?;
    let df = (-r * t).exp();
    implied_vol_forward(kind, price, (f / k).ln(), f, k, t, df)
}

/// Implied volatility of a European option under Black-Scholes-Merton.
pub fn implied_vol_bsm(
    kind: OptionKind,
    price: f64,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
) -> Result<f64, IvError> {
    positive(s, "spot")?;
    positive(k, "strike")?;
    positive(t, "t")?;
    finite(r, "r")?;
    finite(q, "q")?;
    let df = (-r * t).exp();
    let f = s * ((r - q) * t).exp();
    // ln(F/K) from its parts: no rounding of F enters the moneyness.
    let x = (s / k).ln() + (r - q) * t;
    implied_vol_forward(kind, price, x, f, k, t, df)
}

fn implied_vol_forward(
    kind: OptionKind,
    price: f64,
    x: f64,
    f: f64,
    k: f64,
    t: f64,
    df: f64,
) -> Result<f64, IvError> {
    let (beta, xo, b_max) = normalise(kind, price, x, f, k, df)?;
    vol_from_total(lets_be_rational::solve(beta, xo, b_max), t)
}

/// The bounds checks, and the problem in normalised form: `(β, x, b_max)`
/// with `x = -|ln(F/K)|`, `β` the normalised out-of-the-money call value and
/// `b_max = e^{x/2}` its supremum.
fn normalise(
    kind: OptionKind,
    price: f64,
    x: f64,
    f: f64,
    k: f64,
    df: f64,
) -> Result<(f64, f64, f64), IvError> {
    let beta = normalised_time_value(kind, price, f, k, df)?;
    let xo = -x.abs();
    let b_max = (0.5 * xo).exp();
    if beta >= b_max {
        return Err(above_upper_bound(kind, price, f, k, df));
    }
    Ok((beta, xo, b_max))
}

/// Every bounds check but the last (`β < b_max`, which needs `ln(F/K)`),
/// and `β`.
fn normalised_time_value(
    kind: OptionKind,
    price: f64,
    f: f64,
    k: f64,
    df: f64,
) -> Result<f64, IvError> {
    finite(price, "price")?;
    if !(df > 0.0) || !f.is_finite() {
        return Err(InputError::Invalid("discount factor or forward out of range".into()).into());
    }
    let theta = kind.sign();
    let intrinsic = df * (theta * (f - k)).max(0.0);
    if price >= upper_bound(kind, f, k, df) {
        return Err(above_upper_bound(kind, price, f, k, df));
    }
    if price <= intrinsic {
        return Err(IvError::BelowIntrinsic {
            price,
            bound: intrinsic,
        });
    }
    // Time value in price space: F - K is exact near the money (Sterbenz),
    // whereas re-deriving the intrinsic part from ln(F/K) would cost digits.
    let tv = price / df - (theta * (f - k)).max(0.0);
    if !(tv > 0.0) {
        return Err(IvError::BelowIntrinsic {
            price,
            bound: intrinsic,
        });
    }
    Ok(tv / (f.sqrt() * k.sqrt()))
}

/// The no-arbitrage upper bound: the discounted forward for a call, the
/// discounted strike for a put.
#[inline]
fn upper_bound(kind: OptionKind, f: f64, k: f64, df: f64) -> f64 {
    df * if kind.sign() > 0.0 { f } else { k }
}

fn above_upper_bound(kind: OptionKind, price: f64, f: f64, k: f64, df: f64) -> IvError {
    IvError::AboveUpperBound {
        price,
        bound: upper_bound(kind, f, k, df),
    }
}

/// `σ = s/√T`, or the solver's failure as an error.
#[inline]
fn vol_from_total(s: f64, t: f64) -> Result<f64, IvError> {
    if !(s.is_finite() && s > 0.0) {
        return Err(IvError::NoConvergence("normalised Black inversion"));
    }
    Ok(s / t.sqrt())
}
