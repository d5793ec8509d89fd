"""The ``bookbuild`` command line: parse options into a BuildConfig and call the pipeline."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import click

from bookbuild import __version__
from bookbuild.config import (
    FORMATS,
    NOTES_MODES,
    SCENE_BREAK_MODES,
    BuildConfig,
    config_from_toml,
    find_book_toml,
    read_book_toml,
)
from bookbuild.errors import BookbuildError


class Context:
    """State shared by the subcommands: whether to show tracebacks and chatter."""

    def __init__(self, debug: bool, quiet: bool) -> None:
        self.debug = debug
        self.quiet = quiet


def _fail(ctx: Context, error: BaseException) -> None:
    if ctx.debug:
        raise error
    if isinstance(error, BookbuildError):
        message = str(error)
    elif isinstance(error, (OSError, ValueError)):
        message = f"internal error: {type(error).__name__}: {error}"
    else:
        detail = " ".join(str(error).split())[:200]
        message = f"internal error: {type(error).__name__}: {detail}; this is a bookbuild bug, please report it (--debug shows the traceback)"
    click.echo(f"bookbuild: error: {message}", err=True)
    sys.exit(getattr(error, "exit_code", 1))


def load_config(source: Path, config_path: Path | None, **options) -> BuildConfig:
    """Settings for one run: ``book.toml`` (if any), then the command-line options."""
    cfg = BuildConfig()
    toml_path = config_path or find_book_toml(source)
    if toml_path is not None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cfg = config_from_toml(read_book_toml(toml_path), cfg)
        for warning in caught:
            click.echo(f"bookbuild: warning: {warning.message}", err=True)
        cfg = cfg.with_changes(config_path=toml_path)
    if source.is_file():
        cfg = cfg.with_changes(files=())  # a file given on its own is the whole manuscript
    metadata = dict(cfg.metadata)
    for key in ("title", "author", "language"):
        if options.get(key):
            metadata[key] = options[key]
    changes = {k: v for k, v in options.items() if k not in ("title", "author", "language") and v is not None}
    return cfg.with_changes(metadata=metadata, **changes)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bookbuild")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_context
def main(click_ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Turn a story manuscript into an EPUB 3 and a print-ready PDF."""
    click_ctx.obj = Context(debug, quiet)


def _common_options(function):
    options = [
        click.option("--config", "config_path", type=click.Path(path_type=Path, readable=False), help="book.toml to use (default: beside the manuscript)."),
        click.option("--title", help="Book title (overrides book.toml)."),
        click.option("--author", help="Author (overrides book.toml)."),
        click.option("--lang", "language", help="Language code, e.g. en, en-GB, fr."),
        click.option("--typography/--no-typography", default=None, help="Typeset quotes, dashes and ellipses (default: on)."),
        click.option("--notes", type=click.Choice(NOTES_MODES), help="Where author's notes go (default: keep)."),
        click.option("--scene-breaks", "scene_breaks", type=click.Choice(SCENE_BREAK_MODES), help="Which scene breaks to place (default: auto)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command()
# readable=False: an unreadable file is bookbuild's own one-line error, not click's usage text (exit 2)
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--outdir", type=click.Path(path_type=Path, readable=False), default=Path("dist"), show_default=True, help="Output folder.")
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "all")), default="all", show_default=True, help="Which outputs to write.")
@click.option("--trim", help="PDF trim size: 5x8, 5.25x8, 5.5x8.5, 6x9, a5, b-format, pocket, letter, a4 or WxH.")
@click.option("--pdf-variant", "pdf_variant", help="PDF standard: pdf/x-4, pdf/x-1a, pdf/ua-1.")
@click.option("--drop-caps/--no-drop-caps", "drop_caps", default=None, help="Drop capitals at chapter openings in the PDF.")
@click.option("--verify/--no-verify", default=None, help="Check that every word of the manuscript reaches each output (default: on).")
@click.option("-q", "--quiet", "quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--cover-pdf", "cover_pdf", is_flag=True, default=None, help="Also write a wrap cover PDF (back, spine, front) sized for the interior.")
@click.option("--paper", type=click.Choice(("white", "cream")), help="Paper of the printed book; sets the cover's spine width (default: white).")
@click.option("--bleed/--no-bleed", "bleed", default=None, help="Give interior pages a 0.125 in bleed and crop marks.")
@click.option("--impose", help="Also write a PDF imposed for home binding: booklet or signatures:N (N folded sheets each).")
@click.option("--sheet", type=click.Choice(("letter", "a4")), help="Paper of the imposed PDF (default: letter).")
@click.option("--marks/--no-marks", "marks", default=None, help="Fold and trim marks on imposed sheets (default: on).")
@click.option("--cache/--no-cache", "use_cache", default=None, help="Reuse the PDF parts rendered by earlier builds, kept in .bookbuild-cache/ or $BOOKBUILD_CACHE_DIR (default: on).")
@_common_options
@click.pass_obj
def build(ctx: Context, path: Path, outdir: Path, fmt: str, config_path: Path | None, quiet: bool, **options) -> None:
    """Build the EPUB and/or PDF of the manuscript at PATH (a file or a book folder)."""
    from bookbuild import progress
    from bookbuild.pipeline import build as run_build

    ctx.quiet = ctx.quiet or quiet
    try:
        formats = FORMATS if fmt == "all" else (fmt,)
        cfg = load_config(path, config_path, outdir=outdir, formats=formats, **options)
        with progress.showing(progress.wanted(ctx.quiet)):
            result, written = run_build(path, cfg)
    except Exception as error:  # noqa: BLE001 - a bug is still one line; --debug shows the traceback
        _fail(ctx, error)
        return
    if not ctx.quiet:
        for decision in result.decisions:
            if decision.action == "warning":
                click.echo(f"bookbuild: warning: {decision.rule}", err=True)
        for target in written:
            click.echo(f"wrote {target}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@_common_options
@click.option(
    "--format",
    "report_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: the model and every decision; text: tables to read on a terminal.",
)
@click.option("--layout", is_flag=True, help="Also lay the print edition out and show how its spreads were levelled.")
@click.pass_obj
def inspect(ctx: Context, path: Path, config_path: Path | None, report_format: str, layout: bool, **options) -> None:
    """Print the document model of PATH and every decision (JSON, or tables with --format text)."""
    from bookbuild.inspect import report
    from bookbuild.inspect_text import print_text
    from bookbuild.pipeline import process, with_print_layout

    try:
        cfg = load_config(path, config_path, **options)
        result = process(path, cfg)
        if layout:
            result = with_print_layout(result, cfg)
    except Exception as error:  # noqa: BLE001 - a bug is still one line; --debug shows the traceback
        _fail(ctx, error)
        return
    if report_format == "text":
        print_text(report(result))
    else:
        click.echo(json.dumps(report(result), ensure_ascii=False, indent=2))


@main.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("--config", "config_path", type=click.Path(path_type=Path, readable=False), help="book.toml to write (default: beside the manuscript).")
@click.pass_obj
def review(ctx: Context, path: Path, config_path: Path | None) -> None:
    """Accept or reject likely scene breaks of PATH one by one; answers go to book.toml [overrides]."""
    from bookbuild.review import run_review

    try:
        run_review(path, config_path)
    except Exception as error:  # noqa: BLE001 - a bug is still one line; --debug shows the traceback
        _fail(ctx, error)
