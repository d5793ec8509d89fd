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
from bookbuild.typography.words import alternation, word_list

EM = "em_dashes"
EN = "en_dashes"
LONG = "long_dashes"

# After a cut-off, what ends the speech: a closing quote, then a space, punctuation or the end.
_QUOTE_THEN_END = r"[\"'”’](?:[\s,.;:!?)\]—\"'”’]|$)"
# What a cut-off follows: a letter or digit, an abbreviation's period (Mr.-), an elision (darlin'-).
_CUT_AFTER = r"(?:(?<=[^\W_]-)|(?<=[^\W_][.'’]-))"
# Words that start a new clause after "I-" (I-He couldn't); the same word again is a stammer.
_BREAKERS = ("I", "We", "You", "They", "But", "And", "So", "Wait", "Well", "Please")
# "pre- and post-war", "thirty-four or -five": a hyphen beside one of these and a space is a
# suspended compound, not a cut-off.
_CONJUNCTIONS = ("and", "or", "nor", "to", "through")
_SUSPENDED = rf"(?:and/or|{'|'.join(_CONJUNCTIONS)})\b"


# What may end a number in a range: a decade's s, or a clock's am/pm (4-6pm, 9a.m.-5p.m.).
_NUMBER_END = r"(?:s|[ap]\.?m\b\.?)?"
# A time standing alone (h:mm or hh:mm) right before a hyphen.
_CLOCK_BEFORE = r"(?:(?<=^\d:\d\d-)|(?<=[^\w:.\-–−]\d:\d\d-)|(?<=^\d\d:\d\d-)|(?<=[^\w:.\-–−]\d\d:\d\d-))"


# A unit glued to a range's number (3-4kg, 10-15cm), and a currency sign before one (£5-£10).
_UNIT = rf"(?:{alternation(word_list('units'))})?"
_CURRENCY = "£$€¥₹"
# A number in arithmetic, and what may follow it before the equals sign (9 - 2 = 7, 2 + 3 - 1 = 4).
_TERM = r"\d+(?:[.,]\d+)?"
_EQUATION_AFTER = rf"(?= ?{_TERM}(?: ?[-+×÷*/−] ?{_TERM})* ?[=≠<>≤≥](?!=))"


# Words of two letters that often follow a dash (-no, -go): not a flag like -rf.
_SHORT_DASH_WORDS = alternation([w for w in word_list("dash_words") if len(w) == 2])


def _word_pair_break() -> re.Pattern[str]:
    """``you-never``: a hyphen between two words that make no compound (``words.toml``)."""
    before = word_list("interruptions", "before")
    after = frozenset(word_list("interruptions", "after"))
    compounds = frozenset(word_list("interruptions", "compounds"))
    by_followers: dict[frozenset[str], list[str]] = {}
    for word in before:
        # a follower starting with the word itself is a stammer (I-it's, you-you're)
        followers = frozenset(w for w in after if not w.startswith(word) and f"{word}-{w}" not in compounds)
        by_followers.setdefault(followers, []).append(word)
    branches = []
    for followers, words in by_followers.items():
        left = "|".join(rf"(?<=^{re.escape(w)}-)|(?<=[^\w'’‘\-—–]{re.escape(w)}-)" for w in words)
        branches.append(rf"(?:{left})(?={alternation(followers)})")
    # not a chain (you-know-who, nor one a dash ends: you-never—), not glued to more letters
    # primes count as letters of the word: the first pass turns "'80" into "’80′s"
    return re.compile(rf"-(?i:{'|'.join(branches)})(?=[\w'’′″]+(?![\w'’‘′″\-—–\u2060]))", re.M)


def _after_word(words: tuple[str, ...]) -> str:
    """Right after one of ``words`` and a space-hyphen: ``ls -la`` (an option), ``four or -five``."""
    branches = "|".join(rf"(?<=^{re.escape(w)} -)|(?<=[^\w\-]{re.escape(w)} -)" for w in words)
    return rf"(?:{branches})"


# A spaced hyphen glued to the next word is no dash after a command (its option: ls -la) or
# after a conjunction (the second half of a suspended compound: thirty-four or -five).
_NO_GLUED_DASH = _after_word(word_list("commands") + _CONJUNCTIONS)


def _interruption() -> re.Pattern[str]:
    """``I-He``: one of the breakers, alone, a hyphen, then a different capitalised word."""
    branches = "|".join(rf"(?:(?<=^{w}-)|(?<=[^\w'’‘\-]{w}-))(?!{w})" for w in _BREAKERS)
    return re.compile(rf"-(?:{branches})(?=[A-Z][\w'’′″]*(?![\w'’′″\-–—\u2060]))", re.M)


RULES = (
    # "L----" (a name left out) and "the ------ war" (a word left out): 2-em and 3-em dashes.
    RegexRule(LONG, re.compile(r"------+"), THREE_EM_DASH),
    RegexRule(LONG, re.compile(r"-----?"), TWO_EM_DASH),
    # The same typed as em dashes: "——" and "———".
    RegexRule(LONG, re.compile(r"———+"), THREE_EM_DASH),
    RegexRule(LONG, re.compile(r"——"), TWO_EM_DASH),
    # "9 - 2 = 7", "7 = 9-2": a hyphen between numbers in an equation is a minus sign, spaces kept.
    RegexRule("minus_signs", re.compile(rf"-(?:(?<=\d-)|(?<=\d -)){_EQUATION_AFTER}"), MINUS),
    RegexRule("minus_signs", re.compile(rf"([=≠≤≥] ?{_TERM} ?)-(?= ?\d)"), rf"\g<1>{MINUS}"),
    # "pages 12--19", "(1850--1920)", "the 1440--'80s", "1990s--2000s": a doubled hyphen between
    # numbers is a range.
    RegexRule(EN, re.compile(r"--(?:(?<=\d--)|(?<=\ds--))(?<!---)(?=['’]?\d)"), EN_DASH),
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
    # "If you-never mind.": two words that make no compound.
    RegexRule(EM, _word_pair_break(), EM_DASH),
    # "She paused-\"Not yet.\"": a hyphen against an opening quote is a dash ...
    RegexRule(EM, re.compile(r"-(?<=[^\W_]-)(?=[\"“][^\W_…]|['‘][A-Z])"), EM_DASH),
    # ... and so is one after speech that closed ("Not yet."-she said), or between two quotations
    # ("Yes"-"No").
    RegexRule(EM, re.compile(r"-(?<=[.,!?…][\"”'’]-)(?=[^\W\d_])"), EM_DASH),
    RegexRule(EM, re.compile(r"-(?<=[^\W_.,!?…][\"”]-)(?=[\"“])"), EM_DASH),
    # The same with a space on one side: "paused -\"Not", "paused- \"Not", "\"Not yet.\"- she".
    RegexRule(EM, re.compile(r" -(?<=[^\W_] -)(?=[\"“][^\W_…]|['‘][A-Z])"), EM_DASH),
    RegexRule(EM, re.compile(r"- (?<=[^\W_]- )(?=[\"“][^\W_…]|['‘][A-Z])"), EM_DASH),
    RegexRule(EM, re.compile(r"- (?<=[.,!?…][\"”'’]- )(?=[^\W\d_])"), EM_DASH),
    # "It was clear -leave.": a spaced hyphen glued to the next word, unless it is an option
    # (ls -la) or a one- or two-letter flag (-v, -rf) that is not a word following a dash (-go).
    RegexRule(EM, re.compile(rf" -(?<=[^\W_] -)(?!{_NO_GLUED_DASH})(?=(?:[^\W\d_]{{3,}}|{_SHORT_DASH_WORDS})(?![\w=/\-\ufdd0-\ufdd3]|\.\w))"), EM_DASH),
    # Odd dash spellings, typed or left by the rules above: an en or em dash with hyphens
    # ("word–-", "-–", "—-", "— - ") is an em dash, and so are dashes side by side ("—--" made
    # "——"; a typed "——" was a 2-em dash already).
    RegexRule(EM, re.compile(r" ?(?=(?:[-–—] ?)*?[–—])[-–—](?: ?[-–—])+ ?"), EM_DASH),
    # "1990-1995", "9-5", "1980s-1990s", "'05-'06", "4-6pm": a range or a score; after the em
    # dashes, which may end one.
    RegexRule(
        EN,
        re.compile(
            rf"(\d(?<![\w.,:/\-–−]\d)\d*(?:[.,]\d+)?{_NUMBER_END}{_UNIT})-"
            rf"(?=['’{_CURRENCY}]?\d+(?:[.,]\d+)?{_NUMBER_END}{_UNIT}(?![\w/\-–]|[.,:]\d))"
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
