"""Writing outputs safely: never over an input, never over someone's data, always
atomically (temp file + rename).

Every workbook this project writes carries two custom document properties: the command
that wrote it (``xl_nhandao``) and the moment it was written (``xl_nhandao_written``),
which is also the file's "modified" time. Excel and LibreOffice keep custom properties
but update "modified" when someone saves, so an existing file is *recognisably an earlier
output of the same command* exactly when both properties are there, the command matches
and "modified" still equals the recorded moment. Only such a file is replaced without
``--force``; any other existing file (a clerk's register, an annotated copy the clerk
corrected and saved) is left alone with one line that says why.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

from ..errors import RunError

OUTPUT_PROPERTY = "xl_nhandao"
WRITTEN_PROPERTY = "xl_nhandao_written"
#: openpyxl writes ``<vt:lpwstr>`` under lxml's namespace rules when lxml is installed
#: (python-docx brings it): ``<vt:lpwstr xmlns:vt="…">``.
_PROPERTY = re.compile(rb'name="(xl_nhandao(?:_written)?)"[^>]*>\s*<vt:lpwstr(?:\s[^>]*)?>([^<]*)</vt:lpwstr>')
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]*)</dcterms:modified>")


def now() -> datetime:
    """The moment an output is written: UTC, whole seconds (what the file can hold)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_output(out: Path, inputs: Iterable[Path] = (), suffix: str = ".xlsx", *, force: bool = False,
                 command: str | None = None) -> None:
    """Raise :class:`RunError` unless ``out`` may be written: the right suffix, not an
    input, in a folder that exists, and either new, an earlier output of ``command``
    (see the module's docstring), or ``force``."""
    if suffix and out.suffix.lower() != suffix:
        raise RunError("output-suffix", path=str(out), suffix=suffix)
    resolved = out.resolve()
    for i in inputs:
        with contextlib.suppress(OSError):
            if i.resolve() == resolved or (out.exists() and os.path.samefile(i, out)):
                raise RunError("output-is-input", path=str(out))
    if out.is_dir():
        raise RunError("output-unwritable", path=str(out), detail="là thư mục", detail_en="it is a folder")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise RunError("output-folder-missing", path=str(out), folder=str(parent))
    if out.exists() and not force and not (command and is_own_output(out, command)):
        raise RunError("output-exists", path=str(out))


def is_own_output(path: Path, command: str) -> bool:
    """Whether ``path`` is an output of ``command`` that nobody has saved since."""
    try:
        if not path.is_file():
            return False
        with zipfile.ZipFile(path) as zf:
            custom = zf.read("docProps/custom.xml")[:65536]
            core = zf.read("docProps/core.xml")[:65536]
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError, NotImplementedError):
        return False
    props = {m.group(1): m.group(2) for m in _PROPERTY.finditer(custom)}
    modified = _MODIFIED.search(core)
    return (props.get(b"xl_nhandao") == command.encode()
            and modified is not None and props.get(b"xl_nhandao_written") == modified.group(1).strip())


def write_atomic(out: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` for a temporary file beside ``out``, then rename it over
    ``out``; nothing is left behind on failure. The folder must exist."""
    parent = out.parent if str(out.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem[:40]}-", suffix=out.suffix + ".tmp", dir=parent)
    except OSError as exc:
        raise RunError("output-unwritable", path=str(out), detail=exc.strerror or str(exc),
                       detail_en=exc.strerror or str(exc)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, _file_mode(out))  # mkstemp makes 0600; give the mode any new file gets
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise RunError("output-unwritable", path=str(out), detail=exc.strerror or str(exc),
                       detail_en=exc.strerror or str(exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def save_openpyxl(wb, out: Path, command: str, when: datetime | None = None) -> None:
    """Save an openpyxl workbook to ``out`` atomically, marked as ``command``'s output
    written at ``when`` (default: now)."""
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.writer.excel import ExcelWriter

    when = when or now()
    props = wb.custom_doc_props
    for name in (OUTPUT_PROPERTY, WRITTEN_PROPERTY):
        with contextlib.suppress(KeyError, ValueError, AttributeError):
            del props[name]
    props.append(StringProperty(name=OUTPUT_PROPERTY, value=command))
    props.append(StringProperty(name=WRITTEN_PROPERTY, value=_iso(when)))
    wb.properties.modified = when

    def write(tmp: Path) -> None:
        # openpyxl's own save() stamps "modified" with the clock; the writer keeps ours.
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()

    write_atomic(out, write)


def mark_xlsxwriter(wb, command: str, when: datetime) -> None:
    """Mark an XlsxWriter workbook as ``command``'s output written at ``when`` (XlsxWriter
    writes "created" as "modified" too)."""
    wb.set_custom_property(OUTPUT_PROPERTY, command)
    wb.set_custom_property(WRITTEN_PROPERTY, _iso(when))


def _file_mode(out: Path) -> int:
    """The mode of the file being replaced, else 0666 less the umask."""
    try:
        return out.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
