"""Print-on-demand presets, interior bleed and marks, the preflight and PDF/X-1a's output intent."""

from __future__ import annotations

import json

import pikepdf
import pytest
from click.testing import CliRunner

from bookbuild.cli import load_config, main
from bookbuild.config import BuildConfig, apply_printer, config_from_toml
from bookbuild.errors import ConfigError
from bookbuild.printers import printer, printer_names
from bookbuild.writers.pdf import geometry
from bookbuild.writers.pdf.interior import forget_layout, write_pdf
from bookbuild.writers.pdf.pdfx import rgb_as_device
from bookbuild.writers.pdf.preflight import failure, preflight

from .pdf_support import sample_book

PT = 72


def build_pdf(tmp_path, cfg: BuildConfig, name: str = "book.pdf", **book_options):
    forget_layout()
    path = tmp_path / name
    write_pdf(sample_book(**book_options), path, cfg)
    return path


def test_every_preset_loads_and_names_its_source():
    assert set(printer_names()) == {"kdp", "ingram", "lulu", "home"}
    for name in printer_names():
        preset = printer(name)
        assert preset.source, f"{name} says where its values come from"
        assert preset.safety > 0


def test_an_unknown_printer_is_one_clear_error():
    with pytest.raises(ConfigError, match="unknown printer 'kinkos'"):
        printer("kinkos")


def test_a_preset_fills_only_what_the_user_left_unset():
    assert apply_printer(BuildConfig(printer="kdp")).bleed is True
    assert apply_printer(BuildConfig(printer="ingram")).pdf_variant == "pdf/x-1a"
    chosen = BuildConfig(printer="ingram", pdf_variant="pdf/x-4", explicit=frozenset({"pdf_variant"}))
    assert apply_printer(chosen).pdf_variant == "pdf/x-4"
    home = apply_printer(BuildConfig(printer="home"))
    assert (home.bleed, home.crop_marks, home.impose) == (False, False, "signatures:4")


def test_printer_can_be_set_in_book_toml_and_the_command_line_wins(tmp_path):
    assert config_from_toml({"printer": "lulu"}).printer == "lulu"
    story = tmp_path / "story.txt"
    story.write_text("Words.", encoding="utf-8")
    (tmp_path / "book.toml").write_text('printer = "kdp"\npdf_variant = "pdf/x-4"\n', encoding="utf-8")
    cfg = load_config(story, None, bleed=False)
    assert (cfg.printer, cfg.bleed, cfg.pdf_variant) == ("kdp", False, "pdf/x-4")


def test_kdp_bleed_is_on_three_sides_mirrored_and_without_marks(tmp_path):
    path = build_pdf(tmp_path, apply_printer(BuildConfig(trim="5x8", printer="kdp")), chapters=2, paragraphs=10)
    with pikepdf.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            media, trim = [float(v) for v in page.mediabox], [float(v) for v in page.trimbox]
            assert (media[2] - media[0], media[3] - media[1]) == pytest.approx((369, 594))
            assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((360, 576))
            # Right-hand pages (odd numbers) bleed to the right, left-hand ones to the left.
            outside_left = index % 2 == 1
            assert (trim[0] - media[0] > 0) == outside_left
            assert (media[2] - trim[2] > 0) == (not outside_left)
        assert strokes(pdf.pages[0]) == 0, "no crop marks unless asked for"


def strokes(page) -> int:
    """How many paths a page strokes, in its own content and the forms it draws."""
    count = sum(1 for _, op in pikepdf.parse_content_stream(page) if str(op) in ("S", "s", "B", "b", "B*", "b*"))
    for form in (page.get("/Resources") or {}).get("/XObject", {}).values():
        if form.get("/Subtype") == "/Form":
            count += strokes(form)
    return count


def test_crop_marks_are_drawn_only_when_asked_for(tmp_path):
    options = {"chapters": 1, "paragraphs": 3, "front_note": False}
    marked = build_pdf(tmp_path, BuildConfig(trim="5x8", bleed=True, crop_marks=True), "a.pdf", **options)
    clean = build_pdf(tmp_path, BuildConfig(trim="5x8", bleed=True), "b.pdf", **options)
    with pikepdf.open(marked) as with_marks, pikepdf.open(clean) as without:
        assert strokes(with_marks.pages[0]) > strokes(without.pages[0])


def test_crop_marks_bring_their_bleed_and_refuse_an_explicit_no_bleed():
    assert apply_printer(BuildConfig(crop_marks=True)).bleed is True
    with pytest.raises(ConfigError, match="crop marks are drawn in the bleed"):
        apply_printer(BuildConfig(crop_marks=True, explicit=frozenset({"bleed"})))


def test_pdf_x1a_with_crop_marks_draws_them_in_ink_and_passes_its_preflight(tmp_path):
    cfg = apply_printer(BuildConfig(trim="5x8", pdf_variant="pdf/x-1a", crop_marks=True))
    path = build_pdf(tmp_path, cfg, chapters=1, paragraphs=3, front_note=False)
    with pikepdf.open(path) as pdf:
        assert strokes(pdf.pages[0]) > 0
        for page in pdf.pages:
            assert not [op for _, op in pikepdf.parse_content_stream(page) if str(op) in ("rg", "RG")]
    checks = preflight(path, cfg)
    assert all(check.passed for check in checks), failure(checks, cfg)


@pytest.mark.parametrize(("rgb", "device"), [
    ((0, 0, 0), ("gray", [0])),
    ((0.5, 0.5, 0.5), ("gray", [0.5])),
    ((1, 0, 0), ("cmyk", [0, 1, 1, 0])),
    ((0.2, 0.4, 0.4), ("cmyk", [0.5, 0, 0, 0.6])),
])
def test_rgb_left_in_a_pdf_x1a_becomes_grey_or_cmyk_ink(rgb, device):
    space, values = rgb_as_device(list(rgb))
    assert space == device[0] and values == pytest.approx(device[1])


def test_the_safety_margin_moves_running_heads_and_folios_off_the_trim():
    plain = geometry.PageGeometry(5, 8, 0.375)
    kdp = geometry.PageGeometry(5, 8, 0.375, safety=0.375)
    ingram = geometry.PageGeometry(5, 8, 0.375, safety=0.5)
    assert kdp.top - geometry.HEAD_REACH >= 0.375
    assert ingram.top - geometry.HEAD_REACH >= 0.5 and ingram.bottom - geometry.FOLIO_REACH >= 0.5
    assert ingram.inner >= 0.5 and ingram.outer >= 0.5
    assert plain.top == 0.68 and plain.inner == 0.375
    assert geometry.PageGeometry(5, 8, 0.375, sewing=0.125).inner == 0.5


@pytest.mark.slow
def test_preflight_passes_a_kdp_build_and_fails_a_file_made_for_another_printer(tmp_path):
    kdp = apply_printer(BuildConfig(trim="5x8", printer="kdp"))
    made = build_pdf(tmp_path, kdp, chapters=6, paragraphs=14)
    checks = preflight(made, kdp)
    assert {c.rule for c in checks} >= {"page size", "safety margins", "fonts embedded", "page count"}
    assert all(c.passed for c in checks), [c for c in checks if not c.passed]
    plain = build_pdf(tmp_path, BuildConfig(trim="5x8"), "plain.pdf", chapters=6, paragraphs=14)
    broken = {c.rule for c in preflight(plain, kdp) if not c.passed}
    assert "page size" in broken
    ingram = apply_printer(BuildConfig(trim="5x8", printer="ingram", pdf_variant="", explicit=frozenset({"pdf_variant"})))
    broken = {c.rule for c in preflight(made, ingram) if not c.passed}
    assert "safety margins" in broken  # KDP's 0.375 in heads sit inside Ingram's 0.5 in
    assert "safety margins" in str(failure(preflight(made, ingram), ingram))


def test_a_book_too_short_for_the_printer_fails_the_build_in_one_line(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("\n\n".join(f"Paragraph {n} of a very short story." for n in range(6)), encoding="utf-8")
    args = ["build", str(story), "-o", str(tmp_path / "out"), "--format", "pdf", "--printer", "kdp"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "preflight for Amazon KDP paperback failed: page count" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "story.pdf").exists()
    result = CliRunner().invoke(main, [*args, "--no-preflight"])
    assert result.exit_code == 0, result.output
    assert "preflight: fail: page count" in result.output
    assert "preflight: pass: page size" in result.output


def _colour_spaces(pdf) -> set[str]:
    """The family of every colour space any object names (resources, images, groups)."""
    found = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and "/ColorSpace" in obj:
            value = obj["/ColorSpace"]
            for space in value.values() if isinstance(value, pikepdf.Dictionary) else [value]:
                found.add(str(space[0] if isinstance(space, pikepdf.Array) else space))
    return found


def test_pdf_x1a_has_a_cmyk_output_intent_and_no_rgb_or_transparency(tmp_path):
    cfg = BuildConfig(trim="5x8", pdf_variant="pdf/x-1a")
    path = build_pdf(tmp_path, cfg, chapters=1, paragraphs=4, note=True)
    with pikepdf.open(path) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        assert profile.read_bytes()[36:40] == b"acsp" and profile.read_bytes()[16:20] == b"CMYK"
        assert not _colour_spaces(pdf) - {"/DeviceCMYK", "/DeviceGray"}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert "/SMask" not in obj or obj.SMask == pikepdf.Name.None_
                assert float(obj.get("/ca", 1)) == 1 and float(obj.get("/CA", 1)) == 1
                assert obj.get("/S") != "/Transparency"
        inks = [
            sum(float(v) for v in operands)
            for page in pdf.pages
            for operands, op in pikepdf.parse_content_stream(page)
            if str(op) in ("scn", "sc", "k") and len(operands) == 4
        ]
        assert inks and max(inks) == 1.0  # text in pure black ink: 100% coverage, far under 240%
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1a:2003"
    assert all(c.passed for c in preflight(path, cfg))


@pytest.mark.slow
def test_kdp_build_of_the_real_manuscript_passes_preflight_and_inspect_shows_it(real_manuscript, tmp_path):
    args = [str(real_manuscript), "--trim", "5x8", "--printer", "kdp"]
    result = CliRunner().invoke(main, ["build", *args, "-o", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("preflight:")]
    assert lines and all(line.startswith("preflight: pass:") for line in lines)
    (pdf_path,) = tmp_path.glob("*.pdf")
    with pikepdf.open(pdf_path) as pdf:
        assert {(round(float(p.mediabox[2] - p.mediabox[0])), round(float(p.mediabox[3] - p.mediabox[1]))) for p in pdf.pages} == {(369, 594)}
    report = CliRunner().invoke(main, ["inspect", *args])
    assert report.exit_code == 0, report.output

    checks = [d for d in json.loads(report.output)["decisions"] if d["transform"] == "preflight"]
    assert {d["data"]["rule"] for d in checks} >= {"page size", "safety margins"}
    assert all(d["action"] == "pass" for d in checks)
