//! Strategy templates for the Strategy Lab: the pricer's templates, given strikes that
//! sit on a sensible grid around the spot.

use super::spec::LegSpec;
use pricer::strategy::templates as t;
use pricer::strategy::Strategy;
use pricer::OptionKind;

pub struct Template {
    pub id: &'static str,
    pub label: &'static str,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        id: "long_call",
        label: "Long call",
    },
    Template {
        id: "short_call",
        label: "Short call",
    },
    Template {
        id: "long_put",
        label: "Long put",
    },
    Template {
        id: "short_put",
        label: "Short put",
    },
    Template {
        id: "covered_call",
        label: "Covered call",
    },
    Template {
        id: "protective_put",
        label: "Protective put",
    },
    Template {
        id: "cash_secured_put",
        label: "Cash-secured put",
    },
    Template {
        id: "bull_call_spread",
        label: "Bull call spread",
    },
    Template {
        id: "bear_call_spread",
        label: "Bear call spread",
    },
    Template {
        id: "bull_put_spread",
        label: "Bull put spread",
    },
    Template {
        id: "bear_put_spread",
        label: "Bear put spread",
    },
    Template {
        id: "long_straddle",
        label: "Long straddle",
    },
    Template {
        id: "short_straddle",
        label: "Short straddle",
    },
    Template {
        id: "long_strangle",
        label: "Long strangle",
    },
    Template {
        id: "short_strangle",
        label: "Short strangle",
    },
    Template {
        id: "iron_condor",
        label: "Iron condor",
    },
    Template {
        id: "iron_butterfly",
        label: "Iron butterfly",
    },
    Template {
        id: "call_butterfly",
        label: "Call butterfly",
    },
    Template {
        id: "put_butterfly",
        label: "Put butterfly",
    },
    Template {
        id: "calendar",
        label: "Calendar (calls)",
    },
    Template {
        id: "diagonal",
        label: "Diagonal (calls)",
    },
    Template {
        id: "collar",
        label: "Collar",
    },
    Template {
        id: "call_ratio_spread",
        label: "Call ratio spread 1×2",
    },
    Template {
        id: "put_ratio_spread",
        label: "Put ratio spread 1×2",
    },
];

/// Strike spacing that listed options use at this price level.
pub fn strike_step(spot: f64) -> f64 {
    match spot {
        s if s < 25.0 => 0.5,
        s if s < 100.0 => 1.0,
        s if s < 250.0 => 2.5,
        s if s < 1000.0 => 5.0,
        _ => 10.0,
    }
}

fn on_grid(x: f64, step: f64) -> f64 {
    ((x / step).round() * step).max(step)
}

/// The legs of template `id` around `spot`, expiring in `days` (calendars and diagonals
/// put the far leg at twice that). None for an unknown id.
pub fn build(id: &str, spot: f64, days: f64) -> Option<Vec<LegSpec>> {
    let step = strike_step(spot);
    let atm = on_grid(spot, step);
    // about 5% of spot, at least one strike step
    let w = on_grid(spot * 0.05, step).max(step);
    let y = days / super::spec::DAYS_PER_YEAR;
    let st: Strategy = match id {
        "long_call" => t::long_call(atm, y),
        "short_call" => t::short_call(atm, y),
        "long_put" => t::long_put(atm, y),
        "short_put" => t::short_put(atm, y),
        "covered_call" => t::covered_call(atm + w, y),
        "protective_put" => t::protective_put(atm - w, y),
        "cash_secured_put" => t::cash_secured_put(atm - w, y),
        "bull_call_spread" => t::bull_call_spread(atm, atm + w, y).ok()?,
        "bear_call_spread" => t::bear_call_spread(atm, atm + w, y).ok()?,
        "bull_put_spread" => t::bull_put_spread(atm - w, atm, y).ok()?,
        "bear_put_spread" => t::bear_put_spread(atm - w, atm, y).ok()?,
        "long_straddle" => t::straddle(atm, y, 1.0),
        "short_straddle" => t::straddle(atm, y, -1.0),
        "long_strangle" => t::strangle(atm - w, atm + w, y, 1.0).ok()?,
        "short_strangle" => t::strangle(atm - w, atm + w, y, -1.0).ok()?,
        "iron_condor" => t::iron_condor(atm - 2.0 * w, atm - w, atm + w, atm + 2.0 * w, y).ok()?,
        "iron_butterfly" => t::iron_butterfly(atm - w, atm, atm + w, y).ok()?,
        "call_butterfly" => t::call_butterfly(atm - w, atm, atm + w, y).ok()?,
        "put_butterfly" => t::put_butterfly(atm - w, atm, atm + w, y).ok()?,
        "calendar" => t::calendar(OptionKind::Call, atm, y, 2.0 * y).ok()?,
        "diagonal" => t::diagonal(OptionKind::Call, atm + w, y, atm, 2.0 * y).ok()?,
        "collar" => t::collar(atm - w, atm + w, y).ok()?,
        "call_ratio_spread" => t::call_ratio_spread(atm, atm + w, y, 2.0).ok()?,
        "put_ratio_spread" => t::put_ratio_spread(atm - w, atm, y, 2.0).ok()?,
        _ => return None,
    };
    Some(st.legs.iter().map(LegSpec::from_leg).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::spec::LegKind;

    #[test]
    fn every_template_builds_and_prices() {
        for tpl in TEMPLATES {
            let legs = build(tpl.id, 187.3, 30.0).unwrap_or_else(|| panic!("{}", tpl.id));
            assert!(!legs.is_empty(), "{}", tpl.id);
            let spec = crate::options::StrategySpec {
                name: tpl.label.into(),
                market: crate::options::MarketSpec {
                    spot: 187.3,
                    r: 0.04,
                    q: 0.0,
                    vol: 0.3,
                },
                legs,
                eval_days: 0.0,
                drift: None,
            };
            spec.to_pricer()
                .unwrap_or_else(|e| panic!("{}: {}", tpl.id, e.message));
        }
        assert!(build("nonsense", 100.0, 30.0).is_none());
    }

    #[test]
    fn strikes_sit_on_the_listed_grid() {
        assert_eq!(strike_step(187.3), 2.5);
        let legs = build("iron_condor", 187.3, 30.0).unwrap();
        let strikes: Vec<f64> = legs.iter().filter_map(|l| l.strike).collect();
        assert_eq!(strikes, vec![167.5, 177.5, 197.5, 207.5]);
        let cc = build("covered_call", 50.0, 30.0).unwrap();
        assert_eq!(cc[0].kind, LegKind::Stock);
        assert_eq!(cc[0].quantity, 100.0);
    }
}
