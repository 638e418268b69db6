#!/bin/sh
# parallel.sh: N newsform shards run by GNU parallel, on this machine or on
# several over ssh, then checked and merged.
#
#   sh examples/cluster/parallel.sh LIST OUTDIR N [SSHLOGINS]
#     LIST       the inputs, one a line
#     OUTDIR     where the shards go (shared by every host, e.g. NFS)
#     N          the number of shards (more than the hosts' cores: small
#                shards balance better and resume cheaper)
#     SSHLOGINS  optional: "host1,4/host2" (GNU parallel's --sshlogin; ":"
#                is this machine); newsform must be on PATH there and LIST,
#                the inputs and OUTDIR at the same paths
#   The merged output is OUTDIR.jsonl.gz.
# Rerunning the same command redoes only the shards whose output or
# manifest is missing or out of date (--resume). NEWSFORM names the binary.
set -eu
list=$1
outdir=$2
n=$3
logins=${4:-:}
nf=${NEWSFORM:-newsform}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$outdir"
# One job per shard; -j 1 inside: parallel runs one job per core.
seq 0 $((n - 1)) | parallel --sshlogin "$logins" --halt never \
  "$nf" json -j 1 -q -k --resume --shard {}/"$n" --inputs "$list" \
  -o "$outdir/{shard}.jsonl.gz" || true
sh "$here/merge-verify.sh" "$outdir" "$outdir.jsonl.gz"
