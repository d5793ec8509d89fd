"""Match the paragraphs that ``book.toml`` [overrides] name by their first words."""

from __future__ import annotations

import re
import unicodedata
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
    their first eight words. One pass over the book finds, for each wanted paragraph, the
    others that open as it does.
    """

    SHORTEST = 8

    def __init__(self, texts: Iterable[str], wanted: Iterable[str]) -> None:
        self._rivals: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for text in wanted:
            own = words(text)
            self._rivals.setdefault(own[: self.SHORTEST], [])
        lengths = sorted({len(head) for head in self._rivals})
        for text in texts:
            other = words(text)
            for length in lengths:
                found = self._rivals.get(other[:length])
                if found is not None and len(other) >= length:
                    found.append(other)

    def phrase(self, text: str) -> tuple[str, bool]:
        """A key for a wanted ``text``: its first words, as few as name it alone; and whether they do."""
        own = words(text)
        rivals = list(self._rivals.get(own[: self.SHORTEST], ()))
        if own in rivals:
            rivals.remove(own)  # the paragraph itself
        need = min(self.SHORTEST, len(own))
        while need < len(own) and any(r[:need] == own[:need] for r in rivals):
            need += 1
        unique = not any(r[:need] == own[:need] for r in rivals)
        tokens = text.split()
        for count in range(1, len(tokens) + 1):
            prefix = " ".join(tokens[:count])
            if len(words(prefix)) >= need:
                return prefix, unique
        return text.strip(), unique
