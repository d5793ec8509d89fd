"""Read a plain-text manuscript: paragraphs split by blank lines, by indentation or by lines."""

from __future__ import annotations

import re

from bookbuild.model import Paragraph
from bookbuild.readers.inline import parse_inline

_INDENT = re.compile(r"^(?: {2,}|\u3000)\S")


def _split_blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with its 1-based first line number."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _is_hard_wrapped(blocks: list[tuple[int, list[str]]]) -> tuple[bool, int]:
    """Whether multi-line blocks look wrapped at a fixed width, and that width."""
    lengths = [len(line.rstrip()) for _, block in blocks if len(block) > 1 for line in block[:-1]]
    if len(lengths) < 3:
        return False, 0
    width = sorted(lengths)[int(len(lengths) * 0.9)]
    near = sum(1 for n in lengths if n >= width - 20)
    return near >= 0.7 * len(lengths) and width <= 120, width


def _paragraph_lines(block: list[str], wrapped: bool, width: int) -> list[list[str]]:
    """Split one block into paragraphs: by indentation, by line, or kept whole if wrapped."""
    if len(block) == 1:
        return [block]
    indented = [bool(_INDENT.match(line)) for line in block]
    if any(indented[1:]) and not all(indented):
        groups: list[list[str]] = []
        for line, starts in zip(block, indented, strict=True):
            if starts or not groups:
                groups.append([line])
            else:
                groups[-1].append(line)
        return groups
    if wrapped:
        # A short line inside a wrapped paragraph ends it, unless it is the last line.
        groups = [[]]
        for line in block:
            groups[-1].append(line)
            if len(line.rstrip()) < width * 0.6:
                groups.append([])
        return [g for g in groups if g]
    return [[line] for line in block]


def read_text(text: str) -> list[Paragraph]:
    """Paragraphs of a plain-text manuscript, each with its first line number."""
    lines = text.split("\n")
    blocks = _split_blocks(lines)
    wrapped, width = _is_hard_wrapped(blocks)
    paragraphs: list[Paragraph] = []
    for start, block in blocks:
        offset = 0
        for group in _paragraph_lines(block, wrapped, width):
            joined = " ".join(line.strip() for line in group)
            joined = re.sub(r"[ \u00a0]{2,}", " ", joined).strip()
            paragraphs.append(Paragraph(parse_inline(joined), line=start + offset))
            offset += len(group)
    return paragraphs
