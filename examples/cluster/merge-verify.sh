#!/bin/sh
# merge-verify.sh DIR OUT: checks the shards newsform wrote into DIR
# (part-KKKKK-of-NNNNN.EXT, each with its PART.manifest.json) and
# concatenates them, in shard order, into OUT.
#
# Checks, before anything is written: every shard 0..N-1 is there, once;
# each has its manifest, which says "complete": true, the same shard count,
# the same newsform version, script digest and settings as the others, and
# the size of the part beside it. Then OUT is the parts one after the other
# (gzip parts stay gzip: a multi-member gzip file reads as their
# concatenation), written to a temporary file and renamed. Exit 0 when
# merged; 1, with one line per problem, when not (OUT not written).
#   sh merge-verify.sh out/ corpus.jsonl.gz
set -u
[ $# -eq 2 ] || { echo "usage: merge-verify.sh DIR OUT" >&2; exit 2; }
dir=${1%/}
out=$2
problems=0
bad() { echo "merge-verify: $*" >&2; problems=$((problems + 1)); }

parts=$(cd "$dir" 2>/dev/null && ls | grep -E '^part-[0-9]+-of-[0-9]+\.' | grep -v '\.manifest\.json$' | sort)
[ -n "$parts" ] || { echo "merge-verify: $dir: no part-K-of-N files" >&2; exit 1; }
# The shard count, from the first name: all must agree.
n=$(printf '%s\n' "$parts" | sed -n '1s/^part-[0-9]*-of-0*\([0-9][0-9]*\)\..*/\1/p')
w=${#n}; [ "$w" -lt 5 ] && w=5
count=$(printf '%s\n' "$parts" | wc -l | tr -d ' ')
[ "$count" -eq "$n" ] || bad "$dir: $count parts for $n shards"

# The manifest's key without its shard and inputs: the same for all.
same_key() { sed -n '/"newsform":/p; /"script":/p; /"settings":/p' "$1"; }
first_key=""
records=0 failed=0 k=0
for p in $parts; do
  f=$dir/$p
  want=$(printf "part-%0${w}d-of-%0${w}d" "$k" "$n")
  case $p in
    "$want".*) ;;
    *) bad "$p: expected $want here (a shard missing?)" ;;
  esac
  m=$f.manifest.json
  if [ ! -f "$m" ]; then
    bad "$p: no manifest ($m): incomplete, rerun it with --resume"
    k=$((k + 1)); continue
  fi
  grep -q '"complete": true' "$m" || bad "$p: manifest does not say complete"
  grep -q "\"count\": $n}" "$m" || bad "$p: manifest is not one of $n shards"
  key=$(same_key "$m")
  if [ -z "$first_key" ]; then first_key=$key
  elif [ "$key" != "$first_key" ]; then bad "$p: another version, script or settings than shard 0"; fi
  size=$(sed -n 's/.*"output_size": \([0-9]*\).*/\1/p' "$m")
  have=$(wc -c <"$f" | tr -d ' ')
  [ "$size" = "$have" ] || bad "$p: $have bytes, its manifest says $size"
  r=$(sed -n 's/.*"records": \([0-9]*\).*/\1/p' "$m")
  x=$(sed -n 's/.*"failed": \([0-9]*\).*/\1/p' "$m")
  records=$((records + ${r:-0})); failed=$((failed + ${x:-0}))
  k=$((k + 1))
done
[ "$problems" -eq 0 ] || { echo "merge-verify: $problems problem(s); $out not written" >&2; exit 1; }

tmp=$out.merge-tmp.$$
(cd "$dir" && cat $parts) >"$tmp" && mv "$tmp" "$out" || { rm -f "$tmp"; exit 1; }
echo "merge-verify: $n shards, $records records ($failed failed) -> $out"
