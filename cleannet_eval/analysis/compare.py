"""Comparisons: between groups (unit, staff type, role, fiscal year) and from one year to the next.

Only groups whose results are published take part: a group the dataset's disclosure pattern
hides (:mod:`cleannet_eval.disclosure`, the same as every table) is left out of the test, so a
test statistic or a change cannot reveal anything about it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..calendar import years_with_data
from ..disclosure import PUBLISHED, Disclosure
from ..errors import CleannetError
from ..instruments import Instrument
from ..shared import memoized
from .confidentiality import SUPPRESSED
from .grouping import check_by, describe_groups
from .scoring import (
    OVERALL,
    OVERALL_NAMES,
    measure_statuses,
    pattern_for,
    resolve_instrument,
    score_respondents,
)
from .selection import check_choice

#: Accepted ``method`` values of :func:`compare_groups`.
METHODS: tuple[str, ...] = ("welch", "kruskal")

_COMPARE_COLUMNS = (
    "factor", "name_th", "name_en", "by", "groups", "n", "test", "statistic", "df1", "df2",
    "p_value", "effect_size", "effect_size_name", "contrast", "excluded_groups", "note",
)


def welch_t(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Welch's t-test of two independent samples and Hedges' g (``x − y``).

    Returns
    -------
    dict
        ``statistic, df, p_value, hedges_g``.

    Notes
    -----
    :math:`t = (\\bar x - \\bar y) / \\sqrt{s_x^2/n_x + s_y^2/n_y}` with Welch–Satterthwaite
    degrees of freedom (``scipy.stats.ttest_ind(equal_var=False)``). Hedges' g is Cohen's d on
    the pooled standard deviation times the small-sample correction,
    :math:`g = \\frac{\\bar x - \\bar y}{s_p}\\left(1 - \\frac{3}{4(n_x + n_y) - 9}\\right)`,
    :math:`s_p^2 = \\frac{(n_x - 1)s_x^2 + (n_y - 1)s_y^2}{n_x + n_y - 2}`.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. Biometrika, 34(1–2), 28–35.
    .. [2] Hedges, L. V. & Olkin, I. (1985). Statistical Methods for Meta-Analysis. Academic.

    Examples
    --------
    >>> r = welch_t(np.array([4.0, 4.2, 4.4, 4.6]), np.array([3.0, 3.4, 3.8, 4.2, 4.6]))
    >>> round(r["statistic"], 3), round(r["hedges_g"], 3)
    (1.608, 0.876)
    """
    nx, ny = len(x), len(y)
    out = {"statistic": np.nan, "df": np.nan, "p_value": np.nan, "hedges_g": np.nan}
    if nx < 2 or ny < 2:
        return out
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.ttest_ind(x, y, equal_var=False)
        pooled = np.sqrt(((nx - 1) * x.var(ddof=1) + (ny - 1) * y.var(ddof=1)) / (nx + ny - 2))
        d = (x.mean() - y.mean()) / pooled
    out.update(
        statistic=float(res.statistic), df=float(res.df), p_value=float(res.pvalue),
        hedges_g=float(d * (1 - 3 / (4 * (nx + ny) - 9))),
    )
    return out


def welch_anova(groups: Sequence[np.ndarray]) -> dict[str, float]:
    """Welch's one-way ANOVA for unequal variances, with eta squared.

    Returns
    -------
    dict
        ``statistic`` (F), ``df1``, ``df2``, ``p_value``, ``eta_squared``; ``NaN`` when a group
        has fewer than 2 values or no variance (the weights are undefined).

    Notes
    -----
    With :math:`w_i = n_i / s_i^2`, :math:`W = \\sum w_i`,
    :math:`\\tilde x = \\sum w_i \\bar x_i / W` and *k* groups:

    .. math::
        \\Lambda = \\frac{3}{k^2 - 1}\\sum_i \\frac{(1 - w_i/W)^2}{n_i - 1},\\quad
        F = \\frac{\\sum_i w_i (\\bar x_i - \\tilde x)^2 / (k - 1)}
                  {1 + 2\\Lambda (k - 2)/3},

    on :math:`k - 1` and :math:`1/\\Lambda` degrees of freedom. Effect size
    :math:`\\eta^2 = SS_{between} / SS_{total}` (from the ordinary sums of squares).

    References
    ----------
    .. [1] Welch, B. L. (1951). On the comparison of several mean values: an alternative
       approach. Biometrika, 38(3/4), 330–336.
    .. [2] Vallat, R. (2018). Pingouin (``welch_anova``, ``np2``). JOSS, 3(31), 1026.

    Examples
    --------
    >>> g = [np.array([1.0, 2, 3, 4]), np.array([2.0, 3, 4, 6]), np.array([4.0, 5, 5, 7])]
    >>> round(welch_anova(g)["statistic"], 3)
    4.194
    """
    k = len(groups)
    out = {"statistic": np.nan, "df1": float(k - 1), "df2": np.nan, "p_value": np.nan,
           "eta_squared": np.nan}
    n = np.array([len(g) for g in groups], dtype="float64")
    if k < 2 or (n < 2).any():
        return out
    means = np.array([g.mean() for g in groups])
    var = np.array([g.var(ddof=1) for g in groups])
    everything = np.concatenate(groups)
    ss_total = ((everything - everything.mean()) ** 2).sum()
    ss_between = (n * (means - everything.mean()) ** 2).sum()
    if ss_total > 0:
        out["eta_squared"] = float(ss_between / ss_total)
    if (var <= 0).any():
        return out
    w = n / var
    total_w = w.sum()
    adjusted = (w * means).sum() / total_w
    lam = 3 * ((1 - w / total_w) ** 2 / (n - 1)).sum() / (k**2 - 1)
    f_value = (w * (means - adjusted) ** 2).sum() / (k - 1) / (1 + 2 * lam * (k - 2) / 3)
    out.update(statistic=float(f_value), df2=float(1 / lam),
               p_value=float(stats.f.sf(f_value, k - 1, 1 / lam)))
    return out


def kruskal_wallis(groups: Sequence[np.ndarray]) -> dict[str, float]:
    """Kruskal–Wallis H test with epsilon squared.

    Returns
    -------
    dict
        ``statistic`` (H, tie-corrected), ``df1`` (k − 1), ``p_value``, ``epsilon_squared``.

    Notes
    -----
    H from ``scipy.stats.kruskal``; :math:`\\varepsilon^2 = H / \\frac{n^2 - 1}{n + 1}
    = H / (n - 1)` with *n* all observations.

    References
    ----------
    .. [1] Kruskal, W. H. & Wallis, W. A. (1952). Use of ranks in one-criterion variance
       analysis. JASA, 47(260), 583–621.
    .. [2] Tomczak, M. & Tomczak, E. (2014). The need to report effect size estimates
       revisited. Trends in Sport Sciences, 1(21), 19–25.

    Examples
    --------
    >>> g = [np.array([1.0, 2, 3, 4]), np.array([2.0, 3, 4, 6]), np.array([4.0, 5, 5, 7])]
    >>> round(kruskal_wallis(g)["epsilon_squared"], 3)
    0.477
    """
    k = len(groups)
    out = {"statistic": np.nan, "df1": float(k - 1), "p_value": np.nan,
           "epsilon_squared": np.nan}
    n = sum(len(g) for g in groups)
    if k < 2 or any(len(g) == 0 for g in groups):
        return out
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            h, p = stats.kruskal(*groups)
    except ValueError:  # every value identical (older scipy)
        return out
    if not np.isfinite(h):  # every value identical
        return out
    out.update(statistic=float(h), p_value=float(p), epsilon_squared=float(h / (n - 1)))
    return out


def _hidden(survey: pd.DataFrame, scores: pd.DataFrame, keys: list[str], by: list[str],
            long: pd.DataFrame, disc: Disclosure, inst: Instrument,
            min_answered: float | None, nan_policy: str) -> np.ndarray:
    """Which rows of a long group × factor table the disclosure pattern hides."""
    def make(full: pd.DataFrame) -> pd.DataFrame:
        return score_respondents(full, inst, min_answered=min_answered,
                                 nan_policy=nan_policy, keep=())[keys].notna()

    status = measure_statuses(survey, scores[keys].notna(), by, long, disc,
                       f"factor:{inst.id}:{min_answered}:{nan_policy}:{','.join(keys)}", make)
    return np.asarray(status != PUBLISHED, dtype=bool)


def _names(inst: Instrument) -> dict[str, tuple[str, str]]:
    names = {f.key: (f.name_th, f.name_en) for f in inst.factors}
    names[OVERALL] = (OVERALL_NAMES["th"], OVERALL_NAMES["en"])
    return names


def compare_groups(
    survey: pd.DataFrame,
    by: str,
    instrument: Instrument | str | Path | None = None,
    *,
    method: str = "welch",
    factors: Sequence[str] | None = None,
    min_group_size: int | None = None,
    min_answered: float | None = None,
    nan_policy: str = "omit",
    disclosure: Disclosure | None = None,
) -> pd.DataFrame:
    """Test whether factor scores differ between groups, with an effect size.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    by
        The grouping column: ``unit``, ``staff_type``, ``role`` or ``fiscal_year``.
    instrument
        Instrument object, shipped name or YAML path.
    method
        ``"welch"`` (default): Welch's t-test with Hedges' g for two groups, Welch's ANOVA with
        eta² for three or more. ``"kruskal"``: Kruskal–Wallis H with epsilon² (any number of
        groups; for ordinal scores or skewed data).
    factors
        Factor keys (and/or ``"overall"``); default every factor, then ``overall``.
    min_group_size
        Groups hidden in the published table (primary or secondary suppression) are left out;
        default ``config.MIN_GROUP_SIZE``.
    min_answered, nan_policy
        Respondent scoring, see :func:`~.scoring.score_respondents`.
    disclosure
        The disclosure pattern of the dataset ``survey`` belongs to (e.g. when ``survey`` is
        one fiscal year of it); default ``survey`` as a dataset of its own.

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor, name_th, name_en, by, groups, n, test, statistic, df1,
        df2, p_value, effect_size, effect_size_name, contrast, excluded_groups, note``.
        ``test`` is ``welch_t``, ``welch_anova`` or ``kruskal``; ``contrast`` names the
        direction of Hedges' g (``"A − B"``, the first group in sorted order minus the second);
        ``excluded_groups`` counts groups left out (hidden, or missing group value).

    Raises
    ------
    CleannetError
        ``by`` is not a grouping column of the survey; unknown factor key.
    ConfigError
        Unknown ``method``.

    Notes
    -----
    Respondents with no group value are left out. With fewer than two published groups
    nothing is tested (``note`` says why). See :func:`welch_t`, :func:`welch_anova`,
    :func:`kruskal_wallis` for the formulas.

    References
    ----------
    .. [1] Delacre, M., Lakens, D. & Leys, C. (2017). Why psychologists should by default use
       Welch's t-test instead of Student's t-test. International Review of Social Psychology,
       30(1), 92–101.

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 2 + (i % 3) + (i < 6) for c in inst.item_codes} | {"role": r}
    ...         for i, r in enumerate(["leader"] * 6 + ["member"] * 6)]
    >>> s = pd.DataFrame(rows).astype({c: "Int64" for c in inst.item_codes})
    >>> compare_groups(s, "role", inst, factors=["personnel"])[["test", "groups", "contrast"]]
          test  groups         contrast
    0  welch_t       2  leader − member
    """
    inst = resolve_instrument(instrument)
    if not isinstance(by, str):
        raise CleannetError("compare_groups compares the groups of one column; got a list")
    by_cols = check_by(survey, by)
    check_choice("method", method, METHODS)
    names = _names(inst)
    keys = [f.key for f in inst.factors] + [OVERALL] if factors is None else list(factors)
    for key in keys:
        if key not in names:
            raise CleannetError(
                f"Unknown factor {key!r}. Valid: {', '.join(names)}"
            )
    scores = score_respondents(survey, inst, min_answered=min_answered, nan_policy=nan_policy,
                               keep=by_cols)
    long = describe_groups(scores, keys, by_cols, 0.95)
    disc = pattern_for(survey, disclosure, min_group_size)
    long[SUPPRESSED] = _hidden(survey, scores, keys, by_cols, long, disc, inst, min_answered,
                               nan_policy)
    rows = []
    for key in keys:
        cells = long[long["factor"] == key]
        shown = cells[~cells[SUPPRESSED] & cells[by].notna() & (cells["n"] > 0)]
        labels = list(shown[by])
        values = scores[[by, key]].dropna()
        groups = [values.loc[values[by] == label, key].to_numpy(dtype="float64")
                  for label in labels]
        row = {
            "factor": key, "name_th": names[key][0], "name_en": names[key][1], "by": by,
            "groups": len(groups), "n": int(sum(len(g) for g in groups)), "test": None,
            "statistic": np.nan, "df1": np.nan, "df2": np.nan, "p_value": np.nan,
            "effect_size": np.nan, "effect_size_name": None, "contrast": None,
            "excluded_groups": int(len(cells) - len(shown)), "note": None,
        }
        if len(groups) < 2:
            row["note"] = "fewer than 2 groups large enough to show"
        elif method == "kruskal":
            res = kruskal_wallis(groups)
            row.update(test="kruskal", statistic=res["statistic"], df1=res["df1"],
                       p_value=res["p_value"], effect_size=res["epsilon_squared"],
                       effect_size_name="epsilon_squared")
        elif len(groups) == 2:
            res = welch_t(groups[0], groups[1])
            row.update(test="welch_t", statistic=res["statistic"], df1=1.0, df2=res["df"],
                       p_value=res["p_value"], effect_size=res["hedges_g"],
                       effect_size_name="hedges_g",
                       contrast=f"{_label(labels[0])} − {_label(labels[1])}")
        else:
            res = welch_anova(groups)
            row.update(test="welch_anova", statistic=res["statistic"], df1=res["df1"],
                       df2=res["df2"], p_value=res["p_value"], effect_size=res["eta_squared"],
                       effect_size_name="eta_squared")
        if row["test"] and np.isnan(row["statistic"]):
            row["note"] = "test undefined (a group has no variance or all values are equal)"
        rows.append(row)
    return pd.DataFrame(rows, columns=list(_COMPARE_COLUMNS))


def _label(value: object) -> str:
    if isinstance(value, (int, np.integer)) or (
        isinstance(value, float) and float(value).is_integer()
    ):
        return str(int(value))
    return str(value)


@memoized
def change_between_years(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    from_year: int = 2550,
    to_year: int = 2551,
    by: str | None = None,
    factors: Sequence[str] | None = None,
    min_group_size: int | None = None,
    min_answered: float | None = None,
    nan_policy: str = "omit",
    disclosure: Disclosure | None = None,
) -> pd.DataFrame:
    """The change in factor scores from one fiscal year to another, with Welch's t and Hedges' g.

    Parameters
    ----------
    survey
        The processed survey table (not modified); ``fiscal_year`` in Buddhist Era.
    instrument
        Instrument object, shipped name or YAML path.
    from_year, to_year
        The fiscal years (BE) compared; default FY2550 → FY2551.
    by
        ``None`` for the whole department, or a grouping column (``unit``, ``staff_type``,
        ``role``): one row per group and factor, for groups with data in both years.
    factors
        Factor keys (and/or ``"overall"``); default all factors then ``overall``.
    min_group_size
        Minimum group size; default ``config.MIN_GROUP_SIZE``.
    min_answered, nan_policy
        Respondent scoring, see :func:`~.scoring.score_respondents`.
    disclosure
        The dataset's disclosure pattern; default ``survey`` as a dataset of its own.

    Returns
    -------
    pandas.DataFrame
        Columns: ``by`` (if given), ``factor, name_th, name_en, n_from, mean_from, sd_from,
        n_to, mean_to, sd_to, change, statistic, df, p_value, hedges_g, suppressed``.
        ``change = mean_to − mean_from``; ``hedges_g`` is signed the same way.

    Raises
    ------
    CleannetError
        No ``fiscal_year`` column, or either year has no survey data (lists the years with
        data).

    Notes
    -----
    The two years' respondents are treated as independent samples (a respondent code is not
    assumed to follow a person across years), so the test is Welch's t (:func:`welch_t`).
    A row is hidden when the dataset's disclosure pattern hides either year's cell (the same
    cells as ``factor_table(by=["fiscal_year", by])``), and then shows no number at all (the
    change would give one away).

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 3 + (i % 2) + (y == 2551) for c in inst.item_codes} | {"fiscal_year": y}
    ...         for y in (2550, 2551) for i in range(6)]
    >>> s = pd.DataFrame(rows).astype("Int64")
    >>> change_between_years(s, inst, factors=["personnel"])[["mean_from", "mean_to", "change"]]
       mean_from  mean_to  change
    0        3.5      4.5     1.0
    """
    inst = resolve_instrument(instrument)
    if "fiscal_year" not in survey.columns:
        raise CleannetError("The survey table has no 'fiscal_year' column")
    years = years_with_data(survey)
    for year in (from_year, to_year):
        if year not in years:
            valid = ", ".join(map(str, years)) or "none"
            raise CleannetError(
                f"Fiscal year {year} has no survey data. Years with data: {valid}"
            )
    group_cols = check_by(survey, by)
    if "fiscal_year" in group_cols:
        raise CleannetError("change_between_years already compares fiscal years; use another by")
    names = _names(inst)
    keys = [f.key for f in inst.factors] + [OVERALL] if factors is None else list(factors)
    for key in keys:
        if key not in names:
            raise CleannetError(f"Unknown factor {key!r}. Valid: {', '.join(names)}")
    cols = ["fiscal_year", *group_cols]
    scores = score_respondents(survey, inst, min_answered=min_answered, nan_policy=nan_policy,
                               keep=cols)
    dated = scores["fiscal_year"].notna().to_numpy()
    scores, dated_survey = scores[dated], survey[dated]
    long = describe_groups(scores, keys, cols, 0.95)
    disc = pattern_for(survey, disclosure, min_group_size)
    long[SUPPRESSED] = _hidden(dated_survey, scores, keys, cols, long, disc, inst,
                               min_answered, nan_policy)
    long["fiscal_year"] = long["fiscal_year"].astype("int64")
    before = long[long["fiscal_year"] == from_year].drop(columns="fiscal_year")
    after = long[long["fiscal_year"] == to_year].drop(columns="fiscal_year")
    pairs = before.merge(after, on=[*group_cols, "factor"], suffixes=("_from", "_to"))
    rows = []
    for pair in pairs.to_dict("records"):
        key = pair["factor"]
        hidden = bool(pair[f"{SUPPRESSED}_from"] or pair[f"{SUPPRESSED}_to"])
        row = {c: pair[c] for c in group_cols}
        row.update(factor=key, name_th=names[key][0], name_en=names[key][1])
        if hidden:
            row.update({c: np.nan for c in ("n_from", "mean_from", "sd_from", "n_to", "mean_to",
                                            "sd_to", "change", "statistic", "df", "p_value",
                                            "hedges_g")})
        else:
            def sample(year: int, pair: dict = pair, key: str = key) -> np.ndarray:
                mask = scores["fiscal_year"] == year
                for c in group_cols:
                    mask &= scores[c] == pair[c]
                return scores.loc[mask, key].dropna().to_numpy(dtype="float64")

            res = welch_t(sample(to_year), sample(from_year))
            row.update(
                n_from=pair["n_from"], mean_from=pair["mean_from"], sd_from=pair["sd_from"],
                n_to=pair["n_to"], mean_to=pair["mean_to"], sd_to=pair["sd_to"],
                change=pair["mean_to"] - pair["mean_from"], statistic=res["statistic"],
                df=res["df"], p_value=res["p_value"], hedges_g=res["hedges_g"],
            )
        row[SUPPRESSED] = hidden
        rows.append(row)
    columns = [*group_cols, "factor", "name_th", "name_en", "n_from", "mean_from", "sd_from",
               "n_to", "mean_to", "sd_to", "change", "statistic", "df", "p_value", "hedges_g",
               SUPPRESSED]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("n_from", "n_to"):
        out[col] = out[col].astype("Int64")
    return out
