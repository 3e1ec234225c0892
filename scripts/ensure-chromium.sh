#!/usr/bin/env bash
# Make sure Debian's chromium is there: `cleannet-eval report --format pdf,docx` prints the PDF
# and draws the charts with it (Playwright and kaleido drive it), and the browser tests
# (tests/test_browser.py, tests/test_xss.py, tests/test_print_formats.py) use it.
# Playwright's own browser download is never used: `playwright install` needs a network we do not have.
#
#   scripts/ensure-chromium.sh          # install when missing (as root), else explain
#   CHROMIUM=/opt/chromium/chrome scripts/ensure-chromium.sh   # use another build
#
# Exit status 0: a usable chromium (its path is printed). As root on Debian/Ubuntu, a missing
# chromium is installed with apt-get, with the Thai fonts (fonts-thai-tlwg) beside it. Otherwise
# exit status 1 and one line saying what to install: never a silent skip.
set -euo pipefail

HINT="install Debian's chromium: sudo apt-get install chromium"
BROWSER="${CHROMIUM:-/usr/bin/chromium}"

usable() {
    [[ -x "$1" ]] && "$1" --version >/dev/null 2>&1
}

if usable "$BROWSER"; then
    echo "chromium: $BROWSER ($("$BROWSER" --version 2>/dev/null | head -n 1))"
    exit 0
fi

if [[ -n "${CHROMIUM:-}" ]]; then
    echo "error: CHROMIUM=$CHROMIUM is not an executable chromium; unset it or $HINT" >&2
    exit 1
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not found, installing Debian's chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-thai-tlwg >/dev/null
    if usable "$BROWSER"; then
        echo "chromium: $BROWSER ($("$BROWSER" --version 2>/dev/null | head -n 1))"
        exit 0
    fi
    echo "error: apt-get installed chromium but $BROWSER does not run; $HINT" >&2
    exit 1
fi

echo "error: no chromium at $BROWSER; $HINT (or set CHROMIUM to its path)" >&2
exit 1
