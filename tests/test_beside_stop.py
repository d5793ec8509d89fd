"""A forked helper asked to stop at any moment ends there: it never runs on in the caller's code."""

from __future__ import annotations

import os
import time

import pytest

from bookbuild.writers import beside


def test_a_child_stopped_at_once_ends_and_reports() -> None:
    """Found in CI: SIGTERM right after the fork (a build failing at once cancels the cover)
    raised SystemExit before the child's guard, and the child ran on as a second test worker."""
    parent = os.getpid()
    for _ in range(20):
        child = beside.start(lambda: time.sleep(5))
        child.stop()
        with pytest.raises((SystemExit, RuntimeError)):
            child.result()
        assert os.getpid() == parent


def test_a_child_whose_setup_fails_exits_instead_of_returning(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(_work, _out) -> None:
        raise SystemExit(1)  # as a signal arriving before the child's own try would

    monkeypatch.setattr(beside, "_child", interrupted)
    parent = os.getpid()
    child = beside.start(lambda: "never")
    assert os.getpid() == parent  # only the parent comes back from start()
    with pytest.raises(RuntimeError, match="ended without a result"):
        child.result()
