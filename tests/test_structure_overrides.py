"""book.toml [overrides]: naming paragraphs by first words to add or remove breaks, notes and chapters."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from bookbuild.config import BuildConfig, Overrides, config_from_toml, read_book_toml
from bookbuild.model import Role, first_words, plain_text
from bookbuild.pipeline import build, process
from bookbuild.structure.overrides import Namer, matches, phrase_matches

MANUSCRIPT = """The orchard was quiet before the pickers came.

Old Tobias walked the rows with a lantern.

***

By noon the baskets were full of windfalls.

Nobody noticed the stranger at the gate.

The stranger asked for water and was given cider.
"""

BOOK_TOML = """title = "Windfalls"
author = "A. Tester"

[overrides]
scene_breaks_remove = ["By noon the baskets"]
scene_breaks_add = ["the STRANGER asked for water"]
"""


def test_matching_ignores_case_spacing_quotes_and_a_trailing_ellipsis():
    text = "“Don’t  go,” she said — and stayed."
    assert phrase_matches(text, '"don\'t go," SHE said')
    assert phrase_matches(text, "Don't go she said …")
    assert not phrase_matches(text, "Don't stay")
    assert not phrase_matches(text, "")
    assert matches("Chapter 30", ["Chapter 3"]) is None
    assert matches("* * *", ["***"]) == "***"


@given(st.text(min_size=1, max_size=200).filter(lambda t: t.strip()))
def test_an_excerpt_from_inspect_names_its_own_paragraph(text):
    assert phrase_matches(text, first_words(text))


def _breaks_before(epub: Path) -> list[str]:
    """First words of each paragraph that follows an <hr/>, reading the EPUB in spine order."""
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        opf_name = next(n for n in names if n.endswith(".opf"))
        opf = etree.fromstring(archive.read(opf_name))
        ns = {"o": "http://www.idpf.org/2007/opf"}
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//o:manifest/o:item", ns)}
        base = opf_name.rsplit("/", 1)[0] + "/" if "/" in opf_name else ""
        following: list[str] = []
        pending = False
        for ref in opf.iterfind(".//o:spine/o:itemref", ns):
            root = etree.fromstring(archive.read(base + hrefs[ref.get("idref")]))
            for element in root.iter("{*}hr", "{*}p"):
                if element.tag.endswith("hr"):
                    pending = True
                elif pending:
                    following.append("".join(element.itertext())[:20])
                    pending = False
        return following


def test_book_toml_removes_a_detected_break_and_adds_one_and_the_epub_follows(tmp_path):
    (tmp_path / "story.txt").write_text(MANUSCRIPT, encoding="utf-8")
    (tmp_path / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    cfg = config_from_toml(read_book_toml(tmp_path / "book.toml"))
    cfg = cfg.with_changes(formats=("epub",), outdir=tmp_path / "out", verify=False)
    result, written = build(tmp_path, cfg)
    epub = next(p for p in written if p.suffix == ".epub")
    assert _breaks_before(epub) == ["The stranger asked f"]
    rules = {
        (d.code, d.action)
        for d in result.decisions
        if d.data.get("rule") == "override" or "book.toml" in d.rule
    }
    assert ("SB011", "remove") in rules and ("SB203", "place") in rules


def test_overrides_for_notes_and_chapters(tmp_path):
    source = tmp_path / "story.txt"
    source.write_text(
        "Thanks to the storm, nobody came.\n\nPlease review the ledger, he said to nobody.\n\nThe ledger stayed shut.\n\n"
        "The Second Night\n\nRain again.\n\nThanks for reading!\n",
        encoding="utf-8",
    )
    overrides = Overrides(
        notes_add=["Please review the ledger"],
        chapters_add=["The Second Night"],
        notes_remove=["Thanks for reading"],
    )
    result = process(source, BuildConfig(overrides=overrides))
    sections = result.book.sections
    assert [(s.role, plain_text(s.title)) for s in sections] == [
        (Role.CHAPTER, ""),
        (Role.CHAPTER, "The Second Night"),
    ]
    assert len(result.book.notes) == 1  # the named paragraph sits mid-chapter, so it becomes an endnote
    codes = {d.code for d in result.decisions}
    assert {"CH010", "NT010"} <= codes


def test_an_override_that_names_nothing_warns(tmp_path):
    source = tmp_path / "story.txt"
    source.write_text("One line.\n\nAnother line.\n", encoding="utf-8")
    result = process(
        source, BuildConfig(overrides=Overrides(chapters_add=["No such words"], notes_remove=["Nor these"]))
    )
    warnings = [d for d in result.decisions if d.action == "warning"]
    assert {d.excerpt for d in warnings} >= {"No such words", "Nor these"}


def test_namer_lengthens_a_key_until_it_names_one_paragraph_alone():
    texts = [
        "Lex stood at the window of the tower and looked out over the dead city.",
        "Lex stood at the window of the tower and looked down at the street.",
        "What do you want?",
        "What do you want, Clark? You came all this way.",
    ]
    namer = Namer(texts, texts)
    for text in texts:
        key, unique = namer.phrase(text)
        named = [t for t in texts if phrase_matches(t, key)]
        assert text in named and text.startswith(key)
        assert unique == (named == [text])
    assert namer.phrase(texts[0])[0] == "Lex stood at the window of the tower and looked out"
    # A short line that opens a longer one cannot be told apart by its first words.
    assert namer.phrase("What do you want?") == ("What do you want?", False)


@given(
    st.lists(
        st.sampled_from(["No.", "No, not yet.", "Not yet", "Yes, of course.", "Yes"]), min_size=1, max_size=8
    )
)
def test_a_unique_key_names_exactly_its_paragraph(texts):
    namer = Namer(texts, texts)
    for text in texts:
        key, unique = namer.phrase(text)
        if unique:
            assert [t for t in texts if phrase_matches(t, key)] == [text]
