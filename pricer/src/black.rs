//! Black-Scholes-Merton (spot, continuous yield q) and Black-76 (forward) prices.
//!
//! Prices go through the *normalised* Black function of Jäckel ("Let's Be
//! Rational", 2015), evaluated region by region so that out-of-the-money values
//! keep their relative precision instead of being the difference of two nearly
//! equal numbers:
//!
//! * region 1, `h < -10` and `t` not too large: asymptotic expansion of Mills'
//!   ratio, 17 terms, in `q = (h/r)²` and `e = (t/h)²`;
//! * region 2, `t < 2·ε^{1/16}`: Taylor expansion in `t` with coefficients
//!   written in `a = 1 + h·Y(h)`, `Y` = Mills' ratio via `erfcx`;
//! * region 3, `h + t > 0.85`: plain difference of the two Φ terms (the first
//!   term dominates, nothing cancels);
//! * region 4, otherwise: difference of two `erfcx` values times a common
//!   exponential.
//!
//! with `x = ln(F/K)`, `s = σ√T`, `h = x/s`, `t = s/2`. In-the-money values are
//! the forward intrinsic value plus the out-of-the-money counterpart (put-call
//! parity on the forward), so every price has full relative precision in its
//! time value.

use crate::normal::{erfcx, norm_cdf, tail_from_exp, FRAC_1_SQRT_2PI};
use std::f64::consts::FRAC_1_SQRT_2;

/// Call or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum OptionKind {
    /// Right to buy.
    Call,
    /// Right to sell.
    Put,
}

impl OptionKind {
    /// +1 for a call, -1 for a put.
    #[inline]
    pub fn sign(self) -> f64 {
        match self {
            OptionKind::Call => 1.0,
            OptionKind::Put => -1.0,
        }
    }
    /// The other kind.
    #[inline]
    pub fn flip(self) -> Self {
        match self {
            OptionKind::Call => OptionKind::Put,
            OptionKind::Put => OptionKind::Call,
        }
    }
}

pub(crate) const ETA: f64 = -10.0;
/// 2·ε^{1/16}: below this `t` the small-t expansion is accurate to machine precision.
pub(crate) const TAU_SMALL: f64 = 0.210_224_103_813_428_7;

/// Coefficients c[n][k] of the asymptotic sum Σₙ qⁿ Σₖ c[n][k] eᵏ:
/// c[n][k] = 2(-1)ⁿ(2n-1)!! C(2n+1, 2k+1).
const ASYM_N: usize = 18;
const ASYM: [[f64; ASYM_N]; ASYM_N] = asym_table();

const fn asym_table() -> [[f64; ASYM_N]; ASYM_N] {
    let mut t = [[0.0; ASYM_N]; ASYM_N];
    let mut n = 0;
    let mut dfact = 1.0; // (2n-1)!!
    while n < ASYM_N {
        if n > 0 {
            dfact *= (2 * n - 1) as f64;
        }
        let sign = if n % 2 == 0 { 2.0 } else { -2.0 };
        let m = 2 * n + 1;
        let mut k = 0;
        while k <= n {
            t[n][k] = sign * dfact * binom(m, 2 * k + 1);
            k += 1;
        }
        n += 1;
    }
    t
}

const fn binom(n: usize, k: usize) -> f64 {
    let mut r = 1.0;
    let mut i = 0;
    while i < k {
        r = r * (n - i) as f64 / (i + 1) as f64;
        i += 1;
    }
    r
}

/// `b/φ` with `φ = e^{-(h²+t²)/2}/√(2π)` the vega, from the asymptotic
/// series for large `-h`.
#[inline]
fn asymptotic_ratio(h: f64, t: f64) -> f64 {
    let e = (t / h) * (t / h);
    let r = (h + t) * (h - t);
    let q = (h / r) * (h / r);
    let mut sum = 0.0;
    let mut qn = 1.0;
    for (n, row) in ASYM.iter().enumerate() {
        let mut p = 0.0;
        for k in (0..=n).rev() {
            p = p * e + row[k];
        }
        let term = p * qn;
        sum += term;
        if term.abs() < 1e-17 * sum.abs() {
            break;
        }
        qn *= q;
    }
    (t / r) * sum
}

/// `b/φ` (see [`asymptotic_ratio`]) from the series in small `t`.
#[inline]
fn small_t_ratio(h: f64, t: f64) -> f64 {
    small_t_series(h, t, erfcx(-FRAC_1_SQRT_2 * h))
}

/// [`small_t_ratio`] given `erfcx(-h/√2)` (the batch solver has it from a
/// vectorised kernel).
#[inline(always)]
pub(crate) fn small_t_series(h: f64, t: f64, erfcx_mh: f64) -> f64 {
    // Y(h) = Φ(h)/φ(h) = √(π/2)·erfcx(-h/√2); a = 1 + h·Y(h) = Y'(h).
    let a = 1.0 + h * (0.5 * crate::normal::SQRT_2PI) * erfcx_mh;
    let w = t * t;
    let h2 = h * h;
    // Odd derivatives Y⁽²ᵏ⁺¹⁾(h)/(2k+1)! are c_k = A_k(h²) + a·B_k(h²)
    // (derived from Y' = 1 + hY); the series is
    // Y(h+t) - Y(h-t) = 2t(a + Σ c_k t²ᵏ) = 2t(Σ A_k w^k + a(1 + Σ B_k w^k)).
    // Split this way, both sums depend on h and t only and are evaluated
    // while erfcx is still running: inside every implied-volatility
    // iteration for σ√T < 0.42 only one multiply-add then waits for `a`.
    // (Factorials as products with reciprocals, Estrin's scheme in w: both
    // for latency.)
    let a1 = -1.0 / 6.0;
    let b1 = (3.0 + h2) * (1.0 / 6.0);
    let a2 = (-7.0 - h2) * (1.0 / 120.0);
    let b2 = (15.0 + h2 * (10.0 + h2)) * (1.0 / 120.0);
    let a3 = (-57.0 - h2 * (18.0 + h2)) * (1.0 / 5040.0);
    let b3 = (105.0 + h2 * (105.0 + h2 * (21.0 + h2))) * (1.0 / 5040.0);
    let a4 = (-561.0 - h2 * (285.0 + h2 * (33.0 + h2))) * (1.0 / 362_880.0);
    let b4 = (945.0 + h2 * (1260.0 + h2 * (378.0 + h2 * (36.0 + h2)))) * (1.0 / 362_880.0);
    let a5 = (-6555.0 - h2 * (4680.0 + h2 * (840.0 + h2 * (52.0 + h2)))) * (1.0 / 39_916_800.0);
    let b5 = (10395.0 + h2 * (17325.0 + h2 * (6930.0 + h2 * (990.0 + h2 * (55.0 + h2)))))
        * (1.0 / 39_916_800.0);
    let a6 = (-89055.0 - h2 * (82845.0 + h2 * (20370.0 + h2 * (1926.0 + h2 * (75.0 + h2)))))
        * (1.0 / 6_227_020_800.0);
    let b6 = (135_135.0
        + h2 * (270_270.0 + h2 * (135_135.0 + h2 * (25740.0 + h2 * (2145.0 + h2 * (78.0 + h2))))))
        * (1.0 / 6_227_020_800.0);
    let w2 = w * w;
    let sum_a = w * ((a1 + a2 * w) + w2 * ((a3 + a4 * w) + w2 * (a5 + a6 * w)));
    let sum_b = 1.0 + w * ((b1 + b2 * w) + w2 * ((b3 + b4 * w) + w2 * (b5 + b6 * w)));
    let series = sum_a + a * sum_b;
    2.0 * t * series
}

/// `b` and its vega from `b/φ`.
#[inline]
fn from_ratio(h: f64, t: f64, ratio: f64) -> (f64, f64) {
    let vega = FRAC_1_SQRT_2PI * (-0.5 * (h * h + t * t)).exp();
    ((vega * ratio).max(0.0), vega)
}

/// Where the series hold: `Some(b/φ)`, else `None`.
#[inline]
fn series_ratio(x: f64, s: f64, h: f64, t: f64) -> Option<f64> {
    if x < s * ETA && 0.5 * s * s + x < s * (TAU_SMALL + ETA) {
        return Some(asymptotic_ratio(h, t));
    }
    if t < TAU_SMALL {
        return Some(small_t_ratio(h, t));
    }
    None
}

/// ln √(2π).
pub(crate) const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// `(ln b, b'/b)` for `x < 0`, `s > 0`, as the lowest branch of the implied
/// volatility iteration needs them. Where a series gives `b = φ·R`,
/// `ln b = -(h²+t²)/2 - ln√(2π) + ln R` and `b'/b = 1/R`: no exponential
/// is formed, so nothing underflows however small `b` is.
#[inline]
pub(crate) fn normalised_black_otm_log(x: f64, s: f64) -> (f64, f64) {
    debug_assert!(x < 0.0 && s > 0.0);
    let h = x / s;
    let t = 0.5 * s;
    if let Some(r) = series_ratio(x, s, h, t) {
        if r > 0.0 {
            return (r.ln() - (0.5 * (h * h + t * t) + LN_SQRT_2PI), 1.0 / r);
        }
    }
    let (b, bp) = normalised_black_otm_vega(x, s);
    (b.ln(), bp / b)
}

/// Normalised out-of-the-money call `b(x, s)` for `x <= 0`:
/// `e^{x/2}Φ(x/s + s/2) - e^{-x/2}Φ(x/s - s/2)`.
#[inline]
pub fn normalised_black_otm(x: f64, s: f64) -> f64 {
    normalised_black_otm_vega(x, s).0
}

/// [`normalised_black_otm`] and [`normalised_vega`] together: every region
/// already forms (or can form from its own exponentials) the common factor
/// `e^{-(h²+t²)/2}` of the vega, so the pair costs what `b` alone costs.
#[inline]
pub(crate) fn normalised_black_otm_vega(x: f64, s: f64) -> (f64, f64) {
    debug_assert!(x <= 0.0);
    if !(s > 0.0) {
        return (0.0, 0.0);
    }
    if x == 0.0 {
        // b(0, s) = erf(s/(2√2)) = 1 - 2Φ(-s/2); the Φ form keeps relative
        // precision only in the complement, so use erf via erfc for small s.
        let b = if s < 1.0 {
            crate::normal::erf(s * 0.5 * FRAC_1_SQRT_2)
        } else {
            1.0 - 2.0 * norm_cdf(-0.5 * s)
        };
        return (b, FRAC_1_SQRT_2PI * (-0.125 * s * s).exp());
    }
    let h = x / s;
    let t = 0.5 * s;
    if let Some(r) = series_ratio(x, s, h, t) {
        return from_ratio(h, t, r);
    }
    if x + 0.5 * s * s > s * 0.85 {
        // h + t > 0.85 > 0 > h - t: Φ(h+t) = 1 - Φ(-(h+t)), Φ(h-t) a tail;
        // each tail from Cody's rational and its own inlined exponential.
        let (a, b) = (h + t, t - h);
        let ea = (-0.5 * a * a).exp();
        let phi_a = 1.0 - tail_from_exp(a, ea);
        let phi_mb = tail_from_exp(b, (-0.5 * b * b).exp());
        let ex = (0.5 * x).exp();
        let v = ex * phi_a - (-0.5 * x).exp() * phi_mb;
        // e^{-(h²+t²)/2} = e^{-(h+t)²/2}·e^{ht}, ht = x/2.
        return (v.max(0.0), FRAC_1_SQRT_2PI * ea * ex);
    }
    let e = (-0.5 * (h * h + t * t)).exp();
    let v = if h + t > 0.0 {
        // erfcx(-y) = 2e^{y²} - erfcx(y) and e^{-(h²+t²)/2}·e^{(h+t)²/2} =
        // e^{x/2}: no second exponential for the negative argument.
        (0.5 * x).exp()
            - 0.5 * e * (erfcx(FRAC_1_SQRT_2 * (h + t)) + erfcx(FRAC_1_SQRT_2 * (t - h)))
    } else {
        0.5 * e * (erfcx(-FRAC_1_SQRT_2 * (h + t)) - erfcx(FRAC_1_SQRT_2 * (t - h)))
    };
    (v.max(0.0), FRAC_1_SQRT_2PI * e)
}

/// Normalised Black value `B/√(FK)` for `θ = ±1`, `x = ln(F/K)`, `s = σ√T`.
#[inline]
pub fn normalised_black(x: f64, s: f64, kind: OptionKind) -> f64 {
    let theta = kind.sign();
    let iota = if theta * x > 0.0 {
        2.0 * (0.5 * x.abs()).sinh()
    } else {
        0.0
    };
    iota + normalised_black_otm(-x.abs(), s)
}

/// Normalised vega `∂b/∂s = φ(h+t)·e^{x/2} = exp(-(h²+t²)/2)/√(2π)`.
#[inline]
pub fn normalised_vega(x: f64, s: f64) -> f64 {
    let h = x / s;
    let t = 0.5 * s;
    FRAC_1_SQRT_2PI * (-0.5 * (h * h + t * t)).exp()
}

/// Undiscounted Black price on a forward `f` with total volatility `s = σ√T`.
#[inline]
pub fn black_undiscounted(f: f64, k: f64, s: f64, kind: OptionKind) -> f64 {
    let theta = kind.sign();
    let intrinsic = (theta * (f - k)).max(0.0);
    if !(s > 0.0) {
        return intrinsic;
    }
    let x = (f / k).ln();
    intrinsic + f.sqrt() * k.sqrt() * normalised_black_otm(-x.abs(), s)
}

/// Black-76 price of a European option on a forward/future `f`:
/// `e^{-rT}·Black(F, K, σ, T)`.
#[inline]
pub fn black76_price(kind: OptionKind, f: f64, k: f64, r: f64, t: f64, vol: f64) -> f64 {
    (-r * t).exp() * black_undiscounted(f, k, vol * t.sqrt(), kind)
}

/// Black-Scholes-Merton price with continuous dividend yield `q`.
#[inline]
pub fn bsm_price(kind: OptionKind, s: f64, k: f64, r: f64, q: f64, t: f64, vol: f64) -> f64 {
    let f = s * ((r - q) * t).exp();
    (-r * t).exp() * black_undiscounted(f, k, vol * t.sqrt(), kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asym_table_first_rows_match_hand_derivation() {
        assert_eq!(ASYM[0][0], 2.0);
        assert_eq!(ASYM[1][0], -6.0);
        assert_eq!(ASYM[1][1], -2.0);
        assert_eq!(ASYM[2][0], 30.0);
        assert_eq!(ASYM[2][1], 60.0);
        assert_eq!(ASYM[2][2], 6.0);
    }

    #[test]
    fn regions_agree_at_boundaries() {
        // Across each region switch the value must be continuous to ~1e-14 relative.
        for &(x, s) in &[
            (-1.0, 0.42),
            (-1.0, 0.4205),
            (-3.0, 0.25),
            (-21.0, 1.0),
            (-2.0, 2.0),
        ] {
            let b1 = normalised_black_otm(x, s);
            let b2 = normalised_black_otm(x, s * (1.0 + 1e-9));
            assert!(((b1 - b2) / b1).abs() < 1e-6, "x={x} s={s} {b1} {b2}");
        }
    }
}
