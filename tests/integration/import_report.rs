//! What an import says it did: its summary line and its JSON report.

use crate::common::Env;

/// The summary counts the organizations made for the names cards gave, once.
#[test]
fn the_summary_counts_the_organizations_it_made() {
    let env = Env::new();
    let file = env.dir.path().join("team.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nORG:Acme\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:Bo Chen\nORG:acme\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:Cy Diaz\nORG:Globex\nEND:VCARD\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let dry = env.json(&["import", "--dry-run", path]);
    assert_eq!(dry["organizations_created"], 2, "{dry}");
    let first = env.ok(&["import", path]);
    assert!(
        first.contains("imported: 3 new; 2 new organizations"),
        "{first}"
    );
    let again = env.ok(&["import", path]);
    assert!(again.contains("imported: 0 new, 3 unchanged\n"), "{again}");
    assert_eq!(env.json(&["import", path])["organizations_created"], 0);
}
