"""Preflight: check a finished interior PDF against the chosen printer's rules, as its upload would.

Each rule is measured from the file itself, never taken from the settings that made it: page
boxes with pikepdf, where every word sits from poppler's text layer (``pdftotext -bbox``), fonts,
colour spaces, transparency and ink from the PDF's objects and content streams.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.errors import BookbuildError
from bookbuild.printers import BLEED, Printer, printer
from bookbuild.writers.pdf.geometry import parse_trim
from bookbuild.writers.pdf.pdfx import content_streams
from bookbuild.writers.pdf.render import CMYK_VARIANTS

POINTS = 72.0
# Measures are compared to a twentieth of a point: boxes and glyph positions are rounded.
TOLERANCE = 0.05
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
_PAGE = re.compile(r"<page width=")


class PreflightError(BookbuildError):
    """The finished PDF breaks a rule of the chosen printer."""


@dataclass(frozen=True, slots=True)
class Check:
    """One rule measured on the file: whether it passed, and what was found."""

    rule: str
    passed: bool
    detail: str


def wanted(cfg: BuildConfig) -> bool:
    """Whether a build has rules to check: a printer was chosen, or PDF/X-1a asked for."""
    return bool(cfg.printer) or cfg.pdf_variant in CMYK_VARIANTS


def preflight(pdf_path: Path, cfg: BuildConfig) -> list[Check]:
    """Every rule of the settings' printer (and PDF variant) measured on ``pdf_path``."""
    import pikepdf

    preset = printer(cfg.printer)
    checks: list[Check] = []
    with pikepdf.open(pdf_path) as pdf:
        checks.append(_page_size(pdf, cfg, preset))
        if preset.min_pages or preset.max_pages:
            checks.append(_page_count(len(pdf.pages), preset))
        checks.append(_fonts_embedded(pdf))
        if preset.image_dpi:
            checks.append(_image_resolution(pdf, preset.image_dpi))
        if cfg.pdf_variant in CMYK_VARIANTS:
            checks.extend(_pdfx1a(pdf))
        if preset.max_ink:
            checks.append(_total_ink(pdf, preset.max_ink))
        boxes = [_trim_in_page(page) for page in pdf.pages]
    if preset.safety:
        checks.append(_safety(pdf_path, boxes, preset, cfg))
    return checks


def decisions(checks: list[Check], cfg: BuildConfig) -> list[Decision]:
    """The checks as decisions ``inspect`` and the build output show."""
    name = printer(cfg.printer).name if cfg.printer else cfg.pdf_variant
    return [
        Decision(
            "preflight",
            f"PF{number:03d}",
            "pass" if check.passed else "fail",
            f"{check.rule}: {check.detail}",
            data={"printer": name, "rule": check.rule, "passed": check.passed},
        )
        for number, check in enumerate(checks, start=1)
    ]


def failure(checks: list[Check], cfg: BuildConfig) -> PreflightError | None:
    """One error naming every broken rule, or None when all pass."""
    broken = [f"{c.rule} ({c.detail})" for c in checks if not c.passed]
    if not broken:
        return None
    name = printer(cfg.printer).name if cfg.printer else cfg.pdf_variant
    return PreflightError(f"preflight for {name} failed: {'; '.join(broken)} (--no-preflight builds anyway)")


def _box(value) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _trim_in_page(page) -> tuple[float, float, float, float, float]:
    """The trim box as (left, top, right, bottom) measured from the media box's top-left corner
    (poppler's text coordinates), and the page's width for telling the outside edge."""
    media = _box(page.mediabox)
    trim = _box(page.trimbox)
    return trim[0] - media[0], media[3] - trim[3], trim[2] - media[0], media[3] - trim[1], trim[2] - trim[0]


def _expected_size(cfg: BuildConfig, preset: Printer) -> tuple[float, float]:
    width, height = parse_trim(cfg.trim)
    if cfg.bleed:
        across = 2 if preset.bleed_edges == "all" else 1
        width, height = width + across * BLEED, height + 2 * BLEED
    return width * POINTS, height * POINTS


def _page_size(pdf, cfg: BuildConfig, preset: Printer) -> Check:
    want_w, want_h = _expected_size(cfg, preset)
    trim_w, trim_h = (v * POINTS for v in parse_trim(cfg.trim))
    for number, page in enumerate(pdf.pages, start=1):
        media, trim = _box(page.mediabox), _box(page.trimbox)
        size = (media[2] - media[0], media[3] - media[1])
        trimmed = (trim[2] - trim[0], trim[3] - trim[1])
        if max(abs(size[0] - want_w), abs(size[1] - want_h), abs(trimmed[0] - trim_w), abs(trimmed[1] - trim_h)) > 0.5:
            return Check(
                "page size",
                False,
                f"page {number} is {size[0]:.1f}×{size[1]:.1f} pt trimmed to {trimmed[0]:.1f}×{trimmed[1]:.1f}; "
                f"want {want_w:.1f}×{want_h:.1f} trimmed to {trim_w:.1f}×{trim_h:.1f}",
            )
    bleed = "with bleed" if cfg.bleed else "no bleed"
    return Check("page size", True, f"every page {want_w:.1f}×{want_h:.1f} pt ({bleed}), trim {trim_w:.1f}×{trim_h:.1f}")


def _page_count(count: int, preset: Printer) -> Check:
    low, high = preset.min_pages, preset.max_pages or 10**6
    inside = low <= count <= high
    return Check("page count", inside, f"{count} pages; {preset.name} accepts {low} to {high}")


def _words(pdf_path: Path) -> Iterator[tuple[int, tuple[float, float, float, float]]]:
    """(page index, word box) for every word of the text layer, in points from the top-left."""
    try:
        run = subprocess.run(
            ["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True, timeout=600
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise BookbuildError(f"preflight needs poppler's pdftotext (poppler-utils): {exc}") from exc
    page = -1
    for line in run.stdout.splitlines():
        if _PAGE.search(line):
            page += 1
            continue
        match = _WORD.search(line)
        if match:
            yield page, tuple(float(v) for v in match.groups())


def _safety(pdf_path: Path, boxes, preset: Printer, cfg: BuildConfig) -> Check:
    """Every word at least the safety margin from the trim's top, bottom and outside edge, and at
    least the gutter the page count asks for from the spine edge."""
    safety = preset.safety_for(cfg.bleed) * POINTS
    pages = len(boxes)
    gutter = _gutter(pages, preset) * POINTS
    worst: tuple[float, str] | None = None
    closest = {"top": 1e9, "bottom": 1e9, "outside": 1e9, "inside": 1e9}
    for index, (x0, y0, x1, y1) in _words(pdf_path):
        left, top, right, bottom, _width = boxes[index]
        recto = index % 2 == 0  # page 1 is a right-hand page
        spine_gap, outer_gap = (x0 - left, right - x1) if recto else (right - x1, x0 - left)
        gaps = {"top": y0 - top, "bottom": bottom - y1, "outside": outer_gap, "inside": spine_gap}
        for edge, gap in gaps.items():
            closest[edge] = min(closest[edge], gap)
            least = gutter if edge == "inside" else safety
            if gap + TOLERANCE < least and (worst is None or gap - least < worst[0]):
                worst = (gap - least, f"page {index + 1}: a word {gap / POINTS:.3f} in from the {edge} edge")
    measured = ", ".join(f"{edge} {gap / POINTS:.3f} in" for edge, gap in closest.items() if gap < 1e9)
    rule = f"text ≥ {safety / POINTS:.3f} in inside the trim, ≥ {gutter / POINTS:.3f} in from the spine"
    if worst:
        return Check("safety margins", False, f"{worst[1]}; want {rule}")
    return Check("safety margins", True, f"closest words: {measured}; want {rule}")


def _gutter(pages: int, preset: Printer) -> float:
    """The inside margin the printer's table asks for at this page count (its safety without one)."""
    for limit, inches in preset.gutters:
        if pages <= limit:
            return max(inches, preset.safety)
    return max(preset.gutters[-1][1] if preset.gutters else 0.0, preset.safety)


def _fonts(resources, seen: set) -> Iterator[tuple[str, object]]:
    """Every font in a resource dictionary and the forms it draws, once each."""
    if resources is None:
        return
    for name, font in (resources.get("/Font") or {}).items():
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield name, font
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.objgen not in seen and xobject.get("/Subtype") == "/Form":
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources"), seen)


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # drawn by its own glyph procedures
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _fonts_embedded(pdf) -> Check:
    seen: set = set()
    fonts = [font for page in pdf.pages for _name, font in _fonts(page.get("/Resources"), seen)]
    missing = sorted({str(f.get("/BaseFont", "?")) for f in fonts if not _embedded(f)})
    if missing:
        return Check("fonts embedded", False, f"not embedded: {', '.join(missing)}")
    return Check("fonts embedded", True, f"all {len(fonts)} fonts embedded")


def _images_drawn(pdf) -> Iterator[tuple[int, object, float, float]]:
    """(page number, image, drawn width, drawn height in points) for every image painted."""
    import pikepdf

    for number, page in enumerate(pdf.pages, start=1):
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        if not xobjects:
            continue
        stack, matrix = [], pikepdf.Matrix()
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "q":
                stack.append(matrix)
            elif op == "Q" and stack:
                matrix = stack.pop()
            elif op == "cm":
                matrix = pikepdf.Matrix(*(float(v) for v in operands)) @ matrix
            elif op == "Do":
                image = xobjects.get(operands[0])
                if image is not None and image.get("/Subtype") == "/Image":
                    width = (matrix.a**2 + matrix.b**2) ** 0.5
                    height = (matrix.c**2 + matrix.d**2) ** 0.5
                    yield number, image, width, height


def _image_resolution(pdf, least: int) -> Check:
    lowest: tuple[float, int] | None = None
    count = 0
    for number, image, width, height in _images_drawn(pdf):
        count += 1
        if width <= 0 or height <= 0:
            continue
        ppi = min(int(image["/Width"]) / (width / POINTS), int(image["/Height"]) / (height / POINTS))
        if lowest is None or ppi < lowest[0]:
            lowest = (ppi, number)
    if lowest is None:
        return Check("image resolution", True, "no images")
    passed = lowest[0] + 0.5 >= least
    return Check("image resolution", passed, f"{count} images, lowest {lowest[0]:.0f} ppi on page {lowest[1]}; want ≥ {least}")


def _pdfx1a(pdf) -> list[Check]:
    """PDF/X-1a: a CMYK output intent, no RGB colour anywhere, no transparency anywhere."""
    import pikepdf

    intents = pdf.Root.get("/OutputIntents") or []
    profile = None
    for intent in intents:
        if intent.get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in intent:
            profile = intent["/DestOutputProfile"]
    if profile is not None and int(profile.get("/N", 0)) == 4:
        intent_check = Check("output intent", True, f"GTS_PDFX, CMYK profile '{intents[0].get('/OutputConditionIdentifier')}'")
    else:
        intent_check = Check("output intent", False, "no GTS_PDFX output intent with a CMYK profile")
    rgb, transparency = [], []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        spaces = []
        if "/ColorSpace" in obj:
            value = obj["/ColorSpace"]
            spaces = list(value.values()) if isinstance(value, pikepdf.Dictionary) else [value]
        for space in spaces:
            family = space[0] if isinstance(space, pikepdf.Array) else space
            if str(family) in RGB_SPACES or (
                str(family) == "/ICCBased" and int(space[1].get("/N", 0)) == 3
            ) or str(family) == "/Lab":
                rgb.append(str(family))
        if "/SMask" in obj and obj["/SMask"] != pikepdf.Name("/None"):
            transparency.append("soft mask")
        for key in ("/CA", "/ca"):
            if key in obj and float(obj[key]) < 1:
                transparency.append(f"opacity {key}")
        if obj.get("/S") == "/Transparency":
            transparency.append("transparency group")
        if "/BM" in obj and str(obj["/BM"]) not in ("/Normal", "/Compatible"):
            transparency.append(f"blend mode {obj['/BM']}")
    for content in content_streams(pdf):
        for _operands, operator in pikepdf.parse_content_stream(content, "rg RG"):
            rgb.append(f"{operator} operator")
    colour = Check(
        "no RGB colour",
        not rgb,
        "every colour CMYK or grey" if not rgb else f"found {', '.join(sorted(set(rgb)))}",
    )
    clear = Check(
        "no transparency",
        not transparency,
        "none" if not transparency else f"found {', '.join(sorted(set(transparency)))}",
    )
    return [intent_check, colour, clear]


def _total_ink(pdf, limit: int) -> Check:
    """The most ink any CMYK fill or stroke of the content lays down, in percent."""
    import pikepdf

    most = 0.0
    for content in content_streams(pdf):
        # k/K set CMYK directly; sc/scn with four operands set it in a DeviceCMYK space.
        for operands, _operator in pikepdf.parse_content_stream(content, "k K sc scn SC SCN"):
            if len(operands) == 4 and all(isinstance(v, int | float | Decimal) for v in operands):
                most = max(most, 100 * sum(float(v) for v in operands))
    return Check("total ink", most <= limit + TOLERANCE, f"at most {most:.0f}% (want ≤ {limit}%)")
