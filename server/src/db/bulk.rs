//! How each backend writes many executions and trades in one statement.
//!
//! SQLite takes multi-row `VALUES` with anonymous `?` parameters: sqlx asks SQLite for
//! the name of every parameter it binds and SQLite finds a name by walking a list, so a
//! statement of n `$i` parameters binds in n² steps (8 % of an import's time at 8 rows of
//! 22 columns). PostgreSQL takes new rows through `COPY … FROM STDIN (FORMAT binary)`, its
//! bulk-load path: 100,000 executions in 0.98 s as CSV where one `INSERT … SELECT FROM
//! UNNEST` per 5,000 rows took ≈ 3.6 s (`psql` on this machine, no foreign keys either way;
//! the store's write is computed from a journal version it checks, so new rows never meet a
//! conflict), and binary takes 15-25 % less server time than CSV ([`super::copy_binary`]).
//! Updates of stored trades go through `UNNEST` arrays: 31 parameters for
//! thousands of rows, one plan.
//!
//! Each chunk is built into a [`BulkInsert::Batch`] (all the CPU work: formatting, copying
//! values) before it is handed to the database, and [`write_pipelined`] builds the next
//! chunk while the database writes the current one: SQLite's worker thread or the
//! PostgreSQL server then works beside the request's thread instead of after it.
//!
//! In statements money crosses as text and becomes NUMERIC in PostgreSQL by a cast; `COPY`
//! sends NUMERIC's binary form with the Decimal's own scale.

use super::copy_binary::CopyBinary;
use app::ssr::journal_store::{ExecutionRow, Progress, TradeRow};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use journal::Right;
use sqlx::postgres::PgArguments;
use sqlx::sqlite::SqliteArguments;
use sqlx::Arguments;
use uuid::Uuid;

/// One backend's bulk writes inside the caller's transaction.
#[async_trait]
pub trait BulkInsert: sqlx::Database {
    /// Rows per batch.
    const CHUNK: usize;
    /// A chunk of rows ready to send: owns everything the write needs.
    type Batch: Send;
    /// New executions (the caller has left out the dedupe keys the workspace has).
    fn executions_batch(ws: Uuid, rows: &[&ExecutionRow]) -> Result<Self::Batch, sqlx::Error>;
    /// New trades (no stored trade has their id or key).
    fn new_trades_batch(
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<Self::Batch, sqlx::Error>;
    /// Stored trades whose derived figures changed, updated by key (their id, notes and
    /// tags stay).
    fn changed_trades_batch(
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<Self::Batch, sqlx::Error>;
    async fn write_batch(
        conn: &mut Self::Connection,
        batch: Self::Batch,
    ) -> Result<(), sqlx::Error>;
    /// Around a large write on `conn`: SQLite's WAL checkpoint (copying the log back into
    /// the database file) otherwise runs inside the commit of the write that crosses its
    /// threshold, 0.34 s of a 50,000-trade commit in the `sqlite3` shell. Deferred, it
    /// runs in the background right after ([`Self::checkpoint_later`]).
    async fn defer_checkpoints(
        _conn: &mut Self::Connection,
        _defer: bool,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }
    /// Starts the deferred checkpoint off the caller's path.
    fn checkpoint_later(_pool: &sqlx::Pool<Self>) {}
}

/// Writes `rows` in chunks of `DB::CHUNK`, building each chunk's batch while the previous
/// one is being written. `done` counts rows for `progress`; false when it cancelled.
pub async fn write_pipelined<DB: BulkInsert, R: Sync>(
    conn: &mut DB::Connection,
    rows: &[R],
    build: impl Fn(&[R]) -> Result<DB::Batch, sqlx::Error> + Send + Sync,
    done: &mut usize,
    progress: Progress<'_>,
) -> Result<bool, sqlx::Error> {
    let mut chunks = rows.chunks(DB::CHUNK);
    let mut next = chunks.next().map(|c| (build(c), c.len()));
    while let Some((batch, len)) = next {
        // The write's first poll hands the batch over; while it is in the database's
        // hands, the second branch builds the next one on this thread.
        let (written, following) = tokio::join!(DB::write_batch(conn, batch?), async {
            chunks.next().map(|c| (build(c), c.len()))
        });
        written?;
        *done += len;
        if !progress(*done) {
            return Ok(false);
        }
        next = following;
    }
    Ok(true)
}

const EXEC_COLUMNS: &str = "id, workspace_id, user_id, import_id, dedupe_key, account, \
    broker, symbol, instrument, side, effect, quantity, price, fees, multiplier, executed_at, \
    exec_id, order_id, underlying, expiry, strike, option_right";
const EXEC_CONFLICT: &str = "ON CONFLICT (workspace_id, dedupe_key) DO NOTHING";
const TRADE_COLUMNS: &str = "id, workspace_id, user_id, trade_key, changed_version, account, \
    symbol, instrument, direction, status, opened_at, closed_at, quantity, multiplier, \
    entry_price, exit_price, gross_pnl, fees, pnl, pnl_pct, legs, incomplete, manual, \
    fingerprint, setup, notes, stop_price, target_price, deleted_at, created_at, updated_at";
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

fn encode(e: sqlx::error::BoxDynError) -> sqlx::Error {
    sqlx::Error::Encode(e)
}

/// `(?, …), (?, …)`: `rows` groups of `cols` anonymous parameters.
fn sqlite_values(rows: usize, cols: usize) -> String {
    let one = format!("({})", vec!["?"; cols].join(", "));
    vec![one; rows].join(", ")
}

/// A SQLite statement with its values, owned so that binding (the copies of every text)
/// is done while building, not when the statement is sent to SQLite's worker thread.
pub struct SqliteBatch {
    sql: String,
    args: SqliteArguments<'static>,
}

/// Adds values to SQLite arguments.
macro_rules! add_all {
    ($args:expr; $($v:expr),+ $(,)?) => {{
        $( $args.add($v).map_err(encode)?; )+
    }};
}

fn sqlite_trades(
    ws: Uuid,
    changed_version: i64,
    rows: &[TradeRow],
) -> Result<SqliteBatch, sqlx::Error> {
    let mut args = SqliteArguments::default();
    for t in rows {
        add_all!(args;
            t.id,
            ws,
            t.user_id,
            t.trade_key.clone(),
            changed_version,
            t.account.clone(),
            t.symbol.clone(),
            t.instrument.clone(),
            t.direction.clone(),
            t.status.clone(),
            t.opened_at,
            t.closed_at,
            t.quantity.to_string(),
            t.multiplier.to_string(),
            t.entry_price.to_string(),
            text(t.exit_price),
            t.gross_pnl.to_string(),
            t.fees.to_string(),
            t.pnl.to_string(),
            text(t.pnl_pct),
            t.legs.clone(),
            t.incomplete,
            t.manual,
            t.fingerprint.clone(),
            t.setup.clone(),
            t.notes.clone(),
            text(t.stop_price),
            text(t.target_price),
            t.deleted_at,
            t.created_at,
            t.updated_at,
        );
    }
    Ok(SqliteBatch {
        sql: format!(
            "INSERT INTO trades ({TRADE_COLUMNS}) VALUES {} {TRADE_CONFLICT}",
            sqlite_values(rows.len(), 31)
        ),
        args,
    })
}

#[async_trait]
impl BulkInsert for sqlx::Sqlite {
    const CHUNK: usize = 100;
    type Batch = SqliteBatch;

    fn executions_batch(ws: Uuid, rows: &[&ExecutionRow]) -> Result<SqliteBatch, sqlx::Error> {
        let mut args = SqliteArguments::default();
        for r in rows {
            let e = &r.execution;
            let o = e.option.as_ref();
            add_all!(args;
                r.id,
                ws,
                r.user_id,
                r.import_id,
                r.dedupe_key.clone(),
                e.account.clone(),
                e.broker.clone(),
                e.symbol.clone(),
                e.instrument.as_str(),
                e.side.as_str(),
                e.effect.as_str(),
                e.quantity.to_string(),
                e.price.to_string(),
                e.fees.to_string(),
                e.multiplier.to_string(),
                e.time,
                e.exec_id.clone(),
                e.order_id.clone(),
                o.map(|o| o.underlying.clone()),
                o.map(|o| o.expiry.to_string()),
                o.map(|o| o.strike.to_string()),
                o.map(|o| right(o.right)),
            );
        }
        Ok(SqliteBatch {
            sql: format!(
                "INSERT INTO executions ({EXEC_COLUMNS}) VALUES {} {EXEC_CONFLICT}",
                sqlite_values(rows.len(), 22)
            ),
            args,
        })
    }

    fn new_trades_batch(
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<SqliteBatch, sqlx::Error> {
        // The upsert: with no stored key its conflict clause never fires.
        sqlite_trades(ws, changed_version, rows)
    }

    fn changed_trades_batch(
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<SqliteBatch, sqlx::Error> {
        sqlite_trades(ws, changed_version, rows)
    }

    async fn write_batch(
        conn: &mut sqlx::SqliteConnection,
        b: SqliteBatch,
    ) -> Result<(), sqlx::Error> {
        sqlx::query_with(&b.sql, b.args)
            .execute(conn)
            .await
            .map(|_| ())
    }

    async fn defer_checkpoints(
        conn: &mut sqlx::SqliteConnection,
        defer: bool,
    ) -> Result<(), sqlx::Error> {
        // 1000 pages is SQLite's default threshold.
        let pages = if defer { 0 } else { 1000 };
        sqlx::query(&format!("PRAGMA wal_autocheckpoint = {pages}"))
            .execute(conn)
            .await
            .map(|_| ())
    }

    fn checkpoint_later(pool: &sqlx::SqlitePool) {
        let pool = pool.clone();
        // PASSIVE: copies what no reader still needs, never waits for or blocks anyone.
        tokio::spawn(async move {
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::warn!(error = %e, "WAL checkpoint after a large write failed");
            }
        });
    }
}

/// A PostgreSQL write: binary rows for `COPY`, or a statement with its (array) values.
pub enum PgBatch {
    Copy {
        table: &'static str,
        columns: &'static str,
        data: Vec<u8>,
    },
    Statement {
        sql: String,
        args: PgArguments,
    },
}

#[async_trait]
impl BulkInsert for sqlx::Postgres {
    const CHUNK: usize = 5_000;
    type Batch = PgBatch;

    fn executions_batch(ws: Uuid, rows: &[&ExecutionRow]) -> Result<PgBatch, sqlx::Error> {
        let mut out = CopyBinary::new(22, rows.len() * 260);
        for r in rows {
            out.row();
            let e = &r.execution;
            let o = e.option.as_ref();
            out.uuid(Some(r.id));
            out.uuid(Some(ws));
            out.uuid(r.user_id);
            out.uuid(r.import_id);
            out.text(Some(&r.dedupe_key));
            out.text(Some(&e.account));
            out.text(Some(&e.broker));
            out.text(Some(&e.symbol));
            out.text(Some(e.instrument.as_str()));
            out.text(Some(e.side.as_str()));
            out.text(Some(e.effect.as_str()));
            out.decimal(Some(&e.quantity));
            out.decimal(Some(&e.price));
            out.decimal(Some(&e.fees));
            out.decimal(Some(&e.multiplier));
            out.time(Some(e.time));
            out.text(e.exec_id.as_deref());
            out.text(e.order_id.as_deref());
            out.text(o.map(|o| o.underlying.as_str()));
            out.text(o.map(|o| o.expiry.to_string()).as_deref());
            out.decimal(o.map(|o| &o.strike));
            out.text(o.map(|o| right(o.right)));
        }
        Ok(PgBatch::Copy {
            table: "executions",
            columns: EXEC_COLUMNS,
            data: out.finish(),
        })
    }

    fn new_trades_batch(
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<PgBatch, sqlx::Error> {
        let mut out = CopyBinary::new(31, rows.len() * 420);
        for t in rows {
            out.row();
            out.uuid(Some(t.id));
            out.uuid(Some(ws));
            out.uuid(t.user_id);
            out.text(Some(&t.trade_key));
            out.int8(changed_version);
            out.text(Some(&t.account));
            out.text(Some(&t.symbol));
            out.text(Some(&t.instrument));
            out.text(Some(&t.direction));
            out.text(Some(&t.status));
            out.time(Some(t.opened_at));
            out.time(t.closed_at);
            out.decimal(Some(&t.quantity));
            out.decimal(Some(&t.multiplier));
            out.decimal(Some(&t.entry_price));
            out.decimal(t.exit_price.as_ref());
            out.decimal(Some(&t.gross_pnl));
            out.decimal(Some(&t.fees));
            out.decimal(Some(&t.pnl));
            out.decimal(t.pnl_pct.as_ref());
            out.text(Some(&t.legs));
            out.boolean(t.incomplete);
            out.boolean(t.manual);
            out.text(Some(&t.fingerprint));
            out.text(t.setup.as_deref());
            out.text(Some(&t.notes));
            out.decimal(t.stop_price.as_ref());
            out.decimal(t.target_price.as_ref());
            out.time(t.deleted_at);
            out.time(Some(t.created_at));
            out.time(Some(t.updated_at));
        }
        Ok(PgBatch::Copy {
            table: "trades",
            columns: TRADE_COLUMNS,
            data: out.finish(),
        })
    }

    fn changed_trades_batch(
        ws: Uuid,
        changed_version: i64,
        rows: &[TradeRow],
    ) -> Result<PgBatch, sqlx::Error> {
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
            "INSERT INTO trades ({TRADE_COLUMNS}) SELECT id, $1, user_id, trade_key, $2, account, symbol, instrument, \
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
        let mut args = PgArguments::default();
        add_all!(args;
            ws,
            changed_version,
            ids,
            users,
            col(&|t| Some(t.trade_key.clone())),
            col(&|t| Some(t.account.clone())),
            col(&|t| Some(t.symbol.clone())),
            col(&|t| Some(t.instrument.clone())),
            col(&|t| Some(t.direction.clone())),
            col(&|t| Some(t.status.clone())),
            time(&|t| Some(t.opened_at)),
            time(&|t| t.closed_at),
            col(&|t| Some(t.quantity.to_string())),
            col(&|t| Some(t.multiplier.to_string())),
            col(&|t| Some(t.entry_price.to_string())),
            col(&|t| text(t.exit_price)),
            col(&|t| Some(t.gross_pnl.to_string())),
            col(&|t| Some(t.fees.to_string())),
            col(&|t| Some(t.pnl.to_string())),
            col(&|t| text(t.pnl_pct)),
            col(&|t| Some(t.legs.clone())),
            flag(&|t| t.incomplete),
            flag(&|t| t.manual),
            col(&|t| Some(t.fingerprint.clone())),
            col(&|t| t.setup.clone()),
            col(&|t| Some(t.notes.clone())),
            col(&|t| text(t.stop_price)),
            col(&|t| text(t.target_price)),
            time(&|t| t.deleted_at),
            time(&|t| Some(t.created_at)),
            time(&|t| Some(t.updated_at)),
        );
        Ok(PgBatch::Statement { sql, args })
    }

    async fn write_batch(conn: &mut sqlx::PgConnection, b: PgBatch) -> Result<(), sqlx::Error> {
        match b {
            PgBatch::Copy {
                table,
                columns,
                data,
            } => {
                let mut copy = conn
                    .copy_in_raw(&format!(
                        "COPY {table} ({columns}) FROM STDIN (FORMAT binary)"
                    ))
                    .await?;
                copy.send(data).await?;
                copy.finish().await.map(|_| ())
            }
            PgBatch::Statement { sql, args } => {
                sqlx::query_with(&sql, args).execute(conn).await.map(|_| ())
            }
        }
    }
}
