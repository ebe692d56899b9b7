//! Interactive Brokers: Flex Query trade reports (a flat CSV, optionally with `BOF`/`HEADER`/
//! `DATA` section rows) and the Activity Statement (a multi-section CSV whose `Trades`
//! section can start hundreds of lines down).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::csvtext::{self, quoted, Columns, Record};
use super::optsym::parse_option_symbol;
use super::sink::{effect_word, missing_columns, side_word, signed, sum, Ctx, RowResult, Sink};
use super::ImportError;
use crate::model::{Execution, Instrument};

/// Flex rows that mark sections rather than carry data.
const FLEX_MARKERS: [&str; 7] = ["BOF", "EOF", "BOA", "EOA", "BOS", "EOS", "MSG"];

const FLEX_REQUIRED: csvtext::Required<'static> = &[
    ("Symbol", &["Symbol"]),
    ("Quantity", &["Quantity"]),
    ("TradePrice", &["TradePrice", "Price"]),
    (
        "DateTime or TradeDate",
        &["DateTime", "Date/Time", "TradeDate"],
    ),
];

/// Column positions in a Flex trades header.
struct Flex {
    account: Option<usize>,
    asset: Option<usize>,
    symbol: Option<usize>,
    side: Option<usize>,
    qty: Option<usize>,
    price: Option<usize>,
    commission: Option<usize>,
    taxes: Option<usize>,
    datetime: Option<usize>,
    date: Option<usize>,
    time: Option<usize>,
    multiplier: Option<usize>,
    strike: Option<usize>,
    expiry: Option<usize>,
    right: Option<usize>,
    underlying: Option<usize>,
    exec_id: Option<usize>,
    trade_id: Option<usize>,
    transaction_id: Option<usize>,
    order_id: Option<usize>,
    open_close: Option<usize>,
    level: Option<usize>,
}

impl Flex {
    fn new(c: &Columns) -> Self {
        Flex {
            account: c.find(&["ClientAccountID", "AccountId", "Account"]),
            asset: c.find(&["AssetClass", "Asset Class"]),
            symbol: c.find(&["Symbol"]),
            side: c.find(&["Buy/Sell"]),
            qty: c.find(&["Quantity"]),
            price: c.find(&["TradePrice", "Price"]),
            commission: c.find(&["IBCommission", "Commission", "Comm/Fee"]),
            taxes: c.find(&["Taxes"]),
            datetime: c.find(&["DateTime", "Date/Time"]),
            date: c.find(&["TradeDate"]),
            time: c.find(&["TradeTime"]),
            multiplier: c.find(&["Multiplier"]),
            strike: c.find(&["Strike"]),
            expiry: c.find(&["Expiry"]),
            right: c.find(&["Put/Call"]),
            underlying: c.find(&["UnderlyingSymbol"]),
            exec_id: c.find(&["IBExecID", "ExecID"]),
            trade_id: c.find(&["TradeID"]),
            transaction_id: c.find(&["TransactionID"]),
            order_id: c.find(&["IBOrderID", "OrderID"]),
            open_close: c.find(&["Open/CloseIndicator", "Open/Close"]),
            level: c.find(&["LevelOfDetail"]),
        }
    }
}

/// A header row of some Flex section: it names columns that no data row holds as values.
fn is_flex_header(cells: &[String]) -> bool {
    let c = Columns::new(cells);
    c.has(&[
        "ClientAccountID",
        "AccountId",
        "Symbol",
        "TradePrice",
        "Quantity",
        "CurrencyPrimary",
    ])
}

pub(crate) fn parse_flex(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    let recs = ctx.records(text);
    let mut sink = Sink::new();
    // The active trades header; `None` inside another section (cash, positions...).
    let mut current: Option<(Columns, Flex)> = None;
    let mut seen_trades = false;
    let mut first_header: Option<Columns> = None;
    for r in &recs {
        let cells: &[String] = match r.cell(0) {
            "HEADER" | "DATA" => r.cells.get(2..).unwrap_or(&[]),
            m if FLEX_MARKERS.contains(&m) => {
                sink.skip();
                continue;
            }
            _ => &r.cells,
        };
        if r.cell(0) == "HEADER" || (r.cell(0) != "DATA" && is_flex_header(cells)) {
            let cols = Columns::new(cells);
            // Only the first trades header is the table's own; repeats (one per account)
            // and other sections' headers count as skipped rows.
            if current.as_ref().is_some_and(|(c, _)| c.is_repeat(cells)) {
                sink.skip();
                continue;
            }
            if csvtext::missing(&cols, FLEX_REQUIRED).is_none() {
                if seen_trades {
                    sink.skip();
                }
                seen_trades = true;
                let flex = Flex::new(&cols);
                current = Some((cols, flex));
            } else {
                sink.skip();
                first_header.get_or_insert(cols);
                current = None;
            }
            continue;
        }
        match &current {
            Some((_, flex)) => {
                let row = Record {
                    line: r.line,
                    cells: cells.to_vec(),
                };
                sink.take(r.line, flex_row(&row, flex, ctx));
            }
            None => sink.skip(),
        }
    }
    if !seen_trades {
        let columns = match first_header {
            Some(c) => csvtext::missing(&c, FLEX_REQUIRED).unwrap_or_default(),
            None => FLEX_REQUIRED
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        };
        return Err(missing_columns(ctx.format, columns));
    }
    Ok(sink)
}

fn flex_row(r: &Record, f: &Flex, ctx: &Ctx<'_>) -> RowResult {
    // Order and closed-lot summaries repeat the executions they sum up.
    let level = r.get(f.level);
    if !level.is_empty() && !level.eq_ignore_ascii_case("EXECUTION") {
        return Ok(None);
    }
    let side_cell = r.get(f.side);
    // "BUY (Ca.)" / "SELL (Ca.)" are IBKR's cancellations of an earlier trade.
    if side_cell.contains("(Ca.)") {
        return Ok(None);
    }
    let instrument = flex_asset(r.get(f.asset), r.get(f.right))?;
    let (sign_side, quantity) = signed(ctx.num("quantity", r.get(f.qty))?)?;
    let side = match side_cell {
        "" => sign_side,
        s => side_word(s)
            .map(|(side, _)| side)
            .ok_or_else(|| format!("Buy/Sell {} is neither BUY nor SELL", quoted(s)))?,
    };
    let price = ctx.num("price", r.get(f.price))?;
    let time = match r.get(f.datetime) {
        "" => {
            let date = r.get(f.date);
            let stamp = match r.get(f.time) {
                "" => date.to_owned(),
                t => format!("{date};{t}"),
            };
            ctx.time("trade date", &stamp)?
        }
        dt => ctx.time("date/time", dt)?,
    };
    let fees = -sum(&[
        ctx.num_or_zero("commission", r.get(f.commission))?,
        ctx.num_or_zero("taxes", r.get(f.taxes))?,
    ])?;
    let mut e = ctx.fill(
        ctx.account(r.get(f.account)),
        r.get(f.symbol),
        side,
        quantity,
        price,
        time,
    );
    e.instrument = instrument;
    e.fees = fees;
    e.effect = effect_word(r.get(f.open_close));
    e.exec_id = [f.exec_id, f.trade_id, f.transaction_id]
        .iter()
        .map(|c| r.get(*c))
        .find(|s| !s.is_empty())
        .map(str::to_owned);
    e.order_id = Some(r.get(f.order_id))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let stated = ctx.opt_num("multiplier", r.get(f.multiplier))?;
    if instrument == Instrument::Option {
        let terms = match ctx.option_terms(
            r.get(f.underlying),
            r.get(f.expiry),
            r.get(f.strike),
            r.get(f.right),
        )? {
            Some(t) => t,
            None => parse_option_symbol(r.get(f.symbol))
                .map(|p| p.terms)
                .ok_or_else(|| {
                    format!(
                        "option {} has no expiry/strike/right",
                        quoted(r.get(f.symbol))
                    )
                })?,
        };
        e.symbol = terms.underlying.clone();
        e.option = Some(terms);
    }
    e.multiplier = multiplier(instrument, stated, &e.symbol)?;
    Ok(Some(e))
}

fn flex_asset(asset: &str, right: &str) -> Result<Instrument, String> {
    Ok(match asset.to_ascii_uppercase().as_str() {
        "" if !right.is_empty() => Instrument::Option,
        "" | "STK" | "ETF" => Instrument::Equity,
        "OPT" | "FOP" => Instrument::Option,
        "FUT" => Instrument::Future,
        "CASH" => Instrument::Forex,
        "CRYPTO" => Instrument::Crypto,
        _ => return Err(format!("asset class {} is not supported", quoted(asset))),
    })
}

/// The contract multiplier: what the file states, else 1 for shares, currencies and crypto
/// and 100 for options; a future without one cannot be valued.
fn multiplier(
    instrument: Instrument,
    stated: Option<Decimal>,
    symbol: &str,
) -> Result<Decimal, String> {
    match (stated, instrument) {
        (Some(m), _) if !m.is_zero() => Ok(m),
        (_, Instrument::Option) => Ok(Decimal::ONE_HUNDRED),
        (_, Instrument::Future) => Err(format!("future {} has no multiplier", quoted(symbol))),
        _ => Ok(Decimal::ONE),
    }
}

const ACTIVITY_REQUIRED: csvtext::Required<'static> = &[
    ("Asset Category", &["Asset Category"]),
    ("Symbol", &["Symbol"]),
    ("Date/Time", &["Date/Time"]),
    ("Quantity", &["Quantity"]),
    ("T. Price", &["T. Price", "Price"]),
];

/// Column positions in a `Trades,Header` row, counted from its third cell.
struct Activity {
    discriminator: Option<usize>,
    asset: Option<usize>,
    account: Option<usize>,
    symbol: Option<usize>,
    datetime: Option<usize>,
    qty: Option<usize>,
    price: Option<usize>,
    fee: Option<usize>,
    code: Option<usize>,
}

impl Activity {
    fn new(c: &Columns) -> Self {
        Activity {
            discriminator: c.find(&["DataDiscriminator"]),
            asset: c.find(&["Asset Category"]),
            account: c.find(&["Account"]),
            symbol: c.find(&["Symbol"]),
            datetime: c.find(&["Date/Time"]),
            qty: c.find(&["Quantity"]),
            price: c.find(&["T. Price", "Price"]),
            fee: c.find(&["Comm/Fee", "Comm in USD", "Commission"]),
            code: c.find(&["Code"]),
        }
    }
}

/// The statement's own cells of a section row, after the section name and row kind.
fn body(r: &Record) -> Record {
    Record {
        line: r.line,
        cells: r.cells.get(2..).unwrap_or(&[]).to_vec(),
    }
}

pub(crate) fn parse_activity(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    let recs = ctx.records(text);
    let statement_account = recs
        .iter()
        .find(|r| {
            r.cell(0) == "Account Information" && r.cell(1) == "Data" && r.cell(2) == "Account"
        })
        .map(|r| r.cell(3).to_owned())
        .unwrap_or_default();
    let multipliers = instrument_multipliers(&recs);
    let mut sink = Sink::new();
    let mut current: Option<Activity> = None;
    let mut headers = 0usize;
    for (i, r) in recs.iter().enumerate() {
        if r.cell(0) != "Trades" {
            sink.skip();
            continue;
        }
        match r.cell(1) {
            "Header" => {
                let cols = Columns::new(&body(r).cells);
                if let Some(m) = csvtext::missing(&cols, ACTIVITY_REQUIRED) {
                    return Err(missing_columns(ctx.format, m));
                }
                headers += 1;
                if headers > 1 {
                    sink.skip();
                }
                current = Some(Activity::new(&cols));
            }
            "Data" => {
                let Some(cols) = &current else {
                    sink.error(r.line, "Trades data row before its header".into());
                    continue;
                };
                let row = body(r);
                let kind = row.get(cols.discriminator);
                // An "Order" row sums the "Trade" (execution) rows that follow it when the
                // statement was run with execution detail; then only those are kept.
                let summary_of_next = kind.eq_ignore_ascii_case("Order")
                    && next_trade_kind(&recs[i + 1..], cols)
                        .is_some_and(|k| k.eq_ignore_ascii_case("Trade"));
                if summary_of_next
                    || !matches!(
                        kind.to_ascii_lowercase().as_str(),
                        "order" | "trade" | "execution" | ""
                    )
                {
                    sink.skip();
                    continue;
                }
                sink.take(
                    r.line,
                    activity_row(&row, cols, &statement_account, &multipliers, ctx),
                );
            }
            // SubTotal, Total, Notes.
            _ => sink.skip(),
        }
    }
    Ok(sink)
}

fn next_trade_kind<'r>(rest: &'r [Record], cols: &Activity) -> Option<&'r str> {
    let next = rest.iter().find(|r| r.cell(0) == "Trades")?;
    (next.cell(1) == "Data").then(|| next.get(cols.discriminator.map(|i| i + 2)))
}

/// Multipliers from the "Financial Instrument Information" section, by symbol and by
/// description (the Trades section names options by their description).
fn instrument_multipliers(recs: &[Record]) -> HashMap<String, Decimal> {
    let mut out = HashMap::new();
    let mut cols: Option<(Option<usize>, Option<usize>, Option<usize>)> = None;
    for r in recs
        .iter()
        .filter(|r| r.cell(0) == "Financial Instrument Information")
    {
        let b = body(r);
        match r.cell(1) {
            "Header" => {
                let c = Columns::new(&b.cells);
                cols = Some((
                    c.find(&["Symbol"]),
                    c.find(&["Description"]),
                    c.find(&["Multiplier"]),
                ));
            }
            "Data" => {
                let Some((sym, desc, mult)) = cols else {
                    continue;
                };
                let Ok(Some(m)) = csvtext::number(b.get(mult), Default::default()) else {
                    continue;
                };
                for key in [b.get(sym), b.get(desc)] {
                    if !key.is_empty() {
                        out.insert(key.to_ascii_uppercase(), m);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn activity_row(
    r: &Record,
    c: &Activity,
    statement_account: &str,
    multipliers: &HashMap<String, Decimal>,
    ctx: &Ctx<'_>,
) -> RowResult {
    let asset = r.get(c.asset);
    let instrument = match asset.to_ascii_lowercase().as_str() {
        "stocks" | "stock" | "etfs" => Instrument::Equity,
        "equity and index options" | "options on futures" | "options" => Instrument::Option,
        "futures" => Instrument::Future,
        "forex" => Instrument::Forex,
        "crypto" | "cryptocurrency" => Instrument::Crypto,
        _ => return Err(format!("asset category {} is not supported", quoted(asset))),
    };
    let symbol = r.get(c.symbol);
    let (side, quantity) = signed(ctx.num("quantity", r.get(c.qty))?)?;
    let price = ctx.num("price", r.get(c.price))?;
    let time = ctx.time("date/time", r.get(c.datetime))?;
    let account = match r.get(c.account) {
        "" => ctx.account(statement_account),
        a => ctx.account(a),
    };
    let mut e: Execution = ctx.fill(account, symbol, side, quantity, price, time);
    e.instrument = instrument;
    e.fees = -ctx.num_or_zero("comm/fee", r.get(c.fee))?;
    e.effect = effect_word(r.get(c.code));
    let listed = multipliers.get(&symbol.to_ascii_uppercase()).copied();
    if instrument == Instrument::Option {
        let parsed = parse_option_symbol(symbol)
            .ok_or_else(|| format!("option symbol {} is not recognised", quoted(symbol)))?;
        e.symbol = parsed.terms.underlying.clone();
        e.option = Some(parsed.terms);
        e.multiplier = multiplier(instrument, listed.or(parsed.multiplier), symbol)?;
    } else {
        e.multiplier = multiplier(instrument, listed, symbol)?;
    }
    Ok(Some(e))
}
