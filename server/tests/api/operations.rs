//! Health, readiness, metrics, OpenAPI coverage, security headers, request ids, pages.

use crate::common::TestServer;
use crate::on_both_backends;
use serde_json::json;
use std::collections::BTreeSet;

on_both_backends!(
    health_and_readiness,
    openapi_covers_every_route,
    pages_render_with_a_nonce
);

async fn health_and_readiness(s: &TestServer) {
    let c = s.client();
    let r = c.get("/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "ok");
    let r = c.get("/readyz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["database"], s.backend);

    c.get("/api/v1/me").await.fails(401, "UNAUTHORIZED");
    let m = c.get("/metrics").await;
    assert_eq!(m.status, 200);
    assert!(m.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert!(
        m.text
            .contains(r#"http_requests_total{method="GET",route="/api/v1/me",status="401"}"#),
        "{}",
        m.text
    );
    assert!(
        m.text.contains("http_request_duration_seconds_bucket"),
        "{}",
        m.text
    );

    // headers on API answers too
    let h = &c.get("/api/v1/me").await.headers;
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS on plain HTTP"
    );
    let id = h["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID request id: {id}");
}

/// The routes the issue names, plus the rest we serve; each must be in the document, and
/// every documented operation must exist on the router.
async fn openapi_covers_every_route(s: &TestServer) {
    let c = s.client();
    let doc = c.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    let mut documented = BTreeSet::new();
    for (path, ops) in doc.body["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.insert(format!("{} {}", method.to_uppercase(), path));
        }
    }
    let required = [
        "POST /api/v1/auth/signup",
        "POST /api/v1/auth/login",
        "POST /api/v1/auth/logout",
        "GET /api/v1/me",
        "POST /api/v1/api-keys",
        "GET /api/v1/api-keys",
        "DELETE /api/v1/api-keys/{id}",
        "GET /api/v1/workspaces",
        "POST /api/v1/workspaces",
        "POST /api/v1/workspaces/{id}/invites",
        "POST /api/v1/invites/{token}/accept",
        "GET /api/v1/workspaces/{id}/members",
        "PATCH /api/v1/workspaces/{id}/members/{user_id}",
        "DELETE /api/v1/workspaces/{id}/members/{user_id}",
        "POST /api/v1/pricing/price",
        "POST /api/v1/pricing/implied-vol",
        "POST /api/v1/pricing/strategy",
    ];
    for r in required {
        assert!(
            documented.contains(r),
            "{r} missing from OpenAPI: {documented:?}"
        );
    }
    let nil = uuid::Uuid::nil();
    for op in &documented {
        let (method, path) = op.split_once(' ').unwrap();
        let url = path
            .replace("{id}", &nil.to_string())
            .replace("{user_id}", &nil.to_string())
            .replace("{invite_id}", &nil.to_string())
            .replace("{token}", "t");
        let req = c
            .http
            .request(method.parse().unwrap(), s.url(&url))
            .json(&json!({}));
        let r = c.raw(req).await;
        let no_route =
            r.status == 405 || (r.status == 404 && r.message().starts_with("No such API route"));
        assert!(!no_route, "{op} is documented but not routed: {}", r.text);
    }
}

async fn pages_render_with_a_nonce(s: &TestServer) {
    let c = s.client();
    let res = c.http.get(s.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Refract</title>"), "{html}");
    assert!(html.contains("One workstation for options"), "{html}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the CSP nonce"
    );
    // every inline script carries it
    for chunk in html.split("<script").skip(1) {
        let tag = chunk.split('>').next().unwrap();
        if !tag.contains("src=") {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "inline script without nonce: <script{tag}>"
            );
        }
    }
    // a second request gets a different nonce
    let again = c.http.get(s.url("/")).send().await.unwrap();
    let csp2 = again.headers()["content-security-policy"].to_str().unwrap();
    assert_ne!(csp, csp2);

    let signin = c
        .http
        .get(s.url("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        signin.contains("autocomplete=\"current-password\""),
        "{signin}"
    );
    let settings = c
        .http
        .get(s.url("/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(settings.contains("Sign in to continue"), "{settings}");
    let missing = c.http.get(s.url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    // signed in, the page greets the user by name
    let u = s.user("Uma").await;
    let home = u
        .client
        .http
        .get(s.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Welcome back, Uma"), "{home}");
}
