//! The Store adapter, written once and instantiated for each backend.
//!
//! The SQL is the same for SQLite and PostgreSQL (`$N` placeholders, `ON CONFLICT`,
//! `RETURNING`), and sqlx maps `Uuid`, `DateTime<Utc>`, `bool` and `i64` on both. A
//! generic `impl<DB: Database>` would need higher-ranked `Executor` bounds that break
//! `Send` futures, so a macro stamps out one concrete impl per backend instead: each
//! method is still one statement (or one transaction) plus its row mapping.

macro_rules! sql_store {
    ($store:ident, $db:ty, $backend:literal) => {
        #[derive(Clone)]
        pub struct $store {
            pool: sqlx::Pool<$db>,
        }

        impl $store {
            pub fn new(pool: sqlx::Pool<$db>) -> Self {
                Self { pool }
            }

            pub fn pool(&self) -> &sqlx::Pool<$db> {
                &self.pool
            }
        }

        const _: () = {
            use app::ssr::store::*;
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use sqlx::Row;
            use uuid::Uuid;
            use $crate::db::sql_store::map_err;

            type DbRow = <$db as sqlx::Database>::Row;

            const USER_COLS: &str = "id, email, name, password_hash, session_epoch, \
                                     active_workspace_id, created_at";
            const WS_COLS: &str = "w.id, w.name, w.plan, w.personal, w.created_at";
            const INVITE_COLS: &str = "id, workspace_id, email, role, token_hash, invited_by, \
                                       expires_at, accepted_at, created_at";
            const STRATEGY_COLS: &str = "id, workspace_id, user_id, name, spec, created_at, updated_at";
            const KEY_COLS: &str = "id, workspace_id, user_id, name, prefix, key_hash, \
                                    created_at, last_used_at";

            fn user(r: &DbRow) -> Result<UserRow, sqlx::Error> {
                Ok(UserRow {
                    id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    name: r.try_get("name")?,
                    password_hash: r.try_get("password_hash")?,
                    session_epoch: r.try_get("session_epoch")?,
                    active_workspace_id: r.try_get("active_workspace_id")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            fn workspace(r: &DbRow) -> Result<WorkspaceRow, sqlx::Error> {
                Ok(WorkspaceRow {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    plan: r.try_get("plan")?,
                    personal: r.try_get("personal")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            fn membership(r: &DbRow) -> Result<MembershipRow, sqlx::Error> {
                Ok(MembershipRow {
                    workspace: workspace(r)?,
                    role: r.try_get("role")?,
                })
            }

            fn invite(r: &DbRow) -> Result<InviteRow, sqlx::Error> {
                Ok(InviteRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    email: r.try_get("email")?,
                    role: r.try_get("role")?,
                    token_hash: r.try_get("token_hash")?,
                    invited_by: r.try_get("invited_by")?,
                    expires_at: r.try_get("expires_at")?,
                    accepted_at: r.try_get("accepted_at")?,
                    created_at: r.try_get("created_at")?,
                })
            }

            fn api_key(r: &DbRow) -> Result<ApiKeyRow, sqlx::Error> {
                Ok(ApiKeyRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    prefix: r.try_get("prefix")?,
                    key_hash: r.try_get("key_hash")?,
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                })
            }

            fn strategy(r: &DbRow) -> Result<StrategyRow, sqlx::Error> {
                Ok(StrategyRow {
                    id: r.try_get("id")?,
                    workspace_id: r.try_get("workspace_id")?,
                    user_id: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    spec: r.try_get("spec")?,
                    created_at: r.try_get("created_at")?,
                    updated_at: r.try_get("updated_at")?,
                })
            }

            fn throttle(r: &DbRow) -> Result<ThrottleWindow, sqlx::Error> {
                let ms: i64 = r.try_get("window_start_ms")?;
                Ok(ThrottleWindow {
                    failures: r.try_get("failures")?,
                    window_start: DateTime::<Utc>::from_timestamp_millis(ms)
                        .unwrap_or_default(),
                })
            }

            fn all<T>(
                rows: Vec<DbRow>,
                f: fn(&DbRow) -> Result<T, sqlx::Error>,
            ) -> StoreResult<Vec<T>> {
                rows.iter().map(f).collect::<Result<_, _>>().map_err(map_err)
            }

            fn one<T>(
                row: Option<DbRow>,
                f: fn(&DbRow) -> Result<T, sqlx::Error>,
            ) -> StoreResult<Option<T>> {
                row.as_ref().map(f).transpose().map_err(map_err)
            }

            #[async_trait]
            impl Store for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }

                async fn ping(&self) -> StoreResult<()> {
                    sqlx::query("SELECT 1")
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn create_user_with_workspace(
                    &self,
                    u: &UserRow,
                    w: &WorkspaceRow,
                ) -> StoreResult<()> {
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    sqlx::query(
                        "INSERT INTO users (id, email, name, password_hash, session_epoch, \
                         active_workspace_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(u.id)
                    .bind(&u.email)
                    .bind(&u.name)
                    .bind(&u.password_hash)
                    .bind(u.session_epoch)
                    .bind(w.id)
                    .bind(u.created_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    insert_workspace(&mut tx, w, u.id).await?;
                    tx.commit().await.map_err(map_err)
                }

                async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>> {
                    let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1");
                    let row = sqlx::query(&sql)
                        .bind(email)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    one(row, user)
                }

                async fn user_by_id(&self, id: Uuid) -> StoreResult<Option<UserRow>> {
                    let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
                    let row = sqlx::query(&sql)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    one(row, user)
                }

                async fn update_user_name(&self, id: Uuid, name: &str) -> StoreResult<()> {
                    sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
                        .bind(name)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn update_password(&self, id: Uuid, hash: &str) -> StoreResult<i64> {
                    let row = sqlx::query(
                        "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1 \
                         WHERE id = $2 RETURNING session_epoch",
                    )
                    .bind(hash)
                    .bind(id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(map_err)?;
                    row.try_get("session_epoch").map_err(map_err)
                }

                async fn set_active_workspace(
                    &self,
                    user_id: Uuid,
                    workspace_id: Uuid,
                ) -> StoreResult<()> {
                    sqlx::query("UPDATE users SET active_workspace_id = $1 WHERE id = $2")
                        .bind(workspace_id)
                        .bind(user_id)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn delete_user(&self, id: Uuid) -> StoreResult<()> {
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    // The workspaces only this user belongs to go with them.
                    let sole = "SELECT m.workspace_id FROM memberships m WHERE m.user_id = $1 \
                         AND NOT EXISTS (SELECT 1 FROM memberships o \
                           WHERE o.workspace_id = m.workspace_id AND o.user_id <> $1)";
                    delete_journals(&mut tx, &format!("workspace_id IN ({sole})"), id).await?;
                    sqlx::query(&format!("DELETE FROM workspaces WHERE id IN ({sole})"))
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    // Journal rows carry no foreign keys (bulk imports): their owner is
                    // cleared here, in every workspace (a scan, but users are rarely deleted).
                    for table in ["executions", "trades"] {
                        sqlx::query(&format!("UPDATE {table} SET user_id = NULL WHERE user_id = $1"))
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(map_err)?;
                    }
                    sqlx::query("DELETE FROM users WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)
                }

                async fn create_workspace(&self, w: &WorkspaceRow, owner: Uuid) -> StoreResult<()> {
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    insert_workspace(&mut tx, w, owner).await?;
                    tx.commit().await.map_err(map_err)
                }

                async fn rename_workspace(&self, id: Uuid, name: &str) -> StoreResult<()> {
                    sqlx::query("UPDATE workspaces SET name = $1 WHERE id = $2")
                        .bind(name)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn delete_workspace(&self, id: Uuid) -> StoreResult<()> {
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    delete_journals(&mut tx, "workspace_id = $1", id).await?;
                    sqlx::query("DELETE FROM workspaces WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)
                }

                async fn memberships(&self, user_id: Uuid) -> StoreResult<Vec<MembershipRow>> {
                    let sql = format!(
                        "SELECT {WS_COLS}, m.role FROM memberships m \
                         JOIN workspaces w ON w.id = m.workspace_id \
                         WHERE m.user_id = $1 ORDER BY w.personal DESC, m.created_at, w.name"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(user_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, membership)
                }

                async fn membership(
                    &self,
                    workspace_id: Uuid,
                    user_id: Uuid,
                ) -> StoreResult<Option<MembershipRow>> {
                    let sql = format!(
                        "SELECT {WS_COLS}, m.role FROM memberships m \
                         JOIN workspaces w ON w.id = m.workspace_id \
                         WHERE m.workspace_id = $1 AND m.user_id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(workspace_id)
                        .bind(user_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    one(row, membership)
                }

                async fn members(&self, workspace_id: Uuid) -> StoreResult<Vec<MemberRow>> {
                    let rows = sqlx::query(
                        "SELECT u.id, u.email, u.name, m.role, m.created_at FROM memberships m \
                         JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 \
                         ORDER BY m.created_at, u.email",
                    )
                    .bind(workspace_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(map_err)?;
                    all(rows, |r| {
                        Ok(MemberRow {
                            user_id: r.try_get("id")?,
                            email: r.try_get("email")?,
                            name: r.try_get("name")?,
                            role: r.try_get("role")?,
                            joined_at: r.try_get("created_at")?,
                        })
                    })
                }

                async fn set_member_role(
                    &self,
                    workspace_id: Uuid,
                    user_id: Uuid,
                    role: &str,
                ) -> StoreResult<bool> {
                    sqlx::query(
                        "UPDATE memberships SET role = $1 WHERE workspace_id = $2 AND user_id = $3",
                    )
                    .bind(role)
                    .bind(workspace_id)
                    .bind(user_id)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(map_err)
                }

                async fn remove_member(&self, workspace_id: Uuid, user_id: Uuid) -> StoreResult<bool> {
                    sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
                        .bind(workspace_id)
                        .bind(user_id)
                        .execute(&self.pool)
                        .await
                        .map(|r| r.rows_affected() == 1)
                        .map_err(map_err)
                }

                async fn sole_owned_shared_workspaces(
                    &self,
                    user_id: Uuid,
                ) -> StoreResult<Vec<WorkspaceRow>> {
                    let sql = format!(
                        "SELECT {WS_COLS} FROM workspaces w JOIN memberships m \
                           ON m.workspace_id = w.id AND m.user_id = $1 AND m.role = 'owner' \
                         WHERE NOT EXISTS (SELECT 1 FROM memberships o WHERE o.workspace_id = w.id \
                           AND o.role = 'owner' AND o.user_id <> $1) \
                         AND EXISTS (SELECT 1 FROM memberships x WHERE x.workspace_id = w.id \
                           AND x.user_id <> $1) ORDER BY w.name"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(user_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, workspace)
                }

                async fn count_owners(&self, workspace_id: Uuid) -> StoreResult<i64> {
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS n FROM memberships WHERE workspace_id = $1 AND role = 'owner'",
                    )
                    .bind(workspace_id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(map_err)?;
                    row.try_get("n").map_err(map_err)
                }

                async fn create_invite(&self, i: &InviteRow) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO invites (id, workspace_id, email, role, token_hash, invited_by, \
                         expires_at, accepted_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(i.id)
                    .bind(i.workspace_id)
                    .bind(&i.email)
                    .bind(&i.role)
                    .bind(&i.token_hash)
                    .bind(i.invited_by)
                    .bind(i.expires_at)
                    .bind(i.accepted_at)
                    .bind(i.created_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
                }

                async fn invite_by_token_hash(&self, hash: &str) -> StoreResult<Option<InviteRow>> {
                    let sql = format!("SELECT {INVITE_COLS} FROM invites WHERE token_hash = $1");
                    let row = sqlx::query(&sql)
                        .bind(hash)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    one(row, invite)
                }

                async fn invites(&self, workspace_id: Uuid) -> StoreResult<Vec<InviteRow>> {
                    let sql = format!(
                        "SELECT {INVITE_COLS} FROM invites WHERE workspace_id = $1 ORDER BY created_at DESC"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(workspace_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, invite)
                }

                async fn delete_invite(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool> {
                    sqlx::query("DELETE FROM invites WHERE workspace_id = $1 AND id = $2")
                        .bind(workspace_id)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|r| r.rows_affected() == 1)
                        .map_err(map_err)
                }

                async fn accept_invite(
                    &self,
                    i: &InviteRow,
                    user_id: Uuid,
                    now: DateTime<Utc>,
                ) -> StoreResult<bool> {
                    let mut tx = self.pool.begin().await.map_err(map_err)?;
                    let taken = sqlx::query(
                        "UPDATE invites SET accepted_at = $1 WHERE id = $2 AND accepted_at IS NULL",
                    )
                    .bind(now)
                    .bind(i.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    if taken.rows_affected() != 1 {
                        return Ok(false);
                    }
                    sqlx::query(
                        "INSERT INTO memberships (workspace_id, user_id, role, created_at) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, user_id) DO NOTHING",
                    )
                    .bind(i.workspace_id)
                    .bind(user_id)
                    .bind(&i.role)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                    tx.commit().await.map_err(map_err)?;
                    Ok(true)
                }

                async fn create_api_key(&self, k: &ApiKeyRow) -> StoreResult<()> {
                    sqlx::query(
                        "INSERT INTO api_keys (id, workspace_id, user_id, name, prefix, key_hash, \
                         created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(k.id)
                    .bind(k.workspace_id)
                    .bind(k.user_id)
                    .bind(&k.name)
                    .bind(&k.prefix)
                    .bind(&k.key_hash)
                    .bind(k.created_at)
                    .bind(k.last_used_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
                }

                async fn api_keys(&self, workspace_id: Uuid, user_id: Uuid) -> StoreResult<Vec<ApiKeyRow>> {
                    let sql = format!(
                        "SELECT {KEY_COLS} FROM api_keys WHERE workspace_id = $1 AND user_id = $2 \
                         ORDER BY created_at DESC"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(workspace_id)
                        .bind(user_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, api_key)
                }

                async fn api_key_by_hash(&self, hash: &str) -> StoreResult<Option<ApiKeyRow>> {
                    let sql = format!("SELECT {KEY_COLS} FROM api_keys WHERE key_hash = $1");
                    let row = sqlx::query(&sql)
                        .bind(hash)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    one(row, api_key)
                }

                async fn delete_api_key(
                    &self,
                    workspace_id: Uuid,
                    user_id: Uuid,
                    id: Uuid,
                ) -> StoreResult<bool> {
                    sqlx::query(
                        "DELETE FROM api_keys WHERE workspace_id = $1 AND user_id = $2 AND id = $3",
                    )
                    .bind(workspace_id)
                    .bind(user_id)
                    .bind(id)
                    .execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
                    .map_err(map_err)
                }

                async fn touch_api_key(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
                    sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                        .bind(now)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }

                async fn upsert_strategy(&self, row: &StrategyRow) -> StoreResult<()> {
                    // The conflict target is the id alone; the WHERE keeps an update inside
                    // its workspace, so an id from another tenant changes nothing.
                    sqlx::query(
                        "INSERT INTO strategies (id, workspace_id, user_id, name, spec, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (id) DO UPDATE SET name = excluded.name, spec = excluded.spec, \
                           updated_at = excluded.updated_at \
                         WHERE strategies.workspace_id = excluded.workspace_id",
                    )
                    .bind(row.id)
                    .bind(row.workspace_id)
                    .bind(row.user_id)
                    .bind(&row.name)
                    .bind(&row.spec)
                    .bind(row.created_at)
                    .bind(row.updated_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(map_err)
                }

                async fn strategies(&self, workspace_id: Uuid) -> StoreResult<Vec<StrategyRow>> {
                    let sql = format!(
                        "SELECT {STRATEGY_COLS} FROM strategies WHERE workspace_id = $1 \
                         ORDER BY updated_at DESC"
                    );
                    let rows = sqlx::query(&sql)
                        .bind(workspace_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(map_err)?;
                    all(rows, strategy)
                }

                async fn strategy(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<Option<StrategyRow>> {
                    let sql = format!(
                        "SELECT {STRATEGY_COLS} FROM strategies WHERE workspace_id = $1 AND id = $2"
                    );
                    let row = sqlx::query(&sql)
                        .bind(workspace_id)
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(map_err)?;
                    one(row, strategy)
                }

                async fn delete_strategy(&self, workspace_id: Uuid, id: Uuid) -> StoreResult<bool> {
                    sqlx::query("DELETE FROM strategies WHERE workspace_id = $1 AND id = $2")
                        .bind(workspace_id)
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map(|r| r.rows_affected() == 1)
                        .map_err(map_err)
                }

                async fn record_failure(
                    &self,
                    key: &str,
                    now: DateTime<Utc>,
                    floor: DateTime<Utc>,
                ) -> StoreResult<ThrottleWindow> {
                    // One statement, so concurrent failures cannot lose a count.
                    let row = sqlx::query(
                        "INSERT INTO auth_throttle (key, window_start_ms, failures) VALUES ($1, $2, 1) \
                         ON CONFLICT (key) DO UPDATE SET \
                           failures = CASE WHEN auth_throttle.window_start_ms <= $3 THEN 1 \
                                      ELSE auth_throttle.failures + 1 END, \
                           window_start_ms = CASE WHEN auth_throttle.window_start_ms <= $3 THEN $2 \
                                      ELSE auth_throttle.window_start_ms END \
                         RETURNING window_start_ms, failures",
                    )
                    .bind(key)
                    .bind(now.timestamp_millis())
                    .bind(floor.timestamp_millis())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(map_err)?;
                    throttle(&row).map_err(map_err)
                }

                async fn throttle_window(&self, key: &str) -> StoreResult<Option<ThrottleWindow>> {
                    let row = sqlx::query(
                        "SELECT window_start_ms, failures FROM auth_throttle WHERE key = $1",
                    )
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
                    one(row, throttle)
                }

                async fn clear_failures(&self, key: &str) -> StoreResult<()> {
                    sqlx::query("DELETE FROM auth_throttle WHERE key = $1")
                        .bind(key)
                        .execute(&self.pool)
                        .await
                        .map(|_| ())
                        .map_err(map_err)
                }
            }

            /// Deletes the trades (their tags and attachment rows cascade) and executions
            /// of the workspaces `cond` selects (`$1` bound to `id`): journal rows carry no
            /// foreign key to their workspace, so nothing cascades to them.
            async fn delete_journals(
                tx: &mut sqlx::Transaction<'_, $db>,
                cond: &str,
                id: Uuid,
            ) -> StoreResult<()> {
                for table in ["trades", "executions"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE {cond}"))
                        .bind(id)
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                }
                Ok(())
            }

            async fn insert_workspace(
                tx: &mut sqlx::Transaction<'_, $db>,
                w: &WorkspaceRow,
                owner: Uuid,
            ) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO workspaces (id, name, plan, personal, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(w.id)
                .bind(&w.name)
                .bind(&w.plan)
                .bind(w.personal)
                .bind(w.created_at)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                sqlx::query(
                    "INSERT INTO memberships (workspace_id, user_id, role, created_at) \
                     VALUES ($1, $2, 'owner', $3)",
                )
                .bind(w.id)
                .bind(owner)
                .bind(w.created_at)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                Ok(())
            }
        };
    };
}

pub(crate) use sql_store;

/// Uniqueness and foreign-key refusals become `Conflict` (the services turn them into a
/// 409 with a message); anything else is a backend failure.
pub fn map_err(e: sqlx::Error) -> app::ssr::store::StoreError {
    use app::ssr::store::StoreError;
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Conflict("record".into());
        }
        if db.is_foreign_key_violation() {
            return StoreError::Conflict("reference".into());
        }
    }
    StoreError::Backend(e.to_string())
}

/// Maps every row with `f`, stopping at the first row that does not decode.
pub fn decode_all<R, T>(rows: Vec<R>, f: fn(&R) -> Result<T, sqlx::Error>) -> StoreResultOf<T> {
    rows.iter()
        .map(f)
        .collect::<Result<_, _>>()
        .map_err(map_err)
}

pub type StoreResultOf<T> = app::ssr::store::StoreResult<Vec<T>>;
