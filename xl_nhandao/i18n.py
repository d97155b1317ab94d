"""Languages of user-facing text: Vietnamese (default) and English (``--lang en``).

Message templates are ``str.format`` templates filled by :func:`render`. Numbers that
count or measure get the language's thousands separator (``1.500.000`` / ``1,500,000``);
numbers that name something — a row, a year, a code — never do (:data:`PLAIN` and the
``plain`` argument). An English template says a counted noun with a plural choice:
``{count} {count:cell|cells}`` gives ``1 cell``, ``2 cells``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

#: Parameters that name a row, a year or a code: shown as typed, never ``1.978``.
PLAIN = frozenset({"row", "rows", "first_row", "target_row", "year", "code", "unit_code", "commune_code",
                   "province", "scheme", "fixed", "prefix"})


def default_lang() -> Lang:
    """``XLND_LANG=en`` in the environment switches the default to English."""
    return "en" if os.environ.get("XLND_LANG", "").lower().startswith("en") else "vi"


def fmt_int(n: int | float, lang: Lang = "vi") -> str:
    """1500000 → ``1.500.000`` (vi) or ``1,500,000`` (en); a float (a rate) with one
    decimal: 67.55 → ``67,6`` / ``67.6``, 59.0 → ``59,0``."""
    if isinstance(n, float):
        text = f"{n:,.1f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "vi" else text
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "vi" else text


def plural(n: int, one: str, many: str) -> str:
    """``one`` when ``n`` is 1, else ``many`` (English; Vietnamese nouns do not change)."""
    return one if n == 1 else many


def fmt_date(d: date, lang: Lang = "vi") -> str:
    return d.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Coded:
    """A message named by a code in a catalogue of ``(vi, en)`` templates (the subclass's
    ``CATALOGUE``), with its parameters: reasons, notices."""

    code: str
    params: dict[str, object] = field(default_factory=dict, hash=False)
    CATALOGUE: ClassVar[dict[str, tuple[str, str]]] = {}

    def text(self, lang: Lang = "vi") -> str:
        vi, en = self.CATALOGUE[self.code]
        return render(vi if lang == "vi" else en, self.params, lang)


@dataclass(frozen=True)
class Phrase:
    """A piece of a message in both languages, with its own parameters (a parameter
    of another message whose words depend on the case, e.g. why a CCCD is invalid)."""

    vi: str
    en: str
    params: dict[str, object] = field(default_factory=dict, hash=False)

    def text(self, lang: Lang) -> str:
        return render(self.vi if lang == "vi" else self.en, self.params, lang)


def fmt_param(v: object, lang: Lang, plain: bool = False) -> str:
    """A parameter as a message shows it; ``plain`` numbers get no thousands separator."""
    if v.__class__ is str:  # most parameters: shown as they are
        return v  # type: ignore[return-value]
    if isinstance(v, bool):
        return ("Có" if v else "Không") if lang == "vi" else ("yes" if v else "no")
    if isinstance(v, int) and plain:
        return str(v)
    if isinstance(v, (int, float)):
        return fmt_int(v, lang)
    if isinstance(v, date):
        return fmt_date(v, lang)
    if isinstance(v, Phrase):
        return v.text(lang)
    if isinstance(v, (list, tuple)):
        return ", ".join(fmt_param(x, lang, plain) for x in v)
    return "" if v is None else str(v)


class _Arg:
    """One filled parameter of a template with a plural choice: its text, or (with a
    ``one|many`` format spec) the word that agrees with its number."""

    __slots__ = ("raw", "text")

    def __init__(self, raw: object, text: str) -> None:
        self.raw, self.text = raw, text

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return one if self.raw == 1 else many
        return format(self.text, spec)


class _Params(dict):
    """Template parameters: a missing one renders as ``?`` instead of raising."""

    def __missing__(self, key: str) -> str:
        return "?"


class _PluralParams(dict):
    def __missing__(self, key: str) -> _Arg:
        return _Arg(None, "?")


def render(template: str, params: dict[str, object], lang: Lang, plain: frozenset[str] | set[str] = frozenset()) -> str:
    """Fill ``template``; ``plain`` names more parameters shown without a thousands
    separator (besides :data:`PLAIN`)."""
    if "|" in template:  # a plural choice: the raw numbers are needed
        return template.format_map(_PluralParams({k: _Arg(v, fmt_param(v, lang, k in PLAIN or k in plain))
                                                  for k, v in params.items()}))
    return template.format_map(_Params({k: fmt_param(v, lang, k in PLAIN or k in plain) for k, v in params.items()}))
