"""Figures (issue #5): not built yet, so it finds nothing.

Interface: the spaCy component "minutes_figures"; ``export(doc) -> {"figures": [...]}``.
"""

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("minutes_figures")
def make_figures(nlp: Language, name: str):
    return lambda doc: doc


def export(doc: Doc) -> dict:
    return {"figures": []}
