"""A CardDAV stand-in that costs next to nothing per request, for benches/sync.sh: it keeps
cards in memory, says it is one address book (vCard 4.0), answers sync-collection with what
changed since a token, and takes conditional PUTs. It times kith's side of a sync without a
real server's storage costs. Not a server to use: no auth check, no persistence.

    python3 benches/sync_standin.py PORT
"""
import hashlib
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOOK = "/book/"
cards = {}  # href -> (etag, text)
log = []  # hrefs in the order they changed; a token is an index into it


def multistatus(body):
    return ('<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:carddav">' + body + "</d:multistatus>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body="", headers=()):
        data = body.encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def request_body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()

    def do_PROPFIND(self):
        self.request_body()
        prop = ('<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>'
                '<c:supported-address-data><c:address-data-type content-type="text/vcard" '
                'version="4.0"/></c:supported-address-data>')
        self.answer(207, multistatus(
            f"<d:response><d:href>{BOOK}</d:href><d:propstat><d:prop>{prop}</d:prop>"
            "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"),
            [("Content-Type", "application/xml")])

    def do_REPORT(self):
        body = self.request_body()
        start = 0
        if "<d:sync-token>" in body:
            token = body.split("<d:sync-token>")[1].split("</d:sync-token>")[0]
            start = int(token.rsplit("/", 1)[-1]) if token else 0
        out = []
        for href in dict.fromkeys(log[start:]):
            etag, _ = cards[href]
            out.append(f"<d:response><d:href>{href}</d:href><d:propstat><d:prop>"
                       f"<d:getetag>{etag}</d:getetag></d:prop>"
                       "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>")
        out.append(f"<d:sync-token>http://standin/sync/{len(log)}</d:sync-token>")
        self.answer(207, multistatus("".join(out)), [("Content-Type", "application/xml")])

    def do_PUT(self):
        text = self.request_body()
        href = self.path
        if self.headers.get("If-None-Match") == "*" and href in cards:
            return self.answer(412)
        match = self.headers.get("If-Match")
        if match and match != "*" and cards.get(href, (None,))[0] != match:
            return self.answer(412)
        etag = '"%s"' % hashlib.sha1(text.encode()).hexdigest()
        cards[href] = (etag, text)
        log.append(href)
        self.answer(201, headers=[("ETag", etag)])


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
