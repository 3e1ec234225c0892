#!/usr/bin/env bash
# Make sure Debian's poppler-utils are there: the PDF tests (tests/printed.py) read every PDF
# the suite writes with pdffonts, pdftotext and pdfinfo, and render its first page with
# pdftoppm into reports/_screenshots/ for a person to look at.
#
#   scripts/ensure-poppler.sh          # install when missing (as root), else explain
#
# Exit status 0: pdffonts and its siblings run (the path is printed). As root on Debian/Ubuntu,
# missing poppler-utils are installed with apt-get. Otherwise exit status 1 and one line saying
# what to install: never a silent skip.
set -euo pipefail
source "$(dirname "$0")/lib/debian.sh"

HINT="install Debian's poppler-utils: sudo apt-get install poppler-utils"

path_of() {
    command -v pdffonts || echo /usr/bin/pdffonts
}

check() {
    local tool
    [[ -x "$1" ]] || return 1
    for tool in pdffonts pdftotext pdfinfo pdftoppm; do
        "$(dirname "$1")/$tool" -v >/dev/null 2>&1 || return 1
    done
    "$1" -v 2>&1 | head -n 1
}

ensure_debian_program poppler-utils path_of check "$HINT" poppler-utils
