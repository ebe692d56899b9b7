//! The vision-model port of the LLM chart analyst: one question (a chart image and a
//! text prompt) and its text answer. The server's adapters speak Anthropic's Messages API
//! and the OpenAI-compatible chat completions API; with no key configured there is no
//! model and the deterministic technical analyst answers alone.

use async_trait::async_trait;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct VisionRequest {
    /// Who the model is and the answer's required shape.
    pub system: String,
    /// The question: the user's prompt, the computed indicator context, and on a retry
    /// what was wrong with the previous answer.
    pub prompt: String,
    /// The chart as PNG.
    pub png: Vec<u8>,
    pub max_tokens: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VisionReply {
    pub text: String,
    /// Input plus output tokens, when the vendor reports them.
    pub tokens_used: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VisionError {
    #[error("the API key was refused ({0})")]
    Auth(String),
    #[error("rate limited by the vendor ({0})")]
    RateLimited(String),
    #[error("no answer within {0} s")]
    Timeout(u64),
    #[error("{0}")]
    Upstream(String),
}

#[async_trait]
pub trait VisionModel: Send + Sync + 'static {
    /// "anthropic" or "openai".
    fn provider(&self) -> &'static str;
    /// The model asked, stored with each analysis (e.g. `claude-sonnet-4-5`).
    fn model(&self) -> &str;
    /// How long one question may take before the analyst gives up on it.
    fn timeout(&self) -> Duration;
    async fn ask(&self, req: &VisionRequest) -> Result<VisionReply, VisionError>;
}
