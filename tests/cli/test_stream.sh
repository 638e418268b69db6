#!/bin/sh
# newsform --stream, for engines that pipe records (Hadoop Streaming, Spark
# RDD.pipe, xargs): JSON Lines on standard input (plain or gzip), one JSON
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
expect_eq "a WARC on standard input: one line saying what to do instead, exit 1" \
  "$? $(cat "$T/o" "$T/e")" "1 newsform: <stdin>: a WARC file, not JSON Lines (--stream reads JSON Lines; read a WARC as the input '-')"
run json --stream "$T/in.jsonl"
expect_match "--stream with an INPUT: usage error" "$RC $ERR" "^2 newsform: --stream reads"
run json --stream -o "$T/x.jsonl.gz"
expect_eq "--stream with -o: usage error" "$RC" "2"

# ---- flushed per record: the answer comes before the next record --------------
if have python3; then
  got=$(python3 - "$NEWSFORM" <<'EOF'
import os, select, subprocess, sys
p = subprocess.Popen([sys.argv[1], "-e", "return {t = doc.text}", "--stream"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out = []
for i in range(3):
    p.stdin.write(b'{"html": "<p>record %d</p>"}\n' % i)
    p.stdin.flush()
    r, _, _ = select.select([p.stdout], [], [], 20)
    out.append(p.stdout.readline().decode().strip() if r else "no answer")
p.stdin.close()
p.wait()
print(" ".join(out), p.returncode)
EOF
)
  expect_eq "each record answered while standard input is still open" "$got" \
    '{"t":"record 0"} {"t":"record 1"} {"t":"record 2"} 0'
else
  skip "python3 missing"
fi

# ---- memory stays flat ---------------------------------------------------------
# (Not under the sanitizers: AddressSanitizer keeps freed memory quarantined.)
case "${NF_BUILD:-build}" in *asan*) sanitized=1 ;; *) sanitized=0 ;; esac
if [ "$sanitized" = 1 ]; then
  skip "peak memory is measured on the plain build"
elif have python3; then
  got=$(python3 - "$NEWSFORM" <<'EOF'
import resource, subprocess, sys
def rss(n):
    line = b'{"url": "https://example.org/%d", "html": "<h1>Title</h1><p>' + b'Words of an article. ' * 40 + b'</p>"}\n'
    p = subprocess.Popen([sys.argv[1], "json", "--stream"], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL)
    for i in range(n):
        p.stdin.write(line)
    p.stdin.close()
    p.wait()
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
small = rss(300)
large = rss(3000)   # the children's maximum: the larger of both runs
print("flat" if large < small * 1.3 + 2048 else "grew: %d KiB -> %d KiB" % (small, large))
EOF
)
  expect_eq "300 vs 3000 records: the same peak memory" "$got" "flat"
else
  skip "python3 missing"
fi
