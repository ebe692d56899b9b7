//! /api/v1/pricing: reference values through HTTP, and precise validation errors.

use crate::common::TestServer;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pricing_api_matches_references_and_validates() {
    let s = TestServer::sqlite().await;
    let u = s.user("Quant").await;
    let c = &u.client;

    // Haug (2007) p. 3: S = 60, K = 65, T = 0.25, r = 8%, σ = 30% → call 2.1334.
    let r = c
        .post(
            "/api/v1/pricing/price",
            json!({"kind": "call", "spot": 60, "strike": 65, "r": 0.08, "t": 0.25, "vol": 0.3}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = r.data();
    assert!((d["price"].as_f64().unwrap() - 2.1334).abs() < 5e-5, "{d}");
    assert_eq!(d["engine"], "analytic");
    let delta = d["greeks"]["delta"].as_f64().unwrap();
    assert!((delta - 0.3725).abs() < 1e-3, "{delta}");
    let theta = d["greeks"]["theta"].as_f64().unwrap();
    assert!((d["theta_per_day"].as_f64().unwrap() - theta / 365.0).abs() < 1e-12);

    // American put, default engine: worth at least the European one.
    let am = c
        .post("/api/v1/pricing/price", json!({"kind": "put", "style": "american", "spot": 100, "strike": 110, "r": 0.05, "t": 1, "vol": 0.2}))
        .await;
    let eu = c
        .post(
            "/api/v1/pricing/price",
            json!({"kind": "put", "spot": 100, "strike": 110, "r": 0.05, "t": 1, "vol": 0.2}),
        )
        .await;
    assert_eq!(am.data()["engine"], "best");
    assert!(am.data()["price"].as_f64().unwrap() > eu.data()["price"].as_f64().unwrap());

    // implied vol recovers the vol that made the price
    let p = d["price"].as_f64().unwrap();
    let iv = c
        .post(
            "/api/v1/pricing/implied-vol",
            json!({"kind": "call", "spot": 60, "strike": 65, "r": 0.08, "t": 0.25, "price": p}),
        )
        .await;
    assert!(
        (iv.data()["iv"].as_f64().unwrap() - 0.3).abs() < 1e-12,
        "{}",
        iv.text
    );

    // errors name the problem
    let e = c
        .post(
            "/api/v1/pricing/implied-vol",
            json!({"kind": "call", "spot": 60, "strike": 65, "t": 0.25, "price": 70}),
        )
        .await;
    e.fails(400, "VALIDATION_ERROR");
    assert!(e.message().contains("upper bound"), "{}", e.text);
    let e = c
        .post(
            "/api/v1/pricing/price",
            json!({"kind": "straddle", "spot": 60, "strike": 65, "t": 0.25, "vol": 0.3}),
        )
        .await;
    e.fails(400, "VALIDATION_ERROR");
    assert_eq!(e.body["error"]["details"]["field"], "kind");
    let e = c
        .post("/api/v1/pricing/price", json!({"kind": "call", "style": "american", "engine": "analytic", "spot": 60, "strike": 65, "t": 0.25, "vol": 0.3}))
        .await;
    e.fails(400, "VALIDATION_ERROR");
    assert!(e.message().contains("cannot price"), "{}", e.text);
    let e = c
        .post(
            "/api/v1/pricing/price",
            json!({"kind": "call", "spot": 60, "strike": -1, "t": 0.25, "vol": 0.3}),
        )
        .await;
    e.fails(400, "VALIDATION_ERROR");
    assert!(e.message().contains("strike"), "{}", e.text);

    // strategy: a bull call spread with traded prices
    let st = c
        .post(
            "/api/v1/pricing/strategy",
            json!({
                "market": {"spot": 100, "vol": 0.2},
                "legs": [
                    {"type": "call", "quantity": 1, "strike": 100, "days": 30, "entry_price": 3},
                    {"type": "call", "quantity": -1, "strike": 110, "days": 30, "entry_price": 1}
                ],
                "eval_days": 10,
                "grid_prices": 40,
                "grid_dates": 10
            }),
        )
        .await;
    assert_eq!(st.status, 200, "{}", st.text);
    let d = st.data();
    assert!((d["net_debit"].as_f64().unwrap() - 200.0).abs() < 1e-9);
    assert!((d["breakevens"][0].as_f64().unwrap() - 102.0).abs() < 1e-8);
    assert!((d["max_profit"]["value"].as_f64().unwrap() - 800.0).abs() < 1e-8);
    assert_eq!(d["grid"]["values"].as_array().unwrap().len(), 400);
    let e = c
        .post("/api/v1/pricing/strategy", json!({"market": {"spot": 100, "vol": 0.2}, "legs": [{"type": "call", "quantity": 1, "days": 30}]}))
        .await;
    e.fails(400, "VALIDATION_ERROR");
    assert_eq!(e.body["error"]["details"]["field"], "legs[0].strike");
    let e = c
        .post("/api/v1/pricing/strategy", json!({"market": {"spot": 100, "vol": 0.2}, "legs": [{"type": "stock", "quantity": 100}], "grid_dates": 100000}))
        .await;
    e.fails(400, "VALIDATION_ERROR");

    // signed out: refused
    s.client()
        .post(
            "/api/v1/pricing/price",
            json!({"kind": "call", "spot": 60, "strike": 65, "t": 0.25, "vol": 0.3}),
        )
        .await
        .fails(401, "UNAUTHORIZED");
}
