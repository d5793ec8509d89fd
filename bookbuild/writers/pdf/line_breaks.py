"""Break a paragraph's lines once per levelled layout, however often WeasyPrint lays it out.

Pango's line breaking is most of a layout's time, and the balancer lays the same paragraphs
out again and again: a relayout re-makes every page from the first changed one until the layout
falls back into step, and WeasyPrint itself lays a page out again when a widow or orphan rule
moves its break. A paragraph that did not change is split at the same width in the same style
each time, so the split is remembered: the same text, in the very same computed style, at the
same width and justification, gives the same line (WeasyPrint's ``split_first_line`` is a pure
function of these). A changed paragraph gets new style objects (relayout.py copies them), so
it is broken afresh. The layout is the same to the line: tests/test_relayout.py and the golden
files compare it with one made without the memo.

Written against WeasyPrint 70's ``layout.inline`` (pyproject.toml pins the major version).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_memo: dict[tuple, tuple] | None = None


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, each (text, style, width) is broken into a first line once."""
    global _memo
    if _memo is not None:  # already remembering: an outer block owns the memo
        yield
        return
    from weasyprint.layout import inline

    original = inline.split_first_line
    memo: dict[tuple, tuple] = {}
    styles: dict[int, Any] = {}  # kept alive, so that no other style takes a remembered one's id

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
        found = memo.get(key)
        if found is None:
            found = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
            memo[key] = found
            styles[id(style)] = style
        layout, *rest = found
        # Each box gets its own (deactivated) layout object: drawing reactivates it with the box's style.
        return (copy.copy(layout), *rest)

    _memo = memo
    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = original
        _memo = None
