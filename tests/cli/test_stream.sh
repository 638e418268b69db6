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
p = subprocess.Popen([sys.argv[1], "-e", "return {t = doc.text}", "--stream",
                      "-j", sys.argv[3]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
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
  for j in 1 3; do
    if have python3; then
      expect_eq "$kind, -j $j: each record answered while standard input is still open" \
        "$(python3 "$T/answers.py" "$NEWSFORM" $kind $j)" \
        '{"t":"record 0"} {"t":"record 1"} {"t":"record 2"} 0'
    else
      skip "python3 missing"
    fi
  done
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
def hwm(record, n, jobs):
    p = subprocess.Popen([sys.argv[1], sys.argv[2], "--stream", "-j", jobs],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for i in range(n):
        p.stdin.write(record(i))
    p.stdin.close()
    out = p.stdout.read()
    p.wait()
    return max(json.loads(l)["hwm"] for l in out.splitlines())  # finish: a line per worker
res = []
for jobs in ("1", "3"):
    for name, record in (("JSON Lines", jsonl), ("WARC", warc)):
        small, large = hwm(record, 300, jobs), hwm(record, 3000, jobs)
        res.append("%s -j %s flat" % (name, jobs) if large <= small * 1.1 + 512
                   else "%s -j %s grew: %d KiB -> %d KiB" % (name, jobs, small, large))
print(", ".join(res))
EOF
)
  expect_eq "300 vs 3000 records: the same peak memory" "$got" \
    "JSON Lines -j 1 flat, WARC -j 1 flat, JSON Lines -j 3 flat, WARC -j 3 flat"
else
  skip "python3 missing"
fi

# ---- -j N: N workers, the output of -j 1 -----------------------------------------
cat >"$T/workers.lua" <<'EOF'
function begin(ctx) return {begin = ctx.worker, of = ctx.workers} end
function process(doc, ctx) return {t = doc.text} end
EOF
got=$(printf '{"html": "<p>a</p>"}\n{"html": "<p>b</p>"}\n' |
  "$NEWSFORM" -j 3 --stream "$T/workers.lua" 2>&1 | tr '\n' ' ')
expect_eq "-j 3: three workers, each begun (begin lines in worker order)" "$got" \
  '{"begin":1,"of":3} {"begin":2,"of":3} {"begin":3,"of":3} {"t":"a"} {"t":"b"} '
got=$(printf '{"html": "<p>a</p>"}\n' | "$NEWSFORM" --stream -e 'return {n = ctx.workers}' 2>&1)
expect_eq "without -j: one worker (the engine runs commands in parallel)" "$got" '{"n":1}'
if have python3; then
  # 300 records of very different sizes (every 37th ~400 KB of paragraphs
  # among small ones: the big ones finish last), as JSON Lines (blank lines
  # among them) and as a WARC (a gzip member per record; a 404, an image
  # and a revisit now and then, skipped).
  python3 - "$T" <<'EOF'
import json, sys, zlib
t = sys.argv[1]
def page(i):
    n = 6000 if i % 37 == 5 else (i * 7) % 40 + 1
    paras = "".join("<p>Paragraph %d of record %d, words and more words.</p>" % (k, i)
                    for k in range(n))
    return ("<html><head><title>Record %d</title></head><body><h1>Record %d</h1>%s"
            "</body></html>" % (i, i, paras))
with open(t + "/many.jsonl", "w") as f:
    for i in range(300):
        f.write(json.dumps({"url": "https://example.org/%d" % i, "html": page(i)}) + "\n")
        if i % 50 == 10:
            f.write("\n")
with open(t + "/many.warc.gz", "wb") as f:
    for i in range(300):
        status, ctype, wtype = "200 OK", "text/html", "response"
        if i % 41 == 3: status = "404 Not Found"
        if i % 43 == 4: ctype = "image/png"
        if i % 47 == 6: wtype = "revisit"
        http = ("HTTP/1.1 %s\r\nContent-Type: %s\r\n\r\n" % (status, ctype)).encode() + page(i).encode()
        rec = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%036d>\r\n"
               "WARC-Target-URI: http://example.test/%d\r\nContent-Length: %d\r\n\r\n"
               % (wtype, i, i, len(http))).encode() + http + b"\r\n\r\n"
        c = zlib.compressobj(6, zlib.DEFLATED, 31)
        f.write(c.compress(rec) + c.flush())
EOF
  S='return {i = ctx.index, input = ctx.input, title = doc.article.title, n = #doc.text}'
  for kind in many.jsonl many.warc.gz; do
    "$NEWSFORM" -j 1 --stream -e "$S" <"$T/$kind" >"$T/j1" 2>"$T/e1"; rc1=$?
    order=$(python3 -c '
import json, sys
idx = [json.loads(l)["i"] for l in open(sys.argv[1])]
print(len(idx), "in order" if idx == list(range(1, len(idx) + 1)) else "out of order")' "$T/j1")
    expect_match "$kind, -j 1: exit 0, every article in order, nothing on stderr" \
      "$rc1 $order $(cat "$T/e1")" "^0 [0-9]+ in order $"
    for j in 2 4; do
      "$NEWSFORM" -j $j --stream -e "$S" <"$T/$kind" >"$T/jn" 2>"$T/en"
      expect_eq "$kind, -j $j: the output of -j 1, byte for byte" \
        "$? $(cmp "$T/j1" "$T/jn" 2>&1)$(cat "$T/en")" "0 "
    done
  done
  expect_eq "... 300 JSON Lines records" "$(grep -c . "$T/many.jsonl")" 300
  "$NEWSFORM" -j 1 --stream json --stats "$T/s1.json" <"$T/many.warc.gz" >"$T/j1" 2>&1
  "$NEWSFORM" -j 4 --stream json --stats "$T/s4.json" <"$T/many.warc.gz" >"$T/j4" 2>&1
  check "the json script, WARC, -j 4: the output of -j 1" cmp -s "$T/j1" "$T/j4"
  got=$(python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b): d.pop("seconds", None)
print("same: %d read, %d skipped" % (a["records"]["read"], a["records"]["skipped"])
      if a == b else "differ: %r %r" % (a, b))' "$T/s1.json" "$T/s4.json" 2>&1)
  expect_eq "--stats of -j 4: those of -j 1 (records read, skipped by reason, bytes)" \
    "$got" "same: 278 read, 22 skipped"

  # A bad record in the middle (line 151 of 301).
  python3 -c '
import sys
lines = [l for l in open(sys.argv[1]).read().split("\n") if l]
lines.insert(150, "not json")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")' "$T/many.jsonl" "$T/bad150.jsonl"
  for j in 1 4; do
    "$NEWSFORM" -j $j --stream -e "$S" --stats "$T/bs$j.json" <"$T/bad150.jsonl" >"$T/o" 2>"$T/e"; rc=$?
    expect_eq "a bad record in the middle, -j $j: exit 1, the 150 records before it, one line on stderr" \
      "$rc $(wc -l <"$T/o" | tr -d ' ') $(tail -1 "$T/o" | cut -c1-9) $(cat "$T/e")" \
      '1 150 {"i":150, newsform: <stdin>:line-151: not a JSON object: JSON: unexpected character at byte 0'
    "$NEWSFORM" -k -j $j --stream -e "$S" <"$T/bad150.jsonl" >"$T/o" 2>"$T/e"; rc=$?
    expect_eq "... with -k, -j $j: the 300 others, exit 1, the record named, a count at the end" \
      "$rc $(wc -l <"$T/o" | tr -d ' ') $(tr '\n' ' ' <"$T/e")" \
      '1 300 newsform: <stdin>:line-151: not a JSON object: JSON: unexpected character at byte 0 newsform: 1 of 301 records failed '
  done
  got=$(python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b): d.pop("seconds", None)
print("same: %d read, %d bytes in" % (a["records"]["read"], a["bytes_in"])
      if a == b else "differ: %r %r" % (a, b))' "$T/bs1.json" "$T/bs4.json" 2>&1)
  expect_match "... --stats of the run stopped there, -j 4: those of -j 1 (records read ahead not counted)" \
    "$got" "^same: 151 read, [0-9]+ bytes in$"
  # A bad record while the engine keeps standard input open: the run ends
  # there (the reader waiting for more is not waited for).
  got=$(python3 - "$NEWSFORM" <<'EOF'
import subprocess, sys
p = subprocess.Popen([sys.argv[1], "-j", "3", "-e", "return {t = doc.text}", "--stream"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdin.write(b'{"html": "<p>one</p>"}\nnot json\n{"html": "<p>three</p>"}\n')
p.stdin.flush()
try:
    rc = p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "hung"
print(rc, p.stdout.read().decode().strip(), p.stderr.read().decode().strip())
EOF
)
  expect_eq "a bad record, standard input still open, -j 3: exit 1 at once, the record before it" \
    "$got" '1 {"t":"one"} newsform: <stdin>:line-2: not a JSON object: JSON: unexpected character at byte 0'
else
  skip "python3 missing"
fi
