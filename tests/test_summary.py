"""The headline summary dict for ``cleannet-eval summary --json``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cleannet_eval.analysis import (
    cronbach_alpha,
    factor_table,
    jsonable,
    score_respondents,
    survey_summary,
)
from cleannet_eval.analysis.scoring import item_matrix
from cleannet_eval.dataset import Dataset
from cleannet_eval.errors import CleannetError
from cleannet_eval.instruments import load_instrument

INST = load_instrument("cleannet5")
CODES = INST.item_codes
FACTORS = [f.key for f in INST.factors]
SURVEY_KEYS = {
    "instrument", "bands", "min_group_size", "suppressed", "note", "respondents", "overall_n",
    "overall_mean", "overall_sd", "overall_level_th", "overall_level_en", "factors",
}
FACTOR_KEYS = {"name_th", "name_en", "n", "mean", "sd", "level_th", "level_en", "alpha",
               "suppressed"}


def make_survey(cells: dict[tuple[str, int], int], seed: int = 0) -> pd.DataFrame:
    """``cells`` maps (unit, fiscal_year) to a number of respondents."""
    rng = np.random.default_rng(seed)
    frames = []
    for (unit, year), n in cells.items():
        latent = rng.normal(3.6, 0.6, size=(n, 1))
        values = np.clip(np.round(latent + rng.normal(0, 0.6, size=(n, len(CODES)))), 1, 5)
        values[rng.random(values.shape) < 0.04] = np.nan
        frame = pd.DataFrame(values, columns=CODES).astype("Int64")
        frame.insert(0, "respondent", [f"{unit}-{year}-{i}" for i in range(n)])
        frame.insert(1, "unit", unit)
        frame.insert(2, "staff_type", "civil_servant")
        frame.insert(3, "role", "member")
        frame.insert(4, "date", pd.NaT)
        frame.insert(5, "fiscal_year", pd.array([year] * n, dtype="Int64"))
        frame.insert(6, "comment", pd.NA)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return make_survey({("กองกลาง", 2550): 20, ("กองกลาง", 2551): 24, ("กองคลัง", 2550): 15,
                        ("กองคลัง", 2551): 18, ("ศูนย์ประสาน", 2551): 3})


def python_types_only(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and python_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(python_types_only(v) for v in value)
    return value is None or type(value) in (bool, int, float, str)


def test_summary_shape_and_types(survey: pd.DataFrame) -> None:
    summary = survey_summary(survey, INST)
    assert set(summary) == {"fiscal_year", "unit", "survey"}
    assert summary["fiscal_year"] is None and summary["unit"] is None
    assert set(summary["survey"]) == SURVEY_KEYS
    assert list(summary["survey"]["factors"]) == FACTORS
    for entry in summary["survey"]["factors"].values():
        assert set(entry) == FACTOR_KEYS
    assert python_types_only(summary)
    assert json.loads(json.dumps(summary, ensure_ascii=False)) == summary


def test_whole_department_numbers_match_the_factor_table(survey: pd.DataFrame) -> None:
    summary = survey_summary(survey, INST)["survey"]
    table = factor_table(survey, INST).set_index("factor")
    assert summary["respondents"] == len(survey) == 80
    assert summary["suppressed"] is False
    assert summary["overall_mean"] == round(table.loc["overall", "mean"], 4)
    assert summary["overall_level_th"] == table.loc["overall", "level_th"]
    values = item_matrix(survey, INST)
    for key in FACTORS:
        entry = summary["factors"][key]
        assert entry["n"] == table.loc[key, "n"]
        assert entry["mean"] == round(table.loc[key, "mean"], 4)
        assert entry["sd"] == round(table.loc[key, "sd"], 4)
        assert (entry["level_th"], entry["level_en"]) == tuple(table.loc[key, ["level_th",
                                                                              "level_en"]])
        cols = [CODES.index(i.code) for i in INST.factor(key).items]
        assert entry["alpha"] == round(cronbach_alpha(values[:, cols]).alpha, 4)
        assert entry["suppressed"] is False


def test_unit_and_year_selection(survey: pd.DataFrame) -> None:
    summary = survey_summary(survey, INST, fiscal_year=2550, unit="กองกลาง")
    assert (summary["fiscal_year"], summary["unit"]) == (2550, "กองกลาง")
    assert summary["survey"]["respondents"] == 20
    chosen = survey[(survey["unit"] == "กองกลาง") & (survey["fiscal_year"] == 2550)]
    scores = score_respondents(chosen, INST)
    assert summary["survey"]["factors"]["personnel"]["mean"] == round(
        scores["personnel"].mean(), 4)


def test_small_group_is_suppressed_with_null_numbers(survey: pd.DataFrame) -> None:
    summary = survey_summary(survey, INST, unit="ศูนย์ประสาน")
    part = summary["survey"]
    assert part["suppressed"] is True
    assert part["note"] == "n < 5"
    assert part["respondents"] is None
    assert part["overall_mean"] is None and part["overall_level_th"] is None
    for entry in part["factors"].values():
        assert entry["suppressed"] is True
        assert all(entry[k] is None for k in ("n", "mean", "sd", "level_th", "level_en",
                                               "alpha"))
        assert entry["name_en"]  # names stay
    assert "ศูนย์ประสาน" not in json.dumps(part, ensure_ascii=False)


def test_sibling_of_a_small_unit_is_suppressed_too(survey: pd.DataFrame) -> None:
    # In FY2551: ศูนย์ประสาน has 3; without secondary suppression it would be the
    # FY2551 total minus the other two units.
    shown = {unit: survey_summary(survey, INST, fiscal_year=2551, unit=unit)["survey"]
             for unit in ("กองกลาง", "กองคลัง", "ศูนย์ประสาน")}
    hidden = {unit for unit, part in shown.items() if part["suppressed"]}
    assert hidden == {"ศูนย์ประสาน", "กองคลัง"}  # กองคลัง (18) is the next-smallest
    # and across years: กองคลัง's all-years figure minus its 2550 figure would give 2551 back,
    # so one of them is hidden too: the all-years one, which also protects ศูนย์ประสาน's
    # all-years figure (3) among the units' totals.
    assert survey_summary(survey, INST, unit="กองคลัง")["survey"]["suppressed"]
    assert not survey_summary(survey, INST, fiscal_year=2550, unit="กองคลัง")["survey"][
        "suppressed"]
    assert not survey_summary(survey, INST, unit="กองกลาง")["survey"]["suppressed"]
    total_2551 = survey_summary(survey, INST, fiscal_year=2551)["survey"]
    assert total_2551["respondents"] == 45
    visible = sum(p["respondents"] for p in shown.values() if not p["suppressed"])
    assert total_2551["respondents"] - visible == 21  # only the combined 3 + 18


def test_whole_department_below_minimum() -> None:
    summary = survey_summary(make_survey({("กองกลาง", 2551): 4}), INST)
    assert summary["survey"]["suppressed"] is True
    assert summary["survey"]["respondents"] is None


def test_minimum_group_size_is_a_setting(survey: pd.DataFrame) -> None:
    part = survey_summary(survey, INST, unit="ศูนย์ประสาน", min_group_size=3)["survey"]
    assert part["suppressed"] is False
    assert part["respondents"] == 3
    assert part["min_group_size"] == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unit": "กองเก่า"}, "Unknown unit 'กองเก่า': no survey responses. Units with "
                              "responses: กองกลาง, กองคลัง, ศูนย์ประสาน"),
        ({"fiscal_year": 2549}, "Fiscal year 2549 has no survey data. Years with data: "
                                "2550, 2551"),
        ({"fiscal_year": 2008}, r"Fiscal year 2008 has no survey data \(fiscal years are "
                                r"Buddhist Era: CE \+ 543\)"),
    ],
)
def test_unknown_selection_lists_valid_values(survey: pd.DataFrame, kwargs, message) -> None:
    with pytest.raises(CleannetError, match=message):
        survey_summary(survey, INST, **kwargs)


def test_unit_without_respondents_in_that_year_is_suppressed(survey: pd.DataFrame) -> None:
    part = survey_summary(survey, INST, fiscal_year=2550, unit="ศูนย์ประสาน")["survey"]
    assert part["suppressed"] is True


def test_accepts_a_dataset(survey: pd.DataFrame) -> None:
    empty = pd.DataFrame()
    dataset = Dataset(units=empty, roster=empty, attendance=empty, survey=survey,
                      instrument=INST)
    assert survey_summary(dataset, fiscal_year=2551) == survey_summary(survey, INST,
                                                                       fiscal_year=2551)


def test_equal_bands_and_seven_point_instrument() -> None:
    inst = load_instrument("pinto_slevin10")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.integers(4, 8, size=(12, 50)), columns=inst.item_codes)
    frame = frame.astype("Int64").assign(unit="กองกลาง", fiscal_year=2551)
    part = survey_summary(frame, inst, bands="half")["survey"]
    assert part["bands"] == "equal"
    assert list(part["factors"]) == [f.key for f in inst.factors]


def test_survey_is_not_modified(survey: pd.DataFrame) -> None:
    before = survey.copy(deep=True)
    survey_summary(survey, INST, fiscal_year=2551, unit="กองกลาง")
    pd.testing.assert_frame_equal(survey, before)


def test_jsonable_makes_numpy_values_plain() -> None:
    value = {"a": np.float32(0.5), "b": [np.int64(2), np.nan, pd.NA], "c": np.bool_(True)}
    assert jsonable(value) == {"a": 0.5, "b": [2, None, None], "c": True}
    assert python_types_only(jsonable(value))
