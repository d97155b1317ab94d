"""Compare two workbooks cell by cell, in the manner of XlsxWriter's comparison tests but
readable: every difference is one line naming the sheet, the cell or the setting, and both
values (``ChiSo!D14 value: 1500000 ≠ 1500001``).

Compared: the sheets and their order and state; every cell that has a value or a style in
either file — value (formulas as their text, dates as dates), number format, font, fill,
border, alignment, protection; merged ranges; row heights and column widths; print area,
print titles, page setup, margins, print options, headers and footers, sheet view; frozen
panes; data validations; conditional formats; the workbook's defined names. Document
properties (when it was written, by whom) are not compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

#: Stop after this many differences: one wrong row moved down makes hundreds.
LIMIT = 200


def _color(c: object) -> object:
    if c is None:
        return None
    return (getattr(c, "type", None), getattr(c, "rgb", None), getattr(c, "theme", None), getattr(c, "tint", None),
            getattr(c, "indexed", None))


def _font(f) -> tuple:
    return (f.name, f.sz, bool(f.b), bool(f.i), f.u, bool(f.strike), f.vertAlign, _color(f.color))


def _fill(f) -> tuple:
    return (getattr(f, "patternType", None), _color(getattr(f, "fgColor", None)),
            _color(getattr(f, "bgColor", None)), type(f).__name__)


def _side(s) -> tuple:
    return (s.style, _color(s.color)) if s is not None else (None, None)


def _border(b) -> tuple:
    sides = tuple(_side(getattr(b, k)) for k in ("left", "right", "top", "bottom", "diagonal"))
    return (*sides, b.diagonalUp, b.diagonalDown, b.outline)


def _alignment(a) -> tuple:
    return (a.horizontal, a.vertical, bool(a.wrap_text), bool(a.shrink_to_fit), a.indent or 0,
            a.text_rotation or 0, a.relativeIndent or 0, a.readingOrder or 0)


def _protection(p) -> tuple:
    return (p.locked, p.hidden)


_ASPECTS = (
    ("value", lambda c: (type(c.value).__name__, c.value)),
    ("number format", lambda c: c.number_format),
    ("font", lambda c: _font(c.font)),
    ("fill", lambda c: _fill(c.fill)),
    ("border", lambda c: _border(c.border)),
    ("alignment", lambda c: _alignment(c.alignment)),
    ("protection", lambda c: _protection(c.protection)),
)


def _cells(ws: Worksheet) -> dict[str, object]:
    """Every cell that holds a value or a style (openpyxl creates no others on load)."""
    return {c.coordinate: c for row in ws.iter_rows() for c in row if c.value is not None or c.has_style}


def _show(v: object) -> str:
    text = repr(v)
    return text if len(text) <= 120 else text[:117] + "..."


def _rows(ws: Worksheet) -> dict[int, tuple]:
    return {r: (d.ht, bool(d.customHeight), bool(d.hidden), d.outlineLevel or 0)
            for r, d in ws.row_dimensions.items() if d.ht is not None or d.hidden or d.outlineLevel}


def _columns(ws: Worksheet) -> dict[str, tuple]:
    out = {}
    for d in ws.column_dimensions.values():
        lo, hi = d.min or 0, d.max or 0
        if not lo:
            continue
        for i in range(lo, hi + 1):
            out[get_column_letter(i)] = (round(d.width, 4) if d.width else None, bool(d.hidden), d.outlineLevel or 0)
    return out


def _print_settings(ws: Worksheet) -> dict[str, object]:
    ps, pm, po, hf = ws.page_setup, ws.page_margins, ws.print_options, ws.HeaderFooter
    fit = ws.sheet_properties.pageSetUpPr
    parts = {}
    for name in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        part = getattr(hf, name)
        parts[name] = tuple((getattr(part, pos).text, getattr(part, pos).font, getattr(part, pos).size,
                             getattr(part, pos).color) for pos in ("left", "center", "right"))
    return {
        "print area": ws.print_area,
        "print title rows": ws.print_title_rows,
        "print title columns": ws.print_title_cols,
        "paper size": ps.paperSize,
        "orientation": ps.orientation,
        "fit to width": ps.fitToWidth,
        "fit to height": ps.fitToHeight,
        "fit to page": fit.fitToPage if fit is not None else None,
        "scale": ps.scale,
        "first page number": ps.firstPageNumber,
        "margins": (pm.left, pm.right, pm.top, pm.bottom, pm.header, pm.footer),
        "print options": (po.horizontalCentered, po.verticalCentered, po.gridLines, po.headings),
        "header/footer": (hf.differentFirst, hf.differentOddEven, hf.scaleWithDoc, hf.alignWithMargins, parts),
        "row breaks": tuple(b.id for b in ws.row_breaks.brk),
        "column breaks": tuple(b.id for b in ws.col_breaks.brk),
        "frozen panes": ws.freeze_panes,
        "grid lines shown": ws.sheet_view.showGridLines,
        "zoom": ws.sheet_view.zoomScale,
        "sheet state": ws.sheet_state,
        "auto filter": ws.auto_filter.ref,
    }


def _validations(ws: Worksheet) -> list[tuple]:
    return sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.allow_blank, dv.operator)
                  for dv in ws.data_validations.dataValidation)


def _conditional(ws: Worksheet) -> list[tuple]:
    out = []
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            out.append((str(rng.sqref), rule.type, rule.operator, tuple(rule.formula or ())))
    return sorted(out, key=repr)


def _names(wb) -> dict[str, str]:
    return {name: str(dn.attr_text) for name, dn in wb.defined_names.items()}


def diff_workbooks(actual: Path, expected: Path, ignore: Iterable[str] = ()) -> list[str]:
    """Every difference between ``actual`` and ``expected`` (empty: the same), at most
    :data:`LIMIT`. ``ignore``: ``Sheet!A1`` cells whose values are not compared."""
    skip = set(ignore)
    a_wb = openpyxl.load_workbook(actual, rich_text=False)
    e_wb = openpyxl.load_workbook(expected, rich_text=False)
    out: list[str] = []

    def say(line: str) -> bool:
        out.append(line)
        return len(out) >= LIMIT

    if a_wb.sheetnames != e_wb.sheetnames:
        say(f"sheets: {a_wb.sheetnames} ≠ {e_wb.sheetnames}")
    if _names(a_wb) != _names(e_wb):
        say(f"defined names: {_show(_names(a_wb))} ≠ {_show(_names(e_wb))}")
    for name in [n for n in e_wb.sheetnames if n in a_wb.sheetnames]:
        a, e = a_wb[name], e_wb[name]
        ac, ec = _cells(a), _cells(e)
        coords = sorted(set(ac) | set(ec), key=lambda k: (e[k].row, e[k].column))
        for k in coords:
            ca, ce = a[k], e[k]
            for aspect, get in _ASPECTS:
                if aspect == "value" and f"{name}!{k}" in skip:
                    continue
                va, ve = get(ca), get(ce)
                if va != ve and say(f"{name}!{k} {aspect}: {_show(va)} ≠ {_show(ve)}"):
                    return out
        am = sorted(str(r) for r in a.merged_cells.ranges)
        em = sorted(str(r) for r in e.merged_cells.ranges)
        if am != em:
            say(f"{name} merged ranges: only in actual {sorted(set(am) - set(em))}, "
                f"only in expected {sorted(set(em) - set(am))}")
        ar, er = _rows(a), _rows(e)
        for r in sorted(set(ar) | set(er)):
            if ar.get(r) != er.get(r) and say(f"{name} row {r} height: {ar.get(r)} ≠ {er.get(r)}"):
                return out
        acol, ecol = _columns(a), _columns(e)
        for col in sorted(set(acol) | set(ecol), key=lambda x: (len(x), x)):
            if acol.get(col) != ecol.get(col) and say(f"{name} column {col} width: {acol.get(col)} ≠ {ecol.get(col)}"):
                return out
        ap, ep = _print_settings(a), _print_settings(e)
        for key in ep:
            if ap[key] != ep[key] and say(f"{name} {key}: {_show(ap[key])} ≠ {_show(ep[key])}"):
                return out
        if _validations(a) != _validations(e):
            say(f"{name} data validations: {_show(_validations(a))} ≠ {_show(_validations(e))}")
        if _conditional(a) != _conditional(e):
            say(f"{name} conditional formats: {_show(_conditional(a))} ≠ {_show(_conditional(e))}")
    return out
