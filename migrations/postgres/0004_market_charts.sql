-- Market data, generated charts, their analyses, chart templates and monthly usage.
-- Bar prices are DOUBLE PRECISION: they are market measurements feeding float indicators, not money
-- held (money stays NUMERIC in the journal tables).
CREATE TABLE bars (
    -- NULL: the built-in data every workspace reads; else the workspace that imported it.
    workspace_id UUID REFERENCES workspaces(id) ON DELETE CASCADE,
    symbol       TEXT NOT NULL,
    timeframe    TEXT NOT NULL,
    t            BIGINT NOT NULL,
    o            DOUBLE PRECISION NOT NULL,
    h            DOUBLE PRECISION NOT NULL,
    l            DOUBLE PRECISION NOT NULL,
    c            DOUBLE PRECISION NOT NULL,
    v            DOUBLE PRECISION NOT NULL,
    source       TEXT NOT NULL
);
CREATE UNIQUE INDEX bars_key ON bars(workspace_id, symbol, timeframe, t);
CREATE INDEX bars_shared ON bars(symbol, timeframe, t) WHERE workspace_id IS NULL;

CREATE TABLE charts (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES users(id) ON DELETE SET NULL,
    symbol       TEXT NOT NULL,
    timeframe    TEXT NOT NULL,
    spec         TEXT NOT NULL,
    format       TEXT NOT NULL,
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    status       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    bar_count    BIGINT NOT NULL,
    data_source  TEXT NOT NULL,
    render_ms    BIGINT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX charts_workspace ON charts(workspace_id, created_at);

CREATE TABLE analyses (
    id            UUID PRIMARY KEY,
    workspace_id  UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    chart_id      UUID NOT NULL REFERENCES charts(id) ON DELETE CASCADE,
    user_id       UUID REFERENCES users(id) ON DELETE SET NULL,
    model         TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    result        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    processing_ms BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX analyses_chart ON analyses(workspace_id, chart_id, created_at);

CREATE TABLE chart_templates (
    id           UUID PRIMARY KEY,
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      UUID REFERENCES users(id) ON DELETE SET NULL,
    name         TEXT NOT NULL,
    spec         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (workspace_id, name)
);

-- One counter per workspace, month ("2026-11") and kind ("charts", "analyses").
CREATE TABLE usage_counters (
    workspace_id UUID NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    used         BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, period, kind)
);
