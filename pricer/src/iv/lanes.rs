//! The vectorised stages of [`super::batch`]: branch-free loops over arrays,
//! compiled once per CPU level by pulp (AVX-512, AVX2 + FMA, baseline) as in
//! [`crate::chain`]. Each lane computes what the scalar solver computes, with
//! inlined kernels in place of libm and of Cody's branches; lanes outside a
//! kernel's range say so, and the caller takes the scalar path for them.

use super::lets_be_rational::{advance, converged, lowest_ds};
use crate::black::{small_t_series, ETA, LN_SQRT_2PI, TAU_SMALL};
use crate::normal::{
    cody_small, erfcx_cheb, exp_poly_unchecked, ln_kernel_g, madd, CODY_THRESHOLD, ERFCX_A,
    ERFCX_B, INV_FACTORIALS_2_TO_13,
};
use std::f64::consts::FRAC_1_SQRT_2;

/// A loop over lanes, with fused multiply-adds or without.
pub(super) trait Lanes {
    fn run<const FUSED: bool>(self);
}

/// Run `job` in the widest vectors the CPU has.
pub(super) fn dispatch<J: Lanes>(job: J) {
    #[cfg(target_arch = "x86_64")]
    match pulp::Arch::new() {
        pulp::Arch::V4(simd) => pulp::Simd::vectorize(simd, Fused(job)),
        pulp::Arch::V3(simd) => pulp::Simd::vectorize(simd, Fused(job)),
        _ => job.run::<false>(),
    }
    #[cfg(not(target_arch = "x86_64"))]
    job.run::<false>();
}

/// A job for pulp's FMA copies: `with_simd` is compiled inside a function
/// with the CPU's features, and `run` is inlined into it (`inline(always)`).
#[cfg(target_arch = "x86_64")]
struct Fused<J>(J);

#[cfg(target_arch = "x86_64")]
impl<J: Lanes> pulp::WithSimd for Fused<J> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        self.0.run::<true>();
    }
}

/// Where `erfcx_poly`'s fit holds (`0 <= y <= 6`).
pub(super) const ERFCX_POLY_MAX: f64 = 6.0;

/// `erfcx(y)` for `0 <= y <= 6` (see `normal::erfcx_poly`).
#[inline(always)]
fn erfcx_lane<const FUSED: bool>(y: f64) -> f64 {
    erfcx_cheb::<FUSED>(ERFCX_A / (1.0 + 0.3 * y.min(ERFCX_POLY_MAX)) + ERFCX_B)
}

/// `x = -|ln(F/K)|`, `b_max = e^{x/2}`, `√|x|` and `1 - erfcx(√|x|)` of
/// every quote (`F/K` positive and normal). Exact for `√|x| <= 6`; the
/// caller redoes larger `|x|` with libm.
pub(super) struct SetupLanes<'a> {
    pub fk: &'a [f64],
    pub x: &'a mut [f64],
    pub b_max: &'a mut [f64],
    pub sqrt_ax: &'a mut [f64],
    pub ome: &'a mut [f64],
}

impl Lanes for SetupLanes<'_> {
    #[inline(always)]
    fn run<const FUSED: bool>(self) {
        let n = self.fk.len();
        let (x, b_max) = (&mut self.x[..n], &mut self.b_max[..n]);
        let (sqrt_ax, ome) = (&mut self.sqrt_ax[..n], &mut self.ome[..n]);
        for i in 0..n {
            let xi = -ln_kernel_g::<FUSED>(self.fk[i]).abs();
            let y = (-xi).sqrt();
            x[i] = xi;
            b_max[i] = exp_poly_unchecked::<FUSED>((0.5 * xi).max(-708.0));
            sqrt_ax[i] = y;
            ome[i] = one_minus_erfcx_lane::<FUSED>(y);
        }
    }
}

/// `1 - erfcx(y)` as [`crate::normal::one_minus_erfcx`] forms it (from
/// `e^{y²} - 1` below Cody's edge, where the difference would cancel),
/// with `erfcx_poly` above; both are computed and one is selected.
#[inline(always)]
fn one_minus_erfcx_lane<const FUSED: bool>(y: f64) -> f64 {
    let z = y * y;
    let em1 = expm1_small::<FUSED>(z.min(CODY_THRESHOLD * CODY_THRESHOLD));
    let small = (1.0 + em1) * (y * cody_small(z)) - em1;
    let large = 1.0 - erfcx_lane::<FUSED>(y);
    if y <= CODY_THRESHOLD {
        small
    } else {
        large
    }
}

/// `e^z - 1` for `0 <= z <= 0.22`: its Taylor series to degree 13
/// (truncation < 1e-20 relative) by Estrin's scheme.
#[inline(always)]
fn expm1_small<const FUSED: bool>(z: f64) -> f64 {
    const F: [f64; 12] = INV_FACTORIALS_2_TO_13;
    let m = madd::<FUSED>;
    let z2 = z * z;
    let z4 = z2 * z2;
    let z8 = z4 * z4;
    let a = m(z2, m(z, F[3], F[2]), m(z, F[1], F[0]));
    let b = m(z2, m(z, F[7], F[6]), m(z, F[5], F[4]));
    let c = m(z2, m(z, F[11], F[10]), m(z, F[9], F[8]));
    m(z2, m(z8, c, m(z4, b, a)), z)
}

/// `code` of a lane after [`LowestStep`]: iterate on.
pub(super) const GO_ON: f64 = 0.0;
/// Converged: no further step.
pub(super) const DONE: f64 = 1.0;
/// Outside the lane's formulas: `s` is unchanged, take the scalar step.
pub(super) const FALLBACK: f64 = 2.0;

/// One lowest-branch Householder step per lane, where `b` comes from the
/// small-`t` series (`σ√T < 0.42`, not in the asymptotic region, and
/// `-h/√2 <= 6` for `erfcx_poly`): `s` updated in place and a `code`.
pub(super) struct LowestStep<'a> {
    pub x: &'a [f64],
    pub ln_beta: &'a [f64],
    pub s: &'a mut [f64],
    pub code: &'a mut [f64],
}

impl Lanes for LowestStep<'_> {
    #[inline(always)]
    fn run<const FUSED: bool>(self) {
        let n = self.x.len();
        let (ln_beta, s, code) = (&self.ln_beta[..n], &mut self.s[..n], &mut self.code[..n]);
        for i in 0..n {
            (s[i], code[i]) = lowest_lane::<FUSED>(self.x[i], ln_beta[i], s[i]);
        }
    }
}

#[inline(always)]
fn lowest_lane<const FUSED: bool>(x: f64, ln_beta: f64, s: f64) -> (f64, f64) {
    let h = x / s;
    let t = 0.5 * s;
    let y = -FRAC_1_SQRT_2 * h;
    let asymptotic = x < s * ETA && 0.5 * s * s + x < s * (TAU_SMALL + ETA);
    let r = small_t_series(h, t, erfcx_lane::<FUSED>(y));
    // ln b = ln r + ln φ: see `black::normalised_black_otm_log`.
    let ln_b = ln_kernel_g::<FUSED>(r) - (0.5 * (h * h + t * t) + LN_SQRT_2PI);
    let bpob = 1.0 / r;
    let ds = lowest_ds(x, s, ln_beta, ln_b, bpob);
    let next = advance(s, ds);
    // `r` normal keeps the logarithm kernel in range; a NaN anywhere fails
    // the comparisons.
    let ok = !asymptotic && t < TAU_SMALL && y <= ERFCX_POLY_MAX && r >= f64::MIN_POSITIVE;
    if !ok || !ds.is_finite() {
        (s, FALLBACK)
    } else if converged(ds, next) {
        (next, DONE)
    } else {
        (next, GO_ON)
    }
}
