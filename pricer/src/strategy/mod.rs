//! Option strategies: legs, templates, expiry payoff, P/L before expiry,
//! breakevens, max profit/loss, probability of profit, expected move,
//! aggregated Greeks and a P/L heat-map grid.

pub mod analysis;
pub mod grid;
pub mod leg;
pub mod pop;
pub mod templates;

pub use analysis::{Analysis, Extremum};
pub use leg::{Instrument, Leg};

use crate::api::{check_finite, check_non_negative, check_positive};
use crate::error::InputError;

/// A named set of legs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Strategy {
    /// Display name.
    pub name: String,
    /// Positions.
    pub legs: Vec<Leg>,
}

impl Strategy {
    /// Check every leg: finite quantities, positive strikes and vols,
    /// non-negative expiries, finite entry prices.
    pub fn validate(&self) -> Result<(), InputError> {
        if self.legs.is_empty() {
            return Err(InputError::Invalid("strategy has no legs".into()));
        }
        for leg in &self.legs {
            check_finite(leg.quantity, "quantity")?;
            check_positive(leg.multiplier, "multiplier")?;
            if let Some(v) = leg.vol {
                check_positive(v, "leg vol")?;
            }
            if let Some(p) = leg.entry_price {
                check_non_negative(p, "entry price")?;
            }
            if let Instrument::Option { strike, expiry, .. } = leg.instrument {
                check_positive(strike, "strike")?;
                check_non_negative(expiry, "expiry")?;
            }
        }
        Ok(())
    }

    /// Earliest option expiry (`None` for a stock-only strategy).
    pub fn first_expiry(&self) -> Option<f64> {
        self.legs.iter().filter_map(|l| l.expiry()).reduce(f64::min)
    }

    /// True when every option leg expires at the first expiry (payoff at that
    /// date is then piecewise linear in the spot).
    pub fn single_expiry(&self) -> bool {
        match self.first_expiry() {
            None => true,
            Some(t0) => self.legs.iter().filter_map(|l| l.expiry()).all(|t| t == t0),
        }
    }
}
