//! A first guess at a [`ColumnMapping`] for the column mapper: the file's header, a few
//! sample rows, and for each field the header that names it in a common way. The date
//! format is the first common one that reads every sampled row (empty, meaning "the usual
//! forms", when none does). The trader checks and corrects the guess before importing.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::csvtext::{records, sniff_delimiter};
use super::ColumnMapping;

/// How many rows the mapper shows and the date format must read.
pub const SAMPLE_ROWS: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingSuggestion {
    pub headers: Vec<String>,
    /// The first data rows, cell by cell.
    pub sample: Vec<Vec<String>>,
    pub mapping: ColumnMapping,
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Picks headers for fields, each header used once.
struct Picker<'a> {
    names: Vec<String>,
    headers: &'a [String],
    taken: Vec<bool>,
}

impl<'a> Picker<'a> {
    fn new(headers: &'a [String]) -> Self {
        Picker {
            names: headers.iter().map(|h| squash(h)).collect(),
            headers,
            taken: vec![false; headers.len()],
        }
    }

    /// The first free header equal to one of `exact`, else containing one of `parts` and
    /// none of `not`.
    fn pick(&mut self, exact: &[&str], parts: &[&str], not: &[&str]) -> Option<String> {
        let free = |i: &usize| !self.taken[*i];
        let i = exact
            .iter()
            .find_map(|e| {
                (0..self.names.len())
                    .filter(free)
                    .find(|&i| self.names[i] == *e)
            })
            .or_else(|| {
                parts.iter().find_map(|p| {
                    (0..self.names.len()).filter(free).find(|&i| {
                        self.names[i].contains(p) && !not.iter().any(|n| self.names[i].contains(n))
                    })
                })
            })?;
        self.taken[i] = true;
        Some(self.headers[i].trim().to_string())
    }

    fn pick_all(&mut self, parts: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(h) = self.pick(&[], parts, &[]) {
            out.push(h);
        }
        out
    }
}

const DATES: &[&str] = &[
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%d %b %Y",
];
const TIMES: &[&str] = &[
    "%H:%M:%S",
    "%H:%M",
    "%I:%M:%S %p",
    "%I:%M %p",
    "%H:%M:%S%.f",
    "%H%M%S",
];

/// Every date format, every date-and-time format joined by a space or `T` or `, `.
fn candidates() -> impl Iterator<Item = String> {
    let joined = DATES.iter().flat_map(|d| {
        TIMES.iter().flat_map(move |t| {
            [" ", "T", ", "]
                .into_iter()
                .map(move |sep| format!("{d}{sep}{t}"))
        })
    });
    joined.chain(DATES.iter().map(|d| d.to_string()))
}

fn reads(value: &str, format: &str) -> bool {
    NaiveDateTime::parse_from_str(value, format).is_ok()
        || NaiveDate::parse_from_str(value, format).is_ok()
}

/// The first candidate format that reads every value (none for no values).
pub fn guess_datetime_format(values: &[String]) -> Option<String> {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return None;
    }
    candidates().find(|f| values.iter().all(|v| reads(v, f)))
}

/// The header, sample rows and a guessed mapping of a CSV's text; None without a header.
pub fn suggest_mapping(text: &str) -> Option<MappingSuggestion> {
    let text = text.trim_start_matches('\u{feff}');
    let recs = records(text, sniff_delimiter(text));
    let mut rows = recs.into_iter().filter(|r| !r.is_blank());
    let headers: Vec<String> = rows
        .next()?
        .cells
        .iter()
        .map(|c| c.trim().to_string())
        .collect();
    let sample: Vec<Vec<String>> = rows.take(SAMPLE_ROWS).map(|r| r.cells).collect();

    let mut p = Picker::new(&headers);
    let date = p
        .pick(
            &["datetime", "timestamp", "date", "tradedate"],
            &["datetime", "date", "executed", "filled", "time"],
            &[],
        )
        .unwrap_or_default();
    let date_has_time = squash(&date).contains("time") || squash(&date) == "executed";
    let time = if date_has_time {
        None
    } else {
        p.pick(&["time", "tradetime"], &["time"], &["zone"])
    };
    let symbol = p
        .pick(
            &["symbol", "ticker"],
            &["symbol", "ticker", "instrument", "contract", "security"],
            &[],
        )
        .unwrap_or_default();
    let side = p
        .pick(
            &["side", "action", "buysell", "bs"],
            &["side", "action", "buysell", "direction"],
            &[],
        )
        .unwrap_or_default();
    let quantity = p
        .pick(
            &["quantity", "qty", "shares"],
            &["quantity", "qty", "shares", "filled", "size"],
            &[],
        )
        .unwrap_or_default();
    let price = p
        .pick(
            &["price", "fillprice", "avgprice", "executionprice"],
            &[
                "fillprice",
                "avgprice",
                "execprice",
                "executionprice",
                "price",
            ],
            &["limit", "stop", "trigger"],
        )
        .unwrap_or_default();
    let fees = p.pick_all(&["commission", "fee"]);
    let account = p.pick(&["account", "acct"], &["account", "acct"], &[]);
    let exec_id = p.pick(
        &["execid", "executionid", "tradeid", "fillid"],
        &["execid", "executionid", "tradeid", "fillid"],
        &[],
    );
    let order_id = p.pick(&["orderid", "order"], &["orderid", "ordernumber"], &[]);

    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let stamps: Vec<String> = match column(&date) {
        Some(d) => sample
            .iter()
            .map(|r| {
                let day = r.get(d).map(|s| s.trim()).unwrap_or_default();
                match time.as_deref().and_then(column) {
                    Some(t) => format!("{day} {}", r.get(t).map(|s| s.trim()).unwrap_or_default()),
                    None => day.to_string(),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let datetime_format = guess_datetime_format(&stamps).unwrap_or_default();
    Some(MappingSuggestion {
        headers,
        sample,
        mapping: ColumnMapping {
            date,
            time,
            datetime_format,
            symbol,
            side,
            quantity,
            price,
            fees,
            account,
            exec_id,
            order_id,
            timezone: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_european_broker_file_is_mapped_field_by_field() {
        let csv = "\u{feff}Trade Date;Trade Time;Ticker;Buy/Sell;Shares;Limit Price;Fill Price;Commission;Exchange Fee;Order ID\n\
                   04.03.2024;09:30:05;SAP;Buy;10;180,00;179,50;1,00;0,10;A1\n\
                   05.03.2024;15:59:59;SAP;Sell;10;;185,25;1,00;0,10;A2\n";
        let s = suggest_mapping(csv).expect("a header");
        assert_eq!(s.headers.len(), 10);
        assert_eq!(s.sample.len(), 2);
        let m = s.mapping;
        assert_eq!(m.date, "Trade Date");
        assert_eq!(m.time.as_deref(), Some("Trade Time"));
        assert_eq!(m.datetime_format, "%d.%m.%Y %H:%M:%S");
        assert_eq!(m.symbol, "Ticker");
        assert_eq!(m.side, "Buy/Sell");
        assert_eq!(m.quantity, "Shares");
        assert_eq!(m.price, "Fill Price", "the limit price is not the fill");
        assert_eq!(m.fees, ["Commission", "Exchange Fee"]);
        assert_eq!(m.order_id.as_deref(), Some("Order ID"));
        assert_eq!(m.account, None);
    }

    #[test]
    fn one_date_time_column_and_us_dates_with_am_pm() {
        let csv = "Executed At,Symbol,Side,Qty,Price,Fees,Account\n\
                   03/04/2024 09:30:00 AM,AAPL,BUY,100,170.00,0.35,U1\n\
                   03/14/2024 03:05:10 PM,AAPL,SELL,100,172.50,0.35,U1\n";
        let m = suggest_mapping(csv).expect("a header").mapping;
        assert_eq!(m.date, "Executed At");
        assert_eq!(m.time, None);
        assert_eq!(m.datetime_format, "%m/%d/%Y %I:%M:%S %p");
        assert_eq!(m.account.as_deref(), Some("Account"));
        assert_eq!(m.fees, ["Fees"]);
    }

    #[test]
    fn day_first_is_chosen_when_a_day_exceeds_twelve() {
        let f = guess_datetime_format(&["04/03/2024".into(), "25/03/2024".into()]);
        assert_eq!(f.as_deref(), Some("%d/%m/%Y"));
        let f = guess_datetime_format(&["2024-03-04T09:30:00".into()]);
        assert_eq!(f.as_deref(), Some("%Y-%m-%dT%H:%M:%S"));
        assert_eq!(guess_datetime_format(&["soon".into()]), None);
        assert_eq!(guess_datetime_format(&[]), None);
    }

    #[test]
    fn unknown_headers_leave_fields_empty_and_empty_text_has_no_header() {
        let m = suggest_mapping("a,b,c\n1,2,3\n").expect("a header").mapping;
        assert_eq!(
            (m.date.as_str(), m.symbol.as_str(), m.price.as_str()),
            ("", "", "")
        );
        assert_eq!(m.datetime_format, "");
        assert!(suggest_mapping("").is_none());
        assert!(suggest_mapping("\n\n").is_none());
    }

    #[test]
    fn the_committed_custom_broker_sample_is_mapped_whole() {
        let csv = include_str!("../../tests/data/imports/custom_broker.csv");
        let m = suggest_mapping(csv).expect("a header").mapping;
        assert_eq!(
            (
                m.side.as_str(),
                m.price.as_str(),
                m.account.as_deref(),
                m.exec_id.as_deref()
            ),
            ("B/S", "Fill Price", Some("Acct"), Some("Exec ID"))
        );
        assert_eq!(m.fees, ["Commission", "Reg Fee"]);
        assert_eq!(m.datetime_format, "%d.%m.%Y %H:%M:%S");
    }

    #[test]
    fn the_suggestion_imports_its_own_file() {
        let csv = "Trade Date;Trade Time;Ticker;Buy/Sell;Shares;Fill Price;Commission\n\
                   04.03.2024;09:30:05;SAP;Buy;10;179,50;1,00\n\
                   05.03.2024;15:59:59;SAP;Sell;10;185,25;1,00\n";
        let mapping = suggest_mapping(csv).expect("a header").mapping;
        let opts = crate::import::ImportOptions {
            timezone: chrono_tz::Europe::Berlin,
            account: None,
            format: Some(crate::import::Format::Mapped),
            mapping: Some(mapping),
        };
        let out = crate::import::parse(csv.as_bytes(), &opts).expect("parses");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.rows.len(), 2);
        assert_eq!(out.rows[1].execution.price.to_string(), "185.25");
    }
}
