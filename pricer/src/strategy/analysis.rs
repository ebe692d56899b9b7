//! Strategy analysis at the valuation date and at the first expiry.

use super::leg::Instrument;
use super::{pop, Strategy};
use crate::api::Market;
use crate::error::InputError;
use crate::greeks::Greeks;
use crate::solver::brent;

/// A maximum or minimum of the expiry P/L.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Extremum {
    /// Finite value, attained at `at` (spot price).
    Finite {
        /// P/L value.
        value: f64,
        /// Spot at which it is attained.
        at: f64,
    },
    /// Grows without bound as the spot goes to infinity.
    Unlimited,
}

/// Summary of a strategy.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Analysis {
    /// Net premium paid (> 0 debit, < 0 credit), in cash.
    pub net_debit: f64,
    /// Entry price per unit of each leg (given or theoretical).
    pub entry_prices: Vec<f64>,
    /// Spots at which the P/L at the first expiry is zero, ascending.
    pub breakevens: Vec<f64>,
    /// Maximum P/L at the first expiry.
    pub max_profit: Extremum,
    /// Minimum P/L at the first expiry (a loss is negative).
    pub max_loss: Extremum,
    /// Probability that the P/L at the first expiry is positive.
    pub probability_of_profit: f64,
    /// One-sigma expected move `S·σ·√T` to the first expiry.
    pub expected_move: f64,
    /// Lognormal ±1σ spot range at the first expiry.
    pub one_sigma_range: (f64, f64),
    /// Greeks per leg (already × quantity × multiplier).
    pub leg_greeks: Vec<Greeks>,
    /// Sum of the leg Greeks.
    pub total_greeks: Greeks,
}

/// Entry price per unit: the leg's traded price or the theoretical value.
pub fn entry_prices(st: &Strategy, m: &Market) -> Vec<f64> {
    st.legs
        .iter()
        .map(|l| {
            l.entry_price
                .unwrap_or_else(|| l.unit_value(m, m.spot, 0.0))
        })
        .collect()
}

/// Cash paid to enter (debit > 0, credit < 0).
pub fn net_debit(st: &Strategy, m: &Market) -> f64 {
    st.legs
        .iter()
        .zip(entry_prices(st, m))
        .map(|(l, p)| l.units() * p)
        .sum()
}

/// Theoretical P/L at spot `s` after `elapsed` years (legs past expiry pay
/// their intrinsic value; the rest are repriced with the time left).
pub fn pnl_at(st: &Strategy, m: &Market, entries: &[f64], s: f64, elapsed: f64) -> f64 {
    st.legs
        .iter()
        .zip(entries)
        .map(|(l, p)| l.units() * (l.unit_value(m, s, elapsed) - p))
        .sum()
}

/// Slope of the expiry P/L as S → ∞ (single-expiry strategies: exact).
fn slope_at_infinity(st: &Strategy) -> f64 {
    st.legs
        .iter()
        .map(|l| match l.instrument {
            Instrument::Stock => l.units(),
            Instrument::Option {
                kind: crate::black::OptionKind::Call,
                ..
            } => l.units(),
            Instrument::Option { .. } => 0.0,
        })
        .sum()
}

fn kinks(st: &Strategy) -> Vec<f64> {
    let mut ks: Vec<f64> = st
        .legs
        .iter()
        .filter_map(|l| match l.instrument {
            Instrument::Option { strike, .. } => Some(strike),
            Instrument::Stock => None,
        })
        .collect();
    ks.sort_by(f64::total_cmp);
    ks.dedup();
    ks
}

/// Breakevens at the first expiry. Single expiry: exact roots of the
/// piecewise-linear payoff (kinks at the strikes). Otherwise: scan a
/// log-spaced grid of 400 spots over ±8σ√T and refine sign changes with
/// Brent to 1e-10.
pub fn breakevens(st: &Strategy, m: &Market, entries: &[f64]) -> Vec<f64> {
    let t0 = st.first_expiry().unwrap_or(0.0);
    let f = |s: f64| pnl_at(st, m, entries, s, t0);
    let mut out = Vec::new();
    if st.single_expiry() {
        let mut pts = vec![0.0];
        pts.extend(kinks(st));
        let vals: Vec<f64> = pts.iter().map(|&s| f(s)).collect();
        for i in 0..pts.len() - 1 {
            let (a, b, fa, fb) = (pts[i], pts[i + 1], vals[i], vals[i + 1]);
            if fa == 0.0 {
                out.push(a);
            } else if fa * fb < 0.0 {
                out.push(a + (b - a) * fa / (fa - fb));
            }
        }
        let last = *pts.last().unwrap_or(&0.0);
        let fl = *vals.last().unwrap_or(&0.0);
        let slope = slope_at_infinity(st);
        if fl == 0.0 && pts.len() > 1 {
            out.push(last);
        } else if slope != 0.0 && fl * slope < 0.0 {
            out.push(last - fl / slope);
        }
    } else {
        let sd = m.vol * t0.max(1e-6).sqrt();
        let n = 400;
        let (lo, hi) = ((-8.0 * sd).exp() * m.spot, (8.0 * sd).exp() * m.spot);
        let mut prev_s = lo;
        let mut prev_f = f(lo);
        for i in 1..=n {
            let s = lo * (hi / lo).powf(i as f64 / n as f64);
            let fs = f(s);
            if prev_f == 0.0 {
                out.push(prev_s);
            } else if prev_f * fs < 0.0 {
                if let Some(r) = brent(f, prev_s, s, 1e-10, 200) {
                    out.push(r);
                }
            }
            prev_s = s;
            prev_f = fs;
        }
    }
    out.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    out
}

/// Max profit and max loss at the first expiry.
pub fn extrema(st: &Strategy, m: &Market, entries: &[f64]) -> (Extremum, Extremum) {
    let t0 = st.first_expiry().unwrap_or(0.0);
    let f = |s: f64| pnl_at(st, m, entries, s, t0);
    let mut cand: Vec<f64> = vec![0.0];
    let slope = if st.single_expiry() {
        cand.extend(kinks(st));
        slope_at_infinity(st)
    } else {
        let sd = m.vol * t0.max(1e-6).sqrt();
        let (lo, hi) = ((-8.0 * sd).exp() * m.spot, (8.0 * sd).exp() * m.spot);
        cand.extend((0..=400).map(|i| lo * (hi / lo).powf(i as f64 / 400.0)));
        cand.extend(kinks(st));
        // Far-out slope measured numerically.
        let big = hi * 1e3;
        (f(2.0 * big) - f(big)) / big
    };
    let mut best = (f64::NEG_INFINITY, 0.0);
    let mut worst = (f64::INFINITY, 0.0);
    for &s in &cand {
        let v = f(s);
        if v > best.0 {
            best = (v, s);
        }
        if v < worst.0 {
            worst = (v, s);
        }
    }
    let tiny = 1e-9 * (1.0 + m.spot);
    let max_p = if slope > tiny {
        Extremum::Unlimited
    } else {
        Extremum::Finite {
            value: best.0,
            at: best.1,
        }
    };
    let max_l = if slope < -tiny {
        Extremum::Unlimited
    } else {
        Extremum::Finite {
            value: worst.0,
            at: worst.1,
        }
    };
    (max_p, max_l)
}

/// Greeks per leg and total (× quantity × multiplier).
pub fn greeks(st: &Strategy, m: &Market) -> (Vec<Greeks>, Greeks) {
    let per: Vec<Greeks> = st
        .legs
        .iter()
        .map(|l| l.unit_greeks(m).scaled(l.units()))
        .collect();
    let total = per.iter().fold(Greeks::default(), |acc, g| acc.add(g));
    (per, total)
}

/// Expected move `S·σ·√T` and the lognormal ±1σ range with drift `mu`.
pub fn expected_move(m: &Market, t: f64, mu: f64) -> (f64, (f64, f64)) {
    let sd = m.vol * t.sqrt();
    let c = (mu - 0.5 * m.vol * m.vol) * t;
    (
        m.spot * sd,
        (m.spot * (c - sd).exp(), m.spot * (c + sd).exp()),
    )
}

/// Full analysis. `mu = None` uses the risk-neutral drift `r - q`; `seed` is
/// used by the Monte Carlo probability of profit (multi-expiry strategies).
pub fn analyze(
    st: &Strategy,
    m: &Market,
    mu: Option<f64>,
    seed: u64,
) -> Result<Analysis, InputError> {
    st.validate()?;
    let entries = entry_prices(st, m);
    let net = st
        .legs
        .iter()
        .zip(&entries)
        .map(|(l, p)| l.units() * p)
        .sum();
    let be = breakevens(st, m, &entries);
    let (max_profit, max_loss) = extrema(st, m, &entries);
    let t0 = st.first_expiry().unwrap_or(0.0);
    let drift = mu.unwrap_or(m.rate - m.dividend_yield);
    let probability_of_profit = pop::probability_of_profit(st, m, &entries, drift, seed);
    let (em, range) = expected_move(m, t0, drift);
    let (leg_greeks, total_greeks) = greeks(st, m);
    Ok(Analysis {
        net_debit: net,
        entry_prices: entries,
        breakevens: be,
        max_profit,
        max_loss,
        probability_of_profit,
        expected_move: em,
        one_sigma_range: range,
        leg_greeks,
        total_greeks,
    })
}
