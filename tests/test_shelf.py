"""bookbuild shelf: finding the books, shelf.toml, the manifest, and whole shelves on a pool and on Dask."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import BuildConfig
from bookbuild.errors import ConfigError, InputError
from bookbuild.shelf import build_shelf, plan
from bookbuild.shelf.defaults import read_defaults
from bookbuild.shelf.discover import ShelfBook, find_books
from bookbuild.shelf.manifest import MANIFEST

WORDS = ("lantern harbour quiet letter morning river window stranger promise winter garden bridge "
         "silence kitchen station orchard candle ferry attic meadow").split()
EPOCH = "1700000000"


def prose(seed: int, paragraphs: int = 6) -> str:
    """A few paragraphs of made-up sentences, different for every seed."""
    rng = random.Random(seed)
    blocks = []
    for _ in range(paragraphs):
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
                     for _ in range(rng.randint(2, 4))]
        blocks.append(" ".join(sentences))
    return "\n\n".join(blocks) + "\n"


def make_shelf(root: Path) -> tuple[Path, Path]:
    """Two sources: a dozen manuscripts built as EPUB (one broken) and one book built as EPUB and PDF."""
    ebooks, printed = root / "ebooks", root / "print"
    for number in range(1, 8):
        story = ebooks / ("fandom-a" if number % 2 else "fandom-b") / f"story-{number:02d}.txt"
        story.parent.mkdir(parents=True, exist_ok=True)
        story.write_text(f"Title: Story {number}\nAuthor: Writer {number}\n\n{prose(number)}", encoding="utf-8")
    (ebooks / "twin.txt").write_text(f"Title: Twin Text\n\n{prose(20)}", encoding="utf-8")
    (ebooks / "twin.md").write_text(f"# One\n\n{prose(21)}\n# Two\n\n{prose(22)}", encoding="utf-8")
    folder = ebooks / "novella"
    folder.mkdir()
    (folder / "book.toml").write_text('title = "A Novella"\nauthor = "Folder Writer"\n', encoding="utf-8")
    for chapter in (1, 2, 10):
        (folder / f"ch{chapter}.md").write_text(f"# Chapter {chapter}\n\n{prose(30 + chapter)}", encoding="utf-8")
    (ebooks / "notes.md").write_text(f"Title: Notes\n\n{prose(40, 3)}", encoding="utf-8")
    (ebooks / "broken.txt").write_bytes(b"\x00\x01\x02\x03 not text at all \xff\xfe\x00")
    (ebooks / "README.md").write_text("About this folder, not a book.\n", encoding="utf-8")
    (ebooks / "shelf.toml").write_text('language = "en-GB"\n[shelf]\nformat = "epub"\n', encoding="utf-8")
    printed.mkdir()
    (printed / "keepsake.txt").write_text(f"Title: Keepsake\nAuthor: Printer\n\n{prose(50, 8)}", encoding="utf-8")
    return ebooks, printed


def shelf(*args: str):
    return CliRunner().invoke(main, ["shelf", *args])


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def without_timings(manifest: Path) -> list[dict]:
    return [{k: v for k, v in entry.items() if k != "seconds"} for entry in json.loads(manifest.read_text())["books"]]


# Finding the books


def test_books_are_files_and_book_folders_and_other_folders_are_searched(tmp_path):
    ebooks, printed = make_shelf(tmp_path)
    names = [book.name for book in find_books([ebooks, printed])]
    assert names == ["broken", "fandom-a/story-01", "fandom-a/story-03", "fandom-a/story-05", "fandom-a/story-07",
                     "fandom-b/story-02", "fandom-b/story-04", "fandom-b/story-06", "notes", "novella",
                     "twin", "twin-2", "keepsake"]


def test_same_names_get_numbers_in_the_order_given_ignoring_case(tmp_path):
    for source in ("a", "b", "c"):
        (tmp_path / source).mkdir()
    (tmp_path / "a" / "Story.txt").write_text("x")
    (tmp_path / "b" / "story.md").write_text("x")
    (tmp_path / "c" / "story.txt").write_text("x")
    books = find_books([tmp_path / "b", tmp_path / "a", tmp_path / "c"])
    assert [(b.source.parent.name, b.name) for b in books] == [("b", "story"), ("a", "Story-2"), ("c", "story-3")]


def test_a_source_that_is_a_book_is_named_by_itself(tmp_path):
    folder = tmp_path / "my-book"
    folder.mkdir()
    (folder / "book.toml").write_text('title = "T"\n')
    (folder / "ch1.txt").write_text("x")
    (tmp_path / "alone.md").write_text("x")
    assert find_books([folder, tmp_path / "alone.md"]) == [ShelfBook(folder, "my-book"),
                                                            ShelfBook(tmp_path / "alone.md", "alone")]


def test_the_output_folder_inside_a_source_is_not_searched(tmp_path):
    (tmp_path / "story.txt").write_text("x")
    (tmp_path / "out" / "old").mkdir(parents=True)
    (tmp_path / "out" / "old" / "copy.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    assert [b.name for b in find_books([tmp_path], exclude=tmp_path / "out")] == ["story"]


def test_a_missing_source_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        find_books([tmp_path / "nowhere"])


# shelf.toml and the content key


def test_shelf_toml_gives_book_settings_and_output_settings(tmp_path):
    path = tmp_path / "shelf.toml"
    path.write_text('notes = "end"\ntrim = "5x8"\ntitle = "One For All"\n'
                    '[shelf]\nformat = "pdf"\ncover_pdf = true\ncolour = "red"\n')
    cfg, messages = read_defaults(path)
    assert (cfg.notes, cfg.trim, cfg.formats, cfg.cover_pdf) == ("end", "5x8", ("pdf",), True)
    assert "title" not in cfg.metadata
    assert any("'title' is each book's own" in m for m in messages)
    assert any("unknown key 'shelf.colour'" in m for m in messages)


def test_a_bad_shelf_toml_value_names_the_file(tmp_path):
    path = tmp_path / "shelf.toml"
    path.write_text('notes = "sideways"\n')
    with pytest.raises(ConfigError, match=r"shelf\.toml: 'notes' must be one of"):
        read_defaults(path)
    path.write_text('[shelf]\nformat = "docx"\n')
    with pytest.raises(ConfigError, match=r"'shelf.format' must be one of epub, pdf, kepub, all"):
        read_defaults(path)


def test_book_toml_overrides_shelf_toml_and_the_command_line_overrides_both(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").write_text('title = "T"\nnotes = "drop"\ntrim = "6x9"\n')
    (folder / "ch1.txt").write_text("Some text.\n")
    base = BuildConfig(notes="end", trim="5x8", scene_breaks="off")
    task = plan(ShelfBook(folder, "book"), base, {"trim": "a5"}, str(tmp_path / "out"))
    assert (task.cfg.notes, task.cfg.trim, task.cfg.scene_breaks) == ("drop", "a5", "off")
    assert task.cfg.config_path == Path("book/book.toml")
    assert sorted(name for name, _data, _mtime in task.files) == ["book/book.toml", "book/ch1.txt"]


def test_the_content_key_follows_the_text_and_the_settings_only(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    story = tmp_path / "story.txt"
    story.write_text("It began.\n")
    book = ShelfBook(story, "story")

    def key(**options) -> str:
        return plan(book, BuildConfig(), options, str(tmp_path / "out")).key

    first = key()
    assert key() == first
    assert key(use_cache=False) == first  # how, not what
    assert key(trim="5x8") != first
    story.write_text("It began again.\n")
    assert key() != first


def test_the_build_date_is_decided_where_the_shelf_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    story = tmp_path / "story.txt"
    story.write_text("It began.\n")
    task = plan(ShelfBook(story, "story"), BuildConfig(), {}, str(tmp_path / "out"))
    assert task.cfg.build_date == "2023-11-14T22:13:20Z"


# Whole shelves


@pytest.mark.slow
def test_a_shelf_on_a_pool_and_on_a_dask_cluster_gives_the_same_bytes(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("BOOKBUILD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    ebooks, printed = make_shelf(tmp_path)

    pooled = shelf("ebooks", "print", "-o", "pooled", "--jobs", "2")
    assert pooled.exit_code == 1, pooled.output  # the broken manuscript
    entries = {e["name"]: e for e in json.loads((tmp_path / "pooled" / MANIFEST).read_text())["books"]}
    assert len(entries) == 13
    assert entries["broken"]["status"] == "failed" and "binary file" in entries["broken"]["message"]
    assert all(e["status"] == "built" for name, e in entries.items() if name != "broken")
    assert entries["novella"]["title"] == "A Novella" and entries["novella"]["words"] > 200
    assert entries["keepsake"]["pages"] >= 5 and entries["fandom-a/story-01"]["pages"] is None
    assert (tmp_path / "pooled" / "keepsake" / "keepsake.pdf").is_file()
    assert not list((tmp_path / "pooled").glob("fandom-a/*/*.pdf"))
    decisions = json.loads((tmp_path / "pooled" / "twin" / "decisions.json").read_text())  # twin.md, before twin.txt
    assert decisions["summary"]["chapters"] == 2 and decisions["decisions"]
    assert entries["twin-2"]["title"] == "Twin Text"
    assert any(line.startswith("broken ") and "failed: broken.txt" in line for line in pooled.stdout.splitlines())
    assert "13 books: 12 built, 0 skipped, 1 failed" in pooled.stdout

    # The same shelf on a two-worker Dask cluster, two books a task, written through fsspec (a file:// URL).
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        url = (tmp_path / "clustered").as_uri()
        clustered = shelf("ebooks", "print", "-o", url, "--scheduler", cluster.scheduler_address,
                          "--batch", "2")
    assert clustered.exit_code == 1, clustered.output
    pooled_files, clustered_files = files_under(tmp_path / "pooled"), files_under(tmp_path / "clustered")
    assert pooled_files.keys() == clustered_files.keys()
    differing = [name for name in pooled_files if name != MANIFEST and pooled_files[name] != clustered_files[name]]
    assert differing == []
    assert without_timings(tmp_path / "pooled" / MANIFEST) == without_timings(tmp_path / "clustered" / MANIFEST)

    # A second run skips every book that built, keeps failing the broken one, and writes nothing new.
    again = shelf("ebooks", "print", "-o", "pooled", "--jobs", "2")
    assert "13 books: 0 built, 12 skipped, 1 failed" in again.stdout
    assert files_under(tmp_path / "pooled").keys() == pooled_files.keys()
    assert all(files_under(tmp_path / "pooled")[n] == pooled_files[n] for n in pooled_files if n != MANIFEST)


def test_a_book_is_rebuilt_when_an_output_is_gone_or_its_text_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    source = tmp_path / "src"
    source.mkdir()
    for number in (1, 2, 3):
        (source / f"s{number}.txt").write_text(f"Title: S{number}\n\n{prose(number, 2)}")
    out = tmp_path / "out"
    options = {"formats": ("epub",)}
    first = build_shelf([source], str(out), options, jobs=1)
    assert first.count("built") == 3
    (out / "s1" / "s1.epub").unlink()
    (source / "s2.txt").write_text(f"Title: S2 Renamed\n\n{prose(2, 2)}")
    second = build_shelf([source], str(out), options, jobs=1)
    assert [(e["name"], e["status"]) for e in second.entries] == [("s1", "built"), ("s2", "built"), ("s3", "skipped")]
    assert sorted(p.name for p in (out / "s2").iterdir()) == ["decisions.json", "s2-renamed.epub"]  # old title gone


def test_stale_outputs_are_removed_only_from_the_books_own_folder(tmp_path):
    from bookbuild.shelf.task import _own

    names = ("a/old.epub", "a/b/other.epub", "b/x.epub", "a/../../etc/passwd", "shelf.json")
    assert _own(names, "a") == ["a/old.epub"]


def test_an_interrupted_shelf_keeps_the_entries_of_books_it_did_not_reach(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    source = tmp_path / "src"
    source.mkdir()
    for number in (1, 2):
        (source / f"s{number}.txt").write_text(f"Title: S{number}\n\n{prose(number, 2)}")
    out = tmp_path / "out"
    build_shelf([source], str(out), {"formats": ("epub",)}, jobs=1)
    (source / "s1.txt").write_text("changed\n")
    import bookbuild.shelf.backends as backends

    def interrupted(tasks, jobs):
        next(iter(tasks))
        raise KeyboardInterrupt

    monkeypatch.setattr(backends, "run_on_pool", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_shelf([source], str(out), {"formats": ("epub",)}, jobs=1)
    names = [(e["name"], e["status"]) for e in json.loads((out / MANIFEST).read_text())["books"]]
    assert names == [("s1", "built"), ("s2", "built")]


def test_scheduler_without_dask_says_what_to_install(tmp_path, monkeypatch):
    (tmp_path / "story.txt").write_text("It began.\n")
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = shelf(str(tmp_path), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1
    assert result.stderr.strip() == "bookbuild: error: --scheduler needs Dask: pip install 'bookbuild[cluster]'"


def test_an_output_url_without_fsspec_says_what_to_install(tmp_path, monkeypatch):
    (tmp_path / "story.txt").write_text("It began.\n")
    monkeypatch.setitem(sys.modules, "fsspec", None)
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    result = shelf(str(tmp_path), "-o", "s3://bucket/books")
    assert result.exit_code == 1
    assert "needs fsspec: pip install 'bookbuild[cluster]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_scheduler_address_comes_from_the_environment(tmp_path, monkeypatch):
    (tmp_path / "story.txt").write_text("It began.\n")
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:8786")
    result = shelf(str(tmp_path), "-o", str(tmp_path / "out"))
    assert "--scheduler needs Dask" in result.stderr


def test_an_empty_shelf_is_an_error(tmp_path):
    result = shelf(str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "no manuscripts under" in result.stderr


def test_a_shelf_worker_lays_a_books_pdf_parts_out_itself(tmp_path, monkeypatch):
    from bookbuild import pipeline
    from bookbuild.shelf.task import build_book
    from bookbuild.writers.pdf.parallel import part_workers, workers

    story = tmp_path / "story.txt"
    story.write_text(f"Title: Story\n\n{prose(7, 2)}")
    asked = []
    real_build = pipeline.build

    def spy(source, cfg, progress=None):
        asked.append(cfg.pdf_workers)
        return real_build(source, cfg, progress)

    monkeypatch.setattr(pipeline, "build", spy)
    task = plan(ShelfBook(story, "story"), BuildConfig(formats=("epub",)), {}, str(tmp_path / "out"))
    assert build_book(task)["status"] == "built"
    assert asked == [1]  # one book per core already: no second pool inside the worker
    assert part_workers(BuildConfig(pdf_workers=1)) == 1
    assert part_workers(BuildConfig()) == workers()


def test_books_go_in_batches_and_a_dead_workers_batch_fails_book_by_book():
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from bookbuild.shelf.backends import _windowed
    from bookbuild.shelf.task import BookTask

    tasks = [BookTask(f"b{i}", f"src/b{i}.txt", f"b{i}.txt", (), BuildConfig(), f"key{i}", "out") for i in range(5)]
    submitted = []

    def submit(books):
        submitted.append([t.name for t in books])
        future = Future()
        if books[0].name == "b2":
            future.set_exception(RuntimeError("KilledWorker"))
        else:
            future.set_result([{"name": t.name, "status": "built"} for t in books])
        return future

    entries = list(_windowed(tasks, 2, 2, submit, lambda futures: wait(futures, return_when=FIRST_COMPLETED).done))
    assert submitted == [["b0", "b1"], ["b2", "b3"], ["b4"]]
    statuses = {e["name"]: e["status"] for e in entries}
    assert statuses == {"b0": "built", "b1": "built", "b2": "failed", "b3": "failed", "b4": "built"}
    failed = next(e for e in entries if e["name"] == "b3")
    assert failed["source"] == "src/b3.txt" and "worker building it stopped" in failed["message"]


def test_a_symlink_loop_under_a_source_is_passed_over(tmp_path):
    """Hostile hunt, round 2: a looping link beside the books made the search raise RuntimeError,
    an internal error for the whole shelf."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "story.txt").write_text("Once upon a time.", encoding="utf-8")
    (source / "loop.txt").symlink_to("loop.txt")
    (source / "a").symlink_to("b")
    (source / "b").symlink_to("a")
    assert [book.name for book in find_books([source], exclude=tmp_path / "out")] == ["story"]



def test_a_source_path_longer_than_the_system_allows_is_one_line(tmp_path):
    """Hostile hunt, round 2: "File name too long" was an internal error."""
    with pytest.raises(InputError, match="name too long"):
        find_books([tmp_path.joinpath(*(["y" * 250] * 20))])
