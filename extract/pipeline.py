"""The whole pipeline, top to bottom: text in, a schema-valid result out.

    nlp = extract.load()          # blank Persian spaCy pipeline + our components
    doc = nlp(text)               # normalize -> tokenize -> segment -> ...
    result = to_result(doc, document)

Stages are spaCy components; each finds its items first, then writes them to the Doc
under ``doc._``. ``to_result`` turns a Doc into the JSON document described by
``schemas/minutes.schema.json``, every span in original-text offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from . import commitments, figures, lexeme_attrs, officials, segment, tokenizer_patterns
from .inputs import MAX_BYTES, Document, decode_document
from .normalize import PERSIAN_LETTERS, ZWNJ
from .schema import SCHEMA_VERSION, validate
from .version import pipeline_version

# The components in the order they run; each reads what the ones before it wrote.
COMPONENTS = ("minutes_segmenter", "minutes_officials", "minutes_figures", "minutes_commitments")
# Chunks spaCy's tokenizer remembers (see create_tokenizer); about 14 MB at most.
TOKENIZER_CACHE_SIZE = 1 << 17
# The characters of a bare Persian word, as the normalizer writes it.
PLAIN_WORD_LETTERS = PERSIAN_LETTERS + ZWNJ


def load(components: tuple[str, ...] = COMPONENTS) -> Language:
    """A blank Persian spaCy pipeline with the minutes components (or the first few)."""
    segment.register_extensions()
    nlp = spacy.blank("fa", config={"nlp": {"tokenizer": {"@tokenizers": "minutes.Tokenizer.v1"}}})
    # spaCy's limit guards its parser's memory; ours is linear, and inputs.MAX_BYTES
    # already bounds a document.
    nlp.max_length = MAX_BYTES
    # spaCy computes ~23 attributes of each word its vocabulary meets for the first time,
    # by Python functions (~10 us a word): the same values, computed faster.
    nlp.vocab.lex_attr_getters = lexeme_attrs.faster_getters(nlp.vocab.lex_attr_getters)
    nlp.tokenizer = segment.NormalizingTokenizer(nlp.tokenizer)
    for name in components:
        nlp.add_pipe(name)
    return nlp


@spacy.registry.tokenizers("minutes.Tokenizer.v1")
def create_tokenizer(max_cache_size: int = TOKENIZER_CACHE_SIZE) -> Callable[[Language], Tokenizer]:
    """spaCy's own tokenizer for the language, as its default factory makes it, with two
    differences that change no token (tests/test_tokenizer_cache.py): it remembers up to
    ``max_cache_size`` chunks, and its patterns answer a bare Persian word at once."""

    def make(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        patterns = {
            "prefix_search": compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
            "suffix_search": compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
            "infix_finditer": compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
            "token_match": defaults.token_match,
            "url_match": defaults.url_match,
        }
        # A new chunk is tried against each pattern at each of its positions; in a bare
        # Persian word, most chunks, none of spaCy's can match.
        patterns = tokenizer_patterns.skipping_plain_words(patterns, PLAIN_WORD_LETTERS)
        # spaCy's tokenizer remembers how it split each chunk between spaces (a word and its
        # punctuation), by default only its first 10,000 chunks, which a batch of news
        # passes within a few hundred articles; a chunk first met after that is split again
        # by the patterns at every occurrence. A remembered chunk costs ~110 bytes.
        return Tokenizer(nlp.vocab, rules=defaults.tokenizer_exceptions, max_cache_size=max_cache_size, **patterns)

    return make


@cache
def shared_pipeline() -> Language:
    return load()


def process(document: Document, nlp: Language | None = None) -> dict[str, Any]:
    """Run the pipeline on one document and return its validated result."""
    doc = (nlp or shared_pipeline())(document.text)
    result = to_result(doc, document)
    # The spans that the stages keep under ``doc._`` point back at the Doc: without them it
    # is freed now, by its reference count, rather than by the next garbage collection.
    doc.user_data.clear()
    validate(result)
    return result


def process_text(text: str, path: str | None = None) -> dict[str, Any]:
    return process(decode_document(text.encode("utf-8"), path or "<text>", path=path))


def to_result(doc: Doc, document: Document) -> dict[str, Any]:
    paragraphs = segment.doc_value(doc, "paragraphs") or []
    paragraph_starts = [paragraph.start for paragraph in paragraphs]
    ground = segment.grounder(doc)
    sentence_ids = segment.doc_value(doc, "sentence_ids") or {}

    def paragraph_of(token: int) -> int:
        index = bisect_right(paragraph_starts, token) - 1
        return index if index >= 0 and token < paragraphs[index].end else 0

    def sentence_id(sentence: Span) -> str | None:
        # A body sentence starts where its id is kept; segment.sentence_id finds the rest.
        found = sentence_ids.get(sentence.start)
        return found if found is not None else segment.sentence_id(sentence)

    sentences = [
        {
            "id": sentence_id(sentence),
            **ground(sentence.start_char, sentence.end_char),
            "paragraph": paragraph_of(sentence.start),
            "speaker": officials.speaker_of(sentence),
        }
        for sentence in segment.body_sentences(doc)
    ]
    headline = segment.doc_value(doc, "headline")
    people = officials.export(doc)
    quantities = figures.export(doc)
    statements = commitments.export(doc)
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": pipeline_version(),
        "source": {
            "path": document.path,
            "sha256": document.sha256,
            "encoding": document.encoding,
            "bytes": document.size,
        },
        "text": {
            "characters": len(document.text),
            "normalized": segment.doc_text(doc),
            "paragraphs": [ground(paragraph.start_char, paragraph.end_char) for paragraph in paragraphs],
        },
        "headline": ground(headline.start_char, headline.end_char) if headline is not None else None,
        "sentences": sentences,
        "meeting": people["meeting"],
        "officials": people["officials"],
        "organizations": people["organizations"],
        "figures": quantities["figures"],
        "targets": statements["targets"],
        "commitments": statements["commitments"],
    }
