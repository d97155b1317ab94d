"""Benchmark of ``report`` on a long list, against what any openpyxl filler must do.

Builds a consolidation whose period has N proposed addresses (synthetic communes,
consolidated with the library), then times, interleaved over several rounds:

  (a) the bare I/O floor: a python-calamine read of every sheet of the consolidation,
      then openpyxl loads the ``danh-sach-dia-chi`` template, writes as many rows of as
      many cells as the filled list has (plain values, no layout) and saves;
  (b) ``xl-nhandao report … --template danh-sach-dia-chi`` (the library call behind the
      command): the consolidation read back and its figures recomputed from its rows,
      fields, the repeated rows with their styles, merges, heights, formulas and print
      area, the closing block kept on a page, the atomic save.

It prints the rows filled, each median with its range, rows/s, and the median and range
of the per-round ratio (b)/(a). The machine may be shared: compare ratios.

    python benchmarks/report.py [--addresses 5000 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMUNES = ("22333", "22366", "22390", "22402", "22411")


def build(folder: Path, addresses: int) -> Path:
    """A consolidation of five communes with ``addresses`` addresses in all."""
    import xl_nhandao as nd
    from xl_nhandao.demo.synth import make_unit, write_unit

    units = folder / "units"
    units.mkdir()
    for i, code in enumerate(COMMUNES):
        unit = make_unit(code, period="2024", seed=i, n_addresses=addresses // len(COMMUNES))
        write_unit(unit, units / f"{code}.xlsx", style="fast")
    out = folder / "tong-hop.xlsx"
    nd.consolidate([units], period="2024", output=out)
    return out


def floor(source: Path, template: Path, rows: int, cols: int, out: Path) -> None:
    import python_calamine
    from openpyxl import load_workbook

    book = python_calamine.CalamineWorkbook.from_path(str(source))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()

    wb = load_workbook(template)
    ws = wb.worksheets[0]
    start = ws.max_row + 1
    for r in range(start, start + rows):
        for c in range(1, cols + 1):
            ws.cell(r, c, value=f"{r}-{c}" if c % 2 else r * c)
    wb.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from openpyxl import load_workbook

    import xl_nhandao as nd

    template = next(Path(t["file"]) for t in nd.templates() if t["name"] == "danh-sach-dia-chi")
    for n in args.addresses:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            source = build(folder, n)
            probe = nd.report(source, "danh-sach-dia-chi", folder / "probe.xlsx", period="2024", force=True)
            filled = sum(probe.rows.values())
            ws = load_workbook(template).worksheets[0]
            cols = ws.max_column
            times: dict[str, list[float]] = {"floor": [], "report": []}
            ratios = []
            for k in range(args.rounds):
                got = {}
                for step in (("floor", "report") if k % 2 == 0 else ("report", "floor")):
                    gc.collect()
                    t = time.perf_counter()
                    if step == "floor":
                        floor(source, template, filled, cols, folder / "floor.xlsx")
                    else:
                        nd.report(source, "danh-sach-dia-chi", folder / "bao-cao.xlsx", period="2024", force=True)
                    got[step] = time.perf_counter() - t
                for step, value in got.items():
                    times[step].append(value)
                ratios.append(got["report"] / got["floor"])

            def show(values: list[float]) -> str:
                return f"{statistics.median(values):6.2f} s [{min(values):.2f} – {max(values):.2f}]"

            print(f"{n:,} addresses in the consolidation: {filled:,} list rows filled, {cols} columns, "
                  f"{args.rounds} rounds interleaved; median [min – max]")
            print(f"  (a) bare I/O (read, load, {filled:,} rows, save)  : {show(times['floor'])}")
            print(f"  (b) xl-nhandao report danh-sach-dia-chi       : {show(times['report'])}  "
                  f"({filled / statistics.median(times['report']):,.0f} rows/s)")
            print(f"  ratio (b)/(a) per round                        : {statistics.median(ratios):6.2f}   "
                  f"[{min(ratios):.2f} – {max(ratios):.2f}]")


if __name__ == "__main__":
    main()
