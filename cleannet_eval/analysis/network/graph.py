"""The co-attendance graph: people linked by the activities they attended together, its
metrics and centrality.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import LinearOperator, eigsh

from ...errors import ConfigError
from ..selection import (
    check_fiscal_year,
    check_unit,
    require_columns,
)
from ..tables import (
    ATTENDANCE_COLUMNS,
    AttendanceRows,
    date_values,
    incidence,
    pick_per_group,
)

__all__ = [
    "MAX_PAIRS",
    "SAMPLE_PAIRS",
    "coattendance_centrality",
    "coattendance_graph",
    "graph_metrics",
]


#: Default limit on co-attending pairs (Σ over activities of n(n−1)/2) for exact projections.
MAX_PAIRS = 5_000_000


#: Default number of random pairs used to estimate density when the projection is too big.
SAMPLE_PAIRS = 200_000


# --------------------------------------------------------------------------------------------
# Co-attendance graph
# --------------------------------------------------------------------------------------------


def _bipartite(
    attendance: pd.DataFrame, fiscal_year: object, unit: object
) -> tuple[AttendanceRows, np.ndarray, np.ndarray, pd.Index, sp.csr_matrix]:
    """Selected rows, positions of the rows with a key, their person codes, the keys and the
    person × activity 0/1 matrix."""
    require_columns(attendance, "attendance", ATTENDANCE_COLUMNS)
    year = check_fiscal_year(fiscal_year)
    unit = check_unit(unit, attendance["unit"])
    rows = AttendanceRows(attendance, year, unit)
    where, person, keys, matrix = incidence(rows)
    return rows, where, person, keys, matrix


def _latest_attributes(
    rows: AttendanceRows, where: np.ndarray, person: np.ndarray, n: int
) -> dict[str, pd.arrays.StringArray]:
    """``staff_type`` and ``unit`` of every person's latest attendance row."""
    latest = where[pick_per_group(person, n, date_values(rows.column("date"))[where], last=True)]
    return {column: rows.take(column, latest) for column in ("staff_type", "unit")}


def _check_count(name: str, value: object, minimum: int, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        extra = " or None" if allow_none else ""
        raise ConfigError(f"{name} must be a whole number >= {minimum}{extra}, got {value!r}")


def _pair_incidences(matrix: sp.csr_matrix) -> tuple[np.ndarray, float]:
    sizes = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    return sizes, float((sizes * (sizes - 1) / 2).sum())


def coattendance_graph(
    attendance: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    min_shared: int = 1,
    max_nodes: int | None = 2000,
    max_pairs: int = MAX_PAIRS,
    seed: int = 0,
) -> nx.Graph:
    """The co-attendance graph: people linked when they attended the same activity.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year, unit
        Which attendances (``None``: all years / the whole department, citizens included).
    min_shared
        Keep an edge only when the two people shared at least this many activities.
    max_nodes
        Upper limit on the people in the graph. With more participants than this, a uniform
        random sample of ``max_nodes`` people (seeded by ``seed``) is taken and the graph is the
        one *induced* on them: their edges are exact, but whole-graph measures of a sample are
        only estimates. ``None``: no limit.
    max_pairs
        Refuse to build a graph whose activities would give more co-attending pairs than this
        (:math:`\\sum_a n_a(n_a-1)/2` over the kept people), which would not fit in memory as a
        networkx graph; lower ``max_nodes`` then.
    seed
        Seed of the sample.

    Returns
    -------
    networkx.Graph
        Nodes are pseudonymous ``person_key`` with attributes ``staff_type``, ``unit`` (from
        the person's latest attendance row) and ``activities`` (distinct activities attended);
        edges carry ``weight`` = number of activities attended together. ``graph.graph`` holds
        ``fiscal_year``, ``unit``, ``nodes_total`` (participants before sampling),
        ``sampled``, ``seed`` and ``min_shared``.

    Notes
    -----
    Built as the one-mode projection :math:`A = B B^\\top` of the sparse person × activity
    incidence matrix :math:`B` (scipy.sparse), keeping the upper triangle, so edges are never
    enumerated activity by activity in Python. Whole-graph measures that do not need the graph
    itself are in :func:`graph_metrics` and :func:`coattendance_centrality`, which scale to
    millions of rows.

    Examples
    --------
    >>> att = pd.DataFrame({
    ...     "person_key": ["PA", "PB", "PC", "PA", "PC"], "unit": "U1",
    ...     "staff_type": "civil_servant", "role": "member",
    ...     "activity": ["Talk", "Talk", "Talk", "Walk", "Walk"],
    ...     "date": pd.to_datetime(["2007-10-05"] * 3 + ["2007-11-02"] * 2),
    ...     "fiscal_year": pd.array([2551] * 5, dtype="Int64")})
    >>> g = coattendance_graph(att)
    >>> sorted(g.edges(data="weight"))
    [('PA', 'PB', 1), ('PA', 'PC', 2), ('PB', 'PC', 1)]
    """
    _check_count("min_shared", min_shared, 1)
    _check_count("max_nodes", max_nodes, 1, allow_none=True)
    _check_count("max_pairs", max_pairs, 0)
    rows, where, person, keys, matrix = _bipartite(attendance, fiscal_year, unit)
    n = len(keys)
    chosen = np.arange(n)
    sampled = max_nodes is not None and n > max_nodes
    if sampled:
        chosen = np.sort(np.random.default_rng(seed).choice(n, size=max_nodes, replace=False))
    sub = matrix[chosen]
    _, pairs = _pair_incidences(sub)
    if pairs > max_pairs:
        raise ConfigError(
            f"The co-attendance graph would have up to {int(pairs):,} edges, above "
            f"max_pairs={max_pairs:,}; pass a smaller max_nodes (now {max_nodes}) or use "
            "graph_metrics / coattendance_centrality, which need no graph"
        )
    product = sp.triu(sub @ sub.T, k=1).tocoo()
    keep = product.data >= min_shared
    attributes = {column: [None if pd.isna(v) else str(v) for v in values.take(chosen)]
                  for column, values in _latest_attributes(rows, where, person, n).items()}
    activities = np.diff(matrix.indptr)[chosen]
    graph = nx.Graph(
        fiscal_year=None if fiscal_year is None else int(fiscal_year), unit=unit,
        nodes_total=n, sampled=bool(sampled), seed=seed, min_shared=min_shared,
    )
    names = [str(k) for k in keys.take(chosen)]
    graph.add_nodes_from(
        (names[i], {"staff_type": attributes["staff_type"][i], "unit": attributes["unit"][i],
                    "activities": int(activities[i])})
        for i in range(len(chosen))
    )
    labels = np.asarray(names, dtype=object)
    graph.add_weighted_edges_from(zip(
        labels[product.row[keep]].tolist(), labels[product.col[keep]].tolist(),
        product.data[keep].astype(np.int64).tolist(), strict=True,
    ))
    return graph


def _wilson(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    if trials == 0:
        return math.nan, math.nan
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _projection(
    matrix: sp.csr_matrix, pairs: float, max_pairs: int
) -> sp.csr_matrix | None:
    """The exact projection :math:`B B^T` when it is small enough, else ``None``."""
    if pairs > max_pairs:
        return None
    return (matrix @ matrix.T).tocsr()


def _eigenvector(matrix: sp.csr_matrix, pairs: float) -> np.ndarray:
    """Leading eigenvector of the weighted projection without building it (unit norm, ≥ 0)."""
    n = matrix.shape[0]
    if n < 2 or pairs == 0:
        return np.full(n, np.nan)
    own = np.diff(matrix.indptr).astype(np.float64)  # the diagonal of B B^T
    if n <= 300:
        dense = (matrix @ matrix.T).toarray()
        np.fill_diagonal(dense, 0.0)
        vector = np.linalg.eigh(dense)[1][:, -1]
    else:
        transposed = matrix.T  # a CSC view: B^T x scatters into the few activities
        operator = LinearOperator(
            (n, n), dtype=np.float64,
            matvec=lambda x: matrix @ (transposed @ np.ravel(x)) - own * np.ravel(x),
        )
        start = own / np.linalg.norm(own)
        vector = eigsh(operator, k=1, which="LA", v0=start, tol=1e-10, ncv=10)[1][:, 0]
    vector = vector * (1.0 if vector.sum() >= 0 else -1.0)
    return vector / np.linalg.norm(vector)


def _components(matrix: sp.csr_matrix) -> np.ndarray:
    """Connected component of every person, numbered by size in people (0 = largest).

    Two activities are joined when one person attended both; chaining each person's
    activities (first–second, second–third, …) is enough for connectivity, so the graph
    handed to ``scipy.sparse.csgraph`` has only the activities as nodes.
    """
    n, m = matrix.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    indptr, columns = matrix.indptr, matrix.indices
    first = columns[indptr[:-1]]  # every person attended at least one activity
    later = np.ones(len(columns), dtype=bool)
    later[indptr[:-1]] = False
    links = sp.csr_matrix(
        (np.ones(int(later.sum()), dtype=np.int8),
         (columns[np.flatnonzero(later) - 1], columns[later])), shape=(m, m))
    labels = connected_components(links, directed=False)[1][first]
    counts = np.bincount(labels)
    rank = np.empty(len(counts), dtype=np.int64)
    rank[np.lexsort((np.arange(len(counts)), -counts))] = np.arange(len(counts))
    return rank[labels]


_METRIC_COLUMNS = ("metric", "value", "method", "ci_low", "ci_high")


def graph_metrics(
    attendance: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    max_pairs: int = MAX_PAIRS,
    sample_pairs: int = SAMPLE_PAIRS,
    seed: int = 0,
) -> pd.DataFrame:
    """Whole-graph measures of the co-attendance graph, exact where the data allow.

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year, unit
        Which attendances.
    max_pairs
        Build the exact projection only when the activities give at most this many
        co-attending pairs :math:`\\sum_a n_a(n_a - 1)/2`; above it, the distinct-edge
        measures are estimated from ``sample_pairs`` random pairs of people.
    sample_pairs
        Random pairs drawn (seeded by ``seed``) for the estimate.
    seed
        Seed of the pair sample.

    Returns
    -------
    pandas.DataFrame
        One row per measure — ``metric``, ``value``, ``method`` (``"exact"`` or
        ``"sampled"``), ``ci_low``, ``ci_high`` (95 % Wilson interval for a sampled density,
        scaled for ``edges`` and ``mean_degree``; NaN otherwise):

        ``nodes`` (participants with a key), ``activities``, ``pair_incidences``
        (:math:`\\sum_a n_a(n_a-1)/2`, the total edge weight), ``edges`` (distinct linked
        pairs), ``density`` (``edges`` over :math:`n(n-1)/2`), ``weighted_density`` (mean
        number of shared activities per pair of people), ``mean_degree``, ``mean_strength``
        (mean weighted degree), ``components`` (connected components; a person who attended
        only activities on their own is a component), ``largest_component_share`` and
        ``isolates`` (people linked to nobody).

    Notes
    -----
    Everything but the distinct-edge count follows from the person × activity incidence matrix
    :math:`B` in :math:`O(\\text{rows})`: the weighted degree (strength) of person :math:`v`
    is :math:`\\sum_{a \\ni v} (n_a - 1)`, the total weight is :math:`\\sum_a \\binom{n_a}{2}`,
    and components are those of the bipartite graph (scipy.sparse.csgraph). The distinct-edge
    count needs :math:`B B^\\top`, whose size grows with the square of the attendance per
    activity; above ``max_pairs`` the density is the share of ``sample_pairs`` uniformly drawn
    pairs of distinct people who share an activity.
    """
    _check_count("max_pairs", max_pairs, 0)
    _check_count("sample_pairs", sample_pairs, 1)
    _, _, _, keys, matrix = _bipartite(attendance, fiscal_year, unit)
    n, m = matrix.shape
    sizes, pairs = _pair_incidences(matrix)
    all_pairs = n * (n - 1) / 2
    strength = matrix @ (sizes - 1) if m else np.zeros(n)
    component = _components(matrix)
    counts = np.bincount(component) if n else np.zeros(0, dtype=np.int64)
    rows: list[dict[str, object]] = []

    def add(metric: str, value: float, method: str = "exact",
            low: float = math.nan, high: float = math.nan) -> None:
        rows.append({"metric": metric, "value": float(value), "method": method,
                     "ci_low": low, "ci_high": high})

    add("nodes", n)
    add("activities", m)
    add("pair_incidences", pairs)
    projection = _projection(matrix, pairs, max_pairs)
    if projection is not None or n < 2:
        edges = (projection.nnz - n) / 2 if projection is not None else 0.0
        density = edges / all_pairs if all_pairs else math.nan
        add("edges", edges)
        add("density", density)
        add("weighted_density", pairs / all_pairs if all_pairs else math.nan)
        add("mean_degree", 2 * edges / n if n else math.nan)
    else:
        rng = np.random.default_rng(seed)
        first = rng.integers(0, n, size=sample_pairs)
        second = rng.integers(0, n - 1, size=sample_pairs)
        second = second + (second >= first)
        shared = np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel() > 0
        hits = int(shared.sum())
        density = hits / sample_pairs
        low, high = _wilson(hits, sample_pairs)
        add("edges", density * all_pairs, "sampled", low * all_pairs, high * all_pairs)
        add("density", density, "sampled", low, high)
        add("weighted_density", pairs / all_pairs)
        add("mean_degree", density * (n - 1), "sampled", low * (n - 1), high * (n - 1))
    add("mean_strength", strength.mean() if n else math.nan)
    add("components", len(counts))
    add("largest_component_share", counts.max() / n if n else math.nan)
    add("isolates", int((strength == 0).sum()))
    return pd.DataFrame(rows, columns=list(_METRIC_COLUMNS))


_CENTRALITY_COLUMNS = (
    "person_key", "staff_type", "unit", "activities", "strength", "degree",
    "degree_centrality", "eigenvector", "betweenness", "component",
)


def coattendance_centrality(
    attendance: pd.DataFrame,
    *,
    fiscal_year: int | None = None,
    unit: str | None = None,
    top: int | None = None,
    max_pairs: int = MAX_PAIRS,
    betweenness: bool = False,
    betweenness_k: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Centrality of every participant in the co-attendance graph (pseudonymous keys only).

    Parameters
    ----------
    attendance
        The processed attendance table. Not modified.
    fiscal_year, unit
        Which attendances.
    top
        Return only the ``top`` most central people (by eigenvector centrality); ``None``:
        everyone.
    max_pairs
        Compute exact degrees only when the activities give at most this many co-attending
        pairs (see :func:`graph_metrics`); otherwise ``degree`` and ``degree_centrality`` are
        missing. Strength and eigenvector centrality are always exact.
    betweenness
        Also compute betweenness centrality with networkx (unweighted shortest paths). This
        builds the whole graph and is slow — :math:`O(nm)` — so it is off by default and
        refused above ``max_pairs``.
    betweenness_k
        Estimate betweenness from this many sampled source nodes (networkx's ``k``; seeded by
        ``seed``); ``None``: exact.
    seed
        Seed of the betweenness sample.

    Returns
    -------
    pandas.DataFrame
        One row per participant: ``person_key``, ``staff_type`` and ``unit`` (latest
        attendance row), ``activities`` (distinct activities), ``strength`` (weighted degree:
        co-attendances, :math:`\\sum_{a \\ni v}(n_a - 1)`), ``degree`` (distinct co-attendees,
        ``Int64``), ``degree_centrality`` (``degree / (n − 1)``, as networkx), ``eigenvector``
        (eigenvector centrality of the weighted graph, unit Euclidean norm, as networkx's
        ``eigenvector_centrality_numpy(weight="weight")``), ``betweenness`` (normalised, as
        networkx; NaN unless asked) and ``component`` (0 = the largest connected component).
        Sorted by eigenvector centrality, then strength, descending.

    Notes
    -----
    The eigenvector is found by Lanczos iteration (``scipy.sparse.linalg.eigsh``) on the
    operator :math:`x \\mapsto B(B^\\top x) - \\operatorname{diag}(BB^\\top)\\,x`, so the
    projection is never built. In a disconnected graph it concentrates on the component with
    the largest leading eigenvalue (others get ≈ 0), as in networkx.
    """
    _check_count("top", top, 0, allow_none=True)
    _check_count("max_pairs", max_pairs, 0)
    _check_count("betweenness_k", betweenness_k, 1, allow_none=True)
    rows, where, person, keys, matrix = _bipartite(attendance, fiscal_year, unit)
    n, m = matrix.shape
    sizes, pairs = _pair_incidences(matrix)
    strength = matrix @ (sizes - 1) if m else np.zeros(n)
    projection = _projection(matrix, pairs, max_pairs)
    degree = pd.array([pd.NA] * n, dtype="Int64")
    degree_centrality = np.full(n, np.nan)
    if projection is not None:
        counted = np.diff(projection.indptr) - 1
        degree = pd.array(counted, dtype="Int64")
        degree_centrality = counted / (n - 1) if n > 1 else np.zeros(n)
    between = np.full(n, np.nan)
    if betweenness:
        if projection is None:
            raise ConfigError(
                f"betweenness needs the whole graph, but its activities give {int(pairs):,} "
                f"co-attending pairs, above max_pairs={max_pairs:,}; select a fiscal year or "
                "unit, raise max_pairs, or leave betweenness off"
            )
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        upper = sp.triu(projection, k=1).tocoo()
        graph.add_edges_from(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
        values = nx.betweenness_centrality(graph, k=betweenness_k, seed=seed)
        between = np.array([values[i] for i in range(n)])
    attributes = _latest_attributes(rows, where, person, n)
    out = pd.DataFrame({
        "person_key": pd.array(keys.array, dtype="string"),
        "staff_type": attributes["staff_type"],
        "unit": attributes["unit"],
        "activities": np.diff(matrix.indptr).astype(np.int64),
        "strength": np.asarray(strength, dtype=np.float64).round().astype(np.int64),
        "degree": degree,
        "degree_centrality": degree_centrality,
        "eigenvector": _eigenvector(matrix, pairs),
        "betweenness": between,
        "component": _components(matrix),
    })
    order = np.lexsort((np.arange(n), -out["strength"].to_numpy(),
                        -out["eigenvector"].to_numpy()))
    if top is not None:
        order = order[:top]
    return out.take(order).reset_index(drop=True)[list(_CENTRALITY_COLUMNS)]
