"""The document model: text extraction, first words and the JSON form."""

import json

from hypothesis import given
from hypothesis import strategies as st

from bookbuild.model import (
    Book,
    Emph,
    LineBreak,
    Meta,
    Paragraph,
    Role,
    SceneBreak,
    Section,
    Strong,
    Text,
    block_text,
    first_words,
    plain_text,
    to_data,
)


def test_plain_text_reads_through_nested_spans():
    inlines = (Text("He said "), Emph((Text("no"), Strong((Text("!"),)))), LineBreak(), Text("Then left."))
    assert plain_text(inlines) == "He said no!\nThen left."


def test_scene_break_has_no_text():
    assert block_text(SceneBreak(marker="***")) == ""


def test_first_words_marks_truncation():
    assert first_words("one two three", 2) == "one two …"
    assert first_words("one two", 2) == "one two"


def test_to_data_is_json_and_tagged():
    book = Book(Meta(title="T"), (Section(Role.CHAPTER, (Paragraph((Text("Hi"),), line=3),)),))
    data = json.loads(json.dumps(to_data(book)))
    assert data["type"] == "Book"
    section = data["sections"][0]
    assert section["role"] == "chapter"
    assert section["blocks"][0] == {"type": "Paragraph", "inlines": [{"type": "Text", "text": "Hi"}], "line": 3}


def test_chapters_lists_only_chapters():
    chapter = Section(Role.CHAPTER, ())
    note = Section(Role.FRONT_NOTE, ())
    assert Book(Meta(), (note, chapter)).chapters() == (chapter,)


@given(st.text(alphabet="ab \n\t\u00a0\u2028", max_size=80), st.integers(min_value=1, max_value=10))
def test_first_words_reads_only_the_head_and_says_the_same(text: str, count: int) -> None:
    """Hostile hunt, round 2: first_words split a whole paragraph for every decision about it, so a
    paragraph of 8,000 doubtful apostrophes took seconds per thousand (quadratic); it now stops
    after ``count`` words and gives what splitting everything gave."""
    from bookbuild.model import first_words

    words = text.split()
    expected = " ".join(words[:count]) + (" …" if len(words) > count else "")
    assert first_words(text, count) == expected
