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
source "$(dirname "$0")/lib/debian.sh"

HINT="install Debian's chromium: sudo apt-get install chromium fonts-thai-tlwg (or set CHROMIUM to its path)"

path_of() {
    echo "${CHROMIUM:-/usr/bin/chromium}"
}

check() {
    [[ -x "$1" ]] && "$1" --version 2>/dev/null | head -n 1
}

if [[ -n "${CHROMIUM:-}" ]] && ! check "$CHROMIUM" >/dev/null; then
    echo "error: CHROMIUM=$CHROMIUM is not an executable chromium; unset it or $HINT" >&2
    exit 1
fi

ensure_debian_program chromium path_of check "$HINT" chromium fonts-thai-tlwg
