"""The report kernels' transport and environment: IPC sockets, plotly's renderer, startup code.

* Kernels talk over IPC (Unix sockets in a private folder, one unique name per kernel) instead
  of TCP: many kernels starting at once can no longer race for the same free port
  (papermill#511, jupyter_client#487). Where there is no IPC (Windows) they use TCP.
* The kernel's environment sets ``PLOTLY_RENDERER=plotly_mimetype``: figures are stored as
  plotly JSON (no copy of plotly.js per notebook); :mod:`.export` draws them.

Both a fresh kernel per report (:mod:`.execute`) and a warm one (:mod:`.kernels`) start here.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from functools import lru_cache
from pathlib import Path

__all__ = ["KERNEL_ENV", "KERNEL_STARTUP", "kernel_manager_class"]

#: Added to the kernel's environment.
KERNEL_ENV: dict[str, str] = {
    "PLOTLY_RENDERER": "plotly_mimetype",
    # ipykernel's debugger otherwise warns about frozen modules on the terminal.
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
#: Run in every report kernel before the notebook. jsonschema's optional ``iri`` format
#: checker imports ``rfc3987_syntax``, which compiles 38 grammars at import (about 2 s of CPU;
#: python-jsonschema/jsonschema#1392), and the first ``fig.show()`` pays it through plotly →
#: nbformat → jsonschema. Reports never validate IRIs: the kernel skips that import.
KERNEL_STARTUP: tuple[str, ...] = (
    "import sys; sys.modules.setdefault('rfc3987_syntax', None); del sys",
)


@lru_cache(maxsize=1)
def _ipc_dir() -> Path:
    # Unix socket paths are limited to about 100 bytes: use the Jupyter runtime folder when its
    # path is short, else a private temporary folder.
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = Path(jupyter_runtime_dir())
    if len(str(runtime)) <= 60:
        try:
            runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
            return runtime
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="cleannet-ipc-"))


@lru_cache(maxsize=1)
def kernel_manager_class() -> type:
    """An ``AsyncKernelManager`` subclass on IPC transport with the report environment.

    Each kernel gets a connection file and socket names of its own (jupyter_client's default
    socket name for IPC is ``kernel-ipc-N`` in the current folder, which kernels starting at
    once would share). Built on first use so that importing this module stays cheap.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc" if os.name == "posix" else "tcp"  # no Unix sockets on Windows

        @default("connection_file")
        def _default_connection_file(self) -> str:
            return str(_ipc_dir() / f"cleannet-{uuid.uuid4().hex[:12]}.json")

        async def _async_pre_start_kernel(self, **kw):  # type: ignore[override]
            env = dict(kw.get("env") or os.environ)
            env.update(KERNEL_ENV)
            kw["env"] = env
            # The kernel process's own stdout/stderr carry only noise (jupyter_client sends
            # SIGINT before every shutdown, which ipykernel logs); cell output goes over IOPub.
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    IPCKernelManager.__module__ = __name__
    return IPCKernelManager
