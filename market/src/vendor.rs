//! Pure decoders for vendor JSON, and the request paths to fetch it.
//!
//! The HTTP client lives elsewhere: it builds the URL from the base
//! (`https://api.polygon.io`, `https://www.alphavantage.co`) plus the paths here, adds
//! the API key (Polygon: `Authorization: Bearer …` or `&apiKey=`; Alpha Vantage:
//! `&apikey=`), and hands the response body to a decoder. HTTP status codes matter
//! less than the bodies: Alpha Vantage answers errors with status 200.
//!
//! Timestamps: intraday bars keep the vendor's UTC millisecond open time. Daily bars
//! are relabelled to 00:00 UTC of their exchange date (Polygon stamps them 00:00
//! America/New_York, i.e. 04:00 or 05:00 UTC of the same date) and weekly bars to the
//! Monday 00:00 UTC of their week (Polygon stamps weeks on the Sunday before), so
//! vendor bars line up with [`crate::resample::aggregate`] and the sample data.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::csv_bars::validate_symbol;
use crate::interval::DAY_MS;
use crate::{Bar, Interval};

/// A vendor answer that carries no bars.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VendorError {
    #[error("rate limited by the data vendor: {0}")]
    RateLimited(String),
    #[error("the data vendor refused the API key or plan: {0}")]
    Auth(String),
    #[error("unknown or invalid symbol: {0}")]
    BadSymbol(String),
    #[error("unexpected response from the data vendor: {0}")]
    Malformed(String),
    #[error("the data vendor reported an error: {0}")]
    Upstream(String),
    #[error("not supported: {0}")]
    Unsupported(String),
}

fn percent_encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `(multiplier, timespan)` of Polygon's aggregates endpoint for an interval.
pub fn polygon_timespan(interval: Interval) -> (u32, &'static str) {
    match interval {
        Interval::M1 => (1, "minute"),
        Interval::M5 => (5, "minute"),
        Interval::M15 => (15, "minute"),
        Interval::H1 => (1, "hour"),
        Interval::H4 => (4, "hour"),
        Interval::D1 => (1, "day"),
        Interval::W1 => (1, "week"),
    }
}

/// Path and query of Polygon.io's aggregates (v2) request, without the API key, e.g.
/// `/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2024-01-31?adjusted=true&sort=asc&limit=50000`.
/// The symbol is validated and uppercased; characters other than `A-Z 0-9 . -` are
/// percent-encoded.
pub fn polygon_aggs_path(
    symbol: &str,
    interval: Interval,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<String, VendorError> {
    let symbol = validate_symbol(symbol).map_err(VendorError::BadSymbol)?;
    if from > to {
        return Err(VendorError::Unsupported(format!(
            "date range starts {from} after it ends {to}"
        )));
    }
    let (mult, span) = polygon_timespan(interval);
    Ok(format!(
        "/v2/aggs/ticker/{}/range/{mult}/{span}/{}/{}?adjusted=true&sort=asc&limit=50000",
        percent_encode_segment(&symbol),
        from.format("%Y-%m-%d"),
        to.format("%Y-%m-%d"),
    ))
}

/// Path and query of Alpha Vantage's `TIME_SERIES_DAILY` request, without the API key:
/// `/query?function=TIME_SERIES_DAILY&symbol=IBM&outputsize=full` (`full` = whole
/// history; `false` gives `compact`, the last 100 days). Only `1D` is supported here.
pub fn alpha_vantage_daily_query(
    symbol: &str,
    interval: Interval,
    full: bool,
) -> Result<String, VendorError> {
    if interval != Interval::D1 {
        return Err(VendorError::Unsupported(format!(
            "Alpha Vantage is only wired for 1D bars, not {interval}"
        )));
    }
    let symbol = validate_symbol(symbol).map_err(VendorError::BadSymbol)?;
    Ok(format!(
        "/query?function=TIME_SERIES_DAILY&symbol={}&outputsize={}",
        percent_encode_segment(&symbol),
        if full { "full" } else { "compact" }
    ))
}

#[derive(Deserialize)]
struct PolygonBody {
    status: Option<String>,
    #[serde(default)]
    results: Option<Vec<PolygonAgg>>,
    error: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct PolygonAgg {
    t: i64,
    o: f64,
    h: f64,
    l: f64,
    c: f64,
    #[serde(default)]
    v: f64,
}

fn relabel(t: i64, interval: Interval) -> i64 {
    match interval {
        Interval::D1 => Interval::D1.bucket_start(t),
        // Sunday (vendor week start) or Monday -> that week's Monday.
        Interval::W1 => Interval::W1.bucket_start(Interval::D1.bucket_start(t) + DAY_MS),
        _ => t,
    }
}

/// Bar times beyond ±10^14 ms (about year 5138) are rejected as malformed.
const MAX_ABS_T: i64 = 100_000_000_000_000;

fn check_sane(t: i64, o: f64, h: f64, l: f64, c: f64, v: f64) -> Result<(), VendorError> {
    if !(-MAX_ABS_T..=MAX_ABS_T).contains(&t) {
        return Err(VendorError::Malformed(format!(
            "bar time t={t} is out of range"
        )));
    }
    let ok = [o, h, l, c].iter().all(|x| x.is_finite() && *x > 0.0) && v.is_finite() && v >= 0.0;
    if ok {
        Ok(())
    } else {
        Err(VendorError::Malformed(format!(
            "bar at t={t} has a non-positive or non-finite value (o={o} h={h} l={l} c={c} v={v})"
        )))
    }
}

fn sort_unique(mut bars: Vec<Bar>) -> Result<Vec<Bar>, VendorError> {
    bars.sort_by_key(|b| b.t);
    for w in bars.windows(2) {
        if w[0].t == w[1].t {
            return Err(VendorError::Malformed(format!(
                "two bars share the time t={}",
                w[0].t
            )));
        }
    }
    Ok(bars)
}

fn classify_polygon_error(status: &str, text: String) -> VendorError {
    let lower = text.to_ascii_lowercase();
    if status == "NOT_AUTHORIZED"
        || lower.contains("api key")
        || lower.contains("apikey")
        || lower.contains("not entitled")
    {
        VendorError::Auth(text)
    } else if lower.contains("exceeded the maximum requests") || lower.contains("rate limit") {
        VendorError::RateLimited(text)
    } else if lower.contains("ticker") && (lower.contains("invalid") || lower.contains("not found"))
    {
        VendorError::BadSymbol(text)
    } else {
        VendorError::Upstream(text)
    }
}

/// Decodes a Polygon.io aggregates v2 response body for bars of `interval`.
///
/// `status` `OK` and `DELAYED` carry bars (`results` is absent when there are none,
/// which is also how Polygon answers an unknown ticker: `Ok(vec![])`). `ERROR` and
/// `NOT_AUTHORIZED` become typed errors from their `error` / `message` text. Bars are
/// returned sorted ascending with times relabelled as described in the module docs.
/// A response with `next_url` is a partial page; the caller decides whether to follow it.
pub fn decode_polygon_aggs(body: &str, interval: Interval) -> Result<Vec<Bar>, VendorError> {
    let parsed: PolygonBody = serde_json::from_str(body)
        .map_err(|e| VendorError::Malformed(format!("Polygon aggregates JSON: {e}")))?;
    let status = parsed.status.unwrap_or_default();
    match status.as_str() {
        "OK" | "DELAYED" => {}
        "" => {
            return Err(VendorError::Malformed(
                "Polygon aggregates JSON has no status".to_string(),
            ))
        }
        other => {
            let text = parsed
                .error
                .or(parsed.message)
                .unwrap_or_else(|| format!("status {other}"));
            return Err(classify_polygon_error(other, text));
        }
    }
    let mut bars = Vec::new();
    for a in parsed.results.unwrap_or_default() {
        check_sane(a.t, a.o, a.h, a.l, a.c, a.v)?;
        bars.push(Bar {
            t: relabel(a.t, interval),
            o: a.o,
            h: a.h,
            l: a.l,
            c: a.c,
            v: a.v,
        });
    }
    sort_unique(bars)
}

#[derive(Deserialize)]
struct AlphaBody {
    #[serde(rename = "Time Series (Daily)")]
    series: Option<BTreeMap<String, AlphaDay>>,
    #[serde(rename = "Error Message")]
    error_message: Option<String>,
    #[serde(rename = "Note")]
    note: Option<String>,
    #[serde(rename = "Information")]
    information: Option<String>,
}

#[derive(Deserialize)]
struct AlphaDay {
    #[serde(rename = "1. open")]
    open: String,
    #[serde(rename = "2. high")]
    high: String,
    #[serde(rename = "3. low")]
    low: String,
    #[serde(rename = "4. close")]
    close: String,
    #[serde(rename = "5. volume")]
    volume: String,
}

fn classify_alpha_text(text: String) -> VendorError {
    let lower = text.to_ascii_lowercase();
    if lower.contains("rate limit")
        || lower.contains("call frequency")
        || lower.contains("requests per day")
        || lower.contains("calls per minute")
        || lower.contains("spreading out")
    {
        VendorError::RateLimited(text)
    } else if lower.contains("apikey")
        || lower.contains("api key")
        || lower.contains("premium")
        || lower.contains("demo")
    {
        VendorError::Auth(text)
    } else if lower.contains("invalid api call") {
        VendorError::BadSymbol(text)
    } else {
        VendorError::Upstream(text)
    }
}

fn alpha_number(date: &str, name: &str, s: &str) -> Result<f64, VendorError> {
    s.trim()
        .parse::<f64>()
        .map_err(|_| VendorError::Malformed(format!("{date}: {name} {s:?} is not a number")))
}

/// Decodes an Alpha Vantage `TIME_SERIES_DAILY` body. Bars get `t` = 00:00 UTC of the
/// date key, sorted ascending. `Error Message` bodies (Alpha Vantage's answer to an
/// unknown symbol: "Invalid API call. …") become [`VendorError::BadSymbol`] unless the
/// text is about the API key; `Note` and `Information` bodies are rate limits or plan /
/// key problems depending on their text.
pub fn decode_alpha_vantage_daily(body: &str) -> Result<Vec<Bar>, VendorError> {
    let parsed: AlphaBody = serde_json::from_str(body)
        .map_err(|e| VendorError::Malformed(format!("Alpha Vantage JSON: {e}")))?;
    if let Some(series) = parsed.series {
        let mut bars = Vec::with_capacity(series.len());
        for (date, day) in &series {
            let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                VendorError::Malformed(format!("date key {date:?} is not YYYY-MM-DD"))
            })?;
            let t = d
                .and_hms_opt(0, 0, 0)
                .map(|dt| dt.and_utc().timestamp_millis())
                .ok_or_else(|| VendorError::Malformed(format!("date key {date:?}")))?;
            let o = alpha_number(date, "open", &day.open)?;
            let h = alpha_number(date, "high", &day.high)?;
            let l = alpha_number(date, "low", &day.low)?;
            let c = alpha_number(date, "close", &day.close)?;
            let v = alpha_number(date, "volume", &day.volume)?;
            check_sane(t, o, h, l, c, v)?;
            bars.push(Bar { t, o, h, l, c, v });
        }
        return sort_unique(bars);
    }
    if let Some(msg) = parsed.error_message {
        let err = classify_alpha_text(msg);
        return Err(match err {
            VendorError::Upstream(text) => VendorError::BadSymbol(text),
            other => other,
        });
    }
    if let Some(msg) = parsed.note {
        return Err(match classify_alpha_text(msg) {
            VendorError::Upstream(text) => VendorError::RateLimited(text),
            other => other,
        });
    }
    if let Some(msg) = parsed.information {
        return Err(classify_alpha_text(msg));
    }
    Err(VendorError::Malformed(
        "Alpha Vantage JSON has neither \"Time Series (Daily)\" nor an error field".to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn polygon_paths() {
        let p = polygon_aggs_path("aapl", Interval::D1, date("2024-01-01"), date("2024-01-31"))
            .expect("path");
        assert_eq!(
            p,
            "/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2024-01-31?adjusted=true&sort=asc&limit=50000"
        );
        let spans: Vec<(u32, &str)> = Interval::ALL.iter().map(|i| polygon_timespan(*i)).collect();
        assert_eq!(
            spans,
            [
                (1, "minute"),
                (5, "minute"),
                (15, "minute"),
                (1, "hour"),
                (4, "hour"),
                (1, "day"),
                (1, "week")
            ]
        );
        let p = polygon_aggs_path(
            "BRK.B",
            Interval::H4,
            date("2024-01-02"),
            date("2024-01-02"),
        )
        .expect("path");
        assert!(p.starts_with("/v2/aggs/ticker/BRK.B/range/4/hour/2024-01-02/2024-01-02?"));
        let p = polygon_aggs_path(
            "^GSPC",
            Interval::M5,
            date("2024-01-02"),
            date("2024-01-03"),
        )
        .expect("path");
        assert!(
            p.starts_with("/v2/aggs/ticker/%5EGSPC/range/5/minute/"),
            "{p}"
        );
        assert!(matches!(
            polygon_aggs_path("A B", Interval::D1, date("2024-01-01"), date("2024-01-02")),
            Err(VendorError::BadSymbol(_))
        ));
        assert!(matches!(
            polygon_aggs_path("A", Interval::D1, date("2024-01-03"), date("2024-01-02")),
            Err(VendorError::Unsupported(_))
        ));
    }

    #[test]
    fn alpha_vantage_query() {
        assert_eq!(
            alpha_vantage_daily_query("ibm", Interval::D1, true),
            Ok("/query?function=TIME_SERIES_DAILY&symbol=IBM&outputsize=full".to_string())
        );
        assert_eq!(
            alpha_vantage_daily_query("IBM", Interval::D1, false),
            Ok("/query?function=TIME_SERIES_DAILY&symbol=IBM&outputsize=compact".to_string())
        );
        assert_eq!(
            alpha_vantage_daily_query("IBM", Interval::H1, true),
            Err(VendorError::Unsupported(
                "Alpha Vantage is only wired for 1D bars, not 1h".to_string()
            ))
        );
    }

    // Shape of Polygon's documented example response (daily bars stamped 00:00 New York).
    const POLYGON_DAILY: &str = r#"{
        "ticker": "AAPL",
        "queryCount": 2,
        "resultsCount": 2,
        "adjusted": true,
        "results": [
            {"v": 70790813, "vw": 131.6292, "o": 130.465, "c": 130.15, "h": 133.41, "l": 129.89, "t": 1673240400000, "n": 645365},
            {"v": 63896155, "vw": 132.8, "o": 130.26, "c": 133.49, "h": 133.67, "l": 130.0, "t": 1673326800000, "n": 604275}
        ],
        "status": "OK",
        "request_id": "6a7e466379af0a71039d60cc78e72282",
        "count": 2
    }"#;

    #[test]
    fn polygon_daily_bars_relabelled_to_utc_midnight() {
        let bars = decode_polygon_aggs(POLYGON_DAILY, Interval::D1).expect("bars");
        assert_eq!(
            bars,
            vec![
                // 2023-01-09 and 2023-01-10 00:00 UTC
                Bar::new(
                    1_673_222_400_000,
                    130.465,
                    133.41,
                    129.89,
                    130.15,
                    70_790_813.0
                ),
                Bar::new(
                    1_673_308_800_000,
                    130.26,
                    133.67,
                    130.0,
                    133.49,
                    63_896_155.0
                ),
            ]
        );
    }

    #[test]
    fn polygon_intraday_keeps_times_and_sorts() {
        let body = r#"{"ticker":"X:BTCUSD","queryCount":2,"resultsCount":2,"adjusted":true,
            "results":[{"v":2.5,"vw":42001.1,"o":42000,"c":42010,"h":42020,"l":41990,"t":1704153660000,"n":40},
                       {"v":1.5,"vw":42000.0,"o":41995,"c":42000,"h":42005,"l":41990,"t":1704153600000,"n":30}],
            "status":"DELAYED","request_id":"abc","next_url":"https://api.polygon.io/v2/aggs/ticker/X:BTCUSD/range/1/minute/1704153720000/2024-01-03?cursor=bGltaXQ9Mg"}"#;
        let bars = decode_polygon_aggs(body, Interval::M1).expect("bars");
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[0].t, 1_704_153_600_000);
        assert_eq!(bars[1].t, 1_704_153_660_000);
        assert_eq!(bars[1].v, 2.5);
    }

    #[test]
    fn polygon_weekly_sunday_stamp_goes_to_monday() {
        // Sunday 2023-01-08 00:00 New York = 05:00 UTC -> Monday 2023-01-09 00:00 UTC.
        let body = r#"{"ticker":"AAPL","status":"OK","queryCount":1,"resultsCount":1,"adjusted":true,
            "results":[{"v":1,"vw":1,"o":1,"c":1,"h":1,"l":1,"t":1673154000000,"n":1}],"request_id":"x"}"#;
        let bars = decode_polygon_aggs(body, Interval::W1).expect("bars");
        assert_eq!(bars[0].t, 1_673_222_400_000);
    }

    #[test]
    fn polygon_empty_and_errors() {
        let empty = r#"{"ticker":"NOPE","queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK","request_id":"r"}"#;
        assert_eq!(decode_polygon_aggs(empty, Interval::D1), Ok(vec![]));
        let bad_key = r#"{"status":"ERROR","request_id":"r","error":"Unknown API Key"}"#;
        assert_eq!(
            decode_polygon_aggs(bad_key, Interval::D1),
            Err(VendorError::Auth("Unknown API Key".to_string()))
        );
        let plan = r#"{"status":"NOT_AUTHORIZED","request_id":"r","message":"You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing"}"#;
        assert!(matches!(
            decode_polygon_aggs(plan, Interval::M1),
            Err(VendorError::Auth(_))
        ));
        let rate = r#"{"status":"ERROR","request_id":"r","error":"You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing"}"#;
        assert!(matches!(
            decode_polygon_aggs(rate, Interval::D1),
            Err(VendorError::RateLimited(_))
        ));
        let other = r#"{"status":"ERROR","request_id":"r","error":"Internal error"}"#;
        assert_eq!(
            decode_polygon_aggs(other, Interval::D1),
            Err(VendorError::Upstream("Internal error".to_string()))
        );
        assert!(matches!(
            decode_polygon_aggs("<html>502</html>", Interval::D1),
            Err(VendorError::Malformed(_))
        ));
        let neg = r#"{"status":"OK","results":[{"v":1,"o":-1,"c":1,"h":1,"l":1,"t":0}]}"#;
        assert!(matches!(
            decode_polygon_aggs(neg, Interval::D1),
            Err(VendorError::Malformed(_))
        ));
        let far = r#"{"status":"OK","results":[{"v":1,"o":1,"c":1,"h":1,"l":1,"t":9223372036854775807}]}"#;
        assert_eq!(
            decode_polygon_aggs(far, Interval::W1),
            Err(VendorError::Malformed(
                "bar time t=9223372036854775807 is out of range".to_string()
            ))
        );
    }

    const ALPHA_DAILY: &str = r#"{
        "Meta Data": {
            "1. Information": "Daily Prices (open, high, low, close) and Volumes",
            "2. Symbol": "IBM",
            "3. Last Refreshed": "2024-01-05",
            "4. Output Size": "Compact",
            "5. Time Zone": "US/Eastern"
        },
        "Time Series (Daily)": {
            "2024-01-05": {"1. open": "160.9000", "2. high": "161.8900", "3. low": "158.9000", "4. close": "159.1600", "5. volume": "3707416"},
            "2024-01-04": {"1. open": "160.2900", "2. high": "161.6700", "3. low": "159.8100", "4. close": "161.1000", "5. volume": "4192000"}
        }
    }"#;

    #[test]
    fn alpha_vantage_daily_bars() {
        let bars = decode_alpha_vantage_daily(ALPHA_DAILY).expect("bars");
        assert_eq!(
            bars,
            vec![
                Bar::new(
                    1_704_326_400_000,
                    160.29,
                    161.67,
                    159.81,
                    161.1,
                    4_192_000.0
                ),
                Bar::new(1_704_412_800_000, 160.9, 161.89, 158.9, 159.16, 3_707_416.0),
            ]
        );
    }

    #[test]
    fn alpha_vantage_errors() {
        let bad = r#"{"Error Message": "Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY."}"#;
        assert!(matches!(
            decode_alpha_vantage_daily(bad),
            Err(VendorError::BadSymbol(_))
        ));
        let key = r#"{"Error Message": "the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds."}"#;
        assert!(matches!(
            decode_alpha_vantage_daily(key),
            Err(VendorError::Auth(_))
        ));
        let note = r#"{"Note": "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency."}"#;
        assert!(matches!(
            decode_alpha_vantage_daily(note),
            Err(VendorError::RateLimited(_))
        ));
        let info = r#"{"Information": "Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits."}"#;
        assert!(matches!(
            decode_alpha_vantage_daily(info),
            Err(VendorError::RateLimited(_))
        ));
        let premium = r#"{"Information": "Thank you for using Alpha Vantage! The outputsize=full parameter value is a premium feature for the TIME_SERIES_DAILY endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium features"}"#;
        assert!(matches!(
            decode_alpha_vantage_daily(premium),
            Err(VendorError::Auth(_))
        ));
        assert!(matches!(
            decode_alpha_vantage_daily("{}"),
            Err(VendorError::Malformed(_))
        ));
        let bad_num = r#"{"Time Series (Daily)": {"2024-01-05": {"1. open": "x", "2. high": "1", "3. low": "1", "4. close": "1", "5. volume": "1"}}}"#;
        assert_eq!(
            decode_alpha_vantage_daily(bad_num),
            Err(VendorError::Malformed(
                "2024-01-05: open \"x\" is not a number".to_string()
            ))
        );
        let bad_date = r#"{"Time Series (Daily)": {"Jan 5": {"1. open": "1", "2. high": "1", "3. low": "1", "4. close": "1", "5. volume": "1"}}}"#;
        assert!(matches!(
            decode_alpha_vantage_daily(bad_date),
            Err(VendorError::Malformed(_))
        ));
    }
}
