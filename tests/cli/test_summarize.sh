#!/bin/sh
# test_summarize.sh: the shipped summarize and retag scripts, and recipe
# scripts run by the command (a script returning a table).
. "$(dirname "$0")/lib.sh"
F=$(cd "$(dirname "$0")/../fixtures/text" && pwd)
cd "$T_TMP" || exit 2


if [ ! -x "$NEWSFORM" ]; then
  skip "newsform binary not built"
  exit 0
fi

# ---- summarize on the seed article --------------------------------------
SEED="$SHARED/corpus/seed/clinton-pakistan.txt"
if [ -n "$SHARED" ] && [ -f "$SEED" ]; then
  run summarize "$SEED"
  expect_eq "summarize seed: exit status" "$RC" 0
  expect_eq "summarize seed: title line" "$(printf '%s\n' "$OUT" | sed -n 1p)" \
    "Clinton Presses Pakistan on Terrorism"
  expect_eq "summarize seed: 3 sentences" "$(printf '%s\n' "$OUT" | sed -n '3,$p' | grep -c .)" 3
  expect_match "summarize seed: the lead comes first" "$(printf '%s\n' "$OUT" | sed -n 3p)" \
    '^U\.S\. Secretary of State Hillary Clinton reiterated a call on Pakistan .*stepping up pressure .* on its own terms\.$'
  # every summary line is a sentence of the article, word for word
  all_found=yes
  printf '%s\n' "$OUT" | sed -n '3,$p' > "$T_TMP/lines"
  tr '\n' ' ' < "$SEED" > "$T_TMP/flat"
  while IFS= read -r line; do
    grep -qF -- "$line" "$T_TMP/flat" || all_found="no: $line"
  done < "$T_TMP/lines"
  expect_eq "summarize seed: sentences come from the article" "$all_found" yes
  run summarize --set n=5 "$SEED"
  expect_eq "summarize --set n=5" "$(printf '%s\n' "$OUT" | sed -n '3,$p' | grep -c .)" 5
  OUT=$(NEWSFORM_SUMMARY_N=2 "$NEWSFORM" summarize "$SEED" 2>/dev/null)
  expect_eq "NEWSFORM_SUMMARY_N=2" "$(printf '%s\n' "$OUT" | sed -n '3,$p' | grep -c .)" 2
  run summarize --set n=zero "$SEED"
  expect_eq "summarize --set n=zero fails" "$RC" 1
  expect_match "summarize --set n=zero says why" "$ERR" "n must be a positive whole number"
  run summarize --set method=lead --set n=2 "$SEED" "$SEED"
  expect_eq "summarize two inputs, lead" "$(printf '%s\n' "$OUT" | grep -c 'Secretary of State Hillary Clinton reiterated')" 2
else
  skip "summarize seed (../shared absent)"
fi

# ---- summarize / retag on a fixture ---------------------------------------
run summarize "$F/article.html"
expect_eq "summarize fixture: exit status" "$RC" 0
expect_eq "summarize fixture: lead" "$(printf '%s\n' "$OUT" | sed -n 3p)" \
  "The city council approved a budget for new bridges on Monday."

run retag --set whole=1 "$F/recipe.html"
expect_eq "retag whole: exit status" "$RC" 0
case $OUT in *'class='*|*'style='*|*'onclick'*) ok_attrs=no ;; *) ok_attrs=yes ;; esac
expect_eq "retag whole: presentational attributes gone" "$ok_attrs" yes
expect_match "retag whole: share div became p" "$OUT" '<p><a href="javascript:share\(\)">Share</a></p>'
run retag --set whole=1 --set keep_attrs=class "$F/recipe.html"
expect_match "retag keep_attrs=class" "$OUT" '<h1 class="headline">'

# ---- a recipe script ---------------------------------------------------------
cat > recipe.lua <<'LUA'
return {
  remove = {".share", "aside", "figure.ad"},
  keep = {"h1", "article .story-body"},
  remove_attrs = {"style", "class", "on*", "data-*"},
  ["a[href^='javascript:']"] = function(n) n:unwrap() end,
}
LUA
run recipe.lua "$F/recipe.html"
expect_eq "recipe script: exit status" "$RC" 0
expect_match "recipe script: keeps the headline" "$OUT" '<h1>Harbor Bridge to be rebuilt</h1>'
case $OUT in *'<nav'*|*'<footer'*|*'<aside'*|*'class='*|*'javascript:'*) clean=no ;; *) clean=yes ;; esac
expect_eq "recipe script: cleaned" "$clean" yes
expect_match "recipe script: unwrapped link text" "$OUT" 'Harbor Bridge, officials said'

cat > recipe_process.lua <<'LUA'
return {
  keep = "article .story-body",
  process = function(doc, ctx) return doc.article.title .. ": " .. #doc:select("p") end,
}
LUA
run recipe_process.lua "$F/recipe.html"
expect_eq "recipe with process" "$OUT" "Harbor Bridge to be rebuilt: 3"

cat > recipe_miss.lua <<'LUA'
return { keep = {".no-such-thing"}, process = function(doc) return #doc:select("p") end }
LUA
run recipe_miss.lua "$F/recipe.html"
expect_eq "recipe keep matching nothing keeps the body" "$OUT" 3
expect_match "recipe keep matching nothing warns" "$ERR" "recipe keep matched nothing \('\.no-such-thing'\)"

cat > recipe_bad.lua <<'LUA'
return { keep = {"p["} }
LUA
run recipe_bad.lua "$F/recipe.html"
expect_eq "bad recipe selector: exit status" "$RC" 1
expect_match "bad recipe selector: message" "$ERR" "recipe: bad selector in keep"
