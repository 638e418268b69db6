#!/bin/sh
# test_seed.sh: the article this project started from, end to end through
# the command: its tree (issue 2), its article fields (issue 3) and the
# shipped scripts on it (issue 4). Skips when ../shared is absent.
. "$(dirname "$0")/lib.sh"
SEED="$SHARED/corpus/seed/clinton-pakistan.txt"
if [ -z "$SHARED" ] || [ ! -f "$SEED" ]; then skip "seed article absent"; exit 0; fi
nf() { "$NEWSFORM" "$@" 2>&1 </dev/null; }
TITLE="Clinton Presses Pakistan on Terrorism"

# --- the tree -----------------------------------------------------------
expect_eq "14 body paragraphs" "$(nf -e 'return #doc:select("p")' "$SEED")" 14
expect_eq "one h1, the title" "$(nf -e 'local h = doc:select("h1"); return #h .. " " .. h[1].text' "$SEED")" "1 $TITLE"
expect_eq "two time elements" "$(nf -e 'local t = doc:select("time"); return t[1]:attr("datetime") .. " " .. t[2]:attr("datetime")' "$SEED")" "2011-10-21 2015-10-01"
expect_eq "one figure with img and figcaption" \
  "$(nf -e 'return #doc:select("figure") .. #doc:select("figure > img") .. #doc:select("figure > figcaption")' "$SEED")" 111
expect_eq "no paragraph repeats the title or the caption" \
  "$(nf -e 'local cap = doc:select_one("figcaption").text:sub(1, 60)
     local n = 0
     for _, p in ipairs(doc:select("p")) do
       if p.text == doc.title or p.text:sub(1, 60) == cap then n = n + 1 end
     end
     return n' "$SEED")" 0
expect_eq "the standfirst is not a body paragraph" \
  "$(nf -e 'return doc:select("p")[1].text:match("stepping up pressure") and "ok" or doc:select("p")[1].text' "$SEED")" ok

# --- doc.article (issue 3) -------------------------------------------------
J=$(nf json "$SEED")
field() { printf '%s' "$J" | python3 -c "import json,sys; v=json.load(sys.stdin); exec('for k in sys.argv[1].split(\".\"): v = v[k]'); print(v)" "$1"; }
if command -v python3 >/dev/null 2>&1; then
  expect_eq "title" "$(field title)" "$TITLE"
  expect_eq "excerpt is the standfirst" "$(field excerpt)" \
    "U.S. Secretary of State Hillary Clinton reiterated a call on Pakistan to attack Taliban and Haqqani enclaves in North Waziristan."
  expect_eq "published" "$(field publishedTime)" 2011-10-21
  expect_eq "modified" "$(field modifiedTime)" 2015-10-01
  expect_eq "image url" "$(field image.url)" "https://www.theepochtimes.com/assets/uploads/2015/09/129736741_1.jpg"
  expect_match "image caption" "$(field image.caption)" "^U\.S\. Secretary of State Hillary Clinton smiles .* October 20, 2011\.$"
  expect_eq "image credit" "$(field image.credit)" "Aamir Qureshi/Afp/Getty Images"
  TEXT=$(field textContent)
  expect_match "body starts with the lead" "$TEXT" "^U\.S\. Secretary of State Hillary Clinton reiterated a call on Pakistan to attack Taliban and Haqqani enclaves in North Waziristan, stepping up"
  expect_match "body ends with the last sentence" "$TEXT" "by the end of 2014\.$"
  expect_eq "body does not repeat the title" "$(printf '%s' "$TEXT" | grep -c "^$TITLE\$")" 0
  expect_eq "body does not repeat the caption" "$(printf '%s' "$TEXT" | grep -c 'smiles as she waits')" 0
else
  skip "article fields (python3 absent)"
fi

# --- shipped scripts (issue 4) -----------------------------------------------
MD=$(nf markdown "$SEED")
expect_eq "markdown: title heading first" "$(printf '%s\n' "$MD" | sed -n 1p)" "# $TITLE"
expect_match "markdown: date line" "$MD" "\*2011-10-21 · updated 2015-10-01\*"
expect_match "markdown: the figure as an image" "$MD" "!\[U\.S\. Secretary.*\]\(https://www\.theepochtimes\.com/assets/uploads/2015/09/129736741_1\.jpg\)"
expect_eq "markdown: the title once" "$(printf '%s\n' "$MD" | grep -c "$TITLE")" 1
expect_match "markdown: last paragraph" "$MD" "by the end of 2014\."
if command -v cmark >/dev/null 2>&1; then
  expect_eq "markdown: cmark reads 14 paragraphs plus caption and standfirst-free header" \
    "$(printf '%s\n' "$MD" | cmark | grep -c '^<p>')" 17
fi
TXT=$(nf text --set width=72 "$SEED")
expect_eq "text: title first" "$(printf '%s\n' "$TXT" | sed -n 1p)" "$TITLE"
expect_eq "text: wrapped at 72 columns (characters, not bytes)" \
  "$(printf '%s\n' "$TXT" | python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 72 for l in sys.stdin))')" 0
H=$(nf html "$SEED")
expect_match "html: a whole page" "$H" "^<!DOCTYPE html>"
expect_match "html: with its title" "$H" "<title>$TITLE</title>"
