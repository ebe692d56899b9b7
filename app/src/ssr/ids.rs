//! Ids for rows written in bulk.

use std::sync::Mutex;

use rand::RngCore;
use uuid::Uuid;

/// The last id's millisecond and counter, so ids made in one millisecond still ascend.
static LAST: Mutex<(u64, u64)> = Mutex::new((0, 0));

/// Counter values at or above this move the id into the next millisecond (42 bits).
const COUNTER_END: u64 = 1 << 42;

/// A UUIDv7 (RFC 9562): milliseconds since the Unix epoch, a 42-bit counter (method 1 of
/// its section 6.2), then 32 random bits. Rows inserted together land next to each other
/// in their primary-key index, and ids made in this process strictly ascend: the journal
/// rebuild breaks ties between fills of the same second by id, which keeps them in file
/// order. Unlike `Uuid::now_v7`, which asks the kernel for randomness once per id (the
/// `getrandom` calls were 2.5 % of a 100,000-fill import's CPU), the random bits come
/// from the thread's generator (ChaCha, seeded from the operating system).
pub fn time_ordered() -> Uuid {
    let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut rng = rand::rng();
    let (millis, counter) = {
        let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
        let next = if now > last.0 {
            // A fresh millisecond starts the counter at a random point in its lower half.
            (now, rng.next_u64() >> 23)
        } else if last.1 + 1 < COUNTER_END {
            (last.0, last.1 + 1)
        } else {
            (last.0 + 1, 0)
        };
        *last = next;
        next
    };
    let mut bits = [0u8; 10];
    // rand_a: the counter's top 12 bits (the builder puts the version over the top nibble).
    bits[..2].copy_from_slice(&((counter >> 30) as u16).to_be_bytes());
    // rand_b: two variant bits (set by the builder), 30 counter bits, 32 random bits.
    let low = ((counter & ((1 << 30) - 1)) << 32) | u64::from(rng.next_u32());
    bits[2..].copy_from_slice(&low.to_be_bytes());
    uuid::Builder::from_unix_timestamp_millis(millis, &bits).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_7_and_strictly_ascending() {
        let ids: Vec<Uuid> = (0..50_000).map(|_| time_ordered()).collect();
        for w in ids.windows(2) {
            assert!(w[0] < w[1], "{} then {}", w[0], w[1]);
        }
        let a = ids[0];
        assert_eq!(a.get_version_num(), 7);
        assert_eq!(a.get_variant(), uuid::Variant::RFC4122);
        let (secs, _) = a.get_timestamp().map(|t| t.to_unix()).unwrap_or_default();
        let now = chrono::Utc::now().timestamp() as u64;
        assert!(now.abs_diff(secs) <= 1, "{secs} vs {now}");
    }
}
