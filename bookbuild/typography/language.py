"""Quotation marks, spacing and dashes by language, from the table in ``languages.toml``.

The rules typeset every book the English way (Chicago); this module then turns what they set
into the book's language. Only quotation marks typed as ASCII stand-ins change: a mark the
author set as a typographic character stays exactly as set, so the two texts (as typed, as
typeset) are lined up quote by quote to tell which marks the rules made. A quotation takes
the language's outer marks, one inside it the inner marks, whichever marks were typed (a
British-style 'said' and an American "said" are both quotations). French spacing (a narrow
no-break space inside guillemets and before ; : ! ?) and the dash style apply to the whole
text.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bookbuild.typography import joiners
from bookbuild.typography.chars import EM_DASH, EN_DASH, WORD_JOINER
from bookbuild.typography.engine import Edit, apply_edits

FALLBACK = "en-US"
NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"


@dataclass(frozen=True, slots=True)
class Conventions:
    """How one language sets quotations, the spaces around them, and dashes."""

    name: str
    outer: tuple[str, str]
    inner: tuple[str, str]
    dash: str = "closed-em"
    quote_space: str = ""
    mark_space: str = ""

    @property
    def english(self) -> bool:
        """Whether this is what the rules print already (nothing to change)."""
        return (
            self.outer == ("“", "”")
            and self.inner == ("‘", "’")
            and self.dash == "closed-em"
            and not self.quote_space
            and not self.mark_space
        )


@cache
def _table() -> dict[str, Conventions]:
    data = tomllib.loads(Path(__file__).with_name("languages.toml").read_text(encoding="utf-8"))
    return {
        name: Conventions(name, tuple(row["outer"]), tuple(row["inner"]), row.get("dash", "closed-em"),
                          row.get("quote_space", ""), row.get("mark_space", ""))
        for name, row in data.items()
    }  # fmt: skip


def known_languages() -> tuple[str, ...]:
    """Every language (and variant) the table holds."""
    return tuple(name for name in _table() if name != "british")


def conventions_for(language: str, quotes: str = "") -> tuple[Conventions, bool]:
    """A language's conventions, and whether it was found (else en-US's are given).

    ``en``, ``en_GB`` and ``EN-gb`` read as en-US and en-GB; ``de-AT`` as ``de``.
    ``quotes = "british"`` sets an English book's quotations single outside, double inside.
    """
    table = _table()
    tag = language.strip().replace("_", "-")
    parts = tag.split("-")
    primary = parts[0].lower()
    region = parts[1].upper() if len(parts) > 1 else ""
    if primary == "en":
        if quotes == "british":
            return table["british"], True
        return table["en-GB" if region == "GB" else "en-US"], True
    for name in (f"{primary}-{region}", primary):
        if name in table:
            return table[name], True
    return table[FALLBACK], False


# --- which marks the rules made --------------------------------------------------------------

_TYPED = re.compile(r"[\"'“”‘’„‚«»‹›′″]")
_TYPESET = re.compile(r"[\"'“”‘’′″]")


def converted_quotes(source: str, typed: str) -> set[int]:
    """Positions in ``typed`` of the quotation marks the rules made from straight quotes.

    The rules change quotes one for one, except ``''`` typed for one double quote, so the
    marks of the two texts are lined up in order; if they cannot be, none count as made.
    """
    before = [(m.start(), m.group()) for m in _TYPED.finditer(source)]
    after = [(m.start(), m.group()) for m in _TYPESET.finditer(typed)]
    made: set[int] = set()
    i = j = 0
    while i < len(before) and j < len(after):
        at, char = before[i]
        position, mark = after[j]
        if char in "„‚«»‹›":  # the rules never touch these; not in ``after``
            i += 1
            continue
        if char == "'" and mark in "“”″\"" and i + 1 < len(before) and before[i + 1] == (at + 1, "'"):
            made.add(position)
            i, j = i + 2, j + 1
            continue
        if char in "\"'":
            made.add(position)
        i, j = i + 1, j + 1
    if j != len(after) or any(c not in "„‚«»‹›" for _, c in before[i:]):
        return set()
    return made


# --- quotations and their levels ---------------------------------------------------------------


def _single_closers(typed: str, made: set[int]) -> set[int]:
    """Which ’ the rules made close a single quotation rather than stand for an apostrophe.

    For each ‘ they made: the first ’ after punctuation (,’ .’ ?’) before the next ‘ or the
    double quotation's end, else the last ’ ending a word there (‘sweetheart’, ‘Goin’ home’).
    """
    closers: set[int] = set()
    openings = sorted(at for at in made if typed[at] == "‘")
    for index, opening in enumerate(openings):
        limit = openings[index + 1] if index + 1 < len(openings) else len(typed)
        end_of_speech = typed.find("”", opening)
        if end_of_speech != -1:
            limit = min(limit, end_of_speech + 1)
        candidates = [
            at
            for at in range(opening + 1, limit)
            if typed[at] == "’" and at in made and not typed[at + 1 : at + 2].isalnum() and at not in closers
        ]
        after_punctuation = [at for at in candidates if typed[at - 1] in ".,;:!?…—–\u2060”"]
        if after_punctuation:
            closers.add(after_punctuation[0])
        elif candidates:
            closers.add(candidates[-1])
    return closers


def _quote_edits(typed: str, made: set[int], conventions: Conventions) -> list[Edit]:
    """Each quotation mark the rules made, as the language's mark for its level."""
    closers = _single_closers(typed, made)
    own_open = {conventions.outer[0], conventions.inner[0]}
    own_close = {conventions.outer[1], conventions.inner[1]}
    levels: list[int] = []  # the level of each quotation open at this point
    edits: list[Edit] = []
    for match in re.finditer(r"[“”‘’„‚«»‹›]", typed):
        at, char = match.start(), match.group()
        if at in made:
            opening = char in "“‘"
            closing = char == "”" or at in closers
        else:  # set by the author: read by the language's marks first, then by English ones
            opening = char in own_open and not (char in own_close and levels)
            closing = not opening and (char in own_close or char in "”’»›")
            opening = opening or (not closing and char in "“‘«‹„‚")
            if char == "’" and typed[at + 1 : at + 2].isalnum():
                opening = closing = False
        if opening:
            level = len(levels)
            levels.append(level)
            if at in made:
                marks = conventions.outer if level % 2 == 0 else conventions.inner
                edits.append(Edit(at, at + 1, marks[0], "localized_quotes"))
        elif closing:
            level = levels.pop() if levels else 0
            if at in made:
                marks = conventions.outer if level % 2 == 0 else conventions.inner
                edits.append(Edit(at, at + 1, marks[1], "localized_quotes"))
    return [e for e in edits if typed[e.start] != e.new]


# --- spaces and dashes -----------------------------------------------------------------------

_SPACE = r"[ \u00a0\u2009\u202f]"
_OPENING_GUILLEMET = re.compile(rf"([«‹]){_SPACE}?(?=\S)")
_CLOSING_GUILLEMET = re.compile(rf"(?<=\S){_SPACE}?([»›])")
# ; : ! ? after a word, a closing mark or an ellipsis, before a space, a mark or the end (not
# 10:30, http://, ?q=1); a run (?!) takes one space.
_MARK = re.compile(rf"(?<=[^\s;:!?«‹„“‘(\[]){_SPACE}?(?=[;:!?](?:\s|$|[»”“’)\];:!?…]))", re.M)
# An em dash, or an en dash with a space beside it (one this module set before): not a range,
# nor one beside another dash or hyphen.
_DASH = re.compile(
    r"[ \u00a0]?\u2060?—\u2060?[ \u00a0]?"
    r"|[ \u00a0]\u2060?–\u2060?[ \u00a0]?(?![-–—])|(?<![-–—\s])–\u2060?[ \u00a0](?![-–—\s])"
)


def _spacing_edits(typed: str, conventions: Conventions) -> list[Edit]:
    """French spacing: a narrow no-break space inside guillemets and before ; : ! ?."""
    edits: list[Edit] = []
    if conventions.quote_space:
        space = conventions.quote_space
        for match in _OPENING_GUILLEMET.finditer(typed):
            if match.group() != match.group(1) + space:
                edits.append(Edit(match.start(), match.end(), match.group(1) + space, "spaces"))
        for match in _CLOSING_GUILLEMET.finditer(typed):
            if match.group() != space + match.group(1):
                edits.append(Edit(match.start(), match.end(), space + match.group(1), "spaces"))
    if conventions.mark_space:
        for match in _MARK.finditer(typed):
            if match.start() > 0 and match.group() != conventions.mark_space:
                edits.append(Edit(match.start(), match.end(), conventions.mark_space, "spaces"))
    kept: list[Edit] = []  # in order; a space two rules want is set once (« ! »)
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if not kept or edit.start >= kept[-1].end:
            kept.append(edit)
    return kept


def _dash_edits(typed: str, conventions: Conventions) -> list[Edit]:
    """A closed em dash as the language's dash: spaced, and kept on the line of the word before it."""
    if conventions.dash == "closed-em":
        return []
    dash = EN_DASH if conventions.dash == "spaced-en" else EM_DASH
    openers = {conventions.outer[0], conventions.inner[0], "“", "‘", "(", "["}
    closers = {conventions.outer[1], conventions.inner[1], "”", "’", ")", "]"}
    edits: list[Edit] = []
    for match in _DASH.finditer(typed):
        start, end = match.span()
        before = typed[start - 1] if start else ""
        after = typed[end] if end < len(typed) else ""
        # dash soup (— - ) is left as typed, and so is a dash between numbers (spaced, a range)
        if (before and before in "-–—") or (after and after in "-–—") or (before + after).isdigit():
            continue
        # no space after a paragraph's start or an opening quote (one that follows a space)
        opens_before = before in openers and (before not in closers or typed[start - 2 : start - 1] in ("", " "))
        lead = NO_BREAK_SPACE if before and not before.isspace() and not opens_before else ""
        # none before a paragraph's end, punctuation, or a quote that closes (no word after it)
        closes_after = after in closers and not typed[end + 1 : end + 2].isalnum()
        trail = "" if not after or after.isspace() or closes_after or after in ",.;:!?…" else " "
        # a word joiner after the dash stays where nothing else follows it (—\u2060…)
        glued = closes_after or (not trail and match.group().rstrip().endswith(WORD_JOINER))
        new = f"{lead}{dash}{WORD_JOINER if glued else ''}{trail}"
        if new != match.group():
            edits.append(Edit(start, end, new, "dashes"))
    return edits


def localize(
    source: Sequence[str], typed: Sequence[str], conventions: Conventions, tally: Counter[str]
) -> tuple[str, ...]:
    """One run of typeset text (its pieces) in the language's conventions; ``source`` as typed."""
    if conventions.english:
        return tuple(typed)
    text = "".join(typed)
    quotes = _quote_edits(text, converted_quotes("".join(source), text), conventions)
    if quotes:  # one mark for another: every piece keeps its length
        chars = list(text)
        for edit in quotes:
            chars[edit.start] = edit.new
        tally[quotes[0].kind] += len(quotes)
        text = "".join(chars)
    boundaries = []
    for piece in typed[:-1]:
        boundaries.append((boundaries[-1] if boundaries else 0) + len(piece))
    # dashes first: the spacing reads the marks beside the dashes they leave
    text, boundaries = apply_edits(text, _dash_edits(text, conventions), boundaries, tally)
    text, boundaries = apply_edits(text, _spacing_edits(text, conventions), boundaries, tally)
    # the word joiners again, for the marks now beside a dash or an ellipsis (…\u2060” in Swedish)
    for rule in joiners.RULES:
        text, boundaries = apply_edits(text, rule.edits(text)[0], boundaries, tally)
    edges = [0, *boundaries, len(text)]
    return tuple(text[a:b] for a, b in zip(edges, edges[1:], strict=False))
