#!/bin/sh
# slurm-array.sh: one newsform shard per task of a Slurm job array.
#
#   sbatch --array=0-7 examples/cluster/slurm-array.sh LIST OUTDIR [SCRIPT]
#   (when all tasks are done:)
#   sh examples/cluster/merge-verify.sh OUTDIR corpus.jsonl.gz
#
# LIST names the inputs, one a line (files, directories, bundles; a bundle
# is never split between tasks). Task K of N writes
# OUTDIR/part-KKKKK-of-NNNNN.jsonl.gz and its .manifest.json; --resume
# makes a resubmitted array (after a node failure, a timeout, a changed
# input) redo only the shards that are missing or out of date:
#   sbatch --array=0-7 examples/cluster/slurm-array.sh LIST OUTDIR
# Each task runs -j on the CPUs Slurm gave it (SLURM_CPUS_PER_TASK, set by
# --cpus-per-task). NEWSFORM names the binary (default: newsform on PATH).
#SBATCH --job-name=newsform
#SBATCH --output=newsform-%A_%a.log
#SBATCH --cpus-per-task=1
set -eu
list=$1
outdir=$2
script=${3:-json}
mkdir -p "$outdir"
exec "${NEWSFORM:-newsform}" "$script" --shard slurm --resume -k -q \
  -j "${SLURM_CPUS_PER_TASK:-1}" --inputs "$list" \
  --stats "$outdir/stats-${SLURM_ARRAY_TASK_ID}.json" \
  -o "$outdir/{shard}.jsonl.gz"
