"""The table a shelf run ends with: one row per book (failures always), and the totals."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bookbuild.shelf import ShelfRun
from bookbuild.shelf.manifest import MANIFEST

# Beyond this many books the table lists only the failed ones; shelf.json has every row.
MAX_ROWS = 50


def print_summary(run: ShelfRun, out: str, console: Console | None = None) -> None:
    """Print the run's table and a totals line."""
    console = console or Console()
    rows = run.entries if len(run.entries) <= MAX_ROWS else [e for e in run.entries if e["status"] == "failed"]
    if rows:
        table = Table(show_edge=False, pad_edge=False)
        for column, justify in (("book", "left"), ("title", "left"), ("words", "right"), ("pages", "right"),
                                ("seconds", "right"), ("status", "left")):
            table.add_column(column, justify=justify, overflow="fold")
        for entry in rows:
            status = entry["status"] if entry["status"] != "failed" else f"[red]failed[/red]: {escape(entry['message'])}"
            pages = "" if entry.get("pages") is None else str(entry["pages"])
            table.add_row(escape(entry["name"]), escape(entry.get("title", "")), f"{entry.get('words', 0):,}", pages,
                          f"{entry.get('seconds', 0.0):.1f}", status)
        console.print(table)
    if len(rows) < len(run.entries):
        console.print(f"(failed books only; every book is in {out.rstrip('/')}/{MANIFEST})")
    built = run.count("built")
    rate = f", {60 * built / run.seconds:.1f} books a minute" if built and run.seconds else ""
    books = f"{len(run.entries)} book{'s' if len(run.entries) != 1 else ''}"
    console.print(f"{books}: {built} built, {run.count('skipped')} skipped, "
                  f"{run.count('failed')} failed in {run.seconds:.1f} s{rate}", highlight=False)
