-- Trading journal: imports, executions (the source of truth), trades rebuilt from them,
-- tags and saved column mappings. Money is NUMERIC here (exact decimal TEXT in SQLite).
CREATE TABLE imports (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES users(id) ON DELETE SET NULL,
    filename     TEXT NOT NULL,
    format       TEXT NOT NULL,
    timezone     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    total_rows   BIGINT NOT NULL DEFAULT 0,
    executions   BIGINT NOT NULL DEFAULT 0,
    duplicates   BIGINT NOT NULL DEFAULT 0,
    error_count  BIGINT NOT NULL DEFAULT 0,
    message      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);
CREATE INDEX imports_workspace ON imports(workspace_id, created_at);

CREATE TABLE executions (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES users(id) ON DELETE SET NULL,
    import_id    UUID REFERENCES imports(id) ON DELETE SET NULL,
    dedupe_key   TEXT NOT NULL,
    account      TEXT NOT NULL,
    broker       TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    instrument   TEXT NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    effect       TEXT NOT NULL,
    quantity     NUMERIC NOT NULL,
    price        NUMERIC NOT NULL,
    fees         NUMERIC NOT NULL,
    multiplier   NUMERIC NOT NULL,
    executed_at  TIMESTAMPTZ NOT NULL,
    exec_id      TEXT,
    order_id     TEXT,
    underlying   TEXT,
    expiry       TEXT,
    strike       NUMERIC,
    option_right TEXT,
    UNIQUE (workspace_id, dedupe_key)
);
CREATE INDEX executions_account ON executions(workspace_id, account, executed_at);

CREATE TABLE trades (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES users(id) ON DELETE SET NULL,
    -- The opening execution's dedupe key: a trade keeps its id and notes across rebuilds.
    trade_key    TEXT NOT NULL,
    generation   BIGINT NOT NULL,
    account      TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    instrument   TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('long', 'short')),
    status       TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at    TIMESTAMPTZ NOT NULL,
    closed_at    TIMESTAMPTZ,
    quantity     NUMERIC NOT NULL,
    multiplier   NUMERIC NOT NULL,
    entry_price  NUMERIC NOT NULL,
    exit_price   NUMERIC,
    gross_pnl    NUMERIC NOT NULL,
    fees         NUMERIC NOT NULL,
    pnl          NUMERIC NOT NULL,
    pnl_pct      NUMERIC,
    legs         TEXT NOT NULL,
    incomplete   BOOLEAN NOT NULL DEFAULT FALSE,
    manual       BOOLEAN NOT NULL DEFAULT FALSE,
    setup        TEXT,
    notes        TEXT NOT NULL DEFAULT '',
    stop_price   NUMERIC,
    target_price NUMERIC,
    deleted_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (workspace_id, trade_key)
);
CREATE INDEX trades_opened ON trades(workspace_id, opened_at);
CREATE INDEX trades_account ON trades(workspace_id, account);

CREATE TABLE tags (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    color        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE trade_tags (
    trade_id UUID NOT NULL REFERENCES trades(id) ON DELETE CASCADE,
    tag_id   UUID NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (trade_id, tag_id)
);
CREATE INDEX trade_tags_tag ON trade_tags(tag_id);

CREATE TABLE column_mappings (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    mapping      TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (workspace_id, name)
);
