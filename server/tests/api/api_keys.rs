//! API keys: shown once, stored hashed, scoped to a workspace, revocable, last use kept.

use crate::common::TestServer;
use crate::on_both_backends;
use serde_json::json;

on_both_backends!(
    keys_authenticate_until_revoked,
    keys_are_bound_to_their_workspace
);

async fn keys_authenticate_until_revoked(s: &TestServer) {
    let u = s.user("Kay").await;
    let r = u
        .client
        .post("/api/v1/api-keys", json!({"name": "backtests"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let key = r.data()["key"].as_str().unwrap().to_string();
    let id = r.data()["id"].as_str().unwrap().to_string();
    assert!(key.starts_with("rfk_") && key.len() == 47, "{key}");

    let list = u.client.get("/api/v1/api-keys").await;
    let keys = list.data().as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert!(
        keys[0].get("key").is_none(),
        "the key itself is never listed"
    );
    assert_eq!(keys[0]["prefix"], key[..10]);
    assert!(keys[0]["last_used_at"].is_null());

    let k = s.key_client(&key);
    let me = k.get("/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.data()["user"]["name"], "Kay");
    let list = u.client.get("/api/v1/api-keys").await;
    assert!(
        list.data()[0]["last_used_at"].is_string(),
        "last use is recorded"
    );

    // keys cannot change the account
    k.post(
        "/api/v1/me/password",
        json!({"current_password": "x", "new_password": "yyyyyyyyyyyy"}),
    )
    .await
    .fails(403, "FORBIDDEN");

    u.client
        .post("/api/v1/api-keys", json!({"name": ""}))
        .await
        .fails(400, "VALIDATION_ERROR");
    s.key_client("rfk_not-a-real-key")
        .get("/api/v1/me")
        .await
        .fails(401, "UNAUTHORIZED");
    s.key_client("garbage")
        .get("/api/v1/me")
        .await
        .fails(401, "UNAUTHORIZED");

    let r = u.client.delete(&format!("/api/v1/api-keys/{id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    k.get("/api/v1/me").await.fails(401, "UNAUTHORIZED");
    u.client
        .delete(&format!("/api/v1/api-keys/{id}"))
        .await
        .fails(404, "NOT_FOUND");
}

async fn keys_are_bound_to_their_workspace(s: &TestServer) {
    let u = s.user("Lou").await;
    let r = u
        .client
        .post("/api/v1/workspaces", json!({"name": "Second"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let second = r.data()["id"].as_str().unwrap().to_string();

    // a key made while the personal workspace is active
    let key = u
        .client
        .post("/api/v1/api-keys", json!({"name": "k"}))
        .await
        .data()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let k = s.key_client(&key);
    let me = k.get("/api/v1/me").await;
    let ws = me.data()["workspaces"].as_array().unwrap();
    assert_eq!(ws.len(), 1, "a key sees only its workspace");
    assert_eq!(ws[0]["id"], u.workspace.to_string());
    k.get(&format!("/api/v1/workspaces/{second}/members"))
        .await
        .fails(404, "NOT_FOUND");
    k.post("/api/v1/workspaces", json!({"name": "Third"}))
        .await
        .fails(403, "FORBIDDEN");
    let own = k
        .get(&format!("/api/v1/workspaces/{}/members", u.workspace))
        .await;
    assert_eq!(own.status, 200, "{}", own.text);
}
