"""HTML reports: parameter grid → papermill (in process, IPC kernels) → nbconvert (own template).

The public API:

* :func:`build_reports` — the whole batch (``cleannet-eval report``), locally or on Dask;
* :func:`expand_grid` — which reports a batch builds (:class:`ReportJob`);
* :func:`execute_report` — run one notebook with papermill (:class:`ReportError` on failure);
* :func:`export_html` — one executed notebook → one report page;
* :func:`write_index`, :func:`write_manifest` — ``index.html`` and ``manifest.json``.

Heavy imports (papermill, nbconvert, plotly, Dask) happen on first use, not at import.
"""

from __future__ import annotations

from .batch import BatchResult, ReportResult, RunSettings, build_reports, run_job
from .execute import ReportError, execute_report
from .export import export_html
from .grid import ReportJob, expand_grid, units_with_data
from .index import read_manifest, write_index, write_manifest

__all__ = [
    "BatchResult",
    "ReportError",
    "ReportJob",
    "ReportResult",
    "RunSettings",
    "build_reports",
    "execute_report",
    "expand_grid",
    "export_html",
    "read_manifest",
    "run_job",
    "units_with_data",
    "write_index",
    "write_manifest",
]
