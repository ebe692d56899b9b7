//! Rebuilding trades from executions and writing both in one transaction.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use journal::matching::{build_trades, Trade};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::identity;
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
    let mut row = TradeRow {
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
        fingerprint: String::new(),
        setup: None,
        notes: String::new(),
        stop_price: None,
        target_price: None,
        deleted_at: None,
        created_at: now,
        updated_at: now,
    };
    row.fingerprint = fingerprint(&row);
    Some(row)
}

/// A hash of the figures a rebuild derives (what the upsert rewrites), so an unchanged
/// trade is not written again. Two SipHash passes with fixed keys (128 bits), fed the
/// fields themselves: SHA-256 over a formatted copy was the largest item of a 100,000-fill
/// import's own CPU time. Should a toolchain change `DefaultHasher`, every trade differs
/// once and is rewritten once: the hash only saves writes, it never decides a figure.
fn fingerprint(t: &TradeRow) -> String {
    use std::hash::{Hash, Hasher};
    let dec = |d: &Decimal| d.serialize();
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        (
            &t.account,
            &t.symbol,
            &t.instrument,
            &t.direction,
            &t.status,
        )
            .hash(&mut h);
        (
            t.opened_at.timestamp(),
            t.opened_at.timestamp_subsec_nanos(),
        )
            .hash(&mut h);
        t.closed_at
            .map(|c| (c.timestamp(), c.timestamp_subsec_nanos()))
            .hash(&mut h);
        [
            &t.quantity,
            &t.multiplier,
            &t.entry_price,
            &t.gross_pnl,
            &t.fees,
            &t.pnl,
        ]
        .map(dec)
        .hash(&mut h);
        (t.exit_price.as_ref().map(dec), t.pnl_pct.as_ref().map(dec)).hash(&mut h);
        (&t.legs, t.incomplete, t.manual).hash(&mut h);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
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
    /// Trades written (new, or with changed figures).
    pub trades: usize,
    /// Trades holding at least one of the new fills.
    pub touched: usize,
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
    let fresh_mask: Vec<bool> = {
        let mut known: HashSet<&str> = existing.iter().map(|e| e.dedupe_key.as_str()).collect();
        change
            .new
            .iter()
            .map(|e| known.insert(e.dedupe_key.as_str()))
            .collect()
    };
    let offered = change.new.len();
    let deleted: HashSet<Uuid> = change.delete.iter().copied().collect();
    let mut all: Vec<ExecutionRow> = existing
        .into_iter()
        .filter(|e| !deleted.contains(&e.id))
        .collect();
    // The new fills go last, so the write takes them as a slice of `all` (no copies of a
    // large file's rows).
    let first_fresh = all.len();
    all.extend(
        change
            .new
            .into_iter()
            .zip(fresh_mask)
            .filter_map(|(e, fresh)| fresh.then_some(e)),
    );
    let fresh = &all[first_fresh..];
    let duplicates = offered - fresh.len();
    let plain: Vec<&journal::Execution> = all.iter().map(|e| &e.execution).collect();
    let mut rebuilt: Vec<(TradeRow, Vec<Uuid>)> = build_trades(&plain)
        .iter()
        .filter_map(|t| {
            let row = trade_row(t, &all, change.workspace_id, now)?;
            let execs = t
                .legs
                .iter()
                .flat_map(|l| l.fills.iter())
                .filter_map(|f| all.get(f.execution).map(|e| e.id))
                .collect();
            Some((row, execs))
        })
        .collect();
    let touched = {
        let ids: HashSet<Uuid> = fresh.iter().map(|e| e.id).collect();
        rebuilt
            .iter()
            .filter(|(_, execs)| execs.iter().any(|e| ids.contains(e)))
            .count()
    };
    let identities = keep_identities(ctx, change.workspace_id, &accounts, &mut rebuilt).await?;
    let trades: Vec<TradeRow> = rebuilt
        .into_iter()
        .zip(identities.changed)
        .filter(|(_, changed)| *changed)
        .map(|((row, _), _)| row)
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
        executions: fresh,
        delete_executions: &change.delete,
        trades: &trades,
        merges: &identities.merges,
        remove_trades: &identities.remove,
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
        touched,
        written,
    })
}

/// What [`keep_identities`] decided for a rebuild.
struct Identities {
    /// Per rebuilt trade: false when it is stored with exactly these figures already.
    changed: Vec<bool>,
    merges: Vec<(Uuid, Uuid)>,
    remove: Vec<Uuid>,
}

/// Gives each rebuilt trade the id and key of the stored trade it continues (see
/// `identity`), and lists the stored trades to merge and remove.
async fn keep_identities(
    ctx: &ServerContext,
    workspace_id: Uuid,
    accounts: &[String],
    rebuilt: &mut [(TradeRow, Vec<Uuid>)],
) -> Result<Identities, AppError> {
    let stored = ctx.store.stored_trades(workspace_id, accounts).await?;
    let keys: Vec<&str> = rebuilt.iter().map(|(t, _)| t.trade_key.as_str()).collect();
    let stored_keys: Vec<&str> = stored.iter().map(|s| s.trade_key.as_str()).collect();
    let mut continues = identity::match_by_key(&keys, &stored_keys);
    let mut claimed = vec![false; stored.len()];
    for s in continues.iter().flatten() {
        claimed[*s] = true;
    }
    let unclaimed_ids: Vec<Uuid> = stored
        .iter()
        .zip(&claimed)
        .filter(|(_, c)| !**c)
        .map(|(s, _)| s.id)
        .collect();
    let mut left = Vec::new();
    if !unclaimed_ids.is_empty() {
        let position: HashMap<Uuid, usize> =
            stored.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let unclaimed: Vec<(usize, Vec<Uuid>)> = ctx
            .store
            .trade_legs(workspace_id, &unclaimed_ids)
            .await?
            .into_iter()
            .filter_map(|(id, legs)| Some((*position.get(&id)?, leg_executions(&legs))))
            .collect();
        let fills: Vec<&[Uuid]> = rebuilt.iter().map(|(_, e)| e.as_slice()).collect();
        left = identity::match_by_fills(&mut continues, &fills, &unclaimed);
    }
    let mut changed = Vec::with_capacity(rebuilt.len());
    for ((row, _), s) in rebuilt.iter_mut().zip(&continues) {
        let Some(s) = s.and_then(|s| stored.get(s)) else {
            changed.push(true);
            continue;
        };
        row.id = s.id;
        row.trade_key = s.trade_key.clone();
        changed.push(row.fingerprint != s.fingerprint);
    }
    let mut merges = Vec::new();
    let mut remove = Vec::new();
    for (s, into) in left {
        let Some(from) = stored.get(s) else { continue };
        let into = into
            .and_then(|i| continues.get(i).copied().flatten())
            .and_then(|i| stored.get(i));
        if let Some(into) = into {
            merges.push((from.id, into.id));
        }
        remove.push(from.id);
    }
    Ok(Identities {
        changed,
        merges,
        remove,
    })
}

/// The execution ids in a stored trade's legs JSON.
pub fn leg_executions(legs: &str) -> Vec<Uuid> {
    let legs: Vec<LegView> = serde_json::from_str(legs).unwrap_or_default();
    legs.into_iter().flat_map(|l| l.executions).collect()
}
