"""Install the Excel add-in for the signed-in user, or remove it (``xl-nhandao addin
install|uninstall``).

The add-in is built afresh (:mod:`.build`) with this Python in its config sheet
``xl_nhandao.conf`` and written into the user's Excel startup folder, which Excel opens at
every start and trusts by default:

- Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART``;
- macOS: ``~/Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel``,
  and xlwings' AppleScript (named after its version) in
  ``~/Library/Application Scripts/com.microsoft.Excel``, through which RunPython starts
  Python on a Mac (what ``xlwings runpython install`` does).

The settings written (xlwings reads them with ``GetConfig``; the sheet comes before the
user file ``~/.xl_nhandao/xl_nhandao.conf``): ``Interpreter_Win`` or ``Interpreter_Mac``,
the Python running this command; ``PYTHONPATH``, only when xl_nhandao is not installed in
that Python's site-packages (a source checkout); ``ADD_WORKBOOK_TO_PYTHONPATH = false``, so
a ``.py`` file lying beside a clerk's workbook is never imported instead of the library.

Everything outside (the platform, the folders, the Python, the installed xlwings) can be
given, so it is tested on any system with temporary folders.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from ..errors import RunError
from ..i18n import Lang
from . import build

SUPPORTED = {"win32": "Windows", "darwin": "macOS"}
_MAC_STARTUP = ("Library", "Group Containers", "UBF8T346G9.Office", "User Content.localized",
                "Startup.localized", "Excel")
_MAC_SCRIPTS = ("Library", "Application Scripts", "com.microsoft.Excel")


def _system(system: str | None) -> str:
    system = system or sys.platform
    if system not in SUPPORTED:
        import platform

        raise RunError("addin-platform", system=platform.system() or system)
    return system


def startup_folder(system: str | None = None, *, env: Mapping[str, str] | None = None,
                   home: str | os.PathLike[str] | None = None) -> PurePath:
    """The user's Excel startup folder (Excel's ``Application.StartupPath``)."""
    system = _system(system)
    env = os.environ if env is None else env
    if system == "win32":
        appdata = env.get("APPDATA") or str(PureWindowsPath(home or Path.home(), "AppData", "Roaming"))
        return PureWindowsPath(appdata, "Microsoft", "Excel", "XLSTART")
    return PurePosixPath(home or Path.home(), *_MAC_STARTUP)


def _in_site_packages(package_dir: Path) -> bool:
    import site
    import sysconfig

    roots = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    user = site.getusersitepackages()
    if isinstance(user, str):
        roots.add(user)
    parent = package_dir.resolve().parent
    return any(parent == Path(r).resolve() for r in roots if r)


def settings(system: str, python: str, *, package_dir: Path | None = None) -> dict[str, str]:
    """The xlwings settings the installed add-in carries in its config sheet."""
    package_dir = package_dir or Path(__file__).resolve().parent.parent
    out = {"Interpreter_Win" if system == "win32" else "Interpreter_Mac": python,
           "ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    if not _in_site_packages(package_dir):
        out["PYTHONPATH"] = str(package_dir.parent)
    return out


def installed_xlwings() -> tuple[str | None, Path | None]:
    """The version of xlwings installed in this Python and its package folder (without
    importing it: xlwings imports Excel's automation libraries)."""
    import importlib.metadata
    import importlib.util

    try:
        version = importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        return None, None
    spec = importlib.util.find_spec("xlwings")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return version, Path(locations[0]) if locations else None


@dataclass(frozen=True)
class Installed:
    """Where the add-in went and what it was told."""

    path: Path
    settings: dict[str, str]
    extra: list[Path] = field(default_factory=list)  # the AppleScript on macOS

    def summary(self, lang: Lang = "vi") -> str:
        python = self.settings.get("Interpreter_Win") or self.settings.get("Interpreter_Mac", "")
        if lang == "vi":
            return (f"Đã cài bổ trợ Excel vào “{self.path}” (Python: {python}). "
                    "Hãy đóng hết Excel rồi mở lại: thẻ Nhân đạo sẽ có trên dải lệnh.")
        return (f"Installed the Excel add-in at “{self.path}” (Python: {python}). "
                "Close every Excel window and start Excel again: the Nhân đạo tab will be on the ribbon.")


@dataclass(frozen=True)
class Removed:
    """What uninstalling found."""

    path: Path
    removed: bool

    def summary(self, lang: Lang = "vi") -> str:
        if lang == "vi":
            return (f"Đã gỡ bổ trợ Excel “{self.path}”. Hãy đóng hết Excel rồi mở lại." if self.removed
                    else f"Bổ trợ Excel chưa được cài (không có “{self.path}”).")
        return (f"Removed the Excel add-in “{self.path}”. Close every Excel window and start Excel again."
                if self.removed else f"The Excel add-in is not installed (no “{self.path}”).")


def install(folder: str | os.PathLike[str] | None = None, *, system: str | None = None,
            python: str | None = None, xlwings: tuple[str | None, Path | None] | None = None,
            home: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Installed:
    """Build the add-in for this Python and put it in the Excel startup folder (or
    ``folder``). Raises :class:`~xl_nhandao.errors.RunError` on Linux (Excel runs on
    Windows and macOS), without the pinned xlwings, or when the file cannot be written
    (Excel holds it open)."""
    system = _system(system)
    pinned = build.xlwings_version()
    version, xlwings_dir = installed_xlwings() if xlwings is None else xlwings
    if version is None:
        raise RunError("addin-xlwings-missing", needed=pinned)
    if version != pinned:
        raise RunError("addin-xlwings-version", found=version, needed=pinned)
    target_dir = Path(folder) if folder is not None else Path(startup_folder(system, env=env, home=home))
    config = settings(system, python or sys.executable)
    target = target_dir / build.ADDIN_NAME
    if target.exists() and not build.is_addin(target):
        raise RunError("addin-foreign", path=str(target))
    data = build.addin_bytes(config)
    extra = []
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        build.write_addin(target, data)
        if system == "darwin":
            extra.append(_applescript(pinned, xlwings_dir, home))
    except OSError as exc:
        raise RunError("output-unwritable", path=str(getattr(exc, "filename", None) or target),
                       detail=exc.strerror or str(exc), detail_en=exc.strerror or str(exc)) from None
    return Installed(target, config, extra)


def _applescript(version: str, xlwings_dir: Path | None, home: str | os.PathLike[str] | None) -> Path:
    name = f"xlwings-{version}.applescript"
    source = xlwings_dir / name if xlwings_dir else None
    if source is None or not source.is_file():
        raise RunError("addin-xlwings-missing", needed=version)
    target_dir = Path(home or Path.home(), *_MAC_SCRIPTS)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    target.write_bytes(source.read_bytes())
    return target


def uninstall(folder: str | os.PathLike[str] | None = None, *, system: str | None = None,
              home: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Removed:
    """Remove the add-in from the Excel startup folder (or ``folder``). A file of that name
    that is not this add-in is left alone. xlwings' AppleScript stays on macOS: other
    xlwings add-ins of that version use it too."""
    system = _system(system)
    target_dir = Path(folder) if folder is not None else Path(startup_folder(system, env=env, home=home))
    target = target_dir / build.ADDIN_NAME
    if not target.exists():
        return Removed(target, False)
    if not build.is_addin(target):
        raise RunError("addin-foreign", path=str(target))
    try:
        target.unlink()
    except OSError as exc:
        raise RunError("output-unwritable", path=str(target), detail=exc.strerror or str(exc),
                       detail_en=exc.strerror or str(exc)) from None
    return Removed(target, True)
