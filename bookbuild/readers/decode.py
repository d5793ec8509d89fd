"""Turn a manuscript's bytes into clean text: detect the encoding, repair mojibake, normalise."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from bookbuild.errors import InputError

# XML 1.0 forbids these; a manuscript that carries them would make every XHTML file invalid.
_FORBIDDEN_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ZERO_WIDTH = re.compile("[\u200b\ufeff]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class DecodedText:
    """Decoded text plus the notes the reader should report."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) * 0.1


def _detect(data: bytes) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding not in ("utf_8",):
        return best.encoding
    return "cp1252"


def decode_manuscript(data: bytes, name: str) -> DecodedText:
    """Decoded, NFC-normalised text with LF line endings; binary input is refused."""
    if not data.strip():
        raise InputError(f"{name} is empty")
    if not any(data.startswith(bom) for bom, _ in _BOMS) and _looks_binary(data):
        raise InputError(f"{name} looks like a binary file, not a manuscript")
    encoding = _detect(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
    result = DecodedText(text="", encoding=encoding)
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        result.warnings.append(f"decoded {name} as {encoding}")

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _repair_mojibake(text, result)
    cleaned = _FORBIDDEN_CONTROLS.sub("", text)
    if len(cleaned) != len(text):
        result.warnings.append(
            f"removed {len(text) - len(cleaned)} control character(s) that XML forbids"
        )
    text = _ZERO_WIDTH.sub("", cleaned).replace("\t", "    ")
    result.text = unicodedata.normalize("NFC", text)
    if not result.text.strip():
        raise InputError(f"{name} has no text")
    return result


def _repair_mojibake(text: str, result: DecodedText) -> str:
    # ftfy is only asked when text shows the telltale sequences, since it is slow on big books.
    if not re.search("[ÂÃâ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6-\u02dc]", text):
        return text
    import ftfy

    fixed = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization="NFC",
        unescape_html=False,
    )
    if fixed != text:
        result.warnings.append("repaired mojibake (text decoded with the wrong encoding)")
    return fixed
