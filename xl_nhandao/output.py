"""Writing outputs safely: never over an input, always atomically (temp file + rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import RunError


def check_output(out: Path, inputs: Iterable[Path] = (), suffix: str = ".xlsx") -> None:
    if suffix and out.suffix.lower() != suffix:
        raise RunError("output-suffix", path=str(out))
    resolved = out.resolve()
    for i in inputs:
        with contextlib.suppress(OSError):
            if i.resolve() == resolved or (out.exists() and os.path.samefile(i, out)):
                raise RunError("output-is-input", path=str(out))
    if out.is_dir():
        raise RunError("output-unwritable", path=str(out), detail="là thư mục")


def write_atomic(out: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` for a temporary file beside ``out``, then rename it over
    ``out``; nothing is left behind on failure."""
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=out.suffix + ".tmp", dir=parent)
    except OSError as exc:
        raise RunError("output-unwritable", path=str(out), detail=exc.strerror or str(exc)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise RunError("output-unwritable", path=str(out), detail=exc.strerror or str(exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
