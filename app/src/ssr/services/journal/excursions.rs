//! MAE / MFE of one trade from the workspace's stored bars of its symbol (its own imports,
//! else the built-in data): the finest interval from 1m to 1D whose bars cover the trade.

use crate::error::AppError;
use crate::journal_wire::ExcursionView;
use crate::ssr::context::ServerContext;
use crate::ssr::journal_store::TradeRow;
use chrono::{DateTime, Utc};
use journal::excursion::excursion;
use market::Interval;
use rust_decimal::prelude::ToPrimitive;

/// Finest first: the first interval with bars over the trade is used.
const INTERVALS: [Interval; 6] = [
    Interval::M1,
    Interval::M5,
    Interval::M15,
    Interval::H1,
    Interval::H4,
    Interval::D1,
];

/// At most this many bars are read for one trade (a year of minutes is ~100,000).
const MAX_BARS: i64 = 200_000;

/// The trade's excursions, or None when no stored bars cover it or its P&L is not the
/// symbol's price (options, multi-leg positions).
pub async fn of_trade(
    ctx: &ServerContext,
    t: &TradeRow,
    now: DateTime<Utc>,
) -> Result<Option<ExcursionView>, AppError> {
    let priced_by_bars = matches!(
        t.instrument.as_str(),
        "equity" | "future" | "crypto" | "forex"
    );
    let legs: Vec<serde_json::Value> = serde_json::from_str(&t.legs).unwrap_or_default();
    if !priced_by_bars || legs.len() > 1 {
        return Ok(None);
    }
    let opened = t.opened_at.timestamp_millis();
    let closed = t.closed_at.unwrap_or(now).timestamp_millis();
    for interval in INTERVALS {
        // Bars whose span overlaps [opened, closed]: from the bar holding the opening.
        let from = interval.bucket_start(opened);
        let series = ctx
            .store
            .bars(
                t.workspace_id,
                &t.symbol,
                interval.as_str(),
                from,
                closed.saturating_add(1),
                MAX_BARS,
            )
            .await?;
        // Bars must reach the trade's last moment, else the figure would be partial.
        let covers = series.bars.first().is_some_and(|b| b.t <= opened)
            && series
                .bars
                .last()
                .is_some_and(|b| b.t + interval.nominal_ms() > closed);
        if !covers {
            continue;
        }
        let long = t.direction != "short";
        let Some(e) = excursion(
            long,
            t.entry_price,
            t.quantity,
            t.multiplier,
            series.bars.iter().map(|b| (b.h, b.l)),
        ) else {
            continue;
        };
        let risk = super::views::risk(t);
        let in_r = |x: rust_decimal::Decimal| risk.and_then(|r| (x / r).round_dp(2).to_f64());
        return Ok(Some(ExcursionView {
            mae: crate::journal_wire::money(e.mae),
            mfe: crate::journal_wire::money(e.mfe),
            mae_r: in_r(e.mae),
            mfe_r: in_r(e.mfe),
            worst_price: e.worst_price,
            best_price: e.best_price,
            interval: interval.as_str().to_string(),
            bars: series.bars.len(),
        }));
    }
    Ok(None)
}
