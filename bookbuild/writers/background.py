"""Run a writer in a forked process beside the others, so the EPUB need not wait for the PDF."""

from __future__ import annotations

import sys
from collections.abc import Callable
from multiprocessing import get_context


class Background:
    """A function running in a forked child; :meth:`wait` re-raises the error it ended with.

    Forking shares the book with the child without copying or pickling it. Where fork is not
    the platform's safe default (anything but Linux) the function simply runs at :meth:`wait`.
    """

    def __init__(self, function: Callable[[], None]) -> None:
        self._function = function
        self._process = None
        if sys.platform == "linux":
            context = get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=self._run, args=(send,), daemon=True)
            self._process.start()
            send.close()

    def _run(self, send) -> None:
        try:
            self._function()
        except BaseException as error:  # noqa: BLE001  (handed to the parent, which raises it)
            try:
                send.send(error)
            except Exception:  # noqa: BLE001  (an error that cannot be pickled is sent as text)
                send.send(RuntimeError(f"{type(error).__name__}: {error}"))
        else:
            send.send(None)

    def wait(self, raising: bool = True) -> None:
        """Wait for the function to end; raise what it raised (unless another error is on its way)."""
        if self._process is None:
            if raising:
                self._function()
            return
        try:
            error = self._receive.recv()
        except EOFError:
            error = RuntimeError("a background writer died without a word")
        self._process.join()
        if error is not None and raising:
            raise error
