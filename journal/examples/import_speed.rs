//! Times parsing and matching of a generated 100,000-row generic file, with broker
//! order ids (every fill its own order, as in IBKR exports):
//! `cargo run --release -p journal --example import_speed`.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

fn main() {
    let n = 100_000;
    let mut s = String::from("Date,Time,Symbol,Quantity,Price,Side,Commission,ExecId,OrderId\n");
    for i in 0..n {
        let pair = i / 2;
        let side = if i % 2 == 0 { "Buy" } else { "Sell" };
        s.push_str(&format!(
            "2023-03-{:02},{:02}:{:02}:{:02},S{},100,{}.{:02},{side},1.00,E{i},O{i}\n",
            1 + pair % 28,
            9 + (pair / 28) % 7,
            (pair / 7) % 60,
            pair % 60,
            pair % 200,
            10 + pair % 90,
            pair % 100
        ));
    }
    let opts = journal::import::ImportOptions {
        timezone: chrono_tz::America::New_York,
        account: None,
        format: None,
        mapping: None,
    };
    let t0 = Instant::now();
    let out = journal::import::parse(s.as_bytes(), &opts).unwrap();
    let t1 = Instant::now();
    let execs: Vec<journal::Execution> = out.rows.iter().map(|r| r.execution.clone()).collect();
    let keys = journal::model::dedupe_keys(&execs);
    let t2 = Instant::now();
    let trades = journal::matching::build_trades(&execs);
    let t3 = Instant::now();
    println!(
        "rows {} errors {} trades {} keys {}: parse {:?}, keys {:?}, match {:?}",
        out.rows.len(),
        out.errors.len(),
        trades.len(),
        keys.len(),
        t1 - t0,
        t2 - t1,
        t3 - t2
    );
}
