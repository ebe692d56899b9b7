-- Executions are written tens of thousands at a time (broker imports), and each of their
-- three foreign keys costs a lookup per row (100,000 executions in the sqlite3 shell: 0.76 s
-- with them, 0.49 s without). What they guarded is done by the store in the same
-- transactions instead: deleting a workspace deletes its executions and trades, deleting a
-- user clears `user_id` on the journal rows of the workspaces that stay, and imports are
-- only deleted with their workspace. SQLite cannot drop a constraint, so the table is
-- rebuilt (nothing references executions, so this is safe inside the migration's
-- transaction). Trades keep theirs here: trade tags and attachments reference trades, and
-- their two keys cost SQLite little.
CREATE TABLE executions_next (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL,
    user_id      BLOB,
    import_id    BLOB,
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
INSERT INTO executions_next (id, workspace_id, user_id, import_id, dedupe_key, account,
    broker, symbol, instrument, side, effect, quantity, price, fees, multiplier, executed_at,
    exec_id, order_id, underlying, expiry, strike, option_right)
SELECT id, workspace_id, user_id, import_id, dedupe_key, account, broker, symbol,
    instrument, side, effect, quantity, price, fees, multiplier, executed_at, exec_id,
    order_id, underlying, expiry, strike, option_right
FROM executions;
DROP TABLE executions;
ALTER TABLE executions_next RENAME TO executions;
CREATE INDEX executions_account ON executions(workspace_id, account, executed_at);
