"""The compiled validator (jsonschema-rs) and the explaining one (jsonschema) must agree.

Results are accepted on the compiled validator's word alone, so a fault it missed would
go into the store unreported: every kind of fault the schema forbids is tried on both.
"""

from __future__ import annotations

import copy

import pytest

from extract import schema
from extract.pipeline import process
from extract.inputs import decode_document
from conftest import REPO

CORPUS = sorted((REPO / "corpus").glob("*.txt"))[:12]


@pytest.fixture(scope="module")
def results(nlp):
    return [process(decode_document(path.read_bytes(), str(path), path=str(path)), nlp) for path in CORPUS]


def test_both_validators_accept_every_result_of_the_corpus(results):
    for result in results:
        assert schema.is_valid(result)
        assert list(schema.validator().iter_errors(result)) == []


def _first(result, key):
    """The first item of a list of the result (IndexError when the list is empty: that
    result cannot carry the fault, the next one is tried)."""
    return result[key][0]


FAULTS = {
    "a required key is missing": lambda r: r.pop("sentences"),
    "an unknown top-level key": lambda r: r.update(extra=1),
    "an unknown key inside an official": lambda r: _first(r, "officials").update(nickname="x"),
    "a span with a negative start": lambda r: r["sentences"][0]["spans"][0].update(start=-1),
    "a string where a number belongs": lambda r: _first(r, "figures").update(value="12"),
    "a kind outside the enumeration": lambda r: _first(r, "commitments").update(kind="wish"),
    "a date that is not a date": lambda r: r["meeting"].update(date="1403-13-45") if r["meeting"].get("date") else _first(r, "commitments").update(deadline={"text": "x", "date": "not-a-date", "start": 0, "end": 1}),
    "a wrong schema version type": lambda r: r.update(schema_version=1),
    "null where an array belongs": lambda r: r.update(figures=None),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_both_validators_reject_each_kind_of_fault(results, fault):
    rejected = 0
    for result in results:
        broken = copy.deepcopy(result)
        try:
            FAULTS[fault](broken)
        except (IndexError, KeyError, TypeError):
            continue
        assert not schema.is_valid(broken), fault
        assert schema.errors(broken), fault
        with pytest.raises(schema.SchemaError) as raised:
            schema.validate(broken)
        assert raised.value.path.startswith("$")
        rejected += 1
    assert rejected, f"no result of the corpus could carry the fault: {fault}"
