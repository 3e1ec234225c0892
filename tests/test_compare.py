"""Group comparisons and year-on-year change, checked against pingouin and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from cleannet_eval.analysis import (
    change_between_years,
    compare_groups,
    factor_table,
    score_respondents,
)
from cleannet_eval.analysis.compare import kruskal_wallis, welch_anova, welch_t
from cleannet_eval.errors import CleannetError, ConfigError
from cleannet_eval.instruments import load_instrument

INST = load_instrument("cleannet5")
CODES = INST.item_codes


def make_survey(groups: dict[tuple, int], seed: int = 0, shift: dict | None = None
                ) -> pd.DataFrame:
    """``groups`` maps (unit, fiscal_year, role) to a number of respondents."""
    rng = np.random.default_rng(seed)
    shift = shift or {}
    frames = []
    for (unit, year, role), n in groups.items():
        centre = 3 + shift.get(unit, 0) + shift.get(year, 0) + shift.get(role, 0)
        latent = rng.normal(centre, 0.6, size=(n, 1))
        values = np.clip(np.round(latent + rng.normal(0, 0.7, size=(n, len(CODES)))), 1, 5)
        values[rng.random(values.shape) < 0.04] = np.nan
        frame = pd.DataFrame(values, columns=CODES).astype("Int64")
        frame.insert(0, "respondent", [f"{unit}-{year}-{role}-{i}" for i in range(n)])
        frame.insert(1, "unit", unit)
        frame.insert(2, "staff_type", "civil_servant")
        frame.insert(3, "role", role)
        frame.insert(4, "date", pd.NaT)
        frame.insert(5, "fiscal_year", pd.array([year] * n, dtype="Int64"))
        frame.insert(6, "comment", pd.NA)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return make_survey(
        {("A", 2550, "leader"): 14, ("A", 2551, "member"): 20, ("B", 2550, "member"): 25,
         ("B", 2551, "leader"): 18, ("C", 2550, "participant"): 16,
         ("C", 2551, "participant"): 22, ("D", 2551, "member"): 3},
        shift={"A": 0.5, "C": -0.4, 2551: 0.3},
    )


def long_scores(survey: pd.DataFrame, by: str, factor: str) -> pd.DataFrame:
    scores = score_respondents(survey, INST, keep=[by])
    return scores[[by, factor]].dropna()


# ----------------------------------------------------------------- test functions vs pingouin


@pytest.mark.parametrize("seed", range(4))
def test_welch_t_and_hedges_g_match_pingouin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.normal(3.5, 0.7, 15), rng.normal(3.1, 1.1, 23)
    got = welch_t(x, y)
    # Reference: pingouin.ttest(correction=True) and compute_effsize(eftype="hedges").
    ref = pingouin.ttest(x, y, correction=True)
    assert got["statistic"] == pytest.approx(ref["T"].item())
    assert got["df"] == pytest.approx(ref["dof"].item())
    assert got["p_value"] == pytest.approx(ref["p_val"].item())
    assert got["hedges_g"] == pytest.approx(pingouin.compute_effsize(x, y, eftype="hedges"))


@pytest.mark.parametrize("seed", range(4))
def test_welch_anova_matches_pingouin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    groups = [rng.normal(3 + 0.3 * i, 0.5 + 0.3 * i, 10 + 5 * i) for i in range(4)]
    got = welch_anova(groups)
    frame = pd.DataFrame({"y": np.concatenate(groups),
                          "g": np.repeat(list("abcd"), [len(g) for g in groups])})
    # Reference: pingouin.welch_anova (F, ddof1, ddof2, p_unc, np2 = eta squared one-way).
    ref = pingouin.welch_anova(data=frame, dv="y", between="g").iloc[0]
    assert got["statistic"] == pytest.approx(ref["F"])
    assert got["df1"] == ref["ddof1"]
    assert got["df2"] == pytest.approx(ref["ddof2"])
    assert got["p_value"] == pytest.approx(ref["p_unc"])
    assert got["eta_squared"] == pytest.approx(ref["np2"])


def test_kruskal_matches_pingouin_and_epsilon_squared() -> None:
    rng = np.random.default_rng(1)
    groups = [rng.integers(1, 6, 12).astype(float) + i * 0.5 for i in range(3)]
    got = kruskal_wallis(groups)
    frame = pd.DataFrame({"y": np.concatenate(groups), "g": np.repeat(list("abc"), 12)})
    # Reference: pingouin.kruskal (tie-corrected H); epsilon^2 = H / ((n^2 - 1) / (n + 1))
    # (Tomczak & Tomczak 2014).
    ref = pingouin.kruskal(data=frame, dv="y", between="g").iloc[0]
    assert got["statistic"] == pytest.approx(ref["H"])
    assert got["p_value"] == pytest.approx(ref["p_unc"])
    n = 36
    assert got["epsilon_squared"] == pytest.approx(ref["H"] / ((n**2 - 1) / (n + 1)))


def test_zero_variance_gives_nan_not_an_error() -> None:
    same = [np.full(5, 4.0), np.full(5, 4.0), np.array([1.0, 2, 3, 4, 5])]
    assert np.isnan(welch_anova(same)["statistic"])
    assert np.isnan(kruskal_wallis([np.full(5, 4.0), np.full(5, 4.0)])["statistic"])


# ----------------------------------------------------------------- compare_groups


def test_compare_two_roles_is_welch_t(survey: pd.DataFrame) -> None:
    two = survey[survey["role"] != "participant"]
    table = compare_groups(two, "role", INST).set_index("factor")
    assert table.loc["personnel", "test"] == "welch_t"
    assert table.loc["personnel", "contrast"] == "leader − member"
    data = long_scores(two, "role", "personnel")
    x = data.loc[data["role"] == "leader", "personnel"]
    y = data.loc[data["role"] == "member", "personnel"]
    ref = stats.ttest_ind(x, y, equal_var=False)  # reference: scipy
    assert table.loc["personnel", "statistic"] == pytest.approx(ref.statistic)
    assert table.loc["personnel", "p_value"] == pytest.approx(ref.pvalue)
    assert table.loc["personnel", "effect_size"] == pytest.approx(
        pingouin.compute_effsize(x, y, eftype="hedges"))
    assert table.loc["personnel", "effect_size_name"] == "hedges_g"
    assert list(table.index) == [*[f.key for f in INST.factors], "overall"]


def test_compare_units_leaves_out_hidden_groups(survey: pd.DataFrame) -> None:
    # D has 3 respondents (hidden); the next-smallest unit is hidden with it (secondary).
    table = compare_groups(survey, "unit", INST).set_index("factor")
    shown = factor_table(survey, INST, by="unit")
    row = table.loc["client_acceptance"]
    published = shown[(shown["factor"] == "client_acceptance") & ~shown["suppressed"]]
    assert row["groups"] == len(published) == 2
    assert row["excluded_groups"] == 2
    assert row["test"] == "welch_t"
    data = long_scores(survey, "unit", "client_acceptance")
    units = sorted(published["unit"])
    ref = pingouin.ttest(data.loc[data["unit"] == units[0], "client_acceptance"],
                         data.loc[data["unit"] == units[1], "client_acceptance"], correction=True)
    assert row["statistic"] == pytest.approx(ref["T"].item())


def test_compare_three_groups_is_welch_anova(survey: pd.DataFrame) -> None:
    table = compare_groups(survey, "role", INST, factors=["overall"]).iloc[0]
    data = long_scores(survey, "role", "overall")
    ref = pingouin.welch_anova(data=data, dv="overall", between="role").iloc[0]
    assert table["test"] == "welch_anova"
    assert table["groups"] == 3
    assert table["statistic"] == pytest.approx(ref["F"])
    assert table["df2"] == pytest.approx(ref["ddof2"])
    assert table["effect_size"] == pytest.approx(ref["np2"])
    assert table["effect_size_name"] == "eta_squared"


def test_compare_kruskal(survey: pd.DataFrame) -> None:
    table = compare_groups(survey, "fiscal_year", INST, method="kruskal").set_index("factor")
    data = long_scores(survey, "fiscal_year", "personnel")
    ref = stats.kruskal(*[g["personnel"] for _, g in data.groupby("fiscal_year")])
    assert table.loc["personnel", "test"] == "kruskal"
    assert table.loc["personnel", "statistic"] == pytest.approx(ref.statistic)
    assert table.loc["personnel", "effect_size"] == pytest.approx(ref.statistic / (len(data) - 1))


def test_compare_with_one_group_shown_tests_nothing() -> None:
    small = make_survey({("A", 2551, "member"): 12, ("B", 2551, "member"): 2})
    table = compare_groups(small, "unit", INST)
    assert table["test"].isna().all()
    assert table["statistic"].isna().all()
    assert (table["note"] == "fewer than 2 groups large enough to show").all()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"by": "province"}, CleannetError,
         "Cannot break down by 'province'. Valid: unit, staff_type, role, fiscal_year"),
        ({"by": "unit", "method": "anova"}, ConfigError,
         "Unknown method 'anova'. Valid: welch, kruskal"),
        ({"by": "unit", "factors": ["budget"]}, CleannetError, "Unknown factor 'budget'. Valid: "),
    ],
)
def test_compare_invalid_arguments(survey: pd.DataFrame, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        compare_groups(survey, instrument=INST, **kwargs)


def test_compare_does_not_modify_the_survey(survey: pd.DataFrame) -> None:
    before = survey.copy(deep=True)
    compare_groups(survey, "unit", INST)
    change_between_years(survey, INST, by="unit")
    pd.testing.assert_frame_equal(survey, before)


# ----------------------------------------------------------------- change between years


def test_change_2550_to_2551(survey: pd.DataFrame) -> None:
    table = change_between_years(survey, INST).set_index("factor")
    scores = score_respondents(survey, INST)
    before = scores.loc[scores["fiscal_year"] == 2550, "overall"].dropna()
    after = scores.loc[scores["fiscal_year"] == 2551, "overall"].dropna()
    row = table.loc["overall"]
    assert (row["n_from"], row["n_to"]) == (len(before), len(after))
    assert row["change"] == pytest.approx(after.mean() - before.mean())
    ref = pingouin.ttest(after, before, correction=True)  # reference: pingouin
    assert row["statistic"] == pytest.approx(ref["T"].item())
    assert row["p_value"] == pytest.approx(ref["p_val"].item())
    assert row["hedges_g"] == pytest.approx(
        pingouin.compute_effsize(after, before, eftype="hedges"))
    assert row["change"] > 0  # the fixture adds 0.3 in 2551
    assert not table["suppressed"].any()


def test_change_by_unit_hides_small_cells_and_skips_single_year_units(
    survey: pd.DataFrame,
) -> None:
    table = change_between_years(survey, INST, by="unit")
    assert set(table["unit"]) == {"A", "B", "C"}  # D has 2551 only
    shown = table[~table["suppressed"]]
    assert shown["mean_from"].notna().all()
    hidden = table[table["suppressed"]]
    assert hidden[["n_from", "mean_from", "n_to", "mean_to", "change", "p_value"]
                  ].isna().all().all()
    # D-2551 (n = 3) is hidden. The dataset's one disclosure pattern (every breakdown, roles
    # included) hides A-2551 to protect it (the FY2551 total minus B and C, and the FY2551
    # "member" role, both give only A-2551 + D-2551 = 23) and pooled A (A-2550 is shown), so
    # only A's change is hidden; B's is shown (the old year x unit rule also hid B's).
    assert set(hidden["unit"]) == {"A"}


def test_change_unknown_year_lists_years_with_data(survey: pd.DataFrame) -> None:
    with pytest.raises(CleannetError, match="Fiscal year 2552 has no survey data. "
                                            "Years with data: 2550, 2551"):
        change_between_years(survey, INST, from_year=2551, to_year=2552)
