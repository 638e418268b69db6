#!/bin/sh
# newsform --stream, for engines that pipe records (Hadoop Streaming, Spark
# RDD.pipe, xargs): JSON Lines or a WARC on standard input (plain or gzip), one JSON
# line per article on standard output, flushed per record (a record
# written before the next is read), messages on standard error only, bad
# records failing alone with -k, and memory that stays flat on a long
# stream.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
export NEWSFORM_PATH="$ROOT/scripts"
T=$T_TMP

cat >"$T/in.jsonl" <<'EOF'
{"url": "https://example.org/a", "html": "<html><head><title>First</title></head><body><p>The first article of the stream.</p></body></html>"}

{"url": "https://example.org/b", "content": "<p>The second article, as content.</p>"}
{"text": "Third\n\nA plain-text article of the stream."}
EOF
"$NEWSFORM" json --stream <"$T/in.jsonl" >"$T/out.jsonl" 2>"$T/err"
expect_eq "three records (blank line skipped): exit 0, nothing on stderr" \
  "$? $(wc -l <"$T/out.jsonl" | tr -d ' ') $(cat "$T/err")" "0 3 "
if have python3; then
  got=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    print(o["url"], o["title"], o["textContent"].split()[-2])
' "$T/out.jsonl" 2>&1)
  expect_eq "each line one JSON object: url and title from the record's fields" "$got" \
"https://example.org/a First the
https://example.org/b None as
None Third the"
else
  skip "python3 missing"
fi
gzip -c "$T/in.jsonl" | "$NEWSFORM" json --stream >"$T/gz.jsonl" 2>&1
check "gzip-compressed standard input: the same lines" cmp -s "$T/gz.jsonl" "$T/out.jsonl"
gzip -c "$T/in.jsonl" | head -c 120 | "$NEWSFORM" json --stream >"$T/o" 2>"$T/e"
expect_match "truncated gzip input: exit 1, one line saying so" "$? $(cat "$T/e")" \
  "^1 newsform: <stdin>: corrupt or truncated gzip data$"
got=$(printf '{"html": "<p>Hello\\nworld</p>"}\n' | "$NEWSFORM" text --stream 2>&1)
expect_eq "a result that is not one JSON line is wrapped as one" "$got" \
  '{"input": "<stdin>:line-1", "content": "Hello world"}'

# ---- bad records ---------------------------------------------------------------
printf '{"html": "<p>one</p>"}\nnot json\n{"html": "<p>three</p>"}\n' >"$T/bad.jsonl"
"$NEWSFORM" -e 'return {t = doc.text}' --stream <"$T/bad.jsonl" >"$T/o" 2>"$T/e"; rc=$?
expect_eq "a bad record without -k: exit 1 after the records before it" \
  "$rc $(cat "$T/o")" '1 {"t":"one"}'
expect_match "... and one line naming it on stderr" "$(cat "$T/e")" \
  "^newsform: <stdin>:line-2: not a JSON object"
"$NEWSFORM" -k -e 'return {t = doc.text}' --stream <"$T/bad.jsonl" >"$T/o" 2>"$T/e"; rc=$?
expect_eq "-k: the others written, exit 1 at the end" "$rc $(cat "$T/o" | tr '\n' ' ')" \
  '1 {"t":"one"} {"t":"three"} '
expect_match "-k: a count at the end" "$(tail -1 "$T/e")" "1 of 3 records failed"
big=$(head -c 3000 /dev/zero | tr '\0' x)
printf '{"text": "%s"}\n{"text": "short"}\n' "$big" |
  "$NEWSFORM" -k --max-input 0.001 -e 'return {t = doc.text}' --stream >"$T/o" 2>"$T/e"
expect_eq "a line over --max-input fails alone" "$(cat "$T/o")" '{"t":"short"}'
printf 'WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n' | "$NEWSFORM" json --stream >"$T/o" 2>"$T/e"
expect_eq "a WARC record without Content-Length on standard input: one line naming it, exit 1" \
  "$? $(cat "$T/o" "$T/e")" "1 newsform: <stdin>@0: damaged record: WARC record without a valid Content-Length"
run json --stream "$T/in.jsonl"
expect_match "--stream with an INPUT: usage error" "$RC $ERR" "^2 newsform: --stream reads"
run json --stream -o "$T/x.jsonl.gz"
expect_eq "--stream with -o: usage error" "$RC" "2"

# ---- flushed per record: the answer comes before the next record --------------
# (answers.py KIND: three records of KIND, jsonl or warc, written one at a
# time; each answer read before the next record is written)
cat >"$T/answers.py" <<'EOF'
import select, subprocess, sys, zlib
def jsonl(i):
    return b'{"html": "<p>record %d</p>"}\n' % i
def warc(i):
    body = b"<html><body><p>record %d</p></body></html>" % i
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    rec = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%036d>\r\n"
           b"WARC-Target-URI: http://example.test/%d\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n"
           % (i, i, len(http), http))
    c = zlib.compressobj(6, zlib.DEFLATED, 31)  # a gzip member per record
    return c.compress(rec) + c.flush()
record = jsonl if sys.argv[2] == "jsonl" else warc
p = subprocess.Popen([sys.argv[1], "-e", "return {t = doc.text}", "--stream"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out = []
for i in range(3):
    p.stdin.write(record(i))
    p.stdin.flush()
    r, _, _ = select.select([p.stdout], [], [], 20)
    out.append(p.stdout.readline().decode().strip() if r else "no answer")
p.stdin.close()
p.wait()
print(" ".join(out), p.returncode)
EOF
for kind in jsonl warc; do
  if have python3; then
    expect_eq "$kind: each record answered while standard input is still open" \
      "$(python3 "$T/answers.py" "$NEWSFORM" $kind)" \
      '{"t":"record 0"} {"t":"record 1"} {"t":"record 2"} 0'
  else
    skip "python3 missing"
  fi
done

# ---- a web archive on standard input: read in one pass, record by record ------
FIX=$ROOT/tests/fixtures/warc
"$NEWSFORM" json --stream <"$FIX/members.warc.gz" >"$T/w.jsonl" 2>"$T/e"
"$NEWSFORM" json "$FIX/members.warc.gz" >"$T/wf.jsonl" 2>/dev/null
expect_eq "a WARC (gzip member per record): exit 0, its 3 articles, nothing on stderr" \
  "$? $(wc -l <"$T/w.jsonl" | tr -d ' ') $(cat "$T/e")" "0 3 "
check "... the lines the WARC as a file gives" cmp -s "$T/w.jsonl" "$T/wf.jsonl"
got=$(cat "$FIX/plain.warc" | "$NEWSFORM" -e 'return {i = ctx.input, u = doc.url}' --stream 2>&1 | tr '\n' ' ')
expect_eq "a plain WARC piped: named <stdin>@OFFSET, URLs from the records" "$got" \
  '{"i":"<stdin>@213","u":"http://example.test/one"} {"i":"<stdin>@846","u":"http://example.test/two"} {"i":"<stdin>@1721","u":"http://example.test/cut"} '
got=$(cat "$FIX/stream.warc.gz" | "$NEWSFORM" -e 'return {u = doc.url}' --stream 2>&1 | wc -l | tr -d ' ')
expect_eq "one gzip stream piped: its 3 articles" "$got" 3
cat "$FIX/corrupt.warc.gz" | "$NEWSFORM" -k -e 'return {u = doc.url}' --stream >"$T/o" 2>"$T/e"; rc=$?
expect_eq "a damaged record fails alone (-k): the others written, exit 1" \
  "$rc $(cat "$T/o" | tr '\n' ' ')" '1 {"u":"http://example.test/a"} {"u":"http://example.test/c"} '
expect_match "... named on stderr" "$(cat "$T/e")" "^newsform: <stdin>@[0-9]+: damaged record"
"$NEWSFORM" --stats "$T/ws.json" json --stream <"$FIX/members.warc.gz" >/dev/null 2>&1
expect_match "--stats: the WARC's skipped records by reason" "$(cat "$T/ws.json" 2>/dev/null)" \
  '"read": 3, "kept": 3, "failed": 0, "skipped": 2, "skipped_by_reason": \{"warcinfo": 1, "revisit": 1\}'
# ---- memory stays flat ---------------------------------------------------------
# (Not under the sanitizers: AddressSanitizer keeps freed memory quarantined.)
case "${NF_BUILD:-build}" in *asan*) sanitized=1 ;; *) sanitized=0 ;; esac
if [ "$sanitized" = 1 ]; then
  skip "peak memory is measured on the plain build"
elif have python3; then
  # The script reads its own peak (VmHWM) in finish: a child's rusage would
  # count the Python process it was forked from.
  cat >"$T/hwm.lua" <<'EOF'
function process(doc, ctx) return nil end
function finish(ctx)
  for line in io.lines("/proc/self/status") do
    local kb = line:match("^VmHWM:%s*(%d+)")
    if kb then return { hwm = tonumber(kb) } end
  end
end
EOF
  got=$(python3 - "$NEWSFORM" "$T/hwm.lua" <<'EOF'
import json, subprocess, sys
def jsonl(i):
    return b'{"url": "https://example.org/%d", "html": "<h1>Title</h1><p>' % i + b'Words of an article. ' * 40 + b'</p>"}\n'
def warc(i):
    body = b"<html><body><h1>Title</h1><p>" + b"Words of an article. " * 40 + b"</p></body></html>"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    return (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%036d>\r\n"
            b"WARC-Target-URI: http://example.test/%d\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n"
            % (i, i, len(http), http))
def hwm(record, n):
    p = subprocess.Popen([sys.argv[1], sys.argv[2], "--stream"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    for i in range(n):
        p.stdin.write(record(i))
    p.stdin.close()
    out = p.stdout.read()
    p.wait()
    return json.loads(out)["hwm"]
res = []
for name, record in (("JSON Lines", jsonl), ("WARC", warc)):
    small, large = hwm(record, 300), hwm(record, 3000)
    res.append("%s flat" % name if large <= small * 1.1 + 512
               else "%s grew: %d KiB -> %d KiB" % (name, small, large))
print(", ".join(res))
EOF
)
  expect_eq "300 vs 3000 records: the same peak memory" "$got" "JSON Lines flat, WARC flat"
else
  skip "python3 missing"
fi
