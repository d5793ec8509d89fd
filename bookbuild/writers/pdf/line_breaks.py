"""Break a paragraph's lines once per levelled layout, however often WeasyPrint lays it out, and
break the later half of a book's lines on the idle core while the first half is laid out.

Pango's line breaking is most of a layout's time, and the balancer lays the same paragraphs
out again and again: a relayout re-makes every page from the first changed one until the layout
falls back into step, and WeasyPrint itself lays a page out again when a widow or orphan rule
moves its break. A paragraph that did not change is split at the same width in the same style
each time, so the split is remembered: the same text, in the very same computed style, at the
same width and justification, gives the same line (WeasyPrint's ``split_first_line`` is a pure
function of these). A changed paragraph gets new style objects (relayout.py copies them), so
it is broken afresh.

Where a line falls on the page never changes how it breaks, so a one-pass layout lays its later
paragraphs out at once in a forked process (:func:`break_ahead`), with the earlier ones taken out
of its copy of the box tree, and takes the lines it broke into the memo when they come: by the
time the layout reaches those paragraphs, their lines are known. A forked copy keeps every
object's id, so its lines are keyed as here; only lines of styles that existed before the fork
are taken (those are kept alive here, so no other style can take their ids). The layout is the
same to the byte: tests/test_relayout.py and the golden files compare it with one made without.

Written against WeasyPrint 70's ``layout.inline`` (pyproject.toml pins the major version).
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class _Memo:
    """The lines broken so far, the styles they were broken in, and lines on their way."""

    def __init__(self, split: Callable[..., tuple]) -> None:
        self.split = split
        self.entries: dict[tuple, tuple] = {}
        self.styles: dict[int, Any] = {}  # kept alive, so that no other style takes a remembered one's id
        self.incoming: Any = None  # a forked process breaking lines ahead (writers/beside.py)
        # The process that started it: a process forked since (a probe) must not read its pipe.
        self.owner = 0
        self.fresh: list[tuple] | None = None  # in that process: the keys broken since the last message
        self.taken = 0  # lines that came from it

    def first_line(self, text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        """``split_first_line``, remembered."""
        key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
        found = self.entries.get(key)
        if found is None and self.incoming is not None and self.owner == os.getpid() and self.incoming.ready():
            self.take()
            found = self.entries.get(key)
        if found is None:
            found = self.split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
            self.entries[key] = found
            self.styles[id(style)] = style
            if self.fresh is not None:
                self.fresh.append(key)
        layout, *rest = found
        # Each box gets its own (deactivated) layout object: drawing reactivates it with the box's style.
        return (copy.copy(layout), *rest)

    def take(self) -> None:
        """The lines broken ahead that have come so far (none more if that process failed)."""
        incoming = self.incoming
        while incoming.ready():
            try:
                lines = incoming.receive()
            except Exception:  # noqa: BLE001 - lines not broken ahead are broken here
                self.incoming = None
                return
            for key, found in lines.items():
                self.entries.setdefault(key, found)
            self.taken += len(lines)
            if incoming.finished:
                self.incoming = None
                return

    def drop_incoming(self) -> None:
        if self.incoming is not None and self.owner == os.getpid():
            self.incoming.stop()
            with contextlib.suppress(BaseException):
                self.incoming.result()
            self.incoming = None


_memo: _Memo | None = None


def lines_taken() -> int:
    """How many lines the layouts inside the current :func:`remembered` block had broken ahead."""
    return _memo.taken if _memo is not None else 0


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, each (text, style, width) is broken into a first line once."""
    global _memo
    if _memo is not None:  # already remembering: an outer block owns the memo
        yield
        return
    from weasyprint.layout import inline

    original = inline.split_first_line
    memo = _Memo(original)
    _memo = memo
    inline.split_first_line = memo.first_line
    try:
        yield
    finally:
        inline.split_first_line = original
        _memo = None
        memo.drop_incoming()


# Share of a document's text laid out ahead: the later part, from where this process, laying out
# at full cost while the other lays out from there, then at about half cost (its lines broken),
# does not catch up with it before the end.
AHEAD_SHARE = 0.62


def break_ahead(root_box, paragraphs: list, lay_out: Callable[[], Iterator], fork: Callable | None) -> None:
    """Lay out, in a forked process, the document without its first paragraphs; the lines it
    breaks come back page by page and go to the memo when the layout here next needs a line.
    ``paragraphs`` are the document's paragraph boxes in order, ``lay_out()`` lays the (trimmed)
    box tree out, page by page."""
    memo = _memo
    if memo is None or fork is None or memo.incoming is not None or len(paragraphs) < 2:
        return
    sizes = [len("".join(box.element.itertext())) if box.element is not None else 0 for box in paragraphs]
    total, reached, first = sum(sizes), 0, len(paragraphs) - 1
    for index, size in enumerate(sizes):
        if reached >= total * (1 - AHEAD_SHARE):
            first = index
            break
        reached += size
    styles = {id(box.style): box.style for box in root_box.descendants()}
    memo.styles.update(styles)  # kept alive here: the lines sent back are keyed by these ids
    target = paragraphs[first]

    def later_lines(send: Callable[[dict], None]) -> dict[tuple, tuple]:
        if not _drop_before(root_box, target):
            return {}
        memo.fresh = []
        for _page in lay_out():
            lines = {key: memo.entries[key] for key in memo.fresh if key[1] in styles}
            memo.fresh.clear()
            if lines:
                send(lines)
        return {}

    try:
        memo.incoming, memo.owner = fork(later_lines, talking=True), os.getpid()
    except OSError:  # no process to spare: every line is broken here
        memo.incoming = None


def _drop_before(root_box, target) -> bool:
    """Take every box before ``target`` (in document order) out of the tree; False if not found."""
    path = _path(root_box, target)
    if path is None:
        return False
    for parent, child in itertools.pairwise(path):
        parent.children = parent.children[parent.children.index(child):]
    return True


def _path(box, target) -> list | None:
    if box is target:
        return [box]
    for child in getattr(box, "children", ()):
        found = _path(child, target)
        if found is not None:
            return [box, *found]
    return None
