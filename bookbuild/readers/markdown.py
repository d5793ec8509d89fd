"""Read a Markdown manuscript through markdown-it-py (the only module that imports it).

Nothing in a manuscript reaches a reader or printer as markup: raw HTML keeps only its text
and emphasis (see :mod:`bookbuild.readers.html`), a link keeps its text and loses its
target, and an image is never fetched: it is dropped with a warning that says why.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bookbuild.model import (
    Block,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Paragraph,
    SceneBreak,
    Strong,
    Text,
    first_words,
)
from bookbuild.readers.html import MAX_EMPHASIS_DEPTH, html_blocks, is_html, tag_of, tidy
from bookbuild.readers.text import read_text
from bookbuild.transforms import Decision

# markdown-it stops reading a document silently where lists and quotes nest deeper than
# maxNesting (default 20: a list ten deep loses the rest of the file). Real manuscripts stay
# far below 100; past it the file is read as plain text (see read_markdown), and the parser's
# recursion stays well inside Python's stack.
MAX_NESTING = 100
_PARSER = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": MAX_NESTING})
# Every link target parses as a link, so "[text](javascript:...)" keeps its text and drops
# the target instead of showing the raw syntax; no target is ever written out.
_PARSER.validateLink = lambda url: True

_OPENERS = {"em_open": "em", "strong_open": "strong"}
_CLOSERS = {"em_close": "em", "strong_close": "strong"}
_HTML_KIND = {"i": "em", "em": "em", "cite": "em", "var": "em", "dfn": "em", "b": "strong", "strong": "strong"}


def image_problem(src: str, folder: Path | None) -> str:
    """Why an image source is refused (a URL, an absolute path, outside the folder), or ''."""
    if re.match(r"^[a-z][a-z0-9+.-]+:", src, re.IGNORECASE) or src.startswith("//"):
        return "it is a URL, and bookbuild never fetches anything"
    if src.startswith(("/", "\\")) or re.match(r"^[a-z]:", src, re.IGNORECASE):
        return "it is an absolute path"
    if folder is not None and not (folder / src).resolve().is_relative_to(folder.resolve()):
        return "it is outside the book folder"
    return ""


class _Spans:
    """A stack of open emphasis spans that tolerates unbalanced HTML tags."""

    def __init__(self) -> None:
        self.stack: list[list[Inline]] = [[]]
        self.kinds: list[str] = []

    def add(self, span: Inline) -> None:
        self.stack[-1].append(span)

    def open(self, kind: str) -> None:
        if len(self.kinds) >= MAX_EMPHASIS_DEPTH:
            return  # flattened; its closer then closes the innermost span of its kind
        self.stack.append([])
        self.kinds.append(kind)

    def close(self, kind: str) -> None:
        # A closer with no matching opener (a stray "</i>") is ignored.
        if kind not in self.kinds:
            return
        while self.kinds:
            open_kind = self.kinds.pop()
            content = tuple(self.stack.pop())
            self.add(Emph(content) if open_kind == "em" else Strong(content))
            if open_kind == kind:
                return

    def finish(self) -> tuple[Inline, ...]:
        while self.kinds:
            self.close(self.kinds[-1])
        # Dropped tags and images leave doubled or edge spaces behind.
        return tidy(self.stack[0])


def _inlines(children: list[Token], line: int | None, folder: Path | None, notes: list[Decision]) -> tuple[Inline, ...]:
    spans = _Spans()
    skipping = ""  # inside <script> or <style>: drop until it closes
    for token in children:
        if token.type == "html_inline":
            tag = tag_of(token.content)
            if tag is None:
                if not token.content.startswith(("<!--", "<?", "<!")):
                    spans.add(Text(token.content))  # not HTML: the writer's own angle brackets
                continue
            name, closing = tag
            if skipping:
                skipping = "" if closing and name == skipping else skipping
            elif name in ("script", "style", "template", "noscript") and not closing:
                skipping = name
            elif name == "br":
                spans.add(LineBreak())
            elif name in _HTML_KIND:
                (spans.close if closing else spans.open)(_HTML_KIND[name])
        elif skipping:
            continue
        elif token.type in ("text", "code_inline"):
            if token.content:
                spans.add(Text(token.content))
        elif token.type == "softbreak":
            spans.add(Text(" "))
        elif token.type == "hardbreak":
            spans.add(LineBreak())
        elif token.type in _OPENERS:
            spans.open(_OPENERS[token.type])
        elif token.type in _CLOSERS:
            spans.close(_CLOSERS[token.type])
        elif token.type == "image":
            src = str(token.attrs.get("src", ""))
            why = image_problem(src, folder) or "bookbuild does not place images yet"
            notes.append(
                Decision("read", "RD020", "warning", f"dropped the image '{src[:80]}': {why}", first_words(token.content), line=line)
            )
        # link_open/close add nothing: the link's text is kept, its target dropped.
    return spans.finish()


def read_markdown(
    text: str, decisions: list[Decision] | None = None, folder: Path | None = None, **_context: object
) -> list[Block]:
    """Blocks of a Markdown manuscript: headings, paragraphs and thematic breaks."""
    notes = decisions if decisions is not None else []
    tokens = _PARSER.parse(text)
    deepest = max(tokens, key=lambda t: t.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        line = deepest.map[0] + 1 if deepest.map else None
        rule = f"lists or quotes nested more than {MAX_NESTING // 2} deep: read as plain text so that no text is lost"
        notes.append(Decision("read", "RD022", "warning", rule, line=line))
        return read_text(text, decisions=notes)
    lines = text.split("\n")
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if token.type == "hr":
            marker = lines[token.map[0]].strip() if token.map else token.markup
            blocks.append(SceneBreak(marker=marker, line=line))
        elif token.type == "inline":
            opener = tokens[index - 1]
            inlines = _inlines(token.children or [], line, folder, notes)
            if opener.type == "heading_open":
                blocks.append(Heading(inlines, level=int(opener.tag[1]), line=line))
            elif inlines:
                blocks.append(Paragraph(inlines, line=line))
        elif token.type == "html_block":
            if is_html(token.content):
                found = html_blocks(token.content, line)
                blocks.extend(found)
                if re.search(r"<\s*(script|style|iframe|object|embed)\b", token.content, re.IGNORECASE):
                    notes.append(Decision("read", "RD021", "warning", "dropped a script or embedded object found in raw HTML", line=line))
            else:
                blocks.extend(_shifted(read_text(token.content), line))
        elif token.type in ("fence", "code_block"):
            # Fiction has no code: an indented block is indented prose, read as plain text.
            blocks.extend(_shifted(read_text(token.content), line))
    return blocks


def _shifted(paragraphs: list[Paragraph], line: int | None) -> list[Block]:
    return [Paragraph(p.inlines, line=(line or 1) + (p.line or 1) - 1) for p in paragraphs]
