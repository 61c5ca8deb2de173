//! The files an import is given that hold no contacts to read: an empty one, a binary one
//! with a contact file's name; and the text it decodes though it has NUL bytes (UTF-16).

use crate::common::Env;

/// An empty file named on the command line is refused (likely the wrong file), not
/// "imported: 0 new"; an empty card file inside a directory is just one without contacts.
#[test]
fn an_empty_file_is_refused_by_name_and_skipped_in_a_directory() {
    let env = Env::new();
    let dir = env.dir.path().join("cards");
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.vcf");
    std::fs::write(&empty, "\n").unwrap();
    let err = env.fails(&["import", empty.to_str().unwrap()], 5);
    assert!(
        err.contains("empty.vcf") && err.contains("is empty"),
        "{err}"
    );
    std::fs::write(
        dir.join("ada.vcf"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let out = env.ok(&["import", dir.to_str().unwrap()]);
    assert!(out.contains("1 new"), "{out}");
}

/// A binary file named on the command line (a program, an archive) is refused as not text,
/// whatever its name says, and nothing is written; a UTF-16 export, whose ASCII has NULs
/// between its letters, is still read, and so is text with a stray NUL (the hostile corpus
/// has some; `hostile.rs` imports it).
#[test]
fn a_binary_file_named_like_contacts_is_refused_as_not_text() {
    let env = Env::new();
    let fake = env.dir.path().join("contacts.vcf");
    // The first bytes of a program: a header, then tables with many NULs.
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    for n in 0..64u8 {
        elf.extend_from_slice(&[n, 0, 0, 0, 0x40, 0, 0, 0]);
    }
    elf.extend_from_slice(b"BEGIN:VCARD\r\nFN:Not A Card\r\nEND:VCARD\r\n");
    std::fs::write(&fake, &elf).unwrap();
    let err = env.fails(&["import", fake.to_str().unwrap()], 5);
    assert!(
        err.contains("contacts.vcf") && err.contains("is not a text file"),
        "{err}"
    );
    assert!(
        !env.db.exists(),
        "a refused import created {}",
        env.db.display()
    );
    let utf16 = env.dir.path().join("utf16.vcf");
    let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, &bytes).unwrap();
    let out = env.ok(&["import", utf16.to_str().unwrap()]);
    assert!(out.contains("1 new"), "{out}");
}
