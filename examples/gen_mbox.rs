//! Write N synthetic messages as an mbox to stdout, and the vCards of the 2,000 contacts
//! among their 5,000 correspondents to CONTACTS, for the capture benchmark (benches/capture.sh):
//! `cargo run --release --example gen_mbox -- 100000 /tmp/contacts.vcf > /tmp/100k.mbox`
//! Mail from and to me@consult.example, threads of replies with quoted text, encoded
//! subjects, `>From ` quoted lines, and some lists, automated mail and crowds.
//! Deterministic: the same N gives the same files.

use std::io::{BufWriter, Write};

const PEOPLE: u64 = 5000;
const CONTACTS: u64 = 2000;
const ME: &str = "me@consult.example";

fn address(k: u64) -> String {
    format!("person{k}@org{}.example", k % 300)
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let contacts = args.next().unwrap_or_else(|| "contacts.vcf".into());
    let mut cards = BufWriter::new(std::fs::File::create(contacts)?);
    for k in 0..CONTACTS {
        write!(
            cards,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:mail-gen-{k}\r\nFN:Person {k}\r\nEMAIL:{}\r\nEND:VCARD\r\n",
            address(k)
        )?;
    }
    cards.flush()?;
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    // The latest message of each correspondent, which a reply answers.
    let mut last: Vec<Option<(u64, u64)>> = vec![None; PEOPLE as usize];
    let start = 1_577_836_800u64; // 2020-01-01T00:00:00Z
    for i in 0..n {
        let k = next(PEOPLE);
        let at = start + i * 1500 + next(600);
        let outbound = next(10) < 4;
        let kind = next(1000);
        let (from, from_name, to) = if kind < 20 {
            (
                "noreply@shop.example".to_string(),
                "Shop".to_string(),
                ME.to_string(),
            )
        } else if outbound {
            (
                ME.to_string(),
                "Me Myself".to_string(),
                format!("Person {k} <{}>", address(k)),
            )
        } else {
            (address(k), format!("Person {k}"), ME.to_string())
        };
        let reply = last[k as usize].filter(|_| next(10) < 3);
        let subject = match (reply, next(10)) {
            (Some((root, _)), _) => format!("Re: Project {} (thread {root})", k % 50),
            (None, 0) => format!("=?UTF-8?Q?Caf=C3=A9_meeting_{}?=", k % 50),
            (None, _) => format!("Project {} update", k % 50),
        };
        let date = date(at);
        writeln!(out, "From {from} {}", from_line_date(at))?;
        writeln!(out, "From: {from_name} <{from}>")?;
        writeln!(out, "To: {to}")?;
        if next(5) == 0 {
            writeln!(
                out,
                "Cc: Person {0} <{1}>",
                (k + 1) % PEOPLE,
                address((k + 1) % PEOPLE)
            )?;
        }
        if (20..60).contains(&kind) {
            writeln!(out, "List-Id: <project{}.lists.example>", k % 50)?;
        }
        if (60..65).contains(&kind) {
            let crowd: Vec<String> = (0..25).map(|j| address((k + j) % PEOPLE)).collect();
            writeln!(out, "Cc: {}", crowd.join(", "))?;
        }
        writeln!(out, "Subject: {subject}")?;
        writeln!(out, "Date: {date}")?;
        writeln!(out, "Message-ID: <gen-{i}@mail.example>")?;
        if let Some((root, parent)) = reply {
            writeln!(out, "In-Reply-To: <gen-{parent}@mail.example>")?;
            writeln!(
                out,
                "References: <gen-{root}@mail.example> <gen-{parent}@mail.example>"
            )?;
        }
        writeln!(
            out,
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        )?;
        for line in 0..3 + next(6) {
            writeln!(
                out,
                "Line {line} of message {i}: the budget, the schedule and the next steps we agreed."
            )?;
        }
        if next(20) == 0 {
            writeln!(out, "\n>From the minutes of the last meeting.")?;
        }
        if reply.is_some() {
            writeln!(
                out,
                "\nOn an earlier day, Person {k} wrote:\n> The earlier text.\n> More of it."
            )?;
        }
        writeln!(out)?;
        let root = reply.map_or(i, |(root, _)| root);
        last[k as usize] = Some((root, i));
    }
    out.flush()
}

/// RFC 5322 date of a Unix time, in UTC.
fn date(t: u64) -> String {
    let (y, m, d, hh, mm, ss) = civil(t);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{d:02} {} {y} {hh:02}:{mm:02}:{ss:02} +0000",
        MONTHS[(m - 1) as usize]
    )
}

/// The asctime-like date of an mbox `From ` line.
fn from_line_date(t: u64) -> String {
    let (y, m, d, hh, mm, ss) = civil(t);
    format!("Mon Jan {d:2} {hh:02}:{mm:02}:{ss:02} {y}").replacen("Jan", month(m), 1)
}

fn month(m: u64) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize]
}

/// (year, month, day, hour, minute, second) of a Unix time (days from civil, Howard Hinnant).
fn civil(t: u64) -> (u64, u64, u64, u64, u64, u64) {
    let days = t / 86_400;
    let secs = t % 86_400;
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}
