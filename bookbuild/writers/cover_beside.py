"""The e-book's cover drawn in a forked process, WeasyPrint imported there while the text is read.

An e-book-only build draws one thing with WeasyPrint, the cover, and importing WeasyPrint costs
about as much as drawing it. The process beside imports it at once, then waits until the
build knows what the cover shows (title, author and description are final only after every
transform) and draws it. The PDF edition's own overlap (writers/__init__.py) needs none of this.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from typing import BinaryIO

from bookbuild.config import BuildConfig
from bookbuild.writers import beside
from bookbuild.writers.pdf.cover import draw_front_cover
from bookbuild.writers.pdf.loader import load_weasyprint
from bookbuild.writers.pdf.parallel import part_workers


class CoverBeside:
    """A forked process that imports WeasyPrint now and draws one cover when asked."""

    def __init__(self) -> None:
        inbox, outbox = os.pipe()

        def work() -> bytes | None:
            os.close(outbox)  # this side only reads: the parent's close is then its end of file
            with os.fdopen(inbox, "rb") as asked:
                load_weasyprint()
                try:
                    markup, css = pickle.load(asked)
                except EOFError:  # the build needed no drawing (a cached cover, or it failed)
                    return None
            return draw_front_cover(markup, css)

        self._child: beside.Beside | None = beside.start(work)
        os.close(inbox)
        self._outbox: BinaryIO = os.fdopen(outbox, "wb")

    def draw(self, markup: str, css: str) -> bytes:
        """The cover's JPEG, drawn beside (the first time: the process draws once)."""
        child = self._child
        if child is None:
            return draw_front_cover(markup, css)
        self._child = None
        try:
            pickle.dump((markup, css), self._outbox)
        finally:
            self._outbox.close()
        return child.result()

    def cancel(self) -> None:
        """Let the process go without drawing (and wait for it: nothing is left running)."""
        child, self._child = self._child, None
        if child is None:
            return
        self._outbox.close()
        child.stop()
        with contextlib.suppress(BaseException):
            child.result()


def _threads() -> int:
    """The threads of this process, those Python's threading module did not start included
    (a test runner's, started through ``_thread``, is not in ``threading.active_count()``)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def start_cover(cfg: BuildConfig) -> CoverBeside | None:
    """A process to draw the e-book's cover beside this one, when the build will draw one and
    has a core to spare; None otherwise (the cover is then drawn here, as it always was)."""
    ebook = any(fmt in cfg.formats for fmt in ("epub", "kepub"))
    if not ebook or "pdf" in cfg.formats or cfg.metadata.get("cover") or cfg.cover_pdf or cfg.impose:
        return None
    if not beside.available() or part_workers(cfg) < 2:  # a shelf's job keeps to one process
        return None
    # A fork copies every lock as it stands: with another thread running (a host application's,
    # a test runner's) one may be held and never let go in the copy, which then waits for ever.
    if _threads() > 1:
        return None
    return CoverBeside()
