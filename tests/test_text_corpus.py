"""Corpus check of legacy-text conversion (``fix_text``), on data built by
``scripts/build_text_corpus.py`` and committed in ``tests/data``:

* ``text_legacy.tsv.gz``: official text (sentences of the seed documents, people
  left out) and synthetic names (``xl_nhandao.demo.synth``), encoded to TCVN3 by
  glibc ``iconv -t TCVN5712-1`` and to VNI by the VNI-WIN table of Unikey's
  converter (``unikey_charsets.tsv``, extracted from Unikey's vnconv
  ``ukengine/data.cpp``).  Both encoders are independent of ``xl_nhandao.vn.text``:
  iconv is glibc's own table, and Unikey's table lists the VNI bytes of every
  letter, where our decoder composes letters from mark rules.
* ``text_unicode.txt.gz``: genuine Unicode cells (names with every single slip
  of a tone mark, old and new placement, villages, circumstances, official text,
  Latin-1 Vietnamese words, foreign words and symbols), none of which may change.

Regenerate with ``python scripts/build_text_corpus.py``.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from xl_nhandao.vn.text import fix_text, nfc, tcvn3_to_unicode, vni_to_unicode

DATA = Path(__file__).parent / "data"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def legacy_rows() -> list[list[str]]:
    with gzip.open(DATA / "text_legacy.tsv.gz", "rt", encoding="utf-8") as f:
        return [line.split("\t") for line in f.read().splitlines()]


def unicode_cells() -> list[str]:
    with gzip.open(DATA / "text_unicode.txt.gz", "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def unikey_rows() -> list[list[str]]:
    lines = (DATA / "unikey_charsets.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def shown_by_vntime(text: str) -> str:
    """What a .VnTime cell shows: TCVN3 has no toned capitals, a clerk gets the
    lower-case letter."""
    return "".join(
        c.lower() if c.isupper() and any(m in unicodedata.normalize("NFD", c) for m in TONE_MARKS) else c
        for c in text
    )


def test_corpus_size():
    rows = legacy_rows()
    assert sum(1 for r in rows if r[0] == "name") >= 3000
    assert sum(1 for r in rows if r[0] == "seed") >= 200
    cells = unicode_cells()
    assert len(cells) >= 20_000
    # enough of them reach content detection (only Latin-1 / Windows-1252 characters)
    latin1 = [c for c in cells if not c.isascii() and all(ord(ch) < 0x100 or ch in "“”‘’–—…€" for ch in c)]
    assert len(latin1) >= 10_000


def test_unikey_agrees_letter_by_letter():
    """With the font known the conversion is Unikey's, on every letter."""
    rows = unikey_rows()
    assert len(rows) == 134  # every non-ASCII Vietnamese letter, both cases
    for letter, tcvn3, vni in rows:
        # (í, ì and ý are the same characters in the legacy text: nothing to convert)
        assert vni_to_unicode(vni) == letter
        assert fix_text(vni, "VNI-Times") == (letter, "vni" if vni != letter else None)
        # TCVN3 writes a toned capital with the lower-case code
        expected = shown_by_vntime(letter)
        assert tcvn3_to_unicode(tcvn3) == expected
        assert fix_text(tcvn3, ".VnTime") == (expected, "tcvn3" if tcvn3 != expected else None)
        assert fix_text(tcvn3, ".VnTimeH") == (letter.upper(), "tcvn3h")


def test_legacy_corpus():
    rows = legacy_rows()
    counts = dict.fromkeys(("tcvn3 font", "vni font", "tcvn3", "vni", "tcvn3 left", "vni left"), 0)
    wrong = []
    for _kind, text, tcvn3, font, vni in rows:
        shown = text if font == ".VnTimeH" else shown_by_vntime(text)
        # with the font: exact
        assert fix_text(tcvn3, font)[0] == shown, (text, tcvn3, font)
        assert fix_text(vni, "VNI-Times")[0] == text, (text, vni)
        counts["tcvn3 font"] += 1
        counts["vni font"] += 1
        # without: converted right, or left alone when the words are Unicode as
        # they stand too ("Hoà Thò Nga" is VNI for Hồ Thị Nga, and Unicode)
        out = fix_text(tcvn3)[0]
        if out in (text, shown):
            counts["tcvn3"] += 1
        elif out == tcvn3:
            counts["tcvn3 left"] += 1
        else:
            wrong.append(("tcvn3", text, tcvn3, out))
        out = fix_text(vni)[0]
        if out == text:
            counts["vni"] += 1
        elif out == vni:
            counts["vni left"] += 1
        else:
            wrong.append(("vni", text, vni, out))
    print(f"{len(rows)} legacy cells: {counts}")
    assert wrong == []
    assert counts["tcvn3"] >= 0.98 * len(rows)
    assert counts["vni"] >= 0.97 * len(rows)


def test_genuine_unicode_never_changes():
    cells = unicode_cells()
    changed = [(c, fix_text(c)) for c in cells if fix_text(c) != (nfc(c), None)]
    print(f"{len(cells)} Unicode cells, {len(changed)} changed")
    assert changed == []


def _iconv_tcvn() -> bool:
    if shutil.which("iconv") is None:
        return False
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=b"a",
                          capture_output=True).returncode == 0


@pytest.mark.skipif(not _iconv_tcvn(), reason="glibc iconv with TCVN5712-1 not available")
def test_iconv_live():
    """The committed TCVN3 text is what iconv writes, and our table is iconv's."""
    rows = legacy_rows()[::7]
    sources = [shown_by_vntime(r[1]) for r in rows]  # capitals too: the .VnTimeH ones
    plain = [s.translate(dict.fromkeys(map(ord, "“”‘’–—…"), "-")) for s in sources]
    out = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input="\x00".join(plain).encode(),
                         capture_output=True, check=True).stdout.decode("latin-1").split("\x00")
    expected = [r[2].translate(dict.fromkeys(map(ord, "“”‘’–—…"), "-")) for r in rows]
    assert out == expected
    letters = [letter for letter, _, _ in unikey_rows() if letter.islower() or letter in "ĂÂÊÔƠƯĐ"]
    coded = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input="\n".join(letters).encode(),
                           capture_output=True, check=True).stdout.decode("latin-1").split("\n")
    assert [tcvn3_to_unicode(c) for c in coded] == letters
