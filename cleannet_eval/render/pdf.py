"""Print a report's HTML page to an A4 PDF in Debian's Chromium.

One browser serves a whole batch (:class:`PdfPrinter`): Playwright's asyncio API runs in a
thread of its own, and any thread can ask it to print a page; the pages of a batch print
side by side in one browser. The page is printed without plotly.js: its charts are
replaced by the PNG pictures kaleido drew for the report (:func:`static_page`, the same
pictures as in the DOCX), which saves seconds of CPU per page. Nothing is loaded from
anywhere (the page is self-contained); the printer waits until every picture and font is
ready.

What the print adds to the report's own style (:func:`print_css`): A4 with the margins of Thai
official documents, a running header with the report's title and its scope and fiscal year,
page numbers ``N / M`` at the foot (CSS ``@page`` margin boxes, Chromium 131 or newer), table
rows that never split and header rows repeated on every page, headings kept with what
follows, charts never cut, and links of the table of contents kept as PDF links (the PDF also
gets an outline of the headings).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import threading
from collections.abc import Coroutine, Sequence
from typing import Any

from ..errors import ConfigError
from .browser import chromium_path
from .fonts import font_environment

logger = logging.getLogger(__name__)

#: Page margins of Thai official documents (ระเบียบงานสารบรรณ): top, right, bottom, left, mm.
MARGINS_MM: tuple[float, float, float, float] = (25, 20, 20, 30)
A4_MM: tuple[float, float] = (210, 297)
_PX_PER_MM = 96 / 25.4
#: The tallest a chart picture may be on the page (the A4 text column is 252 mm high).
CHART_MAX_HEIGHT_MM = 235
#: Where the printer serves the page it prints (never a real address: nothing leaves).
PAGE_URL = "http://cleannet-eval.invalid/report.html"
#: Seconds allowed for a page to load and draw its charts.
DRAW_TIMEOUT_S = 60

_CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('img'))
  .every(img => img.complete && img.naturalWidth > 0)"""
# Chromium turns every id into a PDF named destination; Thai ids make names longer than PDF
# readers accept ("name token is longer than ..."). Short ASCII ids keep the links working.
_SHORT_ANCHORS = """() => {
  const renamed = new Map();
  let n = 0;
  for (const el of document.querySelectorAll('[id]')) {
    n += 1; renamed.set(el.id, 's' + n); el.id = 's' + n;
  }
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    const raw = a.getAttribute('href').slice(1);  // nbconvert's ids are percent-encoded
    let target = raw;
    if (!renamed.has(target)) { try { target = decodeURIComponent(raw); } catch (e) {} }
    if (renamed.has(target)) a.setAttribute('href', '#' + renamed.get(target));
  }
}"""
# Paper carries no machine paths: the data folders' rows of the parameter tables are left out
# (the footer's SHA-256 list, with paths relative to the data folders, stays).
_NO_PATHS = """() => {
  for (const row of document.querySelectorAll(
      '.cleannet-params tr, .cleannet-footer-params tr')) {
    const key = row.querySelector('th');
    if (key && ['raw_dir', 'processed_dir'].includes(key.textContent.trim())) row.remove();
  }
}"""
# A chart of the exported page: plotly's wrapper (fixed height), its div and its script.
_CHART_BLOCK = re.compile(
    r'<div style="height:\d+px; width:100%;">\s*<div class="plotly-graph-div" id="(plot-\d+)"'
    r'[^>]*></div>\s*<script[^>]*>[\s\S]*?</script>\s*</div>')
_PLOTLY_SCRIPTS = re.compile(
    r'<script[^>]*>\s*window\.PlotlyConfig[^<]*</script>'
    r'|<script[^>]*\bsrc="[^"]*plotly\.min\.js"[^>]*>\s*</script>')


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


def static_page(html: str, charts: Sequence[bytes]) -> str:
    """A report page with its plotly charts replaced by pictures and no plotly.js.

    Loading plotly.js (4.8 MB) costs seconds of CPU per page; the PDF shows the same charts as
    the HTML, drawn once by kaleido at print resolution (the pictures the DOCX uses too).

    Parameters
    ----------
    html
        The exported report page.
    charts
        One PNG per chart, in the page's order (``plot-1``, ``plot-2``, …).

    Raises
    ------
    ValueError
        The page's charts and the pictures do not match one to one.
    """
    from ..reports.export import plotly_js

    html = html.replace(f"<script>{plotly_js()}</script>", "")
    html = _PLOTLY_SCRIPTS.sub("", html)

    def picture(match: re.Match) -> str:
        index = int(match.group(1).split("-")[1]) - 1
        if index >= len(charts):
            return ""
        data = base64.b64encode(charts[index]).decode("ascii")
        # as wide as the column, never taller than a page (a tall chart is shrunk, not cut)
        return (f'<img class="cleannet-chart" alt="" style="display:block;margin:0 auto;'
                f'max-width:100%;max-height:{CHART_MAX_HEIGHT_MM}mm;width:auto;height:auto" '
                f'src="data:image/png;base64,{data}">')

    page, replaced = _CHART_BLOCK.subn(picture, html)
    if replaced != len(charts) or 'class="plotly-graph-div"' in page:
        # plotly's HTML changed shape: better no PDF than a PDF with charts missing
        raise ValueError(f"{replaced} chart block(s) found in the page for {len(charts)} "
                         "chart picture(s); the PDF would miss charts")
    return page


def content_width_px() -> int:
    """Width of the A4 text column between the margins, in CSS pixels."""
    return int((A4_MM[0] - MARGINS_MM[1] - MARGINS_MM[3]) * _PX_PER_MM)


class PdfPrinter:
    """One headless Chromium that prints report pages to PDF, for any thread.

    Use it as a context manager, or call :meth:`close`. Nothing starts until the first
    :meth:`print_html`.

    Examples
    --------
    >>> with PdfPrinter() as printer:  # doctest: +SKIP
    ...     pdf = printer.print_html(static_page(html, charts), title="สรุป",
    ...                              running="ทั้งกรม · ปีงบประมาณ 2551")
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright: Any = None
        self._browser: Any = None
        self._idle: list[Any] = []  # pages ready for the next print (used in the loop only)

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

    async def _new_page(self) -> Any:
        context = await self._browser.new_context(
            viewport={"width": content_width_px(), "height": int(A4_MM[1] * _PX_PER_MM)},
            java_script_enabled=True,
        )
        page = await context.new_page()
        page.cleannet_html = ""  # the page to serve at PAGE_URL next

        async def serve(route: Any) -> None:
            # The report itself is served at a URL of its own (links to its own anchors then
            # become links inside the PDF); nothing else is loaded from anywhere.
            url = route.request.url
            if url == PAGE_URL:
                await route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                    body=page.cleannet_html)
            elif url.startswith(("data:", "blob:", "about:")):
                await route.continue_()
            else:
                await route.abort()

        await page.route("**/*", serve)
        await page.emulate_media(media="print")
        return page

    async def _print(self, html: str, css: str) -> bytes:
        # Pages are kept and reused (a new context and page cost more than printing one).
        page = self._idle.pop() if self._idle else await self._new_page()
        try:
            page.cleannet_html = html
            await page.goto(PAGE_URL, wait_until="load", timeout=DRAW_TIMEOUT_S * 1000)
            await page.add_style_tag(content=css)
            await page.wait_for_function(_CHARTS_DRAWN, timeout=DRAW_TIMEOUT_S * 1000)
            await page.evaluate(_SHORT_ANCHORS)
            await page.evaluate(_NO_PATHS)
            await page.evaluate("async () => { await document.fonts.ready; }")
            pdf = await page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                                 outline=True, tagged=True)
        except BaseException:
            await page.context.close()
            raise
        self._idle.append(page)
        return pdf

    def print_html(self, html: str, *, title: str, running: str) -> bytes:
        """Print an HTML page to PDF.

        Parameters
        ----------
        html
            The page, self-contained (it is loaded with no base URL and no network): use
            :func:`static_page` on a report page first.
        title, running
            The running header's left and right parts.

        Returns
        -------
        bytes
            The PDF.
        """
        self._start()
        return self._run(self._print(html, print_css(title, running)),
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
                self._idle.clear()
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
