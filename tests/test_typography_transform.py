"""The typography transform on the document model: spans, headings, titles, report, switch-off."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import (
    Book,
    Emph,
    Heading,
    LineBreak,
    Meta,
    Note,
    NoteRef,
    Paragraph,
    Role,
    SceneBreak,
    Section,
    Strong,
    Text,
    plain_text,
)
from bookbuild.transforms.typography import typeset
from bookbuild.typography.chars import WORD_JOINER

ON = BuildConfig()
TITLED = Meta(title="Clark's Last Stand")


def book_of(*blocks, title=(), meta=TITLED) -> Book:
    return Book(meta, (Section(Role.CHAPTER, tuple(blocks), title=title, line=1),))


def para(*inlines, line=None) -> Paragraph:
    return Paragraph(tuple(Text(i) if isinstance(i, str) else i for i in inlines), line=line)


def shown(inlines) -> str:
    return plain_text(inlines).replace(WORD_JOINER, "")


def decisions_by_code(decisions) -> dict[str, list]:
    found: dict[str, list] = {}
    for decision in decisions:
        found.setdefault(decision.code, []).append(decision)
    return found


def test_quote_before_emphasis_sees_the_whole_paragraph() -> None:
    book = book_of(para('"', Emph((Text("Really?"),)), '" she asked.'))
    new, _ = typeset(book, ON)
    (paragraph,) = new.sections[0].blocks
    assert paragraph.inlines == (Text("“"), Emph((Text("Really?"),)), Text("” she asked."))


def test_dash_typed_inside_emphasis_stays_inside() -> None:
    book = book_of(para("It was cold ", Emph((Text("- too cold -"),)), " for June."))
    new, _ = typeset(book, ON)
    inlines = new.sections[0].blocks[0].inlines
    assert shown(inlines) == "It was cold—too cold—for June."
    assert inlines[1].children[0].text.replace(WORD_JOINER, "") == "—too cold—"


def test_nested_strong_and_emphasis_keep_their_structure() -> None:
    book = book_of(para("He said ", Strong((Text("'no' "), Emph((Text("twice"),)))), "..."))
    new, _ = typeset(book, ON)
    inlines = new.sections[0].blocks[0].inlines
    assert isinstance(inlines[1], Strong) and isinstance(inlines[1].children[1], Emph)
    assert shown(inlines) == "He said ‘no’ twice…"


def test_line_breaks_and_note_references_survive() -> None:
    book = book_of(
        para('"Roses are red,', LineBreak(), 'violets are blue--"', NoteRef("note-1"), " she read.")
    )
    new, _ = typeset(book, ON)
    inlines = new.sections[0].blocks[0].inlines
    assert [type(node).__name__ for node in inlines] == ["Text", "LineBreak", "Text", "NoteRef", "Text"]
    assert shown(inlines) == "“Roses are red,\nviolets are blue—” she read."


def test_headings_titles_notes_and_book_title_are_typeset() -> None:
    book = book_of(
        Heading((Text("Part One: 'Til the End"),)),
        para("Text."),
        title=(Text('The "Last" Days--Again'),),
    )
    book = Book(book.meta, book.sections, notes=(Note("note-1", (para("It's mine."),)),))
    new, _ = typeset(book, ON)
    assert shown(new.sections[0].title) == "The “Last” Days—Again"
    assert shown(new.sections[0].blocks[0].inlines) == "Part One: ’Til the End"
    assert shown(new.notes[0].blocks[0].inlines) == "It’s mine."
    assert new.meta.title == "Clark’s Last Stand"


def test_scene_breaks_are_untouched() -> None:
    marker = SceneBreak(marker="- - -", line=3)
    new, _ = typeset(book_of(para("One."), marker, para("Two.")), ON)
    assert new.sections[0].blocks[1] is marker


def test_switched_off_returns_the_book_unchanged_with_one_decision() -> None:
    book = book_of(para('"Don\'t," he said--quietly...'))
    new, decisions = typeset(book, BuildConfig(typography=False))
    assert new is book
    assert [d.code for d in decisions] == ["TY900"]


def test_summary_counts_each_kind() -> None:
    book = book_of(para("\"It's 1990-1995,\" she said--'em too..."), para("He's 6'2\"."), meta=Meta())
    _, decisions = typeset(book, ON)
    summary = decisions_by_code(decisions)["TY000"][0].data
    assert summary["double_quotes"] == 2 and summary["quotes"] == 2
    assert summary["apostrophes"] == 3  # It's, 'em, He's
    assert summary["en_dashes"] == 1
    assert summary["em_dashes"] == 1
    assert summary["ellipses"] == 1
    assert summary["primes"] == 2


def test_quotation_continued_over_paragraphs_is_counted_not_doubted() -> None:
    book = book_of(para('"One. Two.', line=1), para('"Three."', line=3))
    new, decisions = typeset(book, ON)
    codes = decisions_by_code(decisions)
    assert codes["TY000"][0].data["continued_quotations"] == 1
    assert "TY101" not in codes
    assert [shown(b.inlines) for b in new.sections[0].blocks] == ["“One. Two.", "“Three.”"]


def test_unclosed_quotation_stays_open_and_is_reported_with_its_line() -> None:
    book = book_of(para('"Where are you going? she asked.', line=7), para("He didn't say.", line=9))
    new, decisions = typeset(book, ON)
    (unclosed,) = decisions_by_code(decisions)["TY101"]
    assert unclosed.line == 7 and unclosed.excerpt.startswith('"Where are you going?')
    assert [shown(b.inlines) for b in new.sections[0].blocks] == [
        "“Where are you going? she asked.",
        "He didn’t say.",
    ]


def test_closing_quote_without_opener_is_reported() -> None:
    book = book_of(para('Get out!" he yelled.', line=4))
    new, decisions = typeset(book, ON)
    (stray,) = decisions_by_code(decisions)["TY102"]
    assert stray.line == 4
    assert shown(new.sections[0].blocks[0].inlines) == "Get out!” he yelled."


def test_unsure_choice_inside_a_paragraph_names_its_paragraph() -> None:
    book = book_of(para("Fine.", line=1), para("'Cause I said so,' he thought.", line=5))
    _, decisions = typeset(book, ON)
    (doubt,) = decisions_by_code(decisions)["TY103"]
    assert doubt.line == 5 and doubt.excerpt.startswith("'Cause I said so,'")
    assert "Cause" in doubt.data["context"]


def test_transform_is_idempotent_on_the_model() -> None:
    book = book_of(
        para('"Well--I don\'t know..." ', Emph((Text("'Til"),)), " then, 'kay?"),
        para("It was -5 and 9-5 and 6'4\"."),
        title=(Text("Chapter 'One'"),),
    )
    once, _ = typeset(book, ON)
    twice, decisions = typeset(once, ON)
    assert twice == once
    summary = decisions_by_code(decisions)["TY000"][0].data
    assert all(count == 0 for kind, count in summary.items() if kind != "continued_quotations")


def test_a_paragraph_opening_on_a_dialect_elision_keeps_its_apostrophe() -> None:
    book = book_of(para("'Gene came by."), para("He left a note."))
    new, decisions = typeset(book, ON)
    assert shown(new.sections[0].blocks[0].inlines) == "’Gene came by."
    assert [d.code for d in decisions if d.code == "TY108"] == ["TY108"]


def test_a_quotation_opening_a_paragraph_still_opens() -> None:
    # continued by the next paragraph, tagged with a verb of speech, or asking a question
    book = book_of(
        para("'Okay, think."), para("'The attic.'"), para("'Okay, he thought."), para("'Where did it go?")
    )
    new, decisions = typeset(book, ON)
    assert [shown(b.inlines)[0] for b in new.sections[0].blocks] == ["‘"] * 4
    assert "TY108" not in {d.code for d in decisions}


def test_an_elision_in_emphasis_opening_a_paragraph() -> None:
    book = book_of(para(Emph((Text("'Arry"),)), " fixed the gate."))
    new, _ = typeset(book, ON)
    inlines = new.sections[0].blocks[0].inlines
    assert shown(inlines) == "’Arry fixed the gate." and isinstance(inlines[0], Emph)
