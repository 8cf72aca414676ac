"""The fast paths of the figures stage find exactly what the straightforward ones find:
the words around a number (read by regular expressions, one of them right to left), the
deadline cues, the end of the lead, and grounding many spans of a Doc at once."""

from __future__ import annotations

import random
from pathlib import Path

import regex

from extract import figures, segment

_LETTER = regex.compile(r"[\p{L}\p{M}\u200c]")
ZWNJ = "\u200c"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def word_after_by_hand(text: str, pos: int) -> tuple[str, int, int] | None:
    """Up to three spaces, then a run of at most 40 letters (more: no word), without ZWNJ at its ends."""
    i = pos
    while i < len(text) and i - pos < 3 and text[i] in " \u00a0":
        i += 1
    end = i
    while end < len(text) and end - i < 40 and _LETTER.match(text, end):
        end += 1
    if end == i or (end < len(text) and _LETTER.match(text, end)):
        return None
    return strip_by_hand(text, i, end)


def word_before_by_hand(text: str, pos: int, colon: bool = False) -> tuple[str, int, int] | None:
    i = pos
    for _ in range(3):
        if i > 0 and text[i - 1] in " \u00a0":
            i -= 1
    if colon and i > 0 and text[i - 1] == ":":
        i -= 1
        for _ in range(3):
            if i > 0 and text[i - 1] in " \u00a0":
                i -= 1
    end = i
    while i > 0 and end - i < 40 and _LETTER.match(text, i - 1):
        i -= 1
    if i == end or (i > 0 and _LETTER.match(text, i - 1)):
        return None
    return strip_by_hand(text, i, end)


def strip_by_hand(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    while start < end and text[start] == ZWNJ:
        start += 1
    while end > start and text[end - 1] == ZWNJ:
        end -= 1
    return (text[start:end], start, end) if end > start else None


def as_tuple(word) -> tuple[str, int, int] | None:
    return None if word is None else (word.text, word.start, word.end)


def test_the_words_around_every_position_are_those_read_by_hand():
    rng = random.Random(7)
    pieces = ["ا", "ب", "۲", "a", "1", " ", " ", "\u00a0", ":", ZWNJ, "\u064e", "\n", ".", "،"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 50))) for _ in range(1500)]
    texts += [
        "حدود ۴۴۰ هزار نفر: بیش از ۳۰ درصد  اعتبارات" + ZWNJ + "عمرانی",
        "ساعت :  ۹ تا ساعت" + ZWNJ * 2 + " :" + ZWNJ + "۱۲",
        "ا" * 39 + " " + "ب" * 40 + " " + "پ" * 41 + "   " + "ت" * 45,
    ]
    for text in texts:
        for pos in range(len(text) + 1):
            assert as_tuple(figures._word_after(text, pos)) == word_after_by_hand(text, pos), (text, pos)
            assert as_tuple(figures._word_before(text, pos)) == word_before_by_hand(text, pos), (text, pos)
            assert as_tuple(figures._word_before(text, pos, colon=True)) == word_before_by_hand(text, pos, True), (
                text,
                pos,
            )


def test_the_word_before_across_a_colon_is_the_word_before_where_there_is_one():
    # The figures stage reads the word before a number once and takes it for the one across a ":".
    rng = random.Random(11)
    pieces = ["ا", "ب", "۲", "a", " ", "\u00a0", ":", ZWNJ, "\u064e", "\n", "،"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(1500)]
    for text in texts:
        for pos in range(len(text) + 1):
            before = figures._word_before(text, pos)
            if before is not None:
                assert as_tuple(figures._word_before(text, pos, colon=True)) == as_tuple(before), (text, pos)


def cue_spans_of_finditer(text: str) -> list[tuple[int, int]]:
    return [cue.span() for cue in figures._DEADLINE_CUE.finditer(text)]


def test_deadline_cues_are_those_the_regular_expression_finds_at_every_character():
    rng = random.Random(5)
    words = ["تا", "حداکثر", "حداقل", "ظرف", "طی", "قبل", "پیش", "از", "در", "مدت", "طول", "مدتا", "صدر"]
    pieces = [*words, "ا", "د", "ر", "م", "ت", "ی", "x", "۲", " ", " ", "  ", "\u00a0", "\n", "\t", ".", ZWNJ, "\u064e"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    texts += [
        "حداکثر تا ۱۵ دی، ظرف مدت ۱۰ روز، در  مدت یک ماه، در\nطول سال، قبل از عید، پیش   از ظهر",
        "xتا aحداکثر تا صدر مدت استان تاکید حداکثر" + ZWNJ + "تا",
    ]
    texts += [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    for text in texts:
        assert [cue.span() for cue in figures._deadline_cues(text)] == cue_spans_of_finditer(text), text


def test_the_lead_ends_with_the_first_body_sentence_as_spacy_sees_it(nlp, seed_text):
    doc = nlp(seed_text)
    first = min(doc._.sentence_ids)
    lead_end = figures._lead_end(doc, figures._body_sentences(doc))
    spacy_end = max(doc._.headline.end_char if doc._.headline is not None else 0, doc[first].sent.end_char)
    # spaCy's sentence also holds the line break after it: no figure starts there
    assert lead_end <= spacy_end and not doc.text[lead_end:spacy_end].strip()


def test_a_grounder_grounds_as_ground_does(nlp, seed_text):
    doc = nlp(seed_text)
    ground = segment.grounder(doc)
    for span in [*doc._.paragraphs, *segment.body_sentences(doc)]:
        assert ground(span.start_char, span.end_char) == segment.ground(doc, span.start_char, span.end_char)
        assert ground(span.start_char, span.end_char) == segment.ground_span(span)
