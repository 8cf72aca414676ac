"""The pipeline's lexical attribute getters (extract/lexeme_attrs.py) return exactly what
spaCy's return: same type, same value, for every string tried."""

import sys
import unicodedata
from itertools import islice

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import IDS
from spacy.lang import lex_attrs
from spacy.lang.norm_exceptions import BASE_NORMS

from extract import lexeme_attrs

ATTR_NAMES = {value: name for name, value in IDS.items()}
EVERY_CODE_POINT = range(sys.maxunicode + 1)


@pytest.fixture(scope="module")
def spacy_getters():
    return spacy.blank("fa").vocab.lex_attr_getters


@pytest.fixture(scope="module")
def getters(nlp):
    return nlp.vocab.lex_attr_getters


def outcome(getter, string):
    """What ``getter(string)`` gives: its value and its type, or the exception it raises."""
    try:
        value = getter(string)
    except Exception as error:  # spaCy's prefix and like_url fail on ""
        return type(error)
    return type(value), value


def assert_same(spacy_getters, getters, strings):
    for attr, spacy_getter in spacy_getters.items():
        getter = getters[attr]
        for string in strings:
            assert outcome(getter, string) == outcome(spacy_getter, string), (ATTR_NAMES[attr], string)


def test_the_pipeline_has_every_getter_of_spacy_and_no_other(spacy_getters, getters):
    assert list(getters) == list(spacy_getters)
    assert all(getters[attr] is not getter for attr, getter in spacy_getters.items())


def test_every_character(spacy_getters, getters):
    beyond = [*range(0x10000, sys.maxunicode + 1, 97), 0x10100, 0x11FDD, 0x1E2FF, 0x1F600]
    characters = [chr(code) for code in (*range(0x10000), *beyond)]
    assert_same(spacy_getters, getters, characters)


def test_every_word_of_the_corpus_and_of_some_news(spacy_getters, getters, nlp):
    from conftest import REPO, SHARED

    texts = [path.read_text(encoding="utf-8") for folder in ("corpus", "holdout") for path in sorted((REPO / folder).glob("*.txt"))]
    news = (SHARED / "data" / "fars-news").exists()
    if news:
        from bench.common import fars_news_articles

        texts += islice(fars_news_articles(), 0, 1500, 5)
    words = {token.text for text in texts for token in nlp.tokenizer(text)}
    assert len(words) > (10_000 if news else 2_000)  # 50 documents alone where ../shared is absent
    assert_same(spacy_getters, getters, sorted(words))


def test_hand_picked_strings(spacy_getters, getters):
    zwnj = "\u200c"
    strings = [
        "", " ", "\n\n", "''", "``", "x" * 99, "x" * 100, "ا" * 150, "1" * 99, "1" * 100,
        f"می{zwnj}شود", f"پیش{zwnj}بینی{zwnj}شده", f"{zwnj}ها", f"کتاب{zwnj}", f"ها{zwnj * 2}ی",
        f"ها{zwnj * 5}ی", "xxxxxxx", "aaaaaBBBBBcccccddddd", "ΣΑΣ", "ǅemal", "ϒ", "Ⅻ",
        "http://", "https://a", "www.", "www.a", "a.com", "a.com/", "a.ir:80", "foo.bar", "a@b.c", "@", ".",
        "یک", "سی‌ام", "یکصد", "یک‌صد", "1,234", "۱۲۳", "1/2", "-5", "±5", "12٫5", "$", "$$", "€5", "«»", "…",
        *BASE_NORMS,  # the strings whose norm spaCy looks up
    ]
    assert_same(spacy_getters, getters, strings)


PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءآأؤئيكةۀ"
PUNCTUATION = ".,،؛:؟!?«»\"'()[]{}<>-–—…/\\@#%*+=_~`|$€£٫٬"
fragments = st.sampled_from(["http://", "https://", "www.", ".com", ".ir", "@gmail.com", ":8080/", "``", "''"])
characters = st.one_of(
    st.sampled_from(PERSIAN + "\u200c\u200c\u200c"),
    st.sampled_from("0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"),
    st.sampled_from("abcxyzABCXYZ"),
    st.sampled_from("αβγΣΩЖжЯя"),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(" \t\n\u00a0"),
    st.characters(),
)
strings = st.lists(st.one_of(characters, characters, characters, fragments), max_size=130).map("".join)


@given(st.lists(strings, min_size=1, max_size=20))
@settings(max_examples=300, deadline=None)
def test_random_strings(spacy_getters, getters, texts):
    assert_same(spacy_getters, getters, texts)


def test_the_unicode_facts_the_fast_paths_rely_on():
    """Over every code point: no letter or digit is punctuation or a currency sign (is_punct,
    is_currency), no digit is a letter (word_shape), and no character but a stop word's own
    lowers to a stop word's character (is_stop is ``string in stops``)."""
    stop_characters = {character for word in lexeme_attrs.STOP_WORDS for character in word}
    assert all(word.lower() == word for word in lexeme_attrs.STOP_WORDS)
    for character in map(chr, EVERY_CODE_POINT):
        if character.isalnum():
            assert unicodedata.category(character)[0] != "P" and unicodedata.category(character) != "Sc", character
        if character.isdigit():
            assert not character.isalpha(), character
        lowered = character.lower()
        assert lowered == character or stop_characters.isdisjoint(lowered), character


def test_the_sets_are_spacy_tuples():
    def spacy_tuple(function):
        (found,) = [constant for constant in function.__code__.co_consts if isinstance(constant, tuple)]
        return frozenset(found)

    assert lexeme_attrs._BRACKETS == spacy_tuple(lex_attrs.is_bracket)
    assert lexeme_attrs._QUOTES == spacy_tuple(lex_attrs.is_quote)
    assert lexeme_attrs._LEFT_PUNCT == spacy_tuple(lex_attrs.is_left_punct)
    assert lexeme_attrs._RIGHT_PUNCT == spacy_tuple(lex_attrs.is_right_punct)
