//! Test harness: the real server on a loopback port over a fresh database — a temp SQLite
//! file, or a fresh database in an ephemeral PostgreSQL cluster the tests start themselves
//! (pgtemp on the system's binaries). A PostgreSQL that cannot start fails the suite.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::config::Config;
use std::net::SocketAddr;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestServer {
    pub addr: SocketAddr,
    pub backend: &'static str,
    database_url: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
    _data: tempfile::TempDir,
}

/// One PostgreSQL cluster per test binary run; each scenario gets its own database.
pub struct PgCluster {
    db: pgtemp::PgTempDB,
}

impl PgCluster {
    pub async fn start() -> Self {
        let db = pgtemp::PgTempDB::async_new().await;
        PgCluster { db }
    }

    /// A new empty database in the cluster.
    pub async fn fresh_database(&self, name: &str) -> String {
        use sqlx::Connection;
        let admin = self.db.connection_uri();
        // pgtemp returns once the server process runs, which can be before it accepts
        // connections ("the database system is starting up", 57P03) on a loaded machine.
        let mut tries = 0;
        let mut conn = loop {
            match sqlx::PgConnection::connect(&admin).await {
                Ok(c) => break c,
                Err(e) if tries < 100 => {
                    tries += 1;
                    if tries == 1 {
                        eprintln!("PostgreSQL not ready yet ({e}); retrying");
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                Err(e) => panic!("connect to the ephemeral PostgreSQL: {e}"),
            }
        };
        let db = format!(
            "t_{}",
            name.to_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {db}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let base = admin.rsplit_once('/').unwrap().0.to_string();
        format!("{base}/{db}")
    }
}

pub fn test_config(database_url: String) -> Config {
    Config {
        site_addr: "127.0.0.1:0".parse().unwrap(),
        database_url,
        ..Config::default()
    }
}

impl TestServer {
    pub async fn sqlite() -> Self {
        Self::sqlite_with(|_| {}).await
    }

    pub async fn sqlite_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/refract.db", dir.path().display());
        let mut cfg = test_config(url);
        tweak(&mut cfg);
        let mut s = Self::start(cfg, "sqlite").await;
        s._dir = Some(dir);
        s
    }

    pub async fn postgres(pg: &PgCluster, name: &str) -> Self {
        Self::postgres_with(pg, name, |_| {}).await
    }

    pub async fn postgres_with(
        pg: &PgCluster,
        name: &str,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        let url = pg.fresh_database(name).await;
        let mut cfg = test_config(url);
        tweak(&mut cfg);
        Self::start(cfg, "postgres").await
    }

    pub async fn start(mut cfg: Config, backend: &'static str) -> Self {
        // Files (chart images) go to a directory of this server's own.
        let data = tempfile::tempdir().unwrap();
        cfg.data_dir = data.path().to_path_buf();
        let listener = server::bind(cfg.site_addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        cfg.site_addr = addr;
        let database_url = cfg.database_url.clone();
        let prepared = server::prepare(&cfg).await.expect("server prepares");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            server::serve(listener, prepared, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestServer {
            addr,
            backend,
            database_url,
            stop: Some(tx),
            task: Some(task),
            _dir: None,
            _data: data,
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    /// How many rows of `table` belong to workspace `ws`, read from the database itself
    /// (for what the API can no longer show, such as a deleted workspace's journal).
    pub async fn rows_in(&self, table: &str, ws: uuid::Uuid) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE workspace_id = $1");
        if self.backend == "sqlite" {
            let pool = sqlx::SqlitePool::connect(&self.database_url).await.unwrap();
            sqlx::query_scalar(&sql)
                .bind(ws)
                .fetch_one(&pool)
                .await
                .unwrap()
        } else {
            let pool = sqlx::PgPool::connect(&self.database_url).await.unwrap();
            sqlx::query_scalar(&sql)
                .bind(ws)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    }

    /// The server's data directory (files are under `files/`).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client with its own cookie jar: one "browser".
    pub fn client(&self) -> Client {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Client {
            base: format!("http://{}", self.addr),
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            api_key: None,
            jar: Some(jar),
        }
    }

    /// A client that authenticates with an API key and keeps no cookies.
    pub fn key_client(&self, key: &str) -> Client {
        Client {
            base: format!("http://{}", self.addr),
            http: reqwest::Client::builder().build().unwrap(),
            api_key: Some(key.to_string()),
            jar: None,
        }
    }

    /// Signs up a new user and returns their client, id and personal workspace id.
    pub async fn user(&self, name: &str) -> User {
        let c = self.client();
        let email = format!("{}@example.com", name.to_lowercase());
        let r = c
            .post(
                "/api/v1/auth/signup",
                json!({"email": email, "password": PASSWORD, "name": name}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "signup {name}: {}", r.body);
        User {
            id: r.data()["user"]["id"].as_str().unwrap().parse().unwrap(),
            workspace: r.data()["workspace"]["id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
            email,
            client: c,
        }
    }
}

impl TestServer {
    /// Signs up `name` and makes them a member of `owner`'s personal workspace with `role`
    /// (invite, then accept).
    pub async fn join(&self, owner: &User, name: &str, role: &str) -> User {
        let u = self.user(name).await;
        let inv = owner
            .client
            .post(
                &format!("/api/v1/workspaces/{}/invites", owner.workspace),
                json!({"email": u.email, "role": role}),
            )
            .await;
        let token = inv.data()["token"].as_str().unwrap();
        let r = u
            .client
            .post(&format!("/api/v1/invites/{token}/accept"), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        u
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

pub struct User {
    pub id: uuid::Uuid,
    pub workspace: uuid::Uuid,
    pub email: String,
    pub client: Client,
}

#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub api_key: Option<String>,
    jar: Option<std::sync::Arc<reqwest::cookie::Jar>>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn data(&self) -> &Value {
        assert_eq!(
            self.body["success"],
            json!(true),
            "expected success: {}",
            self.text
        );
        &self.body["data"]
    }

    pub fn code(&self) -> &str {
        assert_eq!(
            self.body["success"],
            json!(false),
            "expected failure: {}",
            self.text
        );
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }

    /// Asserts status and error code together, with the body in the message.
    pub fn fails(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert_eq!(self.code(), code, "{}", self.text);
    }
}

impl Client {
    /// The value of the session cookie this client would send.
    pub fn session_id(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url: reqwest::Url = self.base.parse().ok()?;
        let header = self.jar.as_ref()?.cookies(&url)?;
        header.to_str().ok()?.split(';').find_map(|kv| {
            kv.trim()
                .strip_prefix("refract_session=")
                .map(str::to_string)
        })
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let req = match &self.api_key {
            Some(k) => req.header("X-API-Key", k),
            None => req,
        };
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(self.http.delete(format!("{}{path}", self.base)))
            .await
    }

    pub async fn delete_json(&self, path: &str, body: Value) -> Resp {
        self.send(self.http.delete(format!("{}{path}", self.base)).json(&body))
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(self.http.post(format!("{}{path}", self.base)).json(&body))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(&body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(self.http.put(format!("{}{path}", self.base)).json(&body))
            .await
    }

    pub async fn raw(&self, req: reqwest::RequestBuilder) -> Resp {
        self.send(req).await
    }
}

/// Runs each scenario on a fresh SQLite database (one test each) and all of them, one after
/// another, on fresh databases in one ephemeral PostgreSQL cluster.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let s = $crate::common::TestServer::sqlite().await;
                    super::$name(&s).await;
                    s.stop().await;
                }
            )*
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn postgres_suite() {
            let pg = $crate::common::PgCluster::start().await;
            $(
                eprintln!("postgres: {}", stringify!($name));
                let s = $crate::common::TestServer::postgres(&pg, stringify!($name)).await;
                $name(&s).await;
                s.stop().await;
            )*
        }
    };
}
