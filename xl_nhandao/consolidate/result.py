"""The result of a consolidation: what the output workbook, the ``--json`` document, the
terminal summary and the pandas frames show (SPEC §5.3, §7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import Lang
from ..vn import adminunits
from ..vn.periods import Period
from ..workbook.indicators import Targets
from .frames import frames
from .model import DuplicatePair, Exclusion, MergedRow, Submission, UnitFigures
from .writer import write_consolidation

if TYPE_CHECKING:
    import pandas


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
    #: Who prepared the consolidation (ThongTin's "Người lập"); None: the tool itself.
    preparer: str | None = None

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

    def save(self, path: str | Path, force: bool = False) -> None:
        """Write the output workbook (SPEC §5.3) atomically. An existing file is replaced
        only when it is an unedited earlier consolidation, or with ``force``."""
        write_consolidation(self, Path(path), force=force)

    def frames(self) -> dict[str, pandas.DataFrame]:
        """The output workbook's sheets as pandas DataFrames, by sheet name (pandas is
        imported here, not before)."""
        return frames(self)


