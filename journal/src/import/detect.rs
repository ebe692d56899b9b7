//! Format detection from section markers and header rows.

use super::csvtext::{self, Columns};
use super::Format;

/// How many leading records are searched for a flat format's header (exports put a title,
/// a `MSG` notice or blank lines above it).
const HEADER_SCAN: usize = 30;

pub(crate) fn detect(text: &str) -> Option<Format> {
    let text = text.trim_start_matches('\u{feff}');
    sectioned(text).or_else(|| flat(text))
}

/// Multi-section statements, recognised by their markers anywhere in the file (their
/// trade sections often start hundreds of lines down).
fn sectioned(text: &str) -> Option<Format> {
    for (i, line) in text.lines().enumerate() {
        // Every marker starts with one of these (after quotes): skip data rows before
        // copying them without their quotes.
        let lead = line.trim().trim_start_matches('"');
        if !lead.starts_with(['T', 'S', 'A', ',']) {
            continue;
        }
        let plain: String = line.trim().chars().filter(|&c| c != '"').collect();
        if plain.starts_with("Trades,Header,") || plain.starts_with("Statement,Header,Field Name") {
            return Some(Format::IbkrActivity);
        }
        if plain == "Account Trade History"
            || plain.starts_with(",Exec Time,Spread,Side,Qty")
            || (i < 3 && plain.starts_with("Account Statement for "))
        {
            return Some(Format::Thinkorswim);
        }
    }
    None
}

fn flat(text: &str) -> Option<Format> {
    if text.lines().take(3).any(|l| {
        l.trim_start_matches('"').starts_with("Transactions ") && l.contains("for account")
    }) {
        return Some(Format::Schwab);
    }
    let delimiter = csvtext::sniff_delimiter(text);
    // Only the head of the file is split: detection must stay cheap on large exports.
    let head: String = text
        .lines()
        .take(HEADER_SCAN)
        .collect::<Vec<_>>()
        .join("\n");
    csvtext::records(&head, delimiter).iter().find_map(|r| {
        // IBKR Flex files with section headers prefix rows with HEADER/DATA and a code.
        let cells = match r.cell(0) {
            "HEADER" | "DATA" => r.cells.get(2..).unwrap_or(&[]),
            _ => &r.cells[..],
        };
        header_format(&Columns::new(cells))
    })
}

/// The format a header row belongs to, if it is one.
pub(crate) fn header_format(c: &Columns) -> Option<Format> {
    if c.has(&["ClientAccountID", "IBCommission", "IBOrderID", "IBExecID"])
        || (c.has(&["Buy/Sell"]) && c.has(&["TradePrice"]))
    {
        return Some(Format::IbkrFlex);
    }
    if c.has(&["Sub Type"]) && c.has(&["Instrument Type"]) && c.has(&["Average Price", "Value"]) {
        return Some(Format::Tastytrade);
    }
    if c.has(&["Activity Date"]) && c.has(&["Trans Code"]) {
        return Some(Format::Robinhood);
    }
    if c.has(&["Filled Time"]) && c.has(&["Total Qty", "Filled"]) && c.has(&["Side"]) {
        return Some(Format::Webull);
    }
    if c.has(&["Action"]) && c.has(&["Fees & Comm"]) {
        return Some(Format::Schwab);
    }
    if c.has(&["Date"])
        && c.has(&["Symbol"])
        && c.has(&["Quantity", "Qty"])
        && c.has(&["Price"])
        && c.has(&["Side"])
    {
        return Some(Format::Generic);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let cases = [
            ("\"ClientAccountID\",\"Symbol\",\"Quantity\"\n", Format::IbkrFlex),
            ("Trades,Header,DataDiscriminator,Asset Category\n", Format::IbkrActivity),
            ("Account Statement for 123 (margin) since 3/1/24\n", Format::Thinkorswim),
            ("\"Date\",\"Action\",\"Symbol\",\"Description\",\"Quantity\",\"Price\",\"Fees & Comm\",\"Amount\"\n", Format::Schwab),
            ("Date,Type,Sub Type,Action,Symbol,Instrument Type,Description,Value,Quantity,Average Price\n", Format::Tastytrade),
            ("\"Activity Date\",\"Process Date\",\"Settle Date\",\"Instrument\",\"Description\",\"Trans Code\"\n", Format::Robinhood),
            ("Name,Symbol,Side,Status,Filled,Total Qty,Price,Avg Price,Time-in-Force,Placed Time,Filled Time\n", Format::Webull),
            ("\u{feff}Date;Time;Symbol;Quantity;Price;Side\n", Format::Generic),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), Some(want), "{text}");
        }
        assert_eq!(detect("a,b,c\n1,2,3\n"), None);
        assert_eq!(detect(""), None);
    }
}
