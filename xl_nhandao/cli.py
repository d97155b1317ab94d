"""The ``xl-nhandao`` command line (SPEC §5). Each command parses its options, makes one
library call and renders the result; run failures become one line and exit code 2."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

import xl_nhandao as nd

from . import __version__
from .errors import RunError
from .i18n import Lang, default_lang

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Công cụ Cuộc vận động “Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo”: "
    "kiểm tra sổ, tổng hợp, báo cáo. Thêm --lang en để dùng tiếng Anh.",
)

LangOption = Annotated[
    Optional[str],
    typer.Option("--lang", help="Ngôn ngữ thông báo: vi (mặc định) hoặc en.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="In một tài liệu JSON ra stdout, không in gì khác.")]


def _lang(value: str | None) -> Lang:
    if value is None:
        return default_lang()
    v = value.strip().lower()
    if v not in ("vi", "en"):
        raise RunError("bad-argument", detail=f"--lang {value} (vi | en)", command="")
    return v  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xl-nhandao {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát.")
    ] = False,
) -> None:
    """Công cụ Cuộc vận động nhân đạo."""


ForceOption = Annotated[
    bool, typer.Option("--force", help="Cho phép ghi đè tệp kết quả đã có (mặc định: không ghi đè dữ liệu của ai).")
]


@app.command("new-workbook")
def new_workbook_cmd(
    out: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx sẽ tạo.")],
    unit: Annotated[
        Optional[str],
        typer.Option("--unit", help="Mã đơn vị: tỉnh 2 số, huyện 3 số (hệ 2004), xã 5 số. Bỏ trống: mẫu trắng."),
    ] = None,
    scheme: Annotated[str, typer.Option("--scheme", help="Hệ mã đơn vị hành chính: 2025 hoặc 2004.")] = "2025",
    period: Annotated[
        Optional[str], typer.Option("--period", help="Kỳ báo cáo, ví dụ 2024, 2024-H1, 2024-Q3.")
    ] = None,
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    """Tạo sổ mẫu chuẩn XLND-1 cho một đơn vị."""
    lg = _lang(lang)
    made = nd.new_workbook(out, unit, scheme=scheme, period=period, force=force)
    from .render import print_new_workbook

    print_new_workbook(made, lg)


@app.command("validate")
def validate_cmd(
    file: Annotated[Path, typer.Argument(help="Sổ .xlsx cần kiểm tra.", show_default=False)],
    json_out: JsonOption = False,
    annotate: Annotated[
        Optional[Path],
        typer.Option("--annotate", help="Ghi một bản sao có tô màu ô lỗi (đỏ) và cảnh báo (vàng), kèm trang Loi."),
    ] = None,
    force: ForceOption = False,
    lang: LangOption = None,
) -> None:
    """Kiểm tra một sổ: cấu trúc, từng ô, liên kết giữa các trang, trùng lặp, SoLieu."""
    lg = _lang(lang)
    report = nd.validate(file)
    if annotate is not None:
        for notice in nd.annotate(file, annotate, report=report, lang=lg, force=force):
            typer.echo(notice, err=True)
    if json_out:
        typer.echo(json.dumps(report.as_json(lg), ensure_ascii=False, indent=2))
    else:
        from .render import print_report

        print_report(report, lg)
        if annotate is not None:
            typer.echo(("Đã ghi bản đánh dấu: " if lg == "vi" else "Annotated copy written: ") + str(annotate))
    raise typer.Exit(0 if report.valid else 1)


@app.command("consolidate")
def consolidate_cmd(
    inputs: Annotated[list[Path], typer.Argument(help="Các tệp .xlsx và/hoặc thư mục (tìm cả thư mục con).",
                                                 show_default=False)],
    out: Annotated[Path, typer.Option("-o", "--output", help="Tệp tổng hợp .xlsx sẽ tạo.")],
    period: Annotated[Optional[str], typer.Option("--period", help="Kỳ tổng hợp, ví dụ 2024, 2024-H1.")] = None,
    expect: Annotated[
        Optional[str],
        typer.Option("--expect", help="Đơn vị phải nộp: tệp danh sách mã, hoặc children:MÃ (mọi xã/huyện của đơn vị)."),
    ] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Mã đơn vị cấp trên (mặc định: tự xác định).")] = None,
    quarter_days: Annotated[
        int, typer.Option("--quarter-deadline-days", help="Hạn nộp báo cáo quý: số ngày sau khi hết quý.")
    ] = 5,
    force: ForceOption = False,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Tổng hợp sổ các đơn vị gửi lên: chỉ số từng đơn vị và của cấp trên, sổ nộp báo cáo, trùng lặp."""
    lg = _lang(lang)
    with _Progress(quiet=json_out, lang=lg) as progress:
        result = nd.consolidate(inputs, period=period, expect=expect, unit=unit, output=out, force=force,
                                quarter_days=quarter_days, progress=progress)
    if json_out:
        typer.echo(json.dumps(result.as_json(str(out), lg), ensure_ascii=False, indent=2))
    else:
        from .render import print_consolidation

        print_consolidation(result, out, lg)
    bad = any(s.status == "rejected" or s.errors for s in result.submissions)
    raise typer.Exit(1 if bad else 0)


@app.command("demo")
def demo_cmd(
    out: Annotated[Path, typer.Option("-o", "--output", help="Thư mục ghi dữ liệu mẫu và kết quả.")] = Path(
        "xl-nhandao-demo"),
    lang: LangOption = None,
) -> None:
    """Chạy thử trọn vẹn trên một tỉnh mẫu: sổ các xã (có lỗi thường gặp) → kiểm tra → tổng hợp."""
    from .render import print_demo

    lg = _lang(lang)
    if out.exists() and not out.is_dir():
        raise RunError("output-unwritable", path=str(out), detail="không phải thư mục", detail_en="not a folder")
    print_demo(nd.demo(out), lg)


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


def _argv_lang(argv: list[str]) -> Lang:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1].lower().startswith("en") else "vi"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1].lower().startswith("en") else "vi"
    return default_lang()


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the exit code (0 valid, 1 data errors, 2 could not run)."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _argv_lang(args)
    command = typer.main.get_command(app)
    try:
        rv = command.main(args=args, prog_name="xl-nhandao", standalone_mode=False)
    except typer.Abort:
        return 130
    except typer.TyperException as exc:  # usage errors of the command line itself
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare command: its help
            typer.echo(exc.format_message() if hasattr(exc, "format_message") else str(exc))
            return 0
        ctx = getattr(exc, "ctx", None)
        name = ctx.command.name if ctx is not None and ctx.command is not None else ""
        detail = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        typer.echo(RunError("bad-argument", detail=" ".join(detail.split()),
                            command="" if name == "xl-nhandao" else name).message(lang), err=True)
        return 2
    except RunError as exc:
        typer.echo(exc.message(lang), err=True)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for the clerk
        if os.environ.get("XLND_DEBUG"):
            raise
        typer.echo(RunError("internal", detail=type(exc).__name__).message(lang), err=True)
        return 2
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
