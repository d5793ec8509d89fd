"""Render the browser review page for docs/img/review-page.png, from the sample book.

Usage: ``python scripts/review_picture.py [OUT.png]``. Copies ``manuscript/`` into a temporary
folder with its scene-break markers taken out (a story saved without them, as review is for),
writes its review page, opens it in headless Chromium (Debian's ``chromium`` and
``chromium-driver``, as the tests use), sets the best candidate, and saves a screenshot.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from bookbuild.review import load_story
from bookbuild.review_page import write_page

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^\s*(\* \* \*|\*\*\*|---)\s*$\n?", re.MULTILINE)


def main(argv: list[str]) -> int:
    """Build the page, drive it, save the picture."""
    out = Path(argv[0]) if argv else ROOT / "docs" / "img" / "review-page.png"
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book"
        shutil.copytree(ROOT / "manuscript", book)
        for chapter in book.glob("*.md"):
            chapter.write_text(MARKER.sub("", chapter.read_text(encoding="utf-8")), encoding="utf-8")
        story = load_story(book)
        page = write_page(story, Path(folder) / "review.html", "bookbuild review book --apply answers.toml")
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,900",
                         "--hide-scrollbars", "--force-device-scale-factor=1"):
            options.add_argument(argument)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            driver.get(page.resolve().as_uri())
            best = story.candidates()[0]
            driver.find_element("id", f"gap-{best.number}").click()
            driver.find_element("id", "next").click()
            driver.execute_script("window.scrollBy(0, 60); document.activeElement.blur()")
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
