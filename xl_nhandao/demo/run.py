"""``xl-nhandao demo``: a realistic province, end to end (SPEC §5.6).

Builds the submissions of the communes of a real province from the real code lists
(synthetic people, see :mod:`xl_nhandao.synth`) with what happens in real life — clerks'
mistakes and presentation quirks, a late unit, a missing unit, a resubmission, a file from
another period, one person registered by two communes — then runs validate on every
submission (annotated copies for those with errors) and consolidates the province.
Deterministic: the same command gives the same submissions and figures.

The demo writes only into a new folder, an empty one, or the folder of an earlier demo:
a manifest (:data:`MANIFEST`) lists every file the demo wrote with its SHA-256, and a
folder holding anything else — a file the demo did not write, or one changed since — is
refused with one line; nothing in it is deleted or replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..consolidate import Consolidation
from ..errors import RunError
from ..i18n import Lang, Phrase
from ..overlap.run import OverlapResult
from ..validate.rules import Report
from ..vn import adminunits
from ..workbook.source import file_sha256

PROVINCE = "56"  # Khánh Hòa (2025 scheme): coast, mountains, Raglai and Chăm communes
PERIOD = "2025"  # a campaign year that has ended: every date is in the past
N_COMMUNES = 32
#: The demo's list of the files it wrote (relative path → SHA-256), in the demo folder.
MANIFEST = ".xl-nhandao-demo.json"
#: Files the operating system leaves in folders it shows; never anyone's data.
_OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


@dataclass
class DemoResult:
    """What the demo wrote and found: the folders and files, each book's report, the
    consolidation, and the story of what happens in the demo province."""

    folder: Path
    submissions: Path
    checked: Path
    expect_file: Path
    output: Path
    reports: list[tuple[str, Report]] = field(default_factory=list)
    annotated: list[Path] = field(default_factory=list)
    result: Consolidation | None = None
    story: list[Phrase] = field(default_factory=list)
    #: The annotated copy of each book with errors, by the book's name.
    annotated_of: dict[str, Path] = field(default_factory=dict)
    #: The overlap step: the other programmes' lists, the review, its result, and the
    #: consolidation again with the review's decisions.
    lists: list[Path] = field(default_factory=list)
    review: Path | None = None
    overlap: OverlapResult | None = None
    decided_output: Path | None = None
    decided: Consolidation | None = None
    #: The official reports filled from the consolidation after review: (template, file).
    filled: list[tuple[str, Path]] = field(default_factory=list)

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        """The ``demo --json`` document (``xl_nhandao.schema.DemoDocument``)."""
        assert self.result is not None
        province = adminunits.lookup(PROVINCE, "2025", "Tỉnh")
        return {
            "folder": str(self.folder),
            "province": {"code": PROVINCE, "name": province.name if province else None},
            "period": self.result.period.as_json(),
            "story": [line.text(lang) for line in self.story],
            "submissions_folder": str(self.submissions),
            "annotated_folder": str(self.checked),
            "expect_file": str(self.expect_file),
            "output": str(self.output),
            "books": [
                {"file": name, "unit_code": report.unit.code, "unit_name": report.unit.name,
                 "valid": report.valid, "rows": report.rows, "counts": report.counts,
                 "annotated": str(self.annotated_of[name]) if name in self.annotated_of else None}
                for name, report in self.reports
            ],
            "consolidation": self.result.as_json(str(self.output), lang),
            "overlap": self.overlap.as_json(lang, str(self.review)) if self.overlap is not None else None,
            "lists": [str(p) for p in self.lists],
            "after_decisions": (self.decided.as_json(str(self.decided_output), lang)
                                if self.decided is not None else None),
            "reports": [{"template": name, "output": str(path)} for name, path in self.filled],
        }


def build_submissions(folder: Path, seed: int = 2025) -> tuple[list[str], list[Phrase]]:
    """Write the province's submission files; return (expected unit codes, story lines)."""
    from .synth import QUIRKS, inject_mistakes, make_unit, write_unit

    rng = random.Random(seed)
    communes = [u.code for u in adminunits.children(PROVINCE, "2025")][:N_COMMUNES]
    missing = communes[-1]  # expected, never sends
    late = communes[3]
    resubmitted = communes[5]
    other_period = communes[7]
    shared_from, shared_to = communes[1], communes[2]
    story = []
    folder.mkdir(parents=True, exist_ok=True)
    quirk_names = [q for q in QUIRKS if q != "extra_column"]
    units = {}
    for i, code in enumerate(communes[:-1]):
        n = rng.randint(20, 70)
        report_date = date(2025, 12, 4) if code == late else None
        label = "2025-H1" if code == other_period else PERIOD
        unit = make_unit(code, period=label, seed=seed + i, n_addresses=n, report_date=report_date)
        units[code] = unit
    # One person registered by two communes (same CCCD): counted once at province level.
    person = dict(units[shared_from].tables["DiaChi"][0])
    target = units[shared_to]
    person["Mã địa chỉ"] = f"{shared_to}-{len(target.tables['DiaChi']) + 1:04d}"
    person["Mã xã"] = shared_to
    target.tables["DiaChi"].append(person)
    story.append(Phrase("Một người được cả {a} và {b} đăng ký (trùng CCCD): tỉnh chỉ tính một lần.",
                        "One person is registered by both {a} and {b} (same CCCD): the province counts them once.",
                        {"a": shared_from, "b": shared_to}))
    for i, (code, unit) in enumerate(units.items()):
        name = adminunits.lookup(code, "2025", "Xã").name  # type: ignore[union-attr]
        slug = f"{code}-{PERIOD}"
        if code == resubmitted:
            first = make_unit(code, period=PERIOD, seed=seed + 1000, n_addresses=len(unit.tables["DiaChi"]),
                              report_date=unit.report_date - timedelta(days=10))
            inject_mistakes(first, random.Random(seed + i), 4)
            write_unit(first, folder / f"{slug}-lan-1.xlsx", style="fast")
            slug += "-lan-2"
            story.append(Phrase("{name} ({code}) nộp lại bản sửa: bản sau thay bản trước.",
                                "{name} ({code}) sends a corrected book again: the later one replaces the first.",
                                {"name": name, "code": code}))
        if i % 3 == 1 and code not in (resubmitted, shared_to):
            inject_mistakes(unit, random.Random(seed + i), rng.randint(1, 4))
        quirks = rng.sample(quirk_names, 2) if i % 4 == 0 else ()
        style = "template" if quirks or i % 5 == 0 else "fast"
        write_unit(unit, folder / f"{slug}.xlsx", style=style, quirks=quirks, seed=seed + i)
        if code == late:
            story.append(Phrase("{name} ({code}) nộp muộn (ngày lập 04/12/2025, hạn 30/11/2025).",
                                "{name} ({code}) is late (dated 04/12/2025, due 30/11/2025).",
                                {"name": name, "code": code}))
        if code == other_period:
            story.append(Phrase("{name} ({code}) gửi nhầm sổ kỳ 2025-H1: bị từ chối.",
                                "{name} ({code}) sends its 2025-H1 book by mistake: rejected.",
                                {"name": name, "code": code}))
    (folder / "ghi-chu-cua-can-bo.xlsx").write_bytes(b"Day khong phai la so Excel")
    story.append(Phrase("Một tệp hỏng lẫn trong thư mục (ghi-chu-cua-can-bo.xlsx): bị từ chối, các tệp khác vẫn được gộp.",
                        "A damaged file sits in the folder (ghi-chu-cua-can-bo.xlsx): rejected, the others are still merged."))
    name = adminunits.lookup(missing, "2025", "Xã").name  # type: ignore[union-attr]
    story.append(Phrase("{name} ({code}) chưa nộp.", "{name} ({code}) has not sent its book.",
                        {"name": name, "code": missing}))
    return communes, story


def run_demo(folder: Path, today: date | None = None) -> DemoResult:
    """Build the demo province in ``folder`` and run it. ``folder`` must be new (in a
    folder that exists), empty, or an earlier demo's folder whose files are unchanged;
    otherwise :class:`RunError` says why and nothing is written."""
    from ..consolidate.merge import collect_inputs, consolidate
    from ..consolidate.writer import write_consolidation
    from ..validate.rules import validate_file
    from ..workbook.annotate import annotate_file

    today = today or date.today()
    folder = Path(folder)
    earlier = _check_folder(folder)
    subs_dir = folder / "bao-cao-nop"
    checked = folder / "kiem-tra"
    res = DemoResult(folder, subs_dir, checked, folder / "don-vi-phai-nop.txt",
                     folder / f"tong-hop-{PROVINCE}-{PERIOD}.xlsx")
    folder.mkdir(exist_ok=True)
    try:
        for rel in earlier:  # the earlier demo's own files, checked unchanged just now
            with contextlib.suppress(FileNotFoundError):
                (folder / rel).unlink()
        expected, res.story = build_submissions(subs_dir)
        res.expect_file.write_text("# Đơn vị phải nộp báo cáo năm " + PERIOD + "\n" + "\n".join(expected) + "\n",
                                   encoding="utf-8")
        checked.mkdir(exist_ok=True)
        for path, name in collect_inputs([subs_dir]):
            try:
                report = validate_file(path, today=today)
            except RunError:
                continue
            res.reports.append((name, report))
            if not report.valid:
                out = checked / f"{path.stem}-danh-dau.xlsx"
                annotate_file(path, report.issues, out)
                res.annotated.append(out)
                res.annotated_of[name] = out
        res.result = consolidate([subs_dir], PERIOD, str(res.expect_file), PROVINCE, today)
        write_consolidation(res.result, res.output)
        _overlap_step(res, today)
        _report_step(res, today)
    finally:
        _write_manifest(folder)  # everything in the folder now is the demo's own
    return res


def _overlap_step(res: DemoResult, today: date) -> None:
    """Other programmes' lists against the province's consolidation, the review, and the
    consolidation again with the review's decisions (what a coordinator does next)."""
    from ..consolidate.merge import consolidate
    from ..consolidate.writer import write_consolidation
    from ..overlap.decisions import decided_for_consolidation
    from ..overlap.run import Against, overlap
    from .lists import write_lists

    assert res.result is not None
    lists, story = write_lists(res.result, res.folder / "danh-sach-khac")
    res.story.extend(story)
    res.lists = [p for p, _ in lists]
    res.review = res.folder / "ra-soat-trung-lap.xlsx"
    res.overlap = overlap([res.output], [Against(p, name) for p, name in lists], today=today)
    res.overlap.save(res.review)
    res.decided_output = res.folder / "tong-hop-sau-ra-soat.xlsx"
    res.decided = consolidate([res.submissions], PERIOD, str(res.expect_file), PROVINCE, today,
                              decided=decided_for_consolidation(res.review))
    write_consolidation(res.decided, res.decided_output)


#: The reports the demo fills (the campaign year's annual reports), and their files.
REPORTS = (("bang-so-lieu-nam", "bang-so-lieu-nam.xlsx"), ("danh-sach-dia-chi", "danh-sach-dia-chi.xlsx"),
           ("so-nop-bao-cao", "so-nop-bao-cao.xlsx"), ("bao-cao-nam", "bao-cao-nam.docx"))


def _report_step(res: DemoResult, today: date) -> None:
    """The official reports of the year, from the consolidation after review (what the
    coordinator sends up), in ``bao-cao/``."""
    from ..report.fields import Options
    from ..report.run import report, shipped

    source = res.decided_output or res.output
    names = {p.stem for p in shipped()}
    folder = res.folder / "bao-cao"
    folder.mkdir(exist_ok=True)
    options = Options(signer="Nguyễn Thị Thu Hà", signer_title="Chủ tịch", preparer="Trần Văn Nam",
                      report_date=date(2025, 11, 28))
    for name, file in REPORTS:
        if name in names:
            made = report(source, name, folder / file, options=options, today=today)
            res.filled.append((name, made.output))


def _files(folder: Path):
    """(relative path, path) of every file under ``folder`` but the manifest and the
    operating system's litter; a symbolic link is yielded too (as itself)."""
    for root, dirs, names in os.walk(folder):
        base = Path(root)
        for d in list(dirs):
            if (base / d).is_symlink():  # a link to a folder: never walked into, never ours
                dirs.remove(d)
                names.append(d)
        for n in names:
            path = base / n
            rel = path.relative_to(folder).as_posix()
            if rel != MANIFEST and n not in _OS_LITTER:
                yield rel, path


def _read_manifest(folder: Path) -> dict[str, str]:
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = doc["files"]
        if doc.get("command") == "demo" and isinstance(files, dict):
            return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return {}


def _check_folder(folder: Path) -> list[str]:
    """Raise :class:`RunError` unless the demo may write into ``folder``; return the
    files an earlier demo wrote there (all unchanged)."""
    if folder.exists() and not folder.is_dir():
        raise RunError("output-not-folder", path=str(folder))
    if not folder.exists():
        parent = folder.parent if str(folder.parent) else Path(".")
        if not parent.is_dir():
            raise RunError("output-folder-missing", path=str(folder), folder=str(parent))
        return []
    manifest = _read_manifest(folder)
    earlier = []
    for rel, path in sorted(_files(folder)):
        if path.is_symlink() or rel not in manifest:
            raise RunError("demo-folder-foreign", path=str(folder), file=rel)
        if file_sha256(path) != manifest[rel]:
            raise RunError("demo-file-changed", path=str(folder), file=rel)
        earlier.append(rel)
    return earlier


def _write_manifest(folder: Path) -> None:
    from ..workbook.output import write_atomic

    if not folder.is_dir():
        return
    files = {rel: file_sha256(path) for rel, path in sorted(_files(folder)) if path.is_file() and not path.is_symlink()}
    text = json.dumps({"command": "demo", "files": files}, ensure_ascii=False, indent=1)
    write_atomic(folder / MANIFEST, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
