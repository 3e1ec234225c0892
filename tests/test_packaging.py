"""The repository's ground rules that a test can check."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

from conftest import REPO


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}

    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section == [{"pip": ["-e ."]}], "environment.yml must end with pip: [-e .]"
    assert env["dependencies"][-1] == {"pip": ["-e ."]}
    assert conda == wanted, f"only in environment.yml: {conda - wanted}; only in pyproject: " \
        f"{wanted - conda}"


def test_version_pins_agree() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)}
    for req in reqs:
        assert conda[_name(req)] == req.replace(" ", ""), req


def test_no_committed_notebook_has_outputs() -> None:
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    for path in tracked:
        notebook = json.loads((REPO / path).read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs"), f"{path} is committed with outputs"


def test_generated_folders_are_not_committed() -> None:
    tracked = subprocess.run(["git", "ls-files", "data/processed", "reports"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.split()
    assert all(p.endswith(".gitkeep") for p in tracked), tracked


def test_importing_the_package_does_no_io_or_logging(tmp_path) -> None:
    # Import in a fresh interpreter from an empty folder with HOME elsewhere: nothing is
    # created, nothing is logged.
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", "import logging, cleannet_eval, cleannet_eval.config, "
         "cleannet_eval.ingest.pipeline; print(logging.getLogger().handlers)"],
        cwd=tmp_path, capture_output=True, text=True,
        env={"HOME": str(home), "PATH": os.environ["PATH"]},
        check=True,
    )
    assert result.stdout.strip() == "[]"
    assert result.stderr == ""
    # PyThaiNLP makes its (empty) data folder when imported; nothing else may appear.
    made = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert made in ([], ["pythainlp-data"])


def test_ruff_passes_on_the_package_tests_benchmarks_notebooks_and_scripts() -> None:
    # `make lint` as part of `make test`: notebooks are linted too (long narrative lines aside)
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--no-cache", "cleannet_eval", "tests", "bench", "notebooks",
         "scripts"], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
