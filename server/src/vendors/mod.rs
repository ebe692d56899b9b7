//! Clients of external services: the market-data vendor (adapter of
//! `app::ssr::market_data`) and the LLM analyst's vision models (adapters of
//! `app::ssr::vision`).

pub mod anthropic;
mod llm_http;
pub mod openai;
pub mod polygon;
