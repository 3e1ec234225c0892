"""Reliability of the instrument: Cronbach's alpha with its confidence interval, and item analysis.

Implemented with numpy/scipy; the tests check every number against pingouin and R ``psych``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import CleannetError, ConfigError
from ..instruments import Instrument
from .scoring import (
    item_blocks,
    item_matrix,
    resolve_instrument,
    row_chunks,
    single_blas_thread,
)

#: Accepted ``nan_policy`` values of the reliability functions.
ALPHA_NAN_POLICIES: tuple[str, ...] = ("pairwise", "listwise")


class AlphaResult(NamedTuple):
    """Cronbach's alpha, its confidence interval and the respondents it rests on."""

    alpha: float
    ci: tuple[float, float]
    n: int


def _as_matrix(items: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, list[str]]:
    if isinstance(items, pd.DataFrame):
        try:
            values = items.to_numpy(dtype="float64", na_value=np.nan)
        except (TypeError, ValueError):
            bad = [str(c) for c in items.columns
                   if not pd.api.types.is_numeric_dtype(items[c])]
            raise CleannetError(
                f"Items must be numeric; column(s) {', '.join(bad)} are not"
            ) from None
        return values, [str(c) for c in items.columns]
    values = np.asarray(items, dtype="float64")
    if values.ndim != 2:
        raise CleannetError(
            f"Items must be a 2-d table (respondents × items); got {values.ndim} dimension(s)"
        )
    return values, [f"item{j + 1}" for j in range(values.shape[1])]


def _prepare(values: np.ndarray, nan_policy: str) -> np.ndarray:
    if nan_policy not in ALPHA_NAN_POLICIES:
        raise ConfigError(
            f"Unknown nan_policy {nan_policy!r}. Valid: {', '.join(ALPHA_NAN_POLICIES)}"
        )
    if nan_policy == "listwise":
        return values[~np.isnan(values).any(axis=1)]
    return values  # rows without any answer add nothing to a pairwise covariance


def covariance(values: np.ndarray) -> np.ndarray:
    """Sample covariance matrix (``ddof=1``) with pairwise deletion of missing values.

    Parameters
    ----------
    values
        ``(n, k)`` float array, ``NaN`` for a missing answer.

    Returns
    -------
    numpy.ndarray
        ``(k, k)``; entry ``(i, j)`` uses the rows where both items are answered, as
        ``pandas.DataFrame.cov`` and R ``cov(use="pairwise")`` do. ``NaN`` where fewer than two
        rows qualify.

    Notes
    -----
    With :math:`M` the answered mask, :math:`Z` the values shifted by a rough centre per item
    (against cancellation; covariance does not depend on it) and zero where missing,
    :math:`N = M^\\top M`, :math:`S = Z^\\top M` and :math:`P = Z^\\top Z`:

    .. math:: C_{ij} = \\frac{P_{ij} - S_{ij} S_{ji} / N_{ij}}{N_{ij} - 1}

    which is the covariance over the rows where both are answered (three matrix products, no
    loop over item pairs or rows).
    """
    return _pairwise(_blocks(values), values.shape[1])[0][0]


def _pairwise(
    blocks_of_rows: Iterable[np.ndarray], k: int, groups: Sequence[Sequence[int]] | None = None
) -> list[tuple[np.ndarray, int]]:
    """Pairwise covariance within each group of columns, and its respondents with any answer.

    Parameters
    ----------
    blocks_of_rows
        The ``(rows, k)`` float arrays (``NaN`` = missing) of consecutive row blocks.
    k
        Number of columns.
    groups
        Column positions of each group (e.g. the items of each factor); default one group of
        every column. Only the covariances *within* a group are computed.

    Returns
    -------
    list of (covariance, n)
        One per group.

    Notes
    -----
    The three products of :func:`covariance` are accumulated block by block, with BLAS held
    to one thread: the products are small and memory-bound, and on a busy 2-core machine a
    second BLAS thread only waits for a core. The shift is taken from the first block.
    """
    groups = [list(range(k))] if groups is None else [list(g) for g in groups]
    selectors = [
        slice(g[0], g[-1] + 1) if g == list(range(g[0], g[-1] + 1)) else np.asarray(g)
        for g in groups
    ]
    sums = [tuple(np.zeros((len(g), len(g))) for _ in range(3)) for g in groups]
    answered_any = [0] * len(groups)
    shift = None
    with single_blas_thread():
        for block in blocks_of_rows:
            missing = np.isnan(block)
            if shift is None:
                shift = _shift(block[:1000], missing[:1000])
            m = (~missing).astype("float64")
            z = np.where(missing, 0.0, block - shift)
            for j, sel in enumerate(selectors):
                mj, zj = m[:, sel], z[:, sel]
                n, s, p = sums[j]
                n += mj.T @ mj
                s += zj.T @ mj
                p += zj.T @ zj
                answered_any[j] += int(np.count_nonzero(mj @ np.ones(mj.shape[1])))
    result = []
    for (n, s, p), any_count in zip(sums, answered_any, strict=True):
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = (p - s * s.T / n) / (n - 1)
        cov[n < 2] = np.nan
        result.append((cov, any_count))
    return result


def _blocks(values: np.ndarray) -> Iterator[np.ndarray]:
    for rows in row_chunks(values.shape[0]):
        yield values[rows]


def _shift(values: np.ndarray, missing: np.ndarray, rows: int = 1000) -> np.ndarray:
    """A rough centre per column (mean of the first answered values) to limit cancellation."""
    head, gaps = values[:rows], missing[:rows]
    counts = (~gaps).sum(axis=0)
    sums = np.where(gaps, 0.0, head).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
    return shift


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()
    if k < 2 or not np.isfinite(total) or total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.trace(cov) / total))


def _feldt_ci(alpha: float, n: int, k: int, ci: float) -> tuple[float, float]:
    if not np.isfinite(alpha) or n < 2 or k < 2:
        return (float("nan"), float("nan"))
    tail = 1 - ci
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * stats.f.isf(tail / 2, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.isf(1 - tail / 2, df1, df2)
    return (float(lower), float(upper))


def cronbach_alpha(
    items: pd.DataFrame | np.ndarray,
    *,
    nan_policy: str = "pairwise",
    ci: float = 0.95,
) -> AlphaResult:
    """Cronbach's alpha of a set of items, with its confidence interval.

    Parameters
    ----------
    items
        Wide table: one row per respondent, one column per item (already reverse-scored),
        ``NaN``/``<NA>`` for a missing answer.
    nan_policy
        ``"pairwise"`` (default): each covariance from the respondents who answered both items
        (R ``psych::alpha(use="pairwise")``); ``"listwise"``: only respondents who answered
        every item (``use="complete.obs"``).
    ci
        Confidence level of the interval.

    Returns
    -------
    AlphaResult
        ``(alpha, (ci_low, ci_high), n)``. ``n`` is the number of respondents who answered at
        least one item (rows with no answer at all are dropped first). ``alpha`` is ``NaN``
        with fewer than 2 items or 2 usable respondents.

    Raises
    ------
    CleannetError
        Non-numeric items or not a 2-d table.
    ConfigError
        Unknown ``nan_policy`` or a ``ci`` outside (0, 1).

    Notes
    -----
    With :math:`C` the :math:`k \\times k` item covariance matrix (see :func:`covariance`),

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\mathbf{1}^\\top C
       \\mathbf{1}}\\right).

    The confidence interval is Feldt's (1965), from the F distribution with
    :math:`d_1 = n - 1` and :math:`d_2 = (n-1)(k-1)`:
    :math:`[1 - (1-\\alpha) F_{1-\\gamma/2}(d_1, d_2),\\ 1 - (1-\\alpha) F_{\\gamma/2}(d_1, d_2)]`
    with :math:`\\gamma = 1 -` ``ci`` and :math:`F_q` the upper-tail quantile. As in R
    ``psych`` and pingouin, :math:`n` is the sample size (respondents with any answer) under
    both policies, also when listwise deletion computes :math:`C` from fewer complete rows.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika, 16(3), 297–334.
    .. [2] Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson
       reliability coefficient twenty. Psychometrika, 30(3), 357–370.
    .. [3] Revelle, W. psych: ``alpha()``. https://CRAN.R-project.org/package=psych
    .. [4] Vallat, R. (2018). Pingouin: statistics in Python. JOSS, 3(31), 1026
       (``pingouin.cronbach_alpha``).

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    >>> res = cronbach_alpha(data)
    >>> round(res.alpha, 4), res.n
    (0.9538, 5)
    """
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ConfigError(f"ci must be a confidence level between 0 and 1, e.g. 0.95; got {ci!r}")
    values, _ = _as_matrix(items)
    used = _prepare(values, nan_policy)
    k = used.shape[1]
    # respondents with any answer (rows without one add nothing to a pairwise covariance)
    n = int(np.count_nonzero((~np.isnan(values)).astype("float64") @ np.ones(k))) if k else 0
    if used.shape[0] < 2 or k < 2:
        return AlphaResult(float("nan"), (float("nan"), float("nan")), n)
    cov = covariance(used) if nan_policy == "pairwise" else np.cov(used, rowvar=False, ddof=1)
    return _alpha_result(np.atleast_2d(cov), n, ci)


def _alpha_result(cov: np.ndarray, n: int, ci: float) -> AlphaResult:
    k = cov.shape[0]
    if n < 2 or k < 2:
        return AlphaResult(float("nan"), (float("nan"), float("nan")), int(n))
    alpha = _alpha_from_cov(cov)
    return AlphaResult(alpha, _feldt_ci(alpha, n, k, ci), int(n))


def item_total(
    items: pd.DataFrame | np.ndarray,
    *,
    nan_policy: str = "pairwise",
) -> pd.DataFrame:
    """Item analysis: corrected item–total correlation and alpha if the item is deleted.

    Parameters
    ----------
    items
        Wide table of (reverse-scored) answers, one column per item.
    nan_policy
        ``"pairwise"`` or ``"listwise"``, as in :func:`cronbach_alpha`.

    Returns
    -------
    pandas.DataFrame
        Indexed by item: ``n`` (respondents who answered it, among those used),
        ``r_drop`` (corrected item–total correlation) and ``alpha_if_deleted``.

    Notes
    -----
    From the covariance matrix :math:`C` (pairwise or listwise), for item *i* with
    :math:`R = \\{j \\ne i\\}`:

    .. math:: r_{drop,i} = \\frac{\\sum_{j \\in R} C_{ij}}
       {\\sqrt{C_{ii} \\sum_{j,l \\in R} C_{jl}}}

    the correlation of the item with the sum of the other items (R ``psych`` ``r.drop``), and
    ``alpha_if_deleted`` is alpha of :math:`C_{RR}` (``psych`` ``alpha.drop``, raw alpha). On
    complete data :math:`r_{drop}` equals the Pearson correlation with the rest score.

    References
    ----------
    .. [1] Revelle, W. psych: ``alpha()`` — ``item.stats$r.drop``, ``alpha.drop$raw_alpha``.
    .. [2] Nunnally, J. C. & Bernstein, I. H. (1994). Psychometric Theory (3rd ed.), ch. 8.

    Examples
    --------
    >>> data = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    >>> item_total(data).round(3)["r_drop"].tolist()
    [0.97, 0.903, 0.87]
    """
    values, names = _as_matrix(items)
    used = _prepare(values, nan_policy)
    k = used.shape[1]
    if used.shape[0] >= 2 and k >= 2:
        cov = covariance(used) if nan_policy == "pairwise" else np.cov(used, rowvar=False)
        cov = np.atleast_2d(cov)
    else:
        cov = np.full((k, k), np.nan)
    r_drop = np.full(k, np.nan)
    alpha_drop = np.full(k, np.nan)
    for i in range(k):
        rest = [j for j in range(k) if j != i]
        sub = cov[np.ix_(rest, rest)]
        denominator = cov[i, i] * sub.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            r_drop[i] = cov[i, rest].sum() / np.sqrt(denominator)
        alpha_drop[i] = _alpha_from_cov(sub) if len(rest) >= 2 else np.nan
    return pd.DataFrame(
        {
            "n": (~np.isnan(used)).sum(axis=0).astype("int64"),
            "r_drop": r_drop,
            "alpha_if_deleted": alpha_drop,
        },
        index=pd.Index(names, name="item"),
    )


def factor_reliability(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    nan_policy: str = "pairwise",
    ci: float = 0.95,
    factors: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha of every factor of the instrument, on reverse-scored answers.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    instrument
        Instrument object, shipped name or YAML path.
    nan_policy, ci
        As in :func:`cronbach_alpha`.
    factors
        Factor keys to include; default all, in instrument order.

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor, name_th, name_en, items, n, alpha, ci_low, ci_high,
        quality`` (George & Mallery's label: excellent > .9, good > .8, acceptable > .7,
        questionable > .6, poor > .5, else unacceptable).

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 1 + (i + j % 2) % 5 for j, c in enumerate(inst.item_codes)} for i in range(8)]
    >>> factor_reliability(pd.DataFrame(rows), inst)["factor"].tolist()[:2]
    ['top_management_support', 'project_mission']
    """
    inst = resolve_instrument(instrument)
    keys = [f.key for f in inst.factors] if factors is None else list(factors)
    for key in keys:
        inst.factor(key)  # raises with the valid keys
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ConfigError(f"ci must be a confidence level between 0 and 1, e.g. 0.95; got {ci!r}")
    if nan_policy not in ALPHA_NAN_POLICIES:
        raise ConfigError(
            f"Unknown nan_policy {nan_policy!r}. Valid: {', '.join(ALPHA_NAN_POLICIES)}"
        )
    positions = {code: j for j, code in enumerate(inst.item_codes)}
    if nan_policy == "pairwise":
        # A pairwise covariance entry depends only on its two items: one pass over the rows
        # gives every factor's covariance matrix (three BLAS products per factor and block).
        groups = [[positions[i.code] for i in inst.factor(key).items] for key in keys]
        pairwise = _pairwise((block for _, block in item_blocks(survey, inst)),
                             len(positions), groups)
    else:
        values = item_matrix(survey, inst)
    rows = []
    for j, key in enumerate(keys):
        factor = inst.factor(key)
        cols = [positions[item.code] for item in factor.items]
        if nan_policy == "pairwise":
            cov, n = pairwise[j]
            res = _alpha_result(cov, n, ci)
        else:
            res = cronbach_alpha(values[:, cols], nan_policy=nan_policy, ci=ci)
        rows.append({
            "factor": key,
            "name_th": factor.name_th,
            "name_en": factor.name_en,
            "items": len(cols),
            "n": res.n,
            "alpha": res.alpha,
            "ci_low": res.ci[0],
            "ci_high": res.ci[1],
            "quality": alpha_quality(res.alpha),
        })
    return pd.DataFrame(rows)


def item_reliability(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    nan_policy: str = "pairwise",
) -> pd.DataFrame:
    """Corrected item–total correlation and alpha-if-item-deleted, factor by factor.

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
        One row per item: ``factor, item, reverse, n, r_drop, alpha_if_deleted``; the item
        is correlated with the rest of *its own factor* (reverse-scored items turned round).

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 1 + (i + j % 2) % 5 for j, c in enumerate(inst.item_codes)} for i in range(8)]
    >>> item_reliability(pd.DataFrame(rows), inst).columns.tolist()
    ['factor', 'item', 'reverse', 'n', 'r_drop', 'alpha_if_deleted']
    """
    inst = resolve_instrument(instrument)
    values = item_matrix(survey, inst)
    positions = {code: j for j, code in enumerate(inst.item_codes)}
    parts = []
    for factor in inst.factors:
        codes = [item.code for item in factor.items]
        cols = [positions[c] for c in codes]
        table = item_total(pd.DataFrame(values[:, cols], columns=codes), nan_policy=nan_policy)
        table = table.reset_index()
        table.insert(0, "factor", factor.key)
        table.insert(2, "reverse", [item.reverse for item in factor.items])
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def alpha_quality(alpha: float) -> str | None:
    """George & Mallery's (2003) rule of thumb for alpha, in English.

    Examples
    --------
    >>> alpha_quality(0.95), alpha_quality(0.72), alpha_quality(0.3)
    ('excellent', 'acceptable', 'unacceptable')
    """
    if alpha is None or not np.isfinite(alpha):
        return None
    for limit, label in ((0.9, "excellent"), (0.8, "good"), (0.7, "acceptable"),
                         (0.6, "questionable"), (0.5, "poor")):
        if alpha > limit:
            return label
    return "unacceptable"


# --------------------------------------------------------------------------- building blocks
# Public names of the pieces above, for other analyses (instrument quality) to reuse.


def as_item_matrix(items: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, list[str]]:
    """A wide item table as a float array (``NaN`` = missing) and its column names."""
    return _as_matrix(items)


def apply_nan_policy(values: np.ndarray, nan_policy: str) -> np.ndarray:
    """The rows a ``nan_policy`` uses: every row (pairwise) or the complete ones (listwise)."""
    return _prepare(values, nan_policy)


def pairwise_covariances(
    blocks_of_rows: Iterable[np.ndarray], k: int, groups: Sequence[Sequence[int]] | None = None
) -> list[tuple[np.ndarray, int]]:
    """Pairwise covariance within each group of columns from row blocks, in one pass.

    See :func:`covariance` for the formula; returns ``(covariance, respondents with any
    answer)`` per group.
    """
    return _pairwise(blocks_of_rows, k, groups)


def alpha_from_covariance(cov: np.ndarray) -> float:
    """Cronbach's alpha of a covariance matrix (``NaN`` with fewer than 2 items)."""
    return _alpha_from_cov(cov)


def feldt_interval(alpha: float, n: int, k: int, ci: float = 0.95) -> tuple[float, float]:
    """Feldt's (1965) confidence interval of alpha for ``n`` respondents and ``k`` items."""
    return _feldt_ci(alpha, n, k, ci)
