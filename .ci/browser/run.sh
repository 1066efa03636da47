#!/usr/bin/env bash
# The browser checks of the web edition (README, "Set up": browser checks), as CI runs them:
#   bash .ci/browser/run.sh [[NAME=]SITE_DIR...]
# Installs Debian's chromium and node/npm if missing, installs the pinned puppeteer-core and
# axe-core (npm ci; no browser is downloaded), runs the self-test, then checks every page of each
# SITE_DIR, writing screenshots to build/screenshots/<NAME>/ (NAME defaults to the folder's own
# name). Exits 1 if a page fails, 2 if a site cannot be checked or two sites share a NAME.
set -euo pipefail

# Site dirs are named from where the caller stands; everything else is relative to the repo.
sites=()
names=()
for arg in "$@"; do
  if [[ "$arg" =~ ^([A-Za-z0-9._-]+)=(.+)$ ]]; then
    name=${BASH_REMATCH[1]}
    site=${BASH_REMATCH[2]}
  else
    site=$arg
    name=$(basename -- "$(realpath -m -- "$site")")
  fi
  for taken in "${names[@]}"; do
    if [ "$taken" = "$name" ]; then
      echo ".ci/browser/run.sh: two sites would share build/screenshots/$name/: name them, NAME=SITE_DIR" >&2
      exit 2
    fi
  done
  sites+=("$(realpath -m -- "$site")")
  names+=("$name")
done
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

need=()
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
if ! command -v node >/dev/null 2>&1; then
  need+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
  need+=(npm)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo ".ci/browser/run.sh: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo ".ci/browser/run.sh: node $(node --version) is too old; puppeteer-core needs node 18 or later" >&2
  exit 2
fi

# puppeteer-core never downloads a browser; the variable makes sure nothing in the tree does.
export PUPPETEER_SKIP_DOWNLOAD=1
echo ".ci/browser/run.sh: npm ci (node $(node --version), $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null))"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

echo ".ci/browser/run.sh: selftest"
bash "$here/selftest.sh"

failed=0
for i in "${!sites[@]}"; do
  site=${sites[$i]}
  shots="$root/build/screenshots/${names[$i]}"
  rm -rf "$shots"
  echo ".ci/browser/run.sh: check.mjs $site --shots $shots"
  status=0
  node "$here/check.mjs" "$site" --shots "$shots" || status=$?
  if [ "$status" -ne 0 ]; then
    # A site that could not be checked at all (status 2) stops CI as surely as a failing page.
    if [ "$status" -eq 2 ]; then
      echo ".ci/browser/run.sh: $site could not be checked" >&2
      failed=2
    elif [ "$failed" -eq 0 ]; then
      failed=1
    fi
  fi
done
exit "$failed"
