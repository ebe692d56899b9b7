//! API keys: made and revoked by their owner, bound to one workspace, stored as a hash,
//! acting with the owner's current role there (a demoted or removed member's keys lose
//! their power with them).

use crate::error::AppError;
use crate::model::{ApiKeyCreated, ApiKeyView};
use crate::ssr::context::{AuthMethod, Principal, ServerContext};
use crate::ssr::services::views::{api_key_view, stored_role};
use crate::ssr::store::ApiKeyRow;
use crate::ssr::tokens;
use crate::validate::Name;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub const MAX_KEYS_PER_USER: usize = 25;
/// last_used_at is written at most this often per key, so reads do not turn into writes.
const TOUCH_EVERY_SECS: i64 = 60;
const INVALID_KEY: &str = "Invalid or revoked API key";

pub async fn create(
    ctx: &ServerContext,
    p: &Principal,
    name: &str,
    now: DateTime<Utc>,
) -> Result<ApiKeyCreated, AppError> {
    let name = Name::parse(name, "name", "key name")?;
    let existing = ctx.store.api_keys(p.workspace_id, p.user.id).await?;
    if existing.len() >= MAX_KEYS_PER_USER {
        return Err(AppError::conflict(format!(
            "You have {MAX_KEYS_PER_USER} keys in this workspace; revoke one first"
        )));
    }
    let key = tokens::new_api_key();
    let row = ApiKeyRow {
        id: Uuid::new_v4(),
        workspace_id: p.workspace_id,
        user_id: p.user.id,
        name: name.as_str().to_string(),
        prefix: key.chars().take(tokens::API_KEY_PREFIX.len() + 6).collect(),
        key_hash: tokens::sha256_hex(&key),
        created_at: now,
        last_used_at: None,
    };
    ctx.store.create_api_key(&row).await?;
    Ok(ApiKeyCreated {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        key,
    })
}

pub async fn list(ctx: &ServerContext, p: &Principal) -> Result<Vec<ApiKeyView>, AppError> {
    Ok(ctx
        .store
        .api_keys(p.workspace_id, p.user.id)
        .await?
        .iter()
        .map(api_key_view)
        .collect())
}

pub async fn revoke(ctx: &ServerContext, p: &Principal, key_id: Uuid) -> Result<(), AppError> {
    if ctx
        .store
        .delete_api_key(p.workspace_id, p.user.id, key_id)
        .await?
    {
        Ok(())
    } else {
        Err(AppError::not_found("API key"))
    }
}

/// The principal behind an `X-API-Key` header.
pub async fn authenticate(
    ctx: &ServerContext,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<Principal, AppError> {
    let raw = raw.trim();
    if !raw.starts_with(tokens::API_KEY_PREFIX) || raw.len() > 200 {
        return Err(AppError::unauthorized(INVALID_KEY));
    }
    let key = ctx
        .store
        .api_key_by_hash(&tokens::sha256_hex(raw))
        .await?
        .ok_or_else(|| AppError::unauthorized(INVALID_KEY))?;
    let user = ctx
        .store
        .user_by_id(key.user_id)
        .await?
        .ok_or_else(|| AppError::unauthorized(INVALID_KEY))?;
    let m = ctx
        .store
        .membership(key.workspace_id, key.user_id)
        .await?
        .ok_or_else(|| AppError::unauthorized(INVALID_KEY))?;
    let stale = key
        .last_used_at
        .is_none_or(|t| (now - t).num_seconds() >= TOUCH_EVERY_SECS);
    if stale {
        ctx.store.touch_api_key(key.id, now).await?;
    }
    Ok(Principal {
        role: stored_role(&m.role)?,
        workspace_id: key.workspace_id,
        user,
        method: AuthMethod::ApiKey(key.id),
    })
}
