"""The store of a batch: one JSON result per document plus the analysts' tables, in DuckDB.

Layout of a store folder (``minutes batch ... -o STORE``)::

    STORE/store.json                       marks the folder as a store (format, version)
    STORE/shards/<shard>/<table>.parquet   the tables, one Parquet file per table per shard;
                                           ``results`` holds each document's schema-valid JSON result
    STORE/tmp/                             work in progress; emptied when a batch starts
    STORE/.lock                            held (flock) by the one batch writing the store
    STORE/results/<h[:2]>/<h>.json         the results of a store written before they were a
                                           table (h = sha256 of the document's bytes): read by
                                           ``results`` as before, never written (keep it)

Why the results are a table and not a file each: creating a file costs the kernel far more
than writing its bytes (0.02-0.8 ms here, against microseconds for the same bytes in a
shard), a tenth of a batch's time on this machine, and an archive of 100,000 reports would
be 100,000 files to list, copy and back up. In a shard, a result is compressed with the
others and is queried like any table (``SELECT result->>'$.headline.text' FROM results``);
:meth:`Store.result` reads one, and ``minutes results STORE --out-dir DIR`` writes them as
files for whoever wants files.

Why Parquet shards and not one DuckDB database file: a shard is written once and never
changed, so a store is append-only and any number of processes (or Dask workers on other
machines) can prepare rows while one writer commits; DuckDB reads the shards as views,
so the SQL is the same as over tables, and the files open in pandas, Spark or the
``duckdb`` shell too. :func:`open` builds the views in an in-memory DuckDB connection.

Atomicity and resumability:

* A shard is written to ``tmp/<shard>/``, each of its files is fsync'ed, then the folder
  is renamed to ``shards/<shard>`` and ``shards/`` is fsync'ed. That rename is the commit:
  a shard is there with all its tables (a document's result with its rows) or not at all.
* The documents of the committed shards are done; a restarted batch skips them by their
  hash, unless another pipeline version made their result: those run again, and each
  table view shows a document's rows of its latest shard only (every run stays in the
  ``_<table>_log`` views). What a killed batch had not committed (the shard being committed
  and the rows buffered since: at most two shards' worth of documents, or two minutes'
  work) is run again by the next. Only one batch writes a store at a time (the
  lock), and a batch never sends the same hash twice, so no document is in two shards.

Tables (views), joined by ``document_id`` (the sha256) and item ids (``official_id``,
``figure_id``, ...; keys are (document_id, item id)): ``documents`` (with the original
text, so every span can be checked), ``sources`` (every source, a file or ARCHIVE#ID
named as the batch that recorded it read it, its ``path``, the absolute path of the file or archive
read, and the document it holds: copies of a document are there too; a source is where it
lies, however named, see :func:`source_identity`), ``officials``,
``organizations``, ``mentions``, ``figures``, ``targets``, ``commitments``, ``results``
(``document_id`` and ``result``, the JSON result, as DuckDB's JSON type) and ``errors``
(the latest failure of each source that has not succeeded since; every attempt is in
``error_log``). The tables describe each source as last read, as a batch run afresh on it
would: a file edited since its batch stands for its new text only, one that fails now for
its failure, and a document no source holds any more leaves every table (but stays in the
``_<table>_log`` views). A source no longer there is gone, as from a batch run afresh:
once a batch has walked a folder to its end (not interrupted), each source of the store
under it whose file, folder or archive no longer exists (is missing: one that cannot be
looked at for want of permission stays), and once it has read an archive to its end, each
of its rows whose id it no longer has, gets a row of ``_sources_log`` without a document
(``document_id`` NULL), committed with a shard like any row. From that shard on the source
is in no table (``sources``, ``errors``), and its document leaves every table unless
another source still holds it; read again later, the source is back. What is not read
stays: a file that exists but that this batch's --include/--exclude leave out (a store may
be built a part at a time), a folder or archive not named, a file named alone rather than
through its folder, an archive that could not be read to its end. Rows of standard input
have no lasting name: none replaces another, and none goes.
Every item has its evidence ``text`` as in the original, its ``spans`` and
``span_start``/``span_end`` (original-text offsets of its first and last span). SQL gets ``fold(text)``, the Persian
spelling folding of :func:`extract.evaluate.fold` (ي/ی, ك/ک, أ/ا, ZWNJ/space, digits), and hamza spellings
(رئیس/رییس, هیئت/هیأت/هیات, مسئول/مسؤول).
"""

from __future__ import annotations

import builtins
import datetime as dt
import fcntl
import functools
import itertools
import json
import os
import shutil
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import orjson

from .schema import enum

if TYPE_CHECKING:
    import pyarrow as pa

FORMAT = "minutes-store"
FORMAT_VERSION = 1
MARKER = "store.json"

# ---------------------------------------------------------------- table schemas


@functools.cache
def table_schemas() -> dict[str, "pa.Schema"]:
    """The Arrow schema of each table. pyarrow is imported here, not with the module: the
    batch's workers make rows, not tables, and start faster without it."""
    import pyarrow as pa

    spans = pa.list_(pa.struct([("start", pa.int64()), ("end", pa.int64())]))
    grounded = [("text", pa.string()), ("span_start", pa.int64()), ("span_end", pa.int64()), ("spans", spans)]

    return {
        "documents": pa.schema([
            ("document_id", pa.string()),
            ("source", pa.string()),
            ("path", pa.string()),
            ("record_id", pa.string()),
            ("encoding", pa.string()),
            ("bytes", pa.int64()),
            ("characters", pa.int64()),
            ("headline", pa.string()),
            ("meeting_body", pa.string()),
            ("meeting_place", pa.string()),
            ("meeting_date", pa.date32()),
            ("meeting_date_jalali", pa.string()),
            ("meeting_date_text", pa.string()),
            ("chair_id", pa.string()),
            ("n_sentences", pa.int32()),
            ("n_officials", pa.int32()),
            ("n_organizations", pa.int32()),
            ("n_figures", pa.int32()),
            ("n_targets", pa.int32()),
            ("n_commitments", pa.int32()),
            ("schema_version", pa.string()),
            ("pipeline_version", pa.string()),
            ("seconds", pa.float64()),
            ("text", pa.string()),
            ("shard", pa.string()),
        ]),
        # A source met again that holds the bytes of a document of the store (a copy, a file
        # fixed after it failed): the document it stands for now. A processed document's
        # own row in ``documents`` says the same of its source. A NULL document_id: the
        # source is gone (a deleted file, a row removed from its archive).
        "sources": pa.schema([
            ("source", pa.string()),
            ("path", pa.string()),
            ("record_id", pa.string()),
            ("document_id", pa.string()),
            ("shard", pa.string()),
        ]),
        "officials": pa.schema([
            ("document_id", pa.string()),
            ("official_id", pa.string()),
            ("name", pa.string()),
            ("title", pa.string()),
            ("organization", pa.string()),
            ("organization_id", pa.string()),
            ("honorifics", pa.list_(pa.string())),
            ("n_mentions", pa.int32()),
            *grounded,
            ("shard", pa.string()),
        ]),
        "organizations": pa.schema([
            ("document_id", pa.string()),
            ("organization_id", pa.string()),
            ("name", pa.string()),
            ("type", pa.string()),
            ("n_mentions", pa.int32()),
            *grounded,
            ("shard", pa.string()),
        ]),
        "mentions": pa.schema([
            ("document_id", pa.string()),
            ("entity_id", pa.string()),
            ("entity_type", pa.string()),
            ("mention", pa.int32()),
            ("kind", pa.string()),
            ("sentence_id", pa.string()),
            *grounded,
            ("shard", pa.string()),
        ]),
        "figures": pa.schema([
            ("document_id", pa.string()),
            ("figure_id", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("quantity", pa.string()),
            ("approximate", pa.bool_()),
            ("hedge", pa.string()),
            ("range_low", pa.float64()),
            ("range_high", pa.float64()),
            ("range_end", pa.string()),
            ("counted", pa.string()),
            ("rials", pa.float64()),
            ("speaker_id", pa.string()),
            ("speaker", pa.string()),
            ("sentence_id", pa.string()),
            *grounded,
            ("shard", pa.string()),
        ]),
        "targets": pa.schema([
            ("document_id", pa.string()),
            ("target_id", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("actor", pa.string()),
            ("actor_id", pa.string()),
            ("figure_id", pa.string()),
            ("commitment_id", pa.string()),
            ("deadline_text", pa.string()),
            ("deadline_date", pa.date32()),
            ("deadline_jalali", pa.string()),
            *grounded,
            ("shard", pa.string()),
        ]),
        "commitments": pa.schema([
            ("document_id", pa.string()),
            ("commitment_id", pa.string()),
            ("kind", pa.string()),
            ("actor", pa.string()),
            ("actor_id", pa.string()),
            ("speaker", pa.string()),
            ("speaker_id", pa.string()),
            ("action", pa.string()),
            ("negated", pa.bool_()),
            ("cue_text", pa.string()),
            ("cue_rule", pa.string()),
            ("deadline_text", pa.string()),
            ("deadline_date", pa.date32()),
            ("deadline_jalali", pa.string()),
            ("figure_ids", pa.list_(pa.string())),
            ("sentence_id", pa.string()),
            *grounded,
            ("shard", pa.string()),
        ]),
        # A document's JSON result (schema-valid, compact UTF-8, as `minutes extract` writes it).
        "results": pa.schema([
            ("document_id", pa.string()),
            ("result", pa.string()),
            ("shard", pa.string()),
        ]),
        "errors": pa.schema([
            ("source", pa.string()),
            ("path", pa.string()),
            ("record_id", pa.string()),
            ("document_id", pa.string()),
            ("stage", pa.string()),
            ("reason", pa.string()),
            ("error_type", pa.string()),
            ("detail", pa.string()),
            ("bytes", pa.int64()),
            ("pipeline_version", pa.string()),
            ("failed_at", pa.timestamp("s", tz="UTC")),
            ("shard", pa.string()),
        ]),
    }


TABLES = ("documents", "sources", "officials", "organizations", "mentions", "figures", "targets", "commitments", "results",
          "errors")
STDIN = "<stdin>"  # the path of a document read from standard input
ITEM_TABLES = ("officials", "organizations", "mentions", "figures", "targets", "commitments")
# "write": a result file that could not be written, in stores written when results were files.
STAGES = ("read", "decode", "pipeline", "validate", "write")


class StoreError(Exception):
    """A folder that is not a store, or a store in use by another batch."""


# ---------------------------------------------------------------- rows of one result


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _grounded(item: dict) -> dict:
    spans = [{"start": int(s["start"]), "end": int(s["end"])} for s in item.get("spans") or []]
    return {
        "text": item.get("text"),
        "span_start": spans[0]["start"] if spans else None,
        "span_end": spans[-1]["end"] if spans else None,
        "spans": spans,
    }


def _deadline(value: Any) -> dict:
    value = value or {}
    return {"deadline_text": value.get("text"), "deadline_date": _date(value.get("date")), "deadline_jalali": value.get("jalali")}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def rows_from_result(result: dict, *, text: str, source: str, path: str | None, record_id: str | None,
                     seconds: float | None) -> dict[str, list[dict]]:
    """The table rows of one schema-valid result (``text`` is the original decoded text),
    the result itself among them (``results``)."""
    document_id = result["source"]["sha256"]
    meeting = result.get("meeting") or {}
    date = meeting.get("date") or {}
    headline = result.get("headline")
    rows: dict[str, list[dict]] = {name: [] for name in ITEM_TABLES}
    rows["documents"] = [{
        "document_id": document_id,
        "source": source,
        "path": path,
        "record_id": record_id,
        "encoding": result["source"]["encoding"],
        "bytes": result["source"]["bytes"],
        "characters": result["text"]["characters"],
        "headline": headline["text"] if headline else None,
        "meeting_body": meeting.get("body"),
        "meeting_place": meeting.get("place"),
        "meeting_date": _date(date.get("gregorian")),
        "meeting_date_jalali": date.get("jalali"),
        "meeting_date_text": date.get("text"),
        "chair_id": meeting.get("chair"),
        "n_sentences": len(result.get("sentences") or []),
        **{f"n_{name}": len(result.get(name) or []) for name in ("officials", "organizations", "figures", "targets", "commitments")},
        "schema_version": result.get("schema_version"),
        "pipeline_version": result.get("pipeline_version"),
        "seconds": seconds,
        "text": text,
    }]
    rows["results"] = [{"document_id": document_id, "result": encode_result(result)}]
    names = {}
    for official in result.get("officials") or []:
        names[official["id"]] = official.get("name") or official.get("title") or official.get("text")
        rows["officials"].append({
            "document_id": document_id,
            "official_id": official["id"],
            "name": official.get("name"),
            "title": official.get("title"),
            "organization": official.get("organization"),
            "organization_id": official.get("organization_id"),
            "honorifics": list(official.get("honorifics") or []),
            "n_mentions": len(official.get("mentions") or []),
            **_grounded(official),
        })
    for organization in result.get("organizations") or []:
        rows["organizations"].append({
            "document_id": document_id,
            "organization_id": organization["id"],
            "name": organization.get("name"),
            "type": organization.get("type"),
            "n_mentions": len(organization.get("mentions") or []),
            **_grounded(organization),
        })
    for kind, entities in (("official", result.get("officials") or []), ("organization", result.get("organizations") or [])):
        for entity in entities:
            for index, mention in enumerate(entity.get("mentions") or []):
                rows["mentions"].append({
                    "document_id": document_id,
                    "entity_id": entity["id"],
                    "entity_type": kind,
                    "mention": index,
                    "kind": mention.get("kind"),
                    "sentence_id": mention.get("sentence"),
                    **_grounded(mention),
                })
    for figure in result.get("figures") or []:
        span = figure.get("range") or {}
        rows["figures"].append({
            "document_id": document_id,
            "figure_id": figure["id"],
            "value": _number(figure.get("value")),
            "unit": figure.get("unit"),
            "quantity": figure.get("quantity"),
            "approximate": figure.get("approximate"),
            "hedge": figure.get("hedge"),
            "range_low": _number(span.get("low")),
            "range_high": _number(span.get("high")),
            "range_end": span.get("end"),
            "counted": figure.get("counted"),
            "rials": _number(figure.get("rials")),
            "speaker_id": figure.get("speaker"),
            "speaker": names.get(figure.get("speaker")),
            "sentence_id": figure.get("sentence"),
            **_grounded(figure),
        })
    for target in result.get("targets") or []:
        rows["targets"].append({
            "document_id": document_id,
            "target_id": target["id"],
            "value": _number(target.get("value")),
            "unit": target.get("unit"),
            "actor": target.get("actor"),
            "actor_id": target.get("actor_id"),
            "figure_id": target.get("figure"),
            "commitment_id": target.get("commitment"),
            **_deadline(target.get("deadline")),
            **_grounded(target),
        })
    for commitment in result.get("commitments") or []:
        cue = commitment.get("cue") or {}
        rows["commitments"].append({
            "document_id": document_id,
            "commitment_id": commitment["id"],
            "kind": commitment.get("kind"),
            "actor": commitment.get("actor"),
            "actor_id": commitment.get("actor_id"),
            "speaker": commitment.get("speaker"),
            "speaker_id": commitment.get("speaker_id"),
            "action": commitment.get("action"),
            "negated": commitment.get("negated"),
            "cue_text": cue.get("text"),
            "cue_rule": cue.get("rule"),
            **_deadline(commitment.get("deadline")),
            "figure_ids": list(commitment.get("figures") or []),
            "sentence_id": commitment.get("sentence"),
            **_grounded(commitment),
        })
    return rows


def error_row(*, source: str, stage: str, reason: str, path: str | None = None, record_id: str | None = None,
              document_id: str | None = None, error_type: str | None = None, detail: str | None = None,
              size: int | None = None) -> dict:
    assert stage in STAGES, stage
    from .version import pipeline_version

    return {
        "source": source,
        "path": path,
        "record_id": record_id,
        "document_id": document_id,
        "stage": stage,
        "reason": reason,
        "error_type": error_type,
        "detail": detail,
        "bytes": size,
        "pipeline_version": pipeline_version(),
        "failed_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
    }


# ---------------------------------------------------------------- atomic files


def fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk."""
    fd = os.open(path, os.O_RDONLY)  # a folder opens read-only too
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# json.dumps with options makes a new encoder at every call; a result is compact UTF-8.
_RESULT_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode_result(result: dict) -> bytes:
    """A result as compact UTF-8 JSON, Persian unescaped, on one line: orjson writes the same
    bytes as the standard encoder, four times faster (a batch encodes every result); an
    integer beyond 64 bits, which orjson refuses, goes through the standard encoder. Bytes,
    not text: a worker sends them as they are, the batch holds them in half the memory of
    Python's text, and pyarrow takes them for a text column as they are (checking them)."""
    try:
        return orjson.dumps(result)
    except TypeError:
        return _RESULT_ENCODER.encode(result).encode("utf-8")


def _result_file(root: str | Path, document_id: str) -> dict | None:
    """A result of a store written before results were a table: ``results/<h[:2]>/<h>.json``
    (renamed into place whole), or None."""
    try:
        with builtins.open(os.path.join(root, "results", document_id[:2], f"{document_id}.json"), "rb") as file:
            return json.loads(file.read())
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def is_store(path: str | Path) -> bool:
    return (Path(path) / MARKER).is_file()


def committed_shards(root: Path) -> list[Path]:
    folder = root / "shards"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


# ---------------------------------------------------------------- the writer


@dataclass
class StoreState:
    """What a store already holds, read when a batch starts."""

    # sha256 digests of committed documents of this pipeline (held by a source or not: one
    # deleted and put back needs only a row of ``sources``)
    done: set[bytes] = field(default_factory=set)
    stale: set[bytes] = field(default_factory=set)  # committed, but by another pipeline: run again
    # Documents that failed once read: the error row of the source that failed (source, stage, reason, ...).
    failed_hashes: dict[bytes, dict] = field(default_factory=dict)
    # Sources are known by where they lie, however named (see ``source_identity``).
    failed_sources: dict[str, str | None] = field(default_factory=dict)  # source -> document_id of its error
    failed_reads: dict[str, int | None] = field(default_factory=dict)  # source -> bytes, failed before a hash
    # The document each source stands for now (the ``sources`` view; not standard input's
    # rows, which have no lasting name): a source met again with the same bytes, however
    # named this time, needs no new row.
    sources: dict[str, str] = field(default_factory=dict)
    # Where the sources of the tables lie, to tell which are gone: each file, folder (one
    # that could not be listed) and archive by its absolute path, with the sources there
    # (for an archive's rows, with their ids); and those paths, sorted. Rows of stores
    # written before paths were absolute lie nowhere known: none goes before it is read
    # again (and a row that says where is written then).
    located: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)  # (identity, name, row id)
    paths: list[str] = field(default_factory=list)
    # The rows that say nowhere where they lie (written before paths were absolute), by name:
    # (path, row id). Met again by that name, each gets a row that does, and the name's row goes.
    unlocated: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def source_identity(source: str, path: str | None, record_id: str | None) -> str:
    """What the tables know a source by (as the ``_identity`` macro of the views): where it
    lies, its file's absolute path, or its archive's and ``#`` and its row id, however a batch
    named it ("in/a.txt", "./in/a.txt", "/data/in/a.txt"); its name when no absolute path is
    known (a row of a store written before paths were absolute; standard input's rows are
    told apart by their documents too)."""
    if path is not None and path.startswith("/"):
        return path if record_id is None else f"{path}#{record_id}"
    return source


def _locate(state: StoreState, identity: str, source: str, path: str | None, record_id: str | None) -> None:
    if path is None or path == STDIN:  # standard input's rows never go
        return
    if os.path.isabs(path):
        state.located.setdefault(path, []).append((identity, source, record_id))
    else:
        state.unlocated[source] = (path, record_id)


def _import_table_writer() -> None:
    """Make ready what a commit uses: pyarrow, pandas (imported at pyarrow's first table) and
    the Parquet writer of every table (its first use costs a first commit 0.1 s more, writing
    empty tables to memory costs 6 ms)."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    for schema in table_schemas().values():
        pq.write_table(pa.Table.from_pylist([], schema=schema), io.BytesIO(), compression="zstd")


class StoreWriter:
    """The one writer of a store: takes the lock, buffers rows, commits shards.

    ``add(rows)`` buffers the rows of one document (or one error); ``flush()`` commits
    them as a shard. Nothing buffered is durable until a flush.

    With ``background=True`` the shards that ``add`` fills are committed by a thread
    (writing Parquet and syncing the files takes a good part of a second, in which a
    batch would leave its workers without work); one commit runs at a time, and
    ``flush()`` waits for it, then commits what is left before it returns.

    A shard holds ``shard_size`` documents, or fewer when their texts and results pass
    ``shard_bytes`` (a result is a few times its text: long documents would otherwise
    keep the buffer large).
    """

    def __init__(self, root: str | Path, *, shard_size: int = 500, background: bool = False,
                 shard_bytes: int = 64 * 2**20):
        self.root = Path(root)
        self.shard_size = shard_size
        self.shard_bytes = shard_bytes
        self.background = background
        self._committing: threading.Thread | None = None
        self._commit_error: BaseException | None = None
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"{self.root}: not a folder")
        if self.root.is_dir() and any(self.root.iterdir()) and not is_store(self.root):
            raise StoreError(f"{self.root}: a folder that is not a minutes store (no {MARKER}); name a new or empty folder")
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = builtins.open(self.root / ".lock", "a+")
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise StoreError(f"{self.root}: another batch is writing this store") from None
        if not is_store(self.root):
            marker = self.root / MARKER
            temporary = self.root / f".{MARKER}.tmp"
            temporary.write_text(json.dumps({"format": FORMAT, "version": FORMAT_VERSION}) + "\n", encoding="utf-8")
            os.replace(temporary, marker)
        shutil.rmtree(self.root / "tmp", ignore_errors=True)  # whatever a killed batch left half-written
        for folder in ("tmp", "shards"):
            (self.root / folder).mkdir(exist_ok=True)
        fsync(self.root)
        self._buffer: dict[str, list[dict]] = defaultdict(list)
        self._documents = 0
        self._bytes = 0  # characters of the buffered texts and results
        self.shards_written = 0
        self._importing: threading.Thread | None = None
        if background:
            # A commit needs pyarrow, and pandas, which pyarrow imports at its first table:
            # about half a second, spent now while the batch's workers start, not at the
            # first commit (nor is the Parquet writers' first use).
            self._importing = threading.Thread(target=_import_table_writer, name="minutes-store-imports", daemon=True)
            self._importing.start()

    # -- what is done

    def state(self) -> StoreState:
        """What is done: documents whose latest result the current pipeline made
        (:func:`extract.version.pipeline_version`), and the failures not to try again."""
        from .version import pipeline_version

        current = pipeline_version()
        state = StoreState()
        shards = committed_shards(self.root)
        if not shards:
            return state
        import duckdb  # a new store has nothing to read: no 0.2 s import

        con = duckdb.connect()
        try:
            _create_views(con, self.root, shards)
            # Each document's latest run, whether a source holds it now or not.
            for document_id, version in con.execute(
                    "SELECT document_id, arg_max(pipeline_version, shard) FROM _documents_log GROUP BY document_id").fetchall():
                if version == current:
                    state.done.add(bytes.fromhex(document_id))
                else:
                    state.stale.add(bytes.fromhex(document_id))
            # A failure of the pipeline is tried again by a new pipeline; one of reading or
            # decoding is not (the bytes are the same); one of writing a result file (in a
            # store written when results were files) is: nothing writes them any more.
            for source, identity, document_id, size, stage, reason, error_type in con.execute(
                # The source that failed first comes first: copies of its bytes name it.
                "SELECT source, identity, document_id, bytes, stage, reason, error_type FROM _errors_now "
                "WHERE stage IN ('read', 'decode') OR pipeline_version = ? AND stage <> 'write' "
                "ORDER BY coalesce(starts_with(detail, 'the same bytes as '), false), shard, failed_at, source",
                [current],
            ).fetchall():
                if document_id:
                    state.failed_hashes.setdefault(bytes.fromhex(document_id), {
                        "source": source, "stage": stage, "reason": reason, "error_type": error_type})
                else:
                    state.failed_reads[identity] = size
            for identity, source, document_id, path, record_id in con.execute(
                    "SELECT identity, source, document_id, path, record_id FROM _errors_now").fetchall():
                state.failed_sources[identity] = document_id
                _locate(state, identity, source, path, record_id)
            for identity, source, document_id, path, record_id in con.execute(
                    "SELECT identity, source, document_id, path, record_id FROM _sources_now "
                    f"WHERE path IS DISTINCT FROM '{STDIN}'").fetchall():
                state.sources[identity] = document_id
                _locate(state, identity, source, path, record_id)
            state.paths = sorted(state.located)
        except Exception as error:
            # DuckDB turns Ctrl-C during a query into an error of its own ("Query interrupted",
            # or a KeyboardInterrupt inside a scan it named): the batch is interrupted, as at
            # any other moment.
            if isinstance(error, duckdb.InterruptException) or any(
                    words in str(error) for words in ("Query interrupted", "KeyboardInterrupt")):
                raise KeyboardInterrupt from None
            raise
        finally:
            con.close()
        return state

    # -- buffering and commits

    def add(self, rows: dict[str, list[dict]]) -> None:
        for table, table_rows in rows.items():
            self._buffer[table].extend(table_rows)
        if rows.get("documents"):
            self._documents += len(rows["documents"])
            self._bytes += sum(len(row.get("text") or "") for row in rows["documents"])
            self._bytes += sum(len(row["result"]) for row in rows.get("results", ()))
        if self._documents >= self.shard_size or self._bytes >= self.shard_bytes:
            self.flush(wait=not self.background)

    def add_error(self, row: dict) -> None:
        self._buffer["errors"].append(row)
        if len(self._buffer["errors"]) >= self.shard_size * 4:
            self.flush(wait=not self.background)

    @property
    def pending(self) -> int:
        return sum(len(rows) for rows in self._buffer.values())

    def flush(self, wait: bool = True) -> str | None:
        """Commit the buffered rows as one shard; its name, or None when nothing was buffered.

        With ``wait=False`` the commit runs in a thread; the next flush waits for it.
        """
        self.wait()
        if not any(self._buffer.values()):
            return None
        # Take the rows out first: interrupted anywhere below, this flush is not repeated with
        # them (no shard twice); rows lost before the commit are run again by the next batch.
        buffer = self._buffer
        self._buffer, self._documents, self._bytes = defaultdict(list), 0, 0
        # Named now: shards sort in the order their rows were taken.
        name = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        if wait:
            self._commit(name, buffer)
        else:
            self._committing = threading.Thread(target=self._commit_in_thread, args=(name, buffer),
                                                name="minutes-store-commit", daemon=True)
            self._committing.start()
        return name

    def wait(self) -> None:
        """Wait for the commit running in a thread; raise what it raised."""
        if self._committing is not None:
            self._committing.join()
            self._committing = None
        if self._commit_error is not None:
            error, self._commit_error = self._commit_error, None
            raise error

    def _commit_in_thread(self, name: str, buffer: dict[str, list[dict]]) -> None:
        try:
            self._commit(name, buffer)
        except BaseException as error:  # noqa: BLE001 - raised again by wait() in the batch's thread
            self._commit_error = error

    def _commit(self, name: str, buffer: dict[str, list[dict]]) -> None:
        temporary = self.root / "tmp" / name
        import pyarrow as pa
        import pyarrow.parquet as pq

        temporary.mkdir(parents=True)
        for table, schema in table_schemas().items():
            rows = buffer.get(table, [])
            for row in rows:
                row["shard"] = name
            data = pa.Table.from_pylist(rows, schema=schema)
            pq.write_table(data, temporary / f"{table}.parquet", compression="zstd")
        # The shard's files reach the disk before the rename that commits them (written first,
        # then synced: the disk gets them together).
        for file in temporary.iterdir():
            fsync(file)
        fsync(temporary)
        os.rename(temporary, self.root / "shards" / name)  # the commit
        fsync(self.root / "shards")
        self.shards_written += 1

    def close(self, *, interrupted: bool = False) -> None:
        """Release the lock (without a flush: call :meth:`flush` first to keep the buffer);
        a commit running in a thread ends first, and so do the imports begun in a thread
        (unless ``interrupted``: a Ctrl-C that came while the process imported something can
        leave Python's import lock held, and the thread would wait for it forever)."""
        if self._importing is not None and not interrupted:
            self._importing.join()
        if self._committing is not None:
            self._committing.join()
            self._committing = None
        if not self._lock.closed:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_UN)
            self._lock.close()

    def __enter__(self) -> "StoreWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ---------------------------------------------------------------- the reader


def _sql_list(paths: Iterable[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


# Spellings that one word has, beyond GOLD.md's folding: with or without hamza (رئیس/رییس,
# هیئت/هیأت/هیات, مسئول/مسؤول, مسائل/مسایل, سؤال/سوال, جزء/جز), and ۀ for ه with its ezafe.
# Applied in this order, after GOLD.md's folding has made أ and إ into ا.
_HAMZA_SPELLINGS = (("یئ", "یا"), ("ئو", "وو"), ("ئ", "ی"), ("ؤ", "و"), ("ء", ""), ("ۀ", "ه"))


def _fold(text: str) -> str:
    """How the store compares names (``fold`` in SQL, --actor, --speaker, --unit): GOLD.md's
    folding (:func:`extract.evaluate.fold`), and a word's spellings with and without hamza."""
    from .evaluate import fold

    text = fold(text)
    if any(mark in text for mark in "ئؤءۀ"):
        for spelling, folded in _HAMZA_SPELLINGS:
            text = text.replace(spelling, folded)
    return text


# A name matched in parts: folded, and without its spaces too, since Persian writes the
# parts of a compound with a space, a ZWNJ or nothing ("رسانه‌ها", "رسانه ها", "رسانهها").
_JOINED_FOLD = "replace(fold({}), ' ', '')"


def _joined_fold(text: str) -> str:
    return _fold(text).replace(" ", "")


def _create_views(con, root: Path, shards: list[Path]) -> None:
    for table, schema in table_schemas().items():
        raw = "error_log" if table == "errors" else f"_{table}_log"
        files = [shard / f"{table}.parquet" for shard in shards if (shard / f"{table}.parquet").exists()]
        # Every column of this version, NULL in the shards of a store written before it.
        con.register(f"_empty_{table}", schema.empty_table())
        if files:
            con.execute(f"CREATE OR REPLACE VIEW {raw} AS SELECT * FROM _empty_{table} "
                        f"UNION ALL BY NAME SELECT * FROM read_parquet({_sql_list(files)}, union_by_name = true)")
        else:
            con.execute(f"CREATE OR REPLACE VIEW {raw} AS SELECT * FROM _empty_{table}")
    # A source is where it lies (its file, or its archive and row id), however a batch named
    # it: "in/a.txt", "./in/a.txt" and "/data/in/a.txt" are one source.
    # A row of a store written before paths were absolute is known by its name (a batch that
    # meets that name again records where it lies, and that the name's row is gone). A row of
    # standard input has no lasting name (the next stream numbers its rows again): each of its
    # documents stands apart.
    con.execute("""
        CREATE OR REPLACE TEMPORARY MACRO _located(path, record_id) AS
        CASE WHEN starts_with(path, '/') THEN path || coalesce('#' || record_id, '') END
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMPORARY MACRO _identity(source, path, record_id, document_id, shard) AS
        CASE WHEN path = '{STDIN}' THEN source || '@' || coalesce(document_id, shard)
             ELSE coalesce(_located(path, record_id), source) END
    """)
    con.execute(f"""
        CREATE OR REPLACE VIEW _source_events AS
        SELECT *, _identity(source, path, record_id, document_id, shard) AS identity
        FROM (
            SELECT source, path, record_id, document_id, shard, 0 AS event FROM _documents_log
            UNION ALL
            SELECT source, path, record_id, document_id, shard, CASE WHEN document_id IS NULL THEN 2 ELSE 0 END
            FROM _sources_log
            UNION ALL
            SELECT source, path, record_id, document_id, shard, 1 FROM error_log WHERE path IS DISTINCT FROM '{STDIN}'
        )
    """)
    # What each source holds now: its latest event, a document (processed, or the bytes of
    # one already done), a failure, or nothing (gone: a sources row without a document). A
    # file edited since, or that fails now, or deleted, no longer stands for its old document,
    # as in a batch run afresh. In one shard a document beats a failure, and both beat gone
    # (a source read in the run that found it gone was there then).
    con.execute(f"""
        CREATE OR REPLACE VIEW _sources_now AS
        SELECT source, path, record_id, document_id, shard, identity FROM (
            SELECT *, row_number() OVER (PARTITION BY identity ORDER BY shard DESC, event, source) AS latest
            FROM _source_events
        ) AS s
        WHERE latest = 1 AND event = 0 AND EXISTS (SELECT 1 FROM _documents_log AS d WHERE d.document_id = s.document_id)
    """)
    con.execute("CREATE OR REPLACE VIEW sources AS SELECT * EXCLUDE (identity) FROM _sources_now")
    # A document run again (by a new pipeline) is in two shards: its latest rows count. It
    # is there while a source holds it, and is named by the first (in sort order) of the
    # sources that hold it now, whichever was read first.
    con.execute("""
        CREATE OR REPLACE VIEW documents AS
        WITH latest AS (
            SELECT * EXCLUDE (latest) FROM (
                SELECT *, row_number() OVER (PARTITION BY document_id ORDER BY shard DESC) AS latest FROM _documents_log
            ) WHERE latest = 1
        ), holders AS (
            SELECT s.document_id,
                   first({'source': s.source, 'path': s.path, 'record_id': s.record_id} ORDER BY s.source) AS holder
            FROM sources AS s JOIN latest AS l USING (document_id)
            GROUP BY s.document_id
        )
        SELECT l.* REPLACE (h.holder.source AS source, h.holder.path AS path, h.holder.record_id AS record_id)
        FROM latest AS l JOIN holders AS h USING (document_id)
    """)
    for table in ITEM_TABLES:
        con.execute(f"""
            CREATE OR REPLACE VIEW {table} AS
            SELECT t.* FROM _{table}_log AS t SEMI JOIN documents AS d ON t.document_id = d.document_id AND t.shard = d.shard
        """)
    # The result as DuckDB's JSON type: result->>'$.headline.text' reads into it. A document
    # of a shard written when results were files has its result in results/<h[:2]>/<h>.json.
    files_of = [shard.name for shard in shards if not (shard / "results.parquet").exists()]
    legacy = ""
    if files_of and next((root / "results").glob("*/*.json"), None) is not None:
        pattern = str(root / "results" / "*" / "*.json").replace("'", "''")
        legacy = f"""
            UNION ALL
            SELECT d.document_id, f.result, d.shard FROM documents AS d JOIN (
                SELECT regexp_extract(filename, '([0-9a-f]{{64}})[.]json$', 1) AS document_id,
                       TRY_CAST(content AS JSON) AS result
                FROM read_text('{pattern}')
            ) AS f USING (document_id)
            WHERE d.shard IN (SELECT unnest({_sql_list(files_of)})) AND f.result IS NOT NULL
        """
    con.execute(f"""
        CREATE OR REPLACE VIEW results AS
        SELECT t.document_id, CAST(t.result AS JSON) AS result, t.shard
        FROM _results_log AS t SEMI JOIN documents AS d ON t.document_id = d.document_id AND t.shard = d.shard
        {legacy}
    """)
    # The current errors: each source's latest failure, unless it has succeeded since (a row of
    # standard input has no lasting name: its failures stand apart).
    con.execute(f"""
        CREATE OR REPLACE VIEW _errors_now AS
        SELECT * EXCLUDE (latest) FROM (
            SELECT *, row_number() OVER (PARTITION BY identity ORDER BY shard DESC, failed_at DESC, source) AS latest
            FROM (SELECT *, _identity(source, path, record_id, document_id, shard) AS identity FROM error_log)
        ) AS e
        WHERE latest = 1
          AND (path IS NOT DISTINCT FROM '{STDIN}'
               OR NOT EXISTS (SELECT 1 FROM _sources_now AS s WHERE s.identity = e.identity AND s.shard > e.shard))
          -- a folder that could not be listed, or an archive that could not be read to its
          -- end, whose files or rows have been read since (however either was named)
          AND NOT EXISTS (SELECT 1 FROM _sources_now AS s WHERE s.shard > e.shard
                          AND (starts_with(s.identity, e.identity || '/') OR starts_with(s.identity, e.identity || '#')
                               -- by name, an error of a store written before paths were absolute
                               OR NOT coalesce(starts_with(e.path, '/'), false)
                                  AND (starts_with(s.source, e.source || '/') OR starts_with(s.source, e.source || '#'))))
          AND NOT EXISTS (SELECT 1 FROM documents AS d WHERE d.document_id = e.document_id AND d.shard > e.shard)
          -- a source gone since
          AND NOT EXISTS (SELECT 1 FROM _source_events AS g
                          WHERE g.event = 2 AND g.identity = e.identity AND g.shard > e.shard)
    """)
    con.execute("CREATE OR REPLACE VIEW errors AS SELECT * EXCLUDE (identity) FROM _errors_now")


def parse_since(value: str) -> dt.date:
    """A Gregorian date (2024-03-20), or a Jalali one (1403-01-01 or 1403/01/01, years before 1700)."""
    text = value.strip().replace("/", "-")
    from .evaluate import fold

    text = fold(text)
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD, Gregorian or Jalali)")
    year, month, day = (int(p) for p in parts)
    try:
        if year < 1700:
            import jdatetime

            return jdatetime.date(year, month, day).togregorian()
        return dt.date(year, month, day)
    except ValueError as error:
        raise ValueError(f"not a date: {value!r} ({error})") from None




def _name_part(option: str, text: str) -> str:
    """A part of a name to look for, folded; ValueError when folding leaves nothing (spaces,
    a ZWNJ, marks), which would match every name."""
    folded = _joined_fold(text)
    if not folded:
        raise ValueError(f"{option}: {text!r} has nothing to match once folded (only spaces, ZWNJ or marks)")
    return folded


class Store:
    """A store opened for reading: DuckDB views over the committed shards.

    Every method returns a pandas DataFrame; ``query`` runs any SQL over the tables.
    The set of shards is read when the store is opened: :meth:`refresh` sees new ones.
    A DATE column (a meeting's date, a deadline) is pandas' datetime64 at midnight, or, with
    ``dates_as_objects=True``, ``datetime.date`` values (what the command line prints).
    """

    def __init__(self, root: str | Path, *, dates_as_objects: bool = False):
        import duckdb
        from duckdb.sqltypes import VARCHAR

        self.dates_as_objects = dates_as_objects
        self.root = Path(root)
        if not is_store(self.root):
            raise StoreError(f"{self.root}: not a minutes store (no {MARKER}); make one with `minutes batch ... -o {self.root}`")
        self.con = duckdb.connect()
        self.con.create_function("fold", _fold, [VARCHAR], VARCHAR)
        self.refresh()

    def refresh(self) -> None:
        _create_views(self.con, self.root, committed_shards(self.root))

    def query(self, sql: str, params: list | dict | None = None):
        """Any SQL over the tables, as a DataFrame. A value of DuckDB's JSON type (a result,
        ``result->'$.meeting'``) comes as what it holds (a dict, a list, a number), not as
        its text; NULL as None."""
        result = self.con.execute(sql, params) if params is not None else self.con.execute(sql)
        if result is None:  # DuckDB's answer to a text with no statement (empty, only comments)
            raise ValueError("the SQL holds no statement")
        json_columns = [column[0] for column in result.description if column[1] == "JSON"]
        frame = result.df(date_as_object=self.dates_as_objects)
        for column in json_columns:
            # Not orjson: it would read an integer beyond 64 bits as a float.
            frame[column] = [json.loads(value) if isinstance(value, str) else None for value in frame[column]]
        return frame

    def sources(self):
        """Every source (a file, ARCHIVE#ID) and the document it holds now: copies of one
        document and files fixed after a failure are here, not only the source that was run."""
        return self.query("SELECT * EXCLUDE (shard) FROM sources ORDER BY source, document_id")

    def table(self, name: str):
        if name not in TABLES and name != "error_log":
            raise KeyError(name)
        return self.query(f"SELECT * FROM {name}")

    def documents(self):
        return self.query(
            "SELECT * EXCLUDE (text, shard) FROM documents ORDER BY source, document_id")

    def errors(self):
        return self.query("SELECT * EXCLUDE (shard) FROM errors ORDER BY source")

    def commitments(self, actor: str | None = None, kind: str | None = None, speaker: str | None = None,
                    since: str | dt.date | None = None, limit: int | None = None):
        """Commitments, newest meetings first; ``actor``/``speaker`` match a part of the name
        after Persian spelling folding; ``since`` keeps meetings on or after that date (and
        leaves out documents whose meeting date is not known)."""
        where, params = [], []
        if actor:
            where.append(f"contains({_JOINED_FOLD.format('c.actor')}, ?)")
            params.append(_name_part("actor", actor))
        if speaker:
            where.append(f"contains({_JOINED_FOLD.format('c.speaker')}, ?)")
            params.append(_name_part("speaker", speaker))
        if kind:
            kinds = enum("commitment", "kind")
            if kind not in kinds:
                raise ValueError(f"unknown kind {kind!r}: one of {', '.join(kinds)}")
            where.append("c.kind = ?")
            params.append(kind)
        if since:
            where.append("d.meeting_date >= ?")
            params.append(since if isinstance(since, dt.date) else parse_since(since))
        sql = f"""
            SELECT c.document_id, c.commitment_id, c.kind, c.actor, c.speaker, c.action, c.negated,
                   c.deadline_text, c.deadline_date, d.meeting_date, c.text, c.span_start, c.span_end, d.source
            FROM commitments AS c JOIN documents AS d USING (document_id)
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY d.meeting_date DESC NULLS LAST, d.source, c.document_id, c.span_start, c.commitment_id
            {f"LIMIT {int(limit)}" if limit else ""}
        """
        return self.query(sql, params)

    def figures(self, unit: str | None = None, quantity: str | None = None, speaker: str | None = None,
                limit: int | None = None):
        """Figures; ``unit``/``speaker`` match a part of the unit or name after folding."""
        where, params = [], []
        if unit:
            where.append(f"contains({_JOINED_FOLD.format('f.unit')}, ?)")
            params.append(_name_part("unit", unit))
        if quantity:
            quantities = enum("figure", "quantity")
            if quantity not in quantities:
                raise ValueError(f"unknown quantity {quantity!r}: one of {', '.join(quantities)}")
            where.append("f.quantity = ?")
            params.append(quantity)
        if speaker:
            where.append(f"contains({_JOINED_FOLD.format('f.speaker')}, ?)")
            params.append(_name_part("speaker", speaker))
        sql = f"""
            SELECT f.document_id, f.figure_id, f.value, f.unit, f.quantity, f.approximate, f.rials, f.counted,
                   f.speaker, f.text, f.span_start, f.span_end, d.source
            FROM figures AS f JOIN documents AS d USING (document_id)
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY d.source, f.document_id, f.span_start, f.figure_id
            {f"LIMIT {int(limit)}" if limit else ""}
        """
        return self.query(sql, params)

    def result(self, document_id: str) -> dict | None:
        """The JSON result of a document (by its sha256): its latest, whether a source holds
        the document now or not; None for a document the store has never processed."""
        row = self.con.execute("SELECT result FROM _results_log WHERE document_id = ? ORDER BY shard DESC LIMIT 1",
                               [document_id]).fetchone()
        if row is not None:
            return json.loads(row[0])  # not orjson: it reads an integer beyond 64 bits as a float
        return _result_file(self.root, document_id) if len(document_id) == 64 else None

    def results(self, document_ids: Iterable[str] | None = None) -> Iterator[tuple[str, str]]:
        """``(document_id, result)`` of each document of the ``documents`` table (or of those of
        ``document_ids`` it holds), the result as compact JSON text; read a shard at a time
        (memory stays flat), in the order of the shards, and of the sources within each."""
        if isinstance(document_ids, str):
            raise TypeError("document_ids: a list of ids, not one string")
        query = "SELECT document_id, shard, source FROM documents"
        params: list = []
        if document_ids is not None:
            query += " WHERE document_id IN (SELECT unnest(?::VARCHAR[]))"
            params.append(list(document_ids))
        wanted = self.con.execute(query + " ORDER BY shard, source, document_id", params).fetchall()
        for shard, group in itertools.groupby(wanted, key=lambda row: row[1]):
            group = list(group)
            table = self.root / "shards" / shard / "results.parquet"
            found: dict[str, str] = {}
            if table.exists():
                found = dict(self.con.execute(
                    f"SELECT document_id, result FROM read_parquet({_sql_list([table])}) "
                    "WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [[row[0] for row in group]]).fetchall())
            for document_id, _, _ in group:
                result = found.get(document_id)
                if result is None:  # a store written before results were a table: a file
                    legacy = _result_file(self.root, document_id)
                    if legacy is None:
                        continue
                    result = encode_result(legacy).decode("utf-8")
                yield document_id, result

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open(root: str | Path) -> Store:  # noqa: A001 - the API reads extract.store.open(STORE)
    """Open a store for reading."""
    return Store(root)
