"""Reliability against external references: R ``psych::alpha`` and pingouin.

Reference values are those listed in /work/shared/reference/domain.md ("Reliability reference
values"), computed by R psych and by pingouin on the datasets that ship with pingouin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from cleannet_eval.analysis import (
    cronbach_alpha,
    factor_reliability,
    item_reliability,
    item_total,
)
from cleannet_eval.analysis.reliability import alpha_quality, covariance
from cleannet_eval.errors import CleannetError, ConfigError
from cleannet_eval.instruments import load_instrument

INST = load_instrument("cleannet5")


@pytest.fixture(scope="module")
def likert() -> pd.DataFrame:
    """pingouin's ``cronbach_alpha`` dataset (15 subjects x 10 items, 1-7), long -> wide."""
    long = pingouin.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    return wide[[f"Q{i}" for i in range(1, 11)]]


@pytest.fixture(scope="module")
def with_gaps() -> pd.DataFrame:
    """pingouin's ``cronbach_wide_missing`` dataset (12 x 11, with gaps)."""
    return pingouin.read_dataset("cronbach_wide_missing")


# Reference: pingouin.cronbach_alpha docstring and R psych::alpha(); domain.md table.
@pytest.mark.parametrize(
    ("dataset", "nan_policy", "alpha", "ci"),
    [
        ("likert", "pairwise", 0.5917188485995826, (0.195, 0.840)),  # complete data
        ("with_gaps", "pairwise", 0.732660835214447, (0.435, 0.909)),  # psych use="pairwise"
        ("with_gaps", "listwise", 0.8016949152542373, (0.581, 0.933)),  # use="complete.obs"
    ],
)
def test_alpha_matches_psych_and_pingouin(
    request: pytest.FixtureRequest, dataset: str, nan_policy: str, alpha: float, ci: tuple
) -> None:
    data = request.getfixturevalue(dataset)
    result = cronbach_alpha(data, nan_policy=nan_policy, ci=0.95)
    assert result.alpha == pytest.approx(alpha, abs=1e-9)
    assert round(result.alpha, 6) == round(alpha, 6)
    assert np.round(result.ci, 3).tolist() == list(ci)
    assert result.n == len(data)


def test_alpha_result_unpacks(likert: pd.DataFrame) -> None:
    alpha, (low, high), n = cronbach_alpha(likert)
    assert low < alpha < high
    assert n == 15


# Reference: R psych::alpha(x)$item.stats$r.drop on pingouin's "cronbach_alpha" data
# (domain.md): .5748, .5678, .5214, .4176, -.1076, -.1572, .2610, .0922, .4434, .4337.
def test_corrected_item_total_matches_psych_r_drop(likert: pd.DataFrame) -> None:
    table = item_total(likert)
    expected = [0.5748, 0.5678, 0.5214, 0.4176, -0.1076, -0.1572, 0.2610, 0.0922, 0.4434,
                0.4337]
    assert table.index.tolist() == [f"Q{i}" for i in range(1, 11)]
    assert table["r_drop"].round(4).tolist() == expected


def test_r_drop_is_correlation_with_rest_score_on_complete_data(likert: pd.DataFrame) -> None:
    # Reference: Pearson correlation (scipy.stats.pearsonr) of each item with the sum of the others.
    table = item_total(likert)
    for item in likert.columns:
        rest = likert.drop(columns=item).sum(axis=1)
        assert table.loc[item, "r_drop"] == pytest.approx(stats.pearsonr(likert[item], rest)[0])


@pytest.mark.parametrize("nan_policy", ["pairwise", "listwise"])
def test_alpha_if_deleted_matches_pingouin(with_gaps: pd.DataFrame, nan_policy: str) -> None:
    # Reference: pingouin.cronbach_alpha on the table without the item.
    table = item_total(with_gaps, nan_policy=nan_policy)
    data = with_gaps.dropna() if nan_policy == "listwise" else with_gaps
    for item in with_gaps.columns:
        expected, _ = pingouin.cronbach_alpha(data.drop(columns=item), nan_policy=nan_policy)
        assert table.loc[item, "alpha_if_deleted"] == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("nan_policy", ["pairwise", "listwise"])
def test_alpha_and_ci_match_pingouin_on_random_data(seed: int, nan_policy: str) -> None:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(60, 1))
    values = np.clip(np.round(3 + latent + rng.normal(scale=0.9, size=(60, 6))), 1, 5)
    values[rng.random(values.shape) < 0.08] = np.nan
    data = pd.DataFrame(values, columns=list("abcdef"))
    expected, ci = pingouin.cronbach_alpha(data, nan_policy=nan_policy, ci=0.9)
    result = cronbach_alpha(data, nan_policy=nan_policy, ci=0.9)
    assert result.alpha == pytest.approx(expected)
    assert np.round(result.ci, 3).tolist() == pytest.approx(ci.tolist())


def test_pairwise_covariance_matches_pandas(with_gaps: pd.DataFrame) -> None:
    # Reference: pandas.DataFrame.cov (pairwise complete observations).
    assert np.allclose(covariance(with_gaps.to_numpy(dtype=float)), with_gaps.cov())


def test_numpy_input_and_nullable_integers(likert: pd.DataFrame) -> None:
    as_int = likert.astype("Int64")
    as_int.iloc[0, 0] = pd.NA
    assert cronbach_alpha(as_int).alpha == pytest.approx(
        cronbach_alpha(as_int.astype("float64").to_numpy()).alpha
    )


def test_rows_with_no_answer_are_not_counted(likert: pd.DataFrame) -> None:
    padded = pd.concat([likert, pd.DataFrame(np.nan, index=[99], columns=likert.columns)])
    result = cronbach_alpha(padded)
    assert result.n == 15
    assert result.alpha == pytest.approx(0.5917188485995826)


@pytest.mark.parametrize(
    "data", [pd.DataFrame({"a": [1.0, 2.0, 3.0]}), pd.DataFrame({"a": [1.0], "b": [2.0]})]
)
def test_too_few_items_or_respondents_gives_nan(data: pd.DataFrame) -> None:
    assert np.isnan(cronbach_alpha(data).alpha)


def test_invalid_arguments() -> None:
    data = pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 3]})
    with pytest.raises(ConfigError, match="Unknown nan_policy 'omit'. Valid: pairwise, listwise"):
        cronbach_alpha(data, nan_policy="omit")
    with pytest.raises(ConfigError, match="ci must be a confidence level between 0 and 1"):
        cronbach_alpha(data, ci=95)
    with pytest.raises(CleannetError, match="Items must be numeric; column\\(s\\) b are not"):
        cronbach_alpha(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))


def make_survey(values: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(values, columns=INST.item_codes).astype("Int64")
    frame.insert(0, "respondent", [f"R{i}" for i in range(len(frame))])
    return frame


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    latent = rng.normal(size=(200, 1))
    values = np.clip(np.round(3 + latent + rng.normal(scale=0.8, size=(200, 23))), 1, 5)
    tms5 = INST.item_codes.index("TMS5")
    values[:, tms5] = 6 - values[:, tms5]  # negatively worded: answered the other way round
    values[rng.random(values.shape) < 0.03] = np.nan
    return make_survey(values)


def test_factor_reliability_reverse_scores_first(survey: pd.DataFrame) -> None:
    before = survey.copy(deep=True)
    table = factor_reliability(survey, INST).set_index("factor")
    pd.testing.assert_frame_equal(survey, before)
    codes = [i.code for i in INST.factor("top_management_support").items]
    manual = survey[codes].astype("float64")
    manual["TMS5"] = 6 - manual["TMS5"]
    expected, _ = pingouin.cronbach_alpha(manual)
    assert table.loc["top_management_support", "alpha"] == pytest.approx(expected)
    assert table.loc["top_management_support", "alpha"] > 0.7
    assert table.columns.tolist() == ["name_th", "name_en", "items", "n", "alpha", "ci_low",
                                      "ci_high", "quality"]
    assert table.loc["project_mission", "items"] == 4


def test_item_reliability_per_factor(survey: pd.DataFrame) -> None:
    table = item_reliability(survey, INST)
    assert table["item"].tolist() == INST.item_codes
    assert table.loc[table["item"] == "TMS5", "reverse"].item()
    assert (table["r_drop"] > 0).all()  # TMS5 turned round, so it correlates positively
    personnel = [i.code for i in INST.factor("personnel").items]
    expected = item_total(survey[personnel].astype("float64").to_numpy())
    got = table[table["factor"] == "personnel"]
    assert np.allclose(got["r_drop"], expected["r_drop"])


@pytest.mark.parametrize(
    ("alpha", "label"),
    [(0.91, "excellent"), (0.85, "good"), (0.75, "acceptable"), (0.65, "questionable"),
     (0.55, "poor"), (0.2, "unacceptable"), (float("nan"), None)],
)
def test_george_and_mallery_labels(alpha: float, label: str | None) -> None:
    assert alpha_quality(alpha) == label
