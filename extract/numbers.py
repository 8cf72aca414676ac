"""Numbers, ranges and Jalali dates in Persian text.

``find_numbers`` reports every quantity, range and date of a text with offsets into the
caller's own string; ``parse_number`` reads one whole number expression.

How it works, and why it is linear in the input:

* The text is folded by a one-character-for-one-character translation (Arabic letter
  forms to Persian, Persian and Arabic-Indic digits to ASCII), so an offset found in
  the folded text is the same offset in the input.
* One tokenizing regex splits the folded text. Each alternative is a possessive run of
  one character class, so the regex never backtracks.
* A lexer turns tokens into items: numerals (digit runs with their separators already
  read), number words (glued compounds like دوهزار split into pieces), codes (phone
  numbers, ids, times), numeric dates, other words and marks. Blanks are not items;
  each item records the gap before it (none, ZWNJ, space, line break).
* Only paragraphs with a digit or a number word are read, and in them only the stretches
  around those, out to the nearest words that the parser steps over and never looks past
  (``_read_spans``): most of a report's prose holds no number.
* A hand-written parser walks the items once. Every look-ahead is bounded or memoized
  (cardinals are memoized by their first item), so no item is read more than a small
  constant number of times.

The word lists live in ``number_words.json`` beside this module.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import KW_ONLY, asdict, dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import jdatetime
import regex

from .normalize import Memo, Translation, re_class

__all__ = ["NumberMatch", "find_numbers", "numbers_in", "parse_number", "to_ascii_digits", "jalali_to_iso"]


@dataclass(frozen=True, slots=True)
class NumberMatch:
    kind: str  # "number" | "range" | "date"
    text: str  # text[start:end] of the input
    start: int
    end: int
    value: float | int | None  # number: its value; range and date: None
    _: KW_ONLY
    low: float | int | None = None
    high: float | int | None = None
    hedge: str | None = None  # the hedge as written: "حدود", "نزدیک به", "بیش از"
    date: str | None = None  # ISO Gregorian date; None for a day and month without a year
    jalali: str | None = None  # "1402-05-12", or "--08-15" without a year
    number_start: int  # the bare number(s), without hedge, range opener or percent sign
    number_end: int
    warning: str | None = None  # e.g. a weekday that contradicts its date

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.kind == "date":
            data["value"] = self.date or self.jalali
        return data


# ----------------------------------------------------------------------------- folding

_DIGITS = {chr(0x06F0 + i): str(i) for i in range(10)} | {chr(0x0660 + i): str(i) for i in range(10)}
_DIGIT_TABLE = str.maketrans(_DIGITS)
# One character for one character: offsets in the folded text are offsets in the input.
_FOLD_TABLE = str.maketrans(_DIGITS | {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا"})
_fold_text = Translation(_FOLD_TABLE)  # only the runs of characters to fold are translated
# Diacritics and tatweel are dropped from word keys only, never from the text. The
# standard ``re``: a class of literal characters means the same there, and a call costs
# half of what one of ``regex`` costs (every new word of a text is stripped).
_KEY_STRIP = re.compile(r"[\u064B-\u065F\u0670\u0640]")


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; the length is unchanged."""
    return text.translate(_DIGIT_TABLE)




def _key(word: str) -> str:
    return _KEY_STRIP.sub("", word.translate(_FOLD_TABLE))


def _phrase(words: str) -> tuple[str, ...]:
    return tuple(_key(w) for w in regex.split(r"[\s\u200c]+", words.strip()))


def jalali_to_iso(year, month, day) -> str:
    """The ISO Gregorian date of a Jalali date; ValueError when it does not exist."""
    return jdatetime.date(int(year), int(month), int(day)).togregorian().isoformat()


# ----------------------------------------------------------------------------- lexicon

_LEX = json.loads(Path(__file__).with_name("number_words.json").read_text(encoding="utf-8"))

# Categories of number words.
UNIT, TEEN, TEN, HUNDRED, SCALE, FRACTION, CONJ, PLURAL = range(1, 9)
_NUMBER_CATS = frozenset({UNIT, TEEN, TEN, HUNDRED, SCALE, FRACTION})


@dataclass(frozen=True, slots=True)
class _Lexeme:
    cat: int
    value: Decimal | None
    ordinal: str | None = None  # "m": دهم (also a denominator: سه دهم); "min": دهمین


def _build_words() -> dict[str, _Lexeme]:
    words: dict[str, _Lexeme] = {}
    for group, cat in (("units", UNIT), ("teens", TEEN), ("tens", TEN), ("hundreds", HUNDRED)):
        for word, value in _LEX["cardinals"][group].items():
            words[_key(word)] = _Lexeme(cat, Decimal(value))
    for word, value in _LEX["scales"].items():
        words[_key(word)] = _Lexeme(SCALE, Decimal(value))
    for word, value in _LEX["fractions"].items():
        words[_key(word)] = _Lexeme(FRACTION, Decimal(value))
    words[_key(_LEX["conjunction"])] = _Lexeme(CONJ, None)

    rules = _LEX["ordinals"]
    irregular_bases = {_key(w) for w in rules["irregular_bases"]}
    vowel_endings = tuple(rules["vowel_endings"])
    ordinals: dict[str, _Lexeme] = {}
    for word, lexeme in words.items():
        if lexeme.cat in (CONJ, FRACTION) or word in irregular_bases:
            continue
        suffixes = rules["after_vowel"] if word.endswith(vowel_endings) else rules["regular"]
        for suffix, kind in suffixes.items():
            ordinals[word + suffix] = _Lexeme(lexeme.cat, lexeme.value, kind)
    for word, (value, kind) in rules["irregular"].items():
        ordinals[_key(word)] = _Lexeme(UNIT, Decimal(value), kind)
    for word, lexeme in ordinals.items():
        words.setdefault(word, lexeme)
    return words


_WORDS = _build_words()
_MAX_PIECE = max(map(len, _WORDS))
_MAX_GLUED = 24  # no number word, glued or not, is longer; bounds the splitting work
_PLURAL_SUFFIXES = tuple(_key(s) for s in _LEX["plural_suffixes"])
_LABEL_SUFFIXES = frozenset(_key(s) for s in _LEX["label_suffixes"])
_ORDINAL_SUFFIX_WORDS = {_key(w): kind for w, kind in _LEX["ordinals"]["suffix_words"].items()}

_HEDGES: dict[str, list[tuple[str, ...]]] = {}
for _hedge in _LEX["hedges"]:
    _words = _phrase(_hedge)
    _HEDGES.setdefault(_words[0], []).append(_words)
for _list in _HEDGES.values():
    _list.sort(key=len, reverse=True)  # "در حدود" before "حدود", "نزدیک به" before "نزدیک"

_OPENERS = {_key(w): role for w, role in _LEX["range_openers"].items()}
_CONNECTORS = frozenset(_key(w) for w in _LEX["range_connectors"])
_NEGATIVE = frozenset(_key(w) for w in _LEX["negative_words"])
_MONTH_WORD = _key(_LEX["month_word"])
_MONTHS = {_key(w): m for w, m in _LEX["jalali_months"].items()}
_MONTHS |= {name + _MONTH_WORD: m for name, m in _MONTHS.items()}  # مردادماه
_WEEKDAY_NAMES = _LEX["weekdays"]
_WEEKDAYS = {_key(w).replace("\u200c", ""): i for i, w in enumerate(_WEEKDAY_NAMES)}
_WEEKDAY_BASE = _key(_WEEKDAY_NAMES[0])  # شنبه: "سه شنبه" is three + شنبه
_DATE_INTRO = frozenset(_key(w) for w in _LEX["date_intro_words"])
_NOT_A_DAY_AFTER = frozenset(_key(w) for w in _LEX["not_a_day_after"])
_YEAR_WORDS = frozenset(_key(w) for w in _LEX["year_words"])
_LABELS = frozenset(_key(w) for w in _LEX["label_words"])
_AMBIGUOUS = frozenset(_key(w) for w in _LEX["ambiguous_words"])
_COUNTERS = frozenset(_key(w) for w in _LEX["counter_nouns"])
_SLASH_UNITS = frozenset(_key(w) for w in _LEX["slash_decimal_units"])
# What a word does when the scanner meets it; most words do nothing and are passed over.
_ROLES: dict[str, str] = {}
for _role, _keys in (
    ("hedge", _HEDGES),
    ("opener", _OPENERS),
    ("label", _LABELS),
    ("year", _YEAR_WORDS),
    ("month", _MONTHS),
    ("negative", _NEGATIVE),
    ("weekday", _WEEKDAYS),
):
    for _word in _keys:
        if _ROLES.setdefault(_word, _role) != _role:
            raise ValueError(f"number_words.json: {_word} is both a {_ROLES[_word]} and a {_role}")

# Every key that the scanner or the lexer compares a word's key with, besides the words
# with a role. A word with no number lexeme, no role and a key outside this set is
# "passed over": the scanner steps over it and no look-ahead or look-behind reads past
# it, so such words bound the stretches of text that need reading (see _read_spans).
# A new comparison with a word key in the scanner needs its words added here.
_READ_KEYS = frozenset().union(
    _CONNECTORS,
    _COUNTERS,
    _DATE_INTRO,
    _NOT_A_DAY_AFTER,
    _LABEL_SUFFIXES,
    _ORDINAL_SUFFIX_WORDS,
    _PLURAL_SUFFIXES,
    (_MONTH_WORD, _WEEKDAY_BASE, ""),  # "": a list marker written as a word of marks only
    (word for phrases in _HEDGES.values() for phrase in phrases for word in phrase[1:]),
)

_GROUP_SEPS = ",،٬"
_DECIMAL_SEPS = ".٫"
_LIST_SEPS = ",،"
_MINUS = "-−"
_PERCENT = "%٪"
_MARKER_PUNCT = "-).–—"
# Marks after a numeral that may make it more than a bare number: a twin in parentheses,
# a percent sign, a list marker.
_MAY_EXTEND = "(" + _PERCENT + _MARKER_PUNCT
_ZERO, _ONE = Decimal(0), Decimal(1)


# Every beginning of a number word: the pieces of a word are looked for only as long as
# its beginning can still be one (most words stop at their first or second letter).
_PIECE_BEGINNINGS = frozenset(word[:size] for word in _WORDS for size in range(1, len(word) + 1))


@lru_cache(maxsize=8192)
def _split_glued(word: str) -> tuple[_Lexeme, ...] | None:
    """Number words written together (دوهزار، بیستوپنج), longest piece first."""
    sizes = []
    for size in range(1, min(len(word), _MAX_PIECE) + 1):
        if word[:size] not in _PIECE_BEGINNINGS:
            break
        sizes.append(size)
    for size in reversed(sizes):
        lexeme = _WORDS.get(word[:size])
        if lexeme is None or (lexeme.ordinal and size < len(word)):
            continue
        if size == len(word):
            return (lexeme,)
        rest = _split_glued(word[size:])
        if rest:
            return (lexeme, *rest)
    return None


# صدها، هزاران: "hundreds of", not a number.
_PLURALS = frozenset(
    word + suffix
    for word, lexeme in _WORDS.items()
    if lexeme.cat in _NUMBER_CATS and not lexeme.ordinal
    for suffix in _PLURAL_SUFFIXES
)
_PLURAL_LEXEMES = (_Lexeme(PLURAL, None),)
# The first two letters of every two or more number words written together (only the
# last may be an ordinal): few words begin so, and only they are split.
_GLUED_BEGINNINGS = frozenset(
    (first + second)[:2] for first, lexeme in _WORDS.items() if not lexeme.ordinal for second in _WORDS
)


def _classify(key: str) -> tuple[_Lexeme, ...] | None:
    """Only _word_info calls this, and caches what it returns."""
    lexeme = _WORDS.get(key)
    if lexeme is not None:
        return (lexeme,)
    if key in _PLURALS:
        return _PLURAL_LEXEMES
    if key[:2] not in _GLUED_BEGINNINGS:
        return None
    pieces = _split_glued(key)
    return pieces if pieces and len(pieces) > 1 else None


# ----------------------------------------------------------------------------- tokens

# Runs of digits, Latin letters and the marks that join them (separators, URL and
# e-mail marks) are one token; a run with a Latin letter is Latin text, any other run is
# split again into digit chains and marks. A run of one repeated mark ("....", "!!!") is
# one token. Blanks (spaces, line breaks, ZWNJ, direction marks) are not tokens: the
# lexer reads the gap between two tokens instead.
_BLANKS = r"\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_TOKEN = regex.compile(
    r"(?P<run>[A-Za-z0-9@_./:#?=&%+~,،٬٫\-]++)"
    r"|(?P<word>[[\p{L}\p{M}]--[A-Za-z]]++)"
    rf"|(?P<other>(?P<mark>[^{_BLANKS}])(?P=mark)*+)",
    regex.V1 | regex.DOTALL,
)
# The standard ``re`` where a pattern has only classes of literal characters: the same
# meaning, and a call costs less.
_LATIN = re.compile(r"[A-Za-z]")
_CHAIN = re.compile(r"(?P<chain>[0-9]++(?:[,،٬.٫/:\-][0-9]++)*+)|(?P<punct>(?P<mark>.)(?P=mark)*+)", re.DOTALL)
_ZWNJ_ONLY = re.compile(r"[\u200c\u200d]++")
_NON_DIGIT = re.compile(r"([^0-9])")
_NEXT_WORD = regex.compile(r"[\s\u200c]*+([[\p{L}\p{M}]--[A-Za-z]]++)", regex.V1)

# Item kinds. Spaces and ZWNJ are not items: each item records the gap before it.
NUM, CODE, NDATE, WORD, LATIN, PUNCT, END = range(7)
GAP_NONE, GAP_ZWNJ, GAP_SPACE, GAP_LINE = range(4)


def _gap_kind(blanks: str) -> int:
    """The gap that a run of blanks between two tokens makes."""
    if blanks == " ":
        return GAP_SPACE
    if _ZWNJ_ONLY.fullmatch(blanks):
        return GAP_ZWNJ
    return GAP_LINE if "\n" in blanks else GAP_SPACE


# The same few runs of blanks separate most tokens.
_GAP_KIND = Memo(_gap_kind, longest=16)


@lru_cache(maxsize=16384)
def _word_info(folded_word: str) -> tuple[str, tuple[_Lexeme, ...] | None, str | None]:
    """(key, number lexemes, role) of a folded word; words repeat, so this is cached."""
    key = _KEY_STRIP.sub("", folded_word)
    return key, _classify(key), _ROLES.get(key)


def _long_word_info(folded_word: str) -> tuple[str, None, None]:
    """No lexicon entry is this long: not cached, so huge tokens are not kept alive."""
    return _KEY_STRIP.sub("", folded_word), None, None


class _Item:
    __slots__ = ("kind", "start", "end", "gap", "key", "value", "cat", "ordinal", "glue", "plain", "role")

    def __init__(self, kind, start, end, gap, key="", value=None, cat=0, ordinal=None, glue=0, plain=False, role=None):
        self.kind = kind
        self.start = start
        self.end = end
        self.gap = gap  # what separates it from the item before: GAP_*
        self.key = key  # word: folded key; numeral: its integer digits; mark: the mark
        self.value = value  # Decimal for numerals and number words; date parts for NDATE
        self.cat = cat  # number-word category, 0 for other words
        self.ordinal = ordinal
        self.glue = glue  # pieces of one glued word share a non-zero id
        self.plain = plain  # numeral: an integer written without separators
        self.role = role  # hedge, opener, label, year, month, negative, weekday


# Stands for what a read of the whole window has where a read of its spans leaves text
# out (see _read_spans): words passed over and what lies between them, or the window's
# edge. The scanner steps over it as over one word passed over and reads nothing else of
# it, so one item, shared by every scanner, does: its key is no word's key.
_BARRIER = _Item(WORD, -1, -1, GAP_SPACE, " ")


def _is_numword(item: _Item) -> bool:
    return item.kind == WORD and item.cat in _NUMBER_CATS


@dataclass(slots=True)
class _Date:
    year: int | None
    month: int
    day: int
    iso: str | None
    first: int  # item indexes
    last: int
    valid: bool = True  # False: written like a date, but no such day (۳۱ مهر، ۳۰ اسفند ۱۴۰۲)

    @property
    def jalali(self) -> str:
        year = f"{self.year:04d}" if self.year else "-"
        return f"{year}-{self.month:02d}-{self.day:02d}"


def _make_date(year: int | None, month: int, day: int) -> tuple[int | None, int, int, str | None] | None:
    """(Jalali year, month, day, ISO) of a date written in either calendar, or None."""
    if year is None:
        if 1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30):
            return None, month, day, None
        return None
    try:
        if 1200 <= year <= 1700:
            return year, month, day, jalali_to_iso(year, month, day)
        if 1800 <= year <= 2200:
            gregorian = datetime.date(year, month, day)
            jalali = jdatetime.date.fromgregorian(date=gregorian)
            return jalali.year, jalali.month, jalali.day, gregorian.isoformat()
    except ValueError:
        return None
    return None


def _numeric_date(runs: list[str], seps: list[str]) -> tuple[int | None, int, int, str | None] | None:
    """1402/05/12, ۱۴۰۲.۰۵.۱۲, ۱۴۰۲-۵-۱۲ or 12/05/1402."""
    if len(runs) != 3 or seps[0] != seps[1] or seps[0] not in "/.-":
        return None
    first, month, last = runs
    if len(first) == 4 and len(last) <= 2:
        year, day = first, last
    elif len(last) == 4 and len(first) <= 2:
        year, day = last, first
    else:
        return None
    if len(month) > 2:
        return None
    return _make_date(int(year), int(month), int(day))


@dataclass(slots=True)
class _Card:
    """A cardinal (or ordinal) read from items first..last."""

    value: Decimal
    first: int
    last: int
    ordinal: str | None
    scaled: bool  # has a scale word (هزار، میلیون)
    lead: Decimal  # the scale multiplying its first term: 1000 in "۲۷ هزار"
    digits: bool  # has a numeral written in digits


@dataclass(slots=True)
class _Num:
    value: Decimal
    start: int  # characters: the number with its sign
    number_end: int  # end of the numeral(s), before a percent sign
    end: int  # end with the percent sign
    next: int  # the item after it
    card: _Card


@dataclass(slots=True)
class _Quantity:
    low: _Num
    high: _Num | None = None
    low_value: Decimal | None = None  # the low end once a shared scale is applied
    dates: list[_Date] | None = None  # "۱۲ تا ۱۵ مرداد"

    @property
    def next(self) -> int:
        if self.dates:
            return self.dates[-1].last + 1
        return (self.high or self.low).next


def _integral(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _py(value: Decimal) -> int | float:
    return int(value) if _integral(value) else float(value)


# ----------------------------------------------------------------------------- scanner


class _Scanner:
    """Reads the numbers of text[start:end] (all of it by default); offsets stay those of
    ``text``. ``folded`` is ``text`` folded, where the caller has it already. ``spans``,
    when given, are the only parts of the window lexed (see _read_spans); the rest would
    yield nothing, and a barrier item stands for the words passed over around it."""

    def __init__(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        folded: str | None = None,
        spans: list[tuple[int, int]] | None = None,
    ):
        self.text = text
        self.folded = _fold_text(text) if folded is None else folded
        self.window = (start, len(text) if end is None else end)
        self.spans = [self.window] if spans is None else spans
        self.items: list[_Item] = []
        self._gap = GAP_LINE  # the gap before the next item; the text start is a line start
        self._glue_ids = 0
        self._cards: dict[int, _Card | None] = {}
        self._lex()
        # A sentinel: look-ahead never runs off the end.
        self.items.append(_Item(END, self.window[1], self.window[1], GAP_LINE))

    # ------------------------------------------------------------------ lexing

    def _add(self, kind, start, end, *fields) -> None:
        self.items.append(_Item(kind, start, end, self._gap, *fields))
        self._gap = GAP_NONE

    def _lex(self) -> None:
        # Every token read passes here, so plain words (most of them) become items right
        # here, without a method call.
        folded, items = self.folded, self.items
        append = items.append
        window_start, window_end = self.window
        for span_start, span_end in self.spans:
            if span_start != window_start:  # it starts after a word passed over
                append(_BARRIER)
            previous_end = span_start
            for token in _TOKEN.finditer(folded, span_start, span_end):
                start, end = token.span()
                if not items:  # the text start is a line start
                    gap = GAP_LINE
                elif start == previous_end:
                    gap = GAP_NONE
                else:
                    gap = _GAP_KIND[folded[previous_end:start]]
                previous_end = end
                group = token.lastgroup
                if group == "word":
                    word = folded[start:end]
                    key, lexemes, role = _word_info(word) if len(word) <= _MAX_GLUED else _long_word_info(word)
                    # A word after a number word may be its suffix (سی ام، ده‌ها): _lex_word decides.
                    if lexemes is None and not (gap in (GAP_ZWNJ, GAP_SPACE) and _is_numword(items[-1])):
                        append(_Item(WORD, start, end, gap, key, None, 0, None, 0, False, role))
                        continue
                    self._gap = gap
                    self._lex_word(start, end, key, lexemes, role)
                    continue
                self._gap = gap
                if group == "other":
                    self._add(PUNCT, start, end, token.group())
                elif _LATIN.search(folded, start, end):
                    self._add(LATIN, start, end)
                else:
                    for piece in _CHAIN.finditer(folded, start, end):
                        if piece.lastgroup == "chain":
                            self._lex_chain(piece.start(), piece.end())
                        else:
                            self._add(PUNCT, piece.start(), piece.end(), piece.group())
        if self.spans and self.spans[-1][1] != window_end:  # it ends before a word passed over
            append(_BARRIER)

    def _lex_chain(self, start: int, end: int) -> None:
        """Digit runs joined by separators without spaces: 12,500  ۱۲٫۵  1402/05/12  021-8877."""
        parts = _NON_DIGIT.split(self.folded[start:end])
        runs, seps = parts[0::2], parts[1::2]
        offsets = []
        position = start
        for run in runs:
            offsets.append(position)
            position += len(run) + 1
        # A number after a Latin word is part of a name: "Windows 10", "Carrera 01".
        if self._gap == GAP_SPACE and self.items and self.items[-1].kind == LATIN:
            self._add(CODE, start, end)
            return
        date = _numeric_date(runs, seps)
        if date is not None:
            self._add(NDATE, start, end, "", date)
            return
        if ":" in seps:  # times of day and ratios
            self._add(CODE, start, end)
            return
        if "-" not in seps:
            self._lex_numerals(runs, seps, offsets, 0, len(runs), end)
            return
        # Phone numbers and codes: 021-88776655, 1234-05.
        if sum(map(len, runs)) >= 7 or any(len(run) > 1 and run[0] == "0" for run in runs):
            self._add(CODE, start, end)
            return
        low = 0
        for i, sep in enumerate(seps):
            if sep == "-":
                self._lex_numerals(runs, seps, offsets, low, i + 1, end)
                dash = offsets[i] + len(runs[i])
                self._add(PUNCT, dash, dash + 1, "-")
                low = i + 1
        self._lex_numerals(runs, seps, offsets, low, len(runs), end)

    def _lex_numerals(self, runs, seps, offsets, low, high, chain_end) -> None:
        """Numerals of runs[low:high] (no "-" or ":" between them)."""
        i = low
        while i < high:
            j = i
            if len(runs[i]) <= 3:  # thousands groups: 1,200,000  ۱۲٬۵۰۰
                while j + 1 < high and seps[j] in _GROUP_SEPS and len(runs[j + 1]) == 3:
                    j += 1
            fraction = None
            k = j
            if j + 1 < high:
                sep = seps[j]
                if sep in _DECIMAL_SEPS:
                    fraction, k = runs[j + 1], j + 1
                elif sep == "/":
                    # "/" is a decimal point only before a scale or unit: 3/5 میلیون.
                    if j + 2 == high == len(runs) and self._unit_follows(chain_end):
                        fraction, k = runs[j + 1], j + 1
                    else:
                        self._add(CODE, offsets[i], offsets[high - 1] + len(runs[high - 1]))
                        return
            if k + 1 < high and seps[k] not in _GROUP_SEPS:  # 1.2.3: a section number or id
                self._add(CODE, offsets[i], offsets[high - 1] + len(runs[high - 1]))
                return
            self._add_numeral(runs[i : j + 1], fraction, offsets[i], offsets[k] + len(runs[k]))
            if k + 1 < high:  # a list without spaces: ۱۳۹۵،۱۳۹۷
                comma = offsets[k] + len(runs[k])
                self.items.append(_Item(PUNCT, comma, comma + 1, GAP_NONE, seps[k]))
            i = k + 1

    def _add_numeral(self, groups: list[str], fraction: str | None, start: int, end: int) -> None:
        integer = "".join(groups)
        if len(integer) > 15 or (fraction and len(fraction) > 15) or (len(integer) > 1 and integer[0] == "0"):
            self._add(CODE, start, end, integer if fraction is None else "")  # ids, codes, phone numbers
            return
        value = Decimal(f"{integer}.{fraction}" if fraction else integer)
        self._add(NUM, start, end, integer, value, 0, None, 0, fraction is None and len(groups) == 1)

    def _unit_follows(self, position: int) -> bool:
        match = _NEXT_WORD.match(self.folded, position)
        if match is None:
            return False
        word = match.group(1)
        if len(word) > _MAX_GLUED:
            return False
        key, lexemes, _ = _word_info(word)
        return key in _SLASH_UNITS or bool(lexemes and lexemes[0].cat == SCALE)

    def _lex_word(self, start: int, end: int, key: str, lexemes: tuple[_Lexeme, ...] | None, role: str | None) -> None:
        """A number word, or a word after one (what _lex does not do itself)."""
        items, gap = self.items, self._gap
        # Suffixes written apart from a number word: سی‌ام، سی ام؛ صد‌ها؛ نیم‌کره.
        if gap in (GAP_ZWNJ, GAP_SPACE) and items and _is_numword(items[-1]) and not items[-1].ordinal:
            number = items[-1]
            ordinal = _ORDINAL_SUFFIX_WORDS.get(key)
            if ordinal and number.cat != FRACTION:
                number.ordinal, number.end = ordinal, end
                self._gap = GAP_NONE
                return
            if gap == GAP_ZWNJ and key in _PLURAL_SUFFIXES:  # ده‌ها: "tens of", not a number
                number.end = end
                index = len(items) - 1
                while True:
                    items[index].cat = PLURAL
                    if not (index and items[index].glue and items[index - 1].glue == items[index].glue):
                        break
                    index -= 1
                self._gap = GAP_NONE
                return
            if gap == GAP_ZWNJ and number.cat == FRACTION:
                number.cat = 0  # نیم‌کره، نیم‌ساعته: a compound word, not "half"
        if lexemes is None:
            self._add(WORD, start, end, key, None, 0, None, 0, False, role)
            return
        glue = 0
        if len(lexemes) > 1:
            self._glue_ids += 1
            glue = self._glue_ids
        for lexeme in lexemes:
            self._add(WORD, start, end, key, lexeme.value, lexeme.cat, lexeme.ordinal, glue, False, role)

    # ------------------------------------------------------------------ helpers

    def _conj_after(self, i: int) -> int | None:
        """The item after a "و" at position i, or None."""
        item = self.items[i]
        return i + 1 if item.kind == WORD and item.cat == CONJ else None

    def _is_word(self, i: int, keys) -> bool:
        item = self.items[i]
        return item.kind == WORD and item.key in keys

    def _is_punct(self, i: int, marks: str) -> bool:
        item = self.items[i]
        return item.kind == PUNCT and item.key in marks

    def _is_scale(self, i: int) -> bool:
        item = self.items[i]
        return item.kind == WORD and item.cat == SCALE

    def _starts_number(self, i: int) -> bool:
        item = self.items[i]
        return (
            item.kind == NUM
            or _is_numword(item)
            or item.role == "negative"
            or (item.kind == PUNCT and item.key in _MINUS and self._is_sign(i))
        )

    def _is_sign(self, i: int) -> bool:
        items = self.items
        if items[i + 1].kind != NUM or items[i + 1].gap:
            return False
        return i == 0 or items[i].gap >= GAP_SPACE or self._is_punct(i - 1, "([«:")

    # ------------------------------------------------------------------ cardinals

    def _segment(self, q: int) -> tuple[Decimal, int, str | None]:
        """A term below the scales at q: a numeral, or words up to 999 (صد و بیست و پنج)."""
        item = self.items[q]
        if item.kind == NUM:
            return item.value, q, None
        value = item.value
        if item.cat not in (TEN, HUNDRED) or item.ordinal:
            return value, q, item.ordinal
        limit = 100 if item.cat == HUNDRED else 10
        r = self._conj_after(q + 1)
        if r is None:
            return value, q, None
        following = self.items[r]
        if following.kind == NUM and following.plain and 0 < following.value < limit:  # چهارصد و 39
            return value + following.value, r, None
        if following.cat in (TEN, TEEN, UNIT) and following.value < limit:
            rest = self._segment(r)
            return value + rest[0], rest[1], rest[2]
        return value, q, None

    def _cardinal(self, p: int) -> _Card | None:
        if p not in self._cards:
            self._cards[p] = self._read_cardinal(p)
        return self._cards[p]

    def _make_card(self, p, q, value, ordinal, last_scale, lead, digits) -> _Card | None:
        items = self.items
        if items[q].glue and items[q + 1].glue == items[q].glue:
            return None  # would end inside a glued word
        return _Card(value, p, q, ordinal, last_scale is not None, lead, digits)

    def _read_cardinal(self, p: int) -> _Card | None:
        items = self.items
        first = items[p]
        if not (first.kind == NUM or _is_numword(first)):
            return None
        if first.glue and items[p - 1].glue == first.glue:
            return None  # would start inside a glued word
        following = items[p + 1]
        if first.kind == NUM and following.kind != WORD:  # the common case: a bare numeral
            return _Card(first.value, p, p, None, False, _ONE, True)
        total = group = _ZERO  # total: finished higher groups; group: the group being built
        seg: Decimal | None = None  # the term waiting for its scale
        last_scale: Decimal | None = None
        lead = _ONE
        best = None
        q = p - 1  # the last item read
        digits = False  # a numeral written in digits is part of it
        if first.cat != SCALE:  # a bare scale (هزار، هزار میلیارد) starts with no term
            seg, q, ordinal = self._segment(p)
            digits = first.kind == NUM or items[q].kind == NUM
            best = self._make_card(p, q, seg, ordinal, None, _ONE, digits)
            if ordinal:
                return best
            denominator = None if digits else self._denominator(q)
            if denominator is not None:  # دو سوم، پنج دهم
                return self._make_card(p, denominator, seg / items[denominator].value, None, None, _ONE, False)
        while True:
            item = items[q + 1]
            if item.kind == WORD and item.cat == SCALE:
                scale = item.value
                if last_scale is None:
                    group = (_ONE if seg is None else seg) * scale
                    lead = scale
                elif scale > last_scale:  # هزار میلیارد، ۲۹ هزار و ۵۰۰ میلیارد
                    if total == 0:
                        lead *= scale
                    group = (group + (seg or _ZERO)) * scale
                elif scale < last_scale and seg is not None:  # ۲ میلیون و ۵۰۰ هزار
                    total += group
                    group = seg * scale
                else:
                    break
                seg, last_scale, q = None, scale, q + 1
                best = self._make_card(p, q, total + group, item.ordinal, last_scale, lead, digits) or best
                if item.ordinal:
                    break
                continue
            c = self._conj_after(q + 1)
            if c is None:
                break
            item = items[c]
            if item.kind == WORD and item.cat == FRACTION and not item.ordinal:
                if seg is not None:  # یک و نیم، ۱۹ و نیم
                    seg += item.value
                elif last_scale is not None:  # یک میلیون و نیم
                    group += item.value * last_scale
                q = c
                best = self._make_card(p, q, total + group + (seg or _ZERO), None, last_scale, lead, digits) or best
                if seg is None:
                    break
                continue
            # After a scale, "و" adds a smaller term. After a term it does not: "۶٫۴ و ۶٫۳" is two numbers.
            if seg is not None or last_scale is None or not (item.kind == NUM or _is_numword(item)):
                break
            if item.cat == SCALE:  # "هزار و هزار"
                break
            value, term_last, ordinal = self._segment(c)
            after = items[term_last + 1]
            next_scale = after.value if after.kind == WORD and after.cat == SCALE else None
            if next_scale == last_scale:  # "۲ هزار و ۳ هزار": two numbers
                break
            if value >= last_scale and not (next_scale and next_scale > last_scale):
                break
            seg, q = value, term_last
            digits = digits or items[c].kind == NUM or items[q].kind == NUM
            best = self._make_card(p, q, total + group + seg, ordinal, last_scale, lead, digits) or best
            if ordinal:
                break
        return best

    def _denominator(self, q: int) -> int | None:
        """The ordinal after a cardinal written in words that makes it a fraction: دو سوم."""
        items = self.items
        item = items[q + 1]
        # A glued denominator must belong to the same word: دوسوم.
        if _is_numword(item) and item.ordinal == "m" and item.value >= 2 and item.glue == items[q].glue:
            return q + 1
        return None

    # ------------------------------------------------------------------ numbers

    def _number(self, p: int, check_ambiguous: bool = True) -> _Num | None:
        """A number at p: sign, cardinal, the same number again in the other script, percent sign."""
        items = self.items
        start = items[p].start
        sign = _ONE
        if items[p].kind == PUNCT and items[p].key in _MINUS:
            if items[p + 1].kind != NUM:
                return None
            p, sign = p + 1, -_ONE
        elif items[p].role == "negative":
            p, sign = p + 1, -_ONE
        card = self._cardinal(p)
        if card is None:
            return None
        last = card.last
        twinned = False
        if not card.ordinal:  # written twice: "دو 2 سال", "سه (۳) ماه"
            paren = self._is_punct(last + 1, "(")
            twin = self._cardinal(last + 2 if paren else last + 1)
            if twin and not twin.ordinal and twin.value == card.value and twin.digits != card.digits:
                if not paren:
                    last, twinned = twin.last, True
                elif self._is_punct(twin.last + 1, ")"):
                    last, twinned = twin.last + 1, True
        if check_ambiguous and not twinned and card.first == card.last and items[card.first].key in _AMBIGUOUS:
            if not self._is_word(last + 1, _COUNTERS):
                return None  # "نه تنها", "در ده"
        number_end = items[last].end
        end, after = number_end, last + 1
        if self._is_punct(after, _PERCENT) and not items[after].gap:
            end, after = items[after].end, after + 1
        return _Num(sign * card.value, start, number_end, end, after, card)

    def _quantity(self, p: int, opener: str | None = None) -> _Quantity | None:
        """A number at p, or a range that starts with it."""
        low = self._number(p)
        if low is None:
            return None
        quantity = _Quantity(low, low_value=low.value)
        if low.card.ordinal:
            return quantity
        r = low.next
        connector = self.items[r]
        if connector.kind != WORD or not (
            connector.key in _CONNECTORS or (connector.cat == CONJ and _OPENERS.get(opener) == "between")
        ):
            return quantity
        h = r + 1
        if not self._starts_number(h):
            return quantity
        date = self._text_date(h)
        if date is not None and date.valid:  # "۱۲ تا ۱۵ مرداد": both ends are dates
            day = low.value
            made = None if low.card.scaled or not _integral(day) else _make_date(date.year, date.month, int(day))
            if made is None:
                return quantity
            start = _Date(date.year, date.month, int(day), made[3], low.card.first, low.card.last)
            return _Quantity(low, dates=[start, date])
        high = self._number(h)
        if high is None or high.card.ordinal:
            return quantity
        low_value = low.value
        if not low.card.scaled and high.card.scaled:  # "بین ۲۰ تا ۳۰ هزار": the scale is shared
            spread = low.value * high.card.lead
            if abs(spread) <= abs(high.value):
                low_value = spread
        return _Quantity(low, high, low_value)

    def _emit(self, quantity: _Quantity, out: list, hedge: tuple[int, int] | None = None, opener: int | None = None):
        items, text = self.items, self.text
        if quantity.dates:
            out.extend(self._date_match(date) for date in quantity.dates)
            return
        low, high = quantity.low, quantity.high
        if low.card.ordinal:
            return  # ordinals count only as parts of dates
        hedge_text = text[items[hedge[0]].start : items[hedge[1]].end] if hedge else None
        if high is None:
            start = items[hedge[0]].start if hedge else low.start
            out.append(
                NumberMatch(
                    "number", text[start : low.end], start, low.end, _py(low.value),
                    hedge=hedge_text, number_start=low.start, number_end=low.number_end,
                )
            )
            return
        start = items[hedge[0]].start if hedge else items[opener].start if opener is not None else low.start
        out.append(
            NumberMatch(
                "range", text[start : high.end], start, high.end, None,
                low=_py(quantity.low_value), high=_py(high.value), hedge=hedge_text,
                number_start=low.start, number_end=high.number_end,
            )
        )

    # ------------------------------------------------------------------ dates

    def _year(self, r: int, after_day: bool = True) -> tuple[int, int] | None:
        """(Jalali year, last item) of a year written after a month: ۱۴۰۲، ۹۵، هزار و چهارصد و دو.

        Without a day before the month, four digits followed by a counted noun are a count:
        "تا پایان بهمن ماه ۱۵۰۰ تن".
        """
        item = self.items[r]
        if (item.kind == NUM and item.plain) or (item.kind == CODE and len(item.key) == 2):
            counted = self._is_scale(r + 1) or self._is_word(r + 1, _COUNTERS)
            if len(item.key) == 4 and 1200 <= item.value <= 1700:
                return None if counted and not after_day else (int(item.value), r)
            # Two digits after a month are a recent year: اسفند ۹۸، ۲۲ بهمن ۵۷ (13xx), دی ۰۲ (14xx).
            short = int(item.key)
            if len(item.key) == 2 and (short >= 50 or short <= 20) and not counted:
                return (1300 if short >= 50 else 1400) + short, r
            return None
        if _is_numword(item):
            card = self._cardinal(r)
            if card and not card.ordinal and _integral(card.value) and 1200 <= card.value <= 1700:
                return int(card.value), card.last
        return None

    def _text_date(self, p: int) -> _Date | None:
        """۱۲ مرداد ۱۴۰۲، دوازدهم مرداد ماه ۱۴۰۲، ۱۵ آبان."""
        items = self.items
        item = items[p]
        if item.kind == NUM:
            if not item.plain or len(item.key) > 2:
                return None
            day, last = int(item.value), p
        elif _is_numword(item):
            card = self._cardinal(p)
            if card is None or card.scaled or not _integral(card.value):
                return None
            if card.ordinal and p and self._is_word(p - 1, _NOT_A_DAY_AFTER):
                return None  # نیمه دوم آبان: the second half of the month
            day, last = int(card.value), card.last
        else:
            return None
        month_item = items[last + 1]
        if month_item.role != "month" or month_item.glue:
            return None
        month = _MONTHS[month_item.key]
        last += 1
        if self._is_word(last + 1, (_MONTH_WORD,)):
            last += 1
        r = last + 1
        if items[r].role == "year":  # ۱۲ مرداد سال ۱۴۰۲
            r += 1
        year = self._year(r)
        if year is not None:
            last = year[1]
        made = _make_date(year and year[0], month, day)
        if made is None:
            return _Date(year and year[0], month, day, None, p, last, valid=False)
        return _Date(made[0], month, day, made[3], p, last)

    def _date_item(self, p: int) -> _Date:
        year, month, day, iso = self.items[p].value
        return _Date(year, month, day, iso, p, p)

    def _date_match(self, date: _Date, weekday: tuple[int, int, int] | None = None) -> NumberMatch:
        items, text = self.items, self.text
        number_start, end = items[date.first].start, items[date.last].end
        start = items[weekday[1]].start if weekday else number_start
        warning = None
        if weekday and date.year:
            actual = jdatetime.date(date.year, date.month, date.day).weekday()  # 0 is Saturday
            if actual != weekday[0]:
                written = text[items[weekday[1]].start : items[weekday[2]].end]
                warning = f"weekday {written} does not match {date.jalali}, a {_WEEKDAY_NAMES[actual]}"
        return NumberMatch(
            "date", text[start:end], start, end, None,
            date=date.iso, jalali=date.jalali, number_start=number_start, number_end=end, warning=warning,
        )

    def _weekday(self, p: int) -> tuple[int, int, int] | None:
        """(weekday, first item, last item): شنبه, سه‌شنبه, سه شنبه, پنجشنبه; 0 is Saturday."""
        items = self.items
        item = items[p]
        if item.glue:
            return None
        if item.role == "weekday":
            return _WEEKDAYS[item.key], p, p
        following = items[p + 1]
        if (
            item.cat == UNIT
            and not item.ordinal
            and 1 <= item.value <= 5
            and following.key == _WEEKDAY_BASE
            and following.gap < GAP_LINE
        ):
            return int(item.value), p, p + 1
        return None

    # ------------------------------------------------------------------ things that are not quantities

    def _after_suffix(self, p: int) -> int:
        """The last item of a word with a suffix written after ZWNJ: ماده‌ی، تبصره‌های."""
        following = self.items[p + 1]
        return p + 1 if following.gap == GAP_ZWNJ and following.key in _LABEL_SUFFIXES else p

    def _skip_label(self, p: int) -> int:
        """ماده ۱۰۰، تبصره‌های ۱ و ۲، اصل (۴۴)، شماره ۱۲، کد ۱۲۳۴: ids, not quantities."""
        items = self.items
        q = self._after_suffix(p)
        r = q + 1
        if self._is_punct(r, ":("):
            r += 1
        item = items[r]
        if item.kind == CODE:
            last = r
        elif item.kind == NUM or _is_numword(item):
            card = None if self._text_date(r) else self._cardinal(r)
            if card is None:
                return q + 1
            last = card.last
        else:
            return q + 1
        while True:  # a list of them: بندهای ۳ و ۴
            s = last + 1
            if not (self._is_punct(s, _LIST_SEPS) or (items[s].kind == WORD and items[s].cat == CONJ)):
                break
            if items[s + 1].kind not in (NUM, CODE) or self._is_scale(s + 2):
                break
            last = s + 1
        return last + 1

    def _year_label(self, r: int, digits: int | None = None) -> bool:
        """A year written after "سال": ۱۴۰۲، 1401، ۹۹."""
        item = self.items[r]
        return (
            item.kind == NUM
            and item.plain
            and len(item.key) in ((2, 4) if digits is None else (digits,))
            and not self._is_scale(r + 1)
        )

    def _skip_years(self, p: int) -> int:
        """سال ۱۴۰۲، در سال 1401، سال‌های ۱۳۹۲، ۱۳۹۵ و ۱۳۹۹: years, not quantities."""
        items = self.items
        q = self._after_suffix(p)
        last = q + 1
        if not self._year_label(last):
            return q + 1
        digits = len(items[last].key)
        while True:
            s = last + 1
            separator = items[s]
            if not (
                self._is_punct(s, _LIST_SEPS + "-")
                or (separator.kind == WORD and (separator.cat == CONJ or separator.key in _CONNECTORS))
            ):
                break
            if not self._year_label(s + 1, digits):
                break
            last = s + 1
        return last + 1

    def _skip_month_year(self, p: int) -> int:
        """مرداد ۱۴۰۲، مهرماه ۱۴۰۰، اسفند ۹۸: a month, not a quantity."""
        last = p
        if self._is_word(last + 1, (_MONTH_WORD,)):
            last += 1
        r = last + 1
        if self.items[r].role == "year":
            r += 1
        year = self._year(r, after_day=False)
        return (year[1] if year else last) + 1

    def _skip_plural(self, p: int) -> int:
        """صدها، هزاران، میلیون‌ها and the scales after them (صدها هزار نفر)."""
        items = self.items
        q = p
        while True:
            while items[q + 1].glue and items[q + 1].glue == items[q].glue:
                q += 1
            if items[q + 1].kind == WORD and items[q + 1].cat in (SCALE, PLURAL):
                q += 1
                continue
            return q + 1

    def _list_marker(self, p: int) -> int | None:
        """"۱- ", "2) ", "۳. " at the start of a line; returns the item after the mark."""
        items = self.items
        item = items[p]
        if item.kind != NUM or not item.plain or len(item.key) > 2:
            return None
        line_start = item.gap == GAP_LINE or (self._is_punct(p - 1, "(") and items[p - 1].gap == GAP_LINE)
        mark = items[p + 1]
        if not line_start or mark.gap:
            return None
        if not ((mark.kind == PUNCT and mark.key in _MARKER_PUNCT) or (mark.kind == WORD and mark.key == "")):
            return None
        if items[p + 2].kind in (NUM, NDATE, CODE):
            return None
        return p + 2

    # ------------------------------------------------------------------ the scan

    def scan(self) -> list[NumberMatch]:
        items = self.items
        text = self.text
        out: list[NumberMatch] = []
        p, end = 0, len(items) - 1
        while p < end:
            item = items[p]
            kind = item.kind
            if kind == WORD:
                p = p + 1 if item.role is None and (item.cat == 0 or item.cat == CONJ) else self._at_word(p, out)
            elif kind == NUM:
                following = items[p + 1]
                if following.kind == WORD or (following.kind == PUNCT and following.key in _MAY_EXTEND):
                    p = self._at_number(p, out)
                else:  # nothing after it can extend it: a bare numeral
                    out.append(
                        NumberMatch(
                            "number", text[item.start : item.end], item.start, item.end, _py(item.value),
                            number_start=item.start, number_end=item.end,
                        )
                    )
                    p += 1
            elif kind == NDATE:
                out.append(self._date_match(self._date_item(p)))
                p += 1
            elif kind == PUNCT and item.key in _MINUS and self._is_sign(p):
                p = self._at_number(p, out)
            else:
                p += 1
        return out

    def _at_word(self, p: int, out: list) -> int:
        item = self.items[p]
        role = item.role
        if item.cat == PLURAL:
            return self._skip_plural(p)
        weekday = self._weekday(p)
        if weekday is not None:
            return self._at_weekday(weekday, out)
        if role == "hedge":
            hedge_last = self._hedge(p)
            if hedge_last is not None:
                return self._at_hedge(p, hedge_last, out)
        elif role == "opener":
            return self._at_opener(p, out)
        elif role == "label":
            return self._skip_label(p)
        elif role == "year":
            return self._skip_years(p)
        elif role == "month":
            return self._skip_month_year(p)
        if role == "negative" or _is_numword(item):
            return self._at_number(p, out)
        return p + 1

    def _at_number(self, p: int, out: list) -> int:
        marker = self._list_marker(p)
        if marker is not None:
            return marker
        date = self._text_date(p)
        if date is not None:
            if date.valid:
                out.append(self._date_match(date))
            return date.last + 1
        quantity = self._quantity(p)
        if quantity is None:
            return p + 1
        self._emit(quantity, out)
        return quantity.next

    def _hedge(self, p: int) -> int | None:
        """The last item of a hedge phrase starting at p."""
        for phrase in _HEDGES[self.items[p].key]:
            if all(self._is_word(p + i, (word,)) for i, word in enumerate(phrase[1:], 1)):
                return p + len(phrase) - 1
        return None

    def _at_hedge(self, p: int, hedge_last: int, out: list) -> int:
        q = hedge_last + 1
        opener = None
        if self.items[q].role == "opener":  # حدود بین ۵ تا ۶
            opener, q = self.items[q].key, q + 1
        if not self._starts_number(q) or self._text_date(q) is not None:
            return hedge_last + 1
        quantity = self._quantity(q, opener)
        if quantity is None or quantity.dates:
            return hedge_last + 1
        self._emit(quantity, out, hedge=(p, hedge_last))
        return quantity.next

    def _at_opener(self, p: int, out: list) -> int:
        q = p + 1
        if not self._starts_number(q) or self._text_date(q) is not None:
            return p + 1
        quantity = self._quantity(q, self.items[p].key)
        if quantity is None or quantity.high is None:
            return p + 1  # not a range: the number is read on its own
        self._emit(quantity, out, opener=p)
        return quantity.next

    def _at_weekday(self, weekday: tuple[int, int, int], out: list) -> int:
        q = weekday[2] + 1
        if self._is_punct(q, "،,"):
            q += 1
        if self._is_word(q, _DATE_INTRO):
            q += 1
        date = self._date_item(q) if self.items[q].kind == NDATE else self._text_date(q)
        if date is None:
            return weekday[2] + 1
        if date.valid:
            out.append(self._date_match(date, weekday))
        return date.last + 1


# ----------------------------------------------------------------------------- API


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number, range and date of text, in order and not overlapping.

    Offsets are into ``text`` itself, raw or normalized. Ordinals, years after "سال",
    law article numbers, codes, phone numbers, list markers and digits inside Latin text
    are read but not reported.
    """
    if not text:
        return []
    folded = _fold_text(text)
    found: list[NumberMatch] = []
    for start, end in _number_windows(folded):
        found.extend(_Scanner(text, start, end, folded, _read_spans(folded, start, end)).scan())
    return found


# The standard ``re`` for classes of literal characters: the same meaning, less time a call.
_PARAGRAPH = re.compile(r"[^\n]*+\n*+")
_HAS_DIGIT = re.compile(r"[0-9]")
# The letters and marks of a word (as _TOKEN reads them) where Persian text and its
# neighbours are written, for the standard ``re``: a call costs a fifth of what one of
# ``regex`` costs, and every new chunk of a text is matched. This cannot change what is
# found: a chunk with a letter beyond these blocks is never taken for one word, so never
# for one passed over (around it more is read, not less), and every number word lies
# inside them, so none is missed.
_WORD_BLOCKS = ((0x0000, 0x0800), (0xFB50, 0xFE00), (0xFE70, 0xFF00))  # to Arabic, Arabic presentation forms
_WORD_ONLY = re.compile(f"[{re_class(r'(?V1)[[\p{L}\p{M}]--[A-Za-z]]', _WORD_BLOCKS)}]++")


def _has_number(folded: str, start: int, end: int) -> bool:
    """Whether folded[start:end] holds a digit or a number word: every number, range and
    date has one, so a paragraph without either is not read."""
    if _HAS_DIGIT.search(folded, start, end):
        return True
    return _LIVE in map(_CHUNK_KIND.__getitem__, folded[start:end].split())


# What a chunk of text between white space holds, for _read_spans.
_LIVE = 2  # a digit or a number word: where numbers, ranges and dates are
_PASSED_OVER = 1  # exactly one word that the scanner passes over (see _READ_KEYS)
_OTHER = 0  # anything else: marks, Latin text, words the scanner reads


def _word_kind(word: str) -> int:
    """_LIVE for a number word (or one glued from number words; "و" alone, which joins
    them, is not), _PASSED_OVER for a word passed over, else _OTHER."""
    key, lexemes, role = _word_info(word) if len(word) <= _MAX_GLUED else _long_word_info(word)
    if lexemes is None:
        return _PASSED_OVER if role is None and key not in _READ_KEYS else _OTHER
    return _LIVE if any(lexeme.cat in _NUMBER_CATS for lexeme in lexemes) else _OTHER


def _chunk_kind(chunk: str) -> int:
    """_LIVE, _PASSED_OVER or _OTHER. White space is never inside a token, so the tokens
    of a chunk are those of the text."""
    if _HAS_DIGIT.search(chunk):  # no word has a digit: this test costs less
        return _LIVE
    if _WORD_ONLY.fullmatch(chunk):  # most chunks are one word
        return _word_kind(chunk)
    # A word is a chunk of its own elsewhere too: its kind is looked up, seldom worked out.
    return _LIVE if _LIVE in map(_CHUNK_KIND.__getitem__, _WORD_ONLY.findall(chunk)) else _OTHER


# Longer chunks (text without spaces, long links) are not kept alive.
_CHUNK_KIND = Memo(_chunk_kind, longest=64)
# White space as ``regex`` means ``\s`` (Unicode White_Space), in the standard ``re``,
# which splits a text several times faster; re's own ``\s`` also has \x1c-\x1f.
_WHITE_SPACE = re.compile("([\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]++)")


def _read_spans(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of the window folded[start:end] that the scanner must read: every chunk
    with a digit or a number word, widened on both sides up to the nearest word passed
    over (or the window's edge), that word left out.

    Why this is exact: the scanner steps over a word passed over, and no look-ahead or
    look-behind reads past one. So what lies between two such words, when it holds no
    numeral and no number word, yields nothing and changes nothing around it: the two
    words and what lies between them read as one word passed over, the barrier item
    that the scanner puts before a span that does not start the window and after one
    that does not end it. So index 0, special to the scanner, holds the window's first
    item or a barrier.
    """
    parts = _WHITE_SPACE.split(folded[start:end])  # chunk, space, chunk, ..., chunk: chunk i is parts[2i]
    kinds = list(map(_CHUNK_KIND.__getitem__, parts[0::2]))
    last_chunk = len(kinds) - 1
    spans: list[tuple[int, int]] = []
    spanned = -1  # the last chunk looked at so far; each chunk is looked at a bounded number of times
    # Offsets are counted only as far as the spans reach, each part once: parts[counted]
    # starts at position.
    counted, position = 0, start
    for live in indexes(kinds, _LIVE):
        if live <= spanned:
            continue
        first = live - 1
        while first > spanned and kinds[first] != _PASSED_OVER:
            first -= 1
        last = live + 1
        while last <= last_chunk and kinds[last] != _PASSED_OVER:
            last += 1
        if first >= 0:  # the span starts after the word passed over (which may end the span before)
            position += sum(map(len, parts[counted : 2 * first + 1]))
            counted = 2 * first + 1
            span_start = position
        else:
            span_start = start
        if last <= last_chunk:  # and ends before the next one
            position += sum(map(len, parts[counted : 2 * last]))
            counted = 2 * last
            span_end = position
        else:
            span_end = end
        spans.append((span_start, span_end))
        spanned = last
    return spans


def indexes(values: list, value) -> Iterator[int]:
    """The indexes of value in values, in order (list.index searches in C: no Python step
    per item)."""
    index = -1
    try:
        while True:
            index = values.index(value, index + 1)
            yield index
    except ValueError:
        return


def _number_windows(folded: str) -> Iterator[tuple[int, int]]:
    """Runs of consecutive paragraphs (lines) that may hold a number. Most of a report's
    prose holds none, and reading a line's words into items is the scanner's main cost;
    nothing is read across a line that holds no number."""
    window_start = None
    position = 0
    for match in _PARAGRAPH.finditer(folded):
        start, end = match.span()
        if start == end:
            break
        if _has_number(folded, start, end):
            if window_start is None:
                window_start = start
        elif window_start is not None:
            yield window_start, start
            window_start = None
        position = end
    if window_start is not None:
        yield window_start, position


def numbers_in(doc) -> list[NumberMatch]:
    """``find_numbers`` of a spaCy Doc's text, read once and kept on the Doc
    (``doc._.numbers``): the officials stage (the meeting's date) and the figures stage
    both need them."""
    found = doc._.numbers
    if found is None:
        from .segment import doc_text

        found = doc._.numbers = find_numbers(doc_text(doc))
    return found


def parse_number(text: str) -> int | float | None:
    """The value of a string that is exactly one number expression, else None.

    Ordinals give their number (دوازدهم: 12); ranges, dates and codes give None.
    """
    # The stages ask this of single words again and again ("is this word a number?").
    return _parse_short(text) if len(text) <= 40 else _parse(text)


@lru_cache(maxsize=1 << 15)
def _parse_short(text: str) -> int | float | None:
    return _parse(text)


def _parse(text: str) -> int | float | None:
    scanner = _Scanner(text)
    items = scanner.items
    if items[0].kind == END:
        return None
    number = scanner._number(0, check_ambiguous=False)
    if number is None or items[number.next].kind != END:
        return None
    return _py(number.value)
