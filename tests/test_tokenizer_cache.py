"""The pipeline's tokenizer makes exactly the Docs of spaCy's own Persian tokenizer.

``extract.load`` lets spaCy's tokenizer remember far more chunks (a word with its
punctuation) than spaCy's default 10,000: a remembered chunk must come out as it did the
first time it was split, on texts with more distinct chunks than the default holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import extract
from extract.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
SPACY_DEFAULT_CACHE = 10_000


def tokens(doc) -> tuple[list, list, list, list]:
    return (
        [token.text for token in doc],
        [token.whitespace_ for token in doc],
        [token.idx for token in doc],
        [token.norm_ for token in doc],
    )


@pytest.fixture(scope="module")
def pipeline_tokenizer():
    """The pipeline's normalizing tokenizer, its chunk cache empty at the start."""
    return extract.load(()).tokenizer


@pytest.fixture(scope="module")
def spacy_tokenizer():
    return spacy.blank("fa").tokenizer


def _texts() -> list[str]:
    """corpus/, holdout/ and a few hundred articles of ../shared's fars-news."""
    paths = sorted((REPO / "corpus").glob("*.txt")) + sorted((REPO / "holdout").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    from conftest import SHARED

    if (SHARED / "data" / "fars-news").exists():
        from bench.common import fars_news_articles

        texts += [article for n, article in enumerate(fars_news_articles()) if n % 3 == 0][:400]
    return texts


def test_real_texts_tokenize_as_spacy_does(pipeline_tokenizer, spacy_tokenizer):
    texts = _texts()
    normalized = [normalize(text).text for text in texts]
    for _ in range(2):  # the second pass takes every chunk from the cache
        for text, expected in zip(texts, normalized):
            assert tokens(pipeline_tokenizer(text)) == tokens(spacy_tokenizer(expected))
    if len(texts) > 100:  # ../shared is here: past the point where spaCy's default stops caching
        assert len({chunk for text in normalized for chunk in text.split()}) > SPACY_DEFAULT_CACHE


_PIECES = [
    *"آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءئؤأإۀ",
    "\u200c",
    *"۰۱۲۳۴۵۶۷۸۹0123456789",
    *"abcXYZ",
    *".,،؛:!?؟«»\"'()-/%@#&_",
    "http://",
    "www.",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\u00a0",
    "😀",
    "است",
    "می\u200cشود",
    "آثارش",
    "بعضی\u200cشان",
    "ق.م",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_random_strings_tokenize_as_spacy_does(pipeline_tokenizer, spacy_tokenizer, text):
    assert tokens(pipeline_tokenizer.tokenizer(text)) == tokens(spacy_tokenizer(text))
    assert tokens(pipeline_tokenizer(text)) == tokens(spacy_tokenizer(normalize(text).text))


def test_tokenizer_exceptions_tokenize_as_spacy_does(pipeline_tokenizer, spacy_tokenizer):
    for _ in range(2):
        for case in spacy_tokenizer.rules:
            for text in (case, f"«{case}».", f"({case}) و {case}،", f"\n{case}\n"):
                assert tokens(pipeline_tokenizer.tokenizer(text)) == tokens(spacy_tokenizer(text)), text
