"""Reading documents: bytes to text, with the encoding named, or a clear refusal.

Archives hold UTF-8, UTF-16 (with or without a byte order mark) and Windows-1256 files,
and also things that are no text at all. A document is decoded only when its encoding
is certain; otherwise it is refused with a reason that says what was found.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import regex

# Larger inputs are refused: a report of a meeting is kilobytes, not tens of megabytes.
MAX_BYTES = 20 * 1024 * 1024
ARABIC_SCRIPT = regex.compile(r"[\u0600-\u06ff]")
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
    return Document(text, path, encoding, hashlib.sha256(data).hexdigest(), len(data))


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
