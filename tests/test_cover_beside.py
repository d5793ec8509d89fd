"""An e-book-only build draws its cover in a process beside it (writers/cover_beside.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bookbuild.config import BuildConfig
from bookbuild.writers import beside
from bookbuild.writers.cover_beside import start_cover

pytestmark = pytest.mark.skipif(not beside.available(), reason="needs fork")

# Run in a fresh interpreter: the test session imported WeasyPrint long ago.
PROBE = """
import sys, zipfile
from pathlib import Path
from bookbuild.config import BuildConfig
from bookbuild.pipeline import build
source, out = Path(sys.argv[1]), Path(sys.argv[2])
cfg = BuildConfig(outdir=out, formats=("epub",), use_cache=False, pdf_workers=2)
result, written = build(source, cfg)
print("weasyprint here:", "weasyprint" in sys.modules)
from bookbuild.writers.pdf.cover import front_cover_jpeg
with zipfile.ZipFile(written[0]) as epub:
    print("same cover:", epub.read("EPUB/images/cover.jpg") == front_cover_jpeg(result.book))
"""


def test_an_ebook_build_draws_its_cover_beside_and_the_same(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_text("Title: The Lamp\nAuthor: A. Writer\n\nIt was a dark night.\n\nThe rain fell.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(source), str(tmp_path / "out")], capture_output=True, text=True, check=True
    )
    # This process never imported WeasyPrint; the cover drawn here afterwards is byte for byte the one written.
    assert done.stdout.splitlines() == ["weasyprint here: False", "same cover: True"], done.stdout + done.stderr


LEFT = """
import os, sys
from pathlib import Path
from bookbuild import pipeline
from bookbuild.writers import cover_beside
from bookbuild.config import BuildConfig
from bookbuild.errors import InputError
from bookbuild.writers.cover_beside import start_cover

def gone(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False

started = []
def start(cfg):
    drawing = start_cover(cfg)
    started.append(drawing._child.pid)
    return drawing

cover_beside.start_cover = start
source = Path(sys.argv[1])
try:
    pipeline.build(source, BuildConfig(outdir=source.parent / "out", formats=("epub",), pdf_workers=2))
except InputError:
    print("failed build:", len(started) == 1 and gone(started[0]))
drawing = start_cover(BuildConfig(formats=("epub",), pdf_workers=2))
pid = drawing._child.pid
drawing.cancel()
print("asked for nothing:", gone(pid))
"""


def test_a_failed_build_and_an_unused_cover_process_leave_no_process(tmp_path: Path) -> None:
    source = tmp_path / "empty.txt"
    source.write_text("", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", LEFT, str(source)], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["failed build: True", "asked for nothing: True"], done.stdout + done.stderr


def test_no_cover_process_beside_another_thread() -> None:
    """A fork beside a running thread may copy a lock it holds: the cover is then drawn here."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_cover(BuildConfig(formats=("epub",), pdf_workers=2)) is None
    finally:
        stop.set()
        other.join()


@pytest.mark.parametrize(
    "settings",
    [
        {"formats": ("epub", "pdf")},  # the print edition's overlap draws it
        {"formats": ("pdf",)},
        {"formats": ("epub",), "pdf_workers": 1},  # a shelf's job keeps to one process
        {"formats": ("epub",), "metadata": {"cover": "cover.png"}},  # the author's own cover
    ],
)
def test_no_cover_process_where_none_is_drawn_or_no_core_is_spare(settings) -> None:
    assert start_cover(BuildConfig(**({"pdf_workers": 2} | settings))) is None


LOGGED = """
import logging, sys
from pathlib import Path
from bookbuild import pipeline
from bookbuild.config import BuildConfig

class Strict(logging.Handler):
    def emit(self, record):
        self.format(record)  # raises, as pytest's log capture does, when a record cannot be formatted
    def handleError(self, record):
        raise

logging.getLogger("weasyprint").addHandler(Strict())
source = Path(sys.argv[1])
cfg = BuildConfig(outdir=source.parent / "out", formats=("epub",), use_cache=False, pdf_workers=2,
                  metadata={"title": "Lamp \ue122"})
result, _ = pipeline.build(source, cfg)
print(any(d.rule.startswith("no font has a glyph for \ue122") for d in result.decisions))
"""


def test_what_the_cover_process_logs_is_told_here_as_logged(tmp_path: Path) -> None:
    """A glyph no font has in the title: WeasyPrint's log record comes back from the cover's
    process whole (its code point a number for ``U+%04X``), and the glyph warning is made."""
    source = tmp_path / "story.txt"
    source.write_text("It was a dark night.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", LOGGED, str(source)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stdout + done.stderr
