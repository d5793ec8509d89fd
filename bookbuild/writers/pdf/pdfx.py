"""PDF/X-1a with a real output intent: the bundled CMYK profile, and nothing but CMYK inside.

WeasyPrint writes the profile named by ``@color-profile device-cmyk`` (assets/css/pdf-x1a.css)
as the GTS_PDFX output intent, but names the condition after the profile's file URL and lists
Lab and ICC colour spaces in every page's resources, which PDF/X-1a does not allow even unused.
:func:`finish_x1a` gives the intent its registered condition and keeps only device colour spaces.
"""

from __future__ import annotations

from pathlib import Path

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
        pdf.save(path, min_version=pdf.pdf_version, deterministic_id=True)
