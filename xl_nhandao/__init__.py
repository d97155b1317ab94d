"""xl_nhandao: Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo — kiểm tra, tổng hợp, báo cáo.

The public Python API (SPEC §7): the same functions the command line and the Excel
ribbon call. Importing this module is fast and imports nothing heavy; each function
imports what it needs when called (pandas only when a frame is asked for)::

    import xl_nhandao as nd
    rep = nd.validate("22453.xlsx")          # Report: .valid, .issues, .to_frame()
    res = nd.consolidate(["nop/"], period="2026-H1", expect="children:56")
    res.totals["gia_tri_tro_giup"]; res.frames(); res.save("tong-hop.xlsx")

Run failures raise :class:`RunError` (or one of its subclasses), each with the
Vietnamese and English one-line message the command line prints; problems in the data
are in the result, never raised.

The subpackages are the architecture, lowest first: ``vn`` (Vietnamese text, values,
administrative units, periods) → ``workbook`` (the standard, sources, reader, writers) →
``validate`` → ``consolidate`` → ``demo``; ``cli`` and ``render`` sit on top and use
only this module.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable
from datetime import date
from os import PathLike
from typing import TYPE_CHECKING

from .errors import InputError, OutputError, RunError, UsageError

if TYPE_CHECKING:
    from .consolidate import Consolidation
    from .demo.run import DemoResult
    from .i18n import Lang
    from .validate import Report
    from .workbook.blank import NewWorkbook

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "OutputError",
    "RunError",
    "UsageError",
    "__version__",
    "annotate",
    "consolidate",
    "demo",
    "indicator_label",
    "new_workbook",
    "validate",
]

StrPath = str | PathLike[str]


def validate(path: StrPath, *, annotate: StrPath | None = None, force: bool = False, lang: Lang = "vi",
             today: date | None = None) -> Report:
    """Check one workbook (SPEC §5.2): structure, every cell, references between sheets,
    duplicates, SoLieu. Raises :class:`RunError` only when the file cannot be read.

    With ``annotate``, also write the marked copy there (``validate --annotate``): the
    output is checked before anything is read; ``report.notices`` then names what the copy
    could not keep of the original."""
    from pathlib import Path

    from .validate import validate_file

    if annotate is None:
        return validate_file(Path(path), today)
    from .workbook.annotate import COMMAND, annotate_file
    from .workbook.output import check_output

    src, out = Path(path), Path(annotate)
    check_output(out, [src], force=force, command=COMMAND)
    report = validate_file(src, today)
    report.notices = annotate_file(src, report.issues, out, lang, force=force)
    return report


def annotate(path: StrPath, output: StrPath, *, report: Report | None = None, lang: Lang = "vi",
             force: bool = False, today: date | None = None) -> list[str]:
    """Write a copy of ``path`` with offending cells coloured and commented and a ``Loi``
    sheet (``validate --annotate``); returns notices about features the copy cannot keep."""
    from pathlib import Path

    from .workbook.annotate import COMMAND, annotate_file
    from .workbook.output import check_output

    src, out = Path(path), Path(output)
    check_output(out, [src], force=force, command=COMMAND)  # before validating, not after
    if report is None:
        report = validate(src, today=today)
    return annotate_file(src, report.issues, out, lang, force=force)


def consolidate(inputs: StrPath | Iterable[StrPath], *, period: str | None = None, expect: str | None = None,
                unit: str | None = None, output: StrPath | None = None, force: bool = False,
                today: date | None = None, quarter_days: int | None = None,
                progress: Callable[[int, int, str], None] | None = None,
                preparer: str | None = None) -> Consolidation:
    """Merge unit submissions (files and folders) into the parent's totals (SPEC §5.3).
    With ``output``, the output file is checked before anything is read and written at
    the end (the same as ``res.save(output)``). ``preparer`` is who prepared it (the
    output's ThongTin "Người lập"; default: the tool's name)."""
    from pathlib import Path

    from .consolidate import consolidate as run
    from .consolidate.writer import COMMAND
    from .vn.periods import QUARTER_DEADLINE_DAYS
    from .workbook.output import check_output

    paths = [Path(inputs)] if isinstance(inputs, (str, PathLike)) else [Path(p) for p in inputs]
    out = Path(output) if output is not None else None
    if out is not None:
        check_output(out, [p for p in paths if p.is_file()], force=force, command=COMMAND)
    result = run(paths, period, expect, unit, today=today,
                 quarter_days=QUARTER_DEADLINE_DAYS if quarter_days is None else quarter_days,
                 exclude=[out] if out is not None else (), progress=progress,
                 preparer=(" ".join(preparer.split()) or None) if preparer else None)
    if out is not None:
        result.save(out, force=True)  # already checked, before the run
    return result


def new_workbook(output: StrPath, unit: str | None = None, *, scheme: str = "2025", period: str | None = None,
                 force: bool = False, today: date | None = None) -> NewWorkbook:
    """Write the blank standard workbook XLND-1 (SPEC §5.1), for a unit when ``unit``
    (a province, district or commune code) is given, names filled in from the code lists.
    Without ``period``, a unit's workbook is for the current campaign year — between 25/11
    and 30/11 (the annual report's deadline), the year just ended; the result says which
    (``.period``, ``.period_defaulted``). An existing ``output`` is replaced only when it
    is an unedited earlier blank workbook, or with ``force``."""
    from pathlib import Path

    from .workbook.blank import create

    return create(Path(output), unit, scheme, period, force=force, today=today)


def demo(folder: StrPath = "xl-nhandao-demo", *, today: date | None = None) -> DemoResult:
    """Build the demo province in ``folder`` and run it end to end (SPEC §5.6). The folder
    must be new, empty, or an earlier demo's with its files unchanged (the demo never
    deletes or replaces a file it did not write)."""
    from pathlib import Path

    from .demo.run import run_demo

    return run_demo(Path(folder), today)


def indicator_label(code: str, lang: Lang = "vi") -> str:
    """The name of an indicator (SPEC §4) as reports show it, e.g. ``gia_tri_tro_giup`` →
    ``Tổng giá trị trợ giúp (đồng)``; an unknown code is returned as it is."""
    from .workbook.indicators import BY_CODE

    ind = BY_CODE.get(code)
    if ind is None:
        return code
    return ind.label if lang == "vi" else ind.label_en


class _Package(types.ModuleType):
    """``nd.validate`` and ``nd.consolidate`` are functions, and ``xl_nhandao.validate`` and
    ``xl_nhandao.consolidate`` are also subpackages: importing a subpackage would rebind the
    package attribute to the module. The subpackages stay reachable through imports
    (``sys.modules``); the attribute stays the function."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _FUNCTIONS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


_FUNCTIONS = frozenset(("validate", "consolidate", "demo", "annotate", "new_workbook", "indicator_label"))
sys.modules[__name__].__class__ = _Package
