//! The storage port of corporate actions (cash dividends, splits) per symbol: the
//! built-in data's (no workspace) and each workspace's own.

use async_trait::async_trait;
use market::CorporateAction;
use uuid::Uuid;

use super::store::StoreResult;

#[derive(Clone, Debug, PartialEq)]
pub struct ActionRow {
    /// Built-in (every workspace reads it) rather than the workspace's own.
    pub shared: bool,
    pub action: CorporateAction,
    /// sample, import, …
    pub source: String,
}

#[async_trait]
pub trait ActionStore: Send + Sync {
    /// Writes actions in one transaction, each replacing one of the same symbol, date and
    /// kind in the same scope. `workspace_id` None writes built-in actions.
    async fn put_actions(
        &self,
        workspace_id: Option<Uuid>,
        symbol: &str,
        source: &str,
        actions: &[CorporateAction],
    ) -> StoreResult<u64>;
    /// The symbol's actions the workspace reads (built-in and its own), by date.
    async fn actions(&self, workspace_id: Uuid, symbol: &str) -> StoreResult<Vec<ActionRow>>;
}
