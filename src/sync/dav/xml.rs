//! WebDAV XML, pure: the request bodies kith sends (PROPFIND, addressbook-multiget,
//! sync-collection) and a reader of the `multistatus` answers into [`Response`]s. The reader
//! builds a small element tree with namespaces resolved, so a server's prefixes (`d:`, `D:`,
//! none) do not matter, and refuses malformed XML with the parser's own words.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

pub const DAV: &str = "DAV:";
pub const CARDDAV: &str = "urn:ietf:params:xml:ns:carddav";

/// Deeper than any multistatus: a document nesting further is refused, not followed.
const MAX_DEPTH: usize = 64;

/// One element: its namespace, local name, attributes (local name, value), text and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub ns: String,
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    fn is(&self, ns: &str, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    /// The first child named so.
    pub fn child(&self, ns: &str, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    pub fn children_named<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.is(ns, name))
    }

    /// The first descendant named so, depth first.
    pub fn find(&self, ns: &str, name: &str) -> Option<&Node> {
        self.children.iter().find_map(|c| {
            if c.is(ns, name) {
                Some(c)
            } else {
                c.find(ns, name)
            }
        })
    }

    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }

    /// The value of the attribute with this local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An element's attributes by local name, unescaped (an attribute that will not read is left
/// out: attributes only ever inform, never decide, what kith does).
fn attributes_of(e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .filter_map(|a| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()?
                .into_owned();
            Some((
                String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(),
                value,
            ))
        })
        .collect()
}

/// Parse a whole document into its root element.
pub fn parse(text: &str) -> Result<Node, String> {
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("malformed XML after byte {at}: {e}"))?;
        let ns = match ns {
            ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(e) | Event::Empty(e) if stack.len() > MAX_DEPTH => {
                let _ = e;
                return Err("malformed XML: elements nested too deep".into());
            }
            Event::Start(e) => stack.push(Node {
                ns,
                name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                attributes: attributes_of(&e),
                ..Node::default()
            }),
            Event::Empty(e) => {
                let node = Node {
                    ns,
                    name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
                    attributes: attributes_of(&e),
                    ..Node::default()
                };
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("malformed XML: an end tag too many")?;
                let parent = stack
                    .last_mut()
                    .ok_or("malformed XML: an end tag too many")?;
                parent.children.push(node);
            }
            Event::Text(t) => {
                let text = t
                    .xml10_content()
                    .map_err(|e| format!("malformed XML: {e}"))?;
                push_text(&mut stack, &text);
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| format!("malformed XML: {e}"))?;
                push_text(&mut stack, &text);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| format!("malformed XML: {e}"))?;
                let entity = format!("&{name};");
                let text = quick_xml::escape::unescape(&entity)
                    .map_err(|e| format!("malformed XML: {e}"))?;
                push_text(&mut stack, &text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("malformed XML: the document ends before its elements do".into());
    }
    stack
        .pop()
        .and_then(|doc| doc.children.into_iter().next())
        .ok_or_else(|| "malformed XML: no element at all".to_string())
}

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(node) = stack.last_mut() {
        node.text.push_str(text);
    }
}

/// One `<response>` of a multistatus: its href, the status of the response itself (a
/// deleted member in a sync-collection answer is `404` here), and its properties found (200).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    pub href: String,
    pub status: Option<u16>,
    pub props: Vec<Node>,
}

impl Response {
    pub fn prop(&self, ns: &str, name: &str) -> Option<&Node> {
        self.props.iter().find(|p| p.is(ns, name))
    }

    /// The text of a property, trimmed, when present and not empty.
    pub fn text(&self, ns: &str, name: &str) -> Option<String> {
        self.prop(ns, name)
            .map(|p| p.trimmed().to_string())
            .filter(|t| !t.is_empty())
    }

    /// The href inside a property (current-user-principal, addressbook-home-set).
    pub fn href_in(&self, ns: &str, name: &str) -> Option<String> {
        self.prop(ns, name)?
            .find(DAV, "href")
            .map(|h| percent_decoded(h.trimmed()))
    }
}

/// A parsed multistatus: its responses and, for sync-collection, the new token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multistatus {
    pub responses: Vec<Response>,
    pub sync_token: Option<String>,
}

/// An href as kith keeps and compares it: percent-decoded (`/a/x%40y.vcf` and `/a/x@y.vcf`
/// are the same card); [`super::Client::url`] encodes it again for a request.
pub fn percent_decoded(href: &str) -> String {
    let bytes = href.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `HTTP/1.1 404 Not Found` → 404.
fn status_code(line: &str) -> Option<u16> {
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn multistatus(text: &str) -> Result<Multistatus, String> {
    let root = parse(text)?;
    if !root.is(DAV, "multistatus") {
        return Err(format!(
            "expected a DAV multistatus, got <{}> in {}",
            root.name,
            if root.ns.is_empty() {
                "no namespace"
            } else {
                &root.ns
            }
        ));
    }
    let mut out = Multistatus {
        sync_token: root
            .child(DAV, "sync-token")
            .map(|t| t.trimmed().to_string()),
        ..Multistatus::default()
    };
    for r in root.children_named(DAV, "response") {
        let Some(href) = r.child(DAV, "href") else {
            return Err("a multistatus response has no href".into());
        };
        let mut response = Response {
            href: percent_decoded(href.trimmed()),
            status: r.child(DAV, "status").and_then(|s| status_code(&s.text)),
            props: Vec::new(),
        };
        for propstat in r.children_named(DAV, "propstat") {
            let ok = propstat
                .child(DAV, "status")
                .and_then(|s| status_code(&s.text))
                .is_none_or(|code| (200..300).contains(&code));
            if let (true, Some(prop)) = (ok, propstat.child(DAV, "prop")) {
                response.props.extend(prop.children.iter().cloned());
            }
        }
        out.responses.push(response);
    }
    Ok(out)
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// PROPFIND asking for the properties discovery needs.
pub const PROPFIND_DISCOVERY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <d:prop>
    <d:current-user-principal/>
    <card:addressbook-home-set/>
    <d:resourcetype/>
    <d:displayname/>
    <d:supported-report-set/>
    <d:sync-token/>
  </d:prop>
</d:propfind>"#;

/// PROPFIND (Depth: 0) for the vCard versions an address book takes (RFC 6352 §6.2.2).
pub const PROPFIND_ADDRESS_DATA: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <d:prop><card:supported-address-data/></d:prop>
</d:propfind>"#;

/// PROPFIND (Depth: 1) for the members of an address book and their ETags.
pub const PROPFIND_ETAGS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:">
  <d:prop><d:getetag/><d:resourcetype/><d:sync-token/></d:prop>
</d:propfind>"#;

/// RFC 6578 sync-collection from `token` (empty: everything).
pub fn sync_collection(token: Option<&str>) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:">
  <d:sync-token>{}</d:sync-token>
  <d:sync-level>1</d:sync-level>
  <d:prop><d:getetag/></d:prop>
</d:sync-collection>"#,
        escape(token.unwrap_or(""))
    )
}

/// RFC 6352 addressbook-multiget of `hrefs`.
pub fn multiget(hrefs: &[String]) -> String {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?>
<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <d:prop><d:getetag/><card:address-data/></d:prop>
"#,
    );
    for href in hrefs {
        body.push_str(&format!("  <d:href>{}</d:href>\n", escape(href)));
    }
    body.push_str("</card:addressbook-multiget>");
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_multistatus_whatever_the_prefixes() {
        let text = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
 <response><href>/ada/contacts/a.vcf</href>
  <propstat><prop><getetag>"1"</getetag><C:address-data>BEGIN:VCARD&#13;
FN:A &amp; B
END:VCARD</C:address-data></prop><status>HTTP/1.1 200 OK</status></propstat>
  <propstat><prop><displayname/></prop><status>HTTP/1.1 404 Not Found</status></propstat>
 </response>
 <response><href>/ada/contacts/gone.vcf</href><status>HTTP/1.1 404 Not Found</status></response>
 <sync-token>http://x/sync/2</sync-token>
</multistatus>"#;
        let ms = multistatus(text).unwrap();
        assert_eq!(ms.sync_token.as_deref(), Some("http://x/sync/2"));
        assert_eq!(ms.responses.len(), 2);
        let a = &ms.responses[0];
        assert_eq!(a.text(DAV, "getetag").as_deref(), Some("\"1\""));
        assert_eq!(
            a.text(CARDDAV, "address-data").as_deref(),
            Some("BEGIN:VCARD\r\nFN:A & B\nEND:VCARD")
        );
        assert!(
            a.prop(DAV, "displayname").is_none(),
            "404 props are not found"
        );
        assert_eq!(ms.responses[1].status, Some(404));
    }

    #[test]
    fn malformed_xml_is_refused_with_a_reason() {
        for bad in [
            "<multistatus xmlns=\"DAV:\"><response>",
            "this is not xml",
            "<a></b>",
            "<html><body>Welcome</body></html>",
        ] {
            let err = multistatus(bad).unwrap_err();
            assert!(
                err.contains("XML") || err.contains("multistatus"),
                "{bad}: {err}"
            );
        }
        let deep = "<a>".repeat(1000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn hrefs_are_compared_decoded() {
        assert_eq!(percent_decoded("/a/x%40y%20z.vcf"), "/a/x@y z.vcf");
        assert_eq!(percent_decoded("/a/100%.vcf"), "/a/100%.vcf");
    }

    #[test]
    fn bodies_escape_what_they_carry() {
        assert!(multiget(&["/a&b.vcf".into()]).contains("/a&amp;b.vcf"));
        assert!(sync_collection(Some("t<1>")).contains("t&lt;1&gt;"));
    }
}
