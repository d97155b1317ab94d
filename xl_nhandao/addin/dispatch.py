"""The ribbon's dispatcher: the one entry point of every button.

The add-in's VBA has one ribbon callback; it passes the clicked button's tag to
``main`` through xlwings' ``RunPython``::

    RunPython "import xl_nhandao.addin.dispatch as d; d.main('" & control.Tag & "')"

so adding a button is a line in :data:`TAGS` (and one in the ribbon XML), never a VBA
change. Every click starts a new Python process: this module imports only the standard
library and the package's small core (errors, i18n) — no pandas, openpyxl, xlwings or
numpy — and the handler's own imports come when it runs.

``main`` never raises and never writes to standard error (which xlwings would show as a
raw error box): a failure reaches the clerk as one Vietnamese sentence in a message box,
and its details — no personal data — go to the log (:mod:`.log`). Only when Excel itself
cannot be reached is the sentence written to standard error, for xlwings to show.
"""

from __future__ import annotations

import contextlib
import sys
import time
import warnings

from .. import __version__
from ..errors import RunError

#: Each button's tag → (its Vietnamese label, the handler in :mod:`.handlers`, its icon:
#: an Office built-in ``imageMso``), in the ribbon's order. The ribbon XML (``macros/``)
#: carries the same tags and labels; its tests check it against this table.
TAGS: dict[str, tuple[str, str, str]] = {
    "validate": ("Kiểm tra dữ liệu", "validate", "DataValidation"),
    "clear_marks": ("Xóa đánh dấu", "clear_marks", "ClearFormats"),
    "assign_codes": ("Cấp mã địa chỉ", "assign_codes", "FillDown"),
    "convert_legacy": ("Chuyển mã chữ cũ", "convert_legacy", "FontDialog"),
    "consolidate_folder": ("Tổng hợp thư mục", "consolidate_folder", "FileOpen"),
    "overlap": ("Kiểm tra trùng lặp", "overlap", "RemoveDuplicates"),
    "report": ("Lập báo cáo", "report", "CreateReport"),
    "about": ("Giới thiệu", "about", "Info"),
}

#: The ribbon's groups, in order: (label, the tags of its buttons).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sổ đang mở", ("validate", "clear_marks", "assign_codes", "convert_legacy")),
    ("Tổng hợp và báo cáo", ("consolidate_folder", "overlap", "report")),
    ("Trợ giúp", ("about",)),
)

#: Failures whose message tells what to type on the command line, and what the ribbon
#: says instead (the clerk clicks buttons): ``button`` is added to their parameters.
ADDIN_WORDING = {
    "list-no-name-column": "addin-list-no-name-column",
    "hashed-needs-secret": "addin-hashed-needs-secret",
}


class _Discard:
    """Standard error while a click runs: nothing reaches xlwings' error box (a library's
    warning, a progress bar) — what matters is in the message box and the log."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def main(tag: str, *, book: object | None = None, ask: object | None = None, today: object | None = None) -> int:
    """Run the button ``tag`` on the active workbook. ``book`` (the active workbook, an
    xlwings ``Book``) and ``ask`` (the dialogs) are found when not given: tests give fakes.
    Returns 0, or 1 when Excel could not be reached."""
    started = time.perf_counter()
    from_excel = book is None
    entry = TAGS.get(tag)
    button = entry[0] if entry else tag
    outcome = "ok"
    screen = None
    stderr = sys.stderr
    sys.stderr = _Discard()  # type: ignore[assignment]
    code = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                app, book = _excel(book)
            except Exception as exc:
                outcome = "no-excel " + _failure(exc)
                print(RunError("addin-failed", button=button, log=str(_log_file())).message("vi"), file=stderr)
                code = 1
                app = None
            if app is not None:
                screen = _click(tag, entry, button, app, book, ask, today, started)
                outcome = screen.outcome
    finally:
        if screen is not None:
            screen.release()
        sys.stderr = stderr
        _log(tag, outcome, time.perf_counter() - started)
    if code and from_excel:
        raise SystemExit(code)  # RunPython shows standard error only when Python fails
    return code


def _click(tag: str, entry: tuple[str, str, str] | None, button: str, app: object, book: object | None,
           ask: object | None, today: object | None, started: float):  # -> Screen, with .outcome
    """Run the handler; every failure becomes a message box. The Screen carries the outcome."""
    from .ui import Screen

    screen = Screen(app)
    outcome = "ok"
    try:
        if entry is None:
            raise RunError("addin-unknown-button", tag=tag, version=__version__)
        screen.status(f"{button}…")  # the clerk sees the click taken before anything is imported
        from . import handlers

        if ask is None:
            from .ui import default_ask

            ask = default_ask(app)
        click = handlers.Click(app, book, ask, screen, button, today)  # type: ignore[arg-type]
        getattr(handlers, entry[1])(click)
        if click.notes:
            outcome += " " + " ".join(click.notes)
    except RunError as exc:
        outcome = _failure(exc)
        _tell(screen, _for_the_ribbon(exc, button).message("vi"))
    except BaseException as exc:
        outcome = _failure(exc)
        _tell(screen, RunError("addin-failed", button=button, log=str(_log_file())).message("vi"))
    if screen.first_update is not None:
        outcome += f" first_update={screen.first_update - started:.3f}"
    screen.outcome = outcome  # type: ignore[attr-defined]
    return screen


def _for_the_ribbon(exc: RunError, button: str) -> RunError:
    """``exc``, or (:data:`ADDIN_WORDING`) the same failure as the ribbon words it."""
    code = ADDIN_WORDING.get(exc.code)
    return exc if code is None else type(exc)(code, **{**exc.params, "button": button})


def _excel(book: object | None) -> tuple[object, object | None]:
    """Excel's application and the active workbook. ``RunPython`` names the active
    workbook in its arguments (``--wb=``), so xlwings' ``Book.caller()`` is that workbook,
    not the add-in."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    return book.app, book  # type: ignore[attr-defined]


def _tell(screen: object, text: str) -> None:
    with contextlib.suppress(Exception):
        screen.tell(text, critical=True)  # type: ignore[attr-defined]


def _failure(exc: BaseException) -> str:
    from .log import failure

    return "failed " + failure(exc)


def _log_file() -> object:
    from .log import log_file

    return log_file()


def _log(tag: str, outcome: str, seconds: float) -> None:
    from .log import write

    write(tag, outcome, seconds)
