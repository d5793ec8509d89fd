"""WeasyPrint is imported without running a compiler to find its libraries (writers/pdf/loader.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Run in a fresh interpreter: the test session has imported WeasyPrint long before.
PROBE = """
import ctypes.util
searched = []
original = ctypes.util.find_library
ctypes.util._findLib_gcc = lambda name: searched.append(name)
ctypes.util._findLib_ld = lambda name: searched.append(name)
from bookbuild.writers.pdf.loader import load_weasyprint
load_weasyprint()
import weasyprint.text.ffi as ffi
assert ffi.pango is not None and ffi.harfbuzz is not None and ffi.fontconfig is not None
assert ctypes.util.find_library is original, "the search is put back"
print(len(searched))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the compiler search is Linux's")
def test_weasyprint_loads_its_libraries_without_a_compiler_search():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0", done.stdout + done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the compiler search is Linux's")
def test_a_plain_import_would_search_with_the_compiler():
    """The probe above can fail: WeasyPrint's own import asks the compiler about some names."""
    probe = PROBE.replace("from bookbuild.writers.pdf.loader import load_weasyprint\nload_weasyprint()\n", "import weasyprint\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert int(done.stdout.strip()) > 0
