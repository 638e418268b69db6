#!/bin/sh
# test_warc.sh: web archives. WARCs written by wget (not newsform) from a
# small HTTP server on 127.0.0.1 (tests/cli/warc_server.py): which records
# are articles, what is skipped, names FILE@OFFSET given back as inputs,
# HTTP codings and charsets, provenance (ctx.warc, the json script); the
# hand-made edge cases of tests/fixtures/warc/ (plain, one gzip stream,
# truncated, a corrupt member, a damaged header, WET); -o X.warc.gz read back.
. "$(dirname "$0")/lib.sh"
FIX=tests/fixtures/warc
LUA=${NF_BUILD:-build}/tests/lua_runner

# --- the hand-made edge cases -------------------------------------------
names() { "$NEWSFORM" -k -e 'return ctx.input .. " " .. doc.url' "$@" 2>/dev/null; }
for f in plain.warc members.warc.gz stream.warc.gz; do
  got=$(names "$FIX/$f" | sed 's/^[^ ]* //' | tr '\n' ' ')
  expect_eq "$f: the articles (200 response, resource, truncated response)" "$got" \
    "http://example.test/one http://example.test/two http://example.test/cut "
done
expect_eq "plain WARC: names are byte offsets" "$(names $FIX/plain.warc | cut -d' ' -f1 | tr '\n' ' ')" \
  "$FIX/plain.warc@213 $FIX/plain.warc@846 $FIX/plain.warc@1721 "
expect_eq "gzip member per record: names are member offsets" \
  "$(names $FIX/members.warc.gz | cut -d' ' -f1 | tr '\n' ' ')" \
  "$FIX/members.warc.gz@174 $FIX/members.warc.gz@471 $FIX/members.warc.gz@958 "
for n in $FIX/members.warc.gz@471 $FIX/plain.warc@846 $FIX/stream.warc.gz@0+846; do
  run -e 'return doc.url .. " " .. ctx.warc.record_id' "$n"
  expect_eq "$n: the one record there" "$OUT" \
    "http://example.test/two urn:uuid:00000000-0000-4000-8000-000000000003"
done
run -e 'return 1' "$FIX/members.warc.gz@472"
expect_eq "FILE@OFFSET off a record: exit 1" "$RC" 1
expect_match "FILE@OFFSET off a record: one line naming it" "$ERR" \
  "^newsform: $FIX/members.warc.gz@472: no WARC record starts at this offset$"
run -e 'return 1' "$FIX/plain.warc@99999"
expect_match "FILE@OFFSET past the end: named" "$ERR" "plain.warc@99999: offset past the end"

run -e 'return tostring(ctx.warc.truncated)' "$FIX/plain.warc"
expect_eq "WARC-Truncated: processed and flagged" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
  "false false length "

for f in corrupt.warc.gz damaged-header.warc; do
  run -k -e 'return doc.url' "$FIX/$f"
  expect_eq "$f: the other records still read (-k)" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
    "http://example.test/a http://example.test/c "
  expect_eq "$f: exit 1" "$RC" 1
  expect_match "$f: the damaged record fails alone, named" "$ERR" "$f@[0-9]+: damaged record"
done
run -e 'return doc.url' "$FIX/corrupt.warc.gz"
expect_eq "corrupt member without -k: exit 1" "$RC" 1
run -k -e 'return doc.url' "$FIX/truncated.warc.gz"
expect_eq "truncated file: the records before the cut" "$OUT" "http://example.test/a"
expect_match "truncated file: the cut record fails, named" "$ERR" "truncated.warc.gz@[0-9]+: damaged record: truncated"

run text "$FIX/wet.warc.wet.gz"
expect_match "WET: conversion records are text articles" "$OUT" "The first extracted text, with an é"
expect_eq "WET: two articles" "$(names $FIX/wet.warc.wet.gz | wc -l | tr -d ' ')" 2
run text "$FIX/codings.warc.gz"
expect_match "chunked + deflate payload decoded" "$OUT" "Deflated chunks, paragraph 2: zzz"
expect_match "X-Crawler-* renamed codings: already decoded" "$OUT" "Crawler decoded, paragraph 2: xxx"

run --max-entry-size 0.00035 -k -e 'return doc.url' "$FIX/members.warc.gz"
expect_match "--max-entry-size bounds a record: it fails alone" "$ERR" "exceeds the limit"
expect_match "--max-entry-size: smaller records still read" "$OUT" "http://example.test/two"

# --- our own output, read back -------------------------------------------
run text -o "$T_TMP/out.warc.gz" "$FIX/members.warc.gz"
expect_eq "-o X.warc.gz: exit 0" "$RC" 0
run -e 'return ctx.warc.type .. " " .. doc.url' "$T_TMP/out.warc.gz"
expect_eq "-o X.warc.gz read back: conversion records with their URLs" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
  "conversion http://example.test/one conversion http://example.test/two conversion http://example.test/cut "
refs=$(zcat "$T_TMP/out.warc.gz" | tr -d '\r' | sed -n 's/^WARC-Refers-To: //p' | tr '\n' ' ')
expect_eq "-o X.warc.gz: WARC-Refers-To the source records" "$refs" \
  "<urn:uuid:00000000-0000-4000-8000-000000000002> <urn:uuid:00000000-0000-4000-8000-000000000003> <urn:uuid:00000000-0000-4000-8000-000000000005> "
first=$(zcat "$T_TMP/out.warc.gz" | tr -d '\r' | sed -n 's/^WARC-Type: //p' | head -1)
expect_eq "-o X.warc.gz: warcinfo first" "$first" "warcinfo"
if have python3; then
  bad=$(python3 - "$T_TMP/out.warc.gz" <<'PY'
import base64, gzip, hashlib, sys, zlib
data = open(sys.argv[1], "rb").read()
bad = members = 0
while data:          # one gzip member per record
    d = zlib.decompressobj(31)
    rec = d.decompress(data)
    data = d.unused_data
    members += 1
    head, rest = rec.split(b"\r\n\r\n", 1)
    f = dict(l.split(b": ", 1) for l in head.split(b"\r\n")[1:])
    block = rest[:int(f[b"Content-Length"])]
    want = b"sha1:" + base64.b32encode(hashlib.sha1(block).digest())
    bad += f[b"WARC-Block-Digest"] != want or rest[len(block):] != b"\r\n\r\n"
print(bad, members)
PY
)
  expect_eq "-o X.warc.gz: a member per record, SHA-1 digests right" "$bad" "0 4"
fi
run html -o "$T_TMP/html.warc" "$FIX/plain.warc"
expect_eq "-o X.warc (HTML results): resource records" \
  "$(tr -d '\r' < "$T_TMP/html.warc" | sed -n 's/^WARC-Type: //p' | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
  " 3 resource; 1 warcinfo;"

# --- WARCs written by wget from a local server -----------------------------
if ! have wget || ! have python3; then
  skip "wget WARCs: wget or python3 missing"
else
  mkdir -p "$T_TMP/srv"
  python3 "$ROOT/tests/cli/warc_server.py" "$T_TMP/srv" &
  SRV=$!
  trap 'kill $SRV 2>/dev/null; rm -rf "$T_TMP"' EXIT
  i=0
  while [ ! -f "$T_TMP/srv/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  PORT=$(cat "$T_TMP/srv/port" 2>/dev/null)
  BASE=http://127.0.0.1:$PORT
  for p in article.html moved missing.html image.png chunked.html gzip.html \
           cyrillic.html xhtml.xhtml; do
    echo "$BASE/$p"
  done >"$T_TMP/urls"
  (cd "$T_TMP" && wget -q --tries=1 --warc-file=site -i urls -O /dev/null;
   wget -q --tries=1 --warc-file=plain --no-warc-compression -i urls -O /dev/null) \
    </dev/null >/dev/null 2>&1
  W=$T_TMP/site.warc.gz
  check "wget wrote a WARC" test -s "$W"
  for w in "$W" "$T_TMP/plain.warc"; do
    run -e 'return doc.url' "$w"
    expect_eq "$(basename "$w"): the HTML 200 responses, in order" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" \
      "$BASE/article.html $BASE/target.html $BASE/chunked.html $BASE/gzip.html $BASE/cyrillic.html $BASE/xhtml.xhtml "
  done
  run text "$W"
  expect_match "chunked response decoded" "$OUT" "Chunked article paragraph 3: charlie charlie"
  expect_match "gzip-encoded response decoded" "$OUT" "Gzip article paragraph 3: delta delta"
  expect_match "HTTP charset (windows-1251) wins over <meta> (iso-8859-1)" "$OUT" \
    "Абзац 3: сегодня в городе прошёл большой праздник"
  expect_match "XHTML response kept" "$OUT" "Xhtml article paragraph 1: echo"
  case $OUT in *nothing*) not_ok "the 404 page is skipped" ;; *) ok "the 404 page is skipped" ;; esac
  cat >"$T_TMP/skips.lua" <<LUA
local nf = require("newsform")
local b = assert(nf.bundle.open("$W"))
local n = 0
for e in b:entries() do n = n + 1 end
local s = b:skips()
local keys = {}
for k, v in pairs(s) do keys[#keys + 1] = k .. "=" .. v end
table.sort(keys)
print(n .. " " .. table.concat(keys, " "))
LUA
  if [ -x "$LUA" ]; then
    got=$("$LUA" "$T_TMP/skips.lua" 2>&1 | head -1)
    expect_eq "skips counted by reason" "$got" \
      "6 metadata=1 not HTML=3 redirect=1 request=9 status 4xx=1 warcinfo=1"
  else
    skip "skips counted by reason: no $LUA"
  fi
  # names given back as inputs, and provenance
  first=$("$NEWSFORM" -e 'return ctx.input' "$W" 2>/dev/null | sed -n 5p)
  run -e 'return doc.url' "$first"
  expect_eq "a name given back ($first) reads that record" "$OUT" "$BASE/cyrillic.html"
  run json "$W"
  prov=$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
for line in list(sys.stdin)[:2]:
    d = json.loads(line)
    print(d["url"].rsplit("/", 1)[1], d["warcRecordId"].startswith("urn:uuid:"), d["warcDate"][:2])' | tr '\n' ' ')
  expect_eq "json script: url, warcRecordId, warcDate" "$prov" "article.html True 20 target.html True 20 "
  run -e 'local w = ctx.warc; return w.file .. " " .. w.offset .. " " .. w.digest:sub(1, 5) .. " " .. tostring(w.truncated)' "$first"
  expect_match "ctx.warc: file, offset, digest, truncated" "$OUT" "^$W [0-9]+ sha1: false$"
  run -j 2 -e 'return doc.url' "$W"
  expect_eq "-j 2: the same articles, in order" "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 6
  off=$(names "$W" | head -1 | sed 's/^[^@]*@//; s/ .*//')
  "$NEWSFORM" -e 'return ctx.input .. " " .. doc.url' - <"$W" >"$T_TMP/o" 2>&1
  expect_eq "a WARC on standard input: its records, named <stdin>@OFFSET" \
    "$(sed -n 1p "$T_TMP/o")" "<stdin>@$off $BASE/article.html"
  got=$(cat "$W" | "$NEWSFORM" -e 'return doc.url' 2>&1 | wc -l | tr -d ' ')
  expect_eq "a WARC piped to standard input: its 6 articles" "$got" 6
  kill $SRV 2>/dev/null
fi
