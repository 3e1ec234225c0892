#!/usr/bin/env bash
# Make sure Debian's LibreOffice Writer is there: `cleannet-eval dossier` converts its Word
# document to PDF with it, and the tests check that LibreOffice opens every DOCX we write.
#
#   scripts/ensure-libreoffice.sh          # install when missing (as root), else explain
#   SOFFICE=/opt/libreoffice/program/soffice scripts/ensure-libreoffice.sh   # another build
#
# Exit status 0: a usable soffice (its path is printed). As root on Debian/Ubuntu, a missing
# LibreOffice is installed with apt-get (libreoffice-writer-nogui, with the Thai fonts
# fonts-thai-tlwg beside it). Otherwise exit status 1 and one line saying what to install:
# never a silent skip.
set -euo pipefail
source "$(dirname "$0")/lib/debian.sh"

HINT="install Debian's LibreOffice Writer: sudo apt-get install libreoffice-writer-nogui fonts-thai-tlwg (or set SOFFICE to its path)"

path_of() {
    echo "${SOFFICE:-$(command -v soffice || echo /usr/bin/soffice)}"
}

check() {
    [[ -x "$1" ]] && "$1" --headless --version 2>/dev/null | head -n 1
}

if [[ -n "${SOFFICE:-}" ]] && ! check "$SOFFICE" >/dev/null; then
    echo "error: SOFFICE=$SOFFICE is not an executable soffice; unset it or $HINT" >&2
    exit 1
fi

ensure_debian_program libreoffice path_of check "$HINT" libreoffice-writer-nogui fonts-thai-tlwg
