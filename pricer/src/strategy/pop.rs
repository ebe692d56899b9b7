//! Probability of profit at the first expiry under a lognormal spot with
//! drift `mu` (risk-neutral: `r - q`) and the market's flat volatility.
//!
//! Single-expiry strategies: the expiry P/L is piecewise linear, so the
//! profitable set is a union of intervals between exact breakevens and the
//! probability is a sum of lognormal CDF differences (exact). Strategies with
//! later expiries (calendars, diagonals): seeded Monte Carlo over the spot at
//! the first expiry (20 000 antithetic draws, portable generator, so the same
//! seed gives the same answer natively and in wasm).

use super::analysis::{breakevens, pnl_at};
use super::Strategy;
use crate::api::Market;
use crate::mc;
use crate::normal::norm_cdf;

/// Number of Monte Carlo draws for multi-expiry strategies.
pub const MC_DRAWS: usize = 20_000;

fn lognormal_cdf(x: f64, spot: f64, mu: f64, vol: f64, t: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if !x.is_finite() {
        return 1.0;
    }
    let sd = vol * t.sqrt();
    norm_cdf(((x / spot).ln() - (mu - 0.5 * vol * vol) * t) / sd)
}

/// P(P/L at first expiry > 0).
pub fn probability_of_profit(
    st: &Strategy,
    m: &Market,
    entries: &[f64],
    mu: f64,
    seed: u64,
) -> f64 {
    let t0 = st.first_expiry().unwrap_or(0.0);
    let f = |s: f64| pnl_at(st, m, entries, s, t0);
    if !(t0 > 0.0) {
        return if f(m.spot) > 0.0 { 1.0 } else { 0.0 };
    }
    if st.single_expiry() {
        let be = breakevens(st, m, entries);
        let mut edges = vec![0.0];
        edges.extend(be.iter().copied());
        edges.push(f64::INFINITY);
        let mut p = 0.0;
        for w in edges.windows(2) {
            let (a, b) = (w[0], w[1]);
            let mid = if b.is_finite() {
                0.5 * (a + b)
            } else {
                2.0 * a.max(m.spot) + 1.0
            };
            if f(mid) > 0.0 {
                p += lognormal_cdf(b, m.spot, mu, m.vol, t0)
                    - lognormal_cdf(a, m.spot, mu, m.vol, t0);
            }
        }
        p.clamp(0.0, 1.0)
    } else {
        mc::terminal_probability(m.spot, mu, m.vol, t0, MC_DRAWS, seed, |s| f(s) > 0.0)
    }
}
