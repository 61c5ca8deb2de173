//! A real CardDAV server for the sync tests: Radicale (Python's registry; `.ci/run` installs
//! it) started on 127.0.0.1 on a free port, with a temporary storage folder and one user in a
//! plain htpasswd file, and stopped when the value is dropped. `put`/`get`/`delete` speak raw
//! HTTP to it, as a phone or another client would, so tests can change the server behind
//! kith's back.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub const USER: &str = "ada";
pub const PASSWORD: &str = "s3cret pass";
/// The address book every test server holds.
pub const BOOK: &str = "contacts";

pub struct Radicale {
    pub dir: TempDir,
    pub port: u16,
    child: Child,
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Radicale {
    /// A running server with user [`USER`] and an empty address book [`BOOK`], or None (the
    /// test skips, or fails under KITH_REQUIRE_TOOLS) when Radicale is not installed.
    pub fn start() -> Option<Radicale> {
        if !crate::common::have(
            "radicale (pip install radicale)",
            "python3",
            &["-c", "import radicale"],
        ) {
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("users"), format!("{USER}:{PASSWORD}\n")).unwrap();
        // The address book exists before the first request, as one a user made in a web UI.
        let book = root
            .join("collections/collection-root")
            .join(USER)
            .join(BOOK);
        std::fs::create_dir_all(&book).unwrap();
        std::fs::write(
            book.join(".Radicale.props"),
            r#"{"tag": "VADDRESSBOOK", "D:displayname": "Contacts"}"#,
        )
        .unwrap();
        let port = free_port();
        let config = format!(
            "[server]\nhosts = 127.0.0.1:{port}\n\
             [auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\n\
             delay = 0\n\
             [storage]\nfilesystem_folder = {collections}\n\
             [rights]\ntype = owner_only\n\
             [logging]\nlevel = warning\n",
            users = root.join("users").display(),
            collections = root.join("collections").display(),
        );
        std::fs::write(root.join("config"), config).unwrap();
        let child = Command::new("python3")
            .args(["-m", "radicale", "--config"])
            .arg(root.join("config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(root.join("radicale.log")).unwrap())
            .spawn()
            .expect("start radicale");
        let server = Radicale { dir, port, child };
        server.wait_until_up();
        Some(server)
    }

    fn wait_until_up(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("radicale did not start: {}", self.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("radicale.log")).unwrap_or_default()
    }

    /// The server's root, what a user gives `kith sync add --url`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The folder Radicale keeps the address book's cards in (one .vcf per card).
    pub fn book_dir(&self) -> PathBuf {
        self.dir
            .path()
            .join("collections/collection-root")
            .join(USER)
            .join(BOOK)
    }

    /// A raw request as another client would make it: (status, ETag header, body).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Option<String>, String) {
        raw_request(self.port, method, path, &auth_header(), headers, body)
    }

    /// PUT a card into the address book as `name` (a phone's edit); returns the status.
    pub fn put(&self, name: &str, card: &str) -> u16 {
        let path = format!("/{USER}/{BOOK}/{name}");
        self.request("PUT", &path, &[("Content-Type", "text/vcard")], card)
            .0
    }

    /// The card `name` as the server holds it, or None.
    pub fn get(&self, name: &str) -> Option<String> {
        let (status, _, body) = self.request("GET", &format!("/{USER}/{BOOK}/{name}"), &[], "");
        (status == 200).then_some(body)
    }

    pub fn delete(&self, name: &str) -> u16 {
        self.request("DELETE", &format!("/{USER}/{BOOK}/{name}"), &[], "")
            .0
    }

    /// Every card on the server, by file name.
    pub fn cards(&self) -> Vec<(String, String)> {
        let mut cards: Vec<(String, String)> = std::fs::read_dir(self.book_dir())
            .unwrap()
            .filter_map(|e| {
                let e = e.ok()?;
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || !e.path().is_file() {
                    return None;
                }
                Some((name, std::fs::read_to_string(e.path()).ok()?))
            })
            .collect();
        cards.sort();
        cards
    }
}

fn auth_header() -> String {
    format!("Basic {}", base64(format!("{USER}:{PASSWORD}").as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
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

/// HTTP/1.1 over a plain socket, Connection: close: small enough to read, and independent of
/// the client kith uses.
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    authorization: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Option<String>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to radicale");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: {authorization}\r\n\
         Content-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let etag = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("etag")
            .then(|| value.trim().to_string())
    });
    (status, etag, body.to_string())
}

/// A server on 127.0.0.1 that answers every request with `response` (a whole HTTP response)
/// and closes: for the bad-server cases. It serves until the test ends.
pub fn answering(response: &'static str) -> u16 {
    // The answers say `Connection: close`, so the client never reuses a connection this
    // stand-in is about to close (a reused one would fail as "peer disconnected").
    serving(move |_, stream| {
        let _ = stream.write_all(response.as_bytes());
    })
}

/// A stand-in server on 127.0.0.1: for each connection the request is read whole, `answer`
/// gets it and writes what it will, and the connection is closed. It serves until the test
/// ends.
pub fn serving(answer: impl Fn(&[u8], &mut TcpStream) + Send + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            // Read the whole request first: closing with unread bytes makes the kernel reset
            // the connection, and the client would see a reset instead of the answer.
            let request = read_request(&mut stream);
            answer(&request, &mut stream);
            let _ = stream.shutdown(std::net::Shutdown::Write);
            let _ = stream.read(&mut [0u8; 1024]);
        }
    });
    port
}

/// A proxy on 127.0.0.1 in front of `server` that passes every request on (as the test's
/// user) and hands the answer's body to `edit` on the way back: a server that differs from
/// Radicale in what `edit` changes.
pub fn proxy(server: &Radicale, edit: impl Fn(&str) -> String + Send + 'static) -> u16 {
    let port = server.port;
    serving(move |request, stream| {
        let text = String::from_utf8_lossy(request);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let mut start = lines.next().unwrap_or("").split_whitespace();
        let (method, path) = (start.next().unwrap_or("GET"), start.next().unwrap_or("/"));
        let headers: Vec<(&str, &str)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim(), v.trim()))
            .filter(|(n, _)| {
                !["host", "authorization", "content-length", "connection"]
                    .contains(&n.to_ascii_lowercase().as_str())
            })
            .collect();
        let (status, etag, answer) =
            raw_request(port, method, path, &auth_header(), &headers, body);
        let answer = edit(&answer);
        let etag = etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default();
        let _ = stream.write_all(
            format!(
                "HTTP/1.1 {status} Proxied\r\nConnection: close\r\n{etag}\
                 Content-Length: {}\r\n\r\n{answer}",
                answer.len()
            )
            .as_bytes(),
        );
    })
}

/// Reads one HTTP request: its headers, then as many bytes as its Content-Length says.
fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let mut request = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let Ok(n) = stream.read(&mut buf) else {
            return request;
        };
        if n == 0 {
            return request;
        }
        request.extend_from_slice(&buf[..n]);
        let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            return request;
        }
    }
}

#[test]
fn radicale_starts_and_takes_a_card_as_a_phone_would() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Grace Hopper\r\nEND:VCARD\r\n";
    assert_eq!(server.put("phone-1.vcf", card), 201, "{}", server.log());
    let back = server.get("phone-1.vcf").expect("the card is there");
    assert!(back.contains("FN:Grace Hopper"), "{back}");
    assert_eq!(server.cards().len(), 1);
    assert_eq!(server.delete("phone-1.vcf"), 200);
    assert!(server.get("phone-1.vcf").is_none());
}
