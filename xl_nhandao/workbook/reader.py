"""Reading clerk workbooks as they really are (SPEC §3).

The reader finds each standard sheet (tolerant names), the header row under any title
block, maps columns by normalised header or alias (any order; unknown columns reported
as info), skips blank rows, column-number rows, section rows, subtotal rows and a
trailing "Tổng cộng" row (warning if its total disagrees), fills vertically merged data
cells down, converts legacy-encoded text, and parses every cell with the parser of its
field kind. It records a cell-level :class:`~xl_nhandao.issues.Issue` for every value it
cannot use; row- and workbook-level rules are the validator's.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice, pairwise, repeat
from operator import getitem, itemgetter

from ..errors import RunError
from ..issues import Issue, add_issue
from ..vn import adminunits
from ..vn.text import fix_text, fold, name_key, register_cache
from ..vn.values import (
    display,
    is_blank,
    parse_cccd,
    parse_code_digits,
    parse_date,
    parse_int,
    parse_money,
    parse_number,
    parse_year,
    parse_yesno,
)
from . import codes, standard
from .guard import column_letters
from .source import SheetData, WorkbookSource
from .standard import Field, InfoSheet, TableSheet, header_key

HEADER_SCAN_ROWS = 40
MIN_YEAR = 1900
#: Dates of campaign events (dossiers, approvals, support) before this are typing slips.
MIN_EVENT_DATE = date(2000, 1, 1)
#: Labels of total rows, folded: "Tổng cộng", "TỔNG CỘNG:", "Cộng", "Tổng số", "Tổng cộng: 15 hộ"…
_TOTAL_LABEL = re.compile(r"^(?:tong cong|tong so|cong so|cong tong|tong|cong|total)(?: so)?(?: \d.*)?$")
_TOTAL_INITIALS = ("T", "t", "C", "c")
#: Whether a cell's text is a total label, by text.
_LABELS: dict[str, bool] = {}
register_cache(_LABELS.clear)
_VALUE = itemgetter(0)
#: Words a SoLieu value may use for yes/no indicators (dat_chi_tieu_dia_chi_moi).
_TRUE_WORDS = codes.YES | {"dat"}
_FLAG_WORDS = codes.YES | codes.NO | {"dat", "khong dat"}
#: A parsed cell: the clean value (or None), the issue code (or None) and its parameters.
Result = tuple[object, str | None, dict[str, object] | None]
#: Parse results by column context, shared across the workbooks of a run: by raw cell
#: value, the result (of values with an issue, and of single cells parsed); the clean
#: value of the values without an issue.
_PARSED: dict[tuple[object, ...], tuple[dict[object, Result], _CleanValues]] = {}
register_cache(_PARSED.clear)
#: Raw values parsed once per distinct value (bools are not: True == 1.0 as a dict key).
_CACHEABLE = frozenset({str, float, int, date, datetime, type(None)})
#: First characters of a key cell that may start a blank or total row ("" for an empty one).
_NOT_PLAIN_KEY = frozenset({"", *_TOTAL_INITIALS, *"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002"
                            "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"})
_FIRST, _ONE = getitem, slice(0, 1)
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2})\s*\)?$")
_LEADING_NUMBER = re.compile(r"^(?:\d+|[ivx]+|[a-z])\s+")
_PAREN = re.compile(r"\([^)]*\)")

Parser = Callable[[object], Result]


def cell_ref(col0: int, row: int) -> str:
    """0-based column and Excel row → ``D7``."""
    return f"{column_letters(col0)}{row}"


def address_key(value: object) -> str:
    """Mã địa chỉ as compared across sheets: trimmed, upper-case, no spaces."""
    return "".join(str(value).split()).upper()


class Record:
    """One data row: its Excel row number and clean values by field key.

    The reader gives each record the ``columns`` of its table and its ``index`` there
    instead of ``values``: the value dicts of a table are then built, all at once, the
    first time one is asked for (validation works on the columns and needs none).
    """

    __slots__ = ("_columns", "_index", "_values", "errors", "original", "row", "warnings")

    def __init__(self, row: int, values: dict[str, object] | None = None, errors: int = 0, warnings: int = 0,
                 original: dict[str, str] | None = None, columns: Columns | None = None, index: int = 0) -> None:
        self.row = row
        self._values = values
        self.errors = errors
        self.warnings = warnings
        #: Original text of cells converted from a legacy encoding (audit trail).
        self.original = original
        self._columns = columns
        self._index = index

    @property
    def values(self) -> dict[str, object]:
        values = self._values
        if values is None:
            values = self._values = {} if self._columns is None else self._columns.row(self._index)
        return values

    @values.setter
    def values(self, values: dict[str, object]) -> None:
        self._values = values

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def _fields(self) -> tuple[object, ...]:
        return self.row, self.values, self.errors, self.warnings, self.original

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Record(row={self.row!r}, values={self.values!r}, errors={self.errors!r}, "
                f"warnings={self.warnings!r}, original={self.original!r})")


class Columns(dict):  # type: ignore[type-arg]
    """A table's values as read, by field key: one tuple per column, one value per record.

    A derived column given in ``lazy`` is computed the first time it is asked for
    (:meth:`column`); :meth:`row` gives a record's values as a dict (all the dicts are
    built the first time)."""

    __slots__ = ("_lazy", "_rows")

    def __init__(self, *args: object, lazy: dict[str, Callable[[], tuple[object, ...]]] | None = None) -> None:
        super().__init__(*args)
        self._lazy = lazy or {}
        self._rows: list[dict[str, object]] | None = None

    def column(self, key: str, size: int) -> Sequence[object]:
        """Field ``key``'s values (``size`` Nones when there is no such column)."""
        values = self.get(key)
        if values is None:
            make = self._lazy.pop(key, None)
            if make is None:
                return (None,) * size
            values = self[key] = make()
        return values  # type: ignore[no-any-return]

    def row(self, index: int) -> dict[str, object]:
        rows = self._rows
        if rows is None:
            for key in list(self._lazy):
                self.column(key, 0)
            keys = list(self)
            rows = self._rows = list(map(dict, map(zip, repeat(keys), zip(*self.values()))))
        return rows[index] if rows else {}


@dataclass
class TableRead:
    spec: TableSheet
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    total_row: int | None = None
    #: The sheet exists, its header was found and every required column is there.
    readable: bool = False
    #: The records' values as read, by field key: one tuple per read column (and per
    #: derived key), one value per record.
    by_key: Columns = field(default_factory=Columns)

    def cell(self, key: str, row: int) -> str | None:
        col = self.columns.get(key)
        return None if col is None else cell_ref(col, row)

    def column(self, key: str) -> Sequence[object]:
        """The value of field ``key`` in each record, in order (None where it has none)."""
        if self.by_key:
            return self.by_key.column(key, len(self.records))
        return tuple(rec.values.get(key) for rec in self.records)


@dataclass
class InfoRead:
    sheet: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    raw: dict[str, object] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    cols: dict[str, int] = field(default_factory=dict)

    def locate(self, key: str) -> tuple[int | None, str | None]:
        row = self.rows.get(key)
        if row is None:
            return None, None
        return row, cell_ref(self.cols[key], row)


@dataclass
class Context:
    """What cell parsing depends on: the unit's scheme and place, and today."""

    scheme: str = "2025"
    province: str | None = None
    today: date = field(default_factory=date.today)
    report_date: date | None = None


@dataclass
class WorkbookRead:
    label: str
    info: InfoRead
    tables: dict[str, TableRead]
    issues: list[Issue]
    context: Context


class _CleanValues(dict):  # type: ignore[type-arg]
    """By raw cell value, the clean value of each value whose parse has no issue code nor
    parameters, shared by the parsers of one column context.

    Looking up any other value (:meth:`CellParser.column` sets what that needs) parses it:
    its clean value is kept, or, when it has an issue, its result is kept in ``results``
    and the value noted in ``flagged``; a value of a type that is never cached (bool:
    True == 1.0 as a dict key) sets ``odd``."""

    __slots__ = ("base", "blank", "flagged", "odd", "results")

    def __missing__(self, raw: object) -> object:
        cls = raw.__class__
        if cls not in _CACHEABLE:
            self.odd = True
            return None
        res = self.results.get(raw)
        if res is None:
            res = self.blank if raw is None or (cls is str and raw.isspace()) else self.base(raw)  # type: ignore[union-attr]
        if res[1] is None and res[2] is None:
            self[raw] = res[0]
        else:
            self.results[raw] = res
            self.flagged.append(raw)
        return res[0]


class CellParser:
    """Parses the cells of one column (:meth:`Reader.parser`); calling it parses one cell.

    Results are cached by raw value, shared by the parsers of one column context: bools
    are never cached (True == 1.0 as a dict key). :meth:`column` parses a whole column.
    """

    __slots__ = ("base", "blank", "results", "values")

    def __init__(self, base: Parser, blank: Result, results: dict[object, Result], values: _CleanValues) -> None:
        self.base = base
        self.blank = blank
        self.results = results
        self.values = values

    def __call__(self, raw: object) -> Result:
        cls = raw.__class__
        if cls is str or cls is float or cls is date or cls is datetime or cls is int:
            hit = self.results.get(raw)
            if hit is None:
                hit = self.results[raw] = self.blank if cls is str and raw.isspace() else self.base(raw)  # type: ignore[union-attr]
            return hit
        if raw is None:
            return self.blank
        return self.base(raw)

    def column(self, raws: tuple[object, ...]) -> tuple[tuple[object, ...], dict[int, Result]]:
        """The clean values of a column's cells, and the results of the cells whose parse
        has an issue code or parameters, by position.

        Each cell takes its value by one lookup in the shared cache of clean values; a
        value missing from it (first seen, or with an issue) is parsed then, and only a
        column with a value with an issue is scanned cell by cell."""
        values = self.values
        values.base, values.blank, values.results, values.flagged, values.odd = \
            self.base, self.blank, self.results, [], False
        try:
            out = tuple(map(values.__getitem__, raws))
        finally:
            values.base = None  # type: ignore[assignment]
        if values.odd or ((1 in values or 0 in values) and bool in set(map(type, raws))):
            results = list(map(self, raws))  # TRUE/FALSE cells (True == 1.0) or odd types: no shortcut
            return tuple(map(_VALUE, results)), {i: res for i, res in enumerate(results)
                                                if res[1] is not None or res[2] is not None}
        if not values.flagged:
            return out, {}
        bad = set(values.flagged)
        known = self.results
        return out, {i: known[raw] for i, raw in enumerate(raws) if raw in bad}


class Reader:
    """Reads one workbook source into clean records and cell-level issues."""

    def __init__(self, source: WorkbookSource, today: date | None = None) -> None:
        self.source = source
        self.issues: list[Issue] = []
        self.context = Context(today=today or date.today())
        self._sheets: dict[str, SheetData] = {}
        self._legacy_counts: dict[tuple[str, str, str], int] = {}

    # -- issues ----------------------------------------------------------------
    def add(self, code: str, /, *args: object, **params: object) -> Issue:
        return add_issue(self.issues, code, *args, **params)  # type: ignore[arg-type]

    # -- workbook --------------------------------------------------------------
    def read(self) -> WorkbookRead:
        # Reading allocates hundreds of thousands of small objects and no cycles: the
        # cyclic collector would only rescan them again and again.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._read()
        finally:
            if enabled:
                gc.enable()

    def _read(self) -> WorkbookRead:
        names = self.source.sheet_names()
        found = {s.name: standard.find_sheet(names, s) for s in standard.SHEETS}
        claimed = {n for n in found.values() if n}
        for spec in standard.TABLES:
            if found[spec.name] is None:
                found[spec.name] = self._guess_sheet(spec, [n for n in names if n not in claimed])
                if found[spec.name]:
                    claimed.add(found[spec.name])  # type: ignore[arg-type]
        if not any(found.values()):
            raise RunError("not-standard", path=self.source.label)
        # A file source reads each sheet on another core while the one before is parsed.
        order = [found[s.name] for s in (standard.THONG_TIN, *standard.TABLES, standard.SO_LIEU)]
        read_ahead = getattr(self.source, "read_ahead", None)
        with read_ahead([n for n in order if n and n not in self._sheets]) if read_ahead else nullcontext():
            info = self.read_info(found[standard.THONG_TIN.name])
            tables = {}
            for spec in (*standard.TABLES, standard.SO_LIEU):
                tables[spec.name] = self.read_table(spec, found[spec.name])
        return WorkbookRead(self.source.label, info, tables, self.issues, self.context)

    def sheet(self, name: str) -> SheetData:
        data = self._sheets.get(name)
        if data is None:
            data = self._sheets[name] = self.source.read(name)
        return data

    def _guess_sheet(self, spec: TableSheet, candidates: list[str]) -> str | None:
        """A register sheet renamed by the clerk (``Sheet1``) is recognised by its
        headers: most of the required columns must be there."""
        lookup = spec.header_lookup()
        need = max(2, (len(spec.required) * 2 + 2) // 3)
        for name in candidates:
            rows = self.sheet(name).rows[:HEADER_SCAN_ROWS]
            for row in rows:
                keys = {f.key for v in row if isinstance(v, str) and (f := _header_field(lookup, v))}
                if sum(1 for f in spec.required if f.key in keys) >= need:
                    return name
        return None

    # -- ThongTin --------------------------------------------------------------
    def read_info(self, sheet_name: str | None) -> InfoRead:
        spec: InfoSheet = standard.THONG_TIN
        out = InfoRead(sheet_name)
        if sheet_name is None:
            self.add("sheet-missing", sheet=spec.name)
            return out
        data = self.sheet(sheet_name)
        lookup = spec.header_lookup()
        for r, row in enumerate(data.rows):
            label_col = None
            f: Field | None = None
            for c, v in enumerate(row[:4]):
                if isinstance(v, str) and v.strip():
                    key = _LEADING_NUMBER.sub("", fold(fix_text(v, data.legacy.get((r, c)))[0])).replace(" ", "")
                    f = lookup.get(key) or lookup.get(header_key(_PAREN.sub("", v)))
                    label_col = c
                    break
            if f is None or label_col is None or f.key in out.rows:
                continue
            # The value is the cell right of the label (a guidance column may follow).
            vcol = label_col + 1
            value: object = row[vcol] if vcol < len(row) else ""
            out.rows[f.key] = r + 1
            out.cols[f.key] = vcol
            out.raw[f.key] = value
        # The scheme and province come first: other cells are parsed against them.
        ctx = self.context
        for key in ("he_ma", "ma_tinh", "ngay_lap"):
            self._parse_info(out, spec.field(key), data)
        if isinstance(out.values.get("he_ma"), str):
            ctx.scheme = out.values["he_ma"]  # type: ignore[assignment]
        ctx.province = out.values.get("ma_tinh")  # type: ignore[assignment]
        ctx.report_date = out.values.get("ngay_lap")  # type: ignore[assignment]
        for f in spec.fields:
            if f.key not in ("he_ma", "ma_tinh", "ngay_lap"):
                self._parse_info(out, f, data)
        return out

    def _parse_info(self, out: InfoRead, f: Field, data: SheetData) -> None:
        if f.key not in out.raw:
            return
        raw = out.raw[f.key]
        if is_blank(raw):
            return
        row = out.rows[f.key]
        col = out.cols[f.key]
        if f.kind == standard.ADMIN_CODE:
            value = parse_code_digits(raw, f.digits or 5)
            if value is None:
                self.add("unit-unknown", data.name, row, f.header, cell_ref(col, row), raw,
                         scheme=self.context.scheme)
                return
            out.values[f.key] = value
            return
        if f.kind == standard.PERIOD:
            out.values[f.key] = display(raw)
            return
        parser = self.parser(f, data.name)
        value, code, params = parser(raw)
        if isinstance(raw, str) and f.kind == standard.TEXT:
            value, _ = fix_text(raw.strip(), data.legacy.get((row - 1, col)))
        if code:
            self.add(code, data.name, row, f.header, cell_ref(col, row), raw, **(params or {}))
        if value is not None:
            out.values[f.key] = value

    # -- register sheets -------------------------------------------------------
    def read_table(self, spec: TableSheet, sheet_name: str | None) -> TableRead:
        out = TableRead(spec, sheet_name)
        if sheet_name is None:
            return out
        data = self.sheet(sheet_name)
        rows = data.rows
        header = self._find_header(spec, rows, data.name)
        if header is None:
            expected = ", ".join(f.header for f in spec.required)
            self.add("header-not-found", sheet=data.name, expected=expected)
            return out
        h, columns = header
        out.header_row = h + 1
        out.columns = columns
        for f in spec.required:
            if f.key not in columns:
                self.add("column-missing", sheet=data.name, row=h + 1, column=f.header)
        if any(f.key not in columns for f in spec.required):
            return out
        out.readable = True
        self._fill_merged_down(data, h)
        sections = {m[0][0] for m in data.merged if m[0][0] == m[1][0] and m[1][1] - m[0][1] >= 2 and m[0][0] > h}
        mapped = [(f, columns[f.key]) for f in spec.fields if f.key in columns and f.kind != standard.IGNORED]
        cols = [col for _, col in mapped]
        key_col = columns.get(spec.key_field, 0)
        required_cols = [columns[f.key] for f in spec.required if f.kind not in (standard.MONEY, standard.NUMBER)]
        body = rows[h + 1 :]
        # Short rows (a live workbook may give them) read as if padded with blank cells.
        need = max(max(cols, default=0), key_col) + 1
        if min(map(len, body), default=need) < need:
            body = [row if len(row) >= need else [*row, *[""] * (need - len(row))] for row in body]
        n = len(body)
        transposed: list[tuple[object, ...]] = list(zip(*body)) if body else [()] * need
        total_candidates: list[tuple[int, list[object]]] = []
        data_idx = self._data_rows(body, h + 1, cols, transposed[key_col], key_col in cols, required_cols,
                                   sections, total_candidates)
        everything = len(data_idx) == n
        if not everything:  # the read columns of the data rows
            wanted = set(cols)
            transposed = [tuple(map(column.__getitem__, data_idx)) if c in wanted else ()
                          for c, column in enumerate(transposed)]
        # Parse column by column: one cached parser per column, issues only where needed.
        sheet = data.name
        legacy_by_col: dict[int, list[tuple[int, str]]] = {}
        position: dict[int, int] = {}
        if data.legacy:
            for (r, c), font in data.legacy.items():
                legacy_by_col.setdefault(c, []).append((r, font))
            position = {h + 1 + b: i for i, b in enumerate(data_idx)}
        keys: list[str] = []
        columns_values: list[tuple[object, ...]] = []
        found: list[tuple[Field, int, tuple[object, ...], dict[int, Result]]] = []
        for f, col in mapped:
            parse = self.parser(f, sheet)
            raws = transposed[col]
            values, flags = parse.column(raws)
            if legacy_by_col.get(col) and f.kind in (standard.TEXT, standard.CODE, standard.CODES):
                fixed_values = list(values)
                for r, font in legacy_by_col[col]:
                    i = position.get(r)
                    if i is None or raws[i].__class__ is not str:
                        continue
                    fixed, used = fix_text(raws[i], font)  # type: ignore[arg-type]
                    value, code, params = parse(fixed)
                    fixed_values[i] = value
                    params = {"legacy": used} if used else params
                    if code is not None or params is not None:
                        flags[i] = (value, code, params)
                    else:
                        flags.pop(i, None)
                values = tuple(fixed_values)
            if flags:
                found.append((f, col, raws, flags))
            keys.append(f.key)
            columns_values.append(values)
        lazy = self._derive(spec, keys, columns_values)
        rownums = [h + 2 + i for i in data_idx] if not everything else range(h + 2, h + 2 + n)
        # Columns are tuples: the collector untracks a tuple of plain values at its first pass.
        by_key = Columns(zip(keys, columns_values), lazy=lazy)
        records = list(map(Record, rownums, repeat(None), repeat(0), repeat(0), repeat(None), repeat(by_key),
                           range(len(rownums))))
        for f, col, raws, flags in found:
            for i in sorted(flags):
                value, code, params = flags[i]
                rec = records[i]
                used = params.get("legacy") if params else None
                if used:
                    if rec.original is None:
                        rec.original = {}
                    rec.original[f.key] = raws[i]  # type: ignore[assignment]
                    self._legacy_counts[(sheet, f.header, used)] = \
                        self._legacy_counts.get((sheet, f.header, used), 0) + 1  # type: ignore[index]
                    params = None
                if code:
                    self._row_issue(rec, code, sheet, f, col, raws[i], params)
        out.records = records
        out.by_key = by_key
        self._report_totals(out, data.name, total_candidates, rows)
        for (where, column, enc), n in self._legacy_counts.items():
            if where == sheet:
                self.add("legacy-text", sheet, column=column, count=n,
                         encoding={"tcvn3": "TCVN3 (ABC)", "tcvn3h": "TCVN3 (ABC)", "vni": "VNI"}.get(enc, enc))
        return out

    @staticmethod
    def _data_rows(body: list[list[object]], first_row: int, cols: list[int], keys: Sequence[object], fast: bool,
                   required_cols: list[int], sections: set[int],
                   totals: list[tuple[int, list[object]]]) -> Sequence[int]:
        """Positions in ``body`` (the rows under the header, ``body[0]`` being 0-based sheet
        row ``first_row``) of the data rows, in order; total-row candidates go to ``totals``.
        ``keys`` are the rows' key cells.

        Skipped: blank rows, rows blank in every read column, the column-number row under
        the header, total rows and section rows. A row whose key cell (``fast``: a read
        column) holds text starting with anything but a space, T or C is none of those:
        past the first rows and outside merged section rows, only the other rows are
        looked at one by one.
        """
        pick = itemgetter(*cols) if len(cols) > 1 else (lambda row: (row[cols[0]],))
        first_data = first_row
        out: list[int] = []

        def one(i: int) -> None:
            nonlocal first_data
            row = body[i]
            if not any(row):
                return
            cells = pick(row)
            if not any(cells) or all(not v or (v.__class__ is str and v.isspace()) for v in cells):  # type: ignore[union-attr]
                return
            r = first_row + i
            if r <= first_data + 1 and _is_column_numbers(row):
                first_data = r + 1
                return
            key = keys[i]
            if (key == "" or key is None or (key.__class__ is str and key.lstrip()[:1] in _TOTAL_INITIALS)) \
                    and _is_total_row(row, required_cols):  # type: ignore[union-attr]
                totals.append((r, row))
                return
            if r in sections and sum(1 for v in cells if not is_blank(v)) <= 1:
                return
            out.append(i)

        n = len(body)
        i = 0
        while i < n and first_row + i <= first_data + 1:
            one(i)
            i += 1
        if not fast:
            for j in range(i, n):
                one(j)
            return out
        special: set[int] = set()
        if set(map(type, islice(keys, i, None))) != {str} \
                or not _NOT_PLAIN_KEY.isdisjoint(map(_FIRST, islice(keys, i, None), repeat(_ONE))):
            special = {j for j, k in enumerate(islice(keys, i, None), i)
                       if k.__class__ is not str or k[:1] in _NOT_PLAIN_KEY}  # type: ignore[union-attr]
        special.update(r - first_row for r in sections if i <= r - first_row < n)
        if not special and len(out) == i:
            return range(n)  # every row is a data row
        for j in sorted(special):
            out.extend(range(i, j))
            key = keys[j]
            if key.__class__ is str and key[:1] in _TOTAL_INITIALS and first_row + j not in sections \
                    and _filled(body[j], required_cols):  # type: ignore[union-attr]
                out.append(j)  # "Công ty…", "Trường…": a total row lacks a required cell
            else:
                one(j)
            i = j + 1
        out.extend(range(i, n))
        return out

    def _row_issue(self, rec: Record, code: str, sheet: str, f: Field, col: int, raw: object,
                   params: dict[str, object] | None = None) -> None:
        add_issue(self.issues, code, sheet, rec.row, f.header, cell_ref(col, rec.row), raw, rec, **(params or {}))

    @staticmethod
    def _derive(spec: TableSheet, keys: list[str], columns: list[tuple[object, ...]]
                ) -> dict[str, Callable[[], tuple[object, ...]]]:
        """Add the keys the validator and the indicators compare on, as columns; those
        computed only when asked for are returned."""
        if "ma_dia_chi" in keys:
            codes_ = columns[keys.index("ma_dia_chi")]
            keys.append("_addr")
            if None in codes_:
                addr = tuple(None if v is None else address_key(v) for v in codes_)
            else:  # the parsed codes are text: address_key at C speed
                addr = tuple(map(str.upper, map("".join, map(str.split, codes_))))  # type: ignore[arg-type]
            if "nguon_don_vi" in keys:  # a consolidation: codes are unique per source unit
                units = columns[keys.index("nguon_don_vi")]
                addr = tuple(a if a is None or u is None else f"{u}|{a}" for a, u in zip(addr, units))
            columns.append(addr)
        # The key of people's names (the validator keys only the names that may repeat);
        # supporters' names are keyed only when figures are computed (indicators.compute).
        lazy: dict[str, Callable[[], tuple[object, ...]]] = {}
        name = {"DiaChi": "ho_ten"}.get(spec.name)
        if name in keys:
            names = columns[keys.index(name)]  # type: ignore[arg-type]

            def name_keys() -> tuple[object, ...]:
                keyed = {v: name_key(v) for v in set(names) if isinstance(v, str)}
                return tuple(map(keyed.get, names))

            lazy["ten_key"] = name_keys
        return lazy

    def _find_header(self, spec: TableSheet, rows: list[list[object]], sheet_name: str
                     ) -> tuple[int, dict[str, int]] | None:
        lookup = spec.header_lookup()
        required = {f.key for f in spec.required}
        best: tuple[int, int] | None = None
        for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            found = {f.key for v in row if isinstance(v, str) and len(v) < 80 and (f := _header_field(lookup, v))}
            hits = len(found)
            if hits >= 2 and (best is None or hits > best[1]):
                best = (r, hits)
            if required <= found:
                break  # every required column is on this row: the header, no need to look further
        if best is None:
            return None
        r = best[0]
        # A two-row header: group labels (Địa chỉ over Thôn/Tổ dân phố | Mã xã) on the header row, the
        # grouped columns' own labels on the row under it, which holds nothing but column labels.
        below = _label_row(lookup, rows[r + 1]) if r + 1 < len(rows) else None
        if below is not None and not {f.key for f in below.values()} - {
                f.key for v in rows[r] if isinstance(v, str) and (f := _header_field(lookup, v))}:
            below = None  # the header repeated, not the labels of grouped columns
        labels = [(c, v, r) for c, v in enumerate(rows[r]) if below is None or c not in below]
        labels += [(c, rows[r + 1][c], r + 1) for c in sorted(below or ())]
        columns: dict[str, int] = {}
        cells: dict[str, str] = {}
        for c, v, at in sorted(labels, key=lambda x: x[0]):
            if not isinstance(v, str) or not v.strip():
                if not is_blank(v):
                    self.add("column-unknown", sheet_name, at + 1, None, cell_ref(c, at + 1), v)
                continue
            f = _header_field(lookup, v)
            if f is None:
                self.add("column-unknown", sheet_name, at + 1, None, cell_ref(c, at + 1), " ".join(v.split()))
            elif f.key in columns:
                self.add("column-duplicate", sheet_name, at + 1, f.header, cell_ref(c, at + 1), " ".join(v.split()),
                         first_cell=cells[f.key])
            else:
                columns[f.key] = c
                cells[f.key] = cell_ref(c, at + 1)
        return (r if below is None else r + 1), columns

    @staticmethod
    def _fill_merged_down(data: SheetData, header: int) -> None:
        """A clerk who merges a Thôn cell over several rows means it for each row: the
        merge's value goes down its first column. A merge whose top cell lies inside an
        earlier one (Excel never writes such overlaps; a damaged file may hold thousands,
        ``A3:XFD1048576``, ``A4:XFD1048576`` …) is ignored, so each cell is filled at most
        once."""
        rows = data.rows
        filled: dict[int, int] = {}  # column → last row filled
        for (r0, c0), (r1, _) in sorted(data.merged):
            r0, r1 = min(r0, r1), max(r0, r1)
            if r0 <= header or r1 == r0 or r0 >= len(rows) or c0 < 0 or r0 <= filled.get(c0, -1):
                continue
            top = rows[r0][c0] if c0 < len(rows[r0]) else ""
            start, end = max(r0 + 1, filled.get(c0, -1) + 1), min(r1, len(rows) - 1)
            for r in range(start, end + 1):
                row = rows[r]
                if c0 < len(row) and row[c0] == "":
                    row[c0] = top
            filled[c0] = max(filled.get(c0, -1), end)

    def _report_totals(self, out: TableRead, sheet: str, candidates: list[tuple[int, list[object]]],
                       rows: list[list[object]]) -> None:
        if not candidates:
            return
        r, row = candidates[-1]
        last_record = out.records[-1].row - 1 if out.records else -1
        if r < last_record:
            return  # a subtotal inside the table, not the trailing total
        out.total_row = r + 1
        for f in out.spec.fields:
            if f.kind != standard.MONEY or f.key not in out.columns:
                continue
            col = out.columns[f.key]
            raw = row[col] if col < len(row) else ""
            if is_blank(raw):
                continue
            stated, code = parse_money(raw)
            if code or stated is None:
                continue
            values = out.column(f.key)
            if any(v is None and not _blank_at(rows, rec.row - 1, col) for rec, v in zip(out.records, values)):
                continue  # a cell failed to parse: its own issue says so
            total = sum(int(v or 0) for v in values)  # type: ignore[call-overload]
            if total != stated:
                self.add("total-row-mismatch", sheet, r + 1, f.header, cell_ref(col, r + 1), raw, expected=total)

    # -- cell parsers ----------------------------------------------------------
    def parser(self, f: Field, sheet: str) -> CellParser:
        """The parser of one column: blanks first, then a cache of repeated values,
        shared by every workbook read with the same context (a consolidation reads
        hundreds of small books whose codes, dates and amounts repeat)."""
        ctx = self.context
        blank = (False if f.kind == standard.YESNO else None, "required-missing" if f.required else None, None)
        key = (f.key, f.kind, f.codelist, f.minimum, f.required, ctx.today, ctx.scheme,
               ctx.province if f.kind == standard.COMMUNE else None)
        cached = _PARSED.get(key)
        if cached is None or len(cached[1]) > 200_000:
            cached = _PARSED[key] = ({"": blank}, _CleanValues())
        return CellParser(self._base_parser(f), blank, *cached)

    def _base_parser(self, f: Field) -> Parser:
        ctx = self.context
        kind = f.kind
        if kind == standard.TEXT:
            collapse = f.key in ("ma_dia_chi", "ho_ten", "thon", "ten", "nguoi_tro_giup", "ma_chi_so",
                                 "so_chung_tu")

            def text(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                if raw.__class__ is not str:
                    return display(raw), None, None
                if raw.isascii():  # type: ignore[attr-defined]
                    return (" ".join(raw.split()) if collapse else raw.strip()), None, None  # type: ignore[attr-defined]
                s, enc = fix_text(raw)  # type: ignore[arg-type]
                s = " ".join(s.split()) if collapse else s.strip()
                return s, None, ({"legacy": enc} if enc else None)

            return text
        if kind == standard.YEAR:
            maximum = ctx.today.year

            def year(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                v, code = parse_year(raw)
                if code:
                    return None, code, None
                if not MIN_YEAR <= v <= maximum:  # type: ignore[operator]
                    return None, "year-out-of-range", {"minimum": MIN_YEAR, "maximum": maximum}
                return v, None, None

            return year
        if kind in (standard.CODE, standard.CODES):
            cl = f.codes
            assert cl is not None
            choices = ", ".join(cl.codes if cl.canonical == "code" else cl.values)
            params = {"list": cl.title, "choices": choices}
            numeric = cl.key == "dan_toc"

            def one(raw: object) -> str | None:
                text = raw if isinstance(raw, str) else (display(raw) or "")
                text = fix_text(text)[0]
                v = cl.parse(text)
                if v is None and numeric and text.strip().isdigit():
                    v = cl.parse(text.strip().zfill(2))
                return v

            if kind == standard.CODE:
                def code_(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                    v = one(raw)
                    return (v, None, None) if v is not None else (None, "code-unknown", params)

                return code_

            def codes_(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                parts = [p for p in re.split(r"[;,/+]", raw if isinstance(raw, str) else str(raw)) if p.strip()]
                out = [one(p) for p in parts]
                if any(v is None for v in out):
                    return None, "code-unknown", params
                return tuple(dict.fromkeys(out)), None, None  # type: ignore[arg-type]

            return codes_
        if kind == standard.CCCD:
            provinces = adminunits.cccd_province_codes()

            def cccd(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                v, code = parse_cccd(raw, provinces)
                if code == "cccd-padded":
                    return v, code, {"fixed": v}
                return v, code, None

            return cccd
        if kind == standard.COMMUNE:
            def commune(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                scheme = ctx.scheme
                code = parse_code_digits(raw, 5)
                if code is not None:
                    unit = adminunits.lookup(code, scheme, "Xã")
                    return (code, None, None) if unit else (None, "commune-unknown", {"scheme": scheme})
                if isinstance(raw, str) and ctx.province:
                    hits = adminunits.find_by_name(fix_text(raw)[0], scheme, "Xã", ctx.province)
                    if len({u.code for u in hits}) == 1:
                        return hits[0].code, "commune-name-as-code", {"commune_code": hits[0].code, "name": hits[0].name}
                return None, "commune-unknown", {"scheme": scheme}

            return commune
        if kind == standard.DATE:
            today = ctx.today

            def date_(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                if raw.__class__ is date:  # a real date cell: parse_date would give it back
                    v: object = raw
                else:
                    v, code = parse_date(raw)
                    if code:
                        return None, code, None
                if v < MIN_EVENT_DATE:  # type: ignore[operator]
                    return None, "date-out-of-range", {"minimum": MIN_EVENT_DATE}
                if v > today:  # type: ignore[operator]
                    return None, "date-in-future", {"today": today}
                return v, None, None

            return date_
        if kind == standard.INT:
            minimum = f.minimum if f.minimum is not None else 0

            def int_(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                # a whole number: what parse_int would give, without the checks
                if raw.__class__ is float and raw.is_integer() and raw >= minimum:  # type: ignore[attr-defined, operator]
                    return int(raw), None, None  # type: ignore[call-overload]
                v, code = parse_int(raw, minimum)
                return (v, None, None) if code is None else (None, code, {"minimum": minimum})

            return int_
        if kind == standard.MONEY:
            positive = (f.minimum or 0) > 0

            def money(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                v, code = parse_money(raw)
                if code:
                    return None, code, None
                if positive and v == 0:
                    return None, "money-zero", None
                return v, None, None

            return money
        if kind == standard.YESNO:
            def yesno(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                v, code = parse_yesno(fix_text(raw)[0] if isinstance(raw, str) else raw, codes.YES, codes.NO)
                return v, code, None

            return yesno
        if kind == standard.NUMBER:
            def number(raw: object) -> tuple[object, str | None, dict[str, object] | None]:
                if isinstance(raw, str) and fold(raw) in _FLAG_WORDS:
                    return fold(raw) in _TRUE_WORDS, None, None
                v, code = parse_number(raw)
                return v, code, None

            return number
        raise ValueError(f"no parser for field kind {kind!r}")


def _header_field(lookup: dict[str, Field], text: str) -> Field | None:
    key = header_key(text)
    f = lookup.get(key)
    if f is None and "(" in text:
        f = lookup.get(header_key(_PAREN.sub("", text)))
    return f


def _label_row(lookup: dict[str, Field], row: list[object]) -> dict[int, Field] | None:
    """The row's column labels by column, when it holds nothing else (blank cells
    aside) and at least one; ``None`` for any other row."""
    out: dict[int, Field] = {}
    for c, v in enumerate(row):
        if is_blank(v):
            continue
        f = _header_field(lookup, v) if isinstance(v, str) and len(v) < 80 else None
        if f is None:
            return None
        out[c] = f
    return out or None


def _is_column_numbers(row: list[object]) -> bool:
    """The row of column numbers ``(1) (2) (3)…`` official tables put under headers."""
    nums: list[int] = []
    for v in row:
        if is_blank(v):
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
            nums.append(int(v))
            continue
        if isinstance(v, str):
            m = _COLUMN_NUMBER.match(v.strip())
            if m:
                nums.append(int(m.group(1)))
                continue
        return False
    return len(nums) >= 3 and all(b == a + 1 for a, b in pairwise(nums))


def _is_total_row(row: list[object], required_cols: list[int]) -> bool:
    """A "Tổng cộng" / "Cộng" row: the label sits in one of the first few filled cells
    and the row lacks the data every record has (so "Tổng công ty …" or a person named
    "Tống Công" stays a record)."""
    seen = 0
    label_col = None
    for c, v in enumerate(row):
        if v == "" or v is None:
            continue
        seen += 1
        if seen > 4:
            break
        if (v.__class__ is str and len(v) < 40 and v.lstrip()[:1] in _TOTAL_INITIALS  # type: ignore[arg-type]
                and _is_total_label(v)):  # type: ignore[arg-type]
            label_col = c
            break
    if label_col is None:
        return False
    width = len(row)
    return any(c != label_col and (c >= width or is_blank(row[c])) for c in required_cols)


def _filled(row: list[object], cols: list[int]) -> bool:
    """Whether none of the cells ``cols`` of ``row`` is blank."""
    return not any(is_blank(row[c]) for c in cols)


def _is_total_label(text: str) -> bool:
    hit = _LABELS.get(text)
    if hit is None:
        hit = _TOTAL_LABEL.match(fold(fix_text(text)[0])) is not None
        if len(_LABELS) < 65536:  # names of supporters starting with "Công", "Trường" repeat
            _LABELS[text] = hit
    return hit


def _blank_at(rows: list[list[object]], r: int, c: int) -> bool:
    return c >= len(rows[r]) or is_blank(rows[r][c])

