//! Any text through the corporate-actions CSV parser and the adjustment: never a panic;
//! accepted actions have positive values and midnight ex-dates, and adjusting a series by
//! them keeps it finite and positive.
#![no_main]

use libfuzzer_sys::fuzz_target;
use market::{adjust, Adjust, Bar};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(actions) = market::parse_actions_csv(text) {
        let bars: Vec<Bar> = (0..50)
            .map(|i| Bar::new(i * 86_400_000 + 946_684_800_000, 10.0, 11.0, 9.0, 10.5, 100.0))
            .collect();
        for a in &actions {
            assert!(a.value > rust_decimal::Decimal::ZERO, "{a:?}");
            assert_eq!(a.t.rem_euclid(86_400_000), 0, "{a:?}");
        }
        for b in adjust(&bars, &actions, Adjust::All) {
            assert!(b.c.is_finite() && b.c >= 0.0 && b.v.is_finite(), "{b:?}");
        }
    }
});
