"""The fuzz harness (``scripts/fuzz.py``) on a few hundred hostile workbooks, in one child
process calling the command line in-process: the same properties as the on-demand runs
with child processes (exit codes, one line for exit 2, no traceback or panic, inputs
unchanged, nothing left behind, no clerk's text turned into a formula, the sound
workbook beside a hostile one still consolidated). Fixed seed: a failure here is
replayed with ``python scripts/fuzz.py --seed 20 --case N``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import xl_nhandao

ROOT = Path(xl_nhandao.__file__).resolve().parent.parent
CASES = 250


@pytest.mark.skipif(os.name != "posix", reason="memory limits, timers and named pipes of POSIX")
def test_hostile_workbooks_never_crash_hang_or_lose_data() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("XLND_DEBUG", None)
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"),
                           "--cases", str(CASES), "--seed", "20", "--in-process", "--quiet"],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300, env=env)
    summary = proc.stdout + proc.stderr[-2000:]
    assert proc.returncode == 0, summary
    assert f"{CASES} cases" in summary and re.search(r"failures\s+0\b", summary), summary
    # Every command ran on every case, and the mutations reached past the zip layer.
    for command in ("validate", "json", "annotate", "consolidate"):
        line = next(x for x in summary.splitlines() if x.strip().startswith(command))
        assert sum(int(n) for n in re.findall(r"exit -?\d+: (\d+)", line)) == CASES, line
    assert re.search(r"exit 0: \d+", summary) and re.search(r"exit 1: \d+", summary)
