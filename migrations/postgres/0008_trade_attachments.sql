-- Files attached to a trade (chart screenshots, broker confirmations). The bytes live in
-- the blob store under `storage_key` (and `thumb_key` for an image's thumbnail); the row
-- holds what the checks found. Rows go with their trade; the service deletes the files.
CREATE TABLE trade_attachments (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    trade_id     UUID NOT NULL REFERENCES trades(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES users(id) ON DELETE SET NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    width        INTEGER,
    height       INTEGER,
    storage_key  TEXT NOT NULL,
    thumb_key    TEXT,
    created_at   TIMESTAMPTZ NOT NULL
);
-- trade_id leads: the foreign key's cascade looks attachments up by trade alone.
CREATE INDEX trade_attachments_trade ON trade_attachments(trade_id, created_at);
