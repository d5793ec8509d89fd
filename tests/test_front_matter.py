"""Markdown front matter sets the metadata (book.toml and the command line win), and reads no further."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.cli import main
from bookbuild.readers.front_matter import split_front_matter

FRONT = """---
title: "The Long Road"
author: [Ann Lee, Bo Kim]
lang: fr
date: 2024-05-01
description: A story of roads.
tags: [travel, roads]
series: Roads
layout: post
---

# Chapter One

It was a long road.
"""


def _inspect(path: Path, *options: str) -> dict:
    result = CliRunner().invoke(main, ["inspect", str(path), *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_front_matter_sets_the_metadata_and_is_not_a_chapter(tmp_path: Path) -> None:
    """It was printed as a heading in an extra chapter (issue 15)."""
    story = tmp_path / "story.md"
    story.write_text(FRONT, encoding="utf-8")
    report = _inspect(story)
    meta = report["book"]["meta"]
    assert (meta["title"], meta["author"], meta["language"], meta["date"]) == ("The Long Road", "Ann Lee, Bo Kim", "fr", "2024-05-01")
    assert meta["description"] == "A story of roads." and meta["subjects"] == ["travel", "roads"] and meta["series"] == "Roads"
    assert report["summary"]["chapters"] == 1 and report["summary"]["words"] == 5
    decision = next(d for d in report["decisions"] if d["code"] == "RD031")
    assert "ignored layout" in decision["rule"]


def test_book_toml_then_the_command_line_win(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text(FRONT, encoding="utf-8")
    (tmp_path / "book.toml").write_text('title = "From Toml"\nauthor = "Toml Author"\n', encoding="utf-8")
    meta = _inspect(story, "--author", "Cli Author")["book"]["meta"]
    assert (meta["title"], meta["author"], meta["language"]) == ("From Toml", "Cli Author", "fr")


@pytest.mark.parametrize(
    "text",
    [
        "---\n\nA scene.\n\n---\n\nAnother scene.\n",  # thematic breaks, not front matter
        "--- \nnot closed\n",
        "Text first.\n\n---\ntitle: x\n---\n",
    ],
)
def test_what_is_not_front_matter_is_left_as_text(text: str) -> None:
    front, rest = split_front_matter(text)
    assert front is None and rest == text


def test_front_matter_that_is_not_yaml_is_read_as_text_with_a_warning(tmp_path: Path) -> None:
    story = tmp_path / "story.md"
    story.write_text("---\ntitle: [unclosed\n---\n\nThe story.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(story), "-o", str(tmp_path / "out"), "--format", "epub"])
    assert result.exit_code == 0, result.output
    assert "front matter is not valid YAML on line 2" in result.stderr



@pytest.mark.parametrize(
    ("yaml_lines", "expected"),
    [
        ("date: 2020-02-30", {"date": "2020-02-30"}),  # no such day: an internal error before
        ("date: 2019-06-14", {"date": "2019-06-14"}),
        ("date: 2001-12-14t21:59:43.10-05:00", {"date": "2001-12-14t21:59:43.10-05:00"}),
        ("date: !!timestamp 2020-13-45", None),  # an explicit tag that cannot be built: text
        ("series_index: !!int twelve", None),
    ],
)
def test_dates_are_taken_as_written_and_values_yaml_cannot_build_are_text(yaml_lines: str, expected) -> None:
    """Hostile hunt, round 2: PyYAML builds dates itself and failed on 2020-02-30 (ValueError)."""
    front, _rest = split_front_matter(f"---\ntitle: T\n{yaml_lines}\n---\n\nText.\n")
    assert front is not None
    if expected is None:
        assert front.problem.startswith("front matter is not valid YAML")
    else:
        assert front.metadata == {"title": "T", **expected}

def test_line_numbers_after_front_matter_are_kept() -> None:
    front, rest = split_front_matter("---\ntitle: T\n---\nLine four.\n")
    assert front is not None and front.metadata == {"title": "T"}
    assert rest.split("\n")[3] == "Line four." and rest.count("\n") == 4


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_front_matter_reads_or_is_refused_without_failing(body: str) -> None:
    front, rest = split_front_matter(f"---\n{body}\n---\nText.\n")
    assert rest.endswith("Text.\n")
    if front is not None and not front.problem:
        assert all(isinstance(v, (str, tuple)) for v in front.metadata.values())


def test_scene_breaks_off_records_each_dropped_marker(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Title: T\n\nShe left early.\n\nbreak\n\nHe came back.\n\nTimeskip\n\nMorning came.\n", encoding="utf-8")
    decisions = _inspect(story, "--scene-breaks", "off")["decisions"]
    dropped = [d["excerpt"] for d in decisions if d["code"] == "SB005" and "scene breaks are off" in d["rule"]]
    assert dropped == ["break", "Timeskip"]
