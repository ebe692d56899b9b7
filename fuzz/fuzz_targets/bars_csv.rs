//! Any bytes through the bar CSV parser: all-or-nothing, never a panic; what it accepts
//! is valid bars sorted by time.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = market::parse_bars_csv(data, "FUZZ", 10_000) {
        for s in &parsed.series {
            for w in s.bars.windows(2) {
                assert!(w[0].t < w[1].t, "bars out of order");
            }
            for b in &s.bars {
                assert!(market::check_bar(b.o, b.h, b.l, b.c, b.v).is_ok(), "{b:?}");
            }
        }
    }
});
