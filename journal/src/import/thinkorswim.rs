//! thinkorswim (TD Ameritrade / Schwab) Account Statement: a multi-section CSV. Fills come
//! from "Account Trade History"; their fees only appear in the "Cash Balance" section, one
//! `TRD` row per order, joined back to the fills by execution time.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rust_decimal::Decimal;

use super::csvtext::{self, quoted, Columns, Record};
use super::datetime::{parse_date, parse_naive, parse_time, Stamp};
use super::optsym::parse_option_symbol;
use super::sink::{effect_word, missing_columns, side_word, signed, sum, Ctx, RowResult, Sink};
use super::ImportError;
use crate::model::Instrument;

const TITLE: &str = "Account Trade History";

const REQUIRED: csvtext::Required<'static> = &[
    ("Exec Time", &["Exec Time"]),
    ("Side", &["Side"]),
    ("Qty", &["Qty"]),
    ("Symbol", &["Symbol"]),
    ("Type", &["Type"]),
    ("Price", &["Price"]),
];

struct Cols {
    time: Option<usize>,
    side: Option<usize>,
    qty: Option<usize>,
    effect: Option<usize>,
    symbol: Option<usize>,
    exp: Option<usize>,
    strike: Option<usize>,
    kind: Option<usize>,
    price: Option<usize>,
}

impl Cols {
    fn new(c: &Columns) -> Self {
        Cols {
            time: c.find(&["Exec Time"]),
            side: c.find(&["Side"]),
            qty: c.find(&["Qty"]),
            effect: c.find(&["Pos Effect"]),
            symbol: c.find(&["Symbol"]),
            exp: c.find(&["Exp"]),
            strike: c.find(&["Strike"]),
            kind: c.find(&["Type"]),
            price: c.find(&["Price"]),
        }
    }
}

pub(crate) fn parse(text: &str, ctx: &Ctx<'_>) -> Result<Sink, ImportError> {
    let recs = ctx.records(text);
    let title = recs
        .iter()
        .position(|r| r.cell(0) == TITLE)
        .ok_or_else(|| missing_columns(ctx.format, format!("{TITLE} section")))?;
    let header = recs
        .get(title + 1)
        .map(|r| Columns::new(&r.cells))
        .ok_or_else(|| missing_columns(ctx.format, format!("{TITLE} header")))?;
    if let Some(m) = csvtext::missing(&header, REQUIRED) {
        return Err(missing_columns(ctx.format, m));
    }
    let cols = Cols::new(&header);
    let account = statement_account(&recs);
    let fees = cash_balance_fees(&recs);

    let mut sink = Sink::new();
    // Each fill's wall-clock time, to join the Cash Balance fees afterwards.
    let mut times: HashMap<usize, NaiveDateTime> = HashMap::new();
    // Later legs of a spread leave Exec Time and Spread blank: they inherit the first leg's.
    let mut leg_time = String::new();
    let mut in_table = true;
    for (i, r) in recs.iter().enumerate() {
        if i <= title + 1 {
            if i < title {
                sink.skip();
            }
            continue;
        }
        // Table rows start with an empty cell; the next section's title ends the table.
        in_table &= r.cell(0).is_empty();
        if !in_table {
            sink.skip();
            continue;
        }
        if header.is_repeat(&r.cells) {
            sink.skip();
            continue;
        }
        let own_time = r.get(cols.time);
        if !own_time.is_empty() {
            leg_time = own_time.to_owned();
        }
        let result = row(r, &cols, &leg_time, &account, ctx);
        if let (Ok(Some(_)), Some(t)) = (&result, parse_naive(&leg_time)) {
            times.insert(r.line, t);
        }
        sink.take(r.line, result);
    }
    spread_fees(&mut sink, &times, &fees);
    Ok(sink)
}

fn row(r: &Record, c: &Cols, time: &str, account: &str, ctx: &Ctx<'_>) -> RowResult {
    let naive = parse_naive(time)
        .ok_or_else(|| format!("exec time {} is not a date/time", quoted(time)))?;
    let time = ctx.utc(Stamp::Local(naive))?;
    let (sign_side, quantity) = signed(ctx.num("quantity", r.get(c.qty))?)?;
    let side = match r.get(c.side) {
        "" => sign_side,
        s => side_word(s)
            .map(|(side, _)| side)
            .ok_or_else(|| format!("side {} is neither BUY nor SELL", quoted(s)))?,
    };
    let price = ctx.num("price", r.get(c.price))?;
    let symbol = r.get(c.symbol);
    let kind = r.get(c.kind);
    let mut e = ctx.fill(ctx.account(account), symbol, side, quantity, price, time);
    e.effect = effect_word(r.get(c.effect));
    e.instrument = match kind.to_ascii_uppercase().as_str() {
        "STOCK" | "ETF" | "FUND" | "ETN" => Instrument::Equity,
        "CALL" | "PUT" => Instrument::Option,
        "FUTURE" | "FUTURES" => Instrument::Future,
        "FOREX" | "FX" => Instrument::Forex,
        "CRYPTO" => Instrument::Crypto,
        _ => return Err(format!("type {} is not supported", quoted(kind))),
    };
    match e.instrument {
        Instrument::Option => {
            // Exp may carry notes ("100 (Weeklys) 15 MAR 24"); the shared reader skips them.
            let text = format!("{symbol} {} {} {kind}", r.get(c.exp), r.get(c.strike));
            let parsed = parse_option_symbol(&text)
                .or_else(|| parse_option_symbol(symbol))
                .ok_or_else(|| format!("option {} is not recognised", quoted(text.trim())))?;
            e.multiplier = match parsed.multiplier {
                Some(m) => m,
                None if symbol.starts_with('/') => future_multiplier(symbol)?,
                None => Decimal::ONE_HUNDRED,
            };
            e.symbol = parsed.terms.underlying.clone();
            e.option = Some(parsed.terms);
        }
        Instrument::Future => e.multiplier = future_multiplier(symbol)?,
        _ => {}
    }
    Ok(Some(e))
}

/// "Account Statement for 123456789 (margin) since 3/1/24 through 3/5/24".
fn statement_account(recs: &[Record]) -> String {
    recs.iter()
        .take(5)
        .find_map(|r| r.cell(0).strip_prefix("Account Statement for "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("")
        .to_owned()
}

/// Fees of `TRD` rows in "Cash Balance", by wall-clock time (commissions and misc fees are
/// printed negative: a cost).
fn cash_balance_fees(recs: &[Record]) -> HashMap<NaiveDateTime, Decimal> {
    let mut out: HashMap<NaiveDateTime, Decimal> = HashMap::new();
    let Some(title) = recs.iter().position(|r| r.cell(0) == "Cash Balance") else {
        return out;
    };
    let Some(header) = recs.get(title + 1).map(|r| Columns::new(&r.cells)) else {
        return out;
    };
    let (date, time, kind) = (
        header.find(&["DATE"]),
        header.find(&["TIME"]),
        header.find(&["TYPE"]),
    );
    let fee_cols = [
        header.find(&["Misc Fees"]),
        header.find(&["Commissions & Fees"]),
    ];
    for r in recs.iter().skip(title + 2) {
        let Some(day) = parse_date(r.get(date)) else {
            // TOTAL rows and the next section end the table.
            if r.get(date).is_empty() || r.get(date).eq_ignore_ascii_case("TOTAL") {
                continue;
            }
            break;
        };
        let (Some(t), "TRD") = (parse_time(r.get(time)), r.get(kind)) else {
            continue;
        };
        let parts: Vec<Decimal> = fee_cols
            .iter()
            .filter_map(|c| {
                csvtext::number(r.get(*c), Default::default())
                    .ok()
                    .flatten()
            })
            .collect();
        if let Ok(total) = sum(&parts) {
            let slot = out.entry(day.and_time(t)).or_default();
            *slot = slot.checked_sub(total).unwrap_or(*slot);
        }
    }
    out
}

/// Shares each order's fees among the fills executed at its time, by quantity, in cents;
/// the first fill takes the rounding remainder so the total is exact.
fn spread_fees(
    sink: &mut Sink,
    times: &HashMap<usize, NaiveDateTime>,
    fees: &HashMap<NaiveDateTime, Decimal>,
) {
    let mut groups: HashMap<NaiveDateTime, Vec<usize>> = HashMap::new();
    for (i, row) in sink.rows_mut().iter().enumerate() {
        if let Some(t) = times.get(&row.line) {
            groups.entry(*t).or_default().push(i);
        }
    }
    let rows = sink.rows_mut();
    for (t, idx) in groups {
        let Some(total) = fees.get(&t).copied() else {
            continue;
        };
        let qty: Option<Decimal> = idx.iter().try_fold(Decimal::ZERO, |a, &i| {
            a.checked_add(rows[i].execution.quantity)
        });
        let shares: Option<Vec<Decimal>> = qty.filter(|q| !q.is_zero()).and_then(|q| {
            idx.iter()
                .map(|&i| {
                    total
                        .checked_mul(rows[i].execution.quantity)
                        .and_then(|x| x.checked_div(q))
                        .map(|x| x.round_dp(2))
                })
                .collect()
        });
        let Some(mut shares) = shares else {
            if let Some(&first) = idx.first() {
                rows[first].execution.fees = total;
            }
            continue;
        };
        let rest = shares
            .iter()
            .skip(1)
            .try_fold(Decimal::ZERO, |a, s| a.checked_add(*s));
        if let (Some(first), Some(rest)) = (shares.first_mut(), rest) {
            *first = total.checked_sub(rest).unwrap_or(total);
        }
        for (&i, share) in idx.iter().zip(shares) {
            rows[i].execution.fees = share;
        }
    }
}

/// Contract sizes of common CME futures: thinkorswim statements do not print them.
fn future_multiplier(symbol: &str) -> Result<Decimal, String> {
    let code = symbol.trim_start_matches(['/', '.']);
    let code = code.split(':').next().unwrap_or(code);
    // "/ESH24" → "ES": drop the year digits, then the month letter.
    let root = code.trim_end_matches(|c: char| c.is_ascii_digit());
    let root = match root.char_indices().last() {
        Some((i, m)) if i > 0 && "FGHJKMNQUVXZ".contains(m) => &root[..i],
        _ => root,
    };
    let size: (i64, u32) = match root {
        "ES" | "RTY" => (50, 0),
        "MES" | "M2K" | "YM" => (5, 0),
        "NQ" => (20, 0),
        "MNQ" => (2, 0),
        "MYM" => (5, 1),
        "CL" | "ZB" | "ZN" | "ZF" | "UB" => (1000, 0),
        "MCL" => (100, 0),
        "ZT" => (2000, 0),
        "GC" => (100, 0),
        "MGC" => (10, 0),
        "SI" => (5000, 0),
        "NG" => (10000, 0),
        "HG" => (25000, 0),
        "6E" => (125_000, 0),
        "6J" => (12_500_000, 0),
        "ZC" | "ZS" | "ZW" => (50, 0),
        "BTC" => (5, 0),
        "MBT" => (1, 1),
        "VX" => (1000, 0),
        _ => {
            return Err(format!(
                "multiplier of future {} is unknown",
                quoted(symbol)
            ))
        }
    };
    Ok(Decimal::new(size.0, size.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn futures_roots() {
        assert_eq!(future_multiplier("/ESH24"), Ok(Decimal::from(50)));
        assert_eq!(future_multiplier("/MESM4:XCME"), Ok(Decimal::from(5)));
        assert_eq!(future_multiplier("/MYMZ24"), Ok(Decimal::new(5, 1)));
        assert!(future_multiplier("/QQZ24").is_err());
    }
}
