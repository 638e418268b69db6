#!/bin/sh
# test_markdown_links.sh: the markdown script's --set links=inline|reference|none
# and GFM footnotes of newsform.markdown, read back by cmark / cmark-gfm when
# they are installed.
. "$(dirname "$0")/lib.sh"
export NEWSFORM_PATH="$ROOT/scripts"
cd "$T_TMP" || exit 2

if [ ! -x "$NEWSFORM" ]; then
  skip "newsform binary not built"
  exit 0
fi

cat >page.html <<'HTML'
<html><head><title>Bridge opens</title>
<link rel="canonical" href="https://news.example/bridge"></head><body><article>
<h1>Bridge opens</h1>
<p>The <a href="https://city.example/">city</a> opened the new bridge on Monday, said the
<a href="https://city.example/">mayor's office</a>. It was long awaited by the residents of
both banks of the river, who had crossed by ferry for decades.</p>
<p>More at <a href="https://news.example/more" title="More news">the site</a>.</p>
</article></body></html>
HTML

run markdown page.html
expect_eq "links=inline by default: exit status" "$RC" 0
expect_match "links=inline by default: [text](URL)" "$OUT" '\[city\]\(https://city\.example/\)'
INLINE=$OUT

run markdown --set links=reference page.html
expect_eq "links=reference: exit status" "$RC" 0
expect_match "links=reference: [text][n], one number per URL" "$OUT" \
  'The \[city\]\[1\] opened .*\[mayor.s office\]\[1\]\.'
expect_match "links=reference: the next URL, the next number" "$OUT" '^More at \[the site\]\[2\]\.$'
expect_eq "links=reference: definitions at the end" "$(printf '%s\n' "$OUT" | tail -n 4)" \
'[1]: https://city.example/
[2]: https://news.example/more "More news"

[source]: <https://news.example/bridge>'
expect_match "links=reference: the source link too" "$OUT" '^\*\[Source\]\[source\]\*'
REFERENCE=$OUT

run markdown --set links=none page.html
expect_eq "links=none: exit status" "$RC" 0
expect_match "links=none: text kept" "$OUT" "^The city opened .*said the mayor's office\."
expect_match "links=none: text kept (2)" "$OUT" '^More at the site\.$'
if printf '%s' "$OUT" | grep -q '](\|]\['; then
  not_ok "links=none: no link syntax" "$OUT"
else
  ok "links=none: no link syntax"
fi
expect_match "links=none: the source as text" "$OUT" '^\*Source: https://news\.example/bridge\*'

run markdown --set links=footnotes page.html
check "links=footnotes: an error" [ "$RC" -ne 0 ]
expect_match "links=footnotes: says what is allowed" "$ERR" "'links' must be \"inline\", \"reference\" or \"none\""

# cmark reads the reference-style output as the same HTML as the inline one.
if have cmark; then
  expect_eq "cmark: reference links give the same HTML as inline ones" \
    "$(printf '%s\n' "$REFERENCE" | cmark)" "$(printf '%s\n' "$INLINE" | cmark)"
else
  skip "cmark missing"
fi

# GFM footnotes from a page's notes (doc.body keeps the ids).
cat >notes.html <<'HTML'
<p>A claim<sup><a href="#fn1" id="ref1">1</a></sup>, another<a class="footnote" href="#fn2">2</a>
and a broken one<sup><a href="#missing">3</a></sup>.</p>
<section class="footnotes"><hr><ol>
<li id="fn1">First note. <a href="#ref1">&#8617;</a></li>
<li id="fn2">Second note.</li></ol></section>
HTML
run -e 'return newsform.markdown(doc.body, {flavor = "gfm", links = ctx.options.links})' \
  --set links=reference notes.html
expect_eq "footnotes: exit status" "$RC" 0
expect_eq "footnotes: [^n], notes at the end, a missing target stays a link" "$OUT" \
'A claim[^1], another[^2] and a broken one[3][1].

[^1]: First note.

[^2]: Second note.

[1]: #missing'
if have cmark-gfm; then
  HTML=$(printf '%s\n' "$OUT" | cmark-gfm -e footnotes)
  expect_eq "cmark-gfm: two footnote references" \
    "$(printf '%s\n' "$HTML" | grep -o 'data-footnote-ref' | wc -l | tr -d ' ')" 2
  expect_eq "cmark-gfm: each note once" "$(printf '%s\n' "$HTML" | grep -c 'note\.')" 2
  expect_match "cmark-gfm: the broken reference is a link" "$HTML" '<a href="#missing">3</a>'
else
  skip "cmark-gfm missing"
fi
