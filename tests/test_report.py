"""``xl-nhandao report``, ``templates`` and ``words`` end to end: every shipped template
fills from a consolidation with no placeholder left and the right totals and words; the
Word draft; errors in one line; nothing written over a template; the PDF when asked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import TODAY
from openpyxl import Workbook, load_workbook
from test_consolidate import cli, two_communes

import xl_nhandao as nd
from xl_nhandao.schema import ReportDocument, TemplatesDocument, WordsDocument

SHIPPED = [t["name"] for t in nd.templates()]
PLACEHOLDER = re.compile(r"\{\{.*?\}\}")


@pytest.fixture(scope="module")
def consolidation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    d = tmp_path_factory.mktemp("rep")
    out = d / "tong-hop.xlsx"
    res = nd.consolidate(two_communes(d), output=out, today=TODAY)
    return out, res.totals


def cells(path: Path) -> list[object]:
    wb = load_workbook(path)
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_the_shipped_templates_are_listed_with_their_fields(capsys) -> None:
    assert {"bang-so-lieu", "danh-sach-dia-chi", "bang-so-lieu-6-thang", "bang-so-lieu-nam", "so-nop-bao-cao",
            "bao-cao-6-thang", "bao-cao-nam"} <= set(SHIPPED)
    code, out, err = cli(["templates", "--json"], capsys)
    assert code == 0, err
    doc = TemplatesDocument.model_validate(json.loads(out))
    for t in doc.templates:
        assert Path(t.file).is_file() and t.title and t.fields
        assert all(f.description for f in t.fields), t.name  # every field used is a catalogued one
    names = {f.name for f in doc.fields}
    assert {"gia_tri_tro_giup", "dv.ten", "dc.ho_ten", "nb.trang_thai", "cau.gia_tri"} <= names


@pytest.mark.parametrize("name", [n for n in SHIPPED if not n.startswith("bao-cao")])
def test_every_excel_template_fills_with_no_placeholder_left_and_right_totals(name: str, consolidation, tmp_path,
                                                                              capsys) -> None:
    source, totals = consolidation
    out = tmp_path / f"{name}.xlsx"
    code, stdout, err = cli(["report", str(source), "--template", name, "-o", str(out), "--json",
                             "--ngay", "05/02/2026", "--nguoi-ky", "Lê Thị Hoa"], capsys)
    assert code == 0, err
    doc = ReportDocument.model_validate(json.loads(stdout))
    assert doc.template == name and doc.fields
    values = cells(out)
    left = [v for v in values if isinstance(v, str) and PLACEHOLDER.search(v)]
    assert left == []
    text = " ".join(str(v) for v in values)
    assert "ngày 05 tháng 02 năm 2026" in text
    if "gia_tri_tro_giup" in doc.fields:  # the total, typed or in a sentence
        assert totals["gia_tri_tro_giup"] in values or f"{totals['gia_tri_tro_giup']:,}".replace(",", ".") in text


def test_the_total_in_words_is_the_total(consolidation, tmp_path) -> None:
    source, totals = consolidation
    out = tmp_path / "b.xlsx"
    nd.report(source, "bang-so-lieu-6-thang", out, today=TODAY)
    text = " ".join(str(v) for v in cells(out))
    assert nd.words(totals["gia_tri_tro_giup"]) in text  # 3.500.000 for the two communes


def test_the_word_draft_has_the_figures_and_sentences(consolidation, tmp_path, capsys) -> None:
    import docx

    source, totals = consolidation
    out = tmp_path / "bao-cao.docx"
    code, stdout, err = cli(["report", str(source), "--template", "bao-cao-6-thang", "-o", str(out), "--json",
                             "--so", "15/BC-HCTĐ", "--nguoi-ky", "Lê Thị Hoa", "--ngay", "28/05/2024"], capsys)
    assert code == 0, err
    assert json.loads(stdout)["rows"] == {"dv": 2}
    doc = docx.Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    tables = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "{{" not in body + tables
    value = totals["gia_tri_tro_giup"]
    assert f"Tổng giá trị trợ giúp đạt {value:,} đồng ({nd.words(value)})".replace(",", ".") in body
    assert "Số: 15/BC-HCTĐ" in tables and "ngày 28 tháng 5 năm 2024" in tables and "Lê Thị Hoa" in tables
    assert "Phường Bắc Nha Trang" in tables  # the units' table repeated its row


def test_an_unknown_placeholder_is_one_line_naming_it_and_nothing_is_written(consolidation, tmp_path, capsys) -> None:
    source, _ = consolidation
    tpl = tmp_path / "mau.xlsx"
    wb = Workbook()
    wb.active["B3"] = "{{ gia_tri_tro_giup }}"
    wb.active["C7"] = "Tổng: {{ gia_tri_tro_giupp }} đồng"
    wb.active["D9"] = "{{ ky.den_ngay | ngay_van_bann }}"
    wb.save(tpl)
    out = tmp_path / "out.xlsx"
    code, stdout, err = cli(["report", str(source), "--template", str(tpl), "-o", str(out)], capsys)
    assert code == 2 and stdout == "" and not out.exists()
    assert len(err.strip().splitlines()) == 1
    assert "gia_tri_tro_giupp" in err and "C7" in err and "ngay_van_bann" in err and "D9" in err


def test_a_period_the_consolidation_does_not_hold_is_refused_not_a_report_of_zeros(consolidation, tmp_path,
                                                                                      capsys) -> None:
    source, _ = consolidation
    period = nd.consolidate([source], today=TODAY).period.label
    other = "2019-Q1"
    out = tmp_path / "bao-cao.xlsx"
    for lang, phrase in (("vi", f"không bản nộp nào được tính (Kỳ báo cáo {period} khác kỳ tổng hợp {other})"),
                         ("en", f"no submission in it is counted (Period {period} differs from the consolidation period {other})")):
        code, stdout, err = cli(["report", str(source), "--template", "bang-so-lieu", "--period", other,
                                 "-o", str(out), "--lang", lang], capsys)
        assert code == 2 and stdout == "" and not out.exists()
        assert len(err.strip().splitlines()) == 1 and phrase in err, err
    code, _, _ = cli(["report", str(source), "--template", "bang-so-lieu", "-o", str(out)], capsys)
    assert code == 0 and out.exists()


def test_never_over_the_template_and_an_unknown_name_lists_the_shipped_ones(consolidation, tmp_path, capsys) -> None:
    source, _ = consolidation
    tpl = tmp_path / "mau.xlsx"
    wb = Workbook()
    wb.active["A1"] = "{{ don_vi.ten }}"
    wb.save(tpl)
    before = tpl.read_bytes()
    code, _, err = cli(["report", str(source), "--template", str(tpl), "-o", str(tpl), "--force"], capsys)
    assert code == 2 and tpl.read_bytes() == before and len(err.strip().splitlines()) == 1
    code, _, err = cli(["report", str(source), "--template", "bang-so-lieu-9-thang", "-o", str(tmp_path / "x.xlsx")],
                       capsys)
    assert code == 2 and "bang-so-lieu-6-thang" in err


def test_without_libreoffice_the_report_is_written_and_says_there_is_no_pdf(consolidation, tmp_path, monkeypatch,
                                                                           capsys) -> None:
    import shutil

    source, _ = consolidation
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = tmp_path / "b.xlsx"
    code, stdout, _ = cli(["report", str(source), "--template", "so-nop-bao-cao", "-o", str(out), "--pdf", "--json"],
                            capsys)
    doc = json.loads(stdout)
    assert code == 0 and out.is_file() and doc["pdf"] is None
    assert any("LibreOffice" in n for n in doc["notices"])


@pytest.mark.parametrize("typed, amount, words", [
    ("1500000", 1_500_000, "Một triệu năm trăm nghìn đồng"),
    ("1.270.160.000đ", 1_270_160_000, "Một tỷ hai trăm bảy mươi triệu một trăm sáu mươi nghìn đồng"),
    ("105", 105, "Một trăm linh năm đồng"),
])
def test_words_command(typed: str, amount: int, words: str, capsys) -> None:
    code, out, err = cli(["words", typed, "--json"], capsys)
    assert code == 0, err
    assert WordsDocument.model_validate(json.loads(out)).model_dump() == {"amount": amount, "words": words}
    code, out, _ = cli(["words", typed], capsys)
    assert out == words + "\n"
    assert cli(["words", "105", "--kieu-doc", "nam"], capsys)[1] == "Một trăm lẻ năm đồng\n"
    code, out, err = cli(["words", "1.5"], capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_a_word_template_speaks_the_excel_language(consolidation, tmp_path, capsys) -> None:
    """The Word filler is the Excel one's language: a year is never grouped, a list field
    outside a table row and a broken placeholder are named, each with where it is."""
    import docx

    source, _ = consolidation
    doc = docx.Document()
    doc.add_paragraph("Năm {{ ky.nam }}: {{ gia_tri_tro_giup | chu }}")
    doc.add_paragraph("{{ dv.ten }}")
    doc.add_paragraph("{{ don_vi.ten ")
    tpl = tmp_path / "mau.docx"
    doc.save(str(tpl))
    code, _, err = cli(["report", str(source), "--template", str(tpl), "-o", str(tmp_path / "o.docx")], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "đoạn 2" in err and "dv.ten" in err and "đoạn 3" in err
    good = docx.Document()
    good.add_paragraph("Năm {{ ky.nam }}: {{ gia_tri_tro_giup | chu }}")
    good.save(str(tpl))
    out = tmp_path / "o.docx"
    assert cli(["report", str(source), "--template", str(tpl), "-o", str(out)], capsys)[0] == 0
    text = docx.Document(str(out)).paragraphs[0].text
    assert text.startswith("Năm 2024: ") and text.endswith(" đồng")


def test_an_excel_template_xltx_gives_an_xlsx_report(consolidation, tmp_path, capsys) -> None:
    source, totals = consolidation
    wb = Workbook()
    wb.active["A1"] = "{{ gia_tri_tro_giup }}"
    wb.template = True
    tpl = tmp_path / "mau.xltx"
    wb.save(tpl)
    out = tmp_path / "bao-cao.xlsx"
    code, _, err = cli(["report", str(source), "--template", str(tpl), "-o", str(out)], capsys)
    assert code == 0, err
    assert load_workbook(out).active["A1"].value == totals["gia_tri_tro_giup"]
    code, _, err = cli(["report", str(source), "--template", str(tpl), "-o", str(tmp_path / "bao-cao.xltx")], capsys)
    assert code == 2 and "phải có đuôi .xlsx" in err


def test_the_chu_filter_refuses_a_fraction_instead_of_cutting_it_off() -> None:
    from xl_nhandao.errors import RunError
    from xl_nhandao.report.run import filters

    chu = filters("bac")["chu"]
    assert chu(1_500_000) == chu(1_500_000.0) == "Một triệu năm trăm nghìn đồng"
    assert chu("không phải số") == "không phải số"
    with pytest.raises(RunError) as err:
        chu(1.5)
    assert err.value.code == "words-fraction"


def test_a_word_template_gets_word_advice(consolidation, tmp_path, capsys) -> None:
    import docx

    source, _ = consolidation
    tpl = tmp_path / "mau.docx"
    doc = docx.Document()
    doc.add_paragraph("{{ gia_tri_tro_giupp }}")
    doc.save(str(tpl))
    code, _, err = cli(["report", str(source), "--template", str(tpl), "-o", str(tmp_path / "o.docx")], capsys)
    assert code == 2 and "Hãy sửa trong Word" in err and "Excel" not in err
    tpl.write_text("không phải Word")
    for lang, advice in (("vi", "Hãy mở mẫu bằng Word"), ("en", "Open it in Word")):
        code, _, err = cli(["report", str(source), "--template", str(tpl), "-o", str(tmp_path / "o.docx"),
                            "--lang", lang], capsys)
        assert code == 2 and len(err.strip().splitlines()) == 1 and advice in err and "Excel" not in err
        assert "Error" not in err and "(" in err and "docx" in err.split("(", 1)[1]
