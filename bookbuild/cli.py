"""The ``bookbuild`` command line: parse options into a BuildConfig and call the pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bookbuild import __version__
from bookbuild.config import (
    ALL_FORMATS,
    NOTES_MODES,
    SCENE_BREAK_MODES,
    BuildConfig,
    load_settings,
)
from bookbuild.errors import one_line


class Context:
    """State shared by the subcommands: whether to show tracebacks and chatter."""

    def __init__(self, debug: bool, quiet: bool) -> None:
        self.debug = debug
        self.quiet = quiet


def _fail(ctx: Context, error: BaseException) -> None:
    if ctx.debug:
        raise error
    click.echo(f"bookbuild: error: {one_line(error)}", err=True)
    sys.exit(getattr(error, "exit_code", 1))


def load_config(source: Path, config_path: Path | None, **options) -> BuildConfig:
    """Settings for one run: ``book.toml`` (if any), then the command-line options."""
    cfg, messages = load_settings(source, config_path, **options)
    for message in messages:
        click.echo(f"bookbuild: warning: {message}", err=True)
    return cfg


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bookbuild")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_context
def main(click_ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Turn a story manuscript into an EPUB 3 and a print-ready PDF."""
    click_ctx.obj = Context(debug, quiet)


def _options(*options):
    """A decorator applying ``options`` in the order listed, so commands share one definition of each."""

    def apply(function):
        for option in reversed(options):
            function = option(function)
        return function

    return apply


# One book's own: its book.toml, title and author.
_book_options = _options(
    click.option("--config", "config_path", type=click.Path(path_type=Path, readable=False), help="book.toml to use (default: beside the manuscript)."),
    click.option("--title", help="Book title (overrides book.toml)."),
    click.option("--author", help="Author (overrides book.toml)."),
)
# How the text is read and set.
_text_options = _options(
    click.option("--lang", "language", help="Language code, e.g. en, en-GB, fr."),
    click.option("--typography/--no-typography", default=None, help="Typeset quotes, dashes and ellipses (default: on)."),
    click.option("--notes", type=click.Choice(NOTES_MODES), help="Where author's notes go (default: keep)."),
    click.option("--scene-breaks", "scene_breaks", type=click.Choice(SCENE_BREAK_MODES), help="Which scene breaks to place (default: auto)."),
)
# What is written and how: build and shelf share these.
_output_options = _options(
    click.option("--format", "fmt", type=click.Choice((*ALL_FORMATS, "all")), help="Which outputs to write (default: all: EPUB and PDF, and a Kobo kepub when book.toml says kepub = true)."),
    click.option("--trim", help="PDF trim size: 5x8, 5.25x8, 5.5x8.5, 6x9, a5, b-format, pocket, letter, a4 or WxH."),
    click.option("--pdf-variant", "pdf_variant", help="PDF standard: pdf/x-4, pdf/x-1a, pdf/ua-1."),
    click.option("--drop-caps/--no-drop-caps", "drop_caps", default=None, help="Drop capitals at chapter openings in the PDF."),
    click.option("--verify/--no-verify", default=None, help="Check that every word of the manuscript reaches each output (default: on)."),
    click.option("--cover-pdf", "cover_pdf", is_flag=True, default=None, help="Also write a wrap cover PDF (back, spine, front) sized for the interior."),
    click.option("--paper", type=click.Choice(("white", "cream")), help="Paper of the printed book; sets the cover's spine width (default: white)."),
    click.option("--bleed/--no-bleed", "bleed", default=None, help="Give interior pages a 0.125 in bleed and crop marks."),
    click.option("--impose", help="Also write a PDF imposed for home binding: booklet or signatures:N (N folded sheets each)."),
    click.option("--sheet", type=click.Choice(("letter", "a4")), help="Paper of the imposed PDF (default: letter)."),
    click.option("--marks/--no-marks", "marks", default=None, help="Fold and trim marks on imposed sheets (default: on)."),
    click.option("--cache/--no-cache", "use_cache", default=None, help="Reuse the PDF parts rendered by earlier builds, kept in .bookbuild-cache/ or $BOOKBUILD_CACHE_DIR (default: on)."),
    click.option("-q", "--quiet", "quiet", is_flag=True, help="Print nothing but errors."),
)


def _formats(fmt: str | None) -> tuple[str, ...] | None:
    """The one format --format asks for; None for all of them, which book.toml's kepub key may widen."""
    return None if fmt in (None, "all") else (fmt,)


@main.command()
# readable=False: an unreadable file is bookbuild's own one-line error, not click's usage text (exit 2)
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--outdir", type=click.Path(path_type=Path, readable=False), default=Path("dist"), show_default=True, help="Output folder.")
@_output_options
@_book_options
@_text_options
@click.pass_obj
def build(ctx: Context, path: Path, outdir: Path, fmt: str | None, config_path: Path | None, quiet: bool, **options) -> None:
    """Build the EPUB and/or PDF of the manuscript at PATH (a file or a book folder)."""
    from bookbuild import progress
    from bookbuild.pipeline import build as run_build
    from bookbuild.unreviewed import review_line

    ctx.quiet = ctx.quiet or quiet
    try:
        cfg = load_config(path, config_path, outdir=outdir, formats=_formats(fmt), **options)
        with progress.showing(progress.wanted(ctx.quiet)):
            result, written = run_build(path, cfg)
        line = None if ctx.quiet else review_line(path, cfg, result, config_path)
    except Exception as error:  # noqa: BLE001 - a bug is still one line; --debug shows the traceback
        _fail(ctx, error)
        return
    if not ctx.quiet:
        for decision in result.decisions:
            if decision.action == "warning":
                click.echo(f"bookbuild: warning: {decision.rule}", err=True)
        for target in written:
            click.echo(f"wrote {target}")
        if line:
            click.echo(line)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@_book_options
@_text_options
@click.option(
    "--format",
    "report_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: the model and every decision; text: tables to read on a terminal.",
)
@click.pass_obj
def inspect(ctx: Context, path: Path, config_path: Path | None, report_format: str, **options) -> None:
    """Print the document model of PATH and every decision (JSON, or tables with --format text)."""
    from bookbuild.inspect import report, review_summary
    from bookbuild.inspect_text import print_text
    from bookbuild.pipeline import process
    from bookbuild.unreviewed import review_command

    try:
        cfg = load_config(path, config_path, **options)
        result = process(path, cfg)
        review = review_summary(path, cfg, result, review_command(path, config_path))
    except Exception as error:  # noqa: BLE001 - a bug is still one line; --debug shows the traceback
        _fail(ctx, error)
        return
    data = report(result, review)
    if report_format == "text":
        print_text(data)
    else:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@main.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("--config", "config_path", type=click.Path(path_type=Path, readable=False), help="book.toml to write (default: beside the manuscript).")
@click.option("--all", "revisit", is_flag=True, help="Go through the candidates already answered too.")
@click.option("--html", "html", is_flag=True, help="Write a review page to open in a browser instead of asking here.")
@click.option("-o", "--output", type=click.Path(path_type=Path, readable=False), help="Where --html writes the page (default: <manuscript>-review.html).")
@click.option("--apply", "answers_path", type=click.Path(path_type=Path, readable=False), help="Merge the answers file the review page saved into book.toml.")
@click.pass_obj
def review(ctx: Context, path: Path, config_path: Path | None, revisit: bool, html: bool, output: Path | None, answers_path: Path | None) -> None:
    """Review the likely scene breaks of PATH; answers go to book.toml [overrides].

    On the terminal: yes / no / skip / back / quit, each answer saved at once. With --html: one
    page with the whole story, every boundary a toggle, saving an answers file for --apply.
    """
    from bookbuild.review import apply_answers, load_story
    from bookbuild.review_page import default_page_path, write_page
    from bookbuild.review_terminal import run_review
    from bookbuild.unreviewed import review_command

    try:
        if html and answers_path:
            raise click.UsageError("--html and --apply are two steps: write the page, then apply its answers")
        story = load_story(path, config_path)
        if answers_path is not None:
            added, removed = apply_answers(story, answers_path)
            click.echo(f"applied {added} break(s) and {removed} no-break answer(s) to {story.toml_path}")
        elif html:
            apply = f"{review_command(path, config_path)} --apply answers.toml"
            page = write_page(story, output or default_page_path(path), apply)
            click.echo(f"wrote {page}: open it in a browser, choose the breaks, save the answers, then run")
            click.echo(f"  {apply}")
        else:
            run_review(story, revisit)
    except click.UsageError:
        raise
    except Exception as error:  # noqa: BLE001 - a bug is still one line; --debug shows the traceback
        _fail(ctx, error)


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--out", required=True, help="Output folder, or an fsspec URL (s3://bucket/books) the workers write to.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Books built at once on this machine (default: one per core).")
@click.option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS", help="Build on the Dask cluster whose scheduler is here (tcp://HOST:8786; default: $DASK_SCHEDULER_ADDRESS).")
@click.option("--batch", type=click.IntRange(min=1), default=1, show_default=True, help="Books per Dask task: more lets a large cluster's scheduler keep up.")
@click.option("--defaults", type=click.Path(path_type=Path, readable=False), help="shelf.toml of settings for every book (default: shelf.toml at the top of each SOURCE).")
@_output_options
@_text_options
@click.pass_obj
def shelf(ctx: Context, sources: tuple[Path, ...], out: str, jobs: int | None, scheduler: str | None,
          batch: int, defaults: Path | None, fmt: str | None, quiet: bool, **options) -> None:
    """Build every book under SOURCE... into OUT/<its path>/, with OUT/shelf.json and a summary.

    A folder with book.toml is one book, any other manuscript file is one book, and any other
    folder is searched. Books whose inputs and settings are unchanged since the last run are skipped.
    """
    from bookbuild import progress
    from bookbuild.shelf import build_shelf
    from bookbuild.shelf.summary import print_summary

    ctx.quiet = ctx.quiet or quiet
    if _formats(fmt):
        options["formats"] = _formats(fmt)
    warn = (lambda message: None) if ctx.quiet else (lambda message: click.echo(f"bookbuild: warning: {message}", err=True))
    try:
        run = build_shelf(list(sources), out, options, defaults=defaults, jobs=jobs, scheduler=scheduler or None,
                          batch=batch, show_progress=progress.wanted(ctx.quiet), warn=warn)
    except Exception as error:  # noqa: BLE001 - a bug is still one line; --debug shows the traceback
        _fail(ctx, error)
        return
    if ctx.quiet:
        for entry in run.entries:
            if entry["status"] == "failed":
                click.echo(f"bookbuild: error: {entry['source']}: {entry['message']}", err=True)
    else:
        print_summary(run, out)
    if run.count("failed"):
        sys.exit(1)
