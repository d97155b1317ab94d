"""The submission policy (SPEC §5.3): the parent unit, units expected, and each
submission accepted, superseded or rejected, and late."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ..errors import RunError
from ..vn import adminunits
from ..vn.periods import QUARTER_DEADLINE_DAYS, Period
from .model import Reason, Submission


# -- policy ----------------------------------------------------------------------------
def parent_of(codes: Iterable[str], scheme: str) -> adminunits.AdminUnit | None:
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


