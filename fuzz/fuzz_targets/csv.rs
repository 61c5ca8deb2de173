//! Any bytes given as a CSV address book, read as each CSV flavour kith imports (generic,
//! Google, Outlook, LinkedIn, with and without a `--map`): records or problems, never a panic.
#![no_main]

use kith::formats::sniff::ImportFormat;
use kith::formats::{ReadOptions, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => ImportFormat::Csv,
        1 => ImportFormat::Google,
        2 => ImportFormat::Outlook,
        _ => ImportFormat::Linkedin,
    };
    // Half the runs map the first header-ish word to a field, as `--map` does.
    let csv_map = if selector & 0x80 != 0 {
        let column = String::from_utf8_lossy(bytes)
            .split([',', '\n'])
            .next()
            .unwrap_or("")
            .to_string();
        vec![(column, "email".to_string())]
    } else {
        Vec::new()
    };
    if let Ok(records) = read(format, bytes.to_vec(), &ReadOptions { csv_map }) {
        for record in records {
            let _ = record;
        }
    }
});
