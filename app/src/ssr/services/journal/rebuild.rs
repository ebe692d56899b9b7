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
use crate::ssr::journal_store::{
    ExecutionRow, ImportRow, JournalWrite, Progress, TradeRow, WriteOutcome,
};

/// A trade row from a matched trade. `execs` is the slice the trade indexes into.
pub fn trade_row(
    t: &Trade,
    execs: &[&ExecutionRow],
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
        id: crate::ssr::ids::time_ordered(),
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

/// How many times a change is computed again when other writes keep landing first.
const STALE_TRIES: usize = 5;

/// Applies a change: loads the touched accounts' fills, rebuilds their trades and writes
/// everything in one transaction. `total_hint` learns the rows the write will go through
/// (new executions plus rebuilt trades), for progress bars.
pub async fn apply(
    ctx: &ServerContext,
    change: Change,
    now: DateTime<Utc>,
    progress: Progress<'_>,
    total_hint: &(dyn Fn(usize) + Send + Sync),
) -> Result<Applied, AppError> {
    // The store refuses a write computed from a journal that another write changed since
    // it was read; then the change is computed again from what is stored now.
    for _ in 0..STALE_TRIES {
        if let Some(applied) = attempt(ctx, &change, now, progress, total_hint).await? {
            return Ok(applied);
        }
        tracing::info!(workspace = %change.workspace_id, "journal changed meanwhile; recomputing");
    }
    Err(AppError::conflict(
        "The journal kept changing while this was being saved; nothing was saved. Try again.",
    ))
}

/// One try of [`apply`]; `None` when another write landed first (nothing written).
async fn attempt(
    ctx: &ServerContext,
    change: &Change,
    now: DateTime<Utc>,
    progress: Progress<'_>,
    total_hint: &(dyn Fn(usize) + Send + Sync),
) -> Result<Option<Applied>, AppError> {
    let started = std::time::Instant::now();
    // Read before the fills: a write after this point makes ours stale.
    let based_on = ctx
        .store
        .journal_version(change.workspace_id)
        .await?
        .version;
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
    let deleted: HashSet<Uuid> = change.delete.iter().copied().collect();
    let kept = existing.iter().filter(|e| !deleted.contains(&e.id));
    // Known keys, then each new key once: a broker id listed twice in a file is one fill.
    // Keys of executions this change deletes are free again (a purge puts back the
    // remainder of a shared fill under its key).
    let mut known: HashSet<&str> = kept.clone().map(|e| e.dedupe_key.as_str()).collect();
    let fresh: Vec<&ExecutionRow> = change
        .new
        .iter()
        .filter(|e| known.insert(e.dedupe_key.as_str()))
        .collect();
    let duplicates = change.new.len() - fresh.len();
    // The stored fills, then the new ones (borrowed: a large file's rows are not copied).
    let all: Vec<&ExecutionRow> = kept.chain(fresh.iter().copied()).collect();
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
    let (mut new_trades, mut changed_trades) = (Vec::new(), Vec::new());
    for ((row, _), fate) in rebuilt.into_iter().zip(identities.fates) {
        match fate {
            Fate::New => new_trades.push(row),
            Fate::Changed => changed_trades.push(row),
            Fate::Same => {}
        }
    }
    let trades = new_trades.len() + changed_trades.len();
    let built = started.elapsed();
    total_hint(fresh.len() + trades);
    let import = change.import.clone().map(|mut r| {
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
        based_on,
        executions: &fresh,
        delete_executions: &change.delete,
        new_trades: &new_trades,
        changed_trades: &changed_trades,
        merges: &identities.merges,
        remove_trades: &identities.remove,
        import: import.as_ref(),
    };
    let outcome = ctx.store.write_journal(&write, progress).await?;
    tracing::info!(
        executions = fresh.len(),
        trades,
        load_and_match_ms = built.as_millis() as u64,
        write_ms = (started.elapsed() - built).as_millis() as u64,
        ?outcome,
        "journal change applied"
    );
    if outcome == WriteOutcome::Stale {
        return Ok(None);
    }
    Ok(Some(Applied {
        message: import.map(|r| r.message).unwrap_or_default(),
        added: fresh.len(),
        duplicates,
        trades,
        touched,
        written: outcome == WriteOutcome::Written,
    }))
}

/// What a rebuilt trade is to the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// No stored trade continues it: inserted.
    New,
    /// It continues a stored trade whose figures differ: updated.
    Changed,
    /// Stored with exactly these figures already: left alone.
    Same,
}

/// What [`keep_identities`] decided for a rebuild.
struct Identities {
    /// Per rebuilt trade.
    fates: Vec<Fate>,
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
    let mut fates = Vec::with_capacity(rebuilt.len());
    for ((row, _), s) in rebuilt.iter_mut().zip(&continues) {
        let Some(s) = s.and_then(|s| stored.get(s)) else {
            fates.push(Fate::New);
            continue;
        };
        row.id = s.id;
        row.trade_key = s.trade_key.clone();
        fates.push(if row.fingerprint == s.fingerprint {
            Fate::Same
        } else {
            Fate::Changed
        });
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
        fates,
        merges,
        remove,
    })
}

/// The change that purges a stored trade: its executions go, except that a fill it shares
/// with the next trade (a flip: the sell of 200 that closed a long 100 and opened a short
/// 100) is cut down to the part the next trade holds, so that trade keeps its opening.
pub async fn purge_change(
    ctx: &ServerContext,
    workspace_id: Uuid,
    trade: &TradeRow,
) -> Result<Change, AppError> {
    let doomed: HashSet<Uuid> = leg_executions(&trade.legs).into_iter().collect();
    let execs = ctx
        .store
        .executions_for_accounts(workspace_id, std::slice::from_ref(&trade.account))
        .await?;
    Ok(Change {
        workspace_id,
        new: remainders_of_shared_fills(&execs, &doomed),
        delete: doomed.into_iter().collect(),
        also_accounts: vec![trade.account.clone()],
        import: None,
    })
}

/// For the fills in `doomed` that the rebuilt trade made mostly of `doomed` fills shares
/// with other trades: a copy of each holding only the other trades' part (quantity and
/// fees), under the same dedupe key so a re-import of the file still finds it.
fn remainders_of_shared_fills(execs: &[ExecutionRow], doomed: &HashSet<Uuid>) -> Vec<ExecutionRow> {
    let plain: Vec<&journal::Execution> = execs.iter().map(|e| &e.execution).collect();
    let trades = build_trades(&plain);
    let fills_of = |t: &Trade| -> Vec<(usize, Decimal, Decimal)> {
        t.legs
            .iter()
            .flat_map(|l| l.fills.iter().map(|f| (f.execution, f.quantity, f.fees)))
            .collect()
    };
    let in_doomed = |i: usize| execs.get(i).is_some_and(|e| doomed.contains(&e.id));
    // The purged trade as the matcher sees it now: the one holding most doomed fills.
    let Some(purged) = trades
        .iter()
        .max_by_key(|t| fills_of(t).iter().filter(|f| in_doomed(f.0)).count())
    else {
        return Vec::new();
    };
    let mut taken: HashMap<usize, (Decimal, Decimal)> = HashMap::new();
    for (i, q, fees) in fills_of(purged) {
        let part = taken.entry(i).or_default();
        part.0 += q;
        part.1 += fees;
    }
    let shared: BTreeSet<usize> = trades
        .iter()
        .filter(|t| !std::ptr::eq(*t, purged))
        .flat_map(|t| fills_of(t).into_iter().map(|f| f.0))
        .filter(|i| in_doomed(*i) && taken.contains_key(i))
        .collect();
    shared
        .into_iter()
        .filter_map(|i| {
            let (q, fees) = taken.get(&i)?;
            let mut row = execs.get(i)?.clone();
            row.id = crate::ssr::ids::time_ordered();
            let e = &mut row.execution;
            e.quantity = less(e.quantity, *q);
            e.fees = less(e.fees, *fees);
            (row.execution.quantity > Decimal::ZERO).then_some(row)
        })
        .collect()
}

/// `whole - part`, exact, written at the whole's scale when that loses nothing (3.00 less
/// a third of it is 2.00, not 2.0000000000).
fn less(whole: Decimal, part: Decimal) -> Decimal {
    let v = whole - part;
    let at = v.round_dp(whole.scale());
    if at == v {
        at
    } else {
        v.normalize()
    }
}

/// The execution ids in a stored trade's legs JSON.
pub fn leg_executions(legs: &str) -> Vec<Uuid> {
    let legs: Vec<LegView> = serde_json::from_str(legs).unwrap_or_default();
    legs.into_iter().flat_map(|l| l.executions).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use journal::{Effect, Execution, Instrument, Side};
    use rust_decimal_macros::dec;

    fn fill(minute: u32, side: Side, qty: Decimal, fees: Decimal) -> ExecutionRow {
        let time = chrono::NaiveDate::from_ymd_opt(2024, 3, 4)
            .and_then(|d| d.and_hms_opt(15, minute, 0))
            .map(|t| t.and_utc())
            .unwrap_or_default();
        ExecutionRow {
            id: crate::ssr::ids::time_ordered(),
            workspace_id: Uuid::nil(),
            user_id: None,
            import_id: None,
            dedupe_key: format!("k{minute}"),
            execution: Execution {
                account: "A".into(),
                broker: "generic".into(),
                symbol: "AAPL".into(),
                instrument: Instrument::Equity,
                side,
                effect: Effect::Unknown,
                quantity: qty,
                price: dec!(10),
                fees,
                time,
                exec_id: None,
                order_id: None,
                option: None,
                multiplier: Decimal::ONE,
            },
        }
    }

    #[test]
    fn a_purged_trade_leaves_the_next_trade_its_part_of_a_flip() {
        // Long 100, a sell of 300 that closes it and opens a short 200, a cover of 200.
        let execs = vec![
            fill(0, Side::Buy, dec!(100), dec!(1)),
            fill(1, Side::Sell, dec!(300), dec!(3)),
            fill(2, Side::Buy, dec!(200), dec!(2)),
        ];
        let first: HashSet<Uuid> = [execs[0].id, execs[1].id].into();
        let left = remainders_of_shared_fills(&execs, &first);
        assert_eq!(left.len(), 1);
        let e = &left[0];
        assert_ne!(e.id, execs[1].id, "a new row replaces the cut fill");
        assert_eq!(e.dedupe_key, "k1");
        assert_eq!(
            (e.execution.side, e.execution.quantity, e.execution.fees),
            (Side::Sell, dec!(200), dec!(2))
        );
        // Purging the second trade leaves the first its closing part.
        let second: HashSet<Uuid> = [execs[1].id, execs[2].id].into();
        let left = remainders_of_shared_fills(&execs, &second);
        assert_eq!(left.len(), 1);
        assert_eq!(
            (left[0].execution.quantity, left[0].execution.fees),
            (dec!(100), dec!(1))
        );
        // A trade with no shared fill leaves nothing behind.
        let alone = vec![
            fill(0, Side::Buy, dec!(100), dec!(1)),
            fill(1, Side::Sell, dec!(100), dec!(1)),
        ];
        let all: HashSet<Uuid> = alone.iter().map(|e| e.id).collect();
        assert!(remainders_of_shared_fills(&alone, &all).is_empty());
    }
}
