"""The add-in's log: one line per click, in the user's log folder, with no personal data.

A click's line says when, which button, how long it took and how it ended: ``ok``, the
code of a :class:`~xl_nhandao.errors.RunError` and the names (never the values) of its
parameters, or the type of an unexpected exception and where it happened (module file
name, line, function — no message, no local value, no folder path, which could name the
user). Names, CCCD numbers, cell values and file names never reach it. The file is kept
under :data:`MAX_BYTES`; the previous one is kept as ``addin.log.1``.

Folder: ``%LOCALAPPDATA%\\xl_nhandao\\logs`` on Windows, ``$XDG_STATE_HOME/xl_nhandao``
(``~/.local/state/xl_nhandao``) elsewhere; ``XLND_LOG_DIR`` overrides both.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

LOG_NAME = "addin.log"
MAX_BYTES = 512 * 1024


def log_dir() -> Path:
    override = os.environ.get("XLND_LOG_DIR")
    if override:
        return Path(override)
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "xl_nhandao" / "logs"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "xl_nhandao"


def log_file() -> Path:
    return log_dir() / LOG_NAME


def where(exc: BaseException) -> str:
    """Where an exception happened, frame by frame (innermost last), without data:
    ``dispatch.py:120 main > handlers.py:88 validate > book.py:201 read``."""
    frames = traceback.extract_tb(exc.__traceback__)[-8:]
    return " > ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames)


def failure(exc: BaseException) -> str:
    """An exception as the log holds it: its kind and place, never its message."""
    from ..errors import RunError

    if isinstance(exc, RunError):
        keys = ",".join(sorted(exc.params))
        return f"RunError {exc.code} [{keys}] at {where(exc)}"
    kind = type(exc).__module__ + "." + type(exc).__qualname__
    extra = ""
    if isinstance(exc, OSError) and exc.errno is not None:
        extra = f" errno={exc.errno}"
    hresult = getattr(exc, "hresult", None)  # a COM error (pywintypes.com_error)
    if isinstance(hresult, int):
        extra += f" hresult={hresult & 0xFFFFFFFF:#010x}"
    return f"{kind}{extra} at {where(exc)}"


def write(tag: str, outcome: str, seconds: float) -> Path | None:
    """Append one line; never raises (a log that cannot be written must not fail a click).
    Returns the file written, or None."""
    from .. import __version__

    path = log_file()
    line = (f"{datetime.now().isoformat(timespec='seconds')} xl_nhandao={__version__} "
            f"python={sys.version_info.major}.{sys.version_info.minor} button={_plain(tag)} "
            f"seconds={seconds:.2f} {outcome}\n")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(LOG_NAME + ".1"))
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line)
    except OSError:
        return None
    return path


def _plain(text: str) -> str:
    """A button's tag as the log shows it: letters, digits and ``_`` (a tag is ours, but the
    log takes no chance)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else "?" for ch in text)[:40] or "?"
