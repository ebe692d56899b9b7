//! The storage port of trade attachments' records (the bytes are in the blob store).
//! Every method takes the workspace id.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::store::StoreResult;

#[derive(Clone, Debug, PartialEq)]
pub struct AttachmentRow {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub trade_id: Uuid,
    pub user_id: Option<Uuid>,
    /// The name it was uploaded with, cleaned for display and downloads.
    pub file_name: String,
    /// Found from the content: image/png, image/jpeg, image/webp or application/pdf.
    pub content_type: String,
    pub size_bytes: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub storage_key: String,
    pub thumb_key: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait AttachmentStore: Send + Sync {
    async fn insert_attachment(&self, row: &AttachmentRow) -> StoreResult<()>;
    /// A trade's attachments, oldest first.
    async fn attachments_of_trade(
        &self,
        workspace_id: Uuid,
        trade_id: Uuid,
    ) -> StoreResult<Vec<AttachmentRow>>;
    async fn attachment(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<AttachmentRow>>;
    async fn delete_attachment(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool>;
}
