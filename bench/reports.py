"""Benchmark: the report pipeline against the loop a user would write by hand.

On the demo data, in one run: 24 reports (the department and 11 units × 2 fiscal years, one
notebook) built

* naively: ``papermill`` CLI then ``jupyter nbconvert --to html`` CLI for each report, one after
  another (with ``PLOTLY_RENDERER=plotly_mimetype+notebook`` so the charts show at all);
* by :func:`cleannet_eval.reports.build_reports` with 2 workers (self-contained reports).

Reports the wall times and the speed-up (target ≥ 3×), the largest self-contained report
against ``plotly.min.js`` (target ≤ 1.1 × plotly.min.js + 100 KB) and the peak memory of each
approach (resident memory of this process and every child, kernels included, sampled every
50 ms). Results go to ``bench/results/reports.json``.

    .venv/bin/python bench/reports.py [--notebook PATH] [--reports 24] [--workers 2]

``--notebook`` defaults to ``tests/notebooks/charts.ipynb``; point it at a real notebook of
``notebooks/`` once they exist. This is a benchmark, not a test: the numbers depend on the
machine and on whatever else runs on it (the load average is recorded).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "reports.json"
BIN = Path(sys.executable).parent


class PeakMemory:
    """Peak resident memory of this process plus all its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def prepare_data(work: Path) -> tuple[Path, Path]:
    from cleannet_eval.demo import write_demo
    from cleannet_eval.ingest.pipeline import ingest

    raw, processed = work / "raw", work / "processed"
    write_demo(raw)
    os.environ.setdefault("CLEANNET_EVAL_KEY", "benchmark-secret")
    ingest(raw, processed)
    return raw, processed


def pick_grid(processed: Path, count: int) -> tuple[list[int], list[str]]:
    """Fiscal years and units giving ``count`` reports (department + units per year)."""
    from cleannet_eval.dataset import read_processed
    from cleannet_eval.reports.grid import units_with_data

    data = read_processed(processed)
    years = data.fiscal_years
    per_year = count // len(years)
    common = set.intersection(*(set(units_with_data(data, y)) for y in years))
    units = sorted(common)[: per_year - 1]
    return years, units


def naive(notebook: Path, jobs: list[tuple[int, str]], processed: Path, raw: Path,
          out: Path) -> float:
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    env = dict(os.environ, PLOTLY_RENDERER="plotly_mimetype+notebook")
    out.mkdir(parents=True)
    start = time.perf_counter()
    for i, (year, unit) in enumerate(jobs):
        values = {"fiscal_year": year, "unit": unit, "lang": "th", "processed_dir": processed,
                  "raw_dir": raw}
        args = []
        for name, value in values.items():
            if name in declared:
                args += ["-p", name, str(value)] if name == "fiscal_year" else [
                    "-r", name, str(value)]
        executed = out / f"report-{i}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(notebook), str(executed), "-k", "python3",
                        "--no-progress-bar", *args], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
                       check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", type=Path,
                        default=REPO / "tests" / "notebooks" / "charts.ipynb")
    parser.add_argument("--reports", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--skip-naive", action="store_true",
                        help="time the pipeline only (no speed-up)")
    args = parser.parse_args(argv)

    from cleannet_eval.reports import build_reports
    from cleannet_eval.reports.export import plotly_js, plotly_js_path

    notebook = args.notebook.resolve()
    work = Path(tempfile.mkdtemp(prefix="cleannet-bench-"))
    try:
        raw, processed = prepare_data(work)
        years, units = pick_grid(processed, args.reports)
        jobs = [(y, u) for y in years for u in ["", *units]]
        print(f"{len(jobs)} reports: {len(years)} fiscal years × department + {len(units)} "
              f"units, notebook {notebook.name}", flush=True)
        load_before = os.getloadavg()[0]

        # Warm the file cache (Python, the kernel, the notebook's imports) for both sides.
        build_reports(raw, processed, work / "warm", fiscal_years=years[:1],
                      notebooks_dir=[notebook], workers=1, quiet=True)

        naive_s = naive_peak = None
        if not args.skip_naive:
            with PeakMemory() as mem:
                naive_s = naive(notebook, jobs, processed, raw, work / "naive")
            naive_peak = mem.peak
            print(f"naive loop (papermill CLI + nbconvert CLI): {naive_s:.1f} s, "
                  f"peak {naive_peak / 2**20:.0f} MiB", flush=True)

        with PeakMemory() as mem:
            start = time.perf_counter()
            result = build_reports(raw, processed, work / "reports", fiscal_years=years,
                                   by="unit", units=units, notebooks_dir=[notebook],
                                   workers=args.workers, assets="inline", quiet=True)
            pipeline_s = time.perf_counter() - start
        pipeline_peak = mem.peak
        print(f"pipeline ({args.workers} workers): {pipeline_s:.1f} s, "
              f"peak {pipeline_peak / 2**20:.0f} MiB, exit code {result.exit_code}", flush=True)
        if len(result.reports) != len(jobs) or result.exit_code:
            print(result.summary(), file=sys.stderr)
            return 1

        sizes = [(work / "reports" / r.output).stat().st_size for r in result.reports]
        js = plotly_js_path().stat().st_size
        limit = 1.1 * js + 100 * 1024
        bundle = len(plotly_js().encode("utf-8"))
        results = {
            "notebook": str(notebook.relative_to(REPO) if notebook.is_relative_to(REPO)
                            else notebook),
            "reports": len(jobs),
            "workers": args.workers,
            "naive_s": None if naive_s is None else round(naive_s, 2),
            "naive_s_per_report": None if naive_s is None else round(naive_s / len(jobs), 3),
            "pipeline_s": round(pipeline_s, 2),
            "pipeline_s_per_report": round(pipeline_s / len(jobs), 3),
            "report_durations_median_s": round(
                statistics.median(r.duration_s for r in result.reports), 3),
            "speedup": None if naive_s is None else round(naive_s / pipeline_s, 2),
            "speedup_target": 3.0,
            "plotly_js_bytes": js,
            "html_bytes_max": max(sizes),
            "html_bytes_median": int(statistics.median(sizes)),
            "html_bytes_without_plotly_js_max": max(sizes) - bundle,
            "html_to_plotly_js_ratio": round(max(sizes) / js, 4),
            "html_size_limit_bytes": int(limit),
            "html_size_within_target": max(sizes) <= limit,
            "peak_rss_mib_naive": None if naive_peak is None else round(naive_peak / 2**20, 1),
            "peak_rss_mib_pipeline": round(pipeline_peak / 2**20, 1),
            "load_average_1min_before": round(load_before, 2),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "packages": {name: _version(name) for name in
                         ("papermill", "nbconvert", "plotly", "pandas", "jupyter_client")},
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        if naive_s is not None:
            print(f"speed-up {results['speedup']}× (target ≥ 3×)")
        print(f"largest report {max(sizes) / 1e6:.2f} MB = {results['html_to_plotly_js_ratio']}"
              f" × plotly.min.js ({js / 1e6:.2f} MB); limit {limit / 1e6:.2f} MB")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"results → {args.out}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main())
