"""Workbook access behind one small interface (STYLE §7).

:class:`FileWorkbook` reads an ``.xlsx`` on disk with python-calamine (fast, values
only) after safety checks (not a workbook, password, ``.xls``, damaged zip, zip bomb,
absurd sheet size), and finds cells written in legacy-font encodings by reading the
workbook's styles directly from the zip, only when such fonts exist. A live Excel
workbook (xlwings ``Book``) implements the same interface in :mod:`xl_nhandao.addin`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from xml.etree import ElementTree

from ..errors import RunError
from ..vn.text import legacy_font_encoding

#: Sheets longer than this are refused: a national register is ~500,000 rows; a sheet
#: reaching Excel's last row (1,048,576) is a stray cell, not data.
MAX_ROWS = 600_000
#: Unpacked size limits against zip bombs.
MAX_UNPACKED = 2 * 1024**3
MAX_RATIO = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetData:
    """One sheet's values as a grid starting at A1 (``rows[0]`` is Excel row 1).

    Empty cells are ``""``. ``merged`` lists merged ranges as 0-based inclusive
    ``((r0, c0), (r1, c1))``; ``legacy`` maps 0-based ``(row, col)`` of cells shown in a
    legacy-encoding font (``.VnTime``, ``.VnTimeH``, ``VNI-Times`` …) to that font's name.
    """

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    legacy: dict[tuple[int, int], str] = field(default_factory=dict)


class WorkbookSource(Protocol):
    label: str

    def sheet_names(self) -> list[str]: ...

    def read(self, name: str) -> SheetData: ...


def _human_size(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB".replace(",", ".")


def check_file(path: Path, legacy_formats: bool = False) -> None:
    """Raise :class:`RunError` unless ``path`` is a readable, safe ``.xlsx`` (or, with
    ``legacy_formats``, an unencrypted ``.xls`` or ``.ods`` python-calamine can read)."""
    label = str(path)
    if not path.exists():
        raise RunError("file-not-found", path=label)
    if path.is_dir():
        raise RunError("not-a-file", path=label)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise RunError("corrupt", path=label, detail=exc.strerror or type(exc).__name__) from None
    if head.startswith(OLE_MAGIC):
        if _ole_is_encrypted(path):
            raise RunError("encrypted", path=label)
        if legacy_formats:
            return
        raise RunError("xls-unsupported", path=label)
    if not head.startswith(b"PK"):
        raise RunError("not-a-workbook", path=label)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
                if legacy_formats and b"spreadsheet" in zf.read("mimetype"):
                    return
                raise RunError("format-unsupported", path=label, kind="OpenDocument (.ods)")
            if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                raise RunError("not-a-workbook", path=label)
            if "xl/workbook.bin" in names:
                raise RunError("format-unsupported", path=label, kind="Excel nhị phân (.xlsb)")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED:
                raise RunError("zip-bomb", path=label, size=_human_size(total))
            for i in infos:
                if i.file_size > 50 * 1024**2 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise RunError("zip-bomb", path=label, size=_human_size(i.file_size))
    except zipfile.BadZipFile as exc:
        raise RunError("corrupt", path=label, detail=str(exc)) from None
    except (OSError, NotImplementedError) as exc:
        raise RunError("corrupt", path=label, detail=str(exc)) from None


def _ole_is_encrypted(path: Path) -> bool:
    """An encrypted .xlsx is an OLE2 compound file with an ``EncryptionInfo`` stream."""
    marker = "EncryptionInfo".encode("utf-16-le")
    with path.open("rb") as fh:
        data = fh.read(64 * 1024 * 1024)
    return marker in data


class FileWorkbook:
    """An ``.xlsx`` on disk, read with python-calamine."""

    def __init__(self, path: Path | str, legacy_formats: bool = False) -> None:
        self.path = Path(path)
        self.label = self.path.name
        check_file(self.path, legacy_formats)
        import python_calamine

        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine raises its own error types
            raise RunError("corrupt", path=str(self.path), detail=_short(exc)) from None
        self._legacy: _LegacyFonts | None = None

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def read(self, name: str) -> SheetData:
        try:
            sheet = self._book.get_sheet_by_name(name)
            end_row = sheet.end[0] + 1 if sheet.end else 0
            if end_row > MAX_ROWS:
                raise RunError("too-many-rows", path=str(self.path), sheet=name, rows=end_row, limit=MAX_ROWS)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except RunError:
            raise
        except Exception as exc:
            raise RunError("corrupt", path=str(self.path), detail=_short(exc)) from None
        return SheetData(name, rows, merged, self._legacy_fonts().cells(name))

    def _legacy_fonts(self) -> _LegacyFonts:
        if self._legacy is None:
            self._legacy = _LegacyFonts(self.path)
        return self._legacy


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
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
    sheets and shared strings only when some cell style uses such a font."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.xf: dict[int, str] = {}
        self.shared: dict[int, str] = {}
        self.parts: dict[str, str] = {}
        try:
            with zipfile.ZipFile(path) as zf:
                self._load(zf)
        except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
            self.xf = {}

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
            fid = int(xf.get("fontId", "0"))
            if fid < len(fonts) and fonts[fid]:
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
        except (KeyError, zipfile.BadZipFile, OSError):
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
