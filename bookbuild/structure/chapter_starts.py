"""Find where chapters start: Markdown headings, heading lines, and story titles in a collection."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bookbuild.config import Overrides
from bookbuild.model import Book, Heading, Inline, LineBreak, Paragraph, Text, block_text
from bookbuild.structure.blocks import ends_sentence
from bookbuild.structure.headings import HeadingMatch, chapter_heading, looks_like_title
from bookbuild.structure.notecues import (
    MAX_FRONT_MATTER,
    front_matter,
    leading_run,
    loose_paragraphs,
    note_cue,
)
from bookbuild.structure.overrides import matches

# Story titles in a collection stand well apart; two close together are captions or a list.
MIN_TITLE_GAP = 3
MAX_TITLE_WORDS_FROM_OVERRIDE = 12


@dataclass(frozen=True, slots=True)
class Start:
    """A chapter start: the heading blocks it consumes, its title, and why."""

    section: int
    index: int
    span: int
    title: tuple[Inline, ...]
    match: HeadingMatch
    line: int | None


@dataclass(frozen=True, slots=True)
class Found:
    """Every chapter start in a book, and the override phrases that named a paragraph."""

    starts: tuple[Start, ...]
    removed: tuple[tuple[int, int, str], ...]
    used_add: frozenset[str]


def _split_level(book: Book) -> int:
    """The Markdown heading level chapters split at: the highest one used (deeper ones stay inside)."""
    levels = [b.level for s in book.sections for b in s.blocks if isinstance(b, Heading) and block_text(b).strip()]
    return min(levels, default=0)


def _story_opening(texts: list[str | None]) -> int:
    """Index of the first block after the notes that open a section.

    A note can end in a paragraph no rule recognises; a title line a short step later still
    marks where the story starts.
    """
    run = leading_run(texts)
    if not run:
        # A note the rules miss may come first; a title line after a few short paragraphs, half
        # of them notes, still opens the story.
        limit = min(len(texts), MAX_FRONT_MATTER + 1)
        return next((i for i in range(1, limit) if looks_like_title(texts[i] or "") and front_matter(texts[:i])), 0)
    after = run[-1].index + 1
    for step in range(loose_paragraphs(texts, after) + 1):
        if after + step < len(texts) and looks_like_title(texts[after + step] or ""):
            return after + step
    return after


def _context_ok(texts: list[str | None], index: int, explicit: dict[int, HeadingMatch]) -> bool:
    """A title line follows the end of a sentence (or a break) and precedes more text."""
    if index + 1 >= len(texts) or (texts[index + 1] is None and index + 1 not in explicit):
        return False
    if index == 0 or texts[index - 1] is None or index - 1 in explicit:
        return True
    return ends_sentence(texts[index - 1] or "")


def find_starts(book: Book, overrides: Overrides) -> Found:
    """Every chapter start in the book, in reading order."""
    split_level = _split_level(book)
    by_section: list[dict[int, tuple[HeadingMatch, tuple[Inline, ...]]]] = []
    removed: list[tuple[int, int, str]] = []
    used_add: set[str] = set()
    all_texts = []
    # A line met again (a pasted list of one-word lines) is judged once.
    heading_of: Callable[[str], HeadingMatch | None] = functools.cache(chapter_heading)
    title_like: Callable[[str], bool] = functools.cache(looks_like_title)
    for section in book.sections:
        texts = [block_text(b).strip() if isinstance(b, Paragraph) else None for b in section.blocks]
        all_texts.append(texts)
        found: dict[int, tuple[HeadingMatch, tuple[Inline, ...]]] = {}
        for i, block in enumerate(section.blocks):
            if isinstance(block, Heading) and block.level <= split_level:
                text = block_text(block).strip()
                if text:
                    found[i] = (HeadingMatch("CH006", f"a heading (level {block.level}: Markdown #, HTML <h{block.level}>, Word Heading {block.level})", 1.0, text), block.inlines)
            elif isinstance(block, Paragraph) and (match := heading_of(texts[i] or "")):
                found[i] = (match, (Text(match.title),))
        by_section.append(found)

    numbered = sum(m.code in ("CH001", "CH002", "CH006") for found in by_section for m, _ in found.values())
    shapes = Counter(" ".join((t or "").lower().split()) for texts in all_texts for t in texts if t and title_like(t))
    candidates: list[tuple[int, int]] = []
    for s, texts in enumerate(all_texts):
        explicit = {i: m for i, (m, _) in by_section[s].items()}
        opening = _story_opening(texts)
        for i, text in enumerate(texts):
            if i in explicit or not text or not title_like(text) or not _context_ok(texts, i, explicit):
                continue
            if note_cue(text):  # "The End", "Happy Reading" are notes, however title-like
                continue
            if shapes[" ".join(text.lower().split())] > 1:
                continue
            if i == opening:
                by_section[s][i] = (HeadingMatch("CH005", "a title line opening the story", 0.85, text), book.sections[s].blocks[i].inlines)
            else:
                candidates.append((s, i))
    # Story titles make a collection only when they outnumber the book's numbered headings;
    # a novel with "Chapter N" headings keeps its stray title-like lines as text.
    if len(candidates) >= 2 and len(candidates) > numbered:
        last: tuple[int, int] | None = None
        for s, i in candidates:
            if last is None or last[0] != s or i - last[1] > MIN_TITLE_GAP:
                text = all_texts[s][i] or ""
                rule = f"a title line in a collection of {len(candidates)} (short, title case, no closing stop)"
                by_section[s][i] = (HeadingMatch("CH004", rule, 0.8, text), book.sections[s].blocks[i].inlines)
                last = (s, i)

    for s, section in enumerate(book.sections):
        for i, block in enumerate(section.blocks):
            if not isinstance(block, (Paragraph, Heading)):
                continue
            if i in by_section[s] and (phrase := matches(block, overrides.chapters_remove)):
                del by_section[s][i]
                removed.append((s, i, phrase))
            elif i not in by_section[s] and (phrase := matches(block, overrides.chapters_add)):
                used_add.add(phrase)
                text = block_text(block).strip()
                as_title = len(text.split()) <= MAX_TITLE_WORDS_FROM_OVERRIDE and not ends_sentence(text)
                match = HeadingMatch("CH010", "override: book.toml chapters_add", 1.0, text if as_title else "")
                by_section[s][i] = (match, block.inlines if as_title else ())
    return Found(_merge(book, by_section), tuple(removed), frozenset(used_add))


def _merge(book: Book, by_section) -> tuple[Start, ...]:
    """Starts with adjacent heading lines joined: "A Study in Scarlet" + "I", "Chapter 1" + a title."""
    starts: list[Start] = []
    for s, found in enumerate(by_section):
        blocks = book.sections[s].blocks
        skip = -1
        for i in sorted(found):
            if i <= skip:
                continue
            match, title = found[i]
            span = 1
            following = i + 1
            bare = match.code in ("CH001", "CH002", "CH003") and len(match.title.split()) <= 3
            next_text = block_text(blocks[following]).strip() if following < len(blocks) else ""
            next_is_text = following + 1 < len(blocks) and isinstance(blocks[following + 1], Paragraph)
            if match.title and following in found and found[following][0].title:
                title = title + (LineBreak(),) + found[following][1]
                span = 2
            elif (
                bare
                and isinstance(blocks[following] if following < len(blocks) else None, Paragraph)
                and looks_like_title(next_text)
                and next_is_text
            ):
                title = title + (LineBreak(),) + blocks[following].inlines
                match = HeadingMatch(match.code, f"{match.rule}, with the title line under it", match.confidence, match.title)
                span = 2
            skip = i + span - 1
            starts.append(Start(s, i, span, title, match, blocks[i].line))
    return tuple(starts)
