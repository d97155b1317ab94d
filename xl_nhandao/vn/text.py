"""Vietnamese text normalisation for Excel registers.

Everything here is pure standard library (``unicodedata``, ``re``) and cheap to
import.  The main entry point for the workbook reader is :func:`fix_text`, which
turns whatever a text cell holds into NFC Unicode:

* plain ASCII and genuine Unicode (NFC or NFD) pass through (NFD is composed);
* text typed with the legacy 8-bit Vietnamese fonts is converted.  Excel keeps
  such text as the Windows-1252 characters of the font's byte codes:

  - TCVN3 / ABC (``.VnTime``, ``.VnArial`` ...): one byte per letter, lower-case
    letters plus seven toneless capitals; the ``.Vn...H`` fonts draw every
    letter as a capital;
  - VNI Windows (``VNI-Times`` ...): a base letter followed by a mark byte.

The encoding is taken from the cell's font when it names a legacy font (the
conversion is then letter by letter, as Unikey's converter), and is otherwise
guessed from the content word by word (:func:`is_vietnamese_syllable`): text that
is Vietnamese as it stands, even with a tone on the wrong vowel, or that could be
foreign or symbols, is Unicode and never changed.

Matching helpers: :func:`strip_diacritics`, :func:`fold` (headers, labels,
codes) and :func:`name_key` (people's names, tone placement insensitive).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

__all__ = [
    "fix_text",
    "fold",
    "is_vietnamese_syllable",
    "legacy_font_encoding",
    "name_key",
    "nfc",
    "strip_diacritics",
    "tcvn3_to_unicode",
    "vni_to_unicode",
]

_normalize = unicodedata.normalize


def nfc(s: str) -> str:
    """Return *s* in Unicode NFC (no copy when it already is)."""
    if s.isascii() or unicodedata.is_normalized("NFC", s):
        return s
    return _normalize("NFC", s)


# ---------------------------------------------------------------------------
# Vietnamese letters
#
# Tone numbers follow the VNI typing convention: 0 level (ngang), 1 acute (sắc),
# 2 grave (huyền), 3 hook above (hỏi), 4 tilde (ngã), 5 dot below (nặng).

_TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_TONE_DIGIT = {mark: str(i) for i, mark in enumerate(_TONE_MARKS) if mark}

# The twelve vowel letters without tone; "ă", "â", "ê", "ô", "ơ", "ư" carry a
# vowel-quality mark (breve, circumflex, horn) that is part of the letter.
_VOWELS = "aăâeêioôơuưy"
_CONSONANTS = "bcdđghklmnpqrstvx"


def _tone(vowel: str, tone: int) -> str:
    """Compose a toneless vowel letter with tone number *tone*."""
    return _normalize("NFC", vowel + _TONE_MARKS[tone])


# lower-case Vietnamese letter -> (letter without tone, tone number)
_VN_SPLIT: dict[str, tuple[str, int]] = {c: (c, 0) for c in _CONSONANTS}
for _v in _VOWELS:
    for _t in range(6):
        _VN_SPLIT[_tone(_v, _t)] = (_v, _t)

_VN_LETTERS = frozenset(_VN_SPLIT) | frozenset(c.upper() for c in _VN_SPLIT)

# ---------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993, VN3 subset used by the ABC ".Vn" fonts)
#
# Each toned vowel row occupies codes in the order grave, hook, tilde, acute,
# dot below; "None" means the toneless letter is the ASCII one.

_TCVN3_ROWS = (
    # vowel, toneless, grave, hook, tilde, acute, dot below
    ("a", None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    ("ă", 0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    ("â", 0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    ("e", None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    ("ê", 0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    ("i", None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    ("o", None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    ("ô", 0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    ("ơ", 0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    ("u", None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    ("ư", 0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    ("y", None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
)
_TCVN3_ROW_TONES = (2, 3, 4, 1, 5)  # tone numbers of the five toned columns
# the only capitals of TCVN3: toneless, and never the ASCII ones
_TCVN3_CAPITALS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}

_TCVN3_DECODE: dict[int, str] = {0xAE: "đ"}
for _row in _TCVN3_ROWS:
    if _row[1] is not None:
        _TCVN3_DECODE[_row[1]] = _row[0]
    for _t, _code in zip(_TCVN3_ROW_TONES, _row[2:], strict=True):
        _TCVN3_DECODE[_code] = _tone(_row[0], _t)
for _letter, _code in _TCVN3_CAPITALS.items():
    _TCVN3_DECODE[_code] = _letter


def tcvn3_to_unicode(s: str, upper: bool = False) -> str:
    """Convert TCVN3 (ABC, ``.VnTime``) text to NFC Unicode.

    Codes are mapped one character at a time; characters that are not TCVN3
    codes are kept.  TCVN3 has no toned capitals, so a capital written with the
    lower-case code (``NGUYÔN``) stays mixed case (``NGUYễN``).  ``upper=True``
    is for the ``.Vn...H`` fonts, which draw every letter as a capital: the
    converted text is upper-cased.
    """
    out = s.translate(_TCVN3_DECODE)
    if upper:
        out = out.upper()
    return nfc(out)


# ---------------------------------------------------------------------------
# VNI Windows
#
# A vowel is written as its ASCII base followed by one mark character; "ơ",
# "ư", "đ", the toned "i" and "ỵ" are single characters.  Capitals use the
# upper-case forms of the same characters.

_VNI_TONE = {1: "ù", 2: "ø", 3: "û", 4: "õ", 5: "ï"}  # after a, e, o, u, y, ơ, ư
_VNI_CIRCUMFLEX = {0: "â", 1: "á", 2: "à", 3: "å", 4: "ã", 5: "ä"}  # after a, e, o
_VNI_BREVE = {0: "ê", 1: "é", 2: "è", 3: "ú", 4: "ü", 5: "ë"}  # after a
_VNI_I = {1: "í", 2: "ì", 3: "æ", 4: "ó", 5: "ò"}  # toned i, single characters
_VNI_HORN = {"o": "ô", "u": "ö"}  # ơ, ư as single characters (tone marks follow)

# raw VNI text -> Unicode, for the single characters and every base+mark pair
_VNI_DECODE: dict[str, str] = {"ñ": "đ", "î": "ỵ"}
_VNI_DECODE.update({code: _tone("i", t) for t, code in _VNI_I.items()})
_VNI_DECODE.update({code: vowel + "\u031b" for vowel, code in _VNI_HORN.items()})
_VNI_DECODE = {k: _normalize("NFC", v) for k, v in _VNI_DECODE.items()}
_VNI_SINGLES = "".join(_VNI_DECODE)

_vni_pairs: dict[str, str] = {}
# (toned i and ỵ are single characters: "i" and "y" + dot never occur)
_vni_tone_bases = [(c, c) for c in "aeouy"] + [(h, _VNI_DECODE[h]) for h in _VNI_HORN.values()]
for _base, _vowel in _vni_tone_bases:
    for _t, _mark in _VNI_TONE.items():
        if _base != "y" or _t != 5:
            _vni_pairs[_base + _mark] = _tone(_vowel, _t)
for _base, _vowel in (("a", "â"), ("e", "ê"), ("o", "ô")):
    for _t, _mark in _VNI_CIRCUMFLEX.items():
        _vni_pairs[_base + _mark] = _tone(_vowel, _t)
for _t, _mark in _VNI_BREVE.items():
    _vni_pairs["a" + _mark] = _tone("ă", _t)
_VNI_MARKS = "".join(sorted({k[1] for k in _vni_pairs}))

for _key, _value in list(_VNI_DECODE.items()):
    _VNI_DECODE[_key.upper()] = _value.upper()
for _key, _value in _vni_pairs.items():
    # The base letter decides the case; a mark of the "wrong" case is accepted.
    for _b in (_key[0], _key[0].upper()):
        for _m in (_key[1], _key[1].upper()):
            _VNI_DECODE[_b + _m] = _value.upper() if _b.isupper() else _value

_VNI_BASES = "aeouy" + "".join(_VNI_HORN.values())
_VNI_RE = re.compile(
    f"[{_VNI_BASES}{_VNI_BASES.upper()}][{_VNI_MARKS}{_VNI_MARKS.upper()}]"
    f"|[{_VNI_SINGLES}{_VNI_SINGLES.upper()}]"
)


def _vni_sub(m: re.Match[str]) -> str:
    code = m.group()
    out = _VNI_DECODE.get(code)
    if out is None:  # base + mark that do not combine (e.g. "uê"): keep the mark
        out = _VNI_DECODE.get(code[0], code[0]) + code[1:]
    return out


def vni_to_unicode(s: str) -> str:
    """Convert VNI Windows (``VNI-Times``) text to NFC Unicode.

    Tone marks combine with the vowel before them (a, e, o, u, y and the
    single characters for ơ and ư; the toned i and ỵ are single characters
    too); circumflex and circumflex+tone marks only with a, e, o; breve and
    breve+tone marks only with a.  A mark after anything else is kept as it
    is.  The base letter decides the case (``AÙ`` and ``Aù`` both give Á).
    """
    return nfc(_VNI_RE.sub(_vni_sub, s))


del _v, _t, _row, _code, _letter, _base, _vowel, _mark, _key, _value, _b, _m


# ---------------------------------------------------------------------------
# Unicode -> legacy, the inverse conversions (tests and fixtures)

_encode_tables: dict[str, dict[str, str]] = {}


def _vni_encode_letter(letter: str) -> str:
    lower = letter.lower()
    base, tone = _VN_SPLIT[lower]
    if base == "đ":
        code = "ñ"
    elif base == "i" and tone:
        code = _VNI_I[tone]
    elif base == "y" and tone == 5:
        code = "î"
    elif base in ("â", "ê", "ô"):
        code = _normalize("NFD", base)[0] + _VNI_CIRCUMFLEX[tone]
    elif base == "ă":
        code = "a" + _VNI_BREVE[tone]
    else:
        plain = _normalize("NFD", base)[0]
        code = (_VNI_HORN[plain] if base in ("ơ", "ư") else plain) + _VNI_TONE.get(tone, "")
    return code.upper() if letter != lower else code


def _encode_table(name: str) -> dict[str, str]:
    table = _encode_tables.get(name)
    if table is None:
        table = {}
        if name == "tcvn3":
            for code, char in _TCVN3_DECODE.items():
                table[char] = chr(code)
            codes = {chr(code) for code in _TCVN3_DECODE}
        else:
            for letter in _VN_LETTERS:
                if not letter.isascii():
                    table[letter] = _vni_encode_letter(letter)
            codes = set(_VNI_MARKS + _VNI_MARKS.upper() + _VNI_SINGLES + _VNI_SINGLES.upper())
        for char in codes | _VN_LETTERS:
            if not char.isascii() and char not in table:
                table[char] = ""  # not representable
        _encode_tables[name] = table
    return table


def _encode(s: str, name: str) -> str:
    table = _encode_table(name)
    out = []
    for char in nfc(s):
        code = table.get(char)
        if code is None:
            out.append(char)
        elif code:
            out.append(code)
        else:
            raise ValueError(f"{char!r} cannot be written in {name.upper()}")
    return "".join(out)


def _unicode_to_tcvn3(s: str) -> str:
    """Encode NFC Unicode as TCVN3 (inverse of :func:`tcvn3_to_unicode`).

    Raises ValueError for toned capitals (TCVN3 has none) and for characters
    that would be read back as TCVN3 codes.
    """
    return _encode(s, "tcvn3")


def _unicode_to_vni(s: str) -> str:
    """Encode NFC Unicode as VNI Windows (inverse of :func:`vni_to_unicode`).

    Raises ValueError for characters that would be read back as VNI codes.
    """
    return _encode(s, "vni")


# ---------------------------------------------------------------------------
# Fonts


def _classify_font(font_name: str) -> str | None:
    name = "".join(font_name.split()).lower()
    if name.startswith(".vn"):
        return "tcvn3h" if name.endswith("h") else "tcvn3"
    if name.startswith("vni") and len(name) > 3:
        return "vni"
    return None


_font_cache: dict[str, str | None] = {}


def legacy_font_encoding(font_name: str | None) -> str | None:
    """Encoding implied by a font name.

    ``"tcvn3"`` for the ABC fonts (``.VnTime``, ``.VnArial``, ``.VnCentury
    Schoolbook`` ...), ``"tcvn3h"`` for their all-capitals ``.Vn...H`` variants
    (``.VnTimeH``, ``.VnArialH``), ``"vni"`` for ``VNI-Times``, ``VNI-Helve``
    ...; ``None`` for any other font.  Case and spaces are ignored.
    """
    if not font_name:
        return None
    try:
        return _font_cache[font_name]
    except KeyError:
        pass
    encoding = _classify_font(font_name)
    if len(_font_cache) < 4096:
        _font_cache[font_name] = encoding
    return encoding


# ---------------------------------------------------------------------------
# Vietnamese syllables

# initial consonants ("" for none; "q" only occurs as "qu")
# fmt: off
_ONSETS = frozenset((
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m",
    "n", "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
))
# fmt: on

# vowel nucleus -> the finals it takes ("-" for none)
_NUCLEI = {
    "a": "- c ch m n ng nh p t",
    "ă": "c m n ng p t",
    "â": "c m n ng p t",
    "e": "- c m n ng p t",
    "ê": "- ch m n nh p t",
    "i": "- ch m n nh p t",
    "o": "- c m n ng p t",
    "ô": "- c m n ng p t",
    "ơ": "- m n p t",
    "u": "- c m n ng p t",
    "ư": "- c m n ng t",
    "y": "- ch nh t",  # with a final only after qu: quých, quỳnh, quýt
    "ai": "-",
    "ao": "-",
    "au": "-",
    "ay": "-",
    "âu": "-",
    "ây": "-",
    "eo": "-",
    "êu": "-",
    "ia": "-",
    "iu": "-",
    "oi": "-",
    "ôi": "-",
    "ơi": "-",
    "ua": "-",
    "ui": "-",
    "ưa": "-",
    "ưi": "-",
    "ưu": "-",
    "iê": "c m n ng p t",
    "yê": "m n ng t",
    "uô": "c m n ng t",
    "ươ": "c m n ng p t",
    "iêu": "-",
    "yêu": "-",
    "uôi": "-",
    "ươi": "-",
    "ươu": "-",
    "oa": "- c ch m n ng nh p t",
    "oă": "c m n ng t",
    "oe": "- n t",
    "oo": "c ng",
    "oai": "-",
    "oay": "-",
    "oao": "-",
    "oeo": "-",
    "uâ": "n ng t",
    "uây": "-",
    "uê": "- ch nh",
    "uơ": "-",
    "uy": "- ch nh t",
    "uya": "-",
    "uyê": "n t",
    "uyu": "-",
}


def _tone_positions(nucleus: str, final: str) -> frozenset[int]:
    """Indices of the vowels of a rhyme that may carry the tone mark."""
    marked = [i for i, c in enumerate(nucleus) if c in "ăâêôơư"]
    if marked:  # the vowel with a quality mark (the last one: người, rượu)
        return frozenset(marked[-1:])
    last = len(nucleus) - 1
    if final or last == 0:  # toán, huýt, thuyết
        return frozenset((last,))
    if nucleus in ("oa", "oe", "uy"):  # old and new placement: hòa / hoà
        return frozenset((0, 1))
    if last == 2:  # ngoài, ngoáy, khuỷu
        return frozenset((1,))
    return frozenset((0,))  # glide endings: máy, kéo, múa, kìa


# rhyme (nucleus + final, without tone) -> indices where the tone may sit
_RHYMES: dict[str, frozenset[int]] = {
    nucleus + final.strip("-"): _tone_positions(nucleus, final.strip("-"))
    for nucleus, finals in _NUCLEI.items()
    for final in finals.split()
}


# rhymes whose first letter is the glide /w/ (oa, oă, oe, uâ, uê, uơ, uy ...)
_GLIDE_STARTS = frozenset(("oa", "oă", "oe", "uâ", "uê", "uơ", "uy"))


def _rhyme_ok(onset: str, rhyme: str, tone: int) -> bool:
    if tone not in (1, 5) and (rhyme[-1] in "cpt" or rhyme.endswith("ch")):
        return False  # stop finals take only the acute or dot-below tone
    if tone > 2 and rhyme.startswith("oo"):
        return False  # loanwords only: xoong, goòng, soóc
    first = rhyme[0]
    if rhyme in ("ych", "ynh", "yt") and onset != "qu":
        return False
    if onset == "k":
        return first in "ieêy"
    if onset in ("gh", "ngh"):
        return first in "ieê"
    if onset == "c":  # and c + glide is written qu: quà, quý, quân, quyết
        return first not in "ieêy" and rhyme[:2] not in _GLIDE_STARTS
    if onset == "qu":  # the u of qu is the glide: no second one (quuy, quoa)
        return first not in "ouư"
    if onset == "ng":
        return first not in "ieê"
    if onset == "g":  # "gi" before i is written g + i (gì, gìn)
        return first not in "eê"
    return True


@lru_cache(maxsize=16384)
def _is_syllable_lower(word: str) -> bool:
    tone = 0
    tone_at = -1
    letters = []
    for i, char in enumerate(word):
        split = _VN_SPLIT.get(char)
        if split is None:
            return False
        if split[1]:
            if tone:
                return False
            tone, tone_at = split[1], i
        letters.append(split[0])
    bare = "".join(letters)
    for k in range(min(3, len(bare) - 1), -1, -1):
        onset = bare[:k]
        if onset not in _ONSETS:
            continue
        rhyme = bare[k:]
        if _rhyme_fits(onset, rhyme, tone, tone_at - k):
            return True
        # old placement after qu, on the u: qúy, qùy (quý, quỳ)
        if onset == "qu" and rhyme == "y" and tone_at == 1:
            return True
        # "gi" + a rhyme starting with i drops that i: giếng, giữ
        if onset == "gi" and _rhyme_fits(onset, "i" + rhyme, tone, tone_at - k + 1):
            return True
    return False


@lru_cache(maxsize=16384)
def _is_loose_lower(word: str) -> bool:
    """A syllable, or one once its tone mark is moved to another vowel (buì, nuí)."""
    if _is_syllable_lower(word):
        return True
    tone = 0
    letters = []
    for char in word:
        split = _VN_SPLIT.get(char)
        if split is None:
            return False
        if split[1]:
            if tone:
                return False
            tone = split[1]
        letters.append(split[0])
    if not tone:
        return False
    for i, letter in enumerate(letters):
        if letter in _VOWELS:
            moved = "".join(letters[:i]) + _tone(letter, tone) + "".join(letters[i + 1 :])
            if _is_syllable_lower(moved):
                return True
    return False


def _rhyme_fits(onset: str, rhyme: str, tone: int, tone_at: int) -> bool:
    places = _RHYMES.get(rhyme)
    if places is None or (tone and tone_at not in places):
        return False
    return _rhyme_ok(onset, rhyme, tone)


def is_vietnamese_syllable(word: str) -> bool:
    """Whether *word* is a well-formed Vietnamese syllable.

    Checks: only Vietnamese letters, at most one tone mark, an initial consonant
    (cluster) from the real inventory, a vowel nucleus from the real list with a
    final it can take (c, ch, m, n, ng, nh, p, t), stop finals only with the
    acute or dot-below tone, the tone on a vowel that may carry it (old and new
    placement both accepted: hòa / hoà, thủy / thuỷ), and the c/k/qu, g/gh,
    ng/ngh spelling rules.  Loanwords and minority-language words (``Kon``,
    ``gen``) fail.  Case and Unicode normal form do not matter.
    """
    return bool(word) and _is_syllable_lower(nfc(word).lower())


# ---------------------------------------------------------------------------
# fix_text

# Legacy text only holds Latin-1 characters and, for bytes 0x80-0x9F, the
# Windows-1252 punctuation; any other character proves the cell is Unicode.
_CP1252_EXTRA = bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")
_UNICODE_ONLY_RE = re.compile("[^\x00-\xff" + re.escape(_CP1252_EXTRA) + "]")
_TOKEN_RE = re.compile("[A-Za-z\xa1-\xff]+")

# TCVN3 codes by case: the seven toneless capitals (Ă Â Ê Ô Ơ Ư Đ), and the
# others, lower-case letters, which a word in capitals uses too (TCVN3 has no
# toned capitals: "NGUYÔN" is how NGUYỄN is typed in a .VnTimeH font)
_TCVN3_UPPER = frozenset(chr(code) for code in _TCVN3_CAPITALS.values())
_TCVN3_LOWER = frozenset(chr(code) for code in _TCVN3_DECODE) - _TCVN3_UPPER

# abbreviations in capitals that hold a Đ: BCĐ, QĐ, HĐND, ĐVHC
_ABBREVIATION_RE = re.compile("[BCDĐGHKLMNPQRSTVX]{2,8}")

# TCVN3 codes that are symbols in Unicode text, and those of them that stand
# before a word ("µm", "©ACME", "¬p") or after one ("ACME®", "m²") there, or
# inside one ("l·l", "a×b")
_TCVN3_SYMBOLS = frozenset("¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾×÷")
_SYMBOLS_BEFORE = frozenset("µ©«§¶¬±×÷£¥¢¤¡")
_SYMBOLS_AFTER = frozenset("®»¹²³°º")
_SYMBOLS_INSIDE = frozenset("·×÷")
# VNI marks that no European spelling puts after a vowel (so "Mloâ" is VNI)
_VNI_FOREIGN_MARKS = frozenset("âêåäøõÂÊÅÄØÕ")

# natural log of the share of each tone in Vietnamese text (ngang ~33 %,
# sắc ~19 %, huyền ~20 %, hỏi ~9 %, ngã ~5 %, nặng ~14 %), relative to ngang:
# the last tie-break between the TCVN3 and the VNI reading (ö: ư or ử?)
_TONE_PRIOR = (0.0, -0.55, -0.5, -1.3, -1.9, -0.85)


def _tcvn3_case(token: str) -> str:
    """The case of a TCVN3 word's letters that have one: "U" for an ASCII
    capital or a TCVN3 capital, "L" for an ASCII lower-case letter."""
    return "".join(
        "U" if c in _TCVN3_UPPER or "A" <= c <= "Z" else "L"
        for c in token
        if c in _TCVN3_UPPER or c.isascii()
    )


def _case_fits(case: str) -> bool:
    """Lower case, capitals, or one capital first."""
    return "U" not in case or "L" not in case or (case[0] == "U" and "U" not in case[1:])


def _vni_case_fits(token: str, word: str) -> bool:
    """VNI writes a capital's mark in capitals too (AÙ for Á, never Aù), and
    the converted word is in lower case, capitals, or has one capital first."""
    for m in _VNI_RE.finditer(token):
        code = m.group()
        if len(code) == 2 and code[0].isupper() != code[1].isupper():
            return False
    return _unicode_case(word)


# Latin-1 letters of Vietnamese in Unicode, and Latin-1 letters that TCVN3 does
# not use (a TCVN3 cell has none: "THÍNH" is Unicode)
_LATIN1_VIETNAMESE = frozenset(c for c in map(chr, range(0xC0, 0x100)) if c.lower() in _VN_SPLIT)
_NOT_TCVN3 = frozenset(c for c in map(chr, range(0xC0, 0x100)) if c.isalpha()) - frozenset(
    chr(code) for code in _TCVN3_DECODE)


def _unicode_case(token: str) -> bool:
    """Lower case, capitals, or one capital first (not "tÕ", "NguyÔn")."""
    rest = token[1:]
    return token.islower() or token.isupper() or (token[0].isupper() and rest == rest.lower())


def _unicode_like(token: str) -> bool:
    """Letters of Vietnamese only, in lower case, capitals or with one capital
    first: a word that could be Unicode ("KÔN", "Drô") even if no syllable."""
    return all(c.isascii() or c in _LATIN1_VIETNAMESE for c in token) and _unicode_case(token)


def _rhyme_shaped(token: str) -> bool:
    """Whether *token* after its first consonants, tones aside, is a Vietnamese
    rhyme ("Kôn", "Drô"; not "Voõ", "Thêi", "Quaùch")."""
    bare = "".join(split[0] for split in map(_VN_SPLIT.get, token.lower()) if split is not None)
    if bare[:2] in ("qu", "gi") and len(bare) > 2:
        bare = bare[2:]
    return bare.lstrip(_CONSONANTS) in _RHYMES


def _strong(token: str, name: str) -> bool:
    """Whether a word that reads as Vietnamese in encoding *name* is good evidence
    on its own.  Not when it could be a Unicode word: Vietnamese letters in a
    Unicode case, after its consonants a Vietnamese rhyme ("Kôn", "Caù") or,
    in TCVN3, in capitals ("YÔNG");
    nor a short word (two characters, one ASCII) that could be foreign ("Où",
    "Hå") or a symbol ("µm"), but a TCVN3 one with a symbol where Unicode text
    has none is ("Hµ", "Lª")."""
    if len(token) <= 2 and any(c.isascii() for c in token):
        if name == "vni":
            return False
        first, last = token
        if first in _TCVN3_SYMBOLS:
            return first not in _SYMBOLS_BEFORE
        return last in _TCVN3_SYMBOLS and last not in _SYMBOLS_AFTER
    if not _unicode_like(token):
        return True
    # a TCVN3 word in capitals that looks like Unicode may be a minority name
    # in capitals ("YÔNG"); a lower-case one must be rhyme-shaped too
    return not (name == "tcvn3" and token.isupper()) and not _rhyme_shaped(token)


def _out_of_place(token: str, name: str) -> bool:
    """Whether *token* holds a legacy code that Unicode text does not have there:
    a TCVN3 symbol inside a word or at an end where none stands ("Ks¬r", "Niª"),
    a VNI circumflex or horn mark after a vowel ("Mloâ")."""
    if name == "vni":
        return any(len(m.group()) == 2 and m.group()[1] in _VNI_FOREIGN_MARKS
                   for m in _VNI_RE.finditer(token))
    last = len(token) - 1
    for i, c in enumerate(token):
        if c in _TCVN3_SYMBOLS and c not in _SYMBOLS_INSIDE:
            if (i == 0 and c in _SYMBOLS_BEFORE) or (i == last and c in _SYMBOLS_AFTER):
                continue
            return True
    return False


class _Reading:
    """The evidence for reading a cell's words as legacy text in one encoding."""

    __slots__ = ("against", "known", "lettered", "medium", "mixed", "named", "prior", "strong", "swaps", "weak")

    def __init__(self) -> None:
        self.strong = self.medium = self.weak = self.against = self.known = self.mixed = self.named = 0
        self.swaps = self.lettered = 0
        self.prior = 0.0

    @property
    def score(self) -> int:
        """Points for the reading, 0 when there is not enough evidence."""
        if not self.strong and self.medium < 2:
            return 0
        return 6 * self.strong + 3 * self.medium + 2 * self.weak - self.against

    def key(self) -> tuple[int, int, int, int, float]:
        """Orders two readings: score, then words in the case of the cell, then
        words common in people's names ("Vũ Thuỷ", not "Vị Thủ"), then words that
        are known syllables, then the tone prior."""
        return (self.score, -self.mixed, self.named, self.known, self.prior)


def _reading(tokens: list[str], plain: list[bool], name: str, context: bool,
             lower_cell: bool) -> _Reading:
    """Evidence for reading the words *tokens* as legacy text in encoding *name*.

    Points for it: 6 for each word that is no Vietnamese syllable as it stands
    (*plain* False) and becomes one, 2 only when that word could be Unicode,
    foreign or a symbol ("KÔN", "µm", "Où"; see :func:`_strong`), unless it is
    two letters, *context* says the cell is Vietnamese (its ASCII words are
    syllables: "Hå An") and the reading changes no word that is Vietnamese
    already (one odd word does not convert "Hå Lê Thu", nor "10 µm"); a capital abbreviation with Đ (BC§ → BCĐ)
    counts as a syllable.  3 for a word that
    becomes Vietnamese letters but no syllable (a minority name: "Ks¬r" →
    Ksơr) when it holds a legacy code out of place for Unicode.  A reading
    needs a 6-point word or two 3-point ones.  Points against: 1 for each word
    the reading changes that was Vietnamese already (a syllable, or one with
    its tone on the wrong vowel: "Buì"), 4 if it is no syllable after; 2 for
    each other word it changes without making it Vietnamese; 2 in TCVN3 for
    each word with a Latin-1 letter that TCVN3 does not use ("THÍNH").
    """
    r = _Reading()
    for token, ok in zip(tokens, plain):
        if name == "tcvn3" and any(c in _NOT_TCVN3 for c in token):
            r.against += 2  # stays foreign in this reading
        if name == "vni":
            word = vni_to_unicode(token)
            if word == token:
                continue
            fits = _vni_case_fits(token, word)
        else:
            word = token.translate(_TCVN3_DECODE)
            if word == token:
                continue
            fits = _case_fits(_tcvn3_case(token))
        abbreviation = False
        lower = word.lower()
        valid = fits and (
            _is_syllable_lower(lower)
            or (abbreviation := "Đ" in word and _ABBREVIATION_RE.fullmatch(word) is not None)
        )
        if ok:
            r.against += 1 if valid else 4
            r.swaps += 1
        elif valid:
            if abbreviation or _strong(token, name):
                r.strong += 1
            else:
                r.weak += 1
                if len(token) <= 2 and not any(c in _TCVN3_SYMBOLS for c in token):
                    r.lettered += 1
        elif fits and all(c.isascii() or c in _VN_SPLIT for c in lower) and _out_of_place(token, name):
            r.medium += 1
        else:
            r.against += 2
        if valid:
            r.known += _word_key(lower) in _known_syllables()
            r.named += _word_key(lower) in _name_syllables()
            r.prior += sum(_TONE_PRIOR[_VN_SPLIT[c][1]] for c in lower if c in _VN_SPLIT)
            if name == "vni" and lower_cell and len(word) > 1 and word.isupper():
                r.mixed += 1  # "LƯ" in "Cao Kim LƯ": the TCVN3 "Lệ" fits better
    if context and not r.swaps:  # "Hå An"; but not "Hå Lê Thu", nor "10 µm"
        r.strong += r.lettered
        r.weak -= r.lettered
    return r


_KNOWN: set[str] = set()

#: Syllables common in people's names: family names, middle names and the most common
#: given names (tone-placement insensitive keys). When two readings of a name are both
#: Vietnamese, the one made of these is the name ("Vò Thuû" is Vũ Thuỷ in TCVN3, not
#: Vị Thủ in VNI).
_NAME_WORDS = (
    "nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh mai đoàn lương hà trịnh "
    "cao lâm tô châu tạ lưu thái kiều quách chu từ vương triệu mạc trương tăng lục nông vi ma hứa khổng "
    "văn thị đức minh quang hữu công xuân đình ngọc thành tấn thanh trọng anh bá duy thu kim mỹ bích hồng "
    "thùy thuỳ phương diệu hoài an bình cường dũng hùng hải long nam phúc quân sơn thắng tuấn trung hòa hoà "
    "lộc tài khánh huy hưng đạt phong tiến vinh toàn nghĩa lợi tâm chiến thuận quý thịnh khoa hiếu kiên "
    "mạnh nhân phát sang tú việt hậu trí bảo tùng hiền lan hoa hương mai nga hạnh loan thảo trang linh yến "
    "hằng thủy thuỷ tuyết nhung huệ cúc đào liên vân dung oanh sen lựu mơ hiền lệ nhàn thoa gấm lài nguyệt "
    "quyên diễm trinh my vy thắm tươi bảy sáu tư ba tám")
_NAMED: set[str] = set()


def _name_syllables() -> set[str]:
    if not _NAMED:
        _NAMED.update(_word_key(w) for w in _NAME_WORDS.split())
    return _NAMED


def _known_syllables() -> set[str]:
    """Syllables of the names of Vietnam's administrative units, as tone-placement
    insensitive keys (:func:`_word_key`: "thuỷ" and "thủy" are the same syllable)."""
    if not _KNOWN:
        from pathlib import Path

        raw = (Path(__file__).parent / "data" / "adminunits.json").read_text(encoding="utf-8")
        _KNOWN.update(_word_key(w) for w in re.findall(r"[^\W\d_]+", nfc(raw).lower()) if _is_syllable_lower(w))
    return _KNOWN


def _tcvn3_detected(s: str) -> str:
    """Convert TCVN3 text whose font is not known.

    A word typed in capitals (at least two, no ASCII lower-case letter, and a
    lower-case code: "NGUYÔN", "THUû") was shown by a ``.Vn...H`` font and is
    upper-cased.  When the cell has no ASCII lower-case letter at all and such
    a word or a syllable in capitals ("V¡N"; an abbreviation such as "KL" does
    not count), so are its other words with a capital ("Hµ" in "NGUYÔN THÞ Hµ",
    "§ç" in "§ç V¡N AN"; but "Sè" in "Sè 24 -KL/BC§" stays "Số").
    """
    out = s.translate(_TCVN3_DECODE)
    capitals: list[tuple[int, int, bool]] = []
    any_lower = typed_upper = in_capitals = False
    for m in _TOKEN_RE.finditer(s):
        token = m.group()
        case = _tcvn3_case(token)
        if "L" in case:
            any_lower = True
        elif "U" in case:
            upper = case.count("U") >= 2 and any(c in _TCVN3_LOWER for c in token)
            typed_upper = typed_upper or upper
            capitals.append((m.start(), m.end(), upper))
            # a syllable in capitals ("V¡N", "T¦¥I"; not an abbreviation: "KL")
            in_capitals = in_capitals or (
                len(case) >= 2 and _is_syllable_lower(out[m.start() : m.end()].lower()))
    if typed_upper or (in_capitals and not any_lower):
        pieces = []
        done = 0
        for start, end, upper in capitals:
            if upper or not any_lower:
                pieces += (out[done:start], out[start:end].upper())
                done = end
        pieces.append(out[done:])
        out = "".join(pieces)
    return nfc(out)


_detect_cache: dict[str, tuple[str, str | None]] = {}


def _detect(s: str) -> tuple[str, str | None]:
    result = _detect_cache.get(s)
    if result is None:
        result = _detect_uncached(s)
        if len(_detect_cache) >= 8192:
            _detect_cache.clear()
        _detect_cache[s] = result
    return result


def _detect_uncached(s: str) -> tuple[str, str | None]:
    # ASCII words read the same in every encoding, and a lone character such
    # as "×" or "½" is no evidence: only longer words with other characters
    # tell the readings apart.
    # (a word repeated is no more evidence than once)
    tokens = list(dict.fromkeys(t for t in _TOKEN_RE.findall(s) if len(t) > 1 and not t.isascii()))
    if not tokens:
        return s, None
    # Vietnamese as it stands, tone placement aside: genuine Unicode
    plain = [_is_loose_lower(t.lower()) and _unicode_case(t) for t in tokens]
    if all(plain):
        return s, None
    # ASCII words that are Vietnamese syllables ("Hå An") make short words
    # good evidence; other ASCII words ("10 µm thick", "là où il est") do not
    words = [w for w in _TOKEN_RE.findall(s) if w.isascii()]
    context = bool(words) and all(_is_syllable_lower(w.lower()) for w in words)
    lower_cell = any(not w.isupper() for w in words)
    best = None
    best_key: tuple[int, int, int, float] = (0, 0, 0, 0.0)
    for name in ("tcvn3", "vni"):
        key = _reading(tokens, plain, name, context, lower_cell).key()
        # on a full tie TCVN3, the more common of the two, wins
        if key[0] > 0 and (best is None or key > best_key):
            best, best_key = name, key
    if best is None:
        return s, None
    out = _tcvn3_detected(s) if best == "tcvn3" else vni_to_unicode(s)
    return (out, best) if out != s else (s, None)


def fix_text(s: str, font: str | None = None) -> tuple[str, str | None]:
    """Normalise one text cell: ``(NFC Unicode text, encoding or None)``.

    * ASCII text is returned as is (upper-cased for a ``.Vn...H`` font, which
      displays every letter as a capital);
    * text with a character that legacy text cannot hold (beyond Latin-1 and
      the Windows-1252 punctuation) is Unicode: returned in NFC;
    * with a legacy *font* (see :func:`legacy_font_encoding`) the text is
      converted from that encoding;
    * otherwise the words are weighed: a TCVN3 or VNI reading is used only
      when a word that is no Vietnamese as it stands becomes a syllable in it
      and could not be Unicode, foreign or a symbol, and the evidence
      outweighs the Vietnamese words it would change (so ``"Lê Tú"``,
      ``"Lê Buì"``, ``"10 µm"`` or ``"Où … côté"`` are never converted);
      TCVN3 typed in capitals comes out in capitals (``"NGUYÔN"`` → NGUYỄN).

    The encoding returned is ``"tcvn3"``, ``"tcvn3h"`` or ``"vni"`` when the
    text was converted, else ``None``.
    """
    if s.isascii():
        if font is None or legacy_font_encoding(font) != "tcvn3h":
            return s, None
        up = s.upper()
        return (up, "tcvn3h") if up != s else (s, None)
    if _UNICODE_ONLY_RE.search(s) is not None:
        return nfc(s), None
    encoding = legacy_font_encoding(font) if font else None
    if encoding is None:
        return _detect(s)
    if encoding == "vni":
        out = vni_to_unicode(s)
    else:
        out = tcvn3_to_unicode(s, upper=encoding == "tcvn3h")
    return (out, encoding) if out != s else (s, None)


# ---------------------------------------------------------------------------
# Matching keys

_COMBINING = range(0x0300, 0x0370)
_STRIP_TABLE: dict[int, str | None] = dict.fromkeys(_COMBINING)
_STRIP_TABLE.update(dict.fromkeys(range(0x1DC0, 0x1E00)))
_STRIP_TABLE.update(dict.fromkeys(range(0xFE20, 0xFE30)))
# đ and the look-alike eth (Ð is often typed for Đ)
_STRIP_TABLE.update({0x0110: "D", 0x0111: "d", 0x00D0: "D", 0x00F0: "d"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def strip_diacritics(s: str) -> str:
    """Remove every accent and tone mark; đ/Đ become d/D."""
    if s.isascii():
        return s
    return _normalize("NFC", _normalize("NFD", s).translate(_STRIP_TABLE))


_FOLD_SEP_RE = re.compile(r"[\s\-_./,:;()'’‘–—]+")


def fold(s: str) -> str:
    """Accent- and case-insensitive key for headers, labels and codes.

    Lower case, no diacritics, every run of whitespace (line breaks, NBSP ...)
    and of the punctuation ``- _ . / , : ; ( ) ' ’`` (and ‘ – —) becomes one
    space, trimmed: ``fold("Họ và\\ntên ") == "ho va ten"``.
    """
    hit = _FOLDED.get(s)
    if hit is not None:
        return hit
    key = s
    if not key.isascii():
        key = strip_diacritics(key.translate(_INVISIBLE))
    key = _FOLD_SEP_RE.sub(" ", key.lower()).strip()
    if len(_FOLDED) < 65536:  # headers, labels, codes and villages repeat
        _FOLDED[s] = key
    return key


_FOLDED: dict[str, str] = {}


_NAME_PRE = dict(_INVISIBLE)
_NAME_PRE.update(dict.fromkeys(map(ord, "'’‘`´ʼ")))  # apostrophes: H'Hen == HHen
_NAME_PRE.update({0x00D0: "Đ", 0x00F0: "đ"})
_NAME_SPLIT_RE = re.compile(r"[^\w\u0300-\u036f]+|_+")


def name_key(s: str) -> str:
    """Key for matching people's names.

    NFC, lower case, apostrophes dropped, other punctuation and whitespace
    turned into single spaces; accents are kept but the tone mark is moved to
    the end of each word as a digit (1 acute, 2 grave, 3 hook, 4 tilde,
    5 dot below, 0 none), so old and new tone placement match:
    ``name_key("Hoà") == name_key("Hòa")`` but ``!= name_key("Hóa")``.
    """
    hit = _NAME_KEYS.get(s)
    if hit is not None:
        return hit
    original = s
    s = nfc(s.translate(_NAME_PRE)).lower()
    cache = _WORD_KEYS
    out = []
    for word in _NAME_SPLIT_RE.split(s):
        if not word:
            continue
        key = cache.get(word)
        if key is None:
            key = _word_key(word)
            if len(cache) < 65536:  # names share a few thousand syllables
                cache[word] = key
        out.append(key)
    key = " ".join(out)
    if len(_NAME_KEYS) < 65536:  # supporters and villages repeat
        _NAME_KEYS[original] = key
    return key


_WORD_KEYS: dict[str, str] = {}
_NAME_KEYS: dict[str, str] = {}


def _word_key(word: str) -> str:
    if word.isascii():
        return word if word.isdigit() else word + "0"
    decomposed = _normalize("NFD", word)
    tones = "".join(_TONE_DIGIT[c] for c in decomposed if c in _TONE_DIGIT)
    if tones:
        word = _normalize("NFC", "".join(c for c in decomposed if c not in _TONE_DIGIT))
    return word + (tones or "0")


_CACHE_CLEARERS: list[Callable[[], None]] = []


def register_cache(clear: Callable[[], None]) -> None:
    """Modules above this one that memoise text-derived keys (header keys, parsed
    cells) register their ``clear`` here, so :func:`clear_caches` reaches them without
    this module importing them."""
    _CACHE_CLEARERS.append(clear)


def clear_caches() -> None:
    """Forget every memoised key (benchmarks measure a cold start with this)."""
    _FOLDED.clear()
    _NAME_KEYS.clear()
    _WORD_KEYS.clear()
    _detect_cache.clear()
    _font_cache.clear()
    _is_syllable_lower.cache_clear()
    _is_loose_lower.cache_clear()
    for clear in _CACHE_CLEARERS:
        clear()
