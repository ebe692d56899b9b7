//! What the journal sends over the wire (REST API and server functions alike). Money is a
//! decimal string with at least two places (`"1234.50"`), times RFC 3339 UTC.

use chrono::{DateTime, Utc};
use journal::import::RowError;
use journal::OptionTerms;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Money for display and JSON: exact, trailing zeros trimmed, at least cents.
pub fn money(d: Decimal) -> Decimal {
    let mut n = d.normalize();
    if n.scale() < 2 {
        n.rescale(2);
    }
    n
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TagView {
    pub id: Uuid,
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LegView {
    pub contract: String,
    pub instrument: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub option: Option<OptionTerms>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub multiplier: Decimal,
    /// long or short.
    pub side: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub open_quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub avg_entry: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub avg_exit: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub realized: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub fees: Decimal,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The executions (fills) of this leg.
    pub executions: Vec<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TradeView {
    pub id: Uuid,
    pub account: String,
    pub symbol: String,
    pub instrument: String,
    /// long or short (for a spread: debit or credit).
    pub side: String,
    /// open or closed.
    pub status: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub hold_seconds: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub multiplier: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub entry_price: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub exit_price: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub gross_pnl: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub fees: Decimal,
    /// Realised P&L after fees.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub pnl: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub pnl_pct: Option<Decimal>,
    /// Money at risk to the planned stop.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub risk: Option<Decimal>,
    pub r_multiple: Option<f64>,
    pub setup: Option<String>,
    pub notes: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub stop: Option<Decimal>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub target: Option<Decimal>,
    pub tags: Vec<TagView>,
    pub legs: Vec<LegView>,
    /// The file started mid-position: the opening fill is missing.
    pub incomplete: bool,
    pub manual: bool,
    pub owner_id: Option<Uuid>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// MAE/MFE from the stored bars of the symbol (one trade's detail only, when bars cover
    /// it; single-leg trades of an instrument whose own prices the bars are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excursion: Option<ExcursionView>,
    /// Files attached to the trade (one trade's detail only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentView>,
}

/// A column mapping saved in a workspace under a name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedMapping {
    pub name: String,
    pub mapping: journal::import::ColumnMapping,
}

/// The largest attachment (5 MB, `journal::attachment::MAX_BYTES`), checked in the
/// browser before the upload too.
pub const ATTACHMENT_MAX_BYTES: usize = 5 * 1024 * 1024;

/// A file attached to a trade (image or PDF; checked by its content).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttachmentView {
    pub id: Uuid,
    pub trade_id: Uuid,
    pub file_name: String,
    /// image/png, image/jpeg, image/webp or application/pdf (found from the bytes).
    pub content_type: String,
    pub size_bytes: i64,
    /// Pixel size of an image.
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// The file itself (same session or API key).
    pub url: String,
    /// A PNG thumbnail no larger than 320 × 320, for images.
    pub thumbnail_url: Option<String>,
    pub owner_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// How far a trade went against and for it while open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExcursionView {
    /// Worst open P&L (money, <= 0).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub mae: Decimal,
    /// Best open P&L (money, >= 0).
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub mfe: Decimal,
    /// In R (the planned risk), when there is a stop.
    pub mae_r: Option<f64>,
    pub mfe_r: Option<f64>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub worst_price: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub best_price: Decimal,
    /// The bars used (1m … 1D, the finest stored that cover the trade) and how many.
    /// Coarser bars than the trade count whole, so the figures are then upper bounds.
    pub interval: String,
    pub bars: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Pagination {
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub has_more: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TradePage {
    pub trades: Vec<TradeView>,
    pub pagination: Pagination,
}

/// Trade filters as they arrive (query string or form); the service parses them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
pub struct TradeFilter {
    /// Opened on or after this date (YYYY-MM-DD) or time (RFC 3339).
    pub from: Option<String>,
    /// Opened before the end of this date, or before this time.
    pub to: Option<String>,
    pub symbol: Option<String>,
    pub tag: Option<String>,
    pub setup: Option<String>,
    /// long or short.
    pub side: Option<String>,
    /// open or closed.
    pub status: Option<String>,
    pub account: Option<String>,
    /// Show the trash (soft-deleted trades) instead.
    pub deleted: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Changes to a tag (Admin and Owner): a new name, a colour from the tag palette, or both.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TagPatch {
    #[serde(default)]
    pub name: Option<String>,
    /// One of the palette's `#rrggbb` colours (the page's stylesheet has exactly these).
    #[serde(default)]
    pub color: Option<String>,
}

/// The colours a tag can take.
pub const TAG_COLORS: [&str; 8] = [
    "#3b82f6", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6", "#64748b",
];

/// Changes to a trade. Absent fields stay; `null` clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TradePatch {
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub setup: Option<Option<String>>,
    pub notes: Option<String>,
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub stop: Option<Option<String>>,
    #[serde(default, with = "double_option")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub target: Option<Option<String>>,
    /// Tag names; created with a default colour when new.
    pub tags: Option<Vec<String>>,
}

/// `Option<Option<T>>` that tells "absent" from "null".
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, T: Serialize>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// A trade entered by hand: stored as its opening (and closing) fills.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewTrade {
    pub account: Option<String>,
    pub symbol: String,
    /// equity (default), future, crypto or forex.
    pub instrument: Option<String>,
    /// long or short.
    pub side: String,
    pub quantity: String,
    pub entry_price: String,
    pub entry_time: String,
    pub exit_price: Option<String>,
    pub exit_time: Option<String>,
    pub fees: Option<String>,
    /// Contract size for futures (default 1).
    pub multiplier: Option<String>,
    pub setup: Option<String>,
    pub notes: Option<String>,
    pub stop: Option<String>,
    pub target: Option<String>,
    pub tags: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExecutionView {
    pub id: Uuid,
    pub account: String,
    pub broker: String,
    pub symbol: String,
    pub instrument: String,
    pub side: String,
    pub effect: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub price: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub fees: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub multiplier: Decimal,
    pub time: DateTime<Utc>,
    pub exec_id: Option<String>,
    pub order_id: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub option: Option<OptionTerms>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExecutionPage {
    pub executions: Vec<ExecutionView>,
    pub pagination: Pagination,
}

/// A trade the import would create, for the preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TradePreview {
    pub account: String,
    pub symbol: String,
    pub side: String,
    pub status: String,
    pub legs: usize,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub quantity: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub pnl: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RowErrorView {
    pub line: usize,
    pub message: String,
}

impl From<&RowError> for RowErrorView {
    fn from(e: &RowError) -> Self {
        RowErrorView {
            line: e.line,
            message: e.message.clone(),
        }
    }
}

/// The answer to an import (or its dry run) and to a progress poll.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// None for a dry run.
    pub id: Option<Uuid>,
    /// preview, running, done, failed or cancelled.
    pub status: String,
    pub format: String,
    pub format_label: String,
    /// Rows read as executions in the file.
    pub total_rows: usize,
    /// New executions (added, or to be added by a dry run).
    pub executions: usize,
    /// Executions already in the journal, skipped.
    pub duplicates: usize,
    /// Trades built from the file's executions.
    pub trades: usize,
    /// Rows that are not trades (cash movements, cancelled orders, ...).
    pub skipped: usize,
    pub errors: Vec<RowErrorView>,
    /// Rows written so far while running (executions, then trades).
    pub processed: usize,
    /// Rows to write in all.
    pub to_process: usize,
    pub message: String,
    /// The first rows and trades, for the preview table.
    pub preview_rows: Vec<ExecutionView>,
    pub preview_trades: Vec<TradePreview>,
}

/// A planned trade: entry, stop and target before any fill (from a chart analysis).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanView {
    pub id: Uuid,
    pub symbol: String,
    /// long or short.
    pub side: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub entry_price: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub stop_price: Decimal,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub target_price: Decimal,
    /// Reward over risk per share: |target - entry| / |entry - stop|.
    pub risk_reward: Option<f64>,
    /// The analysis it came from, while that analysis exists.
    pub analysis_id: Option<Uuid>,
    pub notes: String,
    /// Who planned it, when known.
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}
