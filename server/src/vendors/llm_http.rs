//! HTTP shared by the LLM vendors' clients: one client per vendor with the time limit,
//! and the vendors' error answers turned into `VisionError`s with their own message
//! (both put it at `error.message`).

use app::ssr::vision::VisionError;
use std::time::Duration;

pub fn client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("refract/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Sends `request` and returns the body of a successful answer.
pub async fn send(
    request: reqwest::RequestBuilder,
    timeout: Duration,
) -> Result<String, VisionError> {
    let resp = request.send().await.map_err(|e| {
        if e.is_timeout() {
            VisionError::Timeout(timeout.as_secs())
        } else {
            VisionError::Upstream(format!("request failed: {}", e.without_url()))
        }
    })?;
    let status = resp.status();
    let body = resp.text().await.map_err(|e| {
        if e.is_timeout() {
            VisionError::Timeout(timeout.as_secs())
        } else {
            VisionError::Upstream(format!("reading the answer: {}", e.without_url()))
        }
    })?;
    if status.is_success() {
        return Ok(body);
    }
    let message = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| body.chars().take(200).collect());
    let said = format!("HTTP {}: {message}", status.as_u16());
    Err(match status.as_u16() {
        401 | 403 => VisionError::Auth(said),
        429 => VisionError::RateLimited(said),
        _ => VisionError::Upstream(said),
    })
}
