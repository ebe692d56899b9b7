//! The Charts area's server functions: symbols and bars, generation, history, analysis,
//! templates, bulk generation, quota.

use crate::charts_wire::{
    AnalysisResult, AnalyzeRequest, BarsView, BulkRequest, BulkResult, ChartDetail, ChartPage,
    ChartRequest, GeneratedChart, NewTemplate, QuotaReport, SymbolView, TemplateView,
};
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::ssr::{services::charts as c, session as s};

#[server]
pub async fn chart_symbols() -> Result<Vec<SymbolView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::market::symbols(&ctx, &p).await
        }
        .await,
    )
}

/// Every stored bar of a symbol at an interval (the newest 20,000), for the interactive
/// chart, which pans and zooms over them and computes its studies in the browser.
/// `adjust`: none (as traded), splits or all (splits and dividends).
#[server]
pub async fn chart_bars(
    symbol: String,
    interval: String,
    adjust: String,
) -> Result<BarsView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            let interval = c::market::parse_interval(&interval)?;
            let adjust = c::market::parse_adjust(&adjust)?;
            c::market::read_adjusted(&ctx, &p, &symbol, interval, None, None, adjust).await
        }
        .await,
    )
}

#[server(input = server_fn::codec::Json)]
pub async fn chart_generate(req: ChartRequest) -> Result<GeneratedChart, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::history::generate(&ctx, &p, &req, now()).await
        }
        .await,
    )
}

#[server]
pub async fn chart_history(
    symbol: Option<String>,
    limit: i64,
    offset: i64,
) -> Result<ChartPage, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::history::list(&ctx, &p, symbol, None, Some(limit), Some(offset)).await
        }
        .await,
    )
}

#[server]
pub async fn chart_show(id: Uuid) -> Result<ChartDetail, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::history::get(&ctx, &p, id).await
        }
        .await,
    )
}

#[server]
pub async fn chart_delete(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::history::delete(&ctx, &p, id).await
        }
        .await,
    )
}

#[server(input = server_fn::codec::Json)]
pub async fn chart_analyze(id: Uuid, req: AnalyzeRequest) -> Result<AnalysisResult, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::analysis::analyze(&ctx, &p, id, &req, now()).await
        }
        .await,
    )
}

#[server]
pub async fn chart_quota() -> Result<QuotaReport, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::quota::report(&ctx, &p, now()).await
        }
        .await,
    )
}

#[server]
pub async fn chart_templates() -> Result<Vec<TemplateView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::templates::list(&ctx, &p).await
        }
        .await,
    )
}

#[server(input = server_fn::codec::Json)]
pub async fn chart_template_save(t: NewTemplate) -> Result<TemplateView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::templates::create(&ctx, &p, &t, now()).await
        }
        .await,
    )
}

#[server]
pub async fn chart_template_delete(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::templates::delete(&ctx, &p, id).await
        }
        .await,
    )
}

/// One chart per symbol with the same settings; stops at the quota (the rest report it).
#[server(input = server_fn::codec::Json)]
pub async fn chart_bulk(req: BulkRequest) -> Result<BulkResult, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            c::templates::bulk(&ctx, &p, &req, now()).await
        }
        .await,
    )
}
