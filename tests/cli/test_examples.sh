#!/bin/sh
# The worked examples of examples/ run on examples/pages, and their results
# are checked with the real tools (epubcheck, unzip, gzip, python3; each
# skipped when missing), so that none can rot. Every command shown in an
# example's header comment ("--   newsform ...") is run as well.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
export NEWSFORM_PATH="$ROOT/scripts"
T=$T_TMP
P=examples/pages
n_articles=$(ls "$P" | wc -l | tr -d ' ')

# ----- The commands of the header comments, as a user would paste them -----
W="$T/work"
mkdir -p "$W"
ln -s "$ROOT/examples" "$W/examples"
ln -s "$ROOT/examples/pages" "$W/pages"
for ex in examples/*.lua; do
  grep '^--   newsform ' "$ex" | sed -e 's/^--   newsform //' -e 's/  *(.*)$//' > "$T/cmds"
  while IFS= read -r cmd; do
    out=$(cd "$W" && eval "\"\$NEWSFORM\" $cmd" 2>&1 </dev/null)
    rc=$?
    if [ "$rc" -eq 0 ]; then ok "$ex: newsform $cmd"
    else not_ok "$ex: newsform $cmd" "exit $rc: $out"; fi
  done < "$T/cmds"
done

# ----- digest.lua: an EPUB with sections, contents and summaries -----------
out=$("$NEWSFORM" examples/digest.lua --set out="$T/digest.epub" "$P" 2>"$T/err"); rc=$?
expect_eq "digest.lua: exit 0, nothing on stderr" "$rc $(cat "$T/err")" "0 "
expect_eq "digest.lua: reports the book" "$out" \
  "$T/digest.epub: $n_articles articles in 3 sections"
if have unzip; then
  check "digest.epub: unzip -t" sh -c "unzip -tq '$T/digest.epub' >/dev/null"
  toc=$(unzip -p "$T/digest.epub" OEBPS/toc.xhtml | tr -d '\n')
  expect_match "digest.epub: titled by the newest date" "$toc" "<h1>Daily digest 2024-11-12</h1>"
  expect_match "digest.epub: sections in order in the contents" "$toc" \
    "<span>Community</span>.*<span>News</span>.*<span>Transport</span>"
  expect_match "digest.epub: newest first within a section" "$toc" \
    "River Festival.*Council votes.*Harbour bridge.*Storm warning"
  expect_match "digest.epub: summaries in the contents" "$toc" \
    '<p class="summary">Island commuters will get a 6.15am sailing'
  nav=$(unzip -p "$T/digest.epub" OEBPS/nav.xhtml | tr -d '\n')
  expect_match "digest.epub: the nav document lists every chapter" "$nav" \
    "ch00${n_articles}.xhtml"
  ch=$(unzip -p "$T/digest.epub" OEBPS/ch006.xhtml | tr -d '\n')
  expect_match "digest.epub: a chapter opens with its summary, then the article" "$ch" \
    '<h1 class="title">Winter ferry timetable adds an early crossing</h1>.*<p class="summary"><strong>In brief:</strong> Island commuters.*</p>.*<p>The last evening sailing'
else
  skip "unzip missing: digest.epub contents"
fi
"$NEWSFORM" examples/digest.lua --set out="$T/again.epub" "$P" >/dev/null 2>&1
check "digest.lua: the same pages give the same book (cmp)" cmp -s "$T/digest.epub" "$T/again.epub"
out=$("$NEWSFORM" -j 2 examples/digest.lua --set out="$T/no.epub" "$P" 2>&1); rc=$?
expect_match "digest.lua: -j 2 is refused with a reason" "$rc $out" "^1 .*run it without -j"
if have_epubcheck; then
  out=$(java -jar "$EPUBCHECK" "$T/digest.epub" 2>&1)
  expect_match "digest.epub: epubcheck finds no errors" "$out" \
    "No errors or warnings detected|0 fatals / 0 errors"
else
  skip "epubcheck missing"
fi

# ----- dataset.lua: JSON Lines, gzipped -------------------------------------
"$NEWSFORM" examples/dataset.lua -o "$T/corpus.jsonl.gz" "$P" 2>"$T/err"; rc=$?
expect_eq "dataset.lua: exit 0, nothing on stderr" "$rc $(cat "$T/err")" "0 "
if have gzip; then
  check "corpus.jsonl.gz: gzip -t" gzip -t "$T/corpus.jsonl.gz"
  expect_eq "corpus.jsonl.gz: one line per article" \
    "$(gzip -dc "$T/corpus.jsonl.gz" | wc -l | tr -d ' ')" "$n_articles"
else
  skip "gzip missing"; skip "gzip missing"
fi
if have python3; then
  got=$(python3 - "$T/corpus.jsonl.gz" <<'EOF'
import gzip, json, sys
keys = {"id", "source", "url", "title", "byline", "authors", "published", "site",
        "lang", "tags", "text", "words", "summary", "keywords"}
rows = [json.loads(l) for l in gzip.open(sys.argv[1], "rt", encoding="utf-8")]
# the summary's sentences come from the text
bad = [r.get("id") for r in rows if set(r) != keys or not r["text"] or not r["summary"]
       or not r["keywords"] or r["summary"][:40] not in r["text"]]
print(len(rows), "bad:", bad, rows[0]["title"], rows[4]["published"], rows[5]["byline"])
EOF
)
  expect_eq "corpus.jsonl.gz: every line parses, with text, metadata, summary, keywords" "$got" \
    "$n_articles bad: [] Harbour bridge reopens after two-year repair 2024-11-12T07:00:00Z Ines Carvalho"
else
  skip "python3 missing: JSON lines"
fi
got=$("$NEWSFORM" -e 'return doc.title' "$T/corpus.jsonl.gz" 2>&1)
want=$("$NEWSFORM" -e 'return doc.article.title or doc.title' "$P" 2>&1)
expect_eq "corpus.jsonl.gz read back by newsform: the same titles" "$got" "$want"

# ----- site-recipe.lua: Markdown in a zip -----------------------------------
"$NEWSFORM" examples/site-recipe.lua -o "$T/site.zip" "$P" 2>"$T/err"; rc=$?
expect_eq "site-recipe.lua: exit 0, no warnings (keep matched every page)" "$rc $(cat "$T/err")" "0 "
if have unzip; then
  check "site.zip: unzip -t" sh -c "unzip -tq '$T/site.zip' >/dev/null"
  names=$(unzip -Z1 "$T/site.zip" | tr '\n' ' ')
  expect_eq "site.zip: one .md per page, and the manifest" "$names" \
    "01-harbour-bridge.md 02-city-council.md 03-river-festival.md 04-weather-warning.md 05-ferry-timetable.md 06-school-garden.md manifest.json "
  all=$(unzip -p "$T/site.zip" '*.md')
  expect_eq "site.zip: the furniture is gone (cookies, nav, share, ads)" \
    "$(printf '%s' "$all" | grep -c -i -e cookie -e 'Share this' -e Advertisement -e 'Most read' -e '](/')" "0"
  expect_match "site.zip: the story is there, as Markdown" "$(printf '%s' "$all" | tr '\n' ' ')" \
    "# Winter ferry timetable adds an early crossing .*the fare table stays as it is"
  md=$(unzip -p "$T/site.zip" 01-harbour-bridge.md)
  expect_match "site.zip: images resolved against the page's URL" "$md" \
    "!\[Cars crossing the repaired bridge at dawn\]\(https://courier.example/img/bridge.jpg\)"
  expect_match "site.zip: the handler unwrapped the site-relative author link" "$md" \
    "^By Maria Okafor"
else
  skip "unzip missing: site.zip"
fi
if have python3; then
  check "site.zip: python3 -m zipfile -t" sh -c "python3 -m zipfile -t '$T/site.zip' >/dev/null"
else
  skip "python3 missing: zipfile -t"
fi
