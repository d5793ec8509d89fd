"""Tell an author's note from story: labels ("A/N:"), phrases only authors write, and where a note ends."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bookbuild.cache import recall
from bookbuild.structure.blocks import is_dialogue, strip_edges
from bookbuild.structure.lexicon import lexicon

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SPEAKER = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|my|me|you|your|you're|u|ur|we|our|anyone|anybody|y'all)\b", re.IGNORECASE
)
_SAYING = (
    r"(?:said|says|say|whispered|told|tells|thought|thinks|asked|asks|announced|muttered|murmured|wrote|"
    r"written|called|shouted|replied|added|promised|answered|insisted|admitted|sighed|snapped)"
)
_SUBJECT = r"(?:he|she|they|I|we|you|it|(?:the|his|her|my|our|their) [\w-]+|[A-Z][\w-]+(?: [A-Z][\w-]+)?)"
# Speech told without quotation marks ("Please note the time, the inspector said"): a character
# speaks the phrase, not the author, so a phrase alone does not make the paragraph a note.
_ATTRIBUTED = re.compile(
    rf"[,:;]\s+(?:{_SUBJECT}\s+(?:had\s+|has\s+)?{_SAYING}|{_SAYING}\s+{_SUBJECT})\b"
)


@cache
def _authors_only() -> re.Pattern[str]:
    """Labels only an author writes: the inline ones ("A/N", "T/N") and "Disclaimer"."""
    return re.compile(rf"(?:{lexicon().inline_label}|disclaimers?)$", re.IGNORECASE)


# A note longer than this is almost surely story that happens to mention reviews or chapters.
MAX_NOTE_WORDS = 250
# An unlabelled note is short; a long paragraph that mentions a disclaimer is story.
MAX_PHRASE_NOTE_WORDS = 120


@dataclass(frozen=True, slots=True)
class NoteMatch:
    """Why a paragraph is an author's note."""

    code: str
    rule: str
    confidence: float
    label_only: bool = False


def _core(text: str) -> str:
    return " ".join(strip_edges(text.strip()).split())


def note_label(text: str) -> str | None:
    """The label a paragraph opens with ("A/N", "Disclaimer"), or None."""
    core = _core(text)
    match = lexicon().note_label.match(core)
    if not match:
        return None
    return (match["label"] or match["bare"]).strip()


def note_cue(text: str) -> NoteMatch | None:
    """Why a paragraph is an author's note on its own (a label or a telling phrase), or None."""
    # Remembered between builds of a book (cache.TextMemo): most paragraphs are searched for 150 phrases.
    return recall("note_cue", text, _note_cue, _encode, _decode)


def _encode(match: NoteMatch | None) -> list | None:
    return None if match is None else [match.code, match.rule, match.confidence, match.label_only]


def _decode(stored: list | None) -> NoteMatch | None:
    return None if stored is None else NoteMatch(*stored)


def _note_cue(text: str) -> NoteMatch | None:
    stripped = text.strip()
    if not stripped or len(stripped.split()) > MAX_NOTE_WORDS or is_dialogue(stripped):
        return None
    label = note_label(stripped)
    # A label that is also an everyday word ("Warning:", "Spoiler alert:") can open a character's
    # line told without quotation marks; "A/N" and "Disclaimer" cannot.
    if label and _ATTRIBUTED.search(stripped) and not _authors_only().match(label):
        return None
    if label:
        label_only = len(_core(stripped)) <= len(label) + 2
        return NoteMatch("NT001", f"labelled note ('{label}')", 0.98, label_only)
    if len(stripped.split()) > MAX_PHRASE_NOTE_WORDS or _ATTRIBUTED.search(stripped):
        return None
    core = _core(stripped)
    for cue in lexicon().strong_cues:
        found = cue.search(core)
        if found:
            tail = re.match(r"[\w'’]*", core[found.end() :])
            phrase = (found.group(0) + (tail.group(0) if tail else "")).strip()
            return NoteMatch("NT002", f"an author's phrase ('{phrase}')", 0.9)
    if _author_talk(stripped):
        return AUTHOR_TALK
    return None


AUTHOR_TALK = NoteMatch("NT008", "a short aside to readers: two words of author's talk, first person, exclaimed", 0.7)
# An aside this short can be told by its words alone; story paragraphs are seldom this short and this chatty.
MAX_ASIDE_WORDS = 40
_EXCLAIMED = re.compile(r"!|[:;]-?[)D(P]|\^\^|<3")


def _author_talk(text: str) -> bool:
    """A short, exclaimed paragraph in the first person that uses two words of author's talk."""
    return (
        len(text.split()) <= MAX_ASIDE_WORDS
        and weak_cues(text) >= 2
        and bool(_SPEAKER.search(text))
        and bool(_EXCLAIMED.search(text))
    )


def weak_cues(text: str) -> int:
    """How many distinct words of author's talk a paragraph uses."""
    found = {w.lower() for w in _WORD.findall(text)} & lexicon().weak_cues
    return len(found)


# A short aside after a note needs only one word of author's talk ("I'm thinking about a sequel.").
MAX_SHORT_ASIDE_WORDS = 30


def continues_note(text: str) -> bool:
    """Whether a paragraph right after a note reads as more of the note (author talking to readers)."""
    stripped = text.strip()
    if not stripped or is_dialogue(stripped) or len(stripped.split()) > MAX_NOTE_WORDS:
        return False
    needed = 1 if len(stripped.split()) <= MAX_SHORT_ASIDE_WORDS else 2
    return weak_cues(stripped) >= needed and bool(_SPEAKER.search(stripped))


@dataclass(frozen=True, slots=True)
class RunItem:
    """One paragraph of a note run: its index among the blocks and why it is a note."""

    index: int
    match: NoteMatch


CONTINUATION = NoteMatch("NT003", "continues the note before it (author talking to readers)", 0.75)
MAX_RUN = 15


def leading_run(texts: list[str | None], forced=None, blocked=None) -> list[RunItem]:
    """The note paragraphs that open a chapter; ``texts[i]`` is None for a non-paragraph block.

    ``forced(i)`` returns a NoteMatch for a paragraph the user named a note; ``blocked(i)`` is true
    for one the user named story. A note runs until the first paragraph that is neither.
    """
    run: list[RunItem] = []
    for index, text in enumerate(texts[:MAX_RUN]):
        if text is None or (blocked and blocked(index)):
            break
        match = (forced and forced(index)) or note_cue(text)
        if match is None and run and (run[-1].match.label_only or continues_note(text)):
            match = CONTINUATION
        if match is None:
            break
        run.append(RunItem(index, match))
    return run


def trailing_run(texts: list[str | None], forced=None, blocked=None) -> list[RunItem]:
    """The note paragraphs that close a chapter: the longest run that opens with a real note cue."""
    for offset in range(max(0, len(texts) - MAX_RUN), len(texts)):
        text = texts[offset]
        if text is None or (blocked and blocked(offset)):
            continue
        if not ((forced and forced(offset)) or note_cue(text)):
            continue
        run = leading_run(texts[offset:], _shift(forced, offset), _shift(blocked, offset))
        last = len(texts) - 1
        if run and run[-1].index + offset == last - 1 and signs_off(texts[last] or "") and not (blocked and blocked(last)):
            run.append(RunItem(last - offset, SIGNATURE))
        after = run[-1].index + offset + 1 if run else 0
        # "A/N:" opens the author's closing note: a short line or two after it to the end, spoken
        # to the reader (first person or exclaimed), is more of it; "The ship ran aground." is story.
        if run and after <= last and _opens_with_authors_label(texts[offset] or ""):
            rest = range(after, last + 1)
            spoken = all(_SPEAKER.search(texts[i] or "") or _EXCLAIMED.search(texts[i] or "") for i in rest)
            if spoken and loose_paragraphs(texts, after, 2) == len(rest) and not any(blocked and blocked(i) for i in rest):
                run += [RunItem(i - offset, AFTER_LABEL) for i in rest]
        if run and run[-1].index + offset == last:
            return [RunItem(item.index + offset, item.match) for item in run]
    return []


AFTER_LABEL = NoteMatch("NT012", "a short paragraph closing a note that opened with 'A/N:'", 0.75)


def _opens_with_authors_label(text: str) -> bool:
    """Whether a paragraph opens with a label only an author writes ("A/N:", "T/N:")."""
    label = note_label(text)
    return bool(label and _authors_only().match(label))


SIGNATURE = NoteMatch("NT011", "the author's name signing off the closing note ('~Wren', 'Love, Sam')", 0.8)
# A name after a dash, a tilde or a closing word ("xx", "Love,"); a bare name could be a title.
_SIGN_OFF = re.compile(
    r"^(?:[-~—–=*]+\s*|(?:love|lots of love|cheers|hugs|best|regards|yours|xx+|xoxo|with love|until next time)[,!]?\s+)"
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?\s*[-~—–=*]*\W*$",
    re.IGNORECASE,
)


def signs_off(text: str) -> bool:
    """Whether a paragraph is the author's signature under a note ("~Wren", "- Jen", "Love,\\nSam")."""
    return bool(_SIGN_OFF.match(text.strip()))


def _shift(function, offset: int):
    if function is None:
        return None
    return lambda index: function(index + offset)


LOOSE = NoteMatch("NT007", "a short paragraph between the opening notes and the first heading", 0.7)
MAX_LOOSE_WORDS = 60


def loose_paragraphs(texts: list[str | None], start: int, limit: int = 2) -> int:
    """How many short, non-dialogue paragraphs (at most ``limit``) follow position ``start``."""
    count = 0
    while start + count < len(texts) and count < limit:
        text = texts[start + count]
        if text is None or is_dialogue(text) or len(text.split()) > MAX_LOOSE_WORDS:
            break
        count += 1
    return count


FRONT_MATTER = NoteMatch("NT009", "a short paragraph among the notes before the first heading", 0.7)
MAX_FRONT_MATTER = 6


def front_matter(texts: list[str | None]) -> bool:
    """Whether these paragraphs, all before a book's first heading, are its front matter.

    A few short paragraphs that are not speech, at least half of them notes, stand where a
    writer puts the disclaimer and the author's note; the story starts at the heading.
    """
    count = len(texts)
    if not 0 < count <= MAX_FRONT_MATTER or loose_paragraphs(texts, 0, MAX_FRONT_MATTER) != count:
        return False
    return 2 * sum(1 for text in texts if note_cue(text or "")) >= count
