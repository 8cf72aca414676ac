"""Decoding as archives need it: files that went through a program that read them with the
wrong encoding are repaired when that can be undone exactly, refused with a reason when not,
and a text with no Persian in it is refused rather than passed on to find nothing."""

import pytest

from extract.inputs import InputError, decode_document
from extract.pipeline import process

REPORT = (
    "استاندار تهران در جلسه شورای برنامه‌ریزی استان گفت: ۳۰ درصد اعتبارات تا پایان سال به مناطق محروم اختصاص می‌یابد.\n"
    "وی افزود: پروژه‌های گردشگری و کشاورزی باید تا پایان شهریور تکمیل شود.\n"
)
# Windows-1256 has the Arabic ي and ك, and no ZWNJ-free Persian digits: old files were typed so.
LEGACY = REPORT.translate(str.maketrans("یک۰۱۲۳۴۵۶۷۸۹", "يك0123456789")).replace("\u200c", " ")


def decoded(text: str):
    return decode_document(text.encode("utf-8"), "report.txt")


@pytest.mark.parametrize("western, named", [("latin-1", "latin-1"), ("sloppy-windows-1252", "windows-1252")])
def test_utf8_read_as_a_western_code_page_is_repaired_and_the_repair_named(western, named):
    import ftfy.bad_codecs  # noqa: F401

    document = decoded(REPORT.encode("utf-8").decode(western))
    assert document.text == REPORT
    assert document.encoding == f"utf-8 (repaired: UTF-8 read as {named})"
    result = process(document)
    assert result["sentences"][0]["text"].startswith("استاندار تهران")
    assert any(figure["value"] == 30 for figure in result["figures"])


def test_a_report_where_only_a_paragraph_is_mojibake_is_repaired():
    first, second = REPORT.splitlines(keepends=True)
    document = decoded(first + second.encode("utf-8").decode("latin-1"))
    assert document.text == REPORT
    assert document.encoding.startswith("utf-8 (repaired:")


@pytest.mark.parametrize("western", ["latin-1", "sloppy-windows-1252"])
def test_windows_1256_read_as_a_western_code_page_is_repaired(western):
    import ftfy.bad_codecs  # noqa: F401

    document = decoded(LEGACY.encode("cp1256").decode(western))
    assert document.text == LEGACY
    assert document.encoding.startswith("windows-1256 (repaired: it had been read as")
    assert "استاندار تهران" in process(document)["sentences"][0]["text"]


def test_mojibake_that_lost_bytes_is_refused_with_the_reason():
    # Windows-1252 has no character for some bytes of Persian UTF-8: a program drops them.
    with pytest.raises(InputError, match="mojibake: Persian UTF-8 .* cannot be repaired"):
        decoded(REPORT.encode("utf-8").decode("cp1252", errors="ignore"))
    # ... or writes U+FFFD for them: پ, چ, ژ and گ of Windows-1256 are such bytes.
    with pytest.raises(InputError, match="mojibake: Windows-1256 .* characters of it lost"):
        decoded(LEGACY.encode("cp1256").decode("cp1252", errors="replace"))


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


@pytest.mark.parametrize(
    "text",
    [
        REPORT,
        "۱۲۳ ۴۵۶ — 789\n",  # no letter at all: nothing to refuse
        REPORT + "نماینده شرکت Ørsted در نشست گفت: Øresund.\n",  # Ø in a name is no mojibake
        "Governor of Tehran (استاندار تهران) said the budget grows.",  # mixed scripts
    ],
)
def test_persian_text_and_text_without_letters_pass_unchanged(text):
    document = decoded(text)
    assert document.text == text and document.encoding == "utf-8"
