"""Hide literal tokens (URLs, e-mail addresses, file names, flags, phone numbers) from the rules.

Before the rules run, the characters a rule could change inside such a token are swapped for
Unicode noncharacters (reserved for a program's internal use, never in a real text), one for
one, so the text keeps its length; afterwards they are swapped back. Dates, times and other
chains of numbers (2024-03-15, 3:45, 978-3-16) need no hiding: no rule changes them.
"""

from __future__ import annotations

import re
from functools import cache

from bookbuild.typography.engine import Doubt, Edit, ParagraphRule, RegexRule
from bookbuild.typography.words import word_list

_STAND_INS = {"-": "\ufdd0", "'": "\ufdd1", '"': "\ufdd2", ".": "\ufdd3"}
_HIDE = str.maketrans(_STAND_INS)
_SHOW = str.maketrans({hidden: plain for plain, hidden in _STAND_INS.items()})

_EXTENSIONS = (
    "txt|md|pdf|docx?|odt|rtf|jpe?g|png|gif|svg|webp|bmp|tiff?|mp3|mp4|m4a|wav|flac|ogg|mov|avi|mkv|"
    "zip|tar|gz|tgz|bz2|xz|rar|7z|exe|dmg|msi|apk|sh|bat|ps1|py|js|ts|html?|css|json|xml|ya?ml|"
    "toml|csv|tsv|log|ini|cfg|conf|c|h|cpp|hpp|java|rb|go|rs|php|sql|db|epub|mobi|azw3|pptx?|xlsx?|"
    "key|dll|so|bin|iso|img|psd|ai|indd|tex|bib"
)
# Tokens whose extent only a pattern over the paragraph can find, each with a quick test
# (a substring, or a regex starting with a literal character) that a paragraph must pass.
# Repeats are bounded, so a pathological paragraph cannot make a pattern quadratic.
_TOKENS: list[tuple[str | re.Pattern[str], re.Pattern[str]]] = [
    # URLs, ending before a quote, straight or typeset
    ("://", re.compile(r"\b(?:https?|ftp|file)://[^\s\"'“”‘’«»„‚‹›—–<>]*[^\s\"'“”‘’«»„‚‹›—–<>.,;:!?)\]]")),
    ("www.", re.compile(r"\bwww\.[^\s\"'“”‘’«»„‚‹›—–<>]*[^\s\"'“”‘’«»„‚‹›—–<>.,;:!?)\]]")),
    ("@", re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")),  # e-mail addresses
    (
        re.compile(rf"\.(?<=\w\.)(?:{_EXTENSIONS})\b"),
        re.compile(rf"\b[\w-]{{1,100}}(?:\.[\w-]{{1,100}}){{0,8}}\.(?:{_EXTENSIONS})\b"),
    ),
    ("/", re.compile(r"(?<![\w/.])(?:~|\.\.?)?(?:/[\w.-]+){2,}/?")),  # paths
    ("\\", re.compile(r"\b[A-Za-z]:\\[\w\\ .-]*\w")),
]
_MAY_HOLD_TOKEN = re.compile(r"[@\\/.](?:(?<=[@\\/])|(?<=\w\.)(?=[A-Za-z]))")


def _hide(match: re.Match[str]) -> str:
    return match.group().translate(_HIDE)


def _hide_tokens(text: str) -> tuple[list[Edit], list[Doubt]]:
    """Edits hiding every token in a paragraph; where two overlap, the first and longest wins."""
    spans: list[tuple[int, int]] = []
    for test, pattern in _TOKENS:
        if (test in text) if isinstance(test, str) else test.search(text):
            spans.extend(m.span() for m in pattern.finditer(text))
    edits: list[Edit] = []
    reached = 0
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start >= reached:
            edits.append(Edit(start, end, text[start:end].translate(_HIDE), ""))
            reached = end
    return edits, []


@cache
def _dash_words() -> frozenset[str]:
    return frozenset(word_list("dash_words"))


# "--verbose" after a space is a flag; "--well, I" is a dash typed with a space before it.
_FLAG = re.compile(
    r"--(?<=[^\S\n]--)(?<![-—–][^\S\n]--)(?P<name>[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*)(?P<value>=[^\s\"']+)?"
    r"(?![\w\-]|\.\w)",
    re.M,
)


def _hide_flag(match: re.Match[str]) -> str:
    name = match.group("name")
    plain_word = not match.group("value") and name.isalpha()
    if plain_word and name in _dash_words():
        return match.group()
    return _hide(match)


# Only the hyphen of these can change, so only it is hidden: a phone number (555-1234,
# (555) 123-4567) or ZIP+4 (12345-6789) is not a range; an emoticon's nose; an arrow.
_PHONE_HYPHEN = re.compile(
    r"-(?:(?<=^\d\d\d-)|(?<=[^\w-]\d\d\d-)|(?<=^\d\d\d\d\d-)|(?<=[^\w-]\d\d\d\d\d-))(?=\d{4}(?![\w-]))", re.M
)
_EMOTICON = re.compile(r"[-'](?:(?<=^[:;=][-'])|(?<=[\s—][:;=][-']))(?=[()DPpO/\\|\[\]])", re.M)
_ARROWS = (re.compile(r"<-+"), re.compile(r"-(?=-*>)-*>"))  # each with a literal first character

RULES = (
    ParagraphRule(_MAY_HOLD_TOKEN, _hide_tokens),
    RegexRule("", _FLAG, _hide_flag),
    RegexRule("", _PHONE_HYPHEN, _STAND_INS["-"]),
    RegexRule("", _EMOTICON, _hide),
    *(RegexRule("", arrow, _hide) for arrow in _ARROWS),
)
SHOW_LITERALS = RegexRule(
    "",
    re.compile("[\ufdd0-\ufdd3]+"),
    lambda m: m.group().translate(_SHOW),
    gate="".join(_STAND_INS.values()),
)
