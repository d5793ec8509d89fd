"""Notes and marked breaks on manuscripts written for the tests: many notes, many markers, and lookalikes.

Each case is checked on the model after the pipeline; a few are built into an EPUB and read back
the way the scorer in ../shared/eval reads one.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bookbuild.cli import main

from .structure_cases import CASES, as_notes, build_model, compare, from_epub, story, untag

STORIES = tuple(CASES["stories"])
FRONT = CASES["notes"]["front"]
BACK = CASES["notes"]["back"]


def _check(tagged_text: str, tmp_path) -> None:
    tagged = untag(tagged_text)
    assert compare(tagged, build_model(tagged, tmp_path)) == []


@pytest.mark.parametrize("name", STORIES)
def test_each_story_alone_is_all_story(name, tmp_path):
    _check(story(name), tmp_path)


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize("note", FRONT, ids=[f"front{i:02}" for i in range(len(FRONT))])
def test_a_note_before_the_story(note, name, tmp_path):
    _check(f"{as_notes(note)}\n\n{story(name)}", tmp_path)


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize("note", BACK, ids=[f"back{i:02}" for i in range(len(BACK))])
def test_a_note_after_the_story(note, name, tmp_path):
    _check(f"{story(name)}\n\n{as_notes(note)}", tmp_path)


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize("index", range(0, len(FRONT), 3), ids=lambda i: f"front{i:02}+")
def test_notes_before_and_after_together(index, name, tmp_path):
    front = "\n\n".join(as_notes(n) for n in FRONT[index : index + 3])
    _check(f"{front}\n\n{story(name)}\n\n{as_notes(BACK[index % len(BACK)])}", tmp_path)


LOOKALIKES = CASES["lookalike"]


@pytest.mark.parametrize("name", STORIES)
@pytest.mark.parametrize("case", LOOKALIKES, ids=[f"{c['where']}{i:02}" for i, c in enumerate(LOOKALIKES)])
def test_story_that_sounds_like_a_note_stays_story(case, name, tmp_path):
    body = story(name)
    if case["where"] == "start" and body.startswith("@h "):
        title, _, rest = body.partition("\n\n")
        text = f"{title}\n\n{case['text']}\n\n{rest}"
    elif case["where"] == "start":
        text = f"{case['text']}\n\n{body}"
    else:
        text = f"{body}\n\n{case['text']}"
    _check(text, tmp_path)


@pytest.mark.parametrize("case", CASES["manuscript"], ids=[c["name"] for c in CASES["manuscript"]])
def test_whole_manuscripts(case, tmp_path):
    _check(case["text"], tmp_path)


BEFORE, AFTER = "The kettle whistled twice and then gave up.", "Morning came in sideways, with rain."


@pytest.mark.parametrize("marker", CASES["markers"]["breaks"])
def test_marker_lines_become_breaks(marker, tmp_path):
    _check(f"{BEFORE}\n\n@b {marker}\n\n{AFTER}", tmp_path)


@pytest.mark.parametrize("line", CASES["markers"]["not_breaks"])
def test_lines_that_are_not_markers_stay_text(line, tmp_path):
    _check(f"{BEFORE}\n\n{line}\n\n{AFTER}", tmp_path)


def _epub_case(tagged_text: str, tmp_path) -> None:
    tagged = untag(tagged_text)
    source = tmp_path / "story.txt"
    source.write_text(tagged.text, encoding="utf-8")
    outcome = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "out"), "--format", "epub"])
    assert outcome.exit_code == 0, outcome.output
    (epub,) = (tmp_path / "out").glob("*.epub")
    assert compare(tagged, from_epub(epub), typeset=True) == []


def test_epub_notes_around_a_titled_story(tmp_path):
    text = f"{as_notes(FRONT[0])}\n\n{as_notes(FRONT[21])}\n\n{story('lantern')}\n\n{as_notes(BACK[11])}"
    _epub_case(text, tmp_path)


@pytest.mark.parametrize("case", CASES["manuscript"][:3], ids=[c["name"] for c in CASES["manuscript"][:3]])
def test_epub_whole_manuscripts(case, tmp_path):
    _epub_case(case["text"], tmp_path)


def test_epub_a_zoo_of_markers(tmp_path):
    markers = CASES["markers"]["breaks"]
    scenes = [f"Scene {i}: the lamp was lit for the {i}th time." for i in range(len(markers) + 1)]
    text = scenes[0] + "".join(f"\n\n@b {m}\n\n{s}" for m, s in zip(markers, scenes[1:], strict=True))
    _epub_case(text, tmp_path)
