"""Charts as PNG pictures at print resolution, drawn by kaleido in Debian's Chromium.

A batch starts one kaleido server (:class:`ChartImager`, ``kaleido.start_sync_server``): an
image then takes about 0.17 s instead of 2.5 s with a fresh browser for each. Chromium is
found as for the PDF (``$CHROMIUM`` or ``/usr/bin/chromium``, passed to kaleido as
``BROWSER_PATH``), and the package's fontconfig file makes the charts' Sarabun resolve to a
Thai font installed on the machine.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping

from ..errors import ConfigError
from .browser import chromium_path
from .fonts import font_environment

logger = logging.getLogger(__name__)

#: Default width of a chart picture in CSS pixels, and the scale: the reports draw their
#: charts as wide as the A4 text column (16 cm, 604 px), × 3 = 1,812 pixels, about 290 dpi.
IMAGE_WIDTH_PX = 900
IMAGE_SCALE = 3
DEFAULT_HEIGHT_PX = 525


def figure_size(figure: Mapping) -> tuple[int, int]:
    """Width and height (CSS pixels) a figure asks for, or the defaults."""
    layout = figure.get("layout") or {}
    width = int(layout.get("width") or IMAGE_WIDTH_PX)
    height = int(layout.get("height") or DEFAULT_HEIGHT_PX)
    return width, height


class ChartImager:
    """One kaleido server for a batch; :meth:`png` may be called from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False

    def __enter__(self) -> ChartImager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        if self._started:
            return
        executable = chromium_path()
        try:
            import kaleido
        except ImportError:  # pragma: no cover - depends on the installation
            raise ConfigError("Word output needs kaleido: pip install 'kaleido>=1'")
        # kaleido's browser inherits this process's environment.
        os.environ.setdefault("BROWSER_PATH", executable)
        for key, value in font_environment({}).items():
            os.environ.setdefault(key, value)
        try:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)  # offline: no CDN
        except Exception as exc:
            raise ConfigError(f"kaleido could not start Chromium at {executable}: {exc}")
        self._started = True

    def png(self, figure: Mapping, width: int | None = None) -> bytes:
        """The figure (plotly JSON, as stored in a notebook output) as a PNG.

        Parameters
        ----------
        figure
            The figure's JSON.
        width
            Width in CSS pixels (default: the figure's, else :data:`IMAGE_WIDTH_PX`); the
            height is the figure's own.

        Returns
        -------
        bytes
            A PNG of ``width`` × height × :data:`IMAGE_SCALE` pixels.
        """
        import kaleido

        fig = {k: v for k, v in dict(figure).items() if k != "config"}
        own_width, height = figure_size(fig)
        width = int(width or own_width)
        with self._lock:
            self._start()
            return kaleido.calc_fig_sync(
                fig, opts={"format": "png", "width": width, "height": height,
                           "scale": IMAGE_SCALE})

    def close(self) -> None:
        """Stop the kaleido server (if it was started)."""
        with self._lock:
            if not self._started:
                return
            import kaleido

            try:
                kaleido.stop_sync_server(silence_warnings=True)
            except Exception as exc:  # closing must not hide the batch's result
                logger.warning("stopping kaleido: %s", exc)
            self._started = False
