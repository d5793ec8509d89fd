"""Marked scene breaks: the marker zoo, what is not a marker, and the shape of the result."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Meta, Paragraph, Role, SceneBreak, Section, block_text
from bookbuild.readers.markdown import read_markdown
from bookbuild.readers.text import read_text
from bookbuild.structure.markers import scene_marker
from bookbuild.transforms.scenes import mark_scene_breaks

MARKERS = [
    "***", "* * *", "*  *  *", "~~~", "xXx", "XxXxX", "oOo", "o0o0o", "-x-x-", "---", "___", "===",
    "~*~", "+++", "#", "§", "<><>", "::::", "•••", "⁂", "-oOo-", "=-=-=-=", "~o~", "*~*~*~*",
    "-break-", "~line break~", "[scene break]", "Line Break", "(scene change)", "LINEBREAK",
    "*~*Page Break*~*", "-Scene Change-", "~time skip~", "<hr>", "oOoOoOo", "x-x-x-x", "0o0o0",
    "<3<3<3", "♥♥♥", "xxxxxxxx", "oooOOOooo", "~*~Another Break~*~", "[Insert line break here]", "~*~LB~*~", "..::..::..", "{~}", "|||", "%%%", "^^^", "@@@", "_-_-_-_", "/////",
    # a long pasted rule, dots beside other ornaments, ornaments with º and ø, repeated initials
    "=" * 120, ".::break::.", "°º¤ø,¸¸,ø¤º°`°º¤ø,¸", "HPHPHPHP", "~DM~HG~DM~HG~", "SPN SPN SPN",
    # brackets alone, "v" among the ornament letters, "break line", a long rule around a break word
    "()()()", "^v^v^v^", "break line", "~SB~", "~" * 60 + " break " + "~" * 60,
]
NOT_MARKERS = [
    "...", "…", "?!", '"..."', "!", "-", "--", "—", "Ox", "xxx", "Ooo", "Break!", "Now.", "Oooh",
    "*Scene: the kitchen*", "(Breakfast)", '"O-o-o-O-o-o-O."', "—O!",
    "The break was over before it began.", "He took a break.", "XOXO, Gossip Girl",
    "Scene one, take two, he muttered.",
    # smileys answering in a text exchange, an elision, shouting and laughter
    ":)", ";-(", "^_^", "-_-", "[...]", "HAHAHA", "NO NO NO", "BOOM BOOM BOOM", "Break.",
    # quoted speech of punctuation alone, a lone heart
    '"—"', "'*'", "<3",
]


def _book(blocks) -> Book:
    return Book(Meta(), (Section(Role.CHAPTER, tuple(blocks), line=1),))


def _run(text: str, cfg: BuildConfig | None = None):
    return mark_scene_breaks(_book(read_text(text)), cfg or BuildConfig())


@pytest.mark.parametrize("marker", MARKERS)
def test_marker_styles_are_recognised(marker):
    assert scene_marker(marker) is not None


@pytest.mark.parametrize("line", NOT_MARKERS)
def test_prose_and_speech_beats_are_not_markers(line):
    assert scene_marker(line) is None


def test_a_letter_sign_off_is_not_a_marker():
    assert scene_marker("xoxo", after="All my love,") is None
    assert scene_marker("xoxo", after="She closed the door.") is not None


@pytest.mark.parametrize("marker", MARKERS)
def test_a_marker_line_becomes_a_break_and_leaves_no_characters(marker):
    text = f"The kettle whistled twice.\n\n    {marker}\n\nMorning came with rain."
    book, decisions = _run(text)
    blocks = book.sections[0].blocks
    assert [type(b) for b in blocks] == [Paragraph, SceneBreak, Paragraph]
    assert all(marker not in block_text(b) for b in blocks)
    assert [d.action for d in decisions] == ["scene-break"]
    assert decisions[0].excerpt.startswith("Morning came")
    assert decisions[0].code in ("SB001", "SB002", "SB003")


def test_blank_lines_alone_are_not_a_break():
    book, decisions = _run("He opened the gate.\n\n\n\nThe dog did not bark.\n\n\nNobody came.")
    assert not any(isinstance(b, SceneBreak) for b in book.sections[0].blocks)
    assert decisions == []


def test_runs_and_edge_markers_collapse():
    text = "***\n\nThe first line.\n\n~~~\n\n* * *\n\nThe second line.\n\nxXx"
    book, decisions = _run(text)
    kinds = [type(b) for b in book.sections[0].blocks]
    assert kinds == [Paragraph, SceneBreak, Paragraph]
    assert sorted(d.action for d in decisions) == ["drop", "drop", "drop", "scene-break"]


def test_markdown_thematic_break_and_empty_heading_are_breaks():
    blocks = read_markdown("She left.\n\n* * *\n\nHe stayed.\n\n#\n\nThey met again.\n")
    book, decisions = mark_scene_breaks(_book(blocks), BuildConfig())
    kinds = [type(b) for b in book.sections[0].blocks]
    assert kinds == [Paragraph, SceneBreak, Paragraph, SceneBreak, Paragraph]
    assert {d.code for d in decisions} == {"SB004", "SB001"}


def test_a_sentence_underlined_in_markdown_is_a_paragraph_and_a_break():
    blocks = read_markdown("He left the room and did not look back.\n---\n\nShe waited.\n\n## The Second Part\n\nEnd.\n")
    book, decisions = mark_scene_breaks(_book(blocks), BuildConfig())
    kinds = [type(b).__name__ for b in book.sections[0].blocks]
    assert kinds == ["Paragraph", "SceneBreak", "Paragraph", "Heading", "Paragraph"]
    assert [d.code for d in decisions] == ["SB007"]


def test_scene_breaks_off_drops_markers_without_breaks():
    book, decisions = _run("One.\n\n***\n\nTwo.", BuildConfig(scene_breaks="off"))
    assert [block_text(b) for b in book.sections[0].blocks] == ["One.", "Two."]
    assert [d.action for d in decisions] == ["drop"]


# From five characters up: shorter ones can be a smiley (":-(", "^_^"), which is text.
_DECORATION = st.text(alphabet="*~-=_#+§•<>:^|", min_size=5, max_size=12)


@given(_DECORATION)
def test_any_decoration_line_is_a_marker(line):
    assert scene_marker(line) is not None


@given(st.lists(st.sampled_from(MARKERS + ["Plain words here.", "More plain words."]), min_size=1, max_size=12))
def test_breaks_never_touch_edges_or_each_other(lines):
    book, _ = _run("\n\n".join(lines))
    blocks = book.sections[0].blocks
    if blocks:
        assert not isinstance(blocks[0], SceneBreak) and not isinstance(blocks[-1], SceneBreak)
    assert all(not (isinstance(a, SceneBreak) and isinstance(b, SceneBreak)) for a, b in zip(blocks, blocks[1:], strict=False))
    assert all(scene_marker(block_text(b)) is None for b in blocks if isinstance(b, Paragraph))
