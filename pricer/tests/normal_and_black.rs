//! Normal CDF and normalised Black function against high-precision references.
#![allow(clippy::unwrap_used, clippy::neg_cmp_op_on_partial_ord)]

mod data {
    pub mod mpmath_reference;
}
use data::mpmath_reference::{NORMALISED_BLACK, PHI};
use pricer::black::normalised_black_otm;
use pricer::normal::{erf, erfc, norm_cdf};

fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

#[test]
fn phi_values_from_the_brief() {
    // Values quoted in the task (high-precision references).
    let cases = [
        (-10.0, 7.619853024160527e-24, 1e-14),
        (-1.0, 0.15865525393145705, 1e-15),
        (0.5, 0.6914624612740131, 1e-15),
        // Subnormal result: only ~8 significant digits exist in the f64 itself.
        (-38.0, 2.885428351e-316, 1e-8),
    ];
    for (z, want, tol) in cases {
        let got = norm_cdf(z);
        assert!(rel(got, want) <= tol, "Phi({z}) = {got:e}, want {want:e}");
    }
}

#[test]
fn phi_against_mpmath() {
    let mut worst: f64 = 0.0;
    for &(z, want) in PHI {
        let got = norm_cdf(z);
        // Below ~-37.5 the result is subnormal and has fewer significant bits.
        // Φ(z) = erfc(-z/√2)/2: the rounding of z/√2 is amplified by z², so the
        // attainable relative accuracy is about ε·z² for -10 < z < -3.
        let tol = if want < 1e-307 {
            1e-7
        } else {
            2.5e-16 * (8.0 + z * z)
        };
        let e = rel(got, want);
        assert!(e <= tol, "Phi({z}) = {got:e}, want {want:e}, rel {e:e}");
        if want > 1e-307 {
            worst = worst.max(e);
        }
    }
    assert!(worst < 3e-14, "worst relative error {worst:e}");
}

#[test]
fn erf_erfc_consistency() {
    for i in -400..400 {
        let x = i as f64 * 0.0137;
        assert!((erf(x) + erfc(x) - 1.0).abs() < 4e-16, "x={x}");
    }
}

#[test]
fn normalised_black_against_mpmath() {
    let mut worst: f64 = 0.0;
    for &(x, s, want) in NORMALISED_BLACK {
        let got = normalised_black_otm(x, s);
        let e = rel(got, want);
        // Attainable precision: an ulp of x or s moves b by its elasticity.
        let h = x / s;
        let t = 0.5 * s;
        let vega = (-0.5 * (h * h + t * t)).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let bx = 0.5 * ((0.5 * x).exp() * norm_cdf(h + t) + (-0.5 * x).exp() * norm_cdf(h - t));
        let cond = 1.0 + s * vega / want + x.abs() * bx / want;
        let tol = 4.0 * f64::EPSILON * cond;
        worst = worst.max(e / cond);
        assert!(
            e < tol,
            "b({x}, {s}) = {got:e}, want {want:e}, rel {e:e}, cond {cond:e}"
        );
    }
    eprintln!(
        "normalised Black worst error / condition {worst:e} over {} points",
        NORMALISED_BLACK.len()
    );
}
