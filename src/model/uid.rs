//! Stable identifiers of records: UUID v4, from the OS random source (or a fixed sequence
//! under the `KITH_UID_SEED` testing hook).

/// The testing hook that makes new UIDs a deterministic sequence (see [`new_uid`]).
pub const UID_SEED_VAR: &str = "KITH_UID_SEED";

/// A fresh stable identifier: a random UUID v4, lowercase and hyphenated.
///
/// Testing hook: with `KITH_UID_SEED=N` (an integer) the UIDs one run makes are a fixed
/// sequence drawn from N, still UUID v4 shaped, so scripted books and snapshots repeat. Each
/// run starts its sequence anew: give each command its own N.
pub fn new_uid() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEED: OnceLock<Option<u64>> = OnceLock::new();
    static SEEDED_COUNT: AtomicU64 = AtomicU64::new(0);
    let seed = SEED.get_or_init(|| {
        std::env::var(UID_SEED_VAR)
            .ok()
            .and_then(|v| v.trim().parse().ok())
    });
    let uuid = match seed {
        None => random_uuid(),
        Some(seed) => seeded_uuid(*seed, SEEDED_COUNT.fetch_add(1, Ordering::Relaxed)),
    };
    uuid.hyphenated()
        .encode_lower(&mut uuid::Uuid::encode_buffer())
        .to_owned()
}

/// How many UIDs' worth of random bytes one read of the OS random source gives.
const UIDS_A_READ: usize = 64;

/// A random UUID v4 from the OS random source, read for [`UIDS_A_READ`] UIDs at a time: an
/// import into an empty book makes one for every new organization, and a getrandom(2) call
/// each was 24k system calls for 100k cards on the writing thread.
fn random_uuid() -> uuid::Uuid {
    use std::cell::RefCell;
    thread_local! {
        static POOL: RefCell<([u8; 16 * UIDS_A_READ], usize)> =
            const { RefCell::new(([0; 16 * UIDS_A_READ], UIDS_A_READ)) };
    }
    POOL.with_borrow_mut(|(bytes, used)| {
        if *used == UIDS_A_READ {
            if getrandom::fill(bytes).is_err() {
                return uuid::Uuid::new_v4();
            }
            *used = 0;
        }
        let mut random = [0u8; 16];
        random.copy_from_slice(&bytes[*used * 16..][..16]);
        // Each UID's bytes are used once: the pool never hands them out again.
        bytes[*used * 16..][..16].fill(0);
        *used += 1;
        uuid::Builder::from_random_bytes(random).into_uuid()
    })
}

/// The `n`th UUID of the sequence drawn from `seed`: distinct for every (seed, n).
fn seeded_uuid(seed: u64, n: u64) -> uuid::Uuid {
    let high = splitmix64(seed ^ splitmix64(n));
    let low = splitmix64(seed.wrapping_add(n).rotate_left(32));
    let bytes = (u128::from(high) << 64) | u128::from(low);
    uuid::Builder::from_random_bytes(bytes.to_be_bytes()).into_uuid()
}

/// A well-mixed 64-bit value from `x` (SplitMix64's finaliser), for seeded UIDs.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_uids_repeat_per_seed_and_differ_across_seeds() {
        let run = |seed| (0..1000).map(|n| seeded_uuid(seed, n)).collect::<Vec<_>>();
        assert_eq!(run(7), run(7));
        let mut all: Vec<_> = run(7).into_iter().chain(run(8)).collect();
        assert!(all.iter().all(|u| u.get_version_num() == 4));
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 2000);
    }

    #[test]
    fn random_uids_stay_distinct_past_a_read_of_the_random_source() {
        let mut all: Vec<_> = (0..UIDS_A_READ * 3 + 1).map(|_| random_uuid()).collect();
        assert!(all.iter().all(|u| u.get_version_num() == 4));
        all.sort();
        all.dedup();
        assert_eq!(all.len(), UIDS_A_READ * 3 + 1);
    }

    #[test]
    fn uids_are_unique_and_uuid_shaped() {
        let a = new_uid();
        let b = new_uid();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        for uid in [&a, &b] {
            let groups: Vec<usize> = uid.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{uid}");
            assert!(
                uid.chars()
                    .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)),
                "{uid}"
            );
            assert!("89ab".contains(&uid[19..20]), "variant of {uid}");
        }
    }
}
