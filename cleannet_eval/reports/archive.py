"""``--zip``: one zip per fiscal year (``reports-FY.zip``) to mail a year's reports.

Each zip holds the year's reports (their folders as in the output folder), an ``index.html``
listing only that year's reports, the shared ``plotly.min.js`` (and ``plotly-full.min.js``)
when the batch used ``--assets shared``, and the executed notebooks of failed reports that the
index links to. Links inside work after unzipping anywhere. Mail systems that quarantine
``.html`` attachments usually let a zip through.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..files import part_path
from .bundles import SHARED_NAMES
from .index import INDEX_NAME, render_index

#: ``reports-2551.zip``; ``reports-all-years.zip`` for notebooks without a fiscal year.
ZIP_NAME = "reports-{year}.zip"


def zip_name(fiscal_year: int | None) -> str:
    """The zip's file name for a fiscal year (``None``: all years)."""
    return ZIP_NAME.format(year="all-years" if fiscal_year is None else fiscal_year)


def write_zips(
    reports: Sequence[Mapping[str, object]],
    out_dir: str | Path,
    *,
    lang: str = "th",
    run_time: str = "",
) -> list[Path]:
    """Write one zip per fiscal year of ``reports`` into ``out_dir`` (atomically).

    Parameters
    ----------
    reports
        The manifest's ``reports`` entries.
    out_dir
        The batch's output folder.
    lang, run_time
        For each zip's ``index.html``.

    Returns
    -------
    list of Path
        The zips written, in fiscal-year order (all-years last).
    """
    out = Path(out_dir)
    years: dict[int | None, list[Mapping[str, object]]] = {}
    for report in reports:
        years.setdefault(report.get("fiscal_year"), []).append(report)  # type: ignore[arg-type]
    shared = [out / name for name in SHARED_NAMES.values() if (out / name).is_file()]
    written = []
    for year in sorted(years, key=lambda y: (y is None, y or 0)):
        entries = years[year]
        path = out / zip_name(year)
        tmp = part_path(path)
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED,
                                 compresslevel=6) as archive:
                archive.writestr(INDEX_NAME, render_index(entries, lang=lang,
                                                          run_time=run_time))
                for asset in shared:
                    archive.write(asset, asset.name)
                for entry in entries:
                    for key in ("output", "failed_notebook"):
                        member = entry.get(key)
                        if member and (out / str(member)).is_file():
                            archive.write(out / str(member), str(member))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(path)
    return written
