//! Any bytes given as a vCard file: records or problems, never a panic, a hang or runaway
//! memory.
#![no_main]

use kith::formats::sniff::ImportFormat;
use kith::formats::{ReadOptions, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(records) = read(ImportFormat::Vcard, data.to_vec(), &ReadOptions::default()) {
        for record in records {
            let _ = record;
        }
    }
});
