"""Paragraphing of plain text: blank lines, hard wraps, verse, indentation, one line each, mixes."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.decisions import Decision
from bookbuild.model import LineBreak, Paragraph, plain_text
from bookbuild.readers.text import detect_layout, is_soft, read_text, split_blocks

LONG = [
    "Lex Luthor watched from his balcony, hands curled loosely over the railing, and stared down at "
    "the empty streets, perfectly unmarred concrete that no longer risked fracture of any kind.",
    "He had spent so much time crafting Metropolis into perfection, and it was all for naught; what "
    "was the purpose of a city modeled after heaven when there were no people left to live in it?",
    "It was a magnificent scene; if someone managed to catch it on canvas, it would have fetched "
    "millions in auction, even if the artist was still breathing, which none of them were anymore.",
    "Spandex-covered, self-righteous heroes had come and gone over the years, and each one had "
    "promised the same thing: that the city would be safe, that nobody would ever be left behind.",
]


def texts(paragraphs: list[Paragraph]) -> list[str]:
    return [plain_text(p.inlines) for p in paragraphs]


def wrap(paragraph: str, width: int = 72) -> str:
    return textwrap.fill(paragraph, width=width, break_long_words=False)


def test_blank_line_paragraphs() -> None:
    assert texts(read_text("\n\n".join(LONG))) == LONG


def test_one_paragraph_per_line() -> None:
    assert texts(read_text("\n".join(LONG))) == LONG


def test_hard_wrapped_with_blank_lines_is_unwrapped() -> None:
    decisions: list[Decision] = []
    paragraphs = read_text("\n\n".join(wrap(p) for p in LONG), decisions)
    assert texts(paragraphs) == LONG
    assert [d.code for d in decisions] == ["RD010"]
    assert "72 columns" in decisions[0].rule


def test_words_split_at_a_wrap_hyphen_are_rejoined() -> None:
    text = "\n\n".join(textwrap.fill(p, width=60, break_on_hyphens=True) for p in LONG)
    assert texts(read_text(text)) == LONG


def test_hard_wrapped_without_blank_lines_breaks_at_short_lines() -> None:
    dialogue = ['"Yes."', '"No, I said. Never again."', "He left."]
    text = "\n".join([wrap(LONG[0]), *dialogue, wrap(LONG[1]), wrap(LONG[2]), wrap(LONG[3])])
    assert texts(read_text(text)) == [LONG[0], *dialogue, LONG[1], LONG[2], LONG[3]]


def test_indented_paragraphs_in_wrapped_text() -> None:
    text = "\n".join(textwrap.fill(p, width=70, initial_indent="    ") for p in LONG)
    decisions: list[Decision] = []
    assert texts(read_text(text, decisions)) == LONG
    assert "RD012" in [d.code for d in decisions]


def test_indentation_added_after_wrapping_with_no_break_spaces() -> None:
    lines = []
    for number, paragraph in enumerate(LONG):
        first, *rest = wrap(paragraph, 70).split("\n")
        lines.append(("     " if number % 2 else "\u00a0\u00a0") + first)
        lines.extend(rest)
    assert texts(read_text("\n".join(lines))) == LONG


def test_verse_in_blank_separated_text_keeps_its_line_breaks() -> None:
    verse = "Roses are red,\nViolets are blue,\nSugar is sweet,\nAnd so are you."
    decisions: list[Decision] = []
    paragraphs = read_text("\n\n".join([LONG[0], verse, LONG[1], LONG[2]]), decisions)
    assert texts(paragraphs) == [LONG[0], verse, LONG[1], LONG[2]]
    assert sum(isinstance(span, LineBreak) for span in paragraphs[1].inlines) == 3
    assert [d.code for d in decisions] == ["RD011"]
    assert decisions[0].excerpt.startswith("Roses are red,")


def test_sign_off_after_a_wrapped_letter() -> None:
    letter = wrap(LONG[1]) + "\nYours ever,\nJane"
    text = "\n\n".join([wrap(LONG[0]), letter, wrap(LONG[2]), wrap(LONG[3])])
    assert texts(read_text(text)) == [LONG[0], LONG[1], "Yours ever,\nJane", LONG[2], LONG[3]]


def test_short_dialogue_lines_stay_separate_paragraphs() -> None:
    text = "\n\n".join([LONG[0], '"Hi."\n"Hello."', LONG[1], LONG[2]])
    assert texts(read_text(text)) == [LONG[0], '"Hi."', '"Hello."', LONG[1], LONG[2]]


def test_markers_and_headings_are_never_joined() -> None:
    text = "\n\n".join([LONG[0], "Chapter 2\nThe Return", "***\nShe woke.", "xXx\n-break-", LONG[1]])
    assert texts(read_text(text)) == [LONG[0], "Chapter 2", "The Return", "***", "She woke.", "xXx", "-break-", LONG[1]]


def test_a_marker_inside_wrapped_text_without_blank_lines() -> None:
    text = "\n".join([wrap(LONG[0]), "* * *", wrap(LONG[1]), "Chapter Two", wrap(LONG[2])])
    assert texts(read_text(text)) == [LONG[0], "* * *", LONG[1], "Chapter Two", LONG[2]]


def test_mixed_layouts_in_one_file() -> None:
    text = "\n\n".join([LONG[0], LONG[1] + "\n" + LONG[2], LONG[3], "Love,\nMom"])
    assert texts(read_text(text)) == [LONG[0], LONG[1], LONG[2], LONG[3], "Love,\nMom"]


def test_line_numbers_point_at_each_paragraph() -> None:
    text = "\n".join([wrap(LONG[0]), "", "", wrap(LONG[1])])
    first_lines = wrap(LONG[0]).count("\n") + 1
    assert [p.line for p in read_text(text)] == [1, first_lines + 3]


def test_verse_alone_is_not_mistaken_for_hard_wrapping() -> None:
    poem = "\n\n".join(["The sea is calm tonight,\nThe tide is full, the moon lies fair\nUpon the straits;"] * 4)
    blocks = split_blocks(poem.split("\n"))
    assert not detect_layout(blocks).wrapped


def test_long_unwrapped_paragraph_lines_are_not_hard_wrapping() -> None:
    assert not detect_layout(split_blocks("\n".join(LONG * 3).split("\n"))).wrapped


_WORDS = st.text(st.characters(whitelist_categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=12)
_PARAGRAPH = st.lists(_WORDS, min_size=1, max_size=80).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=12), st.integers(min_value=50, max_value=100))
def test_wrapping_then_reading_keeps_every_word_in_order(paragraphs: list[str], width: int) -> None:
    text = "\n\n".join(textwrap.fill(p, width=width, break_long_words=False, break_on_hyphens=False) for p in paragraphs)
    read = " ".join(t.replace("\n", " ") for t in texts(read_text(text)))
    assert read.split() == " ".join(paragraphs).split()


@settings(deadline=None)
@given(st.text())
def test_reading_never_fails_and_keeps_every_word(text: str) -> None:
    read = " ".join(plain_text(p.inlines) for p in read_text(text))
    strip = str.maketrans("", "", "*_")
    assert "".join(read.translate(strip).split()) == "".join(text.translate(strip).split())


def test_a_roman_numeral_after_a_soft_wrap_ends_the_sentence() -> None:
    paragraph = "'It's only four hours a day, and I should not think of leaving,' said I."
    text = "\n\n".join([wrap(LONG[0]), wrap(LONG[1]), textwrap.fill(paragraph, 70), wrap(LONG[2])])
    assert texts(read_text(text))[2] == paragraph


def test_a_dash_carried_to_the_next_line_closes_up() -> None:
    lines = wrap(LONG[0]).split("\n")
    lines[1] = "--" + lines[1]
    expected = lines[0] + "--" + " ".join(lines[1:])[2:]
    text = "\n\n".join(["\n".join(lines), wrap(LONG[1]), wrap(LONG[2])])
    assert texts(read_text(text))[0] == expected


def test_speech_closing_a_line_and_speech_opening_the_next_are_two_paragraphs() -> None:
    second = '"You had my note?" he asked with a deep harsh voice and a strongly marked German accent.'
    first = '"Come in," said Holmes'
    for word in "and he rose to greet the stranger who stood at the door with his hat in his hand".split():
        first += " " + word
        last_line = wrap(first + '."').split("\n")[-1]
        if len(last_line) + 1 + len('"You') > 71:
            break
    first += '."'
    assert is_soft(wrap(first).split("\n")[-1], second, 72)  # the wrap alone would join them
    lines = [*wrap(LONG[0]).split("\n"), *wrap(first).split("\n"), *wrap(second).split("\n"), *wrap(LONG[1]).split("\n")]
    assert texts(read_text("\n".join(lines))) == [LONG[0], first, second, LONG[1]]


def test_real_texts_rewrapped_read_back_paragraph_for_paragraph(eval_dir) -> None:
    """Dev manuscripts hard-wrapped at 60 and 72 columns, with blank lines or indentation."""
    import re

    for path in sorted(eval_dir.glob("dev/*/explicit.txt")):
        original = path.read_text(encoding="utf-8")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", original) if p.strip()]
        expected = texts(read_text(original))
        for separator, indent, width in (("\n\n", "", 72), ("\n\n", "", 60), ("\n", "    ", 72)):
            wrapped = separator.join(
                textwrap.fill(p, width=width, initial_indent=indent, break_long_words=False) for p in paragraphs
            )
            assert texts(read_text(wrapped)) == expected, (path.parent.name, width, repr(separator))
