#!/bin/sh
# bench/warc.sh (make bench-warc): web archives, measured. Not a test.
#  1. Builds a Common-Crawl-like WARC of N records (BENCH_WARC_RECORDS,
#     default 10000; bench/warc_make.py) from ../shared's pages, and one of
#     N/10, cached in build/bench/warc/.
#  2. `newsform text -j 1` over it: records/s, compressed MB/s, peak RSS;
#     the same for N/10 records (RSS should be flat); `--list` alone (the
#     reader without the pages' parsing).
#  3. The same K pages (BENCH_WARC_PAGES, default 500) as WARC records and
#     as files, in the same run: pages/s both ways and their ratio.
#  4. -j 2 against -j 1 on those K records.
#  5. FILE@OFFSET: one record at the end of the big WARC, median of 15
#     runs, against the command's start-up on one small page.
# Skips (exit 0) when ../shared is absent.
set -u
cd "$(dirname "$0")/.." || exit 1
SHARED=${SHARED:-../shared}
PAGES=$SHARED/corpus/extraction/html
if [ ! -d "$PAGES" ]; then
  echo "bench/warc.sh: skipped ($PAGES absent)"
  exit 0
fi
[ -x ./newsform ] || { echo "bench/warc.sh: build first (make)"; exit 1; }
N=${BENCH_WARC_RECORDS:-10000}
K=${BENCH_WARC_PAGES:-500}
SMALL=$((N / 10))
OUT=build/bench/warc
mkdir -p "$OUT"
BIG=$OUT/cc-$N.warc.gz
if [ ! -f "$BIG" ] || [ ! -f "$OUT/cc-$N.last" ]; then
  echo "-- building $BIG ($N records) and the $K pages as files"
  rm -rf "$OUT/pages-$N"
  python3 bench/warc_make.py "$PAGES" "$BIG" "$N" "$OUT/pages-$N" "$K" >"$OUT/cc-$N.last" || exit 1
fi
[ -f "$OUT/cc-$SMALL.warc.gz" ] ||
  python3 bench/warc_make.py "$PAGES" "$OUT/cc-$SMALL.warc.gz" "$SMALL" >/dev/null || exit 1

python3 - "$N" "$SMALL" "$OUT" "$(cat "$OUT/cc-$N.last")" <<'PY'
import os, resource, statistics, subprocess, sys, time
n, small, out, last = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
big = "%s/cc-%d.warc.gz" % (out, n)

def run(args, reps=1):
    """Median wall seconds of reps runs, and the peak RSS (MB) of the last."""
    times = []
    for _ in range(reps):
        t0 = time.monotonic()
        p = subprocess.Popen(["./newsform"] + args, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        times.append(time.monotonic() - t0)
    return statistics.median(times), ru.ru_maxrss / 1024.0

mb = os.path.getsize(big) / 1e6
t, rss = run(["text", "-j", "1", big])
print("records: %d (%.0f MB compressed)" % (n, mb))
print("  text -j 1: %.1f s, %.0f records/s, %.1f MB/s compressed, peak RSS %.1f MB"
      % (t, n / t, mb / t, rss))
ts, rss_s = run(["text", "-j", "1", "%s/cc-%d.warc.gz" % (out, small)])
print("  %d records: peak RSS %.1f MB; %d records: %.1f MB (ratio %.2f)"
      % (small, rss_s, n, rss, rss / rss_s))
tl, rss_l = run(["--list", big])
print("  --list (reader only): %.2f s, %.0f records/s, %.0f MB/s, peak RSS %.1f MB"
      % (tl, n / tl, mb / tl, rss_l))

pages_warc = "%s/cc-%d-pages.warc.gz" % (out, n)
files = "%s/pages-%d/" % (out, n)
k = len(os.listdir(files))
tw, _ = run(["text", "-j", "1", pages_warc], 3)
tf, _ = run(["text", "-j", "1", files], 3)
print("same %d pages, text -j 1 (median of 3): WARC %.0f pages/s, files %.0f pages/s, ratio %.2f"
      % (k, k / tw, k / tf, tf / tw))
tw2, _ = run(["text", "-j", "2", pages_warc], 3)
print("  -j 2: %.0f pages/s, %.2fx -j 1" % (k / tw2, tw / tw2))

one = "%s/one.html" % out
with open(one, "w") as f:
    f.write("<title>t</title><p>one small page</p>")
ta, _ = run(["-e", "return 1", "%s@%s" % (big, last)], 15)
t0, _ = run(["-e", "return 1", one], 15)
print("%s@%s (%.0f MB file): %.1f ms; start-up on a small page: %.1f ms"
      % (os.path.basename(big), last, mb, ta * 1000, t0 * 1000))
PY
