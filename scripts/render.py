"""Render an ``.xlsx`` as it prints: LibreOffice (headless) → PDF → ``pdftoppm`` → PNG
pages, one sheet at a time, so every page can be looked at and counted per sheet.

    python scripts/render.py BOOK.xlsx -o FOLDER [--sheet NAME ...] [--dpi 60] [--locale vi_VN]

Writes ``FOLDER/NN-Sheet-PPP.png`` (NN = the sheet's position, PPP its page) and
``FOLDER/NN-Sheet.pdf``, and prints the pages of each sheet and the total. Each sheet
is printed from a copy of the workbook in which every other sheet is hidden (the zip is
edited, nothing else changes: charts, page setup and styles stay as written). Hidden
sheets do not print and are skipped, as Excel and LibreOffice do.

Needs ``soffice`` (Debian: libreoffice-calc) and ``pdftoppm``/``pdfinfo``
(Debian: poppler-utils), and for column widths as Excel has them the Carlito font
(Debian: fonts-crosextra-carlito, metric-compatible with Calibri, the default font
whose digit width sets the width of a column; without it columns print about a third
wider). Not used by CI: it is for people checking printouts.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xl_nhandao.workbook.guard import xml_unescape

#: LibreOffice formats numbers and dates by the locale it runs in (its own locale data:
#: the system need not have it installed).
LOCALE = "vi_VN"
_SHEET = re.compile(rb"<sheet\b[^>]*/>")
_NAME = re.compile(rb'\bname="([^"]*)"')
_STATE = re.compile(rb'\s+state="[^"]*"')
_ACTIVE = re.compile(rb'\s+(?:activeTab|firstSheet)="\d+"')
_PRINT_AREA = re.compile(rb'<definedName name="_xlnm\.Print_Area" localSheetId="(\d+)"[^>]*>[^<]*</definedName>')


def sheets(book: Path) -> list[tuple[str, bool]]:
    """The sheets of ``book`` in order, with whether each is visible."""
    with zipfile.ZipFile(book) as zf:
        xml = zf.read("xl/workbook.xml")
    out = []
    for tag in _SHEET.findall(xml):
        name = _NAME.search(tag)
        assert name is not None
        out.append((xml_unescape(name.group(1).decode("utf-8")), b'state="hidden"' not in tag and b'state="veryHidden"' not in tag))
    return out


def only_sheet(book: Path, keep: int, out: Path) -> None:
    """Copy ``book`` to ``out`` with every sheet but the ``keep``-th (0-based) hidden."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                n = -1

                def hide(m: re.Match[bytes]) -> bytes:
                    nonlocal n
                    n += 1
                    tag = _STATE.sub(b"", m.group(0))
                    return tag if n == keep else tag[:-2].rstrip() + b' state="hidden"/>'

                data = _SHEET.sub(hide, data)
                # LibreOffice prints a hidden sheet's print area: drop those
                data = _PRINT_AREA.sub(lambda m: m.group(0) if int(m.group(1)) == keep else b"", data)
                data = _ACTIVE.sub(b"", data).replace(b"<workbookView", f'<workbookView activeTab="{keep}"'.encode(),
                                                      1)
            elif item.filename.startswith("xl/worksheets/sheet") and item.filename.endswith(".xml"):
                # a tab selected in Excel prints with the active one; select none
                data = data.replace(b' tabSelected="1"', b"")
            dst.writestr(item, data)


def to_pdf(book: Path, folder: Path, profile: Path, locale: str = LOCALE) -> Path:
    """Convert ``book`` to PDF in ``folder`` with a LibreOffice profile of its own (so
    several renders, and a desktop LibreOffice, can run side by side), in ``locale``
    (numbers show as a coordinator's Excel shows them: ``1.500.000`` in vi_VN)."""
    cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(folder), str(book)]
    env = {**os.environ, "LANG": f"{locale}.UTF-8", "LC_ALL": f"{locale}.UTF-8"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    pdf = folder / (book.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        raise SystemExit(f"soffice could not convert {book.name}: {proc.stderr.strip() or proc.stdout.strip()}")
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(m.group(1)) if m else 0


def render(book: Path, folder: Path, wanted: list[str] | None = None, dpi: int = 60,
           locale: str = LOCALE) -> dict[str, int]:
    """Render each visible sheet of ``book`` (or those named) into ``folder``; return the
    pages of each."""
    for tool in ("soffice", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (Debian: libreoffice-calc, poppler-utils)")
    folder.mkdir(parents=True, exist_ok=True)
    pages: dict[str, int] = {}
    all_sheets = sheets(book)
    unknown = set(wanted or ()) - {n for n, _ in all_sheets}
    if unknown:
        raise SystemExit(f"no such sheet in {book.name}: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for i, (name, visible) in enumerate(all_sheets):
            if not visible or (wanted and name not in wanted):
                continue
            safe = re.sub(r"[^0-9A-Za-z_-]+", "_", name)
            stem = f"{i + 1:02d}-{safe}"
            copy = work / f"{stem}.xlsx"
            only_sheet(book, i, copy)
            pdf = to_pdf(copy, work, work / "profile", locale)
            n = page_count(pdf)
            pages[name] = n
            for old in folder.glob(f"{stem}-*.png"):
                old.unlink()
            shutil.copy(pdf, folder / f"{stem}.pdf")
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / stem)], check=True)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("-o", "--out", type=Path, required=True, help="folder for the PNG pages")
    parser.add_argument("--sheet", action="append", help="only this sheet (repeatable)")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--locale", default=LOCALE, help=f"number and date display (default {LOCALE})")
    args = parser.parse_args()
    pages = render(args.book, args.out, args.sheet, args.dpi, args.locale)
    width = max((len(n) for n in pages), default=5)
    for name, n in pages.items():
        print(f"{name:<{width}}  {n:4d} page{'s' if n != 1 else ''}")
    print(f"{'total':<{width}}  {sum(pages.values()):4d}")
    print(f"PNG pages in {args.out}")


if __name__ == "__main__":
    main()
