"""Benchmark of ``validate`` against the bare I/O limit, measured in the same run.

Builds a standard workbook of N addresses (default 5,000; with their registrations and
support events) from the synthetic generator, then times, interleaved, several rounds of

  (a) a bare python-calamine read of every sheet of the same file (the floor: what any
      reader of these sheets must do — open the workbook and get every cell value), and
  (b) ``xl_nhandao.validate.validate_file`` (read + every rule), with the text and parse
      caches emptied before each round (a cold start as in a fresh process; the code
      lists, loaded once per process, are timed on their own).

Each round runs (a) and (b) back to back, in alternating order, after a full garbage
collection (so no round pays for the garbage of the one before), and gives one ratio
(b)/(a). It prints the median and range of the ratios (goal ≤ 1.5) and of the times, and
the import time of ``xl_nhandao`` and of the validator in a fresh interpreter (the Excel
ribbon starts a process per click). The machine may be shared: compare ratios.

    python benchmarks/validate.py [--rows 5000] [--rounds 7] [--file WORKBOOK]

``--file`` times a given workbook instead (one saved by Excel or LibreOffice keeps its
text in a shared-strings part, which the generated one does not), validated as of today.
"""

from __future__ import annotations

import argparse
import gc
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


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:8.1f} ms [{min(times) * 1000:.1f} – {max(times) * 1000:.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="addresses in the register")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--file", type=Path, help="time this workbook instead of a generated one")
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
        if args.file:
            path, today = args.file, date.today()
            rows = sum(validate_file(path, today=today).rows.values())
            label = f"{path.name}"
        else:
            unit = make_unit("22333", period="2024", seed=1, n_addresses=args.rows)
            path = write_unit(unit, Path(tmp) / "bench.xlsx", style="fast")
            report_date = unit.info["Ngày lập báo cáo"]
            today = (report_date if isinstance(report_date, date) else date(2024, 11, 20)) + timedelta(days=1)
            rows = sum(len(v) for v in unit.tables.values())
            label = f"{args.rows:,} addresses"
        bare, full, ratios = [], [], []
        report, found = None, ""
        for k in range(args.rounds):
            times = {}
            for step in (("bare", "full") if k % 2 == 0 else ("full", "bare")):
                report = None
                clear_caches()  # cold text and parse caches, as in a fresh process
                gc.collect()
                t = time.perf_counter()
                if step == "bare":
                    bare_read(path)
                else:
                    report = validate_file(path, today=today)
                times[step] = time.perf_counter() - t
                if report is not None:
                    found = f"{report.counts} (valid={report.valid})"
            bare.append(times["bare"])
            full.append(times["full"])
            ratios.append(times["full"] / times["bare"])
        size = path.stat().st_size
        print(f"workbook: {label}, {rows:,} data rows in all sheets, {size / 1024:,.0f} KiB")
        print(f"issues found: {found}")
        print(f"rounds: {args.rounds} (interleaved); medians, [min – max]")
        print(f"(a) bare python-calamine read : {_ms(bare)}  ({rows / statistics.median(bare):,.0f} rows/s)")
        print(f"(b) xl-nhandao validate       : {_ms(full)}  ({rows / statistics.median(full):,.0f} rows/s)")
        print(f"ratio (b)/(a) per round       : {statistics.median(ratios):8.2f}    "
              f"[{min(ratios):.2f} – {max(ratios):.2f}]   (goal ≤ 1.50)")
    print(f"code lists, first load        : {load_codes * 1000:8.1f} ms  (once per process, not in (b))")
    print(f"import xl_nhandao             : {import_ms('xl_nhandao'):8.1f} ms")
    print(f"import xl_nhandao.validate    : {import_ms('xl_nhandao.validate'):8.1f} ms")
    print(f"import openpyxl (for scale)   : {import_ms('openpyxl'):8.1f} ms")


if __name__ == "__main__":
    main()
