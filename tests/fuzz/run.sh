#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS [HARNESS...]: `make fuzz-run`. Runs each
# libFuzzer harness (BUILD/fuzz_NAME, made by `make fuzz`) for SECONDS, one
# at a time (the machines have two cores), from its seed corpus
# (tests/fuzz/corpus/NAME/) and kept findings (tests/fuzz/regressions/NAME/)
# with its dictionary (tests/fuzz/dict/). New inputs go to BUILD/work/NAME/,
# findings (crash-*, leak-*, timeout-*, oom-*) to BUILD/findings/NAME/, the
# log to BUILD/logs/NAME.log; the repository is never written. Prints per
# harness: executions, executions per second, coverage (cov/ft of
# libFuzzer's last status line), findings. Exit status 1 if any finding.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${1:-build/fuzz}
SECS=${2:-60}
shift 2 2>/dev/null || shift $#
HARNESSES=${*:-page select xpath bundle json lua}

dicts_of() {
  case $1 in
    page|lua) echo html ;;
    select) echo "css html" ;;
    xpath) echo "xpath html" ;;
    bundle) echo "archive html" ;;
    json) echo json ;;
  esac
}

export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
mkdir -p "$BUILD/dict" "$BUILD/logs"
total=0
printf '%-8s %12s %9s %7s %7s %9s\n' harness executions exec/s cov ft findings
for h in $HARNESSES; do
  bin=$BUILD/fuzz_$h
  if [ ! -x "$bin" ]; then
    echo "$h: $bin missing (make fuzz)"; total=$((total + 1)); continue
  fi
  work=$BUILD/work/$h found=$BUILD/findings/$h log=$BUILD/logs/$h.log
  mkdir -p "$work" "$found"
  dict=$BUILD/dict/$h.dict
  : >"$dict"
  for d in $(dicts_of "$h"); do cat "tests/fuzz/dict/$d.dict" >>"$dict"; done
  seeds="tests/fuzz/corpus/$h"
  [ -d "tests/fuzz/regressions/$h" ] && seeds="$seeds tests/fuzz/regressions/$h"
  before=$(ls "$found" | wc -l)
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$SECS" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
    -dict="$dict" -artifact_prefix="$found/" -print_final_stats=1 \
    "$work" $seeds >"$log" 2>&1
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  new=$(( $(ls "$found" | wc -l) - before ))
  total=$((total + new))
  printf '%-8s %12s %9s %7s %7s %9s\n' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "$new"
  if [ "$new" -gt 0 ]; then
    ls -t "$found" | head -"$new" | sed "s|^|    $found/|"
    grep -m3 -E '^(==[0-9]+==ERROR|newsform fuzz:|SUMMARY)' "$log" | sed 's/^/    /'
  fi
done
echo "findings: $total (replay one with build/fuzz-replay/replay_NAME FILE;" \
  "keep it as tests/fuzz/regressions/NAME/ once fixed)"
[ "$total" -eq 0 ]
