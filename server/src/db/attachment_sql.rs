//! The trade attachments' Store adapter, stamped out per backend like `plan_sql` (no
//! money here, so the SQL is the same on both).

macro_rules! attachment_sql_store {
    ($store:ident, $db:ty) => {
        const _: () = {
            use app::ssr::attachment_store::*;
            use app::ssr::store::*;
            use async_trait::async_trait;
            use sqlx::Row;
            use uuid::Uuid;
            use $crate::db::sql_store::{decode_all, map_err};

            type DbRow = <$db as sqlx::Database>::Row;

            const COLS: &str = "id, workspace_id, trade_id, user_id, file_name, content_type, \
                size_bytes, width, height, storage_key, thumb_key, created_at";

            fn attachment_row(r: &DbRow) -> Result<AttachmentRow, sqlx::Error> {
                Ok(AttachmentRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    trade_id: r.try_get("trade_id")?,
                    user_id: r.try_get("user_id")?,
                    file_name: r.try_get("file_name")?,
                    content_type: r.try_get("content_type")?,
                    size_bytes: r.try_get("size_bytes")?,
                    width: r.try_get("width")?,
                    height: r.try_get("height")?,
                    storage_key: r.try_get("storage_key")?,
                    thumb_key: r.try_get("thumb_key")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            #[async_trait]
            impl AttachmentStore for $store {
                async fn insert_attachment(&self, a: &AttachmentRow) -> StoreResult<()> {
                    sqlx::query(&format!(
                        "INSERT INTO trade_attachments ({COLS}) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                    ))
                    .bind(a.id)
                    .bind(a.workspace_id)
                    .bind(a.trade_id)
                    .bind(a.user_id)
                    .bind(&a.file_name)
                    .bind(&a.content_type)
                    .bind(a.size_bytes)
                    .bind(a.width)
                    .bind(a.height)
                    .bind(&a.storage_key)
                    .bind(&a.thumb_key)
                    .bind(a.created_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
                }

                async fn attachments_of_trade(
                    &self,
                    ws: Uuid,
                    trade_id: Uuid,
                ) -> StoreResult<Vec<AttachmentRow>> {
                    let rows = sqlx::query(&format!(
                        "SELECT {COLS} FROM trade_attachments \
                         WHERE workspace_id = $1 AND trade_id = $2 ORDER BY created_at, id"
                    ))
                    .bind(ws)
                    .bind(trade_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    decode_all(rows, attachment_row)
                }

                async fn attachment(
                    &self,
                    ws: Uuid,
                    id: Uuid,
                ) -> StoreResult<Option<AttachmentRow>> {
                    let row = sqlx::query(&format!(
                        "SELECT {COLS} FROM trade_attachments WHERE workspace_id = $1 AND id = $2"
                    ))
                    .bind(ws)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                    row.as_ref()
                        .map(attachment_row)
                        .transpose()
                        .map_err(map_err)
                }

                async fn delete_attachment(&self, ws: Uuid, id: Uuid) -> StoreResult<bool> {
                    sqlx::query("DELETE FROM trade_attachments WHERE workspace_id = $1 AND id = $2")
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

pub(crate) use attachment_sql_store;
