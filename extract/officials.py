"""Officials, organizations and who said what (issue #4).

Persian news and minutes name an official by an office and a name, in either order
("استاندار فارس محمد X"، "محمد X، مدیرکل ...")، or by the office alone in the lead
and the name in the next paragraph; later they refer to the official by surname,
by pronoun (وی، او، ایشان، نامبرده) or by the office again. Bodies are named by a
head word (وزارت، استانداری، شورای، کارگروه، سازمان، شرکت ...) and the words after it,
which end at a place ("... استان گیلان"), before a verb, a preposition or a word that
opens a new phrase; a name may hold commas and "و" ("کارگروه اجتماعی، فرهنگی، سلامت،
زنان و خانواده استان").

Like spaCy's SpanRuler, the ``minutes_officials`` component first FINDS (pure
functions over the normalized text: :func:`analyze`), then WRITES the result to the
Doc (``doc._.officials``, ``doc._.organizations``, ``doc._.speakers``,
``doc._.meeting``). Everything is linear in the text: one tokenizing regex with
possessive runs, dictionary look-ups of at most a few words at each token, and
look-aheads bounded by a constant.

Interface for the other stages:

- ``speaker_of(sentence)``: the id of the official whose speech the sentence reports;
- ``official_of(doc, start, end)`` and ``organization_of(doc, start, end)``: the id of
  the official or body whose mention covers a span of the normalized text;
- ``export(doc)``: ``{"officials": [...], "organizations": [...], "meeting": {...}}``.

The lexicons are data files in ``lexicons/``; given names also come from the
``persian-names`` package (read at run time from the installed package).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, compress, repeat
from operator import attrgetter
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import regex
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import segment
from .normalize import Memo, re_class
from .numbers import find_numbers, numbers_in

LEXICONS = Path(__file__).with_name("lexicons")
ZWNJ = "\u200c"

# ----------------------------------------------------------------------------- keys

_FOLD = str.maketrans({"ئ": "ی", "أ": "ا", "إ": "ا", "ؤ": "و", "ة": "ه", "ي": "ی", "ك": "ک", "ۀ": "ه", "ٔ": None, ZWNJ: None})


# The characters that _FOLD changes, but ZWNJ: a word without them (most words of normalized
# text) is folded by removing its ZWNJs, several times faster than str.translate reads it.
_FOLDED = re.compile("[" + "".join(map(chr, _FOLD)).replace(ZWNJ, "") + "]")


@lru_cache(maxsize=1 << 16)
def wkey(word: str) -> str:
    """A word as looked up in the lexicons: Arabic forms folded, ZWNJ removed."""
    key = word.translate(_FOLD) if _FOLDED.search(word) else word.replace(ZWNJ, "")
    return key.replace("هییت", "هیات") if "هییت" in key else key


@lru_cache(maxsize=1 << 16)
def ckey(word: str) -> str:
    """A word as compared between two names: also without the ezafe "ی" after a vowel
    ("شورای" = "شورا", "روستای" = "روستا")."""
    key = wkey(word)
    if len(key) > 3 and key.endswith(("ای", "وی")):
        key = key[:-1]
    return key


# The keys of the head of an office or a body ("مدیر کل" -> "مدیرکل"), asked at every
# match of one: as looked up, and as compared between two names (see ckey).
_HEAD_KEY = Memo(lambda text: wkey(text).replace(" ", ""))
_HEAD_CKEY = Memo(lambda text: ckey(text.replace(" ", "")))


def _lines(name: str) -> list[str]:
    text = (LEXICONS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# ----------------------------------------------------------------------------- tokens

TOKEN = regex.compile(r"\n|[\p{L}\p{M}]++(?:\u200c[\p{L}\p{M}]++)*+|\d++(?:[.,/٫٬]\d++)*+|[^\s\u200c]")
# split() gives the tokens and the text skipped before each as strings, which is
# faster than a match object per token.
TOKEN_SPLIT = regex.compile("(" + TOKEN.pattern + ")")
_BEYOND_BMP = re.compile("[^\x00-\uffff]")


@cache
def _bmp_token_split() -> re.Pattern:
    """TOKEN_SPLIT for a text within the Basic Multilingual Plane, in Python's re, which
    splits such a text several times faster: the same pattern, each class written out as
    the characters of the plane that ``regex`` puts in it (so that both read every
    character alike, whatever Unicode version each holds)."""
    letter, digit, space = re_class(r"[\p{L}\p{M}]"), re_class(r"\d"), re_class(r"[\s\u200c]")
    word = f"[{letter}]++(?:\u200c[{letter}]++)*+"
    number = f"[{digit}]++(?:[.,/٫٬][{digit}]++)*+"
    return re.compile(f"(\n|{word}|{number}|[^{space}])")


WORD, NUMBER, PUNCT, NEWLINE = "w", "n", "p", "nl"


class Tokens(NamedTuple):
    """The tokens of a text as columns, token i being (starts[i], ends[i], texts[i],
    keys[i], kinds[i]): a few lists rather than an object for every word."""

    starts: list[int]
    ends: list[int]
    texts: list[str]
    keys: list[str]  # wkey() of a word; the text itself for other tokens
    kinds: list[str]


GLUED = "glued"  # the kind of a word read as two (see _key)


def _key(piece: str) -> str:
    """The key of a token's text: the text itself (the object the memo holds already)
    when they are equal. The kind of a token that is no word goes to _NON_WORD_KINDS:
    kind GLUED for a head glued to its name by the normalizer ("هیئت‌وزیران",
    "پلیس‌راه"), two words, so that the head is found."""
    first_char = piece[0]
    if first_char.isalpha():
        if ZWNJ in piece:
            first, rest = piece.split(ZWNJ, 1)
            if wkey(first) in _split_heads() and not _is_suffix(wkey(rest)):
                _NON_WORD_KINDS[piece] = GLUED
                return piece
        key = wkey(piece)
        return piece if key == piece else key
    _NON_WORD_KINDS[piece] = NEWLINE if piece == "\n" else NUMBER if first_char.isdigit() else PUNCT
    return piece


_KEY = Memo(_key)
# The kind of every key in _KEY that is no word's (the key is then the text itself). A
# word's key is in no danger of being one of them: it holds no ZWNJ, as glued words do,
# and starts with a letter, as the others do not. Keys that are no word's are few (marks,
# numbers): their table is read from the processor's cache rather than from memory, as a
# memo of every text's kind would be.
_NON_WORD_KINDS: dict[str, str] = {}


def tokenize(text: str) -> Tokens:
    if len(_NON_WORD_KINDS) >= _KEY.limit:
        # Emptied with _KEY, between two texts: the kinds of a text's keys are kept while
        # it is read.
        _KEY.clear()
        _NON_WORD_KINDS.clear()
    split = TOKEN_SPLIT.split if _BEYOND_BMP.search(text) else _bmp_token_split().split
    parts = split(text)  # skipped, token, skipped, token, ..., skipped
    offsets = list(accumulate(map(len, parts)))  # token k spans offsets[2k:2k+2]
    texts = parts[1::2]
    starts = offsets[0:-1:2]
    ends = offsets[1::2]
    keys = list(map(_KEY.__getitem__, texts))
    kinds = list(map(_NON_WORD_KINDS.get, keys, repeat(WORD)))
    # Glued words become two tokens, from the last so that earlier indexes stay valid.
    if GLUED in kinds:
        for k in reversed([k for k, kind in enumerate(kinds) if kind == GLUED]):
            first, rest = texts[k].split(ZWNJ, 1)
            rest_start = starts[k] + len(first) + 1
            texts[k : k + 1] = first, rest
            starts[k : k + 1] = starts[k], rest_start
            ends[k : k + 1] = rest_start - 1, ends[k]
            keys[k : k + 1] = wkey(first), wkey(rest)
            kinds[k : k + 1] = WORD, WORD
    return Tokens(starts, ends, texts, keys, kinds)


# Suffixes written after a ZWNJ: a head with one of them is one word ("سازمان‌ها").
GLUED_SUFFIXES = frozenset(wkey(w) for w in "ها های هایی هایش هایشان ای ی ایی ام ات اش مان تان شان اند ایم".split())


def _is_suffix(rest: str) -> bool:
    """A plural, a clitic or a participle after a ZWNJ ("‌ها"، "‌کنندگان")."""
    return rest in GLUED_SUFFIXES or rest.startswith(("ها", "کنند")) or rest.endswith(("نده", "ندگان", "شده", "کرده"))


@cache
def _split_heads() -> frozenset[str]:
    heads: set[str] = set()
    for line in _lines("organization_heads.txt") + _lines("titles.txt"):
        heads.add(wkey(line.split("\t")[0].split()[0]))
    return frozenset(heads)


# ----------------------------------------------------------------------------- lexicons


class Phrases:
    """Entries of one or more words, matched at a token whatever the spaces or ZWNJ
    between their words ("مدیرکل" = "مدیر کل" = "مدیر‌کل")."""

    def __init__(self, entries: dict[str, Any]):
        self.entries: dict[str, Any] = {}
        self.firsts: set[str] = set()
        self.longest = 1
        for text, value in entries.items():
            words = [wkey(w) for w in text.replace("،", " ").replace(",", " ").split()]
            self.entries.setdefault("".join(words), value)
            self.longest = max(self.longest, len(words))
            for n in range(1, len(words) + 1):
                self.firsts.add("".join(words[:n]))
        # Every beginning of an entry, letter by letter: words joined into none of them
        # start no entry, however many words follow.
        self.beginnings = frozenset(entry[:n] for entry in self.entries for n in range(1, len(entry) + 1))

    def match(self, toks: Tokens, i: int) -> tuple[int, Any] | None:
        """The longest entry starting at token i: (number of tokens, value)."""
        keys, kinds = toks.keys, toks.kinds
        n = len(kinds)
        if i >= n or kinds[i] != WORD or keys[i] not in self.firsts:
            return None
        best = None
        joined = ""
        words = 0
        j = i
        while words < self.longest and j < n:
            kind = kinds[j]
            if kind == PUNCT and toks.texts[j] in "،," and words and j + 1 < n and kinds[j + 1] == WORD:
                j += 1
                continue
            if kind != WORD:
                break
            joined += keys[j]
            if joined not in self.beginnings:
                break
            words += 1
            j += 1
            if joined in self.entries:
                best = (j - i, self.entries[joined])
        return best

    def match_all(self, toks: Tokens, candidates: list[int]) -> list[tuple[int, Any] | None]:
        """match() at every token, tried only at ``candidates``: the other tokens are
        known to start no entry."""
        keys = toks.keys
        matches: list[tuple[int, Any] | None] = [None] * len(keys)
        # Only the candidates whose word starts an entry (picked out in C): at the others
        # match() finds nothing.
        starting = map(self.firsts.__contains__, map(keys.__getitem__, candidates))
        for i in compress(candidates, starting):
            matches[i] = self.match(toks, i)
        return matches

    def __contains__(self, key: str) -> bool:
        return key in self.entries


@dataclass(frozen=True, slots=True)
class TitleHead:
    text: str
    cls: str  # office | role | representative | self | plural
    org: str | None


@dataclass(frozen=True, slots=True)
class OrgHead:
    text: str
    type: str
    cls: str  # strong | place | weak | name


@dataclass(frozen=True, slots=True)
class Place:
    text: str
    kind: str  # province | city
    ambiguous: bool


GEO_OFFICES = frozenset(wkey(w).replace(" ", "") for w in ("استاندار", "فرماندار", "فرماندار ویژه", "بخشدار", "دهیار", "شهردار", "دادستان", "فرمانده انتظامی"))
# Words for a place that a name follows: "استان فارس", "شهرستان دزفول", "روستای پالنگان".
PLACE_MARKERS = frozenset({"استان", "شهرستان", "شهر", "روستا", "روستای", "دهستان"})
COUNTRY = frozenset({"کشور", "ایران"})
# Heads whose body is a place but which, as one word, are also ordinary nouns.
WEAK_NEEDS_PLACE = frozenset({"مرکز", "مدیریت", "اداره"})
# Words before a number that make the number part of a name ("کمیسیون ماده ۵").
NUMBER_LABELS = frozenset({"ماده", "منطقه", "تبصره", "بند", "شماره", "ناحیه", "فاز"})
# A head after these is a count or a generic reference, not a name.
QUANTIFIERS = frozenset(wkey(w) for w in "هر چند یک دو سه چهار پنج شش هفت هشت نه ده کدام همه کلیه تمامی برخی بعضی سایر دیگر چندین".split())
DEMONSTRATIVES = frozenset({"این", "آن", "همین", "همان"})
# A room named after an office: "دفتر مدیرعامل" is no mention of the manager.
ROOMS = frozenset(wkey(w) for w in ("دفتر", "اتاق", "سالن", "ساختمان"))
# Posts that are an office only with the body they serve ("کارشناس اداره کل ...").
MINOR_TITLES = frozenset(wkey(w) for w in ("کارشناس", "متخصص", "کارشناسمسئول"))
# Words that open a subordinate clause: a person after them is not the sentence's subject.
SUBORDINATORS = frozenset({"که", "اینکه", "آنکه", "چنانکه"})
# Marks after which a clause starts.
CLAUSE_COMMAS = frozenset(("،", "؛"))
# Words after which a person is the object, not the subject, of the clause.
NON_SUBJECT_BEFORE = frozenset(
    wkey(w) for w in "از به با برای در تا بر حضور ریاست توسط سوی میان بین نزد همراه دیدار گفت‌وگو را".split()
)
# Parts of a family name written as a word of their own ("زارع مقدم", "انصاری فرد").
SURNAME_PARTS = frozenset(
    wkey(w) for w in "پور زاده نیا فر راد نژاد کیا فرد نسب مقدم اصل تبار منش وند دوست".split()
)
NAME_PREFIXES = frozenset({"سید", "سیده"})
# Adjectives after a head that describe a body rather than name it ("بیمارستان جدید").
DESCRIPTIVE = frozenset(wkey(w) for w in "جدید فعلی مذکور مربوط مربوطه موردنظر قبلی بعدی مزبور یادشده متبوع ذیربط استانی شهرستانی".split())
LIST_MARKS = frozenset("-–—•*▪●)")
NAME_SEPARATORS = frozenset(("،", "-", "–", "—", "(", ":", ","))
QUOTES = frozenset(("«", "»", '"', "'"))


def _persian_names() -> set[str]:
    """Given names of the persian-names package (MIT), read from the installed package."""
    names: set[str] = set()
    try:
        data = resources.files("persian_names") / "data"
        for fname in ("male_fa.txt", "female_fa.txt"):
            names.update(line.strip() for line in (data / fname).read_text(encoding="utf-8").splitlines() if line.strip())
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - the dependency is declared
        pass
    return names


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str]
    stops: frozenset[str]
    titles: Phrases
    orgs: Phrases
    places: Phrases
    honorifics: Phrases
    pronouns: Phrases
    speech: Phrases
    verbs: frozenset[str]
    light_verbs: frozenset[str]
    common: dict[str, int]
    ministries: Phrases
    aliases: dict[str, list[str]]
    number_words: frozenset[str]


@cache
def lexicon() -> Lexicon:
    from .normalize import hazm_words

    given = _persian_names()
    removed = set()
    for line in _lines("given_names.txt"):
        if line.startswith("!"):
            removed.add(line[1:])
        else:
            given.add(line)
    given_keys = frozenset(wkey(g).replace(" ", "") for g in given if g not in removed) - frozenset(wkey(r) for r in removed)

    titles = {}
    for line in _lines("titles.txt"):
        parts = line.split("\t")
        titles[parts[0]] = TitleHead(parts[0], parts[1], parts[2] if len(parts) > 2 and parts[2] else None)
    orgs = {}
    for line in _lines("organization_heads.txt"):
        parts = line.split("\t")
        orgs[parts[0]] = OrgHead(parts[0], parts[1], parts[2])
    places: dict[str, Place] = {}
    ambiguous = {wkey(w) for w in _lines("places_ambiguous.txt")}
    for line in _lines("provinces.tsv"):
        cols = line.split("\t") + ["", "", ""]
        province = cols[0].lstrip("*")
        places[province] = Place(province, "province", cols[0].startswith("*"))
        for variant in filter(None, cols[3].split(",")):
            places[variant.strip()] = Place(province, "province", cols[0].startswith("*"))
        for city in [cols[1], *cols[2].split(",")]:
            city = city.strip()
            if city and city not in places:
                places[city] = Place(city, "city", wkey(city.replace(" ", "")) in ambiguous)
    honorifics = {}
    for line in _lines("honorifics.txt"):
        honorifics[line.lstrip("=")] = not line.startswith("=")
    pronouns = {line: True for line in _lines("pronouns.txt")}
    speech = {line: True for line in _lines("speech_verbs.txt")}
    verbs, light = _verb_forms()
    return Lexicon(
        given=given_keys,
        stops=frozenset(wkey(w).replace(" ", "") for w in _lines("phrase_stops.txt")),
        titles=Phrases(titles),
        orgs=Phrases(orgs),
        places=Phrases(places),
        honorifics=Phrases(honorifics),
        pronouns=Phrases(pronouns),
        speech=Phrases(speech),
        verbs=verbs,
        light_verbs=light,
        common=hazm_words(),
        ministries=Phrases({line: True for line in _lines("ministries.txt")}),
        aliases={
            wkey(cols[0]): [ckey(w) for w in cols[1].replace("،", " ").split()]
            for cols in (line.split("\t") for line in _lines("organization_aliases.tsv"))
        },
        number_words=_number_words(),
    )


@cache
def _looked_up_words() -> frozenset[str]:
    """The words looked for at every token: the first words of the lexicons matched in
    Finder.__init__, and the labels by which the meeting's place and chair are found."""
    lex = lexicon()
    firsts = (phrases.firsts for phrases in (lex.titles, lex.orgs, lex.honorifics, lex.pronouns, lex.speech))
    return frozenset().union(*firsts, PLACE_LABELS, CHAIR_WORDS)


@cache
def _scanned_keys() -> frozenset[str]:
    """What Finder.__init__ finds in one pass over the tokens: the looked-up words and
    the clause commas (a comma's key is its text)."""
    return _looked_up_words() | CLAUSE_COMMAS


def _number_words() -> frozenset[str]:
    """Cardinal number words and scales ("هزار"): a head after them is counted."""
    import json

    data = json.loads(Path(__file__).with_name("number_words.json").read_text(encoding="utf-8"))
    words: set[str] = set()
    for group in data.get("cardinals", {}).values():
        words.update(group)
    words.update(data.get("scales", {}))
    return frozenset(wkey(w) for w in words)


# Verbs that form compound verbs with a noun ("قرار دارد", "ارائه کرد"): the word before
# them is the verb's noun, never the end of a name.
LIGHT_VERBS = {
    "کرد": "کن", "شد": "شو", "داد": "ده", "گرفت": "گیر", "داشت": "دار", "یافت": "یاب",
    "نمود": "نما", "گردید": "گرد", "رسید": "رس", "آورد": "آور", "زد": "زن",
    "کشید": "کش", "گشت": "گرد",
}
# Third-person past forms that are verbs in running text (most bare past stems are also
# nouns: "خرید"، "ساخت"، "برداشت").
BARE_PAST = frozenset({"گفت", "افزود", "کرد", "شد", "داد", "بود", "داشت", "گرفت", "یافت", "نمود", "گردید", "رسید", "خواست", "دانست", "آمد", "رفت", "ماند", "افتاد", "پرداخت"})
COPULAS = frozenset({"است", "هست", "نیست", "بود", "باشد", "هستند", "نیستند", "بودند", "باشند", "اند", "ایم", "اید", "هستیم"})


def _verb_forms() -> tuple[frozenset[str], frozenset[str]]:
    from .normalize import hazm_file

    path = hazm_file("data") / "verbs.dat"
    forms: set[str] = set(COPULAS)
    # Only the endings of news text: the first and second person singular ("-م"، "-ی")
    # would make verbs of names and adjectives ("رستم"، "فرهنگی").
    past_endings = ("یم", "ند")
    present_endings = ("د", "یم", "ند")
    for line in path.read_text(encoding="utf-8").splitlines():
        if "#" not in line:
            continue
        past, present = (wkey(s) for s in line.split("#", 1))
        for negation in ("", "ن"):
            if past:
                forms.update(negation + past + e for e in past_endings)
            if present:
                # After a vowel the third person takes "ید" ("نماید"، "گوید").
                endings = present_endings + (("ید",) if present.endswith(("ا", "و")) else ())
                for prefix in ("", "ب"):
                    if negation and prefix:
                        continue
                    forms.update(negation + prefix + present + e for e in endings)
    forms |= BARE_PAST | {"ن" + p for p in BARE_PAST}
    light: set[str] = set()
    for past, present in LIGHT_VERBS.items():
        for negation in ("", "ن"):
            light.add(negation + past)
            light.update(negation + past + e for e in past_endings)
            light.add(negation + past + "ه")
            light.update(negation + present + e for e in present_endings + (("ید",) if present.endswith(("ا", "و")) else ()))
            light.update("می" + present + e for e in ("م", "ی", "ید", *present_endings))
            light.update("ب" + present + e for e in ("م", "ی", "ید", *present_endings))
            light.update("نمی" + present + e for e in ("م", "ی", "ید", *present_endings))
            light.update("می" + past + e for e in ("", "م", "ی", "ید", *past_endings))
    light.update({"خواهد", "خواهند", "خواهیم", "خواهم"})
    forms |= light
    for past in LIGHT_VERBS:
        forms.add(past + "ه")
    return frozenset(forms), frozenset(light)


# ----------------------------------------------------------------------------- found items


@dataclass(slots=True)
class OrgSpan:
    start: int  # token range
    end: int
    head: OrgHead
    bare: bool  # the head alone, or after "این": refers back to a body named before
    nested: bool = False
    in_title: bool = False


@dataclass(slots=True)
class Component:
    start: int
    end: int
    head: TitleHead
    org: str | None = None  # the body the office belongs to, as written or implied
    explicit: bool = False  # the body is named (not only implied by the office)
    bare_org: str | None = None  # a body named by its head alone ("رئیس شورا")


@dataclass(slots=True)
class Title:
    start: int
    end: int
    components: list[Component]


@dataclass(slots=True)
class NameHit:
    start: int  # first token, honorifics included
    name_start: int  # first token of the name (after honorifics)
    end: int
    surname_start: int
    honorifics: list[str]
    full: bool  # a given name and a surname; otherwise a surname after an honorific


@dataclass(eq=False)
class Entity:
    n: int
    name: str | None = None  # normalized text of the fullest name
    name_key: str | None = None
    surname_key: str | None = None
    honorifics: list[str] = field(default_factory=list)
    titles: list[tuple[str, list]] = field(default_factory=list)  # (text, components)
    mentions: list["Mention"] = field(default_factory=list)
    merged: "Entity | None" = None
    last_unit: int = -1

    def root(self) -> "Entity":
        entity = self
        while entity.merged is not None:
            entity = entity.merged
        return entity


@dataclass(slots=True, eq=False)
class Mention:
    start: int  # characters of the normalized text
    end: int
    kind: str
    unit: int
    tok: int
    entity: Entity | None = None
    subject: bool = True
    title: Title | None = None
    surname: str | None = None  # the key of the family name, for a mention by surname


@dataclass
class Analysis:
    officials: list[dict]
    organizations: list[dict]
    meeting: dict
    speakers: dict[int, str | None]  # sentence start char -> official id
    official_spans: list[tuple[int, int, str]]
    organization_spans: list[tuple[int, int, str]]


# ----------------------------------------------------------------------------- the finder


class Finder:
    """Finds bodies, offices and persons in one normalized text."""

    MAX_NAME_WORDS = 14

    def __init__(self, text: str, units: list[tuple[int, int, str | None]]):
        self.text = text
        self.lex = lexicon()
        self.toks = tokenize(text)
        self.starts, self.ends, self.texts, self.keys, self.kinds = self.toks
        self.n = len(self.keys)
        # Units: (first token, end token, sentence id) for headline lines and body sentences.
        starts = self.starts
        self.units: list[tuple[int, int, str | None]] = []
        for start_char, end_char, sid in units:
            a = bisect_right(starts, start_char - 1)
            b = bisect_right(starts, end_char - 1)
            if b > a:
                self.units.append((a, b, sid))
        self.unit_of = [0] * self.n
        for u, (a, b, _) in enumerate(self.units):
            self.unit_of[a:b] = [u] * (b - a)
        # The words looked for at every token, about one in ten; the offices, bodies,
        # honorifics, pronouns and speech verbs that start at each token are found once
        # for the text. The same pass finds the clause commas (see _clause_starts).
        scanned = _scanned_keys()
        kinds, texts = self.kinds, self.texts
        found = list(compress(range(self.n), map(scanned.__contains__, self.keys)))
        self.looked_up = [i for i in found if kinds[i] == WORD]
        self.clause_commas = [i for i in found if texts[i] in CLAUSE_COMMAS]
        self._titles = self.lex.titles.match_all(self.toks, self.looked_up)
        self._orgs = self.lex.orgs.match_all(self.toks, self.looked_up)
        self._honorifics = self.lex.honorifics.match_all(self.toks, self.looked_up)
        self.pronouns = self.lex.pronouns.match_all(self.toks, self.looked_up)
        speech = self.lex.speech.match_all(self.toks, self.looked_up)
        # Where a speech verb starts, in text order: a sentence asks whether it holds one.
        self.speech_starts = [i for i in self.looked_up if speech[i]]
        self._namelike_cache: dict[int, bool] = {}
        self._name_cache: dict[int, NameHit | None] = {}
        self._place_cache: dict[int, int] = {}

    # -- word classes -------------------------------------------------------------

    def positions(self, keys: frozenset[str]) -> list[int]:
        """The words with one of these keys (words of _looked_up_words()), in text order."""
        return [i for i in self.looked_up if self.keys[i] in keys]

    def word(self, i: int) -> bool:
        return 0 <= i < self.n and self.kinds[i] == WORD

    def key(self, i: int) -> str:
        return self.keys[i] if 0 <= i < self.n else ""

    # Outside the text the look-ups answer as Phrases.match does.

    def title_at(self, i: int):
        return self._titles[i] if 0 <= i < self.n else self.lex.titles.match(self.toks, i)

    def org_at(self, i: int):
        return self._orgs[i] if 0 <= i < self.n else self.lex.orgs.match(self.toks, i)

    def is_verb(self, i: int) -> bool:
        if not self.word(i):
            return False
        key = self.keys[i]
        text = self.texts[i]
        if text.startswith(("می" + ZWNJ, "نمی" + ZWNJ)):
            return True
        if key in self.lex.verbs and (self.org_at(i) or self.title_at(i)):
            return False  # "ستاد" is no verb here
        if ZWNJ in text and wkey(text.rsplit(ZWNJ, 1)[1]) in self.lex.light_verbs:
            return True  # "پرداخت‌شده"، "ایجادشده"
        return key in self.lex.verbs

    def is_light(self, i: int) -> bool:
        return self.word(i) and self.keys[i] in self.lex.light_verbs

    def is_preverb(self, i: int) -> bool:
        """The noun of a compound verb: a word before a light verb ("قرار دارد")."""
        if not self.is_light(i + 1):
            return False
        # "خواستار ... شد": the light verb belongs to "خواستار", far before.
        if self.key(i + 1) in ("شد", "شدند") and any(self.key(k) == "خواستار" for k in range(max(0, i - 30), i)):
            return False
        return True

    def is_given(self, i: int) -> bool:
        return 0 <= i < self.n and self.kinds[i] == WORD and _GIVEN_WORDS[self.texts[i]]  # word(i), inlined

    def stop(self, i: int) -> bool:
        return self.word(i) and self.keys[i] in self.lex.stops

    def honorific_at(self, i: int):
        return self._honorifics[i] if 0 <= i < self.n else self.lex.honorifics.match(self.toks, i)

    def pronoun_at(self, i: int):
        return self.pronouns[i] if 0 <= i < self.n else self.lex.pronouns.match(self.toks, i)

    def namelike(self, i: int) -> bool:
        """A word that may be part of a person's name."""
        cached = self._namelike_cache.get(i)
        if cached is None:
            cached = self._namelike_cache[i] = self._namelike(i)
        return cached

    def _namelike(self, i: int) -> bool:
        if not self.word(i):
            return False
        key = self.keys[i]
        if len(key) < 2 or key in self.lex.stops or key in PLACE_MARKERS or key in COUNTRY or key.endswith("ترین"):
            return False
        if self.place(i, after_marker=True):
            return False
        if self.is_verb(i) or self.title_at(i) or self.org_at(i) or self.honorific_at(i):
            return False
        if self.pronoun_at(i):
            return False
        return True

    # -- places -----------------------------------------------------------------

    def place(self, i: int, after_marker: bool = False) -> int:
        """Tokens of a known place name at i (0 if none)."""
        key = self.key(i)
        places = self.lex.places
        # Phrases.match finds nothing at a word that starts no entry (most words), nor past
        # the end (key(i) is "" there): it is not called then. No caller passes i < 0.
        match = places.match(self.toks, i) if key in places.firsts else None
        if match:
            n, place = match
            if place.ambiguous and not after_marker:
                return 0
            return n
        if key in COUNTRY:
            return 1
        if key == "جمهوری" and self.key(i + 1) == "اسلامی" and self.key(i + 2) == "ایران":
            return 3
        return 0

    def location(self, i: int) -> int:
        """Tokens of a place that ends a name: "استان X", "شهرستان X", "شهر X", a known
        province or city, "کشور"; a place may be followed by a larger one ("بخش مرکزی
        شهرستان کامیاران"), at most three levels."""
        cached = self._place_cache.get(i)
        if cached is not None:
            return cached
        total = 0
        k = i
        for _ in range(3):
            n = self._one_place(k)
            if not n:
                break
            total += n
            bare_province_word = self.key(k) == "استان" and n == 1
            k += n
            if bare_province_word or self.key(k) not in ("استان", "شهرستان"):
                break
        self._place_cache[i] = total
        return total

    def _one_place(self, i: int) -> int:
        key = self.key(i)
        if not self.word(i):
            return 0
        if key == "استان":
            return 1 + self.place(i + 1, after_marker=True)
        if key in PLACE_MARKERS:
            return 1 + (self.place(i + 1, after_marker=True) or (1 if self.unknown_place(i + 1) else 0))
        return self.place(i)

    def unknown_name(self, i: int) -> bool:
        """A word that no lexicon knows: likely a proper name (a village, a family)."""
        if not self.namelike(i):
            return False
        return self.frequency(i) < 1000 and not self.is_given(i)

    def unknown_place(self, i: int) -> bool:
        """An unknown word after "شهر", "روستای": a place, unless it is a common word
        with an ending ("گامی" = "گام" + "ی")."""
        if not self.unknown_name(i):
            return False
        key = self.keys[i]
        return not (key.endswith("ی") and self.lex.common.get(key[:-1], 0) >= 1000)

    def frequency(self, i: int) -> int:
        common = self.lex.common
        text = self.texts[i]
        return max(common.get(text, 0), common.get(self.keys[i], 0), common.get(text.replace(ZWNJ, ""), 0))

    # -- extent of names of bodies and offices ------------------------------------

    def starts_new_unit(self, i: int) -> bool:
        """After "و": does a new body, office or person start here?"""
        if not self.word(i):
            return True
        org = self.org_at(i)
        if org and org[1].cls in ("strong", "place", "name"):
            return True
        if self.title_at(i) or self.honorific_at(i) or self.stop(i) or self.is_verb(i):
            return True
        if self.person_starts(i):
            return True
        return False

    def person_starts(self, i: int) -> bool:
        if not (self.is_given(i) or self.key(i) in NAME_PREFIXES):
            return False
        hit = self.parse_name(i)
        if hit is None or not hit.full:
            return False
        after = hit.end
        return (
            after >= self.n
            or not self.word(after)
            or bool(self.title_at(after))
            or self.stop(after)
            or self.is_verb(after)
        )

    def comma_continues(self, j: int) -> bool:
        """Whether a comma inside a name is a list of its parts: "، X، Y و Z"."""
        k = j + 1
        items = 0
        while k < self.n and items < 6:
            length = 0
            while k < self.n and self.word(k) and self.key(k) != "و" and length < 4:
                if self.stop(k) or self.is_verb(k) or self.starts_new_unit(k) or self.location(k) or self.key(k) in PEOPLE_PLURALS:
                    return False
                length += 1
                k += 1
            if length == 0 or length > 3:
                return False
            items += 1
            if k >= self.n:
                return False
            if self.key(k) == "و":
                return self.word(k + 1) and not self.starts_new_unit(k + 1) and self.key(k + 1) not in PEOPLE_PLURALS
            if self.texts[k] in "،,":
                k += 1
                continue
            return False
        return False

    def ends_phrase(self, i: int) -> bool:
        if self.stop(i) or self.is_verb(i) or self.is_preverb(i) or self.honorific_at(i):
            return True
        if self.pronoun_at(i):
            return True
        return False

    def extend(self, j: int, mode: str) -> tuple[int, bool]:
        """From token j, the end of the words that go on a body's or an office's name.
        Returns (end, whether it ended at a place)."""
        start = j
        words = 0
        while j < self.n and words < self.MAX_NAME_WORDS:
            kind = self.kinds[j]
            if kind == PUNCT:
                if self.texts[j] in "،," and self.comma_continues(j):
                    j += 1
                    continue
                break
            if kind == NUMBER:
                if j > start and self.key(j - 1) in NUMBER_LABELS:
                    # "کمیسیون ماده ۵ [استان گیلان]": after the number only a place.
                    return j + 1 + self.location(j + 1), bool(self.location(j + 1))
                break
            if kind != WORD:
                break
            if self.keys[j] == "و":
                if words == 0 or self.starts_new_unit(j + 1) or self.location(j + 1) or self.key(j + 1) in PEOPLE_PLURALS and mode == "title":
                    break
                j += 1
                continue
            loc = self.location(j)
            if loc:
                return j + loc, True
            if self.ends_phrase(j):
                break
            if self.person_starts(j):
                break
            title = self.title_at(j)
            if title:
                n, head = title
                if head.cls == "office":
                    j += n
                    words += n
                    if _HEAD_KEY[head.text] in GEO_OFFICES:
                        place = self.office_place(j)
                        if place:
                            return j + place, True
                        return j, False
                    continue
                if head.cls != "plural":
                    break
            org = self.org_at(j)
            if org and org[1].cls == "name" and words:
                # A body with a fixed name ends the name it stands in: "... مجلس شورای اسلامی".
                end = j + org[0]
                place = self.location(end)
                return end + place, bool(place)
            if org and org[1].cls == "place":
                n = org[0]
                place = self.office_place(j + n)
                if place:
                    return j + n + place, True
                j += n
                words += n
                continue
            j += 1
            words += 1
        while j > start and (self.key(j - 1) == "و" or self.texts[j - 1] in "،,"):
            j -= 1
        return j, False

    def office_place(self, i: int) -> int:
        """The place after "استاندار", "شهرداری": a known place, "استان X" or an unknown word."""
        if not self.word(i) or self.is_preverb(i):
            return 0
        loc = self.location(i)
        if loc:
            return loc
        if self.place(i, after_marker=True):
            n = self.place(i, after_marker=True)
        elif self.unknown_place(i) or (self.namelike(i) and self.key(i) in ("مرکزی",)):
            n = 1
        else:
            return 0
        if self.key(i + n) in ("استان", "شهرستان"):
            n += self.location(i + n)
        return n

    # -- bodies -----------------------------------------------------------------

    def counted(self, i: int) -> bool:
        """A head after a number, a number word or a quantifier: a count, not a name."""
        if i <= 0:
            return False
        prev = self.keys[i - 1]
        return self.kinds[i - 1] == NUMBER or prev in QUANTIFIERS or prev in self.lex.number_words

    def find_orgs(self) -> list[OrgSpan]:
        spans: list[OrgSpan] = []
        for i in self.looked_up:  # no body starts at the other tokens
            match = self._orgs[i]
            if not match:
                continue
            n, head = match
            head_key = _HEAD_KEY[head.text]
            if self.is_preverb(i + n - 1) or self.is_light(i + n):
                continue  # "در جلسه شرکت کرد"
            if self.counted(i):
                continue
            if spans and spans[-1].start < i < spans[-1].end and spans[-1].head.cls == "name":
                continue
            if head.cls == "name" or (n > 1 and head.type == "cabinet"):
                end = i + n
                end += self.location(end)
                spans.append(OrgSpan(i, end, head, False))
                continue
            if self.key(i - 1) in DEMONSTRATIVES:
                spans.append(OrgSpan(i, i + n, head, True))
                continue
            if head.cls == "place":
                place = self.office_place(i + n)
                spans.append(OrgSpan(i, i + n + place, head, place == 0))
                continue
            if head_key == "وزارت":
                ministry = self.lex.ministries.match(self.toks, i + n)
                if ministry:
                    spans.append(OrgSpan(i, i + n + ministry[0], head, False))
                    continue
            nxt = self.org_at(i + n)
            if head_key == wkey("روابطعمومی") and not (nxt and nxt[1].cls != "weak"):
                continue  # "روابط عمومی" is a body only as that of a named body
            if head_key in ("ستاد", "دفتر") and (
                self.title_at(i + n) or (nxt and (nxt[1].cls != "weak" or head_key == "دفتر"))
            ):
                continue  # "ستاد وزارت نیرو", "دفتر مدیرعامل": a building or a room
            if self.key(i + n) in DESCRIPTIVE or (head_key.startswith("هیات") and self.key(i + n) == "علمی"):
                spans.append(OrgSpan(i, i + n, head, True))
                continue
            end, at_place = self.extend(i + n, "org")
            extra = end - (i + n)
            if head.cls == "weak":
                if extra == 0 or self.title_at(i + n):
                    continue
                if head_key in WEAK_NEEDS_PLACE:
                    content = extra - self.location_tail(i + n, end)
                    if not at_place or content < (2 if head_key == "مدیریت" else 1):
                        continue
            spans.append(OrgSpan(i, end, head, end == i + n))
        self._back_references(spans)
        # Nested: inside another body's name.
        outer_end = -1
        outer_start = -1
        for span in spans:
            if outer_start < span.start and span.end <= outer_end:
                span.nested = True
            elif span.end > outer_end:
                outer_start, outer_end = span.start, span.end
        return spans

    def _back_references(self, spans: list[OrgSpan]) -> None:
        """A head followed by ordinary words, in a text that names a body with that head
        and a place, refers back to that body: "دانشگاه مجوز جذب ..." after "دانشگاه اصفهان"."""
        placed: dict[str, set[tuple[str, ...]]] = {}  # distinct names only: linear on repeats
        for span in spans:
            if not span.bare and self.location_tail(span.start, span.end):
                words = tuple(ckey(self.texts[k]) for k in range(span.start, span.end))
                placed.setdefault(_HEAD_CKEY[span.head.text], set()).add(words)
        for span in spans:
            if span.bare or span.head.cls in ("name", "place"):
                continue
            key = _HEAD_CKEY[span.head.text]
            if key not in placed or self.location_tail(span.start, span.end):
                continue
            n = self.org_at(span.start)[0]
            words = [k for k in range(span.start + n, span.end) if self.word(k)]
            if len(words) >= 2 and all(self.frequency(k) > 50000 and not self.org_at(k) for k in words):
                own = [ckey(self.texts[k]) for k in words]
                if not any(_is_subsequence(own, list(other)) for other in list(placed[key])[:50]):
                    span.end = span.start + n
                    span.bare = True
        # A name that goes on with ordinary words where another mention of the same body
        # stops: "کمیته امداد آمادگی ایجاد ..." beside "کمیته امداد امام خمینی".
        by_head: dict[str, list[OrgSpan]] = {}
        for span in spans:
            if not span.bare and span.head.cls not in ("name", "place"):
                by_head.setdefault(_HEAD_CKEY[span.head.text], []).append(span)
        for group in by_head.values():
            if len(group) < 2 or len(group) > 50:
                continue
            for span in group:
                # Only a name followed by "را": the subject, then the object of the verb.
                if self.location_tail(span.start, span.end) or self.key(span.end) != "را":
                    continue
                mine = [k for k in range(span.start, span.end) if self.word(k)]
                for other in group:
                    if other is span:
                        continue
                    theirs = [ckey(self.texts[k]) for k in range(other.start, other.end) if self.word(k)]
                    p = 0
                    while p < min(len(mine), len(theirs)) and ckey(self.texts[mine[p]]) == theirs[p]:
                        p += 1
                    head_words = len(span.head.text.split())
                    if head_words < p < len(mine) and all(self.frequency(k) > 50000 for k in mine[p:]):
                        span.end = mine[p - 1] + 1
                        break

    def location_tail(self, start: int, end: int) -> int:
        """How many of the last tokens of [start, end) are the closing place."""
        for k in range(start, end):
            loc = self.location(k)
            if loc and k + loc == end:
                return end - k
        return 0

    # -- offices ----------------------------------------------------------------

    def find_titles(self, orgs: list[OrgSpan]) -> list[Title]:
        org_at = {span.start: span for span in orgs}
        titles: list[Title] = []
        title_starting = self._titles  # title_at() without a method call at every token
        resume = 0  # the end of the last office found
        for i in self.looked_up:  # no office starts at the other tokens
            match = title_starting[i]
            if i < resume or not match or match[1].cls == "plural":
                continue
            prev = self.key(i - 1)
            if i > 0 and (self.kinds[i - 1] == NUMBER or prev in QUANTIFIERS or prev in ROOMS):
                continue  # "۴۵ عضو"، "دفتر مدیرعامل"
            if self.is_light(i + match[0]):
                continue
            components = []
            j = i
            while True:
                component = self.parse_component(j, org_at)
                components.append(component)
                j = component.end
                if self.key(j) == "و" and self.title_at(j + 1) and self.title_at(j + 1)[1].cls != "plural":
                    j += 1
                    continue
                break
            title = Title(i, components[-1].end, components)
            if all(_HEAD_KEY[c.head.text] in MINOR_TITLES and not (c.org or c.bare_org) for c in components):
                continue  # "کارشناس اقتصادی": a trade, not an office
            titles.append(title)
            resume = components[-1].end
        return titles

    def parse_component(self, j: int, org_at: dict[int, OrgSpan]) -> Component:
        n, head = self.title_at(j)
        k = j + n
        component = Component(j, k, head)
        head_key = _HEAD_KEY[head.text]
        if head.cls == "office":
            if head_key in GEO_OFFICES:
                place = self.office_place(k)
                component.end = k + place
                if head.org:
                    component.org = head.org + (" " + self.span_text(k, k + place) if place else "")
                    component.explicit = bool(place)
                return component
            ministry = self.lex.ministries.match(self.toks, k) if head_key == "وزیر" else None
            end = k + ministry[0] if ministry else self.extend(k, "title")[0]
            component.end = end
            if head.org:
                component.org = head.org + (" " + self.span_text(k, end) if end > k else "")
                component.explicit = end > k
            return component
        if head.cls == "representative":
            # "نماینده مردم کرمان و راور در مجلس شورای اسلامی"
            end = k

            def constituency(i: int) -> int:
                if not self.word(i) or self.person_starts(i):
                    return 0
                return self.location(i) or self.place(i, True) or (1 if self.unknown_place(i) else 0)

            while end - k < 8:
                size = constituency(end)
                if not size:
                    break
                end += size
                if (self.key(end) == "و" or (end < self.n and self.texts[end] == "،")) and constituency(end + 1):
                    end += 1
            if self.key(end) == "در" and self.key(end + 1) == "مجلس":
                org = org_at.get(end + 1)
                stop = org.end if org else end + 2
                component.org = self.span_text(end + 1, stop)
                if self.key(end + 1) == "مجلس" and stop == end + 2:
                    component.bare_org = "مجلس"
                component.explicit = True
                end = stop
            component.end = end
            return component
        if head.cls == "self":
            end = k
            if self.key(end) == "در" and self.location(end + 1):
                end = end + 1 + self.location(end + 1)
            elif self.location(end) or self.place(end, True):
                end += self.location(end) or self.place(end, True)
            component.end = end
            return component
        end, _ = self.extend(k, "title")
        component.end = end
        # The body: the first body named in the office, or the office it serves.
        m = k
        while m < end:
            span = org_at.get(m)
            if span is not None and span.end <= end + 1:
                if not span.bare:
                    component.org = self.span_text(span.start, min(span.end, end))
                    component.explicit = True
                    return component
                if component.bare_org is None:
                    component.bare_org = self.span_text(span.start, span.end)
            title = self.title_at(m)
            if title and title[1].cls == "office" and m > k:
                sub = self.parse_component(m, org_at)
                if sub.org:
                    component.org = sub.org
                    component.explicit = sub.explicit
                    return component
                m = max(m + 1, sub.end)
                continue
            m += 1
        if component.bare_org is None and head.org and end > k:
            content = end - k
            at_place = self.location_tail(k, end)
            if head.org == "اداره کل" or (at_place and content - at_place >= 1):
                component.org = head.org + " " + self.span_text(k, end)
                component.explicit = True
        return component

    def span_text(self, a: int, b: int) -> str:
        if b <= a:
            return ""
        return self.text[self.starts[a] : self.ends[b - 1]]

    # -- persons ----------------------------------------------------------------

    def parse_name(self, i: int) -> NameHit | None:
        """A person's name at token i: honorifics, "سید", one or two given names and a
        family name (with its second part: "زارع مقدم")."""
        if i not in self._name_cache:
            self._name_cache[i] = self._parse_name(i)
        hit = self._name_cache[i]
        if hit is None:
            return None
        return NameHit(hit.start, hit.name_start, hit.end, hit.surname_start, list(hit.honorifics), hit.full)

    def may_start_name(self, i: int) -> bool:
        """Whether a name may start at word i: parse_name(i) finds none unless an honorific,
        "سید" or a given name stands there (most words, at once)."""
        return bool(self._honorifics[i]) or self.keys[i] in NAME_PREFIXES or _GIVEN_WORDS[self.texts[i]]

    def _parse_name(self, i: int, allow_surname_only: bool = True) -> NameHit | None:
        honorifics: list[str] = []
        k = i
        while True:
            match = self.honorific_at(k)
            if not match:
                break
            n, real = match
            if real:
                honorifics.append(self.span_text(k, k + n))
            k += n
        name_start = k
        if self.key(k) in NAME_PREFIXES and self.word(k + 1):
            k += 1
        given = 0
        while given < 2 and self.is_given(k) and not self.title_at(k):
            k += 1
            given += 1
        if given and self.namelike(k) and not (given == 2 and not self.namelike(k)):
            surname_start = k
            k += 1
        elif given == 2:
            surname_start = k - 1
        elif given == 0 and (honorifics or name_start > i) and allow_surname_only and self.namelike(k):
            surname_start = k
            k += 1
            if self.word(k) and self.key(k) in SURNAME_PARTS:
                k += 1
            return NameHit(i, name_start, k, surname_start, honorifics, False)
        else:
            return None
        if self.word(k) and self.key(k) in SURNAME_PARTS:
            k += 1
        return NameHit(i, name_start, k, surname_start, honorifics, True)

    def weak_name(self, a: int, b: int) -> NameHit | None:
        """Two or three words no lexicon knows as a name, beside an office."""
        if not 2 <= b - a <= 3:
            return None
        if not all(self.namelike(k) for k in range(a, b)):
            return None
        if any(self.texts[k].endswith((ZWNJ + "ها", ZWNJ + "های")) for k in range(a, b)):
            return None  # a plural is no name
        first = a + 1 if self.key(a) in NAME_PREFIXES else a
        # Family names are rare words; a phrase of common words is no name.
        if not self.unknown_name(first) or any(self.frequency(k) > 200000 for k in range(a, b)):
            return None
        return NameHit(a, a, b, b - 1, [], True)

    def name_before(self, t: int, taken: set[int]) -> NameHit | None:
        k = t - 1
        if k >= 0 and self.texts[k] in NAME_SEPARATORS:
            k -= 1
        if k >= 0 and self.texts[k] in QUOTES:
            k -= 1
        end = k + 1
        run_start = end
        while run_start - 1 >= 0 and end - run_start < 6:
            p = run_start - 1
            if self.namelike(p) or self.key(p) in NAME_PREFIXES or self.is_given(p):
                run_start = p
                continue
            if self.honorific_at(p) and self.honorific_at(p)[0] + p <= end:
                run_start = p
                continue
            # A two-word honorific ("حجت‌الاسلام والمسلمین").
            if p - 1 >= 0 and self.honorific_at(p - 1) and self.honorific_at(p - 1)[0] == 2:
                run_start = p - 1
                continue
            break
        if end - run_start < 1:
            return None
        for s in range(run_start, end):
            if s in taken:
                continue
            hit = self.parse_name(s)
            if hit and hit.end == end and (hit.full or hit.honorifics):
                return hit
            # A family name of two words ("اخلاقی امیری"، "تشکری هاشمی").
            if hit and hit.full and hit.end == end - 1 and self.namelike(end - 1) and not self.is_given(end - 1):
                hit.end = end
                return hit
        # No known given name: two or three unknown words right after a line start,
        # a list mark or a comma.
        for s in range(max(run_start, end - 3), end - 1):
            prev = s - 1
            if prev >= 0 and self.kinds[prev] not in (NEWLINE, PUNCT, NUMBER):
                continue
            hit = self.weak_name(s, end)
            if hit:
                return hit
        return None

    def name_after(self, t: int) -> NameHit | None:
        k = t
        if k < self.n and self.texts[k] in NAME_SEPARATORS:
            k += 1
        if k < self.n and self.texts[k] in QUOTES:
            k += 1
        hit = self.parse_name(k)
        if hit and (hit.full or hit.honorifics):
            return hit
        # Two unknown words and then the end of the phrase.
        for length in (2, 3):
            e = k + length
            if e <= self.n and (e == self.n or not self.namelike(e)) and self.unknown_name(k):
                weak = self.weak_name(k, e)
                if weak:
                    return weak
        return None

    def name_text(self, hit: NameHit) -> str:
        return self.span_text(hit.name_start, hit.end)


def _is_given_word(text: str) -> bool:
    """A word that is a given name: known, ending in "الله", or glued to "سید" or to
    another given name."""
    given = lexicon().given
    key = wkey(text)
    if key in given:
        return True
    if len(key) >= 5 and (key.endswith("الله") or text.endswith(ZWNJ + "اله")):
        return True  # "روح‌الله"، "هدایت‌اله"
    if key.startswith(("سید", "میر")) and key[3:] in given and len(key) > 5:
        return True  # "سیدجعفر"
    return _compound_given(key, given)


def _compound_given(key: str, given: frozenset[str]) -> bool:
    """Two given names written as one ("محمدعلی"، "علی‌رضا")، or "عبد" + ال + name."""
    if not 5 <= len(key) <= 16:
        return False
    for cut in range(2, len(key) - 1):
        if key[:cut] in given and key[cut:] in given and key[:cut] in COMPOUND_FIRSTS | given and len(key[cut:]) >= 2:
            if key[:cut] in COMPOUND_FIRSTS or key[cut:] in COMPOUND_SECONDS:
                return True
    return False


# Given names are asked of the same words again and again.
_GIVEN_WORDS = Memo(_is_given_word)

COMPOUND_FIRSTS = frozenset(wkey(w) for w in "محمد علی امیر حمید غلام میر حسین حسن رضا مهدی جواد اکبر اصغر ابو عبد عبدال".split())
COMPOUND_SECONDS = frozenset(wkey(w) for w in "رضا علی حسین حسن محمد مهدی جواد صادق باقر تقی کاظم جعفر اکبر اصغر عباس هادی امین یوسف ابراهیم اسماعیل ناصر رحیم کریم سعید مجید".split())
PEOPLE_PLURALS = frozenset(
    wkey(w)
    for w in "معاونان معاونین مدیران نمایندگان اعضا اعضای مسئولان مسئولین کارشناسان فرمانداران شهرداران استانداران روسای رؤسای مدیرکل‌ها مردم".split()
)


# ----------------------------------------------------------------------------- analysis


def analyze(doc: Doc) -> Analysis:
    """Find everything in one Doc (normalized text, paragraphs and sentences)."""
    text = segment.doc_text(doc)
    units: list[tuple[int, int, str | None]] = []
    headline = segment.doc_value(doc, "headline")
    if headline is not None:
        for paragraph in segment.doc_value(doc, "paragraphs") or []:
            if paragraph.end <= headline.end:
                units.append((paragraph.start_char, paragraph.end_char, None))
    # The ids of the body sentences, read once: sentence_id() reads them again for each.
    ids = segment.doc_value(doc, "sentence_ids") or {}
    for sentence in segment.body_sentences(doc):
        sid = ids[sentence.start] if sentence.start in ids else segment.sentence_id(sentence)
        units.append((sentence.start_char, sentence.end_char, sid))
    return _Analyzer(text, units, doc).run()


_TOKEN_OF = attrgetter("tok")  # the sort key of mentions


class _Analyzer:
    def __init__(self, text: str, units, doc: Doc | None = None):
        self.f = Finder(text, units)
        self.doc = doc
        # The Doc's normalization record, read once for every span grounded.
        self._grounder = segment.grounder(doc) if doc is not None else None
        self.text = text
        self._component_keys: dict[tuple[int, int], tuple[str, list[str]]] = {}

    # -- step by step ---------------------------------------------------------------

    def run(self) -> Analysis:
        f = self.f
        self.orgs = f.find_orgs()
        self.titles = f.find_titles(self.orgs)
        title_tokens = set()
        for title in self.titles:
            title_tokens.update(range(title.start, title.end))
        for span in self.orgs:
            if span.start in title_tokens:
                span.in_title = True
        self.title_tokens = title_tokens
        self.entities: list[Entity] = []
        self.by_name: dict[str, Entity] = {}
        self.by_tokens: dict[tuple[int, int], Entity] = {}
        self.name_hits: list[tuple[NameHit, Title | None]] = []
        self._pair_names_and_titles()
        self._standalone_names()
        self.meeting_span = self._meeting_span()
        self._discourse()
        return self._export()

    def _entity_for(self, hit: NameHit) -> Entity:
        f = self.f
        # A name is asked for again in discourse: its entity, found by its tokens.
        entity = self.by_tokens.get((hit.name_start, hit.end))
        if entity is None:
            name = f.name_text(hit)
            key = " ".join(wkey(w) for w in name.replace(ZWNJ, " ").split())
            entity = self.by_name.get(key)
            if entity is None:
                entity = Entity(len(self.entities), name=name, name_key=key)
                entity.surname_key = "".join(f.keys[k] for k in range(hit.surname_start, hit.end))
                self.entities.append(entity)
                self.by_name[key] = entity
            self.by_tokens[hit.name_start, hit.end] = entity
        for honorific in hit.honorifics:
            if honorific not in entity.honorifics:
                entity.honorifics.append(honorific)
        return entity

    def _pair_names_and_titles(self) -> None:
        f = self.f
        taken: set[int] = set()
        used_titles: set[int] = set()
        for index, title in enumerate(self.titles):
            before = f.name_before(title.start, taken)
            if before is not None and not taken.intersection(range(before.start, before.end)):
                hit = before
            else:
                after = f.name_after(title.end)
                if after is not None and not taken.intersection(range(after.start, after.end)):
                    # A name after an office that the next office claims as its name before it.
                    hit = after
                else:
                    continue
            if not hit.full:
                # A surname after an honorific beside an office: resolved in discourse.
                self.name_hits.append((hit, title))
                taken.update(range(hit.start, hit.end))
                used_titles.add(index)
                continue
            taken.update(range(hit.start, hit.end))
            used_titles.add(index)
            entity = self._entity_for(hit)
            entity.titles.append((self._title_text(title), title.components))
            self.name_hits.append((hit, title))
        self.taken = taken
        self.used_titles = used_titles

    def _title_text(self, title: Title) -> str:
        return self.f.span_text(title.start, title.end)

    def _clause_starts(self) -> set[int]:
        f = self.f
        kinds, texts = f.kinds, f.texts
        starts = set()
        units, unit_of = f.units, f.unit_of
        for a, b, _ in units:
            k = a
            while k < b and (kinds[k] == NUMBER or texts[k] in LIST_MARKS or texts[k] in ".)"):
                k += 1
            starts.add(k)
        # The commas inside a unit, found once (a scan of every unit's tokens costs more). A
        # token is inside the unit unit_of names, if inside any: else unit_of says 0.
        for j in f.clause_commas if units else ():
            a, b, _ = units[unit_of[j]]
            if a <= j < b:
                starts.add(j + 1)
        return starts

    def _standalone_names(self) -> None:
        f = self.f
        starts = self._clause_starts()
        occupied = set(self.taken) | self.title_tokens
        for span in self.orgs:
            occupied.update(range(span.start, span.end))
        kinds = f.kinds
        # A name is looked for only at a clause start or an honorific: visit those alone.
        honorifics = [i for i in f.looked_up if f._honorifics[i]]
        candidates = sorted({i for i in starts if i < f.n}.union(honorifics))
        resume = 0  # the end of the last name found
        for i in candidates:
            if i < resume or i in occupied or kinds[i] != WORD or not f.may_start_name(i):
                continue
            hit = f.parse_name(i)
            # Without an office beside it, a family name that is a common word
            # ("نمونه") makes no name.
            if hit and hit.full and not hit.honorifics and f.frequency(hit.surname_start) > 2500000:
                hit = None
            if hit and not occupied.intersection(range(hit.start, hit.end)) and (hit.full or hit.honorifics):
                if hit.full and f.unit_of[i] == f.unit_of[hit.end - 1]:
                    self._entity_for(hit)
                self.name_hits.append((hit, None))
                occupied.update(range(hit.start, hit.end))
                resume = hit.end
        self.taken = occupied - self.title_tokens

    # -- discourse ---------------------------------------------------------------

    def _discourse(self) -> None:
        f = self.f
        by_unit: dict[int, list[Mention]] = {}
        used_titles = {id(title) for hit, title in self.name_hits if title is not None}
        occupied = set()
        for hit, title in self.name_hits:
            occupied.update(range(hit.start, hit.end))
        # Surnames of the persons found, for mentions by surname alone.
        surnames: dict[str, list[Entity]] = {}
        for entity in self.entities:
            if entity.surname_key:
                surnames.setdefault(entity.surname_key, []).append(entity)
        self.mentions: list[Mention] = []
        starts, ends, keys, kinds = f.starts, f.ends, f.keys, f.kinds

        def add(mention: Mention) -> None:
            by_unit.setdefault(mention.unit, []).append(mention)
            self.mentions.append(mention)

        for hit, title in self.name_hits:
            start_tok = hit.start if title is None else min(hit.start, title.start)
            end_tok = hit.end if title is None else max(hit.end, title.end)
            unit = f.unit_of[start_tok]
            if hit.full:
                entity = self._entity_for(hit)
                kind = "title_and_name" if title is not None else "full_name"
                a, b = (hit.name_start, hit.end) if title is None else (start_tok, end_tok)
                add(Mention(starts[a], ends[b - 1], kind, unit, a, entity, title=title))
            else:
                key = "".join(keys[hit.surname_start : hit.end])
                a, b = (hit.surname_start, hit.end) if title is None else (start_tok, end_tok)
                mention = Mention(starts[a], ends[b - 1], "surname" if title is None else "title_and_name", unit, a, None, title=title)
                mention.surname = key
                add(mention)
        # Surname mentions without honorific.
        first_parts = _first_parts(surnames)
        # Without a named person no word is a surname: spare the scan of every token.
        for i in compress(range(f.n), map(first_parts.__contains__, keys)) if first_parts else ():
            if kinds[i] != WORD or i in occupied or i in self.title_tokens:
                continue
            for length in (2, 1):  # a family name of one or two words
                key = "".join(keys[i : i + length])
                if key in surnames and all(f.word(k) for k in range(i, i + length)):
                    prev = i - 1
                    ok = prev < 0 or kinds[prev] != WORD or keys[prev] in f.lex.stops or keys[prev] in NON_SUBJECT_BEFORE or keys[prev] in ("و", "گفته") or prev in self.title_tokens
                    if ok and not (f.word(i + length) and keys[i + length] in SURNAME_PARTS):
                        title = self._title_after(i + length)
                        a, b = i, i + length
                        if title is not None:
                            b = title.end
                        mention = Mention(starts[a], ends[b - 1], "title_and_name" if title else "surname", f.unit_of[i], i, None, title=title)
                        mention.surname = key
                        if title is not None:
                            used_titles.add(id(title))
                        add(mention)
                        occupied.update(range(i, i + length))
                    break
        # Offices without a name beside them.
        for title in self.titles:
            if id(title) in used_titles:
                continue
            add(Mention(starts[title.start], ends[title.end - 1], "title", f.unit_of[title.start], title.start, None, title=title))
        # Pronouns.
        for i in f.looked_up:  # no pronoun starts at the other tokens
            match = f.pronouns[i]
            if match and i not in occupied:
                n = match[0]
                add(Mention(starts[i], ends[i + n - 1], "pronoun", f.unit_of[i], i))
        self.surnames = surnames
        self._named_count = len(self.entities)  # persons with a name; anonymous offices come after
        self._resolve(by_unit)

    def _title_after(self, i: int) -> Title | None:
        f = self.f
        k = i
        if k < f.n and f.texts[k] == "،":
            k += 1
        for title in self._titles_by_start().get(k, []):
            return title
        return None

    def _titles_by_start(self) -> dict[int, list[Title]]:
        if self._title_index is None:
            self._title_index = {}
            for title in self.titles:
                self._title_index.setdefault(title.start, []).append(title)
        return self._title_index

    def _resolve(self, by_unit: dict[int, list[Mention]]) -> None:
        f = self.f
        keys, texts = f.keys, f.texts
        topic: Entity | None = None
        topic_unit = -10
        last_mentioned: Entity | None = None
        previous_speaker: Entity | None = None
        self.unit_speaker: dict[int, Entity | None] = {}
        anons: list[Entity] = []
        quote_open = False
        for u, (a, b, sid) in enumerate(f.units):
            mentions = sorted(by_unit[u], key=_TOKEN_OF) if u in by_unit else []
            # Read only up to the last mention: whether a token is embedded depends on
            # the tokens before it.
            embedded = self._embedded_tokens(a, min(b, mentions[-1].tok + 1)) if mentions else set()
            subject: Entity | None = None
            subject_found = False
            previous_nonsubject_end = -1
            for mention in mentions:
                # Is the mention the subject of its clause?
                p = mention.tok - 1
                while p >= a and f.honorific_at(p) and p >= 0:
                    p -= 1
                before = keys[p] if p >= a else ""
                non_subject = before in NON_SUBJECT_BEFORE or mention.tok in embedded
                if before == "و" and previous_nonsubject_end >= 0 and p - previous_nonsubject_end <= 1:
                    non_subject = True
                mention.subject = not non_subject
                if non_subject:
                    previous_nonsubject_end = self._tok_end(mention)
                entity = self._referent(mention, subject, topic, last_mentioned, u, anons)
                if entity is None:
                    continue
                mention.entity = entity
                root = entity.root()
                # A named person with no office, subject of the sentence after an office
                # that is the topic: the lead named the office, this sentence the person.
                if (
                    mention.kind == "full_name"
                    and mention.subject
                    and self._leads(mention, a, b)
                    and not root.titles
                    and topic is not None
                    and topic.root().name is None
                    and u - topic_unit <= 3
                ):
                    anon = topic.root()
                    anon.merged = root
                    root.titles.extend(anon.titles)
                    self._head_index = None
                    root.mentions.extend(anon.mentions)
                    anon.mentions = []
                    if anon in anons:
                        anons.remove(anon)
                root.mentions.append(mention)
                root.last_unit = u
                last_mentioned = root
                if mention.subject and not subject_found:
                    subject = root
                    subject_found = True
            if subject is not None:
                topic = subject
                topic_unit = u
            # Who speaks in this sentence?
            speaks = self._has_speech_cue(a, b)
            speaker: Entity | None = None
            if speaks:
                if subject is not None:
                    speaker = subject
                elif not any(m.subject and m.entity is not None for m in mentions) and previous_speaker is not None and u - self._last_speaker_unit <= 2:
                    speaker = previous_speaker
            elif subject is None and previous_speaker is not None and self._last_speaker_unit == u - 1 and (
                texts[a] == "«" or (quote_open and self._same_paragraph(u - 1, u))
            ):
                # The quotation goes on: "X گفت: ... . سال گذشته ... ."
                speaker = previous_speaker
            quote_open = speaker is not None and (
                ":" in texts[a:b] or (quote_open and subject is None)
            )
            self.unit_speaker[u] = speaker
            if speaker is not None:
                previous_speaker = speaker
                self._last_speaker_unit = u
        self.anons = anons

    def _embedded_tokens(self, a: int, b: int) -> set[int]:
        """The tokens of [a, b), read from a sentence's start, inside a quotation or a
        subordinate clause ("با بیان اینکه ..."، "گفت: ..."): a person there is not the
        subject of the sentence."""
        f = self.f
        keys, texts = f.keys, f.texts
        embedded = set()
        quote_depth = 0
        subordinate = False
        for k in range(a, b):
            if quote_depth or subordinate:
                embedded.add(k)
            text_k = texts[k]
            if text_k == "«":
                quote_depth += 1
            elif text_k == "»":
                quote_depth = max(0, quote_depth - 1)
                subordinate = False
            elif text_k == ":" or keys[k] in SUBORDINATORS:
                subordinate = True
            elif text_k == "،" and subordinate and f.is_verb(k - 1):
                subordinate = False
        return embedded

    _last_speaker_unit = -10
    _title_index: dict | None = None
    _head_index: dict | None = None
    _named_count = 0

    def _leads(self, mention: Mention, a: int, b: int) -> bool:
        """Whether a mention opens its sentence, or follows its opening phrase
        ("به گزارش ...، NAME", "در ادامه، NAME")."""
        f = self.f
        k = mention.tok
        while k > a and f.honorific_at(k - 1):
            k -= 1
        first = a
        while first < b and (f.kinds[first] == NUMBER or f.texts[first] in LIST_MARKS or f.texts[first] == "."):
            first += 1
        if k == first:
            return True
        if f.key(first) in ("به", "در", "طبق", "همچنین"):
            for j in range(first, min(b, first + 20)):
                if f.texts[j] == "،":
                    return k == j + 1
        return False

    def _entity_heads(self, entity: Entity) -> set[str]:
        return {self._component_key(c)[0] for _, components in entity.titles for c in components}

    def _persons_with_heads(self, heads: set[str]) -> list[Entity]:
        """Persons holding an office with one of these heads (an index, for long texts)."""
        if self._head_index is None:  # reset whenever a person gets an office
            index: dict[str, list[Entity]] = {}
            for entity in self.entities[: self._named_count]:
                if entity.merged is None:
                    for head in self._entity_heads(entity):
                        index.setdefault(head, []).append(entity)
            self._head_index = index
        found: list[Entity] = []
        for head in heads:
            found.extend(self._head_index.get(head, [])[:50])
        return list(dict.fromkeys(e.root() for e in found))

    def _same_paragraph(self, u: int, v: int) -> bool:
        f = self.f
        return not any(f.kinds[k] == NEWLINE for k in range(f.units[u][1], f.units[v][0]))

    def _tok_end(self, mention: Mention) -> int:
        f = self.f
        k = mention.tok
        while k < f.n and f.ends[k] <= mention.end:
            k += 1
        return k - 1

    def _has_speech_cue(self, a: int, b: int) -> bool:
        """Whether a speech verb starts in tokens [a, b)."""
        speech_starts = self.f.speech_starts
        first = bisect_left(speech_starts, a)
        return first < len(speech_starts) and speech_starts[first] < b

    def _referent(self, mention: Mention, subject, topic, last_mentioned, unit: int, anons: list[Entity]) -> Entity | None:
        if mention.entity is not None:
            return mention.entity
        if mention.kind == "pronoun":
            if subject is not None:
                return subject
            if topic is not None:
                return topic
            return last_mentioned
        if mention.surname is not None:
            key = mention.surname
            candidates = [e.root() for e in self.surnames.get(key, [])]
            candidates = list(dict.fromkeys(candidates))
            if not candidates:
                return None
            if len(candidates) > 1 and mention.title is not None:
                scored = [(self._title_score(mention.title, c), c) for c in candidates]
                best = max(s for s, _ in scored)
                chosen = [c for s, c in scored if s == best and s > 0]
                if len(chosen) == 1:
                    return chosen[0]
            if len(candidates) == 1:
                entity = candidates[0]
                if mention.title is not None and not entity.titles:
                    entity.titles.append((self.f.span_text(mention.title.start, mention.title.end), mention.title.components))
                    self._head_index = None
                return entity
            candidates.sort(key=lambda e: e.last_unit)
            return candidates[-1]
        if mention.kind == "title":
            title = mention.title
            heads = {self._component_key(c)[0] for c in title.components}
            persons = self._persons_with_heads(heads)
            scored = [(self._title_score(title, e), e) for e in persons]
            best = max((s for s, _ in scored), default=0)
            if best > 0:
                chosen = [e for s, e in scored if s == best]
                if len(chosen) == 1:
                    return chosen[0]
                recent = [e for e in chosen if unit - e.last_unit <= 2]
                recent.sort(key=lambda e: e.last_unit)
                return recent[-1] if len(recent) == 1 else None
            for anon in anons[-50:]:
                if self._title_score(title, anon) > 0 or self._title_score_reverse(title, anon):
                    text = self.f.span_text(title.start, title.end)
                    if len(text) > len(anon.titles[0][0]):
                        anon.titles.insert(0, (text, title.components))
                    return anon
            anon = Entity(len(self.entities))
            anon.titles.append((self.f.span_text(title.start, title.end), title.components))
            self.entities.append(anon)
            anons.append(anon)
            return anon
        return None

    def _title_score(self, title: Title, entity: Entity) -> int:
        """How well an office mention fits one of the entity's offices: 0 when not at all."""
        mention_parts = [self._component_key(c) for c in title.components]
        best = 0
        for _, components in entity.titles:
            for component in components:
                target = self._component_key(component)
                # An office without its body ("مدیرعامل") in minutes: the body of the meeting.
                context = target[1]
                if not (component.org or component.bare_org) and self.meeting_span is not None:
                    span = self.meeting_span
                    context = target[1] + [ckey(self.f.texts[k]) for k in range(span.start, span.end) if self.f.word(k)]
                for part in mention_parts:
                    if part[0] != target[0]:
                        continue
                    if _is_subsequence(part[1], target[1]) or _is_subsequence(part[1], context):
                        score = 1 + len(part[1]) + (5 if part[1] == target[1] else 0)
                        best = max(best, score)
        return best

    def _title_score_reverse(self, title: Title, entity: Entity) -> bool:
        mention_parts = [self._component_key(c) for c in title.components]
        for _, components in entity.titles:
            for component in components:
                target = self._component_key(component)
                for part in mention_parts:
                    if part[0] == target[0] and _is_subsequence(target[1], part[1]):
                        return True
        return False

    def _component_key(self, component: Component) -> tuple[str, list[str]]:
        """The office's head and the words after it; offices are compared again and
        again while resolving, so each key is made once (it depends only on the tokens)."""
        tokens = (component.start, component.end)
        key = self._component_keys.get(tokens)
        if key is None:
            key = self._component_keys[tokens] = self._make_component_key(*tokens)
        return key

    def _make_component_key(self, start: int, end: int) -> tuple[str, list[str]]:
        f = self.f
        n = f.title_at(start)[0]
        head = "".join(f.keys[k] for k in range(start, start + n))
        rest = self._expand([ckey(f.texts[k]) for k in range(start + n, end) if f.word(k) and f.keys[k] != "و"])
        return head, [w for w in rest if w != "و"]

    def _expand(self, words: list[str]) -> list[str]:
        """Short forms written out ("صمت" -> "صنعت معدن و تجارت")."""
        aliases = self.f.lex.aliases
        if aliases.keys().isdisjoint(words):
            return words
        out: list[str] = []
        for w in words:
            out.extend(aliases.get(w, [w]))
        return out

    # -- export ----------------------------------------------------------------

    def _export(self) -> Analysis:
        f = self.f
        organizations, org_groups, org_spans = self._organizations()
        persons = [e for e in self.entities if e.merged is None and e.name and e.titles]
        for entity in persons:
            entity.mentions.sort(key=lambda m: m.start)
        persons.sort(key=lambda e: e.mentions[0].start if e.mentions else 1 << 60)
        ids: dict[int, str] = {}
        officials = []
        official_spans = []
        meeting_body = self._meeting_body(org_groups)
        for number, entity in enumerate(persons, start=1):
            pid = f"p{number}"
            ids[id(entity)] = pid
            title_text, components = max(entity.titles, key=lambda t: (len(t[0].split()), len(t[0])))
            org_name, org_id = self._official_org(entity, org_groups, meeting_body)
            fullest = self._fullest_mention(entity)
            mentions = []
            for mention in entity.mentions:
                mentions.append({**self._ground(mention.start, mention.end), "kind": mention.kind, "sentence": f.units[mention.unit][2]})
                official_spans.append((mention.start, mention.end, pid))
            officials.append(
                {
                    "id": pid,
                    **self._ground(fullest.start, fullest.end),
                    "name": _clean(entity.name),
                    "honorifics": entity.honorifics,
                    "title": _clean(title_text),
                    "organization": _clean(org_name) if org_name else None,
                    "organization_id": org_id,
                    "mentions": mentions,
                }
            )
        speakers: dict[int, str | None] = {}
        for u, (a, b, sid) in enumerate(f.units):
            speaker = self.unit_speaker.get(u)
            speakers[f.starts[a]] = ids.get(id(speaker.root())) if speaker is not None else None
        meeting = self._meeting(org_groups, meeting_body, persons, ids)
        official_spans.sort()
        org_spans.sort()
        return Analysis(officials, organizations, meeting, speakers, official_spans, org_spans)

    def _ground(self, start: int, end: int) -> dict:
        if self._grounder is not None:
            return self._grounder(start, end)
        return {"text": self.text[start:end], "spans": [{"start": start, "end": end}]}

    def _fullest_mention(self, entity: Entity) -> Mention:
        order = {"title_and_name": 0, "full_name": 1, "title": 2, "surname": 3, "short_form": 4, "name": 4, "pronoun": 5}
        return min(entity.mentions, key=lambda m: (order.get(m.kind, 9), -(m.end - m.start), m.start))

    # -- organizations -------------------------------------------------------------

    def _organizations(self):
        """Group the spans of bodies: one group per body, its fullest written form."""
        f = self.f
        groups: list[dict] = []
        spans_out: list[tuple[int, int, str]] = []

        texts, kinds = f.texts, f.kinds
        span_parts: dict[int, list[str]] = {}  # grouping and mentions both ask: made once a span

        def parts(span: OrgSpan) -> list[str]:
            found = span_parts.get(id(span))
            if found is None:
                words = [ckey(texts[k]) for k in range(span.start, span.end) if kinds[k] in (WORD, NUMBER)]
                found = span_parts[id(span)] = self._expand(words)
            return found

        named = [s for s in self.orgs if not s.bare]
        by_key: dict[tuple[str, ...], dict] = {}
        by_head: dict[str, list[dict]] = {}
        # The fullest forms first: shorter ones are then mentions of them.
        for span in sorted(named, key=lambda s: -(s.end - s.start)):
            key = parts(span)
            core = _strip_place(key, f)
            head = _HEAD_CKEY[span.head.text]
            target = by_key.get(tuple(key))
            # Distinct names of one head are few in real text; the bound keeps a
            # megabyte of made-up names linear.
            for group in [] if target else by_head.get(head, [])[:50]:
                if _is_subsequence(key, group["key"]):
                    target = group
                    break
                gcore = group["core"]
                if core and core == gcore and (group["national"] or _national(key)):
                    target = group
                    break
            if target is None:
                target = {
                    "key": key,
                    "core": core,
                    "national": _national(key),
                    "head": _HEAD_KEY[span.head.text],
                    "type": span.head.type,
                    "spans": [],
                    "standalone": False,
                    "name": f.span_text(span.start, span.end),
                }
                groups.append(target)
                by_key[tuple(key)] = target
                by_head.setdefault(head, []).append(target)
            target["spans"].append(span)
            if not span.nested:
                target["standalone"] = True
            if _national(key) and not target["national"]:
                target.update(key=key, national=True, name=f.span_text(span.start, span.end))
        # Bare heads and "این X" refer back to the last body with that head named before.
        group_of = {id(span): group for group in groups for span in group["spans"]}
        last: dict[str, dict] = {}
        for span in sorted(self.orgs, key=lambda s: (s.start, s.bare)):
            head = _HEAD_CKEY[span.head.text]
            if not span.bare:
                last[head] = group_of[id(span)]
            elif head in last:
                last[head].setdefault("refs", []).append(span)
        listed = [g for g in groups if g["standalone"]]
        listed.sort(key=lambda g: min(s.start for s in g["spans"]))
        organizations = []
        for number, group in enumerate(listed, start=1):
            oid = f"org{number}"
            group["id"] = oid
            mentions = []
            everything = sorted(group["spans"] + group.get("refs", []), key=lambda s: s.start)
            for span in everything:
                a, b = f.starts[span.start], f.ends[span.end - 1]
                kind = "full_name" if parts(span) == group["key"] else "short_form"
                mentions.append({**self._ground(a, b), "kind": kind, "sentence": f.units[f.unit_of[span.start]][2]})
                spans_out.append((a, b, oid))
            fullest = max(group["spans"], key=lambda s: (s.end - s.start, -s.start))
            organizations.append(
                {
                    "id": oid,
                    **self._ground(f.starts[fullest.start], f.ends[fullest.end - 1]),
                    "name": _clean(group["name"]),
                    "type": group["type"],
                    "mentions": mentions,
                }
            )
        return organizations, groups, spans_out

    def _group_of(self, name: str, groups: list[dict], bare: bool = False) -> dict | None:
        f = self.f
        toks = tokenize(name)
        key = self._expand([ckey(text) for text, kind in zip(toks.texts, toks.kinds) if kind in (WORD, NUMBER)])
        if not key:
            return None
        head_match = f.lex.orgs.match(toks, 0)
        head = "".join(toks.keys[: head_match[0]]) if head_match else wkey(toks.texts[0])
        best = None
        for group in self._groups_with_head(groups, ckey(head)):
            if key == group["key"]:
                return group
            if _is_subsequence(key, group["key"]) or _is_subsequence(group["key"], key):
                if best is None or len(group["key"]) > len(best["key"]):
                    best = group
            elif _strip_place(key, f) and _strip_place(key, f) == group["core"] and (group["national"] or _national(key)):
                best = best or group
        return best

    def _groups_with_head(self, groups: list[dict], head: str) -> list[dict]:
        if getattr(self, "_group_index", None) is None:
            self._group_index: dict[str, list[dict]] = {}
            for group in groups:
                self._group_index.setdefault(ckey(group["head"]), []).append(group)
        return self._group_index.get(head, [])[:50]

    def _official_org(self, entity: Entity, groups: list[dict], meeting_body: dict | None):
        """The body of an official's office, in its usual full form, and its id."""
        candidates = []
        implied = []
        for text, components in sorted(entity.titles, key=lambda t: -len(t[0].split())):
            # The first office that names its body decides; an office that only implies
            # one ("معاون وزیر") comes last.
            for c in components:
                if c.org and c.explicit:
                    candidates.append(("named", c.org))
                elif c.bare_org:
                    candidates.append(("bare", c.bare_org))
                elif c.org:
                    implied.append(("implied", c.org))
        candidates += implied
        for kind, org in candidates:
            if kind == "bare":
                group = self._resolve_bare(org, groups, meeting_body)
                if group is not None:
                    return group["name"], group.get("id")
                continue
            group = self._group_of(org, groups)
            if group is not None:
                name = org if len(org.split()) > len(group["name"].split()) else group["name"]
                return name, group.get("id")
            return org, None
        # No body named in the office: in minutes, the body of the meeting (or the body
        # it belongs to).
        if meeting_body is not None and any(c.head.cls == "role" for _, comps in entity.titles for c in comps):
            parent = meeting_body.get("parent")
            group = parent or meeting_body
            return group["name"], group.get("id")
        return None, None

    def _resolve_bare(self, org: str, groups: list[dict], meeting_body: dict | None) -> dict | None:
        toks = tokenize(org)
        key = ckey(toks.texts[0]) if toks.texts else ""
        match = self.f.lex.orgs.match(toks, 0)
        if match:
            key = ckey("".join(toks.keys[: match[0]]))
        same = self._groups_with_head(groups, key)
        if not same:
            return None
        if meeting_body is not None and meeting_body in same:
            return meeting_body
        words = [ckey(text) for text, kind in zip(toks.texts, toks.kinds) if kind == WORD]
        fitting = [g for g in same if _is_subsequence(words, g["key"])] or same
        fitting.sort(key=lambda g: (-len(g["spans"]), min(s.start for s in g["spans"])))
        return fitting[0]

    # -- the meeting -------------------------------------------------------------------

    def _meeting_span(self) -> OrgSpan | None:
        """The body whose meeting the text reports: "جلسه/نشست/صورتجلسه" + a council's name."""
        f = self.f
        for span in sorted(self.orgs, key=lambda s: s.start):
            if span.bare or span.nested or span.head.type not in MEETING_BODIES:
                continue
            k = span.start - 1
            skipped = 0
            while k >= 0 and f.word(k) and f.key(k) in MEETING_ADJECTIVES and skipped < 2:
                k -= 1
                skipped += 1
            if f.key(k) in MEETING_WORDS:
                return span
        return None

    def _meeting_body(self, groups: list[dict]) -> dict | None:
        """The group of the meeting's body (found by _meeting_span), with its parent body."""
        span = self.meeting_span
        if span is None:
            return None
        for group in groups:
            if span in group["spans"]:
                # The body it belongs to: the first body named inside its name.
                inner = [s for s in self.orgs if span.start < s.start and s.end <= span.end and not s.bare]
                if inner:
                    parent = next((g for g in groups if inner[0] in g["spans"]), None)
                    if parent is not None:
                        group["parent"] = parent
                return group
        return None

    def _meeting(self, groups, body, persons, ids) -> dict:
        f = self.f
        meeting: dict[str, Any] = {"body": _clean(body["name"]) if body else None, "place": None, "date": None, "chair": None}
        text = self.text
        # Place: "محل: ..." or "در محل ...".
        org_starts = {span.start: span for span in self.orgs if not span.bare}
        for k in f.positions(PLACE_LABELS):
            if k == f.n - 1:
                break
            if f.key(k - 1) == "در" and k + 1 in org_starts:
                meeting["place"] = _clean(f.span_text(k + 1, org_starts[k + 1].end))
                break
            if f.texts[k + 1] == ":":
                a = k + 2
                b = a
                while b < f.n and f.kinds[b] != NEWLINE and f.texts[b] not in ("،", ".", "؛", "|", "–", "—") and b - a < 14:
                    if f.key(b) in ("برگزار", "که") or f.is_verb(b) or (b > a and f.stop(b)):
                        break
                    b += 1
                if b > a:
                    meeting["place"] = _clean(f.span_text(a, b))
                    break
        # Date: near "تاریخ"/"مورخ", else the first date of the text.
        # The date of the meeting is told near the top: the first lines of minutes, the
        # lead of a report.
        numbers = numbers_in(self.doc) if self.doc is not None else find_numbers(text[:3000])
        dates = [m for m in numbers if m.kind == "date" and m.end <= 3000]
        chosen = None
        for m in dates:
            window = text[max(0, m.start - 40) : m.start]
            if any(label in window for label in ("تاریخ", "مورخ", "زمان", "روز", "جلسه")):
                chosen = m
                break
        if chosen is None and dates:
            chosen = dates[0]
        if chosen is not None:
            meeting["date"] = {"text": self._ground(chosen.start, chosen.end)["text"], "jalali": chosen.jalali, "gregorian": chosen.date}
        # Chair: "به ریاست X", "(رئیس جلسه)", or the head of the meeting's body.
        for mention in self.mentions:
            k = mention.tok
            if f.key(k - 1) == wkey("ریاست") and mention.entity is not None:
                chair = ids.get(id(mention.entity.root()))
                if chair:
                    meeting["chair"] = chair
                    return meeting
        for k in f.positions(CHAIR_WORDS):
            if k + 1 < f.n and f.keys[k + 1] == "جلسه":  # "(رئیس جلسه)"
                for mention in self.mentions:
                    if mention.entity is not None and mention.end <= f.starts[k] and f.starts[k] - mention.end < 80:
                        candidate = ids.get(id(mention.entity.root()))
                        if candidate:
                            meeting["chair"] = candidate
                if meeting["chair"]:
                    return meeting
                break
        if body is not None:
            for entity in persons:
                for _, components in entity.titles:
                    for c in components:
                        if _HEAD_KEY[c.head.text] in CHAIR_WORDS:
                            org = c.bare_org or c.org
                            if org:
                                group = self._resolve_bare(org, groups, body) if c.bare_org else self._group_of(org, groups)
                                if group is body:
                                    meeting["chair"] = ids.get(id(entity))
                                    return meeting
        return meeting


MEETING_BODIES = frozenset({"council", "working_group", "headquarters", "commission", "committee", "board", "cabinet", "parliament"})
MEETING_WORDS = frozenset(wkey(w) for w in ("جلسه", "نشست", "صورتجلسه", "صورت‌جلسه", "اجلاس", "جلسات", "مصوبات", "جلسهٔ"))
PLACE_LABELS = frozenset(("محل", "مکان"))
CHAIR_WORDS = frozenset((wkey("رئیس"), wkey("رییس")))
MEETING_ADJECTIVES = frozenset(wkey(w) for w in ("رسمی", "علنی", "عادی", "فوق‌العاده", "مشترک", "مشترك", "هماهنگی"))


def _first_parts(surnames: dict[str, list]) -> set[str]:
    return {key for key in surnames} | {key[:i] for key in surnames for i in range(2, len(key))}


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(word in it for word in short)  # "in" reads the iterator up to the word


def _national(key: list[str]) -> bool:
    return bool(key) and key[-1] in ("ایران", "کشور")


def _strip_place(key: list[str], f: Finder) -> list[str]:
    """A body's name without its closing place ("بانک ملی استان فارس" -> "بانک ملی")."""
    words = list(key)
    for i, word in enumerate(words):
        if word in ("استان", "ایران", "کشور", "شهرستان") and i > 0:
            return words[:i]
    return words


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.replace("\n", " ").strip(" ،,:-–—()")
    return SPACES.sub(" ", text)


# Runs of what regex calls \s (Unicode's White_Space), in re: a call costs less.
SPACES = re.compile("[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


# ----------------------------------------------------------------------------- spaCy


def register_extensions() -> None:
    for name in ("officials", "organizations", "speakers", "meeting", "official_spans", "organization_spans"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@Language.factory("minutes_officials")
def make_officials(nlp: Language, name: str) -> "OfficialsComponent":
    return OfficialsComponent()


class OfficialsComponent:
    """Finds officials, bodies, speakers and the meeting, then writes them to the Doc."""

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        analysis = analyze(doc)
        # Written where spaCy keeps them: "doc._.officials = ..." makes an accessor object
        # and goes through spaCy's __setattr__ at every value.
        segment.set_doc_value(doc, "officials", analysis.officials)
        segment.set_doc_value(doc, "organizations", analysis.organizations)
        segment.set_doc_value(doc, "speakers", analysis.speakers)
        segment.set_doc_value(doc, "meeting", analysis.meeting)
        segment.set_doc_value(doc, "official_spans", analysis.official_spans)
        segment.set_doc_value(doc, "organization_spans", analysis.organization_spans)
        return doc


def speaker_of(sentence: Span) -> str | None:
    """The id of the official whose speech the sentence reports, or None."""
    doc = sentence.doc
    if not Doc.has_extension("speakers"):
        return None
    speakers = segment.doc_value(doc, "speakers")
    if not speakers:
        return None
    start = sentence.start_char
    if start in speakers:
        return speakers[start]
    # A span that is not a whole sentence: the sentence that holds its start.
    sent = doc[sentence.start].sent
    start, _ = segment._trim(doc, sent.start, sent.end)
    return speakers.get(doc[start].idx) if start < len(doc) else None


def _covering(spans: list[tuple[int, int, str]] | None, start: int, end: int) -> str | None:
    if not spans:
        return None
    i = bisect_right(spans, (start, float("inf"), ""))
    best = None
    for a, b, ident in spans[max(0, i - 50) : i]:
        if a <= start and end <= b:
            if best is None or b - a < best[1] - best[0]:
                best = (a, b, ident)
    return best[2] if best else None


def official_of(doc: Doc, start_char: int, end_char: int) -> str | None:
    """The id of the official whose mention covers [start_char, end_char) of the normalized text."""
    if not Doc.has_extension("official_spans"):
        return None
    return _covering(segment.doc_value(doc, "official_spans"), start_char, end_char)


def organization_of(doc: Doc, start_char: int, end_char: int) -> str | None:
    """The id of the body whose mention covers [start_char, end_char) of the normalized text."""
    if not Doc.has_extension("organization_spans"):
        return None
    return _covering(segment.doc_value(doc, "organization_spans"), start_char, end_char)


def export(doc: Doc) -> dict:
    officials = segment.doc_value(doc, "officials") if Doc.has_extension("officials") else None
    if officials is None:
        return {"officials": [], "organizations": [], "meeting": {}}
    return {
        "officials": officials,
        "organizations": segment.doc_value(doc, "organizations"),
        "meeting": segment.doc_value(doc, "meeting"),
    }
