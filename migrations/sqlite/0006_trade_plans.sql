-- Planned trades: an entry, a stop and a target decided before any fill, most often from a
-- chart analysis. Not round trips (no executions), so they live beside trades and never
-- count in the analytics. Prices are exact decimal TEXT like the journal's money.
CREATE TABLE trade_plans (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB REFERENCES users(id) ON DELETE SET NULL,
    analysis_id  BLOB REFERENCES analyses(id) ON DELETE SET NULL,
    symbol       TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('long', 'short')),
    entry_price  TEXT NOT NULL,
    stop_price   TEXT NOT NULL,
    target_price TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX trade_plans_created ON trade_plans(workspace_id, created_at);
-- One plan per analysis: sending it twice is a conflict, not a duplicate.
CREATE UNIQUE INDEX trade_plans_analysis ON trade_plans(workspace_id, analysis_id);
