//! The standard normal distribution to double precision.
//!
//! `erf`, `erfc` and the scaled `erfcx(x) = exp(x²)·erfc(x)` use W. J. Cody's
//! rational Chebyshev approximations ("Rational Chebyshev approximations for
//! the error function", Math. Comp. 1969, as in his CALERF routine), which are
//! accurate to about 1e-16 relative over their ranges. `exp(-x²)` is formed
//! from a split argument so that the large square does not carry its rounding
//! error into the exponential (the trick from CALERF and Jäckel's code).
//!
//! `norm_cdf` switches to the asymptotic series of Mills' ratio below -10, so
//! that far-tail values keep full relative precision down to the subnormal
//! range (Φ(-38) ≈ 2.9e-316).
//!
//! `inverse_norm_cdf` is Wichura's AS241 (PPND16), relative accuracy about
//! 1e-16, followed by one Halley step against `norm_cdf` for the central and
//! intermediate regions.

#![allow(clippy::excessive_precision, clippy::unreadable_literal)]

use std::f64::consts::FRAC_1_SQRT_2;

/// 1/√(2π).
pub const FRAC_1_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
/// √(2π).
pub const SQRT_2PI: f64 = 2.506_628_274_631_000_7;
const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;

const CODY_THRESHOLD: f64 = 0.46875;
const CODY_XBIG: f64 = 26.543;

#[inline]
fn cody_small(z: f64) -> f64 {
    // erf(x) = x · R(x²) for |x| <= 0.46875
    const A: [f64; 5] = [
        3.16112374387056560e00,
        1.13864154151050156e02,
        3.77485237685302021e02,
        3.20937758913846947e03,
        1.85777706184603153e-1,
    ];
    const B: [f64; 4] = [
        2.36012909523441209e01,
        2.44024637934444173e02,
        1.28261652607737228e03,
        2.84423683343917062e03,
    ];
    let num = (((A[4] * z + A[0]) * z + A[1]) * z + A[2]) * z + A[3];
    let den = (((z + B[0]) * z + B[1]) * z + B[2]) * z + B[3];
    num / den
}

#[inline]
fn cody_mid(y: f64) -> f64 {
    // erfcx(y) for 0.46875 < y <= 4
    const C: [f64; 9] = [
        5.64188496988670089e-1,
        8.88314979438837594e00,
        6.61191906371416295e01,
        2.98635138197400131e02,
        8.81952221241769090e02,
        1.71204761263407058e03,
        2.05107837782607147e03,
        1.23033935479799725e03,
        2.15311535474403846e-8,
    ];
    const D: [f64; 8] = [
        1.57449261107098347e01,
        1.17693950891312499e02,
        5.37181101862009858e02,
        1.62138957456669019e03,
        3.29079923573345963e03,
        4.36261909014324716e03,
        3.43936767414372164e03,
        1.23033935480374942e03,
    ];
    let mut num = C[8] * y;
    let mut den = y;
    for i in 0..7 {
        num = (num + C[i]) * y;
        den = (den + D[i]) * y;
    }
    (num + C[7]) / (den + D[7])
}

#[inline]
fn cody_large(y: f64) -> f64 {
    // erfcx(y) for y > 4: (1/√π - z·R(z)) / y with z = 1/y²
    const P: [f64; 6] = [
        3.05326634961232344e-1,
        3.60344899949804439e-1,
        1.25781726111229246e-1,
        1.60837851487422766e-2,
        6.58749161529837803e-4,
        1.63153871373020978e-2,
    ];
    const Q: [f64; 5] = [
        2.56852019228982242e00,
        1.87295284992346047e00,
        5.27905102951428412e-1,
        6.05183413124413191e-2,
        2.33520497626869185e-3,
    ];
    let z = 1.0 / (y * y);
    let mut num = P[5] * z;
    let mut den = z;
    for i in 0..4 {
        num = (num + P[i]) * z;
        den = (den + Q[i]) * z;
    }
    let r = z * (num + P[4]) / (den + Q[4]);
    (FRAC_1_SQRT_PI - r) / y
}

/// `exp(-y²)` with the square split so its rounding error does not reach the result.
#[inline]
pub fn exp_neg_sq(y: f64) -> f64 {
    if y.abs() < 2.0 {
        // y² < 4: the rounding of y² costs < 4.4e-16 relative; one exp suffices.
        return (-y * y).exp();
    }
    let yt = (y * 16.0).trunc() / 16.0;
    (-yt * yt).exp() * (-(y - yt) * (y + yt)).exp()
}

/// `exp(-x²/2)` accurate to a few ulp even for large |x|.
#[inline]
pub fn exp_neg_half_sq(x: f64) -> f64 {
    // Split x itself (not x/√2, whose rounding would be amplified by x²).
    let xt = (x * 16.0).trunc() / 16.0;
    (-0.5 * xt * xt).exp() * (-0.5 * (x - xt) * (x + xt)).exp()
}

/// Error function.
#[inline]
pub fn erf(x: f64) -> f64 {
    let y = x.abs();
    if y <= CODY_THRESHOLD {
        return x * cody_small(y * y);
    }
    if y >= CODY_XBIG {
        return x.signum();
    }
    let c = if y <= 4.0 { cody_mid(y) } else { cody_large(y) } * exp_neg_sq(y);
    let r = 1.0 - c;
    if x < 0.0 {
        -r
    } else {
        r
    }
}

/// Complementary error function `1 - erf(x)` without cancellation for x > 0.
#[inline]
pub fn erfc(x: f64) -> f64 {
    let y = x.abs();
    if y <= CODY_THRESHOLD {
        return 1.0 - x * cody_small(y * y);
    }
    let c = if y >= CODY_XBIG {
        0.0
    } else if y <= 4.0 {
        cody_mid(y) * exp_neg_sq(y)
    } else {
        cody_large(y) * exp_neg_sq(y)
    };
    if x < 0.0 {
        2.0 - c
    } else {
        c
    }
}

/// Scaled complementary error function `exp(x²)·erfc(x)`.
#[inline]
pub fn erfcx(x: f64) -> f64 {
    let y = x.abs();
    if y <= CODY_THRESHOLD {
        let z = y * y;
        return z.exp() * (1.0 - x * cody_small(z));
    }
    if x < -26.628_735_713_751_4 {
        return f64::MAX;
    }
    let r = if y <= 4.0 {
        cody_mid(y)
    } else if y < 1e9 {
        cody_large(y)
    } else {
        // 1/(y√π) to double precision; avoids 1/y² underflow noise.
        FRAC_1_SQRT_PI / y
    };
    if x < 0.0 {
        let yt = (y * 16.0).trunc() / 16.0;
        let e = (yt * yt).exp() * ((y - yt) * (y + yt)).exp();
        2.0 * e - r
    } else {
        r
    }
}

/// `e^x` for inner loops: fdlibm's reduction and rational kernel (< 1 ulp,
/// as [`crate::mc::portable_exp`]) but branch-free and inlined, so loops
/// over it can be vectorised and no libm call is paid. Results below
/// `2^-1022` (x < -708.39) flush to 0 and x > 709.78 gives +∞; NaN stays NaN.
#[inline(always)]
pub(crate) fn exp_fast(x: f64) -> f64 {
    let scaled = exp_fast_unchecked(x.clamp(-708.39, 709.78));
    if x < -708.39 {
        0.0
    } else if x > 709.78 {
        f64::INFINITY
    } else if x.is_nan() {
        x
    } else {
        scaled
    }
}

/// The kernel of [`exp_fast`] for `-708.39 <= x <= 709.78` (not checked).
#[inline(always)]
pub(crate) fn exp_fast_unchecked(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    const P1: f64 = 1.666_666_666_666_660_190_37e-1;
    const P2: f64 = -2.777_777_777_701_559_338_42e-3;
    const P3: f64 = 6.613_756_321_437_934_361_17e-5;
    const P4: f64 = -1.653_390_220_546_525_153_90e-6;
    const P5: f64 = 4.138_136_797_057_238_460_39e-8;
    // 1.5·2^52: adding it rounds x/ln2 to the nearest integer in the low bits.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let xc = x;
    let t = xc * std::f64::consts::LOG2_E + SHIFT;
    let kf = t - SHIFT;
    let ki = (t.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let hi = xc - kf * LN2_HI;
    let lo = kf * LN2_LO;
    let r = hi - lo;
    let rr = r * r;
    let c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    // y in [0.7, 1.5]: adding k to the exponent field scales by 2^k exactly.
    f64::from_bits((y.to_bits() as i64).wrapping_add(ki << 52) as u64)
}

/// Standard normal density.
#[inline]
pub fn norm_pdf(x: f64) -> f64 {
    FRAC_1_SQRT_2PI * exp_neg_half_sq(x)
}

/// Standard normal cumulative distribution function Φ(z), full relative
/// precision in both tails (for z > 0 the relative precision of `1 - Φ(z)`
/// is of course limited by the representation of Φ near 1: use `norm_cdf(-z)`).
#[inline]
pub fn norm_cdf(z: f64) -> f64 {
    if z <= -10.0 {
        if z.is_nan() {
            return f64::NAN;
        }
        if z < -1e9 {
            return 0.0;
        }
        return norm_cdf_asymptotic(z);
    }
    0.5 * erfc(-z * FRAC_1_SQRT_2)
}

/// Φ(z) for z <= -10 from the asymptotic series φ(z)/|z|·Σ(-1)ⁿ(2n-1)!!/z²ⁿ.
/// The terms shrink until n ≈ z²/2, so at z <= -10 double precision is reached
/// long before the series starts to diverge.
fn norm_cdf_asymptotic(z: f64) -> f64 {
    let z2 = z * z;
    let mut sum = 1.0;
    let mut term = 1.0;
    let mut n = 1.0;
    loop {
        term *= -(2.0 * n - 1.0) / z2;
        sum += term;
        if term.abs() <= f64::EPSILON * 0.25 * sum.abs() || n > 60.0 {
            break;
        }
        n += 1.0;
    }
    norm_pdf(z) / (-z) * sum
}

/// Inverse of the standard normal CDF (AS241 with one Halley refinement).
/// Returns ±∞ for p = 1 / p = 0 and NaN outside [0, 1].
pub fn inverse_norm_cdf(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let x = as241(p);
    // One Halley step: AS241 is already ~1e-16, the step removes the last-bit
    // bias in the central region. Skipped in the far tails where Φ itself is
    // the less accurate of the two.
    if x.abs() < 37.0 {
        let e = if x <= 0.0 {
            norm_cdf(x) - p
        } else {
            (1.0 - p) - norm_cdf(-x)
        };
        let u = e * SQRT_2PI * exp_half_sq(x);
        return x - u / (1.0 + 0.5 * x * u);
    }
    x
}

#[inline]
fn exp_half_sq(x: f64) -> f64 {
    1.0 / exp_neg_half_sq(x)
}

/// Wichura (1988), Algorithm AS241 PPND16: only +, -, *, /, sqrt and ln.
/// `ln` is passed in so the Monte Carlo module can use its portable logarithm.
#[inline]
pub(crate) fn as241_with(p: f64, ln: impl Fn(f64) -> f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        let num = (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
            + 6.7265770927008700853e4)
            * r
            + 4.5921953931549871457e4)
            * r
            + 1.3731693765509461125e4)
            * r
            + 1.9715909503065514427e3)
            * r
            + 1.3314166789178437745e2)
            * r
            + 3.3871328727963666080e0)
            * q;
        let den = ((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
            + 3.9307895800092710610e4)
            * r
            + 2.1213794301586595867e4)
            * r
            + 5.3941960214247511077e3)
            * r
            + 6.8718700749205790830e2)
            * r
            + 4.2313330701600911252e1)
            * r
            + 1.0;
        return num / den;
    }
    let rr = if q < 0.0 { p } else { 1.0 - p };
    let mut r = (-ln(rr)).sqrt();
    let val = if r <= 5.0 {
        r -= 1.6;
        let num = ((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
            + 2.41780725177450611770e-1)
            * r
            + 1.27045825245236838258e0)
            * r
            + 3.64784832476320460504e0)
            * r
            + 5.76949722146069140550e0)
            * r
            + 4.63033784615654529590e0)
            * r
            + 1.42343711074968357734e0;
        let den = ((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
            + 1.51986665636164571966e-2)
            * r
            + 1.48103976427480074590e-1)
            * r
            + 6.89767334985100004550e-1)
            * r
            + 1.67638483018380384940e0)
            * r
            + 2.05319162663775882187e0)
            * r
            + 1.0;
        num / den
    } else {
        r -= 5.0;
        let num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
            + 1.24266094738807843860e-3)
            * r
            + 2.65321895265761230930e-2)
            * r
            + 2.96560571828504891230e-1)
            * r
            + 1.78482653991729133580e0)
            * r
            + 5.46378491116411436990e0)
            * r
            + 6.65790464350110377720e0;
        let den = ((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
            + 1.84631831751005468180e-5)
            * r
            + 7.86869131145613259100e-4)
            * r
            + 1.48753612908506148525e-2)
            * r
            + 1.36929880922735805310e-1)
            * r
            + 5.99832206555887937690e-1)
            * r
            + 1.0;
        num / den
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

#[inline]
fn as241(p: f64) -> f64 {
    as241_with(p, f64::ln)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn inverse_round_trip() {
        for i in 1..2000 {
            let z = -37.0 + 0.037 * i as f64;
            let p = norm_cdf(z);
            let back = inverse_norm_cdf(p);
            // For z > 0, p near 1 carries an absolute rounding of ε/2, i.e. an
            // error of ε/(2φ(z)) in z that no inverse can remove.
            let tol = if z <= 0.0 {
                4e-15 * z.abs().max(1.0)
            } else {
                4e-15 + f64::EPSILON / norm_pdf(z)
            };
            if z < 8.0 {
                assert!((back - z).abs() <= tol, "z={z} back={back}");
            }
        }
    }

    #[test]
    fn exp_fast_within_one_ulp_of_std() {
        let mut x = -708.0;
        while x < 709.0 {
            for d in [0.0, 1e-9, 0.123_456_789, 0.5] {
                let v = x + d;
                let (a, b) = (exp_fast(v), v.exp());
                assert!((a - b).abs() <= 2.3e-16 * b, "x={v}: {a:e} vs {b:e}");
            }
            x += 0.731;
        }
        assert_eq!(exp_fast(0.0), 1.0);
        assert_eq!(exp_fast(-800.0), 0.0);
        assert_eq!(exp_fast(800.0), f64::INFINITY);
        assert!(exp_fast(f64::NAN).is_nan());
    }

    #[test]
    fn erfcx_matches_definition() {
        for &x in &[-3.0f64, -0.3, 0.1, 0.5, 1.0, 3.9, 4.1, 10.0, 25.0] {
            let direct = (x * x).exp() * erfc(x);
            assert!(rel(erfcx(x), direct) < 2e-14, "x={x}");
        }
    }
}
