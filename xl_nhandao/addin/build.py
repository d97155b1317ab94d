"""The Excel add-in ``xl_nhandao.xlam``, built from source on any system (no Excel needed).

Inputs, in ``macros/`` (shipped inside the package as ``xl_nhandao/addin/macros``):

- ``NhanDao.bas``: our VBA, the one ribbon callback ``NhanDaoClick``;
- ``customUI.xml``: the "Nhân đạo" ribbon tab (customUI 2009/07, stored as
  ``customUI/customUI14.xml``);
- ``xlwings/``: xlwings' open-source custom add-in of the pinned version, vendored with its
  licence and the SHA-256 of each file as the wheel's ``RECORD`` lists it (``VERSION``):
  the ``xlwings`` VBA module (``RunPython``), the ``Dictionary`` class it needs on macOS,
  and the ``quickstart_addin_ribbon.xlam`` template whose workbook, styles and theme the
  add-in keeps.

What is renamed so the add-in cannot clash with xlwings' own add-in or another one built
from the same template: the VBA project (``xl_nhandao``), the config sheet and the user
config file (``PROJECT_NAME`` → ``xl_nhandao.conf``, ``~/.xl_nhandao/xl_nhandao.conf``) and
the ribbon module (``NhanDao``).

The VBA project ``xl/vbaProject.bin`` is written here from the sources by a small
[MS-OVBA] writer: every module as source only (no compiled p-code, no performance cache:
``_VBA_PROJECT`` says version 0xFFFF, as the spec asks a writer to), compressed with the
[MS-OVBA] 2.4.1 algorithm, with the ``dir``, ``PROJECT`` and ``PROJECTwm`` streams, in an
[MS-CFB] version 3 compound file. Excel compiles the source when it loads the add-in. (The
maintained Python writers were tried first; ``macros/README.md`` says why they are not used.)

The build is deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import struct
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RunError

ADDIN_NAME = "xl_nhandao.xlam"
PROJECT_NAME = "xl_nhandao"
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
RIBBON_MODULE = "NhanDao"
CALLBACK = f"{RIBBON_MODULE}.NhanDaoClick"
TAB_ID = "xlNhanDaoTab"
CUSTOMUI_PART = "customUI/customUI14.xml"

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
#: The relationship type of a 2009/07 customUI part (Office 2010 and later); the 2006/01
#: part of Office 2007 has ``.../2006/relationships/ui/extensibility``.
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"


# -- the inputs ---------------------------------------------------------------------------------
def macros_dir() -> Path:
    """The build inputs: ``xl_nhandao/addin/macros`` in an installed package, else the
    ``macros/`` folder of the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "macros", here.parent.parent / "macros"):
        if (candidate / "NhanDao.bas").is_file():
            return candidate
    raise RunError("addin-sources", detail="macros/NhanDao.bas", detail_en="macros/NhanDao.bas")


@dataclass(frozen=True)
class Vendored:
    """The vendored xlwings files: their version and their SHA-256 as the wheel lists them."""

    version: str
    files: dict[str, tuple[str, str]]  # our name → (path in the wheel, hex SHA-256)

    @classmethod
    def read(cls, macros: Path) -> Vendored:
        """``macros/xlwings/VERSION``: ``xlwings X.Y.Z`` then ``name  wheel-path  sha256``."""
        lines = [ln.split("#", 1)[0].strip() for ln in (macros / "xlwings" / "VERSION").read_text("utf-8").splitlines()]
        lines = [ln for ln in lines if ln]
        name, version = lines[0].split()
        assert name == "xlwings", lines[0]
        files = {}
        for line in lines[1:]:
            ours, wheel_path, digest = line.split()
            files[ours] = (wheel_path, digest)
        return cls(version, files)

    def verify(self, macros: Path) -> None:
        """Every vendored file is there, byte for byte as in the wheel of :attr:`version`."""
        for ours, (_, digest) in self.files.items():
            path = macros / "xlwings" / ours
            if not path.is_file():
                raise RunError("addin-sources", detail=f"macros/xlwings/{ours}", detail_en=f"macros/xlwings/{ours}")
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                raise RunError("addin-sources", detail=f"macros/xlwings/{ours} (SHA-256)",
                               detail_en=f"macros/xlwings/{ours} (SHA-256)")


def xlwings_version() -> str:
    """The pinned xlwings version the add-in's VBA belongs to (its DLL declarations and
    the AppleScript file macOS runs are named after it)."""
    return Vendored.read(macros_dir()).version


# -- the VBA modules ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Module:
    """A VBA module as the project stores it: its name, kind and source text (with its
    ``Attribute`` lines, CRLF line ends)."""

    name: str
    kind: str  # "document", "module" or "class"
    code: str

    @property
    def project_line(self) -> str:
        if self.kind == "document":
            return f"Document={self.name}/&H00000000"
        return ("Module=" if self.kind == "module" else "Class=") + self.name


#: ``VB_Base`` of a document module: the Excel type library's Workbook and Worksheet.
_DOCUMENT_BASE = {"ThisWorkbook": "0{00020819-0000-0000-C000-000000000046}",
                  "Sheet1": "0{00020820-0000-0000-C000-000000000046}"}
#: ``VB_Base`` Excel stores for a class module.
_CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"


def crlf(text: str) -> str:
    """Line ends as VBA stores them: CRLF, and a final one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return (text if text.endswith("\n") else text + "\n").replace("\n", "\r\n")


def _document_module(name: str) -> Module:
    lines = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{_DOCUMENT_BASE[name]}"',
             "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
             "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
             "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]
    return Module(name, "document", crlf("\n".join(lines)))


def class_module_code(cls_text: str) -> str:
    """An exported class (``.cls``) as Excel stores it: without the ``VERSION 1.0 CLASS …
    END`` header, with ``VB_Base`` after ``VB_Name`` and ``VB_TemplateDerived`` and
    ``VB_Customizable`` after ``VB_Exposed``."""
    lines = cls_text.replace("\r\n", "\n").split("\n")
    if lines[0].startswith("VERSION "):
        lines = lines[lines.index("END") + 1:]
    out = []
    for line in lines:
        out.append(line)
        if line.startswith("Attribute VB_Name = "):
            out.append(f'Attribute VB_Base = "{_CLASS_BASE}"')
        elif line.startswith("Attribute VB_Exposed = "):
            out += ["Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    return crlf("\n".join(out))


def xlwings_module_code(bas_text: str, version: str) -> str:
    """xlwings' custom add-in module with this add-in's project name: its config sheet,
    config file and log names follow ``PROJECT_NAME``. The DLL declarations must name the
    pinned version."""
    text = bas_text.replace("\r\n", "\n")
    const = 'Public Const PROJECT_NAME As String = "myaddin"'
    if text.count(const) != 1 or f"'Version: {version}\n" not in text \
            or f'Public Const XLWINGS_VERSION As String = "{version}"' not in text:
        raise RunError("addin-sources", detail="macros/xlwings/xlwings_custom_addin.bas",
                       detail_en="macros/xlwings/xlwings_custom_addin.bas")
    return crlf(text.replace(const, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"'))


def modules(macros: Path | None = None) -> list[Module]:
    """The add-in's VBA modules, read from ``macros/``."""
    macros = macros or macros_dir()
    vendored = Vendored.read(macros)
    vendored.verify(macros)
    read = lambda p: p.read_bytes().decode("cp1252")  # noqa: E731 — VBA sources are in the project's code page
    ours = read(macros / "NhanDao.bas")
    if not ours.startswith(f'Attribute VB_Name = "{RIBBON_MODULE}"'):
        raise RunError("addin-sources", detail="macros/NhanDao.bas (VB_Name)", detail_en="macros/NhanDao.bas (VB_Name)")
    return [
        _document_module("ThisWorkbook"),
        _document_module("Sheet1"),
        Module("xlwings", "module", xlwings_module_code(read(macros / "xlwings" / "xlwings_custom_addin.bas"),
                                                        vendored.version)),
        Module("Dictionary", "class", class_module_code(read(macros / "xlwings" / "Dictionary.cls"))),
        Module(RIBBON_MODULE, "module", crlf(ours)),
    ]


# -- [MS-OVBA] 2.4.1: compression ------------------------------------------------------------------
def compress(data: bytes) -> bytes:
    """``data`` as a CompressedContainer ([MS-OVBA] 2.4.1): a signature byte, then one
    chunk per 4096 bytes, each of literal bytes and copy tokens (a chunk that does not
    shrink is stored raw)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        body = _compress_chunk(chunk)
        if len(body) <= 4096:
            out += struct.pack("<H", (len(body) + 2 - 3) | 0xB000) + body  # signature 0b011, flag 1
        elif len(chunk) == 4096:
            out += struct.pack("<H", 4095 | 0x3000) + chunk  # raw chunk: flag 0, always 4096 bytes
        else:  # a raw chunk would be padded to 4096 bytes; text never gets here
            raise ValueError("an incompressible final chunk cannot be stored without padding")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    out = bytearray()
    n, pos = len(chunk), 0
    seen: dict[bytes, list[int]] = {}
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            # CopyToken help (2.4.1.3.19.1): the offset takes the bits needed to reach the
            # chunk's start, at least 4; the length the rest of the 16.
            bit_count = max((pos - 1).bit_length(), 4) if pos else 4
            limit = min((0xFFFF >> bit_count) + 3, n - pos)
            best_len = best_off = 0
            if limit >= 3:
                for cand in reversed(seen.get(chunk[pos:pos + 3], [])[-48:]):
                    length = 3
                    while length < limit and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                out += struct.pack("<H", ((best_off - 1) << (16 - bit_count)) | (best_len - 3))
                flags |= 1 << bit
                step = best_len
            else:
                out.append(chunk[pos])
                step = 1
            for p in range(pos, min(pos + step, n - 2)):
                seen.setdefault(chunk[p:p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


# -- [MS-OVBA] 2.4.3: the PROJECT stream's protection fields ----------------------------------------
def encrypt(project_id: str, data: bytes, seed: int) -> str:
    """Data Encryption ([MS-OVBA] 2.4.3.2) of ``data`` under the project's key, as the
    hex text of ``CMG=``, ``DPB=`` and ``GC=``. The seed is fixed, so builds repeat."""
    version, key = 2, sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ key])
    enc1, enc2, plain1 = seed ^ key, seed ^ version, key
    ignored = [0] * ((seed & 6) // 2)
    for byte in [*ignored, *len(data).to_bytes(4, "little"), *data]:
        byte_enc = byte ^ ((enc2 + plain1) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, plain1 = enc1, byte_enc, byte
    return out.hex().upper()


def decrypt(project_id: str, text: str) -> bytes:
    """The inverse of :func:`encrypt` ([MS-OVBA] 2.4.3.3); checks the version and key."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2 or seed ^ key_enc != sum(project_id.encode("ascii")) & 0xFF:
        raise ValueError("not encrypted with this project's key")
    enc1, enc2, plain1 = key_enc, version_enc, seed ^ key_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((enc2 + plain1) & 0xFF)
        plain.append(byte)
        enc2, enc1, plain1 = enc1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = int.from_bytes(plain[ignored:ignored + 4], "little")
    data = bytes(plain[ignored + 4:])
    if len(data) != length:
        raise ValueError("length does not match")
    return data


# -- [MS-OVBA] 2.3: the project's streams -------------------------------------------------------------
PROJECT_ID = "{5E6C3E0B-9A3C-4C5E-8F4C-0A1D2E3F4B5C}"
_CODEPAGE = 1252
#: The Office type library, which declares ``IRibbonControl`` (the callback's argument), as
#: the xlwings template refers to it; VBA finds it by GUID and version in the registry.
_OFFICE_LIBID = ("*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files (x86)\\Common Files"
                 "\\Microsoft Shared\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library")


def _rec(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text(text: str) -> bytes:
    return text.encode(f"cp{_CODEPAGE}")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(project_name: str, mods: Iterable[Module]) -> bytes:
    """The ``dir`` stream before compression ([MS-OVBA] 2.3.4.2): project information,
    references, modules."""
    mods = list(mods)
    out = bytearray()
    out += _rec(0x0001, struct.pack("<I", 1))  # PROJECTSYSKIND: 32-bit Windows, as the template
    out += _rec(0x0002, struct.pack("<I", 0x0409))  # PROJECTLCID
    out += _rec(0x0014, struct.pack("<I", 0x0409))  # PROJECTLCIDINVOKE
    out += _rec(0x0003, struct.pack("<H", _CODEPAGE))  # PROJECTCODEPAGE
    out += _rec(0x0004, _text(project_name))  # PROJECTNAME
    out += _rec(0x0005, b"") + _rec(0x0040, b"")  # PROJECTDOCSTRING (MBCS, then UTF-16)
    out += _rec(0x0006, b"") + _rec(0x003D, b"")  # PROJECTHELPFILEPATH (twice)
    out += _rec(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    out += _rec(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 0x61EEF783, 3)  # PROJECTVERSION (Reserved=4, major, minor)
    out += _rec(0x000C, b"") + _rec(0x003C, b"")  # PROJECTCONSTANTS (MBCS, then UTF-16)
    # PROJECTREFERENCES: the Office library, a REFERENCENAME and a REFERENCEREGISTERED
    out += _rec(0x0016, _text("Office")) + _rec(0x003E, _utf16("Office"))
    libid = _text(_OFFICE_LIBID)
    out += _rec(0x000D, struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0))
    # PROJECTMODULES
    out += _rec(0x000F, struct.pack("<H", len(mods)))
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for m in mods:
        out += _rec(0x0019, _text(m.name)) + _rec(0x0047, _utf16(m.name))  # MODULENAME, MODULENAMEUNICODE
        out += _rec(0x001A, _text(m.name)) + _rec(0x0032, _utf16(m.name))  # MODULESTREAMNAME
        out += _rec(0x001C, b"") + _rec(0x0048, b"")  # MODULEDOCSTRING
        out += _rec(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: the source starts the stream
        out += _rec(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += struct.pack("<HI", 0x0021 if m.kind == "module" else 0x0022, 0)  # MODULETYPE
        out += struct.pack("<HI", 0x002B, 0)  # module terminator
    out += struct.pack("<HI", 0x0010, 0)  # dir terminator
    return bytes(out)


_VISIBLE = b"\xff"


def project_stream(project_name: str, mods: Iterable[Module]) -> bytes:
    """The ``PROJECT`` stream ([MS-OVBA] 2.3.1): the project's properties as text."""
    mods = list(mods)
    lines = [f'ID="{PROJECT_ID}"', *(m.project_line for m in mods),
             f'Name="{project_name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
             f'CMG="{encrypt(PROJECT_ID, bytes(4), 0x5D)}"',  # protection state: none
             f'DPB="{encrypt(PROJECT_ID, bytes(1), 0x5D)}"',  # password: none
             f'GC="{encrypt(PROJECT_ID, _VISIBLE, 0x5D)}"',  # visibility: the project is visible
             "", "[Host Extender Info]", "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
             "", "[Workspace]", *(f"{m.name}=0, 0, 0, 0, C" for m in mods)]
    return _text("\r\n".join(lines) + "\r\n")


def project_wm_stream(mods: Iterable[Module]) -> bytes:
    """The ``PROJECTwm`` stream ([MS-OVBA] 2.3.3): each module name in MBCS and UTF-16."""
    out = bytearray()
    for m in mods:
        out += _text(m.name) + b"\x00" + _utf16(m.name) + b"\x00\x00"
    return bytes(out + b"\x00\x00")


#: ``_VBA_PROJECT`` ([MS-OVBA] 2.3.4.1): Reserved1 0x61CC, Version 0xFFFF (no performance
#: cache: Excel compiles the source), Reserved2 0x00, Reserved3 as the template has it.
VBA_PROJECT_STREAM = bytes.fromhex("cc61ffff000100")


def vba_project(mods: Iterable[Module] | None = None, project_name: str = PROJECT_NAME) -> bytes:
    """``vbaProject.bin``: the modules' source in a compound file ([MS-OVBA] 2.2)."""
    mods = modules() if mods is None else list(mods)
    streams = {"PROJECT": project_stream(project_name, mods), "PROJECTwm": project_wm_stream(mods),
               "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM, "VBA/dir": compress(dir_stream(project_name, mods))}
    for m in mods:
        streams[f"VBA/{m.name}"] = compress(_text(m.code))
    return compound_file(streams)


# -- [MS-CFB]: a version 3 compound file --------------------------------------------------------------
_SECTOR, _MINI_SECTOR, _MINI_CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    start: int = ENDOFCHAIN
    sid: int = 0


def _cfb_key(name: str) -> tuple[int, str]:
    """Directory entries of one storage are ordered by name length, then by upper case."""
    return (len(name), name.upper())


def _tree(nodes: list[_Entry], depth: int, max_depth: int) -> int:
    """A balanced binary search tree of ``nodes`` (sorted), coloured as a red-black tree:
    the nodes on an unfilled deepest level red, all others black."""
    if not nodes:
        return NOSTREAM
    mid = len(nodes) // 2
    node = nodes[mid]
    node.left = _tree(nodes[:mid], depth + 1, max_depth)
    node.right = _tree(nodes[mid + 1:], depth + 1, max_depth)
    node.black = not (depth == max_depth and depth > 0)
    return node.sid


def _depth(n: int) -> int:
    """The deepest level (root 0) of a midpoint tree of ``n`` nodes."""
    return n.bit_length() - 1


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file ([MS-CFB] version 3, 512-byte sectors) holding ``streams``, named
    by path (``"VBA/dir"``). Streams under 4096 bytes go to the mini stream."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        *storages, name = path.split("/")
        node = root
        for part in storages:
            node = node.children.setdefault(part, _Entry(part, 1))
        node.children[name] = _Entry(name, 2, bytes(data))
    entries = [root]

    def place(storage: _Entry) -> None:
        kids = sorted(storage.children.values(), key=lambda e: _cfb_key(e.name))
        keys = [_cfb_key(k.name) for k in kids]
        assert len(set(keys)) == len(keys), "two entries of one storage differ only in case"
        for kid in kids:
            assert len(kid.name) <= 31 and kid.name.isascii(), kid.name
            kid.sid = len(entries)
            entries.append(kid)
        deepest = _depth(len(kids))
        full = len(kids) == (1 << (deepest + 1)) - 1
        storage.child = _tree(kids, 0, deepest if not full else -1)
        for kid in kids:
            if kid.kind == 1:
                place(kid)

    place(root)
    streams_ = [e for e in entries if e.kind == 2]
    small = [e for e in streams_ if 0 < len(e.data) < _MINI_CUTOFF]
    large = [e for e in streams_ if len(e.data) >= _MINI_CUTOFF]

    # the mini stream and its allocation table
    mini = bytearray()
    minifat: list[int] = []
    for e in small:
        e.start = len(mini) // _MINI_SECTOR
        count = -(-len(e.data) // _MINI_SECTOR)
        mini += e.data.ljust(count * _MINI_SECTOR, b"\x00")
        minifat += [e.start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]

    def sectors(n_bytes: int) -> int:
        return -(-n_bytes // _SECTOR)

    n_dir = sectors(len(entries) * 128)
    n_minifat = sectors(len(minifat) * 4)
    n_mini = sectors(len(mini))
    n_data = n_dir + n_minifat + n_mini + sum(sectors(len(e.data)) for e in large)
    n_fat = 1
    while n_fat * (_SECTOR // 4) < n_data + n_fat:
        n_fat += 1
    assert n_fat <= 109, "more than 109 FAT sectors needs DIFAT sectors"

    fat = [FATSECT] * n_fat
    body = bytearray()

    def chain(data: bytes) -> int:
        start, count = len(fat), sectors(len(data))
        fat.extend([start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN])
        body.extend(data.ljust(count * _SECTOR, b"\x00"))
        return start

    # directory entries: filled in once every start sector is known
    dir_start = len(fat)
    fat.extend([dir_start + i + 1 for i in range(n_dir - 1)] + [ENDOFCHAIN])
    body.extend(bytes(n_dir * _SECTOR))
    minifat_start = chain(b"".join(struct.pack("<I", x) for x in minifat).ljust(
        n_minifat * _SECTOR, b"\xff")) if minifat else ENDOFCHAIN
    root.start = chain(bytes(mini)) if mini else ENDOFCHAIN
    root.data = bytes(mini)
    for e in large:
        e.start = chain(e.data)
    fat.extend([FREESECT] * (n_fat * (_SECTOR // 4) - len(fat)))

    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\x00\x00"
        size = len(e.data) if e.kind in (2, 5) else 0
        start = e.start if e.kind in (2, 5) and size else (ENDOFCHAIN if e.kind != 1 else 0)
        directory += struct.pack("<64sHBBIII16sIQQIQ", name, len(name), e.kind, 1 if e.black else 0,
                                 e.left, e.right, e.child, bytes(16), 0, 0, 0, start, size)
    while len(directory) < n_dir * _SECTOR:
        directory += struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                                 bytes(16), 0, 0, 0, 0, 0)
    body[0:len(directory)] = directory

    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16),
                         0x003E, 3, 0xFFFE, 9, 6, bytes(6), 0, n_fat, dir_start, 0, _MINI_CUTOFF,
                         minifat_start, n_minifat, ENDOFCHAIN, 0)
    header += struct.pack("<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + bytes(body)


# -- the package ------------------------------------------------------------------------------------
_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="{ADDIN_CONTENT_TYPE}"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
<Override PartName="/xl/vbaProject.bin" ContentType="{VBA_CONTENT_TYPE}"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>"""

_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
<Relationship Id="rId4" Type="{CUSTOMUI_REL}" Target="{CUSTOMUI_PART}"/>\
</Relationships>"""

# rId3 is the config sheet's id in the template's workbook.xml
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
</Relationships>"""

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>Nhân đạo (xl_nhandao)</dc:title>\
<dc:description>Thẻ Nhân đạo: kiểm tra, tổng hợp và báo cáo sổ Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo”.</dc:description>\
<dc:creator>xl_nhandao</dc:creator>\
</cp:coreProperties>"""

_SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def config_sheet(config: Mapping[str, str]) -> tuple[bytes, bytes]:
    """The config sheet and its shared strings: a setting's name in column A, its value in
    column B, from row 1 down without a gap (xlwings' ``GetConfigFromSheet`` reads A1 down
    to the first empty cell). A setting with an empty value would hide the same setting in
    the config file, so only set ones are written."""
    rows = [(k, v) for k, v in config.items() if v]
    strings = [s for row in rows for s in row]
    cells = "".join(
        f'<row r="{i}"><c r="A{i}" t="s"><v>{2 * i - 2}</v></c><c r="B{i}" t="s"><v>{2 * i - 1}</v></c></row>'
        for i in range(1, len(rows) + 1))
    dimension = f"A1:B{len(rows)}" if rows else "A1"
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<worksheet xmlns="{_SPREADSHEET_NS}" xmlns:r="{_REL_NS}"><sheetPr codeName="Sheet1"/>'
             f'<dimension ref="{dimension}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
             f'<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="32" customWidth="1"/>'
             f'<col min="2" max="2" width="80" customWidth="1"/></cols><sheetData>{cells}</sheetData>'
             f'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
             f"</worksheet>")
    items = "".join(f'<si><t xml:space="preserve">{_xml_text(s)}</t></si>' for s in strings)
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<sst xmlns="{_SPREADSHEET_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')
    return sheet.encode("utf-8"), sst.encode("utf-8")


def read_config(xlam: bytes | str | os.PathLike[str]) -> dict[str, str]:
    """The settings in an add-in's config sheet."""
    from lxml import etree

    source = io.BytesIO(xlam) if isinstance(xlam, bytes) else xlam
    with zipfile.ZipFile(source) as z:
        sheet = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
        sst = etree.fromstring(z.read("xl/sharedStrings.xml"))
    ns = {"s": _SPREADSHEET_NS}
    strings = ["".join(si.itertext()) for si in sst.iterfind("s:si", ns)]
    out = {}
    for row in sheet.iterfind("s:sheetData/s:row", ns):
        cells = [strings[int(c.findtext("s:v", namespaces=ns))] for c in row.iterfind("s:c", ns)]
        if len(cells) == 2:
            out[cells[0]] = cells[1]
    return out


def _workbook_xml(template: bytes) -> bytes:
    """The template's workbook part with the config sheet renamed (its leading underscore,
    which switches xlwings' sheet off, dropped) and without the template author's folder."""
    from lxml import etree

    root = etree.fromstring(template)
    ns = {"s": _SPREADSHEET_NS, "mc": _MC_NS}
    sheets = root.findall("s:sheets/s:sheet", ns)
    if len(sheets) != 1 or sheets[0].get(f"{{{_REL_NS}}}id") != "rId3":
        raise RunError("addin-sources", detail="quickstart_addin_ribbon.xlam (xl/workbook.xml)",
                       detail_en="quickstart_addin_ribbon.xlam (xl/workbook.xml)")
    sheets[0].set("name", CONFIG_SHEET)
    for alt in root.findall("mc:AlternateContent", ns):
        root.remove(alt)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


#: Fixed timestamps in the zip: the same sources build the same bytes.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def addin_bytes(config: Mapping[str, str] | None = None, macros: Path | None = None) -> bytes:
    """The add-in package, with ``config`` (xlwings settings such as ``Interpreter_Win``) in
    its config sheet. Without config, RunPython finds Python through the user config file
    ``~/.xl_nhandao/xl_nhandao.conf`` or the ``python`` on the PATH."""
    macros = macros or macros_dir()
    mods = modules(macros)
    with zipfile.ZipFile(macros / "xlwings" / "quickstart_addin_ribbon.xlam") as template:
        kept = {name: template.read(name) for name in ("xl/styles.xml", "xl/theme/theme1.xml", "docProps/app.xml")}
        workbook = _workbook_xml(template.read("xl/workbook.xml"))
    ribbon = (macros / "customUI.xml").read_bytes()
    sheet, strings = config_sheet(dict(config or {"ADD_WORKBOOK_TO_PYTHONPATH": "false"}))
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.encode("utf-8"),
        "_rels/.rels": _ROOT_RELS.encode("utf-8"),
        "docProps/core.xml": _CORE.encode("utf-8"),
        "docProps/app.xml": kept["docProps/app.xml"],
        CUSTOMUI_PART: ribbon,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.encode("utf-8"),
        "xl/styles.xml": kept["xl/styles.xml"],
        "xl/theme/theme1.xml": kept["xl/theme/theme1.xml"],
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": strings,
        "xl/vbaProject.bin": vba_project(mods),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buffer.getvalue()


def is_addin(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is an add-in this module built (its ribbon is the Nhân đạo tab)."""
    try:
        with zipfile.ZipFile(path) as z:
            ribbon = z.read(CUSTOMUI_PART)
            z.getinfo("xl/vbaProject.bin")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return re.search(rb'<tab\s[^>]*id="' + TAB_ID.encode() + rb'"', ribbon) is not None


def write_addin(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, so a failure leaves
    the old file as it was; the file gets the mode of the one it replaces, else the mode
    any new file gets (not the 0600 of the temporary file). (The add-in's build stands
    apart from the workbook outputs: this is :func:`~xl_nhandao.workbook.output.write_atomic`
    for bytes.)"""
    fd, tmp = tempfile.mkstemp(prefix=".xl_nhandao-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def build(output: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Build the add-in into ``output`` (an ``.xlam``) and return its path. An existing
    file is replaced only if it is an add-in built here, or with ``force``.

    Raises :class:`~xl_nhandao.errors.OutputError` when it cannot be written there (the
    checks and messages of :func:`~xl_nhandao.workbook.output.check_output`)."""
    path = Path(output)
    if path.suffix.lower() != ".xlam":
        raise RunError("output-suffix", path=str(path), suffix=".xlam")
    if path.is_dir():
        raise RunError("output-unwritable", path=str(path), detail="là thư mục", detail_en="it is a folder")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RunError("output-folder-missing", path=str(path), folder=str(folder))
    if path.exists() and not force and not is_addin(path):
        raise RunError("output-exists", path=str(path))
    data = addin_bytes()
    try:
        write_addin(path, data)
    except OSError as exc:
        raise RunError("output-unwritable", path=str(path), detail=exc.strerror or str(exc),
                       detail_en=exc.strerror or str(exc)) from None
    return path
