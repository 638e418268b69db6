#!/bin/sh
# make bench: every benchmark in bench/, each printing medians of several
# runs and ratios against a baseline measured in the same run.
set -u
cd "$(dirname "$0")/.." || exit 1
status=0
for b in bench/extract.sh bench/select.sh bench/slow_paths.sh bench/cli.sh; do
  [ -f "$b" ] || continue
  echo "== $b"
  sh "$b" || status=1
done
exit $status
