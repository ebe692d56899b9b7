//! Andersen-Lake-Offengenden (2016, "High-performance American option
//! pricing") spectral collocation of the exercise boundary.
//!
//! Puts only; calls go through the symmetry `C(S,K,r,q) = P(K,S,q,r)`.
//!
//! 1. Collocation nodes: Chebyshev extrema in `z = 2√(τ/T) - 1`; the boundary
//!    is stored as `H(√τ) = ln(B(τ)/X)²`, `X = K·min(1, r/q)`, which is smooth
//!    in `√τ` and interpolated by a Chebyshev polynomial.
//! 2. Initial boundary: Li's QD+ approximation at every node.
//! 3. `m` fixed-point sweeps `B ← K e^{-(r-q)τ} N(τ,B)/D(τ,B)` with ALO's FP-A
//!    (smooth-pasting form) or FP-B (value-matching form) integrals.
//! 4. The price is the European value plus the early-exercise premium
//!    integral over the final boundary.
//!
//! All integrals use Gauss-Legendre after the map `u = τ(1 - cos(π(1+y)/2))/2`,
//! which is quadratic at both ends and so removes the √ behaviour of the
//! boundary at `u → 0` and of the kernels at `u → τ`.

use crate::black::{bsm_price, OptionKind};
use crate::gl_tables as gl;
use crate::normal::{norm_cdf, norm_pdf};
use crate::solver::brent;

/// Fixed-point equation used in the iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixedPoint {
    /// Smooth-pasting form (ALO's FP-A): fast, preferred when `r <= q`-ish.
    A,
    /// Value-matching form (ALO's FP-B): stable everywhere.
    B,
    /// Currently FP-A: on our validation grid (360 QuantLib high-precision
    /// values) FP-A converged faster than FP-B in every region.
    Auto,
}

/// Discretisation of the ALO engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AloScheme {
    /// Number of Chebyshev intervals for the boundary (nodes = n + 1).
    pub n: usize,
    /// Gauss-Legendre points for the fixed-point integrals (one of 8,12,16,20,24,32,48,64).
    pub l: usize,
    /// Fixed-point sweeps.
    pub m: usize,
    /// Gauss-Legendre points for the final premium integral.
    pub p: usize,
    /// Which fixed-point equation.
    pub fp: FixedPoint,
}

impl AloScheme {
    /// The default of `Engine::Best`: ~1e-6 or better on ordinary inputs.
    pub const BEST: AloScheme = AloScheme {
        n: 10,
        l: 20,
        m: 5,
        p: 32,
        fp: FixedPoint::Auto,
    };
    /// High accuracy (~1e-10), for tests and reference values.
    pub const HIGH: AloScheme = AloScheme {
        n: 24,
        l: 48,
        m: 12,
        p: 64,
        fp: FixedPoint::Auto,
    };
}

fn gl_table(n: usize) -> (&'static [f64], &'static [f64]) {
    match n {
        0..=8 => (&gl::GL8_X, &gl::GL8_W),
        9..=12 => (&gl::GL12_X, &gl::GL12_W),
        13..=16 => (&gl::GL16_X, &gl::GL16_W),
        17..=20 => (&gl::GL20_X, &gl::GL20_W),
        21..=24 => (&gl::GL24_X, &gl::GL24_W),
        25..=32 => (&gl::GL32_X, &gl::GL32_W),
        33..=48 => (&gl::GL48_X, &gl::GL48_W),
        _ => (&gl::GL64_X, &gl::GL64_W),
    }
}

/// ∫₀^τ f(u) du by Gauss-Legendre after the cosine map.
#[inline]
fn integrate(tau: f64, xs: &[f64], ws: &[f64], mut f: impl FnMut(f64, f64) -> f64) -> f64 {
    // f receives (u, τ - u); the weight includes du/dy.
    let half_pi = std::f64::consts::FRAC_PI_2;
    let mut sum = 0.0;
    for (x, w) in xs.iter().zip(ws.iter()) {
        for y in [-x, *x] {
            let a = half_pi * (1.0 + y);
            let (sa, ca) = a.sin_cos();
            let u = 0.5 * tau * (1.0 - ca);
            let tmu = 0.5 * tau * (1.0 + ca);
            let jac = 0.25 * std::f64::consts::PI * tau * sa;
            sum += w * jac * f(u, tmu);
        }
    }
    sum
}

#[inline]
fn d_pm(tau: f64, z: f64, r: f64, q: f64, vol: f64) -> (f64, f64) {
    let sd = vol * tau.sqrt();
    let dp = (z.ln() + (r - q) * tau) / sd + 0.5 * sd;
    (dp, dp - sd)
}

/// Chebyshev interpolant through values at the extrema `cos(iπ/n)`.
struct Cheb {
    a: Vec<f64>,
}

impl Cheb {
    fn fit(values: &[f64]) -> Cheb {
        let n = values.len() - 1;
        let mut a = vec![0.0; n + 1];
        for (k, ak) in a.iter_mut().enumerate() {
            let mut s = 0.0;
            for (i, v) in values.iter().enumerate() {
                let w = if i == 0 || i == n { 0.5 } else { 1.0 };
                s += w * v * (std::f64::consts::PI * (i * k) as f64 / n as f64).cos();
            }
            *ak = 2.0 * s / n as f64;
        }
        a[0] *= 0.5;
        a[n] *= 0.5;
        Cheb { a }
    }

    #[inline]
    fn eval(&self, z: f64) -> f64 {
        let mut b1 = 0.0;
        let mut b2 = 0.0;
        for &c in self.a.iter().skip(1).rev() {
            let b0 = c + 2.0 * z * b1 - b2;
            b2 = b1;
            b1 = b0;
        }
        self.a[0] + z * b1 - b2
    }
}

/// Li's QD+ put exercise boundary at time to maturity `tau` (accurate to the
/// root-finder tolerance `xtol`, absolute).
pub fn qd_plus_boundary(k: f64, r: f64, q: f64, vol: f64, tau: f64, xtol: f64) -> f64 {
    let x_bound = if q > 0.0 { k * (r / q).min(1.0) } else { k };
    if !(tau > 0.0) {
        return x_bound;
    }
    let v2 = vol * vol;
    let h = -(-r * tau).exp_m1();
    let alpha = 2.0 * r / v2;
    let beta = 2.0 * (r - q) / v2;
    let root = ((beta - 1.0).powi(2) + 4.0 * alpha / h).sqrt();
    let lambda = 0.5 * (-(beta - 1.0) - root);
    let lambda_p = alpha / (h * h * root);
    let den = 2.0 * lambda + beta - 1.0;
    let a_coef = (1.0 - h) * alpha / den;
    let dq = (-q * tau).exp();
    let dr = (-r * tau).exp();
    let sq = vol * tau.sqrt();
    let f = |s: f64| {
        let (dp, dm) = d_pm(tau, s / k, r, q, vol);
        let v = k * dr * norm_cdf(-dm) - s * dq * norm_cdf(-dp);
        let theta = r * k * dr * norm_cdf(-dm)
            - q * s * dq * norm_cdf(-dp)
            - 0.5 * sq / tau * s * dq * norm_pdf(dp);
        let e = k - s - v;
        // (λ + c0)·E written without the 1/E of c0, so there is no pole.
        let lam_c0_e = lambda * e - a_coef * (e / h - theta / (r * (1.0 - h)) + lambda_p * e / den);
        (1.0 - dq * norm_cdf(-dp)) * s + lam_c0_e
    };
    // Scan down from X for the sign change; F < 0 as S → 0.
    let mut hi = x_bound * (1.0 - 1e-12);
    let mut f_hi = f(hi);
    for _ in 0..400 {
        let lo = hi * 0.97;
        let f_lo = f(lo);
        if f_lo <= 0.0 && f_hi >= 0.0 {
            return brent(f, lo, hi, xtol, 200).unwrap_or(0.5 * (lo + hi));
        }
        hi = lo;
        f_hi = f_lo;
    }
    hi
}

/// ALO American put. `s, k, vol, t > 0`.
#[allow(clippy::too_many_arguments)]
pub fn put(s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64, scheme: &AloScheme) -> f64 {
    let euro = bsm_price(OptionKind::Put, s, k, r, q, t, vol);
    if r <= 0.0 || !(t > 0.0) {
        // No early exercise for a put when carrying the strike earns nothing.
        return euro.max(0.0);
    }
    let x_bound = if q > 0.0 { k * (r / q).min(1.0) } else { k };
    let n = scheme.n.max(2);
    let sqrt_t = t.sqrt();
    // Nodes: z_i = cos(iπ/n), τ_i = T(1+z_i)²/4; node n is τ = 0.
    let taus: Vec<f64> = (0..=n)
        .map(|i| {
            let z = (std::f64::consts::PI * i as f64 / n as f64).cos();
            0.25 * t * (1.0 + z) * (1.0 + z)
        })
        .collect();
    let mut b: Vec<f64> = taus
        .iter()
        .map(|&tau| {
            if tau > 0.0 {
                qd_plus_boundary(k, r, q, vol, tau, 1e-9 * k).min(x_bound)
            } else {
                x_bound
            }
        })
        .collect();
    let to_h = |bv: f64| {
        let g = (bv / x_bound).ln().min(0.0);
        g * g
    };
    let fp = match scheme.fp {
        FixedPoint::Auto => FixedPoint::A,
        other => other,
    };
    let (xs, ws) = gl_table(scheme.l);
    let boundary_at = |cheb: &Cheb, u: f64| -> f64 {
        if u <= 0.0 {
            return x_bound;
        }
        let z = 2.0 * u.sqrt() / sqrt_t - 1.0;
        x_bound * (-cheb.eval(z).max(0.0).sqrt()).exp()
    };
    for _ in 0..scheme.m {
        let cheb = Cheb::fit(&b.iter().map(|&v| to_h(v)).collect::<Vec<_>>());
        let mut next = b.clone();
        for i in 0..n {
            let tau = taus[i];
            let bi = b[i];
            let (dp, dm) = d_pm(tau, bi / k, r, q, vol);
            let sq = vol * tau.sqrt();
            let (num, den) = match fp {
                FixedPoint::A | FixedPoint::Auto => {
                    let ni = integrate(tau, xs, ws, |u, tmu| {
                        if tmu <= 0.0 {
                            return 0.0;
                        }
                        let (_, m) = d_pm(tmu, bi / boundary_at(&cheb, u), r, q, vol);
                        (r * u).exp() * norm_pdf(m) / (vol * tmu.sqrt())
                    });
                    let di = integrate(tau, xs, ws, |u, tmu| {
                        if tmu <= 0.0 {
                            return 0.0;
                        }
                        let (p, _) = d_pm(tmu, bi / boundary_at(&cheb, u), r, q, vol);
                        (q * u).exp() * (norm_cdf(p) + norm_pdf(p) / (vol * tmu.sqrt()))
                    });
                    (
                        norm_pdf(dm) / sq + r * ni,
                        norm_pdf(dp) / sq + norm_cdf(dp) + q * di,
                    )
                }
                FixedPoint::B => {
                    let ni = integrate(tau, xs, ws, |u, tmu| {
                        if tmu <= 0.0 {
                            return 0.0;
                        }
                        let (_, m) = d_pm(tmu, bi / boundary_at(&cheb, u), r, q, vol);
                        (r * u).exp() * norm_cdf(m)
                    });
                    let di = integrate(tau, xs, ws, |u, tmu| {
                        if tmu <= 0.0 {
                            return 0.0;
                        }
                        let (p, _) = d_pm(tmu, bi / boundary_at(&cheb, u), r, q, vol);
                        (q * u).exp() * norm_cdf(p)
                    });
                    (norm_cdf(dm) + r * ni, norm_cdf(dp) + q * di)
                }
            };
            let nb = k * (-(r - q) * tau).exp() * num / den;
            if nb.is_finite() && nb > 0.0 {
                next[i] = nb.min(x_bound);
            }
        }
        b = next;
    }
    let cheb = Cheb::fit(&b.iter().map(|&v| to_h(v)).collect::<Vec<_>>());
    if s <= b[0] {
        return k - s;
    }
    let (xs, ws) = gl_table(scheme.p);
    // Premium: ∫₀^T [rK e^{-r(T-u)} Φ(-d₋) - qS e^{-q(T-u)} Φ(-d₊)] du with u
    // the boundary's time to maturity and T-u the time from now.
    let premium = integrate(t, xs, ws, |u, tmu| {
        // Here u runs over boundary times-to-maturity, tmu = T - u is the
        // waiting time before exercise at boundary point B(u).
        if tmu <= 0.0 {
            return 0.0;
        }
        let bu = boundary_at(&cheb, u);
        let (p, m) = d_pm(tmu, s / bu, r, q, vol);
        r * k * (-r * tmu).exp() * norm_cdf(-m) - q * s * (-q * tmu).exp() * norm_cdf(-p)
    });
    (euro + premium).max(k - s)
}

/// ALO American option of either kind (call via put-call symmetry).
#[allow(clippy::too_many_arguments)]
pub fn price(
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    scheme: &AloScheme,
) -> f64 {
    match kind {
        OptionKind::Put => put(s, k, r, q, t, vol, scheme),
        OptionKind::Call => put(k, s, q, r, t, vol, scheme),
    }
}
