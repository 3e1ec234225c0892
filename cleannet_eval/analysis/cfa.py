"""Confirmatory factor analysis of the instrument's factor structure (semopy, maximum likelihood).

semopy estimates the model; the fit indices are computed here from the sample and the
model-implied covariance matrices with lavaan's definitions (χ² = N·F_ML, RMSEA with its 90%
CI from the noncentral χ², Bentler's SRMR), so that they read like lavaan's and SPSS Amos'
output. A model that cannot be fitted is a stated note, not an exception.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..errors import CleannetError
from ..instruments import Instrument
from .scoring import item_matrix, resolve_instrument, single_blas_thread

logger = logging.getLogger(__name__)

#: Cut-offs of Hu & Bentler (1999) used by :func:`fit_reading`: (index, direction, value).
HU_BENTLER_CUTOFFS: tuple[tuple[str, str, float], ...] = (
    ("cfi", ">=", 0.95), ("tli", ">=", 0.95), ("rmsea", "<=", 0.06), ("srmr", "<=", 0.08),
)
#: Columns of :attr:`CFAResult.fit`.
FIT_COLUMNS: tuple[str, ...] = (
    "n", "chi2", "df", "p", "cfi", "tli", "rmsea", "rmsea_low", "rmsea_high", "srmr",
    "converged",
)
#: Columns of :attr:`CFAResult.loadings`.
LOADING_COLUMNS: tuple[str, ...] = (
    "factor", "item", "estimate", "std_loading", "se", "z", "p",
)


class CFANote(str):
    """A note on what limits a CFA result: the English sentence, with what it is about.

    It reads (and serialises) as its sentence; :attr:`code` names the situation and
    :attr:`values` hold the figures in it, so a report can word it in another language.

    Examples
    --------
    >>> note = CFANote("df", "the model has {df} degrees of freedom: it cannot be tested", df=0)
    >>> str(note), note.code, note.values
    ('the model has 0 degrees of freedom: it cannot be tested', 'df', {'df': 0})
    """

    code: str
    values: dict[str, object]

    def __new__(cls, code: str, template: str, **values: object) -> CFANote:
        note = super().__new__(cls, template.format(**values))
        note.code, note.values = code, dict(values)
        return note

    def __reduce__(self) -> tuple:
        return (_note_back, (str(self), self.code, self.values))


def _note_back(text: str, code: str, values: dict[str, object]) -> CFANote:
    note = str.__new__(CFANote, text)
    note.code, note.values = code, dict(values)
    return note


@dataclass
class CFAResult:
    """A fitted confirmatory factor model.

    Attributes
    ----------
    fit
        One row: ``n, chi2, df, p, cfi, tli, rmsea, rmsea_low, rmsea_high, srmr, converged``
        (every index missing when the model was not fitted).
    loadings
        One row per item: ``factor, item, estimate`` (unstandardized; the first item of each
        factor is fixed to 1), ``std_loading`` (fully standardized), ``se, z, p``.
    notes
        Plain sentences on what limits the result (factors left out, non-convergence,
        Heywood cases), each a :class:`CFANote` (its ``code`` and ``values`` let a report
        word it in Thai); empty when there is nothing to say.
    """

    fit: pd.DataFrame
    loadings: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def fitted(self) -> bool:
        """Whether the model was estimated and converged."""
        return bool(len(self.fit)) and bool(self.fit["converged"].iloc[0])


def _empty(notes: list[str], n: int) -> CFAResult:
    fit = pd.DataFrame([{c: np.nan for c in FIT_COLUMNS}])
    fit["n"] = n
    fit["converged"] = False
    loadings = pd.DataFrame({c: pd.Series(dtype="float64") for c in LOADING_COLUMNS})
    return CFAResult(fit, loadings.astype({"factor": object, "item": object}), notes)


def _structure(factors: Mapping[str, Sequence[str]] | Instrument) -> dict[str, list[str]]:
    if isinstance(factors, Instrument):
        return {f.key: [i.code for i in f.items] for f in factors.factors}
    return {str(k): [str(i) for i in v] for k, v in factors.items()}


def confirmatory_factor_analysis(
    data: pd.DataFrame,
    factors: Mapping[str, Sequence[str]] | Instrument,
) -> CFAResult:
    """Fit a correlated-factors CFA by maximum likelihood and report its fit and loadings.

    Parameters
    ----------
    data
        Wide table, one column per item (already reverse-scored); not modified. Respondents
        with any blank among the model's items are left out (listwise).
    factors
        Factor → its item columns, or an :class:`Instrument` (its factors and item codes).

    Returns
    -------
    CFAResult
        ``fit`` (one row), ``loadings`` (one row per item) and ``notes``. A factor with fewer
        than 3 items is noted (with 1 item it is left out); a model that cannot be identified
        or does not converge gives empty indices and a note, never an exception.

    Raises
    ------
    CleannetError
        An item column missing from ``data``.

    Notes
    -----
    Every factor's first item has its loading fixed to 1; factors are free to correlate.
    semopy (``obj="MLW"``) estimates the parameters. From the sample covariance :math:`S`
    (divisor N), the implied :math:`\\Sigma`, N respondents and k items:
    :math:`F = \\ln|\\Sigma| + \\operatorname{tr}(S\\Sigma^{-1}) - \\ln|S| - k`,
    :math:`\\chi^2 = N F` with :math:`df = k(k+1)/2 - q` (q free parameters); the baseline
    (independence) model has :math:`\\chi^2_0 = N(\\sum \\ln S_{ii} - \\ln|S|)`,
    :math:`df_0 = k(k-1)/2`;

    .. math:: CFI = 1 - \\frac{\\max(\\chi^2 - df, 0)}{\\max(\\chi^2 - df, \\chi^2_0 - df_0, 0)},
       \\quad TLI = \\frac{\\chi^2_0/df_0 - \\chi^2/df}{\\chi^2_0/df_0 - 1},
       \\quad RMSEA = \\sqrt{\\frac{\\max(\\chi^2 - df, 0)}{df\\,N}}

    The 90% CI of RMSEA puts :math:`\\lambda_L, \\lambda_U` where the noncentral χ²
    distribution function at the observed χ² is 0.95 and 0.05 and reports
    :math:`\\sqrt{\\lambda/(df\\,N)}`. SRMR is Bentler's, over the :math:`k(k+1)/2` elements
    :math:`(S_{ij} - \\Sigma_{ij}) / \\sqrt{S_{ii}S_{jj}}`. These are lavaan's definitions
    (``fitMeasures``); the test reproduces lavaan's tutorial on Holzinger & Swineford (1939).

    References
    ----------
    .. [1] Meshcheryakov, G., Igolkina, A. A. & Samsonova, M. G. (2021). semopy 2. arXiv
       2106.01140.
    .. [2] Rosseel, Y. (2012). lavaan: an R package for structural equation modeling.
       Journal of Statistical Software, 48(2). Tutorial: https://lavaan.ugent.be/tutorial/cfa.html
    .. [3] Hu, L. & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance
       structure analysis. Structural Equation Modeling, 6(1), 1–55.
    .. [4] Browne, M. W. & Cudeck, R. (1993). Alternative ways of assessing model fit.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> model = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...          "speed": ["x7", "x8", "x9"]}
    >>> res = confirmatory_factor_analysis(hs, model)
    >>> res.fit[["chi2", "df", "cfi", "tli", "rmsea", "srmr"]].round(3).iloc[0].tolist()
    [85.306, 24.0, 0.931, 0.896, 0.092, 0.065]
    """
    structure = _structure(factors)
    missing = sorted({i for items in structure.values() for i in items} - set(data.columns))
    if missing:
        raise CleannetError(f"CFA item column(s) not in the data: {', '.join(missing)}")
    notes: list[CFANote] = []
    kept: dict[str, list[str]] = {}
    for key, items in structure.items():
        if len(items) < 2:
            notes.append(CFANote("left_out", "factor {factor!r} has {items} item(s): left out "
                                 "of the model (a factor needs at least 3 items, 2 only beside "
                                 "other factors)", factor=key, items=len(items)))
        else:
            if len(items) < 3:
                notes.append(CFANote("two_items", "factor {factor!r} has only {items} items (fewer "
                                     "than 3): it is identified only through its correlations "
                                     "with the other factors", factor=key, items=len(items)))
            kept[key] = items
    columns = [i for items in kept.values() for i in items]
    values = data[columns].apply(pd.to_numeric, errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan) if columns else np.empty((len(data), 0))
    complete = values[~np.isnan(values).any(axis=1)]
    n, k = complete.shape
    if not kept or (len(kept) == 1 and len(columns) < 3):
        notes.append(CFANote("no_factor", "no factor with enough items to fit a model"))
        return _empty(notes, n)
    q = len(columns) - len(kept) + len(columns) + len(kept) * (len(kept) + 1) // 2
    df = k * (k + 1) // 2 - q
    if df < 1:
        notes.append(CFANote("df", "the model has {df} degrees of freedom: it cannot be tested",
                             df=df))
        return _empty(notes, n)
    if n < max(k + 1, 10):
        notes.append(CFANote("few_respondents", "only {n} respondents answered every item (at "
                             "least {needed} needed): the model was not fitted", n=n,
                             needed=max(k + 1, 10)))
        return _empty(notes, n)
    sd = complete.std(axis=0)
    if np.any(sd == 0):
        constant = [c for c, s in zip(columns, sd, strict=True) if s == 0]
        notes.append(CFANote("constant", "item(s) {items} have one answer only: not fitted",
                             items=", ".join(constant)))
        return _empty(notes, n)
    return _fit(complete, kept, columns, n, df, notes)


def _import_semopy():
    """semopy, imported without the INFO line it logs on the root logger at import time."""
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        import semopy
    finally:
        logging.disable(previous)
    return semopy


def _fit(complete: np.ndarray, kept: dict[str, list[str]], columns: list[str], n: int,
         df: int, notes: list[str]) -> CFAResult:
    semopy = _import_semopy()

    alias = {c: f"v{j}" for j, c in enumerate(columns)}
    latent = {key: f"f{j}" for j, key in enumerate(kept)}
    description = "\n".join(
        f"{latent[key]} =~ " + " + ".join(alias[i] for i in items) for key, items in kept.items()
    )
    frame = pd.DataFrame(complete, columns=[alias[c] for c in columns])
    model = semopy.Model(description)
    try:
        # BLAS on one thread: semopy inverts small k × k matrices hundreds of times, and extra
        # BLAS threads only wait for a core (25× slower on a busy 2-core machine).
        with warnings.catch_warnings(), single_blas_thread():
            warnings.simplefilter("ignore")
            result = model.fit(frame, obj="MLW")
            sigma = np.asarray(model.calc_sigma()[0])
            estimates = model.inspect(std_est=True)
    except Exception as exc:  # semopy raises many kinds (LinAlgError, ValueError, ...)
        logger.info("CFA failed: %s", exc)
        notes.append(CFANote("failed", "the model could not be estimated ({error}): no fit "
                             "reported", error=type(exc).__name__))
        return _empty(notes, n)
    converged = bool(result.success) and np.isfinite(sigma).all()
    if not converged:
        notes.append(CFANote("not_converged",
                             "the estimation did not converge: the fit indices are not reported"))
        return _empty(notes, n)
    order = [alias[c] for c in columns]
    observed = list(model.vars["observed"])
    at = [observed.index(v) for v in order]
    sigma = sigma[np.ix_(at, at)]
    sample = np.cov(complete, rowvar=False, ddof=0)
    fit = fit_indices(sample, sigma, n, df)
    fit["converged"] = True
    back = {v: c for c, v in alias.items()}
    factor_of = {v: key for key, v in latent.items()}
    rows = estimates[(estimates["op"] == "~") & estimates["rval"].isin(factor_of)]
    loadings = pd.DataFrame({
        "factor": rows["rval"].map(factor_of).to_numpy(),
        "item": rows["lval"].map(back).to_numpy(),
        "estimate": pd.to_numeric(rows["Estimate"], errors="coerce").to_numpy(),
        "std_loading": pd.to_numeric(rows["Est. Std"], errors="coerce").to_numpy(),
        "se": pd.to_numeric(rows["Std. Err"], errors="coerce").to_numpy(),
        "z": pd.to_numeric(rows["z-value"], errors="coerce").to_numpy(),
        "p": pd.to_numeric(rows["p-value"], errors="coerce").to_numpy(),
    })
    position = {c: j for j, c in enumerate(columns)}
    loadings = loadings.sort_values("item", key=lambda s: s.map(position), kind="stable")
    loadings = loadings.reset_index(drop=True)
    heywood = loadings.loc[loadings["std_loading"].abs() > 1, "item"].tolist()
    if heywood:
        notes.append(CFANote("heywood", "standardized loading above 1 for {items} (a Heywood "
                             "case): the model does not suit these data",
                             items=", ".join(heywood)))
    return CFAResult(pd.DataFrame([fit])[list(FIT_COLUMNS)], loadings, notes)


def fit_indices(sample: np.ndarray, implied: np.ndarray, n: int, df: int) -> dict[str, float]:
    """χ², p, CFI, TLI, RMSEA with its 90% CI and SRMR from S, Σ, N and df (lavaan's formulas).

    Parameters
    ----------
    sample
        Sample covariance matrix with divisor N.
    implied
        Model-implied covariance matrix.
    n
        Respondents.
    df
        Degrees of freedom of the model.

    Returns
    -------
    dict
        ``n, chi2, df, p, cfi, tli, rmsea, rmsea_low, rmsea_high, srmr``; see
        :func:`confirmatory_factor_analysis` for the definitions.
    """
    k = sample.shape[0]
    _, logdet_s = np.linalg.slogdet(sample)
    _, logdet_sigma = np.linalg.slogdet(implied)
    f_ml = logdet_sigma + np.trace(sample @ np.linalg.inv(implied)) - logdet_s - k
    chi2 = float(n * max(f_ml, 0.0))
    chi2_base = float(n * (np.log(np.diag(sample)).sum() - logdet_s))
    df_base = k * (k - 1) / 2
    denominator = max(chi2 - df, chi2_base - df_base, 0.0)
    cfi = 1.0 - max(chi2 - df, 0.0) / denominator if denominator > 0 else 1.0
    tli = ((chi2_base / df_base) - (chi2 / df)) / ((chi2_base / df_base) - 1.0)
    rmsea = float(np.sqrt(max(chi2 - df, 0.0) / (df * n)))
    low, high = (float(np.sqrt(_ncp(chi2, df, q) / (df * n))) for q in (0.95, 0.05))
    d = np.sqrt(np.diag(sample))
    residual = (sample - implied) / np.outer(d, d)
    srmr = float(np.sqrt(np.mean(residual[np.tril_indices(k)] ** 2)))
    return {"n": int(n), "chi2": chi2, "df": float(df), "p": float(stats.chi2.sf(chi2, df)),
            "cfi": float(cfi), "tli": float(tli), "rmsea": rmsea, "rmsea_low": low,
            "rmsea_high": high, "srmr": srmr}


def _ncp(chi2: float, df: int, quantile: float) -> float:
    """The noncentrality λ at which ``P(χ²(df, λ) <= chi2) = quantile`` (0 if none)."""

    def gap(lam: float) -> float:
        return float(stats.ncx2.cdf(chi2, df, lam)) - quantile if lam > 0 else \
            float(stats.chi2.cdf(chi2, df)) - quantile

    if gap(0.0) <= 0:
        return 0.0
    upper = max(chi2, 1.0)
    while gap(upper) > 0:
        upper *= 2
    return float(optimize.brentq(gap, 0.0, upper, xtol=1e-10))


def fit_reading(fit: pd.DataFrame) -> pd.DataFrame:
    """Each fit index against Hu & Bentler's (1999) cut-off.

    Parameters
    ----------
    fit
        :attr:`CFAResult.fit`.

    Returns
    -------
    pandas.DataFrame
        One row per index (``cfi, tli, rmsea, srmr``): ``index, value, cutoff`` (e.g.
        ``">= 0.95"``) and ``meets`` (``True``/``False``, missing when not fitted).

    Examples
    --------
    >>> fit = pd.DataFrame([{"cfi": 0.931, "tli": 0.896, "rmsea": 0.092, "srmr": 0.065}])
    >>> fit_reading(fit)["meets"].tolist()
    [False, False, False, True]
    """
    rows = []
    for index, direction, cut in HU_BENTLER_CUTOFFS:
        value = float(fit[index].iloc[0]) if index in fit and len(fit) else float("nan")
        meets = None if not np.isfinite(value) else (
            value >= cut if direction == ">=" else value <= cut)
        rows.append({"index": index, "value": value, "cutoff": f"{direction} {cut:g}",
                     "meets": meets})
    return pd.DataFrame(rows)


def instrument_cfa(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
) -> CFAResult:
    """:func:`confirmatory_factor_analysis` of the instrument's factors on a survey table.

    Reverse-scored items are turned round first; respondents with any blank item are left
    out (listwise).
    """
    inst = resolve_instrument(instrument)
    values = item_matrix(survey, inst)
    return confirmatory_factor_analysis(pd.DataFrame(values, columns=inst.item_codes), inst)
