"""Throughput and memory of `minutes batch`: the whole pipeline, read to store.

    python bench/batch.py [--documents N] [--memory 1000,10000] [--workers 2] [--skip-scaling] [--repeat 3]

On the real Persian news of ../shared/data (fars-news: 1,500 articles as title, abstract
and paragraphs; semnan-news: 221 items, UTF-16LE with BOM and CRLF, one CSV-quoted text a
line), written as one file per article (fars as UTF-8, semnan in its own UTF-16), this runs
`minutes batch` as a child process, as a user would, and measures:

* documents per second and MB/s of the whole pipeline (read, decode, normalize, extract,
  validate, commit the Parquet shards with the results), wall clock from start to exit (so
  the start-up, about 1.5 s, is in), MB being the texts' UTF-8 bytes; and the same without
  the start-up (the wall clock of a one-document batch, subtracted);
* against hazm's Normalizer alone on the same texts in this process (its import and
  first call not timed), as ratios: the strict one, the batch with its start-up against
  hazm without its own; the batch without its start-up; and the batch with its start-up
  against hazm with its own (a fresh interpreter that imports hazm, makes a Normalizer and
  normalizes a word: hazm imports spaCy and NLTK, so its start-up is much like ours). The
  machine is shared: hazm, its start-up, the batch and the one-document batch each run
  ``--repeat`` times, interleaved, and the best of each counts (all are printed);
* the scaling from 1 to 2 workers;
* the peak memory of the batch's process tree (the batch, the forkserver, the workers),
  sampled every 0.2 s in the memory runs (every 1 s in the others, where the sampling's
  own CPU would slow the batch it measures): the sum of RSS, and the sum of PSS (shared pages counted once per
  sharer, the honest figure for forked workers), at 1,000 and at 10,000 documents
  (the articles repeated, each copy made distinct so that none is skipped as done), from a
  JSON Lines archive, to show that memory does not grow with the archive.

Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SHARED, fars_news_articles, semnan_news  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MINUTES = [sys.executable, "-m", "extract"]


def corpus() -> list[tuple[str, str, str]]:
    """(name, text, encoding) of every article."""
    if not (SHARED / "fars-news").exists():
        sys.exit(f"bench: {SHARED} is not here; the benchmarks read ../shared beside the repository")
    articles = [(f"fars-{i:04d}", text, "utf-8") for i, text in enumerate(fars_news_articles())]
    articles += [(f"semnan-{i:03d}", text.replace("\n", "\r\n"), "utf-16") for i, text in enumerate(semnan_news())]
    return articles


# ---------------------------------------------------------------- memory of a process tree


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return tree


def _memory(pid: int) -> tuple[int, int]:
    """RSS and PSS of one process, in bytes (0, 0 once it is gone)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


class TreeMemory(threading.Thread):
    """Peak summed RSS and PSS of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = 0
        self.peak_processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            tree = _children()
            pids, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(tree.get(pid, []))
            rss = pss = 0
            for pid in pids:
                r, p = _memory(pid)
                rss, pss = rss + r, pss + p
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.stop.wait(self.every)


def _spread(seconds: list[float]) -> str:
    """The best run is the figure; the others, for what this machine's noise is."""
    return f" (best of {len(seconds)}: {', '.join(f'{s:.2f}' for s in sorted(seconds))})" if len(seconds) > 1 else ""


def hazm_startup() -> float:
    """Wall clock of a new interpreter that imports hazm, makes a Normalizer and normalizes a
    word: hazm's start-up, measured as the batch's is (the batch's includes its interpreter)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from hazm import Normalizer; Normalizer().normalize('گرم کردن')"],
                   check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run_batch(inputs: list[str], store: Path, workers: int, *extra: str, memory_every: float = 1.0) -> dict:
    """One `minutes batch` run: its wall clock, counts from its store, and the peak memory of its
    process tree sampled every ``memory_every`` seconds (a sample reads every process's
    smaps_rollup, a few ms of this machine's CPU: often only where memory is the point)."""
    started = time.perf_counter()
    process = subprocess.Popen([*MINUTES, "batch", *inputs, "-o", str(store), "--workers", str(workers), "--quiet", *extra],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid, every=memory_every)
    memory.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    memory.stop.set()
    memory.join()
    if process.returncode not in (0, 1):
        sys.exit(f"bench: the batch failed ({process.returncode}): {stderr.decode()[-2000:]}")
    import extract.store

    with extract.store.open(store) as opened:
        counts = opened.query("SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM errors) AS errors, "
                              "(SELECT sum(seconds) FROM documents) AS pipeline_seconds, "
                              "(SELECT count(*) FROM commitments) AS commitments, (SELECT count(*) FROM figures) AS figures")
        errors = opened.query("SELECT stage, reason, count(*) AS n FROM errors GROUP BY ALL ORDER BY n DESC LIMIT 5")
    row = counts.iloc[0]
    return {"seconds": seconds, "documents": int(row["documents"]), "errors": int(row["errors"]),
            "pipeline_seconds": float(row["pipeline_seconds"] or 0), "commitments": int(row["commitments"]),
            "figures": int(row["figures"]), "peak_rss": memory.peak_rss, "peak_pss": memory.peak_pss,
            "processes": memory.peak_processes, "error_kinds": errors.values.tolist(), "exit": process.returncode,
            "summary": (stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=0, help="Use only the first N articles (default: all).")
    parser.add_argument("--workers", type=int, default=2, help="Workers of the main run (default 2).")
    parser.add_argument("--memory", default="1000,10000", help="Document counts of the memory runs ('' to skip).")
    parser.add_argument("--skip-scaling", action="store_true", help="No 1-worker run.")
    parser.add_argument("--repeat", type=int, default=3,
                        help="Runs of hazm and of each batch; the best of each counts (default 3: this machine is shared).")
    args = parser.parse_args()

    from hazm import Normalizer

    articles = corpus()
    if args.documents:
        articles = articles[: args.documents]
    texts = [text for _, text, _ in articles]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    hazm = Normalizer()
    hazm.normalize("گرم کردن")
    hazm_runs, hazm_startups = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for text in texts:
            hazm.normalize(text)
        hazm_runs.append(time.perf_counter() - started)
        hazm_startups.append(hazm_startup())
    hazm_seconds, hazm_startup_seconds = min(hazm_runs), min(hazm_startups)

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as scratch:
        scratch = Path(scratch)
        folder = scratch / "articles"
        folder.mkdir()
        for name, text, encoding in articles:
            (folder / f"{name}.txt").write_bytes(text.encode(encoding))
        print(f"corpus: {len(articles):,} articles ({sum(1 for a in articles if a[2] == 'utf-16')} of them UTF-16), "
              f"{megabytes:.2f} MB of UTF-8 text; {os.cpu_count()} cores")
        print(f"hazm Normalizer alone: {hazm_seconds:.2f} s, {len(texts) / hazm_seconds:,.0f} docs/s, {megabytes / hazm_seconds:.2f} MB/s"
              f"{_spread(hazm_runs)}")
        print(f"hazm's start-up (a new interpreter: import, Normalizer(), a first call): {hazm_startup_seconds:.2f} s"
              f"{_spread(hazm_startups)}")

        # The start-up (interpreter, spaCy's import, the warm forkserver, the store) is paid
        # once per batch whatever its size; hazm's import and first call are outside its
        # timing, so the pipeline is also compared without its start-up: a batch of one
        # short document measures it.
        one = scratch / "one"
        one.mkdir()
        (one / "one.txt").write_text("استاندار گفت: ۱۰ طرح تا پایان سال افتتاح می‌شود.\n", encoding="utf-8")
        startups = {}

        runs = {}
        worker_counts = [args.workers] if args.skip_scaling else sorted({1, args.workers})
        for workers in worker_counts:
            # Each run into a new store (a store that holds the documents would skip them).
            attempts, one_runs = [], []
            for k in range(args.repeat):
                one_runs.append(run_batch([str(one)], scratch / f"one-{workers}-{k}", workers)["seconds"])
                attempts.append(run_batch([str(folder)], scratch / f"store-{workers}-{k}", workers))
            startups[workers] = min(one_runs)
            runs[workers] = result = min(attempts, key=lambda attempt: attempt["seconds"])
            rate = result["documents"] / result["seconds"]
            print(f"\nminutes batch, {workers} worker{'s' if workers > 1 else ''}: {result['seconds']:.1f} s wall"
                  f"{_spread([attempt['seconds'] for attempt in attempts])}, "
                  f"{result['documents']:,} documents ({result['errors']} errors), {rate:.2f} docs/s, "
                  f"{megabytes / result['seconds']:.3f} MB/s; pipeline time per document "
                  f"{1000 * result['pipeline_seconds'] / max(result['documents'], 1):.0f} ms")
            print(f"  {result['commitments']:,} commitments, {result['figures']:,} figures; peak memory of "
                  f"{result['processes']} processes: RSS {result['peak_rss'] / 2**20:.0f} MiB, PSS {result['peak_pss'] / 2**20:.0f} MiB")
            print(f"  {result['summary']}")
            for stage, reason, n in result["error_kinds"]:
                print(f"  errors: {n} x {stage}: {reason[:120]}")
            steady = result["seconds"] - startups[workers]
            print(f"  without the start-up ({startups[workers]:.1f} s, a one-document batch): {steady:.1f} s, "
                  f"{result['documents'] / steady:.2f} docs/s, {megabytes / steady:.3f} MB/s")
            print(f"  ratio to hazm's Normalizer alone (hazm is {result['seconds'] / hazm_seconds:.1f}x faster: it only normalizes):")
            print(f"    strict, our start-up counted and not hazm's: {hazm_seconds / result['seconds']:.4f}")
            print(f"    like for like, no start-up counted:          {hazm_seconds / steady:.4f}")
            print(f"    like for like, both start-ups counted:       "
                  f"{(hazm_startup_seconds + hazm_seconds) / result['seconds']:.4f}")
        if 1 in runs and args.workers in runs and args.workers != 1:
            speedup = runs[1]["seconds"] / runs[args.workers]["seconds"]
            steady = (runs[1]["seconds"] - startups[1]) / (runs[args.workers]["seconds"] - startups[args.workers])
            print(f"\nscaling 1 -> {args.workers} workers: {speedup:.2f}x ({100 * speedup / args.workers:.0f}% efficiency); "
                  f"without the start-up {steady:.2f}x")

        counts = [int(n) for n in args.memory.split(",") if n.strip()]
        if counts:
            print(f"\nmemory against archive size ({args.workers} workers, a JSON Lines archive, the articles repeated):")
        for count in counts:
            archive = scratch / f"archive-{count}.jsonl"
            with open(archive, "w", encoding="utf-8") as handle:
                for i in range(count):
                    text = texts[i % len(texts)]
                    if i >= len(texts):
                        text += f"\n\nبازنشر {i // len(texts)}"  # a distinct copy, not a duplicate
                    handle.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
            result = run_batch([str(archive)], scratch / f"memory-{count}", args.workers, memory_every=0.2)
            size = archive.stat().st_size / 1e6
            print(f"  {count:>6,} documents ({size:.1f} MB): {result['seconds']:.0f} s, {result['documents'] / result['seconds']:.2f} docs/s, "
                  f"peak RSS {result['peak_rss'] / 2**20:.0f} MiB, PSS {result['peak_pss'] / 2**20:.0f} MiB")
            runs[f"memory-{count}"] = result
        if len(counts) >= 2:
            first, last = runs[f"memory-{counts[0]}"], runs[f"memory-{counts[-1]}"]
            print(f"  peak memory ratio {counts[-1]:,} / {counts[0]:,} documents: RSS {last['peak_rss'] / first['peak_rss']:.2f}, "
                  f"PSS {last['peak_pss'] / first['peak_pss']:.2f}")


if __name__ == "__main__":
    main()
