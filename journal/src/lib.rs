//! Trading-journal maths, free of I/O so it runs in the browser and on the server alike:
//!
//! - [`model`]: executions (broker fills), the source of truth;
//! - [`import`]: broker CSV formats, detected and parsed into executions;
//! - [`matching`]: FIFO round trips per account and contract, multi-leg option positions;
//! - [`analytics`]: summary metrics, equity curve, calendar and breakdowns.
//!
//! Money is `rust_decimal::Decimal` throughout; times are UTC, converted from the statement
//! timezone at import.

pub mod analytics;
/// Attachments checked by content, with thumbnails (feature `attachments`: server only).
#[cfg(feature = "attachments")]
pub mod attachment;
pub mod excursion;
pub mod import;
pub mod matching;
pub mod model;

pub use model::{Effect, Execution, Instrument, OptionTerms, Right, Side};
