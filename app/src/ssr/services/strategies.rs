//! Strategies saved to a workspace. Everyone in the workspace reads them; creating needs
//! a role that creates content; changing or deleting one needs to be its author or an
//! admin/owner (the journal's "own versus all" rule).

use crate::error::AppError;
use crate::model::SavedStrategy;
use crate::options::StrategySpec;
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use crate::ssr::store::StrategyRow;
use crate::validate::Name;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub const MAX_PER_WORKSPACE: usize = 500;

fn view(row: &StrategyRow) -> Result<SavedStrategy, AppError> {
    let spec: StrategySpec = serde_json::from_str(&row.spec).map_err(|e| {
        tracing::error!(id = %row.id, error = %e, "stored strategy is not valid JSON");
        AppError::internal()
    })?;
    Ok(SavedStrategy {
        id: row.id,
        name: row.name.clone(),
        spec,
        author_id: row.user_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

pub async fn list(ctx: &ServerContext, p: &Principal) -> Result<Vec<SavedStrategy>, AppError> {
    p.require(Action::ViewAnalytics)?;
    ctx.store
        .strategies(p.workspace_id)
        .await?
        .iter()
        .map(view)
        .collect()
}

pub async fn get(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<SavedStrategy, AppError> {
    p.require(Action::ViewAnalytics)?;
    let row = ctx
        .store
        .strategy(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Strategy"))?;
    view(&row)
}

fn may_change(p: &Principal, row: &StrategyRow) -> Result<(), AppError> {
    if row.user_id == p.user.id {
        p.require(Action::EditOwnTrades)
    } else {
        p.require(Action::EditAllTrades)
    }
}

/// Saves a new strategy (`id` None) or replaces one. The spec must price: a strategy that
/// cannot be opened again is refused now, with the reason.
pub async fn save(
    ctx: &ServerContext,
    p: &Principal,
    id: Option<Uuid>,
    name: &str,
    spec: &StrategySpec,
    now: DateTime<Utc>,
) -> Result<SavedStrategy, AppError> {
    p.require(Action::CreateContent)?;
    let name = Name::parse(name, "name", "strategy name")?;
    spec.to_pricer()?;
    let mut spec = spec.clone();
    spec.name = name.as_str().to_string();
    let json = serde_json::to_string(&spec).map_err(|_| AppError::internal())?;
    let row = match id {
        Some(id) => {
            let existing = ctx
                .store
                .strategy(p.workspace_id, id)
                .await?
                .ok_or_else(|| AppError::not_found("Strategy"))?;
            may_change(p, &existing)?;
            StrategyRow {
                name: name.as_str().to_string(),
                spec: json,
                updated_at: now,
                ..existing
            }
        }
        None => {
            if ctx.store.strategies(p.workspace_id).await?.len() >= MAX_PER_WORKSPACE {
                return Err(AppError::conflict(format!(
                    "This workspace has {MAX_PER_WORKSPACE} saved strategies; delete some first"
                )));
            }
            StrategyRow {
                id: Uuid::new_v4(),
                workspace_id: p.workspace_id,
                user_id: p.user.id,
                name: name.as_str().to_string(),
                spec: json,
                created_at: now,
                updated_at: now,
            }
        }
    };
    ctx.store.upsert_strategy(&row).await?;
    view(&row)
}

pub async fn delete(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<(), AppError> {
    let row = ctx
        .store
        .strategy(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Strategy"))?;
    if row.user_id == p.user.id {
        p.require(Action::DeleteOwnTrades)?;
    } else {
        p.require(Action::DeleteAllTrades)?;
    }
    ctx.store.delete_strategy(p.workspace_id, id).await?;
    Ok(())
}
