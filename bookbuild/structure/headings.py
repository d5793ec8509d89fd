"""Recognise chapter headings: numbered, named, a lone numeral, or a short title line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbuild.structure.blocks import strip_edges
from bookbuild.structure.lexicon import lexicon
from bookbuild.structure.markers import scene_marker

_ROMAN = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})", re.IGNORECASE)
_SEPARATORS = ":.-–—|,;"
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’.\-]*|\d[\w'’.\-]*")
_TITLE_END_BANNED = ".!?,;:\"'”’“‘)…—–-"
MAX_HEADING_WORDS = 16


@dataclass(frozen=True, slots=True)
class HeadingMatch:
    """Why a paragraph is a chapter heading, and the title it gives the chapter."""

    code: str
    rule: str
    confidence: float
    title: str


def _is_number(token: str) -> bool:
    token = token.strip()
    if token.isdigit():
        return True
    if _ROMAN.fullmatch(token) and (token.isupper() or token.islower()):
        return True
    parts = re.split(r"[\s-]+", token.lower())
    return all(part in lexicon().number_words for part in parts if part)


def _rest_is_title(rest: str) -> bool:
    """Whether what follows "Chapter 3" is a title ("- The Return", "The Return") and not prose."""
    rest = rest.strip()
    if not rest:
        return True
    if re.fullmatch(r"of\s+\w+", rest, re.IGNORECASE):
        return True
    if rest[0] in _SEPARATORS:
        return len(rest.split()) <= MAX_HEADING_WORDS
    return rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'“‘([*~"


def chapter_heading(text: str) -> HeadingMatch | None:
    """Why a paragraph is a chapter heading ("Chapter 3", "Prologue", "IV"), or None."""
    line = " ".join(text.split())
    if not line or len(line) > 120 or len(line.split()) > MAX_HEADING_WORDS:
        return None
    core = strip_edges(line)
    if not core:
        return None
    lex = lexicon()
    numbered = lex.numbered_heading.match(core)
    if numbered and _is_number(numbered["number"]) and _rest_is_title(numbered["rest"]):
        word = numbered["word"].lower().rstrip(".")
        return HeadingMatch("CH001", f"a numbered heading ('{word} N')", 0.97, core)
    named = lex.named_heading.match(core)
    if named:
        rest = named["rest"].strip()
        if not rest or _rest_is_title(rest) or _is_number(rest.split()[0]):
            word = named["word"].lower()
            return HeadingMatch("CH002", f"a named heading ('{word}')", 0.95, core)
    numeral = core.rstrip(".")
    if "<3" in line:  # a heart drawn in text, not the number 3
        return None
    if re.fullmatch(r"\d{1,3}", numeral) or (
        numeral.isupper() and (_ROMAN.fullmatch(numeral) or numeral.lower() in lex.number_words)
    ):
        return HeadingMatch("CH003", "a lone number on its own line (IV, 12, TWO)", 0.88, core)
    return None


def looks_like_title(text: str) -> bool:
    """Whether a paragraph has a title's shape: short, in title case, no closing punctuation."""
    line = " ".join(text.split())
    if not line or len(line) > 70 or line[-1] in _TITLE_END_BANNED or '"' in line or "“" in line:
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    tokens = _TITLE_WORD.findall(line)
    if not tokens or len(tokens) > 10 or len(tokens) != len(line.split()):
        return False
    lex = lexicon()
    for position, token in enumerate(tokens):
        if position and token.lower() in lex.small_words:
            continue
        if not (token[0].isupper() or token[0].isdigit() or re.match(r"[a-z]['’][A-Z]", token)):
            return False
    if lex.caption.search(line) or scene_marker(line):
        return False
    plain = " ".join(t.lower().strip(".'’") for t in tokens)
    return plain not in lex.not_titles


def is_named_note(title: str) -> bool:
    """Whether a heading names author's matter ("Afterword", "Author's Note"), not story."""
    core = strip_edges(title).lower().rstrip(".:")
    word = core.split()[0] if core.split() else ""
    return word in lexicon().named_notes or bool(
        lexicon().note_label.match(core) and len(core.split()) <= 3
    )
