"""Markdown front matter: YAML between ``---`` lines at the top, as pandoc, Jekyll and Obsidian write it.

It sets the same metadata a header block or ``book.toml`` does; ``book.toml`` and the command
line still win (see :mod:`bookbuild.transforms.metadata`). PyYAML reads it with a SafeLoader
only, so a manuscript can never make it build objects.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from bookbuild.config import UNWANTED_CHARACTERS
from bookbuild.decisions import Decision

# Where front matter may end, and how large it may be: past this the opening `---` is a
# thematic break and the text after it prose.
MAX_LINES = 200
MAX_CHARS = 64 * 1024
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
# Front-matter names, as the tools that write them spell them, and the metadata key each sets.
KEYS = {
    "title": "title",
    "author": "author",
    "authors": "author",
    "lang": "language",
    "language": "language",
    "date": "date",
    "description": "description",
    "summary": "description",
    "abstract": "description",
    "subjects": "subjects",
    "subject": "subjects",
    "tags": "subjects",
    "keywords": "subjects",
    "series": "series",
    "series_index": "series_index",
    "publisher": "publisher",
    "rights": "rights",
}


@dataclass
class FrontMatter:
    """Metadata found in front matter, the keys it ignored and why it was not read, if it was not."""

    metadata: dict[str, Any] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problem: str = ""
    lines: int = 0  # lines the front matter took, fences included


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """The front matter at the top of ``text`` (or None) and the text with it blanked out.

    Its lines become empty lines, so every later line keeps its number.
    """
    if not text.startswith("---"):
        return None, text
    lines = text.split("\n", MAX_LINES + 1)
    if lines[0].rstrip() != "---":
        return None, text
    end = next((i for i in range(1, min(len(lines), MAX_LINES)) if _CLOSE.match(lines[i])), None)
    if end is None:
        return None, text
    source = "\n".join(lines[1:end])
    if len(source) > MAX_CHARS:
        return None, text
    found = FrontMatter(lines=end + 1)
    import yaml

    try:
        data = yaml.load(source, Loader=_loader()) if source.strip() else {}  # noqa: S506 - a SafeLoader
    except (ValueError, TypeError, OverflowError) as exc:  # a tagged value it cannot build (!!int twelve)
        found.problem = f"front matter is not valid YAML ({' '.join(str(exc).split())[:80]}): read as text"
        return found, text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        found.problem = f"front matter is not valid YAML{where} ({getattr(exc, 'problem', None) or 'unreadable'}): read as text"
        return found, text
    except RecursionError:
        found.problem = "front matter nests too deep to read: read as text"
        return found, text
    if not isinstance(data, dict):
        return None, text  # a thematic break, prose, and another break: a scene, not metadata
    for key, value in data.items():
        target = KEYS.get(str(key).lower())
        cleaned = _value(target, value) if target else None
        if cleaned in (None, "", ()):
            found.ignored.append(str(key)[:40])
        elif target not in found.metadata:
            found.metadata[target] = cleaned
    rest = "\n" * end + "\n" + "\n".join(lines[end + 1 :]) if len(lines) > end + 1 else "\n" * end
    return found, rest


@functools.cache
def _loader() -> type:
    """PyYAML's SafeLoader, but dates stay as written: it builds them itself and fails on a day
    that does not exist (2020-02-30), and a date is written to the book as given anyway."""
    import yaml

    class DatesAsWritten(yaml.SafeLoader):
        pass

    DatesAsWritten.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return DatesAsWritten


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return " ".join(UNWANTED_CHARACTERS.sub("", str(value)).split())
    return None


def _value(key: str, value: Any) -> Any:
    """A front-matter value as the metadata key wants it, or None when it cannot be one."""
    if key == "subjects":
        items = value if isinstance(value, list) else str(value).split(",") if isinstance(value, str) else []
        return tuple(t for t in (_text(item) for item in items) if t)
    if key == "author" and isinstance(value, list):
        names = [t for t in (_text(item) for item in value) if t]
        return ", ".join(names) or None
    if key == "author" and isinstance(value, dict):  # pandoc's {name: ..., affiliation: ...}
        return _text(value.get("name"))
    return _text(value)


def front_matter_decision(front: FrontMatter) -> Decision:
    """What the reader did with front matter: the metadata it set (in ``data``), or why it read it as text."""
    if front.problem:
        return Decision("read", "RD032", "warning", front.problem, line=1)
    ignored = f"; ignored {', '.join(front.ignored[:8])}" if front.ignored else ""
    rule = f"front matter (lines 1-{front.lines}) set {', '.join(front.metadata) or 'nothing'}{ignored}"
    return Decision("read", "RD031", "metadata", rule, line=1, data={"metadata": front.metadata})


def front_matter_metadata(decisions: list[Decision]) -> dict[str, Any]:
    """The metadata every file's front matter set, the first file's winning."""
    merged: dict[str, Any] = {}
    for decision in decisions:
        if decision.code == "RD031":
            for key, value in decision.data.get("metadata", {}).items():
                merged.setdefault(key, value)
    return merged
