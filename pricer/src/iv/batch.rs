//! Implied volatility for many quotes at once.
//!
//! One inversion is a chain of dependent steps (bounds, branch, guess, two
//! Householder steps), each waiting on the last, so the core idles while a
//! single quote is solved. Here every stage runs over a chunk of quotes
//! before the next stage starts: the stages of different quotes do not
//! depend on each other, and the core overlaps them. The first stage
//! (logarithm, exponential, `1 - erfcx` of every quote) has no branches and
//! is vectorised; the guesses and iterations are the scalar solver's.

use super::lets_be_rational::{guess, step, Objective, Setup, MAX_ITER};
use super::{
    above_upper_bound, finite, normalise, normalised_time_value, positive, vol_from_total,
};
use crate::black::OptionKind;
use crate::error::{InputError, IvError};
use crate::normal::{
    cody_small, erfcx_cheb, exp_poly_unchecked, ln_kernel_g, madd, one_minus_erfcx, CODY_THRESHOLD,
    ERFCX_A, ERFCX_B,
};

/// Quotes per stage: the work arrays stay in L1/L2.
const CHUNK: usize = 256;

/// One option quote to invert.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IvQuote {
    /// Call or put.
    pub kind: OptionKind,
    /// The discounted price: `discount · Black(F, K, σ, T)`.
    pub price: f64,
    /// The forward `F` (for a stock, `S·e^{(r-q)T}`).
    pub forward: f64,
    /// The strike `K`.
    pub strike: f64,
    /// Time to expiry in years.
    pub t: f64,
    /// `e^{-rT}`; 1 for an undiscounted price.
    pub discount: f64,
}

struct Case {
    at: usize,
    t: f64,
    st: Setup,
    s: f64,
    obj: Objective,
    done: bool,
}

/// A chunk's work: quotes that passed the checks that need no logarithm,
/// as arrays for the vectorised stage, then the cases left to iterate.
#[derive(Default)]
struct Scratch {
    at: Vec<usize>,
    beta: Vec<f64>,
    fk: Vec<f64>,
    x: Vec<f64>,
    b_max: Vec<f64>,
    sqrt_ax: Vec<f64>,
    ome: Vec<f64>,
    cases: Vec<Case>,
}

/// Implied volatilities of `quotes` into `out` (same length), each with its
/// own error for a bad quote. The same checks and solver as
/// [`super::implied_vol_black76`]; `ln(F/K)`, `e^{x/2}` and `1 - erfcx`
/// come from inlined kernels (within 2 ulp of libm) in a vectorised loop, so
/// results can differ from the one-at-a-time ones by a few ulp of `x`.
pub fn implied_vol_batch(
    quotes: &[IvQuote],
    out: &mut [Result<f64, IvError>],
) -> Result<(), InputError> {
    if quotes.len() != out.len() {
        return Err(InputError::Invalid(format!(
            "{} quotes but {} output slots",
            quotes.len(),
            out.len()
        )));
    }
    let mut sc = Scratch::default();
    for (q, o) in quotes.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
        solve_chunk(q, o, &mut sc);
    }
    Ok(())
}

fn solve_chunk(quotes: &[IvQuote], out: &mut [Result<f64, IvError>], sc: &mut Scratch) {
    sc.at.clear();
    sc.beta.clear();
    sc.fk.clear();
    for (at, (q, o)) in quotes.iter().zip(out.iter_mut()).enumerate() {
        match checked(q) {
            Err(e) => *o = Err(e),
            Ok((beta, fk)) if fk.is_normal() && fk.is_finite() => {
                sc.at.push(at);
                sc.beta.push(beta);
                sc.fk.push(fk);
            }
            // F/K outside the normal range: the scalar path throughout.
            Ok(_) => *o = one_at_a_time(q),
        }
    }
    let n = sc.at.len();
    for v in [&mut sc.x, &mut sc.b_max, &mut sc.sqrt_ax, &mut sc.ome] {
        v.resize(n, 0.0);
    }
    setup_stage(
        &sc.fk,
        &mut sc.x[..n],
        &mut sc.b_max[..n],
        &mut sc.sqrt_ax[..n],
        &mut sc.ome[..n],
    );
    sc.cases.clear();
    for j in 0..n {
        let (at, beta, x) = (sc.at[j], sc.beta[j], sc.x[j]);
        let q = &quotes[at];
        let (mut b_max, mut ome) = (sc.b_max[j], sc.ome[j]);
        if !(sc.sqrt_ax[j] <= ERFCX_POLY_MAX) {
            // Beyond the vectorised kernels' range (|x| > 36): libm.
            b_max = (0.5 * x).exp();
            ome = one_minus_erfcx(sc.sqrt_ax[j]);
        }
        if beta >= b_max {
            out[at] = Err(above_upper_bound(
                q.kind, q.price, q.forward, q.strike, q.discount,
            ));
        } else if x == 0.0 {
            out[at] = vol_from_total(super::lets_be_rational::solve(beta, x, b_max), q.t);
        } else {
            sc.cases.push(Case {
                at,
                t: q.t,
                st: Setup::from_parts(beta, x, b_max, sc.sqrt_ax[j], ome),
                s: 0.0,
                obj: Objective::Done,
                done: false,
            });
        }
    }
    for c in sc.cases.iter_mut() {
        (c.s, c.obj) = guess(&c.st);
    }
    for _ in 0..MAX_ITER {
        for c in sc.cases.iter_mut().filter(|c| !c.done) {
            (c.s, c.done) = step(c.obj, c.st.x, c.st.beta, c.s);
        }
    }
    for c in sc.cases.iter() {
        out[c.at] = vol_from_total(c.s, c.t);
    }
}

/// The input checks and those bounds checks that need no logarithm:
/// `(β, F/K)`.
fn checked(q: &IvQuote) -> Result<(f64, f64), IvError> {
    positive(q.forward, "forward")?;
    positive(q.strike, "strike")?;
    positive(q.t, "t")?;
    positive(q.discount, "discount factor")?;
    finite(q.price, "price")?;
    let beta = normalised_time_value(q.kind, q.price, q.forward, q.strike, q.discount)?;
    Ok((beta, q.forward / q.strike))
}

fn one_at_a_time(q: &IvQuote) -> Result<f64, IvError> {
    let x = (q.forward / q.strike).ln();
    let (beta, xo, b_max) = normalise(q.kind, q.price, x, q.forward, q.strike, q.discount)?;
    vol_from_total(super::lets_be_rational::solve(beta, xo, b_max), q.t)
}

/// Where [`setup_lanes`] is exact: `erfcx_poly`'s range.
const ERFCX_POLY_MAX: f64 = 6.0;

/// `x = -|ln(F/K)|`, `b_max = e^{x/2}`, `√|x|` and `1 - erfcx(√|x|)` for
/// every quote, in the widest vectors the CPU has (see [`crate::chain`]).
fn setup_stage(fk: &[f64], x: &mut [f64], b_max: &mut [f64], sqrt_ax: &mut [f64], ome: &mut [f64]) {
    let job = SetupJob {
        fk,
        x,
        b_max,
        sqrt_ax,
        ome,
    };
    #[cfg(target_arch = "x86_64")]
    match pulp::Arch::new() {
        pulp::Arch::V4(simd) => pulp::Simd::vectorize(simd, job.fused()),
        pulp::Arch::V3(simd) => pulp::Simd::vectorize(simd, job.fused()),
        _ => job.run::<false>(),
    }
    #[cfg(not(target_arch = "x86_64"))]
    job.run::<false>();
}

struct SetupJob<'a> {
    fk: &'a [f64],
    x: &'a mut [f64],
    b_max: &'a mut [f64],
    sqrt_ax: &'a mut [f64],
    ome: &'a mut [f64],
}

/// [`SetupJob`] with fused multiply-adds, for pulp's FMA copies.
#[cfg(target_arch = "x86_64")]
struct Fused<'a>(SetupJob<'a>);

impl<'a> SetupJob<'a> {
    #[cfg(target_arch = "x86_64")]
    fn fused(self) -> Fused<'a> {
        Fused(self)
    }

    #[inline(always)]
    fn run<const FUSED: bool>(self) {
        let n = self.fk.len();
        let (x, b_max) = (&mut self.x[..n], &mut self.b_max[..n]);
        let (sqrt_ax, ome) = (&mut self.sqrt_ax[..n], &mut self.ome[..n]);
        for i in 0..n {
            let (xi, bi, yi, oi) = setup_lanes::<FUSED>(self.fk[i]);
            x[i] = xi;
            b_max[i] = bi;
            sqrt_ax[i] = yi;
            ome[i] = oi;
        }
    }
}

#[cfg(target_arch = "x86_64")]
impl pulp::WithSimd for Fused<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) {
        self.0.run::<true>();
    }
}

/// One lane of [`setup_stage`], branch-free: `F/K` positive and normal.
/// `1 - erfcx(y)` as [`one_minus_erfcx`] forms it (from `e^{y²} - 1` below
/// Cody's edge), with `erfcx_poly` above; both are computed and one is
/// selected. Exact for `√|x| <= 6`; the caller redoes larger `|x|`.
#[inline(always)]
fn setup_lanes<const FUSED: bool>(fk: f64) -> (f64, f64, f64, f64) {
    let x = -ln_kernel_g::<FUSED>(fk).abs();
    let b_max = exp_poly_unchecked::<FUSED>((0.5 * x).max(-708.0));
    let y = (-x).sqrt();
    let z = y * y;
    let em1 = expm1_small::<FUSED>(z.min(CODY_THRESHOLD * CODY_THRESHOLD));
    let small = (1.0 + em1) * (y * cody_small(z)) - em1;
    let large = 1.0 - erfcx_cheb::<FUSED>(ERFCX_A / (1.0 + 0.3 * y.min(ERFCX_POLY_MAX)) + ERFCX_B);
    let ome = if y <= CODY_THRESHOLD { small } else { large };
    (x, b_max, y, ome)
}

/// `e^z - 1` for `0 <= z <= 0.22`: its Taylor series to degree 13
/// (truncation < 1e-20 relative) by Estrin's scheme.
#[inline(always)]
fn expm1_small<const FUSED: bool>(z: f64) -> f64 {
    // 1/n! for n = 2..=13.
    const F: [f64; 12] = [
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
    let m = madd::<FUSED>;
    let z2 = z * z;
    let z4 = z2 * z2;
    let z8 = z4 * z4;
    let a = m(z2, m(z, F[3], F[2]), m(z, F[1], F[0]));
    let b = m(z2, m(z, F[7], F[6]), m(z, F[5], F[4]));
    let c = m(z2, m(z, F[11], F[10]), m(z, F[9], F[8]));
    m(z2, m(z8, c, m(z4, b, a)), z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::black::{black_undiscounted, normalised_vega};

    fn quotes() -> Vec<IvQuote> {
        let mut v = Vec::new();
        let mut rng = crate::mc::Rng::new(11);
        while v.len() < 3000 {
            let t = (rng.uniform() * 12.0 - 9.0).exp();
            let vol = 0.005 * (rng.uniform() * 7.0).exp();
            let s = vol * t.sqrt();
            let k = 100.0 * ((rng.uniform() - 0.5) * 6.0 * s).exp();
            let kind = if rng.uniform() < 0.5 {
                OptionKind::Call
            } else {
                OptionKind::Put
            };
            let df = (-0.04 * t).exp();
            let price = df * black_undiscounted(100.0, k, s, kind);
            v.push(IvQuote {
                kind,
                price,
                forward: 100.0,
                strike: k,
                t,
                discount: df,
            });
        }
        // Far from the money (|x| = 40, beyond the vectorised kernels' range),
        // F/K subnormal, at the money, bad inputs and prices outside the bounds.
        for (k, s) in [(100.0 * 40f64.exp(), 15.0), (100.0 * (-40f64).exp(), 12.0)] {
            for kind in [OptionKind::Call, OptionKind::Put] {
                v.push(IvQuote {
                    kind,
                    price: black_undiscounted(100.0, k, s, kind),
                    forward: 100.0,
                    strike: k,
                    t: 1.0,
                    discount: 1.0,
                });
            }
        }
        v.push(IvQuote {
            forward: 1e-300,
            strike: 1e10,
            price: 1e-301,
            ..v[5]
        });
        v.push(IvQuote {
            strike: 100.0,
            price: 3.0,
            ..v[0]
        });
        v.push(IvQuote {
            price: f64::NAN,
            ..v[1]
        });
        v.push(IvQuote { t: -1.0, ..v[2] });
        v.push(IvQuote { price: 1e6, ..v[3] });
        v.push(IvQuote { price: 0.0, ..v[4] });
        v
    }

    #[test]
    fn batch_matches_one_at_a_time() {
        let q = quotes();
        let mut out = vec![Ok(0.0); q.len()];
        implied_vol_batch(&q, &mut out).unwrap();
        let mut errors = 0;
        let mut worst = 0.0f64;
        for (q, got) in q.iter().zip(&out) {
            // What implied_vol_black76 computes once it has e^{-rT}.
            // (its callers check t).
            let want = positive(q.t, "t").map_err(IvError::from).and_then(|t| {
                super::super::implied_vol_forward(
                    q.kind,
                    q.price,
                    (q.forward / q.strike).ln(),
                    q.forward,
                    q.strike,
                    t,
                    q.discount,
                )
            });
            match (got, &want) {
                (Ok(a), Ok(b)) => {
                    // Within what double precision can resolve: a few ulp
                    // of the normalised price over the normalised vega
                    // (x itself differs by an ulp between the two paths).
                    let x = -(q.forward / q.strike).ln().abs();
                    let s = b * q.t.sqrt();
                    let beta = q.price / (q.discount * (q.forward * q.strike).sqrt());
                    let attainable = 8.0 * f64::EPSILON * beta / normalised_vega(x, s);
                    let diff = (a - b).abs() * q.t.sqrt();
                    worst = worst.max(diff / (attainable + 1e-14 * s));
                    assert!(diff <= attainable + 1e-14 * s, "{q:?}: {a} {b}");
                }
                (Err(a), Err(b)) => {
                    errors += 1;
                    assert_eq!(a.to_string(), b.to_string(), "{q:?}");
                }
                _ => panic!("{q:?}: batch {got:?}, scalar {want:?}"),
            }
        }
        assert!(errors >= 4, "{errors}");
        // The two out-of-the-money ones (the others are at their bounds).
        assert!(
            out[3000].is_ok() && out[3003].is_ok(),
            "{:?}",
            &out[3000..3004]
        );
        eprintln!("worst difference / tolerance: {worst:e}");
    }

    #[test]
    fn length_mismatch_is_an_error() {
        let q = quotes();
        let mut out = vec![Ok(0.0); 2];
        assert!(implied_vol_batch(&q, &mut out).is_err());
    }
}
