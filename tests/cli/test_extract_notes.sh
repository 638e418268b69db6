#!/bin/sh
# test_extract_notes.sh: a page's note references survive extraction, so the
# markdown script makes GFM footnotes of an extracted article (the page is
# tests/fixtures/extract/notes.html: a sup reference, an a.footnote one,
# back-links, a fragment link to a div and one to a target outside the story).
. "$(dirname "$0")/lib.sh"
export NEWSFORM_PATH="$ROOT/scripts"
PAGE=$ROOT/tests/fixtures/extract/notes.html

if [ ! -x "$NEWSFORM" ]; then
  skip "newsform binary not built"
  exit 0
fi

run markdown --set flavor=gfm "$PAGE"
expect_eq "markdown gfm: exit status" "$RC" 0
expect_match "a sup reference is [^1]" "$OUT" 'records began\[\^1\]\. Engineers'
expect_match "an a.footnote reference is [^2]" "$OUT" 'until the morning\[\^2\]\. Nobody'
expect_match "note 1 defined at the end, back-link left out" "$OUT" \
  '^\[\^1\]: Measured at the mill gauge, operated by the water board since 1911\.$'
expect_match "note 2 defined at the end" "$OUT" '^\[\^2\]: The school kitchen stayed open all night\.$'
expect_eq "each note once (the notes list is not rendered too)" \
  "$(printf '%s\n' "$OUT" | grep -c 'school kitchen')" 1
expect_match "an in-body fragment link stays relative" "$OUT" '\[map of the flooded streets\]\(#map\)'
expect_match "a link to a target outside the story goes to the page" "$OUT" \
  '\[the budget\]\(https://gazette\.example/river-notes#budget\)'

# The extracted body (doc.article.body) holds the ids the links need.
run -e 'return newsform.html(doc.article.body)' "$PAGE"
expect_eq "article body: exit status" "$RC" 0
expect_match "the note keeps its id" "$OUT" '<li id="fn1">'
expect_match "the reference keeps its id (for the back-link)" "$OUT" '<sup id="ref1">'
expect_match "a.footnote becomes role=doc-noteref" "$OUT" '<a href="#fn2" role="doc-noteref"'

if have cmark-gfm; then
  run markdown --set flavor=gfm "$PAGE"
  HTML=$(printf '%s\n' "$OUT" | cmark-gfm -e footnotes)
  expect_eq "cmark-gfm: two footnote references" \
    "$(printf '%s\n' "$HTML" | grep -o 'data-footnote-ref' | wc -l | tr -d ' ')" 2
else
  skip "cmark-gfm missing"
fi
