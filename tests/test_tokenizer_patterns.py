"""spaCy's tokenizer patterns are skipped only where they provably cannot match.

``extract.tokenizer_patterns`` reads a pattern's syntax and claims that every match of it
needs a character outside some letters; the tokenizer then answers a chunk of those
letters alone without running the pattern. A wrong claim would silently change tokens:
these tests check the reading on patterns whose answer is known, and check every claim it
makes about spaCy's own patterns against the patterns themselves.
"""

from __future__ import annotations

import random
import re
from functools import cache

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import extract
from extract.pipeline import PLAIN_WORD_LETTERS
from extract.tokenizer_patterns import PATTERN_ARGUMENTS, SkippingPlainWords, needs_other_characters, skipping_plain_words

PERSIAN = PLAIN_WORD_LETTERS


@pytest.mark.parametrize(
    "pattern, letters, expected",
    [
        # A match must consume a character that is no letter.
        (r"\.", PERSIAN, True),
        (r"^(?:\.|،|؛)", PERSIAN, True),
        (r"(?:[!?]+|…)$", PERSIAN, True),
        (r"x|\d", PERSIAN, True),  # \d: Persian digits, no letters
        (r"(?<=[0-9])م", PERSIAN, True),  # the unit is a letter, the digit before it is not
        (r"ب(?=\.)", PERSIAN, True),  # a look-ahead that must see a dot
        (r"(?!\.)ب|\.", PERSIAN, False),  # the first alternative matches a bare ب
        (r"ب+\.", PERSIAN, True),
        (r"(?:\.)+", PERSIAN, True),
        (r"(?:\.)*", PERSIAN, False),  # matches the empty string
        (r"\.?ب", PERSIAN, False),
        (r"[^,]", PERSIAN, False),
        (r"[^ء-ی\u200c]", PERSIAN, True),
        (r"[^آ-ی\u200c]", PERSIAN, False),  # ء lies below آ
        (r"[^ء-ی]", PERSIAN, False),  # the ZWNJ is outside the range
        (r"\w+", PERSIAN, False),
        (r".", PERSIAN, False),
        (r"(?=ب)", PERSIAN, False),
        (r"\b", PERSIAN, False),
        (r"(a)\1", "ab", False),
        # Case folding is read where it applies, globally or in a group.
        (r"K", "k", True),
        (r"(?i)K", "k", False),
        (r"(?i:K)|\.", "k", False),
        (r"(?i:\.)K", "k", True),
        (r"(?a)\w", PERSIAN, True),
        (r"(?a:[^\w\u200c])|\.", PERSIAN, False),  # a scoped ASCII flag: no Persian letter is \w
        (r"\w", PERSIAN, False),
    ],
)
def test_needs_other_characters(pattern, letters, expected):
    assert needs_other_characters(re.compile(pattern), letters) is expected
    if expected:  # the claim holds on every letter and on random texts of them
        compiled = re.compile(pattern)
        texts = list(letters) + ["".join(random.Random(n).choices(letters, k=n % 9)) for n in range(300)]
        assert not any(compiled.search(text) for text in texts)


def test_bytes_patterns_prove_nothing():
    assert needs_other_characters(re.compile(rb"\."), PERSIAN) is False


@cache
def _spacy_patterns():
    tokenizer = spacy.blank("fa").tokenizer
    return {name: getattr(tokenizer, name) for name in PATTERN_ARGUMENTS if getattr(tokenizer, name) is not None}


def test_spacy_persian_patterns_are_all_skipped_for_plain_words():
    tokenizer = extract.load(()).tokenizer.tokenizer
    for name in _spacy_patterns():
        assert isinstance(getattr(tokenizer, name).__self__, SkippingPlainWords), name


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=PERSIAN, max_size=30))
def test_spacy_patterns_find_nothing_in_plain_words(word):
    """What the skip answers is what spaCy's patterns answer."""
    for name, function in _spacy_patterns().items():
        found = function(word)
        assert (list(found) if name == "infix_finditer" else found) in (None, []), (name, word)


def test_spacy_patterns_find_nothing_in_real_plain_words():
    from extract.normalize import hazm_words

    words = [word for word in hazm_words() if not word.strip(PERSIAN)][:20_000]
    assert len(words) == 20_000
    patterns = _spacy_patterns()
    for word in words:
        for name, function in patterns.items():
            found = function(word)
            assert (list(found) if name == "infix_finditer" else found) in (None, []), (name, word)


def test_other_chunks_run_the_pattern():
    patterns = _spacy_patterns()
    skipping = {name: SkippingPlainWords(function, PERSIAN).run for name, function in patterns.items()}
    # A digit before a unit that is a Persian letter ("3م") makes it a suffix.
    for chunk in ["وزیر،", "«وزیر", "۱۲٪", "3km", "3م", "http://example.com", "US$", "a-b", "وزیر.", "(ب)"]:
        for name, function in patterns.items():
            expected, got = function(chunk), skipping[name](chunk)
            if name == "infix_finditer":
                expected, got = [m.span() for m in expected], [m.span() for m in got]
            else:
                expected, got = expected and expected.span(), got and got.span()
            assert got == expected, (name, chunk)


def test_only_a_compiled_patterns_finding_methods_are_skipped():
    pattern = re.compile(r"\.")
    patterns = {"prefix_search": pattern.search, "infix_finditer": pattern.finditer, "token_match": pattern.sub,
                "url_match": lambda text: None, "suffix_search": None}
    faster = skipping_plain_words(patterns, PERSIAN)
    assert faster["prefix_search"]("وزیر") is None and faster["prefix_search"](".").span() == (0, 1)
    assert faster["infix_finditer"]("وزیر") == ()
    assert [faster[name] for name in ("token_match", "url_match", "suffix_search")] == [
        patterns[name] for name in ("token_match", "url_match", "suffix_search")
    ]


def test_saved_tokenizer_holds_spacys_patterns():
    """spaCy saves a tokenizer's patterns by their text: the same as its own tokenizer's."""
    ours = extract.load(()).tokenizer.tokenizer
    assert ours.to_bytes() == spacy.blank("fa").tokenizer.to_bytes()
