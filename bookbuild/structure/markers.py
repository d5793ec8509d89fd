"""Recognise a scene-break marker line: decoration only (``***``, ``xXx``) or spelled out (``-break-``)."""

from __future__ import annotations

from dataclasses import dataclass

from bookbuild.structure.blocks import is_decoration, strip_edges
from bookbuild.structure.lexicon import lexicon

# A line of these alone is speech or a beat ("...", "?!", '"..."'), not a marker.
_PROSE_PUNCTUATION = set(".?!…,;'\"“”‘’()")
_SHORT_DASHES = {"-", "--", "—", "–", "‐"}


@dataclass(frozen=True, slots=True)
class MarkerMatch:
    """Why a line is a scene-break marker."""

    code: str
    rule: str
    confidence: float


def _alternates(letters: str) -> bool:
    return len(letters) >= 3 and all(a != b for a, b in zip(letters, letters[1:], strict=False))


def _ornament(compact: str) -> MarkerMatch | None:
    """Lines like ``xXx``, ``oOo``, ``-x-x-``, ``~o~``: ornament letters, maybe between decoration."""
    letters = "".join(c for c in compact if c.isalnum())
    if not letters or not set(letters) <= lexicon().ornament_letters:
        return None
    decorated = len(letters) < len(compact)
    if decorated and len(compact) >= 3:
        return MarkerMatch("SB002", "ornament letters between decoration (-x-x-, ~o~)", 0.97)
    if not decorated and (_alternates(letters) or set(letters) == {"X"} and len(letters) >= 3):
        return MarkerMatch("SB002", "a line of ornament letters (xXx, oOo, o0o0o, XXX)", 0.95)
    return None


def scene_marker(text: str, after: str = "") -> MarkerMatch | None:
    """Why a paragraph's text is a scene-break marker, or None; ``after`` is the paragraph before it."""
    line = text.strip()
    compact = "".join(line.split())
    if not compact or len(compact) > 80:
        return None
    if all(is_decoration(c) for c in compact):
        if set(compact) <= _PROSE_PUNCTUATION or compact in _SHORT_DASHES:
            return None
        return MarkerMatch("SB001", "a line of decoration only (***, ~~~, §, <><>)", 0.99)
    # A letter sign-off ("Love,\n\nxoxo") is not decoration.
    if not after.rstrip().endswith(","):
        ornament = _ornament(compact)
        if ornament:
            return ornament
    core = " ".join(strip_edges(line).split())
    if core.endswith(".") and " " in core:
        core = core[:-1]
    if core and len(core) <= 40 and lexicon().spelled_break.fullmatch(core):
        decorated = strip_edges(line) != line
        return MarkerMatch(
            "SB003",
            "a spelled-out marker (-break-, ~line break~, [scene change])",
            0.98 if decorated else 0.93,
        )
    return None
