//! Executions (broker fills): the journal's source of truth. Trades are derived from them.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What was traded. Options and futures carry a contract multiplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Instrument {
    Equity,
    Option,
    Future,
    Crypto,
    Forex,
}

impl Instrument {
    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::Equity => "equity",
            Instrument::Option => "option",
            Instrument::Future => "future",
            Instrument::Crypto => "crypto",
            Instrument::Forex => "forex",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "equity" | "stock" | "stk" | "etf" => Instrument::Equity,
            "option" | "opt" | "options" => Instrument::Option,
            "future" | "fut" | "futures" => Instrument::Future,
            "crypto" => Instrument::Crypto,
            "forex" | "fx" | "cash" => Instrument::Forex,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    /// +1 for buys, -1 for sells: the sign of the position change.
    pub fn sign(self) -> Decimal {
        match self {
            Side::Buy => Decimal::ONE,
            Side::Sell => Decimal::NEGATIVE_ONE,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buy => "buy",
            Side::Sell => "sell",
        }
    }
}

/// Opening or closing, where the broker reports it (options brokers usually do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Open,
    Close,
    #[default]
    Unknown,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Open => "open",
            Effect::Close => "close",
            Effect::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Right {
    Call,
    Put,
}

impl Right {
    pub fn letter(self) -> char {
        match self {
            Right::Call => 'C',
            Right::Put => 'P',
        }
    }
}

/// The terms that identify an option contract.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OptionTerms {
    pub underlying: String,
    pub expiry: NaiveDate,
    pub strike: Decimal,
    pub right: Right,
}

/// One fill as the broker reported it, normalised: time in UTC, quantity positive, fees a
/// positive cost (a rebate is negative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Execution {
    /// The broker account number or label; trades never cross accounts.
    pub account: String,
    pub broker: String,
    /// Ticker for equities, futures, crypto and forex; for options the underlying's ticker
    /// (the contract is identified by `option`).
    pub symbol: String,
    pub instrument: Instrument,
    pub side: Side,
    pub effect: Effect,
    pub quantity: Decimal,
    pub price: Decimal,
    /// Commissions and fees together, as a cost.
    pub fees: Decimal,
    pub time: DateTime<Utc>,
    pub exec_id: Option<String>,
    pub order_id: Option<String>,
    pub option: Option<OptionTerms>,
    /// Contract size: 1 for shares, usually 100 for equity options, per contract for futures.
    pub multiplier: Decimal,
}

impl Execution {
    /// The contract a position is kept in: one FIFO queue per account and contract key.
    pub fn contract_key(&self) -> String {
        match &self.option {
            Some(o) => format!(
                "{} {} {} {}",
                o.underlying.to_ascii_uppercase(),
                o.expiry,
                o.strike.normalize(),
                o.right.letter()
            ),
            None => self.symbol.to_ascii_uppercase(),
        }
    }

    /// The symbol a trade is filed under: the ticker, or the option's underlying.
    pub fn underlying(&self) -> &str {
        match &self.option {
            Some(o) => &o.underlying,
            None => &self.symbol,
        }
    }

    /// Signed position change in contracts/shares.
    pub fn signed_quantity(&self) -> Decimal {
        self.side.sign() * self.quantity
    }

    /// Cash value of the fill before fees: quantity × price × multiplier.
    pub fn notional(&self) -> Decimal {
        self.quantity * self.price * self.multiplier
    }

    /// A stable fingerprint for deduplication when the broker gives no execution id. The
    /// importer adds an occurrence counter so genuine identical fills in one file survive.
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        // The broker's name is left out so an export re-imported through the generic
        // format finds the same fills.
        for part in [
            self.account.as_str(),
            &self.contract_key(),
            self.instrument.as_str(),
            self.side.as_str(),
            &self.quantity.normalize().to_string(),
            &self.price.normalize().to_string(),
            &self.fees.normalize().to_string(),
            &self.time.to_rfc3339(),
            self.order_id.as_deref().unwrap_or(""),
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex::encode(h.finalize())
    }

    /// The key an import dedupes on: the broker's execution id where given, else the content
    /// hash with the occurrence number of identical rows within the file.
    pub fn dedupe_key(&self, occurrence: usize) -> String {
        match &self.exec_id {
            // Execution ids are unique within a broker account.
            Some(id) if !id.trim().is_empty() => format!("id:{}:{}", self.account, id.trim()),
            _ => format!("h:{}:{occurrence}", self.content_hash()),
        }
    }
}

/// Assigns dedupe keys to a file's executions, counting identical rows so two genuine fills
/// with the same content (same second, price and size) keep distinct keys.
pub fn dedupe_keys<E: std::borrow::Borrow<Execution>>(execs: &[E]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    execs
        .iter()
        .map(|e| {
            let e: &Execution = e.borrow();
            if e.exec_id.as_deref().is_some_and(|s| !s.trim().is_empty()) {
                e.dedupe_key(0)
            } else {
                let n = seen.entry(e.content_hash()).or_insert(0);
                *n += 1;
                e.dedupe_key(*n)
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use chrono::TimeZone;

    /// A share fill at the given UTC time (minutes after 2024-03-04 14:30).
    pub fn fill(symbol: &str, side: Side, qty: i64, price: &str, minute: i64) -> Execution {
        Execution {
            account: "U1".into(),
            broker: "test".into(),
            symbol: symbol.into(),
            instrument: Instrument::Equity,
            side,
            effect: Effect::Unknown,
            quantity: Decimal::from(qty),
            price: price.parse().unwrap_or_default(),
            fees: Decimal::ZERO,
            time: Utc
                .with_ymd_and_hms(2024, 3, 4, 14, 30, 0)
                .single()
                .unwrap_or_default()
                + chrono::Duration::minutes(minute),
            exec_id: None,
            order_id: None,
            option: None,
            multiplier: Decimal::ONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::fill;
    use super::*;

    #[test]
    fn identical_fills_in_one_file_keep_distinct_keys() {
        let a = fill("AAPL", Side::Buy, 100, "10", 0);
        let keys = dedupe_keys(&[
            a.clone(),
            a.clone(),
            fill("AAPL", Side::Buy, 100, "10.01", 0),
        ]);
        assert_eq!(keys.len(), 3);
        assert_ne!(keys[0], keys[1]);
        assert_ne!(keys[1], keys[2]);
        // Re-importing the same file gives the same keys.
        assert_eq!(
            keys,
            dedupe_keys(&[a.clone(), a, fill("AAPL", Side::Buy, 100, "10.01", 0)])
        );
    }

    #[test]
    fn broker_ids_win_over_content() {
        let mut a = fill("AAPL", Side::Buy, 100, "10", 0);
        a.exec_id = Some("0001f4e8.65e5b1a2.01.01".into());
        let mut b = a.clone();
        b.price = "11".parse().unwrap_or_default();
        assert_eq!(dedupe_keys(&[a])[0], dedupe_keys(&[b])[0]);
    }

    #[test]
    fn option_contract_keys_normalise_strikes() {
        let mut a = fill("SPY", Side::Buy, 1, "1.25", 0);
        a.instrument = Instrument::Option;
        a.option = Some(OptionTerms {
            underlying: "spy".into(),
            expiry: NaiveDate::from_ymd_opt(2024, 3, 15).unwrap_or_default(),
            strike: "500.000".parse().unwrap_or_default(),
            right: Right::Put,
        });
        assert_eq!(a.contract_key(), "SPY 2024-03-15 500 P");
        assert_eq!(a.underlying(), "spy");
    }
}
