"""The live workbook: the workbook interface (:class:`~xl_nhandao.workbook.source.WorkbookSource`)
over an open-source xlwings ``Book``, and the batched writes the ribbon's handlers make.

Everything goes through xlwings' public, open-source API (never ``xlwings.pro``), duck
typed so that a fake ``Book`` stands in for Excel in tests. What that API allows, and
what is done with it:

* **Values.** A sheet's used range is read in one call
  (``used_range.options(ndim=2).value``); its offset from A1 (``used_range.row`` and
  ``.column``) is padded back, so the grid starts at A1 like the file reader's. Values are
  given as the file reader gives them: numbers as floats, a date as a ``date`` (a
  ``datetime`` only when it has a time of day), a time of day as a ``time``, text as
  text, empty cells and error values (``#N/A``) as ``""``. The used range also covers
  cells that only carry formatting: trailing empty rows and columns are dropped, as the
  file reader never sees them. A used range of more than :data:`ONE_CALL_CELLS` cells is
  read in blocks of rows (one call each); past row :data:`MAX_ROWS` or over
  :data:`MAX_CELLS` cells the sheet is refused with the file reader's one-line reasons.
  What is read is what the clerk sees, unsaved edits included: the file on disk is not
  opened.
* **Merged areas.** xlwings has no call that lists a sheet's merged areas; it has
  ``Range.merge_cells`` (``False`` when no cell of the range is merged; ``True`` or, on
  Windows, ``None`` when some are) and ``Range.merge_area`` of one cell. The data area
  is halved until each part is known to hold no merged cell, and ``merge_area`` is asked
  of each merged cell found that no known area covers: a register with a merged title and
  a few merged Thôn cells costs a few dozen calls. At most :data:`PROBE_BUDGET` calls are
  spent per sheet; past that the merged areas found so far are used (the log says so).
* **Legacy fonts** (``.VnTime``, ``VNI-Times`` …). ``Range.font.name`` is ``None`` when
  a range mixes fonts; the same halving over the cells that hold text finds the cells
  shown in a legacy font (one call when the whole sheet is in one font). A font set on
  part of a cell's text (rich text) is not seen: such text is converted by its content,
  as for any cell whose font is unknown.
* **Writing.** Values of a whole block in one call (text written with Excel's leading
  apostrophe, which is not part of the value, so that ``=…``, ``0123`` or ``05/03`` stay
  text). Fill colours: one call per group of cells of the same colour, as a union
  address ``A1,C3,…`` of at most 255 characters (what Excel's ``Range()`` accepts).
  Notes and reading a cell's own fill and note are per cell: xlwings has no call for
  several cells' notes, and Excel reports no single fill for cells of different fills.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from itertools import accumulate

from ..vn.text import legacy_font_encoding

# The file reader's limits (``workbook/guard.py``), which the live workbook keeps:
from ..workbook.source import MAX_CELLS as MAX_CELLS
from ..workbook.source import MAX_ROWS as MAX_ROWS
from ..workbook.source import Extent, SheetData, a1_ref, check_extent, clip_merges

#: A used range up to this many cells is read in one call; a larger one in blocks.
ONE_CALL_CELLS = 1_000_000
#: Cells per call when a large used range is read in blocks.
BLOCK_CELLS = 250_000
#: Calls spent at most per sheet finding merged areas, and as many finding legacy fonts.
PROBE_BUDGET = 3_000
#: The longest address Excel's ``Range("A1,C3,…")`` accepts.
MAX_ADDRESS = 255

Box = tuple[int, int, int, int]  # 1-based, inclusive: first row, first column, last row, last column


# -- A1 references --------------------------------------------------------------------------
def a1(row: int, col: int) -> str:
    """1-based row and column → ``D7``."""
    return a1_ref(col, row)


def box_address(box: Box) -> str:
    r0, c0, r1, c1 = box
    return a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def parse_ref(ref: str) -> tuple[int, int]:
    """``D7`` or ``$D$7`` → (7, 4)."""
    m = _REF.fullmatch(ref.strip())
    if m is None:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


EXCEL_ROWS, EXCEL_COLS = 1_048_576, 16_384
_WHOLE_COLS = re.compile(r"\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})")
_WHOLE_ROWS = re.compile(r"\$?(\d{1,7}):\$?(\d{1,7})")


def parse_address(address: str) -> Box:
    """``$A$1:$T$2`` (or ``Sheet!A1:T2``, or one cell) → (1, 1, 2, 20); whole columns
    ``$A:$C`` and whole rows ``$3:$5`` as Excel writes a selection of them; the first area
    of a union address."""
    text = address.split(",")[0]
    text = text.rsplit("!", 1)[-1].strip()
    m = _WHOLE_COLS.fullmatch(text)
    if m:
        c0, c1 = (parse_ref(f"{m.group(k)}1")[1] for k in (1, 2))
        return 1, min(c0, c1), EXCEL_ROWS, max(c0, c1)
    m = _WHOLE_ROWS.fullmatch(text)
    if m:
        r0, r1 = int(m.group(1)), int(m.group(2))
        return min(r0, r1), 1, max(r0, r1), EXCEL_COLS
    first, _, last = text.partition(":")
    r0, c0 = parse_ref(first)
    r1, c1 = parse_ref(last) if last else (r0, c0)
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


def union_addresses(refs: Iterable[str], limit: int = MAX_ADDRESS) -> Iterator[str]:
    """Cell references joined into union addresses ``A1,C3,…`` of at most ``limit``
    characters, runs of a column (``D7:D12``) written as ranges."""
    cells = sorted({parse_ref(r)[::-1] for r in refs})  # (col, row): runs down a column
    parts: list[str] = []
    i = 0
    while i < len(cells):
        col, row = cells[i]
        j = i
        while j + 1 < len(cells) and cells[j + 1] == (col, cells[j][1] + 1):
            j += 1
        parts.append(box_address((row, col, cells[j][1], col)))
        i = j + 1
    chunk: list[str] = []
    size = 0
    for part in parts:
        if chunk and size + 1 + len(part) > limit:
            yield ",".join(chunk)
            chunk, size = [], 0
        chunk.append(part)
        size += len(part) + (1 if size else 0)
    if chunk:
        yield ",".join(chunk)


# -- values ---------------------------------------------------------------------------------
_EXCEL_TIME_DAYS = (date(1899, 12, 30), date(1899, 12, 31))


def cell_value(v: object) -> object:
    """A value as xlwings gives it → the value as the file reader (python-calamine) gives it."""
    t = v.__class__
    if t is str or t is float or t is bool:
        return v
    if v is None:
        return ""
    if t is int:
        return float(v)  # type: ignore[arg-type]
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            v = v.replace(tzinfo=None)
        if v.date() in _EXCEL_TIME_DAYS and v.time() != time(0):
            return v.time()  # a time of day: Excel's day 0
        return v.date() if v.time() == time(0) else v
    if isinstance(v, (date, time)):
        return v
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, (int, Decimal)):  # a currency cell (VT_CY) comes as a Decimal
        return float(v)
    if isinstance(v, float):
        return float(v)
    return str(v)


def grid_of(value: object) -> list[list[object]]:
    """``.options(ndim=2).value`` as a list of rows (a scalar or a flat list tolerated)."""
    if isinstance(value, (list, tuple)):
        if value and not isinstance(value[0], (list, tuple)):
            return [list(value)]
        return [list(r) for r in value]
    return [[value]]


# -- the workbook interface -------------------------------------------------------------------
class LiveWorkbook:
    """The workbook open in Excel, read through xlwings: what the clerk sees, unsaved
    edits included. ``progress(text)`` is told what is being read (the status bar)."""

    def __init__(self, book: object, progress: Callable[[str], None] | None = None) -> None:
        self.book = book
        self.label = str(book.name)  # type: ignore[attr-defined]
        self.progress = progress
        #: What each sheet read gave, by name (the marks need its merged areas).
        self.data: dict[str, SheetData] = {}
        #: Sheets whose merged areas or fonts were not all looked at (call budget spent).
        self.incomplete: list[tuple[str, str]] = []

    def sheet_names(self) -> list[str]:
        return [str(s.name) for s in self.book.sheets]  # type: ignore[attr-defined]

    def sheet(self, name: str) -> object:
        return self.book.sheets[name]  # type: ignore[attr-defined]

    def read(self, name: str) -> SheetData:
        if self.progress:
            self.progress(name)
        sheet = self.sheet(name)
        used = sheet.used_range  # type: ignore[attr-defined]
        r0, c0 = int(used.row), int(used.column)
        n_rows, n_cols = (int(x) for x in used.shape)
        last_row, last_col = r0 + n_rows - 1, c0 + n_cols - 1
        # The file reader's limits, refused before reading; the cell named is the used
        # range's last, where Ctrl+End goes (the message says to look there).
        corner = a1(last_row, last_col)
        check_extent(Extent(last_row, last_col, corner, corner), self.label, name)
        if n_rows * n_cols <= ONE_CALL_CELLS:
            raw = grid_of(used.options(ndim=2).value)
        else:
            raw = []
            step = max(1, BLOCK_CELLS // n_cols)
            for top in range(r0, last_row + 1, step):
                bottom = min(last_row, top + step - 1)
                if self.progress:
                    self.progress(f"{name} {top - r0 + 1}/{n_rows}")
                raw += grid_of(sheet.range((top, c0), (bottom, last_col)).options(ndim=2).value)  # type: ignore[attr-defined]
        body = [[cell_value(v) for v in row] for row in raw]
        height, width = _extent(body)
        if not height:
            data = SheetData(name, [])
            self.data[name] = data
            return data
        full_width = c0 - 1 + width
        lead = [""] * (c0 - 1)
        rows = [[""] * full_width for _ in range(r0 - 1)]
        rows += [[*lead, *row[:width], *[""] * (width - len(row[:width]))] for row in body[:height]]
        box = (r0, c0, r0 + height - 1, c0 + width - 1)
        merged = self._merged(name, sheet, box)
        legacy = self._legacy(name, sheet, rows, box)
        data = SheetData(name, rows, clip_merges(merged, len(rows), full_width), legacy)
        self.data[name] = data
        return data

    # -- merged areas ----------------------------------------------------------------------
    def _merged(self, name: str, sheet: object, box: Box) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        found: list[Box] = []
        calls = 0
        stack = [box]
        while stack:
            b = stack.pop()
            if any(_inside(b, a) for a in found):
                continue
            if calls >= PROBE_BUDGET:
                self.incomplete.append((name, "merged"))
                break
            rng = sheet.range(*_corners(b))  # type: ignore[attr-defined]
            calls += 1
            merged = rng.merge_cells
            if merged is False or merged == 0:
                continue
            one = b[0] == b[2] and b[1] == b[3]
            if one or merged is True:  # every cell merged: the first one's area is one of them
                calls += 1
                corner = rng if one else sheet.range((b[0], b[1]))  # type: ignore[attr-defined]
                area = parse_address(str(corner.merge_area.address))
                if area != (b[0], b[1], b[0], b[1]):
                    found.append(area)
                if one or _inside(b, area):
                    continue
            # Rows first: a register's merged areas are a title row, a section row, a village
            # over a few rows; the first half is looked at first.
            stack += reversed(_halves(b, rows_first=True))
        return [((a[0] - 1, a[1] - 1), (a[2] - 1, a[3] - 1)) for a in found]

    # -- legacy fonts -----------------------------------------------------------------------
    def _legacy(self, name: str, sheet: object, rows: list[list[object]], box: Box) -> dict[tuple[int, int], str]:
        """Cells holding text shown in a TCVN3 or VNI font, 0-based (row, col) → font."""
        found, complete = legacy_fonts(sheet, box, lambda r, c: rows[r - 1][c - 1])
        if not complete:
            self.incomplete.append((name, "fonts"))
        return {(r - 1, c - 1): font for (r, c), font in found.items()}


def legacy_fonts(sheet: object, box: Box, value_at: Callable[[int, int], object],
                 budget: int = PROBE_BUDGET) -> tuple[dict[tuple[int, int], str], bool]:
    """The cells of ``box`` holding text that a font can change (not ASCII, or with small
    letters, which a ``.Vn…H`` font shows as capitals) and shown in a TCVN3 or VNI font:
    1-based (row, col) → font name; and whether every such cell was looked at."""
    r0, c0, r1, c1 = box
    marks = [[1 if _fontish(value_at(r, c)) else 0 for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
    if not any(map(any, marks)):
        return {}, True
    # Prefix sums: how many such cells a box holds, at once.
    width = c1 - c0 + 1
    sums = [[0] * (width + 1)]
    for row in marks:
        line = [0, *accumulate(row)]
        above = sums[-1]
        sums.append([a + b for a, b in zip(above, line)])

    def count(b: Box) -> int:
        top, left, bottom, right = b[0] - r0, b[1] - c0, b[2] - r0 + 1, b[3] - c0 + 1
        return sums[bottom][right] - sums[top][right] - sums[bottom][left] + sums[top][left]

    out: dict[tuple[int, int], str] = {}
    calls = 0
    stack = [box]
    while stack:
        b = stack.pop()
        if not count(b):
            continue
        if calls >= budget:
            return out, False
        calls += 1
        font = sheet.range(*_corners(b)).font.name  # type: ignore[attr-defined]
        if isinstance(font, str) and font:
            if legacy_font_encoding(font):
                for r in range(b[0], b[2] + 1):
                    for c in range(b[1], b[3] + 1):
                        if marks[r - r0][c - c0]:
                            out[(r, c)] = font
            continue
        if b[0] == b[2] and b[1] == b[3]:
            continue  # one cell in several fonts (rich text): its content decides
        stack += reversed(_halves(b))
    return out, True


def _fontish(v: object) -> bool:
    return v.__class__ is str and (not v.isascii() or any("a" <= ch <= "z" for ch in v))  # type: ignore[attr-defined]


def _extent(body: list[list[object]]) -> tuple[int, int]:
    """Rows and columns up to the last cell holding something."""
    height = width = 0
    for i, row in enumerate(body):
        for j in range(len(row) - 1, -1, -1):
            if row[j] != "":
                height = i + 1
                if j + 1 > width:
                    width = j + 1
                break
    return height, width


def _inside(b: Box, a: Box) -> bool:
    return a[0] <= b[0] and a[1] <= b[1] and b[2] <= a[2] and b[3] <= a[3]


def _corners(b: Box) -> tuple[tuple[int, int], tuple[int, int]]:
    return (b[0], b[1]), (b[2], b[3])


def _halves(b: Box, rows_first: bool = False) -> list[Box]:
    r0, c0, r1, c1 = b
    if r1 > r0 and (rows_first or r1 - r0 >= c1 - c0):
        mid = (r0 + r1) // 2
        return [(r0, c0, mid, c1), (mid + 1, c0, r1, c1)]
    mid = (c0 + c1) // 2
    return [(r0, c0, r1, mid), (r0, mid + 1, r1, c1)]


# -- writing --------------------------------------------------------------------------------
def as_text(value: object) -> object:
    """A value to write as it is: text with Excel's leading apostrophe (not part of the
    value), so that Excel does not read ``=A1`` as a formula, ``0123`` as a number or
    ``05/03`` as a date; numbers, dates and empty cells as they are."""
    if isinstance(value, str):
        return "'" + value if value else None
    return value


def write_rows(sheet: object, top: int, left: int, rows: Sequence[Sequence[object]]) -> None:
    """Write a block of values in one call (values already prepared with :func:`as_text`
    or formulas the add-in built)."""
    if not rows:
        return
    width = max(len(r) for r in rows)
    block = [[*r, *[None] * (width - len(r))] for r in rows]
    sheet.range((top, left)).value = block  # type: ignore[attr-defined]


def set_fill(sheet: object, refs: Iterable[str], color: tuple[int, int, int] | None) -> int:
    """Give cells one fill colour (``None``: no fill), a union of cells per call; the
    number of calls made."""
    calls = 0
    for address in union_addresses(refs):
        sheet.range(address).color = color  # type: ignore[attr-defined]
        calls += 1
    return calls


def fills_of(sheet: object, refs: Sequence[str]) -> dict[str, tuple[int, int, int] | None]:
    """Each cell's own fill colour (``None``: no fill), one union of cells per call when
    they all have the same (Excel reports one fill for a range only then — the usual case:
    no fill at all, or every mark still as it was made); otherwise cell by cell."""
    out: dict[str, tuple[int, int, int] | None] = {}
    for address in union_addresses(refs):
        members = cells_of(address)
        try:
            color = _rgb(sheet.range(address).color)  # type: ignore[attr-defined]
        except Exception:  # different fills: xlwings cannot turn Excel's "no single colour" into one
            for ref in members:
                out[ref] = _rgb(sheet.range(ref).color)  # type: ignore[attr-defined]
            continue
        out.update(dict.fromkeys(members, color))
    return out


def cells_of(address: str) -> list[str]:
    out = []
    for part in address.split(","):
        r0, c0, r1, c1 = parse_address(part)
        out += [a1(r, c) for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)]
    return out


def _rgb(color: object) -> tuple[int, int, int] | None:
    if color is None:
        return None
    if isinstance(color, str):  # '#ffc7ce'
        text = color.lstrip("#")
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    if isinstance(color, int):  # Excel's BGR integer
        return color & 0xFF, (color >> 8) & 0xFF, (color >> 16) & 0xFF
    r, g, b = color  # type: ignore[misc]
    return int(r), int(g), int(b)


def note_text(sheet: object, ref: str) -> str | None:
    """The cell's note (a classic comment), or None."""
    found = note_of(sheet, ref)
    return None if found is None else found[0]


def note_of(sheet: object, ref: str) -> tuple[str, str] | None:
    """The cell's note and its author (``""`` where xlwings cannot tell: before 0.37.5),
    or None."""
    note = sheet.range(ref).note  # type: ignore[attr-defined]
    if note is None:
        return None
    try:
        author = str(note.author or "")
    except Exception:
        author = ""
    return str(note.text), author


def set_note(sheet: object, ref: str, text: str | None) -> None:
    """Give the cell this note (replacing its text when it has one), or none."""
    rng = sheet.range(ref)  # type: ignore[attr-defined]
    note = rng.note
    if text is None:
        if note is not None:
            note.delete()
        return
    if note is not None:
        note.text = text
        return
    add = getattr(rng, "add_note", None)
    if add is not None:
        add(text)
    else:  # xlwings before add_note (0.37): Excel's own call, Windows
        rng.api.AddComment(text)


def very_hide(sheet: object) -> None:
    """Hide a sheet so that only code shows it again (Excel's "very hidden"; on a Mac,
    or where Excel refuses, plainly hidden)."""
    sheet.visible = False  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):
        sheet.api.Visible = 2  # xlSheetVeryHidden  # type: ignore[attr-defined]


def delete_sheet(sheet: object) -> None:
    """Delete a sheet (made visible first: Excel refuses to delete a very hidden one)."""
    with contextlib.suppress(Exception):
        sheet.visible = True  # type: ignore[attr-defined]
    sheet.delete()  # type: ignore[attr-defined]
