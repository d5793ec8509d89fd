"""Join PDF parts rendered apart into one interior, with pikepdf: pages, folios, tags, destinations, outline.

The first part is the front matter; its catalogue (metadata, output intent, language) is the
book's. WeasyPrint writes internal links as named destinations, so once the names are defined
for the whole book every link finds its page; the outline is rebuilt from every part's bookmarks
with WeasyPrint's own nesting rule, and the parts' tag trees are hung under one document element.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bookbuild.writers.pdf.identity import pin_metadata_id, place_form

if TYPE_CHECKING:  # pikepdf is imported where parts are joined: a one-pass build never needs it
    import pikepdf
    from pikepdf import Array, Dictionary

SCALE = 0.75


@dataclass(frozen=True, slots=True)
class PageInfo:
    """One page of a part: its height (CSS px), whether it is blank or carries a folio, its
    bookmarks ``(level, label, (x, y), state)`` in CSS px and its anchors ``(name, x, y)`` in points."""

    height: float
    blank: bool
    folio: bool
    bookmarks: tuple
    anchors: tuple

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form, for the cache."""
        return {
            "height": self.height,
            "blank": self.blank,
            "folio": self.folio,
            "bookmarks": [list(b) for b in self.bookmarks],
            "anchors": [list(a) for a in self.anchors],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PageInfo:
        """The page described by :meth:`to_data`'s output."""
        bookmarks = tuple(
            (level, label, tuple(point), state) for level, label, point, state in data["bookmarks"]
        )
        return cls(
            data["height"], data["blank"], data["folio"], bookmarks, tuple(tuple(a) for a in data["anchors"])
        )


@dataclass(frozen=True, slots=True)
class Part:
    """A rendered part: its PDF, the description of its pages, and where its pages begin in the
    book (page-list entries as dictionaries, labelled from 1 at the part's first page)."""

    path: Path
    pages: tuple[PageInfo, ...]
    starts: tuple[dict, ...] = ()


class _Stub:
    """A page as WeasyPrint's bookmark-tree builder reads it."""

    def __init__(self, info: PageInfo) -> None:
        self.height = info.height
        self.bookmarks = [(level, label, point, state) for level, label, point, state in info.bookmarks]


def bookmark_tree(infos: Sequence[PageInfo]) -> list:
    """The outline of the joined pages, nested exactly as WeasyPrint nests one document's."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list = []
    skipped: list[int] = []
    last_by_depth: list = [root]
    previous = 0
    for number, info in enumerate(infos):
        matrix = Matrix(a=SCALE, d=-SCALE, f=info.height * SCALE)
        previous = make_page_bookmark_tree(_Stub(info), skipped, last_by_depth, previous, number, matrix)
    return root


def _outline_items(pdf: pikepdf.Pdf, tree: list) -> list[pikepdf.OutlineItem]:
    import pikepdf
    from pikepdf import Array, Name

    items = []
    for title, (page, x, y), children, state in tree:
        destination = Array([pdf.pages[page].obj, Name.XYZ, x, y, 0])
        item = pikepdf.OutlineItem(title, destination)
        item.children.extend(_outline_items(pdf, children))
        item.is_closed = state == "closed"
        items.append(item)
    return items


def _copy(pdf: pikepdf.Pdf, obj):
    """``obj`` of another PDF in ``pdf``: indirect objects through pikepdf, direct arrays item by item."""
    import pikepdf
    from pikepdf import Array

    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return pdf.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_copy(pdf, item) for item in obj])
    return obj


class _Tags:
    """The joined tag tree: each part's top elements go under the front matter's document element."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        root = pdf.Root.get("/StructTreeRoot")
        self.document = root.K[0] if root is not None else None
        self.nums = root.ParentTree.Nums if root is not None else None
        self.next_key = self._end(self.nums) if root is not None else 0

    @staticmethod
    def _end(nums) -> int:
        return max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1

    def add(self, pdf: pikepdf.Pdf, source: pikepdf.Pdf, pages: Sequence[pikepdf.Page]) -> None:
        from pikepdf import Dictionary

        root = source.Root.get("/StructTreeRoot")
        if self.document is None or root is None:
            return
        base = self.next_key
        # One copy each of the part's document element and parent tree (both indirect), which
        # brings every element under them along in a single call.
        document = _copy(pdf, root.K[0]) if root.K[0].is_indirect else Dictionary(K=_copy(pdf, root.K[0].K))
        for kid in document.K:
            kid.P = self.document
            self.document.K.append(kid)
        parent_tree = root.ParentTree
        nums = _copy(pdf, parent_tree).Nums if parent_tree.is_indirect else _copy(pdf, parent_tree.Nums)
        for i in range(0, len(nums), 2):
            self.nums.append(int(nums[i]) + base)
            self.nums.append(nums[i + 1])
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + base
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + base
        self.next_key = base + self._end(nums)


def _destinations(pdf: pikepdf.Pdf, infos: Sequence[PageInfo]) -> Dictionary:
    from pikepdf import Array, Dictionary, Name, String

    names: dict[str, Array] = {}
    for number, info in enumerate(infos):
        for name, x, y in info.anchors:
            if name not in names:
                names[name] = Array([pdf.pages[number].obj, Name.XYZ, x, y, 0])
    flat = Array()
    for name in sorted(names):
        flat.append(String(name))
        flat.append(names[name])
    return Dictionary(Names=flat)


def join_parts(parts: Sequence[Part], folios: Sequence[Path], sheet: int, target: Path) -> None:
    """Join the parts (front matter first) into one PDF at ``target``, stamping each page that
    has a folio with page n of the folio sheets (``sheet`` pages each, numbered from 1)."""
    import pikepdf
    from pikepdf import Dictionary

    sources: list[pikepdf.Pdf] = []
    try:
        pdf = pikepdf.open(parts[0].path)
        sources.append(pdf)
        tags = _Tags(pdf)
        for part in parts[1:]:
            source = pikepdf.open(part.path)
            sources.append(source)
            start = len(pdf.pages)
            with warnings.catch_warnings():
                # pikepdf warns that named destinations are not carried over: they are rebuilt below.
                warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
                pdf.pages.extend(source.pages)
            tags.add(pdf, source, pdf.pages[start:])
        infos = [info for part in parts for info in part.pages]
        layers = [pikepdf.open(path) for path in folios]
        sources.extend(layers)
        for number, info in enumerate(infos):
            if info.folio:
                page = pdf.pages[number]
                folio = pdf.copy_foreign(layers[number // sheet].pages[number % sheet].as_form_xobject())
                place_form(page, folio, f"Folio{number}", pikepdf.Rectangle(page.trimbox))
        # A printed leaf has two sides: an odd count ends with a copy of a blank page, as in one pass.
        blanks = [i for i, info in enumerate(infos) if info.blank]
        if len(infos) % 2 and blanks:
            pdf.pages.append(pdf.pages[blanks[0]])
            infos.append(infos[blanks[0]])
        if "/Names" not in pdf.Root:
            pdf.Root.Names = Dictionary()
        pdf.Root.Names.Dests = _destinations(pdf, infos)
        if "/Outlines" in pdf.Root:
            del pdf.Root["/Outlines"]
        with pdf.open_outline() as outline:
            outline.root.extend(_outline_items(pdf, bookmark_tree(infos)))
        pin_metadata_id(pdf, (Path(part.path) for part in parts))
        # A deterministic /ID: the same parts always join into the same bytes.
        pdf.save(target, min_version=pdf.pdf_version, compress_streams=True, deterministic_id=True)
    finally:
        for source in sources:
            source.close()
