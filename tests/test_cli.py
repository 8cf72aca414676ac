"""The command line as a user meets it: clear errors, valid JSON, honest exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.schema import validate

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "000_34e7e602297dcf66.txt"
PERSIAN = "استاندار تهران در جلسه شورای اداری گفت: ۳۰ درصد اعتبارات به مناطق محروم اختصاص می‌یابد.\n"


def minutes(*args: str, stdin: bytes | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "extract", *args], input=stdin, capture_output=True, cwd=cwd, timeout=300
    )


def test_extract_prints_a_schema_valid_result_with_the_seed_sentences():
    run = minutes("extract", str(SEED))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    validate(result)
    original = SEED.read_text(encoding="utf-8")
    assert len(result["sentences"]) == 10
    for sentence in result["sentences"]:
        (span,) = sentence["spans"]
        assert original[span["start"] : span["end"]] == sentence["text"]
    assert result["source"]["encoding"] == "utf-8"


def test_extract_reads_standard_input_and_writes_a_file(tmp_path):
    out = tmp_path / "result.json"
    run = minutes("extract", "-", "-o", str(out), stdin=PERSIAN.encode("utf-8"))
    assert run.returncode == 0, run.stderr
    validate(json.loads(out.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n  ", "empty"),
        ("binary.bin", bytes(range(256)) * 8, "binary"),
        ("page.html", b"<!DOCTYPE html><html><body><p>\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85</p></body></html>", "HTML"),
        ("minutes.txt", b"Minutes of the council: the governor said the budget grows by 30 percent.\n", "no Persian text"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_code_2(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    run = minutes("extract", str(path))
    assert run.returncode == 2
    message = run.stderr.decode("utf-8")
    assert message.count("\n") == 1 and "Traceback" not in message
    assert reason in message and name in message


def test_missing_path_and_directory_are_refused(tmp_path):
    for target, reason in ((tmp_path / "nope.txt", "no such file"), (tmp_path, "directory")):
        run = minutes("extract", str(target))
        assert run.returncode == 2
        assert reason in run.stderr.decode("utf-8")


@pytest.mark.parametrize("encoding, reported", [("cp1256", "windows-1256"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le")])
def test_legacy_encodings_are_decoded_and_named(tmp_path, encoding, reported):
    path = tmp_path / f"report.{encoding}.txt"
    # Windows-1256 has the Arabic ي and no Persian digits: old files were typed so.
    text = PERSIAN.translate(str.maketrans("ی۰۳", "ي03")) if encoding == "cp1256" else PERSIAN
    path.write_bytes((text * 3).encode(encoding))
    run = minutes("extract", str(path))
    assert run.returncode == 0, run.stderr.decode("utf-8")
    result = json.loads(run.stdout)
    assert result["source"]["encoding"] == reported
    assert "استاندار تهران" in result["sentences"][0]["text"]


def test_undecidable_encoding_is_refused(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Ceci n'est pas du persan: été, août, café.\n".encode("cp1252") * 5)
    run = minutes("extract", str(path))
    assert run.returncode == 2
    assert "encoding" in run.stderr.decode("utf-8")


def test_normalize_prints_the_normalized_text_and_its_map():
    run = minutes("normalize", "--map", "-", stdin="كتاب هاي خوب".encode("utf-8"))
    assert run.returncode == 0
    words = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert words[0] == {"text": "کتاب\u200cهای", "start": 0, "end": 8, "original": "كتاب هاي"}


def test_validate_names_the_json_path_of_a_fault(tmp_path):
    result = json.loads(minutes("extract", str(SEED)).stdout)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(result), encoding="utf-8")
    result["sentences"][3]["spans"][0]["start"] = -1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(result), encoding="utf-8")
    assert minutes("validate", str(good)).returncode == 0
    run = minutes("validate", str(bad))
    assert run.returncode == 1
    assert "$.sentences[3].spans[0].start" in run.stderr.decode("utf-8")
