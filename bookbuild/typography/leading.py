"""A straight single quote at a word's start: an elision's apostrophe (’em) or an opening quote (‘Run)?

Both are typed ``'`` (or ‘, when a word processor guessed), and only the paragraph can tell.
Reading left to right:

- inside a single quotation already open, an elided word ('em, '90s) keeps its apostrophe,
  any other word opens a nested quotation; outside one, an elided word quoted on its own
  ('course') opens;
- otherwise an elided word (the list in ``words.toml``, or two digits) opens a quotation only
  if a closing quote after punctuation (``,'`` ``.'``) follows it before another quotation;
- "Is" opening a sentence that ends in a question mark opens one ('Is he gone? she
  wondered): it is the verb, not dialect 'is (his);
- any other word inside double-quoted speech that closes in the paragraph opens a quotation
  only if it quotes one word or a closing single quote follows it (before another quote
  that could open one; a dropped g, ``comin' or``, is no closer): a nested quotation left
  open is far rarer than dialect opening speech (``"'Gene, get back 'ere!"``), noted as a
  doubt. Speech left open may hold a quotation running on too (a letter read aloud);
- inside a single quotation no single quotation opens in mid-sentence (``'You walk 'cross
  that field?'``): the quote is an elision;
- any other word opens a quotation if a closing quote could follow it, or if it starts
  speech (at the paragraph's start, after a sentence's end, a comma or colon, a bracket,
  quote or dash, or a closed quotation), as an unclosed or continued quotation does; else
  it is an elision too (``to 'Frisco``), noted as a doubt.

A curly ‘ already typed is kept, except before an elided word that the rules above would not
open a quotation with (‘em → ’em).
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from bookbuild.typography.engine import Doubt, Edit, ParagraphRule
from bookbuild.typography.words import alternation, word_list

SINGLE = "single_quotes"
APOSTROPHES = "apostrophes"


@cache
def elided_words(but: tuple[str, ...] = ()) -> str:
    """The elided words of ``words.toml`` as a regex alternation, longest first."""
    return alternation([w for w in word_list("elisions") if w not in but])


# A straight quote, or a curly opening one (a word processor's guess, often wrong: ‘em), at a word's start.
_WORD_INITIAL = re.compile(r"['‘](?<![\w'’‘]['‘])(?=[^\W_])", re.M)
# An elided word: listed ('tweren't too), or two digits ('90s, '80's).
_ELIDED = re.compile(rf"['‘](?:(?i:{elided_words()})(?:n['’]t)?\b|\d\d(?:['’]?s\b|(?![\w'’′″])))")
# ... with a quote right after it: a quoted word ('course') unless a quotation is open ('im);
# not a dropped g, whose quote is its own apostrophe ('Evenin', Sarge).
_QUOTED = re.compile(r"['‘][^\W_]+(?<!in)['’](?![^\W_])")
# A quoted word of any ending ('cabin'), and a quote after a dropped g (comin' or).
_QUOTED_WORD = re.compile(r"['‘][^\W_]+['’](?![^\W_])")
_DROPPED_G = re.compile(r"['’](?<=in['’])(?= ['’]?[a-z]|,)")
# "Is" opening a sentence that ends in a question mark is the verb asking it.
_QUESTION = re.compile(r"['‘]Is\b[^.!?…\n]*\?")
# A closing quote after punctuation (a word joiner may stand between: —\u2060’), or after a
# double quote that closes (after a word or punctuation), before a space, a dash or the end
# (a word joiner may stand before the dash: ’\u2060—).
_AFTER_PUNCTUATION = (
    r"(?:(?:(?<=[.,;:!?…—–]['’])|(?<=[…—–]\u2060’))(?=$|[\s\"“”'‘’)\],;:.!?…—–\u2060])"
    r"|(?:(?<=[^\W\d_][\"”]['’])|(?<=[.,;:!?…—–][\"”]['’]))(?=$|[\s)\]—–\u2060\"”]))"
)
_SURE_CLOSER = re.compile(rf"['’]{_AFTER_PUNCTUATION}", re.M)
_POSSIBLE_CLOSER = re.compile(rf"['’](?:{_AFTER_PUNCTUATION}|(?<=[^\W_]['’])(?![^\W_]))", re.M)
_SPEECH_BEFORE = '"“([{—–\n'  # right before the quote
_SENTENCE_BEFORE = '.!?:;,…—–"”)\n'  # before the space before the quote


def _starts_speech(text: str, at: int) -> bool:
    if at == 0 or text[at - 1] in _SPEECH_BEFORE:
        return True
    if not text[at - 1].isspace() or at == 1:
        return text[at - 1].isspace()
    before = text[at - 2]
    # after a closed quotation ('You what?' 'I said'), not after a dropped g (goin' 'round)
    return before in _SENTENCE_BEFORE or (before in "'’" and text[at - 3 : at - 2] in _SENTENCE_BEFORE)


# A double quote opens after a space, a bracket or a dash (or at the start); else it closes.
_DOUBLE = re.compile(r"[\"“”]")
_DOUBLE_OPENS_AFTER = " \t([{—–\n"


def _speech_spans(text: str) -> list[tuple[int, int]]:
    """Where double-quoted speech runs in a paragraph: from an opening quote to the next quote.

    A nested double quote ends a span early; only whether a quote stands inside speech is
    asked of the spans, and a quote before the nested one still does.
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for match in _DOUBLE.finditer(text):
        at, char = match.start(), match.group()
        opens = char == "“" or (char == '"' and (at == 0 or text[at - 1] in _DOUBLE_OPENS_AFTER))
        if opened is not None:
            spans.append((opened, at))
            opened = None
        elif opens:
            opened = at
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def _in_closed_speech(spans: list[tuple[int, int]], at: int, length: int) -> bool:
    """Whether ``at`` stands inside double-quoted speech that closes in the paragraph.

    Speech left open runs on into the next paragraph, and so may a quotation nested in it
    (a letter read aloud: "'Dear Sir, ...), so there a quote keeps the usual reading.
    """
    index = bisect.bisect_left(spans, (at,)) - 1  # the last speech opened before ``at``
    return index >= 0 and at < spans[index][1] < length


def _could_open(text: str, at: int) -> bool:
    """Whether a word-initial quote could open a quotation of its own: it starts speech, or quotes one word."""
    return _starts_speech(text, at) or _QUOTED_WORD.match(text, at) is not None


def _first_after(positions: list[int], at: int) -> int | None:
    index = bisect.bisect_right(positions, at)
    return positions[index] if index < len(positions) else None


def _context(text: str, position: int) -> str:
    return text[max(0, position - 30) : position + 30].strip()


def _closer_between(text: str, possible: list[int], start: int, end: int | None) -> int | None:
    """The first quote after ``start`` (and before ``end``) that may close; a dropped g (comin' or) may not."""
    for closer in possible[bisect.bisect_right(possible, start) :]:
        if end is not None and closer >= end:
            return None
        if not _DROPPED_G.match(text, closer):
            return closer
    return None


def _other_opens(
    text: str,
    at: int,
    depth: int,
    last_open: int,
    others: list[int],
    possible: list[int],
    speech: list[tuple[int, int]],
) -> tuple[bool, Doubt | None]:
    """Whether a quote before an unlisted word opens a quotation, and the doubt to report if not."""
    next_other = _first_after(others, at)
    if speech and depth == 0 and text[at] == "'" and _in_closed_speech(speech, at, len(text)):
        # A mid-sentence candidate ('pear) is no rival for the closer; one that could open a
        # quotation of its own (after punctuation, or a quoted word) is.
        rival = next((o for o in others if o > at and _could_open(text, o)), None)
        if _QUOTED_WORD.match(text, at) or _closer_between(text, possible, at, rival) is not None:
            return True, None
        return False, Doubt("TY107", "apostrophe", "a quote at a word's start inside double-quoted speech, "
                            "with no closing single quote before the speech ends, read as an elision "
                            "('Gene, 'ere)", _context(text, at), 0.6)  # fmt: skip
    if depth > 0 and not _could_open(text, at) and _closer_between(text, possible, last_open, at) is None:
        # A single quotation holds no single quotation of its own: inside one, a quote in
        # mid-sentence ('You walk 'cross that field?') is an elision.
        return False, None
    closer = _first_after(possible, at)
    closes_later = closer is not None and (next_other is None or closer < next_other)
    if depth > 0 or closes_later or _starts_speech(text, at):
        return True, None
    return False, Doubt("TY106", "apostrophe", "a quote at a word's start with no closing quote after it, in "
                        "the middle of a sentence, read as an elision ('Frisco)", _context(text, at), 0.6)  # fmt: skip


def resolve(text: str) -> tuple[list[Edit], list[Doubt]]:
    """Decide every straight quote at a word's start in one paragraph."""
    candidates = [m.start() for m in _WORD_INITIAL.finditer(text)]
    elided = {at for at in candidates if _ELIDED.match(text, at)}
    quoted = {at for at in elided if _QUOTED.match(text, at)}
    others = [at for at in candidates if at not in elided]
    sure = [m.start() for m in _SURE_CLOSER.finditer(text)]
    questions = any(_QUESTION.match(text, at) for at in elided)
    if not others and not quoted and not questions and (not sure or sure[-1] < candidates[0]):
        return [Edit(at, at + 1, "’", APOSTROPHES) for at in candidates], []  # only elisions
    possible = [m.start() for m in _POSSIBLE_CLOSER.finditer(text)]
    speech = _speech_spans(text) if others and ('"' in text or "“" in text) else []
    edits: list[Edit] = []
    doubts: list[Doubt] = []
    depth = 0
    closed = 0  # sure closers already counted against depth
    last_open = -1
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
            # 'Is he gone? she wondered: the verb asking a question, not dialect 'is (his).
            # A typed ‘ there is kept, as the writer's (or an earlier pass's) choice.
            opens = opens or (
                depth == 0
                and _QUESTION.match(text, at) is not None
                and (text[at] == "‘" or _starts_speech(text, at))
            )
            if opens and text[at] == "'":
                doubts.append(Doubt("TY103", "opening quote", "a quote before an elided word ('em, 'til) "
                                    "read as an opening quote: a closing quote follows it", _context(text, at), 0.6))  # fmt: skip
        else:
            opens, doubt = _other_opens(text, at, depth, last_open, others, possible, speech)
            if doubt:
                doubts.append(doubt)
        typed = text[at] == "‘"
        if opens:
            depth, last_open = depth + 1, at
            if not typed:
                edits.append(Edit(at, at + 1, "‘", SINGLE))
        elif not typed or at in elided:  # a typed ‘ is only turned round before an elided word
            edits.append(Edit(at, at + 1, "’", APOSTROPHES))
        else:
            depth += 1
    return edits, doubts


RULE = ParagraphRule(_WORD_INITIAL, resolve)


# A quotation at a paragraph's start shows itself by a closing quote, a question or
# exclamation, or a verb of speech or thought; a paragraph with none of them, which the
# next paragraph does not continue with a quote, opens on a dialect elision ('Gene came by.).
_SPEECH_SIGNS = re.compile(
    rf"’(?![^\W_])|[?!]|\b(?i:{alternation(word_list('speech_verbs'))})\b"
)


def opens_on_elision(source: str, typed: str, next_source: str) -> bool:
    """Whether a paragraph typed ``'Gene came by.`` opens on an elision rather than a quotation.

    Only the book can tell (the next paragraph may continue a quotation), so the transform
    asks this of each paragraph the rules opened with ‘ that has nothing else to close it.
    """
    if not (source.startswith("'") and typed.startswith("‘") and source[1:2].isupper()):
        return False
    if next_source.lstrip().startswith(("'", "‘")):
        return False
    return _SPEECH_SIGNS.search(typed, 1) is None
