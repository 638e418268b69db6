#!/bin/sh
# Bundles written by the CLI (-o OUT.tar.gz/.zip/.epub/.jsonl.gz), checked
# by the real tools (tar, gzip, unzip, python3 zipfile, epubcheck: each
# skipped when missing), reproducible, listed and extracted by newsform,
# and atomic (a killed run leaves nothing at OUT). Checks whose CLI part is
# missing say SKIP.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

in="$T_TMP/in"
mkdir -p "$in"
i=1
for title in "First story" "Caf&eacute; &amp; more" "Third one"; do
  cat > "$in/page$i.html" <<EOF
<html lang="en"><head><title>$title</title>
<meta property="article:published_time" content="2024-05-0${i}T10:00:00Z"></head>
<body><article><h1>$title</h1><p class="byline">By Ann Example</p>
<p>Paragraph one of article $i, long enough to be the main content of the page,
with a <a href="/relative">site link</a> and an image below.</p>
<figure><img src="https://img.test/$i.jpg" alt="Photo $i"><figcaption>Caption $i</figcaption></figure>
<p>Paragraph two of article $i&nbsp;with an entity.</p></article></body></html>
EOF
  i=$((i + 1))
done

script="$T_TMP/md.lua"
cat > "$script" <<'EOF'
function process(doc, ctx)
  local a = doc.article
  return "# " .. (a.title or "") .. "\n\n" .. (a.text or "") .. "\n"
end
EOF

# -o support probe: a bundle that the CLI refuses to write means "not yet".
probe=$("$NEWSFORM" -e 'return doc.title' -o "$T_TMP/probe.zip" "$in/page1.html" 2>&1)
if [ ! -f "$T_TMP/probe.zip" ]; then
  skip "bundle output (-o) not available: $probe"
  cli_bundles=0
else
  cli_bundles=1
fi

if [ "$cli_bundles" = 1 ]; then
  for fmt in tar.gz zip epub jsonl.gz; do
    out="$T_TMP/out.$fmt"
    err=$("$NEWSFORM" "$script" -o "$out" "$in" 2>&1)
    check "-o out.$fmt: written" test -s "$out"
    [ -s "$out" ] || { printf '#   %s\n' "$err"; continue; }
    "$NEWSFORM" "$script" -o "$T_TMP/again.$fmt" "$in" >/dev/null 2>&1
    check "-o out.$fmt: reproducible (cmp)" cmp -s "$out" "$T_TMP/again.$fmt"
    leftovers=$(ls -A "$T_TMP" | grep -c newsform-tmp)
    expect_eq "-o out.$fmt: no temporary file left" "$leftovers" "0"
    case $fmt in
      tar.gz)
        if have gzip; then check "tar.gz: gzip -t" gzip -t "$out"; fi
        if have tar; then
          n=$(tar tzf "$out" | wc -l)
          expect_eq "tar.gz: tar tzf lists 3 articles + manifest" "$n" "4"
          mkdir -p "$T_TMP/x" && check "tar.gz: tar xzf" tar xzf "$out" -C "$T_TMP/x"
        fi ;;
      zip|epub)
        if have unzip; then check "$fmt: unzip -t" sh -c "unzip -tq '$out' >/dev/null"; fi
        if have python3; then check "$fmt: python3 -m zipfile -t" sh -c "python3 -m zipfile -t '$out' >/dev/null"; fi ;;
      jsonl.gz)
        if have python3; then
          check "jsonl.gz: every line parses as JSON" python3 -c '
import gzip, json, sys
lines = gzip.open(sys.argv[1]).read().decode().splitlines()
assert len(lines) == 3, len(lines)
for l in lines: json.loads(l)' "$out"
        fi ;;
    esac
  done
  if have java && [ -r /usr/share/java/epubcheck.jar ] && [ -s "$T_TMP/out.epub" ]; then
    log=$(java -jar /usr/share/java/epubcheck.jar "$T_TMP/out.epub" 2>&1)
    if printf '%s' "$log" | grep -q '^ERROR\|^FATAL'; then not_ok "epub: epubcheck, no errors" "$log"
    else ok "epub: epubcheck, no errors"; fi
  else
    skip "epubcheck (java or /usr/share/java/epubcheck.jar missing)"
  fi
fi

# --list and --extract on a bundle written by the library (python makes
# the hostile one).
if have python3; then
  python3 - "$T_TMP" <<'EOF'
import io, sys, tarfile, zipfile
d = sys.argv[1]
with tarfile.open(d + "/evil.tar.gz", "w:gz") as t:
    for name, data in [("ok.txt", b"fine"), ("../escape.txt", b"bad")]:
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
with tarfile.open(d + "/link.tar.gz", "w:gz") as t:
    i = tarfile.TarInfo("ln"); i.type = tarfile.SYMTYPE; i.linkname = "/etc/passwd"; t.addfile(i)
with zipfile.ZipFile(d + "/good.zip", "w") as z:
    z.writestr("a/one.txt", "one"); z.writestr("two.txt", "two")
with zipfile.ZipFile(d + "/abs.zip", "w") as z:
    z.writestr("/abs.txt", "x")
EOF
  list=$("$NEWSFORM" --list "$T_TMP/good.zip" 2>&1)
  case $list in
    *"not yet supported"*|*"unknown option"*) skip "--list not available" ;;
    *) expect_match "--list prints the entry names" "$list" "a/one.txt" ;;
  esac
  out=$("$NEWSFORM" --extract "$T_TMP/good.zip" "$T_TMP/ex" 2>&1)
  case $out in
    *"not yet supported"*|*"unknown option"*) skip "--extract not available" ;;
    *)
      expect_eq "--extract writes the entries" "$(cat "$T_TMP/ex/a/one.txt" 2>/dev/null)" "one"
      out=$("$NEWSFORM" --extract "$T_TMP/evil.tar.gz" "$T_TMP/ex2" 2>&1); rc=$?
      check "--extract refuses ../ (exit status)" test "$rc" -ne 0
      check "--extract refuses ../ (nothing escaped)" test ! -e "$T_TMP/escape.txt"
      expect_match "--extract refuses ../ (message)" "$out" "\.\."
      out=$("$NEWSFORM" --extract "$T_TMP/abs.zip" "$T_TMP/ex3" 2>&1); rc=$?
      check "--extract refuses absolute names" test "$rc" -ne 0 -a ! -e /abs.txt
      out=$("$NEWSFORM" --extract "$T_TMP/link.tar.gz" "$T_TMP/ex4" 2>&1); rc=$?
      check "--extract refuses symlinks" test "$rc" -ne 0 -a ! -L "$T_TMP/ex4/ln"
      ;;
  esac
  # a corrupt bundle: a clear message and a failure status, no crash
  size=$(wc -c < "$T_TMP/good.zip")
  head -c $((size - 10)) "$T_TMP/good.zip" > "$T_TMP/cut.zip"
  out=$("$NEWSFORM" --list "$T_TMP/cut.zip" 2>&1); rc=$?
  case $out in
    *"not yet supported"*|*"unknown option"*) skip "--list of a corrupt bundle" ;;
    *) check "--list of a truncated zip fails cleanly" test "$rc" -eq 1
       expect_match "--list of a truncated zip: message" "$out" "cut.zip: .*(truncated|not a zip)" ;;
  esac
else
  skip "python3 missing: --list/--extract fixtures"
fi

# Atomic output: SIGKILL halfway leaves no OUT (only the temporary file),
# SIGTERM leaves neither. A script that sleeps keeps the run busy.
if [ "$cli_bundles" = 1 ]; then
  slow="$T_TMP/slow.lua"
  cat > "$slow" <<'EOF'
function process(doc, ctx)
  local t = os.clock() + 0.3
  while os.clock() < t do end
  return doc.title or "x"
end
EOF
  for sig in KILL TERM INT; do
    rm -f "$T_TMP/killed.zip" "$T_TMP"/.killed.zip.newsform-tmp.*
    "$NEWSFORM" -j 1 "$slow" -o "$T_TMP/killed.zip" "$in" "$in" "$in" "$in" >/dev/null 2>&1 &
    pid=$!
    sleep 1
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    check "SIG$sig halfway: nothing at OUT" test ! -e "$T_TMP/killed.zip"
    tmps=$(ls -A "$T_TMP" | grep -c '^\.killed\.zip\.newsform-tmp\.')
    if [ "$sig" = KILL ]; then
      expect_eq "SIGKILL: only the recognisable temporary file is left" "$tmps" "1"
    else
      expect_eq "SIG$sig: no temporary file either" "$tmps" "0"
    fi
  done
fi
