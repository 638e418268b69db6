#!/bin/sh
# test_epub_valid.sh: EPUB chapters pass epubcheck with 0 errors and 0
# warnings whatever the input (issue 9): a fixture of broken tables, lists,
# blocks inside inline elements, nested links and forms, bad ids and
# attributes (tests/fixtures/epub/), and every page of the shared corpus
# (extraction pages, metadata pages and their expected content) as one book.
# epubcheck is slow (a JVM): one book each. Skipped without epubcheck or
# ../shared.
. "$(dirname "$0")/lib.sh"
export NEWSFORM_PATH="$ROOT/scripts"   # the shipped scripts, wherever the binary is
FX="$ROOT/tests/fixtures/epub"
T="$T_TMP"

# epubcheck_clean NAME BOOK: 0 errors and 0 warnings
epubcheck_clean() {
  log=$(java -jar "$EPUBCHECK" "$2" 2>&1)
  if printf '%s' "$log" | grep -q 'No errors or warnings detected'; then ok "$1"
  else not_ok "$1" "$(printf '%s\n' "$log" | grep -E '^(ERROR|WARNING|FATAL)|Messages' | head -20)"; fi
}

"$NEWSFORM" markdown --title "Broken markup" -o "$T/fixture.epub" "$FX" \
  "$ROOT/tests/fixtures/extract/table-cell.html" 2>"$T/err"
expect_eq "markdown -o X.epub of the broken-markup fixture: exit 0" "$?" "0"

if have unzip; then
  all=$(unzip -p "$T/fixture.epub" 'OEBPS/ch*.xhtml' | tr -d '\n')
  expect_match "tfoot written after the tbody" "$all" \
    '<tbody><tr><th>Roads</th>.*<tfoot><tr><td>Total</td><td>310</td></tr></tfoot></table>'
  expect_match "a dd with no term gets an empty dt" "$all" '<dl><dt/><dd>A definition with no term'
  bad=$(printf '%s' "$all" | grep -o '<div class="body">[^<]*<div>[^<]*<t[dhr][ >]' | head -1)
  expect_eq "no chapter body starts with a table part" "$bad" ""
  expect_match "cells outside their table: the extractor keeps their text, not the cells" \
    "$all" '<p>A lone cell of the results.</p><p>Another lone cell'
  expect_match "javascript: links lose their href" \
    "$(printf '%s' "$all" | grep -ci 'javascript:')" '^0$'
else
  skip "unzip missing: chapter checks"
fi

if have_epubcheck; then
  epubcheck_clean "epubcheck: the broken-markup fixture book, 0 errors and 0 warnings" \
    "$T/fixture.epub"
else
  skip "epubcheck missing: fixture book"
fi

# The shared corpus, every page, as one book.
if ! have_epubcheck; then
  skip "epubcheck missing: corpus book"
elif [ -z "$SHARED" ] || [ ! -d "$SHARED/corpus/extraction/html" ] ||
     [ ! -d "$SHARED/corpus/metadata" ]; then
  skip "no ../shared corpus: corpus book"
else
  set -- "$SHARED"/corpus/extraction/html/*.html.gz \
         "$SHARED"/corpus/metadata/*/source.html.gz \
         "$SHARED"/corpus/metadata/*/expected.html.gz
  want=$#
  "$NEWSFORM" markdown --title "Corpus" -o "$T/corpus.epub" "$@" 2>"$T/err"
  expect_eq "markdown -o X.epub of every corpus page: exit 0" "$?" "0"
  got=$("$NEWSFORM" -e 'return 1' "$T/corpus.epub" | wc -l | tr -d ' ')
  expect_eq "the corpus book holds one chapter per page ($want)" "$got" "$want"
  epubcheck_clean "epubcheck: every corpus page in one book, 0 errors and 0 warnings" \
    "$T/corpus.epub"
fi
echo "1..$T_N"
