"""Benchmark: what ``--format html,pdf,docx`` adds to a batch of ``--format html``.

On the demo data, in one run, the same small batch (the summary and success-factor notebooks,
FY2551, the department and two units: 6 reports, 2 workers) is built with
:func:`cleannet_eval.reports.build_reports` as HTML only and as HTML + PDF + DOCX, alternating,
``--rounds`` times each (the best time of each kind counts). The HTML + PDF + DOCX batch
includes starting Chromium (PDF) and the kaleido server (chart pictures) — once per batch.

Target: ``ratio = time(html,pdf,docx) / time(html) ≤ 1.5``. Results go to
``bench/results/print_formats.json``.

    .venv/bin/python bench/print_formats.py [--rounds 1] [--units 2] [--workers 2]

This is a benchmark, not a test: the numbers depend on the machine and on whatever else runs
on it (the load average is recorded).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "print_formats.json"
NOTEBOOKS = [REPO / "notebooks" / "05_summary.ipynb",
             REPO / "notebooks" / "04_success_factors.ipynb"]
FY = 2551
TARGET = 1.5


def prepare(work: Path) -> Path:
    from cleannet_eval.ingest.pipeline import ingest

    processed = work / "processed"
    ingest(REPO / "data" / "raw", processed)
    return processed


def pick_units(processed: Path, count: int) -> list[str]:
    """The ``count`` units with the most survey answers in FY2551 (all shown)."""
    from cleannet_eval.dataset import read_processed

    survey = read_processed(processed).survey
    sizes = survey[survey["fiscal_year"] == FY].groupby("unit").size().sort_values(
        ascending=False)
    return list(sizes.index[:count])


def one_batch(processed: Path, out: Path, units: list[str], workers: int,
              formats: str) -> float:
    from cleannet_eval.reports import build_reports

    start = time.perf_counter()
    result = build_reports(REPO / "data" / "raw", processed, out, fiscal_years=[FY],
                           by="unit", units=units, notebooks_dir=NOTEBOOKS, workers=workers,
                           quiet=True, formats=formats)
    elapsed = time.perf_counter() - start
    if result.exit_code:
        raise SystemExit(result.summary())
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--units", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    os.environ.setdefault("CLEANNET_EVAL_KEY", "bench-secret-not-for-real-data")
    with tempfile.TemporaryDirectory(prefix="cleannet-bench-print-") as tmp:
        work = Path(tmp)
        processed = prepare(work)
        units = pick_units(processed, args.units)
        load_before = os.getloadavg()[0]
        times: dict[str, list[float]] = {"html": [], "html,pdf,docx": []}
        for round_no in range(args.rounds):
            for formats in times:
                out = work / f"reports-{round_no}-{formats.replace(',', '-')}"
                seconds = one_batch(processed, out, units, args.workers, formats)
                times[formats].append(round(seconds, 2))
                print(f"round {round_no + 1}: --format {formats}: {seconds:.1f} s",
                      file=sys.stderr)
        sizes = {}
        for suffix in ("html", "pdf", "docx"):
            files = list(out.rglob(f"*.{suffix}"))
            files = [f for f in files if f.name != "index.html"]
            sizes[suffix] = max(f.stat().st_size for f in files) if files else None
        reports = len(NOTEBOOKS) * (1 + len(units))
        html, everything = min(times["html"]), min(times["html,pdf,docx"])
        ratio = everything / html
        results = {
            "reports_per_batch": reports,
            "workers": args.workers,
            "rounds": args.rounds,
            "seconds": times,
            "best_html_s": html,
            "best_html_pdf_docx_s": everything,
            "ratio": round(ratio, 3),
            "target_ratio_at_most": TARGET,
            "meets_target": ratio <= TARGET,
            "largest_file_bytes": sizes,
            "load_average_1min_before": round(load_before, 2),
            "load_average_1min_after": round(os.getloadavg()[0], 2),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0 if results["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
