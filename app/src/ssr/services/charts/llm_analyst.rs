//! The optional LLM chart analyst: asks a vision model about the rendered chart with the
//! computed indicator context, demands spec 004's JSON shape, checks the answer (shape,
//! ranges, prices on the right sides of the entry), asks once more quoting what was wrong,
//! and gives up after that or after the model's time limit. The caller then falls back to
//! the technical analyst and says why.

use crate::charts_wire::{AnalysisView, KeyLevelsView};
use crate::ssr::vision::{VisionModel, VisionReply, VisionRequest};
use indicators::Analysis;
use serde::Deserialize;

/// Largest answer a model is asked for.
pub const MAX_TOKENS: u32 = 2_000;

pub const SYSTEM: &str = "You are a careful technical analyst. You read trading charts and \
answer with exactly one JSON object and nothing else (no prose, no code fence), with these \
fields: \"trend\": \"bullish\" | \"bearish\" | \"neutral\"; \"signals\": array of short \
strings, one observation each; \"recommendation\": \"LONG\" | \"SHORT\" | \"NEUTRAL\"; \
\"entryPrice\": number; \"stopLoss\": number or null; \"takeProfit\": number or null; \
\"confidence\": integer 1 to 10; \"riskRewardRatio\": number or null; \"analysisText\": \
string, a few sentences; \"keyLevels\": {\"support\": [numbers], \"resistance\": [numbers]}. \
For LONG the stop is below the entry and the target above it; for SHORT the other way \
round; NEUTRAL may leave stop and target null. Use only prices that the chart and the \
context make plausible.";

/// What to ask about a chart: the user's prompt (or spec 004's default), the figures the
/// technical analyst computed on the same bars, and the caller's options as given.
pub fn question(
    symbol: &str,
    interval: &str,
    user_prompt: &str,
    options: &serde_json::Value,
    t: &Analysis,
) -> String {
    let mut q = if user_prompt.trim().is_empty() {
        format!(
            "Analyze this {symbol} {interval} trading chart: trend and its strength, the \
             visible indicators, support and resistance, volume, a clear recommendation \
             with entry, stop loss and take profit, and your confidence."
        )
    } else {
        format!("{symbol} {interval} chart. {}", user_prompt.trim())
    };
    let levels = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    q.push_str(&format!(
        "\n\nComputed on the bars behind the chart: last close {:.2}; trend {:?} ({:?}), \
         ADX {}, SMA 50 slope {}; technical rating {:.2} ({:?}); support {}; resistance {}.",
        t.entry_price,
        t.trend.direction,
        t.trend.strength,
        t.trend.adx.map_or("n/a".into(), |a| format!("{a:.1}")),
        t.trend
            .sma50_slope_pct
            .map_or("n/a".into(), |s| format!("{s:+.2}% over 10 bars")),
        t.rating.score,
        t.rating.label,
        levels(&t.key_levels.support),
        levels(&t.key_levels.resistance),
    ));
    if !t.signals.is_empty() {
        q.push_str("\nSignals: ");
        q.push_str(&t.signals.join("; "));
        q.push('.');
    }
    if options.as_object().is_some_and(|o| !o.is_empty()) {
        q.push_str(&format!("\nOptions: {options}"));
    }
    q.push_str("\n\nAnswer with the JSON object only.");
    q
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    trend: String,
    #[serde(default)]
    signals: Vec<String>,
    recommendation: String,
    entry_price: Option<f64>,
    stop_loss: Option<f64>,
    take_profit: Option<f64>,
    confidence: f64,
    risk_reward_ratio: Option<f64>,
    #[serde(alias = "text")]
    analysis_text: String,
    #[serde(default)]
    key_levels: Option<Levels>,
}

#[derive(Deserialize, Default)]
struct Levels {
    #[serde(default)]
    support: Vec<f64>,
    #[serde(default)]
    resistance: Vec<f64>,
}

/// Reads a model's answer into an analysis, or says precisely what is wrong with it (the
/// retry quotes this to the model).
pub fn parse(text: &str) -> Result<AnalysisView, String> {
    // Models wrap JSON in code fences or a sentence now and then: take the outermost object.
    let (Some(start), Some(end)) = (text.find('{'), text.rfind('}')) else {
        return Err("the answer contains no JSON object".into());
    };
    if end < start {
        return Err("the answer contains no JSON object".into());
    }
    let r: Reply = serde_json::from_str(&text[start..=end])
        .map_err(|e| format!("the JSON does not have the required shape: {e}"))?;
    let trend = match r.trend.to_ascii_lowercase().as_str() {
        "bullish" => "bullish",
        "bearish" => "bearish",
        "neutral" | "sideways" => "sideways",
        other => {
            return Err(format!(
                "trend must be bullish, bearish or neutral; got '{other}'"
            ))
        }
    };
    let rec = r.recommendation.to_ascii_uppercase();
    if !matches!(rec.as_str(), "LONG" | "SHORT" | "NEUTRAL") {
        return Err(format!(
            "recommendation must be LONG, SHORT or NEUTRAL; got '{}'",
            r.recommendation
        ));
    }
    if !(r.confidence.fract() == 0.0 && (1.0..=10.0).contains(&r.confidence)) {
        return Err(format!(
            "confidence must be an integer from 1 to 10; got {}",
            r.confidence
        ));
    }
    let price = |name: &str, v: Option<f64>| match v {
        Some(x) if !(x.is_finite() && x > 0.0) => {
            Err(format!("{name} must be a positive price; got {x}"))
        }
        _ => Ok(v),
    };
    let entry =
        price("entryPrice", r.entry_price)?.ok_or_else(|| "entryPrice is required".to_string())?;
    let stop = price("stopLoss", r.stop_loss)?;
    let target = price("takeProfit", r.take_profit)?;
    match (rec.as_str(), stop, target) {
        ("LONG", Some(s), Some(t)) if !(s < entry && entry < t) => {
            return Err(format!(
                "for LONG the stop ({s}) must be below the entry ({entry}) and the target ({t}) above it"
            ))
        }
        ("SHORT", Some(s), Some(t)) if !(t < entry && entry < s) => {
            return Err(format!(
                "for SHORT the target ({t}) must be below the entry ({entry}) and the stop ({s}) above it"
            ))
        }
        ("LONG" | "SHORT", None, _) | ("LONG" | "SHORT", _, None) => {
            return Err(format!("{rec} needs both stopLoss and takeProfit"))
        }
        _ => {}
    }
    if r.analysis_text.trim().is_empty() {
        return Err("analysisText must not be empty".into());
    }
    let levels = r.key_levels.unwrap_or_default();
    if levels
        .support
        .iter()
        .chain(&levels.resistance)
        .any(|x| !(x.is_finite() && *x > 0.0))
    {
        return Err("keyLevels must hold positive prices".into());
    }
    // The ratio follows from the prices; a model's own arithmetic is not trusted.
    let rr = match (stop, target) {
        (Some(s), Some(t)) if (entry - s).abs() > 0.0 => {
            Some(((t - entry).abs() / (entry - s).abs() * 100.0).round() / 100.0)
        }
        _ => r.risk_reward_ratio.filter(|x| x.is_finite() && *x >= 0.0),
    };
    Ok(AnalysisView {
        trend: trend.into(),
        signals: r
            .signals
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .take(20)
            .collect(),
        recommendation: rec,
        entry_price: Some(entry),
        stop_loss: stop,
        take_profit: target,
        confidence: r.confidence as u8,
        risk_reward_ratio: rr,
        analysis_text: r.analysis_text.trim().to_string(),
        key_levels: KeyLevelsView {
            support: levels.support,
            resistance: levels.resistance,
        },
        score: None,
    })
}

/// The model's analysis and the tokens it used, or why there is none.
pub async fn ask(
    model: &dyn VisionModel,
    question: String,
    png: Vec<u8>,
) -> Result<(AnalysisView, Option<i64>), String> {
    let mut req = VisionRequest {
        system: SYSTEM.into(),
        prompt: question.clone(),
        png,
        max_tokens: MAX_TOKENS,
    };
    let mut tokens = 0i64;
    let mut last_problem = String::new();
    for attempt in 0..2 {
        let reply: VisionReply = match tokio::time::timeout(model.timeout(), model.ask(&req)).await
        {
            Err(_) => return Err(format!("no answer within {} s", model.timeout().as_secs())),
            Ok(Err(e)) => return Err(e.to_string()),
            Ok(Ok(r)) => r,
        };
        tokens += reply.tokens_used.unwrap_or(0);
        match parse(&reply.text) {
            Ok(a) => return Ok((a, (tokens > 0).then_some(tokens))),
            Err(problem) => {
                tracing::warn!(attempt, %problem, "LLM analysis answer refused");
                req.prompt = format!(
                    "{question}\n\nYour previous answer was not usable: {problem}. Answer again \
                     with the JSON object only."
                );
                last_problem = problem;
            }
        }
    }
    Err(format!(
        "the model's answer was not usable twice ({last_problem})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"trend":"bullish","signals":["RSI bounced from 30 to 63","Price above the 50-day average"],
        "recommendation":"LONG","entryPrice":106.5,"stopLoss":104.5,"takeProfit":109,"confidence":8,
        "riskRewardRatio":9.9,"analysisText":"Momentum turned up.","keyLevels":{"support":[102.3,104.5],"resistance":[107.4]}}"#;

    #[test]
    fn a_good_answer_is_taken_with_the_ratio_recomputed() {
        let a = parse(&format!("Here you go:\n```json\n{GOOD}\n```")).unwrap();
        assert_eq!(a.trend, "bullish");
        assert_eq!(a.recommendation, "LONG");
        assert_eq!(a.entry_price, Some(106.5));
        assert_eq!(a.stop_loss, Some(104.5));
        assert_eq!(a.take_profit, Some(109.0));
        assert_eq!(a.confidence, 8);
        // (109 - 106.5) / (106.5 - 104.5) = 1.25, not the model's 9.9.
        assert_eq!(a.risk_reward_ratio, Some(1.25));
        assert_eq!(a.signals.len(), 2);
        assert_eq!(a.key_levels.support, vec![102.3, 104.5]);
    }

    #[test]
    fn bad_answers_are_refused_with_the_reason() {
        let with = |k: &str, v: &str| {
            let mut j: serde_json::Value = serde_json::from_str(GOOD).unwrap();
            j[k] = serde_json::from_str(v).unwrap();
            parse(&j.to_string()).unwrap_err()
        };
        assert_eq!(
            parse("I think it goes up.").unwrap_err(),
            "the answer contains no JSON object"
        );
        assert!(parse("{\"trend\":\"bullish\"}")
            .unwrap_err()
            .starts_with("the JSON does not have the required shape"));
        assert_eq!(
            with("trend", "\"up\""),
            "trend must be bullish, bearish or neutral; got 'up'"
        );
        assert_eq!(
            with("recommendation", "\"BUY\""),
            "recommendation must be LONG, SHORT or NEUTRAL; got 'BUY'"
        );
        assert_eq!(
            with("confidence", "11"),
            "confidence must be an integer from 1 to 10; got 11"
        );
        assert_eq!(
            with("confidence", "7.5"),
            "confidence must be an integer from 1 to 10; got 7.5"
        );
        assert_eq!(
            with("entryPrice", "-3"),
            "entryPrice must be a positive price; got -3"
        );
        assert_eq!(
            with("stopLoss", "107"),
            "for LONG the stop (107) must be below the entry (106.5) and the target (109) above it"
        );
        assert_eq!(
            with("takeProfit", "null"),
            "LONG needs both stopLoss and takeProfit"
        );
        assert_eq!(
            with("analysisText", "\" \""),
            "analysisText must not be empty"
        );
        assert_eq!(
            with("keyLevels", "{\"support\":[0]}"),
            "keyLevels must hold positive prices"
        );
    }

    #[test]
    fn short_and_neutral_calls_have_their_own_rules() {
        let short = r#"{"trend":"bearish","signals":[],"recommendation":"short","entryPrice":50,
            "stopLoss":52,"takeProfit":46,"confidence":6,"text":"Breakdown."}"#;
        let a = parse(short).unwrap();
        assert_eq!(
            (a.recommendation.as_str(), a.risk_reward_ratio),
            ("SHORT", Some(2.0))
        );
        let neutral = r#"{"trend":"neutral","recommendation":"NEUTRAL","entryPrice":50,
            "stopLoss":null,"takeProfit":null,"confidence":3,"analysisText":"Range."}"#;
        let n = parse(neutral).unwrap();
        assert_eq!(
            (n.trend.as_str(), n.stop_loss, n.risk_reward_ratio),
            ("sideways", None, None)
        );
    }
}
