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

HINT="install Debian's LibreOffice Writer: sudo apt-get install libreoffice-writer-nogui fonts-thai-tlwg"
SOFFICE_BIN="${SOFFICE:-$(command -v soffice || echo /usr/bin/soffice)}"

usable() {
    [[ -x "$1" ]] && "$1" --headless --version >/dev/null 2>&1
}

if usable "$SOFFICE_BIN"; then
    echo "libreoffice: $SOFFICE_BIN ($("$SOFFICE_BIN" --headless --version 2>/dev/null | head -n 1))"
    exit 0
fi

if [[ -n "${SOFFICE:-}" ]]; then
    echo "error: SOFFICE=$SOFFICE is not an executable soffice; unset it or $HINT" >&2
    exit 1
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "libreoffice: not found, installing Debian's libreoffice-writer-nogui with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-thai-tlwg >/dev/null
    SOFFICE_BIN="$(command -v soffice || echo /usr/bin/soffice)"
    if usable "$SOFFICE_BIN"; then
        echo "libreoffice: $SOFFICE_BIN ($("$SOFFICE_BIN" --headless --version 2>/dev/null | head -n 1))"
        exit 0
    fi
    echo "error: apt-get installed LibreOffice but $SOFFICE_BIN does not run; $HINT" >&2
    exit 1
fi

echo "error: no LibreOffice (soffice) found; $HINT (or set SOFFICE to its path)" >&2
exit 1
