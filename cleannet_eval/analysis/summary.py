"""The headline summary (``cleannet-eval summary --json``): a JSON-ready dict, built in parts.

:func:`survey_summary` returns ``{"fiscal_year", "unit", "survey": {...}}``. Other parts
(participation, network) are added as further top-level keys by their own functions::

    summary = survey_summary(dataset, fiscal_year=2551)
    summary["participation"] = participation_section(dataset, fiscal_year=2551)  # elsewhere

Every part follows the same conventions: Python ``int``/``float``/``str``/``bool``/``None``
only (see :func:`jsonable`), floats rounded to 4 decimals, and a hidden group keeps its keys
with ``null`` values and ``"suppressed": true``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..calendar import years_with_data
from ..disclosure import PUBLISHED, Disclosure, disclosure, hidden_label
from ..errors import CleannetError
from ..instruments import Instrument
from ..shared import memoized
from .bands import effective_scheme, interpret
from .network import network_summary
from .participation import participation_summary
from .reliability import cronbach_alpha
from .scoring import OVERALL, item_matrix, resolve_instrument, score_respondents
from .tables import DIGITS, jsonable

#: Decimal places of the floats in the summary.
#: Keys of one factor's entry in ``summary["survey"]["factors"]``.
FACTOR_KEYS: tuple[str, ...] = (
    "name_th", "name_en", "n", "mean", "sd", "level_th", "level_en", "alpha", "suppressed",
)



def summary_header(fiscal_year: int | None = None, unit: str | None = None) -> dict[str, object]:
    """The selection every summary starts with: ``{"fiscal_year": ..., "unit": ...}``.

    ``None`` means all fiscal years / the whole department.
    """
    return {"fiscal_year": None if fiscal_year is None else int(fiscal_year), "unit": unit}


def _unpack(
    survey: pd.DataFrame | object, instrument: Instrument | str | Path | None
) -> tuple[pd.DataFrame, Instrument]:
    """Accept a survey DataFrame or a :class:`~cleannet_eval.dataset.Dataset`."""
    if not isinstance(survey, pd.DataFrame) and isinstance(getattr(survey, "survey", None),
                                                           pd.DataFrame):
        if instrument is None:
            instrument = survey.instrument  # type: ignore[attr-defined]
        survey = survey.survey  # type: ignore[attr-defined]
    if not isinstance(survey, pd.DataFrame):
        raise CleannetError(f"Expected a survey DataFrame or a Dataset, got {type(survey)!r}")
    return survey, resolve_instrument(instrument)


def _check_selection(
    survey: pd.DataFrame, fiscal_year: int | None, unit: str | None
) -> int | None:
    if unit is not None:
        if "unit" not in survey.columns:
            raise CleannetError("The survey table has no 'unit' column")
        units = sorted(str(u) for u in survey["unit"].dropna().unique())
        if unit not in units:
            raise CleannetError(
                f"Unknown unit {unit!r}: no survey responses. Units with responses: "
                + (", ".join(units) or "none")
            )
    if fiscal_year is None:
        return None
    if "fiscal_year" not in survey.columns:
        raise CleannetError("The survey table has no 'fiscal_year' column")
    years = years_with_data(survey)
    try:
        year = int(fiscal_year)
    except (TypeError, ValueError):
        year = None
    if year is None or year not in years:
        hint = " (fiscal years are Buddhist Era: CE + 543)" if year and year < 2400 else ""
        raise CleannetError(
            f"Fiscal year {fiscal_year!r} has no survey data{hint}. Years with data: "
            + (", ".join(map(str, years)) or "none")
        )
    return year


@memoized
def survey_section(
    survey: pd.DataFrame | object,
    instrument: Instrument | str | Path | None = None,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    bands: str | None = None,
    min_group_size: int | None = None,
    min_answered: float | None = None,
    nan_policy: str = "omit",
    alpha_nan_policy: str = "pairwise",
    lang: str = "en",
    disclosure_pattern: Disclosure | None = None,
) -> dict[str, object]:
    """The ``"survey"`` part of the summary for one unit and/or fiscal year.

    Parameters are those of :func:`survey_summary`; returns only the inner dict.
    """
    survey, inst = _unpack(survey, instrument)
    year = _check_selection(survey, fiscal_year, unit)
    disc = disclosure_pattern if disclosure_pattern is not None else disclosure(
        survey, min_group_size)
    size = disc.min_group_size
    scheme = effective_scheme(config.DEFAULT_BANDS if bands is None else bands,
                              inst.scale.min, inst.scale.max)
    keep = [c for c in ("unit", "fiscal_year") if c in survey.columns]
    scores = score_respondents(survey, inst, min_answered=min_answered, nan_policy=nan_policy,
                               keep=keep)
    factor_keys = [f.key for f in inst.factors]
    measures = [*factor_keys, OVERALL]

    selected = pd.Series(True, index=survey.index)
    if unit is not None:
        selected &= (survey["unit"] == unit).fillna(False).to_numpy(dtype=bool)
    if year is not None:
        selected &= (survey["fiscal_year"] == year).fillna(False).to_numpy(dtype=bool)
    chosen_rows = survey[selected.to_numpy()]
    chosen = scores[selected.to_numpy()]
    status: dict[str, str] = {}
    if len(chosen_rows) == 0:  # the unit has no respondents in that year
        status = dict.fromkeys(["respondents", *measures], "primary")
    else:
        def make(full: pd.DataFrame) -> pd.DataFrame:
            return score_respondents(full, inst, min_answered=min_answered,
                                     nan_policy=nan_policy, keep=())[measures].notna()

        full = disc.counted((f"factor:{inst.id}:{min_answered}:{nan_policy}",), make)
        own, per = disc.group_statuses(chosen_rows, [], measures, chosen[measures].notna(),
                                       full, kind=f"factor:{inst.id}:{min_answered}:"
                                       f"{nan_policy}:")
        status = {"respondents": str(own[0]),
                  **{m: str(per[0, j]) for j, m in enumerate(measures)}}
    hidden = {key: value != PUBLISHED for key, value in status.items()}
    group_hidden = hidden["respondents"]
    section: dict[str, object] = {
        "instrument": inst.id,
        "bands": scheme,
        "min_group_size": int(size),
        "suppressed": group_hidden,
        "note": hidden_label(status["respondents"], size, lang) if group_hidden else None,
        "respondents": None if group_hidden else int(len(chosen)),
    }
    overall_hidden = group_hidden or hidden[OVERALL]
    overall = chosen[OVERALL].dropna()
    section.update(
        overall_n=None if overall_hidden else int(overall.size),
        overall_mean=None if overall_hidden else _num(overall.mean()),
        overall_sd=None if overall_hidden else _num(overall.std(ddof=1)),
        overall_level_th=None if overall_hidden else interpret(
            _num(overall.mean(), None), scheme, scale=inst.scale, lang="th"),
        overall_level_en=None if overall_hidden else interpret(
            _num(overall.mean(), None), scheme, scale=inst.scale, lang="en"),
    )
    values = None if group_hidden else item_matrix(survey[selected.to_numpy()], inst)
    positions = {code: j for j, code in enumerate(inst.item_codes)}
    factors: dict[str, dict[str, object]] = {}
    for factor in inst.factors:
        entry: dict[str, object] = {key: None for key in FACTOR_KEYS}
        entry.update(name_th=factor.name_th, name_en=factor.name_en)
        factor_hidden = group_hidden or hidden[factor.key]
        entry["suppressed"] = factor_hidden
        if not factor_hidden and values is not None:
            data = chosen[factor.key].dropna()
            mean = _num(data.mean(), None)
            cols = [positions[item.code] for item in factor.items]
            alpha = cronbach_alpha(values[:, cols], nan_policy=alpha_nan_policy).alpha
            entry.update(
                n=int(data.size),
                mean=_num(mean),
                sd=_num(data.std(ddof=1)),
                level_th=interpret(mean, scheme, scale=inst.scale, lang="th"),
                level_en=interpret(mean, scheme, scale=inst.scale, lang="en"),
                alpha=_num(alpha),
            )
        factors[factor.key] = entry
    section["factors"] = factors
    return jsonable(section)  # type: ignore[return-value]


def survey_summary(
    survey: pd.DataFrame | object,
    instrument: Instrument | str | Path | None = None,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    bands: str | None = None,
    min_group_size: int | None = None,
    min_answered: float | None = None,
    nan_policy: str = "omit",
    alpha_nan_policy: str = "pairwise",
) -> dict[str, object]:
    """The headline summary of the survey for ``cleannet-eval summary --json``.

    Parameters
    ----------
    survey
        The processed survey table, or a :class:`~cleannet_eval.dataset.Dataset` (its
        ``survey`` and, unless ``instrument`` is given, its ``instrument``). Not modified.
    instrument
        Instrument object, shipped name or YAML path.
    fiscal_year
        A fiscal year (BE, e.g. 2551), or ``None`` for all years.
    unit
        A unit name, or ``None`` for the whole department.
    bands
        ``"half"`` or ``"equal"``; default ``config.DEFAULT_BANDS``.
    min_group_size
        Minimum group size; default ``config.MIN_GROUP_SIZE`` (5).
    min_answered, nan_policy
        Respondent scoring, see :func:`~.scoring.score_respondents`.
    alpha_nan_policy
        ``"pairwise"`` or ``"listwise"`` for Cronbach's alpha.

    Returns
    -------
    dict
        JSON-ready (Python types only, floats rounded to 4 decimals)::

            {
              "fiscal_year": 2551 | None,
              "unit": "..." | None,
              "survey": {
                "instrument": "cleannet5",
                "bands": "half",                # the scheme used
                "min_group_size": 5,
                "suppressed": False,            # the selected group is hidden
                "note": None | "n < 5",
                "respondents": 123 | None,
                "overall_n": 120 | None,        # respondents with an overall index
                "overall_mean": 4.1234 | None,  # overall index, see overall_index()
                "overall_sd": 0.5123 | None,
                "overall_level_th": "มาก" | None,
                "overall_level_en": "High" | None,
                "factors": {
                  "<factor key>": {"name_th", "name_en", "n", "mean", "sd", "level_th",
                                   "level_en", "alpha", "suppressed"},
                  ...                           # every factor of the instrument, in order
                },
              },
            }

    Raises
    ------
    CleannetError
        Unknown unit (lists the units with responses) or a fiscal year without survey data
        (lists the years with data).

    Notes
    -----
    A hidden group or factor keeps every key, with ``None`` (JSON ``null``) for each number
    and level and ``"suppressed": true``; names and settings stay. A unit that exists but has
    no respondent in the chosen year is hidden the same way.

    Hiding follows the dataset's disclosure pattern (:mod:`cleannet_eval.disclosure`), the
    same one every table, chart and report asks, separately for the respondent count and for
    each factor's ``n``: a cell is hidden below the minimum (``note`` reads ``n < 5``), and
    so is every cell that would let a small group be worked out from the published ones
    (``note`` reads "hidden to protect a small group"). The same request therefore always
    gives the same answer, whatever other cells are requested.

    ``alpha`` is Cronbach's alpha of the factor's items among the selected respondents
    (:func:`~.reliability.cronbach_alpha`).

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 3 + (i + j) % 3 for j, c in enumerate(inst.item_codes)}
    ...         | {"unit": "A" if i < 8 else "B", "fiscal_year": 2551} for i in range(12)]
    >>> s = pd.DataFrame(rows).astype({c: "Int64" for c in [*inst.item_codes, "fiscal_year"]})
    >>> out = survey_summary(s, inst, unit="B")
    >>> out["survey"]["suppressed"], out["survey"]["respondents"]
    (True, None)
    >>> survey_summary(s, inst)["survey"]["respondents"]
    12
    """
    section = survey_section(
        survey, instrument, fiscal_year=fiscal_year, unit=unit, bands=bands,
        min_group_size=min_group_size, min_answered=min_answered, nan_policy=nan_policy,
        alpha_nan_policy=alpha_nan_policy,
    )
    return {**summary_header(fiscal_year, unit), "survey": section}


def _num(value: object, digits: int | None = DIGITS) -> float | None:
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return number if digits is None else round(number, digits)


def headline_summary(
    dataset: object,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    bands: str | None = None,
    min_group_size: int | None = None,
) -> dict[str, object]:
    """Every headline figure of one selection: survey, participation and network.

    Parameters
    ----------
    dataset
        A :class:`~cleannet_eval.dataset.Dataset`.
    fiscal_year, unit
        The selection; ``None`` for every fiscal year / the whole department.

    Returns
    -------
    dict
        ``{"fiscal_year", "unit", "survey": {...}, "participation": {...}, "network": {...}}``;
        the keys are documented in the README.
    """
    summary = survey_summary(dataset, fiscal_year=fiscal_year, unit=unit, bands=bands,
                             min_group_size=min_group_size)
    summary["participation"] = jsonable(participation_summary(dataset, fiscal_year, unit))
    summary["network"] = jsonable(network_summary(dataset, fiscal_year, unit))
    return summary
