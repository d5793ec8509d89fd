"""Progress bars: only on a terminal, never with -q or in CI, and stages work without one."""

from __future__ import annotations

import pytest

from bookbuild import progress


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    return _Terminal()


def test_shown_on_a_terminal(terminal):
    assert progress.wanted(quiet=False, stream=terminal)


def test_silent_with_quiet(terminal):
    assert not progress.wanted(quiet=True, stream=terminal)


@pytest.mark.parametrize("value", ["true", "1", "TRUE"])
def test_silent_in_ci(terminal, monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert not progress.wanted(quiet=False, stream=terminal)


def test_silent_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert not progress.wanted(quiet=False)  # pytest captures stderr


def test_a_stage_without_a_bar_counts_nothing_and_fails_nothing():
    with progress.showing(False), progress.stage("PDF", 3) as advance:
        for _ in range(3):
            advance()


def test_a_stage_with_a_bar_advances_to_its_total(capsys):
    with progress.showing(True):
        with progress.stage("PDF: parts", 2) as advance:
            bar = progress._active
            task = bar.tasks[0]
            advance()
            advance()
            assert task.completed == task.total == 2
        assert not bar.tasks
