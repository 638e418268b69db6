#!/bin/sh
# Bundles as inputs (newsform SCRIPT x.tar.gz|.zip|.epub|.jsonl.gz): round
# trips from examples/pages through every format, entry names, ordered
# output with -j 4, corrupt bundles, --max-entry-size, foreign EPUBs and
# JSON Lines, bundles found in directories; and EPUB from the CLI
# (markdown -o X.epub gives chapters of real markup, checked by epubcheck).
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
export NEWSFORM_PATH="$ROOT/scripts"
T=$T_TMP
# Four of the shipped pages (HTML, HTML with JSON-LD, text, gzipped HTML).
P="$T/pages"
mkdir -p "$P"
cp examples/pages/01-harbour-bridge.html examples/pages/02-city-council.html \
  examples/pages/03-river-festival.txt examples/pages/04-weather-warning.html.gz "$P/"

# ----- Round trips: write each format, read it back -------------------------
want=$("$NEWSFORM" -e 'return doc.article.title or doc.title' "$P")
n_pages=$(printf '%s\n' "$want" | wc -l)
for fmt in tar.gz zip epub jsonl.gz; do
  "$NEWSFORM" html -o "$T/rt.$fmt" "$P" 2>"$T/err"
  got=$("$NEWSFORM" -e 'return doc.title' "$T/rt.$fmt" 2>&1)
  expect_eq "html -o rt.$fmt, read back: the same titles in order" "$got" "$want"
done
for fmt in tar.gz zip jsonl.gz; do
  "$NEWSFORM" markdown -o "$T/md.$fmt" "$P" 2>/dev/null
  got=$("$NEWSFORM" -e 'return doc.title' "$T/md.$fmt" 2>&1)
  expect_eq "markdown -o md.$fmt, read back as text: the same titles" "$got" "$want"
done

got=$("$NEWSFORM" -e 'return ctx.input' "$T/rt.tar.gz" | head -2)
expect_eq "ctx.input is BUNDLE:ENTRY" "$got" "$T/rt.tar.gz:01-harbour-bridge.html
$T/rt.tar.gz:02-city-council.html"
got=$("$NEWSFORM" -e 'return ctx.bundle .. " " .. ctx.entry' "$T/rt.epub" | head -1)
expect_eq "ctx.bundle and ctx.entry (EPUB: the spine's chapter)" "$got" \
  "$T/rt.epub OEBPS/ch001.xhtml"
got=$("$NEWSFORM" -e 'return tostring(ctx.bundle)' "$P/01-harbour-bridge.html")
expect_eq "ctx.bundle is nil for a plain file" "$got" "nil"
# manifest.json, mimetype, META-INF/, nav, toc and css are not articles.
got=$("$NEWSFORM" -e 'return ctx.entry' "$T/rt.zip" "$T/rt.epub" | grep -c -e manifest -e mimetype -e META-INF -e nav -e toc -e css)
expect_eq "non-article entries skipped" "$got" "0"
# Output names come from the entries: markdown -o DIR/ of a bundle.
"$NEWSFORM" markdown -o "$T/fromzip/" "$T/rt.zip" 2>/dev/null
got=$(cd "$T/fromzip" 2>/dev/null && ls | tr '\n' ' ')
expect_eq "markdown -o DIR/ bundle: files named after the entries" "$got" \
  "01-harbour-bridge.md 02-city-council.md 03-river-festival.md 04-weather-warning.md "

# ----- Ordered output with -j 4, bundles in directories, sniffing ------------
mkdir -p "$T/many"
i=0
while [ $i -lt 40 ]; do
  for f in "$P"/*.html; do cp "$f" "$T/many/$(printf %02d $i)-$(basename "$f")"; done
  i=$((i + 1))
done
"$NEWSFORM" -e 'return doc.title' -o "$T/many.zip" --type html "$T/many" 2>/dev/null
"$NEWSFORM" html -o "$T/many.tar.gz" "$T/many" 2>/dev/null
one=$("$NEWSFORM" -j 1 -e 'return ctx.index .. " " .. ctx.input .. " " .. doc.title' "$T/many.tar.gz" 2>&1)
four=$("$NEWSFORM" -j 4 -e 'return ctx.index .. " " .. ctx.input .. " " .. doc.title' "$T/many.tar.gz" 2>&1)
expect_eq "-j 4 over a tar.gz: the same output as -j 1" "$four" "$one"
expect_eq "-j 4 over a tar.gz: 80 entries" "$(printf '%s\n' "$four" | wc -l | tr -d ' ')" "80"
first=$(printf '%s\n' "$four" | sed -n 1p)
last=$(printf '%s\n' "$four" | sed -n 80p)
expect_eq "-j 4: in entry order (first)" "$first" \
  "1 $T/many.tar.gz:00-01-harbour-bridge.html Harbour bridge reopens after two-year repair"
expect_eq "-j 4: in entry order (last)" "$last" \
  "80 $T/many.tar.gz:39-02-city-council.html Council votes to keep libraries open on Sundays"
mkdir -p "$T/mixed/sub"
cp "$T/rt.zip" "$T/mixed/sub/a.zip"
cp "$T/rt.tar.gz" "$T/mixed/noname"           # found by its magic bytes
cp "$P/01-harbour-bridge.html" "$T/mixed/page.html"
got=$("$NEWSFORM" -j 3 -e 'return ctx.input' "$T/mixed" 2>&1 | sed "s|$T/mixed/||")
expect_eq "bundles inside a directory walk are expanded (also by magic bytes)" \
  "$(printf '%s\n' "$got" | tr '\n' ' ')" \
  "noname:01-harbour-bridge.html noname:02-city-council.html noname:03-river-festival.html noname:04-weather-warning.html page.html sub/a.zip:01-harbour-bridge.html sub/a.zip:02-city-council.html sub/a.zip:03-river-festival.html sub/a.zip:04-weather-warning.html "
"$NEWSFORM" -e 'return nil' -o "$T/empty.zip" "$P" 2>/dev/null
out=$("$NEWSFORM" -e 'return 1' "$T/empty.zip" 2>&1); rc=$?
expect_eq "a bundle without articles: a note, not a failure" "$rc $out" \
  "0 newsform: $T/empty.zip: no article entries (HTML, text or Markdown) in this zip"
# (issue 9: a zip that is not expanded is binary data, not an article)
got=$(cat "$T/rt.zip" | "$NEWSFORM" -e 'return #doc.body.text > 0 and "parsed" or "empty"' - 2>&1)
expect_eq "standard input is never expanded" "$got" "newsform: <stdin>: binary data (ZIP archive), not an article"

# ----- Corrupt bundles, --max-entry-size ------------------------------------
head -c 400 "$T/many.tar.gz" > "$T/cut.tar.gz"
out=$("$NEWSFORM" -e 'return doc.title' "$T/cut.tar.gz" 2>&1); rc=$?
expect_eq "truncated tar.gz: exit 1" "$rc" "1"
expect_match "truncated tar.gz: newsform: BUNDLE: reason" "$out" \
  "^newsform: $T/cut.tar.gz: .*(truncated|corrupt)"
expect_eq "truncated tar.gz: no entry ran" "$(printf '%s\n' "$out" | grep -vc '^newsform:')" "0"
out=$("$NEWSFORM" -k -e 'return doc.title' "$T/cut.tar.gz" "$P/01-harbour-bridge.html" 2>&1); rc=$?
expect_match "-k: the corrupt bundle counts as one failed input" "$out" \
  "1 of 2 inputs failed"
expect_match "-k: the next input still runs" "$out" "^Harbour bridge"
printf 'PK\003\004 not really a zip' > "$T/fake.zip"
out=$("$NEWSFORM" -e 'return doc.title' "$T/fake.zip" 2>&1); rc=$?
expect_match "not a zip: newsform: BUNDLE: reason, exit 1" "$rc $out" \
  "^1 newsform: $T/fake.zip: "
gzip -c "$P/01-harbour-bridge.html" | head -c 300 > "$T/cut.jsonl.gz"
out=$("$NEWSFORM" -e 'return doc.title' "$T/cut.jsonl.gz" 2>&1); rc=$?
expect_match "broken jsonl.gz: newsform: BUNDLE: reason, exit 1" "$rc $out" \
  "^1 newsform: $T/cut.jsonl.gz: "
if have python3; then
  # A zip whose second entry's stored bytes were changed: CRC mismatch.
  python3 - "$T/crc.zip" <<'EOF'
import sys, zipfile
p = sys.argv[1]
with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
    z.writestr("a.html", "<title>A</title><p>first</p>")
    z.writestr("b.html", "<title>B</title><p>second entry here</p>")
    z.writestr("c.html", "<title>C</title><p>third</p>")
data = bytearray(open(p, "rb").read())
i = data.find(b"second entry")
data[i] ^= 0x20
open(p, "wb").write(bytes(data))
EOF
  out=$("$NEWSFORM" -k -e 'return doc.title' "$T/crc.zip" 2>&1); rc=$?
  expect_eq "zip with a bad CRC: exit 1" "$rc" "1"
  expect_match "zip with a bad CRC: that entry fails, named BUNDLE: ENTRY" "$out" \
    "newsform: $T/crc.zip: b.html: .*CRC"
  expect_eq "zip with a bad CRC: the other entries run" \
    "$(printf '%s\n' "$out" | grep -v '^newsform:' | tr '\n' ' ')" "A C "
else
  skip "python3 missing: CRC mismatch check"
fi
# One entry of 8000 bytes among small ones; the limit is 0.001 MB = 1048.
"$NEWSFORM" -e 'return ctx.index == 2 and ("<p>x</p>"):rep(1000) or "<title>" .. ctx.index .. "</title>"' \
  -o "$T/big.tar.gz" "$P" 2>/dev/null
"$NEWSFORM" -e 'return ctx.index == 2 and ("<p>x</p>"):rep(1000) or "<title>" .. ctx.index .. "</title>"' \
  -o "$T/big.zip" "$P" 2>/dev/null
for fmt in tar.gz zip; do
  "$NEWSFORM" -k --max-entry-size 0.001 -e 'return doc.title' "$T/big.$fmt" >"$T/out" 2>"$T/err"; rc=$?
  expect_eq "--max-entry-size ($fmt): exit 1" "$rc" "1"
  expect_match "--max-entry-size ($fmt): the big entry fails with the limit" "$(cat "$T/err")" \
    "^newsform: $T/big.$fmt: 02-city-council.html: entry of 8001 bytes exceeds the limit of 1048 bytes"
  expect_eq "--max-entry-size ($fmt): the other entries run" "$(cat "$T/out" | tr '\n' ' ')" "1 3 4 "
done
got=$("$NEWSFORM" -e 'return #doc.text' "$T/big.tar.gz" 2>&1 | sed -n 2p)
expect_eq "without --max-entry-size the big entry is read" "$got" "1001"

# ----- JSON Lines written by others ------------------------------------------
cat > "$T/lines.jsonl" <<'EOF'
{"url": "https://news.test/a", "title": "Line A", "html": "<article><p>Alpha <a href='/x'>link</a>.</p></article>"}
{"name": "b", "content": "Beta is plain text.\n\nIn two paragraphs.", "title": "Line B", "published": "2024-02-03"}

{"name": "c", "textContent": "<b>not markup</b>", "title": "Line C"}
{"name": "d", "summary": "no article field"}
EOF
gzip -c "$T/lines.jsonl" > "$T/lines.jsonl.gz"
"$NEWSFORM" -k -e 'return ctx.entry .. "|" .. tostring(doc.title) .. "|" .. #doc.body:select("p")' \
  "$T/lines.jsonl.gz" >"$T/out" 2>"$T/err"
expect_eq "jsonl.gz: html, content, textContent fields (a text gets its title line)" \
  "$(cat "$T/out")" "https://news.test/a|Line A|1
b|Line B|2
c|Line C|1"
expect_eq "jsonl.gz: a line without an article field fails" "$(cat "$T/err")" \
  "newsform: $T/lines.jsonl.gz:d: no \"html\", \"content\" or \"text\" string in the line
newsform: 1 of 4 inputs failed"
got=$("$NEWSFORM" -e 'return tostring(doc.url)' "$T/lines.jsonl.gz" 2>/dev/null | head -2 | tr '\n' ' ')
expect_eq "jsonl.gz: the line's url is the page's URL (doc.url)" "$got" "https://news.test/a nil "
got=$("$NEWSFORM" -e 'return doc.title' "$T/lines.jsonl" 2>/dev/null | tr '\n' ' ')
expect_eq "plain .jsonl is read too" "$got" "Line A Line B Line C "

# ----- An EPUB made by another tool ------------------------------------------
if have python3; then
  python3 - "$T/other.epub" <<'EOF'
import sys, zipfile
page = lambda t, body: ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
    '<head><title>%s</title></head><body>%s</body></html>' % (t, body))
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
    z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="book/pkg.opf" media-type="application/oebps-package+xml"/>'
        '</rootfiles></container>')
    z.writestr("book/text/a one.xhtml", page("Chapter A", "<h1>Chapter A</h1><p>The first written, read second.</p>"))
    z.writestr("book/text/b.xhtml", page("Chapter B", "<h1>Chapter B</h1><p>Read first.</p>"))
    z.writestr("book/nav.xhtml", page("Nav", "<nav><ol><li>x</li></ol></nav>"))
    z.writestr("book/cover.xhtml", page("Cover", "<p>cover</p>"))
    z.writestr("book/notes.xhtml", page("Notes", "<p>aside</p>"))
    z.writestr("book/pkg.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata/><manifest>'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="c" href="cover.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="x1" href="text/a%20one.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="x2" href="./text/b.xhtml#top" media-type="application/xhtml+xml"/>'
        '<item id="n" href="notes.xhtml" media-type="application/xhtml+xml"/>'
        '</manifest><spine><itemref idref="nav"/><itemref idref="c"/>'
        '<itemref idref="x2"/><itemref idref="x1"/><itemref idref="n" linear="no"/></spine></package>')
EOF
  got=$("$NEWSFORM" -e 'return ctx.entry .. "|" .. doc.title' "$T/other.epub" 2>&1)
  expect_eq "foreign EPUB: the spine's chapters in reading order (no nav, cover, linear=no)" \
    "$got" "book/text/b.xhtml|Chapter B
book/text/a one.xhtml|Chapter A"
  # Hostile packages: paths out of the book, missing ids, broken XML, an
  # entity bomb. The book falls back to its XHTML files; nothing escapes.
  python3 - "$T" <<'EOF'
import sys, zipfile
d = sys.argv[1]
C = '<container><rootfiles><rootfile full-path="%s"/></rootfiles></container>'
bomb = ('<?xml version="1.0"?><!DOCTYPE package [<!ENTITY a "aaaaaaaaaa">'
        + ''.join('<!ENTITY %s "%s">' % (chr(98 + i), ('&%s;' % chr(97 + i)) * 10) for i in range(9))
        + ']><package><manifest><item id="x" href="&j;.xhtml" media-type="application/xhtml+xml"/>'
        '</manifest><spine><itemref idref="x"/></spine></package>')
cases = {
    "escape": (C % "../../etc/passwd", None),
    "notxml": ("<<<", None),
    "badspine": (C % "p.opf", '<package><manifest><item href="a.xhtml"/><item id="u" href="../../a.xhtml" '
                 'media-type="application/xhtml+xml"/></manifest><spine><itemref/><itemref idref="zz"/>'
                 '<itemref idref="u"/></spine></package>'),
    "bomb": (C % "p.opf", bomb),
}
for name, (container, opf) in cases.items():
    with zipfile.ZipFile("%s/%s.epub" % (d, name), "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", container)
        if opf: z.writestr("p.opf", opf)
        z.writestr("a.xhtml", "<html><head><title>A</title></head><body><p>a</p></body></html>")
        z.writestr("toc.xhtml", "<html><head><title>Contents</title></head><body></body></html>")
EOF
  got=$("$NEWSFORM" -e 'return ctx.input' "$T/escape.epub" "$T/notxml.epub" "$T/badspine.epub" "$T/bomb.epub" 2>&1 | sed "s|$T/||")
  expect_eq "hostile EPUB packages: the XHTML files, nothing else" "$(printf '%s\n' "$got" | tr '\n' ' ')" \
    "escape.epub:a.xhtml notxml.epub:a.xhtml badspine.epub:a.xhtml bomb.epub:a.xhtml "
  cp "$T/other.epub" "$T/other-book"
  got=$("$NEWSFORM" -e 'return doc.title' "$T/other-book" 2>&1 | tr '\n' ' ')
  expect_eq "an EPUB without its extension is recognised" "$got" "Chapter B Chapter A "
else
  skip "python3 missing: foreign EPUB"
  skip "python3 missing: foreign EPUB sniffed"
fi

# ----- EPUB from the CLI -----------------------------------------------------
"$NEWSFORM" markdown --title "Morning digest" --author "The Desk" -o "$T/digest.epub" examples/pages 2>"$T/err"
check "markdown -o digest.epub: written" test -s "$T/digest.epub"
if have unzip; then
  ch=$(unzip -p "$T/digest.epub" OEBPS/ch001.xhtml)
  expect_match "Markdown results become the article's markup (h2, strong)" "$ch" \
    "<h2>Queues on the first morning</h2>"
  expect_eq "no Markdown syntax left in the chapter" \
    "$(printf '%s' "$ch" | grep -c -e '^<p># ' -e '\*\*' -e '](')" "0"
  expect_match "the chapter is headed by the article's title, byline and date" \
    "$(printf '%s' "$ch" | tr -d '\n')" \
    '<h1 class="title">Harbour bridge reopens after two-year repair</h1><p class="byline">Maria Okafor · <time datetime="2024-03-14'
  opf=$(unzip -p "$T/digest.epub" OEBPS/content.opf)
  expect_match "--title and --author name the book" "$(printf '%s' "$opf" | tr -d '\n')" \
    "<dc:title>Morning digest</dc:title>.*The Desk"
  "$NEWSFORM" summarize -o "$T/sum.epub" "$P/01-harbour-bridge.html" 2>/dev/null
  ch=$(unzip -p "$T/sum.epub" OEBPS/ch001.xhtml | tr -d '\n')
  expect_match "plain-text results (summaries) stay paragraphs under the article's title" \
    "$ch" '<h1 class="title">Harbour bridge reopens after two-year repair</h1>.*<div class="body"><p>'
  cat > "$T/sec.lua" <<'EOF'
function process(doc, ctx)
  ctx.section = ctx.index <= 2 and "First half" or "Second half"
  ctx.summary = "Summary " .. ctx.index
  return newsform.markdown(doc.article.body)
end
EOF
  sed -i '1i local newsform = require("newsform")' "$T/sec.lua"
  "$NEWSFORM" "$T/sec.lua" -o "$T/sec.epub" "$P" 2>/dev/null
  nav=$(unzip -p "$T/sec.epub" OEBPS/toc.xhtml | tr -d '\n')
  expect_match "ctx.section groups chapters, ctx.summary goes in the contents" "$nav" \
    '<span>First half</span>.*Summary 2.*<span>Second half</span>.*Summary 4'
else
  skip "unzip missing: EPUB chapter checks"
fi
if have_epubcheck; then
  out=$(java -jar "$EPUBCHECK" "$T/digest.epub" 2>&1)
  expect_match "epubcheck: markdown -o digest.epub of examples/pages has no errors" \
    "$out" "No errors or warnings detected|0 fatals / 0 errors"
  if [ -n "$SHARED" ] && [ -d "$SHARED/corpus/extraction/html" ]; then
    "$NEWSFORM" markdown -o "$T/corpus.epub" "$SHARED/corpus/extraction/html" 2>/dev/null
    out=$(java -jar "$EPUBCHECK" "$T/corpus.epub" 2>&1)
    expect_match "epubcheck: markdown -o X.epub of the extraction corpus has no errors" \
      "$out" "No errors or warnings detected|0 fatals / 0 errors"
    got=$("$NEWSFORM" -e 'return 1' "$T/corpus.epub" | wc -l | tr -d ' ')
    want_n=$(ls "$SHARED/corpus/extraction/html" | wc -l | tr -d ' ')
    expect_eq "the corpus book read back: one input per page" "$got" "$want_n"
  else
    skip "no ../shared corpus: corpus EPUB"
    skip "no ../shared corpus: corpus EPUB read back"
  fi
else
  skip "epubcheck missing"
fi
