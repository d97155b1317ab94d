"""Benchmark of a ribbon click's start: every click runs a new Python process.

Times, in fresh processes, interleaved (each round runs every kind once, in a rotating
order), ``--rounds`` rounds (at least 5):

  pass        ``python -c pass``: the interpreter alone (the floor);
  import      ``python -c "import xl_nhandao.addin.dispatch"``: the dispatcher;
  click       a process that builds a small fake ``Book`` (``tests/fakebook.py``, standard
              library only: the clean commune register, three addresses, from rows
              written beforehand), then imports the dispatcher and runs "Kiểm tra dữ liệu"
              on it — from the process's start to the first status bar text, and to the
              end of the click (read every sheet, check, message);
  xlwings     (with ``--xlwings DIR``, a folder where xlwings is installed, e.g. by
              ``pip install --no-deps --target DIR xlwings==0.37.8``) ``python -c "import
              xlwings.utils"``: what xlwings' ``RunPython`` runs before our code.

Also, inside the click processes: the dispatcher's import alone, and import + ``main`` up
to the first status text, without the interpreter's start and the fake's set-up.

    python benchmarks/addin.py [--rounds 7] [--xlwings DIR]

It prints the median and range of each. The machine may be shared: compare against
``pass`` measured in the same run. Excel itself adds the COM calls (each a fraction of a
millisecond) and, on Windows, xlwings' import (pywin32 included), which this cannot time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CLICK = """
import sys, time, json
from datetime import datetime
sys.path.insert(0, {tests!r})
from fakebook import book_with
with open({data!r}, encoding="utf-8") as fh:
    sheets = json.load(fh)
for rows in sheets.values():
    for row in rows:
        for i, v in enumerate(row):
            if isinstance(v, str) and v.startswith("@date:"):
                row[i] = datetime.fromisoformat(v[6:])
fake = book_with(sheets, name="so.xlsx")
marks = {{}}
def seen(text):
    if "first" not in marks:
        marks["first"], marks["first_perf"] = time.time(), time.perf_counter()
fake.app.on_status = seen
t0 = time.perf_counter()
import xl_nhandao.addin.dispatch as d
t1 = time.perf_counter()
d.main("validate", book=fake)
end = time.time()
assert fake.app.alerts, "no message box"
print(json.dumps({{"first": marks["first"], "end": end, "import": t1 - t0, "main_first": marks["first_perf"] - t0}}))
"""


def book_data(folder: Path) -> Path:
    """The clean commune register (tests/books.py) as the rows a fake Book is built from,
    written once, so that a click's process imports nothing of the package before the
    dispatcher."""
    from datetime import date

    sys.path.insert(0, str(ROOT / "tests"))
    from books import clean_book

    book = clean_book()
    assert book.info is not None

    def plain(v: object) -> object:
        return f"@date:{v.isoformat()}" if isinstance(v, date) else v

    sheets = {"ThongTin": [["THÔNG TIN ĐƠN VỊ"], [None], *[[k, plain(v)] for k, v in book.info.items()]]}
    for name, (headers, rows) in book.tables.items():
        sheets[name] = [[f"Tiêu đề {name}"], [None], headers, *[[plain(v) for v in r] for r in rows]]
    path = folder / "book.json"
    path.write_text(json.dumps(sheets, ensure_ascii=False), encoding="utf-8")
    return path


def run(kind: str, xlwings: Path | None, logs: Path, data: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLND_LOG_DIR": str(logs)}
    if kind == "pass":
        code = "pass"
    elif kind == "import":
        code = "import xl_nhandao.addin.dispatch"
    elif kind == "xlwings":
        env["PYTHONPATH"] = os.pathsep.join([str(xlwings), str(ROOT)])
        code = "import xlwings.utils"
    else:
        code = CLICK.format(tests=str(ROOT / "tests"), data=str(data))
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.time() - start
    if done.returncode != 0:
        raise SystemExit(f"{kind}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
    out = {"wall": wall}
    if kind == "click":
        data = json.loads(done.stdout)
        out.update({"first": data["first"] - start, "end": data["end"] - start, "import": data["import"],
                    "main_first": data["main_first"]})
    return out


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms  [{min(values) * 1000:.1f} – {max(values) * 1000:.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--xlwings", type=Path, default=None, help="a folder where xlwings is installed")
    args = parser.parse_args()
    rounds = max(5, args.rounds)
    kinds = ["pass", "import", "click"] + (["xlwings"] if args.xlwings else [])
    results: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        logs, data = Path(tmp), book_data(Path(tmp))
        for k in kinds:  # warm the file cache and the bytecode once, untimed
            run(k, args.xlwings, logs, data)
        for r in range(rounds):
            order = kinds[r % len(kinds):] + kinds[: r % len(kinds)]
            for k in order:
                results[k].append(run(k, args.xlwings, logs, data))
    bare = [x["wall"] for x in results["pass"]]
    print(f"{rounds} rounds, interleaved; median [min – max]; Python {sys.version.split()[0]}")
    print(f"  python -c pass                              {_ms(bare)}")
    imp = [x["wall"] for x in results["import"]]
    print(f"  python -c 'import …addin.dispatch'          {_ms(imp)}   (+{(statistics.median(imp) - statistics.median(bare)) * 1000:.1f} ms)")
    click = results["click"]
    print(f"  click: process start → first status text   {_ms([x['first'] for x in click])}")
    print(f"  click: process start → done (Kiểm tra dữ liệu, 3 addresses) {_ms([x['end'] for x in click])}")
    print(f"  in the click: import of the dispatcher      {_ms([x['import'] for x in click])}")
    print(f"  in the click: import + main → first status  {_ms([x['main_first'] for x in click])}")
    if args.xlwings:
        xl = [x["wall"] for x in results["xlwings"]]
        print(f"  python -c 'import xlwings.utils' (RunPython's preamble) {_ms(xl)}")


if __name__ == "__main__":
    main()
