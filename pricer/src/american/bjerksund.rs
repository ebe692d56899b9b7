//! Bjerksund & Stensland approximations: the 1993 flat-boundary version and
//! the 2002 two-step boundary version (which needs the bivariate normal).
//! Puts use the Bjerksund-Stensland put-call transformation
//! `P(S, K, T, r, b, σ) = C(K, S, T, r - b, -b, σ)`.

use crate::black::{bsm_price, OptionKind};
use crate::gl_tables::{GL20_W, GL20_X};
use crate::normal::norm_cdf;

/// BS1993 American price.
pub fn price_1993(kind: OptionKind, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> f64 {
    let b = r - q;
    match kind {
        OptionKind::Call => call_1993(s, k, t, r, b, vol),
        OptionKind::Put => call_1993(k, s, t, r - b, -b, vol),
    }
}

/// BS2002 American price.
pub fn price_2002(kind: OptionKind, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> f64 {
    let b = r - q;
    match kind {
        OptionKind::Call => call_2002(s, k, t, r, b, vol),
        OptionKind::Put => call_2002(k, s, t, r - b, -b, vol),
    }
}

fn european_call(s: f64, k: f64, t: f64, r: f64, b: f64, vol: f64) -> f64 {
    bsm_price(OptionKind::Call, s, k, r, r - b, t, vol)
}

fn beta_binf_b0(k: f64, r: f64, b: f64, vol: f64) -> (f64, f64, f64) {
    let v2 = vol * vol;
    let beta = (0.5 - b / v2) + ((b / v2 - 0.5).powi(2) + 2.0 * r / v2).sqrt();
    let b_inf = beta / (beta - 1.0) * k;
    let b0 = if r - b > 0.0 {
        k.max(r / (r - b) * k)
    } else {
        k
    };
    (beta, b_inf, b0)
}

/// `φ(S,T,γ,H,I) / base^γ`: the base keeps `S^β` finite when β is huge
/// (tiny volatility makes β ~ √(2r)/σ).
#[allow(clippy::too_many_arguments)]
fn phi_b(s: f64, t: f64, gamma: f64, h: f64, i: f64, r: f64, b: f64, vol: f64, base: f64) -> f64 {
    let v2 = vol * vol;
    let lambda = (-r + gamma * b + 0.5 * gamma * (gamma - 1.0) * v2) * t;
    let sq = vol * t.sqrt();
    let d = -((s / h).ln() + (b + (gamma - 0.5) * v2) * t) / sq;
    let kappa = 2.0 * b / v2 + (2.0 * gamma - 1.0);
    lambda.exp()
        * (s / base).powf(gamma)
        * (norm_cdf(d) - (i / s).powf(kappa) * norm_cdf(d - 2.0 * (i / s).ln() / sq))
}

#[allow(clippy::too_many_arguments)]
fn phi(s: f64, t: f64, gamma: f64, h: f64, i: f64, r: f64, b: f64, vol: f64) -> f64 {
    phi_b(s, t, gamma, h, i, r, b, vol, 1.0)
}

fn call_1993(s: f64, k: f64, t: f64, r: f64, b: f64, vol: f64) -> f64 {
    if b >= r {
        return european_call(s, k, t, r, b, vol);
    }
    let (beta, b_inf, b0) = beta_binf_b0(k, r, b, vol);
    let ht = -(b * t + 2.0 * vol * t.sqrt()) * b0 / (b_inf - b0);
    let i = b0 + (b_inf - b0) * (1.0 - ht.exp());
    if s >= i {
        return s - k;
    }
    // α = (I-K)·I^{-β} is folded into (S/I)^β to stay finite for large β.
    (i - k) * (s / i).powf(beta) - (i - k) * phi_b(s, t, beta, i, i, r, b, vol, i)
        + phi(s, t, 1.0, i, i, r, b, vol)
        - phi(s, t, 1.0, k, i, r, b, vol)
        - k * phi(s, t, 0.0, i, i, r, b, vol)
        + k * phi(s, t, 0.0, k, i, r, b, vol)
}

#[allow(clippy::too_many_arguments)]
fn psi(
    s: f64,
    t2: f64,
    gamma: f64,
    h: f64,
    i2: f64,
    i1: f64,
    t1: f64,
    r: f64,
    b: f64,
    vol: f64,
    base: f64,
) -> f64 {
    let v2 = vol * vol;
    let vsq1 = vol * t1.sqrt();
    let vsq2 = vol * t2.sqrt();
    let drift = b + (gamma - 0.5) * v2;
    let e1 = ((s / i1).ln() + drift * t1) / vsq1;
    let e2 = ((i2 * i2 / (s * i1)).ln() + drift * t1) / vsq1;
    let e3 = ((s / i1).ln() - drift * t1) / vsq1;
    let e4 = ((i2 * i2 / (s * i1)).ln() - drift * t1) / vsq1;
    let f1 = ((s / h).ln() + drift * t2) / vsq2;
    let f2 = ((i2 * i2 / (s * h)).ln() + drift * t2) / vsq2;
    let f3 = ((i1 * i1 / (s * h)).ln() + drift * t2) / vsq2;
    let f4 = ((s * i1 * i1 / (h * i2 * i2)).ln() + drift * t2) / vsq2;
    let rho = (t1 / t2).sqrt();
    let lambda = -r + gamma * b + 0.5 * gamma * (gamma - 1.0) * v2;
    let kappa = 2.0 * b / v2 + (2.0 * gamma - 1.0);
    (lambda * t2).exp()
        * (s / base).powf(gamma)
        * (bivariate_cdf(-e1, -f1, rho)
            - (i2 / s).powf(kappa) * bivariate_cdf(-e2, -f2, rho)
            - (i1 / s).powf(kappa) * bivariate_cdf(-e3, -f3, -rho)
            + (i1 / i2).powf(kappa) * bivariate_cdf(-e4, -f4, -rho))
}

fn call_2002(s: f64, k: f64, t: f64, r: f64, b: f64, vol: f64) -> f64 {
    if b >= r {
        return european_call(s, k, t, r, b, vol);
    }
    let (beta, b_inf, b0) = beta_binf_b0(k, r, b, vol);
    let t1 = 0.5 * (5f64.sqrt() - 1.0) * t;
    let h1 = -(b * t1 + 2.0 * vol * t1.sqrt()) * k * k / ((b_inf - b0) * b0);
    let h2 = -(b * t + 2.0 * vol * t.sqrt()) * k * k / ((b_inf - b0) * b0);
    let i1 = b0 + (b_inf - b0) * (1.0 - h1.exp());
    let i2 = b0 + (b_inf - b0) * (1.0 - h2.exp());
    if s >= i2 {
        return s - k;
    }
    // αⱼ = (Iⱼ-K)·Iⱼ^{-β}; each αⱼ·S^β-type term is evaluated as (Iⱼ-K)·(S/Iⱼ)^β.
    let (c1, c2) = (i1 - k, i2 - k);
    let p = |g: f64, h: f64, i: f64| phi(s, t1, g, h, i, r, b, vol);
    let pb = |h: f64, i: f64, base: f64| phi_b(s, t1, beta, h, i, r, b, vol, base);
    let ps = |g: f64, h: f64| psi(s, t, g, h, i2, i1, t1, r, b, vol, 1.0);
    c2 * (s / i2).powf(beta) - c2 * pb(i2, i2, i2) + p(1.0, i2, i2)
        - p(1.0, i1, i2)
        - k * p(0.0, i2, i2)
        + k * p(0.0, i1, i2)
        + c1 * pb(i1, i2, i1)
        - c1 * psi(s, t, beta, i1, i2, i1, t1, r, b, vol, i1)
        + ps(1.0, i1)
        - ps(1.0, k)
        - k * ps(0.0, i1)
        + k * ps(0.0, k)
}

/// Bivariate standard normal CDF `P(X <= a, Y <= b)` with correlation `rho`,
/// from Sheppard's formula `Φ(a)Φ(b) + (1/2π)∫₀^{asin ρ} exp(-(a²+b²-2ab sinθ)/(2cos²θ)) dθ`
/// with 20-point Gauss-Legendre (two panels for |ρ| > 0.8). BS2002 only uses
/// `|ρ| = √((√5-1)/2) ≈ 0.786`, where the integrand is smooth.
pub fn bivariate_cdf(a: f64, b: f64, rho: f64) -> f64 {
    let base = norm_cdf(a) * norm_cdf(b);
    if rho == 0.0 {
        return base;
    }
    let theta_max = rho.clamp(-1.0, 1.0).asin();
    let panels = if rho.abs() > 0.8 { 4 } else { 1 };
    let width = theta_max / panels as f64;
    let mut sum = 0.0;
    for p in 0..panels {
        let c = width * (p as f64 + 0.5);
        let hw = 0.5 * width;
        for (x, w) in GL20_X.iter().zip(GL20_W.iter()) {
            for sgn in [-1.0, 1.0] {
                let th = c + sgn * hw * x;
                let (sn, cs) = th.sin_cos();
                sum += w * (-(a * a + b * b - 2.0 * a * b * sn) / (2.0 * cs * cs)).exp();
            }
        }
    }
    (base + sum * 0.5 * width / std::f64::consts::TAU).clamp(0.0, 1.0)
}
