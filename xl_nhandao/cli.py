"""The ``xl-nhandao`` command line (SPEC §5). Each command parses its options, makes one
library call (the public API, :mod:`xl_nhandao`) and renders the result; run failures
become one line and exit code 2.

Every text a user reads is Vietnamese, or English with ``--lang en`` (before or after the
command, or ``XLND_LANG=en``): the help pages too, click's own words included (the help
is laid out here, not by click), and the command-line errors click raises (turned into
one line here, from the exception's kind and parameter, never from click's English).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

import xl_nhandao as nd

from .errors import RunError
from .i18n import Lang, default_lang

# -- texts in two languages -----------------------------------------------------------
#: The English of each Vietnamese help text and metavar (typer keeps plain strings).
_EN: dict[str, str] = {}


def _t(vi: str, en: str) -> str:
    """A help text or metavar: the Vietnamese, with its English kept for ``--lang en``."""
    _EN[vi] = en
    return vi


def _in(text: str | None, lang: Lang) -> str:
    text = (text or "").strip()
    return _EN.get(text, text) if lang == "en" else text


#: click's own words, in both languages.
_WORDS: dict[str, tuple[str, str]] = {
    "usage": ("Cách dùng: ", "Usage: "),
    "arguments": ("Tham số", "Arguments"),
    "options": ("Tùy chọn", "Options"),
    "commands": ("Lệnh", "Commands"),
    "[OPTIONS]": ("[TÙY_CHỌN]", "[OPTIONS]"),
    "COMMAND": ("LỆNH [THAM_SỐ]...", "COMMAND [ARGS]..."),
    "required": ("bắt buộc", "required"),
    "default": ("mặc định: {}", "default: {}"),
    "help": ("Hiện hướng dẫn này rồi thoát.", "Show this message and exit."),
}


def _w(key: str, lang: Lang) -> str:
    vi, en = _WORDS[key]
    return vi if lang == "vi" else en


def _ctx_lang(ctx: Any) -> Lang:
    """The language of this run: set by :func:`main` from the command line (or by the
    root's ``--lang``), else the environment's default."""
    obj = ctx.find_root().obj if ctx is not None else None
    lang = obj.get("lang") if isinstance(obj, dict) else None
    return lang if lang in ("vi", "en") else default_lang()


# -- help pages -----------------------------------------------------------------------
def _metavar(param: Any, lang: Lang) -> str:
    text = _in(param.metavar, lang) if param.metavar else (param.name or "").upper()
    return text + ("..." if param.nargs != 1 else "")


def _param_name(param: Any, lang: Lang) -> str:
    """How a parameter is named in help and errors: ``TỆP``, ``-o/--output TỆP``, ``--json``."""
    if param.param_type_name == "argument":
        return _metavar(param, lang)
    name = "/".join(param.opts)
    return name if param.is_flag else f"{name} {_metavar(param, lang)}"


def _help_record(param: Any, ctx: Any, lang: Lang) -> tuple[str, str] | None:
    if getattr(param, "hidden", False):
        return None
    if param.name == "help":
        return ", ".join(sorted(param.opts, key=len)), _w("help", lang)
    if param.param_type_name == "argument":
        name = _metavar(param, lang)
    else:
        name = ", ".join(param.opts) + ("" if param.is_flag else " " + _metavar(param, lang))
    text = _in(param.help, lang)
    extra = []
    default = param.default
    if (param.show_default and not getattr(param, "is_flag", False) and not param.required
            and default not in (None, "", (), [])):
        extra.append(_w("default", lang).format(default))
    if param.required:
        extra.append(_w("required", lang))
    if extra:  # kept on one line: its spaces do not break (U+00A0)
        note = "[" + "; ".join(extra).replace(" ", "\u00a0") + "]"
        text = f"{text}  {note}" if text else note
    return name, text


def _usage(command: Any, ctx: Any, lang: Lang) -> str:
    pieces = [_w("[OPTIONS]", lang)]
    params = command.get_params(ctx)
    pieces += [_param_name(p, lang) for p in params if p.param_type_name == "option" and p.required]
    for p in params:
        if p.param_type_name == "argument":
            name = _metavar(p, lang)
            pieces.append(name if p.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append(_w("COMMAND", lang))
    return " ".join(pieces)


def _wrap(text: str, width: int, indent: int, first: str = "") -> list[str]:
    """``text`` wrapped at spaces only (never inside ``xl-nhandao`` or ``2024-H1``)."""
    import textwrap

    lines = textwrap.wrap(text, max(width - indent, 20), break_on_hyphens=False, break_long_words=False) or [""]
    pad = " " * indent
    return [(first.ljust(indent) if i == 0 and first else pad) + line for i, line in enumerate(lines)]


def _definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    """A two-column list, as click lays it out: names, then their help beside them."""
    col = min(max(len(name) for name, _ in rows), 30) + 4
    out = []
    for name, text in rows:
        if len(name) + 4 > col:
            out.append("  " + name)
            out += _wrap(text, width, col)
        else:
            out += _wrap(text, width, col, "  " + name)
    return out


def _format_help(command: Any, ctx: Any, formatter: Any) -> None:
    lang = _ctx_lang(ctx)
    width = min(formatter.width, 80)
    lines = _wrap(_usage(command, ctx, lang), width, len(_w("usage", lang) + ctx.command_path) + 1,
                  _w("usage", lang) + ctx.command_path)
    text = _in(command.help, lang)
    if text:
        lines += ["", *_wrap(text, width, 2)]
    records: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
    for p in command.get_params(ctx):
        rec = _help_record(p, ctx, lang)
        if rec is not None:
            records[p.param_type_name].append(rec)
    for kind, title in (("argument", "arguments"), ("option", "options")):
        if records[kind]:
            lines += ["", _w(title, lang) + ":", *_definitions(records[kind], width)]
    if isinstance(command, TyperGroup):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, _in(sub.short_help or sub.help, lang).split(". ")[0].rstrip(".")))
        if rows:
            lines += ["", _w("commands", lang) + ":", *_definitions(rows, width)]
    formatter.write("\n".join(lines) + "\n")


class _Command(TyperCommand):
    """A command whose help page speaks the run's language."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _format_help(self, ctx, formatter)


class _Group(TyperGroup):
    """The ``xl-nhandao`` group, its help page in the run's language."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _format_help(self, ctx, formatter)


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_t("Công cụ Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo”: tạo sổ mẫu, "
            "kiểm tra sổ, tổng hợp sổ các đơn vị, tìm trùng lặp với chương trình khác, lập báo cáo chính "
            "thức, bổ trợ Excel. Thêm --lang en để dùng tiếng Anh.",
            "Tools for the Red Cross campaign “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo” "
            "(every organisation and person linked with a humanitarian address): make the standard "
            "workbook, check registers, consolidate the units' workbooks, find overlaps with other "
            "programmes, fill the official reports, build the Excel add-in. Messages are Vietnamese unless "
            "--lang en is given."),
)

_FILE = _t("TỆP", "FILE")
LangOption = Annotated[
    Optional[str],
    typer.Option("--lang", metavar="vi|en", show_default=False,
                 help=_t("Ngôn ngữ thông báo: vi (mặc định) hoặc en; đặt trước hay sau tên lệnh đều được.",
                         "Language of messages: vi (default) or en; before or after the command.")),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help=_t("In đúng một tài liệu JSON ra stdout, không in gì khác.",
                                         "Print one JSON document on stdout and nothing else."))
]
ForceOption = Annotated[
    bool, typer.Option("--force", help=_t(
        "Cho phép thay tệp kết quả đã có dù đó không phải kết quả chưa sửa của chính lệnh này.",
        "Replace an existing output file even when it is not an unedited earlier output of this command."))
]


def _lang(ctx: Any, value: str | None) -> Lang:
    """The language: this ``--lang`` when given (checked), else the run's."""
    if value is None:
        return _ctx_lang(ctx)
    v = value.strip().lower()
    if v not in ("vi", "en"):
        name = ctx.command.name if ctx is not None and ctx.parent is not None else ""
        raise RunError("bad-argument", detail=f"--lang {value} (vi | en)", command=name or "")
    return v  # type: ignore[return-value]


def _print_json(doc: object) -> None:
    typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xl-nhandao {nd.__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True,
                           help=_t("In phiên bản rồi thoát.", "Print the version and exit."))
    ] = False,
    lang: LangOption = None,
) -> None:
    if lang is not None:
        lg = _lang(ctx, lang)
        if isinstance(ctx.obj, dict):
            ctx.obj["lang"] = lg
        else:
            ctx.obj = {"lang": lg}


@app.command("new-workbook", cls=_Command, help=_t(
    "Tạo sổ mẫu chuẩn XLND-1 cho một đơn vị (tên điền sẵn từ danh mục hành chính). Không ghi đè sổ đã có dữ "
    "liệu. Không có --period: năm vận động hiện tại; từ 25/11 đến 30/11 là năm vừa kết thúc (báo cáo năm).",
    "Create the XLND-1 standard workbook for a unit (names filled in from the code lists). A register "
    "holding data is never overwritten. Without --period: the current campaign year; from 25/11 to 30/11 "
    "the year just ended (the annual report)."))
def new_workbook_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("-o", "--output", metavar=_FILE, help=_t("Tệp .xlsx sẽ tạo.",
                                                                            "The .xlsx file to create."))],
    unit: Annotated[
        Optional[str],
        typer.Option("--unit", metavar=_t("MÃ", "CODE"), help=_t(
            "Mã đơn vị: tỉnh 2 số, huyện 3 số (hệ 2004), xã 5 số. Bỏ trống: mẫu trắng.",
            "Unit code: province 2 digits, district 3 (2004 scheme), commune 5. None: the blank workbook.")),
    ] = None,
    scheme: Annotated[str, typer.Option("--scheme", metavar="2025|2004", help=_t(
        "Hệ mã đơn vị hành chính.", "Administrative code scheme."))] = "2025",
    period: Annotated[
        Optional[str], typer.Option("--period", metavar=_t("KỲ", "PERIOD"), help=_t(
            "Kỳ báo cáo, ví dụ 2024, 2024-H1, 2024-Q3.", "Reporting period, e.g. 2024, 2024-H1, 2024-Q3."))
    ] = None,
    force: ForceOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    made = nd.new_workbook(out, unit, scheme=scheme, period=period, force=force)
    if json_out:
        _print_json(made.as_json())
    else:
        from .render import print_new_workbook

        print_new_workbook(made, lg)


@app.command("validate", cls=_Command, help=_t(
    "Kiểm tra một sổ: cấu trúc, từng ô, liên kết giữa các trang, trùng lặp, SoLieu. Mã thoát 0 = hợp lệ, "
    "1 = có lỗi dữ liệu, 2 = không chạy được.",
    "Check one workbook: structure, every cell, links between sheets, duplicates, SoLieu. Exit code 0 = "
    "valid, 1 = the data has errors, 2 = could not run."))
def validate_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar=_FILE, show_default=False,
                                         help=_t("Sổ .xlsx cần kiểm tra.", "The .xlsx workbook to check."))],
    json_out: JsonOption = False,
    annotate: Annotated[
        Optional[Path],
        typer.Option("--annotate", metavar=_FILE, help=_t(
            "Ghi một bản sao có tô màu ô lỗi (đỏ) và cảnh báo (vàng), kèm trang Loi.",
            "Write a copy with error cells in red and warnings in yellow, and a Loi sheet.")),
    ] = None,
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    report = nd.validate(file, annotate=annotate, force=force, lang=lg)
    for notice in report.notices:
        typer.echo(notice, err=True)
    if json_out:
        _print_json(report.as_json(lg))
    else:
        from .render import print_report

        print_report(report, lg)
        if annotate is not None:
            typer.echo(("Đã ghi bản đánh dấu: " if lg == "vi" else "Annotated copy written: ") + str(annotate))
    raise typer.Exit(0 if report.valid else 1)


@app.command("consolidate", cls=_Command, help=_t(
    "Tổng hợp sổ các đơn vị gửi lên: chỉ số từng đơn vị và của cấp trên, sổ nộp báo cáo, trùng lặp. Mã thoát "
    "0 = mọi bản nộp được nhận và không có lỗi, 1 = có bản bị từ chối hoặc dòng lỗi, 2 = không chạy được.",
    "Merge the workbooks units sent: each unit's and the parent's indicators, the submission ledger, "
    "duplicates. Exit code 0 = every submission accepted and without errors, 1 = some rejected or rows with "
    "errors, 2 = could not run."))
def consolidate_cmd(
    ctx: typer.Context,
    inputs: Annotated[list[Path], typer.Argument(
        metavar=_t("TỆP_HOẶC_THƯ_MỤC", "FILE_OR_FOLDER"), show_default=False,
        help=_t("Các tệp .xlsx và/hoặc thư mục (tìm cả thư mục con).",
                ".xlsx files and/or folders (subfolders too)."))],
    out: Annotated[Path, typer.Option("-o", "--output", metavar=_FILE, help=_t(
        "Tệp tổng hợp .xlsx sẽ tạo (thay được tệp tổng hợp chưa sửa của lần trước).",
        "The consolidation .xlsx to write (an unedited earlier consolidation may be replaced)."))],
    period: Annotated[Optional[str], typer.Option("--period", metavar=_t("KỲ", "PERIOD"), help=_t(
        "Kỳ tổng hợp, ví dụ 2024, 2024-H1 (mặc định: kỳ mà nhiều bản nộp ghi nhất).",
        "Period to consolidate, e.g. 2024, 2024-H1 (default: the one most submissions report)."))] = None,
    expect: Annotated[
        Optional[str],
        typer.Option("--expect", metavar=_t("ĐƠN_VỊ", "UNITS"), help=_t(
            "Đơn vị phải nộp: tệp danh sách mã, hoặc children:MÃ (mọi xã/huyện của đơn vị).",
            "Units that must submit: a file of codes, or children:CODE (every commune/district of the unit).")),
    ] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", metavar=_t("MÃ", "CODE"), help=_t(
        "Mã đơn vị cấp trên (mặc định: tự xác định).", "Code of the parent unit (default: worked out)."))] = None,
    preparer: Annotated[Optional[str], typer.Option("--nguoi-lap", metavar=_t("HỌ_TÊN", "NAME"), help=_t(
        "Người lập tổng hợp, ghi vào trang ThongTin (mặc định: xl-nhandao).",
        "Who prepared the consolidation, written on sheet ThongTin as “Người lập” (default: xl-nhandao)."))] = None,
    decisions: Annotated[Optional[Path], typer.Option("--decisions", metavar=_FILE, help=_t(
        "Sổ rà soát trùng lặp đã ghi quyết định: người được quyết định Trùng tính một lần, trợ giúp bị tính "
        "hai lần được loại ra (trừ khi quyết định Không trùng).",
        "A reviewed overlap workbook: people decided Trùng count once, support counted twice is left out "
        "(unless decided Không trùng)."))] = None,
    quarter_days: Annotated[
        int, typer.Option("--quarter-deadline-days", metavar=_t("SỐ_NGÀY", "DAYS"), help=_t(
            "Hạn nộp báo cáo quý: số ngày sau khi hết quý.", "Quarterly report deadline: days after the quarter."))
    ] = 5,
    force: ForceOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    with _Progress(quiet=json_out, lang=lg) as progress:
        result = nd.consolidate(inputs, period=period, expect=expect, unit=unit, output=out, force=force,
                                quarter_days=quarter_days, progress=progress, preparer=preparer,
                                decisions=decisions)
    if json_out:
        _print_json(result.as_json(str(out), lg))
    else:
        from .render import print_consolidation

        print_consolidation(result, out, lg)
    bad = any(s.status == "rejected" or s.errors for s in result.submissions)
    raise typer.Exit(1 if bad else 0)


@app.command("overlap", cls=_Command, help=_t(
    "Tìm địa chỉ nhân đạo trùng với danh sách của chương trình khác (hộ nghèo, Tết Nhân ái…), người được "
    "hai đơn vị cùng đăng ký, và trợ giúp bị tính hai lần; ghi sổ rà soát có cột Quyết định. Mã thoát 0 = "
    "không có cặp nào chưa quyết định, 1 = còn cặp cần xem, 2 = không chạy được.",
    "Find humanitarian addresses also in other programmes' lists (poverty, Tết Nhân ái…), people "
    "registered by two units, and support counted twice; write a review workbook with a Quyết định column. "
    "Exit code 0 = no pair left undecided, 1 = pairs to review, 2 = could not run."))
def overlap_cmd(
    ctx: typer.Context,
    inputs: Annotated[list[Path], typer.Argument(
        metavar=_t("SỔ_HOẶC_THƯ_MỤC", "BOOK_OR_FOLDER"), show_default=False,
        help=_t("Sổ của các đơn vị, thư mục, hoặc tệp tổng hợp.", "Unit workbooks, folders, or consolidations."))],
    against: Annotated[list[str], typer.Option("--against", metavar=_t("DANH_SÁCH[:TRANG]", "LIST[:SHEET]"),
                                               help=_t(
        "Danh sách của chương trình khác (.xlsx, .xls, .csv, hoặc danh sách đã băm); lặp lại cho nhiều danh sách.",
        "Another programme's list (.xlsx, .xls, .csv, or a hashed list); repeat for several lists."))] = [],  # noqa: B006
    programme: Annotated[list[str], typer.Option("--programme", metavar=_t("TÊN", "NAME"), help=_t(
        "Tên chương trình của từng --against, theo cùng thứ tự (mặc định: tên tệp).",
        "The programme of each --against, in the same order (default: the file's name)."))] = [],  # noqa: B006
    mapping: Annotated[list[str], typer.Option("--map", metavar=_t("CỘT=TIÊU_ĐỀ,...", "FIELD=HEADER,..."), help=_t(
        "Chỉ rõ cột, ví dụ ho_ten=Tên chủ hộ,cccd=Số ĐDCN; một --map cho mọi danh sách, hoặc mỗi danh sách một.",
        "Name the columns, e.g. ho_ten=Tên chủ hộ,cccd=Số ĐDCN; one --map for every list, or one per list."))
    ] = [],  # noqa: B006
    out: Annotated[Optional[Path], typer.Option("-o", "--output", metavar=_FILE, help=_t(
        "Sổ rà soát .xlsx sẽ tạo.", "The review .xlsx to write."))] = None,
    decisions: Annotated[Optional[Path], typer.Option("--decisions", metavar=_FILE, help=_t(
        "Sổ rà soát đã ghi quyết định (lần trước): giữ nguyên các quyết định.",
        "A reviewed workbook (an earlier run): its decisions are kept."))] = None,
    mask: Annotated[bool, typer.Option("--mask", help=_t(
        "Che số CCCD và số định danh trong sổ rà soát (0790******45).",
        "Mask CCCD and other ID numbers in the review (0790******45)."))] = False,
    salt_file: Annotated[Optional[Path], typer.Option("--salt-file", metavar=_FILE, help=_t(
        "Tệp khóa bí mật dùng chung để so với danh sách đã băm.",
        "The shared secret file, to compare with hashed lists."))] = None,
    period: Annotated[Optional[str], typer.Option("--period", metavar=_t("KỲ", "PERIOD"), help=_t(
        "Kỳ của các sổ (mặc định: kỳ mà nhiều sổ ghi nhất).",
        "Period of the workbooks (default: the one most of them report)."))] = None,
    force: ForceOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    if len(programme) > len(against):
        raise RunError("bad-argument", detail="--programme nhiều hơn --against",
                       detail_en="more --programme than --against", command="overlap")
    if len(mapping) > 1 and len(mapping) != len(against):
        raise RunError("bad-argument", detail="số --map phải là 1 hoặc bằng số --against",
                       detail_en="give one --map, or one per --against", command="overlap")
    lists: list[Any] = []
    for i, item in enumerate(against):
        lists.append((item, programme[i] if i < len(programme) else None))
    with _Progress(quiet=json_out, lang=lg) as progress:
        result = nd.overlap(inputs, [(p, name) if name else p for p, name in lists], output=out,
                            decisions=decisions, mask=mask, salt_file=salt_file,
                            mapping=mapping[0] if len(mapping) == 1 else (mapping or None), period=period,
                            force=force, lang=lg,
                            progress=progress)
    if json_out:
        _print_json(result.as_json(lg, str(out) if out else None))
    else:
        from .render import print_overlap

        print_overlap(result, out, lg)
    raise typer.Exit(1 if any(p.decision is None for p in result.pairs)
                     or any(e.decision is None for e in result.twice) else 0)


@app.command("hash-list", cls=_Command, help=_t(
    "Ghi bản sao của một danh sách trong đó số CCCD và họ tên + năm sinh được thay bằng mã băm có khóa "
    "(HMAC-SHA256), bỏ các cột cá nhân khác, để hai chương trình so danh sách mà không trao đổi dữ liệu rõ.",
    "Write a copy of a list with the CCCD and name + birth year replaced by keyed hashes (HMAC-SHA256) and "
    "other personal columns dropped, so two programmes can compare lists without exchanging them in clear."))
def hash_list_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar=_t("DANH_SÁCH[:TRANG]", "LIST[:SHEET]"), show_default=False,
                                          help=_t("Danh sách cần băm.", "The list to hash."))],
    salt_file: Annotated[Path, typer.Option("--salt-file", metavar=_FILE, help=_t(
        "Tệp khóa bí mật dùng chung (ít nhất 16 ký tự; không bao giờ được ghi ra).",
        "The shared secret file (at least 16 characters; never written out)."))],
    out: Annotated[Path, typer.Option("-o", "--output", metavar=_FILE, help=_t(
        "Danh sách đã băm .xlsx sẽ tạo.", "The hashed .xlsx list to write."))],
    keep: Annotated[list[str], typer.Option("--keep", metavar=_t("CỘT", "COLUMN"), help=_t(
        "Giữ thêm một cột (tiêu đề hoặc tên trường); lặp lại cho nhiều cột.",
        "Keep one more column (header or field name); repeat for several."))] = [],  # noqa: B006
    mapping: Annotated[Optional[str], typer.Option("--map", metavar=_t("CỘT=TIÊU_ĐỀ,...", "FIELD=HEADER,..."),
                                                   help=_t("Chỉ rõ cột như ở lệnh overlap.",
                                                           "Name the columns as for overlap."))] = None,
    force: ForceOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    summary = nd.hash_list(source, salt_file=salt_file, output=out, keep=keep, mapping=mapping, force=force)
    if json_out:
        _print_json(summary)
    else:
        from .render import print_hash_list

        print_hash_list(summary, lg)


@app.command("report", cls=_Command, help=_t(
    "Điền một mẫu báo cáo chính thức (bảng số liệu, danh sách địa chỉ đề xuất, sổ nộp báo cáo, dự thảo báo cáo "
    "Word) từ tệp tổng hợp. Không bao giờ ghi lên tệp mẫu.",
    "Fill an official report template (data tables, the list of proposed addresses, the submission ledger, "
    "the Word draft) from a consolidation. Never writes over the template."))
def report_cmd(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(metavar=_t("TỆP_TỔNG_HỢP", "CONSOLIDATION"), show_default=False,
                                           help=_t("Tệp tổng hợp (hoặc sổ, thư mục sổ).",
                                                   "The consolidation (or workbooks, a folder)."))],
    template: Annotated[str, typer.Option("--template", metavar=_t("TÊN|TỆP", "NAME|FILE"), help=_t(
        "Tên mẫu có sẵn (xem xl-nhandao templates) hoặc tệp mẫu .xlsx/.docx.",
        "A shipped template's name (see xl-nhandao templates) or a .xlsx/.docx template file."))],
    out: Annotated[Path, typer.Option("-o", "--output", metavar=_FILE, help=_t(
        "Tệp báo cáo sẽ tạo (.xlsx hoặc .docx như mẫu).", "The report to write (.xlsx or .docx, as the template)."))],
    period: Annotated[Optional[str], typer.Option("--period", metavar=_t("KỲ", "PERIOD"), help=_t(
        "Kỳ báo cáo (mặc định: kỳ của tệp tổng hợp).", "Reporting period (default: the consolidation's)."))] = None,
    number: Annotated[Optional[str], typer.Option("--so", metavar=_t("SỐ", "NUMBER"), help=_t(
        "Số văn bản, ví dụ 15/BC-HCTĐ.", "Document number, e.g. 15/BC-HCTĐ."))] = None,
    signer: Annotated[Optional[str], typer.Option("--nguoi-ky", metavar=_t("HỌ_TÊN", "NAME"), help=_t(
        "Người ký.", "Who signs."))] = None,
    title: Annotated[Optional[str], typer.Option("--chuc-vu", metavar=_t("CHỨC_VỤ", "TITLE"), help=_t(
        "Chức vụ người ký (mặc định: CHỦ TỊCH).", "The signer's title (default: CHỦ TỊCH)."))] = None,
    preparer: Annotated[Optional[str], typer.Option("--nguoi-lap", metavar=_t("HỌ_TÊN", "NAME"), help=_t(
        "Người lập biểu.", "Who prepared it."))] = None,
    day: Annotated[Optional[str], typer.Option("--ngay", metavar=_t("NGÀY", "DATE"), help=_t(
        "Ngày của văn bản, ví dụ 05/02/2026 (mặc định: hôm nay).", "Date of the document (default: today)."))] = None,
    style: Annotated[str, typer.Option("--kieu-doc", metavar="bac|nam", help=_t(
        "Cách đọc số tiền bằng chữ: bac (linh) hoặc nam (lẻ).", "How amounts are read: bac (linh) or nam (lẻ)."))
    ] = "bac",
    pdf: Annotated[bool, typer.Option("--pdf", help=_t(
        "Ghi thêm bản PDF (cần LibreOffice).", "Also write a PDF (needs LibreOffice)."))] = False,
    force: ForceOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    result = nd.report(source, template, out, period=period, number=number, signer=signer, signer_title=title,
                       preparer=preparer, report_date=day, pdf=pdf, force=force, style=style)
    if json_out:
        _print_json(result.as_json(lg))
    else:
        from .render import print_report_made

        print_report_made(result, lg)


@app.command("templates", cls=_Command, help=_t(
    "Liệt kê các mẫu báo cáo có sẵn (tên, nội dung, tệp để chép và sửa) và các trường mỗi mẫu dùng.",
    "List the shipped report templates (name, title, the file to copy and redesign) and the fields each uses."))
def templates_cmd(
    ctx: typer.Context,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    items = nd.templates()
    if json_out:
        _print_json({"templates": items, "fields": nd.report_fields()})
    else:
        from .render import print_templates

        print_templates(items, lg)


@app.command("words", cls=_Command, help=_t(
    "Đọc một số tiền bằng chữ như trên văn bản: 1500000 → Một triệu năm trăm nghìn đồng.",
    "An amount in words as official documents write it: 1500000 → Một triệu năm trăm nghìn đồng."))
def words_cmd(
    ctx: typer.Context,
    amount: Annotated[str, typer.Argument(metavar=_t("SỐ_TIỀN", "AMOUNT"), show_default=False, help=_t(
        "Số tiền (đồng), ví dụ 1500000, 1.500.000, 1,5 triệu.", "The amount (đồng), e.g. 1500000, 1.500.000."))],
    style: Annotated[str, typer.Option("--kieu-doc", metavar="bac|nam", help=_t(
        "bac: linh (một trăm linh năm); nam: lẻ (một trăm lẻ năm).", "bac: linh; nam: lẻ."))] = "bac",
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    _lang(ctx, lang)
    value = nd.parse_amount(amount)
    text = nd.words(value, style=style)
    if json_out:
        _print_json({"amount": value, "words": text})
    else:
        typer.echo(text)


@app.command("demo", cls=_Command, help=_t(
    "Chạy thử trọn vẹn trên một tỉnh mẫu: sổ các xã (có lỗi thường gặp) → kiểm tra → tổng hợp → trùng lặp "
    "với danh sách hộ nghèo và Tết Nhân ái → tổng hợp lại theo sổ rà soát → báo cáo năm. Chỉ ghi vào "
    "thư mục mới, thư mục trống hoặc thư mục của lần demo trước.",
    "Run everything on a demo province: the communes' books (with the usual mistakes) → validate → "
    "consolidate → overlap with a poverty list and a Tết Nhân ái list → consolidate again with the "
    "review's decisions → the annual reports. Writes only into a new or empty folder or an earlier "
    "demo's folder."))
def demo_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("-o", "--output", metavar=_t("THƯ_MỤC", "FOLDER"), help=_t(
        "Thư mục ghi dữ liệu mẫu và kết quả.", "Folder for the demo data and outputs."))] = Path("xl-nhandao-demo"),
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    demo = nd.demo(out)
    if json_out:
        _print_json(demo.as_json(lg))
    else:
        from .render import print_demo

        print_demo(demo, lg)


addin_app = typer.Typer(
    cls=_Group, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    help=_t("Bổ trợ Excel (thẻ Nhân đạo trên dải lệnh): tạo tệp .xlam, cài cho người dùng, gỡ.",
            "The Excel add-in (the Nhân đạo ribbon tab): build the .xlam, install it for the user, remove it."))
app.add_typer(addin_app, name="addin")


@addin_app.callback()
def _addin_root(ctx: typer.Context, lang: LangOption = None) -> None:
    if lang is not None:
        lg = _lang(ctx, lang)
        root = ctx.find_root()
        if isinstance(root.obj, dict):
            root.obj["lang"] = lg


@addin_app.command("build", cls=_Command, help=_t(
    "Tạo tệp bổ trợ .xlam (chạy được trên mọi hệ điều hành; không cần Excel).",
    "Build the .xlam add-in (on any system; Excel is not needed)."))
def addin_build_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("-o", "--output", metavar=_FILE, help=_t(
        "Tệp .xlam sẽ tạo.", "The .xlam file to write."))] = Path("xl_nhandao.xlam"),
    force: ForceOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    from .addin.build import build

    path = build(out, force=force)
    if json_out:
        _print_json({"output": str(path)})
    else:
        typer.echo(("Đã tạo bổ trợ: " if lg == "vi" else "Add-in built: ") + str(path))


@addin_app.command("install", cls=_Command, help=_t(
    "Cài bổ trợ cho người dùng này (thư mục XLSTART của Excel trên Windows, thư mục khởi động trên macOS), "
    "dùng Python đang chạy lệnh. Trên Linux: không có Excel, lệnh báo và dừng.",
    "Install the add-in for this user (Excel's XLSTART folder on Windows, the startup folder on macOS), "
    "using the Python running this command. On Linux there is no Excel: it says so and stops."))
def addin_install_cmd(
    ctx: typer.Context,
    folder: Annotated[Optional[Path], typer.Option("--folder", metavar=_t("THƯ_MỤC", "FOLDER"), help=_t(
        "Thư mục cài (mặc định: thư mục khởi động của Excel).", "Folder to install into (default: Excel's startup "
        "folder)."))] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    from .addin.install import install

    done = install(folder)
    if json_out:
        _print_json({"path": str(done.path), "settings": done.settings})
    else:
        typer.echo(done.summary(lg))


@addin_app.command("uninstall", cls=_Command, help=_t(
    "Gỡ bổ trợ đã cài (chỉ xóa tệp do lệnh install ghi).", "Remove the installed add-in (only the file install wrote)."))
def addin_uninstall_cmd(
    ctx: typer.Context,
    folder: Annotated[Optional[Path], typer.Option("--folder", metavar=_t("THƯ_MỤC", "FOLDER"), help=_t(
        "Thư mục đã cài.", "The folder it was installed into."))] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    lg = _lang(ctx, lang)
    from .addin.install import uninstall

    done = uninstall(folder)
    if json_out:
        _print_json({"path": str(done.path), "removed": done.removed})
    else:
        typer.echo(done.summary(lg))


class _Progress:
    """A progress bar on stderr, only for a terminal and never under --json."""

    def __init__(self, quiet: bool, lang: Lang) -> None:
        self.quiet, self.lang = quiet, lang
        self.bar = None
        self.task = None

    def __enter__(self):
        if not self.quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
        return self.step

    def step(self, done: int, total: int, name: str) -> None:
        if self.bar is None:
            return
        if self.task is None:
            self.task = self.bar.add_task("Đang đọc" if self.lang == "vi" else "Reading", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# -- errors of the command line itself -------------------------------------------------
def _argv_lang(argv: list[str]) -> Lang:
    """The language asked on the command line (the last ``--lang``), else the default."""
    lang = default_lang()
    for i, a in enumerate(argv):
        if a == "--":
            break
        value = argv[i + 1] if a == "--lang" and i + 1 < len(argv) else a[7:] if a.startswith("--lang=") else None
        if value is not None:
            lang = "en" if value.strip().lower() == "en" else "vi"
    return lang


def _commands() -> list[str]:
    return [c.name for c in app.registered_commands if c.name] + [g.name for g in app.registered_groups if g.name]


def _usage_detail(exc: Exception) -> tuple[str, str]:
    """What is wrong with the command line, in Vietnamese and English, from the kind of
    click's exception and its parameter (click's own English text is never shown)."""
    kinds = {c.__name__ for c in type(exc).__mro__}
    param = getattr(exc, "param", None)
    message = str(getattr(exc, "message", "") or "")
    if "MissingParameter" in kinds and param is not None:
        if param.param_type_name == "argument":
            return f"thiếu tham số {_param_name(param, 'vi')}", f"missing argument {_param_name(param, 'en')}"
        return f"thiếu tùy chọn {_param_name(param, 'vi')}", f"missing option {_param_name(param, 'en')}"
    if "NoSuchOption" in kinds:
        name = str(getattr(exc, "option_name", "") or "")
        ctx = getattr(exc, "ctx", None)
        known = [o for p in (ctx.command.get_params(ctx) if ctx is not None else []) for o in p.opts if o.startswith("--")]
        close = sorted(getattr(exc, "possibilities", None) or get_close_matches(name, known, n=2))
        if close:
            return (f"không có tùy chọn {name} (có phải {' hay '.join(close)}?)",
                    f"no such option {name} (did you mean {' or '.join(close)}?)")
        return f"không có tùy chọn {name}", f"no such option {name}"
    if "BadOptionUsage" in kinds:
        name = str(getattr(exc, "option_name", "") or "")
        if "does not take a value" in message:
            return f"tùy chọn {name} không nhận giá trị", f"option {name} does not take a value"
        return f"tùy chọn {name} cần một giá trị", f"option {name} needs a value"
    if "BadParameter" in kinds and param is not None:
        vi_name, en_name = _param_name(param, "vi"), _param_name(param, "en")
        if getattr(getattr(param, "type_descriptor", None), "annotation", None) is int:
            return f"{vi_name} phải là một số nguyên", f"{en_name} must be a whole number"
        return f"giá trị của {vi_name} không hợp lệ", f"the value of {en_name} is not valid"
    m = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", message)
    if m:
        extra = m.group(1)
        many = len(extra.split()) > 1
        return f"thừa tham số {extra}", f"unexpected extra {'arguments' if many else 'argument'} {extra}"
    commands = ", ".join(_commands())
    m = re.match(r"No such command '(.*?)'", message)
    if m:
        name = m.group(1)
        close = get_close_matches(name, _commands(), n=1)
        if close:
            return (f"không có lệnh “{name}” (có phải {close[0]}?)",
                    f"no command “{name}” (did you mean {close[0]}?)")
        return f"không có lệnh “{name}”; các lệnh: {commands}", f"no command “{name}”; commands: {commands}"
    if message.startswith("Missing command"):
        return f"thiếu tên lệnh ({commands})", f"missing the command ({commands})"
    return "cách gõ lệnh chưa đúng", message or "the command line is not right"


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the exit code (0 valid, 1 data errors, 2 could not run)."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _argv_lang(args)
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=args, prog_name="xl-nhandao", standalone_mode=False, obj={"lang": lang})
    except typer.Abort:
        return 130
    except typer.TyperException as exc:  # usage errors of the command line itself
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:  # bare command: its help
            typer.echo(ctx.get_help())
            return 0
        if ctx is not None:
            name = ctx.command_path.split(" ", 1)[1] if " " in ctx.command_path else ""
        else:  # click's parser does not say which command it was parsing
            name = next((a for a in args if a in _commands()), "")
        vi, en = _usage_detail(exc)
        typer.echo(RunError("bad-argument", detail=vi, detail_en=en, command=name).message(lang), err=True)
        return 2
    except RunError as exc:
        typer.echo(exc.message(lang), err=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of our output went away (``| head``): nothing to say
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 2
    except SystemExit:
        raise
    except BaseException as exc:  # never a traceback for the clerk (even a Rust panic, a BaseException)
        if os.environ.get("XLND_DEBUG"):
            raise
        typer.echo(RunError("internal", detail=type(exc).__name__).message(lang), err=True)
        return 2
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
