"""The command `minutes review`: a page to check a result on its original text (issue #8)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli import EXIT_FAILED, BadInput, main


@main.command()
@click.argument("source", metavar="FILE|RESULT.json|STORE")
@click.option("-o", "--output", required=True, metavar="OUT",
              help="The page to write (OUT.html); for a STORE, a folder for index.html and one page per document.")
@click.option("--text", "text_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="The original text of RESULT.json (default: its source.path, or NAME.txt beside it).")
@click.option("--gold", "gold_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Compare with this gold file (default: NAME.gold.json beside the text, when there is one).")
@click.option("--root", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="For a STORE: the folder the results' relative source paths start from (default: the current folder).")
@click.option("--no-gold", is_flag=True, help="Do not compare with a gold file.")
def review(source: str, output: str, text_path: Path | None, gold_path: Path | None, root: Path | None, no_gold: bool) -> None:
    """Write a self-contained HTML page that shows what was extracted, on the original text.

    FILE, a report, is run through the pipeline first. RESULT.json (from `minutes
    extract`) needs its original text, since its spans are offsets into it: it is read
    from source.path, or --text. STORE, a folder written by `minutes batch` (results and
    texts from its tables), or any folder of result JSON files (searched recursively, also
    *.jsonl; texts from their source paths, see --root), gives an index page with counts
    and charts, and one page per document, in the folder OUT.

    With NAME.gold.json beside the text (GOLD.md), the page also shows the gold
    comparison: misses located in the text, spurious items flagged.
    """
    from .review import ReviewError, gold_path_for, is_result, load_original, review_page, write_atomic, write_store_pages

    path = Path(source)
    if not path.exists():
        raise BadInput(f"{source}: no such file or folder")
    if no_gold and gold_path:
        raise click.UsageError("use --gold or --no-gold, not both")

    if root and not path.is_dir():
        raise click.UsageError("--root is for a STORE; for RESULT.json use --text")
    if path.is_dir():
        if text_path or gold_path:
            raise click.UsageError("--text and --gold are for one document, not a STORE")
        out_dir = Path(output)
        if out_dir.exists() and not out_dir.is_dir():
            raise BadInput(f"{output}: for a STORE, -o names a folder")
        try:
            entries, skipped = write_store_pages(path, out_dir, use_gold=not no_gold, root=root)
        except ReviewError as error:
            raise BadInput(str(error)) from None
        if not entries:
            raise BadInput(f"{source}: no result JSON files found (looked for *.json and *.jsonl, recursively)"
                           + (f"; skipped {len(skipped)} other files" if skipped else ""))
        failed = [e for e in entries if e.error]
        for entry in failed:
            click.echo(f"minutes: {entry.origin}: {entry.error}", err=True)
        click.echo(f"{len(entries) - len(failed)} page(s) and {out_dir / 'index.html'}"
                   + (f"; skipped {len(skipped)} file(s) that are not results" if skipped else ""), err=True)
        if failed:
            sys.exit(EXIT_FAILED)
        return

    data = None
    if path.suffix.lower() in (".json", ".jsonl"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadInput(f"{source}: not a JSON file ({error})") from None
        if not is_result(data):
            raise BadInput(f"{source}: not a result of `minutes extract` (no schema_version, source and officials)")

    if data is None:
        from .cli import _read
        from .pipeline import process
        from .schema import SchemaError

        if text_path:
            raise click.UsageError("--text is for a RESULT.json; FILE is the text itself")
        document = _read(source)
        try:
            result = process(document)
        except SchemaError as error:
            click.echo(f"minutes: internal error: {source}: the result does not match the schema at {error}", err=True)
            sys.exit(EXIT_FAILED)
        text, text_file = document.text, path
    else:
        from .schema import errors

        result = data
        found = errors(result)
        if found:
            click.echo(f"minutes: warning: {source} does not match the schema ({len(found)} faults, the first at "
                       f"{found[0].json_path}: {found[0].message}); showing what can be shown", err=True)
        try:
            text, text_file = load_original(result, result_path=path, text_path=text_path)
        except ReviewError as error:
            raise BadInput(f"{source}: {error}") from None

    gold = None
    if not no_gold:
        gold = gold_path or gold_path_for(text_file)
        if gold_path and not gold_path.is_file():
            raise BadInput(f"{gold_path}: no such gold file")
        if gold is not None and not gold.is_file():
            gold = None
    out = Path(output)
    if out.is_dir():
        out = out / f"{text_file.stem}.html"
    page, view = review_page(result, text, title=text_file.name, gold=gold)
    write_atomic(out, page)
    shown = sum(len(i.anchors) for i in view.items.values())
    note = f"; compared with {gold}" if gold else ""
    if view.gold and view.gold.error:
        note = f"; the gold file could not be used: {view.gold.error}"
    click.echo(f"{source} -> {out} ({shown} spans highlighted{note})", err=True)
    if view.problems:
        click.echo(f"minutes: warning: {len(view.problems)} grounding problem(s), listed on the page", err=True)
