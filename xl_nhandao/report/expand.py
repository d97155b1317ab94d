"""Repeating blocks of rows in an openpyxl workbook, in one pass.

openpyxl's ``insert_rows`` moves every cell below on each call, and nothing else: not
merged cells, row heights, formulas, conditional formats, data validations, drawings or
defined names. Here the new place of every row is known up front (a :class:`RowMap`),
so each sheet's cells are laid out once — the rows of a block copied once per item with
their styles, heights and the merged cells inside them, every other row moved — and
everything that names a row is moved with them (see :func:`expand_sheet` and
:func:`follow_workbook`). Filling the copies is the caller's business.
"""

from __future__ import annotations

import contextlib
from copy import copy

from .refs import MAX_ROW, Block, Formula, RowMap, rewrite, sheet_key


def _formulas(maps: dict[str, RowMap], sheet: str | None):
    cache: dict[str, Formula] = {}

    def get(text: str) -> Formula:
        f = cache.get(text)
        if f is None:
            f = cache[text] = Formula(text, maps, sheet)
        return f

    return get


def _is_formula(cell) -> bool:
    return cell.data_type == "f" and isinstance(cell._value, str) and cell._value.startswith("=")


def _array(value):
    from openpyxl.worksheet.formula import ArrayFormula

    return value if isinstance(value, ArrayFormula) else None


def expand_sheet(ws, m: RowMap, maps: dict[str, RowMap]) -> None:
    """Lay out ``ws`` by ``m``: rows of each block copied ``copies`` times (values,
    formulas, styles, heights, merged cells, links), the rows below moved, and the
    sheet's merged cells, conditional formats, data validations, drawings, page breaks,
    tables, filter, print area and print titles moved or grown with them. Formulas
    anywhere in ``ws`` follow ``maps`` (this sheet's and others')."""
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.styles.cell_style import StyleArray
    formula = _formulas(maps, ws.title)
    new_cells: dict[tuple[int, int], object] = {}
    by_block: dict[Block, list] = {b: [] for b in m.blocks}
    for (r, c), cell in ws._cells.items():
        b = m.block(r)
        if b is not None:
            by_block[b].append((r, c, cell))
            continue
        row = m.first(r)
        cell.row = row
        if not isinstance(cell, MergedCell):
            _follow_cell(cell, formula, maps, ws.title)
        new_cells[(row, c)] = cell
    for b, cells in by_block.items():
        base = m.start(b) - b.start
        # the template's values, before the first copy's formulas are rewritten in place
        values = [_template_value(cell) for _, _, cell in cells]
        links = [(link.location, link.target) if (link := getattr(cell, "hyperlink", None)) else None
                 for _, _, cell in cells]
        for i in range(b.copies):
            offset = base + i * b.height
            for (r, c, cell), value, link in zip(cells, values, links):
                row = r + offset
                if isinstance(cell, MergedCell):
                    if i == 0:
                        target = cell
                        target.row = row
                    else:
                        target = MergedCell(ws, row, c)
                        target._style = StyleArray(cell._style)
                    new_cells[(row, c)] = target
                    continue
                if i == 0:
                    target = cell
                    target.row = row
                else:
                    target = Cell(ws, row=row, column=c)
                    target.data_type = cell.data_type
                    target._style = StyleArray(cell._style)
                    if link is not None:
                        target._hyperlink = copy(cell._hyperlink)
                        target._hyperlink.location, target._hyperlink.target = link
                _place(target, value, formula, b, i, maps, ws.title)
                new_cells[(row, c)] = target
    ws._cells = new_cells
    _rows(ws, m)
    _merged(ws, m)
    _conditional_formats(ws, maps, m)
    _validations(ws, maps, m)
    _drawings(ws, m)
    for brk in getattr(ws.row_breaks, "brk", ()):
        brk.id = m.last(brk.id)
    for table in ws.tables.values():
        table.ref = _span_ref(table.ref, m)
        if table.autoFilter is not None and table.autoFilter.ref:
            table.autoFilter.ref = _span_ref(table.autoFilter.ref, m)
    if ws.auto_filter.ref:
        ws.auto_filter.ref = _span_ref(ws.auto_filter.ref, m)
    _print(ws, m)


def _template_value(cell):
    """A cell's value as the template has it; an array formula as ``(ref, text)``."""
    array = _array(cell._value)
    return (array.ref, array.text) if array is not None else cell._value


def _follow_cell(cell, formula, maps, sheet: str) -> None:
    """A cell outside the blocks, moved: its formula and link follow."""
    _place(cell, _template_value(cell), formula, None, 0, maps, sheet)


def _place(cell, value, formula, block: Block | None, i: int, maps, sheet: str) -> None:
    """Give ``cell`` (in ``block``'s copy ``i``, or outside any block) the template's
    ``value`` with its references followed, and its link its new place."""
    from openpyxl.worksheet.formula import ArrayFormula

    if isinstance(value, tuple):
        ref, text = value
        text = formula(text if text.startswith("=") else "=" + text).render(block, i)
        cell._value = ArrayFormula(_span_ref(ref, maps.get(sheet_key(sheet)), block, i) if ref else ref, text)
    elif cell.data_type == "f" and isinstance(value, str) and value.startswith("="):
        cell._value = formula(value).render(block, i)
    else:
        cell._value = value
    link = cell._hyperlink
    if link is not None:
        link.ref = cell.coordinate
        _follow_link(link, maps, sheet)


def _follow_link(link, maps, sheet: str) -> None:
    """A link to a place in the workbook (``location``, or a ``#Sheet!A1`` target)."""
    if link.location:
        link.location = rewrite(link.location, maps, sheet)
    if link.target and link.target.startswith("#"):
        link.target = "#" + rewrite(link.target[1:], maps, sheet)


def _span_ref(ref: str, m: RowMap | None, block: Block | None = None, i: int = 0) -> str:
    """A range ``A8:H8`` grown or moved by ``m`` (inside ``block``'s copy ``i``: moved
    with the copy)."""
    from openpyxl.worksheet.cell_range import CellRange

    if m is None:
        return ref
    try:
        cr = CellRange(ref)
    except (ValueError, TypeError):
        return ref
    if block is not None and cr.min_row in block and cr.max_row in block:
        shift = m.start(block) - block.start + i * block.height
        top, bottom = cr.min_row + shift, cr.max_row + shift
    else:
        top, bottom = m.span(cr.min_row, cr.max_row)
    return CellRange(min_col=cr.min_col, min_row=top, max_col=cr.max_col, max_row=bottom).coord


def _rows(ws, m: RowMap) -> None:
    """Row heights, hidden rows and row styles: a block's on each copy, the rest moved."""
    dims = ws.row_dimensions
    old = dict(dims)
    dims.clear()
    for r, dim in old.items():
        b = m.block(r)
        if b is None:
            dim.index = m.first(r)
            dims[dim.index] = dim
            continue
        base = m.start(b) - b.start
        for i in range(b.copies):
            row = r + base + i * b.height
            d = dim if i == 0 else copy(dim)
            d.index = row
            dims[row] = d


def _merged(ws, m: RowMap) -> None:
    """A merged range inside one block is repeated on each copy; any other moves, or
    grows when it spans repeated rows (its inner cells are kept merged)."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.merge import MergedCellRange

    out = []
    for mcr in list(ws.merged_cells.ranges):
        b = m.block(mcr.min_row)
        if b is not None and mcr.max_row in b:
            base = m.start(b) - b.start
            for i in range(b.copies):
                shift = base + i * b.height
                out.append(MergedCellRange(ws, f"{_cols(mcr)[0]}{mcr.min_row + shift}:"
                                               f"{_cols(mcr)[1]}{mcr.max_row + shift}"))
            continue
        top, bottom = m.span(mcr.min_row, mcr.max_row)
        grown = MergedCellRange(ws, f"{_cols(mcr)[0]}{top}:{_cols(mcr)[1]}{bottom}")
        out.append(grown)
        if bottom - top != mcr.max_row - mcr.min_row:
            for row in range(top, bottom + 1):
                for col in range(mcr.min_col, mcr.max_col + 1):
                    if (row, col) == (top, mcr.min_col):
                        continue
                    cell = ws._cells.get((row, col))
                    if cell is not None and not isinstance(cell, MergedCell):
                        merged = MergedCell(ws, row, col)
                        merged._style = cell._style
                        ws._cells[(row, col)] = merged
    ws.merged_cells = MultiCellRange(out)


def _cols(cr) -> tuple[str, str]:
    from openpyxl.utils import get_column_letter

    return get_column_letter(cr.min_col), get_column_letter(cr.max_col)


def _multi(sqref, m: RowMap) -> str:
    return " ".join(_span_ref(cr.coord, m) for cr in sqref.ranges)


def _top_block(sqref, m: RowMap) -> Block | None:
    ranges = sorted(sqref.ranges, key=lambda cr: (cr.min_row, cr.min_col))
    return m.block(ranges[0].min_row) if ranges else None


def _conditional_formats(ws, maps: dict[str, RowMap], m: RowMap | None) -> None:
    """Each rule's cells grow over the copies (a rule on the list row colours every
    item's row); its formula, relative to the range's top-left cell, follows too. On a
    sheet whose rows stay put (``m`` None) only the formulas follow, in place."""
    from openpyxl.formatting.formatting import ConditionalFormattingList

    old = ws.conditional_formatting
    if not old:
        return
    if m is None:
        for cf in old:
            for rule in cf.rules:
                if rule.formula:
                    rule.formula = [rewrite(f, maps, ws.title) for f in rule.formula]
        return
    new = ConditionalFormattingList()
    for cf in old:
        block = _top_block(cf.sqref, m)
        ranges = _multi(cf.sqref, m)
        for rule in cf.rules:
            if rule.formula:
                rule.formula = [rewrite(f, maps, ws.title, block) for f in rule.formula]
            new.add(ranges, rule)
    new.max_priority = max(new.max_priority, old.max_priority)
    ws.conditional_formatting = new


def _validations(ws, maps: dict[str, RowMap], m: RowMap | None = None) -> None:
    from openpyxl.worksheet.cell_range import MultiCellRange

    for dv in ws.data_validations.dataValidation:
        if m is not None:
            block = _top_block(dv.sqref, m)
            dv.sqref = MultiCellRange(_multi(dv.sqref, m))
        else:
            block = None
        for attr in ("formula1", "formula2"):
            value = getattr(dv, attr)
            if value:
                setattr(dv, attr, rewrite(value, maps, ws.title, block))


def _drawings(ws, m: RowMap) -> None:
    """Pictures and charts move with the row their top edge is on, keeping their size."""
    for obj in [*ws._images, *ws._charts]:
        anchor = obj.anchor
        if isinstance(anchor, str):
            from openpyxl.utils.cell import coordinate_from_string

            with contextlib.suppress(ValueError):
                col, row = coordinate_from_string(anchor)
                obj.anchor = f"{col}{m.first(row)}"
            continue
        start = getattr(anchor, "_from", None)
        if start is None:
            continue  # absolute position: not tied to a row
        delta = m.first(start.row + 1) - 1 - start.row
        start.row += delta
        end = getattr(anchor, "to", None)
        if end is not None:
            end.row += delta


def _print(ws, m: RowMap) -> None:
    from openpyxl.worksheet.cell_range import CellRange

    area = ws._print_area
    if area is not None and area.ranges:
        ranges = []
        for cr in area.ranges:
            top, bottom = m.span(cr.min_row, cr.max_row)
            ranges.append(CellRange(min_col=cr.min_col, min_row=top, max_col=cr.max_col, max_row=bottom))
        area.ranges = ranges
    rows = ws._print_rows
    if rows is not None and rows.min_row:
        rows.min_row, rows.max_row = m.span(rows.min_row, rows.max_row)


def follow_sheet(ws, maps: dict[str, RowMap]) -> None:
    """A sheet whose rows stay put, whose formulas, rules, dropdown sources and links
    may point into sheets whose rows moved."""
    formula = _formulas(maps, ws.title)
    for cell in ws._cells.values():
        if _is_formula(cell):
            cell._value = formula(cell._value).render()
        if getattr(cell, "hyperlink", None) is not None:
            _follow_link(cell.hyperlink, maps, ws.title)
    _conditional_formats(ws, maps, None)
    _validations(ws, maps)


def follow_workbook(wb, maps: dict[str, RowMap]) -> None:
    """What the workbook holds about rows outside the sheets' cells: defined names
    (workbook and sheet scope) and chart series."""
    for name in wb.defined_names.values():
        if name.value:
            name.value = rewrite(name.value, maps, None)
    for ws in wb.worksheets:
        for name in ws.defined_names.values():
            if name.value:
                name.value = rewrite(name.value, maps, ws.title)
        for chart in ws._charts:
            for series in getattr(chart, "series", ()) or ():
                for attr in ("val", "cat", "xVal", "yVal", "tx"):
                    source = getattr(series, attr, None)
                    for kind in ("numRef", "strRef"):
                        ref = getattr(source, kind, None) if source is not None else None
                        if ref is not None and ref.f:
                            ref.f = rewrite(ref.f, maps, ws.title, spread=True)


def new_height(ws, m: RowMap) -> int:
    """The sheet's last row once laid out (to refuse what Excel cannot hold)."""
    last = max((r for r, _ in ws._cells), default=0)
    return m.last(last) if last else m.added


__all__ = ["MAX_ROW", "expand_sheet", "follow_sheet", "follow_workbook", "new_height"]
