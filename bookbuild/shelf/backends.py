"""Run a shelf's book tasks: on a process pool on this machine, or on a Dask distributed cluster.

Both keep only a window of tasks in flight, so the manuscripts read for a shelf of a million
works are never all in memory (or all on the scheduler) at once, and hand back each book's
entry as it finishes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bookbuild.errors import BookbuildError, one_line
from bookbuild.shelf.store import INSTALL_CLUSTER
from bookbuild.shelf.task import BookTask, build_book, entry_for

Entry = dict[str, Any]
# Tasks in flight per worker: enough that a worker never waits for the next book to be read.
PER_WORKER = 2


def _windowed(tasks: Iterable[BookTask], window: int, batch: int, submit: Callable[[list[BookTask]], Any],
              wait_any: Callable[[list[Any]], Iterable[Any]]) -> Iterator[Entry]:
    """Submit tasks in batches of ``batch`` books, ``window`` batches at a time, yielding each
    book's entry as its batch finishes."""
    pending: dict[Any, list[BookTask]] = {}
    queue = iter(tasks)

    def fill() -> None:
        while len(pending) < window:
            books = list(itertools.islice(queue, batch))
            if not books:
                return
            pending[submit(books)] = books

    fill()
    while pending:
        for future in wait_any(list(pending)):
            books = pending.pop(future)
            try:
                yield from future.result()
            except Exception as error:  # noqa: BLE001 - the worker died (killed, out of memory): its books failed
                for task in books:
                    yield entry_for(task.name, task.source, task.key,
                                    message=f"the worker building it stopped: {one_line(error)}")
        fill()


def build_books(tasks: list[BookTask]) -> list[Entry]:
    """Build a batch of books one after another; one entry each."""
    return [build_book(task) for task in tasks]


def run_on_pool(tasks: Iterable[BookTask], jobs: int) -> Iterator[Entry]:
    """Build on ``jobs`` worker processes of this machine, one book at a time each."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from multiprocessing import get_context

    from bookbuild.writers.pdf.loader import load_weasyprint

    load_weasyprint()  # imported once here, the forked workers share it

    import bookbuild.pipeline  # noqa: F401

    # Forked, so a worker starts with bookbuild already imported; the parent runs no threads
    # (its progress bar redraws without one) that a fork could copy mid-lock.
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
        yield from _windowed(tasks, jobs * PER_WORKER, 1, lambda books: pool.submit(build_books, books),
                             lambda futures: wait(futures, return_when=FIRST_COMPLETED).done)


def run_on_dask(tasks: Iterable[BookTask], address: str, batch: int = 1) -> Iterator[Entry]:
    """Build on the Dask cluster whose scheduler is at ``address`` (its workers need bookbuild installed),
    ``batch`` books a task: the scheduler's cost is per task, so batches let a larger cluster keep up."""
    try:
        from distributed import Client, wait
    except ImportError:
        raise BookbuildError(f"--scheduler needs Dask: {INSTALL_CLUSTER}") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise BookbuildError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    numbers = itertools.count(1)
    with client:
        def submit(books: list[BookTask]):
            return client.submit(build_books, books, pure=False, key=f"bookbuild-books-{next(numbers)}")

        threads = sum(client.nthreads().values()) or 1
        yield from _windowed(tasks, max(8, threads * PER_WORKER), batch, submit,
                             lambda futures: wait(futures, return_when="FIRST_COMPLETED").done)
