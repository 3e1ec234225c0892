"""Benchmark: score every factor and compute Cronbach's alpha on a large synthetic survey.

Not a test. Run from the repository root::

    .venv/bin/python bench/scoring.py                 # 1,000,000 and 10,000,000 respondents
    .venv/bin/python bench/scoring.py --sizes 100000 1000000

Each size is a processed survey table with the real schema (``respondent``, ``unit``,
``fiscal_year`` and 25 nullable ``Int64`` item columns: 5 factors x 5 items, answers 1..5 drawn
with numpy, about 3% missing). The timed work is what ``cleannet-eval score`` does with the
numbers: :func:`score_respondents` (every factor and the overall index) plus
:func:`factor_reliability` (pairwise alpha with its CI for every factor). Data generation is not
timed. Each size is run ``--repeat`` times; the best run is reported (the usual way to time code
without noise from other processes), the median too, and the best CPU time of the process
(``time.process_time``), which other programs on the machine disturb less than wall time.

Targets (from the issue): at most 2 s for 1,000,000 respondents, and 10x the respondents costs
at most 12x the time. Results go to ``bench/results/scoring.json`` and are printed.
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

from cleannet_eval.analysis import factor_reliability, score_respondents  # noqa: E402
from cleannet_eval.instruments import PINTO_SLEVIN_FACTORS, instrument_from_dict  # noqa: E402

FACTORS = 5
ITEMS_PER_FACTOR = 5
MISSING = 0.03
TARGET_SECONDS = 2.0
MAX_SCALING = 12.0
RESULTS = ROOT / "bench" / "results" / "scoring.json"


def bench_instrument():
    """A 5-factor x 5-item, 5-point instrument (cleannet5 has two 4-item factors)."""
    return instrument_from_dict(
        {
            "id": "bench5x5",
            "scale": {"min": 1, "max": 5},
            "factors": [
                {
                    "key": key,
                    "items": [
                        {"code": f"F{f + 1}I{i + 1}", "reverse": i == ITEMS_PER_FACTOR - 1}
                        for i in range(ITEMS_PER_FACTOR)
                    ],
                }
                for f, key in enumerate(PINTO_SLEVIN_FACTORS[:FACTORS])
            ],
        },
        source="bench",
    )


def make_survey(n: int, codes: list[str], seed: int = 2551) -> pd.DataFrame:
    """A processed survey table of ``n`` respondents (vectorised, no per-row Python)."""
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {
        "respondent": pd.array(np.char.add("R", np.arange(n).astype(str)), dtype="str"),
        "unit": pd.Categorical.from_codes(
            rng.integers(0, 20, n), [f"unit{u:02d}" for u in range(20)]
        ).astype("str"),
        "fiscal_year": pd.array(rng.integers(2550, 2552, n), dtype="Int64"),
    }
    for code in codes:
        answers = rng.integers(1, 6, n, dtype=np.int64)
        columns[code] = pd.arrays.IntegerArray(answers, rng.random(n) < MISSING)
    return pd.DataFrame(columns)


def run_once(survey: pd.DataFrame, instrument) -> dict[str, float]:
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    scores = score_respondents(survey, instrument)
    middle = time.perf_counter()
    alphas = factor_reliability(survey, instrument)
    end = time.perf_counter()
    cpu = time.process_time() - cpu
    assert len(scores) == len(survey) and len(alphas) == FACTORS
    return {"score": middle - start, "alpha": end - middle, "total": end - start, "cpu": cpu}


def bench(n: int, repeat: int, instrument) -> dict[str, object]:
    survey = make_survey(n, instrument.item_codes)
    runs = [run_once(survey, instrument) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["total"])
    alphas = factor_reliability(survey, instrument)
    result = {
        "respondents": n,
        "items": len(instrument.item_codes),
        "missing_share": round(float(survey[instrument.item_codes].isna().to_numpy().mean()), 4),
        "best_seconds": {k: round(v, 4) for k, v in best.items()},
        "median_total_seconds": round(statistics.median(r["total"] for r in runs), 4),
        "best_cpu_seconds": round(min(r["cpu"] for r in runs), 4),
        "runs_total_seconds": [round(r["total"], 4) for r in runs],
        "alpha_first_factor": round(float(alphas["alpha"].iloc[0]), 6),
    }
    del survey
    gc.collect()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1_000_000, 10_000_000],
                        metavar=("SMALL", "LARGE"), help="respondents (default 1e6 and 1e7)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    args = parser.parse_args(argv)
    instrument = bench_instrument()
    sizes = [bench(n, args.repeat, instrument) for n in args.sizes]
    small, large = sizes
    ratio_n = large["respondents"] / small["respondents"]
    ratio_t = large["best_seconds"]["total"] / small["best_seconds"]["total"]
    ratio_cpu = large["best_cpu_seconds"] / small["best_cpu_seconds"]
    million = next((s for s in sizes if s["respondents"] == 1_000_000), None)
    results = {
        "benchmark": "score_respondents + factor_reliability (pairwise alpha, 95% CI)",
        "factors": FACTORS,
        "items_per_factor": ITEMS_PER_FACTOR,
        "sizes": sizes,
        "scaling": {
            "respondents_ratio": ratio_n,
            "time_ratio": round(ratio_t, 3),
            "cpu_time_ratio": round(ratio_cpu, 3),
            "max_allowed_ratio": MAX_SCALING * ratio_n / 10,
            "ok": ratio_t <= MAX_SCALING * ratio_n / 10,
        },
        "target": {
            "seconds_for_1M": TARGET_SECONDS,
            "measured_1M": None if million is None else million["best_seconds"]["total"],
            "ok": None if million is None else million["best_seconds"]["total"] <= TARGET_SECONDS,
        },
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "platform": platform.platform(),
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
