"""Override keys stay byte-identical: users' book.toml overrides and saved reviews name paragraphs by them.

The reference below is the key-naming algorithm as first shipped (a scan of every rival, every
prefix re-read); the fast ``Namer`` must give exactly its keys and uniqueness flags on the real
manuscript, on generated books full of repeated paragraphs, and on generated texts with shared
openings, odd Unicode and odd whitespace.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.manuscripts import generate
from bookbuild.config import BuildConfig
from bookbuild.model import Paragraph, Role, block_text
from bookbuild.pipeline import process
from bookbuild.structure import overrides
from bookbuild.structure.overrides import Namer, words

SHORTEST = 8


def _reference_phrase(texts: list[str], text: str) -> tuple[str, bool]:
    """The first shipped key for ``text``: as few first words as name it alone among ``texts``."""
    own = words(text)
    head = own[:SHORTEST]
    rivals = [other for other in map(words, texts) if len(other) >= len(head) and other[: len(head)] == head]
    if own in rivals:
        rivals.remove(own)
    need = min(SHORTEST, len(own))
    while need < len(own) and any(r[:need] == own[:need] for r in rivals):
        need += 1
    unique = not any(r[:need] == own[:need] for r in rivals)
    tokens = text.split()
    for count in range(1, len(tokens) + 1):
        prefix = " ".join(tokens[:count])
        if len(words(prefix)) >= need:
            return prefix, unique
    return text.strip(), unique


def _assert_same_keys(texts: list[str], wanted: list[str]) -> int:
    namer = Namer(texts, wanted)
    for text in wanted:
        assert namer.phrase(text) == _reference_phrase(texts, text), text[:80]
    return sum(not namer.phrase(text)[1] for text in wanted)


def _story_paragraphs(path: Path) -> list[str]:
    book = process(path, BuildConfig(scene_breaks="marked")).book
    return [
        block_text(block)
        for section in book.sections
        if section.role is Role.CHAPTER
        for block in section.blocks
        if isinstance(block, Paragraph)
    ]


def test_keys_of_the_real_manuscript_are_unchanged(real_manuscript):
    texts = _story_paragraphs(real_manuscript)
    assert len(texts) > 100
    _assert_same_keys(texts, texts)


def test_keys_of_a_generated_book_with_shared_openings_and_repeats_are_unchanged(tmp_path):
    # The benchmark's paragraphs open as the sample's do, so keys run long; a paragraph repeated
    # whole (a reply said twice) has no unique key at all.
    texts = _story_paragraphs(generate(tmp_path / "book", 12_000, 4, marked=False))
    texts += texts[::7]
    not_unique = _assert_same_keys(texts, texts[::3])
    assert not_unique > 0  # the hard case was met, not only unique keys


def test_keys_when_a_wanted_text_is_not_among_the_book_texts():
    texts = ["What do you want?", "What do you want, Clark?", "Lex stood at the window."]
    _assert_same_keys(texts, ["What do you want? he said", "What do you", "Nobody here"])


_WORDS = st.sampled_from(
    ["what", "do", "you", "want", "Lex", "stood", "at", "the", "window", "don't", "rock'n'roll",
     "ﬁne", "½", "Ｌｅｘ", "é", "e\u0301", "¨", "—", "--", "“Hey,", "Lex”", "...", "***", "'", "_x_"]
)
_SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", "\n", " \u2028 "])


@st.composite
def _texts(draw) -> list[str]:
    openings = draw(st.lists(st.lists(_WORDS, min_size=0, max_size=10), min_size=1, max_size=3))
    texts = []
    for _ in range(draw(st.integers(1, 12))):
        head = draw(st.sampled_from(openings))
        tail = draw(st.lists(_WORDS, max_size=6))
        pieces = head + tail
        text = "".join(piece + draw(_SPACES) for piece in pieces).strip() or draw(_WORDS)
        texts.append(text)
    return texts


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_keys_match_the_reference_on_generated_texts(texts):
    _assert_same_keys(texts, texts)


@settings(max_examples=200, deadline=None)
@given(_texts(), st.integers(1, 40))
def test_keys_match_the_reference_when_first_words_come_from_a_short_cut(texts, head_chars):
    # Long paragraphs are indexed by the words before an early space: force that path here.
    saved = overrides.HEAD_CHARS
    overrides.HEAD_CHARS = head_chars
    try:
        _assert_same_keys(texts, texts)
    finally:
        overrides.HEAD_CHARS = saved
