//! Broker CSV imports against realistic sample files (tests/data/imports): counts, exact
//! field values after timezone conversion, detection, row errors with their lines, and
//! robustness against mangled input.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::New_York;
use journal::import::{
    detect, parse, write_generic, ColumnMapping, Format, ImportError, ImportOptions, ParseOutput,
};
use journal::{Effect, Execution, Instrument, OptionTerms, Right, Side};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SAMPLES: [(&str, Format); 12] = [
    ("ibkr_flex_trades.csv", Format::IbkrFlex),
    ("ibkr_activity_statement.csv", Format::IbkrActivity),
    ("thinkorswim_statement.csv", Format::Thinkorswim),
    ("schwab_transactions.csv", Format::Schwab),
    ("tastytrade_transactions.csv", Format::Tastytrade),
    ("robinhood_activity.csv", Format::Robinhood),
    ("webull_orders.csv", Format::Webull),
    ("webull_options_orders.csv", Format::Webull),
    ("generic_tradervue.csv", Format::Generic),
    ("generic_semicolon_bom.csv", Format::Generic),
    ("generic_with_errors.csv", Format::Generic),
    ("ibkr_flex_sections.csv", Format::IbkrFlex),
];

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/imports/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ny() -> ImportOptions {
    ImportOptions {
        timezone: New_York,
        account: None,
        format: None,
        mapping: None,
    }
}

fn run(name: &str) -> ParseOutput {
    parse(&sample(name), &ny()).unwrap()
}

/// The execution read from a 1-based line of the file.
fn at(out: &ParseOutput, line: usize) -> &Execution {
    &out.rows
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no row from line {line}: {:?}", lines(out)))
        .execution
}

fn lines(out: &ParseOutput) -> Vec<usize> {
    let mut l: Vec<usize> = out.rows.iter().map(|r| r.line).collect();
    l.sort_unstable();
    l
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn option(underlying: &str, expiry: (i32, u32, u32), strike: Decimal, right: Right) -> OptionTerms {
    OptionTerms {
        underlying: underlying.into(),
        expiry: NaiveDate::from_ymd_opt(expiry.0, expiry.1, expiry.2).unwrap(),
        strike,
        right,
    }
}

fn error_lines(out: &ParseOutput) -> Vec<usize> {
    out.errors.iter().map(|e| e.line).collect()
}

#[test]
fn every_sample_is_detected_as_its_format() {
    for (name, format) in SAMPLES {
        let text = String::from_utf8_lossy(&sample(name)).into_owned();
        assert_eq!(detect(&text), Some(format), "{name}");
        assert_eq!(run(name).format, format, "{name}");
    }
}

#[test]
fn ibkr_flex() {
    let out = run("ibkr_flex_trades.csv");
    assert_eq!(
        lines(&out),
        vec![2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 17]
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    // The "(Ca.)" cancellation, the second account's repeated header, an ORDER summary.
    assert_eq!(out.skipped, 3);

    let buy = at(&out, 2);
    assert_eq!(buy.account, "U1234567");
    assert_eq!(buy.broker, "ibkr");
    assert_eq!(
        (buy.symbol.as_str(), buy.side, buy.effect),
        ("AAPL", Side::Buy, Effect::Open)
    );
    assert_eq!(
        (buy.quantity, buy.price, buy.fees),
        (dec!(100), dec!(175.5), dec!(1))
    );
    assert_eq!(buy.time, utc("2024-03-04T14:30:15Z"));
    assert_eq!(buy.exec_id.as_deref(), Some("0000e0d5.65e5b1a2.01.01"));
    assert_eq!(buy.order_id.as_deref(), Some("3001001"));
    assert_eq!(buy.multiplier, dec!(1));

    let sell = at(&out, 4);
    assert_eq!(
        (sell.side, sell.quantity, sell.fees),
        (Side::Sell, dec!(150), dec!(1.0604))
    );
    assert_eq!(sell.effect, Effect::Close);

    let call = at(&out, 5);
    assert_eq!(call.instrument, Instrument::Option);
    assert_eq!(call.symbol, "AAPL");
    assert_eq!(
        call.option,
        Some(option("AAPL", (2024, 3, 15), dec!(180), Right::Call))
    );
    assert_eq!(
        (call.multiplier, call.price, call.fees),
        (dec!(100), dec!(3.45), dec!(1.3))
    );

    let es = at(&out, 10);
    assert_eq!(
        (es.instrument, es.multiplier, es.side),
        (Instrument::Future, dec!(50), Side::Sell)
    );
    assert_eq!(es.time, utc("2024-03-05T16:30:15Z"));

    assert_eq!(at(&out, 12).instrument, Instrument::Forex);
    // After the DST change (2024-03-10) New York is UTC-4.
    let msft = at(&out, 14);
    assert_eq!(
        (msft.account.as_str(), msft.time),
        ("U7654321", utc("2024-03-11T14:00:00Z"))
    );
    // A positive IBCommission is a rebate: a negative cost.
    assert_eq!(at(&out, 17).fees, dec!(-0.12));
}

#[test]
fn ibkr_flex_with_section_rows() {
    let out = run("ibkr_flex_sections.csv");
    assert_eq!(lines(&out), vec![5, 6, 7]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    // BOF, BOA, BOS, EOS, the cash section's BOS, HEADER and DATA, EOS, EOA, EOF.
    assert_eq!(out.skipped, 10);
    let put = at(&out, 7);
    assert_eq!(
        put.option,
        Some(option("QQQ", (2024, 3, 8), dec!(440), Right::Put))
    );
    assert_eq!(
        (put.side, put.effect, put.fees),
        (Side::Sell, Effect::Open, dec!(0.66))
    );
    assert_eq!(put.time, utc("2024-03-05T15:11:02Z"));
    assert_eq!(put.exec_id.as_deref(), Some("611299003"));
}

#[test]
fn ibkr_activity_statement() {
    let out = run("ibkr_activity_statement.csv");
    // The Trades section starts on line 27, below the NAV and performance sections.
    assert_eq!(
        lines(&out),
        vec![28, 29, 32, 33, 34, 36, 37, 38, 40, 41, 44]
    );
    assert_eq!(error_lines(&out), vec![46]);
    assert_eq!(
        out.errors[0].message,
        "asset category \"Bonds\" is not supported"
    );
    assert_eq!(out.skipped, 60 - 1 - 11 - 1);

    let buy = at(&out, 28);
    assert_eq!(buy.account, "U1234567");
    assert_eq!(
        (buy.quantity, buy.price, buy.fees),
        (dec!(1000), dec!(175.50), dec!(5))
    );
    assert_eq!((buy.side, buy.effect), (Side::Buy, Effect::Open));
    assert_eq!(buy.time, utc("2024-03-04T14:30:15Z"));
    assert_eq!(at(&out, 29).side, Side::Sell);

    // The MSFT order was filled in two executions: those are kept, not the order total.
    let part = at(&out, 33);
    assert_eq!(
        (part.quantity, part.fees, part.effect),
        (dec!(80), dec!(0.56), Effect::Open)
    );
    assert_eq!(part.time, utc("2024-03-05T15:02:13Z"));

    let call = at(&out, 36);
    assert_eq!(
        call.option,
        Some(option("AAPL", (2024, 3, 15), dec!(180), Right::Call))
    );
    assert_eq!((call.symbol.as_str(), call.multiplier), ("AAPL", dec!(100)));
    let expired = at(&out, 38);
    assert_eq!((expired.price, expired.effect), (dec!(0), Effect::Close));
    assert_eq!(
        expired.option,
        Some(option("SPY", (2024, 3, 8), dec!(505), Right::Put))
    );

    // Futures multipliers come from the Financial Instrument Information section.
    let es = at(&out, 40);
    assert_eq!(
        (es.instrument, es.multiplier, es.price),
        (Instrument::Future, dec!(50), dec!(5130.25))
    );
    let fx = at(&out, 44);
    assert_eq!(
        (fx.instrument, fx.quantity, fx.fees),
        (Instrument::Forex, dec!(20000), dec!(2))
    );
}

#[test]
fn thinkorswim_statement() {
    let out = run("thinkorswim_statement.csv");
    assert_eq!(lines(&out), (33..=44).collect::<Vec<_>>());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    // 53 non-blank lines: the table's title and header, 12 fills, and the rest skipped.
    assert_eq!(out.skipped, 53 - 2 - 12);

    let first = at(&out, 44);
    assert_eq!(first.account, "123456789SCHW");
    assert_eq!(first.broker, "thinkorswim");
    assert_eq!(
        (first.quantity, first.price, first.fees),
        (dec!(100), dec!(175.50), dec!(0))
    );
    assert_eq!((first.side, first.effect), (Side::Buy, Effect::Open));
    assert_eq!(first.time, utc("2024-03-04T14:31:04Z"));
    // Fees come from the Cash Balance section, printed as (0.04).
    let sell = at(&out, 42);
    assert_eq!(
        (sell.side, sell.effect, sell.fees),
        (Side::Sell, Effect::Close, dec!(0.04))
    );

    // A vertical's second leg has no Exec Time: it inherits the first leg's.
    let short_leg = at(&out, 41);
    assert_eq!(short_leg.time, utc("2024-03-05T15:02:33Z"));
    assert_eq!(
        short_leg.option,
        Some(option("SPY", (2024, 3, 8), dec!(510), Right::Call))
    );
    assert_eq!(
        (short_leg.side, short_leg.quantity, short_leg.price),
        (Side::Sell, dec!(2), dec!(1.80))
    );
    // The order's 2.66 of fees is shared by quantity.
    assert_eq!(
        (at(&out, 40).fees, short_leg.fees),
        (dec!(1.33), dec!(1.33))
    );

    // Butterfly 1/2/1: 2.81 shared as 0.71 + 1.40 + 0.70 (the first leg takes the cents).
    let fees: Vec<Decimal> = (35..=37).map(|l| at(&out, l).fees).collect();
    assert_eq!(fees, vec![dec!(0.71), dec!(1.40), dec!(0.70)]);
    assert_eq!(
        at(&out, 36).option,
        Some(option("SPX", (2024, 3, 15), dec!(5125), Right::Call))
    );
    assert_eq!(at(&out, 36).multiplier, dec!(100));

    let es = at(&out, 33);
    assert_eq!(
        (es.instrument, es.symbol.as_str(), es.multiplier),
        (Instrument::Future, "/ESH24", dec!(50))
    );
    assert_eq!(es.fees, dec!(3.52));
    // Listed newest first, returned oldest first.
    assert_eq!(out.rows.first().unwrap().line, 44);
    assert_eq!(out.rows.last().unwrap().line, 33);
}

#[test]
fn schwab_transactions() {
    let out = run("schwab_transactions.csv");
    assert_eq!(lines(&out), vec![3, 5, 6, 7, 8, 9, 10, 11, 13, 14, 16]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    // Title line, dividend, transfer, expiry, dividend reinvestment cash, journal, total.
    assert_eq!(out.skipped, 7);

    let stc = at(&out, 3);
    assert_eq!(stc.account, "XXXX-1234");
    assert_eq!(
        stc.option,
        Some(option("SPY", (2024, 3, 15), dec!(500), Right::Put))
    );
    assert_eq!(
        (stc.side, stc.effect, stc.quantity),
        (Side::Sell, Effect::Close, dec!(2))
    );
    assert_eq!(
        (stc.price, stc.fees, stc.multiplier),
        (dec!(3.10), dec!(1.33), dec!(100))
    );
    // Date-only rows are placed at 16:00 statement time.
    assert_eq!(stc.time, utc("2024-03-08T21:00:00Z"));
    // "03/06/2024 as of 03/05/2024" is dated by when the trade happened.
    let short = at(&out, 7);
    assert_eq!((short.side, short.effect), (Side::Sell, Effect::Open));
    assert_eq!(short.time, utc("2024-03-05T21:00:00Z"));
    let nvda = at(&out, 14);
    assert_eq!(
        (nvda.quantity, nvda.price, nvda.fees),
        (dec!(1200), dec!(852.37), dec!(0))
    );
    assert_eq!(at(&out, 16).quantity, dec!(0.0512));

    // Same-day fills keep their order of execution: the NVDA buy (listed below) comes first.
    let order: Vec<usize> = out.rows.iter().map(|r| r.line).collect();
    let pos = |l: usize| order.iter().position(|&x| x == l).unwrap();
    assert!(pos(14) < pos(13));
    assert_eq!(order.first(), Some(&16));
}

#[test]
fn tastytrade_transactions() {
    let out = run("tastytrade_transactions.csv");
    assert_eq!(lines(&out), vec![2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.skipped, 3);

    let bto = at(&out, 11);
    assert_eq!(bto.broker, "tastytrade");
    assert_eq!(bto.account, "default");
    assert_eq!(
        bto.option,
        Some(option("AAPL", (2024, 3, 22), dec!(180), Right::Call))
    );
    assert_eq!(
        (bto.side, bto.effect, bto.quantity),
        (Side::Buy, Effect::Open, dec!(3))
    );
    assert_eq!(
        (bto.price, bto.fees, bto.multiplier),
        (dec!(1.62), dec!(3.42), dec!(100))
    );
    assert_eq!(bto.time, utc("2024-03-04T14:45:30Z"));
    assert_eq!(bto.order_id.as_deref(), Some("314655201"));

    // The expiry closes the short put at zero.
    let expiry = at(&out, 2);
    assert_eq!(
        (expiry.side, expiry.effect, expiry.price, expiry.fees),
        (Side::Buy, Effect::Close, dec!(0), dec!(0))
    );
    assert_eq!(expiry.time, utc("2024-03-15T20:00:00Z"));

    let es = at(&out, 3);
    assert_eq!(
        (es.instrument, es.symbol.as_str()),
        (Instrument::Future, "/ESM4")
    );
    assert_eq!(
        (es.price, es.multiplier, es.fees),
        (dec!(5201.25), dec!(50), dec!(2.87))
    );

    let short = at(&out, 7);
    assert_eq!(
        (short.side, short.effect, short.price),
        (Side::Sell, Effect::Open, dec!(206.33))
    );
    assert_eq!(at(&out, 5).fees, dec!(0.08));
    let btc = at(&out, 12);
    assert_eq!(
        (btc.instrument, btc.quantity, btc.price),
        (Instrument::Crypto, dec!(0.01234567), dec!(67250))
    );
    assert_eq!(btc.fees, dec!(8.30));
}

#[test]
fn robinhood_activity() {
    let out = run("robinhood_activity.csv");
    assert_eq!(lines(&out), vec![2, 4, 5, 7, 10, 12, 15, 16, 19]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    // ACH, CDIV, OEXP, INT, GOLD and the disclaimer.
    assert_eq!(out.skipped, 6);

    let stc = at(&out, 2);
    assert_eq!(
        stc.option,
        Some(option("SPY", (2024, 3, 15), dec!(500), Right::Put))
    );
    assert_eq!(
        (stc.side, stc.effect, stc.quantity, stc.price),
        (Side::Sell, Effect::Close, dec!(3), dec!(4.25))
    );
    // No fee column: fees are what $1,274.86 falls short of 3 × 4.25 × 100.
    assert_eq!(stc.fees, dec!(0.14));
    assert_eq!(stc.time, utc("2024-03-08T21:00:00Z"));
    // ($45.20) paid for a 0.45 contract: 0.20 of fees.
    assert_eq!(at(&out, 15).fees, dec!(0.20));

    // A multi-line description ("Tesla\nCUSIP: ...") keeps the record's first line.
    let tsla = at(&out, 10);
    assert_eq!(
        (tsla.symbol.as_str(), tsla.side, tsla.quantity),
        ("TSLA", Side::Sell, dec!(1000))
    );
    assert_eq!(tsla.fees, dec!(3.15));
    assert_eq!(at(&out, 19).quantity, dec!(0.4));
    assert_eq!(at(&out, 19).fees, dec!(0));
    // Newest first in the file: the TSLA buy, listed second, happened first.
    let order: Vec<usize> = out.rows.iter().map(|r| r.line).collect();
    let pos = |l: usize| order.iter().position(|&x| x == l).unwrap();
    assert!(pos(12) < pos(10));
}

#[test]
fn webull_orders() {
    let out = run("webull_orders.csv");
    assert_eq!(lines(&out), vec![2, 3, 5, 6, 8, 9, 10, 11]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.skipped, 3);
    let nvda = at(&out, 2);
    assert_eq!(nvda.broker, "webull");
    assert_eq!(
        (nvda.side, nvda.quantity, nvda.price),
        (Side::Sell, dec!(20), dec!(880.15))
    );
    // "EDT" in the file wins over any statement timezone.
    assert_eq!(nvda.time, utc("2024-03-11T14:15:03Z"));
    // A partially filled order is one fill of its filled quantity.
    assert_eq!(at(&out, 3).quantity, dec!(20));
    let short = at(&out, 6);
    assert_eq!(
        (short.side, short.effect, short.price),
        (Side::Sell, Effect::Open, dec!(14.36))
    );
    assert_eq!(at(&out, 5).time, utc("2024-03-08T20:59:59Z"));

    let opts = run("webull_options_orders.csv");
    assert_eq!(lines(&opts), vec![2, 3, 4, 6, 7, 8, 9]);
    assert_eq!(opts.skipped, 2);
    let put = at(&opts, 3);
    assert_eq!(
        put.option,
        Some(option("SPY", (2024, 3, 15), dec!(500), Right::Put))
    );
    assert_eq!(
        (put.instrument, put.multiplier, put.price),
        (Instrument::Option, dec!(100), dec!(3.55))
    );
    assert_eq!(put.time, utc("2024-03-08T15:31:04Z"));
}

#[test]
fn generic_tradervue() {
    let out = run("generic_tradervue.csv");
    assert_eq!(lines(&out), (2..=13).collect::<Vec<_>>());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.skipped, 0);
    let first = at(&out, 2);
    assert_eq!(
        (first.account.as_str(), first.broker.as_str()),
        ("default", "generic")
    );
    assert_eq!(
        (first.fees, first.time),
        (dec!(1.30), utc("2024-03-04T14:30:15Z"))
    );
    let short = at(&out, 5);
    assert_eq!(
        (short.side, short.effect, short.quantity),
        (Side::Sell, Effect::Open, dec!(200))
    );
    // A signed quantity with an explicit side: the side wins, the size is positive.
    let cover = at(&out, 6);
    assert_eq!(
        (cover.side, cover.effect, cover.quantity),
        (Side::Buy, Effect::Close, dec!(100))
    );
    let put = at(&out, 8);
    assert_eq!(
        put.option,
        Some(option("SPY", (2024, 3, 15), dec!(500), Right::Put))
    );
    assert_eq!(
        (put.symbol.as_str(), put.multiplier, put.fees),
        ("SPY", dec!(100), dec!(1.34))
    );
    assert_eq!(
        at(&out, 10).option,
        Some(option("QQQ", (2024, 3, 8), dec!(445), Right::Call))
    );
    // No side: the quantity's sign decides.
    assert_eq!(
        (at(&out, 12).side, at(&out, 12).quantity),
        (Side::Sell, dec!(40))
    );
    assert_eq!(at(&out, 13).side, Side::Buy);
}

#[test]
fn generic_semicolon_bom_decimal_comma() {
    let opts = ImportOptions {
        timezone: chrono_tz::Europe::Berlin,
        ..ny()
    };
    let out = parse(&sample("generic_semicolon_bom.csv"), &opts).unwrap();
    assert_eq!(out.format, Format::Generic);
    assert_eq!(lines(&out), (2..=10).collect::<Vec<_>>());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let sap = at(&out, 2);
    assert_eq!(
        (sap.account.as_str(), sap.price, sap.fees),
        ("DE-4411", dec!(178.42), dec!(4.90))
    );
    assert_eq!(sap.time, utc("2024-03-04T08:30:15Z"));
    let btc = at(&out, 5);
    assert_eq!((btc.quantity, btc.price), (dec!(0.00215), dec!(61234.50)));
    assert_eq!(at(&out, 7).price, dec!(1234.50));
    assert_eq!(at(&out, 4).fees, dec!(5.02));
}

#[test]
fn row_errors_name_their_line_and_reason() {
    let out = run("generic_with_errors.csv");
    assert_eq!(lines(&out), vec![2, 8, 13]);
    assert_eq!(out.skipped, 1, "the repeated header");
    let errors: Vec<String> = out.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "line 3: price \"abc\" is not a number",
            "line 4: symbol is empty",
            "line 5: time 2024-03-10 02:30:00 does not exist in America/New_York (skipped by the daylight-saving change)",
            "line 6: side \"Hold\" is not Buy, Sell, Short or Cover",
            "line 7: quantity 0 is not positive",
            "line 9: date/time \"2024-03-12 25:61:00\" is not a date/time",
            "line 11: price -45.20 is negative",
            "line 12: side \"234.50\" is not Buy, Sell, Short or Cover",
        ]
    );
    // 01:30 happens twice on 2024-11-03: the earlier (EDT) instant is taken.
    assert_eq!(at(&out, 8).time, utc("2024-11-03T05:30:00Z"));
    assert_eq!(at(&out, 13).price, dec!(1234.50));
}

#[test]
fn a_bad_cell_deep_in_a_statement_reports_its_physical_line() {
    let text = String::from_utf8(sample("ibkr_activity_statement.csv")).unwrap();
    let broken = text.replace("402.10,403.00,-32168", "4O2.10,403.00,-32168");
    let out = parse(broken.as_bytes(), &ny()).unwrap();
    assert_eq!(error_lines(&out), vec![33, 46]);
    assert_eq!(out.errors[0].message, "price \"4O2.10\" is not a number");

    // Robinhood records span lines: the error is on the line the record starts.
    let text = String::from_utf8(sample("robinhood_activity.csv")).unwrap();
    let broken = text.replace("\"$182.01\"", "\"$18x.01\"");
    let out = parse(broken.as_bytes(), &ny()).unwrap();
    assert_eq!(error_lines(&out), vec![10]);
}

#[test]
fn less_common_layouts() {
    // Flex with a MSG notice on top, no DateTime and no Buy/Sell: the quantity's sign
    // decides and the trade date alone gets the 16:00 close.
    let flex = "\"MSG\",\"Realized P/L is not ready\"\n\
        \"ClientAccountID\",\"Symbol\",\"TradeDate\",\"Quantity\",\"TradePrice\",\"IBCommission\"\n\
        \"U1\",\"AMD\",\"2024-03-04\",\"-10\",\"210\",\"-1\"\n";
    assert_eq!(detect(flex), Some(Format::IbkrFlex));
    let out = parse(flex.as_bytes(), &ny()).unwrap();
    assert_eq!(out.skipped, 1);
    let e = at(&out, 3);
    assert_eq!(
        (e.side, e.quantity, e.fees),
        (Side::Sell, dec!(10), dec!(1))
    );
    assert_eq!(e.time, utc("2024-03-04T21:00:00Z"));

    // thinkorswim exports with an extra leading column and a Price Improvement column.
    let tos = "Account Trade History\n\
        ,,Exec Time,Spread,Side,Qty,Pos Effect,Symbol,Exp,Strike,Type,Price,Net Price,Price Improvement,Order Type\n\
        ,,2/19/24 10:01:46,STOCK,SELL,-300,TO CLOSE,BTG,,,STOCK,4.92,4.92,.00,LMT\n\
        ,,2/19/24 09:35:00,SINGLE,BUY,+1,TO OPEN,SPY,23 FEB 24,500,PUT,2.10,2.10,.01,LMT\n";
    let out = parse(tos.as_bytes(), &ny()).unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(at(&out, 3).time, utc("2024-02-19T15:01:46Z"));
    assert_eq!(at(&out, 3).account, "default");
    assert_eq!(
        at(&out, 4).option,
        Some(option("SPY", (2024, 2, 23), dec!(500), Right::Put))
    );

    // Generic with date and time in one column, ISO offset included.
    let generic = "Date,Symbol,Qty,Price,Side\n2024-03-04T09:30:15-05:00,AAPL,5,170,B\n";
    let out = parse(generic.as_bytes(), &ny()).unwrap();
    assert_eq!(at(&out, 2).time, utc("2024-03-04T14:30:15Z"));
}

#[test]
fn windows_1252_crlf_and_missing_columns() {
    let latin =
        b"Date,Time,Symbol,Quantity,Price,Side\r\n2024-03-04,09:30:00,NESN \xe9,10,101.5,Buy\r\n";
    let out = parse(latin, &ny()).unwrap();
    assert_eq!(at(&out, 2).symbol, "NESN é");

    let err = parse(
        b"Date,Symbol,Price\n2024-03-04,AAPL,1\n",
        &ImportOptions {
            format: Some(Format::Generic),
            ..ny()
        },
    );
    assert_eq!(
        err,
        Err(ImportError::MissingColumns {
            format: "Generic CSV".into(),
            columns: "Quantity".into()
        })
    );
    let err = parse(b"\"Date\",\"Action\",\"Symbol\",\"Fees & Comm\"\n", &ny()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing column(s) for Charles Schwab transactions: Quantity, Price"
    );
    assert_eq!(parse(b"", &ny()), Err(ImportError::Empty));
    assert_eq!(parse(b"\xEF\xBB\xBF  \r\n", &ny()), Err(ImportError::Empty));
    assert_eq!(
        parse(b"PK\x03\x04\x00\x00binary", &ny()),
        Err(ImportError::NotText)
    );
    assert_eq!(
        parse(b"hello,world\n1,2\n", &ny()),
        Err(ImportError::UnknownFormat)
    );
    let mapped = ImportOptions {
        format: Some(Format::Mapped),
        ..ny()
    };
    assert_eq!(parse(b"a,b\n", &mapped), Err(ImportError::MissingMapping));
}

#[test]
fn mapped_columns() {
    let mapping = ColumnMapping {
        date: "Trade Date".into(),
        time: Some("Trade Time".into()),
        datetime_format: "%d.%m.%Y %H:%M:%S".into(),
        symbol: "Ticker".into(),
        side: "B/S".into(),
        quantity: "Shares".into(),
        price: "Fill Price".into(),
        fees: vec!["Commission".into(), "Reg Fee".into()],
        account: Some("Acct".into()),
        exec_id: Some("Exec ID".into()),
        order_id: None,
        timezone: None,
    };
    let opts = ImportOptions {
        format: Some(Format::Mapped),
        mapping: Some(mapping.clone()),
        account: Some("fallback".into()),
        ..ny()
    };
    let out = parse(&sample("custom_broker.csv"), &opts).unwrap();
    assert_eq!(out.format, Format::Mapped);
    assert_eq!(lines(&out), (2..=8).collect::<Vec<_>>());
    assert_eq!(error_lines(&out), vec![9]);
    let first = at(&out, 2);
    assert_eq!(
        (first.account.as_str(), first.side, first.fees),
        ("ACC-9", Side::Buy, dec!(1.02))
    );
    assert_eq!(first.time, utc("2024-03-04T14:30:15Z"));
    assert_eq!(first.exec_id.as_deref(), Some("E1001"));
    assert_eq!(
        at(&out, 4).option,
        Some(option("SPY", (2024, 3, 15), dec!(500), Right::Put))
    );
    assert_eq!(at(&out, 8).account, "fallback");

    let wrong = ImportOptions {
        mapping: Some(ColumnMapping {
            fees: vec!["Commission".into(), "SEC Fee".into()],
            ..mapping
        }),
        ..opts
    };
    assert_eq!(
        parse(&sample("custom_broker.csv"), &wrong),
        Err(ImportError::MissingColumns {
            format: "Custom column mapping".into(),
            columns: "SEC Fee".into()
        })
    );
}

#[test]
fn format_ids_and_labels() {
    for f in Format::ALL {
        assert_eq!(Format::parse(f.id()), Some(f));
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            format!("\"{}\"", f.id())
        );
        assert!(!f.label().is_empty());
    }
    assert_eq!(Format::parse(" IBKR_FLEX "), Some(Format::IbkrFlex));
    assert_eq!(Format::parse("ibkr"), None);
    assert_eq!(
        Format::IbkrActivity.label(),
        "Interactive Brokers Activity Statement"
    );
}

#[test]
fn an_explicit_format_skips_detection_and_the_account_option_fills_gaps() {
    let opts = ImportOptions {
        format: Some(Format::Tastytrade),
        account: Some("5WT00001".into()),
        ..ny()
    };
    let out = parse(&sample("tastytrade_transactions.csv"), &opts).unwrap();
    assert!(out.rows.iter().all(|r| r.execution.account == "5WT00001"));
    // The file's own account wins over the option.
    let opts = ImportOptions {
        account: Some("ignored".into()),
        ..ny()
    };
    assert_eq!(
        at(&parse(&sample("ibkr_flex_trades.csv"), &opts).unwrap(), 2).account,
        "U1234567"
    );
}

fn every_sample_execution() -> Vec<Execution> {
    SAMPLES
        .iter()
        .flat_map(|(name, _)| run(name).rows.into_iter().map(|r| r.execution))
        .collect()
}

#[test]
fn generic_export_reads_back_to_equal_executions() {
    let execs = every_sample_execution();
    assert!(execs.iter().any(|e| e.option.is_some()));
    assert!(execs.iter().any(|e| e.instrument == Instrument::Crypto));
    let csv = write_generic(&execs);
    // Whatever the statement timezone: the export says its times are UTC.
    let opts = ImportOptions {
        timezone: chrono_tz::Asia::Tokyo,
        ..ny()
    };
    let back = parse(csv.as_bytes(), &opts).unwrap();
    assert_eq!(back.format, Format::Generic);
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    let back: Vec<Execution> = back.rows.into_iter().map(|r| r.execution).collect();
    let mut want = execs;
    want.sort_by_key(|e| e.time);
    assert_eq!(back, want);
}

mod round_trip {
    //! `write_generic` → `parse` is lossless for any valid execution.

    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn decimal(max_scale: u32) -> impl Strategy<Value = Decimal> {
        (1i64..10_000_000_000, 0..=max_scale).prop_map(|(n, s)| Decimal::new(n, s))
    }

    fn text() -> impl Strategy<Value = String> {
        // Delimiters, quotes and inner blanks must survive quoting; edge blanks are trimmed
        // by design, so names never have them.
        "[A-Za-z0-9][A-Za-z0-9 .,;/\"'_-]{0,10}[A-Za-z0-9]"
    }

    prop_compose! {
        fn execution()(
            account in text(), broker in text(), symbol in text(),
            kind in 0usize..5, buy in any::<bool>(), effect in 0usize..3,
            quantity in decimal(8), price in decimal(6), fees in (-1_000_000i64..1_000_000, 0u32..4),
            secs in 631_152_000i64..4_102_444_800, nanos in 0u32..1_000_000_000,
            exec_id in proptest::option::of(text()), order_id in proptest::option::of(text()),
            expiry in 0u32..20_000, strike in decimal(3), call in any::<bool>(), multiplier in decimal(2),
        ) -> Execution {
            let instrument = [Instrument::Equity, Instrument::Option, Instrument::Future,
                Instrument::Crypto, Instrument::Forex][kind];
            let option = (instrument == Instrument::Option).then(|| OptionTerms {
                underlying: symbol.clone(),
                expiry: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(expiry.into()),
                strike,
                right: if call { Right::Call } else { Right::Put },
            });
            Execution {
                account, broker, symbol, instrument, option,
                side: if buy { Side::Buy } else { Side::Sell },
                effect: [Effect::Open, Effect::Close, Effect::Unknown][effect],
                quantity, price, fees: Decimal::new(fees.0, fees.1),
                time: Utc.timestamp_opt(secs, nanos).unwrap(),
                exec_id, order_id, multiplier,
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn write_then_parse(mut execs in proptest::collection::vec(execution(), 1..8)) {
            let out = parse(write_generic(&execs).as_bytes(), &ny()).unwrap();
            prop_assert!(out.errors.is_empty(), "{:?}", out.errors);
            let back: Vec<Execution> = out.rows.into_iter().map(|r| r.execution).collect();
            execs.sort_by_key(|e| e.time);
            prop_assert_eq!(back, execs);
        }
    }
}

mod fuzz {
    //! Mangled input must never panic, whatever format is forced.

    use super::*;
    use proptest::prelude::*;

    fn all_formats_survive(bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let _ = detect(&text);
        let _ = parse(bytes, &ny());
        for format in Format::ALL {
            let opts = ImportOptions {
                format: Some(format),
                mapping: Some(ColumnMapping {
                    date: "Date".into(),
                    time: Some("Time".into()),
                    datetime_format: "%Y-%m-%d %H:%M:%S".into(),
                    symbol: "Symbol".into(),
                    side: String::new(),
                    quantity: "Quantity".into(),
                    price: "Price".into(),
                    fees: vec!["Commission".into()],
                    account: None,
                    exec_id: None,
                    order_id: None,
                    timezone: None,
                }),
                ..ny()
            };
            if let Ok(out) = parse(bytes, &opts) {
                for r in &out.rows {
                    assert!(r.execution.quantity > Decimal::ZERO);
                    assert!(r.line >= 1);
                }
            }
        }
    }

    fn samples() -> Vec<Vec<u8>> {
        SAMPLES.iter().map(|(name, _)| sample(name)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            all_formats_survive(&bytes);
        }

        #[test]
        fn arbitrary_text(text in "[ -~\\n\\r\";,()$]{0,400}") {
            all_formats_survive(text.as_bytes());
        }

        #[test]
        fn truncated_samples(which in 0usize..SAMPLES.len(), cut in any::<proptest::sample::Index>()) {
            let s = &samples()[which];
            all_formats_survive(&s[..cut.index(s.len() + 1)]);
        }

        #[test]
        fn byte_flips(which in 0usize..SAMPLES.len(),
                      flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8)) {
            let mut s = samples()[which].clone();
            for (at, byte) in flips {
                let i = at.index(s.len());
                s[i] = byte;
            }
            all_formats_survive(&s);
        }

        #[test]
        fn shuffled_lines(which in 0usize..SAMPLES.len(), seed in any::<u64>()) {
            let text = String::from_utf8_lossy(&samples()[which]).into_owned();
            let mut lines: Vec<&str> = text.lines().collect();
            // A small deterministic shuffle keyed by the seed.
            let mut state = seed | 1;
            for i in (1..lines.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let j = usize::try_from(state % (i as u64 + 1)).unwrap();
                lines.swap(i, j);
            }
            all_formats_survive(lines.join("\n").as_bytes());
        }
    }
}
