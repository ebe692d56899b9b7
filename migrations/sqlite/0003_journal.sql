-- Trading journal: imports, executions (the source of truth), trades rebuilt from them,
-- tags and saved column mappings. Money is exact decimal TEXT here (NUMERIC in PostgreSQL).
CREATE TABLE imports (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB REFERENCES users(id) ON DELETE SET NULL,
    filename     TEXT NOT NULL,
    format       TEXT NOT NULL,
    timezone     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    total_rows   INTEGER NOT NULL DEFAULT 0,
    executions   INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    error_count  INTEGER NOT NULL DEFAULT 0,
    message      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    finished_at  TEXT
);
CREATE INDEX imports_workspace ON imports(workspace_id, created_at);

CREATE TABLE executions (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB REFERENCES users(id) ON DELETE SET NULL,
    import_id    BLOB REFERENCES imports(id) ON DELETE SET NULL,
    dedupe_key   TEXT NOT NULL,
    account      TEXT NOT NULL,
    broker       TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    instrument   TEXT NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    effect       TEXT NOT NULL,
    quantity     TEXT NOT NULL,
    price        TEXT NOT NULL,
    fees         TEXT NOT NULL,
    multiplier   TEXT NOT NULL,
    executed_at  TEXT NOT NULL,
    exec_id      TEXT,
    order_id     TEXT,
    underlying   TEXT,
    expiry       TEXT,
    strike       TEXT,
    option_right TEXT,
    UNIQUE (workspace_id, dedupe_key)
);
CREATE INDEX executions_account ON executions(workspace_id, account, executed_at);

CREATE TABLE trades (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB REFERENCES users(id) ON DELETE SET NULL,
    -- The opening execution's dedupe key: a trade keeps its id and notes across rebuilds.
    trade_key    TEXT NOT NULL,
    generation   INTEGER NOT NULL,
    account      TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    instrument   TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('long', 'short')),
    status       TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at    TEXT NOT NULL,
    closed_at    TEXT,
    quantity     TEXT NOT NULL,
    multiplier   TEXT NOT NULL,
    entry_price  TEXT NOT NULL,
    exit_price   TEXT,
    gross_pnl    TEXT NOT NULL,
    fees         TEXT NOT NULL,
    pnl          TEXT NOT NULL,
    pnl_pct      TEXT,
    legs         TEXT NOT NULL,
    incomplete   BOOLEAN NOT NULL DEFAULT FALSE,
    manual       BOOLEAN NOT NULL DEFAULT FALSE,
    setup        TEXT,
    notes        TEXT NOT NULL DEFAULT '',
    stop_price   TEXT,
    target_price TEXT,
    deleted_at   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (workspace_id, trade_key)
);
CREATE INDEX trades_opened ON trades(workspace_id, opened_at);
CREATE INDEX trades_account ON trades(workspace_id, account);

CREATE TABLE tags (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    color        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE trade_tags (
    trade_id BLOB NOT NULL REFERENCES trades(id) ON DELETE CASCADE,
    tag_id   BLOB NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (trade_id, tag_id)
);
CREATE INDEX trade_tags_tag ON trade_tags(tag_id);

CREATE TABLE column_mappings (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    mapping      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);
