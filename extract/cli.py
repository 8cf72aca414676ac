"""The ``minutes`` command: a thin layer of click over the Python API.

Exit codes: 0 success; 1 the command ran but its check failed (evaluation below a
threshold, an invalid result, some documents of a batch failed); 2 bad input or usage;
3 a batch stopped because its worker processes cannot run; 130 a batch interrupted.
"""

from __future__ import annotations

import atexit
import gc
import json
import sys
from pathlib import Path
from typing import Any

import click

from .inputs import Document, InputError, decode_document, read_document

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_STOPPED = 3  # minutes batch: its worker processes cannot run


class BadInput(click.ClickException):
    """One clear line on stderr and exit code 2, never a traceback."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file=None) -> None:
        click.echo(f"minutes: error: {self.format_message()}", err=True)


def _read(source: str) -> Document:
    try:
        if source == "-":
            return decode_document(sys.stdin.buffer.read(), "<stdin>")
        return read_document(source)
    except InputError as error:
        raise BadInput(str(error)) from None


def _write_json(data: Any, output: str | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # atomic: a reader never sees half a file


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="persian-minutes", prog_name="minutes")
def main() -> None:
    """Turn Persian reports and minutes of official meetings into structured data."""
    # On the way out the collector would walk every object of spaCy, pandas and pyarrow
    # once more, a tenth of a second or two of each command, only to free what the exit
    # frees anyway: they are frozen first (once, however many commands a process runs).
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", metavar="FILE", help="Write the JSON here instead of standard output (one source).")
@click.option("--out-dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write NAME.json per source into DIR.")
def extract(sources: tuple[str, ...], output: str | None, out_dir: Path | None) -> None:
    """Extract officials, figures and commitments from SOURCES (files, or - for stdin).

    Each result is validated against schemas/minutes.schema.json before it is written.
    With several sources, --out-dir is required; a bad file is reported and skipped,
    and the exit code is 2 when any file was bad.
    """
    from .pipeline import process
    from .schema import SchemaError

    if len(sources) > 1 and out_dir is None:
        raise click.UsageError("several sources need --out-dir")
    if output and out_dir:
        raise click.UsageError("use -o or --out-dir, not both")
    bad = 0
    for source in sources:
        try:
            document = _read(source)
        except BadInput as error:
            if len(sources) == 1:
                raise
            error.show()
            bad += 1
            continue
        try:
            result = process(document)
        except SchemaError as error:
            click.echo(f"minutes: internal error: {source}: the result does not match the schema at {error}", err=True)
            sys.exit(EXIT_FAILED)
        if out_dir is not None:
            name = "stdin" if source == "-" else Path(source).stem
            _write_json(result, str(out_dir / f"{name}.json"))
            click.echo(f"{source} -> {out_dir / f'{name}.json'}", err=True)
        else:
            _write_json(result, output)
    if bad:
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("source")
@click.option("--map", "show_map", is_flag=True, help="Print each word with its span in the original, as JSON lines.")
def normalize(source: str, show_map: bool) -> None:
    """Print the normalized text of SOURCE (a file, or - for stdin)."""
    import regex

    from .normalize import normalize as run

    document = _read(source)
    normalized = run(document.text)
    if not show_map:
        click.echo(normalized.text)
        return
    for word in regex.finditer(r"\S+", normalized.text):
        start, end = normalized.to_original(*word.span())
        record = {"text": word.group(), "start": start, "end": end, "original": document.text[start:end]}
        click.echo(json.dumps(record, ensure_ascii=False))


@main.command()
@click.argument("results", nargs=-1, required=True)
def validate(results: tuple[str, ...]) -> None:
    """Check RESULT.json files against the schema; name the JSON path of each fault."""
    from .schema import errors

    failed = 0
    for name in results:
        try:
            data = json.loads(Path(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BadInput(f"{name}: no such file") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadInput(f"{name}: not a JSON file ({error})") from None
        found = errors(data)
        for error in found:
            click.echo(f"{name}: {error.json_path}: {error.message}", err=True)
        if found:
            failed += 1
        else:
            click.echo(f"{name}: valid")
    if failed:
        sys.exit(EXIT_FAILED)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dump-predictions", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write NAME.pred.json per document, in the gold format.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores and issues as JSON.")
@click.option("--config", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="pyproject.toml with [tool.minutes.eval] thresholds (default: the nearest one above the current folder).")
@click.option("--no-thresholds", is_flag=True, help="Print the scores only; never fail on a threshold.")
def evaluate(gold_dir: Path, dump_predictions: Path | None, as_json: bool, config: Path | None, no_thresholds: bool) -> None:
    """Score the pipeline on the gold set GOLD_DIR (NAME.txt with NAME.gold.json).

    Exits 1 when a list scores below its threshold in [tool.minutes.eval].
    """
    from .evaluate import (
        GoldError,
        check_thresholds,
        find_thresholds,
        load_gold_set,
        prediction_from_result,
        score_documents,
    )
    from .inputs import decode_document
    from .pipeline import process

    if not gold_dir.is_dir():
        raise BadInput(f"{gold_dir}: no such folder")
    try:
        documents = load_gold_set(gold_dir)
    except GoldError as error:
        raise BadInput(str(error)) from None
    if not documents:
        raise BadInput(f"{gold_dir}: no gold documents (NAME.txt with NAME.gold.json)")
    pairs = []
    for document in documents:
        text_path = gold_dir / f"{document.name}.txt"
        result = process(decode_document(text_path.read_bytes(), str(text_path), path=str(text_path)))
        prediction = prediction_from_result(result)
        if dump_predictions is not None:
            _write_json(prediction, str(dump_predictions / f"{document.name}.pred.json"))
        pairs.append((document, prediction))
    report = score_documents(pairs)

    thresholds, source = ({}, None)
    if not no_thresholds:
        thresholds, source = find_thresholds(config.parent) if config else find_thresholds(Path.cwd())
    failures = check_thresholds(report, thresholds)
    if as_json:
        payload = report.to_dict()
        payload["thresholds"] = {"source": str(source) if source else None, "floors": thresholds, "failures": failures}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(report.format_text())
        if source:
            click.echo(f"\nthresholds from {source}: " + ("all met" if not failures else "NOT MET"))
        for failure in failures:
            click.echo(f"  below threshold: {failure}")
    if failures:
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("text")
def numbers(text: str) -> None:
    """Print the numbers, ranges and dates of TEXT as a JSON array (kind, value, text, offsets)."""
    from .numbers import find_numbers

    click.echo(json.dumps([match.to_dict() for match in find_numbers(text)], ensure_ascii=False, indent=2))


# Commands defined beside the modules they drive register themselves on `main`.
from . import cli_review, cli_store  # noqa: E402,F401

if __name__ == "__main__":
    main()
