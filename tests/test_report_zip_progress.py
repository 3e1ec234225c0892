"""``--zip`` (one zip per fiscal year, links intact) and the batch's progress display."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from test_report_pipeline import CHARTS, FY, TOC, make_small_data

from cleannet_eval.cli import main
from cleannet_eval.reports import build_reports
from cleannet_eval.reports import progress as progress_module
from cleannet_eval.reports.bundles import bundle_path
from cleannet_eval.reports.progress import Progress, format_duration


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    return make_small_data(tmp_path_factory.mktemp("data"))


def test_zip_per_year_holds_the_reports_index_and_shared_assets(data, tmp_path) -> None:
    raw, processed = data
    out = tmp_path / "out"
    result = build_reports(raw, processed, out, fiscal_years=[FY], by="unit",
                           notebooks_dir=[CHARTS, TOC], assets="shared", zip_per_year=True,
                           quiet=True)
    assert result.exit_code == 0, result.summary()
    assert result.zips == [out / f"reports-{FY}.zip"]
    assert f"zip: {out / f'reports-{FY}.zip'}" in result.summary()
    with zipfile.ZipFile(result.zips[0]) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "unzipped")
    assert {"index.html", "plotly.min.js"} <= names
    assert {r.output for r in result.reports} <= names
    assert len(names) == len(result.reports) + 2
    unzipped = tmp_path / "unzipped"
    assert (unzipped / "plotly.min.js").read_bytes() == bundle_path("partial").read_bytes()
    index = (unzipped / "index.html").read_text(encoding="utf-8")
    links = [h for h in re.findall(r'href="([^"#]+)"', index) if not h.startswith("http")]
    assert len(links) >= len(result.reports)
    from urllib.parse import unquote

    for link in links:
        assert (unzipped / unquote(link)).is_file(), link
    page = unzipped / str(FY) / "_department" / "charts.html"
    src = re.findall(r'<script src="([^"]+)"', page.read_text(encoding="utf-8"))
    assert src == ["../../plotly.min.js"] and (page.parent / src[0]).resolve().is_file()


def test_cli_zip_flag(data, tmp_path, capsys) -> None:
    raw, processed = data
    code = main(["-q", "report", "--raw", str(raw), "--processed", str(processed),
                 "--out", str(tmp_path), "--notebooks", str(TOC), "--fiscal-year", str(FY),
                 "--zip"])
    assert code == 0
    assert (tmp_path / f"reports-{FY}.zip").is_file()
    assert f"reports-{FY}.zip" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_prints_plain_lines_without_a_terminal(monkeypatch) -> None:
    monkeypatch.setattr(progress_module, "LINE_EVERY_S", 0.0)
    stream = io.StringIO()
    with Progress(3, stream=stream) as progress:
        progress.update()
        progress.update(failed=True)
        progress.update()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert re.fullmatch(r"reports: 1/3 done, 0 failed, about \d+ s left", lines[0])
    assert re.fullmatch(r"reports: 2/3 done, 1 failed, about \d+ s left", lines[1])
    assert re.fullmatch(r"reports: 3/3 done, 1 failed in \d+ s", lines[2])


def test_progress_is_a_bar_in_a_terminal_and_silent_when_quiet(monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    with Progress(2, stream=terminal) as progress:
        progress.update(failed=True)
        progress.update()
    shown = terminal.getvalue()
    assert "\r" in shown and "2/2" in shown and "failed=1" in shown
    monkeypatch.setenv("CI", "true")  # a CI log is not a terminal, even with a TTY
    ci = _Terminal()
    with Progress(2, stream=ci) as progress:
        progress.update()
        progress.update()
    assert ci.getvalue() == "reports: 2/2 done, 0 failed in 0 s\n"
    quiet = _Terminal()
    with Progress(2, quiet=True, stream=quiet) as progress:
        progress.update()
    assert quiet.getvalue() == ""


def test_format_duration() -> None:
    assert format_duration(4.4) == "4 s"
    assert format_duration(185) == "3 min 05 s"
    assert format_duration(3720) == "1 h 02 min"
