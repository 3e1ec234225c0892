"""The committed demo data in data/raw/ is what `cleannet-eval demo` writes, and ingests cleanly."""

from __future__ import annotations

from pathlib import Path

from cleannet_eval.demo import DEMO_FILES, write_demo
from cleannet_eval.ingest.pipeline import load_raw

from conftest import DEMO_RAW, tree_digest


def test_committed_demo_matches_the_generator(tmp_path: Path) -> None:
    write_demo(tmp_path)
    committed = {k: v for k, v in tree_digest(DEMO_RAW).items() if k in DEMO_FILES}
    assert committed == tree_digest(tmp_path), "run `make demo` and commit data/raw/"


def test_demo_ingests_without_errors_or_warnings() -> None:
    dataset = load_raw(DEMO_RAW)
    assert dataset.warnings == []
    assert dataset.fiscal_years == [2550, 2551]
    assert len(dataset.unit_names) == 17
    assert len(dataset.survey) == 814
    assert len(dataset.attendance) == 3352
    leaders = dataset.roster[dataset.roster["role"] == "leader"]["person_key"].nunique()
    assert 50 <= leaders <= 70
    # Every recruiter is a person of the roster (names were linked to their keys).
    recruiters = set(dataset.roster["recruited_by_key"].dropna())
    assert recruiters <= set(dataset.roster["person_key"])
