"""The Excel add-in as built on Linux, checked without Excel: the package's parts, content
types and relationships; the ribbon against the Open XML SDK's customUI schema and the
dispatcher's tags; the VBA project read back from ``vbaProject.bin`` by independent readers
(oletools, olefile, LibreOffice) and compared with the sources; the vendored xlwings files
against the pinned version; install and uninstall into temporary folders."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path, PureWindowsPath

import pytest
from lxml import etree

from xl_nhandao.addin import build, install
from xl_nhandao.errors import InputError, OutputError, RunError, UsageError

olefile = pytest.importorskip("olefile")
olevba = pytest.importorskip("oletools.olevba")

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
NS = {"ui": build.CUSTOMUI_NS}
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

#: The buttons agreed with the dispatcher, with their SPEC §6 labels.
AGREED = {"validate": "Kiểm tra dữ liệu", "clear_marks": "Xóa đánh dấu", "assign_codes": "Cấp mã địa chỉ",
          "convert_legacy": "Chuyển mã chữ cũ", "consolidate_folder": "Tổng hợp thư mục",
          "overlap": "Kiểm tra trùng lặp", "report": "Lập báo cáo", "about": "Giới thiệu"}


def pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def dispatcher_tags() -> dict[str, object] | None:
    """The dispatcher's ``TAGS`` (tag → (label, handler, icon)) once it exists."""
    if importlib.util.find_spec("xl_nhandao.addin.dispatch") is None:
        return None
    from xl_nhandao.addin.dispatch import TAGS

    return dict(TAGS)


@pytest.fixture(scope="module")
def xlam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build(tmp_path_factory.mktemp("addin") / "xl_nhandao.xlam")


@pytest.fixture(scope="module")
def parts(xlam: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(xlam) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def vba(xlam: Path) -> dict[str, str]:
    """Module name → source (line ends as LF), as oletools reads them back from vbaProject.bin."""
    parser = olevba.VBA_Parser(str(xlam))
    try:
        assert parser.detect_vba_macros()
        return {vba_file.rsplit(".", 1)[0]: code.replace("\r\n", "\n")
                for _, _, vba_file, code in parser.extract_macros()}
    finally:
        parser.close()


def ribbon(parts: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(parts[build.CUSTOMUI_PART])


def lf(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n")


# -- the package ------------------------------------------------------------------------------------
def test_the_build_repeats_byte_for_byte(xlam: Path) -> None:
    assert build.addin_bytes() == xlam.read_bytes()


def test_the_package_has_the_parts_of_a_macro_enabled_addin(parts: dict[str, bytes]) -> None:
    assert set(parts) == {
        "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", build.CUSTOMUI_PART,
        "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/theme/theme1.xml",
        "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/vbaProject.bin"}
    types = etree.fromstring(parts["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT_NS}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{CT_NS}Default")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    for name in parts:  # every part has a content type
        if name != "[Content_Types].xml":
            assert f"/{name}" in overrides or name.rsplit(".", 1)[1] in defaults, name


def test_every_relationship_points_at_a_part(parts: dict[str, bytes]) -> None:
    rels = {r.get("Type").rsplit("/", 1)[1]: r for r in etree.fromstring(parts["_rels/.rels"]).iter(f"{REL_NS}Relationship")}
    ui = rels["extensibility"]
    # the 2009/07 customUI part hangs from the package root by the 2007 relationship type
    assert ui.get("Type") == "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    assert ui.get("Target") == build.CUSTOMUI_PART
    assert rels["officeDocument"].get("Target") == "xl/workbook.xml"
    for rels_part, base in (("_rels/.rels", ""), ("xl/_rels/workbook.xml.rels", "xl/")):
        for rel in etree.fromstring(parts[rels_part]).iter(f"{REL_NS}Relationship"):
            assert base + rel.get("Target") in parts, (rels_part, rel.get("Target"))
    workbook_rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(parts["xl/_rels/workbook.xml.rels"])}
    assert "vbaProject.bin" in workbook_rels.values()
    sheet = etree.fromstring(parts["xl/workbook.xml"]).find(
        "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheets/")
    assert workbook_rels[sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")] \
        == "worksheets/sheet1.xml"


def test_the_package_is_valid_against_the_open_xml_sdk_schemas(xlam: Path, tmp_path: Path) -> None:
    """openxml-audit carries the Open XML SDK's schemas, the customUI 2009/07 one included;
    a ribbon it must refuse shows that it looks at ours."""
    audit = pytest.importorskip("openxml_audit")
    result = audit.OpenXmlValidator().validate(str(xlam))
    assert result.is_valid and result.errors == []
    broken = tmp_path / "hong.xlam"
    with zipfile.ZipFile(xlam) as src, zipfile.ZipFile(broken, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == build.CUSTOMUI_PART:
                data = data.replace(b'size="large"', b'size="huge"', 1)
            out.writestr(name, data)
    result = audit.OpenXmlValidator().validate(str(broken))
    assert not result.is_valid and "size" in str(result.errors[0])


# -- the ribbon --------------------------------------------------------------------------------------
#: The attributes [MS-CUSTOMUI] allows on the elements the ribbon uses (the SDK's schema
#: check above does not flag an unknown attribute, and Excel then drops the whole tab).
ALLOWED = {
    "customUI": {"onLoad", "loadImage"},
    "ribbon": {"startFromScratch"},
    "tabs": set(),
    "tab": {"id", "idQ", "idMso", "tag", "label", "getLabel", "visible", "getVisible", "keytip", "getKeytip",
            "insertAfterMso", "insertBeforeMso", "insertAfterQ", "insertBeforeQ"},
    "group": {"id", "idQ", "idMso", "tag", "label", "getLabel", "image", "imageMso", "getImage", "visible",
              "getVisible", "keytip", "getKeytip", "screentip", "getScreentip", "supertip", "getSupertip",
              "insertAfterMso", "insertBeforeMso", "insertAfterQ", "insertBeforeQ", "autoScale",
              "centerVertically"},
    "button": {"id", "idQ", "idMso", "tag", "label", "getLabel", "onAction", "enabled", "getEnabled",
               "description", "getDescription", "image", "imageMso", "getImage", "size", "getSize", "visible",
               "getVisible", "keytip", "getKeytip", "screentip", "getScreentip", "supertip", "getSupertip",
               "showLabel", "getShowLabel", "showImage", "getShowImage", "insertAfterMso", "insertBeforeMso",
               "insertAfterQ", "insertBeforeQ"},
}


def unknown_attributes(root: etree._Element) -> list[str]:
    out = []
    for el in root.iter(etree.Element):
        tag = etree.QName(el).localname
        if etree.QName(el).namespace != build.CUSTOMUI_NS or tag not in ALLOWED:
            out.append(f"<{tag}>")
            continue
        out += [f"{tag}@{a}" for a in el.attrib if a not in ALLOWED[tag]]
    return out


def test_the_ribbon_uses_only_known_elements_and_attributes(parts: dict[str, bytes]) -> None:
    root = ribbon(parts)
    assert etree.QName(root).namespace == "http://schemas.microsoft.com/office/2009/07/customui"
    assert unknown_attributes(root) == []
    wrong = etree.fromstring(parts[build.CUSTOMUI_PART].replace(b'onAction="', b'onaction="', 1))
    assert unknown_attributes(wrong) == ["button@onaction"]


def test_every_button_has_a_unique_id_and_a_tag_the_dispatcher_handles(parts: dict[str, bytes]) -> None:
    root = ribbon(parts)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    tab = root.find("ui:ribbon/ui:tabs/ui:tab", NS)
    assert tab.get("id") == build.TAB_ID and tab.get("label") == "Nhân đạo"
    buttons = root.findall(".//ui:button", NS)
    tags = [b.get("tag") for b in buttons]
    assert len(tags) == len(set(tags))
    handled = dispatcher_tags()
    assert set(tags) == set(handled if handled is not None else AGREED)
    for b in buttons:
        assert b.get("onAction") == build.CALLBACK  # the one callback, whatever the button
        assert re.fullmatch(r"[a-z_]+", b.get("tag"))  # safe inside the Python command's quotes
        assert b.get("label") == AGREED[b.get("tag")] and b.get("imageMso")
        if handled is not None:
            label, handler, icon = entry(handled[b.get("tag")])
            assert (b.get("label"), b.get("imageMso")) == (label, icon)
            assert callable(handler) or isinstance(handler, str)


def test_the_ribbon_check_follows_the_dispatcher(parts: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    """Once ``dispatch.TAGS`` exists the check above compares labels and icons with it: a
    table that agrees passes, one that differs in an icon or misses a tag fails."""
    buttons = ribbon(parts).findall(".//ui:button", NS)
    table = {b.get("tag"): (b.get("label"), print, b.get("imageMso")) for b in buttons}
    this = sys.modules[__name__]
    monkeypatch.setattr(this, "dispatcher_tags", lambda: dict(table))
    test_every_button_has_a_unique_id_and_a_tag_the_dispatcher_handles(parts)
    for changed in ({**table, "about": ("Giới thiệu", print, "HappyFace")},
                    {k: v for k, v in table.items() if k != "report"}):
        monkeypatch.setattr(this, "dispatcher_tags", lambda changed=changed: changed)
        with pytest.raises(AssertionError):
            test_every_button_has_a_unique_id_and_a_tag_the_dispatcher_handles(parts)


def entry(value: object) -> tuple[object, object, object]:
    """A ``TAGS`` entry as (label, handler, icon): a tuple, or an object naming them."""
    if isinstance(value, tuple | list):
        return value[0], value[1], value[2]
    return value.label, value.handler, value.icon  # type: ignore[attr-defined]


# -- the VBA ------------------------------------------------------------------------------------------
def test_the_one_callback_is_in_the_vba_read_back(parts: dict[str, bytes], vba: dict[str, str]) -> None:
    module, sub = build.CALLBACK.split(".")
    assert re.search(rf"^Public Sub {sub}\(control As IRibbonControl\)$", vba[module], re.M)
    callbacks = [m for code in vba.values() for m in re.findall(r"^(?:Public )?Sub (\w+)\(\w+ As IRibbonControl\)", code, re.M)]
    assert callbacks == [sub]
    assert {b.get("onAction") for b in ribbon(parts).iter(f"{{{build.CUSTOMUI_NS}}}button")} == {build.CALLBACK}
    assert """RunPython "import xl_nhandao.addin.dispatch as d; d.main('" & control.Tag & "')\"""" in vba[module]


def test_the_vba_read_back_equals_the_source(vba: dict[str, str]) -> None:
    assert set(vba) == {"ThisWorkbook", "Sheet1", "xlwings", "Dictionary", "NhanDao"}
    assert lf(vba["NhanDao"]) == lf((MACROS / "NhanDao.bas").read_text("ascii"))
    # xlwings' module: only the project name differs from the vendored file
    vendored = lf((MACROS / "xlwings" / "xlwings_custom_addin.bas").read_text("cp1252")).split("\n")
    read = lf(vba["xlwings"]).split("\n")
    assert len(read) == len(vendored)
    assert [(a, b) for a, b in zip(vendored, read) if a != b] == [
        ('Public Const PROJECT_NAME As String = "myaddin"', 'Public Const PROJECT_NAME As String = "xl_nhandao"')]
    # the class: the exported file's code, under the attributes Excel stores
    cls = lf((MACROS / "xlwings" / "Dictionary.cls").read_text("cp1252")).split("\n")
    code = lambda lines: [ln for ln in lines if not ln.startswith("Attribute VB_")]  # noqa: E731
    assert code(lf(vba["Dictionary"]).split("\n")) == code(cls[cls.index("END") + 1:])


def test_the_stored_modules_look_as_excel_stores_them() -> None:
    """Excel's own storage of the template's modules (read from its vbaProject.bin) is what
    our writer gives for the same sources: attributes of document and class modules."""
    with zipfile.ZipFile(MACROS / "xlwings" / "quickstart_addin_ribbon.xlam") as z:
        parser = olevba.VBA_Parser("template.xlam", data=z.read("xl/vbaProject.bin"))
    excel = {f.rsplit(".", 1)[0]: code for _, _, f, code in parser.extract_macros()}
    ours = {m.name: m.code for m in build.modules()}
    assert lf(ours["ThisWorkbook"]) == lf(excel["ThisWorkbook"])
    assert lf(ours["Sheet1"]) == lf(excel["Sheet2"]).replace("Sheet2", "Sheet1")
    # Excel folds the case of an identifier project-wide (``err.Raise``); nothing else differs
    assert re.sub(r"\bErr\.", "err.", lf(ours["Dictionary"])) == lf(excel["Dictionary"])
    assert lf(ours["xlwings"]).replace('"xl_nhandao"', '"myaddin"') == lf(excel["xlwings"])


def test_the_project_is_renamed_so_it_cannot_clash(parts: dict[str, bytes], vba: dict[str, str]) -> None:
    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]), raise_defects=olefile.DEFECT_INCORRECT)
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert 'Name="xl_nhandao"' in project.splitlines()
    assert [ln for ln in project.splitlines() if ln.startswith(("Module=", "Class=", "Document="))] == [
        "Document=ThisWorkbook/&H00000000", "Document=Sheet1/&H00000000", "Module=xlwings", "Class=Dictionary",
        "Module=NhanDao"]
    directory = bytes(olevba.decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    assert struct.pack("<HI", 4, 10) + b"xl_nhandao" in directory  # PROJECTNAME
    assert 'Public Const PROJECT_NAME As String = "xl_nhandao"' in vba["xlwings"]
    workbook = parts["xl/workbook.xml"].decode()
    assert re.findall(r'<sheet [^>]*name="([^"]+)"', workbook) == ["xl_nhandao.conf"]
    everything = b"".join(parts.values()).lower()
    for leftover in (b"myaddin", b"felix", b"absPath".lower(), b"ribbonmyaddin"):
        assert leftover not in everything


def test_the_vba_project_streams(parts: dict[str, bytes]) -> None:
    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]), raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("VBA/_VBA_PROJECT").read()[:4] == bytes.fromhex("cc61ffff")  # no p-code cache
    fields = dict(ln.split("=", 1) for ln in ole.openstream("PROJECT").read().decode("cp1252").splitlines()
                  if ln[:4] in ("ID=\"", "CMG=", "DPB=", "GC=\""))
    pid = fields["ID"].strip('"')
    assert build.decrypt(pid, fields["CMG"].strip('"')) == bytes(4)  # not protected
    assert build.decrypt(pid, fields["DPB"].strip('"')) == b"\x00"  # no password
    assert build.decrypt(pid, fields["GC"].strip('"')) == b"\xff"  # visible
    source = bytes(olevba.decompress_stream(bytearray(ole.openstream("VBA/NhanDao").read())))
    assert source.count(b"\r\n") == source.count(b"\n") > 50  # VBA's line ends: CRLF
    wm = ole.openstream("PROJECTwm").read()
    assert b"NhanDao\x00" + "NhanDao".encode("utf-16-le") + b"\x00\x00" in wm and wm.endswith(b"\x00\x00")


def test_the_decryption_reads_what_excel_wrote() -> None:
    """The template's protection fields, written by Excel, decrypt to "not protected, no
    password, visible": the project key and the algorithm are Excel's."""
    with zipfile.ZipFile(MACROS / "xlwings" / "quickstart_addin_ribbon.xlam") as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    fields = dict(ln.split("=", 1) for ln in ole.openstream("PROJECT").read().decode("cp1252").splitlines() if "=" in ln)
    pid = fields["ID"].strip('"')
    assert [build.decrypt(pid, fields[k].strip('"')) for k in ("CMG", "DPB", "GC")] == [bytes(4), b"\x00", b"\xff"]
    for seed in range(256):  # every seed round-trips, whatever ignored bytes it asks for
        assert build.decrypt(pid, build.encrypt(pid, b"\x01\x02\x03", seed)) == b"\x01\x02\x03"


def test_libreoffice_reads_the_vba_project(xlam: Path, tmp_path: Path) -> None:
    """A third reader of [MS-OVBA]: LibreOffice imports the project as a Basic library."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "xl_nhandao.xlam"
    shutil.copy(xlam, source)
    subprocess.run(["soffice", "--headless", "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    with zipfile.ZipFile(tmp_path / "xl_nhandao.ods") as z:
        basic = {n.rsplit("/", 1)[1][:-4]: z.read(n).decode() for n in z.namelist() if n.startswith("Basic/xl_nhandao/")
                 and not n.endswith("script-lb.xml")}
    assert set(basic) == {"ThisWorkbook", "Sheet1", "xlwings", "Dictionary", "NhanDao"}
    assert 'script:moduleType="class"' in basic["Dictionary"]
    assert "Public Sub NhanDaoClick(control As IRibbonControl)" in basic["NhanDao"]
    assert "Function RunPython(PythonCommand As String)" in basic["xlwings"]


def test_the_vba_messages_are_vietnamese() -> None:
    """VBA source is stored in Windows-1252: the messages are \\uXXXX escapes that U()
    decodes (emulated here); they must read as these sentences."""
    source = (MACROS / "NhanDao.bas").read_bytes()
    assert source.isascii()
    consts = dict(re.findall(r'^Private Const (\w+) As String = "([^"]*)"$', source.decode(), re.M))

    def u(text: str) -> str:  # the VBA function U(), line for line
        out, i = "", 0
        while i < len(text):
            if text[i:i + 2] == "\\u" and i + 5 < len(text):
                code = int(text[i + 2:i + 6], 16)
                assert code < 0x8000  # CLng("&H…") of four digits is an Integer: stay positive
                out += chr(code)
                i += 6
            else:
                out += text[i]
                i += 1
        return out

    assert {k: u(v) for k, v in consts.items()} == {
        "TITLE": "Nhân đạo",
        "MSG_NO_WORKBOOK": "Chưa có sổ Excel nào đang mở. Hãy mở sổ cần làm việc rồi bấm lại nút trên thẻ Nhân đạo.",
        "MSG_NO_PYTHON": "Không tìm thấy Python tại “{path}”. Hãy mở cửa sổ lệnh và chạy lại: xl-nhandao addin install",
        "MSG_RUNNING": "Nhân đạo: đang chạy…",
        "MSG_FAILED": "Bổ trợ Nhân đạo không gọi được Python (lỗi {n}). Hãy chạy lại lệnh xl-nhandao addin install; "
                      "nếu vẫn lỗi, hãy báo nhóm hỗ trợ kèm số lỗi này.",
    }


# -- the writer's pieces --------------------------------------------------------------------------
@pytest.mark.parametrize("size", [1, 2, 3, 100, 4095, 4096, 4097, 8192, 12345])
def test_compression_reads_back(size: int) -> None:
    rng = random.Random(size)
    text = "".join(rng.choice(["Dim x As Long\r\n", "End Sub\r\n", "a", "bb", "    ", "'"]) for _ in range(size))
    for data in (text.encode()[:size], b"A" * size):
        assert bytes(olevba.decompress_stream(bytearray(build.compress(data)))) == data
    noise = bytes(rng.randrange(256) for _ in range(size))
    if size % 4096 == 0 or size % 4096 < 3600:  # full chunks are stored raw
        assert bytes(olevba.decompress_stream(bytearray(build.compress(noise)))) == noise
    else:  # a short last chunk that does not shrink would need padding: refused, not corrupted
        with pytest.raises(ValueError):
            build.compress(noise)


def test_compression_of_the_real_modules_reads_back() -> None:
    for m in build.modules():
        data = m.code.encode("cp1252")
        packed = build.compress(data)
        assert bytes(olevba.decompress_stream(bytearray(packed))) == data
        assert len(packed) < len(data) * 0.6


def test_the_compound_file_holds_every_stream_in_a_red_black_tree() -> None:
    rng = random.Random(7)
    streams = {f"S{i:02d}": bytes(rng.randrange(256) for _ in range(rng.choice([1, 63, 64, 65, 4095, 4096, 9000])))
               for i in range(37)}
    streams |= {f"VBA/M{'x' * (i % 9)}{i}": bytes([i]) * (i * 300) for i in range(1, 23)}
    data = build.compound_file(streams)
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    assert {"/".join(p) for p in ole.listdir()} == set(streams)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content
    # the directory: every storage's children form a binary search tree, red-black
    first_dir = struct.unpack_from("<I", data, 48)[0]
    entries = []
    for sid in range(len(ole.direntries)):
        chunk_at = 512 + first_dir * 512
        # directory sectors are contiguous here (the writer lays them out in one run)
        raw = data[chunk_at + sid * 128: chunk_at + (sid + 1) * 128]
        name = raw[:struct.unpack_from("<H", raw, 64)[0]].decode("utf-16-le").rstrip("\x00")
        kind, color, left, right, child = struct.unpack_from("<BBIII", raw, 66)
        entries.append((name, kind, color, left, right, child))

    def check(sid: int, low: tuple | None, high: tuple | None) -> int:
        if sid == build.NOSTREAM:
            return 1
        name, _, color, left, right, _ = entries[sid]
        key = (len(name), name.upper())
        assert (low is None or low < key) and (high is None or key < high)
        if color == 0:  # red: no red child
            assert all(c == build.NOSTREAM or entries[c][2] == 1 for c in (left, right))
        lh, rh = check(left, low, key), check(right, key, high)
        assert lh == rh
        return lh + color

    for _name, kind, *_, child in entries:
        if kind in (1, 5):
            assert entries[child][2] == 1  # the root of a tree is black
            check(child, None, None)


def test_the_config_sheet_round_trips() -> None:
    config = {"Interpreter_Win": r"C:\Users\Nguyễn Văn A\Python 3.12\python.exe", "PYTHONPATH": "",
              "ADD_WORKBOOK_TO_PYTHONPATH": "false", "CONDA ENV": "a&b<c>"}
    data = build.addin_bytes(config)
    assert build.read_config(data) == {k: v for k, v in config.items() if v}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r'<c r="(\w+)"', sheet) == ["A1", "B1", "A2", "B2", "A3", "B3"]  # from A1, no gap
    assert build.read_config(build.addin_bytes()) == {"ADD_WORKBOOK_TO_PYTHONPATH": "false"}


# -- the pinned xlwings ------------------------------------------------------------------------------
def test_the_vendored_xlwings_is_the_pinned_version() -> None:
    vendored = build.Vendored.read(MACROS)
    extras = pyproject()["project"]["optional-dependencies"]
    assert extras["excel"] == [f"xlwings=={vendored.version}"]
    vendored.verify(MACROS)
    bas = (MACROS / "xlwings" / "xlwings_custom_addin.bas").read_bytes().decode("cp1252")
    v = re.escape(vendored.version)
    assert re.search(rf"^'Version: {v}\r$", bas, re.M)
    assert re.search(rf'^Public Const XLWINGS_VERSION As String = "{v}"\r$', bas, re.M)
    dlls = set(re.findall(r'Lib "(xlwings(?:32|64)-[\d.]+\.dll)"', bas))
    assert dlls == {f"xlwings32-{vendored.version}.dll", f"xlwings64-{vendored.version}.dll"}
    # the template's own xlwings module is this file
    with zipfile.ZipFile(MACROS / "xlwings" / "quickstart_addin_ribbon.xlam") as z:
        parser = olevba.VBA_Parser("template.xlam", data=z.read("xl/vbaProject.bin"))
    template = {f: code for _, _, f, code in parser.extract_macros()}["xlwings.bas"]
    assert lf(template) == lf(bas)
    assert "BSD 3-clause" in (MACROS / "xlwings" / "LICENSE.txt").read_text("utf-8") or \
        "Redistribution and use in source and binary forms" in (MACROS / "xlwings" / "LICENSE.txt").read_text("utf-8")


def test_an_installed_xlwings_has_the_same_files() -> None:
    version, folder = install.installed_xlwings()
    if version is None:
        pytest.skip("xlwings is not installed")
    vendored = build.Vendored.read(MACROS)
    if version != vendored.version:
        pytest.skip(f"xlwings {version} is installed, not the pinned {vendored.version}")
    for wheel_path, digest in vendored.files.values():
        if wheel_path.startswith("xlwings/"):
            assert hashlib.sha256((folder / wheel_path[len("xlwings/"):]).read_bytes()).hexdigest() == digest


def test_a_damaged_source_is_refused(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    bas = macros / "xlwings" / "xlwings_custom_addin.bas"
    bas.write_bytes(bas.read_bytes().replace(b"0.37.8", b"0.37.9"))
    with pytest.raises(InputError) as err:
        build.addin_bytes(macros=macros)
    assert err.value.code == "addin-sources" and "xlwings_custom_addin.bas" in err.value.message("vi")


# -- the build command --------------------------------------------------------------------------------
def test_build_writes_only_where_it_may(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as err:
        build.build(tmp_path / "bo-tro.xlsm")
    assert err.value.code == "output-suffix"
    with pytest.raises(OutputError) as err:
        build.build(tmp_path / "khong-co" / "xl_nhandao.xlam")
    assert err.value.code == "output-folder-missing"
    foreign = tmp_path / "xl_nhandao.xlam"
    foreign.write_bytes(b"someone else's add-in")
    with pytest.raises(OutputError) as err:
        build.build(foreign)
    assert err.value.code == "output-exists" and foreign.read_bytes() == b"someone else's add-in"
    assert build.build(foreign, force=True) == foreign and build.is_addin(foreign)
    foreign.write_bytes(build.addin_bytes({"Interpreter_Win": "x"}))  # our own: replaced without --force
    build.build(foreign)
    assert build.read_config(foreign.read_bytes()) == {"ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xl_nhandao.xlam"]  # no temporary file left


def test_the_package_lists_every_subpackage_and_ships_the_macros() -> None:
    config = pyproject()["tool"]["setuptools"]
    found = {".".join(p.relative_to(ROOT).parts) for p in (ROOT / "xl_nhandao").rglob("*")
             if p.is_dir() and p.name != "__pycache__" and any(p.glob("*.py"))}
    assert set(config["packages"]) == found | {"xl_nhandao", "xl_nhandao.addin.macros", "xl_nhandao.report.templates"}
    assert config["package-dir"]["xl_nhandao.addin.macros"] == "macros"
    shipped = config["package-data"]["xl_nhandao.addin.macros"]
    needed = {p.relative_to(MACROS).as_posix() for p in MACROS.rglob("*") if p.is_file() and p.name != ".gitattributes"}
    assert all(any(Path(n).match(g) for g in shipped) for n in needed), needed


# -- install and uninstall ------------------------------------------------------------------------------
PINNED = build.xlwings_version()


def test_install_says_excel_needs_windows_or_macos(tmp_path: Path) -> None:
    for call in (lambda: install.install(tmp_path, system="linux", xlwings=(PINNED, None)),
                 lambda: install.uninstall(tmp_path, system="linux")):
        with pytest.raises(UsageError) as err:
            call()
        assert err.value.code == "addin-platform"
        assert "\n" not in err.value.message("vi") and "Windows hoặc macOS" in err.value.message("vi")
    assert list(tmp_path.iterdir()) == []


def test_install_on_windows_writes_this_python_into_the_config_sheet(tmp_path: Path) -> None:
    python = r"C:\Users\Lan\AppData\Local\Programs\Python\Python312\python.exe"
    done = install.install(tmp_path, system="win32", python=python, xlwings=(PINNED, None))
    assert done.path == tmp_path / "xl_nhandao.xlam" and build.is_addin(done.path)
    config = build.read_config(done.path.read_bytes())
    assert config["Interpreter_Win"] == python and config["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"
    assert "Interpreter_Mac" not in config
    assert config == done.settings
    assert "Đã cài bổ trợ Excel" in done.summary("vi") and python in done.summary("en")


def test_pythonpath_only_for_a_package_outside_site_packages(tmp_path: Path) -> None:
    inside = Path(sysconfig.get_paths()["purelib"]) / "xl_nhandao"
    assert "PYTHONPATH" not in install.settings("win32", "python.exe", package_dir=inside)
    outside = tmp_path / "src" / "xl_nhandao"
    assert install.settings("darwin", "/usr/bin/python3", package_dir=outside) == {
        "Interpreter_Mac": "/usr/bin/python3", "ADD_WORKBOOK_TO_PYTHONPATH": "false",
        "PYTHONPATH": str(tmp_path / "src")}


def test_install_needs_the_pinned_xlwings(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        install.install(tmp_path, system="win32", xlwings=(None, None))
    assert err.value.code == "addin-xlwings-missing" and 'pip install "xl_nhandao[excel]"' in err.value.message("vi")
    with pytest.raises(UsageError) as err:
        install.install(tmp_path, system="win32", xlwings=("0.30.0", None))
    assert err.value.code == "addin-xlwings-version"
    assert f'pip install "xlwings=={PINNED}"' in err.value.message("vi")
    assert list(tmp_path.iterdir()) == []


def test_install_on_macos_also_places_xlwings_applescript(tmp_path: Path) -> None:
    xlwings_dir = tmp_path / "site" / "xlwings"
    xlwings_dir.mkdir(parents=True)
    (xlwings_dir / f"xlwings-{PINNED}.applescript").write_text("on VbaHandler(x)\nend VbaHandler\n")
    home = tmp_path / "home"
    done = install.install(system="darwin", python="/opt/py/bin/python3", xlwings=(PINNED, xlwings_dir), home=home)
    startup = home / "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
    assert done.path == startup / "xl_nhandao.xlam" and build.is_addin(done.path)
    script = home / "Library/Application Scripts/com.microsoft.Excel" / f"xlwings-{PINNED}.applescript"
    assert done.extra == [script] and script.read_text().startswith("on VbaHandler")
    assert build.read_config(done.path.read_bytes())["Interpreter_Mac"] == "/opt/py/bin/python3"
    assert install.uninstall(system="darwin", home=home).removed and not done.path.exists()
    assert script.exists()  # shared with other xlwings add-ins of that version


def test_the_startup_folder() -> None:
    assert install.startup_folder("win32", env={"APPDATA": r"C:\Users\Lan\AppData\Roaming"}) == \
        PureWindowsPath(r"C:\Users\Lan\AppData\Roaming\Microsoft\Excel\XLSTART")
    assert install.startup_folder("win32", env={}, home=r"C:\Users\Lan") == \
        PureWindowsPath(r"C:\Users\Lan\AppData\Roaming\Microsoft\Excel\XLSTART")
    with pytest.raises(UsageError):
        install.startup_folder("linux")


def test_install_and_uninstall_leave_a_foreign_file_alone(tmp_path: Path) -> None:
    foreign = tmp_path / "xl_nhandao.xlam"
    foreign.write_bytes(b"not ours")
    for call in (lambda: install.install(tmp_path, system="win32", python="p", xlwings=(PINNED, None)),
                 lambda: install.uninstall(tmp_path, system="win32")):
        with pytest.raises(OutputError) as err:
            call()
        assert err.value.code == "addin-foreign"
    assert foreign.read_bytes() == b"not ours"


def test_reinstall_replaces_and_uninstall_removes(tmp_path: Path) -> None:
    install.install(tmp_path, system="win32", python="old.exe", xlwings=(PINNED, None))
    install.install(tmp_path, system="win32", python="new.exe", xlwings=(PINNED, None))
    assert build.read_config((tmp_path / "xl_nhandao.xlam").read_bytes())["Interpreter_Win"] == "new.exe"
    removed = install.uninstall(tmp_path, system="win32")
    assert removed.removed and list(tmp_path.iterdir()) == []
    again = install.uninstall(tmp_path, system="win32")
    assert not again.removed and "chưa được cài" in again.summary("vi")


def test_an_add_in_held_open_by_excel_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(build, "write_addin", locked)
    with pytest.raises(RunError) as err:
        install.install(tmp_path, system="win32", python="p", xlwings=(PINNED, None))
    assert err.value.code == "output-unwritable"
    assert "Nếu tệp đang mở trong Excel, hãy đóng lại" in err.value.message("vi")


@pytest.mark.skipif(sys.platform in install.SUPPORTED, reason="this machine can run Excel")
def test_the_default_install_here_is_refused() -> None:
    with pytest.raises(UsageError) as err:
        install.install()
    assert err.value.code == "addin-platform"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_built_add_in_is_readable_as_any_new_file(tmp_path: Path) -> None:
    """The temporary file the add-in is written through is private (0600); the add-in
    gets the mode of the file it replaces, else the mode any new file gets."""
    mask = os.umask(0o022)
    try:
        out = build.build(tmp_path / "xl_nhandao.xlam")
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)
        build.build(out)
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(mask)
