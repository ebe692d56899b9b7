//! Login throttling per account and per client address, with Retry-After.

use crate::common::{TestServer, PASSWORD};
use crate::on_both_backends;
use serde_json::json;

on_both_backends!(
    account_is_throttled_after_five_failures,
    address_is_throttled_after_twenty_failures
);

async fn account_is_throttled_after_five_failures(s: &TestServer) {
    let u = s.user("Max").await;
    let c = s.client();
    for i in 0..5 {
        let r = c
            .post(
                "/api/v1/auth/login",
                json!({"email": u.email, "password": "wrong password"}),
            )
            .await;
        assert_eq!(r.status, 401, "attempt {i}: {}", r.text);
    }
    let r = c
        .post(
            "/api/v1/auth/login",
            json!({"email": u.email, "password": "wrong password"}),
        )
        .await;
    r.fails(429, "RATE_LIMITED");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    assert_eq!(r.body["error"]["details"]["retry_after"], retry);
    // even the right password waits: the lock does not reveal whether a guess was right
    c.post(
        "/api/v1/auth/login",
        json!({"email": u.email, "password": PASSWORD}),
    )
    .await
    .fails(429, "RATE_LIMITED");
    // another account from the same address still signs in
    let other = s.user("Ned").await;
    let r = s
        .client()
        .post(
            "/api/v1/auth/login",
            json!({"email": other.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn address_is_throttled_after_twenty_failures(s: &TestServer) {
    let u = s.user("Oli").await;
    let c = s.client();
    for i in 0..20 {
        // different unknown accounts each time, and a spoofed X-Forwarded-For that an
        // untrusted proxy setting ignores
        let r = c
            .raw(
                c.http
                    .post(s.url("/api/v1/auth/login"))
                    .header("x-forwarded-for", format!("10.0.0.{i}"))
                    .json(&json!({"email": format!("ghost{i}@example.com"), "password": "wrong password"})),
            )
            .await;
        assert_eq!(r.status, 401, "attempt {i}: {}", r.text);
    }
    c.post(
        "/api/v1/auth/login",
        json!({"email": u.email, "password": PASSWORD}),
    )
    .await
    .fails(429, "RATE_LIMITED");
}
