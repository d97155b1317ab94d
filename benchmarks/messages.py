"""Benchmark of rendering findings: every issue's message and hint, as ``validate --json``,
the terminal table, the ``Loi`` sheet and the annotated copy's comments need them.

Builds a standard workbook of N addresses with M clerk mistakes (synthetic generator),
validates it once, then times, over several rounds, ``Issue.as_json`` of every issue in
Vietnamese and in English. Prints the median and the range, in ms and issues/s, of the
wall time and of the process's CPU time (less disturbed by other work on a shared machine).

    python benchmarks/messages.py [--rows 5000] [--mistakes 2000] [--rounds 9]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="addresses in the register")
    parser.add_argument("--mistakes", type=int, default=2000, help="clerk mistakes injected")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()

    from xl_nhandao.demo.synth import inject_mistakes, make_unit, write_unit
    from xl_nhandao.validate import validate_file

    with tempfile.TemporaryDirectory() as tmp:
        unit = make_unit("22333", period="2024", seed=1, n_addresses=args.rows, report_date=date(2024, 11, 20))
        inject_mistakes(unit, random.Random(7), args.mistakes)
        path = write_unit(unit, Path(tmp) / "bench.xlsx", style="fast")
        report = validate_file(path, today=date(2024, 11, 21))
    issues = report.issues
    wall, cpu = [], []
    for _ in range(args.rounds):
        t, c = time.perf_counter(), time.process_time()
        for lang in ("vi", "en"):
            for issue in issues:
                issue.as_json(lang)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    n = 2 * len(issues)
    print(f"issues: {len(issues):,} ({report.counts}), rendered in vi and en = {n:,} documents")
    for name, times in (("wall", wall), ("cpu", cpu)):
        med = statistics.median(times)
        print(f"render {name}: median {med * 1000:.1f} ms (range {min(times) * 1000:.1f}–{max(times) * 1000:.1f}), "
              f"{n / med:,.0f} issues/s")


if __name__ == "__main__":
    main()
