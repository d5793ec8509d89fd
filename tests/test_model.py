"""The document model: text extraction, first words and the JSON form."""

import json

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
