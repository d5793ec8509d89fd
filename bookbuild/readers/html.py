"""The one place HTML becomes the document model: Markdown's raw HTML, HTML pages and EPUBs.

Only the look and shape of prose survives (``<i>``, ``<b>``, ``<br>``, paragraphs, headings,
``<hr>`` as a scene break, ``<blockquote>`` as a quotation for whole documents); scripts,
styles, embedded objects and comments are dropped with their content, and every other tag is
dropped while its text stays. A tag name HTML does not know (``<telepathy>``) inside Markdown
is the writer's own text and is kept literally.

Whole documents are parsed safely (:func:`parse_document`): no DTD is loaded, no entity
declared in one is expanded (XXE, "billion laughs"), nothing is fetched from the network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from bookbuild.config import UNWANTED_CHARACTERS as _UNWANTED
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
    block_text,
)

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


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def local_name(element: etree._Element) -> str | None:
    """An element's lower-case tag name without its namespace, or None for a comment or PI."""
    if not isinstance(element.tag, str):
        return None
    return etree.QName(element).localname.lower()


def _name(element: etree._Element) -> str | None:
    return local_name(element)


@dataclass
class Walker:
    """Turns HTML elements into blocks; ``quotations`` marks ``<blockquote>`` paragraphs quoted
    (whole documents), and ``dropped`` counts the media and code left out, by tag."""

    line_of: Callable[[etree._Element], int | None]
    quotations: bool = False
    dropped: dict[str, int] = field(default_factory=dict)
    # A reader's own elements: an inline to put in the element's place (a note reference), or
    # True to leave the element out (a footnote's body, read elsewhere); None reads it as usual.
    special: Callable[[etree._Element], Inline | bool | None] | None = None

    def _special(self, element: etree._Element) -> Inline | bool | None:
        return self.special(element) if self.special is not None else None

    def blocks(self, element: etree._Element) -> list[Block]:
        """The blocks of one element, itself included (an ``<hr>`` is a break, an ``<h2>`` a heading)."""
        blocks: list[Block] = []
        name = _name(element)
        if name == "hr":
            blocks.append(SceneBreak(line=self.line_of(element)))
        elif name in HEADINGS:
            self._heading(element, name, blocks)
        elif name in DROPPED:
            self._drop(element, name)
        elif name is not None:
            self._walk(element, blocks, quoted=self.quotations and name == "blockquote")
        return blocks

    def contents(self, element: etree._Element) -> list[Block]:
        """The blocks inside an element, the element itself not counted as a quotation."""
        blocks: list[Block] = []
        self._walk(element, blocks)
        return blocks

    def _drop(self, element: etree._Element, name: str) -> None:
        if name not in ("head", "title", "meta", "link", "base"):
            self.dropped[name] = self.dropped.get(name, 0) + 1

    def _heading(self, element: etree._Element, name: str, blocks: list[Block]) -> None:
        spans = tidy(self._inline(element))
        if spans:
            blocks.append(Heading(spans, level=int(name[1]), line=self.line_of(element)))

    def _inline(self, element: etree._Element, depth: int = 1) -> list[Inline]:
        spans: list[Inline] = [Text(element.text)] if element.text else []
        for child in element:
            spans += self._child(child, depth)
            if child.tail:
                spans.append(Text(child.tail))
        return spans

    def _child(self, child: etree._Element, depth: int) -> list[Inline]:
        """One element inside a paragraph as spans: a reader's special, nothing for dropped
        content, emphasis wrapped, a line break, or its text (spaced apart for a block)."""
        name = _name(child)
        if name is None:
            return []
        special = self._special(child)
        if special is not None:
            return [] if special is True else [special]
        if name in DROPPED:
            self._drop(child, name)
            return []
        wraps = name in EMPHASIS | STRONG and depth < MAX_EMPHASIS_DEPTH
        inner = tuple(self._inline(child, depth + wraps))
        if wraps:
            return [Emph(inner) if name in EMPHASIS else Strong(inner)]
        if name == "br":
            return [LineBreak()]
        return [Text(" "), *inner, Text(" ")] if name in BLOCKS else list(inner)

    def _walk(self, element: etree._Element, blocks: list[Block], quoted: bool = False) -> None:
        pending: list[Inline] = [Text(element.text)] if element.text else []
        line = self.line_of(element)

        def flush() -> None:
            spans = tidy(pending)
            if any(isinstance(s, Text) and s.text.strip() for s in spans) or any(not isinstance(s, Text) for s in spans):
                blocks.append(Paragraph(spans, line=line, quoted=quoted))
            pending.clear()

        for child in element:
            name = _name(child)
            if name in BLOCKS and self._special(child) is None:
                flush()
                line = self.line_of(child)
                if name == "hr":
                    blocks.append(SceneBreak(line=line))
                elif name in HEADINGS:
                    self._heading(child, name, blocks)
                else:
                    self._walk(child, blocks, quoted or (self.quotations and name == "blockquote"))
                line = self.line_of(child)
            else:
                # depth 0: emphasis directly in a paragraph counts as the first level
                pending += self._child(child, 0)
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
    Walker(lambda _element: line)._walk(root, blocks)
    return blocks


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.IGNORECASE | re.DOTALL)


def _xml_parser() -> etree.XMLParser:
    # No DTD loaded, no entity expanded, nothing fetched; huge_tree off keeps libxml2's limits.
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )


# Markup that hides its content (a comment, a script, a style) runs to its closer, or, when
# that never comes, to the end of the file: one forgotten "-->" would hide the story.
_HIDING_OPENER = r"(<!--|<(script|style|textarea)\b[^>]*>?)"
_HIDING_OPENERS = {
    True: re.compile(r"^ {0,3}" + _HIDING_OPENER, re.IGNORECASE | re.MULTILINE),  # CommonMark's HTML blocks
    False: re.compile(_HIDING_OPENER, re.IGNORECASE),
}
_HIDING_CLOSER = {"": "-->", "script": "</script>", "style": "</style>", "textarea": "</textarea>"}


def unhide_unclosed(text: str, block_start: bool = False) -> tuple[str, list[tuple[str, int, str]]]:
    """The text without the openers (``<!--``, ``<script>``) that are never closed, and each
    one left out as (opener, line, the closer it lacked)."""
    lowered = text.lower()
    last_closer = {closer: lowered.rfind(closer) for closer in _HIDING_CLOSER.values()}
    left_out: list[tuple[str, int, str]] = []
    kept: list[str] = []
    start = done = counted = 0
    line = 1
    while match := _HIDING_OPENERS[block_start].search(text, start):
        closer = _HIDING_CLOSER[(match.group(2) or "").lower()]
        if last_closer[closer] >= match.end():
            start = lowered.find(closer, match.end()) + len(closer)
            continue
        line += text.count("\n", counted, match.start(1))
        counted = match.start(1)
        left_out.append((match.group(1)[:40], line, closer))
        kept.append(text[done : match.start(1)])
        start = done = match.end(1)
    return "".join(kept) + text[done:], left_out


def unclosed_warning(unclosed: list[tuple[str, int, str]], what: str) -> str:
    """One warning line for the openers :func:`unhide_unclosed` left out."""
    opener, line, closer = unclosed[0]
    more = f" (and {len(unclosed) - 1} more after it)" if len(unclosed) > 1 else ""
    return (f"'{opener}' on line {line}{more} is never closed, so it would hide the rest of the {what}: "
            f"the opener is left out and the text after it kept (close it with '{closer}' to hide that text)")


def parse_document(text: str, problems: list[str] | None = None) -> etree._Element:
    """The root of an HTML or XHTML document, parsed with nothing expanded or fetched.

    The declaration and any ``<!DOCTYPE>`` (with an internal subset where entities would be
    declared) are removed before parsing; well-formed XHTML is read as XML, anything else by
    the forgiving HTML parser, which knows HTML's named entities but never defines new ones.
    A document nested deeper than the parser reads is read as paragraphs of text (see
    :func:`_flattened`), with a line in ``problems`` saying so.
    """
    text = _DOCTYPE.sub("", _XML_DECLARATION.sub("", text, count=1), count=1)
    text, unclosed = unhide_unclosed(text)
    if unclosed and problems is not None:
        problems.append(unclosed_warning(unclosed, "page"))
    try:
        return etree.fromstring(text.encode("utf-8"), _xml_parser())
    except etree.XMLSyntaxError:
        pass
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        root = lxml.html.fromstring("<html><body></body></html>")
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        # libxml2 drops whatever is nested deeper than 256 elements: keep the text instead.
        root = _flattened(text)
        if problems is not None:
            problems.append("nested deeper than the HTML parser reads: its text is kept as paragraphs, its headings and emphasis are not")
    return root


_TITLE = re.compile(r"<\s*title\b[^>]*>(.*?)<\s*/\s*title\s*>", re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(r"<\s*head\b.*?(?:<\s*/\s*head\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|div|h[1-6]|li|dd|dt|blockquote|section|article|tr|td|br|hr|pre)\b[^>]*>", re.IGNORECASE)


def _flattened(text: str) -> etree._Element:
    """A document of the page's title and its text, one ``<p>`` per block element, every tag
    dropped (scripts and styles with their content): what a page too deep to parse still says."""
    title = _TITLE.search(text)
    root = lxml.html.fromstring("<html><head><title></title></head><body></body></html>")
    if title:
        root.find("head/title").text = _UNWANTED.sub("", html.unescape(" ".join(title.group(1).split())))
    body = root.find("body")
    for block in _text_only(_BLOCK_TAG.sub("\n\n", _HEAD.sub(" ", text, count=1)), None):
        paragraph = etree.SubElement(body, "p")
        paragraph.text = _UNWANTED.sub("", block_text(block))
    return root


def parse_xml(data: bytes) -> etree._Element:
    """A package file (an EPUB's container or OPF) parsed as XML with nothing expanded or fetched."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    text = _DOCTYPE.sub("", _XML_DECLARATION.sub("", text, count=1), count=1)
    try:
        return etree.fromstring(text.encode("utf-8"), _xml_parser())
    except etree.XMLSyntaxError:
        recovering = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=True)
        root = etree.fromstring(text.encode("utf-8"), recovering)
        if root is None:
            raise
        return root


def body_of(root: etree._Element) -> etree._Element:
    """A document's ``<body>`` (or the root when it has none)."""
    for element in root.iter():
        if local_name(element) == "body":
            return element
    return root


# Site furniture: by tag, or by a class or id naming it (comment sections, menus, sharing).
FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "menu"})
FURNITURE_NAMES = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|sidebar|footer|header|masthead|comments?|comment-list|"
    r"respond|share|sharing|social|related|breadcrumbs?|banner|cookie|advert|ads|widget|skip-link)(?:$|[\s_-])",
    re.IGNORECASE,
)

def is_furniture(element: etree._Element) -> bool:
    """Whether an element is a site's menus, header, footer, sidebar or comment section."""
    if local_name(element) in FURNITURE_TAGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"
    return bool(FURNITURE_NAMES.search(names))


def text_of(element: etree._Element) -> str:
    """An element's text with its spaces collapsed; scripts, styles and media left out."""
    parts: list[str] = []

    def collect(node: etree._Element) -> None:
        name = local_name(node)
        if name in DROPPED:
            return
        parts.append(" " if name == "br" or name in BLOCKS else "")
        parts.append(node.text or "")
        for child in node:
            collect(child)
            parts.append(child.tail or "")

    collect(element)
    return " ".join("".join(parts).split())


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
