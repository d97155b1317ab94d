"""Build the corpus of ``tests/test_text_corpus.py`` (legacy TCVN3/VNI text, genuine Unicode).

Usage::

    python scripts/build_text_corpus.py                      # (re)write tests/data/text_*.gz
    python scripts/build_text_corpus.py --unikey data.cpp    # also re-extract the Unikey table

Writes, deterministically:

* ``tests/data/text_legacy.tsv.gz``: official text (sentences of the seed documents
  in ``/work/shared/seeds`` or ``--seeds``, people's names left out) and synthetic
  names (``xl_nhandao.demo.synth``; no real person), each with its TCVN3 and its
  VNI encoding.  Columns: kind (``seed`` / ``name``), Unicode (NFC), TCVN3, the
  TCVN3 font (``.VnTime``, or ``.VnTimeH`` for a cell in capitals), VNI.
* ``tests/data/text_unicode.txt.gz``: genuine Unicode cells, one a line: synthetic
  names (with every single slip of a tone mark to another vowel of a word, and old
  and new placement), villages, circumstances and the other text of synthetic
  registers, Vietnamese syllables that Latin-1 can write, foreign words and
  symbols.  None of them may change.

The encoders are independent of ``xl_nhandao.vn.text``:

* TCVN3: glibc ``iconv -t TCVN5712-1``.  That is TCVN 5712 VN1, whose letters are
  those of VN3 (the ABC ``.VnTime`` fonts) plus toned capitals in the C0/C1 ranges
  and combining tone marks at 0xB0-0xB4.  So the text is given to iconv in NFC
  (iconv does not compose: NFD ``a`` + U+0300 comes out as ``a`` + 0xB0, which no
  ABC font has) and with its toned capitals in lower case, as a clerk typing in
  ``.VnTime`` gets them (VN3 has no toned capitals); a cell in capitals keeps its
  ASCII and toneless capitals and is meant for ``.VnTimeH``.  Windows-1252
  punctuation (“ ” – …), which iconv rejects, is kept as it is: Excel shows it so.
* VNI: the VNI-WIN table of Unikey's converter (``ukengine/data.cpp``, the
  ``DoubleByteTables`` and ``UnicodeTable`` arrays), extracted once into
  ``tests/data/unikey_charsets.tsv`` (which also holds Unikey's TCVN3 table, to
  check our decoder letter by letter).
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
UNIKEY = DATA / "unikey_charsets.tsv"
LEGACY = DATA / "text_legacy.tsv.gz"
UNICODE = DATA / "text_unicode.txt.gz"
SEEDS = Path("/work/shared/seeds")

# Windows-1252 punctuation: a legacy cell shows it as it is
CP1252_PUNCTUATION = frozenset("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
VN1_ONLY = re.compile("[\x01-\x17\x80-\x9f\xb0-\xb4]")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def toned(c: str) -> bool:
    return any(m in TONE_MARKS for m in unicodedata.normalize("NFD", c))


# --------------------------------------------------------------------------- Unikey


def extract_unikey(cpp: Path) -> list[tuple[str, str, str]]:
    """(letter, TCVN3, VNI-WIN) for the letters of Unikey's 213-entry index."""
    text = cpp.read_bytes().decode("latin-1")

    def array(name: str) -> str:
        start = text.index(name)
        return text[text.index("{", start) : text.index("}", text.index("{", start))]

    unicode_row = [int(x, 16) for x in re.findall(r"0x[0-9a-fA-F]+", array("UnicodeTable[TOTAL_VNCHARS]"))]
    vni_row = [int(x, 16) for x in re.findall(r"0x[0-9a-fA-F]+", array("DoubleByteTables[][TOTAL_VNCHARS]"))]
    tcvn3_src = array("SingleByteTables[][TOTAL_VNCHARS]")
    tcvn3_row = [ord(m[1]) if m[1] else int(m[2], 16)
                 for m in re.finditer(r"'(.)'|(0x[0-9a-fA-F]+)", tcvn3_src, re.S)]
    rows = []
    for i in range(186):  # the letters; the rest are Western symbols
        letter = chr(unicode_row[i])
        if letter.isascii():
            continue
        word = vni_row[i]
        vni = chr(word & 0xFF) + (chr(word >> 8) if word >> 8 else "")
        rows.append((letter, chr(tcvn3_row[i]), vni))
    return rows


def write_unikey(rows: list[tuple[str, str, str]], source: str) -> None:
    lines = [
        "# Unikey's converter tables (vnconv, ukengine/data.cpp): letter, TCVN3, VNI-WIN",
        f"# extracted by scripts/build_text_corpus.py from {source}",
        "# (bytes shown as the Windows-1252 characters Excel keeps; TCVN3 writes a",
        "#  toned capital with the lower-case code, VNI-WIN base letter then mark)",
    ]
    lines += ["\t".join(r) for r in rows]
    UNIKEY.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_unikey() -> list[tuple[str, str, str]]:
    rows = []
    for line in UNIKEY.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            letter, tcvn3, vni = line.split("\t")
            rows.append((letter, tcvn3, vni))
    return rows


# --------------------------------------------------------------------------- encoders


def iconv_available() -> bool:
    if shutil.which("iconv") is None:
        return False
    r = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=b"a", capture_output=True)
    return r.returncode == 0


def tcvn3_visible(text: str) -> str:
    """What a ``.VnTime`` cell can show of *text*: toned capitals in lower case."""
    return "".join(c.lower() if c.isupper() and toned(c) else c for c in nfc(text))


def encode_tcvn3(texts: list[str]) -> list[str | None]:
    """TCVN3 (VN3) by glibc iconv; None where a character cannot be written."""
    runs: dict[str, None] = {}
    parts: list[list[tuple[bool, str]] | None] = []
    for text in texts:
        pieces: list[tuple[bool, str]] = []
        for chunk in re.split(f"([{''.join(sorted(CP1252_PUNCTUATION))}]+)", tcvn3_visible(text)):
            if chunk and chunk[0] in CP1252_PUNCTUATION:
                pieces.append((False, chunk))
            elif chunk:
                pieces.append((True, chunk))
                runs[chunk] = None
        parts.append(pieces)
    # one call per run, so that one character iconv rejects only drops its own cell
    table: dict[str, str | None] = {}
    batch = list(runs)
    proc = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
                          input="\x00".join(batch).encode(), capture_output=True)
    if proc.returncode == 0:
        outs = proc.stdout.split(b"\x00")
        assert len(outs) == len(batch)
        table = {run: out.decode("latin-1") for run, out in zip(batch, outs)}
    else:  # find the bad runs one by one
        for run in batch:
            p = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=run.encode(),
                               capture_output=True)
            table[run] = p.stdout.decode("latin-1") if p.returncode == 0 else None
    out: list[str | None] = []
    for pieces in parts:
        coded = [table[chunk] if convert else chunk for convert, chunk in pieces]
        if any(c is None for c in coded):
            out.append(None)
            continue
        joined = "".join(c for c in coded if c is not None)
        # VN1-only codes (toned capitals, combining marks) have no place in VN3
        assert not VN1_ONLY.search(joined), (pieces, joined)
        out.append(joined)
    return out


def encode_vni(texts: list[str], table: dict[str, str]) -> list[str | None]:
    out: list[str | None] = []
    for text in texts:
        coded = []
        for c in nfc(text):
            if c in table:
                coded.append(table[c])
            elif c.isascii() or c in CP1252_PUNCTUATION:
                coded.append(c)
            else:
                coded = None
                break
        out.append("".join(coded) if coded is not None else None)
    return out


# --------------------------------------------------------------------------- sources

# three or more capitalised words in a row, in a line not in capitals: a person's name
_NAME_RE = re.compile(r"(?:\b[A-ZĐÀ-ỸẠ-Ỹ][^\s,.;:()]*\s+){2,}[A-ZĐÀ-ỸẠ-Ỹ]")


def seed_cells(folder: Path) -> list[str]:
    cells: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = nfc(line.replace("*", "").strip())
            if not line or line.isascii():
                continue
            for sentence in re.split(r"(?<=[.;:!?])\s+", line):
                sentence = sentence.strip(" -–•")
                if len(sentence) < 2 or sentence.isascii():
                    continue
                if sentence != sentence.upper() and _NAME_RE.search(sentence):
                    continue  # leave people out
                cells.append(sentence[:250])
    return list(dict.fromkeys(cells))


def unit_cells(n_communes: int) -> tuple[list[str], list[str]]:
    """(names of people, other text) from synthetic registers of many communes."""
    from xl_nhandao.demo import synth
    from xl_nhandao.vn import adminunits

    communes = []
    for province in adminunits.provinces("2025"):
        communes += adminunits.communes_of(province.code, "2025")
    rng = random.Random(5712)
    picked = rng.sample(communes, min(n_communes, len(communes)))
    names: dict[str, None] = {}
    other: dict[str, None] = {}
    for i, commune in enumerate(picked):
        unit = synth.make_unit(commune.code, seed=i)
        for rows in unit.tables.values():
            for row in rows:
                for header, value in row.items():
                    if not isinstance(value, str) or value.isascii():
                        continue
                    (names if header == synth.H_DC["ho_ten"] else other)[nfc(value)] = None
    return list(names), list(other)


_VOWELS = "aăâeêioôơuưy"


def split_tone(word: str) -> tuple[str, str]:
    """(word without its tone mark, the mark), from Unicode data alone."""
    bare, mark = [], ""
    for c in word:
        d = unicodedata.normalize("NFD", c)
        marks = [m for m in d[1:] if m in TONE_MARKS]
        if marks:
            mark = marks[0]
            d = d.replace(mark, "")
        bare.append(nfc(d))
    return "".join(bare), mark


def tone_slips(word: str) -> list[str]:
    """The word with its tone mark on each of its other vowels (Bùi → Buì, Thủy → Thuỷ)."""
    bare, mark = split_tone(word)
    if not mark:
        return []
    out = []
    for i, c in enumerate(bare):
        if c.lower() in _VOWELS:
            slipped = nfc(bare[: i + 1] + mark + bare[i + 1 :])
            if slipped != word:
                out.append(slipped)
    return out


def latin1_words(texts: list[str]) -> list[str]:
    """Words of real Vietnamese text (the official text, every synthetic string, the
    names of administrative units) whose letters are all in Latin-1: the only
    Vietnamese words a detector can mistake for legacy text."""
    import json

    from xl_nhandao.vn import adminunits

    raw = json.loads((Path(adminunits.__file__).parent / "data" / "adminunits.json").read_text("utf-8"))
    units: list[str] = []

    def walk(o: object) -> None:
        if isinstance(o, str):
            units.append(o)
        elif isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(raw)
    words: dict[str, None] = {}
    for text in [*texts, *units]:
        for w in re.findall(r"[^\W\d_]+", nfc(text).lower()):
            if not w.isascii() and all(ord(c) < 0x100 for c in w):
                words[w] = None
    return sorted(words)


FOREIGN = [
    "Où est le côté ouest ?", "Où … côté", "là où il est", "Café crème", "Société Générale", "Crédit Agricole",
    "Hôtel de Ville", "Noël", "Zoé", "Chloé", "Hélène", "Thérèse", "André", "José", "Renée", "naïf", "maïs",
    "Haïti", "aéroport", "goût", "coût", "août", "forêt", "être", "fête", "île", "Saône", "Côte d'Ivoire",
    "déjà vu", "voilà", "à la carte", "rôle", "Müller", "Straße", "Köln", "schön", "für", "Größe", "Öl",
    "Jürgen", "Bär", "Ärzte", "Übersicht", "Österreich", "Zürich", "München", "Düsseldorf", "Peña", "España",
    "niño", "mañana", "acción", "Ramón", "Martín", "Iñigo", "Ibáñez", "año", "Ñu", "São Paulo", "João",
    "Conceição", "não", "põe", "coração", "Åse", "Bjørn", "Ægir", "så", "på", "gå", "Ålesund", "Øst",
    "København", "smörgåsbord", "Kraków", "Łódź", "Dvořák", "Ísland", "Þór", "Señor", "Ça va", "façade",
    "garçon", "piñata", "jalapeño", "Pokémon", "résumé", "naïve", "Beyoncé", "Citroën", "Nescafé",
    "10 µm", "5 µg", "µs", "25°C", "m²", "m³", "±5%", "½ kg", "¼", "¾", "2 × 3", "a × b", "«Hello»",
    "© 2024 ACME®", "ACME®", "© ACME", "§ 3", "¶ 2", "1º", "2ª", "don´t", "H´Hen", "l·l", "¿Qué?",
    "¡Hola!", "£5", "¥100", "¢50", "¤", "¬p", "÷ 2", "x²", "H₂O", "CO₂", "1½", "ÀÁÂÃ", "Ø 12 mm", "Ø12",
    "Mr. Müller & Co.", "Ngân hàng BNP Paribas – Société", "Nestlé Việt Nam", "L'Oréal", "Hermès",
    "Dior ®", "Coca-Cola®", "Mitsubishi™", "iPhone®", "Lê Café", "Tô Café", "Bà Rịa café", "Thư Café",
]


def genuine_unicode(names: list[str], other: list[str], seeds: list[str]) -> list[str]:
    rng = random.Random(1993)
    cells: dict[str, None] = {}

    def add(s: str) -> None:
        s = nfc(s)
        if s and "\n" not in s:
            cells[s] = None

    for name in names:
        add(name)
        add(name.upper())
        words = name.split()
        for i, w in enumerate(words):
            for slip in tone_slips(w):  # one slip of the tone in one word
                add(" ".join([*words[:i], slip, *words[i + 1 :]]))
    for text in [*other, *seeds]:
        add(text)
    syllables = latin1_words([*names, *other, *seeds])
    for syl in syllables:
        add(syl)
        add(syl.capitalize())
        for slip in tone_slips(syl):
            add(slip)
            add(slip.capitalize())
    for _ in range(6000):
        words = rng.sample(syllables, rng.randint(2, 4))
        if rng.random() < 0.3:  # one slip in the cell
            i = rng.randrange(len(words))
            slips = tone_slips(words[i])
            if slips:
                words[i] = rng.choice(slips)
        text = " ".join(w.capitalize() for w in words) if rng.random() < 0.6 else " ".join(words)
        add(text.upper() if rng.random() < 0.15 else text)
    latin1_names = [n for n in names if all(ord(c) < 0x100 for c in n)]
    for item in FOREIGN:
        add(item)
        add(item.upper())
        if len(item) <= 2:
            # a two-letter foreign word ("Ñu", "på") in a Vietnamese name is legacy
            # text (Đu, pồ) more likely than not, and read so
            continue
        for _ in range(8):
            viet = rng.choice(latin1_names or syllables)
            add(f"{viet} {item}" if rng.random() < 0.5 else f"{item} {viet}")
    return list(cells)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--unikey", type=Path, help="Unikey's ukengine/data.cpp, to re-extract its tables")
    ap.add_argument("--unikey-source", help="where that data.cpp comes from, for the table's header")
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="folder of official text (*.txt)")
    ap.add_argument("--communes", type=int, default=120, help="synthetic registers to take names from")
    args = ap.parse_args(argv)

    if args.unikey:
        write_unikey(extract_unikey(args.unikey), args.unikey_source or str(args.unikey))
    unikey = read_unikey()
    vni_table = {letter: vni for letter, _, vni in unikey}
    if not iconv_available():
        print("iconv with TCVN5712-1 is needed (glibc)", file=sys.stderr)
        return 2

    seeds = seed_cells(args.seeds)
    names, other = unit_cells(args.communes)
    upper_names = names[::5]
    legacy_sources = ([("seed", s) for s in seeds] + [("name", n) for n in names]
                      + [("name", n.upper()) for n in upper_names])
    texts = [t for _, t in legacy_sources]
    tcvn3 = encode_tcvn3(texts)
    vni = encode_vni(texts, vni_table)
    rows = []
    for (kind, text), t3, v in zip(legacy_sources, tcvn3, vni):
        if t3 is None or v is None:
            continue
        font = ".VnTimeH" if text == text.upper() and text != text.lower() else ".VnTime"
        rows.append("\t".join((kind, text, t3, font, v)))
    with gzip.GzipFile(LEGACY, "wb", mtime=0) as f:
        f.write(("\n".join(rows) + "\n").encode("utf-8"))

    cells = genuine_unicode(names, other, seeds)
    with gzip.GzipFile(UNICODE, "wb", mtime=0) as f:
        f.write(("\n".join(cells) + "\n").encode("utf-8"))

    n_seed = sum(1 for r in rows if r.startswith("seed"))
    latin1 = sum(1 for c in cells if all(ord(ch) < 0x100 or ch in CP1252_PUNCTUATION for ch in c)
                 and not c.isascii())
    print(f"legacy: {len(rows)} cells ({n_seed} official text, {len(rows) - n_seed} names; "
          f"{len(legacy_sources) - len(rows)} left out: a character neither encoding has)")
    print(f"unicode: {len(cells)} cells, {latin1} of them only Latin-1/Windows-1252 (content detection)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
