"""Small helpers over blocks that the structure transforms share."""

from __future__ import annotations

import unicodedata

from bookbuild.model import Block, SceneBreak

# Edge characters a writer wraps a heading or a marker in: "~*~Chapter 1~*~", "[scene break]".
EDGE_DECORATION = "*~=#_-+<>[](){}|•·§°^/\\—–‒―‐‑ \u00a0\t:;"


def is_decoration(char: str) -> bool:
    """Whether a character is punctuation, a symbol or a space: anything but a letter or digit."""
    return not char.isalnum()


def strip_edges(text: str, extra: str = "") -> str:
    """Text without the decoration a writer wraps it in."""
    return text.strip(EDGE_DECORATION + extra).strip()


def is_dialogue(text: str) -> bool:
    """Whether a paragraph opens with a quotation mark."""
    return bool(text) and text[0] in "\"“”'‘’«»„"


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends the way a sentence or a quotation does."""
    stripped = text.rstrip()
    return bool(stripped) and (
        stripped[-1] in ".!?\"'”’)…*~_-—–]" or unicodedata.category(stripped[-1]).startswith("S")
    )


def trim_edge_breaks(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], list[SceneBreak]]:
    """Blocks without scene breaks at their start or end (a break only separates scenes)."""
    items = list(blocks)
    dropped: list[SceneBreak] = []
    while items and isinstance(items[0], SceneBreak):
        dropped.append(items.pop(0))
    while items and isinstance(items[-1], SceneBreak):
        dropped.append(items.pop())
    return tuple(items), dropped


def collapse_breaks(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], list[SceneBreak]]:
    """Blocks with runs of scene breaks reduced to their first."""
    kept: list[Block] = []
    dropped: list[SceneBreak] = []
    for block in blocks:
        if isinstance(block, SceneBreak) and kept and isinstance(kept[-1], SceneBreak):
            dropped.append(block)
        else:
            kept.append(block)
    return tuple(kept), dropped
