"""Hostile and damaged files: each one ends in a result or in one clear line (exit 2),
never in a crash, a hang, a memory blow-up, a traceback, a panic, a modified input or a
formula made of a clerk's text. One tiny workbook per defect, named after it; the ones
that would abort or hang the process run in a child process with a memory limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from books import clean_book, write
from conftest import TODAY
from openpyxl import load_workbook

import xl_nhandao
from xl_nhandao.cli import main
from xl_nhandao.consolidate import consolidate
from xl_nhandao.errors import RunError
from xl_nhandao.validate import validate_file
from xl_nhandao.workbook import guard, source
from xl_nhandao.workbook.annotate import ISSUES_SHEET, annotate_file
from xl_nhandao.workbook.reader import Reader
from xl_nhandao.workbook.source import SheetData

#: The child processes run the package these tests import.
ROOT = Path(xl_nhandao.__file__).resolve().parent.parent
PAYLOAD = '="XLNDPWN"&T(N(1))'


# -- helpers ----------------------------------------------------------------------------
def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def child(args: list[str], memory_gb: float = 1.5, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m xl_nhandao ARGS`` in a child process that may use at most
    ``memory_gb`` of address space (python-calamine aborts the process when a file asks
    it for more) and is killed after ``timeout`` seconds (a hang fails the test)."""
    limit = int(memory_gb * 1024**3)

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLND_LANG": "vi"}
    env.pop("XLND_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "xl_nhandao", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout, env=env, cwd=ROOT,
                          preexec_fn=cap if os.name == "posix" else None)


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and "panicked" not in err and "PanicException" not in err
    return err


def rewrite(src: Path, dst: Path, part: str, change) -> Path:
    """A copy of ``src`` with the zip member ``part`` replaced by ``change(data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, change(data) if info.filename == part else data)
    return dst


#: The parts ``books.write`` (openpyxl) gives the sheets of a clean book.
PARTS = {"ThongTin": "xl/worksheets/sheet1.xml", "DiaChi": "xl/worksheets/sheet2.xml",
         "DangKy": "xl/worksheets/sheet3.xml", "TroGiup": "xl/worksheets/sheet4.xml"}


def sheet_part(path: Path, name: str) -> str:
    return PARTS[name]


def add_cells(src: Path, dst: Path, sheet: str, cells: str, merges: str = "") -> Path:
    """``cells`` (``<row>`` XML) appended to the sheet's data, ``merges`` after it."""
    def change(data: bytes) -> bytes:
        data = data.replace(b"</sheetData>", cells.encode() + b"</sheetData>")
        if merges:
            data = data.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges.encode() + b"</mergeCells>")
        return data

    return rewrite(src, dst, sheet_part(src, sheet), change)


def with_date_style(src: Path, dst: Path, value: str, fmt_id: int = 14) -> Path:
    """A copy whose DiaChi cell N4 (Ngày lập hồ sơ) holds ``value`` as a number in a
    date format (built-in ``fmt_id``)."""
    tmp = dst.with_suffix(".step.xlsx")

    def styles(data: bytes) -> bytes:
        m = re.search(rb'<cellXfs count="(\d+)">', data)
        assert m
        n = int(m.group(1))
        xf = f'<xf numFmtId="{fmt_id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        data = data.replace(m.group(0), f'<cellXfs count="{n + 1}">'.encode())
        return data.replace(b"</cellXfs>", xf.encode() + b"</cellXfs>")

    rewrite(src, tmp, "xl/styles.xml", styles)
    with zipfile.ZipFile(tmp) as zf:
        n = int(re.search(rb'<cellXfs count="(\d+)">', zf.read("xl/styles.xml")).group(1)) - 1  # type: ignore[union-attr]
    rewrite(tmp, dst, sheet_part(tmp, "DiaChi"),
            lambda d: re.sub(rb'<c r="N4"[^>]*?(/>|>.*?</c>)', f'<c r="N4" s="{n}"><v>{value}</v></c>'.encode(),
                             d, count=1, flags=re.S))
    tmp.unlink()
    return dst


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write(clean_book(), tmp_path / "so.xlsx")


# -- the real extent of a sheet, before python-calamine allocates ---------------------------
def test_stray_value_far_right_is_refused_not_a_10gb_allocation(clean: Path, tmp_path: Path) -> None:
    bad = add_cells(clean, tmp_path / "o-XFD20000.xlsx", "DiaChi", '<row r="20000"><c r="XFD20000"><v>1</v></c></row>')
    before = sha(bad)
    proc = child(["validate", str(bad)])
    assert proc.returncode == 2, proc.stderr[-500:]
    err = one_line(proc.stderr)
    assert "Trang “DiaChi”" in err and "ô XFD20000" in err and "Ctrl+End" in err
    assert sha(bad) == before


@pytest.mark.parametrize(("ref", "phrase"), [("A99999999", "dòng 99999999 (ô A99999999)"),
                                              ("XFD1048576", "dòng 1048576 (ô XFD1048576)")])
def test_stray_value_far_down_is_refused_before_reading(ref: str, phrase: str, clean: Path, tmp_path: Path) -> None:
    row = re.sub(r"\D", "", ref)
    bad = add_cells(clean, tmp_path / f"o-{ref}.xlsx", "DiaChi", f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>')
    proc = child(["validate", str(bad)])
    assert proc.returncode == 2, proc.stderr[-500:]
    assert phrase in one_line(proc.stderr)


@pytest.mark.parametrize("cells", [
    '<row r="20000"><c r="XFD20000" s="1"/></row>',  # an empty styled cell: no data
    '<row r="1048576" s="1" customFormat="1"/>',  # a formatted empty row
    '<row r="30"><c><v>7</v></c><c><v>8</v></c></row>',  # cells without r (some writers)
])
def test_far_empty_cells_and_cells_without_reference_are_read(cells: str, clean: Path, tmp_path: Path) -> None:
    ok = add_cells(clean, tmp_path / "so-la.xlsx", "DiaChi", cells)
    report = validate_file(ok, today=TODAY)
    assert report.rows["DiaChi"] == 3 + ("<v>7" in cells)


def test_extent_of_cells_written_oddly() -> None:
    """Cells python-calamine places somewhere else than their first ``r`` says: a
    second ``r`` (the last wins), a prefix, single quotes, no ``r`` after a far cell."""
    def extent(xml: str) -> tuple[int, int]:
        ext = guard.walk_cells([xml.encode()])
        return ext.rows, ext.cols

    assert extent('<row r="5"><c r="A5" r="XFD9"><v>1</v></c></row>') == (9, 16384)
    assert extent("<row r='5'><x:c r='C7'><x:v>1</x:v></x:c></row>") == (7, 3)
    assert extent('<row r="5"><c r="XFD5"><v>1</v></c><c><v>2</v></c></row>') == (5, 16385)
    assert extent('<row r="5"><c r="B5" s="1"/><c r="C5"></c></row>') == (0, 0)
    assert extent('<row><c><v>1</v></c></row><row><c/><c><v>1</v></c></row>') == (2, 2)


def test_a_tag_too_long_to_scan_is_damage_not_a_way_past_the_check(clean: Path, tmp_path: Path) -> None:
    pad = "A" * (17 * 1024 * 1024)
    bad = add_cells(clean, tmp_path / "the-dai.xlsx", "DiaChi",
                    f'<row r="1048576"><c r="XFD1048576" x="{pad}"><v>1</v></c></row>')
    proc = child(["validate", str(bad)])
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "bị hỏng" in one_line(proc.stderr) and "16 MB" in proc.stderr


def test_repeated_cells_of_an_opendocument_table_are_counted_before_reading(tmp_path: Path) -> None:
    """An .ods cell can say it repeats 16,384 times on a row repeated 5,000 times:
    python-calamine lays out all 82 million cells (its own cap is 100 million)."""
    folder = tmp_path / "nop"
    folder.mkdir()
    write(clean_book(), folder / "22333.xlsx")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="DiaChi"><table:table-row table:number-rows-repeated="5000">'
               '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
               "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(folder / "lap-lai.ods", "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    proc = child(["consolidate", str(folder), "-o", str(tmp_path / "th.xlsx"), "--json"])
    assert proc.returncode == 1, proc.stderr[-500:]
    subs = {s["file"]: s for s in json.loads(proc.stdout)["submissions"]}
    assert subs["22333.xlsx"]["status"] == "accepted"
    assert subs["lap-lai.ods"]["status"] == "rejected" and "XFD5000" in subs["lap-lai.ods"]["reason"]


def test_an_xls_is_measured_before_python_calamine_builds_all_its_sheets(tmp_path: Path) -> None:
    """python-calamine builds every sheet of an .xls when it opens it: five sheets with a
    number at IV65536 ask for 2.7 GB before any sheet is chosen."""
    import xlwt

    folder = tmp_path / "nop"
    folder.mkdir()
    write(clean_book(), folder / "22333.xlsx")
    wb = xlwt.Workbook()
    for i in range(5):
        ws = wb.add_sheet(f"Trang{i}")
        ws.write(0, 0, "Mã địa chỉ")
        ws.write(65535, 255, 1)
    wb.save(str(folder / "xa.xls"))
    proc = child(["consolidate", str(folder), "-o", str(tmp_path / "th.xlsx"), "--json"])
    assert proc.returncode == 1, proc.stderr[-500:]
    subs = {s["file"]: s for s in json.loads(proc.stdout)["submissions"]}
    assert subs["22333.xlsx"]["status"] == "accepted"
    assert subs["xa.xls"]["status"] == "rejected" and "A1:IV65536" in subs["xa.xls"]["reason"]


def test_shared_strings_count_that_cannot_be_true_is_refused(clean: Path, tmp_path: Path) -> None:
    step = tmp_path / "step.xlsx"
    wb = load_workbook(clean)
    wb.save(step)  # openpyxl writes inline strings; Excel writes a shared-strings part
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1099511627776" '
           'uniqueCount="1099511627776"><si><t>x</t></si></sst>')
    bad = tmp_path / "chuoi-2-mu-40.xlsx"
    with zipfile.ZipFile(step) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("xl/sharedStrings.xml", sst)
    proc = child(["validate", str(bad)])
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "bị hỏng" in one_line(proc.stderr) and "uniqueCount" in proc.stderr


def test_twenty_thousand_merges_to_the_last_cell_do_not_hang(clean: Path, tmp_path: Path) -> None:
    merges = "".join(f'<mergeCell ref="A{r}:XFD1048576"/>' for r in range(3, 20003))
    bad = add_cells(clean, tmp_path / "gop-20000.xlsx", "DiaChi", "", merges)
    proc = child(["validate", str(bad), "--json"], timeout=120)
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    assert json.loads(proc.stdout)["rows"]["DiaChi"] == 3


def test_merges_are_normalised_and_clipped_to_the_data() -> None:
    merged = [((8, 25), (1, 0)), ((2, 0), (1048575, 16383)), ((2, 0), (1048575, 16383)), ((50, 0), (60, 2)),
              ((4, 4), (4, 4))]
    assert source.clip_merges(merged, 10, 20) == [((1, 0), (8, 19)), ((2, 0), (9, 19))]


def test_merge_fill_down_over_reversed_and_overlapping_merges() -> None:
    rows: list[list[object]] = [["h", "h"], ["Thôn 1", "x"], ["", "y"], ["", "z"], ["Thôn 2", "w"], ["", "v"]]
    merged = source.clip_merges([((3, 0), (1, 0)), ((2, 0), (1048575, 16383)), ((4, 0), (5, 0))], len(rows), 2)
    data = SheetData("DiaChi", rows, merged)
    Reader._fill_merged_down(data, 0)
    assert [r[0] for r in rows] == ["h", "Thôn 1", "Thôn 1", "Thôn 1", "Thôn 2", "Thôn 2"]


def test_reversed_merge_in_a_register_is_read(clean: Path, tmp_path: Path) -> None:
    bad = add_cells(clean, tmp_path / "gop-nguoc.xlsx", "DiaChi", "", '<mergeCell ref="Z9:A2"/>')
    assert validate_file(bad, today=TODAY).rows["DiaChi"] == 3


# -- python-calamine's panics ---------------------------------------------------------------
@pytest.mark.parametrize("value", ["-1e12", "-inf", "-1E+300"])
def test_impossible_date_is_one_line_naming_the_cell(value: str, clean: Path, tmp_path: Path) -> None:
    bad = with_date_style(clean, tmp_path / f"ngay{value}.xlsx", value)
    for args in (["validate", str(bad)], ["validate", str(bad), "--json", "--lang", "en"]):
        proc = child(args)
        assert proc.returncode == 2 and proc.stdout == "", proc.stderr[-800:]
        err = one_line(proc.stderr)
        assert "N4" in err and "DiaChi" in err and value in err


def test_impossible_duration_names_the_cell(clean: Path, tmp_path: Path) -> None:
    bad = with_date_style(clean, tmp_path / "gio.xlsx", "1e12", fmt_id=46)  # [h]:mm:ss
    with pytest.raises(RunError) as info:
        validate_file(bad, today=TODAY)
    assert info.value.code == "date-impossible" and info.value.params["cell"] == "N4"


def test_a_panic_the_checks_did_not_foresee_is_still_one_line(clean: Path, tmp_path: Path, monkeypatch,
                                                               capfd: pytest.CaptureFixture[str]) -> None:
    bad = with_date_style(clean, tmp_path / "ngay.xlsx", "-1e12")
    monkeypatch.setattr(guard, "_date_styles", lambda zf: set())  # the pre-check misses it
    with pytest.raises(RunError) as info:
        validate_file(bad, today=TODAY)
    assert info.value.code == "date-impossible" and info.value.params["cell"] == "N4"
    _, err = capfd.readouterr()
    assert "panicked" not in err and "backtrace" not in err


def test_consolidation_rejects_the_impossible_date_file_and_merges_the_others(clean: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    write(clean_book(), folder / "22333.xlsx")
    with_date_style(write(clean_book("22366"), tmp_path / "b.xlsx"), folder / "22366.xlsx", "-inf")
    res = consolidate([folder], today=TODAY)
    status = {s.file: s for s in res.submissions}
    assert status["22333.xlsx"].status == "accepted"
    bad = status["22366.xlsx"]
    assert bad.status == "rejected" and bad.reason is not None
    assert "N4" in bad.reason.text("vi") and "-inf" in bad.reason.text("en")


# -- --annotate on damaged files --------------------------------------------------------------
def _annotate(src: Path, tmp_path: Path, capsys) -> tuple[int, str, Path]:
    out = tmp_path / "danh-dau.xlsx"
    code, _, err = run(["validate", str(src), "--annotate", str(out)], capsys)
    return code, err, out


@pytest.mark.parametrize("case", ["nan", "reversed-merge", "truncated-content-types", "control-char-name",
                                  "fontid-float", "huge-merges", "huge-hyperlink"])
def test_annotate_repairs_what_openpyxl_refuses(case: str, clean: Path, tmp_path: Path, capsys) -> None:
    diachi = sheet_part(clean, "DiaChi")
    bad = tmp_path / f"{case}.xlsx"
    if case == "nan":
        rewrite(clean, bad, diachi, lambda d: re.sub(rb'<c r="D4"[^>]*>.*?</c>', b'<c r="D4"><v>nan</v></c>', d,
                                                     count=1, flags=re.S))
    elif case == "reversed-merge":
        add_cells(clean, bad, "DiaChi", "", '<mergeCell ref="Z9:A2"/>')
    elif case == "truncated-content-types":
        rewrite(clean, bad, "[Content_Types].xml", lambda d: d[: len(d) // 2])
    elif case == "control-char-name":
        rewrite(clean, bad, "xl/workbook.xml", lambda d: d.replace(b'name="DangKy"', b'name="Dang&#1;Ky"'))
    elif case == "fontid-float":
        rewrite(clean, bad, "xl/styles.xml", lambda d: d.replace(b'fontId="0"', b'fontId="0.5"', 1))
    elif case == "huge-merges":
        merges = "".join(f'<mergeCell ref="A{r}:XFD1048576"/>' for r in range(3, 2003))
        add_cells(clean, bad, "DiaChi", "", merges)
    elif case == "huge-hyperlink":
        rewrite(clean, bad, diachi, lambda d: d.replace(
            b"</sheetData>", b'</sheetData><hyperlinks><hyperlink ref="A1:XFD1048576" location="DiaChi!A1"/>'
                             b"</hyperlinks>"))
    before = sha(bad)
    code, err, out = _annotate(bad, tmp_path, capsys)
    assert code in (0, 1), err
    assert "Lỗi nội bộ" not in err and "Warning" not in err
    wb = load_workbook(out)
    assert wb.sheetnames[0] == ISSUES_SHEET
    assert sha(bad) == before
    if case == "nan":
        assert "giữ dạng chữ" in err and wb["DiaChi"]["D4"].value == "nan"
        assert wb["DiaChi"]["D4"].fill.fgColor.rgb.endswith("FFC7CE")  # marked: not a birth year
    if case == "reversed-merge":
        assert [str(r) for r in wb["DiaChi"].merged_cells.ranges] == ["A2:Z9"]
    if case == "huge-merges":
        assert len(wb["DiaChi"].merged_cells.ranges) == 1
    if case == "control-char-name":
        assert "Dang_Ky" in wb.sheetnames


def test_annotate_openpyxl_cannot_read_is_one_line_without_warnings(clean: Path, tmp_path: Path, capsys) -> None:
    ext = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
           b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations '
           b'count="0" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/></ext></extLst>')
    link = (b'<hyperlinks><hyperlink ref="A1" r:id="rId99" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></hyperlinks>')
    bad = rewrite(clean, tmp_path / "lien-ket-mat.xlsx", sheet_part(clean, "DiaChi"),
                  lambda d: d.replace(b"</sheetData>", b"</sheetData>" + link).replace(b"</worksheet>",
                                                                                     ext + b"</worksheet>"))
    code, err, out = _annotate(bad, tmp_path, capsys)
    assert code == 2, err
    assert "Không tạo được bản đánh dấu" in one_line(err) and "Warning" not in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_issues_in_the_hidden_cells_of_a_merge_mark_the_visible_cell(tmp_path: Path, capsys) -> None:
    """Found by the fuzz harness: a merged cell read for every row it covers (SPEC §3)
    has issues on rows whose cell openpyxl holds as a read-only MergedCell."""
    book = clean_book()
    book.set("DiaChi", 0, "Mã xã", "XYZ")
    book.set("DiaChi", 1, "Mã xã", None)
    src = write(book, tmp_path / "gop-ma-xa.xlsx")
    wb = load_workbook(src)
    wb["DiaChi"].merge_cells("I4:I5")
    wb.save(src)
    report = validate_file(src, today=TODAY)
    assert {i.cell for i in report.issues if i.code == "commune-unknown"} == {"I4", "I5"}
    code, err, out = _annotate(src, tmp_path, capsys)
    assert code == 1, err
    note = load_workbook(out)["DiaChi"]["I4"].comment
    assert note is not None and note.text.count("XYZ") == 2


def test_a_clerks_formula_text_stays_text_in_the_issues_sheet(tmp_path: Path) -> None:
    src = write(clean_book(), tmp_path / "so.xlsx")
    wb = load_workbook(src)
    cell = wb["DiaChi"]["E4"]  # Giới tính: not a known value, so it is listed with its value
    cell.value, cell.data_type = PAYLOAD, "s"
    wb.save(src)
    report = validate_file(src, today=TODAY)
    assert any(i.value == PAYLOAD for i in report.issues)
    out = tmp_path / "danh-dau.xlsx"
    annotate_file(src, report.issues, out)
    with zipfile.ZipFile(out) as zf:
        formulas = [f for n in zf.namelist() if n.startswith("xl/worksheets/")
                    for f in re.findall(rb"<f>(.*?)</f>", zf.read(n))]
    assert formulas == []
    loi = load_workbook(out)[ISSUES_SHEET]
    shown = [c for row in loi.iter_rows() for c in row if c.value == PAYLOAD]
    assert shown and all(c.data_type == "s" for c in shown)
    assert load_workbook(out)["DiaChi"]["E4"].value == PAYLOAD


def test_a_clerks_formula_text_stays_text_in_the_consolidation(tmp_path: Path) -> None:
    src = write(clean_book(), tmp_path / "so.xlsx")
    wb = load_workbook(src)
    cell = wb["DiaChi"]["L4"]  # Hoàn cảnh: free text, merged as is
    cell.value, cell.data_type = PAYLOAD, "s"
    wb.save(src)
    out = tmp_path / "tong-hop.xlsx"
    consolidate([src], today=TODAY).save(out)
    merged = load_workbook(out)["DiaChi"]
    found = [c for row in merged.iter_rows() for c in row if c.value == PAYLOAD]
    assert found and all(c.data_type == "s" for c in found)
    with zipfile.ZipFile(out) as zf:
        assert not any(b"XLNDPWN" in f for n in zf.namelist() if n.startswith("xl/worksheets/")
                       for f in re.findall(rb"<f>(.*?)</f>", zf.read(n)))


def test_an_absurd_amount_does_not_stop_a_consolidation(tmp_path: Path) -> None:
    """Found by the fuzz harness: 1e308 đồng in Giá trị made the rate of the value target
    overflow the decimal context (InvalidOperation, an internal error)."""
    book = clean_book()
    book.set("TroGiup", 0, "Giá trị (đồng)", 1e308)
    res = consolidate([write(book, tmp_path / "so.xlsx")], today=TODAY)
    assert [s.status for s in res.submissions] == ["accepted"]
    assert res.totals["ty_le_chi_tieu_gia_tri"] is None


# -- only regular files are read -------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_refused_not_waited_for(tmp_path: Path) -> None:
    pipe = tmp_path / "x.xlsx"
    os.mkfifo(pipe)
    proc = child(["validate", str(pipe)], timeout=60)
    assert proc.returncode == 2
    assert "không phải tệp thông thường" in one_line(proc.stderr)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_in_a_folder_is_rejected_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    write(clean_book(), folder / "22333.xlsx")
    os.mkfifo(folder / "x.xlsx")
    proc = child(["consolidate", str(folder), "-o", str(tmp_path / "th.xlsx"), "--json"], timeout=60)
    assert proc.returncode == 1, proc.stderr
    subs = {s["file"]: s for s in json.loads(proc.stdout)["submissions"]}
    assert subs["22333.xlsx"]["status"] == "accepted"
    assert subs["x.xlsx"]["status"] == "rejected" and "không phải tệp thông thường" in subs["x.xlsx"]["reason"]


# -- smaller defects ------------------------------------------------------------------------
def test_vntime_style_with_a_fractional_font_id_does_not_stop_a_consolidation(tmp_path: Path) -> None:
    src = write(clean_book(), tmp_path / "a.xlsx")
    wb = load_workbook(src)
    from openpyxl.styles import Font

    wb["DiaChi"]["C4"].font = Font(name=".VnTime")
    wb.save(src)
    folder = tmp_path / "nop"
    folder.mkdir()
    rewrite(src, folder / "22333.xlsx", "xl/styles.xml", lambda d: re.sub(rb'fontId="(\d+)"', rb'fontId="\1.5"', d))
    res = consolidate([folder], today=TODAY)
    assert [s.status for s in res.submissions] == ["accepted"]


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path: Path, capsys) -> None:
    odd = tmp_path / "so\nmoi.xlsx"
    odd.write_text("không phải sổ", encoding="utf-8")
    code, _, err = run(["validate", str(odd)], capsys)
    assert code == 2
    assert "so\\nmoi.xlsx" in one_line(err)


def test_a_file_name_that_is_not_utf8_is_read_and_shown(tmp_path: Path, capsys) -> None:
    """Found by the fuzz harness: python-calamine cannot open such a path by name, and
    the name (lone surrogates in Python) cannot be written to any output."""
    folder = tmp_path / "usb"
    folder.mkdir()
    odd = folder / os.fsdecode(b"s\xf5-22333.xlsx")  # a Windows-1258 name
    write(clean_book(), odd)
    code, out, _ = run(["validate", str(odd), "--json"], capsys)
    assert code == 0 and json.loads(out)["file"] == "s\ufffd-22333.xlsx"
    res = consolidate([folder], today=TODAY)
    assert [(s.file, s.status) for s in res.submissions] == [("s\ufffd-22333.xlsx", "accepted")]
    res.save(tmp_path / "th.xlsx")


def _encrypted_xls(path: Path) -> Path:
    """An Excel 97–2003 workbook whose Workbook stream starts BOF, FILEPASS (RC4), as
    Excel writes a password-protected .xls."""
    import xlwt
    from xlwt.CompoundDoc import XlsDoc

    wb = xlwt.Workbook()
    wb.add_sheet("DiaChi").write(0, 0, "Mã địa chỉ")
    stream = wb.get_biff_data()
    kind, size = struct.unpack_from("<HH", stream, 0)
    assert kind == 0x0809
    filepass = struct.pack("<HHHHH", 0x002F, 54, 1, 1, 1) + bytes(range(48))
    XlsDoc().save(str(path), stream[: 4 + size] + filepass + stream[4 + size :])
    return path


def test_an_encrypted_xls_is_password_protected_not_unsupported(tmp_path: Path, capsys) -> None:
    import msoffcrypto

    bad = _encrypted_xls(tmp_path / "mat-khau.xls")
    with bad.open("rb") as fh:
        assert msoffcrypto.OfficeFile(fh).is_encrypted()  # an independent reader agrees
    code, _, err = run(["validate", str(bad)], capsys)
    assert code == 2 and "đang đặt mật khẩu" in one_line(err)
    res = consolidate([bad], "2024-H1", today=TODAY)
    reason = res.submissions[0].reason
    assert reason is not None and "password-protected" in reason.text("en")


def test_english_messages_name_the_format_and_size_in_english(tmp_path: Path, capsys) -> None:
    xlsb = tmp_path / "so.xlsb.xlsx"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("xl/workbook.bin", b"\0")
    code, _, err = run(["validate", str(xlsb), "--lang", "en"], capsys)
    assert code == 2 and "is an Excel binary (.xlsb) file" in err and "nhị phân" not in err
    # A zip whose directory announces 3 GiB unpacked.
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(bomb.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3 * 1024**3)
    bomb.write_bytes(bytes(data))
    code, _, err = run(["validate", str(bomb), "--lang", "en"], capsys)
    assert code == 2 and "(3,072 MB)" in err
    code, _, err = run(["validate", str(bomb)], capsys)
    assert code == 2 and "(3.072 MB)" in err


def test_no_period_anywhere_says_what_to_do_not_dash(tmp_path: Path, capsys) -> None:
    book = clean_book()
    assert book.info is not None
    del book.info["Kỳ báo cáo"]
    folder = tmp_path / "nop"
    folder.mkdir()
    write(book, folder / "22333.xlsx")
    code, _, err = run(["consolidate", str(folder), "-o", str(tmp_path / "th.xlsx"), "--lang", "en"], capsys)
    assert code == 2 and "—" not in err and "--period" in one_line(err) and "22333.xlsx" in err


def test_every_file_rejected_names_one_and_its_reason(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    (folder / "a.xlsx").write_text("ghi chú", encoding="utf-8")
    (folder / "b.xlsx").write_bytes(b"PK\x03\x04 damaged")
    code, _, err = run(["consolidate", str(folder), "-o", str(tmp_path / "th.xlsx"), "--lang", "en"], capsys)
    assert code == 2 and "—" not in err
    assert "a.xlsx" in one_line(err) and "not an .xlsx workbook" in err


# -- two sheets of one name ------------------------------------------------------------------
def test_two_sheets_of_one_name_are_damage_not_a_register_silently_lost(clean: Path, tmp_path: Path,
                                                                       capsys) -> None:
    """Excel never writes two sheets of one name; python-calamine finds only the first by
    name, so the second (here the DangKy register) would vanish without a word."""
    bad = rewrite(clean, tmp_path / "hai-trang-DiaChi.xlsx", "xl/workbook.xml",
                  lambda d: d.replace(b'name="DangKy"', b'name="DiaChi"'))
    code = main(["validate", str(bad)])
    _, err = capsys.readouterr()
    assert code == 2 and one_line(err) == (
        f"“{bad}” có hai trang cùng tên “DiaChi” nên không đọc chắc được trang nào (tệp bị hỏng). Hãy mở bằng "
        "Excel, đổi tên một trang cho khác rồi lưu lại.\n")
    folder = tmp_path / "nop"
    folder.mkdir()
    bad.rename(folder / bad.name)
    write(clean_book("22366"), folder / "22366.xlsx")
    result = consolidate([folder], today=TODAY)
    rejected = [s for s in result.submissions if s.status == "rejected"]
    assert [s.file for s in rejected] == [bad.name] and "hai trang cùng tên" in rejected[0].reason.text("vi")


def test_a_register_with_figures_still_warns_of_a_missing_sheet(tmp_path: Path) -> None:
    """Filling SoLieu does not make a commune with addresses an aggregate-only unit: its
    missing DangKy sheet is still said."""
    book = clean_book()
    del book.tables["DangKy"]
    path = write(book, tmp_path / "so.xlsx", solieu=[["dia_chi_co_ho_so", "", 3]])
    report = validate_file(path, TODAY)
    assert [(i.code, i.sheet) for i in report.issues if i.code.startswith("sheet-")] == [
        ("sheet-empty-missing", "DangKy")]
