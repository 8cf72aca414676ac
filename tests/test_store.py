"""The store: tables from results, atomic shards, the query commands and the DataFrame API.

The store here is made from hand-written results (no pipeline), so that the rows, the
spelling variants and the dates under test are exactly known.
"""

import hashlib
import json
import os
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from extract import store as store_module
from extract.cli import main
from extract.cli_store import records
from extract.version import pipeline_version
from extract.schema import validate
from extract.store import Store, StoreError, StoreWriter, error_row, rows_from_result


def span(text: str, part: str) -> dict:
    start = text.index(part)
    return {"start": start, "end": start + len(part)}


def make_result(text: str, *, commitments=(), figures=(), officials=(), gregorian=None, jalali=None) -> dict:
    data = text.encode("utf-8")
    result = {
        "schema_version": "1.1",
        "pipeline_version": pipeline_version(),
        "source": {"path": None, "sha256": hashlib.sha256(data).hexdigest(), "encoding": "utf-8", "bytes": len(data)},
        "text": {"characters": len(text), "normalized": text, "paragraphs": [{"text": text, "spans": [{"start": 0, "end": len(text)}]}]},
        "headline": None,
        "sentences": [],
        "meeting": {"body": None, "place": None, "date": {"text": jalali or "", "jalali": jalali, "gregorian": gregorian} if gregorian else None, "chair": None},
        "officials": [],
        "organizations": [],
        "figures": [],
        "targets": [],
        "commitments": [],
    }
    for i, (name, title) in enumerate(officials, 1):
        result["officials"].append({"id": f"p{i}", "text": name, "spans": [span(text, name)], "name": name, "title": title,
                                    "organization": None, "mentions": [{"text": name, "spans": [span(text, name)], "kind": "full_name"}]})
    for i, (part, value, unit, speaker) in enumerate(figures, 1):
        result["figures"].append({"id": f"f{i}", "text": part, "spans": [span(text, part)], "value": value, "unit": unit,
                                  "approximate": False, "quantity": "money" if unit and "ریال" in unit else "percent", "speaker": speaker})
    for i, (part, kind, actor, speaker) in enumerate(commitments, 1):
        result["commitments"].append({"id": f"c{i}", "text": part, "spans": [span(text, part)], "kind": kind,
                                      "actor": actor, "speaker": speaker, "deadline": None})
    validate(result)
    return result


DOCS = [
    # Arabic yeh and kaf, as older archives write them
    make_result(
        "وزير كشور گفت: استانداري‌ها موظفند طرح را اجرا كنند. ۲۰ درصد بودجه.",
        commitments=[("استانداري‌ها موظفند طرح را اجرا كنند", "obligation", "استانداري‌ها", "وزير كشور")],
        figures=[("۲۰ درصد", 20, "درصد", None)],
        gregorian="2023-03-01", jalali="1401-12-10",
    ),
    # Persian forms, ZWNJ where the other writes a space
    make_result(
        "علی‌اکبر ولایتی، وزیر کشور: شهرداری منطقه ۳ تا پایان سال پل را تکمیل می‌کند. ۵۰۰ میلیارد ریال اختصاص یافت.",
        officials=[("علی‌اکبر ولایتی", "وزیر کشور")],
        commitments=[("شهرداری منطقه ۳ تا پایان سال پل را تکمیل می‌کند", "promise", "شهرداری منطقه ۳", "علی‌اکبر ولایتی")],
        figures=[("۵۰۰ میلیارد ریال", 500e9, "میلیارد ریال", "p1")],
        gregorian="2024-05-20", jalali="1403-02-31",
    ),
    make_result(
        "شورا تصویب کرد که وزارت کشور گزارش بدهد.",
        commitments=[("وزارت کشور گزارش بدهد", "decision", "وزارت کشور", None)],
    ),
]
TEXTS = {r["source"]["sha256"]: r["text"]["normalized"] for r in DOCS}


def build(path, results=DOCS, errors=(), folder=None):
    """A store of these results, each named doc-HASH (in ``folder``, an absolute path, if given)."""
    with StoreWriter(path) as writer:
        for result in results:
            name = f"doc-{result['source']['sha256'][:6]}"
            rows = rows_from_result(result, text=TEXTS[result["source"]["sha256"]], source=name,
                                    path=f"{folder}/{name}" if folder else None, record_id=None, seconds=0.1)
            writer.add(rows)
        for row in errors:
            writer.add_error(row)
        writer.flush()
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return build(tmp_path_factory.mktemp("store") / "store",
                 errors=[error_row(source="bad.txt", stage="decode", reason="empty: the file has no bytes", size=0)])


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- the tables


def test_tables_hold_every_item_with_its_evidence_text(store_path):
    with store_module.open(store_path) as opened:
        documents = opened.documents()
        assert len(documents) == 3 and set(documents["document_id"]) == set(TEXTS)
        grounded = opened.query("""
            SELECT c.text, substr(d.text, c.span_start + 1, c.span_end - c.span_start) AS evidence
            FROM commitments c JOIN documents d USING (document_id)
            UNION ALL
            SELECT f.text, substr(d.text, f.span_start + 1, f.span_end - f.span_start) FROM figures f JOIN documents d USING (document_id)
        """)
        assert len(grounded) == 5 and (grounded["text"] == grounded["evidence"]).all()
        keys = opened.query("SELECT document_id, commitment_id FROM commitments")
        assert not keys.duplicated().any()
        mentions = opened.query("SELECT entity_type, entity_id, kind FROM mentions")
        assert mentions.values.tolist() == [["official", "p1", "full_name"]]
        assert opened.errors()[["source", "stage"]].values.tolist() == [["bad.txt", "decode"]]
        first = DOCS[0]["source"]["sha256"]
        assert opened.result(first) == DOCS[0]


def test_every_table_has_a_schema_and_the_workers_do_without_pyarrow():
    assert tuple(store_module.table_schemas()) == store_module.TABLES
    # A worker imports the batch module (and through it the store's writers of results):
    # pyarrow is the reading process's only.
    import subprocess
    import sys

    script = "import sys, extract.batch; print('pyarrow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip() == "False"


# ---------------------------------------------------------------- API and commands agree


@pytest.mark.parametrize("query, expected", [
    ({"actor": "استانداری ها"}, ["استانداري‌ها"]),  # ي/ی and ZWNJ/space fold
    ({"speaker": "وزیر کشور"}, ["استانداري‌ها"]),  # ك/ک and ي/ی
    ({"speaker": "علی اکبر"}, ["شهرداری منطقه ۳"]),  # ZWNJ/space
    ({"actor": "منطقه 3"}, ["شهرداری منطقه ۳"]),  # digits
    ({"actor": "کشور"}, ["وزارت کشور"]),
    ({"actor": "استانداریها"}, ["استانداري‌ها"]),  # written without the ZWNJ: a compound's parts join
    ({"actor": "وزارتکشور"}, ["وزارت کشور"]),
    ({"kind": "promise"}, ["شهرداری منطقه ۳"]),
    ({"since": "2024-01-01"}, ["شهرداری منطقه ۳"]),
    ({"since": "1401-01-01"}, ["شهرداری منطقه ۳", "استانداري‌ها"]),  # Jalali; newest meeting first
    ({"since": "۱۴۰۱/۰۱/۰۱", "kind": "obligation"}, ["استانداري‌ها"]),
    ({}, ["شهرداری منطقه ۳", "استانداري‌ها", "وزارت کشور"]),
])
def test_commitments_fold_spelling_and_the_command_gives_the_api_rows(store_path, query, expected):
    with Store(store_path) as opened:
        frame = opened.commitments(**query)
    assert list(frame["actor"]) == expected
    with Store(store_path, dates_as_objects=True) as opened:  # as the command reads them
        printed = records(opened.commitments(**query))
    assert [row["actor"] for row in printed] == expected
    args = [item for key, value in query.items() for item in (f"--{key}", value)]
    run = cli("commitments", str(store_path), *args, "--format", "json")
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout) == printed
    assert all(len(row["meeting_date"]) == 10 for row in printed if row["meeting_date"])  # 2024-03-20


@pytest.mark.parametrize("one, other", [
    ("رئیس جمهور", "رییس جمهور"), ("هیئت دولت", "هیأت دولت"), ("هیئت دولت", "هیات دولت"), ("مسئولان", "مسؤولان"),
    ("مسائل", "مسایل"), ("سؤال", "سوال"), ("جزء", "جز"), ("خانۀ ملت", "خانهٔ ملت"), ("رئيس", "رییس"),
])
def test_a_word_with_and_without_hamza_folds_alike_in_sql_and_in_the_filters(store_path, one, other):
    with Store(store_path) as opened:
        assert opened.query("SELECT fold(?) = fold(?) AS same", [one, other])["same"][0]
        # Words that only look alike stay apart.
        assert not opened.query("SELECT fold(?) = fold(?) AS same", ["رئیس", "رأس"])["same"][0]


def test_a_name_part_that_folds_to_nothing_and_an_unknown_quantity_are_refused(store_path):
    with Store(store_path) as opened:
        for blank in (" ", "\u200c", "  \u064b "):
            with pytest.raises(ValueError, match="nothing to match once folded"):
                opened.commitments(actor=blank)
            with pytest.raises(ValueError, match="nothing to match once folded"):
                opened.figures(unit=blank)
        with pytest.raises(ValueError, match="unknown quantity 'monye'"):
            opened.figures(quantity="monye")
    run = cli("commitments", str(store_path), "--speaker", " ")
    assert run.exit_code == 2 and "--speaker: ' ' has nothing to match once folded" in run.output


def test_figures_by_unit(store_path):
    with Store(store_path) as opened:
        frame = opened.figures(unit="ريال")
        assert list(frame["value"]) == [500e9] and list(frame["speaker"]) == ["علی‌اکبر ولایتی"]
        assert len(opened.figures()) == 2 and len(opened.figures(quantity="percent")) == 1
    run = cli("figures", str(store_path), "--unit", "ريال", "--format", "json")
    assert run.exit_code == 0 and json.loads(run.stdout) == records(frame)
    table = cli("figures", str(store_path), "--unit", "ریال")
    assert table.exit_code == 0 and "1 rows" in table.stdout and "500000000000" in table.stdout


def test_query_prints_a_table_csv_or_json(store_path):
    sql = "SELECT kind, count(*) AS n FROM commitments GROUP BY kind ORDER BY kind"
    as_json = cli("query", str(store_path), sql, "--format", "json")
    assert json.loads(as_json.stdout) == [{"kind": "decision", "n": 1}, {"kind": "obligation", "n": 1}, {"kind": "promise", "n": 1}]
    as_csv = cli("query", str(store_path), sql, "--format", "csv")
    assert as_csv.stdout.splitlines() == ["kind,n", "decision,1", "obligation,1", "promise,1"]
    table = cli("query", str(store_path), sql)
    assert table.exit_code == 0 and "obligation" in table.stdout and "3 rows" in table.stdout
    folded = cli("query", str(store_path), "SELECT count(*) AS n FROM commitments WHERE fold(speaker) = fold('وزیر کشور')", "--format", "csv")
    assert folded.stdout.splitlines() == ["n", "1"]
    # A DATE is a date, not a timestamp at midnight.
    sql = "SELECT max(meeting_date) AS newest FROM documents"
    assert json.loads(cli("query", str(store_path), sql, "--format", "json").stdout) == [{"newest": "2024-05-20"}]
    assert cli("query", str(store_path), sql, "--format", "csv").stdout.splitlines() == ["newest", "2024-05-20"]
    # Booleans and lists as a spreadsheet or another program reads them.
    values = "SELECT true AS yes, false AS no, NULL AS nothing, ['a', 'b'] AS list"
    assert cli("query", str(store_path), values, "--format", "csv").stdout.splitlines() == ["yes,no,nothing,list", 'true,false,,"[""a"", ""b""]"']
    assert "│ true │ false │" in cli("query", str(store_path), values).stdout
    table = cli("query", str(store_path), sql).stdout
    assert "2024-05-20" in table and "00:00" not in table


def test_bad_sql_and_a_folder_that_is_no_store_exit_2(store_path, tmp_path):
    run = cli("query", str(store_path), "SELECT nothing FROM nowhere")
    assert run.exit_code == 2 and run.stderr.count("\n") == 1 and "SQL" in run.stderr
    for empty in ("", "  ", "-- only a comment"):
        run = cli("query", str(store_path), "--", empty)
        assert run.exit_code == 2 and run.stderr == "minutes: error: SQL: the SQL holds no statement\n"
    run = cli("commitments", str(tmp_path))
    assert run.exit_code == 2 and "not a minutes store" in run.stderr
    run = cli("commitments", str(store_path), "--since", "yesterday")
    assert run.exit_code == 2 and "--since" in run.stderr


# ---------------------------------------------------------------- atomicity


def test_only_committed_shards_are_seen_and_one_writer_at_a_time(tmp_path):
    path = build(tmp_path / "store", DOCS[:1])
    writer = StoreWriter(path)
    try:
        with pytest.raises(StoreError, match="another batch"):
            StoreWriter(path)
        result = DOCS[1]
        writer.add(rows_from_result(result, text=TEXTS[result["source"]["sha256"]], source="two", path=None,
                                    record_id=None, seconds=None))
        with Store(path) as opened:  # buffered rows are not in the store until a commit
            assert len(opened.documents()) == 1
        writer.flush()
        with Store(path) as opened:
            assert len(opened.documents()) == 2
        assert writer.state().done == {bytes.fromhex(r["source"]["sha256"]) for r in DOCS[:2]}
    finally:
        writer.close()
    # a shard half-written when its batch was killed lies in tmp/: never read, removed by the next writer
    half = path / "tmp" / "20990101T000000000000-deadbeef"
    half.mkdir(parents=True)
    (half / "documents.parquet").write_bytes(b"PAR1 half a file")
    with Store(path) as opened:
        assert len(opened.documents()) == 2
    StoreWriter(path).close()
    assert not half.exists()


def test_a_shard_reaches_the_disk_before_the_rename_that_commits_it(tmp_path, monkeypatch):
    """Each file of a shard, then its folder, is fsync'ed while the shard is still in tmp/;
    after the rename, shards/ is (the commit itself reaches the disk)."""
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    path = tmp_path / "store"
    with StoreWriter(path) as writer:
        for n, result in enumerate(DOCS[:2]):
            writer.add(rows_from_result(result, text=TEXTS[result["source"]["sha256"]], source=f"s{n}", path=None,
                                        record_id=None, seconds=None))
        monkeypatch.setattr(os, "fsync", fsync)
        shard = writer.flush()
        monkeypatch.setattr(os, "fsync", real_fsync)
    temporary = str((path / "tmp" / shard).resolve())
    tables = sorted(f"{temporary}/{table}.parquet" for table in store_module.TABLES)
    assert sorted(synced[:-2]) == tables
    assert synced[-2:] == [temporary, str((path / "shards").resolve())]
    assert [p.name for p in (path / "shards").iterdir()] == [shard]
    with Store(path) as opened:
        assert [opened.result(r["source"]["sha256"]) for r in DOCS[:2]] == DOCS[:2]


def test_results_are_a_table_and_a_store_written_before_they_were_still_answers(tmp_path):
    """Each document's JSON result is a row of ``results`` (DuckDB's JSON type), read back
    whole by ``Store.result`` (an integer beyond 64 bits too); a store whose results are
    files (written before they were a table, with a ``result_path`` column) answers the
    same, and says so when its results/ folder is gone."""
    path = build(tmp_path / "store")
    ids = [r["source"]["sha256"] for r in DOCS]
    with Store(path) as opened:
        assert [opened.result(i) for i in ids] == DOCS
        with pytest.raises(TypeError):
            list(opened.results(ids[0]))
        assert dict(opened.results()) == {i: json.dumps(r, ensure_ascii=False, separators=(",", ":")) for i, r in zip(ids, DOCS)}
        assert [i for i, _ in opened.results([ids[2], ids[0], "f" * 64])] == sorted([ids[0], ids[2]],
                                                                                    key=lambda i: f"doc-{i[:6]}")
        headline = opened.query("SELECT result->>'$.text.characters' AS n FROM results WHERE document_id = ?", [ids[0]])
        assert int(headline["n"][0]) == DOCS[0]["text"]["characters"]
        # A JSON value comes as what it holds, in the API and in the command's JSON.
        whole = opened.query("SELECT result, result->'$.meeting' AS meeting, result->'$.nothing' AS none FROM results "
                             "WHERE document_id = ?", [ids[0]])
        assert whole["result"][0] == DOCS[0] and whole["meeting"][0] == DOCS[0]["meeting"] and whole["none"][0] is None
    run = cli("query", str(path), f"SELECT result->'$.source' AS source FROM results WHERE document_id = '{ids[0]}'",
              "--format", "json")
    assert json.loads(run.stdout) == [{"source": DOCS[0]["source"]}]
    with Store(path) as opened:
        assert opened.result("f" * 64) is None
    # The same store as a store of the first format: no results table, a file per result.
    [shard] = (path / "shards").iterdir()
    (shard / "results.parquet").unlink()
    documents = pq.read_table(shard / "documents.parquet")
    paths = [f"results/{i[:2]}/{i}.json" for i in documents["document_id"].to_pylist()]
    pq.write_table(documents.append_column("result_path", pa.array(paths)), shard / "documents.parquet")
    for result in DOCS:
        file = path / f"results/{result['source']['sha256'][:2]}/{result['source']['sha256']}.json"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(result, ensure_ascii=False) + "\n", encoding="utf-8")
    with Store(path) as opened:
        assert [opened.result(i) for i in ids] == DOCS
        assert {i: json.loads(r) for i, r in opened.results()} == dict(zip(ids, DOCS))
        in_sql = opened.query("SELECT document_id, result::VARCHAR AS result FROM results")
        assert {i: json.loads(r) for i, r in zip(in_sql["document_id"], in_sql["result"])} == dict(zip(ids, DOCS))
        assert sorted(opened.documents()["result_path"]) == sorted(paths)
    run = cli("results", str(path), ids[0][:12])
    assert run.exit_code == 0 and json.loads(run.stdout) == DOCS[0]
    shutil.rmtree(path / "results")
    run = cli("results", str(path))
    assert run.exit_code == 1 and f"no result found for {len(DOCS)} documents" in run.stderr and "results/ folder" in run.stderr


def test_an_integer_beyond_64_bits_comes_back_whole(tmp_path):
    huge = make_result("استاندار گفت: ۵ طرح اجرا می‌شود.", figures=[("۵ طرح", 5, "طرح", None)])
    huge["figures"][0]["value"] = 10**30
    path = tmp_path / "store"
    with StoreWriter(path) as writer:
        writer.add(rows_from_result(huge, text="-", source="huge", path=None, record_id=None, seconds=None))
        writer.flush()
    document_id = huge["source"]["sha256"]
    with Store(path) as opened:
        assert opened.result(document_id)["figures"][0]["value"] == 10**30
    assert cli("results", str(path), "--out-dir", str(tmp_path / "out")).exit_code == 0
    assert json.loads((tmp_path / "out" / f"{document_id}.json").read_text(encoding="utf-8"))["figures"][0]["value"] == 10**30


def test_a_shard_holds_fewer_documents_when_their_texts_and_results_are_large(tmp_path):
    path = tmp_path / "store"
    with StoreWriter(path, shard_size=100, shard_bytes=1) as writer:
        for n, result in enumerate(DOCS):
            writer.add(rows_from_result(result, text=TEXTS[result["source"]["sha256"]], source=f"doc{n}", path=None,
                                        record_id=None, seconds=None))
        assert writer.shards_written == len(DOCS)  # one document a shard: each is past the bytes
        writer.flush()
    with Store(path) as opened:
        assert len(opened.documents()) == len(DOCS)


def test_the_results_command_prints_json_lines_or_writes_a_file_each(store_path, tmp_path):
    ids = sorted(r["source"]["sha256"] for r in DOCS)
    run = cli("results", str(store_path))
    assert run.exit_code == 0
    printed = [json.loads(line) for line in run.stdout.splitlines()]
    assert sorted(printed, key=lambda r: r["source"]["sha256"]) == sorted(DOCS, key=lambda r: r["source"]["sha256"])
    # By id, or by its beginning as a table shows it (12 characters), in the order given.
    for order in ([ids[1][:12], ids[0]], [ids[0], ids[1][:12]]):
        run = cli("results", str(store_path), *order)
        assert run.exit_code == 0
        assert [json.loads(line)["source"]["sha256"][:12] for line in run.stdout.splitlines()] == [i[:12] for i in order]
    out = tmp_path / "out"
    run = cli("results", str(store_path), "--out-dir", str(out))
    assert run.exit_code == 0 and f"{len(DOCS)} results" in run.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{i}.json" for i in ids]
    for result in DOCS:
        written = out / f"{result['source']['sha256']}.json"
        assert json.loads(written.read_text(encoding="utf-8")) == result
        validate(json.loads(written.read_text(encoding="utf-8")))
    for bad, says in (("f" * 12, "no document"), ("xyz", "not a document id"), ("", "not a document id")):
        run = cli("results", str(store_path), bad)
        assert run.exit_code == 2 and says in run.stderr, run.stderr
    # Two documents that start alike: their common beginning names neither.
    twins = tmp_path / "twins"
    with StoreWriter(twins) as writer:
        for digit in "12":
            twin = {**DOCS[0], "source": {**DOCS[0]["source"], "sha256": "abc" + digit * 61}}
            writer.add(rows_from_result(twin, text="-", source=f"twin{digit}", path=None, record_id=None, seconds=None))
        writer.flush()
    run = cli("results", str(twins), "abc")
    assert run.exit_code == 2 and "names 2 documents" in run.stderr
    run = cli("results", str(twins), "abc2")
    assert run.exit_code == 0 and json.loads(run.stdout)["source"]["sha256"] == "abc" + "2" * 61


def test_an_error_disappears_once_its_source_succeeds(tmp_path):
    result = DOCS[2]
    source = f"doc-{result['source']['sha256'][:6]}"
    path = build(tmp_path / "store", [], errors=[error_row(source=source, stage="pipeline", reason="RuntimeError: first")])
    with StoreWriter(path) as writer:
        writer.add_error(error_row(source=source, stage="pipeline", reason="RuntimeError: second"))
        writer.flush()
        state = writer.state()
    assert state.failed_reads == {source: None} and not state.failed_hashes
    with Store(path) as opened:
        assert list(opened.errors()["reason"]) == ["RuntimeError: second"]
        assert len(opened.query("SELECT * FROM error_log")) == 2
    build(path, [result])
    with Store(path) as opened:
        assert opened.errors().empty and len(opened.documents()) == 1


def test_a_source_gone_leaves_every_table_until_it_is_read_again(tmp_path):
    """A row of sources without a document is what a batch writes for a deleted file (or a
    row removed from its archive): from its shard on, the source is in no table, its error
    goes, and its document goes unless another source holds it."""
    first, second = (result["source"]["sha256"] for result in DOCS[:2])

    def source(document_id: str | None, name: str) -> dict:
        return {"source": name, "path": f"/archive/{name}", "record_id": None, "document_id": document_id}

    path = build(tmp_path / "store", DOCS[:2], folder="/archive",
                 errors=[error_row(source="bad.txt", path="/archive/bad.txt", stage="decode",
                                   reason="empty: the file has no bytes", size=0)])
    with StoreWriter(path) as writer:
        writer.add({"sources": [source(second, "copy.txt")]})
        writer.flush()
        writer.add({"sources": [source(None, f"doc-{first[:6]}"), source(None, f"doc-{second[:6]}"),
                                source(None, "bad.txt")]})
        writer.flush()
        state = writer.state()
    # A source is known by where it lies: the absolute path of its file.
    assert state.sources == {"/archive/copy.txt": second} and not state.failed_sources and not state.failed_reads
    assert state.paths == ["/archive/copy.txt"]
    assert state.located == {"/archive/copy.txt": [("/archive/copy.txt", "copy.txt", None)]}
    with Store(path) as opened:
        assert list(opened.documents()["source"]) == ["copy.txt"]
        assert list(opened.commitments()["document_id"]) == [second]
        assert opened.errors().empty and len(opened.query("SELECT * FROM error_log")) == 1
        assert len(opened.query("SELECT * FROM _documents_log")) == 2  # the history stays
    # Read again: back. In one shard, a source that holds a document beats gone (it was
    # there when that batch read it).
    with StoreWriter(path) as writer:
        writer.add({"sources": [source(first, f"doc-{first[:6]}"), source(None, "copy.txt")]})
        writer.add({"sources": [source(second, "copy.txt")]})
        writer.flush()
    with Store(path) as opened:
        assert sorted(opened.sources()["source"]) == ["copy.txt", f"doc-{first[:6]}"]
        assert len(opened.documents()) == 2


def test_shards_committed_in_the_background_are_all_there_after_the_last_flush(tmp_path, monkeypatch):
    path = tmp_path / "store"
    writer = StoreWriter(path, shard_size=1, background=True)
    try:
        for n, result in enumerate(DOCS):
            writer.add(rows_from_result(result, text=TEXTS[result["source"]["sha256"]], source=f"doc{n}", path=None,
                                        record_id=None, seconds=None))
        writer.flush()  # waits for the commit in the thread, then commits what is left
        assert writer.shards_written == len(DOCS)
        with Store(path) as opened:
            assert sorted(opened.documents()["source"]) == [f"doc{n}" for n in range(len(DOCS))]

        # A commit that fails in its thread fails the next flush, in the caller's thread.
        def disk_full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("pyarrow.parquet.write_table", disk_full)
        writer.add(rows_from_result(DOCS[0], text=TEXTS[DOCS[0]["source"]["sha256"]], source="again", path=None,
                                    record_id=None, seconds=None))
        with pytest.raises(OSError, match="No space left"):
            writer.flush()
    finally:
        writer.close()


def test_results_are_what_the_standard_json_encoder_writes():
    """Results are encoded by orjson for speed; they must be the standard library's compact
    UTF-8 JSON byte for byte (Persian text unescaped), for every result, and an integer
    beyond orjson's 64 bits must still be written."""
    from extract.pipeline import process_text
    from extract.store import encode_result

    def standard(result: dict) -> bytes:
        return json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    results = [*DOCS, process_text("استاندار تهران گفت: ۱٫۵ میلیون تن گندم تا پایان سال ۱۴۰۳ خریداری می‌شود.")]
    for result in results:
        assert encode_result(result) == standard(result)
    huge = {**DOCS[0], "figures": [{**DOCS[0]["figures"][0], "value": 10**30}]}
    assert encode_result(huge) == standard(huge)
    assert json.loads(encode_result(huge))["figures"][0]["value"] == 10**30
