"""Benchmark of ``validate`` against the bare I/O limit, measured in the same run.

Builds a standard workbook of N addresses (default 5,000; with their registrations and
support events) from the synthetic generator, then times, alternating, several rounds of

  (a) a bare python-calamine read of every sheet of the same file (the floor), and
  (b) ``xl_nhandao.validate.validate_file`` (read + every rule), with the text caches
      emptied before each round (a cold start; the code lists, loaded once per
      process, are timed on their own),

and prints rows/s and the ratio (b)/(a) (goal ≤ 2). It also prints the import time of
``xl_nhandao`` and of the validator in a fresh interpreter (the Excel ribbon starts a
process per click). Figures are medians; the machine is shared, so compare ratios.

    python benchmarks/validate.py [--rows 5000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bare_read(path: Path) -> int:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    n = 0
    for name in book.sheet_names:
        n += len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return n


def import_ms(module: str, repeat: int = 5) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 cwd=ROOT).stdout) for _ in range(repeat)]
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="addresses in the register")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from xl_nhandao.demo.synth import make_unit, write_unit
    from xl_nhandao.validate import validate_file
    from xl_nhandao.vn import adminunits
    from xl_nhandao.vn.text import clear_caches

    t = time.perf_counter()
    adminunits.lookup("22333")
    adminunits.cccd_province_codes()
    load_codes = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        unit = make_unit("22333", period="2024", seed=1, n_addresses=args.rows)
        path = write_unit(unit, Path(tmp) / "bench.xlsx", style="fast")
        report_date = unit.info["Ngày lập báo cáo"]
        today = (report_date if isinstance(report_date, date) else date(2024, 11, 20)) + timedelta(days=1)
        rows = sum(len(v) for v in unit.tables.values())
        bare, full = [], []
        report = None
        for _ in range(args.rounds):
            t = time.perf_counter()
            bare_read(path)
            bare.append(time.perf_counter() - t)
            clear_caches()  # cold text caches, as in a fresh process
            t = time.perf_counter()
            report = validate_file(path, today=today)
            full.append(time.perf_counter() - t)
        assert report is not None
        a, b = statistics.median(bare), statistics.median(full)
        size = path.stat().st_size
        print(f"workbook: {args.rows:,} addresses, {rows:,} data rows in all sheets, {size / 1024:,.0f} KiB")
        print(f"issues found: {report.counts} (valid={report.valid})")
        print(f"(a) bare python-calamine read : {a * 1000:8.1f} ms  ({rows / a:,.0f} rows/s)")
        print(f"(b) xl-nhandao validate       : {b * 1000:8.1f} ms  ({rows / b:,.0f} rows/s)")
        print(f"ratio (b)/(a)                 : {b / a:8.2f}   (goal ≤ 2.00)")
    print(f"code lists, first load        : {load_codes * 1000:8.1f} ms  (once per process, not in (b))")
    print(f"import xl_nhandao             : {import_ms('xl_nhandao'):8.1f} ms")
    print(f"import xl_nhandao.validate    : {import_ms('xl_nhandao.validate'):8.1f} ms")
    print(f"import openpyxl (for scale)   : {import_ms('openpyxl'):8.1f} ms")


if __name__ == "__main__":
    main()
