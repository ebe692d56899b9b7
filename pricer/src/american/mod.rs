//! American options.
//!
//! | engine | method | accuracy (ordinary inputs) |
//! |---|---|---|
//! | [`baw::price`] | Barone-Adesi & Whaley (1987) quadratic approximation | ~1e-2 |
//! | [`bjerksund::price_1993`] | Bjerksund & Stensland (1993) flat boundary | ~1e-2 |
//! | [`bjerksund::price_2002`] | Bjerksund & Stensland (2002) two-step boundary | ~5e-3 |
//! | [`tree::price`] | Leisen-Reimer / CRR binomial tree | O(1/n) |
//! | [`alo::price`] | Andersen-Lake-Offengenden collocation (the `Best` engine) | ~1e-5 |
//!
//! Calls on assets with `q <= 0` are never exercised early and equal the
//! European price in every engine. Greeks of American options are central
//! finite differences of the engine's own price (see [`fd_greeks`]).

pub mod alo;
pub mod baw;
pub mod bjerksund;
mod qd_plus;
pub mod tree;

use crate::black::OptionKind;
use crate::greeks::{Greeks, PriceResult};

/// Central finite-difference Greeks of a pricing function
/// `f(s, r, q, t, vol)`. Bumps: spot 0.1% (relative), vol 1e-4, rates 1e-4,
/// time 1e-4 years (one-sided when `t` is smaller than two bumps).
/// Second-order cross terms (vanna, charm) use four-point stencils.
pub fn fd_greeks(
    f: &dyn Fn(f64, f64, f64, f64, f64) -> f64,
    s: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
) -> PriceResult {
    let v0 = f(s, r, q, t, vol);
    let ds = s * 1e-3;
    let dv = 1e-4_f64.min(0.5 * vol);
    let dr = 1e-4;
    let up = f(s + ds, r, q, t, vol);
    let dn = f(s - ds, r, q, t, vol);
    let up2 = f(s + 2.0 * ds, r, q, t, vol);
    let dn2 = f(s - 2.0 * ds, r, q, t, vol);
    let vu = f(s, r, q, t, vol + dv);
    let vd = f(s, r, q, t, vol - dv);
    let delta = (up - dn) / (2.0 * ds);
    let gamma = (up - 2.0 * v0 + dn) / (ds * ds);
    let speed = (up2 - 2.0 * up + 2.0 * dn - dn2) / (2.0 * ds * ds * ds);
    let vega = (vu - vd) / (2.0 * dv);
    let volga = (vu - 2.0 * v0 + vd) / (dv * dv);
    let vanna = (f(s + ds, r, q, t, vol + dv)
        - f(s + ds, r, q, t, vol - dv)
        - f(s - ds, r, q, t, vol + dv)
        + f(s - ds, r, q, t, vol - dv))
        / (4.0 * ds * dv);
    let rho = (f(s, r + dr, q, t, vol) - f(s, r - dr, q, t, vol)) / (2.0 * dr);
    let dividend_rho = (f(s, r, q + dr, t, vol) - f(s, r, q - dr, t, vol)) / (2.0 * dr);
    let dt = 1e-4_f64.min(0.5 * t);
    // theta and charm: calendar time passing shortens T.
    let (theta, charm) = if t > 2.0 * dt && dt > 0.0 {
        let tp = f(s, r, q, t + dt, vol);
        let tm = f(s, r, q, t - dt, vol);
        let d_tp = (f(s + ds, r, q, t + dt, vol) - f(s - ds, r, q, t + dt, vol)) / (2.0 * ds);
        let d_tm = (f(s + ds, r, q, t - dt, vol) - f(s - ds, r, q, t - dt, vol)) / (2.0 * ds);
        (-(tp - tm) / (2.0 * dt), -(d_tp - d_tm) / (2.0 * dt))
    } else if dt > 0.0 {
        let tm = f(s, r, q, t - dt, vol);
        let d_tm = (f(s + ds, r, q, t - dt, vol) - f(s - ds, r, q, t - dt, vol)) / (2.0 * ds);
        ((tm - v0) / dt, (d_tm - delta) / dt)
    } else {
        (0.0, 0.0)
    };
    PriceResult {
        price: v0,
        greeks: Greeks {
            delta,
            gamma,
            theta,
            vega,
            rho,
            dividend_rho,
            vanna,
            volga,
            charm,
            speed,
        },
    }
}

/// Lower bound of an American option: intrinsic value (and never below European).
#[inline]
pub fn intrinsic(kind: OptionKind, s: f64, k: f64) -> f64 {
    (kind.sign() * (s - k)).max(0.0)
}
