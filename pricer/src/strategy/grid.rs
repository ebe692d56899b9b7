//! P/L heat map over spot × date.
//!
//! Built for the browser: per (leg, date) the discount factors and total
//! volatility are computed once, and the inner loop over spots is
//! branch-free arithmetic (inlined `ln`/`exp` kernels, polynomial normal
//! tails sharing one exponential) with no allocation, which vectorises
//! natively and in wasm (simd128 when enabled). European legs use the closed form;
//! American legs use Barone-Adesi-Whaley in the grid (documented trade-off:
//! BAW is ~1e-2 accurate, the full analysis uses the ALO engine).

use super::leg::Instrument;
use super::Strategy;
use crate::american::baw;
use crate::api::{ExerciseStyle, Market};
use crate::error::InputError;
use crate::normal::{erfcx_poly, exp_fast_unchecked, ln_kernel};
use std::f64::consts::FRAC_1_SQRT_2;

/// A computed grid: `values[d * prices.len() + i]` is the P/L at `prices[i]`
/// after `times[d]` years.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PnlGrid {
    /// Spot axis.
    pub prices: Vec<f64>,
    /// Elapsed-time axis (years from valuation).
    pub times: Vec<f64>,
    /// Row-major by date.
    pub values: Vec<f64>,
}

/// Fill `out` (len = prices.len() × times.len(), row-major by date) with the
/// P/L relative to the entry prices `entries` (per unit, one per leg).
pub fn fill_pnl_grid(
    st: &Strategy,
    m: &Market,
    entries: &[f64],
    prices: &[f64],
    times: &[f64],
    out: &mut [f64],
) -> Result<(), InputError> {
    let np = prices.len();
    if out.len() != np * times.len() || entries.len() != st.legs.len() {
        return Err(InputError::Invalid(
            "grid output or entries have the wrong length".into(),
        ));
    }
    let cost: f64 = st
        .legs
        .iter()
        .zip(entries)
        .map(|(l, p)| l.units() * p)
        .sum();
    for (d, &el) in times.iter().enumerate() {
        let row = &mut out[d * np..(d + 1) * np];
        row.iter_mut().for_each(|v| *v = -cost);
        for leg in &st.legs {
            let units = leg.units();
            match leg.instrument {
                Instrument::Stock => {
                    for (v, &s) in row.iter_mut().zip(prices) {
                        *v += units * s;
                    }
                }
                Instrument::Option {
                    kind,
                    style,
                    strike,
                    expiry,
                } => {
                    let rem = expiry - el;
                    let th = kind.sign();
                    let vol = leg.vol_or(m.vol);
                    if rem <= 0.0 {
                        for (v, &s) in row.iter_mut().zip(prices) {
                            *v += units * (th * (s - strike)).max(0.0);
                        }
                    } else if style == ExerciseStyle::American
                        && !(kind.sign() > 0.0 && m.dividend_yield <= 0.0)
                    {
                        for (v, &s) in row.iter_mut().zip(prices) {
                            *v += units
                                * baw::price(kind, s, strike, m.rate, m.dividend_yield, rem, vol);
                        }
                    } else {
                        let sd = vol * rem.sqrt();
                        let dq = (-m.dividend_yield * rem).exp();
                        let kdr = strike * (-m.rate * rem).exp();
                        let shift =
                            ((m.rate - m.dividend_yield) * rem - strike.ln()) / sd + 0.5 * sd;
                        let inv_sd = 1.0 / sd;
                        let fk_per_s = dq / kdr;
                        let (ut, uts) = (units * th, units * th * dq);
                        // Branch-free, vectorisable body (as chain::price_chain):
                        // tails ½·erfcx(|d|/√2)·e^{-d²/2}, e^{-d₂²/2} = e^{-d₁²/2}·F/K.
                        for (v, &s) in row.iter_mut().zip(prices) {
                            let d1 = ln_kernel(s) * inv_sd + shift;
                            let d2 = d1 - sd;
                            let e1 = exp_fast_unchecked((-0.5 * d1 * d1).max(-708.0));
                            let e2 = e1 * (s * fk_per_s);
                            let t1 = 0.5 * erfcx_poly(d1.abs() * FRAC_1_SQRT_2) * e1;
                            let t2 = 0.5 * erfcx_poly(d2.abs() * FRAC_1_SQRT_2) * e2;
                            let n1 = if th * d1 < 0.0 { t1 } else { 1.0 - t1 };
                            let n2 = if th * d2 < 0.0 { t2 } else { 1.0 - t2 };
                            *v += uts * s * n1 - ut * kdr * n2;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Grid with `n_prices` spots spanning ±3σ√T (linear) around the spot and
/// `n_dates` dates from valuation to the first expiry (inclusive).
pub fn pnl_grid(
    st: &Strategy,
    m: &Market,
    n_prices: usize,
    n_dates: usize,
) -> Result<PnlGrid, InputError> {
    st.validate()?;
    let t0 = st.first_expiry().unwrap_or(0.0);
    let sd = m.vol * t0.max(1.0 / 365.0).sqrt();
    let (lo, hi) = (m.spot * (-3.0 * sd).exp(), m.spot * (3.0 * sd).exp());
    let np = n_prices.max(2);
    let nd = n_dates.max(1);
    let prices: Vec<f64> = (0..np)
        .map(|i| lo + (hi - lo) * i as f64 / (np - 1) as f64)
        .collect();
    let times: Vec<f64> = (0..nd)
        .map(|d| {
            if nd == 1 {
                0.0
            } else {
                t0 * d as f64 / (nd - 1) as f64
            }
        })
        .collect();
    let entries = super::analysis::entry_prices(st, m);
    let mut values = vec![0.0; np * nd];
    fill_pnl_grid(st, m, &entries, &prices, &times, &mut values)?;
    Ok(PnlGrid {
        prices,
        times,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::black::bsm_price;
    use crate::strategy::templates::iron_condor;

    #[test]
    fn grid_matches_bsm_price_leg_by_leg() {
        let m = Market::new(100.0, 0.05, 0.01, 0.25).unwrap();
        let st = iron_condor(85.0, 95.0, 105.0, 115.0, 0.5).unwrap();
        let entries = vec![1.0; st.legs.len()];
        let prices: Vec<f64> = (0..60).map(|i| 40.0 + 2.0 * i as f64).collect();
        let times = [0.0, 0.1, 0.49, 0.5, 0.6];
        let mut out = vec![0.0; prices.len() * times.len()];
        fill_pnl_grid(&st, &m, &entries, &prices, &times, &mut out).unwrap();
        for (d, &el) in times.iter().enumerate() {
            for (i, &s) in prices.iter().enumerate() {
                let mut want = 0.0;
                for leg in &st.legs {
                    if let Instrument::Option {
                        kind,
                        strike,
                        expiry,
                        ..
                    } = leg.instrument
                    {
                        let rem = expiry - el;
                        let v = if rem <= 0.0 {
                            (kind.sign() * (s - strike)).max(0.0)
                        } else {
                            bsm_price(kind, s, strike, m.rate, m.dividend_yield, rem, m.vol)
                        };
                        want += leg.units() * (v - 1.0);
                    }
                }
                let got = out[d * prices.len() + i];
                // 100-share contracts, four legs: 1e-10 is ~3e-15 of the
                // notional, the rounding of S·Φ-sized terms.
                assert!((got - want).abs() <= 1e-10, "t={el} S={s}: {got} vs {want}");
            }
        }
    }
}
