#!/bin/sh
# bench/slow_paths.sh: the known slow shapes on synthetic pages (see
# bench/slow_paths.c); needs no corpus.
#   sh bench/slow_paths.sh [-n REPS] [LIBRARY]   (LIBRARY: another build's
#   libnewsform.a with its include/, to measure before a change)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
REPS=""
if [ "${1:-}" = "-n" ]; then REPS="-n $2"; shift 2; fi
LIB=${1:-libnewsform.a}
[ "$LIB" = libnewsform.a ] && make -s libnewsform.a
INC=$(dirname "$LIB")/include
mkdir -p build/bench
${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -O2 -g -I"$INC" \
  $(pkg-config --cflags libxml-2.0 zlib) -o build/bench/slow_paths \
  bench/slow_paths.c "$LIB" $(pkg-config --libs libxml-2.0 zlib libdeflate) -lpthread -lm
build/bench/slow_paths $REPS
