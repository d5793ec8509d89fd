"""Review scene-break candidates on a terminal: context, yes / no / skip / back / quit, saved at once.

Each answer is written to book.toml the moment it is given (through the one book.toml writer),
so Ctrl-C, a closed terminal or a crash loses nothing, and the next run starts at the first
candidate still unanswered (``--all`` goes through the answered ones too).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import click
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from bookbuild.booktoml import Answer
from bookbuild.errors import InputError
from bookbuild.review import Boundary, Story, save

CONTEXT_BEFORE = 3  # lines of the text before the boundary
CONTEXT_AFTER = 3  # lines of the text after it
KEYS = {
    "y": "yes", "yes": "yes", "a": "yes",
    "n": "no", "no": "no", "r": "no",
    "s": "skip", "skip": "skip",
    "b": "back", "back": "back", "u": "back",
    "q": "quit", "quit": "quit",
}
PROMPT = "Scene break here? [y]es / [n]o / [s]kip / [b]ack / [q]uit"
SAID = {True: "yes, a scene break", False: "no break", None: "not answered"}


@dataclass(slots=True)
class Step:
    """One move of the walk, kept so ``back`` can undo it."""

    position: int
    before: Answer
    after: Answer


def _lines(paragraphs: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:  # indented first lines show where each paragraph starts
        lines += textwrap.wrap(paragraph, width, initial_indent="  ") or [""]
    return lines


def context(story: Story, boundary: Boundary, width: int) -> tuple[list[str], list[str]]:
    """The last lines before a boundary and the first lines after it, wrapped to ``width``."""
    paragraphs = story.chapters[boundary.chapter].paragraphs
    before = _lines(list(paragraphs[max(0, boundary.index - CONTEXT_BEFORE) : boundary.index]), width)
    after = _lines(list(paragraphs[boundary.index : boundary.index + 2]), width)
    return before[-CONTEXT_BEFORE:], after[:CONTEXT_AFTER]


def _panel(story: Story, boundary: Boundary, place: int, total: int, answer: Answer, width: int) -> Panel:
    before, after = context(story, boundary, width - 4)
    body = Text()
    for line in before:
        body.append(line + "\n", style="dim")
    body.append("\n" + "✻  ✻  ✻".center(width - 4) + "\n\n", style="bold magenta")
    for line in after:
        body.append(line + "\n")
    if not boundary.key_unique:
        body.append("\n(another paragraph opens with these same words: the answer holds for both)", style="yellow")
    chapter = story.chapters[boundary.chapter].title
    state = "placed by the scorer" if boundary.is_break else "not placed"
    title = f"{place} of {total} · {chapter} · line {boundary.line or '?'} · confidence {boundary.confidence:.2f} ({state})"
    subtitle = f"answered: {SAID[answer]}" if answer is not None else None
    return Panel(
        body, title=Text(title), title_align="left", subtitle=Text(subtitle) if subtitle else None,
        subtitle_align="left", width=width,
    )


def _ask() -> str:
    while True:
        said = click.prompt(PROMPT, default="", show_default=False).strip().lower()
        if said in KEYS:
            return KEYS[said]
        click.echo("Please answer y, n, s, b or q.")


def walk(story: Story, revisit: bool = False, console: Console | None = None) -> tuple[int, int]:
    """Ask about each candidate (the unanswered ones, or all with ``revisit``); returns answers changed, left."""
    console = console or Console(highlight=False)
    width = min(console.width, 100)
    listed = [b for b in story.candidates() if revisit or b.answer is None]
    answers: dict[int, Answer] = {b.number: b.answer for b in listed}
    if not listed:
        console.print("No scene-break candidates left to review (--all goes through the answered ones).")
        return 0, 0
    started = dict(answers)
    history: list[Step] = []
    position = 0
    try:
        while position < len(listed):
            boundary = listed[position]
            console.print(_panel(story, boundary, position + 1, len(listed), answers[boundary.number], width))
            move = _ask()
            if move == "quit":
                break
            if move == "back":
                if not history:
                    console.print("Nothing to take back yet.")
                    continue
                step = history.pop()
                undone = listed[step.position]
                if step.after != step.before:
                    save(story, {undone.key: step.before})
                    answers[undone.number] = step.before
                position = step.position
                continue
            answer = answers[boundary.number] if move == "skip" else move == "yes"
            if answer != answers[boundary.number]:
                save(story, story.changes(boundary, answer))
            history.append(Step(position, answers[boundary.number], answer))
            answers[boundary.number] = answer
            position += 1
    except click.exceptions.Abort:
        # Ctrl-C or the end of input: everything answered is already in book.toml.
        left = sum(1 for b in story.candidates() if answers.get(b.number, b.answer) is None)
        given = sum(1 for n, a in answers.items() if a != started[n])
        kept = f"the {given} answer(s) given are saved in {story.toml_path}" if given else "nothing was written"
        raise InputError(
            f"review stopped (input ended) with {left} candidate(s) unanswered; {kept} "
            "(review asks on a terminal; run the same command to go on)"
        ) from None
    left = sum(1 for b in story.candidates() if answers.get(b.number, b.answer) is None)
    return sum(1 for n, a in answers.items() if a != started[n]), left


def run_review(story: Story, revisit: bool = False) -> None:
    """Walk the review list on the terminal, then say what was saved and what is left."""
    console = Console(highlight=False)
    saved, left = walk(story, revisit, console)
    if saved:
        console.print(f"Saved {saved} answer(s) to {story.toml_path}.")
    if left:
        console.print(f"{left} candidate(s) still unanswered: run the same command again to go on.")
