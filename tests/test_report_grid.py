"""The report pipeline's pure parts: grid, slugs, fingerprints, HTML post-processing, index.

No kernel runs here (see test_report_pipeline.py for real papermill and nbconvert runs).
"""

from __future__ import annotations

import json
import logging
import pickle

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cleannet_eval import files as report_files
from cleannet_eval.dataset import Dataset
from cleannet_eval.errors import ConfigError
from cleannet_eval.reports import (
    ReportError,
    build_reports,
    expand_grid,
    units_with_data,
    write_index,
)
from cleannet_eval.reports.export import add_toc, external_urls, plotly_js, prepare_notebook
from cleannet_eval.reports.grid import find_notebooks, notebook_title, slug
from cleannet_eval.reports.inputs import fingerprint, processed_is_stale, read_fingerprint

from conftest import REPO

NOTEBOOKS = REPO / "tests" / "notebooks"
EVIL = "<img src=x onerror=alert(1)>"


def _dataset(rows: dict[tuple[int, str], tuple[int, int]]) -> Dataset:
    """A dataset with ``(survey respondents, attendance rows)`` per (fiscal year, unit)."""
    survey, attendance = [], []
    for (year, unit), (n_survey, n_attendance) in rows.items():
        survey += [{"unit": unit, "fiscal_year": year}] * n_survey
        attendance += [{"unit": unit, "fiscal_year": year}] * n_attendance
    units = pd.DataFrame({"unit": sorted({u for _, u in rows}), "fiscal_year": 2551})
    empty = pd.DataFrame(columns=["unit", "fiscal_year"])
    return Dataset(units=units, roster=empty, attendance=pd.DataFrame(attendance or empty),
                   survey=pd.DataFrame(survey or empty), instrument=None)  # type: ignore[arg-type]


DATA = _dataset({
    (2550, "กองคลัง"): (5, 0),      # enough respondents
    (2550, "กองการเจ้าหน้าที่"): (4, 4),  # neither reaches 5
    (2551, "กองคลัง"): (0, 5),      # enough attendance rows
    (2551, "กองการเจ้าหน้าที่"): (2, 30),
    (2551, EVIL): (9, 9),
})


@pytest.mark.parametrize(("year", "expected"), [
    (2550, ["กองคลัง"]),
    (2551, [EVIL, "กองการเจ้าหน้าที่", "กองคลัง"]),
    (None, [EVIL, "กองการเจ้าหน้าที่", "กองคลัง"]),
])
def test_units_with_data_needs_min_group_size_respondents_or_rows(year, expected) -> None:
    assert units_with_data(DATA, year, 5) == sorted(expected)


def test_units_with_data_threshold_is_a_parameter() -> None:
    assert units_with_data(DATA, 2550, 4) == ["กองการเจ้าหน้าที่", "กองคลัง"]


@pytest.mark.parametrize(("name", "expected"), [
    ("กองคลัง", "กองคลัง"),
    ("สำนักบริหารการทะเบียน", "สำนักบริหารการทะเบียน"),
    (EVIL, "img-src-x-onerror-alert-1-63b586b4"),
    ("../etc/passwd", None),
])
def test_slug_keeps_thai_and_makes_anything_else_safe(name, expected) -> None:
    result = slug(name)
    if expected is not None:
        assert result == expected
    assert "/" not in result and "<" not in result and not result.startswith((".", "_"))


def test_slugs_of_different_names_differ() -> None:
    assert slug("a/b") != slug("a?b")
    assert slug("") != ""


def test_whole_department_only_by_default() -> None:
    jobs = expand_grid(DATA, NOTEBOOKS / "toc.ipynb")
    assert [(j.fiscal_year, j.unit, j.key) for j in jobs] == [
        (2550, "", "2550/_department/toc"),
        (2551, "", "2551/_department/toc"),
    ]
    assert jobs[0].parameters == {"fiscal_year": 2550, "unit": "", "lang": "th"}
    assert jobs[0].title == "สรุปผลการประเมิน"


def test_by_unit_adds_each_unit_with_enough_data() -> None:
    jobs = expand_grid(DATA, NOTEBOOKS / "toc.ipynb", by="unit", fiscal_years=[2551])
    assert [j.unit for j in jobs] == ["", EVIL, "กองการเจ้าหน้าที่", "กองคลัง"]
    keys = [j.key for j in jobs]
    assert len(set(keys)) == len(keys)
    assert keys[1] == "2551/img-src-x-onerror-alert-1-63b586b4/toc"
    assert jobs[1].html_path == keys[1] + ".html"
    assert jobs[1].failed_path == "_failed/" + keys[1] + ".ipynb"


def test_units_filter_and_unknown_unit() -> None:
    jobs = expand_grid(DATA, NOTEBOOKS / "toc.ipynb", by="unit", units=["กองคลัง"])
    assert [(j.fiscal_year, j.unit) for j in jobs] == [
        (2550, ""), (2550, "กองคลัง"), (2551, ""), (2551, "กองคลัง")]
    with pytest.raises(ConfigError, match="Unknown unit 'nowhere'. Units: "):
        expand_grid(DATA, NOTEBOOKS / "toc.ipynb", by="unit", units=["nowhere"])


def test_only_declared_parameters_are_passed() -> None:
    jobs = expand_grid(DATA, NOTEBOOKS, fiscal_years=[2551],
                       parameters={"processed_dir": "/p", "raw_dir": "/r", "bands": "half"})
    by_name = {j.notebook.name: j.parameters for j in jobs}
    assert by_name == {
        "charts.ipynb": {"processed_dir": "/p", "fiscal_year": 2551, "unit": "", "lang": "th"},
        "failing.ipynb": {"fiscal_year": 2551, "unit": ""},
        "toc.ipynb": {"fiscal_year": 2551, "unit": "", "lang": "th"},
    }


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"fiscal_years": [2549]}, r"No data for fiscal year 2549\. Fiscal years with data: "
                               r"2550, 2551"),
    ({"by": "province"}, r"Unknown by value 'province'\. Valid: unit"),
    ({"lang": "fr"}, r"Unknown language 'fr'\. Valid: th, en"),
])
def test_bad_grid_options_name_the_valid_ones(kwargs, message) -> None:
    with pytest.raises(ConfigError, match=message):
        expand_grid(DATA, NOTEBOOKS / "toc.ipynb", **kwargs)


def test_notebook_without_parameters_cell_is_skipped(tmp_path, caplog) -> None:
    plain = new_notebook(cells=[new_code_cell("x = 1")])
    nbformat.write(plain, tmp_path / "plain.ipynb")
    with caplog.at_level(logging.WARNING), pytest.raises(ConfigError, match="No notebook"):
        expand_grid(DATA, tmp_path)
    assert "plain.ipynb: skipped, it has no cell tagged 'parameters'" in caplog.text


def test_notebook_without_fiscal_year_runs_once_for_all_years(tmp_path) -> None:
    cell = new_code_cell('unit: str = ""  # unit')
    cell.metadata["tags"] = ["parameters"]
    nbformat.write(new_notebook(cells=[cell]), tmp_path / "trend.ipynb")
    jobs = expand_grid(DATA, tmp_path, by="unit", units=["กองคลัง"])
    assert [(j.fiscal_year, j.unit, j.key) for j in jobs] == [
        (None, "", "all-years/_department/trend"),
        (None, "กองคลัง", "all-years/กองคลัง/trend"),
    ]


def test_two_notebooks_with_one_name_are_refused(tmp_path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "toc.ipynb").write_bytes((NOTEBOOKS / "toc.ipynb").read_bytes())
    with pytest.raises(ConfigError, match="Two notebooks named toc: "):
        expand_grid(DATA, [tmp_path / "a" / "toc.ipynb", tmp_path / "b" / "toc.ipynb"])


def test_missing_notebooks_folder(tmp_path) -> None:
    with pytest.raises(ConfigError, match="no such notebooks folder"):
        find_notebooks(tmp_path / "nope")
    with pytest.raises(ConfigError, match=r"no notebooks \(\*\.ipynb\)"):
        find_notebooks(tmp_path)


def test_title_from_metadata_heading_or_file_name() -> None:
    nb = new_notebook(cells=[new_markdown_cell("intro\n\n# ภาพรวม #\n\n## part")])
    assert notebook_title(nb, "x") == "ภาพรวม"
    nb.metadata["title"] = "From metadata"
    assert notebook_title(nb, "x") == "From metadata"
    assert notebook_title(new_notebook(), "fallback") == "fallback"


def test_fingerprint_changes_with_any_input_and_is_read_back(tmp_path) -> None:
    inputs = [{"path": "raw/a.xlsx", "sha256": "a" * 64}]
    base = fingerprint({"fiscal_year": 2551}, inputs, assets="inline", template="t")
    assert base == fingerprint({"fiscal_year": 2551}, inputs, assets="inline", template="t")
    assert base != fingerprint({"fiscal_year": 2550}, inputs, assets="inline", template="t")
    assert base != fingerprint({"fiscal_year": 2551}, [{"path": "raw/a.xlsx", "sha256": "b" * 64}],
                               assets="inline", template="t")
    assert base != fingerprint({"fiscal_year": 2551}, inputs, assets="shared", template="t")
    assert base != fingerprint({"fiscal_year": 2551}, inputs, assets="inline", template="u")
    page = tmp_path / "r.html"
    page.write_text(f'<html><head><meta content="{base}" name="cleannet-fingerprint"/>',
                    encoding="utf-8")
    assert read_fingerprint(page) == base
    assert read_fingerprint(tmp_path / "missing.html") is None


def test_processed_data_is_stale_when_raw_changes(tmp_path) -> None:
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    assert processed_is_stale(raw, processed) is None  # nothing anywhere: nothing to ingest
    (raw / "units.csv").write_text("unit\nกองคลัง\n", encoding="utf-8")
    assert processed_is_stale(raw, processed) == "no processed data yet"
    processed.mkdir()
    sha = report_files.sha256_file(raw / "units.csv")
    (processed / "manifest.json").write_text(
        json.dumps({"inputs": [{"file": "units.csv", "sha256": sha}]}), encoding="utf-8")
    assert processed_is_stale(raw, processed) is None
    (raw / "units.csv").write_text("unit\nกองคลัง\nกองการเจ้าหน้าที่\n", encoding="utf-8")
    assert processed_is_stale(raw, processed).startswith("raw data changed")
    (raw / "units.csv").unlink()
    assert processed_is_stale(raw, processed) is None  # raw folder empty: use what there is


def test_toc_links_every_heading_and_renumbers_duplicates() -> None:
    page = ('<body><header><h1>Title</h1></header><!--cleannet:toc--><main>'
            '<h1 id="A">A<a class="anchor-link" href="#A">¶</a></h1>'
            '<h2 id="Summary">Summary<a class="anchor-link" href="#Summary">¶</a></h2>'
            '<h3 id="Summary">Summary<a class="anchor-link" href="#Summary">¶</a></h3>'
            '<h4 id="deep">Deep</h4></main>')
    out = add_toc(page, "สารบัญ")
    assert '<nav class="cleannet-toc" aria-label="สารบัญ"><h2>สารบัญ</h2>' in out
    assert '<li class="toc-h2"><a href="#Summary">Summary</a></li>' in out
    assert '<li class="toc-h3"><a href="#Summary-2">Summary</a></li>' in out
    assert '<h3 id="Summary-2">Summary<a class="anchor-link" href="#Summary-2">' in out
    assert "#deep" not in out
    assert add_toc("<p>no placeholder</p>") == "<p>no placeholder</p>"
    assert "cleannet-toc" not in add_toc("<!--cleannet:toc--><p>no heading</p>")
    only_h2 = add_toc('<!--cleannet:toc--><h2 id="x">X</h2><h3 id="y">Y</h3>')
    assert '<li class="toc-h1"><a href="#x">' in only_h2
    assert '<li class="toc-h2"><a href="#y">' in only_h2


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.example.org/x.js"></script>',
    "<link rel=stylesheet href=http://example.org/a.css>",
    "<style>@import 'https://fonts.example.org/css';</style>",
    "<style>body{background:url( //cdn.example.org/bg.png )}</style>",
    '<script type="module">import "https://cdn.plot.ly/plotly-3.0.0.min"</script>',
])
def test_external_urls_are_found(snippet) -> None:
    assert external_urls(f"<html>{snippet}</html>")


def test_data_urls_and_the_plotly_bundle_are_not_external() -> None:
    page = ("<style>@font-face{src:url(data:font/woff2;base64,AAAA)}</style>"
            f'<script>{plotly_js()}</script><a href="#section">x</a>')
    assert external_urls(page) == []


def _plotly_output(figure: dict) -> nbformat.NotebookNode:
    return new_output("display_data", data={
        "application/vnd.plotly.v1+json": figure,
        "text/html": '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-svg.js">'
                     '</script><div id="random-uuid"></div>',
    })


def test_prepare_draws_figures_with_stable_ids_and_drops_noise() -> None:
    figure = {"data": [{"type": "bar", "x": ["ก"], "y": [1]}], "layout": {"title": "ไทย"}}
    setup = new_output("display_data", data={"text/html": (
        "<script>window.PlotlyConfig = {};</script>\n"
        f"<script>{plotly_js()}</script>")})
    chart = new_code_cell("fig.show()", outputs=[
        setup, _plotly_output(figure),
        new_output("stream", name="stderr", text="FutureWarning: ..."),
        new_output("stream", name="stdout", text="shown"),
    ])
    params = new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    removed = new_code_cell("secret()", outputs=[new_output("stream", name="stdout", text="no")])
    removed.metadata["tags"] = ["remove-cell"]
    nb = new_notebook(cells=[new_markdown_cell("# Report title\n\nIntro"), params, chart,
                             removed, new_code_cell("quiet()")])
    before = nbformat.writes(nb)

    prepared, uses_plotly = prepare_notebook(nb, drop_title="Report title")

    assert uses_plotly
    assert nbformat.writes(nb) == before  # the caller's notebook is untouched
    assert [c.source for c in prepared.cells] == ["Intro", "fig.show()"]
    outputs = prepared.cells[1].outputs
    assert len(outputs) == 2  # set-up script and stderr dropped
    html = outputs[0].data["text/html"]
    assert 'id="plot-1"' in html and "Plotly.newPlot" in html
    assert "mathjax" not in html.lower() and "random-uuid" not in html
    assert plotly_js()[:200] not in nbformat.writes(prepared)


def test_report_error_is_one_line_and_pickles() -> None:
    error = ReportError("ValueError", "bad\nvalue", cell_index=4, execution_count=3,
                        traceback=["\x1b[31mValueError\x1b[0m"])
    assert str(error) == "cell 4 (In [3]): ValueError: bad value"
    again = pickle.loads(pickle.dumps(error))
    assert (again.cell_index, again.ename, str(again)) == (4, "ValueError", str(error))
    assert error.as_dict()["message"] == str(error)


def test_index_escapes_unit_names_titles_and_errors(tmp_path) -> None:
    reports = [
        {"key": "2551/x/toc", "notebook": "toc.ipynb", "title": "<b>Title</b>",
         "fiscal_year": 2551, "unit": EVIL, "status": "failed", "duration_s": 1.0,
         "output": "2551/x/toc.html", "failed_notebook": "_failed/2551/x/toc.ipynb",
         "error": {"cell_index": 3, "execution_count": 4, "ename": "ValueError",
                   "evalue": "<script>alert(2)</script>"}},
        {"key": "2551/_department/toc", "notebook": "toc.ipynb", "title": "ภาพรวม",
         "fiscal_year": 2551, "unit": "", "status": "ok", "duration_s": 2.5,
         "output": "2551/_department/toc.html", "failed_notebook": None, "error": None},
    ]
    page = write_index(reports, tmp_path, lang="en").read_text(encoding="utf-8")
    assert "<img" not in page and "<script>alert" not in page and "<b>Title" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert 'href="2551/_department/toc.html"' in page
    assert 'href="_failed/2551/x/toc.ipynb"' in page
    assert "cell 3 (In [4])" in page
    assert page.index("Whole department") < page.index("&lt;img")


def test_atomic_write_leaves_nothing_when_the_rename_fails(tmp_path, monkeypatch) -> None:
    target = tmp_path / "sub" / "report.html"

    def refuse(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(report_files.os, "replace", refuse)
    with pytest.raises(OSError, match="disk gone"):
        report_files.atomic_write(target, "<html>")
    assert list((tmp_path / "sub").iterdir()) == []


def test_stale_parts_are_removed(tmp_path) -> None:
    (tmp_path / "2551").mkdir()
    (tmp_path / "2551" / ".toc.html.1a2b3c4d.part").write_text("half")
    (tmp_path / "keep.html").write_text("whole")
    assert report_files.remove_stale_parts(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["keep.html"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"assets": "cdn"}, r"Unknown assets 'cdn'\. Valid: inline, shared"),
    ({"lang": "fr"}, r"Unknown language 'fr'\. Valid: th, en"),
    ({"by": "province"}, r"Unknown by value 'province'\. Valid: unit"),
    ({"workers": 0}, r"workers must be at least 1, got 0"),
    ({"timeout": 0}, r"timeout must be a positive number of seconds, got 0"),
])
def test_build_reports_checks_options_before_doing_anything(tmp_path, kwargs, message) -> None:
    with pytest.raises(ConfigError, match=message):
        build_reports(tmp_path / "raw", tmp_path / "processed", tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("inside", ["raw", "processed"])
def test_reports_never_go_inside_the_data_folders(tmp_path, inside) -> None:
    with pytest.raises(ConfigError, match=f"must be apart from the {inside} data folder"):
        build_reports(tmp_path / "raw", tmp_path / "processed", tmp_path / inside / "reports")
