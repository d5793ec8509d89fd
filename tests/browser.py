"""A real headless browser for tests: Debian's Chromium driven by Selenium through its own driver.

Use the ``browser`` fixture (registered in conftest): ``browser.get(path_or_url)`` opens a page,
``browser.downloads`` is the folder where the page's downloads land, ``browser.wait_for_download``
waits for one. No browser is downloaded at test time: ``make setup`` installs Debian's
``chromium`` and ``chromium-driver``; where neither can be had the test is skipped, saying why.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
DRIVER_NAMES = ("chromedriver",)


def _which(names: tuple[str, ...]) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


class Browser:
    """A Selenium WebDriver for Chromium, with the folder its downloads go to."""

    def __init__(self, driver, downloads: Path) -> None:
        self.driver = driver
        self.downloads = downloads

    def get(self, target: Path | str) -> None:
        """Open a file (as a file:// URL) or a URL."""
        self.driver.get(target.resolve().as_uri() if isinstance(target, Path) else target)

    def wait_for_download(self, name: str, timeout: float = 15.0) -> Path:
        """The downloaded file ``name`` once it is complete (Chromium writes .crdownload first)."""
        target = self.downloads / name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            partial = list(self.downloads.glob("*.crdownload"))
            if target.is_file() and not partial and target.stat().st_size > 0:
                return target
            time.sleep(0.1)
        found = sorted(p.name for p in self.downloads.iterdir())
        raise AssertionError(f"no download {name} within {timeout}s (the folder holds {found})")

    def screenshot(self, path: Path, width: int = 1100, height: int = 900) -> Path:
        """Save what the window shows as a PNG."""
        self.driver.set_window_size(width, height)
        self.driver.save_screenshot(str(path))
        return path


def chromium_driver(downloads: Path, width: int = 1100, height: int = 900):
    """A headless Chromium WebDriver whose downloads land in ``downloads``; skips the test if none."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (make setup)")
    from selenium.webdriver.chrome.service import Service

    binary, driver = _which(CHROMIUM_NAMES), _which(DRIVER_NAMES)
    if binary is None or driver is None:
        pytest.skip("no Chromium and chromedriver here: make setup installs Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    options.binary_location = binary
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
        },
    )
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    """A headless Chromium for one test; its downloads go to a folder of the test's own."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium_driver(downloads)
    try:
        yield Browser(driver, downloads)
    finally:
        driver.quit()
