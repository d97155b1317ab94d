"""The ribbon's buttons (SPEC §6), one function each, called by :mod:`.dispatch` with the
:class:`Click`: the active workbook, Excel's screen, the dialogs.

Each handler makes the library calls of the public API (``import xl_nhandao as nd``) — the
same as the command line's — through the live workbook where it reads the active
workbook, and tells the clerk the outcome in one message box. A failure is raised (a
:class:`~xl_nhandao.errors.RunError` with its one-line message); :mod:`.dispatch` shows it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import xl_nhandao as nd

from ..errors import RunError
from ..i18n import fmt_int
from .ui import Ask, Screen


@dataclass
class Click:
    """One click of a button: where it happened and how to talk to the clerk."""

    app: object
    book: object | None
    ask: Ask
    screen: Screen
    button: str
    today: date | None = None
    #: What the log may say about the run besides its outcome (no personal data).
    notes: list[str] = field(default_factory=list)

    # -- the clerk ------------------------------------------------------------------------
    def status(self, text: str, force: bool = True) -> None:
        self.screen.status(text, force)

    def tell(self, text: str) -> None:
        self.screen.tell(text)

    def confirm(self, text: str) -> bool:
        return self.screen.confirm(text)

    def progress(self, what: str):  # -> Callable[[int, int, str], None]
        def update(done: int, total: int, _name: str = "") -> None:
            self.status(f"{self.button}: {what} {fmt_int(done)}/{fmt_int(total)}…", force=done >= total)

        return update

    # -- the workbook ---------------------------------------------------------------------
    def need_book(self) -> object:
        if self.book is None:
            raise RunError("addin-no-workbook", button=self.button)
        return self.book

    def book_file(self, required: bool = True) -> Path | None:
        """The active workbook's file, saved: with unsaved edits, the clerk is asked
        whether to save first (if not, the file as last saved is used)."""
        book = self.book
        if book is None:
            if required:
                raise RunError("addin-no-workbook", button=self.button)
            return None
        path = Path(str(getattr(book, "fullname", "") or ""))
        if not path.is_absolute() or not path.is_file():
            if required:
                raise RunError("addin-not-saved", book=str(book.name), button=self.button)  # type: ignore[attr-defined]
            return None
        if _unsaved(book) and self.confirm(
                f"Sổ “{book.name}” có thay đổi chưa lưu. Lưu lại trước khi {self.button.lower()}? "  # type: ignore[attr-defined]
                "(Chọn Không: dùng bản đã lưu trên đĩa.)"):
            book.save()  # type: ignore[attr-defined]
        return path

    def open(self, path: Path) -> None:
        """Show an output: a workbook in this Excel, a Word document with Word."""
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            self.app.books.open(str(path))  # type: ignore[attr-defined]
        else:
            self.ask.open_document(path)

    @contextlib.contextmanager
    def writing(self, keep_sheet: bool = True) -> Iterator[None]:
        """Many writes to the active workbook: the screen is not redrawn meanwhile, and
        (``keep_sheet``) the sheet the clerk was on is shown again at the end."""
        book = self.book
        active = _active_sheet(book) if keep_sheet else None
        app = self.app
        with contextlib.suppress(Exception):
            app.screen_updating = False  # type: ignore[attr-defined]
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                app.screen_updating = True  # type: ignore[attr-defined]
        if active is not None and _active_sheet(book) is not active:
            with contextlib.suppress(Exception):
                active.activate()  # type: ignore[attr-defined]


def _unsaved(book: object) -> bool:
    """Whether Excel says the workbook has unsaved changes (``Workbook.Saved``; unknown:
    no)."""
    try:
        return book.api.Saved is False  # type: ignore[attr-defined]
    except Exception:
        return False


def _active_sheet(book: object | None) -> object | None:
    if book is None:
        return None
    try:
        return book.sheets.active  # type: ignore[attr-defined]
    except Exception:
        return None


def free_name(path: Path) -> Path:
    """``path``, or ``name (2).xlsx``, ``name (3).xlsx`` … the first that does not exist:
    an output never replaces a file."""
    if not path.exists():
        return path
    for n in range(2, 1000):
        other = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not other.exists():
            return other
    raise RunError("output-exists", path=str(path))


def _rows(rows: Sequence[int], limit: int = 8) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (", …" if len(rows) > limit else "")


# -- the buttons -------------------------------------------------------------------------------
def validate(click: Click) -> None:
    """Kiểm tra dữ liệu: check the active workbook as Excel shows it, colour and comment
    the offending cells, list every issue in the Loi sheet, select the first problem."""
    from . import marks
    from .book import LiveWorkbook

    book = click.need_book()
    click.status(f"{click.button}: đang đọc sổ…")
    with click.writing(keep_sheet=False):  # the first problem is shown
        marks.clear(book)  # the marks of an earlier check, off first
        source = LiveWorkbook(book, progress=lambda name: click.status(
            f"{click.button}: đang đọc trang “{name}”…", force=False))
        report = nd.validate(source, today=click.today)
        click.notes += [f"incomplete={kind}" for _, kind in source.incomplete]
        marked = None
        if report.issues:
            click.status(f"{click.button}: đang đánh dấu các ô…")
            marked = marks.mark(book, source, report.issues, progress=lambda n, total: click.status(
                f"{click.button}: đang ghi chú {fmt_int(n)}/{fmt_int(total)} ô…", force=n >= total))
    counts = report.counts
    rows = report.rows
    read = (f"{fmt_int(rows.get('DiaChi', 0))} địa chỉ, {fmt_int(rows.get('DangKy', 0))} đăng ký, "
            f"{fmt_int(rows.get('TroGiup', 0))} lượt trợ giúp")
    if marked is None:
        click.tell(f"Sổ “{report.file}” không có lỗi nào ({read}).")
        return
    parts = [f"{fmt_int(counts['error'])} lỗi", f"{fmt_int(counts['warning'])} cảnh báo"]
    if counts.get("info"):
        parts.append(f"{fmt_int(counts['info'])} lưu ý")
    text = f"Sổ “{report.file}” có {', '.join(parts)} ({read})."
    if marked.cells:
        text += (f" {fmt_int(marked.cells)} ô được tô đỏ (lỗi) hoặc vàng (cảnh báo) kèm ghi chú;"
                 f" trang “{marked.loi}” liệt kê từng vấn đề, bấm vào ô để đến chỗ cần sửa.")
    else:
        text += f" Trang “{marked.loi}” liệt kê từng vấn đề."
    if marked.first:
        text += f" Ô cần sửa đầu tiên ({marked.first[1]}, trang {marked.first[0]}) đang được chọn."
    if marked.notes_skipped:
        text += f" {fmt_int(marked.notes_skipped)} ô có ghi chú kiểu hội thoại nên không thêm được ghi chú (vẫn được tô màu)."
    click.tell(text)


def clear_marks(click: Click) -> None:
    """Xóa đánh dấu: give every marked cell its own fill and note back, remove the Loi sheet."""
    from . import marks

    book = click.need_book()
    click.status(f"{click.button}…")
    with click.writing():
        done = marks.clear(book)
    if not done.restored and not done.kept and not done.sheets_removed:
        click.tell("Sổ không có đánh dấu nào của “Kiểm tra dữ liệu” để xóa.")
        return
    text = (f"Đã xóa đánh dấu ở {fmt_int(done.restored)} ô (trả lại màu nền và ghi chú ban đầu)"
            + (" và xóa trang “Loi”." if any(n.startswith("Loi") for n in done.sheets_removed) else "."))
    if done.kept:
        text += f" {fmt_int(done.kept)} ô đã được sửa màu hoặc ghi chú sau khi đánh dấu nên được giữ nguyên."
    click.tell(text)


def assign_codes(click: Click) -> None:
    """Cấp mã địa chỉ: the next <Mã xã>-NNNN codes for the rows of DiaChi without one."""
    from . import codes
    from .book import LiveWorkbook

    book = click.need_book()
    click.status(f"{click.button}: đang đọc sổ…")
    with click.writing():
        source = LiveWorkbook(book, progress=lambda name: click.status(
            f"{click.button}: đang đọc trang “{name}”…", force=False))
        report = nd.validate(source, today=click.today)
        done = codes.assign(book, source, report, click.today)
    parts = []
    if done.given:
        first, last = done.given[0][1], done.given[-1][1]
        span = first if first == last else f"{first} đến {last}"
        parts.append(f"Đã cấp {fmt_int(len(done.given))} mã địa chỉ mới ở trang {done.sheet} ({span}).")
    if done.no_commune:
        parts.append(f"{fmt_int(len(done.no_commune))} dòng chưa có Mã xã hợp lệ nên chưa cấp mã "
                     f"(dòng {_rows(done.no_commune)}): hãy ghi Mã xã rồi bấm lại.")
    if done.formulas:
        parts.append(f"{fmt_int(len(done.formulas))} ô mã là công thức nên được giữ nguyên (dòng {_rows(done.formulas)}).")
    if not parts:
        parts.append(f"Mọi dòng của trang {done.sheet} đã có mã địa chỉ; không cấp thêm mã nào.")
    click.tell(" ".join(parts))


def convert_legacy(click: Click) -> None:
    """Chuyển mã chữ cũ: TCVN3/VNI text in the selection (or the sheet) to Unicode, and a
    Unicode font for cells shown in a legacy font."""
    from . import convert

    book = click.need_book()
    click.status(f"{click.button}: đang đọc vùng đã chọn…")
    plan = convert.plan(click.app, book)
    where = "trang này" if plan is None or plan.whole_sheet else "vùng đã chọn"
    if plan is None or (not plan.changes and not plan.fonts):
        click.tell(f"Không thấy chữ gõ bằng mã cũ (TCVN3, VNI) trong {where}; không có gì để chuyển.")
        return
    names = {"tcvn3": "TCVN3", "tcvn3h": "TCVN3", "vni": "VNI"}
    kinds = sorted({names.get(e, e) for e in plan.encodings})
    question = f"Chuyển {fmt_int(len(plan.changes))} ô trong {where} từ mã {', '.join(kinds) or 'cũ'} sang Unicode"
    if plan.fonts:
        question += f" và đặt phông {convert.UNICODE_FONT} cho {fmt_int(len(plan.fonts))} ô đang dùng phông cũ"
    question += "? Excel không hoàn tác (Undo) được việc này; nếu cần, hãy lưu một bản sao trước."
    if not click.confirm(question):
        return
    with click.writing():
        done = convert.apply(plan, progress=lambda n, total: click.status(
            f"{click.button}: {fmt_int(n)}/{fmt_int(total)}…", force=n >= total))
    text = f"Đã chuyển {fmt_int(done.cells)} ô sang Unicode"
    text += f" và đặt phông {convert.UNICODE_FONT} cho {fmt_int(done.fonts)} ô." if done.fonts else "."
    if done.refused:
        text += f" {fmt_int(done.refused)} ô bị khóa (trang được bảo vệ) nên không đổi được."
    if not plan.complete:
        text += " Vùng chọn có quá nhiều phông khác nhau: một số ô chỉ được chuyển theo nội dung chữ."
    click.tell(text)


def consolidate_folder(click: Click) -> None:
    """Tổng hợp thư mục: pick a folder of unit workbooks, consolidate them, open the result."""
    start = click.book_file(required=False)
    folder = click.ask.folder("Chọn thư mục chứa các sổ của đơn vị cần tổng hợp", start.parent if start else None)
    if folder is None:
        return
    folder = Path(folder)
    parent = folder.parent if folder.parent != folder else folder
    output = free_name(parent / f"{folder.name or 'tong-hop'}-tong-hop.xlsx")
    click.status(f"{click.button}: đang đọc các sổ trong “{folder.name}”…")
    result = nd.consolidate([folder], output=output, today=click.today, progress=click.progress("đã đọc"))
    click.status(f"{click.button}: đang mở kết quả…")
    click.open(output)
    by_status: dict[str, int] = {}
    for s in result.submissions:
        by_status[s.status] = by_status.get(s.status, 0) + 1
    rows = result.rows
    text = (f"Đã tổng hợp {fmt_int(by_status.get('accepted', 0))} bản nộp kỳ {result.period.label}"
            f" ({fmt_int(rows['counted'])} dòng được tính, {fmt_int(rows['excluded'])} dòng bị loại)")
    others = []
    if by_status.get("rejected"):
        others.append(f"{fmt_int(by_status['rejected'])} tệp bị từ chối")
    if by_status.get("superseded"):
        others.append(f"{fmt_int(by_status['superseded'])} bản bị thay bằng bản mới hơn")
    if result.missing:
        others.append(f"{fmt_int(len(result.missing))} đơn vị chưa nộp")
    text += ("; " + ", ".join(others) + " (xem trang NopBaoCao)" if others else "") + f". Kết quả: {output}."
    click.tell(text)


def overlap(click: Click) -> None:
    """Kiểm tra trùng lặp: the active workbook (or a chosen consolidation) against other
    programmes' lists; the review workbook written next to it and opened."""
    campaign = click.book_file(required=False)
    if campaign is None:
        picked = click.ask.files("Chọn sổ tổng hợp (hoặc sổ của đơn vị) cần kiểm tra trùng lặp", kinds=("xlsx",))
        if not picked:
            return
        campaign = Path(picked[0])
    lists = click.ask.files("Chọn danh sách của các chương trình khác (hộ nghèo, Tết Nhân ái…) để so",
                            start=campaign.parent, kinds=("xlsx", "xls", "csv"), multiple=True)
    if not lists:
        return
    base = campaign.parent / f"{campaign.stem}-trung-lap.xlsx"
    earlier = _earlier_reviews(base)
    output = free_name(base)
    click.status(f"{click.button}: đang so {fmt_int(len(lists))} danh sách…")
    result = nd.overlap(campaign, against=[Path(p) for p in lists], output=output,
                        decisions=earlier[-1] if earlier else None, today=click.today,
                        progress=click.progress("đã đọc"))
    click.open(output)
    counts = result.counts
    text = (f"Tìm thấy {fmt_int(counts.get('match', 0))} cặp trùng, {fmt_int(counts.get('possible', 0))} cặp nên xem lại"
            f" và {fmt_int(counts.get('events_counted_twice', 0))} lượt trợ giúp có thể bị tính hai lần."
            f" Ghi quyết định (Trùng/Không trùng) ở cột “Quyết định” của {output.name}")
    text += f"; các quyết định của {earlier[-1].name} được giữ lại." if earlier else "."
    click.tell(text)


def _earlier_reviews(base: Path) -> list[Path]:
    """Reviews written before by this button (``…-trung-lap.xlsx``, ``… (2).xlsx``), oldest
    first: the latest one's decisions are carried over."""
    found = [base] if base.is_file() else []
    found += [p for p in base.parent.glob(f"{base.stem} (*){base.suffix}") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime)


def report(click: Click) -> None:
    """Lập báo cáo: pick a template, fill it from the active consolidation, open it."""
    source = click.book_file(required=True)
    assert source is not None
    shipped = nd.templates(fields=False)  # names and titles: no template is opened
    options = [str(t["title"]) for t in shipped] + ["Tệp mẫu khác (chọn tệp)…"]
    choice = click.ask.choose(click.button, "Chọn mẫu báo cáo (gõ số rồi bấm OK):", options)
    if choice is None:
        return
    if choice < len(shipped):
        template: str | Path = str(shipped[choice]["name"])
        name, suffix = str(shipped[choice]["name"]), Path(str(shipped[choice]["file"])).suffix
        title = str(shipped[choice]["title"])
    else:
        picked = click.ask.files("Chọn tệp mẫu báo cáo (.xlsx hoặc .docx)", start=source.parent,
                                 kinds=("xlsx", "xltx", "docx"))
        if not picked:
            return
        template = Path(picked[0])
        name, suffix, title = template.stem, template.suffix, template.name
    suffix = ".xlsx" if suffix.lower() in (".xltx", ".xlsx") else suffix.lower()
    output = free_name(source.parent / f"{source.stem}-{name}{suffix}")
    click.status(f"{click.button}: đang điền mẫu “{title}”…")
    result = nd.report(source, template, output, today=click.today)
    click.open(output)
    text = f"Đã lập báo cáo “{title}”: {output}."
    notices = [vi for vi, _ in result.notices]
    if notices:
        text += " " + " ".join(n if n.endswith(".") else n + "." for n in notices)
    click.tell(text)


def about(click: Click) -> None:
    """Giới thiệu: the version, and where the log is."""
    from .log import log_dir

    xlwings = sys.modules.get("xlwings")
    xw_version = getattr(xlwings, "__version__", None)
    python = ".".join(map(str, sys.version_info[:3]))
    click.tell(
        f"xl_nhandao {nd.__version__} — công cụ của Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một"
        f" địa chỉ nhân đạo”: kiểm tra, tổng hợp, kiểm tra trùng lặp và lập báo cáo.\n"
        f"Nhật ký (không có dữ liệu cá nhân): {log_dir()}\n"
        f"Python {python}" + (f", xlwings {xw_version}" if xw_version else "") + ".")
