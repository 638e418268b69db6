#!/usr/bin/env python3
"""meta_score.py: scores metadata predictions against the corpus.

    meta_score.py PRED.json CORPUS_METADATA_DIR [--verbose]

PRED.json maps a page ID (the folder name under CORPUS_METADATA_DIR) to an
object with Readability-style keys: title, byline, excerpt, siteName,
publishedTime, lang, dir. For each field it prints the share of pages whose
expected value is set that match (after whitespace normalisation; dates by
calendar day), and the false positives: pages where expected is null but a
value was predicted.

Bylines are also reported with a leading "By" ignored on both sides
("byline~"), and titles with a trailing/leading site-name part ignored
("title~"), because newsform strips both on purpose while Readability (whose
output the expected files are) keeps them.

"byline=name" counts a byline as right when it names the people Readability's
byline names, whatever Readability's decoration around them: the prediction
(leading "By" removed) equals, ignoring case and whitespace, either the
expected byline with its leading "By" removed ("byline~"), or the expected
name part: the expected byline without its leading "By", cut at its first
line break (Readability keeps the desk or date on the next lines: "By\n Jane
Roe\n Wire Service") and at its first date or digit ("Jane Roe22 Dec 2016").
An expected byline that is only a date has no name part, and counts as a miss.
"""
import json
import os
import re
import sys

FIELDS = ["title", "byline", "excerpt", "siteName", "publishedTime", "lang", "dir"]
SEPARATORS = [" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " / ", " \u00bb "]


def norm(v):
    if v is None:
        return None
    v = re.sub(r"\s+", " ", str(v)).strip()
    return v or None


def day(v):
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", v or "")
    return m.groups() if m else v


def strip_by(v):
    return re.sub(r"^by[:\s]+", "", v, flags=re.I) if v else v


MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"


def name_part(v):
    """The names of a Readability byline: no "By", up to a line break or a date."""
    v = re.sub(r"^\s*by[:\s]+", "", v or "", flags=re.I).strip()
    v = v.split("\n")[0]
    m = re.search(r"\d|(?<![a-z])" + MONTH, v, flags=re.I)
    if m:
        v = v[:m.start()]
    return re.sub(r"\s+", " ", v).strip(" ,;|-").lower()


def title_loose_eq(got, want, site):
    if got == want:
        return True
    for sep in SEPARATORS:
        if want.startswith(got + sep) or want.endswith(sep + got):
            return True
    return False


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pred = json.load(open(sys.argv[1], encoding="utf-8"))
    base = sys.argv[2]
    verbose = "--verbose" in sys.argv
    extra = ["byline~", "byline=name", "title~"]
    stats = {f: [0, 0, 0, 0] for f in FIELDS + extra}  # hit, total, fp, nulls
    for pid in sorted(os.listdir(base)):
        path = os.path.join(base, pid, "expected-metadata.json")
        if not os.path.exists(path):
            continue
        exp = json.load(open(path, encoding="utf-8"))
        got = pred.get(pid, {})
        for f in FIELDS + extra:
            key = f.rstrip("~").split("=")[0]
            want, have = norm(exp.get(key)), norm(got.get(key))
            s = stats[f]
            if want is None:
                s[3] += 1
                if have is not None:
                    s[2] += 1
                    if verbose and f in FIELDS:
                        print(f"FP   {f:14} {pid}: {have!r}")
                continue
            s[1] += 1
            if f == "publishedTime":
                ok = have is not None and day(have) == day(want)
            elif f == "byline~":
                ok = have is not None and strip_by(have).lower() == strip_by(want).lower()
            elif f == "byline=name":
                mine = strip_by(have).lower() if have is not None else None
                ok = mine is not None and (mine == strip_by(want).lower() or
                                           mine == name_part(exp.get(key)))
            elif f == "title~":
                ok = have is not None and title_loose_eq(have, want, got.get("siteName"))
            elif f in ("lang", "dir"):
                ok = have is not None and have.lower() == want.lower()
            else:
                ok = have == want
            if ok:
                s[0] += 1
            elif verbose and (f in FIELDS or f == "byline=name"):
                print(f"MISS {f:14} {pid}: got {have!r} want {want!r}")
    for f in FIELDS + extra:
        hit, total, fp, nulls = stats[f]
        share = 100.0 * hit / total if total else 0.0
        print(f"{f:14} {hit:3}/{total:<3} {share:5.1f}%   false positives {fp}/{nulls}")


if __name__ == "__main__":
    main()
