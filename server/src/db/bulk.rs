//! How each backend writes many executions and trades in one statement.
//!
//! SQLite takes multi-row `VALUES` with anonymous `?` parameters: sqlx asks SQLite for
//! the name of every parameter it binds and SQLite finds a name by walking a list, so a
//! statement of n `$i` parameters binds in n² steps (8 % of an import's time at 8 rows of
//! 22 columns). PostgreSQL takes one array per column through `UNNEST`: 23 parameters
//! for thousands of rows, one plan, no per-row placeholders to parse.
//!
//! Money crosses as text and becomes NUMERIC in PostgreSQL by a cast in the statement.

use app::ssr::journal_store::{ExecutionRow, TradeRow};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use journal::Right;
use uuid::Uuid;

/// One backend's bulk writes inside the caller's transaction.
#[async_trait]
pub trait BulkInsert: sqlx::Database {
    /// Rows per statement.
    const CHUNK: usize;
    /// New executions; a dedupe key the workspace already has is skipped.
    async fn insert_executions(
        conn: &mut Self::Connection,
        ws: Uuid,
        rows: &[ExecutionRow],
    ) -> Result<(), sqlx::Error>;
    /// Trades, updating the one with the same key (its id, notes and tags stay).
    async fn upsert_trades(
        conn: &mut Self::Connection,
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<(), sqlx::Error>;
}

const EXEC_INSERT: &str = "INSERT INTO executions (id, workspace_id, user_id, import_id, \
    dedupe_key, account, broker, symbol, instrument, side, effect, quantity, price, fees, \
    multiplier, executed_at, exec_id, order_id, underlying, expiry, strike, option_right)";
const EXEC_CONFLICT: &str = "ON CONFLICT (workspace_id, dedupe_key) DO NOTHING";
const TRADE_INSERT: &str = "INSERT INTO trades (id, workspace_id, user_id, trade_key, \
    changed_version, account, symbol, instrument, direction, status, opened_at, closed_at, quantity, \
    multiplier, entry_price, exit_price, gross_pnl, fees, pnl, pnl_pct, legs, incomplete, \
    manual, fingerprint, setup, notes, stop_price, target_price, deleted_at, created_at, updated_at)";
const TRADE_CONFLICT: &str = "ON CONFLICT (workspace_id, trade_key) DO UPDATE SET \
    changed_version = excluded.changed_version, account = excluded.account, symbol = excluded.symbol, \
    instrument = excluded.instrument, direction = excluded.direction, \
    status = excluded.status, opened_at = excluded.opened_at, \
    closed_at = excluded.closed_at, quantity = excluded.quantity, \
    multiplier = excluded.multiplier, entry_price = excluded.entry_price, \
    exit_price = excluded.exit_price, gross_pnl = excluded.gross_pnl, fees = excluded.fees, \
    pnl = excluded.pnl, pnl_pct = excluded.pnl_pct, legs = excluded.legs, \
    incomplete = excluded.incomplete, manual = excluded.manual, \
    fingerprint = excluded.fingerprint";

fn right(r: Right) -> &'static str {
    match r {
        Right::Call => "call",
        Right::Put => "put",
    }
}

fn text<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// `(?, …), (?, …)`: `rows` groups of `cols` anonymous parameters.
fn sqlite_values(rows: usize, cols: usize) -> String {
    let one = format!("({})", vec!["?"; cols].join(", "));
    vec![one; rows].join(", ")
}

#[async_trait]
impl BulkInsert for sqlx::Sqlite {
    const CHUNK: usize = 100;

    async fn insert_executions(
        conn: &mut sqlx::SqliteConnection,
        ws: Uuid,
        rows: &[ExecutionRow],
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "{EXEC_INSERT} VALUES {} {EXEC_CONFLICT}",
            sqlite_values(rows.len(), 22)
        );
        let mut q = sqlx::query(&sql);
        for r in rows {
            let e = &r.execution;
            let o = e.option.as_ref();
            q = q
                .bind(r.id)
                .bind(ws)
                .bind(r.user_id)
                .bind(r.import_id)
                .bind(&r.dedupe_key)
                .bind(&e.account)
                .bind(&e.broker)
                .bind(&e.symbol)
                .bind(e.instrument.as_str())
                .bind(e.side.as_str())
                .bind(e.effect.as_str())
                .bind(e.quantity.to_string())
                .bind(e.price.to_string())
                .bind(e.fees.to_string())
                .bind(e.multiplier.to_string())
                .bind(e.time)
                .bind(e.exec_id.as_deref())
                .bind(e.order_id.as_deref())
                .bind(o.map(|o| o.underlying.as_str()))
                .bind(o.map(|o| o.expiry.to_string()))
                .bind(o.map(|o| o.strike.to_string()))
                .bind(o.map(|o| right(o.right)));
        }
        q.execute(conn).await.map(|_| ())
    }

    async fn upsert_trades(
        conn: &mut sqlx::SqliteConnection,
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "{TRADE_INSERT} VALUES {} {TRADE_CONFLICT}",
            sqlite_values(rows.len(), 31)
        );
        let mut q = sqlx::query(&sql);
        for t in rows {
            q = q
                .bind(t.id)
                .bind(ws)
                .bind(t.user_id)
                .bind(&t.trade_key)
                .bind(changed_version)
                .bind(&t.account)
                .bind(&t.symbol)
                .bind(&t.instrument)
                .bind(&t.direction)
                .bind(&t.status)
                .bind(t.opened_at)
                .bind(t.closed_at)
                .bind(t.quantity.to_string())
                .bind(t.multiplier.to_string())
                .bind(t.entry_price.to_string())
                .bind(text(t.exit_price))
                .bind(t.gross_pnl.to_string())
                .bind(t.fees.to_string())
                .bind(t.pnl.to_string())
                .bind(text(t.pnl_pct))
                .bind(&t.legs)
                .bind(t.incomplete)
                .bind(t.manual)
                .bind(&t.fingerprint)
                .bind(t.setup.as_deref())
                .bind(&t.notes)
                .bind(text(t.stop_price))
                .bind(text(t.target_price))
                .bind(t.deleted_at)
                .bind(t.created_at)
                .bind(t.updated_at);
        }
        q.execute(conn).await.map(|_| ())
    }
}

#[async_trait]
impl BulkInsert for sqlx::Postgres {
    const CHUNK: usize = 5_000;

    async fn insert_executions(
        conn: &mut sqlx::PgConnection,
        ws: Uuid,
        rows: &[ExecutionRow],
    ) -> Result<(), sqlx::Error> {
        let col = |f: &dyn Fn(&ExecutionRow) -> Option<String>| -> Vec<Option<String>> {
            rows.iter().map(f).collect()
        };
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let users: Vec<Option<Uuid>> = rows.iter().map(|r| r.user_id).collect();
        let imports: Vec<Option<Uuid>> = rows.iter().map(|r| r.import_id).collect();
        let times: Vec<DateTime<Utc>> = rows.iter().map(|r| r.execution.time).collect();
        let keys = col(&|r| Some(r.dedupe_key.clone()));
        let accounts = col(&|r| Some(r.execution.account.clone()));
        let brokers = col(&|r| Some(r.execution.broker.clone()));
        let symbols = col(&|r| Some(r.execution.symbol.clone()));
        let instruments = col(&|r| Some(r.execution.instrument.as_str().to_string()));
        let sides = col(&|r| Some(r.execution.side.as_str().to_string()));
        let effects = col(&|r| Some(r.execution.effect.as_str().to_string()));
        let quantities = col(&|r| Some(r.execution.quantity.to_string()));
        let prices = col(&|r| Some(r.execution.price.to_string()));
        let fees = col(&|r| Some(r.execution.fees.to_string()));
        let multipliers = col(&|r| Some(r.execution.multiplier.to_string()));
        let exec_ids = col(&|r| r.execution.exec_id.clone());
        let order_ids = col(&|r| r.execution.order_id.clone());
        let underlyings = col(&|r| r.execution.option.as_ref().map(|o| o.underlying.clone()));
        let expiries = col(&|r| r.execution.option.as_ref().map(|o| o.expiry.to_string()));
        let strikes = col(&|r| r.execution.option.as_ref().map(|o| o.strike.to_string()));
        let rights = col(&|r| {
            r.execution
                .option
                .as_ref()
                .map(|o| right(o.right).to_string())
        });
        let sql = format!(
            "{EXEC_INSERT} SELECT id, $1, user_id, import_id, dedupe_key, account, broker, \
             symbol, instrument, side, effect, CAST(quantity AS NUMERIC), \
             CAST(price AS NUMERIC), CAST(fees AS NUMERIC), CAST(multiplier AS NUMERIC), \
             executed_at, exec_id, order_id, underlying, expiry, CAST(strike AS NUMERIC), \
             option_right FROM UNNEST($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], \
             $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
             $12::text[], $13::text[], $14::text[], $15::text[], $16::timestamptz[], \
             $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[]) \
             AS t(id, user_id, import_id, dedupe_key, account, broker, symbol, instrument, \
             side, effect, quantity, price, fees, multiplier, executed_at, exec_id, \
             order_id, underlying, expiry, strike, option_right) {EXEC_CONFLICT}"
        );
        sqlx::query(&sql)
            .bind(ws)
            .bind(ids)
            .bind(users)
            .bind(imports)
            .bind(keys)
            .bind(accounts)
            .bind(brokers)
            .bind(symbols)
            .bind(instruments)
            .bind(sides)
            .bind(effects)
            .bind(quantities)
            .bind(prices)
            .bind(fees)
            .bind(multipliers)
            .bind(times)
            .bind(exec_ids)
            .bind(order_ids)
            .bind(underlyings)
            .bind(expiries)
            .bind(strikes)
            .bind(rights)
            .execute(conn)
            .await
            .map(|_| ())
    }

    async fn upsert_trades(
        conn: &mut sqlx::PgConnection,
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<(), sqlx::Error> {
        let col = |f: &dyn Fn(&TradeRow) -> Option<String>| -> Vec<Option<String>> {
            rows.iter().map(f).collect()
        };
        let time = |f: &dyn Fn(&TradeRow) -> Option<DateTime<Utc>>| -> Vec<Option<DateTime<Utc>>> {
            rows.iter().map(f).collect()
        };
        let flag = |f: &dyn Fn(&TradeRow) -> bool| -> Vec<bool> { rows.iter().map(f).collect() };
        let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
        let users: Vec<Option<Uuid>> = rows.iter().map(|t| t.user_id).collect();
        let sql = format!(
            "{TRADE_INSERT} SELECT id, $1, user_id, trade_key, $2, account, symbol, instrument, \
             direction, status, opened_at, closed_at, CAST(quantity AS NUMERIC), \
             CAST(multiplier AS NUMERIC), CAST(entry_price AS NUMERIC), \
             CAST(exit_price AS NUMERIC), CAST(gross_pnl AS NUMERIC), CAST(fees AS NUMERIC), \
             CAST(pnl AS NUMERIC), CAST(pnl_pct AS NUMERIC), legs, incomplete, manual, fingerprint, setup, \
             notes, CAST(stop_price AS NUMERIC), CAST(target_price AS NUMERIC), deleted_at, \
             created_at, updated_at FROM UNNEST($3::uuid[], $4::uuid[], $5::text[], \
             $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], \
             $11::timestamptz[], $12::timestamptz[], $13::text[], $14::text[], $15::text[], \
             $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], \
             $22::bool[], $23::bool[], $24::text[], $25::text[], $26::text[], $27::text[], \
             $28::text[], $29::timestamptz[], $30::timestamptz[], $31::timestamptz[]) \
             AS t(id, user_id, trade_key, account, symbol, instrument, direction, status, \
             opened_at, closed_at, quantity, multiplier, entry_price, exit_price, gross_pnl, \
             fees, pnl, pnl_pct, legs, incomplete, manual, fingerprint, setup, notes, stop_price, \
             target_price, deleted_at, created_at, updated_at) {TRADE_CONFLICT}"
        );
        sqlx::query(&sql)
            .bind(ws)
            .bind(changed_version)
            .bind(ids)
            .bind(users)
            .bind(col(&|t| Some(t.trade_key.clone())))
            .bind(col(&|t| Some(t.account.clone())))
            .bind(col(&|t| Some(t.symbol.clone())))
            .bind(col(&|t| Some(t.instrument.clone())))
            .bind(col(&|t| Some(t.direction.clone())))
            .bind(col(&|t| Some(t.status.clone())))
            .bind(time(&|t| Some(t.opened_at)))
            .bind(time(&|t| t.closed_at))
            .bind(col(&|t| Some(t.quantity.to_string())))
            .bind(col(&|t| Some(t.multiplier.to_string())))
            .bind(col(&|t| Some(t.entry_price.to_string())))
            .bind(col(&|t| text(t.exit_price)))
            .bind(col(&|t| Some(t.gross_pnl.to_string())))
            .bind(col(&|t| Some(t.fees.to_string())))
            .bind(col(&|t| Some(t.pnl.to_string())))
            .bind(col(&|t| text(t.pnl_pct)))
            .bind(col(&|t| Some(t.legs.clone())))
            .bind(flag(&|t| t.incomplete))
            .bind(flag(&|t| t.manual))
            .bind(col(&|t| Some(t.fingerprint.clone())))
            .bind(col(&|t| t.setup.clone()))
            .bind(col(&|t| Some(t.notes.clone())))
            .bind(col(&|t| text(t.stop_price)))
            .bind(col(&|t| text(t.target_price)))
            .bind(time(&|t| t.deleted_at))
            .bind(time(&|t| Some(t.created_at)))
            .bind(time(&|t| Some(t.updated_at)))
            .execute(conn)
            .await
            .map(|_| ())
    }
}
