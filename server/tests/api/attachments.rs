//! Trade attachments over HTTP: each accepted kind checked by content, thumbnails, size
//! limits, roles, other tenants, and files removed with their attachment or trade.

use crate::common::{Client, Resp, TestServer};
use crate::journal::{upload as import, GENERIC};
use crate::on_both_backends;
use serde_json::Value;

on_both_backends!(attachments_are_checked_thumbnailed_and_scoped);

const PNG: &[u8] = include_bytes!("../../../journal/tests/data/attachments/chart.png");
const WEBP: &[u8] = include_bytes!("../../../journal/tests/data/attachments/chart.webp");
pub const PDF: &[u8] = include_bytes!("../../../journal/tests/data/attachments/plan.pdf");

pub async fn attach(c: &Client, trade: &str, name: &str, bytes: &[u8]) -> Resp {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
    );
    c.raw(
        c.http
            .post(format!("{}/api/v1/trades/{trade}/attachments", c.base))
            .multipart(form),
    )
    .await
}

async fn bytes_of(c: &Client, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = c
        .http
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(b: &[u8]) -> (u32, u32) {
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}

fn files_under(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        files_under(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

async fn attachments_are_checked_thumbnailed_and_scoped(s: &TestServer) {
    let owner = s.user("Own").await;
    let member = s.join(&owner, "Mem", "member").await;
    let viewer = s.join(&owner, "View", "viewer").await;
    let stranger = s.user("Eve").await;
    assert_eq!(import(&owner.client, GENERIC, &[]).await.status, 201);
    let trades = owner.client.get("/api/v1/trades").await;
    let id = trades.data()["trades"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let files = s
        .data_dir()
        .join("files/attachments")
        .join(owner.workspace.simple().to_string());

    // Each kind, typed by its bytes: the PDF's odd name gets the right extension.
    let png = attach(&owner.client, &id, "setup chart.png", PNG).await;
    assert_eq!(png.status, 201, "{}", png.text);
    let p = png.data().clone();
    assert_eq!(p["content_type"], "image/png");
    assert_eq!(p["file_name"], "setup chart.png");
    assert_eq!(
        (p["width"].as_i64(), p["height"].as_i64()),
        (Some(640), Some(360))
    );
    assert_eq!(p["size_bytes"], PNG.len());
    let webp = attach(&owner.client, &id, "chart.webp", WEBP).await;
    assert_eq!(webp.status, 201, "{}", webp.text);
    assert_eq!(webp.data()["content_type"], "image/webp");
    let pdf = attach(&owner.client, &id, "statement.bin", PDF).await;
    assert_eq!(pdf.status, 201, "{}", pdf.text);
    assert_eq!(pdf.data()["content_type"], "application/pdf");
    assert_eq!(pdf.data()["file_name"], "statement.bin.pdf");
    assert_eq!(pdf.data()["thumbnail_url"], Value::Null);
    assert_eq!(files_under(&files), 5, "three files and two thumbnails");

    // The file comes back byte for byte, typed and not sniffable; the thumbnail is small.
    let (status, headers, body) = bytes_of(&owner.client, p["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(body, PNG);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("filename*=UTF-8''setup%20chart%2Epng"));
    let (status, _, thumb) = bytes_of(&owner.client, p["thumbnail_url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(png_size(&thumb), (320, 180));
    let pdf_id = pdf.data()["id"].as_str().unwrap().to_string();
    owner
        .client
        .get(&format!("/api/v1/attachments/{pdf_id}/thumbnail"))
        .await
        .fails(404, "NOT_FOUND");
    // The trade's detail and the list carry them, oldest first.
    let detail = owner.client.get(&format!("/api/v1/trades/{id}")).await;
    let names: Vec<&str> = detail.data()["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["setup chart.png", "chart.webp", "statement.bin.pdf"]
    );
    let list = owner
        .client
        .get(&format!("/api/v1/trades/{id}/attachments"))
        .await;
    assert_eq!(list.data().as_array().unwrap().len(), 3);

    // Bad files: a renamed program, a PNG header on junk, an empty file, too large.
    let r = attach(&owner.client, &id, "chart.png", b"MZ\x90\x00\x03 program").await;
    r.fails(400, "VALIDATION_ERROR");
    assert!(
        r.message().contains("content is none of them"),
        "{}",
        r.message()
    );
    let mut fake = PNG[..8].to_vec();
    fake.extend_from_slice(b"junk after the signature");
    let r = attach(&owner.client, &id, "x.png", &fake).await;
    r.fails(400, "VALIDATION_ERROR");
    assert!(
        r.message().contains("not a readable PNG"),
        "{}",
        r.message()
    );
    attach(&owner.client, &id, "empty.png", b"")
        .await
        .fails(400, "VALIDATION_ERROR");
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let r = attach(&owner.client, &id, "big.png", &big).await;
    r.fails(413, "PAYLOAD_TOO_LARGE");
    assert!(r.message().contains("5 MB"), "{}", r.message());
    big.resize(7 * 1024 * 1024, 0);
    attach(&owner.client, &id, "bigger.png", &big)
        .await
        .fails(413, "PAYLOAD_TOO_LARGE");
    assert_eq!(files_under(&files), 5, "nothing stored for refused files");

    // Roles: the viewer reads only; a member cannot touch the owner's trade.
    let png_id = p["id"].as_str().unwrap().to_string();
    assert_eq!(
        bytes_of(&viewer.client, p["url"].as_str().unwrap()).await.0,
        200
    );
    attach(&viewer.client, &id, "v.png", PNG)
        .await
        .fails(403, "FORBIDDEN");
    viewer
        .client
        .delete(&format!("/api/v1/attachments/{png_id}"))
        .await
        .fails(403, "FORBIDDEN");
    attach(&member.client, &id, "m.png", PNG)
        .await
        .fails(403, "FORBIDDEN");
    member
        .client
        .delete(&format!("/api/v1/attachments/{png_id}"))
        .await
        .fails(403, "FORBIDDEN");

    // Another tenant reaches nothing, by any route.
    for path in [
        format!("/api/v1/trades/{id}/attachments"),
        format!("/api/v1/attachments/{png_id}"),
        format!("/api/v1/attachments/{png_id}/thumbnail"),
    ] {
        stranger.client.get(&path).await.fails(404, "NOT_FOUND");
    }
    attach(&stranger.client, &id, "x.png", PNG)
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .delete(&format!("/api/v1/attachments/{png_id}"))
        .await
        .fails(404, "NOT_FOUND");
    s.client()
        .get(&format!("/api/v1/attachments/{png_id}"))
        .await
        .fails(401, "UNAUTHORIZED");
    assert_eq!(files_under(&files), 5);

    // Deleting an attachment removes its files; purging the trade removes the rest.
    let r = owner
        .client
        .delete(&format!("/api/v1/attachments/{png_id}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    owner
        .client
        .get(&format!("/api/v1/attachments/{png_id}"))
        .await
        .fails(404, "NOT_FOUND");
    assert_eq!(files_under(&files), 3);
    let r = owner
        .client
        .delete(&format!("/api/v1/trades/{id}?purge=true"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(files_under(&files), 0);
    owner
        .client
        .get(&format!("/api/v1/attachments/{pdf_id}"))
        .await
        .fails(404, "NOT_FOUND");
}
