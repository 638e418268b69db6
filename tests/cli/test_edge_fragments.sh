#!/bin/sh
# test_edge_fragments.sh: fragments and short inputs give their content
# (doc.article.source "whole"); an input without text warns, naming it.
. "$(dirname "$0")/lib.sh"

P='<p>Short fragment with one sentence.</p>'
L='<div><h2>Update</h2><ul><li>First point</li><li>Second point</li></ul></div>'
# stdin() ARGS...: run, with the text of $IN on standard input.
stdin() {
  printf '%s\n' "$IN" | "$NEWSFORM" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
  RC=$?
  OUT=$(cat "$T_TMP/out")
  ERR=$(cat "$T_TMP/err")
}

IN=$P; stdin text
expect_eq "text: a fragment prints its sentence" "$OUT" "Short fragment with one sentence."
expect_eq "text: a fragment, exit 0 and no warning" "$RC:$ERR" "0:"

IN=$L; stdin markdown
expect_eq "markdown: a list fragment prints heading and list" "$OUT" "## Update

- First point
- Second point"

IN=$P; stdin json
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["textContent"], d["source"], d["wordCount"], d["readingTime"], sep="|")')
expect_eq "json: textContent and source of a fragment" "$got" "Short fragment with one sentence.|whole|5|1"

run json tests/fixtures/extract/basic.html
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["source"])')
expect_eq "json: a news page is source content" "$got" "content"

IN=$L; stdin retag
expect_eq "retag: a fragment keeps its content" "$OUT" "<div><h2>Update</h2><ul><li>First point</li><li>Second point</li></ul></div>"

printf '<html><head><title></title></head><body><script>var x;</script> &nbsp; </body></html>' >"$T_TMP/empty.html"
run json "$T_TMP/empty.html"
expect_eq "no text: exit 0" "$RC" "0"
expect_eq "no text: one warning naming the input" "$ERR" "newsform: $T_TMP/empty.html: no text, the article is empty"
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["wordCount"], d["readingTime"], repr(d["textContent"]))')
expect_eq "no text: wordCount 0, readingTime 0" "$got" "0 0 ''"

run text - </dev/null
expect_eq "no text: empty standard input is named" "$ERR" "newsform: <stdin>: no text, the article is empty"

mkdir -p "$T_TMP/dir"
cp "$T_TMP/empty.html" "$T_TMP/dir/a.html"
printf '%s\n' "$P" >"$T_TMP/dir/b.html"
run text "$T_TMP/dir"
expect_eq "no text: in a directory, one warning for the empty input" "$ERR" "newsform: $T_TMP/dir/a.html: no text, the article is empty"
expect_eq "no text: the other input is converted" "$OUT" "Short fragment with one sentence."

printf '<html><head><title>Only a title</title></head><body></body></html>' >"$T_TMP/title.html"
run -e 'return doc.article.title' "$T_TMP/title.html"
expect_eq "a page with only a title: no warning" "$RC:$ERR:$OUT" "0::Only a title"
