-- Accounts, workspaces, memberships, invites, API keys, login throttling.
-- Ids are UUIDs (16-byte BLOBs here, UUID in PostgreSQL); times are UTC.
CREATE TABLE users (
    id                  BLOB PRIMARY KEY NOT NULL,
    email               TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    session_epoch       INTEGER NOT NULL DEFAULT 0,
    active_workspace_id BLOB,
    created_at          TEXT NOT NULL
);

CREATE TABLE workspaces (
    id         BLOB PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    plan       TEXT NOT NULL DEFAULT 'free',
    personal   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE invites (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    token_hash   TEXT NOT NULL UNIQUE,
    invited_by   BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX invites_workspace ON invites(workspace_id);

CREATE TABLE api_keys (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX api_keys_owner ON api_keys(workspace_id, user_id);

-- Failed sign-ins per key (account or client address) in a sliding window. Shared by
-- every server process because it lives in the database. Times in epoch milliseconds.
CREATE TABLE auth_throttle (
    key             TEXT PRIMARY KEY NOT NULL,
    window_start_ms INTEGER NOT NULL,
    failures        INTEGER NOT NULL
);
