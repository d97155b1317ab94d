"""Chuyển mã chữ cũ: text typed in the legacy TCVN3 (ABC) or VNI encodings, in the
selection (or the whole sheet when one cell is selected), converted to Unicode with the
library's converter (:func:`xl_nhandao.vn.text.fix_text`: by the cell's font when it is a
``.VnTime``/``VNI-…`` font, otherwise by the text itself, which never changes real
Unicode), and the cells shown in a legacy font given a Unicode font (Times New Roman).

Formulas are left alone; numbers and dates are not text. Values are written back a run
of a column at a time, fonts a union of cells at a time; a cell Excel refuses (a locked
cell of a protected sheet) is skipped and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..vn.text import fix_text
from .book import (
    Box,
    a1,
    as_text,
    cells_of,
    grid_of,
    legacy_fonts,
    parse_address,
    union_addresses,
    write_rows,
)

UNICODE_FONT = "Times New Roman"


@dataclass
class Plan:
    sheet: object
    #: (row, col) → the converted text.
    changes: dict[tuple[int, int], str] = field(default_factory=dict)
    #: Cells shown in a legacy font, to be given a Unicode font.
    fonts: set[tuple[int, int]] = field(default_factory=set)
    encodings: Counter[str] = field(default_factory=Counter)
    whole_sheet: bool = False
    complete: bool = True


@dataclass
class Converted:
    cells: int = 0
    fonts: int = 0
    refused: int = 0


def plan(app: object, book: object) -> Plan | None:
    """What converting the selection (or, for one cell, its whole sheet) would change;
    None when nothing is selected in ``book``."""
    selection = getattr(app, "selection", None)
    sheet = getattr(selection, "sheet", None) if selection is not None else None
    if sheet is None:
        sheet = book.sheets.active  # type: ignore[attr-defined]
        if sheet is None:
            return None
        selection = None
    used = sheet.used_range  # type: ignore[attr-defined]
    top, left = int(used.row), int(used.column)
    height, width = (int(x) for x in used.shape)
    limits: Box = (top, left, top + height - 1, left + width - 1)
    boxes: list[Box] = []
    whole = selection is None
    if selection is not None:
        areas = [parse_address(part) for part in str(selection.address).split(",")]
        if len(areas) == 1 and areas[0][0] == areas[0][2] and areas[0][1] == areas[0][3]:
            whole = True
        else:
            boxes = [b for b in (_clip(a, limits) for a in areas) if b is not None]
    if whole:
        boxes = [limits]
    result = Plan(sheet, whole_sheet=whole)
    for box in boxes:
        rng = sheet.range((box[0], box[1]), (box[2], box[3]))  # type: ignore[attr-defined]
        values = grid_of(rng.options(ndim=2).value)
        formulas = rng.formula
        formulas = [[formulas]] if isinstance(formulas, str) else [list(r) for r in formulas]

        def value_at(r: int, c: int, box: Box = box, values: list[list[object]] = values) -> object:
            return values[r - box[0]][c - box[1]]

        fonts, complete = legacy_fonts(sheet, box, value_at)
        result.complete = result.complete and complete
        for r in range(box[0], box[2] + 1):
            for c in range(box[1], box[3] + 1):
                v = value_at(r, c)
                f = formulas[r - box[0]][c - box[1]]
                if not isinstance(v, str) or not v or (isinstance(f, str) and f.startswith("=")):
                    continue
                font = fonts.get((r, c))
                fixed, used_encoding = fix_text(v, font)
                if font:
                    result.fonts.add((r, c))
                if fixed != v and used_encoding:
                    result.changes[(r, c)] = fixed
                    result.encodings[used_encoding] += 1
    return result


def _clip(box: Box, limits: Box) -> Box | None:
    """A selected area within the used range (a whole column selected is its used part)."""
    r0, c0 = max(box[0], limits[0]), max(box[1], limits[1])
    r1, c1 = min(box[2], limits[2]), min(box[3], limits[3])
    return (r0, c0, r1, c1) if r0 <= r1 and c0 <= c1 else None


def apply(p: Plan, progress: Callable[[int, int], None] | None = None) -> Converted:
    """Write the converted text (a run of a column per call) and the Unicode font (a union
    of cells per call)."""
    sheet = p.sheet
    out = Converted()
    runs: list[list[tuple[int, int]]] = []
    for cell in sorted(p.changes, key=lambda rc: (rc[1], rc[0])):
        if runs and runs[-1][-1][1] == cell[1] and runs[-1][-1][0] + 1 == cell[0]:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    for n, run in enumerate(runs, 1):
        if progress:
            progress(n, len(runs))
        top, col = run[0]
        try:
            text = sheet.range((top, col), (run[-1][0], col)).number_format == "@"  # type: ignore[attr-defined]
            write_rows(sheet, top, col, [[p.changes[rc] if text else as_text(p.changes[rc])] for rc in run])
            out.cells += len(run)
        except Exception:  # some cell of the run is locked: cell by cell
            for rc in run:
                try:
                    write_rows(sheet, rc[0], rc[1], [[as_text(p.changes[rc])]])
                    out.cells += 1
                except Exception:
                    out.refused += 1
    refs = [a1(r, c) for r, c in p.fonts]
    for address in union_addresses(refs):
        try:
            sheet.range(address).font.name = UNICODE_FONT  # type: ignore[attr-defined]
            out.fonts += len(cells_of(address))
        except Exception:
            for ref in cells_of(address):
                try:
                    sheet.range(ref).font.name = UNICODE_FONT  # type: ignore[attr-defined]
                    out.fonts += 1
                except Exception:
                    out.refused += 1
    return out

