"""The same batch on a Dask cluster (two worker processes) gives the same reports and manifest.

A ``LocalCluster`` with ``processes=True`` stands in for a real cluster: each worker is its own
Python process that imports the package, starts its own kernels and writes into the shared
output folder, as workers on other machines would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import distributed  # a dependency of the package: the test must run, never skip
import pytest
from test_report_pipeline import EVIL, FAILING, FY, TOC, make_small_data

from cleannet_eval.reports import build_reports

# Fields that record when and how long, or where the batch ran: everything else must match.
TIMING = {"started", "finished", "duration_s", "scheduler", "workers"}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    return make_small_data(tmp_path_factory.mktemp("data"))


def _manifest(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key in TIMING:
        manifest.pop(key, None)
    for entry in manifest["reports"]:
        entry.pop("duration_s")
    return manifest


def _page(path: Path) -> str:
    # The time of the run is the only thing allowed to differ.
    html = path.read_text(encoding="utf-8")
    return re.sub(r'(<time class="cleannet-run-time" datetime=")[^"]*(">)[^<]*', r"\1\2", html)


def _files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_dask_cluster_builds_the_same_reports_and_manifest(data, tmp_path) -> None:
    raw, processed = data
    options = dict(fiscal_years=[FY], by="unit", notebooks_dir=[TOC, FAILING],
                   parameters={"fail_unit": EVIL}, quiet=True)
    local = build_reports(raw, processed, tmp_path / "local", workers=2, **options)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = build_reports(raw, processed, tmp_path / "dask",
                               scheduler=cluster.scheduler_address, **options)

    assert local.exit_code == remote.exit_code == 1
    assert [(r.key, r.status) for r in local.reports] == [(r.key, r.status)
                                                          for r in remote.reports]
    assert _files(tmp_path / "local") == _files(tmp_path / "dask")
    assert _manifest(tmp_path / "local") == _manifest(tmp_path / "dask")
    for report in local.reports:
        if report.output and report.status == "ok":
            assert _page(tmp_path / "local" / report.output) == _page(
                tmp_path / "dask" / report.output), report.key
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scheduler"] == cluster.scheduler_address
