#!/bin/sh
# bench/stream.sh (make bench-stream): newsform --stream with -j 1, 2, 4,
# measured. Not a test.
#  1. A Common-Crawl-like WARC of N records (BENCH_STREAM_RECORDS, default
#     2000; bench/warc_make.py: 60% HTML responses) and N JSON Lines
#     records (the pages of ../shared in turn, each with a comment of its
#     own), cached in build/bench/stream/.
#  2. `newsform text --stream -j J` over each on standard input, J = 1, 2, 4
#     in turn for 3 rounds: median records/s (wall), CPU seconds, peak RSS,
#     and whether the output equals that of -j 1.
# Skips (exit 0) when ../shared is absent. Note the load average it prints:
# the machine is shared.
set -u
cd "$(dirname "$0")/.." || exit 1
SHARED=${SHARED:-../shared}
PAGES=$SHARED/corpus/extraction/html
if [ ! -d "$PAGES" ]; then
  echo "bench/stream.sh: skipped ($PAGES absent)"
  exit 0
fi
[ -x ./newsform ] || { echo "bench/stream.sh: build first (make)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/stream.sh: skipped (/usr/bin/time absent)"; exit 0; }
N=${BENCH_STREAM_RECORDS:-2000}
OUT=build/bench/stream
mkdir -p "$OUT"
[ -f "$OUT/cc-$N.warc.gz" ] ||
  python3 bench/warc_make.py "$PAGES" "$OUT/cc-$N.warc.gz" "$N" >/dev/null || exit 1
python3 - "$PAGES" "$OUT" "$N" <<'PY'
import gzip, hashlib, json, os, statistics, subprocess, sys, time
pages_dir, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
jl = "%s/pages-%d.jsonl" % (out, n)
if not os.path.exists(jl):
    names = sorted(f for f in os.listdir(pages_dir) if f.endswith(".html.gz"))
    pages = [gzip.open(os.path.join(pages_dir, f)).read().decode("utf-8", "replace")
             for f in names]
    with open(jl + ".tmp", "w") as f:
        for i in range(n):
            f.write(json.dumps({"url": "https://example.org/%d" % i,
                                "html": pages[i % len(pages)] + "<!-- %d -->" % i}) + "\n")
    os.rename(jl + ".tmp", jl)

print("load average: " + open("/proc/loadavg").read().split(" ", 3)[2] + " (2 cores here)")

def run(path, jobs):
    """Wall and CPU seconds, peak RSS (MB), the output's digest and lines.
    Through /usr/bin/time, a small process: a child's peak RSS counts that
    of the process it was forked from (this Python)."""
    tf = "%s/time.txt" % out
    with open(path, "rb") as inp:
        t0 = time.monotonic()
        p = subprocess.Popen(["/usr/bin/time", "-o", tf, "-f", "%U %S %M", "./newsform",
                              "text", "--stream", "-j", str(jobs)],
                             stdin=inp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        data = p.stdout.read()
        p.wait()
        wall = time.monotonic() - t0
    u, s, m = open(tf).read().split()[-3:]
    return wall, float(u) + float(s), int(m) / 1024.0, \
        hashlib.sha1(data).hexdigest(), data.count(b"\n")

for name, path in (("WARC", "%s/cc-%d.warc.gz" % (out, n)), ("JSON Lines", jl)):
    res = {1: [], 2: [], 4: []}
    for _ in range(3):
        for j in (1, 2, 4):
            res[j].append(run(path, j))
    base = None
    print("%s, %d records (%.1f MB on standard input):"
          % (name, n, os.path.getsize(path) / 1e6))
    for j in (1, 2, 4):
        wall = statistics.median(r[0] for r in res[j])
        cpu = statistics.median(r[1] for r in res[j])
        rss = max(r[2] for r in res[j])
        lines, digest = res[j][0][4], res[j][0][3]
        if j == 1:
            base, base_wall = digest, wall
        same = all(r[3] == base for r in res[j])
        print("  -j %d: %.2f s, %.0f records/s, %.2f CPU-s, peak RSS %.1f MB, %d lines, "
              "%s, speed-up %.2f" % (j, wall, n / wall, cpu, rss, lines,
                                     "output = -j 1" if same else "OUTPUT DIFFERS",
                                     base_wall / wall))
PY
