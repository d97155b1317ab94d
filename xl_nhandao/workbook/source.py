"""Workbook access behind one small interface (STYLE §7).

:class:`FileWorkbook` reads an ``.xlsx`` on disk with python-calamine (fast, values
only) after the checks of :mod:`.guard` (a regular file, a workbook, no password, not
damaged, no zip bomb, each sheet's real extent), and finds cells written in legacy-font
encodings by reading the workbook's styles directly from the zip, only when such fonts
exist. Merged ranges are normalised and clipped to the data before anyone walks them.
:meth:`FileWorkbook.read_ahead` reads the next sheets on another core (python-calamine
parses without the GIL) while the reader works on the one before. A
live Excel workbook (xlwings ``Book``) implements the same interface in
:mod:`xl_nhandao.addin`.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from xml.etree import ElementTree

from ..errors import RunError
from ..vn.text import legacy_font_encoding

# The limits, for sheets read elsewhere (the add-in's live workbook):
from .guard import MAX_CELLS as MAX_CELLS
from .guard import MAX_ROWS as MAX_ROWS
from .guard import (
    NOT_SHEETS,
    NS,
    ZIP_ERRORS,
    DamagedOle,
    Extent,
    Unscannable,
    a1_ref,
    check_all_extents,
    check_extent,
    check_file,
    find_impossible_date,
    int_or_none,
    is_panic,
    native_stderr_silenced,
    ods_extents,
    sheet_extent,
    sheet_parts,
    short_reason,
    xls_extents,
    zip_members,
)


@dataclass
class SheetData:
    """One sheet's values as a grid starting at A1 (``rows[0]`` is Excel row 1).

    Empty cells are ``""``. ``merged`` lists merged ranges as 0-based inclusive
    ``((r0, c0), (r1, c1))`` with ``r0 <= r1`` and ``c0 <= c1``, clipped to the grid;
    ``legacy`` maps 0-based ``(row, col)`` of cells shown in a legacy-encoding font
    (``.VnTime``, ``.VnTimeH``, ``VNI-Times`` …) to that font's name.
    """

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    legacy: dict[tuple[int, int], str] = field(default_factory=dict)


class WorkbookSource(Protocol):
    """What the reader needs of a workbook: its label, its sheets' names, and a sheet's
    values. A source may also offer ``read_ahead(names)``, a context manager under which
    the named sheets are read ahead of being asked for (:meth:`FileWorkbook.read_ahead`);
    the reader uses it when it is there."""

    label: str

    def sheet_names(self) -> list[str]: ...

    def read(self, name: str) -> SheetData: ...


class _Ahead:
    """A sheet read ahead (:meth:`FileWorkbook.read_ahead`): ``checked`` once its
    extent is measured (``measured`` when it fits), ``done`` once read (``data``), failed
    (``error``) or passed over (neither: it is read when asked for)."""

    __slots__ = ("checked", "data", "done", "error", "measured")

    def __init__(self) -> None:
        self.checked = threading.Event()
        self.done = threading.Event()
        self.measured = False
        self.data: SheetData | None = None
        self.error: BaseException | None = None


def _each_sheet(ahead: tuple[tuple[str, _Ahead], ...], step: Callable[[str, _Ahead], None], mark: str,
                go: Callable[[_Ahead], bool]) -> None:
    """One stage of reading ahead: ``step`` on each sheet in turn while ``go`` allows,
    setting the sheet's event ``mark`` after it; the first failure is kept on its sheet
    (raised in the caller's thread) and ends the stage. Every sheet's ``mark`` is set
    when the stage ends, so no one waits for a sheet the stage never reached."""
    try:
        for name, item in ahead:
            if not go(item):
                return
            try:
                step(name, item)
            except BaseException as exc:  # raised in the caller's thread
                item.error = exc
                return
            finally:
                getattr(item, mark).set()
    finally:
        for _, item in ahead:
            getattr(item, mark).set()


class FileWorkbook:
    """An ``.xlsx`` on disk, read with python-calamine."""

    def __init__(self, path: Path | str, legacy_formats: bool = False) -> None:
        self.path = Path(path)
        self.label = display_name(self.path.name)
        self.kind = check_file(self.path, legacy_formats)
        if self.kind in ("xls", "ods"):
            self._check_whole_book()
        import python_calamine

        try:
            with native_stderr_silenced():
                if _utf8(str(self.path)):
                    self._book = python_calamine.CalamineWorkbook.from_path(str(self.path))
                else:  # a name with bytes that are not UTF-8 (a Windows USB stick): python-calamine
                    # cannot open it by name, so it reads the bytes
                    self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.path.read_bytes()))
        except BaseException as exc:  # calamine raises its own error types, and may panic
            if not (isinstance(exc, Exception) or is_panic(exc)):
                raise
            raise RunError("corrupt", path=str(self.path), detail=short_reason(exc)) from None
        self._legacy: _LegacyFonts | None = None
        self._parts: dict[str, str] | None = None
        self._lock = threading.Lock()  # python-calamine reads one sheet of a book at a time
        self._ahead: dict[str, _Ahead] = {}

    def sheet_names(self) -> list[str]:
        names = list(self._book.sheet_names)
        seen: set[str] = set()
        for name in names:  # Excel never writes two sheets of one name; the second is unreachable
            if name.casefold() in seen:
                raise RunError("duplicate-sheet", path=str(self.path), sheet=name)
            seen.add(name.casefold())
        return names

    def read(self, name: str) -> SheetData:
        ahead = self._ahead.pop(name, None)
        if ahead is not None:
            ahead.done.wait()
            if ahead.error is not None:
                raise ahead.error
            if ahead.data is not None:
                return ahead.data
        return self._read(name)

    @contextmanager
    def read_ahead(self, names: Iterable[str]) -> Iterator[None]:
        """Read these sheets, in this order, while the caller works on the ones before.

        python-calamine parses a sheet without holding the GIL, so it runs on another core
        while the caller turns the sheet before into records; a second thread measures
        the next sheet's extent meanwhile, always before python-calamine allocates it. A
        failure stops the reading ahead and is raised when its sheet is asked for, a sheet
        not reached is read when asked for, as without reading ahead. On leaving, both
        threads are stopped and waited for (at most the sheet being read): nothing runs
        behind the caller, and standard error is no longer silenced."""
        ahead = tuple((name, _Ahead()) for name in dict.fromkeys(names))
        stop = threading.Event()

        def measure(name: str, item: _Ahead) -> None:
            if self.kind == "xlsx":
                self._check_extent(name)
            item.measured = True

        def read(name: str, item: _Ahead) -> None:
            item.data = self._read(name, measured=True)

        def go_read(item: _Ahead) -> bool:
            item.checked.wait()
            return item.measured and not stop.is_set()

        stages = ((measure, "checked", lambda item: not stop.is_set()), (read, "done", go_read))

        def settle() -> None:
            stop.set()
            for thread in started:
                thread.join()
            for _, item in ahead:  # marks a thread that never started would have set
                item.checked.set()
                item.done.set()
            self._ahead = {}

        self._ahead = dict(ahead)
        started: list[threading.Thread] = []
        for step, mark, go in stages:
            thread = threading.Thread(target=_each_sheet, args=(ahead, step, mark, go),
                                      name=f"xl_nhandao-{step.__name__}", daemon=True)
            try:
                thread.start()
            except RuntimeError:  # no thread to spare: each sheet is read when asked for
                break
            started.append(thread)
        try:
            if len(started) < 2:
                settle()
            yield
        finally:
            settle()

    def _read(self, name: str, measured: bool = False) -> SheetData:
        path = str(self.path)
        if self.kind == "xlsx" and not measured:
            self._check_extent(name)
        with self._lock:
            return self._parse(name, path)

    def _parse(self, name: str, path: str) -> SheetData:
        try:
            with native_stderr_silenced():
                sheet = self._book.get_sheet_by_name(name)
                if sheet.end:
                    corner = a1_ref(sheet.end[1] + 1, sheet.end[0] + 1)
                    check_extent(Extent(sheet.end[0] + 1, sheet.end[1] + 1, corner, corner), path, name)
                rows = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
        except RunError:
            raise
        except BaseException as exc:
            if not (isinstance(exc, Exception) or is_panic(exc)):
                raise
            raise self._unreadable(name, exc) from None
        width = len(rows[0]) if rows else 0
        return SheetData(name, rows, clip_merges(merged, len(rows), width), self._legacy_fonts().cells(name))

    def _check_extent(self, name: str) -> None:
        """Refuse the sheet before python-calamine builds it if it would not fit."""
        path = str(self.path)
        try:
            with zipfile.ZipFile(self.path) as zf:
                if self._parts is None:
                    self._parts = sheet_parts(zf)
                members = zip_members(zf)
                part = self._parts.get(name)
                if part is not None:
                    infos = members.get(part, [])
                else:  # the sheet's part cannot be told: every part that may be one
                    infos = [i for n, infos in members.items() if not NOT_SHEETS.match(n) for i in infos]
                for info in infos:
                    check_extent(sheet_extent(zf, info), path, name)
        except RunError:
            raise
        except (Unscannable, *ZIP_ERRORS) as exc:
            raise RunError("corrupt", path=path, detail=short_reason(exc)) from None

    def _check_whole_book(self) -> None:
        """An .xls or .ods is built whole when python-calamine opens it: every sheet is
        measured first (from its cell records, or its XML with repeats laid out)."""
        path = str(self.path)
        try:
            if self.kind == "xls":
                extents = xls_extents(self.path)
            else:
                with zipfile.ZipFile(self.path) as zf:
                    extents = ods_extents(zf)
        except (Unscannable, DamagedOle, struct.error, *ZIP_ERRORS) as exc:
            raise RunError("corrupt", path=path, detail=short_reason(exc)) from None
        check_all_extents(extents, path)

    def _unreadable(self, name: str, exc: BaseException) -> RunError:
        path = str(self.path)
        if is_panic(exc) or isinstance(exc, OverflowError):
            found = None
            if self.kind == "xlsx":
                try:
                    with zipfile.ZipFile(self.path) as zf:
                        part = (self._parts or sheet_parts(zf)).get(name)
                        found = find_impossible_date(zf, part, is_panic(exc)) if part else None
                except ZIP_ERRORS:
                    found = None
            if found:
                return RunError("date-impossible", path=path, sheet=name, cell=found[0], value=found[1])
            return RunError("sheet-unreadable", path=path, sheet=name, detail=short_reason(exc))
        if isinstance(exc, MemoryError):
            return RunError("sheet-unreadable", path=path, sheet=name, detail="MemoryError")
        return RunError("corrupt", path=path, detail=short_reason(exc))

    def _legacy_fonts(self) -> _LegacyFonts:
        if self._legacy is None:
            self._legacy = _LegacyFonts(self.path)
        return self._legacy


def clip_merges(ranges: list[tuple[tuple[int, int], tuple[int, int]]], height: int, width: int
                ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges normalised (``Z9:A2`` is ``A2:Z9``) and clipped to a grid of
    ``height`` × ``width`` cells; ranges that fall outside it or shrink to one cell, and
    repeats, dropped. A merge down to ``XFD1048576`` over ten rows of data is ten rows."""
    out: list[tuple[tuple[int, int], tuple[int, int]]] = []
    seen: set[tuple[int, int, int, int]] = set()
    for (ra, ca), (rb, cb) in ranges:
        r0, r1 = min(ra, rb), max(ra, rb)
        c0, c1 = min(ca, cb), max(ca, cb)
        if r0 < 0 or c0 < 0 or r0 >= height or c0 >= width:
            continue
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        key = (r0, c0, r1, c1)
        if (r0 == r1 and c0 == c1) or key in seen:
            continue
        seen.add(key)
        out.append(((r0, c0), (r1, c1)))
    return out


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (the submission ledger; the demo's manifest)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def display_name(name: str) -> str:
    """A file name as shown and written (reports, JSON, the ledger): bytes of the name
    that are not UTF-8 (Python keeps them as lone surrogates, which no output can
    encode) become U+FFFD."""
    return name if _utf8(name) else name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_NS = NS
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d+)"([^>]*?)(/>|>(.*?)</c>)', re.S)
_S_ATTR = re.compile(rb'\ss="(\d+)"')
_T_SHARED = re.compile(rb'\st="s"')
_V = re.compile(rb"<v>(\d+)</v>")
_LEGACY_FONT_NAME = re.compile(rb'val="\s*(?:\.vn|vni)', re.I)


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class _LegacyFonts:
    """Which cells are shown in a TCVN3 or VNI font. Reads ``xl/styles.xml`` once; the
    sheets and shared strings only when some cell style uses such a font. Anything it
    cannot read means "no legacy fonts": the text is still converted by its content."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.xf: dict[int, str] = {}
        self.shared: dict[int, str] = {}
        self.parts: dict[str, str] = {}
        try:
            with zipfile.ZipFile(path) as zf:
                self._load(zf)
        except (KeyError, ElementTree.ParseError, *ZIP_ERRORS):
            self.xf, self.shared = {}, {}

    def _load(self, zf: zipfile.ZipFile) -> None:
        names = set(zf.namelist())
        if "xl/styles.xml" not in names:
            return
        raw = zf.read("xl/styles.xml")
        shared_raw = zf.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
        if not _LEGACY_FONT_NAME.search(raw) and not _LEGACY_FONT_NAME.search(shared_raw):
            return  # the common case: no TCVN3/VNI font anywhere, nothing more to parse
        styles = ElementTree.fromstring(raw)
        fonts: list[str | None] = []
        for f in styles.iterfind(f"{_NS}fonts/{_NS}font"):
            node = f.find(f"{_NS}name")
            name = node.get("val") if node is not None else None
            fonts.append(name if legacy_font_encoding(name) else None)
        for i, xf in enumerate(styles.iterfind(f"{_NS}cellXfs/{_NS}xf")):
            fid = int_or_none(xf.get("fontId", "0"))
            if fid is not None and 0 <= fid < len(fonts) and fonts[fid]:
                self.xf[i] = fonts[fid]  # type: ignore[assignment]
        if shared_raw:
            data = shared_raw
            if b"rFont" in data:
                sst = ElementTree.fromstring(data)
                for i, si in enumerate(sst.iterfind(f"{_NS}si")):
                    for r in si.iterfind(f"{_NS}r"):
                        rf = r.find(f"{_NS}rPr/{_NS}rFont")
                        name = rf.get("val") if rf is not None else None
                        if legacy_font_encoding(name):
                            self.shared[i] = name  # type: ignore[assignment]
                            break
        if not self.xf and not self.shared:
            return
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target", "") for r in rels}
        for s in wb.iterfind(f"{_NS}sheets/{_NS}sheet"):
            t = target.get(s.get(f"{_REL_NS}id"), "")
            part = t.lstrip("/") if t.startswith("/") else "xl/" + t
            self.parts[s.get("name", "")] = part

    def cells(self, sheet: str) -> dict[tuple[int, int], str]:
        if not (self.xf or self.shared) or sheet not in self.parts:
            return {}
        try:
            with zipfile.ZipFile(self.path) as zf:
                data = zf.read(self.parts[sheet])
        except (KeyError, *ZIP_ERRORS):
            return {}
        out: dict[tuple[int, int], str] = {}
        default = self.xf.get(0)
        for m in _CELL.finditer(data):
            attrs = m.group(3)
            s = _S_ATTR.search(attrs)
            enc = self.xf.get(int(s.group(1))) if s else default
            if self.shared and _T_SHARED.search(attrs) and m.group(5):
                v = _V.search(m.group(5))
                if v and int(v.group(1)) in self.shared:
                    enc = self.shared[int(v.group(1))]
            if enc:
                out[(int(m.group(2)) - 1, col_index(m.group(1).decode()))] = enc
        return out
