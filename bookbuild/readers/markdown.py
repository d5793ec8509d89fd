"""Read a Markdown manuscript through markdown-it-py (the only module that imports it).

Nothing in a manuscript reaches a reader or printer as markup: raw HTML keeps only its text
and emphasis (see :mod:`bookbuild.readers.html`), a link keeps its text and loses its
target, and an image is never fetched: it is dropped with a warning that says why. A block
quotation's paragraphs are marked quoted; footnotes (through mdit-py-plugins) become notes.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from bookbuild.decisions import Decision
from bookbuild.model import (
    Block,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Note,
    Paragraph,
    SceneBreak,
    Strong,
    Text,
    first_words,
)
from bookbuild.readers.footnotes import Footnotes
from bookbuild.readers.front_matter import front_matter_decision, split_front_matter
from bookbuild.readers.html import (
    MAX_EMPHASIS_DEPTH,
    html_blocks,
    is_html,
    tag_of,
    tidy,
    unclosed_warning,
    unhide_unclosed,
)
from bookbuild.readers.text import read_text

# markdown-it stops reading a document silently where lists and quotes nest deeper than
# maxNesting (default 20: a list ten deep loses the rest of the file). Real manuscripts stay
# far below 100; past it the file is read as plain text (see read_markdown), and the parser's
# recursion stays well inside Python's stack.
MAX_NESTING = 100
# Footnote definitions stay where they stand (move_to_end=False), so the reader sees every
# one, cited or not, and can keep an uncited one instead of losing it as the plugin would.
_PARSER = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": MAX_NESTING}).use(
    footnote_plugin, move_to_end=False
)
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
    if folder is not None:
        try:
            outside = not (folder / src).resolve().is_relative_to(folder.resolve())
        except (RuntimeError, OSError, ValueError):  # a symbolic link loop (RuntimeError before 3.13), a NUL
            return "it cannot be resolved (a symbolic link that loops?)"
        if outside:
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


@dataclass
class _Context:
    """What inline reading needs besides the tokens: where images may come from, where
    decisions go, the footnotes so far and the parse's environment (inline footnotes' tokens)."""

    folder: Path | None
    notes: list[Decision]
    footnotes: Footnotes
    env: dict


def _inlines(children: list[Token], line: int | None, ctx: _Context) -> tuple[Inline, ...]:
    folder, notes = ctx.folder, ctx.notes
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
        elif token.type == "footnote_ref" and "label" in token.meta:
            spans.add(ctx.footnotes.cite(token.meta["label"], line))
        elif token.type == "footnote_ref":
            inline_note = ctx.env["footnotes"]["list"][token.meta["id"]]
            body = _inlines(inline_note.get("tokens", []), line, ctx)
            spans.add(ctx.footnotes.cite_inline((Paragraph(body, line=line),)))
        elif token.type == "image":
            src = str(token.attrs.get("src", ""))
            why = image_problem(src, folder) or "bookbuild does not place images yet"
            notes.append(
                Decision("read", "RD020", "warning", f"dropped the image '{src[:80]}': {why}", first_words(token.content), line=line)
            )
        # link_open/close add nothing: the link's text is kept, its target dropped.
    return spans.finish()


def read_markdown(
    text: str,
    decisions: list[Decision] | None = None,
    folder: Path | None = None,
    notes: list[Note] | None = None,
    **_context: object,
) -> list[Block]:
    """Blocks of a Markdown manuscript: headings, paragraphs (quoted ones marked) and thematic
    breaks; its footnotes are added to ``notes``, numbered on from those already there."""
    found = decisions if decisions is not None else []
    front, text = split_front_matter(text)
    if front is not None:
        found.append(front_matter_decision(front))
    text, unclosed = unhide_unclosed(text, block_start=True)
    if unclosed:
        found.append(Decision("read", "RD023", "warning", unclosed_warning(unclosed, "file"), line=unclosed[0][1]))
    env: dict = {}
    tokens = _PARSER.parse(text, env)
    deepest = max(tokens, key=lambda t: t.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        line = deepest.map[0] + 1 if deepest.map else None
        rule = f"lists or quotes nested more than {MAX_NESTING // 2} deep: read as plain text so that no text is lost"
        found.append(Decision("read", "RD022", "warning", rule, line=line))
        return read_text(text, decisions=found)
    footnotes = Footnotes(notes if notes is not None else [], found)
    ctx = _Context(folder, found, footnotes, env)
    lines = text.split("\n")
    blocks: list[Block] = []
    target = blocks  # the text, or the footnote being defined
    depth = 0  # how many block quotations are open
    label, label_line = "", None
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        quoted = depth > 0
        if token.type == "blockquote_open":
            depth += 1
            if depth == 2:
                rule = "a quotation inside a quotation: set as part of the one around it (one level of quotation)"
                found.append(Decision("read", "RD030", "info", rule, line=line))
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "footnote_reference_open":
            label, label_line, target = token.meta["label"], line, []
        elif token.type == "footnote_reference_close":
            footnotes.define(label, target, len(blocks), label_line)
            target = blocks
        elif token.type == "hr":
            marker = lines[token.map[0]].strip() if token.map else token.markup
            target.append(SceneBreak(marker=marker, line=line))
        elif token.type == "inline":
            opener = tokens[index - 1]
            inlines = _inlines(token.children or [], line, ctx)
            if opener.type == "heading_open" and not quoted:
                target.append(Heading(inlines, level=int(opener.tag[1]), line=line))
            elif inlines:
                # A heading inside a quotation (a newspaper's headline) is part of what is quoted.
                inlines = (Strong(inlines),) if opener.type == "heading_open" else inlines
                paragraph = Paragraph(inlines, line=line, quoted=quoted)
                footnotes.check_text(paragraph)
                target.append(paragraph)
        elif token.type == "html_block":
            if is_html(token.content):
                target.extend(_marked(html_blocks(token.content, line), quoted))
                if re.search(r"<\s*(script|style|iframe|object|embed)\b", token.content, re.IGNORECASE):
                    found.append(Decision("read", "RD021", "warning", "dropped a script or embedded object found in raw HTML", line=line))
            else:
                target.extend(_shifted(read_text(token.content), line, quoted))
        elif token.type in ("fence", "code_block"):
            # Fiction has no code: an indented block is indented prose, read as plain text.
            target.extend(_shifted(read_text(token.content), line, quoted))
    return footnotes.finish(blocks)


def _marked(blocks: list[Block], quoted: bool) -> list[Block]:
    if not quoted:
        return blocks
    return [dataclasses.replace(b, quoted=True) if isinstance(b, Paragraph) else b for b in blocks]


def _shifted(paragraphs: list[Paragraph], line: int | None, quoted: bool = False) -> list[Block]:
    return [Paragraph(p.inlines, line=(line or 1) + (p.line or 1) - 1, quoted=quoted) for p in paragraphs]
