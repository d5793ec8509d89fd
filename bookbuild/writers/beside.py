"""Work done in a forked process beside this one, its messages and result taken back here.

The build writes and checks the print edition in a child process while this one writes and
checks the EPUB (the two share only the page map, which the child sends as soon as its layout
is done). What the child reports the usual way (warnings, WeasyPrint's log records, which the
glyph check listens to) is sent back with each message and reported again here, in the order a
serial build reports it, so a build says the same whichever process did the work.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import sys
import warnings
from collections.abc import Callable
from typing import Any, BinaryIO

from bookbuild import progress

# The loggers whose records are sent back (the glyph check listens to WeasyPrint's). They print
# nothing themselves (WeasyPrint's has a NullHandler), so handling a record on both sides shows it once.
FORWARDED_LOGGERS = ("weasyprint",)


def available() -> bool:
    """Whether work can be forked here (POSIX), and is not already in a forked helper."""
    return hasattr(os, "fork") and not _in_child


_in_child = False


def start(work: Callable[..., Any], talking: bool = False) -> Beside:
    """``work()`` running in a forked child (also from a forked helper: the print edition's
    process shares the balancer's probes with the core its parent leaves idle while it waits);
    ``talking``: ``work(send)``, whose messages are read with :meth:`Beside.receive`."""
    return Beside(work if talking else lambda _send: work())


class _Captured:
    """The warnings and log records of the child since its last message."""

    def __init__(self) -> None:
        self.warnings: list[tuple[Warning, type[Warning], str, int]] = []
        self.records: list[logging.LogRecord] = []

    def warn(self, message: Warning | str, category: type[Warning], filename: str, lineno: int, *_rest: Any) -> None:
        """Keep a warning to send (as its text, when it cannot be pickled)."""
        try:
            pickle.dumps(message)
        except Exception:  # noqa: BLE001 - any object may be a warning's message
            message = category(str(message)) if issubclass(category, UserWarning) else UserWarning(str(message))
        self.warnings.append((message, category, filename, lineno))

    def take(self) -> tuple[list, list]:
        taken = (self.warnings, self.records)
        self.warnings, self.records = [], []
        return taken


class _Collect(logging.Handler):
    def __init__(self, captured: _Captured) -> None:
        super().__init__(logging.DEBUG)
        self.captured = captured

    def emit(self, record: logging.LogRecord) -> None:
        # Arguments are sent as text (a record may hold objects that cannot be pickled), numbers as
        # they are: WeasyPrint's ".notdef glyph ... (U+%04X)" formats its code point as one.
        record.msg = str(record.msg)
        record.args = tuple(_sendable(arg) for arg in record.args) if isinstance(record.args, tuple) else None
        record.exc_info = record.exc_text = None
        self.captured.records.append(record)


def _sendable(arg: object) -> object:
    return arg if isinstance(arg, (str, int, float)) else str(arg)


def _replay(sent_warnings: list, records: list[logging.LogRecord]) -> None:
    """Report here what the child reported there."""
    for message, category, filename, lineno in sent_warnings:
        warnings.warn_explicit(message, category, filename, lineno)
    for record in records:
        logging.getLogger(record.name).handle(record)


class Beside:
    """``work(send)`` running in a forked child: :meth:`receive` its messages, :meth:`result` its return."""

    def __init__(self, work: Callable[[Callable[[Any], None]], Any]) -> None:
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            try:
                os.close(read)
                _child(work, os.fdopen(write, "wb"))
            finally:
                os._exit(1)  # never back into the caller's code (a test runner's loop) as a second copy of it
        os.close(write)
        self.pid = pid
        self._pipe: BinaryIO = os.fdopen(read, "rb")
        self._done: tuple[str, Any] | None = None

    def _next(self) -> tuple[str, Any]:
        while True:
            try:
                kind, value, sent_warnings, records = pickle.load(self._pipe)
            except (EOFError, pickle.UnpicklingError) as exc:
                self._reap()
                raise RuntimeError("the print edition's process ended without a result") from exc
            _replay(sent_warnings, records)
            if kind != "progress":
                return kind, value
            progress.replay(value)

    def receive(self) -> Any:
        """The child's next message (raising what it raised, if it failed before sending one)."""
        if self._done is not None:
            return self._settle()
        kind, value = self._next()
        if kind == "message":
            return value
        self._done = (kind, value)
        return self._settle()

    def result(self) -> Any:
        """What ``work`` returned (or raised), once the child has finished; messages left unread are dropped."""
        while self._done is None:
            kind, value = self._next()
            if kind != "message":
                self._done = (kind, value)
        return self._settle()

    @property
    def finished(self) -> bool:
        """Whether the child's result (or failure) has been read."""
        return self._done is not None

    def ready(self) -> bool:
        """Whether the child has something to say (a message, or its result): reading it will not wait long."""
        if self._done is not None or not self.pid:
            return True
        return bool(select.select([self._pipe], [], [], 0)[0])

    def stop(self) -> None:
        """Ask the child to give up (this side failed): it cleans up what it made and reports."""
        if self.pid and self._done is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)

    def _settle(self) -> Any:
        self._reap()
        kind, value = self._done
        if kind == "error":
            raise value
        return value

    def _reap(self) -> None:
        if self.pid:
            self._pipe.close()
            os.waitpid(self.pid, 0)
            self.pid = 0


def _child(work: Callable[[Callable[[Any], None]], Any], out: BinaryIO) -> None:  # pragma: no cover
    """Run ``work`` in the child, send what it says and returns, and leave without cleaning up
    what the parent still owns (its exit handlers, its temporary folders)."""
    global _in_child
    _in_child = True

    working, stopped = [False], [False]

    def give_up(_signal: int, _frame: object) -> None:
        # Raised only while the work runs (it unwinds through the writers, which remove their
        # temporary files); before or after it, where nothing would catch it, it is remembered.
        stopped[0] = True
        if working[0]:
            raise SystemExit(1)

    signal.signal(signal.SIGTERM, give_up)
    captured = _Captured()
    handler = _Collect(captured)
    for name in FORWARDED_LOGGERS:  # handled here too (the child's own checks listen), then sent back
        logging.getLogger(name).addHandler(handler)
    status = 0
    with warnings.catch_warnings():  # the parent's filters, as the warnings are shown (or not) there
        warnings.showwarning = captured.warn

        def send(kind: str, value: Any) -> None:
            pickle.dump((kind, value, *captured.take()), out)
            out.flush()

        # The parent shows the bar (two processes drawing one would garble it); the steps go there.
        progress.relay(lambda event: send("progress", event))

        try:
            try:
                working[0] = True
                if stopped[0]:  # asked to stop before the work began
                    raise SystemExit(1)
                value = work(lambda message: send("message", message))
                working[0] = False
                send("result", value)
            except BaseException as error:  # noqa: BLE001 - every failure goes back to be raised there
                try:
                    send("error", error)
                except Exception:  # noqa: BLE001 - an error that cannot be pickled is sent as its line
                    send("error", RuntimeError(f"{type(error).__name__}: {error}"))
            finally:
                working[0] = False
        except BaseException:  # noqa: BLE001 - the parent is gone; nothing to tell
            status = 1
    try:
        out.close()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)
