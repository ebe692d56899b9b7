//! /api/v1/analytics: journal statistics over any trade filter. Money as decimal strings,
//! ratios as numbers, days in the `tz` timezone (UTC by default).

use crate::api::auth::Authed;
use crate::api::envelope::{ok, ApiResult, Failure, Query, Success};
use app::error::AppError;
use app::journal_wire::{money, TradeFilter};
use app::ssr::services::journal::analytics as svc;
use app::ssr::AppState;
use axum::extract::State;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct View {
    /// IANA timezone days are counted in (default UTC).
    pub tz: Option<String>,
    /// Account size the drawdown percentage is measured against.
    pub starting_equity: Option<String>,
    /// equity-curve: day, week or month.
    pub period: Option<String>,
    /// breakdown: symbol, tag, setup, instrument, weekday or hour.
    pub by: Option<String>,
    /// calendar: the year.
    pub year: Option<i32>,
}

fn dec_param(raw: Option<&str>, field: &str) -> Result<Decimal, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Decimal::ZERO),
        Some(s) => s
            .parse()
            .map_err(|_| AppError::invalid(field, format!("'{s}' is not a number"))),
    }
}

/// The summary: counts, P&L, ratios, drawdown, streaks, hold times, Sharpe/Sortino, R.
#[derive(Serialize, ToSchema)]
pub struct SummaryView {
    pub total_trades: usize,
    pub winners: usize,
    pub losers: usize,
    pub scratches: usize,
    pub win_rate: Option<f64>,
    #[schema(value_type = String)]
    pub gross_profit: Decimal,
    #[schema(value_type = String)]
    pub gross_loss: Decimal,
    #[schema(value_type = String)]
    pub net_pnl: Decimal,
    #[schema(value_type = String)]
    pub fees: Decimal,
    pub profit_factor: Option<f64>,
    #[schema(value_type = Option<String>)]
    pub expectancy: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub avg_win: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub avg_loss: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub largest_win: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub largest_loss: Option<Decimal>,
    #[schema(value_type = String)]
    pub max_drawdown: Decimal,
    pub max_drawdown_pct: Option<f64>,
    pub max_consecutive_wins: usize,
    pub max_consecutive_losses: usize,
    pub avg_hold_seconds_winners: Option<i64>,
    pub avg_hold_seconds_losers: Option<i64>,
    pub sharpe: Option<f64>,
    pub sortino: Option<f64>,
    pub trading_days: usize,
    /// Sample size of the R figures (trades with a planned stop).
    pub r_trades: usize,
    pub avg_r: Option<f64>,
    pub sqn: Option<f64>,
    pub kelly_pct: Option<f64>,
}

fn cents(d: Option<Decimal>) -> Option<Decimal> {
    d.map(|d| money(d.round_dp(2)))
}

impl From<journal::analytics::Summary> for SummaryView {
    fn from(s: journal::analytics::Summary) -> Self {
        SummaryView {
            total_trades: s.total_trades,
            winners: s.winners,
            losers: s.losers,
            scratches: s.scratches,
            win_rate: s.win_rate,
            gross_profit: money(s.gross_profit),
            gross_loss: money(s.gross_loss),
            net_pnl: money(s.net_pnl),
            fees: money(s.fees),
            profit_factor: s.profit_factor,
            expectancy: cents(s.expectancy),
            avg_win: cents(s.avg_win),
            avg_loss: cents(s.avg_loss),
            largest_win: s.largest_win.map(money),
            largest_loss: s.largest_loss.map(money),
            max_drawdown: money(s.max_drawdown),
            max_drawdown_pct: s.max_drawdown_pct,
            max_consecutive_wins: s.max_consecutive_wins,
            max_consecutive_losses: s.max_consecutive_losses,
            avg_hold_seconds_winners: s.avg_hold_seconds_winners,
            avg_hold_seconds_losers: s.avg_hold_seconds_losers,
            sharpe: s.sharpe,
            sortino: s.sortino,
            trading_days: s.trading_days,
            r_trades: s.r_trades,
            avg_r: s.avg_r,
            sqn: s.sqn,
            kelly_pct: s.kelly_pct,
        }
    }
}

#[utoipa::path(get, path = "/analytics/summary", tag = "analytics", params(View, TradeFilter),
    responses((status = 200, body = Success<SummaryView>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn summary(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(v): Query<View>,
    Query(f): Query<TradeFilter>,
) -> ApiResult<SummaryView> {
    let tz = svc::timezone(v.tz.as_deref())?;
    let start = dec_param(v.starting_equity.as_deref(), "starting_equity")?;
    Ok(ok(svc::summary(&state.ctx, &p, &f, tz, start)
        .await?
        .into()))
}

#[derive(Serialize, ToSchema)]
pub struct EquityPointView {
    /// First day of the period.
    pub period: String,
    #[schema(value_type = String)]
    pub pnl: Decimal,
    #[schema(value_type = String)]
    pub cumulative: Decimal,
    #[schema(value_type = String)]
    pub drawdown: Decimal,
    pub trades: usize,
}

#[utoipa::path(get, path = "/analytics/equity-curve", tag = "analytics", params(View, TradeFilter),
    responses((status = 200, body = Success<Vec<EquityPointView>>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn equity_curve(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(v): Query<View>,
    Query(f): Query<TradeFilter>,
) -> ApiResult<Vec<EquityPointView>> {
    let tz = svc::timezone(v.tz.as_deref())?;
    let period = v.period.unwrap_or_else(|| "day".into());
    let points = svc::equity_curve(&state.ctx, &p, &f, tz, &period).await?;
    Ok(ok(points
        .into_iter()
        .map(|e| EquityPointView {
            period: e.period.to_string(),
            pnl: money(e.pnl),
            cumulative: money(e.cumulative),
            drawdown: money(e.drawdown),
            trades: e.trades,
        })
        .collect()))
}

#[derive(Serialize, ToSchema)]
pub struct BreakdownView {
    pub key: String,
    pub trades: usize,
    pub winners: usize,
    pub win_rate: f64,
    #[schema(value_type = String)]
    pub net_pnl: Decimal,
    #[schema(value_type = String)]
    pub avg_pnl: Decimal,
}

#[utoipa::path(get, path = "/analytics/breakdown", tag = "analytics", params(View, TradeFilter),
    responses((status = 200, body = Success<Vec<BreakdownView>>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn breakdown(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(v): Query<View>,
    Query(f): Query<TradeFilter>,
) -> ApiResult<Vec<BreakdownView>> {
    let tz = svc::timezone(v.tz.as_deref())?;
    let by = v.by.unwrap_or_else(|| "symbol".into());
    let rows = svc::breakdown(&state.ctx, &p, &f, tz, &by).await?;
    Ok(ok(rows
        .into_iter()
        .map(|r| BreakdownView {
            key: r.key,
            trades: r.trades,
            winners: r.winners,
            win_rate: r.win_rate,
            net_pnl: money(r.net_pnl),
            avg_pnl: money(r.avg_pnl.round_dp(2)),
        })
        .collect()))
}

#[derive(Serialize, ToSchema)]
pub struct CalendarDayView {
    pub date: String,
    #[schema(value_type = String)]
    pub pnl: Decimal,
    pub trades: usize,
}

#[utoipa::path(get, path = "/analytics/calendar", tag = "analytics", params(View, TradeFilter),
    responses((status = 200, body = Success<Vec<CalendarDayView>>), (status = 400, body = Failure)),
    security(("api_key" = []), ("session" = [])))]
pub async fn calendar(
    State(state): State<AppState>,
    Authed(p): Authed,
    Query(v): Query<View>,
    Query(f): Query<TradeFilter>,
) -> ApiResult<Vec<CalendarDayView>> {
    let tz = svc::timezone(v.tz.as_deref())?;
    let year = v
        .year
        .ok_or_else(|| AppError::invalid("year", "Give the year, e.g. year=2024"))?;
    let days = svc::calendar(&state.ctx, &p, &f, tz, year).await?;
    Ok(ok(days
        .into_iter()
        .map(|d| CalendarDayView {
            date: d.date.to_string(),
            pnl: money(d.pnl),
            trades: d.trades,
        })
        .collect()))
}
