"""Benchmark: the instrument-quality computations at the sizes the issue names.

Not a test. Run from the repository root::

    .venv/bin/python bench/quality.py                      # defaults below
    .venv/bin/python bench/quality.py --cfa-respondents 10000 --reliability-respondents 1000000

Two timings, each against a baseline measured in the same run:

* **CFA**: :func:`instrument_cfa` (what ``cleannet-eval quality`` runs) on the cleannet5
  instrument (23 items in 5 factors) and 10,000 respondents, against semopy's plain
  ``Model(desc).fit(data)`` on the same complete rows (semopy's defaults: the BLAS thread count
  the machine gives it). Target: at most 5 s.
* **Reliability table**: :func:`instrument_reliability` — the factor table (alpha with CI,
  standardized alpha, omega) and the item table (item–rest r, alpha and omega if deleted) from
  one pass over the answers — of a 5 × 5-item survey
  table of 1,000,000 respondents with 3% missing, against ``pingouin.cronbach_alpha`` of each
  factor (pairwise, alpha and CI only) and against this package's own
  :func:`factor_reliability` (the alpha-only pass). Target: at most 3 s.

Data generation is not timed. Each timing is the best of ``--repeat`` runs (the median too).
Results go to ``bench/results/quality.json`` and are printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scoring import bench_instrument  # noqa: E402

from cleannet_eval.analysis import (  # noqa: E402
    factor_reliability,
    instrument_cfa,
    instrument_reliability,
)
from cleannet_eval.instruments import load_instrument  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "quality.json"
CFA_TARGET_SECONDS = 5.0
RELIABILITY_TARGET_SECONDS = 3.0
MISSING = 0.03


def factor_survey(n: int, instrument, seed: int = 2551, missing: float = MISSING
                  ) -> pd.DataFrame:
    """A processed survey table whose items follow the instrument's factors (1..5 answers)."""
    rng = np.random.default_rng(seed)
    k = len(instrument.factors)
    traits = rng.multivariate_normal(np.zeros(k), 0.6 * np.eye(k) + 0.4, size=n)
    columns: dict[str, object] = {
        "unit": pd.array(np.full(n, "unit00"), dtype="str"),
        "fiscal_year": pd.array(np.full(n, 2551), dtype="Int64"),
    }
    for j, factor in enumerate(instrument.factors):
        for item in factor.items:
            x = 0.8 * traits[:, j] + rng.normal(scale=0.8, size=n)
            answer = np.clip(np.round(3 + x), 1, 5).astype(np.int64)
            if item.reverse:
                answer = 6 - answer
            columns[item.code] = pd.arrays.IntegerArray(answer, rng.random(n) < missing)
    return pd.DataFrame(columns)


def best_of(repeat: int, func) -> dict[str, float]:
    """Best and median wall time, and the best CPU time of the process (``process_time``:
    other programs on a shared machine disturb it much less than wall time)."""
    times, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        cpu = time.process_time()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return {"best": round(min(times), 4), "median": round(statistics.median(times), 4),
            "best_cpu": round(min(cpus), 4), "runs": [round(t, 4) for t in times]}


def bench_cfa(n: int, repeat: int) -> dict[str, object]:
    import semopy

    from cleannet_eval.analysis.scoring import item_matrix

    inst = load_instrument("cleannet5")
    survey = factor_survey(n, inst, missing=0.0)
    values = item_matrix(survey, inst)
    data = pd.DataFrame(values, columns=inst.item_codes)
    desc = "\n".join(f"{f.key} =~ " + " + ".join(i.code for i in f.items) for f in inst.factors)
    result = instrument_cfa(survey, inst)  # warm-up: imports semopy
    ours = best_of(repeat, lambda: instrument_cfa(survey, inst))
    baseline = best_of(max(1, repeat - 1), lambda: semopy.Model(desc).fit(data))
    fit = result.fit.iloc[0]
    return {
        "respondents": n, "items": len(inst.item_codes), "factors": len(inst.factors),
        "instrument_cfa_seconds": ours, "semopy_plain_fit_seconds": baseline,
        "ratio_to_semopy_fit": round(ours["best"] / baseline["best"], 3),
        "cpu_ratio_to_semopy_fit": round(ours["best_cpu"] / baseline["best_cpu"], 3),
        "target_seconds": CFA_TARGET_SECONDS,
        "meets_target": ours["best"] <= CFA_TARGET_SECONDS,
        "fit": {k: (round(float(fit[k]), 4) if k != "converged" else bool(fit[k]))
                for k in ("chi2", "df", "cfi", "tli", "rmsea", "srmr", "converged")},
    }


def bench_reliability(n: int, repeat: int) -> dict[str, object]:
    import pingouin

    inst = bench_instrument()
    survey = factor_survey(n, inst)

    def ours() -> None:
        instrument_reliability(survey, inst)

    def baseline() -> None:
        for factor in inst.factors:
            codes = [i.code for i in factor.items]
            pingouin.cronbach_alpha(survey[codes].astype("float64"))

    ours()  # warm-up
    mine = best_of(repeat, ours)
    theirs = best_of(max(1, repeat - 1), baseline)
    alpha_only = best_of(max(1, repeat - 1), lambda: factor_reliability(survey, inst))
    table, _ = instrument_reliability(survey, inst)
    return {
        "respondents": n, "items": len(inst.item_codes), "factors": len(inst.factors),
        "missing_share": MISSING,
        "reliability_table_plus_item_analysis_seconds": mine,
        "pingouin_alpha_per_factor_seconds": theirs,
        "ratio_to_pingouin": round(mine["best"] / theirs["best"], 3),
        "cpu_ratio_to_pingouin": round(mine["best_cpu"] / theirs["best_cpu"], 3),
        "factor_reliability_alpha_only_seconds": alpha_only,
        "ratio_to_factor_reliability": round(mine["best"] / alpha_only["best"], 3),
        "target_seconds": RELIABILITY_TARGET_SECONDS,
        "meets_target": mine["best"] <= RELIABILITY_TARGET_SECONDS,
        "first_factor": {k: round(float(table[k].iloc[0]), 4)
                         for k in ("alpha", "alpha_std", "omega")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cfa-respondents", type=int, default=10_000)
    parser.add_argument("--reliability-respondents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (default 3)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    args = parser.parse_args(argv)
    results = {
        "benchmark": "instrument quality: CFA and the reliability table",
        "cfa": bench_cfa(args.cfa_respondents, args.repeat),
        "reliability": bench_reliability(args.reliability_respondents, args.repeat),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
