#!/bin/sh
# bench/select.sh: times CSS selection (and XPath, for comparison) over the
# extraction corpus pages; prints the median and slowest page per selector.
#   sh bench/select.sh [-n REPS]
# Skips when the shared corpus (../shared from the repo) is absent.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=${NF_CORPUS:-$ROOT/../shared/corpus/extraction/html}
if ! ls "$CORPUS"/*.html.gz >/dev/null 2>&1; then
  echo "select bench: skipped (no pages in $CORPUS)"
  exit 0
fi
make -s libnewsform.a
mkdir -p build/bench
# The Makefile's flags (optimized, no sanitizers) for a one-file driver.
${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -O2 -g -Iinclude -Icore \
  $(pkg-config --cflags libxml-2.0 zlib) -o build/bench/select_bench \
  bench/select_bench.c libnewsform.a $(pkg-config --libs libxml-2.0 zlib libdeflate) -lm
build/bench/select_bench "$@" "$CORPUS"/*.html.gz
