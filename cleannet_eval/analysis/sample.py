"""Sample size: Yamane's and Krejcie & Morgan's required n, the margin of error achieved, and
the sample adequacy of each unit and of the department.

The required sizes depend only on the headcount (public); the responses and the margin of
error achieved are survey results and follow the minimum group size (:func:`disclose`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..disclosure import EMPTY, PUBLISHED, DisclosurePattern, disclosure
from ..errors import ConfigError
from .confidentiality import SUPPRESSED, blank_rows

#: χ² with one degree of freedom at the 95% level, as printed by Krejcie & Morgan (1970).
KREJCIE_MORGAN_CHI2 = 3.841

#: Columns of :func:`sample_adequacy`.
ADEQUACY_COLUMNS: tuple[str, ...] = (
    "fiscal_year", "unit", "headcount", "responses", "yamane_n", "krejcie_morgan_n",
    "response_rate", "margin_of_error", "adequate", "suppressed",
)


def _population(N: object) -> np.ndarray:
    values = np.asarray(N, dtype="float64")
    if np.any(~np.isfinite(values)) or np.any(values < 1) or np.any(values != np.floor(values)):
        raise ConfigError(f"population size N must be a whole number >= 1; got {N!r}")
    return values


def _scalar_or_array(values: np.ndarray, like: object) -> int | np.ndarray:
    if np.ndim(like) == 0:
        return int(values)
    return values.astype("int64")


def sample_size_yamane(N: int | np.ndarray, e: float = 0.05) -> int | np.ndarray:
    """Yamane's (1967) sample size for a population of N, rounded up.

    Parameters
    ----------
    N
        Population size (a whole number, or an array of them).
    e
        Margin of error (precision), default 0.05.

    Returns
    -------
    int or numpy.ndarray
        :math:`\\lceil N / (1 + N e^2) \\rceil`.

    Notes
    -----
    .. math:: n = \\frac{N}{1 + N e^2}

    the simplified form (P = 0.5, 95% confidence) of Cochran's formula with the finite
    population correction. Rounded up, as Thai reports do ("at least").

    References
    ----------
    .. [1] Yamane, T. (1967). Statistics: An Introductory Analysis (2nd ed.). Harper & Row.

    Examples
    --------
    >>> sample_size_yamane(1000), sample_size_yamane(100), sample_size_yamane(10_000)
    (286, 80, 385)
    """
    if isinstance(e, bool) or not isinstance(e, (int, float)) or not 0 < e < 1:
        raise ConfigError(f"margin of error e must be between 0 and 1, e.g. 0.05; got {e!r}")
    pop = _population(N)
    # a tiny tolerance so that an exact whole n (N = 400 → 200) is not pushed up by rounding
    return _scalar_or_array(np.ceil(pop / (1 + pop * e * e) - 1e-9), N)


def sample_size_krejcie_morgan(
    N: int | np.ndarray, *, P: float = 0.5, d: float = 0.05, chi2: float = KREJCIE_MORGAN_CHI2,
) -> int | np.ndarray:
    """Krejcie & Morgan's (1970) sample size for a population of N (their table's values).

    Parameters
    ----------
    N
        Population size (a whole number, or an array of them).
    P
        Population proportion assumed (0.5 gives the largest n).
    d
        Degree of accuracy (margin of error), default 0.05.
    chi2
        χ² for one degree of freedom at the confidence wanted (3.841 for 95%).

    Returns
    -------
    int or numpy.ndarray
        :math:`s` rounded to the nearest whole number, which reproduces their published
        table (N = 100 → 80, 200 → 132, 500 → 217, 1,000 → 278, 10,000 → 370).

    Notes
    -----
    .. math:: s = \\frac{\\chi^2 N P (1 - P)}{d^2 (N - 1) + \\chi^2 P (1 - P)}

    The table rounds to the nearest person (500 → 217.5 is printed 217: the formula gives
    217.47); rounding up would disagree with it.

    References
    ----------
    .. [1] Krejcie, R. V. & Morgan, D. W. (1970). Determining sample size for research
       activities. Educational and Psychological Measurement, 30(3), 607–610.

    Examples
    --------
    >>> sample_size_krejcie_morgan(500), sample_size_krejcie_morgan(1000)
    (217, 278)
    """
    for name, value in (("P", P), ("d", d)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ConfigError(f"{name} must be between 0 and 1; got {value!r}")
    pop = _population(N)
    s = chi2 * pop * P * (1 - P) / (d * d * (pop - 1) + chi2 * P * (1 - P))
    return _scalar_or_array(np.floor(s + 0.5), N)


def margin_of_error(
    n: int | np.ndarray,
    N: int | np.ndarray | None = None,
    p: float = 0.5,
    confidence: float = 0.95,
) -> float | np.ndarray:
    """Margin of error of a proportion from n responses out of a population of N.

    Parameters
    ----------
    n
        Responses (sample size); at least 1.
    N
        Population size (headcount), at least ``n``; ``None`` for an infinite population.
    p
        Proportion assumed (0.5, the worst case).
    confidence
        Confidence level (0.95).

    Returns
    -------
    float or numpy.ndarray
        Half-width of the confidence interval of a proportion, e.g. 0.05 for ±5 points.

    Notes
    -----
    With :math:`z = \\Phi^{-1}(1 - (1 - c)/2)` and the finite-population correction,

    .. math:: e = z \\sqrt{\\frac{p(1-p)}{n}} \\sqrt{\\frac{N - n}{N - 1}}

    (0 when everyone answered). Inverting it at :math:`z \\approx 2` gives Yamane's n.

    References
    ----------
    .. [1] Cochran, W. G. (1977). Sampling Techniques (3rd ed.). Wiley, ch. 3–4.

    Examples
    --------
    >>> round(margin_of_error(278, 1000), 4), round(margin_of_error(385), 4)
    (0.05, 0.0499)
    """
    if isinstance(confidence, bool) or not 0 < confidence < 1:
        raise ConfigError(f"confidence must be between 0 and 1, e.g. 0.95; got {confidence!r}")
    if not 0 <= p <= 1:
        raise ConfigError(f"p must be a proportion between 0 and 1; got {p!r}")
    size = np.asarray(n, dtype="float64")
    if np.any(size < 1):
        raise ConfigError(f"n must be at least 1; got {n!r}")
    z = stats.norm.isf((1 - confidence) / 2)
    e = z * np.sqrt(p * (1 - p) / size)
    if N is not None:
        pop = _population(N)
        if np.any(size > pop):
            raise ConfigError(f"n ({n!r}) cannot exceed the population N ({N!r})")
        with np.errstate(invalid="ignore", divide="ignore"):
            fpc = np.where(pop > 1, np.sqrt((pop - size) / np.maximum(pop - 1, 1)), 0.0)
        e = e * fpc
    return float(e) if np.ndim(e) == 0 else e


def disclose(table: pd.DataFrame, by: str, n: str, columns: list[str],
             pattern: DisclosurePattern) -> pd.DataFrame:
    """Hide the survey-derived ``columns`` of every ``(fiscal_year, by)`` cell that the
    dataset's disclosure pattern does not publish.

    ``pattern`` is the respondents pattern of the whole dataset
    (:attr:`cleannet_eval.disclosure.Disclosure.respondents`), the one every other output asks,
    so no table shows a group another one hides (and no difference of two tables gives one
    back). A cell without respondents (``"empty"``) shows its zero. ``by`` = ``None`` in a row
    is the department's total of that fiscal year.
    """
    out = table.copy()
    status = [pattern.status(fiscal_year=int(year),
                             unit=None if unit is None or pd.isna(unit) else str(unit))
              for year, unit in zip(out["fiscal_year"], out[by], strict=True)]
    # an "empty" cell with answers would mean another dataset's pattern: hide it then too
    hidden = np.array([s != PUBLISHED and not (s == EMPTY and count == 0)
                       for s, count in zip(status, out[n], strict=True)], dtype=bool)
    if hidden.any():
        blank_rows(out, hidden, [n, *columns])
    out[SUPPRESSED] = hidden
    return out


def sample_adequacy(
    survey: pd.DataFrame,
    units: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    e: float = 0.05,
    min_group_size: int | None = None,
    disclosure_pattern: DisclosurePattern | None = None,
) -> pd.DataFrame:
    """Responses against the headcount of every unit and of the department, per fiscal year.

    Parameters
    ----------
    survey
        The processed survey table (``unit``, ``fiscal_year``); not modified.
    units
        The processed units table (``unit``, ``fiscal_year``, ``headcount``); not modified.
    fiscal_year
        One BE fiscal year, or ``None`` for every year in the units table.
    e
        Precision for :func:`sample_size_yamane` and :func:`sample_size_krejcie_morgan`.
    min_group_size
        Minimum group size of the disclosure rule, when ``disclosure_pattern`` is not given.
    disclosure_pattern
        The respondents pattern of the dataset ``survey`` belongs to
        (:mod:`cleannet_eval.disclosure`); default: ``survey`` as a dataset of its own. Cells
        it hides have ``responses``, ``response_rate``, ``margin_of_error`` and ``adequate``
        hidden (see :func:`disclose`).

    Returns
    -------
    pandas.DataFrame
        One row per fiscal year and unit of the units table, then a row ``unit = None`` for
        the department (every unit): see :data:`ADEQUACY_COLUMNS`. ``adequate`` means at
        least Krejcie & Morgan's n responded; ``margin_of_error`` is that of a proportion
        (:func:`margin_of_error`, P = 0.5, 95%).

    Examples
    --------
    >>> units = pd.DataFrame({"unit": ["A", "B"], "fiscal_year": [2551, 2551],
    ...                       "headcount": [100, 40]})
    >>> survey = pd.DataFrame({"unit": ["A"] * 85 + ["B"] * 3, "fiscal_year": 2551})
    >>> t = sample_adequacy(survey, units)
    >>> t[["unit", "headcount", "krejcie_morgan_n", "suppressed"]].to_dict("list")
    {'unit': ['A', 'B', None], 'headcount': [100, 40, 140], 'krejcie_morgan_n': [80, 36, 103], \
'suppressed': [True, True, False]}
    """
    heads = units[units["unit"].notna() & units["fiscal_year"].notna()
                  & units["headcount"].notna()]
    heads = pd.DataFrame({
        "fiscal_year": heads["fiscal_year"].astype("int64").to_numpy(),
        "unit": heads["unit"].astype(str).to_numpy(),
        "headcount": pd.to_numeric(heads["headcount"]).astype("int64").to_numpy(),
    }).drop_duplicates(["fiscal_year", "unit"])
    if fiscal_year is not None:
        heads = heads[heads["fiscal_year"] == int(fiscal_year)]
    heads = heads[heads["headcount"] > 0]
    answered = survey[survey["fiscal_year"].notna()]
    counts = (answered.assign(fiscal_year=answered["fiscal_year"].astype("int64"))
              .groupby(["fiscal_year", "unit"]).size().rename("responses").reset_index())
    table = heads.merge(counts, on=["fiscal_year", "unit"], how="left")
    table["responses"] = table["responses"].fillna(0).astype("int64")
    table = table.sort_values(["fiscal_year", "unit"], kind="stable").reset_index(drop=True)
    dept = (table.groupby("fiscal_year", as_index=False)[["headcount", "responses"]].sum())
    if not answered.empty:  # responses with a unit missing from the units table, or none
        all_years = answered.groupby(answered["fiscal_year"].astype("int64")).size()
        dept["responses"] = dept["fiscal_year"].map(all_years).fillna(0).astype("int64")
    dept["unit"] = None
    rows = []
    for frame in (table, dept):
        frame = frame.copy()
        head = frame["headcount"].to_numpy()
        frame["yamane_n"] = sample_size_yamane(head, e) if len(frame) else []
        frame["krejcie_morgan_n"] = sample_size_krejcie_morgan(head, d=e) if len(frame) else []
        resp = np.minimum(frame["responses"].to_numpy(dtype="float64"), head)
        frame["response_rate"] = frame["responses"] / frame["headcount"]
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["margin_of_error"] = [
                margin_of_error(r, h) if r >= 1 else np.nan for r, h in zip(resp, head,
                                                                            strict=True)
            ]
        frame["adequate"] = frame["responses"] >= frame["krejcie_morgan_n"]
        rows.append(frame)
    pattern = disclosure_pattern if disclosure_pattern is not None else \
        disclosure(survey, min_group_size).respondents
    hidden_columns = ["responses", "response_rate", "margin_of_error", "adequate"]
    units_part = disclose(rows[0], "unit", "responses", hidden_columns, pattern)
    dept_part = disclose(rows[1], "unit", "responses", hidden_columns, pattern)
    out = pd.concat([units_part, dept_part], ignore_index=True)
    out["unit"] = out["unit"].astype(object).where(out["unit"].notna(), None)
    return out[list(ADEQUACY_COLUMNS)]
