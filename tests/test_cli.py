"""The command line: exit codes, ``--json`` equal to the library's report, Vietnamese
one-line reasons for every kind of bad input, and nothing ever written or modified."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from books import clean_book, write

from xl_nhandao.cli import main
from xl_nhandao.validate import validate_file


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write(clean_book(), tmp_path / "22333-bac-nha-trang.xlsx")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    book = clean_book()
    book.set("DiaChi", 2, "Năm sinh", 19855)
    return write(book, tmp_path / "loi.xlsx")


def test_valid_workbook_exits_0(clean: Path, capsys) -> None:
    code, out, err = run(["validate", str(clean)], capsys)
    assert code == 0
    assert "HỢP LỆ" in out and "Phường Bắc Nha Trang (22333)" in out
    assert err == ""


def test_errors_exit_1_with_where_and_what(broken: Path, capsys) -> None:
    code, out, _ = run(["validate", str(broken)], capsys)
    assert code == 1
    assert "DiaChi!D6 — Năm sinh" in out
    assert "“19855” không phải năm sinh hợp lệ." in out
    assert "1 lỗi, 0 cảnh báo, 0 lưu ý" in out


def test_english(broken: Path, capsys) -> None:
    code, out, _ = run(["validate", str(broken), "--lang", "en"], capsys)
    assert code == 1
    assert "“19855” is not a valid birth year." in out
    assert "1 errors, 0 warnings, 0 info" in out


def test_json_is_the_library_report(broken: Path, capsys) -> None:
    code, out, err = run(["validate", str(broken), "--json"], capsys)
    assert code == 1 and err == ""
    doc = json.loads(out)
    assert doc == validate_file(broken).as_json("vi")
    assert list(doc) == ["file", "template_version", "unit", "period", "valid", "rows", "counts", "issues"]
    assert doc["file"] == "loi.xlsx"
    assert doc["unit"] == {"code": "22333", "name": "Phường Bắc Nha Trang", "level": "Xã", "scheme": "2025"}
    assert doc["period"] == {"label": "2024-H1", "start": "2023-11-25", "end": "2024-05-24"}
    assert doc["valid"] is False
    assert doc["rows"] == {"DiaChi": 3, "DangKy": 2, "TroGiup": 3}
    assert doc["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert doc["issues"][0]["cell"] == "D6" and doc["issues"][0]["row"] == 6


def test_json_matches_the_published_schema(broken: Path, capsys) -> None:
    from xl_nhandao.schema import ValidateDocument

    _, out, _ = run(["validate", str(broken), "--json", "--lang", "en"], capsys)
    doc = ValidateDocument.model_validate_json(out)
    assert doc.issues[0].message == "“19855” is not a valid birth year."


def test_python_dash_m_entry_point(broken: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "xl_nhandao", "validate", str(broken), "--json"],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["counts"]["error"] == 1


# -- bad input: one line, exit 2, nothing written -----------------------------------------
def _not_a_workbook(tmp: Path) -> Path:
    p = tmp / "ghi-chu.xlsx"
    p.write_text("Danh sách hộ nghèo\nNguyễn Văn A", encoding="utf-8")
    return p


def _encrypted(tmp: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write(clean_book(), tmp / "plain.xlsx")
    p = tmp / "mat-khau.xlsx"
    with plain.open("rb") as src, p.open("wb") as dst:
        OOXMLFile(src).encrypt("123456", dst)
    return p


def _xls(tmp: Path) -> Path:
    import xlwt

    wb = xlwt.Workbook()
    wb.add_sheet("DiaChi").write(0, 0, "Mã địa chỉ")
    p = tmp / "so-cu.xls"
    wb.save(str(p))
    return p


def _corrupt(tmp: Path) -> Path:
    good = write(clean_book(), tmp / "good.xlsx").read_bytes()
    p = tmp / "hong.xlsx"
    p.write_bytes(good[: len(good) // 2])
    return p


def _zip_bomb(tmp: Path) -> Path:
    p = tmp / "bom.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<c/>" * (16 * 1024 * 1024))
    return p


def _million_rows(tmp: Path) -> Path:
    from openpyxl import load_workbook

    p = write(clean_book(), tmp / "trieu-dong.xlsx")
    wb = load_workbook(p)
    wb["DiaChi"]["A1048576"] = "x"
    wb.save(p)
    return p


def _not_standard(tmp: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Họ tên học sinh", "Lớp", "Điểm"])
    wb.active.append(["Nguyễn Văn A", "6A", 9])
    p = tmp / "bang-diem.xlsx"
    wb.save(p)
    return p


def _ods(tmp: Path) -> Path:
    p = tmp / "so.ods"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return p


BAD = {
    "missing": (lambda tmp: tmp / "khong-co.xlsx", "Không tìm thấy tệp"),
    "folder": (lambda tmp: tmp, "là thư mục"),
    "not-a-workbook": (_not_a_workbook, "không phải tệp Excel .xlsx"),
    "encrypted": (_encrypted, "đang đặt mật khẩu"),
    "xls": (_xls, "Excel 97–2003 (.xls)"),
    "corrupt": (_corrupt, "bị hỏng"),
    "zip-bomb": (_zip_bomb, "giải nén lớn bất thường"),
    "million-rows": (_million_rows, "có dữ liệu đến dòng 1048576"),
    "not-standard": (_not_standard, "không phải sổ theo mẫu chuẩn XLND-1"),
    "ods": (_ods, "OpenDocument"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_one_line_exit_2(kind: str, tmp_path: Path, capsys) -> None:
    make, phrase = BAD[kind]
    src = make(tmp_path)
    before = sha(src) if src.is_file() else None
    out_path = tmp_path / "danh-dau.xlsx"
    for args in (["validate", str(src)], ["validate", str(src), "--json"],
                 ["validate", str(src), "--annotate", str(out_path)]):
        code, out, err = run(args, capsys)
        assert code == 2, (kind, args, err)
        assert out == ""
        assert err.count("\n") == 1 and "Traceback" not in err
        assert phrase in err.replace(".", "") or phrase in err
    assert not out_path.exists()
    if before is not None:
        assert sha(src) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_bad_input_in_english(tmp_path: Path, capsys) -> None:
    code, _, err = run(["validate", str(tmp_path / "none.xlsx"), "--lang", "en"], capsys)
    assert code == 2 and err.startswith("File “") and "not found" in err


def test_bad_arguments_are_one_line_exit_2(capsys) -> None:
    code, out, err = run(["validate", "--no-such-option"], capsys)
    assert code == 2 and out == "" and err.startswith("Tham số không hợp lệ")
    assert err.count("\n") == 1
    code, _, err = run(["validate", "x.xlsx", "--lang", "fr"], capsys)
    assert code == 2 and "--lang fr" in err


def test_validate_never_modifies_the_input(broken: Path, tmp_path: Path, capsys) -> None:
    before = sha(broken)
    run(["validate", str(broken)], capsys)
    run(["validate", str(broken), "--annotate", str(tmp_path / "marked.xlsx")], capsys)
    assert sha(broken) == before


def test_annotate_refuses_to_overwrite_the_input(broken: Path, capsys) -> None:
    before = sha(broken)
    code, _, err = run(["validate", str(broken), "--annotate", str(broken)], capsys)
    assert code == 2 and "trùng tệp đầu vào" in err
    assert sha(broken) == before


def test_new_workbook_for_a_commune_validates(tmp_path: Path, capsys) -> None:
    out = tmp_path / "moi.xlsx"
    code, stdout, _ = run(["new-workbook", "--unit", "22333", "--period", "2024-H1", "-o", str(out)], capsys)
    assert code == 0 and "Phường Bắc Nha Trang" in stdout
    report = validate_file(out, today=date(2024, 6, 1))
    assert report.unit.code == "22333" and report.period and report.period.label == "2024-H1"
    assert [i.code for i in report.issues] == ["report-date-missing"]


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--unit", "99999"], "không có trong danh mục hệ 2025"),
        (["--unit", "568"], "không còn cấp huyện"),
        (["--unit", "22333", "--period", "2024-H7"], "Kỳ báo cáo “2024-H7” không hợp lệ"),
        (["--unit", "22333", "--scheme", "1999"], "--scheme 1999"),
    ],
)
def test_new_workbook_bad_arguments(args: list[str], phrase: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.xlsx"
    code, _, err = run(["new-workbook", *args, "-o", str(out)], capsys)
    assert code == 2 and phrase in err and err.count("\n") == 1
    assert not out.exists()


def test_new_workbook_2004_district(tmp_path: Path, capsys) -> None:
    out = tmp_path / "huyen.xlsx"
    code, _, _ = run(["new-workbook", "--unit", "568", "--scheme", "2004", "-o", str(out)], capsys)
    assert code == 0
    report = validate_file(out)
    assert (report.unit.code, report.unit.level, report.unit.scheme) == ("568", "Huyện", "2004")


def test_version(capsys) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.startswith("xl-nhandao ")
