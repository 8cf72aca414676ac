"""Reading documents: bytes to text, with the encoding named, or a clear refusal.

Archives hold UTF-8, UTF-16 (with or without a byte order mark) and Windows-1256 files,
and also things that are no text at all. A document is decoded only when its encoding
is certain; otherwise it is refused with a reason that says what was found.

Files also come through programs that read them with the wrong encoding and saved what
they showed: Persian UTF-8 read as Latin-1 or Windows-1252 ("Ø§Ø³ØªØ§ÙØ¯Ø§Ø±"),
Windows-1256 read as Windows-1252 ("ÇÓÊÇäÏÇÑ"). Such mojibake is repaired when it can be
undone exactly (by ftfy for UTF-8, which also mends a text where only parts went wrong),
and the encoding then names the repair; a text whose letters are not Persian after that
is refused, since the pipeline would find nothing in it and say nothing of why.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import regex

# Larger inputs are refused: a report of a meeting is kilobytes, not tens of megabytes.
MAX_BYTES = 20 * 1024 * 1024
ARABIC_SCRIPT = regex.compile(r"[\u0600-\u06ff]")
# A letter of the Arabic script, which Persian is written in (presentation forms included).
ARABIC_LETTER = regex.compile(r"(?V1)[\p{Script=Arabic}&&\p{L}]")
# A letter of Arabic script in UTF-8 read as Latin-1 or Windows-1252: its lead byte (D8-DB)
# shows as Ø, Ù, Ú or Û, its second byte (80-BF) as a C1 control, a Latin-1 sign or what
# Windows-1252 puts at 80-9F. Persian text never holds the pair; the standard ``re``, as
# every document is searched.
UTF8_MOJIBAKE = re.compile(
    "[\u00d8-\u00db][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
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
    return Document(text, path, encoding, hashlib.sha256(data).hexdigest(), len(data))


def _in_persian(text: str, encoding: str, source: str) -> tuple[str, str]:
    """The text with its mojibake repaired, and its encoding naming the repair; InputError
    for mojibake that cannot be undone and for a text with letters but no Persian ones."""
    if UTF8_MOJIBAKE.search(text):
        text, encoding = _repair_utf8_read_as_western(text, encoding, source)
    if ARABIC_LETTER.search(text):  # a Persian text: found at its first letters
        return text, encoding
    repaired = _windows_1256_read_as_western(text, encoding, source)
    if repaired is not None:
        return repaired
    if any(character.isalpha() for character in text):
        raise InputError(source, f"no Persian text: decoded as {encoding}, it has letters, none of them Persian "
                                 f"(it begins {' '.join(text.split()[:6])[:60]!r})")
    return text, encoding


def _repair_utf8_read_as_western(text: str, encoding: str, source: str) -> tuple[str, str]:
    import ftfy

    fixed, steps = ftfy.fix_encoding_and_explain(text)
    if steps:
        western = next((name for operation, name in steps if operation == "encode"), None)
        western = western.removeprefix("sloppy-") if western else "Latin-1 or Windows-1252, in parts"
        how = f"UTF-8 read as {western}"
        text, encoding = fixed, f"{encoding} (repaired: {how})"
    left = UTF8_MOJIBAKE.findall(text)
    # A few pairs may be a name's letters; more are Persian that cannot be recovered (a byte
    # that Windows-1252 has no character for was lost when it was saved).
    if len(left) >= 3:
        raise InputError(source, f"mojibake: Persian UTF-8 that was read as Latin-1 or Windows-1252 and saved "
                                 f"(such as {''.join(left[:4])!r}), and {len(left):,} letters of it cannot be "
                                 "repaired; convert the original file again, reading it as UTF-8")
    return text, encoding


def _windows_1256_read_as_western(text: str, encoding: str, source: str) -> tuple[str, str] | None:
    """A Windows-1256 text that was read as Latin-1 or Windows-1252 and saved: its bytes
    again, read as Windows-1256, with the encoding naming the repair; None unless most
    letters then are Persian (a French or English text keeps its letters: Windows-1256 has
    them)."""
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252"

    # A "\ufffd" stands where a program met a byte it had no character for: that byte is
    # lost (and the sloppy codec would write it as a control character).
    if "\ufffd" not in text:
        # "sloppy": Windows-1252 with the five bytes it leaves undefined read as C1 controls,
        # as many programs read them (Windows-1256 puts پ, چ, ژ and گ there).
        # Both read most bytes alike: a text that Latin-1 writes back may have been either.
        for western, name in (("latin-1", "latin-1 or windows-1252"), ("sloppy-windows-1252", "windows-1252")):
            try:
                fixed = text.encode(western).decode("windows-1256")
            except UnicodeEncodeError:
                continue
            if not _mostly_persian(fixed):
                return None
            return fixed, f"windows-1256 (repaired: it had been read as {name} and saved as {encoding})"
    if _mostly_persian(text.encode("sloppy-windows-1252", errors="replace").decode("windows-1256")):
        lost = text.count("\ufffd") + len(text) - len(text.encode("sloppy-windows-1252", errors="ignore"))
        raise InputError(source, f"mojibake: Windows-1256 text that was read as Windows-1252 and saved as {encoding}, "
                                 f"{lost:,} characters of it lost then; convert the original file again, reading it "
                                 "as Windows-1256")
    return None


def _mostly_persian(text: str) -> bool:
    letters = sum(1 for character in text if character.isalpha())
    return letters > 0 and len(ARABIC_LETTER.findall(text)) > letters / 2


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
        readable = sum(1 for c in sample if c.isascii() and (c.isprintable() or c.isspace()) or ARABIC_SCRIPT.match(c) or c in "\u200c«»")
        if sample and readable / len(sample) > 0.9:
            return encoding
    return None


def _legacy(data: bytes, source: str) -> tuple[str, str]:
    """A file that is not UTF-8: Windows-1256 (Arabic-script Windows) when certain."""
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
