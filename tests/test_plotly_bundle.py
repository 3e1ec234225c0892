"""The partial plotly.js bundle: right version, every chart's trace type in it, a fallback.

The trace types come from the bundle itself (the trace modules it registers) and, for the
charts, from the plotly trace classes that cleannet_eval/charts.py constructs (read from its
source), so neither side is a hand-written list.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import plotly.offline
from nbformat.v4 import new_code_cell, new_notebook, new_output
from plotly.basedatatypes import BaseTraceType

from cleannet_eval import charts
from cleannet_eval.reports.bundles import (
    PARTIAL_BUNDLE,
    bundle_text,
    bundle_trace_types,
    bundle_version,
    choose_bundle,
    full_bundle_path,
)
from cleannet_eval.reports.export import export_html, plotly_js


def _chart_trace_types() -> set[str]:
    """Trace types of every ``go.<Trace>(...)`` that the chart builders (charts/) build."""
    nodes = [node for path in sorted(Path(charts.__file__).parent.glob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))]
    types = set()
    for node in nodes:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "go"):
            cls = getattr(go, node.func.attr)
            if isinstance(cls, type) and issubclass(cls, BaseTraceType):
                types.add(cls().type)
    return types


def _notebook(*figures: dict) -> nbformat.NotebookNode:
    cells = [new_code_cell("fig", outputs=[new_output(
        "display_data", data={"application/vnd.plotly.v1+json": f, "text/plain": "Figure"})])
        for f in figures]
    return new_notebook(cells=cells)


def test_partial_bundle_is_the_plotly_js_version_plotly_py_embeds() -> None:
    assert PARTIAL_BUNDLE.is_file() and (PARTIAL_BUNDLE.parent / "LICENSE").is_file()
    assert bundle_version("partial") == plotly.offline.get_plotlyjs_version()
    assert bundle_version("full") == plotly.offline.get_plotlyjs_version()
    assert bundle_text("full") == plotly_js()
    # the size the issue was about: well under a third of the full bundle
    assert PARTIAL_BUNDLE.stat().st_size < full_bundle_path().stat().st_size / 3


def test_every_trace_type_the_chart_builders_emit_is_in_the_partial_bundle() -> None:
    emitted = _chart_trace_types()
    assert {"bar", "scatter", "heatmap"} <= emitted  # the reader found the builders' traces
    partial = bundle_trace_types("partial")
    assert emitted <= partial, emitted - partial
    # the reader of the bundle is not trivially permissive: the full bundle has far more
    assert partial < bundle_trace_types("full")
    assert "sankey" in bundle_trace_types("full") and "sankey" not in partial


def test_a_report_of_cartesian_charts_embeds_only_the_partial_bundle() -> None:
    fig = charts.apply_theme(go.Figure(go.Bar(x=["ก"], y=[1])))
    heat = go.Figure(go.Heatmap(z=[[1, 2]]))
    html = export_html(_notebook(fig.to_plotly_json(), heat.to_plotly_json()), title="t")
    assert html.count(bundle_text("partial")) == 1
    assert "plotly.js (cartesian - minified) v" in html
    assert plotly_js()[:2000] not in html


def test_a_trace_type_outside_the_bundle_falls_back_to_the_full_bundle(caplog) -> None:
    bar = go.Figure(go.Bar(x=["a"], y=[1])).to_plotly_json()
    sankey = go.Figure(go.Sankey(node={"label": ["a", "b"]},
                                 link={"source": [0], "target": [1], "value": [1]}))
    with caplog.at_level(logging.WARNING, logger="cleannet_eval.reports.bundles"):
        html = export_html(_notebook(bar, sankey.to_plotly_json()), title="t",
                           notebook_name="flows.ipynb")
    assert html.count(plotly_js()) == 1
    assert bundle_text("partial")[:3000] not in html
    assert any("sankey" in r.getMessage() and "flows.ipynb" in r.getMessage()
               for r in caplog.records)

    shared = export_html(_notebook(sankey.to_plotly_json()), title="t", assets="shared",
                         plotly_src="../../plotly.min.js")
    assert '<script src="../../plotly-full.min.js"></script>' in shared
    partial = export_html(_notebook(bar), title="t", assets="shared",
                          plotly_src="../../plotly.min.js")
    assert '<script src="../../plotly.min.js"></script>' in partial


def test_unknown_trace_types_choose_the_full_bundle() -> None:
    assert choose_bundle({"bar", "scatter"}) == "partial"
    assert choose_bundle(None) == "full"  # a chart that arrived as HTML
    assert choose_bundle({"scattergeo"}) == "full"
