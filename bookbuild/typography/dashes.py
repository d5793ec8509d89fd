"""Dashes: typed stand-ins become a closed-up em dash, number ranges take an en dash.

Em dash (—, no spaces): ``--``, ``---``, a spaced `` - ``, a hyphen that cuts speech off
(``"I was-"``), a hyphen after an opening quote or at a paragraph's start (``"-so"``), and
``I-He`` where a lone "I" breaks off into a new clause. A stammer (``I-I``, ``W-what``)
and every hyphenated word keep their hyphens. En dash (–): ranges and scores (``9-5``).
Minus (−): a hyphen right before a number after a space (``-20``).

Spaces around dashes are one plain space by now (:mod:`bookbuild.typography.spaces`).
"""

from __future__ import annotations

import re

from bookbuild.typography.chars import ALNUM, EM_DASH, EN_DASH, LETTER, MINUS, THREE_EM_DASH, TWO_EM_DASH
from bookbuild.typography.engine import RegexRule
from bookbuild.typography.leading import elided_words

EM = "em_dashes"
EN = "en_dashes"
LONG = "long_dashes"

# After a cut-off, what ends the speech: a closing quote, then a space, punctuation or the end.
_QUOTE_THEN_END = r"[\"'”’](?:[\s,.;:!?)\]—\"'”’]|$)"
# What a cut-off follows: a letter or digit, an abbreviation's period (Mr.-), an elision (darlin'-).
_CUT_AFTER = r"(?:(?<=[^\W_]-)|(?<=[^\W_][.'’]-))"
# Words that start a new clause after "I-" (I-He couldn't); the same word again is a stammer.
_BREAKERS = ("I", "We", "You", "They", "But", "And", "So", "Wait", "Well", "Please")
# "pre- and post-war": a hyphen before a space is a suspended compound, not a cut-off.
_SUSPENDED = r"(?:and|or|nor|to|through|and/or)\b"


# What may end a number in a range: a decade's s, or a clock's am/pm (4-6pm, 9a.m.-5p.m.).
_NUMBER_END = r"(?:s|[ap]\.?m\b\.?)?"
# A time standing alone (h:mm or hh:mm) right before a hyphen.
_CLOCK_BEFORE = r"(?:(?<=^\d:\d\d-)|(?<=[^\w:.\-–]\d:\d\d-)|(?<=^\d\d:\d\d-)|(?<=[^\w:.\-–]\d\d:\d\d-))"


def _interruption() -> re.Pattern[str]:
    """``I-He``: one of the breakers, alone, a hyphen, then a different capitalised word."""
    branches = "|".join(rf"(?:(?<=^{w}-)|(?<=[^\w'’‘\-]{w}-))(?!{w})" for w in _BREAKERS)
    return re.compile(rf"-(?:{branches})(?=[A-Z][\w'’′″]*(?![\w'’′″-]))", re.M)


RULES = (
    # "L----" (a name left out) and "the ------ war" (a word left out): 2-em and 3-em dashes.
    RegexRule(LONG, re.compile(r"------+"), THREE_EM_DASH),
    RegexRule(LONG, re.compile(r"-----?"), TWO_EM_DASH),
    # "12 - 45": a spaced hyphen (or en dash) between numbers is a range.
    RegexRule(EN, re.compile(r" - (?<=\d - )(?=\d)"), EN_DASH),
    RegexRule(EN, re.compile(r" – (?<=\d – )(?=\d)"), EN_DASH),
    # "--", "---" and longer, with the spaces around them.
    RegexRule(EM, re.compile(r" --+ ?"), EM_DASH),
    RegexRule(EM, re.compile(r"--+ ?"), EM_DASH),
    # An em dash typed with spaces, and a spaced en dash used as one (British style).
    RegexRule(EM, re.compile(r" — ?"), EM_DASH),
    RegexRule(EM, re.compile(r"— "), EM_DASH),
    RegexRule(EM, re.compile(r" – "), EM_DASH),
    # "cold - too cold": a hyphen with a space on each side.
    RegexRule(EM, re.compile(r" - (?<=\S - )(?=\S)"), EM_DASH),
    # "Go -" and "Go -\"": a spaced hyphen at the end of speech or paragraph.
    RegexRule(EM, re.compile(rf" -(?<=\S -)(?=$|{_QUOTE_THEN_END})", re.M), EM_DASH),
    # "I was-\"", "hide-'", "Mr.-\"": a hyphen that cuts speech off before its closing quote.
    RegexRule(EM, re.compile(rf"-{_CUT_AFTER}(?={_QUOTE_THEN_END})", re.M), EM_DASH),
    # "the truth-'tis": a hyphen before an elided word is a dash ('n' stays: rock-'n'-roll).
    RegexRule(EM, re.compile(rf"-{_CUT_AFTER}(?='(?i:{elided_words(but=('n',))})\b)"), EM_DASH),
    # "I was going to-" at the end, or "What are you-?"
    RegexRule(EM, re.compile(rf"-(?<={ALNUM}-)(?=$|[?!]+(?:[\"'“”‘’\s]|$))", re.M), EM_DASH),
    # "I was- I mean": cut off, then a new start after a space.
    RegexRule(EM, re.compile(rf"- (?<={LETTER}- )(?!{_SUSPENDED})(?={LETTER})"), EM_DASH),
    # "-so that's why" at a paragraph's start, or right after an opening quote.
    RegexRule(
        EM,
        re.compile(rf"-(?:(?<=^-)|(?<=^[\"“'‘]-)|(?<=[\s(][\"“'‘]-))(?={LETTER})", re.M),
        EM_DASH,
    ),
    # "I-He couldn't": a lone word, then a different capitalised word: an interruption.
    RegexRule(EM, _interruption(), EM_DASH),
    # "1990-1995", "9-5", "1980s-1990s", "'05-'06", "4-6pm": a range or a score; after the em
    # dashes, which may end one.
    RegexRule(
        EN,
        re.compile(
            rf"(\d(?<![\w.,:/\-–−]\d)\d*(?:[.,]\d+)?{_NUMBER_END})-"
            rf"(?=['’]?\d+(?:[.,]\d+)?{_NUMBER_END}(?![\w:/\-–]|[.,]\d))"
        ),
        rf"\g<1>{EN_DASH}",
    ),
    # "10:30-11:45", "9:30-10pm": a range of times (not a time zone: T10:30-05:00).
    RegexRule(
        EN, re.compile(rf"-{_CLOCK_BEFORE}(?=\d\d?(?::\d\d)?{_NUMBER_END}(?![\w:/\-–]|[.,]\d))"), EN_DASH
    ),
    # "-20 degrees": a minus sign.
    RegexRule("minus_signs", re.compile(r"-(?:(?<=^-)|(?<=[\s(\[“\"=]-))(?=\d)", re.M), MINUS),
)
