//! A strategy in the units people use (days to expiry, vol as a fraction, signed contract
//! counts), validated into the pricer's types with messages that name the field.

use crate::error::AppError;
use pricer::strategy::{Instrument, Leg, Strategy};
use pricer::{ExerciseStyle, Market, OptionKind};
use serde::{Deserialize, Serialize};

pub const DAYS_PER_YEAR: f64 = 365.0;
pub const MAX_LEGS: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LegKind {
    Call,
    Put,
    Stock,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Style {
    #[default]
    European,
    American,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MarketSpec {
    /// Underlying price.
    pub spot: f64,
    /// Risk-free rate, continuously compounded (0.05 = 5%).
    #[serde(default)]
    pub r: f64,
    /// Dividend yield, continuous (0.01 = 1%).
    #[serde(default)]
    pub q: f64,
    /// Flat volatility for legs without their own (0.2 = 20%).
    pub vol: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LegSpec {
    #[serde(rename = "type")]
    pub kind: LegKind,
    /// Signed: positive long, negative short. Contracts for options, shares for stock.
    pub quantity: f64,
    /// Option strike (not for stock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strike: Option<f64>,
    /// Calendar days to expiry (not for stock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<f64>,
    #[serde(default)]
    pub style: Style,
    /// This leg's own volatility; the market's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vol: Option<f64>,
    /// Traded price per share; the theoretical price at valuation when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_price: Option<f64>,
    /// Shares per contract (100 by default for options, 1 for stock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StrategySpec {
    #[serde(default)]
    pub name: String,
    pub market: MarketSpec,
    pub legs: Vec<LegSpec>,
    /// Days from now at which to show the P/L before expiry (0 = today).
    #[serde(default)]
    pub eval_days: f64,
    /// Annual drift for the probability of profit; risk-neutral (r − q) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<f64>,
}

fn bad(field: String, msg: &str) -> AppError {
    AppError::invalid(&field, format!("{field} {msg}"))
}

fn positive(v: f64, field: String) -> Result<f64, AppError> {
    if !v.is_finite() {
        return Err(bad(field, "must be a number"));
    }
    if v <= 0.0 {
        return Err(bad(field, "must be greater than 0"));
    }
    Ok(v)
}

fn finite(v: f64, field: String) -> Result<f64, AppError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(bad(field, "must be a number"))
    }
}

impl MarketSpec {
    pub fn to_market(&self) -> Result<Market, AppError> {
        let spot = positive(self.spot, "market.spot".into())?;
        let vol = positive(self.vol, "market.vol".into())?;
        if vol > 10.0 {
            return Err(bad(
                "market.vol".into(),
                "is a fraction: 0.25 means 25% (at most 10)",
            ));
        }
        let r = finite(self.r, "market.r".into())?;
        let q = finite(self.q, "market.q".into())?;
        if r.abs() > 1.0 || q.abs() > 1.0 {
            return Err(AppError::invalid(
                "market.r",
                "Rates are fractions: 0.05 means 5% (between -1 and 1)",
            ));
        }
        Market::new(spot, r, q, vol).map_err(|e| AppError::invalid("market", e.to_string()))
    }
}

impl LegSpec {
    pub fn to_leg(&self, i: usize) -> Result<Leg, AppError> {
        let f = |name: &str| format!("legs[{i}].{name}");
        let quantity = finite(self.quantity, f("quantity"))?;
        if quantity == 0.0 {
            return Err(bad(f("quantity"), "must not be 0 (negative means short)"));
        }
        let mut leg = match self.kind {
            LegKind::Stock => Leg::stock(quantity),
            LegKind::Call | LegKind::Put => {
                let strike = self
                    .strike
                    .ok_or_else(|| bad(f("strike"), "is required for an option"))?;
                let strike = positive(strike, f("strike"))?;
                let days = self
                    .days
                    .ok_or_else(|| bad(f("days"), "is required for an option"))?;
                let days = finite(days, f("days"))?;
                if days < 0.0 {
                    return Err(bad(f("days"), "must be 0 or more"));
                }
                let kind = if self.kind == LegKind::Call {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                };
                let leg = Leg::option(kind, quantity, strike, days / DAYS_PER_YEAR);
                match self.style {
                    Style::European => leg,
                    Style::American => leg.american(),
                }
            }
        };
        if let Some(v) = self.vol {
            leg = leg.with_vol(positive(v, f("vol"))?);
        }
        if let Some(p) = self.entry_price {
            let p = finite(p, f("entry_price"))?;
            if p < 0.0 {
                return Err(bad(f("entry_price"), "must be 0 or more"));
            }
            leg = leg.with_entry(p);
        }
        if let Some(m) = self.multiplier {
            leg = leg.with_multiplier(positive(m, f("multiplier"))?);
        }
        Ok(leg)
    }

    /// The spec of a pricer leg (for templates).
    pub fn from_leg(leg: &Leg) -> Self {
        let (kind, strike, days, style) = match leg.instrument {
            Instrument::Stock => (LegKind::Stock, None, None, Style::European),
            Instrument::Option {
                kind,
                style,
                strike,
                expiry,
            } => (
                if kind == OptionKind::Call {
                    LegKind::Call
                } else {
                    LegKind::Put
                },
                Some(strike),
                Some((expiry * DAYS_PER_YEAR).round()),
                if style == ExerciseStyle::American {
                    Style::American
                } else {
                    Style::European
                },
            ),
        };
        LegSpec {
            kind,
            quantity: leg.quantity,
            strike,
            days,
            style,
            vol: leg.vol,
            entry_price: leg.entry_price,
            multiplier: None,
        }
    }
}

impl StrategySpec {
    pub fn to_pricer(&self) -> Result<(Strategy, Market), AppError> {
        let market = self.market.to_market()?;
        if self.legs.is_empty() {
            return Err(AppError::invalid("legs", "Add at least one leg"));
        }
        if self.legs.len() > MAX_LEGS {
            return Err(AppError::invalid(
                "legs",
                format!("A strategy has at most {MAX_LEGS} legs"),
            ));
        }
        let legs = self
            .legs
            .iter()
            .enumerate()
            .map(|(i, l)| l.to_leg(i))
            .collect::<Result<Vec<_>, _>>()?;
        let strategy = Strategy {
            name: self.name.clone(),
            legs,
        };
        strategy
            .validate()
            .map_err(|e| AppError::invalid("legs", e.to_string()))?;
        Ok((strategy, market))
    }

    /// Days to the first option expiry (None for stock only).
    pub fn first_expiry_days(&self) -> Option<f64> {
        self.legs
            .iter()
            .filter(|l| l.kind != LegKind::Stock)
            .filter_map(|l| l.days)
            .reduce(f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> StrategySpec {
        StrategySpec {
            name: "bull call".into(),
            market: MarketSpec {
                spot: 100.0,
                r: 0.05,
                q: 0.0,
                vol: 0.2,
            },
            legs: vec![
                LegSpec {
                    kind: LegKind::Call,
                    quantity: 1.0,
                    strike: Some(100.0),
                    days: Some(30.0),
                    style: Style::European,
                    vol: None,
                    entry_price: None,
                    multiplier: None,
                },
                LegSpec {
                    kind: LegKind::Call,
                    quantity: -1.0,
                    strike: Some(110.0),
                    days: Some(30.0),
                    style: Style::European,
                    vol: Some(0.18),
                    entry_price: Some(1.0),
                    multiplier: None,
                },
            ],
            eval_days: 0.0,
            drift: None,
        }
    }

    #[test]
    fn converts_days_and_keeps_leg_details() {
        let (st, m) = spec().to_pricer().unwrap();
        assert_eq!(m.spot, 100.0);
        assert_eq!(st.legs.len(), 2);
        assert_eq!(st.legs[0].expiry(), Some(30.0 / 365.0));
        assert_eq!(st.legs[1].vol, Some(0.18));
        assert_eq!(st.legs[1].entry_price, Some(1.0));
        assert_eq!(st.legs[1].multiplier, 100.0);
        assert_eq!(LegSpec::from_leg(&st.legs[1]).days, Some(30.0));
    }

    #[test]
    fn errors_name_the_field() {
        let mut s = spec();
        s.legs[1].strike = Some(-5.0);
        let e = s.to_pricer().unwrap_err();
        assert_eq!(e.field(), Some("legs[1].strike"));
        assert!(e.message.contains("greater than 0"), "{}", e.message);

        let mut s = spec();
        s.legs[0].days = None;
        assert_eq!(s.to_pricer().unwrap_err().field(), Some("legs[0].days"));

        let mut s = spec();
        s.market.vol = 20.0;
        let e = s.to_pricer().unwrap_err();
        assert!(e.message.contains("0.25 means 25%"), "{}", e.message);

        let mut s = spec();
        s.legs.clear();
        assert_eq!(s.to_pricer().unwrap_err().field(), Some("legs"));

        let mut s = spec();
        s.legs[0].quantity = 0.0;
        assert!(s.to_pricer().is_err());
        let mut s = spec();
        s.market.spot = f64::NAN;
        assert_eq!(s.to_pricer().unwrap_err().field(), Some("market.spot"));
    }

    #[test]
    fn json_shape_is_stable() {
        let v = serde_json::to_value(spec()).unwrap();
        assert_eq!(v["legs"][0]["type"], "call");
        assert_eq!(v["legs"][0]["style"], "european");
        assert!(v["legs"][0].get("vol").is_none());
        let back: StrategySpec = serde_json::from_value(v).unwrap();
        assert_eq!(back, spec());
    }
}
