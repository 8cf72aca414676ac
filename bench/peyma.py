"""Person and organization recall of our extraction on the PEYMA NER test set.

    python bench/peyma.py [--limit N]

PEYMA (../shared/data/peyma/test.txt, ``token|TAG`` per line, IOB tags B_PER, I_ORG, ...)
has no licence: it is used here for evaluation only, never to build lexicons or train.

Each PEYMA sentence is joined with spaces into a text and goes through the segmenter and
the officials component. Two recalls are reported for persons (PER) and for bodies (ORG):

* token level: the share of gold PER (ORG) tokens that lie inside a span we extracted, a
  mention of an official (its name; for "title_and_name" mentions the whole office and
  name) or a mention of an organization;
* entity level (span level): the share of gold entities all of whose tokens lie inside
  one such span.

Our component extracts office holders and named public bodies, not every person and
every organization: a person named without an office (an athlete, a writer, a foreign
leader named by name alone) is not extracted by design, so PER recall is a lower bound of
what a general NER would find. ParsBERT's published F1 on PEYMA (all entity types,
hooshvare/parsbert) is printed beside ours for scale; it is a report, not an assertion,
and the two numbers measure different things (recall of two types vs F1 of seven).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PEYMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "peyma" / "test.txt"
PARSBERT_F1 = 93.1  # hooshvare/parsbert, PEYMA, published F1 (93.1-93.4)


def read_peyma(path: Path) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            if current:
                sentences.append(current)
            current = []
            continue
        token, _, tag = line.rpartition("|")
        if token:
            current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def entities(tags: list[str], kind: str) -> list[list[int]]:
    spans, current = [], None
    for i, tag in enumerate(tags):
        if tag == f"B_{kind}" or (tag == f"I_{kind}" and current is None):
            current = [i]
            spans.append(current)
        elif tag == f"I_{kind}" and current is not None:
            current.append(i)
        else:
            current = None
    return spans


def pipeline():
    from extract import load

    return load(("minutes_segmenter", "minutes_officials"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    args = parser.parse_args()
    if not PEYMA.exists():
        sys.exit(f"bench: {PEYMA} is not here; the benchmarks read ../shared beside the repository")

    from extract import officials

    nlp = pipeline()
    sentences = read_peyma(PEYMA)
    if args.limit:
        sentences = sentences[: args.limit]
    counts = {kind: {"tokens": 0, "tokens_found": 0, "entities": 0, "entities_found": 0} for kind in ("PER", "ORG")}
    start_time = time.perf_counter()
    for sentence in sentences:
        words = [token for token, _ in sentence]
        tags = [tag for _, tag in sentence]
        offsets, position = [], 0
        for word in words:
            offsets.append((position, position + len(word)))
            position += len(word) + 1
        text = " ".join(words)
        result = officials.export(nlp(text))
        found = {
            "PER": [(s["start"], s["end"]) for o in result["officials"] for m in o["mentions"] if m["kind"] != "pronoun" for s in m["spans"]],
            "ORG": [(s["start"], s["end"]) for o in result["organizations"] for m in o["mentions"] for s in m["spans"]],
        }
        for kind in ("PER", "ORG"):
            spans = found[kind]

            def covered(i: int) -> bool:
                a, b = offsets[i]
                return any(start <= a and b <= end for start, end in spans)

            for entity in entities(tags, kind):
                hits = [covered(i) for i in entity]
                counts[kind]["tokens"] += len(entity)
                counts[kind]["tokens_found"] += sum(hits)
                counts[kind]["entities"] += 1
                counts[kind]["entities_found"] += all(hits)
    elapsed = time.perf_counter() - start_time

    print(f"PEYMA test: {len(sentences)} sentences, {elapsed:.1f} s")
    print(f"{'type':6} {'gold entities':>13} {'token recall':>13} {'entity recall':>14}")
    for kind, c in counts.items():
        token_recall = c["tokens_found"] / c["tokens"] if c["tokens"] else 0.0
        entity_recall = c["entities_found"] / c["entities"] if c["entities"] else 0.0
        print(f"{kind:6} {c['entities']:>13} {100 * token_recall:>12.1f}% {100 * entity_recall:>13.1f}%")
    print(f"ParsBERT (hooshvare/parsbert), published F1 on PEYMA, all types: {PARSBERT_F1:.1f}")
    print("(ours: recall of office holders and named bodies only; not comparable one to one)")


if __name__ == "__main__":
    main()
