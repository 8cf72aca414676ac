"""The fast paths of the figures stage find exactly what the straightforward ones find:
the words around a number (read by regular expressions, one of them right to left), the
end of the lead, and grounding many spans of a Doc at once."""

from __future__ import annotations

import random

import regex

from extract import figures, segment

_LETTER = regex.compile(r"[\p{L}\p{M}\u200c]")
ZWNJ = "\u200c"


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
