//! /api/v1/market and /api/v1/indicators: bars (read, split/dividend-adjusted, import),
//! corporate actions, symbols, and indicator series over bars the caller sends.

use crate::api::auth::Authed;
use crate::api::envelope::{created, ok, ApiResult, Failure, Json, Query, Success};
use app::charts_wire::{
    ActionView, ActionsImported, BarView, BarsImported, BarsView, FetchRequest, IndicatorRequest,
    IndicatorResult, SimulateRequest, SymbolView,
};
use app::error::AppError;
use app::ssr::services::charts::{actions as corporate, indicators_api, market};
use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct BarsQuery {
    /// e.g. AAPL
    pub symbol: String,
    /// 1m, 5m, 15m, 1h, 4h, 1D or 1W (default 1D).
    pub interval: Option<String>,
    /// RFC 3339, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// RFC 3339, exclusive.
    pub to: Option<DateTime<Utc>>,
    /// none (default, as traded), splits (split-adjusted) or all (splits and cash
    /// dividends: a total-return series).
    pub adjust: Option<String>,
}

/// Bars of a symbol (newest 20,000 of the range), aggregated from finer stored bars
/// when the interval itself is not stored.
#[utoipa::path(get, path = "/market/bars", tag = "market", params(BarsQuery),
    responses((status = 200, body = Success<BarsView>), (status = 400, body = Failure), (status = 404, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn bars(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(q): Query<BarsQuery>,
) -> ApiResult<BarsView> {
    let interval = market::parse_interval(q.interval.as_deref().unwrap_or("1D"))?;
    let adjust = market::parse_adjust(q.adjust.as_deref().unwrap_or("none"))?;
    Ok(ok(market::read_adjusted(
        &state.ctx, &p, &q.symbol, interval, q.from, q.to, adjust,
    )
    .await?))
}

#[derive(Deserialize, IntoParams)]
pub struct ActionsQuery {
    /// e.g. AAPL
    pub symbol: String,
}

/// The symbol's cash dividends and splits: the built-in data's and the workspace's own
/// (which replace built-in ones of the same date and kind).
#[utoipa::path(get, path = "/market/actions", tag = "market", params(ActionsQuery),
    responses((status = 200, body = Success<Vec<ActionView>>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn actions(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(q): Query<ActionsQuery>,
) -> ApiResult<Vec<ActionView>> {
    Ok(ok(corporate::list(&state.ctx, &p, &q.symbol).await?))
}

/// Import a symbol's dividends and splits from a CSV body (`text/csv`, header
/// `date,type,value`; type dividend or split; a split as `2:1`): all rows or none.
#[utoipa::path(post, path = "/market/actions/import", tag = "market", params(ActionsQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = Success<ActionsImported>), (status = 400, body = Failure), (status = 403, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn import_actions(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(q): Query<ActionsQuery>,
    body: Bytes,
) -> ApiResult<ActionsImported> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::invalid("file", "The file is not UTF-8 text"))?;
    Ok(created(
        corporate::import_csv(&state.ctx, &p, &q.symbol, text).await?,
    ))
}

/// Every symbol and interval the workspace can chart: the built-in data and its own.
#[utoipa::path(get, path = "/market/symbols", tag = "market",
    responses((status = 200, body = Success<Vec<SymbolView>>)),
    security(("api_key" = []), ("session" = [])))]
pub async fn symbols(
    State(state): State<AppState>,
    Authed(p): Authed,
) -> ApiResult<Vec<SymbolView>> {
    Ok(ok(market::symbols(&state.ctx, &p).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Symbol for CSV rows without a symbol column (and for JSON bodies).
    pub symbol: Option<String>,
    /// The bars' interval; for CSV, guessed from the bar spacing when absent.
    pub interval: Option<String>,
}

/// A JSON import body.
#[derive(Deserialize, ToSchema)]
pub struct BarsBody {
    pub symbol: String,
    pub interval: String,
    pub bars: Vec<BarView>,
}

/// Import bars into the workspace: a CSV body (`Content-Type: text/csv`; columns date/time,
/// open, high, low, close, volume, optional symbol) or JSON `{symbol, interval, bars}`.
/// All rows or none; bars at existing times replace the workspace's own.
#[utoipa::path(post, path = "/market/bars/import", tag = "market", params(ImportQuery),
    request_body(content = BarsBody, description = "JSON, or a CSV file as text/csv"),
    responses((status = 201, body = Success<Vec<BarsImported>>), (status = 400, body = Failure), (status = 403, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn import(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Vec<BarsImported>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let interval = q
        .interval
        .as_deref()
        .map(market::parse_interval)
        .transpose()?;
    if content_type.starts_with("application/json") {
        let b: BarsBody = serde_json::from_slice(&body)
            .map_err(|e| AppError::invalid("body", format!("Invalid JSON: {e}")))?;
        let interval = market::parse_interval(&b.interval)?;
        let done = market::import_json(&state.ctx, &p, &b.symbol, interval, &b.bars).await?;
        return Ok(created(vec![done]));
    }
    let symbol = q.symbol.as_deref().unwrap_or("UNNAMED");
    Ok(created(
        market::import_csv(&state.ctx, &p, &body, symbol, interval).await?,
    ))
}

/// Indicator series over the bars sent, one entry per output line, aligned with the bars
/// (`null` during warm-up). Conventions: `talib` (default) or `tradingview`.
#[utoipa::path(post, path = "/indicators", tag = "market", request_body = IndicatorRequest,
    responses((status = 200, body = Success<IndicatorResult>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn indicators(
    Authed(_p): Authed,
    Json(req): Json<IndicatorRequest>,
) -> ApiResult<IndicatorResult> {
    // Big series take a while: keep the computation off the async workers.
    let out = tokio::task::spawn_blocking(move || indicators_api::compute(&req))
        .await
        .map_err(|_| AppError::internal())??;
    Ok(ok(out))
}

/// Seeded simulated bars (GBM with jumps) for demos, stored in the workspace under the
/// source "simulated": their charts carry a SIMULATED badge and their replies a note.
#[utoipa::path(post, path = "/market/simulate", tag = "market", request_body = SimulateRequest,
    responses((status = 201, body = Success<BarsImported>), (status = 400, body = Failure), (status = 403, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn simulate(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(req): Json<SimulateRequest>,
) -> ApiResult<BarsImported> {
    Ok(created(market::simulate(&state.ctx, &p, &req).await?))
}

/// Fetch bars from the configured market-data vendor (Polygon.io) into the workspace.
#[utoipa::path(post, path = "/market/bars/fetch", tag = "market", request_body = FetchRequest,
    responses((status = 201, body = Success<BarsImported>), (status = 400, body = Failure), (status = 404, body = Failure), (status = 429, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn fetch(
    State(state): State<AppState>,
    Authed(p): Authed,
    Json(req): Json<FetchRequest>,
) -> ApiResult<BarsImported> {
    Ok(created(market::fetch(&state.ctx, &p, &req).await?))
}
