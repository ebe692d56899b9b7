//! # pricer — options pricing for Refract
//!
//! Pure Rust, no I/O, no clock, no threads; builds for `wasm32-unknown-unknown`
//! and native. `serde` derives sit behind the `serde` feature.
//!
//! ## Usage
//!
//! ```
//! use pricer::{price, implied_vol, Engine, ExerciseStyle, IvRequest, OptionKind, PricingRequest};
//!
//! let req = PricingRequest {
//!     kind: OptionKind::Put,
//!     style: ExerciseStyle::American,
//!     engine: None, // None = Analytic for European, Best (ALO) for American
//!     spot: 100.0, strike: 100.0, q: 0.0, r: 0.05, t: 1.0, vol: 0.25,
//! };
//! let res = price(&req)?;
//! println!("{:.4} delta {:.4} theta/day {:.4}", res.price, res.greeks.delta, res.greeks.theta_per_day());
//!
//! let vol = implied_vol(&IvRequest {
//!     kind: OptionKind::Put, style: ExerciseStyle::American, engine: Some("baw".parse::<Engine>()?),
//!     spot: 100.0, strike: 100.0, q: 0.0, r: 0.05, t: 1.0, price: 6.5,
//! })?;
//! assert!(vol > 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Strategies: `strategy::templates::iron_condor(85., 95., 105., 115., 0.5)?`,
//! then `strategy::analysis::analyze(&st, &market, None, seed)` for net debit,
//! breakevens, max profit/loss, probability of profit, expected move and
//! Greeks, and `strategy::grid::pnl_grid` for the heat map.
//!
//! ## Conventions
//!
//! * Rates `r` and dividend yield `q` are continuously compounded; time is in
//!   years (ACT/365 is the caller's choice).
//! * Greeks are raw derivatives: `theta` = dV/dt with calendar time passing
//!   (= -∂V/∂T) **per year**; `vega`, `rho`, `dividend_rho` per **1.00** change
//!   of σ, r, q. Use [`Greeks::theta_per_day`] (÷365) and
//!   [`Greeks::vega_per_pct`] (÷100). `charm` = dΔ/dt (calendar), `vanna` =
//!   ∂²V/∂S∂σ, `volga` = ∂²V/∂σ², `speed` = ∂³V/∂S³.
//! * Black-76 ([`black::black76_price`], [`greeks::black76_greeks`]): Greeks
//!   with respect to the forward; rho holds the forward fixed (= -T·V).
//! * Strategy quantities: option legs in contracts × multiplier (default 100),
//!   stock legs in shares (multiplier 1). Net debit > 0 means cash paid.
//!
//! ## Engines
//!
//! | [`Engine`] | European | American |
//! |---|---|---|
//! | `Analytic` | closed-form BSM | error (`Unsupported`) |
//! | `Baw` | error | Barone-Adesi & Whaley 1987 |
//! | `Bs1993` / `Bs2002` | error | Bjerksund & Stensland 1993 / 2002 |
//! | `Tree { steps }` | Leisen-Reimer tree | Leisen-Reimer tree |
//! | `Best` (default) | closed-form BSM | Andersen-Lake-Offengenden collocation |
//!
//! `Best` for American options is ALO (QD+ initial boundary by Halley,
//! one Jacobi-Newton sweep then Anderson-mixed FP-A sweeps — FP-B for low
//! volatility, high carry and long maturity — stopped by an error estimate;
//! Chebyshev boundary in √τ, Gauss-Legendre quadrature; scheme
//! `AloScheme::BEST` = 10 collocation intervals, 8-point integrals,
//! at most 12 sweeps (2-3 on ordinary inputs), 32-point premium integral;
//! no allocation per call). American calls use
//! `C(S,K,r,q) = P(K,S,q,r)`; with `q <= 0` they equal the European price.
//! American Greeks are central finite differences of the engine price
//! ([`american::fd_greeks`]).
//!
//! ## Accuracy (all tested, see `tests/`)
//!
//! * Φ: Cody's erfc/erfcx rational approximations, asymptotic series below -10;
//!   ~1e-16 relative for |z| < 3, ~ε·z² relative for -10 < z < -3 (the rounding
//!   of z/√2), full precision again below -10 down to the subnormal range.
//! * European prices go through Jäckel's normalised Black function by region,
//!   so out-of-the-money values keep relative precision (max error/condition
//!   number 2.9e-16 against 60-digit mpmath values).
//! * Vectorised loops (chain, P/L grid, ALO integrands) use inlined,
//!   branch-free `exp`/`ln` kernels (fdlibm's, within an ulp of `std`,
//!   tested); scalar latency-bound paths (Greeks, implied vol) use `std`'s,
//!   whose table-based kernels have shorter dependency chains. Normal tails
//!   are `½·erfcx(|x|/√2)·e^{-x²/2}` sharing one exponential (Cody's
//!   rationals, 2.4e-16; a branch-free degree-17 polynomial, 1.4e-15, in the
//!   vectorised loops).
//! * Implied volatility: Jäckel's "Let's Be Rational" — four-branch rational
//!   initial guess (branch points in closed form or from fits in s_c, no
//!   Black evaluations) plus at most two Householder(3) steps (one when the
//!   first moves s by less than 2e-5 relative), no iteration loop to tune. Round trips over 13 948 grid points (1 hour..30 years, vol
//!   0.1%..1000%, ±3 sd) satisfy `|σ̂-σ| <= 4ε·σ + 8ε·(P + K|∂P/∂K|)/vega`,
//!   i.e. the error an ulp of price or strike would cause anyway.
//!   Prices outside (intrinsic, upper bound) return [`IvError`].
//! * American `Best`: within 1.2e-5 of QuantLib 1.44's ALO
//!   `highPrecisionScheme` on 360 options, and within 1e-4 of a converged
//!   ALO on a 13 824-option grid with T <= 3 years (1.6e-4 at worst with
//!   T = 5 years, σ = 10%, r = 10%; `examples/alo_accuracy.rs`); ALO's
//!   published high-precision premium reproduced to 2e-7 (scheme `HIGH`) /
//!   1e-5 (`BEST`).
//! * Monte Carlo: xoshiro256++ and AS241 normals with portable `ln`/`exp`, so a
//!   seed gives the same bits natively and in wasm ([`mc_fingerprint`]).
//!
//! ## Fast paths
//!
//! * [`greeks::bsm_price_greeks5`]: price, delta, gamma, theta, vega, rho of
//!   one option from one shared evaluation (d₁/d₂, discount factors, φ and
//!   both Φ computed once; price by the direct formula, absolute accuracy).
//!   [`greeks::bsm_greeks`] shares the same core for all ten Greeks and
//!   keeps the full-relative-precision price.
//! * [`chain::price_chain`] prices a structure-of-arrays chain (price, delta,
//!   gamma, theta, vega, rho) in one branch-free loop that the compiler
//!   vectorises.
//! * `strategy::grid::fill_pnl_grid` uses the same kernel per (leg, date) row.
#![cfg_attr(test, allow(clippy::unwrap_used))]
// `!(x > 0.0)` is used on purpose: it is also true for NaN, which must be
// rejected by the same branch.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
#![warn(missing_docs)]

pub mod american;
pub mod api;
pub mod black;
pub mod chain;
pub mod error;
mod gl_tables;
pub mod greeks;
pub mod iv;
pub mod mc;
pub mod normal;
pub mod solver;
pub mod strategy;

pub use api::{
    implied_vol, price, Engine, ExerciseStyle, IvRequest, Market, OptionTerms, PricingRequest,
};
pub use black::OptionKind;
pub use error::{InputError, IvError, PricingError};
pub use greeks::{bsm_price_greeks5, Greeks, PriceGreeks5, PriceResult};
pub use mc::mc_fingerprint;
