"""A fake xlwings ``Book`` for the add-in's tests: there is no Excel on these machines.

It answers the part of xlwings' open-source API the add-in uses, the way Excel answers
through xlwings on Windows, and records every call that would cross to Excel
(``app.calls``), so tests can count them:

* ``Range.value`` reads ``None`` for empty cells, floats for numbers and ``datetime``
  for dates (what xlwings gives); writing text parses it as Excel does when it is typed
  — a leading apostrophe keeps it text (and is not part of the value), ``=…`` is a
  formula, digits become a number unless the cell is formatted as Text (``@``);
* ``Range.color``: ``None`` when no cell of the range has a fill, the colour when all
  have the same one, and an error when they differ (xlwings turns Excel's "no single
  colour" into ``int_to_rgb(None)``);
* ``Range.merge_cells``: ``False``, ``True`` (all merged) or ``None`` (some); ``Font.name``:
  the name, or ``None`` for a range of several fonts;
* notes (classic comments) with their author; ``add_note`` refuses a cell that has one;
* ``select`` works only on the active sheet; a hidden sheet cannot be activated; Excel
  keeps at least one visible sheet.

:func:`from_xlsx` loads a workbook written with openpyxl (values, fills, notes, fonts,
number formats, merged cells, hidden sheets); :func:`to_xlsx` writes one back.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

Box = tuple[int, int, int, int]
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def col_letters(col: int) -> str:
    s = ""
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def ref(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


def parse_cell(text: str) -> tuple[int, int]:
    m = _REF.fullmatch(text.strip())
    assert m, text
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def parse_areas(address: str) -> list[Box]:
    out = []
    for part in address.split(","):
        a, _, b = part.partition(":")
        r0, c0 = parse_cell(a)
        r1, c1 = parse_cell(b) if b else (r0, c0)
        out.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
    return out


def box_address(b: Box, absolute: bool = True) -> str:
    d = "$" if absolute else ""
    one = f"{d}{col_letters(b[1])}{d}{b[0]}"
    if b[:2] == b[2:]:
        return one
    return f"{one}:{d}{col_letters(b[3])}{d}{b[2]}"


@dataclass
class Cell:
    value: object = None
    formula: str | None = None
    color: tuple[int, int, int] | None = None
    note: tuple[str, str] | None = None  # (text, author)
    font: str = "Calibri"
    bold: bool = False
    number_format: str = "General"


class FakeError(Exception):
    """What a COM error looks like to the add-in: an exception it did not expect."""


class FakeApp:
    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self._status: object = False
        self.status_history: list[object] = []
        self.alerts: list[dict[str, object]] = []
        self.answers: list[str] = []  # what the clerk will press, in order
        self.books = FakeBooks(self)
        self.selection: FakeRange | None = None
        self.screen_updating = True
        self.display_alerts = True
        self.version = "16.0"
        self.api = None
        self.on_status = None  # a hook: called with each status text (benchmarks)

    @property
    def status_bar(self) -> object:
        return self._status

    @status_bar.setter
    def status_bar(self, value: object) -> None:
        self.calls.append(("status_bar", value))
        self.status_history.append(value)
        self._status = value
        if self.on_status:
            self.on_status(value)

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None,
              callback: str | None = None) -> str:
        self.calls.append(("alert", prompt))
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        if self.answers:
            return self.answers.pop(0)
        return {"ok": "ok", "ok_cancel": "ok", "yes_no": "yes", "yes_no_cancel": "yes"}[buttons]


class FakeBooks:
    def __init__(self, app: FakeApp) -> None:
        self.app = app
        self.items: list[FakeBook] = []
        self.opened: list[Path] = []

    @property
    def active(self) -> FakeBook | None:
        return self.items[-1] if self.items else None

    def open(self, fullname: str | Path) -> FakeBook:
        self.app.calls.append(("open", str(fullname)))
        path = Path(fullname)
        assert path.exists(), path
        self.opened.append(path)
        book = from_xlsx(path, app=self.app)
        return book

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class FakeBook:
    def __init__(self, name: str = "Book1.xlsx", app: FakeApp | None = None, fullname: str | None = None) -> None:
        self.app = app or FakeApp()
        self.name = name
        self.fullname = fullname or name
        self.sheets = FakeSheets(self)
        self.api = SimpleNamespace(Saved=True)
        self.saved_to: list[str] = []
        self.active_sheet: FakeSheet | None = None
        self.app.books.items.append(self)

    def save(self, path: str | None = None) -> None:
        self.app.calls.append(("save", path))
        self.saved_to.append(path or self.fullname)
        self.api.Saved = True

    def reopen(self) -> FakeBook:
        """The same workbook in a later Excel session (what was saved in it, a new app)."""
        other = FakeBook(self.name, FakeApp(), self.fullname)
        for s in self.sheets:
            t = other.sheets.add(s.name, after=other.sheets[-1] if len(other.sheets) else None)
            t.cells = copy.deepcopy(s.cells)
            t.merges = list(s.merges)
            t.state = s.state
            t.used = s.used
        other.active_sheet = other.sheets[self.sheets.index(self.active_sheet)] if self.active_sheet else None
        other.app.calls.clear()
        return other


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self.book = book
        self.items: list[FakeSheet] = []

    def __iter__(self):
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def index(self, sheet: FakeSheet) -> int:
        return self.items.index(sheet)

    def __getitem__(self, key: int | str) -> FakeSheet:
        if isinstance(key, int):
            return self.items[key]
        for s in self.items:
            if s.name.casefold() == key.casefold():
                return s
        raise KeyError(key)

    def __contains__(self, name: str) -> bool:
        return any(s.name.casefold() == name.casefold() for s in self.items)

    @property
    def active(self) -> FakeSheet | None:
        return self.book.active_sheet

    def add(self, name: str | None = None, before: FakeSheet | None = None, after: FakeSheet | None = None) -> FakeSheet:
        self.book.app.calls.append(("add_sheet", name))
        name = name or f"Sheet{len(self.items) + 1}"
        if name in self or len(name) > 31 or any(ch in name for ch in "[]:*?/\\"):
            raise FakeError(f"That name is already taken or not allowed: {name}")
        sheet = FakeSheet(self.book, name)
        if before is not None:
            self.items.insert(self.items.index(before), sheet)
        elif after is not None:
            self.items.insert(self.items.index(after) + 1, sheet)
        else:
            self.items.insert(self.items.index(self.book.active_sheet) if self.book.active_sheet else 0, sheet)
        self.book.active_sheet = sheet  # Excel activates a new sheet
        return sheet


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book = book
        self._name = name
        self.cells: dict[tuple[int, int], Cell] = {}
        self.merges: list[Box] = []
        self.state = -1  # xlSheetVisible; 0 hidden, 2 very hidden
        self.used: Box | None = None  # formatting that extends the used range
        self.column_widths: dict[int, float] = {}
        self.api = _SheetApi(self)
        #: Protection: cells that refuse any write (locked cells of a protected sheet), and
        #: a sheet that refuses formatting (fills, fonts) everywhere.
        self.locked: set[tuple[int, int]] = set()
        self.no_formatting = False

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def app(self) -> FakeApp:
        return self.book.app

    def _log(self, *what: object) -> None:
        self.book.app.calls.append((*what[:1], self.name, *what[1:]))

    # cells ------------------------------------------------------------------
    def cell(self, row: int, col: int) -> Cell:
        c = self.cells.get((row, col))
        if c is None:
            c = self.cells[(row, col)] = Cell()
        return c

    def peek(self, row: int, col: int) -> Cell:
        return self.cells.get((row, col)) or Cell()

    def put(self, address: str, value: object) -> None:
        """Set a value as the clerk types it, without recording a call (test setup)."""
        r, c = parse_cell(address)
        self.cell(r, c).value = value

    def value_at(self, address: str) -> object:
        r, c = parse_cell(address)
        return self.peek(r, c).value

    # xlwings ---------------------------------------------------------------------
    @property
    def used_range(self) -> FakeRange:
        self._log("used_range")
        keys = [k for k, c in self.cells.items() if c != Cell()]
        boxes = [(r, c, r, c) for r, c in keys] + ([self.used] if self.used else [])
        if not boxes:
            return FakeRange(self, [(1, 1, 1, 1)])
        return FakeRange(self, [(min(b[0] for b in boxes), min(b[1] for b in boxes),
                                 max(b[2] for b in boxes), max(b[3] for b in boxes))])

    def range(self, a: object, b: object = None) -> FakeRange:
        if isinstance(a, FakeRange):
            a = a.areas[0][:2]
        if isinstance(b, FakeRange):
            b = b.areas[0][2:]
        if isinstance(a, str):
            areas = parse_areas(a)
            if b is not None:
                r1, c1 = parse_cell(b) if isinstance(b, str) else b  # type: ignore[misc]
                areas = [(areas[0][0], areas[0][1], r1, c1)]
        else:
            r0, c0 = a  # type: ignore[misc]
            r1, c1 = b if b is not None else a  # type: ignore[misc]
            areas = [(min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1))]
        return FakeRange(self, areas)

    def __getitem__(self, address: str) -> FakeRange:
        return self.range(address)

    @property
    def visible(self) -> bool:
        return self.state == -1

    @visible.setter
    def visible(self, value: bool) -> None:
        self._log("visible", value)
        if not value and self.state == -1 and sum(s.state == -1 for s in self.book.sheets) == 1:
            raise FakeError("A workbook must contain at least one visible worksheet.")
        self.state = -1 if value else (0 if self.state == -1 else self.state)

    @property
    def notes(self) -> list[FakeNote]:
        self._log("notes")
        return [FakeNote(self, k) for k, c in sorted(self.cells.items()) if c.note is not None]

    def activate(self) -> None:
        self._log("activate")
        if self.state != -1:
            raise FakeError("Activate method of Worksheet class failed")
        self.book.active_sheet = self

    def delete(self) -> None:
        self._log("delete")
        if self.state == 2:
            raise FakeError("Delete method of Worksheet class failed")
        if self.state == -1 and sum(s.state == -1 for s in self.book.sheets) == 1:
            raise FakeError("A workbook must contain at least one visible worksheet.")
        self.book.sheets.items.remove(self)
        if self.book.active_sheet is self:
            visible = [s for s in self.book.sheets if s.state == -1]
            self.book.active_sheet = visible[0] if visible else None

    def clear_log(self) -> None:
        self.book.app.calls.clear()


class _SheetApi:
    def __init__(self, sheet: FakeSheet) -> None:
        object.__setattr__(self, "_sheet", sheet)

    def __getattr__(self, name: str) -> object:
        if name == "Visible":
            return self._sheet.state
        raise AttributeError(name)

    def __setattr__(self, name: str, value: object) -> None:
        if name != "Visible":
            raise AttributeError(name)
        self._sheet._log("api.Visible", value)
        self._sheet.state = int(value)  # type: ignore[call-overload]


class FakeRange:
    def __init__(self, sheet: FakeSheet, areas: list[Box], options: dict[str, object] | None = None) -> None:
        self.sheet = sheet
        self.areas = areas
        self._options = options or {}

    # where ------------------------------------------------------------------
    @property
    def row(self) -> int:
        return self.areas[0][0]

    @property
    def column(self) -> int:
        return self.areas[0][1]

    @property
    def shape(self) -> tuple[int, int]:
        r0, c0, r1, c1 = self.areas[0]
        return r1 - r0 + 1, c1 - c0 + 1

    @property
    def address(self) -> str:
        return ",".join(box_address(b) for b in self.areas)

    def _cells(self) -> list[tuple[int, int]]:
        return [(r, c) for (r0, c0, r1, c1) in self.areas for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]

    def _log(self, what: str, *more: object) -> None:
        self.sheet.book.app.calls.append((what, self.sheet.name, self.address.replace("$", ""), *more))

    def _writable(self, cells: list[tuple[int, int]], formatting: bool = False) -> None:
        if (formatting and self.sheet.no_formatting) or any(c in self.sheet.locked for c in cells):
            raise FakeError("The cell or chart you're trying to change is on a protected sheet.")

    def options(self, **kwargs: object) -> FakeRange:
        return FakeRange(self.sheet, self.areas, {**self._options, **kwargs})

    # values -----------------------------------------------------------------
    @property
    def value(self) -> object:
        self._log("get value")
        r0, c0, r1, c1 = self.areas[0]
        grid = [[self.sheet.peek(r, c).value for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
        if self._options.get("ndim") == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        if len(grid[0]) == 1:
            return [r[0] for r in grid]
        return grid

    @value.setter
    def value(self, data: object) -> None:
        self._log("set value")
        r0, c0 = self.areas[0][:2]
        if isinstance(data, (list, tuple)):
            rows = [list(data)] if data and not isinstance(data[0], (list, tuple)) else [list(r) for r in data]
            self._writable([(r0 + i, c0 + j) for i, row in enumerate(rows) for j in range(len(row))])
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    self._type(r0 + i, c0 + j, v)
        else:
            self._writable(self._cells())
            for r, c in self._cells():
                self._type(r, c, data)

    def _type(self, r: int, c: int, v: object) -> None:
        """A value written through COM, read as Excel reads it."""
        cell = self.sheet.cell(r, c)
        cell.formula = None
        if isinstance(v, str):
            if v.startswith("'"):
                cell.value = v[1:] or None
                return
            if v.startswith("="):
                cell.formula = v
                m = re.fullmatch(r'=HYPERLINK\("(?:[^"]|"")*",\s*"((?:[^"]|"")*)"\)', v)
                cell.value = m.group(1).replace('""', '"') if m else None
                return
            if cell.number_format != "@" and _NUMBER.fullmatch(v.strip()):
                cell.value = float(v)
                return
            cell.value = v or None
            return
        if isinstance(v, datetime):
            cell.value = v
        elif isinstance(v, date):
            cell.value = datetime(v.year, v.month, v.day)
        elif isinstance(v, bool):
            cell.value = v
        elif isinstance(v, (int, float)):
            cell.value = float(v)
        else:
            cell.value = v

    @property
    def formula(self) -> object:
        self._log("get formula")
        r0, c0, r1, c1 = self.areas[0]

        def f(r: int, c: int) -> str:
            cell = self.sheet.peek(r, c)
            if cell.formula:
                return cell.formula
            v = cell.value
            return "" if v is None else str(v)

        grid = tuple(tuple(f(r, c) for c in range(c0, c1 + 1)) for r in range(r0, r1 + 1))
        return grid[0][0] if (r0, c0) == (r1, c1) else grid

    # formats ----------------------------------------------------------------
    @property
    def color(self) -> tuple[int, int, int] | None:
        self._log("get color")
        colors = {self.sheet.peek(r, c).color for r, c in self._cells()}
        if colors == {None}:
            return None
        if len(colors) == 1:
            return next(iter(colors))
        raise TypeError("'NoneType' object is not subscriptable")  # xlwings: int_to_rgb(None)

    @color.setter
    def color(self, value: object) -> None:
        self._log("set color", value)
        self._writable(self._cells(), formatting=True)
        if isinstance(value, str):
            h = value.lstrip("#")
            value = (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
        for r, c in self._cells():
            self.sheet.cell(r, c).color = value  # type: ignore[assignment]

    @property
    def number_format(self) -> str | None:
        self._log("get number_format")
        formats = {self.sheet.peek(r, c).number_format for r, c in self._cells()}
        return next(iter(formats)) if len(formats) == 1 else None

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._log("set number_format", value)
        for r, c in self._cells():
            self.sheet.cell(r, c).number_format = value

    @property
    def font(self) -> FakeFont:
        return FakeFont(self)

    @property
    def column_width(self) -> float:
        return self.sheet.column_widths.get(self.column, 8.43)

    @column_width.setter
    def column_width(self, value: float) -> None:
        self._log("set column_width", value)
        for c in range(self.areas[0][1], self.areas[0][3] + 1):
            self.sheet.column_widths[c] = value

    @property
    def wrap_text(self) -> bool:
        return False

    @wrap_text.setter
    def wrap_text(self, value: bool) -> None:
        self._log("set wrap_text", value)

    # merged -----------------------------------------------------------------
    @property
    def merge_cells(self) -> bool | None:
        self._log("get merge_cells")
        cells = self._cells()
        inside = sum(1 for r, c in cells if any(m[0] <= r <= m[2] and m[1] <= c <= m[3] for m in self.sheet.merges))
        if inside == 0:
            return False
        return True if inside == len(cells) else None

    @property
    def merge_area(self) -> FakeRange:
        self._log("get merge_area")
        r, c = self.areas[0][:2]
        for m in self.sheet.merges:
            if m[0] <= r <= m[2] and m[1] <= c <= m[3]:
                return FakeRange(self.sheet, [m])
        return FakeRange(self.sheet, [(r, c, r, c)])

    # notes ------------------------------------------------------------------
    @property
    def note(self) -> FakeNote | None:
        self._log("get note")
        key = self.areas[0][:2]
        return FakeNote(self.sheet, key) if self.sheet.peek(*key).note is not None else None

    def add_note(self, text: str) -> FakeNote:
        self._log("add_note")
        key = self.areas[0][:2]
        if self.shape != (1, 1):
            raise ValueError("A note can only be added to a single cell")
        if self.sheet.peek(*key).note is not None:
            raise ValueError("This cell already has a note")
        self._writable([key])
        self.sheet.cell(*key).note = (text, "Excel user")
        return FakeNote(self.sheet, key)

    @property
    def api(self) -> object:
        rng = self

        class Api:
            def AddComment(self, text: str) -> None:
                rng._log("api.AddComment")
                rng.sheet.cell(*rng.areas[0][:2]).note = (text, "Excel user")

        return Api()

    # selection --------------------------------------------------------------
    def select(self) -> None:
        self._log("select")
        if self.sheet.book.active_sheet is not self.sheet:
            raise FakeError("Select method of Range class failed")
        self.sheet.book.app.selection = self


class FakeFont:
    def __init__(self, rng: FakeRange) -> None:
        self.rng = rng

    @property
    def name(self) -> str | None:
        self.rng._log("get font.name")
        names = {self.rng.sheet.peek(r, c).font for r, c in self.rng._cells()}
        return next(iter(names)) if len(names) == 1 else None

    @name.setter
    def name(self, value: str) -> None:
        self.rng._log("set font.name", value)
        self.rng._writable(self.rng._cells(), formatting=True)
        for r, c in self.rng._cells():
            self.rng.sheet.cell(r, c).font = value

    @property
    def bold(self) -> bool:
        return all(self.rng.sheet.peek(r, c).bold for r, c in self.rng._cells())

    @bold.setter
    def bold(self, value: bool) -> None:
        self.rng._log("set font.bold", value)
        for r, c in self.rng._cells():
            self.rng.sheet.cell(r, c).bold = value


class FakeNote:
    def __init__(self, sheet: FakeSheet, key: tuple[int, int]) -> None:
        self.sheet = sheet
        self.key = key

    @property
    def author(self) -> str:
        self.sheet._log("get note.author", ref(*self.key))
        return self.sheet.peek(*self.key).note[1]  # type: ignore[index]

    @property
    def text(self) -> str:
        self.sheet._log("get note.text", ref(*self.key))
        return self.sheet.peek(*self.key).note[0]  # type: ignore[index]

    @text.setter
    def text(self, value: str) -> None:
        self.sheet._log("set note.text", ref(*self.key))
        old = self.sheet.cell(*self.key).note
        self.sheet.cell(*self.key).note = (value, old[1] if old else "Excel user")

    def delete(self) -> None:
        self.sheet._log("delete note", ref(*self.key))
        self.sheet.cell(*self.key).note = None


# -- files ------------------------------------------------------------------------
def _xlwings_value(v: object) -> object:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    if isinstance(v, time):
        return datetime(1899, 12, 30, v.hour, v.minute, v.second)
    if isinstance(v, str):
        return v or None
    return v


def from_xlsx(path: Path, app: FakeApp | None = None) -> FakeBook:
    """A fake Book holding what the file holds, as Excel would show it."""
    from openpyxl import load_workbook

    wb = load_workbook(path)  # formulas
    values = load_workbook(path, data_only=True)  # the values Excel stored
    book = FakeBook(path.name, app, str(path))
    for ws in wb.worksheets:
        sheet = FakeSheet(book, ws.title)
        book.sheets.items.append(sheet)
        sheet.state = {"visible": -1, "hidden": 0, "veryHidden": 2}[ws.sheet_state]
        vs = values[ws.title]
        for row in ws.iter_rows():
            for c in row:
                if c.__class__.__name__ == "MergedCell":
                    continue
                cell = Cell()
                v = vs.cell(c.row, c.column).value
                cell.value = _xlwings_value(v)
                if isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f":
                    cell.formula = c.value
                fill = c.fill
                if fill is not None and fill.fill_type == "solid" and fill.fgColor is not None \
                        and fill.fgColor.type == "rgb" and isinstance(fill.fgColor.rgb, str):
                    h = fill.fgColor.rgb[-6:]
                    cell.color = (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))
                if c.comment is not None:
                    cell.note = (c.comment.text, c.comment.author or "")
                if c.font is not None and c.font.name:
                    cell.font = c.font.name
                    cell.bold = bool(c.font.b)
                cell.number_format = c.number_format or "General"
                sheet.cells[(c.row, c.column)] = cell
        for m in ws.merged_cells.ranges:
            sheet.merges.append((m.min_row, m.min_col, m.max_row, m.max_col))
    visible = [s for s in book.sheets if s.state == -1]
    book.active_sheet = visible[0] if visible else None
    if wb.active is not None and wb.active.title in book.sheets and book.sheets[wb.active.title].state == -1:
        book.active_sheet = book.sheets[wb.active.title]
    return book


def to_xlsx(book: FakeBook, path: Path) -> Path:
    """Save the fake Book as Excel would (values, fills, notes, fonts, merged cells,
    hidden sheets); formulas are written as formulas."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    for s in book.sheets:
        ws = wb.create_sheet(s.name)
        ws.sheet_state = {-1: "visible", 0: "hidden", 2: "veryHidden"}[s.state]
        for (r, c), cell in sorted(s.cells.items()):
            x = ws.cell(r, c)
            v = cell.formula or cell.value
            x.value = v
            if isinstance(v, str) and not cell.formula:
                x.data_type = "s"
            if cell.color is not None:
                x.fill = PatternFill("solid", fgColor="FF{:02X}{:02X}{:02X}".format(*cell.color))
            if cell.note is not None:
                x.comment = Comment(cell.note[0], cell.note[1])
            x.font = Font(name=cell.font, bold=cell.bold)
            x.number_format = cell.number_format
        for m in s.merges:
            ws.merge_cells(start_row=m[0], start_column=m[1], end_row=m[2], end_column=m[3])
    wb.save(path)
    return path


def book_with(sheets: dict[str, list[list[object]]], name: str = "So.xlsx", app: FakeApp | None = None) -> FakeBook:
    """A fake Book from rows of values (xlwings style), each sheet from A1."""
    book = FakeBook(name, app)
    for sname, rows in sheets.items():
        sheet = FakeSheet(book, sname)
        book.sheets.items.append(sheet)
        for i, row in enumerate(rows, 1):
            for j, v in enumerate(row, 1):
                if v is not None:
                    sheet.cell(i, j).value = _xlwings_value(v)
    book.active_sheet = book.sheets[0] if len(book.sheets) else None
    return book


@dataclass
class Snapshot:
    """What marking may change, cell by cell: fills and notes of every sheet, and the sheets."""

    sheets: list[tuple[str, int]] = field(default_factory=list)
    fills: dict[tuple[str, int, int], tuple[int, int, int] | None] = field(default_factory=dict)
    notes: dict[tuple[str, int, int], tuple[str, str] | None] = field(default_factory=dict)
    values: dict[tuple[str, int, int], object] = field(default_factory=dict)


def snapshot(book: FakeBook) -> Snapshot:
    snap = Snapshot(sheets=[(s.name, s.state) for s in book.sheets])
    for s in book.sheets:
        for (r, c), cell in s.cells.items():
            if cell.color is not None:
                snap.fills[(s.name, r, c)] = cell.color
            if cell.note is not None:
                snap.notes[(s.name, r, c)] = cell.note
            if cell.value is not None:
                snap.values[(s.name, r, c)] = cell.value
    return snap
