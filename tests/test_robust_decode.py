"""Decoding: every encoding a manuscript arrives in, mojibake, controls, invisible characters."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.errors import InputError
from bookbuild.readers.decode import EmptyManuscript, decode_manuscript, repair_mojibake

PROSE = "“Don’t go,” she said — it’s late… The café was naïve about Zoë’s crème brûlée.\n"
RUSSIAN = "Он сказал, что вернётся завтра утром, но так и не пришёл. Она ждала его весь день.\n" * 3


def codes(decoded) -> list[str]:
    return [code for code, _ in decoded.warnings]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PROSE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PROSE.encode("utf-8"), "utf-8-sig"),
        (PROSE.encode("utf-16"), "utf-16"),  # with its BOM
        (codecs.BOM_UTF16_BE + PROSE.encode("utf-16-be"), "utf-16"),
        (PROSE.encode("utf-16-le"), "utf-16-le"),  # no BOM
        (PROSE.encode("utf-16-be"), "utf-16-be"),
        (PROSE.encode("utf-32"), "utf-32"),
        (PROSE.encode("cp1252"), "cp1252"),
    ],
)
def test_each_encoding_decodes_to_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode_manuscript(data, "m.txt")
    assert decoded.text == PROSE
    assert decoded.encoding == encoding


def test_windows_1252_is_reported() -> None:
    decoded = decode_manuscript(PROSE.encode("cp1252"), "m.txt")
    assert codes(decoded) == ["RD001"]
    assert "Windows-1252" in decoded.warnings[0][1]


def test_latin1_text_decodes() -> None:
    text = "Ça va? Noël à Zürich, déjà vu. Straße und Größe.\n"
    assert decode_manuscript(text.encode("latin-1"), "m.txt").text == text


def test_cyrillic_single_byte_goes_to_charset_normalizer() -> None:
    decoded = decode_manuscript(RUSSIAN.encode("cp1251"), "m.txt")
    assert decoded.text == RUSSIAN


def test_utf8_with_stray_windows_bytes() -> None:
    data = "Zoë’s café, ".encode() * 5 + "and “quoted” text".encode("cp1252")
    decoded = decode_manuscript(data, "m.txt")
    assert decoded.text == "Zoë’s café, " * 5 + "and “quoted” text"
    assert "stray Windows-1252" in decoded.warnings[0][1]


def test_undefined_windows_bytes_are_removed_with_a_warning() -> None:
    decoded = decode_manuscript(b"caf\xe9 \x81here and there, a long enough sentence.", "m.txt")
    assert decoded.text == "café here and there, a long enough sentence."
    assert "RD004" in codes(decoded)


def test_mojibake_is_repaired_and_reported_with_its_line() -> None:
    decoded = decode_manuscript("Fine line.\nI donâ€™t know, cafÃ© â€œthenâ€\x9d.\n".encode(), "m.txt")
    assert decoded.text == "Fine line.\nI don’t know, café “then”.\n"
    [(code, message)] = decoded.warnings
    assert code == "RD003" and "first on line 2" in message


def test_mojibake_repair_leaves_real_accents_alone() -> None:
    text = "the café’s door, Renée’s naïve “quote”, Hélène—yes, déjà vu™"
    assert repair_mojibake(text) == (text, [])


def test_html_entities_are_the_writers_own_text() -> None:
    assert decode_manuscript(b"Tom &amp; Jerry &lt;3", "m.txt").text == "Tom &amp; Jerry &lt;3"


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n", "\u2028"])
def test_line_endings(ending: str) -> None:
    text = decode_manuscript(f"one{ending}two{ending}{ending}three".encode(), "m.txt").text
    assert text == "one\ntwo\n\nthree"


def test_word_line_and_page_breaks_become_breaks() -> None:
    assert decode_manuscript(b"Love,\x0bMom\x0cNext page", "m.txt").text == "Love,\nMom\n\nNext page"


def test_controls_xml_forbids_are_removed_with_a_warning() -> None:
    decoded = decode_manuscript(b"ok\nbell\x07 and escape\x1b and nul-free\x7f text", "m.txt")
    assert decoded.text == "ok\nbell and escape and nul-free text"
    [(code, message)] = decoded.warnings
    assert code == "RD004" and "3 control" in message and "line 2" in message


def test_noncharacters_are_removed() -> None:
    assert decode_manuscript("a\ufffeb\uffffc\ufdd0d".encode(), "m.txt").text == "abcd"


def test_invisible_characters() -> None:
    text = decode_manuscript("zero\u200bwidth\ufeff, no-break\u00a0space, joiner\u2060kept, tab\there".encode(), "m.txt").text
    assert text == "zerowidth, no-break\u00a0space, joiner\u2060kept, tab    here"


def test_text_is_nfc() -> None:
    assert decode_manuscript("Zoe\u0308".encode(), "m.txt").text == "Zoë"


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, " \n".encode("utf-16"), b"\x0c\x0b"])
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyManuscript, match="is empty|has no text"):
        decode_manuscript(data, "m.txt")


def test_only_invisible_characters_is_no_text() -> None:
    with pytest.raises(EmptyManuscript, match="has no text"):
        decode_manuscript("\u200b\ufeff\x07".encode(), "m.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "zip archive"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word 97-2003"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_not_a_manuscript(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=kind) as error:
        decode_manuscript(data, "m.txt")
    assert "\n" not in str(error.value)


@settings(deadline=None)
@given(st.text(min_size=1))
def test_any_text_decodes_to_clean_xml_characters(text: str) -> None:
    try:
        decoded = decode_manuscript(text.encode("utf-8", errors="surrogatepass"), "m.txt")
    except InputError as error:  # empty, or so many controls it is binary: one clear line
        assert "\n" not in str(error)
        return
    allowed = {"\n"}
    for ch in decoded.text:
        code = ord(ch)
        assert ch in allowed or (0x20 <= code <= 0xD7FF and not 0x7F <= code <= 0x9F) or 0xE000 <= code <= 0xFFFD or code >= 0x10000
    assert "\r" not in decoded.text and "\t" not in decoded.text


# Text with none of the characters cleaning changes and none that can start mojibake
# (a UTF-8 lead byte read as Latin-1: Â to ô), which ftfy may rightly repair.
_PLAIN = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
        blacklist_characters="\u200b\ufeff\ufffe\uffff" + "".join(map(chr, range(0xC2, 0xF5))),
    )
    | st.sampled_from("\n "),
    min_size=1,
).filter(lambda s: s.strip())


@settings(deadline=None)
@given(_PLAIN)
def test_utf8_and_utf16_round_trip(text: str) -> None:
    expected = unicodedata.normalize("NFC", text)
    assert decode_manuscript(text.encode("utf-8"), "m.txt").text == expected
    assert decode_manuscript(text.encode("utf-16"), "m.txt").text == expected


def test_nul_padding_left_by_a_crash_is_removed_with_a_warning() -> None:
    """A file a crash padded with NULs was refused as binary (found by hand)."""
    decoded = decode_manuscript(b"It was late.\n\nHe slept.\n" + b"\x00" * 8192, "m.txt")
    assert decoded.text == "It was late.\n\nHe slept.\n" and codes(decoded) == ["RD007"]
    assert decode_manuscript("It was late.\n".encode("utf-16"), "m.txt").text == "It was late.\n"


def test_a_few_stray_nuls_are_removed_with_a_warning_and_a_share_of_them_is_binary() -> None:
    """One stray NUL made a whole story "a binary file" (issue 15); the README promises removal."""
    decoded = decode_manuscript(b"It was late.\n\nHe\x00 slept.\n\x00\nThe end.\n", "m.txt")
    assert decoded.text == "It was late.\n\nHe slept.\n\nThe end.\n"
    assert any(code == "RD007" and "2 stray NUL byte(s)" in message and "line 3" in message
               for code, message in decoded.warnings)
    with pytest.raises(InputError, match="binary"):
        decode_manuscript(b"It was\x00\x00\x01 late." * 200, "m.txt")


def test_a_short_story_with_a_nul_and_terminal_colour_codes_is_text() -> None:
    """One NUL and two colour codes (ESC [) in a short text made it "a binary file" (found by hand)."""
    decoded = decode_manuscript(b"Chapter 1\n\nText\x00with a NUL and \x1b[31mred\x1b[0m words.\n", "m.txt")
    assert "Textwith a NUL and" in decoded.text and "red" in decoded.text and "\x1b" not in decoded.text


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_byte_order_mark_is_read(codec) -> None:
    """The README promised UTF-32 with or without a BOM; without one it was called binary."""
    text = "It was late, Zoë said. Это было поздно. 日本語 😀\n\nThe end.\n"
    decoded = decode_manuscript(text.encode(codec), "m.txt")
    assert decoded.text == text and decoded.encoding == codec


@pytest.mark.parametrize("codec, tail", [("utf-16-le", b"A"), ("utf-16-be", b"\x00"), ("utf-32-le", b"A\x00"), ("utf-32-be", b"\x00\x00\x00")])
def test_wide_text_without_a_bom_cut_short_is_read(codec, tail) -> None:
    """Hostile hunt, round 2: UTF-16 or UTF-32 without a BOM and a few bytes short of a whole
    character at the end (a cut download) was called a binary file."""
    text = "It was late, Zoë said.\n\nThe end of the story.\n"
    decoded = decode_manuscript(text.encode(codec) + tail, "m.txt")
    assert decoded.encoding == codec
    assert decoded.text.startswith(text.rstrip("\n"))


def test_utf8_encoded_surrogates_are_counted_as_stray_bytes() -> None:
    """Hostile hunt, round 2: CESU-8 (a surrogate written as three UTF-8-like bytes) was counted
    as valid UTF-8, so the warning said "0 stray Windows-1252 byte(s)"."""
    decoded = decode_manuscript("Café au lait, crème brûlée. ".encode() * 4 + b"smile \xed\xa0\xbd\n", "m.txt")
    assert any("with 3 stray Windows-1252 byte(s)" in message for _code, message in decoded.warnings), decoded.warnings
