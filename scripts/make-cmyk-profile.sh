#!/usr/bin/env bash
# Rebuild assets/icc/bookbuild-fogra39.icc, the PDF/X-1a output profile, from the FOGRA39
# characterization data (zlib licence) with ArgyllCMS. Only needed to change the profile:
# the built file is part of the repository. Needs Debian's icc-profiles-free and argyll.
set -euo pipefail
data=/usr/share/color/icc/FOGRA39L.ti3
[ -f "$data" ] && command -v colprof >/dev/null || {
  echo "make-cmyk-profile: please install icc-profiles-free and argyll (apt-get install icc-profiles-free argyll)" >&2
  exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"
# -ql: low quality tables keep the profile small (it is embedded in every PDF/X-1a); -kr: a
# black generation ramp; -l 300: FOGRA39's total ink limit for the separation tables.
(cd "$work" && colprof -ql -kr -l 300 \
  -D "bookbuild FOGRA39 (coated offset, from icc-profiles-free FOGRA39L.ti3)" \
  -C "Profile built by bookbuild with ArgyllCMS colprof from FOGRA39L.ti3 (Zlib licence, Kai-Uwe Behrmann)" \
  FOGRA39L >/dev/null)
cp "$work/FOGRA39L.icc" "$(dirname "$0")/../assets/icc/bookbuild-fogra39.icc"
echo "wrote assets/icc/bookbuild-fogra39.icc"
