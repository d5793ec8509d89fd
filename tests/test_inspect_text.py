"""``bookbuild inspect --format text``: the same report, as tables a person reads."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bookbuild.cli import main

STORY = """Disclaimer: I don't own these characters.

Chapter 1: The Ferry

The ferry left at dawn, and Mara watched the harbour shrink behind them.

"Do you think they'll follow?" asked Tomas.

"They always do," she said.

* * *

Three days later the island came out of the fog, grey and silent.

Chapter 2: The Island

Nobody met them at the quay. The gulls had the whole place to themselves.
"""


def _inspect(tmp_path: Path, *extra: str):
    source = tmp_path / "ferry.txt"
    source.write_text(STORY, encoding="utf-8")
    return CliRunner().invoke(main, ["inspect", str(source), "--title", "The Ferry", *extra])


def test_text_report_shows_the_book_its_chapters_notes_and_decisions(tmp_path):
    result = _inspect(tmp_path, "--format", "text")
    assert result.exit_code == 0, result.output
    out = result.output
    for heading in ("Book", "Chapters", "Author's notes", "Decisions"):
        assert heading in out
    assert "Chapter 1: The Ferry" in out and "Chapter 2: The Island" in out
    assert "Disclaimer: I don" in out
    assert "1 marked, 0 inferred" in out


def test_summary_counts_agree_with_the_structure(tmp_path):
    data = json.loads(_inspect(tmp_path).stdout)
    summary = data["summary"]
    assert summary["title"] == "The Ferry"
    assert summary["chapters"] == len(data["structure"]["chapters"]) == 2
    assert summary["notes"] == len(data["structure"]["notes"]) == 1
    assert summary["scene_breaks"] == {"marked": 1, "inferred": 0}
    story_words = sum(len(p.split()) for p in STORY.split("\n\n")[2:] if p.strip() not in ("* * *",))
    story_words -= len("Chapter 2: The Island".split())
    assert summary["words"] == story_words


def test_unknown_report_format_is_a_usage_error(tmp_path):
    assert _inspect(tmp_path, "--format", "yaml").exit_code == 2
