"""A straight single quote at a word's start: an elision's apostrophe (’em) or an opening quote (‘Run)?

Both are typed ``'`` (or ‘, when a word processor guessed), and only the paragraph can tell.
Reading left to right:

- inside a single quotation already open, an elided word ('em, '90s) keeps its apostrophe,
  any other word opens a nested quotation; outside one, an elided word quoted on its own
  ('course') opens;
- otherwise an elided word (the list in ``words.toml``, or two digits) opens a quotation only
  if a closing quote after punctuation (``,'`` ``.'``) follows it before another quotation;
- any other word opens a quotation if a closing quote could follow it, or if it starts
  speech (at the paragraph's start, after a sentence's end, a comma or colon, a bracket,
  quote or dash), as an unclosed or continued quotation does; else it is an elision too
  (``to 'Frisco``), noted as a doubt.

A curly ‘ already typed is kept, except before an elided word that the rules above would not
open a quotation with (‘em → ’em).
"""

from __future__ import annotations

import bisect
import re
import tomllib
from functools import cache
from pathlib import Path

from bookbuild.typography.engine import Doubt, Edit, ParagraphRule

SINGLE = "single_quotes"
APOSTROPHES = "apostrophes"


@cache
def elided_words(but: tuple[str, ...] = ()) -> str:
    """The elided words of ``words.toml`` as a regex alternation, longest first."""
    data = tomllib.loads(Path(__file__).with_name("words.toml").read_text(encoding="utf-8"))
    words = sorted((w for w in data["elisions"]["words"] if w not in but), key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


# A straight quote, or a curly opening one (a word processor's guess, often wrong: ‘em), at a word's start.
_WORD_INITIAL = re.compile(r"['‘](?<![\w'’‘]['‘])(?=[^\W_])", re.M)
# An elided word: listed ('tweren't too), or two digits ('90s).
_ELIDED = re.compile(rf"['‘](?:(?i:{elided_words()})(?:n['’]t)?\b|\d\d(?:s\b|(?![\w'’′″])))")
# ... with a quote right after it: a quoted word ('course') unless a quotation is open ('im').
_QUOTED = re.compile(r"['‘][^\W_]+['’](?![^\W_])")
# A closing quote after punctuation (a word joiner may stand between: —\u2060’), or after a word.
_AFTER_PUNCTUATION = r"(?:(?<=[.,;:!?…—–]['’])|(?<=[…—–]\u2060’))(?=$|[\s\"“”'‘’)\],;:])"
_SURE_CLOSER = re.compile(rf"['’]{_AFTER_PUNCTUATION}", re.M)
_POSSIBLE_CLOSER = re.compile(rf"['’](?:{_AFTER_PUNCTUATION}|(?<=[^\W_]['’])(?![^\W_]))", re.M)
_SPEECH_BEFORE = '"“([{—–\n'  # right before the quote
_SENTENCE_BEFORE = '.!?:;,…—–"”)\n'  # before the space before the quote


def _starts_speech(text: str, at: int) -> bool:
    if at == 0 or text[at - 1] in _SPEECH_BEFORE:
        return True
    return text[at - 1].isspace() and (at == 1 or text[at - 2] in _SENTENCE_BEFORE)


def _first_after(positions: list[int], at: int) -> int | None:
    index = bisect.bisect_right(positions, at)
    return positions[index] if index < len(positions) else None


def _context(text: str, position: int) -> str:
    return text[max(0, position - 30) : position + 30].strip()


def resolve(text: str) -> tuple[list[Edit], list[Doubt]]:
    """Decide every straight quote at a word's start in one paragraph."""
    candidates = [m.start() for m in _WORD_INITIAL.finditer(text)]
    elided = {at for at in candidates if _ELIDED.match(text, at)}
    quoted = {at for at in elided if _QUOTED.match(text, at)}
    others = [at for at in candidates if at not in elided]
    sure = [m.start() for m in _SURE_CLOSER.finditer(text)]
    if not others and not quoted and (not sure or sure[-1] < candidates[0]):
        return [Edit(at, at + 1, "’", APOSTROPHES) for at in candidates], []  # only elisions
    possible = [m.start() for m in _POSSIBLE_CLOSER.finditer(text)]
    edits: list[Edit] = []
    doubts: list[Doubt] = []
    depth = 0
    closed = 0  # sure closers already counted against depth
    for at in candidates:
        while closed < len(sure) and sure[closed] < at:
            depth, closed = max(0, depth - 1), closed + 1
        next_other = _first_after(others, at)
        if at in quoted:
            opens = depth == 0
        elif at in elided:
            closer = _first_after(sure, at)
            closes_later = closer is not None and (next_other is None or closer < next_other)
            # A typed ‘ is the writer's own choice: kept wherever a closing quote answers it.
            opens = closes_later and (depth == 0 or text[at] == "‘")
            if opens and text[at] == "'":
                doubts.append(Doubt("TY103", "opening quote", "a quote before an elided word ('em, 'til) "
                                    "read as an opening quote: a closing quote follows it", _context(text, at), 0.6))  # fmt: skip
        else:
            closer = _first_after(possible, at)
            closes_later = closer is not None and (next_other is None or closer < next_other)
            opens = depth > 0 or closes_later or _starts_speech(text, at)
            if not opens:
                doubts.append(Doubt("TY106", "apostrophe", "a quote at a word's start with no closing quote "
                                    "after it, in the middle of a sentence, read as an elision ('Frisco)",
                                    _context(text, at), 0.6))  # fmt: skip
        typed = text[at] == "‘"
        if opens:
            depth += 1
            if not typed:
                edits.append(Edit(at, at + 1, "‘", SINGLE))
        elif not typed or at in elided:  # a typed ‘ is only turned round before an elided word
            edits.append(Edit(at, at + 1, "’", APOSTROPHES))
        else:
            depth += 1
    return edits, doubts


RULE = ParagraphRule(_WORD_INITIAL, resolve)
