//! An import brings `find`'s search rows and `grep`'s full-text indexes up to date once, at
//! the end, instead of row by row: whatever it writes must end up exactly as the per-row
//! triggers would have left it, and a database with triggers kith does not know about still
//! gets them fired.

use crate::common::Env;
use crate::import_json::populate;

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn card(uid: &str, name: &str, email: &str, org: &str, note: &str, tags: &str) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nORG:{org}\r\n\
         EMAIL:{email}\r\nTEL:+1 555 0100\r\nNOTE:{note}\r\nCATEGORIES:{tags}\r\nEND:VCARD\r\n"
    )
}

/// The stored search rows are what the search view computes from the contacts, and both
/// full-text indexes agree with the text they index.
fn assert_indexes_right(env: &Env) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let rows = |sql: &str| -> Vec<(i64, Option<i64>, i64, String)> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let stored = rows("SELECT * FROM contact_search ORDER BY contact_id");
    let expected = rows("SELECT * FROM contact_search_source ORDER BY contact_id");
    assert!(!expected.is_empty());
    assert_eq!(stored, expected, "search rows differ from their source");
    for fts in ["contact_notes_fts", "interactions_fts"] {
        conn.execute(
            &format!("INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"),
            [],
        )
        .unwrap_or_else(|e| panic!("{fts} disagrees with its content: {e}"));
    }
}

fn grep_names(env: &Env, words: &str) -> Vec<String> {
    let hits = env.json(&["grep", words]);
    let mut names: Vec<String> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.to_string())
        .collect();
    names.sort();
    names
}

fn found(env: &Env, query: &str) -> usize {
    env.json(&["find", query]).as_array().unwrap().len()
}

#[test]
fn imported_contacts_are_found_and_grepped_and_rewrites_forget_the_old_text() {
    let env = Env::new();
    let first = [
        card(
            "u1",
            "Ada Lovelace",
            "ada@engine.example",
            "Analytical",
            "Discuss the renewal",
            "client,vip",
        ),
        card(
            "u2",
            "Grace Hopper",
            "grace@navy.example",
            "Navy",
            "Compiler renewal talk",
            "client",
        ),
        card(
            "u3",
            "Alan Turing",
            "alan@bletchley.example",
            "Bletchley",
            "Chess by post",
            "friend",
        ),
    ]
    .concat();
    let path = write(&env, "first.vcf", &first);
    env.ok(&["import", &path]);
    assert_indexes_right(&env);
    assert_eq!(found(&env, "grace@navy.example"), 1);
    assert_eq!(found(&env, "bletchley"), 1);
    assert_eq!(grep_names(&env, "renewal").len(), 2);
    assert_eq!(grep_names(&env, "chess").len(), 1);

    // Replace Grace's note and email; merge a new email into Alan: the old note text must
    // be gone from the index, the new text and emails found.
    let replaced = card(
        "u2",
        "Grace Hopper",
        "amazing@navy.example",
        "Navy",
        "Bananas",
        "client",
    );
    let path = write(&env, "replace.vcf", &replaced);
    env.ok(&["import", "--on-conflict", "replace", &path]);
    let merged = card(
        "u3",
        "Alan Turing",
        "turing@manchester.example",
        "Bletchley",
        "Chess by post",
        "friend",
    );
    let path = write(&env, "merge.vcf", &merged);
    env.ok(&["import", &path]);
    assert_indexes_right(&env);
    assert_eq!(grep_names(&env, "renewal").len(), 1);
    assert_eq!(grep_names(&env, "bananas").len(), 1);
    assert_eq!(found(&env, "amazing@navy.example"), 1);
    assert_eq!(found(&env, "turing@manchester.example"), 1);
    assert_eq!(found(&env, "alan@bletchley.example"), 1);
}

#[test]
fn a_restored_backup_searches_like_the_original() {
    let a = Env::new();
    populate(&a);
    let backup = a.dir.path().join("backup.json");
    a.ok(&[
        "export",
        "--format",
        "json",
        "--out",
        backup.to_str().unwrap(),
    ]);
    let b = Env::new();
    b.ok(&["import", backup.to_str().unwrap()]);
    assert_indexes_right(&b);
    for words in ["kick", "renewal", "navy"] {
        assert_eq!(grep_names(&a, words), grep_names(&b, words), "grep {words}");
    }
    for query in ["ada", "navy", "hopper"] {
        assert_eq!(
            a.json(&["find", query]),
            b.json(&["find", query]),
            "find {query}"
        );
    }
}

#[test]
fn a_dry_run_and_a_refused_import_leave_search_working() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace", "--email", "ada@engine.example"]);
    let path = write(
        &env,
        "new.vcf",
        &card(
            "u9",
            "Grace Hopper",
            "grace@navy.example",
            "Navy",
            "Compiler",
            "client",
        ),
    );
    let before = env.dump();
    env.ok(&["import", "--dry-run", &path]);
    let bad = write(
        &env,
        "bad.vcf",
        &format!(
            "{}BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n",
            card("u8", "Alan Turing", "alan@b.example", "B", "x", "y")
        ),
    );
    env.kith().args(["import", &bad]).assert().failure();
    assert_eq!(
        before,
        env.dump(),
        "a dry run or refused import wrote something"
    );
    env.ok(&["import", &path]);
    assert_indexes_right(&env);
    assert_eq!(found(&env, "grace@navy.example"), 1);
}

#[test]
fn a_trigger_kith_does_not_know_still_fires_for_every_imported_contact() {
    let env = Env::new();
    env.ok(&["add", "Ada Lovelace"]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch(
            "CREATE TABLE audit (contact_id INTEGER);
             CREATE TRIGGER audit_contact_insert AFTER INSERT ON contacts BEGIN
                 INSERT INTO audit VALUES (NEW.id);
             END;",
        )
        .unwrap();
    }
    let cards: String = (0..20)
        .map(|i| {
            card(
                &format!("a{i}"),
                &format!("Person {i}"),
                &format!("p{i}@x.example"),
                "Org",
                "hello",
                "t",
            )
        })
        .collect();
    let path = write(&env, "many.vcf", &cards);
    env.ok(&["import", &path]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let audited: i64 = conn
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 20);
    drop(conn);
    assert_indexes_right(&env);
}
