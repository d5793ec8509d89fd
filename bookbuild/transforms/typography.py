"""Typeset quotes, apostrophes, dashes and ellipses across each paragraph."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from bookbuild.config import BuildConfig
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
from bookbuild.transforms import Decision
from bookbuild.typography import RULES, Doubt, run_joined, run_pieces
from bookbuild.typography.chars import LEFT_DOUBLE, PARAGRAPH_SEPARATOR, RIGHT_DOUBLE

NAME = "typography"
_NOT_IN_JOINED = ("\n", PARAGRAPH_SEPARATOR.strip("\n"))


@dataclass(frozen=True, slots=True)
class _Unit:
    """One run of text to typeset: a paragraph, heading, title, or a metadata string."""

    pieces: tuple[str, ...]  # the texts of its leaves: Text runs, "\n" for a line break
    line: int | None


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


class _Typesetter:
    """Collects every run of text in a book, typesets them together, and hands back results."""

    def __init__(self) -> None:
        self.units: list[_Unit] = []

    def add(self, pieces: tuple[str, ...], line: int | None) -> int:
        self.units.append(_Unit(pieces, line))
        return len(self.units) - 1

    def run(self) -> tuple[list[tuple[str, ...]], Counter[str], list[tuple[int, Doubt]]]:
        results: list[tuple[str, ...]] = [unit.pieces for unit in self.units]
        joined = [
            i
            for i, unit in enumerate(self.units)
            if len(unit.pieces) == 1 and not any(mark in unit.pieces[0] for mark in _NOT_IN_JOINED)
        ]
        texts, tally, joined_doubts = run_joined(RULES, [self.units[i].pieces[0] for i in joined])
        for i, text in zip(joined, texts, strict=True):
            results[i] = (text,)
        doubts = [(joined[k], doubt) for k, doubt in joined_doubts]
        chosen = set(joined)
        for i, unit in enumerate(self.units):
            if i in chosen or not any(unit.pieces):
                continue
            pieces, counts, unsure = run_pieces(RULES, unit.pieces)
            results[i] = tuple(pieces)
            tally.update(counts)
            doubts.extend((i, doubt) for doubt in unsure)
        return results, tally, doubts


def _quotation_report(book: Book) -> tuple[int, list[Decision]]:
    """Paragraphs that leave a quotation open: continued by the next paragraph, or unclosed."""
    continued = 0
    decisions: list[Decision] = []
    block_lists = [s.blocks for s in book.sections] + [n.blocks for n in book.notes]
    for blocks in block_lists:
        paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
        texts = ["".join(_leaves(p.inlines)) for p in paragraphs]
        for index, (paragraph, text) in enumerate(zip(paragraphs, texts, strict=True)):
            first_close, first_open = text.find(RIGHT_DOUBLE), text.find(LEFT_DOUBLE)
            if first_close != -1 and (first_open == -1 or first_close < first_open):
                decisions.append(
                    Decision(
                        NAME,
                        "TY102",
                        "closing quote",
                        "a closing quote with no quotation "
                        "opened before it in the paragraph; printed as closing, nothing else changed",
                        first_words(text),
                        0.5,
                        paragraph.line,
                    )
                )
            if text.rfind(LEFT_DOUBLE) <= text.rfind(RIGHT_DOUBLE):
                continue
            following = texts[index + 1].lstrip() if index + 1 < len(texts) else ""
            if following.startswith(LEFT_DOUBLE):
                continued += 1
                continue
            decisions.append(
                Decision(
                    NAME,
                    "TY101",
                    "opening quote",
                    "a quotation opened in this paragraph is "
                    "never closed and the next paragraph does not continue it; it stays an "
                    "opening quote and nothing else changes",
                    first_words(text),
                    0.5,
                    paragraph.line,
                )
            )
    return continued, decisions


def typeset(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Typeset quotes, apostrophes, dashes and ellipses across each paragraph."""
    if not cfg.typography:
        return book, [
            Decision(
                NAME,
                "TY900",
                "skipped",
                "typography is switched off (book.toml "
                "'typography = false' or --no-typography): the text is printed as typed",
            )
        ]
    setter = _Typesetter()

    def collect(blocks: tuple[Block, ...]) -> list[int | None]:
        return [
            setter.add(tuple(_leaves(b.inlines)), b.line) if isinstance(b, (Paragraph, Heading)) else None
            for b in blocks
        ]

    section_slots = [(setter.add(tuple(_leaves(s.title)), s.line), collect(s.blocks)) for s in book.sections]
    note_slots = [collect(n.blocks) for n in book.notes]
    meta_fields = {name: getattr(book.meta, name) for name in ("title", "description")}
    meta_slots = {name: setter.add((value,), None) for name, value in meta_fields.items() if value}
    results, tally, doubts = setter.run()

    def rebuilt_blocks(blocks: tuple[Block, ...], slots: list[int | None]) -> tuple[Block, ...]:
        return tuple(
            b if slot is None else dataclasses.replace(b, inlines=_rebuild(b.inlines, iter(results[slot])))
            for b, slot in zip(blocks, slots, strict=True)
        )

    sections = tuple(
        dataclasses.replace(
            s, title=_rebuild(s.title, iter(results[title_slot])), blocks=rebuilt_blocks(s.blocks, slots)
        )
        for s, (title_slot, slots) in zip(book.sections, section_slots, strict=True)
    )
    notes = tuple(
        dataclasses.replace(n, blocks=rebuilt_blocks(n.blocks, slots))
        for n, slots in zip(book.notes, note_slots, strict=True)
    )
    meta = dataclasses.replace(book.meta, **{name: results[slot][0] for name, slot in meta_slots.items()})
    book = dataclasses.replace(book, meta=meta, sections=sections, notes=notes)

    continued, quotation_decisions = _quotation_report(book)
    summary = dict(sorted(tally.items()))
    summary["continued_quotations"] = continued
    decisions = [
        Decision(
            NAME,
            "TY000",
            "typeset",
            "curly quotes and apostrophes, closed-up em dashes, en "
            "dashes in ranges, … for ellipses (Chicago, as Standard Ebooks practises it); "
            "counts are changes made",
            data=summary,
        )
    ]
    for index, doubt in doubts:
        unit = setter.units[index]
        decisions.append(
            Decision(
                NAME,
                doubt.code,
                doubt.action,
                doubt.rule,
                first_words("".join(unit.pieces)),
                doubt.confidence,
                unit.line,
                {"context": doubt.context},
            )
        )
    decisions.extend(quotation_decisions)
    return book, decisions
