//! Row → wire conversions for the journal.

use journal::matching::Trade;
use journal::Execution;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::journal_wire::{money, ExecutionView, LegView, TagView, TradePreview, TradeView};
use crate::ssr::journal_store::{TagRow, TradeRow};

pub fn execution_view(id: Uuid, e: &Execution) -> ExecutionView {
    ExecutionView {
        id,
        account: e.account.clone(),
        broker: e.broker.clone(),
        symbol: e.symbol.clone(),
        instrument: e.instrument.as_str().into(),
        side: e.side.as_str().into(),
        effect: e.effect.as_str().into(),
        quantity: e.quantity.normalize(),
        price: e.price.normalize(),
        fees: money(e.fees),
        multiplier: e.multiplier.normalize(),
        time: e.time,
        exec_id: e.exec_id.clone(),
        order_id: e.order_id.clone(),
        option: e.option.clone(),
    }
}

pub fn trade_preview(t: &Trade) -> TradePreview {
    TradePreview {
        account: t.account.clone(),
        symbol: t.symbol.clone(),
        side: t.direction.as_str().into(),
        status: match t.status {
            journal::matching::Status::Open => "open".into(),
            journal::matching::Status::Closed => "closed".into(),
        },
        legs: t.legs.len(),
        opened_at: t.opened_at,
        closed_at: t.closed_at,
        quantity: t.quantity.normalize(),
        pnl: money(t.pnl),
    }
}

pub fn tag_view(t: &TagRow) -> TagView {
    TagView {
        id: t.id,
        name: t.name.clone(),
        color: t.color.clone(),
    }
}

/// Money at risk to the planned stop: |entry − stop| × size × multiplier.
pub fn risk(t: &TradeRow) -> Option<Decimal> {
    risk_of(t.entry_price, t.stop_price, t.quantity, t.multiplier)
}

/// Money at risk between the entry and the planned stop, when there is one.
pub fn risk_of(
    entry: Decimal,
    stop: Option<Decimal>,
    quantity: Decimal,
    multiplier: Decimal,
) -> Option<Decimal> {
    stop.map(|s| (entry - s).abs() * quantity * multiplier)
        .filter(|r| *r > Decimal::ZERO)
}

pub fn trade_view(t: &TradeRow, tags: Vec<TagView>) -> TradeView {
    let legs: Vec<LegView> = serde_json::from_str(&t.legs).unwrap_or_default();
    let risk = risk(t);
    TradeView {
        id: t.id,
        account: t.account.clone(),
        symbol: t.symbol.clone(),
        instrument: t.instrument.clone(),
        side: t.direction.clone(),
        status: t.status.clone(),
        opened_at: t.opened_at,
        closed_at: t.closed_at,
        hold_seconds: t.closed_at.map(|c| (c - t.opened_at).num_seconds()),
        quantity: t.quantity.normalize(),
        multiplier: t.multiplier.normalize(),
        entry_price: t.entry_price.round_dp(6).normalize(),
        exit_price: t.exit_price.map(|p| p.round_dp(6).normalize()),
        gross_pnl: money(t.gross_pnl),
        fees: money(t.fees),
        pnl: money(t.pnl),
        pnl_pct: t.pnl_pct.map(|p| p.normalize()),
        risk: risk.map(money),
        r_multiple: risk.and_then(|r| (t.pnl / r).to_f64()),
        setup: t.setup.clone(),
        notes: t.notes.clone(),
        stop: t.stop_price.map(|p| p.normalize()),
        target: t.target_price.map(|p| p.normalize()),
        tags,
        legs,
        incomplete: t.incomplete,
        manual: t.manual,
        owner_id: t.user_id,
        deleted_at: t.deleted_at,
        excursion: None,
        attachments: Vec::new(),
    }
}
