"""Regenerate everything derived from the declarations: the blank standard workbook in
``workbooks/`` and the reference pages in ``docs/``. Run from the repository root:

    python scripts/regenerate.py          # write
    python scripts/regenerate.py --check  # exit 1 if anything is stale
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xl_nhandao.docs import PAGES  # noqa: E402
from xl_nhandao.workbook.blank import BLANK_WORKBOOK, new_workbook  # noqa: E402
from xl_nhandao.workbook.xlsxcompare import workbook_parts_differ  # noqa: E402


def main(check: bool) -> int:
    stale = []
    for rel, render in PAGES.items():
        path = ROOT / rel
        text = render()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    target = ROOT / BLANK_WORKBOOK
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / target.name
        new_workbook(fresh)
        if not target.exists() or workbook_parts_differ(fresh, target):
            stale.append(str(BLANK_WORKBOOK))
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(fresh.read_bytes())
    for s in stale:
        print(("stale: " if check else "written: ") + s)
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
