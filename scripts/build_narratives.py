"""Build the Word templates of the narrative reports (``templates/bao-cao-6-thang.docx``,
``templates/bao-cao-nam.docx``) with python-docx: A4, the margins and the heading block of
Decree 30/2020 (organisation left, national title and motto right, number line, place
and date line), the title, the body with the figures' sentences (``cau.*``) and the units'
table (``dv.*`` rows), what the clerk writes in italics between brackets, "Nơi nhận" and
the signature block. Run from the repository root:

    python scripts/build_narratives.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
FONT = "Times New Roman"


def _font(run, size: float = 13, bold: bool = False, italic: bool = False) -> None:  # type: ignore[no-untyped-def]
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container, text: str = "", *, size: float = 13, bold: bool = False, italic: bool = False,  # type: ignore[no-untyped-def]
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, after: float = 3, before: float = 0):
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _rule(container, width_cm: float, space_cm: float) -> None:  # type: ignore[no-untyped-def]
    """A short centred line under a heading (a paragraph with a bottom border, indented
    to the line's width) in a space ``space_cm`` wide."""
    p = container.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_after = Pt(2)
    ppr = p._element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)
    side = max((space_cm - width_cm) / 2, 0)
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    _font(p.add_run(""), 2)


def _widths(table, widths_cm: list[float], indent_cm: float = 0) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths (Word and LibreOffice otherwise share the width equally)."""
    table.autofit = False
    pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    pr.append(layout)
    if indent_cm:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(int(indent_cm * 567)))
        ind.set(qn("w:type"), "dxa")
        pr.append(ind)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def _no_borders(table) -> None:  # type: ignore[no-untyped-def]
    tbl = table._tbl
    pr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    pr.append(borders)


def _cell_para(cell, text: str, *, size: float = 13, bold: bool = False, italic: bool = False,  # type: ignore[no-untyped-def]
               align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    _font(p.add_run(text), size, bold, italic)
    return p


def build(kind: str) -> Path:
    annual = kind == "nam"
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(head)
    _widths(head, [8.4, 9.4], indent_cm=-0.8)
    left, right = head.rows[0].cells
    _cell_para(left, "{{ to_chuc.cap_tren }}", size=11, first=True)
    _cell_para(left, "{{ to_chuc.ten }}", size=12, bold=True)
    _rule(left, 2.5, 8.4)
    _cell_para(left, "Số: {{ so_van_ban }}", size=13)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, first=True)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, 5.5, 9.4)
    _cell_para(right, "{{ dia_danh }}, {{ ngay_bao_cao | ngay_van_ban }}", size=13, italic=True)

    _para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=0)
    what = "Tổng kết" if annual else "Sơ kết"
    _para(doc, f"{what} Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo” {{{{ ky.ten }}}}",
          size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(doc, 4, 16.5)
    _para(doc, "[Cán bộ viết phần mở đầu: căn cứ kế hoạch của Ban Chỉ đạo, tình hình chung của địa phương.]",
          italic=True, indent=True, before=6)
    _para(doc, "I. KẾT QUẢ THỰC HIỆN", bold=True, before=6)
    _para(doc, "1. Công tác khảo sát, lập hồ sơ địa chỉ nhân đạo", bold=True)
    for field in ("cau.dia_chi", "cau.doi_tuong", "cau.inhandao"):
        _para(doc, f"{{{{ {field} }}}}", indent=True)
    _para(doc, "2. Công tác vận động, trợ giúp", bold=True)
    for field in ("cau.gia_tri", "cau.hinh_thuc"):
        _para(doc, f"{{{{ {field} }}}}", indent=True)
    _para(doc, "3. Tổ chức, cá nhân tham gia", bold=True)
    _para(doc, "{{ cau.tham_gia }}", indent=True)
    _para(doc, "4. Kết quả của từng đơn vị", bold=True)
    headers = ["TT", "Đơn vị", "Địa chỉ có hồ sơ", "Được trợ giúp", "Giá trị trợ giúp (đồng)", "Đạt % chỉ tiêu"]
    widths = [1.0, 5.2, 2.3, 2.3, 3.4, 2.3]
    table = doc.add_table(rows=2, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    row = ["{{ dv.stt }}", "{{ dv.ten }}", "{{ dv.dia_chi_co_ho_so }}", "{{ dv.dia_chi_duoc_tro_giup }}",
           "{{ dv.gia_tri_tro_giup }}", "{{ dv.ty_le_chi_tieu_gia_tri }}"]
    for c, (h, w) in enumerate(zip(headers, widths)):
        for r, text in ((0, h), (1, row[c])):
            cell = table.rows[r].cells[c]
            cell.width = Cm(w)
            _cell_para(cell, text, size=11, bold=r == 0, first=True,
                       align=WD_ALIGN_PARAGRAPH.LEFT if (c == 1 and r == 1) else
                       WD_ALIGN_PARAGRAPH.RIGHT if (r == 1 and c >= 2) else WD_ALIGN_PARAGRAPH.CENTER)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    _para(doc, "5. Chế độ thông tin, báo cáo", bold=True, before=6)
    _para(doc, "{{ cau.nop_bao_cao }}", indent=True)
    _para(doc, "II. ĐÁNH GIÁ CHUNG", bold=True, before=6)
    _para(doc, "[Cán bộ viết: ưu điểm, hạn chế và nguyên nhân.]", italic=True, indent=True)
    _para(doc, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ " + ("NĂM TỚI" if annual else "6 THÁNG CUỐI NĂM"), bold=True, before=6)
    _para(doc, "[Cán bộ viết: nhiệm vụ trọng tâm, chỉ tiêu, giải pháp.]", italic=True, indent=True)

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, [8, 8.5])
    left, right = sign.rows[0].cells
    _cell_para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for line in ("- Trung ương Hội CTĐ Việt Nam;", "- Ban Chỉ đạo Cuộc vận động;", "- Lưu: VT."):
        _cell_para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_para(right, "{{ chuc_vu_ky }}", size=13, bold=True, first=True)
    _cell_para(right, "(Ký, ghi rõ họ tên và đóng dấu)", size=12, italic=True)
    for _ in range(3):
        _cell_para(right, "")
    _cell_para(right, "{{ nguoi_ky }}", size=13, bold=True)

    out = ROOT / "templates" / f"bao-cao-{'nam' if annual else '6-thang'}.docx"
    out.parent.mkdir(exist_ok=True)
    core = doc.core_properties
    core.title = f"Báo cáo {what.lower()} Cuộc vận động {'năm' if annual else '6 tháng'}"
    core.author = "xl_nhandao"
    doc.save(str(out))
    return out


if __name__ == "__main__":
    for kind in ("6-thang", "nam"):
        print("written:", build(kind).relative_to(ROOT))
    sys.exit(0)
