"""Run typographic rules over a whole book's text at once, carrying span boundaries through.

Every run of text (a paragraph, heading or title) is joined into one string and each rule is
one compiled regex pass over all of it, which is what makes a million words take about a
second. Paragraphs split across spans (emphasis, a line break) are joined into a second
string that the same rules edit one match at a time, so every span boundary moves with the
text around it and the spans can be rebuilt. Rules never match across the separator, so no
paragraph affects another.

For speed, every rule's pattern starts with the rare character it changes (a quote, a
hyphen, a dot), with its left context in a lookbehind *after* it: Python's ``re`` scans for
a leading literal quickly, but tries a leading lookbehind at every position.
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
Doubts = list[tuple[int, Doubt]]  # (paragraph number in the joined text, doubt)


@dataclass(frozen=True, slots=True)
class RegexRule:
    """A rule decided by a regex alone: every match of ``pattern`` becomes ``replacement``."""

    kind: str
    pattern: re.Pattern[str]
    replacement: Replacement
    gate: str = ""  # if set, the rule only runs on text holding one of these characters

    def _closed(self, text: str) -> bool:
        return bool(self.gate) and not any(char in text for char in self.gate)

    def substitute(self, text: str, tally: Counter[str]) -> tuple[str, Doubts]:
        """The rule applied to joined paragraphs in one pass, its changes counted."""
        if self._closed(text):
            return text, []
        new, count = self.pattern.subn(self.replacement, text)
        if count and self.kind:
            tally[self.kind] += count
        return new, []

    def edits(self, text: str) -> tuple[list[Edit], Doubts]:
        """The rule's changes, as edits."""
        if self._closed(text):
            return [], []
        replacement = self.replacement
        if callable(replacement):
            expand = replacement
        elif "\\" in replacement:
            expand = lambda match: match.expand(replacement)  # noqa: E731
        else:
            expand = lambda match: replacement  # noqa: E731
        found = [Edit(m.start(), m.end(), expand(m), self.kind) for m in self.pattern.finditer(text)]
        return found, []


Resolver = Callable[[str], tuple[list[Edit], list[Doubt]]]


@dataclass(frozen=True, slots=True)
class ParagraphRule:
    """A rule that needs a whole paragraph to decide; it runs on paragraphs ``trigger`` finds."""

    trigger: re.Pattern[str]
    resolve: Resolver

    def substitute(self, text: str, tally: Counter[str]) -> tuple[str, Doubts]:
        """The rule applied to joined paragraphs, its changes counted."""
        found, doubts = self.edits(text)
        new, _ = apply_edits(text, found, (), tally)
        return new, doubts

    def edits(self, text: str) -> tuple[list[Edit], Doubts]:
        """The rule's changes to joined paragraphs, as edits; doubts carry their paragraph."""
        separators = [m.start() for m in _SEPARATOR_RE.finditer(text)]
        edits: list[Edit] = []
        doubts: Doubts = []
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
        return edits, doubts


Rule = RegexRule | ParagraphRule

_SEPARATOR_RE = re.compile(re.escape(PARAGRAPH_SEPARATOR))


def _offset_inside(text: str, edit: Edit, boundary: int) -> int:
    """Where a boundary strictly inside an edit lands in its replacement.

    Only spaces on one side (``cold |- too``) put it on that side of the whole replacement,
    so a dash typed inside emphasis stays inside; otherwise it keeps its offset, cut short.
    """
    if not text[edit.start : boundary].strip():
        return 0
    if not text[boundary : edit.end].strip():
        return len(edit.new)
    return min(boundary - edit.start, len(edit.new))


def apply_edits(
    text: str, edits: Sequence[Edit], boundaries: Sequence[int], tally: Counter[str]
) -> tuple[str, list[int]]:
    """Apply sorted, non-overlapping edits; move each (sorted) boundary with the text around it.

    A boundary at an edit's start stays before the new text and one at its end goes after
    it; for one strictly inside an edit, see :func:`_offset_inside`.
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
            moved.append(edit.start + shift + _offset_inside(text, edit, boundary))
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


def _run_joined(rules: Sequence[Rule], texts: Sequence[str], tally: Counter[str]) -> tuple[list[str], Doubts]:
    text = PARAGRAPH_SEPARATOR.join(texts)
    doubts: Doubts = []
    for rule in rules:
        text, unsure = rule.substitute(text, tally)
        doubts.extend(unsure)
    return text.split(PARAGRAPH_SEPARATOR), doubts


def _run_split(
    rules: Sequence[Rule], units: Sequence[Sequence[str]], tally: Counter[str]
) -> tuple[list[tuple[str, ...]], Doubts]:
    texts = ["".join(pieces) for pieces in units]
    boundaries: list[int] = []
    offset = 0
    for pieces, text in zip(units, texts, strict=True):
        position = offset
        for piece in pieces[:-1]:
            position += len(piece)
            boundaries.append(position)
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    text = PARAGRAPH_SEPARATOR.join(texts)
    doubts: Doubts = []
    for rule in rules:
        found, unsure = rule.edits(text)
        doubts.extend(unsure)
        if found:
            text, boundaries = apply_edits(text, found, boundaries, tally)
    results: list[tuple[str, ...]] = []
    cursor = iter(boundaries)
    start = 0
    for pieces, new_text in zip(units, text.split(PARAGRAPH_SEPARATOR), strict=True):
        edges = [0, *(next(cursor) - start for _ in pieces[:-1]), len(new_text)]
        results.append(tuple(new_text[a:b] for a, b in zip(edges, edges[1:], strict=False)))
        start += len(new_text) + len(PARAGRAPH_SEPARATOR)
    return results, doubts


def run_units(
    rules: Sequence[Rule], units: Sequence[Sequence[str]]
) -> tuple[list[tuple[str, ...]], Counter[str], Doubts]:
    """Typeset runs of text, each given as its pieces (one per span); doubts name their unit."""
    tally: Counter[str] = Counter()
    marks = ("\n", PARAGRAPH_SEPARATOR.strip("\n"))
    whole: list[int] = []
    split: list[int] = []
    for i, p in enumerate(units):
        if len(p) == 1 and marks[0] not in p[0] and marks[1] not in p[0]:
            whole.append(i)
        elif p:
            split.append(i)
    results: list[tuple[str, ...]] = [tuple(pieces) for pieces in units]
    doubts: Doubts = []
    if whole:
        texts, unsure = _run_joined(rules, [units[i][0] for i in whole], tally)
        for i, text in zip(whole, texts, strict=True):
            results[i] = (text,)
        doubts.extend((whole[k], d) for k, d in unsure)
    if split:
        pieces, unsure = _run_split(rules, [units[i] for i in split], tally)
        for i, new in zip(split, pieces, strict=True):
            results[i] = new
        doubts.extend((split[k], d) for k, d in unsure)
    return results, tally, doubts


def run_joined(rules: Sequence[Rule], paragraphs: Sequence[str]) -> tuple[list[str], Counter[str], Doubts]:
    """Typeset paragraphs that are each one run of text."""
    results, tally, doubts = run_units(rules, [(p,) for p in paragraphs])
    return [pieces[0] for pieces in results], tally, doubts


def run_pieces(rules: Sequence[Rule], pieces: Sequence[str]) -> tuple[list[str], Counter[str], list[Doubt]]:
    """Typeset one paragraph given as consecutive pieces, always through the span-keeping path."""
    tally: Counter[str] = Counter()
    results, doubts = _run_split(rules, [tuple(pieces)], tally)
    return list(results[0]), tally, [d for _, d in doubts]
