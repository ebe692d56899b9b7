//! A user's saved column mapping ([`ColumnMapping`]): the header names of date (and time),
//! symbol, side, quantity, price, fee columns (summed, each taken as a cost whatever sign the
//! file prints it with) and optional account and id columns. An empty `side` mapping means
//! the quantity is signed.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::csvtext::{quoted, Columns, Record};
use super::datetime::{parse_stamp, Stamp, DATE_ONLY_TIME};
use super::optsym::parse_option_symbol;
use super::sink::{missing_columns, side_word, signed, sum, Ctx, RowResult, Sink};
use super::{ColumnMapping, ImportError};
use crate::model::Instrument;

struct Cols {
    date: Option<usize>,
    time: Option<usize>,
    symbol: Option<usize>,
    side: Option<usize>,
    qty: Option<usize>,
    price: Option<usize>,
    fees: Vec<Option<usize>>,
    account: Option<usize>,
    exec_id: Option<usize>,
    order_id: Option<usize>,
}

fn optional(name: &Option<String>) -> Option<&str> {
    name.as_deref().filter(|n| !n.trim().is_empty())
}

pub(crate) fn parse(text: &str, ctx: &Ctx<'_>, m: &ColumnMapping) -> Result<Sink, ImportError> {
    let recs = ctx.records(text);
    let Some(first) = recs.first() else {
        return Err(ImportError::Empty);
    };
    let header = Columns::new(&first.cells);
    let mut missing = Vec::new();
    let mut find = |name: &str| -> Option<usize> {
        let col = header.find(&[name]);
        if col.is_none() {
            missing.push(name.to_owned());
        }
        col
    };
    let cols = Cols {
        date: find(&m.date),
        time: optional(&m.time).and_then(&mut find),
        symbol: find(&m.symbol),
        side: Some(m.side.as_str())
            .filter(|s| !s.trim().is_empty())
            .and_then(&mut find),
        qty: find(&m.quantity),
        price: find(&m.price),
        fees: m
            .fees
            .iter()
            .filter(|f| !f.trim().is_empty())
            .map(|f| find(f))
            .collect(),
        account: optional(&m.account).and_then(&mut find),
        exec_id: optional(&m.exec_id).and_then(&mut find),
        order_id: optional(&m.order_id).and_then(&mut find),
    };
    if !missing.is_empty() {
        return Err(missing_columns(ctx.format, missing.join(", ")));
    }
    let mut sink = Sink::new();
    for r in recs.iter().skip(1) {
        if header.is_repeat(&r.cells) {
            sink.skip();
        } else {
            sink.take(r.line, row(r, &cols, m, ctx));
        }
    }
    Ok(sink)
}

fn row(r: &Record, c: &Cols, m: &ColumnMapping, ctx: &Ctx<'_>) -> RowResult {
    let date = r.get(c.date);
    let text = match c.time {
        Some(_) => format!("{date} {}", r.get(c.time)),
        None => date.to_owned(),
    };
    let time = ctx.utc(stamp(&text, &m.datetime_format)?)?;
    let signed_qty = ctx.num("quantity", r.get(c.qty))?;
    let side = match c.side {
        None => signed(signed_qty)?.0,
        Some(_) => {
            let s = r.get(c.side);
            side_word(s)
                .ok_or_else(|| format!("side {} is not a buy or sell", quoted(s)))?
                .0
        }
    };
    let price = ctx.num("price", r.get(c.price))?.abs();
    let fees = c
        .fees
        .iter()
        .map(|f| ctx.num_or_zero("fee", r.get(*f)).map(|d| d.abs()))
        .collect::<Result<Vec<_>, _>>()?;
    let symbol = r.get(c.symbol);
    let mut e = ctx.fill(
        ctx.account(r.get(c.account)),
        symbol,
        side,
        signed_qty.abs(),
        price,
        time,
    );
    e.fees = sum(&fees)?;
    e.exec_id = Some(r.get(c.exec_id))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    e.order_id = Some(r.get(c.order_id))
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(o) = parse_option_symbol(symbol) {
        e.instrument = Instrument::Option;
        e.multiplier = o.multiplier.unwrap_or(rust_decimal::Decimal::ONE_HUNDRED);
        e.symbol = o.terms.underlying.clone();
        e.option = Some(o.terms);
    }
    Ok(Some(e))
}

/// Reads a timestamp with the mapping's chrono format, or by the usual forms when it has
/// none. Formats without a time of day give [`DATE_ONLY_TIME`].
fn stamp(text: &str, format: &str) -> Result<Stamp, String> {
    let text = text.trim();
    if format.trim().is_empty() {
        return parse_stamp(text)
            .ok_or_else(|| format!("date/time {} is not a date/time", quoted(text)));
    }
    let parsed = if format.contains("%z") || format.contains("%:z") {
        DateTime::parse_from_str(text, format)
            .ok()
            .map(Stamp::Instant)
    } else {
        NaiveDateTime::parse_from_str(text, format)
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(text, format)
                    .ok()
                    .map(|d| d.and_time(DATE_ONLY_TIME))
            })
            .map(Stamp::Local)
    };
    parsed.ok_or_else(|| {
        format!(
            "date/time {} does not match the format {}",
            quoted(text),
            quoted(format)
        )
    })
}
