"""The CLI with generated hostile options, settings and manuscripts: a book or one clear line, never
"internal error" (issue 15). EPUB only, so each example takes a fraction of a second."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbuild.cli import main

from .test_fuzz import HOSTILE, MARKERS, PROSE

EXAMPLES = int(os.environ.get("BOOKBUILD_FUZZ_EXAMPLES", "60"))

# Any code point, lone surrogates included: Python hands undecodable command-line bytes over as those.
_ANY_TEXT = st.text(st.characters(), max_size=12)
_HOSTILE_TEXT = st.one_of(_ANY_TEXT, st.sampled_from(HOSTILE), st.sampled_from(["\x00", "\x01", "\udcff", "\x7f", "\u202e", "-", "--"]))
_OPTION = st.one_of(
    st.tuples(st.sampled_from(["--title", "--author", "--lang", "--trim", "--pdf-variant", "--impose"]), _HOSTILE_TEXT),
    st.tuples(st.sampled_from(["--notes"]), st.sampled_from(["keep", "end", "drop"])),
    st.tuples(st.sampled_from(["--scene-breaks"]), st.sampled_from(["auto", "marked", "off"])),
    st.tuples(st.sampled_from(["--no-typography", "--typography", "--no-verify"])),
)
_TOML_VALUE = st.one_of(
    st.integers(-10**20, 10**20).map(str), st.booleans().map(lambda b: "true" if b else "false"),
    st.floats(allow_nan=True).map(lambda f: repr(f).replace("inf", "inf").replace("nan", "nan")),
    _ANY_TEXT.map(lambda t: '"' + "".join(f"\\U{ord(c):08X}" if not 0xD800 <= ord(c) <= 0xDFFF else "" for c in t) + '"'),
    st.just("[]"), st.just('["a", 1]'), st.just("{ a = 1 }"), st.just("1979-05-27"), st.just("1979-05-27T07:32:00Z"),
)
_TOML_KEY = st.sampled_from([
    "title", "author", "language", "identifier", "description", "subjects", "series", "series_index", "publisher",
    "date", "source", "rights", "cover", "files", "typography", "notes", "scene_breaks", "trim", "pdf_variant",
    "paper", "drop_caps", "overrides", "book", "titel",
])
_LINE = st.one_of(
    st.lists(st.one_of(st.sampled_from(PROSE), st.sampled_from(HOSTILE), _ANY_TEXT), min_size=1, max_size=12).map(" ".join),
    st.sampled_from(MARKERS), st.just(""), st.just("---"), st.just("title: [x"), st.just("&#1; &#x7f; &#0;"),
    st.integers(1, 3000).map(lambda n: " " * n + "indented"),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    lines=st.lists(_LINE, min_size=0, max_size=15),
    suffix=st.sampled_from([".txt", ".md", ".text", ".fic"]),
    options=st.lists(_OPTION, max_size=4),
    toml=st.lists(st.tuples(_TOML_KEY, _TOML_VALUE), max_size=4),
    raw=st.binary(max_size=40),
)
def test_hostile_options_settings_and_manuscripts_never_are_a_bookbuild_bug(
    tmp_path_factory, lines, suffix, options, toml, raw
) -> None:
    folder: Path = tmp_path_factory.mktemp("book")
    # surrogatepass writes any lone surrogate as its (invalid) UTF-8 bytes; surrogateescape took only U+DC80-DCFF.
    text = "\n".join(lines).encode("utf-8", errors="surrogatepass") + raw
    (folder / f"story{suffix}").write_bytes(text)
    if toml:
        (folder / "book.toml").write_text("".join(f"{key} = {value}\n" for key, value in toml), encoding="utf-8")
    args = ["build", str(folder / f"story{suffix}"), "-o", str(folder / "out"), "--format", "epub", "-q"]
    for option in options:
        args.extend(option)
    result = CliRunner().invoke(main, args)
    output = result.output
    assert "internal error" not in output and "Traceback" not in output, output
    assert result.exit_code in (0, 1, 2), (result.exit_code, output, result.exception)
    if result.exit_code == 1:
        errors = [line for line in result.stderr.splitlines() if line.startswith("bookbuild: error: ")]
        assert len(errors) == 1, result.stderr
