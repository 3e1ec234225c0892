"""Build every report of a batch, on this machine's threads or on a Dask cluster.

:func:`build_reports` ingests when needed, expands the parameter grid, runs each report with
:func:`run_job` (papermill, then nbconvert, in the worker's own process) and writes
``index.html`` and ``manifest.json``. One failing report does not stop the others.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..dataset import processed_beside
from ..errors import ConfigError
from ..files import atomic_write, remove_stale_parts, sha256_file
from .archive import write_zips
from .bundles import SHARED_NAMES, bundle_path
from .execute import IOPUB_TIMEOUT, KERNEL_NAME, ReportError, check_kernel, execute_report
from .export import ASSETS, PLOTLY_JS_NAME, export_html
from .grid import BY_CHOICES, LANGS, ReportJob, expand_grid, find_notebooks
from .index import write_index, write_manifest
from .inputs import (
    ensure_processed,
    fingerprint,
    input_files,
    instrument_parameter,
    read_fingerprint,
    template_digest,
)
from .kernels import KernelPool, worker_pool
from .labels import period_label, scope_label
from .progress import Progress

if TYPE_CHECKING:
    from concurrent.futures import Future

    import nbformat

logger = logging.getLogger(__name__)

#: Report statuses.
STATUSES: tuple[str, ...] = ("ok", "failed", "skipped")


@dataclass(frozen=True)
class RunSettings:
    """What a worker needs, besides the job, to build a report (picklable).

    Attributes
    ----------
    out_dir
        Absolute output folder (the same path on every worker of a cluster).
    assets
        ``"inline"`` or ``"shared"``.
    kernel_name, timeout, iopub_timeout
        See :func:`~cleannet_eval.reports.execute.execute_report`.
    run_time
        When the batch started (ISO 8601), shown in every footer.
    inputs
        ``{"path", "sha256"}`` of the raw and processed files.
    warm
        Reuse one kernel per worker thread for successive reports (:mod:`.kernels`);
        ``False`` starts a fresh kernel for every report.
    data_fingerprint
        The processed data's fingerprint (:func:`cleannet_eval.shared.data_fingerprint`),
        handed to warm kernels so they neither re-check nor re-hash the data.
    """

    out_dir: str
    assets: str = "inline"
    kernel_name: str = KERNEL_NAME
    timeout: float = 600
    iopub_timeout: int = IOPUB_TIMEOUT
    run_time: str = ""
    inputs: tuple[Mapping[str, str], ...] = ()
    warm: bool = True
    data_fingerprint: str = ""
    formats: tuple[str, ...] = ("html",)


@dataclass
class ReportResult:
    """How one report went (one ``reports`` entry of ``manifest.json``).

    Attributes
    ----------
    key
        ``FY/UNIT/NOTEBOOK``, the report's path without suffix.
    notebook, title, fiscal_year, unit, parameters
        What was run.
    status
        ``"ok"``, ``"failed"`` or ``"skipped"`` (up to date, not rebuilt).
    duration_s
        Seconds spent on it (0 when skipped).
    output
        The HTML report, relative to the output folder (``None`` when failed).
    failed_notebook
        The executed notebook kept under ``_failed/`` (failed reports only).
    error
        ``cell_index``, ``execution_count``, ``ename``, ``evalue``, ``timed_out``,
        ``traceback`` and a one-line ``message`` (failed reports only).
    fingerprint
        Hash of the report's inputs and parameters.
    files
        Every file of the report, relative to the output folder: the HTML and, with
        ``formats``, its PDF and DOCX.
    """

    key: str
    notebook: str
    title: str
    fiscal_year: int | None
    unit: str
    parameters: dict[str, object]
    status: str
    duration_s: float = 0.0
    output: str | None = None
    failed_notebook: str | None = None
    error: dict[str, object] | None = None
    fingerprint: str = ""
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return asdict(self)

    def line(self) -> str:
        """One line for the terminal."""
        if self.status == "failed":
            message = (self.error or {}).get("message", "failed")
            kept = f" (kept {self.failed_notebook})" if self.failed_notebook else ""
            return f"failed: {self.key}: {message}{kept}"
        return f"{self.status}: {self.key}"


@dataclass
class BatchResult:
    """What :func:`build_reports` did.

    Attributes
    ----------
    reports
        One result per report, in grid order.
    out_dir, index_path, manifest_path
        Where everything went.
    ingested
        The ingest ran first because the processed data was missing or stale.
    duration_s
        Wall time of the whole batch.
    zips
        The ``reports-FY.zip`` files written (``zip_per_year``).
    """

    reports: list[ReportResult]
    out_dir: Path
    index_path: Path
    manifest_path: Path
    ingested: bool = False
    duration_s: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    zips: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.counts = {s: sum(1 for r in self.reports if r.status == s) for s in STATUSES}

    @property
    def failed(self) -> list[ReportResult]:
        """The reports that failed."""
        return [r for r in self.reports if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        """0 when every report is built or up to date, 1 when any failed."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        """Terminal summary: one line per failure, then the counts and the index."""
        lines = [r.line() for r in self.failed]
        c = self.counts
        lines.append(
            f"{len(self.reports)} report(s): {c['ok']} built, {c['skipped']} up to date, "
            f"{c['failed']} failed in {self.duration_s:.1f} s → {self.index_path}"
        )
        lines += [f"zip: {path}" for path in self.zips]
        return "\n".join(lines)


def _failure(job: ReportJob, fp: str, error: dict[str, object], duration: float,
             kept: str | None) -> ReportResult:
    return ReportResult(
        key=job.key, notebook=job.notebook.name, title=job.title, fiscal_year=job.fiscal_year,
        unit=job.unit, parameters=dict(job.parameters), status="failed", duration_s=duration,
        failed_notebook=kept, error=error, fingerprint=fp,
    )


def _prelude(job: ReportJob, settings: RunSettings) -> str:
    """Code a report kernel (warm or fresh) runs before the notebook: the batch vouches for
    the data, so the kernel neither re-checks the raw files nor re-hashes the processed ones."""
    raw, processed = job.parameters.get("raw_dir"), job.parameters.get("processed_dir")
    if not (settings.data_fingerprint and raw and processed):
        return ""
    # the folders as open_report reads the parameters: from the project root, not the
    # kernel's working folder (the notebook's)
    raw, processed = config.from_project(str(raw)), config.from_project(str(processed))
    return ("import cleannet_eval.shared as _cleannet_shared\n"
            f"_cleannet_shared.use_batch_data({str(raw)!r}, {str(processed)!r}, "
            f"{settings.data_fingerprint!r})\n"
            "del _cleannet_shared")


def _kernel_trouble(error: ReportError) -> bool:
    """The kernel died, did not start or ran out of time (not a cell raising an error)."""
    return error.timed_out or error.cell_index is None


def _execute(job: ReportJob, settings: RunSettings, kernels: KernelPool | None):
    """Execute the job's notebook; in a warm kernel, a kernel failure is retried once in a
    new kernel."""
    options = dict(kernel_name=settings.kernel_name, timeout=settings.timeout,
                   iopub_timeout=settings.iopub_timeout)
    prelude = _prelude(job, settings)  # a fresh kernel too: the batch vouches for the data
    if kernels is None:
        return execute_report(job.notebook, job.parameters, prelude=prelude, **options)
    kernel = kernels.kernel()
    try:
        return execute_report(job.notebook, job.parameters, kernel=kernel, prelude=prelude,
                              **options)
    except ReportError as exc:
        if not _kernel_trouble(exc):
            raise
        logger.warning("%s: %s; retrying once in a new kernel", job.key, exc.one_line())
        kernel.shutdown()
        return execute_report(job.notebook, job.parameters, kernel=kernel, prelude=prelude,
                              **options)


def run_job(
    job: ReportJob, settings: RunSettings, notebook_input: Mapping[str, str], fp: str,
    kernels: KernelPool | None = None,
) -> ReportResult:
    """Build one report: execute, export, write atomically. Never raises for a report's error.

    On success the HTML goes to ``OUT/FY/UNIT/NOTEBOOK.html`` (and a stale failed notebook of
    the same report is removed). On failure the executed notebook is kept as
    ``OUT/_failed/FY/UNIT/NOTEBOOK.ipynb`` and a stale HTML of the same report is removed, so
    the folder matches the index.

    Parameters
    ----------
    job
        The report.
    settings
        The batch's settings.
    notebook_input
        ``{"path", "sha256"}`` of the notebook, listed in the footer.
    fp
        The report's fingerprint, stored in its ``<head>``.
    kernels
        Where this thread's warm kernel comes from; ``None`` with ``settings.warm`` uses the
        process-wide pool (:func:`~.kernels.worker_pool`, e.g. on a Dask worker).
    """
    executed = execute_job(job, settings, fp, kernels)
    if isinstance(executed, ReportResult):
        return executed
    return finish_job(job, settings, notebook_input, fp, *executed)


def execute_job(
    job: ReportJob, settings: RunSettings, fp: str, kernels: KernelPool | None = None,
) -> ReportResult | tuple[nbformat.NotebookNode, float]:
    """The first half of :func:`run_job`: execute the notebook.

    Parameters
    ----------
    job, settings, fp, kernels
        As for :func:`run_job`.

    Returns
    -------
    ReportResult or (nbformat.NotebookNode, float)
        The executed notebook and the seconds it took, or the failed report's result (its
        executed notebook kept in ``_failed/``, a stale page removed).
    """
    if kernels is None and settings.warm:
        kernels = worker_pool(settings.kernel_name)
    if not settings.warm:
        kernels = None
    start = time.perf_counter()
    try:
        nb = _execute(job, settings, kernels)
    except Exception as exc:  # one report's failure must not stop the batch
        return _failed(job, settings, fp, exc, None, time.perf_counter() - start)
    return nb, time.perf_counter() - start


def finish_job(
    job: ReportJob, settings: RunSettings, notebook_input: Mapping[str, str], fp: str,
    nb: nbformat.NotebookNode, executed_s: float = 0.0,
) -> ReportResult:
    """The second half of :func:`run_job`: export the executed notebook and write the files.

    A local batch runs it on its own threads, so that a kernel starts the next report while
    this one is exported.

    Parameters
    ----------
    job, settings, notebook_input, fp
        As for :func:`run_job`.
    nb
        The executed notebook (:func:`execute_job`).
    executed_s
        Seconds the execution took, added to the report's duration.

    Returns
    -------
    ReportResult
        The report's result; an export that fails makes it a failed report.
    """
    out = Path(settings.out_dir)
    html_path = out / job.html_path
    failed_path = out / job.failed_path
    start = time.perf_counter()
    try:
        plotly_src = os.path.relpath(out / PLOTLY_JS_NAME, html_path.parent).replace(os.sep, "/")
        html = export_html(
            nb, title=job.title, parameters=job.parameters, fiscal_year=job.fiscal_year,
            unit=job.unit, lang=job.lang, notebook_name=job.notebook.name,
            inputs=[*settings.inputs, notebook_input], run_time=settings.run_time,
            assets=settings.assets, plotly_src=plotly_src, fingerprint=fp,
        )
        if settings.assets == "shared" and f'/{SHARED_NAMES["full"]}"' in html:
            _ensure_shared_bundle(out, "full")  # a chart outside the partial bundle
        atomic_write(html_path, html)
        files = [job.html_path]
        if len(settings.formats) > 1:  # PDF/DOCX from the same execution (render.formats)
            from ..render.formats import worker_formats

            written = worker_formats(settings.formats).write(
                nb, html_path, title=job.title, scope=scope_label(job.unit, job.lang),
                period=period_label(job.fiscal_year, job.lang), lang=job.lang,
                notebook_name=job.notebook.name, run_time=settings.run_time)
            files += [os.path.relpath(p, out).replace(os.sep, "/") for p in written]
    except Exception as exc:  # one report's failure must not stop the batch
        return _failed(job, settings, fp, exc, nb, executed_s + time.perf_counter() - start)
    failed_path.unlink(missing_ok=True)
    return ReportResult(
        key=job.key, notebook=job.notebook.name, title=job.title, fiscal_year=job.fiscal_year,
        unit=job.unit, parameters=dict(job.parameters), status="ok",
        duration_s=round(executed_s + time.perf_counter() - start, 3), output=job.html_path,
        fingerprint=fp, files=files,
    )


def _failed(job: ReportJob, settings: RunSettings, fp: str, exc: Exception,
            nb: nbformat.NotebookNode | None, duration: float) -> ReportResult:
    """The result of a failed report: its executed notebook kept, its stale files removed."""
    import nbformat

    out = Path(settings.out_dir)
    html_path = out / job.html_path
    failed_path = out / job.failed_path
    if isinstance(exc, ReportError):
        error = exc.as_dict()
        nb = exc.notebook
    else:
        error = {"cell_index": None, "execution_count": None, "ename": type(exc).__name__,
                 "evalue": str(exc), "timed_out": False, "traceback": [],
                 "message": f"{type(exc).__name__}: {exc}"}
    kept = None
    if nb is not None:
        try:
            atomic_write(failed_path, nbformat.writes(nb))
            kept = job.failed_path
        except OSError as write_error:
            logger.error("%s: could not keep the failed notebook: %s", job.key, write_error)
    for stale in (html_path, *_extra_paths(html_path)):
        stale.unlink(missing_ok=True)
    return _failure(job, fp, error, round(duration, 3), kept)


def _ensure_shared_bundle(out: Path, kind: str) -> None:
    """Write the shared ``plotly.min.js`` (partial) or ``plotly-full.min.js`` when missing
    or different."""
    shared = out / SHARED_NAMES[kind]
    source = bundle_path(kind)
    if not shared.is_file() or sha256_file(shared) != sha256_file(source):
        atomic_write(shared, source.read_bytes())


def _extra_paths(html_path: Path, formats: Sequence[str] = ("pdf", "docx")) -> list[Path]:
    return [html_path.with_suffix(f".{fmt}") for fmt in formats if fmt != "html"]


def _skipped(job: ReportJob, fp: str, formats: Sequence[str] = ("html",)) -> ReportResult:
    files = [job.html_path] + [str(Path(job.html_path).with_suffix(f".{f}"))
                               for f in formats if f != "html"]
    return ReportResult(
        key=job.key, notebook=job.notebook.name, title=job.title, fiscal_year=job.fiscal_year,
        unit=job.unit, parameters=dict(job.parameters), status="skipped",
        output=job.html_path, fingerprint=fp, files=files,
    )


Task = tuple[ReportJob, Mapping[str, str], str]


def _run_local(tasks: Sequence[Task], settings: RunSettings, workers: int,
               done: Callable[[ReportResult], None]) -> None:
    from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

    # Threads, not processes: the work happens in the kernels (processes of their own); a
    # thread only drives its kernel and runs nbconvert.
    # A report's export runs on threads of its own: the kernel that executed it starts the
    # next report meanwhile instead of waiting (it would be idle about a fifth of the time).
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cleannet-report")
    exports = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cleannet-export")
    kernels = KernelPool(settings.kernel_name) if settings.warm else None

    def execute(job: ReportJob, nb_input: Mapping[str, str], fp: str) -> Future:
        executed = execute_job(job, settings, fp, kernels)
        if isinstance(executed, ReportResult):
            failed = Future()
            failed.set_result(executed)
            return failed
        return exports.submit(finish_job, job, settings, nb_input, fp, *executed)

    try:
        executing = {pool.submit(execute, job, nb_input, fp) for job, nb_input, fp in tasks}
        finishing: set[Future] = set()
        while executing or finishing:
            ready, _ = wait(executing | finishing, return_when=FIRST_COMPLETED)
            for future in ready:
                if future in executing:
                    executing.discard(future)
                    finishing.add(future.result())  # the export's future
                else:
                    finishing.discard(future)
                    done(future.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        exports.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        if kernels is not None:
            kernels.shutdown()
    pool.shutdown(wait=True)
    exports.shutdown(wait=True)


def _run_dask(tasks: Sequence[Task], settings: RunSettings, scheduler: object,
              done: Callable[[ReportResult], None]) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError("--scheduler needs Dask: pip install 'dask[distributed]'")
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout="30s") if own else scheduler
    except OSError as exc:
        raise ConfigError(f"Cannot reach the Dask scheduler at {scheduler}: {exc}")
    try:
        futures = {}
        batch = uuid.uuid4().hex[:8]  # keys unique to this batch: no stale result is reused
        for job, nb_input, fp in tasks:
            future = client.submit(run_job, job, settings, nb_input, fp, pure=False,
                                   key=f"cleannet-report-{batch}-{len(futures)}")
            futures[future] = (job, fp)
        for future in as_completed(futures):
            job, fp = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker died or could not run the task
                error = {"cell_index": None, "execution_count": None,
                         "ename": type(exc).__name__, "evalue": str(exc), "timed_out": False,
                         "traceback": [], "message": f"{type(exc).__name__}: {exc}"}
                result = _failure(job, fp, error, 0.0, None)
            done(result)
    finally:
        if own:
            client.close()


def build_reports(
    raw_dir: str | Path | None = None,
    processed_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    fiscal_years: Sequence[int] | None = None,
    by: str | None = None,
    notebooks_dir: str | Path | Iterable[str | Path] | None = None,
    lang: str = "th",
    workers: int = 2,
    scheduler: str | object | None = None,
    assets: str = "inline",
    changed_only: bool = False,
    quiet: bool = False,
    timeout: float = 600,
    *,
    kernel_name: str = KERNEL_NAME,
    min_group_size: int | None = None,
    parameters: Mapping[str, object] | None = None,
    units: Sequence[str] | None = None,
    warm: bool = True,
    zip_per_year: bool = False,
    formats: Sequence[str] | str = ("html",),
) -> BatchResult:
    """Build the HTML reports of every notebook for every fiscal year and scope asked.

    Parameters
    ----------
    raw_dir
        The office spreadsheets; default ``config.RAW_DATA_DIR``. The ingest runs first when
        ``processed_dir`` is missing or older than this folder.
    processed_dir
        The processed tables; default ``config.PROCESSED_DATA_DIR``. Passed to the notebooks
        as ``processed_dir`` (and ``raw_dir`` as ``raw_dir``).
    out_dir
        Where the reports, ``index.html`` and ``manifest.json`` go; default
        ``config.REPORTS_DIR``.
    fiscal_years
        Fiscal years (BE); default every year with data.
    by
        ``None`` for whole-department reports; ``"unit"`` adds one report per unit with enough
        data (at least ``min_group_size`` survey respondents or attendance rows that year).
    notebooks_dir
        A folder of parameterized notebooks (or one notebook, or a list); default
        ``config.NOTEBOOKS_DIR``.
    lang
        ``"th"`` or ``"en"``, passed to the notebooks as ``lang``.
    workers
        Reports built at once on this machine (threads, each driving its own kernel). Ignored
        with ``scheduler``.
    scheduler
        A Dask scheduler address (``"tcp://host:8786"``) or a ``distributed.Client``: run
        the same batch on the cluster's workers, which need this package and the same paths.
    assets
        ``"inline"``: plotly.js inside every report (self-contained files); ``"shared"``: one
        ``plotly.min.js`` in ``out_dir`` that the reports reference by relative path.
    changed_only
        Skip a report whose existing HTML was built from the same inputs (raw and processed
        files, notebook), parameters, template, assets and package version.
    quiet
        No progress bar (a bar in a terminal; plain lines every 10 s in a log or CI).
    timeout
        Seconds allowed per report.
    kernel_name
        The Jupyter kernel to run the notebooks with.
    min_group_size
        Default ``config.MIN_GROUP_SIZE``.
    parameters
        Extra values for the notebooks' parameters (only those a notebook declares are
        passed), overriding the defaults.
    units
        With ``by="unit"``, build only these units' reports (and the department's).
    warm
        Keep one kernel per worker thread (per Dask worker thread) for successive reports,
        reset between reports; ``False``: a fresh kernel for every report.
    zip_per_year
        Also write ``reports-FY.zip`` per fiscal year into ``out_dir``: the year's reports,
        an index of them and the shared assets (``--zip``).
    formats
        ``"html"``, ``"pdf"``, ``"docx"`` (a list or ``"html,pdf,docx"``): the PDF (printed
        by Debian's Chromium) and the DOCX (python-docx) are written beside each HTML
        report, from the same execution. HTML is always written.

    Returns
    -------
    BatchResult
        Per-report results; ``exit_code`` is 1 when any report failed.

    Raises
    ------
    ConfigError
        A bad option value, no data, no notebook, an unknown kernel or an unreachable
        scheduler.
    InputError
        The raw data is invalid (from the ingest).

    Examples
    --------
    >>> result = build_reports(by="unit", fiscal_years=[2551])  # doctest: +SKIP
    >>> result.exit_code  # doctest: +SKIP
    0
    """
    started = time.perf_counter()
    if assets not in ASSETS:
        raise ConfigError(f"Unknown assets {assets!r}. Valid: {', '.join(ASSETS)}")
    if scheduler is None and int(workers) < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    if float(timeout) <= 0:
        raise ConfigError(f"timeout must be a positive number of seconds, got {timeout}")
    if lang not in LANGS:
        raise ConfigError(f"Unknown language {lang!r}. Valid: {', '.join(LANGS)}")
    if by is not None and by not in BY_CHOICES:
        raise ConfigError(f"Unknown by value {by!r}. Valid: {', '.join(BY_CHOICES)}")
    raw = Path(raw_dir if raw_dir is not None else config.RAW_DATA_DIR).resolve()
    processed = Path(processed_dir if processed_dir is not None  # else processed/ beside raw
                     else processed_beside(raw)).resolve()
    out = Path(out_dir if out_dir is not None else config.REPORTS_DIR).resolve()
    for folder, what in ((raw, "raw data"), (processed, "processed data")):
        if out == folder or out.is_relative_to(folder) or folder.is_relative_to(out):
            raise ConfigError(f"{out}: the output folder must be apart from the {what} "
                              f"folder {folder}")
    from ..render.formats import ExtraFormats, close_worker_formats, parse_formats

    formats = parse_formats(formats)
    ExtraFormats(formats).check()  # Chromium is there, or one clear message
    if scheduler is None:
        check_kernel(kernel_name)
    notebooks = find_notebooks(notebooks_dir)

    ingested = ensure_processed(raw, processed)
    base = {"raw_dir": config.project_relative(raw),  # reports never show absolute paths
            "processed_dir": config.project_relative(processed),
            "bands": config.DEFAULT_BANDS, "instrument": instrument_parameter(processed),
            **dict(parameters or {})}
    jobs = expand_grid(processed, notebooks, fiscal_years=fiscal_years, by=by, lang=lang,
                       min_group_size=min_group_size, parameters=base, units=units)

    run_time = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    inputs = tuple(input_files(raw, processed))
    template = template_digest()
    nb_inputs = {p: {"path": f"notebooks/{p.name}", "sha256": sha256_file(p)}
                 for p in sorted({job.notebook for job in jobs})}
    from ..shared import fingerprint_of_inputs

    settings = RunSettings(out_dir=str(out), assets=assets, kernel_name=kernel_name,
                           timeout=float(timeout), run_time=run_time, inputs=inputs,
                           warm=bool(warm), data_fingerprint=fingerprint_of_inputs(inputs),
                           formats=formats)

    out.mkdir(parents=True, exist_ok=True)
    stale = remove_stale_parts(out)
    if stale:
        logger.info("removed %d temporary file(s) left by an interrupted batch", stale)
    if assets == "shared":
        _ensure_shared_bundle(out, "partial")

    results: dict[str, ReportResult] = {}
    tasks: list[Task] = []
    for job in jobs:
        nb_input = nb_inputs[job.notebook]
        fp = fingerprint(job.parameters, [*inputs, nb_input], assets=assets, template=template)
        if (changed_only and read_fingerprint(out / job.html_path) == fp
                and all(p.is_file() for p in _extra_paths(out / job.html_path, formats))):
            results[job.key] = _skipped(job, fp, formats)
        else:
            tasks.append((job, nb_input, fp))
    if results:
        logger.info("%d report(s) up to date, %d to build", len(results), len(tasks))

    from tqdm.contrib.logging import logging_redirect_tqdm

    with Progress(len(tasks), quiet) as progress, logging_redirect_tqdm():
        def done(result: ReportResult) -> None:
            results[result.key] = result
            if result.status == "failed":
                logger.error("%s", result.line())
            progress.update(failed=result.status == "failed")

        if tasks:
            if scheduler is not None:
                _run_dask(tasks, settings, scheduler, done)
            else:
                if len(formats) > 1:  # start Chromium and kaleido while the kernels work
                    import threading

                    from ..render.formats import worker_formats

                    threading.Thread(target=worker_formats(formats).warm_up,
                                     name="cleannet-warm-up", daemon=True).start()
                try:
                    _run_local(tasks, settings, min(int(workers), len(tasks)), done)
                finally:
                    close_worker_formats()

    ordered = [results[job.key] for job in jobs]
    entries = [r.as_dict() for r in ordered]
    duration = time.perf_counter() - started
    manifest_path = write_manifest(
        entries, out,
        started=run_time,
        finished=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        duration_s=round(duration, 3),
        lang=lang, assets=assets, by=by, kernel_name=kernel_name,
        scheduler=scheduler if isinstance(scheduler, str) else (
            None if scheduler is None else "client"),
        workers=None if scheduler is not None else int(workers),
        raw_dir=config.project_relative(raw), processed_dir=config.project_relative(processed),
        notebooks=[p.name for p in notebooks], ingested=ingested,
        inputs=list(inputs) + list(nb_inputs.values()),
        formats=list(formats),
    )
    index_path = write_index(entries, out, lang=lang, run_time=run_time)
    zips = write_zips(entries, out, lang=lang, run_time=run_time) if zip_per_year else []
    return BatchResult(reports=ordered, out_dir=out, index_path=index_path,
                       manifest_path=manifest_path, ingested=ingested,
                       duration_s=round(time.perf_counter() - started, 3), zips=zips)
