//! Analytics read every closed trade of a filter. Decoding 100,000 rows through sqlx's
//! SQLite worker cost about 10 µs a row (a second per request), so SQLite packs the rows
//! into one text value instead (`group_concat`), parsed here: fields separated by U+001F,
//! trades by U+001E, text fields hex-encoded so no user text can forge a separator, times
//! as stored (RFC 3339) or as epoch microseconds. (PostgreSQL decodes rows quickly and
//! keeps them: packing with `string_agg` measured slower there.)

use app::ssr::journal_store::ClosedRow;
use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

pub const FIELD: char = '\u{1f}';
pub const RECORD: char = '\u{1e}';

fn text(hex_field: &str, what: &str) -> Result<String, String> {
    let bytes = hex::decode(hex_field).map_err(|e| format!("{what}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| format!("{what}: {e}"))
}

fn time(raw: &str, what: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(micros) = raw.parse::<i64>() {
        return DateTime::from_timestamp_micros(micros).ok_or_else(|| format!("{what}: {raw}"));
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            DateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%.f%#z").map(|t| t.with_timezone(&Utc))
        })
        .or_else(|_| {
            NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%.f").map(|t| t.and_utc())
        })
        .map_err(|_| format!("{what}: '{raw}' is not a time"))
}

fn dec(raw: &str, what: &str) -> Result<Decimal, String> {
    Decimal::from_str(raw)
        .or_else(|_| Decimal::from_scientific(raw))
        .map_err(|e| format!("{what}: '{raw}': {e}"))
}

/// The rows of one packed value, in its order; empty text is no rows.
pub fn parse(packed: &str) -> Result<Vec<ClosedRow>, String> {
    if packed.is_empty() {
        return Ok(Vec::new());
    }
    packed
        .split(RECORD)
        .map(|rec| {
            let f: Vec<&str> = rec.split(FIELD).collect();
            let [id, symbol, instrument, setup, opened, closed, pnl, fees, entry, stop, qty, mult] =
                f[..]
            else {
                return Err(format!("a packed trade has {} fields, not 12", f.len()));
            };
            Ok(ClosedRow {
                id: Uuid::parse_str(id).map_err(|e| format!("id: {e}"))?,
                symbol: text(symbol, "symbol")?,
                instrument: text(instrument, "instrument")?,
                // '+' marks a setup (empty is NULL).
                setup: setup
                    .strip_prefix('+')
                    .map(|h| text(h, "setup"))
                    .transpose()?,
                opened_at: time(opened, "opened_at")?,
                closed_at: time(closed, "closed_at")?,
                pnl: dec(pnl, "pnl")?,
                fees: dec(fees, "fees")?,
                entry_price: dec(entry, "entry_price")?,
                stop_price: (!stop.is_empty())
                    .then(|| dec(stop, "stop_price"))
                    .transpose()?,
                quantity: dec(qty, "quantity")?,
                multiplier: dec(mult, "multiplier")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(fields: &[&str]) -> String {
        fields.join(&FIELD.to_string())
    }

    #[test]
    fn both_backends_layouts_parse_exactly() {
        let sqlite = pack(&[
            "0F1E2D3C4B5A69788796A5B4C3D2E1F0",
            &hex::encode_upper("AAPL"),
            &hex::encode_upper("equity"),
            &format!("+{}", hex::encode_upper("Break\u{1e}out")),
            "2024-03-04T14:30:00+00:00",
            "2024-03-04T15:15:00.250+00:00",
            "248.00",
            "2.00",
            "170.00",
            "",
            "100",
            "1",
        ]);
        let pg = pack(&[
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            &hex::encode("TSLA"),
            &hex::encode("equity"),
            "",
            "1709562600000000",
            "1709565300250000",
            "-12.3456",
            "0.0035",
            "200",
            "195.5",
            "50",
            "100",
        ]);
        let rows = parse(&format!("{sqlite}{RECORD}{pg}")).expect("parses");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id, rows[1].id);
        assert_eq!(
            rows[0].setup.as_deref(),
            Some("Break\u{1e}out"),
            "user text cannot split"
        );
        assert_eq!(rows[0].closed_at, rows[1].closed_at);
        assert_eq!(rows[0].closed_at.timestamp_subsec_millis(), 250);
        assert_eq!(rows[0].pnl.to_string(), "248.00");
        assert_eq!(rows[1].pnl.to_string(), "-12.3456");
        assert_eq!(rows[0].stop_price, None);
        assert_eq!(
            rows[1].stop_price.map(|d| d.to_string()).as_deref(),
            Some("195.5")
        );
        assert_eq!(rows[1].setup, None);
        assert_eq!(parse("").expect("empty"), Vec::new());
        assert!(parse("x").unwrap_err().contains("1 fields"));
    }
}
