//! Closed-form Greeks for Black-Scholes-Merton and Black-76.
//!
//! Conventions (raw derivatives, no scaling):
//! * `theta` = dV/dt with calendar time passing, i.e. `-∂V/∂T`, per year;
//! * `vega`, `rho`, `dividend_rho` per 1.00 change of σ, r, q;
//! * `charm` = dΔ/dt (calendar time passing, `-∂Δ/∂T`), per year;
//! * `vanna` = ∂²V/∂S∂σ, `volga` = ∂²V/∂σ², `speed` = ∂³V/∂S³.
//!
//! Use [`Greeks::theta_per_day`] (÷365) and [`Greeks::vega_per_pct`] (÷100)
//! for the market-quoted scalings.

use crate::black::{bsm_price, OptionKind};
use crate::normal::{norm_cdf, norm_pdf};

/// First- and second-order sensitivities of an option value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Greeks {
    /// ∂V/∂S (∂V/∂F for Black-76).
    pub delta: f64,
    /// ∂²V/∂S².
    pub gamma: f64,
    /// dV/dt, calendar time passing (= -∂V/∂T), per year.
    pub theta: f64,
    /// ∂V/∂σ per 1.00 of volatility.
    pub vega: f64,
    /// ∂V/∂r per 1.00 of rate (Black-76: forward held fixed, so rho = -T·V).
    pub rho: f64,
    /// ∂V/∂q per 1.00 of dividend yield (zero for Black-76).
    pub dividend_rho: f64,
    /// ∂²V/∂S∂σ.
    pub vanna: f64,
    /// ∂²V/∂σ² (vomma).
    pub volga: f64,
    /// dΔ/dt, calendar time passing, per year.
    pub charm: f64,
    /// ∂³V/∂S³.
    pub speed: f64,
}

impl Greeks {
    /// Theta per calendar day (theta / 365).
    #[inline]
    pub fn theta_per_day(&self) -> f64 {
        self.theta / 365.0
    }
    /// Vega per one volatility point (vega / 100).
    #[inline]
    pub fn vega_per_pct(&self) -> f64 {
        self.vega / 100.0
    }
    /// Rho per one percentage point of rate (rho / 100).
    #[inline]
    pub fn rho_per_pct(&self) -> f64 {
        self.rho / 100.0
    }
    /// Every field multiplied by `k` (position scaling).
    #[inline]
    pub fn scaled(&self, k: f64) -> Greeks {
        Greeks {
            delta: self.delta * k,
            gamma: self.gamma * k,
            theta: self.theta * k,
            vega: self.vega * k,
            rho: self.rho * k,
            dividend_rho: self.dividend_rho * k,
            vanna: self.vanna * k,
            volga: self.volga * k,
            charm: self.charm * k,
            speed: self.speed * k,
        }
    }
    /// Field-wise sum.
    #[inline]
    pub fn add(&self, o: &Greeks) -> Greeks {
        Greeks {
            delta: self.delta + o.delta,
            gamma: self.gamma + o.gamma,
            theta: self.theta + o.theta,
            vega: self.vega + o.vega,
            rho: self.rho + o.rho,
            dividend_rho: self.dividend_rho + o.dividend_rho,
            vanna: self.vanna + o.vanna,
            volga: self.volga + o.volga,
            charm: self.charm + o.charm,
            speed: self.speed + o.speed,
        }
    }
}

/// A price with its Greeks.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PriceResult {
    /// Present value.
    pub price: f64,
    /// Sensitivities (see [`Greeks`] for conventions).
    pub greeks: Greeks,
}

/// BSM price and all Greeks. `t = 0` returns the payoff and its (step) delta.
pub fn bsm_greeks(
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
) -> PriceResult {
    let th = kind.sign();
    if !(t > 0.0) || !(vol > 0.0) {
        return degenerate(kind, s, k, r, q, t.max(0.0));
    }
    let price = bsm_price(kind, s, k, r, q, t, vol);
    let sqrt_t = t.sqrt();
    let sd = vol * sqrt_t;
    let d1 = ((s / k).ln() + (r - q) * t) / sd + 0.5 * sd;
    let d2 = d1 - sd;
    let dq = (-q * t).exp();
    let dr = (-r * t).exp();
    let nd1 = norm_cdf(th * d1);
    let nd2 = norm_cdf(th * d2);
    let pdf1 = norm_pdf(d1);
    let sdq = s * dq;
    let gamma = dq * pdf1 / (s * sd);
    let vega = sdq * pdf1 * sqrt_t;
    let theta = -sdq * pdf1 * vol / (2.0 * sqrt_t) - th * r * k * dr * nd2 + th * q * sdq * nd1;
    let charm = th * q * dq * nd1 - dq * pdf1 * (2.0 * (r - q) * t - d2 * sd) / (2.0 * t * sd);
    PriceResult {
        price,
        greeks: Greeks {
            delta: th * dq * nd1,
            gamma,
            theta,
            vega,
            rho: th * k * t * dr * nd2,
            dividend_rho: -th * t * sdq * nd1,
            vanna: -dq * pdf1 * d2 / vol,
            volga: vega * d1 * d2 / vol,
            charm,
            speed: -gamma / s * (d1 / sd + 1.0),
        },
    }
}

/// Black-76 price and Greeks on a forward `f` (delta etc. with respect to F,
/// rho with F held fixed).
pub fn black76_greeks(kind: OptionKind, f: f64, k: f64, r: f64, t: f64, vol: f64) -> PriceResult {
    // Black-76 is BSM with the forward as underlying and q = r.
    let mut res = bsm_greeks(kind, f, k, r, r, t, vol);
    res.greeks.rho += res.greeks.dividend_rho;
    res.greeks.dividend_rho = 0.0;
    res
}

fn degenerate(kind: OptionKind, s: f64, k: f64, r: f64, q: f64, t: f64) -> PriceResult {
    // Zero time or zero vol: discounted forward intrinsic, deterministic Greeks.
    let th = kind.sign();
    let dq = (-q * t).exp();
    let dr = (-r * t).exp();
    let fwd_val = th * (s * dq - k * dr);
    let itm = fwd_val > 0.0;
    let price = fwd_val.max(0.0);
    let greeks = if itm {
        Greeks {
            delta: th * dq,
            theta: th * (q * s * dq - r * k * dr),
            rho: th * k * t * dr,
            dividend_rho: -th * t * s * dq,
            ..Greeks::default()
        }
    } else {
        Greeks::default()
    };
    PriceResult { price, greeks }
}
