"""Terminal rendering of reports (rich; plain text when not a terminal)."""

from __future__ import annotations

from .i18n import Lang, fmt_int
from .validate import Report

_SEVERITY = {
    "vi": {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"},
    "en": {"error": "Error", "warning": "Warning", "info": "Info"},
}
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
    names = _SEVERITY[lang]
    for issue in report.issues:
        where = issue.sheet or ("Cả sổ" if vi else "Workbook")
        if issue.cell:
            where += f"!{issue.cell}"
        head = f"[{_STYLE[issue.severity]}]{names[issue.severity]}[/] {escape(where)}"
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
        summary = f"{c['error']} errors, {c['warning']} warnings, {c['info']} info"
    console.print(f"[{style}]{'Kết quả' if vi else 'Result'}: {verdict}[/] — {summary}")
