"""docs/api.md's example runs as written (in a temporary folder), and importing the
package is light (no pandas, openpyxl, numpy until a frame or a file is asked for)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def blocks() -> list[str]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_the_api_page_example_runs(tmp_path: Path) -> None:
    example = blocks()[0]
    proc = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Tổng giá trị trợ giúp:" in proc.stdout and "Đã điền: bang-so-lieu.xlsx" in proc.stdout
    assert (tmp_path / "vi-du" / "ra-soat.xlsx").is_file()


def test_the_failure_example_prints_one_line_each(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", blocks()[1]], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2 and "khong-co.xlsx" in lines[0] and "khong-co.xlsx" in lines[1]


def test_importing_the_package_is_light() -> None:
    code = ("import sys, xl_nhandao as nd; "
            "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl', 'xlsxwriter', 'python_calamine', 'docx', "
            "'rapidfuzz', 'xlwings') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr
