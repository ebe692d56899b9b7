//! The Polygon.io client against a local fake speaking Polygon's documented aggregates
//! JSON (v2 `/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}`).

use crate::common::TestServer;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Seen = Arc<Mutex<Vec<String>>>;

async fn fake_polygon(seen: Seen) -> String {
    let app = axum::Router::new().route(
        "/v2/aggs/ticker/{ticker}/range/{mult}/{span}/{from}/{to}",
        get(
            move |Path((ticker, mult, span, from, to)): Path<(String, String, String, String, String)>,
                  Query(q): Query<HashMap<String, String>>| {
                let seen = seen.clone();
                async move {
                    seen.lock().unwrap().push(format!(
                        "{ticker} {mult} {span} {from} {to} adjusted={} sort={} limit={}",
                        q["adjusted"], q["sort"], q["limit"]
                    ));
                    if q.get("apiKey").map(String::as_str) != Some("test-key") {
                        return (
                            StatusCode::UNAUTHORIZED,
                            json!({"status": "NOT_AUTHORIZED", "request_id": "r1",
                                   "message": "Unknown API Key"})
                            .to_string(),
                        );
                    }
                    match ticker.as_str() {
                        "LIMIT" => (
                            StatusCode::TOO_MANY_REQUESTS,
                            json!({"status": "ERROR", "request_id": "r2",
                                   "error": "You've exceeded the maximum requests per minute."})
                            .to_string(),
                        ),
                        "EMPTY" => (
                            StatusCode::OK,
                            json!({"ticker": "EMPTY", "queryCount": 0, "resultsCount": 0,
                                   "adjusted": true, "status": "OK", "request_id": "r3"})
                            .to_string(),
                        ),
                        _ => (
                            StatusCode::OK,
                            // Daily bars are stamped at midnight New York (05:00 UTC in winter).
                            json!({"ticker": ticker, "queryCount": 3, "resultsCount": 3,
                                   "adjusted": true, "status": "OK", "request_id": "r4",
                                   "results": [
                                {"v": 1.0e6, "vw": 10.2, "o": 10.0, "c": 10.5, "h": 11.0, "l": 9.5, "t": 1_704_690_000_000_i64, "n": 100},
                                {"v": 2.0e6, "vw": 11.0, "o": 10.5, "c": 11.5, "h": 12.0, "l": 10.0, "t": 1_704_776_400_000_i64, "n": 120},
                                {"v": 1.5e6, "vw": 11.1, "o": 11.5, "c": 11.0, "h": 11.8, "l": 10.8, "t": 1_704_862_800_000_i64, "n": 90}
                            ]})
                            .to_string(),
                        ),
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polygon_bars_through_the_real_client() {
    let seen: Seen = Arc::default();
    let base = fake_polygon(seen.clone()).await;
    let b2 = base.clone();
    let s = TestServer::sqlite_with(move |c| {
        c.polygon_api_key = Some("test-key".into());
        c.polygon_base_url = b2;
    })
    .await;
    let u = s.user("Vic").await;
    let r = u
        .client
        .post(
            "/api/v1/market/bars/fetch",
            json!({"symbol": "acme", "interval": "1D", "from": "2024-01-08", "to": "2024-01-10"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.data()["bars"], 3);
    assert_eq!(
        seen.lock().unwrap()[0],
        "ACME 1 day 2024-01-08 2024-01-10 adjusted=true sort=asc limit=50000"
    );
    let b = u.client.get("/api/v1/market/bars?symbol=ACME").await;
    assert_eq!(b.data()["source"], "polygon");
    let bars = b.data()["bars"].as_array().unwrap();
    // Relabelled to 00:00 UTC of the trading day, like every daily bar here.
    assert_eq!(bars[0]["t"], 1_704_672_000_000_i64);
    assert_eq!(
        (bars[1]["h"].as_f64(), bars[1]["v"].as_f64()),
        (Some(12.0), Some(2.0e6))
    );

    let limited = u
        .client
        .post(
            "/api/v1/market/bars/fetch",
            json!({"symbol": "LIMIT", "from": "2024-01-08", "to": "2024-01-10"}),
        )
        .await;
    limited.fails(429, "RATE_LIMITED");
    let empty = u
        .client
        .post(
            "/api/v1/market/bars/fetch",
            json!({"symbol": "EMPTY", "from": "2024-01-08", "to": "2024-01-10"}),
        )
        .await;
    empty.fails(404, "NOT_FOUND");
    u.client
        .post(
            "/api/v1/market/bars/fetch",
            json!({"symbol": "ACME", "from": "2024-01-10", "to": "2024-01-08"}),
        )
        .await
        .fails(400, "VALIDATION_ERROR");
    s.stop().await;

    // A wrong key is the vendor's refusal, said as such.
    let b3 = base.clone();
    let s = TestServer::sqlite_with(move |c| {
        c.polygon_api_key = Some("wrong".into());
        c.polygon_base_url = b3;
    })
    .await;
    let u = s.user("Wes").await;
    let r = u
        .client
        .post(
            "/api/v1/market/bars/fetch",
            json!({"symbol": "ACME", "from": "2024-01-08", "to": "2024-01-10"}),
        )
        .await;
    assert_eq!(r.status, 500, "{}", r.text);
    assert!(
        r.message().contains("refused the API key"),
        "{}",
        r.message()
    );
    s.stop().await;

    // No key: the route says what to configure.
    let s = TestServer::sqlite().await;
    let u = s.user("Xia").await;
    let r = u
        .client
        .post(
            "/api/v1/market/bars/fetch",
            json!({"symbol": "ACME", "from": "2024-01-08", "to": "2024-01-10"}),
        )
        .await;
    r.fails(400, "VALIDATION_ERROR");
    assert!(r.message().contains("REFRACT_POLYGON_API_KEY"));
    s.stop().await;
}
