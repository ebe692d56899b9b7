//! Anthropic's Messages API (`POST /v1/messages`, `x-api-key` and `anthropic-version`
//! headers) as the LLM analyst's vision model: the chart goes as a base64 PNG image block
//! before the text block, the instructions as the system prompt.

use super::llm_http;
use app::ssr::vision::{VisionError, VisionModel, VisionReply, VisionRequest};
use async_trait::async_trait;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
pub const DEFAULT_MODEL: &str = "claude-sonnet-4-5";
const API_VERSION: &str = "2023-06-01";

pub struct Anthropic {
    http: reqwest::Client,
    base: String,
    key: String,
    model: String,
    timeout: Duration,
}

impl Anthropic {
    pub fn new(
        base: &str,
        key: &str,
        model: &str,
        timeout: Duration,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            http: llm_http::client(timeout)?,
            base: base.trim_end_matches('/').to_string(),
            key: key.to_string(),
            model: model.to_string(),
            timeout,
        })
    }
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Vec<Block>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Block {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    input_tokens: i64,
    #[serde(default)]
    output_tokens: i64,
}

#[async_trait]
impl VisionModel for Anthropic {
    fn provider(&self) -> &'static str {
        "anthropic"
    }
    fn model(&self) -> &str {
        &self.model
    }
    fn timeout(&self) -> Duration {
        self.timeout
    }

    async fn ask(&self, req: &VisionRequest) -> Result<VisionReply, VisionError> {
        let body = json!({
            "model": self.model,
            "max_tokens": req.max_tokens,
            "system": req.system,
            "messages": [{
                "role": "user",
                "content": [
                    {"type": "image", "source": {
                        "type": "base64",
                        "media_type": "image/png",
                        "data": base64::engine::general_purpose::STANDARD.encode(&req.png),
                    }},
                    {"type": "text", "text": req.prompt},
                ],
            }],
        });
        let request = self
            .http
            .post(format!("{}/v1/messages", self.base))
            .header("x-api-key", &self.key)
            .header("anthropic-version", API_VERSION)
            .json(&body);
        let text = llm_http::send(request, self.timeout).await?;
        let msg: Message = serde_json::from_str(&text)
            .map_err(|e| VisionError::Upstream(format!("unexpected answer: {e}")))?;
        let answer: String = msg
            .content
            .iter()
            .filter(|b| b.kind == "text")
            .map(|b| b.text.as_str())
            .collect();
        Ok(VisionReply {
            text: answer,
            tokens_used: msg.usage.map(|u| u.input_tokens + u.output_tokens),
        })
    }
}
