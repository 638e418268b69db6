#!/usr/bin/env python3
"""warc_server.py DIR: a small HTTP/1.1 server on 127.0.0.1 (a free port,
written to DIR/port) for tests/cli/test_warc.sh, whose pages wget archives:
articles, a redirect, a 404, an image, a chunked response, a gzip-encoded
response and a page whose HTTP charset disagrees with its <meta>."""
import gzip
import http.server
import os
import sys


def page(title, words):
    body = "".join(
        "<p>%s paragraph %d: %s</p>\n" % (title, i, " ".join([words] * 6))
        for i in range(4))
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s"
            "</title></head><body><nav><a href=\"/\">Home</a></nav><article>"
            "<h1>%s</h1>\n%s</article><footer>Footer</footer></body></html>"
            % (title, title, body)).encode("utf-8")


# The HTTP header says windows-1251; the page's <meta> says ISO-8859-1.
# The bytes are windows-1251: only the header's charset reads them right.
CYRILLIC = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html;"
            " charset=iso-8859-1\"><title>Новости дня</title></head><body>"
            "<article><h1>Новости дня</h1>" +
            "".join("<p>Абзац %d: сегодня в городе прошёл большой праздник, "
                    "люди пели и танцевали на улицах до самого вечера.</p>" % i
                    for i in range(4)) +
            "</article></body></html>").encode("windows-1251")

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806"
                    "0000001f15c4890000000d49444154789c6364f85f0f00028701"
                    "80eb47ba920000000049454e44ae426082")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, ctype, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        if ("Transfer-Encoding", "chunked") not in extra:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if ("Transfer-Encoding", "chunked") in extra:
            for i in range(0, len(body), 100):
                part = body[i:i + 100]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)

    def do_GET(self):
        p = self.path
        html = "text/html; charset=utf-8"
        if p == "/article.html":
            self.send(200, html, page("Plain article", "alpha"))
        elif p == "/moved":
            self.send(301, html, b"<p>moved</p>", [("Location", "/target.html")])
        elif p == "/target.html":
            self.send(200, html, page("Redirect target", "bravo"))
        elif p == "/missing.html":
            self.send(404, html, page("Not found", "nothing"))
        elif p == "/image.png":
            self.send(200, "image/png", PNG)
        elif p == "/chunked.html":
            self.send(200, html, page("Chunked article", "charlie"),
                      [("Transfer-Encoding", "chunked")])
        elif p == "/gzip.html":
            self.send(200, html, gzip.compress(page("Gzip article", "delta")),
                      [("Content-Encoding", "gzip")])
        elif p == "/cyrillic.html":
            self.send(200, "text/html; charset=windows-1251", CYRILLIC)
        elif p == "/xhtml.xhtml":
            self.send(200, "application/xhtml+xml", page("Xhtml article", "echo"))
        else:
            self.send(404, "text/plain", b"not here")


def main():
    d = sys.argv[1]
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    tmp = os.path.join(d, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, os.path.join(d, "port"))
    srv.serve_forever()


if __name__ == "__main__":
    main()
