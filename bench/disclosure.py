"""Benchmark: the disclosure pattern at scale, and cells hidden against the brute-force minimum.

1. The pattern of 1,000 units × 4 staff types × 5 roles × 3 fiscal years (about 58,000
   respondents) with :func:`cleannet_eval.disclosure.disclosure` — target ≤ 2 s — against a
   baseline measured in the same run: the same greedy decisions with a dense ``numpy`` rank
   check per candidate (the naive method), on a smaller grid where it still finishes.
2. On tiny grids, the number of cells hidden against the smallest safe set found by brute force
   (a figure to report, not an assertion).

Run ``python bench/disclosure.py``; results go to ``bench/results/disclosure.json``.
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cleannet_eval import disclosure as dc

RESULTS = Path(__file__).resolve().parent / "results"


def synthetic_survey(units: int, staff: int = 4, roles: int = 5, years: int = 3,
                     seed: int = 1) -> pd.DataFrame:
    """Survey rows with uneven unit sizes: some units tiny, most tens of respondents."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(mean=2.6, sigma=0.9, size=units)  # expected respondents a year
    rows = []
    for u in range(units):
        mix = rng.dirichlet(np.ones(staff * roles))
        for y in range(years):
            counts = rng.poisson(size[u] * mix)
            for cell in np.flatnonzero(counts):
                rows.append((2549 + y, f"u{u:04d}", f"s{cell // roles}", f"r{cell % roles}",
                             int(counts[cell])))
    cells = pd.DataFrame(rows, columns=["fiscal_year", "unit", "staff_type", "role", "n"])
    return cells.loc[cells.index.repeat(cells["n"])].drop(columns="n").reset_index(drop=True)


def dense_baseline(survey: pd.DataFrame, k: int) -> tuple[float, int]:
    """The same greedy decisions, each checked with dense matrix ranks (numpy.linalg)."""
    start = time.perf_counter()
    d = dc.Disclosure(survey, k)
    members = d._cell_members
    counts = np.bincount(d._row_cell, minlength=len(d.finest))
    n = np.array([counts[v].sum() for v in members])
    m = len(counts)
    mat = np.zeros((len(members), m))
    for i, v in enumerate(members):
        mat[i, v] = 1.0
    primary = (n > 0) & (n < k)
    published: list[int] = []
    for i in np.lexsort((np.arange(len(n)), -n)):
        if primary[i] or n[i] == 0:
            continue
        trial = mat[[*published, i]]
        new_rank = np.linalg.matrix_rank(trial)
        safe = all(np.linalg.matrix_rank(np.vstack([trial, mat[p]])) > new_rank
                   for p in np.flatnonzero(primary))
        if safe:
            published.append(int(i))
    return time.perf_counter() - start, int((n > 0).sum()) - len(published)


def brute_force_minimum(survey: pd.DataFrame, k: int) -> tuple[int, int]:
    """(hidden by the pattern, smallest number of hidden cells that is safe)."""
    d = dc.Disclosure(survey, k)
    pattern = d.respondents
    hidden = int((pattern.cells["status"].isin([dc.PRIMARY, dc.SECONDARY])).sum())
    members = pattern.members
    n = pattern.cells["n"].to_numpy()
    m = len(pattern.finest_counts)
    mat = np.zeros((len(members), m))
    for i, v in enumerate(members):
        mat[i, v] = 1.0
    primary = list(np.flatnonzero((n > 0) & (n < k)))
    others = [i for i in range(len(n)) if n[i] > 0 and i not in primary]

    def safe(hide: set[int]) -> bool:
        shown = [i for i in others if i not in hide]
        base = np.linalg.matrix_rank(mat[shown]) if shown else 0
        return all(np.linalg.matrix_rank(np.vstack([mat[shown], mat[p]])) > base
                   for p in primary)

    for extra in range(len(others) + 1):
        for hide in itertools.combinations(others, extra):
            if safe(set(hide)):
                return hidden, len(primary) + extra
    return hidden, len(primary) + len(others)


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    out: dict[str, object] = {}
    survey = synthetic_survey(1000)
    start = time.perf_counter()
    pattern = dc.Disclosure(survey, 5).respondents
    seconds = time.perf_counter() - start
    status = pattern.cells["status"].value_counts().to_dict()
    out["large"] = {"units": 1000, "staff_types": 4, "roles": 5, "years": 3,
                    "respondents": len(survey), "finest_cells": int(len(pattern.finest_counts)),
                    "published_cells": int(len(pattern.cells)), "seconds": round(seconds, 3),
                    "passes": pattern.passes, "status": status}
    print(f"pattern 1000×4×5×3 ({len(survey):,} respondents, {len(pattern.cells):,} cells): "
          f"{seconds:.2f} s, {pattern.passes} pass(es), {status}")
    small = synthetic_survey(12, seed=3)
    start = time.perf_counter()
    hidden_fast = int((dc.Disclosure(small, 5).respondents.cells["status"]
                       .isin([dc.PRIMARY, dc.SECONDARY])).sum())
    fast = time.perf_counter() - start
    slow, hidden_slow = dense_baseline(small, 5)
    out["baseline"] = {"units": 12, "sparse_seconds": round(fast, 4),
                       "dense_rank_seconds": round(slow, 4), "ratio": round(slow / fast, 1),
                       "hidden_sparse": hidden_fast, "hidden_dense_primary_only_check":
                       hidden_slow}
    print(f"12 units: sparse elimination {fast:.3f} s, dense rank checks {slow:.3f} s "
          f"(×{slow / fast:.0f})")
    tiny = []
    for seed in range(6):
        rng = np.random.default_rng(100 + seed)
        rows = [(2550 + y, f"u{u}", f"s{s}", "r0")
                for y in range(2) for u in range(3) for s in range(2)
                for _ in range(int(rng.integers(0, 5)))]
        frame = pd.DataFrame(rows, columns=["fiscal_year", "unit", "staff_type", "role"])
        ours, best = brute_force_minimum(frame, 5)
        tiny.append({"seed": seed, "hidden": ours, "minimum": best})
        print(f"tiny grid seed {seed}: hidden {ours}, brute-force minimum {best}")
    out["tiny"] = tiny
    (RESULTS / "disclosure.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
