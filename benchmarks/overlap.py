"""Benchmark of the overlap matcher: quality on a labelled set, then time and memory at
national scale (500,000 campaign addresses against 1,300,000 list rows, one process).

The data comes from :mod:`benchmarks.overlap_data` (seeded, deterministic): real communes,
names drawn with their real frequencies (so namesakes occur naturally), the noise clerks
make (no diacritics, upper case, old tone placement, Thị dropped, Hoàng/Huỳnh and Vũ/Võ,
one-letter typos, birth year ±1, CCCD missing or stored as a number, thôn written
differently or missing) and decoys (namesakes in other communes; the same name in the
same commune 5–15 years apart).

**Quality** (``--quality``; two provinces, ~25,000 × 65,000 rows, ~7,500 true pairs):

* *precision at match* = true pairs among the pairs found at level ``match`` ÷ pairs at
  ``match``; *recall* = true pairs found at either level ÷ true pairs (also at match only);
* *inseparable* pairs: a pair (campaign row a, list row b) that is not a true pair but that
  no field the matcher sees can tell from one — every compared field is equal or not given:
  the same canonical folded name (:func:`xl_nhandao.overlap.names.name_keys`, so Thị/Văn
  left out, Huỳnh = Hoàng, Võ = Vũ) and, when both names carry diacritics, the same
  accented key; the same birth year; the same commune; the same village when both rows
  give one (the true village: spellings of one village are one); the same gender when both
  give it (a row without one: as its middle Thị/Văn says); the same CCCD when both give one. Counted over the whole data, whatever the
  matcher found. (A row without a name, a birth year or a commune is never inseparable:
  the data here always has them.)
* *ceiling* = the precision at match the matcher would have if its only wrong matches were
  the inseparable pairs: true matches ÷ (true matches + inseparable pairs). The goal is
  **no wrong match that is not inseparable** (printed as "real errors").
* the missed true pairs by kind of noise, and the wrong matches by kind of decoy with the
  fields that would have told them apart.

**Scale** (``--scale``): generates the national data in memory (timed apart), then times
``find_pairs`` in this process (wall clock) and reports the process's resident memory just
before matching, its peak before, and its peak after (``ru_maxrss``); pairs per level;
and the quality figures on that data. ``--repeat N`` matches N times (median and range).

Goals (issue 7): recall ≥ 0.99; precision at match at the ceiling; ≤ 30 s and ≤ 2 GB at
500k × 1.3M on the 2-core machine.

    python benchmarks/overlap.py [--quality | --scale] [--seed 0] [--repeat 1]
        [--campaign 500000 --list 1300000] [--provinces 33,96] [--engine MODULE:FUNCTION] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import overlap_data as data  # noqa: E402
from xl_nhandao.overlap.model import LEVELS, People  # noqa: E402
from xl_nhandao.overlap.names import name_keys  # noqa: E402

MATCH, POSSIBLE = 0, 1


# -- the fields a matcher compares -------------------------------------------------------
@dataclass
class Keys:
    """One side's compared fields, column by column (numpy; ``None`` = not given)."""

    folded: np.ndarray  # object: canonical folded name
    accented: np.ndarray  # object: canonical accented name
    plain: np.ndarray  # bool: name typed without any diacritics
    year: np.ndarray  # int64, -1 when not given
    commune: np.ndarray  # object
    gender: np.ndarray  # object: as given, else as a middle Thị/Văn says
    cccd: np.ndarray  # object
    village: np.ndarray  # int64, -1 when not given

    def __len__(self) -> int:
        return len(self.year)


def keys_of(people: People, village: Sequence[int] | np.ndarray) -> Keys:
    """The compared fields of ``people``; ``village`` is each row's true village (-1: none)."""
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(people.name, dtype=object), use_na_sentinel=True)
    keys = [name_keys(n) if isinstance(n, str) else None for n in uniques]
    folded = np.array([k.folded if k else None for k in keys] + [None], dtype=object)
    accented = np.array([k.accented if k else None for k in keys] + [None], dtype=object)
    plain = np.array([bool(k and k.plain) for k in keys] + [False])
    codes = np.where(codes < 0, len(keys), codes)
    # the gender as given, else as the middle name Thị/Văn says
    implied = np.array([{"f": "Nữ", "m": "Nam"}.get(k.middle) if k else None for k in keys] + [None], dtype=object)
    gender = np.array(people.gender, dtype=object)
    gender = np.where(np.equal(gender, None), implied[codes], gender)
    year = np.array([-1 if y is None else y for y in people.birth_year], dtype=np.int64)
    return Keys(folded[codes], accented[codes], plain[codes], year, np.array(people.commune, dtype=object),
                gender, np.array(people.cccd, dtype=object), np.asarray(village, dtype=np.int64))


#: Fields that can tell two rows apart, in the order they are reported.
FIELDS = ("name", "accents", "birth year", "commune", "thôn", "gender", "CCCD")


def differences(ka: Keys, kb: Keys, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """For each pair (a[i], b[i]): which fields tell the two rows apart (both given, unequal)."""

    def given(x: np.ndarray) -> np.ndarray:
        return np.array([v is not None for v in x], dtype=bool) if x.dtype == object else x >= 0

    def differ(xa: np.ndarray, xb: np.ndarray) -> np.ndarray:
        return given(xa) & given(xb) & (xa != xb)

    fa, fb = ka.folded[a], kb.folded[b]
    name = differ(fa, fb)
    accents = given(fa) & given(fb) & ~name & ~ka.plain[a] & ~kb.plain[b] & (ka.accented[a] != kb.accented[b])
    return {"name": name, "accents": accents, "birth year": differ(ka.year[a], kb.year[b]),
            "commune": differ(ka.commune[a], kb.commune[b]), "thôn": differ(ka.village[a], kb.village[b]),
            "gender": differ(ka.gender[a], kb.gender[b]), "CCCD": differ(ka.cccd[a], kb.cccd[b])}


def codes_of(a: np.ndarray, b: np.ndarray, n_other: int) -> np.ndarray:
    return np.asarray(a, dtype=np.int64) * max(n_other, 1) + np.asarray(b, dtype=np.int64)


def inseparable(ka: Keys, kb: Keys, true_a: np.ndarray, true_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (a, b), not a true pair, that no field tells apart (see the module)."""
    import pandas as pd

    def frame(k: Keys, col: str) -> pd.DataFrame:
        ok = np.array([f is not None and c is not None for f, c in zip(k.folded, k.commune)], dtype=bool)
        ok &= k.year >= 0
        rows = np.flatnonzero(ok)
        return pd.DataFrame({col: rows, "f": k.folded[rows], "y": k.year[rows], "c": k.commune[rows]})

    joined = frame(ka, "a").merge(frame(kb, "b"), on=["f", "y", "c"])
    a, b = joined["a"].to_numpy(np.int64), joined["b"].to_numpy(np.int64)
    diff = differences(ka, kb, a, b)
    same = ~np.logical_or.reduce(list(diff.values())) if len(a) else np.zeros(0, bool)
    same &= ~np.isin(codes_of(a, b, len(kb)), codes_of(true_a, true_b, len(kb)))
    return a[same], b[same]


# -- metrics -----------------------------------------------------------------------------
@dataclass
class Metrics:
    true_pairs: int
    found: int
    match: int
    possible: int
    match_true: int
    possible_true: int
    precision_match: float
    recall: float
    recall_match: float
    inseparable: int  # in the data
    inseparable_at_match: int
    real_errors: int  # wrong matches that are not inseparable
    ceiling: float


def metrics(found_a: np.ndarray, found_b: np.ndarray, level: np.ndarray, true_a: np.ndarray, true_b: np.ndarray,
            insep_a: np.ndarray, insep_b: np.ndarray, n_other: int) -> Metrics:
    """Precision at match, recall (either level, and at match), and the inseparable pairs:
    how many there are, how many the matcher put at match, and how many wrong matches
    are *not* inseparable. A pair found twice counts once, at its stronger level."""
    code = codes_of(found_a, found_b, n_other)
    level = np.asarray(level, dtype=np.int64)
    order = np.lexsort((level, code))
    code, level = code[order], level[order]
    first = np.ones(len(code), bool)
    first[1:] = code[1:] != code[:-1]
    code, level = code[first], level[first]
    truth = np.unique(codes_of(true_a, true_b, n_other))
    insep = np.unique(codes_of(insep_a, insep_b, n_other))
    is_true = np.isin(code, truth)
    at_match = level == MATCH
    match, match_true = int(at_match.sum()), int((at_match & is_true).sum())
    possible_true = int((~at_match & is_true).sum())
    wrong = at_match & ~is_true
    insep_match = int((wrong & np.isin(code, insep)).sum())
    n_true = len(truth)
    return Metrics(
        true_pairs=n_true, found=len(code), match=match, possible=len(code) - match, match_true=match_true,
        possible_true=possible_true, precision_match=match_true / match if match else 1.0,
        recall=(match_true + possible_true) / n_true if n_true else 1.0,
        recall_match=match_true / n_true if n_true else 1.0, inseparable=len(insep),
        inseparable_at_match=insep_match, real_errors=int(wrong.sum()) - insep_match,
        ceiling=match_true / (match_true + len(insep)) if match_true + len(insep) else 1.0)


@dataclass
class Found:
    a: np.ndarray
    b: np.ndarray
    level: np.ndarray


def found_of(result: Any) -> Found:
    return Found(np.asarray(result.a, dtype=np.int64), np.asarray(result.b, dtype=np.int64),
                 np.asarray(result.level, dtype=np.int64))


def evaluate(sides: data.Sides, found: Found, keys: tuple[Keys, Keys] | None = None) -> dict[str, Any]:
    """Every quality figure of ``found`` on ``sides``: the metrics, the true pairs by
    noise, the wrong matches by decoy kind and by what tells them apart."""
    ka, kb = keys or (keys_of(sides.campaign, sides.village_a), keys_of(sides.other, sides.village_b))
    ia, ib = inseparable(ka, kb, sides.true_a, sides.true_b)
    m = metrics(found.a, found.b, found.level, sides.true_a, sides.true_b, ia, ib, len(sides.other))
    n = len(sides.other)
    # the true pairs: found at which level, by noise
    code = codes_of(found.a, found.b, n)
    order = np.lexsort((found.level, code))  # a pair found twice: its stronger level first
    code, level = code[order], found.level[order]
    wanted = codes_of(sides.true_a, sides.true_b, n)
    at = np.minimum(np.searchsorted(code, wanted), max(len(code) - 1, 0))
    hit = code[at] == wanted if len(code) else np.zeros(len(wanted), bool)
    got = np.where(hit, np.minimum(level[at] if len(code) else 0, POSSIBLE), 2)  # 2: missed
    by_noise: dict[str, dict[str, int]] = {}
    for bit, label in [(0, "no noise"), *data.NOISE.items()]:
        sel = sides.noise == 0 if bit == 0 else (sides.noise & bit) != 0
        if sel.any():
            by_noise[label] = {"pairs": int(sel.sum()), "match": int((got[sel] == MATCH).sum()),
                               "possible": int((got[sel] == POSSIBLE).sum()), "missed": int((got[sel] == 2).sum())}
    ubiquitous = data.THON_OTHER | data.GENDER_MISSING | data.UPPER | data.CCCD_NUMBER
    kinds = np.array([bin(int(x) & ~ubiquitous).count("1") for x in sides.noise])
    by_count = {}
    for k in range(4):
        sel = kinds == k if k < 3 else kinds >= 3
        if sel.any():
            by_count[f"{k}{'+' if k == 3 else ''}"] = {"pairs": int(sel.sum()), "match": int((got[sel] == MATCH).sum()),
                                                      "missed": int((got[sel] == 2).sum())}
    missed_combos = Counter(" + ".join(v for bit, v in data.NOISE.items() if x & bit & ~data.THON_OTHER
                                       & ~data.GENDER_MISSING) or "no noise"
                            for x in sides.noise[got == 2].tolist())
    # the wrong matches: kind of list row, and what tells them apart
    truth = codes_of(sides.true_a, sides.true_b, n)
    wrong = (found.level == MATCH) & ~np.isin(codes_of(found.a, found.b, n), truth)
    wa, wb = found.a[wrong], found.b[wrong]
    diff = differences(ka, kb, wa, wb)
    partner = np.zeros(n, bool)
    partner[sides.true_b] = True
    kind = np.where(sides.decoy[wb] == data.DECOY_OTHER_COMMUNE, "decoy: " + data.DECOYS[data.DECOY_OTHER_COMMUNE],
                    np.where(sides.decoy[wb] == data.DECOY_YEARS_APART, "decoy: " + data.DECOYS[data.DECOY_YEARS_APART],
                             np.where(partner[wb], "true partner of another address", "list's own people")))
    gap = np.abs(ka.year[wa] - kb.year[wb]).tolist()
    told = [", ".join(("birth year ±1" if f == "birth year" and gap[i] == 1 else f) for f in FIELDS if diff[f][i])
            or "inseparable" for i in range(len(wa))]
    false_matches: dict[str, dict[str, int]] = {}
    for k, t in zip(kind.tolist(), told):
        false_matches.setdefault(k, Counter())[t] += 1
    return {"metrics": asdict(m), "by_noise": by_noise, "by_noise_count": by_count,
            "missed_noise": dict(missed_combos.most_common(12)),
            "false_matches": {k: dict(v.most_common()) for k, v in false_matches.items()}}


# -- running the matcher -----------------------------------------------------------------
def load_engine(spec: str) -> Callable[[People, People], Any]:
    module, _, name = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    try:
        return getattr(importlib.import_module(module), name or "find_pairs")
    except (ImportError, AttributeError) as e:
        sys.exit(f"overlap benchmark: cannot load the matcher {spec!r}: {e}")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def settle() -> bool:
    """After generating: free what the generator left (garbage, glibc's free heap) and
    restart the process's peak memory at its current size, so the peak measured next is
    the matcher's (with the data resident), not the generator's. False when the kernel
    does not allow resetting the peak (then it includes the generation)."""
    import ctypes

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # Linux ≥ 4.0: reset the peak resident set size
        return True
    except OSError:
        return False


def run(find_pairs: Callable[[People, People], Any], sides: data.Sides, repeat: int) -> tuple[Found, list[float]]:
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        t = time.perf_counter()
        result = find_pairs(sides.campaign, sides.other)
        times.append(time.perf_counter() - t)
    return found_of(result), times


def quality(args: argparse.Namespace, find_pairs: Callable[[People, People], Any]) -> dict[str, Any]:
    communes = data.communes_of(args.provinces.split(","))
    sides = data.generate(communes, args.quality_campaign, args.quality_list, seed=args.seed)
    found, times = run(find_pairs, sides, 1)
    out = evaluate(sides, found)
    out["data"] = {"communes": len(communes), "campaign": len(sides.campaign), "list": len(sides.other),
                   "true_pairs": len(sides.true_a), "decoys": {v: int((sides.decoy == k).sum())
                                                               for k, v in data.DECOYS.items()},
                   "generate_seconds": round(sides.seconds, 2), "match_seconds": round(times[0], 2)}
    return out


def scale(args: argparse.Namespace, find_pairs: Callable[[People, People], Any]) -> dict[str, Any]:
    communes = data.communes_of(None)
    sides = data.generate(communes, args.campaign, args.list, seed=args.seed)
    peak_generate = peak_mb()
    reset = settle()
    before, peak_before = rss_mb(), peak_mb()
    found, times = run(find_pairs, sides, args.repeat)
    peak_after = peak_mb()
    out: dict[str, Any] = {
        "communes": len(communes), "campaign": len(sides.campaign), "list": len(sides.other),
        "true_pairs": len(sides.true_a), "generate_seconds": round(sides.seconds, 1),
        "match_seconds": [round(t, 2) for t in times], "match_median": round(statistics.median(times), 2),
        "peak_generate_mb": round(peak_generate), "peak_reset": reset, "rss_before_mb": round(before),
        "peak_before_mb": round(peak_before), "peak_after_mb": round(peak_after),
        "pairs": {lv: int((found.level == k).sum()) for k, lv in enumerate(LEVELS)}}
    if not args.no_scale_quality:
        t = time.perf_counter()
        out.update(evaluate(sides, found))
        out["evaluate_seconds"] = round(time.perf_counter() - t, 1)
    return out


# -- printing ----------------------------------------------------------------------------
def print_metrics(m: dict[str, Any]) -> None:
    print(f"  true pairs {m['true_pairs']:,}; found {m['found']:,} pairs: {m['match']:,} match "
          f"({m['match_true']:,} true), {m['possible']:,} possible ({m['possible_true']:,} true)")
    print(f"  precision at match : {m['precision_match']:.4f}   ceiling {m['ceiling']:.4f}")
    print(f"  recall (both levels): {m['recall']:.4f}   at match {m['recall_match']:.4f}   (goal ≥ 0.99)")
    print(f"  inseparable pairs  : {m['inseparable']:,} in the data, {m['inseparable_at_match']:,} at match")
    print(f"  real errors        : {m['real_errors']:,} wrong matches that a field tells apart (goal 0)")


def print_quality(q: dict[str, Any]) -> None:
    d = q["data"]
    print(f"quality set: {d['communes']} communes, {d['campaign']:,} campaign × {d['list']:,} list rows, "
          f"{d['true_pairs']:,} true pairs, decoys "
          + ", ".join(f"{v:,} {k}" for k, v in d["decoys"].items()))
    print(f"  generated in {d['generate_seconds']:.1f} s, matched in {d['match_seconds']:.2f} s")
    print_metrics(q["metrics"])
    print(f"  {'true pairs by noise':<28} {'pairs':>7} {'match':>7} {'possible':>9} {'missed':>7} {'recall':>7}")
    for label, r in q["by_noise"].items():
        print(f"  {label:<28} {r['pairs']:>7,} {r['match']:>7,} {r['possible']:>9,} {r['missed']:>7,} "
              f"{1 - r['missed'] / r['pairs']:>7.3f}")
    print("  kinds of noise at once (upper case, thôn spelling, CCCD as a number, gender not counted):")
    for k, r in q["by_noise_count"].items():
        print(f"    {k:<3} {r['pairs']:>7,} pairs {r['match']:>7,} at match {r['missed']:>6,} missed")
    print_errors(q)


def print_errors(q: dict[str, Any]) -> None:
    if q["missed_noise"]:
        print("  missed true pairs, most common noise:")
        for combo, n in q["missed_noise"].items():
            print(f"    {n:>5,}  {combo}")
    if q["false_matches"]:
        print("  wrong matches by kind of list row, and what tells them apart:")
        for kind, told in q["false_matches"].items():
            print(f"    {kind}: {sum(told.values()):,}")
            for t, n in told.items():
                print(f"      {n:>5,}  {t}")


def print_scale(s: dict[str, Any]) -> None:
    times = s["match_seconds"]
    print(f"scale: {s['communes']:,} communes, {s['campaign']:,} campaign × {s['list']:,} list rows, "
          f"{s['true_pairs']:,} true pairs; generated in {s['generate_seconds']:.0f} s")
    spread = f" (range {min(times):.1f}–{max(times):.1f} over {len(times)})" if len(times) > 1 else ""
    print(f"  find_pairs wall time : {s['match_median']:.1f} s{spread}   (goal ≤ 30 s)")
    print(f"  memory (RSS)         : {s['rss_before_mb']:,} MB before matching (the data), peak {s['peak_after_mb']:,} MB "
          f"after   (goal ≤ 2,048 MB)")
    note = "reset before matching" if s["peak_reset"] else "NOT reset: the peak includes the generation"
    print(f"                         generating peaked at {s['peak_generate_mb']:,} MB ({note}; "
          f"peak before matching {s['peak_before_mb']:,} MB)")
    print("  pairs                : " + ", ".join(f"{v:,} {k}" for k, v in s["pairs"].items()))
    if "metrics" in s:
        print(f"  quality on this data (evaluated in {s['evaluate_seconds']:.0f} s):")
        print_metrics(s["metrics"])
        print_errors(s)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--quality", action="store_true", help="only the labelled quality set")
    what.add_argument("--scale", action="store_true", help="only the national-scale run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="match the scale data N times")
    parser.add_argument("--campaign", type=int, default=500_000, help="campaign addresses at scale")
    parser.add_argument("--list", type=int, default=1_300_000, help="list rows at scale")
    parser.add_argument("--provinces", default="33,96", help="province codes (2025) of the quality set")
    parser.add_argument("--quality-campaign", type=int, default=25_000, help=argparse.SUPPRESS)
    parser.add_argument("--quality-list", type=int, default=65_000, help=argparse.SUPPRESS)
    parser.add_argument("--no-scale-quality", action="store_true", help="skip the quality figures at scale")
    parser.add_argument("--engine", default="xl_nhandao.overlap.engine:find_pairs", help="MODULE:FUNCTION to time")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = make_parser().parse_args(argv)
    find_pairs = load_engine(args.engine)
    out: dict[str, Any] = {"engine": args.engine, "seed": args.seed}
    if not args.scale:
        out["quality"] = quality(args, find_pairs)
        if not args.json:
            print_quality(out["quality"])
    if not args.quality:
        out["scale"] = scale(args, find_pairs)
        if not args.json:
            print_scale(out["scale"])
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
