"""The reports in a real browser, offline: Debian's chromium driven by Playwright for Python.

What ``cleannet-eval report`` builds on the committed demo data (``data/raw``) for fiscal year
2551 is opened page by page with every request that is not ``file://`` blocked and recorded:
the whole department and, with ``--by unit``, the units on which the notebooks take different
paths (:func:`browser.sample_units`: a unit whose survey is hidden, the units hidden to protect
it, the largest; ``CLEANNET_TEST_ALL_UNITS=1`` builds every unit), plus, in English, the
department's report with the most charts. The notebooks are the product's, from
``config.NOTEBOOKS_DIR`` (``notebooks/``); while that folder holds no ``.ipynb`` the reports are
built from ``tests/notebooks`` instead (without ``failing.ipynb``) — see
:func:`browser.product_notebooks`.

Each report is visited once (a module fixture) and these tests read what the browser saw:

* no request leaves ``file://`` and no local file is missing; no WebSocket;
* no console error and no uncaught exception;
* every plotly chart the executed notebook made (counted in the notebook itself, before export)
  is drawn: one ``svg.main-svg`` with a non-zero size and its marks, per figure;
* the embedded Sarabun is the font in use: its ``document.fonts`` faces load, and chromium draws
  the title, headings, text, table cells and every chart's Thai text with Sarabun
  (``CSS.getPlatformFontsForNode``) although the machine has Thai system fonts;
* every table-of-contents link, clicked, lands on its heading (hash, heading text, scrolled to);
* a full-page screenshot of each report is saved under ``reports/_screenshots/LANG/`` for a
  person to look at (``reports/`` is never committed).

A missing chromium or playwright is a failure that says what to install, never a skip.
"""

from __future__ import annotations

import pytest
from browser import (
    INSTALL_HINT,
    SCREENSHOTS_DIR,
    THAI,
    Batch,
    Visit,
    chromium_executable,
    clear_screenshots,
    demo_batches,
    screenshot_path,
    visit_all,
)

Seen = dict[str, tuple[Batch, object, Visit]]


def test_debians_chromium_is_there() -> None:
    """First, and in seconds: a missing browser fails here with what to install."""
    chromium_executable()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    chromium_executable()  # before minutes of building
    return demo_batches(tmp_path_factory)


@pytest.fixture(scope="module")
def seen(demo) -> Seen:
    """Every report of both batches, visited once; plus each batch's index.html."""
    clear_screenshots(*(batch.lang for batch in demo.batches))
    owners, jobs = {}, []
    for batch in demo.batches:
        for report in batch.result.reports:
            if report.status == "ok":
                name = f"{batch.lang}/{report.key}"
                owners[name] = (batch, report)
                jobs.append((name, batch.out / report.output, {
                    "lang": batch.lang, "screenshot": screenshot_path(batch.lang, report.key)}))
        name = f"{batch.lang}/index.html"
        owners[name] = (batch, None)
        jobs.append((name, batch.out / "index.html", {"lang": batch.lang, "inspect": False}))
    visits = visit_all(jobs, workers=2)
    return {name: (*owners[name], page) for name, page in visits.items()}


def _reports(seen: Seen):
    return [(name, batch, report, page) for name, (batch, report, page) in seen.items()
            if report is not None]


def _fail_if(problems: list[str], what: str) -> None:
    if problems:
        pytest.fail(f"{what} ({len(problems)}):\n" + "\n".join(problems[:40]), pytrace=False)


def test_the_demo_batches_build_every_report(demo) -> None:
    for batch in demo.batches:
        assert batch.result.exit_code == 0, batch.result.summary()
        assert batch.pages, f"no report built from {batch.notebooks_from}"
    units = {r.unit for r in demo.thai.result.reports}
    assert "" in units and len(units) >= 3, units  # the department and the units (--by unit)
    assert {r.unit for r in demo.english.result.reports} == {""}
    assert len(demo.english.result.reports) == 1


def test_no_request_leaves_file_scheme(seen: Seen) -> None:
    problems = []
    for name, (_, _, page) in seen.items():
        problems += [f"{name}: blocked {url}" for url in page.blocked]
        problems += [f"{name}: request {url}" for url in page.requests
                     if not url.startswith("file://")]
        problems += [f"{name}: failed {what}" for what in page.failed]
        problems += [f"{name}: websocket {url}" for url in page.websockets]
    _fail_if(problems, "pages that reach for the network or a missing file")
    assert all(page.requests[0] == page.url for _, _, page in seen.values())


def test_no_console_error(seen: Seen) -> None:
    problems = []
    for name, (_, _, page) in seen.items():
        problems += [f"{name}: console: {text}" for text in page.console_errors]
        problems += [f"{name}: exception: {text}" for text in page.page_errors]
    _fail_if(problems, "console errors")


def test_every_chart_the_notebook_made_is_drawn(seen: Seen) -> None:
    problems, total = [], 0
    for name, batch, report, page in _reports(seen):
        made = batch.figures.get(report.output, -1)
        assert made >= 0, f"{name}: the executed notebook was not seen (figure count missing)"
        total += made
        if page.containers != made or len(page.charts) != made:
            problems.append(f"{name}: the notebook made {made} chart(s); the page has "
                            f"{page.containers} chart div(s), {len(page.charts)} drawn")
        for chart in page.charts:
            if not chart["svg"] or chart["width"] <= 0 or chart["height"] <= 0:
                problems.append(f"{name}: chart {chart['id']} not drawn: {chart}")
            elif chart["traces"] and not chart["marks"]:
                problems.append(f"{name}: chart {chart['id']} has no drawn marks: {chart}")
    _fail_if(problems, "charts not drawn")
    assert total > 0, "no report has a chart: the test would prove nothing"


def _not_sarabun(drawn: dict) -> str | None:
    """Why a node's text is not drawn with the embedded Sarabun, or ``None``.

    Every Thai glyph must come from Sarabun (the ``@font-face``, a custom font): a font other
    than Sarabun may draw at most the node's non-Thai characters, and only in monospace
    (``pre``/``code``) text; elsewhere every glyph is Sarabun's.
    """
    fonts = drawn["fonts"]
    sarabun = [f for f in fonts if f["familyName"] == "Sarabun" and f.get("isCustomFont")]
    others = sum(f["glyphCount"] for f in fonts if f not in sarabun)
    text = drawn.get("text", "")
    if drawn.get("mono") and not THAI.search(text):
        return None  # monospace Latin text: the code font, by design
    if not sarabun:
        return "no glyph drawn with the embedded Sarabun"
    if not drawn.get("mono") and others:
        return "some glyphs drawn with another font"
    if others > len(THAI.sub("", text)):
        return "some Thai glyphs drawn with another font"
    return None


def test_embedded_sarabun_is_the_font_in_use(seen: Seen) -> None:
    problems = []
    for name, batch, _, page in _reports(seen):
        faces = [f for f in page.fonts if f["family"] == "Sarabun"]
        if not any(f["status"] == "loaded" for f in faces):
            problems.append(f"{name}: no Sarabun face loaded in document.fonts: {page.fonts}")
        problems += [f"{name}: Sarabun face failed: {f}" for f in faces if f["status"] == "error"]
        if "title" not in page.rendered:
            problems.append(f"{name}: no {'Thai ' if batch.lang == 'th' else ''}title to check")
        for label, drawn in page.rendered.items():
            problem = _not_sarabun(drawn)
            if problem:
                problems.append(f"{name}: {label} {drawn.get('text', '')[:60]!r}: {problem}: "
                                f"{drawn['fonts']}")
    _fail_if(problems, "text not drawn with the embedded Sarabun")
    thai_charts = [label for name, batch, _, page in _reports(seen) if batch.lang == "th"
                   for label in page.rendered if label.startswith("chart")]
    assert thai_charts, "no chart with Thai text was checked"


def test_table_of_contents_links_land_on_their_sections(seen: Seen) -> None:
    problems, links = [], 0
    for name, _, _, page in _reports(seen):
        for entry in page.toc:
            links += 1
            where = f"{name}: {entry['text']!r} → {entry['href']}"
            if not entry["hashOk"]:
                problems.append(f"{where}: location.hash is {entry['hash']!r}")
            elif not entry["found"]:
                problems.append(f"{where}: no element is the :target")
            elif entry["tag"] not in ("H1", "H2", "H3") or entry["heading"] != entry["text"]:
                problems.append(f"{where}: lands on <{entry['tag']}> {entry['heading']!r}")
            elif not entry["visible"] or not (abs(entry["top"]) <= 2 or entry["atBottom"]):
                problems.append(f"{where}: heading not scrolled to (top {entry['top']:.0f}px)")
    _fail_if(problems, "table-of-contents links that miss their section")
    assert links > 0, "no table-of-contents link was followed"


def test_a_screenshot_of_each_report_is_saved(seen: Seen) -> None:
    shots = [page.screenshot for _, _, _, page in _reports(seen)]
    assert shots and all(shot is not None for shot in shots)
    for shot in shots:
        assert shot.is_relative_to(SCREENSHOTS_DIR)
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, shot


def test_a_missing_browser_is_a_failure_that_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(pytest.fail.Exception, match="sudo apt-get install chromium") as failed:
        chromium_executable()
    assert INSTALL_HINT in str(failed.value)
