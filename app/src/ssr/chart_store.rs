//! The charts' part of the storage port: market bars, generated charts, their analyses,
//! chart templates and the monthly usage counters behind plan quotas. Every method that
//! touches workspace data takes the workspace id.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use indicators::Bar;
use uuid::Uuid;

use super::store::StoreResult;

/// Where a series of bars is stored and what it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct SymbolRow {
    pub symbol: String,
    pub timeframe: String,
    /// sample, import, polygon, alphavantage or simulated.
    pub source: String,
    /// True for the built-in data every workspace reads.
    pub shared: bool,
    pub bars: i64,
    pub first_t: i64,
    pub last_t: i64,
}

/// Bars read for one symbol and timeframe, with where they came from.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BarSeries {
    pub bars: Vec<Bar>,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChartRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Option<Uuid>,
    pub symbol: String,
    pub timeframe: String,
    /// The JSON of the chart request, so a chart can be regenerated or saved as a template.
    pub spec: String,
    pub format: String,
    pub width: i64,
    pub height: i64,
    pub status: String,
    pub storage_key: String,
    pub size_bytes: i64,
    pub bar_count: i64,
    pub data_source: String,
    pub render_ms: i64,
    pub created_at: DateTime<Utc>,
    /// Analyses of this chart (read only: filled by queries, ignored by inserts).
    pub analyses: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub chart_id: Uuid,
    pub user_id: Option<Uuid>,
    pub model: String,
    pub prompt: String,
    /// The JSON of the analysis as the API returns it.
    pub result: String,
    /// Why a fallback happened, for example; empty otherwise.
    pub note: String,
    pub processing_ms: i64,
    /// Tokens the LLM analyst used (both attempts when it asked twice).
    pub tokens_used: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TemplateRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub spec: String,
    pub created_at: DateTime<Utc>,
}

/// Filter of the chart history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartQuery {
    pub user_id: Option<Uuid>,
    pub symbol: Option<String>,
    pub status: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

#[async_trait]
pub trait ChartStore: Send + Sync {
    // --- bars ---------------------------------------------------------------------------
    /// Rows of built-in (shared) bars, to load the sample data once.
    async fn shared_bar_count(&self) -> StoreResult<i64>;
    /// Writes bars in one transaction; a workspace's bars replace its own bars at the same
    /// time (re-import corrects data). `workspace_id` None writes shared bars.
    async fn upsert_bars(
        &self,
        workspace_id: Option<Uuid>,
        symbol: &str,
        timeframe: &str,
        source: &str,
        bars: &[Bar],
    ) -> StoreResult<u64>;
    /// Bars with `from <= t < to`, oldest first, at most `limit` (the newest ones). The
    /// workspace's own bars win over the shared ones for the same symbol and timeframe.
    async fn bars(
        &self,
        workspace_id: Uuid,
        symbol: &str,
        timeframe: &str,
        from: i64,
        to: i64,
        limit: i64,
    ) -> StoreResult<BarSeries>;
    /// Every series the workspace can read: its own and the shared ones.
    async fn symbols(&self, workspace_id: Uuid) -> StoreResult<Vec<SymbolRow>>;

    // --- charts -------------------------------------------------------------------------
    async fn insert_chart(&self, row: &ChartRow) -> StoreResult<()>;
    /// A page of charts, newest first, and the total matching the filter.
    async fn charts(&self, workspace_id: Uuid, q: &ChartQuery)
        -> StoreResult<(Vec<ChartRow>, i64)>;
    async fn chart(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<ChartRow>>;
    /// Deletes the chart and its analyses.
    async fn delete_chart(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool>;

    // --- analyses -----------------------------------------------------------------------
    async fn insert_analysis(&self, row: &AnalysisRow) -> StoreResult<()>;
    async fn analyses_of_chart(
        &self,
        workspace_id: Uuid,
        chart_id: Uuid,
    ) -> StoreResult<Vec<AnalysisRow>>;
    async fn analysis(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<AnalysisRow>>;

    // --- templates ----------------------------------------------------------------------
    /// A taken name in the workspace is a `Conflict`.
    async fn insert_template(&self, row: &TemplateRow) -> StoreResult<()>;
    async fn templates(&self, workspace_id: Uuid) -> StoreResult<Vec<TemplateRow>>;
    async fn delete_template(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool>;

    // --- usage --------------------------------------------------------------------------
    /// Counts one use of `kind` in `period` if fewer than `limit` were counted, in one
    /// statement (concurrent requests cannot overshoot). Returns the new count, or None
    /// when the limit was already reached.
    async fn consume(
        &self,
        workspace_id: Uuid,
        period: &str,
        kind: &str,
        limit: i64,
    ) -> StoreResult<Option<i64>>;
    /// Gives back one use (the work it paid for failed).
    async fn refund(&self, workspace_id: Uuid, period: &str, kind: &str) -> StoreResult<()>;
    async fn used(&self, workspace_id: Uuid, period: &str, kind: &str) -> StoreResult<i64>;
}
