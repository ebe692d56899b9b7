//! The storage port. The server implements it once per backend (SQLite, PostgreSQL);
//! services depend only on this trait. Each method is one statement or one transaction,
//! and every method that touches workspace data takes the workspace id, so a query
//! cannot forget the tenant.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness or foreign-key rule refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A user as stored. Holds the password hash, so it is neither `Serialize` nor sent anywhere.
#[derive(Clone, PartialEq)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    /// Bumped on password change: sessions made before it stop working.
    pub session_epoch: i64,
    pub active_workspace_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceRow {
    pub id: Uuid,
    pub name: String,
    pub plan: String,
    pub personal: bool,
    pub created_at: DateTime<Utc>,
}

/// A workspace seen by one of its members.
#[derive(Clone, Debug, PartialEq)]
pub struct MembershipRow {
    pub workspace: WorkspaceRow,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: String,
    pub joined_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InviteRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub email: String,
    pub role: String,
    pub token_hash: String,
    pub invited_by: Uuid,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiKeyRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A strategy saved from the Strategy Lab; `spec` is the JSON of `options::StrategySpec`.
#[derive(Clone, Debug, PartialEq)]
pub struct StrategyRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub spec: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Failure counter for one throttling key within its current window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThrottleWindow {
    pub failures: i64,
    pub window_start: DateTime<Utc>,
}

#[async_trait]
pub trait Store:
    super::journal_store::JournalStore
    + super::chart_store::ChartStore
    + super::plan_store::PlanStore
    + super::action_store::ActionStore
    + super::attachment_store::AttachmentStore
    + Send
    + Sync
    + 'static
{
    /// "sqlite" or "postgres", for logs and /readyz.
    fn backend(&self) -> &'static str;
    /// A round trip to the database.
    async fn ping(&self) -> StoreResult<()>;

    // --- users -----------------------------------------------------------------------
    /// Creates the user, their personal workspace and the owner membership, and makes that
    /// workspace active, in one transaction. A taken e-mail is a `Conflict`.
    async fn create_user_with_workspace(
        &self,
        user: &UserRow,
        workspace: &WorkspaceRow,
    ) -> StoreResult<()>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>>;
    async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<UserRow>>;
    async fn update_user_name(&self, id: Uuid, name: &str) -> StoreResult<()>;
    /// Sets a new hash and bumps the session epoch; returns the new epoch.
    async fn update_password(&self, id: Uuid, password_hash: &str) -> StoreResult<i64>;
    async fn set_active_workspace(&self, user_id: Uuid, workspace_id: Uuid) -> StoreResult<()>;
    /// Deletes the user, and in the same transaction every workspace where they were the
    /// only member (with all its data).
    async fn delete_user(&self, id: Uuid) -> StoreResult<()>;

    // --- workspaces and members -------------------------------------------------------
    async fn create_workspace(&self, workspace: &WorkspaceRow, owner: Uuid) -> StoreResult<()>;
    async fn rename_workspace(&self, workspace_id: Uuid, name: &str) -> StoreResult<()>;
    async fn delete_workspace(&self, workspace_id: Uuid) -> StoreResult<()>;
    async fn memberships(&self, user_id: Uuid) -> StoreResult<Vec<MembershipRow>>;
    async fn membership(
        &self,
        workspace_id: Uuid,
        user_id: Uuid,
    ) -> StoreResult<Option<MembershipRow>>;
    async fn members(&self, workspace_id: Uuid) -> StoreResult<Vec<MemberRow>>;
    async fn set_member_role(
        &self,
        workspace_id: Uuid,
        user_id: Uuid,
        role: &str,
    ) -> StoreResult<bool>;
    async fn remove_member(&self, workspace_id: Uuid, user_id: Uuid) -> StoreResult<bool>;
    /// Workspaces where this user is the only owner and someone else is still a member:
    /// deleting the account would orphan them.
    async fn sole_owned_shared_workspaces(&self, user_id: Uuid) -> StoreResult<Vec<WorkspaceRow>>;
    async fn count_owners(&self, workspace_id: Uuid) -> StoreResult<i64>;

    // --- invites ----------------------------------------------------------------------
    async fn create_invite(&self, invite: &InviteRow) -> StoreResult<()>;
    async fn invite_by_token_hash(&self, token_hash: &str) -> StoreResult<Option<InviteRow>>;
    async fn invites(&self, workspace_id: Uuid) -> StoreResult<Vec<InviteRow>>;
    async fn delete_invite(&self, workspace_id: Uuid, invite_id: Uuid) -> StoreResult<bool>;
    /// Marks the invite accepted and adds the membership (keeping an existing one), in one
    /// transaction. Returns false if the invite was already used.
    async fn accept_invite(
        &self,
        invite: &InviteRow,
        user_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    // --- API keys ---------------------------------------------------------------------
    async fn create_api_key(&self, key: &ApiKeyRow) -> StoreResult<()>;
    async fn api_keys(&self, workspace_id: Uuid, user_id: Uuid) -> StoreResult<Vec<ApiKeyRow>>;
    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKeyRow>>;
    async fn delete_api_key(
        &self,
        workspace_id: Uuid,
        user_id: Uuid,
        key_id: Uuid,
    ) -> StoreResult<bool>;
    async fn touch_api_key(&self, key_id: Uuid, now: DateTime<Utc>) -> StoreResult<()>;

    // --- saved strategies ---------------------------------------------------------------
    /// Inserts, or updates name/spec/updated_at of the row with this id in this workspace.
    async fn upsert_strategy(&self, row: &StrategyRow) -> StoreResult<()>;
    async fn strategies(&self, workspace_id: Uuid) -> StoreResult<Vec<StrategyRow>>;
    async fn strategy(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<StrategyRow>>;
    async fn delete_strategy(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool>;

    // --- throttling -------------------------------------------------------------------
    /// Counts one failure for `key`, starting a new window at `now` if the current one
    /// began at or before `window_floor`.
    async fn record_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_floor: DateTime<Utc>,
    ) -> StoreResult<ThrottleWindow>;
    async fn throttle_window(&self, key: &str) -> StoreResult<Option<ThrottleWindow>>;
    async fn clear_failures(&self, key: &str) -> StoreResult<()>;
}
