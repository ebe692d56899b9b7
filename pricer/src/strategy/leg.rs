//! Strategy legs.
//!
//! Quantity conventions: option legs count *contracts* (signed: positive is
//! long, negative is short) with a contract multiplier (default 100 shares
//! per contract); stock legs count *shares* with multiplier 1. A leg's cash
//! value is `quantity × multiplier × unit price`.

use crate::api::{engine_price, Engine, ExerciseStyle, Market};
use crate::black::OptionKind;
use crate::greeks::{bsm_greeks, Greeks};

/// Default contract multiplier for option legs.
pub const DEFAULT_MULTIPLIER: f64 = 100.0;

/// What a leg holds.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Instrument {
    /// A vanilla option.
    Option {
        /// Call or put.
        kind: OptionKind,
        /// European or American.
        style: ExerciseStyle,
        /// Strike.
        strike: f64,
        /// Expiry in years from the valuation date.
        expiry: f64,
    },
    /// The underlying itself.
    Stock,
}

/// One position of a strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Leg {
    /// The instrument.
    pub instrument: Instrument,
    /// Signed quantity: contracts for options, shares for stock.
    pub quantity: f64,
    /// Contract multiplier (100 for options by default, 1 for stock).
    pub multiplier: f64,
    /// Per-leg volatility; `None` uses the market's flat vol.
    pub vol: Option<f64>,
    /// Entry price per unit (per share for options); `None` = theoretical at valuation.
    pub entry_price: Option<f64>,
}

impl Leg {
    /// An option leg (European, multiplier 100).
    pub fn option(kind: OptionKind, quantity: f64, strike: f64, expiry: f64) -> Leg {
        Leg {
            instrument: Instrument::Option {
                kind,
                style: ExerciseStyle::European,
                strike,
                expiry,
            },
            quantity,
            multiplier: DEFAULT_MULTIPLIER,
            vol: None,
            entry_price: None,
        }
    }
    /// A call leg.
    pub fn call(quantity: f64, strike: f64, expiry: f64) -> Leg {
        Leg::option(OptionKind::Call, quantity, strike, expiry)
    }
    /// A put leg.
    pub fn put(quantity: f64, strike: f64, expiry: f64) -> Leg {
        Leg::option(OptionKind::Put, quantity, strike, expiry)
    }
    /// A stock leg of `shares` shares (signed).
    pub fn stock(shares: f64) -> Leg {
        Leg {
            instrument: Instrument::Stock,
            quantity: shares,
            multiplier: 1.0,
            vol: None,
            entry_price: None,
        }
    }
    /// Same leg with American exercise.
    pub fn american(mut self) -> Leg {
        if let Instrument::Option { ref mut style, .. } = self.instrument {
            *style = ExerciseStyle::American;
        }
        self
    }
    /// Same leg with its own volatility.
    pub fn with_vol(mut self, vol: f64) -> Leg {
        self.vol = Some(vol);
        self
    }
    /// Same leg with a traded entry price (per unit).
    pub fn with_entry(mut self, price: f64) -> Leg {
        self.entry_price = Some(price);
        self
    }
    /// Same leg with another multiplier.
    pub fn with_multiplier(mut self, m: f64) -> Leg {
        self.multiplier = m;
        self
    }
    /// Expiry for options, `None` for stock.
    pub fn expiry(&self) -> Option<f64> {
        match self.instrument {
            Instrument::Option { expiry, .. } => Some(expiry),
            Instrument::Stock => None,
        }
    }
    /// Position size in units: quantity × multiplier.
    #[inline]
    pub fn units(&self) -> f64 {
        self.quantity * self.multiplier
    }
    /// Volatility used for this leg.
    #[inline]
    pub fn vol_or(&self, flat: f64) -> f64 {
        self.vol.unwrap_or(flat)
    }
    /// Unit value at spot `s` after `elapsed` years (American legs: Best engine).
    pub fn unit_value(&self, m: &Market, s: f64, elapsed: f64) -> f64 {
        match self.instrument {
            Instrument::Stock => s,
            Instrument::Option {
                kind,
                style,
                strike,
                expiry,
            } => {
                let rem = expiry - elapsed;
                if rem <= 0.0 {
                    return (kind.sign() * (s - strike)).max(0.0);
                }
                engine_price(
                    kind,
                    style,
                    Engine::Best,
                    s,
                    strike,
                    m.rate,
                    m.dividend_yield,
                    rem,
                    self.vol_or(m.vol),
                )
            }
        }
    }
    /// Unit Greeks at valuation (American legs by finite differences).
    pub fn unit_greeks(&self, m: &Market) -> Greeks {
        match self.instrument {
            Instrument::Stock => Greeks {
                delta: 1.0,
                ..Greeks::default()
            },
            Instrument::Option {
                kind,
                style,
                strike,
                expiry,
            } => {
                let vol = self.vol_or(m.vol);
                match style {
                    ExerciseStyle::European => {
                        bsm_greeks(kind, m.spot, strike, m.rate, m.dividend_yield, expiry, vol)
                            .greeks
                    }
                    ExerciseStyle::American => {
                        let req = crate::api::PricingRequest {
                            kind,
                            style,
                            engine: None,
                            spot: m.spot,
                            strike,
                            q: m.dividend_yield,
                            r: m.rate,
                            t: expiry,
                            vol,
                        };
                        crate::api::price(&req)
                            .map(|p| p.greeks)
                            .unwrap_or_default()
                    }
                }
            }
        }
    }
}
