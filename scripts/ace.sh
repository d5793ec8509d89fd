#!/usr/bin/env bash
# Run Ace by DAISY (the EPUB accessibility checker) on EPUB files and print one line each:
# "ace FILE: N violations". Ace lives in .tools/ace (npm, --ignore-scripts so Electron's
# browser download is skipped) and drives the system Chromium through Puppeteer.
# As root, a missing Chromium is installed with apt-get; otherwise the script names it and fails.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools/ace"
ace="$tools/node_modules/.bin/ace-puppeteer"
chromium="${PUPPETEER_EXECUTABLE_PATH:-$(command -v chromium || command -v chromium-browser || true)}"

missing=()
[ -n "$chromium" ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ace: please install: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "ace: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  chromium="$(command -v chromium)"
fi
if [ ! -x "$ace" ]; then
  echo "ace: installing @daisy/ace into $tools" >&2
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"private": true}' >"$tools/package.json"
  npm install --prefix "$tools" --ignore-scripts --no-audit --no-fund --silent @daisy/ace >&2
fi

failed=0
for epub in "$@"; do
  report="$(mktemp -d)"
  if ! PUPPETEER_EXECUTABLE_PATH="$chromium" "$ace" --silent -f -o "$report" "$epub" >/dev/null 2>"$report/stderr"; then
    echo "ace $epub: Ace did not finish:" >&2
    cat "$report/stderr" >&2
    failed=1
    continue
  fi
  python3 - "$report/report.json" "$epub" <<'PY' || failed=1
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
failures = [
    (test.get("earl:test", {}).get("earl:impact", "?"), test.get("earl:test", {}).get("dct:title", "?"),
     group.get("earl:testSubject", {}).get("url", ""))
    for group in report.get("assertions", [])
    for test in group.get("assertions", [])
    if test.get("earl:result", {}).get("earl:outcome") == "fail"
]
for impact, title, where in failures:
    print(f"  {impact} {title} {where}")
print(f"ace {sys.argv[2]}: {len(failures)} violations")
sys.exit(1 if failures else 0)
PY
  rm -rf "$report"
done
exit $failed
