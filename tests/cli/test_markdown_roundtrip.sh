#!/bin/sh
# Markdown round trip on the shared corpus: each page's article body (or
# body, until the extractor provides doc.article.body) is rendered to
# Markdown, read back by cmark, and compared with the source (text, links
# and block structure; see tests/cli/markdown_roundtrip.py). Also checks
# that cmark reads the expected outputs of tests/fixtures/render/markdown.txt.
# Skips when ../shared, cmark or python3 is missing.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

# Pages whose block structure must survive; raise it as the renderer
# improves (124 of 126 pages on the article bodies when written).
MIN_BLOCK_MATCHES=${NF_MIN_BLOCK_MATCHES:-120}

if ! command -v cmark >/dev/null 2>&1; then skip "cmark is not installed"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then skip "python3 is missing"; exit 0; fi

# The spec examples' Markdown, read back by cmark, has the same text and
# links as their HTML (examples without options only).
python3 - "$HERE/../fixtures/render/markdown.txt" >"$T_TMP/spec.jsonl" <<'PY'
import json, sys
fence = "`" * 32
text = open(sys.argv[1], encoding="utf-8").read()
for i, block in enumerate(text.split(fence + " example")[1:]):
    head, _, rest = block.partition("\n")
    if head.split(" # ")[0].split():  # options (gfm, width, base_url)
        continue
    if rest.startswith(".\n"):  # an empty input
        continue
    html, _, rest = rest.partition("\n.\n")
    md = rest.split("\n" + fence)[0] + "\n"
    print(json.dumps({"name": "spec example %d" % (i + 1), "html": html, "md": md}))
PY
python3 "$HERE/markdown_roundtrip.py" --jsonl "$T_TMP/spec.jsonl" 0 |
  sed -n 's/^\(not \)\{0,1\}ok [0-9]* - same text and links/&/p;/^#/p' >"$T_TMP/spec.out"
if grep -q '^not ok' "$T_TMP/spec.out"; then
  not_ok "spec examples survive cmark" "$(cat "$T_TMP/spec.out")"
else
  ok "spec examples survive cmark ($(grep -c '^ok' "$T_TMP/spec.out") examples)"
fi

if [ -z "$SHARED" ] || [ ! -d "$SHARED/corpus" ]; then
  skip "../shared/corpus is absent"
  exit 0
fi
set --
for f in "$SHARED"/corpus/extraction/html/*.html.gz "$SHARED"/corpus/metadata/*/source.html.gz; do
  [ -f "$f" ] && set -- "$@" "$f"
done
if [ $# -eq 0 ]; then skip "no corpus pages"; exit 0; fi

"$NEWSFORM" -e '
  local a = doc.article
  local body = (type(a) == "table" and a.body) or doc.body
  return newsform.json({name = ctx.input or doc.source, html = newsform.html(body),
                        md = newsform.markdown(body)})' "$@" >"$T_TMP/pages.jsonl" 2>"$T_TMP/err"
status=$?
check "newsform renders every corpus page (status $status)" [ "$status" -eq 0 ]
[ "$status" -eq 0 ] || sed 's/^/#   /' "$T_TMP/err" | head -5

# Renumber the driver's TAP lines after ours.
python3 "$HERE/markdown_roundtrip.py" --jsonl "$T_TMP/pages.jsonl" "$MIN_BLOCK_MATCHES" |
  while IFS= read -r line; do
    case $line in
      "ok "*) T_N=$((T_N+1)); echo "ok $T_N - ${line#* - }" ;;
      "not ok "*) T_N=$((T_N+1)); echo "not ok $T_N - ${line#* - }" ;;
      *) echo "$line" ;;
    esac
  done
