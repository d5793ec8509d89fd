"""Match the paragraphs that ``book.toml`` [overrides] name by their first words."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from bookbuild.decisions import Decision
from bookbuild.model import Block, Book, Heading, Paragraph, block_text

# Quotes, apostrophes and dashes fold to one form, so an excerpt copied before typography
# (or after it) still names the same paragraph.
_FOLD = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "`": "'",
        "—": "-", "–": "-", "‒": "-", "―": "-", "‐": "-", "‑": "-", "…": "...",
    }
)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(text: str) -> tuple[str, ...]:
    """The words of a text, case-folded, with quotes and dashes folded and punctuation dropped."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return tuple(_WORD.findall(folded))


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).translate(_FOLD).casefold().split())


def phrase_matches(text: str, phrase: str) -> bool:
    """Whether a text begins with a phrase, compared word by word (a wordless phrase: exactly)."""
    phrase = phrase.strip()
    wanted = words(phrase)
    if not wanted:
        # A wordless phrase ("***") is compared character by character, less the " …" that
        # inspect's excerpts end with.
        cut = phrase.removesuffix(" …").strip()
        return bool(phrase) and _compact(text).startswith(_compact(cut or phrase))
    return words(text)[: len(wanted)] == wanted


def matches(block: Block | str, phrases: Iterable[str]) -> str | None:
    """The first override phrase that names this paragraph (by its first words), or None."""
    if not phrases:  # most books name no paragraph: read none of their text
        return None
    if isinstance(block, str):
        text = block
    elif isinstance(block, (Paragraph, Heading)):
        text = block_text(block)
    else:
        return None
    for phrase in phrases:
        if phrase_matches(text, phrase):
            return phrase
    return None


def named_nowhere(book: Book, phrases: Iterable[str]) -> set[str]:
    """The override phrases that name no paragraph or heading of the book."""
    left = set(phrases)
    for section in book.sections:
        for block in section.blocks:
            if left and (phrase := matches(block, left)):
                left.discard(phrase)
    return left


def unused(transform: str, code: str, key: str, phrases: Iterable[str], used: set[str]) -> list[Decision]:
    """Warnings for override phrases that named no paragraph, so a typo does not pass unnoticed."""
    return [
        Decision(
            transform,
            code,
            "warning",
            f"book.toml [overrides] {key}: no paragraph starts with '{phrase}'",
            excerpt=phrase,
        )
        for phrase in phrases
        if phrase not in used
    ]


class Namer:
    """The shortest openings that name some paragraphs each alone in a book, for override keys.

    An override names paragraphs by their first words; eight are usually enough, but a short
    line of speech ("What do you want?") also opens longer ones, and two paragraphs may share
    their first eight words. One pass over the book files every paragraph under the opening it
    shares with a wanted one (one index of first words, each distinct text counted once), so
    naming a paragraph reads only the few that open as it does, each of them once.
    """

    SHORTEST = 8

    def __init__(self, texts: Iterable[str], wanted: Iterable[str]) -> None:
        # Rivals are counted by their text, and a text's words are read once however often it
        # recurs (short lines of speech do; a pasted list of one-word lines does thousands of times).
        self._rivals: dict[tuple[str, ...], Counter[str]] = {}
        self._words: dict[str, tuple[str, ...]] = {}
        self._heads: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[str, tuple[str, bool]] = {}
        for text in wanted:
            self._rivals.setdefault(self._head_of(text)[: self.SHORTEST], Counter())
        lengths = sorted({len(head) for head in self._rivals})
        heads = self._heads
        for text in texts:
            head = heads.get(text)
            if head is None:
                head = heads[text] = _head(text, self.SHORTEST)
            for length in lengths:
                if len(head) < length:
                    break
                found = self._rivals.get(head[:length])
                if found is not None:
                    found[text] += 1

    def _words_of(self, text: str) -> tuple[str, ...]:
        known = self._words.get(text)
        if known is None:
            known = self._words[text] = words(text)
        return known

    def _head_of(self, text: str) -> tuple[str, ...]:
        known = self._heads.get(text)
        if known is None:
            known = self._heads[text] = _head(text, self.SHORTEST)
        return known

    def phrase(self, text: str) -> tuple[str, bool]:
        """A key for a wanted ``text``: its first words, as few as name it alone; and whether they do."""
        known = self._phrases.get(text)
        if known is None:
            known = self._phrases[text] = self._phrase(text)
        return known

    def _phrase(self, text: str) -> tuple[str, bool]:
        head = self._head_of(text)  # the first words, all of them if fewer than SHORTEST
        # Every rival opens with ``own[:shortest]``; the key must outrun the longest shared opening.
        # The text's own words are read whole only if another text opens as it does.
        own: tuple[str, ...] | None = None
        shared = -1
        copies = 0  # paragraphs with exactly these words, the paragraph itself among them
        for rival_text, count in self._rivals.get(head[: self.SHORTEST], {}).items():
            if rival_text == text:
                copies += count
                continue
            own = own or self._words_of(text)
            rival = self._words_of(rival_text)
            if rival == own:
                copies += count
            else:
                shared = max(shared, _common_length(rival, own))
        if copies > 1:  # the same words again, besides the paragraph itself
            own = own or self._words_of(text)
            shared = len(own)
        # With no rival, SHORTEST words name the text (all of them if it has fewer: then head is all).
        shortest = min(self.SHORTEST, len(head))
        need = shortest if own is None else max(shortest, min(shared + 1, len(own)))
        unique = shared < need
        counted = 0
        tokens = text.split()
        # Words never span whitespace, so a prefix's words are its tokens' words, counted as we go
        # (a token of ASCII letters and digits alone is one word).
        for count, token in enumerate(tokens, start=1):
            counted += 1 if token.isascii() and token.isalnum() else len(words(token))
            if counted >= need:
                return " ".join(tokens[:count]), unique
        return text.strip(), unique


HEAD_CHARS = 160  # the first words of a paragraph are read from about this many characters


def _head(text: str, count: int) -> tuple[str, ...]:
    """At least the first ``count`` words of a text (all of them if it has fewer), read from its start.

    The text is cut at an ASCII space: words never span one, and Unicode normalisation never
    joins across one, so the words before it are the whole text's first words.
    """
    cut = text.find(" ", HEAD_CHARS)
    if cut > 0:
        head = words(text[:cut])
        if len(head) >= count:
            return head
    return words(text)


def _common_length(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    """How many first words two word lists share."""
    for index, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return index
    return min(len(left), len(right))
