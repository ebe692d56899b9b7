//! Implied volatility for many quotes at once.
//!
//! One inversion is a chain of dependent steps (bounds, branch, guess, two
//! Householder steps), each waiting on the last, so the core idles while a
//! single quote is solved. Here every stage runs over a chunk of quotes
//! before the next stage starts: the stages of different quotes do not
//! depend on each other, and the core overlaps them. Two stages are
//! vectorised ([`super::lanes`]): the logarithm, exponential and `1 - erfcx`
//! of every quote, and the lowest branch's iteration (most cases of a mixed
//! workload) where its small-`t` series holds. The guesses and the other
//! iterations are the scalar solver's.

use super::lanes::{dispatch, LowestStep, SetupLanes, DONE, ERFCX_POLY_MAX, FALLBACK};
use super::lets_be_rational::{guess, step, Objective, Setup, MAX_ITER};
use super::{
    above_upper_bound, finite, normalise, normalised_time_value, positive, vol_from_total,
};
use crate::black::OptionKind;
use crate::error::{InputError, IvError};
use crate::normal::one_minus_erfcx;

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
    lowest: LowestScratch,
}

/// The lowest-branch cases of one iteration, as arrays for [`LowestStep`].
#[derive(Default)]
struct LowestScratch {
    at: Vec<usize>,
    x: Vec<f64>,
    ln_beta: Vec<f64>,
    s: Vec<f64>,
    code: Vec<f64>,
}

impl LowestScratch {
    fn clear(&mut self) {
        self.at.clear();
        self.x.clear();
        self.ln_beta.clear();
        self.s.clear();
    }
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
    dispatch(SetupLanes {
        fk: &sc.fk,
        x: &mut sc.x[..n],
        b_max: &mut sc.b_max[..n],
        sqrt_ax: &mut sc.sqrt_ax[..n],
        ome: &mut sc.ome[..n],
    });
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
        iterate_once(sc);
    }
    for c in sc.cases.iter() {
        out[c.at] = vol_from_total(c.s, c.t);
    }
}

/// One step for every case not yet done: the lowest branch's (most cases)
/// in vectorised lanes where its small-`t` series holds, the rest one by one.
fn iterate_once(sc: &mut Scratch) {
    let lo = &mut sc.lowest;
    lo.clear();
    for (j, c) in sc.cases.iter().enumerate() {
        if let (false, Objective::Lowest { ln_beta }) = (c.done, c.obj) {
            lo.at.push(j);
            lo.x.push(c.st.x);
            lo.ln_beta.push(ln_beta);
            lo.s.push(c.s);
        }
    }
    let m = lo.at.len();
    lo.code.resize(m, 0.0);
    dispatch(LowestStep {
        x: &lo.x,
        ln_beta: &lo.ln_beta,
        s: &mut lo.s[..m],
        code: &mut lo.code[..m],
    });
    for k in 0..m {
        let c = &mut sc.cases[lo.at[k]];
        if lo.code[k] == FALLBACK {
            (c.s, c.done) = step(c.obj, c.st.x, c.st.beta, c.s);
        } else {
            (c.s, c.done) = (lo.s[k], lo.code[k] == DONE);
        }
    }
    for c in sc.cases.iter_mut() {
        if !c.done && !matches!(c.obj, Objective::Lowest { .. }) {
            (c.s, c.done) = step(c.obj, c.st.x, c.st.beta, c.s);
        }
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
