//! Write N synthetic contacts as vCard 3.0 to stdout, for the import benchmark:
//! `cargo run --release --example gen_vcards -- 100000 > /tmp/100k.vcf`
//! Deterministic: the same N gives the same file.

use std::io::{BufWriter, Write};

const GIVEN: &[&str] = &[
    "Ada", "Grace", "Alan", "Jürgen", "Zoë", "Łukasz", "Amara", "Chen", "Priya", "Olu", "Sofía",
    "Mateo", "Aiko", "Noah", "Fatima", "Lars",
];
const FAMILY: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Müller", "Nowak", "Okafor", "Wang", "Sharma", "García",
    "Tanaka", "Smith", "Andersen", "Haddad", "O'Brien", "Dubois", "Rossi",
];

fn main() -> std::io::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let given = GIVEN[(next() % GIVEN.len() as u64) as usize];
        let family = FAMILY[(next() % FAMILY.len() as u64) as usize];
        let org = next() % 5000;
        write!(
            out,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:gen-{i}\r\nFN:{given} {family} {i}\r\nN:{family};{given};;;\r\n\
             ORG:Company {org};Sales\r\nTITLE:Manager\r\n\
             EMAIL;TYPE=INTERNET,WORK:{}.{}.{i}@company{org}.example\r\n\
             TEL;TYPE=CELL:+1 555 {:07}\r\n\
             ADR;TYPE=WORK:;;{} Main Street;Springfield;IL;{:05};USA\r\n\
             NOTE:Met at conference {}\\, follow up about the renewal.\r\n\
             CATEGORIES:client,region-{}\r\nX-SOURCE:generator\r\nEND:VCARD\r\n",
            given.to_lowercase(),
            family.to_lowercase().replace('\'', ""),
            i,
            next() % 9999,
            next() % 99999,
            next() % 100,
            next() % 10,
        )?;
    }
    out.flush()
}
