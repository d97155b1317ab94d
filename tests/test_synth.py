"""The synthetic units (xl_nhandao.demo.synth): realistic, deterministic, valid when clean; every
injected mistake is reported exactly where it was made and nothing else is; clerk quirks
add only the issues they are documented to add."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from xl_nhandao.demo import synth
from xl_nhandao.validate import Report, validate_file
from xl_nhandao.vn import adminunits
from xl_nhandao.vn.periods import parse_period
from xl_nhandao.vn.values import cccd_birth
from xl_nhandao.workbook import codes, standard

Key = tuple[str, str, "int | None", "str | None"]


def check(unit: synth.UnitData, path: Path) -> Report:
    return validate_file(path, today=synth.validation_date(unit))


def found(report: Report) -> set[Key]:
    """Issues as (code, sheet, data-row index or None, column header or value)."""
    index = {spec.name: {r.row: i for i, r in enumerate(report.records(spec.name))} for spec in standard.TABLES}
    out: set[Key] = set()
    for i in report.issues:
        rows = index.get(i.sheet or "", {})
        out.add((i.code, i.sheet or "", rows.get(i.row) if i.row is not None else None, i.column or i.value))
    return out


def expected(items: list[synth.Injected]) -> set[Key]:
    return {(i.code, i.sheet, i.index, i.header) for i in items}


def read_back_differences(unit: synth.UnitData, report: Report) -> list[tuple[object, ...]]:
    """Where the values read differ from the values generated (none for a clean unit)."""
    diffs: list[tuple[object, ...]] = []
    for spec in standard.TABLES:
        records, rows = report.records(spec.name), unit.tables[spec.name]
        if len(records) != len(rows):
            return [(spec.name, "rows", len(records), len(rows))]
        for i, (rec, row) in enumerate(zip(records, rows)):
            for f in spec.clerk_fields:
                if f.kind == standard.IGNORED:
                    continue
                want = row[f.header]
                if want is None and f.kind == standard.YESNO:
                    want = False
                if rec.values.get(f.key) != want:
                    diffs.append((spec.name, i, f.header, rec.values.get(f.key), want))
    return diffs


# -- clean units ---------------------------------------------------------------------------

CLEAN = [
    ("22333", "2024", "2025", "template", 0),  # Phường Bắc Nha Trang, Khánh Hòa
    ("00004", "2024-H1", "2025", "fast", 1),  # Phường Ba Đình, Hà Nội
    ("25747", "2025-Q3", "2025", "template", 2),  # Phường Thủ Dầu Một
    ("22333", "2023", "2004", "fast", 3),  # the old scheme: a district is filled in too
    ("24241", "2024", "2025", "fast", 4),  # Xã Ea Wer, Đắk Lắk: Ê-đê, Gia-rai names
    ("03503", "2024-Q2", "2025", "fast", 5),  # Xã Pa Tần, Lai Châu: minorities
    ("32062", "2024-H2", "2025", "fast", 6),  # Xã Khánh Lâm, Cà Mau: "Ấp"
]


@pytest.mark.parametrize(("commune", "period", "scheme", "style", "seed"), CLEAN)
def test_clean_unit_validates_without_any_issue(tmp_path: Path, commune, period, scheme, style, seed) -> None:
    unit = synth.make_unit(commune, period, seed=seed, scheme=scheme)
    report = check(unit, synth.write_unit(unit, tmp_path / f"{commune}.xlsx", style))
    assert [(i.code, i.cell, i.value) for i in report.issues] == []
    assert report.rows == {name: len(rows) for name, rows in unit.tables.items()}
    assert read_back_differences(unit, report) == []
    assert report.unit.code == commune and report.period.label == period  # type: ignore[union-attr]


def test_template_style_fills_the_real_blank_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from xl_nhandao.workbook import blank as generate

    unit = synth.make_unit("22333", "2024-H1", seed=7, n_addresses=25)
    wb = load_workbook(synth.write_unit(unit, tmp_path / "t.xlsx"))
    assert {"DanhMuc", "HuongDan", "SoLieu"} <= set(wb.sheetnames)
    ws = wb["DiaChi"]
    first = generate.FIRST_DATA_ROW
    assert ws.cell(first, 2).value == unit.tables["DiaChi"][0]["Mã địa chỉ"]
    assert ws.cell(first + 25, 2).value is None
    with_id = next(i for i, r in enumerate(unit.tables["DiaChi"]) if r["Số CCCD"])
    assert ws.cell(first + with_id, 7).data_type == "s" and ws.cell(first + with_id, 7).number_format == "@"
    assert ws.cell(first, 14).is_date and ws.cell(first, 14).number_format == standard.DATE_FORMAT
    assert not ws.cell(first, 3).protection.locked  # the clerk can still edit the rows
    info = {ws_row[0].value: ws_row[1].value for ws_row in wb["ThongTin"].iter_rows(min_row=4, max_col=2)}
    assert info["Ngày lập báo cáo"].date() == date(2024, 5, 20)
    assert info["Người lập"] == unit.info["Người lập"]


def test_fast_style_for_benchmarks(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    unit = synth.make_unit("22333", "2024", seed=1, n_addresses=1500)
    path = synth.write_unit(unit, tmp_path / "fast.xlsx", "fast")
    report = check(unit, path)
    assert report.issues == []
    assert report.rows["DiaChi"] == 1500
    ws = load_workbook(path, read_only=True)["DiaChi"]
    header, first = list(ws.iter_rows(min_row=1, max_row=2, values_only=True))
    assert list(header) == [f.header for f in standard.DIA_CHI.clerk_fields]
    assert isinstance(first[6], str | None) and first[13].date() == unit.tables["DiaChi"][0]["Ngày lập hồ sơ"]


# -- realism -------------------------------------------------------------------------------


def test_a_commune_looks_like_a_commune() -> None:
    sizes = [len(synth.make_unit("22333", "2024", seed=s).tables["DiaChi"]) for s in range(12)]
    assert all(20 <= n <= 200 for n in sizes) and len(set(sizes)) > 6
    unit = synth.make_unit("22333", "2024", seed=3, n_addresses=3000)
    period = parse_period("2024")
    assert period is not None
    people = unit.tables["DiaChi"]
    surnames = Counter(r["Họ và tên"].split()[0] for r in people)  # type: ignore[union-attr]
    assert 0.33 < surnames["Nguyễn"] / len(people) < 0.43
    assert surnames["Trần"] > surnames["Phạm"] > surnames["Đỗ"] > 0
    assert surnames["Võ"] > surnames["Vũ"]  # Khánh Hòa is in the south-centre
    assert Counter(r["Dân tộc"] for r in people).most_common(1)[0][0] == "Kinh"
    categories = Counter(r["Đối tượng"] for r in people)
    assert {c for c, _ in categories.most_common(4)} >= {"NC", "KK"} and categories["PN"] > 100
    elderly = [r["Năm sinh"] for r in people if r["Đối tượng"] == "NC"]
    assert max(elderly) <= 1958 and min(r["Năm sinh"] for r in people) >= 1925  # type: ignore[type-var]
    codes_ = [r["Mã địa chỉ"] for r in people]
    assert len(set(codes_)) == len(codes_) and all(re.fullmatch(r"22333-\d{4}", c) for c in codes_)  # type: ignore[arg-type]
    assert {r["Mã xã"] for r in people} == {"22333"}
    assert all(str(r["Thôn/Tổ dân phố"]).startswith(("Tổ dân phố", "Khu phố")) for r in people)  # a Phường
    provinces = adminunits.cccd_province_codes()
    ids = [r for r in people if r["Số CCCD"]]
    assert 0.7 < len(ids) / len(people) < 0.95
    for r in ids:
        cccd = r["Số CCCD"]
        assert isinstance(cccd, str) and len(cccd) == 12 and cccd[:3] in provinces
        assert cccd_birth(cccd) == (r["Năm sinh"], r["Giới tính"])
    assert Counter(str(r["Số CCCD"])[:3] for r in ids).most_common(1)[0][0] == "056"  # own old province
    for r in people:
        dossier, approval, upload = r["Ngày lập hồ sơ"], r["Ngày phê duyệt"], r["Ngày cập nhật iNHANDAO"]
        assert date(2021, 11, 25) <= dossier <= date(2024, 11, 20)  # type: ignore[operator]
        assert approval is None or dossier <= approval <= date(2024, 11, 20)  # type: ignore[operator]
        assert upload is None or (approval is not None and approval <= upload)  # type: ignore[operator]
    assert sum(r["Ngày phê duyệt"] is None for r in people) > 0
    statuses = Counter(r["Trạng thái"] for r in people)
    assert set(statuses) == {"Đang trợ giúp", "Chờ trợ giúp", "Ngừng trợ giúp"}

    registrations = unit.tables["DangKy"]
    assert {r["Loại"] for r in registrations} == set(codes.SUPPORTER_TYPES.labels)
    assert any(r["Người đứng đầu"] for r in registrations)
    assert not any(r["Người đứng đầu"] for r in registrations if r["Loại"] == codes.INDIVIDUAL)

    events = unit.tables["TroGiup"]
    dossier_of = {r["Mã địa chỉ"]: r["Ngày lập hồ sơ"] for r in people}
    per_address = Counter(e["Mã địa chỉ"] for e in events)
    assert max(per_address.values()) <= 6
    for e in events:
        assert period.start <= e["Ngày trợ giúp"] <= unit.report_date  # type: ignore[operator]
        assert e["Ngày trợ giúp"] >= dossier_of[e["Mã địa chỉ"]]  # type: ignore[operator]
        value = e["Giá trị (đồng)"]
        assert isinstance(value, int) and value % 10_000 == 0 and 100_000 <= value <= 100_000_000
        assert (e["Nguồn"] == codes.OTHER_PROGRAMME) == (e["Tên chương trình khác"] is not None)
    houses = [e["Giá trị (đồng)"] for e in events if e["Hình thức"] == "NO"]
    assert houses and min(houses) >= 20_000_000  # type: ignore[type-var]
    sources = Counter(e["Nguồn"] for e in events)
    assert sources["Cuộc vận động"] > sources["Quỹ Hội"] > sources["Chương trình khác"] > 0
    assert 0 < sum(bool(e["Qua iNHANDAO"]) for e in events) < len(events) / 2
    vouchers = [e["Số chứng từ"] for e in events if e["Số chứng từ"]]
    assert len(set(vouchers)) == len(vouchers)


def test_unit_information() -> None:
    unit = synth.make_unit("22333", "2024-H1", seed=2)
    info = unit.info
    assert info["Phiên bản mẫu"] == "XLND-1"
    assert (info["Mã tỉnh"], info["Tỉnh/Thành phố"]) == ("56", "Tỉnh Khánh Hòa")
    assert (info["Mã xã"], info["Xã/Phường"]) == ("22333", "Phường Bắc Nha Trang")
    assert (info["Hệ mã đơn vị hành chính"], info["Cấp đơn vị"], info["Kỳ báo cáo"]) == ("2025", "Xã", "2024-H1")
    assert info["Phân loại xã"] in ("Khó khăn", "Trung bình trở lên")
    assert info["Ngày lập báo cáo"] == date(2024, 5, 20)
    assert isinstance(info["Số người đứng đầu"], int) and isinstance(info["Chỉ tiêu giá trị vận động (đồng)"], int)
    assert synth.make_unit("22333", "2024", seed=2).report_date == date(2024, 11, 20)
    assert synth.make_unit("22333", "2024", seed=2, report_date=date(2024, 11, 2)).report_date == date(2024, 11, 2)
    old = synth.make_unit("22333", "2023", scheme="2004", seed=2).info
    assert (old["Mã huyện"], old["Xã/Phường"]) == ("568", "Phường Vĩnh Phước")


def test_deterministic() -> None:
    a = synth.make_unit("00004", "2024", seed=11)
    b = synth.make_unit("00004", "2024", seed=11)
    assert a == b
    assert synth.make_unit("00004", "2024", seed=12) != a
    assert synth.make_unit("00008", "2024", seed=11) != a
    ia = synth.inject_mistakes(a, random.Random(5), 6)
    ib = synth.inject_mistakes(b, random.Random(5), 6)
    assert ia == ib and a == b


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="commune"):
        synth.make_unit("99999")
    with pytest.raises(ValueError, match="period"):
        synth.make_unit("22333", "2024-Q7")
    unit = synth.make_unit("22333", seed=1, n_addresses=20)
    with pytest.raises(ValueError, match="style"):
        synth.write_unit(unit, Path("x.xlsx"), "csv")
    with pytest.raises(ValueError, match="mistakes"):
        synth.inject_mistakes(unit, random.Random(0), 1, kinds=["typo"])


def test_import_is_light() -> None:
    code = ("import sys, xl_nhandao.demo.synth; "
            "heavy = {'openpyxl', 'xlsxwriter', 'pandas', 'python_calamine'} & set(sys.modules); "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


# -- mistakes --------------------------------------------------------------------------------

COMMUNES = ("22333", "00004", "25747", "24241", "03503", "32062")


@pytest.mark.parametrize("seed", range(20))
def test_injected_mistakes_are_found_exactly(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    unit = synth.make_unit(COMMUNES[seed % len(COMMUNES)], ("2024", "2024-H1", "2025-Q2")[seed % 3], seed=seed,
                           n_addresses=rng.randint(20, 40))
    injected = synth.inject_mistakes(unit, rng, rng.randint(1, 8))
    assert injected == sorted(injected, key=lambda i: (synth.SHEET_RANK[i.sheet], i.index, i.header, i.code))
    style = "template" if seed % 4 == 0 else "fast"
    report = check(unit, synth.write_unit(unit, tmp_path / f"mistakes-{seed}.xlsx", style))
    assert found(report) == expected(injected)


def test_every_kind_of_mistake(tmp_path: Path) -> None:
    rng = random.Random(42)
    unit = synth.make_unit("24241", "2024", seed=42, n_addresses=70)
    injected = synth.inject_mistakes(unit, rng, len(synth.MISTAKES), kinds=list(synth.MISTAKES))
    made = {i.code for i in injected}
    assert made == set(synth.MISTAKES.values()) | {"address-has-errors"}
    report = check(unit, synth.write_unit(unit, tmp_path / "every-mistake.xlsx", "fast"))
    assert found(report) == expected(injected)
    assert not report.valid


def test_the_mistakes_clerks_make() -> None:
    unit = synth.make_unit("22333", "2024", seed=9, n_addresses=40)
    original = synth.make_unit("22333", "2024", seed=9, n_addresses=40)
    by_code = {i.code: i for i in synth.inject_mistakes(unit, random.Random(1), len(synth.MISTAKES),
                                                         kinds=list(synth.MISTAKES))}

    def now(code: str) -> object:
        i = by_code[code]
        return unit.tables[i.sheet][i.index][i.header]  # type: ignore[index]

    def before(code: str) -> object:
        i = by_code[code]
        return original.tables[i.sheet][i.index][i.header]  # type: ignore[index]

    assert now("year-invalid") == int(f"{before('year-invalid')}{str(before('year-invalid'))[-1]}")  # 1985 → 19855
    assert now("money-zero") == 0
    assert now("required-missing") is None
    assert now("other-programme-missing") is None
    assert unit.tables["TroGiup"][by_code["other-programme-missing"].index]["Nguồn"] == "Chương trình khác"  # type: ignore[index]
    assert now("date-after-report") == unit.report_date + timedelta(days=1)
    assert now("date-in-future").year > unit.report_date.year + 1  # type: ignore[union-attr]
    assert isinstance(now("date-invalid"), str)
    assert now("cccd-gender-mismatch") != before("cccd-gender-mismatch")
    bad_cccd = str(now("cccd-invalid"))
    assert len(bad_cccd) != 12 or not bad_cccd.isdigit()
    assert adminunits.lookup(str(now("commune-unknown")), "2025", "Xã") is None


# -- quirks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("quirk", list(synth.QUIRKS))
def test_each_quirk_adds_only_its_documented_issues(tmp_path: Path, quirk: str) -> None:
    unit = synth.make_unit("22333", "2024-H1", seed=21, n_addresses=30)
    path = synth.write_unit(unit, tmp_path / f"{quirk}.xlsx", "fast")
    added = synth.apply_quirks(path, random.Random(21), [quirk])
    assert {i.code for i in added} <= set(synth.QUIRKS[quirk])
    if synth.QUIRKS[quirk]:
        assert added, "a quirk that adds issues added none: the test proves nothing"
    report = check(unit, path)
    assert found(report) == expected(added)
    assert read_back_differences(unit, report) == []


@pytest.mark.parametrize(("seed", "style"), [(0, "template"), (1, "fast"), (2, "template"), (3, "fast")])
def test_all_quirks_together(tmp_path: Path, seed: int, style: str) -> None:
    unit = synth.make_unit(COMMUNES[seed], "2024", seed=seed, n_addresses=35)
    path = synth.write_unit(unit, tmp_path / f"quirks-{seed}.xlsx", style)
    added = synth.apply_quirks(path, random.Random(seed), synth.QUIRKS)
    report = check(unit, path)
    assert found(report) == expected(added)
    assert report.valid
    assert read_back_differences(unit, report) == []
    assert all(report.workbook.tables[t].total_row for t in ("DangKy", "TroGiup"))


@pytest.mark.parametrize("seed", range(4))
def test_quirks_and_mistakes_together(tmp_path: Path, seed: int) -> None:
    rng = random.Random(100 + seed)
    unit = synth.make_unit(COMMUNES[seed], "2024-H1", seed=seed, n_addresses=30)
    injected = synth.inject_mistakes(unit, rng, rng.randint(3, 8))
    path = synth.write_unit(unit, tmp_path / f"both-{seed}.xlsx", "template" if seed % 2 else "fast")
    added = synth.apply_quirks(path, rng, rng.sample(list(synth.QUIRKS), 6))
    assert found(check(unit, path)) == expected(injected) | expected(added)


def test_write_unit_applies_quirks(tmp_path: Path) -> None:
    unit = synth.make_unit("22333", "2024", seed=5, n_addresses=20)
    path = synth.write_unit(unit, tmp_path / "q.xlsx", "fast", quirks=["title", "rename", "text_dates"], seed=5)
    report = check(unit, path)
    assert report.issues == []
    assert report.workbook.tables["DiaChi"].header_row > 1
