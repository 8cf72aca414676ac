"""Commitments and targets (issue #6): kinds, clauses, actors, negation, targets, grounding."""

import json
from pathlib import Path

import pytest

from extract import commitments
from extract.evaluate import find_evidence, fold, fold_with_map, to_folded_span
from extract.pipeline import process_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = CORPUS / "000_34e7e602297dcf66"


def run(text: str) -> dict:
    return process_text(text)


def kinds(result: dict) -> list[str]:
    return [c["kind"] for c in result["commitments"]]


def only(result: dict) -> dict:
    assert len(result["commitments"]) == 1, [c["text"] for c in result["commitments"]]
    return result["commitments"][0]


def covers(document: str, item: dict, evidence: str) -> bool:
    """The item's span covers at least half of the evidence (the scorer's pairing rule)."""
    folded, index_map = fold_with_map(document)
    gold = find_evidence(folded, evidence)
    assert gold is not None, evidence
    spans = item["spans"]
    start, end = to_folded_span(index_map, spans[0]["start"], spans[-1]["end"])
    overlap = max(0, min(end, gold[1]) - max(start, gold[0]))
    return 2 * overlap >= gold[1] - gold[0]


def token_f1(a: str | None, b: str | None) -> float:
    if a is None or b is None:
        return float(a is None and b is None)
    ta, tb = fold(a).split(), fold(b).split()
    common = sum(min(ta.count(t), tb.count(t)) for t in set(ta))
    return 0.0 if not common else 2 * common / (len(ta) + len(tb))


# ----------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed():
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8")
    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    return text, gold, run(text)


def test_the_seed_commitments_are_found_with_kind_clause_and_actor(seed):
    text, gold, result = seed
    assert len(result["commitments"]) == len(gold["commitments"]) == 7
    for expected in gold["commitments"]:
        matches = [c for c in result["commitments"] if c["kind"] == expected["kind"] and covers(text, c, expected["evidence"])]
        assert matches, expected["evidence"]
        assert token_f1(matches[0]["actor"], expected["actor"]) >= 0.5, (matches[0]["actor"], expected["actor"])


def test_the_seed_targets_have_value_unit_and_actor(seed):
    text, gold, result = seed
    assert len(result["targets"]) == len(gold["targets"]) == 2
    for expected in gold["targets"]:
        matches = [t for t in result["targets"] if t["value"] == expected["value"] and covers(text, t, expected["evidence"])]
        assert matches, expected["evidence"]
        assert fold(matches[0]["unit"]) == fold(expected["unit"])
        assert token_f1(matches[0]["actor"], expected["actor"]) >= 0.5
        assert matches[0]["commitment"] in {c["id"] for c in result["commitments"]}


def test_the_request_in_the_seed_takes_its_cue_over_the_memorandum_inside_it(seed):
    _, _, result = seed
    request = next(c for c in result["commitments"] if c["cue"]["rule"] == "omidvari")
    assert request["kind"] == "request" and request["actor"] == "شهرداری تبریز"
    assert "تسریع کند" in request["text"]


# ----------------------------------------------------------------------------- each kind


@pytest.mark.parametrize(
    "sentence, kind, rule, actor",
    [
        ("مقرر شد شهرداری ظرف یک ماه آیین‌نامه اجرایی را به شورا ارائه کند.", "decision", "moqarrar", "شهرداری"),
        ("افزایش ۲۰ درصد نرخ بلیت اتوبوس برای سال ۱۴۰۳ تصویب شد.", "decision", "tasvib", None),
        ("شرکت آب منطقه‌ای موظف است حقابه تالاب را تامین کند.", "obligation", "movazzaf", "شرکت آب منطقه‌ای"),
        ("دستگاه‌های اجرایی مکلف هستند موانع اداری را رفع کنند.", "obligation", "movazzaf", "دستگاه‌های اجرایی"),
        ("کشاورزان باید الگوی کشت را تغییر دهند.", "obligation", "bayad", "کشاورزان"),
        ("لازم است واحد حقوقی شرکت ظرف دو هفته اقدام کند.", "obligation", "lazem", "واحد حقوقی شرکت"),
        ("فروش مرغ بالاتر از نرخ مصوب ممنوع است.", "obligation", "mamnu", None),
        ("مدیرکل بانک متعهد شد تسهیلات را تا پایان آذر پرداخت کند.", "promise", "motahhed", "مدیرکل بانک"),
        ("وزیر قول داد پیگیری این طرح را انجام دهد.", "promise", "qol", "وزیر"),
        ("پلیس با حفاری‌های غیرمجاز برخورد قاطع خواهد کرد.", "promise", "future", "پلیس"),
        ("قرار است این خط ریلی تا شهریور ۱۴۰۴ به بهره‌برداری برسد.", "promise", "qarar_ast", None),
        ("وزارت بهداشت تا دو سال آینده ۲۵۰ پزشک متخصص اعزام می‌کند.", "promise", "present_deadline", "وزارت بهداشت"),
        ("نماینده مردم خواستار تسریع در اجرای طرح شد.", "request", "khastar", None),
        ("وی از وزیر نیرو درخواست کرد اعتبار اضافی اختصاص دهد.", "request", "darkhast_az", "وزیر نیرو"),
        ("وی از رانندگان خواست از سفرهای غیرضروری خودداری کنند.", "request", "khast_az", "رانندگان"),
        ("استاندار اظهار امیدواری کرد بانک‌ها تسهیلات را به‌موقع پرداخت کنند.", "request", "omidvari", "بانک‌ها"),
        ("توسعه فضاهای آموزشی از اولویت‌های استانداری است.", "priority", "olaviat", "استانداری"),
        ("تفکیک پسماند از مبدا در دستور کار شهرداری قرار دارد.", "priority", "dastur_kar", "شهرداری"),
    ],
)
def test_each_kind_from_a_sentence_of_its_own(sentence, kind, rule, actor):
    commitment = only(run(sentence))
    assert (commitment["kind"], commitment["cue"]["rule"]) == (kind, rule)
    assert commitment["actor"] == actor or token_f1(commitment["actor"], actor) >= 0.5, commitment["actor"]
    assert commitment["negated"] is False


# ----------------------------------------------------------------------------- what is not a commitment


@pytest.mark.parametrize(
    "sentence",
    [
        "درخصوص افزایش عوارض بحث شد اما افزایش آن مقرر نشد.",
        "لایحه افزایش عوارض در این جلسه تصویب نشد.",
        "سال گذشته ۱۸۵ طرح عمرانی در استان به بهره‌برداری رسید.",
        "مبلغ ۲۳ هزار میلیارد ریال برای جبران خسارت سیل اختصاص یافت.",
        "روزانه بیش از ۴۲۰ تن پسماند در شهر تولید می‌شود.",
        "توسعه متوازن نقش مهمی در رفع معضلات اجتماعی دارد.",
        "پیش‌بینی می‌شود بارش‌ها تا پایان هفته ادامه خواهد داشت.",
        "به نظر می‌رسد روند تورم در ماه‌های آینده کاهشی باشد.",
        "این رویکرد می‌تواند نقش مهمی در کاهش معضلات داشته باشد.",
        "امیدواریم خسارتی به وجود نیامده باشد.",
        "موارد زیر به تصویب رسید:",
    ],
)
def test_negated_decisions_past_facts_opinions_and_forecasts_are_no_commitments(sentence):
    assert run(sentence)["commitments"] == []


def test_a_prohibition_is_an_obligation():
    commitment = only(run("پیمانکاران خدمات شهری نباید پسماند را در حاشیه رودخانه تخلیه کنند."))
    assert commitment["kind"] == "obligation" and commitment["negated"] is True
    assert commitment["cue"]["rule"] == "nabayad"
    assert commitment["actor"] == "پیمانکاران خدمات شهری"


def test_a_negative_pledge_is_a_promise():
    commitment = only(run("وزیر نیرو گفت: صدور مجوز برای سرمایه‌گذاران بخش خصوصی را معطل نمی‌کنیم."))
    assert commitment["kind"] == "promise" and commitment["negated"] is True


def test_a_negated_decision_is_dropped_but_the_one_beside_it_stays():
    result = run("افزایش عوارض مقرر نشد اما مقرر شد شهرداری گزارش آن را ارائه کند.")
    commitment = only(result)
    assert commitment["kind"] == "decision" and commitment["actor"] == "شهرداری"


# ----------------------------------------------------------------------------- clauses


def test_two_decisions_in_one_sentence_are_split_by_clause():
    text = (
        "در پایان این جلسه مقرر شد ۳۰ درصد اعتبارات استانی به شهرستان‌های کم‌برخوردار اختصاص یابد "
        "و سازمان مدیریت و برنامه‌ریزی استان تا دو ماه آینده فهرست طرح‌ها را به شورا ارائه کند."
    )
    first, second = run(text)["commitments"]
    assert first["kind"] == second["kind"] == "decision"
    assert first["text"].startswith("مقرر شد") and first["text"].endswith("اختصاص یابد")
    assert second["text"].startswith("سازمان مدیریت") and second["text"].endswith("ارائه کند")
    assert first["actor"] is None and second["actor"] == "سازمان مدیریت و برنامه‌ریزی استان"


def test_a_clause_without_an_actor_of_its_own_joins_the_decision():
    text = "مقرر شد کارگروهی تشکیل شود و نتیجه را ظرف ۲۰ روز به شورا گزارش کند."
    commitment = only(run(text))
    assert commitment["text"].endswith("گزارش کند")


def test_commitments_of_different_kinds_in_one_sentence():
    text = (
        "استاندار با بیان اینکه تکمیل طرح‌های آبرسانی از اولویت‌های مدیریت استان است، گفت: "
        "اعتبارات عمرانی امسال باید صرف تکمیل طرح‌های نیمه‌تمام شود."
    )
    priority, obligation = run(text)["commitments"]
    assert priority["kind"] == "priority" and priority["text"].startswith("تکمیل طرح‌های آبرسانی")
    assert priority["actor"] == "مدیریت استان"
    assert obligation["kind"] == "obligation" and obligation["text"].startswith("اعتبارات عمرانی")
    assert obligation["actor"] is None  # credits do not act


def test_an_obligation_and_a_prohibition_joined_by_and():
    text = "ادارات استان باید دمای سامانه‌های سرمایشی را روی ۲۵ درجه تنظیم کنند و پس از ساعت ۱۳ نباید از روشنایی غیرضروری استفاده کنند."
    first, second = run(text)["commitments"]
    assert first["kind"] == second["kind"] == "obligation"
    assert second["negated"] is True and second["actor"] == "ادارات استان"  # the shared subject


def test_a_relative_clause_inside_the_subject_stays_in_the_clause():
    text = "بیمارستان جدید کرمان که ۸۰ درصد پیشرفت فیزیکی دارد، تا پایان سال ۱۴۰۳ افتتاح خواهد شد."
    commitment = only(run(text))
    assert commitment["text"].startswith("بیمارستان جدید کرمان")


def test_a_quotation_after_a_verb_of_saying_is_its_own_clause():
    text = "شهردار گفت: «تا پایان سال ۱۴۰۳ تعداد ۱۵۰ اتوبوس جدید وارد ناوگان خواهیم کرد.»"
    commitment = only(run(text))
    assert commitment["kind"] == "promise" and commitment["text"].startswith("تا پایان سال")


# ----------------------------------------------------------------------------- minutes


MINUTES = """صورتجلسه شورای اسلامی شهر

مصوبات:
۱- مقرر شد شهرداری حداکثر تا ۱۵ دی ماه لایحه تأمین مالی را به شورا ارائه کند.
۲- افزایش ۲۰ درصد نرخ بلیت اتوبوس برای سال ۱۴۰۳ تصویب شد.
۳- سازمان اتوبوسرانی موظف است سهم ناوگان را تا پایان آذر ماه حداقل به ۳۰ درصد برساند.
۴- شهریه دوره‌های شبانه حداکثر ۲۵ درصد افزایش یابد.
۵- درخصوص افزایش عوارض بحث شد اما افزایش آن مقرر نشد.

امضای حاضرین:
"""


def test_numbered_decisions_of_minutes():
    result = run(MINUTES)
    assert kinds(result) == ["decision", "decision", "obligation", "decision"]
    rules = [c["cue"]["rule"] for c in result["commitments"]]
    assert rules == ["moqarrar", "tasvib", "movazzaf", "decision_item"]
    # The evidence is the item's clause, without its number; decisions of a body have no speaker.
    assert result["commitments"][0]["text"].startswith("مقرر شد")
    assert all(c["speaker"] is None for c in result["commitments"])
    values = sorted(t["value"] for t in result["targets"] if t["value"] is not None)
    assert values == [20, 25, 30]
    assert any(t["value"] is None and t["deadline"] for t in result["targets"])  # "حداکثر تا ۱۵ دی ماه"


# ----------------------------------------------------------------------------- targets


def test_a_target_takes_value_unit_deadline_and_actor_of_its_commitment():
    result = run("وزارت جهاد کشاورزی امسال با توسعه گلخانه‌ها چهارصد و چهل هزار شغل جدید ایجاد می‌کند.")
    (target,) = result["targets"]
    assert (target["value"], target["unit"]) == (440000, "شغل")
    assert target["deadline"]["text"] == "امسال"
    assert target["actor"] == "وزارت جهاد کشاورزی" and target["commitment"] == "c1"


def test_a_deadline_without_a_number_is_a_target_without_a_value():
    result = run("مقرر شد اداره جهاد کشاورزی طرح تغییر الگوی کشت را تا پایان دی ماه به فرمانداری ارائه کند.")
    (target,) = result["targets"]
    assert target["value"] is None and target["deadline"]["text"].startswith("تا پایان دی")
    assert target["actor"] == "اداره جهاد کشاورزی"


def test_descriptions_and_allocations_made_are_not_targets():
    result = run(
        "۱۴ طرح آبرسانی با اعتباری بالغ بر ۱۸ هزار میلیارد تومان تا پایان سال به بهره‌برداری می‌رسد. "
        "سال گذشته ۱۲ کامیون با اعتباری بالغ بر ۳۵ میلیارد تومان خریداری شد و ۵۰ میلیارد تومان اختصاص یافت."
    )
    assert [(t["value"], t["unit"]) for t in result["targets"]] == [(14, "طرح")]


def test_a_quantity_from_to_targets_its_end():
    result = run("مقرر شد سقف گرنت پژوهشی از ۴۰۰ میلیون ریال به ۶۵۰ میلیون ریال افزایش یابد.")
    assert [t["value"] for t in result["targets"]] == [650000000]


def test_a_pronoun_takes_the_quantity_said_before_it():
    result = run("معاون استاندار گفت: تعهد اشتغال استان ۲۳ هزار و ۴۰۰ شغل است که دستگاه‌های اجرایی باید تا پایان اسفند آن را محقق کنند.")
    (target,) = result["targets"]
    assert target["value"] == 23400 and target["actor"] == "دستگاه‌های اجرایی"
    assert target["text"].startswith("تعهد اشتغال")


def test_money_a_plan_needs_is_a_target_without_a_commitment():
    result = run("هم‌اکنون ۶۴۰ طرح نیمه‌تمام وجود دارد که برای تکمیل آنها نزدیک به ۷۵ هزار میلیارد ریال اعتبار نیاز است.")
    assert result["commitments"] == []
    (target,) = result["targets"]
    assert target["value"] == 75000000000000 and target["commitment"] is None


# ----------------------------------------------------------------------------- records


def test_the_cue_and_the_action_are_recorded():
    commitment = only(run("دستگاه‌های اجرایی موظف هستند تا پایان شهریور گزارش پیشرفت طرح‌ها را ارائه کنند."))
    assert commitment["cue"] == {"text": "موظف هستند", "rule": "movazzaf"}
    assert commitment["action"].endswith("ارائه کنند") and "موظف" not in commitment["action"]
    assert commitment["deadline"]["text"] == "تا پایان شهریور"
    assert commitment["sentence"] == "s1"


@pytest.mark.parametrize(
    "sentence, action",
    [
        ("در این جلسه مقرر شد، مرحله دوم طرح تا پایان سال اجرا شود.", "مرحله دوم طرح تا پایان سال اجرا شود"),
        ("وی از خانواده‌ها خواست، در کنترل فرزندان خود اهتمام ورزند.", "در کنترل فرزندان خود اهتمام ورزند"),
        ("در این جلسه قرار شد، مراسم تودیع به زودی برگزار شود.", "مراسم تودیع به زودی برگزار شود"),
    ],
)
def test_the_comma_after_a_cue_is_in_neither_the_action_nor_the_clause_edge(sentence, action):
    commitment = only(run(sentence))
    assert commitment["action"] == action
    assert commitment["text"][0] not in "،؛," and commitment["text"][-1] not in "،؛,."


def test_quotes_and_brackets_at_the_edge_of_an_action_stay_paired():
    commitment = only(run("رئیس‌جمهور از مجلس خواست «از طریق مجمع تشخیص مصلحت نظام» به حل این معضل بپردازد."))
    assert commitment["action"] == "«از طریق مجمع تشخیص مصلحت نظام» به حل این معضل بپردازد"


@pytest.mark.parametrize("name", ["000_34e7e602297dcf66", "001_isfahan_planning_council", "018_kurdistan_palangan_village_council", "030_cabinet_decisions"])
def test_spans_slice_the_original_text(name):
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    result = run(text)
    assert result["commitments"]
    for item in result["commitments"] + result["targets"]:
        (span,) = item["spans"]
        assert text[span["start"] : span["end"]] == item["text"]
        if item.get("deadline"):
            (span,) = item["deadline"]["spans"]
            assert text[span["start"] : span["end"]] == item["deadline"]["text"]
    ids = {c["id"] for c in result["commitments"]}
    assert all(t["commitment"] in ids | {None} for t in result["targets"])


def test_arabic_letter_forms_and_digits_are_read():
    commitment = only(run("مقرر شد اداره جهاد كشاورزي شهرستان طرح تغيير الگوي كشت را تا پايان دي ماه به فرمانداري ارائه كند."))
    assert commitment["kind"] == "decision" and fold(commitment["actor"]) == fold("اداره جهاد كشاورزي شهرستان")


# ----------------------------------------------------------------------------- lexicon and grammar


def test_every_cue_line_compiles_with_a_known_kind_and_shape():
    loaded = commitments.cues()
    assert {c.kind for c in loaded} == set(commitments.KINDS) | {"block"}
    assert all(c.shape in commitments.SHAPES for c in loaded if c.kind != "block")


def test_cue_patterns_match_whole_words_across_zwnj_spellings():
    regex = commitments.compile_pattern("از اولویت_های {holder} است")
    for sentence in ("از اولویت‌های وزارت نیرو است", "از اولویت های وزارت نیرو است"):
        keys, _ = commitments.key_string(commitments.tokenize(sentence).keys)
        assert regex.search(keys)
    keys, _ = commitments.key_string(commitments.tokenize("ازاولویت‌های وزارت است").keys)
    assert not regex.search(keys)


def test_verbs_are_told_from_nouns():
    words = commitments.tokenize("مردم ستاد تولید شدید خواهند شد می‌شود ارائه کند")
    verbs = commitments.find_verbs(words)
    found = [(" ".join(words.keys[v.first : v.last + 1]), v.tense) for v in verbs if v is not None]
    assert found == [("خواهند شد", "future"), ("می شود", "present"), ("کند", "subj")]


def test_a_long_sentence_without_punctuation_is_read_to_its_end():
    # Speed is measured in bench/, not here: the sentence is read, and whatever is found
    # stays inside the text (scans are capped, so the far-away verb may not be reached).
    text = "مقرر شد شهرداری " + "طرح و " * 20000 + "ارائه کند."
    for item in run(text)["commitments"]:
        (span,) = item["spans"]
        assert 0 <= span["start"] < span["end"] <= len(text)


def test_cues_are_tried_only_in_sentences_holding_their_anchor_and_nothing_is_lost():
    """The anchor filter is an optimisation: on every sentence of the corpus it finds
    exactly what trying every cue finds, in the same order."""
    import extract
    from extract.segment import body_sentences

    nlp = extract.load(("minutes_segmenter",))
    compared = 0
    for path in sorted(CORPUS.glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        for sentence in body_sentences(doc):
            s = commitments.analyse(commitments.tokenize(sentence.text, sentence.start_char), 0)
            everything: tuple[list, list] = ([], [])
            for cue in commitments.cues():  # cue order, then left to right
                for m in cue.regex.finditer(s.keys):
                    first, end = commitments._word_range(s.starts, m.start(), m.end())
                    if end > first:
                        everything[cue.kind == "block"].append((cue.pattern, first, end - 1))
            found, blocks = commitments.match_cues(s)
            assert [(m.cue.pattern, m.first, m.last) for m in found] == everything[0]
            assert [(m.cue.pattern, m.first, m.last) for m in blocks] == everything[1]
            compared += bool(everything[0] or everything[1])
    assert compared > 50


def test_cues_compiled_with_re_match_what_regex_matches():
    """compile_pattern compiles with the standard ``re``: on the key strings of real
    sentences every cue finds the matches and groups that ``regex`` finds."""
    import regex

    slow = [regex.compile(cue.regex.pattern) for cue in commitments.cues()]
    compared = 0
    for text in list(_narrowing_documents())[:300]:
        for line in text.splitlines():
            keys, _ = commitments.key_string(commitments.tokenize(line).keys)
            for cue, plain in zip(commitments.cues(), slow):
                expected = [(m.span(), m.groupdict(), [m.span(g) for g in m.groupdict()]) for m in plain.finditer(keys)]
                assert [(m.span(), m.groupdict(), [m.span(g) for g in m.groupdict()]) for m in cue.regex.finditer(keys)] == expected
                compared += bool(expected)
    assert compared > 100


def test_a_cue_is_anchored_on_its_rarest_looking_required_word():
    assert commitments.anchor_words("بر_اساس|طبق این? مصوبه|مصوبات") == {"مصوبه", "مصوبات"}
    assert commitments.anchor_words("باید|می_بایست") == {"باید", "بایست"}
    assert commitments.anchor_words("{actor}? … متعهد شد") == {"متعهد"}


def _with_news() -> bool:
    """Whether ../shared's fars-news is beside the checkout (CI has it; a checkout alone
    tests on its 50 documents, with lower floors of what must be compared)."""
    from conftest import SHARED

    return (SHARED / "data" / "fars-news").exists()


def _narrowing_documents():
    """Every text of corpus/ and holdout/, and every fifth article of ../shared's fars-news."""
    repo = CORPUS.parent
    for path in sorted(CORPUS.glob("*.txt")) + sorted((repo / "holdout").glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    if _with_news():
        from bench.common import fars_news_articles

        for n, article in enumerate(fars_news_articles()):
            if n % 5 == 0:
                yield article


def test_phrase_ends_are_those_a_scan_of_every_word_finds():
    """_phrase_ends looks for each phrase where its rarest word is: on real sentences it
    finds the words where a straightforward scan finds a phrase ending."""
    compared = 0
    for text in list(_narrowing_documents())[:300]:
        keys = commitments.tokenize(text).keys
        for role in ("reporting_verb", "need_cue", "anaphor"):
            expected = {
                i
                for i in range(len(keys))
                for ws in commitments.phrases(role)
                if i + 1 >= len(ws) and tuple(keys[i - len(ws) + 1 : i + 1]) == ws
            }
            assert commitments._phrase_ends(keys, role) == expected
            compared += bool(expected)
    assert compared > (100 if _with_news() else 50)


def test_echoes_are_read_only_near_a_unit_and_nothing_is_lost(nlp, monkeypatch):
    """_echoes reads no number in a commitment with no figure's unit in or just after it:
    on real documents it finds what reading every commitment finds."""
    from extract import segment

    by_value = commitments._figures_by_value
    compared = 0
    for text in list(_narrowing_documents())[:200]:
        doc = nlp(text)
        ctx = commitments.build_context(doc)
        found, _ = commitments.find_all(doc.text, [(s.start_char, s.end_char) for s in segment.body_sentences(doc)], ctx)
        for f in found:
            fast = commitments._echoes(doc.text, f.start, f.end, [], ctx.figures)
            with monkeypatch.context() as patch:  # "" is in every text: every commitment is read
                patch.setattr(commitments, "_figures_by_value", lambda figures: (by_value(figures)[0], frozenset([""])))
                assert fast == commitments._echoes(doc.text, f.start, f.end, [], ctx.figures)
            compared += bool(fast)
    assert compared > 20


def test_a_factored_alternation_finds_what_the_plain_one_finds():
    """The search of may_hold_commitment factors its words by their leading characters: it
    matches each word, and on real text it finds what the plain alternation finds."""
    import re

    words = sorted(commitments.commitment_words() | {"م", "مق", "مقرر"})
    factored = re.compile(commitments._alternation(words))
    plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    assert all(factored.fullmatch(w) for w in words)
    assert not factored.fullmatch("") and not factored.fullmatch("مقررات")
    for text in list(_narrowing_documents())[:300]:
        folded = commitments._fold_keys(text)
        assert [m.span() for m in factored.finditer(folded)] == [m.span() for m in plain.finditer(folded)]


def test_sentences_that_cannot_give_a_commitment_are_skipped_and_nothing_is_lost(nlp, monkeypatch):
    """Skipping the sentences that may_hold_commitment rules out, and not parsing those
    where no cue matches and _may_give_without_cue says nothing else can, are
    optimisations: on every sentence the searches find what the sentence's words hold (a
    word of commitment_words other than "می"/"نمی", or a present verb in the first person,
    or one with a word of present_promise_words or a deadline of the figures stage), and on
    every document find_all finds exactly what reading and parsing every sentence finds."""
    from extract import segment

    beside_present = commitments._words_beside_present()
    promising, first_persons = commitments.present_promise_words(), commitments.first_person_presents()
    openers = commitments.PRESENT_OPENERS
    compared = skipped = skipped_present = 0
    for text in _narrowing_documents():
        doc = nlp(text)
        ctx = commitments.build_context(doc)
        body = [(s.start_char, s.end_char) for s in segment.body_sentences(doc)]
        narrowed = commitments.find_all(doc.text, body, ctx)
        for start, end in body:
            keys = commitments.tokenize(doc.text[start:end], start).keys
            deadline = any(start <= d < end for d in ctx.deadline_starts)
            present = not openers.isdisjoint(keys)
            first_person = any(key in openers and after in first_persons for key, after in zip(keys, keys[1:]))
            needed = (
                not beside_present.isdisjoint(keys)
                or keys[-1:] == [":"]
                or first_person
                or present and (deadline or not promising.isdisjoint(keys))
            )
            folded = commitments._fold_keys(doc.text[start:end])
            assert commitments.may_hold_commitment(folded, deadline) or not needed, doc.text[start:end]
            skipped += not needed
            skipped_present += present and not needed
        with monkeypatch.context() as patch:
            # Both narrowings off: every sentence tokenized, every tokenized one parsed.
            patch.setattr(commitments, "may_hold_commitment", lambda sentence, deadline: True)
            patch.setattr(commitments, "_may_give_without_cue", lambda keys, deadline: True)
            assert narrowed == commitments.find_all(doc.text, body, ctx)
        compared += bool(narrowed[0])
    if _with_news():
        assert compared > 50 and skipped > 1000 and skipped_present > 200
    else:
        assert compared >= 40 and skipped > 200 and skipped_present > 10


def test_every_deadline_phrase_holds_a_deadline_word():
    """A sentence whose only commitment word opens a present verb is read when it holds a
    word of DEADLINE_WORDS (or a deadline of the figures stage): on real text, every phrase
    deadline_phrases finds holds one."""
    compared = 0
    for text in list(_narrowing_documents())[:300]:
        words = commitments.tokenize(text)
        s = commitments.analyse(words, 0)
        for i, j in commitments.deadline_phrases(s, 0, len(words.keys) - 1):
            assert not commitments.DEADLINE_WORDS.isdisjoint(words.keys[i:j]), words.keys[i:j]
            compared += 1
    assert compared > 100


def test_words_read_with_re_are_those_read_with_regex():
    """gaps_and_words reads a text of the common blocks with ``re``: on every character of
    those blocks, and on real text, it finds what ``_GAP_AND_WORD`` (``regex``) finds."""
    import random

    common, uncommon = commitments._common_gap_and_word()
    every = [chr(code) for a, b in commitments._COMMON_BLOCKS for code in range(a, b)]
    assert uncommon.search("".join(every)) is None
    # Any character, or one of the pieces the pattern treats apart (half the time each).
    pieces = [" ", "\n", "\u00a0", "\u200c", "http://", "https://", "www.", "۱۲", "12", "ب", "a"]
    pieces += list(".٫/,٬()«»:")
    rnd = random.Random(6)
    texts = [
        "".join(rnd.choice(every if rnd.random() < 0.5 else pieces) for _ in range(rnd.randrange(60))) for _ in range(5000)
    ]
    texts += list(_narrowing_documents())
    for text in texts:
        assert common.findall(text) == commitments._GAP_AND_WORD.findall(text), repr(text)
    # A character outside the blocks (a CJK one, an emoji) is read with regex.
    assert uncommon.search("مقرر شد 中 ✅ 😀") is not None
    assert commitments.gaps_and_words("شد 😀") == commitments._GAP_AND_WORD.findall("شد 😀")


def test_words_are_those_a_loop_over_gaps_and_words_finds():
    """tokenize builds its lists with iterators over the gaps and words (no loop per word):
    each word is where the gaps and words before it end it, folded, joined when a ZWNJ
    precedes it (not the first)."""
    # The last text holds a kashida: its words are folded one by one.
    texts = list(_narrowing_documents())[:300] + ["", "  ", "\u200cمی\u200cشود", "مـقرر شد\u200c\u200c ، ۱۲.۵ درصد"]
    for text in texts:
        offset = 7
        expected: list[tuple[str, int, int, bool]] = []
        position = offset
        for gap, word in commitments._GAP_AND_WORD.findall(text):
            start = position + len(gap)
            position = start + len(word)
            expected.append((word.translate(commitments._KEY_FOLD), start, position, bool(expected) and "\u200c" in gap))
        words = commitments.tokenize(text, offset)
        assert list(zip(words.keys, words.starts, words.ends, words.joined)) == expected
