"""Consolidation of submitted workbooks into a parent's totals (SPEC §4, §5.3).

:func:`consolidate` is the one library call behind ``xl-nhandao consolidate`` and the
ribbon's "Tổng hợp thư mục". It reads every input (files and folders), applies the
submission policy (rejected, superseded, late, missing, covered twice), merges the rows
of the accepted submissions, removes people registered by two units (same valid CCCD)
from the address counts, computes each unit's indicators and the parent's from the merged
rows, and accounts for every row read: counted, or excluded with a reason. Writing the
output workbook is :mod:`.writer`'s job.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from ..errors import RunError
from ..i18n import Lang
from ..issues import Issue
from ..vn import adminunits
from ..vn.periods import QUARTER_DEADLINE_DAYS, Period, parse_period
from ..workbook import indicators
from ..workbook.indicators import INDICATORS, Targets
from ..workbook.reader import Record
from .inputs import collect_inputs, read_submissions
from .messages import Messages
from .model import (
    ADDITIVE,
    REGISTER_SHEETS,
    Decided,
    DuplicatePair,
    Exclusion,
    MergedRow,
    Reason,
    Submission,
    UnitFigures,
)
from .policy import apply_policy, expected_units, parent_of
from .result import Consolidation
from .speed import no_cyclic_gc


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
    preparer: str | None = None,
    decided: Decided | None = None,
) -> Consolidation:
    """Read every input and merge it; ``progress(done, total, name)`` is called after
    each file. ``preparer``: who prepared the consolidation (ThongTin's "Người lập");
    ``decided``: the coordinator's overlap decisions to apply."""
    today = today or date.today()
    inputs = list(inputs)
    for p in inputs:
        if not p.exists():
            raise RunError("file-not-found", path=str(p))
    files = collect_inputs(inputs, exclude)
    if not files:
        raise RunError("no-inputs", paths=", ".join(f"“{p}”" for p in inputs))
    subs: list[Submission] = []
    with no_cyclic_gc():
        for done, (path, name) in enumerate(files, start=1):
            subs.extend(read_submissions(path, name, today))
            if progress:
                progress(done, len(files), name)
        return merge(subs, period_label, expect, parent_code, today, quarter_days, preparer=preparer,
                     decided=decided)


def merge(subs: list[Submission], period_label: str | None = None, expect: str | None = None,
          parent_code: str | None = None, today: date | None = None,
          quarter_days: int = QUARTER_DEADLINE_DAYS, preparer: str | None = None,
          decided: Decided | None = None) -> Consolidation:
    today = today or date.today()
    # The period: as asked, else the one most submissions report.
    if period_label:
        period = parse_period(period_label)
        if period is None:
            raise RunError("period-invalid", value=period_label)
    else:
        labels = Counter(s.period.label for s in subs if s.period is not None and s.status != "rejected")
        if not labels:
            _no_period(subs)
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
        parent = parent_of(codes, scheme)
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
    messages = Messages()
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
                        "messages": " ".join(f"{i.cell}: {messages.message(i, 'vi')}" for i in found),
                        "messages_en": " ".join(f"{i.cell}: {messages.message(i, 'en')}" for i in found),
                        "codes": ", ".join(dict.fromkeys(i.code for i in found))})))
                    continue
                if t == "DiaChi" and key:
                    valid_addresses.add(key)
                if t == "TroGiup" and key not in valid_addresses:
                    # DiaChi is merged first, so the unit's valid addresses are known here.
                    reason = "address-errors" if rec.values.get("_addr") in all_addresses else "address-missing"
                    excluded.append(Exclusion(t, unit, s.file, sheet, rec.row, Reason(reason, {"address": code})))
                    continue
                if key is not None and rec.values.get("_addr") != key:
                    # a merged row's address key is unique across units (the indicators
                    # count distinct addresses by it); set once, not copied per figure
                    rec.values["_addr"] = key
                merged[t].append(MergedRow(t, unit, rec.values, s.file, sheet, rec.row, key))
    if decided is not None and decided.twice:
        _leave_out_counted_twice(merged, excluded, decided)
    counted = {t: len(merged[t]) for t in REGISTER_SHEETS}
    same_decided = decided.same if decided is not None else []

    # People registered by two units: same valid CCCD, or decided the same person by the
    # coordinator → one person (counted once).
    canonical, same = _same_person(merged["DiaChi"], same_decided)
    duplicates = [DuplicatePair("match", a, b, basis) for a, b, basis in same if a.unit != b.unit]
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
            rows_by_unit[row.unit][t].append(row.values)
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
    totals = _figures_from(merged, set(units), units, period, targets, same_decided)
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
                                       _figures_from(merged, members, units, period, d_targets, same_decided),
                                       d_targets)
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
                         today, districts, preparer=preparer)


def _no_period(subs: list[Submission]) -> None:
    """No submission gives the period to consolidate: say why, truly. Either some files
    were read but none states its period (then --period helps), or every file was
    rejected (then the first one's reason is the example)."""
    readable = [s for s in subs if s.status != "rejected"]
    if readable:
        raise RunError("no-period", count=len(subs), file=readable[0].file)
    first = next((s for s in subs if s.reason is not None), subs[0] if subs else None)

    def example(lang: Lang) -> str:
        if first is None:
            return "?"
        reason = first.reason.text(lang) if first.reason else ("bị từ chối" if lang == "vi" else "rejected")
        return f"{first.file}: {reason}"

    raise RunError("no-submissions", count=len(subs), example=example("vi"), example_en=example("en"))


def _same_person(rows: list[MergedRow], decided: Iterable[tuple[str, str]] = ()
                 ) -> tuple[dict[str, str], list[tuple[MergedRow, MergedRow, str]]]:
    """Rows of one person (same valid CCCD, or two addresses the coordinator decided are
    one person): each later row's address key → the key of the row with the earliest
    dossier (the one counted), and the pairs found with their basis."""
    ordered = sorted(rows, key=lambda r: (r.values.get("ngay_lap_ho_so") or date.max, r.unit, r.file, r.row))
    rank = {r.key: i for i, r in enumerate(ordered) if r.key is not None}
    by_key = {r.key: r for r in ordered if r.key is not None}
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.get(k, k) != k:
            parent[k] = parent.get(parent[k], parent[k])
            k = parent[k]
        return k

    def join(a: str, b: str) -> bool:
        ra, rb = root(a), root(b)
        if ra == rb:
            return False
        first, later = (ra, rb) if rank[ra] <= rank[rb] else (rb, ra)
        parent[later] = first
        return True

    pairs: list[tuple[MergedRow, MergedRow, str]] = []
    first_of: dict[str, MergedRow] = {}
    for row in ordered:
        cccd = row.values.get("cccd")
        if isinstance(cccd, str) and len(cccd) == 12 and row.key is not None:
            first = first_of.setdefault(cccd, row)
            if first is not row and join(first.key, row.key):  # type: ignore[arg-type]
                pairs.append((first, row, "cccd"))
    for a, b in decided:
        if a in by_key and b in by_key and join(a, b):
            x, y = sorted((by_key[a], by_key[b]), key=lambda r: rank[r.key])  # type: ignore[index]
            pairs.append((x, y, "decision"))
    canonical = {k: root(k) for k in by_key if root(k) != k}
    return canonical, pairs


def _leave_out_counted_twice(merged: dict[str, list[MergedRow]], excluded: list[Exclusion], decided: Decided) -> None:
    """Support events the review lists as counted in another programme (and not decided
    ``Không trùng``) are not counted: each moves to the excluded rows with its reason."""
    key = decided.event_key
    kept: list[MergedRow] = []
    for row in merged["TroGiup"]:
        v = row.values
        hit = decided.twice.get(key(row.key or "", v.get("ngay"), v.get("gia_tri"), v.get("so_chung_tu")))
        if hit is None:
            kept.append(row)
            continue
        programme, where = hit
        excluded.append(Exclusion("TroGiup", row.unit, row.file, row.source_sheet, row.row, Reason(
            "counted-twice", {"programme": programme, "where": where, "file": decided.file})))
    merged["TroGiup"] = kept


def _figures_from(merged: dict[str, list[MergedRow]], members: set[str], units: dict[str, UnitFigures],
                  period: Period, targets: Targets, decided: Iterable[tuple[str, str]] = ()) -> dict[str, object]:
    """Indicators of a group of units from their merged rows: a person registered by
    two of them (same valid CCCD) counts once; events and values add up; units that
    sent only figures add them as given."""
    canonical, _ = _same_person([r for r in merged["DiaChi"] if r.unit in members], decided)
    addresses = [r.values for r in merged["DiaChi"] if r.unit in members and r.key not in canonical]
    # an event of a person registered twice counts for the address counted
    events = [r.values if r.key not in canonical else dict(r.values, _addr=canonical[r.key])  # type: ignore[index]
              for r in merged["TroGiup"] if r.unit in members]
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
