//! Chart generation and the chart history: render on the server from stored bars, keep
//! the image behind the blob store, list, show, serve and delete.

use super::market;
use super::quota::{self, Kind};
use super::request;
use crate::charts_wire::{
    AnalysisSummary, AnalysisView, ChartDetail, ChartMetadata, ChartPage, ChartPagination,
    ChartRequest, ChartSummary, GeneratedChart,
};
use crate::error::AppError;
use crate::roles::Action;
use crate::ssr::chart_store::{ChartQuery, ChartRow};
use crate::ssr::context::{Principal, ServerContext};
use ::market::Interval;
use chrono::{DateTime, Utc};
use indicators::{Bar, Convention};
use uuid::Uuid;

pub const MAX_PAGE: i64 = 100;
pub const DEFAULT_PAGE: i64 = 50;

/// The image URL of a chart (authenticated like the rest of the API).
pub fn image_url(id: Uuid) -> String {
    format!("/api/v1/charts/{id}/image")
}

/// The bars a request covers: `from`..`to` if given, else the `range` (or the interval's
/// default range) back from the last available bar.
pub async fn bars_for(
    ctx: &ServerContext,
    p: &Principal,
    req: &ChartRequest,
    symbol: &str,
    interval: Interval,
) -> Result<(Vec<Bar>, String), AppError> {
    let series = market::read(ctx, p, symbol, interval, req.from, req.to).await?;
    let mut bars: Vec<Bar> = series.bars.into_iter().map(Bar::from).collect();
    if req.from.is_none() {
        let range = req
            .range
            .as_deref()
            .unwrap_or_else(|| request::default_range(interval));
        if let (Some(back), Some(last)) = (request::range_ms(range)?, bars.last()) {
            let start = last.t - back;
            bars.retain(|b| b.t > start);
        }
    }
    if bars.is_empty() {
        return Err(AppError::invalid(
            "range",
            format!("No {symbol} bars at {} in that range", interval.as_str()),
        ));
    }
    Ok((bars, series.source))
}

fn summary(row: &ChartRow) -> ChartSummary {
    ChartSummary {
        id: row.id,
        symbol: row.symbol.clone(),
        interval: row.timeframe.clone(),
        url: image_url(row.id),
        status: row.status.clone(),
        format: row.format.to_uppercase(),
        width: row.width,
        height: row.height,
        data_source: row.data_source.clone(),
        created_at: row.created_at,
        analyses_count: row.analyses,
    }
}

/// Renders a chart from the workspace's bars, stores it and counts it against the plan.
pub async fn generate(
    ctx: &ServerContext,
    p: &Principal,
    req: &ChartRequest,
    now: DateTime<Utc>,
) -> Result<GeneratedChart, AppError> {
    p.require(Action::CreateContent)?;
    let symbol = market::parse_symbol(&req.symbol)?;
    let interval = market::parse_interval(&req.interval)?;
    let mut spec = request::to_spec(req, interval, &symbol)?;
    let (bars, source) = bars_for(ctx, p, req, &symbol, interval).await?;
    spec.simulated = source == "simulated";
    // Drawn small in the chart's corner (the full attribution is in the API and the UI).
    spec.source_note = (source == "sample")
        .then(|| "Data: Quandl WIKI (public domain) via bokeh-sampledata".to_string());
    // The monthly quota first: a workspace out of charts hears that, not "slow down".
    let ticket = quota::take(ctx, p, Kind::Charts, now).await?;
    if let Err(e) = ctx.chart_rate.check(&ticket.plan, p.workspace_id) {
        quota::give_back(ctx, p, ticket).await;
        return Err(e);
    }
    match render_and_store(ctx, p, req, spec, &bars, &source, now).await {
        Ok(row) => Ok(GeneratedChart {
            chart_id: row.id,
            url: image_url(row.id),
            metadata: ChartMetadata {
                format: row.format.to_uppercase(),
                width: row.width,
                height: row.height,
                resolution: format!("{}x{}", row.width, row.height),
                generated_at: row.created_at,
                bars: row.bar_count,
                data_source: row.data_source,
                render_ms: row.render_ms,
            },
            quota: ticket.view,
        }),
        Err(e) => {
            quota::give_back(ctx, p, ticket).await;
            Err(e)
        }
    }
}

async fn render_and_store(
    ctx: &ServerContext,
    p: &Principal,
    req: &ChartRequest,
    spec: charts::ChartSpec,
    bars: &[Bar],
    source: &str,
    now: DateTime<Utc>,
) -> Result<ChartRow, AppError> {
    let started = std::time::Instant::now();
    let owned = bars.to_vec();
    // Rendering is CPU work (tens of milliseconds): keep it off the async workers.
    let rendered =
        tokio::task::spawn_blocking(move || charts::render(&owned, &spec, Convention::TaLib))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "chart render task");
                AppError::internal()
            })?
            .map_err(|e| match e {
                charts::ChartError::InvalidSpec(s) => AppError::invalid(&s.field, s.message),
                charts::ChartError::Indicator(e) => AppError::invalid("studies", e.to_string()),
                other => {
                    tracing::error!(error = %other, "chart render failed");
                    AppError::internal()
                }
            })?;
    let render_ms = started.elapsed().as_millis() as i64;
    let id = Uuid::new_v4();
    let ext = rendered.format.extension();
    let key = format!("charts/{}/{}.{ext}", p.workspace_id.simple(), id.simple());
    ctx.blobs.put(&key, &rendered.bytes).await?;
    let row = ChartRow {
        id,
        workspace_id: p.workspace_id,
        user_id: Some(p.user.id),
        symbol: req.symbol.trim().to_ascii_uppercase(),
        timeframe: req.interval.clone(),
        spec: serde_json::to_string(req).map_err(|_| AppError::internal())?,
        format: ext.to_string(),
        width: i64::from(rendered.width),
        height: i64::from(rendered.height),
        status: "ready".into(),
        storage_key: key.clone(),
        size_bytes: rendered.bytes.len() as i64,
        bar_count: bars.len() as i64,
        data_source: source.to_string(),
        render_ms,
        created_at: now,
        analyses: 0,
    };
    if let Err(e) = ctx.store.insert_chart(&row).await {
        let _ = ctx.blobs.delete(&key).await;
        return Err(e.into());
    }
    Ok(row)
}

/// The caller's charts in the workspace, newest first.
pub async fn list(
    ctx: &ServerContext,
    p: &Principal,
    symbol: Option<String>,
    status: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<ChartPage, AppError> {
    p.require(Action::ViewAnalytics)?;
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE}, got {limit}"),
        ));
    }
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::invalid("offset", "offset must be 0 or more"));
    }
    let symbol = symbol
        .filter(|s| !s.trim().is_empty())
        .map(|s| market::parse_symbol(&s))
        .transpose()?;
    let q = ChartQuery {
        user_id: Some(p.user.id),
        symbol,
        status: status.filter(|s| !s.is_empty()),
        limit,
        offset,
    };
    let (rows, total) = ctx.store.charts(p.workspace_id, &q).await?;
    Ok(ChartPage {
        charts: rows.iter().map(summary).collect(),
        pagination: ChartPagination {
            total,
            limit,
            offset,
            has_more: offset + (rows.len() as i64) < total,
        },
    })
}

async fn row(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<ChartRow, AppError> {
    ctx.store
        .chart(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Chart"))
}

pub fn stored_request(row: &ChartRow) -> Result<ChartRequest, AppError> {
    serde_json::from_str(&row.spec).map_err(|e| {
        tracing::error!(id = %row.id, error = %e, "stored chart request is not valid JSON");
        AppError::internal()
    })
}

pub async fn get(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<ChartDetail, AppError> {
    p.require(Action::ViewAnalytics)?;
    let row = row(ctx, p, id).await?;
    let analyses = ctx
        .store
        .analyses_of_chart(p.workspace_id, id)
        .await?
        .into_iter()
        .filter_map(|a| {
            let v: AnalysisView = serde_json::from_str(&a.result).ok()?;
            Some(AnalysisSummary {
                id: a.id,
                recommendation: v.recommendation,
                confidence: v.confidence,
                model: a.model,
                created_at: a.created_at,
            })
        })
        .collect();
    Ok(ChartDetail {
        chart: summary(&row),
        config: stored_request(&row)?,
        analyses,
    })
}

/// The image bytes and their content type.
pub async fn image(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
) -> Result<(Vec<u8>, &'static str), AppError> {
    p.require(Action::ViewAnalytics)?;
    let row = row(ctx, p, id).await?;
    let bytes = ctx
        .blobs
        .get(&row.storage_key)
        .await?
        .ok_or_else(|| AppError::not_found("Chart image"))?;
    let content_type = if row.format == "svg" {
        "image/svg+xml"
    } else {
        "image/png"
    };
    Ok((bytes, content_type))
}

/// Deletes a chart with its analyses and image: its author, or an admin/owner.
pub async fn delete(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<(), AppError> {
    let row = row(ctx, p, id).await?;
    if row.user_id == Some(p.user.id) {
        p.require(Action::DeleteOwnTrades)?;
    } else {
        p.require(Action::DeleteAllTrades)?;
    }
    ctx.store.delete_chart(p.workspace_id, id).await?;
    if let Err(e) = ctx.blobs.delete(&row.storage_key).await {
        // The row is gone, so nobody can reach the file; log it for cleanup.
        tracing::warn!(error = %e, key = %row.storage_key, "chart image left behind");
    }
    Ok(())
}
