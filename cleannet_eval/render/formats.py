"""Which formats a batch writes, and writing the PDF and DOCX beside a report's HTML.

``report --format html,pdf,docx`` runs each notebook once: the HTML page is exported as
before, then :meth:`ExtraFormats.write` prints that page to ``NAME.pdf`` and turns the same
executed notebook into ``NAME.docx``. One browser (PDF) and one kaleido server (chart
pictures) serve the whole batch; on a Dask worker each worker process keeps its own
(:func:`worker_formats`).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    import nbformat

logger = logging.getLogger(__name__)

#: Formats of a report, in the order they are written. HTML is always written (the PDF is
#: printed from it).
FORMATS: tuple[str, ...] = ("html", "pdf", "docx")


def parse_formats(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"html,pdf"`` (or a list) → ``("html", "pdf")`` in :data:`FORMATS` order.

    Raises
    ------
    ConfigError
        An unknown format.
    """
    if value is None:
        return ("html",)
    items = value.split(",") if isinstance(value, str) else list(value)
    names = {item.strip().lower() for item in items if item and item.strip()}
    unknown = sorted(names - set(FORMATS))
    if unknown:
        raise ConfigError(f"Unknown format {', '.join(map(repr, unknown))}. Valid: "
                          f"{', '.join(FORMATS)} (comma-separated, e.g. html,pdf,docx)")
    return tuple(f for f in FORMATS if f in names or f == "html")


class ExtraFormats:
    """Writes the PDF and DOCX forms of reports; holds the batch's browser and kaleido server.

    Parameters
    ----------
    formats
        Formats of the batch (``"html"`` is implied).
    """

    def __init__(self, formats: Sequence[str]) -> None:
        self.formats = parse_formats(formats)
        self._printer = None
        self._imager = None
        self._lock = threading.Lock()

    @property
    def extra(self) -> tuple[str, ...]:
        """The formats besides HTML."""
        return tuple(f for f in self.formats if f != "html")

    def check(self) -> None:
        """Fail early, with one clear message, when Chromium is not there."""
        if self.extra:
            from .browser import chromium_path

            chromium_path()

    def _tools(self):
        with self._lock:
            if "pdf" in self.formats and self._printer is None:
                from .pdf import PdfPrinter

                self._printer = PdfPrinter()
            if self._imager is None:
                from .images import ChartImager

                self._imager = ChartImager()
        return self._printer, self._imager

    def warm_up(self) -> None:
        """Start the browser and the kaleido server now (a batch calls this in a thread while
        its first notebooks run, so that the first report does not wait for them)."""
        printer, imager = self._tools()
        try:
            if printer is not None:
                printer._start()
            if imager is not None:
                with imager._lock:
                    imager._start()
        except Exception as exc:  # the first report will raise it again, with its key
            logger.debug("warming up the PDF/DOCX tools: %s", exc)

    def write(
        self,
        nb: nbformat.NotebookNode,
        html_path: Path,
        *,
        title: str,
        scope: str,
        period: str,
        lang: str,
        notebook_name: str,
        run_time: str,
    ) -> list[Path]:
        """Write ``NAME.pdf`` and/or ``NAME.docx`` beside ``html_path`` (atomically).

        Parameters
        ----------
        nb
            The executed notebook the HTML came from.
        html_path
            The report's HTML file, already written.
        title, scope, period, lang, notebook_name, run_time
            What the report is, for the running header and the Word document.

        Returns
        -------
        list of Path
            The files written.
        """
        from ..files import atomic_write
        from .docx import notebook_docx, plotly_figures
        from .pdf import content_width_px, static_page

        printer, imager = self._tools()
        started = time.perf_counter()
        # Every chart drawn once, as wide as the A4 text column: the PDF's and the DOCX's.
        charts = [imager.png(figure, width=content_width_px()) for figure in plotly_figures(nb)]
        took = {"charts": time.perf_counter() - started}
        written = []
        if "pdf" in self.formats:
            started = time.perf_counter()
            page = static_page(html_path.read_text(encoding="utf-8"), charts)
            pdf = printer.print_html(page, title=title, running=f"{scope} · {period}")
            written.append(atomic_write(html_path.with_suffix(".pdf"), pdf))
            took["pdf"] = time.perf_counter() - started
        if "docx" in self.formats:
            started = time.perf_counter()
            pictures = iter(charts)
            docx, _ = notebook_docx(nb, title=title, scope=scope, period=period, lang=lang,
                                    notebook_name=notebook_name, run_time=run_time,
                                    chart_png=lambda _figure: next(pictures))
            written.append(atomic_write(html_path.with_suffix(".docx"), docx))
            took["docx"] = time.perf_counter() - started
        logger.debug("%s: %d chart(s); %s", html_path.name, len(charts),
                     ", ".join(f"{k} {v:.2f} s" for k, v in took.items()))
        return written

    def close(self) -> None:
        """Close the browser and stop the kaleido server."""
        with self._lock:
            for tool in (self._printer, self._imager):
                if tool is not None:
                    tool.close()
            self._printer = self._imager = None


_worker: dict[tuple[str, ...], ExtraFormats] = {}
_worker_lock = threading.Lock()


def worker_formats(formats: Sequence[str]) -> ExtraFormats:
    """The :class:`ExtraFormats` of this process for ``formats`` (created once, closed at
    exit): what a Dask worker uses, where no batch object can be shared."""
    key = parse_formats(formats)
    with _worker_lock:
        if key not in _worker:
            _worker[key] = ExtraFormats(key)
            atexit.register(_worker[key].close)
        return _worker[key]


def close_worker_formats() -> None:
    """Close every :func:`worker_formats` of this process (end of a local batch)."""
    with _worker_lock:
        for tool in _worker.values():
            tool.close()
        _worker.clear()
