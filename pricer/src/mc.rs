//! Seeded, platform-independent Monte Carlo.
//!
//! Reproducibility across native and wasm32 needs every operation on the
//! path from seed to result to be correctly rounded IEEE arithmetic:
//!
//! * generator: xoshiro256++ seeded by SplitMix64 from a `u64` (integer ops only);
//! * uniforms: the top 53 bits, shifted to the open interval (0, 1);
//! * normals: Wichura's AS241 inverse CDF, which uses only `+ - * /`, `sqrt`
//!   (correctly rounded everywhere) and `ln`;
//! * `ln` and `exp`: our own fdlibm-style implementations in plain arithmetic,
//!   because the platform `libm` (glibc natively, Rust's `libm` port in wasm)
//!   is allowed to differ in the last ulp. Box-Muller would add `sin`/`cos`
//!   with the same problem, hence AS241.
//!
//! Rust never contracts `a*b+c` into an FMA on its own, so the same source
//! gives the same bits on both targets. [`mc_fingerprint`] exposes one number
//! for the browser benchmark to compare with the native constant recorded in
//! the tests.

#![allow(clippy::excessive_precision, clippy::unreadable_literal)]

use crate::black::OptionKind;
use crate::normal::as241_with;

/// xoshiro256++ (Blackman & Vigna).
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seed the four words with SplitMix64, as the xoshiro authors recommend.
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// Next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on the open interval (0, 1).
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal via AS241 on a portable logarithm.
    #[inline]
    pub fn normal(&mut self) -> f64 {
        as241_with(self.uniform(), portable_ln)
    }
}

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;

/// Natural logarithm in plain IEEE arithmetic (fdlibm's `__ieee754_log`
/// algorithm), < 1 ulp, identical on every platform. `x` must be finite > 0.
pub fn portable_ln(x: f64) -> f64 {
    const LG: [f64; 7] = [
        6.666666666666735130e-01,
        3.999999999940941908e-01,
        2.857142874366239149e-01,
        2.222219843214978396e-01,
        1.818357216161805012e-01,
        1.531383769920937332e-01,
        1.479819860511658591e-01,
    ];
    if !(x > 0.0) || !x.is_finite() {
        return if x == 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::NAN
        };
    }
    let mut k: i64 = 0;
    let mut xx = x;
    if xx < f64::MIN_POSITIVE {
        xx *= 18_014_398_509_481_984.0; // 2^54
        k -= 54;
    }
    let bits = xx.to_bits();
    k += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        k += 1;
    }
    let f = m - 1.0;
    let dk = k as f64;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG[1] + w * (LG[3] + w * LG[5]));
    let t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])));
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
    dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f)
}

/// Exponential in plain IEEE arithmetic (fdlibm's `__ieee754_exp`), < 1 ulp.
pub fn portable_exp(x: f64) -> f64 {
    const P: [f64; 5] = [
        1.66666666666666019037e-01,
        -2.77777777770155933842e-03,
        6.61375632143793436117e-05,
        -1.65339022054652515390e-06,
        4.13813679705723846039e-08,
    ];
    const INV_LN2: f64 = std::f64::consts::LOG2_E;
    if x.is_nan() {
        return x;
    }
    if x > 709.782712893383973096 {
        return f64::INFINITY;
    }
    if x < -745.13321910194110842 {
        return 0.0;
    }
    let kf = (x * INV_LN2 + if x < 0.0 { -0.5 } else { 0.5 }).trunc();
    let hi = x - kf * LN2_HI;
    let lo = kf * LN2_LO;
    let r = hi - lo;
    let t = r * r;
    let c = r - t * (P[0] + t * (P[1] + t * (P[2] + t * (P[3] + t * P[4]))));
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    let k = kf as i64;
    // Scale by 2^k in two steps so subnormal results round once, correctly.
    if (-1021..=1023).contains(&k) {
        f64::from_bits((y.to_bits() as i64 + (k << 52)) as u64)
    } else if k > 1023 {
        y * f64::from_bits(((1023 + 1023) as u64) << 52)
            * f64::from_bits(((k - 1023 + 1023) as u64) << 52)
    } else {
        let y2 = f64::from_bits((y.to_bits() as i64 + ((k + 1000) << 52)) as u64);
        y2 * f64::from_bits(((1023 - 1000) as u64) << 52)
    }
}

/// Monte Carlo estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct McResult {
    /// Sample mean of the discounted payoff.
    pub price: f64,
    /// Standard error of the mean (over antithetic pairs).
    pub std_error: f64,
    /// Number of antithetic pairs.
    pub pairs: usize,
}

/// European option by Monte Carlo with antithetic variates (`pairs` pairs).
#[allow(clippy::too_many_arguments)]
pub fn european_mc(
    kind: OptionKind,
    s: f64,
    k: f64,
    r: f64,
    q: f64,
    t: f64,
    vol: f64,
    pairs: usize,
    seed: u64,
) -> McResult {
    let mut rng = Rng::new(seed);
    let drift = (r - q - 0.5 * vol * vol) * t;
    let sd = vol * t.sqrt();
    let df = portable_exp(-r * t);
    let th = kind.sign();
    let n = pairs.max(1);
    let (mut sum, mut sum2) = (0.0, 0.0);
    for _ in 0..n {
        let z = rng.normal();
        let a = (th * (s * portable_exp(drift + sd * z) - k)).max(0.0);
        let b = (th * (s * portable_exp(drift - sd * z) - k)).max(0.0);
        let x = 0.5 * (a + b);
        sum += x;
        sum2 += x * x;
    }
    let nf = n as f64;
    let mean = sum / nf;
    let var = ((sum2 / nf - mean * mean) * nf / (nf - 1.0).max(1.0)).max(0.0);
    McResult {
        price: df * mean,
        std_error: df * (var / nf).sqrt(),
        pairs: n,
    }
}

/// P(pred(S_T)) for lognormal `S_T` with drift `mu`, antithetic, `draws` total.
pub fn terminal_probability(
    spot: f64,
    mu: f64,
    vol: f64,
    t: f64,
    draws: usize,
    seed: u64,
    pred: impl Fn(f64) -> bool,
) -> f64 {
    let mut rng = Rng::new(seed);
    let drift = (mu - 0.5 * vol * vol) * t;
    let sd = vol * t.sqrt();
    let pairs = (draws / 2).max(1);
    let mut hits = 0usize;
    for _ in 0..pairs {
        let z = rng.normal();
        hits += pred(spot * portable_exp(drift + sd * z)) as usize;
        hits += pred(spot * portable_exp(drift - sd * z)) as usize;
    }
    hits as f64 / (2 * pairs) as f64
}

/// A single reproducible number for cross-platform checks: the MC price of
/// an at-the-money call (S=K=100, r=5%, q=2%, T=1, σ=20%) with 10 000
/// antithetic pairs from `seed`. Must be bit-identical native vs wasm.
pub fn mc_fingerprint(seed: u64) -> f64 {
    european_mc(
        OptionKind::Call,
        100.0,
        100.0,
        0.05,
        0.02,
        1.0,
        0.2,
        10_000,
        seed,
    )
    .price
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_ln_within_one_ulp_of_std() {
        let mut rng = Rng::new(7);
        for _ in 0..200_000 {
            let x = rng.uniform() * 10f64.powi((rng.next_u64() % 40) as i32 - 20);
            let a = portable_ln(x);
            let b = x.ln();
            assert!(
                (a - b).abs() <= 1.01 * f64::EPSILON * b.abs().max(1e-300),
                "x={x} {a} {b}"
            );
        }
        assert_eq!(portable_ln(1.0), 0.0);
    }

    #[test]
    fn portable_exp_within_one_ulp_of_std() {
        let mut rng = Rng::new(11);
        for _ in 0..200_000 {
            let x = (rng.uniform() - 0.5) * 1400.0;
            let a = portable_exp(x);
            let b = x.exp();
            assert!((a - b).abs() <= 1.01 * f64::EPSILON * b, "x={x} {a} {b}");
        }
        assert_eq!(portable_exp(0.0), 1.0);
    }
}
