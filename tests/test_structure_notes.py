"""Author's notes and disclaimers: labelled and unlabelled, multi-paragraph, inline, and the notes setting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Meta, NoteRef, Paragraph, Role, Section, block_text
from bookbuild.readers.text import read_text
from bookbuild.structure.notecues import continues_note, front_matter, note_cue, signs_off
from bookbuild.transforms.chapters import split_chapters
from bookbuild.transforms.notes import extract_notes
from bookbuild.transforms.scenes import mark_scene_breaks

STORY = (
    "The lighthouse keeper counted the ships every night.\n\n"
    "Most nights there were none, and he counted them anyway.\n\n"
    "On the ninth night a ship came in without lights."
)
FRONT = [
    "Disclaimer: Nothing here belongs to me except the plot.",
    "A/N: This one came to me on a train.",
    "AN: Written for a friend.",
    "Author's Note: Set between the second and third films.",
    "Authors Notes - Slightly AU.",
    "Note: Set before the war.",
    "N/A: Sorry for any typos.",
    "Warning: Mild language ahead.",
    "Warnings: character death.",
    "Beta'd by the wonderful Sam.",
    "Dedicated to my sister, who made me finish it.",
    "[A/N: I wrote this in an afternoon.]",
    "**Disclaimer:** Characters belong to their respective owners.",
    "I don't own any of these characters, sadly.",
    "PLEASE REVIEW!",
    "Read and review, please!",
    "R&R!",
    "This is my first fanfic, so be nice.",
    "Enjoy!",
]
BACK = [
    "Thanks for reading!",
    "Hope you enjoyed it!",
    "To be continued...",
    "~Fin~",
    "The End",
    "Please leave a review and tell me what you thought.",
    "Reviews are always appreciated.",
    "A/N: That's all, folks.",
]


def _book(text: str) -> Book:
    return Book(Meta(), (Section(Role.CHAPTER, tuple(read_text(text)), line=1),))


def _structure(text: str, cfg: BuildConfig | None = None):
    cfg = cfg or BuildConfig()
    book, decisions = mark_scene_breaks(_book(text), cfg)
    book, more = split_chapters(book, cfg)
    book, notes = extract_notes(book, cfg)
    return book, decisions + more + notes


def _roles(book: Book) -> list[tuple[Role, int]]:
    return [(s.role, len(s.blocks)) for s in book.sections]


@pytest.mark.parametrize("note", FRONT)
def test_front_notes_are_recognised(note):
    book, decisions = _structure(f"{note}\n\n{STORY}")
    assert _roles(book) == [(Role.FRONT_NOTE, 1), (Role.CHAPTER, 3)]
    made = [d for d in decisions if d.transform == "notes"]
    assert [d.action for d in made] == ["note"] and made[0].data["placement"] == "front"


@pytest.mark.parametrize("note", BACK)
def test_back_notes_are_recognised(note):
    book, _ = _structure(f"{STORY}\n\n{note}")
    assert _roles(book) == [(Role.CHAPTER, 3), (Role.BACK_NOTE, 1)]


@pytest.mark.parametrize(
    "opening",
    [
        '"I don\'t own a thing," she said, "and I never will."',
        "I don't own much, but the boat was mine.",
        "Thanks to the storm, the harbour was closed.",
        "Part of the review board had already gone home.",
    ],
)
def test_story_that_sounds_like_a_note_stays_story(opening):
    book, _ = _structure(f"{opening}\n\n{STORY}")
    assert _roles(book) == [(Role.CHAPTER, 4)]


def test_a_note_over_several_paragraphs_ends_where_the_story_starts():
    text = (
        "A/N: Hi everyone! This is my first story for this fandom.\n\n"
        "So this takes place after season two, and yes, I know the timeline is off.\n\n"
        "Anyway, I had fun writing this, so sorry for any mistakes!\n\n"
        f"{STORY}"
    )
    book, decisions = _structure(text)
    assert _roles(book) == [(Role.FRONT_NOTE, 3), (Role.CHAPTER, 3)]
    # The last paragraph is a short exclaimed aside with two words of author's talk: a note on its own.
    assert [d.code for d in decisions if d.transform == "notes"] == ["NT001", "NT002", "NT008"]


def test_a_label_alone_carries_the_next_paragraph():
    book, _ = _structure(f"Author's Note:\n\nThe town in this is made up.\n\n{STORY}")
    assert _roles(book) == [(Role.FRONT_NOTE, 2), (Role.CHAPTER, 3)]


def test_a_marker_between_note_and_story_is_not_a_break():
    book, decisions = _structure(f"A/N: Short one today.\n\n* * *\n\n{STORY}\n\n~*~\n\nThanks for reading!")
    assert _roles(book) == [(Role.FRONT_NOTE, 1), (Role.CHAPTER, 3), (Role.BACK_NOTE, 1)]
    assert sorted(d.data.get("marker", d.excerpt) for d in decisions if d.code == "SB006") == ["* * *", "~*~"]


def test_notes_between_chapters_stay_between_them():
    text = (
        "Chapter 1\n\nThe road was long.\n\nIt rained.\n\nA/N: Next chapter soon, I promise!\n\n"
        "Chapter 2\n\nA/N: Sorry for the wait!\n\nThe road was shorter.\n\nIt snowed."
    )
    book, _ = _structure(text)
    assert _roles(book) == [(Role.CHAPTER, 2), (Role.FRONT_NOTE, 2), (Role.CHAPTER, 2)]


def test_inline_note_becomes_an_endnote():
    book, decisions = _structure(f"{STORY}\n\nShe smiled (A/N: a nod to the first book) and left the room.\n\nThe end came quietly.")
    paragraph = book.sections[0].blocks[3]
    assert isinstance(paragraph, Paragraph)
    assert block_text(paragraph) == "She smiled and left the room."
    assert any(isinstance(n, NoteRef) for n in paragraph.inlines)
    assert [block_text(b) for n in book.notes for b in n.blocks] == ["a nod to the first book"]
    assert "NT004" in {d.code for d in decisions}


def test_labelled_note_mid_chapter_becomes_an_endnote():
    book, _ = _structure(f"{STORY}\n\nA/N: I know this part is slow.\n\nThe ship ran aground at dawn.")
    assert len(book.notes) == 1
    texts = [block_text(b) for b in book.sections[0].blocks]
    assert "A/N: I know this part is slow." not in texts
    assert isinstance(book.sections[0].blocks[2].inlines[-1], NoteRef)


NOTED = f"Disclaimer: Not mine.\n\n{STORY} (A/N: an aside) done.\n\nThanks for reading!"


def test_notes_end_moves_every_note_after_the_story():
    book, _ = _structure(NOTED, BuildConfig(notes="end"))
    assert _roles(book) == [(Role.CHAPTER, 3), (Role.BACK_NOTE, 2)]
    assert block_text(book.sections[1].blocks[0]).startswith("Disclaimer")
    assert len(book.notes) == 1


def test_notes_drop_removes_every_note():
    book, decisions = _structure(NOTED, BuildConfig(notes="drop"))
    assert [s.role for s in book.sections] == [Role.CHAPTER]
    assert book.notes == ()
    assert not any(isinstance(n, NoteRef) for b in book.sections[0].blocks for n in getattr(b, "inlines", ()))
    assert {d.data.get("placement") for d in decisions if d.action == "note"} == {"dropped"}


_SENTENCES = st.sampled_from(
    ["The gate creaked.", "A/N: a thought.", "Please review!", "Rain again.", "Thanks for reading!", "She laughed."]
)


@given(st.lists(_SENTENCES, min_size=1, max_size=10))
def test_keep_loses_no_paragraph(paragraphs):
    book, _ = _structure("\n\n".join(paragraphs))
    kept = [block_text(b) for s in book.sections for b in s.blocks if isinstance(b, Paragraph)]
    kept += [block_text(b) for n in book.notes for b in n.blocks]
    assert sorted(kept) == sorted(paragraphs)


def test_an_unrecognised_note_paragraph_before_the_first_heading_is_still_a_note():
    text = (
        "A/N: Here it is at last.\n\nI have been sitting on this for ages, be kind.\n\n"
        "The Long Way Round\n\nThe caravan left at dawn.\n\nNobody waved.\n\nThe road bent east."
    )
    book, decisions = _structure(text)
    assert _roles(book) == [(Role.FRONT_NOTE, 2), (Role.CHAPTER, 3)]
    assert "NT007" in {d.code for d in decisions}


# Each rule with a case it takes and, beside it, the story it must leave alone.
RULES = [
    ("Edit 3/14: fixed the typos.", "NT001"),  # a label with a qualifier before its colon
    ("UPDATE (June): rewrote the ending.", "NT001"),
    ("CW // a death in the family", "NT001"),  # slashes after a label
    ("P.S. I'm on tumblr now!", "NT001"),  # a dotted label needs no colon
    ("PS I love you more than the sea.", None),
    ("Content notes: grief, one funeral.", "NT001"),
    ("Fun fact: the stew is my mother's recipe.", "NT001"),
    ("An (old) man sat by the water.", None),
    ("I don't own anything.", "NT002"),  # the disclaimer's object ends the clause
    ("I don't own anything worth stealing, which is why the break-in made no sense.", None),
    ("I'm back with another chapter!", "NT002"),
    ("I'm back in the valley for the first time in years, and the story is still wrong.", None),
    ("Next time: the beach. Stay tuned!", "NT002"),
    ("Stay tuned, said the radio, and then there was static.", None),
    ("The next chapter is half written.", "NT002"),
    ("He never did read the next chapter. Some endings are better left alone.", None),
    ("Hope you like it!", "NT002"),
    ("I hope you like it here, she wrote, and then crossed it out.", None),
    ("Inspired by a prompt from my friend Ash.", "NT002"),
    ("Inspired by the song his mother hummed, Theo took the violin down.", None),
    ("For Kit.", "NT002"),  # a dedication; a title has no full stop
    ("For Whom the Bell Tolls", None),
    ("For Kit, who asked for this a year ago.", "NT002"),
    ("This is an AU where nobody has magic.", "NT002"),
    ("The au pair arrived on a Monday.", None),
    ("A quick note before we start: the chapters alternate.", "NT002"),
    ("Note to self: never trust a goat with a schedule.", None),
    ("Trigger warning for panic attacks.", "NT002"),
    ("Sorry this took so long, guys.", "NT002"),
    ("Thanks to everyone who messaged me asking for more.", "NT002"),
    ("Thanks to everyone who came, the barn went up in a day.", None),
    ("Reviews = faster updates!", "NT002"),
    ("Italics are flashbacks.", "NT002"),
    ("Bye for now!", "NT002"),
    ("Goodbye for now, she told the sea, and went inside.", None),
    ("My first attempt at writing for this pairing, so be kind!", "NT008"),  # a short exclaimed aside
    ("I hope the story of that night is written down one day, she thought.", None),
    ("Rated T for language.", "NT002"),
    ("The first story my grandmother told me was about a fox.", None),
    ("Nothing you see here is mine except the mistakes.", "NT002"),
    ("Nothing here was mine anymore, she thought.", None),
    ("The title comes from an old sea shanty.", "NT002"),
    ("The title came to him in a dream.", None),
    ("She smiled (A/N: a nod to the first book) and left.", None),  # an inline note, lifted later
    # a phrase a character says without quotation marks, then told who said it
    ("Please note the time, the inspector said: a quarter past four.", None),
    ("Please note: this one is sad.", "NT002"),
    ("Spoiler alert: the butler did it, Jem announced.", None),
    ("A/N: thanks to Sam, who said yes, she said, to everything.", "NT001"),  # A/N is no one's speech
    ("Disclaimers aside, the contract was clear.", None),
    ("Disclaimer I own nothing.", "NT001"),  # a bare label
    ("It had been worth the wait.", None),
    ("Hope it was worth the wait!", "NT002"),
    ("Drop me a line when you get to Paris.", None),
    ("Special thanks were due to the fire brigade.", None),
    ("Special thanks to M. for the tea.", "NT002"),
    ("If you have a minute, a review would make my week.", "NT002"),
    ("The review would make or break the restaurant.", None),
    ("Feedback of any kind is hugely appreciated.", "NT002"),
    ("I'd love to hear which one was your favourite!", "NT002"),
    ("Did you guess the twist? Let me know!", "NT002"),
    ("If anything changes, let me know.", None),
    ("Quick disclaimer: none of the original characters belong to me.", "NT002"),
    ("None of the money is mine.", None),
    ("Until the next adventure!", "NT002"),
    ("Until the next time we meet, he thought.", None),
    ("Do read the originals; you should absolutely read them if you haven't.", "NT002"),
    ("You should read this letter first, before the will.", None),
]


@pytest.mark.parametrize(("text", "code"), RULES)
def test_each_note_rule_and_the_story_beside_it(text, code):
    match = note_cue(text)
    assert (match.code if match else None) == code


def test_a_short_aside_after_a_note_needs_one_word_of_authors_talk():
    assert continues_note("I'm thinking about a sequel. Would anyone read it?")
    assert not continues_note("I thought about the sea all that winter.")
    long_story = "I thought about the sequel to that summer for years, " + "and the sea was grey " * 8 + "always."
    assert not continues_note(long_story)


def test_short_paragraphs_before_the_first_heading_are_front_matter_when_half_are_notes():
    assert front_matter(["Honestly this is my sister's fault.", "A/N: She dared me."])
    assert not front_matter(["Thanks to the storm, nobody came.", "Please review the ledger, he said.", "It stayed shut."])
    assert not front_matter(["A/N: hi!", '"Run," she said.'])  # speech is story
    assert not front_matter(["A/N: hi!"] + ["The wind rose."] * 6)


def test_a_note_no_rule_knows_before_the_first_heading_is_front_matter():
    text = "Honestly this is all my sister's fault.\n\nA/N: She dared me.\n\nThe Orchard Wall\n\n" + STORY
    book, decisions = _structure(text)
    assert _roles(book) == [(Role.FRONT_NOTE, 2), (Role.CHAPTER, 3)]
    assert [d.code for d in decisions if d.transform == "notes"] == ["NT009", "NT001"]


@pytest.mark.parametrize(("line", "signs"), [
    ("~Wren", True), ("- Jen", True), ("Love,\nSam", True), ("xx Mags", True), ("~*~Wren~*~", True),
    ("Reginald", False),  # a bare name could be the next story's title
    ("The ship ran aground at dawn.", False),
])
def test_a_signature_is_a_name_after_a_dash_or_a_closing_word(line, signs):
    assert signs_off(line) is signs


def test_the_authors_name_under_a_closing_note_belongs_to_the_note():
    book, decisions = _structure(f"{STORY}\n\nA/N: Thanks for reading!\n\n~Wren")
    assert _roles(book) == [(Role.CHAPTER, 3), (Role.BACK_NOTE, 2)]
    assert "NT011" in {d.code for d in decisions}


def test_a_short_aside_after_a_closing_a_n_belongs_to_it_but_story_does_not():
    book, decisions = _structure(f"{STORY}\n\nA/N: Thanks for reading!\n\nAnyway, bye!")
    assert _roles(book) == [(Role.CHAPTER, 3), (Role.BACK_NOTE, 2)]
    assert "NT012" in {d.code for d in decisions}
    book, _ = _structure(f"{STORY}\n\nA/N: I know this part is slow.\n\nThe ship ran aground at dawn.")
    assert _roles(book) == [(Role.CHAPTER, 4)] and len(book.notes) == 1


def test_a_manuscript_read_as_notes_only_is_warned_about():
    _book_after, decisions = _structure("A/N: Thanks for reading!\n\nDisclaimer: I own nothing.\n")
    assert [d.code for d in decisions if d.action == "warning"] == ["NT021"]


def test_no_story_warning_stays_quiet_when_story_is_left():
    _book_after, decisions = _structure("Disclaimer: I own nothing.\n\nThe rain kept on over the valley.\n")
    assert "NT021" not in {d.code for d in decisions}


def _closing_by_scanning(text: str, start: int) -> int:
    """The bracket closing the one at ``start``, found by counting nested pairs onwards."""
    opener = text[start]
    closer = {"(": ")", "[": "]", "{": "}"}[opener]
    depth = 0
    for position in range(start, len(text)):
        depth += (text[position] == opener) - (text[position] == closer)
        if text[position] == closer and depth == 0:
            return position
    return -1


@given(st.text(alphabet="([{)]}a ", max_size=60))
def test_brackets_pair_in_one_pass_as_counting_nested_pairs_would(text: str) -> None:
    """Hostile hunt, round 2: each opener scanned to the text's end for its closer, so 10,000
    unclosed "(A/N: " took 113 s; the pairs are now found in one pass."""
    from bookbuild.structure.inline_notes import bracket_pairs

    pairs = bracket_pairs(text)
    for start, char in enumerate(text):
        if char in "([{":
            assert pairs.get(start, -1) == _closing_by_scanning(text, start)


def test_unclosed_note_openers_keep_every_word_and_closed_ones_still_lift() -> None:
    from bookbuild.structure.inline_notes import split_inline_notes

    text = "(A/N: " * 50 + "then (A/N: a real note) and the story."
    pieces = split_inline_notes(text)
    assert ("a real note",) in pieces
    assert "".join(p if isinstance(p, str) else "" for p in pieces).count("A/N") == 50
