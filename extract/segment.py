"""Paragraphs, headline and sentences of a normalized report, as spaCy annotations.

The tokenizer (:class:`NormalizingTokenizer`) normalizes the text before spaCy's Persian
tokenizer splits it, and keeps the :class:`~extract.normalize.Normalized` record on the
Doc, so every Span can say where it stands in the original text (``span._.original_span``).

The ``minutes_segmenter`` component then marks paragraphs (lines of the normalized text),
the headline (the leading lines that are no sentence) and sentences. A sentence ends at
. ! ? ؟ except inside a quotation «...», so a quote after «گفت:» stays in its sentence;
a paragraph without a closing mark (a title, a list entry, a signature) is one unit.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .normalize import Normalized, normalize, read_lexicon

SENTENCE_END = frozenset(".!?؟")
OPEN_QUOTE, CLOSE_QUOTE = "«", "»"
_MARKS = SENTENCE_END | {OPEN_QUOTE, CLOSE_QUOTE}
_MARK = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")
_LINE_BREAK = re.compile("\n")
# SENT_START of a token that starts no sentence: -1, as spaCy's uint64 arrays hold it.
_NO_SENTENCE_START = numpy.iinfo(numpy.uint64).max
# Titles and headline lines are short; a leading paragraph longer than this is body text.
HEADLINE_LENGTH = 200
HEADLINE_PARAGRAPHS = 3
ABBREVIATIONS = read_lexicon("abbreviations.txt")


def doc_value(doc: Doc, name: str) -> Any:
    """``doc._.<name>`` of a Doc extension whose default is None, read where spaCy keeps it.

    Every ``doc._`` builds a new Underscore object (over a microsecond a read), and the
    stages read some values once per sentence or span."""
    if not Doc.has_extension(name):
        return getattr(doc._, name)  # spaCy's own error
    return doc.user_data.get(("._.", name, None, None))


def set_doc_value(doc: Doc, name: str, value: Any) -> None:
    """``doc._.<name> = value``, written where spaCy keeps it (see :func:`doc_value`)."""
    if not Doc.has_extension(name):
        setattr(doc._, name, value)  # spaCy's own error
        return
    doc.user_data[("._.", name, None, None)] = value


def _original_span(span: Span | Token) -> tuple[int, int]:
    doc = span.doc
    if isinstance(span, Token):
        start, end = span.idx, span.idx + len(span.text)
    else:
        start, end = span.start_char, span.end_char
    normalized: Normalized | None = doc_value(doc, "normalized")
    if normalized is None:
        return start, end
    return normalized.to_original(start, end)


def _original_text(span: Span | Token) -> str:
    start, end = _original_span(span)
    normalized: Normalized | None = doc_value(span.doc, "normalized")
    return (normalized.original if normalized else span.doc.text)[start:end]


def register_extensions() -> None:
    """Doc, Span and Token attributes under ``._``, set once per process."""
    # ``numbers``: every number of the text (extract.numbers.numbers_in), read once per Doc.
    for name in ("normalized", "paragraphs", "headline", "sentence_ids", "body_sentences", "numbers"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("original"):
        Doc.set_extension("original", getter=lambda doc: doc._.normalized.original if doc._.normalized else doc.text)
    for cls in (Span, Token):
        if not cls.has_extension("original_span"):
            cls.set_extension("original_span", getter=_original_span)
        if not cls.has_extension("original_text"):
            cls.set_extension("original_text", getter=_original_text)


class NormalizingTokenizer:
    """Normalize, then tokenize with spaCy's own tokenizer; the Doc keeps the map."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        normalized = normalize(text)
        doc = self.tokenizer(normalized.text)
        set_doc_value(doc, "normalized", normalized)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # spaCy saves and loads the tokenizer with the pipeline: delegate.
    def to_bytes(self, **kwargs) -> bytes:
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs) -> "NormalizingTokenizer":
        self.tokenizer.from_bytes(data, **kwargs)
        return self

    def to_disk(self, path, **kwargs) -> None:
        self.tokenizer.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs) -> "NormalizingTokenizer":
        self.tokenizer.from_disk(path, **kwargs)
        return self


@dataclass(frozen=True, slots=True)
class Segmentation:
    """Token ranges found in a Doc: [start, end) for each paragraph and sentence."""

    paragraphs: list[tuple[int, int]]
    headline: tuple[int, int] | None
    sentences: list[tuple[int, int]]


class _Words:
    """The token texts of a Doc, read once: spaCy makes a new Token at every ``doc[i]``."""

    def __init__(self, doc: Doc):
        self.doc = doc
        # Sliced from the text at each token's offset: cheaper than a Token per ``doc[i]``.
        text = doc_text(doc)
        offsets = doc.to_array([IDX, LENGTH]) if len(doc) else numpy.zeros((0, 2), dtype="uint64")
        self.starts = offsets[:, 0].tolist()  # character offsets of each token
        self.ends = (offsets[:, 0] + offsets[:, 1]).tolist()
        self.texts = [text[start:end] for start, end in zip(self.starts, self.ends)]
        self.spaces = list(map(str.isspace, self.texts))  # spaCy's is_space
        # The only tokens the segmenter looks at, found from their characters in the text
        # rather than by a Python loop over every token: line breaks and marks.
        self.breaks = [i for i in self._holding(text, _LINE_BREAK) if self.spaces[i]]
        self.marks = [i for i in self._holding(text, _MARK) if self.texts[i] in _MARKS]

    def _holding(self, text: str, pattern: re.Pattern) -> list[int]:
        """Indexes of the tokens that hold a match of ``pattern``, in order, each once."""
        starts, ends, found = self.starts, self.ends, []
        for match in pattern.finditer(text):
            position = match.start()
            i = bisect_right(starts, position) - 1
            if i >= 0 and position < ends[i] and (not found or found[-1] != i):
                found.append(i)
        return found

    def __len__(self) -> int:
        return len(self.texts)


def find_paragraphs(doc: Doc | _Words) -> list[tuple[int, int]]:
    """Runs of tokens between line breaks, without the spaces at either end."""
    words = doc if isinstance(doc, _Words) else _Words(doc)
    paragraphs = []
    after = 0  # the first token after the last line break
    for stop in (*words.breaks, len(words)):
        start, end = _trim_words(words, after, stop)
        if end > start:
            paragraphs.append((start, end))
        after = stop + 1
    return paragraphs


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while end > start and doc[end - 1].is_space:
        end -= 1
    while start < end and doc[start].is_space:
        start += 1
    return start, end


def _trim_words(words: _Words, start: int, end: int) -> tuple[int, int]:
    spaces = words.spaces
    while end > start and spaces[end - 1]:
        end -= 1
    while start < end and spaces[start]:
        start += 1
    return start, end


def _ends_sentence(words: _Words, start: int, end: int) -> bool:
    last = words.texts[end - 1]
    if last == CLOSE_QUOTE and end - 2 >= start:
        last = words.texts[end - 2]
    return last in SENTENCE_END


def find_headline(doc: Doc | _Words, paragraphs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The leading paragraphs that are no sentence: kicker, title, subtitle."""
    words = doc if isinstance(doc, _Words) else _Words(doc)
    end = None
    for start_end in paragraphs[:HEADLINE_PARAGRAPHS]:
        start, stop = start_end
        # The length of the paragraph's text: from its first token to the end of its last one.
        if _ends_sentence(words, start, stop) or words.ends[stop - 1] - words.starts[start] > HEADLINE_LENGTH:
            break
        end = stop
    if end is None or end == paragraphs[-1][1]:
        return None
    return paragraphs[0][0], end


def split_sentences(doc: Doc | _Words, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of one paragraph: after . ! ? ؟ outside quotations."""
    words = doc if isinstance(doc, _Words) else _Words(doc)
    texts = words.texts
    depth = 0
    # An unbalanced quotation mark would swallow the paragraph: then ignore quotes.
    paragraph = texts[start:end]
    quotes_balance = paragraph.count(OPEN_QUOTE) == paragraph.count(CLOSE_QUOTE)
    sentences = []
    sentence_start = start
    # Only marks open or close a sentence or a quotation: skip from one to the next.
    marks = words.marks
    k = bisect_left(marks, start)
    while k < len(marks) and marks[k] < end:
        i = marks[k]
        text = texts[i]
        if quotes_balance and text == OPEN_QUOTE:
            depth += 1
        elif quotes_balance and text == CLOSE_QUOTE:
            depth = max(0, depth - 1)
            # «... .» closes the sentence that carries the quotation.
            if depth == 0 and i > start and texts[i - 1] in SENTENCE_END and i + 1 < end:
                sentences.append((sentence_start, i + 1))
                sentence_start = i + 1
        elif text in SENTENCE_END and depth == 0 and not _is_abbreviation(words, i, sentence_start):
            stop = i + 1
            while stop < end and (texts[stop] in SENTENCE_END or texts[stop] == CLOSE_QUOTE):
                stop += 1
            if stop < end:
                sentences.append((sentence_start, stop))
                sentence_start = stop
            k = bisect_left(marks, stop, k)
            continue
        k += 1
    sentences.append((sentence_start, end))
    return [s for s in (_trim_words(words, a, b) for a, b in sentences) if s[1] > s[0]]


def _is_abbreviation(words: _Words, i: int, sentence_start: int) -> bool:
    """A dot after a list number at the start of a line, or inside an abbreviation."""
    texts = words.texts
    if i == sentence_start + 1 and words.doc[i - 1].like_num:
        return True
    if i > sentence_start and i + 1 < len(texts) and texts[i] == ".":
        before, after = texts[i - 1], texts[i + 1]
        if len(before) == 1 and before.isalpha() and len(after) <= 2 and after.isalpha():
            return True  # ج.ا.ا ، ه.ش
        if before + "." in ABBREVIATIONS:
            return True
    return False


def find_segments(doc: Doc | _Words) -> Segmentation:
    words = doc if isinstance(doc, _Words) else _Words(doc)
    paragraphs = find_paragraphs(words)
    if not paragraphs:
        return Segmentation([], None, [])
    headline = find_headline(words, paragraphs)
    sentences = [headline] if headline else []
    for start, end in paragraphs:
        if headline and end <= headline[1]:
            continue
        sentences.extend(split_sentences(words, start, end))
    return Segmentation(paragraphs, headline, sentences)


@Language.factory("minutes_segmenter")
def make_segmenter(nlp: Language, name: str) -> "Segmenter":
    return Segmenter()


class Segmenter:
    """Finds paragraphs, the headline and sentences, then writes them to the Doc."""

    def __call__(self, doc: Doc) -> Doc:
        words = _Words(doc)
        segments = find_segments(words)
        starts = sorted({0, *(start for start, _ in segments.sentences)}) if len(doc) else []
        if starts:
            # One array write: setting token.is_sent_start one by one is quadratic in spaCy.
            flags = numpy.full((len(doc), 1), _NO_SENTENCE_START, dtype=numpy.uint64)
            flags[starts, 0] = 1
            doc.from_array([SENT_START], flags)
        # Span(doc, start, end) is doc[start:end] without spaCy's slice checks in Python.
        set_doc_value(doc, "paragraphs", [Span(doc, s, e) for s, e in segments.paragraphs])
        set_doc_value(doc, "headline", Span(doc, *segments.headline) if segments.headline else None)
        ranges = _body_sentence_ranges(words, starts, segments.headline)
        set_doc_value(doc, "body_sentences", [Span(doc, s, e) for s, e in ranges])
        set_doc_value(doc, "sentence_ids", {start: f"s{n}" for n, (start, _) in enumerate(ranges, start=1)})
        return doc


def sentence_id(span: Span | Token) -> str | None:
    """The result id ("s3") of the body sentence that holds ``span``; None in the headline."""
    ids = doc_value(span.doc, "sentence_ids") or {}
    first = span.i if isinstance(span, Token) else span.start
    if first in ids:  # it starts where a body sentence starts (the sentences themselves)
        return ids[first]
    sentence = span.sent if isinstance(span, Token) else span.doc[span.start].sent
    start, _ = _trim(span.doc, sentence.start, sentence.end)
    return ids.get(start)


def ground(doc: Doc, start_char: int, end_char: int) -> dict:
    """``text`` and ``spans`` in the ORIGINAL document of a span of the normalized text.

    Every item of the result is grounded through this function (or ``grounder``).
    """
    normalized: Normalized | None = doc_value(doc, "normalized")
    if normalized is None:
        return {"text": doc_text(doc)[start_char:end_char], "spans": [{"start": start_char, "end": end_char}]}
    return _grounded(normalized, start_char, end_char)


def grounder(doc: Doc) -> Callable[[int, int], dict]:
    """``ground`` of many spans of one Doc: (start_char, end_char) -> dict, with the Doc's
    normalization record read once."""
    normalized: Normalized | None = doc_value(doc, "normalized")
    if normalized is None:
        return partial(ground, doc)
    return partial(_grounded, normalized)


def _grounded(normalized: Normalized, start_char: int, end_char: int) -> dict:
    start, end = normalized.to_original(start_char, end_char)
    return {"text": normalized.original[start:end], "spans": [{"start": start, "end": end}]}


def ground_span(span: Span | Token) -> dict:
    if isinstance(span, Token):
        return ground(span.doc, span.idx, span.idx + len(span.text))
    return ground(span.doc, span.start_char, span.end_char)


def doc_text(doc: Doc) -> str:
    """The Doc's text. spaCy joins its tokens again at every ``doc.text``; the normalizer
    kept the same string."""
    normalized: Normalized | None = doc_value(doc, "normalized")
    return normalized.text if normalized is not None else doc.text


def _body_sentence_ranges(
    words: _Words, starts: list[int], headline: tuple[int, int] | None
) -> list[tuple[int, int]]:
    """What ``body_sentences`` finds in ``doc.sents`` once the sentence ``starts`` are
    written, from the token texts already read."""
    ranges = []
    for start, end in zip(starts, starts[1:] + [len(words)]):
        start, end = _trim_words(words, start, end)
        if end > start and (headline is None or start >= headline[1]):
            ranges.append((start, end))
    return ranges


def body_sentences(doc: Doc) -> list[Span]:
    """The sentences after the headline, without the line-break tokens between them
    (found once by the segmenter; each stage reads them)."""
    found = doc_value(doc, "body_sentences")
    if found is not None:
        return found
    headline = doc_value(doc, "headline")
    sentences = []
    for sentence in doc.sents:
        start, end = _trim(doc, sentence.start, sentence.end)
        if end <= start or (headline is not None and start < headline.end):
            continue
        sentences.append(doc[start:end])
    return sentences
