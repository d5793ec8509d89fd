"""The nothing-lost check: every word the reader found reaches the EPUB and the PDF, in order.

Words are compared after folding away what typography may change (quotes, dashes, ellipses,
invisible joiners, case), so only real loss counts. Text may leave the reading order only
when the finished model holds it elsewhere (a note, a note section, the metadata, a section
title, a scene break's marker) or a decision says it took the paragraph out (a header line
lifted into the metadata, a marker dropped). The build runs this on every file it writes,
before renaming it into place (see :mod:`bookbuild.pipeline`).
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bookbuild.decisions import Decision
from bookbuild.errors import OutputError
from bookbuild.model import Book, Heading, Paragraph, Role, SceneBreak, plain_text
from bookbuild.verify.align import unmatched
from bookbuild.verify.fold import fold, is_shaped, shaped_letters_kept, words
from bookbuild.verify.outputs import epub_documents, epub_words, pdf_words

# Labels that may vanish when the text they introduce moves: "A/N:", "Author's note:", "Title:".
LABELS = frozenset(
    "a n an author authors s note notes ps p pps disclaimer edit update title by summary rating rated "
    "genre genres pairing pairings characters warning warnings words word count chapter fandom status "
    "complete published updated category categories language series".split()
)
# Steps that never move text, so a decision of theirs excuses nothing; and the actions by
# which the others say they took a paragraph out of the text.
TEXT_PRESERVING = frozenset({"read", "typography", "scene_inference"})
REMOVING = frozenset({"metadata", "drop", "remove", "lift", "delete"})


@dataclass(frozen=True, slots=True)
class Expected:
    """The manuscript's words in reading order, with each word's paragraph and line."""

    words: list[str]
    paragraph: list[int]
    lines: list[int | None]
    paragraphs: list[list[str]]
    # Paragraphs with a right-to-left override (U+202E): see lost_words.
    overridden: frozenset[int] = frozenset()


def expected_words(source: Book) -> Expected:
    """Every word of the book as read, before any transform ran."""
    found: list[str] = []
    owner: list[int] = []
    lines: list[int | None] = []
    paragraphs: list[list[str]] = []
    overridden: set[int] = set()
    for section in source.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, Heading)):
                text = plain_text(block.inlines)
                these = words(text)
                index = len(paragraphs)
                if "\u202e" in text:
                    overridden.add(index)
                paragraphs.append(these)
                found.extend(these)
                owner.extend([index] * len(these))
                lines.extend([block.line] * len(these))
    return Expected(found, owner, lines, paragraphs, frozenset(overridden))


def _elsewhere(book: Book) -> tuple[str, list[str]]:
    """Words the finished model keeps outside the story's order (items split by a sentinel),
    and the moved notes' words alone."""
    items: list[str] = [
        str(getattr(book.meta, name)) for name in ("title", "author", "description", "series", "publisher", "date", "source", "rights")
    ]
    items.extend(book.meta.subjects)
    notes: list[str] = []
    for section in book.sections:
        items.append(plain_text(section.title))
        if section.role is not Role.CHAPTER:
            notes.extend(_block_text(b) for b in section.blocks)
    for note in book.notes:
        notes.extend(_block_text(b) for b in note.blocks)
    folded = [" ".join(words(item)) for item in notes]
    everything = [" ".join(words(item)) for item in items] + folded
    return "\x00 " + " \x00 ".join(everything) + " \x00", folded


def _block_text(block: object) -> str:
    return plain_text(block.inlines) if isinstance(block, (Paragraph, Heading)) else ""


def _markers(book: Book) -> Counter[tuple[str, ...]]:
    """The words of each scene-break marker the finished model keeps, with their counts."""
    found: Counter[tuple[str, ...]] = Counter()
    for section in book.sections:
        for block in section.blocks:
            if isinstance(block, SceneBreak) and block.marker and (marker := tuple(words(block.marker))):
                found[marker] += 1
    return found


def _set_aside(exp: Expected, notes: list[str], markers: Counter[tuple[str, ...]], named: list[list[str]]) -> list[bool]:
    """Which expected words the model accounts for outside the story's order.

    Paragraphs that became scene-break markers or that a structural decision names, and each
    moved note's words where they stood (with the label before them, "A/N:").
    """
    aside = [False] * len(exp.words)
    starts: list[int] = []
    total = 0
    for paragraph in exp.paragraphs:
        starts.append(total)
        total += len(paragraph)
    left = Counter(markers)
    for index, paragraph in enumerate(exp.paragraphs):
        key = tuple(paragraph)
        if (key and left[key] > 0) or any(paragraph[: len(n)] == n for n in named):
            left[key] -= 1 if left[key] > 0 else 0
            aside[starts[index] : starts[index] + len(paragraph)] = [True] * len(paragraph)
    at: dict[str, list[int]] = defaultdict(list)
    for index, word in enumerate(exp.words):
        at[word].append(index)
    for note in (n.split() for n in notes if n):
        place = _note_place(note, exp, at, aside, starts)
        if place is None:
            continue
        first = place
        while first > starts[exp.paragraph[place]] and exp.words[first - 1] in LABELS and place - first < 4:
            first -= 1
        aside[first : place + len(note)] = [True] * (place + len(note) - first)
    return aside


def _note_place(note: list[str], exp: Expected, at: dict[str, list[int]], aside: list[bool], starts: list[int]) -> int | None:
    """Where a moved note stood: after a label if it can, else as a whole paragraph, else first."""
    places = [
        p for p in at.get(note[0], ())
        if exp.words[p : p + len(note)] == note and not any(aside[p : p + len(note)])
    ]
    for p in places:
        if p > starts[exp.paragraph[p]] and exp.words[p - 1] in LABELS:
            return p
    for p in places:
        if p == starts[exp.paragraph[p]] and len(exp.paragraphs[exp.paragraph[p]]) == len(note):
            return p
    return places[0] if places else None


def _named(decisions: tuple[Decision, ...] | list[Decision]) -> list[list[str]]:
    """First words of the paragraphs a decision took out of the text (a header line lifted
    into the metadata, a scene break's marker dropped)."""
    return [
        w
        for d in decisions
        if d.excerpt
        and d.action in REMOVING
        and d.transform not in TEXT_PRESERVING
        and (w := words(d.excerpt.removesuffix("…")))
    ]


def _dropped_notes(decisions: tuple[Decision, ...] | list[Decision]) -> list[str]:
    """The folded words of each author's note the settings dropped (``notes = "drop"``)."""
    return [
        " ".join(words(d.data[key]))
        for d in decisions
        if d.transform == "notes" and (d.action in REMOVING or d.data.get("placement") == "dropped")
        for key in ("title", "text")
        if isinstance(d.data.get(key), str)
    ]


def _moved(run: list[str], elsewhere: str) -> bool:
    """Whether a run, less any leading labels ("A/N:"), is held elsewhere in the model."""
    for start in range(len(run)):
        if f" {' '.join(run[start:])} " in elsewhere:
            return True
        if run[start] not in LABELS:
            return False
    return False


def _runs(indexes: list[int], exp: Expected) -> list[tuple[int, int]]:
    """Missing word indexes grouped into runs that stay inside one paragraph."""
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index and exp.paragraph[runs[-1][0]] == exp.paragraph[index]:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


# The EPUB's and the PDF's checks of one build compare with the same words: prepared once.
_last_prepared: list[tuple[tuple[object, ...], tuple]] = []


def _prepared(source: Book, book: Book, decisions: tuple[Decision, ...] | list[Decision]) -> tuple:
    """What a check compares an output with, for the source, model and decisions of a build."""
    for (kept_source, kept_book, kept_decisions), prepared in _last_prepared:
        if kept_source is source and kept_book is book and kept_decisions == tuple(decisions):
            return prepared
    exp = expected_words(source)
    elsewhere, notes = _elsewhere(book)
    # A dropped note is set aside where it stood, as a moved one is.
    notes = notes + _dropped_notes(decisions)
    markers = _markers(book)
    named = _named(decisions)
    # What the model says left the story's order is set aside before aligning, so a word
    # moved into a note cannot be matched further on and pull good text out of place.
    aside = _set_aside(exp, notes, markers, named)
    kept = [i for i, out in enumerate(aside) if not out]
    allowance = [index - (kept[k - 1] + 1 if k else 0) for k, index in enumerate(kept)]
    prepared = (exp, elsewhere, notes, markers, named, kept, allowance)
    _last_prepared[:] = [((source, book, tuple(decisions)), prepared)]
    return prepared


def lost_words(
    source: Book,
    book: Book,
    decisions: tuple[Decision, ...] | list[Decision],
    actual: list[str],
    split_words: bool = False,
) -> list[tuple[int | None, list[str]]]:
    """Runs of words the output lost that nothing in the model accounts for, with their lines."""
    exp, elsewhere, notes, markers, named, kept, allowance = _prepared(source, book, decisions)
    missing = [kept[i] for i in unmatched([exp.words[i] for i in kept], actual, split_words, allowance, LABELS)]
    if not missing:
        return []
    # A PDF's text layer scrambles shaped scripts (vowelled Arabic, a Devanagari reph): their
    # words are found by their letters when the layer holds all of them.
    letters_kept = split_words and shaped_letters_kept([exp.words[i] for i in kept], actual)
    # The PDF draws only an override's first line reversed (the lines after a break are laid
    # out again without the U+202E before them), so a word under one may come either way round.
    drawn: set[str] | None = None
    lost = []
    for start, end in _runs(missing, exp):
        run = exp.words[start:end]
        if letters_kept and all(is_shaped(w) for w in run):
            continue
        if split_words and exp.paragraph[start] in exp.overridden:
            drawn = drawn if drawn is not None else {"".join(sorted(w)) for w in actual}
            if all("".join(sorted(w)) in drawn for w in run):
                continue
        whole = exp.paragraphs[exp.paragraph[start]]
        if markers[tuple(run)] or markers[tuple(whole)]:
            continue
        if _moved(run, elsewhere):
            continue
        # A note's label ("A/N:") left behind alone: its note moved out of this paragraph
        # (or had no words to find it by).
        if all(w in LABELS for w in run) and any(not n or f" {n} " in f" {' '.join(whole)} " for n in notes):
            continue
        if any(whole[: len(n)] == n for n in named):
            continue
        lost.append((exp.lines[start], exp.words[start:end]))
    return lost


@contextlib.contextmanager
def missing_glyphs():
    """Collect the characters WeasyPrint found in no font while the block runs (they print as boxes)."""
    found: set[str] = set()

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if str(record.msg).startswith(".notdef glyph") and record.args:
                found.add(str(record.args[0]))

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


def glyph_warning(characters: set[str]) -> Decision:
    """The warning for characters the PDF's fonts cannot show."""
    shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(characters)[:8])
    more = f" and {len(characters) - 8} more" if len(characters) > 8 else ""
    return Decision(
        "verify", "VF001", "warning",
        f"no font has a glyph for {shown}{more}: the PDF prints them as empty boxes; "
        f"install {_font_package(characters)} (Debian and Ubuntu; make setup does) or another font that has them",
    )


def _font_package(characters: set[str]) -> str:
    """The Debian package of Noto fonts that covers most of ``characters``."""
    cjk = sum(1 for ch in characters if _is_cjk(ord(ch)))
    emoji = sum(1 for ch in characters if ord(ch) >= 0x1F000)
    best = max((cjk, "fonts-noto-cjk"), (emoji, "fonts-noto-color-emoji"), (len(characters) - cjk - emoji, "fonts-noto-core"))
    return best[1]


def _is_cjk(code: int) -> bool:
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF


def verify_output(
    fmt: str,
    path: Path,
    source: Book,
    book: Book,
    decisions: tuple[Decision, ...] | list[Decision],
    name: str = "",
    unprintable: frozenset[str] = frozenset(),
) -> None:
    """Raise OutputError if the written file lost any of the manuscript's words.

    ``unprintable`` characters (no font has them, so the PDF shows a box) only add a hint to
    the message: the text layer still carries them.
    """
    label = name or path.name
    if fmt in ("epub", "kepub"):
        actual, split = epub_words(path), False
    elif fmt == "pdf":
        actual, split = pdf_words(path), True
    else:
        return
    lost = lost_words(source, book, decisions, actual, split_words=split)
    if lost:
        count = sum(len(run) for _, run in lost)
        line, first = lost[0]
        where = f" from line {line}" if line else ""
        excerpt = " ".join(first[:12]) + (" …" if len(first) > 12 else "")
        hint = ""
        if fmt == "pdf" and unprintable:
            hint = f"; no font has {''.join(sorted(unprintable)[:8])}, which may garble the text layer"
        raise OutputError(
            f"nothing-lost check failed for {label}: {count} word(s) of the manuscript missing{where} "
            f"(\"{excerpt}\"){hint}; this is a bookbuild bug, please report it (--no-verify skips the check)"
        )


__all__ = [
    "epub_documents",
    "epub_words",
    "fold",
    "glyph_warning",
    "lost_words",
    "missing_glyphs",
    "pdf_words",
    "unmatched",
    "verify_output",
    "words",
]
