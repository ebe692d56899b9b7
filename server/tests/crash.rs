//! Killing the server (SIGKILL) in the middle of a large import leaves nothing partial: the
//! import's single transaction dies with the process, and the next start records the import
//! as failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::sqlite::SqlitePoolOptions;

const ROWS: usize = 300_000;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_refract"))
        .arg("serve")
        .current_dir(dir)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/refract.db", dir.display()),
        )
        .env("REFRACT_ADDR", format!("127.0.0.1:{port}"))
        .env("REFRACT_DATA_DIR", dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start refract")
}

async fn wait_healthy(http: &reqwest::Client, base: &str) {
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(60) {
        if let Ok(r) = http.get(format!("{base}/healthz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("refract did not become healthy");
}

fn big_file() -> String {
    let mut s = String::from("Date,Time,Symbol,Quantity,Price,Side,Commission,ExecId\n");
    for i in 0..ROWS {
        let side = if i % 2 == 0 { "Buy" } else { "Sell" };
        let sym = format!("S{}", (i / 2) % 500);
        s.push_str(&format!(
            "2024-03-04,{:02}:{:02}:{:02},{sym},100,{}.{:02},{side},1.00,X{i}\n",
            9 + (i / 3600) % 7,
            (i / 60) % 60,
            i % 60,
            10 + i % 90,
            i % 100
        ));
    }
    s
}

async fn count(pool: &sqlx::SqlitePool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_server_mid_import_leaves_nothing_partial() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start(dir.path(), port);
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    wait_healthy(&http, &base).await;
    let r = http
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&json!({"email": "kill@example.com", "password": "correct horse battery staple", "name": "K"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(big_file().into_bytes()).file_name("big.csv"),
    );
    let upload = {
        let http = http.clone();
        let url = format!("{base}/api/v1/imports");
        tokio::spawn(async move { http.post(url).multipart(form).send().await })
    };

    // Wait until the import is recorded as running (the file is parsed and the write has
    // begun), then kill the server without warning.
    let db = dir.path().join("refract.db");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}?mode=ro", db.display()))
        .await
        .unwrap();
    let t0 = Instant::now();
    loop {
        let running: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM imports WHERE status = 'running'")
                .fetch_one(&pool)
                .await
                .unwrap_or(0);
        if running > 0 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "the import never started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let answer = upload.await.unwrap();
    assert!(
        answer.is_err(),
        "the import finished before the kill; make ROWS larger: {:?}",
        answer.map(|r| r.status())
    );

    assert_eq!(count(&pool, "executions").await, 0, "no fill from the file");
    assert_eq!(count(&pool, "trades").await, 0, "no trade from the file");
    pool.close().await;

    // The next start says what happened.
    let mut child = start(dir.path(), port);
    wait_healthy(&http, &base).await;
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}?mode=ro", db.display()))
        .await
        .unwrap();
    let (status, message): (String, String) = sqlx::query_as("SELECT status, message FROM imports")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "failed");
    assert!(message.contains("nothing from it was saved"), "{message}");
    let trades = http
        .get(format!("{base}/api/v1/trades"))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(trades["data"]["pagination"]["total"], 0);
    child.kill().unwrap();
    child.wait().unwrap();
}
