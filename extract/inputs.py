"""Reading documents: bytes to text, with the encoding named, or a clear refusal.

Archives hold UTF-8, UTF-16 (with or without a byte order mark) and Windows-1256 files,
and also things that are no text at all. A document is decoded only when its encoding
is certain; otherwise it is refused with a reason that says what was found.

Files also come through programs that read them with the wrong encoding and saved what
they showed (mojibake): Persian UTF-8 read as Latin-1 or Windows-1252 ("Ø§Ø³ØªØ§Ù†Ø¯Ø§Ø±"),
sometimes twice over, UTF-8 read as Windows-1256 ("ط§ط³طھط§ظ†ط¯ط§ط±", as Iranian systems
show it), or Windows-1256 read as Windows-1252 ("ÇÓÊÇäÏÇÑ"). Such a text is read back when
its bytes can be recovered exactly and give Persian (for Windows-1256, Persian words of
hazm's lexicon, since any bytes give its letters); in a Persian text, each stretch of two
letters or more that went through such a reading is read back so. The encoding then names
the repair. Mojibake that lost bytes (a '?' or '\ufffd' put for each) is refused, as is a
text with letters and no Persian one: the pipeline would find nothing in it and not say
why. So is a text in another language of the script (Arabic, Urdu, Kurdish, Pashto), whose
letters the normalizer would fold into Persian's: one whose every part read has many of
that language's commonest words and few of Persian's. A pair of such characters alone in
a Persian text ("Ø½" of a pipe's size) is left.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

# Larger inputs are refused: a report of a meeting is kilobytes, not tens of megabytes.
MAX_BYTES = 20 * 1024 * 1024
ARABIC_SCRIPT = regex.compile(r"[\u0600-\u06ff]")
# A letter of the Arabic script, which Persian is written in (presentation forms included).
ARABIC_LETTER = regex.compile(r"(?V1)[\p{Script=Arabic}&&\p{L}]")
# What a continuation byte of UTF-8 (80-BF) shows as, read as Latin-1 or Windows-1252: a C1
# control, a Latin-1 sign, or what Windows-1252 puts at 80-9F.
_CONTINUATION_SHOWN = ("\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                       "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")
# A letter of Arabic script in UTF-8 read so: its lead byte (D8-DB) shows as Ø, Ù, Ú or Û.
# Persian text never holds the pair; the standard ``re``, as every document is searched.
UTF8_MOJIBAKE = re.compile(f"[\u00d8-\u00db][{_CONTINUATION_SHOWN}]")
CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HTML = regex.compile(r"\A\s*(?:<!doctype html|<html|<\?xml)|<(?:p|div|br|span|body|head)\b[^>]*>", regex.I)


class InputError(ValueError):
    """A document that cannot be read as text; the message says why."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    path: str | None
    encoding: str
    sha256: str
    size: int


def read_document(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read and decode one file; raise :class:`InputError` when it is not a text document."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if path.is_dir():
        raise InputError(name, "is a directory, not a file (use `minutes batch` for folders)")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(name, f"too large: {size:,} bytes (the limit is {max_bytes:,})")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(name, f"cannot be read: {error.strerror or error}") from None
    return decode_document(data, name, path=name, max_bytes=max_bytes)


def decode_document(data: bytes, source: str, *, path: str | None = None, max_bytes: int = MAX_BYTES) -> Document:
    if len(data) > max_bytes:
        raise InputError(source, f"too large: {len(data):,} bytes (the limit is {max_bytes:,})")
    text, encoding = decode(data, source)
    if not text.strip():
        raise InputError(source, "empty: no text to read")
    if HTML.search(text[:4096]):
        raise InputError(source, "is HTML, not plain text: extract its text first (for example with `html2text`)")
    text, encoding = _in_persian(text, encoding, source)
    language = _other_language(text)
    if language is not None:
        name, examples = language
        raise InputError(source, f"not Persian: it reads as {name} (many words such as {'، '.join(examples)}, few "
                                 "of Persian's commonest); the pipeline reads Persian only")
    return Document(text, path, encoding, hashlib.sha256(data).hexdigest(), len(data))


def _in_persian(text: str, encoding: str, source: str) -> tuple[str, str]:
    """The text with its mojibake undone, and its encoding naming the repair; InputError for
    mojibake that cannot be undone and for a text with letters but no Persian ones."""
    if ARABIC_LETTER.search(text):  # Persian, or UTF-8 read as Windows-1256: found at its first letters
        if UTF8_MOJIBAKE.search(text):  # a rare pair; most often nothing to mend
            text, encoding = _mend(text, encoding, source, _READ_AS_WESTERN)
        if _UTF8_AS_1256.search(text):
            text, encoding = _mend(text, encoding, source, _READ_AS_1256)
        return text, encoding
    undone = _undo_mojibake(text)
    if undone is not None:
        persian, original, times = undone
        if original == "windows-1256" and _lost_in_windows_1252(persian):
            raise InputError(source, f"mojibake: Windows-1256 text that was read as Windows-1252 and saved as {encoding}; "
                                     "the bytes of پ, چ, گ and the ZWNJ were lost then (a '?' stands for each, or "
                                     "nothing), so it cannot be read back: convert the original file again, reading it "
                                     "as Windows-1256")
        return persian, (f"{original} (repaired: it had been read as Latin-1 or Windows-1252 and saved as {encoding}"
                         f"{', twice over' if times > 1 else ''})")
    if ("\ufffd" in text or "?" in text or len(UTF8_MOJIBAKE.findall(text, 0, 65536)) >= 3) and _lost_in_mojibake(text):
        raise InputError(source, f"mojibake: Persian text that was read with a Western encoding and saved as {encoding}; "
                                 "bytes were lost then (a '?' or '\ufffd' stands for each, or nothing), so it cannot be "
                                 "read back: convert the original file again, reading it as UTF-8 (or Windows-1256)")
    if any(character.isalpha() for character in text):
        raise InputError(source, f"no Persian text: decoded as {encoding}, it has letters, none of them Persian "
                                 f"(it begins {' '.join(text.split()[:6])[:60]!r})")
    return text, encoding


# Both Western readings undone: Latin-1 (bytes 80-9F as C1 controls) and Windows-1252,
# "sloppy" as many programs read it (its five undefined bytes as C1 controls; Windows-1256
# puts پ, چ, گ and the ZWNJ there). The ftfy package defines the second.
_WESTERN = ("latin-1", "sloppy-windows-1252")


def _western_bytes(text: str) -> bytes | None:
    """The bytes that a Western reading turned into ``text``; None when no reading did (a
    '\ufffd' put for a byte that it had no character for: that byte is lost)."""
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252"

    if "\ufffd" in text:  # the sloppy codec would write it as a control character
        return None
    for western in _WESTERN:
        try:
            return text.encode(western)
        except UnicodeEncodeError:
            continue
    return None


def _windows_1256_bytes(text: str) -> bytes | None:
    try:
        return text.encode("windows-1256")
    except UnicodeEncodeError:  # a character Windows-1256 has not (ی, Persian digits): no reading of it
        return None


def _undo_mojibake(text: str) -> tuple[str, str, int] | None:
    """A text with no Persian letter that is Persian read with a Western encoding and saved
    (once, or twice over): the Persian text, its encoding ("utf-8" or "windows-1256") and
    the times it was read so; None unless the result is Persian. Exact: every byte is read
    back, or nothing is."""
    for times in range(1, 4):  # UTF-8 read as Western and saved, then read so again
        raw = _western_bytes(text)
        if raw is None:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # not UTF-8: Windows-1256, if anything
            # Any bytes read as Windows-1256 give its letters: Persian words tell.
            persian = raw.decode("windows-1256")
            return (persian, "windows-1256", times) if _persian_letters(persian) and _persian_words(persian) else None
        if ARABIC_SCRIPT.search(text):
            # Bytes that read as UTF-8 at all are UTF-8: a Western text almost never does.
            persian = text.removeprefix("\ufeff")  # a byte order mark read as "ï»¿"
            return (persian, "utf-8", times) if _persian_letters(persian) else None
    return None


_QUESTION_IN_WORD = regex.compile(r"(?V1)[\p{Script=Arabic}&&\p{L}]\?|\?[\p{Script=Arabic}&&\p{L}]")


def _lost_in_windows_1252(persian: str) -> bool:
    """Whether Windows-1256 text read back from a Windows-1252 reading lost the bytes that
    Windows-1252 leaves undefined (پ, چ, گ, the ZWNJ): a '?' inside a word, or a long
    text without one of them (گ alone is in most sentences)."""
    if _QUESTION_IN_WORD.search(persian):
        return True
    return len(ARABIC_LETTER.findall(persian, 0, 4000)) >= 300 and not any(c in persian for c in "پچگ\u200c")


def _lost_in_mojibake(text: str) -> bool:
    """Whether the text is Persian that a Western reading turned into mojibake, losing bytes
    on the way: read back as well as it can be, it is Persian words, with holes."""
    import ftfy.bad_codecs  # noqa: F401

    raw = text.encode("sloppy-windows-1252", errors="replace")
    if _persian_letters(raw.decode("utf-8", errors="replace")):
        return True
    persian = raw.decode("windows-1256")
    return _persian_letters(persian) and _persian_words(persian)


def _utf8_shown_as(encoding: str) -> tuple[str, str, str, str]:
    """What UTF-8's bytes show as in a one-byte encoding, as classes of ``re``: lead bytes of
    two-, three- and four-byte characters, and continuation bytes."""
    def shown(first: int, last: int) -> str:
        return "[" + re.escape(bytes(range(first, last + 1)).decode(encoding, errors="ignore")) + "]"

    return shown(0xC2, 0xDF), shown(0xE0, 0xEF), shown(0xF0, 0xF4), shown(0x80, 0xBF)


@dataclass(frozen=True)
class _Reading:
    """A wrong reading of UTF-8 that a stretch of text may have gone through."""

    name: str
    run: re.Pattern  # a stretch of characters it made, with the ASCII it kept between them
    to_bytes: Callable[[str], bytes | None]


def _reading(name: str, encoding: str, to_bytes: Callable[[str], bytes | None], lost: str = "") -> _Reading:
    # Each character it made: a lead and its continuations (here with the '\ufffd' or '?'
    # that a reading may put for a byte it lost); ASCII between them is as it was.
    lead2, lead3, lead4, continuation = _utf8_shown_as(encoding)
    continuation = continuation[:-1] + lost + "]"
    character = f"(?:{lead2}{continuation}|{lead3}{continuation}{{2}}|{lead4}{continuation}{{3}})"
    between = "[\\x20-\\x7e\\s]*"
    return _Reading(name, re.compile(f"{character}(?:{between}{character})+"), to_bytes)


_READ_AS_WESTERN = _reading("Latin-1 or Windows-1252", "latin-1", _western_bytes, lost="\ufffd?" + _CONTINUATION_SHOWN)
_READ_AS_1256 = _reading("Windows-1256", "windows-1256", _windows_1256_bytes)
# UTF-8 of three Persian letters in a row read as Windows-1256 (the mojibake of Iranian
# systems, "ط¯ط³طھ"): each letter's lead byte D8-DB shows as ط, ظ, ع or غ.
_UTF8_AS_1256 = re.compile("(?:[طظعغ]" + _utf8_shown_as("windows-1256")[3] + "){3}")


def _mend(text: str, encoding: str, source: str, reading: _Reading) -> tuple[str, str]:
    """A Persian text where some stretches went through a wrong reading of UTF-8 (or all of
    it did): each stretch of two Persian letters or more read back, where that gives
    Persian exactly. A pair alone ("Ø½" of a pipe's size, «Ø», "عک" of a word) and stretches
    that read back as no Persian are left as they are."""
    pieces, end, mended, lost = [], 0, 0, 0
    for run in reading.run.finditer(text):
        stretch = run.group()
        raw = reading.to_bytes(stretch)
        try:
            persian = raw.decode("utf-8") if raw is not None else None
        except UnicodeDecodeError:
            persian = None
        if persian is None:
            # A byte lost ('\ufffd', '?') where the stretch holds two mojibake letters: no
            # exact reading back. (Otherwise, most often, Persian that only looks so.)
            lost += reading is _READ_AS_WESTERN and len(UTF8_MOJIBAKE.findall(stretch)) >= 2
        elif len(persian) < len(stretch) and _persian_letters(persian):
            pieces += (text[end : run.start()], persian)
            end = run.end()
            mended += 1
    if lost:
        raise InputError(source, f"mojibake: {lost:,} stretches of this Persian text went through a wrong reading of UTF-8 "
                                 "and bytes were lost then, so they cannot be read back; convert the original file "
                                 "again, reading it as UTF-8")
    if not mended:
        return text, encoding
    kept = "".join(pieces[0::2]) + text[end:]  # what no stretch took
    pieces.append(text[end:])
    if kept.isascii():  # all of it went through that reading
        return "".join(pieces), f"{encoding} (repaired: it had been read as {reading.name} and saved as {encoding})"
    return "".join(pieces), f"{encoding} (repaired: {mended:,} stretches had been read as {reading.name})"


_ARABIC_WORD = regex.compile(r"(?V1)[[\p{Script=Arabic}&&\p{L}]\p{Mn}\u200c]+")
# Tatweel and diacritics, which hazm's words have none of.
_MARKS = str.maketrans("", "", "\u0640" + "".join(map(chr, range(0x064B, 0x0660))) + "\u0670")


def _persian_letters(text: str) -> bool:
    """Whether the text reads as Persian: letters of the Arabic script, nearly all of them
    Persian's, and few other letters beyond ASCII (or, with no letter, digits and marks
    of the script). Mojibake read back by a wrong guess gives rare letters of the script
    ("ؽ ؾ" of "Ø½ Ø¾") or Latin-1 ones. Presentation forms count as their letters."""
    from .normalize import PERSIAN_LETTERS

    text = unicodedata.normalize("NFKC", text)
    arabic = ARABIC_LETTER.findall(text)
    others = sum(1 for character in text if character.isalpha() and not character.isascii()) - len(arabic)
    if not arabic:
        return others == 0 and ARABIC_SCRIPT.search(text) is not None
    # The Persian alphabet, and the Arabic forms that older files and quotations hold.
    alphabet = PERSIAN_LETTERS + "يكةى"
    persian = sum(1 for character in arabic if character in alphabet)
    return others <= len(arabic) / 10 and persian >= 0.9 * len(arabic)


def _persian_words(text: str) -> bool:
    """Whether at least half the words of the text are Persian words (hazm's lexicon of
    190,000): bytes read by a wrong guess give letters, seldom words."""
    from .normalize import TRANSLATION, hazm_words

    known = hazm_words()
    # Letters as the normalizer writes them (Arabic forms, presentation forms).
    words = [word.translate(TRANSLATION).translate(_MARKS) for word in _ARABIC_WORD.findall(text)]
    found = sum(1 for word in words if word in known or word.replace("\u200c", "") in known)
    return bool(words) and found >= len(words) / 2


# A part of the text read for its language: its beginning, its middle and its end, so that a
# Persian report that quotes a verse or a statement of another language is still Persian.
_LANGUAGE_SAMPLE = 1500
# Fewer words than this tell no language apart.
_LANGUAGE_WORDS = 25
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# Arabic's article at a word's start ("الوزارة", "والمجلس", "بالمدينة", "للحكومة").
_ARABIC_ARTICLE = ("ال", "وال", "بال", "لل")


def _both_forms(word: str) -> set[str]:
    """A word as written with Persian's yeh and kaf and with Arabic's (Persian is also typed
    with the Arabic forms, "اين كه", and Arabic with the Persian ones)."""
    persian = word.replace("ي", "ی").replace("ى", "ی").replace("ك", "ک")
    arabic = persian.replace("ی", "ي").replace("ک", "ك")
    return {word, persian, arabic, arabic[:-1] + "ى" if arabic.endswith("ي") else arabic}


@cache
def _language_words() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Persian's commonest words, and those of each other language (lexicons/languages.tsv)."""
    lines = (Path(__file__).with_name("lexicons") / "languages.tsv").read_text(encoding="utf-8").splitlines()
    languages = {name: frozenset(form for word in words.split() for form in _both_forms(word))
                 for name, words in (line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#"))}
    return languages.pop("Persian"), languages


@cache
def _script_word() -> re.Pattern:
    # A word of the script's letters and marks (with ZWNJ), in re: the text's other words and
    # its digits are not counted. re reads it several times faster than regex.
    from .normalize import re_class

    return re.compile(f"[{re_class(r'(?V1)[[\p{Script=Arabic}&&\p{L}]\p{Mn}]')}\u200c]+")


def _other_language(text: str) -> tuple[str, list[str]] | None:
    """The language other than Persian that the text is written in, with some of its words,
    when each part read (see _LANGUAGE_SAMPLE) that has words enough has fewer than one word
    in ten of Persian's commonest (Persian news: about one in five, rarely under one in
    nine), at least one in ten of the other language's, and three times as many of these as
    of Persian's; None for Persian, and for a text too short or with too few such words to
    tell. The other languages of the script (Arabic, Urdu, Kurdish, Pashto) have letters that
    the normalizer folds into Persian's: the pipeline would read such a text as Persian and
    find nothing true in it."""
    if len(text) <= 3 * _LANGUAGE_SAMPLE:
        parts = [text]
    else:
        middle = (len(text) - _LANGUAGE_SAMPLE) // 2
        parts = [text[:_LANGUAGE_SAMPLE], text[middle:middle + _LANGUAGE_SAMPLE], text[-_LANGUAGE_SAMPLE:]]
    persian, others = _language_words()
    verdict = None
    for part in parts:
        continuous = part.count("می\u200c")  # and نمی‌
        # Persian's words are written apart: most often its commonest are found among the
        # part's pieces between spaces, several times faster than among its words.
        pieces = part.split()
        if len(pieces) >= _LANGUAGE_WORDS and sum(map(persian.__contains__, pieces)) + continuous >= len(pieces) / 10:
            return None
        if _PRESENTATION_FORMS.search(part):
            part = unicodedata.normalize("NFKC", part)
            continuous = part.count("می\u200c")
        words = _script_word().findall(part)
        if len(words) < _LANGUAGE_WORDS:
            continue
        persian_words = sum(map(persian.__contains__, words)) + continuous
        if persian_words >= len(words) / 10:
            return None
        found = {name: [word for word in words if word in lexicon] for name, lexicon in others.items()}
        # Arabic's article counts once its commonest words are there: Persian has words
        # that begin so too ("البته", "آیت‌الله", "بالا", "الهام").
        if len(found["Arabic"]) >= len(words) / 40:
            found["Arabic"] += [word for word in words if word.startswith(_ARABIC_ARTICLE) and word not in others["Arabic"]]
        name = max(found, key=lambda language: len(found[language]))
        if len(found[name]) < len(words) / 10 or persian_words > len(found[name]) / 3:
            return None  # no language told apart
        if verdict is None:
            verdict = (name, [word for word, _ in Counter(found[name]).most_common(3)])
    return verdict


def decode(data: bytes, source: str) -> tuple[str, str]:
    """The text and the encoding it was written in; InputError when not certain."""
    if not data:
        raise InputError(source, "empty: the file has no bytes")
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), source, encoding), encoding
            except UnicodeDecodeError as error:
                raise InputError(source, f"starts with a {encoding} byte order mark but is not valid {encoding} ({error.reason} at byte {error.start})") from None
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(source, "binary file: it contains NUL bytes and is not UTF-16 text")
        return _checked(data.decode(encoding), source, encoding), encoding
    try:
        return _checked(data.decode("utf-8"), source, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text, encoding = _legacy(data, source)
    return _checked(text, source, encoding), encoding


def _checked(text: str, source: str, encoding: str) -> str:
    controls = len(CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise InputError(source, f"binary file: decoded as {encoding} it is full of control characters")
    return text


# Characters of Persian text beyond ASCII: the Arabic block, its presentation forms (which
# text copied from old PDFs holds), general punctuation (ZWNJ, dashes, quotes), and the
# Latin-1 signs and letters of names and « ».
_PERSIAN_BLOCK = re.compile("[\u00a0-\u00ff\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufefe\u2000-\u206f]")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: NULs fall on one side of each pair for ASCII and on
    neither for Arabic script; accept only when decoding gives mostly letters and spaces."""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:4096]
        # Readable means Persian or Latin text: random bytes decode to CJK letters too.
        readable = sum(1 for c in sample if c.isascii() and (c.isprintable() or c.isspace()) or _PERSIAN_BLOCK.match(c))
        if sample and readable / len(sample) > 0.9:
            return encoding
    return None


def _legacy(data: bytes, source: str) -> tuple[str, str]:
    """A file that is not UTF-8: Windows-1256 (Arabic-script Windows) when certain."""
    # Windows-1256 reads any bytes, so its text must be Persian words; a detector alone
    # gave up on one Windows-1256 article of eight (no guess at all).
    text = data.decode("windows-1256")
    if _persian_letters(text) and _persian_words(text):
        return text, "windows-1256"
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1256", "cp1252", "iso8859_6", "cp720"]).best()
    if best is None:
        raise InputError(source, "unknown encoding: not UTF-8, UTF-16 or Windows-1256")
    text = str(best)
    letters = [c for c in text if c.isalpha()]
    arabic = sum(1 for c in letters if ARABIC_SCRIPT.match(c))
    if best.encoding in ("cp1256", "iso8859_6", "cp720") and letters and arabic / len(letters) > 0.5:
        # iso8859_6 and cp720 are rarer in Iranian archives; prefer cp1256 if it decodes.
        try:
            return data.decode("cp1256"), "windows-1256"
        except UnicodeDecodeError:
            return text, best.encoding
    raise InputError(
        source,
        f"uncertain encoding: not UTF-8; the best guess is {best.encoding}, which gives no Persian text; "
        "convert the file to UTF-8",
    )
