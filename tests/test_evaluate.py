"""The scorer against the contract in shared/eval/GOLD.md and its seed example."""

import copy
import json
from pathlib import Path

import pytest
from conftest import shared_path
from hypothesis import given
from hypothesis import strategies as st

from extract.evaluate import (
    LISTS,
    GoldDocument,
    GoldError,
    check_thresholds,
    find_evidence,
    fold,
    fold_with_map,
    load_gold_set,
    score_documents,
    to_folded_span,
    token_f1,
)

@pytest.fixture
def seed():
    (doc,) = load_gold_set(shared_path("eval", "seed"))
    return doc


def prediction_of(doc):
    """A prediction that repeats the gold exactly, to be perturbed by a test."""
    return copy.deepcopy(doc.gold)


def make_doc(name, text, **lists):
    gold = {key: lists.get(key, []) for key in LISTS}
    return GoldDocument(name=name, text=text, gold=gold, path=Path(f"{name}.gold.json"))


def empty_prediction(**lists):
    return {key: lists.get(key, []) for key in LISTS}


def issues_of(report, list_name, kind):
    return [i for i in report.issues if i.list_name == list_name and i.kind == kind]


# ---------------------------------------------------------------- folding


def test_fold_arabic_letter_forms_become_persian():
    assert fold("علي موسى كارخانه مدرسة أحمد إيران") == "علی موسی کارخانه مدرسه احمد ایران"


def test_fold_digits_of_three_scripts_become_ascii():
    assert fold("۱۴۰۳ / ١٤٠٣ / 1403") == "1403 / 1403 / 1403"


def test_fold_whitespace_runs_zwnj_and_zwj_become_one_space_and_ends_are_trimmed():
    assert fold(" \tمی\u200cخواهیم\n\n\r\nبروم  \u200d\u200c x \n") == "می خواهیم بروم x"


def test_fold_removes_diacritics_superscript_alef_and_tatweel():
    assert fold("مُحَمَّدٌ") == "محمد"
    assert fold("رحمٰن") == "رحمن"
    assert fold("بـــزرگ") == "بزرگ"
    # a removed mark between two spaces leaves one run, hence one space
    assert fold("الف \u064e ب") == "الف ب"


def test_fold_with_map_points_back_into_the_original():
    text = "  وزير\n\n\u200cنيرو ۱۲"
    folded, index_map = fold_with_map(text)
    assert folded == "وزیر نیرو 12"
    assert len(index_map) == len(folded) + 1 and index_map[-1] == len(text)
    assert [text[i] for i in index_map[:4]] == list("وزير")
    assert text[index_map[4]] == "\n"  # the space stands for its run's first character
    assert text[index_map[-2]] == "۲"


def test_to_folded_span_maps_an_original_span_and_back():
    text = "گفت:\nشهرداری  باید پل را بسازد."
    folded, index_map = fold_with_map(text)
    start = text.index("شهرداری")
    end = text.index("بسازد") + len("بسازد")
    fs, fe = to_folded_span(index_map, start, end)
    assert folded[fs:fe] == "شهرداری باید پل را بسازد"
    assert (index_map[fs], index_map[fe - 1] + 1) == (start, end)


@given(st.text(alphabet="اب يكة\u064e\u0640\u200c\u200d \n\t۱١1,."))
def test_fold_with_map_is_consistent(text):
    folded, index_map = fold_with_map(text)
    assert folded == fold(text) == fold(folded)  # folding is idempotent
    assert len(index_map) == len(folded) + 1
    assert all(a < b for a, b in zip(index_map, index_map[1:]))
    for ch, origin in zip(folded, index_map):
        assert fold(text[origin]) == ch or (ch == " " and fold(text[origin]) == "")


# ---------------------------------------------------------------- token F1


def test_token_f1_ignores_punctuation_and_folding_differences():
    assert token_f1("«وزارت نیرو»", "وزارت  نيرو.") == 1.0
    assert token_f1("معاون سیاسی، امنیتی", "معاون سیاسی امنیتی") == 1.0


def test_token_f1_partial_and_disjoint():
    assert token_f1("استانداری آذربایجان شرقی", "استانداری آذربایجان") == pytest.approx(0.8)
    assert token_f1("شهرداری تبریز", "وزارت کشور") == 0.0


def test_token_f1_absent_values():
    assert token_f1(None, None) == 1.0
    assert token_f1(None, "شهرداری تبریز") == 0.0
    assert token_f1("شهرداری تبریز", None) == 0.0


# ---------------------------------------------------------------- gold set


def write_pair(folder, name, text, gold):
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    if gold is not None:
        full = {key: gold.get(key, []) for key in LISTS}
        (folder / f"{name}.gold.json").write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")


def test_load_gold_set_takes_texts_with_gold_sorted_by_name(tmp_path):
    write_pair(tmp_path, "b", "متن دوم", {})
    write_pair(tmp_path, "a", "متن اول", {})
    write_pair(tmp_path, "c", "متن بی گلد", None)
    assert [d.name for d in load_gold_set(tmp_path)] == ["a", "b"]


def test_load_gold_set_keeps_the_text_exactly_as_stored(tmp_path):
    write_pair(tmp_path, "a", "سطر اول\r\nسطر دوم", {})
    (doc,) = load_gold_set(tmp_path)
    assert doc.text == "سطر اول\r\nسطر دوم"  # offsets count these characters


def test_load_gold_set_names_file_and_item_when_evidence_is_not_found(tmp_path):
    commitment = {"kind": "decision", "actor": None, "speaker": None, "evidence": "مقرر شد پل ساخته شود"}
    write_pair(tmp_path, "a", "مقرر شد جاده ساخته شود.", {"commitments": [commitment]})
    with pytest.raises(GoldError, match=r"a\.gold\.json.*commitments\[0\]"):
        load_gold_set(tmp_path)


def test_occurrence_selects_the_nth_place_of_the_evidence(tmp_path):
    text = "5 نفر آمدند و 5 نفر رفتند."
    assert find_evidence(fold(text), "5 نفر") == (0, 5)
    assert find_evidence(fold(text), "5 نفر", occurrence=2) == (14, 19)
    assert find_evidence(fold(text), "5 نفر", occurrence=3) is None
    figure = {"value": 5, "unit": "نفر", "approximate": False, "evidence": "5 نفر", "occurrence": 2}
    write_pair(tmp_path, "a", text, {"figures": [figure]})
    assert load_gold_set(tmp_path)[0].gold["figures"][0]["occurrence"] == 2
    write_pair(tmp_path, "a", text, {"figures": [dict(figure, occurrence=3)]})
    with pytest.raises(GoldError, match=r"a\.gold\.json.*figures\[0\].*occurrence 3"):
        load_gold_set(tmp_path)


def test_gold_missing_a_list_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text("متن", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text('{"officials": []}', encoding="utf-8")
    with pytest.raises(GoldError, match="organizations"):
        load_gold_set(tmp_path)


# ---------------------------------------------------------------- scoring the seed


def test_seed_gold_scored_against_itself_is_perfect(seed):
    report = score_documents([(seed, prediction_of(seed))])
    assert report.documents == 1
    assert report.issues == []
    for name in LISTS:
        score = report.lists[name]
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0), name
        assert score.tp == score.n_gold == score.n_pred == len(seed.gold[name])
        for attribute, accuracy in score.attributes.items():
            assert accuracy.value == 1.0, (name, attribute)
    assert set(report.lists["commitments"].attributes) == {"actor", "speaker"}


def test_dropping_one_figure_gives_recall_eight_ninths(seed):
    prediction = prediction_of(seed)
    dropped = prediction["figures"].pop(4)  # 19 محله
    score = score_documents([(seed, prediction)]).lists["figures"]
    assert (score.tp, score.n_pred, score.n_gold) == (8, 8, 9)
    assert score.precision == 1.0
    assert score.recall == pytest.approx(8 / 9)
    assert score.f1 == pytest.approx(16 / 17)
    report = score_documents([(seed, prediction)])
    assert [i.item for i in issues_of(report, "figures", "miss")] == [dropped]


def test_spurious_organization_lowers_precision_only(seed):
    prediction = prediction_of(seed)
    prediction["organizations"].append("وزارت نیرو")
    report = score_documents([(seed, prediction)])
    score = report.lists["organizations"]
    assert score.precision == pytest.approx(8 / 9)
    assert score.recall == 1.0
    assert [i.text for i in issues_of(report, "organizations", "spurious")] == ["وزارت نیرو"]


def test_organization_names_are_compared_folded(seed):
    prediction = prediction_of(seed)
    prediction["organizations"][4] = "وزارت  كشور"  # Arabic kaf, double space
    assert score_documents([(seed, prediction)]).lists["organizations"].f1 == 1.0


def test_changed_commitment_kind_is_a_miss_and_a_spurious_item(seed):
    prediction = prediction_of(seed)
    prediction["commitments"][0]["kind"] = "decision"  # gold: priority
    report = score_documents([(seed, prediction)])
    score = report.lists["commitments"]
    assert (score.tp, score.n_pred, score.n_gold) == (6, 7, 7)
    assert score.precision == score.recall == score.f1 == pytest.approx(6 / 7)
    (miss,) = issues_of(report, "commitments", "miss")
    (spurious,) = issues_of(report, "commitments", "spurious")
    assert miss.item["kind"] == "priority" and spurious.item["kind"] == "decision"


def test_wrong_speaker_lowers_speaker_accuracy_only(seed):
    prediction = prediction_of(seed)
    prediction["commitments"][3]["speaker"] = "بدر شکوهی"  # gold: علیار راستگو
    report = score_documents([(seed, prediction)])
    score = report.lists["commitments"]
    assert score.f1 == 1.0
    assert score.attributes["speaker"].value == pytest.approx(6 / 7)
    assert score.attributes["actor"].value == 1.0
    (issue,) = issues_of(report, "commitments", "attribute")
    assert issue.detail == "speaker: predicted بدر شکوهی, gold علیار راستگو"


def test_title_with_half_its_tokens_is_still_correct(seed):
    prediction = prediction_of(seed)
    prediction["officials"][1]["title"] = "مدیرکل امور اجتماعی و فرهنگی"  # 5 of 8 gold tokens
    prediction["officials"][0]["organization"] = "شهرداری تبریز"
    attributes = score_documents([(seed, prediction)]).lists["officials"].attributes
    assert attributes["title"].value == 1.0
    assert attributes["organization"].value == 0.5


def test_surname_only_official_pairs_but_an_unrelated_name_does_not(seed):
    prediction = prediction_of(seed)
    prediction["officials"][0]["name"] = "راستگو"  # gold: علیار راستگو
    assert score_documents([(seed, prediction)]).lists["officials"].tp == 2

    prediction["officials"][0]["name"] = "علی رضایی"
    report = score_documents([(seed, prediction)])
    assert report.lists["officials"].tp == 1
    assert [i.text for i in issues_of(report, "officials", "miss")] == ["علیار راستگو"]
    assert [i.text for i in issues_of(report, "officials", "spurious")] == ["علی رضایی"]

    prediction["officials"][0]["name"] = "علیار"  # a first name alone is not a surname match
    assert score_documents([(seed, prediction)]).lists["officials"].tp == 1


def test_equal_names_pair_before_surname_only_matches(seed):
    prediction = prediction_of(seed)
    exact = prediction["officials"][0]
    surname_only = dict(exact, name="راستگو", title="وزیر")
    prediction["officials"].insert(0, surname_only)  # first in list order, yet ranked after
    report = score_documents([(seed, prediction)])
    assert report.lists["officials"].attributes["title"].value == 1.0
    assert [i.item for i in issues_of(report, "officials", "spurious")] == [surname_only]


def test_figures_pair_on_equal_value_and_folded_unit():
    doc = make_doc(
        "d",
        "حدود 440 هزار نفر و 0 ریال",
        figures=[
            {"value": 440000, "unit": "نفر", "approximate": True, "evidence": "حدود 440 هزار نفر"},
            {"value": 0, "unit": "ریال", "approximate": False, "evidence": "0 ریال"},
        ],
    )
    close = {"value": 440000.0000001, "unit": "نفر", "approximate": True}
    zero = {"value": 0, "unit": "ريال", "approximate": True}  # Arabic yeh; approximate wrong
    score = score_documents([(doc, empty_prediction(figures=[close, zero]))]).lists["figures"]
    assert score.tp == 2
    assert score.attributes["approximate"].value == 0.5
    near_zero = {"value": 1e-12, "unit": "ریال", "approximate": False}
    other_unit = {"value": 440000, "unit": "نفر جمعیت", "approximate": True}
    assert score_documents([(doc, empty_prediction(figures=[near_zero, other_unit]))]).lists["figures"].tp == 0


def test_target_value_must_match_only_where_gold_has_one():
    text = "مقرر است 30 درصد اعتبارات به محلات برسد و کار تا پایان سال تمام شود."
    numbered = {"value": 30, "unit": "درصد", "deadline": None, "actor": None,
                "evidence": "30 درصد اعتبارات به محلات برسد"}
    deadline = {"value": None, "unit": None, "deadline": "تا پایان سال", "actor": None,
                "evidence": "کار تا پایان سال تمام شود"}
    doc = make_doc("d", text, targets=[numbered, deadline])
    right = empty_prediction(targets=[dict(numbered), dict(deadline, value=1, unit="سال")])
    assert score_documents([(doc, right)]).lists["targets"].tp == 2
    wrong = empty_prediction(targets=[dict(numbered, value=31)])
    assert score_documents([(doc, wrong)]).lists["targets"].tp == 0


def test_offsets_into_the_original_pair_whatever_the_spacing_of_the_evidence_text(seed):
    gold_item = seed.gold["commitments"][2]  # its evidence crosses a blank line
    folded, index_map = fold_with_map(seed.text)
    fs, fe = find_evidence(folded, gold_item["evidence"])
    start, end = index_map[fs], index_map[fe - 1] + 1
    assert "\n\n" in seed.text[start:end]

    squeezed = dict(gold_item, evidence=gold_item["evidence"].replace(" ", ""))
    prediction = prediction_of(seed)
    prediction["commitments"][2] = dict(squeezed, start=start, end=end)
    assert score_documents([(seed, prediction)]).lists["commitments"].f1 == 1.0

    prediction["commitments"][2] = squeezed  # no offsets: the text is looked for, in vain
    report = score_documents([(seed, prediction)])
    assert report.lists["commitments"].tp == 6
    (spurious,) = issues_of(report, "commitments", "spurious")
    assert "evidence not found" in spurious.detail


def test_offsets_outside_the_document_leave_the_prediction_unpaired(seed):
    prediction = prediction_of(seed)
    prediction["commitments"][2].update(start=10, end=len(seed.text) + 1)
    report = score_documents([(seed, prediction)])
    assert report.lists["commitments"].tp == 6
    (spurious,) = issues_of(report, "commitments", "spurious")
    assert "not a span of the document" in spurious.detail


def test_prediction_covering_less_than_half_the_gold_evidence_does_not_pair(seed):
    gold_item = seed.gold["commitments"][0]
    words = gold_item["evidence"].split(" ")
    prediction = prediction_of(seed)
    prediction["commitments"][0] = dict(gold_item, evidence=" ".join(words[: len(words) // 3]))
    assert score_documents([(seed, prediction)]).lists["commitments"].tp == 6


# ---------------------------------------------------------------- greedy ranking


def test_larger_overlap_wins_when_two_predictions_compete_for_one_gold():
    text = "رئیس شورا گفت شهرداری باید پل را بسازد تا پایان سال."
    gold = {"kind": "obligation", "actor": "شهرداری", "speaker": "رئیس شورا",
            "evidence": "شهرداری باید پل را بسازد"}
    doc = make_doc("d", text, commitments=[gold])
    # Both cover at least half of the gold evidence; the first comes earlier in the text
    # and in the list, so only the overlap can prefer the second.
    smaller = dict(gold, evidence="گفت شهرداری باید پل", speaker="کسی دیگر")
    larger = dict(gold, evidence="شهرداری باید پل را بسازد تا")
    report = score_documents([(doc, empty_prediction(commitments=[smaller, larger]))])
    score = report.lists["commitments"]
    assert (score.tp, score.n_pred, score.n_gold) == (1, 2, 1)
    assert score.attributes["speaker"].value == 1.0
    assert [i.item for i in issues_of(report, "commitments", "spurious")] == [smaller]
    # each alone would have paired
    alone = score_documents([(doc, empty_prediction(commitments=[smaller]))])
    assert alone.lists["commitments"].tp == 1


# ---------------------------------------------------------------- micro-averaging


def test_scores_are_micro_averaged_over_documents(seed):
    first = prediction_of(seed)
    first["figures"].pop(0)  # 8 of 9 found, nothing spurious
    second = make_doc(
        "second",
        "حدود 50 نفر در 3 روستا زندگی می کنند.",
        figures=[{"value": 50, "unit": "نفر", "approximate": True, "evidence": "حدود 50 نفر"}],
    )
    second_prediction = empty_prediction(
        figures=[
            {"value": 50, "unit": "نفر", "approximate": True, "evidence": "حدود 50 نفر"},
            {"value": 3, "unit": "روستا", "approximate": False, "evidence": "3 روستا"},
        ]
    )
    report = score_documents([(seed, first), (second, second_prediction)])
    assert report.documents == 2
    figures = report.lists["figures"]
    assert (figures.tp, figures.n_pred, figures.n_gold) == (9, 10, 10)
    # micro: 9/10 each way (a per-document average would give precision 0.75)
    assert figures.precision == pytest.approx(0.9)
    assert figures.recall == pytest.approx(0.9)
    assert figures.f1 == pytest.approx(0.9)
    assert report.lists["officials"].f1 == 1.0  # an empty list in one document costs nothing
    assert {(i.document, i.kind) for i in report.issues} == {(seed.name, "miss"), ("second", "spurious")}


def test_lists_empty_on_both_sides_score_one_and_attributes_are_not_measured():
    doc = make_doc("d", "متن بدون داده.")
    report = score_documents([(doc, empty_prediction())])
    for name in LISTS:
        assert report.lists[name].f1 == 1.0
    assert report.lists["commitments"].attributes["speaker"].value is None
    lone = make_doc("d", "متن بدون داده.", organizations=["شورا"])
    assert score_documents([(doc, empty_prediction(organizations=["شورا"]))]).lists["organizations"].f1 == 0.0
    assert score_documents([(lone, empty_prediction())]).lists["organizations"].f1 == 0.0


# ---------------------------------------------------------------- thresholds and output


def test_check_thresholds(seed):
    prediction = prediction_of(seed)
    prediction["figures"].pop(0)  # figures F1 16/17 ≈ 0.941
    prediction["commitments"][3]["speaker"] = None  # speaker 6/7 ≈ 0.857
    report = score_documents([(seed, prediction)])
    assert check_thresholds(report, {"figures": 0.9, "commitments.speaker": 0.8, "officials.title": 1.0}) == []
    failures = check_thresholds(report, {"figures": 0.95, "commitments.speaker": 0.9, "targets": 1.0})
    assert len(failures) == 2
    assert failures[0].startswith("figures:") and failures[1].startswith("commitments.speaker:")
    with pytest.raises(ValueError, match="officials.rank"):
        check_thresholds(report, {"officials.rank": 0.5})


def test_attribute_floor_with_no_pairs_fails_only_when_there_was_gold_to_find():
    doc = make_doc("d", "متن بدون داده.")
    assert check_thresholds(score_documents([(doc, empty_prediction())]), {"commitments.actor": 0.9}) == []
    lone = make_doc("d", "مقرر شد پل ساخته شود.", commitments=[
        {"kind": "decision", "actor": None, "speaker": None, "evidence": "مقرر شد پل ساخته شود"}])
    assert len(check_thresholds(score_documents([(lone, empty_prediction())]), {"commitments.actor": 0.9})) == 1


def test_format_text_lists_misses_and_spurious_items_with_document_names(seed):
    prediction = prediction_of(seed)
    prediction["figures"].pop(4)  # 19 محله
    prediction["organizations"].append("وزارت نیرو")
    prediction["commitments"][3]["speaker"] = "بدر شکوهی"
    text = score_documents([(seed, prediction)]).format_text()
    table = text.split("\n\n")[1]
    assert "figures" in table and f"{8 / 9:.3f}" in table and "speaker 6/7" in table
    assert f"miss      {seed.name}: 19 محله" in text
    assert f"spurious  {seed.name}: وزارت نیرو" in text
    assert "speaker: predicted بدر شکوهی, gold علیار راستگو" in text
    assert text.index("organizations:") < text.index("figures:") < text.index("commitments:")


def test_to_dict_is_json_ready(seed):
    prediction = prediction_of(seed)
    prediction["organizations"].append("وزارت نیرو")
    data = json.loads(json.dumps(score_documents([(seed, prediction)]).to_dict()))
    assert data["documents"] == 1
    assert data["lists"]["organizations"]["precision"] == pytest.approx(8 / 9)
    assert data["lists"]["officials"]["attributes"]["title"] == {"correct": 2, "total": 2, "value": 1.0}
    assert data["issues"][0]["kind"] == "spurious"


def test_offsets_near_the_end_of_a_document_that_folding_shortens_are_placed():
    # Folding collapses the blank lines, so the folded text is shorter than the original:
    # an offset valid in the original must not be rejected for passing the folded length.
    text = "مقدمه\n\n\n\n\n\nمقرر شد شهرداری طرح را اجرا کند."
    gold_commitment = {"kind": "decision", "actor": "شهرداری", "speaker": None, "evidence": "شهرداری طرح را اجرا کند"}
    gold = {"officials": [], "organizations": [], "figures": [], "targets": [], "commitments": [gold_commitment]}
    start = text.index("شهرداری")
    end = len(text) - 1
    prediction = dict(gold, commitments=[dict(gold_commitment, evidence=text[start:end], start=start, end=end)])
    report = score_documents([(GoldDocument("doc", text, gold, Path("doc.gold.json")), prediction)])
    assert report.lists["commitments"].tp == 1
