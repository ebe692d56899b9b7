//! The storage port of planned trades: an entry, a stop and a target written down before
//! any fill (most often from a chart analysis). Every method takes the workspace id.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::store::StoreResult;

#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Option<Uuid>,
    /// The analysis it came from (cleared if that analysis is deleted with its chart).
    pub analysis_id: Option<Uuid>,
    pub symbol: String,
    /// long or short.
    pub direction: String,
    pub entry_price: Decimal,
    pub stop_price: Decimal,
    pub target_price: Decimal,
    pub notes: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait PlanStore: Send + Sync {
    /// A second plan from the same analysis is a `Conflict`.
    async fn insert_plan(&self, row: &PlanRow) -> StoreResult<()>;
    /// Newest first.
    async fn plans(&self, workspace_id: Uuid) -> StoreResult<Vec<PlanRow>>;
    async fn plan(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<PlanRow>>;
    async fn delete_plan(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool>;
}
