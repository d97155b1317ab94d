"""``xl-nhandao demo``: a realistic province, end to end (SPEC §5.6).

Builds the submissions of the communes of a real province from the real code lists
(synthetic people, see :mod:`xl_nhandao.synth`) with what happens in real life — clerks'
mistakes and presentation quirks, a late unit, a missing unit, a resubmission, a file from
another period, one person registered by two communes — then runs validate on every
submission (annotated copies for those with errors) and consolidates the province.
Deterministic: the same command gives the same submissions and figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..consolidate import Consolidation
from ..validate.rules import Report
from ..vn import adminunits

PROVINCE = "56"  # Khánh Hòa (2025 scheme): coast, mountains, Raglai and Chăm communes
PERIOD = "2025"  # a campaign year that has ended: every date is in the past
N_COMMUNES = 32


@dataclass
class DemoResult:
    folder: Path
    submissions: Path
    checked: Path
    expect_file: Path
    output: Path
    reports: list[tuple[str, Report]] = field(default_factory=list)
    annotated: list[Path] = field(default_factory=list)
    result: Consolidation | None = None
    story: list[str] = field(default_factory=list)


def build_submissions(folder: Path, seed: int = 2025) -> tuple[list[str], list[str]]:
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
    story.append(f"Một người được cả {shared_from} và {shared_to} đăng ký (trùng CCCD): tỉnh chỉ tính một lần.")
    for i, (code, unit) in enumerate(units.items()):
        name = adminunits.lookup(code, "2025", "Xã").name  # type: ignore[union-attr]
        slug = f"{code}-{PERIOD}"
        if code == resubmitted:
            first = make_unit(code, period=PERIOD, seed=seed + 1000, n_addresses=len(unit.tables["DiaChi"]),
                              report_date=unit.report_date - timedelta(days=10))
            inject_mistakes(first, random.Random(seed + i), 4)
            write_unit(first, folder / f"{slug}-lan-1.xlsx", style="fast")
            slug += "-lan-2"
            story.append(f"{name} ({code}) nộp lại bản sửa: bản sau thay bản trước.")
        if i % 3 == 1 and code not in (resubmitted, shared_to):
            inject_mistakes(unit, random.Random(seed + i), rng.randint(1, 4))
        quirks = rng.sample(quirk_names, 2) if i % 4 == 0 else ()
        style = "template" if quirks or i % 5 == 0 else "fast"
        write_unit(unit, folder / f"{slug}.xlsx", style=style, quirks=quirks, seed=seed + i)
        if code == late:
            story.append(f"{name} ({code}) nộp muộn (ngày lập 04/12/2025, hạn 30/11/2025).")
        if code == other_period:
            story.append(f"{name} ({code}) gửi nhầm sổ kỳ 2025-H1: bị từ chối.")
    (folder / "ghi-chu-cua-can-bo.xlsx").write_bytes(b"Day khong phai la so Excel")
    story.append("Một tệp hỏng lẫn trong thư mục (ghi-chu-cua-can-bo.xlsx): bị từ chối, các tệp khác vẫn được gộp.")
    name = adminunits.lookup(missing, "2025", "Xã").name  # type: ignore[union-attr]
    story.append(f"{name} ({missing}) chưa nộp.")
    return communes, story


def run_demo(folder: Path, today: date | None = None) -> DemoResult:
    from ..consolidate.merge import collect_inputs, consolidate
    from ..consolidate.writer import write_consolidation
    from ..errors import RunError
    from ..validate.rules import validate_file
    from ..workbook.annotate import annotate_file

    today = today or date.today()
    folder = Path(folder)
    subs_dir = folder / "bao-cao-nop"
    checked = folder / "kiem-tra"
    res = DemoResult(folder, subs_dir, checked, folder / "don-vi-phai-nop.txt",
                     folder / f"tong-hop-{PROVINCE}-{PERIOD}.xlsx")
    if subs_dir.exists():
        for p in subs_dir.iterdir():
            if p.is_file():
                p.unlink()
    expected, res.story = build_submissions(subs_dir)
    res.expect_file.write_text("# Đơn vị phải nộp báo cáo năm " + PERIOD + "\n" + "\n".join(expected) + "\n",
                               encoding="utf-8")
    checked.mkdir(parents=True, exist_ok=True)
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
    res.result = consolidate([subs_dir], PERIOD, str(res.expect_file), PROVINCE, today)
    write_consolidation(res.result, res.output)
    return res
