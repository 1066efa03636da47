#!/usr/bin/env bash
# Proves check.mjs can fail: the bad fixture must fail with every kind of fault it holds reported,
# the good one must pass without a note, screenshots must come out at the two widths, and misuse
# must end with status 2. Needs `npm ci` done in this folder and Chromium (see run.sh).
set -euo pipefail
cd "$(dirname "$0")"

out=$(mktemp -d /tmp/vlr-browser-selftest.XXXXXX)
trap 'rm -rf "$out"' EXIT
problems=0
problem() {
  echo "selftest: $*" >&2
  problems=$((problems + 1))
}

# Runs check.mjs, keeping its report in $out/$1.txt and its exit status in $status.
check() {
  local name=$1
  shift
  status=0
  node check.mjs "$@" >"$out/$name.txt" 2>&1 || status=$?
}

expect_line() {
  local report=$1 pattern=$2
  grep -qE -- "$pattern" "$out/$report.txt" || problem "$report: nothing matching /$pattern/ in the report"
}

check bad fixtures/bad --shots "$out/shots-bad"
[ "$status" -eq 1 ] || problem "bad: exit status $status, expected 1"
expect_line bad '^FAIL index\.html$'
expect_line bad '^FAIL wide\.html$'
expect_line bad '^  axe: image-alt \[critical\] img\[src\$="pic\.svg"\] .*https://dequeuniversity\.com/rules/axe/'
expect_line bad '^  axe: label \[critical\] input '
expect_line bad '^  axe: color-contrast \[serious\] '
expect_line bad '^  external request: https://example\.com/x\.css '
expect_line bad '^  console error: selftest: console error from an inline script \(file://.*/bad/index\.html:[0-9]+\)$'
expect_line bad '^  page error: selftest: uncaught page error'
expect_line bad '^  request failed: file://.*/bad/missing\.png \(net::ERR_FILE_NOT_FOUND\)$'
expect_line bad '^  request outside the site: file://.*/browser/package\.json '
expect_line bad '^  reflow: the page scrolls sideways by [0-9]+px at 360px wide'
expect_line bad '^  text out of its box: "ЭФФЕКТИВНЫЕИНСТИТУТЫ" runs [0-9]+px out of div at 360px wide'
expect_line bad '^  small text: "2025" in a picture is drawn 2\.0px high at 360px wide'
expect_line bad '^  broken link: file://.*/bad/gone\.html does not exist'
expect_line bad '^  broken link: file://.*/bad/index\.html#nowhere: no element with id "nowhere"'
expect_line bad '^2 pages checked: 0 passed, 2 failed$'
# A missing file is one failed request, not also a console error.
if grep -q '^  console error: Failed to load resource' "$out/bad.txt"; then
  problem "bad: a failed request was also reported as a console error"
fi

check good fixtures/good --shots "$out/shots-good"
[ "$status" -eq 0 ] || problem "good: exit status $status, expected 0"
expect_line good '^3 pages checked: 3 passed, 0 failed$'
if grep -qE '^  ' "$out/good.txt"; then problem "good: the clean pages drew failures or notes"; fi
for shot in index-360 index-1440 en-goal-14-360 en-goal-14-1440 ar-index-360 ar-index-1440; do
  png="$out/shots-good/$shot.png"
  if [ ! -s "$png" ]; then
    problem "good: no screenshot $shot.png"
    continue
  fi
  # A PNG's width is the big-endian word at byte 16 (the IHDR chunk).
  width=$(od -An -tu1 -j16 -N4 "$png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
  [ "$width" = "${shot##*-}" ] || problem "good: $shot.png is $width px wide"
done

check pages fixtures/good --pages 'en/*.html'
[ "$status" -eq 0 ] || problem "--pages: exit status $status, expected 0"
expect_line pages '^1 pages checked: 1 passed, 0 failed$'

mkdir "$out/empty"
check no-args
[ "$status" -eq 2 ] || problem "no arguments: exit status $status, expected 2"
check no-dir "$out/does-not-exist"
[ "$status" -eq 2 ] || problem "missing site dir: exit status $status, expected 2"
expect_line no-dir 'does not exist'
check no-html "$out/empty"
[ "$status" -eq 2 ] || problem "no html: exit status $status, expected 2"
expect_line no-html '^check\.mjs: no \*\.html under '
check no-match fixtures/good --pages 'fr/*.html'
[ "$status" -eq 2 ] || problem "--pages matching nothing: exit status $status, expected 2"
check bad-option fixtures/good --frobnicate
[ "$status" -eq 2 ] || problem "unknown option: exit status $status, expected 2"

if [ "$problems" -gt 0 ]; then
  echo "selftest: $problems problems; the bad fixture's report was:" >&2
  cat "$out/bad.txt" >&2
  exit 1
fi
echo "selftest: check.mjs fails the bad fixture on each of its faults, passes the good one, writes screenshots, exits 2 on misuse"
