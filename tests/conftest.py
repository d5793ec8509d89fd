"""Shared fixtures: paths to the real manuscript and sample book, and the golden-file flag."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest

# The headless-Chromium fixture (``browser``) for tests that drive a page.
pytest_plugins = ["tests.browser"]

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (or BOOKBUILD_SHARED); a worktree under /work/wt/<name> finds it one level up.
SHARED = Path(
    os.environ.get("BOOKBUILD_SHARED")
    or next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
)
REAL_MANUSCRIPT = SHARED / "manuscripts" / "000_6cf5d501faf02506.txt"
EVAL = SHARED / "eval"
SAMPLE_BOOK = ROOT / "manuscript"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files from the current output (review the diff before committing).",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Fuzz tests append how many manuscripts they built to this file (from every xdist
    # worker, which inherits the variable); the summary below prints the total.
    if not os.environ.get("BOOKBUILD_FUZZ_TALLY"):
        handle, path = tempfile.mkstemp(prefix="bookbuild-fuzz-", suffix=".tally")
        os.close(handle)
        os.environ["BOOKBUILD_FUZZ_TALLY"] = path
        config.stash[_TALLY] = Path(path)


_TALLY = pytest.StashKey[Path]()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    path = config.stash.get(_TALLY, None)
    if path is None or not path.exists():
        return
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").split():
        name, _, count = line.rpartition(":")
        counts[name] += int(count)
    path.unlink()
    os.environ.pop("BOOKBUILD_FUZZ_TALLY", None)
    if counts:
        detail = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
        terminalreporter.write_line(f"fuzz: generated manuscripts: {detail}")


@pytest.fixture
def real_manuscript() -> Path:
    """The first real manuscript, read from ../shared (never copied into the repository)."""
    if not REAL_MANUSCRIPT.is_file():
        pytest.skip(f"real manuscript not found at {REAL_MANUSCRIPT} (../shared is absent)")
    return REAL_MANUSCRIPT


@pytest.fixture
def eval_dir() -> Path:
    """The development cases in ../shared/eval."""
    if not EVAL.is_dir():
        pytest.skip(f"{EVAL} not found (../shared is absent)")
    return EVAL


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with a golden file, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"golden file {path} is missing: run pytest --update-golden and review it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from {path}; if intended, run --update-golden"

    return check
