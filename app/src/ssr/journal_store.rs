//! The journal's part of the storage port: imports, executions, trades, tags and column
//! mappings. Every method takes the workspace id. Trades are derived from executions; a
//! rebuild upserts them by `trade_key` (the opening fill's dedupe key, or the key of the
//! stored trade it grew out of), so ids, notes, tags and soft deletes survive re-imports.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use journal::Execution;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::store::StoreResult;

#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Option<Uuid>,
    pub filename: String,
    pub format: String,
    pub timezone: String,
    /// running, done, failed or cancelled.
    pub status: String,
    pub total_rows: i64,
    pub executions: i64,
    pub duplicates: i64,
    pub error_count: i64,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExecutionRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Option<Uuid>,
    pub import_id: Option<Uuid>,
    pub dedupe_key: String,
    pub execution: Execution,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TagRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    pub color: String,
    pub created_at: DateTime<Utc>,
}

/// A trade as stored: the derived figures (rewritten by every rebuild) and the trader's
/// own fields (never touched by a rebuild).
#[derive(Clone, Debug, PartialEq)]
pub struct TradeRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Option<Uuid>,
    pub trade_key: String,
    pub account: String,
    pub symbol: String,
    pub instrument: String,
    pub direction: String,
    pub status: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub quantity: Decimal,
    pub multiplier: Decimal,
    pub entry_price: Decimal,
    pub exit_price: Option<Decimal>,
    pub gross_pnl: Decimal,
    pub fees: Decimal,
    pub pnl: Decimal,
    pub pnl_pct: Option<Decimal>,
    /// JSON of `Vec<model::TradeLeg>`.
    pub legs: String,
    pub incomplete: bool,
    pub manual: bool,
    /// Hash of the derived figures above: a rebuild skips trades whose hash is unchanged.
    pub fingerprint: String,
    pub setup: Option<String>,
    pub notes: String,
    pub stop_price: Option<Decimal>,
    pub target_price: Option<Decimal>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Trade filters; every field narrows the set. Dates bound the opening time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TradeQuery {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub symbol: Option<String>,
    pub tag: Option<String>,
    pub setup: Option<String>,
    pub direction: Option<String>,
    pub status: Option<String>,
    pub account: Option<String>,
    /// Soft-deleted trades instead of live ones.
    pub deleted: bool,
}

/// The fields of a closed trade the analytics read (no legs, notes or audit columns: on a
/// hundred thousand trades, decoding those was most of an analytics request's time).
#[derive(Clone, Debug, PartialEq)]
pub struct ClosedRow {
    pub id: Uuid,
    pub symbol: String,
    pub instrument: String,
    pub setup: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    pub pnl: Decimal,
    pub fees: Decimal,
    pub entry_price: Decimal,
    pub stop_price: Option<Decimal>,
    pub quantity: Decimal,
    pub multiplier: Decimal,
}

/// A stored trade as a rebuild first sees it: enough to match it to a rebuilt trade.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredTrade {
    pub id: Uuid,
    pub trade_key: String,
    pub fingerprint: String,
}

/// The journal's version (raised by every write) and the last version at which a write
/// left no changed row behind to find (removed trades, renamed or deleted tags).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct JournalVersion {
    pub version: i64,
    pub reset: i64,
}

/// One import's (or edit's) changes, written in one transaction: new executions, the
/// rebuilt trades whose figures changed, stale trades removed.
pub struct JournalWrite<'a> {
    pub workspace_id: Uuid,
    /// The journal version the change was computed from. When another write has landed
    /// since, nothing is written ([`WriteOutcome::Stale`]) and the caller computes the
    /// change again from what is stored now; so a write never rests on fills it did not
    /// see, and new rows need no conflict handling.
    pub based_on: i64,
    /// New executions (no dedupe key of theirs is stored).
    pub executions: &'a [&'a ExecutionRow],
    /// Executions to remove first (purges).
    pub delete_executions: &'a [Uuid],
    /// Trades no stored trade continues: inserted.
    pub new_trades: &'a [TradeRow],
    /// Stored trades whose derived figures changed: updated by `trade_key` (the trader's
    /// fields stay).
    pub changed_trades: &'a [TradeRow],
    /// Stored trades that grew into another one, as (from, into): their attachments and
    /// tags move to `into`, and their notes, setup, stop and target fill its gaps, before
    /// they are removed with `remove_trades`.
    pub merges: &'a [(Uuid, Uuid)],
    /// Stored trades no rebuilt trade continues.
    pub remove_trades: &'a [Uuid],
    /// The import this write completes, marked done in the same transaction.
    pub import: Option<&'a ImportRow>,
}

/// How a [`JournalWrite`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// `progress` asked to stop: everything was rolled back.
    Cancelled,
    /// Another write landed after `based_on`: nothing was written.
    Stale,
}

/// Reports progress (rows written so far) during a long write; returning false cancels it
/// and rolls everything back.
pub type Progress<'a> = &'a (dyn Fn(usize) -> bool + Send + Sync);

#[async_trait]
pub trait JournalStore: Send + Sync {
    // --- imports ----------------------------------------------------------------------
    async fn create_import(&self, row: &ImportRow) -> StoreResult<()>;
    /// Records the end state of an import that did not commit (failed or cancelled).
    async fn finish_import(&self, row: &ImportRow) -> StoreResult<()>;
    async fn import(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<ImportRow>>;
    async fn imports(&self, workspace_id: Uuid) -> StoreResult<Vec<ImportRow>>;
    /// Marks imports still `running` as failed (their transaction died with the process).
    async fn fail_interrupted_imports(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    // --- executions and the trades rebuilt from them --------------------------------------
    async fn executions_for_accounts(
        &self,
        workspace_id: Uuid,
        accounts: &[String],
    ) -> StoreResult<Vec<ExecutionRow>>;
    async fn executions(
        &self,
        workspace_id: Uuid,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(Vec<ExecutionRow>, i64)>;
    async fn executions_by_id(
        &self,
        workspace_id: Uuid,
        ids: &[Uuid],
    ) -> StoreResult<Vec<ExecutionRow>>;
    /// The stored trades of these accounts (live and trashed).
    async fn stored_trades(
        &self,
        workspace_id: Uuid,
        accounts: &[String],
    ) -> StoreResult<Vec<StoredTrade>>;
    /// The legs JSON of the given trades, as (trade id, legs).
    async fn trade_legs(
        &self,
        workspace_id: Uuid,
        ids: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, String)>>;
    /// Applies a [`JournalWrite`] atomically, or nothing of it.
    async fn write_journal(
        &self,
        w: &JournalWrite<'_>,
        progress: Progress<'_>,
    ) -> StoreResult<WriteOutcome>;

    // --- trades -------------------------------------------------------------------------
    /// One page of trades (newest opened first) and the total matching the filter.
    async fn trades(
        &self,
        workspace_id: Uuid,
        q: &TradeQuery,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(Vec<TradeRow>, i64)>;
    async fn trade(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<TradeRow>>;
    /// The workspace's journal version: every write to its executions, trades, tags or
    /// trade tags raises it in the same transaction, and stamps the trades it changes
    /// with it (the analytics cache key).
    async fn journal_version(&self, workspace_id: Uuid) -> StoreResult<JournalVersion>;
    /// The closed trades matching `q` (its `status` is ignored), lean, in closing order.
    async fn closed_trades(
        &self,
        workspace_id: Uuid,
        q: &TradeQuery,
    ) -> StoreResult<Vec<ClosedRow>>;
    /// Every trade changed after journal version `since`, with its lean row when it is
    /// closed and matches `q` (its `status` is ignored).
    async fn closed_trades_changed(
        &self,
        workspace_id: Uuid,
        q: &TradeQuery,
        since: i64,
    ) -> StoreResult<Vec<(Uuid, Option<ClosedRow>)>>;
    /// Writes the trader's fields (setup, notes, stop, target) and `updated_at`.
    async fn update_trade_fields(&self, row: &TradeRow) -> StoreResult<bool>;
    async fn set_trade_deleted(
        &self,
        workspace_id: Uuid,
        id: Uuid,
        deleted_at: Option<DateTime<Utc>>,
    ) -> StoreResult<bool>;
    /// Soft-deleted trades older than `cutoff`, for the purge.
    async fn trades_deleted_before(
        &self,
        workspace_id: Option<Uuid>,
        cutoff: DateTime<Utc>,
    ) -> StoreResult<Vec<TradeRow>>;

    // --- tags ---------------------------------------------------------------------------
    async fn tags(&self, workspace_id: Uuid) -> StoreResult<Vec<TagRow>>;
    /// A taken name is a `Conflict`.
    async fn create_tag(&self, row: &TagRow) -> StoreResult<()>;
    async fn delete_tag(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool>;
    /// Renames and recolours a tag; false when the workspace has no such tag; a taken
    /// name is a `Conflict`.
    async fn update_tag(
        &self,
        workspace_id: Uuid,
        id: Uuid,
        name: &str,
        color: &str,
    ) -> StoreResult<bool>;
    /// Replaces a trade's tags (all must belong to the workspace), in one transaction.
    async fn set_trade_tags(
        &self,
        workspace_id: Uuid,
        trade_id: Uuid,
        tag_ids: &[Uuid],
    ) -> StoreResult<()>;
    /// Tags of the given trades, as (trade id, tag).
    async fn tags_of_trades(
        &self,
        workspace_id: Uuid,
        trade_ids: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, TagRow)>>;

    // --- saved column mappings ----------------------------------------------------------
    /// Inserts or replaces the mapping with this name; `mapping` is JSON.
    async fn save_mapping(
        &self,
        workspace_id: Uuid,
        name: &str,
        mapping: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn mappings(&self, workspace_id: Uuid) -> StoreResult<Vec<(String, String)>>;
}
