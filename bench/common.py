"""Shared helpers of the benchmarks: the public Persian texts of ../shared and timing."""

from __future__ import annotations

import csv
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def fars_news_articles() -> Iterator[str]:
    """Every article of ../shared/data/fars-news as one text: title, abstract, paragraphs."""
    for path in sorted((SHARED / "fars-news").glob("fars-news-*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            parts = [record.get("title") or "", record.get("abstract") or "", *(record.get("paragraphs") or [])]
            yield "\n\n".join(part for part in parts if part)


def semnan_news() -> list[str]:
    """Every item of ../shared/data/semnan-news (UTF-16 with BOM, one CSV-quoted text a line)."""
    raw = (SHARED / "semnan-news" / "news_data.txt").read_bytes()
    return [row[0] for row in csv.reader(io.StringIO(raw.decode("utf-16"), newline="")) if row and row[0].strip()]


def persian_text(megabytes: float) -> str:
    """About ``megabytes`` MB (UTF-8) of real news text, the articles repeated if needed."""
    if not (SHARED / "fars-news").exists():
        sys.exit(f"bench: {SHARED / 'fars-news'} is not here; the benchmarks read ../shared beside the repository")
    articles = list(fars_news_articles())
    target = int(megabytes * 1_000_000)
    chunks, size, i = [], 0, 0
    while size < target:
        chunk = articles[i % len(articles)]
        chunks.append(chunk)
        size += len(chunk.encode("utf-8"))
        i += 1
    return "\n\n".join(chunks)


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
