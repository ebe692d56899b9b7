//! The role matrix through the API: each role × each workspace action, and the rules that
//! keep a workspace owned.

use crate::common::{TestServer, User};
use crate::on_both_backends;
use serde_json::json;

on_both_backends!(
    every_role_against_every_action,
    invites_are_checked,
    owners_cannot_orphan_a_workspace
);

/// Signs `name` up and has them accept an invite from `inviter` into `ws` with `role`.
async fn join(s: &TestServer, inviter: &User, ws: uuid::Uuid, name: &str, role: &str) -> User {
    let u = s.user(name).await;
    let inv = inviter
        .client
        .post(
            &format!("/api/v1/workspaces/{ws}/invites"),
            json!({"email": u.email, "role": role}),
        )
        .await;
    assert_eq!(inv.status, 201, "{}", inv.text);
    let token = inv.data()["token"].as_str().unwrap();
    let r = u
        .client
        .post(&format!("/api/v1/invites/{token}/accept"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()["role"], role);
    assert_eq!(r.data()["id"], ws.to_string());
    u
}

async fn every_role_against_every_action(s: &TestServer) {
    let owner = s.user("Owen").await;
    let ws = owner.workspace;
    let admin = join(s, &owner, ws, "Ada", "admin").await;
    let member = join(s, &owner, ws, "Mel", "member").await;
    let viewer = join(s, &owner, ws, "Val", "viewer").await;
    let target = join(s, &owner, ws, "Tom", "member").await;

    let actors = [
        ("owner", &owner),
        ("admin", &admin),
        ("member", &member),
        ("viewer", &viewer),
    ];
    // expected statuses per actor: owner, admin, member, viewer
    for (i, (role, actor)) in actors.iter().enumerate() {
        let c = &actor.client;
        let base = format!("/api/v1/workspaces/{ws}");

        let r = c.get(&format!("{base}/members")).await;
        assert_eq!(r.status, 200, "{role} lists members: {}", r.text);
        assert_eq!(r.data().as_array().unwrap().len(), 5);

        let r = c.get(&format!("{base}/invites")).await;
        assert_eq!(
            r.status,
            [200, 200, 403, 403][i],
            "{role} lists invites: {}",
            r.text
        );

        let r = c
            .post(
                &format!("{base}/invites"),
                json!({"email": format!("new-{role}@example.com"), "role": "viewer"}),
            )
            .await;
        assert_eq!(
            r.status,
            [201, 201, 403, 403][i],
            "{role} invites a viewer: {}",
            r.text
        );

        let r = c
            .post(
                &format!("{base}/invites"),
                json!({"email": format!("boss-{role}@example.com"), "role": "owner"}),
            )
            .await;
        assert_eq!(
            r.status,
            [201, 403, 403, 403][i],
            "{role} invites an owner: {}",
            r.text
        );

        let r = c
            .patch(&base, json!({"name": format!("Renamed by {role}")}))
            .await;
        assert_eq!(
            r.status,
            [200, 200, 403, 403][i],
            "{role} renames: {}",
            r.text
        );

        let r = c
            .patch(
                &format!("{base}/members/{}", target.id),
                json!({"role": "viewer"}),
            )
            .await;
        assert_eq!(
            r.status,
            [200, 200, 403, 403][i],
            "{role} changes a member's role: {}",
            r.text
        );
        if r.status == 200 {
            assert_eq!(r.data()["role"], "viewer");
            let back = c
                .patch(
                    &format!("{base}/members/{}", target.id),
                    json!({"role": "member"}),
                )
                .await;
            assert_eq!(back.status, 200);
        }

        let r = c
            .patch(
                &format!("{base}/members/{}", owner.id),
                json!({"role": "admin"}),
            )
            .await;
        // the owner demoting themselves as the only owner: refused to keep an owner
        assert_eq!(
            r.status,
            [409, 403, 403, 403][i],
            "{role} demotes the owner: {}",
            r.text
        );

        let r = c.delete(&base).await;
        // the personal workspace cannot be deleted, even by its owner
        assert_eq!(
            r.status,
            [409, 403, 403, 403][i],
            "{role} deletes the workspace: {}",
            r.text
        );
    }

    // removal: member and viewer cannot, admin and owner can (one throwaway member each)
    for (role, actor, status) in [("member", &member, 403), ("viewer", &viewer, 403)] {
        let r = actor
            .client
            .delete(&format!("/api/v1/workspaces/{ws}/members/{}", target.id))
            .await;
        assert_eq!(r.status, status, "{role} removes: {}", r.text);
    }
    let extra1 = join(s, &owner, ws, "Xa", "viewer").await;
    let extra2 = join(s, &owner, ws, "Xb", "viewer").await;
    for (actor, victim) in [(&admin, &extra1), (&owner, &extra2)] {
        let r = actor
            .client
            .delete(&format!("/api/v1/workspaces/{ws}/members/{}", victim.id))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        victim
            .client
            .get(&format!("/api/v1/workspaces/{ws}/members"))
            .await
            .fails(404, "NOT_FOUND");
    }
    // an admin cannot remove the owner
    admin
        .client
        .delete(&format!("/api/v1/workspaces/{ws}/members/{}", owner.id))
        .await
        .fails(403, "FORBIDDEN");

    // a workspace that is not personal can be deleted by its owner only
    let shared = owner
        .client
        .post("/api/v1/workspaces", json!({"name": "Desk"}))
        .await;
    let shared_id: uuid::Uuid = shared.data()["id"].as_str().unwrap().parse().unwrap();
    let a2 = join(s, &owner, shared_id, "Ana2", "admin").await;
    a2.client
        .delete(&format!("/api/v1/workspaces/{shared_id}"))
        .await
        .fails(403, "FORBIDDEN");
    let r = owner
        .client
        .delete(&format!("/api/v1/workspaces/{shared_id}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    a2.client
        .get(&format!("/api/v1/workspaces/{shared_id}/members"))
        .await
        .fails(404, "NOT_FOUND");
}

async fn invites_are_checked(s: &TestServer) {
    let owner = s.user("Iris").await;
    let ws = owner.workspace;
    let inv = owner
        .client
        .post(
            &format!("/api/v1/workspaces/{ws}/invites"),
            json!({"email": "jo@example.com", "role": "member"}),
        )
        .await;
    let token = inv.data()["token"].as_str().unwrap().to_string();
    let url = inv.data()["url"].as_str().unwrap();
    assert!(url.ends_with(&format!("/invite/{token}")), "{url}");
    assert!(inv.data()["expires_at"].is_string());

    // bad role and bad e-mail
    owner
        .client
        .post(
            &format!("/api/v1/workspaces/{ws}/invites"),
            json!({"email": "x@example.com", "role": "king"}),
        )
        .await
        .fails(400, "VALIDATION_ERROR");
    owner
        .client
        .post(
            &format!("/api/v1/workspaces/{ws}/invites"),
            json!({"email": "nope", "role": "member"}),
        )
        .await
        .fails(400, "VALIDATION_ERROR");

    // anyone with the token sees what it offers
    let p = s.client().get(&format!("/api/v1/invites/{token}")).await;
    assert_eq!(p.data()["workspace_name"], "Iris's workspace");
    assert_eq!(p.data()["role"], "member");

    // someone else signed in cannot use it
    let eve = s.user("Eve").await;
    eve.client
        .post(&format!("/api/v1/invites/{token}/accept"), json!({}))
        .await
        .fails(403, "FORBIDDEN");
    // signed out cannot accept
    s.client()
        .post(&format!("/api/v1/invites/{token}/accept"), json!({}))
        .await
        .fails(401, "UNAUTHORIZED");

    let jo = s.user("Jo").await;
    let r = jo
        .client
        .post(&format!("/api/v1/invites/{token}/accept"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // accepting made it active
    assert_eq!(
        jo.client.get("/api/v1/me").await.data()["active_workspace"]["id"],
        ws.to_string()
    );
    // used once only
    jo.client
        .post(&format!("/api/v1/invites/{token}/accept"), json!({}))
        .await
        .fails(409, "CONFLICT");
    // inviting an existing member is a conflict
    owner
        .client
        .post(
            &format!("/api/v1/workspaces/{ws}/invites"),
            json!({"email": "jo@example.com", "role": "viewer"}),
        )
        .await
        .fails(409, "CONFLICT");
    s.client()
        .get("/api/v1/invites/not-a-token")
        .await
        .fails(404, "NOT_FOUND");

    // revoking a pending invite
    let inv = owner
        .client
        .post(
            &format!("/api/v1/workspaces/{ws}/invites"),
            json!({"email": "kim@example.com", "role": "viewer"}),
        )
        .await;
    let id = inv.data()["id"].as_str().unwrap().to_string();
    let token = inv.data()["token"].as_str().unwrap().to_string();
    let pending = owner
        .client
        .get(&format!("/api/v1/workspaces/{ws}/invites"))
        .await;
    assert_eq!(
        pending.data().as_array().unwrap().len(),
        1,
        "accepted invites are not pending"
    );
    let r = owner
        .client
        .delete(&format!("/api/v1/workspaces/{ws}/invites/{id}"))
        .await;
    assert_eq!(r.status, 200);
    s.client()
        .get(&format!("/api/v1/invites/{token}"))
        .await
        .fails(404, "NOT_FOUND");
}

async fn owners_cannot_orphan_a_workspace(s: &TestServer) {
    let owner = s.user("Pat").await;
    let ws = owner.workspace;
    let admin = join(s, &owner, ws, "Quin", "admin").await;
    // the only owner cannot leave or delete their account while others remain
    owner
        .client
        .delete(&format!("/api/v1/workspaces/{ws}/members/{}", owner.id))
        .await
        .fails(409, "CONFLICT");
    let r = owner
        .client
        .delete_json("/api/v1/me", json!({"password": crate::common::PASSWORD}))
        .await;
    r.fails(409, "CONFLICT");
    assert!(r.message().contains("Pat's workspace"), "{}", r.text);
    // hand over, then leave
    let r = owner
        .client
        .patch(
            &format!("/api/v1/workspaces/{ws}/members/{}", admin.id),
            json!({"role": "owner"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = owner
        .client
        .delete(&format!("/api/v1/workspaces/{ws}/members/{}", owner.id))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // someone who left their last workspace gets a fresh personal one
    let me = owner.client.get("/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_ne!(me.data()["active_workspace"]["id"], ws.to_string());
    assert_eq!(me.data()["active_workspace"]["role"], "owner");
    // the new owner keeps the workspace
    assert_eq!(
        admin
            .client
            .get(&format!("/api/v1/workspaces/{ws}/members"))
            .await
            .status,
        200
    );
    // members can leave on their own
    let m = join(s, &admin, ws, "Rae", "member").await;
    let r = m
        .client
        .delete(&format!("/api/v1/workspaces/{ws}/members/{}", m.id))
        .await;
    assert_eq!(r.status, 200);
    let me = m.client.get("/api/v1/me").await;
    assert_eq!(me.data()["active_workspace"]["id"], m.workspace.to_string());
}
