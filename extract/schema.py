"""The result's JSON Schema, and validation whose errors point at the exact place.

Every result is checked by jsonschema-rs (compiled, about a hundred times faster than
the pure-Python validator, which matters when a batch validates every document); only
when it says no does the ``jsonschema`` package list the faults, because its errors
carry the JSON path and the best-match ranking that the messages are built from.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where a result is invalid: a batch's start need not wait for it
    import jsonschema_rs
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_VERSION = "1.1"  # 1.1 added the optional pipeline_version; 1.0 results stay valid
SCHEMA_FILE = "minutes.schema.json"


def schema_path() -> Path:
    """The schema shipped in the wheel, or the repository's own in a source checkout."""
    packaged = Path(__file__).with_name("schemas") / SCHEMA_FILE
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[1] / "schemas" / SCHEMA_FILE


@cache
def schema() -> dict[str, Any]:
    return json.loads(schema_path().read_text(encoding="utf-8"))


def enum(definition: str, field: str) -> tuple[str, ...]:
    """The values the schema allows in a field of one of its definitions (a commitment's
    ``kind``, a figure's ``quantity``)."""
    return tuple(schema()["$defs"][definition]["properties"][field]["enum"])


@cache
def validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema(), format_checker=FormatChecker())


@cache
def fast_validator() -> jsonschema_rs.Draft202012Validator:
    # Imported where results are validated, not by every reader of the schema's path (the
    # process of a batch, which only writes what its workers validated).
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=True)


def is_valid(result: Any) -> bool:
    return fast_validator().is_valid(result)


class SchemaError(ValueError):
    """A result that does not match the schema; ``path`` is the JSON path of the fault."""

    def __init__(self, error: ValidationError, count: int):
        self.path = error.json_path
        self.detail = error.message
        more = f" (and {count - 1} more errors)" if count > 1 else ""
        super().__init__(f"{self.path}: {self.detail}{more}")


def errors(result: Any) -> list[ValidationError]:
    if is_valid(result):
        return []
    return sorted(validator().iter_errors(result), key=lambda e: list(e.absolute_path))


def validate(result: Any) -> None:
    """Raise :class:`SchemaError` naming the JSON path of the most relevant fault."""
    found = errors(result)
    if found:
        from jsonschema.exceptions import best_match

        raise SchemaError(best_match(found), len(found))
