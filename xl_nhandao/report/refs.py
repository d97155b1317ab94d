"""Where each row of a sheet goes when list rows repeat, and the references that follow.

A :class:`RowMap` says it for one sheet: its repeated blocks (a run of template rows
repeated once per list item) and the shift of every other row. References are mapped
the way Excel maps them when rows are inserted inside a range, so that a total row
``=SUM(C8:C8)`` over a repeated row 8 becomes ``=SUM(C8:C40)``:

- the *start* of a range goes to the first copy of its row, the *end* to the last copy
  (a range over the repeated rows grows; a range below moves down);
- a single cell goes to the first copy of its row — except the lone argument of an
  aggregate (``SUM(C8)``), which covers all the copies like a range;
- a formula inside a repeated block sees its own block's rows in the same copy
  (``=D8/E8`` in copy 3 is ``=D10/E10``), and every other cell where that cell went
  (``=D8/D$20`` and ``=D8/D20`` alike divide by the total row; unlike Excel's fill-down,
  a relative reference outside the block does not walk down with the copies).

:class:`Formula` parses a formula once (openpyxl's tokenizer) and renders it for each
place it lands. Whole-column references (``C:C``), names, structured references, 3-D
and external references are left as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

#: Excel's last row.
MAX_ROW = 1_048_576

#: Functions whose lone single-cell argument means "the column of the list".
AGGREGATES = frozenset({"SUM", "AVERAGE", "AVERAGEA", "COUNT", "COUNTA", "COUNTBLANK", "MIN", "MAX",
                        "MINA", "MAXA", "PRODUCT", "MEDIAN", "SUBTOTAL", "AGGREGATE"})


@dataclass(frozen=True)
class Block:
    """Template rows ``start`` … ``start + height - 1`` (the template's numbering),
    written ``copies`` times one under the other (at least once)."""

    start: int
    height: int
    copies: int

    @property
    def end(self) -> int:
        return self.start + self.height - 1

    def __contains__(self, row: int) -> bool:
        return self.start <= row <= self.end


class RowMap:
    """Where the rows of one sheet go: ``first(r)`` the new row of template row ``r``
    (its first copy if it repeats), ``last(r)`` its last copy."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = sorted(blocks, key=lambda b: b.start)
        self._starts = [b.start for b in self.blocks]
        self._before: list[int] = []  # rows added above each block
        added = 0
        for b in self.blocks:
            self._before.append(added)
            added += (b.copies - 1) * b.height
        self.added = added

    def _find(self, row: int) -> tuple[int, bool]:
        i = bisect_right(self._starts, row) - 1
        return i, i >= 0 and row <= self.blocks[i].end

    def block(self, row: int) -> Block | None:
        i, inside = self._find(row)
        return self.blocks[i] if inside else None

    def first(self, row: int) -> int:
        i, inside = self._find(row)
        if i < 0:
            return row
        if inside:
            return row + self._before[i]
        b = self.blocks[i]
        return row + self._before[i] + (b.copies - 1) * b.height

    def last(self, row: int) -> int:
        i, inside = self._find(row)
        if inside:
            b = self.blocks[i]
            return row + self._before[i] + (b.copies - 1) * b.height
        return self.first(row)

    def start(self, block: Block) -> int:
        """The new row of the block's first copy."""
        return self.first(block.start)

    def span(self, min_row: int, max_row: int) -> tuple[int, int]:
        """A range of rows as it grows or moves."""
        return self.first(min_row), self.last(max_row)


_CELL1 = r"(?P<ca>\$?)(?P<c>[A-Za-z]{1,3})(?P<ra>\$?)(?P<r>[0-9]{1,7})"
_CELL2 = r"(?P<cb>\$?)(?P<d>[A-Za-z]{1,3})(?P<rb>\$?)(?P<s>[0-9]{1,7})"
_ROWS = r"(?P<xa>\$?)(?P<x>[0-9]{1,7}):(?P<ya>\$?)(?P<y>[0-9]{1,7})"
_REF = re.compile(rf"(?P<prefix>(?:'(?:[^']|'')+'|[^'!:\[\]]+)!)?(?:{_CELL1}(?::{_CELL2})?|{_ROWS})")


def sheet_key(title: str) -> str:
    """Excel compares sheet names without case."""
    return title.casefold()


def _unquote(prefix: str) -> str:
    name = prefix[:-1]
    if name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


class _Ref:
    """One reference operand: cells ``C8``, ``$C$8:D9`` or rows ``8:9``, with an
    optional sheet prefix kept as written."""

    __slots__ = ("c1", "c2", "kind", "lone", "m", "own", "prefix", "r1", "r2")

    def __init__(self, match: re.Match[str], m: RowMap, own: bool, lone: bool) -> None:
        g = match.groupdict()
        self.prefix = g["prefix"] or ""
        self.m, self.own, self.lone = m, own, lone
        if g["x"] is not None:
            self.kind = "rows"
            self.c1, self.c2 = g["xa"], g["ya"]
            self.r1, self.r2 = int(g["x"]), int(g["y"])
        else:
            self.kind = "cells"
            self.c1 = g["ca"] + g["c"] + g["ra"]
            self.r1 = int(g["r"])
            if g["d"] is not None:
                self.c2 = g["cb"] + g["d"] + g["rb"]
                self.r2 = int(g["s"])
            else:
                self.c2, self.r2 = "", None
        if self.r2 is not None and self.r2 < self.r1:
            self.r1, self.r2 = self.r2, self.r1  # Excel reads B9:A2 as A2:B9 for rows

    def _row(self, row: int, end: bool, block: Block | None, copy: int) -> int:
        if self.own and block is not None and row in block:
            return self.m.first(row) + copy * block.height
        return self.m.last(row) if end else self.m.first(row)

    def render(self, block: Block | None, copy: int) -> str:
        if self.r2 is None:
            a = self._row(self.r1, False, block, copy)
            if self.lone and not (self.own and block is not None and self.r1 in block):
                b = self.m.last(self.r1)
                if b != a:
                    return f"{self.prefix}{self.c1}{a}:{self.c1}{b}"
            return f"{self.prefix}{self.c1}{a}"
        a = self._row(self.r1, False, block, copy)
        b = self._row(self.r2, True, block, copy)
        return f"{self.prefix}{self.c1}{a}:{self.c2}{b}"  # rows: c1, c2 are the "$" markers


class Formula:
    """A formula (``=…``) parsed once and rendered for each place it lands. ``sheet``
    is the title of the sheet it sits on (``None`` for a defined name, whose references
    name their sheet); ``maps`` the row maps by :func:`sheet_key`. With ``spread``, a
    single cell on a repeated row stands for all its copies (a chart's series)."""

    __slots__ = ("moves", "parts")

    def __init__(self, text: str, maps: dict[str, RowMap], sheet: str | None, spread: bool = False) -> None:
        from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

        self.parts: list[str | _Ref] = [text]
        self.moves = False
        if not maps or not text.startswith("="):
            return
        try:
            items = Tokenizer(text).items
        except (TokenizerError, ValueError, IndexError):
            return
        parts: list[str | _Ref] = ["="]
        stack: list[str] = []
        significant = [t for t in items if t.type != Token.WSPACE]
        index = {id(t): i for i, t in enumerate(significant)}
        for token in items:
            if token.type == Token.FUNC or token.type == Token.PAREN:
                if token.subtype == Token.OPEN:
                    stack.append(token.value[:-1].upper() if token.type == Token.FUNC else "(")
                elif stack:
                    stack.pop()
            ref = None
            if token.type == Token.OPERAND and token.subtype == Token.RANGE:
                match = _REF.fullmatch(token.value)
                if match:
                    prefix = match.group("prefix")
                    target = _unquote(prefix) if prefix else sheet
                    m = maps.get(sheet_key(target)) if target is not None else None
                    if m is not None:
                        i = index[id(token)]
                        lone = spread or (bool(stack) and stack[-1].removeprefix("_XLFN.") in AGGREGATES
                                and i > 0 and significant[i - 1].subtype in (Token.OPEN, Token.ARG)
                                and i + 1 < len(significant)
                                and significant[i + 1].subtype in (Token.CLOSE, Token.ARG))
                        own = sheet is not None and sheet_key(target) == sheet_key(sheet)
                        ref = _Ref(match, m, own, lone)
            if ref is not None:
                parts.append(ref)
                self.moves = True
            elif parts and isinstance(parts[-1], str):
                parts[-1] += token.value
            else:
                parts.append(token.value)
        if self.moves:
            self.parts = parts

    def render(self, block: Block | None = None, copy: int = 0) -> str:
        if not self.moves:
            return self.parts[0]  # type: ignore[return-value]
        return "".join(p if isinstance(p, str) else p.render(block, copy) for p in self.parts)


def rewrite(text: str, maps: dict[str, RowMap], sheet: str | None, block: Block | None = None,
            copy: int = 0, spread: bool = False) -> str:
    """A formula or reference written without ``=`` (a conditional format's rule, a
    dropdown's source, a defined name, a chart series) with its references followed."""
    if not text or not maps:
        return text
    return Formula("=" + text, maps, sheet, spread).render(block, copy)[1:]
