//! A small CardDAV client over ureq: discovery of the address books from a server's root
//! (RFC 6764 `/.well-known/carddav`, `current-user-principal`, `addressbook-home-set`),
//! listing cards with their ETags, RFC 6578 `sync-collection`, `addressbook-multiget`, and
//! conditional PUT and DELETE. TLS is rustls with the webpki roots, always verified; every
//! request has timeouts; 429 and 5xx answers are retried with backoff (honouring a short
//! `Retry-After`). Every failure is an [`Error::Network`] naming the server and what failed.
//! This is the only code in kith that opens a network connection.

pub mod xml;

use std::time::Duration;

use ureq::Agent;
use ureq::http::{Request, Response};

use crate::error::Error;
pub use xml::{CARDDAV, DAV, Multistatus};

type Result<T> = std::result::Result<T, Error>;

/// The largest answer kith reads: a multistatus of every card's ETag for a big book is a few
/// megabytes; anything past this is a broken or hostile server.
const MAX_BODY: u64 = 64 * 1024 * 1024;
const ATTEMPTS: u32 = 4;

/// How long kith waits for a server's answer unless `KITH_SYNC_TIMEOUT` says otherwise.
const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// `KITH_SYNC_TIMEOUT` (whole seconds, 1 or more) or the default.
fn answer_timeout() -> Result<Duration> {
    match std::env::var("KITH_SYNC_TIMEOUT") {
        Err(_) => Ok(Duration::from_secs(DEFAULT_TIMEOUT_SECS)),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(secs) if secs > 0 => Ok(Duration::from_secs(secs)),
            _ => Err(Error::invalid(
                "KITH_SYNC_TIMEOUT",
                &text,
                "expected whole seconds, 1 or more",
            )),
        },
    }
}

/// What a conditional write found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Done; the new ETag when the server said it.
    Done(Option<String>),
    /// 412: the card changed (or appeared) on the server since kith read it.
    Changed,
}

pub struct Client {
    agent: Agent,
    /// How long a server may take to answer (the body may take twice that).
    timeout: Duration,
    authorization: String,
    /// scheme://host[:port], for hrefs that are absolute paths and for messages.
    origin: String,
}

/// `https://dav.example.com:8443/some/path` → `https://dav.example.com:8443`.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{}://{host}", scheme.to_ascii_lowercase()))
}

impl Client {
    pub fn new(url: &str, user: &str, password: &str) -> Result<Client> {
        let origin = origin_of(url).ok_or_else(|| {
            Error::invalid(
                "server URL",
                url,
                "expected http://HOST/... or https://HOST/...",
            )
        })?;
        let timeout = answer_timeout()?;
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            .max_redirects(0)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_recv_response(Some(timeout))
            .timeout_recv_body(Some(timeout * 2))
            .timeout_send_body(Some(timeout))
            .user_agent(concat!("kith/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Client {
            timeout,
            agent,
            authorization: format!("Basic {}", base64(format!("{user}:{password}").as_bytes())),
            origin,
        })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The same client, as whom and how, for another server: where a server keeps the
    /// address books on a host of its own (iCloud's `pNN-contacts.icloud.com`).
    pub fn on(&self, origin: &str) -> Client {
        Client {
            agent: self.agent.clone(),
            timeout: self.timeout,
            authorization: self.authorization.clone(),
            origin: origin.to_string(),
        }
    }

    /// An href (decoded, as kith keeps them) as a URL on the server, its path encoded.
    pub fn url(&self, href: &str) -> String {
        let (origin, path) = match origin_of(href) {
            Some(origin) => {
                let path = href[origin.len()..].to_string();
                (origin, path)
            }
            None => (self.origin.clone(), href.to_string()),
        };
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        format!("{origin}{}", percent_encoded(&xml::percent_decoded(&path)))
    }

    /// An href as it goes inside a request body (encoded, as the server spells it).
    pub fn wire_href(&self, href: &str) -> String {
        let url = self.url(href);
        match origin_of(&url) {
            Some(origin) => url[origin.len()..].to_string(),
            None => url,
        }
    }

    /// A URL on this server as the (decoded) path hrefs are kept as.
    pub fn path_of(&self, url: &str) -> String {
        match url.strip_prefix(&self.origin) {
            Some("") => "/".to_string(),
            Some(path) => xml::percent_decoded(path),
            None => xml::percent_decoded(url),
        }
    }

    fn fail(&self, what: &str, detail: impl std::fmt::Display) -> Error {
        Error::Network {
            server: self.origin.clone(),
            message: format!("{what}: {detail}"),
        }
    }

    /// One request, retried on 429/5xx and on connections that fail; redirects on the same
    /// server are followed (keeping the method, as WebDAV clients must).
    fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Result<(u16, Response<ureq::Body>)> {
        let mut url = url.to_string();
        let mut redirects = 0;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = Request::builder()
                .method(method)
                .uri(&url)
                .header("Authorization", &self.authorization);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let request = request
                .body(body.as_bytes().to_vec())
                .map_err(|e| self.fail(&format!("{method} {url}"), e))?;
            let response = match self.agent.run(request) {
                Ok(r) => r,
                Err(e) if attempt < ATTEMPTS.min(2) && retryable(&e) => {
                    std::thread::sleep(backoff(attempt));
                    continue;
                }
                Err(ureq::Error::Timeout(_)) => {
                    return Err(self.fail(
                        &format!("{method} {url}"),
                        format!(
                            "no answer within {} s (timed out; KITH_SYNC_TIMEOUT=SECONDS waits longer)",
                            self.timeout.as_secs()
                        ),
                    ));
                }
                Err(e) => return Err(self.fail(&format!("{method} {url}"), describe(&e))),
            };
            let status = response.status().as_u16();
            if (status == 429 || status >= 500) && attempt < ATTEMPTS {
                let wait = retry_after(&response).unwrap_or_else(|| backoff(attempt));
                std::thread::sleep(wait);
                continue;
            }
            if matches!(status, 301 | 302 | 303 | 307 | 308) && redirects < 5 {
                let location = header(&response, "location").ok_or_else(|| {
                    self.fail(
                        &format!("{method} {url}"),
                        format!("{status} without a Location"),
                    )
                })?;
                let next = self.url(&location);
                if origin_of(&next).as_deref() != Some(self.origin.as_str()) {
                    return Err(self.fail(
                        &format!("{method} {url}"),
                        format!(
                            "redirected to another server ({next}); give that address to `kith sync add`"
                        ),
                    ));
                }
                url = next;
                redirects += 1;
                attempt = 0;
                continue;
            }
            return Ok((status, response));
        }
    }

    fn read_body(&self, what: &str, response: &mut Response<ureq::Body>) -> Result<String> {
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| self.fail(what, format!("reading the answer: {}", describe(&e))))?;
        String::from_utf8(bytes).map_err(|_| self.fail(what, "the answer is not UTF-8"))
    }

    /// An answer that is not success, as an error that says what it means.
    fn refused(&self, what: &str, status: u16) -> Error {
        let meaning = match status {
            401 => "401 Unauthorized: the user name or password is wrong",
            403 => "403 Forbidden: this user may not do that here",
            404 => "404 Not Found: no such address book or card (check the URL)",
            405 => "405 Method Not Allowed: this URL is not a CardDAV address book",
            412 => "412 Precondition Failed: it changed on the server meanwhile",
            429 => "429 Too Many Requests, still after retrying",
            500..=599 => "the server failed (5xx), still after retrying",
            _ => "",
        };
        if meaning.is_empty() {
            self.fail(what, format!("unexpected HTTP status {status}"))
        } else if status >= 500 {
            self.fail(what, format!("{meaning} (HTTP {status})"))
        } else {
            self.fail(what, meaning)
        }
    }

    /// PROPFIND or REPORT, answered with a multistatus.
    pub fn multistatus(
        &self,
        method: &str,
        url: &str,
        depth: &str,
        body: &str,
    ) -> Result<Multistatus> {
        let what = format!("{method} {}", self.path_of(url));
        let (status, mut response) = self.send(
            method,
            url,
            &[
                ("Depth", depth),
                ("Content-Type", "application/xml; charset=utf-8"),
            ],
            body,
        )?;
        if status != 207 {
            return Err(self.refused(&what, status));
        }
        let text = self.read_body(&what, &mut response)?;
        xml::multistatus(&text).map_err(|e| self.fail(&what, e))
    }

    /// RFC 6578 sync-collection since `token`; Ok(None) when the server no longer knows the
    /// token (403/409 valid-sync-token, or 400), so the caller lists everything instead.
    pub fn sync_collection(&self, url: &str, token: Option<&str>) -> Result<Option<Multistatus>> {
        match self.multistatus("REPORT", url, "1", &xml::sync_collection(token)) {
            Ok(ms) => Ok(Some(ms)),
            Err(Error::Network { message, .. })
                if token.is_some()
                    && (message.contains("403")
                        || message.contains("409")
                        || message.contains("status 400")) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// PUT a card; `etag` Some: only if it is still that (If-Match); None: only if there is
    /// no card there yet (If-None-Match: *).
    pub fn put(&self, href: &str, card: &str, etag: Option<&str>) -> Result<Written> {
        let url = self.url(href);
        let what = format!("PUT {href}");
        let condition = match etag {
            Some(tag) => ("If-Match", tag),
            None => ("If-None-Match", "*"),
        };
        let (status, response) = self.send(
            "PUT",
            &url,
            &[("Content-Type", "text/vcard; charset=utf-8"), condition],
            card,
        )?;
        match status {
            200..=299 => Ok(Written::Done(header(&response, "etag"))),
            412 => Ok(Written::Changed),
            _ => Err(self.refused(&what, status)),
        }
    }

    /// DELETE a card only if it is still `etag`; a card already gone is done.
    pub fn delete(&self, href: &str, etag: &str) -> Result<Written> {
        let url = self.url(href);
        let (status, _) = self.send("DELETE", &url, &[("If-Match", etag)], "")?;
        match status {
            200..=299 | 404 | 410 => Ok(Written::Done(None)),
            412 => Ok(Written::Changed),
            _ => Err(self.refused(&format!("DELETE {href}"), status)),
        }
    }
}

/// A path with everything but unreserved characters and `/!$&'()*+,;=:@` percent-encoded.
fn percent_encoded(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn header(response: &Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A short `Retry-After` in seconds (a longer wait is the server saying "not now").
fn retry_after(response: &Response<ureq::Body>) -> Option<Duration> {
    let secs: u64 = header(response, "retry-after")?.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(10)))
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250 << attempt.min(5))
}

fn retryable(e: &ureq::Error) -> bool {
    matches!(e, ureq::Error::Io(_) | ureq::Error::ConnectionFailed)
}

/// A transport error in words a user can act on.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused (is the server running? is the port right?)".into()
        }
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::HostNotFound => "host not found (check the URL)".into(),
        ureq::Error::BodyExceedsLimit(limit) => {
            format!(
                "the answer is larger than {} MB; refused",
                limit / (1024 * 1024)
            )
        }
        other => other.to_string(),
    }
}

pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_rfc_4648_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"ada:s3cret"), "YWRhOnMzY3JldA==");
    }

    /// A one-answer server on 127.0.0.1: every request gets `response`.
    fn answering(response: &'static str) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(response.as_bytes());
            }
        });
        format!("http://127.0.0.1:{port}/")
    }

    #[test]
    fn conditional_writes_say_when_the_card_changed_meanwhile() {
        let url = answering("HTTP/1.1 412 Precondition Failed\r\nContent-Length: 0\r\n\r\n");
        let c = Client::new(&url, "u", "p").unwrap();
        assert_eq!(
            c.put("/a.vcf", "x", Some("\"1\"")).unwrap(),
            Written::Changed
        );
        assert_eq!(c.delete("/a.vcf", "\"1\"").unwrap(), Written::Changed);
        let url = answering("HTTP/1.1 201 Created\r\nETag: \"7\"\r\nContent-Length: 0\r\n\r\n");
        let c = Client::new(&url, "u", "p").unwrap();
        assert_eq!(
            c.put("/a.vcf", "x", None).unwrap(),
            Written::Done(Some("\"7\"".into()))
        );
    }

    #[test]
    fn origins_and_hrefs() {
        assert_eq!(
            origin_of("https://dav.example.com:8443/x/y").as_deref(),
            Some("https://dav.example.com:8443")
        );
        assert_eq!(origin_of("ftp://x/"), None);
        assert_eq!(origin_of("http://"), None);
        let c = Client::new("http://127.0.0.1:5232/", "u", "p").unwrap();
        assert_eq!(c.url("/u/c/a.vcf"), "http://127.0.0.1:5232/u/c/a.vcf");
        assert_eq!(
            c.url("/u/c/a b%.vcf"),
            "http://127.0.0.1:5232/u/c/a%20b%25.vcf"
        );
        assert_eq!(
            c.path_of("http://127.0.0.1:5232/u/c/a%20b.vcf"),
            "/u/c/a b.vcf"
        );
        assert_eq!(c.path_of("http://127.0.0.1:5232/u/c/"), "/u/c/");
        assert_eq!(c.path_of("http://127.0.0.1:5232"), "/");
    }
}
