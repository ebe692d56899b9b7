//! Sign-up, sign-in, sign-out, sessions, profile, password, deletion.

use crate::common::{TestServer, PASSWORD};
use crate::on_both_backends;
use serde_json::json;

on_both_backends!(
    signup_sets_a_session_and_me_describes_it,
    signup_validation_is_precise,
    unknown_email_and_wrong_password_look_the_same,
    logout_ends_the_session,
    sign_in_rotates_the_session_id,
    password_change_ends_other_sessions,
    profile_and_account_deletion,
    bodies_that_are_not_json_get_the_envelope,
);

async fn signup_sets_a_session_and_me_describes_it(s: &TestServer) {
    let c = s.client();
    let r = c
        .post(
            "/api/v1/auth/signup",
            json!({"email": " Ana@Example.com ", "password": PASSWORD, "name": "Ana"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let d = r.data();
    assert_eq!(d["user"]["email"], "ana@example.com");
    assert_eq!(d["user"]["name"], "Ana");
    assert_eq!(d["workspace"]["role"], "owner");
    assert_eq!(d["workspace"]["name"], "Ana's workspace");
    let cookie = r
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("refract_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP must not set Secure: {cookie}"
    );

    let me = c.get("/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    let d = me.data();
    assert_eq!(d["user"]["email"], "ana@example.com");
    assert_eq!(d["workspaces"].as_array().unwrap().len(), 1);
    assert_eq!(d["active_workspace"]["id"], d["workspaces"][0]["id"]);
    assert!(d["user"].get("password_hash").is_none());
}

async fn signup_validation_is_precise(s: &TestServer) {
    let c = s.client();
    let cases = [
        (
            json!({"email": "ana@example.com", "password": "123456789", "name": "Ana"}),
            "password",
            "at least 10",
        ),
        (
            json!({"email": "ana.example.com", "password": PASSWORD, "name": "Ana"}),
            "email",
            "@",
        ),
        (
            json!({"email": "ana@example.com", "password": PASSWORD, "name": "   "}),
            "name",
            "Enter a name",
        ),
    ];
    for (body, field, needle) in cases {
        let r = c.post("/api/v1/auth/signup", body).await;
        r.fails(400, "VALIDATION_ERROR");
        assert_eq!(r.body["error"]["details"]["field"], field, "{}", r.text);
        assert!(r.message().contains(needle), "{}", r.text);
    }
    // a missing field names the field
    let r = c
        .post(
            "/api/v1/auth/signup",
            json!({"email": "ana@example.com", "name": "Ana"}),
        )
        .await;
    r.fails(400, "VALIDATION_ERROR");
    assert!(r.message().contains("password"), "{}", r.text);

    s.user("Bo").await;
    let r = c
        .post(
            "/api/v1/auth/signup",
            json!({"email": "BO@example.com", "password": PASSWORD, "name": "Bo 2"}),
        )
        .await;
    r.fails(409, "CONFLICT");
}

async fn unknown_email_and_wrong_password_look_the_same(s: &TestServer) {
    s.user("Cy").await;
    let c = s.client();
    let wrong = c
        .post(
            "/api/v1/auth/login",
            json!({"email": "cy@example.com", "password": "wrong password!"}),
        )
        .await;
    let unknown = c
        .post(
            "/api/v1/auth/login",
            json!({"email": "nobody@example.com", "password": "wrong password!"}),
        )
        .await;
    wrong.fails(401, "UNAUTHORIZED");
    unknown.fails(401, "UNAUTHORIZED");
    assert_eq!(wrong.body, unknown.body);
    let ok = c
        .post(
            "/api/v1/auth/login",
            json!({"email": "cy@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.data()["user"]["name"], "Cy");
}

async fn logout_ends_the_session(s: &TestServer) {
    let u = s.user("Di").await;
    assert_eq!(u.client.get("/api/v1/me").await.status, 200);
    let r = u.client.post("/api/v1/auth/logout", json!({})).await;
    assert_eq!(r.status, 200);
    u.client.get("/api/v1/me").await.fails(401, "UNAUTHORIZED");
}

/// The id issued at sign-in differs from any earlier one, and the earlier one stops working.
async fn sign_in_rotates_the_session_id(s: &TestServer) {
    let u = s.user("Ed").await;
    let before = u.client.session_id().expect("session cookie after sign-up");
    let r = u
        .client
        .post(
            "/api/v1/auth/login",
            json!({"email": u.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200);
    let after = u.client.session_id().expect("session cookie after sign-in");
    assert_ne!(before, after, "session id must change at sign-in");

    let old = reqwest::Client::new()
        .get(s.url("/api/v1/me"))
        .header("cookie", format!("refract_session={before}"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401, "the pre-login session id must be dead");
    let new = reqwest::Client::new()
        .get(s.url("/api/v1/me"))
        .header("cookie", format!("refract_session={after}"))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), 200);
}

async fn password_change_ends_other_sessions(s: &TestServer) {
    let u = s.user("Fay").await;
    let other = s.client();
    let r = other
        .post(
            "/api/v1/auth/login",
            json!({"email": u.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200);

    let bad = u
        .client
        .post(
            "/api/v1/me/password",
            json!({"current_password": "not it at all", "new_password": "a new long password"}),
        )
        .await;
    bad.fails(400, "VALIDATION_ERROR");
    assert_eq!(bad.body["error"]["details"]["field"], "current_password");

    let r = u
        .client
        .post(
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "a new long password"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        u.client.get("/api/v1/me").await.status,
        200,
        "the changing session stays signed in"
    );
    other.get("/api/v1/me").await.fails(401, "UNAUTHORIZED");
    s.client()
        .post(
            "/api/v1/auth/login",
            json!({"email": u.email, "password": PASSWORD}),
        )
        .await
        .fails(401, "UNAUTHORIZED");
    let r = s
        .client()
        .post(
            "/api/v1/auth/login",
            json!({"email": u.email, "password": "a new long password"}),
        )
        .await;
    assert_eq!(r.status, 200);
}

async fn profile_and_account_deletion(s: &TestServer) {
    let u = s.user("Gus").await;
    let r = u
        .client
        .patch("/api/v1/me", json!({"name": "  Gustav  "}))
        .await;
    assert_eq!(r.data()["name"], "Gustav");
    u.client
        .patch("/api/v1/me", json!({"name": ""}))
        .await
        .fails(400, "VALIDATION_ERROR");

    u.client
        .delete_json("/api/v1/me", json!({"password": "not the password"}))
        .await
        .fails(400, "VALIDATION_ERROR");
    let r = u
        .client
        .delete_json("/api/v1/me", json!({"password": PASSWORD}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    u.client.get("/api/v1/me").await.fails(401, "UNAUTHORIZED");
    s.client()
        .post(
            "/api/v1/auth/login",
            json!({"email": u.email, "password": PASSWORD}),
        )
        .await
        .fails(401, "UNAUTHORIZED");
    // the address is free again
    let again = s.user("Gus").await;
    assert_ne!(again.id, u.id);
    assert_ne!(again.workspace, u.workspace);
}

async fn bodies_that_are_not_json_get_the_envelope(s: &TestServer) {
    let c = s.client();
    let r = c
        .raw(c.http.post(s.url("/api/v1/auth/login")).body("email=a"))
        .await;
    r.fails(400, "VALIDATION_ERROR");
    assert!(
        r.message().contains("Content-Type: application/json"),
        "{}",
        r.text
    );
    let r = c
        .raw(
            c.http
                .post(s.url("/api/v1/auth/login"))
                .header("content-type", "application/json")
                .body("{\"email\": "),
        )
        .await;
    r.fails(400, "VALIDATION_ERROR");
    let r = c.get("/api/v1/no-such-thing").await;
    r.fails(404, "NOT_FOUND");
    let big = "x".repeat(3 * 1024 * 1024);
    let r = c
        .raw(
            c.http
                .post(s.url("/api/v1/auth/login"))
                .header("content-type", "application/json")
                .body(format!("{{\"email\":\"{big}\",\"password\":\"p\"}}")),
        )
        .await;
    r.fails(413, "PAYLOAD_TOO_LARGE");
}
