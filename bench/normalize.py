"""Throughput of our normalizer (character map included) against hazm's Normalizer.

    python bench/normalize.py [--megabytes 2] [--repeat 5]

Both run in this process on the same ~2 MB of real Persian news (../shared/data/fars-news),
each the median of several runs; the ratio ours/hazm must be at least 1.0. A second
table shows time against input length on adversarial lines (100 KB against 1 MB): a
ratio near 10 means linear time, no catastrophic backtracking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import median_seconds, persian_text  # noqa: E402

ADVERSARIAL = {
    "digits and dots": "۱۲۳۴۵۶۷۸۹۰" * 5 + "." * 50,
    "separators": "1,2,3،4٬5/6" * 5,
    "zwnj and spaces": "\u200c \u200c  \u200c" * 10,
    "punctuation": "«»،؛:!؟() ..." * 5,
    "number words": "هزار و " * 10,
    "glued letters": "کمترتوسعه" * 10,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from hazm import Normalizer

    from extract.normalize import normalize

    text = persian_text(args.megabytes)
    size = len(text.encode("utf-8")) / 1_000_000
    hazm = Normalizer()
    normalize("گرم کردن")  # load lexicons before timing
    hazm.normalize("گرم کردن")

    ours_s = median_seconds(lambda: normalize(text), args.repeat)
    hazm_s = median_seconds(lambda: hazm.normalize(text), args.repeat)
    print(f"text: {size:.2f} MB of fars-news articles, median of {args.repeat} runs")
    print(f"{'normalizer':<34}{'seconds':>9}{'MB/s':>8}")
    print(f"{'ours (with character map)':<34}{ours_s:>9.3f}{size / ours_s:>8.2f}")
    print(f"{'hazm Normalizer':<34}{hazm_s:>9.3f}{size / hazm_s:>8.2f}")
    print(f"ratio ours/hazm throughput: {hazm_s / ours_s:.2f}  (>= 1.0 required)")

    print("\nadversarial lines: seconds for 100 KB and 1 MB (linear time gives a ratio near 10)")
    print(f"{'pattern':<20}{'100 KB':>9}{'1 MB':>9}{'ratio':>8}")
    for name, pattern in ADVERSARIAL.items():
        small = (pattern * (100_000 // len(pattern) + 1))[:100_000]
        large = (pattern * (1_000_000 // len(pattern) + 1))[:1_000_000]
        t_small = median_seconds(lambda: normalize(small), 3)
        t_large = median_seconds(lambda: normalize(large), 3)
        print(f"{name:<20}{t_small:>9.3f}{t_large:>9.3f}{t_large / t_small:>8.1f}")


if __name__ == "__main__":
    main()
