"""Instrument quality against external references.

References, each cited where it is used:

* Krejcie & Morgan (1970), Table 1 — values quoted in /work/shared/reference/domain.md
  ("Instrument quality"): N = 100 → 80, 200 → 132, 500 → 217, 1,000 → 278, 10,000 → 370.
* Yamane (1967) n = N / (1 + N e²) and Cochran (1977) n0 = z² p q / e² = 384.16.
* R ``psych::alpha`` ``r.drop`` on pingouin's ``cronbach_alpha`` dataset (domain.md).
* lavaan's CFA tutorial on Holzinger & Swineford (1939) (domain.md): χ² = 85.306, df = 24,
  CFI = 0.931, TLI = 0.896, RMSEA = 0.092 [0.071, 0.114], SRMR = 0.065; standardized loadings
  .772 .424 .581 .852 .855 .838 .570 .723 .665 (lavaan ``standardizedSolution``).
* semopy (an independent ML estimator), run here, for the one-factor loadings behind omega
  and for χ², CFI, TLI.
* factor_analyzer's ``calculate_kmo`` / ``calculate_bartlett_sphericity``, run here.
* scipy.stats.ttest_ind for the upper/lower 27% t; pingouin.cronbach_alpha of z-scores for
  standardized alpha.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pingouin
import pytest
import semopy
from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo
from scipy import stats
from semopy.examples import holzinger39

from cleannet_eval.analysis import (
    cfa,
    confirmatory_factor_analysis,
    factor_reliability,
    fit_reading,
    instrument_cfa,
    instrument_reliability,
    ioc,
    item_analysis,
    item_discrimination,
    item_total,
    kmo_bartlett,
    margin_of_error,
    omega_total,
    quality,
    reliability_table,
    sample,
    sample_adequacy,
    sample_size_krejcie_morgan,
    sample_size_yamane,
)
from cleannet_eval.analysis.quality import standardized_alpha
from cleannet_eval.analysis.scoring import item_matrix
from cleannet_eval.errors import CleannetError, ConfigError
from cleannet_eval.instruments import load_instrument

INST = load_instrument("cleannet5")
HS_MODEL = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
            "speed": ["x7", "x8", "x9"]}
HS_ITEMS = [f"x{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    return holzinger39.get_data()


@pytest.fixture(scope="module")
def likert() -> pd.DataFrame:
    """pingouin's ``cronbach_alpha`` dataset (15 subjects x 10 items), long -> wide."""
    long = pingouin.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    return wide[[f"Q{i}" for i in range(1, 11)]]


def _survey(n: int = 400, seed: int = 7, missing: float = 0.03) -> pd.DataFrame:
    """A survey table of the cleannet5 instrument: one trait per factor, 1..5 answers."""
    rng = np.random.default_rng(seed)
    factors = rng.multivariate_normal(np.zeros(5), 0.6 * np.eye(5) + 0.4, size=n)
    data = {}
    for j, factor in enumerate(INST.factors):
        for item in factor.items:
            x = 0.9 * factors[:, j] + rng.normal(scale=0.8, size=n)
            answer = np.clip(np.round(3 + x), 1, 5)
            if item.reverse:
                answer = 6 - answer
            series = pd.array(answer.astype(int), dtype="Int64")
            series[rng.random(n) < missing] = pd.NA
            data[item.code] = series
    frame = pd.DataFrame(data)
    frame.insert(0, "unit", "U")
    frame.insert(1, "fiscal_year", 2551)
    return frame


# --------------------------------------------------------------------------- sample size


@pytest.mark.parametrize(("N", "s"), [(100, 80), (200, 132), (500, 217), (1000, 278),
                                      (10_000, 370)])
def test_krejcie_morgan_reproduces_their_table(N: int, s: int) -> None:
    # Krejcie & Morgan (1970) Table 1, as quoted in domain.md
    assert sample_size_krejcie_morgan(N) == s


def test_krejcie_morgan_accepts_arrays() -> None:
    assert sample_size_krejcie_morgan(np.array([100, 1000])).tolist() == [80, 278]


@pytest.mark.parametrize("N", [10, 57, 100, 400, 1000, 2551, 10_000, 1_000_000])
def test_yamane_is_the_formula_rounded_up(N: int) -> None:
    exact = N / (1 + N * 0.05 ** 2)  # Yamane (1967)
    assert sample_size_yamane(N) == int(np.ceil(exact - 1e-9))
    assert sample_size_yamane(N) >= exact - 1e-9
    assert sample_size_yamane(400) == 200  # exact whole values are not pushed up


def test_margin_of_error_inverts_cochran() -> None:
    # Cochran: n0 = 1.96² · 0.25 / 0.05² = 384.16 respondents give ±5 points (infinite N)
    z = stats.norm.isf(0.025)
    n0 = z ** 2 * 0.25 / 0.05 ** 2
    assert margin_of_error(n0) == pytest.approx(0.05)
    # with the finite-population correction sqrt((N - n) / (N - 1))
    assert margin_of_error(278, 1000) == pytest.approx(
        z * np.sqrt(0.25 / 278) * np.sqrt((1000 - 278) / 999))
    assert margin_of_error(50, 50) == 0.0
    with pytest.raises(ConfigError, match="cannot exceed"):
        margin_of_error(60, 50)


@pytest.mark.parametrize("bad", [0, -3, 2.5, np.nan])
def test_sample_size_rejects_bad_population(bad: float) -> None:
    with pytest.raises(ConfigError, match="whole number"):
        sample_size_yamane(bad)


def test_sample_adequacy_hides_small_units_and_keeps_required_n() -> None:
    units = pd.DataFrame({"unit": ["A", "B", "C"], "parent": None,
                          "fiscal_year": [2551] * 3, "headcount": [120, 300, 40]})
    survey = pd.DataFrame({"unit": ["A"] * 90 + ["B"] * 170 + ["C"] * 3,
                           "fiscal_year": 2551})
    table = sample_adequacy(survey, units, min_group_size=5)
    by_unit = table.set_index(table["unit"].fillna("(department)"))
    # C answered 3 times: hidden; the next-smallest sibling (A) too, or C = total − B − A
    assert by_unit.loc["C", "suppressed"] and by_unit.loc["A", "suppressed"]
    assert pd.isna(by_unit.loc["C", "responses"]) and pd.isna(by_unit.loc["C", "margin_of_error"])
    assert not by_unit.loc["B", "suppressed"]
    assert by_unit.loc["B", "responses"] == 170
    assert by_unit.loc["B", "krejcie_morgan_n"] == sample_size_krejcie_morgan(300)
    assert by_unit.loc["B", "margin_of_error"] == pytest.approx(margin_of_error(170, 300))
    # headcounts and required sizes are public: shown for every unit
    assert by_unit.loc["C", "headcount"] == 40
    assert by_unit.loc["C", "yamane_n"] == sample_size_yamane(40)
    dept = by_unit.loc["(department)"]
    assert dept["headcount"] == 460 and dept["responses"] == 263
    assert dept["adequate"] == (sample_size_krejcie_morgan(460) <= 263)


# --------------------------------------------------------------------------- IOC


def test_ioc_is_the_mean_rating_and_keeps_at_half() -> None:
    ratings = pd.DataFrame({"item": ["a", "b", "c", "d"], "e1": [1, 1, 0, -1],
                            "e2": [1, 0, 0, 1], "e3": [1, 1, 1, -1]})
    table = ioc(ratings)
    assert table["ioc"].tolist() == pytest.approx([1.0, 2 / 3, 1 / 3, -1 / 3])
    assert table["keep"].tolist() == [True, True, False, False]  # IOC >= 0.50 (R & H 1977)
    assert table["experts"].tolist() == [3, 3, 3, 3]
    assert ratings.columns.tolist() == ["item", "e1", "e2", "e3"]  # not modified


def test_ioc_rejects_a_rating_off_the_scale() -> None:
    with pytest.raises(CleannetError, match=r"rating '2' of item 'b' by expert 'e2'"):
        ioc(pd.DataFrame({"e1": [1, 1], "e2": [1, 2]}, index=["a", "b"]))


# --------------------------------------------------------------------------- omega


def _semopy_one_factor(data: pd.DataFrame) -> np.ndarray:
    model = semopy.Model("f =~ " + " + ".join(data.columns))
    model.fit(data)
    est = model.inspect(std_est=True)
    rows = est[(est["op"] == "~") & (est["rval"] == "f")]
    return rows.set_index("lval").loc[list(data.columns), "Est. Std"].to_numpy(dtype=float)


@pytest.mark.parametrize("items", [["x1", "x2", "x3", "x4"], ["x4", "x5", "x6", "x7"],
                                   HS_ITEMS])
def test_omega_loadings_match_semopy_ml(hs: pd.DataFrame, items: list[str]) -> None:
    data = hs[items]
    result = omega_total(data)
    reference = _semopy_one_factor(data)  # semopy: independent ML estimate
    assert result.converged
    assert result.loadings["loading"].to_numpy() == pytest.approx(reference, abs=2e-3)
    expected = reference.sum() ** 2 / (reference.sum() ** 2 + (1 - reference ** 2).sum())
    assert result.omega == pytest.approx(expected, abs=1e-3)


def test_omega_of_parallel_items_is_alpha() -> None:
    # For parallel items (equal loadings and uniquenesses) omega equals standardized alpha
    k, lam = 5, 0.7
    corr = np.full((k, k), lam ** 2) + np.eye(k) * (1 - lam ** 2)
    omega, _ = quality._omega_from_cov(corr)
    assert omega == pytest.approx(standardized_alpha(corr), abs=1e-4)


def test_standardized_alpha_is_alpha_of_z_scores(likert: pd.DataFrame) -> None:
    z = (likert - likert.mean()) / likert.std()
    expected, _ = pingouin.cronbach_alpha(z)
    assert standardized_alpha(np.cov(likert.to_numpy(float), rowvar=False)) == \
        pytest.approx(expected)


def test_omega_needs_three_items(hs: pd.DataFrame) -> None:
    result = omega_total(hs[["x1", "x2"]])
    assert np.isnan(result.omega) and not result.converged


# --------------------------------------------------------------------------- discrimination


def test_discrimination_r_drop_matches_psych(likert: pd.DataFrame) -> None:
    # R psych::alpha r.drop on pingouin's cronbach_alpha dataset (domain.md)
    psych = [.5748, .5678, .5214, .4176, -.1076, -.1572, .2610, .0922, .4434, .4337]
    table = item_discrimination(likert)
    assert table["r_drop"].round(4).tolist() == psych
    assert table["usable"].tolist() == [r >= 0.2 for r in psych]


def test_discrimination_t_is_scipy_student_t_on_27_percent_groups() -> None:
    rng = np.random.default_rng(3)
    trait = rng.normal(size=200)
    data = pd.DataFrame({f"q{j}": np.clip(np.round(3 + trait + rng.normal(size=200)), 1, 5)
                         for j in range(6)})
    data.iloc[5, 2] = np.nan  # listwise: this respondent is left out
    table = item_discrimination(data)
    complete = data.dropna()
    total = complete.sum(axis=1)
    g = round(0.27 * len(complete))  # 199 → 54
    order = total.sort_values(kind="stable").index
    low, high = complete.loc[order[:g]], complete.loc[order[-g:]]
    for j, row in table.iterrows():
        ref = stats.ttest_ind(high.iloc[:, j], low.iloc[:, j], equal_var=True)
        assert row["t"] == pytest.approx(ref.statistic)
        assert row["p"] == pytest.approx(ref.pvalue)
        assert row["df"] == 2 * g - 2
    assert (table["n"] == 199).all() and (table["n_group"] == 54).all()


# --------------------------------------------------------------------------- KMO / Bartlett


def test_kmo_bartlett_match_factor_analyzer(hs: pd.DataFrame) -> None:
    data = hs[HS_ITEMS]
    table = kmo_bartlett(data)
    per_item, overall = calculate_kmo(data)
    chi2, p = calculate_bartlett_sphericity(data)
    assert table["kmo"].iloc[:-1].to_numpy() == pytest.approx(per_item)
    last = table.iloc[-1]
    assert last["item"] == "overall" and last["kmo"] == pytest.approx(overall)
    assert last["bartlett_chi2"] == pytest.approx(chi2)
    assert last["bartlett_p"] == pytest.approx(p, rel=1e-6)
    assert last["bartlett_df"] == 36 and last["kmo_label"] == "middling"  # 0.752, Kaiser 1974


def test_kmo_of_a_singular_matrix_is_a_clear_error() -> None:
    data = pd.DataFrame({"a": [1, 2, 3, 4.0], "b": [2, 4, 6, 8.0], "c": [1, 0, 1, 0.0]})
    with pytest.raises(CleannetError, match="singular"):
        kmo_bartlett(data)


# --------------------------------------------------------------------------- CFA


def test_cfa_reproduces_lavaan_tutorial(hs: pd.DataFrame) -> None:
    result = confirmatory_factor_analysis(hs, HS_MODEL)
    fit = result.fit.iloc[0]
    assert result.notes == [] and result.fitted
    assert fit["n"] == 301 and fit["df"] == 24
    assert round(fit["chi2"], 3) == 85.306
    assert round(fit["cfi"], 3) == 0.931
    assert round(fit["tli"], 3) == 0.896
    assert round(fit["rmsea"], 3) == 0.092
    assert (round(fit["rmsea_low"], 3), round(fit["rmsea_high"], 3)) == (0.071, 0.114)
    assert round(fit["srmr"], 3) == 0.065
    lavaan_std = [.772, .424, .581, .852, .855, .838, .570, .723, .665]
    assert result.loadings["item"].tolist() == HS_ITEMS
    assert result.loadings["std_loading"].to_numpy() == pytest.approx(lavaan_std, abs=1.5e-3)
    assert result.loadings["factor"].tolist()[::3] == ["visual", "textual", "speed"]


def test_cfa_fit_indices_agree_with_semopy_calc_stats(hs: pd.DataFrame) -> None:
    desc = "\n".join(f"{k} =~ " + " + ".join(v) for k, v in HS_MODEL.items())
    model = semopy.Model(desc)
    model.fit(hs[HS_ITEMS])
    reference = semopy.calc_stats(model).iloc[0]
    fit = confirmatory_factor_analysis(hs, HS_MODEL).fit.iloc[0]
    assert fit["chi2"] == pytest.approx(reference["chi2"], rel=1e-4)
    assert fit["cfi"] == pytest.approx(reference["CFI"], rel=1e-4)
    assert fit["tli"] == pytest.approx(reference["TLI"], rel=1e-4)


def test_rmsea_interval_brackets_by_noncentral_chi2() -> None:
    low = cfa._ncp(85.306, 24, 0.95)
    high = cfa._ncp(85.306, 24, 0.05)
    assert stats.ncx2.cdf(85.306, 24, low) == pytest.approx(0.95, abs=1e-8)
    assert stats.ncx2.cdf(85.306, 24, high) == pytest.approx(0.05, abs=1e-8)
    assert cfa._ncp(10.0, 24, 0.95) == 0.0  # χ² below df: the interval starts at 0


def test_fit_reading_uses_hu_bentler_cutoffs(hs: pd.DataFrame) -> None:
    reading = fit_reading(confirmatory_factor_analysis(hs, HS_MODEL).fit)
    assert reading["index"].tolist() == ["cfi", "tli", "rmsea", "srmr"]
    assert reading["meets"].tolist() == [False, False, False, True]


def test_cfa_notes_small_factors_instead_of_failing(hs: pd.DataFrame) -> None:
    model = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5"], "speed": ["x7"]}
    result = confirmatory_factor_analysis(hs, model)
    assert any("'speed' has 1 item(s): left out" in n for n in result.notes)
    assert any("'textual' has only 2 items" in n for n in result.notes)
    assert result.fitted and set(result.loadings["factor"]) == {"visual", "textual"}


@pytest.mark.parametrize(("data", "note"), [
    (lambda hs: hs.head(6), "respondents answered every item"),
    (lambda hs: hs.assign(x2=1.0), "have one answer only"),
])
def test_cfa_that_cannot_be_fitted_is_a_note(hs: pd.DataFrame, data, note: str) -> None:
    result = confirmatory_factor_analysis(data(hs), HS_MODEL)
    assert not result.fitted and any(note in n for n in result.notes)
    assert result.fit["chi2"].isna().all() and result.loadings.empty


def test_cfa_of_a_single_two_item_factor_is_a_note(hs: pd.DataFrame) -> None:
    result = confirmatory_factor_analysis(hs, {"visual": ["x1", "x2"]})
    assert not result.fitted and result.notes


def test_cfa_missing_column_is_a_clear_error(hs: pd.DataFrame) -> None:
    with pytest.raises(CleannetError, match="not in the data: x99"):
        confirmatory_factor_analysis(hs, {"visual": ["x1", "x2", "x99"]})


def test_instrument_cfa_reverse_scores_first() -> None:
    survey = _survey(600)
    result = instrument_cfa(survey, INST)
    assert result.fitted
    assert (result.loadings["std_loading"] > 0.4).all()  # reverse items turned round
    assert result.fit["df"].iloc[0] == 23 * 24 / 2 - (2 * 23 - 5 + 15)


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("nan_policy", ["pairwise", "listwise"])
def test_reliability_table_agrees_with_alpha_and_omega(nan_policy: str) -> None:
    survey = _survey()
    table = reliability_table(survey, INST, nan_policy=nan_policy).set_index("factor")
    alphas = factor_reliability(survey, INST, nan_policy=nan_policy).set_index("factor")
    assert table["alpha"].to_numpy() == pytest.approx(alphas["alpha"].to_numpy())
    assert table["ci_low"].to_numpy() == pytest.approx(alphas["ci_low"].to_numpy())
    matrix = pd.DataFrame(item_matrix(survey, INST), columns=INST.item_codes)
    for factor in INST.factors:
        codes = [i.code for i in factor.items]
        expected = omega_total(matrix[codes], nan_policy=nan_policy).omega
        assert table.loc[factor.key, "omega"] == pytest.approx(expected)
        assert table.loc[factor.key, "omega_converged"]


def test_item_analysis_matches_item_total_and_omega_without_the_item() -> None:
    survey = _survey()
    table = item_analysis(survey, INST).set_index("item")
    matrix = pd.DataFrame(item_matrix(survey, INST), columns=INST.item_codes)
    for factor in INST.factors:
        codes = [i.code for i in factor.items]
        reference = item_total(matrix[codes])
        assert table.loc[codes, "r_drop"].to_numpy() == pytest.approx(
            reference["r_drop"].to_numpy())
        assert table.loc[codes, "alpha_if_deleted"].to_numpy() == pytest.approx(
            reference["alpha_if_deleted"].to_numpy())
        for code in codes:
            rest = [c for c in codes if c != code]
            expected = omega_total(matrix[rest]).omega if len(rest) >= 3 else np.nan
            assert table.loc[code, "omega_if_deleted"] == pytest.approx(expected, nan_ok=True)
            assert table.loc[code, "n"] == int(survey[code].notna().sum())


def test_reliability_table_does_not_modify_its_input() -> None:
    survey = _survey(50)
    before = survey.copy()
    reliability_table(survey, INST)
    item_analysis(survey, INST)
    pd.testing.assert_frame_equal(survey, before)


def test_module_examples_hold() -> None:
    for module in (quality, sample, cfa):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        assert result.attempted > 0


def test_instrument_reliability_is_both_tables_in_one_pass() -> None:
    survey = _survey()
    factors, items = instrument_reliability(survey, INST)
    pd.testing.assert_frame_equal(factors, reliability_table(survey, INST))
    pd.testing.assert_frame_equal(items, item_analysis(survey, INST))


def test_sample_adequacy_hides_exactly_what_the_disclosure_pattern_hides() -> None:
    # One publishing rule (issue 10): a unit's responses show only where the dataset's pattern
    # publishes its cell, so no difference of this table and another output gives a small unit.
    from cleannet_eval.disclosure import disclosure

    units = pd.DataFrame({"unit": ["A", "B", "C"], "fiscal_year": 2551,
                          "headcount": [100, 40, 60]})
    survey = pd.DataFrame({"unit": ["A"] * 85 + ["B"] * 3 + ["C"] * 10, "fiscal_year": 2551,
                           "staff_type": "civil_servant", "role": "member"})
    pattern = disclosure(survey, 5).respondents
    table = sample_adequacy(survey, units, disclosure_pattern=pattern)
    for row in table.itertuples(index=False):
        assert row.suppressed == (not pattern.is_published(fiscal_year=2551, unit=row.unit))
        assert pd.isna(row.responses) == row.suppressed
    assert table.set_index("unit")["suppressed"].to_dict() == {
        "A": False, "B": True, "C": True, None: False}
    # a pattern that does not know unit C (another dataset's) never lets C's answers show
    other = disclosure(survey[survey["unit"] != "C"], 5).respondents
    hidden = sample_adequacy(survey, units, disclosure_pattern=other).set_index("unit")
    assert bool(hidden.loc["C", "suppressed"]) and pd.isna(hidden.loc["C", "responses"])
