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
        os.chmod(tmp, _file_mode(out))  # mkstemp makes 0600; give the mode any new file gets
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise RunError("output-unwritable", path=str(out), detail=exc.strerror or str(exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _file_mode(out: Path) -> int:
    """The mode of the file being replaced, else 0666 less the umask."""
    try:
        return out.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
