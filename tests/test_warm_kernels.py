"""Warm kernels: one kernel per worker reused for report after report, and still clean.

Real kernels, real papermill and nbconvert. The proof that reuse is clean: every notebook of
notebooks/ built in one reused kernel gives the same HTML (the run time aside) as built in a
fresh kernel each; tiny notebooks check the reset itself and what happens when a kernel dies.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from test_report_pipeline import make_small_data

from cleannet_eval.reports import build_reports

from conftest import REPO

FY = 2551


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    return make_small_data(tmp_path_factory.mktemp("data"))


def _page(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return re.sub(r'(<time class="cleannet-run-time" datetime=")[^"]*(">)[^<]*', r"\1\2", html)


def _notebook(path: Path, *sources: str, parameters: str = "unit: str = ''") -> Path:
    params = new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[params, *(new_code_cell(s) for s in sources)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def test_every_notebook_gives_the_same_report_in_a_reused_kernel(data, tmp_path) -> None:
    raw, processed = data
    options = dict(fiscal_years=[FY], by="unit", notebooks_dir=REPO / "notebooks", quiet=True)
    # one worker: a single kernel runs every report (each notebook × department + 2 units)
    warm = build_reports(raw, processed, tmp_path / "warm", workers=1, **options)
    fresh = build_reports(raw, processed, tmp_path / "fresh", workers=2, warm=False, **options)
    assert warm.exit_code == fresh.exit_code == 0, warm.summary() + fresh.summary()
    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert len(notebooks) == 6
    assert len(warm.reports) == 3 * len(notebooks)
    assert [r.key for r in warm.reports] == [r.key for r in fresh.reports]
    for report in warm.reports:
        assert _page(tmp_path / "warm" / report.output) == _page(
            tmp_path / "fresh" / report.output), report.key


def test_the_kernel_is_reused_and_reset_between_reports(data, tmp_path) -> None:
    raw, processed = data
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "a_leaves_state.ipynb",
              "import os\nleft_behind = 1\nos.chdir('/')\nprint('pid', os.getpid())")
    _notebook(folder / "b_checks_state.ipynb",
              "import os\nprint('pid', os.getpid())",
              "assert 'left_behind' not in globals(), 'the namespace was not reset'\n"
              f"assert os.getcwd() == {str(folder)!r}, os.getcwd()\n"
              # this cell is In [4], as in a fresh kernel (IPython counts it already)
              "assert get_ipython().execution_count == 5, get_ipython().execution_count")
    result = build_reports(raw, processed, tmp_path / "out", fiscal_years=[FY],
                           notebooks_dir=folder, workers=1, quiet=True)
    assert result.exit_code == 0, result.summary()
    pids = [re.findall(r"pid (\d+)", (tmp_path / "out" / r.output).read_text("utf-8"))
            for r in result.reports]
    assert pids[0] and pids[0] == pids[1]  # the same kernel process ran both reports


def test_a_kernel_that_dies_is_replaced_and_its_report_retried_once(data, tmp_path) -> None:
    raw, processed = data
    folder = tmp_path / "nbs"
    folder.mkdir()
    markers = tmp_path / "markers"
    markers.mkdir()
    parameters = "unit: str = ''\nmarkers: str = ''"
    _notebook(folder / "a_dies_once.ipynb",
              "import os, pathlib\nmark = pathlib.Path(markers) / (unit or 'department')\n"
              "if not mark.exists():\n    mark.touch()\n    os._exit(1)\nprint('survived')",
              parameters=parameters)
    _notebook(folder / "b_always_dies.ipynb", "import os\nos._exit(1)", parameters=parameters)
    _notebook(folder / "c_fine.ipynb", "print('fine', unit)", parameters=parameters)
    result = build_reports(raw, processed, tmp_path / "out", fiscal_years=[FY],
                           notebooks_dir=folder, workers=1, quiet=True,
                           parameters={"markers": str(markers)})
    status = {r.key.split("/")[-1]: set() for r in result.reports}
    for r in result.reports:
        status[r.key.split("/")[-1]].add(r.status)
    assert status == {"a_dies_once": {"ok"}, "b_always_dies": {"failed"}, "c_fine": {"ok"}}
    assert [p.name for p in markers.iterdir()] == ["department"]  # it died once
    for r in result.failed:
        assert r.error["ename"] == "DeadKernelError", r.error
        assert r.error["cell_index"] is None
    assert result.counts == {"ok": 2, "failed": 1, "skipped": 0}
    assert "survived" in (tmp_path / "out" / result.reports[0].output).read_text("utf-8")


_REFUSE_DATA_CHECKS = """\
import cleannet_eval.files as files
import cleannet_eval.reports.inputs as inputs
import cleannet_eval.shared as shared


def refuse(*args, **kwargs):
    raise AssertionError("a batch kernel checked, hashed or ingested the data again")


# the one public ingest entry point, the freshness check and both hashes
for module, name in ((inputs, "ensure_processed"), (inputs, "processed_is_stale"),
                     (inputs, "sha256_file"), (files, "sha256_file"),
                     (shared, "data_fingerprint")):
    setattr(module, name, refuse)
"""


@pytest.mark.parametrize("warm", [True, False])
def test_batch_kernels_never_ingest_or_rehash_the_data(data, tmp_path, warm) -> None:
    # In a batch the parent prepares the data once and hands each kernel (warm or fresh) its
    # fingerprint: open_report must load the data without checking the raw files again.
    raw, processed = data
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "opens_the_data.ipynb", _REFUSE_DATA_CHECKS,
              "from cleannet_eval.notebook import open_report\n"
              "report = open_report(fiscal_year=fiscal_year, unit=unit, raw_dir=raw_dir,\n"
              "                     processed_dir=processed_dir)\n"
              "print('attendance rows', len(report.attendance))",
              parameters="fiscal_year: int = 2551\nunit: str = ''\nlang: str = 'th'\n"
                         "raw_dir: str = ''\nprocessed_dir: str = ''")
    result = build_reports(raw, processed, tmp_path / "out", fiscal_years=[FY],
                           notebooks_dir=folder, workers=1, warm=warm, quiet=True)
    assert result.exit_code == 0, result.summary()
    page = (tmp_path / "out" / result.reports[0].output).read_text("utf-8")
    assert re.search(r"attendance rows [1-9]", page)
    assert "checked, hashed or ingested" not in page


def test_outside_a_batch_a_stale_notebook_refreshes_through_the_ingest(data, tmp_path) -> None:
    # JupyterLab: no batch vouches for the data, so open_report runs the ingest when the
    # processed tables are missing (the evaluators' convenience).
    import shutil

    from cleannet_eval.notebook import open_report

    raw, _ = data
    fresh_raw = tmp_path / "raw"
    shutil.copytree(raw, fresh_raw)
    processed = tmp_path / "processed"
    report = open_report(fiscal_year=FY, raw_dir=fresh_raw, processed_dir=processed)
    assert (processed / "manifest.json").is_file()
    assert len(report.attendance) > 0
