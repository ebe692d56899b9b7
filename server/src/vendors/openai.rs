//! The OpenAI chat completions API (`POST {base}/chat/completions`, bearer key) as the LLM
//! analyst's vision model; also what OpenAI-compatible servers (vLLM, Ollama, LM Studio,
//! gateways) speak, so the base URL includes the `/v1` part. The chart goes as a data-URL
//! `image_url` part after the text part.

use super::llm_http;
use app::ssr::vision::{VisionError, VisionModel, VisionReply, VisionRequest};
use async_trait::async_trait;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;
use std::time::Duration;

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
pub const DEFAULT_MODEL: &str = "gpt-4o";

pub struct OpenAi {
    http: reqwest::Client,
    base: String,
    key: String,
    model: String,
    timeout: Duration,
}

impl OpenAi {
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
struct Completion {
    #[serde(default)]
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    total_tokens: i64,
}

#[async_trait]
impl VisionModel for OpenAi {
    fn provider(&self) -> &'static str {
        "openai"
    }
    fn model(&self) -> &str {
        &self.model
    }
    fn timeout(&self) -> Duration {
        self.timeout
    }

    async fn ask(&self, req: &VisionRequest) -> Result<VisionReply, VisionError> {
        let image = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&req.png)
        );
        let body = json!({
            "model": self.model,
            "max_tokens": req.max_tokens,
            "messages": [
                {"role": "system", "content": req.system},
                {"role": "user", "content": [
                    {"type": "text", "text": req.prompt},
                    {"type": "image_url", "image_url": {"url": image}},
                ]},
            ],
        });
        let request = self
            .http
            .post(format!("{}/chat/completions", self.base))
            .bearer_auth(&self.key)
            .json(&body);
        let text = llm_http::send(request, self.timeout).await?;
        let c: Completion = serde_json::from_str(&text)
            .map_err(|e| VisionError::Upstream(format!("unexpected answer: {e}")))?;
        let answer = c
            .choices
            .into_iter()
            .next()
            .and_then(|ch| ch.message.content)
            .ok_or_else(|| VisionError::Upstream("the answer has no message".into()))?;
        Ok(VisionReply {
            text: answer,
            tokens_used: c.usage.map(|u| u.total_tokens),
        })
    }
}
