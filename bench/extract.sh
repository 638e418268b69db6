#!/bin/sh
# bench/extract.sh (make bench-extract): article extraction, measured.
#  1. F1 of the body text over ../shared/corpus/extraction (61 news pages,
#     ground truth from the public article-extraction benchmark), scored by
#     ../shared/tools/score.py; predictions in build/bench/extract-pred.json.
#  2. Pages per second, one thread, median of 5 runs: parse only, and
#     parse + nf_article_extract + a Readability-style JSON object (C driver
#     bench/extract_bench.c), then the CLI path `newsform json -j 1`.
#  3. Metadata accuracy over ../shared/corpus/metadata through the CLI's
#     json script, scored by bench/meta_score.py.
#  4. The worst five pages of (1), and one line per class fixture of issue
#     10's classes of loss (tests/fixtures/extract/classN-*.html: pass/fail
#     of its .expect, run by build/tests/test_extract_pages).
# Skips (exit 0) when ../shared is absent.
set -u
cd "$(dirname "$0")/.." || exit 1
SHARED=${SHARED:-../shared}
CORPUS=$SHARED/corpus/extraction
if [ ! -d "$CORPUS/html" ]; then
  echo "bench/extract.sh: skipped ($CORPUS absent)"
  exit 0
fi
OUT=build/bench
mkdir -p "$OUT"
[ -f libnewsform.a ] || { echo "bench/extract.sh: build first (make)"; exit 1; }
cc -std=c11 -O2 -Iinclude $(pkg-config --cflags libxml-2.0) bench/extract_bench.c \
  libnewsform.a $(pkg-config --libs libxml-2.0 zlib libdeflate) -lpthread -lm -o "$OUT/extract_bench" || exit 1

echo "-- content extraction (C driver)"
"$OUT/extract_bench" "$OUT/extract-pred.json" "$CORPUS"/html/*.html.gz || exit 1
python3 "$SHARED/tools/score.py" "$CORPUS/ground-truth.json" "$OUT/extract-pred.json" || exit 1
python3 - "$SHARED/tools" "$CORPUS/ground-truth.json" "$OUT/extract-pred.json" <<'PY' || exit 1
import sys
sys.path.insert(0, sys.argv[1])
import score
truth, pred = score.load(sys.argv[2]), score.load(sys.argv[3])
rows = []
for k in truth:
    r = score.tp_fp_fn(truth[k].get("articleBody", ""), (pred.get(k) or {}).get("articleBody", ""))
    p, rc = score.prec(*r), score.rec(*r)
    rows.append((2 * p * rc / (p + rc) if p + rc else 0.0, p, rc, k))
print("worst five pages:")
for f1, p, rc, k in sorted(rows)[:5]:
    print(f"  {k[:16]}  F1 {f1:.3f}  P {p:.3f}  R {rc:.3f}")
PY

echo "-- class fixtures (issue 10's classes of loss)"
if make -s build/tests/test_extract_pages >/dev/null 2>&1; then
  names=$(for f in tests/fixtures/extract/class*.html; do
            [ -f "$f" ] && basename "$f" .html; done)
  [ -n "$names" ] && ./build/tests/test_extract_pages $names |
    sed -n 's/^# page class\([0-9]*\)-\(.*\): \(.*\)$/class \1  \2: \3/p'
else
  echo "build/tests/test_extract_pages: could not be built"
fi

if [ -x ./newsform ] && [ -f scripts/json.lua ]; then
  echo "-- CLI: newsform json -j 1 (gunzip + parse + extract + Lua + JSON)"
  python3 - "$CORPUS" "$OUT" "$SHARED" <<'PY' || exit 1
import json, os, subprocess, sys, time
corpus, out, shared = sys.argv[1:4]
files = sorted(f for f in os.listdir(corpus + "/html") if not f.startswith("."))
times = []
for _ in range(5):
    t0 = time.monotonic()
    res = subprocess.run(["./newsform", "json", "-j", "1", corpus + "/html/"],
                         capture_output=True, check=True)
    times.append(time.monotonic() - t0)
times.sort()
lines = res.stdout.decode("utf-8").splitlines()
assert len(lines) == len(files), "one JSON line per page"
pred = {}
for name, line in zip(files, lines):
    pred[name.split(".")[0]] = {"articleBody": json.loads(line)["textContent"]}
json.dump(pred, open(out + "/cli-pred.json", "w"))
print(f"newsform json:             {len(files) / times[2]:7.1f} pages/s "
      f"({times[2] * 1000 / len(files):.2f} ms/page, process start included)")
subprocess.run(["python3", shared + "/tools/score.py",
                corpus + "/ground-truth.json", out + "/cli-pred.json"], check=True)
PY
  META=$SHARED/corpus/metadata
  if [ -d "$META" ] && [ -f bench/meta_score.py ]; then
    echo "-- metadata (newsform json over $META)"
    python3 - "$META" "$OUT" <<'PY' || exit 1
import json, os, subprocess, sys
meta, out = sys.argv[1:3]
ids = sorted(d for d in os.listdir(meta) if os.path.isfile(f"{meta}/{d}/source.html.gz"))
res = subprocess.run(["./newsform", "json", "-j", "1", "-k"] +
                     [f"{meta}/{d}/source.html.gz" for d in ids],
                     capture_output=True, check=False)
lines = res.stdout.decode("utf-8").splitlines()
assert len(lines) == len(ids), "one JSON line per page"
pred = {i: json.loads(l) for i, l in zip(ids, lines)}
json.dump(pred, open(out + "/meta-pred.json", "w"))
PY
    python3 bench/meta_score.py "$OUT/meta-pred.json" "$META" || exit 1
  fi
fi
