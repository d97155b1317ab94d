"""Cấp mã địa chỉ: the next ``<Mã xã>-NNNN`` codes for the rows of ``DiaChi`` that have
none, never one given before.

A code is ``<the row's Mã xã>-<number>`` (the unit's own Mã xã from ThongTin when the row
has none), the number one more than the highest ever given for that commune in this
workbook: the highest in the column now, and the highest remembered in the very hidden
sheet ``_xlnd_ma_dia_chi`` (updated at every run), so that the code of a row deleted since
is not given again. Numbers have four digits (``0001``), five past 9999. A cell holding a
formula is never written over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..errors import RunError
from .book import as_text, very_hide, write_rows

if TYPE_CHECKING:
    from ..validate import Report
    from .book import LiveWorkbook

CODES_SHEET = "_xlnd_ma_dia_chi"
CODES_HEADER = ("Mã xã", "Số cuối đã cấp", "Ngày cấp")
_CODE = re.compile(r"(\d{5})-(\d{1,7})")


@dataclass
class Assigned:
    #: (Excel row, code) of each code written.
    given: list[tuple[int, str]] = field(default_factory=list)
    #: Rows without a code and without a commune to give one from.
    no_commune: list[int] = field(default_factory=list)
    #: Rows whose code cell holds a formula (left alone).
    formulas: list[int] = field(default_factory=list)
    sheet: str = ""


def assign(book: object, source: LiveWorkbook, report: Report, today: date | None = None) -> Assigned:
    """Give codes to the register's rows that have none; returns what was given."""
    table = report.workbook.tables.get("DiaChi")
    if table is None or table.sheet is None or table.header_row is None \
            or "ma_dia_chi" not in table.columns or "ma_xa" not in table.columns:
        raise RunError("addin-no-register", book=source.label)
    col = table.columns["ma_dia_chi"]  # 0-based
    grid = source.data[table.sheet].rows
    unit = report.unit.code if report.unit.level == "Xã" and report.unit.code else None
    unit = unit or _text(report.workbook.info.values.get("ma_xa"))
    sheet = book.sheets[table.sheet]  # type: ignore[attr-defined]
    out = Assigned(sheet=table.sheet)
    # Every code of the column counts, in a data row or not.
    highest: dict[str, int] = {}
    for row in grid[table.header_row:]:
        m = _CODE.fullmatch(_text(row[col] if col < len(row) else "") or "")
        if m:
            highest[m.group(1)] = max(highest.get(m.group(1), 0), int(m.group(2)))
    store = _store(book)
    remembered = _remembered(store) if store is not None else {}
    for prefix, n in remembered.items():
        highest[prefix] = max(highest.get(prefix, 0), n)
    communes = table.column("ma_xa")
    wanted: list[tuple[int, str]] = []
    for i, rec in enumerate(table.records):
        row = grid[rec.row - 1]
        if _text(row[col] if col < len(row) else ""):
            continue
        prefix = _text(communes[i]) or unit
        if not prefix or not re.fullmatch(r"\d{5}", prefix):
            out.no_commune.append(rec.row)
            continue
        wanted.append((rec.row, prefix))
    if not wanted:
        return out
    # A code cell holding a formula (="" looks empty) is left alone.
    first, last = wanted[0][0], wanted[-1][0]
    formulas = sheet.range((first, col + 1), (last, col + 1)).formula  # type: ignore[attr-defined]
    formulas = [[formulas]] if isinstance(formulas, str) else formulas
    is_formula = {first + k for k, f in enumerate(formulas) if isinstance(f[0], str) and f[0].startswith("=")}
    for excel_row, prefix in wanted:
        if excel_row in is_formula:
            out.formulas.append(excel_row)
            continue
        highest[prefix] = highest.get(prefix, 0) + 1
        out.given.append((excel_row, f"{prefix}-{highest[prefix]:04d}"))
    # The highest numbers first: a run stopped half-way never gives a code twice.
    _remember(book, store, highest, today or date.today())
    for run in _runs(out.given):
        top = run[0][0]
        rng = sheet.range((top, col + 1), (run[-1][0], col + 1))  # type: ignore[attr-defined]
        text = _number_format(rng) == "@"  # a Text cell keeps what is written as it is
        write_rows(sheet, top, col + 1, [[code if text else as_text(code)] for _, code in run])
    return out


def _text(v: object) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _runs(given: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    runs: list[list[tuple[int, str]]] = []
    for item in given:
        if runs and runs[-1][-1][0] + 1 == item[0]:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _number_format(rng: object) -> str | None:
    try:
        return rng.number_format  # type: ignore[attr-defined]
    except Exception:
        return None


def _store(book: object) -> object | None:
    for sheet in book.sheets:  # type: ignore[attr-defined]
        if sheet.name == CODES_SHEET:
            return sheet
    return None


def _remembered(store: object) -> dict[str, int]:
    grid = store.used_range.options(ndim=2).value  # type: ignore[attr-defined]
    out: dict[str, int] = {}
    for row in (grid or [])[1:]:
        if len(row) < 2:
            continue
        prefix, n = _text(row[0]), row[1]
        if prefix and re.fullmatch(r"\d{5}", prefix) and isinstance(n, (int, float)) and n >= 0:
            out[prefix] = max(out.get(prefix, 0), int(n))
    return out


def _remember(book: object, store: object | None, highest: dict[str, int], today: date) -> None:
    if store is None:
        from .marks import add_sheet

        store = add_sheet(book, CODES_SHEET, str(book.name), last=True)  # type: ignore[attr-defined]
        very_hide(store)
    rows: list[list[object]] = [[as_text(h) for h in CODES_HEADER]]
    rows += [[as_text(p), n, as_text(today.strftime("%d/%m/%Y"))] for p, n in sorted(highest.items())]
    write_rows(store, 1, 1, rows)
