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
    assert "1 error, 0 warnings, 0 info" in out  # not "1 errors"


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


# -- the language: before or after the command, help pages in it ---------------------------
@pytest.mark.parametrize("args", [["--lang", "en", "validate"], ["--lang=en", "validate"], ["validate"]])
def test_lang_before_or_after_the_command(args: list[str], broken: Path, capsys, monkeypatch) -> None:
    if args == ["validate"]:
        monkeypatch.setenv("XLND_LANG", "en")
    code, out, err = run([*args, str(broken)], capsys)
    assert code == 1 and err == ""
    assert "“19855” is not a valid birth year." in out and "1 error, 0 warnings, 0 info" in out


def test_lang_after_the_command_wins(broken: Path, capsys) -> None:
    code, out, _ = run(["--lang", "en", "validate", str(broken), "--lang", "vi"], capsys)
    assert code == 1 and "1 lỗi, 0 cảnh báo, 0 lưu ý" in out


def _commands() -> list[str]:
    from xl_nhandao.cli import app

    return [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]


CLICK_WORDS = ("Usage", "Options", "Arguments", "Commands", "Show this message and exit.", "[required]",
               "[default", "<", ">", "Path]", "[OPTIONS]", "COMMAND [ARGS]")


@pytest.mark.parametrize("command", ["", *_commands()])
def test_help_is_vietnamese_with_clicks_words_translated(command: str, capsys) -> None:
    args = [command, "--help"] if command else ["--help"]
    code, out, err = run(args, capsys)
    assert code == 0 and err == ""
    head = f"Cách dùng: xl-nhandao {command} [TÙY_CHỌN]".replace("  ", " ")
    assert out.startswith(head), out
    assert "Tùy chọn:" in out and "  -h, --help" in out and "Hiện hướng dẫn này rồi thoát." in out
    for word in CLICK_WORDS:
        assert word not in out, (word, out)
    assert out == run([*args[:-1], "-h"], capsys)[1]


@pytest.mark.parametrize("command", ["", *_commands()])
def test_help_in_english(command: str, capsys) -> None:
    args = [command, "--help", "--lang", "en"] if command else ["--lang", "en", "--help"]
    code, out, _ = run(args, capsys)
    assert code == 0
    assert out.startswith(f"Usage: xl-nhandao {command} [OPTIONS]".replace("  ", " "))
    assert "Options:" in out and "Show this message and exit." in out
    for word in ("Cách dùng", "Tùy chọn", "bắt buộc", "mặc định", "TỆP", "Hiện hướng dẫn"):
        assert word not in out, (word, out)


def test_help_pages_say_required_defaults_and_metavars(capsys) -> None:
    def usage(text: str) -> str:
        return " ".join(text.split("\n\n")[0].split())

    out = run(["consolidate", "--help"], capsys)[1]
    assert usage(out) == "Cách dùng: xl-nhandao consolidate [TÙY_CHỌN] -o/--output TỆP TỆP_HOẶC_THƯ_MỤC..."
    words = " ".join(out.split())
    assert "TỆP_HOẶC_THƯ_MỤC... Các tệp .xlsx và/hoặc thư mục (tìm cả thư mục con). [bắt buộc]" in words
    assert "[mặc\u00a0định:\u00a05]" in out and "--nguoi-lap HỌ_TÊN" in out  # never broken inside
    out = run(["consolidate", "--help", "--lang", "en"], capsys)[1]
    assert usage(out) == "Usage: xl-nhandao consolidate [OPTIONS] -o/--output FILE FILE_OR_FOLDER..."
    assert "[required]" in out and "[default:\u00a05]" in out and "--nguoi-lap NAME" in out
    assert "xl-\n" not in run(["demo", "--help"], capsys)[1]  # never broken inside a name


def test_every_help_text_has_its_english() -> None:
    import typer

    from xl_nhandao.cli import _EN, app

    group = typer.main.get_command(app)
    missing = [group.help] if group.help not in _EN else []
    for name, command in group.commands.items():
        if command.help not in _EN:
            missing.append(name)
        missing += [f"{name} {p.name}" for p in command.params if p.help and p.help.strip() not in _EN]
        missing += [f"{name} {p.name} metavar" for p in command.params
                    if p.metavar and p.metavar not in _EN and not p.metavar.isascii()]
    assert missing == []


# -- command-line errors: one clean line, exit 2 -----------------------------------------------
@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["validate"], "Tham số không hợp lệ: thiếu tham số TỆP. Xem hướng dẫn: xl-nhandao validate --help"),
        (["--lang", "en", "validate"], "Invalid arguments: missing argument FILE. See: xl-nhandao validate --help"),
        (["new-workbook", "--unit", "22333"],
         "Tham số không hợp lệ: thiếu tùy chọn -o/--output TỆP. Xem hướng dẫn: xl-nhandao new-workbook --help"),
        (["validate", "a.xlsx", "b.xlsx"],
         "Tham số không hợp lệ: thừa tham số b.xlsx. Xem hướng dẫn: xl-nhandao validate --help"),
        (["validate", "a.xlsx", "b.xlsx", "c.xlsx", "--lang", "en"],
         "Invalid arguments: unexpected extra arguments b.xlsx c.xlsx. See: xl-nhandao validate --help"),
        (["validate", "--jsn", "a.xlsx"],
         "Tham số không hợp lệ: không có tùy chọn --jsn (có phải --json?). Xem hướng dẫn: xl-nhandao validate --help"),
        (["validate", "--no-such-option"],
         "Tham số không hợp lệ: không có tùy chọn --no-such-option. Xem hướng dẫn: xl-nhandao validate --help"),
        (["consolidate", "nop", "-o", "th.xlsx", "--quarter-deadline-days", "năm"],
         "Tham số không hợp lệ: --quarter-deadline-days SỐ_NGÀY phải là một số nguyên. "
         "Xem hướng dẫn: xl-nhandao consolidate --help"),
        (["new-workbook", "-o"],
         "Tham số không hợp lệ: tùy chọn -o cần một giá trị. Xem hướng dẫn: xl-nhandao new-workbook --help"),
        (["validate", "a.xlsx", "--json=yes"],
         "Tham số không hợp lệ: tùy chọn --json không nhận giá trị. Xem hướng dẫn: xl-nhandao validate --help"),
        (["valdate", "a.xlsx"],
         "Tham số không hợp lệ: không có lệnh “valdate” (có phải validate?). Xem hướng dẫn: xl-nhandao --help"),
        (["--lang", "en", "bao-cao", "a.xlsx"],
         "Invalid arguments: no command “bao-cao”; commands: new-workbook, validate, consolidate, overlap, hash-list, "
         "report, templates, words, demo, addin. See: xl-nhandao --help"),
        (["--lang", "fr", "validate", "a.xlsx"],
         "Tham số không hợp lệ: --lang fr (vi | en). Xem hướng dẫn: xl-nhandao --help"),
        (["new-workbook", "--unit", "22333", "--scheme", "1999", "-o", "x.xlsx"],
         "Tham số không hợp lệ: --scheme 1999 (2025 | 2004). Xem hướng dẫn: xl-nhandao new-workbook --help"),
    ],
)
def test_command_line_errors_are_one_clean_line(args: list[str], line: str, capsys) -> None:
    code, out, err = run(args, capsys)
    assert (code, out, err) == (2, "", line + "\n")
    assert ".." not in err and "  " not in err


def test_bare_command_prints_its_help(capsys) -> None:
    code, out, err = run([], capsys)
    assert code == 0 and err == "" and out.startswith("Cách dùng: xl-nhandao [TÙY_CHỌN] LỆNH [THAM_SỐ]...")


class PanicException(BaseException):
    """What python-calamine raises on some damaged files (pyo3's PanicException)."""


def test_an_internal_failure_is_one_line_never_a_traceback(broken: Path, capsys, monkeypatch) -> None:
    import xl_nhandao

    def panic(*args: object, **kwargs: object) -> None:
        raise PanicException("index out of bounds: the len is 3 but the index is 7")

    monkeypatch.setattr(xl_nhandao, "validate", panic)
    code, out, err = run(["validate", str(broken)], capsys)
    assert (code, out) == (2, "")
    assert err == ("Lỗi nội bộ (PanicException). Dữ liệu của bạn không bị thay đổi. Hãy gửi lệnh đã chạy (không "
                   "kèm tệp dữ liệu) cho nhóm phát triển.\n")
    monkeypatch.setenv("XLND_DEBUG", "1")
    with pytest.raises(PanicException):
        main(["validate", str(broken)])


# -- every command: documented, --json, --lang -------------------------------------------------
def test_every_command_is_in_the_readme_and_has_json_and_lang() -> None:
    import re

    import typer

    from xl_nhandao.cli import app

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `xl-nhandao ([a-z-]+)", readme, flags=re.MULTILINE)
    assert documented == _commands()
    for name, command in typer.main.get_command(app).commands.items():
        for sub in getattr(command, "commands", {"": command}).values():  # a group: each of its commands
            options = {o for p in sub.params for o in p.opts}
            assert {"--json", "--lang"} <= options, name


# -- --json equals the library's document, for every command -----------------------------------
def test_new_workbook_json_is_the_librarys(tmp_path: Path, capsys) -> None:
    import xl_nhandao as nd
    from xl_nhandao.schema import NewWorkbookDocument

    out = tmp_path / "so.xlsx"
    code, stdout, err = run(["new-workbook", "--unit", "22333", "--period", "2024-H1", "-o", str(out), "--json"],
                            capsys)
    assert code == 0 and err == ""
    doc = json.loads(stdout)
    assert doc == nd.new_workbook(out, "22333", period="2024-H1").as_json()
    NewWorkbookDocument.model_validate(doc)
    assert doc == {"output": str(out), "template_version": "XLND-1",
                   "unit": {"code": "22333", "name": "Phường Bắc Nha Trang", "level": "Xã", "scheme": "2025"},
                   "period": {"label": "2024-H1", "start": "2023-11-25", "end": "2024-05-24"},
                   "period_defaulted": False}
    blank = tmp_path / "trang.xlsx"
    doc = json.loads(run(["new-workbook", "-o", str(blank), "--json"], capsys)[1])
    assert doc["unit"] is None and doc["period"] is None and doc["period_defaulted"] is False


def test_consolidate_json_is_the_librarys(tmp_path: Path, capsys) -> None:
    from test_consolidate import two_communes

    import xl_nhandao as nd

    folder = two_communes(tmp_path)
    out = tmp_path / "th.xlsx"
    code, stdout, err = run(["consolidate", str(folder), "-o", str(out), "--json", "--lang", "en"], capsys)
    assert code == 0 and err == ""
    assert json.loads(stdout) == nd.consolidate(folder, output=out).as_json(str(out), "en")


def test_demo_json_is_the_librarys(tmp_path: Path, capsys) -> None:
    import xl_nhandao as nd
    from xl_nhandao.schema import DemoDocument

    d = tmp_path / "demo"
    code, stdout, err = run(["demo", "-o", str(d), "--json", "--lang", "en"], capsys)
    assert code == 0 and err == ""
    doc = json.loads(stdout)
    assert doc == nd.demo(d).as_json("en")  # run again in its own folder: the same document
    DemoDocument.model_validate(doc)
    assert doc["output"] == str(d / "tong-hop-56-2025.xlsx") and doc["consolidation"]["output"] == doc["output"]
    assert doc["story"][0].startswith("One person is registered by both")
    assert sum(1 for b in doc["books"] if b["annotated"]) == sum(1 for b in doc["books"] if not b["valid"]) > 0


# -- new-workbook: the period it chose ---------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "label"),
    [(date(2026, 11, 24), "2026"), (date(2026, 11, 25), "2026"), (date(2026, 11, 26), "2026"),
     (date(2026, 11, 30), "2026"), (date(2026, 12, 1), "2027"), (date(2027, 1, 15), "2027")],
)
def test_default_period_is_the_year_just_ended_until_the_annual_deadline(today: date, label: str) -> None:
    from xl_nhandao.workbook.blank import default_period

    assert default_period(today).label == label


def test_new_workbook_says_which_period_it_chose(tmp_path: Path, capsys, monkeypatch) -> None:
    from xl_nhandao.workbook import blank

    class On26November(date):
        @classmethod
        def today(cls) -> date:
            return cls(2026, 11, 26)

    monkeypatch.setattr(blank, "date", On26November)
    out = tmp_path / "so-nam.xlsx"
    code, stdout, _ = run(["new-workbook", "--unit", "22333", "-o", str(out)], capsys)
    assert code == 0
    assert stdout.splitlines() == [
        f"Đã tạo sổ mẫu cho Phường Bắc Nha Trang (22333): {out}",
        "Kỳ báo cáo: 2026 (25/11/2025 – 24/11/2026), chọn mặc định; đổi bằng --period.",
    ]
    code, stdout, _ = run(["new-workbook", "--unit", "22333", "-o", str(out), "--lang", "en"], capsys)
    assert stdout.splitlines()[1] == "Period: 2026 (25/11/2025 – 24/11/2026), chosen by default; change it with --period."
    doc = json.loads(run(["new-workbook", "--unit", "22333", "-o", str(out), "--json"], capsys)[1])
    assert doc["period"]["label"] == "2026" and doc["period_defaulted"] is True
    assert validate_file(out, today=date(2026, 11, 26)).period.label == "2026"


# -- consolidate: the preparer; English counts ---------------------------------------------------
def _thongtin(path: Path) -> dict[object, object]:
    """Label → value of sheet ThongTin; a formula shows as ("formula", its text)."""
    from openpyxl import load_workbook

    out = {}
    for row in load_workbook(path)["ThongTin"].iter_rows():
        if len(row) > 1:
            out[row[0].value] = ("formula", row[1].value) if row[1].data_type == "f" else row[1].value
    return out


def test_consolidate_preparer(tmp_path: Path, capsys) -> None:
    from test_consolidate import two_communes

    folder = two_communes(tmp_path)
    out = tmp_path / "th.xlsx"
    assert run(["consolidate", str(folder), "-o", str(out), "--nguoi-lap", "  Lê Thị   Hoa "], capsys)[0] == 0
    assert _thongtin(out)["Người lập"] == "Lê Thị Hoa"
    assert run(["consolidate", str(folder), "-o", str(out), "--nguoi-lap", "=HYPERLINK(\"x\")"], capsys)[0] == 0
    assert _thongtin(out)["Người lập"] == "=HYPERLINK(\"x\")"  # text, never a formula
    assert run(["consolidate", str(folder), "-o", str(out)], capsys)[0] == 0
    assert _thongtin(out)["Người lập"] == "xl-nhandao (tổng hợp tự động)"


def test_consolidation_summary_counts_in_english(tmp_path: Path, capsys) -> None:
    d = tmp_path / "nop"
    d.mkdir()
    write(clean_book("22333"), d / "22333.xlsx")
    other = clean_book("22366")
    other.set("DiaChi", 1, "Số CCCD", None)  # one person (the first) in both communes
    write(other, d / "22366.xlsx")
    code, out, _ = run(["consolidate", str(d), "-o", str(tmp_path / "th.xlsx"), "--lang", "en"], capsys)
    assert code == 0 and "duplicates across units: 1 pair (sheet TrungLap)" in out
