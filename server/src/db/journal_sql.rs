//! The journal's Store adapter, stamped out per backend like `sql_store`.
//!
//! Money crosses as text: SQLite keeps it as exact decimal TEXT, PostgreSQL as NUMERIC
//! (the `$num` cast turns a text parameter into NUMERIC there; reads cast back to TEXT),
//! so no value ever passes through a float.

macro_rules! journal_sql_store {
    // `$num`: the placeholder of a NUMERIC parameter. Bulk writes are in `bulk`.
    ($store:ident, $db:ty, $num:literal) => {
        const _: () = {
            use app::ssr::journal_store::*;
            use app::ssr::store::*;
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use journal::{Effect, Execution, Instrument, OptionTerms, Right, Side};
            use rust_decimal::Decimal;
            use sqlx::Row;
            use uuid::Uuid;
            use $crate::db::bulk::{write_pipelined, BulkInsert};
            const CHUNK: usize = <$db as BulkInsert>::CHUNK;
            type TradesBatch = fn(
                Uuid,
                i64,
                &[TradeRow],
            ) -> Result<<$db as BulkInsert>::Batch, sqlx::Error>;
            /// Rows from which a journal write is large enough to defer SQLite's WAL
            /// checkpoint (see [`BulkInsert::defer_checkpoints`]).
            const LARGE_WRITE: usize = 2_000;
            use $crate::db::sql_store::map_err;

            type DbRow = <$db as sqlx::Database>::Row;

            /// The placeholder of a decimal parameter.
            fn n(i: usize) -> String {
                format!($num, i)
            }

            fn placeholders(start: usize, count: usize) -> String {
                (start..start + count)
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }

            const IMPORT_COLS: &str = "id, workspace_id, user_id, filename, format, timezone, \
                status, total_rows, executions, duplicates, error_count, message, created_at, \
                finished_at";
            const EXEC_COLS: &str = "id, workspace_id, user_id, import_id, dedupe_key, account, \
                broker, symbol, instrument, side, effect, CAST(quantity AS TEXT) AS quantity, \
                CAST(price AS TEXT) AS price, CAST(fees AS TEXT) AS fees, \
                CAST(multiplier AS TEXT) AS multiplier, executed_at, exec_id, order_id, \
                underlying, expiry, CAST(strike AS TEXT) AS strike, option_right";
            const TRADE_COLS: &str = "id, workspace_id, user_id, trade_key, account, symbol, \
                instrument, direction, status, opened_at, closed_at, \
                CAST(quantity AS TEXT) AS quantity, CAST(multiplier AS TEXT) AS multiplier, \
                CAST(entry_price AS TEXT) AS entry_price, CAST(exit_price AS TEXT) AS exit_price, \
                CAST(gross_pnl AS TEXT) AS gross_pnl, CAST(fees AS TEXT) AS fees, \
                CAST(pnl AS TEXT) AS pnl, CAST(pnl_pct AS TEXT) AS pnl_pct, legs, incomplete, \
                manual, fingerprint, setup, notes, CAST(stop_price AS TEXT) AS stop_price, \
                CAST(target_price AS TEXT) AS target_price, deleted_at, created_at, updated_at";
            const TAG_COLS: &str = "id, workspace_id, name, color, created_at";
            /// The filter of `trades()`: $1 workspace, then the `TradeQuery` fields in order.
            const TRADE_WHERE: &str = "workspace_id = $1 \
                AND ($2 IS NULL OR opened_at >= $2) AND ($3 IS NULL OR opened_at < $3) \
                AND ($4 IS NULL OR symbol = $4) \
                AND ($5 IS NULL OR EXISTS (SELECT 1 FROM trade_tags tt JOIN tags g \
                     ON g.id = tt.tag_id WHERE tt.trade_id = trades.id AND g.name = $5)) \
                AND ($6 IS NULL OR setup = $6) AND ($7 IS NULL OR direction = $7) \
                AND ($8 IS NULL OR status = $8) AND ($9 IS NULL OR account = $9) \
                AND ((deleted_at IS NOT NULL) = $10)";

            /// A query over `TRADE_WHERE` with the workspace and the filter bound ($1–$10).
            fn filtered<'q>(
                sql: &'q str,
                ws: Uuid,
                q: &'q TradeQuery,
            ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>> {
                sqlx::query(sql)
                    .bind(ws)
                    .bind(q.from)
                    .bind(q.to)
                    .bind(q.symbol.as_deref())
                    .bind(q.tag.as_deref())
                    .bind(q.setup.as_deref())
                    .bind(q.direction.as_deref())
                    .bind(q.status.as_deref())
                    .bind(q.account.as_deref())
                    .bind(q.deleted)
            }

            fn dec(r: &DbRow, col: &str) -> Result<Decimal, sqlx::Error> {
                let s: String = r.try_get(col)?;
                s.parse::<Decimal>()
                    .map_err(|e| sqlx::Error::Decode(format!("{col}: {e}").into()))
            }

            fn opt_dec(r: &DbRow, col: &str) -> Result<Option<Decimal>, sqlx::Error> {
                let s: Option<String> = r.try_get(col)?;
                s.map(|s| {
                    s.parse::<Decimal>()
                        .map_err(|e| sqlx::Error::Decode(format!("{col}: {e}").into()))
                })
                .transpose()
            }

            fn import_row(r: &DbRow) -> Result<ImportRow, sqlx::Error> {
                Ok(ImportRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    filename: r.try_get("filename")?,
                    format: r.try_get("format")?,
                    timezone: r.try_get("timezone")?,
                    status: r.try_get("status")?,
                    total_rows: r.try_get("total_rows")?,
                    executions: r.try_get("executions")?,
                    duplicates: r.try_get("duplicates")?,
                    error_count: r.try_get("error_count")?,
                    message: r.try_get("message")?,
                    created_at: r.try_get("created_at")?,
                    finished_at: r.try_get("finished_at")?,
                })
            }

            fn bad(col: &str, v: &str) -> sqlx::Error {
                sqlx::Error::Decode(format!("{col}: unexpected value {v:?}").into())
            }

            fn execution_row(r: &DbRow) -> Result<ExecutionRow, sqlx::Error> {
                let instrument: String = r.try_get("instrument")?;
                let side: String = r.try_get("side")?;
                let effect: String = r.try_get("effect")?;
                let underlying: Option<String> = r.try_get("underlying")?;
                let expiry: Option<String> = r.try_get("expiry")?;
                let right: Option<String> = r.try_get("option_right")?;
                let strike = opt_dec(r, "strike")?;
                let option = match (underlying, expiry, strike, right) {
                    (Some(u), Some(e), Some(k), Some(rt)) => Some(OptionTerms {
                        underlying: u,
                        expiry: e.parse().map_err(|_| bad("expiry", &e))?,
                        strike: k,
                        right: if rt == "call" { Right::Call } else { Right::Put },
                    }),
                    _ => None,
                };
                Ok(ExecutionRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    import_id: r.try_get("import_id")?,
                    dedupe_key: r.try_get("dedupe_key")?,
                    execution: Execution {
                        account: r.try_get("account")?,
                        broker: r.try_get("broker")?,
                        symbol: r.try_get("symbol")?,
                        instrument: Instrument::parse(&instrument)
                            .ok_or_else(|| bad("instrument", &instrument))?,
                        side: match side.as_str() {
                            "buy" => Side::Buy,
                            "sell" => Side::Sell,
                            _ => return Err(bad("side", &side)),
                        },
                        effect: match effect.as_str() {
                            "open" => Effect::Open,
                            "close" => Effect::Close,
                            _ => Effect::Unknown,
                        },
                        quantity: dec(r, "quantity")?,
                        price: dec(r, "price")?,
                        fees: dec(r, "fees")?,
                        time: r.try_get("executed_at")?,
                        exec_id: r.try_get("exec_id")?,
                        order_id: r.try_get("order_id")?,
                        option,
                        multiplier: dec(r, "multiplier")?,
                    },
                })
            }

            fn trade_row(r: &DbRow) -> Result<TradeRow, sqlx::Error> {
                Ok(TradeRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    trade_key: r.try_get("trade_key")?,
                    account: r.try_get("account")?,
                    symbol: r.try_get("symbol")?,
                    instrument: r.try_get("instrument")?,
                    direction: r.try_get("direction")?,
                    status: r.try_get("status")?,
                    opened_at: r.try_get("opened_at")?,
                    closed_at: r.try_get("closed_at")?,
                    quantity: dec(r, "quantity")?,
                    multiplier: dec(r, "multiplier")?,
                    entry_price: dec(r, "entry_price")?,
                    exit_price: opt_dec(r, "exit_price")?,
                    gross_pnl: dec(r, "gross_pnl")?,
                    fees: dec(r, "fees")?,
                    pnl: dec(r, "pnl")?,
                    pnl_pct: opt_dec(r, "pnl_pct")?,
                    legs: r.try_get("legs")?,
                    incomplete: r.try_get("incomplete")?,
                    manual: r.try_get("manual")?,
                    fingerprint: r.try_get("fingerprint")?,
                    setup: r.try_get("setup")?,
                    notes: r.try_get("notes")?,
                    stop_price: opt_dec(r, "stop_price")?,
                    target_price: opt_dec(r, "target_price")?,
                    deleted_at: r.try_get("deleted_at")?,
                    created_at: r.try_get("created_at")?,
                    updated_at: r.try_get("updated_at")?,
                })
            }

            fn closed_row(r: &DbRow) -> Result<ClosedRow, sqlx::Error> {
                Ok(ClosedRow {
                    id: r.try_get("id")?,
                    symbol: r.try_get("symbol")?,
                    instrument: r.try_get("instrument")?,
                    setup: r.try_get("setup")?,
                    opened_at: r.try_get("opened_at")?,
                    closed_at: r.try_get("closed_at")?,
                    pnl: dec(r, "pnl")?,
                    fees: dec(r, "fees")?,
                    entry_price: dec(r, "entry_price")?,
                    stop_price: opt_dec(r, "stop_price")?,
                    quantity: dec(r, "quantity")?,
                    multiplier: dec(r, "multiplier")?,
                })
            }

            fn tag_row(r: &DbRow) -> Result<TagRow, sqlx::Error> {
                Ok(TagRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    name: r.try_get("name")?,
                    color: r.try_get("color")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            fn all<T>(
                rows: Vec<DbRow>,
                f: fn(&DbRow) -> Result<T, sqlx::Error>,
            ) -> StoreResult<Vec<T>> {
                rows.iter().map(f).collect::<Result<_, _>>().map_err(map_err)
            }

            fn ds(d: Option<Decimal>) -> Option<String> {
                d.map(|d| d.to_string())
            }

            #[async_trait]
            impl JournalStore for $store {
                async fn create_import(&self, w: &ImportRow) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO imports ({IMPORT_COLS}) VALUES ({})",
                        placeholders(1, 14)
                    );
                    sqlx::query(&sql)
                        .bind(w.id)
                        .bind(w.workspace_id)
                        .bind(w.user_id)
                        .bind(&w.filename)
                        .bind(&w.format)
                        .bind(&w.timezone)
                        .bind(&w.status)
                        .bind(w.total_rows)
                        .bind(w.executions)
                        .bind(w.duplicates)
                        .bind(w.error_count)
                        .bind(&w.message)
                        .bind(w.created_at)
                        .bind(w.finished_at)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn finish_import(&self, w: &ImportRow) -> StoreResult<()> {
                    update_import(&self.pool, w).await
                }

                async fn import(&self, ws: Uuid, id: Uuid) -> StoreResult<Option<ImportRow>> {
                    let sql = format!(
                        "SELECT {IMPORT_COLS} FROM imports WHERE workspace_id = $1 AND id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(ws)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    row.as_ref().map(import_row).transpose().map_err(map_err)
                }

                async fn imports(&self, ws: Uuid) -> StoreResult<Vec<ImportRow>> {
                    let sql = format!(
                        "SELECT {IMPORT_COLS} FROM imports WHERE workspace_id = $1 \
                         ORDER BY created_at DESC LIMIT 100"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, import_row)
                }

                async fn fail_interrupted_imports(&self, now: DateTime<Utc>) -> StoreResult<u64> {
                    sqlx::query(
                        "UPDATE imports SET status = 'failed', finished_at = $1, \
                         message = 'The server stopped during this import; nothing from it \
                         was saved. Import the file again.' WHERE status = 'running'",
                    )
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err(map_err)
                }

                async fn executions_for_accounts(
                    &self,
                    ws: Uuid,
                    accounts: &[String],
                ) -> StoreResult<Vec<ExecutionRow>> {
                    let mut out = Vec::new();
                    for account in accounts {
                        let sql = format!(
                            "SELECT {EXEC_COLS} FROM executions WHERE workspace_id = $1 \
                             AND account = $2 ORDER BY executed_at, id"
                        );
                        let rows = sqlx::query(&sql)
                            .bind(ws)
                            .bind(account)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(map_err)?;
                        out.extend(all(rows, execution_row)?);
                    }
                    Ok(out)
                }

                async fn executions(
                    &self,
                    ws: Uuid,
                    limit: i64,
                    offset: i64,
                ) -> StoreResult<(Vec<ExecutionRow>, i64)> {
                    let sql = format!(
                        "SELECT {EXEC_COLS} FROM executions WHERE workspace_id = $1 \
                         ORDER BY executed_at DESC, id LIMIT $2 OFFSET $3"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .bind(limit)
                        .bind(offset)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let total: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM executions WHERE workspace_id = $1")
                            .bind(ws)
                            .fetch_one(&self.pool)
                            .await
                            .map_err(map_err)?;
                    Ok((all(rows, execution_row)?, total))
                }

                async fn executions_by_id(
                    &self,
                    ws: Uuid,
                    ids: &[Uuid],
                ) -> StoreResult<Vec<ExecutionRow>> {
                    let mut out = Vec::new();
                    for chunk in ids.chunks(CHUNK) {
                        let sql = format!(
                            "SELECT {EXEC_COLS} FROM executions WHERE workspace_id = $1 \
                             AND id IN ({}) ORDER BY executed_at, id",
                            placeholders(2, chunk.len())
                        );
                        let q = with_ids(&sql, ws, chunk);
                        let rows = q.fetch_all(&self.pool).await.map_err(map_err)?;
                        out.extend(all(rows, execution_row)?);
                    }
                    Ok(out)
                }

                async fn stored_trades(
                    &self,
                    ws: Uuid,
                    accounts: &[String],
                ) -> StoreResult<Vec<StoredTrade>> {
                    let mut out = Vec::new();
                    for account in accounts {
                        let rows = sqlx::query(
                            "SELECT id, trade_key, fingerprint FROM trades \
                             WHERE workspace_id = $1 AND account = $2",
                        )
                        .bind(ws)
                        .bind(account)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                        for r in &rows {
                            out.push(StoredTrade {
                                id: r.try_get("id").map_err(map_err)?,
                                trade_key: r.try_get("trade_key").map_err(map_err)?,
                                fingerprint: r.try_get("fingerprint").map_err(map_err)?,
                            });
                        }
                    }
                    Ok(out)
                }

                async fn trade_legs(
                    &self,
                    ws: Uuid,
                    ids: &[Uuid],
                ) -> StoreResult<Vec<(Uuid, String)>> {
                    let mut out = Vec::new();
                    for chunk in ids.chunks(CHUNK) {
                        let sql = format!(
                            "SELECT id, legs FROM trades WHERE workspace_id = $1 AND id IN ({})",
                            placeholders(2, chunk.len())
                        );
                        let q = with_ids(&sql, ws, chunk);
                        for r in q.fetch_all(&self.pool).await.map_err(map_err)? {
                            out.push((
                                r.try_get("id").map_err(map_err)?,
                                r.try_get("legs").map_err(map_err)?,
                            ));
                        }
                    }
                    Ok(out)
                }

                async fn write_journal(
                    &self,
                    w: &JournalWrite<'_>,
                    progress: Progress<'_>,
                ) -> StoreResult<WriteOutcome> {
                    let rows = w.executions.len() + w.new_trades.len() + w.changed_trades.len();
                    let mut conn = self.pool.acquire().await.map_err(map_err)?;
                    let large = rows >= LARGE_WRITE;
                    if large {
                        <$db as BulkInsert>::defer_checkpoints(&mut *conn, true)
                            .await
                            .map_err(map_err)?;
                    }
                    let outcome = write_journal_on(&mut *conn, w, progress).await;
                    if large {
                        <$db as BulkInsert>::defer_checkpoints(&mut *conn, false)
                            .await
                            .map_err(map_err)?;
                        <$db as BulkInsert>::checkpoint_later(&self.pool);
                    }
                    outcome
                }


                async fn trades(
                    &self,
                    ws: Uuid,
                    q: &TradeQuery,
                    limit: i64,
                    offset: i64,
                ) -> StoreResult<(Vec<TradeRow>, i64)> {
                    let sql = format!(
                        "SELECT {TRADE_COLS} FROM trades WHERE {TRADE_WHERE} \
                         ORDER BY opened_at DESC, id LIMIT $11 OFFSET $12"
                    );
                    let rows = filtered(&sql, ws, q)
                        .bind(limit)
                        .bind(offset)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let count = format!("SELECT COUNT(*) AS n FROM trades WHERE {TRADE_WHERE}");
                    let total: i64 = filtered(&count, ws, q)
                        .fetch_one(&self.pool)
                        .await
                        .and_then(|r| r.try_get("n"))
                        .map_err(map_err)?;
                    Ok((all(rows, trade_row)?, total))
                }

                async fn journal_version(&self, ws: Uuid) -> StoreResult<JournalVersion> {
                    let row = sqlx::query(
                        "SELECT journal_version, journal_reset_version FROM workspaces \
                         WHERE id = $1",
                    )
                    .bind(ws)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                    let Some(r) = row else {
                        return Ok(JournalVersion::default());
                    };
                    Ok(JournalVersion {
                        version: r.try_get("journal_version").map_err(map_err)?,
                        reset: r.try_get("journal_reset_version").map_err(map_err)?,
                    })
                }

                async fn closed_trades_changed(
                    &self,
                    ws: Uuid,
                    q: &TradeQuery,
                    since: i64,
                ) -> StoreResult<Vec<(Uuid, Option<ClosedRow>)>> {
                    let closed = TradeQuery {
                        status: Some("closed".into()),
                        ..q.clone()
                    };
                    let sql = format!(
                        "SELECT id, symbol, instrument, setup, opened_at, closed_at, \
                         CAST(pnl AS TEXT) AS pnl, CAST(fees AS TEXT) AS fees, \
                         CAST(entry_price AS TEXT) AS entry_price, \
                         CAST(stop_price AS TEXT) AS stop_price, \
                         CAST(quantity AS TEXT) AS quantity, \
                         CAST(multiplier AS TEXT) AS multiplier, \
                         CASE WHEN {TRADE_WHERE} AND closed_at IS NOT NULL THEN 1 ELSE 0 END \
                         AS matching FROM trades WHERE workspace_id = $1 \
                         AND changed_version > $11"
                    );
                    let rows = filtered(&sql, ws, &closed)
                        .bind(since)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            let id: Uuid = r.try_get("id")?;
                            let matching: i32 = r.try_get("matching")?;
                            let row = if matching == 1 { Some(closed_row(r)?) } else { None };
                            Ok((id, row))
                        })
                        .collect::<Result<_, sqlx::Error>>()
                        .map_err(map_err)
                }

                async fn closed_trades(
                    &self,
                    ws: Uuid,
                    q: &TradeQuery,
                ) -> StoreResult<Vec<ClosedRow>> {
                    let closed = TradeQuery {
                        status: Some("closed".into()),
                        ..q.clone()
                    };
                    // SQLite: one packed text value (see `packed_rows`). PostgreSQL decodes rows
                    // fast, and packing measured slower there (864 ms against 401 ms).
                    let sqlite = <$db as sqlx::Database>::NAME == "SQLite";
                    if !sqlite {
                        let sql = format!(
                            "SELECT id, symbol, instrument, setup, opened_at, closed_at, \
                             CAST(pnl AS TEXT) AS pnl, CAST(fees AS TEXT) AS fees, \
                             CAST(entry_price AS TEXT) AS entry_price, \
                             CAST(stop_price AS TEXT) AS stop_price, \
                             CAST(quantity AS TEXT) AS quantity, \
                             CAST(multiplier AS TEXT) AS multiplier \
                             FROM trades WHERE {TRADE_WHERE} AND closed_at IS NOT NULL \
                             ORDER BY closed_at, id"
                        );
                        let rows = filtered(&sql, ws, &closed)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(map_err)?;
                        return all(rows, closed_row);
                    }
                    // One printf per trade: concatenating with `||` built every
                    // intermediate string and cost 1.5× as much (0.38 s against 0.25 s of
                    // SQLite's time for 100,000 trades).
                    let fields = [
                        "hex(id)",
                        "hex(symbol)",
                        "hex(instrument)",
                        "COALESCE('+' || hex(setup), '')",
                        "opened_at",
                        "closed_at",
                        "CAST(pnl AS TEXT)",
                        "CAST(fees AS TEXT)",
                        "CAST(entry_price AS TEXT)",
                        "COALESCE(CAST(stop_price AS TEXT), '')",
                        "CAST(quantity AS TEXT)",
                        "CAST(multiplier AS TEXT)",
                    ];
                    let format = vec!["%s"; fields.len()].join("\u{1f}");
                    let sql = format!(
                        "SELECT group_concat(printf('{format}', {}), char(30) \
                         ORDER BY closed_at, id) AS packed \
                         FROM trades WHERE {TRADE_WHERE} AND closed_at IS NOT NULL",
                        fields.join(", ")
                    );
                    let row = filtered(&sql, ws, &closed)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let packed: Option<String> = row.try_get("packed").map_err(map_err)?;
                    $crate::db::packed_rows::parse(packed.as_deref().unwrap_or_default())
                        .map_err(|e| map_err(sqlx::Error::Decode(e.into())))
                }

                async fn trade(&self, ws: Uuid, id: Uuid) -> StoreResult<Option<TradeRow>> {
                    let sql = format!(
                        "SELECT {TRADE_COLS} FROM trades WHERE workspace_id = $1 AND id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(ws)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    row.as_ref().map(trade_row).transpose().map_err(map_err)
                }

                async fn update_trade_fields(&self, t: &TradeRow) -> StoreResult<bool> {
                    let sql = format!(
                        "UPDATE trades SET setup = $1, notes = $2, stop_price = {}, \
                         target_price = {}, updated_at = $5, changed_version = {} \
                         WHERE workspace_id = $6 AND id = $7",
                        n(3),
                        n(4),
                        stamp(6)
                    );
                    let update = sqlx::query(&sql)
                        .bind(t.setup.as_deref())
                        .bind(&t.notes)
                        .bind(ds(t.stop_price))
                        .bind(ds(t.target_price))
                        .bind(t.updated_at)
                        .bind(t.workspace_id)
                        .bind(t.id);
                    change_journal(&self.pool, t.workspace_id, false, update).await
                }

                async fn set_trade_deleted(
                    &self,
                    ws: Uuid,
                    id: Uuid,
                    deleted_at: Option<DateTime<Utc>>,
                ) -> StoreResult<bool> {
                    let sql = format!(
                        "UPDATE trades SET deleted_at = $1, changed_version = {} \
                         WHERE workspace_id = $2 AND id = $3",
                        stamp(2)
                    );
                    let update = sqlx::query(&sql)
                    .bind(deleted_at)
                    .bind(ws)
                    .bind(id);
                    change_journal(&self.pool, ws, false, update).await
                }

                async fn trades_deleted_before(
                    &self,
                    ws: Option<Uuid>,
                    cutoff: DateTime<Utc>,
                ) -> StoreResult<Vec<TradeRow>> {
                    let sql = format!(
                        "SELECT {TRADE_COLS} FROM trades WHERE ($1 IS NULL OR workspace_id = $1) \
                         AND deleted_at IS NOT NULL AND deleted_at < $2"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .bind(cutoff)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, trade_row)
                }

                async fn tags(&self, ws: Uuid) -> StoreResult<Vec<TagRow>> {
                    let sql =
                        format!("SELECT {TAG_COLS} FROM tags WHERE workspace_id = $1 ORDER BY name");
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, tag_row)
                }

                async fn create_tag(&self, t: &TagRow) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO tags (id, workspace_id, name, color, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(t.id)
                    .bind(t.workspace_id)
                    .bind(&t.name)
                    .bind(&t.color)
                    .bind(t.created_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
                }

                async fn delete_tag(&self, ws: Uuid, id: Uuid) -> StoreResult<bool> {
                    let delete = sqlx::query("DELETE FROM tags WHERE workspace_id = $1 AND id = $2")
                        .bind(ws)
                        .bind(id);
                    // The trades it tagged change what a tag filter matches: no row says so.
                    change_journal(&self.pool, ws, true, delete).await
                }

                async fn update_tag(
                    &self,
                    ws: Uuid,
                    id: Uuid,
                    name: &str,
                    color: &str,
                ) -> StoreResult<bool> {
                    let update = sqlx::query(
                        "UPDATE tags SET name = $1, color = $2 WHERE workspace_id = $3 AND id = $4",
                    )
                    .bind(name)
                    .bind(color)
                    .bind(ws)
                    .bind(id);
                    // A renamed tag changes what a tag filter matches: no trade row says so.
                    change_journal(&self.pool, ws, true, update).await
                }

                async fn set_trade_tags(
                    &self,
                    ws: Uuid,
                    trade_id: Uuid,
                    tag_ids: &[Uuid],
                ) -> StoreResult<()> {
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    bump_version(&mut *tx, ws, false).await?;
                    // The trade must be this workspace's, so another tenant's trade id
                    // cannot be tagged; its tags are part of its row for the analytics.
                    let owned: Option<Uuid> = sqlx::query_scalar(&format!(
                        "UPDATE trades SET changed_version = {} \
                         WHERE workspace_id = $1 AND id = $2 RETURNING id",
                        stamp(1)
                    ))
                    .bind(ws)
                    .bind(trade_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    if owned.is_none() {
                        return Err(StoreError::Conflict("trade".into()));
                    }
                    sqlx::query("DELETE FROM trade_tags WHERE trade_id = $1")
                        .bind(trade_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    for tag in tag_ids {
                        let n = sqlx::query(
                            "INSERT INTO trade_tags (trade_id, tag_id) SELECT $1, id FROM tags \
                             WHERE workspace_id = $2 AND id = $3",
                        )
                        .bind(trade_id)
                        .bind(ws)
                        .bind(*tag)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?
                        .rows_affected();
                        if n == 0 {
                            return Err(StoreError::Conflict("tag".into()));
                        }
                    }
                    tx.commit().await.map_err(map_err)
                }

                async fn tags_of_trades(
                    &self,
                    ws: Uuid,
                    trade_ids: &[Uuid],
                ) -> StoreResult<Vec<(Uuid, TagRow)>> {
                    let mut out = Vec::new();
                    for chunk in trade_ids.chunks(CHUNK) {
                        let sql = format!(
                            "SELECT tt.trade_id, g.id, g.workspace_id, g.name, g.color, \
                             g.created_at FROM trade_tags tt JOIN tags g ON g.id = tt.tag_id \
                             WHERE g.workspace_id = $1 AND tt.trade_id IN ({}) ORDER BY g.name",
                            placeholders(2, chunk.len())
                        );
                        let q = with_ids(&sql, ws, chunk);
                        let rows = q.fetch_all(&self.pool).await.map_err(map_err)?;
                        for r in &rows {
                            let trade: Uuid = r.try_get("trade_id").map_err(map_err)?;
                            out.push((trade, tag_row(r).map_err(map_err)?));
                        }
                    }
                    Ok(out)
                }

                async fn save_mapping(
                    &self,
                    ws: Uuid,
                    name: &str,
                    mapping: &str,
                    now: DateTime<Utc>,
                ) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO column_mappings (id, workspace_id, name, mapping, created_at) \
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace_id, name) \
                         DO UPDATE SET mapping = excluded.mapping",
                    )
                    .bind(Uuid::new_v4())
                    .bind(ws)
                    .bind(name)
                    .bind(mapping)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
                }

                async fn mappings(&self, ws: Uuid) -> StoreResult<Vec<(String, String)>> {
                    let rows = sqlx::query(
                        "SELECT name, mapping FROM column_mappings WHERE workspace_id = $1 \
                         ORDER BY name",
                    )
                    .bind(ws)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    rows.iter()
                        .map(|r| Ok((r.try_get("name")?, r.try_get("mapping")?)))
                        .collect::<Result<_, sqlx::Error>>()
                        .map_err(map_err)
                }
            }

            /// The new journal version inside a writer's transaction, after its
            /// `bump_version`: what the trades it changes are stamped with.
            /// `sql` bound to the workspace ($1) and then the ids ($2...).
            fn with_ids<'q>(
                sql: &'q str,
                ws: Uuid,
                ids: &[Uuid],
            ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>> {
                ids.iter().fold(sqlx::query(sql).bind(ws), |q, id| q.bind(*id))
            }

            /// Deletes the workspace's rows of `table` with these ids, in chunks.
            async fn delete_ids(
                tx: &mut sqlx::Transaction<'_, $db>,
                table: &str,
                ws: Uuid,
                ids: &[Uuid],
            ) -> StoreResult<()> {
                for chunk in ids.chunks(CHUNK) {
                    let sql = format!(
                        "DELETE FROM {table} WHERE workspace_id = $1 AND id IN ({})",
                        placeholders(2, chunk.len())
                    );
                    with_ids(&sql, ws, chunk)
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                }
                Ok(())
            }

            /// The journal write of [`JournalStore::write_journal`] on one connection, in one
            /// transaction.
            async fn write_journal_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                w: &JournalWrite<'_>,
                progress: Progress<'_>,
            ) -> StoreResult<WriteOutcome> {
                use sqlx::Connection;
                let mut tx = conn.begin().await.map_err(map_err)?;
                // The version first: its row lock orders this write among the
                // workspace's others, and the trades written carry it. A version
                // other than the next one means another write landed after the change
                // was computed: it is dropped (the transaction rolls back) and redone.
                let reset = !w.remove_trades.is_empty();
                let version = bump_version(&mut *tx, w.workspace_id, reset).await?;
                if version != w.based_on + 1 {
                    return Ok(WriteOutcome::Stale);
                }
                delete_ids(&mut tx, "executions", w.workspace_id, w.delete_executions)
                    .await?;
                let mut done = 0usize;
                let t0 = std::time::Instant::now();
                let ws = w.workspace_id;
                if !write_pipelined::<$db, _>(
                    &mut *tx,
                    w.executions,
                    |c| <$db as BulkInsert>::executions_batch(ws, c),
                    &mut done,
                    progress,
                )
                .await
                .map_err(map_err)?
                {
                    return Ok(WriteOutcome::Cancelled);
                }
                let t_exec = t0.elapsed();
                for (from, into) in w.merges {
                    merge_trade(&mut tx, ws, *from, *into).await?;
                }
                delete_ids(&mut tx, "trades", ws, w.remove_trades).await?;
                for (rows, build) in [
                    (w.new_trades, <$db as BulkInsert>::new_trades_batch as TradesBatch),
                    (w.changed_trades, <$db as BulkInsert>::changed_trades_batch),
                ] {
                    if !write_pipelined::<$db, _>(
                        &mut *tx,
                        rows,
                        |c| build(ws, version, c),
                        &mut done,
                        progress,
                    )
                    .await
                    .map_err(map_err)?
                    {
                        return Ok(WriteOutcome::Cancelled);
                    }
                }
                if let Some(import) = w.import {
                    update_import(&mut *tx, import).await?;
                }
                let t_trades = t0.elapsed();
                tx.commit().await.map_err(map_err)?;
                tracing::debug!(
                    executions_ms = t_exec.as_millis() as u64,
                    trades_ms = (t_trades - t_exec).as_millis() as u64,
                    commit_ms = (t0.elapsed() - t_trades).as_millis() as u64,
                    "journal write"
                );
                Ok(WriteOutcome::Written)
            }

            /// `ws` is the number of the workspace id's parameter.
            fn stamp(ws: usize) -> String {
                format!("(SELECT journal_version FROM workspaces WHERE id = ${ws})")
            }

            /// Raises the workspace's journal version (and with `reset`, the version caches
            /// must reload from in full); every writer below calls it first in the
            /// transaction of its change. Returns the new version.
            async fn bump_version<'e, E>(ex: E, ws: Uuid, reset: bool) -> StoreResult<i64>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query_scalar(
                    "UPDATE workspaces SET journal_version = journal_version + 1, \
                     journal_reset_version = CASE WHEN $2 THEN journal_version + 1 \
                     ELSE journal_reset_version END WHERE id = $1 RETURNING journal_version",
                )
                .bind(ws)
                .bind(reset)
                .fetch_optional(ex)
                .await
                .map(|v: Option<i64>| v.unwrap_or_default())
                .map_err(map_err)
            }

            /// Runs one change to a workspace's journal after raising its version, in one
            /// transaction; true when a row changed.
            async fn change_journal<'q>(
                pool: &sqlx::Pool<$db>,
                ws: Uuid,
                reset: bool,
                change: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments<'q>>,
            ) -> StoreResult<bool> {
                let mut tx = pool.begin().await.map_err(map_err)?;
                bump_version(&mut *tx, ws, reset).await?;
                let changed = change
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .rows_affected()
                    > 0;
                tx.commit().await.map_err(map_err)?;
                Ok(changed)
            }

            /// Moves what the trader put on trade `from` to trade `into`: attachments,
            /// tags, and notes, setup, stop and target where `into` has none (notes are
            /// appended).
            async fn merge_trade(
                tx: &mut sqlx::Transaction<'_, $db>,
                ws: Uuid,
                from: Uuid,
                into: Uuid,
            ) -> StoreResult<()> {
                sqlx::query(
                    "UPDATE trade_attachments SET trade_id = $3 \
                     WHERE workspace_id = $1 AND trade_id = $2",
                )
                .bind(ws)
                .bind(from)
                .bind(into)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                sqlx::query(
                    "INSERT INTO trade_tags (trade_id, tag_id) SELECT $3, tt.tag_id \
                     FROM trade_tags tt JOIN trades t ON t.id = tt.trade_id \
                     WHERE t.workspace_id = $1 AND tt.trade_id = $2 \
                     ON CONFLICT (trade_id, tag_id) DO NOTHING",
                )
                .bind(ws)
                .bind(from)
                .bind(into)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                let sql = "UPDATE trades SET \
                     notes = CASE WHEN f.notes = '' THEN trades.notes \
                         WHEN trades.notes = '' THEN f.notes \
                         ELSE trades.notes || $4 || f.notes END, \
                     setup = COALESCE(trades.setup, f.setup), \
                     stop_price = COALESCE(trades.stop_price, f.stop_price), \
                     target_price = COALESCE(trades.target_price, f.target_price) \
                     FROM trades f WHERE f.workspace_id = $1 AND f.id = $2 \
                     AND trades.workspace_id = $1 AND trades.id = $3";
                sqlx::query(sql)
                    .bind(ws)
                    .bind(from)
                    .bind(into)
                    .bind("\n\n")
                    .execute(&mut **tx)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
            }

            async fn update_import<'e, E>(ex: E, w: &ImportRow) -> StoreResult<()>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                sqlx::query(
                    "UPDATE imports SET status = $1, total_rows = $2, executions = $3, \
                     duplicates = $4, error_count = $5, message = $6, finished_at = $7, \
                     format = $8 WHERE workspace_id = $9 AND id = $10",
                )
                .bind(&w.status)
                .bind(w.total_rows)
                .bind(w.executions)
                .bind(w.duplicates)
                .bind(w.error_count)
                .bind(&w.message)
                .bind(w.finished_at)
                .bind(&w.format)
                .bind(w.workspace_id)
                .bind(w.id)
                .execute(ex)
                .await
                .map(|_| ())
                .map_err(map_err)
            }
        };
    };
}

pub(crate) use journal_sql_store;
