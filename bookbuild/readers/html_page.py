"""Read an HTML page (``.html``, ``.htm``, ``.xhtml``): an Archive of Our Own download or any saved page.

An Archive download is read by :mod:`bookbuild.readers.ao3`. Any other page keeps its
article: elements that are site furniture by their tag or name (navigation, header, footer,
sidebars, comment sections, forms) are set aside, and the article is the deepest element that
still holds most of the page's paragraph text (a page's menus and footers hold little of it).
Its ``h1``–``h3`` become chapters, ``<hr>`` and marker paragraphs scene breaks.
"""

from __future__ import annotations

import re

from lxml import etree

from bookbuild.decisions import Decision
from bookbuild.model import Heading, Note, Role, Section, block_text, first_words
from bookbuild.readers.ao3 import is_archive_download, read_archive
from bookbuild.readers.decode import decode_manuscript
from bookbuild.readers.document import Document
from bookbuild.readers.html import Walker, body_of, is_furniture, local_name, parse_document, text_of

# The article holds at least this share of the page's paragraph text.
ARTICLE_SHARE = 0.8
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)|<\?xml[^>]+encoding=["']([\w-]+)""", re.IGNORECASE)


def decode_page(data: bytes, name: str, decisions: list[Decision]) -> str:
    """A page's text: in the charset it declares when that decodes it, else as any manuscript."""
    match = _CHARSET.search(data[:2048])
    if match:
        charset = (match.group(1) or match.group(2)).decode("ascii")
        try:
            return data.decode(charset).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    decoded = decode_manuscript(data, name)
    for code, message in decoded.warnings:
        decisions.append(Decision("read", code, "warning", message, name))
    return decoded.text


def _paragraph_totals(body: etree._Element, skip: set[int]) -> dict[int, int]:
    """Characters of paragraph text under each element (furniture counts none), in one pass."""
    totals: dict[int, int] = {}

    def walk(element: etree._Element) -> int:
        if id(element) in skip:
            count = 0
        elif local_name(element) == "p":
            count = len(text_of(element))
        else:
            count = sum(walk(child) for child in element if isinstance(child.tag, str))
        totals[id(element)] = count
        return count

    walk(body)
    return totals


def find_article(body: etree._Element) -> tuple[etree._Element, list[etree._Element]]:
    """The element holding the page's story, and the furniture set aside inside it."""
    alive = list(body.iter())  # lxml makes element proxies on demand: ids stay valid only while held
    furniture = [e for e in body.iter() if isinstance(e.tag, str) and e is not body and is_furniture(e)]
    outermost = [e for e in furniture if not any(f in furniture for f in e.iterancestors())]
    totals = _paragraph_totals(body, {id(e) for e in outermost})
    total = totals[id(body)]
    best, best_depth = body, 0
    if total:
        stack = [(body, 0)]
        while stack:
            element, depth = stack.pop()
            if totals.get(id(element), 0) < ARTICLE_SHARE * total:
                continue
            if depth > best_depth:
                best, best_depth = element, depth
            stack.extend((child, depth + 1) for child in element if isinstance(child.tag, str))
    inside = [e for e in outermost if e is best or any(a is best for a in e.iterancestors())]
    del alive
    return best, inside


# What separates a page's own title from its site's name in a browser tab ("Story | Blog").
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|»)\s+")
_META_FIELDS = {"author": "author", "description": "description", "og:title": "title", "dc.title": "title",
                "dc.creator": "author", "og:description": "description", "og:site_name": "site"}


def page_title(title: str, site: str | None, heading: str | None) -> str:
    """A ``<title>`` without its site's name: the part the article's heading or no site name matches."""
    parts = [part for part in _TITLE_SEPARATOR.split(title) if part]
    if len(parts) < 2:
        return title
    folded = {part.casefold(): part for part in parts}
    if heading and heading.casefold() in folded:
        return folded[heading.casefold()]
    if site:
        kept = [part for part in parts if part.casefold() != site.casefold()]
        if kept and len(kept) < len(parts):
            return " – ".join(kept)
    return title


def page_meta(root: etree._Element, heading: str | None = None) -> dict[str, str]:
    """Title, author, description and language a page's head declares."""
    meta: dict[str, str] = {}
    tab_title = ""
    for element in root.iter():
        name = local_name(element)
        if name == "title" and not tab_title:
            # text_of leaves <title> out, as it does everywhere in a page's text: read it directly.
            tab_title = " ".join("".join(element.itertext()).split())
        elif name == "meta":
            key = (element.get("name") or element.get("property") or "").lower()
            value = " ".join((element.get("content") or "").split())
            field = _META_FIELDS.get(key)
            if field and value:
                meta.setdefault(field, value)
    site = meta.pop("site", None)
    if tab_title and "title" not in meta:
        meta["title"] = page_title(tab_title, site, heading)
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta["language"] = lang
    return meta


def read_page(root: etree._Element, walker: Walker, decisions: list[Decision], name: str) -> Document:
    """A saved web page: its article's blocks as one section, and what its head declares."""
    body = body_of(root)
    article, furniture = find_article(body)
    for element in furniture:
        text = text_of(element)
        if text:
            decisions.append(Decision("read", "IN011", "drop", "site furniture (menu, header, footer, comments): dropped",
                                      first_words(text), 0.9, walker.line_of(element), {"text": text}))
        element.getparent().remove(element)
    if article is not body:
        rule = "the page's article: the deepest element holding most of its paragraph text"
        decisions.append(Decision("read", "IN010", "article", rule, first_words(text_of(article)), 0.9, walker.line_of(article)))
        outside = len(text_of(body)) - len(text_of(article))
        if outside > 0:
            decisions.append(Decision("read", "IN011", "drop", f"{outside} characters of the page outside its article: dropped",
                                      "", 0.9, None))
    blocks = walker.blocks(article)
    opening = blocks[0] if blocks and isinstance(blocks[0], Heading) else None
    meta = page_meta(root, block_text(opening) if opening else None)
    for key, value in meta.items():
        decisions.append(Decision("read", "IN012", "metadata", f"the page's <head> → {key}", first_words(value), 0.9, None, {key: value}))
    sections = [Section(Role.CHAPTER, tuple(blocks), line=1)] if blocks else []
    return Document(sections, meta, "a web page")


def warn_dropped(walker: Walker, decisions: list[Decision], name: str) -> None:
    """One warning per kind of media or code the reader left out."""
    for tag, count in sorted(walker.dropped.items()):
        what = ("image" if tag in ("img", "picture", "svg") else f"<{tag}> element") + ("s" if count > 1 else "")
        decisions.append(Decision("read", "IN020", "warning", f"{name}: left out {count} {what} (bookbuild keeps text only)",
                                  tag, 1.0, None, {"tag": tag, "count": count}))


def read_html_page(data: bytes, name: str, decisions: list[Decision], notes: list[Note] | None = None) -> Document:
    """The sections and metadata of an HTML file: an Archive download, or any saved page."""
    problems: list[str] = []
    root = parse_document(decode_page(data, name, decisions), problems)
    decisions.extend(Decision("read", "IN040", "warning", f"{name}: {problem}", name) for problem in problems)
    walker = Walker(lambda element: element.sourceline, quotations=True)
    body = body_of(root)
    if is_archive_download(body):
        document = read_archive(body, walker, decisions, name)
    else:
        document = read_page(root, walker, decisions, name)
        decisions.append(Decision("read", "IN001", "reader", f"{name}: a web page (its article, h1–h3 as chapters)", name))
    warn_dropped(walker, decisions, name)
    return document
