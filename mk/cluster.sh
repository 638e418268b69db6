#!/bin/sh
# mk/cluster.sh: `make check-cluster`. Runs the recipes of examples/cluster/
# under real engines on this machine and compares each merged result with
# a single run over the same inputs:
#   - a one-node Slurm: munged, slurmctld and slurmd from Debian, started
#     here with a generated slurm.conf and munge key in a temporary
#     directory, on 127.0.0.1 only (ports 16817/16818), running
#     examples/cluster/slurm-array.sh as `sbatch --array=0-N`; then one task
#     is spoiled and the array resubmitted (--resume redoes that one only);
#   - GNU parallel, local, running examples/cluster/parallel.sh.
# Every daemon started here is stopped at the end (by its pid file).
# Needs root (the daemons) and slurm-wlm munge parallel (mk/deps.sh
# cluster installs them). Not part of `make test`: it starts daemons.
# usage: sh mk/cluster.sh NEWSFORM  (the binary to run)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NF=${1:-$ROOT/newsform}
export NEWSFORM="$NF" NEWSFORM_PATH="$ROOT/scripts"
SHARDS=${NF_CLUSTER_SHARDS:-6}
fails=0
say() { echo "check-cluster: $*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
ok() { say "ok - $*"; }
not_ok() { say "FAIL - $*"; fails=$((fails + 1)); }

[ "$(id -u)" = 0 ] || { say "needs root (munged, slurmctld, slurmd)"; exit 1; }
for c in munged slurmctld slurmd sbatch sinfo parallel; do
  command -v "$c" >/dev/null || { say "$c missing (sh mk/deps.sh cluster)"; exit 1; }
done

W=$(mktemp -d /tmp/newsform-cluster.XXXXXX)
chmod 755 "$W"
stop() {
  for f in "$W/slurmd.pid" "$W/slurmctld.pid" "$W/munge/pid"; do
    [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  sleep 1
  rm -rf "$W"
}
trap stop EXIT
trap 'exit 1' INT TERM

# ---- the inputs: pages in directories, bundles, loose files -----------------
mkdir -p "$W/in"
i=0
while [ $i -lt 300 ]; do
  d=$W/in/site$((i % 7))
  mkdir -p "$d"
  printf '<html><head><title>Article %d</title><meta property="article:published_time" content="2024-03-%02dT08:00:00Z"></head><body><article><h1>Article %d</h1><p>Paragraph one of article %d: the harbour board met on a grey morning to talk about the dredging of the channel and the fees of the coming season.</p><p>Paragraph two of article %d, with a few more words so that the extractor has a body to keep.</p></article></body></html>' \
    $i $((i % 28 + 1)) $i $i $i >"$d/a$(printf %04d $i).html"
  i=$((i + 1))
done
(cd "$W/in/site0" && tar czf "$W/in/bundle0.tar.gz" a00[0-4]*.html)
i=0
while [ $i -lt 200 ]; do
  printf '{"url":"https://example.org/%d","html":"<h1>Line %d</h1><p>A record of the JSON Lines bundle, %d, with enough words to be read as an article body.</p>"}\n' $i $i $i
  i=$((i + 1))
done | gzip -n >"$W/in/lines.jsonl.gz"
{ ls -d "$W"/in/site*; echo "$W/in/bundle0.tar.gz"; echo "$W/in/lines.jsonl.gz"; } >"$W/list"

start=$(date +%s.%N)
"$NF" json -q --inputs "$W/list" -o "$W/single.jsonl.gz" || not_ok "single run"
single_s=$(elapsed "$start")
gzip -dc "$W/single.jsonl.gz" >"$W/single.jsonl"
records=$(wc -l <"$W/single.jsonl" | tr -d ' ')
say "single run: $records records in ${single_s}s"

# ---- munge and a one-node Slurm ------------------------------------------------
mkdir -p "$W/munge" "$W/state" "$W/spool" "$W/log" "$W/slurm-out"
chmod 700 "$W/munge"
dd if=/dev/urandom of="$W/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$W/munge/munge.key"
munged --force --socket="$W/munge/sock" --key-file="$W/munge/munge.key" \
  --log-file="$W/munge/log" --pid-file="$W/munge/pid" --seed-file="$W/munge/seed" ||
  { not_ok "munged did not start"; exit 1; }
cpus=$(nproc)
cat >"$W/slurm.conf" <<EOF
ClusterName=nfcheck
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$W/munge/sock
CredType=cred/munge
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/slurmctld.pid
SlurmdPidFile=$W/slurmd.pid
SlurmctldLogFile=$W/log/slurmctld.log
SlurmdLogFile=$W/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$W/slurm.conf"
slurmctld -f "$SLURM_CONF" -i || { not_ok "slurmctld did not start"; exit 1; }
slurmd -f "$SLURM_CONF" -N localhost || { not_ok "slurmd did not start"; exit 1; }
i=0
until sinfo -h -o %t 2>/dev/null | grep -q idle; do
  i=$((i + 1))
  [ $i -lt 30 ] || { not_ok "the node never became idle"; tail -20 "$W/log/slurmd.log"; exit 1; }
  sleep 1
done
ok "one-node Slurm up ($(sinfo -h -o '%P %D %c %t' | tr '\n' ' '))"

array() { # the job array of examples/cluster, waited for
  sbatch --wait --array=0-$((SHARDS - 1)) -D "$W" -o "$W/slurm-out/%A_%a.log" \
    "$ROOT/examples/cluster/slurm-array.sh" "$W/list" "$W/slurm" >/dev/null
}
start=$(date +%s.%N)
array || not_ok "sbatch --array=0-$((SHARDS - 1)): a task failed"
slurm_s=$(elapsed "$start")
if sh "$ROOT/examples/cluster/merge-verify.sh" "$W/slurm" "$W/slurm.jsonl.gz"; then
  if gzip -dc "$W/slurm.jsonl.gz" | cmp -s - "$W/single.jsonl"; then
    ok "Slurm array of $SHARDS tasks, merged = the single run ($records records, ${slurm_s}s)"
  else
    not_ok "Slurm array: merged output differs from the single run"
  fi
else
  not_ok "Slurm array: merge-verify.sh"
fi
# A spoiled shard: the resubmitted array redoes it and skips the others.
victim=$(printf '%s/slurm/part-%05d-of-%05d.jsonl.gz' "$W" 2 "$SHARDS")
rm -f "$victim.manifest.json"
before=$(ls -l --time-style=+%s.%N "$W"/slurm/part-*.jsonl.gz | awk '{print $6}' | tr '\n' ' ')
array || not_ok "resubmitted array: a task failed"
after=$(ls -l --time-style=+%s.%N "$W"/slurm/part-*.jsonl.gz | awk '{print $6}' | tr '\n' ' ')
changed=0
for t in $before; do echo "$after" | grep -q "$t" || changed=$((changed + 1)); done
[ "$changed" = 1 ] && ok "resubmitted array: one shard redone, the others untouched" ||
  not_ok "resubmitted array: $changed shards rewritten (want 1)"
sh "$ROOT/examples/cluster/merge-verify.sh" "$W/slurm" "$W/slurm2.jsonl.gz" >/dev/null &&
  cmp -s "$W/slurm.jsonl.gz" "$W/slurm2.jsonl.gz" &&
  ok "resubmitted array: the same merged bytes" || not_ok "resubmitted array: merged bytes differ"

# ---- GNU parallel, local -----------------------------------------------------------
start=$(date +%s.%N)
sh "$ROOT/examples/cluster/parallel.sh" "$W/list" "$W/par" "$SHARDS" >"$W/par.log" 2>&1 ||
  { not_ok "parallel.sh"; cat "$W/par.log"; }
par_s=$(elapsed "$start")
if gzip -dc "$W/par.jsonl.gz" 2>/dev/null | cmp -s - "$W/single.jsonl"; then
  ok "GNU parallel, $SHARDS shards, merged = the single run (${par_s}s)"
else
  not_ok "GNU parallel: merged output differs from the single run"
fi

say "single ${single_s}s, Slurm array ${slurm_s}s, GNU parallel ${par_s}s ($cpus CPUs, $SHARDS shards)"
[ "$fails" -eq 0 ] && say "all passed" || say "$fails failed"
[ "$fails" -eq 0 ]
