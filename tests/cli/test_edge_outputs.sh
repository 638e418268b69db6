#!/bin/sh
# test_edge_outputs.sh: output names (-o X.gz for any inner extension, X.tar,
# archive names newsform does not write) and --extract going on past a
# refused entry and restoring entry times (issue 9).
. "$(dirname "$0")/lib.sh"
cd "$T_TMP" || exit 2

PAGE='<html><head><title>Page %s</title></head><body><article><p>Body of page %s, with enough words to count as a paragraph.</p></article></body></html>'

# ---- output names --------------------------------------------------------
printf "$PAGE" 1 1 >p1.html
printf "$PAGE" 2 2 >p2.html
run -e 'return doc.title' -o out.md.gz p1.html p2.html
expect_eq "-o X.md.gz is gzip" "$RC:$(gzip -t out.md.gz 2>&1 && gzip -dc out.md.gz)" "0:Page 1
Page 2"
run -e 'return doc.title' -o plain.gz p1.html
expect_eq "-o X.gz is gzip" "$RC:$(gzip -dc plain.gz 2>&1)" "0:Page 1"
run -e 'return doc.title' -o a.txt.gz p1.html missing.html
expect_eq "a failed run leaves no .gz" "$RC:$(ls -a | grep -c 'a.txt.gz')" "1:0"
"$NEWSFORM" -e 'return doc.title' -o again.md.gz p1.html p2.html </dev/null
expect_eq "-o X.gz is reproducible" "$(cmp out.md.gz again.md.gz && echo same)" "same"
run -e 'return doc.title' -o out.tar p1.html p2.html
expect_eq "-o X.tar: an uncompressed tar" "$RC:$(tar tf out.tar | tr '\n' ' ')" "0:p1.txt p2.txt manifest.json "
expect_eq "-o X.tar: not gzip" "$(head -c 2 out.tar | od -An -tx1 | tr -d ' ')" "7031"
expect_eq "-o X.tar: content" "$(tar xOf out.tar p2.txt)" "Page 2"
run --list out.tar
expect_eq "--list X.tar" "$RC:$(printf '%s' "$OUT" | tr '\n' ' ')" "0:p1.txt p2.txt manifest.json"
cp out.tar unnamed
run --list unnamed
expect_eq "an uncompressed tar is known by its first bytes" "$RC:$(printf '%s' "$OUT" | tr '\n' ' ')" "0:p1.txt p2.txt manifest.json"
run -o pages.tar -e 'return doc' p1.html p2.html
run -e 'return ctx.input .. " " .. doc.title' pages.tar
expect_eq "a .tar as input" "$RC:$OUT" "0:pages.tar:p1.html Page 1
pages.tar:p2.html Page 2"
for out in out.rar out.7z out.xz out.bz2 out.zst out.tar.xz out.tar.bz2 out.tar.zst out.tbz2; do
  run -e 'return doc.title' -o $out p1.html
  expect_eq "-o $out: usage error, nothing written" "$RC:$(ls -a | grep -c "$out")" "2:0"
  expect_match "-o $out: names the supported ones" "$ERR" "^newsform: $out: cannot write \.[a-z0-9.]+ \(newsform writes \.tar\.gz \.tgz \.tar \.zip \.epub \.jsonl\.gz bundles, DIR/, and NAME\.gz for gzip-compressed output\)$"
done

# ---- --extract -----------------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
  python3 - <<'PY'
import io, tarfile
with tarfile.open("mixed.tar.gz", "w:gz") as t:
    def add(n, data=b"x", mtime=978307200):
        i = tarfile.TarInfo(n); i.size = len(data); i.mtime = mtime
        t.addfile(i, io.BytesIO(data))
    add("first.txt", b"first")
    add("../escaped.txt")
    i = tarfile.TarInfo("link"); i.type = tarfile.SYMTYPE; i.linkname = "/etc"; t.addfile(i)
    d = tarfile.TarInfo("dir"); d.type = tarfile.DIRTYPE; d.mtime = 1000000000; t.addfile(d)
    add("dir/later.txt", b"later", 1234567890)
PY
  run --extract mixed.tar.gz ex
  expect_eq "--extract goes on past refused entries, reports each, exit 1" "$RC:$ERR" \
    "1:newsform: mixed.tar.gz: refusing entry '../escaped.txt' (contains ..)
newsform: mixed.tar.gz: refusing entry 'link' (a link)"
  expect_eq "the entries after them are written" "$(cat ex/first.txt) $(cat ex/dir/later.txt)" "first later"
  expect_eq "entry times are restored" "$(stat -c %Y ex/first.txt) $(stat -c %Y ex/dir/later.txt)" "978307200 1234567890"
  expect_eq "directory times are restored" "$(stat -c %Y ex/dir)" "1000000000"
else
  skip "python3 missing"; skip "python3 missing"; skip "python3 missing"; skip "python3 missing"
fi
run --mtime 2021-03-04T05:06:08Z -o timed.zip -e 'return doc.title' p1.html
run --extract timed.zip ez
expect_eq "zip entry times are restored" "$RC:$(stat -c %Y ez/p1.txt)" "0:1614834368"

echo "1..$T_N"
