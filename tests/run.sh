#!/bin/sh
# tests/run.sh BUILD:OUT [BUILD:OUT ...]
# Runs every test program of each build: C tests (BUILD/tests/test_*), fuzz
# replays (BUILD/fuzz-replay/replay_*: tests/fuzz/corpus and regressions), Lua
# tests (tests/lua/test_*.lua through BUILD/tests/lua_runner) and CLI tests
# (tests/cli/test_*.sh with NEWSFORM=OUT/newsform). Each prints TAP-style
# "ok"/"not ok" lines; a program that dies without saying why counts as one
# failure. Ends with one line: "N passed, N failed, N skipped".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
export NEWSFORM_PATH="$ROOT/scripts"
# Sanitizer reports go to files, so that a report from a newsform process
# deep inside a CLI test (whose exit status the test may not check) still
# fails the run.
SANLOG=$(mktemp -d)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99:log_path=$SANLOG/asan:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$SANLOG/ubsan:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
TIMEOUT=${NF_TEST_TIMEOUT:-900}
passed=0 failed=0 skipped=0
log=$(mktemp); trap 'rm -rf "$log" "$SANLOG"' EXIT

run_one() { # label command...
  label=$1; shift
  timeout "$TIMEOUT" "$@" >"$log" 2>&1
  rc=$?
  p=$(grep -c '^ok' "$log"); f=$(grep -c '^not ok' "$log")
  s=$(grep -c '^ok.*# [Ss][Kk][Ii][Pp]' "$log")
  p=$((p - s))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1; echo "not ok - $label exited with status $rc"
  fi
  if [ -n "$(ls "$SANLOG")" ]; then
    f=$((f + 1)); echo "not ok - $label: sanitizer report" >>"$log"
    cat "$SANLOG"/* | head -40 >>"$log"; rm -f "$SANLOG"/*
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$f" -gt 0 ]; then
    echo "FAIL $label ($p passed, $f failed)"
    grep -v '^ok' "$log" | head -60 | sed 's/^/    /'
  else
    echo "pass $label ($p passed${s:+, $s skipped})"
  fi
}

for pair in "$@"; do
  build=${pair%%:*}; out=${pair#*:}
  echo "== tests on $build"
  for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$t" "$t"
  done
  # Fuzz harnesses with a plain main: every corpus and regression input.
  for t in "$build"/fuzz-replay/replay_*; do
    [ -x "$t" ] || continue
    run_one "$t" "$t"
  done
  for t in tests/lua/test_*.lua; do
    [ -f "$t" ] || continue
    run_one "$t [$build]" "$build/tests/lua_runner" "$t"
  done
  for t in tests/cli/test_*.sh; do
    [ -f "$t" ] || continue
    run_one "$t [$build]" env NEWSFORM="$ROOT/$out/newsform" NF_BUILD="$build" sh "$t"
  done
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
