//! Any bytes through the attachment check (PNG, JPEG and WebP decoders, the PDF check):
//! never a panic; an accepted image has a size within the limits and a PNG thumbnail that
//! fits the thumbnail square.
#![no_main]

use journal::attachment::{check, sniff, FileKind, THUMB_SIDE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = check(data) {
        assert_eq!(sniff(data), Some(c.kind));
        match c.kind {
            FileKind::Pdf => assert!(c.thumbnail.is_none() && c.size.is_none()),
            _ => {
                let (w, h) = c.size.expect("images have a size");
                assert!(w > 0 && h > 0 && w <= 16_384 && h <= 16_384);
                let t = c.thumbnail.expect("images have a thumbnail");
                assert_eq!(sniff(&t), Some(FileKind::Png));
                let tw = u32::from_be_bytes([t[16], t[17], t[18], t[19]]);
                let th = u32::from_be_bytes([t[20], t[21], t[22], t[23]]);
                assert!(tw <= THUMB_SIDE.max(w.min(THUMB_SIDE)) && th <= THUMB_SIDE);
            }
        }
    }
});
