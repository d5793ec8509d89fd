"""``bookbuild review --html``: one self-contained page to choose scene breaks in a browser.

The template, stylesheet and script live in ``assets/review/``; they are inlined here with the
story's data, so the page needs no network and no other file and works opened from disk. Its
save button downloads a small answers file that ``bookbuild review PATH --apply`` merges.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from bookbuild.assets import asset_path
from bookbuild.errors import OutputError
from bookbuild.review import Boundary, Story


def default_page_path(source: Path) -> Path:
    """Where the page goes without ``-o``: the current folder, named after the manuscript."""
    return Path(f"{source.stem or 'book'}-review.html")


def _boundary(b: Boundary) -> dict[str, Any]:
    return {
        "n": b.number,
        "key": b.key,
        "unique": b.key_unique,
        "line": b.line,
        "on": b.is_break,
        "answer": b.answer,
        "confidence": b.confidence,
        "rank": b.rank,
    }


def page_data(story: Story, apply_command: str) -> dict[str, Any]:
    """The story as the page's script reads it: chapters of paragraphs, each boundary before one."""
    where = {(b.chapter, b.index): b for b in story.boundaries}
    chapters = []
    for c, chapter in enumerate(story.chapters):
        paragraphs = []
        for i, text in enumerate(chapter.paragraphs):
            boundary = where.get((c, i))
            paragraphs.append({"text": text, "boundary": _boundary(boundary) if boundary else None})
        chapters.append({"title": chapter.title, "paragraphs": paragraphs})
    return {
        "source": story.source.name,
        "apply": apply_command,
        "candidates": len(story.candidates()),
        "chapters": chapters,
    }


def _script_json(data: dict[str, Any]) -> str:
    # Inside <script>, "</" would end the element and U+2028/9 break older parsers: escape them.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_page(story: Story, apply_command: str) -> str:
    """The page's HTML, with its stylesheet, script and data inlined."""
    template = asset_path("review/page.html").read_text(encoding="utf-8")
    parts = {
        "{{title}}": html.escape(f"Scene breaks: {story.source.name}"),
        "/*{{css}}*/": asset_path("review/review.css").read_text(encoding="utf-8"),
        "{{data}}": _script_json(page_data(story, apply_command)),
        "//{{js}}": asset_path("review/review.js").read_text(encoding="utf-8"),
    }
    # One pass, so a marker inside the story's own text is never replaced.
    pattern = "|".join(re.escape(marker) for marker in parts)
    return re.sub(pattern, lambda match: parts[match.group(0)], template)


# Every page this module writes opens with this title: only such a file is ever replaced.
_PAGE_TITLE = "<title>Scene breaks: "


def _check_replaceable(target: Path) -> None:
    """Refuse to replace anything but a review page written before (``-o`` may name the manuscript)."""
    if not target.exists() and not target.is_symlink():
        return
    head = ""
    if target.is_file() and not target.is_symlink():  # never open a FIFO: it would wait
        try:
            with target.open("rb") as existing:
                head = existing.read(4096).decode("utf-8", errors="replace")
        except OSError:
            pass
    if _PAGE_TITLE not in head:
        raise OutputError(f"refusing to overwrite {target}: it is not a review page bookbuild wrote (choose another file with -o)")


def write_page(story: Story, target: Path, apply_command: str) -> Path:
    """Write the review page (atomically) and return its path."""
    text = render_page(story, apply_command)
    _check_replaceable(target)
    folder = target.parent if str(target.parent) else Path(".")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".html")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
    return target
