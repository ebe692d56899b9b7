//! Journal analytics over any trade filter: closed, live trades only, days in the
//! caller's display timezone.

use std::collections::HashMap;
use std::sync::Arc;

use chrono_tz::Tz;
use journal::analytics::{self, BreakdownBy, ClosedTrade, Period};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::closed_cache::Cached;
use super::trades::query;
use super::views::risk_of;
use crate::error::AppError;
use crate::journal_wire::TradeFilter;
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use crate::ssr::journal_store::{ClosedRow, TradeQuery};

/// The display timezone of a request (`tz`), UTC when absent.
pub fn timezone(raw: Option<&str>) -> Result<Tz, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(chrono_tz::UTC),
        Some(name) => name.parse::<Tz>().map_err(|_| {
            AppError::invalid(
                "tz",
                format!("Unknown timezone '{name}': use an IANA name such as Europe/London"),
            )
        }),
    }
}

/// The closed trades of a filter, from the cache when the journal has not changed since
/// they were loaded. Tags are filled in only when `with_tags` (the tag breakdown).
async fn closed(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
    with_tags: bool,
) -> Result<Arc<Cached>, AppError> {
    p.require(Action::ViewAnalytics)?;
    let mut f = f.clone();
    f.status = Some("closed".into());
    f.deleted = Some(false);
    let (q, _, _) = query(&TradeFilter {
        limit: None,
        offset: None,
        ..f
    })?;
    let started = std::time::Instant::now();
    // The version before the trades: a write in between is refreshed again next time.
    let now = ctx.store.journal_version(p.workspace_id).await?;
    let ws = p.workspace_id;
    let cached = match ctx.closed_cache.latest(ws, &q) {
        Some((version, hit)) if version == now.version => hit,
        entry => {
            let value = Arc::new(match entry {
                Some((version, old)) if version >= now.reset => {
                    refreshed(ctx, ws, &q, version, &old, started).await?
                }
                _ => {
                    let rows = ctx.store.closed_trades(ws, &q).await?;
                    Cached {
                        ids: rows.iter().map(|r| r.id).collect(),
                        trades: rows.into_iter().map(closed_trade).collect(),
                    }
                }
            });
            ctx.closed_cache
                .put(ws, now.version, q.clone(), value.clone());
            value
        }
    };
    tracing::debug!(
        trades = cached.trades.len(),
        load_ms = started.elapsed().as_millis() as u64,
        "analytics rows loaded"
    );
    if !with_tags {
        return Ok(cached);
    }
    let mut tags: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (trade, tag) in ctx
        .store
        .tags_of_trades(p.workspace_id, &cached.ids)
        .await?
    {
        tags.entry(trade).or_default().push(tag.name);
    }
    let mut tagged = Cached {
        ids: cached.ids.clone(),
        trades: cached.trades.clone(),
    };
    for (id, t) in tagged.ids.iter().zip(tagged.trades.iter_mut()) {
        t.tags = tags.remove(id).unwrap_or_default();
    }
    Ok(Arc::new(tagged))
}

/// `old` (cached at `version`) with the trades changed since then replaced.
async fn refreshed(
    ctx: &ServerContext,
    ws: Uuid,
    q: &TradeQuery,
    version: i64,
    old: &Cached,
    started: std::time::Instant,
) -> Result<Cached, AppError> {
    let changes = ctx.store.closed_trades_changed(ws, q, version).await?;
    let queried = started.elapsed();
    let changes: Vec<_> = changes
        .into_iter()
        .map(|(id, row)| (id, row.map(closed_trade)))
        .collect();
    let changed = changes.len();
    let value = old.refreshed(changes);
    tracing::debug!(
        changed,
        query_ms = queried.as_millis() as u64,
        refresh_ms = (started.elapsed() - queried).as_millis() as u64,
        "analytics rows refreshed"
    );
    Ok(value)
}

fn closed_trade(r: ClosedRow) -> ClosedTrade {
    ClosedTrade {
        pnl: r.pnl,
        fees: r.fees,
        opened_at: r.opened_at,
        closed_at: r.closed_at,
        risk: risk_of(r.entry_price, r.stop_price, r.quantity, r.multiplier),
        symbol: r.symbol,
        instrument: r.instrument,
        setup: r.setup,
        tags: Vec::new(),
    }
}

pub async fn summary(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
    tz: Tz,
    starting_equity: Decimal,
) -> Result<analytics::Summary, AppError> {
    let trades = closed(ctx, p, f, false).await?;
    let started = std::time::Instant::now();
    let s = analytics::summary(&trades.trades, tz, starting_equity);
    tracing::debug!(
        compute_ms = started.elapsed().as_millis() as u64,
        "summary computed"
    );
    Ok(s)
}

pub async fn equity_curve(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
    tz: Tz,
    period: &str,
) -> Result<Vec<analytics::EquityPoint>, AppError> {
    let period = Period::parse(period).ok_or_else(|| {
        AppError::invalid(
            "period",
            format!("'{period}' is not a period: use day, week or month"),
        )
    })?;
    let trades = closed(ctx, p, f, false).await?;
    Ok(analytics::equity_curve(&trades.trades, tz, period))
}

pub async fn breakdown(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
    tz: Tz,
    by: &str,
) -> Result<Vec<analytics::BreakdownRow>, AppError> {
    let by = BreakdownBy::parse(by).ok_or_else(|| {
        AppError::invalid(
            "by",
            format!(
                "'{by}' cannot be broken down: use symbol, tag, setup, instrument, weekday or hour"
            ),
        )
    })?;
    let trades = closed(ctx, p, f, by == BreakdownBy::Tag).await?;
    Ok(analytics::breakdown(&trades.trades, tz, by))
}

pub async fn calendar(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
    tz: Tz,
    year: i32,
) -> Result<Vec<analytics::CalendarDay>, AppError> {
    if !(1970..=2200).contains(&year) {
        return Err(AppError::invalid(
            "year",
            "year must be between 1970 and 2200",
        ));
    }
    let trades = closed(ctx, p, f, false).await?;
    Ok(analytics::calendar(&trades.trades, tz, year))
}

pub async fn distribution(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
    bucket: Decimal,
) -> Result<Vec<(Decimal, usize)>, AppError> {
    if bucket <= Decimal::ZERO {
        return Err(AppError::invalid("bucket", "bucket must be positive"));
    }
    let trades = closed(ctx, p, f, false).await?;
    Ok(analytics::distribution(&trades.trades, bucket))
}
