"""Read the scene-break corpus (``implicit.txt`` + ``gold.json``) into labelled chapters."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from bookbuild.model import block_text
from bookbuild.readers.text import read_text

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Work:
    """One book: its chapters as paragraph texts, and whether a break stood before each one."""

    name: str
    chapters: tuple[tuple[str, ...], ...]
    breaks: tuple[tuple[bool, ...], ...]

    def words(self) -> int:
        """The number of words of story in the work."""
        return sum(len(text.split()) for chapter in self.chapters for text in chapter)

    def break_count(self) -> int:
        """The number of labelled scene breaks."""
        return sum(sum(flags) for flags in self.breaks)


def _fingerprint(text: str) -> str:
    # Typed ASCII and the gold typography differ only in punctuation, so words alone align them.
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def load_work(folder: Path) -> Work:
    """A work read the way the pipeline reads it, title lines dropped, labels from gold.json."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["paragraphs"]
    texts = [block_text(p) for p in read_text((folder / "implicit.txt").read_text(encoding="utf-8"))]
    chapters: dict[int, list[tuple[str, bool]]] = {}
    position = 0
    for text in texts:
        if position < len(gold) and _fingerprint(text) == _fingerprint(gold[position]["text"]):
            entry = gold[position]
            chapters.setdefault(entry["chapter"], []).append((text, bool(entry["break_before"])))
            position += 1
    if position != len(gold):
        raise ValueError(f"{folder}: matched {position} of {len(gold)} gold paragraphs")
    ordered = [chapters[key] for key in sorted(chapters)]
    return Work(
        folder.name,
        tuple(tuple(text for text, _ in chapter) for chapter in ordered),
        tuple(tuple(flag for _, flag in chapter) for chapter in ordered),
    )


def load_set(folder: Path) -> list[Work]:
    """Every work in a corpus folder (each sub-folder holding implicit.txt and gold.json)."""
    return [load_work(sub) for sub in sorted(folder.iterdir()) if (sub / "gold.json").is_file()]


EXTRA_MIN_BREAKS = 5  # an extra work with fewer labelled breaks teaches little but where none is


def load_extra(folder: Path | None) -> list[Work]:
    """The extra works cut by scripts/build_breaks_corpus.py, if that folder exists (else none)."""
    if folder is None or not folder.is_dir():
        return []
    return [w for w in load_set(folder) if w.break_count() >= EXTRA_MIN_BREAKS]
