//! Saved strategies: roles (own versus all), validation, and tenant isolation.

use crate::common::TestServer;
use crate::on_both_backends;
use serde_json::{json, Value};

on_both_backends!(saved_strategies_follow_roles_and_tenants);

fn spec() -> Value {
    json!({
        "market": {"spot": 100, "r": 0.03, "vol": 0.25},
        "legs": [
            {"type": "put", "quantity": -1, "strike": 95, "days": 30},
            {"type": "put", "quantity": 1, "strike": 90, "days": 30}
        ]
    })
}

async fn saved_strategies_follow_roles_and_tenants(s: &TestServer) {
    let owner = s.user("Sol").await;
    let member = s.join(&owner, "Mo", "member").await;
    let viewer = s.join(&owner, "Vi", "viewer").await;

    let r = member
        .client
        .post(
            "/api/v1/strategies",
            json!({"name": "Put spread", "spec": spec()}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.data()["id"].as_str().unwrap().to_string();
    assert_eq!(r.data()["spec"]["name"], "Put spread");
    assert_eq!(r.data()["spec"]["legs"][0]["strike"], 95.0);

    // everyone in the workspace reads it
    for u in [&owner, &member, &viewer] {
        let l = u.client.get("/api/v1/strategies").await;
        assert_eq!(l.data().as_array().unwrap().len(), 1, "{}", l.text);
    }
    // a viewer cannot save; a strategy that does not price is refused with the field
    viewer
        .client
        .post("/api/v1/strategies", json!({"name": "x", "spec": spec()}))
        .await
        .fails(403, "FORBIDDEN");
    let mut bad = spec();
    bad["legs"][1]["strike"] = json!(-90);
    let e = member
        .client
        .post("/api/v1/strategies", json!({"name": "bad", "spec": bad}))
        .await;
    e.fails(400, "VALIDATION_ERROR");
    assert_eq!(e.body["error"]["details"]["field"], "legs[1].strike");
    member
        .client
        .post("/api/v1/strategies", json!({"name": "", "spec": spec()}))
        .await
        .fails(400, "VALIDATION_ERROR");

    // the owner's own strategy: a member may not change or delete it; the owner may change the member's
    let o = owner
        .client
        .post(
            "/api/v1/strategies",
            json!({"name": "Owner's", "spec": spec()}),
        )
        .await;
    let oid = o.data()["id"].as_str().unwrap().to_string();
    member
        .client
        .put(
            &format!("/api/v1/strategies/{oid}"),
            json!({"name": "mine now", "spec": spec()}),
        )
        .await
        .fails(403, "FORBIDDEN");
    member
        .client
        .delete(&format!("/api/v1/strategies/{oid}"))
        .await
        .fails(403, "FORBIDDEN");
    let r = owner
        .client
        .put(
            &format!("/api/v1/strategies/{id}"),
            json!({"name": "Renamed", "spec": spec()}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()["name"], "Renamed");
    assert_eq!(
        r.data()["author_id"],
        member.id.to_string(),
        "the author stays the author"
    );

    // another tenant sees none of it, by id or in lists, and cannot overwrite by id
    let stranger = s.user("Stan").await;
    assert_eq!(
        stranger
            .client
            .get("/api/v1/strategies")
            .await
            .data()
            .as_array()
            .unwrap()
            .len(),
        0
    );
    stranger
        .client
        .get(&format!("/api/v1/strategies/{id}"))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .put(
            &format!("/api/v1/strategies/{id}"),
            json!({"name": "pwned", "spec": spec()}),
        )
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .delete(&format!("/api/v1/strategies/{id}"))
        .await
        .fails(404, "NOT_FOUND");
    let still = owner.client.get(&format!("/api/v1/strategies/{id}")).await;
    assert_eq!(still.data()["name"], "Renamed");

    // the member deletes their own
    let r = member
        .client
        .delete(&format!("/api/v1/strategies/{id}"))
        .await;
    assert_eq!(r.status, 200);
    owner
        .client
        .get(&format!("/api/v1/strategies/{id}"))
        .await
        .fails(404, "NOT_FOUND");
}
