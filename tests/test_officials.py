"""Officials, organizations, speakers and the meeting (extract/officials.py, issue #4)."""

from pathlib import Path

import pytest
import regex

from extract import load, officials, segment
from extract.evaluate import fold

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEED = CORPUS / "000_34e7e602297dcf66.txt"


@pytest.fixture(scope="module")
def people_nlp():
    """The segmenter and the officials component alone: these tests do not depend on
    the later stages."""
    return load(("minutes_segmenter", "minutes_officials"))


def run(nlp, text):
    doc = nlp(text)
    return doc, officials.export(doc)


def by_name(result, name):
    found = [o for o in result["officials"] if fold(o["name"]) == fold(name)]
    assert found, f"{name} not among {[o['name'] for o in result['officials']]}"
    return found[0]


def org_names(result):
    return [fold(o["name"]) for o in result["organizations"]]


# ------------------------------------------------------------------ the seed


def test_seed_officials_and_every_mention(people_nlp):
    text = SEED.read_text(encoding="utf-8")
    doc, result = run(people_nlp, text)
    assert [(o["id"], fold(o["name"])) for o in result["officials"]] == [("p1", "علیار راستگو"), ("p2", "بدر شکوهی")]
    rastgoo, shokouhi = result["officials"]
    assert fold(rastgoo["title"]) == fold("معاون سیاسی، امنیتی و اجتماعی استاندار آذربایجان شرقی")
    assert fold(rastgoo["organization"]) == fold("استانداری آذربایجان شرقی")
    assert fold(shokouhi["title"]) == fold("مدیرکل امور اجتماعی و فرهنگی استانداری آذربایجان شرقی")
    assert fold(shokouhi["organization"]) == fold("استانداری آذربایجان شرقی")
    assert rastgoo["organization_id"] == shokouhi["organization_id"] is not None

    def mentions(official):
        return [(m["kind"], fold(m["text"])) for m in official["mentions"]]

    office = fold("معاون سیاسی، امنیتی و اجتماعی استاندار آذربایجان شرقی")
    assert mentions(rastgoo) == [
        ("title", office),  # headline
        ("title", office),  # lead
        ("full_name", "علیار راستگو"),
        ("pronoun", "وی"),
        ("surname", "راستگو"),
        ("pronoun", "وی"),
    ]
    assert rastgoo["mentions"][0]["sentence"] is None  # the headline is no body sentence
    assert mentions(shokouhi) == [
        ("title", fold("مدیرکل امور اجتماعی و فرهنگی استانداری آذربایجان شرقی")),
        ("full_name", "بدر شکوهی"),
        ("pronoun", "وی"),
        ("title", fold("مدیر کل امور اجتماعی و فرهنگی استانداری آذربایجان شرقی")),
    ]
    # Exactly three pronouns, each attributed to the person who was speaking.
    pronouns = [(o["id"], m["sentence"]) for o in result["officials"] for m in o["mentions"] if m["kind"] == "pronoun"]
    assert pronouns == [("p1", "s3"), ("p1", "s5"), ("p2", "s8")]


def test_seed_organizations(people_nlp):
    _, result = run(people_nlp, SEED.read_text(encoding="utf-8"))
    assert org_names(result) == [
        fold(n)
        for n in (
            "کارگروه اجتماعی، فرهنگی، سلامت، زنان و خانواده استان",
            "استانداری آذربایجان شرقی",
            "سازمان امور اجتماعی کشور",
            "ستاد بازآفرینی شهری",
            "وزارت کشور",
            "شهرداری تبریز",
            "مرکز بهداشت استان",
            "اداره کل آموزش و پرورش استان",
        )
    ]
    types = {fold(o["name"]): o["type"] for o in result["organizations"]}
    assert types[fold("وزارت کشور")] == "ministry"
    assert types[fold("استانداری آذربایجان شرقی")] == "governorate"
    assert types[fold("شهرداری تبریز")] == "municipality"


def test_seed_speakers(people_nlp):
    doc, _ = run(people_nlp, SEED.read_text(encoding="utf-8"))
    speakers = {segment.sentence_id(s): officials.speaker_of(s) for s in segment.body_sentences(doc)}
    assert speakers == {
        "s1": "p1", "s2": "p1", "s3": "p1", "s4": "p1", "s5": "p1",
        "s6": "p2", "s7": "p2", "s8": "p2", "s9": "p2",
        "s10": None,  # "در این جلسه گزارش عملکرد ... ارائه شد": nobody's speech
    }


# ------------------------------------------------------------------ names and offices


def test_title_then_name(people_nlp):
    _, result = run(people_nlp, "استاندار همدان علی‌محمد زارعی روز دوشنبه در جلسه شورای اداری استان همدان گفت: امسال گندم کم است.")
    official = by_name(result, "علی‌محمد زارعی")
    assert fold(official["title"]) == fold("استاندار همدان")
    assert fold(official["organization"]) == fold("استانداری همدان")
    assert official["mentions"][0]["kind"] == "title_and_name"


def test_name_then_title(people_nlp):
    text = "علی‌اصغر نوروزی، رئیس سازمان مدیریت و برنامه‌ریزی استان اصفهان نیز در این جلسه گفت: اعتبارات افزایش یافته است."
    _, result = run(people_nlp, text)
    official = by_name(result, "علی‌اصغر نوروزی")
    assert fold(official["title"]) == fold("رئیس سازمان مدیریت و برنامه‌ریزی استان اصفهان")
    assert fold(official["organization"]) == fold("سازمان مدیریت و برنامه‌ریزی استان اصفهان")
    assert official["organization_id"] == "org1"


def test_an_office_never_named_is_no_official(people_nlp):
    text = (
        "وزیر نیرو در سفر به خوزستان گفت: طرح‌ها تا پایان سال به بهره‌برداری می‌رسد.\n\n"
        "مدیرعامل شرکت آب منطقه‌ای خوزستان نیز در این جلسه گفت: کانال‌ها بازسازی شد."
    )
    _, result = run(people_nlp, text)
    assert result["officials"] == []
    assert fold("شرکت آب منطقه‌ای خوزستان") in org_names(result)


def test_the_office_of_the_lead_is_the_person_named_next(people_nlp):
    text = (
        "فرماندار کاشان در جلسه شورای اداری شهرستان کاشان گفت: هیچ طرحی نباید رها شود.\n\n"
        "مهدی انصاری فرد افزود: طرح‌ها باید تا پایان سال تکمیل شوند.\n\n"
        "فرماندار کاشان همچنین گفت: چاه‌های غیرمجاز مسدود می‌شود."
    )
    doc, result = run(people_nlp, text)
    official = by_name(result, "مهدی انصاری فرد")
    assert fold(official["title"]) == fold("فرماندار کاشان")
    assert fold(official["organization"]) == fold("فرمانداری کاشان")
    assert [m["kind"] for m in official["mentions"]] == ["title", "full_name", "title"]
    assert [officials.speaker_of(s) for s in segment.body_sentences(doc)] == ["p1", "p1", "p1"]


def test_pronouns_follow_the_current_speaker(people_nlp):
    text = (
        "به گزارش ایرنا، سعید میرزایی معاون هماهنگی امور اقتصادی استاندار گیلان گفت: تعهد اشتغال محقق می‌شود.\n\n"
        "وی افزود: نیمی از تعهد محقق شده است.\n\n"
        "نسرین طالبی، مدیرکل تعاون، کار و رفاه اجتماعی استان گیلان نیز در این جلسه گفت: نرخ بیکاری کاهش یافت.\n\n"
        "او خواستار اختصاص تسهیلات بیشتر به روستاها شد.\n\n"
        "میرزایی همچنین گفت: صادرات افزایش یافت."
    )
    doc, result = run(people_nlp, text)
    mirzaei = by_name(result, "سعید میرزایی")
    talebi = by_name(result, "نسرین طالبی")
    assert [m["kind"] for m in mirzaei["mentions"]] == ["title_and_name", "pronoun", "surname"]
    assert [m["kind"] for m in talebi["mentions"]] == ["title_and_name", "pronoun"]
    assert fold(talebi["organization"]) == fold("اداره کل تعاون، کار و رفاه اجتماعی استان گیلان")
    speakers = [officials.speaker_of(s) for s in segment.body_sentences(doc)]
    assert speakers == [mirzaei["id"], mirzaei["id"], talebi["id"], talebi["id"], mirzaei["id"]]


def test_two_persons_with_one_surname_are_told_apart_by_their_office(people_nlp):
    text = (
        "در نشستی با حضور حمید رستمی معاون هماهنگی امور اقتصادی استاندار فارس و سعید رستمی "
        "مدیر امور شعب بانک ملی استان فارس وضعیت تولید بررسی شد.\n\n"
        "رستمی، معاون استاندار، نیز در این نشست گفت: استانداری فارس پیگیری می‌کند."
    )
    doc, result = run(people_nlp, text)
    hamid = by_name(result, "حمید رستمی")
    saeed = by_name(result, "سعید رستمی")
    assert hamid["id"] != saeed["id"]
    assert [m["kind"] for m in hamid["mentions"]] == ["title_and_name", "title_and_name"]
    assert officials.speaker_of(segment.body_sentences(doc)[1]) == hamid["id"]


def test_honorifics_are_kept_apart_from_the_name(people_nlp):
    text = (
        "حجت‌الاسلام والمسلمین محمدحسن شریفی، نماینده مردم کرمان و راور در مجلس شورای اسلامی نیز خواستار توجه ویژه شد.\n\n"
        "به گزارش ایسنا، دکتر سید رضا مرتضوی، استاندار اصفهان گفت: طرح‌ها تکمیل می‌شود.\n\n"
        "سردار حمید رستمی، فرمانده انتظامی استان فارس نیز گفت: پلیس آماده است."
    )
    _, result = run(people_nlp, text)
    sharifi = by_name(result, "محمدحسن شریفی")
    assert sharifi["honorifics"] == ["حجت‌الاسلام والمسلمین"]
    assert fold(sharifi["title"]) == fold("نماینده مردم کرمان و راور در مجلس شورای اسلامی")
    assert fold(sharifi["organization"]) == fold("مجلس شورای اسلامی")
    mortazavi = by_name(result, "سید رضا مرتضوی")  # "سید" is part of the name
    assert mortazavi["honorifics"] == ["دکتر"]
    rostami = by_name(result, "حمید رستمی")
    assert rostami["honorifics"] == ["سردار"]
    assert fold(rostami["organization"]) == fold("فرماندهی انتظامی استان فارس")


def test_modir_kol_with_or_without_space_is_one_office(people_nlp):
    text = (
        "یوسف عبدی، مدیرکل صنعت، معدن و تجارت استان اردبیل در این جلسه گفت: پرونده‌ها تشکیل شد.\n\n"
        "مدیر کل صنعت، معدن و تجارت استان اردبیل افزود: گشت‌ها ادامه دارد."
    )
    doc, result = run(people_nlp, text)
    official = by_name(result, "یوسف عبدی")
    assert [m["kind"] for m in official["mentions"]] == ["title_and_name", "title"]
    assert fold(official["organization"]) == fold("اداره کل صنعت، معدن و تجارت استان اردبیل")
    assert [officials.speaker_of(s) for s in segment.body_sentences(doc)] == ["p1", "p1"]


# ------------------------------------------------------------------ organizations


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("علیار راستگو در جلسه کارگروه اجتماعی، فرهنگی، سلامت، زنان و خانواده استان، گفت: این مهم است.",
         "کارگروه اجتماعی، فرهنگی، سلامت، زنان و خانواده استان"),
        ("گزارش اداره کل آموزش و پرورش استان در خصوص مدارس ارائه شد.", "اداره کل آموزش و پرورش استان"),
        ("تمرکز بر این محلات از اولویت‌های سازمان امور اجتماعی کشور است.", "سازمان امور اجتماعی کشور"),
        ("مقرر شد اداره کل نوسازی، توسعه و تجهیز مدارس استان سیستان و بلوچستان گزارش را ارائه کند.",
         "اداره کل نوسازی، توسعه و تجهیز مدارس استان سیستان و بلوچستان"),
        ("رضوانی، رئیس کمیسیون سلامت، محیط زیست و خدمات شهری، با انتقاد از کندی طرح گفت: سهم کم است.",
         "کمیسیون سلامت، محیط زیست و خدمات شهری"),
        ("این نشست در محل اتاق بازرگانی، صنایع، معادن و کشاورزی قزوین برگزار شد.",
         "اتاق بازرگانی، صنایع، معادن و کشاورزی قزوین"),
        ("شرکت ساخت و توسعه زیربناهای حمل و نقل کشور ۹۵۰ کیلومتر بزرگراه می‌سازد.",
         "شرکت ساخت و توسعه زیربناهای حمل و نقل کشور"),
        ("مطابق مصوبه ستاد بازآفرینی شهری مقرر است اعتبارات تخصیص یابد.", "ستاد بازآفرینی شهری"),
        ("وزارت نیرو ظرفیت نیروگاه‌های تجدیدپذیر استان را به ۲ هزار مگاوات خواهد رساند.", "وزارت نیرو"),
    ],
)
def test_organization_extents(people_nlp, sentence, name):
    _, result = run(people_nlp, sentence)
    assert fold(name) in org_names(result)


def test_several_bodies_in_a_row_are_several(people_nlp):
    text = "در این جلسه گزارش عملکرد شهرداری تبریز، مرکز بهداشت استان و اداره کل آموزش و پرورش استان ارائه شد."
    _, result = run(people_nlp, text)
    assert org_names(result) == [fold("شهرداری تبریز"), fold("مرکز بهداشت استان"), fold("اداره کل آموزش و پرورش استان")]


def test_generic_plurals_and_bare_words_are_no_bodies(people_nlp):
    text = (
        "استفاده از ظرفیت کلیه سازمان ها و دستگاه های اجرایی استان ضروری است و دولت باید به شهرداری‌ها کمک کند.\n\n"
        "بانک‌های عامل و ۱۵۰ واحد صنعتی و هر شرکت دیگری باید همکاری کنند و پلیس برای مقابله آماده است."
    )
    _, result = run(people_nlp, text)
    assert result["organizations"] == []


def test_a_bare_head_refers_back_to_the_body_named_before(people_nlp):
    text = (
        "مدیرکل امور اجتماعی استانداری آذربایجان شرقی گفت: کار ادامه دارد.\n\n"
        "وی افزود: شهرداری تبریز با سازمان امور اجتماعی کشور و استانداری تفاهم‌نامه امضا کرده است."
    )
    _, result = run(people_nlp, text)
    assert org_names(result) == [fold("استانداری آذربایجان شرقی"), fold("شهرداری تبریز"), fold("سازمان امور اجتماعی کشور")]
    governorate = result["organizations"][0]
    assert [m["kind"] for m in governorate["mentions"]] == ["full_name", "short_form"]
    assert fold(governorate["mentions"][1]["text"]) == fold("استانداری")


def test_a_shorter_name_is_a_mention_of_the_fuller_one(people_nlp):
    text = (
        "مصطفی یگانه، رئیس اتاق بازرگانی قزوین گفت: بدهی‌ها زیاد است.\n\n"
        "این نشست در محل اتاق بازرگانی، صنایع، معادن و کشاورزی قزوین برگزار شد."
    )
    _, result = run(people_nlp, text)
    assert org_names(result) == [fold("اتاق بازرگانی، صنایع، معادن و کشاورزی قزوین")]
    assert fold(by_name(result, "مصطفی یگانه")["organization"]) == fold("اتاق بازرگانی، صنایع، معادن و کشاورزی قزوین")


# ------------------------------------------------------------------ minutes


MINUTES = """صورتجلسه شورای اسلامی شهر شیراز
تاریخ: ۱۴۰۲/۰۸/۲۲
محل: تالار شهدای ساختمان شورا

حاضرین:
- دکتر مهدی افشارپور، رئیس شورای اسلامی شهر شیراز
- مهندس فرزانه کیانی، نایب رئیس شورا
- زهرا قاسمی، منشی شورا
- مهندس کامران بهمنی، شهردار شیراز

خلاصه مذاکرات:
در ابتدای جلسه شهردار شیراز گزارشی از وضعیت ناوگان ارائه کرد. بهمنی گفت: ۴۸۰ اتوبوس فعال است. وی افزود: «۱۵۰ اتوبوس جدید وارد ناوگان خواهیم کرد.» نامبرده قیمت هر اتوبوس را ۳۲ میلیارد ریال اعلام کرد.

مصوبات:
۱- مقرر شد شهرداری شیراز لایحه را به شورا ارائه کند.

امضای حاضرین:
مهدی افشارپور رئیس شورا
فرزانه کیانی نایب رئیس شورا
"""


def test_attendees_of_minutes_are_officials(people_nlp):
    doc, result = run(people_nlp, MINUTES)
    assert [fold(o["name"]) for o in result["officials"]] == [
        fold(n) for n in ("مهدی افشارپور", "فرزانه کیانی", "زهرا قاسمی", "کامران بهمنی")
    ]
    council = fold("شورای اسلامی شهر شیراز")
    assert [fold(o["organization"]) for o in result["officials"]] == [council, council, council, fold("شهرداری شیراز")]
    assert by_name(result, "مهدی افشارپور")["honorifics"] == ["دکتر"]
    bahmani = by_name(result, "کامران بهمنی")
    assert [m["kind"] for m in bahmani["mentions"]] == ["title_and_name", "title", "surname", "pronoun", "pronoun"]
    # Signatures are mentions of the attendees, not new persons.
    assert [m["kind"] for m in by_name(result, "مهدی افشارپور")["mentions"]] == ["title_and_name", "title_and_name"]
    meeting = result["meeting"]
    assert fold(meeting["body"]) == council
    assert meeting["place"] == "تالار شهدای ساختمان شورا"
    assert meeting["date"]["jalali"] == "1402-08-22" and meeting["date"]["gregorian"] == "2023-11-13"
    assert meeting["chair"] == "p1"


def test_chair_named_by_riasat(people_nlp):
    text = "جلسه شورای دانشگاه تهران روز چهارشنبه ۱۴۰۳/۰۹/۱۴ به ریاست دکتر حمیدرضا ناصری‌فر رئیس دانشگاه برگزار شد."
    _, result = run(people_nlp, text)
    assert result["meeting"]["chair"] == by_name(result, "حمیدرضا ناصری‌فر")["id"]
    assert fold(result["meeting"]["body"]) == fold("شورای دانشگاه تهران")
    assert fold(by_name(result, "حمیدرضا ناصری‌فر")["organization"]) == fold("دانشگاه تهران")


# ------------------------------------------------------------------ grounding and the interface


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt"))[:40], ids=lambda p: p.stem[:12])
def test_every_span_slices_the_original_text_to_its_text(people_nlp, path):
    original = path.read_text(encoding="utf-8")
    doc, result = run(people_nlp, original)
    items = result["officials"] + result["organizations"]
    for item in items:
        for grounded in [item, *item["mentions"]]:
            assert len(grounded["spans"]) == 1
            span = grounded["spans"][0]
            assert original[span["start"] : span["end"]] == grounded["text"]
    ids = [o["id"] for o in result["officials"]]
    assert ids == [f"p{i}" for i in range(1, len(ids) + 1)]
    org_ids = [o["id"] for o in result["organizations"]]
    assert org_ids == [f"org{i}" for i in range(1, len(org_ids) + 1)]
    for official in result["officials"]:
        assert official["organization_id"] is None or official["organization_id"] in org_ids


def test_official_of_and_organization_of(people_nlp):
    text = SEED.read_text(encoding="utf-8")
    doc, result = run(people_nlp, text)
    start = doc.text.index("بدر شکوهی")
    assert officials.official_of(doc, start, start + len("بدر")) == "p2"
    start = doc.text.index("شهرداری تبریز")
    tabriz = next(o["id"] for o in result["organizations"] if fold(o["name"]) == fold("شهرداری تبریز"))
    assert officials.organization_of(doc, start, start + len("شهرداری تبریز")) == tabriz
    assert officials.official_of(doc, 0, 1) is None or officials.official_of(doc, 0, 1) == "p1"


def test_speaker_of_any_span_and_empty_documents(people_nlp):
    doc, result = run(people_nlp, "")
    assert result["officials"] == [] and result["organizations"] == []
    doc, _ = run(people_nlp, "قیمت‌ها امروز ثابت ماند.")
    assert [officials.speaker_of(s) for s in segment.body_sentences(doc)] == [None]


def test_the_pipeline_result_is_valid(nlp):
    from extract.inputs import decode_document
    from extract.pipeline import process

    result = process(decode_document(SEED.read_bytes(), str(SEED)), nlp)  # validated by process()
    assert [o["id"] for o in result["officials"]] == ["p1", "p2"]
    assert [s["speaker"] for s in result["sentences"]][:3] == ["p1", "p1", "p1"]


# ------------------------------------------------------------------ adversarial input

NAMES_AND_OFFICES = [
    "استاندار تهران علی رضایی گفت: وی افزود ",
    "سازمان، اداره، شرکت و شورای ",
    "کارگروه اجتماعی، فرهنگی، سلامت، زنان و ",
    "شهرداری تبریز و شهرداری و این شرکت ",
    "علی حسینی، مدیرکل دفتر ",
    "رئیس جلسه (رئیس جلسه) به ریاست ",
    "بخشداری مرکزی شهرستان کامیاران استان کردستان شهرستان ",
    "معاون وزیر و نماینده وزیر و مدیرعامل و ",
]


@pytest.mark.parametrize("pattern", NAMES_AND_OFFICES, ids=range(len(NAMES_AND_OFFICES)))
def test_long_runs_of_names_and_offices_are_read_to_the_end(people_nlp, pattern):
    # Speed is measured in bench/, not here; this shows such input finishes and stays grounded.
    text = (pattern * (80_000 // len(pattern) + 1))[:80_000]
    doc, result = run(people_nlp, text)
    for item in result["officials"] + result["organizations"]:
        for mention in item["mentions"]:
            (span,) = mention["spans"]
            assert 0 <= span["start"] < span["end"] <= len(text)


def _tokens_one_by_one(text):
    """officials.tokenize written token by token: (start, end, text, key, kind) rows."""
    rows = []
    for match in officials.TOKEN.finditer(text):
        start, end, piece = match.start(), match.end(), match.group()
        if piece[0].isalpha():
            if officials.ZWNJ in piece:
                first, rest = piece.split(officials.ZWNJ, 1)
                if officials.wkey(first) in officials._split_heads() and not officials._is_suffix(officials.wkey(rest)):
                    rows.append((start, start + len(first), first, officials.wkey(first), officials.WORD))
                    start += len(first) + 1
                    piece = rest
            rows.append((start, end, piece, officials.wkey(piece), officials.WORD))
        elif piece == "\n":
            rows.append((start, end, piece, piece, officials.NEWLINE))
        else:
            rows.append((start, end, piece, piece, officials.NUMBER if piece[0].isdigit() else officials.PUNCT))
    return rows


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  \n ",
        "هیئت‌وزیران و پلیس‌راه، سازمان‌ها و شورای‌ اسلامی\nمدیرکل‌ها ۱۲٫۵ درصد (۳/۴) x² ٔ ۀ",
        "استانداری‌فارس هیئت‌وزیران‌دولت ك ي ئ 2024-01-02 «نقل» ...",
        "x² ½ Ⅻ ٠١٢ ０١ a\x1cb\x1fc\u00a0d\u2028e ًٌ‌ب‌",  # split by re
        "𝟙𝟚 ب😀ب 𐎀𐎁 ۱۲",  # beyond the Basic Multilingual Plane: split by regex
    ],
)
def test_tokenize_as_columns_matches_one_token_at_a_time(text):
    toks = officials.tokenize(text)
    assert list(zip(*toks)) == _tokens_one_by_one(text)
    assert list(zip(*officials.tokenize(text))) == _tokens_one_by_one(text)  # again, from the memo


def test_word_keys_are_what_translate_makes():
    """wkey removes the ZWNJs of a word without the other characters that _FOLD changes."""
    for word in ["ب" + chr(c) + "\u200cب" + chr(c) for c in range(0x10000)] + ["هیئت", "هي\u200cئت", "مؤسسه‌ٔ"]:
        translated = word.translate(officials._FOLD)
        assert officials.wkey(word) == translated.replace("هییت", "هیات")


def test_kinds_are_kept_while_the_key_memo_is_emptied(people_nlp, monkeypatch):
    """The kind of a key that is no word's outlives the memo of keys, however small."""
    texts = _corpus_texts(people_nlp)[:3] + ["هیئت‌وزیران ۱۲٫۵ (۳/۴) x² ٔ ۀ «نقل» ..."]
    for limit in (1, 7, 50):
        monkeypatch.setattr(officials._KEY, "limit", limit)
        officials._KEY.clear()
        officials._NON_WORD_KINDS.clear()
        for text in texts + texts:
            assert list(zip(*officials.tokenize(text))) == _tokens_one_by_one(text)
            assert len(officials._NON_WORD_KINDS) < limit + len(text)
    officials._KEY.clear()
    officials._NON_WORD_KINDS.clear()


@pytest.mark.parametrize("between", ["", " ", "ب", "۱", "\u200c", ".", "\n"])
def test_bmp_split_reads_every_character_as_regex_does(between):
    plane = between.join(map(chr, range(0x10000)))
    assert officials._bmp_token_split().split(plane) == officials.TOKEN_SPLIT.split(plane)


def _longest_entry(phrases, toks, i):
    """Phrases.match read word by word up to the longest entry, with no early stop."""
    keys, kinds, n = toks.keys, toks.kinds, len(toks.kinds)
    if i >= n or kinds[i] != officials.WORD or keys[i] not in phrases.firsts:
        return None
    best, joined, words, j = None, "", 0, i
    while words < phrases.longest and j < n:
        if kinds[j] == officials.PUNCT and toks.texts[j] in "،," and words and j + 1 < n and kinds[j + 1] == officials.WORD:
            j += 1
            continue
        if kinds[j] != officials.WORD:
            break
        joined += keys[j]
        words += 1
        j += 1
        if joined in phrases.entries:
            best = (j - i, phrases.entries[joined])
    return best


def _corpus_texts(people_nlp):
    return [segment.doc_text(people_nlp(path.read_text(encoding="utf-8"))) for path in sorted(CORPUS.glob("*.txt"))]


def test_phrases_stop_reading_where_no_entry_begins(people_nlp):
    """Phrases.match stops at words that begin no entry: it finds what reading on finds."""
    lex = officials.lexicon()
    lexicons = [lex.titles, lex.orgs, lex.places, lex.honorifics, lex.pronouns, lex.speech, lex.ministries]
    # An entry's words split elsewhere: "فرماندار وی ژه" is "فرماندار ویژه".
    made_up = "مدیر کل، مدیرکل امور استان فارس وزارت امور اقتصادی و دارایی شورای اسلامی شهر فرماندار وی ژه"
    for text in _corpus_texts(people_nlp) + [made_up]:
        toks = officials.tokenize(text)
        for phrases in lexicons:
            for i in range(len(toks.keys) + 1):
                assert phrases.match(toks, i) == _longest_entry(phrases, toks, i)


def test_names_start_only_where_may_start_name_says(people_nlp):
    made_up = "آقای احمدی گفت سید علی رضایی و دکتر X و حجت‌الاسلام والمسلمین محمد حسن زاده"
    for text in _corpus_texts(people_nlp) + [made_up]:
        f = officials.Finder(text, [])
        for i in range(f.n):
            if f.word(i) and not f.may_start_name(i):
                assert f.parse_name(i) is None


def _place_read_on(f, i, after_marker):
    """Finder.place with Phrases.match asked at every token."""
    match = f.lex.places.match(f.toks, i)
    if match:
        return 0 if match[1].ambiguous and not after_marker else match[0]
    if f.key(i) in officials.COUNTRY:
        return 1
    return 3 if [f.key(i), f.key(i + 1), f.key(i + 2)] == ["جمهوری", "اسلامی", "ایران"] else 0


def test_places_are_looked_up_only_where_one_may_start(people_nlp):
    made_up = "استان فارس، شهرستان دزفول و جمهوری اسلامی ایران و کشور آذربایجان شرقی"
    for text in _corpus_texts(people_nlp) + [made_up]:
        f = officials.Finder(text, [])
        for i in range(f.n + 2):
            for after_marker in (False, True):
                assert f.place(i, after_marker) == _place_read_on(f, i, after_marker)


def test_one_scan_finds_the_looked_up_words_and_the_clause_commas(people_nlp):
    looked_up = officials._looked_up_words()
    for text in _corpus_texts(people_nlp):
        f = officials.Finder(text, [])
        assert f.looked_up == [i for i, key in enumerate(f.keys) if key in looked_up and f.kinds[i] == officials.WORD]
        assert f.clause_commas == [i for i, piece in enumerate(f.texts) if piece in ("،", "؛")]


def test_spaces_are_what_regex_calls_white_space():
    every_character = "".join(map(chr, range(0x110000)))
    assert officials.SPACES.findall(every_character) == regex.findall(r"\s+", every_character)
