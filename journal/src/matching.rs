//! Round trips from executions.
//!
//! A *leg* runs from flat to flat again in one account and contract, matched FIFO (so a
//! partial close realises P&L against the oldest lots). A fill that crosses zero (a flip
//! from long to short) closes one leg and opens the next at the same price, its fees split
//! by quantity. Option legs opened together (same order id, or same time and underlying)
//! form one multi-leg *trade*; everything else is a one-leg trade.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{Effect, Execution, Instrument, OptionTerms};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Long,
    Short,
}

impl Direction {
    fn sign(self) -> Decimal {
        match self {
            Direction::Long => Decimal::ONE,
            Direction::Short => Decimal::NEGATIVE_ONE,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Long => "long",
            Direction::Short => "short",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Closed,
}

/// The part of one execution that belongs to a leg (a flip splits one fill in two).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegFill {
    /// Index of the execution in the input slice.
    pub execution: usize,
    pub quantity: Decimal,
    pub fees: Decimal,
    /// True when this fill added to the position, false when it reduced it.
    pub opening: bool,
}

/// One contract's position from flat to flat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leg {
    pub contract: String,
    pub symbol: String,
    pub instrument: Instrument,
    pub option: Option<OptionTerms>,
    pub multiplier: Decimal,
    pub direction: Direction,
    /// Largest absolute position held.
    pub max_quantity: Decimal,
    /// Still open (absolute).
    pub open_quantity: Decimal,
    pub avg_entry: Decimal,
    /// Average closing price, when anything was closed.
    pub avg_exit: Option<Decimal>,
    /// Cash paid to open (positive for a long, negative for a short's credit), before fees.
    pub entry_cost: Decimal,
    pub realized: Decimal,
    pub fees: Decimal,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub fills: Vec<LegFill>,
    /// The first fill was marked as a close by the broker: the opening fill is missing
    /// (the file starts mid-position), so this leg's P&L is incomplete.
    pub incomplete: bool,
}

/// A round trip: one leg, or several option legs opened together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    pub account: String,
    /// Ticker, or the options' underlying.
    pub symbol: String,
    pub instrument: Instrument,
    /// Long for a debit (or a long single leg), short for a credit.
    pub direction: Direction,
    pub status: Status,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Size of the first leg (shares or contracts).
    pub quantity: Decimal,
    /// Average entry price per unit of the first leg, or the net price of a spread.
    pub entry_price: Decimal,
    pub exit_price: Option<Decimal>,
    /// Realised P&L before fees.
    pub gross_pnl: Decimal,
    pub fees: Decimal,
    /// Realised P&L after fees: what the analytics count.
    pub pnl: Decimal,
    /// `pnl` over the capital put at risk to open (absolute entry cost), in percent.
    pub pnl_pct: Option<Decimal>,
    pub legs: Vec<Leg>,
    pub incomplete: bool,
}

impl Trade {
    /// Seconds from open to close, when closed.
    pub fn hold_seconds(&self) -> Option<i64> {
        self.closed_at.map(|c| (c - self.opened_at).num_seconds())
    }

    /// A stable identity across rebuilds: the account and the first fill's execution index
    /// is not stable, so callers key trades by their opening execution's dedupe key.
    pub fn opening_execution(&self) -> Option<usize> {
        self.legs
            .iter()
            .filter_map(|l| l.fills.first().map(|f| (l.opened_at, f.execution)))
            .min()
            .map(|(_, i)| i)
    }
}

struct OpenLeg {
    leg: Leg,
    /// FIFO lots: (quantity, price).
    lots: VecDeque<(Decimal, Decimal)>,
    closed_qty: Decimal,
    exit_value: Decimal,
    open_value: Decimal,
    opened_qty: Decimal,
}

impl OpenLeg {
    fn new(e: &Execution, direction: Direction) -> Self {
        OpenLeg {
            leg: Leg {
                contract: e.contract_key(),
                symbol: e.underlying().to_ascii_uppercase(),
                instrument: e.instrument,
                option: e.option.clone(),
                multiplier: e.multiplier,
                direction,
                max_quantity: Decimal::ZERO,
                open_quantity: Decimal::ZERO,
                avg_entry: Decimal::ZERO,
                avg_exit: None,
                entry_cost: Decimal::ZERO,
                realized: Decimal::ZERO,
                fees: Decimal::ZERO,
                opened_at: e.time,
                closed_at: None,
                fills: Vec::new(),
                incomplete: e.effect == Effect::Close,
            },
            lots: VecDeque::new(),
            closed_qty: Decimal::ZERO,
            exit_value: Decimal::ZERO,
            open_value: Decimal::ZERO,
            opened_qty: Decimal::ZERO,
        }
    }

    fn add(&mut self, idx: usize, e: &Execution, qty: Decimal, fees: Decimal) {
        self.lots.push_back((qty, e.price));
        self.leg.open_quantity += qty;
        self.leg.max_quantity = self.leg.max_quantity.max(self.leg.open_quantity);
        self.opened_qty += qty;
        self.open_value += qty * e.price;
        self.leg.entry_cost += self.leg.direction.sign() * qty * e.price * e.multiplier;
        self.leg.fees += fees;
        self.leg.fills.push(LegFill {
            execution: idx,
            quantity: qty,
            fees,
            opening: true,
        });
    }

    fn reduce(&mut self, idx: usize, e: &Execution, qty: Decimal, fees: Decimal) {
        let mut left = qty;
        while left > Decimal::ZERO {
            let Some(front) = self.lots.front_mut() else {
                break;
            };
            let m = left.min(front.0);
            self.leg.realized += self.leg.direction.sign() * (e.price - front.1) * m * e.multiplier;
            front.0 -= m;
            left -= m;
            if front.0.is_zero() {
                self.lots.pop_front();
            }
        }
        self.leg.open_quantity -= qty;
        self.closed_qty += qty;
        self.exit_value += qty * e.price;
        self.leg.fees += fees;
        self.leg.fills.push(LegFill {
            execution: idx,
            quantity: qty,
            fees,
            opening: false,
        });
        if self.leg.open_quantity.is_zero() {
            self.leg.closed_at = Some(e.time);
        }
    }

    fn finish(mut self) -> Leg {
        if !self.opened_qty.is_zero() {
            self.leg.avg_entry = self.open_value / self.opened_qty;
        }
        if !self.closed_qty.is_zero() {
            self.leg.avg_exit = Some(self.exit_value / self.closed_qty);
        }
        self.leg
    }
}

/// Splits `fees` between two parts of a fill so the parts add up exactly.
fn split_fees(fees: Decimal, part: Decimal, whole: Decimal) -> (Decimal, Decimal) {
    if whole.is_zero() {
        return (fees, Decimal::ZERO);
    }
    let first = (fees * part / whole).round_dp(10);
    (first, fees - first)
}

/// Builds legs from executions, in time order (file order breaks ties).
pub fn build_legs<E: Borrow<Execution>>(execs: &[E]) -> Vec<(String, Leg)> {
    let mut order: Vec<usize> = (0..execs.len()).collect();
    order.sort_by_key(|&i| execs[i].borrow().time);
    let mut open: HashMap<(String, String), OpenLeg> = HashMap::new();
    let mut done: Vec<(String, Leg)> = Vec::new();
    for idx in order {
        let e = execs[idx].borrow();
        if e.quantity <= Decimal::ZERO {
            continue;
        }
        let key = (e.account.clone(), e.contract_key());
        let dir = if e.side.sign() > Decimal::ZERO {
            Direction::Long
        } else {
            Direction::Short
        };
        match open.remove(&key) {
            None => {
                let mut leg = OpenLeg::new(e, dir);
                leg.add(idx, e, e.quantity, e.fees);
                open.insert(key, leg);
            }
            Some(mut leg) if leg.leg.direction == dir => {
                leg.add(idx, e, e.quantity, e.fees);
                open.insert(key, leg);
            }
            Some(mut leg) => {
                let held = leg.leg.open_quantity;
                if e.quantity <= held {
                    leg.reduce(idx, e, e.quantity, e.fees);
                    if leg.leg.open_quantity.is_zero() {
                        done.push((key.0, leg.finish()));
                    } else {
                        open.insert(key, leg);
                    }
                } else {
                    // A flip: close what is held, open the rest the other way.
                    let (close_fees, open_fees) = split_fees(e.fees, held, e.quantity);
                    leg.reduce(idx, e, held, close_fees);
                    done.push((key.0.clone(), leg.finish()));
                    let mut next = OpenLeg::new(e, dir);
                    next.leg.incomplete = false;
                    next.add(idx, e, e.quantity - held, open_fees);
                    open.insert(key, next);
                }
            }
        }
    }
    done.extend(open.into_iter().map(|((acct, _), l)| (acct, l.finish())));
    done.sort_by(|a, b| {
        (a.1.opened_at, a.1.fills.first().map(|f| f.execution))
            .cmp(&(b.1.opened_at, b.1.fills.first().map(|f| f.execution)))
    });
    done
}

/// Groups legs into trades: option legs whose opening fills share an order id, or the same
/// time and underlying, in one account, are one position. `execs` may be executions or
/// references to them (a rebuild need not copy a journal's fills).
pub fn build_trades<E: Borrow<Execution>>(execs: &[E]) -> Vec<Trade> {
    let legs = build_legs(execs);
    // The orders that hold an option fill, per account: looked up once per leg (scanning
    // every fill per leg was quadratic in the file's size).
    let option_orders: HashSet<(&str, &str)> = execs
        .iter()
        .map(Borrow::borrow)
        .filter(|o: &&Execution| o.instrument == Instrument::Option)
        .filter_map(|o| Some((o.account.as_str(), o.order_id.as_deref()?)))
        .collect();
    let mut groups: Vec<Vec<(String, Leg)>> = Vec::new();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    for (account, leg) in legs {
        let key = group_key(execs, &option_orders, &account, &leg);
        match key.as_ref().and_then(|k| by_key.get(k)) {
            Some(&g) => groups[g].push((account, leg)),
            None => {
                if let Some(k) = key {
                    by_key.insert(k, groups.len());
                }
                groups.push(vec![(account, leg)]);
            }
        }
    }
    groups.into_iter().filter_map(trade_from_legs).collect()
}

/// The multi-leg grouping key of a leg, when it is an option leg (or opened in one order
/// with one). Legs that were opened by a flip are never grouped.
fn group_key<E: Borrow<Execution>>(
    execs: &[E],
    option_orders: &HashSet<(&str, &str)>,
    account: &str,
    leg: &Leg,
) -> Option<(String, String)> {
    let first = leg.fills.first()?;
    let e = execs.get(first.execution)?.borrow();
    if let Some(order) = e.order_id.as_deref().filter(|o| !o.trim().is_empty()) {
        // Another fill of the same order is an option: a buy-write, a collar.
        let option_sibling = e
            .order_id
            .as_deref()
            .is_some_and(|o| option_orders.contains(&(e.account.as_str(), o)));
        if leg.instrument == Instrument::Option || option_sibling {
            return Some((account.to_string(), format!("order:{}", order.trim())));
        }
        return None;
    }
    if leg.instrument == Instrument::Option {
        return Some((
            account.to_string(),
            format!("time:{}:{}", leg.symbol, leg.opened_at.to_rfc3339()),
        ));
    }
    None
}

fn trade_from_legs(group: Vec<(String, Leg)>) -> Option<Trade> {
    let account = group.first()?.0.clone();
    let legs: Vec<Leg> = group.into_iter().map(|(_, l)| l).collect();
    let first = legs.first()?;
    let all_closed = legs.iter().all(|l| l.open_quantity.is_zero());
    let gross: Decimal = legs.iter().map(|l| l.realized).sum();
    let fees: Decimal = legs.iter().map(|l| l.fees).sum();
    let net_entry: Decimal = legs.iter().map(|l| l.entry_cost).sum();
    let risked: Decimal = legs.iter().map(|l| l.entry_cost.abs()).sum();
    let pnl = gross - fees;
    let single = legs.len() == 1;
    let direction = if single {
        first.direction
    } else if net_entry >= Decimal::ZERO {
        Direction::Long
    } else {
        Direction::Short
    };
    let units = first.max_quantity * first.multiplier;
    let (entry_price, exit_price) = if single {
        (first.avg_entry, first.avg_exit)
    } else {
        let exit_value: Decimal = legs
            .iter()
            .map(|l| {
                l.avg_exit.unwrap_or_default()
                    * (l.max_quantity - l.open_quantity)
                    * l.multiplier
                    * l.direction.sign()
            })
            .sum();
        let per_unit = |v: Decimal| if units.is_zero() { v } else { v / units };
        (
            per_unit(net_entry.abs()),
            all_closed.then(|| per_unit(exit_value.abs())),
        )
    };
    Some(Trade {
        account,
        symbol: first.symbol.clone(),
        instrument: first.instrument,
        direction,
        status: if all_closed {
            Status::Closed
        } else {
            Status::Open
        },
        opened_at: legs.iter().map(|l| l.opened_at).min()?,
        closed_at: if all_closed {
            legs.iter().filter_map(|l| l.closed_at).max()
        } else {
            None
        },
        quantity: first.max_quantity,
        entry_price,
        exit_price,
        gross_pnl: gross,
        fees,
        pnl,
        pnl_pct: (!risked.is_zero()).then(|| (pnl / risked * Decimal::ONE_HUNDRED).round_dp(4)),
        incomplete: legs.iter().any(|l| l.incomplete),
        legs,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::fixtures::fill;
    use crate::model::{Right, Side};
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    #[test]
    fn round_trip_with_scale_in_and_out_matches_hand_worked_pnl() {
        // Buy 100 @ 10, buy 100 @ 11, sell 150 @ 12, sell 50 @ 9.
        // FIFO: 100×(12−10) + 50×(12−11) + 50×(9−11) = 200 + 50 − 100 = 150.
        let mut execs = vec![
            fill("AAPL", Side::Buy, 100, "10", 0),
            fill("AAPL", Side::Buy, 100, "11", 5),
            fill("AAPL", Side::Sell, 150, "12", 10),
            fill("AAPL", Side::Sell, 50, "9", 20),
        ];
        for e in &mut execs {
            e.fees = dec!(1.25);
        }
        let trades = build_trades(&execs);
        assert_eq!(trades.len(), 1);
        let t = &trades[0];
        assert_eq!(t.status, Status::Closed);
        assert_eq!(t.direction, Direction::Long);
        assert_eq!(t.gross_pnl, dec!(150));
        assert_eq!(t.fees, dec!(5));
        assert_eq!(t.pnl, dec!(145));
        assert_eq!(t.quantity, dec!(200));
        assert_eq!(t.entry_price, dec!(10.5));
        assert_eq!(t.exit_price, Some(dec!(11.25)));
        // 145 / 2100 × 100
        assert_eq!(t.pnl_pct, Some(dec!(6.9048)));
        assert_eq!(t.hold_seconds(), Some(20 * 60));
    }

    #[test]
    fn partial_close_realises_fifo_pnl_and_stays_open() {
        let execs = vec![
            fill("MSFT", Side::Buy, 10, "400", 0),
            fill("MSFT", Side::Buy, 10, "410", 1),
            fill("MSFT", Side::Sell, 15, "405", 2),
        ];
        let t = &build_trades(&execs)[0];
        assert_eq!(t.status, Status::Open);
        // 10×5 + 5×(−5) = 25
        assert_eq!(t.gross_pnl, dec!(25));
        assert_eq!(t.legs[0].open_quantity, dec!(5));
        assert_eq!(t.closed_at, None);
    }

    #[test]
    fn flip_closes_one_trade_and_opens_the_next_at_the_flip_price() {
        let mut execs = vec![
            fill("TSLA", Side::Buy, 100, "200", 0),
            fill("TSLA", Side::Sell, 300, "210", 1),
            fill("TSLA", Side::Buy, 200, "205", 2),
        ];
        execs[1].fees = dec!(3);
        let trades = build_trades(&execs);
        assert_eq!(trades.len(), 2);
        assert_eq!(trades[0].direction, Direction::Long);
        assert_eq!(trades[0].gross_pnl, dec!(1000));
        assert_eq!(trades[0].fees, dec!(1));
        assert_eq!(trades[1].direction, Direction::Short);
        assert_eq!(trades[1].entry_price, dec!(210));
        assert_eq!(trades[1].gross_pnl, dec!(1000));
        assert_eq!(trades[1].fees, dec!(2));
        assert_eq!(trades[1].opened_at, execs[1].time);
        assert_eq!(trades[1].status, Status::Closed);
    }

    #[test]
    fn accounts_and_contracts_never_mix() {
        let mut other = fill("AAPL", Side::Sell, 100, "12", 1);
        other.account = "U2".into();
        let execs = vec![
            fill("AAPL", Side::Buy, 100, "10", 0),
            other,
            fill("AAPL", Side::Sell, 100, "11", 2),
        ];
        let trades = build_trades(&execs);
        assert_eq!(trades.len(), 2);
        let u1 = trades.iter().find(|t| t.account == "U1").unwrap();
        assert_eq!(u1.gross_pnl, dec!(100));
        let u2 = trades.iter().find(|t| t.account == "U2").unwrap();
        assert_eq!((u2.direction, u2.status), (Direction::Short, Status::Open));
    }

    fn opt(strike: i64, right: Right, side: Side, price: &str, minute: i64) -> Execution {
        let mut e = fill("SPY", side, 1, price, minute);
        e.instrument = Instrument::Option;
        e.multiplier = dec!(100);
        e.option = Some(OptionTerms {
            underlying: "SPY".into(),
            expiry: NaiveDate::from_ymd_opt(2024, 3, 15).unwrap(),
            strike: Decimal::from(strike),
            right,
        });
        e.fees = dec!(0.65);
        e
    }

    #[test]
    fn iron_condor_opened_together_is_one_trade_and_a_leg_close_is_partial() {
        // Sell 500/495 put spread and 520/525 call spread for a 1.50 credit.
        let mut execs = vec![
            opt(495, Right::Put, Side::Buy, "1.00", 0),
            opt(500, Right::Put, Side::Sell, "1.80", 0),
            opt(520, Right::Call, Side::Sell, "1.60", 0),
            opt(525, Right::Call, Side::Buy, "0.90", 0),
            // Buy back the short call early.
            opt(520, Right::Call, Side::Buy, "0.40", 30),
        ];
        let trades = build_trades(&execs);
        assert_eq!(trades.len(), 1);
        let t = &trades[0];
        assert_eq!(t.legs.len(), 4);
        assert_eq!(t.direction, Direction::Short);
        assert_eq!(t.status, Status::Open);
        assert_eq!(t.entry_price, dec!(1.50));
        assert_eq!(t.gross_pnl, dec!(120));
        // The remaining legs expire worthless (closing fills at 0).
        execs.push(opt(495, Right::Put, Side::Sell, "0", 60));
        execs.push(opt(500, Right::Put, Side::Buy, "0", 60));
        execs.push(opt(525, Right::Call, Side::Sell, "0", 60));
        let t = &build_trades(&execs)[0];
        assert_eq!(t.status, Status::Closed);
        // Credit 150 − 40 paid back on the call = 110; fees 8 × 0.65.
        assert_eq!(t.gross_pnl, dec!(110));
        assert_eq!(t.fees, dec!(5.20));
        assert_eq!(t.pnl, dec!(104.80));
        assert_eq!(t.exit_price, Some(dec!(0.40)));
    }

    #[test]
    fn buy_write_in_one_order_groups_stock_and_call() {
        let mut stock = fill("SPY", Side::Buy, 100, "510", 0);
        stock.order_id = Some("77".into());
        let mut call = opt(520, Right::Call, Side::Sell, "2.00", 0);
        call.order_id = Some("77".into());
        let trades = build_trades(&[stock, call]);
        assert_eq!(trades.len(), 1);
        assert_eq!(trades[0].legs.len(), 2);
        assert_eq!(trades[0].instrument, Instrument::Equity);
    }

    #[test]
    fn a_close_with_no_open_is_flagged_incomplete() {
        let mut e = fill("NVDA", Side::Sell, 10, "900", 0);
        e.effect = Effect::Close;
        let t = &build_trades(&[e])[0];
        assert!(t.incomplete);
        assert_eq!(t.status, Status::Open);
    }

    #[test]
    fn futures_multiplier_counts() {
        let mut a = fill("ESH4", Side::Sell, 2, "5100.25", 0);
        let mut b = fill("ESH4", Side::Buy, 2, "5090.00", 3);
        for e in [&mut a, &mut b] {
            e.instrument = Instrument::Future;
            e.multiplier = dec!(50);
            e.fees = dec!(2.25);
        }
        let t = &build_trades(&[a, b])[0];
        assert_eq!(t.gross_pnl, dec!(1025.00));
        assert_eq!(t.pnl, dec!(1020.50));
    }
}
