"""Consolidation (SPEC §4, §5.3): what a coordinator relies on when merging the workbooks
units send — which files are read, the submission policy, row conservation, the parent's
figures without double counting, the 2004 hierarchy, closure (the output consolidated
again gives the same figures), robustness and the output workbook.

Figures are computed by hand from ``books.clean_book()``, period 2024-H1
(25/11/2023–24/05/2024), report date 20/05/2024:

* DiaChi: 0001 An (CCCD 056050…, NC, dossier 01/12/2023, iNHANDAO 05/01/2024, Đang trợ giúp),
  0002 Bình (CCCD 056185…, HN, dossier 15/02/2024, Đang trợ giúp),
  0003 Cường (no CCCD, MC, dossier 01/06/2023, iNHANDAO 01/07/2023, Chờ trợ giúp)
  → có hồ sơ 3, mới 2 (0001, 0002), đang trợ giúp 2, iNHANDAO 2.
* TroGiup: 0001 1.000.000 TM Cuộc vận động qua iNHANDAO; 0002 750.000 HV Quỹ Hội;
  0002 15.000.000 SK Chương trình khác → lượt 3, được trợ giúp 2 (0001, 0002),
  tỷ lệ 2/3 = 66,7; giá trị 1.750.000 (TM 1.000.000 + HV 750.000), CT khác 15.000.000.
* DangKy: Công ty TNHH An Phát (tổ chức), Ông Phạm Văn Dũng (cá nhân, người đứng đầu)
  → người đứng đầu 1/10 = 10,0 %; giá trị 1.750.000/100.000.000 = 1,75 → 1,8 %;
  Phân loại “Trung bình trở lên” → chỉ tiêu 3 địa chỉ mới, 2 < 3 → chưa đạt.

Data rows of a book start on Excel row 4 (two title rows, then the header).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from books import Book, clean_book, write
from conftest import TODAY
from openpyxl import load_workbook
from test_cli import _corrupt, _encrypted, _not_a_workbook

from xl_nhandao.cli import main
from xl_nhandao.consolidate import Consolidation, consolidate
from xl_nhandao.consolidate import writer as consolidate_output
from xl_nhandao.consolidate.writer import write_consolidation
from xl_nhandao.validate import validate_file
from xl_nhandao.vn import adminunits
from xl_nhandao.vn.text import fold
from xl_nhandao.workbook.indicators import INDICATORS

BY_LABEL = {i.code: i.label for i in INDICATORS}

CODES = [i.code for i in INDICATORS]
#: Data rows of a clean book, by sheet, and their Excel rows.
ROWS = {"DiaChi": 3, "DangKy": 2, "TroGiup": 3}
#: In the order a reader needs them: figures, charts, who submitted, what to fix, the rows.
SHEETS = ["TongHop", "ChiTieu", "BieuDo", "NopBaoCao", "TrungLap", "Loi", "LoaiTru", "DiaChi", "DangKy", "TroGiup",
          "ThongTin"]


# -- helpers ----------------------------------------------------------------------------
def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(inputs: list[Path], **kw: object) -> Consolidation:
    return consolidate(inputs, today=kw.pop("today", TODAY), **kw)  # type: ignore[arg-type]


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def book(commune: str = "22333", n: int | None = None, **info: object) -> Book:
    """A clean book; ``n`` gives its two people CCCD numbers of their own (clean_book
    uses the same two numbers in every commune), ``info`` overrides ThongTin."""
    b = clean_book(commune)
    if n is not None:
        b.set("DiaChi", 0, "Số CCCD", f"05605000{n:04d}")  # male, born 1950 — as row 0
        b.set("DiaChi", 1, "Số CCCD", f"05618500{n:04d}")  # female, born 1985 — as row 1
    assert b.info is not None
    b.info.update(info)
    return b


def book_2004(commune: str, n: int) -> Book:
    """A clean book of a 2004-scheme commune (Khánh Hòa, before the 2025 merger)."""
    u = adminunits.lookup(commune, "2004", "Xã")
    assert u is not None and u.district_code
    district = adminunits.lookup(u.district_code, "2004", "Huyện")
    assert district is not None
    b = book("22333", n, **{"Huyện": district.name, "Mã huyện": district.code, "Xã/Phường": u.name,
                            "Mã xã": commune, "Hệ mã đơn vị hành chính": "2004"})
    for sheet, (headers, rows) in b.tables.items():
        for i, row in enumerate(rows):
            code = row[headers.index("Mã địa chỉ")]
            b.set(sheet, i, "Mã địa chỉ", code.replace("22333", commune))
            if sheet == "DiaChi":
                b.set(sheet, i, "Mã xã", commune)
    return b


def agency_book(code: str | None = "SYT") -> Book:
    """Sở Y tế (Cấp đơn vị “Cơ quan”): no register, only SoLieu; 40 heads, value target
    50.000.000, no new-address target."""
    b = clean_book()
    b.tables.clear()
    assert b.info is not None
    b.info.update({"Cấp đơn vị": "Cơ quan", "Tên đơn vị": "Sở Y tế", "Số người đứng đầu": 40,
                   "Chỉ tiêu giá trị vận động (đồng)": 50_000_000})
    del b.info["Phân loại xã"]
    if code is not None:
        b.info["Mã đơn vị"] = code
    return b


AGENCY_FIGURES = [["dia_chi_co_ho_so", "", 12], ["luot_tro_giup", "", 7], ["gia_tri_tro_giup", "", 30_000_000]]


def two_communes(tmp_path: Path) -> Path:
    """A folder with the books of two communes of Khánh Hòa."""
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333", 1), d / "22333.xlsx")
    write(book("22366", 2), d / "22366.xlsx")
    return d


def positions(file: str) -> set[tuple[str, str, int]]:
    """(file, sheet, Excel row) of every data row of a clean book."""
    return {(file, s, 4 + i) for s, n in ROWS.items() for i in range(n)}


def table(ws, header_row: int) -> list[list[object]]:
    """The rows under ``header_row`` (1-based) until the first blank one; empty text
    cells read as None."""
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        values = [None if v == "" else v for v in row]
        if all(v is None for v in values):
            break
        out.append(values)
    return out


# == 1. Inputs =============================================================================
def test_folder_searched_recursively_lock_and_hidden_files_skipped(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    (d / "huyen" / "xa").mkdir(parents=True)
    a = write(book("22333", 1), d / "22333.xlsx")
    write(book("22366", 2), d / "huyen" / "xa" / "22366.xlsx")
    shutil.copy(a, d / "~$22333.xlsx")  # Excel's lock file while 22333.xlsx is open
    shutil.copy(a, d / ".22333.xlsx")  # a hidden file
    (d / "ghi-chu.txt").write_text("không phải sổ", encoding="utf-8")
    r = run([d])
    assert [s.file for s in r.submissions] == ["22333.xlsx", str(Path("huyen", "xa", "22366.xlsx"))]
    assert [s.status for s in r.submissions] == ["accepted", "accepted"]
    assert sorted(r.units) == ["22333", "22366"]


def test_duplicate_paths_are_read_once(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    (d / "con").mkdir(parents=True)
    write(book("22333", 1), d / "22333.xlsx")
    # the folder, the file in it, and the same file by another spelling
    r = run([d, d / "22333.xlsx", d / "con" / ".." / "22333.xlsx"])
    assert len(r.submissions) == 1 and r.submissions[0].status == "accepted"
    assert r.rows == {"read": 8, "counted": 8, "excluded": 0}  # 3 + 2 + 3, once


def test_files_in_hidden_folders_are_not_read(tmp_path: Path) -> None:
    d = tmp_path / "usb"
    (d / ".Trash-1000" / "files").mkdir(parents=True)
    write(book("22333", 1), d / "22333.xlsx")
    write(book("22366", 2), d / ".Trash-1000" / "files" / "22366-da-xoa.xlsx")
    assert [s.file for s in run([d]).submissions] == ["22333.xlsx"]


def test_output_inside_the_input_folder_is_not_read_back(tmp_path: Path, capsys) -> None:
    d = two_communes(tmp_path)
    out = d / "tong-hop.xlsx"
    docs = []
    for _ in range(2):  # the second run finds tong-hop.xlsx in the folder
        code, stdout, _ = cli(["consolidate", str(d), "-o", str(out), "--json"], capsys)
        assert code == 0
        docs.append(json.loads(stdout))
    assert [s["file"] for s in docs[1]["submissions"]] == ["22333.xlsx", "22366.xlsx"]
    assert docs[0] == docs[1]
    assert docs[1]["rows"] == {"read": 16, "counted": 16, "excluded": 0}


# == 2. Policy =============================================================================
REJECTED = {
    "not-a-workbook": (_not_a_workbook, "ghi-chu.xlsx", "không phải tệp Excel .xlsx"),
    "encrypted": (_encrypted, "mat-khau.xlsx", "đang đặt mật khẩu"),
    "damaged-zip": (_corrupt, "hong.xlsx", "bị hỏng, không đọc được"),
}


@pytest.mark.parametrize("kind", sorted(REJECTED))
def test_unreadable_file_is_rejected_with_its_reason_and_the_others_merged(kind: str, tmp_path: Path) -> None:
    make, name, phrase = REJECTED[kind]
    scratch, d = tmp_path / "scratch", tmp_path / "nop"
    scratch.mkdir()
    d.mkdir()
    shutil.move(str(make(scratch)), d / name)
    a = write(book("22333"), d / "22333.xlsx")
    r = run([d])
    by_file = {s.file: s for s in r.submissions}
    bad = by_file[name]
    assert (bad.status, bad.unit_code) == ("rejected", None)
    assert bad.reason is not None and phrase in bad.reason.text("vi") and name in bad.reason.text("vi")
    assert by_file["22333.xlsx"].status == "accepted"
    # the other file is merged as if alone
    assert r.totals == validate_file(a, today=TODAY).figures
    assert r.rows == {"read": 8, "counted": 8, "excluded": 0}


def test_file_of_another_period_is_rejected(tmp_path: Path) -> None:
    d = two_communes(tmp_path)
    write(book("22390", 3, **{"Kỳ báo cáo": "2024-Q1"}), d / "22390.xlsx")
    r = run([d])  # the period most files report: 2024-H1 (2 of 3)
    assert r.period.label == "2024-H1"
    q1 = r.submissions[2]
    assert q1.status == "rejected" and q1.reason is not None
    assert q1.reason.text("vi") == "Kỳ báo cáo 2024-Q1 khác kỳ tổng hợp 2024-H1."
    assert "khác kỳ tổng hợp" in q1.as_json()["reason"]  # type: ignore[operator]
    assert sorted(r.units) == ["22333", "22366"]


def test_unit_outside_the_parent_is_rejected(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333", 1), d / "22333.xlsx")
    write(clean_book("00004", "01"), d / "ha-noi.xlsx")  # a commune of Hà Nội
    r = run([d], parent_code="56")
    s = {x.file: x for x in r.submissions}["ha-noi.xlsx"]
    assert (s.unit_code, s.status) == ("00004", "rejected")
    assert s.reason is not None and s.reason.text("vi") == "Đơn vị 00004 không thuộc Tỉnh Khánh Hòa."
    assert list(r.units) == ["22333"]


def test_later_report_date_wins_whatever_the_file_times(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    old = write(book("22333", 1, **{"Ngày lập báo cáo": date(2024, 5, 10)}), d / "a-ban-dau.xlsx")
    new_book = book("22333", 1, **{"Ngày lập báo cáo": date(2024, 5, 20)})
    new_book.rows("TroGiup").pop()  # the later report has 2 events, not 3
    new = write(new_book, d / "b-sua-lai.xlsx")
    os.utime(old, (2_000_000_000, 2_000_000_000))  # the older report was copied last
    os.utime(new, (1_500_000_000, 1_500_000_000))
    r = run([d])
    first, second = r.submissions
    assert (first.file, first.status) == ("a-ban-dau.xlsx", "superseded")
    assert (second.file, second.status) == ("b-sua-lai.xlsx", "accepted")
    assert first.reason is not None
    assert first.reason.text("vi") == "Đã có bản nộp mới hơn của đơn vị: b-sua-lai.xlsx (ngày lập 20/05/2024)."
    assert r.units["22333"].figures["luot_tro_giup"] == 2  # the winner's events only


def test_same_report_date_later_file_time_wins(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    a = write(book("22333", 1), d / "a.xlsx")
    b_book = book("22333", 1)
    b_book.rows("TroGiup").pop()
    b = write(b_book, d / "b.xlsx")
    os.utime(a, (1_700_000_000, 1_700_000_000))  # a.xlsx arrived later
    os.utime(b, (1_600_000_000, 1_600_000_000))
    r = run([d])
    assert [(s.file, s.status) for s in r.submissions] == [("a.xlsx", "accepted"), ("b.xlsx", "superseded")]
    assert r.submissions[1].reason is not None and "a.xlsx" in r.submissions[1].reason.text("vi")
    assert r.units["22333"].figures["luot_tro_giup"] == 3  # a.xlsx's three events


@pytest.mark.parametrize(
    ("label", "on_time", "late", "quarter_days"),
    [
        ("2024", date(2024, 11, 30), date(2024, 12, 1), 5),  # year: due 30/11
        ("2024-H1", date(2024, 5, 30), date(2024, 5, 31), 5),  # 6 months: due 30/05
        ("2024-Q2", date(2024, 5, 29), date(2024, 5, 30), 5),  # Q2 ends 24/05, + 5 days
        ("2024-Q2", date(2024, 6, 3), date(2024, 6, 4), 10),  # + 10 days
    ],
)
def test_late_after_the_deadline_not_on_it(label: str, on_time: date, late: date, quarter_days: int,
                                           tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333", 1, **{"Kỳ báo cáo": label, "Ngày lập báo cáo": on_time}), d / "22333.xlsx")
    write(book("22366", 2, **{"Kỳ báo cáo": label, "Ngày lập báo cáo": late}), d / "22366.xlsx")
    r = run([d], quarter_days=quarter_days, today=date(2024, 12, 31))
    assert [(s.unit_code, s.status, s.late) for s in r.submissions] == [
        ("22333", "accepted", False), ("22366", "accepted", True)]


def test_missing_units_from_a_file_of_codes_and_from_children(tmp_path: Path) -> None:
    d = two_communes(tmp_path)
    expect = tmp_path / "phai-nop.txt"
    expect.write_text("# Các phường phải nộp báo cáo 6 tháng\n22333\n22366   # Phường Nha Trang\n\n"
                      "22390\n# 22402 đã giải thể\n22411\n", encoding="utf-8")
    assert run([d], expect=str(expect)).missing == ["22390", "22411"]
    r = run([d], expect="children:56")
    communes = [u.code for u in adminunits.children("56", "2025")]
    assert len(communes) == 65
    assert r.parent_code == "56"
    assert r.missing == [c for c in communes if c not in ("22333", "22366")]  # 63


# == 3. Row conservation ===================================================================
def _mixed_folder(d: Path) -> None:
    """22333 with errors; 22366 sent twice; 22390 sent a quarterly report."""
    d.mkdir()
    a = book("22333", 1)
    a.set("DiaChi", 1, "Năm sinh", 19855)  # 22333-0002: error → the row and its 2 events out
    a.set("TroGiup", 0, "Giá trị (đồng)", -5)  # the event of 0001: error
    write(a, d / "22333.xlsx")
    write(book("22366", 2, **{"Ngày lập báo cáo": date(2024, 5, 10)}), d / "22366-cu.xlsx")
    write(book("22366", 2), d / "22366-moi.xlsx")
    write(book("22390", 3, **{"Kỳ báo cáo": "2024-Q1"}), d / "22390-quy1.xlsx")


def test_every_row_read_is_counted_or_excluded_with_its_reason(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    _mixed_folder(d)
    r = run([d], period_label="2024-H1")
    assert [(s.file, s.status) for s in r.submissions] == [
        ("22333.xlsx", "accepted"), ("22366-cu.xlsx", "superseded"), ("22366-moi.xlsx", "accepted"),
        ("22390-quy1.xlsx", "rejected")]
    # read: 4 files × (3 + 2 + 3) = 32
    # counted: 22333 DiaChi 2 + DangKy 2 (a registration of an address with errors counts)
    #          + TroGiup 0; 22366-moi 3 + 2 + 3 → 12
    # excluded: 22333: 1 + 3; 22366-cu: 8; 22390-quy1: 8 → 20
    assert r.read == {"DiaChi": 12, "DangKy": 8, "TroGiup": 12}
    assert r.counted == {"DiaChi": 5, "DangKy": 4, "TroGiup": 3}
    assert r.rows == {"read": 32, "counted": 12, "excluded": 20}
    reasons = {(e.file, e.sheet, e.row): e.reason.text("vi") for e in r.excluded}
    assert len(reasons) == len(r.excluded) == 20
    counted = {(m.file, m.sheet, m.row) for rows in r.merged.values() for m in rows}
    assert len(counted) == 12 and not counted & set(reasons)
    everything = set().union(*(positions(f) for f in ("22333.xlsx", "22366-cu.xlsx", "22366-moi.xlsx",
                                                      "22390-quy1.xlsx")))
    assert counted | set(reasons) == everything
    assert reasons[("22333.xlsx", "DiaChi", 5)].startswith("Dòng có lỗi")
    assert reasons[("22333.xlsx", "TroGiup", 4)].startswith("Dòng có lỗi")
    for row in (5, 6):  # the two events of 22333-0002
        assert reasons[("22333.xlsx", "TroGiup", row)] == "Địa chỉ 22333-0002 đang có lỗi; sự kiện chưa được tính."
    for pos in positions("22366-cu.xlsx"):
        assert reasons[pos] == "Bản nộp đã được thay bằng bản mới hơn."
    for pos in positions("22390-quy1.xlsx"):
        assert reasons[pos] == "Bản nộp bị từ chối: Kỳ báo cáo 2024-Q1 khác kỳ tổng hợp 2024-H1."
    # the same list in the LoaiTru sheet
    out = tmp_path / "tong-hop.xlsx"
    write_consolidation(r, out)
    ws = load_workbook(out, read_only=True)["LoaiTru"]
    lines = table(ws, 1)
    assert {(f, s, row): why for s, _, f, _, row, why in lines} == reasons


# == 4. Indicators =========================================================================
def test_each_units_own_figures_are_its_files_figures(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    _mixed_folder(d)
    r = run([d], period_label="2024-H1")
    assert r.units["22333"].figures == validate_file(d / "22333.xlsx", today=TODAY).figures
    assert r.units["22366"].figures == validate_file(d / "22366-moi.xlsx", today=TODAY).figures
    # by hand, 22333 without its row with errors and without the 3 events (one with an
    # error, two of the address with errors): 0001 and 0003 left
    f = r.units["22333"].figures
    assert (f["dia_chi_co_ho_so"], f["dia_chi_moi"], f["luot_tro_giup"], f["gia_tri_tro_giup"]) == (2, 1, 0, 0)
    assert f["ty_le_duoc_tro_giup"] == 0.0  # 0 of 2
    assert f["nguoi_dung_dau_dang_ky"] == 1  # the registration of 0002 still counts
    assert "22390" not in r.units  # rejected


def test_a_person_registered_by_two_units_counts_once_events_add_up(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    a = write(book("22333"), d / "22333.xlsx")
    # 22366 registered An and Bình too (same CCCD as in 22333) and Cường (no CCCD) in
    # commune 22333; its supporters are other people
    b = book("22366")
    b.set("DiaChi", 2, "Mã xã", "22333")
    for i, name in enumerate(("Công ty CP Bình Minh", "Bà Võ Thị Hoa")):
        b.set("DangKy", i, "Tên tổ chức/cá nhân", name)
    bp = write(b, d / "22366.xlsx")
    r = run([d])
    assert (r.parent_code, r.parent_name, r.scheme) == ("56", "Tỉnh Khánh Hòa", "2025")  # inferred
    fa, fb, t = r.units["22333"].figures, r.units["22366"].figures, r.totals
    assert fa == validate_file(a, today=TODAY).figures
    assert fb == validate_file(bp, today=TODAY).figures
    assert (fa["dia_chi_co_ho_so"], fb["dia_chi_co_ho_so"]) == (3, 3)
    # addresses: An and Bình once each, Cường twice (a possible pair is not merged) → 4
    assert t["dia_chi_co_ho_so"] == 4
    assert t["dia_chi_moi"] == 2  # An, Bình
    assert t["dia_chi_dang_tro_giup"] == 2
    assert t["dia_chi_duoc_tro_giup"] == 2  # An, Bình: supported by both units
    assert t["ty_le_duoc_tro_giup"] == 50.0  # 2 / 4
    assert t["dia_chi_inhandao"] == 3  # An, Cường of 22333, Cường of 22366
    assert t["dia_chi_qua_inhandao"] == 1  # An
    assert t["doi_tuong_NC"] == 1 and t["doi_tuong_HN"] == 1 and t["doi_tuong_MC"] == 2
    # events and values add up
    assert t["luot_tro_giup"] == 6  # 3 + 3
    assert t["gia_tri_tro_giup"] == 3_500_000  # 1.750.000 × 2
    assert (t["gia_tri_TM"], t["gia_tri_HV"]) == (2_000_000, 1_500_000)
    assert t["gia_tri_chuong_trinh_khac"] == 30_000_000
    assert (t["to_chuc_tham_gia"], t["ca_nhan_tham_gia"], t["nguoi_dung_dau_dang_ky"]) == (2, 2, 2)
    # rates from the parent's own totals and summed targets
    assert t["ty_le_nguoi_dung_dau"] == 10.0  # 2 / (10 + 10)
    assert t["ty_le_chi_tieu_gia_tri"] == 1.8  # 3.500.000 / 200.000.000 = 1,75 → 1,8
    assert t["dat_chi_tieu_dia_chi_moi"] is False  # 2 < 3 + 3
    # the overlap line: Σ units − parent, exactly the two people counted twice
    expected = dict.fromkeys(r.overlap, 0)
    expected.update(dia_chi_co_ho_so=2, dia_chi_moi=2, dia_chi_dang_tro_giup=2, dia_chi_duoc_tro_giup=2,
                    dia_chi_inhandao=1, dia_chi_qua_inhandao=1, doi_tuong_NC=1, doi_tuong_HN=1)
    assert r.overlap == expected
    assert all(r.overlap[k] == fa[k] + fb[k] - t[k] for k in r.overlap)  # type: ignore[operator]
    # the duplicates: two matches (same CCCD), one possible pair (Cường, 2010, 22333)
    pairs = [(p.level, p.a.unit, p.a.row, p.b.unit, p.b.row) for p in r.duplicates]
    assert pairs == [("match", "22333", 4, "22366", 4), ("match", "22333", 5, "22366", 5),
                     ("possible", "22333", 6, "22366", 6)]


def test_an_aggregate_only_unit_adds_its_figures_as_given(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333"), d / "22333.xlsx")
    write(agency_book(), d / "so-y-te.xlsx", solieu=AGENCY_FIGURES)
    r = run([d])
    agency = {s.unit_code: s for s in r.submissions}["SYT"]
    assert (agency.status, agency.kind) == ("accepted", "aggregate")
    u = r.units["SYT"]
    assert (u.source, u.name, u.level) == ("aggregate", "Sở Y tế", "Cơ quan")
    assert (u.figures["dia_chi_co_ho_so"], u.figures["luot_tro_giup"], u.figures["gia_tri_tro_giup"]) == (
        12, 7, 30_000_000)
    t = r.totals
    assert t["dia_chi_co_ho_so"] == 15  # 3 + 12
    assert t["luot_tro_giup"] == 10  # 3 + 7
    assert t["gia_tri_tro_giup"] == 31_750_000  # 1.750.000 + 30.000.000
    assert t["dia_chi_duoc_tro_giup"] == 2  # not sent by the agency
    assert t["ty_le_duoc_tro_giup"] == 13.3  # 2 / 15
    assert t["ty_le_nguoi_dung_dau"] == 2.0  # 1 / (10 + 40)
    assert t["ty_le_chi_tieu_gia_tri"] == 21.2  # 31.750.000 / 150.000.000 = 21,17
    assert t["dat_chi_tieu_dia_chi_moi"] is False  # 2 < 3 (the agency has no target)
    assert r.overlap["dia_chi_co_ho_so"] == 0 and r.overlap["gia_tri_tro_giup"] == 0
    # TongHop says where the figures come from
    out = tmp_path / "tong-hop.xlsx"
    write_consolidation(r, out)
    lines = {row[0]: row[3] for row in table(load_workbook(out, read_only=True)["TongHop"], 4)}
    assert lines["SYT"] == "Số liệu gửi" and lines["22333"] == "Sổ đăng ký"


def test_the_ledger_says_a_unit_sent_only_figures(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333"), d / "22333.xlsx")
    write(agency_book(), d / "so-y-te.xlsx", solieu=AGENCY_FIGURES)
    out = tmp_path / "tong-hop.xlsx"
    write_consolidation(run([d]), out)
    ledger = {row[0]: row for row in table(load_workbook(out, read_only=True)["NopBaoCao"], 4)}
    said = [fold(str(v)) for c, v in enumerate(ledger["SYT"]) if c not in (1, 2, 4) and v]
    assert any("so lieu" in s or "solieu" in s for s in said), ledger["SYT"]


def test_an_aggregate_only_units_attainment_uses_its_target(tmp_path: Path) -> None:
    path = write(agency_book(), tmp_path / "so-y-te.xlsx", solieu=AGENCY_FIGURES)
    r = run([path])
    assert r.units["SYT"].figures["ty_le_chi_tieu_gia_tri"] == 60.0  # 30.000.000 / 50.000.000


def test_a_workbook_validate_calls_clean_is_not_rejected(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333"), d / "22333.xlsx")
    agency = write(agency_book(code=None), d / "so-y-te.xlsx", solieu=AGENCY_FIGURES)
    report = validate_file(agency, today=TODAY)
    s = {x.file: x for x in run([d]).submissions}["so-y-te.xlsx"]
    assert report.valid is False or s.status == "accepted", (report.issues, s.reason and s.reason.text())


def test_rates_are_null_without_a_denominator(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    no_targets = book("22333")
    assert no_targets.info is not None
    for label in ("Số người đứng đầu", "Chỉ tiêu giá trị vận động (đồng)", "Phân loại xã"):
        del no_targets.info[label]
    write(no_targets, d / "22333.xlsx")
    t = run([d]).totals
    assert t["ty_le_nguoi_dung_dau"] is None and t["ty_le_chi_tieu_gia_tri"] is None
    assert t["dat_chi_tieu_dia_chi_moi"] is None
    assert t["ty_le_duoc_tro_giup"] == 66.7  # 2 / 3: this one has its denominator
    # an agency that sent only a value: no addresses → no supported share
    only_value = agency_book()
    assert only_value.info is not None
    del only_value.info["Số người đứng đầu"], only_value.info["Chỉ tiêu giá trị vận động (đồng)"]
    path = write(only_value, tmp_path / "so-y-te.xlsx", solieu=[["gia_tri_tro_giup", "", 5_000_000]])
    t = run([path]).totals
    assert t["gia_tri_tro_giup"] == 5_000_000
    assert [t[k] for k in ("ty_le_duoc_tro_giup", "ty_le_nguoi_dung_dau", "ty_le_chi_tieu_gia_tri",
                           "dat_chi_tieu_dia_chi_moi")] == [None, None, None, None]


# == 5. Hierarchy (2004 scheme) ============================================================
def _district_folders(d: Path) -> None:
    """Khánh Hòa, 2004: 22327 and 22330 of Nha Trang (568) share one person (An, same
    CCCD); 22408 of Cam Ranh (569)."""
    (d / "568").mkdir(parents=True)
    (d / "569").mkdir()
    write(book_2004("22327", 1), d / "568" / "22327.xlsx")
    shared = book_2004("22330", 2)
    shared.set("DiaChi", 0, "Số CCCD", "056050000001")  # An of 22327
    write(shared, d / "568" / "22330.xlsx")
    write(book_2004("22408", 3), d / "569" / "22408.xlsx")


def test_2004_communes_of_two_districts_give_district_subtotals(tmp_path: Path) -> None:
    _district_folders(tmp_path)
    r = run([tmp_path])
    assert (r.scheme, r.parent_code, r.parent_name) == ("2004", "56", "Tỉnh Khánh Hòa")
    assert sorted(r.units) == ["22327", "22330", "22408"]
    assert {c: u.district for c, u in r.units.items()} == {"22327": "568", "22330": "568", "22408": "569"}
    assert sorted(r.districts) == ["568", "569"]
    d568, d569 = r.districts["568"].figures, r.districts["569"].figures
    assert d568["dia_chi_co_ho_so"] == 5  # 3 + 3 − An counted once
    assert d568["luot_tro_giup"] == 6 and d568["gia_tri_tro_giup"] == 3_500_000
    assert d568["ty_le_chi_tieu_gia_tri"] == 1.8  # 3.500.000 / 200.000.000
    assert d569["dia_chi_co_ho_so"] == 3 and d569["gia_tri_tro_giup"] == 1_750_000
    assert r.totals["dia_chi_co_ho_so"] == 8 and r.totals["gia_tri_tro_giup"] == 5_250_000
    # each subtotal is the district's own consolidation of its communes' rows
    for code in ("568", "569"):
        alone = run([tmp_path / code])
        assert alone.parent_code == code and alone.parent is not None and alone.parent.level == "Huyện"
        assert r.districts[code].figures == alone.totals
    out = tmp_path / "tinh.xlsx"
    write_consolidation(r, out)
    lines = [(row[0], row[3]) for row in table(load_workbook(out, read_only=True)["TongHop"], 4)]
    assert lines == [("568", "Cộng huyện"), ("22327", "Sổ đăng ký"), ("22330", "Sổ đăng ký"),
                     ("569", "Cộng huyện"), ("22408", "Sổ đăng ký"), ("56", "Tổng"),
                     (None, "Trùng giữa đơn vị")]


def test_a_districts_consolidation_merged_again_equals_its_communes(tmp_path: Path) -> None:
    _district_folders(tmp_path)
    direct = run([tmp_path / "568", tmp_path / "569"])
    district = run([tmp_path / "568"])
    out = tmp_path / "tong-568.xlsx"
    write_consolidation(district, out)
    r = run([out, tmp_path / "569"])
    assert [(s.unit_code, s.kind, s.status) for s in r.submissions] == [
        ("568", "consolidation", "accepted"), ("22408", "register", "accepted")]
    assert r.parent_code == "56"
    assert r.totals == direct.totals
    assert {c: u.figures for c, u in r.units.items()} == {c: u.figures for c, u in direct.units.items()}
    assert {c: u.targets for c, u in r.units.items()} == {c: u.targets for c, u in direct.units.items()}
    assert {c: u.figures for c, u in r.districts.items()} == {c: u.figures for c, u in direct.districts.items()}
    assert r.rows == {"read": 24, "counted": 24, "excluded": 0}


def test_a_unit_covered_twice_counts_once_and_its_own_file_wins(tmp_path: Path) -> None:
    _district_folders(tmp_path)
    out = tmp_path / "tong-568.xlsx"
    write_consolidation(run([tmp_path / "568"]), out)
    # 22327 then sent its own, corrected register: one more event of 2.000.000
    own_book = book_2004("22327", 1)
    own_book.rows("TroGiup").append([4, date(2024, 4, 15), "22327-0001", "Công ty TNHH An Phát", "TM", "Tiền mặt",
                                     2_000_000, "Cuộc vận động", None, "Không", "PC-004", None])
    own = write(own_book, tmp_path / "22327-sua.xlsx")
    r = run([out, tmp_path / "569", own])
    assert [s.status for s in r.submissions] == ["accepted"] * 3
    # counted once, from its own file
    assert r.units["22327"].figures == validate_file(own, today=TODAY).figures
    assert r.units["22327"].figures["luot_tro_giup"] == 4
    expected = run([own, tmp_path / "568" / "22330.xlsx", tmp_path / "569"])
    assert r.totals == expected.totals
    assert r.totals["gia_tri_tro_giup"] == 7_250_000  # 3 × 1.750.000 + 2.000.000
    # the consolidation's 8 rows of 22327 (3 + 2 + 3) are excluded, naming the own file
    assert r.rows == {"read": 16 + 8 + 9, "counted": 8 + 8 + 9, "excluded": 8}
    assert {(e.file, e.unit) for e in r.excluded} == {(out.name, "22327")}
    assert {e.reason.text("vi") for e in r.excluded} == {
        f"Đơn vị đã có sổ riêng ({own.name}); các dòng của đơn vị trong tệp tổng hợp không tính lại."}
    consolidation = r.submissions[0]
    assert [n.text("vi") for n in consolidation.notes] == [
        "8 dòng của đơn vị 22327 đã có trong sổ riêng của đơn vị; không tính lại."]


# == 6. Closure ============================================================================
def test_the_output_validates_and_consolidates_to_the_same_figures(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    a = book("22333")
    a.set("TroGiup", 1, "Giá trị (đồng)", -5)  # one excluded event
    write(a, d / "22333.xlsx")
    b = book("22366", **{"Chỉ tiêu giá trị vận động (đồng)": 20_000_000, "Số người đứng đầu": 4})
    b.set("DiaChi", 2, "Mã xã", "22333")  # matches and a possible pair with 22333
    write(b, d / "22366.xlsx")
    first = run([d])
    assert first.rows == {"read": 16, "counted": 15, "excluded": 1}
    out = tmp_path / "tong-hop.xlsx"
    write_consolidation(first, out)
    report = validate_file(out, today=TODAY)
    assert report.counts["error"] == 0, [i.as_json() for i in report.issues]
    again = run([out])
    assert again.totals == first.totals
    assert {c: u.figures for c, u in again.units.items()} == {c: u.figures for c, u in first.units.items()}
    assert {c: u.targets for c, u in again.units.items()} == {c: u.targets for c, u in first.units.items()}
    assert again.targets == first.targets
    assert again.overlap == first.overlap
    assert [p.level for p in again.duplicates] == [p.level for p in first.duplicates] == [
        "match", "match", "possible"]
    assert again.rows == {"read": 15, "counted": 15, "excluded": 0}


def test_a_2004_province_output_consolidates_to_the_same_figures(tmp_path: Path) -> None:
    _district_folders(tmp_path)
    first = run([tmp_path])
    out = tmp_path / "tinh.xlsx"
    write_consolidation(first, out)
    assert validate_file(out, today=TODAY).counts["error"] == 0
    again = run([out])
    assert again.totals == first.totals
    assert {c: u.figures for c, u in again.units.items()} == {c: u.figures for c, u in first.units.items()}
    assert {c: u.figures for c, u in again.districts.items()} == {
        c: u.figures for c, u in first.districts.items()}


def test_closure_keeps_an_aggregate_only_units_figures(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333"), d / "22333.xlsx")
    write(agency_book(), d / "so-y-te.xlsx", solieu=AGENCY_FIGURES)
    first = run([d])
    out = tmp_path / "tong-hop.xlsx"
    write_consolidation(first, out)
    again = run([out])
    assert again.totals == first.totals  # holds
    assert again.units["SYT"].figures == first.units["SYT"].figures  # ty_le_duoc_tro_giup None → 0.0


# == 7. Robustness =========================================================================
def test_inputs_are_never_modified(tmp_path: Path, capsys) -> None:
    d = tmp_path / "nop"
    _mixed_folder(d)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for make, name, _ in REJECTED.values():
        shutil.move(str(make(scratch)), d / name)
    write(agency_book(), d / "so-y-te.xlsx", solieu=AGENCY_FIGURES)
    before = {p: sha(p) for p in d.rglob("*")}
    assert len(before) == 8
    out = d / "tong-hop.xlsx"
    for _ in range(2):
        code, _, _ = cli(["consolidate", str(d), "-o", str(out), "--json"], capsys)
        assert code == 1
    assert {p: sha(p) for p in d.rglob("*") if p != out} == before


def test_the_output_is_written_atomically(tmp_path: Path, monkeypatch, capsys) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(book("22333"), d / "22333.xlsx")
    r = run([d])
    out_dir = tmp_path / "ket-qua"
    out_dir.mkdir()
    out = out_dir / "tong-hop.xlsx"
    write_consolidation(r, out)  # an earlier consolidation, which a new run may replace
    earlier = out.read_bytes()

    def boom(*args: object) -> None:
        raise RuntimeError("hết dung lượng")

    monkeypatch.setattr(consolidate_output, "_charts", boom)
    with pytest.raises(RuntimeError):
        write_consolidation(r, out)
    assert out.read_bytes() == earlier  # the old output is untouched
    assert list(out_dir.iterdir()) == [out]  # no temp file left
    monkeypatch.undo()
    write_consolidation(r, out)
    assert zipfile.is_zipfile(out) and list(out_dir.iterdir()) == [out]
    # a run that fails (nothing readable) leaves the existing output as it was
    before = sha(out)
    bad = tmp_path / "hong"
    bad.mkdir()
    _corrupt(bad)
    (bad / "good.xlsx").unlink()
    code, stdout, err = cli(["consolidate", str(bad), "-o", str(out)], capsys)
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert sha(out) == before and list(out_dir.iterdir()) == [out]


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_the_output_has_the_usual_file_permissions(tmp_path: Path) -> None:
    path = write(book("22333"), tmp_path / "22333.xlsx")
    r = run([path])
    old = os.umask(0o022)
    try:
        out = tmp_path / "tong-hop.xlsx"
        write_consolidation(r, out)
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode) == 0o644


def test_json_document_of_the_command(tmp_path: Path, capsys) -> None:
    d = two_communes(tmp_path)
    out = tmp_path / "tong-hop.xlsx"
    args = ["consolidate", str(d), "-o", str(out), "--json"]
    code, stdout, err = cli(args, capsys)
    assert code == 0 and err == ""
    doc = json.loads(stdout)  # exactly one JSON document, nothing else on stdout
    assert list(doc) == ["output", "period", "submissions", "missing_units", "units", "totals",
                         "duplicates_across_units", "rows"]
    assert doc["output"] == str(out)
    assert doc["period"] == {"label": "2024-H1", "start": "2023-11-25", "end": "2024-05-24"}
    for s in doc["submissions"]:
        assert list(s) == ["file", "unit_code", "status", "late", "rows", "errors", "warnings", "reason"]
        assert list(s["rows"]) == ["DiaChi", "DangKy", "TroGiup"]
    assert [(s["file"], s["unit_code"], s["status"], s["late"], s["reason"]) for s in doc["submissions"]] == [
        ("22333.xlsx", "22333", "accepted", False, None), ("22366.xlsx", "22366", "accepted", False, None)]
    assert doc["missing_units"] == []
    assert list(doc["units"]) == ["22333", "22366"]
    assert all(list(f) == CODES for f in doc["units"].values())
    assert list(doc["totals"]) == CODES
    assert doc["totals"]["gia_tri_tro_giup"] == 3_500_000 and doc["totals"]["dia_chi_co_ho_so"] == 6
    assert doc["duplicates_across_units"] == 0
    assert list(doc["rows"]) == ["read", "counted", "excluded"]
    assert doc["rows"] == {"read": 16, "counted": 16, "excluded": 0}
    # a re-run: the same document
    code, again, _ = cli(args, capsys)
    assert code == 0 and again == stdout


def test_quarter_deadline_days_on_the_command_line(tmp_path: Path, capsys) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    # 2024-Q2 ends 24/05/2024; with 10 days the report is due 03/06/2024
    write(book("22333", 1, **{"Kỳ báo cáo": "2024-Q2", "Ngày lập báo cáo": date(2024, 6, 3)}), d / "a.xlsx")
    write(book("22366", 2, **{"Kỳ báo cáo": "2024-Q2", "Ngày lập báo cáo": date(2024, 6, 4)}), d / "b.xlsx")
    base = ["consolidate", str(d), "-o", str(tmp_path / "q2.xlsx"), "--json"]
    _, stdout, _ = cli([*base, "--quarter-deadline-days", "10"], capsys)
    assert [s["late"] for s in json.loads(stdout)["submissions"]] == [False, True]
    _, stdout, _ = cli(base, capsys)  # default 5 days: due 29/05
    assert [s["late"] for s in json.loads(stdout)["submissions"]] == [True, True]


def test_exit_codes(tmp_path: Path, capsys) -> None:
    clean = tmp_path / "sach"
    clean.mkdir()
    write(book("22333", 1), clean / "22333.xlsx")
    write(book("22366", 2), clean / "22366.xlsx")
    assert cli(["consolidate", str(clean), "-o", str(tmp_path / "o1.xlsx")], capsys)[0] == 0
    # a rejected file → 1, the output still written
    rejected = tmp_path / "tu-choi"
    shutil.copytree(clean, rejected)
    _not_a_workbook(rejected)
    assert cli(["consolidate", str(rejected), "-o", str(tmp_path / "o2.xlsx")], capsys)[0] == 1
    assert (tmp_path / "o2.xlsx").is_file()
    # a submission with errors → 1
    errors = tmp_path / "loi"
    errors.mkdir()
    broken = book("22333")
    broken.set("DiaChi", 2, "Năm sinh", 19855)
    write(broken, errors / "22333.xlsx")
    assert cli(["consolidate", str(errors), "-o", str(tmp_path / "o3.xlsx")], capsys)[0] == 1
    # no input at all (an empty folder; a folder with only a lock file) → 2, one line
    empty = tmp_path / "trong"
    empty.mkdir()
    locked = tmp_path / "khoa"
    locked.mkdir()
    shutil.copy(clean / "22333.xlsx", locked / "~$22333.xlsx")
    for folder in (empty, locked):
        out = tmp_path / "o4.xlsx"
        code, stdout, err = cli(["consolidate", str(folder), "-o", str(out)], capsys)
        assert code == 2 and stdout == ""
        assert err.count("\n") == 1 and f"Không có sổ Excel nào (.xlsx, .xlsm, .xls, .ods) trong “{folder}”." in err and "Traceback" not in err
        assert not out.exists()


# == 8. The output workbook ================================================================
def test_the_output_workbook(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    a = book("22333", 1)
    a.tables = {("Dia chi" if k == "DiaChi" else k): v for k, v in a.tables.items()}  # a renamed sheet
    write(a, d / "22333.xlsx")
    write(book("22366", 2, **{"Ngày lập báo cáo": date(2024, 5, 10)}), d / "22366-cu.xlsx")
    write(book("22366", 2), d / "22366-moi.xlsx")
    _not_a_workbook(d)
    expect = tmp_path / "phai-nop.txt"
    expect.write_text("22333\n22366\n22390\n", encoding="utf-8")
    r = run([d], expect=str(expect))
    out = tmp_path / "tong-hop.xlsx"
    write_consolidation(r, out)
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS

    # NopBaoCao: one line per submission (sha256, status in Vietnamese), then the missing unit
    ledger = table(wb["NopBaoCao"], 4)
    assert [(row[0], row[2], row[4], row[6]) for row in ledger[:4]] == [
        ("22333", "22333.xlsx", sha(d / "22333.xlsx"), "Chấp nhận"),
        ("22366", "22366-cu.xlsx", sha(d / "22366-cu.xlsx"), "Bị thay thế"),
        ("22366", "22366-moi.xlsx", sha(d / "22366-moi.xlsx"), "Chấp nhận"),
        (None, "ghi-chu.xlsx", sha(d / "ghi-chu.xlsx"), "Từ chối"),
    ]
    assert (ledger[4][0], ledger[4][6]) == ("22390", "Chưa nộp") and len(ledger) == 5
    assert "22366-moi.xlsx" in ledger[1][14]  # the reason names the winner

    # DiaChi: provenance columns pointing at the real source row
    ws = wb["DiaChi"]
    header = [c.value for c in ws[1]]
    col = {h: header.index(h) for h in ("Mã địa chỉ", "Họ và tên", "Đơn vị nguồn", "Tệp nguồn", "Trang nguồn",
                                         "Dòng nguồn")}
    rows = table(ws, 1)
    assert len(rows) == 6  # 3 of 22333 + 3 of 22366-moi
    sources = {}
    for row in rows:
        name = row[col["Tệp nguồn"]]
        if name not in sources:
            sources[name] = load_workbook(d / name)
        src = sources[name][row[col["Trang nguồn"]]]
        src_header = [c.value for c in src[3]]
        line = src[row[col["Dòng nguồn"]]]
        assert line[src_header.index("Mã địa chỉ")].value == row[col["Mã địa chỉ"]]
        assert line[src_header.index("Họ và tên")].value == row[col["Họ và tên"]]
        assert row[col["Mã địa chỉ"]].startswith(row[col["Đơn vị nguồn"]] + "-")
    assert {(row[col["Tệp nguồn"]], row[col["Trang nguồn"]]) for row in rows} == {
        ("22333.xlsx", "Dia chi"), ("22366-moi.xlsx", "DiaChi")}

    # TongHop: a line per unit, the total, the overlap line
    lines = table(wb["TongHop"], 4)
    assert [(row[0], row[3]) for row in lines] == [("22333", "Sổ đăng ký"), ("22366", "Sổ đăng ký"),
                                                  ("56", "Tổng"), (None, "Trùng giữa đơn vị")]
    first = 4  # the first indicator column, headed by the indicator labels (every indicator once)
    labels = [c.value for c in wb["TongHop"][4]][first:first + len(INDICATORS)]
    assert sorted(labels) == sorted(i.label for i in INDICATORS)
    co_ho_so = first + labels.index(BY_LABEL["dia_chi_co_ho_so"])
    gia_tri = first + labels.index(BY_LABEL["gia_tri_tro_giup"])
    assert [row[co_ho_so] for row in lines] == [3, 3, 6, 0]
    assert [row[gia_tri] for row in lines] == [1_750_000, 1_750_000, 3_500_000, 0]

    # BieuDo: three native charts (openpyxl cannot read them back: look in the zip)
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 3


# == District sheets: one workbook, one sheet per unit, figures only ========================
def _district_sheets(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, code, values in (("Cam Lâm", "570", (40, 25, 90, 350_000_000)), ("571", None, (33, 20, 70, 280_000_000))):
        ws = wb.create_sheet(sheet)
        ws.append(["BẢNG SỐ LIỆU CUỘC VẬN ĐỘNG"])
        if code:
            ws.append(["Mã đơn vị", code])
        ws.append(["Kỳ báo cáo", "2024-H1"])
        ws.append(["TT", "Chỉ số", "Giá trị"])
        labels = ("Số địa chỉ nhân đạo có hồ sơ", "Số địa chỉ được trợ giúp trong kỳ", "Số lượt trợ giúp",
                  "Tổng giá trị trợ giúp (đồng)")
        for i, (label, v) in enumerate(zip(labels, values), start=1):
            ws.append([i, label, v])
    wb.save(path)
    return path


def test_district_sheets_workbook_adds_each_sheet_as_given(tmp_path: Path) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    own = book_2004("22327", 1)
    write(own, d / "22327.xlsx")
    _district_sheets(d / "so-lieu-cac-huyen.xlsx")
    r = run([d])
    subs = {s.file: s for s in r.submissions}
    # each sheet is a unit's submission: by its "Mã đơn vị" cell, or by the sheet name
    assert subs["22327.xlsx"].kind == "register"
    assert {(s.sheet, s.unit_code, s.kind, s.status) for s in r.submissions if s.sheet} == {
        ("Cam Lâm", "570", "aggregate", "accepted"), ("571", "571", "aggregate", "accepted")}
    own_figures = validate_file(d / "22327.xlsx", today=TODAY).figures
    assert own_figures is not None
    # the figures as given are added to the province's totals
    assert r.totals["dia_chi_co_ho_so"] == own_figures["dia_chi_co_ho_so"] + 40 + 33
    assert r.totals["luot_tro_giup"] == own_figures["luot_tro_giup"] + 90 + 70
    assert r.totals["gia_tri_tro_giup"] == own_figures["gia_tri_tro_giup"] + 350_000_000 + 280_000_000
    assert r.units["570"].figures["ty_le_duoc_tro_giup"] == 62.5  # 25 / 40
    assert r.units["570"].figures["dia_chi_moi"] is None  # not sent: unknown, not 0
