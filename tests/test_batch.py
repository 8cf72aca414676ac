"""`minutes batch`: bad documents recorded and skipped, kill -9 and resume, archives, engines."""

import csv
import gc
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from extract import batch
from extract.schema import validate
from extract.store import TABLES, Store

REPO = Path(__file__).resolve().parents[1]
CITIES = ["تهران", "اصفهان", "مشهد", "شیراز", "تبریز", "کرج", "قم", "اهواز", "رشت", "کرمان"]


def report(i: int) -> str:
    """A small, distinct Persian report with an official, a figure and a commitment."""
    city = CITIES[i % len(CITIES)]
    return (
        f"استاندار {city} در جلسه شورای اداری استان گفت: {i + 10} درصد اعتبارات عمرانی به مناطق محروم اختصاص می‌یابد.\n"
        f"وی افزود: طرح آبرسانی به {i + 3} روستا تا پایان سال تکمیل می‌شود.\n"
    )


def minutes(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The command line, in this process (its worker processes come from one warm forkserver)."""
    from click.testing import CliRunner

    from extract.cli import main

    outcome = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    return subprocess.CompletedProcess(args, outcome.exit_code, outcome.stdout_bytes, outcome.stderr_bytes)


def rows(store: Path, table: str, drop: tuple[str, ...] = ()) -> list[tuple]:
    """A table as sorted rows, without the columns that name a run (shard, timing)."""
    with Store(store) as opened:
        frame = opened.query(f"SELECT * EXCLUDE (shard{''.join(', ' + c for c in drop)}) FROM {table}")
    return sorted(tuple(json.dumps(v, ensure_ascii=False, sort_keys=True, default=str) for v in row)
                  for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))


def results(store: Path) -> dict[str, dict]:
    """The results of a store by document, without the path each was read from (the run
    that made a result read it from the source it met first; a copy may stand for it now)."""
    with Store(store) as opened:
        found = {document_id: json.loads(result) for document_id, result in opened.results()}
    for result in found.values():
        del result["source"]["path"]
    return found


def same_store(store: Path, afresh: Path) -> None:
    """Every table of two stores alike, but for the columns that name a run."""
    for table in TABLES:
        if table == "results":
            assert results(store) == results(afresh)
            continue
        drop = {"documents": ("seconds",), "errors": ("failed_at",)}.get(table, ())
        assert rows(store, table, drop) == rows(afresh, table, drop), table


def kill_9_when(process: subprocess.Popen, ready: Callable[[], bool], failure: str) -> None:
    """Once ``ready()`` (two minutes at most), kill -9 the batch, then the workers it started
    (its session)."""
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None and not ready():
            time.sleep(0.05)
        assert process.poll() is None and ready(), failure
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def no_duplicates(store: Path) -> None:
    with Store(store) as opened:
        for table, key in (("documents", "document_id"), ("commitments", "document_id, commitment_id"),
                           ("figures", "document_id, figure_id"), ("officials", "document_id, official_id")):
            dupes = opened.query(f"SELECT {key}, count(*) AS n FROM {table} GROUP BY ALL HAVING n > 1")
            assert dupes.empty, (table, dupes)


# ---------------------------------------------------------------- bad documents


def test_bad_documents_go_to_errors_and_the_good_ones_to_the_store(tmp_path):
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    good = {
        "a.txt": report(1).encode("utf-8"),
        "sub/b.txt": report(2).encode("utf-8"),
        "legacy.txt": report(3).translate(str.maketrans("یک", "يك")).replace("\u200c", " ").encode("cp1256"),
        "wide.txt": report(4).encode("utf-16"),
    }
    bad = {
        "empty.txt": (b"", "decode", "empty"),
        "blank.txt": (b" \n\n ", "decode", "empty"),
        "binary.txt": (bytes(range(256)) * 8, "decode", "binary"),
        "page.txt": (f"<html><body><p>{report(5)}</p></body></html>".encode("utf-8"), "decode", "HTML"),
        "huge.txt": ((report(6) * 200).encode("utf-8"), "read", "too large"),
    }
    for name, data in good.items():
        (folder / name).write_bytes(data)
    for name, (data, _, _) in bad.items():
        (folder / name).write_bytes(data)
    (folder / "notes.md").write_text("not included", encoding="utf-8")
    (folder / "skip").mkdir()
    (folder / "skip" / "c.txt").write_text(report(7), encoding="utf-8")
    store = tmp_path / "store"

    run = minutes("batch", str(folder), "-o", str(store), "--workers", "2", "--max-bytes", "20000",
                  "--exclude", "skip")
    assert run.returncode == 1, run.stderr.decode()
    log = run.stderr.decode("utf-8")
    assert "Traceback" not in log and "5 failed" in log

    with Store(store) as opened:
        documents = opened.documents()
        errors = opened.errors()
    assert sorted(documents["source"]) == sorted(str(folder / name) for name in good)
    encodings = dict(zip(documents["source"].map(lambda s: Path(s).name), documents["encoding"]))
    assert encodings["legacy.txt"] == "windows-1256" and encodings["wide.txt"] == "utf-16"
    assert sorted(errors["source"]) == sorted(str(folder / name) for name in bad)
    for _, error in errors.iterrows():
        _, stage, reason = bad[Path(error["source"]).name]
        assert error["stage"] == stage and reason in error["reason"], dict(error)
    # one schema-valid JSON result per good document, keyed by its hash, whose spans ground in the text
    for _, document in documents.iterrows():
        result = Store(store).result(document["document_id"])
        validate(result)
        assert result["source"]["sha256"] == document["document_id"]
        original = Store(store).query("SELECT text FROM documents WHERE document_id = ?", [document["document_id"]]).iloc[0, 0]
        for item in result["commitments"] + result["figures"]:
            assert original[item["spans"][0]["start"]: item["spans"][0]["end"]] in item["text"]

    # again: nothing to do, the same exit code (the failures are still failures), no duplicates
    again = minutes("batch", str(folder), "-o", str(store), "--workers", "1", "--max-bytes", "20000",
                    "--exclude", "skip")
    assert again.returncode == 1
    assert "4 already in the store" in again.stderr.decode() and "5 failed in an earlier run" in again.stderr.decode()
    no_duplicates(store)

    # a bad file mended is read again (it is known by its bytes); its error goes
    (folder / "empty.txt").write_text(report(8), encoding="utf-8")
    mended = minutes("batch", str(folder), "-o", str(store), "--workers", "1", "--max-bytes", "20000",
                     "--exclude", "skip")
    assert mended.returncode == 1 and "1 processed" in mended.stderr.decode()
    with Store(store) as opened:
        assert str(folder / "empty.txt") in set(opened.documents()["source"])
        assert str(folder / "empty.txt") not in set(opened.errors()["source"])
        assert len(opened.errors()) == 4


def test_bad_arguments_exit_2(tmp_path):
    run = minutes("batch", str(tmp_path / "missing"), "-o", str(tmp_path / "store"))
    assert run.returncode == 2 and b"no such file" in run.stderr and b"Traceback" not in run.stderr
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x").write_text("x")
    (tmp_path / "in.txt").write_text(report(1), encoding="utf-8")
    run = minutes("batch", str(tmp_path / "in.txt"), "-o", str(tmp_path / "other"))
    assert run.returncode == 2 and b"not a minutes store" in run.stderr


# ---------------------------------------------------------------- pipeline exceptions, dead workers


def faulty_worker(item, options):
    """The real worker, but a document saying BOOM makes the pipeline raise and one saying
    CRASH kills its worker process outright."""
    if b"CRASH" in item.data:
        os._exit(3)
    if b"BOOM" in item.data:
        import extract.pipeline

        def explode(document, nlp=None):
            raise ValueError("boom in the pipeline")

        original, extract.pipeline.process = extract.pipeline.process, explode
        try:
            return batch.process_item(item, options)
        finally:
            extract.pipeline.process = original
    return batch.process_item(item, options)


def test_a_pipeline_exception_and_a_dead_worker_are_recorded_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"ok{i}.txt").write_text(report(i), encoding="utf-8")
    (folder / "boom.txt").write_text(report(20) + "BOOM\n", encoding="utf-8")
    (folder / "crash.txt").write_text(report(21) + "CRASH\n", encoding="utf-8")
    summary = batch.run([str(folder)], tmp_path / "store", workers=2, worker=faulty_worker)
    # The dead worker breaks the pool: documents in flight run again.
    assert summary.exit_code == 1 and summary.processed == 6 and summary.failed == 2
    with Store(tmp_path / "store") as opened:
        errors = {Path(r["source"]).name: r for _, r in opened.errors().iterrows()}
        assert opened.query("SELECT count(*) FROM documents").iloc[0, 0] == 6
    assert errors["boom.txt"]["stage"] == "pipeline" and "ValueError: boom" in errors["boom.txt"]["reason"]
    assert "boom in the pipeline" in errors["boom.txt"]["detail"]
    assert errors["crash.txt"]["stage"] == "pipeline" and "worker process died" in errors["crash.txt"]["reason"]


def test_a_repeated_document_is_a_duplicate_not_a_document_already_in_the_store(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(50):  # the last repeats the first, met long after it is done
        (folder / f"r{i:02d}.txt").write_text(report(0 if i == 49 else i), encoding="utf-8")
    summary = batch.run([str(folder)], tmp_path / "store", workers=1)
    assert (summary.processed, summary.duplicates, summary.skipped) == (49, 1, 0)
    again = batch.run([str(folder)], tmp_path / "store", workers=1)
    assert (again.processed, again.skipped) == (0, 50)


def test_a_copy_is_in_sources_and_a_file_fixed_after_it_failed_leaves_errors(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(report(1), encoding="utf-8")
    (folder / "copy.txt").write_text(report(1), encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    store = tmp_path / "store"
    assert batch.run([str(folder)], store, workers=1).exit_code == 1
    with Store(store) as opened:
        assert sorted(Path(s).name for s in opened.sources()["source"]) == ["a.txt", "copy.txt"]
        assert len(opened.documents()) == 1 and list(opened.errors()["source"]) == [str(folder / "b.txt")]
    (folder / "b.txt").write_text(report(1), encoding="utf-8")  # fixed: now a third copy
    again = batch.run([str(folder)], store, workers=1)
    assert again.exit_code == 0 and again.skipped == 3
    with Store(store) as opened:
        sources = opened.sources()
        assert opened.errors().empty
        assert sorted(Path(s).name for s in sources["source"]) == ["a.txt", "b.txt", "copy.txt"]
        assert set(sources["document_id"]) == set(opened.documents()["document_id"])
    # Nothing new the third time: no new shard.
    shards = len(list((store / "shards").iterdir()))
    batch.run([str(folder)], store, workers=1)
    assert len(list((store / "shards").iterdir())) == shards


def test_every_copy_of_bytes_that_fail_is_an_error_of_its_own(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(b"")  # empty files all have the same bytes
    for name in ("boom1.txt", "boom2.txt"):  # the second is met while the first is in flight
        (folder / name).write_text(report(1) + "BOOM\n", encoding="utf-8")
    (folder / "ok.txt").write_text(report(2), encoding="utf-8")
    store = tmp_path / "store"
    assert batch.run([str(folder)], store, workers=2, worker=faulty_worker).exit_code == 1
    with Store(store) as opened:
        errors = {Path(r["source"]).name: r for r in opened.errors().to_dict("records")}
    assert sorted(errors) == ["a.txt", "b.txt", "boom1.txt", "boom2.txt"]
    assert errors["b.txt"]["reason"] == errors["a.txt"]["reason"] == "empty: the file has no bytes"
    assert errors["b.txt"]["detail"] == f"the same bytes as {folder / 'a.txt'}"
    assert errors["boom2.txt"]["reason"] == "ValueError: boom in the pipeline"
    # Copies added later are errors too, as in a batch run afresh on the folder.
    (folder / "c.txt").write_bytes(b"")
    (folder / "boom3.txt").write_text(report(1) + "BOOM\n", encoding="utf-8")
    assert batch.run([str(folder)], store, workers=2, worker=faulty_worker).exit_code == 1
    afresh = tmp_path / "afresh"
    assert batch.run([str(folder)], afresh, workers=2, worker=faulty_worker).exit_code == 1
    assert rows(store, "errors", ("failed_at",)) == rows(afresh, "errors", ("failed_at",))
    assert len(rows(store, "errors")) == 6


def test_copies_of_bytes_that_fail_in_this_run_count_as_failed_not_as_failed_in_an_earlier_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(48):
        (folder / f"r{i:02d}.txt").write_text(report(i), encoding="utf-8")
    # a-empty.txt fails; b-empty.txt is met while it is in flight, z-empty.txt long after it failed.
    for name in ("a-empty.txt", "b-empty.txt", "z-empty.txt"):
        (folder / name).write_bytes(b"")
    store = tmp_path / "store"
    summary = batch.run([str(folder)], store, workers=1)
    assert (summary.processed, summary.duplicates, summary.failed, summary.failed_before) == (48, 0, 3, 0)
    assert "3 failed" in summary.final_line() and "earlier run" not in summary.final_line()
    with Store(store) as opened:
        assert len(opened.errors()) == 3
    again = batch.run([str(folder)], store, workers=1)
    assert (again.skipped, again.failed, again.failed_before) == (48, 0, 3)
    assert "3 failed in an earlier run" in again.final_line()


def test_a_folder_edited_between_batches_gives_the_store_of_a_batch_run_afresh(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    (folder / "z-copy.txt").write_text(report(0), encoding="utf-8")  # met after r0: a duplicate
    store = tmp_path / "store"
    assert batch.run([str(folder)], store, workers=1).exit_code == 0
    # r0 edited (its copy keeps the old text), r1 now fails, and a new r4.
    (folder / "r0.txt").write_text(report(0) + "وی گفت: ۵ مدرسه تا پایان سال افتتاح می‌شود.\n", encoding="utf-8")
    (folder / "r1.txt").write_bytes(b"")
    (folder / "r4.txt").write_text(report(4), encoding="utf-8")
    assert batch.run([str(folder)], store, workers=1).exit_code == 1
    afresh = tmp_path / "afresh"
    assert batch.run([str(folder)], afresh, workers=1).exit_code == 1
    for table in ("documents", "sources", "commitments", "figures", "officials", "mentions", "targets"):
        drop = ("seconds",) if table == "documents" else ()
        assert rows(store, table, drop) == rows(afresh, table, drop), table
    assert rows(store, "errors", ("failed_at",)) == rows(afresh, "errors", ("failed_at",))
    with Store(store) as opened:  # the old r0 is counted once, under the copy that still holds it
        assert sorted(Path(s).name for s in opened.documents()["source"]) == ["r0.txt", "r2.txt", "r3.txt", "r4.txt", "z-copy.txt"]


def test_batches_over_a_changing_folder_end_as_a_batch_run_afresh(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "z.txt", "sub/b.txt"):  # three copies
        (folder / name).write_text(report(1), encoding="utf-8")
    (folder / "e.txt").write_bytes(b"")
    (folder / "bin.txt").write_bytes(b"\x00\x01binary\x00" * 10)
    (folder / "sub" / "c.txt").write_text(report(2), encoding="utf-8")
    store = tmp_path / "store"
    batch.run([str(folder)], store, workers=1)
    # The folder sub cannot be listed for one batch; then it can again.
    real_scandir = lock(monkeypatch, folder / "sub")
    batch.run([str(folder)], store, workers=1)
    with Store(store) as opened:
        assert str(folder / "sub") in set(opened.errors()["source"])
    monkeypatch.setattr(os, "scandir", real_scandir)
    (folder / "a.txt").write_text(report(3), encoding="utf-8")  # edited: its copies remain
    (folder / "e.txt").write_bytes((folder / "bin.txt").read_bytes())  # another failure now
    batch.run([str(folder)], store, workers=1)
    afresh = tmp_path / "afresh"
    batch.run([str(folder)], afresh, workers=1)
    for table in ("documents", "sources", "commitments", "figures", "officials", "mentions", "targets"):
        drop = ("seconds",) if table == "documents" else ()
        assert rows(store, table, drop) == rows(afresh, table, drop), table
    assert rows(store, "errors", ("failed_at",)) == rows(afresh, "errors", ("failed_at",))
    with Store(store) as opened:
        errors = {Path(r["source"]).name: r for r in opened.errors().to_dict("records")}
        assert sorted(errors) == ["bin.txt", "e.txt"] and errors["e.txt"]["reason"] == errors["bin.txt"]["reason"]
        # The copies' document is named by the first of them in sort order, in both stores.
        assert str(folder / "sub" / "b.txt") in set(opened.documents()["source"])


def test_files_deleted_from_a_folder_leave_the_store_as_in_a_batch_run_afresh(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "old").mkdir()
    (folder / "locked").mkdir()
    for i in range(4):
        (folder / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    (folder / "sub" / "r0-copy.txt").write_text(report(0), encoding="utf-8")
    (folder / "old" / "r9.txt").write_text(report(9), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    store = tmp_path / "store"
    real_scandir = lock(monkeypatch, folder / "locked")  # an error of its own
    assert batch.run([str(folder)], store, workers=1).exit_code == 1
    monkeypatch.setattr(os, "scandir", real_scandir)
    (folder / "r0.txt").unlink()  # its copy still holds its document
    (folder / "r1.txt").unlink()  # its document leaves
    (folder / "empty.txt").unlink()  # its error leaves
    shutil.rmtree(folder / "old")  # a whole folder
    (folder / "locked").rmdir()  # the folder that could not be listed: its error leaves
    summary = batch.run([str(folder)], store, workers=1)
    assert summary.exit_code == 0 and summary.processed == 0 and summary.gone == 5
    assert "5 gone from the store" in summary.final_line()
    afresh = tmp_path / "afresh"
    assert batch.run([str(folder)], afresh, workers=1).exit_code == 0
    same_store(store, afresh)
    with Store(store) as opened:
        assert sorted(Path(s).name for s in opened.documents()["source"]) == ["r0-copy.txt", "r2.txt", "r3.txt"]
        assert opened.errors().empty
        assert len(opened.query("SELECT * FROM _documents_log")) == 5  # the history stays
    # A file that is there but left out by --exclude keeps its rows; a deleted file put back
    # comes back.
    (folder / "r1.txt").write_text(report(1), encoding="utf-8")
    spec = batch.InputSpec(exclude=("r2.txt",))
    again = batch.run([str(folder)], store, workers=1, spec=spec)
    # r1's document is in the store's history, made by this pipeline: a row of sources brings it back.
    assert again.gone == 0 and again.processed == 0 and again.skipped == 3
    with Store(store) as opened:
        assert sorted(Path(s).name for s in opened.documents()["source"]) == ["r0-copy.txt", "r1.txt", "r2.txt", "r3.txt"]
    shutil.rmtree(afresh)
    batch.run([str(folder)], afresh, workers=1)
    same_store(store, afresh)


def test_rows_removed_from_an_archive_and_an_archive_deleted_from_a_folder_leave_the_store(tmp_path):
    def write_jsonl(path: Path, records: list[tuple[str, str]]) -> None:
        path.write_text("".join(json.dumps({"id": key, "text": text}, ensure_ascii=False) + "\n" for key, text in records),
                        encoding="utf-8")

    news = tmp_path / "news.jsonl"
    # b twice (b and b~2), and d fails
    write_jsonl(news, [("a", report(1)), ("b", report(2)), ("b", report(3)), ("c", report(4)), ("d", "")])
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r0.txt").write_text(report(0), encoding="utf-8")
    table = folder / "more.csv"
    out = io.StringIO()
    csv.writer(out).writerows([["id", "text"], ["x", report(5)], ["y", report(1)], ["z", ""]])  # y: news#a's text
    table.write_text(out.getvalue(), encoding="utf-8")
    spec = batch.InputSpec(include=("*.txt", "*.csv"))
    store = tmp_path / "store"
    assert batch.run([str(news), str(folder)], store, workers=1, spec=spec).exit_code == 1
    write_jsonl(news, [("a", report(1)), ("b", report(2))])  # b~2, c and d removed
    table.unlink()
    summary = batch.run([str(news), str(folder)], store, workers=1, spec=spec)
    assert summary.exit_code == 0 and summary.gone == 6
    afresh = tmp_path / "afresh"
    assert batch.run([str(news), str(folder)], afresh, workers=1, spec=spec).exit_code == 0
    same_store(store, afresh)
    with Store(store) as opened:
        assert sorted(opened.documents()["source"]) == [f"{folder / 'r0.txt'}", f"{news}#a", f"{news}#b"]
        assert opened.errors().empty


def test_a_folder_whose_every_document_is_missing_keeps_them_until_told_they_were_deleted(tmp_path):
    # A drive not mounted leaves its empty mount folder (here with a stray file that is no
    # document): the store must not lose 3 documents to it. Mounted again, nothing is lost
    # and nothing is run again.
    folder = tmp_path / "mnt"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    store = tmp_path / "store"
    assert batch.run([str(folder)], store, workers=1).exit_code == 0
    saved = tmp_path / "saved"
    shutil.move(folder, saved)
    folder.mkdir()
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    outcome = minutes("batch", str(folder), "-o", str(store), "--quiet")
    assert outcome.returncode == 0
    err = outcome.stderr.decode("utf-8")
    assert f"none of the documents the store holds from {folder} is there any more" in err
    assert "--allow-all-gone" in err and "3 missing but kept" in err
    with Store(store) as opened:
        assert sorted(Path(s).name for s in opened.documents()["source"]) == ["r0.txt", "r1.txt", "r2.txt"]
    shutil.rmtree(folder)
    shutil.move(saved, folder)
    back = batch.run([str(folder)], store, workers=1)
    assert (back.processed, back.gone, back.kept_missing, back.skipped) == (0, 0, 0, 3)
    # Deleted on purpose: told so, they go, and the store is that of a batch run afresh.
    for file in folder.glob("*.txt"):
        file.unlink()
    summary = batch.run([str(folder)], store, workers=1)
    assert (summary.gone, summary.kept_missing, summary.all_missing) == (0, 3, [str(folder)])
    summary = batch.run([str(folder)], store, workers=1, allow_all_gone=True)
    assert (summary.gone, summary.kept_missing) == (3, 0)
    afresh = tmp_path / "afresh"
    batch.run([str(folder)], afresh, workers=1)
    same_store(store, afresh)
    # A folder whose files were all replaced by others is read as it is: the old ones go.
    (folder / "new.txt").write_text(report(7), encoding="utf-8")
    replaced = batch.run([str(folder)], store, workers=1)
    assert (replaced.processed, replaced.kept_missing) == (1, 0)
    (folder / "new.txt").rename(folder / "renamed.txt")
    renamed = batch.run([str(folder)], store, workers=1)
    assert (renamed.gone, renamed.kept_missing, renamed.processed) == (1, 0, 0)
    with Store(store) as opened:
        assert list(opened.sources()["source"]) == [str(folder / "renamed.txt")]
    # One file of several deleted is an ordinary deletion.
    (folder / "a.txt").write_text(report(5), encoding="utf-8")
    (folder / "b.txt").write_text(report(6), encoding="utf-8")
    batch.run([str(folder)], store, workers=1)
    (folder / "a.txt").unlink()
    assert batch.run([str(folder)], store, workers=1).gone == 1


def test_an_archive_none_of_whose_ids_is_left_keeps_its_rows(tmp_path):
    # Read again with another --id-column, an archive's rows have other ids: the store's
    # rows stay (the rows of the new ids are added, as sources of the same documents).
    news = tmp_path / "news.jsonl"
    news.write_text("".join(json.dumps({"id": key, "key": f"k-{key}", "text": report(i)}, ensure_ascii=False) + "\n"
                            for i, key in enumerate("ab")), encoding="utf-8")
    store = tmp_path / "store"
    batch.run([str(news)], store, workers=1)
    summary = batch.run([str(news)], store, workers=1, spec=batch.InputSpec(id_column="key"))
    assert (summary.gone, summary.kept_missing, summary.all_missing) == (0, 2, [str(news)])
    assert summary.processed == 0 and summary.duplicates + summary.skipped == 2
    with Store(store) as opened:
        assert sorted(opened.sources()["source"]) == sorted(f"{news}#{key}" for key in ("a", "b", "k-a", "k-b"))
        assert len(opened.documents()) == 2
    # Some ids left: the others go (b, and the rows of the other id column).
    news.write_text(json.dumps({"id": "a", "text": report(0)}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert batch.run([str(news)], store, workers=1).gone == 3
    with Store(store) as opened:
        assert list(opened.sources()["source"]) == [f"{news}#a"]


def test_a_new_source_with_bytes_that_failed_before_is_a_failure_of_this_run_in_its_own_words(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "r.txt").write_text(report(1), encoding="utf-8")
    store = tmp_path / "store"
    assert batch.run([str(folder)], store, workers=1).failed == 1
    (folder / "b.txt").write_bytes(b"")  # new, with the bytes of a.txt
    archive = tmp_path / "rows.jsonl"
    archive.write_text(json.dumps({"id": "x", "text": ""}) + "\n", encoding="utf-8")  # a row, empty too
    summary = batch.run([str(folder), str(archive)], store, workers=1)
    assert (summary.failed, summary.failed_before) == (2, 1)
    assert "2 failed, 1 failed in an earlier run" in summary.final_line()
    with Store(store) as opened:
        reasons = dict(zip(opened.errors()["source"], opened.errors()["reason"]))
    assert reasons == {str(folder / "a.txt"): "empty: the file has no bytes",
                       str(folder / "b.txt"): "empty: the file has no bytes",
                       f"{archive}#x": "empty: the row's text is empty"}


def test_plain_text_on_standard_input_is_refused_with_what_standard_input_is_read_as(tmp_path):
    run = minutes("batch", "-", "-o", str(tmp_path / "store"), "-q", stdin=report(1).encode("utf-8"))
    assert run.returncode == 1
    with Store(tmp_path / "store") as opened:
        reasons = list(opened.errors()["reason"])
    assert len(reasons) == 2 and all("is not JSON" in reason and "use `minutes extract -`" in reason for reason in reasons)


def test_a_folder_not_named_and_standard_input_remove_nothing(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for k, folder in enumerate((one, two)):
        folder.mkdir()
        for i in range(2):
            (folder / f"r{i}.txt").write_text(report(10 * k + i), encoding="utf-8")
    stream = "".join(json.dumps({"id": i, "text": report(30 + i)}, ensure_ascii=False) + "\n" for i in range(2))
    store = tmp_path / "store"
    batch.run([str(one), str(two), "-"], store, workers=1, stdin=io.BytesIO(stream.encode("utf-8")))
    (one / "r1.txt").unlink()
    (two / "r1.txt").unlink()
    assert batch.run([str(one)], store, workers=1).gone == 1  # two is not named: untouched
    # Standard input's rows have no lasting name: a shorter stream removes none.
    shorter = json.dumps({"id": 0, "text": report(40)}, ensure_ascii=False) + "\n"
    assert batch.run(["-"], store, workers=1, stdin=io.BytesIO(shorter.encode("utf-8"))).gone == 0
    with Store(store) as opened:
        assert sorted(opened.documents()["source"]) == sorted([
            "<stdin>#0", "<stdin>#0", "<stdin>#1", str(one / "r0.txt"), str(two / "r0.txt"), str(two / "r1.txt")])


def test_folders_named_relative_to_other_working_folders_remove_only_what_is_gone(tmp_path, monkeypatch):
    # A source is named as given ("2023/doc0.txt", "doc3.txt"); where it lies is the
    # absolute path of its file, whatever folder each batch ran in.
    archive = tmp_path / "archive"
    for year, numbers in (("2023", range(3)), ("2024", range(3, 5))):
        (archive / year).mkdir(parents=True)
        for i in numbers:
            (archive / year / f"doc{i}.txt").write_text(report(i), encoding="utf-8")
    (tmp_path / "elsewhere" / "2023").mkdir(parents=True)  # the same relative name, empty
    store = tmp_path / "store"
    monkeypatch.chdir(archive)
    assert batch.run(["2023"], store, workers=1).exit_code == 0
    monkeypatch.chdir(archive / "2024")
    assert batch.run(["."], store, workers=1).gone == 0  # 2023's files are not here, nor gone
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert batch.run(["2023"], store, workers=1).gone == 0  # another folder of that name
    (archive / "2023" / "doc0.txt").unlink()
    assert batch.run([str(archive / "2023")], store, workers=1).gone == 1  # named otherwise, the same folder
    with Store(store) as opened:
        sources = opened.sources()
    # A source named in two ways is one source, as the run that recorded it named it.
    assert sorted(sources["source"]) == ["2023/doc1.txt", "2023/doc2.txt", "doc3.txt", "doc4.txt"]
    assert sorted(sources["path"]) == [str(archive / year / f"doc{i}.txt") for year, i in
                                       (("2023", 1), ("2023", 2), ("2024", 3), ("2024", 4))]


def test_a_folder_named_through_a_link_and_dot_dot_is_where_the_link_leads(tmp_path, monkeypatch):
    # "link/../data" is the data folder beside the link's target: run again, nothing is gone.
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "data").mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "link").symlink_to(tmp_path / "real" / "sub")
    for i in range(2):
        (tmp_path / "real" / "data" / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    store = tmp_path / "store"
    assert batch.run(["link/../data"], store, workers=1).processed == 2
    assert batch.run(["link/../data"], store, workers=1).gone == 0
    with Store(store) as opened:
        assert sorted(opened.sources()["path"]) == [str(tmp_path / "real" / "data" / f"r{i}.txt") for i in range(2)]
    (tmp_path / "real" / "data" / "r1.txt").unlink()
    assert batch.run([str(tmp_path / "real" / "data")], store, workers=1).gone == 1  # named otherwise, the same


def test_one_file_named_in_several_ways_is_one_source_and_one_error(tmp_path, monkeypatch):
    # Relative, with "./", absolute, through a link to its folder: the same files, each one
    # row of `sources` or `errors`, whichever way later batches name them.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(report(0), encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "link").symlink_to(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    first = batch.run(["in"], store, workers=1)
    assert (first.processed, first.failed) == (1, 1)
    for names in (["./in/good.txt", "./in/empty.txt"], [str(tmp_path / "in")], ["link"], ["in", str(tmp_path / "in")]):
        again = batch.run(names, store, workers=1)
        assert (again.processed, again.failed, again.gone) == (0, 0, 0), names  # nothing new, nothing counted twice
    with Store(store) as opened:
        assert list(opened.sources()["source"]) == ["in/good.txt"]  # as the run that recorded it named it
        assert list(opened.errors()["source"]) == ["in/empty.txt"]
    # Gone, however it was named: deleted, the file leaves the tables.
    (tmp_path / "in" / "good.txt").unlink()
    assert batch.run(["link"], store, workers=1).gone == 1
    with Store(store) as opened:
        assert opened.sources().empty and opened.documents().empty


def test_inputs_that_overlap_read_each_file_once(tmp_path, monkeypatch):
    # "in" and a link to it, a folder and a file in it: each file is read, counted and
    # recorded once; the summary says how many were named twice.
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text(report(0), encoding="utf-8")
    (tmp_path / "in" / "e.txt").write_bytes(b"")
    (tmp_path / "link").symlink_to(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    first = batch.run(["in", "link", "in/e.txt"], store, workers=1)
    assert (first.documents, first.processed, first.duplicates, first.failed, first.named_again) == (2, 1, 0, 1, 3)
    assert "3 named twice in the inputs (read once)" in first.final_line()
    again = batch.run(["link", str(tmp_path / "in")], store, workers=1)
    assert (again.documents, again.skipped, again.failed, again.failed_before, again.named_again) == (2, 1, 0, 1, 2)
    with Store(store) as opened:
        assert len(opened.query("SELECT * FROM error_log")) == 1 and len(opened.errors()) == 1
        assert len(opened.sources()) == 1
    assert not batch.inputs_overlap(["in/sub", "in/e.txt", "inbox", "in-2", "-"])
    assert batch.inputs_overlap(["in-2", "in/sub", "in"]) and batch.inputs_overlap(["/", "in"])


def test_a_source_missing_from_two_places_read_in_one_run_is_counted_once(tmp_path, monkeypatch):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "x.txt").write_text(report(0), encoding="utf-8")
    (tmp_path / "in" / "sub" / "y.txt").write_text(report(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    batch.run(["in"], store, workers=1)
    (tmp_path / "in" / "sub" / "y.txt").unlink()
    # All of in/sub is missing (kept, alone), but not all of in: gone, and no longer kept.
    summary = batch.run(["in/sub", "in"], store, workers=1)
    assert (summary.gone, summary.kept_missing, summary.all_missing) == (1, 0, [])
    (tmp_path / "in" / "x.txt").unlink()
    summary = batch.run(["in", "in/sub"], store, workers=1)  # all missing: kept once, whichever folder
    assert (summary.gone, summary.kept_missing, summary.all_missing) == (0, 1, [str(tmp_path / "in")])


def test_a_folder_listed_again_leaves_errors_even_with_no_file_to_read(tmp_path, monkeypatch):
    for place in ("d1", "d2"):
        (tmp_path / place / "sub").mkdir(parents=True)
    (tmp_path / "d2" / "sub" / "a.txt").write_text(report(0), encoding="utf-8")
    store = tmp_path / "store"
    monkeypatch.chdir(tmp_path / "d1")
    real_scandir = lock(monkeypatch, tmp_path / "d1" / "sub")
    assert batch.run(["sub"], store, workers=1).failed == 1
    monkeypatch.setattr(os, "scandir", real_scandir)
    # Another folder of the same name says nothing of this one.
    monkeypatch.chdir(tmp_path / "d2")
    assert batch.run(["sub"], store, workers=1).processed == 1
    with Store(store) as opened:
        assert list(opened.errors()["path"]) == [str(tmp_path / "d1" / "sub")]
    # Listed again, empty: its error leaves.
    monkeypatch.chdir(tmp_path / "d1")
    assert batch.run(["sub"], store, workers=1).exit_code == 0
    with Store(store) as opened:
        assert opened.errors().empty and len(opened.sources()) == 1


def test_a_folder_under_one_that_cannot_be_listed_keeps_its_error(tmp_path, monkeypatch):
    (tmp_path / "in" / "a" / "b").mkdir(parents=True)
    (tmp_path / "in" / "r0.txt").write_text(report(0), encoding="utf-8")
    (tmp_path / "in" / "a" / "b" / "y.txt").write_text(report(1), encoding="utf-8")
    store = tmp_path / "store"
    lock(monkeypatch, tmp_path / "in" / "a" / "b")
    assert batch.run([str(tmp_path / "in")], store, workers=1).failed == 1
    lock(monkeypatch, tmp_path / "in" / "a")  # now the folder above cannot be listed either
    batch.run([str(tmp_path / "in")], store, workers=1)
    with Store(store) as opened:  # in/a/b was not listed: its error stays
        assert sorted(opened.errors()["path"]) == [str(tmp_path / "in" / "a"), str(tmp_path / "in" / "a" / "b")]


def test_overlapping_inputs_retire_the_names_of_a_store_written_with_relative_paths(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(report(0), encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    batch.run(["in"], store, workers=1)
    for table in (store / "shards").glob("*/*.parquet"):  # as a store written before paths were absolute
        rows = pq.read_table(table)
        if "path" in rows.column_names and rows.num_rows:
            pq.write_table(rows.set_column(rows.column_names.index("path"), "path", rows.column("source")), table)
    assert batch.run(["link", "in"], store, workers=1).named_again == 1
    with Store(store) as opened:
        assert list(opened.sources()["path"]) == [str(tmp_path / "in" / "a.txt")]


def test_errors_of_a_store_written_with_relative_paths_are_not_taken_for_new_ones(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e.txt").write_bytes(b"")
    (tmp_path / "in" / "b.txt").write_bytes(b"\x00\x01binary\x00" * 10)
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    batch.run(["in"], store, workers=1)
    for table in (store / "shards").glob("*/errors.parquet"):  # as a store written before paths were absolute
        rows = pq.read_table(table)
        pq.write_table(rows.set_column(rows.column_names.index("path"), "path", rows.column("source")), table)
    again = batch.run(["in"], store, workers=1)
    assert (again.failed, again.failed_before) == (0, 2)
    with Store(store) as opened:
        assert len(opened.query("SELECT * FROM error_log")) == 2
    # Fixed, the file leaves errors: its new row says where it lies, and its old one goes.
    (tmp_path / "in" / "e.txt").write_text(report(0), encoding="utf-8")
    assert batch.run(["in"], store, workers=1).processed == 1
    with Store(store) as opened:
        assert list(opened.errors()["source"]) == ["in/b.txt"]
        assert list(opened.sources()["path"]) == [str(tmp_path / "in" / "e.txt")]


def test_a_store_written_with_relative_paths_locates_its_sources_when_they_are_read_again(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "store"
    batch.run(["in"], store, workers=1)
    # As a store written before paths were absolute: each row's path is its source's name.
    for table in (store / "shards").glob("*/*.parquet"):
        rows = pq.read_table(table)
        if "path" in rows.column_names and rows.num_rows:
            rows = rows.set_column(rows.column_names.index("path"), "path", rows.column("source"))
            pq.write_table(rows, table)
    (tmp_path / "in" / "r2.txt").unlink()  # deleted before the store knew where it was: it stays
    assert batch.run(["in"], store, workers=1).gone == 0  # nothing is taken for gone by its name
    with Store(store) as opened:
        assert sorted(opened.sources()["path"]) == [str(tmp_path / "in" / "r0.txt"), str(tmp_path / "in" / "r1.txt"), "in/r2.txt"]
    (tmp_path / "in" / "r1.txt").unlink()
    assert batch.run(["in"], store, workers=1).gone == 1


def test_rows_of_an_archive_that_repeat_an_id_are_each_a_document(tmp_path):
    archive = tmp_path / "news.jsonl"
    archive.write_text("".join(json.dumps({"id": 1, "text": report(i)}, ensure_ascii=False) + "\n" for i in range(3)),
                       encoding="utf-8")
    store = tmp_path / "store"
    assert batch.run([str(archive)], store, workers=1).processed == 3
    with Store(store) as opened:
        assert sorted(opened.documents()["source"]) == [f"{archive}#1", f"{archive}#1~2", f"{archive}#1~3"]


def test_a_task_sent_to_a_pool_that_just_broke_fails_with_it_instead_of_stopping_the_batch(tmp_path):
    options = batch.WorkerOptions(timeout=None)
    engine = batch.ProcessEngine(1, options, function=faulty_worker)
    try:
        crash = batch.Item(source="crash", path=None, record_id=None, data=b"CRASH", size=5)
        future = engine.submit([crash])
        engine.wait([future], 60)
        with pytest.raises(batch.WorkerLost):
            engine.outcome(future)
        ok = batch.Item(source="ok", path=None, record_id=None, data=report(1).encode(), size=10)
        later = engine.submit([ok])  # the pool is broken: no exception here, a failed task
        with pytest.raises(batch.WorkerLost):
            engine.outcome(later)
    finally:
        engine.close(cancel=True)


def test_workers_that_die_without_a_document_stop_the_batch_and_blame_no_document(tmp_path):
    # A script that starts a batch without the main guard: each worker process, as it starts,
    # imports the script again and dies (multiprocessing refuses to start processes from
    # there). No document is at fault, so none may be recorded as failed (a later run would
    # skip it as failed before).
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"r{i:02d}.txt").write_text(report(i), encoding="utf-8")
    body = ("import sys\nfrom extract import batch\n"
            "summary = batch.run([sys.argv[1]], sys.argv[2], workers=2)\nprint(summary.final_line())\n")
    unguarded = tmp_path / "unguarded.py"
    unguarded.write_text(body, encoding="utf-8")
    # A script's own folder, not the working one, starts its import path: this checkout's
    # package is named.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    outcome = subprocess.run([sys.executable, str(unguarded), str(folder), str(tmp_path / "store")], env=env,
                             capture_output=True, text=True, timeout=300)
    assert outcome.returncode != 0
    assert "WorkersCannotRun" in outcome.stderr and 'if __name__ == "__main__":' in outcome.stderr
    with Store(tmp_path / "store") as opened:
        assert opened.query("SELECT count(*) FROM errors").iloc[0, 0] == 0
        assert opened.query("SELECT count(*) FROM documents").iloc[0, 0] == 0
    # Once the script is fixed, the same store takes every document.
    guarded = tmp_path / "guarded.py"
    guarded.write_text("if __name__ == '__main__':\n" + "".join("    " + line + "\n" for line in body.splitlines()),
                       encoding="utf-8")
    outcome = subprocess.run([sys.executable, str(guarded), str(folder), str(tmp_path / "store")], env=env,
                             capture_output=True, text=True, timeout=300)
    assert outcome.returncode == 0, outcome.stderr
    assert "12 processed, 0 failed" in outcome.stdout


def test_minutes_batch_exits_3_with_the_reason_when_its_workers_cannot_run(tmp_path, monkeypatch):
    def workers_die(*args, **kwargs):
        error = batch.WorkersCannotRun("the worker processes die before they run any document")
        error.summary = batch.Summary(store=str(tmp_path / "store"), documents=5, processed=2, stopped=True)
        raise error

    monkeypatch.setattr(batch, "run", workers_die)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(report(1), encoding="utf-8")
    outcome = minutes("batch", str(folder), "-o", str(tmp_path / "store"), "--quiet")
    assert outcome.returncode == 3
    stderr = outcome.stderr.decode()
    assert "stopped: 5 documents: 2 processed" in stderr and "3 left unfinished" in stderr
    assert "minutes batch: stopped: the worker processes die before they run any document" in stderr


# ---------------------------------------------------------------- kill -9 and resume


@pytest.mark.parametrize("message", ["Query interrupted", "offering a filter to the source failed: KeyboardInterrupt: "])
def test_ctrl_c_while_the_store_is_read_interrupts_the_batch_with_exit_code_130(tmp_path, monkeypatch, message):
    # DuckDB turns Ctrl-C during a query into errors of its own.
    import duckdb

    from extract import store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(report(1), encoding="utf-8")
    out = tmp_path / "store"
    assert batch.run([str(folder)], out, workers=1).exit_code == 0

    def interrupted(*args, **kwargs):
        raise duckdb.InvalidInputException(message) if "KeyboardInterrupt" in message else RuntimeError(message)

    monkeypatch.setattr(store, "_create_views", interrupted)
    assert batch.run([str(folder)], out, workers=1).interrupted
    run = minutes("batch", str(folder), "-o", str(out), "-q")
    assert run.returncode == 130 and b"Traceback" not in run.stderr


def test_ctrl_c_stops_a_batch_that_a_module_runs_as_it_is_imported(tmp_path):
    # run() below an import: the import's frames are not the batch's, and do not hold the
    # signal back.
    (tmp_path / "job.py").write_text(
        "import os, sys\n"
        "from extract.batch import run\n"
        "r, w = os.pipe()\n"
        "print('running', flush=True)\n"
        f"summary = run(['-'], {str(tmp_path / 'store')!r}, workers=1, stdin=os.fdopen(r, 'rb'))\n"
        "print('interrupted' if summary.interrupted else 'done', flush=True)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{tmp_path}"}
    process = subprocess.Popen([sys.executable, "-c", "import job"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stdout.readline() == b"running\n"
    time.sleep(2.0)  # the batch waits for rows on its standard input
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0 and stdout == b"interrupted\n", stderr.decode()


@pytest.mark.parametrize("after", [0.25, 0.5, 0.8, 1.2, 1.8])
def test_ctrl_c_at_any_moment_of_the_start_ends_the_batch_with_exit_code_130_and_no_traceback(tmp_path, after):
    # Whatever it is doing then: importing, starting the forkserver while it loads the
    # pipeline (whose requests for workers are left behind), running documents. A Ctrl-C
    # goes to the whole process group, the forkserver and the workers included. (One
    # within Python's own start, before any of the program runs, is Python's to report.)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(60):
        (folder / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "extract", "batch", str(folder), "-o", str(tmp_path / "store")],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(after)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    done = b"minutes batch: done:" in stderr  # done already: 0, or killed by the signal as it left
    assert process.returncode == 130 or (done and process.returncode in (0, -signal.SIGINT)), stderr.decode()
    assert b"Traceback" not in stderr and b"Aborted" not in stderr, stderr.decode()
    if process.returncode == 130:
        assert b"interrupted" in stderr
    time.sleep(0.5)  # the forkserver's children, if any, have said what they had to say
    resumed = batch.run([str(folder)], tmp_path / "store", workers=1)
    assert resumed.exit_code == 0 and resumed.finished == 60


def test_kill_9_halfway_then_resume_gives_the_store_of_an_uninterrupted_run(tmp_path):
    DOCUMENTS = 150
    folder = tmp_path / "in"
    folder.mkdir()
    # Enough documents that the batch is still running when it is killed (they go to the
    # worker in tasks of several).
    for i in range(DOCUMENTS):
        (folder / f"r{i:03d}.txt").write_text(report(i), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")  # a failure must survive the kill too
    (folder / "zz-copy.txt").write_text(report(0), encoding="utf-8")  # and a copy, met last

    reference = tmp_path / "reference"
    assert batch.run([str(folder)], reference, workers=1, shard_size=7).exit_code == 1

    store = tmp_path / "store"
    args = [sys.executable, "-m", "extract", "batch", str(folder), "-o", str(store), "--workers", "1", "--shard-size", "7"]
    process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def halfway() -> bool:
        return (store / "shards").exists() and len(list((store / "shards").glob("*"))) >= 3

    kill_9_when(process, halfway, "the batch ended before it could be killed halfway")
    with Store(store) as opened:
        committed = len(opened.query("SELECT * FROM _documents_log"))
    assert 21 <= committed < DOCUMENTS

    resumed = batch.run([str(folder)], store, workers=1, shard_size=7)
    assert resumed.exit_code == 1
    # The committed documents are not done again (nor is the copy of the first, met last);
    # the others are.
    assert resumed.skipped == committed + 1 and resumed.processed == DOCUMENTS - committed

    no_duplicates(store)
    same_store(store, reference)
    assert not any((store / "tmp").iterdir())


# Run as a script: a batch whose commit of the shard that records gone sources stops (for the
# test to kill it) just before the commit, or just after it.
STOP_AROUND_GONE = """
import sys, time
from pathlib import Path

from extract import batch, store

folder, out, moment, marker = sys.argv[1:]
commit = store.StoreWriter._commit


def stop_around_gone(self, name, buffer):
    gone = any(row["document_id"] is None for row in buffer.get("sources", ()))
    if gone and moment == "before":
        Path(marker).touch()
        time.sleep(600)
    commit(self, name, buffer)
    if gone and moment == "after":
        Path(marker).touch()
        time.sleep(600)


if __name__ == "__main__":
    store.StoreWriter._commit = stop_around_gone
    batch.run([folder], out, workers=1, shard_size=3)
"""


@pytest.mark.parametrize("moment", ["before", "after"])
def test_kill_9_around_the_commit_of_gone_sources_then_resume_gives_the_store_of_a_batch_run_afresh(tmp_path, moment):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"r{i:02d}.txt").write_text(report(i), encoding="utf-8")
    (folder / "r00-copy.txt").write_text(report(0), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    store = tmp_path / "store"
    batch.run([str(folder)], store, workers=1, shard_size=3)
    for name in ("r00.txt", "r01.txt", "empty.txt"):  # a copy holds r00's document; empty.txt's error goes
        (folder / name).unlink()
    for i in range(10, 25):  # work still in flight when the walk ends
        (folder / f"r{i:02d}.txt").write_text(report(i), encoding="utf-8")

    script, marker = tmp_path / "stop_around_gone.py", tmp_path / "stopped"
    script.write_text(STOP_AROUND_GONE, encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script), str(folder), str(store), moment, str(marker)],
                               env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    kill_9_when(process, marker.exists, "the batch never came to the commit of gone sources")
    with Store(store) as opened:  # gone in the store with the shard's commit, not before
        names = {Path(s).name for s in opened.sources()["source"]}
        assert ("r01.txt" in names) == (moment == "before")

    resumed = batch.run([str(folder)], store, workers=1, shard_size=3)
    assert resumed.exit_code == 0 and resumed.gone == (3 if moment == "before" else 0)
    afresh = tmp_path / "afresh"
    batch.run([str(folder)], afresh, workers=1, shard_size=3)
    same_store(store, afresh)
    no_duplicates(store)


def as_first_format(store: Path) -> None:
    """Make a store look as one written when results were files: no results table, a
    result_path column, a file per result under results/."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for shard in (store / "shards").iterdir():
        results = pq.read_table(shard / "results.parquet").to_pylist()
        (shard / "results.parquet").unlink()
        documents = pq.read_table(shard / "documents.parquet")
        paths = [f"results/{i[:2]}/{i}.json" for i in documents["document_id"].to_pylist()]
        pq.write_table(documents.append_column("result_path", pa.array(paths)), shard / "documents.parquet")
        for row in results:
            file = store / "results" / row["document_id"][:2] / f"{row['document_id']}.json"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(row["result"] + "\n", encoding="utf-8")


def test_a_batch_goes_on_with_a_store_written_when_results_were_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    store = tmp_path / "store"
    assert batch.run([str(folder)], store, workers=1).processed == 3
    as_first_format(store)
    (folder / "r3.txt").write_text(report(3), encoding="utf-8")  # new
    (folder / "r0.txt").write_text(report(10), encoding="utf-8")  # edited
    summary = batch.run([str(folder)], store, workers=1)
    assert summary.processed == 2 and summary.skipped == 2
    afresh = tmp_path / "afresh"
    batch.run([str(folder)], afresh, workers=1)
    for table in TABLES:  # the results of both kinds of shard among them
        if table == "documents":  # with the result_path column of the first format
            assert rows(store, table, ("seconds", "result_path")) == rows(afresh, table, ("seconds",))
        elif table == "results":
            assert results(store) == results(afresh)
        else:
            drop = ("failed_at",) if table == "errors" else ()
            assert rows(store, table, drop) == rows(afresh, table, drop), table
    with Store(store) as opened:
        assert len(opened.query("SELECT * FROM results")) == 4
        for document_id in opened.documents()["document_id"]:
            validate(opened.result(document_id))


# ---------------------------------------------------------------- archives and standard input


def test_jsonl_and_csv_archives(tmp_path):
    jsonl = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": f"n{i}", "body": report(i)}, ensure_ascii=False) for i in range(3)]
    lines.insert(1, "{not json")
    lines.append(json.dumps({"id": "n9", "title": "no body"}))
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = tmp_path / "news.csv"
    out = io.StringIO()
    csv.writer(out).writerows([["key", "body"], ["c1", report(10)], ["c2", report(11)], ["c3", ""]])
    table.write_text(out.getvalue(), encoding="utf-16")  # UTF-16 with a BOM; quoted multi-line fields
    packed = tmp_path / "more.jsonl.gz"
    packed.write_bytes(gzip.compress((json.dumps({"id": "z1", "body": report(12)}, ensure_ascii=False) + "\n").encode("utf-8")))
    store = tmp_path / "store"
    summary = batch.run([str(jsonl), str(table), str(packed)], store, workers=2,
                        spec=batch.InputSpec(text_column="body", id_column="id"))
    assert summary.exit_code == 1
    with Store(store) as opened:
        sources = sorted(opened.documents()["source"])
        errors = {r["source"]: r for _, r in opened.errors().iterrows()}
        paths = opened.query("SELECT DISTINCT path FROM documents ORDER BY path")["path"].tolist()
    # the CSV's id column is "key", not "id": its rows are known by their numbers
    assert sources == sorted([f"{jsonl}#n{i}" for i in range(3)] + [f"{table}#1", f"{table}#2", f"{packed}#z1"])
    assert paths == sorted([str(table), str(jsonl), str(packed)])  # the archive; record_id says which row
    assert errors[f"{jsonl}#2"]["stage"] == "read" and "not JSON" in errors[f"{jsonl}#2"]["reason"]
    assert errors[f"{jsonl}#n9"]["stage"] == "read" and "'body'" in errors[f"{jsonl}#n9"]["reason"]
    assert errors[f"{table}#3"]["stage"] == "decode" and errors[f"{table}#3"]["reason"] == "empty: the row's text is empty"


def test_a_csv_quote_never_closed_is_an_error_not_rows_merged_into_one_text(tmp_path):
    def line(i: int) -> str:
        return report(i).strip().replace("\n", " ")

    table = tmp_path / "stray.csv"
    table.write_text(f'id,text\nr0,{line(0)}\nr1,"{line(1)}\nr2,{line(2)}\nr3\n', encoding="utf-8")  # r1's quote never closes
    store = tmp_path / "store"
    summary = batch.run([str(table)], store, workers=1)
    assert summary.exit_code == 1 and summary.processed == 1
    with Store(store) as opened:
        assert list(opened.documents()["source"]) == [f"{table}#r0"]
        [reason] = opened.errors()["reason"]
    assert reason.startswith("row 2 (line 3) is not valid CSV") and "never closed" in reason
    # A row without the text column names it.
    table.write_text(f"id,text\nr0,{line(0)}\nr3\n", encoding="utf-8")
    batch.run([str(table)], store, workers=1)
    with Store(store) as opened:
        assert "row 2 has no column 'text'" in set(opened.errors()["reason"])


def lock(monkeypatch, locked: Path):
    """The folder cannot be listed, as one without read permission (root would list it
    anyway); returns the real os.scandir."""
    real_scandir = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and Path(os.path.abspath(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return real_scandir


def test_a_folder_that_cannot_be_listed_is_an_error_until_its_files_are_read(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(report(1), encoding="utf-8")
    (folder / "locked" / "b.txt").write_text(report(2), encoding="utf-8")
    real_scandir = lock(monkeypatch, folder / "locked")
    store = tmp_path / "store"
    summary = batch.run([str(folder)], store, workers=1)
    assert summary.exit_code == 1 and summary.processed == 1
    with Store(store) as opened:
        [error] = opened.errors().to_dict("records")
    assert error["source"] == str(folder / "locked") and error["stage"] == "read"
    assert error["reason"] == "cannot be read: Permission denied (a folder: none of its files was read)"
    monkeypatch.setattr(os, "scandir", real_scandir)  # readable again
    again = batch.run([str(folder)], store, workers=1)
    assert again.exit_code == 0 and again.processed == 1
    with Store(store) as opened:
        assert opened.errors().empty and len(opened.documents()) == 2


def test_a_folder_with_no_file_to_read_says_so(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "REPORT.TXT").write_text(report(1), encoding="utf-8")  # --include is *.txt
    run = minutes("batch", str(folder), "-o", str(tmp_path / "store"), "--quiet")
    assert run.returncode == 0
    assert "warning: no document in" in run.stderr.decode() and "--include (*.txt)" in run.stderr.decode()
    run = minutes("batch", str(folder), "-o", str(tmp_path / "store"), "--quiet", "--include", "*.TXT")
    assert run.returncode == 0 and "warning" not in run.stderr.decode()


def test_json_lines_on_standard_input(tmp_path):
    data = "".join(json.dumps({"id": i, "text": report(i)}, ensure_ascii=False) + "\n" for i in range(3))
    data += json.dumps({"id": 1, "text": report(1)}, ensure_ascii=False) + "\n"  # the same text again
    store = tmp_path / "store"
    run = minutes("batch", "-", "-o", str(store), "--workers", "1", stdin=data.encode("utf-8"))
    assert run.returncode == 0, run.stderr.decode()
    assert "1 duplicates" in run.stderr.decode()
    with Store(store) as opened:
        assert sorted(opened.documents()["source"]) == ["<stdin>#0", "<stdin>#1", "<stdin>#2"]
    # A second stream numbers its rows again: its documents join the store's, and replace none.
    data = "".join(json.dumps({"id": i, "text": report(10 + i)}, ensure_ascii=False) + "\n" for i in range(2))
    assert minutes("batch", "-", "-o", str(store), "--workers", "1", stdin=data.encode("utf-8")).returncode == 0
    with Store(store) as opened:
        assert len(opened.documents()) == 5
        assert sorted(opened.documents()["source"]) == ["<stdin>#0", "<stdin>#0", "<stdin>#1", "<stdin>#1", "<stdin>#2"]


# ---------------------------------------------------------------- the dask engine


@pytest.mark.parametrize("scheduler", ["notaurl", "tcp://127.0.0.1:1"])
def test_a_dask_scheduler_that_does_not_answer_is_a_bad_argument_and_leaves_no_store(tmp_path, scheduler):
    import dask
    import distributed  # noqa: F401 - its settings, which the one below changes

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(report(1), encoding="utf-8")
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        with pytest.raises(batch.BatchError, match=f"--scheduler {scheduler}: no Dask scheduler answers there") as refused:
            batch.run([str(folder)], tmp_path / "store", engine="dask", scheduler=scheduler)
    assert not (tmp_path / "store").exists()
    # No Client that failed to connect is left for the collector to finalize later, at a
    # moment when its __del__ could wait forever for distributed's lock (as a LocalCluster
    # starts), even while the error is kept (here by pytest).
    assert refused.value.__context__ is None
    assert not [o for o in gc.get_objects() if isinstance(o, distributed.Client)]


def test_the_dask_engine_writes_the_same_store(tmp_path):
    pytest.importorskip("distributed")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "r0-copy.txt").write_text(report(0), encoding="utf-8")  # copies: a row of sources,
    (folder / "void.txt").write_bytes(b"")  # and an error of its own
    dask_store, pool_store = tmp_path / "dask", tmp_path / "pool"
    summary = batch.run([str(folder)], dask_store, workers=2, engine="dask")
    assert summary.exit_code == 1 and summary.processed == 5 and summary.failed == 2  # void.txt: an error row too
    batch.run([str(folder)], pool_store, workers=1)
    for table in ("documents", "sources", "commitments", "figures"):
        drop = ("seconds",) if table == "documents" else ()
        assert rows(dask_store, table, drop) == rows(pool_store, table, drop), table
    assert rows(dask_store, "errors", ("failed_at",)) == rows(pool_store, "errors", ("failed_at",))
    assert len(rows(dask_store, "sources")) == 6 and len(rows(dask_store, "errors")) == 2


def test_a_slow_document_times_out_and_an_invalid_result_fails_validation(tmp_path, monkeypatch):
    import extract.pipeline
    from extract.schema import validate as check

    item = batch.Item("slow.txt", "slow.txt", None, report(1).encode("utf-8"), 100)
    options = batch.WorkerOptions(timeout=0.2)
    monkeypatch.setattr(batch, "_pipeline", lambda: None)
    monkeypatch.setattr(extract.pipeline, "process", lambda document, nlp=None: time.sleep(5))
    outcome = batch.process_item(item, options)
    assert not outcome["ok"] and outcome["error"]["stage"] == "pipeline" and "timed out" in outcome["error"]["reason"]

    monkeypatch.setattr(extract.pipeline, "process", lambda document, nlp=None: check({"schema_version": "1.0"}))
    outcome = batch.process_item(item, batch.WorkerOptions(timeout=None))
    assert not outcome["ok"] and outcome["error"]["stage"] == "validate"
    assert "does not match the schema" in outcome["error"]["reason"] and outcome["error"]["document_id"] == item.sha256
    assert "rows" not in outcome  # no result for a failure


def test_a_new_pipeline_runs_the_documents_again_and_the_tables_keep_the_latest_rows(tmp_path):
    """Results are keyed by the document's hash AND the pipeline that made them: a batch with
    another pipeline version runs every document again, and the store shows each document
    once, with its newest rows; the same pipeline again skips them all."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(report(i), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    store = tmp_path / "store"

    def run(version: str) -> str:
        env = dict(os.environ, MINUTES_PIPELINE_VERSION=version)
        done = subprocess.run([sys.executable, "-m", "extract", "batch", str(folder), "-o", str(store), "--workers", "1"],
                              cwd=REPO, env=env, capture_output=True, timeout=300)
        assert done.returncode == 1, done.stderr.decode()  # the empty file
        return done.stderr.decode().strip().splitlines()[-1]

    assert "3 processed" in run("old")
    again = run("old")
    assert "0 processed" in again and "3 already in the store" in again
    assert "3 processed (3 of them again: the pipeline changed)" in run("new")
    no_duplicates(store)
    with Store(store) as opened:
        assert sorted(opened.documents()["pipeline_version"]) == ["new"] * 3
        assert len(opened.query("SELECT * FROM _documents_log")) == 6  # both runs are kept
        assert len(opened.commitments()) == len(opened.query(
            "SELECT * FROM _commitments_log WHERE shard IN (SELECT shard FROM documents)"))
        assert list(opened.errors()["source"]) == [str(folder / "empty.txt")]  # a decode failure is not retried
    for result_file in (store / "results").glob("*/*.json"):
        assert json.loads(result_file.read_text(encoding="utf-8"))["pipeline_version"] == "new"
