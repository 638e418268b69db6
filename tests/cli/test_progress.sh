#!/bin/sh
# The progress line, driven through a pseudo-terminal (python3's pty):
# on standard error when it is a terminal and the results go elsewhere,
# once the run has lasted a second, redrawn with \r a few times a second
# at most (inputs and records done of the total, rate, ETA, failures);
# --progress forces it, --quiet silences it and the other chatter; never
# on a standard error that is a file unless asked.
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
