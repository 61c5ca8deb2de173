//! The reader's behaviour on the cards real address books write.

use super::*;
use crate::formats::{ContactIn, Problem, Record};

fn contacts(text: &[u8]) -> Vec<Result<ContactIn, Problem>> {
    read(text.to_vec())
        .unwrap()
        .map(|r| {
            r.map(|l| match l.record {
                Record::Contact(c) => *c,
                _ => panic!("not a contact"),
            })
        })
        .collect()
}

#[test]
fn folded_quoted_printable_and_bare_params() {
    let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BC=\r\nller;J=C3=BCrgen;;;\r\nTEL;CELL;PREF:+49 151 1\r\nTEL;HOME:+49 30 2\r\nEMAIL;INTERNET:j@example.com\r\nEND:VCARD\r\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.display_name, "Jürgen Müller");
    assert_eq!(c.fields.phones[0].label.as_deref(), Some("mobile"));
    assert_eq!(c.fields.phones[1].label.as_deref(), Some("home"));
    assert_eq!(c.fields.emails[0].value, "j@example.com");
}

#[test]
fn folding_with_any_indentation_and_line_ends() {
    let card = b"BEGIN:VCARD\r\r\nVERSION:3.0\nFN:Ada\r\n  Lovelace\rNOTE:a\\, b\\nc\r\nEND:VCARD";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.display_name, "Ada Lovelace");
    assert_eq!(c.fields.notes.as_deref(), Some("a, b\nc"));
}

#[test]
fn apple_groups_give_labels_and_unknowns_are_kept() {
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A B\nitem1.TEL:905-222-1234\nitem1.X-ABLabel:_$!<AssistantPhone>!$_\nitem2.X-ABADR:us\nX-FOO;TYPE=a:bar\nPHOTO;ENCODING=b;TYPE=JPEG:AAAA\n BBBB\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.phones[0].label.as_deref(), Some("assistantphone"));
    assert_eq!(
        c.extras,
        [
            "item2.X-ABADR:us",
            "X-FOO;TYPE=a:bar",
            "PHOTO;ENCODING=b;TYPE=JPEG:AAAABBBB"
        ]
    );
}

#[test]
fn unusable_values_are_kept_with_a_warning() {
    let card = b"BEGIN:VCARD\nVERSION:2.1\nFN:X\nTEL;WORK:BusinessPhone\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert!(c.fields.phones.is_empty());
    assert_eq!(c.extras, ["TEL;TYPE=WORK:BusinessPhone"]);
    assert_eq!(c.warnings[0].line, Some(4));
}

#[test]
fn broken_cards_say_where() {
    let text = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nthis is not a property\nEND:VCARD\nBEGIN:VCARD\nFN:C\n";
    let all = contacts(text);
    assert!(all[0].is_ok());
    let e = all[1].as_ref().unwrap_err();
    assert!(e.message.starts_with("line 7:"), "{e:?}");
    let e = all[2].as_ref().unwrap_err();
    assert!(e.message.contains("line 9 has no END:VCARD"), "{e:?}");
    // A card cut short is named by whom it is.
    assert_eq!(e.named, Some(("contact", "C".to_string())), "{e:?}");
    assert_eq!(all.len(), 3);
    // By its N when it has no FN; one with neither stays unnamed.
    let text = b"BEGIN:VCARD\nN:Hopper;Grace;;;\nBEGIN:VCARD\nEMAIL:a@b.example\n";
    let all = contacts(text);
    let named = |i: usize| all[i].as_ref().unwrap_err().named.clone();
    assert_eq!(named(0), Some(("contact", "Grace Hopper".to_string())));
    assert_eq!(named(1), None);
}

#[test]
fn a_raw_line_break_inside_a_value_continues_it_with_a_warning() {
    // An export that wrote an address label's line break as it is.
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Stephan L\xc3\xbcnig\nLABEL;TYPE=HOME:Rasenstra\xc3\x9fe 17\n61118 Bad Vilbel\nADR;TYPE=WORK:;;1 Test;Happy House\nSesame Street;CA;11111;USA\nTEL;TYPE=CELL:0132/2312321\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.phones[0].value, "0132/2312321");
    assert_eq!(
        c.fields.addresses[0].value,
        "1 Test, Happy House Sesame Street, CA 11111, USA"
    );
    assert_eq!(
        c.extras[0],
        "LABEL;TYPE=HOME:Rasenstra\u{df}e 17\\n61118 Bad Vilbel"
    );
    assert_eq!(c.warnings[0].line, Some(5));
    assert!(
        c.warnings[0]
            .message
            .contains("in the value of LABEL (line 4)"),
        "{:?}",
        c.warnings
    );
}

#[test]
fn vcard_21_base64_lines_without_indentation_are_one_photo() {
    let card = b"BEGIN:VCARD\nVERSION:2.1\nN:Mustermann;Max\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\nSkZJRgAB\nAQEAYABg\n\nEMAIL:max@example.com\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.emails[0].value, "max@example.com");
    assert_eq!(
        c.extras,
        ["PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEAYABg"]
    );
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    assert_eq!(c.warnings[0].line, Some(5));
    assert!(c.warnings[0].message.starts_with("lines 5-6 have no ':'"));
}

#[test]
fn an_unknown_charset_is_read_as_utf8_with_a_warning() {
    let card = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=invalid-encoding:M\u{fc}ller;J\u{fc}rgen\nLABEL;CHARSET=blabla:Stra\u{df}e 1\nEND:VCARD\n";
    let c = contacts(card.as_bytes()).remove(0).unwrap();
    assert_eq!(c.fields.display_name, "J\u{fc}rgen M\u{fc}ller");
    assert_eq!(c.extras, ["LABEL:Stra\u{df}e 1"]);
    assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
    assert!(c.warnings[0].message.contains("CHARSET=invalid-encoding"));
}

#[test]
fn a_quote_escaped_with_a_backslash_in_a_parameter_does_not_end_it() {
    let card = b"BEGIN:VCARD\nVERSION:4.0\nFN:Forrest Gump\nADR;TYPE=work;LABEL=\"100 \\\" Waters Edge\\nBaytown\":;;100 Waters Edge;Baytown;LA;30314;USA\nEMAIL:forrest@example.com\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.emails[0].value, "forrest@example.com");
    assert_eq!(
        c.fields.addresses[0].value,
        "100 Waters Edge, Baytown, LA 30314, USA"
    );
    // A value that only ends in a backslash still ends at its quote.
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nX-PATH;X-DIR=\"C:\\\":here\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.extras, ["X-PATH;X-DIR=\"C:\\\":here"]);
}

#[test]
fn names_strict_readers_refuse_are_kept_in_a_form_they_read() {
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nX-GOOGLE TALK;TYPE=WORK:gtalk.john\nsome.other.value:1.2.3\nX-messaging/xmpp-All:a@b.example\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(
        c.extras,
        [
            "X-GOOGLE-TALK;TYPE=WORK:gtalk.john",
            "some-other.VALUE:1.2.3",
            "X-MESSAGING-XMPP-ALL:a@b.example"
        ]
    );
}

#[test]
fn a_data_uri_with_an_escaped_comma_is_binary() {
    let card =
        b"BEGIN:VCARD\nVERSION:4.0\nFN:A\nPHOTO:data:image/png;base64\\,iVBORw0KGgo=\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.extras, ["PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo="]);
    // Both ENCODING=b and a data URI: the data is the part after the comma.
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nPHOTO;ENCODING=b;TYPE=png:data:image/png;base64,iVBORw0KGgo=\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.extras, ["PHOTO;ENCODING=b;TYPE=png:iVBORw0KGgo="]);
}

#[test]
fn begin_and_end_may_have_a_group() {
    let card = b"home.begin:vcard\nversion:3.0\nfn:Meister Berger\nemail;internet:mb@goerlitz.example\nhome.tel;type=fax,voice;type=msg:+49 3581 123456\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.display_name, "Meister Berger");
    assert_eq!(c.fields.phones[0].value, "+49 3581 123456");
    assert_eq!(
        crate::formats::sniff::sniff(None, card),
        Some(crate::formats::sniff::ImportFormat::Vcard)
    );
}

#[test]
fn the_same_number_under_another_label_is_kept_beside_it() {
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Mulberry\nTEL;type=HOME;type=pref:555-555-5555\nTEL;type=WORK;type=FAX:555-555-5555\nTEL;type=HOME:(555) 555-5555\nEMAIL;TYPE=work:a@example.com\nEMAIL;TYPE=home:A@example.com\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.phones.len(), 1);
    assert_eq!(c.fields.phones[0].label.as_deref(), Some("home"));
    assert_eq!(c.fields.emails.len(), 1);
    assert_eq!(
        c.extras,
        [
            "TEL;TYPE=WORK,FAX:555-555-5555",
            "EMAIL;TYPE=home:A@example.com"
        ]
    );
}

#[test]
fn a_soft_line_break_before_end_does_not_swallow_it() {
    let card = b"BEGIN:vCard\r\nVERSION:3.0\r\nFN:Ralf\r\nADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=\r\n;=\r\n;=\r\nEvil backslash \\\\ way;=\r\nUlm;=\r\n;=\r\n89073;=\r\n \r\nEND:vCard\r\nBEGIN:VCARD\r\nFN:Next\r\nEND:VCARD\r\n";
    let all = contacts(card);
    assert_eq!(all.len(), 2);
    let c = all[0].as_ref().unwrap();
    assert_eq!(
        c.fields.addresses[0].value,
        "Evil backslash \\ way, Ulm, 89073"
    );
    assert_eq!(all[1].as_ref().unwrap().fields.display_name, "Next");
}

#[test]
fn an_empty_apple_label_gives_no_label() {
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:KMS\nitem1.EMAIL;TYPE=INTERNET:a@example.com\nitem1.X-ABLabel:\nitem3.TEL;TYPE=WORK:0123-45678\nitem3.X-ABLabel:\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(c.fields.emails[0].label, None);
    assert_eq!(c.fields.phones[0].label.as_deref(), Some("work"));
    assert!(c.extras.is_empty(), "{:?}", c.extras);
}

#[test]
fn a_charset_named_once_in_a_card_reads_its_other_unmarked_values() {
    // Windows-1251: "Кличко" in N and FN, the charset named only on LABEL.
    let card = b"BEGIN:VCARD\nVERSION:2.1\nFN:\xca\xeb\xe8\xf7\xea\xee\nN:\xca\xeb\xe8\xf7\xea\xee;\nLABEL;CHARSET=Windows-1251;QUOTED-PRINTABLE:=CA=E8=BF=E2\nEND:VCARD\n";
    let c = contacts(card).remove(0).unwrap();
    assert_eq!(
        c.fields.display_name,
        "\u{41a}\u{43b}\u{438}\u{447}\u{43a}\u{43e}"
    );
    assert_eq!(
        c.fields.family_name.as_deref(),
        Some("\u{41a}\u{43b}\u{438}\u{447}\u{43a}\u{43e}")
    );
    assert_eq!(c.extras, ["LABEL:\u{41a}\u{438}\u{457}\u{432}"]);
    assert!(
        c.warnings[0]
            .message
            .contains("read as windows-1251, which line 5 names"),
        "{:?}",
        c.warnings
    );
}

/// Hands out a file a few bytes at a time (then fails, if told to), as a slow pipe would:
/// a streamed read meets line ends, CRLFs and folds split across reads.
struct Trickle {
    bytes: Vec<u8>,
    pos: usize,
    step: usize,
    fail_at: Option<usize>,
}

impl std::io::Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.fail_at.is_some_and(|at| self.pos >= at) {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = self.step.min(buf.len()).min(self.bytes.len() - self.pos);
        buf[..n].copy_from_slice(&self.bytes[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn streamed(bytes: &[u8], head: usize, step: usize, fail_at: Option<usize>) -> Vec<RecordResult> {
    let rest = Trickle {
        bytes: bytes[head..].to_vec(),
        pos: 0,
        step,
        fail_at,
    };
    Reader::streaming(bytes[..head].to_vec(), Box::new(rest))
        .unwrap()
        .collect()
}

use crate::formats::RecordResult;

/// Every real export in the fixtures, read streamed in pieces of every small size, gives
/// the same cards, lines and warnings as read whole.
#[test]
fn a_streamed_file_reads_as_the_same_file_whole() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vcard/ez-vcard");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "vcf"));
    files.sort();
    assert!(files.len() > 10);
    let mut all = Vec::new();
    for path in &files {
        all.extend(std::fs::read(path).unwrap());
    }
    // A CR-only file, and one with `\r\r\n` line ends, split anywhere.
    all.extend_from_slice(
        b"BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Ada\r\n  Lovelace\r\r\nEND:VCARD\r\r\n",
    );
    let whole = format!("{:?}", read(all.clone()).unwrap().collect::<Vec<_>>());
    assert!(whole.contains("Ada Lovelace"), "{whole}");
    for (head, step) in [(0, 1), (1, 2), (5, 3), (100, 7), (4096, 64), (all.len(), 1)] {
        let pieces = format!("{:?}", streamed(&all, head, step, None));
        assert_eq!(pieces, whole, "head {head}, step {step}");
    }
    let cr_only =
        b"BEGIN:VCARD\rVERSION:3.0\rFN:Bo\rEND:VCARD\rBEGIN:VCARD\rFN:Cy\rTEL:1\r2\rEND:VCARD\r";
    let whole = format!("{:?}", read(cr_only.to_vec()).unwrap().collect::<Vec<_>>());
    assert_eq!(format!("{:?}", streamed(cr_only, 12, 1, None)), whole);
}

/// A file that cannot be read to its end: the cards before are read, and then one problem
/// says where reading stopped and why.
#[test]
fn a_streamed_file_that_fails_says_where() {
    let card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEND:VCARD\n";
    let text = card.repeat(40_000);
    // Past the first megabyte, which is read before any card.
    let read = streamed(&text, 0, 4096, Some(1_200_000));
    let cards = read.iter().take_while(|r| r.is_ok()).count();
    assert!(cards > 20_000 && cards < 40_000, "{cards}");
    // The card cut in the middle is one problem (no END:VCARD), the failure another.
    assert!(
        read.len() == cards + 1 || read.len() == cards + 2,
        "{}",
        read.len()
    );
    let last = read.last().unwrap().as_ref().unwrap_err();
    assert!(
        last.message
            .contains("could not be read past here: the disk went away"),
        "{last:?}"
    );
    assert!(last.at.line.is_some_and(|l| l > cards * 4), "{last:?}");
}

/// A card without a UID is given the UID of its own lines after BEGIN:VCARD (unfolded, each
/// ended by a line feed), however many cards the reader reads ahead and whatever comes between them: cards
/// with UIDs, a broken card, stray text.
#[test]
fn each_card_without_a_uid_gets_the_uid_of_its_own_lines() {
    let mut file = String::new();
    let mut expected = Vec::new();
    for n in 0..75 {
        match n % 5 {
            0 => {
                file.push_str(&format!(
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:own-{n}\r\nFN:Own {n}\r\nEND:VCARD\r\n"
                ));
                expected.push(Some(format!("own-{n}")));
            }
            2 => file.push_str("stray text\r\n"),
            // No END:VCARD: broken where the next card begins.
            3 => file.push_str(&format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken {n}\r\n")),
            _ => {
                // Cards of different lengths, one folded: its UID is of the unfolded line.
                let note = "x".repeat(n * 13);
                file.push_str(&format!(
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Card {n}\r\nNOTE:{note}\r\n  folded\r\nEND:VCARD\r\n"
                ));
                let lines = format!("VERSION:3.0\nFN:Card {n}\nNOTE:{note} folded\nEND:VCARD\n");
                expected.push(Some(crate::formats::content_uid(lines.as_bytes())));
            }
        }
    }
    let uids: Vec<Option<String>> = contacts(file.as_bytes())
        .into_iter()
        .filter_map(Result::ok)
        .map(|c| c.uid)
        .collect();
    assert_eq!(uids, expected);
}
