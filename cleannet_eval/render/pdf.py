"""Print a report's HTML page to an A4 PDF in Debian's Chromium.

One browser serves a whole batch (:class:`PdfPrinter`): Playwright's asyncio API runs in a
thread of its own, and any thread can ask it to print a page; the pages of a batch print
side by side in one browser. The page is laid out for print before its charts are drawn (print
media, the width of the A4 text column), the printer waits until every plotly chart has drawn
its SVG and every font has loaded, and only ``file://`` requests are allowed.

What the print adds to the report's own style (:func:`print_css`): A4 with the margins of Thai
official documents, a running header with the report's title and its scope and fiscal year,
page numbers ``N / M`` at the foot (CSS ``@page`` margin boxes, Chromium 131 or newer), table
rows that never split and header rows repeated on every page, headings kept with what
follows, charts never cut, and links of the table of contents kept as PDF links (the PDF also
gets an outline of the headings).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .browser import chromium_path
from .fonts import font_environment

logger = logging.getLogger(__name__)

#: Page margins of Thai official documents (ระเบียบงานสารบรรณ): top, right, bottom, left, mm.
MARGINS_MM: tuple[float, float, float, float] = (25, 20, 20, 30)
A4_MM: tuple[float, float] = (210, 297)
_PX_PER_MM = 96 / 25.4
#: Seconds allowed for a page to load and draw its charts.
DRAW_TIMEOUT_S = 60

_CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.plotly-graph-div'))
  .every(d => d.querySelector('.main-svg') !== null)"""


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;()/-–·_" or ord(ch) > 127
                      else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def print_css(title: str, running: str) -> str:
    """The style the PDF adds to a report page.

    Parameters
    ----------
    title
        Left of the running header (the report's title).
    running
        Right of the running header (scope and fiscal year).
    """
    top, right, bottom, left = MARGINS_MM
    box = ("font-family: Sarabun, 'TH Sarabun New', sans-serif; font-size: 9pt; "
           "color: #5f6b76;")
    return f"""
@page {{
  size: A4;
  margin: {top}mm {right}mm {bottom}mm {left}mm;
  @top-left {{ content: {_css_string(title)}; {box} vertical-align: bottom; }}
  @top-right {{ content: {_css_string(running)}; {box} vertical-align: bottom; }}
  @bottom-center {{ content: counter(page) " / " counter(pages); {box} }}
}}
html, body.cleannet-report {{ font-size: 12pt; line-height: 1.5; }}
.cleannet-report main {{ max-width: none !important; margin: 0 !important; padding: 0 !important; }}
.cleannet-report h1, .cleannet-report h2, .cleannet-report h3, .cleannet-report h4 {{
  break-after: avoid-page; page-break-after: avoid; break-inside: avoid;
}}
.cleannet-report p, .cleannet-report li {{ orphans: 2; widows: 2; }}
.cleannet-report table {{ break-inside: auto !important; page-break-inside: auto !important; }}
.cleannet-report thead {{ display: table-header-group; }}
.cleannet-report tr, .cleannet-report th, .cleannet-report td {{
  break-inside: avoid; page-break-inside: avoid;
}}
.cleannet-report .plotly-graph-div, .cleannet-report svg, .cleannet-report img {{
  break-inside: avoid; page-break-inside: avoid;
}}
.cleannet-report .jp-OutputArea-output {{ break-inside: auto !important; }}
.cleannet-report .modebar, .cleannet-report .modebar-container {{ display: none !important; }}
.cleannet-toc a {{ color: #000000; }}
"""


def content_width_px() -> int:
    """Width of the A4 text column between the margins, in CSS pixels."""
    return int((A4_MM[0] - MARGINS_MM[1] - MARGINS_MM[3]) * _PX_PER_MM)


class PdfPrinter:
    """One headless Chromium that prints report pages to PDF, for any thread.

    Use it as a context manager, or call :meth:`close`. Nothing starts until the first
    :meth:`print_file`.

    Examples
    --------
    >>> with PdfPrinter() as printer:  # doctest: +SKIP
    ...     pdf = printer.print_file("reports/2551/_department/05_summary.html",
    ...                              title="สรุป", running="ทั้งกรม · ปีงบประมาณ 2551")
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, coroutine: Coroutine[Any, Any, Any], timeout: float | None = None) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _start(self) -> None:
        with self._lock:
            if self._browser is not None:
                return
            executable = chromium_path()
            try:
                from playwright.async_api import async_playwright
            except ImportError:  # pragma: no cover - depends on the installation
                raise ConfigError("PDF output needs playwright for Python: pip install "
                                  "playwright (the browser is Debian's chromium; never run "
                                  "`playwright install`)")
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="cleannet-pdf", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread

            async def launch() -> tuple[Any, Any]:
                playwright = await async_playwright().start()
                browser = await playwright.chromium.launch(
                    executable_path=executable, headless=True, env=font_environment(),
                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                          "--font-render-hinting=none"],
                )
                return playwright, browser

            try:
                self._playwright, self._browser = self._run(launch(), timeout=120)
            except Exception as exc:
                self._stop_loop()
                raise ConfigError(f"Chromium at {executable} did not start: {exc}")

    async def _print(self, url: str, css: str) -> bytes:
        width = content_width_px()
        context = await self._browser.new_context(
            viewport={"width": width, "height": int(A4_MM[1] * _PX_PER_MM)},
            java_script_enabled=True, offline=True,
        )
        try:
            page = await context.new_page()

            async def only_files(route: Any) -> None:
                if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    await route.continue_()
                else:
                    await route.abort()

            await page.route("**/*", only_files)
            await page.emulate_media(media="print")
            await page.goto(url, wait_until="load", timeout=DRAW_TIMEOUT_S * 1000)
            await page.add_style_tag(content=css)
            await page.wait_for_function(_CHARTS_DRAWN, timeout=DRAW_TIMEOUT_S * 1000)
            await page.evaluate("""async () => {
                await document.fonts.ready;
                if (window.Plotly) {
                  for (const d of document.querySelectorAll('.plotly-graph-div')) {
                    await window.Plotly.Plots.resize(d);
                  }
                }
            }""")
            return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                                  outline=True, tagged=True)
        finally:
            await context.close()

    def print_file(self, path: str | Path, *, title: str, running: str) -> bytes:
        """Print the HTML page at ``path`` to PDF.

        Parameters
        ----------
        path
            The report's HTML file (its relative links, e.g. a shared ``plotly.min.js``,
            resolve beside it).
        title, running
            The running header's left and right parts.

        Returns
        -------
        bytes
            The PDF.
        """
        self._start()
        url = Path(path).resolve().as_uri()
        return self._run(self._print(url, print_css(title, running)),
                         timeout=DRAW_TIMEOUT_S * 3)

    def _stop_loop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._loop.close()
        self._loop = self._thread = None

    def close(self) -> None:
        """Close the browser (if it was started)."""
        with self._lock:
            if self._browser is None:
                return

            async def stop() -> None:
                try:
                    await self._browser.close()
                finally:
                    await self._playwright.stop()

            try:
                self._run(stop(), timeout=30)
            except Exception as exc:  # closing must not hide the batch's result
                logger.warning("closing chromium: %s", exc)
            self._browser = self._playwright = None
            self._stop_loop()
