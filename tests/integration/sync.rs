//! `kith sync` against a real CardDAV server (Radicale, see [`crate::radicale`]): two books,
//! A and B, as two machines, and raw requests as a phone would make them, through the whole
//! loop: up, down, edits both ways, merges, conflicts, deletions, and servers that fail.

use crate::common::Env;
use crate::radicale::{self, PASSWORD, Radicale, USER};

/// `kith` for `env` with the server's password in `DAV_PASSWORD`.
pub fn kith_sync(env: &Env, args: &[&str]) -> std::process::Output {
    env.kith()
        .env("DAV_PASSWORD", PASSWORD)
        .args(args)
        .output()
        .expect("run kith")
}

pub fn sync_ok(env: &Env, args: &[&str]) -> String {
    let out = kith_sync(env, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn add_account(env: &Env, url: &str) {
    env.ok(&[
        "sync",
        "add",
        "home",
        "--url",
        url,
        "--user",
        USER,
        "--password-env",
        "DAV_PASSWORD",
    ]);
}

/// A book with an account `home` on `server`, not synced yet.
pub fn book(server: &Radicale) -> Env {
    let env = Env::new();
    add_account(&env, &server.url());
    env
}

/// Another machine: a new book that syncs down everything on `server`, and whose next sync
/// then changes nothing (what it took down is what it has).
pub fn synced_book(server: &Radicale) -> Env {
    let env = book(server);
    sync_ok(&env, &["sync"]);
    let again = sync_ok(&env, &["sync"]);
    assert!(again.contains("nothing changed"), "{again}");
    env
}

/// Book A with `contacts` added (each the arguments of `kith add`) and synced up, and book B
/// synced down from the server, so both hold the same cards.
pub fn two_books(server: &Radicale, contacts: &[&[&str]]) -> (Env, Env) {
    let a = book(server);
    for args in contacts {
        a.ok(&[&["add"], *args].concat());
    }
    let out = sync_ok(&a, &["sync"]);
    assert!(
        out.contains(&format!("{} written to the server", contacts.len())),
        "{out}"
    );
    let b = synced_book(server);
    assert_eq!(
        b.json(&["list"]).as_array().map(Vec::len),
        Some(contacts.len()),
        "B took down every card"
    );
    (a, b)
}

pub fn show(env: &Env, who: &str) -> serde_json::Value {
    env.json(&["show", who])
}

pub fn field<'a>(v: &'a serde_json::Value, path: &[&str]) -> &'a serde_json::Value {
    path.iter().fold(v, |v, k| &v[*k])
}

#[test]
fn two_books_and_a_phone_meet_through_the_server() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let (a, b) = two_books(
        &server,
        &[
            &[
                "Ada Lovelace",
                "--email",
                "ada@example.com",
                "--new-org",
                "Analytical Engines",
                "--title",
                "CTO",
                "--tag",
                "client",
                "--every",
                "30d",
            ],
            &["Grace Hopper", "--phone", "+1 555 0100"],
        ],
    );
    assert_eq!(server.cards().len(), 2, "{}", server.log());
    let ada_card = server
        .cards()
        .into_iter()
        .find(|(_, c)| c.contains("Ada Lovelace"))
        .expect("Ada's card on the server");
    assert!(ada_card.1.contains("CATEGORIES:client"), "{}", ada_card.1);
    assert!(
        ada_card.1.contains("ORG:Analytical Engines"),
        "{}",
        ada_card.1
    );
    assert!(ada_card.1.contains("X-KITH-CADENCE:30d"), "{}", ada_card.1);

    let ada_b = show(&b, "Ada Lovelace");
    assert_eq!(field(&ada_b, &["contact", "title"]), "CTO", "{ada_b:#}");
    assert_eq!(
        show(&a, "Ada")["contact"]["uid"],
        ada_b["contact"]["uid"],
        "the same UID on both books"
    );

    // An edit on B and a phone's raw PUT both reach A.
    b.ok(&["edit", "Ada Lovelace", "--title", "CEO"]);
    sync_ok(&b, &["sync"]);
    let phone_card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Katherine Johnson\r\n\
                      TEL;TYPE=CELL:+1 555 0199\r\nEND:VCARD\r\n";
    assert_eq!(server.put("phone-1.vcf", phone_card), 201);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("1 added from the server"), "{out}");
    assert!(out.contains("1 updated from the server"), "{out}");
    assert_eq!(show(&a, "Ada")["contact"]["title"], "CEO");
    let kj = show(&a, "Katherine Johnson");
    assert_eq!(kj["contact"]["uid"], "phone-1", "{kj:#}");

    // Nothing changed: nothing to say, and the server is untouched.
    let before = server.cards();
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("nothing changed"), "{out}");
    assert_eq!(server.cards(), before);
    // ...in one request, by sync-collection from the last token.
    let report: serde_json::Value =
        serde_json::from_str(&sync_ok(&a, &["sync", "--json"])).unwrap();
    assert_eq!(report[0]["requests"], 1, "{report:#}");
    assert_eq!(report[0]["incremental"], true);
}

#[test]
fn concurrent_edits_merge_and_the_same_property_is_a_listed_conflict() {
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

    // Different properties: both kept.
    a.ok(&["edit", "Ada", "--title", "CEO"]);
    b.ok(&["edit", "Ada", "--phone", "+44 20 7946 0000"]);
    sync_ok(&b, &["sync"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(!out.contains("conflict"), "{out}");
    let ada = show(&a, "Ada");
    assert_eq!(ada["contact"]["title"], "CEO");
    assert_eq!(
        ada["contact"]["phones"][0]["value"], "+44 20 7946 0000",
        "{ada:#}"
    );
    sync_ok(&b, &["sync"]);
    assert_eq!(show(&b, "Ada")["contact"]["title"], "CEO");

    // The same property: kith keeps its own, the server's is listed.
    a.ok(&["edit", "Ada", "--title", "Chair"]);
    b.ok(&["edit", "Ada", "--title", "Founder"]);
    sync_ok(&b, &["sync"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("1 conflicting property"), "{out}");
    assert_eq!(show(&a, "Ada")["contact"]["title"], "Chair");
    let conflicts = a.json(&["sync", "conflicts"]);
    assert_eq!(conflicts[0]["property"], "TITLE", "{conflicts:#}");
    assert_eq!(conflicts[0]["kept"][0], "TITLE:Chair");
    assert_eq!(conflicts[0]["server"][0], "TITLE:Founder");
    let text = a.ok(&["sync", "conflicts"]);
    assert!(
        text.contains("Ada Lovelace") && text.contains("Founder"),
        "{text}"
    );
    a.ok(&["sync", "conflicts", "--clear"]);
    assert_eq!(a.json(&["sync", "conflicts"]), serde_json::json!([]));
    // kith's value went back to the server, so B converges on it.
    sync_ok(&b, &["sync"]);
    assert_eq!(show(&b, "Ada")["contact"]["title"], "Chair");
}

#[test]
fn deletions_travel_as_archiving() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let a = book(&server);
    a.ok(&["add", "Ada Lovelace"]);
    a.ok(&["add", "Grace Hopper"]);
    sync_ok(&a, &["sync"]);
    let ada_file = server
        .cards()
        .into_iter()
        .find(|(_, c)| c.contains("Ada Lovelace"))
        .unwrap()
        .0;
    assert_eq!(server.delete(&ada_file), 200);
    let out = sync_ok(&a, &["sync"]);
    assert!(
        out.contains("Archived 1") && out.contains("Ada Lovelace"),
        "{out}"
    );
    let ada = show(&a, "#1");
    assert!(!ada["contact"]["archived_at"].is_null(), "{ada:#}");

    a.ok(&["rm", "Grace Hopper"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("1 deleted on the server"), "{out}");
    assert!(server.cards().is_empty());
}

#[test]
fn failing_servers_leave_the_book_as_it_was() {
    let Some(server) = Radicale::start() else {
        return;
    };
    // Wrong password.
    let a = book(&server);
    a.ok(&["add", "Ada Lovelace"]);
    let before = a.dump();
    let out = a
        .kith()
        .env("DAV_PASSWORD", "wrong")
        .args(["sync"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    assert!(
        err.contains("401") && err.contains(&server.url().trim_end_matches('/').to_string()),
        "{err}"
    );
    assert_eq!(a.dump(), before);

    // A port nothing listens on.
    let down = Env::new();
    down.ok(&["add", "Ada Lovelace"]);
    add_account(
        &down,
        &format!("http://127.0.0.1:{}/", radicale::free_port()),
    );
    let before = down.dump();
    let out = kith_sync(&down, &["sync"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{err}");
    assert!(err.contains("connection refused"), "{err}");
    assert_eq!(down.dump(), before);

    // Garbage for XML, and a 404.
    for (response, says) in [
        (
            "HTTP/1.1 207 Multi-Status\r\nConnection: close\r\nContent-Type: application/xml\r\nContent-Length: 23\r\n\r\n<multistatus><response>",
            "malformed XML",
        ),
        (
            "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            "404",
        ),
        (
            "HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            "403 Forbidden",
        ),
        (
            "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n",
            "still after retrying (HTTP 503)",
        ),
    ] {
        let port = radicale::answering(response);
        let env = Env::new();
        env.ok(&["add", "Ada Lovelace"]);
        add_account(&env, &format!("http://127.0.0.1:{port}/dav/"));
        let before = env.dump();
        let out = kith_sync(&env, &["sync"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(9), "{err}");
        assert!(
            err.contains(says) && err.contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
        assert_eq!(env.dump(), before);
    }
}

#[test]
fn accounts_are_kept_without_a_password() {
    let env = Env::new();
    add_account(&env, "https://dav.example.com/");
    let list = env.json(&["sync", "list"]);
    assert_eq!(list[0]["name"], "home");
    assert_eq!(list[0]["password_env"], "DAV_PASSWORD");
    assert!(!env.dump().contains(PASSWORD));
    env.fails(
        &["sync", "add", "x", "--url", "https://d/", "--user", "u"],
        2,
    );
    env.ok(&["sync", "rm", "home"]);
    assert_eq!(env.json(&["sync", "list"]), serde_json::json!([]));
}

#[test]
fn an_interrupted_sync_resumes_without_duplicates() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let a = book(&server);
    let n = 120;
    let mut vcf = String::new();
    for i in 0..n {
        vcf.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:bulk-{i}\r\nFN:Person {i}\r\nEMAIL:p{i}@example.com\r\nEND:VCARD\r\n"
        ));
    }
    let file = a.dir.path().join("many.vcf");
    std::fs::write(&file, vcf).unwrap();
    a.ok(&["import", file.to_str().unwrap()]);

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kith"))
        .env_clear()
        .env("HOME", a.dir.path())
        .env("TZ", "UTC")
        .env("KITH_NOW", crate::common::NOW)
        .env("KITH_DB", &a.db)
        .env("DAV_PASSWORD", PASSWORD)
        .arg("sync")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while server.cards().len() < 20 && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let written = server.cards().len();
    assert!(
        written < n,
        "the sync finished before it could be interrupted ({written})"
    );

    let out = sync_ok(&a, &["sync"]);
    assert!(!out.contains("warning"), "{out}");
    assert_eq!(server.cards().len(), n, "every card once on the server");
    // kith does not read its own writes back: the next sync is one request.
    let report: serde_json::Value =
        serde_json::from_str(&sync_ok(&a, &["sync", "--json"])).unwrap();
    assert_eq!(report[0]["requests"], 1, "{report:#}");
    assert_eq!(report[0]["uploaded"], 0, "{report:#}");
    assert_eq!(a.json(&["list"]).as_array().unwrap().len(), n);

    let b = synced_book(&server);
    assert_eq!(b.json(&["list"]).as_array().unwrap().len(), n);
}

#[test]
fn a_card_whose_name_needs_encoding_stays_one_card() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let a = book(&server);
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ph@one 1\r\nFN:Mary Jackson\r\nEND:VCARD\r\n";
    assert_eq!(
        server.put("ph%40one%201.vcf", card),
        201,
        "{}",
        server.log()
    );
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("1 added from the server"), "{out}");
    a.ok(&["edit", "Mary Jackson", "--title", "Engineer"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("1 written to the server"), "{out}");
    let cards = server.cards();
    assert_eq!(cards.len(), 1, "{cards:#?}");
    assert!(cards[0].1.contains("TITLE:Engineer"), "{}", cards[0].1);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("nothing changed"), "{out}");
}

#[test]
fn a_server_that_takes_only_vcard_3_is_written_3_0() {
    let Some(server) = Radicale::start() else {
        return;
    };
    // The same Radicale, but saying (supported-address-data) it takes vCard 3.0 only.
    let port = radicale::proxy(&server, |body| {
        body.replace(r#"version="4.0""#, r#"version="3.0""#)
    });
    let a = Env::new();
    add_account(&a, &format!("http://127.0.0.1:{port}/"));
    a.ok(&[
        "add",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--phone",
        "+44 20 7946 0000",
        "--birthday",
        "1815-12-10",
        "--new-org",
        "Analytical Engines",
        "--tag",
        "client",
        "--every",
        "30d",
    ]);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("1 written to the server"), "{out}");
    let cards = server.cards();
    assert_eq!(cards.len(), 1, "{}", server.log());
    let card = &cards[0].1;
    assert!(
        card.contains("VERSION:3.0") && !card.contains("VERSION:4.0"),
        "{card}"
    );
    assert!(card.contains("X-KITH-CADENCE:30d"), "{card}");
    // What kith wrote as 3.0 is what it has: no change next time, in one request.
    let report: serde_json::Value =
        serde_json::from_str(&sync_ok(&a, &["sync", "--json"])).unwrap();
    assert_eq!(report[0]["requests"], 1, "{report:#}");
    assert_eq!(report[0]["updated"], serde_json::json!([]), "{report:#}");

    // A book on the plain server reads the 3.0 card as the same contact, and its edit,
    // written as 4.0, comes back to A, whose own edit goes up as 3.0 again.
    let b = synced_book(&server);
    let ada = show(&b, "Ada");
    assert_eq!(
        ada["contact"]["birthday"],
        show(&a, "Ada")["contact"]["birthday"]
    );
    assert_eq!(ada["contact"]["cadence"], "30d", "{ada:#}");
    b.ok(&["edit", "Ada", "--title", "CTO"]);
    sync_ok(&b, &["sync"]);
    a.ok(&["edit", "Ada", "--phone", "+44 20 7946 0001"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(!out.contains("conflict"), "{out}");
    assert_eq!(show(&a, "Ada")["contact"]["title"], "CTO");
    let card = &server.cards()[0].1;
    assert!(
        card.contains("VERSION:3.0") && card.contains("TITLE:CTO"),
        "{card}"
    );
}

#[test]
fn a_server_that_takes_vcard_4_is_written_4_0() {
    let Some(server) = Radicale::start() else {
        return;
    };
    // Radicale says 4.0 only with vobject 1.0 or later; this proxy makes it say 4.0 too.
    let port = radicale::proxy(&server, |body| {
        body.replace(
            r#"version="3.0" />"#,
            r#"version="3.0" /><CR:address-data-type content-type="text/vcard" version="4.0" />"#,
        )
    });
    let a = Env::new();
    add_account(&a, &format!("http://127.0.0.1:{port}/"));
    a.ok(&["add", "Ada Lovelace", "--birthday", "1815-12-10"]);
    sync_ok(&a, &["sync"]);
    let card = &server.cards()[0].1;
    assert!(card.contains("VERSION:4.0"), "{card}");
    let report: serde_json::Value =
        serde_json::from_str(&sync_ok(&a, &["sync", "--json"])).unwrap();
    assert_eq!(report[0]["requests"], 1, "{report:#}");
}

#[test]
fn address_books_on_another_host_are_found_and_synced_there() {
    let Some(server) = Radicale::start() else {
        return;
    };
    // As iCloud does: the server asked names the user's principal and an address-book home
    // on a host of its own (here the Radicale), which kith follows.
    let home = format!("http://127.0.0.1:{}/{USER}/", server.port);
    let answer = format!(
        "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" \
         xmlns:c=\"urn:ietf:params:xml:ns:carddav\"><d:response><d:href>/</d:href>\
         <d:propstat><d:prop><d:current-user-principal><d:href>/1234/principal/</d:href>\
         </d:current-user-principal><c:addressbook-home-set><d:href>{home}</d:href>\
         </c:addressbook-home-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>\
         </d:response></d:multistatus>"
    );
    let front = radicale::serving(move |_, stream| {
        use std::io::Write;
        let _ = write!(
            stream,
            "HTTP/1.1 207 Multi-Status\r\nConnection: close\r\nContent-Type: application/xml\r\n\
             Content-Length: {}\r\n\r\n{answer}",
            answer.len()
        );
    });
    let a = Env::new();
    add_account(&a, &format!("http://127.0.0.1:{front}/"));
    a.ok(&["add", "Ada Lovelace"]);
    let out = sync_ok(&a, &["sync"]);
    assert!(out.contains("1 written to the server"), "{out}");
    assert_eq!(server.cards().len(), 1, "{}", server.log());
    let list = a.json(&["sync", "list"]);
    assert_eq!(
        list[0]["collection"],
        format!("{home}{}/", radicale::BOOK),
        "{list:#}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&sync_ok(&a, &["sync", "--json"])).unwrap();
    assert_eq!(report[0]["requests"], 1, "{report:#}");
}
