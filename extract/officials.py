"""Officials and organizations (issue #4): not built yet, so it finds nothing.

Interface the rest of the pipeline relies on:
- the spaCy component "minutes_officials";
- ``speaker_of(sentence) -> official id | None``;
- ``export(doc) -> {"officials": [...], "organizations": [...], "meeting": {...}}``.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span


@Language.factory("minutes_officials")
def make_officials(nlp: Language, name: str):
    return lambda doc: doc


def speaker_of(sentence: Span) -> str | None:
    return None


def export(doc: Doc) -> dict:
    return {"officials": [], "organizations": [], "meeting": {}}
