//! Trades: list with filters, detail, the trader's edits, tags, soft delete with undo,
//! purge, hand-entered trades, executions and exports.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use journal::{Effect, Execution, Instrument, Side};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::rebuild::{apply, purge_change, Change};
use super::views::{execution_view, tag_view, trade_view};
use crate::error::AppError;
use crate::journal_wire::{
    ExecutionPage, NewTrade, Pagination, TagView, TradeFilter, TradePage, TradePatch, TradeView,
};
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use crate::ssr::journal_store::{ExecutionRow, TagRow, TradeQuery, TradeRow};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;
/// Soft-deleted trades are kept this long before the purge.
pub const TRASH_DAYS: i64 = 30;
const NOTES_MAX: usize = 5000;
const PRICE_MAX: i64 = 1_000_000;
use crate::journal_wire::TAG_COLORS;

fn parse_bound(raw: &str, field: &str, end: bool) -> Result<DateTime<Utc>, AppError> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        AppError::invalid(
            field,
            format!("'{raw}' is not a date: use YYYY-MM-DD or an RFC 3339 time"),
        )
    })?;
    // `to` is inclusive of its whole day.
    let d = if end { d.succ_opt().unwrap_or(d) } else { d };
    Ok(d.and_time(NaiveTime::MIN).and_utc())
}

fn one_of(raw: Option<&str>, field: &str, allowed: &[&str]) -> Result<Option<String>, AppError> {
    match raw
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(v) if allowed.contains(&v.as_str()) => Ok(Some(v)),
        Some(v) => Err(AppError::invalid(
            field,
            format!("'{v}' is not a {field}: use {}", allowed.join(" or ")),
        )),
    }
}

fn text(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Turns request filters into a store query, with precise messages for bad values.
pub fn query(f: &TradeFilter) -> Result<(TradeQuery, i64, i64), AppError> {
    let limit = f.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let offset = f.offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::invalid("offset", "offset cannot be negative"));
    }
    let q = TradeQuery {
        from: f
            .from
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_bound(s, "from", false))
            .transpose()?,
        to: f
            .to
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_bound(s, "to", true))
            .transpose()?,
        symbol: text(f.symbol.as_deref()).map(|s| s.to_ascii_uppercase()),
        tag: text(f.tag.as_deref()),
        setup: text(f.setup.as_deref()),
        direction: one_of(f.side.as_deref(), "side", &["long", "short"])?,
        status: one_of(f.status.as_deref(), "status", &["open", "closed"])?,
        account: text(f.account.as_deref()),
        deleted: f.deleted.unwrap_or(false),
    };
    if let (Some(a), Some(b)) = (q.from, q.to) {
        if a >= b {
            return Err(AppError::invalid("to", "'to' must be after 'from'"));
        }
    }
    Ok((q, limit, offset))
}

async fn with_tags(
    ctx: &ServerContext,
    p: &Principal,
    rows: &[TradeRow],
) -> Result<Vec<TradeView>, AppError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut tags: HashMap<Uuid, Vec<TagView>> = HashMap::new();
    for (trade, tag) in ctx.store.tags_of_trades(p.workspace_id, &ids).await? {
        tags.entry(trade).or_default().push(tag_view(&tag));
    }
    Ok(rows
        .iter()
        .map(|r| trade_view(r, tags.remove(&r.id).unwrap_or_default()))
        .collect())
}

pub async fn list(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
) -> Result<TradePage, AppError> {
    p.require(Action::ViewAnalytics)?;
    let (q, limit, offset) = query(f)?;
    let (rows, total) = ctx.store.trades(p.workspace_id, &q, limit, offset).await?;
    Ok(TradePage {
        trades: with_tags(ctx, p, &rows).await?,
        pagination: Pagination {
            total,
            limit,
            offset,
            has_more: offset + (rows.len() as i64) < total,
        },
    })
}

/// Every trade matching the filter (for analytics and exports), without pagination.
pub async fn all_matching(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
) -> Result<Vec<TradeRow>, AppError> {
    let (q, _, _) = query(&TradeFilter {
        limit: None,
        offset: None,
        ..f.clone()
    })?;
    Ok(ctx.store.trades(p.workspace_id, &q, i64::MAX, 0).await?.0)
}

pub(super) async fn trade_row(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
) -> Result<TradeRow, AppError> {
    ctx.store
        .trade(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Trade"))
}

pub async fn get(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<TradeView, AppError> {
    p.require(Action::ViewAnalytics)?;
    let r = trade_row(ctx, p, id).await?;
    let mut view = with_tags(ctx, p, std::slice::from_ref(&r)).await?.remove(0);
    view.excursion = super::excursions::of_trade(ctx, &r, chrono::Utc::now()).await?;
    view.attachments = super::attachments::list(ctx, p, id).await?;
    Ok(view)
}

/// A trade's MAE/MFE alone (the detail view loads tags and attachments separately).
pub async fn excursion(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
) -> Result<Option<crate::journal_wire::ExcursionView>, AppError> {
    p.require(Action::ViewAnalytics)?;
    let r = trade_row(ctx, p, id).await?;
    super::excursions::of_trade(ctx, &r, chrono::Utc::now()).await
}

pub(super) fn may_edit(p: &Principal, t: &TradeRow) -> Result<(), AppError> {
    if t.user_id == Some(p.user.id) {
        p.require(Action::EditOwnTrades)
    } else {
        p.require(Action::EditAllTrades)
    }
}

fn may_delete(p: &Principal, t: &TradeRow) -> Result<(), AppError> {
    if t.user_id == Some(p.user.id) {
        p.require(Action::DeleteOwnTrades)
    } else {
        p.require(Action::DeleteAllTrades)
    }
}

/// A positive price within the spec's bounds.
pub fn price(raw: &str, field: &str) -> Result<Decimal, AppError> {
    let v: Decimal = raw
        .trim()
        .replace(',', "")
        .parse()
        .map_err(|_| AppError::invalid(field, format!("'{}' is not a number", raw.trim())))?;
    if v <= Decimal::ZERO {
        return Err(AppError::invalid(
            field,
            format!("The {field} must be positive"),
        ));
    }
    if v > Decimal::from(PRICE_MAX) {
        return Err(AppError::invalid(field, format!("The {field} is too high")));
    }
    Ok(v)
}

fn opt_price(raw: Option<&str>, field: &str) -> Result<Option<Decimal>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => price(s, field).map(Some),
    }
}

/// Finds tags by name in the workspace, creating the missing ones.
async fn tag_ids(
    ctx: &ServerContext,
    p: &Principal,
    names: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, AppError> {
    let mut existing: HashMap<String, Uuid> = ctx
        .store
        .tags(p.workspace_id)
        .await?
        .into_iter()
        .map(|t| (t.name.to_lowercase(), t.id))
        .collect();
    let mut ids = Vec::new();
    for raw in names {
        let name = raw.trim();
        if name.is_empty() {
            continue;
        }
        if name.chars().count() > 50 {
            return Err(AppError::invalid("tags", "A tag is 50 characters at most"));
        }
        let id = match existing.get(&name.to_lowercase()) {
            Some(id) => *id,
            None => {
                let tag = TagRow {
                    id: Uuid::new_v4(),
                    workspace_id: p.workspace_id,
                    name: name.to_string(),
                    color: TAG_COLORS[existing.len() % TAG_COLORS.len()].into(),
                    created_at: now,
                };
                ctx.store.create_tag(&tag).await?;
                existing.insert(name.to_lowercase(), tag.id);
                tag.id
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

pub async fn patch(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
    patch: &TradePatch,
    now: DateTime<Utc>,
) -> Result<TradeView, AppError> {
    let mut t = trade_row(ctx, p, id).await?;
    may_edit(p, &t)?;
    if let Some(setup) = &patch.setup {
        let s = text(setup.as_deref());
        if s.as_ref().is_some_and(|s| s.chars().count() > 100) {
            return Err(AppError::invalid(
                "setup",
                "The setup is 100 characters at most",
            ));
        }
        t.setup = s;
    }
    if let Some(notes) = &patch.notes {
        if notes.chars().count() > NOTES_MAX {
            return Err(AppError::invalid(
                "notes",
                format!("Notes are {NOTES_MAX} characters at most"),
            ));
        }
        t.notes = notes.clone();
    }
    if let Some(stop) = &patch.stop {
        t.stop_price = opt_price(stop.as_deref(), "stop")?;
    }
    if let Some(target) = &patch.target {
        t.target_price = opt_price(target.as_deref(), "target")?;
    }
    t.updated_at = now;
    if let Some(names) = &patch.tags {
        let ids = tag_ids(ctx, p, names, now).await?;
        ctx.store.set_trade_tags(p.workspace_id, id, &ids).await?;
    }
    ctx.store.update_trade_fields(&t).await?;
    get(ctx, p, id).await
}

/// Moves a trade to the trash (undo with [`restore`] for 30 days).
pub async fn delete(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let t = trade_row(ctx, p, id).await?;
    may_delete(p, &t)?;
    ctx.store
        .set_trade_deleted(p.workspace_id, id, Some(now))
        .await?;
    Ok(())
}

pub async fn restore(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<TradeView, AppError> {
    let t = trade_row(ctx, p, id).await?;
    may_delete(p, &t)?;
    ctx.store
        .set_trade_deleted(p.workspace_id, id, None)
        .await?;
    get(ctx, p, id).await
}

fn execution_ids(t: &TradeRow) -> Vec<Uuid> {
    super::rebuild::leg_executions(&t.legs)
}

/// Deletes a trade for good, with its executions, and rebuilds its account.
pub async fn purge(
    ctx: &ServerContext,
    p: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let t = trade_row(ctx, p, id).await?;
    may_delete(p, &t)?;
    super::attachments::remove_all_of_trade(ctx, p.workspace_id, t.id).await?;
    let change = purge_change(ctx, p.workspace_id, &t).await?;
    apply(ctx, change, now, &|_| true, &|_| {}).await?;
    Ok(())
}

/// Purges trades that have been in the trash longer than [`TRASH_DAYS`].
pub async fn purge_expired(ctx: &ServerContext, now: DateTime<Utc>) -> Result<usize, AppError> {
    let old = ctx
        .store
        .trades_deleted_before(None, now - chrono::Duration::days(TRASH_DAYS))
        .await?;
    for t in &old {
        super::attachments::remove_all_of_trade(ctx, t.workspace_id, t.id).await?;
        let change = purge_change(ctx, t.workspace_id, t).await?;
        apply(ctx, change, now, &|_| true, &|_| {}).await?;
    }
    Ok(old.len())
}

fn parse_time(raw: &str, field: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            AppError::invalid(
                field,
                format!(
                    "'{}' is not a time: use RFC 3339, e.g. 2024-03-04T14:30:00Z",
                    raw.trim()
                ),
            )
        })
}

/// Records a trade entered by hand as its opening (and closing) fills, so it is matched,
/// counted and exported like an imported one.
pub async fn create(
    ctx: &ServerContext,
    p: &Principal,
    n: &NewTrade,
    now: DateTime<Utc>,
) -> Result<TradeView, AppError> {
    p.require(Action::CreateTrades)?;
    let symbol = n.symbol.trim().to_ascii_uppercase();
    if symbol.is_empty() {
        return Err(AppError::invalid("symbol", "Symbol is required"));
    }
    if symbol.len() > 20
        || !symbol
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-'))
    {
        return Err(AppError::invalid(
            "symbol",
            "Invalid symbol: letters, digits, '.', '/' and '-' only, 20 at most",
        ));
    }
    let side = match n.side.trim().to_ascii_lowercase().as_str() {
        "long" | "buy" => Side::Buy,
        "short" | "sell" => Side::Sell,
        other => {
            return Err(AppError::invalid(
                "side",
                format!("'{other}' is not a side: use long or short"),
            ))
        }
    };
    let instrument = match n
        .instrument
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Instrument::Equity,
        Some(s) => match Instrument::parse(s) {
            Some(Instrument::Option) | None => {
                return Err(AppError::invalid(
                    "instrument",
                    "Use equity, future, crypto or forex (import options from a broker file)",
                ))
            }
            Some(i) => i,
        },
    };
    let quantity: Decimal = n
        .quantity
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("quantity", "Quantity must be a number"))?;
    if quantity <= Decimal::ZERO || quantity > Decimal::from(PRICE_MAX) {
        return Err(AppError::invalid(
            "quantity",
            "Quantity must be positive and at most 1,000,000",
        ));
    }
    let entry_price = price(&n.entry_price, "entry_price")?;
    let entry_time = parse_time(&n.entry_time, "entry_time")?;
    let exit_price = opt_price(n.exit_price.as_deref(), "exit_price")?;
    let exit_time = match n.exit_time.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Some(parse_time(s, "exit_time")?),
        None => None,
    };
    if exit_price.is_some() != exit_time.is_some() {
        return Err(AppError::invalid(
            if exit_price.is_some() {
                "exit_time"
            } else {
                "exit_price"
            },
            "Give both the exit price and the exit time, or neither",
        ));
    }
    if exit_time.is_some_and(|x| x < entry_time) {
        return Err(AppError::invalid(
            "exit_time",
            "The exit is before the entry",
        ));
    }
    let fees = match n.fees.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Decimal::ZERO,
        Some(s) => {
            let f: Decimal = s
                .parse()
                .map_err(|_| AppError::invalid("fees", "Fees must be a number"))?;
            if f < Decimal::ZERO || f > Decimal::from(10_000) {
                return Err(AppError::invalid(
                    "fees",
                    "Fees must be between 0 and 10,000",
                ));
            }
            f
        }
    };
    let multiplier = match n
        .multiplier
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Decimal::ONE,
        Some(s) => price(s, "multiplier")?,
    };
    let account = text(n.account.as_deref()).unwrap_or_else(|| "Manual".into());
    let key = Uuid::new_v4();
    let fill =
        |side: Side, price: Decimal, time: DateTime<Utc>, fees: Decimal, tag: &str| Execution {
            account: account.clone(),
            broker: "manual".into(),
            symbol: symbol.clone(),
            instrument,
            side,
            effect: if tag == "open" {
                Effect::Open
            } else {
                Effect::Close
            },
            quantity,
            price,
            fees,
            time,
            exec_id: Some(format!("manual:{key}:{tag}")),
            order_id: None,
            option: None,
            multiplier,
        };
    let (open_fees, close_fees) = if exit_price.is_some() {
        let half = (fees / Decimal::TWO).round_dp(10);
        (half, fees - half)
    } else {
        (fees, Decimal::ZERO)
    };
    let mut execs = vec![fill(side, entry_price, entry_time, open_fees, "open")];
    if let (Some(px), Some(t)) = (exit_price, exit_time) {
        let close = if side == Side::Buy {
            Side::Sell
        } else {
            Side::Buy
        };
        execs.push(fill(close, px, t, close_fees, "close"));
    }
    let rows: Vec<ExecutionRow> = execs
        .into_iter()
        .map(|e| ExecutionRow {
            id: Uuid::new_v4(),
            workspace_id: p.workspace_id,
            user_id: Some(p.user.id),
            import_id: None,
            dedupe_key: e.dedupe_key(0),
            execution: e,
        })
        .collect();
    let opening_key = rows[0].dedupe_key.clone();
    let opening_id = rows[0].id;
    apply(
        ctx,
        Change {
            workspace_id: p.workspace_id,
            new: rows,
            delete: Vec::new(),
            also_accounts: Vec::new(),
            import: None,
        },
        now,
        &|_| true,
        &|_| {},
    )
    .await?;
    // The new fills may have joined a position already open in this account; find the
    // trade that holds the opening fill.
    let (trades, _) = ctx
        .store
        .trades(
            p.workspace_id,
            &TradeQuery {
                symbol: Some(symbol.clone()),
                account: Some(account.clone()),
                ..TradeQuery::default()
            },
            MAX_LIMIT,
            0,
        )
        .await?;
    let t = trades
        .into_iter()
        .find(|t| t.trade_key == opening_key || execution_ids(t).contains(&opening_id))
        .ok_or_else(AppError::internal)?;
    let fields = TradePatch {
        setup: n.setup.clone().map(Some),
        notes: n.notes.clone(),
        stop: n.stop.clone().map(Some),
        target: n.target.clone().map(Some),
        tags: n.tags.clone(),
    };
    patch(ctx, p, t.id, &fields, now).await
}

pub async fn executions(
    ctx: &ServerContext,
    p: &Principal,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<ExecutionPage, AppError> {
    p.require(Action::ViewAnalytics)?;
    let (_, limit, offset) = query(&TradeFilter {
        limit,
        offset,
        ..TradeFilter::default()
    })?;
    let (rows, total) = ctx.store.executions(p.workspace_id, limit, offset).await?;
    Ok(ExecutionPage {
        executions: rows
            .iter()
            .map(|r| execution_view(r.id, &r.execution))
            .collect(),
        pagination: Pagination {
            total,
            limit,
            offset,
            has_more: offset + (rows.len() as i64) < total,
        },
    })
}

/// Exports the filtered trades: `csv` is their executions in the generic import format
/// (re-importable without duplicates), `json` the trades with their executions.
pub async fn export(
    ctx: &ServerContext,
    p: &Principal,
    f: &TradeFilter,
    format: &str,
) -> Result<(&'static str, String), AppError> {
    p.require(Action::ExportOwnData)?;
    let mut trades = all_matching(ctx, p, f).await?;
    if !p.role.can(Action::ExportAllData) {
        trades.retain(|t| t.user_id == Some(p.user.id));
    }
    let ids: Vec<Uuid> = trades.iter().flat_map(execution_ids).collect();
    let mut execs = ctx.store.executions_by_id(p.workspace_id, &ids).await?;
    execs.sort_by_key(|e| e.execution.time);
    execs.dedup_by_key(|e| e.id);
    match format {
        "csv" => {
            let plain: Vec<Execution> = execs.into_iter().map(|e| e.execution).collect();
            Ok((
                "text/csv; charset=utf-8",
                journal::import::write_generic(&plain),
            ))
        }
        "json" => {
            let views = with_tags(ctx, p, &trades).await?;
            let execs: Vec<_> = execs
                .iter()
                .map(|r| execution_view(r.id, &r.execution))
                .collect();
            let body = serde_json::json!({ "trades": views, "executions": execs });
            Ok(("application/json", body.to_string()))
        }
        other => Err(AppError::invalid(
            "format",
            format!("'{other}' is not an export format: use csv or json"),
        )),
    }
}

pub async fn tags(ctx: &ServerContext, p: &Principal) -> Result<Vec<TagView>, AppError> {
    p.require(Action::ViewAnalytics)?;
    Ok(ctx
        .store
        .tags(p.workspace_id)
        .await?
        .iter()
        .map(tag_view)
        .collect())
}
