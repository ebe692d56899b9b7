//! The charts' Store adapter (bars, charts, analyses, templates, usage), stamped out per
//! backend like `sql_store`.

macro_rules! chart_sql_store {
    // `$chunk`: bars per multi-row INSERT (see journal_sql for why SQLite wants few).
    ($store:ident, $db:ty, $chunk:literal) => {
        const _: () = {
            use app::ssr::chart_store::*;
            use app::ssr::store::*;
            use async_trait::async_trait;
            use indicators::Bar;
            use sqlx::Row;
            use uuid::Uuid;
            use $crate::db::sql_store::{decode_all, map_err};

            type DbRow = <$db as sqlx::Database>::Row;

            const CHART_COLS: &str = "id, workspace_id, user_id, symbol, timeframe, spec, \
                format, width, height, status, storage_key, size_bytes, bar_count, \
                data_source, render_ms, created_at";
            /// CHART_COLS for reads, with the analysis count.
            const CHART_READ: &str = "id, workspace_id, user_id, symbol, timeframe, spec, \
                format, width, height, status, storage_key, size_bytes, bar_count, \
                data_source, render_ms, created_at, (SELECT COUNT(*) FROM analyses a \
                WHERE a.chart_id = charts.id) AS analyses";
            const ANALYSIS_COLS: &str = "id, workspace_id, chart_id, user_id, model, prompt, \
                result, note, processing_ms, tokens_used, created_at";
            const TEMPLATE_COLS: &str = "id, workspace_id, user_id, name, spec, created_at";

            fn bar_row(r: &DbRow) -> Result<Bar, sqlx::Error> {
                Ok(Bar::new(
                    r.try_get("t")?,
                    r.try_get("o")?,
                    r.try_get("h")?,
                    r.try_get("l")?,
                    r.try_get("c")?,
                    r.try_get("v")?,
                ))
            }

            fn chart_row(r: &DbRow) -> Result<ChartRow, sqlx::Error> {
                Ok(ChartRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    symbol: r.try_get("symbol")?,
                    timeframe: r.try_get("timeframe")?,
                    spec: r.try_get("spec")?,
                    format: r.try_get("format")?,
                    width: r.try_get("width")?,
                    height: r.try_get("height")?,
                    status: r.try_get("status")?,
                    storage_key: r.try_get("storage_key")?,
                    size_bytes: r.try_get("size_bytes")?,
                    bar_count: r.try_get("bar_count")?,
                    data_source: r.try_get("data_source")?,
                    render_ms: r.try_get("render_ms")?,
                    created_at: r.try_get("created_at")?,
                    analyses: r.try_get("analyses")?,
                })
            }

            fn analysis_row(r: &DbRow) -> Result<AnalysisRow, sqlx::Error> {
                Ok(AnalysisRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    chart_id: r.try_get("chart_id")?,
                    user_id: r.try_get("user_id")?,
                    model: r.try_get("model")?,
                    prompt: r.try_get("prompt")?,
                    result: r.try_get("result")?,
                    note: r.try_get("note")?,
                    processing_ms: r.try_get("processing_ms")?,
                    tokens_used: r.try_get("tokens_used")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            fn template_row(r: &DbRow) -> Result<TemplateRow, sqlx::Error> {
                Ok(TemplateRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    spec: r.try_get("spec")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            fn insert_bars_sql(rows: usize, shared: bool) -> String {
                let mut sql = String::from(
                    "INSERT INTO bars (workspace_id, symbol, timeframe, source, t, o, h, l, c, v) \
                     VALUES ",
                );
                for i in 0..rows {
                    let b = 5 + i * 6;
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!(
                        "($1, $2, $3, $4, ${}, ${}, ${}, ${}, ${}, ${})",
                        b,
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5
                    ));
                }
                // Shared rows (NULL workspace) never conflict: the loader writes them once.
                if !shared {
                    sql.push_str(
                        " ON CONFLICT (workspace_id, symbol, timeframe, t) DO UPDATE SET \
                         source = excluded.source, o = excluded.o, h = excluded.h, \
                         l = excluded.l, c = excluded.c, v = excluded.v",
                    );
                }
                sql
            }

            /// Newest `limit` bars of one owner (a workspace, or the shared data), oldest first.
            async fn read_bars(
                pool: &sqlx::Pool<$db>,
                ws: Option<Uuid>,
                symbol: &str,
                timeframe: &str,
                from: i64,
                to: i64,
                limit: i64,
            ) -> StoreResult<Vec<Bar>> {
                let owner = if ws.is_some() {
                    "workspace_id = $1"
                } else {
                    "workspace_id IS NULL AND $1 IS NULL"
                };
                let sql = format!(
                    "SELECT t, o, h, l, c, v FROM bars WHERE {owner} AND symbol = $2 \
                     AND timeframe = $3 AND t >= $4 AND t < $5 ORDER BY t DESC LIMIT $6"
                );
                let rows = sqlx::query(&sql)
                    .bind(ws)
                    .bind(symbol)
                    .bind(timeframe)
                    .bind(from)
                    .bind(to)
                    .bind(limit)
                    .fetch_all(pool)
                    .await
                    .map_err(map_err)?;
                let mut bars = decode_all(rows, bar_row)?;
                bars.reverse();
                Ok(bars)
            }

            async fn source_of(
                pool: &sqlx::Pool<$db>,
                ws: Option<Uuid>,
                symbol: &str,
                timeframe: &str,
            ) -> StoreResult<Option<String>> {
                let owner = if ws.is_some() {
                    "workspace_id = $1"
                } else {
                    "workspace_id IS NULL AND $1 IS NULL"
                };
                let sql = format!(
                    "SELECT source FROM bars WHERE {owner} AND symbol = $2 AND timeframe = $3 \
                     ORDER BY t DESC LIMIT 1"
                );
                sqlx::query_scalar(&sql)
                    .bind(ws)
                    .bind(symbol)
                    .bind(timeframe)
                    .fetch_optional(pool)
                    .await
                    .map_err(map_err)
            }

            #[async_trait]
            impl ChartStore for $store {
                async fn shared_bar_count(&self) -> StoreResult<i64> {
                    sqlx::query_scalar("SELECT COUNT(*) FROM bars WHERE workspace_id IS NULL")
                        .fetch_one(&self.pool)
                        .await
                        .map_err(map_err)
                }

                async fn upsert_bars(
                    &self,
                    ws: Option<Uuid>,
                    symbol: &str,
                    timeframe: &str,
                    source: &str,
                    bars: &[Bar],
                ) -> StoreResult<u64> {
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    let mut written = 0;
                    for chunk in bars.chunks($chunk) {
                        let sql = insert_bars_sql(chunk.len(), ws.is_none());
                        let mut q = sqlx::query(&sql)
                            .bind(ws)
                            .bind(symbol)
                            .bind(timeframe)
                            .bind(source);
                        for b in chunk {
                            q = q.bind(b.t).bind(b.o).bind(b.h).bind(b.l).bind(b.c).bind(b.v);
                        }
                        written += q.execute(&mut *tx).await.map_err(map_err)?.rows_affected();
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(written)
                }

                async fn bars(
                    &self,
                    ws: Uuid,
                    symbol: &str,
                    timeframe: &str,
                    from: i64,
                    to: i64,
                    limit: i64,
                ) -> StoreResult<BarSeries> {
                    for owner in [Some(ws), None] {
                        if let Some(source) =
                            source_of(&self.pool, owner, symbol, timeframe).await?
                        {
                            let bars = read_bars(
                                &self.pool, owner, symbol, timeframe, from, to, limit,
                            )
                            .await?;
                            return Ok(BarSeries { bars, source });
                        }
                    }
                    Ok(BarSeries::default())
                }

                async fn symbols(&self, ws: Uuid) -> StoreResult<Vec<SymbolRow>> {
                    let rows = sqlx::query(
                        "SELECT symbol, timeframe, MIN(source) AS source, \
                         (workspace_id IS NULL) AS shared, COUNT(*) AS n, MIN(t) AS first_t, \
                         MAX(t) AS last_t FROM bars \
                         WHERE workspace_id = $1 OR workspace_id IS NULL \
                         GROUP BY symbol, timeframe, (workspace_id IS NULL) \
                         ORDER BY symbol, timeframe, shared",
                    )
                    .bind(ws)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok(SymbolRow {
                                symbol: r.try_get("symbol")?,
                                timeframe: r.try_get("timeframe")?,
                                source: r.try_get("source")?,
                                shared: r.try_get("shared")?,
                                bars: r.try_get("n")?,
                                first_t: r.try_get("first_t")?,
                                last_t: r.try_get("last_t")?,
                            })
                        })
                        .collect::<Result<_, sqlx::Error>>()
                        .map_err(map_err)
                }

                async fn insert_chart(&self, w: &ChartRow) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO charts ({CHART_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, \
                         $8, $9, $10, $11, $12, $13, $14, $15, $16)"
                    );
                    sqlx::query(&sql)
                        .bind(w.id)
                        .bind(w.workspace_id)
                        .bind(w.user_id)
                        .bind(&w.symbol)
                        .bind(&w.timeframe)
                        .bind(&w.spec)
                        .bind(&w.format)
                        .bind(w.width)
                        .bind(w.height)
                        .bind(&w.status)
                        .bind(&w.storage_key)
                        .bind(w.size_bytes)
                        .bind(w.bar_count)
                        .bind(&w.data_source)
                        .bind(w.render_ms)
                        .bind(w.created_at)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn charts(
                    &self,
                    ws: Uuid,
                    q: &ChartQuery,
                ) -> StoreResult<(Vec<ChartRow>, i64)> {
                    const WHERE: &str = "workspace_id = $1 AND ($2 IS NULL OR user_id = $2) \
                        AND ($3 IS NULL OR symbol = $3) AND ($4 IS NULL OR status = $4)";
                    let sql = format!(
                        "SELECT {CHART_READ} FROM charts WHERE {WHERE} \
                         ORDER BY created_at DESC, id LIMIT $5 OFFSET $6"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .bind(q.user_id)
                        .bind(q.symbol.as_deref())
                        .bind(q.status.as_deref())
                        .bind(q.limit)
                        .bind(q.offset)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    let total: i64 =
                        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM charts WHERE {WHERE}"))
                            .bind(ws)
                            .bind(q.user_id)
                            .bind(q.symbol.as_deref())
                            .bind(q.status.as_deref())
                            .fetch_one(&self.pool)
                            .await
                            .map_err(map_err)?;
                    Ok((decode_all(rows, chart_row)?, total))
                }

                async fn chart(&self, ws: Uuid, id: Uuid) -> StoreResult<Option<ChartRow>> {
                    let sql = format!(
                        "SELECT {CHART_READ} FROM charts WHERE workspace_id = $1 AND id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(ws)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    row.as_ref().map(chart_row).transpose().map_err(map_err)
                }

                async fn delete_chart(&self, ws: Uuid, id: Uuid) -> StoreResult<bool> {
                    sqlx::query("DELETE FROM charts WHERE workspace_id = $1 AND id = $2")
                        .bind(ws)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|r| r.rows_affected() > 0)
                        .map_err(map_err)
                }

                async fn insert_analysis(&self, w: &AnalysisRow) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO analyses ({ANALYSIS_COLS}) VALUES ($1, $2, $3, $4, $5, $6, \
                         $7, $8, $9, $10, $11)"
                    );
                    sqlx::query(&sql)
                        .bind(w.id)
                        .bind(w.workspace_id)
                        .bind(w.chart_id)
                        .bind(w.user_id)
                        .bind(&w.model)
                        .bind(&w.prompt)
                        .bind(&w.result)
                        .bind(&w.note)
                        .bind(w.processing_ms)
                        .bind(w.tokens_used)
                        .bind(w.created_at)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn analyses_of_chart(
                    &self,
                    ws: Uuid,
                    chart_id: Uuid,
                ) -> StoreResult<Vec<AnalysisRow>> {
                    let sql = format!(
                        "SELECT {ANALYSIS_COLS} FROM analyses WHERE workspace_id = $1 \
                         AND chart_id = $2 ORDER BY created_at DESC, id"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .bind(chart_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    decode_all(rows, analysis_row)
                }

                async fn analysis(&self, ws: Uuid, id: Uuid) -> StoreResult<Option<AnalysisRow>> {
                    let sql = format!(
                        "SELECT {ANALYSIS_COLS} FROM analyses WHERE workspace_id = $1 AND id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(ws)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    row.as_ref().map(analysis_row).transpose().map_err(map_err)
                }

                async fn insert_template(&self, w: &TemplateRow) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO chart_templates ({TEMPLATE_COLS}) VALUES ($1, $2, $3, $4, \
                         $5, $6)"
                    );
                    sqlx::query(&sql)
                        .bind(w.id)
                        .bind(w.workspace_id)
                        .bind(w.user_id)
                        .bind(&w.name)
                        .bind(&w.spec)
                        .bind(w.created_at)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(|e| match map_err(e) {
                            StoreError::Conflict(_) => {
                                StoreError::Conflict("template name".into())
                            }
                            other => other,
                        })
                }

                async fn templates(&self, ws: Uuid) -> StoreResult<Vec<TemplateRow>> {
                    let sql = format!(
                        "SELECT {TEMPLATE_COLS} FROM chart_templates WHERE workspace_id = $1 \
                         ORDER BY name"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    decode_all(rows, template_row)
                }

                async fn delete_template(&self, ws: Uuid, id: Uuid) -> StoreResult<bool> {
                    sqlx::query("DELETE FROM chart_templates WHERE workspace_id = $1 AND id = $2")
                        .bind(ws)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|r| r.rows_affected() > 0)
                        .map_err(map_err)
                }

                async fn consume(
                    &self,
                    ws: Uuid,
                    period: &str,
                    kind: &str,
                    limit: i64,
                ) -> StoreResult<Option<i64>> {
                    if limit <= 0 {
                        return Ok(None);
                    }
                    // One statement: the row lock (PostgreSQL) or the write lock (SQLite)
                    // serialises concurrent requests, and the WHERE refuses the one too many.
                    sqlx::query_scalar(
                        "INSERT INTO usage_counters (workspace_id, period, kind, used) \
                         VALUES ($1, $2, $3, 1) \
                         ON CONFLICT (workspace_id, period, kind) DO UPDATE \
                         SET used = usage_counters.used + 1 WHERE usage_counters.used < $4 \
                         RETURNING used",
                    )
                    .bind(ws)
                    .bind(period)
                    .bind(kind)
                    .bind(limit)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)
                }

                async fn refund(&self, ws: Uuid, period: &str, kind: &str) -> StoreResult<()> {
                    sqlx::query(
                        "UPDATE usage_counters SET used = used - 1 WHERE workspace_id = $1 \
                         AND period = $2 AND kind = $3 AND used > 0",
                    )
                    .bind(ws)
                    .bind(period)
                    .bind(kind)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
                }

                async fn used(&self, ws: Uuid, period: &str, kind: &str) -> StoreResult<i64> {
                    let n: Option<i64> = sqlx::query_scalar(
                        "SELECT used FROM usage_counters WHERE workspace_id = $1 \
                         AND period = $2 AND kind = $3",
                    )
                    .bind(ws)
                    .bind(period)
                    .bind(kind)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                    Ok(n.unwrap_or(0))
                }
            }
        };
    };
}

pub(crate) use chart_sql_store;
