"""Reference pages generated from the declarations: ``docs/standard.md`` from
:mod:`standard`, :mod:`codes` and :mod:`indicators`; ``docs/issues.md`` from the issue
catalogue. ``scripts/regenerate.py`` writes them; a test fails when they are stale."""

from __future__ import annotations

import re

from .issues import CATALOGUE, SEVERITY_LABELS
from .workbook import codes, indicators, standard
from .workbook.standard import Field

_KIND = {
    standard.TEXT: "chữ",
    standard.YEAR: "năm (4 số; ngày sinh đầy đủ cũng được)",
    standard.CODE: "mã trong danh mục",
    standard.CODES: "nhiều mã, cách nhau bằng `;`",
    standard.CCCD: "CCCD 12 số",
    standard.COMMUNE: "mã xã 5 số",
    standard.DATE: "ngày (ngày trước tháng sau)",
    standard.INT: "số nguyên",
    standard.MONEY: "số tiền (đồng)",
    standard.YESNO: "Có/Không",
    standard.IGNORED: "bỏ qua",
    standard.PERIOD: "kỳ báo cáo",
    standard.NUMBER: "số",
    standard.ADMIN_CODE: "mã đơn vị hành chính",
}


def _field_row(f: Field) -> str:
    kind = _KIND[f.kind]
    if f.codes is not None and f.kind in (standard.CODE, standard.CODES):
        kind += f" ({f.codes.title})"
    if f.minimum:
        kind += f", ≥ {f.minimum}"
    aliases = ", ".join(f"`{a}`" for a in f.aliases)
    return f"| {f.header} | `{f.key}` | {kind} | {'có' if f.required else ''} | {aliases} | {f.input_message} |"


def standard_md() -> str:
    out = [
        f"# Mẫu chuẩn {standard.VERSION}",
        "",
        "<!-- Sinh tự động từ xl_nhandao/workbook/standard.py — đừng sửa tay; chạy python scripts/regenerate.py -->",
        "",
        "Một sổ `.xlsx` cho mỗi đơn vị và kỳ báo cáo. Tên trang và tiêu đề cột dưới đây là chuẩn; bộ đọc",
        "chấp nhận cả biến thể (hoa/thường, không dấu, xuống dòng, tên khác trong cột *Tên khác*),",
        "cột đổi chỗ hoặc thêm cột, khối tiêu đề phía trên, dòng trống, dòng “Tổng cộng” cuối bảng.",
        "",
    ]
    spec = standard.THONG_TIN
    out += [f"## Trang `{spec.name}` — {spec.title.lower()}", "",
            "Nhãn ở cột A, giá trị ở ô ngay bên phải (cột B).", "",
            "| Nhãn | Khóa | Kiểu | Bắt buộc | Tên khác | Hướng dẫn |", "|---|---|---|---|---|---|"]
    out += [_field_row(f) for f in spec.fields]
    for t in (*standard.TABLES, standard.SO_LIEU):
        aliases = ", ".join(f"`{a}`" for a in t.aliases)
        out += ["", f"## Trang `{t.name}` — {t.title.lower()}", "", f"Tên trang khác được chấp nhận: {aliases}.",
                "", "| Cột | Khóa | Kiểu | Bắt buộc | Tên khác | Hướng dẫn |", "|---|---|---|---|---|---|"]
        out += [_field_row(f) for f in t.clerk_fields]
        prov = [f for f in t.fields if f.provenance]
        if prov:
            out += ["", "Sổ tổng hợp (đầu ra của `consolidate`) có thêm các cột nguồn gốc: "
                    + ", ".join(f"`{f.header}`" for f in prov)
                    + ". Khi có cột `Đơn vị nguồn`, mã địa chỉ được so theo từng đơn vị nguồn."]
    out += ["", "## Danh mục mã", "",
            "Mã và nhãn được so khớp không phân biệt hoa/thường và dấu; cũng nhận dạng `MÃ - Nhãn`.", ""]
    for cl in codes.ALL.values():
        if cl.key == "dan_toc":
            continue
        out += [f"### {cl.title} (`{cl.key}`)", "", "| Mã | Nhãn | Tên khác |", "|---|---|---|"]
        for e in cl.entries:
            out.append(f"| `{e.code}` | {e.label} | {', '.join(e.aliases)} |")
        out.append("")
    out += ["### Dân tộc (`dan_toc`)", "", "54 dân tộc theo danh mục của Tổng cục Thống kê; nhận tên, mã số "
            "(`01` = Kinh …) và tên khác.", "", "| Mã | Dân tộc | Tên khác |", "|---|---|---|"]
    for e in codes.ETHNIC_GROUPS.entries:
        out.append(f"| `{e.code}` | {e.label} | {', '.join(e.aliases)} |")
    out += ["", "### Có/Không", "", "Có: " + ", ".join(f"`{v}`" for v in sorted(codes.YES)) + ".  ",
            "Không: " + ", ".join(f"`{v}`" for v in sorted(codes.NO) if v) + ", ô trống.", ""]
    out += ["## Chỉ số (`SoLieu`, SPEC §4)", "", "| Mã chỉ số | Chỉ số | Loại | Mục tiêu |", "|---|---|---|---|"]
    for ind in indicators.INDICATORS:
        out.append(f"| `{ind.code}` | {ind.label} | {ind.kind} | {ind.target} |")
    return "\n".join(out) + "\n"




_PLURAL = re.compile(r"\{(\w+):([^{}|]*)\|([^{}]*)\}")


def _doc(template: str) -> str:
    """A message template as the reference page shows it: a plural choice
    ``{count:cell|cells}`` as ``cell(s)`` or ``cell/cells``."""
    def word(m: re.Match[str]) -> str:
        one, many = m.group(2), m.group(3)
        return f"{one}(s)" if many == one + "s" else f"{one}/{many}"

    return _PLURAL.sub(word, template)


def issues_md() -> str:
    out = [
        "# Danh mục mã lỗi, cảnh báo, thông tin",
        "",
        "<!-- Sinh tự động từ xl_nhandao/issues.py — đừng sửa tay; chạy python scripts/regenerate.py -->",
        "",
        "Mỗi vấn đề `validate` tìm ra có một mã ổn định dưới đây, kèm trang, số dòng Excel hiển thị, tiêu đề",
        "cột, ô (A1) và giá trị. *Lỗi* làm dòng bị loại khỏi số liệu; *cảnh báo* chỉ nhắc kiểm tra;",
        "*lưu ý* để biết. `{…}` là phần được điền theo từng trường hợp.",
        "",
    ]
    group = None
    for t in CATALOGUE.values():
        if t.group != group:
            group = t.group
            out += [f"## {group}", "", "| Mã | Mức | Thông báo | Cách sửa | English |", "|---|---|---|---|---|"]
        out.append(f"| `{t.code}` | {SEVERITY_LABELS['vi'][t.severity].lower()} | {_doc(t.message_vi)} | {_doc(t.hint_vi)} "
                   f"| {_doc(t.message_en)} |")
        nxt = list(CATALOGUE.values())
        if nxt.index(t) + 1 < len(nxt) and nxt[nxt.index(t) + 1].group != group:
            out.append("")
    return "\n".join(out) + "\n"


def _schema(name: str):
    def render() -> str:
        import json

        from .schema import SCHEMAS

        return json.dumps(SCHEMAS[name].model_json_schema(), ensure_ascii=False, indent=2) + "\n"

    return render


PAGES = {
    "docs/standard.md": standard_md,
    "docs/issues.md": issues_md,
    "docs/schema/validate.json": _schema("validate"),
    "docs/schema/consolidate.json": _schema("consolidate"),
    "docs/schema/new-workbook.json": _schema("new-workbook"),
    "docs/schema/demo.json": _schema("demo"),
    "docs/schema/overlap.json": _schema("overlap"),
    "docs/schema/hash-list.json": _schema("hash-list"),
    "docs/schema/report.json": _schema("report"),
    "docs/schema/templates.json": _schema("templates"),
    "docs/schema/words.json": _schema("words"),
    "docs/schema/addin-build.json": _schema("addin build"),
    "docs/schema/addin-install.json": _schema("addin install"),
    "docs/schema/addin-uninstall.json": _schema("addin uninstall"),
}
