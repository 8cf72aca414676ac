"""Structured data from Persian reports and minutes of official meetings."""

__all__ = ["load", "process", "process_text"]
from .version import __version__, pipeline_version  # noqa: F401 (light: no spaCy)


def __getattr__(name: str):
    # The pipeline (spaCy, hazm's lexicons) loads on first use, so that commands that
    # do not extract (`minutes query`, `minutes --help`) start at once.
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
