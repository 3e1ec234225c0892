"""The per-process memo shared by the reports of a batch (cleannet_eval.shared)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_report_pipeline import make_small_data

from cleannet_eval import shared
from cleannet_eval.analysis.summary import survey_section
from cleannet_eval.reports import inputs as report_inputs
from cleannet_eval.reports.inputs import input_files


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    return make_small_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(autouse=True)
def fresh_memo():
    shared.clear()
    yield
    shared.clear()


@shared.memoized
def _respondents_by_unit(survey: pd.DataFrame, *, year: int) -> pd.DataFrame:
    rows = survey[(survey["fiscal_year"] == year).fillna(False).to_numpy()]
    return rows.groupby("unit").size().rename("n").reset_index()


def test_tables_are_read_once_and_each_report_gets_its_own_copy(data) -> None:
    raw, processed = data
    first = shared.load_dataset(raw, processed)
    first.survey["scribble"] = 1  # a notebook editing its tables …
    first.units.loc[first.units.index[0], "headcount"] = -1
    second = shared.load_dataset(raw, processed)
    assert shared.stats()["loads"] == 1
    assert second.survey is not first.survey
    assert "scribble" not in second.survey  # … never changes the next report's
    assert second.units["headcount"].iloc[0] != -1
    assert shared.dataset_fingerprint(second) == shared.data_fingerprint(processed)
    assert shared.dataset_fingerprint(first) is None  # edited: no longer the data as read


def test_memoized_results_are_shared_per_data_version_and_copied(data) -> None:
    raw, processed = data
    survey = shared.load_dataset(raw, processed).survey
    first = _respondents_by_unit(survey, year=2551)
    first.loc[0, "n"] = -99  # the caller may edit what it gets
    again = _respondents_by_unit(shared.load_dataset(raw, processed).survey, year=2551)
    assert shared.stats()["hits"] == 1 and shared.stats()["misses"] == 1
    assert (again["n"] > 0).all()
    pd.testing.assert_frame_equal(again, _respondents_by_unit.__wrapped__(survey, year=2551))
    _respondents_by_unit(survey, year=2550)  # other arguments: computed
    assert shared.stats()["misses"] == 2


def test_other_tables_are_never_cached(data) -> None:
    raw, processed = data
    survey = shared.load_dataset(raw, processed).survey
    selection = survey[survey["unit"] == "กองคลัง"]
    _respondents_by_unit(selection, year=2551)
    _respondents_by_unit(selection, year=2551)
    _respondents_by_unit(pd.read_parquet(processed / "survey.parquet"), year=2551)
    assert shared.stats() == {"hits": 0, "misses": 0, "loads": 1}
    survey["extra"] = 0  # edited after loading: no longer the table the memo knows
    _respondents_by_unit(survey, year=2551)
    assert shared.stats()["misses"] == 0


def test_a_real_analysis_function_gives_the_same_result_cached(data) -> None:
    raw, processed = data
    dataset = shared.load_dataset(raw, processed)
    options = dict(fiscal_year=2551, unit="กองคลัง", min_group_size=5)
    direct = survey_section.__wrapped__(dataset.survey, dataset.instrument, **options)
    assert survey_section(dataset.survey, dataset.instrument, **options) == direct
    assert survey_section(shared.load_dataset(raw, processed).survey, dataset.instrument,
                          **options) == direct
    assert shared.stats()["hits"] == 1


def test_a_batch_hands_over_the_fingerprint_and_nothing_is_rehashed(data, monkeypatch) -> None:
    raw, processed = data
    fingerprint = shared.fingerprint_of_inputs(input_files(raw, processed))
    assert fingerprint == shared.data_fingerprint(processed)
    shared.use_batch_data(raw, processed, fingerprint)

    def no_check(*args):
        raise AssertionError("the kernel checked the raw data again")

    monkeypatch.setattr(report_inputs, "ensure_processed", no_check)
    monkeypatch.setattr(shared, "data_fingerprint", no_check)
    dataset = shared.load_dataset(raw, processed)
    assert shared.dataset_fingerprint(dataset) == fingerprint
