"""A long book is scored on every core: the review list must be the one a single process makes."""

from __future__ import annotations

from bookbuild.breaks import candidates
from bookbuild.breaks.corpus import load_work
from bookbuild.breaks.model import load_model


def test_scoring_on_two_processes_gives_the_same_list(eval_dir, monkeypatch):
    chapters = load_work(eval_dir / "dev" / "saki").chapters
    model = load_model()
    alone = candidates.score_boundaries(chapters, model)
    monkeypatch.setattr(candidates, "PARALLEL_WORDS", 0)
    monkeypatch.setattr(candidates, "_cores", lambda: 2)
    together = candidates.score_boundaries(chapters, model)
    assert len(chapters) > 2 and len(alone) > 10
    assert together == alone
