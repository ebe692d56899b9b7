//! The market-data vendor port. The server's adapter is a real HTTP client (Polygon.io
//! aggregates), configured by API key; with no key there is no vendor and the built-in
//! data, imports and the simulator still work.

use async_trait::async_trait;
use chrono::NaiveDate;
use indicators::Bar;
use market::{Interval, VendorError};

#[async_trait]
pub trait MarketData: Send + Sync + 'static {
    /// "polygon", stored as the bars' source.
    fn name(&self) -> &'static str;
    /// Bars of `symbol` from `from` to `to` (dates inclusive), oldest first.
    async fn bars(
        &self,
        symbol: &str,
        interval: Interval,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Bar>, VendorError>;
}
