"""Figures (issue #5): the quantities a report states, and its deadlines.

A figure is a number with what it counts or measures: "حدود ۴۴۰ هزار نفر", "۳۰ درصد
اعتبارات عمرانی", "۲۹ هزار میلیارد ریال", "بین ۲۵ تا ۳۰ درصد" (two figures, its ends),
"ظرف ۱۰ روز". Calendar dates, years, times of day, ids and labels ("خط ۲", "اتاق ۶۱۲",
"سامانه ۱۳۷", "ماده ۵") are not figures (shared/eval/GOLD.md, "figures").

How a figure is found, in the Doc's normalized text (ASCII digits, Persian letters):

1. ``numbers.find_numbers`` reads every number, range and date with its hedge.
2. The unit is read right after the number: a unit of measure of ``lexicons/units.tsv``
   (longest first: "کیلووات ساعت", "لیتر در ثانیه"), a percent sign, or else the counted
   noun itself ("۱۵ دفتر" -> دفتر; an ezafe or adjective ending is dropped: "۱۲۰ روستای"
   -> روستا, "۲۰ درصدی" -> درصد). A word is a noun unless it is a function word
   (``lexicons/function_words.txt``), a verb form (hazm's verb list) or, by hazm's word
   list, only some other part of speech.
3. A number without a unit takes the unit of the number right after it when only a
   conjunction stands between ("از ۳٬۶۰۰ به ۴ هزار تخت", "زلزله‌های ۴ یا ۵ ریشتری"), unless
   a noun right before it makes it a name ("پژو ۴۰۵، یک تن"); otherwise a number without a
   unit is no figure (a year, a session number, a score, a code).
4. Not figures: a number after a label word (``lexicons/labels.txt``: "خط ۲ قطار", also
   across a list: "بندهای ۷ و ۸"), after "ساعت" or before a part of the day
   (``lexicons/time_words.txt``: "ساعت ۱۰"، "۸ صبح"), a day before a month name
   (``lexicons/months.txt``: "۱۱ سپتامبر"), a four-digit year before an ordinary noun
   ("بودجه ۱۴۰۴ مجلس"), a score ("سه بر صفر"), "هر دو", a number word glued to a noun
   ("چهل‌ستون"), and the indefinite article "یک" before a count noun ("یک جلسه"; "یک ماه"
   and "تنها یک نفر" are figures).
5. A hedge (``lexicons/hedges.txt``) makes the figure approximate, also one bridging word
   before the number ("حداکثر ظرف ۳۰ دقیقه", "حداقل به ۳۰ درصد").
6. The same fact stated twice is one figure (GOLD.md "Once each"): a headline figure
   whose value and unit come again later is dropped, a lead figure where they come again
   counting the same thing, and any figure that repeats an earlier one's value, unit and
   first word of what it counts. The hedged statement is kept, being the fuller one.

``find_deadlines`` reads "تا پایان سال ۱۴۰۳", "حداکثر تا ۱۵ دی", "ظرف یک ماه", "تا دو ماه
آینده", "تا پایان برنامه هفتم" and resolves them to a date where the document's own date
(the first full date in its first lines) allows.

Everything here reads a bounded window around each number, so the stage is linear in
the length of the text.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import jdatetime
import regex
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import officials, segment
from .normalize import Memo, hazm_file, hazm_word_list, hazm_words
from .numbers import NumberMatch, find_numbers, numbers_in, parse_number

__all__ = [
    "Deadline",
    "Figure",
    "FigureRange",
    "Unit",
    "document_date",
    "export",
    "export_deadline",
    "find_deadlines",
    "find_figures",
]

LEXICONS = Path(__file__).with_name("lexicons")
ZWNJ = "\u200c"
QUANTITY_KINDS = ("count", "money", "percent", "area", "length", "mass", "volume", "energy", "duration", "other")


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class FigureRange:
    low: int | float
    high: int | float
    end: str  # "low" | "high": which end of the range this figure is


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure; offsets are into the normalized text (``doc.text``)."""

    id: str
    start_char: int  # the whole phrase: hedge, number(s), unit
    end_char: int
    number_start: int  # this figure's own number
    number_end: int
    value: int | float  # as stated: "440 هزار" is 440000, "۲ میلیارد تومان" 2000000000
    unit: str | None  # the head noun as written, singular; "درصد" for % ; None: no unit
    unit_start: int | None
    unit_end: int | None
    approximate: bool
    hedge: str | None
    range: FigureRange | None
    quantity: str  # one of QUANTITY_KINDS
    counted: str | None  # what is counted or measured: "اعتبارات عمرانی این بخش"
    rials: int | float | None  # money in rials (1 toman = 10 rials)
    base_unit: str | None  # the unit's base unit from units.tsv ("متر" for کیلومتر)
    base_value: int | float | None  # the value in the base unit
    sentence: str | None  # body sentence id ("s3"); None in the headline
    speaker: str | None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline phrase; offsets are into the normalized text."""

    text: str
    start_char: int
    end_char: int
    date: str | None  # resolved ISO (Gregorian) date, or None
    jalali: str | None  # the same date in the Jalali calendar, "1403-12-30"


@dataclass(frozen=True, slots=True)
class Unit:
    text: str  # as written, without an ezafe or adjective ending
    start: int
    end: int  # end of the unit as written, with its ending
    kind: str
    base: str | None
    factor: float | None
    known: bool  # a unit of measure or counter noun of the lexicons
    scale: int = 1  # a scale word glued to the unit: "۲۶۰۰ میلیاردتومانی" is 2600 × 10^9 تومان


# ----------------------------------------------------------------------------- lexicons

# Arabic letter forms folded; spaces, ZWNJ and ZWJ removed.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا", "ۀ": "ه",
                       " ": None, "\t": None, "\n": None, "\u00a0": None, "\u200c": None, "\u200d": None})


def _per_word(compute):
    """``compute`` remembered per distinct argument (a bounded memo, kept across documents):
    the same words come back again and again."""
    return Memo(compute).__getitem__


@_per_word
def _key(words: str) -> str:
    """A lexicon key: "متر مکعب", "مترمکعب" and "متر‌مکعب" are one key."""
    return words.translate(_FOLD)


def _read(name: str) -> list[str]:
    lines = (LEXICONS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True, slots=True)
class _UnitEntry:
    kind: str
    base: str | None
    factor: float | None


@cache
def _units() -> dict[str, _UnitEntry]:
    units: dict[str, _UnitEntry] = {}
    rows = _read("units.tsv")
    assert rows[0].split("\t") == ["unit", "kind", "base", "factor"], "units.tsv starts with its header"
    for row in rows[1:]:
        unit, kind, base, factor = row.split("\t")
        if kind not in QUANTITY_KINDS:
            raise ValueError(f"units.tsv: {unit}: unknown kind {kind}")
        units[_key(unit)] = _UnitEntry(kind, None if base == "-" else base, None if factor == "-" else float(factor))
    return units


@cache
def _unit_words() -> int:
    """The most words a unit of units.tsv has."""
    return max(len(row.split("\t")[0].split()) for row in _read("units.tsv")[1:])


@cache
def _multiword_starts() -> frozenset[str]:
    """First words of the units written in more than one word: "متر" of "متر مکعب"."""
    return frozenset(_key(row.split("\t")[0].split()[0]) for row in _read("units.tsv")[1:] if " " in row.split("\t")[0])


@cache
def _counters() -> frozenset[str]:
    return frozenset(_key(word) for word in _read("counters.txt"))


@cache
def _labels() -> frozenset[str]:
    return frozenset(_key(word) for word in _read("labels.txt"))


@cache
def _function_words() -> frozenset[str]:
    return frozenset(_key(word) for word in _read("function_words.txt"))


@cache
def _time_words() -> frozenset[str]:
    return frozenset(_key(word) for word in _read("time_words.txt"))


@cache
def _months() -> frozenset[str]:
    return frozenset(_key(word) for word in _read("months.txt"))


@cache
def _hedges() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Hedge phrases by their last word: {"از": (("بیش", "از"), ...)}."""
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _read("hedges.txt"):
        words = tuple(_key(w) for w in regex.split(r"[\s\u200c]+", phrase))
        by_last.setdefault(words[-1], []).append(words)
    return {last: tuple(sorted(group, key=len, reverse=True)) for last, group in by_last.items()}


# Words that stand between a hedge and its number: "حداکثر ظرف ۳۰ دقیقه", "حداقل به ۳۰ درصد".
_BRIDGES = frozenset({"ظرف", "طی", "به", "تا", "در", "مدت", "برای", "با"})
# Hedges written after the figure: "۶۰ سال به بالا", "۵۰ نفر و بیشتر".
_AFTER_HEDGES = tuple(tuple(_key(w) for w in phrase) for phrase in (
    ("و", "بیشتر"), ("یا", "بیشتر"), ("به", "بالا"), ("و", "بالاتر"), ("یا", "بالاتر"), ("و", "کمتر"), ("یا", "کمتر"),
    ("به", "پایین"), ("حدودا",), ("تقریبا",),
))
_AFTER_HEDGE_STARTS = frozenset(phrase[0] for phrase in _AFTER_HEDGES)
_WEEKDAYS = frozenset(_key(d) for d in ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "پنج‌شنبه", "جمعه"))
# Before a four-digit number, these make it a year: "پیک تابستان ۱۴۰۳", "بودجه ۱۴۰۴".
_YEAR_CONTEXT = frozenset(_key(w) for w in (
    "بهار", "تابستان", "پاییز", "پائیز", "زمستان", "بودجه", "انتخابات", "افق", "چشم‌انداز", "سند", "المپیک",
    "جام", "نوروز", "سرشماری", "کنکور", "متولد", "متولدین", "سالهای", "سال‌های", "سال", "مدل", "برنامه",
))
# Forms of کردن, نمودن, شدن and گرفتن: a noun right before one is part of a compound verb
# ("دوربان ۲ جلوگیری نمود", "این دو باعث می‌شود", "دو صورت گیرد").
_LIGHT_VERBS = frozenset(_key(w) for w in (
    "کرد", "کردند", "کرده", "کند", "کنند", "نمود", "نمودند", "نموده", "نماید", "نمایند", "می‌کند", "می‌کنند",
    "می‌نماید", "می‌نمایند", "کردیم", "کنیم", "نمودیم", "نماییم", "می‌شود", "می‌شوند", "شود", "شوند",
    "گیرد", "گیرند", "می‌گیرد", "می‌گیرند", "گرفت", "گرفتند",
))
# After ریال or دینار, a country: a foreign currency, not the Iranian rial.
_FOREIGN = frozenset(_key(w) for w in (
    "سعودی", "عربستان", "عمان", "عمانی", "قطر", "قطری", "یمن", "یمنی", "برزیل", "عراق", "عراقی", "کویت",
    "کویتی", "بحرین", "اردن", "الجزایر", "لیبی", "تونس", "آمریکا", "آمریکایی", "کانادا", "استرالیا", "هنگ",
))
# After "تن", these make it "persons": "۱۰ تن از دیپلمات‌ها", "۲۱ تن کشته شدند".
_PERSONS = frozenset(_key(w) for w in ("از", "کشته", "زخمی", "مجروح", "مصدوم", "جان", "دستگیر", "بازداشت", "شهید"))
_GLUED_SCALES = (("میلیارد", 10**9), ("میلیون", 10**6), ("هزار", 10**3))
_WORD_NUMBERS = frozenset(_key(w) for w in ("یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده"))


def _lexicon_tags() -> dict[str, frozenset[str]]:
    """Parts of speech of hazm's word list."""
    return hazm_word_list()[1]


@cache
def _verb_forms() -> frozenset[str]:
    """Finite verbs and past participles of hazm's verb list: "شد", "یافته", "می‌رسد"."""
    path = hazm_file("data") / "verbs.dat"
    forms: set[str] = {"است", "نیست", "هست", "اند", "باید", "نباید", "خواهد", "خواهند", "خواهیم", "می‌باشد",
                       "می‌باشند", "نمی‌باشد", "بایست", "می‌بایست", "شده‌اند", "شده‌است", "کرده‌اند", "کرده‌است"}
    # Bare past stems are often nouns too (شیفت، ساخت، برد): only the common verbs' count.
    forms.update(("شد", "نشد", "بود", "نبود", "کرد", "نکرد", "داد", "گفت", "رسید", "یافت", "گرفت", "داشت", "آمد",
                  "رفت", "نمود", "گردید", "افزود", "خواست", "ماند", "آورد", "کشید", "افتاد"))
    words = hazm_words()
    for line in path.read_text(encoding="utf-8").splitlines():
        if "#" not in line:
            continue
        past, present = line.strip().split("#", 1)
        if past and past not in words:
            forms.add(past)  # دانست, گذشت: a bare past stem that is no noun of hazm's word list
        for negation in ("", "ن"):
            if past:
                forms.update(negation + past + ending for ending in ("یم", "ید", "ند"))
                forms.add(negation + past + "ه")
            if present:
                for prefix in ("", "ب", "می‌", "نمی‌") if not negation else ("",):
                    forms.update(negation + prefix + present + ending for ending in ("د", "یم", "ید", "ند"))
    return frozenset(forms)


def _is_verb(word: str) -> bool:
    if word.startswith(("می‌", "نمی‌")):
        return True
    if ZWNJ in word and word.rsplit(ZWNJ, 1)[1] in _verb_forms():
        return True  # "پرداخت‌شده", "انجام‌شد": a compound verb written as one word
    return word in _verb_forms() or word.replace(ZWNJ, "") in _verb_forms()


# ----------------------------------------------------------------------------- words around a number

_LETTERS = regex.compile(r"[\p{L}\p{M}\u200c]")
# A word is at most 40 letters: a longer run is no word we look for.
_WORD_AT = regex.compile(r"[ \u00a0]{0,3}+([\p{L}\p{M}\u200c]{1,40}+)(?![\p{L}\p{M}\u200c])")
# Read right to left from the end position: the word before it, across up to three
# spaces (and, in the second pattern, one ":" with up to three spaces before it).
_WORD_BEFORE = regex.compile(r"(?r)([\p{L}\p{M}\u200c]{1,40}+)[ \u00a0]{0,3}+")
_WORD_BEFORE_COLON = regex.compile(r"(?r)([\p{L}\p{M}\u200c]{1,40}+)(?:[ \u00a0]{0,3}+:)?[ \u00a0]{0,3}+")
_PERSIAN = regex.compile(r"[\u0600-\u06ff]")


@dataclass(slots=True)  # not frozen: a frozen dataclass costs more to build, and words are many
class _Word:
    text: str
    start: int
    end: int
    key: str  # _key(text), read once: most words are looked up by it, some several times


def _stripped(written: str, start: int) -> _Word | None:
    """The word of a run of letters at start, without a ZWNJ at either end."""
    if written[0] != ZWNJ and written[-1] != ZWNJ:
        return _Word(written, start, start + len(written), _key(written))
    word = written.strip(ZWNJ)
    if not word:
        return None
    start += len(written) - len(written.lstrip(ZWNJ))
    return _Word(word, start, start + len(word), _key(word))


def _word_after(text: str, pos: int) -> _Word | None:
    """The word right after pos, across spaces only (not a line break or a mark)."""
    match = _WORD_AT.match(text, pos)
    if match is None:
        return None
    return _stripped(match.group(1), match.start(1))


def _words_after(text: str, pos: int, count: int) -> list[_Word]:
    words = []
    while len(words) < count:
        word = _word_after(text, pos)
        if word is None:
            break
        words.append(word)
        pos = word.end
    return words


def _word_before(text: str, pos: int, colon: bool = False) -> _Word | None:
    """The word right before pos, across up to three spaces (and one ":" with ``colon``)."""
    match = (_WORD_BEFORE_COLON if colon else _WORD_BEFORE).match(text, 0, pos)
    if match is None:
        return None
    start = match.start(1)
    if start > 0 and _LETTERS.match(text, start - 1):
        return None  # longer than any word we look for
    return _stripped(match.group(1), start)


# ----------------------------------------------------------------------------- units

_PLURALS = ("‌هایی", "‌های", "‌ها", "هایی", "های", "ها")
_EZAFE = ("‌ای", "‌ی")


@_per_word
def _stems(word: str) -> tuple[tuple[str, str], ...]:
    """(stem, ending) readings of a word after a number, the word itself first."""
    readings = [(word, "")]
    for ending in _PLURALS + _EZAFE:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            if ZWNJ not in ending and _known_word(word):
                continue  # "تنها" is a word of its own, not تن + ها
            readings.append((word[: -len(ending)], ending))
    for stem, ending in list(readings):
        # روستای, نیروی; درصدی, متری; کیلویی, یورویی; ساله, نفره, ماهه, ماهۀ; ساله‌ی; درصدش
        for suffix in ("یی", "ی", "ه", "ۀ", "ش", "شان"):
            if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
                readings.append((stem[: -len(suffix)], suffix + ending))
    return tuple(readings)


def _known_unit(key: str) -> _UnitEntry | None:
    entry = _units().get(key)
    if entry is not None:
        return entry
    if key in _counters():
        return _UnitEntry("count", None, None)
    return None


def _unit_of(head: str, word: str) -> tuple[_UnitEntry, str] | None:
    """The unit of the words ``head`` (as keys) and ``word``, the latter read with an ending
    where it has one ("متری"): (its entry, the ending), or None."""
    for stem, ending in _stems(word):
        entry = _known_unit(head + _key(stem))
        if entry is not None:
            return entry, ending
    return None


# The unit of a single word: most numbers are followed by one word only.
_unit_of_word = _per_word(partial(_unit_of, ""))


@_per_word
def _is_noun(word: str) -> bool:
    """Whether a word after a number can be the noun it counts."""
    key = _key(word)
    if len(key) < 2 or not _PERSIAN.match(word):
        return False
    if key in _function_words() or key in _time_words() or key in _months() or key in _WEEKDAYS:
        return False
    if _is_verb(word):
        return key in _counters()
    tags = _lexicon_tags().get(word) or _lexicon_tags().get(word.replace(ZWNJ, ""))
    return tags is None or "N" in tags or "CL" in tags


def _unit_after(text: str, match: NumberMatch) -> Unit | None:
    """The unit of measure or counted noun right after a number."""
    if match.end > match.number_end:  # the parser took a percent sign
        return Unit("درصد", match.number_end, match.end, "percent", "درصد", 1.0, True)
    pos = match.end
    i = pos
    while i < len(text) and i - pos < 3 and text[i] == " ":
        i += 1
    if i < len(text) and text[i] in "%٪":
        return Unit("درصد", i, i + 1, "percent", "درصد", 1.0, True)
    first = _word_after(text, pos)
    if first is None or first.key in _function_words():
        return None
    words = [first]
    if first.key in _multiword_starts():
        words += _words_after(text, first.end, _unit_words() - 1)
    # A unit of measure, longest first; its last word may carry an ending (متری, ساله).
    for size in range(len(words), 0, -1):
        head = "".join([w.key for w in words[: size - 1]]) if size > 1 else ""
        last = words[size - 1]
        found = _unit_of(head, last.text) if head else _unit_of_word(last.text)
        if found is None:
            continue
        entry, ending = found
        written = text[words[0].start : last.end - len(ending)] if ending else text[words[0].start : last.end]
        if written == "تن" and _word_after(text, last.end) is not None and _word_after(text, last.end).key in _PERSONS:
            entry = _UnitEntry("count", None, None)  # "۱۰ تن از دیپلمات‌ها", "۲۱ تن کشته": persons, not tons
        return Unit(written, words[0].start, last.end, entry.kind, entry.base, entry.factor, True)
    # A scale glued to a unit: "میلیاردتومانی", "هزارتن".
    for scale_word, scale in _GLUED_SCALES:
        if first.key.startswith(scale_word) and len(first.key) > len(scale_word) + 1:
            rest = first.text[len(first.text) - (len(first.key) - len(scale_word)) :]
            for stem, ending in _stems(rest):
                entry = _units().get(_key(stem))
                if entry is not None:
                    written = first.text[: len(first.text) - len(ending)] if ending else first.text
                    unit_text = written[len(written) - len(stem) :]
                    return Unit(unit_text, first.start, first.end, entry.kind, entry.base, entry.factor, True, scale)
    # Any other noun: the counted noun itself, without an ezafe or plural ending.
    first = words[0]
    if text[pos : first.start] == ZWNJ and not match.text[-1:].isdigit():
        return None  # a compound name: "چهل‌ستون", "هفت‌تپه"
    if first.key in _function_words() or first.key in _months() or first.key in _time_words():
        return None
    following = _word_after(text, first.end)
    if following is not None and following.key in _LIGHT_VERBS:
        return None  # "اجلاس دوربان ۲ جلوگیری نمود": the noun belongs to a compound verb
    stem = _open_stem(first.text)
    if stem is not None and stem.endswith("ی") and following is not None and following.key == "که":
        if _known_word(stem[:-1]) and not _known_word(stem) and len(stem) > 3:
            stem = stem[:-1]  # "چهار اردوگاهی که": the ی of a relative clause ("سه بازی که" stays)
    if stem is None or (len(_key(stem)) < 3 and _key(stem) not in _counters()):
        return None
    if not _is_noun(stem):
        return None
    # Last, being the dearest test of a new word (each test here only says no).
    if parse_number(first.text) is not None:
        return None  # "چهارصد و هشتاد سومین": an ordinal, no noun
    return Unit(stem, first.start, first.end, "count", None, None, False)


def _known_word(word: str) -> bool:
    return word in _lexicon_tags() or word in hazm_words() or _key(word) in _counters()


@_per_word
def _open_stem(word: str) -> str | None:
    """The singular noun of a word after a number: "روستای" -> روستا, "مدرسه‌ی" -> مدرسه.

    A final ی after ا or و is the ezafe ("نیروی عملیاتی"); after another letter it is part
    of the word ("صندلی") and stays. A plural ending is dropped where the stem is a word."""
    if _key(word) in _function_words():
        return None
    for ending in _EZAFE + _PLURALS:
        stem = word[: -len(ending)]
        if not word.endswith(ending) or len(stem) < 2 or not _known_word(stem):
            continue
        if ZWNJ not in ending and (len(stem) < 3 or _known_word(word)):
            continue  # "تنها" is a word of its own, not تن + ها
        return stem
    if word.endswith(("ای", "وی")) and len(word) > 2 and _known_word(word[:-1]):
        return word[:-1]
    return word


# ----------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Candidate:
    match: NumberMatch
    value: int | float
    number_start: int
    number_end: int
    range: FigureRange | None
    unit: Unit | None
    shared: bool = False  # the unit is borrowed from the number after it
    hedge: str | None = None
    hedge_start: int | None = None
    after_hedge_end: int | None = None
    counted: str | None = None


_CONNECTOR = regex.compile(r"\s++(?:تا|الی|لغایت|و)\s++|\s*+[-–]\s*+")


def _range_ends(text: str, match: NumberMatch) -> tuple[tuple[int, int], tuple[int, int]]:
    """The spans of the low and the high number of a range."""
    start, end = match.number_start, match.number_end
    if end - start <= 200:
        for connector in _CONNECTOR.finditer(text, start, end):
            left, right = text[start : connector.start()], text[connector.end() : end]
            if parse_number(left) is not None and parse_number(right) is not None:
                return (start, connector.start()), (connector.end(), end)
    return (start, end), (start, end)


def _hedge_before(text: str, pos: int) -> tuple[str, int] | None:
    """A hedge phrase ending right before pos: (its text, its start)."""
    return _hedge_ending(text, _word_before(text, pos))


def _hedge_ending(text: str, last: _Word | None) -> tuple[str, int] | None:
    """A hedge phrase whose last word is ``last``: (its text, its start)."""
    if last is None:
        return None
    back: list[_Word | None] = []  # the words before last, right to left, read as the phrases need them
    for phrase in _hedges().get(last.key, ()):
        start = last.start
        ok = True
        for depth, word in enumerate(reversed(phrase[:-1])):
            if depth == len(back):
                back.append(_word_before(text, start))
            before = back[depth]
            if before is None or before.key != word:
                ok = False
                break
            start = before.start
        if ok:
            return text[start : last.end], start
    return None


def _candidates(text: str, matches: list[NumberMatch]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for match in matches:
        if match.kind == "date":
            continue
        unit = _unit_after(text, match)
        scale = unit.scale if unit is not None else 1
        if match.kind == "range":
            low_span, high_span = _range_ends(text, match)
            span_range = FigureRange(_number(match.low * scale), _number(match.high * scale), "low")
            for end, value, span in (("low", span_range.low, low_span), ("high", span_range.high, high_span)):
                out.append(_Candidate(match, value, span[0], span[1], FigureRange(span_range.low, span_range.high, end), unit))
        elif match.value is not None:
            out.append(_Candidate(match, _number(match.value * scale), match.number_start, match.number_end, None, unit))
    return out


_SHARING = regex.compile(r"\s*+(?:[،,]\s*+(?:و\s++)?|و\s++|یا\s++|به\s++|تا\s++)")


def _share_units(text: str, candidates: list[_Candidate]) -> None:
    """A number without a unit takes the unit of the next one: "از ۳٬۶۰۰ به ۴ هزار تخت"."""
    following: _Candidate | None = None
    for candidate in reversed(candidates):
        if candidate.unit is None and following is not None and following.unit is not None:
            gap = _SHARING.fullmatch(text, candidate.match.end, following.match.start)
            if gap is not None and candidate.match is not following.match:
                # After a comma the next number may start a new item ("پژو ۴۰۵، یک تن"); a
                # unit of measure is shared across "و"/"یا" also after a noun ("زلزله‌های ۴ یا ۵ ریشتری").
                measure = following.unit.known and following.unit.kind != "count" and not set(gap.group()) & set("،,")
                if measure or _free_before(text, candidate):
                    candidate.unit, candidate.shared = following.unit, True
        following = candidate


def _free_before(text: str, candidate: _Candidate) -> bool:
    """Whether nothing before a number makes it a name or an id: a number right after a
    noun with no unit of its own is one ("پژو ۴۰۵"، "هتل‌های چهار و پنج ستاره")."""
    if candidate.match.hedge:
        return True
    before = _word_before(text, candidate.match.start)
    if before is None:
        return True
    key = before.key
    return key in _function_words() or _is_verb(before.text) or parse_number(before.text) is not None


# ----------------------------------------------------------------------------- filters


def _is_year(text: str, candidate: _Candidate) -> bool:
    """A plain four-digit number that is a year: "بودجه ۱۴۰۴ مجلس", "تابستان ۱۴۰۳"."""
    written = text[candidate.number_start : candidate.number_end]
    if not (len(written) == 4 and written.isdigit()):
        return False
    value = int(written)
    if not (1300 <= value < 1500 or 1900 <= value < 2100):
        return False
    before = _word_before(text, candidate.match.start)
    if before is not None and before.key in _YEAR_CONTEXT:
        return True
    return candidate.match.hedge is None and not (candidate.unit and candidate.unit.known)


def _not_a_figure(text: str, candidate: _Candidate, before: _Word | None, after_unit: _Word | None) -> bool:
    """Whether a number with a unit is no figure; ``before`` is the word before the number
    (``_word_before``), ``after_unit`` the word after its unit."""
    match, unit = candidate.match, candidate.unit
    if unit is None:
        return True
    if match.start and text[match.start - 1] in ZWNJ + "+":
        return True  # "ال‌بی‌سی": a syllable of a word; "۵+۱": a name
    known_measure = unit.known and unit.kind != "count"
    if before is None:  # else the word across a ":" is that word itself
        before = _word_before(text, match.start, colon=True)
    if match.hedge is None and not known_measure and _labelled(text, match.start, before):
        return True  # خط ۲ قطار شهری، منطقه ۳ شهرداری، بندهای ۷ و ۸ پیش‌نویس
    if unit.text == "ماه" and _is_date_month(text, after_unit, before):
        return True  # ۲۱ ماه می ۲۰۰۴، ۱۸ ماه جاری، سه‌شنبه ۱۸ ماه
    if before is not None:
        key = before.key
        if key == "ساعت" and match.hedge is None:
            return True  # ساعت ۱۰، ساعت: ۹ تا ۱۲
        if key == "هر" and match.number_start == match.start and match.text in ("دو", "یک"):
            return True  # هر دو طرف
    if _key(unit.text) in _time_words() and match.text[-1:].isdigit():
        return True  # ۱۰ صبح
    window = max(0, match.start - 16)  # a time has a ":": most windows need no search
    if text.find(":", window, match.start) >= 0 and _TIME_BEFORE.search(text, window, match.start):
        return True  # ساعت ۹:۳۰ تا ۱۲
    if before is not None and before.key == "بر" and _number_before(text, before.start):
        return True  # با نتیجه ۲۵ بر سه: a score
    if match.kind == "range" and match.low == 0 and "صفر" in match.text:
        return True  # از صفر تا صد: "entirely"
    if _is_year(text, candidate):
        return True
    if match.text == "یک" and not known_measure and candidate.hedge is None:
        if before is None or before.key not in ("تنها", "فقط", "صرفا", "حتی"):
            return True  # یک جلسه: the indefinite article; "تنها یک نفر" counts
    return False


def _label_key(word: _Word) -> str:
    key = word.key
    for ending in ("هایی", "های", "ها", "ی"):
        if key.endswith(ending) and key[: -len(ending)] in _labels():
            return key[: -len(ending)]
    return key


def _labelled(text: str, start: int, before: _Word | None) -> bool:
    """Whether a label word stands before the number at start, also across a list of
    numbers: "خط ۲"، "بندهای ۷ و ۸"، "مراکز شماره یک و دو". ``before`` is the word before
    start, across a ":" (``_word_before(text, start, colon=True)``)."""
    pos = start
    for step in range(6):
        if step:
            before = _word_before(text, pos, colon=True)
        if before is not None and _label_key(before) in _labels():
            return True
        # step back over "و" or "،" and the number before it
        if before is not None and before.key in ("و", "یا"):
            pos = before.start
        else:
            i = pos
            while i > 0 and pos - i < 3 and text[i - 1] == " ":
                i -= 1
            if i > 0 and text[i - 1] in "،,":
                pos = i - 1
            else:
                return False
        i = pos
        while i > 0 and pos - i < 3 and text[i - 1] == " ":
            i -= 1
        j = i
        while j > 0 and i - j < 20 and text[j - 1].isdigit():
            j -= 1
        if j < i:
            pos = j
            continue
        word = _word_before(text, pos)
        if word is None or parse_number(word.text) is None:
            return False
        pos = word.start
    return False


def _is_date_month(text: str, word: _Word | None, before: _Word | None) -> bool:
    """Whether "N ماه" is a day of a month: "۲۱ ماه می ۲۰۰۴", "۱۵ ماه مبارک رمضان",
    "۱۸ ماه جاری" (the 18th of this month), "روز سه‌شنبه ۱۸ ماه". ``word`` is the word after
    "ماه", ``before`` the one before the number."""
    if before is not None and before.key in _WEEKDAYS:
        return True
    if word is not None and word.key == "مبارک":
        word = _word_after(text, word.end)
    return word is not None and (word.key in _months() or word.key in ("می", "جاری"))


_TIME_BEFORE = regex.compile(r"[0-9]{1,2}:[0-9]{2} {0,3}+(?:تا|الی|-|–) {0,3}+$")


def _number_before(text: str, pos: int) -> bool:
    """Whether a number ends right before pos (across spaces)."""
    i = pos
    while i > 0 and pos - i < 3 and text[i - 1] == " ":
        i -= 1
    if i > 0 and text[i - 1].isdigit():
        return True
    word = _word_before(text, pos)
    return word is not None and parse_number(word.text) is not None


# ----------------------------------------------------------------------------- counted phrase


def _counted(text: str, candidate: _Candidate, word: _Word | None) -> str | None:
    """What a figure counts: for a count, the noun phrase of its counted noun where words
    follow it ("دفتر تسهیل‌گری جدید"); for a measure, the short noun phrase after the unit
    ("۳۰ درصد اعتبارات عمرانی این بخش"), up to a preposition, a verb or a mark; None for a
    duration and where nothing but the unit is said. ``word`` is the word after the unit."""
    unit = candidate.unit
    if unit is None or candidate.shared or unit.kind == "duration":
        return None
    kind = unit.kind
    if kind != "count" and unit.end != unit.start + len(unit.text):
        return None  # "سیلوی ۵۰ هزار تنی": an adjective, what follows is not measured
    phrase_start = unit.start if kind == "count" else None
    if kind == "percent" and word is not None and word.key == "از":
        word = _word_after(text, word.end)  # ۳۰ درصد از عرصه
    taken: list[_Word] = []  # up to four modifiers, read one by one
    while word is not None and _is_modifier(word.text):
        taken.append(word)
        if len(taken) == 4:
            break
        word = _word_after(text, word.end)
    if not taken:
        return None  # "۱۹ محله از ...": the unit says it all
    if phrase_start is None:
        phrase_start = taken[0].start
    return text[phrase_start : taken[-1].end]


@_per_word
def _is_modifier(word: str) -> bool:
    key = _key(word)
    if len(key) < 2 or not _PERSIAN.match(word):
        return False
    if key in _function_words() and key not in ("این", "آن"):
        return False
    if _is_verb(word) or key in _time_words() or key in _months() or key in _WORD_NUMBERS:
        return False
    tags = _lexicon_tags().get(word) or _lexicon_tags().get(word.replace(ZWNJ, ""))
    return tags is None or bool(tags & {"N", "AJ", "DET", "PRO", "RES"})


# ----------------------------------------------------------------------------- the stage


def _number(value) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def _hedge_of(text: str, candidate: _Candidate, before: _Word | None, after_unit: _Word | None) -> None:
    """The hedge of a figure; ``before`` is the word before its number, ``after_unit`` the
    word after its unit."""
    match = candidate.match
    if match.hedge:
        candidate.hedge, candidate.hedge_start = match.hedge, match.start
        return
    direct = _hedge_ending(text, before)
    if direct is not None:
        candidate.hedge, candidate.hedge_start = direct
        return
    if before is not None and before.key in _BRIDGES:
        hedged = _hedge_before(text, before.start)
        if hedged is not None:
            candidate.hedge, candidate.hedge_start = hedged
            return
    if candidate.unit is not None and not candidate.shared:
        first = after_unit
        if first is None or first.key not in _AFTER_HEDGE_STARTS:
            return
        words = [first, *_words_after(text, first.end, 1)]
        keys = tuple(word.key for word in words)
        for phrase in _AFTER_HEDGES:
            if keys[: len(phrase)] == phrase:
                last = words[len(phrase) - 1]
                candidate.hedge = text[first.start : last.end]
                candidate.after_hedge_end = last.end
                return


def find_figures(doc: Doc, numbers: list[NumberMatch] | None = None) -> list[Figure]:
    """The figures of a Doc, in document order, each fact once.

    ``numbers`` are ``find_numbers(doc.text)`` where the caller has them already.
    """
    text = segment.doc_text(doc)
    candidates = _candidates(text, find_numbers(text) if numbers is None else numbers)
    _share_units(text, candidates)
    kept: list[_Candidate] = []
    for candidate in candidates:
        if candidate.unit is None:
            continue
        # The word before the number and the one after the unit, read once for the steps below.
        before = _word_before(text, candidate.match.start)
        after_unit = _word_after(text, candidate.unit.end)
        _hedge_of(text, candidate, before, after_unit)
        if _not_a_figure(text, candidate, before, after_unit):
            continue
        candidate.counted = _counted(text, candidate, after_unit)
        kept.append(candidate)
    if not kept:
        return []
    sentences = _body_sentences(doc)
    return _records(doc, text, _once_each(doc, kept, sentences), sentences)


def _fact(candidate: _Candidate) -> tuple:
    unit = candidate.unit
    return (float(candidate.value), _key(unit.text) if unit else None)


def _counted_head(candidate: _Candidate) -> str | None:
    """The first word of what is counted beyond the unit itself: "حادثه‌خیز" of "۲۳ نقطه حادثه‌خیز"."""
    counted, unit = candidate.counted, candidate.unit
    if not counted or unit is None:
        return None
    words = counted.split()
    if unit.kind == "count":
        words = words[1:]
    return _key(words[0]) if words else None


def _once_each(doc: Doc, candidates: list[_Candidate], sentences: _Sentences) -> list[_Candidate]:
    """Each fact once (GOLD.md "Once each"), kept at its later, fuller statement.

    * A headline figure is dropped where the same value and unit come again later.
    * A figure of the lead (the first body sentence) is dropped where the same value and
      unit come again later counting the same thing (or, on both sides, nothing named).
    * Any figure is dropped where an earlier one has the same value and unit and the same
      first word of what it counts ("۲۳ نقطه حادثه‌خیز" twice).
    A range end is never taken for a restatement of a single number.
    """
    lead_end = _lead_end(doc, sentences)
    title_end: int | None = None  # read at the first figure of the lead
    normalized = None
    facts = [_fact(c) for c in candidates]
    heads = [_counted_head(c) for c in candidates]
    by_fact: dict[tuple, list[int]] = {}  # indexes of the single numbers of each fact, in order
    by_head: dict[tuple, list[int]] = {}
    for index, candidate in enumerate(candidates):
        if candidate.range is None:
            by_fact.setdefault(facts[index], []).append(index)
            by_head.setdefault((*facts[index], heads[index]), []).append(index)

    def next_of(indexes: list[int], index: int) -> int | None:
        at = bisect_right(indexes, index)
        return indexes[at] if at < len(indexes) else None

    out: list[_Candidate] = []
    seen: set[tuple] = set()
    dropped: set[int] = set()
    for index, candidate in enumerate(candidates):
        if index in dropped:
            continue
        fact, head = facts[index], heads[index]
        if candidate.range is None and candidate.match.start < lead_end:
            if title_end is None:
                title_end = _title_end(doc)
                normalized = segment.doc_value(doc, "normalized") if Doc.has_extension("normalized") else None
            start = candidate.match.start
            original = normalized.to_original(start, start)[0] if normalized is not None else start
            repeat = next_of(by_fact[fact], index)
            if repeat is None or original >= title_end:
                repeat = next_of(by_head[(*fact, head)], index)
            if repeat is not None:
                if candidate.hedge is None or candidates[repeat].hedge is not None:
                    continue
                dropped.add(repeat)  # the hedged statement is the fuller one: keep it
        if head is not None and candidate.range is None:
            if (*fact, head) in seen:
                continue
            seen.add((*fact, head))
        out.append(candidate)
    return out


def _title_end(doc: Doc) -> int:
    """Where the headline ends, in the ORIGINAL text: its leading short lines with no full stop.

    The normalizer may join a headline ending in a verb to the lead ("... تکمیل می‌شود به
    گزارش ایرنا"), so the lines of the original are read as well as the Doc's headline.
    """
    normalized = segment.doc_value(doc, "normalized") if Doc.has_extension("normalized") else None
    original = normalized.original if normalized is not None else segment.doc_text(doc)
    end = 0
    headline = segment.doc_value(doc, "headline") if Doc.has_extension("headline") else None
    if headline is not None:
        end = normalized.to_original(headline.start_char, headline.end_char)[1] if normalized else headline.end_char
    position, lines = 0, 0
    while lines < 3:
        newline = original.find("\n", position, position + 1000)
        line = original[position:newline] if newline >= 0 else ""
        if newline < 0:
            break
        stripped = line.strip().rstrip("»\"")
        if stripped:
            if len(stripped) > 200 or stripped[-1] in ".!?؟":
                break
            lines += 1
            end = max(end, position + len(line))
        position = newline + 1
    return end


def _lead_end(doc: Doc, sentences: _Sentences) -> int:
    """Where the lead ends in the normalized text: the end of the first body sentence
    (the line break after it, which spaCy's sentence also holds, starts no figure)."""
    end = 0
    if Doc.has_extension("headline"):
        headline = segment.doc_value(doc, "headline")
        if headline is not None:
            end = headline.end_char
    if sentences.spans:
        end = max(end, sentences.spans[0].end_char)
    return end


@dataclass(frozen=True, slots=True)
class _Sentences:
    """The body sentences of a Doc, read once: their spans, start offsets and ids."""

    spans: list[Span]
    starts: list[int]
    ids: dict[int, str]


def _body_sentences(doc: Doc) -> _Sentences:
    ids = segment.doc_value(doc, "sentence_ids") if Doc.has_extension("sentence_ids") else None
    if not ids:
        return _Sentences([], [], {})
    sentences = segment.body_sentences(doc)
    return _Sentences(sentences, [s.start_char for s in sentences], ids)


def _records(doc: Doc, text: str, candidates: list[_Candidate], body: _Sentences) -> list[Figure]:
    starts, sentences, ids = body.starts, body.spans, body.ids
    speakers: dict[int, str | None] = {}
    figures = []
    for n, candidate in enumerate(candidates, start=1):
        match, unit = candidate.match, candidate.unit
        start = min(match.start, candidate.hedge_start if candidate.hedge_start is not None else match.start)
        end = match.end
        if unit is not None and not candidate.shared:
            end = max(end, unit.end)
        if candidate.after_hedge_end is not None:
            end = max(end, candidate.after_hedge_end)
        value = _number(candidate.value)
        kind = unit.kind if unit else "other"
        rials = None
        if kind == "money" and unit.base == "ریال" and unit.factor is not None:
            following = _word_after(text, unit.end)
            if following is None or following.key not in _FOREIGN:  # ریال سعودی is no rial of ours
                rials = _number(value * unit.factor)
        base_value = None
        if unit is not None and unit.factor is not None:
            base_value = _number(value * unit.factor)
        sentence = speaker = None
        index = bisect_right(starts, start) - 1
        if index >= 0 and start < sentences[index].end_char:
            span = sentences[index]
            sentence = ids.get(span.start)
            if index not in speakers:
                speakers[index] = officials.speaker_of(span)
            speaker = speakers[index]
        figures.append(
            Figure(
                id=f"f{n}",
                start_char=start,
                end_char=end,
                number_start=candidate.number_start,
                number_end=candidate.number_end,
                value=value,
                unit=unit.text if unit else None,
                unit_start=unit.start if unit else None,
                unit_end=unit.end if unit else None,
                approximate=candidate.hedge is not None,
                hedge=candidate.hedge,
                range=candidate.range,
                quantity=kind,
                counted=candidate.counted,
                rials=rials,
                base_unit=unit.base if unit else None,
                base_value=base_value,
                sentence=sentence,
                speaker=speaker,
            )
        )
    return figures


# ----------------------------------------------------------------------------- deadlines

# "تا", "حداکثر تا", "ظرف", "طی", "قبل از", "در مدت": what may open a deadline.
_DEADLINE_CUE = regex.compile(
    r"(?<![\p{L}\u200c])(?:(?:حداکثر|حداقل)\s++)?(?:تا|ظرف|طی|قبل\s++از|پیش\s++از|در\s++مدت|در\s++طول)(?![\p{L}\u200c])"
)
# Trying _DEADLINE_CUE at every character is slow; it is tried only where a cue can start:
# at one of its first words, or at the "در" right before a "مدت" or "طول" ("در" alone is
# too common to try each). These words are all letters and a cue starts after no letter,
# so none starts inside a word found, and stdlib re finds these words faster than regex.
_CUE_WORDS = re.compile("حداکثر|حداقل|تا|ظرف|طی|قبل|پیش|مدت|طول")
_DAR_BEFORE = regex.compile(r"(?r)در\s++")  # read right to left from a "مدت" or "طول"
# The letters of the Arabic block (and ZWNJ): no cue starts right after one.
_ARABIC_LETTERS = frozenset(c for c in map(chr, range(0x600, 0x700)) if regex.match(r"\p{L}", c)) | {ZWNJ}


def _deadline_cues(text: str) -> list[regex.Match]:
    """What ``_DEADLINE_CUE.finditer(text)`` finds, trying it only where a cue can start."""
    starts = []
    for word in _CUE_WORDS.finditer(text):
        start = word.start()
        if word.group() in ("مدت", "طول"):
            dar = _DAR_BEFORE.match(text, 0, start)
            if dar is not None:
                starts.append(dar.start())
        elif not start or text[start - 1] not in _ARABIC_LETTERS:
            starts.append(start)
    starts.sort()
    cues: list[regex.Match] = []
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the cue before: finditer goes on after it
        cue = _DEADLINE_CUE.match(text, start)
        if cue is not None:
            cues.append(cue)
            end = cue.end()
    return cues


# Where in a period: "تا پایان سال", "تا نیمه مهر", "تا ابتدای سال آینده".
_POINT = {_key(w): p for w, p in (
    ("پایان", "end"), ("آخر", "end"), ("انتهای", "end"), ("اواخر", "end"), ("نیمه", "middle"), ("اواسط", "middle"),
    ("ابتدای", "start"), ("آغاز", "start"), ("اوایل", "start"), ("شروع", "start"))}
_SHIFT = {"آینده": 1, "بعد": 1, "جاری": 0, "فعلی": 0, "جدید": 0}
_PAST = frozenset({"گذشته", "اخیر", "قبل", "پیش", "پیشین", "نخست", "اول"})
_PERIODS = {"سال": "year", "ماه": "month", "هفته": "week"}
_DURATIONS = {"سال": ("months", 12), "ساله": ("months", 12), "ماه": ("months", 1), "ماهه": ("months", 1),
              "هفته": ("days", 7), "روز": ("days", 1), "روزه": ("days", 1), "شبانهروز": ("days", 1),
              "ساعت": ("days", 1 / 24)}
# A named period that is no calendar date: "تا پایان برنامه هفتم", "تا پایان سال تحصیلی".
_EVENTS = frozenset(_key(w) for w in ("برنامه", "دولت", "دوره", "مهلت", "قرارداد", "نیمسال", "فصل", "رمضان",
                                      "محرم", "پروژه", "طرح", "جنگ", "سفر", "جلسه", "مأموریت", "ماموریت"))
_EVENT_YEARS = frozenset(_key(w) for w in ("تحصیلی", "زراعی", "مالی", "آبی", "تحصیل", "کاری"))
_EVENT_MONTHS = frozenset(_key(w) for w in ("رمضان", "مبارک", "محرم", "صفر"))
_SEASONS = {"بهار": 1, "تابستان": 4, "پاییز": 7, "پائیز": 7, "زمستان": 10}
_MONTH_NUMBERS = {_key(m): n for n, m in enumerate(
    ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"), start=1)}
_MONTH_NUMBERS[_key("امرداد")] = 5


def _month_days(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def _add_months(date: jdatetime.date, months: int) -> jdatetime.date:
    total = date.year * 12 + date.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return jdatetime.date(year, month, min(date.day, _month_days(year, month)))


def _add_days(date: jdatetime.date, days: float) -> jdatetime.date:
    whole = int(days) if float(days).is_integer() else int(days) + 1
    return jdatetime.date.fromgregorian(date=date.togregorian() + datetime.timedelta(days=whole))


def _jalali(iso: str) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=datetime.date.fromisoformat(iso))


def document_date(doc: Doc | str, numbers: list[NumberMatch] | None = None) -> jdatetime.date | None:
    """The document's own date: the first full date (with a year) in its first eight lines."""
    text = doc if isinstance(doc, str) else segment.doc_text(doc)
    head_end, lines = 0, 0
    while lines < 8 and head_end < min(len(text), 1500):
        newline = text.find("\n", head_end, 1500)
        if newline < 0:
            head_end = min(len(text), 1500)
            break
        if text[head_end:newline].strip():
            lines += 1
        head_end = newline + 1
    found = numbers if numbers is not None else find_numbers(text[:head_end])
    for match in found:
        if match.start >= head_end:
            break
        if match.kind == "date" and match.date:
            return _jalali(match.date)
    return None


def _point(year: int, first_month: int, last_month: int, point: str) -> jdatetime.date:
    """The start, middle or end of months first_month..last_month of a Jalali year."""
    if point == "start":
        return jdatetime.date(year, first_month, 1)
    if point == "end":
        return jdatetime.date(year, last_month, _month_days(year, last_month))
    if first_month == last_month:
        return jdatetime.date(year, first_month, 15)
    middle = (first_month + last_month) // 2
    return jdatetime.date(year, middle, _month_days(year, middle) if (last_month - first_month) % 2 else 15)


_YEAR_DIGITS = regex.compile(r" {0,3}+([0-9]{4}|[0-9]{2})(?![0-9٫.,/])")


def _year_after(text: str, pos: int) -> tuple[int, int] | None:
    """(Jalali year, end) of a year written right after pos: "۱۴۰۳", "۹۹", "2025".

    The number parser does not report a year after "سال" or a month, so it is read here;
    four digits before a unit are a count ("بهمن ماه ۱۵۰۰ تن"), not a year."""
    match = _YEAR_DIGITS.match(text, pos)
    if match is None:
        return None
    written, end = match.group(1), match.end()
    following = _word_after(text, end)
    if following is not None and _known_unit(following.key) is not None:
        return None
    year = int(written)
    if len(written) == 2:
        year += 1300 if year >= 50 else 1400
    if 1900 <= year < 2100:
        return jdatetime.date.fromgregorian(date=datetime.date(year, 6, 1)).year, end
    return (year, end) if 1200 <= year <= 1700 else None


# "از ابتدای سال تا پایان مهر": the end of a span of the past, not a deadline.
_SPAN_START = regex.compile(r"(?<![\p{L}\u200c])از\s++(?:ابتدای|ابتدا|آغاز|اول|شروع|اوایل)(?![\p{L}\u200c])")


# A past verb after "تا پایان مهر": a statistic up to a date ("تا پایان مهرماه ۶۲ درصد
# اعتبارات تخصیص یافته است"), not a deadline. Futures and subjunctives are not matched.
_PAST_VERB = regex.compile(
    r"(?<!\p{L})(?:شده|یافته|رسیده|بوده|داشته|کرده|گرفته|گردیده)[\s\u200c]*+(?:است|اند|بود)(?![\p{L}\u200c])"
    r"|(?<!\p{L})(?:شد|شدند|رسید|بود|داشت|یافت|گردید|کردند|کرد)(?![\p{L}\u200c])"
)
_FUTURE_VERB = regex.compile(
    r"(?<![\p{L}\u200c])(?:خواهد|خواهند|خواهیم|می‌|نمی‌|باید|بایست|کند|کنند|شود|شوند|یابد|یابند|برسد|برساند|گردد|نماید|نمایند|دهد|دهند)"
)


def _past_cutoff(text: str, end: int) -> bool:
    """Whether the clause after a "تا ..." phrase is told in the past tense."""
    stop = end + 150
    for mark in ".؟!\n":
        found = text.find(mark, end, stop)
        if found >= 0:
            stop = found
    past = _PAST_VERB.search(text, end, stop)
    if past is None:
        return False
    future = _FUTURE_VERB.search(text, end, past.start())
    return future is None


def _span_end(text: str, cue_start: int) -> bool:
    window_start = max(0, cue_start - 80)
    window = text[window_start:cue_start]
    stop = max(window.rfind("."), window.rfind("\n"), window.rfind("؟"), window.rfind("!"))
    return _SPAN_START.search(text, window_start + stop + 1, cue_start) is not None


def find_deadlines(doc: Doc | str, numbers: list[NumberMatch] | None = None) -> list[Deadline]:
    """Deadline phrases of a Doc (or of a normalized text), in order, resolved to a date
    where the document's own date allows: "تا پایان سال ۱۴۰۳", "حداکثر تا ۱۵ دی",
    "ظرف ۱۰ روز", "تا دو ماه آینده"; "تا پایان برنامه هفتم" stays unresolved."""
    if numbers is None and isinstance(doc, Doc) and Doc.has_extension("deadlines") and doc._.deadlines is not None:
        return list(doc._.deadlines)  # the stage has read them already
    text = doc if isinstance(doc, str) else segment.doc_text(doc)
    cues = _deadline_cues(text)
    if not cues:
        return []
    if numbers is None:
        numbers = find_numbers(text)
    by_start = {m.start: m for m in numbers}
    read: list[jdatetime.date | None] = []  # the document's date, read where a deadline needs it

    def document_day() -> jdatetime.date | None:
        if not read:  # most documents have no deadline: their date is never read
            read.append(document_date(text, numbers))
        return read[0]

    out: list[Deadline] = []
    last_end = 0
    for cue in cues:
        if cue.start() < last_end:
            continue
        found = _deadline_at(text, cue, by_start, document_day)
        if found is not None:
            out.append(found)
            last_end = found.end_char
    return out


def _number_at(text: str, by_start: dict[int, NumberMatch], pos: int) -> NumberMatch | None:
    i = pos
    while i < len(text) and i - pos < 3 and text[i] == " ":
        i += 1
    return by_start.get(i)


def _deadline_at(text: str, cue: regex.Match, by_start: dict[int, NumberMatch], document_day) -> Deadline | None:
    """The deadline a cue opens, if any; ``document_day()`` is the document's own date."""
    by_date = cue.group().endswith("تا") or cue.group().endswith("از")  # تا، حداکثر تا، قبل از
    pos = cue.end()
    following = _word_after(text, pos)
    if following is not None and following.key == "مدت":  # ظرف مدت ۱۰ روز
        pos = following.end
    number = _number_at(text, by_start, pos)
    if number is not None and number.kind == "date":
        if not by_date:
            return None
        date = None
        if number.date:
            date = _jalali(number.date)
        elif number.jalali and (today := document_day()) is not None:
            month, day = (int(part) for part in number.jalali.split("-")[-2:])
            try:
                date = jdatetime.date(today.year, month, day)
                if date < today:
                    date = jdatetime.date(today.year + 1, month, day)
            except ValueError:
                date = None
        return _deadline(text, cue.start(), number.end, date)
    if number is not None:
        return _duration_deadline(text, cue, number, document_day, by_date)
    if not by_date or _span_end(text, cue.start()):
        return None
    first = following if pos == cue.end() else _word_after(text, pos)
    return _period_deadline(text, cue, first, by_start, document_day)


def _duration_deadline(text, cue, number: NumberMatch, document_day, by_date: bool) -> Deadline | None:
    """ "ظرف ۱۰ روز", "تا دو ماه آینده", "طی سه سال آینده"."""
    if number.kind != "number" or number.value is None:
        return None
    unit = _word_after(text, number.end)
    if unit is None or unit.key not in _DURATIONS:
        return None
    end = unit.end
    after = _word_after(text, end)
    if after is not None and after.key in _PAST:
        return None  # طی دو سال گذشته: a span of the past
    if after is not None and after.key in ("آینده", "دیگر", "بعد"):
        end = after.end
    elif not cue.group().endswith("ظرف"):
        return None  # "تا ۲ سال", "طی ۶ ماه": a range end or a span, not a deadline
    date = None
    today = document_day()
    if today is not None:
        step, size = _DURATIONS[unit.key]
        amount = number.value * size
        if step == "months" and float(amount).is_integer():
            date = _add_months(today, int(amount))
        elif step == "months":
            date = _add_days(today, amount * 30)
        else:
            date = _add_days(today, amount)
    return _deadline(text, cue.start(), end, date)


def _period_deadline(text, cue, first: _Word | None, by_start, document_day) -> Deadline | None:
    """ "تا پایان سال ۱۴۰۳", "تا پایان شهریور", "تا هفته آینده", "تا پایان برنامه هفتم";
    ``first`` is the word after the cue."""
    if first is None:
        return None
    point, head = None, first
    if first.key in _POINT:
        point = _POINT[first.key]
        head = _word_after(text, first.end)
        if head is None:
            return None
    key = head.key
    start = cue.start()
    if key == "امسال":
        today = document_day()
        date = _point(today.year, 1, 12, point or "end") if today else None
        return _deadline(text, start, head.end, date)
    month_key = key[:-3] if key.endswith("ماه") and key[:-3] in _MONTH_NUMBERS else key
    if key in _PERIODS:
        return _calendar_period(text, start, head, _PERIODS[key], point, by_start, document_day)
    if month_key in _MONTH_NUMBERS or key in _SEASONS:
        if month_key in _MONTH_NUMBERS:
            first_month = last_month = _MONTH_NUMBERS[month_key]
        else:
            first_month, last_month = _SEASONS[key], _SEASONS[key] + 2
        end = head.end
        after = _word_after(text, end)
        if after is not None and after.key == "ماه":
            end = after.end
        year = _year_after(text, end)
        if year is not None:
            year, end = year
        point = point or "start"
        if year is not None:
            date = _point(year, first_month, last_month, point)
        elif (today := document_day()) is not None:
            date = _point(today.year, first_month, last_month, point)
            if date < today:
                date = _point(today.year + 1, first_month, last_month, point)  # the next one
        else:
            date = None
        return _deadline(text, start, end, date)
    if point is not None and key in _EVENTS:
        return _deadline(text, start, _phrase_end(text, head), None)
    return None


def _calendar_period(text, start: int, head: _Word, period: str, point, by_start, document_day) -> Deadline | None:
    end = head.end
    year = _year_after(text, end) if period == "year" else None
    if year is not None:
        year, end = year
    follower = _word_after(text, end) if year is None else None
    shift = None
    if year is not None:
        pass
    elif follower is not None and follower.key in _SHIFT:
        shift, end = _SHIFT[follower.key], follower.end
    elif follower is not None and (
        (period == "year" and follower.key in _EVENT_YEARS) or (period == "month" and follower.key in _EVENT_MONTHS)
    ):
        end = follower.end
        if follower.key == "مبارک":  # ماه مبارک رمضان
            month = _word_after(text, end)
            end = month.end if month is not None and month.key in _months() else end
        return _deadline(text, start, end, None)  # تا پایان سال تحصیلی، تا پایان ماه رمضان
    elif follower is not None and follower.key in _PAST:
        return None
    elif point is None:
        return None  # "تا سال", "تا ماه": no deadline said
    else:
        shift = 0  # تا پایان سال: this year
    if point is None:
        point = "start" if shift else "end"  # تا سال آینده: when it begins; تا سال جاری: by its end
    date = None
    if year is not None:
        date = _point(year, 1, 12, point)
    elif (today := document_day()) is not None:
        if period == "year":
            date = _point(today.year + shift, 1, 12, point)
        elif period == "month":
            month = _add_months(jdatetime.date(today.year, today.month, 1), shift)
            date = _point(month.year, month.month, month.month, point)
        else:  # weeks run from Saturday (weekday 0) to Friday (6)
            saturday = _add_days(today, 7 * shift - today.weekday())
            date = {"start": saturday, "middle": _add_days(saturday, 3), "end": _add_days(saturday, 6)}[point]
    return _deadline(text, start, end, date)


def _phrase_end(text: str, head: _Word) -> int:
    """End of a named period: "برنامه هفتم توسعه", "دولت سیزدهم"."""
    end = head.end
    for word in _words_after(text, head.end, 2):
        if parse_number(word.text) is None and word.key not in ("توسعه", "پنجساله", "ساله"):
            break
        end = word.end
    return end


# "تا ..." and "حداکثر تا ...": no deadline where the clause after it is told in the past.
_BY_CUE = regex.compile(r"(?:(?:حداکثر|حداقل)\s++)?تا(?![\p{L}\u200c])")


def _deadline(text: str, start: int, end: int, date: jdatetime.date | None) -> Deadline | None:
    if _BY_CUE.match(text[start:end]) and _past_cutoff(text, end):
        return None
    if date is None:
        return Deadline(text[start:end], start, end, None, None)
    jalali = f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    return Deadline(text[start:end], start, end, date.togregorian().isoformat(), jalali)


def export_deadline(doc: Doc, deadline: Deadline) -> dict:
    """A deadline in the schema's shape (``$defs/deadline``), grounded in the original text."""
    return {**segment.ground(doc, deadline.start_char, deadline.end_char), "date": deadline.date, "jalali": deadline.jalali}


# ----------------------------------------------------------------------------- spaCy


def register_extensions() -> None:
    for name in ("figures", "deadlines"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class FiguresComponent:
    """Finds the figures and deadlines of a Doc, then writes them to ``doc._``."""

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        numbers = numbers_in(doc)
        figures = find_figures(doc, numbers)
        deadlines = find_deadlines(doc, numbers)
        doc._.figures = figures
        doc._.deadlines = deadlines
        return doc


@Language.factory("minutes_figures")
def make_figures(nlp: Language, name: str) -> FiguresComponent:
    register_extensions()
    return FiguresComponent()


def export(doc: Doc) -> dict:
    """``{"figures": [...]}`` in the schema's figure shape, grounded in the original text."""
    register_extensions()
    figures = segment.doc_value(doc, "figures")
    if figures is None:
        figures = find_figures(doc)
    ground = segment.grounder(doc)
    out = []
    for figure in figures:
        out.append(
            {
                "id": figure.id,
                **ground(figure.start_char, figure.end_char),
                "value": figure.value,
                "unit": figure.unit,
                "approximate": figure.approximate,
                "hedge": figure.hedge,
                "range": (
                    {"low": _number(figure.range.low), "high": _number(figure.range.high), "end": figure.range.end}
                    if figure.range
                    else None
                ),
                "quantity": figure.quantity,
                "counted": figure.counted,
                "rials": figure.rials,
                "sentence": figure.sentence,
                "speaker": figure.speaker,
            }
        )
    return {"figures": out}


register_extensions()
