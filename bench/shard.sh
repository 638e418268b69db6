#!/bin/sh
# bench/shard.sh (make bench-shard): what sharding costs. Over the shared
# corpus pages (../shared, skipped when absent) listed REPEAT times in an
# --inputs file, in the same run: one process over everything; the same
# as N shards one after the other (each also reads its inputs once more
# for the manifest's CRC-32s); --resume over N complete shards (manifest
# checks only). Medians of 3.
set -u
cd "$(dirname "$0")/.." || exit 1
NF=${NEWSFORM:-./newsform}
export NEWSFORM_PATH="$PWD/scripts"
SHARED=$(cd .. && cd shared 2>/dev/null && pwd)
[ -n "$SHARED" ] || { echo "bench/shard.sh: ../shared missing, skipped"; exit 0; }
REPEAT=${REPEAT:-10}
N=${SHARDS:-4}
J=${JOBS:-2}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
find "$SHARED/corpus" -type f -name '*.html*' | sort >"$T/pages"
i=0
# sorted, as shards take their units: the single run then has their order
while [ $i -lt "$REPEAT" ]; do cat "$T/pages"; i=$((i + 1)); done | LC_ALL=C sort >"$T/list"
pages=$(wc -l <"$T/list" | tr -d ' ')
mb=$(xargs cat <"$T/list" | wc -c | awk '{ printf "%.1f", $1 / 1048576 }')

now() { date +%s.%N; }
median() { sort -n | sed -n 2p; }
time3() { # time3 CMD...: median seconds of 3 runs
  for r in 1 2 3; do
    s=$(now); "$@" >/dev/null 2>&1; e=$(now)
    awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f\n", b - a }'
  done | median
}
single() { "$NF" json -q -j "$J" --inputs "$T/list" -o "$T/single.jsonl.gz"; }
shards() {
  rm -rf "$T/sh"; mkdir -p "$T/sh"
  k=0
  while [ $k -lt "$N" ]; do
    "$NF" json -q -j "$J" --shard $k/"$N" --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz"
    k=$((k + 1))
  done
}
resume() {
  k=0
  while [ $k -lt "$N" ]; do
    "$NF" json -q --resume --shard $k/"$N" --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz"
    k=$((k + 1))
  done
}

t_single=$(time3 single)
t_shards=$(time3 shards)
t_resume=$(time3 resume)
same=no
k=0
while [ $k -lt "$N" ]; do gzip -dc "$T/sh/part-$(printf %05d $k)-of-$(printf %05d "$N").jsonl.gz"; k=$((k + 1)); done |
  cmp -s - "$(gzip -dc "$T/single.jsonl.gz" >"$T/single.jsonl"; echo "$T/single.jsonl")" && same=yes
echo "inputs: $pages pages ($mb MB on disk), -j $J, $N shards"
printf 'single run          %7.3f s  %6.0f pages/s\n' "$t_single" "$(awk -v p="$pages" -v t="$t_single" 'BEGIN { print p / t }')"
printf '%d shards in a row   %7.3f s  %6.0f pages/s  (%.2fx the single run)\n' "$N" "$t_shards" \
  "$(awk -v p="$pages" -v t="$t_shards" 'BEGIN { print p / t }')" \
  "$(awk -v a="$t_shards" -v b="$t_single" 'BEGIN { print a / b }')"
printf -- '--resume, all done  %7.3f s  (%.1f%% of the run)\n' "$t_resume" \
  "$(awk -v a="$t_resume" -v b="$t_shards" 'BEGIN { print 100 * a / b }')"
echo "shards concatenated = single run: $same"
