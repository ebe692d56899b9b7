//! The journal's server functions (the import upload goes through the REST API, which
//! takes multipart files larger than a server-function body).

use crate::error::AppError;
use crate::journal_wire::{
    AttachmentView, ExcursionView, PlanView, SavedMapping, TagPatch, TagView, TradeFilter,
    TradePage, TradePatch, TradeView,
};
use journal::analytics::{BreakdownRow, CalendarDay, EquityPoint, Summary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::ssr::{services::journal as j, session as s};

#[server(input = server_fn::codec::Json)]
pub async fn journal_trades(filter: TradeFilter) -> Result<TradePage, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::trades::list(&ctx, &p, &filter).await
        }
        .await,
    )
}

#[server(input = server_fn::codec::Json)]
pub async fn journal_patch_trade(id: Uuid, patch: TradePatch) -> Result<TradeView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::trades::patch(&ctx, &p, id, &patch, now()).await
        }
        .await,
    )
}

#[server]
pub async fn journal_delete_trade(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::trades::delete(&ctx, &p, id, now()).await
        }
        .await,
    )
}

#[server]
pub async fn journal_restore_trade(id: Uuid) -> Result<TradeView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::trades::restore(&ctx, &p, id).await
        }
        .await,
    )
}

#[server]
pub async fn journal_tags() -> Result<Vec<TagView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::trades::tags(&ctx, &p).await
        }
        .await,
    )
}

#[server(input = server_fn::codec::Json)]
pub async fn journal_update_tag(id: Uuid, patch: TagPatch) -> Result<TagView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::tags::update(&ctx, &p, id, &patch).await
        }
        .await,
    )
}

#[server]
pub async fn journal_delete_tag(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::tags::delete(&ctx, &p, id).await
        }
        .await,
    )
}

/// MAE / MFE of one trade from the stored bars of its symbol, when they cover it.
#[server]
pub async fn journal_trade_excursion(id: Uuid) -> Result<Option<ExcursionView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::trades::excursion(&ctx, &p, id).await
        }
        .await,
    )
}

/// The column mappings saved in the workspace.
#[server]
pub async fn journal_mappings() -> Result<Vec<SavedMapping>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::imports::mappings(&ctx, &p).await
        }
        .await,
    )
}

/// Saves a column mapping under a name (replacing one of that name).
#[server(input = server_fn::codec::Json)]
pub async fn journal_save_mapping(
    name: String,
    mapping: journal::import::ColumnMapping,
) -> Result<SavedMapping, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::imports::save_mapping(&ctx, &p, &name, &mapping, now()).await
        }
        .await,
    )
}

/// The files attached to a trade (uploads go through the REST API: multipart, 5 MB).
#[server]
pub async fn journal_trade_attachments(id: Uuid) -> Result<Vec<AttachmentView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::attachments::list(&ctx, &p, id).await
        }
        .await,
    )
}

#[server]
pub async fn journal_delete_attachment(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::attachments::delete(&ctx, &p, id).await
        }
        .await,
    )
}

/// Sends a chart analysis to the journal as a planned trade.
#[server]
pub async fn journal_plan_from_analysis(analysis_id: Uuid) -> Result<PlanView, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::plans::from_analysis(&ctx, &p, analysis_id, now()).await
        }
        .await,
    )
}

#[server]
pub async fn journal_plans() -> Result<Vec<PlanView>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::plans::list(&ctx, &p).await
        }
        .await,
    )
}

#[server]
pub async fn journal_delete_plan(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            j::plans::delete(&ctx, &p, id).await
        }
        .await,
    )
}

/// Everything the dashboard draws, in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub summary: Summary,
    pub curve: Vec<EquityPoint>,
    pub calendar: Vec<CalendarDay>,
    pub by_symbol: Vec<BreakdownRow>,
    pub by_weekday: Vec<BreakdownRow>,
    pub year: i32,
}

#[server(input = server_fn::codec::Json)]
pub async fn journal_dashboard(
    filter: TradeFilter,
    tz: String,
    period: String,
    year: Option<i32>,
) -> Result<Dashboard, AppError> {
    s::with_status(
        async {
            use chrono::Datelike;
            let (ctx, p, _) = s::principal().await?;
            let tz = j::analytics::timezone(Some(&tz))?;
            let summary =
                j::analytics::summary(&ctx, &p, &filter, tz, rust_decimal::Decimal::ZERO).await?;
            let curve = j::analytics::equity_curve(&ctx, &p, &filter, tz, &period).await?;
            // The calendar shows the year asked for, else the year of the last trade.
            let year = year
                .or_else(|| curve.last().map(|pt| pt.period.year()))
                .unwrap_or_else(|| now().year());
            let calendar = j::analytics::calendar(&ctx, &p, &filter, tz, year).await?;
            let by_symbol = j::analytics::breakdown(&ctx, &p, &filter, tz, "symbol").await?;
            let by_weekday = j::analytics::breakdown(&ctx, &p, &filter, tz, "weekday").await?;
            Ok(Dashboard {
                summary,
                curve,
                calendar,
                by_symbol,
                by_weekday,
                year,
            })
        }
        .await,
    )
}
