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
    from pathlib import Path

    from .consolidate import Consolidation
    from .demo.run import DemoResult
    from .i18n import Lang
    from .overlap.run import Against, OverlapResult
    from .report.run import ReportResult
    from .validate import Report
    from .workbook.blank import NewWorkbook
    from .workbook.source import WorkbookSource

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
    "hash_list",
    "indicator_label",
    "new_workbook",
    "overlap",
    "parse_amount",
    "report",
    "report_fields",
    "templates",
    "validate",
    "words",
]

StrPath = str | PathLike[str]


def validate(path: StrPath | WorkbookSource, *, annotate: StrPath | None = None, force: bool = False,
             lang: Lang = "vi", today: date | None = None) -> Report:
    """Check one workbook (SPEC §5.2): structure, every cell, references between sheets,
    duplicates, SoLieu. Raises :class:`RunError` only when the file cannot be read.

    ``path`` is a file, or any workbook source — an object with ``label``,
    ``sheet_names()`` and ``read(name)`` (:class:`xl_nhandao.workbook.source.WorkbookSource`),
    such as the Excel add-in's live workbook, so that what Excel shows, unsaved edits
    included, is what is checked.

    With ``annotate`` (a file only), also write the marked copy there (``validate
    --annotate``): the output is checked before anything is read; ``report.notices`` then
    names what the copy could not keep of the original."""
    from pathlib import Path

    from .validate import validate_file

    if not isinstance(path, (str, PathLike)):
        if annotate is not None:
            raise TypeError("validate(annotate=…) needs a file, not a workbook source")
        from .validate import validate_source

        return validate_source(path, today)
    if annotate is None:
        return validate_file(Path(path), today)
    report, notices = _annotate(Path(path), Path(annotate), None, lang, force, today)
    report.notices = notices
    return report


def annotate(path: StrPath, output: StrPath, *, report: Report | None = None, lang: Lang = "vi",
             force: bool = False, today: date | None = None) -> list[str]:
    """Write a copy of ``path`` with offending cells coloured and commented and a ``Loi``
    sheet (``validate --annotate``); returns notices about features the copy cannot keep."""
    from pathlib import Path

    return _annotate(Path(path), Path(output), report, lang, force, today)[1]


def _annotate(src: Path, out: Path, report: Report | None, lang: Lang, force: bool,
              today: date | None) -> tuple[Report, list[str]]:
    """The marked copy of ``src`` written to ``out`` (``report``: ``src`` checked, when
    not given), the output checked before anything is read; the report and the notices
    about what the copy cannot keep."""
    from .validate import validate_file
    from .workbook.annotate import COMMAND, annotate_file
    from .workbook.output import check_output

    check_output(out, [src], force=force, command=COMMAND)  # before validating, not after
    if report is None:
        report = validate_file(src, today)
    return report, annotate_file(src, report.issues, out, lang, force=force)


def consolidate(inputs: StrPath | Iterable[StrPath], *, period: str | None = None, expect: str | None = None,
                unit: str | None = None, output: StrPath | None = None, force: bool = False,
                today: date | None = None, quarter_days: int | None = None,
                progress: Callable[[int, int, str], None] | None = None,
                preparer: str | None = None, decisions: StrPath | None = None) -> Consolidation:
    """Merge unit submissions (files and folders) into the parent's totals (SPEC §5.3).
    With ``output``, the output file is checked before anything is read and written at
    the end (the same as ``res.save(output)``). ``preparer`` is who prepared it (the
    output's ThongTin "Người lập"; default: the tool's name). ``decisions``: a reviewed
    overlap workbook (``overlap -o``): addresses decided ``Trùng`` count once and the
    support events it lists as counted twice leave the figures unless decided
    ``Không trùng`` (each is listed in ``LoaiTru``)."""
    from pathlib import Path

    from .consolidate import consolidate as run
    from .consolidate.writer import COMMAND
    from .vn.periods import QUARTER_DEADLINE_DAYS
    from .workbook.output import check_output

    paths = [Path(inputs)] if isinstance(inputs, (str, PathLike)) else [Path(p) for p in inputs]
    out = Path(output) if output is not None else None
    if out is not None:
        check_output(out, [p for p in paths if p.is_file()], force=force, command=COMMAND)
    decided = None
    if decisions is not None:
        from .overlap.decisions import decided_for_consolidation

        decided = decided_for_consolidation(Path(decisions))
    result = run(paths, period, expect, unit, today=today,
                 quarter_days=QUARTER_DEADLINE_DAYS if quarter_days is None else quarter_days,
                 exclude=([out] if out is not None else []) + ([Path(decisions)] if decisions else []),
                 progress=progress, preparer=(" ".join(preparer.split()) or None) if preparer else None,
                 decided=decided)
    if out is not None:
        result.save(out, force=True)  # already checked, before the run
    return result


def overlap(campaign: StrPath | Iterable[StrPath], against: Iterable[StrPath | tuple[StrPath, str] | tuple[StrPath, str, str | None]] = (),
            *, output: StrPath | None = None, decisions: StrPath | None = None, mask: bool = False,
            salt_file: StrPath | None = None,
            mapping: str | dict[str, str] | list[str | dict[str, str] | None] | None = None, period: str | None = None, force: bool = False, lang: Lang = "vi", today: date | None = None,
            progress: Callable[[int, int, str], None] | None = None) -> OverlapResult:
    """Find campaign addresses that are also in other programmes' lists, people
    registered by two units, and support counted twice (SPEC §5.4).

    ``campaign``: unit workbooks, folders or consolidations. ``against``: each list as a
    path (``"ds.xlsx"`` or ``"ds.xlsx:Sheet"``; the programme is then the file's name), a
    ``(path, programme)`` or a ``(path, programme, sheet)``. ``mapping``: columns named
    explicitly (``"ho_ten=Tên chủ hộ,cccd=Số ĐDCN"``), for every list (or a list of
    them, one per list). ``decisions``: an
    earlier review with the coordinator's decisions. ``salt_file``: the shared secret
    for hashed lists. With ``output``, the review workbook is written there (checked
    before anything is read)."""
    from pathlib import Path

    from .overlap.run import overlap as run
    from .workbook.output import check_output

    paths = [Path(campaign)] if isinstance(campaign, (str, PathLike)) else [Path(p) for p in campaign]
    lists = [_against(a) for a in against]
    maps = mapping if isinstance(mapping, list) else [mapping] * len(lists)
    for a, m in zip(lists, maps):
        if isinstance(m, str):
            from .overlap.lists import parse_mapping

            m = parse_mapping(m)
        a.mapping = m or None
    dec = Path(decisions) if decisions is not None else None
    out = Path(output) if output is not None else None
    if out is not None:
        from .overlap.review import COMMAND

        given = [p for p in paths if p.is_file()] + [a.path for a in lists] + ([dec] if dec else [])
        check_output(out, given, force=force, command=COMMAND)
    secret = None
    if salt_file is not None:
        from .overlap.hashing import read_secret

        secret = read_secret(Path(salt_file))
    result = run(paths, lists, period=period, decisions=dec, secret=secret, today=today, progress=progress,
                 exclude=[p for p in (out, dec) if p is not None])
    if out is not None:
        result.save(out, mask=mask, lang=lang, force=True)
    return result


def _against(item: object) -> Against:
    from .overlap.run import Against

    if isinstance(item, (str, PathLike)):
        path, sheet = _path_sheet(str(item))
        return Against(path, path.stem, sheet)
    if isinstance(item, tuple) and len(item) in (2, 3):
        path, sheet = _path_sheet(str(item[0]))
        return Against(path, str(item[1]), item[2] if len(item) == 3 and item[2] else sheet)
    raise TypeError("against: a path, (path, programme) or (path, programme, sheet)")


def _path_sheet(text: str) -> tuple[Path, str | None]:
    """``ds.xlsx:DanhSach`` → the file and the sheet; a path that exists as written (a
    Windows drive ``C:``) keeps its colon."""
    from pathlib import Path

    p = Path(text)
    if p.exists() or ":" not in p.name:
        return p, None
    head, sheet = text.rsplit(":", 1)
    return Path(head), sheet or None


def hash_list(path: StrPath, *, salt_file: StrPath, output: StrPath, sheet: str | None = None,
              keep: Iterable[str] = (), mapping: str | dict[str, str] | None = None,
              force: bool = False) -> dict[str, object]:
    """Write a copy of a list with the CCCD and a name key (folded name + birth year)
    replaced by keyed hashes (HMAC-SHA256 with the secret in ``salt_file``) and every
    other personal column dropped unless ``keep`` names it (SPEC §5.4, privacy)."""
    from pathlib import Path

    from .overlap.hashing import hash_list as run
    from .overlap.hashing import read_secret

    src, sheet_ = _path_sheet(str(path))
    if isinstance(mapping, str):
        from .overlap.lists import parse_mapping

        mapping = parse_mapping(mapping)
    return run(src, sheet=sheet or sheet_, mapping=mapping, secret=read_secret(Path(salt_file)),
               output=Path(output), keep=list(keep), force=force)


def report(source: StrPath, template: StrPath, output: StrPath, *, period: str | None = None,
           number: str | None = None, signer: str | None = None, signer_title: str | None = None,
           preparer: str | None = None, report_date: date | str | None = None, pdf: bool = False, force: bool = False,
           style: str = "bac", today: date | None = None) -> ReportResult:
    """Fill an official template (SPEC §5.5) from a consolidation: ``template`` is a
    shipped template's name (``bang-so-lieu-6-thang``, see :func:`templates`) or a file
    (``.xlsx``, or ``.docx`` for the narrative draft). ``number``, ``signer``,
    ``signer_title``, ``preparer``, ``report_date``: the document's number line, signature
    and date. ``pdf``: also a PDF beside the output when LibreOffice is installed.
    ``style="nam"`` reads amounts the southern way (``lẻ`` for ``linh``)."""
    from pathlib import Path

    from .report.fields import Options
    from .report.run import report as run

    if isinstance(report_date, str):
        from .vn.values import parse_date

        text, report_date = report_date, parse_date(report_date)[0]
        if not isinstance(report_date, date):
            raise RunError("bad-argument", detail=f"--ngay {text} (ngày/tháng/năm)",
                           detail_en=f"--ngay {text} (day/month/year)", command="report")
    options = Options(number=number, report_date=report_date, signer=signer, signer_title=signer_title,
                      preparer=preparer)
    return run(Path(source), template, Path(output), period=period, options=options, pdf=pdf, force=force,
               style=_style(style), today=today)


def _style(style: str) -> str:
    """The reading style of amounts, checked (``words-style-unknown``)."""
    from .report.words import amount_words

    amount_words(0, style=style)
    return style


def templates(*, fields: bool = True) -> list[dict[str, object]]:
    """The shipped templates (SPEC §5.5): each with its ``name``, ``title``, ``file`` (copy
    it to redesign it) and the ``fields`` it uses, each with its description. With
    ``fields=False``, without ``fields``: the templates are not opened (fast)."""
    if not fields:
        from .report.run import shipped_templates

        return shipped_templates()
    from .report.run import template_list

    return template_list()


def report_fields() -> list[dict[str, str]]:
    """Every field a report template may name (``{{ gia_tri_tro_giup }}``, ``dv.ten`` …)
    with its Vietnamese and English description and its kind."""
    from .report.run import catalogue

    return catalogue()


def parse_amount(text: str) -> int:
    """An amount as clerks type it (``1500000``, ``1.500.000``, ``1.500.000đ``,
    ``1,5 triệu``) in đồng; :class:`RunError` for anything else."""
    from .report.words import parse_amount as parse

    return parse(text)


def words(amount: int | str, *, style: str = "bac") -> str:
    """An amount in đồng in words, as official documents write it: ``words(1_500_000)``
    → ``'Một triệu năm trăm nghìn đồng'``; ``style="nam"`` says ``lẻ`` for ``linh``. A
    text amount (``"1.500.000đ"``) is read as clerks type it."""
    from .report.words import amount_words, parse_amount

    value = parse_amount(amount) if isinstance(amount, str) else amount
    return amount_words(value, style=_style(style))


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


_FUNCTIONS = frozenset(("validate", "consolidate", "demo", "annotate", "new_workbook", "indicator_label", "overlap",
                        "hash_list", "report", "templates", "words", "parse_amount",
                        "report_fields"))
sys.modules[__name__].__class__ = _Package
