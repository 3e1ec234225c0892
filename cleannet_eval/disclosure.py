"""Disclosure control: the one place that decides which survey cells may be published.

Every output that shows survey results (``score``, ``summary``, comparisons, notebooks and
reports, charts) asks a :class:`Disclosure` of the dataset; none decides on its own what to
hide. The pattern is computed once per dataset and minimum group size (cached on a hash of the
survey's grouping columns and ``min_group_size``).

The cells
---------
The *finest cells* are fiscal year × unit × staff type × role. A *published cell* is any group
an output can show: each fiscal year and all years pooled, each crossed with the department
total, every unit, every staff type and every role (the unit report's tables and the
department report's breakdowns are all of these; no output shows a two-way breakdown such as
unit × staff type). Each cell is a 0/1 *indicator vector* over the non-empty finest cells; its
``n`` (and ``n × mean``) is that vector times the finest cells' counts (sums).

The rule
--------
1. *Primary*: a cell with ``0 < n < min_group_size`` is hidden (label ``n < 5``).
2. *Secondary* (Gaussian elimination, Langsrud 2019; R package GaussSuppression): the other
   cells are decided one by one, largest ``n`` first (the department total first, so it is
   hidden only when it is itself small); a cell is published only when, after adding it, no
   *protected* vector lies in the linear span of the published cells' indicators — so no sum
   or difference of published ``n`` (or ``n × mean``) gives it back. Otherwise it is hidden
   (label "hidden to protect a small group"). Cells whose vector is already in the span are
   published: they tell nothing new.
3. *Protected* vectors are every primary cell and every union of hidden cells that a
   published total minus its published parts would give (a sibling set whose hidden members
   hold fewer than ``min_group_size`` respondents, e.g. two groups of 2); plus every other
   group of the finest-cell lattice (e.g. unit × staff type, or one finest cell) with
   ``0 < n < min_group_size`` found in the span after a pass. Whenever a pass leaves such a
   vector in the span it is added to the protected set and the pass is run again.

The span test uses an echelon basis kept sparse (pivots chosen away from protected vectors, so
most cells are decided without touching them), in floating point with a tolerance: the
vectors are 0/1 and the eliminations stay small.

Per measure: a factor's or item's ``n`` counts only respondents who have a score or answer,
so each measure gets its own pattern over its own counts, in which every cell hidden for the
respondents stays hidden and every respondent-primary cell stays protected.

References
----------
.. [1] Langsrud, Ø. (2019). Cell suppression in tables with a linear algebra approach.
   UNECE/Eurostat Work Session on Statistical Data Confidentiality; R package
   ``GaussSuppression`` (Statistics Norway).
.. [2] Hundepool, A. et al. (2012). Statistical Disclosure Control, ch. 4. Wiley.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from . import config
from .elimination import Echelon, gauss_suppress
from .errors import ConfigError
from .i18n import entry

logger = logging.getLogger(__name__)

#: The dimensions of the finest cells, in order.
DIMENSIONS: tuple[str, ...] = ("fiscal_year", "unit", "staff_type", "role")
#: The breakdowns every fiscal year (and all years pooled) may be shown by (``None``: total).
BREAKDOWNS: tuple[str | None, ...] = (None, "unit", "staff_type", "role")
#: Status of a cell.
PUBLISHED, PRIMARY, SECONDARY, EMPTY = "published", "primary", "secondary", "empty"
#: Text of a cell hidden to protect a smaller group (secondary suppression).
SECONDARY_LABELS = entry("suppression.secondary")

#: Up to this many finest cells, every group of the lattice (e.g. unit × staff type) with
#: ``0 < n < min_group_size`` is also kept out of the span (beyond that only the published
#: cells and their hidden unions are; a department has a few hundred finest cells).
LATTICE_CHECK_LIMIT = 5000

_MISSING = "\x00missing"  # a missing group value is a group of its own
_CACHE: OrderedDict[str, Disclosure] = OrderedDict()
_CACHE_SIZE = 8


def primary_label(min_group_size: int | None = None) -> str:
    """``"n < 5"``: the text of a cell hidden because it is small (primary suppression)."""
    return f"n < {check_min_size(min_group_size)}"


def hidden_label(status: str, min_group_size: int | None = None, lang: str = "en") -> str:
    """The text shown in place of a hidden cell's numbers (never its n).

    Examples
    --------
    >>> hidden_label("primary"), hidden_label("secondary", lang="th")
    ('n < 5', 'ซ่อนเพื่อคุ้มครองกลุ่มเล็ก')
    """
    if status == SECONDARY:
        return SECONDARY_LABELS.get(lang, SECONDARY_LABELS["en"])
    return primary_label(min_group_size)


def check_min_size(value: int | None, default: int | None = None) -> int:
    """A minimum group size checked (a whole number >= 1); ``None`` gives the default."""
    if value is None:
        value = default if default is not None else config.MIN_GROUP_SIZE
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"Minimum group size must be a whole number >= 1, got {value!r}")
    return int(value)


def row_key(values: Sequence[object]) -> tuple[str, ...]:
    """A hashable key of a table row's group values (a missing value is one value)."""
    return tuple(repr(_code(v)) for v in values)








# --------------------------------------------------------------------------- the pattern


@dataclass
class DisclosurePattern:
    """Which published cells of one measure may be shown.

    Attributes
    ----------
    cells
        One row per published cell: the :data:`DIMENSIONS` (``None`` for "all") and ``n``,
        ``status`` (``published``, ``primary``, ``secondary``, ``empty``).
    min_group_size
        The minimum group size.
    """

    cells: pd.DataFrame
    min_group_size: int
    finest_counts: np.ndarray
    members: list[np.ndarray]
    basis: Echelon = field(repr=False)
    passes: int = 1
    _lookup: dict[bytes, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._lookup = {v.tobytes(): i for i, v in enumerate(self.members) if len(v)}
        self._by_coords = {tuple(r): i for i, r in enumerate(
            self.cells[list(DIMENSIONS)].itertuples(index=False, name=None))}

    def status(self, fiscal_year: object = None, unit: object = None,
               staff_type: object = None, role: object = None) -> str:
        """Status of the cell with these coordinates (``None``: all years / units / ...).

        A cell the dataset does not have (no respondent) is ``"empty"``.
        """
        key = tuple(_code(v) for v in (fiscal_year, unit, staff_type, role))
        i = self._by_coords.get(key)
        return EMPTY if i is None else str(self.cells["status"].iat[i])

    def is_published(self, fiscal_year: object = None, unit: object = None,
                     staff_type: object = None, role: object = None) -> bool:
        """Whether the cell's numbers may be shown.

        Examples
        --------
        >>> s = pd.DataFrame({"fiscal_year": [2551] * 13, "unit": ["A"] * 10 + ["B"] * 3,
        ...                   "staff_type": "civil", "role": "member"})
        >>> p = disclosure(s).respondents
        >>> p.is_published(), p.is_published(unit="A"), p.status(unit="B")
        (True, False, 'primary')
        >>> p.status(unit="A")
        'secondary'
        """
        return self.status(fiscal_year, unit, staff_type, role) == PUBLISHED

    def status_of_vector(self, ids: np.ndarray, counts: np.ndarray) -> str:
        """Status of any group given as finest-cell ids and its counts in them.

        A published cell's vector gives its status; any other group is published only when it
        covers whole finest cells, is not small, and lies in the published span (then its
        numbers follow from what is published anyway).
        """
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return EMPTY
        total = int(np.asarray(counts).sum())
        whole = bool(np.array_equal(self.finest_counts[ids], counts))
        if whole:
            i = self._lookup.get(ids.tobytes())
            if i is not None:
                return str(self.cells["status"].iat[i])
        if total < self.min_group_size:
            return PRIMARY
        if whole and self.basis.in_span(ids):
            return PUBLISHED
        return SECONDARY

    def label(self, status: str, lang: str = "en") -> str | None:
        """What a cell of ``status`` reads instead of its numbers (``None`` when shown)."""
        if status in (PUBLISHED, EMPTY):
            return None
        return hidden_label(status, self.min_group_size, lang)

    def published_vectors(self) -> list[np.ndarray]:
        """The finest-cell ids of every published cell (for tests and audits)."""
        shown = (self.cells["status"] == PUBLISHED).to_numpy()
        return [self.members[i] for i in np.flatnonzero(shown)]


class Disclosure:
    """The disclosure patterns of one dataset: respondents, and each measure on demand.

    Build it with :func:`disclosure`; outputs ask :meth:`group_status` (a group given by its
    survey rows) or :attr:`respondents` (a cell given by its coordinates).
    """

    def __init__(self, survey: pd.DataFrame, min_group_size: int | None = None,
                 _keys_of_rows: list[tuple[str, ...]] | None = None) -> None:
        self.min_group_size = check_min_size(min_group_size)
        self.survey = survey
        self._counted: dict[tuple, pd.DataFrame] = {}
        keys = _keys(survey) if _keys_of_rows is None else _keys_of_rows
        self._finest_index: dict[tuple, int] = {}
        row_cell = np.empty(len(keys), dtype=np.int64)
        for i, key in enumerate(keys):
            row_cell[i] = self._finest_index.setdefault(key, len(self._finest_index))
        order = sorted(self._finest_index, key=lambda k: self._finest_index[k])
        self._row_cell = row_cell
        self.finest = pd.DataFrame(order, columns=list(DIMENSIONS)) if order else \
            pd.DataFrame(columns=list(DIMENSIONS))
        self._cells, self._cell_members = _published_cells(self.finest)
        self._patterns: dict[str, DisclosurePattern] = {}
        self._lattice = _lattice(self.finest)
        self.fingerprint = _digest(keys, self.min_group_size)

    # -- patterns ------------------------------------------------------------------------
    @property
    def respondents(self) -> DisclosurePattern:
        """The pattern of the respondent counts (every output's first rule)."""
        return self.pattern("respondents", None)

    def pattern(self, measure: str, counted: np.ndarray | None) -> DisclosurePattern:
        """The pattern of one measure, ``counted`` marking the survey rows it counts (all rows
        when ``None``; cached by ``measure`` name)."""
        if measure in self._patterns:
            return self._patterns[measure]
        m = len(self.finest)
        rows = self._row_cell if counted is None else self._row_cell[np.asarray(counted,
                                                                                 dtype=bool)]
        counts = np.bincount(rows, minlength=m).astype(np.int64)
        forced = None
        protected: list[np.ndarray] = []
        if measure != "respondents":
            base = self.respondents
            forced = (base.cells["status"] != PUBLISHED).to_numpy()
            protected = [v for v, s in zip(base.members, base.cells["status"], strict=True)
                         if s == PRIMARY]
            if _same_as_respondents(base, counts, self._lattice, self.min_group_size):
                self._patterns[measure] = dataclasses.replace(base, finest_counts=counts)
                return self._patterns[measure]
        self._patterns[measure] = _solve(self._cells, self._cell_members, counts,
                                         self.min_group_size, forced, protected, self._lattice)
        return self._patterns[measure]

    # -- groups --------------------------------------------------------------------------
    def row_ids(self, rows: pd.DataFrame) -> np.ndarray:
        """The finest-cell id of every survey row (``-1``: a cell this dataset lacks)."""
        index = self._finest_index
        return np.fromiter((index.get(k, -1) for k in _keys(rows)), dtype=np.int64,
                           count=len(rows))

    def group_ids(self, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Finest-cell ids and counts of a group's survey rows (``-1`` ids: rows this
        dataset does not have)."""
        return _id_counts(self.row_ids(rows))

    def group_status(self, rows: pd.DataFrame, measure: str = "respondents",
                     counted: np.ndarray | None = None, *,
                     measure_counted: np.ndarray | None = None,
                     _ids: np.ndarray | None = None) -> str:
        """Status of the group made of ``rows`` (survey rows with the :data:`DIMENSIONS`).

        Parameters
        ----------
        rows
            The group's survey rows.
        measure
            ``"respondents"`` or a measure name (factor key, ``overall``, item code).
        counted
            Which of ``rows`` the measure counts (``None``: all).
        measure_counted
            The same mask over the whole dataset's survey, to build the measure's pattern
            the first time it is asked for.
        """
        ids_all = self.row_ids(rows) if _ids is None else _ids
        if measure != "respondents":
            own = self.group_status(rows, _ids=ids_all)
            if own != PUBLISHED:
                return own
        ids_all = ids_all if counted is None else ids_all[np.asarray(counted, dtype=bool)]
        ids, counts = _id_counts(ids_all)
        if len(ids) and ids[0] < 0:
            return SECONDARY if len(ids_all) >= self.min_group_size else PRIMARY
        pattern = self.pattern(measure, None if measure == "respondents" else measure_counted)
        return pattern.status_of_vector(ids, counts)

    def label(self, status: str, lang: str = "en") -> str | None:
        """What a cell of ``status`` reads instead of its numbers (``None`` when shown)."""
        if status in (PUBLISHED, EMPTY):
            return None
        return hidden_label(status, self.min_group_size, lang)

    def counted(self, key: tuple, make) -> pd.DataFrame:  # noqa: ANN001 - a callable
        """Which rows of the whole survey each measure counts, made once by
        ``make(survey)`` (a boolean frame, one column per measure) and cached by ``key``."""
        if key not in self._counted:
            self._counted[key] = make(self.survey)
        return self._counted[key]

    def group_statuses(
        self,
        survey: pd.DataFrame,
        by: Sequence[str],
        measures: Sequence[str] = (),
        counted: pd.DataFrame | None = None,
        full_counted: pd.DataFrame | None = None,
        kind: str = "",
    ) -> tuple[np.ndarray, np.ndarray]:
        """Status of every group of ``survey`` by ``by`` (groups in sorted order, a missing
        value a group of its own), for the respondents and for each measure.

        Parameters
        ----------
        survey
            Survey rows (the whole dataset or a part of it, e.g. one fiscal year).
        by
            Grouping columns (empty: one group of every row).
        measures
            Measure names; ``counted`` (over ``survey``'s rows) and ``full_counted`` (over
            the whole dataset's rows) hold one boolean column per measure.
        kind
            Prefix of the measures' pattern names (how they were counted).

        Returns
        -------
        respondents, by_measure
            Status per group, and per group × measure (empty when no measures).
        """
        by = list(by)
        if by:
            codes = survey.groupby(by, dropna=False, sort=True, observed=True).ngroup()
            codes = codes.to_numpy()
            n_groups = int(codes.max()) + 1 if len(codes) else 0
        else:
            codes = np.zeros(len(survey), dtype=np.int64)
            n_groups = 1
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
        own = np.empty(n_groups, dtype=object)
        per = np.empty((n_groups, len(measures)), dtype=object)
        ids_all = self.row_ids(survey)
        masks = {m: counted[m].to_numpy(dtype=bool) for m in measures}
        fulls = {m: full_counted[m].to_numpy(dtype=bool) for m in measures}
        for g in range(n_groups):
            pos = order[bounds[g]:bounds[g + 1]]
            ids = ids_all[pos]
            own[g] = self.group_status(survey, _ids=ids) if len(pos) else EMPTY
            for j, measure in enumerate(measures):
                if own[g] != PUBLISHED:
                    per[g, j] = own[g]
                    continue
                mask = masks[measure][pos]
                if not mask.any():
                    per[g, j] = EMPTY
                    continue
                counted_ids, counts = _id_counts(ids[mask])
                per[g, j] = self.pattern(f"{kind}{measure}", fulls[measure]
                                         ).status_of_vector(counted_ids, counts)
        return own, per


def disclosure(survey: pd.DataFrame, min_group_size: int | None = None) -> Disclosure:
    """The :class:`Disclosure` of a survey table (cached per dataset and minimum size).

    Parameters
    ----------
    survey
        The processed survey table, or one survey file's rows (a dataset of its own); must
        hold the :data:`DIMENSIONS` columns (a missing one counts as one value).
    min_group_size
        Default ``config.MIN_GROUP_SIZE`` (5).
    """
    size = check_min_size(min_group_size)
    keys = _keys(survey)
    key = _digest(keys, size) + _content_hash(survey)
    found = _CACHE.get(key)
    if found is None:
        found = Disclosure(survey, size, _keys_of_rows=keys)
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return found


def fingerprint(survey: pd.DataFrame, min_group_size: int) -> str:
    """SHA-256 of the survey's grouping columns (row by row) and the minimum group size."""
    return _digest(_keys(survey), check_min_size(min_group_size))


def _id_counts(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(ids) == 0:
        return ids, ids
    uniq, counts = np.unique(ids, return_counts=True)
    return uniq, counts


def _content_hash(survey: pd.DataFrame) -> str:
    """Hash of every value of the survey (answers too: measure patterns depend on them)."""
    try:
        values = pd.util.hash_pandas_object(survey, index=False).to_numpy()
    except TypeError:  # an unhashable cell: the grouping columns alone
        return ""
    cols = "|".join(map(str, survey.columns))
    return hashlib.sha256(cols.encode() + values.tobytes()).hexdigest()


def _digest(keys: list[tuple[str, ...]], min_group_size: int) -> str:
    text = "\n".join("\t".join(row) for row in keys)
    return hashlib.sha256(f"k={min_group_size};n={len(keys)};{text}".encode()).hexdigest()


# --------------------------------------------------------------------------- internals


def _code(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return _MISSING
    if value is pd.NA or value is pd.NaT:
        return _MISSING
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    return str(value)


def _keys(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The finest-cell key of every row: one ``repr`` of the coded value per dimension."""
    if not len(frame):
        return []
    cols = []
    for dim in DIMENSIONS:
        if dim in frame.columns:
            codes, uniques = pd.factorize(frame[dim].astype(object), use_na_sentinel=False)
            names = np.array([repr(_code(u)) for u in uniques], dtype=object)
            cols.append(names[codes].tolist())
        else:
            cols.append([repr(_MISSING)] * len(frame))
    return list(zip(*cols, strict=True))


def _published_cells(finest: pd.DataFrame) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """Every cell an output can show, with its finest-cell members."""
    records: list[tuple] = []
    members: list[np.ndarray] = []
    ids = np.arange(len(finest))
    years = [None, *sorted(set(finest["fiscal_year"]))] if len(finest) else [None]
    year_of = finest["fiscal_year"].to_numpy()
    for year in years:
        in_year = ids if year is None else ids[year_of == year]
        for by in BREAKDOWNS:
            if by is None:
                records.append((year, None, None, None))
                members.append(in_year)
                continue
            values = finest[by].to_numpy()[in_year]
            groups = pd.Series(in_year).groupby(values, sort=True).indices
            for value, pos in groups.items():
                coords = {"fiscal_year": year, "unit": None, "staff_type": None, "role": None,
                          by: value}
                records.append(tuple(coords[d] for d in DIMENSIONS))
                members.append(in_year[np.sort(pos)])
    # back from repr() keys to the values callers use
    plain: dict[str, object] = {}
    records = [tuple(None if v is None else plain.setdefault(v, _unrepr(v)) for v in r)
               for r in records]
    cells = pd.DataFrame(records, columns=list(DIMENSIONS), dtype=object)
    for j, dim in enumerate(DIMENSIONS):
        cells[dim] = pd.Series([r[j] for r in records], dtype=object)
    return cells, members


def _unrepr(text: str) -> object:
    import ast

    return ast.literal_eval(text)


def _solve(cells: pd.DataFrame, members: list[np.ndarray], counts: np.ndarray, size: int,
           forced: np.ndarray | None, protected: list[np.ndarray],
           lattice: list[np.ndarray]) -> DisclosurePattern:
    """Suppress until no protected vector (and no small group of the lattice) is in span."""
    live = [v[counts[v] > 0] for v in members]
    n = np.array([int(counts[v].sum()) for v in live], dtype=np.int64)
    extra: list[np.ndarray] = list(protected)
    known: set[bytes] = {v.tobytes() for v in extra}
    relations = _relations(cells)
    # unions of primary siblings too small to show are known before the first pass
    for v in _small_unions(relations, live, n, (n > 0) & (n < size), size):
        if v.tobytes() not in known:
            known.add(v.tobytes())
            extra.append(v)
    passes = 0
    while True:
        passes += 1
        primary, hidden, basis = gauss_suppress(live, n, size, forced=forced, protected=extra,
                                                m=len(counts))
        found = _small_unions(relations, live, n, hidden, size)
        found += _small_lattice_cells(lattice, counts, size, basis, live)
        new = [v for v in found if v.tobytes() not in known]
        if not new or passes > 50:
            if new:
                logger.warning("disclosure: stopped after %d passes", passes)
            break
        for v in new:
            known.add(v.tobytes())
            extra.append(v)
    status = np.where(n == 0, EMPTY, np.where(primary, PRIMARY,
                                             np.where(hidden, SECONDARY, PUBLISHED)))
    table = cells.copy()
    table["n"] = n
    table["status"] = status
    return DisclosurePattern(cells=table, min_group_size=size, finest_counts=counts,
                             members=live, basis=basis, passes=passes)


def _same_as_respondents(base: DisclosurePattern, counts: np.ndarray,
                         lattice: list[np.ndarray], size: int) -> bool:
    """A measure counted by (nearly) every respondent has the respondents' pattern: the same
    non-empty finest cells (so the same vectors and span) and no cell of the lattice or of
    the published table that is small for the measure but not for the respondents."""
    full = base.finest_counts
    if not np.array_equal(full > 0, counts > 0):
        return False
    for inverse in lattice:
        n_all = np.bincount(inverse, weights=full)
        n_here = np.bincount(inverse, weights=counts, minlength=len(n_all))
        if ((n_here > 0) & (n_here < size) & (n_all >= size)).any():
            return False
    shown = (base.cells["status"] == PUBLISHED).to_numpy()
    n_here = np.array([counts[v].sum() for v in base.members])
    return not ((n_here < size) & shown).any()


def _relations(cells: pd.DataFrame) -> list[tuple[int, list[int]]]:
    """Additive relations among the cells: (parent, children) with the children a partition."""
    pos = {tuple(r): i for i, r in enumerate(cells[list(DIMENSIONS)].itertuples(
        index=False, name=None))}
    out: list[tuple[int, list[int]]] = []
    years = sorted({y for y in cells["fiscal_year"] if y is not None})
    for year in [None, *years]:
        parent = pos[(year, None, None, None)]
        for by in ("unit", "staff_type", "role"):
            j = DIMENSIONS.index(by)
            kids = [i for key, i in pos.items() if key[0] == year and key[j] is not None]
            out.append((parent, kids))
    for key, i in pos.items():  # pooled cell = sum of its years
        if key[0] is None and years:
            kids = [pos[(y, *key[1:])] for y in years if (y, *key[1:]) in pos]
            out.append((i, kids))
    return out


def _small_unions(relations: list[tuple[int, list[int]]], live: list[np.ndarray],
                  n: np.ndarray, hidden: np.ndarray, size: int) -> list[np.ndarray]:
    """Unions of hidden siblings that a published parent minus published siblings gives,
    when they hold fewer than ``size`` respondents (and subsets of them that also do)."""
    found = []
    for parent, kids in relations:
        if hidden[parent] or n[parent] == 0:
            continue
        gone = [k for k in kids if hidden[k] and n[k] > 0]
        if len(gone) < 2:
            continue
        total = int(n[gone].sum())
        if total < size:
            found.append(np.unique(np.concatenate([live[k] for k in gone])))
        # pairs of tiny hidden siblings (their sum could be isolated by other relations)
        small = [k for k in gone if n[k] < size]
        if len(small) <= 12:
            for a, b in combinations(small, 2):
                if n[a] + n[b] < size:
                    found.append(np.unique(np.concatenate([live[a], live[b]])))
    return found


def _lattice(finest: pd.DataFrame) -> list[np.ndarray]:
    """For each combination of the dimensions, the group of every finest cell (an inverse
    index over the finest cells)."""
    if not len(finest) or len(finest) > LATTICE_CHECK_LIMIT:
        return []
    codes = [pd.factorize(finest[d])[0].astype(np.int64) for d in DIMENSIONS]
    out = []
    for r in range(1, len(DIMENSIONS) + 1):
        for fixed in combinations(range(len(DIMENSIONS)), r):
            key = np.zeros(len(finest), dtype=np.int64)
            for j in fixed:
                key = key * (int(codes[j].max()) + 1) + codes[j]
            out.append(pd.factorize(key)[0])
    return out


def _small_lattice_cells(lattice: list[np.ndarray], counts: np.ndarray, size: int,
                         basis: Echelon, live: list[np.ndarray]) -> list[np.ndarray]:
    """Groups of the finest-cell lattice (any combination of the dimensions) with
    ``0 < n < size`` that lie in the published span."""
    known = {v.tobytes() for v in live}
    found = []
    nonempty = counts > 0
    pivot = (basis.row_of_col >= 0) & nonempty
    for inverse in lattice:
        n = np.bincount(inverse, weights=counts, minlength=0)
        touches = np.bincount(inverse, weights=pivot.astype(float), minlength=len(n)) > 0
        for g in np.flatnonzero((n > 0) & (n < size) & touches):
            members = np.flatnonzero((inverse == g) & nonempty)
            if members.tobytes() in known:
                continue
            if basis.in_span(members):
                found.append(members)
    return found


__all__ = [
    "BREAKDOWNS", "DIMENSIONS", "EMPTY", "PRIMARY", "PUBLISHED", "SECONDARY",
    "SECONDARY_LABELS", "Disclosure", "DisclosurePattern", "check_min_size", "disclosure",
    "fingerprint", "gauss_suppress", "hidden_label", "primary_label", "row_key",
]
