"""Hide literal tokens (URLs, e-mail addresses, file names, flags, dates, phone numbers) from the rules.

Before the rules run, the characters a rule could change inside such a token are swapped for
Unicode noncharacters (reserved for a program's internal use, never in a real text), one for
one, so the text keeps its length; afterwards they are swapped back.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from bookbuild.typography.engine import RegexRule

_STAND_INS = {"-": "\ufdd0", "'": "\ufdd1", '"': "\ufdd2", ".": "\ufdd3"}
_HIDE = str.maketrans(_STAND_INS)
_SHOW = str.maketrans({hidden: plain for plain, hidden in _STAND_INS.items()})

_EXTENSIONS = (
    "txt|md|pdf|docx?|odt|rtf|jpe?g|png|gif|svg|webp|bmp|tiff?|mp3|mp4|m4a|wav|flac|ogg|mov|avi|mkv|"
    "zip|tar|gz|tgz|bz2|xz|rar|7z|exe|dmg|msi|apk|sh|bat|ps1|py|js|ts|html?|css|json|xml|ya?ml|"
    "toml|csv|tsv|log|ini|cfg|conf|c|h|cpp|hpp|java|rb|go|rs|php|sql|db|epub|mobi|azw3|pptx?|xlsx?|"
    "key|dll|so|bin|iso|img|psd|ai|indd|tex|bib"
)
_LITERALS = [
    r"(?:\b(?:https?|ftp|file)://|\bwww\.)[^\s\"'<>]*[^\s\"'<>.,;:!?)\]]",  # URLs
    r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",  # e-mail addresses
    rf"\b[\w-]+(?:\.[\w-]+)*\.(?:{_EXTENSIONS})\b",  # file names
    r"(?<![\w/.])(?:~|\.\.?)?(?:/[\w.-]+){2,}/?",  # paths
    r"\b[A-Za-z]:\\[\w\\ .-]*\w",  # Windows paths
    r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?Z?)?\b",  # ISO dates
    r"(?<![\w-])\+?\d{1,4}(?:-\d{2,4}){2,}\b",  # phone numbers, ISBNs: three or more groups
    r"(?<![\w-])\(?\d{3}\)?[ -]\d{3}-\d{4}\b",  # (555) 123-4567
    r"(?<![\w-])\d{3}-\d{4}(?![\w-])",  # 555-1234
    r"(?<![\w-])\d{5}-\d{4}(?![\w-])",  # ZIP+4
    r"<-+|-+>",  # arrows
    r"(?<!\S)[:;=8][-'][()DPpO/\\|\[\]]",  # emoticons
]


@cache
def _dash_words() -> frozenset[str]:
    data = tomllib.loads(Path(__file__).with_name("words.toml").read_text(encoding="utf-8"))
    return frozenset(data["dash_words"]["words"])


def _hide(match: re.Match[str]) -> str:
    return match.group().translate(_HIDE)


# "--verbose" after a space is a flag; "--well, I" is a dash typed with a space before it.
_FLAG = re.compile(
    r"(?<=[^\S\n])--(?P<name>[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*)(?P<value>=[^\s\"']+)?"
    r"(?=[\s,;:!?)\"'”’]|\.(?!\w)|$)",
    re.M,
)


def _hide_flag(match: re.Match[str]) -> str:
    name = match.group("name")
    plain_word = not match.group("value") and name.isalpha()
    if plain_word and name in _dash_words():
        return match.group()
    return _hide(match)


HIDE_LITERALS = RegexRule("", re.compile("|".join(f"(?:{p})" for p in _LITERALS), re.M), _hide)
HIDE_FLAGS = RegexRule("", _FLAG, _hide_flag)
SHOW_LITERALS = RegexRule("", re.compile("[\ufdd0-\ufdd3]+"), lambda m: m.group().translate(_SHOW))

RULES = (HIDE_LITERALS, HIDE_FLAGS)
