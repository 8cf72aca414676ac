"""The gold corpus: every gold file valid by GOLD.md, every evidence found in its document."""

from pathlib import Path

import pytest

from extract.evaluate import LISTS, fold, load_gold_set

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
KINDS = {"decision", "obligation", "promise", "request", "priority"}


def test_the_corpus_holds_at_least_forty_gold_documents():
    documents = load_gold_set(CORPUS)  # raises GoldError naming any evidence not found
    assert len(documents) >= 40
    assert "000_34e7e602297dcf66" in {d.name for d in documents}


@pytest.mark.parametrize("document", load_gold_set(CORPUS), ids=lambda d: d.name)
def test_gold_file_follows_the_contract(document):
    gold = document.gold
    assert set(gold) >= set(LISTS)
    names = {fold(o["name"]) for o in gold["officials"]}
    for official in gold["officials"]:
        assert official["name"] and set(official) >= {"name", "title", "organization"}
    for name in gold["organizations"]:
        assert isinstance(name, str) and name.strip()
    for figure in gold["figures"]:
        assert isinstance(figure["value"], (int, float)) and not isinstance(figure["value"], bool)
        assert isinstance(figure["unit"], str) and figure["unit"]
        assert isinstance(figure["approximate"], bool)
    for target in gold["targets"]:
        assert set(target) >= {"value", "unit", "deadline", "actor", "evidence"}
    for commitment in gold["commitments"]:
        assert commitment["kind"] in KINDS
        # A speaker is one of the document's officials.
        assert commitment["speaker"] is None or fold(commitment["speaker"]) in names
