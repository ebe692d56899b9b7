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

pub(crate) const CODY_THRESHOLD: f64 = 0.46875;
const CODY_XBIG: f64 = 26.543;

#[inline(always)]
pub(crate) fn cody_small(z: f64) -> f64 {
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

/// [`cody_mid`] in Estrin form: the same rational, evaluated with a
/// dependency chain of about 7 operations instead of 16, for latency-bound
/// callers ([`tail_from_exp`]).
#[inline]
fn cody_mid_estrin(y: f64) -> f64 {
    const C: [f64; 9] = [
        2.15311535474403846e-8,
        5.64188496988670089e-1,
        8.88314979438837594e00,
        6.61191906371416295e01,
        2.98635138197400131e02,
        8.81952221241769090e02,
        1.71204761263407058e03,
        2.05107837782607147e03,
        1.23033935479799725e03,
    ];
    // Numerator coefficients from the highest power down: C[0]·y⁸ + … + C[8];
    // denominator y⁸ + D[0]·y⁷ + … + D[7].
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
    let y2 = y * y;
    let y4 = y2 * y2;
    let y8 = y4 * y4;
    let n01 = C[8] + C[7] * y;
    let n23 = C[6] + C[5] * y;
    let n45 = C[4] + C[3] * y;
    let n67 = C[2] + C[1] * y;
    let num = ((n01 + n23 * y2) + (n45 + n67 * y2) * y4) + C[0] * y8;
    let d01 = D[7] + D[6] * y;
    let d23 = D[5] + D[4] * y;
    let d45 = D[3] + D[2] * y;
    let d67 = D[1] + D[0] * y;
    let den = ((d01 + d23 * y2) + (d45 + d67 * y2) * y4) + y8;
    num / den
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
        cody_mid_estrin(y)
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

/// `a·b + c`, fused into one rounding when `FUSED` (only inside code
/// compiled for a CPU with FMA, such as the chain's AVX2/AVX-512 copies:
/// elsewhere `mul_add` is a slow libm call), else two roundings.
#[inline(always)]
pub(crate) fn madd<const FUSED: bool>(a: f64, b: f64, c: f64) -> f64 {
    if FUSED {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// 1/n! for n = 2..=13: the Taylor coefficients of [`exp_poly_unchecked`]
/// (and of the batch solver's `e^z - 1`).
pub(crate) const INV_FACTORIALS_2_TO_13: [f64; 12] = [
    0.5,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// `e^x` for `-708.39 <= x <= 709.78` (not checked) with no division: the
/// reduction of [`exp_fast_unchecked`] and the Taylor series of `e^r` to
/// degree 13 on `|r| <= ln2/2` (truncation < 1e-17 relative), by Estrin's
/// scheme. Within 2 ulp of `f64::exp`. For the vectorised chain, where the
/// divider is the bottleneck and divisions sit on the critical path.
#[inline(always)]
pub(crate) fn exp_poly_unchecked<const FUSED: bool>(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    const F: [f64; 12] = INV_FACTORIALS_2_TO_13;
    let t = x * std::f64::consts::LOG2_E + SHIFT;
    let kf = t - SHIFT;
    let ki = (t.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    let m = madd::<FUSED>;
    let r = m(-kf, LN2_LO, m(-kf, LN2_HI, x));
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let q0 = m(r2, m(r, F[1], F[0]), 1.0 + r);
    let q1 = m(r2, m(r, F[5], F[4]), m(r, F[3], F[2]));
    let q2 = m(r2, m(r, F[9], F[8]), m(r, F[7], F[6]));
    let q3 = m(r, F[11], F[10]);
    let y = m(r8, m(r4, q3, q2), m(r4, q1, q0));
    f64::from_bits((y.to_bits() as i64).wrapping_add(ki << 52) as u64)
}

/// `erfcx(y) = e^{y²} erfc(y)` for `0 <= y <= 6` (clamped above), branch-free:
/// a degree-17 polynomial in `s = A/(1 + 0.3y) + B ∈ [-1, 1]` (Chebyshev fit
/// made with mpmath at 50 digits), relative error < 1.4e-15. Beyond y = 6
/// (|x| > 8.49) the callers multiply by `e^{-x²/2} < 2e-16`, so the clamp
/// costs nothing visible in the absolute value of Φ.
#[inline(always)]
pub(crate) fn erfcx_poly(y: f64) -> f64 {
    erfcx_cheb::<false>(ERFCX_A / (1.0 + 0.3 * y.min(6.0)) + ERFCX_B)
}

/// The map `y ↦ s = A/(1 + 0.3y) + B` of [`erfcx_poly`], for callers that
/// form the reciprocal themselves (the chain shares one division between two
/// arguments).
pub(crate) const ERFCX_A: f64 = 3.111_111_111_111_111;
pub(crate) const ERFCX_B: f64 = -2.111_111_111_111_111;

/// [`erfcx_poly`]'s polynomial in `s` (see there).
#[inline(always)]
pub(crate) fn erfcx_cheb<const FUSED: bool>(s: f64) -> f64 {
    const C: [f64; 18] = [
        -9.221_897_714_425_813e-12,
        -1.100_286_223_658_503_5e-10,
        3.656_283_316_987_175_6e-10,
        2.275_831_286_030_824e-9,
        -9.377_382_229_275_784e-9,
        -4.382_954_423_803_041_6e-8,
        2.064_645_375_132_292_6e-7,
        1.111_315_315_619_702e-6,
        -3.692_819_460_188_632e-6,
        -3.645_116_406_260_291e-5,
        -1.115_871_747_833_352_9e-5,
        1.075_824_606_991_579_4e-3,
        7.611_238_252_171_183_4e-3,
        3.130_960_262_349_494e-2,
        9.189_009_641_678_729e-2,
        2.049_114_943_690_917_3e-1,
        3.541_250_355_241_491_5e-1,
        3.091_267_438_131_794_5e-1,
    ];
    // Estrin's scheme (c(i) is the coefficient of s^i): a dependency chain
    // of ~6 operations instead of Horner's 34, so that in the vectorised
    // loops several iterations' polynomials are in flight at once.
    let c = |i: usize| C[17 - i];
    let s2 = s * s;
    let s4 = s2 * s2;
    let s8 = s4 * s4;
    let m = madd::<FUSED>;
    let q = |i: usize| m(c(i + 1), s, c(i));
    let o = |i: usize| m(q(i + 2), s2, q(i));
    let e0 = m(o(4), s4, o(0));
    let e1 = m(o(12), s4, o(8));
    m(m(q(16), s8, e1), s8, e0)
}

/// Natural logarithm for vectorised loops: fdlibm's `__ieee754_log` kernel
/// (as [`crate::mc::portable_ln`], < 1 ulp) without branches (the `m > √2`
/// fold is a select). Positive normal finite `x`
/// only; other inputs give NaN for `x <= 0` or NaN and garbage otherwise.
#[inline(always)]
pub(crate) fn ln_kernel(x: f64) -> f64 {
    ln_kernel_g::<false>(x)
}

/// [`ln_kernel`] with the polynomial's multiply-adds fused when `FUSED`
/// (see [`madd`]).
#[inline(always)]
pub(crate) fn ln_kernel_g<const FUSED: bool>(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    const LG: [f64; 7] = [
        6.666_666_666_666_735_130e-1,
        3.999_999_999_940_941_908e-1,
        2.857_142_874_366_239_149e-1,
        2.222_219_843_214_978_396e-1,
        1.818_357_216_161_805_012e-1,
        1.531_383_769_920_937_332e-1,
        1.479_819_860_511_658_591e-1,
    ];
    let bits = x.to_bits();
    let m0 = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let big = m0 > std::f64::consts::SQRT_2;
    let m = if big { 0.5 * m0 } else { m0 };
    // Exponent as a double without an int→float conversion (none exists
    // for packed 64-bit lanes in SSE2): 2^52 + e_biased, minus 2^52 + 1023.
    let e = f64::from_bits((bits >> 52) | 0x4330_0000_0000_0000) - 4_503_599_627_371_519.0;
    let k = if big { e + 1.0 } else { e };
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let m = madd::<FUSED>;
    let t1 = w * m(w, m(w, LG[5], LG[3]), LG[1]);
    let t2 = z * m(w, m(w, m(w, LG[6], LG[4]), LG[2]), LG[0]);
    let hfsq = 0.5 * f * f;
    let v = k * LN2_HI - ((hfsq - (s * (hfsq + t2 + t1) + k * LN2_LO)) - f);
    if x > 0.0 {
        v
    } else {
        f64::NAN
    }
}

/// `Φ(-a)` for `a >= 0` given `e = exp(-a²/2)`: Cody's rationals for
/// erfc(a/√2), sharing the caller's exponential instead of forming
/// `exp(-y²)` from a split square (two `exp` calls) as [`erfc`] does.
/// `exp(-a²/2)` taken straight from `a` costs at most `a²/2·u` relative
/// (u = 2⁻⁵³) for the rounding of the square, less than [`norm_cdf`]'s
/// `z²·ε` from rounding `z/√2` and below what the rounding of `a` itself
/// already carries (`a²·u`).
#[inline]
pub(crate) fn tail_from_exp(a: f64, e: f64) -> f64 {
    // Region edges in a: 0.46875·√2 and 4·√2 (Cody's edges in a/√2).
    if a < 0.662_912_607_362_388 {
        0.5 - 0.5 * (a * FRAC_1_SQRT_2) * cody_small(0.5 * a * a)
    } else if a < 5.656_854_249_492_381 {
        0.5 * cody_mid_estrin(a * FRAC_1_SQRT_2) * e
    } else {
        0.5 * cody_large(a * FRAC_1_SQRT_2) * e
    }
}

/// `1 - erfcx(y)` for `y >= 0` without cancellation at small `y`:
/// `1 - e^{y²}erfc(y) = e^{y²}erf(y) - (e^{y²} - 1)`, whose first term
/// (≈ 2y/√π) dominates the second (≈ y²) below Cody's small-argument edge.
#[inline]
pub(crate) fn one_minus_erfcx(y: f64) -> f64 {
    if y <= CODY_THRESHOLD {
        let z = y * y;
        let em1 = z.exp_m1();
        (1.0 + em1) * (y * cody_small(z)) - em1
    } else {
        1.0 - erfcx(y)
    }
}

/// Φ(x) from [`tail_from_exp`] and one inlined exponential; below -37
/// (where that exponential underflows) it defers to [`norm_cdf`]'s
/// asymptotic series. Accuracy as [`tail_from_exp`] (≤ (1 + x²/4)·2.5e-16
/// relative in the lower tail).
#[inline]
pub(crate) fn norm_cdf_fast(x: f64) -> f64 {
    if x < -37.0 || x.is_nan() {
        return norm_cdf(x);
    }
    let a = x.abs();
    let tail = tail_from_exp(a, exp_fast(-0.5 * a * a));
    if x < 0.0 {
        tail
    } else {
        1.0 - tail
    }
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
pub(crate) fn as241(p: f64) -> f64 {
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
    fn exp_poly_within_two_ulp_of_std() {
        let mut x = -708.0;
        while x < 709.0 {
            for dx in [0.0, 1e-9, 0.173_286_795, 0.346_573_59] {
                let v = x + dx;
                let (a, b) = (exp_poly_unchecked::<false>(v), v.exp());
                let ulp = f64::from_bits(b.to_bits() + 1) - b;
                assert!((a - b).abs() <= 2.0 * ulp, "x={v}: {a} vs {b}");
            }
            x += 0.137;
        }
        for v in [0.0, -0.0, 1e-300, -1e-300] {
            assert_eq!(exp_poly_unchecked::<false>(v), v.exp(), "x={v}");
        }
    }

    #[test]
    fn ln_kernel_within_one_ulp_of_std() {
        let mut x = 1e-300;
        while x < 1e300 {
            let r2 = std::f64::consts::SQRT_2;
            for m in [
                1.0,
                1.000_000_1,
                r2 * (1.0 - 1e-9),
                r2 * (1.0 + 1e-9),
                1.9999,
            ] {
                let v = x * m;
                let (a, b) = (ln_kernel(v), v.ln());
                assert!((a - b).abs() <= 2.3e-16 * b.abs(), "x={v}: {a} vs {b}");
            }
            x *= 7.77;
        }
        for v in [0.999_999_999, 1.0, 1.000_000_001, 0.5, 2.0] {
            let (a, b) = (ln_kernel(v), v.ln());
            assert!(
                (a - b).abs() <= 2.3e-16 * b.abs().max(1e-300) + 1e-300,
                "x={v}"
            );
        }
        assert!(ln_kernel(-1.0).is_nan() && ln_kernel(0.0).is_nan());
    }

    #[test]
    fn tail_from_exp_against_mpmath() {
        // Φ(-a) from mpmath (40 digits).
        const REF: [(f64, f64); 60] = [
            (0.05, 0.4800611941616275),
            (0.1871, 0.42579111407923287),
            (0.3242, 0.3728933110390385),
            (0.4613, 0.322291692476212),
            (0.5984, 0.2747865328854633),
            (0.7355, 0.23101751999196066),
            (0.8726, 0.19144057027956987),
            (1.0097, 0.1563195212381919),
            (1.1468, 0.12573214461077825),
            (1.2839, 0.09958847363268958),
            (1.421, 0.07765837972237434),
            (1.5581, 0.059604772356302176),
            (1.6952, 0.045018743463021274),
            (1.8323, 0.03345336855492119),
            (1.9694, 0.024453587879441217),
            (2.1064999999999996, 0.01758047155602853),
            (2.2436, 0.012429074633817589),
            (2.3807, 0.008639889027097029),
            (2.5178, 0.005904517756540717),
            (2.6548999999999996, 0.003966596112593163),
            (2.792, 0.002619167805989485),
            (2.9291, 0.0016997251821196696),
            (3.0662, 0.0010839912277726545),
            (3.2032999999999996, 0.0006793118555338641),
            (3.3404, 0.0004182890120723638),
            (3.4775, 0.00025305652531841695),
            (3.6146, 0.00015040584668120127),
            (3.7516999999999996, 8.781977940235157e-05),
            (3.8888, 5.0370545252696706e-05),
            (4.0259, 2.8378903770959084e-05),
            (4.162999999999999, 1.570466838316817e-05),
            (4.3001, 8.536052779712022e-06),
            (4.4372, 4.556830430296693e-06),
            (4.5743, 2.3890739322279027e-06),
            (4.7114, 1.2301040565920595e-06),
            (4.8485, 6.21992655679209e-07),
            (4.9856, 3.088491022686947e-07),
            (5.1227, 1.5059567592883655e-07),
            (5.259799999999999, 7.210608446522992e-08),
            (5.3969, 3.3901076024748375e-08),
            (5.534, 1.565044860619419e-08),
            (5.6711, 7.0941772539960235e-09),
            (5.8082, 3.1574028097569687e-09),
            (5.9453, 1.3797549594548006e-09),
            (6.0824, 5.919837064510022e-10),
            (6.2195, 2.4937081166266144e-10),
            (6.356599999999999, 1.0313409085784247e-10),
            (6.4937, 4.187672520481314e-11),
            (6.6308, 1.6693618045855343e-11),
            (6.7679, 6.533250662379579e-12),
            (6.905, 2.510171388812187e-12),
            (7.0421, 9.46819190750742e-13),
            (7.1792, 3.506025333948866e-13),
            (7.3163, 1.2745073093647976e-13),
            (7.453399999999999, 4.54824762568818e-14),
            (7.5905, 1.5933669384712387e-14),
            (7.7276, 5.479653361916e-15),
            (7.8647, 1.849915174461088e-15),
            (8.001800000000001, 6.130671386046414e-16),
            (8.138900000000001, 1.9944262706619413e-16),
        ];
        let mut worst: f64 = 0.0;
        for (a, want) in REF {
            let got = tail_from_exp(a, (-0.5 * a * a).exp());
            // The rounding of a²/2 inside exp costs up to a²/2·u.
            let e = ((got - want) / want).abs() / (1.0 + 0.25 * a * a);
            worst = worst.max(e);
        }
        assert!(worst <= 2.5 * f64::EPSILON, "worst {worst:e}");
        eprintln!("tail_from_exp worst relative error / (1 + a²/4): {worst:e}");
    }

    #[test]
    fn one_minus_erfcx_matches_erfcx() {
        for &y in &[1e-12, 1e-6, 0.01, 0.2, 0.46, 0.47, 1.0, 3.0, 30.0] {
            let want = 1.0 - erfcx(y);
            let got = one_minus_erfcx(y);
            // Near 0 the difference 1 - erfcx(y) itself loses digits.
            assert!(
                (got - want).abs() <= 4e-16 + 1e-15 * want.abs(),
                "y={y}: {got} {want}"
            );
        }
        // Leading behaviour 2y/√π.
        let y = 1e-10;
        assert!((one_minus_erfcx(y) / (2.0 * y / std::f64::consts::PI.sqrt()) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn erfcx_matches_definition() {
        for &x in &[-3.0f64, -0.3, 0.1, 0.5, 1.0, 3.9, 4.1, 10.0, 25.0] {
            let direct = (x * x).exp() * erfc(x);
            assert!(rel(erfcx(x), direct) < 2e-14, "x={x}");
        }
    }
}
