"""spaCy's tokenizer patterns, answered at once for a bare Persian word (see
pipeline.create_tokenizer).

spaCy's tokenizer splits each chunk it meets for the first time (the text between two
spaces) with up to five patterns: prefixes, suffixes, infixes, URLs and its token match.
Most chunks of a Persian text are a bare word, in which none of spaCy's patterns can
match (each needs punctuation, a symbol, a digit or a Latin letter), yet each one is
tried at every position of the word: a third of the tokenizer's time on new chunks.

``skipping_plain_words`` proves, from a pattern's syntax, that every match of it holds (or
looks around at) a character outside the given letters, and only then answers a chunk
made of those letters alone without running the pattern. A pattern it cannot prove
(one that could match a bare word, or a construct it does not know) is left as it is, so
the tokenizer makes exactly the tokens it makes without this (tests/test_tokenizer_cache.py,
tests/test_tokenizer_patterns.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# The parser and compiler behind ``re`` (Python 3.11 and newer): the only exact reading of
# a pattern.
from re import _compiler, _parser
from re._constants import (
    ANY,
    ASSERT,
    ATOMIC_GROUP,
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_LITERAL,
    POSSESSIVE_REPEAT,
    RANGE,
    SUBPATTERN,
)

# The tokenizer's arguments that hold a pattern's method (see pipeline.create_tokenizer).
PATTERN_ARGUMENTS = ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match")
# What each method of a pattern returns when the pattern finds nothing (spaCy reads what
# an infix_finditer returns as a list).
NOTHING_FOUND = {"search": None, "match": None, "fullmatch": None, "finditer": ()}
_ONE_CHARACTER = (LITERAL, NOT_LITERAL, IN, ANY)
_REPEATS = (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT)
# Whether a one-character item matches one of the letters, by (item, its argument's repr,
# flags, letters): a pattern repeats the same classes many times.
_MATCHES_ONE_OF: dict[tuple, bool] = {}


def needs_other_characters(pattern: re.Pattern, letters: str) -> bool:
    """Whether every match of ``pattern`` consumes or looks around at a character that is
    not one of ``letters``: then no match lies anywhere in a text made of them alone.
    False when that cannot be shown."""
    if not letters or isinstance(pattern.pattern, bytes):
        return False
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        return _sequence_needs_other(parsed, parsed.state.flags, letters)
    except Exception:  # noqa: BLE001 - a pattern this reading does not know proves nothing
        return False


def _sequence_needs_other(items, flags: int, letters: str) -> bool:
    # Every item of a sequence must match: one that needs another character is enough.
    return any(_item_needs_other(op, argument, flags, letters) for op, argument in items)


def _item_needs_other(op, argument: Any, flags: int, letters: str) -> bool:
    if op in _ONE_CHARACTER:
        key = (op, repr(argument), flags, letters)
        if key not in _MATCHES_ONE_OF:
            _MATCHES_ONE_OF[key] = _matches_one_of(op, argument, flags, letters)
        return not _MATCHES_ONE_OF[key]
    if op is BRANCH:  # (None, alternatives): each alternative must need one
        return all(_sequence_needs_other(alternative, flags, letters) for alternative in argument[1])
    if op is SUBPATTERN:  # (group, flags added, flags removed, sequence)
        _, added, removed, sequence = argument
        # As re's compiler combines them: (?a:...) also turns Unicode classes off.
        return _sequence_needs_other(sequence, _compiler._combine_flags(flags, added, removed), letters)
    if op is ATOMIC_GROUP:
        return _sequence_needs_other(argument, flags, letters)
    if op in _REPEATS:  # (least, most, sequence): matched at least once if least > 0
        least, _, sequence = argument
        return least > 0 and _sequence_needs_other(sequence, flags, letters)
    if op is ASSERT:  # (direction, sequence): a look-ahead or look-behind that must match
        # It must match characters of the chunk itself.
        return _sequence_needs_other(argument[1], flags, letters)
    # Anchors, negative look-arounds, back-references, conditionals: they need nothing.
    return False


def _matches_one_of(op, argument: Any, flags: int, letters: str) -> bool:
    """Whether a one-character item matches one of ``letters``.

    A character, or a set of characters and ranges, is read as it stands (most items,
    many times faster). Any other item (a class such as \\d, case folding) is compiled
    alone by ``re`` itself, under the flags in force where it stands: it matches exactly
    the characters that it matches in the whole pattern."""
    codes = list(map(ord, letters))
    if not flags & (re.IGNORECASE | re.LOCALE):
        if op is LITERAL:
            return argument in codes
        if op is NOT_LITERAL:
            return any(code != argument for code in codes)
        if op is IN and all(kind in (LITERAL, RANGE, NEGATE) for kind, _ in argument):
            negated = argument[0][0] is NEGATE
            return any(_in_set(argument, code) != negated for code in codes)
    state = _parser.State()
    state.flags = flags
    pattern = _compiler.compile(_parser.SubPattern(state, [(op, argument)]), flags)
    return any(pattern.fullmatch(letter) for letter in letters)


def _in_set(items: list, code: int) -> bool:
    return any(code == value if kind is LITERAL else kind is RANGE and value[0] <= code <= value[1] for kind, value in items)


class SkippingPlainWords:
    """A pattern's method (one of NOTHING_FOUND) that answers what it answers when it finds
    nothing for a chunk made of ``letters`` alone, which no match of the pattern can lie in."""

    __slots__ = ("function", "letters", "nothing", "pattern")

    def __init__(self, function: Callable, letters: str):
        self.function, self.letters = function, letters
        self.nothing = NOTHING_FOUND[function.__name__]
        # spaCy saves a tokenizer's patterns by ``function.__self__.pattern``.
        self.pattern = function.__self__.pattern

    def run(self, chunk: str) -> Any:
        if chunk.strip(self.letters):  # a character of another kind: run the pattern
            return self.function(chunk)
        return self.nothing


def skipping_plain_words(patterns: dict[str, Callable | None], letters: str) -> dict[str, Callable | None]:
    """``patterns`` (the tokenizer's arguments named in PATTERN_ARGUMENTS), each method of a
    compiled pattern that provably cannot match in a chunk of ``letters`` alone made to
    answer such a chunk at once. Any other callable is left as it is."""
    faster = dict(patterns)
    for name, function in patterns.items():
        pattern = getattr(function, "__self__", None)
        if (
            isinstance(pattern, re.Pattern)
            and getattr(function, "__name__", None) in NOTHING_FOUND
            and needs_other_characters(pattern, letters)
        ):
            faster[name] = SkippingPlainWords(function, letters).run
    return faster
