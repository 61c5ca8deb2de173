//! The interactions of many people, read by whichever thread is free: their ids in
//! ascending order (neighbours share pages), handed out a batch at a time, each batch one
//! statement over `contact_touches`. `kith today --json` scores its thousands of people to
//! reconnect with this way: the thread that read the follow-ups takes the batches left when
//! it is done with them.

use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::Connection;

use super::{bytes, read_touches};
use crate::error::Result;
use crate::health::Touch;

/// People to read the interactions of, shared between threads (see the module).
pub struct TouchBatches {
    /// Each person's contact id and the caller's place for them, by id.
    people: Vec<(i64, usize)>,
    /// The first person no thread has taken yet.
    next: AtomicUsize,
}

/// People a batch: small enough that a thread joining late still finds some left, large
/// enough that a statement's start is nothing beside its rows.
const BATCH: usize = 256;

impl TouchBatches {
    /// `people`: each one's contact id and the place the caller knows them by.
    pub fn new(mut people: Vec<(i64, usize)>) -> TouchBatches {
        people.sort_unstable();
        TouchBatches {
            people,
            next: AtomicUsize::new(0),
        }
    }

    /// Takes batches on `conn` until none is left, handing `each` every person of them: their
    /// place and their interactions, oldest first (none: never contacted).
    pub fn work(&self, conn: &Connection, mut each: impl FnMut(usize, &[Touch])) -> Result<()> {
        // Each id of the batch sought within one statement (the ids as one JSON array): a
        // statement run for each person cost more than the seeks.
        let mut stmt = conn.prepare_cached(
            "SELECT j.key, t.touches FROM json_each(?1) j
              CROSS JOIN contact_touches t ON t.contact_id = j.value",
        )?;
        let mut list = String::new();
        let mut touches = Vec::new();
        loop {
            let start = self.next.fetch_add(BATCH, Ordering::Relaxed);
            let Some(batch) = self
                .people
                .get(start..(start + BATCH).min(self.people.len()))
            else {
                return Ok(());
            };
            if batch.is_empty() {
                return Ok(());
            }
            list.clear();
            list.push('[');
            let mut digits = [0u8; 20];
            for (n, &(id, _)) in batch.iter().enumerate() {
                if n > 0 {
                    list.push(',');
                }
                // Digits and a sign: ASCII.
                let number = crate::numbers::decimal(id, &mut digits);
                list.push_str(std::str::from_utf8(number).unwrap_or("0"));
            }
            list.push(']');
            let mut read = [false; BATCH];
            let mut rows = stmt.query([&list])?;
            while let Some(r) = rows.next()? {
                let key: i64 = r.get(0)?;
                let Some(k) = usize::try_from(key).ok().filter(|&k| k < batch.len()) else {
                    continue;
                };
                touches.clear();
                read_touches(bytes(r, 1)?, &mut touches)?;
                read[k] = true;
                each(batch[k].1, &touches);
            }
            // Never contacted: no row.
            for (k, &(_, place)) in batch.iter().enumerate() {
                if !read[k] {
                    each(place, &[]);
                }
            }
        }
    }
}
