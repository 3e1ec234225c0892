"""The report pipeline end to end: real kernels, real papermill, real nbconvert, no mocks.

The data is the demo dataset cut down to two units (one renamed to an HTML-injection string)
and one fiscal year, and the notebooks are the tiny ones in tests/notebooks, so the whole file
stays well under a minute and a half on two cores.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from cleannet_eval import __version__, config
from cleannet_eval import files as report_files
from cleannet_eval.reports import ReportError, build_reports, execute_report
from cleannet_eval.reports.bundles import bundle_path, bundle_text
from cleannet_eval.reports.export import plotly_js
from cleannet_eval.reports.grid import slug

from conftest import REPO

NOTEBOOKS = REPO / "tests" / "notebooks"
CHARTS, TOC, FAILING = (NOTEBOOKS / f"{n}.ipynb" for n in ("charts", "toc", "failing"))
EVIL = "<img src=x onerror=alert(1)>"
UNITS = {"กองคลัง": "กองคลัง", "กองการเจ้าหน้าที่": EVIL}
FY = 2551
# A URL that a page would load or follow, outside the plotly.js bundle's own strings.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*|@import[^;]*?|\burl\(\s*["']?\s*)https?://""", re.I)


def make_small_data(root: Path) -> tuple[Path, Path]:
    """Demo spreadsheets and their processed tables, cut to two units (one with an evil name)."""
    from cleannet_eval.demo import write_demo
    from cleannet_eval.ingest.pipeline import ingest

    raw, processed = root / "raw", root / "processed"
    write_demo(raw)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLEANNET_EVAL_KEY", "test-secret-not-for-real-data")
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        ingest(raw, processed)
    for table in ("units", "roster", "attendance", "survey"):
        path = processed / f"{table}.parquet"
        frame = pd.read_parquet(path)
        frame = frame[frame["unit"].isin(list(UNITS))].copy()
        frame["unit"] = frame["unit"].map(UNITS)
        frame.to_parquet(path, index=False)
    return raw, processed


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    return make_small_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def batch(data, tmp_path_factory):
    raw, processed = data
    out = tmp_path_factory.mktemp("reports")
    result = build_reports(raw, processed, out, fiscal_years=[FY], by="unit",
                           notebooks_dir=[CHARTS, TOC], workers=2, quiet=True)
    return result, out


def _absolute(folder: Path, text: str) -> bool:
    """Whether ``text`` names ``folder`` by its absolute path (not as ``../../tmp/...``)."""
    return re.search(r"(?<!\.\.)" + re.escape(str(folder.resolve())), text) is not None


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _without_bundle(html: str) -> str:
    return html.replace(plotly_js(), "").replace(bundle_text("partial"), "")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_batch_builds_every_report_and_writes_index_and_manifest(batch, data) -> None:
    result, out = batch
    assert result.exit_code == 0, result.summary()
    keys = sorted(r.key for r in result.reports)
    assert keys == sorted(f"{FY}/{scope}/{nb}" for nb in ("charts", "toc")
                          for scope in ("_department", "กองคลัง", slug(EVIL)))
    manifest = json.loads(_read(out / "manifest.json"))
    assert manifest["counts"] == {"ok": 6, "skipped": 0, "failed": 0}
    for entry in manifest["reports"]:
        assert entry["status"] == "ok" and entry["error"] is None
        assert (out / entry["output"]).is_file()
        assert entry["duration_s"] > 0
        assert set(entry) >= {"key", "notebook", "title", "fiscal_year", "unit", "parameters",
                              "status", "duration_s", "output", "failed_notebook", "error"}
    charts = next(e for e in manifest["reports"] if e["key"] == f"{FY}/กองคลัง/charts")
    # issue #10: folders are named relative to the project, never by an absolute path
    assert charts["parameters"] == {"fiscal_year": FY, "unit": "กองคลัง", "lang": "th",
                                    "processed_dir": config.project_relative(data[1])}
    assert not Path(charts["parameters"]["processed_dir"]).is_absolute()
    assert not _absolute(data[0], json.dumps(manifest, ensure_ascii=False))
    index = _read(out / "index.html")
    for entry in manifest["reports"]:
        assert entry["output"].split("/")[-1] in index
    assert not list(out.rglob("*.part*"))


def test_plotly_js_is_embedded_exactly_once(batch) -> None:
    _, out = batch
    bundle = bundle_text("partial")  # bar and scatter charts only: the partial bundle
    for page in out.glob(f"{FY}/*/charts.html"):
        html = _read(page)
        assert html.count(bundle) == 1
        assert html.count("* plotly.js (cartesian - minified) v") == 1
        assert "* plotly.js v" not in html  # not the full bundle as well
        assert html.count("Plotly.newPlot(") == 3
    for page in out.glob(f"{FY}/*/toc.html"):  # no chart: no plotly.js at all
        assert "plotly.js" not in _read(page)


def test_no_report_loads_anything_from_the_network(batch) -> None:
    _, out = batch
    pages = [*out.rglob("*.html")]
    assert len(pages) == 7
    for page in pages:
        html = _without_bundle(_read(page))
        assert not EXTERNAL.findall(html), page
        assert not re.findall(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=", html), page
        for name in ("require.min.js", "mathjax.js", "tex-svg", "mermaid", "@jupyter-widgets"):
            assert name not in html.lower(), (page, name)


def test_sarabun_is_embedded_and_thai_text_is_there(batch) -> None:
    _, out = batch
    for page in [*out.rglob("*.html")]:
        html = _without_bundle(_read(page))
        assert html.count("@font-face{font-family:'Sarabun'") == 4
        assert "src:url(data:font/woff2;base64," in html
    charts = _read(out / str(FY) / "กองคลัง" / "charts.html")
    # The chart's Thai title, as the exporter writes it in the chart's JSON (UTF-8, no \u escapes).
    assert json.dumps("ผู้เข้าร่วมกิจกรรม — กองคลัง ปีงบประมาณ 2551", ensure_ascii=False)[1:-1] in charts
    assert "ผู้เข้าร่วมตามกิจกรรม<a class=\"anchor-link\"" in charts  # markdown heading
    assert '<html lang="th">' in charts


def test_no_code_no_prompts_and_title_and_parameters_on_top(batch) -> None:
    _, out = batch
    html = _without_bundle(_read(out / str(FY) / "กองคลัง" / "charts.html"))
    assert "pd.read_parquet" not in html and "px.bar(" not in html
    assert "In&nbsp;[" not in html and 'class="jp-InputPrompt' not in html
    header = html[html.index('<header class="cleannet-header">'):html.index("</header>")]
    assert '<h1 class="cleannet-title">การมีส่วนร่วมในกิจกรรม</h1>' in header
    assert "กองคลัง" in header and "ปีงบประมาณ 2551" in header
    assert re.search(r"<th scope=\"row\">fiscal_year</th><td><code>2551</code>", header)
    # The notebook's own title heading is not repeated below the header.
    assert html.count("การมีส่วนร่วมในกิจกรรม</h1>") == 1


def test_table_of_contents_links_to_existing_anchors(batch) -> None:
    _, out = batch
    for page in out.glob(f"{FY}/*/*.html"):
        html = _without_bundle(_read(page))
        nav = re.search(r'<nav class="cleannet-toc"[\s\S]*?</nav>', html)
        assert nav, page
        anchors = re.findall(r'href="#([^"]+)"', nav.group(0))
        assert anchors
        for anchor in anchors:
            assert html.count(f'id="{anchor}"') == 1, (page, anchor)
    toc = _without_bundle(_read(out / str(FY) / "_department" / "toc.html"))
    nav = re.search(r'<nav class="cleannet-toc"[\s\S]*?</nav>', toc).group(0)
    assert nav.count(">Summary</a>") == 2  # two headings with the same text, two targets
    assert "1.1 Method &amp; scope" in nav and "ข้อเสนอแนะ" in nav


def test_footer_records_sha256_of_every_input_version_and_time(batch, data) -> None:
    result, out = batch
    raw, processed = data
    html = _read(out / str(FY) / "_department" / "charts.html")
    footer = html[html.index('<footer class="cleannet-footer">'):html.index("</footer>")]
    files = [*raw.iterdir(), *processed.iterdir()]
    assert len(files) >= 10
    for path in files:
        assert f"{path.parent.name}/{path.name}" in footer
        assert _sha(path) in footer
    assert _sha(CHARTS) in footer and "notebooks/charts.ipynb" in footer
    assert f"cleannet-eval {__version__}" in footer
    assert re.search(r'<time class="cleannet-run-time" datetime="\d{4}-\d\d-\d\dT', footer)
    assert "processed_dir" in footer and "fiscal_year" in footer
    # issue #10: the parameter block and footer name folders relative to the project
    for folder in (raw, processed):
        assert not _absolute(folder, html)
    assert config.project_relative(processed) in footer


def test_user_data_is_escaped_in_index_and_report(batch) -> None:
    _, out = batch
    evil_html = _without_bundle(_read(out / str(FY) / slug(EVIL) / "toc.html"))
    index = _read(out / "index.html")
    for page in (evil_html, index):
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    title = re.search(r"<title>(.*?)</title>", evil_html).group(1)
    assert title == "สรุปผลการประเมิน — &lt;img src=x onerror=alert(1)&gt; · ปีงบประมาณ 2551"


def test_shared_assets_write_one_plotly_js_referenced_by_relative_path(data, tmp_path) -> None:
    raw, processed = data
    result = build_reports(raw, processed, tmp_path, fiscal_years=[FY], notebooks_dir=[CHARTS],
                           assets="shared", lang="en", quiet=True)
    assert result.exit_code == 0, result.summary()
    shared = tmp_path / "plotly.min.js"
    assert shared.read_bytes() == bundle_path("partial").read_bytes()
    assert not (tmp_path / "plotly-full.min.js").exists()  # no chart needed it
    page = tmp_path / str(FY) / "_department" / "charts.html"
    html = _read(page)
    assert "plotly.js v" not in html
    srcs = re.findall(r'<script src="([^"]+)"', html)
    assert srcs == ["../../plotly.min.js"]
    assert (page.parent / srcs[0]).resolve() == shared.resolve()
    assert '<html lang="en">' in html and "Whole department" in html
    assert page.stat().st_size < 500_000


def test_a_failing_report_does_not_stop_the_batch(data, tmp_path) -> None:
    raw, processed = data
    result = build_reports(raw, processed, tmp_path, fiscal_years=[FY], by="unit",
                           notebooks_dir=[TOC, FAILING], parameters={"fail_unit": EVIL},
                           quiet=True)
    assert result.exit_code == 1
    assert result.counts == {"ok": 5, "failed": 1, "skipped": 0}
    failed = result.failed[0]
    assert failed.key == f"{FY}/{slug(EVIL)}/failing"
    assert not (tmp_path / failed.key).with_suffix(".html").exists()
    kept = tmp_path / "_failed" / str(FY) / slug(EVIL) / "failing.ipynb"
    assert failed.failed_notebook == f"_failed/{FY}/{slug(EVIL)}/failing.ipynb"
    executed = nbformat.read(kept, as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    manifest = json.loads(_read(tmp_path / "manifest.json"))
    entry = next(e for e in manifest["reports"] if e["status"] == "failed")
    assert entry["error"]["cell_index"] == 3  # 0-based in the notebook as written
    assert entry["error"]["ename"] == "ValueError"
    assert entry["error"]["evalue"] == f"deliberate failure for {EVIL} {FY}"
    assert f"failed: {failed.key}: cell 3 (In [4]): ValueError" in result.summary()
    index = _read(tmp_path / "index.html")
    assert "เซลล์ 3 (In [4])" in index and "ValueError: deliberate failure for &lt;img" in index
    assert f'href="_failed/{FY}/{slug(EVIL)}/failing.ipynb"' in index
    for entry in manifest["reports"]:
        if entry["status"] == "ok":
            assert (tmp_path / entry["output"]).is_file()


def test_killed_between_temp_write_and_rename_leaves_no_partial_report(
    data, tmp_path, monkeypatch
) -> None:
    raw, processed = data
    real_replace = report_files.os.replace

    def killed(src, dst):
        if str(dst).endswith(".html") and "index" not in str(dst):
            raise OSError("killed before rename")
        return real_replace(src, dst)

    monkeypatch.setattr(report_files.os, "replace", killed)
    result = build_reports(raw, processed, tmp_path, fiscal_years=[FY], notebooks_dir=[TOC],
                           quiet=True)
    assert result.exit_code == 1
    assert result.failed[0].error["evalue"] == "killed before rename"
    page = tmp_path / str(FY) / "_department" / "toc.html"
    assert not page.exists()
    assert not [p for p in tmp_path.rglob("*") if ".part" in p.name]

    # A hard kill leaves the temporary file behind; the next batch removes it and completes.
    monkeypatch.setattr(report_files.os, "replace", real_replace)
    leftover = page.parent / ".toc.html.0badc0de.part"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_text("<html><body>half a rep", encoding="utf-8")
    result = build_reports(raw, processed, tmp_path, fiscal_years=[FY], notebooks_dir=[TOC],
                           quiet=True)
    assert result.exit_code == 0
    assert _read(page).rstrip().endswith("</html>")
    assert not leftover.exists()


def test_changed_only_skips_up_to_date_reports_and_rebuilds_after_a_change(
    data, tmp_path
) -> None:
    raw, processed = data
    own = tmp_path / "processed"
    shutil.copytree(processed, own)
    out = tmp_path / "out"

    def run(**kwargs):
        return build_reports(raw, own, out, fiscal_years=[FY], notebooks_dir=[TOC],
                             quiet=True, **kwargs)

    first = run()
    page = out / str(FY) / "_department" / "toc.html"
    built = page.stat().st_mtime_ns
    assert [r.status for r in first.reports] == ["ok"]

    second = run(changed_only=True)
    assert [r.status for r in second.reports] == ["skipped"]
    assert page.stat().st_mtime_ns == built
    manifest = json.loads(_read(out / "manifest.json"))
    assert manifest["counts"]["skipped"] == 1

    third = run(changed_only=True, lang="en")  # other parameters: rebuilt
    assert [r.status for r in third.reports] == ["ok"]

    attendance = pd.read_parquet(own / "attendance.parquet")
    attendance.iloc[1:].to_parquet(own / "attendance.parquet", index=False)
    fourth = run(changed_only=True, lang="en")  # an input changed: rebuilt
    assert [r.status for r in fourth.reports] == ["ok"]
    assert page.stat().st_mtime_ns != built


def test_per_report_timeout_interrupts_the_running_cell(tmp_path) -> None:
    params = new_code_cell("seconds: int = 0  # how long to sleep")
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[params, new_code_cell("import time\ntime.sleep(seconds)")])
    nb.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "x",
                                 "language": "python"}
    path = tmp_path / "slow.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ReportError) as caught:
        execute_report(path, {"seconds": 60}, timeout=10)
    assert caught.value.timed_out
    assert caught.value.cell_index == 1
    assert "took longer than 10 s" in str(caught.value)
    assert caught.value.notebook is not None
