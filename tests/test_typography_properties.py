"""Properties of typesetting any text: words survive in order, and twice is the same as once."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Emph, LineBreak, Meta, Paragraph, Role, Section, Text, plain_text
from bookbuild.transforms.typography import typeset
from bookbuild.typography import RULES, run_joined, run_pieces

# Characters and tokens a manuscript types, with the typographic ones it may already hold.
CHARACTERS = "aAIs019 \"'-.?!,;:()[]…—–“”‘’\u2060\u00a0/@=_*"
TOKENS = [
    "em", "til", "cause", "90s", "I-", "We-", "He", "--v", "--and", "http://a.com/b-c",
    "x.txt", "555-1234", "1990-1995", "6'4\"", '12"', "2024-01-02", " - ", "--", "...",
    ". . .", "....", "a@b.co", "'n'", "Kal-El", "I-I", "W-w", "3:45", "-20", "''", "'Frisco",
    "----", "------", "darlin'", "Mr.", "'Gene", "comin'", "'Is", "4-6pm", "10:30-11:00", "'05-'06",
    "......", ". . . ?", "'80's",
    "12--19", "£5-£10", "3-4kg", "9 - 2 = 7", "paused-\"", "you-never", "clear -leave", "ls -la", "–-",
    "[a]'s", "''tis", "\"'tis", "'n'http://a.com/b-c'n'.’", "'Gene came by.", "1990s--2000s",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(CHARACTERS), st.sampled_from(TOKENS)), max_size=24).map("".join)

# Folding typography back to ASCII; word joiners vanish.
FOLD = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "′": "'", "″": '"', "—": "--", "–": "-", "−": "-", "…": "...",
     "⸺": "--", "\u2060": None}
)  # fmt: skip
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.replace("\u2060", ""))


def once(text: str) -> str:
    return run_joined(RULES, [text])[0][0]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_folding_back_to_ascii_gives_the_same_words_in_order(text: str) -> None:
    assert words(once(text).translate(FOLD)) == words(text)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_typesetting_twice_is_the_same_as_once(text: str) -> None:
    typed = once(text)
    assert once(typed) == typed


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_paragraphs_do_not_affect_each_other(first: str, second: str) -> None:
    assert run_joined(RULES, [first, second])[0] == [once(first), once(second)]


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=0, max_value=30))
def test_cutting_a_paragraph_into_spans_does_not_change_its_text(text: str, cut: int) -> None:
    pieces, _, _ = run_pieces(RULES, [text[:cut], text[cut:]])
    assert "".join(pieces) == once(text)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_a_line_break_stays_a_line_break(first: str, second: str) -> None:
    pieces, _, _ = run_pieces(RULES, [first, "\n", second])
    assert len(pieces) == 3 and pieces[1] == "\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4), st.integers(min_value=0, max_value=30))
def test_transform_is_idempotent_and_keeps_words(paragraphs: list[str], cut: int) -> None:
    blocks = tuple(
        Paragraph((Text(p[:cut]), Emph((Text(p[cut:]),)), LineBreak(), Text("end"))) for p in paragraphs
    )
    book = Book(Meta(), (Section(Role.CHAPTER, blocks),))
    once_book, _ = typeset(book, BuildConfig())
    twice_book, _ = typeset(once_book, BuildConfig())
    assert twice_book == once_book
    for before, after in zip(book.sections[0].blocks, once_book.sections[0].blocks, strict=True):
        assert words(plain_text(after.inlines).translate(FOLD)) == words(plain_text(before.inlines))


def test_a_time_range_after_a_minus_sign_is_set_the_same_the_second_time() -> None:
    """Hypothesis found "-10:30-11:00": the first pass made the leading hyphen a minus sign,
    which the time-range rule did not treat as a hyphen, so the second pass set an en dash."""
    book = Book(Meta(), (Section(Role.CHAPTER, (Paragraph((Text("-10:30-11:00"),)),)),))
    once, _ = typeset(book, BuildConfig())
    assert typeset(once, BuildConfig())[0] == once


def test_an_interruption_before_a_cut_off_word_is_set_the_same_the_second_time() -> None:
    """Hypothesis found "I-We-": the first pass cut "We" off with a dash, after which the
    interruption rule (which refused a word followed by a hyphen) took "I-" on the second pass."""
    typed = once("I-We-")
    assert once(typed) == typed


def test_a_word_pair_before_a_decade_with_primes_is_set_the_same_the_second_time() -> None:
    """Hypothesis found "you-never'80'sI-": the first pass set the decade's apostrophes as a
    quote and a prime, and the word-pair rule, which ended the word at a prime, then took "you-"."""
    typed = once("you-never'80'sI-")
    assert once(typed) == typed
