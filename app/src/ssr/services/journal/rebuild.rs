//! Rebuilding trades from executions and writing both in one transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use journal::matching::{build_trades, Trade};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::AppError;
use crate::journal_wire::LegView;
use crate::ssr::context::ServerContext;
use crate::ssr::journal_store::{ExecutionRow, ImportRow, JournalWrite, Progress, TradeRow};

/// A trade row from a matched trade. `execs` is the slice the trade indexes into.
pub fn trade_row(
    t: &Trade,
    execs: &[ExecutionRow],
    workspace_id: Uuid,
    now: DateTime<Utc>,
) -> Option<TradeRow> {
    let opening = execs.get(t.opening_execution()?)?;
    let legs: Vec<LegView> = t
        .legs
        .iter()
        .map(|l| LegView {
            contract: l.contract.clone(),
            instrument: l.instrument.as_str().into(),
            option: l.option.clone(),
            multiplier: l.multiplier,
            side: l.direction.as_str().into(),
            quantity: l.max_quantity,
            open_quantity: l.open_quantity,
            avg_entry: l.avg_entry,
            avg_exit: l.avg_exit,
            realized: l.realized,
            fees: l.fees,
            opened_at: l.opened_at,
            closed_at: l.closed_at,
            executions: l
                .fills
                .iter()
                .filter_map(|f| execs.get(f.execution).map(|e| e.id))
                .collect(),
        })
        .collect();
    let legs = serde_json::to_string(&legs).ok()?;
    Some(TradeRow {
        // Time-ordered, like execution ids (see `imports::rows_of`).
        id: Uuid::now_v7(),
        workspace_id,
        user_id: opening.user_id,
        trade_key: opening.dedupe_key.clone(),
        account: t.account.clone(),
        symbol: t.symbol.clone(),
        instrument: t.instrument.as_str().into(),
        direction: t.direction.as_str().into(),
        status: match t.status {
            journal::matching::Status::Open => "open".into(),
            journal::matching::Status::Closed => "closed".into(),
        },
        opened_at: t.opened_at,
        closed_at: t.closed_at,
        quantity: t.quantity,
        multiplier: t.legs.first().map(|l| l.multiplier).unwrap_or(Decimal::ONE),
        entry_price: t.entry_price,
        exit_price: t.exit_price,
        gross_pnl: t.gross_pnl,
        fees: t.fees,
        pnl: t.pnl,
        pnl_pct: t.pnl_pct,
        legs,
        incomplete: t.incomplete,
        manual: opening.execution.broker == "manual",
        setup: None,
        notes: String::new(),
        stop_price: None,
        target_price: None,
        deleted_at: None,
        created_at: now,
        updated_at: now,
    })
}

/// Everything one journal change needs: new executions, executions to drop, the import it
/// completes. The accounts touched are rebuilt from all their executions.
pub struct Change {
    pub workspace_id: Uuid,
    pub new: Vec<ExecutionRow>,
    pub delete: Vec<Uuid>,
    /// Accounts to rebuild besides those of `new` (an edit can move a trade).
    pub also_accounts: Vec<String>,
    /// The import this change completes: stamped with the counts and marked done in
    /// the same transaction.
    pub import: Option<ImportRow>,
}

/// Outcome of [`apply`]: how many executions were new, and whether it was written.
pub struct Applied {
    /// What the import row says: "Imported N new executions; M already in the journal."
    pub message: String,
    pub added: usize,
    pub duplicates: usize,
    pub trades: usize,
    pub written: bool,
}

/// Rows the write will go through, for progress bars: new executions plus rebuilt trades.
pub async fn apply(
    ctx: &ServerContext,
    change: Change,
    now: DateTime<Utc>,
    progress: Progress<'_>,
    total_hint: &(dyn Fn(usize) + Send + Sync),
) -> Result<Applied, AppError> {
    let started = std::time::Instant::now();
    let mut accounts: BTreeSet<String> = change
        .new
        .iter()
        .map(|e| e.execution.account.clone())
        .collect();
    accounts.extend(change.also_accounts.iter().cloned());
    let accounts: Vec<String> = accounts.into_iter().collect();
    let existing = ctx
        .store
        .executions_for_accounts(change.workspace_id, &accounts)
        .await?;
    // Known keys, then each new key once: a broker id listed twice in a file is one fill.
    let mut known: std::collections::HashSet<String> =
        existing.iter().map(|e| e.dedupe_key.clone()).collect();
    let fresh: Vec<ExecutionRow> = change
        .new
        .iter()
        .filter(|e| known.insert(e.dedupe_key.clone()))
        .cloned()
        .collect();
    let duplicates = change.new.len() - fresh.len();
    let deleted: std::collections::HashSet<Uuid> = change.delete.iter().copied().collect();
    let mut all: Vec<ExecutionRow> = existing
        .into_iter()
        .filter(|e| !deleted.contains(&e.id))
        .collect();
    all.extend(fresh.iter().cloned());
    let plain: Vec<journal::Execution> = all.iter().map(|e| e.execution.clone()).collect();
    let trades: Vec<TradeRow> = build_trades(&plain)
        .iter()
        .filter_map(|t| trade_row(t, &all, change.workspace_id, now))
        .collect();
    let built = started.elapsed();
    total_hint(fresh.len() + trades.len());
    let import = change.import.map(|mut r| {
        r.executions = fresh.len() as i64;
        r.duplicates = duplicates as i64;
        r.message = format!(
            "Imported {} new execution{}; {} already in the journal.",
            fresh.len(),
            if fresh.len() == 1 { "" } else { "s" },
            duplicates
        );
        r
    });
    let write = JournalWrite {
        workspace_id: change.workspace_id,
        executions: &fresh,
        delete_executions: &change.delete,
        accounts: &accounts,
        trades: &trades,
        generation: now
            .timestamp_nanos_opt()
            .unwrap_or_else(|| now.timestamp_micros()),
        import: import.as_ref(),
    };
    let written = ctx.store.write_journal(&write, progress).await?;
    tracing::info!(
        executions = fresh.len(),
        trades = trades.len(),
        load_and_match_ms = built.as_millis() as u64,
        write_ms = (started.elapsed() - built).as_millis() as u64,
        "journal change applied"
    );
    Ok(Applied {
        message: import.map(|r| r.message).unwrap_or_default(),
        added: fresh.len(),
        duplicates,
        trades: trades.len(),
        written,
    })
}
