"""Finding the submitted workbooks and reading each into its submission(s)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ..errors import RunError
from ..validate import validate_source
from ..workbook.source import display_name, file_sha256
from .model import REGISTER_SHEETS, Reason, Submission

#: File types a folder is searched for.
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

# -- inputs ----------------------------------------------------------------------------
def collect_inputs(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """Every workbook under ``paths`` (folders recursively), with a display name
    relative to the folder given; Excel's ``~$`` lock files and hidden files skipped.
    Anything else named like a workbook is listed too — a pipe or a device is then
    rejected with its reason, never opened (opening a pipe waits for ever)."""
    skip = {p.resolve() for p in exclude}
    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix.lower() in SUFFIXES and not q.is_dir()
                           and not any(part.startswith((".", "~$")) for part in q.relative_to(p).parts))
            items = [(q, display_name(str(q.relative_to(p)))) for q in found]
        else:
            items = [(p, display_name(p.name))]
        for q, name in items:
            if q.name.startswith(("~$", ".")):
                continue
            r = q.resolve() if q.exists() else q
            if r in skip or r in seen:
                continue
            seen.add(r)
            out.append((q, name))
    return out


def _rejected(path: Path, name: str, sha: str, mtime: float, exc: RunError) -> Submission:
    sub = Submission(path, name, sha, mtime, status="rejected")
    sub.reason = Reason("unreadable", {"message": exc.message("vi"), "message_en": exc.message("en")})
    return sub


def read_submissions(path: Path, name: str, today: date) -> list[Submission]:
    """The submission(s) one file holds; a file that cannot be read is one rejected
    submission with the reason. Nothing one file holds stops the others being read: a
    failure this code did not foresee rejects that file too, naming the error."""
    from ..workbook.guard import check_regular, is_panic

    sha, mtime = "", 0.0
    try:
        check_regular(path)
        try:
            sha, mtime = file_sha256(path), path.stat().st_mtime
        except OSError as exc:
            raise RunError("corrupt", path=name, detail=exc.strerror or type(exc).__name__) from None
        return _read(path, name, sha, mtime, today)
    except RunError as exc:
        exc.params["path"] = name  # the ledger names files as the coordinator sees them
        return [_rejected(path, name, sha, mtime, exc)]
    except BaseException as exc:
        if not (isinstance(exc, Exception) or is_panic(exc)):
            raise  # Ctrl+C, exit
        return [_rejected(path, name, sha, mtime, RunError("internal", detail=type(exc).__name__))]


def _read(path: Path, name: str, sha: str, mtime: float, today: date) -> list[Submission]:
    from ..workbook.source import FileWorkbook

    source = FileWorkbook(path, legacy_formats=True)
    try:
        report = validate_source(source, today)
    except RunError as exc:
        if exc.code == "not-standard":
            from .aggregates import read_unit_sheets

            sheets = read_unit_sheets(source, path, name, sha, mtime)
            if sheets:
                return sheets
        raise
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


