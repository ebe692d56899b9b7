//! The LLM chart analyst through the real Anthropic and OpenAI clients, against local fakes
//! speaking the vendors' documented wire formats (Anthropic Messages `POST /v1/messages`,
//! OpenAI `POST /v1/chat/completions`): the request's shape (headers, PNG image, prompt),
//! a good answer, a retry after a bad one, the fallback to the technical analyst after two
//! bad answers, a vendor error and a timeout.

use crate::common::TestServer;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the fake answers next.
#[derive(Clone)]
enum Say {
    /// An answer whose text is this.
    Text(String),
    /// An error status with the vendor's error body.
    Fail(u16, Value),
    /// No answer for this long.
    Sleep(u64),
}

#[derive(Clone, Default)]
struct Fake {
    script: Arc<Mutex<VecDeque<Say>>>,
    /// The prompt text of every request, in order.
    prompts: Arc<Mutex<Vec<String>>>,
}

impl Fake {
    fn will(&self, says: Vec<Say>) {
        *self.script.lock().unwrap() = says.into();
    }
    fn prompts(&self) -> Vec<String> {
        self.prompts.lock().unwrap().clone()
    }
}

fn is_png(b64: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .is_ok_and(|b| b.starts_with(b"\x89PNG\r\n\x1a\n") && b.len() > 10_000)
}

/// Anthropic Messages: checks the headers and the image block, then answers from the script.
async fn fake_anthropic(fake: Fake) -> String {
    let app = axum::Router::new().route(
        "/v1/messages",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let fake = fake.clone();
            async move {
                if headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some("test-key") {
                    return (
                        StatusCode::UNAUTHORIZED,
                        Json(json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}})),
                    );
                }
                assert_eq!(headers["anthropic-version"], "2023-06-01");
                assert_eq!(body["model"], "claude-test");
                assert_eq!(body["max_tokens"], 2000);
                assert!(body["system"].as_str().unwrap().contains("\"recommendation\""));
                let content = &body["messages"][0]["content"];
                assert_eq!(body["messages"][0]["role"], "user");
                assert_eq!(content[0]["type"], "image");
                assert_eq!(content[0]["source"]["type"], "base64");
                assert_eq!(content[0]["source"]["media_type"], "image/png");
                assert!(is_png(content[0]["source"]["data"].as_str().unwrap()));
                assert_eq!(content[1]["type"], "text");
                fake.prompts.lock().unwrap().push(content[1]["text"].as_str().unwrap().to_string());
                let say = fake.script.lock().unwrap().pop_front().expect("a scripted answer");
                answer(say, |text| {
                    json!({"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-test",
                           "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
                           "usage": {"input_tokens": 1500, "output_tokens": 300}})
                })
                .await
            }
        }),
    );
    serve(app).await
}

/// OpenAI chat completions: checks the bearer key and the data-URL image part.
async fn fake_openai(fake: Fake) -> String {
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let fake = fake.clone();
            async move {
                if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer test-key") {
                    return (
                        StatusCode::UNAUTHORIZED,
                        Json(json!({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}})),
                    );
                }
                assert_eq!(body["model"], "gpt-test");
                assert_eq!(body["messages"][0]["role"], "system");
                let content = &body["messages"][1]["content"];
                assert_eq!(content[0]["type"], "text");
                assert_eq!(content[1]["type"], "image_url");
                let url = content[1]["image_url"]["url"].as_str().unwrap();
                assert!(is_png(url.strip_prefix("data:image/png;base64,").unwrap()));
                fake.prompts.lock().unwrap().push(content[0]["text"].as_str().unwrap().to_string());
                let say = fake.script.lock().unwrap().pop_front().expect("a scripted answer");
                answer(say, |text| {
                    json!({"id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-test",
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 1200, "completion_tokens": 250, "total_tokens": 1450}})
                })
                .await
            }
        }),
    );
    serve(app).await
}

async fn answer(say: Say, ok: impl Fn(&str) -> Value) -> (StatusCode, Json<Value>) {
    match say {
        Say::Text(t) => (StatusCode::OK, Json(ok(&t))),
        Say::Fail(status, body) => (StatusCode::from_u16(status).unwrap(), Json(body)),
        Say::Sleep(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            (StatusCode::OK, Json(ok("{}")))
        }
    }
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://{addr}")
}

/// A LONG call around AAPL's last built-in close (430.47 on 2013-03-01).
fn good_answer() -> String {
    json!({"trend": "bearish", "signals": ["Lower highs since September", "RSI near 30"],
           "recommendation": "LONG", "entryPrice": 430.47, "stopLoss": 420.0, "takeProfit": 450.0,
           "confidence": 6, "riskRewardRatio": 3.0, "analysisText": "Oversold bounce setup.",
           "keyLevels": {"support": [420.0, 405.1], "resistance": [450.0, 470.5]}})
    .to_string()
}

async fn chart(u: &crate::common::User, format: &str) -> String {
    let g = u
        .client
        .post(
            "/api/v1/charts/generate",
            json!({"symbol": "AAPL", "interval": "1D", "range": "6M", "format": format,
                   "studies": [{"name": "RSI"}, {"name": "Bollinger Bands"}]}),
        )
        .await;
    assert_eq!(g.status, 201, "{}", g.text);
    g.data()["chartId"].as_str().unwrap().to_string()
}

fn roomy(c: &mut server::config::Config) {
    c.plans.free.analyses_per_month = Some(100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_analyst_answers_retries_and_falls_back() {
    let fake = Fake::default();
    let base = fake_anthropic(fake.clone()).await;
    let s = TestServer::sqlite_with(move |c| {
        roomy(c);
        c.llm_provider = "anthropic".into();
        c.llm_api_key = Some("test-key".into());
        c.llm_base_url = base;
        c.llm_model = "claude-test".into();
    })
    .await;
    let u = s.user("Lena").await;
    let id = chart(&u, "png").await;
    let analyze = |body: Value| {
        let (c, id) = (&u.client, id.clone());
        async move { c.post(&format!("/api/v1/charts/{id}/analyze"), body).await }
    };

    // A good answer is the analysis; the ratio is recomputed from its prices.
    fake.will(vec![Say::Text(format!("```json\n{}\n```", good_answer()))]);
    let a =
        analyze(json!({"prompt": "Day trade this.", "options": {"tradingStyle": "day_trading"}}))
            .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let d = a.data();
    assert_eq!(d["metadata"]["model"], "claude-test");
    // Anthropic's usage: input 1500 + output 300.
    assert_eq!(d["metadata"]["tokensUsed"], 1800, "{}", a.text);
    assert!(d["metadata"].get("note").is_none(), "{}", a.text);
    assert_eq!(d["analysis"]["recommendation"], "LONG");
    assert_eq!(d["analysis"]["entryPrice"], 430.47);
    assert_eq!(d["analysis"]["riskRewardRatio"], 1.87);
    assert_eq!(
        d["analysis"]["keyLevels"]["resistance"],
        json!([450.0, 470.5])
    );
    // The technical rating rides along.
    assert!(d["analysis"]["score"].as_f64().is_some());
    let prompt = &fake.prompts()[0];
    assert!(
        prompt.starts_with("AAPL 1D chart. Day trade this."),
        "{prompt}"
    );
    assert!(
        prompt.contains("Computed on the bars behind the chart: last close 430.47"),
        "{prompt}"
    );
    assert!(
        prompt.contains("\"tradingStyle\":\"day_trading\""),
        "{prompt}"
    );
    let stored = u
        .client
        .get(&format!(
            "/api/v1/analyses/{}",
            d["analysisId"].as_str().unwrap()
        ))
        .await;
    assert_eq!(stored.data()["metadata"]["model"], "claude-test");
    assert_eq!(stored.data()["metadata"]["tokensUsed"], 1800);
    assert_eq!(stored.data()["analysis"]["riskRewardRatio"], 1.87);

    // One bad answer: asked again, quoting what was wrong.
    fake.will(vec![
        Say::Text("It looks bullish to me.".into()),
        Say::Text(good_answer()),
    ]);
    let a = analyze(json!({})).await;
    assert_eq!(a.data()["metadata"]["model"], "claude-test", "{}", a.text);
    // Both attempts' tokens.
    assert_eq!(a.data()["metadata"]["tokensUsed"], 3600, "{}", a.text);
    let p = fake.prompts();
    assert_eq!(p.len(), 3);
    assert!(
        p[1].starts_with("Analyze this AAPL 1D trading chart"),
        "{}",
        p[1]
    );
    assert!(
        p[2].contains("Your previous answer was not usable: the answer contains no JSON object."),
        "{}",
        p[2]
    );

    // Two bad answers: the technical analyst's analysis, with the reason.
    let wrong_side = good_answer().replace("420.0", "440.0");
    fake.will(vec![Say::Text(wrong_side.clone()), Say::Text(wrong_side)]);
    let a = analyze(json!({})).await;
    assert_eq!(a.status, 201, "{}", a.text);
    assert_eq!(a.data()["metadata"]["model"], "refract-technical-1");
    assert!(
        a.data()["metadata"].get("tokensUsed").is_none(),
        "{}",
        a.text
    );
    let note = a.data()["metadata"]["note"].as_str().unwrap().to_string();
    assert!(
        note.starts_with("The LLM analyst (anthropic claude-test) was not used: the model's answer was not usable twice (for LONG the stop (440) must be below the entry (430.47)"),
        "{note}"
    );
    assert!(
        note.ends_with("This is the technical analyst's analysis."),
        "{note}"
    );

    // The vendor's own error, said as such (no retry on a refusal).
    fake.will(vec![Say::Fail(
        529,
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    )]);
    let a = analyze(json!({})).await;
    assert_eq!(a.data()["metadata"]["model"], "refract-technical-1");
    assert!(
        a.data()["metadata"]["note"]
            .as_str()
            .unwrap()
            .contains("was not used: HTTP 529: Overloaded."),
        "{}",
        a.text
    );
    assert_eq!(fake.prompts().len(), 6);
    // Every analysis counted once, fallbacks included.
    let q = u.client.get("/api/v1/user/quota").await;
    assert_eq!(q.data()["quota"]["analyses"]["used"], 4, "{}", q.text);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_model_times_out_to_the_technical_analyst() {
    let fake = Fake::default();
    let base = fake_anthropic(fake.clone()).await;
    let s = TestServer::sqlite_with(move |c| {
        c.llm_api_key = Some("test-key".into());
        c.llm_base_url = base;
        c.llm_model = "claude-test".into();
        c.llm_timeout_secs = 1;
    })
    .await;
    let u = s.user("Tim").await;
    let id = chart(&u, "png").await;
    fake.will(vec![Say::Sleep(3_000)]);
    let a = u
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    assert_eq!(a.data()["metadata"]["model"], "refract-technical-1");
    let note = a.data()["metadata"]["note"].as_str().unwrap();
    assert!(
        note.contains("was not used: no answer within 1 s"),
        "{note}"
    );
    assert!(a.data()["metadata"]["processingTime"].as_f64().unwrap() < 2.5);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_compatible_analyst_reads_svg_charts_as_png() {
    let fake = Fake::default();
    let base = fake_openai(fake.clone()).await;
    let b2 = base.clone();
    let s = TestServer::sqlite_with(move |c| {
        c.llm_provider = "openai".into();
        c.llm_api_key = Some("test-key".into());
        c.llm_base_url = format!("{b2}/v1");
        c.llm_model = "gpt-test".into();
    })
    .await;
    let u = s.user("Olga").await;
    // Stored as SVG: the model still gets a PNG (the fake checks the bytes).
    let id = chart(&u, "svg").await;
    fake.will(vec![Say::Text(good_answer())]);
    let a = u
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    assert_eq!(a.data()["metadata"]["model"], "gpt-test");
    assert_eq!(a.data()["metadata"]["tokensUsed"], 1450);
    assert_eq!(a.data()["analysis"]["stopLoss"], 420.0);
    s.stop().await;

    // A refused key falls back and says so.
    let s = TestServer::sqlite_with(move |c| {
        c.llm_provider = "openai".into();
        c.llm_api_key = Some("wrong".into());
        c.llm_base_url = format!("{base}/v1");
        c.llm_model = "gpt-test".into();
    })
    .await;
    let u = s.user("Olaf").await;
    let id = chart(&u, "png").await;
    let a = u
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await;
    assert_eq!(a.data()["metadata"]["model"], "refract-technical-1");
    assert!(
        a.data()["metadata"]["note"]
            .as_str()
            .unwrap()
            .contains("(openai gpt-test) was not used: the API key was refused (HTTP 401: Incorrect API key provided)."),
        "{}",
        a.text
    );
    s.stop().await;
}
