"""The ``bookbuild inspect`` report: the model and every decision, as JSON-ready data."""

from __future__ import annotations

import dataclasses
from typing import Any

from bookbuild.model import to_data
from bookbuild.pipeline import Result


def report(result: Result) -> dict[str, Any]:
    """A JSON-ready report of what the pipeline built and why."""
    decisions = [dataclasses.asdict(d) for d in result.decisions]
    return {
        "decisions": decisions,
        "book": to_data(result.book),
    }
