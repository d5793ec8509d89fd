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
_CLOSES_BEFORE = r"\s)\]}.,;:!?—–…“”‘’'\""  # another quote too: '"' and "'" close together


def _context(text: str, position: int) -> str:
    return text[max(0, position - 30) : position + 30].strip()


# --- a quote whose surroundings do not tell: the quotes opened before it decide -------------

_STRAIGHT = re.compile(r"[\"']")
_ANY_QUOTE = re.compile(r"[\"'“”‘’]")
_OPEN = {'"': "“", "'": "‘"}
_CLOSE = {'"': "”", "'": "’"}
_KIND = {'"': DOUBLE, "'": SINGLE}
_MEASURE = {'"': DOUBLE_PRIME, "'": PRIME}
_NEXT = {'"': re.compile(r"[\"“”]"), "'": re.compile(r"‘|['’](?![^\W_])")}


def _closer_follows(text: str, at: int) -> bool:
    """Whether the next quote of the same kind after ``at`` could close (is not an opening one)."""
    found = _NEXT[text[at]].search(text, at + 1)
    return found is not None and found.group() not in "“‘"


def _count_typeset(opened: dict[str, int], text: str, at: int) -> None:
    """Keep count of the quotations open, given a quote already typeset."""
    char = text[at]
    if char in "“‘":
        opened['"' if char == "“" else "'"] += 1
    elif char == "”" or (
        char == "’" and not (text[at - 1 : at].isalnum() and text[at + 1 : at + 2].isalnum())
    ):
        key = '"' if char == "”" else "'"
        opened[key] = max(0, opened[key] - 1)


def _resolve_by_balance(text: str) -> tuple[list[Edit], list[Doubt]]:
    """Close a straight quote if one of its kind is open before it in the paragraph, else open it.

    After a number, a quote that no quotation needs is a prime (12" ruler, 40' across).
    """
    edits: list[Edit] = []
    doubts: list[Doubt] = []
    opened = {'"': 0, "'": 0}
    for match in _ANY_QUOTE.finditer(text):
        char, at = match.group(), match.start()
        if char not in _OPEN:
            _count_typeset(opened, text, at)
            continue
        is_open = opened[char] > 0
        if text[at - 1 : at].isdigit() and not (is_open and not _closer_follows(text, at)):
            edits.append(Edit(at, at + 1, _MEASURE[char], PRIMES))
            doubts.append(Doubt("TY105", "prime", "a quote after a number read as feet or inches",
                                _context(text, at), 0.7))  # fmt: skip
            continue
        edits.append(Edit(at, at + 1, _CLOSE[char] if is_open else _OPEN[char], _KIND[char]))
        opened[char] += -1 if is_open else 1
        code = "TY105" if text[at - 1 : at].isdigit() else "TY104"
        doubts.append(Doubt(code, "closing quote" if is_open else "opening quote", "a quote whose neighbours "
                            "do not tell its direction, turned by the quotes opened before it in the paragraph",
                            _context(text, at), 0.6))  # fmt: skip
    return edits, doubts


# ''Two single quotes'' typed for a double one; before the dash rules, which read quotes. Not
# before an elided word that no '' closes later: ''tis is a quote opening on an elision (‘’tis).
#
# TeX-style quotes (``double'' and `single'), as SmartyPants reads them: a double backtick
# becomes a straight quote whose direction the rules below decide, a lone one an opening
# single quote, but only where a single quote closes it before any other backtick (not `code`).
NORMALIZE = (
    RegexRule("", re.compile(rf"''(?<!''')(?!')(?!(?i:{leading.elided_words()})\b(?![^\n]*''))"), '"'),
    RegexRule("", re.compile(r"``(?<!```)(?!`)(?=\S)"), '"'),
    RegexRule("", re.compile(r"`(?<![`\w]`)(?=[^\W_][^`'\n]*(?:'[^\W_][^`'\n]*)*'(?![^\W_]))"), "‘"),
)

# 6'4" and 5'11: a quote after one or two digits standing alone, before one or two more.
_FEET = r"'(?:(?<=^\d')|(?<=[^\w.'’]\d')|(?<=^\d\d')|(?<=[^\w.'’]\d\d'))"
_INCHES_AFTER_FEET = r"\"(?:(?<=\d′\d\")|(?<=\d′\d\d\"))(?![\w'])"

RULES = (
    RegexRule(PRIMES, re.compile(_FEET + r"(?=\d{1,2}(?:\.\d+)?(?:\"(?![\w'])|(?![\w'\"])))", re.M), PRIME),
    RegexRule(PRIMES, re.compile(_INCHES_AFTER_FEET), DOUBLE_PRIME),
    # rock 'n' roll (and a word processor's rock ‘n’ roll)
    RegexRule(APOSTROPHES, re.compile(r"['‘]n['’](?<![\w'’‘]['‘]n['’])(?![\w'’‘])"), "’n’"),
    # Inside a word: don't, Y'know, O'Brien; and the 1990's.
    RegexRule(APOSTROPHES, re.compile(rf"'(?:(?<={LETTER}')(?={ALNUM})|(?<=\d')(?=s\b))"), "’"),
    # After a closing bracket and before a letter ([Sam]'s, (Jo)'s): no quote stands there, an apostrophe does.
    RegexRule(APOSTROPHES, re.compile(r"'(?<=[\])}]')(?=[^\W_])"), "’"),
    # An elision right after an opening single quote (''tis, ‘'tis): its apostrophe, not a second
    # quote. (After a double quote, "'tis or "'Is £4 a week.'", the paragraph decides: below.)
    RegexRule(APOSTROPHES, re.compile(rf"'(?<=['‘]')(?=(?i:{leading.elided_words()})\b)"), "’"),
    # At a word's start, before a letter or digit: an apostrophe ('em) or an opening quote.
    leading.RULE,
    # After a letter and before anything but a letter: goin', the Kents', or a closing quote.
    RegexRule(APOSTROPHES, re.compile(rf"'(?<={LETTER}')"), "’"),
    # After punctuation, before a space or the end: a closing single quote.
    RegexRule(SINGLE, re.compile(rf"'(?<=[.,;:!?…—–)\]”]')(?=$|[{_CLOSES_BEFORE}])", re.M), "’"),
    # After a double quote, before a space or the end: both close ('I said, "Go."').
    RegexRule(SINGLE, re.compile(r"'(?<=\"')(?=$|[\s)\]}—–])", re.M), "’"),
    # ... and in a pile of three, between a closing double quote and the outer one ('later' works.'").
    RegexRule(SINGLE, re.compile(r"'(?:(?<=[.,;:!?…—–]\"')|(?<=[^\W_]\"')|(?<=”'))(?=[\"”])"), "’"),
    # At a word's start: an opening single quote.
    RegexRule(SINGLE, re.compile(rf"'(?<![^{_OPENS_AFTER}\"—–/]')(?=[^\s)\]}}.,;:!?”])"), "‘"),
    # An opening double quote: after a space or bracket (or the start), before a non-space.
    RegexRule(DOUBLE, re.compile(rf"\"(?<![^{_OPENS_AFTER}]\")(?=[^\s)\]}}.,;:!?”])"), "“"),
    # After a dash: opens if a word follows (—"Wait!"), closes otherwise ("I was—").
    RegexRule(DOUBLE, re.compile(r"\"(?<=[—–]\")(?=[^\W_]|[…‘“(\[’'])"), "“"),
    RegexRule(DOUBLE, re.compile(rf"\"(?<=[^\s\d{_OPENING_MARKS}]\")(?=$|[{_CLOSES_BEFORE}])", re.M), "”"),
    ParagraphRule(_STRAIGHT, _resolve_by_balance),
)
