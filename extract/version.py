"""Which pipeline made a result: the package version and a fingerprint of what decides
a result (the stage modules, the lexicons, the schema).

A store keeps each document's ``pipeline_version``; a batch run with another pipeline
runs the document again, so a store never mixes results of an old pipeline with a new
one without saying so. ``MINUTES_PIPELINE_VERSION`` in the environment overrides the
computed value (to keep the results of a store after a change that does not matter to
them, or to force a new run).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

__version__ = "0.1.0"

VERSION_ENV = "MINUTES_PIPELINE_VERSION"
PACKAGE = Path(__file__).resolve().parent
# Modules that do not change what a result says: the commands, the batch and the store,
# the review page, the scorer. Any other module (a new stage too) counts.
NOT_IN_RESULTS = frozenset({"__init__.py", "__main__.py", "version.py", "cli.py", "cli_review.py", "cli_store.py",
                            "batch.py", "store.py", "review.py", "evaluate.py"})
DATA_SUFFIXES = frozenset({".json", ".tsv", ".txt"})


def pipeline_version() -> str:
    """``0.1.0+<12 hex digits>``, or the value of ``MINUTES_PIPELINE_VERSION``."""
    return os.environ.get(VERSION_ENV) or _computed()


@cache
def _computed() -> str:
    from .schema import schema_path

    digest = hashlib.sha256()
    files = [schema_path()]
    for path in sorted(PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        if (path.suffix == ".py" and path.name not in NOT_IN_RESULTS) or path.suffix in DATA_SUFFIXES:
            files.append(path)
    for path in files:
        name = path.name if path == files[0] else path.relative_to(PACKAGE).as_posix()
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"
