"""The command line: exit codes, one-line errors, JSON from inspect."""

import json
from pathlib import Path

from click.testing import CliRunner

from bookbuild import __version__
from bookbuild.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_missing_manuscript_is_one_line_and_exit_1(tmp_path: Path):
    result = run("build", str(tmp_path / "nonexistent"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "nonexistent" in lines[0] and "no such file" in lines[0]
    assert "Traceback" not in result.output


def test_usage_error_exits_2():
    assert run("build").exit_code == 2
    assert run("build", "x.txt", "--format", "docx").exit_code == 2


def test_inspect_prints_the_model_as_json(tmp_path: Path):
    source = tmp_path / "story.txt"
    source.write_text("It began.\n\nIt ended.\n")
    result = run("inspect", str(source))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["book"]["type"] == "Book"
    assert data["book"]["meta"]["title"] == "story"


def test_title_from_file_name_warns(tmp_path: Path):
    source = tmp_path / "my-story.txt"
    source.write_text("It began.\n")
    result = run("build", str(source), "-o", str(tmp_path / "out"), "--format", "epub")
    assert result.exit_code == 0, result.output
    assert "no title given" in result.stderr
    assert (tmp_path / "out" / "my-story.epub").is_file()


def test_title_option_names_the_file(tmp_path: Path):
    source = tmp_path / "x.txt"
    source.write_text("It began.\n")
    result = run("build", str(source), "-o", str(tmp_path), "--format", "epub", "--title", "A Long Night's Walk")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a-long-nights-walk.epub").is_file()


def test_malformed_book_toml_names_line_and_column(tmp_path: Path):
    (tmp_path / "book.toml").write_text('title = "x"\nauthor = \n')
    (tmp_path / "a.txt").write_text("Hello.\n")
    result = run("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "line 2" in result.output and "column" in result.output


def test_a_series_index_that_is_not_a_number_is_warned_about(tmp_path: Path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").write_text('title = "T"\nseries = "Lamps"\nseries_index = "two"\n', encoding="utf-8")
    (folder / "one.md").write_text("It began.\n", encoding="utf-8")
    data = json.loads(run("inspect", str(folder)).stdout)
    assert [d["code"] for d in data["decisions"] if d["action"] == "warning"] == ["MD002"]
    (folder / "book.toml").write_text('title = "T"\nseries = "Lamps"\nseries_index = "2"\n', encoding="utf-8")
    data = json.loads(run("inspect", str(folder)).stdout)
    assert not [d for d in data["decisions"] if d["action"] == "warning"]
