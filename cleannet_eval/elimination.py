"""Gaussian elimination for cell suppression: is a vector in the span of what is published?

The linear algebra behind :mod:`cleannet_eval.disclosure` (Langsrud 2019; R package
``GaussSuppression``). Every published cell is a 0/1 indicator vector over the finest cells;
:class:`Echelon` keeps a sparse echelon basis of the published vectors together with the
residuals of the protected vectors, so that publishing one more cell costs one reduction, and
:func:`gauss_suppress` decides the cells in order, refusing any cell that would put a protected
vector into the span. Floating point with a tolerance: the vectors are 0/1 and the eliminations
stay small.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np

__all__ = ["TOLERANCE", "Echelon", "gauss_suppress"]

#: A residual entry below this counts as zero.
TOLERANCE = 1e-9


# --------------------------------------------------------------------------- elimination


class Echelon:
    """A sparse echelon basis of published indicator vectors over ``m`` finest cells,
    with the residuals of the protected vectors kept reduced against it."""

    def __init__(self, m: int, protected: Sequence[np.ndarray]) -> None:
        self.work = np.zeros(m)
        self.mark = np.zeros(m, dtype=bool)
        self.queued = np.zeros(m + 1, dtype=bool)  # at most one basis row per column
        self.row_of_col = np.full(m, -1, dtype=np.int64)
        self.rows: list[tuple[np.ndarray, np.ndarray]] = []
        self.pivots: list[int] = []
        self.prot: list[tuple[np.ndarray, np.ndarray]] = []
        self.prot_at: dict[int, set[int]] = {}
        self.prot_count = np.zeros(m, dtype=np.int64)
        for vec in protected:
            self._set_prot(len(self.prot), vec, np.ones(len(vec)), new=True)

    def _set_prot(self, g: int, idx: np.ndarray, val: np.ndarray, new: bool = False) -> None:
        if not new:
            old = self.prot[g][0]
            self.prot_count[old] -= 1
            for c in old.tolist():
                self.prot_at[c].discard(g)
            self.prot[g] = (idx, val)
        else:
            self.prot.append((idx, val))
        self.prot_count[idx] += 1
        for c in idx.tolist():
            self.prot_at.setdefault(c, set()).add(g)

    def reduce(self, idx: np.ndarray, val: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """The residual of a vector (0/1 on ``idx`` unless ``val``) against the basis."""
        w, mark, queued = self.work, self.mark, self.queued
        w[idx] = 1.0 if val is None else val
        mark[idx] = True
        support = [idx]
        first = self.row_of_col[idx]
        heap = first[first >= 0].tolist()
        queued[heap] = True
        heapq.heapify(heap)
        done = list(heap)
        while heap:
            r = heapq.heappop(heap)
            p = self.pivots[r]
            coef = w[p]
            if abs(coef) <= TOLERANCE:
                continue
            ridx, rval = self.rows[r]
            w[ridx] -= coef * rval
            w[p] = 0.0
            fresh = ridx[~mark[ridx]]
            if len(fresh):
                mark[fresh] = True
                support.append(fresh)
            q = self.row_of_col[ridx]
            q = q[q > r]
            q = q[~queued[q]]
            if len(q):
                queued[q] = True
                done.extend(q.tolist())
                for x in q.tolist():
                    heapq.heappush(heap, x)
        cols = np.concatenate(support) if len(support) > 1 else idx
        values = w[cols].copy()
        w[cols] = 0.0
        mark[cols] = False
        queued[done] = False
        keep = np.abs(values) > TOLERANCE
        cols, values = cols[keep], values[keep]
        order = np.argsort(cols, kind="stable")
        return cols[order], values[order]

    def try_add(self, idx: np.ndarray, own: np.ndarray | None = None) -> str:
        """Add a vector unless it would bring a protected vector into the span.

        Returns ``"in_span"`` (nothing new), ``"added"`` or ``"refused"``.
        """
        ridx, rval = self.reduce(idx)
        if len(ridx) == 0:
            return "in_span"
        # pivot: a large entry (stability) in a column no protected residual uses if possible
        # (then the protected residuals need no update), else in the cell's own columns
        size = np.abs(rval)
        score = self.prot_count[ridx] * 4.0 - size / size.max()
        if own is not None:
            self.mark[own] = True
            score = score - 0.5 * self.mark[ridx]
            self.mark[own] = False
        score[size < 0.1 * size.max()] = np.inf
        j = int(np.argmin(score))
        p = int(ridx[j])
        rval = rval / rval[j]  # pivot entry 1
        affected = list(self.prot_at.get(p, ()))
        updates = []
        for g in affected:
            gidx, gval = self.prot[g]
            coef = gval[np.searchsorted(gidx, p)]
            nidx, nval = _axpy(gidx, gval, ridx, rval, -coef)
            if len(nidx) == 0:
                return "refused"
            updates.append((g, nidx, nval))
        for g, nidx, nval in updates:
            self._set_prot(g, nidx, nval)
        self.row_of_col[p] = len(self.rows)
        self.rows.append((ridx, rval))
        self.pivots.append(p)
        return "added"

    def in_span(self, idx: np.ndarray) -> bool:
        """Whether the 0/1 vector on ``idx`` lies in the span of the basis."""
        if len(idx) == 0:
            return True
        if not (self.row_of_col[idx] >= 0).any():  # no pivot is touched: nothing cancels
            return False
        return len(self.reduce(idx)[0]) == 0


def _axpy(xi: np.ndarray, xv: np.ndarray, yi: np.ndarray, yv: np.ndarray, a: float
          ) -> tuple[np.ndarray, np.ndarray]:
    """Sparse ``x + a·y`` with entries below the tolerance dropped."""
    idx, inv = np.unique(np.concatenate([xi, yi]), return_inverse=True)
    val = np.zeros(len(idx))
    np.add.at(val, inv, np.concatenate([xv, a * yv]))
    keep = np.abs(val) > TOLERANCE * max(1.0, float(np.abs(val).max(initial=0.0)))
    return idx[keep], val[keep]


def gauss_suppress(
    members: Sequence[np.ndarray],
    n: np.ndarray,
    min_group_size: int,
    *,
    forced: np.ndarray | None = None,
    protected: Sequence[np.ndarray] = (),
    order: np.ndarray | None = None,
    m: int | None = None,
) -> tuple[np.ndarray, np.ndarray, Echelon]:
    """One Gaussian-elimination pass of cell suppression.

    Parameters
    ----------
    members
        For each cell, the sorted ids of the non-empty finest cells it adds up.
    n
        Each cell's count.
    min_group_size
        Cells with ``0 < n < min_group_size`` are primary.
    forced
        Cells that must be hidden (they are not candidates).
    protected
        Extra vectors (finest-cell ids) that must stay outside the span.
    order
        Candidate order (most wanted published first); default largest ``n`` first.
    m
        Number of finest cells.

    Returns
    -------
    primary, hidden, basis
        Boolean arrays over the cells and the final echelon basis of the published span.
    """
    n = np.asarray(n, dtype=np.int64)
    primary = (n > 0) & (n < min_group_size)
    hidden = primary.copy()
    if forced is not None:
        hidden |= forced & (n > 0)
    size = m if m is not None else (max((int(v.max()) for v in members if len(v)), default=-1)
                                    + 1)
    prot = [members[i] for i in np.flatnonzero(primary)] + list(protected)
    basis = Echelon(size, prot)
    if order is None:
        order = np.lexsort((np.arange(len(n)), -n))
    for i in order:
        if hidden[i] or n[i] == 0:
            continue
        if basis.try_add(members[i], own=members[i]) == "refused":
            hidden[i] = True
    return primary, hidden, basis
