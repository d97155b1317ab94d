"""Talking to the clerk from a handler: Excel's status bar and message boxes (through
xlwings' ``App``), and the dialogs that pick a folder, files or a template (the small
:class:`Ask` interface: Excel's own dialogs through ``app.api`` on Windows, AppleScript's
on macOS, a fake in tests).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

TITLE = "Nhân đạo"
#: The status bar is updated at most this often (each update is a call to Excel).
STATUS_EVERY = 0.2
#: Excel's InputBox shows at most 255 characters of prompt.
MAX_PROMPT = 255


class Ask(Protocol):
    """The dialogs a handler may open; each returns None (or nothing) when the clerk
    cancels."""

    def folder(self, title: str, start: Path | None = None) -> Path | None: ...

    def files(self, title: str, start: Path | None = None, kinds: Sequence[str] = ("xlsx",),
              multiple: bool = False) -> list[Path]: ...

    def choose(self, title: str, prompt: str, options: Sequence[str]) -> int | None: ...

    def open_document(self, path: Path) -> None: ...


class Screen:
    """The status bar and message boxes of the Excel that made the click."""

    def __init__(self, app: object) -> None:
        self.app = app
        self._last = 0.0
        self.first_update: float | None = None  # perf_counter() of the first status text

    def status(self, text: str, force: bool = True) -> None:
        now = time.perf_counter()
        if not force and now - self._last < STATUS_EVERY:
            return
        self._last = now
        self.app.status_bar = text  # type: ignore[attr-defined]
        if self.first_update is None:
            self.first_update = now

    def release(self) -> None:
        """Give the status bar back to Excel."""
        with contextlib.suppress(Exception):
            self.app.status_bar = False  # type: ignore[attr-defined]

    def tell(self, text: str, critical: bool = False) -> None:
        self.app.alert(text, TITLE, mode="critical" if critical else "info")  # type: ignore[attr-defined]

    def confirm(self, text: str) -> bool:
        return self.app.alert(text, TITLE, buttons="yes_no") == "yes"  # type: ignore[attr-defined]


def menu(prompt: str, options: Sequence[str], limit: int = MAX_PROMPT) -> str:
    """A numbered list under ``prompt`` that fits ``limit`` characters, each option cut
    short (with …) as much as needed."""
    lines = [f"{n}. {o}" for n, o in enumerate(options, 1)]
    text = "\n".join([prompt, *lines])
    width = max((len(o) for o in options), default=0)
    while len(text) > limit and width > 8:
        width -= 1
        lines = [f"{n}. {o if len(o) <= width else o[: width - 1].rstrip() + '…'}" for n, o in enumerate(options, 1)]
        text = "\n".join([prompt, *lines])
    return text


def default_ask(app: object) -> Ask:
    if sys.platform.startswith("win"):
        return ExcelAsk(app)
    if sys.platform == "darwin":
        return MacAsk()
    return NoAsk()


class ExcelAsk:
    """Excel's own dialogs, through the Excel object model (``app.api``; Windows)."""

    FOLDER_PICKER = 4  # msoFileDialogFolderPicker
    FILE_PICKER = 3  # msoFileDialogFilePicker

    def __init__(self, app: object) -> None:
        self.app = app

    def folder(self, title: str, start: Path | None = None) -> Path | None:
        dialog = self.app.api.FileDialog(self.FOLDER_PICKER)  # type: ignore[attr-defined]
        dialog.Title = title
        dialog.AllowMultiSelect = False
        if start is not None:
            dialog.InitialFileName = str(start).rstrip("\\") + "\\"
        if dialog.Show() != -1:
            return None
        return Path(str(dialog.SelectedItems(1)))

    def files(self, title: str, start: Path | None = None, kinds: Sequence[str] = ("xlsx",),
              multiple: bool = False) -> list[Path]:
        dialog = self.app.api.FileDialog(self.FILE_PICKER)  # type: ignore[attr-defined]
        dialog.Title = title
        dialog.AllowMultiSelect = multiple
        dialog.Filters.Clear()
        dialog.Filters.Add(", ".join(k.upper() for k in kinds), "; ".join(f"*.{k}" for k in kinds))
        if start is not None:
            dialog.InitialFileName = str(start).rstrip("\\") + "\\"
        if dialog.Show() != -1:
            return []
        items = dialog.SelectedItems
        return [Path(str(items(i))) for i in range(1, int(items.Count) + 1)]

    def choose(self, title: str, prompt: str, options: Sequence[str]) -> int | None:
        import pythoncom  # pywin32, which xlwings brings on Windows

        missing = pythoncom.Missing
        answer = self.app.api.InputBox(menu(prompt, options), title, "1",  # type: ignore[attr-defined]
                                       missing, missing, missing, missing, 1)  # Type:=1, a number
        if answer is False or answer is None:
            return None
        try:
            n = int(float(answer))
        except (TypeError, ValueError):
            return None
        return n - 1 if 1 <= n <= len(options) else None

    def open_document(self, path: Path) -> None:
        os.startfile(str(path))  # type: ignore[attr-defined]  # Windows only


def _applescript_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class MacAsk:
    """AppleScript's dialogs (``osascript``), for Excel on macOS."""

    def _run(self, script: str) -> str | None:
        import subprocess

        done = subprocess.run(["osascript", "-e", script], capture_output=True, text=True, timeout=900)
        if done.returncode != 0:  # -128: the clerk cancelled
            return None
        return done.stdout.strip("\n")

    def folder(self, title: str, start: Path | None = None) -> Path | None:
        where = f" default location (POSIX file {_applescript_text(str(start))})" if start else ""
        out = self._run(f"POSIX path of (choose folder with prompt {_applescript_text(title)}{where})")
        return Path(out) if out else None

    def files(self, title: str, start: Path | None = None, kinds: Sequence[str] = ("xlsx",),
              multiple: bool = False) -> list[Path]:
        where = f" default location (POSIX file {_applescript_text(str(start))})" if start else ""
        types = "{" + ", ".join(_applescript_text(k) for k in kinds) + "}"
        many = " with multiple selections allowed" if multiple else ""
        script = (f"set picked to (choose file with prompt {_applescript_text(title)} of type {types}{where}{many})\n"
                  "if class of picked is not list then set picked to {picked}\n"
                  'set out to ""\nrepeat with f in picked\nset out to out & POSIX path of f & linefeed\nend repeat\n'
                  "return out")
        out = self._run(script)
        return [Path(line) for line in (out or "").splitlines() if line]

    def choose(self, title: str, prompt: str, options: Sequence[str]) -> int | None:
        items = "{" + ", ".join(_applescript_text(o) for o in options) + "}"
        out = self._run(f"choose from list {items} with title {_applescript_text(title)} "
                        f"with prompt {_applescript_text(prompt)}")
        if not out or out == "false" or out not in options:
            return None
        return list(options).index(out)

    def open_document(self, path: Path) -> None:
        import subprocess

        subprocess.run(["open", str(path)], check=False, timeout=60)


class NoAsk:
    """Where there is no desktop Excel (Linux): a dialog is a one-line error."""

    def _refuse(self) -> None:
        from ..errors import RunError

        raise RunError("addin-dialogs-platform")

    def folder(self, title: str, start: Path | None = None) -> Path | None:
        self._refuse()
        return None

    def files(self, title: str, start: Path | None = None, kinds: Sequence[str] = ("xlsx",),
              multiple: bool = False) -> list[Path]:
        self._refuse()
        return []

    def choose(self, title: str, prompt: str, options: Sequence[str]) -> int | None:
        self._refuse()
        return None

    def open_document(self, path: Path) -> None:
        self._refuse()
