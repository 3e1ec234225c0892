"""Helpers for the browser, privacy and XSS tests: Debian's chromium driven by Playwright, report
batches built with a figure count per report, and a survey "probe" notebook.

Chromium is Debian's (``/usr/bin/chromium``, or the ``CHROMIUM`` environment variable), never
Playwright's own download (``playwright install`` needs a network we do not have). A missing
browser or a missing ``playwright`` package is a test *failure* that says what to install —
never a skip (``scripts/ensure-chromium.sh`` installs the browser when run as root).

Reports are built from the product notebooks in ``config.NOTEBOOKS_DIR`` when that folder holds
any ``.ipynb``; until it does, from ``tests/notebooks`` (without ``failing.ipynb``, which fails
on purpose). :func:`product_notebooks` says which.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cleannet_eval import config

from conftest import REPO, tree_digest

if TYPE_CHECKING:
    from cleannet_eval.reports import BatchResult

#: Where a person looks at what the browser saw (``reports/`` is never committed).
SCREENSHOTS_DIR: Path = config.REPORTS_DIR / "_screenshots"
#: The fiscal year the browser batch covers (the demo's latest).
FY = 2551
#: The secret the batches in this session pseudonymise with: random, so that finding it in a
#: file can only mean that it was written there.
SESSION_KEY: str = "cleannet-test-key-" + secrets.token_hex(16)
CHROMIUM_ENV = "CHROMIUM"
#: Run the report tests on another folder of notebooks (default: config.NOTEBOOKS_DIR).
NOTEBOOKS_ENV = "CLEANNET_TEST_NOTEBOOKS"
#: Build every unit's report instead of a sample (see sample_units).
ALL_UNITS_ENV = "CLEANNET_TEST_ALL_UNITS"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "install Debian's chromium: sudo apt-get install chromium"
#: Chromium as root needs --no-sandbox; without the background-networking flags Chromium's own
#: connections are refused many at a time here. (Playwright adds --headless for headless=True.)
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1280, "height": 900}
THAI = re.compile(r"[\u0E00-\u0E7F]")

_FALLBACK_NOTEBOOKS = REPO / "tests" / "notebooks"
_PLOTLY_MIME = "application/vnd.plotly.v1+json"
_BUNDLE = re.compile(r"<script[^>]*>\s*/\*\*?\s*\*?\s*plotly\.js v[\s\S]*?</script>", re.I)


# --------------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------------


def product_notebooks() -> tuple[list[Path], str]:
    """The notebooks a report batch runs, and where they come from.

    Returns
    -------
    (list of Path, str)
        The ``.ipynb`` files of ``config.NOTEBOOKS_DIR`` when there are any; else those of
        ``tests/notebooks`` except ``failing.ipynb``. The string names the folder used.
        ``$CLEANNET_TEST_NOTEBOOKS=DIR`` runs the tests on another folder of notebooks.
    """
    chosen = os.environ.get(NOTEBOOKS_ENV)
    folder = Path(chosen) if chosen else config.NOTEBOOKS_DIR
    found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith((".", "~")))
    if found:
        return found, f"{folder} (from ${NOTEBOOKS_ENV})" if chosen else "notebooks/"
    if chosen:
        pytest.fail(f"${NOTEBOOKS_ENV}={chosen}: no .ipynb there", pytrace=False)
    fallback = sorted(p for p in _FALLBACK_NOTEBOOKS.glob("*.ipynb") if p.name != "failing.ipynb")
    return fallback, "tests/notebooks/ (notebooks/ holds no .ipynb yet)"


#: The survey probe: what an evaluation notebook does with the package's public API — the
#: headline survey figures of the scope (``survey_summary``), the factor table by unit as an
#: HTML table (``Report.show_table``) and as a plotly chart (unit names as labels and in the
#: hover text, with n), the comments that may be shown (``visible_comments``), and the
#: attendance per activity as a chart and a table. Its charts are plain plotly (raw labels, as
#: a notebook author may write them), so that the probe does not follow ``charts`` API changes.
#: Privacy and XSS tests add it to the product notebooks so that survey figures, comments and
#: spreadsheet text always reach a report.
_PROBE_CELLS: tuple[tuple[str, str, list[str]], ...] = (
    ("markdown", "# Survey probe\n\nWhat a report shows of the survey.", []),
    ("code", "\n".join([
        'fiscal_year: int = 2551  # fiscal year, Buddhist Era',
        'unit: str = ""  # unit name, empty for the whole department',
        'lang: str = "th"  # report language th or en',
        'raw_dir: str = ""  # folder of office spreadsheets',
        'processed_dir: str = ""  # folder of processed tables',
        'min_group_size: int = 5  # smallest group shown',
    ]), ["parameters"]),
    ("code", "\n".join([
        "import pandas as pd",
        "import plotly.graph_objects as go",
        "from cleannet_eval import charts",
        "from cleannet_eval.analysis import factor_table, survey_summary, visible_comments",
        "from cleannet_eval.errors import CleannetError",
        "from cleannet_eval.notebook import open_report",
        "report = open_report(fiscal_year=fiscal_year, unit=unit, lang=lang, raw_dir=raw_dir,",
        "                     processed_dir=processed_dir, min_group_size=min_group_size)",
    ]), []),
    ("markdown", "## Headline", []),
    ("code", "\n".join([
        "try:",
        "    s = survey_summary(report.dataset, fiscal_year=report.fiscal_year,",
        "                       unit=report.unit, min_group_size=min_group_size)['survey']",
        "except CleannetError:",
        "    s = None",
        "if s is None or s['suppressed']:",
        "    report.say(th='ไม่แสดงผลแบบสอบถาม', en='Survey results hidden')",
        "else:",
        "    rows = [{'factor': f['name_th'], 'n': f['n'], 'mean': f['mean']}",
        "            for f in s['factors'].values()]",
        "    rows.append({'factor': 'ภาพรวม', 'n': s['respondents'], 'mean': s['overall_mean']})",
        "    report.show_table(pd.DataFrame(rows))",
    ]), []),
    ("markdown", "## By unit", []),
    ("code", "\n".join([
        "if report.unit is None:",
        "    t = factor_table(report.survey, report.instrument, by='unit',",
        "                     min_group_size=min_group_size)",
        "    report.show_table(t[['unit', 'factor', 'n', 'mean', 'suppressed']])",
        "    o = t[t['factor'] == 'overall']",
        "    fig = go.Figure(go.Bar(y=o['unit'].tolist(), x=o['mean'].tolist(), orientation='h',",
        "                           customdata=o['n'].astype('object').tolist(),",
        "                           hovertemplate='%{y}: %{x:.2f} n %{customdata}'))",
        "    fig.update_layout(title='by unit', font_family=charts.FONT_FAMILY).show()",
    ]), []),
    ("markdown", "## Comments", []),
    ("code", "\n".join([
        "c = visible_comments(report.survey, 'unit' if report.unit is None else None)",
        "report.show_table(c)",
    ]), []),
    ("markdown", "## Activities", []),
    ("code", "\n".join([
        "a = report.attendance.groupby('activity').size().sort_values()",
        "fig = go.Figure(go.Bar(y=a.index.tolist(), x=a.tolist(), orientation='h',",
        "                       hovertemplate='%{y}: %{x}<extra></extra>'))",
        "fig.update_layout(title='activities', font_family=charts.FONT_FAMILY).show()",
        "report.show_table(a.rename('n').reset_index())",
    ]), []),
)


def write_probe_notebook(folder: Path, name: str = "probe.ipynb") -> Path:
    """Write the survey probe notebook (see ``_PROBE_CELLS``) into ``folder``."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = []
    for kind, source, tags in _PROBE_CELLS:
        cell = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


def count_figures(nb: Any) -> int:
    """Plotly figures an executed notebook made: plotly JSON outputs, plus ``Plotly.newPlot``
    calls in HTML outputs of other renderers (outside the plotly.js bundle). Cells tagged
    ``remove-cell``/``remove-output`` do not count: the report leaves them out on purpose."""
    removed = {"remove-cell", "remove_cell", "remove-output", "remove_output"}
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or set(cell.get("metadata", {}).get("tags", [])) & removed:
            continue
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if _PLOTLY_MIME in data:
                count += 1
            elif "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                count += _BUNDLE.sub("", text).count("Plotly.newPlot(")
    return count


# --------------------------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------------------------


@dataclass
class Batch:
    """A report batch built for the tests.

    Attributes
    ----------
    raw, processed, out
        The folders it read and wrote.
    result
        What :func:`~cleannet_eval.reports.build_reports` returned.
    figures
        Output path (relative to ``out``) → plotly figures its executed notebook made.
    notebooks_from
        Where the notebooks came from (see :func:`product_notebooks`).
    """

    raw: Path
    processed: Path
    out: Path
    lang: str
    result: BatchResult
    figures: dict[str, int]
    notebooks_from: str

    @property
    def pages(self) -> list[Path]:
        """Every HTML report the batch built."""
        return [self.out / r.output for r in self.result.reports if r.status == "ok"]


@contextmanager
def session_key(config_home: Path) -> Iterator[None]:
    """Environment of a batch: :data:`SESSION_KEY` as the secret, no user key file."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(config.KEY_ENV_VAR, SESSION_KEY)
        patch.delenv(config.KEY_FILE_ENV_VAR, raising=False)
        patch.setenv("XDG_CONFIG_HOME", str(config_home))
        yield


def build_batch(
    raw: Path,
    processed: Path,
    out: Path,
    *,
    notebooks: Sequence[Path],
    notebooks_from: str = "",
    lang: str = "th",
    by: str | None = None,
    units: Sequence[str] | None = None,
    fiscal_years: Sequence[int] = (FY,),
    workers: int = 2,
) -> Batch:
    """Build reports with :func:`~cleannet_eval.reports.build_reports` (what
    ``cleannet-eval report`` runs) and count the figures of every executed notebook.

    The count comes from a wrapper around the batch's ``export_html`` that sees each executed
    notebook before it is exported. The pseudonymisation secret is :data:`SESSION_KEY`.
    """
    from cleannet_eval.reports import batch as batch_module
    from cleannet_eval.reports import build_reports

    made: dict[tuple, int] = {}
    export = batch_module.export_html

    def counting_export(nb, **kwargs):
        key = (kwargs.get("fiscal_year"), kwargs.get("unit", ""), kwargs.get("notebook_name"),
               kwargs.get("lang", "th"))
        made[key] = count_figures(nb)
        return export(nb, **kwargs)

    with session_key(out.parent / f".config-{out.name}"), pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_module, "export_html", counting_export)
        result = build_reports(raw, processed, out, fiscal_years=list(fiscal_years), by=by,
                               notebooks_dir=list(notebooks), lang=lang, workers=workers,
                               quiet=True, units=units)
    figures = {r.output: made.get((r.fiscal_year, r.unit, r.notebook, lang), -1)
               for r in result.reports if r.output}
    return Batch(raw=Path(raw), processed=Path(processed), out=Path(out), lang=lang,
                 result=result, figures=figures, notebooks_from=notebooks_from)


@dataclass
class DemoBatches:
    """``cleannet-eval report`` on the committed demo data, one fiscal year.

    ``thai`` is the whole department and, ``--by unit``, the units of :func:`sample_units`;
    ``english`` the department's report with the most charts, in English. ``raw_before`` and
    ``raw_after`` are the SHA-256 and modification time of every file of ``data/raw`` before
    and after both batches; ``units`` says why each unit was chosen.
    """

    thai: Batch
    english: Batch
    raw_before: dict[str, tuple[str, int]]
    raw_after: dict[str, tuple[str, int]]
    units: dict[str, str]

    @property
    def batches(self) -> tuple[Batch, Batch]:
        return self.thai, self.english


_CACHE: dict[str, Any] = {}


def _raw_state(folder: Path) -> dict[str, tuple[str, int]]:
    digest = tree_digest(folder)
    return {name: (sha, (folder / name).stat().st_mtime_ns) for name, sha in digest.items()}


def sample_units(dataset: Any, fiscal_year: int = FY) -> dict[str, str]:
    """The units whose reports the tests build, each with why it was chosen.

    Every unit's report is the same notebooks on other rows, so the tests take the units on
    which the notebooks take different paths: the smallest unit with 1–4 survey answers (its
    survey hidden), every unit hidden by secondary suppression in the fiscal-year × unit table
    or the headline summary (what ``Report.breakdown`` and ``Report.summary`` hide), the unit
    with the most answers, and a unit with attendance but no survey answer that year. (A unit
    that a department table hides by another rule, whose reports were not built, fails the
    privacy test loudly.) With
    ``$CLEANNET_TEST_ALL_UNITS=1``: every unit with a report, as ``cleannet-eval report --by
    unit`` builds them (several minutes).
    """
    from cleannet_eval.analysis import factor_table, survey_summary
    from cleannet_eval.reports import units_with_data

    with_reports = units_with_data(dataset, fiscal_year)
    if os.environ.get(ALL_UNITS_ENV):
        return {unit: "every unit" for unit in with_reports}
    survey = dataset.survey
    year = survey[survey["fiscal_year"] == fiscal_year]
    answers = year["unit"].value_counts()
    chosen: dict[str, str] = {}
    small = [u for u in answers.sort_values().index if 1 <= answers[u] < config.MIN_GROUP_SIZE]
    if small:
        chosen[small[0]] = f"{answers[small[0]]} survey answers"
    cross = factor_table(survey, dataset.instrument, by=["fiscal_year", "unit"])
    cross = cross[(cross["fiscal_year"] == fiscal_year) & (cross["factor"] == "overall")]
    for unit in cross.loc[cross["suppressed"], "unit"].dropna():
        chosen.setdefault(unit, f"hidden by the year × unit table ({answers.get(unit, 0)} "
                                "answers)")
    for unit in answers.index:
        if survey_summary(dataset, fiscal_year=fiscal_year, unit=unit)["survey"]["suppressed"]:
            chosen.setdefault(unit, f"hidden by the headline summary ({answers[unit]} answers)")
    if len(answers):
        chosen.setdefault(answers.index[0], f"most survey answers ({answers.iloc[0]})")
    silent = [u for u in with_reports if u not in answers.index]
    if silent:
        chosen.setdefault(silent[0], "attendance but no survey answer")
    return {unit: why for unit, why in chosen.items() if unit in with_reports}


def demo_batches(tmp_path_factory: pytest.TempPathFactory) -> DemoBatches:
    """Build the demo batches once per test session (shared by the browser and privacy tests).

    The raw folder is the committed ``data/raw`` itself (read, never written: checked);
    processed tables and reports go to a temporary folder.
    """
    if "demo" not in _CACHE:
        from cleannet_eval.dataset import read_processed
        from cleannet_eval.reports.inputs import ensure_processed

        root = tmp_path_factory.mktemp("demo-batch")
        notebooks, source = product_notebooks()
        raw, processed = config.RAW_DATA_DIR, root / "processed"
        before = _raw_state(raw)
        with session_key(root / "config"):
            ensure_processed(raw, processed)  # the ingest, as the batch would run it
        units = sample_units(read_processed(processed))
        thai = build_batch(raw, processed, root / "reports", notebooks=notebooks,
                           notebooks_from=source, by="unit", units=list(units))
        # The other language for one report: the department's with the most charts.
        department = [r for r in thai.result.reports if r.status == "ok" and not r.unit]
        busiest = max(department, key=lambda r: thai.figures.get(r.output, 0), default=None)
        chosen = [p for p in notebooks if busiest is None or p.name == busiest.notebook]
        english = build_batch(raw, processed, root / "reports-en", notebooks=chosen,
                              notebooks_from=source, lang="en")
        _CACHE["demo"] = DemoBatches(thai, english, before, _raw_state(raw), units)
    return _CACHE["demo"]


# --------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------


def chromium_executable() -> str:
    """Path of Debian's chromium (or ``$CHROMIUM``); a test failure saying what to install
    when it is missing."""
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"no chromium at {path}: {INSTALL_HINT} "
                    "(or run scripts/ensure-chromium.sh as root, or set CHROMIUM)",
                    pytrace=False)
    return path


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium (Debian's) under Playwright; closed on exit."""
    executable = chromium_executable()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright for Python is missing: pip install -e '.[test]' "
                    "(the browser is Debian's chromium; never run `playwright install`)",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=list(CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """What the browser saw on one page.

    Attributes
    ----------
    requests
        Every request the page made (URL), in order.
    blocked
        Requests to anything but ``file://``: recorded and aborted.
    failed
        Requests that failed (a missing local file, a blocked URL).
    console_errors, page_errors
        Console messages of type ``error``, uncaught exceptions.
    containers
        ``div.plotly-graph-div`` elements (a chart the exporter put in the page).
    charts
        One dict per drawn chart: ``id``, ``svg`` (an ``svg.main-svg`` exists), ``width``,
        ``height``, ``traces``, ``marks`` (drawn bars, slices, points, lines, heatmap images,
        shapes), ``font``.
    fonts
        ``document.fonts``: ``family``, ``weight``, ``status``, ``unicodeRange`` of each face.
    rendered
        Probe label → ``fonts``: the fonts chromium actually drew that node's glyphs with
        (``CSS.getPlatformFontsForNode``), ``text``: the node's text, ``mono``: whether it is
        inside ``pre``/``code`` (monospace by design).
    toc
        One dict per table-of-contents link, after clicking it: the element ``:target`` then
        matches (``found``, ``tag``, ``heading`` text without the ¶ anchor), whether
        ``location.hash`` is the link's (``hashOk``), where the element is (``top``, pixels from
        the top of the window, ``visible``) and whether the page is scrolled to its end.
    """

    url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    containers: int = 0
    charts: list[dict] = field(default_factory=list)
    fonts: list[dict] = field(default_factory=list)
    rendered: dict[str, dict] = field(default_factory=dict)
    toc: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_CHARTS = """() => ({
  containers: document.querySelectorAll('div.plotly-graph-div').length,
  charts: [...document.querySelectorAll('.js-plotly-plot')].map(el => {
    const box = el.getBoundingClientRect();
    return {
      id: el.id, svg: !!el.querySelector('svg.main-svg') && !!el._fullLayout,
      width: box.width, height: box.height, traces: (el.data || []).length,
      marks: el.querySelectorAll(['.trace .point', '.trace path.js-line', '.slice',
        '.trace .bars path', '.hm image', '.contourlayer path', '.imagelayer image',
        '.scatterlayer path', '.barlayer path', '.pielayer path', '.funnellayer path',
        '.layer-above path', '.shapelayer path'].join(', ')).length,
      font: el._fullLayout ? el._fullLayout.font.family : null,
    };
  }),
})"""

_FONTS = """() => [...document.fonts].map(f => ({
  family: f.family.replace(/["']/g, ''), weight: String(f.weight), status: f.status,
  unicodeRange: f.unicodeRange}))"""

# Mark the nodes whose drawn font is checked: the title, a markdown heading and paragraph, a
# table cell and, in every chart, the first text with Thai in it (any text for English).
_MARK_FONT_PROBES = """(thai) => {
  const wanted = thai ? /[\\u0E00-\\u0E7F]/ : /\\S/;
  const pick = (label, nodes) => {
    for (const n of nodes) {
      if (wanted.test(n.textContent || '')) { n.setAttribute('data-font-probe', label); return; }
    }
  };
  pick('title', document.querySelectorAll('h1.cleannet-title'));
  pick('heading', document.querySelectorAll('.jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3'));
  pick('paragraph', document.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li'));
  pick('printed text', document.querySelectorAll('.jp-RenderedText pre'));
  pick('table cell', document.querySelectorAll('.jp-RenderedHTMLCommon td'));
  document.querySelectorAll('.js-plotly-plot').forEach((el, i) => {
    pick('chart ' + (el.id || i), el.querySelectorAll('svg text'));
  });
}"""

_TOC_CHECK = """(href) => {
  // The browser's own answer: the element that :target matches after the click.
  const el = document.querySelector(':target');
  const root = document.documentElement;
  const same = (a, b) => { try { return decodeURIComponent(a) === decodeURIComponent(b); }
                           catch (e) { return a === b; } };
  const out = {href, hash: location.hash, hashOk: same(location.hash, href), found: !!el,
               scrollY: window.scrollY,
               atBottom: window.scrollY + window.innerHeight >= root.scrollHeight - 2};
  if (!el) return out;
  const copy = el.cloneNode(true);
  copy.querySelectorAll('a.anchor-link').forEach(a => a.remove());
  out.tag = el.tagName;
  out.id = el.id;
  out.heading = copy.textContent.trim();
  out.top = el.getBoundingClientRect().top;
  out.visible = out.top >= -2 && out.top < window.innerHeight;
  return out;
}"""


def _rendered_fonts(context: Any, page: Any) -> dict[str, dict]:
    cdp = context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll",
                         {"nodeId": root, "selector": "[data-font-probe]"})["nodeIds"]
        found = {}
        for node in nodes:
            attributes = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
            label = dict(zip(attributes[::2], attributes[1::2], strict=True))["data-font-probe"]
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            found[label] = {"fonts": fonts}
        texts = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
            '[data-font-probe]')].map(n => [n.getAttribute('data-font-probe'),
            {text: n.textContent, mono: !!n.closest('pre, code')}]))""")
        for label, node in texts.items():
            found.setdefault(label, {"fonts": []}).update(node)
        return found
    finally:
        cdp.detach()


def _follow_toc(page: Any) -> list[dict]:
    results = []
    links = page.locator("nav.cleannet-toc a")
    for i in range(links.count()):
        link = links.nth(i)
        href = link.get_attribute("href") or ""
        text = link.inner_text().strip()
        link.click()
        with suppress(Exception):  # a link that goes nowhere is recorded below
            page.wait_for_function(
                "(h) => location.hash === h || decodeURI(location.hash) === decodeURI(h)",
                arg=href, timeout=5_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        check = page.evaluate(_TOC_CHECK, href)
        check["text"] = text
        results.append(check)
    return results


def visit(
    browser: Any,
    page_path: Path,
    *,
    screenshot: Path | None = None,
    init_script: str | None = None,
    lang: str = "th",
    inspect: bool = True,
    then: Any = None,
) -> Visit:
    """Open one page with every non-``file://`` request blocked and recorded.

    Parameters
    ----------
    browser
        From :func:`chromium`.
    page_path
        The HTML file.
    screenshot
        Save a full-page PNG here.
    init_script
        JavaScript run in the page before any of its own scripts (traps for the XSS tests).
    lang
        The report's language: for Thai, the font probes pick nodes with Thai text.
    inspect
        Measure charts, fonts and the table of contents (off for pages that are not reports).
    then
        ``then(page, visit)`` is called with the loaded page before it is closed.
    """
    url = page_path.resolve().as_uri()
    seen = Visit(url=url)
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    try:
        context.on("request", lambda request: seen.requests.append(request.url))
        context.on("requestfailed",
                   lambda request: seen.failed.append(f"{request.url} ({request.failure})"))

        def only_files(route: Any) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                seen.blocked.append(route.request.url)
                route.abort("blockedbyclient")

        context.route("**/*", only_files)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.on("console", lambda message: seen.console_errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
        page.on("websocket", lambda socket: seen.websockets.append(socket.url))
        page.goto(url, wait_until="load", timeout=60_000)
        page.evaluate("""() => document.fonts.ready.then(() => new Promise(
            r => requestAnimationFrame(() => requestAnimationFrame(r))))""")
        if inspect:
            drawn = page.evaluate(_CHARTS)
            seen.containers, seen.charts = drawn["containers"], drawn["charts"]
            seen.fonts = page.evaluate(_FONTS)
            page.evaluate(_MARK_FONT_PROBES, lang == "th")
            seen.rendered = _rendered_fonts(context, page)
            seen.toc = _follow_toc(page)
        if then is not None:
            then(page, seen)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.mouse.move(0, 0)  # no hover left on the last link clicked
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(screenshot), full_page=True)
            seen.screenshot = screenshot
    finally:
        context.close()
    return seen


def visit_all(pages: Sequence[tuple[str, Path, dict]], workers: int = 2) -> dict[str, Visit]:
    """:func:`visit` many pages, on ``workers`` threads with a chromium each.

    Parameters
    ----------
    pages
        ``(name, path, keyword arguments of visit)`` for every page.
    workers
        Browsers at once (page loads are CPU-bound: parsing plotly.js takes about a second).

    Returns
    -------
    dict
        Name → :class:`Visit`.
    """
    from concurrent.futures import ThreadPoolExecutor

    def work(share: Sequence[tuple[str, Path, dict]]) -> dict[str, Visit]:
        with chromium() as browser:  # Playwright: one instance per thread
            return {name: visit(browser, path, **kwargs) for name, path, kwargs in share}

    shares = [list(pages[i::workers]) for i in range(max(1, workers))]
    seen: dict[str, Visit] = {}
    with ThreadPoolExecutor(max_workers=len(shares)) as pool:
        for result in pool.map(work, [share for share in shares if share]):
            seen.update(result)
    return {name: seen[name] for name, _, _ in pages}


def screenshot_path(group: str, key: str) -> Path:
    """``reports/_screenshots/GROUP/FY/UNIT/NOTEBOOK.png`` for a report key (GROUP: the
    language, or ``xss``)."""
    return SCREENSHOTS_DIR / group / f"{key}.png"


def clear_screenshots(*groups: str) -> None:
    """Remove an earlier run's screenshots of these groups (``reports/_screenshots/GROUP``)."""
    for group in groups:
        folder = SCREENSHOTS_DIR / group
        if folder.is_dir():
            shutil.rmtree(folder)
