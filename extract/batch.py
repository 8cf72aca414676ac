"""`minutes batch`: a whole archive through the pipeline into a store, in parallel, resumably.

    summary = extract.batch.run(["archive/"], "STORE", workers=4)

Flow. One process reads the inputs as a stream (files, folders walked in order, JSONL and
CSV archives row by row, JSON Lines on standard input), hashes each document's bytes and
hands it to a worker; workers decode, run the pipeline (one ``extract.load()`` per worker
process), validate, and return the table rows, the JSON result among them (a worker writes
nothing: a cluster's workers need not see the store); the reading process buffers those
rows and commits them to the store as a shard every ``shard_size`` documents (or every
minute). The store's layout and its atomicity are described in
:mod:`extract.store`.

Documents go to the workers in tasks of up to ``TASK_DOCUMENTS`` (one task's hand-over,
its bookkeeping and its answer cost about as much as reading a short document: per
document, they would take a tenth of the batch's CPU).

Memory stays flat whatever the archive size: inputs are streamed, at most
``4 x workers`` tasks are in flight, a shard holds at most ``shard_size`` documents'
rows, and workers are replaced after ``RECYCLE_AFTER`` documents (spaCy's string store
grows with every new word it sees). What grows is the set of hashes already done, 32
bytes (about 100 with Python's overhead) per document of the store, the name of each
source the store holds (and the file or archive it lies in), and the ids of the archive
being read (a repeated id gets a suffix, ``ID~2``, so that each row stays a source of its
own).

Resuming. A document is known by the sha256 of its bytes (for an archive row, of its
text in UTF-8) and its result by the pipeline that made it (``pipeline_version``, see
:mod:`extract.version`). When a batch starts it reads the hashes of the committed shards
and skips the documents whose result the current pipeline made; the others (a new
pipeline) run again, and the tables then show their newest rows only. What a killed batch
had not committed (the shard being committed and the rows buffered since: at most two
shards' worth of documents, or two minutes' work) is missing and runs again. So a killed batch started again with the same arguments does only what is
missing, and ends with the same store as a run that was never interrupted. A document
that failed is not tried again while its bytes are the same (it would fail the same
way) unless ``--retry-errors`` is given; it still counts as failed for the exit code.

Sources gone. After a folder is walked to its end, and after an archive is read to its
end, the stream of inputs holds a :class:`ReadToEnd`; the reading process then takes the
sources the store held when the batch started that lie under the folder (by the absolute
path of the file read, the ``path`` of each row: a slice of a sorted list; a source named
relative to another folder is not mistaken for one here) and whose file, folder or archive
no longer exists (one ``lstat`` each), or the archive's rows whose id it no longer has (its
ids are collected anyway), and records each as gone: a row of ``sources`` without a
document, committed with the next shard. Unless told that they may (``allow_all_gone``),
none goes when every source of the store in the folder or archive is missing and, for a
folder, none of its files was read (a drive not mounted, a folder moved): they stay and
the summary names the place. So
nothing is done per document, nothing is recorded from a walk or an archive cut short,
and a killed batch started again records what the commit did not keep.

Failures. A bad document never stops a batch: it becomes a row of ``errors`` with its
source (the path, or ``ARCHIVE#ID`` for an archive row), the stage (``read``: cannot be
read, too large, a malformed archive row; ``decode``: empty, binary, HTML, unknown
encoding; ``pipeline``: an exception, a time-out, a worker that died; ``validate``: a
result that does not match the schema) and the reason. A source with
the same bytes as one that failed (three empty files) is an error of its own, its
``detail`` naming the first; a source with the same bytes as a document done is a row of
``sources``. A worker process that dies (a crash, the out-of-memory killer) takes down the
process pool: the documents it had in flight are then run again one at a time, and the
one that kills a worker again is the one recorded, once a worker is seen to survive a task
of no document. If none survives, the workers die of themselves (a broken installation, a
machine out of memory, a script that starts a batch outside ``if __name__ ==
"__main__":``): no document is to blame, so none is recorded; the batch commits what it
did and stops (``WorkersCannotRun``, exit code 3), and a run started again once the cause
is fixed does the rest.

Engines. ``processes`` (the default) is a ``concurrent.futures.ProcessPoolExecutor``
(forkserver start) on this machine. ``dask`` runs the same worker function on a
``dask.distributed`` cluster: a ``LocalCluster`` of worker processes by default, or any
scheduler with ``scheduler="tcp://host:8786"``. Dask rather than Ray: it is pure Python
and installs from PyPI with no native runtime, its workers are plain processes like ours
(so the pipeline loads once per worker exactly as here), it runs with no daemon on one
machine and, for a cluster, needs one scheduler process; futures with ``wait`` give the
same bounded in-flight loop, and it retries a task whose worker died before reporting it
(``KilledWorker``). Workers of a cluster need not see the STORE folder: they return
rows and results, and the reading process alone writes the store.
"""

from __future__ import annotations

import atexit
import bisect
import concurrent.futures as cf
import csv
import fnmatch
import gc
import gzip
import hashlib
import io
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Generator, Iterable, Iterator

from .inputs import MAX_BYTES, InputError, decode_document
from .store import STDIN, StoreError, StoreWriter, error_row, rows_from_result, source_identity

ENGINES = ("processes", "dask")
ARCHIVE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
DEFAULT_INCLUDE = ("*.txt",)
DEFAULT_TIMEOUT = 600.0  # seconds for one document
# Documents per worker process before it is replaced. A new worker starts cold (its memos
# of words empty: its first few hundred documents cost a third more); its string store
# and memos grow more slowly with each document (by 16 MB from the 1,000th to the 1,721st
# distinct news article of ../shared/data).
RECYCLE_AFTER = 5000
IN_FLIGHT_PER_WORKER = 4  # tasks
TASK_DOCUMENTS = 8  # documents per task, at most
TASK_BYTES = 1 << 20  # a task is sent once its documents hold this many bytes
SHARD_SECONDS = 60.0  # commit buffered rows at least this often
PROBE_TIMEOUT = 120.0  # seconds for a task of no document (see _Runner.blame)
_WORKERS_CANNOT_RUN = ('If you call extract.batch.run from a script, call it under `if __name__ == "__main__":`; '
                       "otherwise look for a broken installation or a machine out of memory. What was done is "
                       "kept: run the batch again once this is fixed.")


class BatchError(Exception):
    """Bad arguments: an input that does not exist, an unusable store. Nothing was run."""


class WorkersCannotRun(Exception):
    """The worker processes die of themselves, with no document in hand: the batch stops.

    No document is to blame (a broken installation, a machine out of memory, a script that
    starts a batch outside ``if __name__ == "__main__":``), so none is recorded as failed:
    what was done is committed, and a run started again once the cause is fixed does the
    rest. ``summary`` says what the batch did before it stopped.
    """

    summary: "Summary | None" = None


# ---------------------------------------------------------------- inputs


@dataclass(slots=True)
class Item:
    """One document read from the inputs, on its way to a worker."""

    source: str  # the path, or ARCHIVE#ID for an archive row
    # The file read, the document's or its archive's, as an absolute path (the source is named
    # as given, maybe relative to the folder the batch ran in); "<stdin>" for standard input.
    path: str | None
    record_id: str | None  # the row's id in its archive
    data: bytes
    size: int  # input bytes it stands for (progress)
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.data).hexdigest()

    @property
    def path_in_result(self) -> str | None:
        """The result's ``source.path``: the file, ARCHIVE#ID for a row, null for standard input."""
        return None if self.path == STDIN else self.source


@dataclass(slots=True)
class Failure:
    """An input that could not be read at all (stage ``read``)."""

    source: str
    path: str | None
    record_id: str | None
    reason: str
    size: int


@dataclass(slots=True)
class ReadToEnd:
    """A folder walked, or an archive read, to its end (not cut short): the sources of the
    store in it that are no longer there are gone."""

    name: str  # the folder or the archive, its absolute path
    ids: dict[str, int] | None = None  # an archive's ids, each with the rows that gave it
    files: int = 0  # a folder's files read (those --include and --exclude let in)
    exclude: tuple[str, ...] = ()  # a folder's --exclude globs (its folders that were not walked)

    def has_row(self, record_id: str) -> bool:
        """Whether the archive still has a row of this id (``ID~2``: the second row of id ID)."""
        if record_id in self.ids:
            return True
        first, tilde, seen = record_id.rpartition("~")
        return bool(tilde) and seen.isdecimal() and 2 <= int(seen) <= self.ids.get(first, 0)


@dataclass(frozen=True)
class InputSpec:
    """How to read the inputs (the options of ``minutes batch`` that concern them)."""

    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    text_column: str = "text"
    id_column: str = "id"
    header: bool = True
    max_bytes: int = MAX_BYTES


def archive_kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return ARCHIVE_SUFFIXES.get(suffixes[-1]) if suffixes else None


def check_inputs(inputs: Iterable[str]) -> list[str]:
    """The inputs, or BatchError naming the first that is not there."""
    inputs = list(inputs)
    if not inputs:
        raise BatchError("no inputs")
    if inputs.count("-") > 1:
        raise BatchError("standard input (-) can be named once")
    for name in inputs:
        if name != "-" and not Path(name).exists():
            raise BatchError(f"{name}: no such file or folder")
    return inputs


def _matches(relative: str, patterns: Iterable[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(relative, p) for p in patterns)


def pruned(relative: str, exclude: Iterable[str]) -> bool:
    """Whether ``walk`` leaves out the folder at this path (relative to the folder walked, with
    "/"): it or a folder above it matches an exclude glob."""
    parts = relative.split("/")
    return any(_matches("/".join(parts[: i + 1]), exclude) for i in range(len(parts)))


def walk(folder: Path, spec: InputSpec) -> Iterator[Path | OSError]:
    """Files under ``folder`` that match the include globs and no exclude glob, in a stable
    order; and the error of each folder that cannot be listed (its files are not read)."""
    unreadable: list[OSError] = []
    for current, dirs, files in os.walk(folder, onerror=unreadable.append):
        yield from unreadable
        unreadable.clear()
        base = Path(current)
        relative_dir = base.relative_to(folder).as_posix()
        prefix = "" if relative_dir == "." else relative_dir + "/"
        dirs[:] = sorted(d for d in dirs if not _matches(prefix + d, spec.exclude))
        for name in sorted(files):
            relative = prefix + name
            if _matches(relative, spec.include) and not _matches(relative, spec.exclude):
                yield base / name
    yield from unreadable


def inputs_overlap(inputs: list[str]) -> bool:
    """Whether two inputs may hold the same file: one folder is, or lies in, another (or holds
    a file named too), whatever their names ("in", "./in/", a link to it, its absolute path)."""
    # Sorted by their parts, a place comes just before those in it (if any is).
    places = sorted(os.path.realpath(name).rstrip(os.sep).split(os.sep) for name in inputs if name != "-")
    return any(later[: len(earlier)] == earlier for earlier, later in zip(places, places[1:]))


def total_bytes(inputs: list[str], spec: InputSpec) -> int | None:
    """The bytes the inputs hold (for the progress bar), None when one is standard input."""
    total = 0
    for name in inputs:
        if name == "-":
            return None
        path = Path(name)
        try:
            if path.is_dir():
                total += sum(p.stat().st_size for p in walk(path, spec) if isinstance(p, Path))
            else:
                total += path.stat().st_size
        except OSError:
            pass
    return total


def iter_inputs(inputs: list[str], spec: InputSpec, *,
                stdin: io.BufferedIOBase | None = None) -> Iterator[Item | Failure | ReadToEnd]:
    """Every document of the inputs, lazily, in order; after each folder and archive read to
    its end, a ReadToEnd (none for standard input, whose rows never go)."""
    for name in inputs:
        if name == "-":
            yield from _archive_rows(stdin or sys.stdin.buffer, STDIN, "jsonl", spec, position=None)
            continue
        path = Path(name)
        if path.is_dir():
            files = 0
            for file in walk(path, spec):
                if isinstance(file, OSError):
                    folder = str(file.filename or path)
                    yield Failure(folder, os.path.realpath(folder), None, f"cannot be read: {file.strerror or file} "
                                  "(a folder: none of its files was read)", 0)
                else:
                    files += 1
                    yield from _file(file, spec)
            # Where its files lie: a folder named through a link is the folder it leads to.
            yield ReadToEnd(os.path.realpath(path), files=files, exclude=spec.exclude)
        else:
            yield from _file(path, spec)


def location(path: str | Path) -> str:
    """Where a file is, whatever it was named from: the real path of the folder that holds
    it (symbolic links and ".." resolved in order: "link/../data" is the data folder beside
    the link's target, not beside the link), then its own name (a link to a file is a source
    of its own). A folder is where it leads (``os.path.realpath``)."""
    path = os.path.join(os.getcwd(), path)
    folder, name = os.path.split(path)
    if name in ("", ".", ".."):
        return os.path.realpath(path)
    return os.path.join(os.path.realpath(folder), name)  # a few system calls (microseconds)


def _file(path: Path, spec: InputSpec) -> Iterator[Item | Failure | ReadToEnd]:
    name, where = str(path), location(path)
    kind = archive_kind(path)
    if kind is not None:
        yield from _archive(path, kind, spec)
        return
    try:
        size = path.stat().st_size
    except OSError as error:
        yield Failure(name, where, None, f"cannot be read: {error.strerror or error}", 0)
        return
    if size > spec.max_bytes:
        yield Failure(name, where, None, f"too large: {size:,} bytes (the limit is {spec.max_bytes:,})", size)
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Failure(name, where, None, f"cannot be read: {error.strerror or error}", size)
        return
    yield Item(name, where, None, data, size)


def _archive(path: Path, kind: str, spec: InputSpec) -> Iterator[Item | Failure | ReadToEnd]:
    name, where = str(path), location(path)
    try:
        raw = open(path, "rb")
    except OSError as error:
        yield Failure(name, where, None, f"cannot be read: {error.strerror or error}", 0)
        return
    with raw:
        stream = gzip.GzipFile(fileobj=raw) if path.suffix.lower() == ".gz" else raw
        try:
            ids = yield from _archive_rows(stream, name, kind, spec, position=raw.tell, where=where)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            yield Failure(name, where, None, f"the archive cannot be read past this point: {error}", 0)
            return
    yield ReadToEnd(where, ids)


def _text_stream(stream, source: str) -> io.TextIOWrapper:
    """Text of an archive: UTF-8, or UTF-16/UTF-8 with a byte order mark. Bytes that are not
    UTF-8 are kept (surrogateescape) so that each document's encoding is decided on its own."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)
    head = buffered.peek(4)[:4]
    encoding = "utf-8"
    if head.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    return io.TextIOWrapper(buffered, encoding=encoding, errors="surrogateescape", newline="")


class _Progress:
    """Bytes consumed from an archive, one document after another."""

    def __init__(self, position: Callable[[], int] | None):
        self.position = position
        self.last = 0

    def step(self, fallback: int) -> int:
        if self.position is None:
            return fallback
        try:
            now = self.position()
        except (OSError, ValueError):
            return fallback
        delta, self.last = max(0, now - self.last), max(self.last, now)
        return delta


def _archive_rows(stream, name: str, kind: str, spec: InputSpec, position,
                  where: str | None = None) -> Generator[Item | Failure, None, dict]:
    """The rows of the archive ``name`` (at ``where``, its absolute path); returns its ids,
    each with the number of rows that gave it."""
    where = where or name
    text = _text_stream(stream, name)
    progress = _Progress(position)
    if kind == "jsonl":
        rows = _jsonl_rows(text, name, spec)
    else:
        rows = _csv_rows(text, name, spec, delimiter="\t" if kind == "tsv" else ",")
    times_seen: dict[str, int] = {}  # an archive's ids, to tell its rows apart
    for record_id, value, length in rows:
        seen = times_seen[record_id] = times_seen.get(record_id, 0) + 1
        if seen > 1:  # an id given before: the row is a document of its own all the same
            record_id = f"{record_id}~{seen}"
            if isinstance(value, Failure):
                value.source, value.record_id = f"{name}#{record_id}", record_id
        source = f"{name}#{record_id}"
        size = progress.step(length)
        if isinstance(value, Failure):
            value.size, value.path = size, where
            yield value
            continue
        data = value.encode("utf-8", "surrogateescape")
        if len(data) > spec.max_bytes:
            yield Failure(source, where, record_id, f"too large: {len(data):,} bytes (the limit is {spec.max_bytes:,})", size)
            continue
        yield Item(source, where, record_id, data, size)
    return times_seen


def _record_id(value: Any, fallback: int) -> str:
    if value is None or value == "":
        return str(fallback)
    return str(value)


def _jsonl_rows(text: io.TextIOWrapper, name: str, spec: InputSpec) -> Iterator[tuple[str, Any, int]]:
    for number, line in enumerate(text, 1):
        length = len(line.encode("utf-8", "surrogateescape"))
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            reason = f"line {number} is not JSON ({error.msg} at column {error.colno})"
            if name == STDIN:  # plain text piped in, most often
                reason += ('; standard input (-) is read as JSON Lines, an object such as {"id": ..., "text": ...} '
                           "a line: to extract one plain text, use `minutes extract -`")
            yield str(number), Failure(f"{name}#{number}", name, str(number), reason, 0), length
            continue
        if not isinstance(record, dict):
            yield str(number), Failure(f"{name}#{number}", name, str(number), f"line {number} is not a JSON object", 0), length
            continue
        record_id = _record_id(record.get(spec.id_column), number)
        value = record.get(spec.text_column)
        if not isinstance(value, str):
            what = "has no" if value is None else "has a non-text"
            yield record_id, Failure(f"{name}#{record_id}", name, record_id, f"line {number} {what} {spec.text_column!r} field", 0), length
            continue
        yield record_id, value, length


def _csv_rows(text: io.TextIOWrapper, name: str, spec: InputSpec, delimiter: str) -> Iterator[tuple[str, Any, int]]:
    csv.field_size_limit(sys.maxsize)
    # Strict: a quote that is never closed, or text after a closing quote, is an error of
    # its row, not rows silently merged into one text.
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    if spec.header:
        header = next(reader, None)
        if header is None:
            return
        header = [h.strip().lstrip("\ufeff") for h in header]
        if spec.text_column not in header:
            yield "header", Failure(f"{name}#header", name, None, f"no {spec.text_column!r} column (the columns are {', '.join(header)})", 0), 0
            return
        text_index = header.index(spec.text_column)
        id_index = header.index(spec.id_column) if spec.id_column in header else None
    else:
        try:
            text_index = int(spec.text_column)
            id_index = int(spec.id_column) if str(spec.id_column).isdigit() else None
        except ValueError:
            raise BatchError("without a header, --text-column and --id-column are column numbers (from 0)") from None
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            number += 1
            reason = f"row {number} (line {line}) is not valid CSV ({error})"
            if "unexpected end of data" in str(error):
                reason += f": a quote opened in it is never closed, so the archive from line {line} on was not read"
            yield str(number), Failure(f"{name}#{number}", name, str(number), reason, 0), 0
            continue
        number += 1
        if not row:
            continue
        record_id = _record_id(row[id_index] if id_index is not None and id_index < len(row) else None, number)
        if text_index >= len(row):
            column = repr(spec.text_column) if spec.header else text_index
            yield record_id, Failure(f"{name}#{record_id}", name, record_id, f"row {number} has no column {column}", 0), 0
            continue
        yield record_id, row[text_index], sum(len(cell) for cell in row)


# ---------------------------------------------------------------- the worker side


@dataclass(frozen=True)
class WorkerOptions:
    max_bytes: int = MAX_BYTES
    timeout: float | None = DEFAULT_TIMEOUT
    batch_pid: int | None = None  # the batch process, when the workers run on this machine


_WATCHDOG: threading.Thread | None = None


def _watch(batch_pid: int | None) -> None:
    """End this worker when the batch that uses it is gone (kill -9 leaves pool workers
    blocked on their queue forever, and they keep the forkserver alive)."""
    global _WATCHDOG
    if batch_pid is None or _WATCHDOG is not None or batch_pid == os.getpid():
        return

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(batch_pid, 0)
            except ProcessLookupError:
                os._exit(70)
            except PermissionError:
                pass

    _WATCHDOG = threading.Thread(target=watch, name="minutes-batch-watchdog", daemon=True)
    _WATCHDOG.start()


class _DocumentTimeout(BaseException):
    """Raised by the alarm inside the pipeline; a BaseException so no `except Exception` eats it."""


_PIPELINE: Any = None
_PIPELINE_ERROR: str | None = None


def _pipeline():
    global _PIPELINE, _PIPELINE_ERROR
    if _PIPELINE is None and _PIPELINE_ERROR is None:
        try:
            from .pipeline import load

            _PIPELINE = load()
        except Exception as error:  # noqa: BLE001 - a pipeline that cannot load fails each document, not the batch
            _PIPELINE_ERROR = f"the pipeline could not be loaded: {type(error).__name__}: {error}"
    if _PIPELINE_ERROR is not None:
        raise RuntimeError(_PIPELINE_ERROR)
    return _PIPELINE


@contextmanager
def _time_limit(seconds: float | None):
    """An alarm in worker processes; none in threads (Dask's), where signals cannot go."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum, frame):
        raise _DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failure(item: Item, stage: str, reason: str, *, document_id: str | None = None,
             error: BaseException | None = None) -> dict:
    detail = None
    if error is not None and stage in ("pipeline", "validate"):
        detail = "".join(traceback.format_exception(error)[-6:])[-4000:]
    row = error_row(source=item.source, stage=stage, reason=reason, path=item.path, record_id=item.record_id,
                    document_id=document_id, error_type=type(error).__name__ if error else None, detail=detail,
                    size=len(item.data))
    return {"ok": False, "error": row, "document_id": document_id}


_EMPTY_FILE, _EMPTY_ROW = "empty: the file has no bytes", "empty: the row's text is empty"


def _reason_for(item: Item, reason: str) -> str:
    """A reason as it reads for this source: a row of an archive is no file, and a file that
    has the bytes of an empty row is one."""
    if item.record_id is not None and reason == _EMPTY_FILE:
        return _EMPTY_ROW
    if item.record_id is None and reason == _EMPTY_ROW:
        return _EMPTY_FILE
    return reason


def process_item(item: Item, options: WorkerOptions) -> dict:
    """Decode, extract and validate one document; its table rows (its result among them), or
    its error row."""
    from .schema import SchemaError

    _watch(options.batch_pid)
    started = time.perf_counter()
    try:
        document = decode_document(item.data, item.source, path=item.path_in_result, max_bytes=options.max_bytes)
    except InputError as error:
        return _failure(item, "decode", _reason_for(item, error.reason), document_id=item.sha256)
    except Exception as error:  # noqa: BLE001
        return _failure(item, "decode", f"{type(error).__name__}: {error}", document_id=item.sha256, error=error)

    try:
        with _time_limit(options.timeout):
            from .pipeline import process

            result = process(document, _pipeline())
    except _DocumentTimeout as error:
        return _failure(item, "pipeline", f"timed out after {options.timeout:g} s", document_id=document.sha256, error=error)
    except SchemaError as error:
        return _failure(item, "validate", f"the result does not match the schema at {error}", document_id=document.sha256, error=error)
    except RecursionError as error:
        return _failure(item, "pipeline", "RecursionError: maximum recursion depth exceeded", document_id=document.sha256, error=error)
    except Exception as error:  # noqa: BLE001 - any failure of the pipeline is this document's
        message = str(error).splitlines()[0][:500] if str(error) else ""
        return _failure(item, "pipeline", f"{type(error).__name__}: {message}".rstrip(": "), document_id=document.sha256, error=error)
    rows = rows_from_result(result, text=document.text, source=item.source, path=item.path, record_id=item.record_id,
                            seconds=round(time.perf_counter() - started, 4))
    return {"ok": True, "document_id": document.sha256, "rows": rows}


def process_task(function: Callable[[Item, WorkerOptions], dict], items: list[Item], options: WorkerOptions) -> list[dict]:
    """Run ``function`` on each document of a task: the outcome of each, in order. An
    exception of one document is its failure; the others go on."""
    outcomes = []
    for item in items:
        try:
            outcomes.append(function(item, options))
        except (Exception, SystemExit) as error:  # noqa: BLE001 - process_item catches its own; a custom worker may not
            outcomes.append(_failure(item, "pipeline", f"{type(error).__name__}: {error}", document_id=item.sha256, error=error))
    return outcomes


# The worker processes fork from a forkserver that has imported this module and, before the
# first fork, loaded the pipeline and run it once (its lexicons and the schema load lazily,
# about 3 s): every worker starts warm, and shares those pages with the others until it
# writes to them. The parent marks the forkserver it starts with this variable.
_WARM_ENV = "MINUTES_BATCH_WARM_FORKSERVER"
WARM_TEXT = "استاندار تهران در جلسه شورای اداری گفت: ۳۰ درصد اعتبارات تا پایان سال به مناطق محروم اختصاص می‌یابد.\n"


def _warm() -> None:
    # spaCy's import and the lexicons make a million objects that all live on: the collector
    # would walk them again and again meanwhile (a sixth of the start-up). The few thousand
    # objects that the imports leave in cycles are not worth a full collection (0.1 s).
    gc.disable()
    try:
        from .pipeline import process

        process(decode_document(WARM_TEXT.encode("utf-8"), "<warm-up>"), _pipeline())
    except BaseException:  # noqa: BLE001 - each document will say what is wrong
        pass
    finally:
        gc.enable()
    # The pipeline and its lexicons live as long as the workers: out of the garbage
    # collector's sight, its collections in the workers do not walk them again and again
    # (nor write to their shared pages).
    gc.freeze()
    # A document makes tens of thousands of short-lived objects: with a larger young
    # generation the collector runs a tenth as often (its time per document halves).
    gc.set_threshold(10_000, 10, 10)


def _exit_at_once() -> None:
    # The forkserver holds the batch's stderr, so whoever reads it (a pipe, a log, the
    # benchmark) waits for it to exit; tearing down spaCy and the lexicons object by object
    # takes a tenth of a second or more, and nothing in them needs saving. Nobody waits for
    # its exit status.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _stale_worker_request(exc_type: type[BaseException], tb) -> bool:
    """Whether a worker failed to start because the pool that asked for it is gone: a batch
    interrupted (Ctrl-C) while the forkserver was still loading leaves its requests for
    workers behind, and removes the pool's semaphore, which each such worker then fails to
    open once the forkserver gets to it."""
    if not issubclass(exc_type, FileNotFoundError):
        return False
    frames = traceback.extract_tb(tb)
    return bool(frames) and frames[-1].filename.endswith(os.path.join("multiprocessing", "synchronize.py"))


def _forkserver_excepthook(exc_type, exc, tb) -> None:
    # The forkserver's child says why it could not become a worker with sys.excepthook:
    # nothing to tell whoever interrupted the batch, which has said so already.
    if not _stale_worker_request(exc_type, tb):
        sys.__excepthook__(exc_type, exc, tb)


# Taken from the environment, so that the workers, forked from the forkserver, have it not.
_STARTED_BY = os.environ.pop(_WARM_ENV, None)
if _STARTED_BY is not None:  # this is the forkserver that a batch started
    sys.excepthook = _forkserver_excepthook
    if _STARTED_BY == str(os.getppid()):  # not when that batch is gone already (interrupted at once)
        _warm()
        # Its children (the workers) leave by os._exit and never run this.
        atexit.register(_exit_at_once)


def start_forkserver() -> multiprocessing.context.BaseContext:
    """The forkserver context, its server started (warm) if it is not running yet."""
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extract.batch"])
    os.environ[_WARM_ENV] = str(os.getpid())
    # The forkserver ignores Ctrl-C from its start (an ignored signal stays ignored in the
    # program a process runs), not only once it serves: Ctrl-C is the batch's to handle, and
    # one that came while the forkserver loads the pipeline printed its traceback.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
    try:
        forkserver.ensure_running()
    finally:
        os.environ.pop(_WARM_ENV, None)
        if in_main_thread and previous is not None:
            signal.signal(signal.SIGINT, previous)
    return context


def _init_worker(batch_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the reading process's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _watch(batch_pid)


# ---------------------------------------------------------------- engines


class WorkerLost(Exception):
    """The worker running a document died (crash, out of memory, killed)."""


class ProcessEngine:
    """Worker processes on this machine."""

    isolates_failures = False  # a dead worker breaks the whole pool: find the culprit ourselves

    def __init__(self, workers: int, options: WorkerOptions, function: Callable = None):
        self.workers = workers
        self.options = options
        self.function = function or process_item
        self._start()

    def _start(self) -> None:
        context = start_forkserver()
        self.pool = cf.ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                           initargs=(os.getpid(),),
                                           max_tasks_per_child=max(1, RECYCLE_AFTER // TASK_DOCUMENTS))

    def submit(self, items: list[Item]):
        try:
            return self.pool.submit(process_task, self.function, items, self.options)
        except cf.process.BrokenProcessPool as error:  # a worker died since the last look
            future: cf.Future = cf.Future()
            future.set_exception(error)  # the task fails with the pool, and is run again
            return future

    def wait(self, futures, timeout: float | None):
        done, _ = cf.wait(futures, timeout=timeout, return_when=cf.FIRST_COMPLETED)
        return done

    def outcome(self, future) -> list[dict]:
        try:
            return future.result()
        except cf.process.BrokenProcessPool as error:
            raise WorkerLost(str(error)) from None

    def restart(self) -> None:
        self.close(cancel=True)
        self._start()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            processes = list((self.pool._processes or {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:  # our own workers, by their handle
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(5)
        else:
            self.pool.shutdown(wait=True)


class DaskEngine:
    """The same worker function on a dask.distributed cluster (a LocalCluster by default)."""

    isolates_failures = True  # dask re-runs a lost task elsewhere and names the one that kills workers

    def __init__(self, workers: int, options: WorkerOptions, scheduler: str | None = None,
                 function: Callable = None):
        import logging

        import dask

        dask.config.set({"distributed.scheduler.allowed-failures": 2})  # a document that kills 3 workers is the cause
        from distributed import Client, LocalCluster

        if not scheduler:  # local workers fork from our warm forkserver too
            start_forkserver()
            dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"})

        self.options = options
        self.function = function or process_item
        self.cluster = None
        if scheduler:
            message = None
            try:
                self.client = Client(scheduler)
            except (OSError, ValueError, TypeError) as error:  # no scheduler there (a time-out), no address, no TLS
                message = str(error).splitlines()[0] if str(error) else type(error).__name__
            if message is not None:
                # The Client that could not connect is left half made, in a reference cycle. Were
                # the collector to finalize it later while distributed holds its loops' lock
                # (as a LocalCluster starts, in this process), its __del__ would wait for that
                # lock forever: it is finalized now, its traceback gone with the except block.
                gc.collect()
                raise BatchError(f"--scheduler {scheduler}: no Dask scheduler answers there ({message})")
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)

    def submit(self, items: list[Item]):
        return self.client.submit(process_task, self.function, items, self.options, pure=False)

    def wait(self, futures, timeout: float | None):
        from distributed import wait

        try:
            done, _ = wait(list(futures), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return set()
        return done

    def outcome(self, future) -> list[dict]:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as error:
            raise WorkerLost(str(error)) from None
        finally:
            future.release()

    def restart(self) -> None:
        pass

    def close(self, cancel: bool = False) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


# ---------------------------------------------------------------- progress


class Reporter:
    """Silent; the base of the progress displays."""

    def start(self, total: int | None) -> None: ...

    def set_total(self, total: int | None) -> None: ...

    def update(self, summary: "Summary") -> None: ...

    def error(self, row: dict) -> None: ...

    def finish(self, summary: "Summary") -> None: ...


class LogReporter(Reporter):
    """Plain lines on stderr (not a terminal): one every ``every`` seconds, and each error."""

    MAX_ERROR_LINES = 100

    def __init__(self, stream=None, every: float = 10.0):
        self.stream = stream or sys.stderr
        self.every = every
        self.last = 0.0
        self.total: int | None = None
        self.errors_shown = 0

    def _line(self, text: str) -> None:
        print(f"minutes batch: {text}", file=self.stream, flush=True)

    def start(self, total: int | None) -> None:
        self.total = total
        self.last = time.monotonic()

    def set_total(self, total: int | None) -> None:
        self.total = total

    def update(self, summary: "Summary") -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._line(summary.progress_line(self.total))

    def error(self, row: dict) -> None:
        self.errors_shown += 1
        if self.errors_shown <= self.MAX_ERROR_LINES:
            self._line(f"error: {row['source']}: {row['stage']}: {row['reason']}")
        elif self.errors_shown == self.MAX_ERROR_LINES + 1:
            self._line("more errors: see the errors table (minutes query STORE 'SELECT * FROM errors')")

    def finish(self, summary: "Summary") -> None:
        self._line(summary.final_line())


class RichReporter(Reporter):
    """A rich progress bar on a terminal: documents, MB/s, errors, time left."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import (BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn, TransferSpeedColumn)

        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]{task.fields[documents]:,}[/] documents"),
            BarColumn(),
            TaskProgressColumn(),
            TransferSpeedColumn(),
            TextColumn("[red]{task.fields[errors]:,} errors[/]"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task = None
        self.errors_shown = 0

    def start(self, total: int | None) -> None:
        self.progress.start()
        self.task = self.progress.add_task("batch", total=total, documents=0, errors=0)

    def set_total(self, total: int | None) -> None:
        self.progress.update(self.task, total=total)

    def update(self, summary: "Summary") -> None:
        self.progress.update(self.task, completed=summary.bytes, documents=summary.finished,
                             errors=summary.failed + summary.failed_before)

    def error(self, row: dict) -> None:
        self.errors_shown += 1
        if self.errors_shown <= 20:
            self.progress.console.print(f"[red]error[/] {row['source']}: {row['stage']}: {row['reason']}",
                                        markup=True, highlight=False, soft_wrap=True)

    def finish(self, summary: "Summary") -> None:
        self.update(summary)
        self.progress.stop()
        self.console.print(summary.final_line(), highlight=False)


# ---------------------------------------------------------------- the run


@dataclass
class Summary:
    store: str = ""
    documents: int = 0  # documents met in the inputs, including duplicates and failures
    processed: int = 0  # run through the pipeline now
    redone: int = 0  # of those, documents the store held from another pipeline version
    skipped: int = 0  # already in the store
    duplicates: int = 0  # same bytes as another document of this run, done
    failed: int = 0  # failed now, copies of bytes that failed now included (each is an error row)
    failed_before: int = 0  # failed in an earlier run (not tried again)
    gone: int = 0  # sources of the store no longer there: deleted files, rows removed from archives
    kept_missing: int = 0  # sources missing but kept: none of their folder's or archive's is left
    all_missing: list[str] = field(default_factory=list)  # those folders and archives
    # Files and rows met again under another name in this run (inputs that overlap: "in" and
    # a link to it, a folder and a file in it): read once, and not counted in ``documents``.
    named_again: int = 0
    bytes: int = 0
    shards: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    stopped: bool = False  # WorkersCannotRun
    started: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> int:
        """Documents with an outcome: done, skipped or failed (the rest are in flight)."""
        return (self.processed + self.skipped + self.duplicates + self.failed
                + self.failed_before)

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some documents failed, 3 stopped: the workers cannot run (the
        command line's codes; an interrupted batch is the caller's to tell)."""
        if self.stopped:
            return 3
        return 1 if (self.failed or self.failed_before) else 0

    def progress_line(self, total: int | None) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.bytes / elapsed
        line = (f"{self.finished:,} documents ({self.failed + self.failed_before:,} errors), "
                f"{self.bytes / 1e6:.1f} MB at {rate / 1e6:.2f} MB/s, {elapsed:.0f} s")
        if total:
            left = (total - self.bytes) / rate if rate > 0 else float("inf")
            line += f", {100 * self.bytes / total:.0f}% of {total / 1e6:.1f} MB"
            if left != float("inf"):
                line += f", about {left:.0f} s left"
        return line

    def final_line(self) -> str:
        parts = [f"{self.processed:,} processed" + (f" ({self.redone:,} of them again: the pipeline changed)" if self.redone else "")]
        if self.skipped:
            parts.append(f"{self.skipped:,} already in the store")
        if self.duplicates:
            parts.append(f"{self.duplicates:,} duplicates")
        parts.append(f"{self.failed:,} failed")
        if self.failed_before:
            parts.append(f"{self.failed_before:,} failed in an earlier run (--retry-errors to try again)")
        rate = self.bytes / self.seconds / 1e6 if self.seconds else 0.0
        status = "interrupted" if self.interrupted else "stopped" if self.stopped else "done"
        if self.documents > self.finished:
            parts.append(f"{self.documents - self.finished:,} left unfinished")
        if self.gone:
            parts.append(f"{self.gone:,} gone from the store (deleted, or no longer in their archive)")
        if self.named_again:
            parts.append(f"{self.named_again:,} named twice in the inputs (read once)")
        if self.kept_missing:
            parts.append(f"{self.kept_missing:,} missing but kept (every source of {', '.join(self.all_missing)} "
                         "is missing; --allow-all-gone to let them go)")
        return (f"{status}: {self.documents:,} documents: " + ", ".join(parts)
                + f"; {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s ({rate:.2f} MB/s) -> {self.store}")

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "started"} | {"exit_code": self.exit_code}


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _in_failed_read(item: Item, failed_reads: dict[str, int | None]) -> bool:
    """Whether the item lies in a folder that could not be listed, or an archive that could
    not be read to its end, in an earlier batch: a row of ``sources`` then says that it is
    read now (and the error goes)."""
    if not failed_reads:
        return False
    if item.record_id is not None:  # its archive, however named
        return item.path in failed_reads or item.source[: -len(item.record_id) - 1] in failed_reads
    # Its folder or one above, where it lies (or as named, in a store written before paths were absolute).
    return any(str(folder) in failed_reads for folder in (*Path(item.path or "").parents, *Path(item.source).parents))


def _paths_under(paths: list[str], folder: str) -> list[str]:
    """The absolute paths of a sorted list that lie in the absolute path ``folder``."""
    prefix = os.path.join(folder, "")
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return paths[bisect.bisect_left(paths, prefix):bisect.bisect_left(paths, after)]


def _exists(path: str) -> bool:
    """Whether a file or folder is there. One that cannot be looked at (a folder on the way
    without permission) counts as there: only a missing one is gone."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def _same_failure(failure: Failure, failed_reads: dict[str, int | None]) -> bool:
    """Whether a read failure is already in the store: the same source (and, for a file,
    the same size: a file that changed is read again)."""
    identity = source_identity(failure.source, failure.path, failure.record_id)
    if identity not in failed_reads:
        identity = failure.source  # by its name, a row of a store written before paths were absolute
        if identity not in failed_reads:
            return False
    return failure.record_id is not None or failed_reads[identity] in (None, failure.size)


class _Runner:
    def __init__(self, writer: StoreWriter, engine, reporter: Reporter, summary: Summary, in_flight: int,
                 task_documents: int = TASK_DOCUMENTS, allow_all_gone: bool = False):
        self.writer = writer
        self.allow_all_gone = allow_all_gone
        self.engine = engine
        self.reporter = reporter
        self.summary = summary
        self.max_in_flight = in_flight
        self.task_documents = task_documents
        self.in_flight: dict[Any, list[Item]] = {}  # task -> its documents
        self.task: list[Item] = []  # documents of the next task
        self.task_bytes = 0
        self.hashes_in_flight: set[bytes] = set()  # in a task sent or to send
        self.last_flush = time.monotonic()

    # -- outcomes

    def relocate(self, entry: Item | Failure, state) -> None:
        """A row written now for a source that a store written before paths were absolute knows
        by this name alone: the name's row goes (the new row says where the source lies)."""
        if entry.source in state.unlocated and entry.path is not None and entry.path.startswith("/"):
            path, record_id = state.unlocated.pop(entry.source)
            self.writer.add({"sources": [{"source": entry.source, "path": path, "record_id": record_id, "document_id": None}]})

    def record_failure(self, row: dict, size: int) -> None:
        self.writer.add_error(row)
        self.summary.failed += 1
        self.summary.bytes += size
        self.reporter.error(row)

    def handle(self, item: Item, outcome: dict, state) -> None:
        digest = bytes.fromhex(item.sha256)
        self.relocate(item, state)
        if outcome["ok"]:
            self.writer.add(outcome["rows"])
            state.done.add(digest)
            self.done_now.add(digest)
            self.summary.processed += 1
            self.summary.redone += digest in state.stale
            self.summary.bytes += item.size
            for copy in self.waiting.pop(digest, ()):
                self.summary.duplicates += 1
                self.note_source(copy, state)
        else:
            self.failed_now[digest] = outcome["error"]
            self.record_failure(outcome["error"], item.size)
            for copy in self.waiting.pop(digest, ()):
                self.summary.failed += 1  # an error row of its own
                self.copy_failure(copy, outcome["error"], state)

    def copy_failure(self, item: Item, failure: dict, state) -> None:
        """A source with the same bytes as one that failed: an error row of its own, the same
        reason (three empty files are three errors), the first source named in ``detail``."""
        self.relocate(item, state)
        row = error_row(source=item.source, stage=failure["stage"], reason=_reason_for(item, failure["reason"]), path=item.path,
                        record_id=item.record_id, document_id=item.sha256, error_type=failure.get("error_type"),
                        detail=f"the same bytes as {failure['source']}", size=len(item.data))
        self.writer.add_error(row)
        self.reporter.error(row)

    def blame(self, item: Item) -> dict:
        """The outcome of a document whose worker died while running it alone: its failure,
        once a worker is seen to survive a task of no document (if none does, workers die of
        themselves and the document is not to blame: WorkersCannotRun)."""
        probe = self.engine.submit([])
        # Bounded: a cluster may have no worker left to run it.
        if not self.engine.wait([probe], PROBE_TIMEOUT):
            raise WorkersCannotRun(f"no worker ran a task of no document within {PROBE_TIMEOUT:g} s, "
                                   f"after a worker died running {item.source}. {_WORKERS_CANNOT_RUN}")
        try:
            self.engine.outcome(probe)
        except WorkerLost:
            raise WorkersCannotRun("the worker processes die even with no document to run, so no document "
                                   f"is to blame (any error they printed is above). {_WORKERS_CANNOT_RUN}") from None
        return self.lost(item)

    def lost(self, item: Item) -> dict:
        row = error_row(source=item.source, stage="pipeline", path=item.path, record_id=item.record_id,
                        document_id=item.sha256, error_type="WorkerLost", size=len(item.data),
                        reason="the worker process died while running it (a crash, or out of memory)")
        return {"ok": False, "error": row}

    # -- the loop

    def collect(self, state, timeout: float | None) -> None:
        if not self.in_flight:
            return
        done = self.engine.wait(list(self.in_flight), timeout)
        suspects = []
        for future in done:
            items = self.in_flight.pop(future)
            for item in items:
                self.hashes_in_flight.discard(bytes.fromhex(item.sha256))
            try:
                outcomes = self.engine.outcome(future)
            except WorkerLost:
                if len(items) == 1 and self.engine.isolates_failures:
                    outcomes = [self.blame(items[0])]
                elif self.engine.isolates_failures:  # the cluster goes on: each runs alone to tell which
                    for item in items:
                        self.resubmit(item)
                    continue
                else:  # the pool broke with everything in flight: each runs alone on a new one
                    suspects.extend(items)
                    continue
            except Exception as error:  # noqa: BLE001 - e.g. a task that cannot be sent to a worker
                if len(items) > 1:  # whose failure is it? each runs alone to tell
                    for item in items:
                        self.resubmit(item)
                    continue
                outcomes = [_failure(items[0], "pipeline", f"{type(error).__name__}: {error}", document_id=items[0].sha256,
                                     error=error)]
            for item, outcome in zip(items, outcomes, strict=True):
                self.handle(item, outcome, state)
        if suspects:
            self.isolate(suspects, state)
        self.reporter.update(self.summary)
        if self.writer.pending and time.monotonic() - self.last_flush > SHARD_SECONDS:
            self.flush(wait=False)

    def isolate(self, suspects: list[Item], state) -> None:
        """The pool broke: every document in flight failed with it. Run them again one at a
        time on a fresh pool; the one that breaks it again is recorded as the cause."""
        for future, items in self.in_flight.items():
            outcomes = None
            if future.done():  # finished before the break: its answer stands
                try:
                    outcomes = self.engine.outcome(future)
                except Exception:  # noqa: BLE001 - lost with the pool, or failed: run again below
                    outcomes = None
            if outcomes is None:
                suspects.extend(items)
                continue
            for item, outcome in zip(items, outcomes, strict=True):
                self.hashes_in_flight.discard(bytes.fromhex(item.sha256))
                self.handle(item, outcome, state)
        self.in_flight.clear()
        for item in suspects:
            self.hashes_in_flight.discard(bytes.fromhex(item.sha256))
        self.engine.restart()
        for item in suspects:
            future = self.engine.submit([item])
            self.engine.wait([future], None)
            try:
                [outcome] = self.engine.outcome(future)
            except WorkerLost:
                self.engine.restart()
                outcome = self.blame(item)
            except Exception as error:  # noqa: BLE001 - e.g. a document that cannot be sent to a worker
                outcome = _failure(item, "pipeline", f"{type(error).__name__}: {error}", document_id=item.sha256, error=error)
            self.handle(item, outcome, state)
            self.reporter.update(self.summary)

    def flush(self, wait: bool = True) -> None:
        self.writer.flush(wait=wait)
        self.last_flush = time.monotonic()

    def run(self, entries: Iterator[Item | Failure], state, retry_errors: bool, inputs_overlap: bool = False) -> None:
        """Every entry to its outcome. ``inputs_overlap``: the inputs may name a file twice
        (see :func:`inputs_overlap`), so the sources met are remembered (only then: their
        memory grows with the archive) and one met again is read once."""
        self.failed_now: dict[bytes, dict] = {}  # documents this run saw fail: their error rows
        self.done_now: set[bytes] = set()  # documents this run has done
        # Sources met while a document of the same bytes was in flight: named once it is done.
        self.waiting: dict[bytes, list[Item]] = {}
        met: set[str] | None = set() if inputs_overlap else None
        places_read: set[str] = set()  # folders and archives read to their end
        self.kept_missing: dict[str, set[str]] = {}  # place -> its sources missing but kept
        self.read_failures_now: set[str] = set()  # sources that could not be read in this run
        for entry in entries:
            if isinstance(entry, ReadToEnd):
                if entry.name not in places_read:  # a folder named twice is read to its end once
                    places_read.add(entry.name)
                    self.note_gone(entry, state)
                continue
            if met is not None and entry.path != STDIN:
                identity = source_identity(entry.source, entry.path, entry.record_id)
                if identity in met:
                    self.summary.named_again += 1
                    self.summary.bytes += entry.size
                    # This name's row in a store written before paths were absolute: the
                    # source's row of this run (or the store's) says where it lies.
                    self.relocate(entry, state)
                    continue
                met.add(identity)
            if not isinstance(entry, Item):
                self.read_failures_now.add(source_identity(entry.source, entry.path, entry.record_id))
                self.summary.documents += 1
                if not retry_errors and _same_failure(entry, state.failed_reads):
                    self.summary.failed_before += 1  # failed the same way before: recorded already
                    self.summary.bytes += entry.size
                    continue
                self.relocate(entry, state)
                self.record_failure(error_row(source=entry.source, stage="read", reason=entry.reason, path=entry.path,
                                              record_id=entry.record_id, size=entry.size), entry.size)
                continue
            self.summary.documents += 1
            digest = bytes.fromhex(entry.sha256)
            if digest in self.done_now:
                self.summary.duplicates += 1  # the same bytes as a document done a moment ago
                self.summary.bytes += entry.size
                self.note_source(entry, state)
            elif digest in state.done:
                self.summary.skipped += 1
                self.summary.bytes += entry.size
                self.note_source(entry, state)
            elif digest in self.failed_now:
                self.summary.failed += 1  # the same bytes failed a moment ago: an error row of its own
                self.summary.bytes += entry.size
                self.copy_failure(entry, self.failed_now[digest], state)
            elif not retry_errors and digest in state.failed_hashes:
                self.summary.bytes += entry.size
                identity = source_identity(entry.source, entry.path, entry.record_id)
                # (By its name, a row of a store written before paths were absolute.)
                if state.failed_sources.get(identity, state.failed_sources.get(entry.source, "")) != entry.sha256:
                    # A new source (or new bytes of one) with bytes that failed before: an
                    # error row of its own, written now.
                    state.failed_sources[identity] = entry.sha256
                    self.copy_failure(entry, state.failed_hashes[digest], state)
                    self.summary.failed += 1
                else:
                    self.summary.failed_before += 1
            elif digest in self.hashes_in_flight:
                # Counted once the outcome of its bytes is known: a duplicate, or a failure.
                self.summary.bytes += entry.size
                self.waiting.setdefault(digest, []).append(entry)
            else:
                self.task.append(entry)
                self.task_bytes += len(entry.data)
                self.hashes_in_flight.add(digest)
                if len(self.task) >= self.task_documents or self.task_bytes >= TASK_BYTES:
                    self.send(state)
                continue
            self.reporter.update(self.summary)
        if self.task:
            self.send(state)
        while self.in_flight:
            self.collect(state, timeout=1.0)

    def note_source(self, item: Item, state) -> None:
        """A source that holds the bytes of a document done (or on its way): a row of
        ``sources`` names it, unless the store says so already. A copy leaves a trace, and a
        file fixed after it failed leaves ``errors``."""
        identity = source_identity(item.source, item.path, item.record_id)
        # A row of a store written before paths were absolute that has this name gets one
        # that says where it lies.
        if (state.sources.get(identity) == item.sha256 and not _in_failed_read(item, state.failed_reads)
                and item.source not in state.unlocated):
            return
        if item.path != STDIN:
            state.sources[identity] = item.sha256
            self.relocate(item, state)
        self.writer.add({"sources": [{"source": item.source, "path": item.path, "record_id": item.record_id,
                                      "document_id": item.sha256}]})

    def note_gone(self, end: ReadToEnd, state) -> None:
        """A folder or an archive read to its end: each source of the store in it that is no
        longer there (a file or archive that no longer exists, an archive row whose id is no
        longer in it) gets a row of ``sources`` without a document, committed with the next
        shard, and leaves the tables as in a batch run afresh. A file that exists but that
        --include/--exclude leave out this time keeps its rows.

        Unless ``allow_all_gone``, none goes when every source the store holds from the place
        is missing and, for a folder, no file was read from it: that is what a drive not
        mounted (its empty mount folder), a folder moved or an archive read with the wrong
        ``--id-column`` look like, far more often than an archive deleted on purpose. They
        stay, and the summary names the place. (A folder whose files were all replaced by
        others is read as it is.)"""

        def held(identity: str) -> bool:  # False: an archive with rows only, or gone already
            return identity in state.sources or identity in state.failed_sources

        # (identity, name, path, record id) of each source of the store in the place
        if end.ids is not None:  # an archive; a row without an id is the archive's own error
            entries = [(identity, source, end.name, record_id)
                       for identity, source, record_id in state.located.get(end.name, ()) if record_id is not None]
            gone = [entry for entry in entries if held(entry[0]) and not end.has_row(entry[3])]
        else:
            paths = _paths_under(state.paths, end.name)
            missing_paths = [path for path in paths if not _exists(path)]
            entries = [(identity, source, path, record_id)
                       for path in paths for identity, source, record_id in state.located.get(path, ())]
            gone = [(identity, source, path, record_id) for path in missing_paths
                    for identity, source, record_id in state.located.get(path, ()) if held(identity)]
            self.note_listed(end, [end.name, *paths], state)
        missing = {entry[0] for entry in gone}
        if not missing:
            return
        if (not self.allow_all_gone and (end.ids is not None or not end.files)
                and missing == {entry[0] for entry in entries if held(entry[0])}):
            self.kept_missing[end.name] = missing
            self._count_kept()
            return
        if end.ids is not None:
            state.located[end.name] = [entry for entry in state.located[end.name] if entry[0] not in missing]
        else:
            for path in missing_paths:
                state.located.pop(path, None)
        for identity, source, path, record_id in gone:
            if not held(identity):
                continue  # gone already: in the errors and the sources both
            for table in (state.sources, state.failed_sources, state.failed_reads):
                table.pop(identity, None)
            self.writer.add({"sources": [{"source": source, "path": path, "record_id": record_id, "document_id": None}]})
            self.summary.gone += 1
            for kept in self.kept_missing.values():  # kept for a folder in this one: gone after all
                kept.discard(identity)
        self._count_kept()

    def note_listed(self, end: ReadToEnd, paths: list[str], state) -> None:
        """A folder that could not be listed before, and was listed by this walk (it is a
        folder, the walk did not leave it out, and it did not fail now), leaves ``errors``
        (a ``sources`` row without a document, as for a source gone), even when it holds no
        file that can be read."""
        for path in paths:
            for identity, source, record_id in state.located.get(path, ()):
                if (identity in state.failed_reads and record_id is None and os.path.isdir(path)
                        and self._listed_now(path, end)):
                    del state.failed_reads[identity]
                    state.failed_sources.pop(identity, None)
                    self.writer.add({"sources": [{"source": source, "path": path, "record_id": None, "document_id": None}]})

    def _listed_now(self, folder: str, end: ReadToEnd) -> bool:
        """Whether the walk of ``end`` listed this folder in it: neither it nor a folder between
        them failed to be listed in this run, and no --exclude glob left it out."""
        relative = os.path.relpath(folder, end.name).replace(os.sep, "/")
        if relative != "." and pruned(relative, end.exclude):
            return False
        while True:
            if folder in self.read_failures_now:  # a folder's identity is its path
                return False
            if folder == end.name or len(folder) <= len(end.name):
                return True
            folder = os.path.dirname(folder)

    def _count_kept(self) -> None:
        self.summary.kept_missing = len(set().union(*self.kept_missing.values()))
        self.summary.all_missing = [place for place, kept in self.kept_missing.items() if kept]

    def send(self, state) -> None:
        """Send the next task, once fewer than ``max_in_flight`` are out."""
        while len(self.in_flight) >= self.max_in_flight:
            self.collect(state, timeout=1.0)
        task, self.task, self.task_bytes = self.task, [], 0
        self.submit(task)

    def submit(self, items: list[Item]) -> None:
        self.in_flight[self.engine.submit(items)] = items
        self.hashes_in_flight.update(bytes.fromhex(item.sha256) for item in items)

    def resubmit(self, item: Item) -> None:
        """Run again, alone, a document of a task that failed as a whole."""
        self.submit([item])


def _interrupt_outside_imports(base) -> Callable[[int, Any], None]:
    """The handler of Ctrl-C (and SIGTERM) during a batch whose ``run`` has the frame
    ``base``: a KeyboardInterrupt, as Python's own handler raises, but not inside an import
    that the batch began. Raised between two of importlib's steps, it can leave Python's
    import lock held, and the next import of another thread then waits forever, and the
    batch with it (one interrupted as it started hung so). Inside such an import, the
    signal comes again a moment later (for at most 10 s: an import does not take longer)."""
    again = [0]

    def handle(signum: int, frame) -> None:
        while frame is not None and frame is not base:
            if frame.f_code.co_filename.startswith("<frozen importlib") and again[0] < 200:
                again[0] += 1
                threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()
                return
            frame = frame.f_back
        raise KeyboardInterrupt()

    return handle


def _restore(handlers: dict) -> None:
    for signum, handler in handlers.items():
        if handler is not None:  # None: a handler set from C, which Python cannot set again
            signal.signal(signum, handler)


def run(inputs: Iterable[str], store: str | Path, *, workers: int | None = None, engine: str = "processes",
        scheduler: str | None = None, spec: InputSpec = InputSpec(), timeout: float | None = DEFAULT_TIMEOUT,
        shard_size: int = 500, retry_errors: bool = False, allow_all_gone: bool = False,
        reporter: Reporter | None = None, stdin: io.BufferedIOBase | None = None, worker: Callable[[Item, WorkerOptions], dict] | None = None) -> Summary:
    """Run a batch; the summary says what happened (``summary.exit_code``: 0 all good, 1 some failed).

    ``worker`` is the function each worker runs on a document (default :func:`process_item`;
    it must be importable by name in worker processes). Raises :class:`BatchError` for bad
    arguments, before any work, and :class:`WorkersCannotRun` (its ``summary`` attribute
    says what was done and kept) when the worker processes die without a document.
    """
    inputs = check_inputs(inputs)
    if not spec.header and not str(spec.text_column).isdigit():
        raise BatchError("without a header, the text column is a column number (from 0)")
    if engine not in ENGINES:
        raise BatchError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    workers = workers or default_workers()
    if workers < 1:
        raise BatchError("--workers must be at least 1")
    reporter = reporter or Reporter()
    if engine == "processes" or not scheduler:
        # Workers on this machine fork from a forkserver that loads the pipeline (a second or
        # more): it starts first, and loads while the store is opened and read.
        start_forkserver()
    local = engine == "processes" or not scheduler
    options = WorkerOptions(max_bytes=spec.max_bytes, timeout=timeout, batch_pid=os.getpid() if local else None)
    previous_handlers = {}
    if threading.current_thread() is threading.main_thread():  # before any thread imports
        interrupt = _interrupt_outside_imports(sys._getframe())
        previous_handlers[signal.SIGTERM] = signal.signal(signal.SIGTERM, interrupt)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not a caller's own
            previous_handlers[signal.SIGINT] = signal.signal(signal.SIGINT, interrupt)
    executor = None
    try:
        if engine == "dask":  # before the store: a scheduler that does not answer leaves no store behind
            executor = DaskEngine(workers, options, scheduler, function=worker)
        writer = StoreWriter(store, shard_size=shard_size, background=True)
    except BaseException as error:
        if executor is not None:
            executor.close(cancel=True)
        _restore(previous_handlers)
        if isinstance(error, StoreError):
            raise BatchError(str(error)) from None
        raise
    summary = Summary(store=str(store))
    runner = None
    try:
        if executor is None:
            executor = ProcessEngine(workers, options, function=worker)
        state = writer.state()
        reporter.start(None)
        if "-" not in inputs:
            threading.Thread(target=lambda: reporter.set_total(total_bytes(inputs, spec)), daemon=True).start()
        # Documents from standard input come when their producer sends them: none waits for
        # a task to fill.
        runner = _Runner(writer, executor, reporter, summary, in_flight=IN_FLIGHT_PER_WORKER * workers,
                         task_documents=1 if "-" in inputs else TASK_DOCUMENTS, allow_all_gone=allow_all_gone)
        runner.run(iter_inputs(inputs, spec, stdin=stdin), state, retry_errors, inputs_overlap=inputs_overlap(inputs))
        runner.flush()
        executor.close()
        executor = None
    except KeyboardInterrupt:
        summary.interrupted = True
        if runner is not None:
            runner.flush()  # what is done is kept; the next run does the rest
    except WorkersCannotRun as error:
        summary.stopped = True
        error.summary = summary
        if runner is not None:
            runner.flush()
        raise
    finally:
        try:
            if executor is not None:
                executor.close(cancel=True)
        finally:  # also after a second Ctrl-C during the close: the store's lock is released
            writer.close(interrupted=summary.interrupted)
            summary.shards = writer.shards_written
            _restore(previous_handlers)
        summary.seconds = time.monotonic() - summary.started
        reporter.finish(summary)
    return summary
