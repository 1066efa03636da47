#!/usr/bin/env bash
# Rebuilds vlr-FOGRA39.icc, the output profile of the print edition's default printing
# condition, from the FOGRA39L characterization data (see README.md beside this file).
# Needs Debian's `icc-profiles-free` (the data, zlib licence) and `argyll` (colprof).
# The result is committed: builds never run this. colprof stamps the profile with the date
# it ran, so a rebuild differs in that field.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
# -qm: medium quality tables; -kr: ramp black generation; -l330 -L98: the total and black ink
# limits of ISO 12647-2 coated offset; -nc: no measurement data inside the profile;
# -S sRGB.icc -cmt -dpp: perceptual and saturation tables mapped from sRGB (the book's colours)
# for print viewing conditions.
(cd "$work" && colprof -qm -kr -l330 -L98 -nc \
  -S /usr/share/color/icc/sRGB.icc -cmt -dpp \
  -A "vlr" -M "FOGRA39L" \
  -D "vlr FOGRA39 coated offset (from FOGRA39L data)" \
  -C "Made by vlr from the FOGRA39L characterization data (Fogra) as shipped by Debian icc-profiles-free (zlib licence). No warranty." \
  FOGRA39L)
cp "$work/FOGRA39L.icc" vlr-FOGRA39.icc
