//! Everything the Strategy Lab shows and `POST /api/v1/pricing/strategy` returns, computed
//! by the pricer in one call (in the browser: no server round trip).

use super::spec::{StrategySpec, DAYS_PER_YEAR};
use crate::error::AppError;
use pricer::strategy::analysis::{analyze as analyse_strategy, Extremum};
use pricer::strategy::grid::fill_pnl_grid;
use pricer::Greeks;
use serde::{Deserialize, Serialize};

/// Greeks in trader units: delta in shares, theta per day, vega and rho per 1%.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GreeksView {
    pub delta: f64,
    pub gamma: f64,
    pub theta_per_day: f64,
    pub vega_per_pct: f64,
    pub rho_per_pct: f64,
}

impl From<&Greeks> for GreeksView {
    fn from(g: &Greeks) -> Self {
        GreeksView {
            delta: g.delta,
            gamma: g.gamma,
            theta_per_day: g.theta / 365.0,
            vega_per_pct: g.vega / 100.0,
            rho_per_pct: g.rho / 100.0,
        }
    }
}

/// A finite extreme with the price where it occurs, or unlimited (`value` null).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Extreme {
    pub value: Option<f64>,
    pub at: Option<f64>,
    pub unlimited: bool,
}

impl From<Extremum> for Extreme {
    fn from(e: Extremum) -> Self {
        match e {
            Extremum::Finite { value, at } => Extreme {
                value: Some(value),
                at: Some(at),
                unlimited: false,
            },
            Extremum::Unlimited => Extreme {
                value: None,
                at: None,
                unlimited: true,
            },
        }
    }
}

/// P/L over price (columns) × days from now (rows), row-major.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Grid {
    pub prices: Vec<f64>,
    pub days: Vec<f64>,
    pub values: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StrategyReport {
    /// Premium paid (> 0) or received (< 0) to open, in cash.
    pub net_debit: f64,
    /// Entry price per share of each leg (given, or theoretical today).
    pub entry_prices: Vec<f64>,
    pub breakevens: Vec<f64>,
    pub max_profit: Extreme,
    pub max_loss: Extreme,
    pub probability_of_profit: f64,
    /// One standard deviation of the price at the first expiry, in price units.
    pub expected_move: f64,
    pub one_sigma_range: [f64; 2],
    /// Days to the first expiry.
    pub first_expiry_days: f64,
    pub leg_greeks: Vec<GreeksView>,
    pub total_greeks: GreeksView,
    /// The P/L curve at expiry and at the evaluation date, over `curve_prices`.
    pub curve_prices: Vec<f64>,
    pub expiry_pnl: Vec<f64>,
    pub eval_pnl: Vec<f64>,
    pub eval_days: f64,
    pub grid: Grid,
}

#[derive(Clone, Copy, Debug)]
pub struct Resolution {
    pub curve_points: usize,
    pub grid_prices: usize,
    pub grid_dates: usize,
    pub seed: u64,
}

impl Default for Resolution {
    fn default() -> Self {
        Self {
            curve_points: 121,
            grid_prices: 60,
            grid_dates: 20,
            seed: 7,
        }
    }
}

/// Price axis: ±3.5 standard deviations to the first expiry, widened to show every strike.
fn price_axis(spec: &StrategySpec, t0: f64, n: usize) -> Vec<f64> {
    let m = &spec.market;
    let sd = m.vol * t0.max(1.0 / DAYS_PER_YEAR).sqrt();
    let strikes = spec.legs.iter().filter_map(|l| l.strike);
    let (kmin, kmax) = strikes.fold((m.spot, m.spot), |(a, b), k| (a.min(k), b.max(k)));
    let lo = (m.spot * (-3.5 * sd).exp()).min(kmin * 0.9).max(0.0);
    let hi = (m.spot * (3.5 * sd).exp()).max(kmax * 1.1);
    let n = n.max(2);
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The P/L over `prices` after `days` from now: the Strategy Lab's evaluation-date line,
/// recomputed alone while the date slider moves.
pub fn curve_at(spec: &StrategySpec, prices: &[f64], days: f64) -> Result<Vec<f64>, AppError> {
    let (strategy, market) = spec.to_pricer()?;
    let entries = pricer::strategy::analysis::entry_prices(&strategy, &market);
    let t0 = strategy.first_expiry().unwrap_or(0.0);
    let t = (days / DAYS_PER_YEAR).clamp(0.0, t0);
    let mut out = vec![0.0; prices.len()];
    fill_pnl_grid(&strategy, &market, &entries, prices, &[t], &mut out)
        .map_err(|e| AppError::invalid("legs", e.to_string()))?;
    Ok(out)
}

pub fn analyze(spec: &StrategySpec, res: Resolution) -> Result<StrategyReport, AppError> {
    let (strategy, market) = spec.to_pricer()?;
    let t0 = strategy.first_expiry().unwrap_or(0.0);
    let t0_days = t0 * DAYS_PER_YEAR;
    let eval_days = spec.eval_days.clamp(0.0, t0_days);
    if !spec.eval_days.is_finite() || spec.eval_days < 0.0 {
        return Err(AppError::invalid(
            "eval_days",
            "eval_days must be 0 or more",
        ));
    }
    let a = analyse_strategy(&strategy, &market, spec.drift, res.seed)
        .map_err(|e| AppError::invalid("legs", e.to_string()))?;

    let curve_prices = price_axis(spec, t0, res.curve_points);
    let times = [eval_days / DAYS_PER_YEAR, t0];
    let mut both = vec![0.0; curve_prices.len() * 2];
    fill_pnl_grid(
        &strategy,
        &market,
        &a.entry_prices,
        &curve_prices,
        &times,
        &mut both,
    )
    .map_err(|e| AppError::invalid("legs", e.to_string()))?;
    let (eval_pnl, expiry_pnl) = both.split_at(curve_prices.len());

    let grid_prices = price_axis(spec, t0, res.grid_prices);
    let nd = res.grid_dates.max(1);
    let grid_days: Vec<f64> = (0..nd)
        .map(|d| {
            if nd == 1 {
                0.0
            } else {
                t0_days * d as f64 / (nd - 1) as f64
            }
        })
        .collect();
    let grid_times: Vec<f64> = grid_days.iter().map(|d| d / DAYS_PER_YEAR).collect();
    let mut values = vec![0.0; grid_prices.len() * nd];
    fill_pnl_grid(
        &strategy,
        &market,
        &a.entry_prices,
        &grid_prices,
        &grid_times,
        &mut values,
    )
    .map_err(|e| AppError::invalid("legs", e.to_string()))?;

    Ok(StrategyReport {
        net_debit: a.net_debit,
        entry_prices: a.entry_prices,
        breakevens: a.breakevens,
        max_profit: a.max_profit.into(),
        max_loss: a.max_loss.into(),
        probability_of_profit: a.probability_of_profit,
        expected_move: a.expected_move,
        one_sigma_range: [a.one_sigma_range.0, a.one_sigma_range.1],
        first_expiry_days: t0_days,
        leg_greeks: a.leg_greeks.iter().map(GreeksView::from).collect(),
        total_greeks: (&a.total_greeks).into(),
        curve_prices,
        expiry_pnl: expiry_pnl.to_vec(),
        eval_pnl: eval_pnl.to_vec(),
        eval_days,
        grid: Grid {
            prices: grid_prices,
            days: grid_days,
            values,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::spec::{LegKind, LegSpec, MarketSpec, Style};

    fn leg(kind: LegKind, q: f64, k: f64) -> LegSpec {
        LegSpec {
            kind,
            quantity: q,
            strike: Some(k),
            days: Some(30.0),
            style: Style::European,
            vol: None,
            entry_price: None,
            multiplier: None,
        }
    }

    /// A bull call spread with given entry prices has closed-form answers.
    #[test]
    fn bull_call_spread_matches_the_closed_form() {
        let mut long = leg(LegKind::Call, 1.0, 100.0);
        long.entry_price = Some(3.0);
        let mut short = leg(LegKind::Call, -1.0, 110.0);
        short.entry_price = Some(1.0);
        let spec = StrategySpec {
            name: String::new(),
            market: MarketSpec {
                spot: 100.0,
                r: 0.0,
                q: 0.0,
                vol: 0.2,
            },
            legs: vec![long, short],
            eval_days: 10.0,
            drift: None,
        };
        let r = analyze(&spec, Resolution::default()).unwrap();
        assert!((r.net_debit - 200.0).abs() < 1e-9, "{}", r.net_debit);
        assert_eq!(r.breakevens.len(), 1);
        assert!((r.breakevens[0] - 102.0).abs() < 1e-8, "{:?}", r.breakevens);
        assert!((r.max_profit.value.unwrap() - 800.0).abs() < 1e-8);
        assert!((r.max_loss.value.unwrap() + 200.0).abs() < 1e-8);
        assert!(!r.max_profit.unlimited);
        // expiry curve is the payoff: at the highest price it is max profit
        assert!((r.expiry_pnl.last().unwrap() - 800.0).abs() < 1e-8);
        assert_eq!(r.grid.values.len(), r.grid.prices.len() * r.grid.days.len());
        assert_eq!(r.first_expiry_days, 30.0);
        assert!(r.probability_of_profit > 0.0 && r.probability_of_profit < 1.0);
        assert_eq!(r.eval_days, 10.0);
        let alone = curve_at(&spec, &r.curve_prices, 10.0).unwrap();
        assert_eq!(
            alone, r.eval_pnl,
            "the slider's curve equals the full analysis"
        );
    }

    #[test]
    fn a_long_call_has_unlimited_profit() {
        let spec = StrategySpec {
            name: String::new(),
            market: MarketSpec {
                spot: 100.0,
                r: 0.03,
                q: 0.0,
                vol: 0.3,
            },
            legs: vec![leg(LegKind::Call, 1.0, 100.0)],
            eval_days: 0.0,
            drift: None,
        };
        let r = analyze(&spec, Resolution::default()).unwrap();
        assert!(r.max_profit.unlimited && r.max_profit.value.is_none());
        // today's curve sits above the expiry curve for a long call (time value)
        let mid = r.curve_prices.len() / 2;
        assert!(r.eval_pnl[mid] > r.expiry_pnl[mid]);
    }
}
