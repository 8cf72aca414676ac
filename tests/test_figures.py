"""Figures and deadlines (issue #5): the seed's nine figures, money, ranges, hedges, traps,
grounding in the original text, deadlines, and the `minutes numbers` command."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from extract import figures
from extract.figures import Deadline, Figure, find_deadlines
from extract.numbers import to_ascii_digits
from extract.schema import validate

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "000_34e7e602297dcf66.txt"


@pytest.fixture(scope="module")
def run(nlp):
    """Figures of a text: (doc, exported figures)."""

    def run(text: str):
        doc = nlp(text)
        return doc, figures.export(doc)["figures"]

    return run


def found(run, text: str) -> list[tuple]:
    _, items = run(text)
    return [(f["value"], f["unit"], f["approximate"]) for f in items]


def close(a, b) -> bool:
    return math.isclose(a, b, rel_tol=1e-9)


# ----------------------------------------------------------------------------- the seed


def test_the_seed_report_gives_its_nine_gold_figures(run, seed_text):
    doc, items = run(seed_text)
    assert [(f["value"], f["unit"], f["approximate"]) for f in items] == [
        (30, "درصد", False),
        (440000, "نفر", True),
        (12, "درصد", True),
        (300000, "نفر", False),
        (19, "محله", False),
        (4, "دفتر", False),
        (6, "محله", False),
        (2, "سال", False),
        (15, "دفتر", False),
    ]
    assert items[0]["counted"] == "اعتبارات عمرانی این بخش"
    assert items[0]["quantity"] == "percent" and items[1]["quantity"] == "count"
    assert (items[1]["hedge"], items[2]["hedge"]) == ("حدود", "نزدیک به")
    assert items[7]["text"] == "دو 2 سال" and items[7]["quantity"] == "duration"
    assert [f["id"] for f in items] == [f"f{n}" for n in range(1, 10)]
    assert all(f["sentence"] and f["sentence"].startswith("s") for f in items)
    records = doc._.figures
    assert all(isinstance(f, Figure) for f in records)
    assert doc.text[records[1].start_char : records[1].end_char] == "حدود 440 هزار نفر"
    assert doc.text[records[1].number_start : records[1].number_end] == "440 هزار"


def test_the_seed_result_is_schema_valid_and_every_span_slices_the_original():
    from extract.pipeline import process_text

    original = SEED.read_text(encoding="utf-8")
    result = process_text(original)
    validate(result)
    assert len(result["figures"]) == 9
    for figure in result["figures"]:
        (span,) = figure["spans"]
        assert original[span["start"] : span["end"]] == figure["text"]


def test_spans_slice_an_original_with_arabic_letters_digits_and_line_breaks(nlp):
    original = (
        "گزارش جلسه\n\n"
        "مدير كل گفت: حدود ٤٤٠ هزار نفر در ۱۹ محله زندگي مي كنند و\n"
        "بيش از ۲٬۵۰۰ ميليارد ريال اعتبار و ١٢٫٥ ٪ رشد داشته ايم.\n"
    )
    doc = nlp(original)
    items = figures.export(doc)["figures"]
    assert [(f["value"], f["unit"]) for f in items] == [(440000, "نفر"), (19, "محله"), (2500000000000, "ریال"), (12.5, "درصد")]
    for figure in items:
        (span,) = figure["spans"]
        assert original[span["start"] : span["end"]] == figure["text"]
    assert items[0]["text"] == "حدود ٤٤٠ هزار نفر"


# ----------------------------------------------------------------------------- money, ranges, hedges


def test_money_is_kept_as_stated_and_normalized_to_rials(run):
    _, items = run("برای این طرح ۲ میلیارد تومان و ۲۹ هزار میلیارد ریال و ۳/۵ میلیون دلار اختصاص یافت.")
    assert [(f["value"], f["unit"], f["rials"], f["quantity"]) for f in items] == [
        (2_000_000_000, "تومان", 20_000_000_000, "money"),
        (29_000_000_000_000, "ریال", 29_000_000_000_000, "money"),
        (3_500_000, "دلار", None, "money"),
    ]
    _, items = run("باشگاه الاتحاد ۱۴۰ میلیون ریال سعودی بدهی دارد.")
    assert items[0]["rials"] is None  # a foreign rial
    _, items = run("قیمت هر کیلو یک و نیم میلیون تومان است.")
    assert (items[0]["value"], items[0]["rials"]) == (1_500_000, 15_000_000)


def test_a_range_gives_two_figures_its_ends(run):
    _, items = run("مصرف آب بین ۲۵ تا ۳۰ درصد کاهش می‌یابد و نرخ ۲۵ تا ۲۷ هزار تومان است.")
    assert [(f["value"], f["unit"]) for f in items] == [(25, "درصد"), (30, "درصد"), (25000, "تومان"), (27000, "تومان")]
    assert [f["range"] for f in items[:2]] == [{"low": 25, "high": 30, "end": "low"}, {"low": 25, "high": 30, "end": "high"}]
    assert items[2]["range"] == {"low": 25000, "high": 27000, "end": "low"}
    assert all(f["approximate"] is False for f in items)


def test_a_range_is_hedged_as_a_whole(run):
    assert found(run, "هزینه در حدود ۲۰۰ تا ۶۰۰ دلار است.") == [(200, "دلار", True), (600, "دلار", True)]


@pytest.mark.parametrize(
    ("text", "value", "unit", "hedge"),
    [
        ("حدود ۴۴۰ هزار نفر در این محلات زندگی می‌کنند.", 440000, "نفر", "حدود"),
        ("بیش از ۸۰ درصد پیشرفت فیزیکی دارد.", 80, "درصد", "بیش از"),
        ("اعتباری بالغ بر ۹ هزار و ۴۰۰ میلیارد ریال هزینه شد.", 9_400_000_000_000, "ریال", "بالغ بر"),
        ("نیروها حداکثر ظرف ۳۰ دقیقه در محل حاضر می‌شوند.", 30, "دقیقه", "حداکثر"),
        ("سهم ناوگان را حداقل به ۳۰ درصد برساند.", 30, "درصد", "حداقل"),
        ("قریب به ۹۰۰ هزار نفر از آب شرب بهره‌مند شدند.", 900000, "نفر", "قریب به"),
        ("کمتر از دو هفته مهلت دارند.", 2, "هفته", "کمتر از"),
        ("تقریبا ٣ برابر اعتبارات سالانه نیاز دارد.", 3, "برابر", "تقریبا"),
        ("افراد ۶۰ سال به بالا واکسن می‌زنند.", 60, "سال", "به بالا"),
    ],
)
def test_hedges_make_a_figure_approximate(run, text, value, unit, hedge):
    _, items = run(text)
    assert len(items) == 1, items
    assert (items[0]["value"], items[0]["unit"], items[0]["approximate"], items[0]["hedge"]) == (value, unit, True, hedge)
    assert hedge in items[0]["text"]


def test_exact_words_are_no_hedge(run):
    assert found(run, "در سال گذشته تنها ۲۰ اتوبوس به ناوگان اضافه شد.") == [(20, "اتوبوس", False)]


def test_a_number_written_twice_is_one_figure(run):
    assert found(run, "دستاوردهایی که دو 2 سال اخیر داشته‌اند و طی سه (۳) ماه آینده.") == [
        (2, "سال", False),
        (3, "ماه", False),
    ]


# ----------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("text", "value", "unit", "quantity"),
    [
        ("۱۲۰ روستای استان گازرسانی شد.", 120, "روستا", "count"),
        ("۶۰۰ نیروی عملیاتی آماده‌اند.", 600, "نیرو", "count"),
        ("۱۵ دفتر تسهیل‌گری جدید راه‌اندازی می‌شود.", 15, "دفتر", "count"),
        ("صرفه‌جویی ۱۰٫۸ میلیارد متر مکعب آب است.", 10_800_000_000, "متر مکعب", "volume"),
        ("مصرف ماهانه بیش از 600 کیلووات ساعت برق است.", 600, "کیلووات ساعت", "energy"),
        ("پساب با ظرفیت ۴۵۰ لیتر در ثانیه فروخته می‌شود.", 450, "لیتر در ثانیه", "other"),
        ("پست‌ها ظرفیت ۲۴۰ مگاولت‌آمپر دارند.", 240, "مگاولت‌آمپر", "energy"),
        ("مساحت ۶٬۲۰۰ متر مربع است.", 6200, "متر مربع", "area"),
        ("سطح زیر کشت ۲۸۵ هزار هکتار است.", 285000, "هکتار", "area"),
        ("نرخ بیکاری ۸٫۲٪ بود.", 8.2, "درصد", "percent"),
        ("افزایش ۲۰ درصدی نرخ بلیت تصویب شد.", 20, "درصد", "percent"),
        ("مهلت ۱۰ روزه به پیمانکار داده شد.", 10, "روز", "duration"),
        ("۴۵ کیلومتر باقیمانده آزادراه تکمیل می‌شود.", 45, "کیلومتر", "length"),
        ("۱۵۰۰ تن مرغ منجمد توزیع می‌شود.", 1500, "تن", "mass"),
    ],
)
def test_the_unit_is_the_head_noun_as_written_singular(run, text, value, unit, quantity):
    _, items = run(text)
    assert [(f["value"], f["unit"], f["quantity"]) for f in items] == [(value, unit, quantity)]


def test_a_unit_is_shared_by_the_numbers_before_it(run):
    text = "تعداد تخت‌های فعال استان از ۳٬۶۰۰ به بیش از ۴ هزار تخت رسید و زلزله‌های ۴ یا ۵ ریشتری رخ داد."
    assert found(run, text) == [(3600, "تخت", False), (4000, "تخت", True), (4, "ریشتر", False), (5, "ریشتر", False)]


def test_counted_is_the_noun_phrase_it_counts(run):
    _, items = run("۱۵۰۰ تن مرغ منجمد و ۳۰ درصد از عرصه و ۱۸۵ طرح عمرانی با اعتبار ۲ میلیارد تومان.")
    assert [f["counted"] for f in items] == ["مرغ منجمد", "عرصه", "طرح عمرانی", None]


def test_base_units_come_from_the_lexicon(nlp):
    doc = nlp("طول خط ۱۲ کیلومتر و ظرفیت ۲ هزار تن است.")
    km, tons = doc._.figures
    assert (km.base_unit, km.base_value) == ("متر", 12000)
    assert (tons.base_unit, tons.base_value) == ("کیلوگرم", 2_000_000)


# ----------------------------------------------------------------------------- traps


@pytest.mark.parametrize(
    "text",
    [
        "جلسه روز پنجشنبه ۱۲ مرداد ۱۴۰۲ برگزار شد.",
        "در تاریخ 1402/05/12 جلسه تشکیل شد.",
        "بودجه سال ۱۴۰۲ تصویب شد.",
        "سهم استان در لایحه بودجه ۱۴۰۴ مجلس افزایش یابد.",
        "اوج مصرف در تابستان ۱۴۰۳ رخ می‌دهد.",
        "جلسه ساعت ۱۰ صبح آغاز شد.",
        "ساعت: ۹:۳۰ تا ۱۲ محل: دفتر معاونت",
        "تردد از ساعت 6 تا 9 صبح ممنوع است.",
        "پس از ساعت 13 نباید چراغ روشن باشد.",
        "تخلفات را از طریق سامانه ۱۳۷ یا تلفن ۰۸۳-۳۸۲۴۵۶۱۰ گزارش کنید.",
        "آمبولانس‌ها به ناوگان اورژانس ۱۱۵ استان اضافه شد.",
        "با استناد به ماده ۵ و تبصره ۲ و بند ۳ تصویب شد.",
        "۱- بررسی وضعیت ناوگان\n۲- گزارش پیشرفت پروژه",
        "گزارش پیشرفت فیزیکی خط ۲ قطار شهری ارائه شد.",
        "محل: طبقه ۶، اتاق ۶۱۲ ساختمان ستاد",
        "پرونده پارک شهری منطقه ۳ شهرداری بررسی شد.",
        "صورتجلسه شماره ۱۲۷ شورا",
        "در یک جلسه فوق‌العاده تصمیم گرفتند.",
        "هر دو طرف توافق کردند.",
        "یکی از مدیران استان گفت.",
        "در حوادث ۱۱ سپتامبر کشته شدند.",
        "تیم با نتیجه سه بر صفر پیروز شد.",
        "مجتمع چهل‌ستون اصفهان بازسازی شد.",
        "دومین جلسه و نخستین نشست برگزار شد.",
        "در دهه ۶۰ ساخته شد.",
        "فرمانداری پژو ۴۰۵، یک دستگاه خریداری کرد.",
        "در ۲۱ ماه می ۲۰۰۴ اعلام شد.",
        "تجمع روز سه‌شنبه ۱۸ ماه جاری برگزار می‌شود.",
        "ورزشگاه ۲۲ بهمن و بیمارستان ۱۷ شهریور بازسازی شد.",
    ],
)
def test_what_is_not_a_figure(run, text):
    _, items = run(text)
    assert items == [], [(f["text"], f["value"], f["unit"]) for f in items]


def test_a_fact_repeated_in_headline_and_body_is_one_figure(run):
    text = (
        "استاندار اصفهان:\n\n"
        "آبرسانی به ۲۳ شهر تا پایان سال تکمیل می‌شود\n\n"
        "استاندار اصفهان گفت: طرح‌های آبرسانی به ۲۳ شهر و ۱۱۰ روستای استان تا پایان سال ۱۴۰۳ به بهره‌برداری می‌رسد.\n\n"
        "در ۲۳ نقطه حادثه‌خیز ایمن‌سازی آغاز شد. مقرر شد ایمن‌سازی ۲۳ نقطه حادثه‌خیز تا پایان سال تمام شود.\n"
    )
    assert found(run, text) == [(23, "شهر", False), (110, "روستا", False), (23, "نقطه", False)]


def test_the_same_value_for_different_things_is_kept(run):
    text = (
        "امسال ۴۴۰ هزار تن گندم برداشت می‌شود که حدود سی درصد کمتر است.\n\n"
        "مصرف آب بین ۲۵ تا ۳۰ درصد کاهش می‌یابد و ۳۰ درصد اعتبارات به روستاها می‌رسد.\n"
    )
    values = [(v, u) for v, u, _ in found(run, text)]
    assert values.count((30, "درصد")) == 3


# ----------------------------------------------------------------------------- deadlines


DATED = "صورتجلسه شورای شهر\nتاریخ: ۱۴۰۲/۰۸/۲۲\n\n"


@pytest.mark.parametrize(
    ("phrase", "jalali"),
    [
        ("تا پایان سال ۱۴۰۳", "1403-12-30"),
        ("تا پایان سال", "1402-12-29"),
        ("تا پایان سال آینده", "1403-12-30"),
        ("تا پایان شهریور", "1403-06-31"),
        ("تا پایان آذر ماه", "1402-09-30"),
        ("حداکثر تا ۱۵ دی‌ماه", "1402-10-15"),
        ("تا دو ماه آینده", "1402-10-22"),
        ("ظرف یک ماه", "1402-09-22"),
        ("ظرف ۱۰ روز", "1402-09-02"),
        ("ظرف ۲ هفته", "1402-09-06"),
        ("طی سه سال آینده", "1405-08-22"),
        ("تا مهر ۱۴۰۴", "1404-07-01"),
        ("تا پایان خرداد ۱۴۰۳", "1403-03-31"),
        ("تا پایان برنامه هفتم", None),
        ("تا پایان ماه رمضان", None),
    ],
)
def test_deadlines_are_resolved_from_the_document_date(nlp, phrase, jalali):
    doc = nlp(DATED + f"مقرر شد شهرداری {phrase} گزارش را ارائه کند.\n")
    assert figures.document_date(doc).isoformat() == "1402-08-22"
    (deadline,) = doc._.deadlines
    assert isinstance(deadline, Deadline)
    assert deadline.text == doc.text[deadline.start_char : deadline.end_char]
    assert deadline.text.replace("\u200c", " ") == to_ascii_digits(phrase).replace("\u200c", " ")
    assert deadline.jalali == jalali
    if jalali:
        import jdatetime

        y, m, d = map(int, jalali.split("-"))
        assert deadline.date == jdatetime.date(y, m, d).togregorian().isoformat()


def test_deadlines_without_a_document_date_keep_their_text(nlp):
    doc = nlp("مقرر شد شهرداری تا پایان سال ۱۴۰۳ و ظرف ۱۰ روز گزارش دهد و تا پایان شهریور اقدام کند.")
    assert [(d.text, d.jalali) for d in find_deadlines(doc)] == [
        ("تا پایان سال 1403", "1403-12-30"),
        ("ظرف 10 روز", None),
        ("تا پایان شهریور", None),
    ]


def test_durations_inside_deadlines_are_figures_too(run):
    assert found(run, "مقرر شد ظرف ۱۰ روز و تا دو ماه آینده گزارش ارائه شود.") == [(10, "روز", False), (2, "ماه", False)]


def test_spans_of_the_past_are_no_deadlines(nlp):
    doc = nlp("از ابتدای سال جاری تا پایان مهر ماه ۳۱۲ نفر جان باختند و طی دو سال گذشته ۵ طرح اجرا شد.")
    assert find_deadlines(doc) == []
    doc = nlp(DATED + "وی گفت: تا پایان مهرماه ۶۲ درصد اعتبارات تخصیص یافته است.")
    assert find_deadlines(doc) == []


def test_export_deadline_is_grounded(nlp):
    original = "مقرر شد تا پايان سال ١٤٠٣ تكميل شود."
    doc = nlp(original)
    (deadline,) = doc._.deadlines
    exported = figures.export_deadline(doc, deadline)
    (span,) = exported["spans"]
    assert original[span["start"] : span["end"]] == exported["text"] == "تا پايان سال ١٤٠٣"
    assert exported["jalali"] == "1403-12-30" and exported["date"] == "2025-03-20"


# ----------------------------------------------------------------------------- lexicons and speed


def test_the_unit_lexicon_is_well_formed():
    units = figures._units()
    assert {entry.kind for entry in units.values()} <= set(figures.QUANTITY_KINDS)
    assert units[figures._key("تومان")].factor == 10 and units[figures._key("ریال")].base == "ریال"
    assert units[figures._key("مترمکعب")] == units[figures._key("متر مکعب")]


def test_long_lists_of_labels_and_numbers_stay_linear(nlp):
    text = "خط ۲ و " * 3000 + "۵ و " * 3000 + "حداکثر ظرف " * 1000 + "۳۰ درصد"
    doc = nlp(text)
    assert len(doc._.figures) >= 1


# ----------------------------------------------------------------------------- the command


def test_minutes_numbers_prints_the_parser_matches_as_json():
    text = "حدود ۴۴۰ هزار نفر، بین ۲۵ تا ۳۰ درصد و ۱۲ مرداد ۱۴۰۲"
    completed = subprocess.run(
        [sys.executable, "-m", "extract", "numbers", text], capture_output=True, cwd=REPO, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    items = json.loads(completed.stdout)
    assert [item["kind"] for item in items] == ["number", "range", "date"]
    number, span, date = items
    assert (number["value"], number["hedge"], number["text"]) == (440000, "حدود", "حدود ۴۴۰ هزار")
    assert (span["low"], span["high"]) == (25, 30)
    assert date["value"] == "2023-08-03"
    for item in items:
        assert text[item["start"] : item["end"]] == item["text"]
