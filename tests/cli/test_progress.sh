#!/bin/sh
# The progress line, driven through a pseudo-terminal (python3's pty):
# on standard error when it is a terminal and the results go elsewhere,
# once the run has lasted a second, redrawn with \r a few times a second
# at most (inputs and records done of the total, rate, ETA, failures);
# --progress forces it, --quiet silences it and the other chatter; never
# on a standard error that is a file unless asked. With a web archive
# (records not known until read): the share of the input bytes done and
# an ETA from the byte rate.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
export NEWSFORM_PATH="$ROOT/scripts"
T=$T_TMP
if ! have python3; then skip "python3 missing"; exit 0; fi

write_pages "$T/pages" 8 '<html><head><title>Page %s</title></head><body><p>Text of page %s.</p></body></html>'
printf 'not html\0\1\2' >"$T/bad.bin"
# 8 articles of 0.15 s each: a run of more than a second.
slow='local t = os.clock() while os.clock() - t < 0.15 do end return doc.title'

# tty ARGS...: runs newsform with standard error (and input) on a
# pseudo-terminal, standard output to $T/tty.out (TTY_STDOUT=1: the
# terminal too); prints what the
# terminal got, with \r shown as <CR>, then the exit status.
tty() {
  python3 - "$NEWSFORM" "$@" <<'EOF'
import os, pty, subprocess, sys, time
master, slave = pty.openpty()
start = time.monotonic()
with open(os.environ["T"] + "/tty.out", "wb") as out:
    p = subprocess.Popen(sys.argv[1:], stdin=slave, stderr=slave,
                         stdout=slave if os.environ.get("TTY_STDOUT") else out)
    os.close(slave)
    got = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        got += data
    p.wait()
sys.stdout.write(got.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "<CR>"))
print("\nstatus", p.returncode)
with open(os.environ["T"] + "/tty.secs", "w") as f:
    f.write("%d\n" % int(time.monotonic() - start + 1))
EOF
}
export T

got=$(tty -j 1 -e "$slow" -o "$T/titles.txt" "$T/pages")
draws=$(printf '%s' "$got" | grep -o '<CR>newsform' | wc -l | tr -d ' ')
expect_match "on a terminal: a progress line, redrawn with \\r" "$got" \
  "<CR>newsform: inputs [0-9]/8, records [0-9]/8, [0-9.]+/s, ETA 0:00:0[0-9], 0 failed"
expect_match "... ending with the totals and the time taken" "$got" \
  "<CR>newsform: inputs 8/8, records 8/8, [0-9.]+/s, in 0:00:0[0-9], 0 failed *$"
secs=$(cat "$T/tty.secs")
check "redrawn at most 4 times a second ($draws draws in less than $secs s)" \
  test "$draws" -le $((4 * secs + 1))
expect_match "... the run's own result is unchanged" "$(cat "$T/titles.txt" | tr '\n' ' ')" \
  "^Page 1 Page 2 .*Page 8 $"

got=$(tty -j 1 -e 'return doc.title' -o "$T/quick.txt" "$T/pages")
expect_eq "a run shorter than a second: no progress line" "$got" "
status 0"
got=$(tty -j 1 -e 'return doc.title' --progress -o "$T/quick.txt" "$T/pages")
expect_match "--progress: the line even for a short run" "$got" \
  "^<CR>newsform: .*inputs 8/8, records 8/8"
got=$(TTY_STDOUT=1 tty -j 1 -e "$slow" "$T/pages")
expect_eq "results on the terminal too: no progress line to tear them" \
  "$(printf '%s' "$got" | grep -c '<CR>')$(printf '%s' "$got" | grep -c '^Page')" "08"

got=$(tty -k -j 1 -e "$slow" --quiet -o "$T/titles.txt" "$T/pages" "$T/bad.bin" "$T/gone.html")
expect_match "--quiet: no progress; errors still said" "$got" \
  "^newsform: $T/bad.bin: binary data"
expect_eq "--quiet: nothing but the errors" "$(printf '%s\n' "$got" | grep -vc -e '^newsform: .*: \(binary data\|No such file\)' -e '^newsform: 2 of 10 inputs failed' -e '^status 1' -e '^$')" "0"
# (a shard sorts its units: the missing file's name sorts after the pages')
got=$(tty -k -j 1 -e "$slow" --progress --shard 0/1 -o "$T/titles.txt" "$T/pages" "$T/zz-gone.html")
expect_match "failures counted on the line; messages start on a clean line" "$got" \
  "<CR> *<CR>newsform: $T/zz-gone.html: No such file"
expect_match "... and the shard named" "$got" \
  "newsform: shard 0/1: inputs 9/9, records 9/9, .*, 1 failed"

# A file, not a terminal: nothing unless --progress.
"$NEWSFORM" -j 1 -e "$slow" -o "$T/t.txt" "$T/pages" 2>"$T/err"
expect_eq "standard error a file: no progress" "$(cat "$T/err")" ""
"$NEWSFORM" -j 1 -e 'return 1' --progress -o "$T/t.txt" "$T/pages" 2>"$T/err"
expect_match "standard error a file, --progress: the line" "$(cat "$T/err")" \
  "newsform: inputs 8/8, records 8/8"

# --- web archives: records not known up front, bytes are -----------------
# warc.py OUT N: a WARC of a warcinfo record and N HTML responses, one gzip
# member each when OUT ends in .gz (as Common Crawl writes them); prints the
# records' offsets, then the file's size.
cat >"$T/warc.py" <<'EOF'
import gzip, sys
out, n = sys.argv[1], int(sys.argv[2])
def rec(kind, i, uri, block, ctype):
    head = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-"
            "0000-4000-8000-%012d>\r\nWARC-Date: 2024-05-03T10:00:00Z\r\n%s"
            "Content-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (kind, i, "WARC-Target-URI: %s\r\n" % uri if uri else "",
               ctype, len(block)))
    return head.encode() + block + b"\r\n\r\n"
recs = [rec("warcinfo", 0, None, b"software: test_progress\r\n",
            "application/warc-fields")]
for i in range(1, n + 1):
    body = ("<html><head><title>Record %d</title></head><body><p>Text of "
            "record %d.</p></body></html>" % (i, i)).encode()
    recs.append(rec("response", i, "http://example.test/%d" % i,
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body,
                    "application/http; msgtype=response"))
offsets = []
with open(out, "wb") as f:
    for r in recs:
        offsets.append(f.tell())
        f.write(gzip.compress(r, mtime=0) if out.endswith(".gz") else r)
    print(" ".join(map(str, offsets)), f.tell())
EOF
kb() { awk -v b="$1" 'BEGIN { printf "%.1f kB", b / 1000 }'; }
# 14 records of 0.15 s: drawn a few times after the first second
layout=$(python3 "$T/warc.py" "$T/long.warc.gz" 14)
kb=$(kb "${layout##* }")
got=$(tty -j 1 -e "$slow" -o "$T/warc.txt" "$T/long.warc.gz")
expect_match "a web archive on a terminal: records done, the share of its bytes, an ETA" "$got" \
  "<CR>newsform: inputs 0/1, records [0-9]+, [0-9]+% of $kb, [0-9.]+/s, ETA 0:00:0[0-9], 0 failed"
expect_match "... ending at 100% with the time taken" "$got" \
  "<CR>newsform: inputs 1/1, records 14, 100% of $kb, [0-9.]+/s, in 0:00:0[0-9], 0 failed *$"
shares=$(printf '%s' "$got" | grep -o 'records [0-9]*, [0-9]*%' | sed 's/.*, //; s/%//' | tr '\n' ' ')
check "... the share grows with the records ($shares)" awk -v s="$shares" 'BEGIN {
  n = split(s, a, " "); mid = 0
  for (i = 2; i <= n; i++) if (a[i] + 0 < a[i - 1] + 0) exit 1
  for (i = 1; i <= n; i++) if (a[i] > 0 && a[i] < 100) mid = 1
  exit !(n >= 3 && mid && a[n] == 100) }'
expect_eq "... the run's own result is unchanged" "$(tr '\n' ' ' <"$T/warc.txt")" \
  "$(seq 14 | sed 's/^/Record /' | tr '\n' ' ')"

layout=$(python3 "$T/warc.py" "$T/crawl.warc.gz" 8)
size=${layout##* }
first=$(echo "$layout" | cut -d' ' -f2) # the first response's offset
kb=$(kb "$size")

# --progress draws at the first record: done up to its offset.
"$NEWSFORM" -j 1 -e 'return 1' --progress -o "$T/t.txt" "$T/crawl.warc.gz" 2>"$T/err"
expect_match "--progress: the first record's offset as the share ($first of $size bytes)" \
  "$(tr '\r' '\n' <"$T/err" | sed -n 2p)" \
  "^newsform: inputs 0/1, records 1, $((first * 100 / size))% of $kb, [0-9.]+/s, ETA [0-9:]+, 0 failed"
layout=$(python3 "$T/warc.py" "$T/plain.warc" 8)
"$NEWSFORM" -j 1 -e 'return 1' --progress -o "$T/t.txt" - <"$T/plain.warc" 2>"$T/err"
expect_match "a plain WARC on standard input (a file): the share of its bytes" \
  "$(tr '\r' '\n' <"$T/err" | tail -1)" \
  "^newsform: inputs 1/1, records 8, 100% of $(kb "${layout##* }"), "
cat "$T/crawl.warc.gz" | "$NEWSFORM" -j 1 -e 'return 1' --progress -o "$T/t.txt" - 2>"$T/err"
expect_match "a web archive through a pipe: copied to a file first, its size known" \
  "$(tr '\r' '\n' <"$T/err" | tail -1)" \
  "^newsform: inputs 1/1, records 8, 100% of $kb, "
"$NEWSFORM" -j 1 -e 'return 1' --progress -o "$T/t.txt" "$T/pages" "$T/crawl.warc.gz" 2>"$T/err"
expect_match "pages and a web archive: the share of all their bytes" \
  "$(tr '\r' '\n' <"$T/err" | tail -1)" \
  "^newsform: inputs 9/9, records 16, 100% of [0-9.]+ kB, [0-9.]+/s, in [0-9:]+, 0 failed"
"$NEWSFORM" -j 1 -e 'return 1' --progress -o "$T/t.txt" "$T/pages" 2>"$T/err"
expect_match "records known up front: today's line, no share of bytes" \
  "$(tr '\r' '\n' <"$T/err" | tail -1)" \
  "^newsform: inputs 8/8, records 8/8, [0-9.]+/s, in [0-9:]+, 0 failed"
