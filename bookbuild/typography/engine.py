"""Run typographic rules over many paragraphs at once, or over one paragraph split in spans.

Most paragraphs are a single run of text: they are joined into one string and every rule is
one compiled ``re.sub`` over the whole book (fast). A paragraph whose text is split across
spans (emphasis, a line break) goes through the same rules one edit at a time, so the span
boundaries can be carried through every change and the spans rebuilt around the new text.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bookbuild.typography.chars import PARAGRAPH_SEPARATOR


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``; ``kind`` is what it counts as in the report."""

    start: int
    end: int
    new: str
    kind: str


@dataclass(frozen=True, slots=True)
class Doubt:
    """A change a rule made without being sure, for the report."""

    code: str
    action: str
    rule: str
    context: str
    confidence: float


Replacement = str | Callable[[re.Match[str]], str]


@dataclass(frozen=True, slots=True)
class RegexRule:
    """A context-free rule: every match of ``pattern`` becomes ``replacement``."""

    kind: str
    pattern: re.Pattern[str]
    replacement: Replacement

    def run_bulk(self, text: str, tally: Counter[str]) -> tuple[str, list[tuple[int, Doubt]]]:
        """The rule applied to joined paragraphs, with its changes counted."""
        new, count = self.pattern.subn(self.replacement, text)
        if count and self.kind:
            tally[self.kind] += count
        return new, []

    def edits(self, text: str) -> tuple[list[Edit], list[Doubt]]:
        """The rule's changes to one paragraph, as edits."""
        found = []
        for match in self.pattern.finditer(text):
            if callable(self.replacement):
                new = self.replacement(match)
            else:
                new = match.expand(self.replacement)
            found.append(Edit(match.start(), match.end(), new, self.kind))
        return found, []


Resolver = Callable[[str], tuple[list[Edit], list[Doubt]]]


@dataclass(frozen=True, slots=True)
class ParagraphRule:
    """A rule that needs the whole paragraph to decide: run on paragraphs ``trigger`` finds."""

    trigger: re.Pattern[str]
    resolve: Resolver

    def run_bulk(self, text: str, tally: Counter[str]) -> tuple[str, list[tuple[int, Doubt]]]:
        """The rule applied to joined paragraphs; doubts carry their paragraph's number."""
        separators = [m.start() for m in _SEPARATOR_RE.finditer(text)]
        edits: list[Edit] = []
        doubts: list[tuple[int, Doubt]] = []
        seen = -1
        for match in self.trigger.finditer(text):
            index = bisect.bisect_right(separators, match.start())
            if index == seen:
                continue
            seen = index
            start = separators[index - 1] + len(PARAGRAPH_SEPARATOR) if index else 0
            end = separators[index] if index < len(separators) else len(text)
            found, unsure = self.resolve(text[start:end])
            edits.extend(Edit(e.start + start, e.end + start, e.new, e.kind) for e in found)
            doubts.extend((index, d) for d in unsure)
        new, _ = apply_edits(text, edits, (), tally)
        return new, doubts

    def edits(self, text: str) -> tuple[list[Edit], list[Doubt]]:
        """The rule's changes to one paragraph, as edits."""
        if not self.trigger.search(text):
            return [], []
        return self.resolve(text)


Rule = RegexRule | ParagraphRule

_SEPARATOR_RE = re.compile(re.escape(PARAGRAPH_SEPARATOR))


def apply_edits(
    text: str, edits: Sequence[Edit], boundaries: Sequence[int], tally: Counter[str]
) -> tuple[str, list[int]]:
    """Apply sorted, non-overlapping edits; move each boundary with the text around it.

    A boundary at an edit's start stays before the new text and one at its end goes after
    it; one strictly inside an edit keeps its offset into the replacement, cut to its length.
    """
    parts: list[str] = []
    moved: list[int] = []
    position = 0  # in the old text
    shift = 0  # new position minus old position, after the edits applied so far
    pending = iter(boundaries)
    boundary = next(pending, None)
    for edit in edits:
        while boundary is not None and boundary <= edit.start:
            moved.append(boundary + shift)
            boundary = next(pending, None)
        while boundary is not None and boundary < edit.end:
            moved.append(edit.start + shift + min(boundary - edit.start, len(edit.new)))
            boundary = next(pending, None)
        parts.append(text[position : edit.start])
        parts.append(edit.new)
        position = edit.end
        shift += len(edit.new) - (edit.end - edit.start)
        if edit.kind:
            tally[edit.kind] += 1
    while boundary is not None:
        moved.append(boundary + shift)
        boundary = next(pending, None)
    parts.append(text[position:])
    return "".join(parts), moved


def run_joined(
    rules: Sequence[Rule], paragraphs: Sequence[str]
) -> tuple[list[str], Counter[str], list[tuple[int, Doubt]]]:
    """Typeset paragraphs that are each one run of text; doubts name their paragraph."""
    tally: Counter[str] = Counter()
    doubts: list[tuple[int, Doubt]] = []
    if not paragraphs:
        return [], tally, doubts
    text = PARAGRAPH_SEPARATOR.join(paragraphs)
    for rule in rules:
        text, unsure = rule.run_bulk(text, tally)
        doubts.extend(unsure)
    return text.split(PARAGRAPH_SEPARATOR), tally, doubts


def run_pieces(rules: Sequence[Rule], pieces: Sequence[str]) -> tuple[list[str], Counter[str], list[Doubt]]:
    """Typeset one paragraph given as consecutive pieces; returns the pieces' new texts."""
    tally: Counter[str] = Counter()
    doubts: list[Doubt] = []
    text = "".join(pieces)
    boundaries: list[int] = []
    position = 0
    for piece in pieces[:-1]:
        position += len(piece)
        boundaries.append(position)
    for rule in rules:
        found, unsure = rule.edits(text)
        doubts.extend(unsure)
        if found:
            text, boundaries = apply_edits(text, found, boundaries, tally)
    edges = [0, *boundaries, len(text)]
    return [text[a:b] for a, b in zip(edges, edges[1:], strict=False)], tally, doubts
