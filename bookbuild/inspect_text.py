"""``bookbuild inspect --format text``: the inspect report as tables a person reads on a terminal.

It is a view of the same JSON-ready report (``bookbuild.inspect.report``), so the two never
disagree; the JSON stays the complete record.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table

REVIEW_ROWS = 15  # the head of the review list; the rest is in the JSON


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", expand=False, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _confidence(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) else ""


def _overview(report: dict[str, Any]) -> Table:
    summary = report["summary"]
    table = _table("Book", "", "")
    table.show_header = False
    for label, key in (("Title", "title"), ("Author", "author"), ("Language", "language"), ("Words", "words")):
        table.add_row(label, str(summary[key]) or "(none)")
    for rule in summary.get("read_as", []):
        table.add_row("Read as", rule)
    breaks = summary["scene_breaks"]
    table.add_row("Chapters", str(summary["chapters"]))
    table.add_row("Notes", str(summary["notes"]))
    table.add_row("Scene breaks", f"{breaks['marked']} marked, {breaks['inferred']} inferred")
    review = summary.get("scene_break_review")
    if review:
        low, high = review["usual_breaks"]
        table.add_row(
            "To review", f"{review['candidates']} likely scene breaks (usual: {low}–{high}): {review['command']}"
        )
    return table


def _warnings(report: dict[str, Any]) -> Table | None:
    warned = [d for d in report["decisions"] if d["action"] == "warning"]
    if not warned:
        return None
    table = _table("Warnings", "Code", "Line", "What")
    for d in warned:
        table.add_row(d["code"], str(d["line"] or ""), d["rule"])
    return table


def _mapped(report: dict[str, Any]) -> Table | None:
    rows = report.get("mapped") or []
    if not rows:
        return None
    table = _table("What the reader mapped", "Code", "Line", "Mapping", "From")
    for row in rows:
        table.add_row(row["code"], str(row["line"] or ""), row["rule"], row["excerpt"])
    return table


def _chapters(report: dict[str, Any]) -> Table:
    table = _table("Chapters", "#", "Title", "Line", "Why")
    for number, chapter in enumerate(report["structure"]["chapters"], start=1):
        why = f"{chapter.get('code', '')} {chapter.get('rule', '')}".strip()
        table.add_row(str(number), chapter["title"], str(chapter["line"] or ""), why)
    return table


def _notes(report: dict[str, Any]) -> Table | None:
    notes = report["structure"]["notes"]
    if not notes:
        return None
    table = _table("Author's notes", "Where", "Line", "Starts", "Why", "Conf.")
    for note in notes:
        why = f"{note.get('code', '')} {note.get('rule', '')}".strip()
        table.add_row(note["placement"], str(note["line"] or ""), note["excerpt"], why, _confidence(note.get("confidence")))
    return table


def _decision_counts(report: dict[str, Any]) -> Table:
    counts = Counter((d["transform"], d["code"], d["action"]) for d in report["decisions"])
    example = {}
    for d in report["decisions"]:
        example.setdefault((d["transform"], d["code"], d["action"]), d["rule"])
    table = _table("Decisions", "Transform", "Code", "Action", "Count", "Rule (first of its kind)")
    for key in sorted(counts):
        table.add_row(*key, str(counts[key]), example[key])
    return table


def _review(report: dict[str, Any]) -> Table | None:
    candidates = report["scene_break_candidates"]
    if not candidates:
        return None
    shown = min(REVIEW_ROWS, len(candidates))
    title = f"Likely lost scene breaks (best {shown} of {len(candidates)}; confirm with bookbuild review)"
    table = _table(title, "#", "Conf.", "Placed", "Previous paragraph ends", "Next paragraph starts")
    for rank, c in enumerate(candidates[:shown], start=1):
        table.add_row(str(rank), _confidence(c["confidence"]), "yes" if c["placed"] else "", c["previous_end"], c["before"])
    return table


def print_text(report: dict[str, Any], console: Console | None = None) -> None:
    """Print the report's overview, warnings, structure, decision counts and review list."""
    console = console or Console()
    parts = (_overview, _warnings, _mapped, _chapters, _notes, _decision_counts, _review)
    for make in parts:
        table = make(report)
        if table is not None:
            console.print(table)
            console.print()
    console.print("Every decision in full: bookbuild inspect --format json PATH")
