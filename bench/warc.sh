#!/bin/sh
# bench/warc.sh (make bench-warc): web archives, measured. Not a test.
#  1. Builds a Common-Crawl-like WARC of N records (BENCH_WARC_RECORDS,
#     default 10000; bench/warc_make.py) from ../shared's pages, and one of
#     N/10, cached in build/bench/warc/.
#  2. `newsform text -j 1` over it: records/s, compressed MB/s, peak RSS;
#     the same for N/10 records (RSS should be flat); `--list` alone (the
#     reader without the pages' parsing).
#  3. The same K pages (BENCH_WARC_PAGES, default 500) as WARC records and
#     as files, in the same run, runs in turn: pages/s both ways and their
#     ratio (by the wall clock and by CPU time); also against the pages as .html.gz
#     files (each inflated as a WARC record is), and with the pages only
#     parsed (-e 'return 1'), no script work.
#     With BENCH_WARC_INSTRUCTIONS=1 (and valgrind): the first 60 of them
#     both ways under callgrind, instructions counted: a ratio this noisy
#     shared machine cannot blur.
#  4. -j 2 against -j 1 on those K records.
#  5. FILE@OFFSET: the last record of the big WARC (--list, median of 15
#     runs) against the same record as a file of its own; then of a 1 GB
#     file (the big WARC four times over, made and removed here).
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
import os, resource, shutil, statistics, subprocess, sys, time
n, small, out, last = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
big = "%s/cc-%d.warc.gz" % (out, n)

cpu = {}
last_wall = [0.0]

def run(args, reps=1):
    """Median wall seconds of reps runs, and the peak RSS (MB) of the last;
    the median CPU seconds (user + system) go to cpu[args]: on a shared
    machine they say more than the wall clock."""
    times, cpus = [], []
    for _ in range(reps):
        t0 = time.monotonic()
        p = subprocess.Popen(["./newsform"] + args, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        times.append(time.monotonic() - t0)
        cpus.append(ru.ru_utime + ru.ru_stime)
    cpu[tuple(args)] = statistics.median(cpus)
    last_wall[0] = statistics.median(times)
    return statistics.median(times), ru.ru_maxrss / 1024.0

print("load average: " + open("/proc/loadavg").read().split(" ", 3)[2] + " (2 cores here)"
      if os.path.exists("/proc/loadavg") else "")

mb = os.path.getsize(big) / 1e6
t, rss = run(["text", "-j", "1", big])
c = cpu[("text", "-j", "1", big)]
print("records: %d (%.0f MB compressed)" % (n, mb))
print("  text -j 1: %.1f s (%.1f CPU-s), %.0f records/s, %.1f MB/s compressed, peak RSS %.1f MB"
      % (t, c, n / t, mb / t, rss))
ts, rss_s = run(["text", "-j", "1", "%s/cc-%d.warc.gz" % (out, small)])
print("  %d records: peak RSS %.1f MB; %d records: %.1f MB (ratio %.2f)"
      % (small, rss_s, n, rss, rss / rss_s))
tl, rss_l = run(["--list", big])
cl = cpu[("--list", big)]
print("  --list (reader only): %.2f s (%.2f CPU-s), %.0f records/s, %.0f MB/s, peak RSS %.1f MB"
      % (tl, cl, n / tl, mb / tl, rss_l))

pages_warc = "%s/cc-%d-pages.warc.gz" % (out, n)
files = "%s/pages-%d/" % (out, n)
k = len(os.listdir(files))
gz_dir = "%s/pages-%d-gz/" % (out, n)
if not os.path.isdir(gz_dir) or len(os.listdir(gz_dir)) != k:
    import gzip
    os.makedirs(gz_dir, exist_ok=True)
    for name in os.listdir(files):
        with open(files + name, "rb") as f, \
                open(gz_dir + name + ".gz", "wb") as g:
            g.write(gzip.compress(f.read(), 6, mtime=0))

def interleaved(cmds, rounds=5):
    """Each command once a round, in turn, for rounds rounds: the medians
    (wall, CPU) of each. On a shared machine whose speed drifts, runs in
    turn compare what back-to-back blocks of runs cannot."""
    walls = [[] for _ in cmds]
    cpus = [[] for _ in cmds]
    for _ in range(rounds):
        for i, args in enumerate(cmds):
            run(args)
            walls[i].append(last_wall[0])
            cpus[i].append(cpu[tuple(args)])
    return ([statistics.median(w) for w in walls],
            [statistics.median(c) for c in cpus])

aw, af, ag = (["text", "-j", "1", pages_warc], ["text", "-j", "1", files],
              ["text", "-j", "1", gz_dir])
(tw, tf, tg), (cw, cf, cg) = interleaved([aw, af, ag])
print("same %d pages, text -j 1 (medians of 5 runs in turn): WARC %.0f pages/s, files "
      "%.0f pages/s, ratio %.2f" % (k, k / tw, k / tf, tf / tw))
print("  by CPU time: WARC %.0f pages/CPU-s, files %.0f pages/CPU-s, ratio %.2f"
      % (k / cw, k / cf, cf / cw))
print("  the pages as .html.gz files: %.0f pages/s, %.0f pages/CPU-s; WARC/gz "
      "ratio %.2f (wall), %.2f (CPU)" % (k / tg, k / cg, tg / tw, cg / cw))
# the payloads parsed alone (no script work): the reader's share is the
# largest here
pw, pf = ["-j", "1", "-e", "return 1", pages_warc], ["-j", "1", "-e", "return 1", files]
(tpw, tpf), (cpw, cpf) = interleaved([pw, pf])
print("  parsed only (-e 'return 1'): WARC %.0f pages/s (%.0f pages/CPU-s), files %.0f "
      "pages/s (%.0f pages/CPU-s), ratio %.2f (wall), %.2f (CPU)"
      % (k / tpw, k / cpw, k / tpf, k / cpf, tpf / tpw, cpf / cpw))
if os.environ.get("BENCH_WARC_INSTRUCTIONS") == "1" and shutil.which("valgrind"):
    import re, tempfile, zlib
    with tempfile.TemporaryDirectory() as tmp:
        # the first 60 members (records) and the same 60 pages as files
        data, off, members = open(pages_warc, "rb").read(), 0, []
        while off < len(data) and len(members) < 60:
            d = zlib.decompressobj(31)
            d.decompress(data[off:])
            used = len(data) - off - len(d.unused_data)
            members.append(data[off:off + used])
            off += used
        open(tmp + "/p.warc.gz", "wb").write(b"".join(members))
        os.mkdir(tmp + "/p")
        for name in sorted(os.listdir(files))[:60]:
            shutil.copy(files + name, tmp + "/p/" + name)
        def instructions(arg):
            r = subprocess.run(["valgrind", "--tool=callgrind",
                                "--callgrind-out-file=" + tmp + "/cg.out",
                                "./newsform", "text", "-j", "1", arg],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
            return int(re.search(r"refs:\s+([\d,]+)", r.stderr).group(1).replace(",", ""))
        iw, i_f = instructions(tmp + "/p.warc.gz"), instructions(tmp + "/p/")
        print("  instructions (callgrind, the first 60 pages): WARC %.0fM, files %.0fM, "
              "ratio %.3f" % (iw / 1e6, i_f / 1e6, i_f / iw))
(tw1, tw2), _ = interleaved([aw, ["text", "-j", "2", pages_warc]], 3)
print("  -j 2: %.0f pages/s, %.2fx -j 1 (runs in turn)" % (k / tw2, tw1 / tw2))

# the record alone: --list reads it without parsing its page; the
# baseline is --list of a WARC holding just that record
one = "%s/one.warc.gz" % out
with open(big, "rb") as f, open(one, "wb") as g:
    f.seek(int(last))
    g.write(f.read())
ta, _ = run(["--list", "%s@%s" % (big, last)], 15)
t0, _ = run(["--list", one], 15)
tp, _ = run(["-e", "return 1", "%s@%s" % (big, last)], 5)
print("--list %s@%s (%.0f MB file, the last record): %.1f ms; the same record "
      "as a file of its own: %.1f ms; with its page parsed (-e 'return 1'): %.1f ms"
      % (os.path.basename(big), last, mb, ta * 1000, t0 * 1000, tp * 1000))
# the issue's size: a 1 GB file (the big WARC four times over: a WARC's
# members stand alone), its last record; removed after
if os.path.getsize(big) * 4 < 2 << 30:
    gb = "%s/cc-%d-x4.warc.gz" % (out, n)
    with open(big, "rb") as f, open(gb, "wb") as g:
        data = f.read()
        for _ in range(4):
            g.write(data)
    at = 3 * len(data) + int(last)
    del data
    ta, _ = run(["--list", "%s@%d" % (gb, at)], 15)
    tp, _ = run(["-e", "return 1", "%s@%d" % (gb, at)], 5)
    print("--list of the last record of a %.2f GB file (the same WARC four times): %.1f ms; "
          "with its page parsed: %.1f ms" % (os.path.getsize(gb) / 1e9, ta * 1000, tp * 1000))
    os.remove(gb)
PY
