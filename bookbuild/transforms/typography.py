"""Typeset quotes, apostrophes, dashes and ellipses across each paragraph."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import (
    Block,
    Book,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Paragraph,
    Strong,
    Text,
    first_words,
)
from bookbuild.typography import RULES, run_units
from bookbuild.typography.chars import APOSTROPHE, LEFT_DOUBLE, RIGHT_DOUBLE
from bookbuild.typography.language import FALLBACK, Conventions, conventions_for, localize
from bookbuild.typography.leading import opens_on_elision

NAME = "typography"
Pieces = tuple[str, ...]  # the texts of a run's leaves: Text runs, "\n" for a line break


def _leaves(inlines: tuple[Inline, ...]) -> Iterator[str]:
    for node in inlines:
        if isinstance(node, Text):
            yield node.text
        elif isinstance(node, (Emph, Strong)):
            yield from _leaves(node.children)
        elif isinstance(node, LineBreak):
            yield "\n"
        else:
            yield ""  # a note reference holds no text, but marks a boundary


def _pieces(inlines: tuple[Inline, ...]) -> Pieces:
    if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs: one plain run
        return (inlines[0].text,)
    return tuple(_leaves(inlines))


def _rebuild(inlines: tuple[Inline, ...], texts: Iterator[str]) -> tuple[Inline, ...]:
    rebuilt: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            rebuilt.append(Text(next(texts)))
        elif isinstance(node, (Emph, Strong)):
            rebuilt.append(dataclasses.replace(node, children=_rebuild(node.children, texts)))
        else:
            next(texts)
            rebuilt.append(node)
    return tuple(rebuilt)


def _with_texts(inlines: tuple[Inline, ...], old: Pieces, new: Pieces) -> tuple[Inline, ...]:
    """The same spans holding the typeset texts (the very same tuple if nothing changed)."""
    if new == old:
        return inlines
    return _rebuild(inlines, iter(new))


class _Runs:
    """Every run of text in a book, in reading order, to be typeset in one go."""

    def __init__(self) -> None:
        self.pieces: list[Pieces] = []
        self.lines: list[int | None] = []
        self.excerpts: dict[int, str] = {}

    def add(self, inlines: tuple[Inline, ...], line: int | None) -> int:
        self.pieces.append(_pieces(inlines))
        self.lines.append(line)
        return len(self.pieces) - 1

    def add_blocks(self, blocks: tuple[Block, ...]) -> list[int | None]:
        return [self.add(b.inlines, b.line) if isinstance(b, (Paragraph, Heading)) else None for b in blocks]


def _retyped_blocks(
    blocks: tuple[Block, ...], slots: list[int | None], runs: _Runs, typed: list[Pieces]
) -> tuple[Block, ...]:
    rebuilt: list[Block] = []
    for block, slot in zip(blocks, slots, strict=True):
        if slot is not None and typed[slot] != runs.pieces[slot]:
            inlines = _with_texts(block.inlines, runs.pieces[slot], typed[slot])
            block = (
                Paragraph(inlines, block.line, block.quoted)
                if type(block) is Paragraph
                else dataclasses.replace(block, inlines=inlines)
            )
        rebuilt.append(block)
    return tuple(rebuilt)


def _quotation_report(
    paragraph_slots: list[list[int]], runs: _Runs, typed: list[Pieces]
) -> tuple[int, list[Decision]]:
    """Paragraphs that leave a quotation open: continued by the next paragraph, or unclosed."""
    continued = 0
    decisions: list[Decision] = []
    for slots in paragraph_slots:
        texts = ["".join(typed[slot]) for slot in slots]
        for index, (slot, text) in enumerate(zip(slots, texts, strict=True)):
            first_close, first_open = text.find(RIGHT_DOUBLE), text.find(LEFT_DOUBLE)
            if first_close != -1 and (first_open == -1 or first_close < first_open):
                decisions.append(
                    _doubt(runs, slot, "TY102", "closing quote", "a closing quote with no quotation opened "
                           "before it in the paragraph; printed as closing, nothing else changed")
                )  # fmt: skip
            if text.rfind(LEFT_DOUBLE) <= text.rfind(RIGHT_DOUBLE):
                continue
            if index + 1 < len(texts) and texts[index + 1].lstrip().startswith(LEFT_DOUBLE):
                continued += 1
                continue
            decisions.append(
                _doubt(runs, slot, "TY101", "opening quote", "a quotation opened in this paragraph is never "
                       "closed and the next paragraph does not continue it; it stays an opening quote and "
                       "nothing else changes")
            )  # fmt: skip
    return continued, decisions


def _paragraph_initial_elisions(paragraph_slots: list[list[int]], runs: _Runs, typed: list[Pieces]) -> list[Decision]:
    """Turn a paragraph's opening ‘ into an apostrophe where it opens no quotation ('Gene came by.).

    Typed in place (one character for another), so every span keeps its length.
    """
    decisions: list[Decision] = []
    for slots in paragraph_slots:
        for index, slot in enumerate(slots):
            pieces = typed[slot]
            source = "".join(runs.pieces[slot])
            if not pieces or not source.startswith("'"):  # most paragraphs: the question does not arise
                continue
            next_source = "".join(runs.pieces[slots[index + 1]]) if index + 1 < len(slots) else ""
            if not opens_on_elision(source, "".join(pieces), next_source):
                continue
            first = next(i for i, piece in enumerate(pieces) if piece)
            typed[slot] = (*pieces[:first], APOSTROPHE + pieces[first][1:], *pieces[first + 1 :])
            decisions.append(
                _doubt(runs, slot, "TY108", "apostrophe", "a quote opening a paragraph with no closing quote, "
                       "question, exclamation or verb of speech after it, and no quote opening the next "
                       "paragraph, read as a dialect elision ('Gene came by.)", 0.6)
            )  # fmt: skip
    return decisions


def _conventions(language: str, quotes: str) -> tuple[Conventions, list[Decision]]:
    """The book's language's conventions, and a warning when they are another language's."""
    conventions, found = conventions_for(language, quotes)
    decisions = []
    if not found:
        decisions.append(
            Decision(NAME, "TY010", "warning", f"no quotation conventions for language '{language}': "
                     f"set with the {FALLBACK} rules (curly double quotes outside, single inside, closed em dashes)",
                     data={"language": language, "fallback": FALLBACK})
        )  # fmt: skip
    elif quotes == "british" and not language.lower().startswith("en"):
        decisions.append(
            Decision(NAME, "TY011", "warning", f"quotes = \"british\" applies to English only; the book's "
                     f"language '{language}' keeps its own quotation marks", data={"language": language})
        )  # fmt: skip
    if not conventions.english:
        decisions.append(
            Decision(NAME, "TY012", "typeset", f"quotation marks, spacing and dashes of {conventions.name}: "
                     f"{conventions.outer[0]}…{conventions.outer[1]} outside, {conventions.inner[0]}…"
                     f"{conventions.inner[1]} inside, dashes {conventions.dash}; marks the author typed as "
                     "typographic characters kept as typed", data={"language": conventions.name})
        )  # fmt: skip
    return conventions, decisions


def _doubt(
    runs: _Runs, slot: int, code: str, action: str, rule: str, confidence: float = 0.5, **data
) -> Decision:
    excerpt = runs.excerpts.get(slot)
    if excerpt is None:  # a long paragraph may have thousands of doubts: its excerpt is made once
        excerpt = runs.excerpts[slot] = first_words("".join(runs.pieces[slot]))
    return Decision(NAME, code, action, rule, excerpt, confidence, runs.lines[slot], data)


def typeset(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Typeset quotes, apostrophes, dashes and ellipses across each paragraph."""
    if not cfg.typography:
        return book, [
            Decision(NAME, "TY900", "skipped", "typography is switched off (book.toml 'typography = false' "
                     "or --no-typography): the text is printed as typed")
        ]  # fmt: skip
    runs = _Runs()
    title_slots = [runs.add(s.title, s.line) for s in book.sections]
    section_slots = [runs.add_blocks(s.blocks) for s in book.sections]
    note_slots = [runs.add_blocks(n.blocks) for n in book.notes]
    meta_slots = {
        name: runs.add((Text(value),), None)
        for name in ("title", "description")
        if (value := getattr(book.meta, name))
    }
    typed, tally, doubts = run_units(RULES, runs.pieces)
    paragraph_slots = [
        [slot for block, slot in zip(blocks, slots, strict=True) if type(block) is Paragraph]
        for blocks, slots in zip(
            [s.blocks for s in book.sections] + [n.blocks for n in book.notes],
            section_slots + note_slots,
            strict=True,
        )
    ]
    elision_decisions = _paragraph_initial_elisions(paragraph_slots, runs, typed)
    continued, quotation_decisions = _quotation_report(paragraph_slots, runs, typed)
    conventions, language_decisions = _conventions(book.meta.language, cfg.quotes)
    typed = [localize(source, out, conventions, tally) for source, out in zip(runs.pieces, typed, strict=True)]

    sections = tuple(
        dataclasses.replace(
            section,
            title=_with_texts(section.title, runs.pieces[title_slot], typed[title_slot]),
            blocks=_retyped_blocks(section.blocks, slots, runs, typed),
        )
        for section, title_slot, slots in zip(book.sections, title_slots, section_slots, strict=True)
    )
    notes = tuple(
        dataclasses.replace(note, blocks=_retyped_blocks(note.blocks, slots, runs, typed))
        for note, slots in zip(book.notes, note_slots, strict=True)
    )
    meta = dataclasses.replace(book.meta, **{name: "".join(typed[slot]) for name, slot in meta_slots.items()})
    typed_book = dataclasses.replace(book, meta=meta, sections=sections, notes=notes)

    summary = dict(sorted(tally.items()))
    summary["quotes"] = tally["double_quotes"] + tally["single_quotes"]  # apostrophes apart
    summary["continued_quotations"] = continued
    decisions = [
        Decision(NAME, "TY000", "typeset", "curly quotes and apostrophes, closed-up em dashes, en dashes in "
                 "ranges, … for ellipses (Chicago, as Standard Ebooks practises it); counts are changes made",
                 data=summary)
    ]  # fmt: skip
    for slot, doubt in doubts:
        decisions.append(
            _doubt(runs, slot, doubt.code, doubt.action, doubt.rule, doubt.confidence, context=doubt.context)
        )
    decisions.extend(quotation_decisions)
    decisions.extend(elision_decisions)
    decisions.extend(language_decisions)
    return typed_book, decisions
