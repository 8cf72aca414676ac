"""Structured data from Persian reports and minutes of official meetings."""

from .pipeline import load, process, process_text

__all__ = ["load", "process", "process_text"]
__version__ = "0.1.0"
