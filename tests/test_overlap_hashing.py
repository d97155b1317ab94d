"""hash-list and hashed lists (SPEC §5.4, Privacy): the CCCD and the name key become
keyed hashes, nothing personal and never the secret is written, a list hashed with
another secret says so."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xl_nhandao.errors import InputError, OutputError, RunError, UsageError
from xl_nhandao.overlap.hashing import (
    hash_cccd,
    hash_list,
    hash_name,
    is_hashed,
    read_hashed,
    read_secret,
    salt_check,
)
from xl_nhandao.overlap.lists import read_list
from xl_nhandao.workbook.output import is_own_output

SECRET = b"khoa-chung-cua-hai-chuong-trinh-2024"
OTHER = b"mot-khoa-khac-hoan-toan-khong-giong"
HEAD = ["STT", "Mã hộ", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Thôn", "Mã xã", "Quan hệ với chủ hộ"]
ROWS = [
    [1, "H01", "Nguyễn Văn An", 1950, "Nam", "056050001234", "Thôn 1", "22453", "Chủ hộ"],
    [2, "H01", "Trần Thị Bình", 1955, "Nữ", 56155004321, None, None, "Vợ"],
    [3, "H02", "Huỳnh Thị Hoà", date(1960, 3, 5), "Nữ", "79160001111", "Thôn 2", 22453, "Chủ hộ"],
    [4, "H03", "Lê Văn Cường", None, "Nam", None, "Thôn 3", "22453", "Chủ hộ"],
    [5, None, None, None, None, "12345", None, None, None],
]


def write_list(path: Path, rows: list[list[object]] = ROWS, head: list[str] = HEAD) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "DanhSach"
    ws.append(["DANH SÁCH HỘ NGHÈO NĂM 2024"])
    ws.append(head)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def hashed(tmp_path: Path) -> tuple[Path, Path, dict[str, object]]:
    source = write_list(tmp_path / "ds-ho-ngheo.xlsx")
    out = tmp_path / "ds-bam.xlsx"
    summary = hash_list(source, secret=SECRET, output=out, keep=["ma_ho", "Quan hệ với chủ hộ"])
    return source, out, summary


def test_round_trip_hashes_equal_those_of_the_originals(hashed) -> None:
    source, out, summary = hashed
    original = read_list(source, "Giảm nghèo")
    people = read_hashed(out, "Giảm nghèo")
    assert summary["rows"] == 4 and summary["excluded"] == 1 and summary["source"] == "ds-ho-ngheo.xlsx"
    assert set(summary) == {"output", "source", "rows", "excluded", "columns"}  # never the secret
    assert salt_check(SECRET) == people.salt_check
    assert summary["columns"] == ["Dòng gốc", "Mã băm CCCD", "Mã băm họ tên + năm sinh", "Mã xã", "Giới tính",
                                  "Mã hộ", "Quan hệ với chủ hộ"]
    assert people.kind == "hashed" and people.programme == "Giảm nghèo"
    assert people.files == ["ds-bam.xlsx"] and people.sheet == ["DanhSach"] * 4
    assert people.row == [2, 3, 4, 5]  # rows of the hashed file
    assert people.extra["Dòng gốc"] == original.row == [3, 4, 5, 6]
    assert people.cccd_hash == [None if c is None else hash_cccd(SECRET, c) for c in original.cccd]
    assert people.cccd_hash[3] is None
    assert people.name_hash == [hash_name(SECRET, n, y) for n, y in zip(original.name, original.birth_year)]
    assert all(len(h) == 64 for h in people.name_hash)
    assert people.commune == ["22453", "22453", "22453", "22453"]  # the member's household's commune
    assert people.gender == ["Nam", "Nữ", "Nữ", "Nam"]
    assert people.extra["Mã hộ"] == ["H01", "H01", "H02", "H03"] and people.household == ["H01", "H01", "H02", "H03"]
    assert people.extra["Quan hệ với chủ hộ"] == ["Chủ hộ", "Vợ", "Chủ hộ", "Chủ hộ"]
    assert people.name == [None] * 4 and people.cccd == [None] * 4 and people.id_text == [None] * 4
    assert people.salt_check == salt_check(SECRET)


def test_cccd_as_number_and_11_digits_hash_like_the_padded(tmp_path: Path) -> None:
    rows = [[1, None, "A Văn Một", 1950, "Nam", "079050001234"], [2, None, "B Văn Hai", 1950, "Nam", 79050001234.0],
            [3, None, "C Văn Ba", 1950, "Nam", "79050001234"], [4, None, "D Văn Bốn", 1950, "Nam", "0790 5000 1234"]]
    source = write_list(tmp_path / "cccd.xlsx", rows, HEAD[:6])
    hash_list(source, secret=SECRET, output=tmp_path / "bam.xlsx")
    people = read_hashed(tmp_path / "bam.xlsx", "GN")
    assert set(people.cccd_hash) == {hash_cccd(SECRET, "079050001234")}


@pytest.mark.parametrize("variant", ["Nguyen Thi Lan", "NGUYỄN THỊ LAN", "Nguyễn  Lan", "nguyễn thị lan",
                                     "Nguyễn Thị Lan", "Nguyen Lan"])
def test_name_variants_give_one_name_hash(variant: str) -> None:
    assert hash_name(SECRET, variant, 1960) == hash_name(SECRET, "Nguyễn Thị Lan", 1960)


@pytest.mark.parametrize(("a", "b"), [("Huỳnh Văn Hòa", "Hoàng Hoà"), ("Võ Thị Thuỷ", "Vũ Thủy"),
                                      ("Lê Thị Hoà", "Le Hoa")])
def test_regional_family_names_and_tone_placement(a: str, b: str) -> None:
    assert hash_name(SECRET, a, 1960) == hash_name(SECRET, b, 1960)


def test_other_year_other_name_other_hash() -> None:
    lan = hash_name(SECRET, "Nguyễn Thị Lan", 1960)
    assert hash_name(SECRET, "Nguyễn Thị Lan", 1961) != lan
    assert hash_name(SECRET, "Nguyễn Thị Lâm", 1960) != lan
    assert hash_name(SECRET, "Nguyễn Thị Lan", None) == hash_name(SECRET, "Nguyen Lan", None) != lan
    assert hash_name(SECRET, "???", 1960) is None


def test_hashes_are_hmac_sha256_of_the_keys() -> None:
    import hashlib
    import hmac

    assert hash_cccd(SECRET, "056050001234") == hmac.new(SECRET, b"056050001234", hashlib.sha256).hexdigest()
    assert hash_name(SECRET, "Nguyễn Thị Lan", 1960) == hmac.new(SECRET, b"nguyen lan|1960", hashlib.sha256).hexdigest()
    assert salt_check(SECRET) == hmac.new(SECRET, b"xl_nhandao salt check", hashlib.sha256).hexdigest()[:16]


def test_wrong_secret_gives_another_salt_check(hashed) -> None:
    _, out, _ = hashed
    assert salt_check(OTHER) != salt_check(SECRET) and len(salt_check(OTHER)) == 16
    assert hash_cccd(OTHER, "056050001234") != hash_cccd(SECRET, "056050001234")
    assert read_hashed(out, "GN").salt_check == salt_check(SECRET) != salt_check(OTHER)
    # what overlap then says, and that it matches nothing: tests/test_overlap.py


def test_nothing_personal_or_secret_in_the_output(hashed, tmp_path: Path) -> None:
    _, out, _ = hashed
    with zipfile.ZipFile(out) as zf:
        data = b"".join(zf.read(n) for n in zf.namelist())
    text = data.decode("utf-8", "replace")
    assert SECRET not in data
    for cccd in ("056050001234", "56050001234", "056155004321", "56155004321", "79160001111", "079160001111"):
        assert cccd not in text
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Huỳnh Thị Hoà", "Lê Văn Cường", "nguyen an", "Nguyễn", "Bình",
                 "Cường"):
        assert name not in text
        assert name.encode("utf-16-le") not in data
    assert "1950" not in text and "1955" not in text  # birth years only inside the name hashes
    # the output is marked as hash-list's own, so a later run may replace it
    assert is_own_output(out, "hash-list")


def test_info_sheet_says_what_the_file_is(hashed) -> None:
    _, out, _ = hashed
    wb = load_workbook(out)
    assert wb.sheetnames == ["DanhSach", "ThongTin"]
    info = {r[0]: r[1] for r in wb["ThongTin"].iter_rows(values_only=True)}
    assert info["Loại tệp"] == "Danh sách đã băm bằng xl_nhandao hash-list"
    assert info["Tệp gốc"] == "ds-ho-ngheo.xlsx" and info["Trang gốc"] == "DanhSach"
    assert info["Số dòng"] == 4 and info["Số dòng không băm"] == 1
    assert info["Mã kiểm tra khóa"] == salt_check(SECRET)
    assert info["Ngày lập"] is not None and info["Cột giữ lại"] == "Mã hộ, Quan hệ với chủ hộ"
    ws = wb["DanhSach"]
    assert ws["B2"].data_type == "s" and ws["D2"].value == "22453" and ws["A2"].value == 3


def test_keep_by_header_or_field_and_never_the_identity(tmp_path: Path) -> None:
    source = write_list(tmp_path / "ds.xlsx")
    summary = hash_list(source, secret=SECRET, output=tmp_path / "a.xlsx", keep=["thon", "Năm sinh"])
    assert summary["columns"][5:] == ["Thôn", "Năm sinh"]
    people = read_hashed(tmp_path / "a.xlsx", "GN")
    assert people.extra["Thôn"] == ["Thôn 1", "Thôn 1", "Thôn 2", "Thôn 3"]
    assert people.thon == ["Thôn 1", "Thôn 1", "Thôn 2", "Thôn 3"]
    assert people.birth_year == [1950, 1955, 1960, None]
    for column in ("ho_ten", "Họ và tên", "HO VA TEN", "cccd", "Số CCCD"):
        with pytest.raises(UsageError) as exc:
            hash_list(source, secret=SECRET, output=tmp_path / "b.xlsx", keep=[column])
        assert exc.value.code == "keep-identity"
    assert not (tmp_path / "b.xlsx").exists()
    with pytest.raises(UsageError) as exc:
        hash_list(source, secret=SECRET, output=tmp_path / "b.xlsx", keep=["Dân tộc"])
    assert exc.value.code == "keep-unknown"


def test_a_hashed_recipients_list_keeps_its_events(tmp_path: Path) -> None:
    head = ["TT", "Tên người nhận", "Năm sinh", "Ngày nhận", "Số tiền", "Số phiếu"]
    rows = [[1, "Nguyễn Văn An", 1950, date(2024, 2, 5), "1.500.000đ", "PC-01"]]
    source = write_list(tmp_path / "tet.xlsx", rows, head)
    hash_list(source, secret=SECRET, output=tmp_path / "tet-bam.xlsx", keep=["ngay", "gia_tri", "so_chung_tu"])
    people = read_hashed(tmp_path / "tet-bam.xlsx", "Tết")
    assert (people.date, people.value, people.voucher) == ([date(2024, 2, 5)], [1_500_000], ["PC-01"])


def test_refuses_to_overwrite_a_clerks_file(tmp_path: Path) -> None:
    source = write_list(tmp_path / "ds.xlsx")
    clerk = write_list(tmp_path / "cua-can-bo.xlsx", ROWS[:1])
    before = clerk.read_bytes()
    with pytest.raises(OutputError) as exc:
        hash_list(source, secret=SECRET, output=clerk)
    assert exc.value.code == "output-exists" and clerk.read_bytes() == before
    with pytest.raises(OutputError) as exc:
        hash_list(source, secret=SECRET, output=source)
    assert exc.value.code == "output-is-input"
    out = tmp_path / "bam.xlsx"
    hash_list(source, secret=SECRET, output=out)
    hash_list(source, secret=SECRET, output=out)  # an earlier hash-list output is replaced
    hash_list(source, secret=SECRET, output=clerk, force=True)
    assert is_hashed(clerk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bam.xlsx", "cua-can-bo.xlsx", "ds.xlsx"]  # no temp left


def test_is_hashed_and_a_hashed_list_read_as_a_list(hashed, tmp_path: Path) -> None:
    source, out, _ = hashed
    assert is_hashed(out) and not is_hashed(source)
    csv = tmp_path / "ds.csv"
    csv.write_text("Họ và tên,Năm sinh\nA,1950\n", "utf-8")
    assert not is_hashed(csv) and not is_hashed(tmp_path / "khong-co.xlsx")
    with pytest.raises(UsageError) as exc:
        read_list(out, "GN")
    assert exc.value.code == "hashed-needs-secret" and "--salt-file" in exc.value.message()


def test_hashed_list_with_its_check_removed_is_damaged(hashed) -> None:
    _, out, _ = hashed
    wb = load_workbook(out)
    for row in wb["ThongTin"].iter_rows():
        if row[0].value == "Mã kiểm tra khóa":
            row[1].value = None
    wb.save(out)
    with pytest.raises(InputError) as exc:
        read_hashed(out, "GN")
    assert exc.value.code == "hashed-damaged"


# -- the salt file -------------------------------------------------------------------------
def test_read_secret_strips_the_trailing_line_break(tmp_path: Path) -> None:
    (tmp_path / "k1").write_bytes(SECRET + b"\n")
    (tmp_path / "k2").write_bytes(SECRET + b"\r\n")
    (tmp_path / "k3").write_bytes(SECRET)
    assert read_secret(tmp_path / "k1") == read_secret(tmp_path / "k2") == read_secret(tmp_path / "k3") == SECRET


def test_salt_file_missing_empty_or_short(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_secret(tmp_path / "khoa.txt")
    assert exc.value.code == "salt-missing" and "secrets.token_hex" in exc.value.message()
    (tmp_path / "rong.txt").write_bytes(b"\n")
    (tmp_path / "ngan.txt").write_bytes(b"123456789012345\n")
    for name, size in (("rong.txt", 0), ("ngan.txt", 15)):
        with pytest.raises(InputError) as exc:
            read_secret(tmp_path / name)
        assert exc.value.code == "salt-too-short"
        assert f"chỉ có {size} byte" in exc.value.message() and "ít nhất 16" in exc.value.message()
        assert "secrets.token_hex" in exc.value.message("en")
    (tmp_path / "du.txt").write_bytes(b"1234567890123456\n")
    assert read_secret(tmp_path / "du.txt") == b"1234567890123456"


def test_errors_have_both_languages() -> None:
    for code in ("salt-missing", "salt-too-short", "salt-too-large", "hashed-needs-secret", "hashed-damaged"):
        err = RunError(code, path="a.xlsx", size=3, minimum=16, expected="a", found="b", what="x", what_en="x")
        assert "{" not in err.message() and "{" not in err.message("en")


def test_hashing_a_hashed_list_again_says_so(hashed, tmp_path: Path) -> None:
    _, out, _ = hashed
    with pytest.raises(InputError) as exc:
        hash_list(out, secret=SECRET, output=tmp_path / "bam-lai.xlsx")
    assert exc.value.code == "hash-list-already-hashed"
    assert "--salt-file" not in exc.value.message() and "không cần băm lại" in exc.value.message()
    assert "no need to hash it again" in exc.value.message("en")
    assert not (tmp_path / "bam-lai.xlsx").exists()
