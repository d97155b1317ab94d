"""Reporting periods of the campaign (SPEC §1, §5.3).

The campaign year ``Y`` runs from 25 November of ``Y-1`` to 24 November of ``Y``.
Labels: ``2024`` (the year), ``2024-H1`` (25/11/2023–24/05/2024), ``2024-H2``
(25/05–24/11/2024), ``2024-Q1`` … ``2024-Q4`` (quarters of three months each, starting
on the 25th: Q1 25/11–24/02, Q2 25/02–24/05, Q3 25/05–24/08, Q4 25/08–24/11).
A free range ``2024-01-01..2024-03-31`` is accepted for ad-hoc reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_LABEL = re.compile(r"^\s*(\d{4})(?:\s*[-_/ ]\s*(H[12]|Q[1-4]|6T|6 THÁNG|NAM|NĂM))?\s*$", re.I)
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*$")

#: Default deadlines (SPEC §1): 6-month report due 30 May, annual report 30 November;
#: quarterly reports 5 days after the quarter ends unless configured otherwise.
QUARTER_DEADLINE_DAYS = 5


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    @property
    def kind(self) -> str:
        if "-H" in self.label:
            return "half"
        if "-Q" in self.label:
            return "quarter"
        if ".." in self.label:
            return "range"
        return "year"

    def deadline(self, quarter_days: int = QUARTER_DEADLINE_DAYS) -> date:
        """The date a report on this period is due."""
        kind = self.kind
        if kind == "year":
            return date(self.end.year, 11, 30)
        if kind == "half" and self.label.endswith("H1"):
            return date(self.end.year, 5, 30)
        if kind == "half":
            return date(self.end.year, 11, 30)
        return self.end + timedelta(days=quarter_days)

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _shift_25th(year: int, month: int) -> date:
    """The 25th of ``month`` counted from November of ``year - 1`` (month 0)."""
    m = 11 + month
    y = year - 1 + (m - 1) // 12
    return date(y, (m - 1) % 12 + 1, 25)


def parse_period(label: str) -> Period | None:
    """The period a label names, or None when the label is not understood."""
    if not isinstance(label, str):
        label = str(label)
    m = _RANGE.match(label)
    if m:
        try:
            start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        except ValueError:
            return None
        return Period(f"{start.isoformat()}..{end.isoformat()}", start, end) if start <= end else None
    m = _LABEL.match(label)
    if not m:
        return None
    year = int(m.group(1))
    if not 2000 <= year <= 2200:
        return None
    part = (m.group(2) or "").upper().replace(" ", "")
    if part in ("", "NAM", "NĂM"):
        return Period(str(year), _shift_25th(year, 0), _shift_25th(year, 12) - timedelta(days=1))
    if part in ("H1", "6T", "6THÁNG"):
        return Period(f"{year}-H1", _shift_25th(year, 0), _shift_25th(year, 6) - timedelta(days=1))
    if part == "H2":
        return Period(f"{year}-H2", _shift_25th(year, 6), _shift_25th(year, 12) - timedelta(days=1))
    q = int(part[1])
    return Period(
        f"{year}-Q{q}", _shift_25th(year, 3 * (q - 1)), _shift_25th(year, 3 * q) - timedelta(days=1)
    )


def campaign_year_of(d: date) -> int:
    """The campaign year a date belongs to (25/11 starts the next year)."""
    return d.year + 1 if (d.month, d.day) >= (11, 25) else d.year


def current_year_period(today: date | None = None) -> Period:
    period = parse_period(str(campaign_year_of(today or date.today())))
    assert period is not None
    return period
