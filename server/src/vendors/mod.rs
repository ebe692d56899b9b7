//! Clients of external market-data vendors (adapters of `app::ssr::market_data`).

pub mod polygon;
