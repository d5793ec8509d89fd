"""Render the print interior in parts, one worker process per core, and join them into one PDF.

Every section opens on a right-hand page, so a part that starts with a section lays out exactly
as it would inside the whole book, whatever page it starts on: only its folios, and the
contents page's numbers, depend on what comes before. So each section is rendered once, on its
own, in parallel and cached by its content; its folios are left out and stamped on afterwards
from sheets of numbered pages, once every part's page count is known; the contents is rendered
last, told the page numbers it lists. pdf_join puts the parts together with one outline,
one set of named destinations and one tag tree, as a single pass would write them.
"""

from __future__ import annotations

import atexit
import dataclasses
import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, NamedTuple

from bookbuild import progress
from bookbuild.assets import asset_path
from bookbuild.cache import PartCache
from bookbuild.config import BuildConfig
from bookbuild.model import Book, block_text
from bookbuild.pages import PageMap, PageStart
from bookbuild.render.xhtml import shown_sections
from bookbuild.verify.outputs import PageText, page_texts, remember_joined
from bookbuild.writers.pdf import gutter as pdf_gutter
from bookbuild.writers.pdf.balance import balanced
from bookbuild.writers.pdf.geometry import GUTTERS, PageGeometry, page_geometry
from bookbuild.writers.pdf.identity import write_pinned
from bookbuild.writers.pdf.join import PageInfo, Part, join_parts
from bookbuild.writers.pdf.loader import load_weasyprint
from bookbuild.writers.pdf.pagemap import page_map_from_document
from bookbuild.writers.pdf.print_html import book_html
from bookbuild.writers.pdf.render import pdf_options, render_html, stylesheet

# The margin box that holds the folio (print.css); the parts leave it out, the folio layer adds it.
FOLIO_BOX = "@bottom-center"
# 0.75 PDF points per CSS pixel, as WeasyPrint writes at zoom 1.
SCALE = 0.75
UNDATED = "2000-01-01T00:00:00Z"
# Below these a single pass is as quick as starting workers and joining parts.
MIN_SECTIONS = 2
MIN_WORDS = 20_000
# Folios are printed on sheets of this many pages (an even number: each sheet opens on a right page).
# The sheets are laid out after every part (the page count must be known), while the other workers
# wait: 128 pages share a 200-page novel's folios between two workers (one sheet of 256 took them
# one core for a second), at about 50 ms more per extra sheet.
FOLIO_SHEET = 128
# The last sheet stops at the book's last page, rounded up to this many (even) pages: a whole
# sheet of 256 numbered pages cost a 100-page book more layout than its own text. Rounding keeps
# the sheet, and its cache entry, the same while an edit adds or takes away a page or two.
FOLIO_STEP = 32
# About this many words make a part: a dozen pages or more, so a part's fixed cost (a document,
# a font subset) stays small beside its layout, and an edit re-renders little of the book.
PART_WORDS = 4_000


class Request(NamedTuple):
    """A part wanted: its HTML and CSS, whether it ends with a closing opening, and its kind."""

    markup: str
    css: str
    closed: bool
    kind: str  # "section", "front", "contents" or "folios"


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One part to lay out and write: its HTML, the stylesheet, where the PDF goes."""

    markup: str
    css: str
    options: dict[str, Any]
    path: str
    closed: bool  # ends with an empty opening whose page is dropped
    folio_layer: bool  # a layer of folios, which keeps them, rather than a part, which leaves them out
    page_starts: bool  # find where each page begins in the book, for the EPUB's page list


def _page_info(page) -> PageInfo:
    """What the joiner needs to know about a page, read before its folio is taken off."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    folio = any(
        isinstance(child, boxes.MarginBox) and child.at_keyword == FOLIO_BOX and child.children
        for child in box.children
    )
    anchors = tuple(
        (name, x * SCALE, (page.height - y) * SCALE) for name, (x, y, *_rest) in page.anchors.items()
    )
    bookmarks = tuple((level, label, (x, y), state) for level, label, (x, y), state in page.bookmarks)
    return PageInfo(page.height, box.page_type.blank, folio, bookmarks, anchors)


# The book being rendered: forked workers inherit it, to find where their pages begin in it.
_book: Book | None = None


def render_part(job: RenderJob) -> dict[str, Any]:
    """Lay out one part and write it without folios to ``job.path``; returns its description."""
    from weasyprint.formatting_structure import boxes

    adjustments: list[dict[str, Any]] = []
    if job.page_starts:  # a part of the book's sections: its spreads are levelled
        document, adjustments = balanced(job.markup, job.css, render_html)
    else:
        document = render_html(job.markup, job.css)
    pages = document.pages[:-1] if job.closed else document.pages
    infos = [_page_info(page) for page in pages]
    starts = []
    if job.page_starts and _book is not None:

        # Labels count from the part's first page; the joiner adds the part's first page number.
        starts = [dataclasses.asdict(start) for start in page_map_from_document(_book, document.copy(pages)).starts]
    for page in () if job.folio_layer else pages:
        box = page._page_box
        box.children = [c for c in box.children if not (isinstance(c, boxes.MarginBox) and c.at_keyword == FOLIO_BOX)]
    # Links to other parts are kept: WeasyPrint writes them as named destinations, which the
    # joined file defines; it drops links whose anchor it cannot see, so it is shown a stand-in.
    known = {name for page in pages for name in page.anchors}
    for page in pages:
        for link_type, target, *_rest in page.links:
            if link_type == "internal" and target not in known:
                pages[-1].anchors[target] = (0, 0, 0, 0)
                known.add(target)
    partial = Path(f"{job.path}.{os.getpid()}.part")  # two builds may render the same part at once
    write_pinned(document.copy(pages), partial, **job.options)
    os.replace(partial, job.path)
    # The part's text layer, read now and cached with it, so the nothing-lost check of the
    # joined book reads only what was rendered in this build (verify.outputs.pdf_words).
    texts = [] if job.folio_layer else [dataclasses.astuple(text) for text in page_texts(Path(job.path))]
    return {"pages": [info.to_data() for info in infos], "starts": starts, "texts": texts, "balance": adjustments}


def folio_sheets(total: int) -> list[tuple[int, int]]:
    """The folio sheets a book of ``total`` pages needs: each one's first number and page count."""
    return [(first, min(FOLIO_SHEET, FOLIO_STEP * math.ceil((total - first + 1) / FOLIO_STEP)))
            for first in range(1, total + 1, FOLIO_SHEET)]


def folio_markup(first: int, count: int, lang: str) -> str:
    """A sheet of folios: ``count`` empty pages numbered from ``first``."""
    leaves = "".join(f'<div class="leaf" data-folio="{number}"></div>' for number in range(first, first + count))
    return f'<!DOCTYPE html>\n<html lang="{lang}"><body>{leaves}</body></html>'


def _run(pool: Executor | None, jobs: list[RenderJob], done: Callable[[], None],
         ahead: Callable[[dict[int, dict[str, Any]]], list[RenderJob]] | None = None,
         ) -> tuple[list[dict[str, Any]], list[tuple[RenderJob, dict[str, Any]]]]:
    """Each job's result, in order; and the jobs ``ahead`` gave with theirs.

    Once a worker would idle (every job started, some still running), ``ahead(finished)`` is
    asked, once, for jobs worth laying out on it now (the folio sheets, from the page count the
    parts laid out so far promise), by the finished jobs' results.
    """
    if pool is None:
        results = []
        for job in jobs:
            results.append(render_part(job))
            done()
        return results, []
    from concurrent.futures import FIRST_COMPLETED, wait

    futures = {pool.submit(render_part, job): index for index, job in enumerate(jobs)}
    finished: dict[int, dict[str, Any]] = {}
    extra: list[tuple[RenderJob, Any]] = []
    running = set(futures)
    asked = ahead is None
    while running:
        completed, running = wait(running, return_when=FIRST_COMPLETED)
        for future in completed:
            finished[futures[future]] = future.result()
            done()
        if not asked and running and len(jobs) - len(finished) < workers():
            asked = True
            extra = [(job, pool.submit(render_part, job)) for job in ahead(dict(finished))]
    return [finished[index] for index in range(len(jobs))], [(job, future.result()) for job, future in extra]


class PartRenderer:
    """Renders parts through the cache, the missing ones together on the worker pool."""

    def __init__(self, cache: PartCache, pool: Executor | None, options: dict[str, Any]) -> None:
        self.cache = cache
        self.pool = pool
        self.options = options
        self.texts: dict[Path, list[PageText]] = {}  # every part's pages' words, by the part's PDF
        self.adjustments: list[dict[str, Any]] = []  # the balancer's changes, every part's

    def render(self, requests: list[Request], stage: str,
               ahead: Callable[[list[int | None]], list[Request]] | None = None) -> list[Part]:
        """The parts requested, taken from the cache or rendered.

        ``ahead(pages)``, given each request's page count (None while it is still laid out),
        names parts worth laying out on a worker the last requests leave idle; they go to the
        cache, for a later call to find.
        """
        options = repr(sorted(self.options.items()))
        keys = [self._key(r, options) for r in requests]
        found = [self.cache.load(key) for key in keys]
        missing = [i for i, data in enumerate(found) if data is None]
        # Longest parts first, so the pool is not left waiting on one long part at the end.
        missing.sort(key=lambda i: -len(requests[i].markup))
        jobs = [self._job(requests[i], keys[i]) for i in missing]
        early: dict[str, str] = {}  # a job's path -> its key, for the parts laid out ahead

        def more(finished: dict[int, dict[str, Any]]) -> list[RenderJob]:
            pages: list[int | None] = [None if data is None else len(data["pages"]) for data in found]
            for position, data in finished.items():
                pages[missing[position]] = len(data["pages"])
            wanted = []
            for request in ahead(pages):
                key = self._key(request, options)
                if key not in keys and key not in early.values() and self.cache.load(key) is None:
                    job = self._job(request, key)
                    early[job.path] = key
                    wanted.append(job)
            return wanted

        with progress.stage(stage, len(jobs)) as advance:
            results, extra = _run(self.pool, jobs, advance, more if ahead else None)
        for i, data in zip(missing, results, strict=True):
            self.cache.store(keys[i], data, requests[i].kind)
            found[i] = data
        for job, data in extra:
            self.cache.store(early[job.path], data, "folios" if job.folio_layer else "section")
        if any(r.kind == "section" for r in requests):
            self.adjustments = [change for data in found for change in data.get("balance", ())]
        for key, data in zip(keys, found, strict=True):
            self.texts[self.cache.pdf_path(key)] = [PageText(tuple(w), d, n) for w, d, n in data["texts"]]
        return [Part(self.cache.pdf_path(key), tuple(PageInfo.from_data(p) for p in data["pages"]),
                     tuple(data.get("starts", ())))
                for key, data in zip(keys, found, strict=True)]

    def _key(self, request: Request, options: str) -> str:
        return self.cache.key(request.markup, request.css, str(request.closed), options)

    def _job(self, request: Request, key: str) -> RenderJob:
        return RenderJob(request.markup, request.css, self.options, str(self.cache.prepare(key)), request.closed,
                         request.kind == "folios", request.kind == "section")


# A build asks a book's length six times (whether to split it, how, the gutter's first guess,
# for the page list and again for the PDF); a 100,000-word book takes 10 ms to count.
_counted: list[tuple[Book, int]] = []


def word_count(book: Book) -> int:
    """The book's words (kept for the last book asked about)."""
    for counted_book, count in _counted:
        if counted_book is book:
            return count
    count = sum(len(block_text(block).split()) for section in book.sections for block in section.blocks)
    _counted[:] = [(book, count)]
    return count


def block_count(book: Book) -> int:
    """The book's text blocks (paragraphs, headings, breaks): each takes a line at least."""
    return sum(len(section.blocks) for section in book.sections)


def _starts(parts: list[Part]) -> list[int]:
    """The first page number of each part."""
    starts, page = [], 1
    for part in parts:
        starts.append(page)
        page += len(part.pages)
    return starts


def _contents_pages(front_count: int, body: list[Part]) -> dict[str, int]:
    """The page number of every anchor in the body, for the contents page."""
    numbers: dict[str, int] = {}
    for start, part in zip(_starts(body), body, strict=True):
        for index, info in enumerate(part.pages):
            for name, _x, _y in info.anchors:
                numbers.setdefault(name, front_count + start + index)
    return numbers


def plan_parts(book: Book) -> list[range]:
    """Runs of consecutive sections rendered together: a power of two of them, near PART_WORDS.

    The run length depends only on the average section length, rounded to a power of two, so
    editing a chapter almost never moves the other parts' boundaries (and their cache entries).
    """
    count = len(shown_sections(book))
    average = max(1, word_count(book) // max(1, count))
    size = 2 ** max(0, round(math.log2(max(1.0, PART_WORDS / average))))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _with_closer(markup: str) -> str:
    end = markup.rindex("</body>")
    return markup[:end] + '<section class="part-end"></section>' + markup[end:]


def _front_pieces(markup: str) -> tuple[str, str | None]:
    """The front matter split in two: the title and copyright pages, and the contents (if any).

    The contents opens on a right-hand page, so it is a part of its own: the build date on the
    copyright page changes with every edit, the contents' numbers only when pages move.
    """
    from lxml import html as lxml_html

    pieces = []
    for keep in ("section", "nav"):
        root = lxml_html.document_fromstring(markup)
        body = root.find("body")
        for element in list(body):
            if element.tag != keep:
                body.remove(element)
        pieces.append(lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode") if len(body) else None)
    return pieces[0], pieces[1]


def _likely_total(requests: list[Request], pages: list[int | None]) -> int:
    """The book's page count as the parts laid out so far promise it: a part still being laid
    out takes as many pages per character of markup as the finished sections did."""
    done = [(len(r.markup), count) for r, count in zip(requests, pages, strict=True)
            if count is not None and r.kind == "section"]
    per_character = sum(count for _size, count in done) / max(1, sum(size for size, _count in done))
    return sum(count if count is not None else math.ceil(len(r.markup) * per_character)
               for r, count in zip(requests, pages, strict=True))


def _render_layout(book: Book, cfg: BuildConfig, geometry: PageGeometry, renderer: PartRenderer):
    """The parts at one geometry: front matter parts, body parts, and the folio layers' CSS."""

    css = stylesheet(geometry, book, cfg)
    parts_css = css + asset_path("css/print-parts.css").read_text(encoding="utf-8")
    folio_css = css + asset_path("css/print-folios.css").read_text(encoding="utf-8")
    runs = plan_parts(book)
    # The build date changes with every edit but shows only on the copyright page and in the
    # file's metadata, both the title part's: the others leave it out, so an edit keeps their keys.
    undated = dataclasses.replace(book, meta=dataclasses.replace(book.meta, modified=UNDATED))
    requests = []
    for number, run in enumerate(runs):
        markup = book_html(undated, cfg.drop_caps, front=False, indexes=run)
        closed = number < len(runs) - 1
        requests.append(Request(_with_closer(markup) if closed else markup, parts_css, closed, "section"))
    titles, _contents = _front_pieces(book_html(book, cfg.drop_caps, indexes=range(0)))
    requests.append(Request(_with_closer(titles), parts_css, True, "front"))
    # The contents' length barely depends on the numbers it shows: a draft with zeros gives it,
    # and the contents is rendered again if the real numbers made it longer.
    _titles, draft = _front_pieces(book_html(undated, cfg.drop_caps, indexes=range(0), contents_pages={}))
    if draft is not None:
        requests.append(Request(_with_closer(draft), parts_css, True, "contents"))
    lang = book.meta.language or "en"

    def folios_ahead(pages: list[int | None]) -> list[Request]:
        return [Request(folio_markup(first, count, lang), folio_css, False, "folios")
                for first, count in folio_sheets(_likely_total(requests, pages))]

    rendered = renderer.render(requests, "PDF: laying out sections", folios_ahead)
    body, front = rendered[: len(runs)], rendered[len(runs) :]
    if draft is None:
        return front, body, folio_css
    for _ in range(3):
        front_count = sum(len(part.pages) for part in front)
        numbers = _contents_pages(front_count, body)
        _titles, final = _front_pieces(book_html(undated, cfg.drop_caps, indexes=range(0), contents_pages=numbers))
        contents = renderer.render([Request(_with_closer(final), parts_css, True, "contents")], "PDF: contents")[0]
        if len(contents.pages) == len(front[1].pages):
            break
        front = [front[0], contents]
    return [front[0], contents], body, folio_css


@contextmanager
def _pool(book: Book, workers: int) -> Iterator[Executor | None]:
    """Worker processes forked with the book (and WeasyPrint) already in memory; None for one."""
    global _book
    load_weasyprint()  # imported once here, the forked workers have it at no cost

    _book = book
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork")) if workers > 1 else None
    try:
        yield pool
    finally:
        if pool is not None:
            pool.shutdown()
        _book = None


# Inside one_build(): the last layout, so the EPUB's page list and the PDF of one build share it.
_kept: list[tuple[Book, BuildConfig, Path, tuple[list[Part], str, dict[Path, list[PageText]], list]]] | None = None


@contextmanager
def one_build() -> Iterator[None]:
    """Within the block a book's parts are laid out once: a later use takes them as they are.

    Even when every part is cached, finding them means writing the whole book's print HTML
    (its key), which cost a 100,000-word rebuild as much as laying out the edited chapter.
    """
    global _kept
    outer = _kept
    _kept = [] if outer is None else outer
    try:
        yield
    finally:
        _kept = outer


def _lay_out(book: Book, cfg: BuildConfig, renderer: PartRenderer) -> tuple[list[Part], str]:
    """Every part at the gutter the book settles on (gutter.py), and the folio sheets' CSS."""
    for kept_book, kept_cfg, folder, (parts, folio_css, texts, changes) in _kept or ():
        if kept_book is book and kept_cfg == cfg and folder == renderer.cache.folder:
            renderer.texts.update(texts)
            renderer.adjustments = list(changes)
            return list(parts), folio_css
    parts, folio_css = _laid_out(book, cfg, renderer)
    if _kept is not None:
        _kept[:] = [(book, cfg, renderer.cache.folder,
                     (list(parts), folio_css, dict(renderer.texts), list(renderer.adjustments)))]
    return parts, folio_css


def _laid_out(book: Book, cfg: BuildConfig, renderer: PartRenderer) -> tuple[list[Part], str]:
    probe = page_geometry(cfg, GUTTERS[0][1])
    layouts: dict[float, tuple[list[Part], list[Part], str]] = {}

    def page_count(gutter: float) -> int:
        layouts[gutter] = _render_layout(book, cfg, page_geometry(cfg, gutter), renderer)
        front, body, _css = layouts[gutter]
        return sum(len(part.pages) for part in (*front, *body))

    guess = pdf_gutter.guess(word_count(book), probe, pdf_gutter.font_pt(probe.width), block_count(book))
    front, body, folio_css = layouts[pdf_gutter.settle(guess, probe, page_count)]
    return [*front, *body], folio_css


def write_parallel(book: Book, target: Path, cfg: BuildConfig, cache: PartCache, workers: int) -> None:
    """Write the print interior of ``book`` to ``target``, rendered in parts on ``workers`` processes."""

    with _pool(book, workers) as pool:
        renderer = PartRenderer(cache, pool, pdf_options(cfg.pdf_variant))
        parts, folio_css = _lay_out(book, cfg, renderer)
        # Page n's folio sits where every page n's does (odd pages are right-hand pages), so the
        # folios are printed on sheets of numbered pages that no edit changes, and stamped on.
        total = sum(len(part.pages) for part in parts)
        lang = book.meta.language or "en"
        # Usually laid out already, while the last parts were (_render_layout's folios_ahead).
        sheets = [Request(folio_markup(first, count, lang), folio_css, False, "folios")
                  for first, count in folio_sheets(total)]
        folios = [sheet.path for sheet in renderer.render(sheets, "PDF: folios")]
    with progress.stage("PDF: joining parts", 1) as advance:
        join_parts(parts, folios, FOLIO_SHEET, target)
        advance()
    texts = [text for part in parts for text in renderer.texts[part.path]]
    infos = [info for part in parts for info in part.pages]
    blanks = [i for i, info in enumerate(infos) if info.blank]
    if len(infos) % 2 and blanks and blanks[0] < len(texts):  # the page the joiner adds, as it adds it
        texts.append(texts[blanks[0]])
    remember_joined(target, texts)


def page_map(book: Book, cfg: BuildConfig) -> PageMap:
    """Where each printed page begins, for the EPUB's page list, from the parts (rendered or cached)."""

    with _pool(book, part_workers(cfg)) as pool:
        parts, _css = _lay_out(book, cfg, PartRenderer(session_cache(cfg), pool, pdf_options(cfg.pdf_variant)))
    starts = []
    for first, part in zip(_starts(parts), parts, strict=True):
        for start in part.starts:
            starts.append(PageStart(**{**start, "label": str(first + int(start["label"]) - 1)}))
    infos = [info for part in parts for info in part.pages]
    padded = len(infos) % 2 == 1 and any(info.blank for info in infos)  # as the joiner pads
    return PageMap(tuple(starts), len(infos) + padded)


def adjustments(book: Book, cfg: BuildConfig) -> list[dict[str, Any]]:
    """The balancer's paragraph changes in every part (rendered or cached)."""
    with _pool(book, workers()) as pool:
        renderer = PartRenderer(session_cache(cfg), pool, pdf_options(cfg.pdf_variant))
        _lay_out(book, cfg, renderer)
    return renderer.adjustments


def worth_it(book: Book) -> bool:
    """Whether to render in parts: for books long enough that the parts' overhead pays off."""
    return len(shown_sections(book)) >= MIN_SECTIONS and word_count(book) >= MIN_WORDS


def workers() -> int:
    """One worker process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def part_workers(cfg: BuildConfig) -> int:
    """Processes to lay a book's parts out on: ``cfg.pdf_workers`` (a shelf sets 1), else one per core."""
    return cfg.pdf_workers if cfg.pdf_workers > 0 else workers()


_temporary: PartCache | None = None


def session_cache(cfg: BuildConfig) -> PartCache:
    """The cache for this build: the shared one, or under --no-cache one for this process only."""
    global _temporary
    if cfg.use_cache:
        return PartCache()
    if _temporary is None:
        _temporary = PartCache(enabled=False)
        atexit.register(_temporary.close)
    return _temporary


def write_cached(book: Book, target: Path, cfg: BuildConfig) -> None:
    """Render in parts through the cache (a temporary one under ``--no-cache``), on every core."""
    cache = session_cache(cfg)
    write_parallel(book, target, cfg, cache, part_workers(cfg))
    cache.prune()
