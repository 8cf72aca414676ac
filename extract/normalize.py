"""Persian normalization that remembers where every character came from.

``normalize(text)`` runs a fixed sequence of passes, each a rewrite recorded edit by edit
into a :class:`~extract.charmap.CharMap`, so that any span of the normalized text maps
back to the exact span of the original (``Normalized.to_original``):

1. characters: Arabic letter forms and presentation forms to Persian, every digit to
   ASCII (one canonical form for matching), invisible format characters removed,
   diacritics and kashida folded into their letter;
2. whitespace: runs of spaces, stray ZWNJ, blank-line runs;
3. lines: a line break inside a sentence (a text wrapped at a fixed width) becomes a
   space; headlines, list items and paragraph ends stay on their own lines;
4. punctuation: no space before closing marks, one after, ``"..."`` to ``«...»``;
5. words: ZWNJ where Persian orthography wants it (می/نمی، ها/های، تر/ترین، compounds
   known to hazm's lexicon, گاه/گری/ای) and words glued after a non-joining letter
   split ("کمترتوسعه" -> "کمتر توسعه").

URLs and e-mail addresses pass through untouched. hazm's lexicon (``words.dat`` and
``verbs.dat``, shipped with the hazm package) decides which words exist.
"""

from __future__ import annotations

import json
import re
import runpy
import unicodedata
from bisect import bisect_right
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Callable, Iterable

import regex

from .charmap import CharMap, Layer

LEXICONS = Path(__file__).with_name("lexicons")

# Letters of the Persian alphabet after normalization (no Arabic forms).
PERSIAN_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءئؤأإۀ"
# Letters that never join the next letter: a missing space after them is invisible.
NON_JOINING = "آادذرزژوؤأإۀ"
ZWNJ = "\u200c"
LETTER = f"[{PERSIAN_LETTERS}]"

URL = regex.compile(r"(?:https?://|www\.)[^\s«»()]++")
EMAIL = regex.compile(r"[\w.+-]++@[\w-]++(?:\.[\w-]++)++")


def hazm_file(name: str) -> Path:
    """A file of the hazm package (its tables of letters, its word and verb lists), found
    without importing hazm: its package imports nltk and its models, about a fifth of a
    second of every start, for lists that are plain files."""
    spec = find_spec("hazm")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("hazm is not installed: pip install hazm", name="hazm")
    return Path(spec.origin).with_name(name)


def _translation_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Arabic and presentation forms of Persian letters, as hazm maps them.
    constants = runpy.run_path(str(hazm_file("constants.py")))
    for src, dst in zip(constants["TRANSLATION_SRC"], constants["TRANSLATION_DST"]):
        if src not in ' "“”' and unicodedata.category(src).startswith("L"):
            table[ord(src)] = dst
    table.update({ord("ة"): "ه", ord("ى"): "ی", ord("ي"): "ی", ord("ك"): "ک"})
    for zero, digits in ((0x06F0, "persian"), (0x0660, "arabic-indic")):
        for i in range(10):
            table[zero + i] = str(i)
    # Every Unicode space is a space; ZWJ in Persian text is a mistyped ZWNJ.
    for space in "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
        table[ord(space)] = " "
    table[0x200D] = ZWNJ
    table[ord("۔")] = "."
    table[ord("٪")] = "%"
    return table


class Translation:
    """``str.translate`` with a fixed table, done by ``str.replace`` of each character of
    the table that the text holds: ``str.translate`` of Persian text costs tens of
    nanoseconds a character, while a text holds few characters of the table (a news
    article two, on average: "ي" and "ك"), each replaced in one scan in C.

    No replacement may hold a character of the table, which a later replacement would
    translate again.
    """

    def __init__(self, table: dict[int, str | None]):
        self.replacements = {chr(code): new or "" for code, new in table.items()}
        if any(char in self.replacements for new in self.replacements.values() for char in new):
            raise ValueError("a replacement holds a character of the table")
        # The standard ``re`` module: it scans a class of literal characters several
        # times faster than ``regex``, and a class of literals means the same in both.
        self.pattern = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(table)) + "]++")

    def __call__(self, text: str) -> str:
        runs = self.pattern.findall(text)
        if not runs:
            return text
        for char in set("".join(runs)):
            text = text.replace(char, self.replacements[char])
        return text


# All of Unicode's Basic Multilingual Plane, as code point ranges [start, end).
BASIC_PLANE = ((0x0000, 0x10000),)


def re_class(pattern: str, blocks: tuple[tuple[int, int], ...] = BASIC_PLANE) -> str:
    """The characters of ``blocks`` that the ``regex`` class ``pattern`` matches, as the body
    of an ``re`` character class, runs written as ranges. ``re`` reads such a class several
    times faster than ``regex`` reads ``pattern``, and the two then agree on every character
    of the blocks, whatever Unicode version each library holds."""
    runs = regex.compile(pattern + "++")
    body = []
    for start, end in blocks:
        # Each block's characters in order: a run of matches is a range.
        for run in runs.finditer("".join(map(chr, range(start, end)))):
            first, last = run.group()[0], run.group()[-1]
            body.append(re.escape(first) if first == last else f"{re.escape(first)}-{re.escape(last)}")
    return "".join(body)


def scanning_for(first: str, pattern: str) -> re.Pattern:
    """``pattern`` compiled by the standard ``re``, behind a look-ahead at the characters
    every match starts with (``first``, the body of a character class).

    ``regex`` tries every alternative at every position; ``re`` with the look-ahead skips
    to the next possible start several times faster. Only for patterns made of literal
    characters and classes of them, which mean the same in both modules (no ``\\w``,
    ``\\s`` or ``\\b``, whose Unicode definitions differ).
    """
    return re.compile(rf"(?=[{first}])(?:{pattern})")


TRANSLATION = _translation_table()
_translate = Translation(TRANSLATION)

# Characters that carry no text: BOM, bidi marks and embeddings, soft hyphen, ZWSP.
INVISIBLE = "\ufeff\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad\u061c"
# Diacritics, Quranic marks and kashida: folded into the letter they sit on.
MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalized text, its original, and the map between them."""

    text: str
    original: str
    charmap: CharMap

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.charmap.to_original(start, end)

    def original_text(self, start: int, end: int) -> str:
        original_start, original_end = self.to_original(start, end)
        return self.original[original_start:original_end]


def rewrite(
    text: str,
    pattern: regex.Pattern | re.Pattern | Prefiltered,
    replace: Callable[[regex.Match | re.Match], str | None],
    *,
    keep_whole: bool = False,
    protect: bool = False,
) -> tuple[str, Layer]:
    """Apply ``replace`` to every match of ``pattern`` and record the length changes.

    ``replace`` returns the new text or None to leave the match alone. The recorded
    edit is trimmed to the part that differs ("x ،" -> "x،" records one deleted
    space), unless ``keep_whole``: then the whole match is one edit, and a match that
    is deleted is merged into the character before it, in whose span it stays. With ``protect``,
    matches that touch a URL or an e-mail address are left alone.
    """
    layer = Layer()
    shift = 0
    protected = _protected_spans(text) if protect else []

    def substitute(match: regex.Match) -> str:
        nonlocal shift
        old = match.group()
        new = replace(match)
        if new is None or (protected and _touches(protected, match.span())):
            return old
        if len(new) != len(old):
            start, end = match.span()
            if keep_whole and not new and start > 0:
                # A deleted mark belongs to the character it sits on: record the pair
                # "letter+mark" -> "letter", so the mark stays inside the letter's span.
                layer.absorb(start, end, start + shift)
            else:
                head = tail = 0
                if not keep_whole:
                    head = _common_prefix(old, new)
                    tail = _common_prefix(old[head:][::-1], new[head:][::-1])
                in_start, in_end = start + head, end - tail
                out_start = in_start + shift
                layer.add(in_start, in_end, out_start, out_start + len(new) - head - tail)
            shift += len(new) - len(old)
        return new

    return pattern.sub(substitute, text), layer


def _protected_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in URL.finditer(text)] if "://" in text or "www." in text else []
    # Look for e-mail addresses only at an "@": walk back over its local part (at most
    # 64 characters, RFC 5321) and match from there, so the work per "@" is bounded.
    at = text.find("@")
    while at >= 0:
        start = at
        while start > 0 and at - start < 64 and (text[start - 1].isalnum() or text[start - 1] in "._+-"):
            start -= 1
        match = EMAIL.match(text, start) if start < at else None
        if match and match.end() > at:
            spans.append(match.span())
            at = text.find("@", match.end())
        else:
            at = text.find("@", at + 1)
    return spans


def _touches(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    i = bisect_right(spans, (span[1], span[1]))
    return i > 0 and spans[i - 1][1] >= span[0]


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class Memo(dict):
    """``memo[key]`` is ``compute(key)``, computed once per key: words repeat.

    A dict whose look-up of a known key stays in C, several times cheaper than a call
    through ``lru_cache`` (which also reorders its list on every hit): read it with
    ``memo[key]`` or ``map(memo.__getitem__, keys)``. Keys longer than ``longest`` are
    computed but not kept; the memo is emptied when it holds ``limit`` keys, so that its
    memory stays bounded over a long batch.
    """

    def __init__(self, compute: Callable[[str], Any], *, longest: int = 1 << 30, limit: int = 1 << 16):
        super().__init__()
        self.compute, self.longest, self.limit = compute, longest, limit

    def __missing__(self, key: str) -> Any:
        value = self.compute(key)
        if len(key) <= self.longest:
            if len(self) >= self.limit:
                self.clear()
            self[key] = value
        return value


# --- lexicons ---------------------------------------------------------------------


def read_lexicon(name: str) -> frozenset[str]:
    """A lexicon file beside this module: one entry a line, '#' starts a comment."""
    lines = (LEXICONS / name).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# A line of hazm's words.dat: the word, its corpus frequency, its parts of speech ("N,AJ",
# or "0" for none).
_HAZM_WORD_LINE = re.compile(r"^([^\t\n]+)\t(\d+)(?:\t([^\n]*))?$", re.MULTILINE)


def read_text_file(path: Path) -> str:
    """``path.read_text(encoding="utf-8")``, decoded in one call: a text-mode read decodes
    chunk by chunk and looks for line ends in each, twice as slow on hazm's 2 MB list."""
    text = path.read_bytes().decode("utf-8")
    if "\r" in text:  # the universal newlines of a text-mode read
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


@cache
def hazm_word_list() -> tuple[dict[str, int], dict[str, frozenset[str]]]:
    """hazm's word list, read once (its 190,000 lines are part of every start): each word's
    corpus frequency, and the parts of speech of the words that have some."""
    text = read_text_file(hazm_file("data") / "words.dat").rstrip("\n")
    # Every line has three fields: split them all at once and take every third, three times
    # cheaper than a pattern over each line; json reads the 190,000 counts in C, twice as
    # fast as int() on each. A file of any other shape is read line by line.
    fields = text.replace("\n", "\t").split("\t")
    words, counts, listed = fields[0::3], fields[1::3], fields[2::3]
    digits = "".join(counts)
    if len(fields) == 3 * (text.count("\n") + 1) and digits.isascii() and digits.isdigit():
        with suppress(ValueError):  # a count with leading zeros is not JSON
            frequencies = dict(zip(words, json.loads(f"[{','.join(counts)}]")))
            return frequencies, _tags_of(zip(words, listed))
    return _read_hazm_word_lines(text)


def _read_hazm_word_lines(text: str) -> tuple[dict[str, int], dict[str, frozenset[str]]]:
    lines = _HAZM_WORD_LINE.findall(text)
    frequencies = {word: int(frequency) for word, frequency, _ in lines}
    return frequencies, _tags_of((word, listed) for word, _, listed in lines)


def _tags_of(words_and_tags: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    tag_sets: dict[str, frozenset[str]] = {}  # one set for every line that lists the same tags
    tags: dict[str, frozenset[str]] = {}
    for word, listed in words_and_tags:
        if listed and listed != "0":
            found = tag_sets.get(listed)
            if found is None:
                found = tag_sets[listed] = frozenset(listed.split(","))
            tags[word] = tags[word] | found if word in tags else found
    return tags


def hazm_words() -> dict[str, int]:
    """hazm's word list with corpus frequencies."""
    return hazm_word_list()[0]


# Every continuous form is one of these, a ZWNJ, then the verb ("می‌شود", "نمی‌کردند").
MI_PREFIXES = ("می", "نمی")


@cache
def mi_verbs() -> frozenset[str]:
    """Present and past continuous forms ("می‌شود", "نمی‌کردند") of hazm's verbs."""
    path = hazm_file("data") / "verbs.dat"
    endings_present = ("م", "ی", "د", "یم", "ید", "ند")
    endings_past = ("م", "ی", "", "یم", "ید", "ند")
    forms: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if "#" not in line:
            continue
        past, present = line.split("#", 1)
        for prefix in MI_PREFIXES:
            for stem, endings in ((present, endings_present), (past, endings_past)):
                if stem:
                    forms.update(prefix + ZWNJ + stem + ending for ending in endings)
    return frozenset(forms)


SENTENCE_FINAL_VERBS = read_lexicon("sentence_final_verbs.txt")
LINE_CONTINUATIONS = read_lexicon("line_continuations.txt")
LINE_CONTINUATION_STARTS = read_lexicon("line_continuation_starts.txt")
NAME_SUFFIXES = read_lexicon("name_suffixes.txt")
NAME_ENDINGS = tuple(NAME_SUFFIXES)  # for str.endswith

# Suffixes written apart from their word with a ZWNJ.
ZWNJ_SUFFIXES = frozenset(
    {"ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
     "تر", "ترین", "تری", "گر", "گری", "گران", "گرها"}
)
# Suffixes that join a word ending in silent ه: "تفاهم نامه ای" -> "تفاهم‌نامه‌ای".
AFTER_SILENT_HE = frozenset({"ای", "ی", "ام", "ات", "اش", "ایم", "اید", "اند"})
# Pieces stripped from a word to find the compound it belongs to ("شهرهای" -> "شهر").
INFLECTIONS = ("هایشان", "هایمان", "هایتان", "هایی", "های", "ها", "ای", "ی", "ان")

# --- pass 1: characters -------------------------------------------------------------

LIGATURES = {
    "ﷲ": "الله", "﷼": "ریال", "ﻻ": "لا", "ﻼ": "لا", "ﻷ": "لا", "ﻸ": "لا", "ﻹ": "لا",
    "ﻺ": "لا", "ﻵ": "لا", "ﻶ": "لا", "﷽": "بسم الله الرحمن الرحیم",
}
CHARACTERS = scanning_for(
    rf"\r{INVISIBLE}{MARKS}{''.join(LIGATURES)}", rf"\r\n?|[{INVISIBLE}]+|[{MARKS}]+|[{''.join(LIGATURES)}]"
)


def _characters(match: re.Match) -> str:
    text = match.group()
    if text[0] == "\r":
        return "\n"
    if text[0] in INVISIBLE:
        return ""
    if text[0] in LIGATURES:
        return LIGATURES[text[0]]
    return ""  # diacritics and kashida: merged into the letter before them (see rewrite)


# --- pass 2: whitespace -------------------------------------------------------------

WHITESPACE = scanning_for(
    " \u200c\n",
    r"[ \u200c]*\n[ \u200c\n]*"  # a line break with the blanks around it
    r"|^[ \u200c]+|[ \u200c]+$"  # blanks at the ends of the text
    r"|[ \u200c]{2,}"  # a run of blanks
    rf"|\u200c(?!{LETTER})|(?<!{LETTER})\u200c"  # ZWNJ that joins nothing
)


def _whitespace(match: re.Match) -> str:
    text = match.group()
    if "\n" in text:
        if match.start() == 0 or match.end() == len(match.string):
            return ""
        return "\n\n" if text.count("\n") > 1 else "\n"
    if match.start() == 0 or match.end() == len(match.string):
        return ""
    if " " in text:
        return " "
    return ZWNJ if _between_letters(match) else ""


def _between_letters(match: re.Match) -> bool:
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() : match.end() + 1]
    return bool(before and after and before in PERSIAN_LETTERS and after in PERSIAN_LETTERS)


# A ZWNJ that is not between two letters.
STRAY_ZWNJ = re.compile(rf"\u200c(?:(?!{LETTER})|(?<!{LETTER}\u200c))")


def _blanks_to_fix(text: str) -> bool:
    """Whether ``_whitespace`` changes any match of WHITESPACE in ``text``.

    It changes two blanks in a row, a blank beside a line break, three breaks in a row,
    blanks or breaks at an end of the text and a ZWNJ that is not between two letters;
    every other match is a line break or a paragraph break, kept as it is. A few scans
    of the text in C answer this for much less than the pass costs: a match is tried at
    every space, and most text after the first whitespace pass has nothing to change.
    """
    return (
        "  " in text
        or " \n" in text
        or "\n " in text
        or "\n\n\n" in text
        or text.startswith((" ", "\n", ZWNJ))
        or text.endswith((" ", "\n", ZWNJ))
        or STRAY_ZWNJ.search(text) is not None
    )


def _fix_whitespace(text: str) -> tuple[str, Layer]:
    if not _blanks_to_fix(text):
        return text, Layer()
    return rewrite(text, WHITESPACE, _whitespace)


# --- pass 3: punctuation ----------------------------------------------------------

CLOSING = regex.escape(".:!،؛؟»)]}…")
OPENING = regex.escape("«([{")
# Each a pass of its own: one alternation of look-behinds is many times slower.
PERSIAN_COMMA = regex.compile(rf"(?<={LETTER}),(?=[ \n]{{0,3}}{LETTER})")
QUOTES_AND_COMMAS = regex.compile(
    rf'"(?P<quoted>[^"\n«»]*{LETTER}[^"\n«»]*)"'  # straight quotes around Persian text
    rf"|(?<={LETTER}),(?=[ \n]{{0,3}}{LETTER})"  # a Latin comma between Persian words
)
SPACE_INSIDE_MARKS = scanning_for(
    rf" .{OPENING}", rf" +(?=[{CLOSING}])|(?P<opening>[{OPENING}]) +|(?P<dots>\.\.\.+)"
)
# Where SPACE_INSIDE_MARKS changes something, found at the marks: a space before a closing
# mark, one after an opening mark, dots. ``re`` skips to the next mark in a fast loop (a
# pattern that starts with a class), and marks are far fewer than the spaces at which
# SPACE_INSIDE_MARKS is tried, so most text, which has none, is let through quickly.
SPACE_INSIDE_A_MARK = re.compile(rf"[{CLOSING}{OPENING}](?:(?<= [{CLOSING}])|(?<=[{OPENING}]) |(?<=\.)\.\.)")
# A mark followed by a letter or "«" (a space goes after it), or "«" or "(" after a letter
# or a mark (a space goes before it). One class first, for ``re``'s fast loop to the marks.
MARKS_BEFORE_TEXT = ".:!؟،؛»…)"
SPACE_AFTER_MARKS = re.compile(
    rf"[{MARKS_BEFORE_TEXT}«(](?:(?<=[{MARKS_BEFORE_TEXT}])(?={LETTER}|«)|(?<=(?:{LETTER}|[.:!؟،؛])[«(]))"
)


def _quotes_and_commas(match: regex.Match) -> str:
    if match.group("quoted") is not None:
        # The quotation is consumed whole: convert the commas inside it here.
        return "«" + PERSIAN_COMMA.sub("،", match.group("quoted")) + "»"
    return "،"


def _space_inside_marks(match: re.Match) -> str:
    if match.group("dots"):
        return "…"  # an ellipsis typed as dots
    return match.group("opening") or ""


def _space_after_marks(match: re.Match) -> str:
    mark = match.group()
    return mark + " " if mark in MARKS_BEFORE_TEXT else " " + mark


def _fix_quotes_and_commas(text: str) -> tuple[str, Layer]:
    # Both rewrites start at a straight quote or a Latin comma: most text has neither.
    if '"' not in text and "," not in text:
        return text, Layer()
    return rewrite(text, QUOTES_AND_COMMAS, _quotes_and_commas, protect=True)


def _fix_space_inside_marks(text: str) -> tuple[str, Layer]:
    if not SPACE_INSIDE_A_MARK.search(text):
        return text, Layer()
    return rewrite(text, SPACE_INSIDE_MARKS, _space_inside_marks, protect=True)


# --- pass 4: lines ------------------------------------------------------------------

SENTENCE_END = ".!?؟…:؛"
LIST_MARKER = regex.compile(r"(?:[0-9]+|[a-zA-Z]|الف|[ب-ی])\s?[-.)–](?![0-9])|[-•*–▪●]\s")
LINE_BREAK = regex.compile(r"\n+")
WORD = regex.compile(rf"[{PERSIAN_LETTERS}{ZWNJ}]+|[^\s]+")
# A line with fewer visible characters than this is a title, a list entry or a
# signature, not a line wrapped at a fixed width.
SHORT_LINE = 60
# The first line of a document is its headline unless it is longer than any headline.
HEADLINE = 100


def _last_word(line: str) -> str:
    """The Persian word that ends the line ("" when it ends with a mark or a digit)."""
    end = len(line)
    start = end
    while start > 0 and (line[start - 1] in PERSIAN_LETTERS or line[start - 1] == ZWNJ):
        start -= 1
    return line[start:end].strip(ZWNJ)


def _first_word(line: str) -> str:
    """The Persian word that starts the line ("" when it starts with a mark or a digit)."""
    end = 0
    while end < len(line) and (line[end] in PERSIAN_LETTERS or line[end] == ZWNJ):
        end += 1
    return line[:end].strip(ZWNJ)


def _spaced_mi_verb(line: str) -> bool:
    """A line that ends with a می-verb typed with a space ("می شود")."""
    words = line.rsplit(None, 2)[-2:]
    return len(words) == 2 and words[0] in ("می", "نمی") and f"{words[0]}{ZWNJ}{words[1]}" in mi_verbs()


def _visible_length(text: str) -> int:
    return len(text) - text.count(" ") - text.count(ZWNJ)


def breaks_inside_sentence(before: str, after: str, *, first_line: bool) -> bool:
    """Whether the break between the logical line ``before`` and the line ``after`` cuts a sentence."""
    stripped = before.rstrip()
    if not stripped or not after:
        return False
    last_char = stripped[-1]
    if last_char in "،,":
        return True
    if LIST_MARKER.match(after):
        return False
    if _last_word(stripped) in LINE_CONTINUATIONS or _first_word(after) in LINE_CONTINUATION_STARTS:
        return True
    if last_char in SENTENCE_END or stripped.endswith(("».", "»", '."')):
        return False
    last_word = _last_word(stripped)
    # A finite verb closes the clause: "... دارد", "... تکمیل می‌شود" (or typed "می شود").
    if last_word in SENTENCE_FINAL_VERBS or last_word in mi_verbs() or _spaced_mi_verb(stripped):
        return False
    # A headline is short; a line wrapped at a fixed width is long.
    return _visible_length(stripped) >= (HEADLINE if first_line else SHORT_LINE)


def _repair_lines(text: str) -> tuple[str, Layer]:
    pieces: list[str] = []
    layer = Layer()
    shift = 0
    line_start = 0
    logical_start = 0  # where the current logical line (joined lines) began
    first_line = True
    for match in LINE_BREAK.finditer(text):
        line_end, next_start = match.span()
        next_end = text.find("\n", next_start)
        after = text[next_start:] if next_end < 0 else text[next_start:next_end]
        before = text[logical_start:line_end]
        if breaks_inside_sentence(before, after, first_line=first_line and logical_start == 0):
            pieces.append(text[line_start:line_end])
            pieces.append(" ")
            layer.add(line_end, next_start, line_end + shift, line_end + shift + 1)
            shift += 1 - (next_start - line_end)
        else:
            pieces.append(text[line_start:next_start])
            logical_start = next_start
            first_line = False
        line_start = next_start
    if not pieces:
        return text, layer
    pieces.append(text[line_start:])
    return "".join(pieces), layer


# --- pass 5: words -----------------------------------------------------------------

WORD_CHARS = rf"{LETTER}++(?:\u200c{LETTER}++)*+"
# A Persian word (not inside a Latin or digit run) that may need fixing: a glued می,
# a glued plural after ه, or one long enough to be two words glued together.
WORD_TO_FIX = regex.compile(
    rf"(?<![\w\u200c])(?=ن?می|{LETTER}{{6}}|{LETTER}{{1,20}}?هها){WORD_CHARS}(?![\w\u200c])"
)


class Prefiltered:
    """A ``regex`` pattern tried only at the candidates of a faster ``re`` pattern.

    ``candidates`` must match at every position where ``pattern`` can match (a superset),
    and with the same text. ``sub`` skips a candidate whose ``replacement`` (of its text)
    is None, the text staying as it is, and lets ``pattern`` decide at the others, looking
    behind the position as a search would; so ``sub`` gives what ``pattern.sub`` gives.
    ``regex`` tries every position of the text, several times slower than ``re`` scans
    for a literal character class.
    """

    def __init__(self, pattern: regex.Pattern, candidates: re.Pattern, replacement: Callable[[str], str | None]):
        self.pattern = pattern
        self.candidates = candidates
        self.replacement = replacement

    def sub(self, replace: Callable[[regex.Match], str], text: str) -> str:
        pieces: list[str] = []
        end = 0  # end of the last match: matches do not overlap
        for candidate in self.candidates.finditer(text):
            start = candidate.start()
            if start < end or self.replacement(candidate.group()) is None:
                continue
            match = self.pattern.match(text, start)
            if match:
                pieces.append(text[end:start])
                pieces.append(replace(match))
                end = match.end()
        if not pieces:
            return text
        pieces.append(text[end:])
        return "".join(pieces)


# WORD_TO_FIX with ``\w`` narrowed to the Persian letters (all of them ``\w``): a word to fix
# starts at a letter after neither a letter nor a ZWNJ, and takes all the letters.
WORD_TO_FIX_CANDIDATES = re.compile(
    rf"(?<![{PERSIAN_LETTERS}\u200c])(?=ن?می|{LETTER}{{6}}|{LETTER}{{1,20}}?هها){WORD_CHARS}"
)


# Two glued words are rarely longer than this; longer letter runs are no Persian words.
LONGEST_GLUED = 24


def fix_word(word: str) -> str | None:
    """A glued "می" separated, or two glued words split; None when the word is fine."""
    return _glued_mi(word) or _glued_plural(word) or _split_glued(word)


FIXED_WORDS = Memo(fix_word, limit=1 << 18)
WORDS_TO_FIX = Prefiltered(WORD_TO_FIX, WORD_TO_FIX_CANDIDATES, FIXED_WORDS.__getitem__)


def _split_glued(word: str) -> str | None:
    """Split two words typed without the space that a non-joining letter hides."""
    words = hazm_words()
    if ZWNJ in word or not 6 <= len(word) <= LONGEST_GLUED or word in words or word in mi_verbs():
        return None
    if word.endswith(NAME_ENDINGS):
        return None
    best: tuple[int, int] | None = None
    for i in range(3, len(word) - 2):
        if word[i - 1] not in NON_JOINING:
            continue
        score = min(words.get(word[:i], 0), words.get(word[i:], 0))
        if score >= 10000 and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    return word[: best[1]] + " " + word[best[1]:]


def _glued_mi(word: str) -> str | None:
    """"میشود" -> "می‌شود" when the result is a known verb form."""
    for prefix in ("نمی", "می"):
        if word.startswith(prefix) and len(word) > len(prefix) + 1 and word[len(prefix)] != ZWNJ:
            candidate = prefix + ZWNJ + word[len(prefix):]
            if candidate in mi_verbs():
                return candidate
    return None


def _glued_plural(word: str) -> str | None:
    """"جمعهها" -> "جمعه‌ها": a plural after silent ه needs its ZWNJ."""
    for suffix in ("هایی", "های", "ها"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and stem.endswith("ه") and len(stem) > 2 and stem in hazm_words():
            return stem + ZWNJ + suffix
    return None


@cache
def lexicon_compounds() -> tuple[list[str], ...]:
    """The ZWNJ compounds of hazm's lexicon (words with a ZWNJ and a frequency), each
    split at its ZWNJs: found in one pass over the 190,000 words for both
    ``compound_heads`` and ``compound_tails``."""
    return tuple(word.split(ZWNJ) for word, frequency in hazm_words().items() if ZWNJ in word and frequency > 0)


@cache
def compound_heads() -> frozenset[str]:
    """Every word that begins a ZWNJ compound of hazm's lexicon ("کلان" of "کلان‌شهر")."""
    heads = set()
    for parts in lexicon_compounds():
        heads.update(ZWNJ.join(parts[:i]) for i in range(1, len(parts)))
    if mi_verbs():  # each form begins with its prefix, and every verb has both
        heads.update(MI_PREFIXES)
    return frozenset(heads)


# The right words that may join any left word (see ``_pair_joins``).
JOINING_RIGHTS = ZWNJ_SUFFIXES | AFTER_SILENT_HE


def joins(left: str, right: str, next_word: str | None = None) -> bool:
    """Whether "left right" is one word that Persian writes with a ZWNJ."""
    # Most pairs are two words: answer those without touching the lexicon.
    if left not in compound_heads() and right not in JOINING_RIGHTS and not right.startswith("گاه"):
        return False
    # Only "گاه" depends on the next word: the pair and this flag are the cache key, as a
    # triple repeats far less often than a pair.
    return _pair_joins(left, right, right in GAH and next_word != "به")


GAH = ("گاه", "گاه‌ها", "گاه‌های", "گاهی")


@lru_cache(maxsize=1 << 16)
def _pair_joins(left: str, right: str, gah_not_before_be: bool) -> bool:
    """``joins`` of a pair; ``gah_not_before_be``: the right word is a "گاه" form and the
    next word is not "به"."""
    words = hazm_words()
    if left in ("می", "نمی"):
        return True
    # A "گاه" form is neither in ZWNJ_SUFFIXES nor in AFTER_SILENT_HE, so only the می
    # test comes before this one.
    if gah_not_before_be:
        return words.get(left, 0) > 0 and left not in LINE_CONTINUATIONS
    if right in ZWNJ_SUFFIXES:
        return len(left) > 1
    if left.endswith("ه") and right in AFTER_SILENT_HE:
        return True
    joined = left + ZWNJ + right
    if joined in mi_verbs() or words.get(joined, 0) > 0:
        return True
    if right.endswith(INFLECTIONS):  # most right words end with none
        for ending in INFLECTIONS:
            stem = right[: -len(ending)]
            if right.endswith(ending) and len(stem) > 1 and words.get(left + ZWNJ + stem, 0) > 0:
                return True
    return False


def _words(text: str) -> tuple[str, Layer]:
    # Space-separated tokens; a word may carry punctuation after it ("یافته،"). Their
    # roles (``_join_roles``) are read in one pass in C, and say which tokens hold glued
    # words and which pairs of tokens may join.
    tokens = text.split(" ")
    roles = "".join(map(JOIN_ROLES.__getitem__, tokens))
    layer = Layer()
    if GLUED in roles:
        # Split glued words first: the split pieces may then join their neighbours.
        tokens, roles, layer = _split_glued_tokens(tokens, roles)
        text = " ".join(tokens)
    # Then join: the space between two words becomes a ZWNJ (same length, no edit).
    joined = _joined_pairs(tokens, roles)
    if not joined:
        return text, layer
    pieces = []
    start = 0
    for i in joined:  # tokens i and i + 1 meet at a ZWNJ
        pieces.append(" ".join(tokens[start : i + 1]))
        start = i + 1
    pieces.append(" ".join(tokens[start:]))
    return ZWNJ.join(pieces), layer


def _split_glued_tokens(tokens: list[str], roles: str) -> tuple[list[str], str, Layer]:
    """``rewrite`` of the text by WORDS_TO_FIX, done on the tokens that it changes: a
    match lies inside a token, and a space around a token stops a match as the ends of
    the token alone do.

    Returns the tokens of the rewritten text, their roles and the edits. Only the pieces
    of the changed tokens have roles to look up: the other tokens keep theirs.
    """
    new_tokens: list[str] = []
    new_roles: list[str] = []
    copied = 0  # the tokens before this one are in new_tokens
    layer = Layer()
    shift = 0
    token_start = 0  # where token i starts in the text
    i = 0
    for glued in map(_pair_index, GLUED_TOKEN.finditer(roles)):
        token_start += sum(map(len, tokens[i:glued])) + glued - i
        i = glued
        fixed, edits = rewrite(tokens[glued], WORDS_TO_FIX, _fixed_word)
        for in_start, in_end, out_start, out_end in zip(edits.in_starts, edits.in_ends, edits.out_starts, edits.out_ends):
            start = token_start + shift
            layer.add(token_start + in_start, token_start + in_end, start + out_start, start + out_end)
        shift += len(fixed) - len(tokens[glued])
        pieces = fixed.split(" ")
        new_tokens += tokens[copied:glued]
        new_tokens += pieces
        new_roles.append(roles[2 * copied : 2 * glued])
        new_roles.append("".join(map(JOIN_ROLES.__getitem__, pieces)))
        copied = glued + 1
    new_tokens += tokens[copied:]
    new_roles.append(roles[2 * copied :])
    return new_tokens, "".join(new_roles), layer


def _joined_pairs(tokens: list[str], roles: str) -> list[int]:
    """The pairs of tokens (i, i + 1) that ``joins``, by their first index, in order.

    The left word must end its token (no punctuation between the two words). ``roles``:
    the ``JOIN_ROLES`` of the tokens, joined.
    """
    words = LEADING_WORDS
    # The pairs that join as they stand (the left word its own, not a joined one): the
    # roles of the tokens leave the few pairs that may join, and ``_pair_joins`` decides
    # those. A pair that does not join this way starts no chain, so leaving it out
    # changes nothing.
    starts = [
        i
        for i in map(_pair_index, MAY_JOIN.finditer(roles))
        if _pair_joins(
            tokens[i], words[tokens[i + 1]], words[tokens[i + 1]] in GAH and _word_at(tokens, i + 2) != "به"
        )
    ]
    joined = []
    n = len(tokens)
    decided = -1  # the pairs up to this one are decided
    for i in starts:
        if i <= decided:  # inside a chain: decided with the joined word on its left
            continue
        joined.append(i)
        # The joined word is the left word of the next pair, as it will be when the
        # text is normalized again.
        left = tokens[i] + ZWNJ + words[tokens[i + 1]]
        i += 1
        while i + 1 < n and words[tokens[i]] == tokens[i] and words[tokens[i + 1]] and joins(
            left, words[tokens[i + 1]], _word_at(tokens, i + 2)
        ):
            joined.append(i)
            left = left + ZWNJ + words[tokens[i + 1]]
            i += 1
        decided = i
    return joined


def _word_at(tokens: list[str], i: int) -> str | None:
    return LEADING_WORDS[tokens[i]] if i < len(tokens) else None


def _leading_word(token: str) -> str | None:
    if token and not token.strip(PERSIAN_LETTERS):  # a bare word, as most tokens
        return token
    match = LEADING_WORD.match(token)
    return match.group() if match else None


LEADING_WORD = regex.compile(rf"{WORD_CHARS}(?![\w])")
LEADING_WORDS = Memo(_leading_word, limit=1 << 16)


@cache
def compound_tails() -> frozenset[str]:
    """Every word that ends a ZWNJ compound of hazm's lexicon after any of its ZWNJs
    ("شهر" of "کلان‌شهر"; "شهر" and "کلان‌شهر" of "پایتخت‌کلان‌شهر"), or a می-verb after
    a ZWNJ of its stem (after می or نمی, any word may join: see MAY_JOIN)."""
    tails = set()
    for parts in lexicon_compounds():
        tails.update(ZWNJ.join(parts[i:]) for i in range(1, len(parts)))
    # Only a form whose stem holds a ZWNJ has a part after the second ZWNJ.
    for verb in mi_verbs():
        if verb.count(ZWNJ) > 1:
            parts = verb.split(ZWNJ)
            tails.update(ZWNJ.join(parts[i:]) for i in range(2, len(parts)))
    return frozenset(tails)


def _join_roles(token: str) -> str:
    """What a token can be in a pair that ``_pair_joins``: two letters, its role as the
    left token, then as the right one.

    Left: "-" not a left word (no word, or punctuation after it), "p" a word, "h" a word
    that begins compounds (``compound_heads``), "m" می or نمی. Right: "_" no word, "W" a
    word, "T" a word that (without an inflection) ends a compound (``compound_tails``),
    "S" a suffix or a "گاه" form (``JOINING_RIGHTS``). "!!" when the token holds glued
    words to split (``_has_glued_words``): its roles are then those of its pieces.
    """
    if token and not token.strip(PERSIAN_LETTERS):  # a bare word, as most tokens
        if _bare_word_is_glued(token):
            return GLUED + GLUED
        word = token
    else:
        if _has_glued_words(token):
            return GLUED + GLUED
        word = _leading_word(token)  # not LEADING_WORDS: most tokens are never a right word
        if word is None:
            return "-_"
    if word in JOINING_RIGHTS or word.startswith("گاه"):
        right = "S"
    elif _may_end_compound(word):
        right = "T"
    else:
        right = "W"
    if word != token:
        left = "-"
    elif word in compound_heads():
        left = "m" if word in ("می", "نمی") else "h"
    else:
        left = "p"
    return left + right


def _may_end_compound(word: str) -> bool:
    tails = compound_tails()
    if word in tails:
        return True
    if not word.endswith(INFLECTIONS):  # as most words: no stem to look up
        return False
    for ending in INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) > 1 and word[: -len(ending)] in tails:
            return True
    return False


def _bare_word_is_glued(word: str) -> bool:
    """``_has_glued_words`` of a token made of Persian letters only: WORD_TO_FIX takes it
    whole wherever ``fix_word`` changes it, which is only a word of six letters or more,
    one that starts with می or نمی, or one that holds "هها" (tested first: most words are
    short)."""
    return (len(word) >= 6 or "می" in word[:3] or "هها" in word) and FIXED_WORDS[word] is not None


def _has_glued_words(token: str) -> bool:
    """Whether WORDS_TO_FIX changes the token."""
    # Where ``WORDS_TO_FIX.sub`` replaces a word (with another text: a fix is never the word).
    for candidate in WORD_TO_FIX_CANDIDATES.finditer(token):
        if FIXED_WORDS[candidate.group()] is not None and WORD_TO_FIX.match(token, candidate.start()):
            return True
    return False


def _fixed_word(match: regex.Match) -> str | None:
    return FIXED_WORDS[match.group()]


# A token's roles when it holds glued words (see ``_words``).
GLUED = "!"
GLUED_TOKEN = re.compile(GLUED * 2)
JOIN_ROLES = Memo(_join_roles, limit=1 << 16)
# A pair that may join, at its left token's role: a suffix joins any word; a compound's
# tail (the lexicon decides) joins a head; any word joins after می or نمی. Everything
# else is answered False by ``_pair_joins`` (the first test of ``joins``, then
# ``_pair_joins`` itself: past its می and suffix tests it looks up the joined word, a
# compound that ``compound_tails`` holds).
MAY_JOIN = re.compile(r"p(?=..S)|h(?=..[TS])|m(?=..[WTS])")


def _pair_index(match: re.Match) -> int:
    """The token whose roles start the match."""
    return match.start() // 2


# --- the pipeline of passes ------------------------------------------------------------


def normalize(text: str) -> Normalized:
    """Normalize Persian ``text``; the result maps every span back to ``text``."""
    charmap = CharMap(len(text))
    current = _translate(text)
    for step in (
        lambda t: rewrite(t, CHARACTERS, _characters, keep_whole=True),
        _fix_whitespace,
        _repair_lines,
        _fix_quotes_and_commas,
        _fix_space_inside_marks,
        lambda t: rewrite(t, SPACE_AFTER_MARKS, _space_after_marks, protect=True),
        _words,
        _fix_whitespace,
    ):
        current, layer = step(current)
        charmap.push(layer)
    return Normalized(current, text, charmap)


def fold_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII, keeping every other character."""
    return text.translate(DIGITS)


DIGITS = {zero + i: str(i) for zero in (0x06F0, 0x0660) for i in range(10)}
