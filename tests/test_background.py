"""Writers run on the side: their files appear, and their errors reach the caller."""

from __future__ import annotations

import pytest

from bookbuild.errors import OutputError
from bookbuild.writers.background import Background


def _fail() -> None:
    raise OutputError("cannot write the EPUB")


def test_the_work_is_done_by_the_time_wait_returns(tmp_path):
    target = tmp_path / "out.txt"
    job = Background(lambda: target.write_text("written", encoding="utf-8"))
    job.wait()
    assert target.read_text(encoding="utf-8") == "written"


def test_an_error_in_the_background_is_raised_by_wait():
    job = Background(_fail)
    with pytest.raises(OutputError, match="cannot write the EPUB"):
        job.wait()


def test_an_error_can_be_left_unraised_when_another_is_on_its_way():
    Background(_fail).wait(raising=False)
