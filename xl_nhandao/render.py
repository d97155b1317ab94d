"""Terminal rendering of results (rich; plain text when not a terminal). Like the command
line, it uses only the public API (:mod:`xl_nhandao`) and the results it returns."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import xl_nhandao as nd

from .i18n import Lang, fmt_int, plural

if TYPE_CHECKING:
    from .validate import Report

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def print_report(report: Report, lang: Lang) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    vi = lang == "vi"
    unit = report.unit
    who = f"{unit.name or '?'} ({unit.code or '?'})" if (unit.name or unit.code) else "?"
    period = report.period
    console.print(("Tệp: " if vi else "File: ") + escape(report.file)
                  + (f" (mẫu {report.template_version})" if vi and report.template_version else "")
                  + (f" (template {report.template_version})" if not vi and report.template_version else ""))
    line = (f"Đơn vị: {who}, cấp {unit.level or '?'}, hệ mã {unit.scheme}" if vi
            else f"Unit: {who}, level {unit.level or '?'}, scheme {unit.scheme}")
    if period:
        line += (" — Kỳ " if vi else " — Period ") + (
            f"{period.label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"
        )
    console.print(escape(line))
    rows = report.rows
    console.print(("Số dòng: " if vi else "Rows: ") + " · ".join(f"{k} {fmt_int(v, lang)}" for k, v in rows.items()))
    for issue in report.issues:
        where = issue.sheet or ("Cả sổ" if vi else "Workbook")
        if issue.cell:
            where += f"!{issue.cell}"
        head = f"[{_STYLE[issue.severity]}]{issue.severity_label(lang)}[/] {escape(where)}"
        if issue.column:
            head += f" — {escape(issue.column)}"
        console.print(head)
        text = issue.message(lang)
        hint = issue.hint(lang)
        console.print("   " + escape(text) + (f" → {escape(hint)}" if hint else ""))
    c = report.counts
    verdict = ("HỢP LỆ" if report.valid else "CÓ LỖI") if vi else ("VALID" if report.valid else "HAS ERRORS")
    style = "bold green" if report.valid else "bold red"
    if vi:
        summary = f"{c['error']} lỗi, {c['warning']} cảnh báo, {c['info']} lưu ý"
    else:
        summary = (f"{c['error']} {plural(c['error'], 'error', 'errors')}, "
                   f"{c['warning']} {plural(c['warning'], 'warning', 'warnings')}, {c['info']} info")
    console.print(f"[{style}]{'Kết quả' if vi else 'Result'}: {verdict}[/] — {summary}")


def print_new_workbook(made, lang: Lang) -> None:
    """What ``new-workbook`` made, and the period it chose when none was given."""
    spec, p = made.unit, made.period
    vi = lang == "vi"
    if spec is not None and spec.unit is not None:
        who = f" cho {spec.title} ({spec.unit.code})" if vi else f" for {spec.title} ({spec.unit.code})"
    else:
        who = " (mẫu trắng)" if vi else " (blank)"
    print(f"Đã tạo sổ mẫu{who}: {made.path}" if vi else f"Created the standard workbook{who}: {made.path}")
    if p is not None:
        dates = f"{p.start:%d/%m/%Y} – {p.end:%d/%m/%Y}"
        if made.period_defaulted:
            print(f"Kỳ báo cáo: {p.label} ({dates}), chọn mặc định; đổi bằng --period." if vi
                  else f"Period: {p.label} ({dates}), chosen by default; change it with --period.")
        else:
            print(f"Kỳ báo cáo: {p.label} ({dates})." if vi else f"Period: {p.label} ({dates}).")


def print_consolidation(result, out, lang: Lang) -> None:
    """A summary a coordinator reads: submissions, missing units, main totals, outputs."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    vi = lang == "vi"
    p = result.period
    who = result.parent_name or "?"
    console.print(f"Tổng hợp {who}, kỳ {p.label} ({p.start:%d/%m/%Y} – {p.end:%d/%m/%Y})" if vi
                   else f"Consolidation of {who}, period {p.label} ({p.start:%d/%m/%Y} – {p.end:%d/%m/%Y})")
    status = Counter(s.status for s in result.submissions)
    late = sum(1 for s in result.submissions if s.late and s.status == "accepted")
    if vi:
        console.print(f"Bản nộp: {status['accepted']} chấp nhận ({late} muộn), {status['superseded']} bị thay thế, "
                      f"{status['rejected']} từ chối; chưa nộp: {len(result.missing)}")
    else:
        console.print(f"Submissions: {status['accepted']} accepted ({late} late), {status['superseded']} superseded, "
                      f"{status['rejected']} rejected; missing: {len(result.missing)}")
    for s in result.submissions:
        if s.status == "rejected" and s.reason:
            console.print(("  Từ chối " if vi else "  Rejected ") + escape(s.file) + ": " + escape(s.reason.text(lang)))
    if result.missing:
        console.print(("  Chưa nộp: " if vi else "  Missing: ") + ", ".join(result.missing))
    rows = result.rows
    console.print((f"Dòng: đọc {fmt_int(rows['read'], lang)}, tính {fmt_int(rows['counted'], lang)}, "
                   f"loại {fmt_int(rows['excluded'], lang)} (xem trang LoaiTru); trùng giữa đơn vị: "
                   f"{len(result.duplicates)} cặp (trang TrungLap)") if vi else
                  (f"Rows: read {fmt_int(rows['read'], lang)}, counted {fmt_int(rows['counted'], lang)}, "
                   f"excluded {fmt_int(rows['excluded'], lang)} (sheet LoaiTru); duplicates across units: "
                   f"{len(result.duplicates)} {plural(len(result.duplicates), 'pair', 'pairs')} (sheet TrungLap)"))

    table = Table(show_header=True, header_style="bold")
    table.add_column("Chỉ số" if vi else "Indicator")
    table.add_column("Tổng" if vi else "Total", justify="right")
    for code in ("dia_chi_co_ho_so", "dia_chi_moi", "dia_chi_duoc_tro_giup", "ty_le_duoc_tro_giup", "luot_tro_giup",
                 "gia_tri_tro_giup", "gia_tri_chuong_trinh_khac", "to_chuc_tham_gia", "ca_nhan_tham_gia",
                 "ty_le_nguoi_dung_dau", "ty_le_chi_tieu_gia_tri"):
        v = result.totals.get(code)
        text = "—" if v is None else fmt_int(v, lang)
        table.add_row(nd.indicator_label(code, lang), text)
    console.print(table)
    console.print(("Đã ghi: " if vi else "Written: ") + escape(str(out)))


def print_demo(demo, lang: Lang) -> None:
    """The demo's story, each book's check, the consolidation, and a table of where each
    output is."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    vi = lang == "vi"
    console.print("[bold]Tỉnh mẫu: các xã của Khánh Hòa, kỳ 2025[/]" if vi
                  else "[bold]Demo province: communes of Khánh Hòa, period 2025[/]")
    for line in demo.story:
        console.print("  • " + escape(line.text(lang)))
    table = Table(title="Bước 1 — kiểm tra từng sổ (xl-nhandao validate)" if vi
                  else "Step 1 — validate each book (xl-nhandao validate)",
                  show_header=True, header_style="bold")
    for col, justify in (("Tệp" if vi else "File", "left"), ("Đơn vị" if vi else "Unit", "left"),
                         ("Địa chỉ" if vi else "Addresses", "right"), ("Lỗi" if vi else "Errors", "right"),
                         ("Cảnh báo" if vi else "Warnings", "right")):
        table.add_column(col, justify=justify)
    for name, report in demo.reports:
        c = report.counts
        table.add_row(escape(name), escape(report.unit.name or "?"), fmt_int(report.rows["DiaChi"], lang),
                      f"[red]{c['error']}[/]" if c["error"] else "0", str(c["warning"]))
    console.print(table)
    n = len(demo.annotated)
    if n:
        console.print((f"Bản đánh dấu lỗi cho {n} sổ: " if vi else
                       f"Annotated copies for {n} {plural(n, 'book', 'books')}: ") + escape(str(demo.checked)))
    console.print("[bold]Bước 2 — tổng hợp (xl-nhandao consolidate)[/]" if vi
                  else "[bold]Step 2 — consolidate (xl-nhandao consolidate)[/]")
    print_consolidation(demo.result, demo.output, lang)
    if demo.overlap is not None:
        console.print("[bold]Bước 3 — trùng lặp với chương trình khác (xl-nhandao overlap)[/]" if vi
                      else "[bold]Step 3 — overlap with other programmes (xl-nhandao overlap)[/]")
        print_overlap(demo.overlap, demo.review, lang)
    if demo.decided is not None:
        console.print("[bold]Bước 4 — tổng hợp lại theo sổ rà soát (xl-nhandao consolidate --decisions)[/]" if vi
                      else "[bold]Step 4 — consolidate again with the review (xl-nhandao consolidate --decisions)[/]")
        before, after = demo.result.totals, demo.decided.totals
        for code in ("luot_tro_giup", "gia_tri_tro_giup", "dia_chi_co_ho_so"):
            b, a = before.get(code) or 0, after.get(code) or 0
            change = "" if a == b else f" ({'−' if a < b else '+'}{fmt_int(abs(a - b), lang)})"
            console.print(f"  {nd.indicator_label(code, lang)}: {fmt_int(b, lang)} → {fmt_int(a, lang)}{change}")
    if demo.filled:
        console.print("[bold]Bước 5 — báo cáo chính thức (xl-nhandao report)[/]" if vi
                      else "[bold]Step 5 — official reports (xl-nhandao report)[/]")
        for name, path in demo.filled:
            console.print(f"  {escape(name)}: {escape(str(path.relative_to(demo.folder)))}")
    # Paths inside the demo folder are short and never wrapped; the folder is printed
    # whole on its own line, so it can be copied.
    console.print(("Thư mục demo: " if vi else "Demo folder: ") + escape(str(demo.folder)))
    outputs = Table(title="Kết quả của demo" if vi else "What the demo wrote", show_header=True,
                    header_style="bold", title_justify="left")
    outputs.add_column("Kết quả" if vi else "Output")
    outputs.add_column("Trong thư mục demo" if vi else "In the demo folder", no_wrap=True)
    outputs.add_column("Nội dung" if vi else "What is in it")
    books = len(demo.reports)
    for label_vi, label_en, path, what_vi, what_en in (
        ("Sổ các đơn vị đã nộp", "Submitted books", demo.submissions,
         f"{books} sổ các xã gửi lên, có lỗi thường gặp",
         f"{books} {plural(books, 'book', 'books')} the communes sent, with the usual mistakes"),
        ("Bản đánh dấu lỗi", "Annotated copies", demo.checked,
         f"{n} sổ có lỗi, ô lỗi tô màu, trang Loi", f"{n} {plural(n, 'book', 'books')} with errors marked, sheet Loi"),
        ("Danh sách đơn vị phải nộp", "Units expected", demo.expect_file,
         "dùng cho --expect", "used by --expect"),
        ("Sổ tổng hợp của tỉnh", "Province consolidation", demo.output,
         "TongHop, ChiTieu, NopBaoCao, TrungLap, LoaiTru, BieuDo…", "TongHop, ChiTieu, NopBaoCao, TrungLap, LoaiTru, BieuDo…"),
        *((("Danh sách chương trình khác", "Other programmes' lists", demo.lists[0].parent,
            "hộ nghèo (phông .VnTime), Tết Nhân ái", "poverty list (.VnTime font), Tết Nhân ái"),) if demo.lists else ()),
        *((("Sổ rà soát trùng lặp", "Overlap review", demo.review,
            "cặp trùng, trợ giúp tính hai lần, cột Quyết định", "pairs, support counted twice, Quyết định column"),)
          if demo.review else ()),
        *((("Tổng hợp sau rà soát", "Consolidation after review", demo.decided_output,
            "trợ giúp tính hai lần đã loại (LoaiTru)", "support counted twice left out (LoaiTru)"),)
          if demo.decided_output else ()),
        *((("Báo cáo năm đã điền", "Annual reports filled", demo.filled[0][1].parent,
            "bảng số liệu, danh sách địa chỉ đề xuất, sổ nộp báo cáo, dự thảo báo cáo Word",
            "data table, proposed addresses, submission ledger, Word draft"),) if demo.filled else ()),
    ):
        inside = path.relative_to(demo.folder).as_posix() + ("/" if path.is_dir() else "")
        outputs.add_row(label_vi if vi else label_en, escape(inside), what_vi if vi else what_en)
    console.print(outputs)
    cmd = (f"xl-nhandao consolidate {demo.submissions} --expect {demo.expect_file} --period 2025 "
           f"-o {demo.output}")
    console.print(("Lệnh tương đương: " if vi else "Same by hand: ") + escape(cmd))
    if demo.review is not None and len(demo.lists) == 2:
        console.print("  " + escape(f"xl-nhandao overlap {demo.output} --against {demo.lists[0]} --programme "
                                    f"\"Giảm nghèo bền vững\" --against {demo.lists[1]} --programme \"Tết Nhân ái\" "
                                    f"-o {demo.review}"))
        console.print("  " + escape(f"{cmd.replace(str(demo.output), str(demo.decided_output))} "
                                    f"--decisions {demo.review}"))


def print_overlap(result, out, lang: Lang) -> None:
    """What the overlap search found: per programme, pairs by level and events counted
    twice; the notices; where the review is. Personal data is never printed."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    vi = lang == "vi"
    table = Table(show_header=True, header_style="bold", title_justify="left",
                  title="Trùng lặp theo chương trình" if vi else "Overlap by programme")
    for col, justify in (("Chương trình" if vi else "Programme", "left"), ("Tệp" if vi else "File", "left"),
                         ("Dòng so" if vi else "Rows compared", "right"),
                         ("Trùng chắc chắn" if vi else "Match", "right"),
                         ("Có thể trùng" if vi else "Possible", "right"),
                         ("Trợ giúp tính hai lần" if vi else "Support counted twice", "right")):
        table.add_column(col, justify=justify, overflow="fold")  # a file name is shown whole
    for p in result.programmes():
        table.add_row(escape(str(p["programme"])), escape(str(p["file"])), fmt_int(p["compared"], lang),
                      fmt_int(p["match"], lang), fmt_int(p["possible"], lang), fmt_int(p["events_counted_twice"], lang))
    console.print(table)
    for n in result.notices:
        console.print("[yellow]" + ("Lưu ý: " if vi else "Note: ") + "[/]" + escape(n.text(lang)))
    pairs = result.pairs
    open_pairs = sum(1 for p in pairs if p.decision is None)
    open_events = sum(1 for e in result.twice if e.decision is None)
    if vi:
        console.print(f"Cần xem: {fmt_int(open_pairs, lang)} cặp và {fmt_int(open_events, lang)} lượt trợ giúp chưa "
                      "có quyết định.")
    else:
        console.print(f"To review: {fmt_int(open_pairs, lang)} {plural(open_pairs, 'pair', 'pairs')} and "
                      f"{fmt_int(open_events, lang)} support {plural(open_events, 'event', 'events')} without a "
                      "decision.")
    if out is not None:
        console.print(("Đã ghi sổ rà soát: " if vi else "Review written: ") + escape(str(out)))
        console.print(("Ghi Trùng/Không trùng ở cột Quyết định, rồi: xl-nhandao consolidate … --decisions "
                       if vi else "Fill in Trùng/Không trùng in the Quyết định column, then: xl-nhandao "
                       "consolidate … --decisions ") + escape(str(out)))


def print_hash_list(summary: dict, lang: Lang) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    vi = lang == "vi"
    rows, excluded = int(summary.get("rows", 0)), int(summary.get("excluded", 0))
    cols = ", ".join(str(c) for c in summary.get("columns", []))
    if vi:
        console.print(f"Đã băm {fmt_int(rows, lang)} dòng ({fmt_int(excluded, lang)} dòng không có họ tên và số "
                      f"định danh bị bỏ qua). Các cột: {escape(cols)}")
        console.print("Đã ghi: " + escape(str(summary.get("output"))) + " — gửi tệp này, không gửi tệp khóa.")
    else:
        console.print(f"Hashed {fmt_int(rows, lang)} {plural(rows, 'row', 'rows')} ({fmt_int(excluded, lang)} "
                      f"without a name or an ID skipped). Columns: {escape(cols)}")
        console.print("Written: " + escape(str(summary.get("output"))) + " — send this file, never the secret.")


def print_report_made(result, lang: Lang) -> None:
    """What the report command wrote: the file, the PDF, the lists filled, notices."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    vi = lang == "vi"
    console.print(("Đã điền mẫu " if vi else "Filled template ") + escape(result.template.stem) + ": "
                  + escape(str(result.output)))
    names = {"dv": ("đơn vị", "units"), "dc": ("địa chỉ", "addresses"), "nb": ("bản nộp", "submissions")}
    for key, n in result.rows.items():
        label = names.get(key, (key, key))
        console.print(f"  {fmt_int(n, lang)} {label[0] if vi else label[1]}")
    if result.pdf is not None:
        console.print("PDF: " + escape(str(result.pdf)))
    for vi_text, en_text in result.notices:
        console.print("[yellow]" + ("Lưu ý: " if vi else "Note: ") + "[/]" + escape(vi_text if vi else en_text))


def print_templates(items: list, lang: Lang) -> None:
    """The shipped templates: name, title, file."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    vi = lang == "vi"
    table = Table(show_header=True, header_style="bold")
    table.add_column("Tên mẫu" if vi else "Name", no_wrap=True)
    table.add_column("Nội dung" if vi else "Title")
    table.add_column("Số trường" if vi else "Fields", justify="right")
    for t in items:
        table.add_row(escape(str(t["name"])), escape(str(t["title"])), str(len(t["fields"])))
    console.print(table)
    if items:
        from pathlib import Path

        console.print(("Thư mục mẫu (chép một tệp, sửa trong Excel/Word rồi dùng --template TỆP): " if vi else
                       "Templates folder (copy a file, redesign it in Excel/Word, then use --template FILE): ")
                      + escape(str(Path(str(items[0]["file"])).parent)))
    console.print("Danh sách trường và mô tả: xl-nhandao templates --json" if vi
                  else "Every field with its description: xl-nhandao templates --json")
