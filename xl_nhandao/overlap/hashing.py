"""Lists compared without exchanging them in clear (SPEC §5.4, Privacy).

``hash-list`` writes a copy of a programme's list in which each person is a keyed hash
(HMAC-SHA256 with a secret both programmes hold) of their 12-digit CCCD and of their
name key (:func:`~.names.hash_key`: the folded canonical name and the birth year); the
commune code and the gender stay in clear (see ``docs/decisions.md``), every other
column is dropped unless ``--keep`` names it. The name and identity columns can never
be kept. The copy says which secret made it by a *check value* (an HMAC of a fixed
text), so a list hashed with another secret is recognised instead of silently matching
nothing. The secret itself is in no output.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from ..consolidate.rowwriter import Column, Package, Table, format_indices
from ..errors import RunError
from ..vn.values import EXCEL_EPOCH, display
from ..workbook import printing
from ..workbook.output import check_output, mark_xlsxwriter, now, write_atomic
from ..workbook.reader import HEADER_SCAN_ROWS
from ..workbook.source import FileWorkbook, SheetData, WorkbookSource, display_name
from ..workbook.standard import Field, TableSheet, header_key
from . import lists
from .lists import HASHED_INFO_SHEET as INFO_SHEET
from .lists import HASHED_KIND_LABEL as L_KIND
from .lists import HASHED_MARKER as MARKER
from .lists import hashed_info as _info
from .lists import is_hashed
from .model import People
from .names import hash_key, name_keys

COMMAND = "hash-list"
#: The hashing scheme; a later change of keys changes it.
VERSION = "XLND-HASH-1"
MIN_SECRET = 16
MAX_SECRET = 1 << 20
_CHECK_TEXT = b"xl_nhandao salt check"
DATA_SHEET = "DanhSach"
H_ROW, H_CCCD, H_NAME, H_COMMUNE, H_GENDER = (
    "Dòng gốc", "Mã băm CCCD", "Mã băm họ tên + năm sinh", "Mã xã", "Giới tính")
L_VERSION, L_FILE, L_SHEET, L_ROWS, L_EXCLUDED, L_CHECK, L_SCHEME, L_KEPT, L_MADE, L_HOW = (
    "Phiên bản", "Tệp gốc", "Trang gốc", "Số dòng", "Số dòng không băm", "Mã kiểm tra khóa",
    "Hệ mã đơn vị hành chính", "Cột giữ lại", "Ngày lập", "Cách băm")
_HOW = ("HMAC-SHA256 với khóa dùng chung: CCCD 12 số; họ tên bỏ dấu, chữ thường, bỏ chữ đệm Thị/Văn, "
        "Huỳnh→Hoàng, Võ→Vũ, nối với năm sinh bằng dấu |")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: Rows of a hashed list with no hash (edited by hand): not compared.
EXCLUDED_NO_HASH = "no-hash"


# -- the secret ------------------------------------------------------------------------
def read_secret(path: Path) -> bytes:
    """The shared secret: the salt file's bytes, its trailing line break removed. A
    missing, empty or short (< 16 bytes) file is one error line saying how to make one."""
    path = Path(path)
    try:
        if path.is_dir():
            raise RunError("not-a-file", path=str(path))
        size = path.stat().st_size
    except FileNotFoundError:
        raise RunError("salt-missing", path=str(path)) from None
    except OSError as exc:
        raise RunError("corrupt", path=str(path), detail=exc.strerror or type(exc).__name__) from None
    if size > MAX_SECRET:
        raise RunError("salt-too-large", path=str(path), size=size)
    try:
        secret = path.read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise RunError("corrupt", path=str(path), detail=exc.strerror or type(exc).__name__) from None
    if len(secret) < MIN_SECRET:
        raise RunError("salt-too-short", path=str(path), size=len(secret), minimum=MIN_SECRET)
    return secret


def salt_check(secret: bytes) -> str:
    """A short public value that tells secrets apart without revealing them."""
    return hmac.new(secret, _CHECK_TEXT, hashlib.sha256).hexdigest()[:16]


def hash_cccd(secret: bytes, cccd12: str) -> str:
    """The keyed hash of a 12-digit CCCD (hex)."""
    return hmac.digest(secret, cccd12.encode("ascii"), "sha256").hex()


def hash_name(secret: bytes, name: str, year: int | None) -> str | None:
    """The keyed hash of a name and birth year (:func:`~.names.hash_key`); a name with
    no letters has none. Without a birth year the key is the name and an empty year
    (``nguyen lan|``): it matches only the same name with no year."""
    if year is None:
        keys = name_keys(name)
        key = None if keys is None else f"{keys.folded}|"
    else:
        key = hash_key(name, year)
    return None if key is None else hmac.digest(secret, key.encode("utf-8"), "sha256").hex()


# -- hash-list -------------------------------------------------------------------------
def hash_list(path: Path, *, sheet: str | None = None, mapping: dict[str, str] | None = None, secret: bytes,
              output: Path, keep: Sequence[str] = (), force: bool = False, provinces: set[str] | None = None,
              scheme: str = "2025") -> dict[str, object]:
    """Write the hashed copy of the list ``path`` to ``output`` (see the module's
    docstring); returns a summary (the ``hash-list --json`` document): ``output``,
    ``source`` (the list's file name), ``rows`` written, ``excluded`` (rows not hashed:
    no name and no valid CCCD) and the ``columns`` written. Never the secret."""
    path, output = Path(path), Path(output)
    if len(secret) < MIN_SECRET:
        raise RunError("salt-too-short", path="", size=len(secret), minimum=MIN_SECRET)
    check_output(output, [path], force=force, command=COMMAND)
    source = lists.open_list(path)
    if is_hashed(path, source):
        raise RunError("hash-list-already-hashed", path=str(path))
    read = lists.read(path, "", sheet=sheet, mapping=mapping, provinces=provinces, scheme=scheme, keep=keep,
                      keep_identity=False, source=source)
    people = read.people
    n = len(people)
    cccd_hashes = [None if c is None else hash_cccd(secret, c) for c in people.cccd]
    name_hashes = [None if nm is None else hash_name(secret, nm, y) for nm, y in zip(people.name, people.birth_year)]
    fixed = {header_key(h) for h in (H_ROW, H_CCCD, H_NAME, H_COMMUNE, H_GENDER)}
    kept: list[str] = []
    titles: list[str] = []
    for header in dict.fromkeys(read.kept.values()):
        kept.append(header)
        titles.append(f"{header} (gốc)" if header_key(header) in fixed else header)
    check = salt_check(secret)
    when = now()
    columns = [H_ROW, H_CCCD, H_NAME, H_COMMUNE, H_GENDER, *titles]
    info = [
        (L_KIND, MARKER),
        (L_VERSION, VERSION),
        (L_FILE, people.files[0]),
        (L_SHEET, read.sheet),
        (L_ROWS, n),
        (L_EXCLUDED, len(people.excluded)),
        (L_CHECK, check),
        (L_SCHEME, scheme),
        (L_KEPT, ", ".join(titles)),
        (L_MADE, when.date()),
        (L_HOW, _HOW),
    ]

    amounts = {read.headers.get(c) for k, c in read.columns.items() if k == "gia_tri"}
    extra = [_kept_column(people.extra[h], h in amounts) for h in kept]
    hash_width = printing.width_for(printing.text_em("f" * 32 + "0" * 32) * printing.FONT_SIZE)
    table = Table(DATA_SHEET, [
        Column(H_ROW, 9, "number", number=True), Column(H_CCCD, hash_width), Column(H_NAME, hash_width),
        Column(H_COMMUNE, 8), Column(H_GENDER, 9),
        *[Column(t, max(12.0, min(30.0, printing.width_for(printing.text_em(t, bold=True) * printing.FONT_SIZE))),
                 style, number) for t, (style, number, _) in zip(titles, extra)]],
        zip(people.row, cccd_hashes, name_hashes, people.commune, people.gender, *(v for _, _, v in extra)), n)

    def write(tmp: Path) -> None:
        import xlsxwriter

        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "Danh sách đã băm", "author": "xl-nhandao", "created": when})
        mark_xlsxwriter(wb, COMMAND, when)
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
        head = wb.add_format({**base, "bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
        formats = {"text": wb.add_format({**base, "num_format": "@"}), "number": wb.add_format({**base, "num_format": "0"}),
                   "amount": wb.add_format({**base, "num_format": "#,##0"}),
                   "date": wb.add_format({**base, "num_format": "dd/mm/yyyy"})}
        ws = wb.add_worksheet(DATA_SHEET)
        ws.freeze_panes(1, 0)
        for c, col in enumerate(table.columns):
            ws.set_column(c, c, col.width)
            ws.write_string(0, c, col.header, head)
        ws.autofilter(0, 0, max(n, 1), len(table.columns) - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ti = wb.add_worksheet(INFO_SHEET)
        value = wb.add_format({**base, "text_wrap": True, "align": "left", "border": 1})
        day = wb.add_format({**base, "align": "left", "border": 1, "num_format": "dd/mm/yyyy"})
        ti.set_column(0, 0, 26)
        ti.set_column(1, 1, 70)
        ti.set_paper(9)
        ti.fit_to_pages(1, 0)
        for r, (label, v) in enumerate(info):
            ti.write_string(r, 0, label, head)
            if isinstance(v, date):
                ti.write_datetime(r, 1, datetime(v.year, v.month, v.day), day)
            elif isinstance(v, int):
                ti.write_number(r, 1, v, value)
            else:
                ti.write_string(r, 1, str(v), value)
                n_lines = printing.lines(str(v), 70)
                if n_lines > 1:
                    ti.set_row(r, printing.height_pt(n_lines))
        xf = format_indices(formats)
        wb.close()
        Package(buffer.getvalue(), {ws.index: table}, xf).write(tmp)

    write_atomic(output, write)
    return {"output": str(output), "source": people.files[0], "rows": n, "excluded": len(people.excluded),
            "columns": columns}


def _kept_column(values: list[object], amount: bool) -> tuple[str, bool, list[object]]:
    """A kept column as written: its style, whether its cells are numbers, its values.
    Whole numbers stay numbers (``amount``: with a thousands separator), dates become
    dates; a column of anything else is text, each cell as shown."""
    filled = [v for v in values if v is not None and v != ""]
    if filled and all(type(v) in (date, datetime) for v in filled):
        return "date", True, [None if v is None or v == "" else _serial(v) for v in values]  # type: ignore[arg-type]
    if filled and all(type(v) is int for v in filled):
        return ("amount" if amount else "number"), True, values
    return "text", False, [None if v is None or v == "" else v if isinstance(v, str) else display(v) for v in values]


def _serial(d: date | datetime) -> float:
    if isinstance(d, datetime):
        return (d - datetime(1899, 12, 30)).total_seconds() / 86400
    return float((d - EXCEL_EPOCH).days)


# -- reading a hashed list -------------------------------------------------------------
_HASHED_FIELDS: tuple[Field, ...] = (
    Field("dong_goc", H_ROW, "ignored"),
    Field("cccd_hash", H_CCCD, "text"),
    Field("name_hash", H_NAME, "text"),
    Field("ma_xa", H_COMMUNE, "text"),
    Field("gioi_tinh", H_GENDER, "code", codelist="gioi_tinh"),
)


def read_hashed(path: Path, programme: str, *, sheet: str | None = None,
                source: WorkbookSource | None = None) -> People:
    """A hashed list as :class:`People` (kind ``"hashed"``): ``cccd_hash``,
    ``name_hash``, ``commune``, ``gender``, ``row`` the row in the hashed file,
    ``salt_check`` the file's check value; the kept columns (and ``Dòng gốc``, the row
    in the original list) in ``extra``, and those that are a list's known columns
    (``Ngày nhận``, ``Số tiền``, ``Thôn``…) in their own column too. ``source``: the
    file already opened (:func:`~xl_nhandao.overlap.lists.open_list`)."""
    path = Path(path)
    if source is None:
        source = FileWorkbook(path, legacy_formats=True)
    names = source.sheet_names()
    if INFO_SHEET not in names:
        raise RunError("hashed-damaged", path=str(path), what=f"trang {INFO_SHEET}", what_en=f"the {INFO_SHEET} sheet")
    info = _info(source.read(INFO_SHEET))
    check = info.get(L_CHECK)
    if not isinstance(check, str) or not check.strip():
        raise RunError("hashed-damaged", path=str(path), what=f"“{L_CHECK}”", what_en="its key check value")
    name = sheet or DATA_SHEET
    if name not in names:
        if sheet is not None:
            raise RunError("list-sheet-unknown", path=str(path), sheet=sheet, sheets=lists._quoted(names))
        raise RunError("hashed-damaged", path=str(path), what=f"trang {DATA_SHEET}", what_en=f"the {DATA_SHEET} sheet")
    reader = lists._ListReader(source)
    data = reader.sheet(name)
    located = _locate_hashed(data)
    if located is None:
        raise RunError("hashed-damaged", path=str(path), what=f"cột “{H_CCCD}”", what_en=f"the “{H_CCCD}” column")
    h, columns, headers = located
    fields = _HASHED_FIELDS + tuple(f for f in lists.FIELDS if f.key not in lists.IDENTITY_KEYS
                                    and f.key in columns and f.key not in ("ma_xa", "gioi_tinh", "stt"))
    reader.located[name] = (h, columns)
    table = reader.read_table(TableSheet("DanhSachBam", "", fields, key_field="cccd_hash"), name)
    rows = [rec.row for rec in table.records]
    n = len(rows)

    def col(key: str) -> list[object]:
        return list(table.column(key)) if key in columns else [None] * n

    def hex64(v: object) -> str | None:
        s = str(v).strip().lower()
        return s if _HEX64.match(s) else None

    cccd_hash = lists._mapped(col("cccd_hash"), hex64)
    name_hash = lists._mapped(col("name_hash"), hex64)
    communes = lists._mapped(col("ma_xa"), lambda v: _code5(v))
    people = People(programme, kind="hashed", files=[display_name(path.name)], salt_check=check.strip())
    keep = [i for i in range(n) if cccd_hash[i] is not None or name_hash[i] is not None]
    people.excluded = [(0, name, rows[i], EXCLUDED_NO_HASH) for i in range(n)
                       if cccd_hash[i] is None and name_hash[i] is None]

    def pick(values: Sequence[object]) -> list[object]:
        return [values[i] for i in keep]

    m = len(keep)
    people.file, people.sheet, people.row = [0] * m, [name] * m, pick(rows)  # type: ignore[assignment]
    people.cccd_hash, people.name_hash = pick(cccd_hash), pick(name_hash)  # type: ignore[assignment]
    people.commune, people.gender = pick(communes), pick(col("gioi_tinh"))  # type: ignore[assignment]
    people.birth_year = pick(col("nam_sinh"))  # type: ignore[assignment]
    people.thon = pick(lists._mapped(col("thon"), lists._clean))  # type: ignore[assignment]
    people.address = pick(lists._mapped(col("dia_chi"), lists._clean))  # type: ignore[assignment]
    people.household = pick(lists._mapped(col("ma_ho"), lists._clean))  # type: ignore[assignment]
    people.date, people.value = pick(col("ngay")), pick(col("gia_tri"))  # type: ignore[assignment]
    people.voucher = pick(lists._mapped(col("so_chung_tu"), lists._clean))  # type: ignore[assignment]
    for key in ("name", "cccd", "id_text", "unit", "code", "key"):
        setattr(people, key, [None] * m)
    fixed = {columns[k] for k in ("cccd_hash", "name_hash", "ma_xa", "gioi_tinh") if k in columns}
    kept_rows = pick(rows)
    for c, header in sorted(headers.items()):
        if c not in fixed:
            people.extra[header] = lists._cells(data, c, kept_rows)  # type: ignore[arg-type]
    return people


def _code5(value: object) -> str | None:
    from ..vn.values import parse_code_digits

    return parse_code_digits(value, 5)


def _locate_hashed(data: SheetData) -> tuple[int, dict[str, int], dict[int, str]] | None:
    """The header row of a hashed list's sheet (the row with ``Mã băm CCCD``): its
    columns by field key, and each column's header."""
    ours = {header_key(f.header): f.key for f in _HASHED_FIELDS}
    theirs = lists._lookup({})
    for r, row in enumerate(data.rows[:HEADER_SCAN_ROWS]):
        cells = {c: " ".join(v.split()) for c, v in enumerate(row) if isinstance(v, str) and v.strip()}
        if header_key(H_CCCD) not in {header_key(v) for v in cells.values()}:
            continue
        columns: dict[str, int] = {}
        for c, text in cells.items():
            key = ours.get(header_key(text))
            if key is None:
                f = lists._cell_field(theirs, text)
                key = f.key if f is not None and f.key not in lists.IDENTITY_KEYS else None
            if key is not None and key not in columns:
                columns[key] = c
        return r, columns, cells
    return None


__all__ = ["COMMAND", "MARKER", "hash_cccd", "hash_list", "hash_name", "is_hashed", "read_hashed",
           "read_secret", "salt_check"]
