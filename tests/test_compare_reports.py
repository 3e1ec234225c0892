"""scripts/compare-reports.py: the refactor check sets aside timestamps and machine paths only."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare-reports.py"
spec = importlib.util.spec_from_file_location("compare_reports", SCRIPT)
compare_reports = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_reports)

REPORT = (
    '<p>X̄ = {mean}</p><time datetime="{when}">{when}</time>'
    "<tr><th>raw_dir</th><td><code>{root}/data/raw</code></td></tr>"
)


def _write(root: Path, mean: str, when: str, folder: str) -> Path:
    page = root / "2551" / "_department" / "04_success_factors.html"
    page.parent.mkdir(parents=True)
    page.write_text(REPORT.format(mean=mean, when=when, root=folder), encoding="utf-8")
    return root


def test_same_reports_built_at_other_times_and_places_compare_equal(tmp_path, capsys) -> None:
    before = _write(tmp_path / "a", "4.12", "2026-12-04T18:09:31+00:00", "/home/ann/work")
    after = _write(tmp_path / "b", "4.12", "2026-12-05T07:00:02+00:00", "/tmp/clone")
    assert compare_reports.main([str(before), str(after)]) == 0
    assert "1 files compared, 0 missing, new or different" in capsys.readouterr().out


def test_a_changed_number_is_a_difference(tmp_path, capsys) -> None:
    before = _write(tmp_path / "a", "4.12", "2026-12-04T18:09:31+00:00", "/x")
    after = _write(tmp_path / "b", "4.13", "2026-12-04T18:09:31+00:00", "/x")
    assert compare_reports.main([str(before), str(after)]) == 1
    out = capsys.readouterr().out
    assert "different: 2551/_department/04_success_factors.html" in out
    assert "+<p>X̄ = 4.13</p>" in out


def test_a_missing_report_is_a_difference(tmp_path, capsys) -> None:
    before = _write(tmp_path / "a", "4.12", "2026-12-04T18:09:31+00:00", "/x")
    after = tmp_path / "b"
    after.mkdir()
    assert compare_reports.main([str(before), str(after)]) == 1
    assert "missing in" in capsys.readouterr().out


def _chart_page(root: Path, body: str) -> Path:
    page = root / "2551" / "_department" / "04_success_factors.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<head>{body}</head><p>text</p>", encoding="utf-8")
    return root


TEMPLATE = '{"layout":{"font":{"color":"#2a3f5f"}}}'
OWN_TEMPLATE = ('<script>                window.PLOTLYENV=window.PLOTLYENV || {};  '
                'Plotly.newPlot(  "plot-1",  [{"x":[1.5],"name":"\\u0e01"}],  '
                '{"title":{"text":"t"},"template":' + TEMPLATE + '},  {}  )</script>')
SHARED = ('<script>window.cleannetTemplates=[' + TEMPLATE + '];function cleannetLayout(l,i)'
          '{return l;}</script><script>window.PLOTLYENV=window.PLOTLYENV || {};'
          'Plotly.newPlot("plot-1",[{"x":[1.5],"name":"ก"}],'
          'cleannetLayout({"title":{"text":"t"}},0),{})</script>')


def test_figure_data_compares_charts_as_data(tmp_path, capsys) -> None:
    before = _chart_page(tmp_path / "a", OWN_TEMPLATE)
    after = _chart_page(tmp_path / "b", SHARED)
    assert compare_reports.main([str(before), str(after)]) == 1  # as text they differ
    assert compare_reports.main([str(before), str(after), "--figure-data"]) == 0
    changed = _chart_page(tmp_path / "c", SHARED.replace("1.5", "1.6"))
    capsys.readouterr()
    assert compare_reports.main([str(before), str(changed), "--figure-data"]) == 1
    assert "different charts: 2551/_department/04_success_factors.html" in capsys.readouterr().out
    template = _chart_page(tmp_path / "d", SHARED.replace("#2a3f5f", "#000000"))
    assert compare_reports.main([str(before), str(template), "--figure-data"]) == 1
