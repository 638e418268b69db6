#!/bin/sh
# Discoverable scripts (--list-scripts from the scripts' own headers, --help's
# examples, --version's library versions) and shell completion for bash and
# zsh, installed by `make install` into a temporary prefix.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
export NEWSFORM_PATH="$ROOT/scripts"

# ---- --list-scripts ------------------------------------------------------
run --list-scripts
expect_eq "--list-scripts exits 0" "$RC" 0
list=$OUT
bad=""
for f in scripts/*.lua; do
  name=$(basename "$f" .lua)
  purpose=$(sed -n "1s/^-- $name\.lua: //p" "$f")
  [ -n "$purpose" ] || bad="$bad $name(no '-- $name.lua: purpose' first line)"
  want=$(printf '%-11s %s' "$name" "$purpose")
  printf '%s\n' "$list" | grep -qxF -- "$want" || bad="$bad $name"
done
expect_eq "every shipped script listed with its header's purpose" "$bad" ""
opts=$(printf '%s\n' "$list" | sed -n '/^markdown /,/^[a-z]/p' | grep -- '--set' |
       sed 's/^ *--set \([^ ]*\).*/\1/' | tr '\n' ' ')
expect_eq "markdown's --set options, links among them" "$opts" \
  "flavor=commonmark|gfm width=N links=inline|reference|none "
# Every option a shipped script reads is in its header.
bad=""
for f in scripts/*.lua; do
  for key in $(grep -o 'ctx\.options\.[a-z_]*' "$f" | sed 's/.*\.//' | sort -u); do
    grep -q -- "^-- --set $key=" "$f" || bad="$bad $(basename "$f"):$key"
  done
done
expect_eq "every ctx.options KEY a script reads is in its header" "$bad" ""

# Scripts of NEWSFORM_PATH come first (one line per name, as newsform NAME
# would run it); a script without a header is listed by name alone.
mkdir -p "$T_TMP/mine" "$T_TMP/mine2"
printf -- '-- markdown.lua: my own Markdown\n-- --set style=a|b  which style\nreturn 1\n' \
  >"$T_TMP/mine/markdown.lua"
printf 'function process() end\n' >"$T_TMP/mine2/bare.lua"
printf -- '-- hidden.lua: no\n' >"$T_TMP/mine/.hidden.lua"
printf 'not a script\n' >"$T_TMP/mine/notes.txt"
NEWSFORM_PATH="$T_TMP/mine:$T_TMP/mine2:$ROOT/scripts" run --list-scripts
got=$(printf '%s\n' "$OUT" | sed -n '/^markdown /,/^[a-z]/p' | sed '$d')
expect_eq "NEWSFORM_PATH's script listed in place of the shipped one" "$got" \
"markdown    my own Markdown
            --set style=a|b  which style"
expect_eq "one line per name" "$(printf '%s\n' "$OUT" | grep -c '^markdown ')" 1
expect_eq "a script without a header: its name" \
  "$(printf '%s\n' "$OUT" | grep '^bare')" "bare"
expect_eq "hidden and non-.lua files not listed" \
  "$(printf '%s\n' "$OUT" | grep -c -e '^hidden' -e '^\.hidden' -e '^notes')" 0
mkdir -p "$T_TMP/empty"
NEWSFORM_PATH="$T_TMP/empty:$T_TMP/none::" run --list-scripts
expect_eq "--list-scripts with empty and missing directories" "$RC$ERR" 0
run --list-scripts markdown
expect_eq "--list-scripts with a SCRIPT is a usage error" "$RC" 2

# ---- --help's examples, --version ----------------------------------------
run --help
tail=$(printf '%s\n' "$OUT" | sed -n '/^Examples:$/,$p')
expect_match "--help ends with examples" "$(printf '%s\n' "$tail" | sed -n 2p)" \
  "^  newsform "
expect_eq "every line after Examples: is a newsform command" \
  "$(printf '%s\n' "$tail" | sed 1d | grep -cv '^  newsform ')" 0
expect_match "--help names --list-scripts" "$OUT" "--list-scripts"
run --version
v=$(printf '%s\n' "$OUT" | sed -n 2p)
expect_match "--version names Lua, libxml2 and zlib" "$v" \
  "^Lua 5\.4\.[0-9]+, libxml2 [0-9]+\.[0-9]+\.[0-9]+, zlib [0-9][0-9.]*"
if have xmllint; then # libxml2's own run-time version: "using libxml version 20914"
  x=$(xmllint --version 2>&1 | sed -n 's/.*using libxml version \([0-9]*\).*/\1/p')
  expect_eq "--version's libxml2 is the one loaded" \
    "$(printf '%s' "$v" | sed 's/.*libxml2 \([0-9]*\)\.\([0-9]*\)\.\([0-9]*\),.*/\1 \2 \3/')" \
    "$((x / 10000)) $((x / 100 % 100)) $((x % 100))"
else
  skip "xmllint missing"
fi
if have python3; then
  expect_eq "--version's zlib is the one loaded" "${v##*zlib }" \
    "$(python3 -c 'import zlib; print(zlib.ZLIB_RUNTIME_VERSION)')"
else
  skip "python3 missing"
fi

# ---- completion: installed ----------------------------------------------
P=$T_TMP/prefix
if ! make -s -C "$ROOT" install PREFIX="$P" >"$T_TMP/install.log" 2>&1; then
  not_ok "make install" "$(tail -20 "$T_TMP/install.log")"
  exit 1
fi
BASHC=$P/share/bash-completion/completions/newsform
ZSHC=$P/share/zsh/site-functions/_newsform
check "bash completion installed" test -f "$BASHC"
check "zsh completion installed" test -f "$ZSHC"

# ---- bash ------------------------------------------------------------------
if ! have bash; then skip "bash missing"; exit 0; fi
W=$T_TMP/work
mkdir -p "$W/pages" "$W/mine"
: >"$W/foo.lua"; : >"$W/a.html"; : >"$W/x.zip"
: >"$W/mine/minescript.lua"
# comp [PRELOAD] WORD...: the completions (one a line, sorted) of WORD...
# (the last is the word being completed) in a non-interactive bash that has
# sourced the installed completion, with the installed newsform on PATH.
cat >"$T_TMP/comp.bash" <<'EOF'
preload=$1; shift
if [ -n "$preload" ]; then
  . "$preload" || exit 3
  __load_completion newsform || exit 4        # bash-completion finds it
  complete -p newsform | grep -q _newsform || exit 5
else
  . "$BASHC" || exit 3
fi
[ -n "${WB-}" ] && COMP_WORDBREAKS=$WB
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
_newsform
[ ${#COMPREPLY[@]} -gt 0 ] && printf '%s\n' "${COMPREPLY[@]}" | sort
EOF
comp() {
  (cd "$W" && env -u NEWSFORM_PATH PATH="$P/bin:$PATH" BASHC="$BASHC" \
     XDG_DATA_DIRS="$P/share" bash "$T_TMP/comp.bash" "" "$@" 2>&1) | tr '\n' ' '
}
expect_eq "bash: newsform mar -> markdown" "$(comp newsform mar)" "markdown "
expect_eq "bash: an option" "$(comp newsform --enc)" "--encoding "
expect_eq "bash: --list-scripts" "$(comp newsform --list-s)" "--list-scripts "
expect_eq "bash: --type values" "$(comp newsform --type '')" "auto html text "
expect_eq "bash: --type=t (split at '=')" "$(comp newsform --type = t)" "text "
expect_eq "bash: --type=t (COMP_WORDBREAKS without '=')" \
  "$(cd "$W" && WB=' ' PATH="$P/bin:$PATH" BASHC="$BASHC" \
     bash "$T_TMP/comp.bash" "" newsform --type=t 2>&1)" "--type=text"
expect_match "bash: -j numbers" "$(comp newsform -j '')" "^1 "
expect_eq "bash: --encoding utf-1" "$(comp newsform --encoding utf-1)" \
  "utf-16 utf-16be utf-16le "
expect_eq "bash: --set keys from the script's header" \
  "$(comp newsform markdown --set '')" "flavor= links= width= "
expect_eq "bash: --set values from the header" \
  "$(comp newsform -j 2 markdown --set links = r)" "reference "
expect_eq "bash: a .lua file or directory as SCRIPT" "$(comp newsform fo)" "foo.lua "
expect_eq "bash: inputs" "$(comp newsform markdown pa)" "pages "
expect_eq "bash: inputs (a file)" "$(comp newsform markdown -k a.)" "a.html "
expect_eq "bash: no script names with -e" "$(comp newsform -e 'return 1' mar)" ""
expect_eq "bash: -o OUT is a file" "$(comp newsform markdown -o x.)" "x.zip "
expect_eq "bash: NEWSFORM_PATH's scripts" \
  "$(cd "$W" && NEWSFORM_PATH="$W/mine" PATH="$P/bin:$PATH" BASHC="$BASHC" \
     bash "$T_TMP/comp.bash" "" newsform mines 2>&1)" "minescript"
# The options offered are those of --help.
help_opts=$("$P/bin/newsform" --help | sed -n '/^Options:/,/^$/p' |
  grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
expect_eq "bash: the options of --help, no more, no less" \
  "$(comp newsform --)" "$help_opts"
# Every --encoding name offered is one newsform accepts.
bad=""
for e in $(comp newsform --encoding ''); do
  printf '<p>x</p>' | "$NEWSFORM" --encoding "$e" -e 'return 1' - >/dev/null 2>&1 ||
    bad="$bad $e"
done
expect_eq "bash: every --encoding name offered is accepted" "$bad" ""
BC=/usr/share/bash-completion/bash_completion
if [ -f "$BC" ]; then
  expect_eq "bash-completion loads it from the prefix and completes mar" \
    "$(cd "$W" && env -u NEWSFORM_PATH PATH="$P/bin:$PATH" BASHC="$BASHC" \
       XDG_DATA_DIRS="$P/share" bash "$T_TMP/comp.bash" "$BC" newsform mar 2>&1)" \
    "markdown"
else
  skip "bash-completion missing"
fi

# ---- zsh -------------------------------------------------------------------
if have zsh; then
  check "zsh parses _newsform (zsh -n)" zsh -n "$ZSHC"
else
  skip "zsh missing"
fi
