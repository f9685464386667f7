"""Turning the bytes of a text file into text: the encoding is detected, never assumed.

Order of evidence, strongest first: a byte-order mark; UTF-16 without a mark (NUL bytes
in every other position); strict UTF-8 (which almost never decodes anything else by
accident); then charset-normalizer, asked first about the Western European code pages the
project's Spanish and Portuguese documents use, and only then about every code page it
knows. NUL bytes that are not UTF-16, undecodable bytes, or text full of control
characters are binary data, not text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from loaders.readers.layout import normalise_newlines
from loaders.readers.source import SourceFile

BINARY_DATA = "binary data, not text"

_BYTE_ORDER_MARKS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_WESTERN_CODE_PAGES = ["cp1252", "latin_1", "iso8859_15"]
_WESTERN_MAX_CHAOS = 0.1
_SAMPLE_BYTES = 65_536
_MAX_CONTROL_RATIO = 0.01
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with line endings normalised, and the encoding used."""

    text: str
    encoding: str


def decode_text(source: SourceFile) -> DecodedText:
    """Decode a text file's bytes, or raise ReadError("binary data, not text")."""
    data = source.data
    text, encoding = _decode_with_bom(data) or _decode_without_bom(source)
    if _looks_binary(text):
        raise source.error(BINARY_DATA)
    return DecodedText(text=normalise_newlines(text), encoding=encoding)


def _decode_with_bom(data: bytes) -> tuple[str, str] | None:
    for mark, codec, name in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(codec), name
            except UnicodeDecodeError:
                return None
    return None


def _decode_without_bom(source: SourceFile) -> tuple[str, str]:
    data = source.data
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise source.error(BINARY_DATA)
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise source.error(BINARY_DATA) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = from_bytes(data, cp_isolation=_WESTERN_CODE_PAGES, threshold=_WESTERN_MAX_CHAOS).best()
    if match is None:
        match = from_bytes(data).best()
    if match is None:
        raise source.error(BINARY_DATA)
    return str(match), match.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 codec when NULs sit in one byte position of each pair, else None."""
    sample = data[:_SAMPLE_BYTES]
    if len(sample) % 2:
        sample = sample[:-1]
    if not sample:
        return None
    pairs = len(sample) // 2
    nul_even = sample[0::2].count(0) / pairs
    nul_odd = sample[1::2].count(0) / pairs
    if nul_odd > 0.3 and nul_even < 0.01:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.01:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    """True when the text holds NULs or more than 1 % of other control characters."""
    if "\x00" in text:
        return True
    controls = sum(1 for _ in _CONTROL_CHARACTERS.finditer(text))
    return controls > _MAX_CONTROL_RATIO * max(len(text), 1)
