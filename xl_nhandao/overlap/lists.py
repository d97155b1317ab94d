"""Other programmes' beneficiary lists (SPEC §5.4), read into :class:`~.model.People`.

A poverty list, a Tết Nhân ái recipients list… as ``.xlsx``, ``.xls``, ``.ods`` or
``.csv``, read by the register reader (:class:`~xl_nhandao.workbook.reader.Reader`) so a
title block above the header, header spelling variants, merged cells, blank rows,
section rows, a trailing total row, hidden rows and legacy TCVN3/VNI text behave as in
registers. Columns are found by header and alias (:data:`FIELDS`), or named with
``--map`` (:func:`parse_mapping`); mapped headers win over aliases.

Each data row is one person compared: a list with one row per household member (a
household column) is matched member by member, the members' blank place cells taking
their household's values. Every value a cell cannot give is None (an invalid CCCD is no
CCCD, its text is kept in ``id_text``); rows with neither a name nor a valid CCCD are not
compared and are listed in ``People.excluded``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..consolidate.speed import no_cyclic_gc
from ..errors import RunError
from ..vn import adminunits
from ..vn.text import fix_text, strip_diacritics
from ..vn.values import parse_cccd, parse_code_digits
from ..workbook import standard
from ..workbook.csvsource import CsvWorkbook
from ..workbook.guard import OLE_MAGIC, check_regular
from ..workbook.reader import HEADER_SCAN_ROWS, Reader, TableRead, _is_total_label
from ..workbook.source import FileWorkbook, SheetData, WorkbookSource
from ..workbook.standard import Field, TableSheet, header_key, sheet_key
from .model import People

F = Field
TEXT, YEAR, CODE, DATE, MONEY, IGNORED = (standard.TEXT, standard.YEAR, standard.CODE, standard.DATE,
                                           standard.MONEY, standard.IGNORED)
#: The columns of a list, with the headers programmes give them. ``ho_ten`` is the
#: person's full name; ``chu_ho`` the head of household's (the person compared when the
#: list has no other name); ``ho_dem`` + ``ten`` a name split in two columns (``ten``
#: alone is a full name).
FIELDS: tuple[Field, ...] = (
    F("stt", "STT", IGNORED, aliases=("TT", "Số TT", "Số thứ tự")),
    F("ho_ten", "Họ và tên", TEXT, aliases=(
        "Họ tên", "Họ và tên người nhận", "Họ tên người nhận", "Tên người nhận", "Người nhận",
        "Họ và tên người được hỗ trợ", "Họ và tên người được trợ giúp", "Họ tên người được hỗ trợ",
        "Họ và tên đối tượng", "Họ tên đối tượng", "Tên đối tượng", "Họ và tên thành viên",
        "Họ tên thành viên", "Tên thành viên", "Họ và tên thành viên hộ", "Họ và tên người hưởng",
        "Người hưởng", "Họ và tên người thụ hưởng", "Người thụ hưởng")),
    F("chu_ho", "Họ và tên chủ hộ", TEXT, aliases=("Họ tên chủ hộ", "Tên chủ hộ", "Chủ hộ")),
    F("ho_dem", "Họ và tên đệm", TEXT, aliases=("Họ và chữ đệm", "Họ đệm", "Họ và đệm", "Họ")),
    F("ten", "Tên", TEXT),
    F("cccd", "Số CCCD", TEXT, aliases=(
        "CCCD", "CMND/CCCD", "CCCD/CMND", "Số CMND/CCCD", "Số CCCD/CMND", "Số căn cước", "Căn cước",
        "Số căn cước công dân", "Căn cước công dân", "Số định danh cá nhân", "Số định danh", "Mã định danh",
        "Mã định danh cá nhân", "Số ĐDCN", "ĐDCN", "Số CMND", "CMND", "Số CMT", "CMT", "Số CMND/CCCD/ĐDCN",
        "Số CCCD/ĐDCN", "Số giấy tờ tùy thân")),
    F("nam_sinh", "Năm sinh", YEAR, aliases=(
        "Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Ngày/tháng/năm sinh", "NS",
        "Năm sinh (ngày sinh)", "Sinh năm")),
    F("gioi_tinh", "Giới tính", CODE, codelist="gioi_tinh", aliases=("Nam/Nữ", "Giới", "Phái")),
    F("ma_xa", "Mã xã", TEXT, aliases=("Mã xã/phường", "Mã phường/xã", "Mã ĐVHC", "Mã đơn vị hành chính",
                                      "Mã ĐVHC xã")),
    F("xa", "Xã/Phường", TEXT, aliases=("Xã", "Phường", "Phường/Xã", "Tên xã", "Xã/Phường/Thị trấn",
                                        "Xã, phường", "Xã, phường, thị trấn", "Xã/Phường/Đặc khu")),
    F("thon", "Thôn/Tổ dân phố", TEXT, aliases=(
        "Thôn", "Ấp", "Bản", "Tổ", "Xóm", "Khóm", "Buôn", "Làng", "Tổ dân phố", "Khu phố", "Thôn/Tổ",
        "Thôn/Ấp", "Thôn/Bản", "Thôn/Xóm", "Thôn, tổ dân phố", "Thôn/Buôn", "Thôn/Làng", "Tổ/Thôn",
        "Ấp/Khu phố", "Thôn, xóm")),
    F("dia_chi", "Địa chỉ", TEXT, aliases=(
        "Nơi ở", "Nơi ở hiện nay", "Chỗ ở hiện nay", "Nơi cư trú", "Địa chỉ thường trú", "Thường trú",
        "Nơi thường trú", "Hộ khẩu thường trú", "Địa chỉ cư trú", "Địa chỉ liên hệ", "Nơi ở hiện tại")),
    F("ma_ho", "Mã hộ", TEXT, aliases=(
        "Mã số hộ", "Số hộ", "Mã hộ gia đình", "Mã HGĐ", "Mã hộ nghèo", "Mã hộ cận nghèo", "STT hộ", "TT hộ",
        "Số thứ tự hộ", "Hộ số")),
    F("ngay", "Ngày nhận", DATE, aliases=(
        "Ngày trợ giúp", "Ngày hỗ trợ", "Ngày nhận quà", "Ngày nhận hỗ trợ", "Ngày cấp", "Ngày chi",
        "Ngày trao", "Ngày trao quà", "Thời gian nhận")),
    F("gia_tri", "Số tiền", MONEY, aliases=(
        "Giá trị", "Thành tiền", "Số tiền (đồng)", "Giá trị (đồng)", "Số tiền hỗ trợ", "Mức hỗ trợ",
        "Giá trị quà", "Trị giá", "Giá trị hỗ trợ", "Số tiền nhận")),
    F("so_chung_tu", "Số chứng từ", TEXT, aliases=(
        "Chứng từ", "Số phiếu", "Số phiếu chi", "Mã phiếu", "Số biên nhận", "Số biên lai")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
#: The fields ``--map`` names (``ho_ten=Tên chủ hộ,cccd=Số ĐDCN``).
MAP_KEYS = ("ho_ten", "cccd", "nam_sinh", "gioi_tinh", "ma_xa", "xa", "thon", "dia_chi", "ma_ho", "ngay",
            "gia_tri", "so_chung_tu")
#: Columns that say who the person is: written only as hashes by ``hash-list``.
IDENTITY_KEYS = frozenset({"ho_ten", "chu_ho", "ho_dem", "ten", "cccd"})
#: The name columns, by preference: a member's own name, the head's, a split name.
_NAME_KEYS = ("ho_ten", "chu_ho", "ten")
#: Suffixes read as csv (unless the bytes say it is a workbook).
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
#: Why a row is not compared (``People.excluded``).
EXCLUDED_NO_PERSON = "no-name-no-cccd"
_PAREN = re.compile(r"\([^)]*\)")
_SHEET = "DanhSach"


def parse_mapping(text: str) -> dict[str, str]:
    """``"ho_ten=Tên chủ hộ,cccd=Số ĐDCN"`` → ``{"ho_ten": "Tên chủ hộ", "cccd": "Số ĐDCN"}``.
    Keys are those of :data:`MAP_KEYS` (case and spaces ignored); an unknown key or a
    part without ``=`` is one :class:`~xl_nhandao.errors.UsageError`."""
    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        key, eq, header = part.partition("=")
        key = key.strip().lower()
        header = " ".join(header.split())
        if not eq or not key or not header:
            raise RunError("map-invalid", value=text)
        out[key] = header
    if not out:
        raise RunError("map-invalid", value=text)
    check_mapping(out)
    return out


def check_mapping(mapping: dict[str, str]) -> None:
    for key in mapping:
        if key not in MAP_KEYS:
            raise RunError("map-key-unknown", key=key, keys=", ".join(MAP_KEYS))


def read_list(path: Path, programme: str, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
              provinces: set[str] | None = None, scheme: str = "2025", keep: Sequence[str] = (),
              source: WorkbookSource | None = None) -> People:
    """One programme's list as :class:`People` (kind ``"list"``): one entry per data row
    compared, ``row`` the row number Excel shows (a csv: the line the record starts on).

    ``sheet``: the sheet to read (else the first with a name column). ``mapping``: field
    key → header text (:func:`parse_mapping`). ``provinces``: the campaign's province
    codes, to which a commune given by name is resolved (names repeat across provinces).
    ``scheme``: the code scheme of the list's ``Mã xã``. ``keep``: other columns, by
    header (or field key), kept as they are in ``People.extra``. ``source``: the file
    already opened by :func:`open_list` (else it is opened here)."""
    return read(path, programme, sheet=sheet, mapping=mapping, provinces=provinces, scheme=scheme,
                keep=keep, source=source).people


@dataclass
class ListRead:
    """A list as read: the people, and where their columns are in the file."""

    people: People
    sheet: str
    header_row: int  # as Excel shows it
    #: field key → 0-based column, and each column's header text as shown
    columns: dict[str, int] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)
    #: the ``keep`` columns: what was asked → header in ``people.extra``
    kept: dict[str, str] = field(default_factory=dict)


def read(path: Path, programme: str, *, sheet: str | None = None, mapping: dict[str, str] | None = None,
         provinces: set[str] | None = None, scheme: str = "2025", keep: Sequence[str] = (),
         keep_identity: bool = True, source: WorkbookSource | None = None) -> ListRead:
    """:func:`read_list`, with where each column was found (``hash-list`` needs them);
    ``keep_identity=False`` refuses to keep the name and identity-number columns."""
    path = Path(path)
    mapping = {k.strip().lower(): v for k, v in (mapping or {}).items()}
    check_mapping(mapping)
    if scheme not in adminunits.SCHEMES:
        raise RunError("bad-argument", detail=f"hệ mã “{scheme}” không có; dùng 2025 hoặc 2004",
                       detail_en=f"there is no code scheme “{scheme}”; use 2025 or 2004")
    if source is None:
        source = open_list(path)
    with no_cyclic_gc():
        reader = _ListReader(source)
        name, located = _choose_sheet(reader, source, path, sheet, mapping)
        h, columns, headers = located
        wanted = _keep_columns(keep, columns, headers, path, name, keep_identity)
        if isinstance(source, CsvWorkbook):
            source.only({*columns.values(), *wanted.values()})
        spec = _spec(columns, mapping)
        reader.located[name] = (h, columns)
        table = reader.read_table(spec, name)
        people = _people(table, path, programme, columns, provinces, scheme)
        lines = getattr(source, "lines", None)
        rows = people.row
        if lines is not None:  # csv with line breaks inside cells: rows are the records' lines
            people.row = [lines[r - 1] for r in people.row]
            people.excluded = [(f, s, lines[r - 1], why) for f, s, r, why in people.excluded]
        kept = _keep(reader.sheet(name), wanted, rows, columns, headers, people)
    return ListRead(people, name, h + 1, columns, headers, kept)


def open_list(path: Path) -> WorkbookSource:
    """The source of a list file: a csv by its suffix (unless its bytes are a
    workbook's), else a workbook (``.xlsx``, ``.xls``, ``.ods``)."""
    check_regular(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        try:
            with path.open("rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise RunError("corrupt", path=str(path), detail=exc.strerror or type(exc).__name__) from None
        if not head.startswith((b"PK", OLE_MAGIC)):
            return CsvWorkbook(path)
    return FileWorkbook(path, legacy_formats=True)


# -- hashed lists -----------------------------------------------------------------------
#: What a hashed list's (:mod:`.hashing`) ThongTin says it is: label, value.
HASHED_INFO_SHEET = "ThongTin"
HASHED_KIND_LABEL = "Loại tệp"
HASHED_MARKER = "Danh sách đã băm bằng xl_nhandao hash-list"


def is_hashed(path: Path, source: WorkbookSource | None = None) -> bool:
    """Whether ``path`` is a ``hash-list`` output (its ThongTin says so). A file that
    cannot be read is not: reading it as a list says why. ``source``: the file already
    opened by :func:`open_list`."""
    path = Path(path)
    try:
        if source is None:
            source = open_list(path)
        if isinstance(source, CsvWorkbook) or HASHED_INFO_SHEET not in source.sheet_names():
            return False
        return hashed_info(source.read(HASHED_INFO_SHEET)).get(HASHED_KIND_LABEL) == HASHED_MARKER
    except RunError:
        return False


def hashed_info(data: SheetData) -> dict[str, object]:
    """A hashed list's ThongTin: label (column A) → value (column B)."""
    out: dict[str, object] = {}
    for row in data.rows[:100]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip():
            out.setdefault(" ".join(row[0].split()), row[1])
    return out


# -- finding the table -----------------------------------------------------------------
class _ListReader(Reader):
    """The register reader, with the header row and columns found beforehand (a list's
    header is found by :func:`_locate`, with ``--map`` and split names)."""

    def __init__(self, source: WorkbookSource) -> None:
        super().__init__(source)
        self.located: dict[str, tuple[int, dict[str, int]]] = {}

    def _find_header(self, spec: TableSheet, rows: list[list[object]], sheet_name: str
                     ) -> tuple[int, dict[str, int]] | None:
        return self.located.get(sheet_name)


Located = tuple[int, dict[str, int], dict[int, str]]


def _choose_sheet(reader: Reader, source: WorkbookSource, path: Path, sheet: str | None,
                  mapping: dict[str, str]) -> tuple[str, Located]:
    names = source.sheet_names()
    if sheet is not None:
        chosen = sheet if sheet in names else next((n for n in names if sheet_key(n) == sheet_key(sheet)), None)
        if chosen is None:
            raise RunError("list-sheet-unknown", path=str(path), sheet=sheet, sheets=_quoted(names))
        names = [chosen]
    lookup = _lookup(mapping)
    missing: list[tuple[str, str]] = []
    for name in names:
        # a csv is read whole only once its columns are known (see CsvWorkbook.only)
        data = source.head(HEADER_SCAN_ROWS + 2) if isinstance(source, CsvWorkbook) else reader.sheet(name)
        located, absent = _locate(data, lookup, mapping)
        if located is not None:
            return name, located
        missing.extend(absent)
    if missing:
        key, header = missing[0]
        raise RunError("map-header-missing", key=key, header=header, path=str(path), sheets=_quoted(names))
    if is_hashed(path, source):
        raise RunError("hashed-needs-secret", path=str(path))
    raise RunError("list-no-name-column", path=str(path), sheets=_quoted(names))


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{n}”" for n in names)


def _lookup(mapping: dict[str, str]) -> dict[str, Field]:
    """Header key → field: the mapped headers first, then the aliases."""
    out: dict[str, Field] = {}
    for key, header in mapping.items():
        out[header_key(header)] = FIELD_BY_KEY[key]
    taken = {FIELD_BY_KEY[k] for k in mapping}
    for f in FIELDS:
        if f in taken:
            continue
        if "ho_ten" in mapping and f.key in ("chu_ho", "ho_dem", "ten"):
            continue  # the name is the mapped column
        for k in f.header_keys:
            out.setdefault(k, f)
    return out


def _cell_field(lookup: dict[str, Field], text: str) -> Field | None:
    f = lookup.get(header_key(text))
    if f is None and "(" in text:
        f = lookup.get(header_key(_PAREN.sub("", text)))
    return f


def _locate(data: SheetData, lookup: dict[str, Field], mapping: dict[str, str]
            ) -> tuple[Located | None, list[tuple[str, str]]]:
    """The header row of a list in its first rows: the row with the most recognised
    headers that has a name column (and every mapped header); its columns by field key
    and each column's header text. Else None, and the mapped headers missing from the
    best row."""
    best: Located | None = None
    best_hits = 0
    partial: list[tuple[str, str]] = list(mapping.items())
    for r, row in enumerate(data.rows[:HEADER_SCAN_ROWS]):
        columns, headers = _header_cells(data, r, lookup)
        if mapping:
            absent = [(k, h) for k, h in mapping.items() if k not in columns]
            if absent:
                if len(absent) < len(partial):
                    partial = absent
                continue
        has_name = any(k in columns for k in _NAME_KEYS) or "cccd" in mapping
        hits = len(columns) - ("stt" in columns)
        if not has_name or (hits < 2 and not mapping and not _only_names(row, columns)):
            continue
        if hits > best_hits:
            best, best_hits = (r, columns, headers), hits
    if best is not None:
        return _sub_header(data, best, lookup), []
    return None, partial


def _header_cells(data: SheetData, r: int, lookup: dict[str, Field]) -> tuple[dict[str, int], dict[int, str]]:
    """Row ``r`` read as a header row: the recognised columns by field key, and the
    text of each filled cell."""
    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    for c, v in enumerate(data.rows[r]):
        if v.__class__ is not str or not v.strip() or len(v) >= 120:  # type: ignore[union-attr]
            continue
        text = " ".join(fix_text(v, data.legacy.get((r, c)))[0].split())  # type: ignore[arg-type]
        headers[c] = text
        f = _cell_field(lookup, text)
        if f is not None and f.key not in columns:
            columns[f.key] = c
    return columns, headers


def _sub_header(data: SheetData, located: Located, lookup: dict[str, Field]) -> Located:
    """A header of two rows: under a merged ``Năm sinh``, ``Nam`` | ``Nữ`` (the year is
    written in the column of the person's gender), or under a merged ``Địa chỉ``,
    ``Thôn`` | ``Xã``… The row below the header is a second header row when the name
    cell is blank there and it names columns; the data starts below it."""
    r, columns, headers = located
    if r + 1 >= len(data.rows):
        return located
    below, texts = _header_cells(data, r + 1, lookup)
    name_col = next((columns[k] for k in _NAME_KEYS if k in columns), None)
    row = data.rows[r + 1]
    if name_col is not None and name_col < len(row) and str(row[name_col]).strip():
        return located
    columns, headers = dict(columns), dict(headers)
    year = columns.get("nam_sinh")
    split_year = year is not None and [_folded(texts.get(year)), _folded(texts.get(year + 1))] == ["nam", "nu"]
    # a sub-header names its column (a merged parent's key gives way), unless its field is taken
    new = {k: c for k, c in below.items() if k not in columns or columns[k] == c}
    if not split_year and not new:
        return located
    parents = {c: k for k, c in columns.items()}
    for c in new.values():
        if c in parents and parents[c] not in new:
            del columns[parents[c]]
    if split_year:
        columns["nam_sinh_nu"] = year + 1  # type: ignore[operator]
        headers[year + 1] = f"{headers.get(year, 'Năm sinh')} ({texts[year + 1]})"  # type: ignore[index, operator]
        headers[year] = f"{headers.get(year, 'Năm sinh')} ({texts[year]})"  # type: ignore[index]
    for k, c in new.items():
        columns[k] = c
        headers[c] = texts[c]
    return r + 1, columns, headers


def _folded(text: str | None) -> str | None:
    return None if text is None else strip_diacritics(text).strip().lower()


def _only_names(row: list[object], columns: dict[str, int]) -> bool:
    """A list of names alone: its header row has a single filled cell, the name's."""
    filled = [v for v in row if v.__class__ is not str or v.strip()]  # type: ignore[union-attr]
    return len(filled) == 1 and any(k in columns for k in _NAME_KEYS)


def _name_key(columns: dict[str, int], mapping: dict[str, str]) -> str:
    if "ho_ten" in mapping:
        return "ho_ten"
    for key in _NAME_KEYS:
        if key in columns:
            return key
    return "cccd"  # a mapped list of identity numbers alone


def _spec(columns: dict[str, int], mapping: dict[str, str]) -> TableSheet:
    """The table spec of this list: its name column is the required one (a row without
    it may be a total row)."""
    key = _name_key(columns, mapping)
    fields = tuple(replace(f, required=True) if f.key == key else f for f in FIELDS)
    if "nam_sinh_nu" in columns:
        fields += (_WOMEN_YEAR,)
    return TableSheet(_SHEET, "", fields, key_field=key)


#: The birth years of women when ``Năm sinh`` is split in ``Nam`` | ``Nữ`` columns.
_WOMEN_YEAR = Field("nam_sinh_nu", "Năm sinh (Nữ)", YEAR)


# -- the rows --------------------------------------------------------------------------
def _people(table: TableRead, path: Path, programme: str, columns: dict[str, int],
            provinces: set[str] | None, scheme: str) -> People:
    rows = [rec.row for rec in table.records]
    n = len(rows)

    def col(key: str) -> list[object]:
        return list(table.column(key)) if key in columns else [None] * n

    name_key = table.spec.key_field
    if name_key == "ten" and "ho_dem" in columns:
        names = [_join(a, b) for a, b in zip(col("ho_dem"), col("ten"))]
    elif name_key == "cccd":
        names = [None] * n
    else:
        names = col(name_key)
    names = _mapped(names, _clean_name)
    id_text = col("cccd")  # the text parser gives it stripped, a number as its digits
    cccd_provinces = adminunits.cccd_province_codes()

    def cccd_of(text: str) -> str | None:
        if len(text) == 12 and text.isdigit() and text.isascii() and text[:3] in cccd_provinces:
            return text
        value, code = parse_cccd(text, cccd_provinces)
        return value if code is None or code == "cccd-padded" else None  # type: ignore[return-value]

    cccd = _mapped(id_text, cccd_of)
    years = col("nam_sinh")
    genders = col("gioi_tinh")
    if "nam_sinh_nu" in columns:  # Năm sinh split by gender: the column written says which
        women = col("nam_sinh_nu")
        if "gioi_tinh" not in columns:
            genders = ["Nam" if m is not None else "Nữ" if w is not None else None for m, w in zip(years, women)]
        years = [m if m is not None else w for m, w in zip(years, women)]
    household = _mapped(col("ma_ho"), _clean)
    places = {key: _mapped(col(key), _clean) for key in ("ma_xa", "xa", "thon", "dia_chi")}
    if "ma_ho" in columns:
        _fill_households(household, [places[k] for k in places if k in columns])
    communes = _Communes(scheme, provinces).column(places["ma_xa"], places["xa"], places["dia_chi"])
    dates, values, vouchers = col("ngay"), col("gia_tri"), _mapped(col("so_chung_tu"), _clean)

    label = table.sheet or ""
    people = People(programme, kind="list", files=[_display(path)])
    keep: list[int] = []
    for i in range(n):
        name = names[i]
        if name is not None and _is_total_label(name) and id_text[i] is None and years[i] is None \
                and genders[i] is None and household[i] is None:
            continue  # a "Tổng cộng" row whose label sits in the name column: not a row of data
        if name is None and cccd[i] is None:
            people.excluded.append((0, label, rows[i], EXCLUDED_NO_PERSON))
            continue
        keep.append(i)

    def pick(values: Sequence[object]) -> list[object]:
        return [values[i] for i in keep] if len(keep) != n else list(values)

    m = len(keep)
    people.file = [0] * m
    people.sheet = [label] * m
    people.row = pick(rows)  # type: ignore[assignment]
    people.name = pick(names)  # type: ignore[assignment]
    people.cccd = pick(cccd)  # type: ignore[assignment]
    people.id_text = pick(id_text)  # type: ignore[assignment]
    people.birth_year = pick(years)  # type: ignore[assignment]
    people.gender = pick(genders)  # type: ignore[assignment]
    people.commune = pick(communes)  # type: ignore[assignment]
    people.thon = pick(places["thon"])  # type: ignore[assignment]
    people.address = pick(places["dia_chi"])  # type: ignore[assignment]
    people.household = pick(household)  # type: ignore[assignment]
    people.date = pick(dates)  # type: ignore[assignment]
    people.value = pick(values)  # type: ignore[assignment]
    people.voucher = pick(vouchers)  # type: ignore[assignment]
    nothing = [None] * m
    for key in ("cccd_hash", "name_hash", "unit", "code", "key"):
        setattr(people, key, list(nothing))
    return people


def _display(path: Path) -> str:
    from ..workbook.source import display_name

    return display_name(path.name)


def _mapped(values: Sequence[object], fn: Callable[[str], object]) -> list[object]:
    """``fn`` of each non-None value (once per distinct value), None for None."""
    distinct = {v: fn(v) for v in set(values) if v is not None}  # type: ignore[arg-type]
    get = distinct.get
    return [get(v) for v in values]  # type: ignore[arg-type]


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split())
    return text or None


def _clean_name(value: object) -> str | None:
    text = " ".join(str(value).split())
    return text if any(ch.isalpha() for ch in text) else None


def _join(a: object, b: object) -> str | None:
    parts = [str(v) for v in (a, b) if v is not None and str(v).strip()]
    return " ".join(parts) or None


def _fill_households(household: list[object], places: list[list[object]]) -> None:
    """A household list's member rows leave the household's cells blank below its first
    row: a row with no household and no place cell at all belongs to the household
    above; then each member's blank place cells take its household's values."""
    if not places:
        return
    previous = None
    for i, h in enumerate(household):
        if h is None:
            if previous is not None and all(p[i] is None for p in places):
                household[i] = previous
            else:
                previous = None
        else:
            previous = h
    for p in places:
        first: dict[object, object] = {}
        for h, v in zip(household, p):
            if h is not None and v is not None and h not in first:
                first[h] = v
        if first:
            for i, h in enumerate(household):
                if p[i] is None and h is not None:
                    p[i] = first.get(h)


# -- communes --------------------------------------------------------------------------
#: A commune named inside an address: its type word then its name, up to the next
#: separator or a larger unit (folded text: no diacritics, lower case).
_IN_ADDRESS = re.compile(
    r"(?:^|(?<=[\s,;(/-]))(?<!thi )(?:(?:xa|phuong|thi tran|dac khu|tt)\s+|(?:tt|p|x|f)\.\s*)"
    r"(?P<name>[^,;()/\n-]+?)"
    r"\s*(?=$|[,;()/\n-]|\b(?:huyen|quan|thi xa|thanh pho|tp|tinh|h\.|q\.|tx)\b)")
_NUMBERED = re.compile(r"(?:^|(?<=[\s,;(/-]))(?:p|f|phuong)\s*(?P<name>\d{1,2})\b")


class _Communes:
    """A row's commune as a 5-digit code: from a code column, else from a commune
    name (resolved in the campaign's provinces when given; ambiguous → None), else
    from a commune named with its type word (``xã``, ``phường``, ``P.``…) inside the
    address — a bare name there may be a district's or a village's."""

    def __init__(self, scheme: str, provinces: set[str] | None) -> None:
        self.scheme = scheme
        self.provinces = frozenset(provinces) if provinces else None
        self._names: dict[str, str | None] = {}

    def column(self, codes: list[object], names: list[object], addresses: list[object]) -> list[str | None]:
        by_code = _mapped(codes, self.from_code)
        by_name = _mapped(names, self.from_name)
        out: list[str | None] = []
        pending = []
        for i, (a, b) in enumerate(zip(by_code, by_name)):
            v = a if a is not None else b
            out.append(v)  # type: ignore[arg-type]
            if v is None and addresses[i] is not None:
                pending.append(i)
        if pending:
            found = _mapped([addresses[i] for i in pending], self.from_address)
            for i, v in zip(pending, found):
                out[i] = v  # type: ignore[assignment]
        return out

    def from_code(self, text: str) -> str | None:
        code = parse_code_digits(text, 5)
        if code is not None:
            return code if adminunits.lookup(code, self.scheme, "Xã") else None
        return self.from_name(text)

    def from_name(self, text: str) -> str | None:
        hit = self._names.get(text, "")
        if hit != "":
            return hit
        named, code = self._unique(text, self.scheme)
        if not named and self.scheme == "2025":  # a list made before July 2025 names old communes
            code = self._unique(text, "2004")[1]
        if len(self._names) < 100_000:
            self._names[text] = code
        return code

    def _unique(self, text: str, scheme: str) -> tuple[bool, str | None]:
        """Whether ``scheme`` has a commune so named (in the provinces), and the code of
        the one it is, in the list's scheme (None when several are): an old (2004)
        commune counts when it went whole into one new one."""
        units = adminunits.find_by_name(text, scheme, "Xã")
        if units and self.provinces is not None:
            if scheme == self.scheme:
                units = [u for u in units if u.province_code in self.provinces]
            else:
                units = [u for u in units if adminunits.province_to_2025(u.province_code) in self.provinces]
        if not units:
            return False, None
        if len({u.code for u in units}) > 1:  # the spelling with the same diacritics, if only one has it
            soft = " ".join(text.lower().split())
            exact = [u for u in units if soft.endswith(u.short_name.lower())]
            units = exact if len({u.code for u in exact}) == 1 else units
        codes = {u.code for u in units}
        if len(codes) != 1:
            return True, None
        code = codes.pop()
        if scheme == self.scheme:
            return True, code
        targets = adminunits.map_to_2025(code)
        return True, (targets[0][0] if len(targets) == 1 else None)

    def from_address(self, text: str) -> str | None:
        folded = strip_diacritics(text).lower()
        same = len(folded) == len(text)
        for m in _IN_ADDRESS.finditer(folded):
            start, end = m.span()
            query = text[start:end] if same else folded[start:end]
            code = self.from_name(query.strip(" -"))
            if code is not None:
                return code
        for m in _NUMBERED.finditer(folded):
            code = self.from_name("Phường " + m.group("name"))
            if code is not None:
                return code
        return None


# -- columns kept as they are ----------------------------------------------------------
def _keep_columns(keep: Sequence[str], columns: dict[str, int], headers: dict[int, str], path: Path, sheet: str,
                  identity: bool = True) -> dict[str, int]:
    """The column of each ``keep`` entry (a header, or a field key). ``identity=False``
    refuses the name and identity-number columns."""
    out: dict[str, int] = {}
    by_header = {header_key(t): c for c, t in sorted(headers.items(), reverse=True)}
    identity_columns = {c for k, c in columns.items() if k in IDENTITY_KEYS}
    for wanted in keep:
        key = wanted.strip()
        field_key = key.lower()
        if not identity and field_key in IDENTITY_KEYS:
            raise RunError("keep-identity", column=wanted)
        c = columns.get(field_key) if field_key in FIELD_BY_KEY else None
        if c is None:
            c = by_header.get(header_key(key))
        if c is None:
            raise RunError("keep-unknown", column=wanted, path=str(path), sheet=sheet)
        if not identity and c in identity_columns:
            raise RunError("keep-identity", column=wanted)
        out[wanted] = c
    return out


def _keep(data: SheetData, wanted: dict[str, int], rows: Sequence[int], columns: dict[str, int],
          headers: dict[int, str], people: People) -> dict[str, str]:
    """Put each kept column in ``people.extra`` under its header, its cells as they are
    (text with legacy encodings converted, numbers, dates); a known column's cells as
    cleaned (a member's household's thôn…). Returns what was asked → header."""
    kept: dict[str, str] = {}
    field_of = {c: k for k, c in columns.items()}
    for asked, c in wanted.items():
        header = headers.get(c, asked)
        kept[asked] = header
        if header not in people.extra:
            cells = _cells(data, c, rows)
            attr = _ATTRIBUTE.get(field_of.get(c, ""))
            if attr is not None:
                cells = [v if v is not None else raw for v, raw in zip(getattr(people, attr), cells)]
            people.extra[header] = cells
    return kept


#: The People column of each field a ``keep`` may name.
_ATTRIBUTE = {"thon": "thon", "dia_chi": "address", "ma_ho": "household", "ngay": "date", "gia_tri": "value",
              "so_chung_tu": "voucher", "gioi_tinh": "gender", "ma_xa": "commune"}


def _cells(data: SheetData, c: int, rows: Sequence[int]) -> list[object]:
    """Column ``c``'s cells at the Excel ``rows``: text (legacy encodings converted),
    whole numbers as int, dates as they are; blank as None."""
    grid, legacy = data.rows, data.legacy
    out: list[object] = []
    for r in rows:
        row = grid[r - 1]
        v = row[c] if c < len(row) else ""
        if v.__class__ is str:
            text = v.strip()  # type: ignore[union-attr]
            if not text.isascii() or legacy:
                text = fix_text(text, legacy.get((r - 1, c)))[0]
            out.append(text or None)
        elif v.__class__ is float and v.is_integer():  # type: ignore[union-attr]
            out.append(int(v))  # type: ignore[call-overload]
        else:
            out.append(v)
    return out
