"""What a workbook file really holds, measured before python-calamine reads it.

python-calamine trusts the file. It reserves memory for every shared string the file
*says* it has, and it builds each sheet as one dense rectangle from A1 to the farthest
cell holding a value — one number at ``XFD20000`` costs 10 GB, at ``A99999999`` 11 GB —
and when the memory is not there the process aborts (no exception, no message). So,
before python-calamine sees a part, the part's real extent is read from its XML
(:func:`sheet_extent`; an ``.xls`` from its cell records, an ``.ods`` with its repeats
laid out): a sheet that would not fit is refused with one line naming the stray cell;
empty cells, however far, hold no data and cost nothing. python-calamine also panics (a
``BaseException``) on a date-formatted cell holding a number no date can be (``-1e12``,
``-inf``): :func:`find_impossible_date` names the cell. Here too: only regular files are
read, zip bombs and password-protected files are told apart from damaged ones.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import stat
import struct
import sys
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..errors import RunError

#: The SpreadsheetML namespace, as ElementTree writes it in tag names.
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

#: Sheets longer than this are refused: a national register is ~500,000 rows; a sheet
#: reaching Excel's last row (1,048,576) is a stray cell, not data.
MAX_ROWS = 600_000
#: The largest rectangle A1:<last cell> a sheet may span. python-calamine keeps ~32
#: bytes a cell and the Python lists another ~10: 20 million cells is ~850 MB, more than
#: a national register needs (600,000 rows × 25 columns = 15 million).
MAX_CELLS = 20_000_000
#: Excel's last column (XFD); python-calamine would accept ``ZZZZ1``.
MAX_COLS = 16_384
#: Unpacked size limits against zip bombs.
MAX_UNPACKED = 2 * 1024**3
MAX_RATIO = 200
#: python-calamine reserves 24 bytes for each shared string the file announces. A
#: string takes at least 5 bytes (``<si/>``), so more than a fifth of the part's size
#: (and more than this floor, for writers that count loosely) is a lie.
MAX_SHARED_STRINGS_FLOOR = 2_000_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: What a damaged zip member raises while it is being read.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def _size_mb(n: int) -> int:
    """Bytes → whole MB, rendered per language by the message (``2.048`` / ``2,048``)."""
    return round(n / 1024**2)


def check_regular(path: Path) -> None:
    """Raise :class:`RunError` unless ``path`` is an existing regular file. Opening a named
    pipe would wait for a writer for ever; a device never ends."""
    label = str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise RunError("file-not-found", path=label) from None
    except OSError as exc:
        raise RunError("corrupt", path=label, detail=exc.strerror or type(exc).__name__) from None
    if stat.S_ISDIR(mode):
        raise RunError("not-a-file", path=label)
    if not stat.S_ISREG(mode):
        raise RunError("not-regular", path=label)


def check_file(path: Path, legacy_formats: bool = False) -> str:
    """Raise :class:`RunError` unless ``path`` is a readable, safe ``.xlsx`` (or, with
    ``legacy_formats``, an unencrypted ``.xls`` or ``.ods`` python-calamine can read).
    Returns the kind: ``"xlsx"``, ``"xls"`` or ``"ods"``."""
    label = str(path)
    check_regular(path)
    try:
        # O_NONBLOCK: should the file have become a pipe since, opening does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise RunError("not-regular", path=label)
            head = fh.read(8)
    except OSError as exc:
        raise RunError("corrupt", path=label, detail=exc.strerror or type(exc).__name__) from None
    if head.startswith(OLE_MAGIC):
        if _ole_is_encrypted(path):
            raise RunError("encrypted", path=label)
        if legacy_formats:
            return "xls"
        raise RunError("xls-unsupported", path=label)
    if not head.startswith(b"PK"):
        raise RunError("not-a-workbook", path=label)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED:
                raise RunError("zip-bomb", path=label, size=_size_mb(total))
            for i in infos:
                if i.file_size > 50 * 1024**2 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise RunError("zip-bomb", path=label, size=_size_mb(i.file_size))
            if "mimetype" in names:
                with zf.open("mimetype") as fh:
                    mimetype = fh.read(200)
                if b"opendocument" in mimetype:
                    if legacy_formats and b"spreadsheet" in mimetype:
                        return "ods"
                    raise RunError("format-unsupported", path=label, kind="OpenDocument (.ods)",
                                   kind_en="an OpenDocument (.ods)")
            if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                raise RunError("not-a-workbook", path=label)
            if "xl/workbook.bin" in names:
                raise RunError("format-unsupported", path=label, kind="Excel nhị phân (.xlsb)",
                               kind_en="an Excel binary (.xlsb)")
            _check_shared_strings(zf, label)
    except zipfile.BadZipFile as exc:
        raise RunError("corrupt", path=label, detail=str(exc)) from None
    except ZIP_ERRORS as exc:
        raise RunError("corrupt", path=label, detail=short_reason(exc)) from None
    return "xlsx"


# -- OLE2 compound files: encrypted and old workbooks ------------------------------------
# Read with olefile (a maintained reader of [MS-CFB] that checks a damaged file's sector
# chains) rather than our own.
_BIFF_BOF = (0x0809, 0x0409, 0x0209, 0x0009)
_BIFF_FILEPASS = 0x002F
_BOOK_STREAMS = ("Workbook", "Book")


class DamagedOle(ValueError):
    """A compound file (.xls) whose structure cannot be followed."""


def _ole_stream(path: Path, limit: int | None = None) -> tuple[set[str], bytes]:
    """The stream names (lower case) of the compound file ``path`` and the head (``limit``
    bytes, all without) of its workbook stream, ``b""`` when it has none."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            names = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
            book = next((n for n in _BOOK_STREAMS if ole.exists(n)), None)
            if book is None:
                return names, b""
            with ole.openstream(book) as fh:
                return names, fh.read() if limit is None else fh.read(limit)
    except Exception as exc:  # olefile raises OSError and others on a damaged file
        raise DamagedOle(f"{type(exc).__name__}: {exc}") from None


def _ole_is_encrypted(path: Path) -> bool:
    """An encrypted ``.xlsx`` is an OLE2 compound file with an ``EncryptionInfo`` stream;
    an encrypted ``.xls`` has a ``FILEPASS`` record at the start of its ``Workbook``
    (Excel 97–2003) or ``Book`` (Excel 5/95) stream, right after the ``BOF`` record."""
    try:
        names, head = _ole_stream(path, limit=4096)
    except DamagedOle:  # not a readable compound file: look for the stream name the old way
        with path.open("rb") as fh:
            data = fh.read(64 * 1024 * 1024)
        return "EncryptionInfo".encode("utf-16-le") in data
    return "encryptioninfo" in names or "encryptedpackage" in names or _biff_has_filepass(head)


def _biff_has_filepass(data: bytes) -> bool:
    pos, seen = 0, 0
    while pos + 4 <= len(data) and seen < 16:
        kind, size = struct.unpack_from("<HH", data, pos)
        if seen == 0 and kind not in _BIFF_BOF:
            return False
        if kind == _BIFF_FILEPASS:
            return True
        pos += 4 + size
        seen += 1
    return False


# -- zip parts ---------------------------------------------------------------------------
def _normal(name: str) -> str:
    """A zip member name as python-calamine looks it up: ``\\`` as ``/``, any case."""
    return name.replace("\\", "/").lower()


def zip_members(zf: zipfile.ZipFile) -> dict[str, list[zipfile.ZipInfo]]:
    out: dict[str, list[zipfile.ZipInfo]] = {}
    for info in zf.infolist():
        out.setdefault(_normal(info.filename), []).append(info)
    return out


_SST_TAG = re.compile(rb"<(?:[\w.-]+:)?sst\b[^>]*>")
_UNIQUE = re.compile(rb"""(?<![\w:.-])uniqueCount\s*=\s*["']\s*(\d+)""")


def _check_shared_strings(zf: zipfile.ZipFile, label: str) -> None:
    """Refuse a shared-strings part that announces more strings than it can hold:
    python-calamine would reserve memory for all of them before reading one."""
    for info in zip_members(zf).get("xl/sharedstrings.xml", []):
        with zf.open(info) as fh:
            head = fh.read(1 << 16)
        tag = _SST_TAG.search(head)
        if tag is None:
            continue
        m = _UNIQUE.search(tag.group(0))
        if m is None:
            continue
        announced = int(m.group(1)[:30])
        if announced > max(MAX_SHARED_STRINGS_FLOOR, info.file_size // 5 + 1):
            raise RunError("corrupt", path=label, detail=f"{info.filename}: uniqueCount={m.group(1)[:30].decode()}")


_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: Parts that are never a sheet (scanned when a sheet's part cannot be told).
NOT_SHEETS = re.compile(r"^(?:\[content_types\]\.xml|_rels/|docprops/|xl/_rels/|xl/theme/|xl/styles\.xml$|"
                         r"xl/sharedstrings\.xml$|xl/workbook\.xml$)")


_ENTITY = re.compile(r"&(?:#(\d{1,10})|#[xX]([0-9a-fA-F]{1,8})|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def xml_unescape(text: str) -> str:
    """XML's five entities and character references, as an XML reader decodes them
    (``&#1;`` is U+0001 here, where ``html.unescape`` drops it)."""
    def one(m: re.Match[str]) -> str:
        if m.group(3):
            return _NAMED[m.group(3)]
        cp = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
        return chr(cp) if cp <= 0x10FFFF else m.group(0)

    return _ENTITY.sub(one, text) if "&" in text else text


def _attrs(text: bytes) -> dict[str, str]:
    out = {}
    for name, dq, sq in _ATTR.findall(text):
        out[name.decode("ascii", "replace")] = xml_unescape((dq or sq).decode("utf-8", "replace"))
    return out


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the normalised name of its part, as python-calamine resolves it
    (read leniently: a damaged ``workbook.xml`` python-calamine accepts must not hide a
    sheet from the checks)."""
    members = zip_members(zf)
    try:
        wb = b"".join(zf.read(i) for i in members.get("xl/workbook.xml", [])[:1])
        rels = b"".join(zf.read(i) for i in members.get("xl/_rels/workbook.xml.rels", [])[:1])
    except ZIP_ERRORS:
        return {}
    target: dict[str, str] = {}
    for m in _REL_TAG.finditer(rels):
        a = _attrs(m.group(1))
        if "Id" in a and "Target" in a:
            target[a["Id"]] = a["Target"]
    out: dict[str, str] = {}
    for m in _SHEET_TAG.finditer(wb):
        a = _attrs(m.group(1))
        rid = next((v for k, v in a.items() if k.endswith(":id")), None)
        name = a.get("name")
        if name is None or rid not in target:
            continue
        t = target[rid]  # type: ignore[index]
        out.setdefault(name, _normal(t[1:] if t.startswith("/") else "xl/" + t))
    return out


# -- the real extent of a sheet -----------------------------------------------------------
@dataclass
class Extent:
    """The farthest row and column holding something, 1-based, and the cells that
    reach them."""

    rows: int = 0
    cols: int = 0
    row_cell: str = ""
    col_cell: str = ""

    def add(self, row: int, col: int) -> None:
        if row > self.rows:
            self.rows, self.row_cell = row, a1_ref(col, row)
        if col > self.cols:
            self.cols, self.col_cell = col, a1_ref(col, row)

    @property
    def cells(self) -> int:
        return self.rows * self.cols


def column_letters(col0: int) -> str:
    """0-based column → its letters (``0`` → ``A``, ``26`` → ``AA``)."""
    letters = ""
    n = col0 + 1
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1_ref(col: int, row: int) -> str:
    """1-based column and row → ``D7`` (columns past Excel's last are still named)."""
    if col > 10**7:
        return f"C{col}R{row}"
    return f"{column_letters(col - 1) or 'A'}{row}"


def _col_number(letters: bytes) -> int:
    if len(letters) > 6:
        return 10**9
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


_CHUNK = 1 << 20
#: Attributes after ``r`` in the form every writer uses (names not starting with r).
_MORE = rb'(?: [a-qs-zA-Z_][\w:.-]*+="[^"]*+")*+ ?'


def _cells_not_like(ref: bytes) -> re.Pattern[bytes]:
    """A ``<c`` tag that is *not* ``<c r="REF" a="…" …>`` with ``r`` first, double quotes
    and one space between attributes: no ``r``, another ``r`` later, odd spacing…"""
    return re.compile(rb'<c(?![^\s/>]| r="' + ref + rb'"' + _MORE + rb"/?>)")


#: Inside the box A1:Z599999 (26 × 599,999 cells < MAX_CELLS, rows < MAX_ROWS).
_OUTSIDE_BOX = _cells_not_like(rb"[A-Za-z](?:[1-9]\d{0,4}|[1-5]\d{5})")
_UNUSUAL = _cells_not_like(rb"[A-Za-z]+\d+")
_PREFIXED = re.compile(rb":c[\s/>]")
#: A usual cell tag that is not empty (``<c …/>`` and ``<c …></c>`` hold nothing).
_FULL_CELL = re.compile(rb'<c r="([A-Za-z]+)(\d+)"' + _MORE + rb">(?!</)")
#: Any cell or row start tag (any prefix, quotes, spacing), for the careful walk.
_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""")
_R = re.compile(rb"""(?<![\w:.-])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CELL_REF = re.compile(rb"([A-Za-z]+)(\d+)")
_ROW_NUMBER = re.compile(rb"\d+")


class Unscannable(ValueError):
    """A part with 16 MB and no ``<``: no tag or cell text is that long (Excel holds
    32,767 characters in a cell), and cutting it could hide a tag."""


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part, unpacked piece by piece, each piece ending before a ``<`` (no tag is
    ever cut in two)."""
    with zf.open(info) as fh:
        carry = b""
        while True:
            block = fh.read(_CHUNK)
            if not block:
                break
            data = carry + block
            cut = data.rfind(b"<")
            if cut <= 0:
                if len(data) >= 16 * _CHUNK:
                    raise Unscannable(f"{info.filename} > 16 MB")
                carry = data
                continue
            yield data[:cut]
            carry = data[cut:]
        if carry:
            yield carry


def sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Extent | None:
    """The extent python-calamine will give the sheet in ``info``: the farthest row and
    column of a cell that holds something. ``None`` when every cell is in the usual form
    inside A1:Z599999 (the common case, decided by one regular-expression pass)."""
    if not any(_OUTSIDE_BOX.search(c) or _PREFIXED.search(c) for c in _chunks(zf, info)):
        return None
    if any(_UNUSUAL.search(c) or _PREFIXED.search(c) for c in _chunks(zf, info)):
        return walk_cells(_chunks(zf, info))
    ext = Extent()
    for chunk in _chunks(zf, info):
        found = _FULL_CELL.findall(chunk)
        if not found:
            continue
        far_row = max(found, key=lambda m: (len(m[1].lstrip(b"0")), m[1].lstrip(b"0")))
        ext.add(int(far_row[1]), _col_number(far_row[0]))
        letters = max({m[0].upper() for m in found}, key=lambda s: (len(s), s))
        col = _col_number(letters)
        if col > ext.cols:
            row = next(int(d) for s, d in found if s.upper() == letters)
            ext.add(row, col)
    return ext


def walk_cells(chunks: Iterable[bytes], empty_too: bool = False) -> Extent:
    """Every cell of a sheet's XML (``chunks`` cut before a ``<``) placed the way
    python-calamine places it: a cell's last ``r`` wins; a cell without ``r`` follows
    the one before it in its row; a row without ``r`` follows the row before it. Empty
    cells count only with ``empty_too`` (openpyxl makes an object for each)."""
    ext = Extent()
    row, col = 0, 0
    for chunk in chunks:
        for m in _TAG.finditer(chunk):
            refs = [dq or sq for dq, sq in _R.findall(m.group(2))]
            if m.group(1) == b"row":
                number = _ROW_NUMBER.fullmatch(refs[-1]) if refs else None
                row = int(refs[-1]) if number else row + 1
                col = 0
                continue
            places = []
            for r in refs:
                p = _CELL_REF.fullmatch(r)
                if p:
                    places.append((int(p.group(2)), _col_number(p.group(1))))
            if refs and not places:
                continue  # python-calamine refuses such a reference: nothing allocated
            col = places[-1][1] if places else col + 1
            empty = m.group(2).endswith(b"/") or chunk.startswith(b"</", m.end())
            if empty_too or not empty:
                for r, c in places or [(row, col)]:
                    ext.add(r, c)
    return ext


_ODS_TAG = re.compile(rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_ODS_NAME = re.compile(rb"""table:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ODS_ROWS = re.compile(rb"""table:number-rows-repeated\s*=\s*["']\s*(\d{1,12})""")
_ODS_COLS = re.compile(rb"""table:number-columns-repeated\s*=\s*["']\s*(\d{1,12})""")
_ODS_VALUE = re.compile(rb"office:value-type\s*=")


def ods_extents(zf: zipfile.ZipFile) -> dict[str, Extent]:
    """The extent of each table of an OpenDocument spreadsheet as python-calamine builds
    it: repeated rows and cells (``number-rows-repeated="1000000"``) are laid out in full
    when they hold a value, so one tag can ask for a billion cells."""
    out: dict[str, Extent] = {}
    ext = Extent()
    row, col, rows_rep = 0, 0, 1
    for info in zip_members(zf).get("content.xml", []):
        for chunk in _chunks(zf, info):
            for m in _ODS_TAG.finditer(chunk):
                closing, tag, attrs = m.group(1), m.group(2), m.group(3)
                if tag == b"table":
                    if not closing:
                        name = _ODS_NAME.search(attrs)
                        ext = out.setdefault(xml_unescape(((name.group(1) or name.group(2)) if name else b"")
                                                          .decode("utf-8", "replace")), Extent())
                        row = 0
                    continue
                if tag == b"table-row":
                    if closing:
                        row += rows_rep
                    else:
                        rep = _ODS_ROWS.search(attrs)
                        rows_rep, col = max(int(rep.group(1)), 1) if rep else 1, 0
                        if m.group(4):  # <table:table-row/>
                            row += rows_rep
                    continue
                if closing:
                    continue
                rep = _ODS_COLS.search(attrs)
                cols_rep = max(int(rep.group(1)), 1) if rep else 1
                if _ODS_VALUE.search(attrs):
                    ext.add(row + min(rows_rep, 10**8), col + min(cols_rep, MAX_COLS + 1))
                col += min(cols_rep, MAX_COLS + 1)
    return out


#: BIFF records holding a cell value, all starting with row and column (u16 each):
#: FORMULA, NUMBER, RK, LABELSST, LABEL, RSTRING, BOOLERR, and their BIFF2–4 forms.
#: BLANK and MULBLANK hold nothing (python-calamine skips them); MULRK ends with its
#: last column.
_BIFF_CELLS = {0x0006, 0x0206, 0x0406, 0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, 0x0205, 0x0002, 0x0003, 0x0004,
               0x0005}
_BIFF_MULRK, _BIFF_BOUNDSHEET, _BIFF_EOF = 0x00BD, 0x0085, 0x000A


def xls_extents(path: Path) -> dict[str, Extent]:
    """The extent of each sheet of an Excel 97–2003 workbook, from its cell records.
    python-calamine builds every sheet when it opens the file, each as a rectangle from
    A1 to its farthest value: three sheets with a number at IV65536 take 1.5 GB."""
    _, data = _ole_stream(path)
    if not data:
        return {}
    names: dict[int, str] = {}
    out: dict[str, Extent] = {}
    stack: list[Extent | None] = []  # substreams nest (a chart inside a sheet)
    pos = seen = 0
    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + length]
        if kind in _BIFF_BOF:
            seen += 1
            # The first substream is the workbook's globals; each next one a sheet.
            stack.append(None if seen == 1 else out.setdefault(names.get(pos, f"#{seen - 1}"), Extent()))
        elif kind == _BIFF_EOF:
            if stack:
                stack.pop()
        elif kind == _BIFF_BOUNDSHEET and len(body) >= 8:
            offset, cch, high = struct.unpack_from("<I", body, 0)[0], body[6], body[7]
            raw = body[8 : 8 + cch * (2 if high & 1 else 1)]
            names[offset] = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
        elif stack and stack[-1] is not None and len(body) >= 4 and (kind in _BIFF_CELLS or kind == _BIFF_MULRK):
            row, col = struct.unpack_from("<HH", body, 0)
            if kind == _BIFF_MULRK and len(body) >= 6:
                col = max(col, struct.unpack_from("<H", body, len(body) - 2)[0])
            stack[-1].add(row + 1, col + 1)
        pos += 4 + length
    return {k: v for k, v in out.items() if v.rows}


def check_all_extents(extents: dict[str, Extent], path: str) -> None:
    """Each sheet within the limits, and all of them together too: python-calamine
    builds every sheet of an .xls or .ods when it opens the file."""
    for sheet, ext in extents.items():
        check_extent(ext, path, sheet)
    total = sum(e.cells for e in extents.values())
    if total > MAX_CELLS:
        sheet, ext = max(extents.items(), key=lambda kv: kv[1].cells)
        raise RunError("book-too-large", path=path, cells=total, limit=MAX_CELLS, sheet=sheet,
                       corner=a1_ref(ext.cols, ext.rows))


def check_extent(ext: Extent | None, path: str, sheet: str) -> None:
    if ext is None:
        return
    if ext.rows > MAX_ROWS:
        raise RunError("too-many-rows", path=path, sheet=sheet, rows=ext.rows, limit=MAX_ROWS,
                       cell=ext.row_cell)
    if ext.cols > MAX_COLS or ext.cells > MAX_CELLS:
        far = ext.col_cell if ext.cols > 256 or ext.rows <= 1 else ext.row_cell
        raise RunError("stray-cells", path=path, sheet=sheet, cell=far,
                       corner=a1_ref(min(ext.cols, 10**7 + 1), ext.rows), limit=MAX_CELLS)


# -- python-calamine's panics -------------------------------------------------------------
_STDERR_LOCK = threading.RLock()


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Standard error (file descriptor 2) sent to the null device for the duration: a
    panic in python-calamine's Rust code prints its message and a backtrace there before
    it becomes a Python exception, and the clerk should see one line, ours."""
    with _STDERR_LOCK:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
            null = os.open(os.devnull, os.O_WRONLY)
        except (OSError, ValueError, AttributeError):
            yield
            return
        try:
            os.dup2(null, 2)
            os.close(null)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def is_panic(exc: BaseException) -> bool:
    """A Rust panic inside python-calamine, raised as ``pyo3_runtime.PanicException`` —
    a ``BaseException``, so ``except Exception`` does not see it."""
    return type(exc).__name__ == "PanicException"


_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]', re.I)
_VALUE_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s>])([^>]*)>((?:(?!</(?:[\w.-]+:)?c>).){0,4000}?)"
                         rb"<(?:[\w.-]+:)?v>([^<]{1,400})<", re.S)
_S_VALUE = re.compile(rb"""(?<![\w:.-])s\s*=\s*["'](\d+)""")
_T_VALUE = re.compile(rb"""(?<![\w:.-])t\s*=\s*["'](\w*)""")


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of cell formats showing a date or a time."""
    try:
        styles = ElementTree.fromstring(b"".join(zf.read(i) for i in zip_members(zf).get("xl/styles.xml", [])[:1]))
    except (ElementTree.ParseError, *ZIP_ERRORS):
        return set()
    custom = {}
    for f in styles.iter(f"{NS}numFmt"):
        fid = int_or_none(f.get("numFmtId"))
        if fid is not None:
            custom[fid] = _QUOTED.sub("", f.get("formatCode", ""))
    out = set()
    for i, xf in enumerate(styles.iterfind(f"{NS}cellXfs/{NS}xf")):
        fid = int_or_none(xf.get("numFmtId"))
        if fid in _BUILTIN_DATE_FORMATS or (fid in custom and re.search("[dmyhs]", custom[fid], re.I)):
            out.add(i)
    return out


#: python-calamine turns a date serial into milliseconds in an i64: below this it panics.
_PANIC_BELOW = -(2**63) / 86_400_000


def _impossible_date(text: bytes) -> int:
    """2 for a number python-calamine panics on as a date (below about -1.07e11 days, or
    -inf), 1 for one Python cannot hold as a duration (over 999,999,999 days), else 0."""
    try:
        v = float(text)
    except ValueError:
        return 0
    if math.isnan(v):
        return 0
    if v < _PANIC_BELOW:
        return 2
    return 1 if abs(v) > 999_999_999 else 0


def find_impossible_date(zf: zipfile.ZipFile, part: str, panic: bool = True) -> tuple[str, str] | None:
    """The first cell of ``part`` formatted as a date or time that holds a number no
    date can be (with ``panic``, one that makes python-calamine panic first):
    ``(cell, value)``."""
    dates = _date_styles(zf)
    best: dict[tuple[bool, int], tuple[str, str]] = {}
    for info in zip_members(zf).get(part, []):
        try:
            for chunk in _chunks(zf, info):
                for m in _VALUE_CELL.finditer(chunk):
                    attrs, text = m.group(1), m.group(3).strip()
                    t = _T_VALUE.search(attrs)
                    level = 0 if t and t.group(1) not in (b"", b"n") else _impossible_date(text)
                    if not level:
                        continue
                    r = _R.search(attrs)
                    ref = (r.group(1) or r.group(2)).decode("ascii", "replace") if r else "?"
                    s = _S_VALUE.search(attrs)
                    key = (bool(s and int(s.group(1)) in dates), level)
                    best.setdefault(key, (ref.upper(), text.decode("ascii", "replace")))
        except (Unscannable, *ZIP_ERRORS):
            break
    order = [(True, 2), (True, 1), (False, 2), (False, 1)] if panic else [(True, 1), (True, 2), (False, 1),
                                                                              (False, 2)]
    return next((best[k] for k in order if k in best), None)


def short_reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def int_or_none(text: str | None) -> int | None:
    """An attribute that should be a whole number; ``None`` when it is not (a damaged or
    hand-made styles part writes ``fontId="1.5"``)."""
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            v = float(text)
        except ValueError:
            return None
        return int(v) if v.is_integer() else None
