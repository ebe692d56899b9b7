//! Tenant isolation: a user of workspace B reaches nothing of workspace A — every id-taking
//! route answers 404, by session, by API key and through server functions — and A's data
//! is unchanged afterwards.

use crate::common::{Client, TestServer};
use crate::on_both_backends;
use leptos::server_fn::ServerFn;
use serde_json::json;

on_both_backends!(nothing_of_a_reaches_b);

struct Probe {
    method: &'static str,
    path: String,
    body: serde_json::Value,
}

fn probes(a_ws: uuid::Uuid, a_user: uuid::Uuid, a_invite: &str, a_key: &str) -> Vec<Probe> {
    let p = |method, path: String, body| Probe { method, path, body };
    vec![
        p(
            "GET",
            format!("/api/v1/workspaces/{a_ws}/members"),
            json!(null),
        ),
        p(
            "GET",
            format!("/api/v1/workspaces/{a_ws}/invites"),
            json!(null),
        ),
        p(
            "POST",
            format!("/api/v1/workspaces/{a_ws}/invites"),
            json!({"email": "x@example.com", "role": "viewer"}),
        ),
        p(
            "DELETE",
            format!("/api/v1/workspaces/{a_ws}/invites/{a_invite}"),
            json!(null),
        ),
        p(
            "PATCH",
            format!("/api/v1/workspaces/{a_ws}"),
            json!({"name": "pwned"}),
        ),
        p("DELETE", format!("/api/v1/workspaces/{a_ws}"), json!(null)),
        p(
            "PATCH",
            format!("/api/v1/workspaces/{a_ws}/members/{a_user}"),
            json!({"role": "viewer"}),
        ),
        p(
            "DELETE",
            format!("/api/v1/workspaces/{a_ws}/members/{a_user}"),
            json!(null),
        ),
        p("DELETE", format!("/api/v1/api-keys/{a_key}"), json!(null)),
        p(
            "PUT",
            "/api/v1/me/active-workspace".into(),
            json!({"workspace_id": a_ws}),
        ),
    ]
}

async fn send(c: &Client, p: &Probe) -> crate::common::Resp {
    match p.method {
        "GET" => c.get(&p.path).await,
        "POST" => c.post(&p.path, p.body.clone()).await,
        "PATCH" => c.patch(&p.path, p.body.clone()).await,
        "PUT" => c.put(&p.path, p.body.clone()).await,
        _ => c.delete(&p.path).await,
    }
}

async fn nothing_of_a_reaches_b(s: &TestServer) {
    let a = s.user("Alice").await;
    let b = s.user("Bob").await;
    let inv = a
        .client
        .post(
            &format!("/api/v1/workspaces/{}/invites", a.workspace),
            json!({"email": "c@example.com", "role": "viewer"}),
        )
        .await;
    let invite_id = inv.data()["id"].as_str().unwrap().to_string();
    let a_key = a
        .client
        .post("/api/v1/api-keys", json!({"name": "a"}))
        .await;
    let a_key_id = a_key.data()["id"].as_str().unwrap().to_string();
    let a_key_secret = a_key.data()["key"].as_str().unwrap().to_string();
    let b_key = b
        .client
        .post("/api/v1/api-keys", json!({"name": "b"}))
        .await
        .data()["key"]
        .as_str()
        .unwrap()
        .to_string();
    let b_by_key = s.key_client(&b_key);

    for probe in probes(a.workspace, a.id, &invite_id, &a_key_id) {
        for (how, c) in [("session", &b.client), ("api key", &b_by_key)] {
            let r = send(c, &probe).await;
            // PUT active-workspace by key is refused before the lookup (sessions only)
            let expected = if how == "api key" && probe.method == "PUT" {
                403
            } else {
                404
            };
            assert_eq!(
                r.status.as_u16(),
                expected,
                "{how} {} {} answered {}",
                probe.method,
                probe.path,
                r.text
            );
        }
    }
    // B's listings hold nothing of A's
    let keys = b.client.get("/api/v1/api-keys").await;
    assert!(!keys.text.contains(&a_key_id));
    let ws = b.client.get("/api/v1/workspaces").await;
    assert!(!ws.text.contains(&a.workspace.to_string()));

    // server functions, called as the browser calls them, with B's session cookie
    let sfn = |path: &str| format!("{}{}", s.url(""), path);
    for (path, form) in [
        (
            app::server_fns::ListMembers::url(),
            format!("workspace_id={}", a.workspace),
        ),
        (
            app::server_fns::ListInvites::url(),
            format!("workspace_id={}", a.workspace),
        ),
        (
            app::server_fns::RenameWorkspace::url(),
            format!("workspace_id={}&name=pwned", a.workspace),
        ),
        (
            app::server_fns::SwitchWorkspace::url(),
            format!("workspace_id={}", a.workspace),
        ),
        (
            app::server_fns::RevokeApiKey::url(),
            format!("id={a_key_id}"),
        ),
        (
            app::server_fns::ChangeMemberRole::url(),
            format!("workspace_id={}&user_id={}&role=viewer", a.workspace, a.id),
        ),
        (
            app::server_fns::RemoveMember::url(),
            format!("workspace_id={}&user_id={}", a.workspace, a.id),
        ),
        (
            app::server_fns::CreateInvite::url(),
            format!(
                "workspace_id={}&email=x%40example.com&role=viewer",
                a.workspace
            ),
        ),
    ] {
        let r = b
            .client
            .raw(
                b.client
                    .http
                    .post(sfn(path))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form.clone()),
            )
            .await;
        assert_eq!(
            r.status.as_u16(),
            404,
            "server fn {path} {form}: {}",
            r.text
        );
        assert_eq!(r.body["code"], "NOT_FOUND", "{}", r.text);
    }

    // A's data is intact
    let members = a
        .client
        .get(&format!("/api/v1/workspaces/{}/members", a.workspace))
        .await;
    assert_eq!(members.data().as_array().unwrap().len(), 1);
    assert_eq!(members.data()[0]["role"], "owner");
    let me = a.client.get("/api/v1/me").await;
    assert_eq!(me.data()["active_workspace"]["name"], "Alice's workspace");
    let invites = a
        .client
        .get(&format!("/api/v1/workspaces/{}/invites", a.workspace))
        .await;
    assert_eq!(invites.data().as_array().unwrap().len(), 1);
    assert_eq!(
        s.key_client(&a_key_secret).get("/api/v1/me").await.status,
        200
    );
}
