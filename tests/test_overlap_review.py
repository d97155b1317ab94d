"""The overlap review workbook, the identities decisions are keyed by, and reading the
coordinator's decisions back (SPEC §5.4).

People, pairs and events are built by hand; the review is written, opened with openpyxl
(as a coordinator's Excel would change it) and read back."""

from __future__ import annotations

import random
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from xl_nhandao.errors import InputError, OutputError, RunError
from xl_nhandao.overlap.decisions import decision_value, read_decisions
from xl_nhandao.overlap.identity import (
    address_key,
    campaign_event_key,
    event_identity,
    pair_identity,
    parse_identity,
)
from xl_nhandao.overlap.model import (
    CAMPAIGN,
    NOT_SAME,
    SAME,
    Event,
    EventTwice,
    Pair,
    People,
    Reason,
)
from xl_nhandao.overlap.review import write_review

CCCD_LAN = "056160001234"
PHONE = "0912345678"


# -- building blocks -------------------------------------------------------------------
def campaign() -> People:
    camp = People(CAMPAIGN, kind="campaign", files=["tong-hop.xlsx"])
    rows = [
        ("22453", "22453-0012", "Nguyễn Thị Lan", 1960, "Nữ", CCCD_LAN, "22453", "Thôn Đông"),
        ("22453", "22453-0020", "Huỳnh Văn Minh", 1955, "Nam", None, "22453", "Thôn Tây"),
        ("22460", "22460-0003", "Trần Thị Bình", 1985, "Nữ", "056185004321", "22460", "Tổ dân phố 4"),
        ("22471", "22471-0101", "=1+1", 1948, "Nam", "056048009999", "22471", "Xóm Bãi"),
        ("22460", "22460-0015", "Trần Bình", 1985, "Nữ", None, "22460", "Tổ 4"),
    ]
    for i, (unit, code, name, year, gender, cccd, commune, thon) in enumerate(rows):
        camp.append(file=0, sheet="DiaChi", row=14 + i, name=name, cccd=cccd, id_text=cccd, birth_year=year,
                    gender=gender, commune=commune, thon=thon, unit=unit, code=code, key=f"{unit}|{code}")
    return camp


def poverty_list(rows: list[int] | None = None, file: str = "ds-ho-ngheo.xlsx") -> People:
    rows = rows or [37, 52]
    poor = People("Giảm nghèo", files=[file])
    poor.append(file=0, sheet="DanhSach", row=rows[0], name="Nguyen Thi Lan", id_text="56160001234", birth_year=1961,
                gender="Nữ", commune="22453", thon="thôn Đông", address="Thôn Đông", household="HN-0457")
    poor.append(file=0, sheet="DanhSach", row=rows[1], name="Hoàng Văn Minh", birth_year=1955, gender="Nam",
                commune="22453", thon="Thôn Tây", household="HN-0510", **{"Số điện thoại": PHONE})
    return poor


def recipients() -> People:
    tet = People("Tết Nhân ái", files=["tet-nhan-ai.csv"])
    tet.append(file=0, sheet="", row=4, name="TRẦN THỊ BÌNH", cccd="056185004321", id_text="056185004321",
               birth_year=1985, gender="Nữ", commune="22460", thon="TDP 4", date=date(2024, 1, 30), value=500_000,
               voucher="PC-12/2024")
    tet.append(file=0, sheet="", row=9, name="TRẦN THỊ BÌNH", cccd="056185004321", id_text="056185004321",
               birth_year=1985, gender="Nữ", commune="22460", thon="TDP 4", date=date(2024, 2, 2), value=500_000)
    return tet


def hashed_list() -> People:
    h = People("Bảo trợ xã hội", kind="hashed", files=["btxh-bam.xlsx"])
    h.append(file=0, sheet="DanhSach", row=9, cccd_hash="9f2c01b9e4a7d3f0c2b1aa", name_hash="3fa2c01b9e77aa00bb11cc",
             birth_year=1948, commune="22471")
    return h


R = Reason


def scene() -> tuple[People, list[People], list[Pair], list[EventTwice]]:
    camp, poor, tet, hashed = campaign(), poverty_list(), recipients(), hashed_list()
    pairs = [
        Pair("possible", 0.80, "fuzzy", [R("name-middle"), R("year-same")], camp, 2, camp, 4),
        Pair("match", 0.97, "fuzzy", [R("name-folded"), R("year-off"), R("commune-same", {"code": "22453"})],
             camp, 0, poor, 0),
        Pair("match", 0.92, "fuzzy", [R("name-variant", {"a": "Huỳnh", "b": "Hoàng"}), R("year-same")],
             camp, 1, poor, 1),
        Pair("match", 1.0, "cccd", [R("cccd-same")], camp, 2, tet, 0),
        Pair("match", 0.99, "hash", [R("hash-cccd")], camp, 3, hashed, 0),
    ]
    events = [
        EventTwice(Event("tong-hop.xlsx", "TroGiup", 41, "22460|22460-0003", date(2024, 1, 29), 500_000, "PC 12/2024",
                         "TM"), "Tết Nhân ái", tet, 0, R("event-voucher", {"voucher": "PC-12/2024"})),
        EventTwice(Event("tong-hop.xlsx", "TroGiup", 42, "22460|22460-0003", date(2024, 2, 1), 500_000, None, "TM"),
                   "Tết Nhân ái", tet, 1, R("event-date-value", {"value": 500_000, "days": 1})),
    ]
    return camp, [poor, tet, hashed], pairs, events


def write(path: Path, mask: bool = False, lang: str = "vi", **kw: object) -> tuple[list[Pair], list[EventTwice]]:
    camp, lists, pairs, events = scene()
    write_review(path, pairs, events, camp, lists, inputs=[], mask=mask, lang=lang, **kw)  # type: ignore[arg-type]
    return pairs, events


def headers(ws) -> dict[str, int]:
    """Header → 1-based column (the first of a repeated header)."""
    out: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        v = ws.cell(1, c).value
        if v is not None:
            out.setdefault(v, c)
    return out


def column(ws, header: str, first: bool = True) -> int:
    cols = [c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == header]
    return cols[0] if first else cols[-1]


def coordinator_saves(wb, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Save as Excel does when a coordinator saves a few minutes later: "modified" moves."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.modified = (wb.properties.modified or wb.properties.created) + timedelta(minutes=5)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()


def save_with_decisions(path: Path, out: Path, choose) -> None:  # type: ignore[no-untyped-def]
    """Open the review with openpyxl, set ``choose(sheet, row_values) → decision or None``
    in each row's Quyết định cell, save to ``out``."""
    wb = openpyxl.load_workbook(path)
    for name in ("TrungLap", "SuKienTrung"):
        ws = wb[name]
        d = headers(ws).get("Quyết định") or headers(ws)["Decision"]
        for r in range(2, ws.max_row + 1):
            values = {ws.cell(1, c).value: ws.cell(r, c).value for c in range(ws.max_column, 0, -1)}
            decision = choose(name, values)
            if decision is not None:
                ws.cell(r, d).value = decision
    coordinator_saves(wb, out)


# -- the workbook ----------------------------------------------------------------------
def test_sheets_in_order_summary_first(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "review.xlsx")
    assert wb.sheetnames == ["TomTat", "TrungLap", "SuKienTrung"]
    assert wb.active.title == "TomTat"
    summary = [str(c.value) for row in wb["TomTat"].iter_rows() for c in row if c.value is not None]
    text = "\n".join(summary)
    for programme in ("Giảm nghèo", "Tết Nhân ái", "Bảo trợ xã hội", CAMPAIGN):
        assert programme in summary
    assert "--decisions “review.xlsx”" in text
    assert "xl-nhandao consolidate" in text and "xl-nhandao overlap" in text


def test_pairs_sorted_level_first_then_score(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "review.xlsx")["TrungLap"]
    h = headers(ws)
    levels = [ws.cell(r, h["Mức độ"]).value for r in range(2, ws.max_row + 1)]
    scores = [ws.cell(r, h["Điểm"]).value for r in range(2, ws.max_row + 1)]
    assert levels == ["Trùng chắc chắn"] * 4 + ["Có thể trùng"]
    assert scores == [1.0, 0.99, 0.97, 0.92, 0.8]
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == [1, 2, 3, 4, 5]


def test_decision_dropdown_filter_frozen_header_hidden_key(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "review.xlsx")
    for name, rows in (("TrungLap", 5), ("SuKienTrung", 2)):
        ws = wb[name]
        h = headers(ws)
        d = ws.cell(1, h["Quyết định"]).column_letter
        [dv] = ws.data_validations.dataValidation
        assert dv.type == "list" and dv.formula1 == '"Trùng,Không trùng"'
        assert str(dv.sqref) == f"{d}2:{d}{rows + 1}"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{rows + 1}"
        assert ws.print_title_rows == "$1:$1"
        last = ws.cell(1, ws.max_column)
        assert last.value == "Khóa" and ws.column_dimensions[last.column_letter].hidden
    ws = wb["TrungLap"]
    assert ws.freeze_panes == "E2"  # header row, and STT … Quyết định
    assert wb["SuKienTrung"].freeze_panes == "D2"


def test_decision_cells_unlocked_and_filled(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    camp, lists, pairs, events = scene()
    pairs[1].decision = SAME  # pre-filled: decided in an earlier review
    write_review(path, pairs, events, camp, lists, inputs=[])
    ws = openpyxl.load_workbook(path)["TrungLap"]
    d = headers(ws)["Quyết định"]
    cell = next(ws.cell(r, d) for r in range(2, ws.max_row + 1) if ws.cell(r, d).value == SAME)
    assert cell.protection.locked is False
    assert cell.fill.fgColor.rgb.endswith("DDEBF7")
    # empty decision cells take the column's format: unlocked and filled too
    dim = ws.column_dimensions[cell.column_letter]
    assert dim.protection.locked is False and dim.fill.fgColor.rgb.endswith("DDEBF7")
    empty = next(ws.cell(r, d) for r in range(2, ws.max_row + 1) if ws.cell(r, d).value is None)
    assert empty.has_style is False  # not written: Excel shows the column's format
    # TomTat counts the decisions (live formulas, written with their values)
    summary = openpyxl.load_workbook(path, data_only=True)["TomTat"]
    rows = {r[0]: r[1:] for r in summary.iter_rows(values_only=True) if r[0] in ("Giảm nghèo", "Tết Nhân ái")}
    assert rows["Giảm nghèo"][:7] == (2, 0, 1, 0, 1, 0, 0)  # match, possible, Trùng, Không trùng, open, events
    assert rows["Tết Nhân ái"][:7] == (1, 0, 0, 0, 1, 2, 2)
    formulas = openpyxl.load_workbook(path)["TomTat"]
    cell = next(c for row in formulas.iter_rows() for c in row if isinstance(c.value, str) and "COUNTIFS" in c.value)
    assert "TrungLap!" in cell.value


def test_print_setup_a4_landscape_fit_width_page_numbers(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "review.xlsx")
    for name in ("TrungLap", "SuKienTrung"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert "&P" in ws.oddFooter.center.text
        assert ws.cell(2, 1).font.name == "Times New Roman"
    pairs = wb["TrungLap"]
    # printed: through the other side's columns; where rows came from is for the screen
    printed_to = re.search(r"\$([A-Z]+)\$\d+$", pairs.print_area).group(1)  # type: ignore[union-attr]
    h = headers(pairs)
    assert openpyxl.utils.column_index_from_string(printed_to) >= column(pairs, "Mã hộ")
    assert openpyxl.utils.column_index_from_string(printed_to) < h["Tệp địa chỉ"]


def test_fields_that_differ_highlighted_on_both_sides(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "review.xlsx")["TrungLap"]
    h = headers(ws)
    flags_col = h["Khác nhau"]
    assert ws.column_dimensions[ws.cell(1, flags_col).column_letter].hidden
    by_score = {ws.cell(r, h["Điểm"]).value: ws.cell(r, flags_col).value for r in range(2, ws.max_row + 1)}
    # Nguyễn Thị Lan 1960 / Nguyen Thi Lan 1961; CCCD with and without its leading zero is the same
    assert by_score[0.97] == ";ten;nam;"
    # TRẦN THỊ BÌNH (case only) is the same name; "Tổ dân phố 4" / "TDP 4" differ
    assert by_score[1.0] == ";thon;"
    assert by_score[0.92] == ";ten;"
    assert by_score[0.99] is None  # a hashed list: no names to compare
    rules = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rules[rule.formula[0]] = str(cf.sqref)
    letter = ws.cell(1, flags_col).column_letter
    name_l, name_r = column(ws, "Họ và tên"), column(ws, "Họ và tên", first=False)
    year_l, year_r = column(ws, "Năm sinh"), column(ws, "Năm sinh", first=False)
    rng = rules[f'ISNUMBER(SEARCH(";ten;",${letter}2))'].split()
    assert {r.split(":")[0] for r in rng} == {f"{ws.cell(1, name_l).column_letter}2", f"{ws.cell(1, name_r).column_letter}2"}
    rng = rules[f'ISNUMBER(SEARCH(";nam;",${letter}2))'].split()
    assert {r.split(":")[0] for r in rng} == {f"{ws.cell(1, year_l).column_letter}2", f"{ws.cell(1, year_r).column_letter}2"}
    d = ws.cell(1, h["Quyết định"]).column_letter
    assert f'${d}2="Trùng"' in rules and f'${d}2="Không trùng"' in rules  # decided rows tinted
    ev = openpyxl.load_workbook(tmp_path / "review.xlsx")["SuKienTrung"]
    e = headers(ev)
    flags = [ev.cell(r, e["Khác nhau"]).value for r in (2, 3)]
    assert flags == [";ngay;", ";ngay;"]  # same value; the vouchers PC 12/2024 and PC-12/2024 agree


def test_values_typed_and_formatted(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "review.xlsx")
    ws = wb["TrungLap"]
    h = headers(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, h["Điểm"]).value == 0.97)
    assert ws.cell(row, h["Năm sinh"]).value == 1960 and ws.cell(row, h["Năm sinh"]).number_format == "0"
    assert ws.cell(row, h["CCCD"]).value == CCCD_LAN and ws.cell(row, h["CCCD"]).data_type == "s"
    assert ws.cell(row, h["Mã xã"]).value == "22453"
    assert ws.cell(row, h["Dòng địa chỉ"]).value == 14
    assert ws.cell(row, h["Lý do"]).value == "họ tên trùng khi bỏ dấu; năm sinh lệch 1; cùng xã 22453"
    assert ws.cell(row, h["Căn cứ"]).value == "Họ tên, năm sinh, nơi ở"
    assert ws.cell(row, h["Khóa"]).value.startswith("P|22453|22453-0012|giam ngheo|")
    inside = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, h["Chương trình"]).value == CAMPAIGN)
    assert ws.cell(inside, h["Địa chỉ"]).value == "Mã địa chỉ 22460-0015 (đơn vị 22460)"
    assert ws.cell(inside, h["Khóa"]).value == "C|22460|22460-0003|22460|22460-0015"
    hashed = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, h["Chương trình"]).value == "Bảo trợ xã hội")
    assert ws.cell(hashed, column(ws, "Họ và tên", first=False)).value == "mã băm 3fa2c01b9e"
    ev = wb["SuKienTrung"]
    e = headers(ev)
    assert ev.cell(2, e["Ngày"]).value.date() == date(2024, 1, 29)
    assert ev.cell(2, e["Ngày"]).number_format == "dd/mm/yyyy"
    assert ev.cell(2, e["Giá trị (đồng)"]).value == 500_000
    assert ev.cell(2, e["Giá trị (đồng)"]).number_format == "#,##0"
    assert ev.cell(2, e["Lý do"]).value == "cùng người, cùng số chứng từ PC-12/2024"


def test_a_name_typed_as_a_formula_stays_text(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "review.xlsx")["TrungLap"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(tmp_path / "review.xlsx") as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet") and not name.endswith("sheet1.xml"):
                assert "<f>" not in zf.read(name).decode()  # formulas only on TomTat (counts)


def test_mask_hides_identity_numbers_everywhere(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx", mask=True)
    with zipfile.ZipFile(tmp_path / "review.xlsx") as zf:
        xml = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    for clear in (CCCD_LAN, "56160001234", "056185004321", "056048009999", PHONE, "HN-0457"):
        assert clear not in xml
    ws = openpyxl.load_workbook(tmp_path / "review.xlsx")["TrungLap"]
    h = headers(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, h["Điểm"]).value == 0.97)
    assert ws.cell(row, h["CCCD"]).value == "0561******34"
    assert ws.cell(row, h["Số định danh"]).value == "5616*****34"
    minh = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, h["Điểm"]).value == 0.92)
    assert ws.cell(minh, h["Thông tin khác"]).value == "Số điện thoại: 0912****78"
    # the highlight of differing numbers does not depend on what is shown
    assert ws.cell(row, h["Khác nhau"]).value == ";ten;nam;"


def test_english_labels_same_sheets_and_decision_values(tmp_path: Path) -> None:
    write(tmp_path / "review.xlsx", lang="en")
    wb = openpyxl.load_workbook(tmp_path / "review.xlsx")
    assert wb.sheetnames == ["TomTat", "TrungLap", "SuKienTrung"]
    ws = wb["TrungLap"]
    h = headers(ws)
    assert {"Decision", "Key", "Level", "Reasons"} <= set(h)
    assert ws.cell(2, h["Level"]).value == "Certain match"
    assert wb["TrungLap"].data_validations.dataValidation[0].formula1 == '"Trùng,Không trùng"'
    out = tmp_path / "reviewed.xlsx"
    save_with_decisions(tmp_path / "review.xlsx", out,
                        lambda s, v: SAME if v.get("Score") == 0.97 or v.get("Reason", "").startswith("same person, same voucher") else None)
    d = read_decisions(out)
    assert list(d.pairs.values()) == [SAME] and list(d.events.values()) == [SAME]


def test_empty_review(tmp_path: Path) -> None:
    camp = campaign()
    write_review(tmp_path / "review.xlsx", [], [], camp, [poverty_list()], inputs=[])
    wb = openpyxl.load_workbook(tmp_path / "review.xlsx")
    assert wb["TrungLap"].max_row == 1 or wb["TrungLap"].cell(2, 1).value is None
    d = read_decisions(tmp_path / "review.xlsx")
    assert (d.pairs, d.events, d.listed, d.notices) == ({}, {}, {}, [])


# -- overwriting -----------------------------------------------------------------------
def test_refused_over_a_reviewed_file_or_an_input(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write(path)
    write(path)  # an unedited earlier review is replaced
    wb = openpyxl.load_workbook(path)
    wb["TrungLap"].cell(2, 4).value = SAME
    coordinator_saves(wb, path)  # a coordinator's work: kept
    before = path.read_bytes()
    with pytest.raises(OutputError) as err:
        write(path)
    assert err.value.code == "output-exists"
    assert path.read_bytes() == before
    write(path, force=True)
    with pytest.raises(OutputError) as err:
        camp, lists, pairs, events = scene()
        write_review(path, pairs, events, camp, lists, inputs=[path], force=True)
    assert err.value.code == "output-is-input"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing left behind


# -- identities ------------------------------------------------------------------------
def test_identity_ignores_the_other_rows_number_but_not_its_content() -> None:
    camp = campaign()
    a, b = poverty_list([37, 52]), poverty_list([1037, 9])
    pa = Pair("match", 0.9, "fuzzy", [], camp, 0, a, 0)
    pb = Pair("match", 0.9, "fuzzy", [], camp, 0, b, 0)
    assert pair_identity(pa) == pair_identity(pb)
    # the same list re-saved as csv, the file name in another case
    c = poverty_list([5, 6], file="DS-Ho-Ngheo.csv")
    assert pair_identity(Pair("match", 0.9, "fuzzy", [], camp, 0, c, 0)) == pair_identity(pa)
    c.birth_year[0] = 1962
    assert pair_identity(Pair("match", 0.9, "fuzzy", [], camp, 0, c, 0)) != pair_identity(pa)
    # another row of the list, another identity; another programme, another identity
    assert pair_identity(Pair("match", 0.9, "fuzzy", [], camp, 0, a, 1)) != pair_identity(pa)
    a.programme = "Giảm nghèo bền vững"
    assert pair_identity(pa) != pair_identity(pb)


def test_identity_survives_reconsolidation_and_spelling_of_codes() -> None:
    camp, again = campaign(), campaign()
    again.key[0] = " 22453| 22453-0012 "  # re-read: spaces
    again.code[0] = "22453-0012"
    again.row[0] = 2000  # re-sorted, rows added
    poor = poverty_list()
    assert pair_identity(Pair("match", 1, "cccd", [], camp, 0, poor, 0)) == \
        pair_identity(Pair("match", 1, "cccd", [], again, 0, poor, 0))
    # the name as typed: diacritics, middle name Thị, regional spelling, case, spaces
    other = poverty_list()
    other.name[0] = "NGUYỄN   LAN"
    other.id_text[0] = "056160001234"  # the leading zero kept this time
    assert pair_identity(Pair("match", 1, "cccd", [], camp, 0, other, 0)) == \
        pair_identity(Pair("match", 1, "cccd", [], camp, 0, poverty_list(), 0))


def test_inside_identity_is_the_two_address_keys_sorted() -> None:
    camp = campaign()
    ab = pair_identity(Pair("possible", 0.8, "fuzzy", [], camp, 2, camp, 4))
    ba = pair_identity(Pair("possible", 0.8, "fuzzy", [], camp, 4, camp, 2))
    assert ab == ba == "C|22460|22460-0003|22460|22460-0015"
    assert parse_identity(ab) == {"kind": "C", "a": "22460|22460-0003", "b": "22460|22460-0015"}


def test_identity_holds_no_personal_data_in_clear() -> None:
    _, _, pairs, events = scene()
    texts = [pair_identity(p) for p in pairs] + [event_identity(e) for e in events]
    for t in texts:
        for secret in ("lan", "minh", "binh", "160001234", "185004321", "0457"):
            assert secret not in t.lower()


def test_event_identity_and_the_campaign_key_consolidate_computes() -> None:
    _, _, _, events = scene()
    ident = event_identity(events[0])
    parts = parse_identity(ident)
    assert parts["kind"] == "E" and parts["day"] == date(2024, 1, 29) and parts["value"] == 500_000
    # consolidate sees the merged TroGiup row: its _addr, ngay, gia_tri, so_chung_tu
    key = campaign_event_key("22460|22460-0003", date(2024, 1, 29), 500_000, "pc-12/2024")
    assert ident.startswith(key + "|") and parts["campaign_event"] == key
    assert campaign_event_key("22460|22460-0003", date(2024, 2, 1), 500_000.0, None).endswith("|500000|")
    # two rows of one person in a recipients list are two events
    assert event_identity(events[0]) != event_identity(EventTwice(events[0].campaign, "Tết Nhân ái",
                                                                  events[1].other, 1, events[0].reason))


def test_identity_parts_may_hold_the_separator() -> None:
    camp = campaign()
    odd = poverty_list()
    odd.programme = "Giảm nghèo | 100% hộ"
    ident = pair_identity(Pair("match", 1, "fuzzy", [], camp, 0, odd, 0))
    parts = parse_identity(ident)
    assert parts["programme"] == "giam ngheo | 100% ho"
    assert parts["address"] == address_key("22453", "22453-0012")
    for bad in ("", "X|1|2", "P|22453|22453-0012|giam ngheo", "P|22453|22453-0012|giam ngheo|zz",
                "E|1|2|2024-13-01|5|0123456789abcdef|0123456789abcdef", "=1+1"):
        with pytest.raises(ValueError):
            parse_identity(bad)


# -- reading decisions back -------------------------------------------------------------
def test_round_trip_after_sorting_inserting_hiding_and_adding_columns(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    pairs, events = write(path)
    wanted = {pair_identity(pairs[1]): SAME, pair_identity(pairs[0]): NOT_SAME, pair_identity(pairs[4]): SAME}
    wanted_events = {event_identity(events[1]): NOT_SAME}
    decided = {**wanted, **wanted_events}
    wb = openpyxl.load_workbook(path)
    for name in ("TrungLap", "SuKienTrung"):
        ws = wb[name]
        h = headers(ws)
        n = ws.max_row
        rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(2, n + 1)]
        random.Random(7).shuffle(rows)  # sorted by the coordinator
        rows.reverse()
        for r, values in enumerate(rows, start=2):
            for c, v in enumerate(values, start=1):
                ws.cell(r, c).value = v
            key = values[h["Khóa"] - 1]
            ws.cell(r, h["Quyết định"]).value = {SAME: "trùng", NOT_SAME: "KHONG TRUNG"}.get(decided.get(key))
        ws.row_dimensions[3].hidden = True
        ws.insert_rows(1, 2)  # a title above the header
        ws.cell(1, 1).value = "Danh sách rà soát của huyện"
        ws.insert_cols(3)  # a column of the coordinator's own
        ws.cell(3, 3).value = "Ghi chú"
    wb["TrungLap"].title = "Trùng lặp"  # renamed
    coordinator_saves(wb, tmp_path / "reviewed.xlsx")
    d = read_decisions(tmp_path / "reviewed.xlsx")
    assert d.pairs == wanted
    assert d.events == wanted_events
    assert d.notices == []
    # both events listed, whether decided or not
    first = campaign_event_key("22460|22460-0003", date(2024, 1, 29), 500_000, "PC 12/2024")
    second = campaign_event_key("22460|22460-0003", date(2024, 2, 1), 500_000, None)
    assert sorted(d.listed) == sorted([first, second])
    assert [e.decision for e in d.listed[second]] == [NOT_SAME] and [e.decision for e in d.listed[first]] == [None]
    assert d.event_programmes(first) == ["Tết Nhân ái"]


def test_decisions_apply_to_the_next_run_and_prefill_the_review(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write(path)
    save_with_decisions(path, tmp_path / "reviewed.xlsx",
                        lambda s, v: SAME if v.get("Điểm") == 0.97 else NOT_SAME if v.get("Điểm") == 0.8 else None)
    d = read_decisions(tmp_path / "reviewed.xlsx")
    camp, lists, pairs, events = scene()  # the next run: the same people, found again
    lists[0].row[0] = 4000  # the list grew; its rows moved
    assert d.apply(pairs, events) == 2
    assert [p.decision for p in pairs] == [NOT_SAME, SAME, None, None, None]
    write_review(tmp_path / "next.xlsx", pairs, events, camp, lists, inputs=[tmp_path / "reviewed.xlsx"])
    again = read_decisions(tmp_path / "next.xlsx")
    assert again.pairs == d.pairs


def test_inside_pairs_decided_same_for_consolidate(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write(path)
    save_with_decisions(path, tmp_path / "reviewed.xlsx",
                        lambda s, v: SAME if s == "TrungLap" else None)
    d = read_decisions(tmp_path / "reviewed.xlsx")
    assert d.inside_same() == [("22460|22460-0003", "22460|22460-0015")]


def test_event_decision_for_consolidate(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write(path)
    first = campaign_event_key("22460|22460-0003", date(2024, 1, 29), 500_000, "PC 12/2024")
    second = campaign_event_key("22460|22460-0003", date(2024, 2, 1), 500_000, None)
    not_listed = campaign_event_key("22460|22460-0003", date(2024, 3, 1), 500_000, None)
    d = read_decisions(path)  # nothing decided: both listed events are left out
    assert d.event_decision(first) == SAME and d.excluded_event(second)
    assert d.event_decision(not_listed) is None and not d.excluded_event(not_listed)
    save_with_decisions(path, tmp_path / "reviewed.xlsx",
                        lambda s, v: NOT_SAME if s == "SuKienTrung" and v.get("Dòng") == 41 else None)
    d = read_decisions(tmp_path / "reviewed.xlsx")
    assert d.event_decision(first) == NOT_SAME and d.event_decision(second) == SAME


def test_one_campaign_event_listed_twice_counts_only_when_all_are_not_same(tmp_path: Path) -> None:
    camp, lists, _, events = scene()
    tet = lists[1]
    ev = events[0]
    twice = [ev, EventTwice(ev.campaign, "Tết Nhân ái", tet, 1, R("event-date-value", {"value": 500_000, "days": 4}))]
    path = tmp_path / "review.xlsx"
    write_review(path, [], twice, camp, lists, inputs=[])
    key = campaign_event_key(ev.campaign.address, ev.campaign.day, ev.campaign.value, ev.campaign.voucher)
    save_with_decisions(path, tmp_path / "one.xlsx", lambda s, v: NOT_SAME if v.get("Dòng") == 4 else None)
    assert read_decisions(tmp_path / "one.xlsx").event_decision(key) == SAME
    save_with_decisions(path, tmp_path / "both.xlsx", lambda s, v: NOT_SAME if s == "SuKienTrung" else None)
    assert read_decisions(tmp_path / "both.xlsx").event_decision(key) == NOT_SAME


@pytest.mark.parametrize(("typed", "value"), [
    ("Trùng", SAME), ("trùng", SAME), ("TRUNG", SAME), (" Trùng. ", SAME), ("Trùng", SAME),
    ("Không trùng", NOT_SAME), ("Khong trung", NOT_SAME), ("KHÔNG  TRÙNG", NOT_SAME), ("không-trùng", NOT_SAME),
    ("", ""), ("   ", ""), (None, ""),
    ("x", None), ("?", None), ("Có", None), ("Không", None), (1, None), (True, None),
])
def test_decision_values_typed_by_hand(typed: object, value: str | None) -> None:
    assert decision_value(typed) == value


def test_cells_that_are_not_decisions_are_named_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["TrungLap"]
    h = headers(ws)
    d, k = h["Quyết định"], h["Khóa"]
    ws.cell(2, d).value = "?"
    ws.cell(3, d).value = SAME
    ws.cell(3, k).value = None  # the key of a decided row deleted
    ws.cell(4, d).value = SAME
    ws.cell(5, d).value = NOT_SAME
    ws.cell(5, k).value = ws.cell(4, k).value  # the same pair twice, decided both ways
    coordinator_saves(wb, tmp_path / "reviewed.xlsx")
    dec = read_decisions(tmp_path / "reviewed.xlsx")
    assert [(n.code, n.sheet, n.cell) for n in dec.notices] == [
        ("decision-unknown", "TrungLap", "D2"), ("decision-no-key", "TrungLap", f"{ws.cell(1, k).column_letter}3"),
        ("decision-conflict", "TrungLap", "D5")]
    assert dec.pairs == {}
    assert dec.notices[0].message() == ("Trang “TrungLap”, ô D2: không phải một quyết định; hãy chọn “Trùng” hoặc "
                                        "“Không trùng” trong danh sách (hoặc để trống). Dòng này được coi là chưa "
                                        "quyết định.")
    assert dec.notices[2].message("en").startswith("Sheet “TrungLap”, cell D5: the same pair as cell TrungLap!D4")


def test_a_file_that_is_not_a_review(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "TrungLap"  # a consolidation's duplicates sheet: no decisions, no keys
    wb.active.append(["Mức", "Căn cứ", "Đơn vị A", "Mã địa chỉ A", "Họ và tên A"])
    wb.active.append(["Trùng (tính 1 lần)", "Cùng số CCCD", "22453", "22453-0001", "Nguyễn Văn An"])
    coordinator_saves(wb, tmp_path / "tong-hop.xlsx")
    with pytest.raises(InputError) as err:
        read_decisions(tmp_path / "tong-hop.xlsx")
    assert err.value.code == "review-not-review"
    assert err.value.message() == (
        "“" + str(tmp_path / "tong-hop.xlsx") + "” không phải tệp rà soát trùng lặp do lệnh overlap ghi (không có "
        "trang TrungLap hay SuKienTrung với cột Quyết định và cột Khóa). Hãy chỉ --decisions đến tệp rà soát mà "
        "xl-nhandao overlap đã ghi (-o) và cán bộ đã điền cột Quyết định.")
    assert "not an overlap review" in err.value.message("en")


def test_a_review_whose_key_column_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["TrungLap"]
    ws.delete_cols(headers(ws)["Khóa"])
    coordinator_saves(wb, tmp_path / "reviewed.xlsx")
    with pytest.raises(RunError) as err:
        read_decisions(tmp_path / "reviewed.xlsx")
    assert err.value.code == "review-key-missing"
    assert "Trang “TrungLap”" in err.value.message() and "cột Khóa" in err.value.message()
    wb = openpyxl.load_workbook(path)
    ws = wb["SuKienTrung"]
    ws.cell(1, headers(ws)["Quyết định"]).value = "Ý kiến"  # retitled: no decision column
    coordinator_saves(wb, tmp_path / "retitled.xlsx")
    with pytest.raises(RunError) as err:
        read_decisions(tmp_path / "retitled.xlsx")
    assert err.value.code == "review-decision-missing"


def test_not_a_workbook_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    path.write_text("không phải tệp Excel")
    with pytest.raises(InputError) as err:
        read_decisions(path)
    assert "\n" not in err.value.message()
