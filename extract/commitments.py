"""Targets and commitments (issue #6): who is to do what, and what number or date to reach.

A commitment is a statement that puts a future action on someone: a decision of a body
("مقرر شد شهرداری ... ارائه کند"), an obligation ("موظف است", "باید", "نباید"), a promise
("متعهد شد", "خواهیم کرد", "امسال ۵۰۰ هزار شغل ایجاد می‌کند"), a request ("خواستار ... شد",
"از وزیر درخواست کرد ...") or a priority ("از اولویت‌های وزارت نیرو است"). A target is a
quantity or a deadline such a statement sets: value and unit from a figure, the deadline,
the actor, the commitment it belongs to.

How it works, sentence by sentence over the normalized text (``doc.text``):

1. Words. A sentence is split into words, a ZWNJ counting as a space ("می‌شود" is "می" +
   "شود", the second marked as joined), so a cue is written once for both spellings.
2. Verbs. Finite verbs are recognised from hazm's verb list: "خواهد + past stem" is a
   future, "می + stem" a present, a present stem with a personal ending a subjunctive
   ("ارائه کند"), a past stem with an ending a past.
3. Clauses. A clause starts at the sentence start, after : « » ؛, after "که"/"اینکه",
   after a verb followed by "و" or "،", after a verb of saying, after a list number. A
   relative clause inside a noun phrase ("بیمارستان ... که ۸۰ درصد پیشرفت دارد، ...
   افتتاح خواهد شد") does not cut its head noun from the main clause.
4. Cues. The patterns of ``lexicons/commitment_cues.tsv`` give kind, rule and the shape of
   the clause (see the file's header). Grammatical rules add what needs no cue word: the
   future tense ("future"), a present tense with a deadline ("present_deadline"), a
   first-person present ("first_person"), a bare subjunctive in a list of decisions
   ("decision_item"). "block" phrases (forecasts, ability, hearsay) stop them. A cue
   inside the clause governed by an earlier cue belongs to that commitment; coordinated
   clauses under one cue ("... اختصاص یابد و سازمان ... ارائه کند") are split when the
   second names an actor of its own, else joined.
5. Evidence, actor, negation. Evidence runs from the clause start (or the cue) to its
   verb. The actor is the subject before the cue, the subject of the governed clause,
   the addressee ("از X درخواست کرد"), the holder of a priority ("اولویت‌های X"), or for
   "ما"/"خواهیم" the speaker's body; a subject that cannot act ("اعتبارات", "۳۰ درصد")
   gives no actor. "مقرر نشد" never matches; "نباید" and a negative pledge ("معطل
   نمی‌کنیم") are commitments with ``negated``.
6. Targets. A figure inside a commitment's evidence that is a quantity to reach is a
   target; a description is not ("با اعتباری ...", "به مساحت", votes, the "از" end of
   "از X به Y", a number inside the deadline, a number in a relative clause or in the
   object of a report). A commitment with a deadline and no such figure gives a target
   without a value. "آن را"/"اینکار" take the quantity said just before in the sentence;
   a clause that needs money ("... ریال اعتبار نیاز است") gives a target of its own.

Collaborators: ``officials.speaker_of`` and ``officials.export`` (speakers, names, bodies);
``doc._.figures`` and ``figures.find_deadlines`` where the figures stage provides them.
Any of them may still be a placeholder: speakers then stay empty, figures are read with
:func:`extract.numbers.find_numbers` and deadlines with :func:`deadline_phrases`.

Interface: the spaCy component "minutes_commitments" writes ``doc._.commitments`` and
``doc._.targets``; ``export(doc) -> {"targets": [...], "commitments": [...]}``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from operator import add, sub
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

import regex
from spacy.language import Language
from spacy.tokens import Doc, Span

from .normalize import Translation, normalize, re_class
from . import figures, officials, segment
from .numbers import find_numbers, indexes, parse_number

LEXICONS = Path(__file__).with_name("lexicons")
KINDS = ("decision", "obligation", "promise", "request", "priority")
SHAPES = ("govern", "subject", "final", "open")
ZWNJ = "\u200c"

# ============================================================================ lexicons

_KEY_FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "ـ": None})
_fold_keys = Translation(_KEY_FOLD)  # str.translate with _KEY_FOLD, several times faster


def _keys(phrase: str) -> list[str]:
    """The words of a phrase, ZWNJ counted as a space, Arabic letter forms folded."""
    return _fold_keys(phrase.replace(ZWNJ, " ")).split()


def _fold(text: str) -> str:
    return " ".join(_keys(text))


@cache
def word_lists() -> dict[str, tuple[str, ...]]:
    """``commitment_words.tsv``: role -> phrases (words joined by single spaces)."""
    lists: dict[str, list[str]] = {}
    for line in (LEXICONS / "commitment_words.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        role, _, phrase = line.partition("\t")
        if phrase.strip():
            lists.setdefault(role.strip(), []).append(_fold(phrase))
    return {role: tuple(phrases) for role, phrases in lists.items()}


@cache
def words(role: str) -> frozenset[str]:
    return frozenset(word_lists().get(role, ()))


@cache
def phrases(role: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of a role as word tuples, longest first."""
    return tuple(sorted((tuple(p.split()) for p in word_lists().get(role, ())), key=len, reverse=True))


@cache
def _by_first_word(role: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases of a role by their first word, each list longest first: at a word only
    the phrases that start with it need comparing."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for ws in phrases(role):
        index.setdefault(ws[0], []).append(ws)
    return {word: tuple(found) for word, found in index.items()}


@dataclass(frozen=True, slots=True)
class Cue:
    """One line of ``commitment_cues.tsv``, compiled."""

    pattern: str
    kind: str  # a commitment kind, or "block"
    rule: str
    shape: str  # govern | subject | final | open; "" for a block
    regex: Any
    # The first words of its first required word slot: a sentence without one of them
    # cannot match, so the regex is not tried (None: no required word, always tried).
    anchors: frozenset[str] | None = None


HARD_STOPS = frozenset(":؛.؟!?")
QUOTES = frozenset("«»")
_GAP_WORD = r"(?: [^ :؛.؟!?«»]++)"
_GAP = _GAP_WORD + "{0,30}?"
_CAPTURE = _GAP_WORD + "{1,12}?"


def compile_pattern(pattern: str) -> Any:
    """A cue pattern (see the header of commitment_cues.tsv) as a regex over a key string.

    The key string of a sentence is " w1 w2 ... wn " (:func:`key_string`). Every slot
    matches whole words and every gap is bounded, so matching is linear in the sentence.
    Compiled by the standard ``re``, which matches these literal words, gaps and look-aheads
    as ``regex`` does, twice as fast.
    """
    parts = []
    for slot in pattern.split():
        optional = slot.endswith("?") and len(slot) > 1
        if optional:
            slot = slot[:-1]
        if slot == "…":
            parts.append(_GAP)
        elif slot.startswith("{") and slot.endswith("}"):
            parts.append(f"(?P<{slot[1:-1]}>{_CAPTURE})" + ("?" if optional else ""))
        else:
            alternatives = sorted({_fold(a.replace("_", " ")) for a in slot.split("|")}, key=len, reverse=True)
            group = "(?: (?:" + "|".join(re.escape(a) for a in alternatives) + ")(?= ))"
            parts.append(group + ("?" if optional else ""))
    return re.compile("".join(parts))


# Words in most sentences: a cue anchored on one of them would be tried nearly everywhere.
_UBIQUITOUS = frozenset("به از بر در با را که و این آن است شد شده کرد می برای تا هم".split())


def _rarity(word: str) -> tuple[bool, int]:
    """How rare a word looks (higher: rarer): not a ubiquitous word, then the longest."""
    return word not in _UBIQUITOUS, len(word)


def anchor_words(pattern: str) -> frozenset[str] | None:
    """Words one of which a sentence must hold for ``pattern`` to match: a word of each
    alternative of one required word slot. Of the words of an alternative ("می بایست"),
    and of the slots, the rarest-looking is taken (see _rarity)."""
    best, best_score = None, None
    for slot in pattern.split():
        if slot == "…" or slot.endswith("?") and len(slot) > 1 or slot.startswith("{"):
            continue
        firsts = frozenset(max(keys, key=_rarity) for a in slot.split("|") if (keys := _keys(a.replace("_", " "))))
        if not firsts:
            continue
        score = (not (firsts & _UBIQUITOUS), min(map(len, firsts)))
        if best_score is None or score > best_score:
            best, best_score = firsts, score
    return best


@cache
def cues() -> tuple[Cue, ...]:
    found = []
    path = LEXICONS / "commitment_cues.tsv"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = [c.strip() for c in line.split("\t")]
        if len(columns) < 3:
            raise ValueError(f"{path.name}:{number}: expected pattern, kind, rule[, shape]")
        pattern, kind, rule = columns[:3]
        shape = columns[3] if len(columns) > 3 else ""
        if kind not in KINDS and kind != "block":
            raise ValueError(f"{path.name}:{number}: unknown kind {kind!r}")
        if kind != "block" and shape not in SHAPES:
            raise ValueError(f"{path.name}:{number}: unknown shape {shape!r}")
        found.append(Cue(pattern, kind, rule, shape, compile_pattern(pattern), anchor_words(pattern)))
    return tuple(found)


@cache
def _cues_by_anchor() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """word -> the cues (indexes into ``cues()``) anchored on it; and the unanchored cues."""
    by_word: dict[str, list[int]] = {}
    always = []
    for index, cue in enumerate(cues()):
        if cue.anchors is None:
            always.append(index)
            continue
        for word in cue.anchors:
            by_word.setdefault(word, []).append(index)
    return {word: tuple(indexes) for word, indexes in by_word.items()}, tuple(always)


# ============================================================================ words

# A word, a number ("۱۲.۵", "۱۴۰۳/۰۵/۱۰"), a URL or any other character, with the
# whitespace and ZWNJs before it. Nothing else lies between words (\S takes any other
# character), so the matches follow each other from the start of the text and one findall
# gives every word and, from the lengths, its offsets: no match object is made per word.
_GAP_AND_WORD = regex.compile(
    r"([\s\u200c]*+)((?:https?://|www\.)[^\s«»()]++|[\p{L}\p{M}\p{N}]++(?:[.٫/,٬][\p{N}]++)*+|\S)"
)

# Blocks that hold nearly every character of a report: Latin, Arabic and the other scripts
# below U+0800, general punctuation, Arabic presentation forms.
_COMMON_BLOCKS = ((0x0000, 0x0800), (0x2000, 0x2070), (0xFB50, 0xFE00), (0xFE70, 0xFF00))


@cache
def _common_class(pattern: str) -> str:
    """The characters of ``_COMMON_BLOCKS`` that the ``regex`` class ``pattern`` matches, as
    the body of an ``re`` character class."""
    return re_class(pattern, _COMMON_BLOCKS)


@cache
def _common_gap_and_word() -> tuple[Any, Any]:
    """``_GAP_AND_WORD`` for the standard ``re``, which reads words more than twice as fast,
    and a search for a character outside ``_COMMON_BLOCKS``. On a text without one they find
    the same words: each class holds the characters of the blocks that ``regex``'s holds."""
    space, digit, word = _common_class(r"\s"), _common_class(r"\p{N}"), _common_class(r"[\p{L}\p{M}\p{N}]")
    gap_and_word = re.compile(
        rf"([{space}\u200c]*+)((?:https?://|www\.)[^{space}«»()]++|[{word}]++(?:[.٫/,٬][{digit}]++)*+|[^{space}])"
    )
    every = _common_class(r"[\s\S]")
    return gap_and_word, re.compile(f"[^{every}]")


def gaps_and_words(text: str) -> list[tuple[str, str]]:
    """``_GAP_AND_WORD.findall(text)``, with ``re`` where the text allows it."""
    common, uncommon = _common_gap_and_word()
    return (common if uncommon.search(text) is None else _GAP_AND_WORD).findall(text)


class Words(NamedTuple):
    """The words of a sentence as parallel lists, item i for word i: no object is made per
    word (a sentence holds about 40 of them, and objects kept that long slow the GC)."""

    keys: list[str]  # the word, folded
    starts: list[int]  # offsets in doc.text
    ends: list[int]
    joined: list[bool]  # glued to the word before by a ZWNJ


def tokenize(text: str, offset: int = 0, folded: str | None = None) -> Words:
    """The words of ``text`` (``folded``: ``_fold_keys(text)``, when it is at hand)."""
    if folded is None:
        folded = _fold_keys(text)
    # Folding maps letters to letters, so the words of the folded text are those of the
    # text, at the same offsets; unless a kashida was dropped: then fold word by word.
    if len(folded) == len(text):
        return _words(folded, offset)
    found = _words(text, offset)
    return found._replace(keys=[key.translate(_KEY_FOLD) for key in found.keys])


def _words(text: str, offset: int) -> Words:
    """The words of ``text`` as they are written, at ``offset`` + their offsets in it."""
    found = gaps_and_words(text)
    gaps, keys = [gap for gap, _ in found], [word for _, word in found]
    # A word ends where the gaps and words up to it end; it starts its length before that.
    ends = list(accumulate(map(add, map(len, gaps), map(len, keys)), initial=offset))[1:]
    joined = [ZWNJ in gap for gap in gaps]
    if joined:
        joined[0] = False  # the first word is glued to nothing
    return Words(keys, list(map(sub, ends, map(len, keys))), ends, joined)


def key_string(keys: list[str]) -> tuple[str, list[int]]:
    """" w1 w2 ... wn " and the offset of each word in it."""
    starts, position = [], 1
    for key in keys:
        starts.append(position)
        position += len(key) + 1
    return " ".join(["", *keys, ""]), starts


def _word_range(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """Words [i, j) of the match [start, end) of the key string (it starts at a space)."""
    return bisect_right(starts, start), bisect_right(starts, end - 1)


def _is_number(key: str) -> bool:
    return key[:1].isdigit() or (key.isalpha() and parse_number(key) is not None)


# ============================================================================ verbs

PAST_ENDINGS = ("", "م", "یم", "ید", "ند")
PRESENT_ENDINGS = ("م", "د", "یم", "ید", "ند")
PERSON = {"": "3sg", "م": "1sg", "یم": "1pl", "ید": "2pl", "ند": "3pl", "د": "3sg"}
FUTURE_AUX = {"خواهم": "1sg", "خواهیم": "1pl", "خواهد": "3sg", "خواهند": "3pl", "خواهید": "2pl"}
# A future auxiliary as written ("خواهد", "نخواهد") -> the auxiliary and whether it is negated.
_FUTURE_AUX_FORMS = {**{aux: (aux, False) for aux in FUTURE_AUX}, **{"ن" + aux: (aux, True) for aux in FUTURE_AUX}}
COPULA = {
    "است": "3sg", "هست": "3sg", "هستند": "3pl", "هستیم": "1pl", "هستم": "1sg", "اند": "3pl", "ایم": "1pl",
    "نیست": "3sg", "نیستند": "3pl", "نیستیم": "1pl", "بود": "3sg", "بودند": "3pl", "نبود": "3sg",
    "بوده": "3sg",
}
# Words that open a two-word verb ("خواهد شد", "می شود") or are a copula.
_VERB_OPENERS = frozenset(_FUTURE_AUX_FORMS) | {"می", "نمی"} | frozenset(COPULA)
# Bare past stems that are also nouns ("ساخت", "پرداخت", "خواست") count as verbs only here.
CORE_PAST = frozenset("شد کرد بود داد گفت رسید یافت گرفت داشت آمد رفت نمود گردید افزود ماند کشید".split())
CORE_PRESENT = frozenset("کند کنند شود شوند دهد دهند یابد یابند گردد گردند نماید نمایند باشد باشند گیرد گیرند رسد رساند آورد سازد".split())
# Forms of the stem lists that are (almost) always other words.
NOT_VERBS = frozenset("باید نباید بایستی نبایستی شاید برای بند رود بار کار بست نشست گشت بازگشت بنا بدون زیست".split())


@dataclass(frozen=True, slots=True)
class Form:
    tense: str  # past | subj | stative | participle
    person: str
    negative: bool
    stem: str


@cache
def verb_forms() -> dict[str, Form]:
    """Inflected forms of hazm's verbs: past, present/subjunctive (bare, ب-, ن-), participle."""
    from .normalize import hazm_file, hazm_words

    nouns = hazm_words()
    forms: dict[str, Form] = {}
    path = hazm_file("data") / "verbs.dat"
    for line in path.read_text(encoding="utf-8").splitlines():
        if "#" not in line:
            continue
        past, present = (part.strip().translate(_KEY_FOLD) for part in line.split("#", 1))
        for negative in (False, True):
            prefix = "ن" if negative else ""
            if past:
                for ending in PAST_ENDINGS:
                    forms.setdefault(prefix + past + ending, Form("past", PERSON[ending], negative, past))
                forms.setdefault(prefix + past + "ه", Form("participle", "", negative, past))
            if present:
                tense = "stative" if present == "دار" else "subj"
                for ending in PRESENT_ENDINGS:
                    forms.setdefault(prefix + present + ending, Form(tense, PERSON[ending], negative, present))
                    if not negative and not present.startswith(("ا", "آ")):
                        forms.setdefault("ب" + present + ending, Form("subj", PERSON[ending], False, present))
    # A form that is also a noun or an adjective ("مردم", "شدید", "تولید", "ستاد", "وارد")
    # is a verb only when it is one of the common verbs.
    for word in [w for w, form in forms.items() if form.tense != "participle" and w in nouns]:
        if word not in CORE_PAST and word not in CORE_PRESENT:
            del forms[word]
    for word in NOT_VERBS:
        forms.pop(word, None)
    return forms


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which makes
# its __init__ several times slower, and a sentence makes a few verbs.
@dataclass(slots=True)
class Verb:
    first: int  # words [first, last]
    last: int
    tense: str  # future | present | past | subj | copula | stative | participle
    person: str
    negative: bool
    stem: str


@cache
def _verb_words() -> frozenset[str]:
    """The words that are a verb form or open a verb: one look-up a word."""
    return frozenset(verb_forms()) | _VERB_OPENERS


def find_verbs(words: Words) -> list[Verb | None]:
    """For every word, the verb that ends at it, or None. Linear in the sentence."""
    forms = verb_forms()
    keys, joined = words.keys, words.joined
    n = len(keys)
    ends: list[Verb | None] = [None] * n
    # Most words are no verb form and open no verb: only the others need a look.
    verb_words = _verb_words()
    candidates = [i for i, key in enumerate(keys) if key in verb_words or joined[i] and key.endswith("ست")]
    second_word = -1  # the second word of the last two-word verb: no verb of its own
    for i in candidates:
        if i == second_word:
            continue
        key = keys[i]
        future_aux = _FUTURE_AUX_FORMS.get(key)
        if future_aux is not None and i + 1 < n:
            aux, negative = future_aux
            nxt = forms.get(keys[i + 1])
            if nxt is not None and nxt.tense == "past" and nxt.person == "3sg" and not nxt.negative:
                ends[i + 1] = Verb(i, i + 1, "future", FUTURE_AUX[aux], negative, nxt.stem)
                second_word = i + 1
                continue
        if key in ("می", "نمی") and i + 1 < n:
            nxt = forms.get(keys[i + 1])
            if nxt is not None and nxt.tense in ("subj", "stative") and not keys[i + 1].startswith("ب"):
                ends[i + 1] = Verb(i, i + 1, "present", nxt.person, key == "نمی", nxt.stem)
                second_word = i + 1
                continue
            if nxt is not None and nxt.tense == "past":
                ends[i + 1] = Verb(i, i + 1, "past", nxt.person, key == "نمی", nxt.stem)
                second_word = i + 1
                continue
        if key in COPULA:
            ends[i] = Verb(i, i, "copula", COPULA[key], key.startswith("ن"), "است")
        elif joined[i] and len(key) >= 3 and key.endswith("ست") and key[-3] in "او":
            ends[i] = Verb(i, i, "copula", "3sg", False, "است")  # "روبه‌روست": "روبه‌رو" + "است"
        else:
            form = forms.get(key)
            if form is not None:
                ends[i] = Verb(i, i, form.tense, form.person, form.negative, form.stem)
    return ends


# ============================================================================ sentences

CONJUNCTIONS = frozenset(["و", "،", ",", "اما", "ولی", "لیکن", "سپس"])
COMPLEMENTIZERS = frozenset(["که", "اینکه", "آنکه", "چراکه"])
LIST_MARKS = frozenset(["-", "–", "—", ")", "."])
CLAUSE_MARKS = HARD_STOPS | QUOTES | COMPLEMENTIZERS | CONJUNCTIONS  # words a clause may start after


@dataclass(slots=True)
class Sentence:
    """The words of one sentence, their verbs and where its clauses may start."""

    index: int  # position among the body sentences
    word_keys: list[str]  # the key of each word (see Words)
    word_starts: list[int]  # offsets in doc.text
    word_ends: list[int]
    word_joined: list[bool]
    keys: str  # the key string (see key_string)
    starts: list[int]  # the offset of each word in it
    # Found by parse(), once the sentence may give something (see find_all):
    verbs: list[Verb | None] = field(default_factory=list)  # the verb ending at each word
    bounds: list[int] = field(default_factory=list)  # words where a clause may start, ascending
    bound_type: dict[int, str] = field(default_factory=dict)  # hard | ke | conj
    marker: int = 0  # words of a list number at the start
    in_decisions: bool = False
    reporting: frozenset[int] = frozenset()  # words that end a verb of saying
    in_block: list[int] = field(default_factory=list)  # prefix counts of words inside a block phrase
    cue_starts: list[int] = field(default_factory=list)  # first words of the cues kept, ascending

    @property
    def list_item(self) -> bool:
        return self.marker > 0


@cache
def _by_rarest_word(role: str) -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """The phrases of a role by their rarest-looking word (see _rarity), each with where
    that word is in it: "تاکید کرد" is looked for where "تاکید" is, not at every "کرد"."""
    index: dict[str, set[tuple[int, tuple[str, ...]]]] = {}
    for ws in phrases(role):
        at = max(range(len(ws)), key=lambda k: _rarity(ws[k]))
        index.setdefault(ws[at], set()).add((at, ws))
    return {word: tuple(sorted(found)) for word, found in index.items()}


def _phrase_ends(keys: list[str], role: str) -> set[int]:
    """Words that end a phrase of ``role`` (``keys``: the key of each word). Most sentences
    hold none or a few of the phrases' rarest words: one set operation finds which."""
    index = _by_rarest_word(role)
    ends: set[int] = set()
    for word in index.keys() & keys:
        for i in indexes(keys, word):
            for at, ws in index[word]:
                j = i - at
                if j >= 0 and tuple(keys[j : j + len(ws)]) == ws:
                    ends.add(j + len(ws) - 1)
    return ends


def analyse(words: Words, index: int) -> Sentence:
    return parse(sentence(words, index))


def sentence(words: Words, index: int) -> Sentence:
    """A sentence's words and key string, enough to match its cues."""
    return Sentence(index, words.keys, words.starts, words.ends, words.joined, *key_string(words.keys))


def parse(s: Sentence) -> Sentence:
    """The sentence's verbs, list number, verbs of saying and clause bounds."""
    keys = s.word_keys
    s.verbs = find_verbs(Words(keys, s.word_starts, s.word_ends, s.word_joined))
    n = len(keys)
    if n >= 2 and keys[0][:1].isdigit() and keys[1] in LIST_MARKS:
        s.marker = 2
    elif n >= 1 and keys[0] in ("-", "–", "—", "•", "*"):
        s.marker = 1
    elif n >= 2 and keys[0] in ("الف", "ب", "ج", "د") and keys[1] in ("-", ")"):
        s.marker = 2
    s.reporting = frozenset(_phrase_ends(s.word_keys, "reporting_verb"))
    s.bounds, s.bound_type = [s.marker], {s.marker: "hard"}

    def add(i: int, kind: str) -> None:
        if i not in s.bound_type:
            s.bounds.append(i)
            s.bound_type[i] = kind

    for i in range(s.marker + 1, n):
        prev = keys[i - 1]
        if prev not in CLAUSE_MARKS and i - 1 not in s.reporting:
            continue  # most words: no clause starts after them
        if prev in HARD_STOPS or prev in QUOTES:
            add(i, "hard")
        elif prev in COMPLEMENTIZERS or (prev == "که" and keys[i - 2] == "این"):
            add(i, "ke")
        elif prev in CONJUNCTIONS and keys[i] not in CONJUNCTIONS:
            v = i - 2
            if v >= 0 and keys[v] in CONJUNCTIONS:  # "... کرد، و ..."
                v -= 1
            if v >= 0 and s.verbs[v] is not None:
                add(i, "conj")
        elif (i - 1) in s.reporting and keys[i] not in CONJUNCTIONS:
            add(i, "hard")
    s.bounds.sort()
    return s


def _has_verb(s: Sentence, i: int, j: int, skip: tuple[int, int] | None = None) -> bool:
    """Whether a finite verb ends in words [i, j), not counting ``skip``."""
    for k in range(max(i, 0), min(j, len(s.word_keys))):
        v = s.verbs[k]
        if v is not None and v.tense != "participle" and not (skip and skip[0] <= k <= skip[1]):
            return True
    return False


def _bound_before(s: Sentence, i: int) -> int:
    k = bisect_right(s.bounds, i) - 1
    return s.bounds[k] if k >= 0 else 0


MAX_CLAUSE = 80  # words: no clause of a report is longer; it bounds every scan


def clause_start(s: Sentence, i: int, own: tuple[int, int] | None = None) -> int:
    """The word where the clause holding word ``i`` starts (see :func:`_clause_start`); a
    verb between that start and word ``i`` that no "که" clause holds ends an earlier
    clause ("... مدیر عامل کشور است نه رئیس هیئت مدیره و دولت آینده باید ...")."""
    b = max(_clause_start(s, i, own), i - MAX_CLAUSE)
    last_verb = None
    for k in range(b, i):
        key = s.word_keys[k]
        if key in COMPLEMENTIZERS:
            return b
        v = s.verbs[k]
        if v is not None and v.tense not in ("participle",) and not (own and own[0] <= k <= own[1]):
            last_verb = k
    if last_verb is None:
        return b
    for k in range(last_verb + 1, i):
        if s.word_keys[k] in ("و", "،", ",", "اما", "ولی") and k + 1 < i:
            return k + 1
    return b


def _clause_start(s: Sentence, i: int, own: tuple[int, int] | None = None) -> int:
    """The word where the clause holding word ``i`` starts.

    ``own`` is the word range of the clause's own cue or verb. A "که" clause that closed
    before word ``i`` is embedded in the clause ("طرحی که ... تصویب شد، تا پایان سال ...
    افتتاح می‌شود"), and so is one closed by "verb،" when its head noun has no verb.
    """
    j = i
    for _ in range(8):  # a few embedded clauses at most
        b = _bound_before(s, j)
        if b < i - MAX_CLAUSE:
            return b
        kind = s.bound_type.get(b, "hard")
        if kind == "ke" and _has_verb(s, b, i, own):
            j = b - 2
            if j < 0:
                return 0
            continue
        if kind == "conj":
            verb_end = b - 2 if s.word_keys[b - 2] not in CONJUNCTIONS else b - 3
            ke = _embedded_relative(s, verb_end)
            if ke is not None:
                j = ke - 2
                if j < 0:
                    return 0
                continue
        return b
    return 0


def _embedded_relative(s: Sentence, verb_end: int) -> int | None:
    """The "که" boundary of "NP که ... verb،" when the NP has no verb of its own."""
    k = bisect_right(s.bounds, verb_end) - 1
    while k >= 0:
        b = s.bounds[k]
        kind = s.bound_type[b]
        if kind == "ke":
            if _has_verb(s, b, verb_end):
                return None
            head_start = _bound_before(s, b - 2) if b >= 2 else 0
            if s.word_keys[b - 1] == "که" and b - 1 > head_start and not _has_verb(s, head_start, b - 1):
                return b
            return None
        if kind != "conj" or b <= verb_end - 30:
            return None
        k -= 1
        if verb_end - b > MAX_CLAUSE:
            return None
    return None


def skip_openers(s: Sentence, i: int, limit: int) -> int:
    """Past discourse openers ("همچنین", "در پایان این جلسه") at a clause start."""
    openers, keys = _by_first_word("clause_opener"), s.word_keys
    moved = True
    while moved and i < limit:
        moved = False
        for ws in openers.get(keys[i], ()):
            if i + len(ws) <= limit and tuple(keys[i : i + len(ws)]) == ws:
                i += len(ws)
                while i < limit and s.word_keys[i] in ("،", ","):
                    i += 1
                moved = True
                break
    return i


def governed_verb(s: Sentence, i: int, complementizer: bool = True) -> Verb | None:
    """The verb of the clause that a cue ending before word ``i`` governs.

    Skips relative clauses ("تفاهم‌نامه‌ای که ... منعقد کرده است در ... تسریع کند"); gives
    None at a hard boundary or at a verb that no cue governs (a past, "دارد").
    """
    n = min(len(s.word_keys), i + MAX_CLAUSE)
    k = i
    if complementizer and k < n and s.word_keys[k] in ("که", "تا"):
        k += 1
    while k < n:
        key = s.word_keys[k]
        if key in HARD_STOPS or (key == "«" and k > 0 and s.word_keys[k - 1] in HARD_STOPS):
            return None
        if key in ("که", "اینکه") and k > i:
            m = k + 1  # a relative clause: on past its verb
            while m < n and s.word_keys[m] not in HARD_STOPS and (s.verbs[m] is None or s.verbs[m].tense == "participle"):
                m += 1
            if m >= n or s.word_keys[m] in HARD_STOPS:
                return None
            k = m + 1
            continue
        v = s.verbs[k]
        if v is not None and v.tense != "participle":
            return v if v.tense in ("subj", "present", "future") else None
        k += 1
    return None


# ============================================================================ context


@dataclass(frozen=True)
class Person:
    id: str
    name: str | None
    title: str | None
    organization: str | None
    organization_id: str | None


@dataclass(frozen=True)
class Body:
    id: str | None
    name: str


@dataclass
class Context:
    """What the other stages know, in the shape this stage needs; every part may be empty."""

    people: dict[str, Person] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    body_spans: list[tuple[int, int, str]] = field(default_factory=list)  # mentions in doc.text, sorted
    person_spans: list[tuple[int, int, str]] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)  # the body sentences, for their speakers
    figures: list[dict] = field(default_factory=list)  # start, end, value, unit, id
    deadlines: list[dict] | None = None  # start, end, date, jalali (sorted); None: find them here
    deadline_starts: list[int] = field(default_factory=list)
    # Official id per body sentence, looked up when first needed: few sentences need one.
    speakers: dict[int, str | None] = field(default_factory=dict)

    def speaker_id(self, sentence: int) -> str | None:
        """The id of the official who says body sentence ``sentence`` (officials.speaker_of)."""
        if sentence not in self.speakers:
            try:
                found = officials.speaker_of(self.sentences[sentence]) if sentence < len(self.sentences) else None
            except Exception:  # a collaborator mid-change must not take this stage down
                found = None
            self.speakers[sentence] = found
        return self.speakers[sentence]

    def speaker(self, sentence: int) -> Person | None:
        pid = self.speaker_id(sentence)
        return self.people.get(pid) if pid else None

    def mention_end(self, start: int) -> tuple[int, str | None, str | None]:
        """The end of the longest body or official mention that starts at ``start``, and its ids."""
        best = (start, None, None)
        for spans, kind in ((self.body_spans, "body"), (self.person_spans, "person")):
            i = bisect_left(spans, (start, -1, ""))
            while i < len(spans) and spans[i][0] == start:
                if spans[i][1] > best[0]:
                    best = (spans[i][1], spans[i][2] if kind == "body" else None, spans[i][2] if kind == "person" else None)
                i += 1
        return best

    def overlapping(self, spans: list[tuple[int, int, str]], start: int, end: int) -> list[tuple[int, int, str]]:
        """Mentions that overlap [start, end) (mentions are short: look 300 characters back)."""
        found = []
        for i in range(bisect_left(spans, (start - 300, -1, "")), len(spans)):
            if spans[i][0] >= end or len(found) >= 20:
                break
            if start < spans[i][1]:
                found.append(spans[i])
        return found


@dataclass
class Found:
    """A commitment; offsets in ``doc.text``."""

    kind: str
    rule: str
    sentence: int  # index of the body sentence
    first: int  # words [first, last] of the evidence in its sentence
    last: int
    cue_first: int
    cue_last: int
    start: int = 0
    end: int = 0
    cue_start: int = 0
    cue_end: int = 0
    negated: bool = False
    actor: str | None = None
    actor_id: str | None = None
    action: tuple[int, int] | None = None  # words [a, b] of the action phrase
    action_span: tuple[int, int] | None = None  # the same in doc.text offsets
    speaker_id: str | None = None
    speaker: str | None = None
    deadline: dict | None = None
    figures: list[str] = field(default_factory=list)
    grammatical: bool = False
    person: str = ""  # person of the clause's verb ("3pl")
    governs: bool = False  # the cue opens a clause it governs: inner cues belong to it


@dataclass
class TargetFound:
    start: int
    end: int
    value: float | int | None
    unit: str | None
    figure: str | None
    deadline: dict | None
    actor: str | None
    actor_id: str | None
    commitment: int | None  # index into the commitments


# ============================================================================ noun phrases


def _singulars(word: str) -> Iterable[str]:
    yield word
    for suffix in ("های", "ها"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            yield word[: -len(suffix)]
    if word.endswith("گان") and len(word) > 4:
        yield word[:-3] + "ه"
    if word.endswith(("ان", "ین")) and len(word) > 3:
        yield word[:-2]


def noun_phrase(s: Sentence, i: int, limit: int, ctx: Context | None = None) -> tuple[int, int]:
    """The noun phrase that starts at word ``i`` and ends before ``limit``: words [i, j)."""
    n = min(limit, len(s.word_keys), i + 16)
    if i >= n:
        return i, i
    known = i
    if ctx is not None:
        # A body or an official named in the document may hold commas ("وزارت علوم، تحقیقات و فناوری").
        end, _, _ = ctx.mention_end(s.word_starts[i])
        while known < n and s.word_ends[known] <= end:
            known += 1
    stops = words("np_stop")
    quantifiers = words("quantifier")
    j = i
    while j < n:
        key = s.word_keys[j]
        if key in stops and not (j == i and key in quantifiers):
            break
        if key in ("این", "آن", "همین", "همان") and j > i:
            break  # a demonstrative opens the next phrase ("وزارت علوم این درخواست را")
        v = s.verbs[j]
        if v is not None and v.tense != "participle":
            break
        if key in ("می", "نمی") or key in FUTURE_AUX or key[1:] in FUTURE_AUX:
            break
        if not key.isalpha():
            break
        if key == "و" and (j == i or j + 1 >= n or s.word_keys[j + 1] in stops or not s.word_keys[j + 1].isalpha()):
            break
        j += 1
    while j > i and s.word_keys[j - 1] in ("و", "،"):
        j -= 1
    # "کارگروهی با حضور نمایندگان بانک‌ها و اتاق بازرگانی": a group named by who sits in it.
    if j > i and j + 2 < n and _head(s, i, j)[0].rstrip("ی") in GROUPS and (
        (s.word_keys[j] == "با" and s.word_keys[j + 1] == "حضور") or (s.word_keys[j] in ("متشکل", "مرکب") and s.word_keys[j + 1] == "از")
    ):
        _, k = noun_phrase(s, j + 2, limit, ctx)
        if k > j + 2:
            j = k
    # A body or an official the document names is the phrase, unless the words after it
    # are glued to it ("بیمارستان‌های دولتی ...": the plural of a generic noun).
    if known > i and (known >= n or not s.word_joined[known]):
        return i, known
    return i, j


GROUPS = frozenset("کارگروه کمیته کمیسیون ستاد هیئت هیات تیم گروه شورا".split())


def _head(s: Sentence, i: int, j: int) -> list[str]:
    keys = s.word_keys[i:j]
    while len(keys) > 1 and keys[0] in words("quantifier"):
        keys = keys[1:]
    return keys


def is_agent(s: Sentence, i: int, j: int, ctx: Context | None = None) -> bool:
    """Whether the noun phrase [i, j) names someone who can act."""
    keys = _head(s, i, j)
    if not keys or keys[0] == "هیچ":
        return False
    if len(keys) == 1 and keys[0] in words("pronoun_we") | words("pronoun_i") | words("pronoun_speaker"):
        return True
    heads = words("actor_head")
    for length in (3, 2, 1):
        if len(keys) >= length:
            for last in _singulars(keys[length - 1]):
                if " ".join(keys[: length - 1] + [last]) in heads:
                    return True
    if ctx is not None:
        start, end = s.word_starts[i], s.word_ends[j - 1]
        for a, b, _ in ctx.overlapping(ctx.body_spans, start, end) + ctx.overlapping(ctx.person_spans, start, end):
            if a <= start < b:  # the phrase starts inside a mention of a body or an official
                return True
    return False


# ============================================================================ cues


@dataclass
class Match:
    cue: Cue
    first: int  # words [first, last]
    last: int
    groups: dict[str, tuple[int, int]]  # captured words [a, b)


def match_cues(s: Sentence) -> tuple[list[Match], list[Match]]:
    """The cue matches and the block matches of a sentence."""
    found, blocks = [], []
    by_anchor, always = _cues_by_anchor()
    candidates = set(always)
    for key in by_anchor.keys() & s.word_keys:  # the anchors the sentence holds
        candidates.update(by_anchor[key])
    all_cues = cues()
    for index in sorted(candidates):
        cue = all_cues[index]
        for m in cue.regex.finditer(s.keys):
            first, end = _word_range(s.starts, m.start(), m.end())
            if end <= first:
                continue
            groups = {}
            for name, value in m.groupdict().items():
                if value:
                    groups[name] = _word_range(s.starts, *m.span(name))
            (blocks if cue.kind == "block" else found).append(Match(cue, first, end - 1, groups))
    return found, blocks


# ============================================================================ narrowing


# Words that open a present verb (find_verbs). A sentence whose only words of
# commitment_words they are can only give a grammatical promise, which needs more.
PRESENT_OPENERS = frozenset(["می", "نمی"])


@cache
def commitment_words() -> frozenset[str] | None:
    """Words one of which a sentence must hold to give a commitment or a target of needed
    money; None when some cue needs no word (then every sentence must be read).

    A cue needs one of its anchors; a grammatical rule a future or a present verb, which
    opens with a future auxiliary or "می"/"نمی" (:func:`find_verbs`); a target of needed
    money a "need_cue" phrase. A sentence in a list of decisions is read whatever it holds.
    """
    found = _words_beside_present()
    return None if found is None else found | PRESENT_OPENERS


@cache
def _words_beside_present() -> frozenset[str] | None:
    """:func:`commitment_words` but for the openers of a present verb (unless a cue is
    anchored on one): a sentence with none of them gives at most a present promise."""
    found = set(_FUTURE_AUX_FORMS)
    for cue in cues():
        if cue.kind == "block":
            continue  # a block phrase only stops what something else found
        if cue.anchors is None:
            return None
        found |= cue.anchors
    return frozenset(found | _need_words())


@cache
def _need_words() -> frozenset[str]:
    """Of each need_cue phrase, the word most phrases share ("نیاز"), not a ubiquitous one."""
    needs = phrases("need_cue")
    shared = Counter(word for ws in needs for word in set(ws))
    return frozenset(max(ws, key=lambda word: (word not in _UBIQUITOUS, shared[word], len(word))) for ws in needs)


@cache
def first_person_presents() -> frozenset[str]:
    """The forms that make "می"/"نمی" before them a first-person present ("می‌کنیم")."""
    return frozenset(w for w, form in verb_forms().items() if form.tense in ("subj", "stative") and form.person in ("1sg", "1pl"))


@cache
def present_promise_words() -> frozenset[str]:
    """Words one of which a sentence must hold for a present verb in the third person to be
    a promise (:func:`_grammatical`): such a verb needs a future marker or a deadline in its
    clause (or a promise before it, which needs one too). A word of each future_marker
    phrase, and the words one of which each phrase of :func:`deadline_phrases` holds. A
    deadline of the figures stage is checked apart (it may hold none of them)."""
    return frozenset(max(ws, key=_rarity) for ws in phrases("future_marker")) | DEADLINE_WORDS


class _Searches(NamedTuple):
    """Searches in folded text, for whole words (see :func:`_narrowing_searches`)."""

    any_word: Callable[..., Any]  # a word of commitment_words
    beside_present: Callable[..., Any]  # a word of _words_beside_present
    promising: Callable[..., Any]  # a word of present_promise_words
    # "می"/"نمی" and the word after it when it ends in "م" (as a first-person present does)
    present_verbs: Callable[..., Any]


@cache
def _narrowing_searches() -> _Searches | None:
    """The searches of :func:`may_hold_commitment`; None when every sentence must be read.

    A word of :func:`tokenize` is neither preceded by a letter or a mark nor followed by a
    letter, a mark or a digit (folding keeps letters letters), so a sentence whose words
    hold one of them holds a match; a match inside a longer word only costs a useless full
    read. The standard ``re``, several times faster than ``regex`` here (and faster without
    the look-ahead of :func:`normalize.scanning_for`, as most letters start some word). Its
    classes hold the characters of ``_COMMON_BLOCKS`` that ``regex`` counts as letters,
    marks and digits; a character outside the blocks rules nothing out."""
    everything, beside_present = commitment_words(), _words_beside_present()
    if everything is None or beside_present is None:
        return None
    before, after = _common_class(r"[\p{L}\p{M}]"), _common_class(r"[\p{L}\p{M}\p{N}]")

    def search(words: Iterable[str], then: str = "") -> re.Pattern:
        return re.compile(f"(?<![{before}])(?:{_alternation(sorted(words))}){then}(?![{after}])")

    gap = "".join(re.escape(c) for c in _gap_characters())
    return _Searches(
        search(everything).search,
        search(beside_present).search,
        search(present_promise_words()).search,
        search(PRESENT_OPENERS, f"[{gap}]+([{after}]*م)").finditer,
    )


def _alternation(words: list[str]) -> str:
    """A regex that matches exactly ``words``, its branches factored by their leading
    characters ("م(?:قرر|وظف)"): ``re`` tries the branches of an alternation one by one,
    and here only those that start with the character at hand get past their first."""
    rests: dict[str, list[str]] = {}
    for word in words:
        if word:
            rests.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(char) + _alternation(rest) for char, rest in sorted(rests.items())]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{group})?" if "" in words else group


@cache
def _gap_characters() -> str:
    """The characters of a gap between words (see ``_GAP_AND_WORD``): what ``regex`` counts
    as whitespace, and ZWNJ. Unicode has no whitespace outside the Basic Multilingual Plane."""
    every = "".join(map(chr, range(0x10000)))
    return "".join(regex.findall(r"[\s\u200c]", every))


def may_hold_commitment(folded: str, deadline: bool = False) -> bool:
    """Whether reading a sentence (not in a list of decisions; ``folded`` by ``_fold_keys``;
    ``deadline``: a deadline of the figures stage starts in it) may find anything: its last
    word may be ":", which opens a list of decisions; it holds a word of
    :func:`commitment_words` other than "می"/"نمی"; or a present verb that may be a
    promise: in the first person, or with a deadline or a word of
    :func:`present_promise_words`. More than half the sentences of a report are none of
    these: they are not even tokenized."""
    searches = _narrowing_searches()
    if searches is None:
        return True
    if folded.rstrip(_gap_characters())[-1:] == ":":
        return True
    found = searches.any_word(folded)
    if found is None:
        return False
    if found.group() not in PRESENT_OPENERS or searches.beside_present(folded, found.end()) is not None:
        return True  # (no word of commitment_words starts before the end of the first one found)
    # A present verb ("می‌رسد"), and nothing else that may give a commitment.
    if deadline or searches.promising(folded) is not None:
        return True
    first_persons = first_person_presents()
    return any(verb.group(1) in first_persons for verb in searches.present_verbs(folded))


@cache
def _future_or_need_words() -> frozenset[str]:
    return frozenset(_FUTURE_AUX_FORMS) | _need_words()


def _may_give_without_cue(keys: list[str], deadline: bool) -> bool:
    """Whether a sentence (not in a list of decisions) where no cue matches may still give
    something: a future verb, a present one that may be a promise (see
    :func:`may_hold_commitment`; ``deadline``: a deadline of the figures stage starts in
    it), a need_cue phrase. Many sentences hold a cue's anchor and no match ("قرار",
    "برنامه"): they are not parsed."""
    if not _future_or_need_words().isdisjoint(keys):
        return True
    if PRESENT_OPENERS.isdisjoint(keys):
        return False
    if deadline or not present_promise_words().isdisjoint(keys):
        return True
    first_persons = first_person_presents()
    return any(key in PRESENT_OPENERS and after in first_persons for key, after in zip(keys, keys[1:]))


# ============================================================================ finding


def find_all(text: str, sentences: list[tuple[int, int]], ctx: Context | None = None) -> tuple[list[Found], list[TargetFound]]:
    """Commitments and targets of a text; ``sentences`` are the body sentences' [start, end)."""
    ctx = ctx or Context()
    # Folding maps a character to at most one (see tokenize): unless a kashida was dropped,
    # a sentence folded is the folded text at the sentence's offsets.
    folded_text = _fold_keys(text)
    same_offsets = len(folded_text) == len(text)
    analysed: list[Sentence | None] = []  # None: a sentence not read (see may_hold_commitment)
    commitments: list[Found] = []
    in_decisions = False
    seen_item = False
    previous_end = 0
    for index, (start, end) in enumerate(sentences):
        new_paragraph = "\n" in text[previous_end:start] or index == 0
        # The list of a meeting's decisions runs from a heading "مصوبات:" to the next heading
        # (one in the headline counts too).
        gap = [line for line in text[previous_end:start].splitlines() if line.strip()]
        previous_end = end
        heading = bool(gap) and gap[-1].rstrip().endswith(":")
        folded = folded_text[start:end] if same_offsets else _fold_keys(text[start:end])
        deadline = bisect_left(ctx.deadline_starts, start) < bisect_left(ctx.deadline_starts, end)
        if not (in_decisions or heading or may_hold_commitment(folded, deadline)):
            analysed.append(None)  # nothing to find here, and the list state stays as it is
            continue
        s = sentence(tokenize(text[start:end], start, folded), index)
        keys = s.word_keys
        cue_matches = match_cues(s)
        if not (in_decisions or heading or keys[-1:] == [":"] or cue_matches[0] or _may_give_without_cue(keys, deadline)):
            analysed.append(None)  # as above
            continue
        analysed.append(parse(s))
        if in_decisions and new_paragraph:
            if s.list_item:
                seen_item = True
            elif seen_item:
                in_decisions = False  # the numbered list is over
        if heading:
            in_decisions, seen_item = _decisions_heading(gap[-1]), s.list_item
        if not keys:
            continue
        if keys[-1] == ":":
            in_decisions, seen_item = _decisions_heading(text[start:end]), False
        s.in_decisions = in_decisions and keys[-1] != ":"
        for f in find_in_sentence(text, s, ctx, cue_matches):
            f.first, f.last = _without_edge_marks(s.word_keys, f.first, f.last)
            f.start, f.end = s.word_starts[f.first], s.word_ends[f.last]
            f.cue_start, f.cue_end = s.word_starts[f.cue_first], s.word_ends[f.cue_last]
            commitments.append(f)
    commitments = _dedupe(text, commitments)
    for f in commitments:
        s = analysed[f.sentence]
        if f.action is not None:
            a, b = _without_edge_marks(s.word_keys, max(f.action[0], f.first), min(f.action[1], f.last))
            if b >= a:
                f.action_span = (s.word_starts[a], s.word_ends[b])
        f.deadline = _deadline_in(text, s, f.first, f.last, ctx, f.kind)
        _set_speaker(s, f, ctx)
    targets = find_targets(text, analysed, commitments, ctx)
    return commitments, targets


# Marks that separate clauses: at the edge of a clause they belong to none. Quotes and
# brackets are not among them: each pairs with one inside ("«...» به حل ...", "(عج)").
_SEPARATORS = frozenset("،,؛;:.-–—!?؟…")


def _without_edge_marks(keys: list[str], first: int, last: int) -> tuple[int, int]:
    """Words [first, last] without the separators at either end: a cue's comma ("مقرر شد،
    ...") belongs to neither the cue's clause nor the action after it."""
    while first < last and _SEPARATORS.issuperset(keys[first]):
        first += 1
    while last > first and _SEPARATORS.issuperset(keys[last]):
        last -= 1
    return first, last


def _decisions_heading(line: str) -> bool:
    keys = _keys(line)[-6:]
    return any(k.rstrip(":") in words("decisions_header") for k in keys)


def find_commitments(text: str, sentences: list[tuple[int, int]], ctx: Context | None = None) -> list[Found]:
    return find_all(text, sentences, ctx)[0]


def find_in_sentence(text: str, s: Sentence, ctx: Context, cue_matches: tuple[list[Match], list[Match]] | None = None) -> list[Found]:
    """The commitments of a parsed sentence (``cue_matches``: ``match_cues(s)``, when at hand)."""
    matches, blocks = cue_matches or match_cues(s)
    blocked = [(b.first, b.last) for b in blocks]
    in_block = [0] * (len(s.word_keys) + 1)  # prefix counts of words inside a block
    marks = [False] * len(s.word_keys)
    for a, b in blocked:
        for k in range(a, b + 1):
            marks[k] = True
    for k, marked in enumerate(marks):
        in_block[k + 1] = in_block[k] + marked
    s.in_block = in_block
    matches = [m for m in matches if in_block[m.last + 1] == in_block[m.first]]
    # Of overlapping matches the longest ("از X درخواست کرد" over "درخواست کرد").
    matches.sort(key=lambda m: (m.first, -(m.last - m.first)))
    kept: list[Match] = []
    reach = -1
    for m in matches:
        if m.first > reach:
            kept.append(m)
            reach = m.last
    s.cue_starts = [m.first for m in kept]
    found: list[Found] = []
    prefixes: list[Match] = []
    for m in kept:
        made = _from_cue(text, s, m, ctx, kept)
        if not made and m.cue.rule in ("mosavabe", "mou"):
            prefixes.append(m)
        found.extend(made)
    found.extend(_grammatical(text, s, ctx, blocked, found))
    if not found and s.in_decisions and not blocked:
        found.extend(_decision_item(text, s, ctx))
    # "مطابق مصوبه ستاد ... مقرر است ...": the prefix opens the commitment it introduces.
    for m in prefixes:
        nxt = min((f for f in found if f.first > m.last and f.first - m.last <= 15), key=lambda f: f.first, default=None)
        if nxt is not None and not _has_verb(s, m.last + 1, nxt.first):
            nxt.first = m.first
    # A cue inside the clause governed by an earlier cue belongs to that commitment.
    found.sort(key=lambda f: (f.cue_first, f.first))
    result: list[Found] = []
    governing: Found | None = None  # the governing commitment that reaches furthest so far
    for f in found:
        if governing is not None and governing.cue_last < f.cue_first <= governing.last:
            continue
        result.append(f)
        if f.governs and (governing is None or f.last > governing.last):
            governing = f
    # "ادارات استان باید ... تنظیم کنند و پس از ساعت ۱۳ نباید ... استفاده کنند": a clause
    # joined by "و" with no subject of its own and a verb of the same person shares the subject.
    for previous, f in zip(result, result[1:]):
        if f.actor is not None or f.kind == "decision" or f.person not in ("3pl", "1pl"):
            continue
        if previous.actor is not None and previous.person == f.person and previous.last < f.first and _joined_to(s, previous.last, f.first):
            a, b = noun_phrase(s, f.first, f.cue_first, ctx)
            if b <= a or not is_agent(s, a, b, ctx) and not _object(s, b):
                f.actor, f.actor_id = previous.actor, previous.actor_id
    return result


def _new(kind: str, rule: str, s: Sentence, first: int, last: int, cue: tuple[int, int], negated: bool = False,
         grammatical: bool = False) -> Found:
    return Found(kind, rule, s.index, first, last, cue[0], cue[1], negated=negated, grammatical=grammatical)


def _evidence_start(s: Sentence, at: int, own: tuple[int, int]) -> int:
    return skip_openers(s, clause_start(s, at, own), at)


def _from_cue(text: str, s: Sentence, m: Match, ctx: Context, matches: list[Match]) -> list[Found]:
    cue, keys, n = m.cue, s.word_keys, len(s.word_keys)
    kind, rule, shape = cue.kind, cue.rule, cue.shape
    own = (m.first, m.last)

    if shape == "final":
        start = _evidence_start(s, m.first, own)
        if start >= m.first and rule in ("tasvib", "movafeqat"):
            # The cue opens its clause and governs a verb ("تصویب شد مبلغ ... اختصاص یابد").
            v = governed_verb(s, m.last + 1)
            if v is not None:
                f = _new(kind, rule, s, m.first, v.last, own, negated=v.negative)
                f.governs = True
                _actor_after(s, f, m.last + 1, v, ctx, text)
                return [f, *_coordinated(text, s, f, v, ctx, matches)]
        if m.last + 1 < n and keys[m.last + 1] == ":":
            return []  # "موارد زیر به تصویب رسید:" opens the list of decisions
        start = min(start, m.first)
        f = _new(kind, rule, s, start, m.last, own)
        f.action = (start, m.first - 1) if start < m.first else (m.first, m.last)
        if "holder" in m.groups:
            _holder(text, s, f, *m.groups["holder"], ctx)
        elif rule == "mou_signed":
            _parties(text, s, f, start, m.last)
        elif rule == "bar_ohde":
            a, b = noun_phrase(s, start, m.first, ctx)
            if b > a and is_agent(s, a, b, ctx):
                _set_actor(text, s, f, a, b, ctx)
                f.action = (b, m.last)
            elif _pronoun_person(s, m.first, m.last):
                f.actor = _pronoun_actor(s, "1sg" if _pronoun_person(s, m.first, m.last) == "1sg" else "1pl", ctx)
        return [f]

    if shape == "open":
        end = m.last
        if m.last + 1 < n and keys[m.last + 1] == "که":
            v = governed_verb(s, m.last + 1)
            if v is not None:
                end = v.last
        first = m.first
        if rule == "khastar" and m.last == m.first + 1 and first > 0 and keys[first - 1] == "را":
            first = _evidence_start(s, m.first, own)  # "... را خواستار شد": the request is before
        f = _new(kind, rule, s, first, end, own)
        f.governs = True
        if rule == "khastar" and first < m.first:
            f.action = (first, m.first - 2)
            return [f]
        if rule == "khastar":
            _requested(text, s, f, m.first + 1, m.last, ctx)
            if end > m.last and f.actor is None:
                a, b = noun_phrase(s, m.last + 2, end, ctx)
                if b > a and is_agent(s, a, b, ctx):
                    _set_actor(text, s, f, a, b, ctx)
            f.action = (m.first + 1, m.last - 1) if end == m.last else (m.last + 2, end)
        else:
            f.action = (m.first, end)
        return [f]

    v = governed_verb(s, m.last + 1)
    if shape == "govern":
        if v is None:
            return []
        start = m.first
        if "addressee" in m.groups:
            a, b = m.groups["addressee"]
            # "از مسئولان ... از وزیر نیرو درخواست کرد": the last "از" opens the addressee.
            for k in range(b - 1, a - 1, -1):
                if keys[k] == "از":
                    start, a = k, k + 1
                    break
            f = _new(kind, rule, s, start, v.last, own, negated=v.negative)
            _set_actor(text, s, f, a, b, ctx)
            f.action = (m.last + 1, v.last)
        else:
            f = _new(kind, rule, s, start, v.last, own, negated=v.negative)
            _actor_after(s, f, m.last + 1, v, ctx, text)
            if rule in ("omidvari", "omidvarim", "entezar") and (f.actor is None or v.person in ("1pl", "1sg")):
                return []  # a hope with no one asked to act ("امیدواریم خسارتی به وجود نیامده باشد")
        f.governs = True
        f.person = v.person
        return [f, *_coordinated(text, s, f, v, ctx, matches)]

    # shape == "subject": the subject before the cue, the verb after it.
    if v is None:
        return []
    start = _evidence_start(s, m.first, own)
    f = _new(kind, rule, s, start, v.last, own, negated=rule == "nabayad" or v.negative)
    f.governs = rule in ("qol", "vade", "taahod", "motahhed")
    f.action = (m.last + 1, v.last)
    f.person = v.person
    a, b = _subject(s, start, m.first, ctx)
    subject_is_agent = b > a and is_agent(s, a, b, ctx)
    if rule in ("qol", "vade", "taahod", "motahhed"):
        # The promiser, unless the promise names its own actor ("اکبری متعهد شد ساتبا ... منعقد کند").
        c, d = noun_phrase(s, m.last + 1, v.first, ctx)
        # "[promiser] متعهد شد [subject] تا پایان سال ... را ... منعقد کند": a short phrase, then an
        # adverbial, then an object of its own: the promised clause's own subject.
        own_subject = (
            d > c and d - c <= 4 and d < v.first and s.word_keys[d] in words("np_stop") - {"را"} and not _passive(s, v)
        )
        if d > c and is_agent(s, c, d, ctx) and not _pronoun(s, c, d) or own_subject and _has_object(s, d, v.first):
            _set_actor(text, s, f, c, d, ctx)
        elif b > a:
            _set_actor(text, s, f, a, b, ctx)
        elif ctx.speaker(s.index) is not None and ctx.speaker(s.index).name:
            f.actor, f.actor_id = ctx.speaker(s.index).name, ctx.speaker(s.index).id
    elif rule == "movazzaf":
        if b > a:
            _set_actor(text, s, f, a, b, ctx)
    elif rule == "lazem" and not subject_is_agent:
        c, d = noun_phrase(s, m.last + 1, v.first, ctx)
        if d > c and is_agent(s, c, d, ctx):
            _set_actor(text, s, f, c, d, ctx)
            f.action = (d, v.last)
    elif subject_is_agent:  # "ما باید ...": the speaker's body
        _set_actor(text, s, f, a, b, ctx)
    return [f, *_coordinated(text, s, f, v, ctx, matches)]


def _subject(s: Sentence, start: int, cue: int, ctx: Context, adjacent: bool = True) -> tuple[int, int]:
    """The subject of a clause whose cue is at word ``cue``: the noun phrase at the clause
    start, else after a fronted adverbial ("بر اساس برنامه، شرکت ... موظف است"), else the
    one right before the cue ("... در اجرای طرح‌ها، دستگاه‌ها لازم است ...")."""
    a, b = noun_phrase(s, start, cue, ctx)
    if b > a and not _object(s, b) and is_agent(s, a, b, ctx):
        return a, b
    if b == cue:
        return a, b  # the phrase right before the cue is the subject, one that cannot act
    for k in range(cue - 1, start, -1):
        if s.word_keys[k] in ("،", ","):
            if not _has_verb(s, start, k):
                c, d = noun_phrase(s, k + 1, cue, ctx)
                if d > c and not _object(s, d) and is_agent(s, c, d, ctx):
                    return c, d
            break
    # A passive with its agent: "... توسط شهرداران ... باید ایجاد شود".
    agent_markers, keys = _by_first_word("passive_agent"), s.word_keys
    for k in range(start, cue):
        for ws in agent_markers.get(keys[k], ()):
            if tuple(keys[k : k + len(ws)]) == ws:
                c, d = noun_phrase(s, k + len(ws), cue, ctx)
                if d > c and is_agent(s, c, d, ctx):
                    return c, d
    if not adjacent:
        return a, b
    c = cue
    stops = words("np_stop")
    while c > start and s.word_keys[c - 1].isalpha() and s.word_keys[c - 1] not in stops and (
        s.verbs[c - 1] is None or s.verbs[c - 1].tense == "participle"
    ):
        c -= 1
    if c < cue and (c == start or s.word_keys[c - 1] not in stops) and is_agent(s, c, cue, ctx):
        return noun_phrase(s, c, cue, ctx)
    return a, b


def _pronoun(s: Sentence, a: int, b: int) -> bool:
    return b - a == 1 and s.word_keys[a] in words("pronoun_speaker") | words("pronoun_i") | words("pronoun_we")


def _pronoun_person(s: Sentence, first: int, last: int) -> str | None:
    for key in s.word_keys[first : last + 1]:
        if key.endswith("یم"):
            return "1pl"
        if key.endswith("م"):
            return "1sg"
    return None


def _pronoun_actor(s: Sentence, person: str, ctx: Context) -> str | None:
    speaker = ctx.speaker(s.index)
    if speaker is None:
        return None
    return speaker.organization if person == "1pl" else speaker.name


def _coordinated(text: str, s: Sentence, f: Found, v: Verb, ctx: Context, matches: list[Match]) -> list[Found]:
    """Clauses joined by "و" under the same cue ("... اختصاص یابد و سازمان ... ارائه کند").

    A clause with an actor of its own is a commitment of its own; one without grows the
    evidence to its verb ("... تشکیل شود و نتیجه را ... گزارش کند").
    """
    extra: list[Found] = []
    current = f
    keys, n = s.word_keys, len(s.word_keys)
    k = v.last + 1
    for _ in range(6):
        if k >= n or keys[k] not in ("و", "،"):
            break
        j = k + 1
        if j < n and keys[j] == "و":
            j += 1
        w = governed_verb(s, j, complementizer=False)
        if w is None or w.tense != v.tense:
            break
        if bisect_left(s.cue_starts, j) < bisect_left(s.cue_starts, w.first):
            break  # a cue of its own: its own commitment
        if any(key in words("np_stop") and key in ("باید", "نباید") for key in keys[j : w.first]):
            break
        a, b = noun_phrase(s, j, w.first, ctx)
        if b > a and is_agent(s, a, b, ctx) and (current.actor is None or _fold(text[s.word_starts[a] : s.word_ends[b - 1]]) != _fold(current.actor)):
            g = _new(f.kind, f.rule, s, j, w.last, (f.cue_first, f.cue_last), negated=w.negative)
            _set_actor(text, s, g, a, b, ctx)
            g.action = (b, w.last)
            extra.append(g)
            current = g
        else:
            current.last = w.last
            if current.action:
                current.action = (current.action[0], w.last)
        k = w.last + 1
    return extra


def _grammatical(text: str, s: Sentence, ctx: Context, blocked: list[tuple[int, int]], found: list[Found]) -> list[Found]:
    """Promises that need no cue word: the future tense, a present with a deadline, the first person."""
    results: list[Found] = []
    covered = [False] * len(s.word_keys)
    for f in found:
        for k in range(f.first, f.last + 1):
            covered[k] = True
    hard_bounds = [b for b in s.bounds if s.bound_type[b] == "hard"]
    stative = words("stative_verb")
    last_promise = -1
    for v in [v for v in s.verbs if v is not None]:
        if v.tense not in ("future", "present") or covered[v.first]:
            continue
        first_person = v.person in ("1pl", "1sg")
        # What the verb alone rules out, checked before its clause is looked at: an ability
        # ("بهتر خواهیم توانست"), a present neither in the first person nor a positive third.
        if v.stem in stative:
            continue
        if v.tense == "present" and not first_person and (v.person not in ("3sg", "3pl") or v.negative):
            continue
        k = bisect_right(hard_bounds, v.first) - 1
        hard = max(hard_bounds[k] if k >= 0 else 0, v.first - MAX_CLAUSE)
        if s.in_block and s.in_block[v.last + 1] > s.in_block[hard]:
            continue  # a forecast, an ability, hearsay
        start = _evidence_start(s, v.first, (v.first, v.last))
        keys = s.word_keys[start : v.last + 1]
        has_future = _contains(keys, "future_marker") or _has_deadline(s, start, v.last, ctx)
        has_past = _contains(keys, "past_marker")
        joined = last_promise >= 0 and _joined_to(s, last_promise, start)
        plan = _plan_predicate(s, v, start)
        if v.tense == "future":
            if v.stem in ("بود", "داشت") and not has_future:
                continue  # "نقش مهمی خواهد داشت": a view, not an action
            rule = "future"
        elif first_person:
            if has_past:
                continue
            if not (has_future or plan) and not (v.negative and _pledge_predicate(s, v, start)):
                continue  # "به پایان می‌آوریم": narration; "معطل نمی‌کنیم" is a pledge
            rule = "first_person"
        else:  # a positive present in the third person
            if has_past or not has_future and not joined:
                continue
            rule = "present_deadline"
        # Checked after the tense's own tests, which rule out most verbs more cheaply.
        if _forecast_subject(s, start, v.first) or _relative_of_noun(s, start):
            continue
        # The subject comes last: finding it costs the most, and a first person has none.
        agent = False
        if not first_person:
            a, b = _subject(s, start, v.first, ctx, adjacent=False)
            agent = b > a and is_agent(s, a, b, ctx) and not _passive(s, v) and not _object(s, b)
        if rule == "future" and not first_person and not agent and not (has_future and not v.negative) and not (plan and not v.negative) and not joined:
            continue  # "تحولی روی نخواهد داد": a forecast or a view
        if rule == "present_deadline" and not agent and not plan:
            continue  # "رژیم ... به زودی نابود می‌شود": a forecast
        f = _new("promise", rule, s, start, v.last, (v.first, v.last), negated=v.negative, grammatical=True)
        f.action = (start, v.last)
        f.person = v.person
        if agent:
            _set_actor(text, s, f, a, b, ctx)
            f.action = (b, v.last)
        elif first_person:  # "... را پرداخت خواهیم کرد": we, the speaker's body
            f.actor = _pronoun_actor(s, v.person, ctx)
            if f.actor is not None and v.person == "1pl":
                speaker = ctx.speaker(s.index)
                f.actor_id = speaker.organization_id if speaker else None
            elif f.actor is not None:
                f.actor_id = ctx.speaker_id(s.index)
        results.append(f)
        last_promise = v.last
    return results


def _relative_of_noun(s: Sentence, start: int) -> bool:
    """Whether the clause at ``start`` is a relative clause of a noun ("شغلی که امسال ... ایجاد
    می‌کند، ..."), not a clause after a verb ("... شغل است که دستگاه‌ها باید ...")."""
    if start < 2 or s.word_keys[start - 1] != "که":
        return False
    before = s.word_keys[start - 2]
    return before.isalpha() and s.verbs[start - 2] is None and before not in ("این", "آن")


def _plan_predicate(s: Sentence, v: Verb, start: int) -> bool:
    """Whether the verb is an administrative action ("برخورد خواهد شد", "اصلاح می‌شود",
    "به بهره‌برداری می‌رسد", "به ۲۶۰ عمل خواهد رسید")."""
    plans = words("plan_predicate")
    k = v.first - 1
    while k >= start and s.word_keys[k] in ("صورت", "انجام", "قرار") and k - 1 >= start and s.word_keys[k - 1].isalpha():
        if s.word_keys[k] == "انجام" and "انجام" in plans:
            return True
        k -= 1
    if k >= start:
        word = s.word_keys[k]
        pair = " ".join(s.word_keys[max(start, k - 1) : k + 1])
        if word in plans or pair in plans:
            return True
    # "به ۲۶۰ عمل خواهد رسید", "به ۳۰۰ تن افزایش می‌یابد": reaching a quantity
    if v.stem in ("رس", "رسید", "یاب", "یافت"):
        return any(
            s.word_keys[m] == "به" and any(_is_number(key) for key in s.word_keys[m + 1 : min(m + 3, v.first)])
            for m in range(start, v.first)
        )
    return False


def _deadlines_within(ctx: Context, start: int, end: int) -> list[dict]:
    starts = ctx.deadline_starts
    return ctx.deadlines[bisect_left(starts, start) : bisect_left(starts, end)] if ctx.deadlines else []


def _has_deadline(s: Sentence, first: int, last: int, ctx: Context) -> bool:
    start, end = s.word_starts[first], s.word_ends[last]
    if ctx.deadlines and _deadlines_within(ctx, start, end):
        return True
    return any(" ".join(s.word_keys[i:j]) not in ("سال آینده",) for i, j in deadline_phrases(s, first, last))


def _pledge_predicate(s: Sentence, v: Verb, start: int) -> bool:
    """"معطل نمی‌کنیم", "اجازه نمی‌دهیم", "کوتاه نمی‌آییم": a negative pledge."""
    return v.first - 1 >= start and s.word_keys[v.first - 1] in words("pledge_predicate") or v.stem in ("گذار",)


def _has_object(s: Sentence, i: int, j: int) -> bool:
    """Whether words [i, j) hold a direct object ("... را")."""
    return "را" in s.word_keys[i:j]


def _object(s: Sentence, b: int) -> bool:
    """Whether the noun phrase that ends before word ``b`` is an object ("... را")."""
    return b < len(s.word_keys) and s.word_keys[b] == "را"


def _joined_to(s: Sentence, verb_end: int, start: int) -> bool:
    """Whether the clause at ``start`` is joined by "و" to the one whose verb ends at ``verb_end``."""
    k = verb_end + 1
    while k < start and s.word_keys[k] in CONJUNCTIONS:
        k += 1
    return k == start and start > verb_end + 1


def _contains(keys: list[str], role: str) -> bool:
    """Whether the words ``keys`` hold a phrase of ``role``."""
    by_first = _by_first_word(role)
    if by_first.keys().isdisjoint(keys):
        return False
    return any(tuple(keys[i : i + len(ws)]) == ws for i, key in enumerate(keys) for ws in by_first.get(key, ()))


def _forecast_subject(s: Sentence, start: int, limit: int) -> bool:
    a, b = noun_phrase(s, start, limit)
    phrase = " ".join(s.word_keys[a:b])
    return any(phrase == p or phrase.startswith(p + " ") for p in words("forecast_subject"))


AGENTIVE_PREDICATES = frozenset("حاضر آماده مستقر وارد خارج موفق عازم اعزام".split())


def _passive(s: Sentence, v: Verb) -> bool:
    """A passive or a change of state: "افتتاح خواهد شد", "تخصیص می‌یابد", "به بهره‌برداری می‌رسد";
    not "حاضر خواهند شد" (to turn up), whose subject acts."""
    if v.stem not in ("شد", "شو", "یافت", "یاب", "گردید", "گرد", "رسید", "رس"):
        return False
    return not (v.first > 0 and s.word_keys[v.first - 1] in AGENTIVE_PREDICATES)


def _decision_item(text: str, s: Sentence, ctx: Context) -> list[Found]:
    """An item of a meeting's decisions that ends in a bare subjunctive ("... افزایش یابد")."""
    last = len(s.word_keys) - 1
    while last >= 0 and s.word_keys[last] in HARD_STOPS:
        last -= 1
    v = s.verbs[last] if last >= 0 else None
    if v is None or v.tense != "subj" or v.person not in ("3sg", "3pl") or v.negative:
        return []
    start = _evidence_start(s, v.first, (v.first, v.last))
    f = _new("decision", "decision_item", s, start, v.last, (v.first, v.last), grammatical=True)
    f.action = (start, v.last)
    a, b = noun_phrase(s, start, v.first, ctx)
    if b > a and is_agent(s, a, b, ctx):
        _set_actor(text, s, f, a, b, ctx)
        f.action = (b, v.last)
    return [f]


# ============================================================================ actors


def _set_actor(text: str, s: Sentence, f: Found, a: int, b: int, ctx: Context) -> None:
    b = _without_object(s, a, b, ctx)
    if b > a:
        f.actor, f.actor_id = resolve_actor(text, s, a, b, ctx)


NAMED_HEADS = frozenset("سازمان وزارت اداره شرکت بانک دانشگاه مرکز ستاد شورای کمیسیون کمیته دفتر معاونت صندوق بنیاد موسسه".split())


def _without_object(s: Sentence, a: int, b: int, ctx: Context) -> int:
    """Cut the object off a subject it runs into: "شهرداری گزارش آن را" -> "شهرداری",
    "اداره جهاد کشاورزی طرح تغییر الگوی کشت را" -> "اداره جهاد کشاورزی"."""
    keys, starts, joined = s.word_keys, s.word_starts, s.word_joined
    if b >= len(keys) or keys[b] not in ("را", "این", "آن") or ctx.mention_end(starts[a])[0] > starts[a]:
        return b
    heads = words("object_head")
    first = a + 1 if keys[a] not in NAMED_HEADS else a + 2
    for k in range(first, b):
        if keys[k] in heads and keys[k - 1] != "و" and not joined[k]:
            return k
    return b


def _actor_after(s: Sentence, f: Found, i: int, v: Verb, ctx: Context, text: str) -> None:
    """The subject of a governed clause, when it can act ("مقرر شد شهرداری ... ارائه کند")."""
    k = i + 1 if i < len(s.word_keys) and s.word_keys[i] == "که" else i
    a, b = noun_phrase(s, k, v.first, ctx)
    f.action = (k, v.last)
    if b > a and is_agent(s, a, b, ctx):
        _set_actor(text, s, f, a, b, ctx)
        f.action = (b, v.last)


def _requested(text: str, s: Sentence, f: Found, i: int, limit: int, ctx: Context) -> None:
    """Who is asked in "خواستار X شد": "از سوی|از طریق|توسط Y", or the agent of the action noun."""
    keys = s.word_keys
    for k in range(i, limit):
        key, nxt = keys[k], keys[k + 1] if k + 1 < limit else ""
        if (key == "از" and nxt in ("سوی", "طریق", "جانب")) or key == "توسط":
            a, b = noun_phrase(s, k + (2 if key == "از" else 1), limit, ctx)
            if b > a:
                _set_actor(text, s, f, a, b, ctx)
                return
    # "خواستار همکاری بیشتر شرکت آب ... با" / "خواستار حمایت بانک‌ها از ...": the genitive agent.
    k = i + 1
    while k < limit and keys[k] in ("بیشتر", "جدی", "ویژه", "فوری", "لازم", "همه", "جانبه"):
        k += 1
    if k < limit and keys[k] not in words("np_stop"):
        a, b = noun_phrase(s, k, limit, ctx)
        if b > a and is_agent(s, a, b, ctx):
            _set_actor(text, s, f, a, b, ctx)


MODIFIERS = frozenset("اصلی مهم مهمترین مهم‌ترین جدی ویژه نخست اول عمده ترین".split())


def _holder(text: str, s: Sentence, f: Found, a: int, b: int, ctx: Context) -> None:
    """Whose priority or agenda: "از اولویت‌های اصلی مدیریت ارشد استان است"."""
    while a < b and s.word_keys[a] in MODIFIERS:
        a += 1
    a, b = noun_phrase(s, a, b, ctx)
    if b > a:
        _set_actor(text, s, f, a, b, ctx)


def _parties(text: str, s: Sentence, f: Found, start: int, limit: int) -> None:
    """The parties of a memorandum: "تفاهم‌نامه‌ای میان X و Y برای ... امضا شد"."""
    keys, starts, ends = s.word_keys, s.word_starts, s.word_ends
    for k in range(start, limit):
        if keys[k] in ("میان", "بین"):
            j = k + 1
            while j < limit and keys[j] not in ("برای", "جهت", "در", "به", "با", "که") and s.verbs[j] is None:
                j += 1
            if j > k + 1:
                f.actor = text[starts[k + 1] : ends[j - 1]]
            return


def resolve_actor(text: str, s: Sentence, a: int, b: int, ctx: Context) -> tuple[str | None, str | None]:
    """The actor's text and id.

    "ما" is the speaker's body, "من"/"وی" the speaker; "این شرکت" the body meant; an
    office or a surname that one official of the document holds is that official's name.
    """
    starts, ends = s.word_starts, s.word_ends
    phrase = text[starts[a] : ends[b - 1]]
    keys = s.word_keys[a:b]
    speaker = ctx.speaker(s.index)
    if len(keys) == 1 and keys[0] in words("pronoun_we"):
        if speaker is not None and speaker.organization:
            return speaker.organization, speaker.organization_id
        return phrase, None
    if len(keys) == 1 and keys[0] in words("pronoun_i") | words("pronoun_speaker"):
        if speaker is not None and speaker.name:
            return speaker.name, speaker.id
        return phrase, None
    if keys[0] in ("این", "آن") and len(keys) >= 2:
        body = _antecedent(keys[1], starts[a], ctx, speaker)
        return (body.name, body.id) if body is not None else (phrase, None)
    start, end = starts[a], ends[b - 1]
    # An official's mention (an office, a surname, a name) that is the phrase: that official.
    for ms, me, pid in ctx.overlapping(ctx.person_spans, start, end):
        inside = max(0, min(me, end) - max(ms, start))
        if inside >= 0.6 * (end - start) and inside >= 0.6 * (me - ms):
            person = ctx.people.get(pid)
            if person is not None and person.name:
                return person.name, pid
    # An office that only one official of the document holds ("مدیرعامل", "دهیار").
    folded = keys
    if folded[0] in words("actor_head") and len(folded) <= 4:
        holders = set()
        for person in ctx.people.values():
            title = _fold(person.title or "").split()
            if person.name and title and title[0] == folded[0] and set(folded) <= set(title):
                holders.add(person.id)
        if len(holders) == 1:
            person = ctx.people[holders.pop()]
            return person.name, person.id
    for ms, me, bid in ctx.overlapping(ctx.body_spans, start, end):
        if ms == start or (ms <= start and end <= me):
            return phrase, bid
    return phrase, None


def _antecedent(head: str, position: int, ctx: Context, speaker: Person | None) -> Body | None:
    """The body "این شرکت" points at: the last one named before with that head word."""
    for k in range(bisect_left(ctx.body_spans, (position, -1, "")) - 1, -1, -1):
        body = ctx.bodies.get(ctx.body_spans[k][2])
        if body is not None and _fold(body.name).split()[:1] == [head]:
            return body
    if speaker is not None and speaker.organization and _fold(speaker.organization).split()[:1] == [head]:
        return Body(speaker.organization_id, speaker.organization)
    return None


def _set_speaker(s: Sentence, f: Found, ctx: Context) -> None:
    """The official who said it; none for the decisions of a body.

    A promise made by an official ("مدیرعامل متعهد شد ...") is said by that official,
    also in the list of a meeting's decisions.
    """
    if f.kind == "promise" and f.actor_id in ctx.people and not f.grammatical:
        person = ctx.people[f.actor_id]
        f.speaker_id, f.speaker = person.id, person.name
        return
    if s.in_decisions:
        return
    if f.kind == "decision" and not _reported(s, f.cue_first):
        return
    speaker = ctx.speaker(s.index)
    if speaker is not None:
        f.speaker_id, f.speaker = speaker.id, speaker.name


def _reported(s: Sentence, i: int) -> bool:
    """Whether word ``i`` is inside reported speech: after a verb of saying or a colon."""
    return any(key in (":", "«") for key in s.word_keys[:i]) or any(k < i for k in s.reporting)


# ============================================================================ dedupe


def _dedupe(text: str, found: list[Found]) -> list[Found]:
    """One commitment said twice (the lead and the body) is one: keep its fullest statement."""
    found = sorted(found, key=lambda f: (f.sentence, f.first, -f.last))
    result: list[Found] = []
    bags: list[set[str]] = []
    for f in found:
        bag = set(_keys(_text_of(text, f)))
        # A report says a thing again within a few dozen statements: look that far back.
        twin = next(
            (i for i in range(len(result) - 1, max(-1, len(result) - 60), -1) if result[i].kind == f.kind and _similar(bags[i], bag)),
            None,
        )
        if twin is None:
            result.append(f)
            bags.append(bag)
        elif len(bag) > len(bags[twin]):
            result[twin], bags[twin] = f, bag
    return sorted(result, key=lambda f: (f.sentence, f.first))


def _text_of(text: str, f: Found) -> str:
    return text[f.start : f.end] if f.end > f.start else ""


def _similar(a: set[str], b: set[str]) -> bool:
    if len(a) < 4 or len(b) < 4:
        return a == b
    return len(a & b) >= 0.8 * min(len(a), len(b)) and min(len(a), len(b)) >= 0.6 * max(len(a), len(b))


# ============================================================================ deadlines

MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
PERIODS = frozenset("روز هفته ماه سال دقیقه ساعت فصل".split())
DEADLINE_ANCHORS = frozenset("پایان آخر اول ابتدای نیمه انتهای".split())
# Words that open a phrase of deadline_phrases; "<number> <period> دیگر" is told by its period.
_DEADLINE_OPENERS = frozenset("ظرف طی در تا از قبل پیش امسال سال".split())
SEASONAL = frozenset("فصل پایان آغاز شروع موعد عید نوروز اربعین سال ماه".split()) | frozenset(MONTHS)


def _is_month(key: str) -> bool:
    return key in MONTHS or (key.endswith("ماه") and key[:-3] in MONTHS)


def _extend_time(s: Sentence, j: int, limit: int) -> int:
    """Past the words of a date or period ("سال 1403", "شهریور سال آینده", "ماه رمضان")."""
    keys = s.word_keys
    steps = 0
    while j < limit and steps < 5:
        key = keys[j]
        if _is_month(key) or key in PERIODS or key in ("جاری", "آینده", "بعد", "بعدی", "امسال", "رمضان", "برنامه", "هفتم", "ششم") or (key[:1].isdigit() and len(key) <= 4):
            j += 1
            steps += 1
            continue
        break
    return j


def deadline_phrases(s: Sentence, first: int, last: int) -> list[tuple[int, int]]:
    """Deadline phrases among words [first, last]: "تا پایان سال ۱۴۰۳", "ظرف ۱۰ روز",
    "تا دو ماه آینده", "امسال", "قبل از فصل گردشگری", "در جلسه آینده" ([i, j) ranges).

    A fallback for ``figures.find_deadlines``.
    """
    keys = s.word_keys
    limit = last + 1
    found: list[tuple[int, int]] = []
    i = first
    while i < limit:
        key = keys[i]
        nxt = keys[i + 1] if i + 1 < limit else ""
        if key not in _DEADLINE_OPENERS and nxt not in PERIODS:
            i += 1  # most words: no phrase below starts with them
            continue
        end = None
        if key in ("ظرف", "طی") or (key == "در" and nxt in ("مدت", "کمتر")) or (key == "تا" and nxt and _is_number(nxt)):
            j = i + 1
            while j < limit and j <= i + 4 and keys[j] not in PERIODS:
                j += 1
            if j < limit and keys[j] in PERIODS:
                after = keys[j + 1] if j + 1 < limit else ""
                if after not in ("اخیر", "گذشته", "قبل", "پیش") and (key != "تا" or after == "آینده"):
                    end = j + 2 if after in ("آینده", "دیگر") else j + 1
        elif key == "تا" and (nxt in DEADLINE_ANCHORS or _is_month(nxt) or nxt == "سال"):
            end = _extend_time(s, i + 2, limit)
        elif key == "تا" and nxt[:1].isdigit() and i + 2 < limit and _is_month(keys[i + 2]):
            end = _extend_time(s, i + 2, limit)
        elif key == "از" and (nxt in ("ابتدای", "اول", "آغاز") or _is_month(nxt)):
            end = _extend_time(s, i + 2, limit)
        elif key == "از" and nxt in ("هفته", "ماه", "سال") and i + 2 < limit and keys[i + 2] in ("آینده", "بعد"):
            end = i + 3
        elif key in ("قبل", "پیش") and nxt == "از" and i + 2 < limit and keys[i + 2] in SEASONAL:
            end = min(limit, i + 4)
        elif key == "در" and nxt == "جلسه" and i + 2 < limit and keys[i + 2] in ("آینده", "بعدی", "بعد"):
            end = i + 3
            if end < limit and keys[end] in ("کمیسیون", "شورا", "کارگروه", "ستاد", "هیئت"):
                end += 1
        elif nxt in PERIODS and _is_number(key) and i + 2 < limit and keys[i + 2] in ("دیگر", "آینده"):
            end = i + 3  # "شش هفته دیگر", "دو سال آینده"
        elif key == "امسال" or (key == "سال" and nxt == "جاری"):
            end = i + (1 if key == "امسال" else 2)
            if i > first and keys[i - 1] == "در":
                i -= 1
        if end is not None and end > i:
            if i > first and keys[i - 1] == "حداکثر":
                i -= 1
            found.append((i, min(end, limit)))
            i = end
            continue
        i += 1
    return found


# Words one of which every phrase of deadline_phrases holds (keep them in step): "ظرف"/"طی",
# "مدت"/"کمتر" ("در مدت ۱۰ روز"), "آینده" ("تا دو ماه آینده"), an anchor, a month or "سال"
# after "تا" or "از", "آغاز", "بعد" ("از هفته بعد"), "قبل"/"پیش", "جلسه", "دیگر", "امسال".
DEADLINE_WORDS = (
    frozenset("ظرف طی مدت کمتر آینده بعد دیگر سال آغاز قبل پیش جلسه امسال".split())
    | DEADLINE_ANCHORS
    | frozenset(MONTHS)
    | frozenset(month + "ماه" for month in MONTHS)
)

YEAR_ONLY = frozenset(["امسال", "سال جاری", "در سال جاری"])


def _deadline_in(text: str, s: Sentence, first: int, last: int, ctx: Context, kind: str) -> dict | None:
    """The deadline inside the evidence words [first, last], as start, end, date, jalali."""
    start, end = s.word_starts[first], s.word_ends[last]
    if ctx.deadlines:
        inside = [d for d in _deadlines_within(ctx, start, end) if d["end"] <= end]
        if inside:
            return inside[0]
    # What the figures stage does not read as a deadline ("در جلسه آینده", "قبل از فصل ...").
    for i, j in deadline_phrases(s, first, last):
        phrase = " ".join(s.word_keys[i:j])
        # "امسال" alone dates a plan or a promise; in "اعتبارات عمرانی امسال باید ..." it is no deadline.
        if phrase in YEAR_ONLY and kind != "promise":
            continue
        a, b = s.word_starts[i], s.word_ends[j - 1]
        record = {"start": a, "end": b, "date": None, "jalali": None}
        for number in find_numbers(text[a:b]):
            if number.kind == "date":
                record["date"], record["jalali"] = number.date, number.jalali
                break
        return record
    return None


# ============================================================================ targets


def _word_at(s: Sentence, char: int) -> int:
    """The word of the sentence that holds (or follows) the character offset ``char``."""
    starts = s.word_starts
    k = bisect_right(starts, char) - 1
    return max(k, 0)


def _figure_ok(s: Sentence, f: Found, fig: dict, deadline: dict | None, text: str) -> bool:
    """Whether a figure inside a commitment is a quantity to reach, not a description."""
    keys = s.word_keys
    if deadline is not None and deadline["start"] <= fig["start"] < deadline["end"]:
        return False
    i = _word_at(s, fig["start"])
    j = _word_at(s, max(fig["start"], fig["end"] - 1))
    before = keys[max(f.first, i - 5) : i]
    hedges = {"حدود", "بالغ", "بر", "بیش", "از", "نزدیک", "به", "قریب", "حداقل", "حداکثر", "تقریبا", "مبلغ"}
    trimmed = list(before)
    while trimmed and trimmed[-1] in hedges - {"مبلغ"}:
        trimmed.pop()
    for ws in phrases("target_descriptor"):
        if tuple(before[-len(ws) :]) == ws or tuple(trimmed[-len(ws) :]) == ws:
            return False
    unit = _fold(fig.get("unit") or "")
    after = keys[j + 1] if j + 1 < len(keys) else ""
    if unit in words("vote_unit") or after in ("رای", "رأی") or (after == "موافق"):
        return False
    if any(k in words("vote_unit") for k in before[-4:]):
        return False  # "با ۷ رای موافق از ۹ عضو حاضر"
    if unit in words("manner_unit") and before[-1:] == ["در"]:
        return False  # "در سه شیفت": how, not how much
    # "از ۴۰۰ میلیون ریال به ۶۵۰ میلیون ریال": the "از" end is where it starts from.
    if before[-1:] == ["از"] or (len(before) >= 2 and before[-2] == "از" and before[-1] in hedges):
        for k in range(j + 1, min(len(keys), j + 6)):
            if keys[k] == "به" and k + 1 < len(keys) and _is_number(keys[k + 1]):
                return False
    # "بودجه ... به مبلغ ... تصویب شد": the amount describes the document approved.
    if f.rule == "tasvib" and not f.governs and before[-2:] == ["به", "مبلغ"]:
        return False
    # The object of a report ("گزارش پیشرفت ساخت ۲۸۰ مدرسه را ... ارائه کند").
    for k in range(max(f.first, i - 5), i):
        if keys[k] in words("report_noun") and not _has_verb(s, k, i):
            return False
    # Inside a relative clause of the evidence ("که بیش از ۸۰ درصد پیشرفت فیزیکی دارد").
    for k in range(i - 1, f.first - 1, -1):
        if keys[k] == "که":
            if any(s.verbs[m] is not None and s.verbs[m].tense != "participle" for m in range(j + 1, f.cue_first if f.cue_first > j else f.last)):
                return False
            break
        if s.verbs[k] is not None and s.verbs[k].tense != "participle":
            break
    return True


def _anaphor_at(s: Sentence, f: Found) -> tuple[int, str | None] | None:
    """"آن را", "اینکار", "این طرح‌ها": the word where the anaphor is and the noun it names."""
    keys, anaphors = s.word_keys, _by_first_word("anaphor")
    for i in range(f.first, f.last + 1):
        for ws in anaphors.get(keys[i], ()):
            if tuple(keys[i : i + len(ws)]) == ws:
                return i, None
        if keys[i] == "این" and i + 2 <= f.last and keys[i + 1].isalpha() and keys[i + 2] in ("ها", "های", "را"):
            return i, keys[i + 1]
    return None


_BY_VALUE: dict[int, tuple[list[dict], dict, frozenset[str]]] = {}


def _figures_by_value(figures: list[dict]) -> tuple[dict, frozenset[str]]:
    """The figures by value, and the first words of their units (kept for the last list)."""
    cached = _BY_VALUE.get(id(figures))
    if cached is None or cached[0] is not figures:
        index: dict = {}
        for g in figures:
            index.setdefault(g["value"], []).append(g)
        unit_words = frozenset(unit[0] for g in figures if (unit := _keys(g.get("unit") or "")))
        _BY_VALUE.clear()
        _BY_VALUE[id(figures)] = cached = (figures, index, unit_words)
    return cached[1], cached[2]


def _echoes(text: str, start: int, end: int, inside: list[dict], figures: list[dict]) -> list[dict]:
    """A figure said again inside [start, end) that the figures stage kept once, at its
    first mention ("Once each"): the same value and unit here, with that figure's id."""
    if not figures:
        return []
    by_value, unit_words = _figures_by_value(figures)
    # An echo is followed by a figure's unit: where no unit's first word is, numbers need no reading.
    window = _fold_keys(text[start : end + 40])
    if not any(word in window for word in unit_words):
        return []
    echoes = []
    for m in find_numbers(text[start:end]):
        if m.kind != "number" or m.value is None:
            continue
        a, b = start + m.start, start + m.end
        if any(g["start"] < b and a < g["end"] for g in inside):
            continue
        after = _keys(text[b : b + 40])
        for g in by_value.get(m.value, ()):
            unit = _keys(g.get("unit") or "")
            if unit and after[: len(unit)] == unit:
                echoes.append({**g, "start": a, "end": b})
                break
    return echoes


def find_targets(text: str, sentences: list[Sentence | None], commitments: list[Found], ctx: Context) -> list[TargetFound]:
    targets: list[TargetFound] = []
    used: set[int] = set()  # figures already a target
    figures_by_start = sorted(ctx.figures, key=lambda g: g["start"])
    fig_starts = [g["start"] for g in figures_by_start]
    for index, f in enumerate(commitments):
        s = sentences[f.sentence]
        inside = figures_by_start[bisect_left(fig_starts, f.start) : bisect_right(fig_starts, f.end - 1)]
        inside = [g for g in inside if g["end"] <= f.end]
        inside = sorted(inside + _echoes(text, f.start, f.end, inside, ctx.figures), key=lambda g: g["start"])
        chosen = [g for g in inside if _figure_ok(s, f, g, f.deadline, text)]
        start = f.start
        if not chosen:
            anaphor = _anaphor_at(s, f)
            if anaphor is not None:
                at, noun = anaphor
                earlier = figures_by_start[bisect_left(fig_starts, s.word_starts[0]) : bisect_left(fig_starts, f.start)]
                if noun is not None:
                    earlier = [g for g in earlier if _fold(g.get("unit") or "") in (noun, noun.rstrip("ی"))]
                if earlier:
                    g = earlier[-1]
                    chosen = [g]
                    start = s.word_starts[clause_start(s, _word_at(s, g["start"]))]
        for g in chosen:
            used.add(id(g))
            if g.get("id"):
                f.figures.append(g["id"])
            targets.append(TargetFound(start, f.end, g["value"], g.get("unit"), g.get("id"), f.deadline, f.actor, f.actor_id, index))
        if not chosen and f.deadline is not None:
            targets.append(TargetFound(f.start, f.end, None, None, None, f.deadline, f.actor, f.actor_id, index))
    # Money that a clause says is needed: "برای تکمیل آنها ... ۷۵ هزار میلیارد ریال اعتبار نیاز است".
    money = words("money_unit")
    ordered = sorted(commitments, key=lambda c: c.start)
    commitment_starts = [c.start for c in ordered]
    commitment_ends = []
    for c in ordered:  # the furthest end reached by a commitment that starts at or before each one
        commitment_ends.append(max(c.end, commitment_ends[-1] if commitment_ends else 0))
    for s in sentences:
        if s is None:
            continue  # holds no need_cue phrase
        for end in sorted(_phrase_ends(s.word_keys, "need_cue")):
            cue_first = end - max(len(ws) for ws in phrases("need_cue") if tuple(s.word_keys[end - len(ws) + 1 : end + 1]) == ws) + 1
            first = clause_start(s, cue_first, (cue_first, end))
            a, b = s.word_starts[first], s.word_ends[end]
            for g in figures_by_start[bisect_left(fig_starts, a) : bisect_right(fig_starts, b - 1)]:
                if id(g) in used or not (_fold(g.get("unit") or "") in money):
                    continue
                k = bisect_right(commitment_starts, g["start"]) - 1
                if k >= 0 and g["start"] < commitment_ends[k]:
                    continue
                used.add(id(g))
                targets.append(TargetFound(a, b, g["value"], g.get("unit"), g.get("id"), None, None, None, None))
    return sorted(targets, key=lambda t: (t.start, t.end))


# ============================================================================ the component


def _field(record: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(record, dict) and name in record:
            return record[name]
        if hasattr(record, name):
            return getattr(record, name)
    return default


def _figure_records(doc: Doc) -> list[dict]:
    """The figures stage's figures in doc.text offsets; numbers read here where it has none."""
    if Doc.has_extension("figures") and doc._.figures is not None:
        records = []
        for g in doc._.figures:
            start = _field(g, "start_char", "start")
            end = _field(g, "end_char", "end")
            value = _field(g, "value")
            if isinstance(start, int) and isinstance(end, int) and isinstance(value, (int, float)):
                records.append({"start": start, "end": end, "value": value, "unit": _field(g, "unit"), "id": _field(g, "id")})
        return records
    return fallback_figures(segment.doc_text(doc))


_LABELS = frozenset("سامانه شماره ماده تبصره بند اورژانس کد خط منطقه فاز ساعت تلفن اصل".split())


def fallback_figures(text: str) -> list[dict]:
    """Numbers with the word after them as unit, for when the figures stage is not there."""
    records = []
    for m in find_numbers(text):
        if m.kind != "number" or m.value is None:
            continue
        before = text[max(0, m.start - 12) : m.start].split()
        if before and before[-1].translate(_KEY_FOLD) in _LABELS:
            continue
        rest = text[m.number_end : m.number_end + 40]
        if rest.startswith("%"):
            unit = "درصد"
        else:
            following = _keys(rest)
            unit = following[0] if following else None
            if unit in ("میلیارد", "میلیون", "هزار") and len(following) > 1:
                unit = following[1]
        records.append({"start": m.start, "end": m.end, "value": m.value, "unit": unit, "id": None})
    return records


def _deadline_records(doc: Doc) -> list[dict] | None:
    """The figures stage's deadlines (``doc._.deadlines``, else ``figures.find_deadlines``)."""
    if Doc.has_extension("deadlines") and doc._.deadlines is not None:
        found = doc._.deadlines
    else:
        find = getattr(figures, "find_deadlines", None)
        if find is None:
            return None
        try:
            found = find(doc)
        except Exception:  # a collaborator mid-change must not take this stage down
            return None
    records = []
    for d in found or []:
        start, end = _field(d, "start_char", "start"), _field(d, "end_char", "end")
        if isinstance(start, int) and isinstance(end, int) and end > start:
            records.append({"start": start, "end": end, "date": _field(d, "date"), "jalali": _field(d, "jalali")})
    return records


def build_context(doc: Doc) -> Context:
    """What the officials and figures stages found, for this stage."""
    ctx = Context()
    try:
        people = officials.export(doc)
    except Exception:  # a collaborator mid-change must not take this stage down
        people = {"officials": [], "organizations": []}
    for body in people.get("organizations") or []:
        if body.get("id"):
            ctx.bodies[body["id"]] = Body(body["id"], body.get("name") or "")
    for person in people.get("officials") or []:
        ctx.people[person["id"]] = Person(
            person["id"], person.get("name"), person.get("title"), person.get("organization"), person.get("organization_id")
        )
    ctx.body_spans = _spans(doc, "organization_spans")
    ctx.person_spans = _spans(doc, "official_spans")
    if not ctx.body_spans:  # an officials stage without mention spans: look the names up
        for body in ctx.bodies.values():
            needle = _normalized(body.name)
            at = segment.doc_text(doc).find(needle) if len(needle) >= 3 else -1
            while at >= 0:
                ctx.body_spans.append((at, at + len(needle), body.id))
                at = segment.doc_text(doc).find(needle, at + 1)
        ctx.body_spans.sort()
    ctx.sentences = segment.body_sentences(doc)
    ctx.figures = _figure_records(doc)
    ctx.deadlines = _deadline_records(doc)
    if ctx.deadlines:
        ctx.deadlines.sort(key=lambda d: d["start"])
        ctx.deadline_starts = [d["start"] for d in ctx.deadlines]
    return ctx


def _spans(doc: Doc, name: str) -> list[tuple[int, int, str]]:
    if not Doc.has_extension(name):
        return []
    spans = getattr(doc._, name) or []
    return sorted((a, b, i) for a, b, i in spans if isinstance(a, int) and isinstance(b, int) and b > a)


@cache
def _normalized(text: str) -> str:
    return normalize(text).text.strip() if text else ""


def register_extensions() -> None:
    for name in ("commitments", "targets"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@Language.factory("minutes_commitments")
def make_commitments(nlp: Language, name: str) -> "CommitmentFinder":
    return CommitmentFinder()


class CommitmentFinder:
    """Finds commitments and targets, then writes them to the Doc."""

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        ctx = build_context(doc)
        sentences = [(s.start_char, s.end_char) for s in segment.body_sentences(doc)]
        found, targets = find_all(segment.doc_text(doc), sentences, ctx)
        doc._.commitments = found
        doc._.targets = targets
        return doc


# ============================================================================ export


def _deadline_out(grounded: Callable[[int, int], dict], deadline: dict | None) -> dict | None:
    if not deadline:
        return None
    return {**grounded(deadline["start"], deadline["end"]), "date": deadline.get("date"), "jalali": deadline.get("jalali")}


def export(doc: Doc) -> dict:
    """Targets and commitments in the shapes of schemas/minutes.schema.json."""
    if not Doc.has_extension("commitments") or segment.doc_value(doc, "commitments") is None:
        return {"targets": [], "commitments": []}
    found: list[Found] = segment.doc_value(doc, "commitments")
    grounded = segment.grounder(doc)
    sentences = segment.body_sentences(doc)
    commitments = []
    for n, f in enumerate(found, start=1):
        action = _action_text(grounded, f)
        commitments.append(
            {
                "id": f"c{n}",
                "kind": f.kind,
                **grounded(f.start, f.end),
                "actor": f.actor,
                "actor_id": f.actor_id,
                "speaker": f.speaker,
                "speaker_id": f.speaker_id,
                "action": action,
                "deadline": _deadline_out(grounded, f.deadline),
                "figures": list(f.figures),
                "negated": f.negated,
                "cue": {"text": grounded(f.cue_start, f.cue_end)["text"], "rule": f.rule},
                "sentence": segment.sentence_id(sentences[f.sentence]) if f.sentence < len(sentences) else None,
            }
        )
    targets = []
    for n, t in enumerate(segment.doc_value(doc, "targets") or [], start=1):
        targets.append(
            {
                "id": f"t{n}",
                **grounded(t.start, t.end),
                "value": t.value,
                "unit": t.unit,
                "deadline": _deadline_out(grounded, t.deadline),
                "actor": t.actor,
                "actor_id": t.actor_id,
                "figure": t.figure,
                "commitment": f"c{t.commitment + 1}" if t.commitment is not None else None,
            }
        )
    return {"targets": targets, "commitments": commitments}


def _action_text(grounded: Callable[[int, int], dict], f: Found) -> str | None:
    if f.action_span is None:
        return None
    start, end = f.action_span
    return grounded(start, end)["text"] if end > start else None
