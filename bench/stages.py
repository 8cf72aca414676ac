"""Where the pipeline's time goes: milliseconds per article of each stage, in one process.

    python bench/stages.py [--documents N] [--repeat 3]

On the real news of ../shared/data (fars-news and the UTF-16 semnan-news: 1,721 articles),
each stage (the normalizing tokenizer, each spaCy component, the result, its validation)
is timed alone, in CPU time, two ways:

* **cold**: one pass, every article seen once, as `minutes batch` sees an archive (the
  caches of words and numbers hold only what earlier articles put there);
* **warm**: the best of ``--repeat`` further passes over the same articles (the machine
  may be shared; this is the floor the stages reach once their caches hold every word).

hazm's Normalizer on the same texts in the same run is the baseline (its own best pass),
and every stage is printed as a multiple of it. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SHARED, fars_news_articles, semnan_news  # noqa: E402


def one_pass(nlp, documents, pipeline, validate) -> dict[str, float]:
    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time
    for document in documents:
        started = clock()
        doc = nlp.make_doc(document.text)
        spent["normalize + tokenize"] += clock() - started
        for name, component in nlp.pipeline:
            started = clock()
            doc = component(doc)
            spent[name] += clock() - started
        started = clock()
        result = pipeline.to_result(doc, document)
        spent["to_result"] += clock() - started
        started = clock()
        validate(result)
        spent["validate"] += clock() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=0, help="Use only the first N articles (default: all).")
    parser.add_argument("--repeat", type=int, default=3, help="Warm passes (default 3).")
    args = parser.parse_args()
    if not (SHARED / "fars-news").exists():
        sys.exit(f"bench: {SHARED} is not here; the benchmarks read ../shared beside the repository")

    from hazm import Normalizer

    import extract.pipeline as pipeline
    from extract.batch import WARM_TEXT
    from extract.inputs import decode_document
    from extract.schema import validate

    texts = list(fars_news_articles()) + semnan_news()
    if args.documents:
        texts = texts[: args.documents]
    documents = [decode_document(text.encode("utf-8"), f"article-{i}") for i, text in enumerate(texts)]
    nlp = pipeline.load()
    pipeline.process(decode_document(WARM_TEXT.encode("utf-8"), "<warm-up>"), nlp)  # lexicons load on first use
    hazm = Normalizer()
    hazm.normalize(WARM_TEXT)

    cold = one_pass(nlp, documents, pipeline, validate)
    warm: dict[str, float] = defaultdict(lambda: float("inf"))
    baseline = float("inf")
    for _ in range(args.repeat):
        started = time.process_time()
        for document in documents:
            hazm.normalize(document.text)
        baseline = min(baseline, time.process_time() - started)
        for name, seconds in one_pass(nlp, documents, pipeline, validate).items():
            warm[name] = min(warm[name], seconds)

    n = len(documents)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"{n:,} articles, {megabytes:.2f} MB; CPU time per article: cold (one pass, each article seen once, "
          f"as a batch sees them) and warm (best of {args.repeat} further passes)")
    print(f"{'':28s} {'cold':>9s} {'':6s} {'':5s} {'warm':>9s}")
    print(f"{'hazm Normalizer (baseline)':28s} {'':9s} {'':6s} {'':5s} {1000 * baseline / n:6.2f} ms  1.00x")
    cold_total, warm_total = sum(cold.values()), sum(warm.values())
    for name in cold:
        print(f"{name:28s} {1000 * cold[name] / n:6.2f} ms {cold[name] / baseline:5.2f}x {100 * cold[name] / cold_total:3.0f}%"
              f" {1000 * warm[name] / n:6.2f} ms {warm[name] / baseline:5.2f}x")
    print(f"{'whole pipeline':28s} {1000 * cold_total / n:6.2f} ms {cold_total / baseline:5.2f}x {'':4s}"
          f" {1000 * warm_total / n:6.2f} ms {warm_total / baseline:5.2f}x")
    print(f"throughput ratio to hazm in one process: {baseline / cold_total:.3f} cold, {baseline / warm_total:.3f} warm")


if __name__ == "__main__":
    main()
