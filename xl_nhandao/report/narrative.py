"""The narrative draft (issue 8 §6): a Word template (``bao-cao-6-thang.docx``,
``bao-cao-nam.docx``) filled with the figures and the sentences a clerk would otherwise
type, for the clerk to finish.

The sentences are fields too (``cau.*``, :func:`sentences`), so an Excel template may use
them as well. The Word filler speaks the same language as the Excel one
(``{{ field | filter }}``): placeholders in paragraphs, table cells, headers and footers;
a table row holding ``{{ dv.* }}`` (or ``dc.*``, ``nb.*``) repeats once per item. A
placeholder split across runs by Word's editing ("{{ gia_" + "tri }}") is found in the
paragraph's whole text, and the runs around it keep their formatting.

python-docx reads and writes the document: a well-kept library that keeps everything it
does not touch (styles, sections, headers, images); docxtpl (Jinja2 in Word) was not
chosen, because the template language here is the small one a coordinator learns for
Excel, not Jinja2's, and an unknown name must be an error naming it, not an empty string.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import RunError
from ..i18n import Phrase, fmt_int
from .fill import Failures, Listing, Slot, TemplateData, check_slot, parse, problem, render

#: The sentence fields, with their Vietnamese and English descriptions.
SENTENCES: dict[str, tuple[str, str]] = {
    "cau.dia_chi": ("Câu về số địa chỉ nhân đạo (có hồ sơ, mới, được trợ giúp, tỷ lệ so với chỉ tiêu 70%)",
                    "Sentence on humanitarian addresses (with dossier, new, supported, rate against the 70% target)"),
    "cau.gia_tri": ("Câu về tổng giá trị trợ giúp, bằng số và bằng chữ, so với chỉ tiêu năm",
                    "Sentence on the value of support, in figures and words, against the annual target"),
    "cau.hinh_thuc": ("Câu về giá trị theo hình thức trợ giúp", "Sentence on the value by form of support"),
    "cau.tham_gia": ("Câu về tổ chức, cá nhân tham gia và tỷ lệ người đứng đầu đăng ký (chỉ tiêu 30%)",
                     "Sentence on organisations and individuals taking part, and heads registered (30% target)"),
    "cau.inhandao": ("Câu về địa chỉ cập nhật lên iNHANDAO", "Sentence on addresses uploaded to iNHANDAO"),
    "cau.doi_tuong": ("Câu về địa chỉ theo đối tượng", "Sentence on addresses by category"),
    "cau.nop_bao_cao": ("Câu về việc các đơn vị nộp báo cáo (đã nộp, muộn, chưa nộp)",
                        "Sentence on the units' submissions (received, late, missing)"),
}


def _lower(label: str) -> str:
    """A label inside a sentence: its first letter small, unless the word is an
    abbreviation ("Thẻ BHYT" → "thẻ BHYT", "BHYT" stays)."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _n(v: object) -> str:
    return "—" if v is None else fmt_int(v)  # type: ignore[arg-type]


def sentences(s: dict[str, object], lists: dict[str, list[dict[str, object]]],
              words: Callable[[int], str]) -> dict[str, str]:
    """The sentences of the report for the figures ``s`` (the scalar fields)."""
    from ..workbook import codes

    who = "Toàn tỉnh" if s.get("don_vi.cap") == "Tỉnh" else "Toàn đơn vị"
    rate = s.get("ty_le_duoc_tro_giup")
    out = {}
    text = (f"{who} hiện có {_n(s.get('dia_chi_co_ho_so'))} địa chỉ nhân đạo có hồ sơ, trong đó "
            f"{_n(s.get('dia_chi_moi'))} địa chỉ mới trong kỳ; {_n(s.get('dia_chi_duoc_tro_giup'))} địa chỉ "
            f"được trợ giúp trong kỳ")
    if rate is not None:
        ok = "vượt" if rate > 70 else "chưa đạt"  # type: ignore[operator]
        text += f", đạt {_n(rate)}% số địa chỉ có hồ sơ ({ok} chỉ tiêu trên 70%)"
    target_new = s.get("chi_tieu.dia_chi_moi")
    if target_new:
        text += f"; chỉ tiêu địa chỉ mới là {_n(target_new)}"
    out["cau.dia_chi"] = text + "."
    value = s.get("gia_tri_tro_giup") or 0
    text = (f"Tổng giá trị trợ giúp đạt {_n(value)} đồng ({words(int(value))}) qua "  # type: ignore[call-overload]
            f"{_n(s.get('luot_tro_giup'))} lượt trợ giúp")
    attainment = s.get("ty_le_chi_tieu_gia_tri")
    if attainment is not None:
        text += f", đạt {_n(attainment)}% chỉ tiêu năm ({_n(s.get('chi_tieu.gia_tri'))} đồng)"
    other = s.get("gia_tri_chuong_trinh_khac")
    if other:
        text += (f"; ngoài ra các chương trình khác trợ giúp {_n(other)} đồng (không cộng vào kết quả Cuộc vận "
                 "động để không tính trùng)")
    out["cau.gia_tri"] = text + "."
    shown = [f"{_lower(e.label)} {_n(s.get(f'gia_tri_{e.code}'))} đồng" for e in codes.SUPPORT_FORMS.entries
             if s.get(f"gia_tri_{e.code}")]
    out["cau.hinh_thuc"] = ("Theo hình thức: " + "; ".join(shown) + ".") if shown else ""
    heads = s.get("ty_le_nguoi_dung_dau")
    text = (f"Có {_n(s.get('to_chuc_tham_gia'))} tổ chức và {_n(s.get('ca_nhan_tham_gia'))} cá nhân đăng ký gắn "
            f"với địa chỉ nhân đạo; {_n(s.get('nguoi_dung_dau_dang_ky'))} người đứng đầu cơ quan, tổ chức đăng ký")
    if heads is not None:
        ok = "đạt" if heads >= 30 else "chưa đạt"  # type: ignore[operator]
        text += f", bằng {_n(heads)}% ({ok} chỉ tiêu từ 30% trở lên)"
    out["cau.tham_gia"] = text + "."
    out["cau.inhandao"] = (f"Đã cập nhật {_n(s.get('dia_chi_inhandao'))} địa chỉ lên hệ thống iNHANDAO; "
                           f"{_n(s.get('dia_chi_qua_inhandao'))} địa chỉ được trợ giúp qua iNHANDAO trong kỳ.")
    cats = []
    for e in codes.CATEGORIES.entries:
        v = s.get(f"doi_tuong_{e.code}")
        if v:
            cats.append((v, e.label))
    cats.sort(key=lambda x: -x[0])  # type: ignore[operator, return-value]
    out["cau.doi_tuong"] = ("Theo đối tượng: " + "; ".join(f"{_lower(label)} {_n(v)}" for v, label in cats) + ".") \
        if cats else ""
    ledger = lists.get("nb", [])
    missing = [str(r.get("ten") or r.get("ma")) for r in ledger if r.get("trang_thai") == "Chưa nộp"]
    text = (f"Có {_n(s.get('so_don_vi_da_nop'))}/{_n(s.get('so_don_vi'))} đơn vị đã gửi báo cáo"
            f" ({_n(s.get('so_don_vi_nop_muon'))} đơn vị nộp muộn)")
    if missing:
        text += "; chưa nộp: " + ", ".join(missing)
    out["cau.nop_bao_cao"] = text + "."
    return out


# -- filling a Word document ------------------------------------------------------------
def fill_docx(template: Path, output_tmp: Path, data: TemplateData) -> list[str]:
    """Fill the Word document ``template`` into ``output_tmp`` with the Excel filler's
    language and values (:mod:`.fill`: the same parsing, checks, filters and number
    writing). Every unknown or broken placeholder is one :class:`RunError` naming each
    and where it is; nothing is written then. Returns the field names used."""
    import docx

    try:
        doc = docx.Document(str(template))
    except Exception:  # not a Word document, damaged
        raise RunError("template-unreadable-docx", path=template.name,
                       detail=Phrase("không phải tài liệu Word .docx, hoặc tệp đã hỏng",
                                     "not a Word .docx document, or the file is damaged")) from None
    problems: list[Phrase] = []
    used: dict[str, None] = {}
    for where, paragraph, in_row in _paragraphs(doc):
        for slot in (p for p in parse(paragraph.text, where, problems) if isinstance(p, Slot)):
            check_slot(slot, where, data, problems)
            used[slot.field] = None
            if data.list_of(slot.field) is not None and not in_row:
                problems.append(problem("list-outside-row", where=where, text=slot.text, name=slot.field))
    if problems:
        raise RunError("template-unknown-docx", path=template.name, count=len(problems),
                       problems=Listing("", "", items=tuple(problems)))
    failures = Failures()
    for table in _tables(doc):
        _repeat_rows(table, data, failures)
    for where, paragraph, _ in _paragraphs(doc):
        _replace(paragraph, where, data, None, failures)
    if failures.items:
        raise RunError("template-filter-failed", path=template.name, count=len(failures.items),
                       problems=Listing("", "", items=tuple(failures.items)))
    doc.save(str(output_tmp))
    return list(used)


def fields_of_docx(template: Path) -> list[str]:
    """The field names a Word template uses, in the order they first appear."""
    import docx

    found: dict[str, None] = {}
    for where, paragraph, _ in _paragraphs(docx.Document(str(template))):
        found.update((p.field, None) for p in parse(paragraph.text, where, []) if isinstance(p, Slot))
    return list(found)


def _tables(doc) -> Iterator[object]:  # type: ignore[no-untyped-def]
    def walk(tables):  # type: ignore[no-untyped-def]
        for t in tables:
            yield t
            for row in t.rows:
                for cell in row.cells:
                    yield from walk(cell.tables)

    yield from walk(doc.tables)
    for section in doc.sections:
        for part in (section.header, section.footer):
            yield from walk(part.tables)


def _paragraphs(doc) -> Iterator[tuple[str, object, bool]]:  # type: ignore[no-untyped-def]
    """Every paragraph with where it is, and whether it is in a table row (where a list
    placeholder repeats the row)."""
    for i, p in enumerate(doc.paragraphs, start=1):
        yield f"đoạn {i}", p, False
    for t, table in enumerate(_tables(doc), start=1):
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row.cells, start=1):
                for p in cell.paragraphs:
                    yield f"bảng {t}, dòng {r}, cột {c}", p, True
    for s, section in enumerate(doc.sections, start=1):
        for name, part in (("đầu trang", section.header), ("chân trang", section.footer)):
            for p in part.paragraphs:
                yield f"{name} {s}", p, False


def _repeat_rows(table, data: TemplateData, failures: Failures) -> None:  # type: ignore[no-untyped-def]
    """Each row of ``table`` holding a list placeholder becomes one row per item, each
    copy's list placeholders filled with its item (scalars are filled later)."""
    from docx.table import _Row

    for r, row in enumerate(list(table.rows), start=1):
        slots = [p for cell in row.cells for para in cell.paragraphs for p in parse(para.text, "", [])
                 if isinstance(p, Slot)]
        prefix = next((data.list_of(s.field) for s in slots if data.list_of(s.field)), None)
        if prefix is None:
            continue
        tr = anchor = row._tr
        for item in data.lists.get(prefix) or []:
            new = copy.deepcopy(tr)
            anchor.addnext(new)
            anchor = new
            for c, cell in enumerate(_Row(new, table).cells, start=1):
                for para in cell.paragraphs:
                    _replace(para, f"dòng {r}, cột {c}", data, item, failures)
        tr.getparent().remove(tr)


def _replace(paragraph, where: str, data: TemplateData, item: dict[str, object] | None,  # type: ignore[no-untyped-def]
             failures: Failures) -> None:
    """Fill the placeholders of ``paragraph`` (list ones only with an ``item``), keeping
    the runs' formatting: the text goes into the run where the placeholder starts, and
    the placeholder's characters leave the runs it spans (Word splits a placeholder
    across runs when it is edited: "{{ gia_" + "tri }}")."""
    runs = paragraph.runs
    if not runs:
        return
    texts = [r.text for r in runs]
    parts = parse("".join(texts), where, [])
    if not any(isinstance(p, Slot) for p in parts):
        return
    starts = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t)
    spans, pos = [], 0
    for p in parts:
        size = len(p if isinstance(p, str) else p.text)
        if isinstance(p, Slot):
            spans.append((pos, pos + size, p))
        pos += size
    for a, b, slot in reversed(spans):  # last first: the runs' positions before ``a`` hold
        if (data.list_of(slot.field) is not None) != (item is not None):
            continue  # a list placeholder waits for its row's item; scalars are filled once
        new = render([slot], data, item, where, failures)
        first = next(i for i in range(len(runs)) if starts[i] <= a < starts[i] + len(texts[i]))
        for i in range(len(runs) - 1, -1, -1):
            s, e = starts[i], starts[i] + len(texts[i])
            if e <= a or s >= b:
                continue
            lo, hi = max(a, s) - s, min(b, e) - s
            texts[i] = texts[i][:lo] + (new if i == first else "") + texts[i][hi:]
    for r, t in zip(runs, texts):
        if r.text != t:
            r.text = t
