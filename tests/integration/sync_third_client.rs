//! Two kith books and a third client kith never wrote, syncing through one Radicale:
//! vdirsyncer with a local folder (as khard users run it) edits, adds and deletes cards
//! between kith's syncs, and kith's changes reach its folder. Every change arrives on both
//! books and nothing else changes; an edit on both sides merges, or becomes a listed conflict.

use crate::common::Env;
use crate::radicale::Radicale;
use crate::sync::{show, sync_ok, two_books};
use crate::vdirsyncer::Vdirsyncer;

/// Replace `from` with `to` in the card file `path` (a user's edit in the folder).
fn edit_file(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {text}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A contact as a book shows it, without what differs between books for the same card (its
/// row id) or what a write stamps (the times).
fn contact(env: &Env, who: &str) -> serde_json::Value {
    let mut c = show(env, who)["contact"].clone();
    if let Some(map) = c.as_object_mut() {
        map.remove("id");
        map.remove("updated_at");
        map.remove("created_at");
    }
    c
}

fn names(env: &Env, args: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = env
        .json(args)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["display_name"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

const KHARD_CARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:khard-kj-1\r\nFN:Katherine Johnson\r\n\
     N:Johnson;Katherine;;;\r\nEMAIL;TYPE=work:kj@example.org\r\nORG:NASA\r\n\
     TEL;TYPE=cell:+1 555 0199\r\nEND:VCARD\r\n";

#[test]
fn a_third_client_edits_adds_and_deletes_and_both_books_follow() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let (a, b) = two_books(
        &server,
        &[
            &[
                "Ada Lovelace",
                "--title",
                "CTO",
                "--email",
                "ada@example.com",
            ],
            &["Grace Hopper", "--phone", "+1 555 0100", "--tag", "navy"],
            &["Alan Turing", "--email", "alan@example.com"],
        ],
    );
    let Some(v) = Vdirsyncer::start(&server) else {
        return;
    };
    assert_eq!(v.cards().len(), 3, "vdirsyncer took down kith's cards");
    let grace_before = contact(&a, "Grace Hopper");
    assert_eq!(contact(&b, "Grace Hopper"), grace_before);

    // In the folder: an edit, a new card as khard writes it (vCard 3.0), a deletion.
    edit_file(&v.file_with("Ada Lovelace"), "TITLE:CTO", "TITLE:CEO");
    std::fs::write(v.folder().join("khard-kj-1.vcf"), KHARD_CARD).unwrap();
    std::fs::remove_file(v.file_with("Alan Turing")).unwrap();
    v.sync();
    assert_eq!(server.cards().len(), 3, "{}", server.log());

    for book in [&a, &b] {
        let out = sync_ok(book, &["sync"]);
        assert!(out.contains("1 added from the server"), "{out}");
        assert!(out.contains("1 updated from the server"), "{out}");
        assert!(
            out.contains("Archived 1") && out.contains("Alan Turing"),
            "{out}"
        );
        assert_eq!(contact(book, "Ada Lovelace")["title"], "CEO");
        let kj = contact(book, "Katherine Johnson");
        assert_eq!(kj["uid"], "khard-kj-1", "{kj:#}");
        assert_eq!(kj["emails"][0]["value"], "kj@example.org", "{kj:#}");
        assert_eq!(kj["phones"][0]["value"], "+1 555 0199", "{kj:#}");
        assert_eq!(show(book, "Katherine")["organization"]["name"], "NASA");
        assert!(!contact(book, "Alan Turing")["archived_at"].is_null());
        // Exactly those changes: the contact no one touched is as it was.
        assert_eq!(contact(book, "Grace Hopper"), grace_before);
        assert_eq!(
            names(book, &["list"]),
            ["Ada Lovelace", "Grace Hopper", "Katherine Johnson"]
        );
        let again = sync_ok(book, &["sync"]);
        assert!(again.contains("nothing changed"), "{again}");
    }
    // kith wrote nothing back that vdirsyncer would see as a change of its own.
    let folder_before = v.cards();
    v.sync();
    assert_eq!(v.cards(), folder_before);

    // The reverse: kith's edit, addition and deletion reach the folder.
    a.ok(&["edit", "Grace Hopper", "--title", "Rear Admiral"]);
    a.ok(&["add", "Mary Jackson", "--email", "mary@example.org"]);
    a.ok(&["rm", "Katherine Johnson"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("2 written to the server"), "{out}");
    assert!(out.contains("1 deleted on the server"), "{out}");
    v.sync();
    let folder = v.cards();
    assert_eq!(folder.len(), 3, "{folder:#?}");
    assert!(
        std::fs::read_to_string(v.file_with("Grace Hopper"))
            .unwrap()
            .contains("TITLE:Rear Admiral")
    );
    assert!(
        std::fs::read_to_string(v.file_with("Mary Jackson"))
            .unwrap()
            .contains("mary@example.org")
    );
    assert!(folder.iter().all(|(_, t)| !t.contains("Katherine Johnson")));
    let out = sync_ok(&b, &["sync"]);
    assert!(out.contains("1 added from the server"), "{out}");
    assert_eq!(contact(&b, "Grace Hopper")["title"], "Rear Admiral");
    assert!(!contact(&b, "Katherine Johnson")["archived_at"].is_null());
}

#[test]
fn the_third_clients_edits_merge_with_kiths_and_a_clash_is_listed() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let (a, b) = two_books(
        &server,
        &[&[
            "Ada Lovelace",
            "--title",
            "CTO",
            "--email",
            "ada@example.com",
        ]],
    );
    let Some(v) = Vdirsyncer::start(&server) else {
        return;
    };
    // Different properties: the folder changes the title, book A adds a phone.
    edit_file(&v.file_with("Ada Lovelace"), "TITLE:CTO", "TITLE:CEO");
    v.sync();
    a.ok(&["edit", "Ada", "--phone", "+44 20 7946 0000"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(!out.contains("conflict"), "{out}");
    let ada = contact(&a, "Ada");
    assert_eq!(ada["title"], "CEO", "{ada:#}");
    assert_eq!(ada["phones"][0]["value"], "+44 20 7946 0000", "{ada:#}");
    v.sync();
    let file = std::fs::read_to_string(v.file_with("Ada Lovelace")).unwrap();
    assert!(
        file.contains("TITLE:CEO") && file.contains("+44 20 7946 0000"),
        "{file}"
    );

    // The same property: book B keeps its value, lists the folder's.
    edit_file(&v.file_with("Ada Lovelace"), "TITLE:CEO", "TITLE:Founder");
    v.sync();
    b.ok(&["edit", "Ada", "--title", "Chair"]);
    let out = sync_ok(&b, &["sync"]);
    assert!(out.contains("1 conflicting property"), "{out}");
    let ada = contact(&b, "Ada");
    assert_eq!(ada["title"], "Chair");
    assert_eq!(ada["phones"][0]["value"], "+44 20 7946 0000", "{ada:#}");
    let conflicts = b.json(&["sync", "conflicts"]);
    assert_eq!(conflicts[0]["server"][0], "TITLE:Founder", "{conflicts:#}");
    // B's value went to the server: book A and the folder converge on it.
    sync_ok(&a, &["sync"]);
    assert_eq!(contact(&a, "Ada")["title"], "Chair");
    v.sync();
    let file = std::fs::read_to_string(v.file_with("Ada Lovelace")).unwrap();
    assert!(file.contains("TITLE:Chair"), "{file}");
}
