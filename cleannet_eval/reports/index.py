"""``reports/index.html`` and ``reports/manifest.json``: what a batch built, and how it went.

The index lists every report grouped by fiscal year and unit, with its status; a failed report
shows the failing cell and the error, and links to the executed notebook kept in ``_failed/``.
Every value in it comes from user data (unit names, titles, error messages) and is escaped by
Jinja's autoescape. The manifest holds the same in JSON (see ``docs/reports.md``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from .. import config
from ..files import atomic_write
from ..version import __version__
from .labels import labels, period_label, scope_label

#: The index page's template, kept beside the report template.
INDEX_TEMPLATE = "batch-index.html.j2"
INDEX_NAME = "index.html"
MANIFEST_NAME = "manifest.json"
#: Version of the manifest's layout.
MANIFEST_FORMAT = 1


def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.PACKAGE_DATA_DIR / "templates" / "cleannet")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _group(reports: Iterable[Mapping[str, object]], lang: str) -> list[dict[str, object]]:
    """Reports by fiscal year (newest first, all-years last), then department before units."""
    years: dict[object, list[Mapping[str, object]]] = {}
    for report in reports:
        years.setdefault(report.get("fiscal_year"), []).append(report)
    ordered = sorted(years, key=lambda y: (y is None, -(y or 0)))
    groups = []
    for year in ordered:
        rows = sorted(years[year], key=lambda r: (r.get("unit") != "", str(r.get("unit")),
                                                  str(r.get("notebook"))))
        units: dict[str, list[Mapping[str, object]]] = {}
        for row in rows:
            units.setdefault(str(row.get("unit") or ""), []).append(row)
        groups.append({
            "label": period_label(year, lang),  # type: ignore[arg-type]
            "units": [{"label": scope_label(unit, lang), "reports": items}
                      for unit, items in units.items()],
        })
    return groups


def write_index(
    reports: Sequence[Mapping[str, object]],
    out_dir: str | Path,
    *,
    lang: str = "th",
    run_time: str = "",
    version: str = __version__,
) -> Path:
    """Write ``index.html`` listing every report of a batch, grouped by fiscal year and unit.

    Parameters
    ----------
    reports
        The ``reports`` entries of the manifest (see :func:`write_manifest`).
    out_dir
        The output folder; links are relative to it.
    lang
        ``"th"`` or ``"en"``.
    run_time
        When the batch ran (ISO 8601).
    version
        Package version.

    Returns
    -------
    Path
        The index file.
    """
    return atomic_write(Path(out_dir) / INDEX_NAME,
                        render_index(reports, lang=lang, run_time=run_time, version=version))


def render_index(
    reports: Sequence[Mapping[str, object]],
    *,
    lang: str = "th",
    run_time: str = "",
    version: str = __version__,
) -> str:
    """The HTML of an index page listing ``reports`` (see :func:`write_index`)."""
    from .export import font_css

    counts = {status: sum(1 for r in reports if r.get("status") == status)
              for status in ("ok", "skipped", "failed")}
    page = _environment().get_template(INDEX_TEMPLATE).render(
        lang=lang,
        words=labels(lang),
        groups=_group(reports, lang),
        counts=counts,
        total=len(reports),
        run_time=run_time,
        version=version,
        font_css=font_css(),
        href=lambda path: quote(str(path)) if path else "",
    )
    return page


def write_manifest(
    reports: Sequence[Mapping[str, object]],
    out_dir: str | Path,
    **batch: object,
) -> Path:
    """Write ``manifest.json``: the batch's settings and one entry per report.

    Parameters
    ----------
    reports
        One mapping per report: ``key``, ``notebook``, ``title``, ``fiscal_year``, ``unit``,
        ``parameters``, ``status`` (``"ok"``, ``"failed"`` or ``"skipped"``), ``duration_s``,
        ``output``, ``failed_notebook``, ``error`` and ``fingerprint``.
    out_dir
        The output folder.
    **batch
        Batch-level fields written before the reports (``started``, ``inputs``, ...).

    Returns
    -------
    Path
        The manifest file.
    """
    counts = {status: sum(1 for r in reports if r.get("status") == status)
              for status in ("ok", "skipped", "failed")}
    manifest = {
        "format": MANIFEST_FORMAT,
        "package_version": __version__,
        **batch,
        "counts": counts,
        "reports": list(reports),
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n"
    return atomic_write(Path(out_dir) / MANIFEST_NAME, text)


def read_manifest(out_dir: str | Path) -> dict[str, object] | None:
    """The manifest of the last batch in ``out_dir``, or ``None``."""
    path = Path(out_dir) / MANIFEST_NAME
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
