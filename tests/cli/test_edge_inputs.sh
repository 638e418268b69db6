#!/bin/sh
# test_edge_inputs.sh: inputs that are not articles: binary files, UTF-16
# and UTF-32 pages, a bad JSON line, URLs (issue 9).
. "$(dirname "$0")/lib.sh"
export NEWSFORM_PATH="$ROOT/scripts"
cd "$T_TMP" || exit 2

PAGE='<html><head><title>Page %s</title></head><body><article><p>Body of page %s, with enough words to count as a paragraph.</p></article></body></html>'

# ---- binary inputs -------------------------------------------------------
png() { printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' >"$1"; }
pdf() { printf '%%PDF-1.4\n%%\342\343\317\323\n1 0 obj << /Type /Catalog >> endobj\n' >"$1"; }
png img.png
pdf doc.pdf
if [ -f /bin/ls ]; then
  run text /bin/ls
  expect_eq "/bin/ls fails as binary data, nothing written" "$RC:$OUT:$ERR" \
    "1::newsform: /bin/ls: binary data (ELF executable), not an article"
else
  skip "no /bin/ls"
fi
run -e 'return doc.title' img.png
expect_eq "a PNG fails" "$RC:$ERR" "1:newsform: img.png: binary data (PNG image), not an article"
run -e 'return doc.title' doc.pdf
expect_eq "a PDF fails (a signature, no NUL byte)" "$RC:$ERR" "1:newsform: doc.pdf: binary data (PDF document), not an article"
printf '<p>text</p>\000\001\002 more' >nul.html
run -e 'return doc.title' nul.html
expect_eq "NUL bytes in the first KB" "$RC:$ERR" "1:newsform: nul.html: binary data (NUL bytes), not an article"
"$NEWSFORM" -e 'return doc.title' - <img.png >out 2>err
expect_eq "binary standard input" "$?:$(cat err)" "1:newsform: <stdin>: binary data (PNG image), not an article"
png inner && gzip -c inner >img.html.gz
run -e 'return doc.title' img.html.gz
expect_eq "a gzipped PNG is judged by its content" "$RC:$ERR" "1:newsform: img.html.gz: binary data (PNG image), not an article"

mkdir -p walk/sub
printf "$PAGE" 1 1 >walk/a.html
png walk/b.png
pdf walk/sub/c.pdf
printf "$PAGE" 2 2 >walk/sub/d.html
gzip -c walk/b.png >walk/e.png.gz
run -e 'return doc.title' walk
expect_eq "a walk skips binary files, one warning each and a summary; exit 0" "$RC:$OUT:$ERR" "0:Page 1
Page 2:newsform: walk/b.png: skipped: binary data (PNG image), not an article
newsform: walk/e.png.gz: skipped: binary data (PNG image), not an article
newsform: walk/sub/c.pdf: skipped: binary data (PDF document), not an article
newsform: 3 of 5 inputs skipped (binary data)"
printf '\037\213\010\000garbage' >walk/f.html.gz
run -k -e 'return doc.title' walk
expect_match "with -k, failures and skips share the summary" "$RC $(printf '%s' "$ERR" | tail -n 1)" \
  "^1 newsform: 1 of 6 inputs failed, 3 skipped \\(binary data\\)$"
rm -f walk/f.html.gz

# ---- UTF-16 and UTF-32 ---------------------------------------------------
HTML='<html><head><title>Café crème</title></head><body><p>Déjà vu, naïve façade.</p></body></html>'
{ printf '\377\376'; printf '%s' "$HTML" | iconv -f UTF-8 -t UTF-16LE; } >le16.html
{ printf '\376\377'; printf '%s' "$HTML" | iconv -f UTF-8 -t UTF-16BE; } >be16.html
{ printf '\377\376\000\000'; printf '%s' "$HTML" | iconv -f UTF-8 -t UTF-32LE; } >le32.html
{ printf '\000\000\376\377'; printf '%s' "$HTML" | iconv -f UTF-8 -t UTF-32BE; } >be32.html
for f in le16 be16 le32 be32; do
  run -e 'return doc.title .. "|" .. doc.body.text' $f.html
  expect_eq "a page with a $f BOM is decoded" "$RC:$OUT" "0:Café crème|Déjà vu, naïve façade."
done
{ printf '\377\376'; printf 'A plain title\n\nA plain text article in UTF-16, déjà.\n' | iconv -f UTF-8 -t UTF-16LE; } >t16.txt
run -e 'return doc.title' t16.txt
expect_eq "a UTF-16 text file is read as text" "$RC:$OUT" "0:A plain title"
printf '%s' "$HTML" | iconv -f UTF-8 -t UTF-16LE >nobom16.html
run --encoding utf-16le -e 'return doc.title' nobom16.html
expect_eq "--encoding utf-16le without a BOM: decoded, not binary" "$RC:$OUT" "0:Café crème"
printf '<html><head><meta charset="utf-16"><title>Caf\303\251</title></head><body><p>Bad byte \377 here.</p></body></html>' >meta16.html
run -e 'return doc.title' meta16.html
expect_eq "<meta charset=utf-16> on ASCII-compatible bytes is UTF-8" "$RC:$OUT" "0:Café"
mkdir -p walk16 && cp le16.html walk16/
run -e 'return doc.title' walk16
expect_eq "a UTF-16 page in a walk is not binary" "$RC:$OUT:$ERR" "0:Café crème:"

# ---- a bad line in JSON Lines --------------------------------------------
{
  printf '{"title":"One","html":"<p>First article body.</p>"}\n'
  printf '{"title":"Two", this is not JSON\n'
  printf '{"title":"Three","text":"Third article body."}\n'
} >lines.jsonl
gzip -c lines.jsonl >lines.jsonl.gz
for f in lines.jsonl lines.jsonl.gz; do
  run -k -e 'return doc.title' $f
  expect_eq "$f: the bad line fails alone with -k" "$RC:$OUT" "1:One
Three"
  expect_match "$f: it is named BUNDLE:line-2" "$ERR" "^newsform: $f:line-2: not a JSON object"
  expect_match "$f: and counted" "$ERR" "newsform: 1 of 3 inputs failed$"
done
run -e 'return doc.title' lines.jsonl
expect_eq "without -k the run stops at the bad line" "$RC:$OUT" "1:One"

# ---- URLs ----------------------------------------------------------------
run text https://example.com/news/story.html
expect_eq "a URL: not fetched, one line" "$RC:$ERR" \
  "1:newsform: https://example.com/news/story.html: URLs are not fetched; download the page first (e.g. curl -o page.html URL)"

echo "1..$T_N"
