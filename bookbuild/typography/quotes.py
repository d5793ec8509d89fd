"""Quotes and apostrophes: “double”, ‘single’, the apostrophe ’, and primes for feet and inches.

A quote's direction comes from the characters around it, so an unclosed quote still opens and
a stray closing quote still closes, and no mistake travels to another paragraph. Two cases
need the whole paragraph: a straight single quote at a word's start (an elision's apostrophe
or an opening quote: :mod:`bookbuild.typography.leading`), and a quote with the same kind of
character on both sides (only the quotes opened before it in the paragraph can tell).
"""

from __future__ import annotations

import re

from bookbuild.typography import leading
from bookbuild.typography.chars import ALNUM, DOUBLE_PRIME, LETTER, PRIME
from bookbuild.typography.engine import Doubt, Edit, ParagraphRule, RegexRule

DOUBLE = "double_quotes"
SINGLE = "single_quotes"
APOSTROPHES = "apostrophes"
PRIMES = "primes"

# What a quote opens after, and what a closing quote stands before.
_OPENING_MARKS = r"(\[{“‘"
_OPENS_AFTER = r"\s" + _OPENING_MARKS
_CLOSES_BEFORE = r"\s)\]}.,;:!?—–…”’'\""


def _context(text: str, position: int) -> str:
    return text[max(0, position - 30) : position + 30].strip()


# --- a quote whose surroundings do not tell: the quotes opened before it decide -------------

_STRAIGHT = re.compile(r"[\"']")
_ANY_QUOTE = re.compile(r"[\"'“”‘’]")


_NEXT_DOUBLE = re.compile(r"[\"“”]")
_NEXT_SINGLE = re.compile(r"‘|['’](?![^\W_])")


def _closer_follows(text: str, at: int, is_double: bool) -> bool:
    """Whether the next quote of the same kind after ``at`` could close (not an opening one)."""
    found = (_NEXT_DOUBLE if is_double else _NEXT_SINGLE).search(text, at + 1)
    return found is not None and found.group() not in "“‘"


def _resolve_by_balance(text: str) -> tuple[list[Edit], list[Doubt]]:
    """Close a straight quote if one of its kind is open before it in the paragraph, else open it."""
    edits: list[Edit] = []
    doubts: list[Doubt] = []
    double_open = single_open = 0
    for match in _ANY_QUOTE.finditer(text):
        char, at = match.group(), match.start()
        before = text[at - 1] if at else ""
        after = text[at + 1] if at + 1 < len(text) else ""
        if char == "“":
            double_open += 1
        elif char == "”":
            double_open = max(0, double_open - 1)
        elif char == "‘":
            single_open += 1
        elif char == "’":
            # Between letters or after a letter with no quote open, it is an apostrophe.
            if single_open and not (before.isalnum() and after.isalnum()):
                single_open -= 1
        elif before.isdigit():
            is_double = char == '"'
            is_open = double_open if is_double else single_open
            if is_open and not _closer_follows(text, at, is_double):
                new, kind = ("”", DOUBLE) if is_double else ("’", SINGLE)
                if is_double:
                    double_open -= 1
                else:
                    single_open -= 1
            else:
                new, kind = (DOUBLE_PRIME if is_double else PRIME), PRIMES
            edits.append(Edit(at, at + 1, new, kind))
            doubts.append(
                Doubt(
                    "TY105",
                    "closing quote" if kind != PRIMES else "prime",
                    "a quote after a number read as "
                    + ("a closing quote" if kind != PRIMES else "feet or inches"),
                    _context(text, at),
                    0.7,
                )
            )
        else:
            is_double = char == '"'
            is_open = double_open if is_double else single_open
            if is_open:
                new = "”" if is_double else "’"
            else:
                new = "“" if is_double else "‘"
            if is_double:
                double_open += -1 if is_open else 1
            else:
                single_open += -1 if is_open else 1
            edits.append(Edit(at, at + 1, new, DOUBLE if is_double else SINGLE))
            doubts.append(
                Doubt(
                    "TY104",
                    "closing quote" if is_open else "opening quote",
                    "a quote with no telling neighbours, turned by the quotes opened before it",
                    _context(text, at),
                    0.6,
                )
            )
    return edits, doubts


# ''Two single quotes'' typed for a double one; before the dash rules, which read quotes.
NORMALIZE = (RegexRule("", re.compile(r"''(?<!''')(?!')"), '"'),)

# 6'4" and 5'11: a quote after one or two digits standing alone, before one or two more.
_FEET = r"'(?:(?<=^\d')|(?<=[^\w.'’]\d')|(?<=^\d\d')|(?<=[^\w.'’]\d\d'))"
_INCHES_AFTER_FEET = r"\"(?:(?<=\d′\d\")|(?<=\d′\d\d\"))(?![\w'])"

RULES = (
    RegexRule(PRIMES, re.compile(_FEET + r"(?=\d{1,2}(?:\.\d+)?(?:\"(?![\w'])|(?![\w'\"])))", re.M), PRIME),
    RegexRule(PRIMES, re.compile(_INCHES_AFTER_FEET), DOUBLE_PRIME),
    # rock 'n' roll
    RegexRule(APOSTROPHES, re.compile(r"'n'(?<![\w'’‘]'n')(?![\w'’])"), "’n’"),
    # Inside a word: don't, Y'know, O'Brien; and the 1990's.
    RegexRule(APOSTROPHES, re.compile(rf"'(?:(?<={LETTER}')(?={ALNUM})|(?<=\d')(?=s\b))"), "’"),
    # At a word's start, before a letter or digit: an apostrophe ('em) or an opening quote.
    leading.RULE,
    # After a letter and before anything but a letter: goin', the Kents', or a closing quote.
    RegexRule(APOSTROPHES, re.compile(rf"'(?<={LETTER}')"), "’"),
    # After punctuation, before a space or the end: a closing single quote.
    RegexRule(SINGLE, re.compile(rf"'(?<=[.,;:!?…—–)\]”]')(?=$|[{_CLOSES_BEFORE}])", re.M), "’"),
    # At a word's start: an opening single quote.
    RegexRule(SINGLE, re.compile(rf"'(?<![^{_OPENS_AFTER}\"—–/]')(?=[^\s)\]}}.,;:!?”])"), "‘"),
    # An opening double quote: after a space or bracket (or the start), before a non-space.
    RegexRule(DOUBLE, re.compile(rf"\"(?<![^{_OPENS_AFTER}]\")(?=[^\s)\]}}.,;:!?”])"), "“"),
    # After a dash: opens if a word follows (—"Wait!"), closes otherwise ("I was—").
    RegexRule(DOUBLE, re.compile(r"\"(?<=[—–]\")(?=[^\W_]|[…‘“(\[’'])"), "“"),
    RegexRule(DOUBLE, re.compile(rf"\"(?<=[^\s\d{_OPENING_MARKS}]\")(?=$|[{_CLOSES_BEFORE}])", re.M), "”"),
    ParagraphRule(_STRAIGHT, _resolve_by_balance),
)
