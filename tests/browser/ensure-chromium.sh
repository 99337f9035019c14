#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/browser/*.test.ts) when /usr/bin/chromium is
# missing. Idempotent: does nothing when it is already there. The tests never download a browser of their
# own (Playwright's bundled builds are not reachable here, and a distribution package gets security updates).
#
#   sudo tests/browser/ensure-chromium.sh      (or as root, e.g. in CI before `npm test`)
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM non trovato e l'installazione richiede root: eseguire 'sudo $0' /" \
    "$CHROMIUM is missing and installing it needs root: run 'sudo $0'" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: apt-get non disponibile: installare Chromium in $CHROMIUM a mano /" \
    "apt-get is not available: install Chromium at $CHROMIUM by hand" >&2
  exit 1
fi

# Quiet when it works; the whole apt output when it does not, so the cause is visible.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-chromium: installazione di chromium con apt-get fallita / apt-get install chromium failed" >&2
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get ha installato chromium ma $CHROMIUM manca /" \
    "chromium was installed but $CHROMIUM is missing" >&2
  exit 1
fi
echo "ensure-chromium: installato $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
