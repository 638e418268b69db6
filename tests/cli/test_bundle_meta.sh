#!/bin/sh
# test_bundle_meta.sh: bundle entries are titled and dated from the article
# (its metadata) even when the script never looked at doc.article.
. "$(dirname "$0")/lib.sh"
PAGES=$(cd "$(dirname "$0")/../../examples/pages" && pwd)
"$NEWSFORM" -e 'return doc.body.text' -o "$T_TMP/x.tar.gz" "$PAGES" 2>"$T_TMP/err"
expect_eq "bundle written" "$?" 0
LIST=$(TZ=UTC tar tvzf "$T_TMP/x.tar.gz" --full-time 2>&1)
expect_match "entry time from the article's published date and time" "$LIST" "2024-03-14 09:30:00 01-harbour-bridge.txt"
expect_match "a date without time is midnight UTC" "$LIST" "2024-05-02 00:00:00 02-city-council.txt"
expect_match "an article without a date gets the fixed epoch" "$LIST" "1980-01-01 00:00:00 04-weather-warning.txt"
MAN=$(tar xzf "$T_TMP/x.tar.gz" -O manifest.json)
expect_match "manifest title is the article title, not <title>" "$MAN" '"title": "Harbour bridge reopens after two-year repair"'
expect_match "manifest published date" "$MAN" '"published": "2024-03-14T09:30:00Z"'
"$NEWSFORM" -e 'return doc.body.text' --mtime 2020-01-01 -o "$T_TMP/y.zip" "$PAGES" 2>/dev/null
if command -v unzip >/dev/null 2>&1; then
  expect_match "--mtime overrides article dates" "$(unzip -l "$T_TMP/y.zip")" "2020-01-01 00:00 +01-harbour-bridge.txt"
else
  skip "--mtime (unzip absent)"
fi
"$NEWSFORM" markdown -o "$T_TMP/d.epub" "$PAGES" 2>/dev/null
if command -v unzip >/dev/null 2>&1; then
  CH=$(unzip -p "$T_TMP/d.epub" OEBPS/ch001.xhtml)
  expect_match "EPUB byline shows the declared day, the time stays in the attribute" "$CH" \
    '<time datetime="2024-03-14T09:30:00Z">2024-03-14</time>'
fi
