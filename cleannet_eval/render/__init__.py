"""Rendering: published results as text, PDF and Word (no statistics here).

* :mod:`.score_table` prints the success-factor table of the ``score`` command (text, CSV,
  JSON);
* :mod:`.pdf` prints a report's HTML page to an A4 PDF in Debian's Chromium (one browser for a
  batch, driven by Playwright);
* :mod:`.docx` turns the same executed notebook into a Word document in the Thai official
  format (TH Sarabun New 16 pt in the Latin and complex-script slots, Word heading styles and a
  TOC field, real tables, charts as pictures, A4, a PAGE field in the footer);
* :mod:`.images` draws the charts as PNG pictures with kaleido (one kaleido server for a batch);
* :mod:`.fonts` points Chromium, kaleido and LibreOffice at the package's fontconfig file;
* :mod:`.libreoffice` converts a DOCX to PDF with LibreOffice (the dossier's PDF);
* :mod:`.formats` chooses the formats and writes them beside the HTML report.
"""

from __future__ import annotations

from .formats import FORMATS, ExtraFormats, parse_formats

__all__ = ["FORMATS", "ExtraFormats", "parse_formats"]
