"""The build tells: unreviewed scene-break candidates, the usual count for the length, the command."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.review import load_story
from bookbuild.unreviewed import RATE_PATH, usual_breaks
from tests.conftest import EVAL, ROOT
from tests.review_support import story

LINE = re.compile(r"^(\d+) possible scene break\(s\) to review \(a story of ([\d,]+) words usually has ([\d–]+)\): (.+)$")


def _build(*args):
    return CliRunner().invoke(main, ["build", *map(str, args), "--format", "epub"])


def _line(output: str):
    return [m for text in output.splitlines() if (m := LINE.match(text))]


def test_a_build_prints_the_review_line_after_the_files_it_wrote(tmp_path):
    source = story(tmp_path)
    run = _build(source, "-o", tmp_path / "out")
    assert run.exit_code == 0, run.output
    lines = run.stdout.splitlines()
    [found] = _line(run.stdout)
    assert lines[-1] == found.group(0) and lines[0].startswith("wrote ")
    assert int(found.group(1)) == len(load_story(source).candidates())
    assert found.group(4) == f"bookbuild review {source}"
    words = int(found.group(2).replace(",", ""))
    low, high = usual_breaks([words])  # the story is one chapter
    assert found.group(3) == (f"{low}" if low == high else f"{low}–{high}")


@pytest.mark.parametrize("quiet", [["-q"], ["build-q"]])
def test_quiet_builds_say_nothing(tmp_path, quiet):
    source = story(tmp_path)
    args = ["-q", "build", str(source)] if quiet == ["-q"] else ["build", str(source), "-q"]
    run = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out"), "--format", "epub"])
    assert run.exit_code == 0 and run.stdout == ""


def test_the_command_names_the_config_the_build_used(tmp_path):
    source = story(tmp_path)
    config = tmp_path / "elsewhere" / "my book.toml"
    config.parent.mkdir()
    config.write_text("", encoding="utf-8")
    run = _build(source, "--config", config, "-o", tmp_path / "out")
    [found] = _line(run.stdout)
    assert found.group(4) == f"bookbuild review {source} --config '{config}'"


def test_no_line_when_the_story_marks_its_breaks(tmp_path):
    source = story(tmp_path)
    text = source.read_text(encoding="utf-8").replace("\n\nThe next morning", "\n\n* * *\n\nThe next morning")
    source.write_text(text, encoding="utf-8")
    run = _build(source, "-o", tmp_path / "out")
    assert run.exit_code == 0 and not _line(run.stdout)


@pytest.mark.parametrize("mode", ["marked", "off"])
def test_no_line_when_inferred_breaks_are_not_wanted(tmp_path, mode):
    source = story(tmp_path)
    CliRunner().invoke(main, ["review", str(source)], input="y\nq\n")
    run = _build(source, "-o", tmp_path / "out", "--scene-breaks", mode)
    assert run.exit_code == 0 and not _line(run.stdout)


def test_answers_count_down_and_silence_the_line(tmp_path):
    source = story(tmp_path)
    listed = load_story(source).candidates()
    assert len(listed) >= 2
    CliRunner().invoke(main, ["review", str(source)], input="y\nq\n")
    [found] = _line(_build(source, "-o", tmp_path / "out").stdout)
    assert int(found.group(1)) == len(listed) - 1  # a "yes" reshuffles nothing: one fewer to go
    CliRunner().invoke(main, ["review", str(source)], input="n\n" * len(listed))
    assert not _line(_build(source, "-o", tmp_path / "out").stdout)


def test_a_yes_answer_is_not_a_mark_of_the_manuscript(tmp_path):
    source = story(tmp_path)
    CliRunner().invoke(main, ["review", str(source)], input="y\nq\n")
    run = CliRunner().invoke(main, ["inspect", str(source)])
    decisions = json.loads(run.stdout)["decisions"]
    codes = [d["code"] for d in decisions]
    assert "SB203" in codes  # the answer placed its break, in the inference step
    assert "SB206" not in codes  # ...and the story still reads as unmarked: its list is still scored
    assert any(d["data"].get("candidate") for d in decisions)


def test_inspect_shows_the_review_in_its_summary(tmp_path):
    source = story(tmp_path)
    run = CliRunner().invoke(main, ["inspect", str(source)])
    review = json.loads(run.stdout)["summary"]["scene_break_review"]
    assert review["candidates"] == len(load_story(source).candidates())
    assert review["command"] == f"bookbuild review {source}" and LINE.match(review["line"])
    text = CliRunner().invoke(main, ["inspect", str(source), "--format", "text"], env={"COLUMNS": "200"})
    assert "To review" in text.stdout and f"bookbuild review {source}" in text.stdout


def test_usual_breaks_scale_with_length_from_the_measured_rates():
    rates = json.loads(RATE_PATH.read_text(encoding="utf-8"))
    spread = rates["per_1000_words"]
    bands = rates["by_chapter_length"]["bands"]
    short = bands[0]["per_1000_words"]  # chapters shorter than the first band's end
    expected = short * 1.2 * 50  # fifty chapters of 1,200 words
    assert usual_breaks([1_200] * 50) == (
        round(expected * spread["low"] / spread["median"]),
        round(expected * spread["high"] / spread["median"]),
    )
    low, high = usual_breaks([1_000])
    assert 0 <= low <= high and high >= 1


def test_a_long_chapter_is_measured_against_long_chapters():
    bands = json.loads(RATE_PATH.read_text(encoding="utf-8"))["by_chapter_length"]["bands"]
    one_long, many_short = usual_breaks([11_000]), usual_breaks([1_100] * 10)
    assert (bands[-1]["per_1000_words"] > bands[0]["per_1000_words"]) == (one_long[1] > many_short[1])


@pytest.mark.slow
def test_break_rate_json_is_what_the_training_works_give(tmp_path):
    if not (EVAL / "train").is_dir():
        pytest.skip(f"{EVAL / 'train'} not found (../shared is absent)")
    out = tmp_path / "rate.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "break_rate.py"), "--out", str(out)], check=True)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(RATE_PATH.read_text(encoding="utf-8"))
