"""The validator: every rule of SPEC §3 over what the reader read.

:func:`validate_file` is the one library call behind ``xl-nhandao validate`` and the
ribbon's "Kiểm tra dữ liệu". It returns a :class:`Report` (findings as data); it raises
:class:`~xl_nhandao.errors.RunError` only when the file cannot be read at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, repeat
from operator import attrgetter, eq, is_not, itemgetter, lt, ne
from pathlib import Path

from ..issues import Issue, add_issue, count
from ..vn import adminunits
from ..vn.periods import Period, parse_period
from ..vn.text import fold, name_key
from ..vn.values import cccd_births
from ..workbook import codes, indicators, standard
from ..workbook.reader import InfoRead, Reader, Record, TableRead, WorkbookRead
from ..workbook.source import FileWorkbook, WorkbookSource

SHEET_ORDER = {s.name: i for i, s in enumerate(standard.SHEETS)}
_SCHEME_DEFAULT = "2025"


@dataclass
class Unit:
    code: str | None = None
    name: str | None = None
    level: str | None = None
    scheme: str = _SCHEME_DEFAULT
    province: str | None = None

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "level": self.level, "scheme": self.scheme}


@dataclass
class Report:
    """The outcome of validating one workbook."""

    file: str
    template_version: str | None
    unit: Unit
    period: Period | None
    issues: list[Issue]
    workbook: WorkbookRead
    report_date: date | None = None
    targets: indicators.Targets = field(default_factory=indicators.Targets)
    #: Indicator values typed on sheet SoLieu, by code.
    stated: dict[str, object] = field(default_factory=dict)
    _figures: dict[str, object] | None = field(default=None, repr=False)
    #: With ``validate --annotate``: what the marked copy could not keep (one line each).
    notices: list[str] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, object] | None:
        """Indicators of this workbook's own register (None without a period),
        computed when first asked for."""
        if self._figures is None and self.period is not None:
            self._figures = figures_of(self)
        return self._figures

    @property
    def valid(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    @property
    def counts(self) -> dict[str, int]:
        return count(self.issues)

    @property
    def rows(self) -> dict[str, int]:
        return {t.name: len(self.workbook.tables[t.name].records) for t in standard.TABLES}

    def records(self, sheet: str) -> list[Record]:
        return self.workbook.tables[sheet].records

    def as_json(self, lang: str = "vi") -> dict[str, object]:
        """The ``--json`` document of SPEC §5.2."""
        return {
            "file": self.file,
            "template_version": self.template_version,
            "unit": self.unit.as_json(),
            "period": self.period.as_json() if self.period else None,
            "valid": self.valid,
            "rows": self.rows,
            "counts": self.counts,
            "issues": [i.as_json(lang) for i in self.issues],  # type: ignore[arg-type]
        }

    def to_frame(self, lang: str = "vi"):  # -> pandas.DataFrame
        """The issues as a pandas DataFrame, one row per issue, the columns of ``--json``
        (pandas is imported here, not before)."""
        import pandas as pd

        columns = ["code", "severity", "sheet", "row", "column", "cell", "value", "message", "hint"]
        return pd.DataFrame([i.as_json(lang) for i in self.issues], columns=columns)  # type: ignore[arg-type]


def validate_file(path: str | Path, today: date | None = None) -> Report:
    return validate_source(FileWorkbook(path), today)


def validate_source(source: WorkbookSource, today: date | None = None) -> Report:
    read = Reader(source, today).read()
    return Validator(read).run()


class Validator:
    def __init__(self, read: WorkbookRead) -> None:
        self.read = read
        self.issues = read.issues
        self.ctx = read.context
        self.info = read.info
        self.tables = read.tables
        self.spans = _Spans()

    def add(self, code: str, /, *args: object, **params: object) -> Issue:
        return add_issue(self.issues, code, *args, **params)  # type: ignore[arg-type]

    def at(self, table: TableRead, i: int, key: str, code: str, value: object = None, **params: object) -> None:
        """An issue on record ``i`` of ``table``, at the cell of field ``key`` (its value
        unless another is given)."""
        f = table.spec.field(key)
        rec = table.records[i]
        self.add(code, table.sheet, rec.row, f.header, table.cell(key, rec.row),
                 value if value is not None else table.column(key)[i], rec, **params)

    # -- run ---------------------------------------------------------------------
    def run(self) -> Report:
        unit = self.check_unit()
        period = self.check_period()
        version = self.check_version()
        self.check_missing_sheets()
        addresses = self.check_addresses(unit)
        self.check_registrations(addresses)
        self.check_events(addresses)
        targets = self.targets()
        report = Report(self.read.label, version, unit, period, self.issues, self.read,
                        self.ctx.report_date, targets)
        self.check_solieu(report)
        self.issues.sort(key=self._order)
        return report

    def _order(self, i: Issue) -> tuple[int, int, int, str]:
        sheet_rank = -1
        if i.sheet is not None:
            sheet_rank = SHEET_ORDER.get(i.sheet, len(SHEET_ORDER))
            for spec in standard.SHEETS:
                name = self.info.sheet if spec is standard.THONG_TIN else self.tables[spec.name].sheet
                if name == i.sheet:
                    sheet_rank = SHEET_ORDER[spec.name]
        col = 0
        if i.cell:
            letters = "".join(ch for ch in i.cell if ch.isalpha())
            for ch in letters:
                col = col * 26 + ord(ch) - 64
        return (sheet_rank, i.row or 0, col, i.code)

    # -- ThongTin ----------------------------------------------------------------
    def info_issue(self, key: str, code: str, value: object = None, **params: object) -> None:
        f = standard.THONG_TIN.field(key)
        row, cell = self.info.locate(key)
        sheet = self.info.sheet or standard.THONG_TIN.name
        if value is None:
            value = self.info.raw.get(key)
        self.add(code, sheet, row, f.header, cell, value if value != "" else None, **params)

    def check_version(self) -> str | None:
        v = self.info.values.get("phien_ban")  # absent when ThongTin is missing or has no version
        if v is None:
            return None
        if str(v).strip().upper() != standard.VERSION:
            self.info_issue("phien_ban", "template-version", expected=standard.VERSION)
        return str(v).strip()

    def check_unit(self) -> Unit:
        info: InfoRead = self.info
        values = info.values
        scheme = str(values.get("he_ma") or _SCHEME_DEFAULT)
        level = values.get("cap_don_vi")
        unit = Unit(level=level if isinstance(level, str) else None, scheme=scheme)  # type: ignore[arg-type]
        if info.sheet is None:
            return unit
        for key in ("ma_tinh", "cap_don_vi", "ky_bao_cao"):
            if key not in values and not self._has_issue_at(key):
                self.info_issue(key, "info-missing")
        province_code = values.get("ma_tinh")
        province = None
        if isinstance(province_code, str):
            province = adminunits.lookup(province_code, scheme, "Tỉnh")
            if province is None:
                self.info_issue("ma_tinh", "unit-unknown", scheme=scheme)
            else:
                unit.province = province.code
                self._check_name("ten_tinh", province)
        level = unit.level
        if level == "Xã":
            unit_code_key, admin_level = "ma_xa", "Xã"
        elif level == "Huyện":
            unit_code_key, admin_level = "ma_huyen", "Huyện"
        elif level == "Tỉnh":
            unit_code_key, admin_level = "ma_tinh", "Tỉnh"
        else:
            unit_code_key, admin_level = None, None
        if unit_code_key and admin_level:
            code = values.get(unit_code_key)
            if code is None:
                if not self._has_issue_at(unit_code_key):
                    self.info_issue(unit_code_key, "info-missing")
            else:
                au = adminunits.lookup(str(code), scheme, admin_level)
                if au is None:
                    if unit_code_key != "ma_tinh":
                        self.info_issue(unit_code_key, "unit-unknown", scheme=scheme)
                else:
                    unit.code, unit.name = au.code, au.name
                    if province is not None and au.province_code != province.code:
                        self.info_issue(unit_code_key, "unit-outside-province", value=au.code,
                                        province=province.name)
                    if admin_level != "Tỉnh":
                        self._check_name({"ma_xa": "ten_xa", "ma_huyen": "ten_huyen"}[unit_code_key], au)
        elif level in ("Trường", "Cơ quan"):
            name = values.get("ten_don_vi")
            if name is None:
                self.info_issue("ten_don_vi", "info-missing")
            unit.name = name if isinstance(name, str) else None
            code = values.get("ma_don_vi")
            unit.code = str(code).strip() if code is not None else None
            if unit.code is None:  # a consolidation needs a stable code to know the unit
                self.info_issue("ma_don_vi", "info-missing")
        self.ctx.scheme = scheme
        return unit

    def _has_issue_at(self, key: str) -> bool:
        row, _ = self.info.locate(key)
        return row is not None and any(i.row == row and i.sheet == self.info.sheet for i in self.issues)

    def _check_name(self, key: str, unit: adminunits.AdminUnit) -> None:
        given = self.info.values.get(key)
        if not isinstance(given, str) or not given.strip():
            return
        if _name_fold(given) not in (_name_fold(unit.name), _name_fold(unit.short_name)):
            self.info_issue(key, "unit-name-mismatch", unit_code=unit.code, expected=unit.name)

    def check_period(self) -> Period | None:
        values = self.info.values
        if self.info.sheet is None:
            return None
        label = values.get("ky_bao_cao")
        period = None
        if label is not None:
            period = parse_period(str(label))
            if period is None:
                self.info_issue("ky_bao_cao", "period-invalid")
        start, end = values.get("tu_ngay"), values.get("den_ngay")
        if isinstance(start, date) and isinstance(end, date):
            if start > end:
                self.info_issue("tu_ngay", "period-range-invalid", value=start, start=start, end=end)
                return None
            if period is None and label is None:
                period = Period(f"{start.isoformat()}..{end.isoformat()}", start, end)
            elif period is not None and (period.start, period.end) != (start, end):
                self.info_issue("tu_ngay", "period-dates-mismatch", value=start, start=start, end=end,
                                label=period.label, expected=f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}")
                period = Period(period.label, start, end)
        report_date = self.ctx.report_date
        if report_date is None:
            if "ngay_lap" not in self.info.raw or not self._has_issue_at("ngay_lap"):
                self.info_issue("ngay_lap", "report-date-missing")
        elif period is not None and report_date < period.start:
            self.info_issue("ngay_lap", "report-date-early", value=report_date, start=period.start)
            self.ctx.report_date = None  # a wrong report date must not flag every row
        return period

    def targets(self) -> indicators.Targets:
        v = self.info.values
        new = v.get("chi_tieu_dia_chi_moi")
        if new is None and isinstance(v.get("phan_loai_xa"), str):
            new = codes.NEW_ADDRESS_TARGET.get(v["phan_loai_xa"])  # type: ignore[arg-type]
        return indicators.Targets(heads=v.get("so_nguoi_dung_dau"), new_addresses=new,  # type: ignore[arg-type]
                                  value=v.get("chi_tieu_gia_tri"))  # type: ignore[arg-type]

    def check_missing_sheets(self) -> None:
        solieu = self.tables[standard.SO_LIEU.name]
        # a unit that keeps no register sends SoLieu alone; one with addresses has a register
        aggregate_only = (solieu.sheet is not None and bool(solieu.records)
                          and not self.tables[standard.DIA_CHI.name].records)
        for spec in standard.TABLES:
            if self.tables[spec.name].sheet is None:
                if spec is standard.DIA_CHI and not aggregate_only:
                    self.add("sheet-missing", sheet=spec.name)
                elif not aggregate_only:
                    self.add("sheet-empty-missing", sheet=spec.name)

    # -- DiaChi --------------------------------------------------------------------
    def check_addresses(self, unit: Unit) -> dict[str, int]:
        """The row rules of DiaChi; returns each address code's first record, by position.

        Each rule looks at the columns it compares; most first check at C speed whether
        any row can break it (no repeated key, no date after the report date…)."""
        table = self.tables["DiaChi"]
        col = table.column
        rows = table.records
        n = len(rows)
        by_code = _firsts(col("_addr"), lambda i, first: self.at(table, i, "ma_dia_chi", "duplicate-address-code",
                                                                  first_row=rows[first].row))
        cccds, sources = col("cccd"), col("nguon_don_vi")
        # in a consolidation (source), duplicates across units are TrungLap's
        keyed = sources.count(None) != n
        valid = [i for i, cccd in enumerate(cccds) if isinstance(cccd, str) and len(cccd) == 12]
        numbers: list[str] = list(map(cccds.__getitem__, valid))  # type: ignore[arg-type]
        keys = list(zip(map(sources.__getitem__, valid), numbers)) if keyed else numbers
        _firsts(keys, lambda i, first: self.at(table, i, "cccd", "duplicate-cccd", first_row=rows[first].row), valid)
        born = cccd_births(numbers)  # the year and gender the numbers encode
        for key, code, part, kind in (("nam_sinh", "cccd-year-mismatch", 0, int),
                                      ("gioi_tinh", "cccd-gender-mismatch", 1, str)):
            given = list(map(col(key).__getitem__, valid))
            expected = list(map(itemgetter(part), born))
            for k in compress(range(len(valid)), map(ne, given, expected)):
                if isinstance(given[k], kind):
                    self.at(table, valid[k], key, code, expected=expected[k])
        self._check_people(table, cccds, sources)
        dossiers = col("ngay_lap_ho_so")
        for key in ("ngay_phe_duyet", "ngay_inhandao"):
            code = "approval-before-dossier" if key == "ngay_phe_duyet" else "inhandao-before-dossier"
            for i in _before(col(key), dossiers, self.spans):
                self.at(table, i, key, code, dossier_date=dossiers[i])
        report_date = self.ctx.report_date
        if report_date:
            for key in ("ngay_lap_ho_so", "ngay_phe_duyet", "ngay_inhandao"):
                for i in _after(col(key), report_date, self.spans):
                    self.at(table, i, key, "date-after-report", report_date=report_date)
        unit_communes = self._unit_communes(unit)
        if unit_communes is not None:
            communes = col("ma_xa")
            outside = {c for c in set(communes) if isinstance(c, str) and c not in unit_communes}
            if outside:
                for i, c in enumerate(communes):
                    if c in outside:
                        self.at(table, i, "ma_xa", "commune-outside-unit", unit=f"{unit.code} {unit.name}")
        return by_code

    def _check_people(self, table: TableRead, cccds: Sequence[object], sources: Sequence[object]) -> None:
        """The same person twice: same name key, birth year and village (and, in a
        consolidation, unit), unless their CCCD numbers say otherwise.

        Only the rows whose name skeleton (:func:`_name_skeleton`, the same for equal name
        keys), birth year, village and unit are another row's too are keyed."""
        col = table.column
        rows = table.records
        names, years, thons = col("ho_ten"), col("nam_sinh"), col("thon")
        n = len(names)
        folded = {t: fold(t) for t in set(thons) if isinstance(t, str)}
        skeletons = {v: _name_skeleton(v) for v in set(names) if isinstance(v, str)}
        parts = [map(skeletons.get, names, repeat("\x00")), map(str, years), map(folded.get, thons, repeat("\x00"))]
        if sources.count(None) != n:
            parts.append(map(str, sources))
        keys = list(map("\x1f".join, zip(*parts)))  # type: ignore[arg-type]
        if len(set(keys)) == n:
            return
        counts = Counter(keys)
        by_person: dict[tuple[object, object, object, str], int] = {}
        for i in [i for i, key in enumerate(keys) if counts[key] > 1]:
            name, year, thon = names[i], years[i], thons[i]
            if not (isinstance(name, str) and year and isinstance(thon, str)):
                continue
            name = name_key(name)
            if not name:
                continue
            first = by_person.setdefault((sources[i], name, year, folded[thon]), i)
            if first != i:
                cccd, other = cccds[i], cccds[first]
                distinct_ids = isinstance(cccd, str) and isinstance(other, str) and cccd != other
                if not distinct_ids and not (isinstance(cccd, str) and cccd == other):
                    self.at(table, i, "ho_ten", "duplicate-person", first_row=rows[first].row)

    def _unit_communes(self, unit: Unit) -> set[str] | None:
        if unit.code is None or unit.level not in ("Xã", "Huyện", "Tỉnh"):
            return None
        if unit.level == "Xã":
            return {unit.code}
        return {u.code for u in adminunits.communes_of(unit.code, unit.scheme)}

    # -- DangKy ----------------------------------------------------------------------
    @property
    def address_sheet(self) -> str:
        return self.tables["DiaChi"].sheet or "DiaChi"

    @property
    def addresses_known(self) -> bool:
        """References can be checked only when the DiaChi sheet could be read."""
        return self.tables["DiaChi"].readable

    def check_registrations(self, addresses: dict[str, int]) -> None:
        table = self.tables["DangKy"]
        col = table.column
        if self.addresses_known:
            sources = col("nguon_don_vi")
            for i in _unknown(col("_addr"), addresses):
                # A consolidation keeps a registration whose address a lower level excluded
                # (it still counts, SPEC §4): that level checked the reference already.
                if not sources[i]:
                    self.at(table, i, "ma_dia_chi", "address-unknown", address_sheet=self.address_sheet)
        report_date = self.ctx.report_date
        if report_date:
            for i in _after(col("ngay_dang_ky"), report_date, self.spans):
                self.at(table, i, "ngay_dang_ky", "date-after-report", report_date=report_date)

    # -- TroGiup ---------------------------------------------------------------------
    def check_events(self, addresses: dict[str, int]) -> None:
        table = self.tables["TroGiup"]
        col = table.column
        rows = table.records
        n = len(rows)
        addrs = col("_addr")
        if self.addresses_known:
            for i in _unknown(addrs, addresses):
                self.at(table, i, "ma_dia_chi", "address-unknown", address_sheet=self.address_sheet)
        programmes = col("ten_chuong_trinh")
        for i in compress(range(n), map(eq, col("nguon"), repeat(codes.OTHER_PROGRAMME))):
            if not programmes[i]:
                self.at(table, i, "ten_chuong_trinh", "other-programme-missing", value="")
        days = col("ngay")
        report_date = self.ctx.report_date
        if report_date:
            for i in _after(days, report_date, self.spans):
                self.at(table, i, "ngay", "date-after-report", report_date=report_date)
        dossiers = self.tables["DiaChi"].column("ngay_lap_ho_so")
        dossier_of = dict(zip(addresses, map(dossiers.__getitem__, addresses.values())))
        event_dossiers = list(map(dossier_of.get, addrs))
        for i in _before(days, event_dossiers, self.spans):
            self.at(table, i, "ngay", "event-before-dossier", dossier_date=event_dossiers[i])
        # The same event twice (its voucher is then not looked at), the same voucher twice.
        amounts, kinds, vouchers, units = col("gia_tri"), col("hinh_thuc"), col("so_chung_tu"), col("nguon_don_vi")
        repeated: set[int] = set()
        if len(set(map(hash, zip(addrs, days, kinds, amounts)))) != n:  # equal events hash alike
            seen: dict[tuple[object, ...], int] = {}
            for i, (addr, d, kind, amount) in enumerate(zip(addrs, days, kinds, amounts)):  # addr includes the unit
                if addr and d is not None and amount is not None:
                    first = seen.setdefault((addr, d, kind, amount), i)
                    if first != i:
                        self.at(table, i, "ma_dia_chi", "duplicate-event", first_row=rows[first].row)
                        repeated.add(i)
        numbered = list(compress(range(n), map(is_not, vouchers, repeat(None))))
        if repeated:
            numbered = [i for i in numbered if i not in repeated]
        texts = list(map(vouchers.__getitem__, numbered))
        if set(map(type, texts)) <= {str}:
            numbers = list(map(str.upper, map("".join, map(str.split, texts))))  # type: ignore[arg-type]
        else:
            numbers = ["".join(v.split()).upper() if isinstance(v, str) else "" for v in texts]
        if "" in numbers:  # blank vouchers are not compared
            numbered, numbers = [i for i, v in zip(numbered, numbers) if v], [v for v in numbers if v]
        keys = list(zip(map(units.__getitem__, numbered), numbers)) if units.count(None) != n else numbers
        _firsts(keys, lambda i, first: self.at(table, i, "so_chung_tu", "duplicate-voucher",  # vouchers are per unit
                                               first_row=rows[first].row), numbered)
        # Events pointing at an address with errors are not counted (SPEC §4): say so,
        # once the address's own issues are known.
        records = self.tables["DiaChi"].records
        with_errors = set(compress(range(len(records)), map(attrgetter("errors"), records)))
        failed = {a: records[t] for a, t in addresses.items() if t in with_errors} if with_errors else {}
        if failed:
            for i, addr in enumerate(addrs):
                target = failed.get(addr) if addr else None  # type: ignore[arg-type]
                if target is not None:
                    self.at(table, i, "ma_dia_chi", "address-has-errors", target_row=target.row,
                            address_sheet=self.address_sheet)

    # -- SoLieu ----------------------------------------------------------------------
    def check_solieu(self, report: Report) -> None:
        table = self.tables[standard.SO_LIEU.name]
        if table.sheet is None:
            return
        register_kept = any(self.tables[t.name].records for t in standard.TABLES)
        for i, (code, value) in enumerate(zip(table.column("ma_chi_so"), table.column("gia_tri"))):
            if not isinstance(code, str):
                continue
            code = code.strip()
            if code not in indicators.BY_CODE:
                self.at(table, i, "ma_chi_so", "indicator-unknown")
                continue
            if value is None:
                continue
            report.stated[code] = value
            if not register_kept or report.figures is None:
                continue
            expected = report.figures.get(code)
            if not _same_figure(value, expected):
                self.at(table, i, "gia_tri", "solieu-mismatch", indicator=indicators.BY_CODE[code].label,
                        expected=_figure_text(expected))


def _firsts(keys: Sequence[object], repeated: Callable[[int, int], None],
            positions: Sequence[int] | None = None) -> dict[str, int]:
    """Each non-empty key's first position; ``repeated(i, first)`` for each later one.
    ``positions``: the record of each key (default: the key's own index)."""
    firsts: dict[object, int] = {}
    where = range(len(keys)) if positions is None else positions
    at = list(map(firsts.setdefault, keys, where))
    if len(firsts) != len(keys):  # some key repeats
        for i, key, first in zip(where, keys, at):
            if key and first != i:
                repeated(i, first)
    firsts.pop(None, None)
    firsts.pop("", None)
    return firsts  # type: ignore[return-value]


_LATEST, _EARLIEST = {None: date.max}, {None: date.min}
#: Letters that are Vietnamese consonants in ASCII (đ is not).
_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_NOT_CONSONANT = bytes(c for c in range(128) if chr(c) not in _CONSONANTS)
#: A character beyond plain Vietnamese names: ASCII, the Vietnamese vowels with their
#: marks and tones (precomposed, or combining marks), đ.
_BEYOND_VIETNAMESE = re.compile(
    "[^\x00-\x7fàáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9"
    "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b]")
_CONSONANT_RUNS = re.compile(f"[^{_CONSONANTS}]+")


def _name_skeleton(name: str) -> str:
    """The ASCII consonants of a name, in order: equal name keys (:func:`name_key`)
    have equal skeletons, so names with different skeletons are different people.

    For a name of plain Vietnamese letters they are its lower-case ASCII consonants
    (vowels, marks and tones differ only in what :func:`name_key` keeps of vowels);
    for any other name they are taken from its name key itself."""
    lower = name.lower()
    if _BEYOND_VIETNAMESE.search(lower) is None:
        return lower.encode("ascii", "ignore").translate(None, _NOT_CONSONANT).decode("ascii")
    return _CONSONANT_RUNS.sub("", unicodedata.normalize("NFD", name_key(name)))


Span = tuple[date | None, date | None, bool]


def _span(values: Sequence[object]) -> Span | None:
    """The earliest and latest date of a column of dates and Nones, and whether it has
    Nones (None when it holds anything else)."""
    present = list(filter(None, values))
    missing = len(values) - len(present)
    if (missing and values.count(None) != missing) or not set(map(type, present)) <= {date}:
        return None
    return (min(present), max(present), missing > 0) if present else (None, None, missing > 0)  # type: ignore[return-value]


class _Spans:
    """:func:`_span` of each column a validation compares, found once."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Sequence[object], Span | None]] = {}

    def __call__(self, values: Sequence[object]) -> Span | None:
        hit = self._seen.get(id(values))
        if hit is None or hit[0] is not values:
            hit = self._seen[id(values)] = (values, _span(values))
        return hit[1]


def _after(values: Sequence[object], limit: date, span: Callable[[Sequence[object]], Span | None] = _span
           ) -> list[int]:
    """Positions of the dates after ``limit``."""
    dates = span(values)
    if dates is not None and (dates[1] is None or dates[1] <= limit):
        return []
    return [i for i, d in enumerate(values) if isinstance(d, date) and d > limit]  # type: ignore[operator]


def _before(values: Sequence[object], limits: Sequence[object],
            span: Callable[[Sequence[object]], Span | None] = _span) -> list[int]:
    """Positions of the dates before the date at the same position of ``limits``."""
    dates, bounds = span(values), span(limits)
    if dates is None or bounds is None:
        return [i for i, (d, limit) in enumerate(zip(values, limits))
                if isinstance(d, date) and isinstance(limit, date) and d < limit]
    if dates[0] is None or bounds[1] is None or dates[0] >= bounds[1]:
        return []
    if dates[2] or bounds[2]:  # a missing date is never before, nor after, anything
        values, limits = list(map(_LATEST.get, values, values)), list(map(_EARLIEST.get, limits, limits))
    return list(compress(range(len(values)), map(lt, values, limits)))


def _unknown(addrs: Sequence[object], addresses: dict[str, int]) -> list[int]:
    """Positions of the address codes that are not in ``addresses``."""
    if set(addrs).difference(addresses) <= {None, ""}:
        return []
    return [i for i, addr in enumerate(addrs) if addr and addr not in addresses]


def figures_of(report: Report) -> dict[str, object]:
    """Indicators of one workbook's own register, counting only rows without errors."""
    assert report.period is not None
    addresses = [r.values for r in report.records("DiaChi") if r.valid]
    valid_addr = {a["_addr"] for a in addresses}
    events = [r.values for r in report.records("TroGiup") if r.valid and r.values.get("_addr") in valid_addr]
    registrations = [r.values for r in report.records("DangKy") if r.valid]
    return indicators.compute(addresses, registrations, events, report.period, report.targets)


def _same_figure(stated: object, computed: object) -> bool:
    if computed is None:
        return stated is None
    if isinstance(computed, bool) or isinstance(stated, bool):
        return bool(stated) == bool(computed) and isinstance(stated, bool) == isinstance(computed, bool)
    if isinstance(stated, (int, float)) and isinstance(computed, (int, float)):
        return abs(stated - computed) < 0.05
    return False


def _figure_text(v: object) -> object:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "Đạt" if v else "Không đạt"
    return v


_UNIT_PREFIXES = ("thanh pho ", "tinh ", "huyen ", "quan ", "thi xa ", "thi tran ", "phuong ", "xa ", "dac khu ")


def _name_fold(name: str) -> str:
    f = fold(name)
    for p in _UNIT_PREFIXES:
        if f.startswith(p):
            f = f[len(p):]
            break
    return f.replace(" ", "")

