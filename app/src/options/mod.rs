//! The options area's shared model: a strategy as users and scripts describe it (days to
//! expiry, signed quantities), its translation to the pricer, templates, the URL encoding
//! of a shareable strategy, and the analysis the Strategy Lab and the API return.

pub mod analysis;
pub mod spec;
pub mod templates;
pub mod url;

pub use analysis::{analyze, StrategyReport};
pub use spec::{LegKind, LegSpec, MarketSpec, StrategySpec};
