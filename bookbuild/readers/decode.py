"""Turn a manuscript's bytes into clean text: detect the encoding, repair mojibake, normalise."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from bookbuild.config import UNWANTED_CHARACTERS as _UNWANTED
from bookbuild.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Files people mistake for manuscripts, by their first bytes, with what to do instead.
_SIGNATURES = (
    (b"PK\x03\x04", "a zip archive (a .docx, .odt or .epub?)"),
    (b"%PDF", "a PDF"),
    (b"\xd0\xcf\x11\xe0", "a Word 97-2003 document (.doc)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a binary program"),
)
_SAVE_AS = "save it as plain text (.txt) or Markdown (.md)"

# Line and paragraph separators other than LF: Word exports a manual line break as VT and a
# page break as FF, which XML forbids, so they become the breaks they stand for.
_SEPARATORS = str.maketrans({"\u2028": "\n", "\x0b": "\n", "\u0085": "\n", "\u2029": "\n\n", "\x0c": "\n\n"})

# Zero-width spaces and stray byte-order marks only hide word boundaries; joiners (U+200C,
# U+200D, U+2060) carry meaning in scripts and emoji and stay.
_ZERO_WIDTH = re.compile("[\u200b\ufeff]")

# A UTF-8 lead byte read as Windows-1252 or Latin-1, followed by a continuation byte read the
# same way: the telltale of mojibake such as "donâ€™t". Only lines showing it go to ftfy.
_CONTINUATION = "".join(
    sorted(set(bytes(range(0x80, 0xC0)).decode("latin-1") + bytes(range(0x80, 0xC0)).decode("cp1252", "ignore")))
)
_MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]")

# Well-formed UTF-8 sequences; \xed\xa0-\xbf would be a surrogate (CESU-8), which UTF-8 forbids.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _undefined_as_latin1(error: UnicodeDecodeError) -> tuple[str, int]:
    # The five bytes Windows-1252 leaves undefined become C1 controls, removed with a warning.
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _stray_bytes_as_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    return _single_byte(error.object[error.start : error.end]), error.end


def _single_byte(raw: bytes) -> str:
    """Windows-1252 for the bytes it defines, Latin-1 for the rest."""
    return raw.decode("cp1252", errors="bookbuild-latin1")


codecs.register_error("bookbuild-latin1", _undefined_as_latin1)
codecs.register_error("bookbuild-cp1252", _stray_bytes_as_cp1252)


class EmptyManuscript(InputError):
    """The file holds no text at all."""


@dataclass
class DecodedText:
    """Decoded text plus the warnings the reader should report, each a (code, message) pair."""

    text: str
    encoding: str
    warnings: list[tuple[str, str]] = field(default_factory=list)


def refuse_non_text(data: bytes, name: str) -> None:
    """Raise a one-line InputError for an empty file, a known document format or binary data."""
    if not data.strip(b" \t\r\n\x00\x0b\x0c") or data in (bom for bom, _ in _BOMS):
        raise EmptyManuscript(f"{name} is empty")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{name} is {kind}, not a text manuscript: {_SAVE_AS}")
    if any(data.startswith(bom) for bom, _ in _BOMS) or _wide_without_bom(data):
        return
    sample = data[:65536]
    # NUL included; the ESC of a terminal colour code (ESC [) is text pasted from a terminal.
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32) - sample.count(b"\x1b[")
    # A few stray controls or NULs are a damaged manuscript (removed with a warning); a real
    # share of them (over 5 %, and more than two) is binary data.
    if controls > max(2, len(sample) * 0.05):
        raise InputError(f"{name} looks like a binary file, not a manuscript: {_SAVE_AS}")


def _without_nul_padding(data: bytes) -> tuple[bytes, int]:
    """The bytes without the run of NULs a crash or a failed save can leave at a file's end.

    Text with NULs anywhere else is refused as binary; UTF-16 and UTF-32 keep theirs (their
    last character's own zero bytes are part of it).
    """
    stripped = data.rstrip(b"\x00")
    if len(stripped) == len(data) or not stripped.strip() or any(data.startswith(bom) for bom, _ in _BOMS):
        return data, 0
    if _wide_without_bom(data) or _utf16_without_bom(stripped + b"\x00" * (len(stripped) % 2)):
        return data, 0
    return stripped, len(data) - len(stripped)


def _stray_nuls(data: bytes) -> int:
    """How many NUL bytes sit in single-byte or UTF-8 text (where they are never text), else 0."""
    if any(data.startswith(bom) for bom, _ in _BOMS) or _wide_without_bom(data):
        return 0  # their NULs are parts of characters
    return data.count(b"\x00")


def _utf32_without_bom(data: bytes) -> str | None:
    """'utf-32-le' or 'utf-32-be' when two bytes of every four are (nearly) all NUL, as in UTF-32.

    A code point's highest byte is always zero and the next one is zero below U+10000 (all but
    emoji and rare scripts); its lowest byte is rarely zero in text.
    """
    # Whole characters only: a file cut short by a byte or three is still UTF-32 (the tail is
    # shown as U+FFFD with a warning).
    sample = data[: min(len(data), 4096) // 4 * 4]
    if len(sample) < 8:
        return None
    quarter = len(sample) / 4
    nul = [sample[k::4].count(0) / quarter for k in range(4)]
    if nul[3] > 0.98 and nul[2] > 0.9 and nul[0] < 0.05:
        return "utf-32-le"
    if nul[0] > 0.98 and nul[1] > 0.9 and nul[3] < 0.05:
        return "utf-32-be"
    return None


def _wide_without_bom(data: bytes) -> str | None:
    """The UTF-32 or UTF-16 variant of text saved without a byte-order mark, or None."""
    return _utf32_without_bom(data) or _utf16_without_bom(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is NUL, as in UTF-16 text without a BOM."""
    sample = data[: min(len(data), 4096) // 2 * 2]  # an odd last byte: a file cut short
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _looks_western(text: str) -> bool:
    """Whether single-byte text read as Windows-1252 reads like a Western language.

    Western prose has few non-ASCII letters among many ASCII ones; Cyrillic or Greek read as
    Windows-1252 turns nearly every letter into an accented Latin one, and more than a stray C1
    control means the bytes were not Windows-1252 at all.
    """
    letters = sum(1 for ch in text if ch.isalpha())
    foreign = sum(1 for ch in text if ord(ch) > 127 and ch.isalpha())
    c1 = sum(1 for ch in text if "\x80" <= ch <= "\x9f")
    return c1 <= 2 + len(text) * 0.001 and foreign <= 0.3 * max(letters, 1)


def _decode(data: bytes, name: str) -> DecodedText:
    """The text and the encoding it was read in, with a warning unless that was UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            label = "UTF-8 (with a byte-order mark)" if codec == "utf-8-sig" else codec.upper()
            result = DecodedText(text, codec)
            if codec != "utf-8-sig":
                result.warnings.append(("RD001", f"decoded {name} as {label}"))
            _note_replacements(result, name)
            return result
    wide = _wide_without_bom(data)
    if wide:
        result = DecodedText(data.decode(wide, errors="replace"), wide)
        result.warnings.append(("RD001", f"decoded {name} as {wide.upper()} (no byte-order mark)"))
        _note_replacements(result, name)
        return result
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    valid = len(_UTF8_MULTIBYTE.findall(data))
    text = data.decode("utf-8", errors="bookbuild-cp1252")
    stray = sum(1 for _ in re.finditer(rb"[\x80-\xff]", data)) - sum(
        len(m.group()) for m in _UTF8_MULTIBYTE.finditer(data)
    )
    if valid > 2 * stray:
        # Mostly UTF-8 with a few bytes pasted in from a Windows program.
        result = DecodedText(text, "utf-8")
        result.warnings.append(
            ("RD001", f"decoded {name} as UTF-8 with {stray} stray Windows-1252 byte(s)")
        )
        return result
    western = _single_byte(data)
    if _looks_western(western):
        result = DecodedText(western, "cp1252")
        result.warnings.append(("RD001", f"decoded {name} as Windows-1252 (it is not UTF-8)"))
        return result
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    result = DecodedText(data.decode(encoding, errors="replace"), encoding)
    result.warnings.append(("RD001", f"decoded {name} as {encoding} (it is not UTF-8)"))
    _note_replacements(result, name)
    return result


def _note_replacements(result: DecodedText, name: str) -> None:
    count = result.text.count("\ufffd")
    if count:
        result.warnings.append(("RD002", f"{count} undecodable byte sequence(s) in {name} shown as �"))


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def repair_mojibake(text: str) -> tuple[str, list[int]]:
    """Text with mojibake lines repaired by ftfy, and the 1-based numbers of the lines changed."""
    if not _MOJIBAKE_HINT.search(text):
        return text, []
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,  # "&amp;" in a manuscript is what the writer typed
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        fix_line_breaks=False,
        normalization=None,
        explain=False,
    )
    lines = text.split("\n")
    changed = []
    for index, line in enumerate(lines):
        if _MOJIBAKE_HINT.search(line):
            fixed = ftfy.fix_text(line, config)
            if fixed != line:
                lines[index] = fixed
                changed.append(index + 1)
    return "\n".join(lines), changed


def clean_text(text: str, result: DecodedText) -> str:
    """LF line endings, mojibake repaired, forbidden and invisible characters gone, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SEPARATORS)
    text, repaired = repair_mojibake(text)
    if repaired:
        result.warnings.append(
            (
                "RD003",
                f"repaired mojibake (text once decoded with the wrong encoding) on {len(repaired)} "
                f"line(s), first on line {repaired[0]}",
            )
        )
    found = _UNWANTED.search(text)
    if found:
        line = _line_of(text, found.start())
        cleaned = _UNWANTED.sub("", text)
        result.warnings.append(
            (
                "RD004",
                f"removed {len(text) - len(cleaned)} control character(s) that XML forbids, "
                f"first on line {line}",
            )
        )
        text = cleaned
    text = _ZERO_WIDTH.sub("", text).replace("\t", "    ")
    return unicodedata.normalize("NFC", text)


def decode_manuscript(data: bytes, name: str) -> DecodedText:
    """Decoded, cleaned, NFC-normalised text with LF line endings; non-text input is refused."""
    data, padding = _without_nul_padding(data)
    refuse_non_text(data, name)
    stray = _stray_nuls(data)
    if stray:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        data = data.replace(b"\x00", b"")
    result = _decode(data, name)
    if padding:
        result.warnings.append(("RD007", f"removed {padding} NUL byte(s) padding the end of {name} (left by a crash or a failed save)"))
    if stray:
        result.warnings.append(("RD007", f"removed {stray} stray NUL byte(s) from {name}, first on line {line}"))
    sample = result.text[:65536]
    if len(_UNWANTED.findall(sample)) > max(16, len(sample) * 0.05):
        raise InputError(f"{name} looks like a binary file, not a manuscript: {_SAVE_AS}")
    result.text = clean_text(result.text, result)
    if not result.text.strip():
        raise EmptyManuscript(f"{name} has no text")
    return result
