"""Warm kernels: one kernel per worker thread, reused for successive reports.

Starting a kernel and importing pandas, plotly and the package in it costs more than most
reports' own work. A :class:`WarmKernel` starts once (the package is imported at start) and
runs report after report; before each one :meth:`WarmKernel.prepare` resets it:

* ``%reset -f``: the user namespace (every variable, ``In``/``Out``, ``_``) is emptied; the
  imported modules stay (that is the point: their import cost and their caches are kept);
* the execution counter goes back to 1 (``In [n]`` numbers as in a fresh kernel);
* the working folder is the notebook's folder (a fresh kernel starts there);
* an optional prelude runs (the batch hands the kernel the data fingerprint, see
  :mod:`cleannet_eval.shared`).

A kernel that died, or that ran out of time (it may still be busy), is discarded and the
report runs once more in a new kernel (:func:`~cleannet_eval.reports.batch.run_job`).

:class:`KernelPool` hands each thread its own kernel and stops them all at the end of a local
batch; on a Dask worker the process-wide :func:`worker_pool` keeps its kernels for the next
batch and stops them when the worker process exits (a kernel also exits by itself when its
parent process dies: ipykernel watches ``JPY_PARENT_PID``).
"""

from __future__ import annotations

import atexit
import logging
import threading
from functools import lru_cache
from pathlib import Path

from ..errors import CleannetError
from .ipc import KERNEL_STARTUP, kernel_manager_class

logger = logging.getLogger(__name__)

#: Imported when a warm kernel starts, so the first report does not pay for them.
WARM_IMPORTS = "import pandas, plotly.graph_objects, cleannet_eval.notebook, cleannet_eval.charts"
#: Seconds allowed for the reset before a report.
PREPARE_TIMEOUT = 60


class KernelFailure(CleannetError):
    """A warm kernel could not be started or prepared (it is discarded)."""


@lru_cache(maxsize=1)
def warm_kernel_manager_class() -> type:
    """The IPC kernel manager whose kernel client is made once and kept.

    nbclient makes a new client (new sockets, a heartbeat thread) for every notebook; with a
    kernel that outlives the notebook those would pile up. Here ``client()`` returns the same
    client every time, and starting its channels again is a no-op.
    """
    from jupyter_client.asynchronous import AsyncKernelClient
    from traitlets import default

    class WarmClient(AsyncKernelClient):
        def start_channels(self, *args, **kwargs) -> None:  # type: ignore[override]
            if self.channels_running:
                return
            super().start_channels(*args, **kwargs)

    class WarmKernelManager(kernel_manager_class()):
        _kept_client = None

        @default("client_factory")
        def _default_client_factory(self) -> type:
            return WarmClient

        def client(self, **kwargs):  # type: ignore[override]
            if self._kept_client is None:
                self._kept_client = super().client(**kwargs)
            return self._kept_client

    WarmClient.__module__ = WarmKernelManager.__module__ = __name__
    return WarmKernelManager


def _reset_code(folder: Path, prelude: str) -> str:
    return "\n".join([
        "get_ipython().run_line_magic('reset', '-f')",
        # What survives the reset (modules, the shared analysis' caches) is long-lived: keep it
        # out of the cyclic garbage collector's full passes, which otherwise walk every object
        # of pandas, plotly and the package (about 0.1 s a pass, two in each reset).
        "import gc as _cleannet_gc",
        "_cleannet_gc.freeze()",
        "del _cleannet_gc",
        "import os as _cleannet_os",
        f"_cleannet_os.chdir({str(folder)!r})",
        "del _cleannet_os",
        prelude,
        "get_ipython().execution_count = 1",
    ])


class WarmKernel:
    """One kernel that runs report after report (see the module's description).

    Parameters
    ----------
    kernel_name
        The Jupyter kernel.
    start_timeout
        Seconds to wait for the kernel to start.
    """

    def __init__(self, kernel_name: str, start_timeout: float = 60) -> None:
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self.km = None
        self.reports = 0  # reports run in the current kernel

    @property
    def alive(self) -> bool:
        """The kernel process is running."""
        from jupyter_core.utils import run_sync

        if self.km is None or not self.km.has_kernel:
            return False
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001 - a broken manager counts as dead
            return False

    def start(self, folder: Path) -> None:
        """Start a new kernel in ``folder`` with the package imported."""
        from jupyter_core.utils import run_sync

        self.shutdown()
        km = warm_kernel_manager_class()(kernel_name=self.kernel_name)
        lines = [*KERNEL_STARTUP, WARM_IMPORTS]
        try:
            run_sync(km.start_kernel)(
                extra_arguments=[*(f"--IPKernelApp.exec_lines={line}" for line in lines),
                                 # no history database: the In [n] counter restarts at 1 for
                                 # each report, which IPython's history would reject
                                 "--HistoryManager.enabled=False"],
                cwd=str(folder))
            client = km.client()
            client.start_channels()
            run_sync(client.wait_for_ready)(timeout=self.start_timeout)
        except Exception as exc:
            self.km = km
            self.shutdown()
            raise KernelFailure(f"the kernel did not start: {exc}") from exc
        self.km = km
        self.reports = 0
        logger.debug("warm kernel started (%s)", self.kernel_name)

    def prepare(self, folder: str | Path, prelude: str = "") -> None:
        """Make the kernel ready for the next report: start it if needed, else reset it.

        Raises
        ------
        KernelFailure
            The kernel did not start, or the reset failed (the kernel is then stopped).
        """
        folder = Path(folder)
        if not self.alive:
            self.start(folder)
        try:
            self._run(_reset_code(folder, prelude))
        except Exception as exc:
            self.shutdown()
            raise KernelFailure(f"the kernel could not be reset: {exc}") from exc
        self.reports += 1

    def _run(self, code: str) -> None:
        from jupyter_core.utils import run_sync

        client = self.km.client()

        async def run() -> None:
            msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
            while True:
                reply = await client.get_shell_msg(timeout=PREPARE_TIMEOUT)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            content = reply["content"]
            if content.get("status") != "ok":
                raise KernelFailure(f"{content.get('ename')}: {content.get('evalue')}")

        run_sync(run)()

    def shutdown(self) -> None:
        """Stop the kernel (if any) and close its client."""
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        if km is None:
            return
        try:
            client = km._kept_client
            if client is not None:
                client.stop_channels()
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
            run_sync(km.cleanup_resources)()
        except Exception as exc:  # noqa: BLE001 - stopping is best effort
            logger.debug("stopping a warm kernel: %s", exc)


class KernelPool:
    """One :class:`WarmKernel` per thread; :meth:`shutdown` stops them all."""

    def __init__(self, kernel_name: str, start_timeout: float = 60) -> None:
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self._local = threading.local()
        self._all: list[WarmKernel] = []
        self._lock = threading.Lock()

    def kernel(self) -> WarmKernel:
        """This thread's kernel (not started until its first report)."""
        kernel = getattr(self._local, "kernel", None)
        if kernel is None:
            kernel = WarmKernel(self.kernel_name, self.start_timeout)
            self._local.kernel = kernel
            with self._lock:
                self._all.append(kernel)
        return kernel

    def shutdown(self) -> None:
        """Stop every kernel of the pool.

        A kernel belongs to the event loop of the thread that started it: call this after the
        worker threads are done, or accept that a kernel whose loop is gone is killed.
        """
        with self._lock:
            kernels, self._all = self._all, []
        for kernel in kernels:
            kernel.shutdown()


_worker_pools: dict[str, KernelPool] = {}
_worker_lock = threading.Lock()


def worker_pool(kernel_name: str) -> KernelPool:
    """The process-wide pool (Dask workers): kept between batches, stopped at exit."""
    with _worker_lock:
        pool = _worker_pools.get(kernel_name)
        if pool is None:
            pool = _worker_pools[kernel_name] = KernelPool(kernel_name)
            atexit.register(pool.shutdown)
        return pool
