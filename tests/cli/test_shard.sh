#!/bin/sh
# Large runs by emulation: --shard K/N and --shard slurm (N shards run one
# after the other with the Slurm variables set) over files, a directory and
# bundles (a bundle is one unit, never split); the shards' outputs
# concatenated equal a single run's; {shard} names; manifests; reruns
# byte-identical; a killed shard and a failing one finished by --resume; a
# changed input or setting redone; --inputs FILE; --stats; and
# examples/cluster/merge-verify.sh.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
export NEWSFORM_PATH="$ROOT/scripts"
T=$T_TMP
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT SLURM_ARRAY_TASK_MIN

# ----- Inputs: loose files, a directory, a tar.gz and a jsonl.gz ------------
page='<html><head><title>Page %s</title></head><body><article><h1>Page %s</h1><p>The council met on a quiet evening to talk about the river, the bridge and the harbour, as it does every week of the year.</p></article></body></html>'
write_pages "$T/in/dir" 9 "$page"
write_pages "$T/tarsrc" 3 "$page"
(cd "$T/tarsrc" && tar czf "$T/in/b.tar.gz" p0001.html p0002.html p0003.html)
printf '{"url":"https://example.org/%s","html":"<h1>Line %s</h1><p>A line of the JSON Lines bundle with a few words in it.</p>"}\n' \
  1 1 2 2 3 3 4 4 | gzip -n >"$T/in/c.jsonl.gz"
printf "$page" one one >"$T/in/loose one.html"
printf "$page" two two >"$T/in/two.html"
# 13 units: 1 + 1 + 9 + 1 + 1 (a name with a space: kept in a list file),
# listed in sorted order (the single run's order is the shards' order), and
# the same list shuffled: shards sort their units, whatever the order given.
printf '%s\n' "$T/in/b.tar.gz" "$T/in/c.jsonl.gz" "$T/in/dir" "$T/in/loose one.html" \
  "$T/in/two.html" >"$T/list"
printf '%s\n' "$T/in/two.html" "$T/in/dir" "$T/in/loose one.html" "$T/in/c.jsonl.gz" \
  "$T/in/b.tar.gz" >"$T/shuffled"

"$NEWSFORM" json --inputs "$T/list" -o "$T/single.jsonl.gz" 2>"$T/err"
expect_eq "single run: exit 0" "$?$(cat "$T/err")" "0"
"$NEWSFORM" text --inputs "$T/list" >"$T/single.txt" 2>/dev/null
expect_eq "single run: 9 + 3 + 4 + 2 = 18 records" \
  "$(gzip -dc "$T/single.jsonl.gz" | wc -l | tr -d ' ')" "18"

# ----- --inputs FILE ----------------------------------------------------------
"$NEWSFORM" text "$T/in/b.tar.gz" "$T/in/c.jsonl.gz" "$T/in/dir" \
  "$T/in/loose one.html" "$T/in/two.html" >"$T/argv.txt" 2>/dev/null
check "--inputs FILE: the same output as the names given as arguments" \
  cmp -s "$T/argv.txt" "$T/single.txt"
printf '\n%s\n\n%s\r\n' "$T/in/c.jsonl.gz" "$T/in/two.html" >"$T/list2"
got=$("$NEWSFORM" -e 'return ctx.input' --inputs "$T/list2" "$T/in/loose one.html" 2>&1)
expect_eq "--inputs: after the arguments; blank lines and CRs skipped; spaces kept" \
  "$got" "$T/in/loose one.html
$T/in/c.jsonl.gz:https://example.org/1
$T/in/c.jsonl.gz:https://example.org/2
$T/in/c.jsonl.gz:https://example.org/3
$T/in/c.jsonl.gz:https://example.org/4
$T/in/two.html"
got=$(printf '%s\n' "$T/in/two.html" | "$NEWSFORM" -e 'return ctx.input' --inputs - 2>&1)
expect_eq "--inputs -: the list on standard input" "$got" "$T/in/two.html"
run -e 'return 1' --inputs "$T/nolist"
expect_match "--inputs of a missing file: one line naming it, exit 1" "$RC $ERR" \
  "^1 newsform: --inputs $T/nolist: No such file"
out=$(printf 'x\n' | "$NEWSFORM" -e 'return 1' --inputs - - 2>&1); rc=$?
expect_match "--inputs - with the input '-': usage error" "$rc $out" "^2 .*both read standard input"

# ----- N shards in sequence, as a Slurm array runs them ------------------------
mkdir -p "$T/sh" "$T/txt"
bad=""
for k in 0 1 2 3; do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=4 "$NEWSFORM" json --shard slurm \
    --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz" 2>>"$T/err" || bad="$bad $k"
  "$NEWSFORM" text --shard $k/4 --inputs "$T/list" -o "$T/txt/{shard}.txt" \
    2>>"$T/err" || bad="$bad text$k"
done
expect_eq "4 shards (--shard slurm, --shard K/4): each exits 0" "$bad" ""
expect_eq "{shard} names: part-KKKKK-of-NNNNN" "$(cd "$T/sh" && ls *.jsonl.gz | tr '\n' ' ')" \
  "part-00000-of-00004.jsonl.gz part-00001-of-00004.jsonl.gz part-00002-of-00004.jsonl.gz part-00003-of-00004.jsonl.gz "
for k in 0 1 2 3; do gzip -dc "$T/sh/part-0000$k-of-00004.jsonl.gz"; done >"$T/merged.jsonl"
gzip -dc "$T/single.jsonl.gz" >"$T/single.jsonl"
check "jsonl.gz shards concatenated (decompressed) = the single run" \
  cmp -s "$T/merged.jsonl" "$T/single.jsonl"
cat "$T/txt"/part-0000[0-3]-of-00004.txt >"$T/merged.txt"
check "text shards concatenated = the single run" cmp -s "$T/merged.txt" "$T/single.txt"
mkdir -p "$T/shuf"
for k in 0 1 2 3; do
  "$NEWSFORM" text --shard $k/4 --inputs "$T/shuffled" -o "$T/shuf/{shard}.txt" 2>/dev/null
done
cat "$T/shuf"/part-0000[0-3]-of-00004.txt >"$T/merged-shuf.txt"
check "shards of the list given in another order: the same sorted units, the same output" \
  cmp -s "$T/merged-shuf.txt" "$T/single.txt"
"$NEWSFORM" text --shard 0/1 --inputs "$T/shuffled" >"$T/one-shard.txt" 2>/dev/null
check "--shard 0/1: the single run over the sorted units" cmp -s "$T/one-shard.txt" "$T/single.txt"
"$NEWSFORM" text --inputs "$T/shuffled" >"$T/shuffled.txt" 2>/dev/null
check "without --shard: the order given" sh -c "! cmp -s '$T/shuffled.txt' '$T/single.txt'"
# 13 units in 4 contiguous ranges: 3, 3, 3, 4 (b.tar.gz is unit 0 of 0..12).
counts=""
for k in 0 1 2 3; do
  n=$(grep -c '"name"' "$T/sh/part-0000$k-of-00004.jsonl.gz.manifest.json")
  counts="$counts$n "
done
expect_eq "units per shard: contiguous ranges differing by one at most" "$counts" "3 3 3 4 "
holders=$(grep -l '"name": ".*b.tar.gz"' "$T"/sh/*.manifest.json | wc -l | tr -d ' ')
expect_eq "a bundle is one unit: in exactly one shard's manifest" "$holders" "1"
recs=$(grep -o '"records": [0-9]*' "$T/sh/part-00000-of-00004.jsonl.gz.manifest.json")
expect_eq "manifest: record count (b.tar.gz's 3, c.jsonl.gz's 4, p0001)" "$recs" '"records": 8'
m=$T/sh/part-00001-of-00004.jsonl.gz.manifest.json
expect_match "manifest: inputs with size and crc32" "$(cat "$m")" \
  '"name": "[^"]*/dir/p0003.html", "size": [0-9]+, "crc32": "[0-9a-f]{8}"'
expect_match "manifest: the script's digest and newsform's version" "$(tr -d "\n" <"$m")" \
  '"newsform": "[0-9.]+".*"script": \{"size": [0-9]+, "crc32": "[0-9a-f]{8}"\}'
if have python3; then
  check "manifest is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$m"
else
  skip "python3 missing"
fi
expect_eq "no temporary files left" "$(ls -A "$T/sh" | grep -c newsform-tmp)" "0"

# More shards than units: the extra shards are empty, and complete.
mkdir -p "$T/many"
for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
  "$NEWSFORM" text --shard $k/20 --inputs "$T/list" -o "$T/many/{shard}.txt" 2>/dev/null ||
    echo "shard $k failed"
done >"$T/many.log"
cat "$T"/many/part-000??-of-00020.txt >"$T/many.txt"
check "20 shards over 13 units: concatenated = the single run" cmp -s "$T/many.txt" "$T/single.txt"
expect_eq "20 shards over 13 units: every one exits 0 with a manifest" \
  "$(cat "$T/many.log")$(ls "$T"/many/*.manifest.json | wc -l | tr -d ' ')" "20"
mkdir -p "$T/wide"
"$NEWSFORM" text --shard 42/123456 -o "$T/wide/{shard}.txt" "$T/in/two.html" 2>/dev/null
check "six digits when N has six: part-000042-of-123456" test -f "$T/wide/part-000042-of-123456.txt"

got=$(for k in 0 1 2; do printf '<p>from stdin</p>' | "$NEWSFORM" -e 'return doc.text' --shard $k/3; done)
expect_eq "standard input is one unit: read by one shard of three" "$got" "from stdin"

# ----- Usage -------------------------------------------------------------------
run text --shard 4/4 "$T/in/two.html"
expect_match "--shard 4/4: usage error (K counts from 0)" "$RC $ERR" "^2 .*K/N with 0 <= K < N"
run text --shard slurm "$T/in/two.html"
expect_match "--shard slurm outside a job array: a clear usage error" "$RC $ERR" \
  "^2 .*SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set"
got=$(SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=1 \
  "$NEWSFORM" text --shard slurm -o "$T/wide/{shard}.txt" "$T/in/two.html" 2>&1; echo $?)
check "--array=1-4: task 4 is shard 3 of 4" test -f "$T/wide/part-00003-of-00004.txt"
run text --resume "$T/in/two.html"
expect_match "--resume without -o: usage error" "$RC $ERR" "^2 .*--resume needs -o"

# ----- Reruns are byte-identical (tar.gz entry times too) --------------------------
mkdir -p "$T/re"
"$NEWSFORM" html --shard 2/4 --inputs "$T/list" -o "$T/re/{shard}.tar.gz" 2>/dev/null
cp "$T/re/part-00002-of-00004.tar.gz" "$T/re/first.tar.gz"
cp "$T/re/part-00002-of-00004.tar.gz.manifest.json" "$T/re/first.json"
sleep 1
"$NEWSFORM" html --shard 2/4 --inputs "$T/list" -o "$T/re/{shard}.tar.gz" 2>/dev/null
check "rerun: the same tar.gz, byte for byte" cmp -s "$T/re/first.tar.gz" "$T/re/part-00002-of-00004.tar.gz"
check "rerun: the same manifest" cmp -s "$T/re/first.json" "$T/re/part-00002-of-00004.tar.gz.manifest.json"

# ----- --resume ------------------------------------------------------------------
o1=$T/sh/part-00001-of-00004.jsonl.gz
before=$(ls -li "$o1")
sleep 1
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=4 "$NEWSFORM" json --shard slurm --resume \
  --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz" >"$T/o" 2>"$T/e"; rc=$?
expect_match "--resume: a complete shard is skipped, exit 0" "$rc $(cat "$T/e")" \
  "^0 newsform: $o1: complete, skipped"
expect_eq "--resume: its output untouched" "$(ls -li "$o1")" "$before"
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=4 "$NEWSFORM" json --shard slurm --resume -q \
  --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz" >"$T/o" 2>"$T/e"
expect_eq "--resume -q: nothing said" "$(cat "$T/o" "$T/e")" ""

# A changed input: redone.
cp "$T/in/dir/p0003.html" "$T/p0003.bak"
printf "$page" changed changed >"$T/in/dir/p0003.html"
"$NEWSFORM" json --shard 1/4 --resume --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz" 2>"$T/e"
expect_match "--resume: a changed input is redone" "$(gzip -dc "$o1")" "Page changed"
cp "$T/p0003.bak" "$T/in/dir/p0003.html"
"$NEWSFORM" json --shard 1/4 --resume --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz" 2>"$T/e"
# A changed setting: redone.
"$NEWSFORM" json --shard 1/4 --resume --set indent=1 --inputs "$T/list" \
  -o "$T/sh/{shard}.jsonl.gz" 2>"$T/e"
expect_match "--resume: a changed --set is redone" "$(gzip -dc "$o1" | head -2)" '^\{
 "'
"$NEWSFORM" json --shard 1/4 --resume --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz" 2>"$T/e"
for k in 0 1 2 3; do gzip -dc "$T/sh/part-0000$k-of-00004.jsonl.gz"; done >"$T/merged.jsonl"
check "after the redos, the shards still concatenate to the single run" \
  cmp -s "$T/merged.jsonl" "$T/single.jsonl"
# An output that is not the one the manifest describes: redone.
cp "$o1" "$T/o1.good"
printf 'junk' >"$o1"
"$NEWSFORM" json --shard 1/4 --resume --inputs "$T/list" -o "$T/sh/{shard}.jsonl.gz" 2>"$T/e"
check "--resume: an output of another size than recorded is redone" cmp -s "$o1" "$T/o1.good"

# A killed shard (kill -9 in the middle): nothing published; --resume redoes it.
slow='local t = os.clock() while os.clock() - t < 0.15 do end return doc.title'
mkdir -p "$T/kill"
"$NEWSFORM" -j 1 -e "$slow" --shard 1/4 --inputs "$T/list" -o "$T/kill/{shard}.txt" \
  2>/dev/null &
pid=$!
i=0
while [ $i -lt 100 ] && ! ls -A "$T/kill" | grep -q newsform-tmp; do sleep 0.05; i=$((i + 1)); done
sleep 0.2
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
k=$T/kill/part-00001-of-00004.txt
check "killed shard: no output published" test ! -e "$k"
check "killed shard: no manifest" test ! -e "$k.manifest.json"
expect_eq "killed shard: its temporary file left behind (kill -9)" \
  "$(ls -A "$T/kill" | grep -c newsform-tmp)" "1"
"$NEWSFORM" -j 1 -e "$slow" --shard 1/4 --resume --inputs "$T/list" -o "$T/kill/{shard}.txt" 2>"$T/e"
expect_eq "killed shard, --resume: exit 0" "$?" "0"
expect_eq "killed shard, --resume: all 3 records" "$(wc -l <"$k" | tr -d ' ')" "3"
expect_eq "killed shard, --resume: the stale temporary file removed" \
  "$(ls -A "$T/kill" | grep -c newsform-tmp)" "0"
check "killed shard, --resume: manifest written" test -f "$k.manifest.json"

# A failing input: without -k the shard fails whole (exit 1, nothing
# published); with -k it completes, its manifest lists the failure, exit 1.
mkdir -p "$T/fail"
printf '%s\n' "$T/in/two.html" "$T/in/gone.html" "$T/in/loose one.html" >"$T/flist"
"$NEWSFORM" -e 'return doc.title' --shard 0/1 --inputs "$T/flist" -o "$T/fail/{shard}.txt" 2>"$T/e"; rc=$?
f=$T/fail/part-00000-of-00001.txt
expect_eq "failing input: exit 1, no output, no manifest" \
  "$rc $(ls -A "$T/fail" | wc -l | tr -d ' ')" "1 0"
"$NEWSFORM" -e 'return doc.title' -k --shard 0/1 --inputs "$T/flist" -o "$T/fail/{shard}.txt" 2>"$T/e"; rc=$?
expect_eq "-k: the shard completes; exit 1 (an input failed)" "$rc $(wc -l <"$f" | tr -d ' ')" "1 2"
expect_match "-k: the manifest counts and lists the failure" "$(tr -d "\n" <"$f.manifest.json")" \
  '"failed": 1, .*"input": "[^"]*gone.html", "error": "[^"]*gone.html: No such file'
"$NEWSFORM" -e 'return doc.title' -k --resume --shard 0/1 --inputs "$T/flist" -o "$T/fail/{shard}.txt" 2>"$T/e"; rc=$?
expect_match "--resume of a shard with failures: skipped, exit 1 again" "$rc $(cat "$T/e")" \
  "^1 .*complete, skipped.*lists failed inputs"
printf "$page" back back >"$T/in/gone.html"
"$NEWSFORM" -e 'return doc.title' -k --resume --shard 0/1 --inputs "$T/flist" -o "$T/fail/{shard}.txt" 2>"$T/e"; rc=$?
expect_eq "--resume once the input is there: redone, exit 0, 3 records" \
  "$rc $(wc -l <"$f" | tr -d ' ')" "0 3"
rm -f "$T/in/gone.html"

# ----- --stats FILE.json -----------------------------------------------------------
mkdir -p "$T/st"
cp "$T/in/two.html" "$T/st/a.html"
printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\2\0>\0' >"$T/st/prog"
printf '<p></p>' >"$T/st/empty.html"
"$NEWSFORM" -k -e 'if ctx.input:match("empty") then return nil end return "x"' --stats "$T/stats.json" \
  "$T/st" "$T/in/c.jsonl.gz" "$T/in/gone.html" >/dev/null 2>&1
if have python3; then
  got=$(python3 - "$T/stats.json" "$T/st/a.html" "$T/st/prog" "$T/st/empty.html" "$T/in/c.jsonl.gz" <<'EOF'
import json, os, sys
s = json.load(open(sys.argv[1]))
r = s["records"]
size = sum(os.path.getsize(p) for p in sys.argv[2:])
print(s["inputs"], r["read"], r["kept"], r["failed"], r["skipped_by_reason"],
      s["failures"], s["bytes_in"] == size, s["bytes_out"], s["seconds"] >= 0)
EOF
)
  expect_eq "--stats: inputs, records read/kept/failed, skips by reason, bytes, seconds" "$got" \
    "5 7 5 1 {'binary': 1, 'no result': 1} 1 True 10 True"
else
  skip "python3 missing"
fi

# ----- examples/cluster/merge-verify.sh ----------------------------------------------
MV=examples/cluster/merge-verify.sh
sh "$MV" "$T/sh" "$T/merged-by-script.jsonl.gz" >"$T/mv.out" 2>&1
expect_eq "merge-verify.sh: exit 0 over 4 complete shards" "$?" "0"
check "merge-verify.sh: merged = the single run" \
  sh -c "gzip -dc '$T/merged-by-script.jsonl.gz' | cmp -s - '$T/single.jsonl'"
rm "$T/sh/part-00002-of-00004.jsonl.gz.manifest.json"
sh "$MV" "$T/sh" "$T/m2.jsonl.gz" >"$T/mv.out" 2>&1; rc=$?
expect_match "merge-verify.sh: a shard without its manifest fails the check" \
  "$rc $(cat "$T/mv.out")" "^1 .*part-00002-of-00004.jsonl.gz"
check "merge-verify.sh: nothing merged then" test ! -e "$T/m2.jsonl.gz"
