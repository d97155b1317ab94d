"""Rendered messages and hints of issues, each rendered once per distinct text.

A province's consolidation lists tens of thousands of issues in a few hundred distinct
texts; rendering the template for each is most of the cost of the ``Loi`` sheet. A
text depends only on the issue's code, the language and the parameters its template
names, so that is the key.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..i18n import Lang
    from ..issues import Issue

_LOCATION = ("sheet", "row", "column", "cell", "value")


class Messages:
    """``message(issue, lang)`` and ``hint(issue, lang)``, as :class:`Issue` renders
    them, cached."""

    def __init__(self) -> None:
        self._fields: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._texts: dict[tuple[object, ...], str] = {}

    def message(self, issue: Issue, lang: Lang = "vi") -> str:
        return self._render(issue, lang, "message")

    def hint(self, issue: Issue, lang: Lang = "vi") -> str:
        return self._render(issue, lang, "hint")

    def _render(self, issue: Issue, lang: Lang, what: str) -> str:
        names = self._fields.get((issue.code, lang, what))
        if names is None:
            t = issue.type
            template = t.message(lang) if what == "message" else t.hint(lang)
            # a template with derived parameters may depend on any parameter: all of them
            names = self._fields[(issue.code, lang, what)] = _field_names(template) if t.derive is None else ()
        params = issue.params
        if not names and issue.type.derive is not None:
            names = (*_LOCATION, *sorted(params))
        values = (params[n] if n in params else (getattr(issue, n) if n in _LOCATION else None) for n in names)
        key = (issue.code, lang, what, names, *((type(v), v) for v in values))  # True and 1 render apart
        try:
            text = self._texts.get(key)
        except TypeError:  # a parameter that cannot be a key (a list): render each time
            return issue.message(lang) if what == "message" else issue.hint(lang)
        if text is None:
            text = self._texts[key] = issue.message(lang) if what == "message" else issue.hint(lang)
        return text


def _field_names(template: str) -> tuple[str, ...]:
    names = []
    for _, name, _, _ in string.Formatter().parse(template):
        if name:
            base = name.split(".", 1)[0].split("[", 1)[0]
            if base not in names:
                names.append(base)
    return tuple(names)
