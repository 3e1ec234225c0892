"""Convert a Word document to PDF with LibreOffice (headless), as Word would print it.

LibreOffice is Debian's ``libreoffice-writer-nogui`` (``scripts/ensure-libreoffice.sh``
installs it as root); ``$SOFFICE`` names another build. It runs with a profile of its own in a
temporary folder (so it never collides with a LibreOffice the user has open) and with the
package's fontconfig file, so "TH Sarabun New" resolves to Laksaman where the real font is
missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ConfigError
from .fonts import font_environment

#: Environment variable naming another ``soffice``.
SOFFICE_ENV = "SOFFICE"
INSTALL_HINT = ("install Debian's LibreOffice Writer: sudo apt-get install "
                "libreoffice-writer-nogui fonts-thai-tlwg (or run "
                "scripts/ensure-libreoffice.sh as root, or set SOFFICE to its path)")
#: Seconds allowed for one conversion.
TIMEOUT_S = 300


def soffice_path() -> str:
    """The ``soffice`` executable.

    Raises
    ------
    ConfigError
        None found; the message says what to install.
    """
    named = os.environ.get(SOFFICE_ENV)
    path = named or shutil.which("soffice") or shutil.which("libreoffice")
    if not path or not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise ConfigError(f"The dossier's PDF needs LibreOffice, and there is none"
                          f"{' at ' + named if named else ''}: {INSTALL_HINT}")
    return path


def docx_to_pdf(docx: str | Path) -> bytes:
    """The PDF LibreOffice makes of ``docx``.

    Raises
    ------
    ConfigError
        No LibreOffice, or the conversion failed (its message is included).
    """
    executable = soffice_path()
    source = Path(docx).resolve()
    with tempfile.TemporaryDirectory(prefix="cleannet-soffice-") as work:
        profile = Path(work, "profile").as_uri()
        out_dir = Path(work, "out")
        command = [executable, "--headless", "--norestore", "--nologo", "--nodefault",
                   f"-env:UserInstallation={profile}", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(out_dir), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                                  env=font_environment(), check=False)
        except subprocess.TimeoutExpired:
            raise ConfigError(f"LibreOffice did not convert {source.name} within {TIMEOUT_S} s")
        pdf = out_dir / (source.stem + ".pdf")
        if done.returncode != 0 or not pdf.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise ConfigError(f"LibreOffice could not convert {source.name} to PDF (exit "
                              f"{done.returncode}): {detail[-1] if detail else 'no output'}")
        return pdf.read_bytes()
