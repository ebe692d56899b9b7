//! Corporate actions per symbol: the built-in splits of the sample data, a workspace's
//! imported dividends and splits, and the merged list the bar adjustment uses.

use crate::charts_wire::{ActionView, ActionsImported};
use crate::error::AppError;
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use chrono::{TimeZone, Utc};
use market::CorporateAction;
use uuid::Uuid;

use super::market::parse_symbol;

/// Rows in one actions file; a century of monthly dividends is ~1,200.
const MAX_ROWS: usize = 10_000;

/// Writes the sample data's splits as built-in actions (idempotent: each replaces
/// itself).
pub async fn load_sample_actions(ctx: &ServerContext) -> Result<u64, AppError> {
    let mut written = 0;
    for (symbol, action) in market::sample_actions() {
        written += ctx
            .store
            .put_actions(None, symbol, "sample", &[action])
            .await?;
    }
    Ok(written)
}

/// The actions that apply in a workspace: its own, and the built-in ones it has not
/// replaced (same date and kind), by date.
pub async fn effective(
    ctx: &ServerContext,
    workspace_id: Uuid,
    symbol: &str,
) -> Result<Vec<CorporateAction>, AppError> {
    Ok(merged(ctx, workspace_id, symbol)
        .await?
        .into_iter()
        .map(|r| r.action)
        .collect())
}

async fn merged(
    ctx: &ServerContext,
    workspace_id: Uuid,
    symbol: &str,
) -> Result<Vec<crate::ssr::action_store::ActionRow>, AppError> {
    let rows = ctx.store.actions(workspace_id, symbol).await?;
    let own: Vec<_> = rows.iter().filter(|r| !r.shared).cloned().collect();
    Ok(rows
        .into_iter()
        .filter(|r| {
            !r.shared
                || !own
                    .iter()
                    .any(|o| o.action.t == r.action.t && o.action.kind == r.action.kind)
        })
        .collect())
}

pub async fn list(
    ctx: &ServerContext,
    p: &Principal,
    symbol: &str,
) -> Result<Vec<ActionView>, AppError> {
    p.require(Action::ViewAnalytics)?;
    let symbol = parse_symbol(symbol)?;
    Ok(merged(ctx, p.workspace_id, &symbol)
        .await?
        .into_iter()
        .map(|r| ActionView {
            date: Utc
                .timestamp_millis_opt(r.action.t)
                .single()
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            kind: r.action.kind.as_str().to_string(),
            value: r.action.value,
            source: r.source,
            built_in: r.shared,
        })
        .collect())
}

/// Imports a `date,type,value` CSV of the symbol's dividends and splits: all rows or
/// none; each replaces the workspace's own action of the same date and kind.
pub async fn import_csv(
    ctx: &ServerContext,
    p: &Principal,
    symbol: &str,
    text: &str,
) -> Result<ActionsImported, AppError> {
    p.require(Action::CreateContent)?;
    let symbol = parse_symbol(symbol)?;
    let actions =
        market::parse_actions_csv(text).map_err(|e| AppError::invalid("file", e.to_string()))?;
    if actions.len() > MAX_ROWS {
        return Err(AppError::invalid(
            "file",
            format!("{} actions in one file; at most {MAX_ROWS}", actions.len()),
        ));
    }
    let written = ctx
        .store
        .put_actions(Some(p.workspace_id), &symbol, "import", &actions)
        .await?;
    Ok(ActionsImported {
        symbol,
        imported: written,
        dividends: actions
            .iter()
            .filter(|a| a.kind == market::ActionKind::Dividend)
            .count() as u64,
        splits: actions
            .iter()
            .filter(|a| a.kind == market::ActionKind::Split)
            .count() as u64,
    })
}
