"""Read a plain-text manuscript: paragraphs split by blank lines, by indentation or by lines.

The layout is measured once per file: whether lines are hard-wrapped at a fixed width, and
whether blank lines separate paragraphs. Within a run of non-blank lines, each line break
then becomes one of three joints: a soft wrap (joined with a space), a deliberate line break
kept inside the paragraph (verse, an address, a letter's sign-off), or a paragraph break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbuild.decisions import Decision
from bookbuild.model import Inline, LineBreak, Paragraph, Text, first_words
from bookbuild.readers.inline import parse_inline

_INDENT = re.compile(r"^(?: {2,}|\u3000|\u00a0)")
# A scene-break marker or other ornament: no letter or digit, or a short word between
# ornaments (-break-, [scene break], ~line break~), or xXx / oOo.
# Matched against the stripped line (fullmatch), so no leading or trailing \s* can trade
# characters with [\W_]+: that backtracked cubically on a line indented by thousands of spaces.
_MARKER_LIKE = re.compile(
    r"[\W_]+|[-~=+#\[\]{}<>|/\\:•·°^]+\s*[\w ]{1,15}?\s*[-~=+#\[\]{}<>|/\\:•·°^]+|[xo][xo]{2,}",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
)
_HEADING_LIKE = re.compile(
    rf"(?:chapter|part|book|act)\s+(?:\d+|[ivxlcdm]+|{_NUMBER_WORDS})\b.{{0,60}}"
    r"|(?:prologue|epilogue|interlude)\b.{0,60}",
    re.IGNORECASE,
)
# A bare number heads a chapter only after a deliberate break: after a soft wrap it is the
# end of a sentence ("... said\nI.").
_NUMBER_LIKE = re.compile(r"(?:[IVXLCDM]+|\d{1,4})\.?")
# Speech that closes at a line's end and new speech that opens the next line: a new paragraph
# even where the wrap would have let the closing line run on.
_SPEECH_ENDS = re.compile(r"[.!?…,—-]['\"”’]$")
_SPEECH_OPENS = re.compile(r"^\s*[\"“]")
# "Summary: ...", "A/N: ...": short lines that are header fields or a note's label are not
# verse; each stays a paragraph of its own, as the header and notes steps read them.
_FIELD = re.compile(r"^\s*[A-Z][\w'’ /.-]{0,30}:(?:\s|$)")
_SENTENCE_END = re.compile(r"(?:[.!?…][\"'”’)\]*_]*|[\"”])$")
_JOINS_WITHOUT_SPACE = re.compile(r"\w(?:-{1,2}|—)$")
_DASH_OPENS = re.compile(r"^(?:-{2,}|—)\w")

# Lines longer than this are prose, never verse; lines in a wrapped file are measured by
# its width instead.
SHORT_LINE = 80
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 50, 200


@dataclass(frozen=True, slots=True)
class Layout:
    """How a file lays out its paragraphs."""

    wrapped: bool
    width: int
    blank_separated: bool
    indented: bool


def split_blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with its 1-based first line number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _standalone(line: str) -> bool:
    stripped = line.strip()
    return bool(_MARKER_LIKE.fullmatch(stripped) or _HEADING_LIKE.fullmatch(stripped))


def is_soft(line: str, following: str, width: int) -> bool:
    """Whether a line ended only because the next word would not fit in ``width`` columns."""
    words = following.split(None, 1)
    return len(line.rstrip()) + 1 + (len(words[0]) if words else 0) > width - 1


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a block, measured once: each line is asked about as the end of one joint
    and the start of the next, and a file of short lines has as many joints as lines."""

    text: str
    standalone: bool
    number: bool  # a bare number, which heads a chapter after a deliberate break
    indented: bool

    @classmethod
    def of(cls, line: str) -> _Line:
        stripped = line.strip()
        return cls(line, _standalone(stripped), bool(_NUMBER_LIKE.fullmatch(stripped)), bool(_INDENT.match(line)))


def detect_layout(blocks: list[tuple[int, list[str]]]) -> Layout:
    """Measure whether the file is hard-wrapped (and at what width) and how it marks paragraphs.

    Hard-wrapped lines stop just short of one width because the next word would not fit, and
    most of them stop mid-sentence; a file with a paragraph per line ends nearly every line
    with a sentence, at lengths all over the place.
    """
    pairs = [(a, b) for _, block in blocks for a, b in zip(block, block[1:], strict=False)]
    wrapped, width = False, 0
    if len(pairs) >= 3:
        lengths = sorted(len(a.strip()) for a, _ in pairs)
        typical = lengths[int(0.95 * (len(lengths) - 1))]
        longest = max(n for n in lengths if n <= typical + 15)
        softs = [a for a, b in pairs if is_soft(a, b, longest)]
        soft = len(softs)
        outliers = sum(1 for n in lengths if n > typical + 15)
        sentence_ends = sum(1 for a in softs if _SENTENCE_END.search(a))
        wrapped = (
            MIN_WRAP_WIDTH <= longest <= MAX_WRAP_WIDTH
            and soft >= 0.3 * len(pairs)
            and outliers <= 0.01 * len(pairs)
            and sentence_ends < 0.5 * soft
        )
        width = longest if wrapped else 0
    broken = sum(
        1
        for _, block in blocks
        if any(not (wrapped and is_soft(a, b, width)) for a, b in zip(block, block[1:], strict=False))
    )
    blank_separated = len(blocks) >= 3 and broken <= 0.5 * len(blocks)
    indented = any(
        any(_INDENT.match(line) for line in block[1:]) and not all(_INDENT.match(line) for line in block)
        for _, block in blocks
    )
    return Layout(wrapped, width, blank_separated, indented and wrapped)


def _runs_on(line: str, following: str, limit: int) -> bool:
    """Whether a short line continues into the next as verse or a sign-off does."""
    return (
        len(line.strip()) <= limit
        and len(following.strip()) <= limit
        and not _SENTENCE_END.search(line.strip())
        and not _FIELD.match(line)
        and not _FIELD.match(following)
    )


def _joint(line: _Line, following: _Line, layout: Layout) -> str:
    """How two adjacent lines of a block join: 'wrap', 'break' or 'paragraph'."""
    if line.standalone or following.standalone or line.number:
        return "paragraph"
    soft = layout.wrapped and is_soft(line.text, following.text, layout.width)
    if following.number and not soft:
        return "paragraph"
    if layout.indented and following.indented:
        return "paragraph"
    if soft and not layout.blank_separated and _SPEECH_ENDS.search(line.text) and _SPEECH_OPENS.match(following.text):
        return "paragraph"
    if soft:
        return "wrap"
    limit = min(SHORT_LINE, layout.width) if layout.wrapped else SHORT_LINE
    if layout.blank_separated and _runs_on(line.text, following.text, limit):
        return "break"
    return "paragraph"


_SPACES = re.compile(r"[ \u00a0]{2,}")


def _join(lines: list[str], joints: list[str]) -> str:
    text = lines[0].strip()
    for line, joint in zip(lines[1:], joints, strict=True):
        line = line.strip()
        if joint == "break":
            text += "\n" + line
        elif (_JOINS_WITHOUT_SPACE.search(text) and line[:1].isalnum()) or (text[-1:].isalnum() and _DASH_OPENS.match(line)):
            text += line  # a word or a dash split across the wrap
        else:
            text += " " + line
    if "  " not in text and "\u00a0" not in text:  # most lines: nothing the expression could match
        return text
    return _SPACES.sub(" ", text)


def _inlines(text: str) -> tuple[Inline, ...]:
    if "\n" not in text:  # one line: parse_inline makes no empty text
        return parse_inline(text)
    spans: list[Inline] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            spans.append(LineBreak())
        spans.extend(parse_inline(line))
    return tuple(s for s in spans if not (isinstance(s, Text) and not s.text))


_QUOTE_PREFIX = re.compile(r"^\s*>(?:\s|$)(?:\s*>(?:\s|$))*")


def unquote_lines(lines: list[str]) -> tuple[list[str], set[int]]:
    """Lines with e-mail style quotation marks (``> ``) taken off a run of lines that all carry
    them and stand apart (blank lines or the file's edge around them), and the 0-based
    numbers of those lines; a lone ``>`` line becomes blank, parting paragraphs as in Markdown."""
    result = list(lines)
    quoted: set[int] = set()
    if not any(">" in line for line in lines):  # most files: no line to look at
        return result, quoted
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and _QUOTE_PREFIX.match(lines[end]):
            end += 1
        apart = (start == 0 or not lines[start - 1].strip()) and (end == len(lines) or not lines[end].strip())
        if end > start and apart and any(_QUOTE_PREFIX.sub("", line).strip() for line in lines[start:end]):
            for index in range(start, end):
                result[index] = _QUOTE_PREFIX.sub("", lines[index])
                quoted.add(index)
        start = max(end, start + 1)
    return result, quoted


def read_text(text: str, decisions: list[Decision] | None = None, **_context: object) -> list[Paragraph]:
    """Paragraphs of a plain-text manuscript, each with its first line number; a run of lines
    marked ``> `` is a quotation."""
    lines, quoted = unquote_lines(text.split("\n"))
    blocks = split_blocks(lines)
    layout = detect_layout(blocks)
    notes = decisions if decisions is not None else []
    if layout.wrapped:
        notes.append(
            Decision("read", "RD010", "unwrap", f"lines are hard-wrapped at {layout.width} columns: joined them into paragraphs")
        )
    if layout.indented:
        notes.append(Decision("read", "RD012", "paragraphs", "an indented line starts a new paragraph"))
    paragraphs: list[Paragraph] = []
    for start, block in blocks:
        group_start, group, joints = 0, [block[0]], []
        measured = [_Line.of(line) for line in block]
        for offset in range(1, len(block) + 1):
            joint = _joint(measured[offset - 1], measured[offset], layout) if offset < len(block) else "paragraph"
            if joint != "paragraph":
                group.append(block[offset])
                joints.append(joint)
                continue
            joined = _join(group, joints)
            if "break" in joints:
                notes.append(
                    Decision(
                        "read", "RD011", "line-breaks",
                        "short lines that run on (verse, an address, a sign-off): kept their line breaks",
                        first_words(joined), 0.7, start + group_start,
                    )
                )
            line = start + group_start
            paragraphs.append(Paragraph(_inlines(joined), line=line, quoted=line - 1 in quoted))
            if offset < len(block):
                group_start, group, joints = offset, [block[offset]], []
    return paragraphs
