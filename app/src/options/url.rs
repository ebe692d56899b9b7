//! A strategy in a link: compact JSON, base64url, in the `s` query parameter. Anyone
//! opening the link sees the same strategy, priced in their browser.

use super::spec::StrategySpec;
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Links longer than this are refused on the way in (a dozen legs need ~2 KB).
const MAX_ENCODED: usize = 8_192;

pub fn encode(spec: &StrategySpec) -> String {
    let json = serde_json::to_vec(spec).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

pub fn decode(s: &str) -> Result<StrategySpec, AppError> {
    if s.len() > MAX_ENCODED {
        return Err(AppError::invalid("s", "This strategy link is too long"));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(s.trim())
        .map_err(|_| AppError::invalid("s", "This strategy link is damaged (not base64url)"))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| AppError::invalid("s", format!("This strategy link is damaged: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::templates::build;
    use crate::options::{MarketSpec, StrategySpec};

    #[test]
    fn round_trips_and_rejects_damage() {
        let spec = StrategySpec {
            name: "condor".into(),
            market: MarketSpec {
                spot: 100.0,
                r: 0.05,
                q: 0.01,
                vol: 0.25,
            },
            legs: build("iron_condor", 100.0, 45.0).unwrap(),
            eval_days: 10.0,
            drift: Some(0.07),
        };
        let s = encode(&spec);
        assert!(s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(decode(&s).unwrap(), spec);
        assert!(decode("%%%").is_err());
        assert!(decode(&s[..s.len() / 2]).is_err());
        assert!(decode(&"A".repeat(9000)).is_err());
    }
}
