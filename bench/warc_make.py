#!/usr/bin/env python3
"""warc_make.py PAGES_DIR OUT.warc.gz N [FILES_DIR K]: a Common-Crawl-like
WARC (a gzip member per record) of N records made from the pages of
PAGES_DIR (*.html.gz): 60% HTML responses (some chunked, some
gzip-encoded, some whose HTTP charset disagrees with their <meta>), and
robots.txt, images, redirects, 404s, revisits, request and metadata
records. Each page gets a comment of its own, so no two payloads are the
same. With FILES_DIR K: also the first K HTML pages as files in FILES_DIR
and OUT-pages.warc.gz holding just those K pages (the same bytes both ways).
Prints the compressed offset of the last HTML response (for FILE@OFFSET)."""
import gzip
import os
import random
import sys
import zlib


def member(data):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


def record(n, typ, uri, block, extra=b""):
    h = (b"WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>\r\n"
         b"WARC-Date: 2024-06-01T12:00:00Z\r\nWARC-Target-URI: %s\r\n%sContent-Length: %d\r\n\r\n"
         % (typ, n, uri, extra, len(block)))
    return h + block + b"\r\n\r\n"


HTTP = b"Content-Type: application/http; msgtype=response\r\n"


def chunked(body):
    out = []
    for i in range(0, len(body), 8192):
        part = body[i:i + 8192]
        out.append(b"%x\r\n%s\r\n" % (len(part), part))
    return b"".join(out) + b"0\r\n\r\n"


def main():
    src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files_dir = sys.argv[4] if len(sys.argv) > 5 else None
    k_files = int(sys.argv[5]) if files_dir else 0
    pages = []
    for name in sorted(os.listdir(src)):
        if name.endswith(".html.gz"):
            with gzip.open(os.path.join(src, name)) as f:
                pages.append(f.read())
    if not pages:
        sys.exit("no pages in " + src)
    rnd = random.Random(11)
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + bytes(rnd.randrange(256) for _ in range(3000))
    last_html = 0
    kept = []
    with open(out + ".tmp", "wb") as w:
        offset = 0
        for i in range(n):
            uri = b"https://site%d.example/p/%d" % (i % 97, i)
            x = rnd.random()
            if x < 0.60:
                page = pages[i % len(pages)]
                page = page.replace(b"<head", b"<!-- record %d --><head" % i, 1)
                y = rnd.random()
                if y < 0.15:
                    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(page)
                elif y < 0.30:
                    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + gzip.compress(page, 6, mtime=0)
                elif y < 0.40:
                    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n" + page
                else:
                    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
                rec = record(i, b"response", uri, block, HTTP)
                last_html = offset
                if len(kept) < k_files:
                    kept.append((i, page))
            elif x < 0.70:
                rec = record(i, b"request", uri, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                             b"Content-Type: application/http; msgtype=request\r\n")
            elif x < 0.78:
                rec = record(i, b"metadata", uri, b"fetchTimeMs: 120\r\n",
                             b"Content-Type: application/warc-fields\r\n")
            elif x < 0.82:
                rec = record(i, b"response", uri + b"/robots.txt",
                             b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nUser-agent: *\nDisallow: /private\n", HTTP)
            elif x < 0.88:
                rec = record(i, b"response", uri + b".jpg",
                             b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n" + jpeg, HTTP)
            elif x < 0.93:
                rec = record(i, b"response", uri, b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n", HTTP)
            elif x < 0.97:
                rec = record(i, b"response", uri, b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<h1>Not found</h1>", HTTP)
            else:
                rec = record(i, b"revisit", uri, b"HTTP/1.1 200 OK\r\n\r\n",
                             b"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n")
            m = member(rec)
            w.write(m)
            offset += len(m)
    os.rename(out + ".tmp", out)
    if files_dir:
        os.makedirs(files_dir, exist_ok=True)
        with open(out[:-len(".warc.gz")] + "-pages.warc.gz", "wb") as w:
            for i, page in kept:
                with open(os.path.join(files_dir, "p%06d.html" % i), "wb") as f:
                    f.write(page)
                block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
                w.write(member(record(i, b"response", b"https://files.example/%d" % i, block, HTTP)))
    print(last_html)


if __name__ == "__main__":
    main()
