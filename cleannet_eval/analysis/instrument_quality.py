"""The instrument-quality chapter of one fiscal year, as tables and as plain JSON values.

:func:`instrument_quality` gathers what reviewers ask for — IOC from the expert review,
reliability (alpha with CI, standardized alpha, omega), item analysis and discrimination,
KMO/Bartlett, the CFA of the instrument's factors and the sample adequacy of every unit — so
that the ``quality`` command and notebook ``06_instrument_quality`` show the same numbers.
Survey-derived figures of a selection smaller than the minimum group size are not computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..calendar import years_with_data
from ..dataset import Dataset
from ..disclosure import disclosure
from ..errors import CleannetError
from ..instruments import Instrument
from .cfa import CFAResult, fit_reading, instrument_cfa
from .quality import (
    expert_ratings,
    instrument_reliability,
    ioc,
    item_discrimination,
    kmo_bartlett,
)
from .sample import sample_adequacy
from .scoring import item_matrix, resolve_instrument
from .summary import jsonable


@dataclass
class InstrumentQuality:
    """Every table of the instrument-quality chapter (``None`` where there is nothing to show).

    Attributes
    ----------
    fiscal_year
        The selection (``None`` = every year).
    respondents
        Survey rows in the selection.
    suppressed
        ``True`` when the selection has fewer respondents than the minimum group size: then
        no survey-derived table is computed.
    ioc
        :func:`~.quality.ioc` of the expert review, or ``None`` when none was supplied.
    reliability, items
        :func:`~.quality.reliability_table`; :func:`~.quality.item_analysis` joined with the
        27% discrimination t of each item within its factor (``t``, ``df``, ``p``).
    kmo
        :func:`~.quality.kmo_bartlett` of every item (listwise), or ``None``.
    cfa, cfa_reading
        :func:`~.cfa.instrument_cfa` and :func:`~.cfa.fit_reading`.
    adequacy
        :func:`~.sample.sample_adequacy` (units below the minimum size hidden).
    notes
        Sentences on what could not be computed and why.
    """

    fiscal_year: int | None
    respondents: int
    suppressed: bool
    ioc: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    items: pd.DataFrame | None = None
    kmo: pd.DataFrame | None = None
    cfa: CFAResult | None = None
    cfa_reading: pd.DataFrame | None = None
    adequacy: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON values: tables as lists of records, numbers rounded to 4 decimals."""

        def records(frame: pd.DataFrame | None) -> list[dict] | None:
            return None if frame is None else jsonable(frame.to_dict("records"))

        cfa = None
        if self.cfa is not None:
            fit = self.cfa.fit.iloc[0].to_dict() if len(self.cfa.fit) else {}
            cfa = {"fit": jsonable(fit), "reading": records(self.cfa_reading),
                   "loadings": records(self.cfa.loadings), "notes": list(self.cfa.notes)}
        kmo = None
        if self.kmo is not None:
            overall = self.kmo.iloc[-1]
            kmo = jsonable({
                "kmo": overall["kmo"], "kmo_label": overall["kmo_label"], "n": overall["n"],
                "bartlett_chi2": overall["bartlett_chi2"], "bartlett_df": overall["bartlett_df"],
                "bartlett_p": overall["bartlett_p"],
                "items": dict(zip(self.kmo["item"].iloc[:-1], self.kmo["kmo"].iloc[:-1],
                                  strict=True)),
            })
        return {
            "fiscal_year": self.fiscal_year,
            "respondents": None if self.suppressed else self.respondents,
            "suppressed": self.suppressed,
            "ioc": records(self.ioc),
            "reliability": records(self.reliability),
            "items": records(self.items),
            "kmo_bartlett": kmo,
            "cfa": cfa,
            "sample_adequacy": records(self.adequacy),
            "notes": list(self.notes),
        }


def _discrimination(values: np.ndarray, inst: Instrument) -> pd.DataFrame:
    positions = {code: j for j, code in enumerate(inst.item_codes)}
    parts = []
    for factor in inst.factors:
        codes = [i.code for i in factor.items]
        frame = pd.DataFrame(values[:, [positions[c] for c in codes]], columns=codes)
        parts.append(item_discrimination(frame)[["item", "t", "df", "p"]])
    return pd.concat(parts, ignore_index=True)


def instrument_quality(
    dataset: Dataset,
    *,
    fiscal_year: int | None = None,
    instrument: Instrument | str | Path | None = None,
    min_group_size: int | None = None,
    e: float = 0.05,
    strict: bool = True,
) -> InstrumentQuality:
    """The instrument-quality chapter of one fiscal year (default: every year).

    Parameters
    ----------
    dataset
        The processed tables (not modified).
    fiscal_year
        A BE fiscal year with survey data, or ``None`` for every year.
    instrument
        Default: the instrument the data were ingested with.
    min_group_size
        Minimum respondents for survey-derived figures (default ``config.MIN_GROUP_SIZE``);
        also hides small units in the sample-adequacy table.
    e
        Precision of the required sample sizes.
    strict
        ``True``: a fiscal year without survey data is an error; ``False``: the result has no
        survey tables and a note says why (what a report wants).

    Returns
    -------
    InstrumentQuality

    Raises
    ------
    CleannetError
        A fiscal year without survey data (the message lists the years).
    """
    inst = resolve_instrument(instrument or dataset.instrument)
    size = config.MIN_GROUP_SIZE if min_group_size is None else int(min_group_size)
    survey = dataset.survey
    notes: list[str] = []
    year = None if fiscal_year is None else int(fiscal_year)
    years = years_with_data(survey)
    if strict and year is not None and year not in years:
        hint = " (fiscal years are Buddhist Era: CE + 543)" if year < 2400 else ""
        raise CleannetError(f"Fiscal year {fiscal_year!r} has no survey data{hint}. Years with "
                            "data: " + (", ".join(map(str, years)) or "none"))
    if year is not None:
        survey = survey[(survey["fiscal_year"] == year).fillna(False).to_numpy(dtype=bool)]
    codes = [c for c in inst.item_codes if c in survey.columns]
    if codes:
        # One canonical row order: every figure depends only on the set of answer sheets, not
        # on which unit or row holds which (no floating-point trace of a hidden unit's rows).
        survey = survey.sort_values(codes, kind="stable", na_position="last")
    review = dataset.expert_review
    table_ioc = ioc(expert_ratings(review, inst)) if len(review) else None
    if table_ioc is None:
        notes.append("no expert review (IOC) was supplied: add a sheet in the expert-review "
                     "template to data/raw/")
    # the whole dataset's pattern: the one every other output asks (cleannet_eval.disclosure)
    pattern = disclosure(dataset.survey, size).respondents
    adequacy = sample_adequacy(survey, dataset.units, fiscal_year=year, e=e,
                               disclosure_pattern=pattern) if len(dataset.units) else None
    if adequacy is None:
        notes.append("no units table: sample adequacy needs the headcounts")
    hidden = len(survey) < size or not pattern.is_published(fiscal_year=year)
    result = InstrumentQuality(year, int(len(survey)), hidden, ioc=table_ioc,
                               adequacy=adequacy, notes=notes)
    if result.suppressed:
        notes.append(f"fewer than {size} respondents: the reliability, item and factor "
                     "analyses are not shown")
        return result
    result.reliability, items = instrument_reliability(survey, inst)
    values = item_matrix(survey, inst)
    result.items = items.merge(_discrimination(values, inst), on="item", how="left")
    try:
        result.kmo = kmo_bartlett(pd.DataFrame(values, columns=inst.item_codes))
    except CleannetError as exc:  # a singular matrix or too few complete rows
        notes.append(f"KMO and Bartlett's test not computed: {exc}")
    result.cfa = instrument_cfa(survey, inst)
    result.cfa_reading = fit_reading(result.cfa.fit)
    notes.extend(result.cfa.notes)
    return result
