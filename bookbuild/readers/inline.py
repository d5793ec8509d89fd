"""Light inline markup for plain text: ``*emphasis*``, ``_emphasis_`` and ``**strong**``."""

from __future__ import annotations

import re

from bookbuild.model import Emph, Inline, Strong, Text

# A marker pair must hug a word on the inside and not sit inside a word, so "2*3*4",
# "snake_case_name" and a lone "*" stay literal text.
_MARKUP = re.compile(
    r"(?<![\w*])\*\*(?=[^\s*])(?P<strong>[^*\n]+?)(?<=[^\s*])\*\*(?![\w*])"
    r"|(?<![\w*])\*(?=[^\s*])(?P<star>[^*\n]+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(?P<under>[^_\n]+?)(?<=[^\s_])_(?![\w_])"
)


def parse_inline(text: str) -> tuple[Inline, ...]:
    """Inline spans for one paragraph of plain text."""
    if "*" not in text and "_" not in text:  # most paragraphs: no marker to look for
        return (Text(text),) if text else ()
    spans: list[Inline] = []
    position = 0
    for match in _MARKUP.finditer(text):
        if match.start() > position:
            spans.append(Text(text[position : match.start()]))
        if match.group("strong") is not None:
            spans.append(Strong((Text(match.group("strong")),)))
        else:
            spans.append(Emph((Text(match.group("star") or match.group("under")),)))
        position = match.end()
    if position < len(text):
        spans.append(Text(text[position:]))
    return tuple(spans)
