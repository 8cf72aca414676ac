"""Adversarial input: runs of digits, dots, ZWNJ, spaces and marks go through every stage."""

import json

import pytest

from extract.inputs import decode_document
from extract.pipeline import process

PATTERNS = [
    "۱" * 1000 + "." * 1000,
    "1,2," * 500,
    "\u200c \u200c" * 600,
    "هزار و " * 300,
    "«» ،؛: " * 300,
    "الف" * 500,
    "می " * 500 + "ها " * 500,
    "a.b@" * 300,
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=range(len(PATTERNS)))
def test_a_megabyte_of_adversarial_text_goes_through_every_stage(pattern):
    text = (pattern * (1_000_000 // len(pattern) + 1))[:1_000_000]
    result = process(decode_document(text.encode("utf-8"), "adversarial"))
    json.dumps(result)  # the result is serializable and was validated by process()
    for paragraph in result["text"]["paragraphs"]:
        for span in paragraph["spans"]:
            assert 0 <= span["start"] <= span["end"] <= len(text)
