"""The cover: a configured image, checked, or a generated typographic one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bookbuild.config import BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Meta
from bookbuild.writers.epub.cover import MAX_PIXELS, book_cover, fit_text, generated_cover

META = Meta(title="Roads in Winter and the Long Way Home Again", author="Ada Marie Lindqvist")


def _folder(tmp_path: Path, name: str, image: Image.Image | bytes, **save: object) -> BuildConfig:
    (tmp_path / "book.toml").write_text(f'cover = "{name}"\n', encoding="utf-8")
    if isinstance(image, bytes):
        (tmp_path / name).write_bytes(image)
    else:
        image.save(tmp_path / name, **save)
    return BuildConfig(config_path=tmp_path / "book.toml")


def test_generated_cover_is_a_large_baseline_jpeg() -> None:
    cover = generated_cover(META)
    image = Image.open(io.BytesIO(cover.data))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1600, 2560))
    assert not image.info.get("progressive")
    assert cover.alt == "Cover: Roads in Winter and the Long Way Home Again by Ada Marie Lindqvist"


def test_generated_cover_is_reproducible_and_differs_by_title() -> None:
    assert generated_cover(META).data == generated_cover(META).data
    assert generated_cover(META).data != generated_cover(Meta(title="Another Book", author=META.author)).data


def test_generated_cover_shows_text_on_a_plain_ground() -> None:
    image = Image.open(io.BytesIO(generated_cover(META).data)).convert("L")
    ground = image.getpixel((40, 40))
    middle = image.crop((300, 800, 1300, 1300))
    assert middle.getextrema()[1] - ground > 120  # light letters on a dark ground


@pytest.mark.parametrize("title", ["Word " * 60, "Supercalifragilistic" * 5, "A"])
def test_any_title_fits_its_lines(title: str) -> None:
    font, lines = fit_text(title, 1000, 190, 70, 5)
    assert 1 <= len(lines) <= 5
    assert all(font.getlength(line) <= 1000 for line in lines)
    assert lines[-1].endswith("…") == (title != "A")


def test_a_long_title_leaves_the_frame_clear() -> None:
    image = Image.open(io.BytesIO(generated_cover(Meta(title="Word " * 60, author="A B")).data)).convert("L")
    strip = image.crop((150, 200, 250, 2360))  # between the frame and the text column
    ground = image.getpixel((40, 40))
    assert strip.getextrema()[1] - ground < 40


def test_configured_jpeg_is_kept_byte_for_byte(tmp_path: Path) -> None:
    cfg = _folder(tmp_path, "cover.jpg", Image.new("RGB", (1000, 1600), (200, 30, 30)), quality=80)
    cover = book_cover(Meta(title="T", cover="cover.jpg"), cfg)
    assert cover.data == (tmp_path / "cover.jpg").read_bytes()
    assert (cover.media_type, cover.file_name, cover.generated) == ("image/jpeg", "images/cover.jpg", False)


def test_configured_png_is_kept(tmp_path: Path) -> None:
    cfg = _folder(tmp_path, "art.png", Image.new("RGB", (800, 1280), (10, 90, 10)))
    cover = book_cover(Meta(title="T", cover="art.png"), cfg)
    assert (cover.media_type, cover.file_name) == ("image/png", "images/cover.png")


def test_cmyk_progressive_or_transparent_covers_are_reencoded(tmp_path: Path) -> None:
    for name, image, save in (
        ("cmyk.jpg", Image.new("CMYK", (700, 1100)), {}),
        ("prog.jpg", Image.new("RGB", (700, 1100)), {"progressive": True}),
        ("alpha.png", Image.new("RGBA", (700, 1100), (0, 0, 0, 0)), {}),
    ):
        cfg = _folder(tmp_path, name, image, **save)
        cover = book_cover(Meta(title="T", cover=name), cfg)
        result = Image.open(io.BytesIO(cover.data))
        assert (result.format, result.mode) == ("JPEG", "RGB"), name
        assert not result.info.get("progressive"), name


def test_huge_cover_is_scaled_to_what_apple_books_takes(tmp_path: Path) -> None:
    cfg = _folder(tmp_path, "big.png", Image.new("RGB", (2000, 3200)))
    cover = book_cover(Meta(title="T", cover="big.png"), cfg)
    assert cover.width * cover.height <= MAX_PIXELS and cover.media_type == "image/jpeg"


def test_too_small_cover_is_refused(tmp_path: Path) -> None:
    cfg = _folder(tmp_path, "small.jpg", Image.new("RGB", (300, 450)))
    with pytest.raises(ConfigError, match=r"300×450 pixels.*625×1000"):
        book_cover(Meta(title="T", cover="small.jpg"), cfg)


def test_a_file_that_is_no_image_is_refused(tmp_path: Path) -> None:
    cfg = _folder(tmp_path, "cover.jpg", b"not an image at all")
    with pytest.raises(ConfigError, match="not a readable image"):
        book_cover(Meta(title="T", cover="cover.jpg"), cfg)


def test_cover_outside_the_book_folder_is_refused(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    Image.new("RGB", (700, 1100)).save(tmp_path / "elsewhere.jpg")
    (book / "book.toml").write_text('cover = "../elsewhere.jpg"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="inside the book folder"):
        book_cover(Meta(title="T", cover="../elsewhere.jpg"), BuildConfig(config_path=book / "book.toml"))


def test_missing_cover_is_named(tmp_path: Path) -> None:
    (tmp_path / "book.toml").write_text('cover = "nope.jpg"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'nope.jpg' not found"):
        book_cover(Meta(title="T", cover="nope.jpg"), BuildConfig(config_path=tmp_path / "book.toml"))


def test_the_drawn_cover_is_kept_in_the_cache_and_read_back_unchanged(tmp_path: Path, monkeypatch) -> None:
    """Drawing the cover (WeasyPrint, then pdftoppm) cost every e-book build about a second."""
    from bookbuild.cache import _ENTRY_NAME, INDEX, PartCache
    from bookbuild.model import Book
    from bookbuild.writers.pdf import cover

    book = Book(Meta(title="The Kept Cover", author="A. Keeper"), ())
    cache = PartCache(tmp_path / "cache")
    drawn = cover.front_cover_jpeg(book, cache)
    monkeypatch.setattr(cover, "draw_front_cover", lambda *_: pytest.fail("drawn again"))
    assert cover.front_cover_jpeg(book, cache) == drawn
    other = Book(Meta(title="Another Title", author="A. Keeper"), ())
    with pytest.raises(pytest.fail.Exception):
        cover.front_cover_jpeg(other, cache)
    # The entry is the cache's own: indexed, so pruning may remove it and nothing else.
    indexed = (cache.root / INDEX).read_text(encoding="utf-8").split()
    assert [name for name in indexed if name.endswith(".jpg")] and all(_ENTRY_NAME.match(name) for name in indexed)
