#!/bin/sh
# test_edge_custom.sh: custom and unknown elements keep their text in
# doc.article.text and every shipped conversion (text, markdown, retag,
# summarize, json).
. "$(dirname "$0")/lib.sh"
PAGE=tests/fixtures/cli/custom-elements.html
CITE='in adults \(1\) show that a custom term matters'

run -e 'return doc.article.text' "$PAGE"
expect_match "doc.article.text: citation and term" "$OUT" "$CITE"
expect_match "doc.article.text: a custom block's paragraph" "$OUT" "seven hours a night"
run text "$PAGE"
expect_match "text: citation and term" "$OUT" "$CITE"
run markdown "$PAGE"
expect_match "markdown: the citation link and the term" "$OUT" 'in adults \(\[1\]\(/x\)\) show that a custom term matters'
run retag "$PAGE"
expect_match "retag: the citation link and the term" "$OUT" 'in adults \(<a href="/x">1</a>\) show that a custom term matters'
run summarize --set n=1 "$PAGE"
expect_match "summarize: the lead sentence keeps them" "$OUT" "$CITE"
run json "$PAGE"
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["textContent"].split("\n")[0][17:67])')
expect_eq "json: textContent keeps them" "$got" "in adults (1) show that a custom term matters more"
n=$("$NEWSFORM" markdown "$PAGE" | grep -c 'custom term')
expect_eq "markdown: the first paragraph once (no standfirst copy of it)" "$n" "1"
