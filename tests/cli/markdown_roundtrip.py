#!/usr/bin/env python3
"""Compares an HTML source with the HTML that cmark makes of its Markdown.

    markdown_roundtrip.py SOURCE.html ROUNDTRIP.html

SOURCE.html is newsform.html(node) (the tree as newsform sees it, scripts
dropped); ROUNDTRIP.html is `cmark --unsafe` of newsform.markdown(node).
Both sides are reduced the same way, then compared:
- text: the visible text with whitespace collapsed (a space at each block
  boundary);
- links: the set of a[href] (percent-decoded), javascript:-like ones left
  out (the renderer writes those as text);
- blocks: the sequence of p, h1-h6, ul, ol, li, blockquote, pre, hr,
  table. A Markdown reader makes a paragraph of every run of inline
  content, so "p" is counted the same way on both sides: one per run of
  visible inline content whose nearest block container is not a list
  item, table cell, heading or pre (tight lists have no p). Lists without
  items count as nothing (Markdown cannot write them).

    markdown_roundtrip.py --jsonl PAGES.jsonl MIN_BLOCK_MATCHES

runs cmark itself on each line's "md" and prints TAP lines (see run_jsonl).
With two files, prints the differences and exits 1, or exits 0.
"""
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote

HIDDEN = set("""script style template noscript head title meta link svg math
canvas iframe object embed applet select datalist frame frameset noframes
noembed
textarea input button source track param area map""".split())
BLOCK = set("""address article aside blockquote body caption center dd details
dialog dir div dl dt fieldset figcaption figure footer form frameset h1 h2 h3
h4 h5 h6 header hgroup hr html legend li listing main menu nav ol p plaintext
pre section summary table tbody td tfoot th thead tr ul xmp""".split())
VOID = set("area base br col embed hr img input keygen link meta param source "
           "track wbr".split())
COUNTED = set("h1 h2 h3 h4 h5 h6 ul ol li blockquote pre hr table".split())
NO_PARAGRAPH = set("li td th h1 h2 h3 h4 h5 h6 pre caption dt".split())
UNSAFE = re.compile(r"^\s*(javascript|vbscript|data):", re.I)


class Reducer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # open tags
        self.hidden = 0
        self.text = []
        self.links = set()
        self.blocks = []         # (tag, index in self.stack) for lists
        self.in_run = False
        self.link_depth = 0

    def container(self):
        for tag in reversed(self.stack):
            if tag in NO_PARAGRAPH or tag in ("blockquote", "figure",
                                              "figcaption", "body", "td"):
                return tag
        return "body"

    def boundary(self):
        self.in_run = False
        self.text.append(" ")

    def handle_starttag(self, tag, attrs):
        if self.hidden:
            if tag not in VOID:
                self.stack.append(tag)
                self.hidden += 1
            return
        attrs = dict(attrs)
        if tag in HIDDEN or "hidden" in attrs:
            if tag not in VOID:
                self.stack.append(tag)
                self.hidden = 1
            return
        if tag == "a" and attrs.get("href") is not None:
            href = attrs["href"]
            if not UNSAFE.match(href):
                self.links.add(unquote(href).strip())
        if tag == "img":
            self.content()
        if tag in BLOCK:
            self.boundary()
            if tag in COUNTED:
                self.blocks.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if self.hidden:
                self.hidden -= 1
            elif top in BLOCK:
                self.boundary()
            if top == tag:
                break

    def content(self):
        if not self.in_run:
            self.in_run = True
            if self.container() not in NO_PARAGRAPH:
                self.blocks.append("p")

    def handle_data(self, data):
        if self.hidden:
            return
        self.text.append(data)
        if data.strip():
            self.content()

    def result(self):
        text = " ".join("".join(self.text).split())
        # Lists without items: Markdown cannot write them.
        blocks, out = self.blocks, []
        for i, b in enumerate(blocks):
            if b in ("ul", "ol") and (i + 1 >= len(blocks) or blocks[i + 1] != "li"):
                continue
            out.append(b)
        return text, self.links, out


def reduce(html):
    r = Reducer()
    r.feed(html)
    r.close()
    return r.result()


def first_diff(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def compare(src_html, out_html):
    """Returns (text_and_links_ok, blocks_ok, messages)."""
    src_text, src_links, src_blocks = reduce(src_html)
    out_text, out_links, out_blocks = reduce(out_html)
    msgs, ok = [], True
    a, b = src_text.replace(" ", ""), out_text.replace(" ", "")
    if a != b:
        n = first_diff(a, b)
        msgs.append("text differs at %d:\n  source: %r\n  output: %r" %
                    (n, a[max(0, n - 60):n + 60], b[max(0, n - 60):n + 60]))
        ok = False
    if src_links != out_links:
        msgs.append("links differ:\n  only in source: %r\n  only in output: %r" %
                    (sorted(src_links - out_links)[:3],
                     sorted(out_links - src_links)[:3]))
        ok = False
    blocks_ok = src_blocks == out_blocks
    if not blocks_ok:
        n = first_diff(src_blocks, out_blocks)
        msgs.append("blocks differ at %d:\n  source: %s\n  output: %s" %
                    (n, " ".join(src_blocks[max(0, n - 5):n + 8]),
                     " ".join(out_blocks[max(0, n - 5):n + 8])))
    return ok, blocks_ok, msgs


def run_jsonl(path, min_blocks):
    """Lines of {"name", "html", "md"}: TAP output, one check per page for
    text and links, one closing check for block structure (which must
    match on at least min_blocks pages: a ratchet, see the test script)."""
    import json
    import subprocess
    n = failed = blocks_matched = pages = 0
    block_misses = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            page = json.loads(line)
            out = subprocess.run(["cmark", "--unsafe"], input=page["md"],
                                 capture_output=True, text=True).stdout
            ok, blocks_ok, msgs = compare(page["html"], out)
            pages += 1
            n += 1
            print("%sok %d - same text and links after cmark: %s" %
                  ("" if ok else "not ", n, page["name"]))
            if not ok:
                failed += 1
                for m in msgs:
                    print("#   " + m.replace("\n", "\n#   "))
            if blocks_ok:
                blocks_matched += 1
            else:
                block_misses.append((page["name"], msgs[-1]))
    n += 1
    ok = blocks_matched >= min(min_blocks, pages)
    print("%sok %d - same block structure after cmark on %d of %d pages "
          "(at least %d expected)" % ("" if ok else "not ", n, blocks_matched,
                                      pages, min(min_blocks, pages)))
    for name, m in block_misses:
        print("#   %s: %s" % (name, m.replace("\n", "\n#     ")))
    return 0 if failed == 0 and ok else 1


def main():
    if sys.argv[1] == "--jsonl":
        return run_jsonl(sys.argv[2], int(sys.argv[3]))
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        src = f.read()
    with open(sys.argv[2], encoding="utf-8", errors="replace") as f:
        out = f.read()
    ok, blocks_ok, msgs = compare(src, out)
    for m in msgs:
        print(m)
    return 0 if ok and blocks_ok else 1


if __name__ == "__main__":
    sys.exit(main())
