"""Consolidation of submitted workbooks into a parent's totals (SPEC §4, §5.3).

:func:`consolidate` is the one library call behind ``xl-nhandao consolidate`` and the
ribbon's "Tổng hợp thư mục". It reads every input (files and folders), applies the
submission policy (rejected, superseded, late, missing, covered twice), merges the rows
of the accepted submissions, removes people registered by two units (same valid CCCD)
from the address counts, computes each unit's indicators and the parent's from the merged
rows, and accounts for every row read: counted, or excluded with a reason. Writing the
output workbook is :mod:`xl_nhandao.consolidate_output`'s job.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import adminunits, indicators, standard
from .errors import RunError
from .i18n import Lang, render
from .indicators import INDICATORS, Targets
from .issues import Issue
from .periods import QUARTER_DEADLINE_DAYS, Period, parse_period
from .reader import Record
from .validate import Report, validate_source

#: File types a folder is searched for.
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ADDITIVE = tuple(i.code for i in INDICATORS if i.kind in ("count", "money"))
REGISTER_SHEETS = tuple(t.name for t in standard.TABLES)

# -- reasons (ledger, excluded rows), Vietnamese and English ------------------------------
_REASONS: dict[str, tuple[str, str]] = {
    "unreadable": ("{message}", "{message_en}"),
    "no-unit": ("Không xác định được đơn vị nộp (trang ThongTin thiếu mã đơn vị hoặc mã sai).",
                "The submitting unit cannot be identified (ThongTin lacks a valid unit code)."),
    "no-period": ("Không có kỳ báo cáo hợp lệ ở trang ThongTin.", "No valid reporting period on ThongTin."),
    "other-period": ("Kỳ báo cáo {label} khác kỳ tổng hợp {period}.",
                     "Period {label} differs from the consolidation period {period}."),
    "outside-parent": ("Đơn vị {unit} không thuộc {parent}.", "Unit {unit} is not part of {parent}."),
    "superseded": ("Đã có bản nộp mới hơn của đơn vị: {file} (ngày lập {date}).",
                   "A later submission of the unit exists: {file} (dated {date})."),
    "covered-twice": ("{count} dòng của đơn vị {units} đã có trong sổ riêng của đơn vị; không tính lại.",
                      "{count} rows of unit(s) {units} are already in their own submission; not counted again."),
    "row-errors": ("Dòng có lỗi: {messages}", "The row has errors: {messages_en}"),
    "address-errors": ("Địa chỉ {address} đang có lỗi; sự kiện chưa được tính.",
                       "Address {address} has errors; the event is not counted."),
    "address-missing": ("Mã địa chỉ {address} không có trong sổ của đơn vị.",
                        "Address {address} is not in the unit's register."),
    "file-superseded": ("Bản nộp đã được thay bằng bản mới hơn.", "The submission was superseded."),
    "file-rejected": ("Bản nộp bị từ chối: {reason}", "The submission was rejected: {reason}"),
    "unit-covered": ("Đơn vị đã có sổ riêng ({file}); các dòng của đơn vị trong tệp tổng hợp không tính lại.",
                     "The unit's own register ({file}) is used; its rows in the consolidation are not counted again."),
    "also-in": ("Đơn vị này cũng có trong tệp tổng hợp {file}; dùng sổ riêng này.",
                "This unit is also inside the consolidation {file}; this register of its own is used."),
}


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, object] = field(default_factory=dict, hash=False)

    def text(self, lang: Lang = "vi") -> str:
        vi, en = _REASONS[self.code]
        return render(vi if lang == "vi" else en, self.params, lang)


@dataclass
class Submission:
    """One unit's submission: a file, or one sheet of a "district sheets" workbook."""

    path: Path
    file: str
    sha256: str
    mtime: float
    kind: str = "register"  # register | aggregate | consolidation
    sheet: str | None = None
    report: Report | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    level: str | None = None
    scheme: str = "2025"
    period: Period | None = None
    report_date: date | None = None
    status: str = "accepted"
    reason: Reason | None = None
    late: bool = False
    notes: list[Reason] = field(default_factory=list)
    #: Indicator figures sent as given (SoLieu, a district sheet, or a consolidation's
    #: aggregate-only units), by unit code.
    stated: dict[str, dict[str, object]] = field(default_factory=dict)
    #: Units whose rows a consolidation input carries.
    covers: set[str] = field(default_factory=set)
    targets: Targets = field(default_factory=Targets)
    #: A consolidation input: the targets of each unit it covers.
    unit_targets: dict[str, Targets] = field(default_factory=dict)

    @property
    def rows(self) -> dict[str, int]:
        if self.report is None:
            return dict.fromkeys(REGISTER_SHEETS, 0)
        return self.report.rows

    @property
    def errors(self) -> int:
        return self.report.counts["error"] if self.report else 0

    @property
    def warnings(self) -> int:
        return self.report.counts["warning"] if self.report else 0

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        return {
            "file": self.file if self.sheet is None else f"{self.file}#{self.sheet}",
            "unit_code": self.unit_code,
            "status": self.status,
            "late": self.late,
            "rows": self.rows,
            "errors": self.errors,
            "warnings": self.warnings,
            "reason": self.reason.text(lang) if self.reason else None,
        }


@dataclass
class MergedRow:
    """A row of a merged sheet: clean values plus where it came from."""

    sheet: str
    unit: str
    values: dict[str, object]
    file: str
    source_sheet: str
    row: int
    key: str | None = None  # address key unique across units: "<unit>|<code>"


@dataclass
class Exclusion:
    sheet: str
    unit: str | None
    file: str
    source_sheet: str
    row: int
    reason: Reason


@dataclass
class DuplicatePair:
    level: str  # "match" (same valid CCCD: counted once) | "possible" (same name, year, commune)
    a: MergedRow
    b: MergedRow
    basis: str


@dataclass
class UnitFigures:
    code: str
    name: str | None
    level: str | None
    source: str  # "register" | "aggregate"
    figures: dict[str, object]
    targets: Targets
    district: str | None = None


@dataclass
class Consolidation:
    """Everything the output workbook, the JSON and the terminal summary show."""

    parent: adminunits.AdminUnit | None
    parent_code: str | None
    parent_name: str | None
    scheme: str
    period: Period
    submissions: list[Submission]
    missing: list[str]
    units: dict[str, UnitFigures]
    totals: dict[str, object]
    #: Σ of the units' own figures minus the parent's, for additive indicators: what
    #: counting a person registered by two units twice would have added.
    overlap: dict[str, object]
    merged: dict[str, list[MergedRow]]
    excluded: list[Exclusion]
    duplicates: list[DuplicatePair]
    read: dict[str, int]
    counted: dict[str, int]
    targets: Targets
    today: date
    #: 2004 scheme, province level: each district's figures from its communes' rows.
    districts: dict[str, UnitFigures] = field(default_factory=dict)

    @property
    def rows(self) -> dict[str, int]:
        read = sum(self.read.values())
        counted = sum(self.counted.values())
        return {"read": read, "counted": counted, "excluded": read - counted}

    def as_json(self, output: str, lang: Lang = "vi") -> dict[str, object]:
        """The ``--json`` document of SPEC §5.3."""
        return {
            "output": output,
            "period": self.period.as_json(),
            "submissions": [s.as_json(lang) for s in self.submissions],
            "missing_units": self.missing,
            "units": {code: u.figures for code, u in self.units.items()},
            "totals": self.totals,
            "duplicates_across_units": len(self.duplicates),
            "rows": self.rows,
        }


# -- inputs ----------------------------------------------------------------------------
def collect_inputs(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """Every workbook under ``paths`` (folders recursively), with a display name
    relative to the folder given; Excel's ``~$`` lock files and hidden files skipped."""
    skip = {p.resolve() for p in exclude}
    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES
                           and not any(part.startswith((".", "~$")) for part in q.relative_to(p).parts))
            items = [(q, str(q.relative_to(p))) for q in found]
        else:
            items = [(p, p.name)]
        for q, name in items:
            if q.name.startswith(("~$", ".")):
                continue
            r = q.resolve() if q.exists() else q
            if r in skip or r in seen:
                continue
            seen.add(r)
            out.append((q, name))
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_submissions(path: Path, name: str, today: date) -> list[Submission]:
    """The submission(s) one file holds; a file that cannot be read is one rejected
    submission with the reason."""
    from .source import FileWorkbook

    try:
        sha, mtime = _sha256(path), path.stat().st_mtime
    except OSError as exc:
        sub = Submission(path, name, "", 0.0, status="rejected")
        sub.reason = Reason("unreadable", {"message": str(exc), "message_en": str(exc)})
        return [sub]
    source = None
    try:
        source = FileWorkbook(path, legacy_formats=True)
        report = validate_source(source, today)
    except RunError as exc:
        if exc.code == "not-standard" and source is not None:
            from .aggregates import read_unit_sheets

            sheets = read_unit_sheets(source, path, name, sha, mtime)
            if sheets:
                return sheets
        sub = Submission(path, name, sha, mtime, status="rejected")
        exc.params["path"] = name  # the ledger names files as the coordinator sees them
        sub.reason = Reason("unreadable", {"message": exc.message("vi"), "message_en": exc.message("en")})
        return [sub]
    sub = Submission(path, name, sha, mtime, report=report)
    sub.unit_code, sub.unit_name, sub.level = report.unit.code, report.unit.name, report.unit.level
    sub.scheme = report.unit.scheme
    sub.period = report.period
    sub.report_date = report.report_date
    sub.targets = report.targets
    tables = report.workbook.tables
    if any("nguon_don_vi" in tables[t].columns for t in REGISTER_SHEETS):
        from .aggregates import read_consolidation_extras, read_consolidation_targets

        sub.kind = "consolidation"
        for t in REGISTER_SHEETS:
            for rec in tables[t].records:
                u = rec.values.get("nguon_don_vi")
                if u:
                    sub.covers.add(str(u))
        for code, figures in read_consolidation_extras(source).items():
            sub.stated[code] = figures
            sub.covers.add(code)
        sub.unit_targets = read_consolidation_targets(source)
    elif not any(tables[t].records for t in REGISTER_SHEETS) and report.stated:
        sub.kind = "aggregate"
        if sub.unit_code:
            sub.stated[sub.unit_code] = dict(report.stated)
    return [sub]


# -- policy ----------------------------------------------------------------------------
def _parent_of(codes: Iterable[str], scheme: str) -> adminunits.AdminUnit | None:
    """The smallest administrative unit containing every unit code given."""
    units = [adminunits.lookup(c, scheme) for c in codes]
    units = [u for u in units if u is not None]
    if not units:
        return None
    provinces = {u.province_code for u in units}
    if len(provinces) != 1:
        return None
    if scheme == "2004":
        districts = {u.district_code for u in units}
        if len(districts) == 1 and None not in districts and all(u.level != "Tỉnh" for u in units):
            return adminunits.lookup(districts.pop(), scheme, "Huyện")  # type: ignore[arg-type]
    return adminunits.lookup(provinces.pop(), scheme, "Tỉnh")


def _inside(code: str, parent: adminunits.AdminUnit | None, scheme: str) -> bool:
    if parent is None:
        return True
    if code == parent.code:
        return True
    u = adminunits.lookup(code, scheme)
    if u is None:
        return True  # a school or agency: no administrative code to check
    if parent.level == "Tỉnh":
        return u.province_code == parent.code
    if parent.level == "Huyện":
        return u.district_code == parent.code
    return False


def expected_units(spec: str | None, scheme: str) -> list[str]:
    """``--expect``: a file with one unit code per line (``#`` comments allowed), or
    ``children:CODE`` for every commune (2025) or district (2004) of a unit."""
    if not spec:
        return []
    if spec.startswith("children:"):
        code = spec.split(":", 1)[1].strip()
        unit = adminunits.lookup(code, scheme)
        if unit is None:
            raise RunError("unit-unknown", code=code, scheme=scheme)
        return [u.code for u in adminunits.children(code, scheme)]
    path = Path(spec)
    if not path.is_file():
        raise RunError("file-not-found", path=spec)
    codes: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        text = line.split("#", 1)[0].strip().split(",")[0].split(";")[0].split("\t")[0].strip()
        if text:
            codes.append(text)
    return codes


def apply_policy(subs: list[Submission], period: Period, parent: adminunits.AdminUnit | None, scheme: str,
                 quarter_days: int = QUARTER_DEADLINE_DAYS) -> None:
    """Mark each submission accepted, superseded or rejected, and late."""
    for s in subs:
        if s.status == "rejected":
            continue
        if s.unit_code is None:
            s.status, s.reason = "rejected", Reason("no-unit")
        elif s.period is None:
            s.status, s.reason = "rejected", Reason("no-period")
        elif (s.period.start, s.period.end) != (period.start, period.end):
            s.status = "rejected"
            s.reason = Reason("other-period", {"label": s.period.label, "period": period.label})
        elif not _inside(s.unit_code, parent, scheme):
            s.status = "rejected"
            s.reason = Reason("outside-parent", {"unit": s.unit_code, "parent": parent.name if parent else "?"})
    deadline = period.deadline(quarter_days)
    by_unit: dict[str, list[Submission]] = defaultdict(list)
    for s in subs:
        if s.status == "accepted":
            by_unit[s.unit_code].append(s)  # type: ignore[index]
            s.late = s.report_date is not None and s.report_date > deadline
    for group in by_unit.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda s: (s.report_date or date.min, s.mtime, s.file))
        winner = group[-1]
        for s in group[:-1]:
            s.status = "superseded"
            s.reason = Reason("superseded", {"file": winner.file, "date": winner.report_date or "?"})


# -- merging ---------------------------------------------------------------------------
def _unit_of(sub: Submission, rec: Record) -> str:
    u = rec.values.get("nguon_don_vi")
    return str(u) if u else str(sub.unit_code)


def _plain_code(rec: Record) -> str:
    addr = str(rec.values.get("_addr") or "")
    return addr.split("|", 1)[1] if "|" in addr else addr


def consolidate(
    inputs: Iterable[Path],
    period_label: str | None = None,
    expect: str | None = None,
    parent_code: str | None = None,
    today: date | None = None,
    quarter_days: int = QUARTER_DEADLINE_DAYS,
    exclude: Iterable[Path] = (),
    progress: Callable[[int, int, str], None] | None = None,
) -> Consolidation:
    """Read every input and merge it; ``progress(done, total, name)`` is called after
    each file."""
    today = today or date.today()
    inputs = list(inputs)
    for p in inputs:
        if not p.exists():
            raise RunError("file-not-found", path=str(p))
    files = collect_inputs(inputs, exclude)
    if not files:
        raise RunError("no-inputs", paths=", ".join(str(p) for p in inputs))
    subs: list[Submission] = []
    for done, (path, name) in enumerate(files, start=1):
        subs.extend(read_submissions(path, name, today))
        if progress:
            progress(done, len(files), name)
    return merge(subs, period_label, expect, parent_code, today, quarter_days)


def merge(subs: list[Submission], period_label: str | None = None, expect: str | None = None,
          parent_code: str | None = None, today: date | None = None,
          quarter_days: int = QUARTER_DEADLINE_DAYS) -> Consolidation:
    today = today or date.today()
    # The period: as asked, else the one most submissions report.
    if period_label:
        period = parse_period(period_label)
        if period is None:
            raise RunError("period-invalid", value=period_label)
    else:
        labels = Counter(s.period.label for s in subs if s.period is not None and s.status != "rejected")
        if not labels:
            first = next((s for s in subs if s.reason is not None), None)
            def example(lang: Lang) -> str:
                return f"{first.file}: {first.reason.text(lang)}" if first and first.reason else "—"

            raise RunError("no-submissions", count=len(subs), example=example("vi"), example_en=example("en"))
        period = parse_period(labels.most_common(1)[0][0])
        assert period is not None
    schemes = Counter(s.scheme for s in subs if s.status != "rejected" and s.unit_code)
    scheme = schemes.most_common(1)[0][0] if schemes else "2025"
    # The parent unit: as asked (--unit or --expect children:CODE), else the smallest
    # unit containing every submitting unit.
    if parent_code is None and expect and expect.startswith("children:"):
        parent_code = expect.split(":", 1)[1].strip()
    if parent_code:
        parent = adminunits.lookup(parent_code, scheme)
        if parent is None:
            raise RunError("unit-unknown", code=parent_code, scheme=scheme)
    else:
        codes = set()
        for s in subs:
            if s.status != "rejected" and s.unit_code and s.period and s.period.label == period.label:
                codes.add(s.unit_code)
                codes.update(s.covers)
        parent = _parent_of(codes, scheme)
    apply_policy(subs, period, parent, scheme, quarter_days)
    accepted = [s for s in subs if s.status == "accepted"]

    # A unit covered twice: its own submission wins over a consolidation carrying it.
    direct = {s.unit_code: s for s in accepted if s.kind != "consolidation"}
    dropped: dict[int, set[str]] = {}
    for s in accepted:
        if s.kind == "consolidation":
            twice = {u for u in s.covers if u in direct and u != s.unit_code}
            if twice:
                dropped[id(s)] = twice
                n = sum(1 for t in REGISTER_SHEETS for r in s.report.workbook.tables[t].records  # type: ignore[union-attr]
                        if str(r.values.get("nguon_don_vi")) in twice)
                s.notes.append(Reason("covered-twice", {"count": n, "units": ", ".join(sorted(twice))}))
                for u in sorted(twice):
                    direct[u].notes.append(Reason("also-in", {"file": s.file}))

    merged: dict[str, list[MergedRow]] = {t: [] for t in REGISTER_SHEETS}
    excluded: list[Exclusion] = []
    read = dict.fromkeys(REGISTER_SHEETS, 0)
    unit_info: dict[str, tuple[str | None, str | None, Targets]] = {}
    stated: dict[str, dict[str, object]] = {}
    for s in subs:
        if s.report is None:  # a sheet of a "district sheets" workbook, or an unreadable file
            if s.status == "accepted" and s.unit_code:
                unit_info[s.unit_code] = (s.unit_name, s.level, s.targets)
                stated.update(s.stated)
            continue
        tables = s.report.workbook.tables
        for t in REGISTER_SHEETS:
            read[t] += len(tables[t].records)
        if s.status != "accepted":
            reason = (Reason("file-superseded") if s.status == "superseded"
                      else Reason("file-rejected", {"reason": s.reason.text("vi") if s.reason else ""}))
            for t in REGISTER_SHEETS:
                sheet = tables[t].sheet or t
                excluded.extend(Exclusion(t, s.unit_code, s.file, sheet, r.row, reason) for r in tables[t].records)
            continue
        skip_units = dropped.get(id(s), set())
        if s.kind != "consolidation" and s.unit_code:
            unit_info[s.unit_code] = (s.unit_name, s.level, s.targets)
        for code, figures in s.stated.items():
            if code not in skip_units:
                stated[code] = figures
        for code, t in s.unit_targets.items():
            if code not in skip_units and code != s.unit_code:
                unit_info[code] = (None, None, t)
        issues_by_row: dict[tuple[str, int], list[Issue]] = defaultdict(list)
        for i in s.report.issues:
            if i.sheet and i.row and i.severity == "error":
                issues_by_row[(i.sheet, i.row)].append(i)
        valid_addresses: set[str] = set()
        all_addresses = {r.values.get("_addr") for r in tables["DiaChi"].records}
        for t in REGISTER_SHEETS:
            table = tables[t]
            sheet = table.sheet or t
            for rec in table.records:
                unit = _unit_of(s, rec)
                if unit in skip_units:
                    excluded.append(Exclusion(t, unit, s.file, sheet, rec.row,
                                              Reason("unit-covered", {"file": direct[unit].file})))
                    continue
                if s.kind == "consolidation" and unit not in unit_info:
                    unit_info[unit] = (None, None, Targets())
                code = _plain_code(rec)
                key = f"{unit}|{code}" if code else None
                if not rec.valid:
                    found = issues_by_row.get((sheet, rec.row), [])
                    excluded.append(Exclusion(t, unit, s.file, sheet, rec.row, Reason("row-errors", {
                        "messages": " ".join(f"{i.cell}: {i.message('vi')}" for i in found),
                        "messages_en": " ".join(f"{i.cell}: {i.message('en')}" for i in found),
                        "codes": ", ".join(dict.fromkeys(i.code for i in found))})))
                    continue
                if t == "DiaChi" and key:
                    valid_addresses.add(key)
                if t == "TroGiup" and key not in valid_addresses:
                    # DiaChi is merged first, so the unit's valid addresses are known here.
                    reason = "address-errors" if rec.values.get("_addr") in all_addresses else "address-missing"
                    excluded.append(Exclusion(t, unit, s.file, sheet, rec.row, Reason(reason, {"address": code})))
                    continue
                merged[t].append(MergedRow(t, unit, rec.values, s.file, sheet, rec.row, key))
    counted = {t: len(merged[t]) for t in REGISTER_SHEETS}

    # People registered by two units: same valid CCCD → one person (counted once).
    canonical, same = _same_person(merged["DiaChi"])
    duplicates = [DuplicatePair("match", a, b, "cccd") for a, b in same if a.unit != b.unit]
    by_person: dict[tuple[object, object, object], MergedRow] = {}
    for row in merged["DiaChi"]:
        v = row.values
        k = (v.get("ten_key"), v.get("nam_sinh"), v.get("ma_xa"))
        if not all(k):
            continue
        first = by_person.get(k)
        if first is None:
            by_person[k] = row
        elif first.unit != row.unit and canonical.get(row.key, row.key) != canonical.get(first.key, first.key):  # type: ignore[arg-type]
            a, b = first.values.get("cccd"), v.get("cccd")
            if not (isinstance(a, str) and isinstance(b, str) and len(a) == len(b) == 12 and a != b):
                duplicates.append(DuplicatePair("possible", first, row, "name-year-commune"))

    # Each unit's own figures, from its own rows.
    rows_by_unit: dict[str, dict[str, list[dict[str, object]]]] = defaultdict(lambda: defaultdict(list))
    for t in REGISTER_SHEETS:
        for row in merged[t]:
            values = dict(row.values)
            if row.key:
                values["_addr"] = row.key
            rows_by_unit[row.unit][t].append(values)
    units: dict[str, UnitFigures] = {}
    for code in sorted(set(unit_info) | set(rows_by_unit) | set(stated)):
        name, level, targets = unit_info.get(code, (None, None, Targets()))
        au = adminunits.lookup(code, scheme)
        if au is not None:
            name, level = au.name, au.level
        if code in rows_by_unit:
            data = rows_by_unit[code]
            figures = indicators.compute(data["DiaChi"], data["DangKy"], data["TroGiup"], period, targets)
            source = "register"
        else:
            figures = _as_figures(stated.get(code, {}), targets)
            source = "aggregate"
        units[code] = UnitFigures(code, name, level, source, figures, targets,
                                  au.district_code if au is not None and au.level in ("Xã", "Huyện") else None)

    # The parent, from the merged rows (a person counted once), plus what aggregate-only
    # units sent as given; in the 2004 scheme, each district the same way.
    targets = _sum_targets(u.targets for u in units.values())
    totals = _figures_from(merged, set(units), units, period, targets)
    districts: dict[str, UnitFigures] = {}
    if scheme == "2004" and parent is not None and parent.level == "Tỉnh":
        by_district: dict[str, set[str]] = defaultdict(set)
        for code, u in units.items():
            if u.district and u.level == "Xã":
                by_district[u.district].add(code)
        for d, members in sorted(by_district.items()):
            du = adminunits.lookup(d, scheme, "Huyện")
            d_targets = _sum_targets(units[c].targets for c in members)
            districts[d] = UnitFigures(d, du.name if du else None, "Huyện", "register",
                                       _figures_from(merged, members, units, period, d_targets), d_targets)
    overlap = {}
    for k in ADDITIVE:
        s_units = sum(u.figures.get(k) or 0 for u in units.values())  # type: ignore[misc]  # None: not sent
        overlap[k] = s_units - totals[k]  # type: ignore[operator]

    covered = {s.unit_code for s in accepted} | {u for s in accepted for u in s.covers}
    for code in list(covered):  # a district whose communes sent their books is not missing
        au = adminunits.lookup(code, scheme) if code else None
        if au is not None and au.district_code:
            covered.add(au.district_code)
    missing = [c for c in expected_units(expect, scheme) if c not in covered]
    parent_name = parent.name if parent else None
    return Consolidation(parent, parent.code if parent else parent_code, parent_name, scheme, period, subs,
                         missing, units, totals, overlap, merged, excluded, duplicates, read, counted, targets,
                         today, districts)


def _same_person(rows: list[MergedRow]) -> tuple[dict[str, str], list[tuple[MergedRow, MergedRow]]]:
    """Rows of one person (same valid CCCD): each later row's address key → the key of
    the row with the earliest dossier (the one counted), and the pairs found."""
    first_of: dict[str, MergedRow] = {}
    canonical: dict[str, str] = {}
    pairs: list[tuple[MergedRow, MergedRow]] = []
    for row in sorted(rows, key=lambda r: (r.values.get("ngay_lap_ho_so") or date.max, r.unit, r.file, r.row)):
        cccd = row.values.get("cccd")
        if isinstance(cccd, str) and len(cccd) == 12:
            first = first_of.setdefault(cccd, row)
            if first is not row:
                canonical[row.key] = first.key  # type: ignore[index,assignment]
                pairs.append((first, row))
    return canonical, pairs


def _figures_from(merged: dict[str, list[MergedRow]], members: set[str], units: dict[str, UnitFigures],
                  period: Period, targets: Targets) -> dict[str, object]:
    """Indicators of a group of units from their merged rows: a person registered by
    two of them (same valid CCCD) counts once; events and values add up; units that
    sent only figures add them as given."""
    canonical, _ = _same_person([r for r in merged["DiaChi"] if r.unit in members])
    addresses = [dict(r.values, _addr=r.key) for r in merged["DiaChi"] if r.unit in members and r.key not in canonical]
    events = [dict(r.values, _addr=canonical.get(r.key, r.key)) for r in merged["TroGiup"]  # type: ignore[arg-type]
              if r.unit in members]
    registrations = [r.values for r in merged["DangKy"] if r.unit in members]
    totals = indicators.compute(addresses, registrations, events, period, targets)
    for code in members:
        u = units.get(code)
        if u is not None and u.source == "aggregate":
            for k in ADDITIVE:
                v = u.figures.get(k)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    totals[k] = totals[k] + v  # type: ignore[operator]
    indicators.fill_rates(totals, targets)
    return totals


def _sum_targets(items: Iterable[Targets]) -> Targets:
    heads = new = value = None
    for t in items:
        if t.heads is not None:
            heads = (heads or 0) + t.heads
        if t.new_addresses is not None:
            new = (new or 0) + t.new_addresses
        if t.value is not None:
            value = (value or 0) + t.value
    return Targets(heads, new, value)


def _as_figures(stated: dict[str, object], targets: Targets) -> dict[str, object]:
    """Figures sent as given, in catalogue order. A count not sent stays None (unknown,
    not 0); a rate not sent is computed from what was sent and the unit's targets."""
    out: dict[str, object] = {}
    for ind in INDICATORS:
        v = stated.get(ind.code)
        if ind.kind in ("count", "money"):
            out[ind.code] = int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
        else:
            out[ind.code] = v
    indicators.fill_rates(out, targets, keep_given=True)
    return out
