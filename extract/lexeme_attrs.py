"""Faster equivalents of spaCy's lexical attribute getters for Persian (see pipeline.load).

spaCy calls every function of ``vocab.lex_attr_getters`` (spacy/lang/lex_attrs.py and
spacy/lang/fa/lex_attrs.py), one by one from Cython, for each string its vocabulary meets
for the first time: ~23 Python calls, ~14 us per new word, and a batch's worker meets ~18
new words per article. Each replacement here returns exactly what spaCy's returns for every
string (tests/test_lexeme_attrs.py checks it): a C-level builtin where spaCy's function
wraps one, elsewhere a fast path for the common case that falls back on spaCy's function.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from spacy import attrs
from spacy.lang import lex_attrs
from spacy.lang.fa import lex_attrs as fa_lex_attrs
from spacy.lang.fa.stop_words import STOP_WORDS
from spacy.lang.norm_exceptions import BASE_NORMS

# spaCy's own tuples (is_bracket, is_quote, ...), as sets.
_BRACKETS = frozenset(("(", ")", "[", "]", "{", "}", "<", ">"))
# fmt: off
_QUOTES = frozenset(('"', "'", "`", "«", "»", "‘", "’", "‚", "‛", "“", "”", "„", "‟", "‹", "›", "❮", "❯", "''", "``"))
_LEFT_PUNCT = frozenset(("(", "[", "{", "<", '"', "'", "«", "‘", "‚", "‛", "“", "„", "‟", "‹", "❮", "``"))
_RIGHT_PUNCT = frozenset((")", "]", "}", ">", '"', "'", "»", "’", "”", "›", "❯", "''"))
# fmt: on

_NUMBER_WORDS = frozenset(fa_lex_attrs._num_words | fa_lex_attrs._ordinal_words)
_URL_SCHEMES = ("http://", "https://")
ZWNJ = "\u200c"
# word_shape of a run of letters (digits) of each length below its limit, 100.
_X_RUNS = tuple("x" * min(length, 4) for length in range(100))
_D_RUNS = tuple("d" * min(length, 4) for length in range(100))


def is_punct(text: str) -> bool:
    # A word: its first character, a letter or a digit, is no punctuation.
    return False if text[:1].isalnum() else lex_attrs.is_punct(text)


def is_currency(text: str) -> bool:
    # A word: its first character, a letter or a digit, is no currency sign.
    return False if text[:1].isalnum() else lex_attrs.is_currency(text)


def norm(text: str) -> str:
    found = BASE_NORMS.get(text)
    return text.lower() if found is None else found


def like_email(text: str) -> bool:
    return "@" in text and lex_attrs.like_email(text)  # spaCy's pattern needs an "@"


def like_num(text: str) -> bool:
    # Letters, digits and ZWNJs: none of the separators (",.،٫/") spaCy removes first.
    if text.replace(ZWNJ, "").isalnum():
        return text.isdigit() or text in _NUMBER_WORDS
    return fa_lex_attrs.like_num(text)


def like_url(text: str) -> bool:
    # Past its http(s):// test, every test of spaCy's that can say yes needs a dot.
    if "." in text or not text:
        return lex_attrs.like_url(text)
    return text.startswith(_URL_SCHEMES)


def word_shape(text: str) -> str:
    # spaCy's shape of a letter that is not upper case is "x", that of a digit "d", and it
    # keeps the first four of a run of one shape. ("a" + letters).islower() says that no
    # letter is upper case.
    if len(text) < 100:
        if text.isalpha():
            if ("a" + text).islower():  # the usual Persian word
                return _X_RUNS[len(text)]
        elif text.isdigit():  # no digit is a letter
            return _D_RUNS[len(text)]
        else:
            letters = text.replace(ZWNJ, "")
            # A compound: words joined by one ZWNJ each.
            if letters.isalpha() and ("a" + letters).islower() and ZWNJ * 2 not in text:
                return ZWNJ.join(map(_X_RUNS.__getitem__, map(len, text.split(ZWNJ))))
    return lex_attrs.word_shape(text)


def lang(text: str) -> str:
    return "fa"


# Persian letters have no case, so no string lowers to a stop word but the stop word itself
# (the test checks that over every character): spaCy's ``string.lower() in stops`` is
# ``string in stops``.
_FASTER: dict[int, Callable[[str], Any]] = {
    attrs.LOWER: str.lower,
    attrs.NORM: norm,
    attrs.PREFIX: itemgetter(0),
    attrs.SUFFIX: itemgetter(slice(-3, None)),
    attrs.IS_ALPHA: str.isalpha,
    attrs.IS_DIGIT: str.isdigit,
    attrs.IS_LOWER: str.islower,
    attrs.IS_SPACE: str.isspace,
    attrs.IS_TITLE: str.istitle,
    attrs.IS_UPPER: str.isupper,
    attrs.IS_STOP: STOP_WORDS.__contains__,
    attrs.LIKE_EMAIL: like_email,
    attrs.LIKE_NUM: like_num,
    attrs.IS_PUNCT: is_punct,
    attrs.IS_ASCII: str.isascii,
    attrs.SHAPE: word_shape,
    attrs.IS_BRACKET: _BRACKETS.__contains__,
    attrs.IS_QUOTE: _QUOTES.__contains__,
    attrs.IS_LEFT_PUNCT: _LEFT_PUNCT.__contains__,
    attrs.IS_RIGHT_PUNCT: _RIGHT_PUNCT.__contains__,
    attrs.IS_CURRENCY: is_currency,
    attrs.LIKE_URL: like_url,
    attrs.LANG: lang,
}


def faster_getters(getters: dict[int, Callable[[str], Any]]) -> dict[int, Callable[[str], Any]]:
    """A Persian vocab's ``lex_attr_getters``, each replaced by its faster equivalent."""
    return {attr: _FASTER.get(attr, getter) for attr, getter in getters.items()}
