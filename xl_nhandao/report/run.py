"""``xl-nhandao report`` end to end (SPEC §5.5): the fields' values from a consolidation
(:mod:`.fields`, :mod:`.narrative`), a template by name (``templates/``) or by file, the
Excel filler (:mod:`.fill`) or the Word one (:mod:`.narrative`), the output written
atomically and never over the template, and a PDF when LibreOffice is on the PATH."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..errors import RunError
from ..i18n import Lang, fmt_int
from .fields import CATALOGUE, LISTS, NAMES, Options, ReportData, report_data
from .narrative import SENTENCES, sentences

COMMAND = "report"
def _templates_dir() -> Path:
    """The shipped templates: ``templates/`` of the source tree, else (an installed
    wheel) ``xl_nhandao/report/templates``."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "templates", here / "templates"):
        if candidate.is_dir() and any(candidate.glob("*.xlsx")):
            return candidate
    return here / "templates"


TEMPLATES = _templates_dir()
SUFFIXES = (".xlsx", ".docx")
#: Shipped templates that are notices (Thông báo, numbered …/TB-…), not reports (…/BC-…).
NOTICES = frozenset({"so-nop-bao-cao"})

#: Titles of the shipped templates (others show their file name).
TITLES = {
    "bang-so-lieu": "Bảng số liệu kết quả Cuộc vận động (quý, 6 tháng, năm): chỉ số và từng đơn vị",
    "danh-sach-dia-chi": "Danh sách địa chỉ nhân đạo đề xuất trong kỳ (khảo sát, phê duyệt, cập nhật iNHANDAO)",
    "bang-so-lieu-6-thang": "Bảng số liệu kèm báo cáo sơ kết 6 tháng",
    "bang-so-lieu-nam": "Bảng số liệu kèm báo cáo tổng kết năm",
    "so-nop-bao-cao": "Sổ theo dõi nộp báo cáo của các đơn vị (gửi lại đơn vị)",
    "bao-cao-6-thang": "Dự thảo báo cáo sơ kết 6 tháng (Word)",
    "bao-cao-nam": "Dự thảo báo cáo tổng kết năm (Word)",
}


def shipped() -> list[Path]:
    """The shipped templates, by name."""
    if not TEMPLATES.is_dir():
        return []
    return sorted(p for p in TEMPLATES.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")))


def find_template(name: str) -> Path:
    """A template by name (``bang-so-lieu-6-thang``) or by file."""
    path = Path(name)
    if path.exists():
        return path
    for p in shipped():
        if p.stem == name or p.name == name:
            return p
    if path.suffix.lower() in SUFFIXES:  # a file that is not there
        raise RunError("file-not-found", path=str(path))
    raise RunError("template-name-unknown", name=name, names=", ".join(p.stem for p in shipped()))


def filters(style: str = "bac") -> dict[str, object]:
    """The template language's filters (SPEC §5.5)."""
    from .words import amount_words, official_date

    def chu(v: object) -> object:
        # a fraction is an error (words-fraction), never cut off to the whole đồng
        return amount_words(v, style=style) if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    def ngay_van_ban(v: object) -> object:
        if isinstance(v, datetime):
            v = v.date()
        return official_date(v) if isinstance(v, date) else v

    def ngay(v: object) -> object:
        return v.strftime("%d/%m/%Y") if isinstance(v, date) else v

    def hoa(v: object) -> object:
        return v.upper() if isinstance(v, str) else v

    def so(v: object) -> object:
        return fmt_int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v  # type: ignore[arg-type]

    return {"chu": chu, "ngay_van_ban": ngay_van_ban, "ngay": ngay, "hoa": hoa, "so": so}


def catalogue() -> list[dict[str, str]]:
    """Every field a template may name, with its description (``templates --json``)."""
    docs = [f.as_json() for f in CATALOGUE]
    docs += [{"name": k, "description": vi, "description_en": en, "kind": "text"} for k, (vi, en) in SENTENCES.items()]
    return docs


def fields_of(template: Path) -> list[str]:
    """The field names a template uses, in the order they first appear."""
    if template.suffix.lower() == ".docx":
        from .narrative import fields_of_docx

        return fields_of_docx(template)
    from .fill import scan_template

    found = [str(name) for name in scan_template(template, template_data(None)).fields]  # type: ignore[arg-type]
    return list(dict.fromkeys(found))


def shipped_templates() -> list[dict[str, object]]:
    """The shipped templates' ``name``, ``title`` and ``file``, without opening them."""
    return [{"name": p.stem, "title": TITLES.get(p.stem, p.stem), "file": str(p)} for p in shipped()]


def template_list() -> list[dict[str, object]]:
    docs = {d["name"]: d for d in catalogue()}
    return [{**t, "fields": [docs.get(n, {"name": n, "description": "", "description_en": "", "kind": "text"})
                             for n in fields_of(Path(str(t["file"])))]} for t in shipped_templates()]


@dataclass
class ReportResult:
    output: Path
    template: Path
    pdf: Path | None = None
    fields: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    notices: list[tuple[str, str]] = field(default_factory=list)  # (vi, en)

    def as_json(self, lang: Lang = "vi") -> dict[str, object]:
        return {"output": str(self.output), "template": self.template.stem, "pdf": str(self.pdf) if self.pdf else None,
                "fields": self.fields, "rows": self.rows,
                "notices": [vi if lang == "vi" else en for vi, en in self.notices]}


def make_data(source: Path, *, period: str | None, options: Options, style: str, today: date | None) -> ReportData:
    from .words import amount_words

    data = report_data(source, period=period, options=options, today=today)
    data.scalars.update(sentences(data.scalars, data.lists, lambda v: amount_words(v, style=style)))
    return data


def output_suffix(template: Path) -> str:
    """The report's suffix for a template: its own, but an Excel template (``.xltx``)
    gives a workbook (``.xlsx``)."""
    suffix = template.suffix.lower()
    return ".xlsx" if suffix == ".xltx" else suffix


def report(source: Path, template: str | Path, output: Path, *, period: str | None = None,
           options: Options | None = None, pdf: bool = False, force: bool = False, style: str = "bac",
           today: date | None = None) -> ReportResult:
    """Fill ``template`` from the consolidation ``source`` into ``output``."""
    from ..workbook.output import check_output

    if not source.exists():
        raise RunError("file-not-found", path=str(source))
    tpl = find_template(str(template))
    suffix = output_suffix(tpl)
    if output.suffix.lower() != suffix:
        raise RunError("output-suffix", path=str(output), suffix=suffix)
    check_output(output, [source, tpl], suffix=suffix, force=force, command=COMMAND)
    options = options or Options()
    if options.number is None and tpl.stem in NOTICES:  # a notice is numbered TB, a report BC
        options = replace(options, number="      /TB-HCTĐ")
    data = make_data(source, period=period, options=options, style=style, today=today)
    lost: list[tuple[str, str]] = []
    if tpl.suffix.lower() == ".docx":
        used = _fill_word(tpl, data, output, style)
    else:
        used, lost = _fill_excel(tpl, data, output, style)
    result = ReportResult(output, tpl, fields=sorted(used), notices=list(lost))
    result.rows = {k: len(v) for k, v in data.lists.items() if any(u.startswith(k + ".") for u in used)}
    if pdf:
        result.pdf, notice = to_pdf(output, force=force)
        if notice:
            result.notices.append(notice)
    return result


def _fill_word(tpl: Path, data: ReportData, output: Path, style: str) -> set[str]:
    from ..workbook.output import write_atomic
    from .narrative import fill_docx

    used: list[str] = []
    write_atomic(output, lambda tmp: used.extend(fill_docx(tpl, tmp, template_data(data, style))))  # type: ignore[arg-type]
    return set(used)


def template_data(data: ReportData | None, style: str = "bac") -> object:
    """The filler's view of the fields: every catalogued field known even when the
    report has no value for it (``data`` None: names only, for listing a template)."""
    from .fill import TemplateData

    scalars: dict[str, object] = {n: None for n in NAMES if n.split(".", 1)[0] not in LISTS}
    scalars.update(dict.fromkeys(SENTENCES))
    lists: dict[str, list[dict[str, object]]] = {p: [] for p in LISTS}
    if data is not None:
        scalars.update(data.scalars)
        lists.update(data.lists)
    list_fields = {p: {n.split(".", 1)[1] for n in NAMES if n.startswith(p + ".")} for p in LISTS}
    return TemplateData(scalars, lists, filters(style), list_fields)  # type: ignore[arg-type]


def _fill_excel(tpl: Path, data: ReportData, output: Path, style: str) -> tuple[set[str], list[tuple[str, str]]]:
    """Fill an Excel template; the fields used, and what of the template openpyxl could
    not keep (shapes, slicers…), as notices."""
    from .fill import fill_template

    result = fill_template(tpl, template_data(data, style), output, force=True)  # type: ignore[arg-type]
    return set(result.fields), list(result.lost)


def to_pdf(path: Path, force: bool = False) -> tuple[Path | None, tuple[str, str] | None]:
    """``path`` converted to PDF beside it by LibreOffice (headless), or a notice saying
    why not. An existing PDF of that name is replaced only with ``force``."""
    out = path.with_suffix(".pdf")
    if out.exists() and not force:
        return None, (f"Không ghi PDF: đã có tệp {out.name} (thêm --force để thay).",
                      f"No PDF written: {out.name} exists (add --force to replace it).")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None, ("Không tạo được PDF: máy chưa cài LibreOffice (lệnh soffice). Tệp báo cáo vẫn đã được ghi.",
                      "No PDF: LibreOffice (the soffice command) is not installed. The report itself was written.")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                            "pdf", "--outdir", tmp, str(path)], capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired):
            made = None
        else:
            made = Path(tmp) / (path.stem + ".pdf")
        if made is None or not made.is_file():
            return None, ("Không tạo được PDF: LibreOffice không chuyển được tệp. Tệp báo cáo vẫn đã được ghi.",
                          "No PDF: LibreOffice could not convert the file. The report itself was written.")
        tmp_out = out.with_name(f".{out.name}.tmp")
        shutil.copyfile(made, tmp_out)
        tmp_out.replace(out)
    return out, None
