-- Cash dividends and splits per symbol (ex-date at 00:00 UTC in unix ms), for split- and
-- total-return-adjusted bars. NULL workspace: the built-in data's; else a workspace's own
-- (which win over the built-in ones for the same date and kind). Values are exact
-- decimal TEXT: a dividend's cash per share, a split's new shares per old share.
CREATE TABLE corporate_actions (
    workspace_id BLOB REFERENCES workspaces(id) ON DELETE CASCADE,
    symbol       TEXT NOT NULL,
    t            INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('dividend', 'split')),
    value        TEXT NOT NULL,
    source       TEXT NOT NULL
);
CREATE INDEX corporate_actions_symbol ON corporate_actions(symbol, t);
