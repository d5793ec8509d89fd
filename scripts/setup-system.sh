#!/usr/bin/env bash
# Install the system parts bookbuild needs that pip cannot: a Java runtime (EPUBCheck)
# and Pango (WeasyPrint's text layout). As root, apt-get installs what is missing;
# otherwise print one line naming what to install and fail.
set -euo pipefail

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
# WeasyPrint subsets fonts with HarfBuzz when it can; its fontTools fallback gives different
# bytes for the same book within one process, which breaks reproducible PDFs (and is slower).
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list >/dev/null 2>&1 || missing+=(fontconfig)
# The browser tests (scene-break review page, e-reader themes) drive Debian's Chromium with
# Selenium through its own driver, so no browser is downloaded at test time.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
# calibre's ebook-convert stands in for Send to Kindle in the Kindle round-trip test (large, tests only).
command -v ebook-convert >/dev/null 2>&1 || missing+=(calibre)
# `make bench` (--bench) compares with the anchor, ../shared/bench/pandoc-anchor.sh, which runs pandoc.
if [ "${1:-}" = "--bench" ]; then
  command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system: all present (java, pango, harfbuzz-subset, poppler-utils, fontconfig, chromium, chromedriver, calibre)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system: please install: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
