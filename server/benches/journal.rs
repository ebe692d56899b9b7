//! Journal throughput on both backends, through the real HTTP API on loopback:
//! importing 100,000 executions (target ≤ 3 s) and the summary and equity curve over
//! 100,000 closed trades (target ≤ 100 ms each).
//!
//! `cargo bench -p server --bench journal` (release build; PostgreSQL from the system's
//! binaries through pgtemp). Prints one Markdown row per figure for BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Client, PgCluster, TestServer};
use std::time::{Duration, Instant};

// The server binary's allocator (`src/main.rs`), so the in-process server runs as it does.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `n` executions in the generic format: buy/sell pairs, so n/2 closed round trips, spread
/// over 250 trading days and 200 symbols.
fn generic(n: usize, offset: usize) -> String {
    let mut s = String::with_capacity(n * 64);
    s.push_str("Date,Time,Symbol,Quantity,Price,Side,Commission,ExecId\n");
    for i in 0..n {
        let pair = (i + offset) / 2;
        let day = 1 + pair % 250;
        let date =
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(day as u64);
        let secs = 9 * 3600 + 30 * 60 + ((pair / 250) % 20_000) as u32;
        let side = if i % 2 == 0 { "Buy" } else { "Sell" };
        let cents = 1000 + (pair * 7919 + i % 2 * 37) % 9000;
        s.push_str(&format!(
            "{date},{:02}:{:02}:{:02},S{},100,{}.{:02},{side},1.00,E{}\n",
            secs / 3600,
            (secs / 60) % 60,
            secs % 60,
            pair % 200,
            cents / 100,
            cents % 100,
            i + offset
        ));
    }
    s
}

async fn upload(c: &Client, csv: String) -> (u16, serde_json::Value) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("bench.csv"),
    );
    let r = c
        .http
        .post(format!("{}/api/v1/imports", c.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let mut status = r.status().as_u16();
    let mut body: serde_json::Value = r.json().await.unwrap();
    // A long import answers 202 with its job: follow it to the end (201 when done).
    while status == 202 && body["data"]["status"] == "running" {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let id = body["data"]["id"].as_str().unwrap().to_string();
        let r = c.get(&format!("/api/v1/imports/{id}")).await;
        body = r.body.clone();
        if body["data"]["status"] == "done" {
            status = 201;
        }
    }
    (status, body)
}

/// Rows per import: 100,000 unless `BENCH_ROWS` says otherwise (for a quick look).
fn rows() -> usize {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn run(s: &TestServer, backend: &str) {
    let u = s.user(&format!("bench{backend}")).await;
    // Import 100,000 executions into an empty workspace, three times in fresh workspaces.
    let mut imports = Vec::new();
    for round in 0..3 {
        let ws = u
            .client
            .post(
                "/api/v1/workspaces",
                serde_json::json!({"name": format!("b{round}")}),
            )
            .await;
        let id = ws.data()["id"].as_str().unwrap().to_string();
        u.client
            .put(
                "/api/v1/me/active-workspace",
                serde_json::json!({"workspace_id": id}),
            )
            .await;
        let csv = generic(rows(), 0);
        let t0 = Instant::now();
        let (status, body) = upload(&u.client, csv).await;
        imports.push(t0.elapsed());
        assert_eq!(status, 201, "{}", body["data"]["status"]);
        assert_eq!(body["data"]["executions"], rows());
    }
    println!(
        "| {backend} | import 100,000 executions (HTTP upload, parse, match, write) | {:.2} s | ≤ 3 s |",
        median(imports).as_secs_f64()
    );
    // Grow the last workspace to 100,000 closed trades (200,000 fills in all).
    let (status, body) = upload(&u.client, generic(200_000 - rows(), rows())).await;
    assert_eq!(status, 201, "{body}");
    let n = u.client.get("/api/v1/analytics/summary").await;
    assert_eq!(n.data()["total_trades"], 100_000, "{}", n.text);
    for (what, path) in [
        ("summary over 100,000 trades", "/api/v1/analytics/summary"),
        (
            "equity curve (day) over 100,000 trades",
            "/api/v1/analytics/equity-curve?period=day",
        ),
    ] {
        // Cold: the first request after a journal change (a note edited) reads the trades
        // from the database; the requests after it find them cached.
        let some = u.client.get("/api/v1/trades?limit=1").await;
        let id = some.data()["trades"][0]["id"].as_str().unwrap().to_string();
        let mut cold = Vec::new();
        for i in 0..3 {
            let r = u
                .client
                .patch(
                    &format!("/api/v1/trades/{id}"),
                    serde_json::json!({"notes": format!("bench {i}")}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            let t0 = Instant::now();
            let r = u.client.get(path).await;
            cold.push(t0.elapsed());
            assert_eq!(r.status, 200);
        }
        println!(
            "| {backend} | {what}, first after a change (HTTP round trip) | {:.0} ms | ≤ 100 ms |",
            median(cold).as_secs_f64() * 1000.0
        );
        let mut times = Vec::new();
        for _ in 0..7 {
            let t0 = Instant::now();
            let r = u.client.get(path).await;
            times.push(t0.elapsed());
            assert_eq!(r.status, 200);
        }
        println!(
            "| {backend} | {what}, cached (HTTP round trip) | {:.0} ms | ≤ 100 ms |",
            median(times).as_secs_f64() * 1000.0
        );
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    tracing_subscriber::fmt()
        .with_env_filter(
            std::env::var("RUST_LOG").unwrap_or_else(|_| "app=info,server=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    rt.block_on(async {
        println!("| backend | what | median | target |\n| --- | --- | --- | --- |");
        // `BENCH_BACKEND=sqlite` or `postgres` runs one backend only (for profiling).
        let only = std::env::var("BENCH_BACKEND").unwrap_or_default();
        if only != "postgres" {
            let s = TestServer::sqlite().await;
            run(&s, "SQLite").await;
            s.stop().await;
        }
        if only != "sqlite" {
            // `BENCH_PG_URL` (an empty database) runs against a server of one's own, e.g.
            // one logging its statements' durations; otherwise an ephemeral one.
            if let Ok(url) = std::env::var("BENCH_PG_URL") {
                let s = TestServer::start(common::test_config(url), "postgres").await;
                run(&s, "PostgreSQL").await;
                s.stop().await;
                return;
            }
            let pg = PgCluster::start().await;
            let s = TestServer::postgres(&pg, "bench").await;
            run(&s, "PostgreSQL").await;
            s.stop().await;
        }
    });
}
