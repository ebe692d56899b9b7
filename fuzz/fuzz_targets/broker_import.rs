//! Any bytes through the broker-statement importer, in every format and auto-detected: it
//! answers Ok or a typed error and never panics. The first byte picks the format.
#![no_main]

use journal::import::{parse, ColumnMapping, Format, ImportOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let format = Format::ALL.get(pick as usize % (Format::ALL.len() + 1)).copied();
    let mapping = (format == Some(Format::Mapped)).then(|| ColumnMapping {
        date: "Date".into(),
        time: Some("Time".into()),
        datetime_format: "%Y-%m-%d %H:%M:%S".into(),
        symbol: "Symbol".into(),
        side: "Side".into(),
        quantity: "Qty".into(),
        price: "Price".into(),
        ..ColumnMapping::default()
    });
    let opts = ImportOptions {
        timezone: chrono_tz::America::New_York,
        account: None,
        format,
        mapping,
    };
    if let Ok(out) = parse(file, &opts) {
        // Whatever came out is consistent: every error names a line inside the file
        // (`\n`, `\r\n` and a lone `\r` each end a line, as in the CSV reader and editors).
        let lone_cr = file
            .windows(2)
            .filter(|w| w[0] == b'\r' && w[1] != b'\n')
            .count()
            + usize::from(file.last() == Some(&b'\r'));
        let lines = file.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1;
        for e in &out.errors {
            assert!(e.line >= 1 && e.line <= lines + 1, "line {} of {lines}", e.line);
        }
    }
});
