"""The public Python API (SPEC §7): ``import xl_nhandao as nd`` is light, the functions are
the ones the command line calls, run failures are the library's own exceptions, and the
results give pandas frames and save themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from books import clean_book, write
from conftest import TODAY
from test_consolidate import two_communes

import xl_nhandao as nd

HEAVY = ("pandas", "openpyxl", "xlsxwriter", "python_calamine", "typer", "click", "rich", "pydantic", "numpy")


def test_import_is_light() -> None:
    code = ("import sys, xl_nhandao as nd; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_functions_stay_functions_after_their_subpackages_are_imported() -> None:
    import xl_nhandao.consolidate
    import xl_nhandao.demo
    import xl_nhandao.validate  # noqa: F401

    for name in ("validate", "consolidate", "demo", "annotate", "new_workbook"):
        assert callable(getattr(nd, name)), name
        assert getattr(nd, name).__module__ == "xl_nhandao", name
    from xl_nhandao import validate

    assert validate is nd.validate
    from xl_nhandao.validate import Report, validate_file  # the subpackage is still importable

    assert Report and validate_file


def test_validate_gives_a_report_and_its_frame(tmp_path: Path) -> None:
    book = clean_book()
    book.set("DiaChi", 2, "Năm sinh", 19855)
    path = write(book, tmp_path / "so.xlsx")
    report = nd.validate(path, today=TODAY)
    assert not report.valid
    frame = report.to_frame()
    assert list(frame["code"]) == [i.code for i in report.issues]
    assert frame.loc[0, "cell"] == "D6" and frame.loc[0, "severity"] == "error"
    assert "pandas" in sys.modules  # imported only now


def test_run_failures_are_the_librarys_exceptions(tmp_path: Path) -> None:
    with pytest.raises(nd.InputError) as caught:
        nd.validate(tmp_path / "khong-co.xlsx")
    err = caught.value
    assert isinstance(err, nd.RunError) and err.code == "file-not-found"
    assert err.message("vi").startswith("Không tìm thấy tệp") and err.message("en").startswith("File")
    with pytest.raises(nd.UsageError):
        nd.new_workbook(tmp_path / "so.xlsx", "99999")
    with pytest.raises(nd.OutputError):
        nd.new_workbook(tmp_path / "chua-co" / "so.xlsx")


def test_consolidate_totals_frames_and_save(tmp_path: Path) -> None:
    folder = two_communes(tmp_path)
    res = nd.consolidate(folder, period="2024-H1", today=TODAY)
    assert res.totals["dia_chi_co_ho_so"] == 6 and res.totals["gia_tri_tro_giup"] == 3_500_000
    frames = res.frames()
    assert {"TongHop", "ChiTieu", "NopBaoCao", "DiaChi", "DangKy", "TroGiup", "TrungLap", "LoaiTru", "Loi"} <= set(frames)
    tonghop = frames["TongHop"]
    assert tonghop.iloc[-1]["gia_tri_tro_giup"] == 3_500_000  # the parent's line, by indicator code
    assert len(frames["DiaChi"]) == res.counted["DiaChi"]
    assert str(frames["TroGiup"]["Ngày trợ giúp"].dtype).startswith("datetime64")
    out = tmp_path / "tong-hop.xlsx"
    res.save(out)
    res.save(out)  # an unedited earlier consolidation may be replaced
    from xl_nhandao.validate import validate_file

    assert validate_file(out, TODAY).valid


def test_consolidate_with_output_checks_it_before_reading(tmp_path: Path) -> None:
    folder = two_communes(tmp_path)
    mine = write(clean_book(), tmp_path / "so-cua-toi.xlsx")
    before = mine.read_bytes()
    with pytest.raises(nd.OutputError) as caught:
        nd.consolidate(folder, output=mine, today=TODAY)
    assert caught.value.code == "output-exists" and mine.read_bytes() == before
    res = nd.consolidate(folder, output=mine, force=True, today=TODAY)
    assert res.totals["dia_chi_co_ho_so"] == 6 and mine.read_bytes() != before


def test_templates_without_fields_are_listed_without_opening_them() -> None:
    code = ("import sys, json, xl_nhandao as nd; t = nd.templates(fields=False); "
            f"print(json.dumps([t, [m for m in {(*HEAVY, 'docx', 'lxml')!r} if m in sys.modules]]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    light, heavy = json.loads(out)
    assert heavy == []
    assert light == [{k: v for k, v in t.items() if k != "fields"} for t in nd.templates()]
    assert light and all(set(t) == {"name", "title", "file"} for t in light)
