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
use crate::normal::{tail_from_exp, FRAC_1_SQRT_2PI};

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

/// Quantities shared by a BSM price and its Greeks, each computed once:
/// one `ln`, one `sqrt`, three `exp` (the two discount factors and
/// `e^{-d₁²/2}`; `e^{-d₂²/2} = e^{-d₁²/2}·F/K` needs none) and two Cody
/// rationals for the normal tails.
#[derive(Clone, Copy)]
struct Core {
    th: f64,
    sqrt_t: f64,
    sd: f64,
    d1: f64,
    d2: f64,
    /// e^{-qT}, K·e^{-rT}.
    dq: f64,
    kdr: f64,
    /// Φ(θd₁), Φ(θd₂), φ(d₁).
    n1: f64,
    n2: f64,
    pdf1: f64,
}

/// Requires `t > 0`, `vol > 0` (callers route the rest to [`degenerate`]).
#[inline(always)]
fn core<const SPLIT_LN: bool>(
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
) -> Core {
    let th = kind.sign();
    let sqrt_t = t.sqrt();
    let sd = vol * sqrt_t;
    // Latency matters here (one option at a time): 1/σ√T is formed beside
    // the logarithm rather than dividing after it, and `ln`/`exp` are the
    // platform's (glibc's table-based kernels have about half the latency
    // of the inlined fdlibm ones, whose divisions sit on the critical path;
    // the inlined kernels pay off only in vectorised loops).
    let inv_sd = 1.0 / sd;
    let dq = (-q * t).exp();
    let dr = (-r * t).exp();
    // SPLIT_LN: ln S - ln K, the two logarithms side by side instead of one
    // after a division (shorter latency; absolute error a few ulp of ln S
    // instead of ln(S/K)'s, i.e. ~1e-15/(σ√T) in d₁).
    let ln_sk = if SPLIT_LN {
        s.ln() - k.ln()
    } else {
        (s / k).ln()
    };
    let d1 = (ln_sk + (r - q) * t) * inv_sd + 0.5 * sd;
    let d2 = d1 - sd;
    let e1 = (-0.5 * d1 * d1).exp();
    let kdr = k * dr;
    // d₁² - d₂² = 2 ln(F/K) and F/K = S e^{-qT}/(K e^{-rT}).
    let e2 = e1 * (s * dq / kdr);
    let t1 = tail_from_exp(d1.abs(), e1);
    let t2 = tail_from_exp(d2.abs(), e2);
    let n1 = if th * d1 < 0.0 { t1 } else { 1.0 - t1 };
    let n2 = if th * d2 < 0.0 { t2 } else { 1.0 - t2 };
    Core {
        th,
        sqrt_t,
        sd,
        d1,
        d2,
        dq,
        kdr,
        n1,
        n2,
        pdf1: FRAC_1_SQRT_2PI * e1,
    }
}

/// Price and the five first-order Greeks most screens show.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PriceGreeks5 {
    /// Present value.
    pub price: f64,
    /// ∂V/∂S.
    pub delta: f64,
    /// ∂²V/∂S².
    pub gamma: f64,
    /// dV/dt, calendar time passing (= -∂V/∂T), per year.
    pub theta: f64,
    /// ∂V/∂σ per 1.00 of volatility.
    pub vega: f64,
    /// ∂V/∂r per 1.00 of rate.
    pub rho: f64,
}

/// BSM price, delta, gamma, theta, vega and rho: the fast path for one
/// option at a time (no higher-order Greeks, shared intermediate values).
///
/// d₁ comes from `ln S - ln K` (two logarithms side by side, shorter latency
/// than `ln(S/K)` after a division), so it carries an absolute error of about
/// 1e-15/(σ√T): the Greeks agree with [`bsm_greeks`] to ~1e-15·|d₁|/(σ√T)
/// relative (4e-13 at σ√T = 0.005 near the money). The price is the direct
/// formula `θ(S e^{-qT}Φ(θd₁) - K e^{-rT}Φ(θd₂))`, like
/// [`crate::chain::price_chain`]: absolute accuracy ~1e-16·(S + K), but the
/// relative accuracy of a far out-of-the-money value, or of any time value
/// when σ√T is tiny, is that absolute error over the value. Use
/// [`crate::black::bsm_price`] (Jäckel's regions, full relative precision)
/// when that matters. `t = 0` or `vol = 0` give the payoff and its step delta.
#[inline]
pub fn bsm_price_greeks5(
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
) -> PriceGreeks5 {
    if !(t > 0.0) || !(vol > 0.0) {
        let d = degenerate(kind, s, k, r, q, t.max(0.0));
        return PriceGreeks5 {
            price: d.price,
            delta: d.greeks.delta,
            gamma: d.greeks.gamma,
            theta: d.greeks.theta,
            vega: d.greeks.vega,
            rho: d.greeks.rho,
        };
    }
    let c = core::<true>(kind, s, k, r, q, t, vol);
    let sdq = s * c.dq;
    let (a, b) = (sdq * c.n1, c.kdr * c.n2);
    let vega = sdq * c.pdf1 * c.sqrt_t;
    PriceGreeks5 {
        price: (c.th * (a - b)).max(0.0),
        delta: c.th * c.dq * c.n1,
        gamma: c.dq * c.pdf1 / (s * c.sd),
        theta: -0.5 * vega * vol / t - c.th * (r * b - q * a),
        vega,
        rho: c.th * t * b,
    }
}

/// BSM price and all Greeks. `t = 0` returns the payoff and its (step) delta.
///
/// The price is [`bsm_price`] (full relative precision, see [`crate::black`]);
/// the Greeks share one evaluation of d₁, d₂, the discount factors, φ(d₁)
/// and Φ(θd₁,₂).
pub fn bsm_greeks(
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
) -> PriceResult {
    if !(t > 0.0) || !(vol > 0.0) {
        return degenerate(kind, s, k, r, q, t.max(0.0));
    }
    let price = bsm_price(kind, s, k, r, q, t, vol);
    let c = core::<false>(kind, s, k, r, q, t, vol);
    let (th, sd, d1, d2, dq, pdf1) = (c.th, c.sd, c.d1, c.d2, c.dq, c.pdf1);
    let sdq = s * dq;
    let (a, b) = (sdq * c.n1, c.kdr * c.n2);
    let gamma = dq * pdf1 / (s * sd);
    let vega = sdq * pdf1 * c.sqrt_t;
    let charm = th * q * dq * c.n1 - dq * pdf1 * (2.0 * (r - q) * t - d2 * sd) / (2.0 * t * sd);
    PriceResult {
        price,
        greeks: Greeks {
            delta: th * dq * c.n1,
            gamma,
            theta: -0.5 * vega * vol / t - th * (r * b - q * a),
            vega,
            rho: th * t * b,
            dividend_rho: -th * t * a,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeks5_agree_with_full_greeks_and_bsm_price() {
        for kind in [OptionKind::Call, OptionKind::Put] {
            for &s in &[50.0, 90.0, 100.0, 110.0, 200.0] {
                for &t in &[1.0 / 365.0, 0.1, 1.0, 5.0] {
                    for &v in &[0.05, 0.25, 1.0] {
                        for &(r, q) in &[(0.05, 0.02), (0.0, 0.0), (-0.01, 0.03)] {
                            let g5 = bsm_price_greeks5(kind, s, 100.0, r, q, t, v);
                            let full = bsm_greeks(kind, s, 100.0, r, q, t, v);
                            let g = full.greeks;
                            // greeks5's d₁ uses ln S - ln K (see its docs):
                            // relative differences up to ~1e-15·(1 + |d₁|)/(σ√T).
                            let sd = v * t.sqrt();
                            let d1 = ((s / 100.0f64).ln() + (r - q) * t) / sd + 0.5 * sd;
                            let rel = 1e-14 * (1.0 + d1.abs()) * (1.0 + d1.abs()) / sd;
                            let pairs = [
                                (g5.delta, g.delta),
                                (g5.gamma, g.gamma),
                                (g5.theta, g.theta),
                                (g5.vega, g.vega),
                                (g5.rho, g.rho),
                            ];
                            for (a, b) in pairs {
                                assert!(
                                    (a - b).abs() <= rel * b.abs() + 1e-15 * (s + 100.0),
                                    "{kind:?} {s} {t} {v} {r} {q}: {a:e} vs {b:e}"
                                );
                            }
                            let p = bsm_price(kind, s, 100.0, r, q, t, v);
                            assert_eq!(full.price, p);
                            assert!((g5.price - p).abs() <= 4e-16 * (s + 100.0), "{s} {t} {v}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn greeks_match_finite_differences() {
        let (s, k, r, q, t, v) = (105.0, 100.0, 0.04, 0.015, 0.7, 0.3);
        for kind in [OptionKind::Call, OptionKind::Put] {
            let g = bsm_greeks(kind, s, k, r, q, t, v).greeks;
            let p = |s: f64, r: f64, q: f64, t: f64, v: f64| bsm_price(kind, s, k, r, q, t, v);
            let h = 1e-4;
            let fd = |f: &dyn Fn(f64) -> f64| (f(h) - f(-h)) / (2.0 * h);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * (1.0 + b.abs());
            assert!(close(g.delta, fd(&|e| p(s + e, r, q, t, v))));
            assert!(close(
                g.gamma,
                fd(&|e| bsm_greeks(kind, s + e, k, r, q, t, v).greeks.delta)
            ));
            assert!(close(g.theta, -fd(&|e| p(s, r, q, t + e, v))));
            assert!(close(g.vega, fd(&|e| p(s, r, q, t, v + e))));
            assert!(close(g.rho, fd(&|e| p(s, r + e, q, t, v))));
            assert!(close(g.dividend_rho, fd(&|e| p(s, r, q + e, t, v))));
            let gk = |s: f64, t: f64, v: f64| bsm_greeks(kind, s, k, r, q, t, v).greeks;
            assert!(close(g.vanna, fd(&|e| gk(s, t, v + e).delta)));
            assert!(close(g.volga, fd(&|e| gk(s, t, v + e).vega)));
            assert!(close(g.charm, -fd(&|e| gk(s, t + e, v).delta)));
            assert!(close(g.speed, fd(&|e| gk(s + e, t, v).gamma)));
        }
    }
}
