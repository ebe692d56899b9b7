//! How long the analytics take over 100,000 closed trades with no database in the way
//! (the server's figure minus this is loading the rows):
//!   cargo run --release -p journal --example analytics_speed
use chrono::{Duration, TimeZone, Utc};
use journal::analytics::{equity_curve, summary, ClosedTrade, Period};
use rust_decimal::Decimal;
use std::time::Instant;

fn main() {
    let start = Utc.with_ymd_and_hms(2024, 1, 2, 14, 30, 0).unwrap();
    let trades: Vec<ClosedTrade> = (0..100_000i64)
        .map(|i| {
            let opened = start + Duration::minutes(i * 3);
            ClosedTrade {
                pnl: Decimal::new((i * 7919) % 20_001 - 9_000, 2),
                fees: Decimal::new(100, 2),
                opened_at: opened,
                closed_at: opened + Duration::minutes(2),
                risk: (i % 3 == 0).then(|| Decimal::new(5_000, 2)),
                symbol: format!("S{}", i % 200),
                instrument: "equity".into(),
                setup: None,
                tags: Vec::new(),
            }
        })
        .collect();
    for _ in 0..3 {
        let t = Instant::now();
        let s = summary(
            &trades,
            chrono_tz::America::New_York,
            Decimal::new(10_000, 0),
        );
        let a = t.elapsed();
        let t = Instant::now();
        let c = equity_curve(&trades, chrono_tz::America::New_York, Period::Day);
        let b = t.elapsed();
        println!(
            "summary {:.1} ms ({} trades), equity curve {:.1} ms ({} points)",
            a.as_secs_f64() * 1e3,
            s.total_trades,
            b.as_secs_f64() * 1e3,
            c.len()
        );
    }
}
