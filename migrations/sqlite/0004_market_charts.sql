-- Market data, generated charts, their analyses, chart templates and monthly usage.
-- Bar prices are REAL: they are market measurements feeding float indicators, not money
-- held (money stays exact decimal TEXT in the journal tables).
CREATE TABLE bars (
    -- NULL: the built-in data every workspace reads; else the workspace that imported it.
    workspace_id BLOB REFERENCES workspaces(id) ON DELETE CASCADE,
    symbol       TEXT NOT NULL,
    timeframe    TEXT NOT NULL,
    t            INTEGER NOT NULL,
    o            REAL NOT NULL,
    h            REAL NOT NULL,
    l            REAL NOT NULL,
    c            REAL NOT NULL,
    v            REAL NOT NULL,
    source       TEXT NOT NULL
);
CREATE UNIQUE INDEX bars_key ON bars(workspace_id, symbol, timeframe, t);
CREATE INDEX bars_shared ON bars(symbol, timeframe, t) WHERE workspace_id IS NULL;

CREATE TABLE charts (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB REFERENCES users(id) ON DELETE SET NULL,
    symbol       TEXT NOT NULL,
    timeframe    TEXT NOT NULL,
    spec         TEXT NOT NULL,
    format       TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    status       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    bar_count    INTEGER NOT NULL,
    data_source  TEXT NOT NULL,
    render_ms    INTEGER NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX charts_workspace ON charts(workspace_id, created_at);

CREATE TABLE analyses (
    id            BLOB PRIMARY KEY NOT NULL,
    workspace_id  BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    chart_id      BLOB NOT NULL REFERENCES charts(id) ON DELETE CASCADE,
    user_id       BLOB REFERENCES users(id) ON DELETE SET NULL,
    model         TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    result        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    processing_ms INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX analyses_chart ON analyses(workspace_id, chart_id, created_at);

CREATE TABLE chart_templates (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB REFERENCES users(id) ON DELETE SET NULL,
    name         TEXT NOT NULL,
    spec         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

-- One counter per workspace, month ("2026-11") and kind ("charts", "analyses").
CREATE TABLE usage_counters (
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    used         INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, period, kind)
);
