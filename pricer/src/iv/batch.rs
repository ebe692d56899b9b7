//! Implied volatility for many quotes at once.
//!
//! One inversion is a chain of dependent steps (bounds, branch, guess, two
//! Householder steps), each waiting on the last, so the core idles while a
//! single quote is solved. Here every stage runs over a chunk of quotes
//! before the next stage starts: the stages of different quotes do not
//! depend on each other, and the core overlaps them. The arithmetic is the
//! scalar solver's, so each result equals [`super::implied_vol_black76`]'s
//! to the bit.

use super::lets_be_rational::{guess, setup, step, Objective, Setup, MAX_ITER};
use super::{finite, normalise, positive, vol_from_total};
use crate::black::OptionKind;
use crate::error::{InputError, IvError};

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

/// Implied volatilities of `quotes` into `out` (same length), each with its
/// own error for a bad quote. Equal to calling
/// [`super::implied_vol_black76`] on each, but faster on a chain.
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
    let mut work = Vec::with_capacity(quotes.len().min(CHUNK));
    for (q, o) in quotes.chunks(CHUNK).zip(out.chunks_mut(CHUNK)) {
        solve_chunk(q, o, &mut work);
    }
    Ok(())
}

fn solve_chunk(quotes: &[IvQuote], out: &mut [Result<f64, IvError>], work: &mut Vec<Case>) {
    work.clear();
    for (at, (q, o)) in quotes.iter().zip(out.iter_mut()).enumerate() {
        match normalised(q) {
            Err(e) => *o = Err(e),
            Ok((beta, x, b_max)) if x == 0.0 => {
                *o = vol_from_total(super::lets_be_rational::solve(beta, x, b_max), q.t);
            }
            Ok((beta, x, b_max)) => work.push(Case {
                at,
                t: q.t,
                st: setup(beta, x, b_max),
                s: 0.0,
                obj: Objective::Done,
                done: false,
            }),
        }
    }
    for c in work.iter_mut() {
        (c.s, c.obj) = guess(&c.st);
    }
    for _ in 0..MAX_ITER {
        for c in work.iter_mut().filter(|c| !c.done) {
            (c.s, c.done) = step(c.obj, c.st.x, c.st.beta, c.s);
        }
    }
    for c in work.iter() {
        out[c.at] = vol_from_total(c.s, c.t);
    }
}

fn normalised(q: &IvQuote) -> Result<(f64, f64, f64), IvError> {
    positive(q.forward, "forward")?;
    positive(q.strike, "strike")?;
    positive(q.t, "t")?;
    positive(q.discount, "discount factor")?;
    finite(q.price, "price")?;
    let x = (q.forward / q.strike).ln();
    normalise(q.kind, q.price, x, q.forward, q.strike, q.discount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::black::black_undiscounted;

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
        // At the money, bad inputs and prices outside the bounds.
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
    fn batch_equals_one_at_a_time_to_the_bit() {
        let q = quotes();
        let mut out = vec![Ok(0.0); q.len()];
        implied_vol_batch(&q, &mut out).unwrap();
        let mut errors = 0;
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
                (Ok(a), Ok(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{q:?}"),
                (Err(a), Err(b)) => {
                    errors += 1;
                    assert_eq!(a.to_string(), b.to_string(), "{q:?}");
                }
                _ => panic!("{q:?}: batch {got:?}, scalar {want:?}"),
            }
        }
        assert!(errors >= 4, "{errors}");
    }

    #[test]
    fn length_mismatch_is_an_error() {
        let q = quotes();
        let mut out = vec![Ok(0.0); 2];
        assert!(implied_vol_batch(&q, &mut out).is_err());
    }
}
