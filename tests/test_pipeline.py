"""The pipeline: one place knows the order, and every step runs."""

from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.pipeline import PIPELINE, process


def test_order_of_steps_is_written_down_once():
    assert [name for name, _ in PIPELINE] == [
        "header",
        "metadata",
        "scenes",
        "chapters",
        "notes",
        "note_order",
        "scene_inference",
        "typography",
    ]


def test_process_runs_every_step_in_order(tmp_path: Path):
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    seen = []

    def recorder(name):
        def step(book: Book, cfg: BuildConfig):
            seen.append(name)
            return book, []

        return step

    steps = tuple((name, recorder(name)) for name, _ in PIPELINE)
    process(source, BuildConfig(), steps)
    assert seen == [name for name, _ in PIPELINE]


def test_metadata_from_settings_wins(tmp_path: Path):
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    result = process(source, BuildConfig(metadata={"title": "Real Title", "author": "A. N. Author"}))
    assert result.book.meta.title == "Real Title"
    assert result.book.meta.author == "A. N. Author"
    assert not result.book.meta.title_from_filename


def test_build_date_honours_source_date_epoch(tmp_path: Path, monkeypatch):
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert process(source, BuildConfig()).book.meta.modified == "2023-11-14T22:13:20Z"
