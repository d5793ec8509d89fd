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
        "scene_break_candidates": scene_break_candidates(result),
        "book": to_data(result.book),
    }


def scene_break_candidates(result: Result) -> list[dict[str, Any]]:
    """The ranked review list of likely scene breaks, best first (built from the decisions)."""
    listed = [d for d in result.decisions if d.data.get("candidate")]
    listed.sort(key=lambda d: -d.confidence)
    return [
        {
            "before": d.excerpt,
            "confidence": d.confidence,
            "placed": bool(d.data.get("placed")),
            "previous_end": d.data.get("previous_end", ""),
        }
        for d in listed
    ]
