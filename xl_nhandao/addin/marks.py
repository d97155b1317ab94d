"""Marking the active workbook ("Kiểm tra dữ liệu") and taking the marks off again
("Xóa đánh dấu"), through the live workbook.

The marks are those of ``validate --annotate`` (:mod:`xl_nhandao.workbook.annotate`): red
fill for a cell with an error, yellow for one with only warnings, a note listing the
issues (after the clerk's own note, when the cell has one), and a ``Loi`` sheet listing
every issue with a link to its cell. Before any cell is touched, what marking will change
— each cell's own fill colour and note — is written to the very hidden sheet
``_xlnd_danh_dau`` of the workbook (the same store, with the same first four columns, as
the annotated copy's), with what the mark itself is. So "Xóa đánh dấu" works in a later
session, on a copy the command line annotated, and after a run that stopped half-way;
and a cell whose mark the clerk has changed since (another colour, an edited note) is
left as the clerk made it.

xlwings reports a fill as one RGB colour: a cell's own theme colour comes back as the
same colour, no longer tied to the theme; a pattern is kept (only its colour is set). A
fill stored by the command line's annotated copy as a theme colour cannot be told
without the theme and comes back as no fill. A note's own text and author (xlwings gives the
author from 0.37.5) are stored; clearing sets the text back — the note itself is never
deleted, so it keeps its author and shape in Excel.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import RunError
from ..workbook.annotate import (
    AUTHOR,
    FILL,
    ISSUE_HEADERS,
    ISSUES_SHEET,
    MARKS_SHEET,
    NOTE_SEPARATOR,
    STORE_HEADER,
    note_lines,
)
from .book import (
    a1,
    as_text,
    delete_sheet,
    fills_of,
    note_of,
    note_text,
    parse_ref,
    set_fill,
    set_note,
    very_hide,
    write_rows,
)

if TYPE_CHECKING:
    from ..i18n import Lang
    from ..issues import Issue
    from .book import LiveWorkbook

#: The store's columns after the four it shares with the annotated copy: the mark's fill
#: and the tool's note lines, so that clearing leaves alone a mark the clerk changed.
STORE_EXTRA = ("Dấu tô", "Dấu ghi chú")
MARK_RGB = {sev: (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)) for sev, h in FILL.items()}
#: Widths of the Loi sheet's columns (as the annotated copy's) and the columns that wrap.
_WIDTHS = (10, 11, 7, 16, 7, 16, 50, 42, 20)
_WRAPPED = ("B", "D", "F", "G", "H")
_HEADER_FILL = (0xF2, 0xDC, 0xDB)


@dataclass
class Marked:
    cells: int = 0
    notes_skipped: int = 0
    #: The problem selected: sheet and cell.
    first: tuple[str, str] | None = None
    loi: str | None = None


@dataclass
class Cleared:
    restored: int = 0
    #: Cells whose mark the clerk changed since: left as they are.
    kept: int = 0
    sheets_removed: list[str] = field(default_factory=list)


# -- marking ----------------------------------------------------------------------------------
def mark(book: object, source: LiveWorkbook, issues: Sequence[Issue], lang: Lang = "vi",
         progress: Callable[[int, int], None] | None = None) -> Marked:
    """Colour and comment the cells of ``issues`` (an earlier marking already cleared),
    write the ``Loi`` sheet, select the first problem."""
    names = {s.name for s in book.sheets}  # type: ignore[attr-defined]
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for i in issues:
        if i.sheet and i.cell and i.sheet in names and i.severity in FILL:
            by_cell[(i.sheet, _visible(source, i.sheet, i.cell))].append(i)
    result = Marked()
    by_sheet: dict[str, list[str]] = defaultdict(list)
    for sheet, ref in by_cell:
        by_sheet[sheet].append(ref)
    # 1. What marking changes, stored before any cell is touched.
    store_rows: list[list[object]] = [[*STORE_HEADER, *STORE_EXTRA]]
    plan: list[tuple[str, str, str, str | None]] = []  # sheet, ref, severity, the note to write
    for sheet_name, refs in by_sheet.items():
        sheet = book.sheets[sheet_name]  # type: ignore[attr-defined]
        fills = fills_of(sheet, refs)
        notes = _notes_of(sheet, refs)
        for ref in refs:
            cell_issues = by_cell[(sheet_name, ref)]
            severity = "error" if any(i.severity == "error" for i in cell_issues) else "warning"
            ours = "\n".join(note_lines(cell_issues, lang))
            own, author = notes.get(ref, (None, ""))
            plan.append((sheet_name, ref, severity, f"{own}{NOTE_SEPARATOR}{ours}" if own else ours))
            store_rows.append([sheet_name, ref, fill_xml(fills.get(ref)),
                               json.dumps({"text": own, "author": author}, ensure_ascii=False) if own is not None
                               else "", _hex(MARK_RGB[severity]), ours])
    if plan:
        store = add_sheet(book, MARKS_SHEET, source.label, last=True)
        write_rows(store, 1, 1, [[as_text(v) for v in row] for row in store_rows])
        very_hide(store)
    # 2. Fills: one call per group of cells of one colour.
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sheet_name, ref, severity, _ in plan:
        groups[(sheet_name, severity)].append(ref)
    for (sheet_name, severity), refs in sorted(groups.items()):
        try:
            set_fill(book.sheets[sheet_name], refs, MARK_RGB[severity])  # type: ignore[attr-defined]
        except Exception as exc:  # a protected sheet that forbids formatting cells
            raise RunError("addin-write-refused", sheet=sheet_name) from exc
    # 3. Notes, one by one (xlwings has no call for several).
    for n, (sheet_name, ref, _sev, text) in enumerate(plan, 1):
        if progress and (n % 50 == 0 or n == len(plan)):
            progress(n, len(plan))
        try:
            set_note(book.sheets[sheet_name], ref, text)  # type: ignore[attr-defined]
        except Exception:  # a cell with a threaded comment takes no note: the fill and Loi still say it
            result.notes_skipped += 1
    result.cells = len(plan)
    result.loi = issues_sheet(book, issues, lang)
    result.first = _select_first(book, issues, source, names)
    return result


def _visible(source: LiveWorkbook, sheet: str, ref: str) -> str:
    """The cell that shows ``ref``: itself, or the first cell of the merged area it is in."""
    data = source.data.get(sheet)
    if data is None or not data.merged:
        return ref
    row, col = parse_ref(ref)
    for (r0, c0), (r1, c1) in data.merged:  # 0-based
        if r0 <= row - 1 <= r1 and c0 <= col - 1 <= c1:
            return a1(r0 + 1, c0 + 1)
    return ref


def _notes_of(sheet: object, refs: Sequence[str]) -> dict[str, tuple[str, str]]:
    """The cells' own notes and their authors. When xlwings can list a sheet's notes and
    there are none (the usual case), no cell is asked."""
    listing = getattr(sheet, "notes", None)
    try:
        if listing is not None and len(listing) == 0:
            return {}
    except Exception:
        pass
    out = {}
    for ref in refs:
        found = note_of(sheet, ref)
        if found is not None:
            out[ref] = found
    return out


def _select_first(book: object, issues: Sequence[Issue], source: LiveWorkbook, names: set[str]) -> tuple[str, str] | None:
    """Select the first error's cell (else the first warning's) on its sheet."""
    for severity in ("error", "warning"):
        for i in issues:
            if i.severity == severity and i.sheet in names and i.cell:
                ref = _visible(source, i.sheet, i.cell)
                sheet = book.sheets[i.sheet]  # type: ignore[attr-defined]
                try:
                    sheet.activate()
                    sheet.range(ref).select()
                except Exception:  # a hidden sheet cannot be shown this way; the Loi sheet links to it
                    return None
                return i.sheet, ref
    return None


# -- the Loi sheet ------------------------------------------------------------------------------
def issues_sheet(book: object, issues: Sequence[Issue], lang: Lang) -> str:
    """Write the ``Loi`` sheet (first in the workbook): every issue, its cell a link.
    Returns the sheet's name (``Loi``, unless the clerk has a sheet of that name)."""
    names = {s.name for s in book.sheets}  # type: ignore[attr-defined]
    name = ISSUES_SHEET if ISSUES_SHEET not in names else f"{ISSUES_SHEET} ({AUTHOR})"
    headers = list(ISSUE_HEADERS[lang])
    rows: list[list[object]] = [[as_text(h) for h in headers]]
    for i in issues:
        link: object = as_text(i.cell) if i.cell else None
        if i.sheet and i.cell and i.sheet in names:
            link = hyperlink(i.sheet, i.cell)
        rows.append([as_text(i.severity_label(lang)), as_text(i.sheet) if i.sheet else None, i.row,
                     as_text(i.column) if i.column else None, link, as_text(i.value) if i.value else None,
                     as_text(i.message(lang)), as_text(i.hint(lang)) if i.hint(lang) else None, as_text(i.code)])
    sheet = add_sheet(book, name, str(book.name), last=False)  # type: ignore[attr-defined]
    write_rows(sheet, 1, 1, rows)
    # Looks: cosmetic, so a refusal (an old xlwings, a Mac) costs nothing but the looks.
    head = sheet.range((1, 1), (1, len(headers)))
    _try(lambda: setattr(head.font, "bold", True))
    _try(lambda: setattr(head, "color", _HEADER_FILL))
    for col, width in enumerate(_WIDTHS, 1):
        _try(lambda col=col, width=width: setattr(sheet.range((1, col)), "column_width", width))
    last = max(len(rows), 2)
    for letter in _WRAPPED:
        _try(lambda letter=letter: setattr(sheet.range(f"{letter}2:{letter}{last}"), "wrap_text", True))
    for severity, rgb in MARK_RGB.items():
        refs = [f"A{n}" for n, i in enumerate(issues, 2) if i.severity == severity]
        if refs:
            _try(lambda refs=refs, rgb=rgb: set_fill(sheet, refs, rgb))
    return name


def hyperlink(sheet: str, cell: str) -> str:
    """A formula linking to a cell of the workbook: ``=HYPERLINK("#'Dia chi'!D7","D7")``."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    return '=HYPERLINK("' + target.replace('"', '""') + '","' + cell + '")'


def add_sheet(book: object, name: str, label: str, last: bool) -> object:
    """A new sheet, first or last; a workbook whose structure is protected refuses."""
    sheets = book.sheets  # type: ignore[attr-defined]
    try:
        return sheets.add(name, after=sheets[-1]) if last else sheets.add(name, before=sheets[0])
    except Exception as exc:
        raise RunError("addin-book-protected", book=label) from exc


def _try(action: Callable[[], object]) -> None:
    with contextlib.suppress(Exception):
        action()


def _is_issues_sheet(sheet: object) -> bool:
    """A ``Loi`` sheet this tool wrote: its header row is ours (a clerk's own is kept)."""
    try:
        first = sheet.range((1, 1), (1, 9)).value  # type: ignore[attr-defined]
    except Exception:
        return False
    return isinstance(first, list) and tuple(first) in {tuple(h) for h in ISSUE_HEADERS.values()}


# -- clearing ------------------------------------------------------------------------------------
def clear(book: object) -> Cleared:
    """Give back every marked cell's own fill and note, and remove the ``Loi`` sheet and
    the store. A cell whose mark the clerk changed since keeps the clerk's change."""
    result = Cleared()
    store = _store(book)
    if store is not None:
        grid = store.used_range.options(ndim=2).value  # type: ignore[attr-defined]
        rows = [list(r) + [None] * 6 for r in (grid or [])[1:]]
        names = {s.name for s in book.sheets}  # type: ignore[attr-defined]
        entries = []
        for sheet_name, ref, fill, note, mark_hex, mark_note, *_ in rows:
            if not isinstance(sheet_name, str) or sheet_name not in names or sheet_name == MARKS_SHEET:
                continue
            try:
                parse_ref(str(ref))
            except ValueError:
                continue
            entries.append((sheet_name, str(ref), _fill_rgb(fill), _own_note(note),
                            _rgb_hex(mark_hex), mark_note if isinstance(mark_note, str) else None))
        _restore(book, entries, result)
        result.sheets_removed.append(store.name)  # type: ignore[attr-defined]
        delete_sheet(store)
    for sheet in list(book.sheets):  # type: ignore[attr-defined]
        name = str(sheet.name)
        if (name == ISSUES_SHEET or name.startswith(f"{ISSUES_SHEET} (")) and _is_issues_sheet(sheet):
            delete_sheet(sheet)
            result.sheets_removed.append(name)
    return result


def _store(book: object) -> object | None:
    for sheet in book.sheets:  # type: ignore[attr-defined]
        if sheet.name == MARKS_SHEET:
            first = sheet.range((1, 1), (1, 4)).value
            if isinstance(first, list) and tuple(first) == STORE_HEADER:
                return sheet
    return None


def _restore(book: object, entries: list[tuple[str, str, tuple[int, int, int] | None, str | None,
                                                tuple[int, int, int] | None, str | None]],
             result: Cleared) -> None:
    by_sheet: dict[str, list[int]] = defaultdict(list)
    for n, e in enumerate(entries):
        by_sheet[e[0]].append(n)
    for sheet_name, indexes in by_sheet.items():
        sheet = book.sheets[sheet_name]  # type: ignore[attr-defined]
        refs = [entries[n][1] for n in indexes]
        marked = [n for n in indexes if entries[n][4] is not None]
        now = fills_of(sheet, [entries[n][1] for n in marked]) if marked else {}
        back: dict[tuple[int, int, int] | None, list[str]] = defaultdict(list)
        kept: set[str] = set()
        for n in indexes:
            _, ref, own, _, mark_rgb, _ = entries[n]
            if mark_rgb is not None and now.get(ref) != mark_rgb:
                kept.add(ref)  # the clerk gave it another colour since
                continue
            back[own].append(ref)
        for color, cells in back.items():
            set_fill(sheet, cells, color)
        for n in indexes:
            _, ref, _, own, _, mark_note = entries[n]
            if mark_note is None:  # a store of the command line's annotated copy: as it says
                set_note(sheet, ref, own)
                continue
            current = note_text(sheet, ref)
            expected = f"{own}{NOTE_SEPARATOR}{mark_note}" if own else mark_note
            if current is None:
                continue  # the clerk deleted the note: left so
            if _same(current, expected):
                set_note(sheet, ref, own)
            elif _norm(mark_note) in _norm(current):  # the clerk added to it: only the tool's lines go
                rest = _norm(current).replace(_norm(NOTE_SEPARATOR + mark_note), "").replace(_norm(mark_note), "")
                set_note(sheet, ref, rest.strip("\n") or None)
            else:
                kept.add(ref)
        result.kept += len(kept)
        result.restored += len(refs) - len(kept)


def _norm(text: str) -> str:
    """Excel may give a note's line breaks back as CR LF or CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _same(a: str, b: str) -> bool:
    return _norm(a).rstrip() == _norm(b).rstrip()


# -- the store's formats ----------------------------------------------------------------------------
def fill_xml(rgb: tuple[int, int, int] | None) -> str:
    """A fill as the annotated copy's store writes it (openpyxl's XML): ``""`` for none."""
    if rgb is None:
        return ""
    return '<fill><patternFill patternType="solid"><fgColor rgb="FF{:02X}{:02X}{:02X}"/></patternFill></fill>'.format(*rgb)


_RGB_ATTR = re.compile(r'<(?:\w+:)?fgColor\b[^>]*\brgb="([0-9A-Fa-f]{6,8})"')
_INDEXED_ATTR = re.compile(r'<(?:\w+:)?fgColor\b[^>]*\bindexed="(\d+)"')


def _fill_rgb(xml: object) -> tuple[int, int, int] | None:
    """The colour of a stored fill (``None``: no fill, or one that cannot be told)."""
    if not isinstance(xml, str) or not xml or 'patternType="none"' in xml:
        return None
    m = _RGB_ATTR.search(xml)
    if m:
        h = m.group(1)[-6:]
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    m = _INDEXED_ATTR.search(xml)
    if m:
        from openpyxl.styles.colors import COLOR_INDEX

        n = int(m.group(1))
        if n < len(COLOR_INDEX):
            h = COLOR_INDEX[n][-6:]
            return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    return None


def _own_note(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        text = json.loads(value).get("text")
    except (ValueError, AttributeError):
        return None
    return text if isinstance(text, str) else None


def _hex(rgb: tuple[int, int, int]) -> str:
    return "{:02X}{:02X}{:02X}".format(*rgb)


def _rgb_hex(value: object) -> tuple[int, int, int] | None:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        return None
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
