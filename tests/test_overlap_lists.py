"""Other programmes' lists read into People (SPEC §5.4): each quirk of a real list is
its own tiny file, named after the quirk."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from xl_nhandao.errors import InputError, RunError, UsageError
from xl_nhandao.overlap.lists import parse_mapping, read_list
from xl_nhandao.vn.text import _unicode_to_tcvn3, _unicode_to_vni

HEAD = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Thôn"]
AN = [1, "Nguyễn Văn An", 1950, "Nam", "056050001234", "Thôn 1"]
BINH = [2, "Trần Thị Bình", 1985, "Nữ", "056185004321", "Thôn 2"]


def xlsx(path: Path, rows: list[list[object]], title: list[list[object]] = (), sheet: str = "DanhSach",
         before: dict[str, list[list[object]]] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, other in (before or {}).items():
        ws = wb.create_sheet(name)
        for r in other:
            ws.append(r)
    ws = wb.create_sheet(sheet)
    for r in [*title, *rows]:
        ws.append(r)
    wb.save(path)
    return path


def one(tmp_path: Path, head: list[str], row: list[object], **kw: object):
    return read_list(xlsx(tmp_path / "ds.xlsx", [head, row]), "Giảm nghèo", **kw)


# -- where the table is -------------------------------------------------------------------
def test_title_block_above_the_header(tmp_path: Path) -> None:
    title = [["ỦY BAN NHÂN DÂN XÃ CAM LÂM"], ["DANH SÁCH HỘ NGHÈO NĂM 2024"], [], ["(Kèm theo Quyết định số 12/QĐ-UBND)"]]
    people = read_list(xlsx(tmp_path / "tieu-de.xlsx", [HEAD, AN, BINH], title), "Giảm nghèo")
    assert people.programme == "Giảm nghèo" and people.kind == "list"
    assert people.files == ["tieu-de.xlsx"]
    assert people.sheet == ["DanhSach", "DanhSach"]
    assert people.row == [6, 7]  # the rows Excel shows
    assert people.name == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert people.birth_year == [1950, 1985]
    assert people.gender == ["Nam", "Nữ"]
    assert people.cccd == ["056050001234", "056185004321"]
    assert people.thon == ["Thôn 1", "Thôn 2"]
    assert people.excluded == []
    assert all(len(getattr(people, c)) == 2 for c in people.COLUMNS)


def test_first_sheet_with_a_name_column(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "nhieu-trang.xlsx", [HEAD, AN], before={"HuongDan": [["Hướng dẫn"], ["Ghi đủ cột"]]})
    people = read_list(path, "Giảm nghèo")
    assert people.sheet == ["DanhSach"] and people.name == ["Nguyễn Văn An"]


def test_sheet_given(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "hai-trang.xlsx", [HEAD, BINH], sheet="Xa2", before={"Xa1": [HEAD, AN]})
    assert read_list(path, "GN", sheet="Xa2").name == ["Trần Thị Bình"]
    assert read_list(path, "GN", sheet="xa 2").name == ["Trần Thị Bình"]  # case, spaces ignored


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "hai-trang.xlsx", [HEAD, BINH], sheet="Xa2", before={"Xa1": [HEAD, AN]})
    with pytest.raises(UsageError) as exc:
        read_list(path, "GN", sheet="Xa3")
    assert exc.value.message() == "“" + str(path) + "” không có trang “Xa3”. Các trang có trong tệp: “Xa1”, “Xa2”."
    assert exc.value.message("en").endswith("has no sheet “Xa3”. Its sheets: “Xa1”, “Xa2”.")


def test_no_name_column_says_use_map(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "khong-ten.xlsx", [["STT", "Chủ hộ gia đình", "Năm sinh", "CCCD"], [1, "Lê Văn A", 1950, ""]])
    with pytest.raises(InputError) as exc:
        read_list(path, "GN")
    message = exc.value.message()
    assert "Không tìm thấy cột họ tên" in message and str(path) in message and "--map" in message
    assert "\n" not in message
    assert "--map" in exc.value.message("en") and "No name column" in exc.value.message("en")


# -- header alias families -----------------------------------------------------------------
@pytest.mark.parametrize("header", ["Họ và tên", "Họ tên", "HỌ VÀ TÊN", "Họ và tên chủ hộ", "Tên chủ hộ", "Chủ hộ",
                                    "Tên người nhận", "Người nhận", "Họ và\ntên *", "Ho va ten"])
def test_name_header_aliases(tmp_path: Path, header: str) -> None:
    assert one(tmp_path, [header, "Năm sinh"], ["Nguyễn Văn An", 1950]).name == ["Nguyễn Văn An"]


@pytest.mark.parametrize("header", ["Số CCCD", "CCCD", "CMND/CCCD", "Số căn cước", "Số định danh cá nhân",
                                    "Số ĐDCN", "Số CMND", "Căn cước công dân", "Số CCCD (12 số)"])
def test_identity_header_aliases(tmp_path: Path, header: str) -> None:
    people = one(tmp_path, ["Họ và tên", header], ["Nguyễn Văn An", "056050001234"])
    assert people.cccd == ["056050001234"] and people.id_text == ["056050001234"]


@pytest.mark.parametrize("header", ["Năm sinh", "Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh"])
def test_birth_header_aliases(tmp_path: Path, header: str) -> None:
    assert one(tmp_path, ["Họ và tên", header], ["Nguyễn Văn An", 1950]).birth_year == [1950]


@pytest.mark.parametrize(("header", "attr"), [
    ("Thôn", "thon"), ("Ấp", "thon"), ("Bản", "thon"), ("Tổ", "thon"), ("Thôn/Tổ dân phố", "thon"),
    ("Địa chỉ", "address"), ("Nơi ở", "address"), ("Nơi ở hiện nay", "address"),
    ("Mã hộ", "household"), ("Mã số hộ", "household"), ("Số hộ", "household"),
    ("Số chứng từ", "voucher"), ("Số phiếu", "voucher"),
])
def test_place_household_and_voucher_aliases(tmp_path: Path, header: str, attr: str) -> None:
    assert getattr(one(tmp_path, ["Họ và tên", header], ["Nguyễn Văn An", "Ấp 3"]), attr) == ["Ấp 3"]


@pytest.mark.parametrize("header", ["Giới tính", "Nam/Nữ", "Giới"])
def test_gender_aliases(tmp_path: Path, header: str) -> None:
    assert one(tmp_path, ["Họ và tên", header], ["Nguyễn Văn An", "nữ"]).gender == ["Nữ"]


def test_recipients_list_date_value_voucher(tmp_path: Path) -> None:
    head = ["TT", "Tên người nhận", "Ngày nhận", "Số tiền", "Số phiếu"]
    rows = [[1, "Nguyễn Văn An", "05/02/2024", "1.500.000đ", "PC-01"],
            [2, "Trần Thị Bình", date(2024, 2, 6), 500000, "PC-02"],
            [3, "Lê Văn Cường", "ngày 7 tháng 2 năm 2024", "1,5 triệu", None]]
    people = read_list(xlsx(tmp_path / "tet.xlsx", [head, *rows]), "Tết Nhân ái")
    assert people.date == [date(2024, 2, 5), date(2024, 2, 6), date(2024, 2, 7)]
    assert people.value == [1_500_000, 500_000, 1_500_000]
    assert people.voucher == ["PC-01", "PC-02", None]
    assert people.has_events


@pytest.mark.parametrize(("head", "row"), [
    (["Mã xã", "Họ và tên"], [22453, "Nguyễn Văn An"]),
    (["Họ đệm", "Tên", "Năm sinh"], ["Nguyễn Văn", "An", 1950]),
    (["Họ và tên đệm", "Tên", "Năm sinh"], ["Nguyễn  Văn", " An", 1950]),
])
def test_name_split_or_alone(tmp_path: Path, head, row) -> None:
    assert one(tmp_path, head, row).name == ["Nguyễn Văn An"]


def test_member_name_is_compared_not_the_heads(tmp_path: Path) -> None:
    head = ["Mã hộ", "Họ tên chủ hộ", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh"]
    rows = [["H1", "Lê Văn Ba", "Lê Văn Ba", "Chủ hộ", 1950], ["H1", "Lê Văn Ba", "Phạm Thị Tư", "Vợ", 1952]]
    people = read_list(xlsx(tmp_path / "thanh-vien.xlsx", [head, *rows]), "GN")
    assert people.name == ["Lê Văn Ba", "Phạm Thị Tư"] and people.household == ["H1", "H1"]


def test_two_row_header_birth_year_under_nam_and_nu(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = [["STT", "Họ và tên", "Năm sinh", None, "Địa chỉ", None], [None, None, "Nam", "Nữ", "Thôn", "Xã"],
            [1, "Nguyễn Văn An", 1950, None, "Thôn 1", "Cam Lâm"], [2, "Trần Thị Bình", None, "1955", "Thôn 2", "Cam Lâm"]]
    path = xlsx(tmp_path / "nam-nu.xlsx", rows, [["DANH SÁCH NGƯỜI CAO TUỔI"]])
    wb = load_workbook(path)
    for merged in ("A2:A3", "B2:B3", "C2:D2", "E2:F2"):
        wb.active.merge_cells(merged)
    wb.save(path)
    people = read_list(path, "NCT", provinces={"56"})
    assert people.row == [4, 5] and people.excluded == []
    assert people.birth_year == [1950, 1955] and people.gender == ["Nam", "Nữ"]
    assert people.thon == ["Thôn 1", "Thôn 2"] and people.commune == ["22453", "22453"]


# -- --map ---------------------------------------------------------------------------------
def test_map_names_the_columns_and_wins_over_aliases(tmp_path: Path) -> None:
    head = ["Họ và tên", "Tên chủ hộ", "Số ĐDCN", "Ghi chú"]
    rows = [["Người khai", "Nguyễn Văn An", "056050001234", "x"]]
    path = xlsx(tmp_path / "map.xlsx", [head, *rows])
    mapping = parse_mapping("ho_ten=Tên chủ hộ, cccd = Số ĐDCN")
    assert mapping == {"ho_ten": "Tên chủ hộ", "cccd": "Số ĐDCN"}
    people = read_list(path, "GN", mapping=mapping)
    assert people.name == ["Nguyễn Văn An"] and people.cccd == ["056050001234"]
    assert read_list(path, "GN").name == ["Người khai"]  # without --map the alias "Họ và tên" wins


def test_map_a_header_no_alias_knows(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "map-la.xlsx", [["Đối tượng thụ hưởng", "Sinh năm (dương lịch)", "Ấp/Khóm"],
                                           ["Nguyễn Văn An", 1950, "Ấp 2"]])
    people = read_list(path, "GN", mapping=parse_mapping("ho_ten=Đối tượng thụ hưởng,nam_sinh=Sinh năm (dương lịch),thon=Ấp/Khóm"))
    assert (people.name, people.birth_year, people.thon) == (["Nguyễn Văn An"], [1950], ["Ấp 2"])


def test_map_unknown_key(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as exc:
        parse_mapping("ho_ten=Tên,ngay_sinh=Ngày sinh")
    assert exc.value.message() == ("--map: không có trường “ngay_sinh”. Các trường: ho_ten, cccd, nam_sinh, gioi_tinh, "
                                   "ma_xa, xa, thon, dia_chi, ma_ho, ngay, gia_tri, so_chung_tu.")
    with pytest.raises(UsageError):
        read_list(xlsx(tmp_path / "a.xlsx", [HEAD, AN]), "GN", mapping={"ten_goi": "Họ và tên"})


def test_map_not_well_formed() -> None:
    with pytest.raises(UsageError) as exc:
        parse_mapping("ho_ten:Tên")
    assert exc.value.code == "map-invalid"


def test_map_header_not_in_the_file(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "map-thieu.xlsx", [HEAD, AN])
    with pytest.raises(UsageError) as exc:
        read_list(path, "GN", mapping={"ho_ten": "Họ và tên", "cccd": "Số ĐDCN"})
    assert exc.value.message() == (f"--map cccd=“Số ĐDCN”: không thấy cột tiêu đề “Số ĐDCN” trong “{path}” "
                                   "(trang đã xem: “DanhSach”). Kiểm tra lại chữ trong ô tiêu đề.")


# -- values --------------------------------------------------------------------------------
def test_cccd_stored_as_a_number_and_with_11_digits(tmp_path: Path) -> None:
    head = ["Họ và tên", "Số CCCD"]
    rows = [["Nguyễn Văn An", 79050001234.0], ["Trần Thị Bình", "79185004321"], ["Lê Văn Cường", 56050001234],
            ["Phạm Thị Dung", "0790 5000 1234"], ["Hồ Văn Em", "12345"], ["Đỗ Thị Gấm", "123456789"]]
    people = read_list(xlsx(tmp_path / "cccd-so.xlsx", [head, *rows]), "GN")
    assert people.cccd == ["079050001234", "079185004321", "056050001234", "079050001234", None, None]
    # the identity number as typed, as text: never 7.9e10
    assert people.id_text == ["79050001234", "79185004321", "56050001234", "0790 5000 1234", "12345", "123456789"]


def test_date_of_birth_instead_of_a_year(tmp_path: Path) -> None:
    head = ["Họ và tên", "Ngày sinh"]
    rows = [["A Văn Một", date(1950, 3, 5)], ["B Văn Hai", "05/03/1960"], ["C Văn Ba", "ngày 5 tháng 3 năm 1970"],
            ["D Văn Bốn", "1980"], ["E Văn Năm", "không rõ"], ["G Văn Sáu", 19855]]
    people = read_list(xlsx(tmp_path / "ngay-sinh.xlsx", [head, *rows]), "GN")
    assert people.birth_year == [1950, 1960, 1970, 1980, None, None]


def test_rows_without_name_or_cccd_are_excluded_not_dropped(tmp_path: Path) -> None:
    head = ["STT", "Họ và tên", "Số CCCD", "Năm sinh"]
    rows = [[1, "Nguyễn Văn An", None, 1950], [2, None, "056050001234", 1950], [3, None, "12345", 1960],
            [4, "???", None, 1970], [5, None, None, 1980]]
    people = read_list(xlsx(tmp_path / "thieu.xlsx", [head, *rows]), "GN")
    assert people.row == [2, 3]
    assert people.name == ["Nguyễn Văn An", None] and people.cccd == [None, "056050001234"]
    assert people.excluded == [(0, "DanhSach", 4, "no-name-no-cccd"), (0, "DanhSach", 5, "no-name-no-cccd"),
                               (0, "DanhSach", 6, "no-name-no-cccd")]


def test_trailing_total_row_in_the_stt_or_the_name_column(tmp_path: Path) -> None:
    for label_col in (0, 1):
        total = [None] * 6
        total[label_col] = "Tổng cộng: 2 hộ"
        path = xlsx(tmp_path / f"tong-{label_col}.xlsx", [HEAD, AN, BINH, total])
        people = read_list(path, "GN")
        assert people.name == ["Nguyễn Văn An", "Trần Thị Bình"] and people.excluded == []


def test_person_named_like_a_total_stays(tmp_path: Path) -> None:
    people = read_list(xlsx(tmp_path / "tong-cong.xlsx", [HEAD, [1, "Tống Công", 1950, "Nam", None, "Thôn 1"]]), "GN")
    assert people.name == ["Tống Công"]


def test_blank_rows_merged_thon_and_hidden_rows(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "gop.xlsx", [HEAD, AN, [], [2, "Trần Thị Bình", 1985, "Nữ", None, None],
                                        [3, "Lê Văn Cường", 1990, "Nam", None, None]])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    ws["F2"] = "Thôn 5"
    ws.merge_cells("F2:F5")
    ws.row_dimensions[4].hidden = True
    wb.save(path)
    people = read_list(path, "GN")
    assert people.row == [2, 4, 5]
    assert people.thon == ["Thôn 5", "Thôn 5", "Thôn 5"]


# -- text ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("encode", "font"), [(_unicode_to_tcvn3, ".VnTime"), (_unicode_to_vni, "VNI-Times"),
                                              (_unicode_to_vni, None)])
def test_legacy_font_names(tmp_path: Path, encode, font) -> None:
    path = xlsx(tmp_path / "chu-cu.xlsx", [[encode("Họ và tên"), encode("Thôn")], [encode("Nguyễn Văn An"), encode("Thôn Đông")],
                                           [encode("Trần Thị Bình"), encode("Xóm Hạ")]])
    if font:
        from openpyxl import load_workbook

        wb = load_workbook(path)
        for row in wb.active.iter_rows():
            for cell in row:
                cell.font = Font(name=font)
        wb.save(path)
    people = read_list(path, "GN")
    assert people.name == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert people.thon == ["Thôn Đông", "Xóm Hạ"]


def test_nfd_names_become_nfc(tmp_path: Path) -> None:
    people = one(tmp_path, ["Họ và tên", "Năm sinh"], [unicodedata.normalize("NFD", "Nguyễn Thị Thủy"), 1950])
    assert people.name == ["Nguyễn Thị Thủy"] and unicodedata.is_normalized("NFC", people.name[0])


# -- csv -----------------------------------------------------------------------------------
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters with a tone mark after."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
            out.append((base + "".join(c for c in d if c in _TONES)).encode("cp1258"))
    return b"".join(out)


CSV_ROWS = [["DANH SÁCH NHẬN QUÀ TẾT"], [], ["STT", "Họ và tên", "Năm sinh", "Số CCCD", "Địa chỉ"],
            ["1", "Nguyễn Văn An", "1950", "056050001234", "Thôn 1, xã Cam Lâm"],
            ["2", "Trần Thị Bình", "1985", "079185004321", "Thôn 2; xã Cam Lâm"]]


def csv_text(delimiter: str) -> str:
    def cell(v: str) -> str:
        return f'"{v}"' if delimiter in v or "," in v or ";" in v else v

    return "\r\n".join(delimiter.join(cell(v) for v in row) for row in CSV_ROWS) + "\r\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    text = csv_text(delimiter)
    data = cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path = tmp_path / "ds.csv"
    path.write_bytes(data)
    people = read_list(path, "Tết", provinces={"56"})
    assert people.sheet == ["ds", "ds"] and people.files == ["ds.csv"]
    assert people.row == [4, 5]
    assert people.name == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert all(unicodedata.is_normalized("NFC", n) for n in people.name)
    assert people.cccd == ["056050001234", "079185004321"]  # text: the leading zero stays
    assert people.birth_year == [1950, 1985]
    assert people.address == ["Thôn 1, xã Cam Lâm", "Thôn 2; xã Cam Lâm"]
    assert people.commune == ["22453", "22453"]


def test_wide_csv_reads_the_columns_used_and_those_kept(tmp_path: Path) -> None:
    path = tmp_path / "rong.csv"
    head = ["STT", *[f"Cột {i}" for i in range(8)], "Họ và tên", "Ghi chú", "Năm sinh", "Dân tộc"]
    rows = [[str(i), *[f"x{i}{j}" for j in range(8)], name, "ghi", year, "Kinh"]
            for i, (name, year) in enumerate([("Nguyễn Văn An", "1950"), ("Trần Thị Bình", "1985")], start=1)]
    path.write_text("\n".join(",".join(r) for r in [head, *rows]) + "\n", "utf-8")
    people = read_list(path, "GN", keep=["Dân tộc", "Cột 3"])
    assert people.name == ["Nguyễn Văn An", "Trần Thị Bình"] and people.birth_year == [1950, 1985]
    assert people.extra == {"Dân tộc": ["Kinh", "Kinh"], "Cột 3": ["x13", "x23"]}


def test_csv_quoted_line_break_rows_are_lines(tmp_path: Path) -> None:
    path = tmp_path / "xuong-dong.csv"
    path.write_text('Họ và tên,Ghi chú,Năm sinh\nNguyễn Văn An,"dòng 1\ndòng 2",1950\nTrần Thị Bình,,1985\n,,\n', "utf-8")
    people = read_list(path, "GN")
    assert people.row == [2, 4] and people.name == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_csv_in_a_legacy_font_encoding(tmp_path: Path) -> None:
    text = "Họ và tên;Thôn\nNguyễn Văn An;Thôn Đông\nTrần Thị Bình;Xóm Hạ\n"
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(_unicode_to_tcvn3(text).encode("cp1252", "replace"))
    people = read_list(path, "GN")
    assert people.name == ["Nguyễn Văn An", "Trần Thị Bình"] and people.thon == ["Thôn Đông", "Xóm Hạ"]


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "that-ra-la-xlsx.csv", [HEAD, AN])
    assert read_list(path, "GN").name == ["Nguyễn Văn An"]


def test_csv_with_nul_bytes_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "hong.csv"
    path.write_bytes(b"H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan,CCCD\nA\x00B,1\n")
    with pytest.raises(InputError) as exc:
        read_list(path, "GN")
    assert exc.value.code == "csv-unreadable"


# -- other formats -------------------------------------------------------------------------
def test_xls_97_2003(tmp_path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("DS ho ngheo")
    ws.write(0, 0, "DANH SÁCH HỘ NGHÈO")
    for c, v in enumerate(HEAD):
        ws.write(2, c, v)
    for r, row in enumerate([AN, [2, "Trần Thị Bình", 1985.0, "Nữ", 79185004321.0, "Thôn 2"]], start=3):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    path = tmp_path / "cu.xls"
    wb.save(str(path))
    people = read_list(path, "GN")
    assert people.row == [4, 5] and people.sheet == ["DS ho ngheo"] * 2
    assert people.name == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert people.cccd == ["056050001234", "079185004321"] and people.birth_year == [1950, 1985]


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_list(tmp_path / "khong-co.xlsx", "GN")
    assert exc.value.code == "file-not-found"


# -- households and communes ---------------------------------------------------------------
def test_household_members_with_blank_place_below_the_first(tmp_path: Path) -> None:
    head = ["STT", "Mã hộ", "Họ và tên", "Năm sinh", "Thôn", "Xã/Phường", "Địa chỉ"]
    rows = [[1, "H01", "Lê Văn Ba", 1950, "Thôn 1", "Cam Lâm", "Thôn 1, xã Cam Lâm"],
            [2, "H01", "Phạm Thị Tư", 1952, None, None, None],
            [3, None, "Lê Văn Năm", 1980, None, None, None],  # the household id written once
            [4, "H02", "Đỗ Văn Sáu", 1960, "Thôn 3", "Vạn Thắng", None],
            [5, "H02", "Đỗ Thị Bảy", 1962, None, None, None],
            [6, None, "Hồ Văn Tám", 1970, "Thôn 9", None, None]]
    people = read_list(xlsx(tmp_path / "ho.xlsx", [head, *rows]), "GN", provinces={"56"})
    assert people.household == ["H01", "H01", "H01", "H02", "H02", None]
    assert people.thon == ["Thôn 1", "Thôn 1", "Thôn 1", "Thôn 3", "Thôn 3", "Thôn 9"]
    assert people.commune == ["22453", "22453", "22453", "22516", "22516", None]
    assert people.address == ["Thôn 1, xã Cam Lâm"] * 3 + [None] * 3


def test_commune_by_code_with_the_zero_excel_dropped(tmp_path: Path) -> None:
    head = ["Họ và tên", "Mã xã"]
    rows = [["A Văn Một", 22453], ["B Văn Hai", "22453"], ["C Văn Ba", 4], ["D Văn Bốn", "99999"], ["E Văn Năm", "Xã Cam Lâm"]]
    people = read_list(xlsx(tmp_path / "ma-xa.xlsx", [head, *rows]), "GN")
    assert people.commune == ["22453", "22453", "00004", None, "22453"]


def test_commune_by_name_restricted_to_the_provinces(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "ten-xa.xlsx", [["Họ và tên", "Xã/Phường"], ["A Văn Một", "Xã Vạn Thắng"],
                                            ["B Văn Hai", "xa Cam Lam"], ["C Văn Ba", "Không có xã này"]])
    assert read_list(path, "GN").commune == [None, "22453", None]  # Vạn Thắng: in two provinces
    assert read_list(path, "GN", provinces={"56"}).commune == ["22516", "22453", None]
    assert read_list(path, "GN", provinces={"37"}).commune == ["13864", None, None]


def test_old_commune_name_becomes_its_2025_commune(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "xa-cu.xlsx", [["Họ và tên", "Xã"], ["A Văn Một", "Cam Hải Tây"]])
    assert read_list(path, "GN", provinces={"56"}).commune == ["22453"]  # merged into Xã Cam Lâm
    assert read_list(path, "GN", scheme="2004").commune == ["22444"]


def test_commune_inside_an_address_text(tmp_path: Path) -> None:
    head = ["Họ và tên", "Địa chỉ"]
    rows = [["A Văn Một", "Thôn 3, xã Cam Lâm, tỉnh Khánh Hòa"], ["B Văn Hai", "Tổ 5, P. Bắc Nha Trang, Khánh Hòa"],
            ["C Văn Ba", "Số 12 đường Trần Phú phường Nha Trang"], ["D Văn Bốn", "Thôn Xanh, Cam Lâm"],
            ["E Văn Năm", "Thôn 1 Xã Cam Hải Tây Huyện Cam Lâm"], ["G Văn Sáu", "thị xã Ninh Hòa"]]
    people = read_list(xlsx(tmp_path / "dia-chi.xlsx", [head, *rows]), "GN", provinces={"56"})
    # a bare name (Cam Lâm was a district) is not read as a commune; "thị xã" is no "xã"
    assert people.commune == ["22453", "22333", "22366", None, "22453", None]


# -- columns kept --------------------------------------------------------------------------
def test_keep_columns_by_header_or_field(tmp_path: Path) -> None:
    head = ["Mã hộ", "Họ và tên", "Quan hệ với chủ hộ", "Thôn", "Năm sinh"]
    rows = [["H1", "Lê Văn Ba", "Chủ hộ", "Thôn 1", 1950], ["H1", "Phạm Thị Tư", "Vợ", None, 1952]]
    path = xlsx(tmp_path / "giu.xlsx", [head, *rows])
    people = read_list(path, "GN", keep=["quan he voi chu ho", "thon"])
    assert people.extra == {"Quan hệ với chủ hộ": ["Chủ hộ", "Vợ"], "Thôn": ["Thôn 1", "Thôn 1"]}
    with pytest.raises(UsageError) as exc:
        read_list(path, "GN", keep=["Dân tộc"])
    assert exc.value.code == "keep-unknown" and "Dân tộc" in exc.value.message()


def test_errors_have_both_languages() -> None:
    for code in ("list-sheet-unknown", "list-no-name-column", "map-invalid", "map-key-unknown", "map-header-missing",
                 "keep-unknown", "keep-identity", "csv-unreadable", "list-too-long"):
        err = RunError(code, path="a.xlsx", sheet="S", sheets="“S”", key="k", keys="a, b", header="H", value="v",
                       column="C", detail="d", limit=10)
        assert "{" not in err.message() and "{" not in err.message("en")


def test_a_long_csv_is_decoded_whole_by_the_encoding_its_beginning_shows() -> None:
    from xl_nhandao.workbook.csvsource import decode

    rows = "\n".join(f"{i},Nguyễn Thị Lan,Thôn Đông,Huỳnh Văn Minh" for i in range(6000))
    raw = cp1258(rows)
    assert len(raw) > 3 * 65536
    text, enc = decode(raw)
    assert enc == "cp1258" and text == unicodedata.normalize("NFC", raw.decode("cp1258")) == rows
    # tone marks across the point where the encoding is told: still one text
    marks = b"a" + b"\xec" * 140000 + b"\n" + raw
    assert decode(marks) == (unicodedata.normalize("NFC", marks.decode("cp1258")), "cp1258")
    legacy = "\n".join(f"{i},{_unicode_to_tcvn3('Nguyễn Thị Lan')}" for i in range(20000)).encode("cp1252")
    text, enc = decode(legacy)
    assert enc == "tcvn3" and text == legacy.decode("cp1252") and len(text) == len(legacy)
