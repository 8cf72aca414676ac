"""Where the pipeline's time goes: milliseconds per article of each stage, in one process.

    python bench/stages.py [--documents 300] [--repeat 4]

On the first N fars-news articles of ../shared/data, each stage (the normalizing
tokenizer, each spaCy component, the result, its validation) is timed alone, CPU time,
best of ``--repeat`` passes (the machine may be shared); hazm's Normalizer on the same
texts in the same run is the baseline, and every stage is printed as a multiple of it.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SHARED, fars_news_articles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    if not (SHARED / "fars-news").exists():
        sys.exit(f"bench: {SHARED} is not here; the benchmarks read ../shared beside the repository")

    from hazm import Normalizer

    import extract.pipeline as pipeline
    from extract.inputs import decode_document
    from extract.schema import validate

    texts = list(fars_news_articles())[: args.documents]
    documents = [decode_document(text.encode("utf-8"), f"fars-{i}") for i, text in enumerate(texts)]
    nlp = pipeline.load()
    hazm = Normalizer()
    for document in documents[:20]:  # lexicons and caches load on first use
        pipeline.process(document, nlp)
        hazm.normalize(document.text)

    best: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(args.repeat):
        spent: dict[str, float] = defaultdict(float)
        started = time.process_time()
        for document in documents:
            hazm.normalize(document.text)
        spent["hazm Normalizer (baseline)"] = time.process_time() - started
        for document in documents:
            started = time.process_time()
            doc = nlp.make_doc(document.text)
            spent["normalize + tokenize"] += time.process_time() - started
            for name, component in nlp.pipeline:
                started = time.process_time()
                doc = component(doc)
                spent[name] += time.process_time() - started
            started = time.process_time()
            result = pipeline.to_result(doc, document)
            spent["to_result"] += time.process_time() - started
            started = time.process_time()
            validate(result)
            spent["validate"] += time.process_time() - started
        for name, seconds in spent.items():
            best[name] = min(best[name], seconds)

    n = len(documents)
    baseline = best.pop("hazm Normalizer (baseline)")
    total = sum(best.values())
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{n} articles, {megabytes:.2f} MB; CPU time per article, best of {args.repeat} passes")
    print(f"{'hazm Normalizer (baseline)':28s} {1000 * baseline / n:7.2f} ms   1.00x")
    for name, seconds in best.items():
        print(f"{name:28s} {1000 * seconds / n:7.2f} ms  {seconds / baseline:5.2f}x  {100 * seconds / total:4.0f}%")
    print(f"{'whole pipeline':28s} {1000 * total / n:7.2f} ms  {total / baseline:5.2f}x  "
          f"(throughput ratio to hazm: {baseline / total:.3f} in one process)")


if __name__ == "__main__":
    main()
