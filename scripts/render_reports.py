"""Fill every shipped report template from a consolidation and render each filled report
as it prints (LibreOffice → PDF → ``pdftoppm``, through ``scripts/render.py``), so that
every page can be looked at: A4, nothing cut, clipped or overlapping.

    python scripts/render_reports.py [CONSOLIDATED.xlsx] -o FOLDER [--template NAME ...] [--dpi 70]
                                     [--period P] [--date dd/mm/yyyy]

Without a consolidation the demo province is built in a temporary folder and its
consolidation after the overlap review is used (a year of 30 communes, about 400
proposed addresses). Writes ``FOLDER/<template>.xlsx`` and
``FOLDER/<template>/NN-Sheet-PPP.png`` and prints, for each sheet, its pages and what
the PDF's text shows that a reader would not accept:

- a placeholder left (``{{ … }}``) or a number too wide for its column (``###``);
- a number grouped the English way (``1,500,000``) or a rate with a decimal point;
- the closing block split: "Nơi nhận" and the signer's name on different pages.

Not used by CI: it is for people checking printouts (and needs what ``render.py`` needs).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from render import LOCALE, render  # noqa: E402

import xl_nhandao as nd  # noqa: E402

SIGNER = "Nguyễn Văn An"
PREPARER = "Trần Thị Bình"
_ENGLISH_GROUPING = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
_DECIMAL_POINT = re.compile(r"(?<![\d.])\d{1,3}\.\d(?![\d.])")


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (``pdftotext``, one form feed between pages)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def findings(pages: list[str]) -> list[str]:
    """What a reader would not accept on the printed pages."""
    out = []
    for i, text in enumerate(pages, start=1):
        if "{{" in text or "}}" in text:
            out.append(f"page {i}: a placeholder is left")
        if "###" in text:
            out.append(f"page {i}: ### (a number wider than its column)")
        for m in _ENGLISH_GROUPING.findall(text):
            out.append(f"page {i}: {m} grouped with commas")
        for m in _DECIMAL_POINT.findall(text):
            out.append(f"page {i}: {m} with a decimal point")
    received = [i for i, t in enumerate(pages, start=1) if "Nơi nhận" in t]
    signed = [i for i, t in enumerate(pages, start=1) if SIGNER in t]
    if received and signed and received[-1] != signed[-1]:
        out.append(f"closing block split: “Nơi nhận” on page {received[-1]}, the signer's name on page {signed[-1]}")
    return out


def demo_consolidation(folder: Path) -> Path:
    res = nd.demo(folder / "demo", today=date(2026, 2, 5))
    return res.decided_output or res.output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("consolidation", type=Path, nargs="?", help="a consolidation workbook (default: the demo's)")
    parser.add_argument("-o", "--out", type=Path, required=True, help="folder for the reports and their pages")
    parser.add_argument("--template", action="append", help="only this template (repeatable)")
    parser.add_argument("--period", help="the period to report (default: the consolidation's)")
    parser.add_argument("--date", default="05/02/2026", help="the report's date (default 05/02/2026)")
    parser.add_argument("--dpi", type=int, default=70)
    parser.add_argument("--locale", default=LOCALE)
    args = parser.parse_args()
    names = args.template or [t["name"] for t in nd.templates() if str(t["file"]).endswith(".xlsx")]
    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        source = args.consolidation or demo_consolidation(Path(tmp))
        print(f"consolidation: {source}")
        for name in names:
            report = args.out / f"{name}.xlsx"
            nd.report(source, name, report, period=args.period, number="24/BC-HCTĐ", signer=SIGNER,
                      preparer=PREPARER, report_date=args.date, force=True, today=date(2026, 2, 5))
            pages = render(report, args.out / name, dpi=args.dpi, locale=args.locale)
            for sheet, n in pages.items():
                pdf = next((args.out / name).glob(f"*-{re.sub(r'[^0-9A-Za-z_-]+', '_', sheet)}.pdf"))
                found = findings(page_texts(pdf))
                problems += len(found)
                print(f"{name:<22} {sheet:<10} {n:3d} page{'s' if n != 1 else ' '}  "
                      + ("; ".join(found) if found else "ok"))
    print(f"PNG pages in {args.out}/<template>/")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
