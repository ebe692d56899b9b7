-- A counter every journal write bumps in its own transaction (executions, trades, tags,
-- trade tags). Analytics cache the closed trades they load per workspace under this
-- version, so any change, from any server process, makes the next request reload.
ALTER TABLE workspaces ADD COLUMN journal_version INTEGER NOT NULL DEFAULT 0;
