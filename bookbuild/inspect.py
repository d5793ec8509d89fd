"""The ``bookbuild inspect`` report: the model and every decision, as JSON-ready data."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Book, Paragraph, Role, SceneBreak, block_text, first_words, plain_text, to_data
from bookbuild.pipeline import Result
from bookbuild.unreviewed import unreviewed


def _why(decisions: tuple[Decision, ...], transforms: tuple[str, ...], actions: tuple[str, ...], line: int | None) -> dict[str, Any]:
    """The rule behind a structure element: the decision that placed it, looked up by its line."""
    for d in decisions:
        if d.transform in transforms and d.action in actions and d.line == line and line is not None:
            return {"code": d.code, "rule": d.rule, "confidence": d.confidence, **d.data}
    return {}


def structure(book: Book, decisions: tuple[Decision, ...]) -> dict[str, list[dict[str, Any]]]:
    """What the book ended up with (notes, chapters, scene breaks), each with the rule that made it."""
    notes: list[dict[str, Any]] = []
    chapters: list[dict[str, Any]] = []
    breaks: list[dict[str, Any]] = []
    for section in book.sections:
        if section.role is Role.CHAPTER:
            title = plain_text(section.title).replace("\n", " / ").strip()
            why = _why(decisions, ("chapters",), ("chapter",), section.line)
            chapters.append({"title": title or "(untitled)", "line": section.line, **why})
        for position, block in enumerate(section.blocks):
            if section.role is not Role.CHAPTER and isinstance(block, Paragraph):
                why = _why(decisions, ("notes",), ("note",), block.line)
                place = "front" if section.role is Role.FRONT_NOTE else "back"
                notes.append({"placement": place, "excerpt": first_words(block_text(block)), "line": block.line, **why})
            elif isinstance(block, SceneBreak):
                following = next((b for b in section.blocks[position + 1 :] if isinstance(b, Paragraph)), None)
                why = _why(decisions, ("scenes", "scene_inference"), ("scene-break", "insert", "infer"), block.line)
                breaks.append(
                    {
                        "before": first_words(block_text(following)) if following else "",
                        "marker": block.marker,
                        "inferred": block.inferred,
                        "line": block.line,
                        **why,
                    }
                )
    for note in book.notes:
        text = " ".join(block_text(b) for b in note.blocks)
        line = next((b.line for b in note.blocks if isinstance(b, Paragraph)), None)
        why = _why(decisions, ("notes",), ("endnote",), line)
        notes.append({"placement": "endnote", "id": note.note_id, "excerpt": first_words(text), "line": line, **why})
    return {"notes": notes, "chapters": chapters, "scene_breaks": breaks}


def summary(book: Book, shape: dict[str, list[dict[str, Any]]], decisions: tuple[Decision, ...] = ()) -> dict[str, Any]:
    """The book at a glance: its metadata, length, and how many chapters, notes and breaks it has."""
    words = sum(
        len(block_text(block).split())
        for section in book.chapters()
        for block in section.blocks
        if isinstance(block, Paragraph)
    )
    inferred = sum(1 for b in shape["scene_breaks"] if b["inferred"])
    return {
        "read_as": [d.rule for d in decisions if d.transform == "read" and d.action == "reader"],
        "title": book.meta.title,
        "author": book.meta.author,
        "language": book.meta.language,
        "words": words,
        "chapters": len(shape["chapters"]),
        "notes": len(shape["notes"]),
        "scene_breaks": {"marked": len(shape["scene_breaks"]) - inferred, "inferred": inferred},
    }


# What a structured reader took from its file (Archive preface fields, Word styles, OPF metadata).
MAPPED_ACTIONS = frozenset({"metadata", "notes", "note", "chapter", "drop", "scene-break", "paragraphs", "article"})


def mapped(decisions: tuple[Decision, ...]) -> list[dict[str, Any]]:
    """What the reader mapped from the file into the book, one row per decision it recorded."""
    return [
        {"code": d.code, "action": d.action, "rule": d.rule, "excerpt": d.excerpt, "line": d.line}
        for d in decisions
        if d.transform == "read" and d.action in MAPPED_ACTIONS and d.code[:2] in ("AO", "IN")
    ]


def review_summary(source: Path, cfg: BuildConfig, result: Result, command: str) -> dict[str, Any] | None:
    """The build's review line as data: candidates left, the usual count, the command, the line."""
    left = unreviewed(source, cfg, result)
    if left is None:
        return None
    return {
        "candidates": left.candidates,
        "usual_breaks": list(left.usual),
        "command": command,
        "line": left.line(command),
    }


def report(result: Result, review: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready report of what the pipeline built and why (``review``: see ``review_summary``)."""
    decisions = [dataclasses.asdict(d) for d in result.decisions]
    shape = structure(result.book, result.decisions)
    return {
        "summary": {**summary(result.book, shape, result.decisions), "scene_break_review": review},
        "mapped": mapped(result.decisions),
        "structure": shape,
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
