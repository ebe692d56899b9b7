//! What every request handler needs: the store, the settings, and who is asking.

use crate::error::{AppError, ErrorCode};
use crate::roles::{Action, Role};
use crate::ssr::store::{Store, StoreError, UserRow};
use std::sync::Arc;
use uuid::Uuid;

/// Runtime settings the services read. Loaded by the server from `Leptos.toml` and the
/// environment; tests build them directly.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where users reach this server, for links in invites (no trailing slash).
    pub public_url: String,
    pub invite_ttl: chrono::Duration,
    /// Login throttling: failures allowed per window, per account and per client address.
    pub login_window: chrono::Duration,
    pub max_failures_per_account: i64,
    pub max_failures_per_ip: i64,
    /// Take the client address from X-Forwarded-For (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Monthly quotas and request rates per plan.
    pub plans: crate::ssr::services::charts::quota::Plans,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:3000".into(),
            invite_ttl: chrono::Duration::days(7),
            login_window: chrono::Duration::minutes(15),
            max_failures_per_account: 5,
            max_failures_per_ip: 20,
            trust_proxy: false,
            plans: Default::default(),
        }
    }
}

#[derive(Clone)]
pub struct ServerContext {
    pub store: Arc<dyn Store>,
    pub settings: Arc<Settings>,
    /// Imports running in this process (progress and cancellation).
    pub jobs: Arc<crate::ssr::services::journal::imports::ImportJobs>,
    /// Closed trades recently read by analytics, per workspace, filter and journal version.
    pub closed_cache: Arc<crate::ssr::services::journal::closed_cache::ClosedCache>,
    /// Where chart images (and later attachments) are kept.
    pub blobs: Arc<dyn crate::ssr::blobs::BlobStore>,
    /// Chart generations per workspace per minute, by plan.
    pub chart_rate: Arc<crate::ssr::services::charts::rate::ChartRate>,
    /// The market-data vendor, when one is configured.
    pub market_data: Option<Arc<dyn crate::ssr::market_data::MarketData>>,
    /// The LLM chart analyst's model, when an API key is configured.
    pub vision: Option<Arc<dyn crate::ssr::vision::VisionModel>>,
}

impl ServerContext {
    pub fn new(
        store: Arc<dyn Store>,
        settings: Settings,
        blobs: Arc<dyn crate::ssr::blobs::BlobStore>,
    ) -> Self {
        Self {
            chart_rate: Arc::new(crate::ssr::services::charts::rate::ChartRate::new(
                &settings.plans,
            )),
            store,
            settings: Arc::new(settings),
            jobs: Arc::default(),
            closed_cache: Arc::default(),
            blobs,
            market_data: None,
            vision: None,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => {
                AppError::new(ErrorCode::Conflict, format!("That {what} already exists"))
            }
            StoreError::Backend(msg) => {
                tracing::error!(error = %msg, "store failure");
                AppError::internal()
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    Session,
    ApiKey(Uuid),
}

/// An authenticated user acting in one workspace with one role. Built only by the
/// session and API-key extractors, after the membership was read from the database.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user: UserRow,
    pub workspace_id: Uuid,
    pub role: Role,
    pub method: AuthMethod,
}

impl Principal {
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.role.can(action) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "Your role ({}) does not allow this in this workspace",
                self.role.label()
            )))
        }
    }
}

/// Session keys. The epoch ties a session to the password it was made with.
pub mod session_keys {
    pub const USER_ID: &str = "uid";
    pub const EPOCH: &str = "epoch";
}
