"""Recognise a scene-break marker line: decoration only (``***``, ``xXx``) or spelled out (``-break-``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbuild.structure.blocks import is_decoration, strip_edges
from bookbuild.structure.lexicon import lexicon

# A line of these alone is speech or a beat ("...", "?!", '"..."') or an elision ("[...]"), not a marker.
_PROSE_PUNCTUATION = set(".?!…,;'\"“”‘’()[]")
# A smiley on its own line is a reply in a text-message exchange, not decoration: ":)", ";-(", "^_^", "-_-".
_EMOTICON = re.compile(r"[:;=]['’]?[-^o]?[()\[\]/\\|]|[\^\-><;T][_.][\^\-><;T]|<3")
_BRACKETS = set("()[]")
_QUOTES = set("\"“”'‘’«»")
# A divider made of the fandom's or the pairing's initials: "HPHPHPHP", "~DM~HG~DM~HG~".
_INITIALS_RUN = re.compile(r"([A-Z0-9]{2,4}?)\1{2,}")
_VOWELS = set("AEIOUY")
# Between repeated initials, these are speech ("HA HA HA", "NO-NO-NO!"), not decoration.
_SPEECH_JOINS = set(" -'\".,!?…")
# A line of decoration longer than this is no marker but something pasted (a table, ASCII art).
MAX_DECORATION = 400
_SHORT_DASHES = {"-", "--", "—", "–", "‐"}
_SPEECH = set("\"“”‘’'!?")
_BREAK_WORD = re.compile(r"\b(?:break|linebreak|pagebreak|scenebreak|timeskip|time skip|scene change)\b", re.IGNORECASE)


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
    if any(c in _SPEECH for c in compact):  # "O-o-o-O." and "—O!" are speech
        return None
    decorated = len(letters) < len(compact)
    if decorated and len(compact) >= 3:
        return MarkerMatch("SB002", "ornament letters between decoration (-x-x-, ~o~)", 0.97)
    if decorated or len(letters) < 3:
        return None
    kinds = {c.lower().replace("0", "o") for c in letters}
    runs_of_x = set(letters) == {"X"} or (set(letters) == {"x"} and len(letters) >= 4)
    mixed_case = letters != letters.lower() and letters != letters.upper() and len(letters) >= 5
    if _alternates(letters) or kinds == {"x", "o"} or runs_of_x or mixed_case:
        return MarkerMatch("SB002", "a line of ornament letters (xXx, oOo, o0o0o, XXX)", 0.95)
    return None


def _strip_decoration(line: str) -> str:
    """A line without its decoration; dots count as decoration only beside other ornaments (".::break::.")."""
    stripped = strip_edges(line, ".")
    return stripped if stripped != line.strip(".").strip() else strip_edges(line)


def _initials(compact: str) -> MarkerMatch | None:
    """Lines like ``HPHPHP`` or ``~DM~HG~DM~HG~``: capital initials repeated as a divider."""
    if not compact.isupper():
        return None
    run = _INITIALS_RUN.fullmatch(compact)
    # A repeated syllable with a vowel is shouting or laughter ("HAHAHA", "NO NO NO", "BOOM BOOM BOOM").
    if run and not set(run.group(1)) & _VOWELS:
        return MarkerMatch("SB002", "initials repeated across the line (HPHPHP)", 0.9)
    tokens = [t for t in re.split(r"[^A-Z0-9]+", compact) if t]
    joins = {c for c in compact if not c.isalnum()}
    if len(tokens) >= 3 and max(map(len, tokens)) <= 4 and 2 * len(set(tokens)) <= len(tokens) and joins - _SPEECH_JOINS:
        return MarkerMatch("SB002", "initials repeated between decoration (~DM~HG~DM~HG~)", 0.9)
    return None


def scene_marker(text: str, after: str = "") -> MarkerMatch | None:
    """Why a paragraph's text is a scene-break marker, or None; ``after`` is the paragraph before it."""
    line = text.strip()
    compact = "".join(line.split())
    if not compact or len(compact) > MAX_DECORATION or _EMOTICON.fullmatch(compact):
        return None
    # "<3" is a heart drawn in text: decoration, though it has a digit.
    hearts = compact.replace("<3", "♥")
    if all(is_decoration(c) for c in hearts):
        # Speech ("...", '"—"') and an elision ("[...]") are text; brackets alone ("()()()") are not.
        prose = set(compact) <= _PROSE_PUNCTUATION and not set(compact) <= _BRACKETS
        quoted = len(compact) > 1 and compact[0] in _QUOTES and compact[-1] in _QUOTES
        if prose or quoted or compact in _SHORT_DASHES:
            return None
        return MarkerMatch("SB001", "a line of decoration only (***, ~~~, §, <><>)", 0.99)
    # A letter sign-off ("Love,\n\nxoxo") is not decoration.
    if len(compact) <= 80 and not after.rstrip().endswith(","):
        ornament = _ornament(compact) or _initials(compact)
        if ornament:
            return ornament
    core = " ".join(_strip_decoration(line).split())
    if core.endswith(".") and " " in core:
        core = core[:-1]
    if not core or len(core) > 40:
        return None
    decorated = _strip_decoration(line) != line
    if lexicon().spelled_break.fullmatch(core):
        return MarkerMatch(
            "SB003", "a spelled-out marker (-break-, ~line break~, [scene change])", 0.98 if decorated else 0.93
        )
    # Wrapped in decoration, a few words about a break are a marker too: "~*~Another Break~*~".
    if decorated and len(core.split()) <= 4 and _BREAK_WORD.search(core):
        return MarkerMatch("SB003", "a decorated line naming a break ([insert line break here])", 0.9)
    return None
