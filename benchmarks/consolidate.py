"""Benchmark of ``consolidate`` against the bare I/O limit, measured in the same run.

Builds N standard commune workbooks (default 300 communes, ~45,000 rows in all) with
the synthetic generator, then times, alternating over several rounds:

  (a) the bare I/O limit: python-calamine read of every sheet of every file, plus an
      XlsxWriter constant-memory write of the same rows into one workbook;
  (b) naive pandas: ``read_excel`` (openpyxl engine) of every sheet of every file,
      ``concat`` per sheet, ``to_excel`` (openpyxl engine);
  (c) ``xl-nhandao consolidate``: every rule, the policy, the merge, the indicators
      and the full output workbook (the library call behind the command).

The three run one after the other in every round, so each round's ratio (c)/(a) compares
runs made under the same load. It prints each median, rows/s, and the median and range
of the per-round ratio (c)/(a) (goal ≤ 1.00). ``--national`` also builds 3,321 communes
(~512,000 rows) and runs (c) in a child process, printing its time and peak memory
(goal ≤ 60 s and ≤ 1 GB). The machine is shared: compare ratios, not seconds.

    python benchmarks/consolidate.py [--communes 300] [--rounds 5] [--skip-pandas] [--national]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS_PER_ADDRESS = 3.6  # DiaChi + DangKy + TroGiup rows per address in the synthetic data


def communes(n: int) -> list[str]:
    from xl_nhandao.vn import adminunits

    out: list[str] = []
    for p in adminunits.provinces("2025"):
        out.extend(u.code for u in adminunits.children(p.code, "2025"))
        if len(out) >= n:
            break
    return out[:n]


def build(folder: Path, n: int, addresses: int) -> int:
    from xl_nhandao.demo.synth import make_unit, write_unit

    rows = 0
    for i, code in enumerate(communes(n)):
        unit = make_unit(code, period="2024", seed=i, n_addresses=addresses)
        write_unit(unit, folder / f"{code}.xlsx", style="fast")
        rows += sum(len(v) for v in unit.tables.values())
    return rows


def bare_io(files: list[Path], out: Path) -> int:
    import python_calamine
    import xlsxwriter

    merged: dict[str, list[list[object]]] = {"DiaChi": [], "DangKy": [], "TroGiup": []}
    for f in files:
        book = python_calamine.CalamineWorkbook.from_path(str(f))
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if name in merged:
                merged[name].extend(rows[1:])
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    n = 0
    for name, rows in merged.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
        n += len(rows)
    wb.close()
    return n


def naive_pandas(files: list[Path], out: Path) -> None:
    import pandas as pd

    parts: dict[str, list[object]] = {"DiaChi": [], "DangKy": [], "TroGiup": []}
    for f in files:
        sheets = pd.read_excel(f, sheet_name=None, engine="openpyxl")
        for name in parts:
            if name in sheets:
                parts[name].append(sheets[name])
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frames in parts.items():
            pd.concat(frames).to_excel(writer, sheet_name=name, index=False)


def ours(folder: Path, out: Path) -> dict[str, object]:
    from datetime import date

    from xl_nhandao.consolidate import consolidate
    from xl_nhandao.consolidate.writer import write_consolidation
    from xl_nhandao.vn.text import clear_caches

    clear_caches()  # cold caches, as in a fresh process: every round pays for its parsing
    result = consolidate([folder], "2024", today=date(2024, 12, 31), exclude=[out])
    write_consolidation(result, out)
    return result.rows


def child(folder: str, out: str) -> None:
    """Run (c) alone and print its time and peak memory (for --national)."""
    import resource

    t = time.perf_counter()
    rows = ours(Path(folder), Path(out))
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=300)
    parser.add_argument("--rows", type=int, default=45_000, help="data rows in all (about)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--national", action="store_true", help="also 3,321 communes, ~500,000 rows")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        per_unit = max(5, round(args.rows / args.communes / ROWS_PER_ADDRESS))
        t = time.perf_counter()
        rows = build(folder, args.communes, per_unit)
        print(f"built {args.communes} workbooks, {rows:,} data rows ({per_unit} addresses each) in "
              f"{time.perf_counter() - t:.1f} s")
        files = sorted(folder.glob("*.xlsx"))
        a, b, c = [], [], []
        result = None
        for _ in range(args.rounds):
            t = time.perf_counter()
            bare_io(files, Path(tmp) / "bare.xlsx")
            a.append(time.perf_counter() - t)
            if not args.skip_pandas:
                t = time.perf_counter()
                naive_pandas(files, Path(tmp) / "pandas.xlsx")
                b.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = ours(folder, Path(tmp) / "ours.xlsx")
            c.append(time.perf_counter() - t)
        ma, mc = statistics.median(a), statistics.median(c)
        ratios = [y / x for x, y in zip(a, c)]
        print(f"(a) bare I/O (calamine read + XlsxWriter write) : {ma:7.2f} s  ({rows / ma:,.0f} rows/s)")
        if b:
            mb = statistics.median(b)
            print(f"(b) naive pandas (openpyxl read/concat/write)  : {mb:7.2f} s  ({rows / mb:,.0f} rows/s)")
        print(f"(c) xl-nhandao consolidate                     : {mc:7.2f} s  ({rows / mc:,.0f} rows/s)")
        print(f"ratio (c)/(a), median of {len(ratios)} rounds              : {statistics.median(ratios):7.2f}   "
              f"(range {min(ratios):.2f}–{max(ratios):.2f}; goal ≤ 1.00)")
        if b:
            print(f"ratio (b)/(c)                                  : {statistics.median(b) / mc:7.2f}")
        print(f"rows: {result}")

    if args.national:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            t = time.perf_counter()
            rows = build(folder, 3321, 42)
            print(f"national: built 3,321 workbooks, {rows:,} rows in {time.perf_counter() - t:.0f} s")
            proc = subprocess.run([sys.executable, __file__, "--child", str(folder), str(Path(tmp) / "vn.xlsx")],
                                  capture_output=True, text=True, check=True)
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"national: consolidate {figures['seconds']:.1f} s (goal ≤ 60 s), peak memory "
                  f"{figures['peak_mb']:,.0f} MB (goal ≤ 1,024 MB), rows {figures['rows']}")


if __name__ == "__main__":
    main()
