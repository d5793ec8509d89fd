"""Read a Markdown manuscript through markdown-it-py (the only module that imports it)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bookbuild.model import Block, Emph, Heading, Inline, LineBreak, Paragraph, SceneBreak, Strong, Text
from bookbuild.readers.text import read_text

# Raw HTML is off: a tag in the manuscript is shown as text, never passed to a reader or printer.
_PARSER = MarkdownIt("commonmark", {"html": False, "typographer": False}).disable("image")


def _inlines(children: list[Token]) -> tuple[Inline, ...]:
    stack: list[list[Inline]] = [[]]
    kinds: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline", "html_inline"):
            if token.content:
                stack[-1].append(Text(token.content))
        elif token.type == "softbreak":
            stack[-1].append(Text(" "))
        elif token.type == "hardbreak":
            stack[-1].append(LineBreak())
        elif token.type in ("em_open", "strong_open"):
            stack.append([])
            kinds.append(token.type)
        elif token.type in ("em_close", "strong_close") and kinds:
            content = tuple(stack.pop())
            node = Emph(content) if kinds.pop() == "em_open" else Strong(content)
            stack[-1].append(node)
        # link_open/close and images add nothing: the link's text is kept, its target dropped.
    while kinds:
        content = tuple(stack.pop())
        stack[-1].append(Emph(content) if kinds.pop() == "em_open" else Strong(content))
    return _merge_text(stack[0])


def _merge_text(spans: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for span in spans:
        if isinstance(span, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def read_markdown(text: str) -> list[Block]:
    """Blocks of a Markdown manuscript: headings, paragraphs and thematic breaks."""
    tokens = _PARSER.parse(text)
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if token.type == "hr":
            blocks.append(SceneBreak(marker=token.markup, line=line))
        elif token.type == "inline":
            opener = tokens[index - 1]
            inlines = _inlines(token.children or [])
            if opener.type == "heading_open":
                blocks.append(Heading(inlines, level=int(opener.tag[1]), line=line))
            elif inlines:
                blocks.append(Paragraph(inlines, line=line))
        elif token.type in ("fence", "code_block"):
            # Fiction has no code: an indented block is indented prose, read as plain text.
            for paragraph in read_text(token.content):
                shifted = (line or 1) + (paragraph.line or 1) - 1
                blocks.append(Paragraph(paragraph.inlines, line=shifted))
    return blocks
