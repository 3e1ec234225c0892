"""Small tables the report notebooks put into words: rankings, recommendations, data checks.

The notebooks hold the narrative; the statistics come from :mod:`cleannet_eval.analysis`. What
is here only arranges those results for a sentence or a table: which factors are strengths and
which are weaknesses, which recommendations follow from the weakest factors and from the
evidence for the problems the programme itself reported (its section 5.2), what was read and
what is missing, and which survey groups are hidden. Nothing here reads a file or shows a name.
The words (labels, advice, the basis of each recommendation) are in the catalogue
``data/words/words.yaml`` (:mod:`cleannet_eval.i18n`); the tables here are views of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from .analysis.confidentiality import SUPPRESSED
from .analysis.network import cascade_depth
from .analysis.participation import activities_by_month
from .analysis.scoring import OVERALL, score_respondents
from .calendar import fiscal_year_bounds, fiscal_years
from .dataset import TABLES, Dataset
from .i18n import LANGS, area, entries, text
from .instruments import Instrument
from .shared import memoized

__all__ = [
    "ALPHA_QUALITY",
    "BY_NAMES",
    "CITIZEN_SHARE_TARGET",
    "MISSING_COLUMNS",
    "STATUS_NAMES",
    "TABLE_NAMES",
    "TEST_NAMES",
    "COORDINATION_CENTRE",
    "FACTOR_ADVICE",
    "activity_list",
    "alpha_quality_label",
    "depth_counts",
    "inputs_table",
    "missing_overview",
    "missing_values",
    "network_people",
    "rank_factors",
    "rank_items",
    "recommendations",
    "recruitment_graph",
    "rows_per_year",
    "suppression_overview",
    "unit_month_coverage",
    "unscored_respondents",
]

#: The programme's coordination centre (ศูนย์ประสานราชการใสสะอาด), named in the seed's 5.2.
COORDINATION_CENTRE = text("name.coordination_centre", "th")
#: Citizen share of attendances below which the citizen sector counts as "taking little part".
#: A reading aid, not a norm: the programme set no target (configurable by the caller).
CITIZEN_SHARE_TARGET = 0.10

#: George & Mallery's labels for Cronbach's alpha, in Thai and English.
ALPHA_QUALITY: dict[str, dict[str, str]] = entries("alpha")

#: What to do about each factor when it is among the weakest (Pinto & Slevin's ten factors;
#: the five the programme scored follow its own report, sections 5.1 and 5.3).
FACTOR_ADVICE: dict[str, dict[str, str]] = entries("factor_advice")

#: Words for the grouping columns, the suppression status and the tests, in Thai and English.
BY_NAMES: dict[str, dict[str, str]] = {lang: area("by", lang) for lang in LANGS}
STATUS_NAMES: dict[str, dict[str, str]] = {lang: area("status", lang) for lang in LANGS}
TEST_NAMES: dict[str, str] = area("test", "en")


def _lang(lang: str) -> str:
    if lang not in ("th", "en"):
        raise ValueError(f"Unsupported language {lang!r}. Supported: th, en")
    return lang


def alpha_quality_label(quality: str | None, lang: str = "th") -> str:
    """George & Mallery's label for alpha in ``lang``; ``–`` when alpha is undefined.

    Examples
    --------
    >>> alpha_quality_label("good"), alpha_quality_label("good", "en"), alpha_quality_label(None)
    ('ดี', 'good', '–')
    """
    if quality is None or (isinstance(quality, float) and math.isnan(quality)):
        return "–"
    return ALPHA_QUALITY.get(str(quality), {}).get(_lang(lang), str(quality))


# --------------------------------------------------------------------------- survey


def rank_factors(table: pd.DataFrame) -> pd.DataFrame:
    """The shown factors from strongest to weakest, each marked a strength or a weakness.

    Parameters
    ----------
    table
        A :func:`cleannet_eval.analysis.factor_table` without ``by`` (with its ``overall``
        row). Not modified.

    Returns
    -------
    pandas.DataFrame
        ``factor, name_th, name_en, n, mean, sd, level_th, level_en, rank, position`` for each
        factor that is not hidden, ordered by ``rank`` (1 = highest printed mean) then
        instrument order. ``position`` is ``"strength"`` when the factor's mean is at or above
        the overall index and ``"weakness"`` below it; without an overall index the upper half
        of the ranks are strengths. Empty when every factor is hidden.

    Examples
    --------
    >>> t = pd.DataFrame({"factor": ["a", "b", "overall"], "name_th": ["ก", "ข", "รวม"],
    ...                   "name_en": ["A", "B", "All"], "n": [9, 9, 9], "mean": [4.2, 3.1, 3.6],
    ...                   "sd": [0.5] * 3, "level_th": ["มาก", "ปานกลาง", "มาก"],
    ...                   "level_en": ["High", "Moderate", "High"], "rank": [1, 2, None],
    ...                   "suppressed": [False] * 3})
    >>> rank_factors(t)[["factor", "position"]].to_dict("records")
    [{'factor': 'a', 'position': 'strength'}, {'factor': 'b', 'position': 'weakness'}]
    """
    hidden = table[SUPPRESSED].fillna(True).astype(bool) if SUPPRESSED in table else \
        table["mean"].isna()
    shown = table[~hidden.to_numpy() & table["mean"].notna().to_numpy()]
    overall = shown.loc[shown["factor"] == OVERALL, "mean"]
    factors = shown[shown["factor"] != OVERALL].copy()
    factors["_order"] = np.arange(len(factors))
    factors = factors.sort_values(["rank", "_order"], kind="stable").drop(columns="_order")
    if len(overall):
        strong = factors["mean"].to_numpy(dtype=float) >= float(overall.iloc[0]) - 1e-12
    else:
        strong = np.arange(len(factors)) < math.ceil(len(factors) / 2)
    factors["position"] = np.where(strong, "strength", "weakness")
    columns = ["factor", "name_th", "name_en", "n", "mean", "sd", "level_th", "level_en",
               "rank", "position"]
    return factors[[c for c in columns if c in factors]].reset_index(drop=True)


def rank_items(items: pd.DataFrame, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` highest- and ``n`` lowest-scored items across the whole questionnaire.

    Parameters
    ----------
    items
        A :func:`cleannet_eval.analysis.item_table` without ``by``. Not modified.
    n
        How many items at each end.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The top and the bottom items (hidden items left out), highest first and lowest
        first, with ``factor, item, text_th, text_en, mean, level_th, level_en``. Means are of
        the scored answer (reverse items turned round), so lower is always worse.
    """
    hidden = items[SUPPRESSED].fillna(True).astype(bool) if SUPPRESSED in items else \
        items["mean"].isna()
    shown = items[~hidden.to_numpy() & items["mean"].notna().to_numpy()].copy()
    shown["_order"] = np.arange(len(shown))
    columns = ["factor", "item", "text_th", "text_en", "mean", "level_th", "level_en"]
    top = shown.sort_values(["mean", "_order"], ascending=[False, True], kind="stable")
    bottom = shown.sort_values(["mean", "_order"], ascending=[True, True], kind="stable")
    return (top.head(n)[columns].reset_index(drop=True),
            bottom.head(n)[columns].reset_index(drop=True))


def recommendations(
    ranked: pd.DataFrame,
    lang: str = "th",
    *,
    weakest: int = 2,
    citizen_share: float | None = None,
    citizen_target: float = CITIZEN_SHARE_TARGET,
    leader_exits: int | None = None,
    leader_transfers: int | None = None,
    units_without_leader: Sequence[str] = (),
) -> pd.DataFrame:
    """The recommendations that follow from the weakest factors and from the evidence.

    Parameters
    ----------
    ranked
        :func:`rank_factors` (strongest first).
    lang
        ``"th"`` or ``"en"``.
    weakest
        How many of the lowest-ranked factors get a recommendation (weaknesses only).
    citizen_share
        The citizen sector's share of attendances (``participation.citizen_share``);
        below ``citizen_target`` the seed's first recommendation (5.3) is added.
    citizen_target
        The share under which citizens count as taking little part.
    leader_exits, leader_transfers
        Leaders who left during the year, and how many of them by transfer; any transfer (or
        a unit left without a leader) adds the continuity recommendation.
    units_without_leader
        Units with no active leader at the year's end.

    Returns
    -------
    pandas.DataFrame
        ``basis`` (why, in ``lang``) and ``recommendation`` (what, in ``lang``), weakest
        factor first, then the evidence-based ones, then the programme's own call to keep
        going. Plain text: escape it before putting it into HTML.

    Examples
    --------
    >>> ranked = pd.DataFrame({"factor": ["personnel"], "name_th": ["บุคลากร"],
    ...                        "name_en": ["Personnel"], "mean": [3.6], "position": ["weakness"]})
    >>> recommendations(ranked, "en", citizen_share=0.05)["basis"].tolist()
    ['Weak factor: Personnel (mean 3.60)', 'Little citizen participation (5.0% of attendances)', \
"The programme's own suggestion (5.3)"]
    """
    lang = _lang(lang)
    from .formatting import format_number, format_percent

    rows: list[dict[str, str]] = []
    weak = ranked[ranked["position"] == "weakness"] if "position" in ranked else ranked
    chosen = weak.iloc[::-1].head(max(int(weakest), 0))  # the weakest first
    for factor in chosen.itertuples(index=False):
        advice = FACTOR_ADVICE.get(str(factor.factor))
        if advice is None:
            continue
        name = getattr(factor, f"name_{lang}")
        rows.append({"basis": text("basis.factor", lang, name=name,
                                   mean=format_number(factor.mean, 2)),
                     "recommendation": advice[lang]})
    if citizen_share is not None and not _isnan(citizen_share) and citizen_share < citizen_target:
        share = format_percent(citizen_share) if lang == "en" else \
            format_number(citizen_share * 100, 1)
        rows.append({"basis": text("basis.citizen", lang, share=share),
                     "recommendation": text("advice.citizen", lang)})
    transfers = int(leader_transfers or 0)
    if transfers or len(units_without_leader):
        parts = []
        if leader_exits:
            parts.append(text("basis.leader_exits", lang, count=int(leader_exits)))
        if transfers:
            parts.append(text("basis.transfers", lang, count=transfers))
        if len(units_without_leader):
            parts.append(text("basis.without_leader", lang, count=len(units_without_leader)))
        rows.append({"basis": text("basis.continuity", lang, detail=", ".join(parts)),
                     "recommendation": text("advice.continuity", lang)})
    rows.append({"basis": text("basis.sustain", lang),
                 "recommendation": text("advice.sustain", lang)})
    return pd.DataFrame(rows, columns=["basis", "recommendation"])


def _isnan(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def unscored_respondents(survey: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Respondents without a score on each factor (too few items answered) and overall.

    Parameters
    ----------
    survey
        The processed survey table (not modified).
    instrument
        The instrument it follows.

    Returns
    -------
    pandas.DataFrame
        ``factor, name_th, name_en, items, respondents, unscored, share`` — one row per factor,
        then ``overall``. A factor score needs ``config.MIN_ANSWERED_SHARE`` of its items.
    """
    scores = score_respondents(survey, instrument, keep=())
    rows = []
    for factor in instrument.factors:
        missing = int(scores[factor.key].isna().sum())
        rows.append({"factor": factor.key, "name_th": factor.name_th, "name_en": factor.name_en,
                     "items": len(factor.items), "respondents": len(scores),
                     "unscored": missing})
    rows.append({"factor": OVERALL, "name_th": text("group.overall", "th"),
                 "name_en": text("group.overall", "en"),
                 "items": len(instrument.items), "respondents": len(scores),
                 "unscored": int(scores[OVERALL].isna().sum()) if len(scores) else 0})
    out = pd.DataFrame(rows)
    out["share"] = out["unscored"] / out["respondents"].where(out["respondents"] > 0)
    return out


def suppression_overview(breakdowns: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Which survey groups are hidden, without giving away any hidden number.

    Parameters
    ----------
    breakdowns
        Column → its factor table by that column (:func:`~.analysis.factor_table` with
        ``by=column``, or :meth:`cleannet_eval.notebook.Report.breakdown`), as the report
        shows them. Not modified.

    Returns
    -------
    pandas.DataFrame
        ``by, group, status`` — one row per group: ``"shown"``, ``"hidden"`` (every factor
        hidden: fewer respondents than the minimum group size, or hidden with such a group so
        that it cannot be worked out by subtraction) or ``"partly"`` (some factors hidden:
        too few respondents answered enough of their items).

    Examples
    --------
    >>> t = pd.DataFrame({"role": ["a", "a", "b", "b"], "factor": ["f", "overall"] * 2,
    ...                   "suppressed": [False, False, True, True]})
    >>> suppression_overview({"role": t}).to_dict("records")
    [{'by': 'role', 'group': 'a', 'status': 'shown'}, \
{'by': 'role', 'group': 'b', 'status': 'hidden'}]
    """
    rows = []
    for column, table in breakdowns.items():
        if not len(table):
            continue
        keys = table[column].astype("object").where(table[column].notna(), None)
        hidden = table[SUPPRESSED].fillna(True).astype(bool).to_numpy()
        for group in dict.fromkeys(keys):
            mask = (keys == group).to_numpy() if group is not None else keys.isna().to_numpy()
            part = hidden[mask]
            status = "hidden" if part.all() else ("partly" if part.any() else "shown")
            rows.append({"by": column, "group": group, "status": status})
    return pd.DataFrame(rows, columns=["by", "group", "status"])


# --------------------------------------------------------------------------- data quality


def inputs_table(dataset: Dataset) -> pd.DataFrame:
    """Every sheet the ingest read: ``file, sheet, kind, header_row, rows, sha256`` (short).

    Parameters
    ----------
    dataset
        A :class:`~cleannet_eval.dataset.Dataset` (its ``inputs`` from the manifest).
    """
    rows = []
    for record in dataset.inputs:
        sheets = record.get("sheets") or [{}]
        for sheet in sheets:
            rows.append({
                "file": record.get("file") or record.get("path"),
                "sheet": sheet.get("sheet"),
                "kind": sheet.get("kind") or record.get("kind"),
                "header_row": sheet.get("header_row"),
                "rows": sheet.get("rows", record.get("rows")),
                "sha256": str(record.get("sha256") or "")[:12],
            })
    out = pd.DataFrame(rows, columns=["file", "sheet", "kind", "header_row", "rows", "sha256"])
    return out.astype({"header_row": "Int64", "rows": "Int64"})


def _roster_years(roster: pd.DataFrame) -> pd.Series:
    joined = pd.to_datetime(roster["joined"])
    return fiscal_years(joined)


@memoized
def rows_per_year(dataset: Dataset) -> pd.DataFrame:
    """Rows of each processed table by fiscal year (roster: by the fiscal year people joined).

    Returns
    -------
    pandas.DataFrame
        ``table, fiscal_year, rows`` — ``fiscal_year`` is ``<NA>`` for rows without one.
    """
    parts = []
    for name in TABLES:
        frame = dataset.table(name)
        if name != "roster" and "fiscal_year" not in frame:
            continue  # the expert review belongs to no fiscal year
        years = _roster_years(frame) if name == "roster" else frame["fiscal_year"]
        counts = years.astype("Int64").value_counts(dropna=False).sort_index()
        for year, n in counts.items():
            parts.append({"table": name, "fiscal_year": None if _isnan(year) else int(year),
                          "rows": int(n)})
    out = pd.DataFrame(parts, columns=["table", "fiscal_year", "rows"])
    return out.astype({"fiscal_year": "Int64", "rows": "int64"})


def missing_values(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Empty cells per column: ``column, rows, missing, share`` (columns in the given order).

    Examples
    --------
    >>> missing_values(pd.DataFrame({"a": [1, None], "b": ["x", "y"]})).to_dict("records")
    [{'column': 'a', 'rows': 2, 'missing': 1, 'share': 0.5}, \
{'column': 'b', 'rows': 2, 'missing': 0, 'share': 0.0}]
    """
    columns = list(frame.columns if columns is None else columns)
    rows = []
    for column in columns:
        values = frame[column]
        missing = values.isna()
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            missing = missing | (values.astype("string").str.strip() == "").fillna(False)
        rows.append({"column": column, "rows": len(frame), "missing": int(missing.sum()),
                     "share": float(missing.mean()) if len(frame) else math.nan})
    return pd.DataFrame(rows, columns=["column", "rows", "missing", "share"])


#: The columns whose empty cells the data-quality report counts, per table.
MISSING_COLUMNS: dict[str, tuple[str, ...]] = {
    "attendance": ("person_key", "unit", "staff_type", "role", "activity", "date"),
    "survey": ("respondent", "unit", "staff_type", "role", "date", "comment"),
    "roster": ("person_key", "unit", "staff_type", "role", "joined", "recruited_by_key"),
    "units": ("unit", "headcount"),
}
#: Thai and English names of the processed tables.
TABLE_NAMES: dict[str, dict[str, str]] = {lang: area("table", lang) for lang in LANGS}


def missing_overview(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """:func:`missing_values` of several tables (columns of :data:`MISSING_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        ``table, column, rows, missing, share``, tables in the given order.
    """
    parts = []
    for name, frame in tables.items():
        columns = [c for c in MISSING_COLUMNS.get(name, tuple(frame.columns)) if c in frame]
        part = missing_values(frame, columns)
        part.insert(0, "table", name)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["table", "column", "rows", "missing", "share"])
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- participation


def activity_list(attendance: pd.DataFrame) -> pd.DataFrame:
    """Each activity (name and date) with its attendances and distinct participants, by date.

    Parameters
    ----------
    attendance
        Attendance rows (already selected); not modified.

    Returns
    -------
    pandas.DataFrame
        ``date, activity, attendances, participants``.
    """
    if not len(attendance):
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                             "activity": pd.Series(dtype="string"),
                             "attendances": pd.Series(dtype="int64"),
                             "participants": pd.Series(dtype="int64")})
    grouped = attendance.groupby(["date", "activity"], dropna=False, sort=True)
    out = grouped.agg(attendances=("activity", "size"),
                      participants=("person_key", "nunique")).reset_index()
    return out.astype({"attendances": "int64", "participants": "int64"})


@memoized
def unit_month_coverage(
    attendance: pd.DataFrame, units: pd.DataFrame, fiscal_year: int
) -> pd.DataFrame:
    """Participants of each unit in each month of a fiscal year, as a share of its headcount.

    Parameters
    ----------
    attendance
        The processed attendance table (not modified).
    units
        The processed units table (``unit, fiscal_year, headcount``).
    fiscal_year
        The fiscal year (BE).

    Returns
    -------
    pandas.DataFrame
        ``unit, fiscal_year, fiscal_month, participants, headcount, coverage`` — every unit
        of the units table that year (then units seen only in the attendance), 12 months each;
        ``participants`` are distinct people signed in under the unit that month
        (:func:`~.analysis.participation.activities_by_month`), ``coverage`` is
        ``participants / headcount`` (missing without a headcount).
    """
    year = int(fiscal_year)
    heads = units[units["fiscal_year"] == year].drop_duplicates("unit")
    headcount = dict(zip(heads["unit"].astype(str), heads["headcount"], strict=True))
    seen = attendance.loc[attendance["fiscal_year"] == year, "unit"].dropna().astype(str)
    names = sorted(headcount) + sorted(set(seen) - set(headcount))
    present = set(seen)
    parts = []
    for name in names:
        if name in present:
            months = activities_by_month(attendance, fiscal_year=year, unit=name)
            people = months["unique_participants"].to_numpy(dtype="int64")
        else:
            people = np.zeros(12, dtype="int64")
        head = headcount.get(name)
        head = None if _isnan(head) or not head else float(head)
        parts.append(pd.DataFrame({
            "unit": name, "fiscal_year": year, "fiscal_month": np.arange(1, 13),
            "participants": people, "headcount": head,
            "coverage": people / head if head else np.nan,
        }))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in
                             ("unit", "fiscal_year", "fiscal_month", "participants",
                              "headcount", "coverage")})
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"fiscal_year": "int64", "fiscal_month": "int64",
                       "participants": "int64", "headcount": "float64",
                       "coverage": "float64"})


# --------------------------------------------------------------------------- network


def network_people(
    roster: pd.DataFrame, *, fiscal_year: int | None = None, unit: str | None = None
) -> set[str]:
    """Pseudonymous keys of the people with a roster spell active at some time in the fiscal
    year (``None``: ever) in the unit (``None``: anywhere)."""
    people = roster[roster["person_key"].notna() & roster["joined"].notna()]
    if fiscal_year is not None:
        start, end = (pd.Timestamp(d) for d in fiscal_year_bounds(int(fiscal_year)))
        left = pd.to_datetime(people["left"])
        active = (pd.to_datetime(people["joined"]) <= end) & (left.isna() | (left > start))
        people = people[active.to_numpy()]
    if unit is not None:
        people = people[(people["unit"] == unit).fillna(False).to_numpy()]
    return set(people["person_key"].astype(str))


def depth_counts(cascade: pd.DataFrame, people: set[str] | None = None) -> pd.DataFrame:
    """People at each recruitment depth (0 = top of a cascade).

    Parameters
    ----------
    cascade
        :func:`~.analysis.network.cascade_depth` (not modified).
    people
        Only these keys (e.g. :func:`network_people`); ``None``: everyone.

    Returns
    -------
    pandas.DataFrame
        ``depth, people, leaders``; people in a recruitment cycle (no depth) are left out.
    """
    known = cascade[cascade["depth"].notna()]
    if people is not None:
        known = known[known["person_key"].astype(str).isin(people).to_numpy()]
    if not len(known):
        return pd.DataFrame({"depth": pd.Series(dtype="int64"),
                             "people": pd.Series(dtype="int64"),
                             "leaders": pd.Series(dtype="int64")})
    depth = known["depth"].astype("int64")
    counts = depth.value_counts().sort_index()
    leaders = depth[(known["role"] == "leader").to_numpy()].value_counts()
    return pd.DataFrame({"depth": counts.index.astype("int64"),
                         "people": counts.to_numpy(dtype="int64"),
                         "leaders": leaders.reindex(counts.index, fill_value=0)
                         .to_numpy(dtype="int64")})


def recruitment_graph(
    roster: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    max_nodes: int = 300,
) -> nx.Graph:
    """The recruitment tree of the people in the network during a fiscal year, small enough
    to draw.

    Parameters
    ----------
    roster
        The processed roster table (not modified).
    fiscal_year
        Keep people with a spell active at some time in this fiscal year; ``None``: everyone.
    unit
        Keep people with such a spell in this unit; ``None``: the whole department.
    max_nodes
        At most this many people: the shallowest first (leaders, then their recruits …), so
        whole upper levels of every cascade stay.

    Returns
    -------
    networkx.Graph
        Nodes are pseudonymous ``person_key`` values with ``role`` (``"leader"`` /
        ``"member"``) and ``depth``; an edge joins a recruiter and a recruit when both are
        kept. ``graph.graph["nodes_total"]`` is the number of people before the cut.
    """
    keys = network_people(roster, fiscal_year=fiscal_year, unit=unit)
    graph = nx.Graph(nodes_total=len(keys), fiscal_year=fiscal_year, unit=unit)
    if not keys:
        return graph
    cascade = cascade_depth(roster)
    cascade = cascade[cascade["person_key"].astype(str).isin(keys)].copy()
    cascade["_depth"] = cascade["depth"].astype("float64").fillna(np.inf)
    cascade = cascade.sort_values(["_depth", "person_key"], kind="stable").head(int(max_nodes))
    kept = set(cascade["person_key"].astype(str))
    for row in cascade.itertuples(index=False):
        depth = None if _isnan(row.depth) else int(row.depth)
        graph.add_node(str(row.person_key), role=str(row.role), depth=depth)
    for row in cascade.itertuples(index=False):
        recruiter = None if _isnan(row.recruited_by_key) else str(row.recruited_by_key)
        if recruiter is not None and recruiter in kept:
            graph.add_edge(recruiter, str(row.person_key))
    return graph
