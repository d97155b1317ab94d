"""Languages of user-facing text: Vietnamese (default) and English (``--lang en``)."""

from __future__ import annotations

import os
from datetime import date
from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")


def default_lang() -> Lang:
    """``XLND_LANG=en`` in the environment switches the default to English."""
    return "en" if os.environ.get("XLND_LANG", "").lower().startswith("en") else "vi"


def fmt_int(n: int | float, lang: Lang = "vi") -> str:
    """1500000 → ``1.500.000`` (vi) or ``1,500,000`` (en)."""
    if isinstance(n, float) and not n.is_integer():
        text = f"{n:,.1f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "vi" else text
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "vi" else text


def fmt_date(d: date, lang: Lang = "vi") -> str:
    return d.strftime("%d/%m/%Y")


def fmt_param(v: object, lang: Lang) -> str:
    if isinstance(v, bool):
        return ("Có" if v else "Không") if lang == "vi" else ("yes" if v else "no")
    if isinstance(v, (int, float)):
        return fmt_int(v, lang)
    if isinstance(v, date):
        return fmt_date(v, lang)
    if isinstance(v, (list, tuple)):
        return ", ".join(fmt_param(x, lang) for x in v)
    return "" if v is None else str(v)


class _Params(dict):
    """Template parameters: a missing one renders as ``?`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


def render(template: str, params: dict[str, object], lang: Lang) -> str:
    return template.format_map(_Params({k: fmt_param(v, lang) for k, v in params.items()}))
