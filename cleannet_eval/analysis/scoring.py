"""Scores: per respondent, per factor and per item, with interpretation levels and ranks.

The processed survey table holds raw answers (one nullable ``Int64`` column per item code).
Reverse-scored items are turned round here (``min + max − x``) before anything is averaged.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..disclosure import PUBLISHED, Disclosure, disclosure, hidden_label, row_key
from ..errors import CleannetError, ConfigError
from ..i18n import entry
from ..instruments import Instrument, load_instrument
from ..shared import memoized
from .bands import effective_scheme, interpret, round_half_up
from .confidentiality import SUPPRESSED, blank_rows
from .grouping import check_by, describe_groups
from .selection import check_choice

#: Columns of the survey table that identify a respondent or a group; carried into scores.
ID_COLUMNS: tuple[str, ...] = ("respondent", "unit", "staff_type", "role", "fiscal_year")
#: Name of the overall index (column of :func:`score_respondents`, row of :func:`factor_table`).
OVERALL = "overall"
OVERALL_NAMES = entry("group.overall")
#: Accepted ``nan_policy`` values of the scoring functions.
NAN_POLICIES: tuple[str, ...] = ("omit", "propagate", "raise")
#: Rows per block in the vectorised kernels (see :func:`item_blocks`): big enough for BLAS,
#: small enough that the temporaries stay in cache and their memory is reused.
CHUNK_ROWS = 1 << 14


#: Columns of :func:`factor_table` after the ``by`` columns.
FACTOR_TABLE_COLUMNS: tuple[str, ...] = (
    "factor", "name_th", "name_en", "n", "mean", "sd", "ci_low", "ci_high",
    "level_th", "level_en", "rank", SUPPRESSED,
)


# --------------------------------------------------------------------------- helpers


def resolve_instrument(instrument: Instrument | str | Path | None) -> Instrument:
    """An :class:`Instrument` as given, or loaded by name/path (``None``: the default)."""
    if isinstance(instrument, Instrument):
        return instrument
    return load_instrument(instrument)




def _check_share(min_answered: float | None) -> float:
    share = config.MIN_ANSWERED_SHARE if min_answered is None else min_answered
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise ConfigError(
            f"min_answered must be a share of items in (0, 1], e.g. 0.6; got {share!r}"
        )
    return float(share)


def _check_ci(ci: float) -> float:
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ConfigError(f"ci must be a confidence level between 0 and 1, e.g. 0.95; got {ci!r}")
    return float(ci)




def required_count(share: float, k: int) -> int:
    """Items a respondent must answer out of ``k``: ``ceil(share · k)``, at least 1.

    Examples
    --------
    >>> required_count(0.6, 5), required_count(0.6, 4), required_count(1.0, 3)
    (3, 3, 3)
    """
    return max(1, math.ceil(share * k - 1e-9))


def item_blocks(
    survey: pd.DataFrame,
    instrument: Instrument,
    codes: Sequence[str] | None = None,
    *,
    reverse: bool = True,
    size: int | None = None,
) -> Iterator[tuple[slice, np.ndarray]]:
    """The answers block by block of rows, as float arrays, reverse-scored items turned round.

    Large tables are never converted whole: each block (``CHUNK_ROWS`` rows) is converted,
    checked and handed on, so memory stays small and is reused.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    instrument
        Gives the item codes, the scale and which items are reverse-scored.
    codes
        Item codes to take, in this order; default every item of the instrument.
    reverse
        Turn reverse-scored items round: ``min + max − x``.
    size
        Rows per block; default ``CHUNK_ROWS``.

    Yields
    ------
    (slice, numpy.ndarray)
        The rows (positions) and their ``(rows, items)`` ``float64`` answers, ``NaN`` = none.

    Raises
    ------
    CleannetError
        An item column is missing, or holds a value that is not a whole number on the scale.
    """
    codes = list(instrument.item_codes if codes is None else codes)
    missing = [c for c in codes if c not in survey.columns]
    if missing:
        raise CleannetError(
            f"The survey table has no column for item(s) {', '.join(missing)} of instrument "
            f"{instrument.id!r}. Check the instrument (--instrument) matches the survey."
        )
    lo, hi = instrument.scale.min, instrument.scale.max
    columns = []
    for code in codes:
        column = survey[code]
        if not (pd.api.types.is_numeric_dtype(column.dtype) or column.isna().all()):
            not_numbers = pd.to_numeric(column, errors="coerce").isna() & column.notna()
            if not_numbers.any():
                raise CleannetError(
                    f"Item {code}: answer {column[not_numbers].iloc[0]!r} is not a number. "
                    f"Valid answers: whole numbers {lo}–{hi} or empty"
                )
            column = pd.to_numeric(column, errors="coerce")
        columns.append(column.array)
    whole = [pd.api.types.is_integer_dtype(survey[c].dtype) for c in codes]
    by_code = {item.code: item for item in instrument.items}
    flip = [j for j, c in enumerate(codes) if reverse and by_code[c].reverse]
    for rows in row_chunks(len(survey), size or CHUNK_ROWS):
        block = np.empty((rows.stop - rows.start, len(codes)))
        for j, array in enumerate(columns):
            block[:, j] = array[rows].to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            # NaN compares False, so gaps pass; whole numbers are checked where not certain
            suspect = bool(np.any(block < lo) or np.any(block > hi)) or any(
                np.any(np.floor(block[:, j]) != block[:, j])
                for j in range(len(codes)) if not whole[j]
            )
        if suspect:
            with np.errstate(invalid="ignore"):
                bad = (block < lo) | (block > hi) | (np.floor(block) != block)
            row, col = np.argwhere(bad & ~np.isnan(block))[0]
            raise CleannetError(
                f"Item {codes[col]}: answer {block[row, col]:g} "
                f"({_where(survey, rows.start + row)}) is outside the scale. "
                f"Valid answers: whole numbers {lo}–{hi} or empty"
            )
        if flip:
            block[:, flip] = (lo + hi) - block[:, flip]
        yield rows, block


def _where(survey: pd.DataFrame, position: int) -> str:
    """Where a survey row came from, as a person would look it up."""
    row = survey.iloc[position]
    parts = []
    if "respondent" in survey.columns and pd.notna(row["respondent"]):
        parts.append(f"respondent {row['respondent']}")
    if {"source_file", "source_row"} <= set(survey.columns) and pd.notna(row["source_row"]):
        parts.append(f"{row['source_file']} row {int(row['source_row'])}")
    else:
        parts.append(f"table row {position + 1}")
    return ", ".join(parts)


def item_matrix(
    survey: pd.DataFrame,
    instrument: Instrument,
    codes: Sequence[str] | None = None,
    *,
    reverse: bool = True,
) -> np.ndarray:
    """The answers as one float array (``NaN`` = no answer), reverse-scored items turned round.

    Parameters and errors as :func:`item_blocks`; returns shape ``(respondents, items)``.
    """
    n_codes = len(instrument.item_codes if codes is None else codes)
    values = np.empty((len(survey), n_codes))
    for rows, block in item_blocks(survey, instrument, codes, reverse=reverse):
        values[rows] = block
    return values


_BLAS_CONTROLLER: list[object] = []


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """Hold BLAS to one thread inside the block loops (if ``threadpoolctl`` is installed).

    The products there are small and memory-bound; a second BLAS thread makes every call wait
    for a free core, which on a busy 2-core machine costs more than it saves.
    """
    if not _BLAS_CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # optional: without it BLAS keeps its own thread count
            _BLAS_CONTROLLER.append(None)
        else:
            _BLAS_CONTROLLER.append(ThreadpoolController())
    controller = _BLAS_CONTROLLER[0]
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):  # type: ignore[attr-defined]
        yield


def row_chunks(n: int, size: int = CHUNK_ROWS) -> list[slice]:
    """Consecutive row blocks covering ``range(n)``."""
    return [slice(start, min(start + size, n)) for start in range(0, n, size)] or [slice(0, 0)]


# --------------------------------------------------------------------------- respondents


def score_respondents(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    min_answered: float | None = None,
    nan_policy: str = "omit",
    keep: Sequence[str] = ID_COLUMNS,
) -> pd.DataFrame:
    """Each respondent's score on each factor, and their overall index.

    Parameters
    ----------
    survey
        The processed survey table: one row per respondent, one ``Int64`` column per item code
        holding the raw answer. Not modified.
    instrument
        The instrument (object, shipped name or YAML path); default ``config.DEFAULT_INSTRUMENT``.
    min_answered
        Share of a factor's items a respondent must answer for a score; default
        ``config.MIN_ANSWERED_SHARE`` (0.6: 3 of 5 items, 3 of 4).
    nan_policy
        ``"omit"`` (default): average the answered items, ``NaN`` below ``min_answered``.
        ``"propagate"``: ``NaN`` as soon as one item of the factor is unanswered.
        ``"raise"``: raise :class:`~cleannet_eval.errors.CleannetError` on any unanswered item.
    keep
        Survey columns copied into the result (those that exist).

    Returns
    -------
    pandas.DataFrame
        Same index as ``survey``: the ``keep`` columns, one float column per factor key (in
        instrument order) and ``overall``.

    Raises
    ------
    CleannetError
        Missing item column, an answer off the scale, or (``nan_policy="raise"``) a gap.
    ConfigError
        Invalid ``min_answered`` or ``nan_policy``.

    Notes
    -----
    Reverse-scored items are turned round first, :math:`x' = \\min + \\max - x`. A factor score
    is the mean of the answered items,

    .. math:: s_{rf} = \\frac{1}{|A_{rf}|} \\sum_{i \\in A_{rf}} x'_{ri},
       \\quad |A_{rf}| \\ge \\lceil p \\cdot k_f \\rceil,

    with :math:`A_{rf}` the items of factor *f* respondent *r* answered, :math:`k_f` the
    factor's items and :math:`p` = ``min_answered``. The overall index of a respondent is the
    mean of their factor scores (each factor weighs the same whatever its number of items),
    under the same rule applied to factors: at least :math:`\\lceil p \\cdot F \\rceil` of the
    *F* factors scored (``"propagate"``: all of them).

    References
    ----------
    .. [1] Slevin, D. P. & Pinto, J. K. (1986). The Project Implementation Profile: new tool for
       project managers. Project Management Journal, 17(4), 57–70.
    .. [2] Newman, D. A. (2014). Missing data: five practical guidelines. Organizational
       Research Methods, 17(4), 372–411 (person-mean scoring when most items are answered).

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> row = {c: 4 for c in inst.item_codes} | {"respondent": "r1", "TMS5": 2}
    >>> s = pd.DataFrame([row]).astype({c: "Int64" for c in inst.item_codes})
    >>> scores = score_respondents(s, inst)
    >>> scores[["respondent", "top_management_support", "overall"]].to_dict("records")
    [{'respondent': 'r1', 'top_management_support': 4.0, 'overall': 4.0}]
    """
    inst = resolve_instrument(instrument)
    share = _check_share(min_answered)
    check_choice("nan_policy", nan_policy, NAN_POLICIES)
    factors = inst.factors
    # answered counts and sums of every factor are products with a 0/1 item x factor matrix
    membership = np.zeros((len(inst.item_codes), len(factors)))
    need = np.empty(len(factors))
    start = 0
    for j, factor in enumerate(factors):
        k = len(factor.items)
        membership[start:start + k, j] = 1.0
        need[j] = k if nan_policy == "propagate" else required_count(share, k)
        start += k
    need_overall = (len(factors) if nan_policy == "propagate"
                    else required_count(share, len(factors)))
    # one column per factor, then the overall index; column-major so each is contiguous
    result = np.empty((len(survey), len(factors) + 1), order="F")
    with single_blas_thread(), np.errstate(invalid="ignore", divide="ignore"):
        for rows, block in item_blocks(survey, inst):
            gaps = np.isnan(block)
            if nan_policy == "raise" and gaps.any():
                row, col = np.argwhere(gaps)[0]
                where = _where(survey, rows.start + row)
                raise CleannetError(
                    f"Item {inst.item_codes[col]} is unanswered ({where}). Use nan_policy='omit' "
                    "or 'propagate'."
                )
            counts = (~gaps).astype("float64") @ membership
            means = (np.where(gaps, 0.0, block) @ membership) / counts
            means[counts < need] = np.nan
            result[rows, :-1] = means
            scored = ~np.isnan(means)
            n_scored = scored.sum(axis=1)
            overall = np.where(scored, means, 0.0).sum(axis=1) / n_scored
            overall[n_scored < need_overall] = np.nan
            result[rows, -1] = overall
    scores = pd.DataFrame(result, index=survey.index, copy=False,
                          columns=[*(f.key for f in factors), OVERALL])
    kept = survey[[c for c in keep if c in survey.columns]]
    return pd.concat([kept, scores], axis=1)




def _finish(
    long: pd.DataFrame,
    by: list[str],
    within: str,
    rank_within: list[str],
    scheme: str,
    scale: object,
    status: np.ndarray,
    exclude_from_rank: Sequence[str] = (),
) -> pd.DataFrame:
    """Hide what the disclosure pattern hides, then add levels and ranks of what is shown."""
    hidden = np.asarray(status != PUBLISHED, dtype=bool)
    long = long.copy()
    long["level_th"] = interpret(long["mean"], scheme, scale=scale, lang="th")
    long["level_en"] = interpret(long["mean"], scheme, scale=scale, lang="en")
    long[SUPPRESSED] = hidden
    stats = ["n", "mean", "sd", "ci_low", "ci_high", "level_th", "level_en"]
    blank_rows(long, hidden, [c for c in stats if c in long])  # item tables have no CI
    # rank on the printed (2-decimal) means, highest first, among the shown rows only
    rankable = long["mean"].where(~long[within].isin(list(exclude_from_rank)))
    rounded = round_half_up(rankable.astype("float64"))
    if rank_within:
        ranks = rounded.groupby(
            [long[c] for c in rank_within], dropna=False, sort=False
        ).rank(method="min", ascending=False)
    else:
        ranks = rounded.rank(method="min", ascending=False)
    long["rank"] = ranks.astype("Int64")
    keys = [*by, within]
    long.attrs["hidden_status"] = {
        row_key(values): str(st)
        for values, st, hide in zip(long[keys].itertuples(index=False, name=None), status,
                                    hidden, strict=True) if hide}
    long.attrs["status_key"] = keys
    return long


def measure_statuses(survey: pd.DataFrame, counted: pd.DataFrame, by_cols: list[str],
              long: pd.DataFrame, disc: Disclosure, kind: str, make) -> np.ndarray:  # noqa: ANN001
    """Disclosure status of every row of a long table (group × measure), from ``disc``."""
    measures = list(counted.columns)
    full = disc.counted((kind,), make)
    _, per = disc.group_statuses(survey, by_cols, measures, counted, full, kind=f"{kind}:")
    if per.size == 0:
        return np.full(len(long), "empty", dtype=object)
    return per[long["_group"].to_numpy(), long["_pos"].to_numpy()]


def hidden_text(table: pd.DataFrame, row: int, lang: str = "en",
                min_group_size: int | None = None) -> str:
    """What hidden row ``row`` (position) of a factor or item table reads: ``n < 5`` when
    the group is small, "hidden to protect a small group" when it is hidden to protect
    another (never its n)."""
    size = min_group_size if min_group_size is not None else table.attrs.get(
        "min_group_size", config.MIN_GROUP_SIZE)
    cols = table.attrs.get("status_key", [])
    status = "primary"
    if cols and all(c in table.columns for c in cols):
        status = table.attrs.get("hidden_status", {}).get(
            row_key([table[c].iat[row] for c in cols]), "primary")
    return hidden_label(status, size, lang)


def pattern_for(survey: pd.DataFrame, given: Disclosure | None,
                   min_group_size: int | None) -> Disclosure:
    """The disclosure pattern to use: the one given, else ``survey`` as its own dataset."""
    if given is not None:
        return given
    return disclosure(survey, min_group_size)


def _stamp(table: pd.DataFrame, inst: Instrument, scheme: str, by_cols: list[str],
           min_group_size: int | None, kind: str, long: pd.DataFrame | None = None
           ) -> pd.DataFrame:
    """Record how a factor or item table was made in ``table.attrs`` (read by the renderers)."""
    if long is not None:
        table.attrs.update(hidden_status=long.attrs.get("hidden_status", {}),
                           status_key=long.attrs.get("status_key", []))
    table.attrs.update(
        instrument=inst.id, bands=scheme, by=by_cols,
        min_group_size=config.MIN_GROUP_SIZE if min_group_size is None else min_group_size,
        scale=(inst.scale.min, inst.scale.max), kind=kind,
    )
    return table


@memoized
def factor_table(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    by: str | Sequence[str] | None = None,
    bands: str | None = None,
    min_answered: float | None = None,
    nan_policy: str = "omit",
    ci: float = 0.95,
    min_group_size: int | None = None,
    overall: bool = True,
    disclosure: Disclosure | None = None,
) -> pd.DataFrame:
    """The factor table of a Thai survey report: n, X̄, S.D., 95% CI, level and rank.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    instrument
        Instrument object, shipped name or YAML path; default the default instrument.
    by
        ``None`` for the whole table, or a grouping column (``unit``, ``staff_type``, ``role``,
        ``fiscal_year``) or a list of them; missing group values form their own group.
    bands
        ``"half"`` or ``"equal"`` interpretation bands; default ``config.DEFAULT_BANDS``.
    min_answered, nan_policy
        Respondent scoring rule, see :func:`score_respondents`.
    ci
        Confidence level of the interval for the mean.
    min_group_size
        Smallest group shown; default ``config.MIN_GROUP_SIZE`` (5). Applies with secondary
        suppression (see :mod:`cleannet_eval.disclosure`; ``disclosure`` wins when given).
    overall
        Add an ``overall`` row (the overall index) per group.
    disclosure
        The disclosure pattern of the dataset ``survey`` belongs to
        (:func:`cleannet_eval.disclosure.disclosure` of the whole survey table); default:
        ``survey`` as a dataset of its own. Its minimum group size wins.

    Returns
    -------
    pandas.DataFrame
        One row per group and factor (instrument order, then ``overall``), columns: the ``by``
        columns, ``factor, name_th, name_en, n, mean, sd, ci_low, ci_high, level_th, level_en,
        rank, suppressed``. Hidden rows have every number and level missing and
        ``suppressed=True``. ``attrs`` holds ``instrument``, ``bands`` (the scheme used),
        ``min_group_size``, ``by``, ``scale``.

    Notes
    -----
    ``n`` is the number of respondents with a score on the factor. The mean and standard
    deviation (``ddof=1``) are of respondents' factor scores; the interval is
    :math:`\\bar{x} \\pm t_{1-\\alpha/2,\\,n-1}\\, s / \\sqrt{n}`. The level is read from the
    mean rounded half-up to 2 decimals (:func:`~cleannet_eval.analysis.bands.interpret`).
    ``rank`` orders the factors (not ``overall``) within a group from the highest printed mean
    (1); equal printed means share the smaller rank; hidden rows are not ranked. Suppression
    uses each row's ``n``; sibling sets are the groups of one factor (with two ``by`` columns,
    every row and column of the cross-table).

    References
    ----------
    .. [1] บุญชม ศรีสะอาด (2545). การวิจัยเบื้องต้น. Bangkok: Suweeriyasan.

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> rows = [{c: 3 + i % 3 for c in inst.item_codes} for i in range(6)]
    >>> s = pd.DataFrame(rows).astype("Int64")
    >>> factor_table(s, inst)[["factor", "n", "mean", "level_en", "rank"]].head(2)
                       factor  n  mean level_en  rank
    0  top_management_support  6   3.6     High     5
    1         project_mission  6   4.0     High     1
    """
    inst = resolve_instrument(instrument)
    by_cols = check_by(survey, by)
    ci = _check_ci(ci)
    scheme = effective_scheme(config.DEFAULT_BANDS if bands is None else bands,
                              inst.scale.min, inst.scale.max)
    scores = score_respondents(
        survey, inst, min_answered=min_answered, nan_policy=nan_policy, keep=by_cols
    )
    columns = [f.key for f in inst.factors] + ([OVERALL] if overall else [])
    long = describe_groups(scores, columns, by_cols, ci)
    names = {f.key: (f.name_th, f.name_en) for f in inst.factors}
    names[OVERALL] = (OVERALL_NAMES["th"], OVERALL_NAMES["en"])
    long["name_th"] = long["factor"].map(lambda k: names[k][0])
    long["name_en"] = long["factor"].map(lambda k: names[k][1])
    disc = pattern_for(survey, disclosure, min_group_size)

    def make(full: pd.DataFrame) -> pd.DataFrame:
        return score_respondents(full, inst, min_answered=min_answered,
                                 nan_policy=nan_policy, keep=())[columns].notna()

    status = measure_statuses(survey, scores[columns].notna(), by_cols, long, disc,
                       f"factor:{inst.id}:{min_answered}:{nan_policy}", make)
    long = _finish(long, by_cols, "factor", by_cols, scheme, inst.scale, status,
                   exclude_from_rank=[OVERALL])
    table = long[[*by_cols, *FACTOR_TABLE_COLUMNS]].reset_index(drop=True)
    return _stamp(table, inst, scheme, by_cols, disc.min_group_size, "factor", long)


@memoized
def item_table(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    by: str | Sequence[str] | None = None,
    bands: str | None = None,
    min_group_size: int | None = None,
    disclosure: Disclosure | None = None,
) -> pd.DataFrame:
    """The item table: per item n, X̄, S.D., level, rank within its factor, and answer shares.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    instrument
        Instrument object, shipped name or YAML path.
    by
        Grouping column(s) or ``None``; see :func:`factor_table`.
    bands
        ``"half"`` or ``"equal"``; default ``config.DEFAULT_BANDS``.
    min_group_size
        Smallest group shown (secondary suppression as in :func:`factor_table`).
    disclosure
        The dataset's disclosure pattern, see :func:`factor_table`.

    Returns
    -------
    pandas.DataFrame
        Columns: ``by`` columns, ``factor, item, text_th, text_en, reverse, n, mean, sd,
        level_th, level_en, rank, share_<v>`` for each scale value ``v``, ``suppressed``.

    Notes
    -----
    ``mean``, ``sd`` and the level are of the *scored* answer (reverse-scored items turned
    round, :math:`x' = \\min + \\max - x`), so a higher mean is always better and agrees with
    the factor score. ``share_<v>`` is the share of the respondents who answered the item that
    ticked ``v`` *as printed on the form* (raw, not reversed); shares add up to 1. ``rank`` is
    within the factor (and group), on the printed 2-decimal mean.

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> s = pd.DataFrame([{c: 5 for c in inst.item_codes}] * 5).astype("Int64")
    >>> t = item_table(s, inst)
    >>> t.loc[t["item"] == "TMS5", ["mean", "share_5", "level_en"]].to_dict("records")
    [{'mean': 1.0, 'share_5': 1.0, 'level_en': 'Very low'}]
    """
    inst = resolve_instrument(instrument)
    by_cols = check_by(survey, by)
    scheme = effective_scheme(config.DEFAULT_BANDS if bands is None else bands,
                              inst.scale.min, inst.scale.max)
    codes = inst.item_codes
    scored = pd.DataFrame(item_matrix(survey, inst), columns=codes, index=survey.index)
    raw = pd.DataFrame(item_matrix(survey, inst, reverse=False), columns=codes,
                       index=survey.index)
    for col in by_cols:
        scored[col] = survey[col]
    long = describe_groups(scored, codes, by_cols, 0.95).drop(columns=["ci_low", "ci_high"])
    long = long.rename(columns={"factor": "item"})
    values = list(range(inst.scale.min, inst.scale.max + 1))
    share_cols = [f"share_{v}" for v in values]
    shares = []
    for v in values:
        hits = (raw == v).astype("float64").where(raw.notna())
        for col in by_cols:
            hits[col] = survey[col]
        shares.append(describe_groups(hits, codes, by_cols, 0.95)["mean"].to_numpy())
    for col, share in zip(share_cols, shares, strict=True):
        long[col] = share
    by_code = {item.code: item for item in inst.items}
    long["factor"] = long["item"].map(lambda c: by_code[c].factor)
    long["text_th"] = long["item"].map(lambda c: by_code[c].text_th)
    long["text_en"] = long["item"].map(lambda c: by_code[c].text_en)
    long["reverse"] = long["item"].map(lambda c: by_code[c].reverse)
    disc = pattern_for(survey, disclosure, min_group_size)

    def make(full: pd.DataFrame) -> pd.DataFrame:
        answered = ~np.isnan(item_matrix(full, inst, reverse=False))
        return pd.DataFrame(answered, columns=codes, index=full.index)

    answered = pd.DataFrame(raw.notna().to_numpy(), columns=codes, index=survey.index)
    status = measure_statuses(survey, answered, by_cols, long, disc, f"item:{inst.id}", make)
    long = _finish(long, by_cols, "item", [*by_cols, "factor"], scheme, inst.scale, status)
    blank_rows(long, long[SUPPRESSED].to_numpy(), share_cols)
    columns = [*by_cols, "factor", "item", "text_th", "text_en", "reverse", "n", "mean", "sd",
               "level_th", "level_en", "rank", *share_cols, SUPPRESSED]
    table = long[columns].reset_index(drop=True)
    return _stamp(table, inst, scheme, by_cols, disc.min_group_size, "item", long)


def overall_index(
    survey: pd.DataFrame,
    instrument: Instrument | str | Path | None = None,
    *,
    bands: str | None = None,
    min_answered: float | None = None,
    nan_policy: str = "omit",
    ci: float = 0.95,
) -> dict[str, object]:
    """The overall index of the whole table: the mean of the respondents' factor means.

    Parameters
    ----------
    survey
        The processed survey table (not modified). Select a group first to get its index;
        :func:`factor_table` gives it per group with suppression.
    instrument, bands, min_answered, nan_policy, ci
        As in :func:`factor_table`.

    Returns
    -------
    dict
        ``n, mean, sd, ci_low, ci_high, level_th, level_en`` as Python numbers/strings
        (``None`` where undefined).

    Notes
    -----
    Each respondent's index is the mean of their factor scores (every factor weighs the same,
    whatever its number of items; at least ``ceil(min_answered · F)`` factors scored); the
    overall index is the mean of these over respondents,
    :math:`I = \\frac{1}{n}\\sum_r \\frac{1}{|F_r|}\\sum_{f \\in F_r} s_{rf}`. It equals the
    mean of the factor means when every respondent has every factor score.

    Examples
    --------
    >>> from cleannet_eval.instruments import load_instrument
    >>> inst = load_instrument("cleannet5")
    >>> s = pd.DataFrame([{c: 4 for c in inst.item_codes} | {"TMS5": 2}] * 3).astype("Int64")
    >>> overall_index(s, inst)["mean"], overall_index(s, inst)["level_th"]
    (4.0, 'มาก')
    """
    inst = resolve_instrument(instrument)
    ci = _check_ci(ci)
    scheme = effective_scheme(config.DEFAULT_BANDS if bands is None else bands,
                              inst.scale.min, inst.scale.max)
    scores = score_respondents(survey, inst, min_answered=min_answered, nan_policy=nan_policy,
                               keep=())
    row = describe_groups(scores, [OVERALL], [], ci).iloc[0]

    def num(x: object) -> float | None:
        return None if pd.isna(x) else float(x)

    return {
        "n": int(row["n"]),
        "mean": num(row["mean"]),
        "sd": num(row["sd"]),
        "ci_low": num(row["ci_low"]),
        "ci_high": num(row["ci_high"]),
        "level_th": interpret(num(row["mean"]), scheme, scale=inst.scale, lang="th"),
        "level_en": interpret(num(row["mean"]), scheme, scale=inst.scale, lang="en"),
    }














