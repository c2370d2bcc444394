#!/usr/bin/env bash
# The one set-up step on Debian (12 "bookworm" or later), named by README.md and run by .ci/run (so CI proves the
# README): installs the system packages the program and its tests need, then the npm packages (npm ci).
#
#   scripts/setup-debian.sh                  as yourself: apt-get runs through sudo, npm ci as you
#   scripts/setup-debian.sh --without-npm-ci only the system packages (node_modules is already in place)
#
# Afterwards `npm start` starts the program and `npm test` passes; `npm test` first checks the same list
# (scripts/check-system.mjs) and names a missing package in one line.
set -euo pipefail
cd "$(dirname "$0")/.."

run_npm_ci=1
for arg in "$@"; do
  case "$arg" in
    --without-npm-ci) run_npm_ci=0 ;;
    *) echo "Unbekannte Angabe / unknown option: $arg" >&2; exit 2 ;;
  esac
done

# Keep in step with scripts/check-system.mjs (tests/build/system-setup.test.ts compares the two).
packages=(
  chromium            # the UI tests: playwright-core drives Debian's Chromium (no browser download)
  fonts-dejavu-core   # a font for Chromium (the UI uses the system's sans-serif)
  poppler-utils       # pdftotext, pdftoppm, pdfinfo, pdffonts, pdfimages, pdfdetach: the PDF export tests
  qpdf                # PDF structure checks
  openssl             # certificates made by the TLS and proxy tests
  xvfb                # a display for the Electron shell tests where the Electron runtime exists
  build-essential     # npm ci compiles the SQLite cipher module (better-sqlite3-multiple-ciphers) ...
  python3             # ... with node-gyp
  binutils
  ca-certificates     # npm ci reaches the registry over TLS
  postgresql          # the PostgreSQL store tests start a throw-away cluster (initdb, pg_ctl, pg_dump)
)

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "Für apt-get werden Administratorrechte gebraucht: als root oder mit sudo ausführen. / apt-get needs administrator rights: run as root or with sudo." >&2
  exit 1
fi

# Node.js 20.19 or later (package.json "engines"): Debian 13 ships it; Debian 12 ships 18, so there it comes from
# nodejs.org or NodeSource (never replaced here).
node_ok() { command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; }

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
if ! node_ok; then
  candidate="$(apt-cache policy nodejs | sed -n 's/^ *Candidate: *//p')"
  if [ -n "$candidate" ] && [ "$candidate" != "(none)" ] && dpkg --compare-versions "$candidate" ge 20.19; then
    packages+=(nodejs npm)
  else
    echo "Node.js 20.19 oder neuer fehlt (Debian bietet ${candidate:-keins}): bitte von https://nodejs.org installieren, dann dieses Skript erneut ausführen. / Node.js 20.19 or later is missing (Debian offers ${candidate:-none}): install it from https://nodejs.org, then run this script again." >&2
    exit 1
  fi
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

if [ "$run_npm_ci" -eq 1 ]; then
  if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    # started with sudo: node_modules belongs to the developer, not to root
    sudo -u "$SUDO_USER" env "PATH=$PATH" npm ci --no-audit --no-fund
  else
    npm ci --no-audit --no-fund
  fi
fi

node scripts/check-system.mjs
echo "Einrichtung fertig: „npm start“ startet das Programm, „npm test“ prüft es. / Set-up done: \"npm start\" starts the program, \"npm test\" tests it."
