"""The scene_inference transform: modes, placement rules, overrides, and the inspect list."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.breaks.model import Model
from bookbuild.config import BuildConfig, Overrides
from bookbuild.inspect import report
from bookbuild.model import Book, Heading, Meta, Paragraph, Role, SceneBreak, Section, Text, block_text
from bookbuild.pipeline import Result
from bookbuild.structure.overrides import phrase_matches
from bookbuild.transforms import scene_inference
from bookbuild.transforms.scene_inference import infer_scene_breaks

FILLER = " ".join(
    ["The rain kept on over the valley, and the mill wheel turned slowly in the brown water."] * 12
)
STORY = [
    FILLER,
    FILLER,
    "She went home at last and slept.",
    "Three weeks later the baroness came back to town with a new hat.",
    FILLER,
    '"Where have you been?" she asked.',
    '"Three weeks later is no answer," he said.',
    FILLER,
]


def _book(texts, extra_blocks=()):
    blocks = tuple(Paragraph((Text(t),), line=i + 1) for i, t in enumerate(texts))
    return Book(Meta(), (Section(Role.CHAPTER, blocks + tuple(extra_blocks)),))


def _model(weight: float = 12.0, threshold: float = 0.5) -> Model:
    """A stand-in scorer that believes in one feature, so placement rules can be tested alone."""
    return Model(("head_time_phrase",), (weight,), -6.0, threshold)


@pytest.fixture
def fake_model(monkeypatch):
    monkeypatch.setattr(scene_inference, "load_model", lambda: _model())


def _breaks(book):
    return [(i, b) for i, b in enumerate(book.sections[0].blocks) if isinstance(b, SceneBreak)]


def test_auto_places_an_inferred_break_before_the_confident_boundary(fake_model):
    book, decisions = infer_scene_breaks(_book(STORY), BuildConfig(scene_breaks="auto"))
    [(position, brk)] = _breaks(book)
    assert brk.inferred
    assert block_text(book.sections[0].blocks[position + 1]).startswith("Three weeks later")
    placed = [d for d in decisions if d.data.get("placed")]
    assert [d.code for d in placed] == ["SB201"]


def test_inside_a_conversation_nothing_is_placed_however_high_the_score(fake_model):
    book, decisions = infer_scene_breaks(_book(STORY), BuildConfig(scene_breaks="auto"))
    conversation = [d for d in decisions if d.excerpt.startswith('"Three weeks')]
    assert conversation and not conversation[0].data["placed"] and conversation[0].data["conversation"]


def test_marked_mode_places_no_inferred_break_but_still_lists_candidates(fake_model):
    book, decisions = infer_scene_breaks(_book(STORY), BuildConfig(scene_breaks="marked"))
    assert _breaks(book) == []
    assert any(d.data.get("candidate") for d in decisions)
    assert not any(d.data.get("placed") for d in decisions)


def test_off_mode_removes_every_break_marked_or_not(fake_model):
    marked = _book(STORY, extra_blocks=(SceneBreak(marker="***"), Paragraph((Text(FILLER),))))
    book, decisions = infer_scene_breaks(marked, BuildConfig(scene_breaks="off"))
    assert _breaks(book) == []
    assert [d.code for d in decisions] == ["SB205"]


def test_auto_infers_nothing_when_the_manuscript_marks_its_breaks(fake_model):
    marked = _book(STORY, extra_blocks=(SceneBreak(marker="***"), Paragraph((Text(FILLER),))))
    book, decisions = infer_scene_breaks(marked, BuildConfig(scene_breaks="auto"))
    assert [b.inferred for _, b in _breaks(book)] == [False]
    assert "SB206" in {d.code for d in decisions}


@pytest.mark.parametrize("mode", ["auto", "marked"])
def test_a_build_that_may_place_nothing_skips_scoring_but_keeps_the_book(fake_model, monkeypatch, mode):
    marked = _book(STORY, extra_blocks=(SceneBreak(marker="***"), Paragraph((Text(FILLER),))))
    listed, listed_decisions = infer_scene_breaks(marked, BuildConfig(scene_breaks=mode))
    assert any(d.data.get("candidate") for d in listed_decisions)

    def never(*_args, **_kwargs):
        raise AssertionError("scored boundaries nobody will see")

    monkeypatch.setattr(scene_inference, "score_boundaries", never)
    book, decisions = infer_scene_breaks(marked, BuildConfig(scene_breaks=mode, review_list=False))
    assert book == listed
    assert not any(d.data.get("candidate") for d in decisions)


def test_a_build_that_may_place_still_scores_without_a_review_list(fake_model):
    book, _ = infer_scene_breaks(_book(STORY), BuildConfig(scene_breaks="auto", review_list=False))
    assert [b.inferred for _, b in _breaks(book)] == [True]


def test_overrides_add_and_remove(fake_model):
    overrides = Overrides(
        scene_breaks_add=("she went HOME at last",), scene_breaks_remove=("Three weeks later the",)
    )
    book, decisions = infer_scene_breaks(_book(STORY), BuildConfig(scene_breaks="auto", overrides=overrides))
    after = [block_text(book.sections[0].blocks[i + 1]) for i, _ in _breaks(book)]
    assert after == ["She went home at last and slept."]
    assert {"SB203", "SB204"} <= {d.code for d in decisions}


def test_remove_override_drops_a_marked_break_too(fake_model):
    marked = _book(STORY[:2], extra_blocks=(SceneBreak(marker="***"), Paragraph((Text("After the storm."),))))
    cfg = BuildConfig(scene_breaks="marked", overrides=Overrides(scene_breaks_remove=("After the storm",)))
    book, _ = infer_scene_breaks(marked, cfg)
    assert _breaks(book) == []


def test_matcher_ignores_case_quotes_dashes_and_the_ellipsis():
    assert phrase_matches("“Where have you been?” she asked.", '"where have you …')
    assert phrase_matches("Well--I never did.", "Well—I never")
    assert not phrase_matches("Where have you been?", "Where had you")
    assert not phrase_matches("Anything", "   ")


def test_review_list_is_capped_at_one_candidate_per_250_words():
    texts = [FILLER] * 12
    _, decisions = infer_scene_breaks(_book(texts), BuildConfig())
    words = sum(len(t.split()) for t in texts)
    assert 0 < len([d for d in decisions if d.data.get("candidate")]) <= words // 250


def test_inspect_lists_candidates_best_first_with_their_shape(fake_model):
    book, decisions = infer_scene_breaks(_book(STORY), BuildConfig())
    listed = report(Result(book, tuple(decisions)))["scene_break_candidates"]
    assert listed and [c["confidence"] for c in listed] == sorted(
        (c["confidence"] for c in listed), reverse=True
    )
    assert {"before", "confidence", "placed"} <= set(listed[0])
    assert listed[0]["before"].startswith("Three weeks later") and listed[0]["placed"] is True


_paragraph_text = st.sampled_from(
    [
        FILLER,
        "He sat.",
        '"Why?" she asked.',
        "The next morning it rained.",
        '"No."',
        "Later, at the club, nobody spoke.",
    ]
)
_block = st.one_of(
    _paragraph_text.map(lambda t: Paragraph((Text(t),))),
    st.just(SceneBreak(marker="***")),
    st.just(Heading((Text("II"),))),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_block, max_size=14), st.sampled_from(["auto", "marked", "off"]))
def test_only_scene_breaks_change_and_the_list_stays_short(blocks, mode):
    book = Book(Meta(), (Section(Role.CHAPTER, tuple(blocks)),))
    out, decisions = infer_scene_breaks(book, BuildConfig(scene_breaks=mode))
    kept = [b for b in out.sections[0].blocks if not isinstance(b, SceneBreak)]
    assert kept == [b for b in blocks if not isinstance(b, SceneBreak)]
    words = sum(len(block_text(b).split()) for b in blocks if isinstance(b, Paragraph))
    assert len([d for d in decisions if d.data.get("candidate")]) <= words // 250
    if mode == "off":
        assert len(kept) == len(out.sections[0].blocks)
    if mode == "marked":
        assert not any(isinstance(b, SceneBreak) and b.inferred for b in out.sections[0].blocks)


def test_a_book_that_marks_its_breaks_never_loads_the_scorer():
    # numpy, the features and the model are imported only when a book is scored.
    code = (
        "import sys\n"
        "from bookbuild.config import BuildConfig\n"
        "from bookbuild.model import Book, Meta, Paragraph, Role, SceneBreak, Section, Text\n"
        "from bookbuild.transforms.scene_inference import infer_scene_breaks\n"
        "blocks = (Paragraph((Text('One.'),)), SceneBreak(marker='***'), Paragraph((Text('Two.'),)))\n"
        "book, _ = infer_scene_breaks(Book(Meta(), (Section(Role.CHAPTER, blocks),)), BuildConfig(review_list=False))\n"
        "assert len(book.sections[0].blocks) == 3\n"
        "print(sorted(m for m in ('numpy', 'bookbuild.breaks.features', 'bookbuild.breaks.model') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
