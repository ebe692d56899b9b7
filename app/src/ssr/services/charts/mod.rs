//! Market data, indicators, chart generation and analysis, with plan quotas (spec 004).

pub mod actions;
pub mod analysis;
pub mod history;
pub mod indicators_api;
pub mod llm_analyst;
pub mod market;
pub mod quota;
pub mod rate;
pub mod request;
pub mod templates;
