"""Make raw HTML found in a Markdown manuscript safe: keep its text and basic emphasis, drop the rest.

Only the look of prose survives (``<i>``, ``<b>``, ``<br>``, paragraphs); scripts, styles,
embedded objects and comments are dropped with their content, and every other tag is
dropped while its text stays. A tag name HTML does not know (``<telepathy>``) is the
writer's own text and is kept literally.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

from bookbuild.model import Block, Emph, Heading, Inline, LineBreak, Paragraph, SceneBreak, Strong, Text

EMPHASIS = frozenset({"i", "em", "cite", "var", "dfn"})
STRONG = frozenset({"b", "strong"})
# Dropped together with everything inside them: they hold code, data or media, never prose.
DROPPED = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "applet", "svg", "math",
     "head", "title", "img", "video", "audio", "picture", "canvas", "form", "input", "button",
     "select", "textarea", "link", "meta", "base", "frame", "frameset"}
)
BLOCKS = frozenset(
    {"p", "div", "li", "blockquote", "section", "article", "aside", "header", "footer", "main",
     "pre", "tr", "td", "th", "dd", "dt", "center", "figure", "figcaption", "address", "hr",
     "table", "ul", "ol", "dl", "nav", "body", "html", "h1", "h2", "h3", "h4", "h5", "h6"}
)
INLINE = frozenset(
    {"span", "font", "u", "s", "strike", "del", "ins", "sup", "sub", "small", "big", "mark",
     "a", "abbr", "q", "tt", "code", "kbd", "samp", "time", "label", "wbr", "br", "bdi", "bdo"}
)
KNOWN = EMPHASIS | STRONG | DROPPED | BLOCKS | INLINE
_TAG = re.compile(r"<\s*(/)?\s*([A-Za-z][A-Za-z0-9-]*)")
# Emphasis inside emphasis deeper than this is flattened: it means nothing on the page, and
# thousands of nested <b> made every later step recurse past Python's limit.
MAX_EMPHASIS_DEPTH = 8


def tag_of(markup: str) -> tuple[str, bool] | None:
    """The lower-case name of an HTML tag and whether it closes, or None for a comment or unknown tag."""
    match = _TAG.match(markup)
    if not match or match.group(2).lower() not in KNOWN:
        return None
    return match.group(2).lower(), bool(match.group(1))


def is_html(markup: str) -> bool:
    """Whether every tag in some raw markup is one HTML knows (else it is the writer's text)."""
    if markup.lstrip().startswith("<!--"):
        return True
    names = [m.group(2).lower() for m in _TAG.finditer(markup)]
    return bool(names) and all(name in KNOWN for name in names)


def _name(element: etree._Element) -> str | None:
    return element.tag.lower() if isinstance(element.tag, str) else None


def _inline(element: etree._Element, depth: int = 1) -> list[Inline]:
    spans: list[Inline] = [Text(element.text)] if element.text else []
    for child in element:
        name = _name(child)
        if name is not None and name not in DROPPED:
            wraps = name in EMPHASIS | STRONG and depth < MAX_EMPHASIS_DEPTH
            inner = tuple(_inline(child, depth + wraps))
            if wraps:
                spans.append(Emph(inner) if name in EMPHASIS else Strong(inner))
            elif name == "br":
                spans.append(LineBreak())
            else:
                spans.extend((Text(" "), *inner, Text(" ")) if name in BLOCKS else inner)
        if child.tail:
            spans.append(Text(child.tail))
    return spans


_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")  # HTML's own whitespace; a no-break space is kept


def tidy(spans: list[Inline]) -> tuple[Inline, ...]:
    """HTML whitespace rules: runs collapse to one space, none at the paragraph's edges."""
    merged: list[Inline] = []
    run: list[str] = []  # adjacent texts, joined once (joining pairwise was quadratic: a long table took a minute)
    for span in [*spans, None]:
        if isinstance(span, Text):
            run.append(span.text)
            continue
        if run:
            merged.append(Text(_COLLAPSIBLE.sub(" ", "".join(run))))
            run = []
        if span is not None:
            merged.append(span)
    if merged and isinstance(merged[0], Text):
        merged[0] = Text(merged[0].text.lstrip(" "))
    if merged and isinstance(merged[-1], Text):
        merged[-1] = Text(merged[-1].text.rstrip(" "))
    return tuple(s for s in merged if not (isinstance(s, Text) and not s.text))


def _walk(element: etree._Element, line: int | None, blocks: list[Block]) -> None:
    pending: list[Inline] = [Text(element.text)] if element.text else []

    def flush() -> None:
        spans = tidy(pending)
        if any(isinstance(s, Text) and s.text.strip() for s in spans) or any(not isinstance(s, Text) for s in spans):
            blocks.append(Paragraph(spans, line=line))
        pending.clear()

    for child in element:
        name = _name(child)
        if name in BLOCKS:
            flush()
            if name == "hr":
                blocks.append(SceneBreak(line=line))
            elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                spans = tidy(_inline(child))
                if spans:
                    blocks.append(Heading(spans, level=int(name[1]), line=line))
            else:
                _walk(child, line, blocks)
        elif name is not None and name not in DROPPED:
            pending.extend(
                [Emph(tuple(_inline(child)))] if name in EMPHASIS
                else [Strong(tuple(_inline(child)))] if name in STRONG
                else [LineBreak()] if name == "br"
                else _inline(child)
            )
        if child.tail:
            pending.append(Text(child.tail))
    flush()


def html_blocks(markup: str, line: int | None) -> list[Block]:
    """Paragraphs and headings of a raw HTML block, with only safe content left."""
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return []
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        # libxml2 drops whatever is nested deeper than 256 elements: keep the text instead.
        return _text_only(markup, line)
    blocks: list[Block] = []
    _walk(root, line, blocks)
    return blocks


# Void elements (<img>, <input>) have no content to drop and no closing tag to wait for.
_VOID = frozenset({"img", "input", "link", "meta", "base", "embed", "frame"})
_DROPPED_ELEMENT = re.compile(
    rf"<\s*({'|'.join(sorted(DROPPED - _VOID))})\b.*?(?:<\s*/\s*\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_KNOWN_TAG = re.compile(rf"<\s*/?\s*(?:{'|'.join(sorted(KNOWN))})\b[^>]*>|<!--.*?(?:-->|\Z)", re.IGNORECASE | re.DOTALL)


def _text_only(markup: str, line: int | None) -> list[Block]:
    """The text of HTML too deep for the parser, tags dropped, one paragraph per block of lines.

    A regular expression where the parser gives up: the same elements are dropped with their
    content and every known tag goes, so the result is text and nothing else.
    """
    text = _KNOWN_TAG.sub(" ", _DROPPED_ELEMENT.sub(" ", markup))
    paragraphs = [" ".join(piece.split()) for piece in re.split(r"\n\s*\n", html.unescape(text))]
    return [Paragraph((Text(p),), line=line) for p in paragraphs if p]
