//! `kith health` on a scripted book under a fixed clock: four contrasting histories (a weekly
//! two-way client, a contact who only ever received mail, a long-standing friend quiet for two
//! months, a new acquaintance met twice) must rank in an order that reads right, with the
//! reasons a person would give, and the trend must move the right way as the clock advances.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::common::{Env, at};

/// The scenario's "now": Thursday 2026-12-03 12:00 UTC.
pub const NOW: &str = "2026-12-03T12:00:00Z";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

fn days_ago(n: i64) -> String {
    (now() - Duration::days(n)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn contact(uid: &str, name: &str, added_days_ago: i64, tags: &[&str]) -> Value {
    json!({
        "type": "contact", "uid": uid, "display_name": name, "tags": tags,
        "created_at": days_ago(added_days_ago), "updated_at": days_ago(added_days_ago),
    })
}

fn interaction(who: &str, n: usize, days: i64, channel: &str, direction: Option<&str>) -> Value {
    json!({
        "type": "interaction", "uid": format!("{who}-{n}"), "occurred_at": days_ago(days),
        "channel": channel, "direction": direction, "summary": format!("{channel} #{n}"),
        "participants": [who],
    })
}

/// The book, as JSONL for `kith import`.
fn scripted_book() -> String {
    let mut lines = vec![
        contact("clara", "Clara Client", 760, &["client"]),
        contact("max", "Max Mailer", 300, &[]),
        contact("frida", "Frida Friend", 2200, &["friend"]),
        contact("nina", "Nina New", 25, &[]),
    ];
    // Clara: every week for two years; calls out, mail in, meetings I organised (a
    // calendar capture records those as mine).
    for w in 0..100 {
        let (channel, direction) = match w % 3 {
            0 => ("call", Some("out")),
            1 => ("email", Some("in")),
            _ => ("meeting", Some("out")),
        };
        lines.push(interaction(
            "clara",
            w,
            3 + 7 * w as i64,
            channel,
            direction,
        ));
    }
    // Max: a monthly mail out, never a reply.
    for m in 0..8 {
        lines.push(interaction(
            "max",
            m,
            12 + 30 * m as i64,
            "email",
            Some("out"),
        ));
    }
    // Frida: a call every two weeks for five years, taking turns; nothing for two months.
    for i in 0..130 {
        let direction = if i % 2 == 0 { "in" } else { "out" };
        lines.push(interaction(
            "frida",
            i,
            60 + 14 * i as i64,
            "call",
            Some(direction),
        ));
    }
    // Nina: met twice.
    lines.push(interaction("nina", 0, 20, "meeting", None));
    lines.push(interaction("nina", 1, 8, "meeting", None));
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn book() -> Env {
    let env = Env::new();
    let file = env.dir.path().join("book.jsonl");
    std::fs::write(&file, scripted_book()).unwrap();
    at(
        &env,
        NOW,
        &["import", "--format", "jsonl", file.to_str().unwrap()],
    );
    env
}

fn ranked(env: &Env, now: &str) -> Vec<Value> {
    let text = at(env, now, &["health", "--json"]);
    serde_json::from_str::<Vec<Value>>(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn names(list: &[Value]) -> Vec<&str> {
    list.iter()
        .map(|h| h["contact"]["name"].as_str().unwrap())
        .collect()
}

fn find<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|h| h["contact"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {list:#?}"))
}

fn effect(h: &Value, factor: &str) -> i64 {
    h["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["factor"] == factor)
        .unwrap()["effect"]
        .as_i64()
        .unwrap()
}

fn score(h: &Value) -> i64 {
    h["score"].as_i64().unwrap()
}

#[test]
fn four_histories_rank_as_a_person_would_and_say_why() {
    let env = book();
    let list = ranked(&env, NOW);
    assert_eq!(
        names(&list),
        ["Clara Client", "Nina New", "Frida Friend", "Max Mailer"],
        "{list:#?}"
    );
    let clara = find(&list, "Clara Client");
    assert_eq!(clara["trend"]["direction"], "steady");
    // Meetings and calls go both ways, whoever organised them; her mail comes in.
    assert!(effect(clara, "reciprocity") > 0, "{clara:#}");

    let max = find(&list, "Max Mailer");
    assert_eq!(effect(max, "reciprocity"), -45);
    // Mail never answered weighs more than how recently it went out.
    assert!(score(max) + 5 < score(find(&list, "Frida Friend")));

    let frida = find(&list, "Frida Friend");
    assert_eq!(frida["trend"]["direction"], "down");
    assert!(effect(frida, "tenure") > 0, "{frida:#?}");

    let nina = find(&list, "Nina New");
    assert!(nina["trend"].is_null());
    assert!(effect(nina, "tenure") < 0);

    // The table says the same, with the main reasons in words.
    let text = at(&env, NOW, &["health"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ID"), "{text}");
    let row = |name: &str| *lines.iter().find(|l| l.contains(name)).unwrap();
    assert!(
        row("Max Mailer")
            .contains("one-way mail: you wrote the last 8, with no reply or conversation (-45)"),
        "{text}"
    );
    // Each reason with its points: the tenure that softens her silence shows its plus.
    assert!(
        row("Frida Friend").contains(
            "60 days since last contact, usually every 14 days, 46 days over (-40); in touch for 4 years, so the silence counts 50% less (+20)"
        ),
        "{text}"
    );
    assert!(row("Frida Friend").contains('↓'), "{text}");
    // `kith list --sort health`: the same order, with the score in every format.
    let list = at(&env, NOW, &["list", "--sort", "health"]);
    let head: Vec<&str> = list.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(head[..3], ["ID", "HEALTH", "NAME"], "{list}");
    let frida_row = list.lines().find(|l| l.contains("Frida Friend")).unwrap();
    assert!(frida_row.contains("40 ↓"), "{list}");
    let json: Vec<Value> =
        serde_json::from_str(&at(&env, NOW, &["list", "--sort", "health", "--json"])).unwrap();
    let scores: Vec<i64> = json.iter().map(|c| c["health"].as_i64().unwrap()).collect();
    let expected: Vec<i64> = list_scores(&env);
    assert_eq!(scores, expected);
    let csv = at(&env, NOW, &["list", "--sort", "health", "--format", "csv"]);
    let mut rows = csv.lines();
    assert!(rows.next().unwrap().ends_with(",health"), "{csv}");
    let csv_scores: Vec<i64> = rows
        .map(|r| r.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(csv_scores, expected);
    // Sorted otherwise, nothing changes.
    assert!(!at(&env, NOW, &["list"]).contains("HEALTH"));
}

/// The scores of `kith health`, healthiest first.
fn list_scores(env: &Env) -> Vec<i64> {
    ranked(env, NOW).iter().map(score).collect()
}

#[test]
fn one_person_shows_every_factor_and_the_sum() {
    let env = book();
    let text = at(&env, NOW, &["health", "frida"]);
    for expected in [
        "Frida Friend",
        "recency",
        "-40  60 days since last contact, usually every 14 days",
        "frequency",
        "reciprocity     +10  the last 10 were conversations (meetings or calls), both ways",
        "depth            +5  the last 10 were calls, deeper than an email",
        "follow-through    0  no overdue follow-ups",
        "tenure          +20  in touch for 4 years, so the silence counts 50% less",
        "= 40 (docs/HEALTH.md)",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // Not a terminal: no sparkline.
    assert!(!text.contains("rhythm"), "{text}");
    let json: Value = serde_json::from_str(&at(&env, NOW, &["health", "frida", "--json"])).unwrap();
    assert_eq!(json["score"], 40);
    assert_eq!(json["rhythm"].as_array().unwrap().len(), 12);
}

#[test]
fn the_trend_follows_the_clock() {
    let env = book();
    let later = (now() + Duration::days(30)).to_rfc3339();
    let before = ranked(&env, NOW);
    let after = ranked(&env, &later);
    // A month more of silence: Frida and Nina fall; Frida is still going down.
    for name in ["Frida Friend", "Nina New", "Max Mailer"] {
        assert!(
            score(find(&after, name)) < score(find(&before, name)),
            "{name}: {} then {}",
            score(find(&before, name)),
            score(find(&after, name))
        );
    }
    assert_eq!(find(&after, "Frida Friend")["trend"]["direction"], "down");
    // She calls: back up, and better than the month of silence.
    at(
        &env,
        &later,
        &["log", "frida", "--via", "call", "--in", "She called back"],
    );
    let called = ranked(&env, &later);
    assert!(score(find(&called, "Frida Friend")) > score(find(&after, "Frida Friend")) + 20);
    // As of an earlier day, before the silence, she was well.
    let then: Value = serde_json::from_str(&at(
        &env,
        NOW,
        &["health", "frida", "--at", "2026-09-01", "--json"],
    ))
    .unwrap();
    assert!(score(&then) >= 70, "{then:#}");
    assert_eq!(then["as_of"], "2026-09-01T23:59:59Z");
}

/// The interactive brief at 80×24, read through tmux: the health line, the rhythm, and the
/// list's health column; `o` sorts the list by health.
#[test]
fn the_interactive_brief_shows_health_and_rhythm_at_80x24() {
    use crate::tui_terminal::{Tmux, tmux_missing};
    if tmux_missing() {
        return;
    }
    let env = book();
    let vars = [
        ("KITH_DB", env.db.display().to_string()),
        ("KITH_NOW", NOW.to_string()),
        ("TZ", "UTC".to_string()),
        ("HOME", env.dir.path().display().to_string()),
    ];
    let kith = assert_cmd::cargo::cargo_bin("kith");
    let tmux = Tmux::start(
        env.dir.path(),
        &vars,
        &format!("{} tui", kith.display()),
        80,
        24,
    );
    // The brief and the list's health column may be drawn a moment apart.
    tmux.wait_for("Keeping in touch");
    tmux.wait_for("Frida Friend             40↓");
    let screen = tmux.wait_for("health 83 →");
    // Clara is first by name, and selected: her brief.
    assert!(screen.contains("health 83 →"), "{screen}");
    assert!(screen.contains("rhythm ▇▇█▇▇█▇█▇▇█·"), "{screen}");
    // The list: each name with its health and trend.
    for row in [
        "Clara Client             83→",
        "Frida Friend             40↓",
        "Nina New                 75 ",
    ] {
        assert!(screen.contains(row), "{row:?} not in:\n{screen}");
    }
    tmux.keys(&["o"]);
    let sorted = tmux.wait_for("healthiest first");
    let order: Vec<usize> = ["Clara Client", "Nina New", "Frida Friend", "Max Mailer"]
        .iter()
        .map(|name| {
            sorted
                .find(&format!("  {name}"))
                .or_else(|| sorted.find(&format!("▸ {name}")))
                .unwrap()
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{sorted}");
    // Frida's brief: her silence, in words.
    tmux.keys(&["j", "j"]);
    let frida = tmux.wait_for("Frida Friend  #");
    assert!(
        frida.contains("health 40 ↓ — 60 days since last contact"),
        "{frida}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("KITH-EXIT=0");
}

/// The reasons on each line of `kith health` add up to the score from 50: those left out
/// are counted together ("; 2 more (+6)").
#[test]
fn the_reasons_of_each_line_add_up_to_its_score() {
    let env = book();
    let table = env.ok(&["health"]);
    let mut lines_with_more = 0;
    for line in table.lines().skip(1) {
        let score: i32 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        // Every "(+N)" or "(-N)": the points of one reason, or of those left out.
        let points: i32 = line
            .split('(')
            .skip(1)
            .filter_map(|part| part.split(')').next()?.parse::<i32>().ok())
            .sum();
        if (1..100).contains(&score) {
            assert_eq!(50 + points, score, "{line}");
        }
        lines_with_more += usize::from(line.contains(" more ("));
    }
    assert!(
        lines_with_more > 0,
        "a book where some leave reasons out:\n{table}"
    );
}

/// A cadence of months runs out on the calendar: health's days over are `kith today`'s.
#[test]
fn a_month_cadence_is_as_far_over_in_health_as_on_the_agenda() {
    let env = Env::new();
    env.ok(&["add", "Leon Ortiz", "--every", "3m"]);
    env.ok(&["log", "leon", "--at", "2026-06-01", "Call"]);
    let now = "2026-12-05T10:00:00Z";
    // 1 June + 3 months = 1 September; 95 days before 5 December (not 187 − 90 = 97).
    let health = at(&env, now, &["health"]);
    assert!(
        health.contains("187 days since last contact, cadence every 3 months, 95 days over"),
        "{health}"
    );
    let today = at(&env, now, &["today"]);
    assert!(today.contains("95 days over"), "{today}");
    let json: serde_json::Value =
        serde_json::from_str(&at(&env, now, &["health", "leon", "--json"])).unwrap();
    let recency = &json["factors"][0];
    assert_eq!(recency["days_over"], 95, "{json:#}");
    assert_eq!(recency["expected_days"], 90, "{json:#}");
}
