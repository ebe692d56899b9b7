//! A seeded price simulator: geometric Brownian motion with Merton log-normal jumps.
//!
//! **Data from here is synthetic. Callers must always label it "simulated" wherever it
//! is shown, exported or stored, and must never mix it with real market data without
//! that label.**
//!
//! Model, in log price `x = ln S`, over a time step `dt` (years):
//! `dx = (mu - sigma²/2)·dt + sigma·√dt·Z + Σ_{k=1}^{N} J_k`, with `Z ~ N(0,1)`,
//! `N ~ Poisson(lambda·dt)` and `J_k ~ N(jump_mean, jump_std²)`. There is no jump
//! compensator, so `E[ln(S_{t+dt}/S_t)] = (mu - sigma²/2 + lambda·jump_mean)·dt`.
//!
//! Each bar is simulated in [`SUB_STEPS`] sub-steps. The high and low are the extremes
//! of the sub-step path, each sub-step's extreme drawn exactly from the Brownian bridge
//! between its end points, so ranges look like those of a continuous path. Bars are
//! contiguous in time (`t = start_ms + i·interval`, a 24/7 market); one year is 365.25
//! days. Intraday bars open at the previous close; daily and weekly bars open after the
//! first sub-step, which plays the overnight gap. Volume is log-normal around a median
//! proportional to the bar length (1,000,000 per day), larger on bigger moves, and
//! rounded to whole units.
//!
//! Same parameters (including the seed) give the same bars bit for bit on one platform
//! (ChaCha8 stream; `exp`/`ln` come from the platform's libm).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};

use crate::interval::DAY_MS;
use crate::{Bar, Interval, MarketError};

/// Sub-steps simulated per bar.
pub const SUB_STEPS: usize = 8;
/// Upper bound on [`SimParams::bars`].
pub const MAX_BARS: usize = 1_000_000;
const YEAR_MS: f64 = 365.25 * 86_400_000.0;

/// Simulation parameters. Rates are per year.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimParams {
    /// Price before the first bar (> 0).
    pub start_price: f64,
    /// Drift per year.
    pub mu: f64,
    /// Volatility per √year (>= 0).
    pub sigma: f64,
    /// Expected jumps per year (>= 0).
    pub jump_lambda: f64,
    /// Mean of the log jump size.
    pub jump_mean: f64,
    /// Standard deviation of the log jump size (>= 0).
    pub jump_std: f64,
    pub seed: u64,
    pub interval: Interval,
    /// Number of bars (at most [`MAX_BARS`]).
    pub bars: usize,
    /// Open time of the first bar, unix ms.
    pub start_ms: i64,
}

impl Default for SimParams {
    /// 100.00, 8 % drift, 25 % volatility, 3 jumps a year of mean −2 % (sd 6 %),
    /// 500 daily bars from 2024-01-01.
    fn default() -> Self {
        Self {
            start_price: 100.0,
            mu: 0.08,
            sigma: 0.25,
            jump_lambda: 3.0,
            jump_mean: -0.02,
            jump_std: 0.06,
            seed: 1,
            interval: Interval::D1,
            bars: 500,
            start_ms: 1_704_067_200_000,
        }
    }
}

fn check_params(p: &SimParams) -> Result<(), MarketError> {
    let bad = |m: String| Err(MarketError::InvalidParam(m));
    if !(p.start_price.is_finite() && p.start_price > 0.0) {
        return bad(format!(
            "start price {} must be finite and > 0",
            p.start_price
        ));
    }
    if !p.mu.is_finite() || p.mu.abs() > 100.0 {
        return bad(format!("drift mu {} must be finite and within ±100", p.mu));
    }
    if !(p.sigma.is_finite() && (0.0..=20.0).contains(&p.sigma)) {
        return bad(format!(
            "volatility sigma {} must be within 0..=20",
            p.sigma
        ));
    }
    if !(p.jump_lambda.is_finite() && (0.0..=10_000.0).contains(&p.jump_lambda)) {
        return bad(format!(
            "jump intensity lambda {} must be within 0..=10000",
            p.jump_lambda
        ));
    }
    if !p.jump_mean.is_finite() || p.jump_mean.abs() > 10.0 {
        return bad(format!(
            "jump mean {} must be finite and within ±10",
            p.jump_mean
        ));
    }
    if !(p.jump_std.is_finite() && (0.0..=10.0).contains(&p.jump_std)) {
        return bad(format!("jump stdev {} must be within 0..=10", p.jump_std));
    }
    if p.bars > MAX_BARS {
        return bad(format!("{} bars requested, at most {MAX_BARS}", p.bars));
    }
    let step = p.interval.nominal_ms();
    let span = i64::try_from(p.bars)
        .ok()
        .and_then(|n| n.checked_mul(step))
        .and_then(|d| p.start_ms.checked_add(d));
    if span.is_none() {
        return bad("start time plus bars overflows the time range".to_string());
    }
    Ok(())
}

/// Brownian-bridge extreme of one sub-step from `a` to `b` with variance `var`:
/// `(a + b ± √((b − a)² − 2·var·ln U)) / 2`.
fn bridge_extreme(a: f64, b: f64, var: f64, u: f64, upper: bool) -> f64 {
    let r = ((b - a) * (b - a) - 2.0 * var * u.ln()).sqrt();
    if upper {
        0.5 * (a + b + r)
    } else {
        0.5 * (a + b - r)
    }
}

/// Simulates `p.bars` bars (see the module docs). Errors on out-of-range parameters or
/// if the price leaves the `f64` range.
pub fn simulate(p: &SimParams) -> Result<Vec<Bar>, MarketError> {
    check_params(p)?;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let step_ms = p.interval.nominal_ms();
    let dt = step_ms as f64 / YEAR_MS;
    let h = dt / SUB_STEPS as f64;
    let drift = (p.mu - 0.5 * p.sigma * p.sigma) * h;
    let sd = p.sigma * h.sqrt();
    let var = sd * sd;
    let poisson = if p.jump_lambda > 0.0 {
        Some(
            Poisson::new(p.jump_lambda * h)
                .map_err(|e| MarketError::InvalidParam(format!("jump intensity: {e}")))?,
        )
    } else {
        None
    };
    let gap_first = matches!(p.interval, Interval::D1 | Interval::W1);
    let median_volume = 1_000_000.0 * step_ms as f64 / DAY_MS as f64;

    let mut x = p.start_price.ln();
    let mut out = Vec::with_capacity(p.bars);
    for i in 0..p.bars {
        let x_prev_close = x;
        let mut x_open = x;
        let mut hi = x;
        let mut lo = x;
        for k in 0..SUB_STEPS {
            let z: f64 = StandardNormal.sample(&mut rng);
            let a = x;
            let b = a + drift + sd * z;
            let u_hi = 1.0 - rng.random::<f64>();
            let u_lo = 1.0 - rng.random::<f64>();
            let mut end = b;
            if let Some(poisson) = &poisson {
                let n: f64 = poisson.sample(&mut rng);
                if n > 0.0 {
                    let zj: f64 = StandardNormal.sample(&mut rng);
                    end += n * p.jump_mean + n.sqrt() * p.jump_std * zj;
                }
            }
            x = end;
            if gap_first && k == 0 {
                x_open = x;
                hi = x;
                lo = x;
                continue;
            }
            hi = hi.max(bridge_extreme(a, b, var, u_hi, true)).max(end);
            lo = lo.min(bridge_extreme(a, b, var, u_lo, false)).min(end);
        }
        let (o, c, hp, lp) = (x_open.exp(), x.exp(), hi.exp(), lo.exp());
        if ![o, c, hp, lp].iter().all(|v| v.is_finite() && *v > 0.0) {
            return Err(MarketError::SimulationOverflow(i));
        }
        // exp is monotone, but guard the invariant against rounding anyway.
        let high = hp.max(o).max(c);
        let low = lp.min(o).min(c);
        let move_z = if sd > 0.0 {
            (x - x_prev_close).abs() / (p.sigma * dt.sqrt())
        } else {
            0.0
        };
        let noise: f64 = StandardNormal.sample(&mut rng);
        let v = (median_volume * (0.4 * noise).exp() * (1.0 + 0.5 * move_z.min(10.0))).round();
        out.push(Bar {
            t: p.start_ms + i as i64 * step_ms,
            o,
            h: high,
            l: low,
            c,
            v,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_bars::check_bar;
    use proptest::prelude::*;

    fn log_returns(start: f64, bars: &[Bar]) -> Vec<f64> {
        let mut prev = start;
        bars.iter()
            .map(|b| {
                let r = (b.c / prev).ln();
                prev = b.c;
                r
            })
            .collect()
    }

    fn mean_sd(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
        (m, var.sqrt())
    }

    #[test]
    fn same_seed_same_bars_bit_for_bit() {
        let p = SimParams::default();
        let a = simulate(&p).expect("sim");
        let b = simulate(&p).expect("sim");
        assert_eq!(a.len(), 500);
        let bits = |bars: &[Bar]| -> Vec<[u64; 5]> {
            bars.iter()
                .map(|x| {
                    [
                        x.o.to_bits(),
                        x.h.to_bits(),
                        x.l.to_bits(),
                        x.c.to_bits(),
                        x.v.to_bits(),
                    ]
                })
                .collect()
        };
        assert_eq!(bits(&a), bits(&b));
        let c = simulate(&SimParams { seed: 2, ..p }).expect("sim");
        assert_ne!(bits(&a), bits(&c));
    }

    #[test]
    fn times_and_open_conventions() {
        let p = SimParams {
            interval: Interval::M5,
            bars: 10,
            start_ms: 1_000_000,
            ..SimParams::default()
        };
        let bars = simulate(&p).expect("sim");
        assert_eq!(bars[0].t, 1_000_000);
        assert_eq!(bars[9].t, 1_000_000 + 9 * 300_000);
        assert_eq!(bars[0].o, 100.0_f64.ln().exp());
        for w in bars.windows(2) {
            assert_eq!(w[1].o, w[0].c, "intraday bars open at the previous close");
        }
        let daily = simulate(&SimParams::default()).expect("sim");
        assert!(daily.windows(2).any(|w| w[1].o != w[0].c), "daily bars gap");
    }

    #[test]
    fn mean_log_return_matches_gbm_drift() {
        let p = SimParams {
            mu: 0.10,
            sigma: 0.20,
            jump_lambda: 0.0,
            bars: 20_000,
            seed: 42,
            ..SimParams::default()
        };
        let bars = simulate(&p).expect("sim");
        let dt: f64 = 1.0 / 365.25;
        let (m, sd) = mean_sd(&log_returns(p.start_price, &bars));
        let expected = (0.10 - 0.5 * 0.04) * dt;
        let se = 0.20 * dt.sqrt() / (20_000f64).sqrt();
        assert!(
            (m - expected).abs() < 4.0 * se,
            "mean {m} vs {expected} (se {se})"
        );
        let expected_sd = 0.20 * dt.sqrt();
        assert!(
            (sd / expected_sd - 1.0).abs() < 0.03,
            "sd {sd} vs {expected_sd}"
        );
    }

    #[test]
    fn jumps_shift_the_mean_by_lambda_times_jump_mean() {
        let p = SimParams {
            mu: 0.05,
            sigma: 0.15,
            jump_lambda: 20.0,
            jump_mean: -0.03,
            jump_std: 0.02,
            bars: 40_000,
            seed: 7,
            ..SimParams::default()
        };
        let bars = simulate(&p).expect("sim");
        let dt: f64 = 1.0 / 365.25;
        let (m, sd) = mean_sd(&log_returns(p.start_price, &bars));
        let expected = (0.05 - 0.5 * 0.15 * 0.15 - 20.0 * 0.03) * dt;
        let se = sd / (40_000f64).sqrt();
        assert!(
            (m - expected).abs() < 4.0 * se,
            "mean {m} vs {expected} (se {se})"
        );
        // Jump variance adds lambda*(m^2+s^2)*dt.
        let var: f64 = (0.15 * 0.15 + 20.0 * (0.03 * 0.03 + 0.02 * 0.02)) * dt;
        assert!(
            (sd / var.sqrt() - 1.0).abs() < 0.05,
            "sd {sd} vs {}",
            var.sqrt()
        );
    }

    #[test]
    fn rejects_bad_params() {
        let bad = |p: SimParams| simulate(&p).expect_err("invalid");
        let d = SimParams::default();
        assert_eq!(
            bad(SimParams {
                start_price: 0.0,
                ..d.clone()
            })
            .to_string(),
            "invalid simulation parameter: start price 0 must be finite and > 0"
        );
        assert!(matches!(
            bad(SimParams {
                sigma: -0.1,
                ..d.clone()
            }),
            MarketError::InvalidParam(_)
        ));
        assert!(matches!(
            bad(SimParams {
                jump_lambda: f64::NAN,
                ..d.clone()
            }),
            MarketError::InvalidParam(_)
        ));
        assert!(matches!(
            bad(SimParams {
                bars: MAX_BARS + 1,
                ..d.clone()
            }),
            MarketError::InvalidParam(_)
        ));
        assert!(matches!(
            bad(SimParams {
                start_ms: i64::MAX - 10,
                ..d
            }),
            MarketError::InvalidParam(_)
        ));
    }

    #[test]
    fn zero_volatility_is_a_straight_line() {
        let p = SimParams {
            mu: 0.0,
            sigma: 0.0,
            jump_lambda: 0.0,
            bars: 5,
            ..SimParams::default()
        };
        for b in simulate(&p).expect("sim") {
            assert!((b.c - 100.0).abs() < 1e-9 && (b.h - b.l).abs() < 1e-9);
        }
    }

    fn interval() -> impl Strategy<Value = Interval> {
        prop::sample::select(Interval::ALL.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn bars_are_valid_for_any_reasonable_params(
            start_price in 0.01f64..100_000.0,
            mu in -1.0f64..1.0,
            sigma in 0.0f64..2.0,
            jump_lambda in 0.0f64..50.0,
            jump_mean in -0.2f64..0.2,
            jump_std in 0.0f64..0.3,
            seed in any::<u64>(),
            interval in interval(),
            bars in 0usize..200,
        ) {
            let p = SimParams { start_price, mu, sigma, jump_lambda, jump_mean, jump_std, seed, interval, bars, start_ms: 0 };
            let out = simulate(&p).expect("sim");
            prop_assert_eq!(out.len(), bars);
            for b in &out {
                prop_assert!(check_bar(b.o, b.h, b.l, b.c, b.v).is_ok(), "{:?}", b);
                prop_assert!(b.l <= b.o.min(b.c) && b.o.max(b.c) <= b.h);
            }
        }
    }
}
