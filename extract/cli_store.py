"""Commands for archives: `minutes batch`, `minutes query`, `minutes commitments`, `minutes figures`,
`minutes results`.

Thin wrappers: `batch` over :func:`extract.batch.run`, the others over
:class:`extract.store.Store`, so the command line and the Python API give the same rows.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import click

from .cli import EXIT_STOPPED, BadInput, _write_json, main
from .schema import enum

FORMATS = ("table", "csv", "json")
CELL_WIDTH = 80  # characters of a cell shown in a table (csv and json give everything)


def _open_store(path: str):
    from .store import Store, StoreError

    try:
        return Store(path, dates_as_objects=True)  # a DATE prints as 2024-03-20, not a midnight timestamp
    except StoreError as error:
        raise BadInput(str(error)) from None


def _plain(value: Any) -> Any:
    """A cell as JSON: numpy arrays and scalars, dates, NaN and NA made plain."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def records(frame) -> list[dict]:
    """The rows of a DataFrame as plain JSON objects (what --format json prints)."""
    columns = list(frame.columns)
    return [dict(zip(columns, (_plain(v) for v in row))) for row in frame.itertuples(index=False, name=None)]


def _print(frame, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(records(frame), ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in records(frame):
            # Lists, objects and booleans as JSON writes them (true, not Python's True), as
            # DuckDB's own CSV does.
            writer.writerow(["" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict, bool)) else v
                             for v in row.values()])
        sys.stdout.flush()
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for column in frame.columns:
        table.add_column(str(column), overflow="fold")
    for row in records(frame):
        cells = []
        for column, value in row.items():
            text = "" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict, bool)) else str(value)
            text = text.replace("\n", " ")
            if column == "document_id" and len(text) == 64:
                text = text[:12]  # enough to tell documents apart; csv and json give the whole hash
            cells.append(text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…")
        table.add_row(*cells)
    console = Console(width=None if sys.stdout.isatty() else 240, highlight=False)
    console.print(table)
    console.print(f"{len(frame):,} rows", style="dim")


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                             help="A table for people, or CSV/JSON for programs.")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "store", required=True, metavar="STORE",
              help="The store folder (made if missing; a batch into an existing store resumes it).")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: every core).")
@click.option("--engine", type=click.Choice(["processes", "dask"]), default="processes", show_default=True,
              help="processes: a pool on this machine; dask: a dask.distributed cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: a running scheduler (tcp://host:8786) instead of a local cluster.")
@click.option("--include", multiple=True, metavar="GLOB", help="Files of folders to read (repeatable; default *.txt).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Files or folders to leave out (repeatable).")
@click.option("--text-column", default="text", show_default=True, help="The text field of JSONL/CSV archives.")
@click.option("--id-column", default="id", show_default=True, help="The id field of JSONL/CSV archives (else the line number).")
@click.option("--no-header", is_flag=True, help="CSV archives have no header row; columns are numbers from 0.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Refuse larger documents (default 20 MiB: 20,971,520 bytes).")
@click.option("--timeout", type=click.FloatRange(min=0), default=600.0, show_default=True,
              help="Seconds one document may take (0: no limit).")
@click.option("--shard-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Documents per committed shard.")
@click.option("--retry-errors", is_flag=True, help="Run again the documents that failed in an earlier batch.")
@click.option("--allow-all-gone", is_flag=True,
              help="Let the sources of a folder or archive leave the store even when none of them is there any "
                   "more (by default they stay: that is how a drive not mounted looks).")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only the summary line.")
def batch(inputs, store, workers, engine, scheduler, include, exclude, text_column, id_column, no_header, max_bytes,
          timeout, shard_size, retry_errors, allow_all_gone, quiet) -> None:
    """Run every document of INPUTS through the pipeline into the store STORE.

    INPUTS are files, folders (read recursively: --include/--exclude), JSON Lines or CSV
    archives (.jsonl, .ndjson, .csv, .tsv, also .gz; one document per row: --text-column,
    --id-column), or - for JSON Lines on standard input. Each document gets its JSON result
    and rows in the store's tables; ask them with `minutes query STORE SQL`, and get the
    results with `minutes results STORE`.

    Started again after an interruption (even kill -9), a batch does only what is missing.
    Given again, a folder or archive that changed leaves the store as a fresh batch would:
    files deleted from it and rows removed from it leave the tables (a file still there
    but left out by --include/--exclude keeps its rows, as does a folder not named). When
    none of the documents of a folder or archive is there any more (and no file of the
    folder is read), they stay, with a warning: an empty folder is more often a drive not
    mounted than an archive deleted (--allow-all-gone lets them go).
    A document that cannot be read or processed is recorded in the errors table and the
    batch goes on. Exit code 0 when every document succeeded, 1 when some failed, 2 for bad
    arguments, 3 when the batch stopped because its worker processes cannot run (no
    document is then blamed; run it again once fixed), 130 when interrupted.
    """
    try:
        _batch(inputs, store, workers, engine, scheduler, include, exclude, text_column, id_column, no_header,
               max_bytes, timeout, shard_size, retry_errors, allow_all_gone, quiet)
    except KeyboardInterrupt:  # while it starts or ends; click would say "Aborted!" with exit code 1
        click.echo("minutes batch: interrupted; run the same command again to go on", err=True)
        sys.exit(130)


def _batch(inputs, store, workers, engine, scheduler, include, exclude, text_column, id_column, no_header, max_bytes,
           timeout, shard_size, retry_errors, allow_all_gone, quiet) -> None:
    from .batch import BatchError, InputSpec, LogReporter, Reporter, RichReporter, WorkersCannotRun, run
    from .inputs import MAX_BYTES

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    if no_header and not text_column.isdigit():
        raise click.UsageError("with --no-header, --text-column is a column number (from 0)")
    spec = InputSpec(include=tuple(include) or ("*.txt",), exclude=tuple(exclude), text_column=text_column,
                     id_column=id_column, header=not no_header, max_bytes=max_bytes or MAX_BYTES)
    if quiet:
        reporter = Reporter()
    elif sys.stderr.isatty():
        reporter = RichReporter()
    else:
        reporter = LogReporter()
    try:
        summary = run(inputs, store, workers=workers, engine=engine, scheduler=scheduler, spec=spec,
                      timeout=timeout or None, shard_size=shard_size, retry_errors=retry_errors, allow_all_gone=allow_all_gone, reporter=reporter)
    except BatchError as error:
        raise BadInput(str(error)) from None
    except WorkersCannotRun as error:
        if quiet:
            click.echo(f"minutes batch: {error.summary.final_line()}", err=True)
        click.echo(f"minutes batch: stopped: {error}", err=True)
        sys.exit(error.summary.exit_code if error.summary else EXIT_STOPPED)
    if quiet:
        click.echo(f"minutes batch: {summary.final_line()}", err=True)
    if not summary.documents and not summary.interrupted and not summary.all_missing:  # else the warning below
        click.echo(f"minutes batch: warning: no document in {', '.join(inputs)}: a folder's files are read when "
                   f"their names match --include ({' '.join(spec.include)}), an archive's rows when it ends in "
                   ".jsonl, .ndjson, .csv or .tsv (or those with .gz)", err=True)
    for place in summary.all_missing:
        click.echo(f"minutes batch: warning: none of the documents the store holds from {place} is there any more "
                   "(a drive not mounted? a folder moved? another --id-column?): they stay in the store; if they "
                   "were deleted, run again with --allow-all-gone", err=True)
    if summary.interrupted:
        click.echo("minutes batch: interrupted; run the same command again to go on", err=True)
        sys.exit(130)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("store", metavar="STORE")
@click.argument("sql")
@format_option
def query(store: str, sql: str, fmt: str) -> None:
    """Run SQL over the tables of STORE and print the rows.

    Tables: documents, sources (every file or archive row and the document it holds),
    officials, organizations, mentions, figures, targets, commitments, results (each
    document's JSON result: result->>'$.headline.text'), errors (and error_log, every
    failure). fold(text) folds Persian spelling variants. SQL that starts
    with "-" (a comment) goes after "--": minutes query STORE -- "-- ...".

    \b
    minutes query STORE "SELECT kind, count(*) FROM commitments GROUP BY kind"
    """
    import duckdb

    with _open_store(store) as opened:
        try:
            frame = opened.query(sql)
        except (duckdb.Error, ValueError) as error:
            raise BadInput(f"SQL: {str(error).splitlines()[0]}") from None
    _print(frame, fmt)


@main.command()
@click.argument("store", metavar="STORE")
@click.option("--actor", metavar="TEXT",
              help="Part of the actor's name (Persian spelling variants fold: ي/ی, ك/ک, أ/ا, digits, hamza "
                   "(رئیس/رییس, هیئت/هیات), and the parts of a compound written with a space, a ZWNJ or nothing).")
@click.option("--kind", type=click.Choice(enum("commitment", "kind")))
@click.option("--speaker", metavar="TEXT", help="Part of the speaker's name (spelling variants fold).")
@click.option("--since", metavar="DATE", help="Meetings on or after DATE (YYYY-MM-DD; a year before 1700 is Jalali). "
                                             "Documents whose meeting date is not known (most news reports name "
                                             "none) are left out.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@format_option
def commitments(store: str, actor, kind, speaker, since, limit, fmt: str) -> None:
    """The commitments of STORE: decisions, obligations, promises, requests, priorities."""
    from .store import parse_since

    if since:
        try:
            since = parse_since(since)
        except ValueError as error:
            raise BadInput(f"--since: {error}") from None
    with _open_store(store) as opened:
        try:
            frame = opened.commitments(actor=actor, kind=kind, speaker=speaker, since=since, limit=limit)
        except ValueError as error:  # a name part that folds to nothing
            raise BadInput(f"--{error}") from None
    _print(frame, fmt)


@main.command()
@click.argument("store", metavar="STORE")
@click.option("--unit", metavar="TEXT", help="Part of the unit (spelling variants fold), e.g. درصد or ریال.")
@click.option("--quantity", type=click.Choice(enum("figure", "quantity")))
@click.option("--speaker", metavar="TEXT", help="Part of the speaker's name (spelling variants fold).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows.")
@format_option
def figures(store: str, unit, quantity, speaker, limit, fmt: str) -> None:
    """The figures of STORE: numbers with their units, as written."""
    with _open_store(store) as opened:
        try:
            frame = opened.figures(unit=unit, quantity=quantity, speaker=speaker, limit=limit)
        except ValueError as error:  # a name part that folds to nothing
            raise BadInput(f"--{error}") from None
    _print(frame, fmt)


def _document_ids(opened, given: tuple[str, ...]) -> list[str]:
    """The documents named by ``given``: whole sha256 hashes, or their beginnings (a table
    shows the first 12 characters), each naming exactly one document of STORE."""
    prefixes = [text.strip().lower() for text in given]
    for text, prefix in zip(given, prefixes):
        if not prefix or any(c not in "0123456789abcdef" for c in prefix):
            raise BadInput(f"{text!r}: not a document id (the sha256 of a document, or its first characters)")
    found: dict[str, list[str]] = {prefix: [] for prefix in prefixes}
    for prefix, document_id in opened.query(
            "SELECT p.prefix, d.document_id FROM (SELECT unnest(?::VARCHAR[]) AS prefix) AS p "
            "JOIN documents AS d ON starts_with(d.document_id, p.prefix) ORDER BY d.document_id",
            [list(found)]).itertuples(index=False, name=None):
        found[prefix].append(document_id)
    for text, prefix in zip(given, prefixes):
        if not found[prefix]:
            raise BadInput(f"{text}: no document of the store has this id")
        if len(found[prefix]) > 1:
            shown = ", ".join(m[:16] for m in found[prefix][:3])
            raise BadInput(f"{text}: names {len(found[prefix])} documents ({shown}{', ...' if len(found[prefix]) > 3 else ''}); "
                           "give more of it")
    return [found[prefix][0] for prefix in prefixes]


@main.command()
@click.argument("store", metavar="STORE")
@click.argument("document_ids", nargs=-1, metavar="[DOCUMENT_ID]...")
@click.option("--out-dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write DOCUMENT_ID.json per document into DIR (indented, as `minutes extract` writes them).")
def results(store: str, document_ids: tuple[str, ...], out_dir: Path | None) -> None:
    """The JSON result of each document of STORE (or of DOCUMENT_IDs, in their order: a
    sha256, or its first characters as a table shows them): one a line on standard output,
    or a file each. Exit code 1 when a document's result cannot be found (a store written
    when results were files, whose results/ folder is gone).

    \b
    minutes results STORE | jq -c '.commitments[]'
    minutes results STORE --out-dir results/
    minutes results STORE df8295f26575
    """
    with _open_store(store) as opened:
        wanted = list(dict.fromkeys(_document_ids(opened, document_ids))) if document_ids else None
        found = opened.results(wanted)
        if wanted is not None:  # a few, named: in the order given
            given = dict(found)
            found = ((document_id, given[document_id]) for document_id in wanted if document_id in given)
        written = set()
        for document_id, result in found:
            if out_dir is None:
                sys.stdout.write(result + "\n")
            else:
                # Not orjson: it would read an integer beyond 64 bits as a float.
                _write_json(json.loads(result), str(out_dir / f"{document_id}.json"))
            written.add(document_id)
        sys.stdout.flush()
        expected = wanted if wanted is not None else opened.query("SELECT document_id FROM documents")["document_id"].tolist()
    missing = [document_id for document_id in expected if document_id not in written]
    if out_dir is not None:
        click.echo(f"minutes results: {len(written):,} results -> {out_dir}", err=True)
    if missing:
        click.echo(f"minutes results: no result found for {len(missing):,} documents of the store "
                   f"({', '.join(m[:12] for m in missing[:5])}{', ...' if len(missing) > 5 else ''}): a store written "
                   "when results were files needs its results/ folder", err=True)
        sys.exit(1)
