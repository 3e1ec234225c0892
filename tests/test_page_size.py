"""Smaller pages and faster reports that look and compute exactly as before (issue #14).

* CSS pruning (``reports/css.py``): what is dropped can match nothing of the page;
* compact pages (pruned CSS, one plotly template per page, Thai written as UTF-8 in the
  figures' JSON) look the same as nbconvert's full page: screenshots of both in Chromium are
  byte for byte the same, and the figures' data are the same;
* ``apply_theme`` stores the validated ``plotly_white`` once: the figure's JSON is the same as
  with ``update_layout(template="plotly_white")``;
* ``describe_groups`` builds its long table at once: the same frame as column by column.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from browser import chromium, visit
from scipy import stats
from test_report_pipeline import make_small_data

from cleannet_eval.analysis.grouping import describe_groups
from cleannet_eval.charts import theme
from cleannet_eval.reports.css import page_names, prune_css
from cleannet_eval.reports.execute import execute_report
from cleannet_eval.reports.export import export_html

from conftest import REPO

FY = 2551


# ------------------------------------------------------------------------------ CSS pruning


def test_prune_css_drops_only_what_cannot_match() -> None:
    css = """
    /* a comment */
    :root { --used: 1px; --chain: var(--used); --unused: 2px; --attr: red; --extra: blue; }
    .here { margin: var(--chain); }
    .absent { color: red; }
    .absent, .here > p { padding: 0; }
    p:not(.absent) { border: none; }
    .here.absent { color: green; }
    #top { top: 0; }
    #missing { top: 1px; }
    table td { padding: 2px; }
    @media print { .absent { color: red; } .here { color: black; } }
    @media screen { .absent { color: red; } }
    @keyframes spin { from { opacity: 0; } }
    @keyframes unused-spin { from { opacity: 0; } }
    .here { animation: spin 1s; }
    @page { margin: 1cm; }
    """
    page = ('<div class="here other" id="top" style="color: var(--attr)"><p>x</p></div>'
            "<script>document.body.classList.add('added')</script>")
    out = prune_css(css, page, extra=".own { color: var(--extra); }")
    assert ".absent{color:red}" not in out
    assert ".absent, .here > p{padding:0}" in out  # the whole selector list, as written
    assert "p:not(.absent){border:none}" in out
    assert ".here.absent" not in out
    assert "#top{top:0}" in out and "#missing" not in out
    assert "table td{padding:2px}" in out
    assert "@media print{.here{color:black}}" in out and "@media screen" not in out
    assert "@keyframes spin" in out and "unused-spin" not in out
    assert "@page{margin: 1cm;}" in out
    assert "--used:1px" in out and "--chain:var(--used)" in out  # read through another
    assert "--attr:red" in out and "--extra:blue" in out  # a style attribute, the extra CSS
    assert "--unused" not in out and "comment" not in out
    assert page_names(page)[0] == {"here", "other", "added"}


def test_prune_css_of_the_lab_stylesheet_keeps_the_rules_of_a_report() -> None:
    css = next(_lab_css_paths()).read_text(encoding="utf-8")
    page = '<body class="jp-Notebook"><div class="jp-Cell jp-RenderedHTMLCommon"></div></body>'
    out = prune_css(css, page)
    assert len(out) < len(css) / 5
    assert re.search(r"(^|\n)\.jp-RenderedHTMLCommon\{", out)
    assert ".jp-Dialog" not in out  # JupyterLab's dialogs: never in a report


def _lab_css_paths():
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("nbconvert", "templates"):
        path = Path(folder) / "lab" / "static" / "index.css"
        if path.is_file():
            yield path


# ------------------------------------------------------------------------------ compact pages


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple:
    raw, processed = make_small_data(tmp_path_factory.mktemp("data"))
    notebook = REPO / "notebooks" / "04_success_factors.ipynb"
    nb = execute_report(notebook, {"fiscal_year": FY, "unit": "", "lang": "th",
                                   "processed_dir": str(processed), "raw_dir": str(raw)})
    return nb, notebook


def _figures(page: str) -> list[tuple[object, object]]:
    """Every chart's data and layout, with a template the page shares put back."""
    decoder = json.JSONDecoder()
    table = []
    match = re.search(r"window\.cleannetTemplates=", page)
    if match:
        table, _ = decoder.raw_decode(page, match.end())
    out = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"plot-\d+",\s*', page):
        data, position = decoder.raw_decode(page, match.end())
        position = re.compile(r"\s*,\s*").match(page, position).end()
        shared = page.startswith("cleannetLayout(", position)
        if shared:
            position += len("cleannetLayout(")
        layout, position = decoder.raw_decode(page, position)
        if shared:
            index = int(re.compile(r",(\d+)\)").match(page, position).group(1))
            layout["template"] = table[index]
        out.append((data, layout))
    return out


def test_a_compact_page_looks_the_same_and_is_smaller(executed, tmp_path) -> None:
    nb, notebook = executed
    options = dict(title="Success factors", fiscal_year=FY, lang="th",
                   notebook_name=notebook.name, run_time="2026-12-06T22:00:00+07:00")
    full = export_html(nb, compact=False, **options)
    compact = export_html(nb, **options)
    # nbconvert's lab CSS alone is ~260 KB; a template is ~6.5 KB a figure
    assert len(full.encode()) - len(compact.encode()) > 200_000
    assert compact.count("window.cleannetTemplates=") == 1
    template_start = '"barpolar":[{"marker"'  # plotly_white's JSON
    assert compact.count(template_start) == 1 < full.count(template_start)
    assert "\\u0e" not in compact.split("window.cleannetTemplates=")[1]  # Thai as UTF-8
    assert _figures(compact) == _figures(full) and len(_figures(full)) >= 3
    paths = {}
    for name, page in (("full", full), ("compact", compact)):
        paths[name] = tmp_path / f"{name}.html"
        paths[name].write_text(page, encoding="utf-8")
    with chromium() as browser:
        seen = {name: visit(browser, path, screenshot=tmp_path / f"{name}.png")
                for name, path in paths.items()}
        # the test can see a difference: one CSS rule more changes the screenshot
        changed = tmp_path / "changed.html"
        changed.write_text(compact.replace("</head>", "<style>h2{color:#c00}</style></head>"),
                           encoding="utf-8")
        different = visit(browser, changed, screenshot=tmp_path / "changed.png")
    for name, page in seen.items():
        assert not page.blocked, (name, page.blocked)
        assert not page.page_errors, (name, page.page_errors)
        assert len(page.charts) == page.containers == len(_figures(full)), name
        assert all(chart["svg"] for chart in page.charts), (name, page.charts)
    shots = {name: (tmp_path / f"{name}.png").read_bytes() for name in seen}
    assert shots["full"] == shots["compact"]
    assert different.charts == seen["compact"].charts
    assert (tmp_path / "changed.png").read_bytes() != shots["compact"]


def test_figure_text_written_as_utf8_keeps_every_value_and_cannot_close_the_script() -> None:
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    tricky = ["กองคลัง", "</script><script>alert(1)</script>", "\\u0e01 literally",
              "line\u2028sep", "emoji 🙂", 'quote " and \\ backslash']
    white = go.Figure().update_layout(template="plotly_white").to_plotly_json()["layout"]
    figures = [{"data": [{"type": "bar", "x": [1, 2, 3, 4, 5, 6], "y": tricky,
                          "name": "ชื่อ"}],
                "layout": {"title": {"text": "ชื่อเรื่อง"}, "template": white["template"]}},
               {"data": [{"type": "scatter", "x": [0.1], "y": [2]}],
                "layout": {"height": 300, "template": white["template"]}}]
    nb = new_notebook(cells=[new_code_cell("fig", outputs=[new_output(
        "display_data", data={"application/vnd.plotly.v1+json": f, "text/plain": "Figure"})])
        for f in figures])
    page = export_html(nb, title="t")
    full = export_html(nb, title="t", compact=False)
    assert [(data, layout) for data, layout in _figures(page)] == [
        (f["data"], f["layout"]) for f in figures] == _figures(full)
    assert "<script>alert(1)" not in page and "\\u003c\\u002fscript\\u003e" in page
    assert "กองคลัง" in page and "\\u2028" in page  # Thai as itself, U+2028 kept escaped
    assert 'style="height:300px; width:100%;"' in page  # the size plotly would give the div


# ------------------------------------------------------------------------------ apply_theme


def _old_apply_theme(fig: go.Figure, lang: str = "th", height: int | None = None) -> go.Figure:
    """apply_theme as it was: the template set by name (validated by plotly each time)."""
    fig.update_layout(template="plotly_white")
    themed = theme.apply_theme(go.Figure(fig), lang, height)  # the same other settings
    layout = themed.layout.to_plotly_json()
    layout.pop("template")
    fig.update_layout(layout)
    return fig


@pytest.mark.parametrize("height", [None, 420])
def test_apply_theme_gives_the_json_of_the_named_template(height) -> None:
    def figure() -> go.Figure:
        return go.Figure([go.Bar(x=[1, 2], y=["ก", "ข"], orientation="h"),
                          go.Scatter(x=[1, 2], y=[3, 4])], layout={"title": {"text": "t"}})

    new = theme.apply_theme(figure(), "th", height)
    old = figure()
    old.update_layout(template="plotly_white")
    assert new.layout.template.to_plotly_json() == old.layout.template.to_plotly_json()
    assert pio.to_json(new) == pio.to_json(_old_apply_theme(figure(), "th", height))
    # each figure owns its copy of the template
    new.layout.template.layout.font.size = 99
    assert theme.apply_theme(figure()).layout.template.layout.font.size != 99


# ------------------------------------------------------------------------------ describe_groups


def _describe_by_column(scores, columns, by, ci):
    """describe_groups as it was: one frame per column, concatenated and sorted."""
    if by:
        grouped = scores.groupby(by, dropna=False, sort=True, observed=True)[columns]
        count, mean, sd = grouped.count(), grouped.mean(), grouped.std(ddof=1)
        keys = count.index.to_frame(index=False)
    else:
        data = scores[columns]
        count = data.count().to_frame().T
        mean = data.mean().to_frame().T
        sd = data.std(ddof=1).to_frame().T
        keys = pd.DataFrame(index=range(1))
    parts = []
    for pos, col in enumerate(columns):
        part = keys.copy()
        part["factor"] = col
        part["n"] = count[col].to_numpy(dtype="int64")
        part["mean"] = mean[col].to_numpy(dtype="float64")
        part["sd"] = sd[col].to_numpy(dtype="float64")
        part["_group"] = np.arange(len(keys))
        part["_pos"] = pos
        parts.append(part)
    long = pd.concat(parts, ignore_index=True).sort_values(["_group", "_pos"], kind="stable")
    n = long["n"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + ci / 2, n - 1) * long["sd"].to_numpy() / np.sqrt(n)
    long["ci_low"] = long["mean"] - half
    long["ci_high"] = long["mean"] + half
    return long.reset_index(drop=True)


@pytest.mark.parametrize("by", [[], ["unit"], ["unit", "role"], ["role"]])
@pytest.mark.parametrize("rows", [0, 1, 7, 60])
def test_describe_groups_is_the_table_built_column_by_column(by, rows) -> None:
    rng = np.random.default_rng(rows + len(by))
    frame = pd.DataFrame({
        "unit": pd.Series(rng.choice(["กองคลัง", "กองการเจ้าหน้าที่", None], rows), dtype="str"),
        "role": pd.Categorical(rng.choice(["leader", "member"], rows),
                               categories=["leader", "member", "other"]),
        **{f"Q{i}": pd.array(np.where(rng.random(rows) < 0.2, None,
                                      rng.integers(1, 6, rows)), dtype="Int64")
           for i in range(1, 5)},
        "F": rng.random(rows),
    })
    columns = ["Q1", "Q2", "Q3", "Q4", "F"]
    pd.testing.assert_frame_equal(describe_groups(frame, columns, by, 0.95),
                                  _describe_by_column(frame, columns, by, 0.95),
                                  check_exact=True)
