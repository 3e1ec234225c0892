"""Run one parameterized notebook with papermill, in this process, on a safe kernel.

* The kernel is named explicitly (``kernel_name``), so a notebook saved with a kernelspec this
  machine lacks still runs (papermill would raise ``NoSuchKernel``).
* Kernels talk over IPC (Unix sockets in a private folder, one unique name per kernel) instead
  of TCP: many kernels starting at once can no longer race for the same free port
  (papermill#511, jupyter_client#487). Where there is no IPC (Windows) they use TCP, and a
  kernel that fails to start is started once more.
* ``iopub_timeout`` is raised from nbclient's 4 s so chart-heavy cells do not fail spuriously,
  and a per-report ``timeout`` bounds the whole run: each cell gets what is left of it, and a
  cell still running then is interrupted and reported as the failing cell.
* The kernel's environment sets ``PLOTLY_RENDERER=plotly_mimetype``: figures are stored as
  plotly JSON (no copy of plotly.js per notebook); :mod:`.export` draws them.
* No ``cwd=`` (papermill's is a process-wide ``chdir``, unsafe in threads): the kernel itself
  starts in the notebook's folder, as in JupyterLab.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CleannetError, ConfigError
from .ipc import KERNEL_STARTUP, kernel_manager_class
from .kernels import KernelFailure

if TYPE_CHECKING:
    import nbformat

    from .kernels import WarmKernel

logger = logging.getLogger(__name__)

#: Default kernel.
KERNEL_NAME = "python3"
#: Seconds nbclient waits for a cell's last output after its reply (nbclient's default is 4).
IOPUB_TIMEOUT = 60
#: Seconds to wait for a kernel to start.
START_TIMEOUT = 60
#: Tries to start a kernel (a start can still fail on TCP, where IPC is not available).
START_ATTEMPTS = 2
_START_FAILURES = ("Kernel didn't respond", "Kernel died before replying",
                   "Address already in use")

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}




class ReportError(CleannetError):
    """A report's notebook failed: a cell raised, the kernel died or time ran out.

    Attributes
    ----------
    cell_index
        0-based index of the failing cell in the source notebook (papermill's injected cell
        not counted), or ``None`` when no cell was running.
    execution_count
        The ``In [n]`` number of the failing cell, if any.
    ename, evalue
        Exception name and message.
    traceback
        The traceback lines, without terminal colour codes.
    timed_out
        The per-report timeout ran out.
    notebook
        The executed notebook, with outputs up to the failure (``None`` if it never started).
    """

    def __init__(
        self,
        ename: str,
        evalue: str,
        cell_index: int | None = None,
        execution_count: int | None = None,
        traceback: list[str] | None = None,
        timed_out: bool = False,
        notebook: nbformat.NotebookNode | None = None,
    ) -> None:
        self.ename = ename
        self.evalue = evalue
        self.cell_index = cell_index
        self.execution_count = execution_count
        self.traceback = traceback or []
        self.timed_out = timed_out
        self.notebook = notebook
        super().__init__(self.one_line())

    def __reduce__(self):
        return (ReportError, (self.ename, self.evalue, self.cell_index, self.execution_count,
                              self.traceback, self.timed_out, None))

    def one_line(self) -> str:
        """``cell 4 (In [3]): ValueError: message`` on one line."""
        where = ""
        if self.cell_index is not None:
            where = f"cell {self.cell_index}"
            if self.execution_count is not None:
                where += f" (In [{self.execution_count}])"
            where += ": "
        evalue = " ".join(str(self.evalue).split())
        if len(evalue) > 300:
            evalue = evalue[:299] + "…"
        return f"{where}{self.ename}: {evalue}" if evalue else f"{where}{self.ename}"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready fields for the manifest."""
        return {
            "cell_index": self.cell_index,
            "execution_count": self.execution_count,
            "ename": self.ename,
            "evalue": str(self.evalue)[:2000],
            "timed_out": self.timed_out,
            "traceback": self.traceback[-20:],
            "message": self.one_line(),
        }


def check_kernel(kernel_name: str = KERNEL_NAME) -> None:
    """Raise :class:`ConfigError` when ``kernel_name`` is not installed, listing those that are."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        manager.get_kernel_spec(kernel_name)
    except NoSuchKernel:
        valid = ", ".join(sorted(manager.find_kernel_specs())) or "none"
        raise ConfigError(f"No Jupyter kernel named {kernel_name!r}. Installed: {valid}")


def _is_start_failure(exc: BaseException) -> bool:
    """Did the kernel fail while starting (before any cell ran)?"""
    return any(text in str(exc) for text in _START_FAILURES)


def _strip_ansi(lines: list[str]) -> list[str]:
    return [_ANSI.sub("", line) for line in lines]


def _locate_failure(nb: nbformat.NotebookNode) -> tuple[int | None, dict]:
    """The failing cell's index in the source notebook and its error output."""
    source_index = -1
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _PAPERMILL_TAGS:
            continue
        source_index += 1
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        failed = cell.get("metadata", {}).get("papermill", {}).get("exception") is True
        if failed or errors:
            info = dict(errors[-1]) if errors else {}
            info["execution_count"] = cell.get("execution_count")
            return source_index, info
    return None, {}


def execute_report(
    notebook: str | Path,
    parameters: Mapping[str, object] | None = None,
    output_path: str | Path | None = None,
    *,
    kernel_name: str = KERNEL_NAME,
    timeout: float = 600,
    iopub_timeout: int = IOPUB_TIMEOUT,
    start_timeout: int = START_TIMEOUT,
    kernel: WarmKernel | None = None,
    prelude: str = "",
) -> nbformat.NotebookNode:
    """Execute one notebook with papermill in this process and return it with its outputs.

    Parameters
    ----------
    notebook
        The ``.ipynb`` file.
    parameters
        Values for its ``parameters`` cell (papermill injects a cell after it).
    output_path
        Where to save the executed notebook (written atomically); ``None`` keeps it in memory.
    kernel_name
        The Jupyter kernel, always passed to papermill explicitly.
    timeout
        Seconds for the whole report, kernel start included.
    iopub_timeout
        Seconds to wait for a cell's outputs after its reply.
    start_timeout
        Seconds to wait for the kernel to start (capped by ``timeout``).
    kernel
        A warm kernel to run in (reset first, see :mod:`.kernels`); ``None`` starts a fresh
        kernel and stops it afterwards.
    prelude
        Code run before the notebook: in the warm kernel after its reset, or at the start of
        the fresh kernel (each line as an ``IPKernelApp.exec_lines`` startup line).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.

    Raises
    ------
    ReportError
        A cell raised (``cell_index``, ``ename``, ``evalue``), the kernel died or failed to
        start, or ``timeout`` ran out; ``error.notebook`` holds the executed notebook when
        there is one.

    Examples
    --------
    >>> nb = execute_report("notebooks/overview.ipynb",
    ...                     {"fiscal_year": 2551, "unit": ""})  # doctest: +SKIP
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from ..files import atomic_write

    notebook = Path(notebook).resolve()
    deadline = time.monotonic() + float(timeout)

    def remaining(_cell: object = None) -> int:
        return max(1, int(deadline - time.monotonic()))

    fd, tmp_name = tempfile.mkstemp(prefix="cleannet-run-", suffix=".ipynb")
    os.close(fd)
    tmp = Path(tmp_name)
    options = dict(
        parameters=dict(parameters or {}), kernel_name=kernel_name, progress_bar=False,
        log_output=False, request_save_on_cell_execute=False,
        start_timeout=max(1, min(int(start_timeout), int(timeout))),
        execution_timeout=remaining(), timeout_func=remaining, interrupt_on_timeout=True,
        error_on_timeout={"ename": "TimeoutError", "traceback": [],
                          "evalue": f"the report took longer than {timeout:g} s"},
        iopub_timeout=int(iopub_timeout),
        kernel_manager_class=kernel_manager_class(),
        extra_arguments=[f"--IPKernelApp.exec_lines={line}" for line in
                         (*KERNEL_STARTUP, *(prelude.splitlines() if kernel is None else ()))],
        # The outputs are all in: no need to wait for a graceful exit.
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    attempts = START_ATTEMPTS
    if kernel is not None:
        try:
            kernel.prepare(notebook.parent, prelude)
        except KernelFailure as exc:
            tmp.unlink(missing_ok=True)
            raise ReportError(ename="KernelFailure", evalue=str(exc)) from exc
        options["km"] = kernel.km
        attempts = 1  # run_job replaces a failed warm kernel and retries
    try:
        for attempt in range(1, attempts + 1):
            try:
                nb = papermill.execute_notebook(str(notebook), str(tmp), **options)
                break
            except PapermillExecutionError as exc:
                executed = nbformat.read(tmp, as_version=4) if tmp.stat().st_size else None
                index, info = _locate_failure(executed) if executed is not None else (None, {})
                timed_out = time.monotonic() >= deadline - 0.5
                ename, evalue = exc.ename, exc.evalue
                if timed_out:
                    ename, evalue = "TimeoutError", f"the report took longer than {timeout:g} s"
                elif ename == "CellExecutionError" and not evalue:
                    # A cell that failed without an error output (a custom exception display).
                    evalue = "a cell failed without reporting an error message"
                raise ReportError(
                    ename=ename, evalue=evalue, cell_index=index,
                    execution_count=info.get("execution_count", exc.exec_count),
                    traceback=_strip_ansi(list(exc.traceback or [])),
                    timed_out=timed_out, notebook=executed,
                ) from None
            except Exception as exc:  # the kernel failed to start or died
                if (_is_start_failure(exc) and attempt < attempts
                        and time.monotonic() < deadline - 1):
                    logger.warning("%s: kernel failed to start (%s); retrying", notebook.name,
                                   exc)
                    continue
                timed_out = time.monotonic() >= deadline - 0.5
                raise ReportError(
                    ename=type(exc).__name__, evalue=str(exc) or repr(exc), timed_out=timed_out,
                ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    if output_path is not None:
        atomic_write(output_path, nbformat.writes(nb))
    return nb
