//! Typed errors. Every fallible entry point returns one of these; no function
//! in the crate reports failure through NaN.

use thiserror::Error;

/// A rejected input value (constructors and request validation).
#[derive(Debug, Clone, PartialEq, Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum InputError {
    /// The named field is NaN or infinite.
    #[error("{0} must be finite")]
    NonFinite(&'static str),
    /// The named field must be strictly positive.
    #[error("{0} must be > 0")]
    NotPositive(&'static str),
    /// The named field must be non-negative.
    #[error("{0} must be >= 0")]
    Negative(&'static str),
    /// A string did not name a known variant.
    #[error("unknown {what}: {value:?}")]
    Unknown {
        /// What was being parsed ("engine", "option kind", ...).
        what: &'static str,
        /// The rejected text.
        value: String,
    },
    /// A structural problem (empty strategy, wrong order of strikes, ...).
    #[error("{0}")]
    Invalid(String),
}

/// Failure of a pricing request.
#[derive(Debug, Clone, PartialEq, Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PricingError {
    /// The inputs were rejected.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The engine cannot price this contract (e.g. `Analytic` for an American option).
    #[error("engine {engine} cannot price {what}")]
    Unsupported {
        /// Engine name.
        engine: &'static str,
        /// What was asked.
        what: &'static str,
    },
    /// A numerical procedure did not produce a finite result.
    #[error("numerical failure: {0}")]
    Numerical(&'static str),
}

/// Failure of an implied-volatility request.
#[derive(Debug, Clone, PartialEq, Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IvError {
    /// The inputs were rejected.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The price is at or below the lower no-arbitrage bound (intrinsic value).
    #[error("price {price} is at or below the lower bound {bound}")]
    BelowIntrinsic {
        /// Given price.
        price: f64,
        /// Lower bound (discounted intrinsic for European, intrinsic for American).
        bound: f64,
    },
    /// The price is at or above the upper no-arbitrage bound.
    #[error("price {price} is at or above the upper bound {bound}")]
    AboveUpperBound {
        /// Given price.
        price: f64,
        /// Upper bound (discounted forward for calls, discounted strike for puts).
        bound: f64,
    },
    /// The root finder did not bracket or converge (American engines only).
    #[error("implied volatility did not converge: {0}")]
    NoConvergence(&'static str),
    /// Pricing inside the solver failed.
    #[error(transparent)]
    Pricing(#[from] PricingError),
}
