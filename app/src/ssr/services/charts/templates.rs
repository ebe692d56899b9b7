//! Chart templates (saved configurations) and bulk generation for a watchlist.

use super::history;
use super::request;
use crate::charts_wire::{
    BulkItem, BulkRequest, BulkResult, ChartRequest, NewTemplate, TemplateView,
};
use crate::error::{AppError, ErrorCode};
use crate::roles::Action;
use crate::ssr::chart_store::TemplateRow;
use crate::ssr::context::{Principal, ServerContext};
use crate::validate::Name;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub const MAX_BULK: usize = 20;
pub const MAX_TEMPLATES: usize = 200;

fn view(row: &TemplateRow) -> Result<TemplateView, AppError> {
    Ok(TemplateView {
        id: row.id,
        name: row.name.clone(),
        config: serde_json::from_str(&row.spec).map_err(|e| {
            tracing::error!(id = %row.id, error = %e, "stored template is not valid JSON");
            AppError::internal()
        })?,
        created_at: row.created_at,
    })
}

pub async fn list(ctx: &ServerContext, p: &Principal) -> Result<Vec<TemplateView>, AppError> {
    p.require(Action::ViewAnalytics)?;
    ctx.store
        .templates(p.workspace_id)
        .await?
        .iter()
        .map(view)
        .collect()
}

/// Checks a configuration the way generation would (symbol aside).
fn check(config: &ChartRequest) -> Result<(), AppError> {
    let interval = super::market::parse_interval(&config.interval)?;
    if let Some(r) = &config.range {
        request::range_ms(r)?;
    }
    request::to_spec(config, interval, "TEMPLATE").map(|_| ())
}

pub async fn create(
    ctx: &ServerContext,
    p: &Principal,
    t: &NewTemplate,
    now: DateTime<Utc>,
) -> Result<TemplateView, AppError> {
    p.require(Action::CreateContent)?;
    let name = Name::parse(&t.name, "name", "template name")?;
    check(&t.config)?;
    if ctx.store.templates(p.workspace_id).await?.len() >= MAX_TEMPLATES {
        return Err(AppError::invalid(
            "name",
            format!("A workspace keeps at most {MAX_TEMPLATES} templates: delete one first"),
        ));
    }
    let row = TemplateRow {
        id: Uuid::new_v4(),
        workspace_id: p.workspace_id,
        user_id: Some(p.user.id),
        name: name.as_str().to_string(),
        spec: serde_json::to_string(&t.config).map_err(|_| AppError::internal())?,
        created_at: now,
    };
    ctx.store.insert_template(&row).await.map_err(|e| match e {
        crate::ssr::store::StoreError::Conflict(_) => AppError::conflict(format!(
            "A template named '{}' already exists in this workspace",
            row.name
        )),
        other => other.into(),
    })?;
    view(&row)
}

pub async fn delete(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<(), AppError> {
    let rows = ctx.store.templates(p.workspace_id).await?;
    let row = rows
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| AppError::not_found("Template"))?;
    if row.user_id == Some(p.user.id) {
        p.require(Action::DeleteOwnTrades)?;
    } else {
        p.require(Action::DeleteAllTrades)?;
    }
    ctx.store.delete_template(p.workspace_id, id).await?;
    Ok(())
}

/// One chart per symbol. Each counts against the quota; once it is spent the remaining
/// symbols report QUOTA_EXCEEDED without trying.
pub async fn bulk(
    ctx: &ServerContext,
    p: &Principal,
    req: &BulkRequest,
    now: DateTime<Utc>,
) -> Result<BulkResult, AppError> {
    p.require(Action::CreateContent)?;
    if req.symbols.is_empty() || req.symbols.len() > MAX_BULK {
        return Err(AppError::invalid(
            "symbols",
            format!("give 1 to {MAX_BULK} symbols, got {}", req.symbols.len()),
        ));
    }
    let config = match (&req.config, req.template_id) {
        (Some(c), None) => c.clone(),
        (None, Some(id)) => {
            let rows = ctx.store.templates(p.workspace_id).await?;
            let row = rows
                .iter()
                .find(|r| r.id == id)
                .ok_or_else(|| AppError::not_found("Template"))?;
            view(row)?.config
        }
        _ => {
            return Err(AppError::invalid(
                "config",
                "give either config or templateId",
            ))
        }
    };
    check(&config)?;
    let mut results = Vec::with_capacity(req.symbols.len());
    let mut spent = None::<AppError>;
    for symbol in &req.symbols {
        if let Some(e) = &spent {
            results.push(BulkItem {
                symbol: symbol.clone(),
                chart: None,
                error: Some(e.clone()),
            });
            continue;
        }
        let mut one = config.clone();
        one.symbol = symbol.clone();
        match history::generate(ctx, p, &one, now).await {
            Ok(chart) => results.push(BulkItem {
                symbol: symbol.clone(),
                chart: Some(chart),
                error: None,
            }),
            Err(e) => {
                if e.code == ErrorCode::QuotaExceeded {
                    spent = Some(e.clone());
                }
                results.push(BulkItem {
                    symbol: symbol.clone(),
                    chart: None,
                    error: Some(e),
                });
            }
        }
    }
    let generated = results.iter().filter(|r| r.chart.is_some()).count();
    Ok(BulkResult {
        failed: results.len() - generated,
        generated,
        results,
    })
}
