"""Benchmark: the report pipeline against the loop a user would write by hand (issue #14).

On the demo data, in one run:

* **naive**: ``papermill`` CLI then ``jupyter nbconvert --to html`` CLI for each report, one
  after another (``PLOTLY_RENDERER=plotly_mimetype+notebook`` so the charts show at all), for
  ``--naive-reports`` unit reports of ``--notebook`` (default the success-factor notebook);
* **pipeline**: what ``make report`` runs — :func:`cleannet_eval.reports.build_reports` with
  every notebook, every fiscal year, ``by="unit"``, ``--workers`` workers, self-contained
  reports (216 reports on the demo with its six notebooks); then the same batch's latest year with
  ``assets="shared"``;
* optionally (``--cold``) the pipeline's first fiscal year with ``warm=False`` (a fresh kernel
  per report), to show what warm kernels and the shared analysis save.

Targets (ratios and sizes measured in this run; never timed tests):

* per report, naive ÷ pipeline of the same notebook ≥ 15×;
* report stage of the 180-report batch ≤ 60 s on 2 cores, i.e. ≤ 0.333 s a report (the demo
  has six notebooks now: 216 reports, judged per report);
* largest self-contained report ≤ 1.7 MB; largest ``--assets shared`` report ≤ 300 KB;
  where the bytes of the largest report go (plotly.js, CSS, fonts, charts, the rest) is
  recorded too;
* peak memory of the batch (this process and every child, kernels included) ≤ 1.5 GiB.

The batch's CPU time (this process and the kernels, sampled) is recorded beside its wall time:
CPU seconds a report, and the cores it kept busy (CPU ÷ wall; 2 is a saturated 2-core
machine). Results go to ``bench/results/reports.json``; the load average before and after is
recorded (other work on the machine slows both sides)::

    .venv/bin/python bench/reports.py [--naive-reports 4] [--workers 2] [--cold]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
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
    """Peak resident memory of this process plus all its descendants, sampled in a thread,
    and the CPU seconds they used meanwhile (``cpu_s``; a child's last sample counts)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self.cpu_s = 0.0
        self.children_cpu_s = 0.0
        self._child_cpu: dict[int, float] = {}
        self._start_cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _cpu(proc: psutil.Process) -> float:
        times = proc.cpu_times()
        return times.user + times.system

    def _sample(self) -> int:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
                if proc.pid != me.pid:
                    self._child_cpu[proc.pid] = self._cpu(proc)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        me = psutil.Process()
        self._start_cpu = self._cpu(me)
        for proc in me.children(recursive=True):  # children already running count from now
            with contextlib.suppress(psutil.Error):
                self._child_cpu[-proc.pid] = -self._cpu(proc)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.children_cpu_s = sum(self._child_cpu.values())
        self.cpu_s = self._cpu(psutil.Process()) - self._start_cpu + self.children_cpu_s


_SCRIPT = re.compile(r"<script[^>]*>([\s\S]*?)</script>")
_STYLE = re.compile(r"<style[^>]*>([\s\S]*?)</style>")


def page_parts(path: Path) -> dict[str, int]:
    """Bytes of one report page by part: plotly.js, charts (their scripts and the shared
    template table), CSS, embedded fonts, the rest (text, tables, header and footer)."""
    page = path.read_text(encoding="utf-8")
    parts = {"total": len(page.encode()), "plotly_js": 0, "charts": 0, "css": 0, "fonts": 0}
    for match in _SCRIPT.finditer(page):
        size = len(match.group(0).encode())
        body = match.group(1)
        if len(body) > 100_000:
            parts["plotly_js"] += size
        elif "Plotly.newPlot" in body or "cleannetTemplates" in body:
            parts["charts"] += size
    for match in _STYLE.finditer(page):
        parts["fonts" if "@font-face" in match.group(1) else "css"] += len(
            match.group(0).encode())
    parts["rest"] = parts["total"] - sum(v for k, v in parts.items() if k != "total")
    return parts


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


def _sizes(out: Path, reports) -> list[int]:
    return [(out / r.output).stat().st_size for r in reports if r.output]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", type=Path,
                        default=REPO / "notebooks" / "04_success_factors.ipynb")
    parser.add_argument("--naive-reports", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cold", action="store_true",
                        help="also time one fiscal year with a fresh kernel per report")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from cleannet_eval.reports import build_reports
    from cleannet_eval.reports.bundles import bundle_path, full_bundle_path

    notebook = args.notebook.resolve()
    work = Path(tempfile.mkdtemp(prefix="cleannet-bench-"))
    try:
        raw, processed = prepare_data(work)
        years, units = pick_grid(processed, 2 * (args.naive_reports + 1))
        naive_jobs = [(years[-1], u) for u in units[: args.naive_reports]]
        load_before = os.getloadavg()

        # Warm the file cache (Python, the kernel, the notebooks' imports) for both sides.
        build_reports(raw, processed, work / "warm", fiscal_years=years[-1:],
                      notebooks_dir=[notebook], workers=1, quiet=True)

        with PeakMemory() as mem:
            naive_s = naive(notebook, naive_jobs, processed, raw, work / "naive")
        naive_peak = mem.peak
        naive_per = naive_s / len(naive_jobs)
        print(f"naive loop (papermill CLI + nbconvert CLI), {notebook.name}: "
              f"{naive_per:.2f} s a report over {len(naive_jobs)}", flush=True)

        with PeakMemory() as mem:
            start = time.perf_counter()
            result = build_reports(raw, processed, work / "reports", by="unit",
                                   workers=args.workers, assets="inline", quiet=True)
            pipeline_s = time.perf_counter() - start
        pipeline_peak = mem.peak
        pipeline_cpu, kernels_cpu = mem.cpu_s, mem.children_cpu_s
        if result.exit_code:
            print(result.summary(), file=sys.stderr)
            return 1
        n = len(result.reports)
        same = [r for r in result.reports if r.notebook == notebook.name and r.unit]
        # per report of the naive loop's notebook: its reports' share of the batch's wall time
        busy = sum(r.duration_s for r in result.reports)
        same_busy = sum(r.duration_s for r in same)
        per_same = pipeline_s * same_busy / busy / len(same)
        print(f"pipeline ({args.workers} workers): {n} reports in {pipeline_s:.1f} s "
              f"({pipeline_s / n:.2f} s a report; {per_same:.2f} s a {notebook.name} unit "
              f"report), peak {pipeline_peak / 2**20:.0f} MiB", flush=True)
        inline = _sizes(work / "reports", result.reports)
        largest = max((r for r in result.reports if r.output),
                      key=lambda r: (work / "reports" / r.output).stat().st_size)
        largest_parts = page_parts(work / "reports" / largest.output)

        shared = build_reports(raw, processed, work / "shared", by="unit",
                               fiscal_years=years[-1:], workers=args.workers,
                               assets="shared", quiet=True)
        shared_sizes = _sizes(work / "shared", shared.reports)
        largest_shared = max((r for r in shared.reports if r.output),
                             key=lambda r: (work / "shared" / r.output).stat().st_size)
        largest_shared_parts = page_parts(work / "shared" / largest_shared.output)

        cold = None
        if args.cold:
            warm_year = [r for r in result.reports if r.fiscal_year == years[0]]
            start = time.perf_counter()
            cold_result = build_reports(raw, processed, work / "cold", by="unit",
                                        fiscal_years=years[:1], workers=args.workers,
                                        warm=False, quiet=True)
            cold_s = time.perf_counter() - start
            warm_share = pipeline_s * sum(r.duration_s for r in warm_year) / busy
            cold = {"reports": len(cold_result.reports), "cold_s": round(cold_s, 2),
                    "warm_s_estimated": round(warm_share, 2),
                    "speedup_warm_over_cold": round(cold_s / warm_share, 2)}
            print(f"cold kernels, FY{years[0]}: {cold_s:.1f} s for {len(cold_result.reports)}"
                  f" reports; warm ≈ {warm_share:.1f} s", flush=True)

        speedup = naive_per / per_same
        results = {
            "notebook": str(notebook.relative_to(REPO) if notebook.is_relative_to(REPO)
                            else notebook),
            "workers": args.workers,
            "naive_reports": len(naive_jobs),
            "naive_s_per_report": round(naive_per, 3),
            "pipeline_reports": n,
            "pipeline_s": round(pipeline_s, 2),
            "pipeline_s_per_report": round(pipeline_s / n, 3),
            "pipeline_s_per_report_same_notebook": round(per_same, 3),
            "speedup_per_report": round(speedup, 2),
            "speedup_target": 15.0,
            "report_stage_target_s": 60.0,
            "report_stage_target_s_per_report": round(60.0 / 180, 3),
            "report_stage_per_report_vs_target": round(pipeline_s / n / (60.0 / 180), 2),
            "pipeline_cpu_s": round(pipeline_cpu, 1),
            "pipeline_cpu_s_kernels": round(kernels_cpu, 1),
            "pipeline_cpu_s_per_report": round(pipeline_cpu / n, 3),
            "pipeline_cores_busy": round(pipeline_cpu / pipeline_s, 2),
            "report_durations_median_s": round(
                statistics.median(r.duration_s for r in result.reports), 3),
            "html_bytes_max_inline": max(inline),
            "html_bytes_median_inline": int(statistics.median(inline)),
            "html_bytes_total_inline": sum(inline),
            "html_bytes_max_inline_target": 1_700_000,
            "html_bytes_max_inline_vs_target": round(max(inline) / 1_700_000, 3),
            "html_largest_inline": largest.output,
            "html_largest_inline_parts": largest_parts,
            "html_bytes_max_shared": max(shared_sizes),
            "html_bytes_max_shared_target": 300_000,
            "html_bytes_max_shared_vs_target": round(max(shared_sizes) / 300_000, 3),
            "html_bytes_median_shared": int(statistics.median(shared_sizes)),
            "html_largest_shared": largest_shared.output,
            "html_largest_shared_parts": largest_shared_parts,
            "partial_bundle_bytes": bundle_path("partial").stat().st_size,
            "full_bundle_bytes": full_bundle_path().stat().st_size,
            "peak_rss_mib_naive": round(naive_peak / 2**20, 1),
            "peak_rss_mib_pipeline": round(pipeline_peak / 2**20, 1),
            "peak_rss_target_mib": 1536,
            "cold": cold,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "packages": {name: _version(name) for name in
                         ("papermill", "nbconvert", "plotly", "pandas", "jupyter_client")},
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        print(f"speed-up per report {speedup:.1f}× (target ≥ 15×); report stage "
              f"{pipeline_s:.1f} s for {n}, {pipeline_s / n:.3f} s a report (target ≤ 0.333 s;"
              f" CPU {pipeline_cpu / n:.2f} s a report, {pipeline_cpu / pipeline_s:.2f} cores "
              f"busy); largest report {max(inline) / 1e6:.2f} MB "
              f"(≤ 1.7 MB), shared {max(shared_sizes) / 1e3:.0f} KB (≤ 300 KB); peak "
              f"{pipeline_peak / 2**20:.0f} MiB (≤ 1536 MiB); load {load_before[0]:.1f} → "
              f"{os.getloadavg()[0]:.1f}")
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
