"""PDF/X-1a with a real output intent: the bundled CMYK profile, and nothing but CMYK inside.

WeasyPrint writes the profile named by ``@color-profile device-cmyk`` (assets/css/pdf-x1a.css)
as the GTS_PDFX output intent, but names the condition after the profile's file URL and lists
Lab and ICC colour spaces in every page's resources, which PDF/X-1a does not allow even unused.
:func:`finish_x1a` gives the intent its registered condition and keeps only device colour spaces.
WeasyPrint also draws the crop marks an offset printer asks for in RGB black whatever the
variant, so the few RGB colours left in the content (marks only: the text and rules are set in
CMYK by pdf-x1a.css) are rewritten as grey or CMYK ink.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bookbuild.assets import asset_path

# The characterized printing condition the bundled profile was built from (ICC registry name).
CONDITION = "FOGRA39"
CONDITION_INFO = "Coated FOGRA39 (ISO 12647-2:2004), profile built from the FOGRA39L characterization data"
REGISTRY = "http://www.color.org"
# The colour spaces PDF/X-1a allows: process CMYK, grey, spot colours and patterns of those.
ALLOWED_FAMILIES = {"/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Indexed", "/Pattern"}


def x1a_css() -> str:
    """The stylesheet that makes WeasyPrint embed the CMYK output profile."""
    return asset_path("css/pdf-x1a.css").read_text(encoding="utf-8")


def _family(space) -> str:
    import pikepdf

    return str(space[0] if isinstance(space, pikepdf.Array) else space)


def finish_x1a(path: Path) -> None:
    """Rewrite a WeasyPrint PDF/X-1a in place: a registered output condition, CMYK spaces only."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for intent in pdf.Root.get("/OutputIntents") or []:
            intent.OutputConditionIdentifier = pikepdf.String(CONDITION)
            intent.OutputCondition = pikepdf.String(CONDITION_INFO)
            intent.Info = pikepdf.String(CONDITION_INFO)
            intent.RegistryName = pikepdf.String(REGISTRY)
        for obj in pdf.objects:
            spaces = obj.get("/ColorSpace") if isinstance(obj, pikepdf.Dictionary) else None
            if isinstance(spaces, pikepdf.Dictionary):
                for name in [n for n, space in spaces.items() if _family(space) not in ALLOWED_FAMILIES]:
                    del spaces[name]
        for content in content_streams(pdf):
            _device_colours(pdf, content)
        pdf.save(path, min_version=pdf.pdf_version, deterministic_id=True)


def content_streams(pdf) -> Iterator[Any]:
    """Every page and every form XObject: all the content that paints."""
    import pikepdf

    yield from pdf.pages
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            yield obj


def rgb_as_device(operands: list[float]) -> tuple[str, list[float]]:
    """An RGB colour as PDF/X-1a ink: a neutral as grey (all black ink), a colour as CMYK."""
    red, green, blue = operands
    if red == green == blue:
        return "gray", [red]
    black = 1 - max(red, green, blue)
    rest = 1 - black
    return "cmyk", [*((rest - value) / rest for value in (red, green, blue)), black]


def _device_colours(pdf, content) -> None:
    """Rewrite a content stream's RGB fill and stroke colours (rg, RG) as grey or CMYK."""
    import pikepdf

    instructions = pikepdf.parse_content_stream(content)
    if not any(str(operator) in ("rg", "RG") for _operands, operator in instructions):
        return
    rewritten = []
    for operands, operator in instructions:
        name = str(operator)
        if name in ("rg", "RG") and len(operands) == 3:
            space, values = rgb_as_device([float(v) for v in operands])
            stroke = name == "RG"
            name = {"gray": "G" if stroke else "g", "cmyk": "K" if stroke else "k"}[space]
            rewritten.append(([round(v, 4) for v in values], pikepdf.Operator(name)))
        else:
            rewritten.append((operands, operator))
    data = pikepdf.unparse_content_stream(rewritten)
    if isinstance(content, pikepdf.Page):
        content.contents_coalesce()
        content.obj.Contents.write(data)
    else:
        content.write(data)
