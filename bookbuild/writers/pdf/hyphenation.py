"""Hyphenation rules of the print edition that CSS cannot say: patterns by language and region,
and words that are never broken automatically (names mid-sentence, a paragraph's last word).

WeasyPrint hyphenates with pyphen's patterns for the ``lang`` attribute and honours ``hyphens``
on inline elements, so a protected word is wrapped in ``<span class="nohy">`` (print.css sets
``hyphens: manual`` on it). Rules that depend on where lines fall (no hyphen on the last line of
a right-hand page, at most two hyphenated lines in a row) are kept by the balancer (balance.py).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache

from lxml import etree

from bookbuild.assets import asset_path

PROTECT_CLASS = "nohy"
# WeasyPrint hyphenates no word shorter than hyphenate-limit-chars' first value (print.css):
# shorter words need no span.
MIN_BREAKABLE = 6
# Longer than any word a reader hyphenates (the longest in English dictionaries run to ~30 letters).
LONGEST_WORD = 45
_WORD = re.compile(r"[^\W\d_][\w’'\-]*", re.UNICODE)
# A sentence ends with . ! ? perhaps followed by a closing double quote, then a space. After an
# ellipsis, a closing single quote or a bracket a capital may go on the sentence (a name), as it
# may after an opening quote mid-paragraph (he said, “Willsson …): such a word is kept whole.
_SENTENCE_END = re.compile(r"[.!?][\"”]?\s+$")
# Opening quotes and brackets (and spaces) before a paragraph's first word.
_OPENERS = " \u00a0\t\n“‘\"'([«„"
# What WeasyPrint hyphenates is a run between spaces: "Murry—for" is one word of 9 letters to it.
_RUN = re.compile(r"\S+")
# Inline elements whose text is not the paragraph's own running text.
_SKIP = {"footnote", PROTECT_CLASS}


@cache
def _regions() -> dict[str, str]:
    with asset_path("print/hyphenation.toml").open("rb") as handle:
        return dict(tomllib.load(handle)["regions"])


@cache
def _titles() -> frozenset[str]:
    with asset_path("print/hyphenation.toml").open("rb") as handle:
        return frozenset(tomllib.load(handle)["titles"])


def _after_title(preceding: str) -> bool:
    """Whether the text before a word ends with a title's abbreviation (Mr., Dr.): no sentence end."""
    tail = preceding.split()[-1] if preceding.split() else ""
    return tail in _titles()


def print_language(language: str) -> str:
    """The ``lang`` the print edition is set in: a bare code gets its usual region's patterns."""
    code = (language or "en").strip()
    return _regions().get(code.lower(), code)


def _segments(element: etree._Element) -> list[tuple[etree._Element, str]]:
    """Every run of text in ``element`` in reading order, as (owner, "text" | "tail")."""
    found: list[tuple[etree._Element, str]] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            found.append((node, "text"))
        for child in node:
            if isinstance(child.tag, str) and not _SKIP & set((child.get("class") or "").split()):
                walk(child)
            if child.tail:
                found.append((child, "tail"))

    walk(element)
    return found


def _wrap(owner: etree._Element, where: str, spans: list[tuple[int, int]]) -> None:
    """Wrap the character ranges ``spans`` of ``owner``'s text (or tail) in protecting spans."""
    text = getattr(owner, where)
    made = []
    cursor = 0
    for start, end in spans:
        span = etree.Element("span", {"class": PROTECT_CLASS})
        span.text = text[start:end]
        made.append((text[cursor:start], span))
        cursor = end
    rest = text[cursor:]
    setattr(owner, where, made[0][0] if made else text)
    spans_only = [span for _before, span in made]
    for index, span in enumerate(spans_only):
        span.tail = made[index + 1][0] if index + 1 < len(made) else rest
    if where == "text":
        for offset, span in enumerate(spans_only):
            owner.insert(offset, span)
    else:
        parent = owner.getparent()
        position = parent.index(owner) + 1
        for offset, span in enumerate(spans_only):
            parent.insert(position + offset, span)


def _right_to_left(word: str) -> bool:
    """Whether a word is written right to left (Hebrew, Arabic): pyphen has no patterns for it,
    and a span around it would cut the line's bidirectional run, reordering it in the text layer."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in word)


def _opens_sentence(text_before: str) -> bool:
    """Whether a word after ``text_before`` surely opens a sentence (or the paragraph)."""
    if not text_before.strip(_OPENERS):
        return True
    return bool(_SENTENCE_END.search(text_before)) and not _after_title(text_before)


def _run_length(text: str, start: int) -> int:
    """The length of the run between spaces that holds the character at ``start``."""
    begin = start
    while begin and not text[begin - 1].isspace():
        begin -= 1
    return _RUN.match(text, begin).end() - begin


def protect_words(paragraph: etree._Element) -> int:
    """Keep automatic hyphenation off the paragraph's names mid-sentence and its last word.

    A capitalised word that does not open a sentence is a name (Gatsby, Broadway) or a title:
    broken, it reads as two words. A broken last word leaves the paragraph's last line a bare
    fragment ("treas-/ury."). Returns how many words were protected.
    """
    segments = _segments(paragraph)
    found = [(owner, where, list(_WORD.finditer(getattr(owner, where)))) for owner, where in segments]
    last = max((i for i, (_o, _w, words) in enumerate(found) if words), default=None)
    before = ""
    count = 0
    for index, (owner, where, words) in enumerate(found):
        text = getattr(owner, where)
        keep = set()
        for number, match in enumerate(words):
            # The cheap tests first: most words are short or lower-case, and finding whether a
            # word opens a sentence reads the text before it (a novel has 100,000 words).
            word = match.group(0)
            if len(word) < MIN_BREAKABLE:
                # A short name joined to what follows (Murry—for) is hyphenated as one run.
                if not word[0].isupper() or _run_length(text, match.start()) < MIN_BREAKABLE:
                    continue
            is_last = index == last and number == len(words) - 1
            # A run longer than any word (a 20,000-letter "word", a URL) wraps at the margin:
            # WeasyPrint tries every break pyphen offers in it, one layout each, for every line.
            endless = len(word) > LONGEST_WORD
            if not is_last and not endless and not (word[0].isupper() and not _opens_sentence(before + text[: match.start()])):
                continue
            if not _right_to_left(word):
                keep.add(number)
        before = (before + text)[-8:]
        if keep:
            _wrap(owner, where, [(m.start(), m.end()) for i, m in enumerate(words) if i in keep])
            count += len(keep)
    return count
