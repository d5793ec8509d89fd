"""What the boundary features need to know about one paragraph: its words, names, speech, speaker."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, compress
from typing import Any

from bookbuild.breaks.lexicon import PAST, PRESENT, SAY, STOP

QUOTES = "\"'“‘”’«»"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z])")
# A capitalised word after a lower-case word or a comma is almost always a name or a place.
# The space comes first so the regex engine can skip to spaces (a name never ends in one).
_NAME = re.compile(r" (?<=[a-z,;] )(?:Mr\.|Mrs\.|Miss|Dr\.)?\s?([A-Z][a-z]{2,})")
_SPEECH = re.compile(r"[\"“][^\"”]{2,}[\"”]")
# Quoted speech, closed or running to the end of the paragraph (a speech that goes on).
_QUOTED = re.compile(r"[\"“][^\"”]*(?:[\"”]|$)")
_TITLES = r"(?:the |a |an |old |young |little |his |her |my |mr\. |mrs\. |miss |dr\. |sir |lady |lord )"
_TAG_AFTER = re.compile(r"[\"”,!?]\s*(?:" + SAY + r")\s+(" + _TITLES + r"*[a-z]+)")
_TAG_BEFORE = re.compile(r"[\"”,!?]\s*(" + _TITLES + r"?[a-z]+)\s+(?:" + SAY + r")\b")
_QUESTION_END = re.compile(r"\?[\"'”’]*$")

CONTENT_MIN = 4  # a word needs more letters than this to count as content


@dataclass(frozen=True, slots=True)
class Paragraph:
    """What the features need to know about one paragraph, computed once."""

    words: tuple[str, ...]
    opening_narration: tuple[str, ...]  # the words outside quotes in the first two sentences
    first_sentence: tuple[str, ...]
    last_sentence: tuple[str, ...]
    content: frozenset[str]
    names: frozenset[str]
    dialogue: bool  # opens on speech
    speech: bool  # holds speech anywhere
    ends_speech: bool
    ends_question: bool
    speaker: str  # the last word of the speech tag's subject: "grocer", "clovis", "he"
    present: int  # present-tense auxiliaries in the opening narration
    past: int
    opening_content: tuple[str, ...] = ()  # the first sentence's content words, as written
    opening_stems: tuple[str, ...] = ()  # and stemmed


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower().replace("’", "'").replace("‘", "'")))


_SUFFIXES = ("ings", "ing", "edly", "ed", "ly", "es", "s", "'s")


def _stem(word: str) -> str:
    """A crude stem, so "walked" and "walking" count as one word in cohesion."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


class _ContentStems(dict[str, str]):
    """Each word's stem if it is a content word, else "": a dict, as most words recur."""

    def __missing__(self, word: str) -> str:
        if len(self) > 100_000:  # a bound, for a book with a boundless vocabulary
            self.clear()
        stem = "" if len(word) < CONTENT_MIN or word in STOP else _stem(word)
        self[word] = stem
        return stem


_content_stem = _ContentStems().__getitem__


def _speaker(text: str) -> str:
    """Who speaks in a paragraph's first speech tag, as one lower-case word, or ""."""
    lowered = text[:400].lower()
    match = _TAG_AFTER.search(lowered) or _TAG_BEFORE.search(lowered)
    return match.group(1).split()[-1] if match else ""


def describe(text: str) -> Paragraph:
    """The per-paragraph facts that boundary features are built from."""
    stripped = text.strip()
    sentences = [s for s in _SENTENCE_END.split(stripped) if s.strip()] or [stripped]
    # Sentences part only at spaces and closing quotes, which no word holds: the paragraph's
    # words are its sentences' words, end to end, so each sentence is read once.
    by_sentence = [_words(s) for s in sentences]
    words = by_sentence[0] if len(by_sentence) == 1 else tuple(chain.from_iterable(by_sentence))
    tail = stripped.rstrip(" )")
    opening = " ".join(sentences[:2])
    if '"' in opening or "“" in opening:
        narration = _words(_QUOTED.sub(" ", opening))
    else:
        narration = by_sentence[0] + by_sentence[1] if len(by_sentence) > 1 else by_sentence[0]
    opens_on_quote = bool(stripped) and stripped[0] in QUOTES
    first = by_sentence[0]
    opening_content = tuple(compress(first, map(_content_stem, first)))
    return Paragraph(
        words=words,
        opening_narration=narration[:40],
        first_sentence=first,
        last_sentence=by_sentence[-1],
        content=frozenset(filter(None, map(_content_stem, words))),
        names=frozenset(_NAME.findall(stripped)),
        dialogue=opens_on_quote,
        speech=opens_on_quote or bool(_SPEECH.search(stripped)),
        ends_speech=bool(tail) and tail[-1] in QUOTES,
        ends_question=bool(_QUESTION_END.search(tail)),
        speaker=_speaker(stripped),
        present=sum(map(PRESENT.__contains__, narration)),
        past=sum(map(PAST.__contains__, narration)),
        opening_content=opening_content,
        opening_stems=tuple(map(_content_stem, opening_content)),
    )


class Described:
    """Each distinct text described once across the chapters of a book, and what is worked out from it.

    Replies, pasted lines and repeated passages recur from chapter to chapter; here each is read
    once. Bounded (cleared between chapters past ``LIMIT`` texts), so a long book of distinct
    paragraphs holds no more than a few chapters' worth at once.
    """

    LIMIT = 256

    def __init__(self) -> None:
        self._paragraphs: dict[str, Paragraph] = {}
        self._values: dict[str, dict[int, Any]] = {}

    def paragraphs(self, texts: Iterable[str]) -> list[Paragraph]:
        """The paragraphs of a chapter's texts, a text met before given the same ``Paragraph``."""
        known = self._paragraphs
        if len(known) > self.LIMIT:
            known.clear()
            self._values.clear()
        return [known.get(text) or known.setdefault(text, describe(text)) for text in texts]

    def values(self, kind: str) -> dict[int, Any]:
        """One kind of value per paragraph, by ``id`` (the paragraphs it names are kept alive here)."""
        return self._values.setdefault(kind, {})
