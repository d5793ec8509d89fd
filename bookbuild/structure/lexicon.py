"""The structure word lists (``assets/structure/lexicon.toml``), loaded once and compiled."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from bookbuild.assets import asset_path


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled patterns and word sets for notes, headers, chapters and scene breaks."""

    header_keys: dict[str, str]
    header_key: re.Pattern[str]
    note_label: re.Pattern[str]
    inline_label: str
    strong_cues: tuple[re.Pattern[str], ...]
    weak_cues: frozenset[str]
    spelled_break: re.Pattern[str]
    ornament_letters: frozenset[str]
    numbered_heading: re.Pattern[str]
    named_heading: re.Pattern[str]
    named_notes: frozenset[str]
    number_words: frozenset[str]
    small_words: frozenset[str]
    not_titles: frozenset[str]
    caption: re.Pattern[str]


def _alternatives(words: list[str]) -> str:
    # Longest first, so "author's notes" wins over "author's note" and "a/n" over "an".
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace("'", "['’]?") for w in ordered)


@cache
def lexicon() -> Lexicon:
    """The lexicon, read from the assets folder on first use."""
    data = tomllib.loads(asset_path("structure/lexicon.toml").read_text(encoding="utf-8"))
    header, notes, scenes, chapters = data["header"], data["notes"], data["scenes"], data["chapters"]

    header_keys = {key.lower(): field for field, keys in header.items() for key in keys}
    header_key = re.compile(rf"(?P<key>{_alternatives(list(header_keys))})\s*:\s*", re.IGNORECASE)

    labels = _alternatives(notes["labels"])
    bare = _alternatives(notes["bare_labels"])
    # A label may carry a qualifier before its colon ("Edit 3/14:", "Update (June):") and end in
    # slashes or a bar as well as a colon ("CW // death"); a bare label ends where a word would.
    qualifier = r"(?:\s*(?:\([^()]{1,30}\)|[\w/.,-]*\d[\w/.,-]*))?"
    note_label = re.compile(
        rf"^(?:(?P<label>{labels}){qualifier}(?:\s*(?:[:\]\)|]|//?)|\s+[-–—]+\s|\s*$)|(?P<bare>{bare})(?!\w))",
        re.IGNORECASE,
    )

    number = _alternatives(chapters["number_words"])
    numeral = rf"(?:\d{{1,4}}|[ivxlcdm]+|(?:{number})(?:[\s-]+(?:{number}))*)"
    numbered_heading = re.compile(
        rf"^(?P<word>{_alternatives(chapters['numbered'])})\s*(?:no\.?\s*|number\s+|#\s*)?"
        rf"(?P<number>{numeral})\b(?P<rest>.*)$",
        re.IGNORECASE,
    )
    named_heading = re.compile(
        rf"^(?P<word>{_alternatives(chapters['named'])})\b(?P<rest>.*)$", re.IGNORECASE
    )
    return Lexicon(
        header_keys=header_keys,
        header_key=header_key,
        note_label=note_label,
        inline_label=_alternatives(notes["inline_labels"]),
        strong_cues=tuple(re.compile(p, re.IGNORECASE) for p in notes["strong"]),
        weak_cues=frozenset(w.lower() for w in notes["weak"]),
        spelled_break=re.compile(rf"(?:{'|'.join(scenes['spelled'])})", re.IGNORECASE),
        ornament_letters=frozenset(scenes["ornament_letters"]),
        numbered_heading=numbered_heading,
        named_heading=named_heading,
        named_notes=frozenset(w.lower() for w in chapters["named_notes"]),
        number_words=frozenset(w.lower() for w in chapters["number_words"]),
        small_words=frozenset(w.lower() for w in chapters["small_words"]),
        not_titles=frozenset(w.lower() for w in chapters["not_titles"]),
        caption=re.compile(chapters["caption"], re.IGNORECASE),
    )
