"""Decoding as archives need it. Files that went through a program that read them with the
wrong encoding and saved what it showed (mojibake) are read back when that can be done
exactly, refused with the reason when bytes were lost, and never touched when they are
Persian already; a text with no Persian in it is refused rather than passed on to give an
empty result."""

from re import escape as regex_escape

import pytest

from extract.inputs import InputError, decode_document
from extract.pipeline import process

REPORT = (
    "استاندار تهران در جلسه شورای برنامه‌ریزی استان گفت: ۳۰ درصد اعتبارات تا پایان سال به مناطق محروم اختصاص می‌یابد.\n"
    "وی افزود: پروژه‌های گردشگری و کشاورزی و اطلاع‌رسانی باید تا پایان شهریور ۱۴۰۳ تکمیل شود؛ این تصمیم باید اجرا شود.\n"
)
# As old Windows-1256 files were typed: the Arabic ي and ك, Latin digits (Windows-1256 has
# the ZWNJ, at byte 9D, which Windows-1252 leaves undefined).
LEGACY = REPORT.translate(str.maketrans("یک۰۱۲۳۴۵۶۷۸۹", "يك0123456789"))
READ_AS_WESTERN = "(repaired: it had been read as Latin-1 or Windows-1252 and saved as utf-8"


def decoded(text: str):
    return decode_document(text.encode("utf-8"), "report.txt")


def western(text: str, encoding: str, western_encoding: str) -> str:
    import ftfy.bad_codecs  # noqa: F401 - "sloppy-windows-1252"

    return text.encode(encoding).decode(western_encoding)


@pytest.mark.parametrize("reading", ["latin-1", "sloppy-windows-1252"])
def test_utf8_read_as_a_western_encoding_is_read_back_exactly_and_the_repair_named(reading):
    document = decoded(western(REPORT, "utf-8", reading))
    assert document.text == REPORT
    assert document.encoding == f"utf-8 {READ_AS_WESTERN})"
    result = process(document)
    assert result["sentences"][0]["text"].startswith("استاندار تهران")
    assert any(figure["value"] == 30 for figure in result["figures"])


def test_mojibake_twice_over_and_a_byte_order_mark_are_read_back():
    once = western(REPORT, "utf-8-sig", "sloppy-windows-1252")  # the mark becomes "ï»¿"
    assert decoded(once).text == REPORT
    twice = decoded(western(once, "utf-8", "sloppy-windows-1252"))
    assert twice.text == REPORT and twice.encoding == f"utf-8 {READ_AS_WESTERN}, twice over)"


@pytest.mark.parametrize("reading", ["latin-1", "sloppy-windows-1252"])
def test_windows_1256_read_as_a_western_encoding_is_read_back(reading):
    document = decoded(western(LEGACY, "cp1256", reading))
    assert document.text == LEGACY
    assert document.encoding == f"windows-1256 {READ_AS_WESTERN})"
    assert "استاندار تهران" in process(document)["sentences"][0]["text"]


def test_a_paragraph_of_mojibake_in_a_persian_report_is_read_back_whole():
    # The single letter و, Persian digits and marks inside the paragraph too.
    first, second = REPORT.splitlines(keepends=True)
    document = decoded(first + western(second, "utf-8", "sloppy-windows-1252"))
    assert document.text == REPORT
    assert document.encoding == "utf-8 (repaired: 1 stretches had been read as Latin-1 or Windows-1252)"


def test_utf8_read_as_windows_1256_is_read_back_whole_or_in_stretches():
    # The mojibake of Iranian systems: "ط§ط³طھط§ظ†ط¯ط§ط±" for "استاندار".
    shown = REPORT.encode("utf-8").decode("cp1256")
    document = decoded(shown)
    assert document.text == REPORT
    assert document.encoding == "utf-8 (repaired: it had been read as Windows-1256 and saved as utf-8)"
    first, second = REPORT.splitlines(keepends=True)
    document = decoded(first + second.encode("utf-8").decode("cp1256"))
    assert document.text == REPORT and document.encoding == "utf-8 (repaired: 1 stretches had been read as Windows-1256)"


@pytest.mark.parametrize(
    "original",
    [
        REPORT + "وی گفت: جلسه شورای شهر 😀 برگزار شد.\n",  # a four-byte character inside
        REPORT + "نقل قول به اردو: ھم یہاں ہیں\n",  # letters of the script that Persian has not
        REPORT + "The council also said, in English, that the budget for the new schools will grow next year.\n" * 3,
        "۱۲۳۴ / ۵۶۷۸ - ۹۰\n",  # digits and marks only
    ],
)
def test_mojibake_of_persian_with_other_characters_is_read_back(original):
    first, rest = original.split("\n", 1)
    assert decoded(western(original, "utf-8", "sloppy-windows-1252")).text == original
    assert decoded(first + "\n" + western(rest, "utf-8", "sloppy-windows-1252")).text == original


@pytest.mark.parametrize(
    "text",
    [
        REPORT + "لوله Ø½ اینچ و اتصال Ø¾ در انبار است.\n",  # a pipe size and a part number
        REPORT + "نماینده شرکت Ørsted گفت: «Ø» و «Ø» و «Ø» نشانه‌های این طرح است. PIÙ» و Ø±0.1\n",
        REPORT,
        "۱۲۳ ۴۵۶ — 789\n",  # no letter at all: nothing to refuse
        "Governor of Tehran (استاندار تهران) said the budget grows.",  # mixed scripts
    ],
)
def test_persian_text_and_text_without_letters_pass_unchanged(text):
    document = decoded(text)
    assert document.text == text and document.encoding == "utf-8"


def test_mojibake_that_lost_bytes_is_refused_with_the_reason():
    # A strict Windows-1252 reading puts U+FFFD for the bytes it has no character for (some
    # bytes of Persian UTF-8; پ, چ, گ and the ZWNJ of Windows-1256); an encoder, "?".
    for lossy in (REPORT.encode("utf-8").decode("cp1252", errors="replace"),
                  REPORT.encode("utf-8").decode("cp1252", errors="replace").replace("\ufffd", "?"),
                  LEGACY.encode("cp1256").decode("cp1252", errors="replace")):
        with pytest.raises(InputError, match="mojibake: .* bytes were lost"):
            decoded(lossy)
    first, second = REPORT.splitlines(keepends=True)
    with pytest.raises(InputError, match="mojibake: 1 stretches .* cannot be read back"):
        decoded(first + second.encode("utf-8").decode("cp1252", errors="replace"))
    # Windows-1256 read as Windows-1252: the bytes of پ, چ, گ and the ZWNJ, as "?".
    with pytest.raises(InputError, match="mojibake: Windows-1256 .* were lost"):
        decoded(LEGACY.encode("cp1256").decode("cp1252", errors="replace").replace("\ufffd", "?"))


@pytest.mark.parametrize(
    "text",
    [
        "Minutes of the provincial council meeting: the governor said 30 percent of the budget goes to schools.",
        "Ceci n'est pas du persan: été, août, café.",
    ],
)
def test_a_text_without_persian_is_refused(text):
    with pytest.raises(InputError, match="no Persian text: decoded as utf-8"):
        decoded(text)


# Reports of a council meeting as the other languages of the script write them (written by
# the team): the normalizer would fold their letters into Persian's.
OTHER_LANGUAGES = {
    "Arabic": (
        "أعلن محافظ البصرة خلال اجتماع مجلس المحافظة اليوم أن الحكومة المحلية خصصت ثلاثين بالمئة من الموازنة لمشاريع "
        "الإعمار في المناطق المحرومة، وقال إن العمل في مشروع تحلية المياه سينتهي قبل نهاية العام الحالي. وأضاف أن "
        "المجلس قرر تشكيل لجنة لمتابعة تنفيذ هذه المشاريع التي تأخرت بسبب نقص التمويل، مشيرا إلى أن الوزارة وعدت "
        "بإرسال الدفعة الثانية من الأموال خلال الشهر المقبل."
    ),
    "Urdu": (
        "وزیر اعلیٰ پنجاب نے صوبائی کابینہ کے اجلاس میں کہا کہ حکومت نے ترقیاتی بجٹ کا تیس فیصد پسماندہ علاقوں کے لیے "
        "مختص کیا ہے۔ انہوں نے بتایا کہ پانی کی فراہمی کا منصوبہ رواں سال کے آخر تک مکمل ہو جائے گا اور اس کے لیے فنڈز "
        "جاری کر دیے گئے ہیں۔ اجلاس میں فیصلہ کیا گیا کہ ایک کمیٹی ان منصوبوں کی نگرانی کرے گی۔"
    ),
    "Kurdish (Sorani)": (
        "پارێزگاری سلێمانی لە کۆبوونەوەی ئەنجومەنی پارێزگا رایگەیاند کە حکومەتی خۆجێیی سی لە سەدی بودجەی بۆ "
        "پڕۆژەکانی ئاوەدانکردنەوە لە ناوچە هەژارەکان تەرخان کردووە. ئەو گوتی کە پڕۆژەی دابینکردنی ئاو تا کۆتایی "
        "ئەمساڵ تەواو دەبێت. هەروەها ئەنجومەن بڕیاری دا لیژنەیەک پێکبهێنێت بۆ بەدواداچوونی ئەو پڕۆژانەی کە "
        "بەهۆی کەمی پارەوە دواکەوتوون."
    ),
    "Pashto": (
        "د کندهار والي د ولایتي شورا په غونډه کې وویل چې حکومت د پراختیایي بودیجې دېرش سلنه د وروسته پاتې سیمو "
        "لپاره ځانګړې کړې ده. هغه زیاته کړه چې د اوبو رسولو پروژه به د روان کال تر پایه بشپړه شي. په غونډه کې "
        "پرېکړه وشوه چې یو کمېټه به د هغو پروژو څارنه وکړي چې د پیسو د کمښت له امله ځنډېدلې دي."
    ),
}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_text_in_another_language_of_the_script_is_refused_with_its_name(language):
    with pytest.raises(InputError, match=rf"not Persian: it reads as {regex_escape(language)} \(many words such as "):
        decoded(OTHER_LANGUAGES[language])
    # In a file of Windows-1256 (Arabic's own code page), typed with the Persian forms of
    # yeh and kaf, and long (its beginning, middle and end are read): the same.
    if language == "Arabic":
        text = OTHER_LANGUAGES[language]
        with pytest.raises(InputError, match="not Persian: it reads as Arabic"):
            decode_document(text.encode("cp1256"), "report.txt")
        with pytest.raises(InputError, match="not Persian: it reads as Arabic"):
            decoded(text.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی"))
        with pytest.raises(InputError, match="not Persian: it reads as Arabic"):
            decoded("\n".join([text] * 12))


def test_persian_that_quotes_another_language_or_is_too_short_to_tell_is_read():
    arabic = OTHER_LANGUAGES["Arabic"]
    # A long quotation at its beginning or its end: its other parts are Persian.
    for text in (REPORT * 30 + "\n" + arabic * 3, arabic * 3 + "\n" + REPORT * 30):
        assert decoded(text).text == text
    # A line of Arabic (a verse, a greeting) is too short to tell; so is a list of names.
    for text in ("بسم الله الرحمن الرحيم", "حاضران: " + "، ".join(["علی رضایی", "محمد کریمی", "حسن احمدی"] * 10)):
        assert decoded(text).text == text
    # An agenda: times "from ... to" (الی), a verse of the Word of God (کلام الله), names
    # that begin as Arabic's article does; few of Persian's commonest words.
    agenda = "دستور جلسه شورای اداری استان\n" + "".join(
        f"ساعت {h}:۰۰ الی {h}:۳۰ {item}\n" for h, item in enumerate((
            "پذیرش و ثبت‌نام مدعوین", "تلاوت آیاتی از کلام الله مجید", "سخنرانی الهام الهامی مدیرکل",
            "گزارش البرز البرزی معاون استاندار", "گزارش بالا بودن قیمت نهاده‌ها", "جمع‌بندی و پذیرایی",
            "بازدید از طرح آبرسانی", "اعلام مصوبات جلسه"), start=8))
    assert decoded(agenda).text == agenda
    # Persian typed with the Arabic forms, and in presentation forms, is Persian.
    assert decoded(LEGACY * 3).text == LEGACY * 3
    forms = "ﻣﺎ ﻫﺮﻭﻗﺖ ﻫﻤﺪﻳﮕﺮ ﺭﺍ ﻣﻲ‌ﺑﻴﻨﻴﻢ ﺑﺎ ﺧﻮﺷﺮﻭﻳﻲ ﻭ ﻟﺒﺨﻨﺪ ﺑﺎ ﻫﻢ ﻣﻮﺍﺟﻪ ﻣﻲ‌ﺷﻮﻳﻢ. ﺍﺯ ﺗﻌﺎﺭﻓﺎﺕ ﻣﺮﺳﻮﻡ ﻛﻢ ﻧﻤﻲ‌ﮔﺬﺍﺭﻳﻢ. "
    assert decoded(forms * 4).text == forms * 4


def test_no_real_persian_text_of_shared_data_is_taken_for_another_language():
    """Every news article of ../shared (fars-news, semnan-news), and peyma's 10,000 sentences
    of news in groups of eight (and alone, those of 25 words or more)."""
    from conftest import shared_path

    shared_path("data", "peyma")
    from bench.common import SHARED, fars_news_articles, semnan_news
    from extract.inputs import _other_language

    sentences = []
    for part in ("train", "dev", "test"):
        text = (SHARED / "peyma" / f"{part}.txt").read_text(encoding="utf-8")
        sentences += [" ".join(line.split("|")[0] for line in block.splitlines())
                      for block in text.split("\n\n") if block.strip()]
    texts = [*fars_news_articles(), *semnan_news(), *(" ".join(sentences[i:i + 8]) for i in range(0, len(sentences), 8)),
             *(sentence for sentence in sentences if len(sentence.split()) >= 25)]
    assert len(texts) > 8_000
    assert [text[:80] for text in texts if _other_language(text) is not None] == []


def _articles(every: int) -> list[str]:
    from conftest import shared_path

    shared_path("data", "fars-news")
    from bench.common import fars_news_articles

    return [article for n, article in enumerate(fars_news_articles()) if n % every == 0]


def test_real_articles_read_back_exactly_in_every_encoding_and_mojibake():
    """Every third article of ../shared's news, as an archive may hold it: UTF-8, UTF-16 with
    and without a byte order mark, Windows-1256 (where a detector alone gave up on one in
    eight), and mojibake of each, once and twice over."""
    import ftfy.bad_codecs  # noqa: F401

    def same(data: bytes, text: str) -> None:
        document = decode_document(data, "article.txt")
        assert document.text == text, document.encoding

    legacy = 0
    for text in _articles(3):
        utf8 = text.encode("utf-8")
        same(utf8, text)
        same(text.encode("utf-16"), text)
        same(text.encode("utf-16-le"), text)
        once = utf8.decode("sloppy-windows-1252")
        same(once.encode("utf-8"), text)
        same(utf8.decode("cp1256").encode("utf-8"), text)
        same(once.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"), text)
        try:
            cp1256 = text.encode("cp1256")
        except UnicodeEncodeError:  # a character Windows-1256 lacks (Persian digits, ی)
            continue
        legacy += 1
        same(cp1256, text)
        same(cp1256.decode("latin-1").encode("utf-8"), text)
        for lost in (cp1256.decode("cp1252", errors="replace").replace("\ufffd", "?"),
                     cp1256.decode("cp1252", errors="ignore")):
            if len(text) > 1000:  # a short text without پ, چ, گ or a ZWNJ may lose none
                with pytest.raises(InputError, match="mojibake"):
                    decode_document(lost.encode("utf-8"), "article.txt")
    assert legacy > 100


def test_mojibake_of_real_articles_that_lost_bytes_is_refused():
    for text in _articles(15):
        with pytest.raises(InputError, match="mojibake"):
            decoded(text.encode("utf-8").decode("cp1252", errors="ignore"))
