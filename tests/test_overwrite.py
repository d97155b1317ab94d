"""Nothing lost: no command overwrites a file that holds someone's data. An existing output
is replaced only when it is an unedited earlier output of the same command, or with
``--force``; otherwise one line says why, exit code 2, and the file is byte-identical. An
output in a folder that does not exist is an error, and no folder is created. The demo
writes only into a new or empty folder or an earlier demo's, and never deletes or replaces
a file it did not write."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from books import clean_book, write
from openpyxl import load_workbook
from test_cli import run, sha
from test_consolidate import two_communes

from xl_nhandao.demo.run import MANIFEST, run_demo
from xl_nhandao.validate import validate_file

REFUSED = ("Tệp “{path}” đã có và không phải kết quả chưa sửa của lệnh này, nên không ghi đè. Hãy chọn tên "
           "khác, hoặc thêm --force nếu chắc chắn muốn thay tệp đó.\n")


def clerk_saves(path: Path) -> None:
    """What Excel does when a clerk edits a file and saves it a few minutes later: the
    content changes and so does the "modified" time."""
    from openpyxl.writer.excel import ExcelWriter

    wb = load_workbook(path)
    wb.worksheets[0]["Z1"] = "đã sửa tay"
    wb.properties.modified = (wb.properties.modified or wb.properties.created) + timedelta(minutes=5)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A clerk's filled register."""
    return write(clean_book(), tmp_path / "so-cua-xa.xlsx")


# -- new-workbook ------------------------------------------------------------------------------
def test_new_workbook_over_a_filled_register_is_refused(register: Path, capsys) -> None:
    before = sha(register)
    code, out, err = run(["new-workbook", "--unit", "22366", "-o", str(register)], capsys)
    assert (code, out, err) == (2, "", REFUSED.format(path=register))
    assert sha(register) == before


def test_new_workbook_replaces_its_own_unedited_output(tmp_path: Path, capsys) -> None:
    out = tmp_path / "so-moi.xlsx"
    assert run(["new-workbook", "--unit", "22333", "--period", "2024", "-o", str(out)], capsys)[0] == 0
    code, _, err = run(["new-workbook", "--unit", "22366", "--period", "2024", "-o", str(out)], capsys)
    assert code == 0 and err == ""
    assert validate_file(out).unit.code == "22366"


def test_new_workbook_does_not_replace_its_output_once_edited(tmp_path: Path, capsys) -> None:
    out = tmp_path / "so-moi.xlsx"
    assert run(["new-workbook", "--unit", "22333", "-o", str(out)], capsys)[0] == 0
    clerk_saves(out)
    before = sha(out)
    assert run(["new-workbook", "--unit", "22366", "-o", str(out)], capsys) == (2, "", REFUSED.format(path=out))
    assert sha(out) == before


def test_new_workbook_force_replaces(register: Path, capsys) -> None:
    code, _, _ = run(["new-workbook", "--unit", "22366", "--period", "2024", "-o", str(register), "--force"],
                     capsys)
    assert code == 0 and validate_file(register).unit.code == "22366"


# -- consolidate -------------------------------------------------------------------------------
def test_consolidate_replaces_an_earlier_consolidation(tmp_path: Path, capsys) -> None:
    folder = two_communes(tmp_path)
    out = tmp_path / "tong-hop.xlsx"
    assert run(["consolidate", str(folder), "-o", str(out)], capsys)[0] == 0
    first = sha(out)
    code, _, err = run(["consolidate", str(folder), "-o", str(out), "--nguoi-lap", "Lê Thị Hoa"], capsys)
    assert code == 0 and err == ""
    assert sha(out) != first


def test_consolidate_over_a_clerks_file_is_refused(tmp_path: Path, register: Path, capsys) -> None:
    folder = two_communes(tmp_path)
    before = sha(register)
    assert run(["consolidate", str(folder), "-o", str(register)], capsys) == (2, "", REFUSED.format(path=register))
    assert sha(register) == before
    assert run(["consolidate", str(folder), "-o", str(register), "--force"], capsys)[0] == 0
    assert sha(register) != before


def test_consolidate_over_an_edited_consolidation_is_refused(tmp_path: Path, capsys) -> None:
    folder = two_communes(tmp_path)
    out = tmp_path / "tong-hop.xlsx"
    assert run(["consolidate", str(folder), "-o", str(out)], capsys)[0] == 0
    clerk_saves(out)
    before = sha(out)
    assert run(["consolidate", str(folder), "-o", str(out)], capsys) == (2, "", REFUSED.format(path=out))
    assert sha(out) == before


def test_consolidate_refuses_an_annotated_copy_or_a_blank_workbook(tmp_path: Path, broken: Path, capsys) -> None:
    """An earlier output of another command is not this command's to replace."""
    folder = two_communes(tmp_path)
    marked, blank = tmp_path / "danh-dau.xlsx", tmp_path / "mau.xlsx"
    assert run(["validate", str(broken), "--annotate", str(marked)], capsys)[0] == 1
    assert run(["new-workbook", "-o", str(blank)], capsys)[0] == 0
    for other in (marked, blank):
        before = sha(other)
        assert run(["consolidate", str(folder), "-o", str(other)], capsys) == (2, "", REFUSED.format(path=other))
        assert sha(other) == before


# -- validate --annotate -----------------------------------------------------------------------
def test_annotate_replaces_its_own_unedited_copy(broken: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "danh-dau.xlsx"
    assert run(["validate", str(broken), "--annotate", str(out)], capsys)[0] == 1
    code, _, err = run(["validate", str(broken), "--annotate", str(out), "--lang", "en"], capsys)
    assert code == 1 and "Traceback" not in err
    assert load_workbook(out, read_only=True)["Loi"]["A1"].value is not None


def test_annotate_over_a_clerks_file_or_an_edited_copy_is_refused(broken: Path, register: Path, tmp_path: Path,
                                                                  capsys) -> None:
    before = sha(register)
    assert run(["validate", str(broken), "--annotate", str(register)], capsys) == (
        2, "", REFUSED.format(path=register))
    assert sha(register) == before
    out = tmp_path / "danh-dau.xlsx"
    assert run(["validate", str(broken), "--annotate", str(out)], capsys)[0] == 1
    clerk_saves(out)  # the clerk corrected the marked copy
    before = sha(out)
    assert run(["validate", str(broken), "--annotate", str(out)], capsys) == (2, "", REFUSED.format(path=out))
    assert sha(out) == before
    assert run(["validate", str(broken), "--annotate", str(out), "--force"], capsys)[0] == 1
    assert sha(out) != before


def test_annotate_checks_its_output_before_reading_the_workbook(register: Path, tmp_path: Path, capsys) -> None:
    """A refused output is said at once, not after the workbook is read (here the
    workbook does not even exist: the output's reason comes first)."""
    missing = tmp_path / "khong-co.xlsx"
    assert run(["validate", str(missing), "--annotate", str(register)], capsys) == (
        2, "", REFUSED.format(path=register))


# -- folders that do not exist -----------------------------------------------------------------
@pytest.mark.parametrize("command", ["new-workbook", "validate --annotate", "consolidate", "demo"])
def test_output_in_a_missing_folder_is_an_error(command: str, tmp_path: Path, broken: Path, capsys) -> None:
    missing = tmp_path / "chua-co" / "con"
    out = missing / ("d" if command == "demo" else "ra.xlsx")
    args = {
        "new-workbook": ["new-workbook", "--unit", "22333", "-o", str(out)],
        "validate --annotate": ["validate", str(broken), "--annotate", str(out)],
        "consolidate": ["consolidate", str(broken), "-o", str(out)],
        "demo": ["demo", "-o", str(out)],
    }[command]
    code, stdout, err = run(args, capsys)
    assert (code, stdout) == (2, "")
    assert err == (f"Thư mục “{missing}” chưa có nên không ghi được “{out}”. Hãy tạo thư mục đó trước, "
                   "hoặc chọn thư mục khác.\n")
    assert not (tmp_path / "chua-co").exists()


# -- demo --------------------------------------------------------------------------------------
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def earlier_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo run in an empty folder (but for what Windows leaves in folders it shows)."""
    folder = tmp_path_factory.mktemp("demo") / "d"
    folder.mkdir()
    (folder / "Thumbs.db").write_bytes(b"Windows")
    assert run_demo(folder, TODAY).output.is_file()
    return folder


def copy_of(folder: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "d"
    shutil.copytree(folder, dest)
    return dest


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_lists_what_it_wrote(earlier_demo: Path) -> None:
    files = json.loads((earlier_demo / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert files == {k: v for k, v in tree(earlier_demo).items() if k not in (MANIFEST, "Thumbs.db")}
    assert (earlier_demo / "Thumbs.db").read_bytes() == b"Windows"
    assert "tong-hop-56-2025.xlsx" in files and "don-vi-phai-nop.txt" in files


def test_demo_reruns_in_its_own_folder_and_removes_only_its_own_files(earlier_demo: Path, tmp_path: Path) -> None:
    d = copy_of(earlier_demo, tmp_path)
    # A file an earlier demo wrote that this one does not write again (an annotated copy of
    # a book that no longer has errors): the demo's own, so it goes.
    stale = d / "kiem-tra" / "22999-2025-danh-dau.xlsx"
    stale.write_bytes(b"an earlier demo's copy")
    manifest = json.loads((d / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["kiem-tra/22999-2025-danh-dau.xlsx"] = sha(stale)
    (d / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (d / "bao-cao-nop" / ".DS_Store").write_bytes(b"Finder")  # what the OS leaves, never data
    run_demo(d, TODAY)
    assert not stale.exists()
    assert (d / "bao-cao-nop" / ".DS_Store").read_bytes() == b"Finder"
    assert set(tree(d)) == set(tree(earlier_demo)) | {"bao-cao-nop/.DS_Store"}


def test_demo_refuses_a_folder_with_someone_elses_file(earlier_demo: Path, tmp_path: Path, capsys) -> None:
    d = copy_of(earlier_demo, tmp_path)
    mine = d / "bao-cao-nop" / "so-that-cua-xa.xlsx"
    shutil.copy(write(clean_book(), tmp_path / "so.xlsx"), mine)
    before = tree(d)
    code, out, err = run(["demo", "-o", str(d)], capsys)
    assert (code, out) == (2, "")
    assert err == (f"Thư mục “{d}” đã có tệp “bao-cao-nop/so-that-cua-xa.xlsx” không phải do lệnh demo ghi, nên "
                   "demo không ghi vào đó. Demo chỉ ghi vào thư mục mới, thư mục trống hoặc thư mục của lần chạy "
                   "demo trước; hãy chọn thư mục khác (-o).\n")
    assert tree(d) == before


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path, register: Path, capsys) -> None:
    before = tree(tmp_path)
    code, _, err = run(["demo", "-o", str(tmp_path), "--lang", "en"], capsys)
    assert code == 2 and err.startswith(f"Folder “{tmp_path}” holds “") and "which the demo did not write" in err
    assert tree(tmp_path) == before


def test_demo_refuses_a_file_changed_since(earlier_demo: Path, tmp_path: Path, capsys) -> None:
    d = copy_of(earlier_demo, tmp_path)
    clerk_saves(d / "tong-hop-56-2025.xlsx")  # the coordinator worked in the demo's output
    before = tree(d)
    code, _, err = run(["demo", "-o", str(d)], capsys)
    assert code == 2
    assert err == (f"Tệp “tong-hop-56-2025.xlsx” trong thư mục “{d}” đã được sửa sau khi demo ghi ra, nên demo "
                   "không ghi đè. Hãy chọn thư mục khác (-o), hoặc chép tệp đã sửa ra chỗ khác rồi xóa thư mục.\n")
    assert tree(d) == before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_demo_refuses_a_link_to_another_folder(earlier_demo: Path, tmp_path: Path, capsys) -> None:
    d = copy_of(earlier_demo, tmp_path)
    elsewhere = tmp_path / "so-cua-toi"
    elsewhere.mkdir()
    (elsewhere / "22333-2025.xlsx").write_bytes(b"someone's register")
    shutil.rmtree(d / "bao-cao-nop")
    (d / "bao-cao-nop").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = run(["demo", "-o", str(d)], capsys)
    assert code == 2 and "“bao-cao-nop” không phải do lệnh demo ghi" in err
    assert (elsewhere / "22333-2025.xlsx").read_bytes() == b"someone's register"


def test_demo_into_a_file_is_refused(register: Path, capsys) -> None:
    before = sha(register)
    code, _, err = run(["demo", "-o", str(register)], capsys)
    assert (code, err) == (2, f"“{register}” là một tệp, không phải thư mục; hãy chọn một thư mục (-o).\n")
    assert sha(register) == before
