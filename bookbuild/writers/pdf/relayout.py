"""Lay a document out again after a few paragraphs changed, re-making only the pages they touch.

The spread balancer (balance.py) changes a few paragraphs between its rounds: a hair of
tracking, a raised ``widows``, a span that keeps one word whole. Laying the whole book out
again for that cost a 40-page story four layouts. WeasyPrint already knows how to do less: for
every page it keeps the state the page starts from (where in the box tree it begins, the
counters, which side it falls on), and it re-makes only the pages flagged as changed, then
every following page whose starting state comes out different. It uses this for page-based
counters; here the pages that hold a changed paragraph are flagged, and the layout falls back
into step with the old one as soon as a page starts where it started before.

That is sound because a change never alters the shape of the box tree outside the changed
paragraph, and where a page's state points inside a changed paragraph, that page is re-made
too. What it cannot redo safely it does not try: if a section starts on another page (the
contents' page numbers and the running heads would be stale) or the page count changes, the
caller lays the whole document out again. tests/test_relayout.py holds the result to a full
layout of the same markup, page by page and line by line.

WeasyPrint has no public API for this: it calls its layout internals, written against
WeasyPrint 70 (pyproject.toml pins the major version).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bookbuild.writers.pdf.line_breaks import break_ahead

# WeasyPrint loops its pagination until no page is flagged; the same bound as its own.
MAX_LOOPS = 8


@dataclass(frozen=True, slots=True)
class Reuse:
    """An earlier layout to start from, and how the markup laid out now differs from it."""

    document: Any
    pages: frozenset[int]  # the pages holding a paragraph set differently
    # Each differing paragraph's own CSS declarations, as its style attribute in the markup
    # holds them (property -> value: a length in em or a whole number; one left out is the
    # stylesheet's); None when a change reshapes a paragraph (a word kept whole), which needs
    # the markup parsed again.
    restyled: dict[tuple[str, int], dict[str, str]] | None = None


@dataclass(slots=True)
class _Kept:
    """What a layout keeps for the next one: its context (the page states), its box tree, the
    footnotes before any was placed, and each paragraph's block boxes by (section id, index)."""

    context: Any
    root_box: Any
    html: Any
    footnotes: list
    paragraphs: dict[tuple[str, int], list]
    # Each restyled paragraph's computed values before it was first restyled, by property.
    natural: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)


def _options(sheet) -> dict[str, Any]:
    from weasyprint import DEFAULT_OPTIONS

    return {**DEFAULT_OPTIONS, "stylesheets": [sheet]}


def local_tag(element) -> str:
    """An element's tag without its namespace ('' for a comment or processing instruction)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def section_paragraphs(root) -> Iterator[tuple[Any, str, list]]:
    """Every section with an id, its id and its paragraphs in order: the balancer's numbering."""
    for section in root.iter():
        if local_tag(section) == "section" and section.get("id"):
            yield section, section.get("id"), [p for p in section.iter() if local_tag(p) == "p"]


def _paragraph_boxes(root_box, html) -> dict[tuple[str, int], list]:
    """Each paragraph's block boxes, keyed as the balancer keys paragraphs."""
    from weasyprint.formatting_structure import boxes

    keys: dict[int, tuple[str, int]] = {}
    for _section, sid, paragraphs in section_paragraphs(html.etree_element):
        keys.update({id(p): (sid, index) for index, p in enumerate(paragraphs)})
    found: dict[tuple[str, int], list] = {}
    for box in root_box.descendants():
        if isinstance(box, boxes.BlockBox) and id(box.element) in keys and box.element_tag == "p":
            found.setdefault(keys[id(box.element)], []).append(box)
    return found


def _prepared(html, sheet, fonts, profiles):
    from weasyprint.css.counters import CounterStyle
    from weasyprint.document import Document
    from weasyprint.formatting_structure.build import build_formatting_structure

    counter_style = CounterStyle()
    context = Document._build_layout_context(html, fonts, counter_style, profiles, _options(sheet))
    root_box = build_formatting_structure(
        html.etree_element, context.style_for, context.get_image_from_uri, html.base_url,
        context.target_collector, counter_style, context.footnotes)
    return _Kept(context, root_box, html, context.footnotes.copy(), _paragraph_boxes(root_box, html))


def _document(pages, kept: _Kept, fonts, profiles, sheet):
    from weasyprint.document import Document, DocumentMetadata
    from weasyprint.html import get_html_metadata

    html = kept.html
    document = Document(pages, DocumentMetadata(**get_html_metadata(html)), html.url_fetcher, fonts, profiles,
                        _options(sheet)["output_intent"])
    document._html = html
    document.bookbuild_layout = kept
    return document


def layout(html, sheet, fonts, profiles, fork: Callable | None = None):
    """Lay ``html`` out as ``HTML.render`` does, keeping what a relayout starts from (its later
    paragraphs' lines broken ahead in another process when ``fork`` is given: line_breaks.py)."""
    from weasyprint.document import Page
    from weasyprint.layout import layout_document

    kept = _prepared(html, sheet, fonts, profiles)
    if fork is not None:
        paragraphs = [found[0] for found in kept.paragraphs.values()]
        break_ahead(kept.root_box, paragraphs, lambda: _pages_once(html, kept.root_box, kept.context), fork)
    page_boxes = layout_document(html, kept.root_box, kept.context)
    return _document([Page(box) for box in page_boxes], kept, fonts, profiles, sheet)


def _pages_once(html, root_box, context) -> Iterator:
    """The first pagination pass of ``layout_document``, page by page (it yields none until every
    page of every pass is made): what lays every line out once."""
    from weasyprint.layout import initialize_page_maker
    from weasyprint.layout.page import make_all_pages

    initialize_page_maker(context, root_box)
    yield from make_all_pages(context, root_box, html, [])


def _paginate(context, root_box, html, old_boxes: list) -> list:
    """WeasyPrint's pagination loop, starting from the old pages and re-making the flagged ones."""
    from weasyprint.layout.page import make_all_pages

    page_boxes = old_boxes
    for _loop in range(MAX_LOOPS):
        page_boxes = list(make_all_pages(context, root_box, html, page_boxes))
        if not any(state["content_changed"] for *_rest, state in context.page_maker):
            break
    return page_boxes


def _finish_new_pages(context, page_boxes: list, fresh: set[int]) -> None:
    """Running strings, bookmarks and margin boxes, as WeasyPrint's layout_document ends, for
    the re-made pages (the others are finished already)."""
    from weasyprint.layout import layout_fixed_boxes
    from weasyprint.layout.background import layout_backgrounds
    from weasyprint.layout.page import make_margin_boxes

    # A margin box's string() reads the strings set on its page and the pages before it only.
    for index, page in enumerate(page_boxes[: max(fresh, default=-1) + 1]):
        counters = context.page_maker[index + 1][3][1]
        for child in page.descendants():
            if index in fresh and child.missing_link:
                for (box, token), item in context.target_collector.counter_lookup_items.items():
                    if child.missing_link != box or token == "content":
                        continue
                    if token == "bookmark-label" and not child.bookmark_label:
                        continue
                    item.parse_again(counters)
                    if token == "bookmark-label":
                        child.bookmark_label = box.bookmark_label
            for name, text in child.string_set if child.string_set and child.string_set != "none" else ():
                context.string_set[name][index + 1].append(text)
    for index in sorted(fresh):
        page = page_boxes[index]
        root, footnote_area, note_area = page.children
        root.children = [*layout_fixed_boxes(context, page_boxes[:index], page), *root.children,
                         *layout_fixed_boxes(context, page_boxes[index + 1:], page)]
        context.current_page = index + 1
        state = context.page_maker[context.current_page][3]
        children = [root, *([footnote_area] if footnote_area.children else []),
                    *([note_area] if note_area.children else []), *make_margin_boxes(context, page, state)]
        page.children = tuple(children)
        layout_backgrounds(page, context.get_image_from_uri)


def _anchor_pages(document) -> dict[str, int]:
    return {name: index for index, page in enumerate(document.pages) for name in page.anchors}


def relayout(previous, parse: Callable[[], Any], sheet, fonts, profiles, reuse: Reuse):
    """The markup ``parse()`` reads laid out by re-making only the pages ``reuse.pages`` and what follows from them.

    ``previous`` is the layout of the same markup before a few paragraphs changed. Where the
    changes only restyle paragraphs, the previous box tree is restyled in place and the markup
    is not even parsed; otherwise it is parsed and styled again. Returns None where only a whole
    layout is right (nothing kept, a section moved, the page count changed).
    """
    kept = getattr(previous, "bookbuild_layout", None)
    if kept is None or not reuse.pages or max(reuse.pages) >= len(previous.pages):
        return None
    if reuse.restyled is not None and _restyle(kept, reuse.restyled):
        context = kept.context
        context.footnotes = kept.footnotes.copy()
        context.string_set.clear()
        context.reported_footnotes = []
        context.current_page_footnotes = []
        context.broken_out_of_flow.clear()
    else:
        fresh_kept = _prepared(parse(), sheet, fonts, profiles)
        fresh_kept.context.page_maker = [(*item[:4], dict(item[4])) for item in kept.context.page_maker]
        kept = fresh_kept
    return _repaginate(previous, kept, set(reuse.pages), fonts, profiles, sheet)


def _restyle(kept: _Kept, restyled: dict[tuple[str, int], dict[str, str]]) -> bool:
    """Set each paragraph's declarations in the kept box tree (False: it cannot be)."""
    for key, declarations in restyled.items():
        found = kept.paragraphs.get(key)
        if not found:
            return False
        natural = kept.natural.setdefault(key, {})
        for box in found:
            if box.element.get("style"):  # set in the markup: its natural values are unknown
                return False
            values = {}
            for name in {*declarations, *natural}:
                prop = name.replace("-", "_")
                natural.setdefault(name, box.style[prop])
                values[prop] = _computed(declarations[name], box.style) if name in declarations else natural[name]
            _set_inherited(box, values)
    return True


def _computed(value: str, style) -> float | int:
    """A declaration's computed value, as WeasyPrint computes it: em in CSS pixels, else a number."""
    if value.endswith("em"):
        return float(value[:-2]) * style["font_size"]
    return int(value)


def _set_inherited(box, values: dict[str, Any]) -> None:
    """Give ``box`` computed values its descendants inherit.

    WeasyPrint shares one style object among elements styled alike (every plain paragraph of
    a chapter), so the paragraph's boxes get copies, each child's pointing at its new parent,
    and the copies below compute the changed properties again from there.
    """
    copies: dict[int, Any] = {}
    for child in box.descendants():
        old = child.style
        if id(old) not in copies:
            new = old.copy()
            if id(new.parent_style) in copies:
                new.parent_style = copies[id(new.parent_style)]
            for name in values:
                new.pop(name, None)
            if child is box:
                new.update(values)
            copies[id(old)] = new
        child.style = copies[id(old)]


def _repaginate(previous, kept: _Kept, changed: set[int], fonts, profiles, sheet):
    from weasyprint.document import Page

    old_pages = previous.pages
    # A page that takes footnotes over from the page before starts from more than its state.
    first = min(changed)
    while first > 0 and _has_footnotes(old_pages[first - 1]):
        first -= 1
    context = kept.context
    for item in context.page_maker:
        item[4].update(content_changed=False, pages_wanted=False)
    for index in changed | {first}:
        context.page_maker[index][4]["content_changed"] = True
    old_boxes = [page._page_box for page in old_pages]
    known = {id(box) for box in old_boxes}
    page_boxes = _paginate(context, kept.root_box, kept.html, old_boxes)
    if len(page_boxes) != len(old_boxes):
        return None
    fresh = {index for index, box in enumerate(page_boxes) if id(box) not in known}
    _finish_new_pages(context, page_boxes, fresh)
    pages = [Page(box) if index in fresh else old_pages[index] for index, box in enumerate(page_boxes)]
    document = _document(pages, kept, fonts, profiles, sheet)
    if _anchor_pages(document) != _anchor_pages(previous):
        return None
    return document


def _has_footnotes(page) -> bool:
    from weasyprint.formatting_structure import boxes

    return any(isinstance(child, boxes.FootnoteAreaBox) and child.children for child in page._page_box.children)


def document_roots(document) -> list:
    """The distinct HTML roots a document's pages were laid out from, in page order (a
    relaid-out document keeps the untouched pages of the layouts before it)."""
    roots: dict[int, Any] = {}
    for page in document.pages:
        for child in page._page_box.children:
            element = getattr(child, "element", None)
            if element is not None and id(element) not in roots:
                roots[id(element)] = element
    return list(roots.values())
