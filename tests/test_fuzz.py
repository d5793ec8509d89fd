"""Fuzzing: generated manuscripts of every kind must build, stay well-formed and lose no word.

CI runs a bounded number of examples (``BOOKBUILD_FUZZ_EXAMPLES``, default 60; two books of
generated chapters through EPUBCheck, ``BOOKBUILD_FUZZ_EPUBCHECK``) and the run prints how
many manuscripts were built; ``make fuzz`` runs the long campaign.
"""

from __future__ import annotations

import os
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from bookbuild.config import NOTES_MODES, SCENE_BREAK_MODES, BuildConfig
from bookbuild.errors import InputError
from bookbuild.model import block_text
from bookbuild.pipeline import build
from bookbuild.readers.decode import decode_manuscript
from bookbuild.verify import words

EXAMPLES = int(os.environ.get("BOOKBUILD_FUZZ_EXAMPLES", "60"))
EPUBCHECKED = int(os.environ.get("BOOKBUILD_FUZZ_EPUBCHECK", "2"))  # books of 4-8 manuscripts each
BUILT: Counter[str] = Counter()

MARKERS = [
    "***", "* * *", "* * * * *", "~~~", "#", "---", "-break-", "[scene break]", "~line break~", "xXx",
    "oOo", "XxXxXxX", "<><><>", "=-=-=-=", "::::", "~*~", "§", "o0o0o0o", "+++", "_____", "...",
]
HOSTILE = [
    "<script>alert(1)</script>", "<script>", "</p>", "&", "&amp;", "&nbsp;", "&#0;", "&#x1F600;", "]]>", "<![CDATA[",
    "<!--", "-->", "<?xml version='1.0'?>", "<!DOCTYPE x>", "<b>", "</i>", "<img src=file:///etc/passwd>",
    "[a](javascript:alert(1))", "![i](http://127.0.0.1:9/x.png)", "\\", "`", "*", "**", "_", "__", "~~", "|", "{}",
    '"', "'", "“", "”", "‘", "’", "--", "...", "(A/N:", ")", "\u00a0", "\u200b", "\u2060", "\u00ad", "\ufeff",
    "\t", "\x0b", "\x0c", "\u2028", "\u2029", "e\u0301", "👩\u200d👩\u200d👧", "العربية", "עברית", "漢字", "\U0001d54f",
]
PROSE = "the a of and he she it was said Clark Lex looked away never again don't can't I-I W-what".split()

_WORD = st.one_of(
    st.sampled_from(PROSE),
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10),
)
_PARAGRAPH = st.one_of(
    st.lists(_WORD, min_size=1, max_size=40).map(" ".join),
    st.sampled_from(MARKERS),
    st.integers(1, 40).map(lambda n: f"Chapter {n}"),
    st.lists(_WORD, min_size=1, max_size=12).map(lambda w: f"(A/N: {' '.join(w)})"),
    st.just(""),
    st.builds(lambda w, n: " ".join([w] * n), st.sampled_from(PROSE), st.integers(2_000, 30_000)),  # huge
    # Lists and quotes nested past what markdown-it reads (it silently stopped there).
    st.builds(lambda w, n: "\n".join("  " * i + f"- {w}" for i in range(n)), st.sampled_from(PROSE), st.integers(1, 80)),
    st.builds(lambda w, n: ">" * n + f" {w}", st.sampled_from(PROSE), st.integers(1, 300)),
)
# The settings that change what reaches the book; {} (the defaults) is drawn most often.
OPTIONS = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {},
        optional={
            "notes": st.sampled_from(NOTES_MODES),
            "scene_breaks": st.sampled_from(SCENE_BREAK_MODES),
            "typography": st.booleans(),
        },
    ),
)
_SEPARATOR = st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\r\n", "\n\n\n", "\n    ", "\r"])


@st.composite
def manuscripts(draw) -> tuple[str, bytes, str]:
    """A manuscript: (suffix, bytes as saved, encoding name)."""
    paragraphs = draw(st.lists(_PARAGRAPH, min_size=1, max_size=25))
    text = draw(_SEPARATOR).join(paragraphs)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    try:
        data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "strict")
    except UnicodeEncodeError:
        encoding, data = "utf-8", text.encode("utf-8", errors="surrogatepass")
    return draw(st.sampled_from([".txt", ".md"])), data, encoding


@pytest.fixture(scope="module", autouse=True)
def tally():
    """Add this worker's count of built manuscripts to the run's tally (printed at the end)."""
    yield
    path = os.environ.get("BOOKBUILD_FUZZ_TALLY")
    if path and BUILT:
        with open(path, "a", encoding="utf-8") as handle:
            handle.writelines(f"{name}:{count}\n" for name, count in BUILT.items())


def well_formed_documents(epub: Path) -> int:
    """Parse every XHTML document of an EPUB strictly; returns how many there were."""
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    count = 0
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                etree.fromstring(archive.read(name), parser)  # raises on anything malformed
                count += name.endswith(".xhtml")
    return count


def build_one(tmp_path: Path, suffix: str, data: bytes, outdir_name: str = "out", options: dict | None = None):
    source = tmp_path / f"manuscript{suffix}"
    source.write_bytes(data)
    cfg = BuildConfig(outdir=tmp_path / outdir_name, formats=("epub",), **(options or {}))
    return source, build(source, cfg)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(manuscripts(), OPTIONS)
# Failures the fuzzer found, kept (as markdown-it-py keeps its OSS-Fuzz cases).
@example((".md", b"of\n(A/N: the)", "utf-8"), {})
@example((".md", b"the\n(A/N: &)", "utf-8"), {})
@example((".md", b"(A/N: the)\nChapter 1\n" + b"the " * 3000, "utf-8"), {})
@example((".md", b"(A/N: the the)\nI-I\n" + b"the " * 3000, "utf-8"), {})
@example((".txt", b"the\n\nChapter 1\n\nthe", "utf-8"), {})
@example((".txt", b"the\n\nChapter 1\n\n(A/N: don't)\n\nthe", "utf-8"), {})
@example((".txt", b"\x00\x01\x02\x03" * 100, "utf-16"), {})
@example((".md", b"the\n(A/N: & ) the <b>)\n(A/N: the)", "utf-8"), {})
@example((".md", b"the\n(A/N: & ) the <b>)\n(A/N: the)\n" + b"the " * 3000, "utf-8"), {})
@example((".txt", b"(A/N: the)\n\nthe", "utf-8"), {"notes": "drop"})  # every dropped note was reported lost
def test_any_manuscript_builds_well_formed_and_loses_nothing(tmp_path_factory: pytest.TempPathFactory, manuscript, options) -> None:
    suffix, data, _encoding = manuscript
    tmp_path = tmp_path_factory.mktemp("fuzz")
    try:
        # The build runs the nothing-lost check itself: a lost word is an OutputError here.
        _source, (result, [epub]) = build_one(tmp_path, suffix, data, options=options)
    except InputError as error:
        assert "\n" not in str(error) and ("empty" in str(error) or "no text" in str(error) or "binary" in str(error))
        return
    BUILT["built"] += 1
    assert well_formed_documents(epub) >= 2
    if suffix == ".txt":
        # The reader keeps every word it was given, in order.
        decoded = decode_manuscript(data, "m.txt").text
        read = [w for s in result.source_book.sections for b in s.blocks for w in words(block_text(b))]
        assert read == words(decoded)


@pytest.mark.slow
@settings(max_examples=EPUBCHECKED, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(st.lists(manuscripts(), min_size=4, max_size=8))
def test_a_sample_passes_epubcheck(tmp_path_factory: pytest.TempPathFactory, chapters) -> None:
    """Several generated manuscripts as the chapters of one book, through the W3C validator."""
    from bookbuild.checks import epubcheck

    folder = tmp_path_factory.mktemp("sample") / "book"
    folder.mkdir()
    for number, (suffix, data, _encoding) in enumerate(chapters, start=1):
        (folder / f"{number:02d}{suffix}").write_bytes(data)
    try:
        _result, [epub] = build(folder, BuildConfig(outdir=folder.parent / "out", formats=("epub",)))
    except InputError:
        return
    BUILT["epubchecked"] += len(chapters)
    report = epubcheck(epub)
    assert report.clean, report.errors + report.warnings


PDF_EXAMPLES = int(os.environ.get("BOOKBUILD_FUZZ_PDF", "3"))


@st.composite
def small_manuscripts(draw) -> tuple[str, bytes, str]:
    """Manuscripts without the huge paragraphs, which would take minutes to lay out."""
    paragraphs = draw(st.lists(_PARAGRAPH.filter(lambda p: len(p) < 2_000), min_size=1, max_size=12))
    return draw(st.sampled_from([".txt", ".md"])), "\n\n".join(paragraphs).encode("utf-8", "surrogatepass"), "utf-8"


@pytest.mark.slow
@settings(max_examples=PDF_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(small_manuscripts())
@example((".txt", "0\u0587".encode(), "utf-8"))  # two fonts: "0 եւ"
@example((".txt", "C\u00b8 0\u00b80".encode(), "utf-8"))  # spacing accents
@example((".txt", "\u05d00 \ufb1d0 \ufb300".encode(), "utf-8"))  # Hebrew beside numbers
@example((".txt", b"\xc3\x9d\xc2\x900", "utf-8"))  # mojibake of an Arabic letter, touching a digit
@example((".txt", "no font has \u0588".encode(), "utf-8"))
@example((".txt", b"the\n\n(A/N: a)\n\nthe", "utf-8"))  # a footnote's number against its word
@example((".txt", b"(A/N: the)\n\nthe 000000\n\n(A/N: the)\n\nthe", "utf-8"))  # ... against a number
@example((".txt", b"(A/N: 0)\n\nof 0\n\n(A/N: the)\n\nthe", "utf-8"))
def test_any_manuscript_prints_without_losing_a_word(tmp_path_factory: pytest.TempPathFactory, manuscript) -> None:
    """The PDF's text layer passes the nothing-lost check too (hyphenation, running heads, any script)."""
    suffix, data, _encoding = manuscript
    source = tmp_path_factory.mktemp("pdf") / f"manuscript{suffix}"
    source.write_bytes(data)
    try:
        build(source, BuildConfig(outdir=source.parent / "out", formats=("pdf",)))
    except InputError:
        return
    BUILT["printed"] += 1
