"""Instrument quality: expert congruence (IOC), omega, item discrimination, KMO and Bartlett.

One function per statistic, each returning plain numbers or a tidy table; the tests check them
against R-equivalent references (factor_analyzer, semopy, scipy, pingouin, published tables).
Sample size and margin of error are in :mod:`.sample`, the confirmatory factor analysis in
:mod:`.cfa`.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import linalg, optimize, stats

from ..errors import CleannetError, ConfigError
from ..instruments import Instrument
from .reliability import (
    ALPHA_NAN_POLICIES,
    alpha_from_covariance,
    alpha_quality,
    apply_nan_policy,
    as_item_matrix,
    covariance,
    feldt_interval,
    pairwise_covariances,
)
from .scoring import item_blocks, resolve_instrument, single_blas_thread

logger = logging.getLogger(__name__)

#: IOC at or above which an item is kept (Rovinelli & Hambleton 1977).
IOC_KEEP = 0.5
#: Share of respondents in each of the upper and lower groups of :func:`item_discrimination`.
EXTREME_GROUP_SHARE = 0.27
#: The ratings an expert may give in an item–objective congruence review.
IOC_RATINGS: tuple[int, ...] = (1, 0, -1)


# --------------------------------------------------------------------------- IOC


def ioc(ratings: pd.DataFrame, *, keep_at: float = IOC_KEEP) -> pd.DataFrame:
    """Item–objective congruence: the mean expert rating of each item.

    Parameters
    ----------
    ratings
        One row per item (the index, or a column named ``item``), one column per expert,
        values +1 (congruent), 0 (unsure) or −1 (not congruent); missing = not rated.
        Not modified.
    keep_at
        The IOC at or above which an item is kept (default 0.50).

    Returns
    -------
    pandas.DataFrame
        One row per item, in input order: ``item``, ``experts`` (ratings given), ``sum``,
        ``ioc`` (``sum / experts``) and ``keep`` (``ioc >= keep_at``).

    Raises
    ------
    CleannetError
        A rating other than +1, 0 or −1, or no expert column.

    Notes
    -----
    .. math:: IOC_i = \\frac{\\sum_{e=1}^{N} R_{ie}}{N}

    with :math:`R_{ie} \\in \\{+1, 0, -1\\}` the rating of item *i* by expert *e* and *N* the
    number of experts who rated it. An item is kept when :math:`IOC \\ge 0.50`.

    References
    ----------
    .. [1] Rovinelli, R. J. & Hambleton, R. K. (1977). On the use of content specialists in
       the assessment of criterion-referenced test item validity. Dutch Journal of
       Educational Research, 2, 49–60.

    Examples
    --------
    >>> r = pd.DataFrame({"e1": [1, 1, -1], "e2": [1, 0, 0], "e3": [1, 1, 0]},
    ...                  index=pd.Index(["Q1", "Q2", "Q3"], name="item"))
    >>> ioc(r)
      item  experts  sum       ioc   keep
    0   Q1        3    3  1.000000   True
    1   Q2        3    2  0.666667   True
    2   Q3        3   -1 -0.333333  False
    """
    table = ratings.set_index("item") if "item" in ratings.columns else ratings
    if table.shape[1] == 0:
        raise CleannetError("IOC needs at least one expert column (one column per expert)")
    values = table.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64",
                                                                  na_value=np.nan)
    given = table.notna().to_numpy()
    bad = given & ~np.isin(values, IOC_RATINGS)
    if bad.any():
        i, j = (int(x[0]) for x in np.nonzero(bad))
        raise CleannetError(
            f"IOC rating {str(table.iat[i, j])!r} of item {table.index[i]!r} by expert "
            f"{table.columns[j]!r}: expected +1, 0 or -1"
        )
    experts = (~np.isnan(values)).sum(axis=1)
    total = np.nansum(values, axis=1)
    return _ioc_table(table.index, experts, total, keep_at)


def _ioc_table(index: pd.Index, experts: np.ndarray, total: np.ndarray,
               keep_at: float) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(experts > 0, total / np.maximum(experts, 1), np.nan)
    return pd.DataFrame({
        "item": [str(i) for i in index],
        "experts": experts.astype("int64"),
        "sum": total.astype("int64"),
        "ioc": score,
        "keep": score >= keep_at,
    })


def expert_ratings(
    expert_review: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
) -> pd.DataFrame:
    """The processed expert review as :func:`ioc` takes it: items × experts.

    Parameters
    ----------
    expert_review
        The processed ``expert_review`` table (``item, expert, rating``); not modified.
    instrument
        When given, rows follow the instrument's item order (items not reviewed are left out).

    Returns
    -------
    pandas.DataFrame
        Index ``item``, one column per expert in the order first seen, values +1/0/−1.

    Examples
    --------
    >>> long = pd.DataFrame({"item": ["Q2", "Q2", "Q1", "Q1"], "expert": ["A", "B", "A", "B"],
    ...                      "rating": [1, 0, 1, 1]})
    >>> ioc(expert_ratings(long))["ioc"].tolist()
    [0.5, 1.0]
    """
    missing = [c for c in ("item", "expert", "rating") if c not in expert_review.columns]
    if missing:
        raise CleannetError(f"expert review table lacks column(s) {', '.join(missing)}")
    experts = list(dict.fromkeys(expert_review["expert"].astype(str)))
    items = list(dict.fromkeys(expert_review["item"].astype(str)))
    if instrument is not None:
        order = resolve_instrument(instrument).item_codes
        items = [c for c in order if c in set(items)] + [c for c in items if c not in order]
    wide = expert_review.assign(
        item=expert_review["item"].astype(str), expert=expert_review["expert"].astype(str),
        rating=pd.to_numeric(expert_review["rating"]).astype("float64"),
    ).pivot_table(index="item", columns="expert", values="rating", aggfunc="first")
    wide = wide.reindex(index=items, columns=experts)
    wide.index.name, wide.columns.name = "item", None
    return wide


# --------------------------------------------------------------------------- omega


class OneFactorFit(NamedTuple):
    """A one-factor maximum-likelihood model of a correlation matrix."""

    loadings: np.ndarray
    uniquenesses: np.ndarray
    converged: bool


class OmegaResult(NamedTuple):
    """McDonald's omega total, the model it comes from and the respondents it rests on."""

    omega: float
    n: int
    loadings: pd.DataFrame
    converged: bool


def _correlation(cov: np.ndarray) -> np.ndarray:
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / np.outer(sd, sd)


def one_factor_ml(corr: np.ndarray) -> OneFactorFit:
    """Fit one common factor to a correlation matrix by maximum likelihood.

    Parameters
    ----------
    corr
        ``(k, k)`` correlation matrix, ``k >= 3`` (with 2 items one factor is not identified).

    Returns
    -------
    OneFactorFit
        Standardized ``loadings`` (signed so that their sum is positive), ``uniquenesses``
        ``1 − λ²`` and whether the optimiser converged.

    Notes
    -----
    The uniquenesses :math:`\\psi` minimise the ML discrepancy
    :math:`F = \\ln|\\Sigma| + \\operatorname{tr}(R \\Sigma^{-1}) - \\ln|R| - k` with
    :math:`\\Sigma = \\lambda\\lambda^\\top + \\Psi`; for a given :math:`\\Psi` the loadings are
    :math:`\\Psi^{1/2} v \\sqrt{\\max(\\gamma - 1, 0)}` from the largest eigenvalue
    :math:`\\gamma` (vector :math:`v`) of :math:`\\Psi^{-1/2} R \\Psi^{-1/2}` (Jöreskog 1967; the
    algorithm of R ``factanal`` and of ``factor_analyzer``'s ``method="ml"``). L-BFGS-B with the
    analytic gradient, :math:`\\psi \\in [0.005, 1]`.

    References
    ----------
    .. [1] Jöreskog, K. G. (1967). Some contributions to maximum likelihood factor analysis.
       Psychometrika, 32(4), 443–482.
    """
    k = corr.shape[0]
    if k < 3 or not np.isfinite(corr).all():
        return OneFactorFit(np.full(k, np.nan), np.full(k, np.nan), False)

    def loadings_of(psi: np.ndarray) -> np.ndarray:
        root = np.sqrt(psi)
        scaled = corr / np.outer(root, root)
        gamma, vectors = linalg.eigh(scaled, subset_by_index=[k - 1, k - 1])
        return root * vectors[:, 0] * np.sqrt(max(gamma[0] - 1.0, 0.0))

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        lam = loadings_of(psi)
        sigma = np.outer(lam, lam) + np.diag(psi)
        sign, logdet = np.linalg.slogdet(sigma)
        if sign <= 0:
            return 1e10, np.zeros(k)
        inverse = np.linalg.inv(sigma)
        value = logdet + float(np.sum(inverse * corr))
        grad = np.diag(inverse @ (sigma - corr) @ inverse)
        return value, grad

    try:
        start = np.clip(1.0 - 1.0 / np.diag(np.linalg.inv(corr)), 0.005, 1.0)
        start = 1.0 - start  # 1 − SMC, the usual start (psych, factanal)
    except np.linalg.LinAlgError:
        start = np.full(k, 0.5)
    with single_blas_thread():  # tiny matrices: a second BLAS thread only waits for a core
        result = optimize.minimize(objective, np.clip(start, 0.005, 1.0), jac=True,
                                   method="L-BFGS-B", bounds=[(0.005, 1.0)] * k)
    lam = loadings_of(result.x)
    if lam.sum() < 0:
        lam = -lam
    return OneFactorFit(lam, 1.0 - lam ** 2, bool(result.success))


def _omega_from_loadings(lam: np.ndarray) -> float:
    if not np.isfinite(lam).all():
        return float("nan")
    common = lam.sum() ** 2
    return float(common / (common + (1.0 - lam ** 2).sum()))


def _omega_from_cov(cov: np.ndarray) -> tuple[float, OneFactorFit]:
    fit = one_factor_ml(_correlation(cov))
    return _omega_from_loadings(fit.loadings), fit


def omega_total(
    items: pd.DataFrame | np.ndarray,
    *,
    nan_policy: str = "pairwise",
) -> OmegaResult:
    """McDonald's omega total from a one-factor maximum-likelihood model.

    Parameters
    ----------
    items
        Wide table, one row per respondent and one column per item (already reverse-scored),
        ``NaN`` for a missing answer. At least 3 items.
    nan_policy
        ``"pairwise"`` (default) or ``"listwise"``, as in :func:`cronbach_alpha`.

    Returns
    -------
    OmegaResult
        ``omega``, ``n`` (respondents with any answer), ``loadings`` (one row per item:
        ``item, loading, uniqueness``) and ``converged``. ``omega`` is ``NaN`` with fewer than
        3 items or 2 usable respondents.

    Notes
    -----
    With standardized loadings :math:`\\lambda_i` and uniquenesses
    :math:`\\theta_i = 1 - \\lambda_i^2` of one common factor fitted to the item correlations
    by maximum likelihood (:func:`one_factor_ml`),

    .. math:: \\omega_t = \\frac{(\\sum_i \\lambda_i)^2}{(\\sum_i \\lambda_i)^2 + \\sum_i \\theta_i}

    the share of the variance of the (standardized) total that the common factor explains.
    Reverse-scored items must be turned round first: a negative loading lowers omega.

    References
    ----------
    .. [1] McDonald, R. P. (1999). Test Theory: A Unified Treatment. Erlbaum, ch. 6.
    .. [2] Hayes, A. F. & Coutts, J. J. (2020). Use omega rather than Cronbach's alpha for
       estimating reliability. But…. Communication Methods and Measures, 14(1), 1–24.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=500)
    >>> data = pd.DataFrame({f"q{i}": f * 0.8 + rng.normal(scale=0.6, size=500)
    ...                      for i in range(4)})
    >>> round(omega_total(data).omega, 2)
    0.85
    """
    values, names = as_item_matrix(items)
    used = apply_nan_policy(values, nan_policy)
    k = used.shape[1]
    n = int(np.count_nonzero((~np.isnan(values)).any(axis=1))) if k else 0
    if used.shape[0] < 2 or k < 3:
        empty = pd.DataFrame({"item": names, "loading": np.nan, "uniqueness": np.nan})
        return OmegaResult(float("nan"), n, empty, False)
    cov = covariance(used) if nan_policy == "pairwise" else np.cov(used, rowvar=False)
    omega, fit = _omega_from_cov(np.atleast_2d(cov))
    table = pd.DataFrame({"item": names, "loading": fit.loadings,
                          "uniqueness": fit.uniquenesses})
    return OmegaResult(omega, n, table, fit.converged)


def standardized_alpha(cov: np.ndarray) -> float:
    """Standardized alpha, :math:`k \\bar r / (1 + (k-1) \\bar r)`, from a covariance matrix.

    :math:`\\bar r` is the mean off-diagonal correlation (R ``psych``'s ``std.alpha``); it
    equals Cronbach's alpha of the z-scored items.

    Examples
    --------
    >>> round(standardized_alpha(np.array([[1.0, 0.5], [0.5, 1.0]])), 4)
    0.6667
    """
    k = cov.shape[0]
    if k < 2:
        return float("nan")
    corr = _correlation(cov)
    mean_r = (corr.sum() - np.trace(corr)) / (k * (k - 1))
    if not np.isfinite(mean_r):
        return float("nan")
    return float(k * mean_r / (1 + (k - 1) * mean_r))


# --------------------------------------------------------------------------- tables


def _factor_covariances(
    survey: pd.DataFrame, inst: Instrument, keys: Sequence[str], nan_policy: str,
) -> list[tuple[np.ndarray, int]]:
    """The covariance matrix (reverse-scored) and respondent count of every factor."""
    positions = {code: j for j, code in enumerate(inst.item_codes)}
    groups = [[positions[i.code] for i in inst.factor(key).items] for key in keys]
    if nan_policy == "pairwise":
        blocks = (block for _, block in item_blocks(survey, inst))
        return pairwise_covariances(blocks, len(positions), groups)
    out = []
    values = np.concatenate([b for _, b in item_blocks(survey, inst)]) if len(survey) else \
        np.empty((0, len(positions)))
    for cols in groups:
        sub = values[:, cols]
        n = int(np.count_nonzero((~np.isnan(sub)).any(axis=1)))
        complete = sub[~np.isnan(sub).any(axis=1)]
        cov = np.atleast_2d(np.cov(complete, rowvar=False)) if len(complete) >= 2 else \
            np.full((len(cols), len(cols)), np.nan)
        out.append((cov, n))
    return out


def _check_policy(nan_policy: str) -> None:
    if nan_policy not in ALPHA_NAN_POLICIES:
        raise ConfigError(
            f"Unknown nan_policy {nan_policy!r}. Valid: {', '.join(ALPHA_NAN_POLICIES)}"
        )


def reliability_table(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    nan_policy: str = "pairwise",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Reliability of every factor: alpha with its CI, standardized alpha and omega total.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    instrument
        Instrument object, shipped name or YAML path.
    nan_policy, ci
        As in :func:`cronbach_alpha`.

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor, name_th, name_en, items, n, alpha, ci_low, ci_high,
        alpha_std, omega, omega_converged, quality`` (George & Mallery's label of alpha).
        ``omega`` is ``NaN`` for a factor of fewer than 3 items.

    Notes
    -----
    One pass over the answers gives every factor's covariance matrix (pairwise by default);
    alpha, its Feldt CI, standardized alpha (:func:`standardized_alpha`) and omega
    (:func:`omega_total`) all come from it.

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 1 + (i + j % 3) % 5 for j, c in enumerate(inst.item_codes)}
    ...         for i in range(12)]
    >>> reliability_table(pd.DataFrame(rows), inst).columns.tolist()[4:11]
    ['n', 'alpha', 'ci_low', 'ci_high', 'alpha_std', 'omega', 'omega_converged']
    """
    inst = resolve_instrument(instrument)
    _check_policy(nan_policy)
    _check_ci(ci)
    keys = [f.key for f in inst.factors]
    return _factor_rows(inst, _factor_covariances(survey, inst, keys, nan_policy), ci)


def _check_ci(ci: float) -> None:
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ConfigError(f"ci must be a confidence level between 0 and 1, e.g. 0.95; got {ci!r}")


def _factor_rows(inst: Instrument, covs: list[tuple[np.ndarray, int]], ci: float
                 ) -> pd.DataFrame:
    rows = []
    for factor, (cov, n) in zip(inst.factors, covs, strict=True):
        k = cov.shape[0]
        alpha = alpha_from_covariance(cov) if n >= 2 else float("nan")
        low, high = feldt_interval(alpha, n, k, ci)
        omega, fit = _omega_from_cov(cov) if n >= 2 else (float("nan"), None)
        rows.append({
            "factor": factor.key, "name_th": factor.name_th, "name_en": factor.name_en,
            "items": k, "n": int(n), "alpha": alpha, "ci_low": low, "ci_high": high,
            "alpha_std": standardized_alpha(cov) if n >= 2 else float("nan"),
            "omega": omega, "omega_converged": bool(fit.converged) if fit else False,
            "quality": alpha_quality(alpha),
        })
    return pd.DataFrame(rows)


def _item_rows(inst: Instrument, covs: list[tuple[np.ndarray, int]], survey: pd.DataFrame
               ) -> pd.DataFrame:
    answered = {code: int(survey[code].notna().sum()) if code in survey else 0
                for code in inst.item_codes}
    rows = []
    for factor, (cov, _) in zip(inst.factors, covs, strict=True):
        k = cov.shape[0]
        for i, item in enumerate(factor.items):
            rest = [j for j in range(k) if j != i]
            sub = cov[np.ix_(rest, rest)]
            with np.errstate(invalid="ignore", divide="ignore"):
                r_drop = cov[i, rest].sum() / np.sqrt(cov[i, i] * sub.sum())
            rows.append({
                "factor": factor.key, "item": item.code, "reverse": item.reverse,
                "n": answered[item.code], "r_drop": float(r_drop),
                "alpha_if_deleted": alpha_from_covariance(sub) if len(rest) >= 2 else np.nan,
                "omega_if_deleted": _omega_from_cov(sub)[0] if len(rest) >= 3 else np.nan,
            })
    return pd.DataFrame(rows)


def instrument_reliability(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    nan_policy: str = "pairwise",
    ci: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`reliability_table` and :func:`item_analysis` from one pass over the answers.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The factor table and the item table, equal to what the two functions return.
    """
    inst = resolve_instrument(instrument)
    _check_policy(nan_policy)
    _check_ci(ci)
    covs = _factor_covariances(survey, inst, [f.key for f in inst.factors], nan_policy)
    return _factor_rows(inst, covs, ci), _item_rows(inst, covs, survey)


def item_analysis(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    nan_policy: str = "pairwise",
) -> pd.DataFrame:
    """Item–rest correlation, alpha and omega if the item is deleted, factor by factor.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    instrument
        Instrument object, shipped name or YAML path.
    nan_policy
        ``"pairwise"`` or ``"listwise"``.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``factor, item, reverse, n, r_drop, alpha_if_deleted,
        omega_if_deleted``. The item is correlated with the rest of its own factor
        (reverse-scored items turned round); ``omega_if_deleted`` needs 3 items left.

    Notes
    -----
    The same covariance matrices as :func:`reliability_table`; ``r_drop`` and
    ``alpha_if_deleted`` are those of :func:`item_total`, ``omega_if_deleted`` refits the
    one-factor model without the item.

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 1 + (i + j % 3) % 5 for j, c in enumerate(inst.item_codes)}
    ...         for i in range(12)]
    >>> item_analysis(pd.DataFrame(rows), inst).columns.tolist()
    ['factor', 'item', 'reverse', 'n', 'r_drop', 'alpha_if_deleted', 'omega_if_deleted']
    """
    inst = resolve_instrument(instrument)
    _check_policy(nan_policy)
    keys = [f.key for f in inst.factors]
    return _item_rows(inst, _factor_covariances(survey, inst, keys, nan_policy), survey)


# --------------------------------------------------------------------------- discrimination


def item_discrimination(
    items: pd.DataFrame | np.ndarray,
    *,
    group_share: float = EXTREME_GROUP_SHARE,
) -> pd.DataFrame:
    """Item discrimination: corrected item–total r and the upper/lower 27% t of every item.

    Parameters
    ----------
    items
        Wide table, one row per respondent and one column per item (already reverse-scored).
        Respondents who left an item blank are left out (listwise), so every statistic rests
        on the same people.
    group_share
        Share of respondents in each extreme group (default 0.27, Kelley 1939).

    Returns
    -------
    pandas.DataFrame
        One row per item: ``item, n, r_drop`` (Pearson r of the item with the sum of the
        other items), ``n_group`` (respondents in each of the upper and lower groups),
        ``mean_upper, mean_lower, t, df, p`` (two-sided), ``usable`` (``r_drop >= 0.20``)
        and ``good`` (``r_drop >= 0.30``).

    Notes
    -----
    Respondents are ranked by total score (sum of all items); the upper group is the
    :math:`g = \\operatorname{round}(0.27\\,n)` highest totals, the lower group the *g*
    lowest (ties at the cut broken by row order, so both groups have *g* members). ``t`` is
    Student's two-sample t with pooled variance, ``scipy.stats.ttest_ind(upper, lower,
    equal_var=True)``, :math:`df = 2g - 2`:

    .. math:: t = \\frac{\\bar x_U - \\bar x_L}{\\sqrt{(s_U^2 + s_L^2) / g}}

    With equal groups this is also Edwards' (1957) t for Likert items. Items are commonly
    kept when :math:`t \\ge 1.75` (Edwards) or when the corrected item–total r is at least
    0.20 (usable) or 0.30 (good).

    References
    ----------
    .. [1] Kelley, T. L. (1939). The selection of upper and lower groups for the validation
       of test items. Journal of Educational Psychology, 30(1), 17–24.
    .. [2] Edwards, A. L. (1957). Techniques of Attitude Scale Construction. Appleton, ch. 6.
    .. [3] Ebel, R. L. & Frisbie, D. A. (1991). Essentials of Educational Measurement (5th ed.).

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1, 2, 3, 4, 5, 5, 4, 2, 3, 1],
    ...                      "b": [2, 2, 3, 5, 5, 4, 4, 1, 2, 3],
    ...                      "c": [1, 3, 3, 4, 4, 5, 3, 2, 4, 2]})
    >>> item_discrimination(data)[["item", "n_group", "t", "df"]].round(3)
      item  n_group      t  df
    0    a        3  7.071   4
    1    b        3  4.000   4
    2    c        3  5.657   4
    """
    if isinstance(group_share, bool) or not isinstance(group_share, (int, float)) or \
            not 0 < group_share <= 0.5:
        raise ConfigError(f"group_share must be in (0, 0.5], e.g. 0.27; got {group_share!r}")
    values, names = as_item_matrix(items)
    complete = values[~np.isnan(values).any(axis=1)]
    n, k = complete.shape
    total = complete.sum(axis=1)
    g = int(np.floor(group_share * n + 0.5))
    order = np.argsort(total, kind="stable")
    lower, upper = complete[order[:g]], complete[order[n - g:]] if g else complete[:0]
    rows = []
    for j, name in enumerate(names):
        rest = total - complete[:, j]
        r = _pearson(complete[:, j], rest)
        if g >= 2:
            with warnings.catch_warnings():  # identical answers in a group: t is ±inf or NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                res = stats.ttest_ind(upper[:, j], lower[:, j], equal_var=True)
            t, p = float(res.statistic), float(res.pvalue)
        else:
            t = p = float("nan")
        rows.append({
            "item": name, "n": n, "r_drop": r, "n_group": g,
            "mean_upper": float(upper[:, j].mean()) if g else np.nan,
            "mean_lower": float(lower[:, j].mean()) if g else np.nan,
            "t": t, "df": 2 * g - 2 if g >= 2 else np.nan, "p": p,
            "usable": bool(r >= 0.20), "good": bool(r >= 0.30),
        })
    if k and g < 2:
        logger.info("item_discrimination: %d complete respondents, too few for 27%% groups", n)
    return pd.DataFrame(rows)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


# --------------------------------------------------------------------------- KMO / Bartlett


def kmo_bartlett(
    items: pd.DataFrame | np.ndarray,
) -> pd.DataFrame:
    """Sampling adequacy (Kaiser–Meyer–Olkin) and Bartlett's test of sphericity.

    Parameters
    ----------
    items
        Wide table, one row per respondent and one column per item; respondents with a blank
        are left out (listwise).

    Returns
    -------
    pandas.DataFrame
        One row per item and a last row ``item = "overall"``: ``item``, ``kmo`` (the item's
        MSA, or the overall KMO), ``kmo_label`` (Kaiser 1974: marvelous ≥ .9, meritorious
        ≥ .8, middling ≥ .7, mediocre ≥ .6, miserable ≥ .5, else unacceptable). The overall
        row also holds ``n``, ``bartlett_chi2``, ``bartlett_df`` and ``bartlett_p``.

    Notes
    -----
    With :math:`R` the correlation matrix and :math:`Q` the partial correlations
    (:math:`Q_{ij} = -P_{ij}/\\sqrt{P_{ii}P_{jj}}`, :math:`P = R^{-1}`), over :math:`i \\ne j`:

    .. math:: KMO = \\frac{\\sum r_{ij}^2}{\\sum r_{ij}^2 + \\sum q_{ij}^2}

    and per item the same sums over *j* only. Bartlett:
    :math:`\\chi^2 = -\\left(n - 1 - \\frac{2k + 5}{6}\\right)\\ln|R|`,
    :math:`df = k(k-1)/2`.

    References
    ----------
    .. [1] Kaiser, H. F. (1974). An index of factorial simplicity. Psychometrika, 39, 31–36.
    .. [2] Bartlett, M. S. (1950). Tests of significance in factor analysis. British Journal
       of Statistical Psychology, 3(2), 77–85.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=300)
    >>> data = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(5)})
    >>> overall = kmo_bartlett(data).iloc[-1]
    >>> overall["item"], overall["kmo_label"], int(overall["bartlett_df"])
    ('overall', 'meritorious', 10)
    """
    values, names = as_item_matrix(items)
    complete = values[~np.isnan(values).any(axis=1)]
    n, k = complete.shape
    if k < 2 or n < 3:
        raise CleannetError(f"KMO and Bartlett need at least 2 items and 3 complete "
                            f"respondents; got {k} item(s), {n} respondent(s)")
    corr = np.corrcoef(complete, rowvar=False)
    try:
        precision = np.linalg.inv(corr)
    except np.linalg.LinAlgError:
        raise CleannetError("the items' correlation matrix is singular (an item is constant "
                            "or a copy of others): KMO cannot be computed") from None
    d = np.sqrt(np.diag(precision))
    partial = -precision / np.outer(d, d)
    off = ~np.eye(k, dtype=bool)
    r2 = np.where(off, corr ** 2, 0.0)
    q2 = np.where(off, partial ** 2, 0.0)
    per_item = r2.sum(axis=0) / (r2.sum(axis=0) + q2.sum(axis=0))
    overall = r2.sum() / (r2.sum() + q2.sum())
    sign, logdet = np.linalg.slogdet(corr)
    chi2 = -(n - 1 - (2 * k + 5) / 6) * logdet if sign > 0 else float("inf")
    df = k * (k - 1) / 2
    table = pd.DataFrame({"item": [*names, "overall"],
                          "kmo": [*per_item.tolist(), float(overall)]})
    table["kmo_label"] = [kmo_label(v) for v in table["kmo"]]
    table["n"] = pd.array([pd.NA] * k + [n], dtype="Int64")
    table["bartlett_chi2"] = [np.nan] * k + [float(chi2)]
    table["bartlett_df"] = [np.nan] * k + [float(df)]
    table["bartlett_p"] = [np.nan] * k + [float(stats.chi2.sf(chi2, df))]
    return table


def kmo_label(value: float) -> str | None:
    """Kaiser's (1974) words for a KMO value.

    Examples
    --------
    >>> kmo_label(0.93), kmo_label(0.65), kmo_label(0.4)
    ('marvelous', 'mediocre', 'unacceptable')
    """
    if value is None or not np.isfinite(value):
        return None
    for limit, label in ((0.9, "marvelous"), (0.8, "meritorious"), (0.7, "middling"),
                         (0.6, "mediocre"), (0.5, "miserable")):
        if value >= limit:
            return label
    return "unacceptable"
