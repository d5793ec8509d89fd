"""Progress of long builds on stderr: a rich bar with the stage and the time left, on terminals only."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_active = None  # the rich Progress of the running build, if it shows one


def wanted(quiet: bool, stream=None) -> bool:
    """Whether to show progress: not with -q, not in CI, and only when stderr is a terminal."""
    if quiet or os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return False
    return (stream or sys.stderr).isatty()


@contextmanager
def showing(enabled: bool) -> Iterator[None]:
    """Show progress bars for the stages run inside this block, if ``enabled`` (else none, not
    even a bar a forked worker inherited from its parent)."""
    global _active
    if not enabled:
        inherited, _active = _active, None
        try:
            yield
        finally:
            _active = inherited
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    # No refresh thread: worker processes are forked while a bar is shown, and a fork must
    # not copy a lock another thread holds. The bar is redrawn on every step instead.
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        auto_refresh=False,
        transient=True,
    )
    _active = bar
    bar.start()
    try:
        yield
    finally:
        bar.stop()
        _active = None


@contextmanager
def stage(description: str, total: int) -> Iterator[Callable[[], None]]:
    """A stage of ``total`` steps; yields the function to call after each step (a no-op unshown)."""
    bar = _active
    if bar is None or total <= 0:
        yield lambda: None
        return
    task = bar.add_task(description, total=total)
    bar.refresh()

    def advance() -> None:
        bar.advance(task)
        bar.refresh()

    try:
        yield advance
    finally:
        bar.remove_task(task)
        bar.refresh()


class _Relay:
    """Stands for the bar in a forked process: each step is sent to the process that shows it."""

    def __init__(self, send: Callable[[tuple], None]) -> None:
        self._send = send
        self._tasks = 0

    def add_task(self, description: str, total: int) -> int:
        self._tasks += 1
        self._send(("add", self._tasks, description, total))
        return self._tasks

    def advance(self, task: int) -> None:
        self._send(("advance", task))

    def remove_task(self, task: int) -> None:
        self._send(("remove", task))

    def refresh(self) -> None:
        """Drawing is the showing process's."""


def relay(send: Callable[[tuple], None]) -> None:
    """In a forked process: send the stages' steps with ``send`` (to :func:`replay` there), if a bar is shown."""
    global _active
    _active = _Relay(send) if _active is not None else None


_relayed: dict[int, object] = {}  # a forked process's task -> this bar's


def replay(event: tuple) -> None:
    """Show on this process's bar a step a forked process sent (see :func:`relay`)."""
    bar = _active
    if bar is None:
        return
    kind, task, *rest = event
    if kind == "add":
        _relayed[task] = bar.add_task(rest[0], total=rest[1])
    elif task in _relayed:
        if kind == "advance":
            bar.advance(_relayed[task])
        else:
            bar.remove_task(_relayed.pop(task))
    bar.refresh()
