"""Targets and commitments (issue #6): not built yet, so it finds nothing.

Interface: the spaCy component "minutes_commitments"; ``export(doc) -> {"targets": [...], "commitments": [...]}``.
"""

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("minutes_commitments")
def make_commitments(nlp: Language, name: str):
    return lambda doc: doc


def export(doc: Doc) -> dict:
    return {"targets": [], "commitments": []}
