"""The EPUB's cover image: the file ``book.toml`` names, checked, or a generated typographic one.

A generated cover is title and author set in the bundled Linux Libertine on a plain ground,
drawn with Pillow at the 1600 × 2560 size that Kindle, Kobo and Apple Books all scale down
from cleanly. Pillow's basic layout engine is used so the bytes do not depend on which text
shaping library the machine has (reproducible builds).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from bookbuild.assets import asset_path
from bookbuild.config import BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Meta

WIDTH, HEIGHT = 1600, 2560
# Stores reject or blur covers below this (Amazon's minimum); Apple Books caps at 4 megapixels.
MIN_WIDTH, MIN_HEIGHT = 625, 1000
MAX_PIXELS = 4_000_000
# Dark grounds keep contrast on greyscale e-ink library views; the title picks one, stably.
GROUNDS = ((0x1F, 0x2A, 0x44), (0x4A, 0x1C, 0x22), (0x1F, 0x3B, 0x2D), (0x2E, 0x2E, 0x33), (0x3B, 0x24, 0x45))
INK = (0xF3, 0xEA, 0xD8)
KEPT_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


@dataclass(frozen=True, slots=True)
class Cover:
    """An encoded cover image and how to describe it."""

    data: bytes
    media_type: str
    extension: str
    width: int
    height: int
    alt: str
    generated: bool

    @property
    def file_name(self) -> str:
        """The image's path inside the EPUB."""
        return f"images/cover.{self.extension}"


def cover_alt(meta: Meta) -> str:
    """The cover's text alternative: what a sighted reader sees on it."""
    by = f" by {meta.author}" if meta.author else ""
    return f"Cover: {meta.title}{by}"


def _font(size: int):
    from PIL import ImageFont

    path = asset_path("fonts/linux-libertine/LinLibertine_R.otf")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def fit_text(text: str, width: int, start: int, smallest: int, max_lines: int):
    """The font and lines that set ``text`` largest within ``max_lines`` lines of ``width``.

    At the smallest size a text that still does not fit is cut short with an ellipsis.
    """
    size = start
    while True:
        font = _font(size)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines and all(font.getlength(line) <= width for line in lines):
            return font, lines
        if size <= smallest:
            break
        size = max(smallest, int(size * 0.9))
    lines = lines[:max_lines]
    lines[-1] += "…"
    return font, [_clip(line, font, width) for line in lines]


def _clip(line: str, font, width: int) -> str:
    if font.getlength(line) <= width:
        return line
    while len(line) > 1 and font.getlength(line.rstrip("…") + "…") > width:
        line = line.rstrip("…")[:-1]
    return line.rstrip("…").rstrip() + "…"


def _centred(draw, lines: list[str], font, top: int, leading: float) -> int:
    step = int(font.size * leading)
    for number, line in enumerate(lines):
        x = (WIDTH - font.getlength(line)) / 2
        draw.text((x, top + number * step), line, font=font, fill=INK)
    return top + len(lines) * step


def generated_cover(meta: Meta) -> Cover:
    """Title and author set on a plain ground, as a JPEG e-readers show in their libraries."""
    from PIL import Image, ImageDraw

    digest = hashlib.sha256(f"{meta.title}\n{meta.author}".encode()).digest()
    image = Image.new("RGB", (WIDTH, HEIGHT), GROUNDS[digest[0] % len(GROUNDS)])
    draw = ImageDraw.Draw(image)
    margin = 110
    draw.rectangle((margin, margin, WIDTH - margin, HEIGHT - margin), outline=INK, width=4)
    draw.rectangle((margin + 22, margin + 22, WIDTH - margin - 22, HEIGHT - margin - 22), outline=INK, width=2)

    text_width = WIDTH - 2 * (margin + 150)
    title_font, title_lines = fit_text(meta.title or "Untitled", text_width, 190, 70, 5)
    title_height = len(title_lines) * int(title_font.size * 1.18)
    bottom = _centred(draw, title_lines, title_font, int(HEIGHT * 0.40) - title_height // 2, 1.18)
    rule_y = bottom + 90
    draw.line((WIDTH / 2 - 140, rule_y, WIDTH / 2 + 140, rule_y), fill=INK, width=3)
    if meta.author:
        author_font, author_lines = fit_text(meta.author.upper(), text_width, 84, 40, 3)
        _centred(draw, author_lines, author_font, int(HEIGHT * 0.72), 1.3)

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, optimize=True, progressive=False)
    return Cover(buffer.getvalue(), "image/jpeg", "jpg", WIDTH, HEIGHT, cover_alt(meta), True)


def cover_path(name: str, cfg: BuildConfig) -> Path:
    """The cover file ``book.toml`` names, resolved inside the book folder (never outside it)."""
    if cfg.config_path is None:
        raise ConfigError(f"cover '{name}' can only be set in a book.toml beside the manuscript")
    folder = cfg.config_path.parent.resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(folder):
        raise ConfigError(f"cover '{name}' must be inside the book folder {folder}")
    if not path.is_file():
        raise ConfigError(f"cover image '{name}' not found in {folder}")
    return path


def cover_from_file(path: Path, meta: Meta) -> Cover:
    """A cover from an image file: JPEG or PNG kept as is when readers take it, else re-encoded."""
    from PIL import Image, UnidentifiedImageError

    data = path.read_bytes()
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ConfigError(f"cover image {path.name} is not a readable image ({exc})") from exc
    width, height = image.size
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ConfigError(
            f"cover image {path.name} is {width}×{height} pixels; e-book readers and stores need at "
            f"least {MIN_WIDTH}×{MIN_HEIGHT} (1600×2560 is ideal)"
        )
    # Kindle and Adobe-based readers (older Kobo, Nook) mis-render CMYK or progressive JPEGs.
    keep = (
        image.format in KEPT_FORMATS
        and image.mode in ("RGB", "L", "P", "RGBA", "LA")
        and not image.info.get("progressive")
        and width * height <= MAX_PIXELS
        and "transparency" not in image.info
        and image.mode not in ("RGBA", "LA")
    )
    if keep:
        media_type, extension = KEPT_FORMATS[image.format]
        return Cover(data, media_type, extension, width, height, cover_alt(meta), False)
    return _reencoded(image, meta)


def _reencoded(image, meta: Meta) -> Cover:
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    if image.width * image.height > MAX_PIXELS:
        scale = (MAX_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize((int(image.width * scale), int(image.height * scale)), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, optimize=True, progressive=False)
    return Cover(buffer.getvalue(), "image/jpeg", "jpg", image.width, image.height, cover_alt(meta), False)


def book_cover(meta: Meta, cfg: BuildConfig) -> Cover:
    """The book's cover: the configured image if there is one, else a generated one."""
    if meta.cover:
        return cover_from_file(cover_path(meta.cover, cfg), meta)
    return generated_cover(meta)
