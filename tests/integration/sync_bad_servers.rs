//! `kith sync` against servers that misbehave in ways a user meets: one that answers too
//! slowly, one whose answer never ends, and one that rewrites the cards it is given (as many
//! servers normalise them). The book stays as it was, the message names the server, and a
//! rewritten card is no change on either side.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::common::Env;
use crate::radicale::{self, Radicale};
use crate::sync::{add_account, sync_ok, two_books};

/// Sync `env` expecting failure with exit 9; stderr.
fn sync_fails(env: &Env, timeout: Option<&str>) -> String {
    let mut cmd = env.kith();
    cmd.env("DAV_PASSWORD", radicale::PASSWORD).arg("sync");
    if let Some(secs) = timeout {
        cmd.env("KITH_SYNC_TIMEOUT", secs);
    }
    let out = cmd.output().expect("run kith");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(9), "{err}");
    err
}

fn book_on(port: u16) -> Env {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@example.com"]);
    add_account(&env, &format!("http://127.0.0.1:{port}/dav/"));
    env
}

#[test]
fn a_server_too_slow_to_answer_times_out_naming_it() {
    let port = radicale::serving(|_, stream| {
        std::thread::sleep(Duration::from_secs(4));
        let _ = stream.write_all(
            b"HTTP/1.1 207 Multi-Status\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        );
    });
    let env = book_on(port);
    let before = env.dump();
    let start = Instant::now();
    let err = sync_fails(&env, Some("1"));
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "gave up in time: {:?}",
        start.elapsed()
    );
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("no answer within 1 s"),
        "{err}"
    );
    assert_eq!(env.dump(), before);

    let bad = env
        .kith()
        .env("DAV_PASSWORD", radicale::PASSWORD)
        .env("KITH_SYNC_TIMEOUT", "soon")
        .arg("sync")
        .output();
    let bad = bad.expect("run kith");
    assert_eq!(bad.status.code(), Some(5), "an invalid value");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("KITH_SYNC_TIMEOUT"));
}

#[test]
fn an_answer_past_the_cap_is_refused_not_read_whole() {
    // A multistatus that says it is 200 MB and goes on until the client hangs up.
    let port = radicale::serving(|_, stream| {
        let head = "HTTP/1.1 207 Multi-Status\r\nConnection: close\r\n\
                    Content-Type: application/xml\r\nContent-Length: 200000000\r\n\r\n\
                    <?xml version=\"1.0\"?><multistatus xmlns=\"DAV:\">";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..200 {
            if stream.write_all(&chunk).is_err() {
                return;
            }
        }
    });
    let env = book_on(port);
    let before = env.dump();
    let err = sync_fails(&env, None);
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("larger than 64 MB; refused"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
}

/// The card as a server that normalises what it is given would keep it: its own PRODID and
/// REV, properties in another order, parameter names in lower case, long lines folded.
fn rewritten(card: &str) -> String {
    let lines: Vec<&str> = card.lines().map(|l| l.trim_end_matches('\r')).collect();
    let (frame, mut body): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| {
        l.starts_with("BEGIN:") || l.starts_with("END:") || l.starts_with("VERSION:")
    });
    body.reverse();
    let mut out = vec![
        frame[0].to_string(),
        frame[1].to_string(),
        "PRODID:-//Example Corp.//Normaliser 1.0//EN".into(),
        "REV:20261201T120000Z".into(),
    ];
    for line in body {
        let line = line.replace(";TYPE=", ";type=");
        let mut folded = String::new();
        for (i, ch) in line.chars().enumerate() {
            if i > 0 && i % 30 == 0 {
                folded.push_str("\r\n ");
            }
            folded.push(ch);
        }
        out.push(folded);
    }
    out.push(frame[2].to_string());
    out.join("\r\n") + "\r\n"
}

#[test]
fn a_card_the_server_rewrote_is_no_change_on_either_side() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let (a, b) = two_books(
        &server,
        &[&[
            "Ada Lovelace",
            "--title",
            "Chief Technology Officer of the Analytical Engine Company",
            "--email",
            "ada@example.com",
            "--phone",
            "+44 20 7946 0000",
            "--tag",
            "client",
        ]],
    );
    // The server rewrites the card where it keeps it: its text and ETag change, its meaning
    // does not.
    let (name, text) = server.cards().remove(0);
    let new_text = rewritten(&text);
    assert_ne!(new_text, text);
    std::fs::write(server.book_dir().join(&name), &new_text).unwrap();
    let (a_before, b_before) = (a.dump(), b.dump());

    for (book, before) in [(&a, a_before), (&b, b_before)] {
        let report: serde_json::Value =
            serde_json::from_str(&sync_ok(book, &["sync", "--json"])).unwrap();
        let r = &report[0];
        assert!(
            r["requests"].as_u64() > Some(1),
            "the new ETag was seen: {r:#}"
        );
        assert_eq!(r["updated"], serde_json::json!([]), "{r:#}");
        assert_eq!(r["uploaded"], 0, "not written back: {r:#}");
        assert_eq!(r["conflicts"], 0, "{r:#}");
        // Only what kith knows of the server moved (the card's new ETag and the token).
        let contacts = |dump: &str| -> Vec<String> {
            dump.lines()
                .filter(|l| !l.starts_with("sync_"))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(contacts(&book.dump()), contacts(&before));
        // ...and the next sync is one request with nothing to do: no loop.
        let report: serde_json::Value =
            serde_json::from_str(&sync_ok(book, &["sync", "--json"])).unwrap();
        assert_eq!(report[0]["requests"], 1, "{report:#}");
    }
    assert_eq!(
        server.cards(),
        vec![(name, new_text)],
        "the server's text stays"
    );

    // An edit after that still travels, merged with the server's spelling.
    a.ok(&["edit", "Ada", "--title", "CEO"]);
    sync_ok(&a, &["sync"]);
    sync_ok(&b, &["sync"]);
    assert_eq!(b.json(&["show", "Ada"])["contact"]["title"], "CEO");
    assert_eq!(
        b.json(&["show", "Ada"])["contact"]["phones"][0]["value"],
        "+44 20 7946 0000"
    );
}
