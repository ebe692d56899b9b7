//! Polygon.io aggregates (`GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}`),
//! authenticated with the `apiKey` query parameter. The wire format is decoded by
//! `market::decode_polygon_aggs`; this is only the HTTP around it.

use app::ssr::market_data::MarketData;
use async_trait::async_trait;
use chrono::NaiveDate;
use indicators::Bar;
use market::{Interval, VendorError};
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://api.polygon.io";

pub struct Polygon {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl Polygon {
    pub fn new(base: &str, key: &str) -> Result<Self, reqwest::Error> {
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .user_agent(concat!("refract/", env!("CARGO_PKG_VERSION")))
                .build()?,
            base: base.trim_end_matches('/').to_string(),
            key: key.to_string(),
        })
    }
}

#[async_trait]
impl MarketData for Polygon {
    fn name(&self) -> &'static str {
        "polygon"
    }

    async fn bars(
        &self,
        symbol: &str,
        interval: Interval,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Bar>, VendorError> {
        let path = market::polygon_aggs_path(symbol, interval, from, to)?;
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .query(&[("apiKey", self.key.as_str())])
            .send()
            .await
            .map_err(|e| VendorError::Upstream(format!("request failed: {}", e.without_url())))?;
        let status = resp.status();
        let body = resp.text().await.map_err(|e| {
            VendorError::Upstream(format!("reading the answer: {}", e.without_url()))
        })?;
        match status.as_u16() {
            401 | 403 => Err(VendorError::Auth(format!("HTTP {status}"))),
            429 => Err(VendorError::RateLimited(format!("HTTP {status}"))),
            // Error bodies are JSON with a status and message: the decoder words them.
            _ => market::decode_polygon_aggs(&body, interval),
        }
    }
}
