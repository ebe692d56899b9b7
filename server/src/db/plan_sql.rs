//! The planned trades' Store adapter, stamped out per backend like `journal_sql` (prices
//! cross as text: exact decimal TEXT on SQLite, NUMERIC on PostgreSQL).

macro_rules! plan_sql_store {
    ($store:ident, $db:ty, $num:literal) => {
        const _: () = {
            use app::ssr::plan_store::*;
            use app::ssr::store::*;
            use async_trait::async_trait;
            use rust_decimal::Decimal;
            use sqlx::Row;
            use uuid::Uuid;
            use $crate::db::sql_store::{decode_all, map_err};

            type DbRow = <$db as sqlx::Database>::Row;

            const PLAN_COLS: &str = "id, workspace_id, user_id, analysis_id, symbol, direction, \
                CAST(entry_price AS TEXT) AS entry_price, CAST(stop_price AS TEXT) AS stop_price, \
                CAST(target_price AS TEXT) AS target_price, notes, created_at";

            fn dec(r: &DbRow, col: &str) -> Result<Decimal, sqlx::Error> {
                let s: String = r.try_get(col)?;
                s.parse::<Decimal>()
                    .map_err(|e| sqlx::Error::Decode(format!("{col}: {e}").into()))
            }

            fn plan_row(r: &DbRow) -> Result<PlanRow, sqlx::Error> {
                Ok(PlanRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    analysis_id: r.try_get("analysis_id")?,
                    symbol: r.try_get("symbol")?,
                    direction: r.try_get("direction")?,
                    entry_price: dec(r, "entry_price")?,
                    stop_price: dec(r, "stop_price")?,
                    target_price: dec(r, "target_price")?,
                    notes: r.try_get("notes")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            #[async_trait]
            impl PlanStore for $store {
                async fn insert_plan(&self, p: &PlanRow) -> StoreResult<()> {
                    let sql = format!(
                        "INSERT INTO trade_plans (id, workspace_id, user_id, analysis_id, symbol, \
                         direction, entry_price, stop_price, target_price, notes, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, {}, {}, {}, $10, $11)",
                        format!($num, 7),
                        format!($num, 8),
                        format!($num, 9)
                    );
                    sqlx::query(&sql)
                        .bind(p.id)
                        .bind(p.workspace_id)
                        .bind(p.user_id)
                        .bind(p.analysis_id)
                        .bind(&p.symbol)
                        .bind(&p.direction)
                        .bind(p.entry_price.to_string())
                        .bind(p.stop_price.to_string())
                        .bind(p.target_price.to_string())
                        .bind(&p.notes)
                        .bind(p.created_at)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn plans(&self, ws: Uuid) -> StoreResult<Vec<PlanRow>> {
                    let sql = format!(
                        "SELECT {PLAN_COLS} FROM trade_plans WHERE workspace_id = $1 \
                         ORDER BY created_at DESC, id"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(ws)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    decode_all(rows, plan_row)
                }

                async fn plan(&self, ws: Uuid, id: Uuid) -> StoreResult<Option<PlanRow>> {
                    let sql = format!(
                        "SELECT {PLAN_COLS} FROM trade_plans WHERE workspace_id = $1 AND id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(ws)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    row.as_ref().map(plan_row).transpose().map_err(map_err)
                }

                async fn delete_plan(&self, ws: Uuid, id: Uuid) -> StoreResult<bool> {
                    sqlx::query("DELETE FROM trade_plans WHERE workspace_id = $1 AND id = $2")
                        .bind(ws)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|r| r.rows_affected() > 0)
                        .map_err(map_err)
                }
            }
        };
    };
}

pub(crate) use plan_sql_store;
