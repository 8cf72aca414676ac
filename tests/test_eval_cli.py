"""`minutes eval`: the same figures as an independent reading of GOLD.md, and a gate that bites."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import shared_path
from reference_scorer import score as reference_score

REPO = Path(__file__).resolve().parents[1]


def minutes(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.parametrize("gold_set", ["seed", "holdout"])
def test_eval_agrees_with_an_independent_implementation_of_gold_md(tmp_path, gold_set):
    # The seed scores perfectly; the held-out set has misses, spurious items and
    # predictions placed by offsets near the ends of documents: both must agree.
    gold = shared_path("eval", "seed") if gold_set == "seed" else REPO / "holdout"
    dump = tmp_path / "predictions"
    run = minutes("eval", str(gold), "--dump-predictions", str(dump), "--json", "--no-thresholds")
    assert run.returncode == 0, run.stderr
    ours = json.loads(run.stdout)["lists"]
    reference = reference_score(str(gold), str(dump))
    for list_name, scores in reference.items():
        for key in ("tp", "n_pred", "n_gold"):
            assert ours[list_name][key] == scores[key], (list_name, key)
        for key in ("precision", "recall", "f1"):
            assert abs(ours[list_name][key] - scores[key]) < 1e-9, (list_name, key)


def test_eval_fails_when_a_list_scores_below_its_threshold(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    for path in (REPO / "corpus").glob("000_*"):
        shutil.copy(path, gold)
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.minutes.eval]\nofficials = 1.01\n", encoding="utf-8")
    run = minutes("eval", str(gold), "--config", str(config))
    assert run.returncode == 1
    assert "below threshold: officials" in run.stdout
    config.write_text("[tool.minutes.eval]\nofficials = 0.0\n", encoding="utf-8")
    assert minutes("eval", str(gold), "--config", str(config)).returncode == 0


def test_eval_of_a_folder_without_gold_is_a_clear_error(tmp_path):
    run = minutes("eval", str(tmp_path))
    assert run.returncode == 2
    assert "no gold documents" in run.stderr
