//! The corporate actions' Store adapter, stamped out per backend like `journal_sql`
//! (values cross as text: exact decimal TEXT on SQLite, NUMERIC on PostgreSQL).

macro_rules! action_sql_store {
    ($store:ident, $db:ty, $num:literal) => {
        const _: () = {
            use app::ssr::action_store::*;
            use app::ssr::store::*;
            use async_trait::async_trait;
            use market::{ActionKind, CorporateAction};
            use rust_decimal::Decimal;
            use sqlx::Row;
            use uuid::Uuid;
            use $crate::db::sql_store::{decode_all, map_err};

            type DbRow = <$db as sqlx::Database>::Row;

            fn action_row(r: &DbRow) -> Result<ActionRow, sqlx::Error> {
                let decode = |what: &str| sqlx::Error::Decode(what.to_string().into());
                let kind: String = r.try_get("kind")?;
                let value: String = r.try_get("value")?;
                let ws: Option<Uuid> = r.try_get("workspace_id")?;
                Ok(ActionRow {
                    shared: ws.is_none(),
                    action: CorporateAction {
                        t: r.try_get("t")?,
                        kind: ActionKind::parse(&kind).ok_or_else(|| decode("kind"))?,
                        value: value.parse::<Decimal>().map_err(|_| decode("value"))?,
                    },
                    source: r.try_get("source")?,
                })
            }

            #[async_trait]
            impl ActionStore for $store {
                async fn put_actions(
                    &self,
                    ws: Option<Uuid>,
                    symbol: &str,
                    source: &str,
                    actions: &[CorporateAction],
                ) -> StoreResult<u64> {
                    // `IS NULL` rather than `= NULL` for the built-in scope.
                    let scope = if ws.is_some() {
                        "workspace_id = $1"
                    } else {
                        "workspace_id IS NULL AND $1 IS NULL"
                    };
                    let delete = format!(
                        "DELETE FROM corporate_actions WHERE {scope} AND symbol = $2 \
                         AND t = $3 AND kind = $4"
                    );
                    let insert = format!(
                        "INSERT INTO corporate_actions (workspace_id, symbol, t, kind, value, \
                         source) VALUES ($1, $2, $3, $4, {}, $6)",
                        format!($num, 5)
                    );
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    let mut written = 0;
                    for a in actions {
                        sqlx::query(&delete)
                            .bind(ws)
                            .bind(symbol)
                            .bind(a.t)
                            .bind(a.kind.as_str())
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                        written += sqlx::query(&insert)
                            .bind(ws)
                            .bind(symbol)
                            .bind(a.t)
                            .bind(a.kind.as_str())
                            .bind(a.value.to_string())
                            .bind(source)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?
                            .rows_affected();
                    }
                    tx.commit().await.map_err(map_err)?;
                    Ok(written)
                }

                async fn actions(&self, ws: Uuid, symbol: &str) -> StoreResult<Vec<ActionRow>> {
                    let rows = sqlx::query(
                        "SELECT workspace_id, t, kind, CAST(value AS TEXT) AS value, source \
                         FROM corporate_actions \
                         WHERE (workspace_id = $1 OR workspace_id IS NULL) AND symbol = $2 \
                         ORDER BY t, kind",
                    )
                    .bind(ws)
                    .bind(symbol)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    decode_all(rows, action_row)
                }
            }
        };
    };
}

pub(crate) use action_sql_store;
