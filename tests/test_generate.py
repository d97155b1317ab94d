"""The blank standard workbook: committed copy and docs are current, structure (named
dropdowns, protection, frozen panes, print setup, input messages), and a generated
workbook filled by a clerk validates clean."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from books import clean_book
from conftest import TODAY
from openpyxl import load_workbook

from xl_nhandao.docs import PAGES
from xl_nhandao.validate import validate_file
from xl_nhandao.vn.periods import parse_period
from xl_nhandao.workbook import standard
from xl_nhandao.workbook.blank import (
    BLANK_WORKBOOK,
    FIRST_DATA_ROW,
    HEADER_ROW,
    new_workbook,
    resolve_unit,
)
from xl_nhandao.workbook.xlsxcompare import workbook_parts_differ

ROOT = Path(__file__).resolve().parent.parent


def test_committed_blank_workbook_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    new_workbook(fresh)
    assert workbook_parts_differ(fresh, ROOT / BLANK_WORKBOOK) == [], "run: python scripts/regenerate.py"


def test_generated_docs_are_current() -> None:
    for rel, render in PAGES.items():
        assert (ROOT / rel).read_text(encoding="utf-8") == render(), f"{rel} is stale: python scripts/regenerate.py"


def test_regenerate_script_check_mode() -> None:
    proc = subprocess.run([sys.executable, "scripts/regenerate.py", "--check"], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_structure_of_the_blank_workbook(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    new_workbook(path, resolve_unit("22333"), parse_period("2024-H1"))
    wb = load_workbook(path)
    assert wb.sheetnames == ["ThongTin", "DiaChi", "DangKy", "TroGiup", "SoLieu", "HuongDan", "DanhMuc"]
    assert wb["DanhMuc"].sheet_state == "hidden"
    names = set(wb.defined_names)
    assert {"DM_DoiTuong", "DM_HinhThuc", "DM_Loai", "DM_TrangThai", "DM_Nguon", "DM_GioiTinh", "DM_DanToc",
            "DM_CoKhong"} <= names
    ws = wb["DiaChi"]
    assert [c.value for c in ws[HEADER_ROW]][:3] == ["STT", "Mã địa chỉ *", "Họ và tên *"]
    assert ws.freeze_panes == f"D{FIRST_DATA_ROW}"
    assert ws.protection.sheet is True
    assert ws[f"B{HEADER_ROW}"].protection.locked is True
    assert ws.column_dimensions["B"].protection.locked is False  # data cells are open
    assert ws.column_dimensions["G"].number_format == "@"  # CCCD typed as text keeps its zero
    assert ws.column_dimensions["N"].number_format == "dd/mm/yyyy"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation
             if dv.type == "list"}
    assert lists["J"] == "DM_DoiTuong" and lists["E"] == "DM_GioiTinh" and lists["S"] == "DM_TrangThai"
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt]
    assert any("12 chữ số" in p for p in prompts)
    info = wb["ThongTin"]
    labels = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(FIRST_DATA_ROW, info.max_row + 1)}
    assert labels["Mã xã"] == "22333" and labels["Xã/Phường"] == "Phường Bắc Nha Trang"
    assert labels["Mã tỉnh"] == "56" and labels["Kỳ báo cáo"] == "2024-H1"


def test_dropdowns_survive_an_openpyxl_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    new_workbook(path)
    wb = load_workbook(path)
    wb.save(tmp_path / "again.xlsx")
    again = load_workbook(tmp_path / "again.xlsx")
    dvs = again["TroGiup"].data_validations.dataValidation
    assert {dv.formula1 for dv in dvs if dv.type == "list"} == {"DM_HinhThuc", "DM_Nguon", "DM_CoKhong"}


def test_filled_generated_workbook_validates_clean(tmp_path: Path) -> None:
    path = tmp_path / "22333.xlsx"
    new_workbook(path, resolve_unit("22333"), parse_period("2024-H1"))
    book = clean_book()
    wb = load_workbook(path)
    info = wb["ThongTin"]
    assert book.info is not None
    for r in range(FIRST_DATA_ROW, info.max_row + 1):
        label = info.cell(r, 1).value
        if label in book.info and info.cell(r, 2).value is None:
            info.cell(r, 2).value = book.info[label]
    for sheet, (hdrs, rows) in book.tables.items():
        ws = wb[sheet]
        template = [str(c.value).rstrip(" *") for c in ws[HEADER_ROW]]
        assert template == hdrs
        for i, row in enumerate(rows):
            for c, v in enumerate(row, start=1):
                ws.cell(FIRST_DATA_ROW + i, c).value = v
    wb.save(path)
    report = validate_file(path, today=TODAY)
    assert [(i.code, i.cell) for i in report.issues] == []
    assert report.rows == {"DiaChi": 3, "DangKy": 2, "TroGiup": 3}
    assert report.records("DiaChi")[0].values["ngay_lap_ho_so"] == date(2023, 12, 1)


def test_every_field_has_a_kind_the_reader_knows() -> None:
    kinds = {standard.TEXT, standard.YEAR, standard.CODE, standard.CODES, standard.CCCD, standard.COMMUNE,
             standard.DATE, standard.INT, standard.MONEY, standard.YESNO, standard.IGNORED, standard.PERIOD,
             standard.NUMBER, standard.ADMIN_CODE}
    for sheet in standard.SHEETS:
        for f in sheet.fields:
            assert f.kind in kinds, f
            assert f.codelist is None or f.codes is not None
