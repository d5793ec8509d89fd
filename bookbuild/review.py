"""``bookbuild review``: the story's paragraph boundaries, the scorer's candidates among them, the answers.

The terminal walk (``review_terminal``) and the browser page (``review_page``) both work on the
``Story`` made here, and both save through the one book.toml writer (``booktoml``), so an
answer given either way names the paragraph with the same key: its first words, as few as name
it alone (the keys the scene-break transform gives its candidates).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bookbuild.booktoml import ADD, REMOVE, Answer, save_scene_breaks
from bookbuild.config import BuildConfig, Overrides, config_from_toml, find_book_toml, read_book_toml
from bookbuild.errors import ConfigError, InputError
from bookbuild.model import Heading, Paragraph, SceneBreak, block_text, plain_text
from bookbuild.pipeline import review_candidates
from bookbuild.structure.overrides import Namer, phrase_matches


@dataclass(frozen=True, slots=True)
class Boundary:
    """The place before a paragraph of a chapter where a scene break may stand."""

    number: int  # 1-based, in story order
    chapter: int  # index into Story.chapters
    index: int  # the paragraph after it, within its chapter
    key: str  # the paragraph's first words, as few as name it alone: its book.toml key
    key_unique: bool
    line: int | None
    is_break: bool  # a break stands here as the book builds now (the answer, else marks and scorer)
    answer: Answer  # what book.toml says here: True (add), False (remove), None (nothing)
    confidence: float | None = None  # on the review list: the scorer's confidence
    rank: int | None = None  # on the review list: its place, best first


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter's title and paragraphs (as the author typed them)."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """What review needs of a manuscript: its chapters, every boundary, and the book.toml it writes."""

    source: Path
    toml_path: Path
    chapters: tuple[Chapter, ...]
    boundaries: tuple[Boundary, ...]
    overrides: Overrides = field(default_factory=Overrides)

    def candidates(self) -> list[Boundary]:
        """The review list, best first."""
        return sorted((b for b in self.boundaries if b.rank is not None), key=lambda b: b.rank or 0)

    def text(self, boundary: Boundary) -> str:
        """The paragraph after a boundary."""
        return self.chapters[boundary.chapter].paragraphs[boundary.index]

    def changes(self, boundary: Boundary, answer: Answer) -> dict[str, Answer]:
        """The book.toml edits that give this boundary this answer.

        A key already in book.toml that names this paragraph and says the opposite is taken
        out, or it would win over the new answer (remove wins over add in a build).
        """
        text = self.text(boundary)
        edits: dict[str, Answer] = {}
        if answer is not None:
            opposite = self.overrides.scene_breaks_remove if answer else self.overrides.scene_breaks_add
            edits.update({key: None for key in opposite if key != boundary.key and phrase_matches(text, key)})
        edits[boundary.key] = answer
        return edits


def toml_path_for(source: Path, config_path: Path | None) -> Path:
    """The book.toml that review writes: --config, the folder's own, or one beside the file."""
    if config_path is not None:
        return config_path
    found = find_book_toml(source)
    if found is not None:
        return found
    return (source if source.is_dir() else source.parent) / "book.toml"


def _settings(source: Path, toml_path: Path) -> BuildConfig:
    cfg = BuildConfig()
    if toml_path.is_file():
        cfg = config_from_toml(read_book_toml(toml_path), cfg)
    if source.is_file():
        cfg = cfg.with_changes(files=())
    return cfg


def _answer(text: str, overrides: Overrides) -> Answer:
    if any(phrase_matches(text, key) for key in overrides.scene_breaks_remove):
        return False
    if any(phrase_matches(text, key) for key in overrides.scene_breaks_add):
        return True
    return None


def load_story(source: Path, config_path: Path | None = None) -> Story:
    """Read a manuscript as a build would and list every boundary, the scorer's candidates ranked."""
    toml_path = toml_path_for(source, config_path)
    cfg = _settings(source, toml_path)
    result = review_candidates(source, cfg)
    listed = {
        (d.line, d.data.get("key")): d for d in result.decisions if d.data.get("candidate") and d.data.get("key")
    }
    ranked = {id(d): rank for rank, d in enumerate(sorted(listed.values(), key=lambda d: -d.confidence), 1)}
    chapters: list[Chapter] = []
    spots: list[tuple[int, int, int | None, bool]] = []  # chapter, index, line, break before
    for section in result.book.chapters():
        paragraphs: list[str] = []
        broken = joined = False
        for block in section.blocks:
            if isinstance(block, Paragraph):
                if joined:
                    spots.append((len(chapters), len(paragraphs), block.line, broken))
                paragraphs.append(block_text(block))
                broken, joined = False, True
            elif isinstance(block, SceneBreak):
                broken = True
            elif isinstance(block, Heading):
                joined = False  # a heading starts afresh: no scene break can stand before it
        title = plain_text(section.title).replace("\n", " / ").strip()
        chapters.append(Chapter(title or f"Chapter {len(chapters) + 1}", tuple(paragraphs)))
    namer = Namer(
        (text for chapter in chapters for text in chapter.paragraphs),
        (chapters[c].paragraphs[i] for c, i, _, _ in spots),
    )
    boundaries = []
    for number, (c, i, line, broken) in enumerate(spots, start=1):
        text = chapters[c].paragraphs[i]
        key, unique = namer.phrase(text)
        decision = listed.get((line, key))
        answer = _answer(text, cfg.overrides)
        boundaries.append(
            Boundary(
                number, c, i, key, unique, line, broken if answer is None else answer, answer,
                decision.confidence if decision else None, ranked[id(decision)] if decision else None,
            )
        )
    return Story(source, toml_path, tuple(chapters), tuple(boundaries), cfg.overrides)


def read_answers(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys of an answers file the review page saved: breaks to add, breaks to remove."""
    try:
        if path.exists() and not path.is_file():  # a FIFO would wait for a writer forever
            raise InputError(f"{path} is not a regular file")
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path} is not an answers file the review page saved ({exc})") from exc
    data = data.get("overrides", data)
    if not isinstance(data, dict) or not (ADD in data or REMOVE in data):
        # The page always writes both lists, empty or not: this is some other file.
        raise InputError(f"{path} holds no answers ({ADD} or {REMOVE}): is it the file the review page saved?")
    lists = []
    for name in (ADD, REMOVE):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{path}: '{name}' must be a list of strings")
        lists.append(tuple(value))
    return lists[0], lists[1]


def _named(story: Story, key: str) -> Boundary | None:
    exact = next((b for b in story.boundaries if b.key == key), None)
    return exact or next((b for b in story.boundaries if phrase_matches(story.text(b), key)), None)


def apply_answers(story: Story, answers_path: Path) -> tuple[int, int]:
    """Merge an answers file into book.toml; returns how many breaks were set and how many taken out."""
    add, remove = read_answers(answers_path)
    edits: dict[str, Answer] = {}
    unknown = []
    for keys, answer in ((add, True), (remove, False)):
        for key in keys:
            boundary = _named(story, key)
            if boundary is None:
                unknown.append(key)
            else:
                edits.update(story.changes(boundary, answer))
    if unknown:
        raise InputError(
            f"{answers_path}: {len(unknown)} answer(s) name no paragraph boundary of {story.source} "
            f"(first: '{unknown[0]}'); was the page made from another manuscript? Nothing was written"
        )
    save(story, edits)
    return len(add), len(remove)


def save(story: Story, edits: Mapping[str, Answer]) -> None:
    """Write answers into the story's book.toml."""
    if not edits:
        return
    try:
        save_scene_breaks(story.toml_path, edits)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (review writes its answers to {story.toml_path})") from exc
