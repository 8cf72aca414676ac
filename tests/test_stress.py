"""Adversarial input: runs of digits, dots, ZWNJ, spaces and marks go through every stage."""

import json

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
SIZE = 1_000_000


def test_a_megabyte_of_adversarial_text_goes_through_every_stage():
    # One document of a megabyte: a block of each pattern, one after the other.
    block = SIZE // len(PATTERNS)
    text = "\n".join((pattern * (block // len(pattern) + 1))[:block] for pattern in PATTERNS)
    result = process(decode_document(text.encode("utf-8"), "adversarial"))
    json.dumps(result)  # serializable; process() validated it against the schema
    for paragraph in result["text"]["paragraphs"]:
        for span in paragraph["spans"]:
            assert 0 <= span["start"] <= span["end"] <= len(text)
            assert text[span["start"] : span["end"]] == paragraph["text"]
