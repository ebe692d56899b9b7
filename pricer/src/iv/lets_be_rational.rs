//! Jäckel's "Let's Be Rational" (Wilmott 2015; reference code 2016) on the
//! normalised out-of-the-money call `b(x, s)`, `x = ln(F/K) <= 0`, `s = σ√T`.
//!
//! The range `(0, e^{x/2})` of `b` is cut at `b_l < b_c < b_u`, where
//! `s_c = √(2|x|)` is the inflection point of `b(s)` and `s_l`, `s_u` are the
//! tangent intersections with 0 and `b_max`. In each of the four branches a
//! rational cubic (Delbourgo-Gregory) interpolant gives the initial guess:
//! directly in `s` for the two middle branches, and in transformed variables
//! (`f_lower ∝ Φ(-|x|/(√3 s))³`, `f_upper = Φ(-s/2)`) for the outer two, whose
//! inverses are closed-form. Then at most two Householder(3) steps on an
//! objective chosen per branch (`1/ln b - 1/ln β` in the lowest, `ln` of the
//! complement in the highest, `b - β` otherwise) reach double precision.

use super::rational_cubic::{convex_r_fit_left, convex_r_fit_right, interpolate};
use crate::black::{
    normalised_black_otm, normalised_black_otm_log, normalised_black_otm_vega, normalised_vega,
};
use crate::normal::{
    as241, erfcx, inverse_norm_cdf, norm_cdf_fast, one_minus_erfcx, FRAC_1_SQRT_2PI, SQRT_2PI,
};
use std::f64::consts::FRAC_1_SQRT_2;

pub(crate) const MAX_ITER: usize = 2;
const FRAC_1_SQRT_3: f64 = 0.577_350_269_189_625_8;
const SQRT_3: f64 = 1.732_050_807_568_877_2;
const TWO_PI_OVER_SQRT_27: f64 = 1.209_199_576_156_145_2;
const SQRT_3_OVER_CBRT_2PI: f64 = 0.938_643_487_427_383_6;
const SQRT_PI_OVER_2: f64 = 1.253_314_137_315_500_3;
const SQRT_DBL_MAX: f64 = 1.340_780_792_994_259_6e154;

// b(x, s_l)/b_max and b(x, s_u)/b_max as functions of s_c = √(2|x|) alone
// (s_l, s_u are the tangent intersections at s_c, themselves functions of
// s_c): Chebyshev fits in v = 2u/0.95 - 1, u = s_c/(1+s_c), made with mpmath
// (30 digits), the lower one divided by u². Relative error < 1.1e-9 for
// s_c <= 19 (|x| <= 180); beyond, b is evaluated. Only branch boundaries
// and interpolation nodes of the initial guess depend on them (Jäckel's
// later reference code replaces these evaluations by rational fits too).
#[allow(clippy::excessive_precision)]
const B_L_POLY: [f64; 17] = [
    1.276110328323624e-05,
    2.4826936423549602e-05,
    -1.927711653906666e-05,
    -7.32619306545068e-05,
    -5.389447094813237e-05,
    -3.1689761754807494e-05,
    -2.9861222941581724e-05,
    9.081858866576493e-05,
    0.00040110228056857333,
    0.0008012918617514127,
    0.0009070092043436557,
    -0.00025841085884976376,
    -0.004081214067160869,
    -0.010004546293749441,
    -0.008652492121057053,
    0.025701892061673715,
    0.10337675347166589,
];
#[allow(clippy::excessive_precision)]
const B_U_POLY: [f64; 17] = [
    1.3850376875386757e-05,
    2.5471501635265736e-05,
    -2.306465547806155e-05,
    -8.00957794673759e-05,
    -7.839714169988901e-05,
    -9.382059189604569e-05,
    -3.815100419503507e-05,
    0.0003879155547818665,
    0.0011430504008129944,
    0.0013451237033984982,
    -0.0007266897652009494,
    -0.005925115624374426,
    -0.009690133143433225,
    0.0012954029319187915,
    0.036346311557389925,
    0.05181622340752784,
    0.8117329231016683,
];

/// `b_l/b_max` (`lower`) or `b_u/b_max` from the fits above, `None` beyond
/// their range.
#[inline]
fn branch_value(poly: [f64; 17], lower: bool, s_c: f64) -> Option<f64> {
    let u = s_c / (1.0 + s_c);
    if !(u <= 0.95) {
        return None;
    }
    let v = u * (2.0 / 0.95) - 1.0;
    // Estrin's scheme: this sits on the critical path of every inversion,
    // and a 16-step Horner chain would cost ~4x the latency.
    let c = |i: usize| poly[16 - i];
    let v2 = v * v;
    let v4 = v2 * v2;
    let v8 = v4 * v4;
    let q = |i: usize| c(i) + c(i + 1) * v;
    let o = |i: usize| q(i) + q(i + 2) * v2;
    let e0 = o(0) + o(4) * v4;
    let e1 = o(8) + o(12) * v4;
    let p = e0 + e1 * v8 + c(16) * (v8 * v8);
    Some(if lower { p * u * u } else { p })
}

#[inline(always)]
pub(crate) fn householder3(nu: f64, h2: f64, h3: f64) -> f64 {
    (1.0 + 0.5 * h2 * nu) / (1.0 + nu * (h2 + h3 * nu / 6.0))
}

#[inline(always)]
pub(crate) fn advance(s: f64, ds: f64) -> f64 {
    let n = s + ds;
    if n > 0.0 && n.is_finite() {
        n
    } else if ds < 0.0 {
        0.5 * s
    } else {
        s
    }
}

/// `f_lower(s)` and its first two derivatives with respect to `b`.
fn f_lower_map(x: f64, s: f64) -> (f64, f64, f64) {
    let z = -FRAC_1_SQRT_3 * x / s;
    let y = z * z;
    let s2 = s * s;
    let (phi_m, mills) = if z <= 37.0 {
        // Φ(-z) = R(z)·φ(z) from the Mills ratio R = Φ(-z)/φ(z), which the
        // second derivative needs too: one exponential instead of two.
        let mills = SQRT_PI_OVER_2 * erfcx(FRAC_1_SQRT_2 * z);
        (mills * FRAC_1_SQRT_2PI * (-0.5 * y).exp(), mills)
    } else {
        let phi_m = norm_cdf_fast(-z);
        (phi_m, phi_m * SQRT_2PI * (0.5 * y).exp())
    };
    let phi2 = phi_m * phi_m;
    let f = -TWO_PI_OVER_SQRT_27 * x * (phi2 * phi_m);
    let e = (y + 0.125 * s2).exp();
    let fp = std::f64::consts::TAU * y * phi2 * e;
    // e^{2y + s²/4} = e², one exponential fewer.
    let fpp = std::f64::consts::FRAC_PI_6 * y / (s2 * s)
        * phi_m
        * (-8.0 * SQRT_3 * s * x + (3.0 * s2 * (s2 - 8.0) - 8.0 * x * x) * mills)
        * (e * e);
    (f, fp, fpp)
}

#[inline]
fn inverse_f_lower_map(x: f64, f: f64) -> f64 {
    // Only an initial guess: AS241 alone (~1e-16) without the Halley polish
    // of `inverse_norm_cdf`, and one cube root of the ratio.
    (x * FRAC_1_SQRT_3 / as241(SQRT_3_OVER_CBRT_2PI * cbrt_guess(f / x.abs()))).abs()
}

/// Cube root to ~1e-13 relative for an initial guess (`v > 0` finite):
/// exponent divided by 3 in the bits, then two Halley steps (cubic
/// convergence from ~3% to ~1e-5 to ~1e-15); much cheaper than a fully
/// rounded `cbrt`. Non-positive or non-finite inputs go to `f64::cbrt`.
#[inline]
fn cbrt_guess(v: f64) -> f64 {
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&v) {
        return v.cbrt();
    }
    // bits/3 + 2/3·bias(1023 << 52): a ~3% approximation of v^(1/3).
    let mut y = f64::from_bits(v.to_bits() / 3 + 0x2a9f_7893_782d_a1ce);
    for _ in 0..2 {
        let y3 = y * y * y;
        y *= (y3 + 2.0 * v) / (2.0 * y3 + v);
    }
    y
}

/// `f_upper(s) = Φ(-s/2)` and its first two derivatives with respect to `b`.
fn f_upper_map(x: f64, s: f64) -> (f64, f64, f64) {
    let w = (x / s) * (x / s);
    (
        norm_cdf_fast(-0.5 * s),
        -0.5 * (0.5 * w).exp(),
        SQRT_PI_OVER_2 * (w + 0.125 * s * s).exp() * w / s,
    )
}

/// `b_max - b(x, s)` without cancellation: `e^{x/2}Φ(-h-t) + e^{-x/2}Φ(h-t)`.
#[inline]
fn complement(x: f64, s: f64) -> f64 {
    let h = x / s;
    let t = 0.5 * s;
    (0.5 * x).exp() * norm_cdf_fast(-h - t) + (-0.5 * x).exp() * norm_cdf_fast(h - t)
}

#[inline(always)]
pub(crate) fn curvature(x: f64, s: f64) -> (f64, f64) {
    // b''/b' and b'''/b' of the normalised Black function in s.
    // One reciprocal instead of a chain of three divisions (latency).
    let inv_s = 1.0 / s;
    let h = x * inv_s;
    let x2_over_s3 = h * h * inv_s;
    let b_h2 = x2_over_s3 - 0.25 * s;
    let b_h3 = b_h2 * b_h2 - 3.0 * (x2_over_s3 * inv_s) - 0.25;
    (b_h2, b_h3)
}

/// The objective of the Householder(3) iteration, chosen by branch.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Objective {
    /// `1/ln b - 1/ln β` in the lowest branch.
    Lowest { ln_beta: f64 },
    /// `b - β` in the two middle branches.
    Middle,
    /// `ln(b_max - β) - ln(b_max - b)` in the highest, with `β̄ = b_max - β`.
    Upper { beta_bar: f64 },
    /// The guess is the answer (highest branch with `β <= b_max/2`).
    Done,
}

/// Householder(3) converges with order 4: after a step of relative size
/// below 2e-5 the next one would be ~1e-19 relative, so it is skipped.
#[inline(always)]
pub(crate) fn converged(ds: f64, s: f64) -> bool {
    ds.abs() <= 2e-5 * s
}

/// One iteration from `s`: the next `s`, and whether the iteration is over.
#[inline]
pub(crate) fn step(obj: Objective, x: f64, beta: f64, s: f64) -> (f64, bool) {
    match obj {
        Objective::Lowest { ln_beta } => step_lowest(x, ln_beta, s),
        Objective::Middle => step_middle(x, beta, s),
        Objective::Upper { beta_bar } => step_upper(x, beta_bar, s),
        Objective::Done => (s, true),
    }
}

#[inline]
fn finish(s: f64, ds: f64) -> (f64, bool) {
    let n = advance(s, ds);
    (n, converged(ds, n))
}

#[inline]
fn step_middle(x: f64, beta: f64, s: f64) -> (f64, bool) {
    let (b, bp) = normalised_black_otm_vega(x, s);
    if !(bp > f64::MIN_POSITIVE) || b == beta {
        return (s, true);
    }
    let nu = (beta - b) / bp;
    let (h2, h3) = curvature(x, s);
    finish(s, nu * householder3(nu, h2, h3))
}

#[inline]
fn step_upper(x: f64, beta_bar: f64, s: f64) -> (f64, bool) {
    let bbar = complement(x, s);
    let bp = normalised_vega(x, s);
    if !(bbar > 0.0) || !(bp > f64::MIN_POSITIVE) {
        return (s, true);
    }
    let g = (beta_bar / bbar).ln();
    if g == 0.0 {
        return (s, true);
    }
    let gp = bp / bbar;
    let (b_h2, b_h3) = curvature(x, s);
    let nu = -g / gp;
    let h2 = b_h2 + gp;
    let h3 = b_h3 + gp * (2.0 * gp + 3.0 * b_h2);
    finish(s, nu * householder3(nu, h2, h3))
}

#[inline]
fn step_lowest(x: f64, ln_beta: f64, s: f64) -> (f64, bool) {
    let (ln_b, bpob) = normalised_black_otm_log(x, s);
    if !(ln_b > f64::NEG_INFINITY) {
        // The guess is so low that b underflowed: move up and retry.
        return (s * 1.25, false);
    }
    if !(bpob > 0.0 && bpob.is_finite()) || ln_b == ln_beta {
        return (s, true);
    }
    finish(s, lowest_ds(x, s, ln_beta, ln_b, bpob))
}

/// The Householder(3) step on `1/ln b - 1/ln β` from `ln b` and `b'/b` at `s`.
#[inline(always)]
pub(crate) fn lowest_ds(x: f64, s: f64, ln_beta: f64, ln_b: f64, bpob: f64) -> f64 {
    let (b_h2, b_h3) = curvature(x, s);
    let nu = (ln_beta - ln_b) * ln_b / ln_beta / bpob;
    let lambda = 1.0 / ln_b;
    let otl = 1.0 + 2.0 * lambda;
    let h2 = b_h2 - bpob * otl;
    let h3 = b_h3 + bpob * bpob * (2.0 + 6.0 * lambda * (1.0 + lambda)) - 3.0 * b_h2 * bpob * otl;
    nu * householder3(nu, h2, h3)
}

/// At most `MAX_ITER` steps of `obj` from `s`.
#[inline]
pub(crate) fn iterate(obj: Objective, x: f64, beta: f64, mut s: f64) -> f64 {
    for _ in 0..MAX_ITER {
        let (n, done) = step(obj, x, beta, s);
        s = n;
        if done {
            break;
        }
    }
    s
}

/// What the initial guess needs to know about `β` on the curve `b(x, ·)`:
/// its branch and the branch's end points.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Setup {
    pub x: f64,
    pub beta: f64,
    pub b_max: f64,
    s_c: f64,
    b_c: f64,
    v_c: f64,
}

/// Total implied volatility `s = σ√T` for the normalised OTM call value `beta`
/// with `x <= 0`, given `b_max = e^{x/2}` (the caller has it from its bounds
/// check). Requires `0 < beta < b_max` (checked by the caller).
pub(crate) fn solve(beta: f64, x: f64, b_max: f64) -> f64 {
    debug_assert!(x <= 0.0);
    if x == 0.0 {
        return solve_atm(beta);
    }
    let (s0, obj) = guess(&setup(beta, x, b_max));
    iterate(obj, x, beta, s0)
}

impl Setup {
    /// From the inflection point's `s_c = √(2|x|)` and `1 - erfcx(√|x|)`
    /// computed elsewhere (the batch's vectorised stage).
    #[inline]
    pub(crate) fn from_parts(beta: f64, x: f64, b_max: f64, sqrt_ax: f64, ome: f64) -> Self {
        Setup {
            x,
            beta,
            b_max,
            s_c: std::f64::consts::SQRT_2 * sqrt_ax,
            b_c: 0.5 * b_max * ome,
            v_c: FRAC_1_SQRT_2PI * b_max,
        }
    }
}

/// The inflection point of `b(x, ·)` for `x < 0`.
#[inline]
pub(crate) fn setup(beta: f64, x: f64, b_max: f64) -> Setup {
    // At the inflection point s_c = √(2|x|), h + t = 0, so b and its vega
    // are closed-form (Jäckel's later reference code does the same):
    // b_c = e^{x/2}/2 - e^{-x/2}Φ(-s_c) = b_max(1 - erfcx(√|x|))/2,
    // v_c = φ(0)e^{x/2}.
    let sqrt_ax = x.abs().sqrt();
    Setup::from_parts(beta, x, b_max, sqrt_ax, one_minus_erfcx(sqrt_ax))
}

/// The rational initial guess for `s`, and the objective to iterate on.
#[inline]
pub(crate) fn guess(st: &Setup) -> (f64, Objective) {
    let Setup {
        x,
        beta,
        b_max,
        s_c,
        b_c,
        v_c,
    } = *st;
    if beta < b_c {
        let s_l = s_c - b_c / v_c;
        let b_l = branch_value(B_L_POLY, true, s_c)
            .map_or_else(|| normalised_black_otm(x, s_l), |f| f * b_max);
        if beta < b_l {
            let (f_l, df_l, d2f_l) = f_lower_map(x, s_l);
            let r = convex_r_fit_right(0.0, b_l, 0.0, f_l, 1.0, df_l, d2f_l, true);
            let mut f = interpolate(beta, 0.0, b_l, 0.0, f_l, 1.0, df_l, r);
            if !(f > 0.0) {
                let t = beta / b_l;
                f = (f_l * t + b_l * (1.0 - t)) * t;
            }
            let ln_beta = beta.ln();
            return (inverse_f_lower_map(x, f), Objective::Lowest { ln_beta });
        }
        let v_l = normalised_vega(x, s_l);
        let r = convex_r_fit_right(b_l, b_c, s_l, s_c, 1.0 / v_l, 1.0 / v_c, 0.0, false);
        let s = interpolate(beta, b_l, b_c, s_l, s_c, 1.0 / v_l, 1.0 / v_c, r);
        return (s, Objective::Middle);
    }
    let s_u = if v_c > f64::MIN_POSITIVE {
        s_c + (b_max - b_c) / v_c
    } else {
        s_c
    };
    let b_u = branch_value(B_U_POLY, false, s_c)
        .map_or_else(|| normalised_black_otm(x, s_u), |f| f * b_max);
    if beta <= b_u {
        let v_u = normalised_vega(x, s_u);
        let r = convex_r_fit_left(b_c, b_u, s_c, s_u, 1.0 / v_c, 1.0 / v_u, 0.0, false);
        let s = interpolate(beta, b_c, b_u, s_c, s_u, 1.0 / v_c, 1.0 / v_u, r);
        return (s, Objective::Middle);
    }
    let (f_u, df_u, d2f_u) = f_upper_map(x, s_u);
    let mut f = if d2f_u.abs() < SQRT_DBL_MAX {
        let r = convex_r_fit_left(b_u, b_max, f_u, 0.0, df_u, -0.5, d2f_u, true);
        interpolate(beta, b_u, b_max, f_u, 0.0, df_u, -0.5, r)
    } else {
        f64::MIN
    };
    if !(f > 0.0) {
        let h = b_max - b_u;
        let t = (beta - b_u) / h;
        f = (f_u * (1.0 - t) + 0.5 * h * t) * (1.0 - t);
    }
    let s0 = -2.0 * as241(f);
    if beta > 0.5 * b_max {
        (
            s0,
            Objective::Upper {
                beta_bar: b_max - beta,
            },
        )
    } else {
        (s0, Objective::Done)
    }
}

fn solve_atm(beta: f64) -> f64 {
    // b(0, s) = erf(s/(2√2)).
    let s0 = if beta < 0.05 {
        SQRT_2PI * beta
    } else if beta <= 0.5 {
        2.0 * inverse_norm_cdf(0.5 + 0.5 * beta)
    } else {
        -2.0 * inverse_norm_cdf(0.5 * (1.0 - beta))
    };
    if beta > 0.5 {
        let beta_bar = 1.0 - beta;
        iterate(Objective::Upper { beta_bar }, 0.0, beta, s0)
    } else {
        // From the small-s guess the error is O(β²): allow one more step.
        let s1 = iterate(Objective::Middle, 0.0, beta, s0);
        if beta < 0.05 {
            iterate(Objective::Middle, 0.0, beta, s1)
        } else {
            s1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_fits_match_normalised_black() {
        let mut s_c: f64 = 1e-3;
        while s_c < 19.0 {
            let x = -0.5 * s_c * s_c;
            let b_max = (0.5 * x).exp();
            let ome = one_minus_erfcx(s_c * std::f64::consts::FRAC_1_SQRT_2);
            let s_l = s_c - 1.253_314_137_315_500_3 * ome;
            let s_u = s_c + 1.253_314_137_315_500_3 * (2.0 - ome);
            let bl = branch_value(B_L_POLY, true, s_c).unwrap() * b_max;
            let bu = branch_value(B_U_POLY, false, s_c).unwrap() * b_max;
            let (wl, wu) = (normalised_black_otm(x, s_l), normalised_black_otm(x, s_u));
            assert!((bl / wl - 1.0).abs() < 2e-9, "s_c={s_c}: {bl} {wl}");
            assert!((bu / wu - 1.0).abs() < 2e-9, "s_c={s_c}: {bu} {wu}");
            s_c *= 1.13;
        }
        assert!(branch_value(B_L_POLY, true, 20.0).is_none());
    }

    #[test]
    fn cbrt_guess_is_close() {
        let mut v = 1e-300;
        while v < 1e300 {
            for m in [1.0, 1.7, 3.3, 7.9] {
                let x = v * m;
                assert!((cbrt_guess(x) / x.cbrt() - 1.0).abs() < 1e-12, "{x}");
            }
            v *= 1e7;
        }
    }
}
