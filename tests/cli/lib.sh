# tests/cli/lib.sh: helpers for CLI tests (sourced). NEWSFORM is the binary.
# Each check prints "ok N - name" or "not ok N - name".
: "${NEWSFORM:?NEWSFORM must name the newsform binary}"
T_N=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT
ROOT=$(cd "$(dirname "$0")/../.." && pwd)    # the repository
SHARED=$(cd "$ROOT/.." && cd shared 2>/dev/null && pwd)
ok()      { T_N=$((T_N+1)); echo "ok $T_N - $1"; }
not_ok()  { T_N=$((T_N+1)); echo "not ok $T_N - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }
skip()    { T_N=$((T_N+1)); echo "ok $T_N - # SKIP $1"; }
check()   { name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
# expect_eq NAME GOT WANT
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2
want: $3"; fi; }
# expect_match NAME GOT EXTENDED-REGEX
expect_match() { if printf '%s' "$2" | grep -Eq -- "$3"; then ok "$1"; else not_ok "$1" "got: $2
want match: $3"; fi; }
# run ARGS...: runs $NEWSFORM with stdin from /dev/null (unless redirected);
# sets OUT, ERR (their text) and RC (the exit status).
run() {
  "$NEWSFORM" "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
  RC=$?
  OUT=$(cat "$T_TMP/out")
  ERR=$(cat "$T_TMP/err")
}
# have COMMAND: is it installed?
have() { command -v "$1" >/dev/null 2>&1; }
EPUBCHECK=/usr/share/java/epubcheck.jar
have_epubcheck() { have java && [ -f "$EPUBCHECK" ]; }
# write_pages DIR COUNT FORMAT: DIR/p0001.html ... each printf FORMAT N N.
write_pages() {
  mkdir -p "$1"
  wp_i=1
  while [ $wp_i -le "$2" ]; do
    printf "$3" $wp_i $wp_i >"$1/p$(printf %04d $wp_i).html"
    wp_i=$((wp_i + 1))
  done
}
