"""Benchmark: ingest of a 100,000-row survey workbook (issue: foundation).

In one run, on one file, each measured in a fresh subprocess (so peak memory is its own):
  * ``openpyxl``  — ``pandas.read_excel(engine="openpyxl")``: what a user would write;
  * ``calamine``  — a bare python-calamine read of the sheet to Python rows: the floor;
  * ``ingest``    — the project's full ingest of the folder (read, find header, recognise,
                    normalise, validate every answer and date, assemble) via ``load_raw``.
Targets: openpyxl / ingest ≥ 10, ingest / calamine ≤ 1.5. Results: bench/results/ingest.json.

Usage: python bench/ingest.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import openpyxl

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
RESULTS = HERE / "results"

# (imports, timed work): imports are done before the clock starts, in every case.
SNIPPETS = {
    "openpyxl": (
        "import pandas as pd",
        "rows = len(pd.read_excel(PATH, engine='openpyxl', header=3))",
    ),
    "calamine": (
        "import python_calamine",
        "book = python_calamine.CalamineWorkbook.from_path(str(PATH))\n"
        "rows = len(book.get_sheet_by_index(0).to_python(skip_empty_area=False)) - 4",
    ),
    "ingest": (
        "from cleannet_eval.ingest.pipeline import load_raw",
        "rows = len(load_raw(PATH.parent, secret=b'bench').survey)",
    ),
}

RUNNER = """
import resource, sys, time
from pathlib import Path
{imports}
PATH = Path(sys.argv[1])
started = time.perf_counter()
{work}
elapsed = time.perf_counter() - started
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(rows, elapsed, peak_mib)
"""


def make_workbook(path: Path, rows: int, seed: int = 0) -> None:
    """A survey workbook shaped like the demo's survey_2550.xlsx, with ``rows`` respondents."""
    from cleannet_eval.demo import write_demo
    from cleannet_eval.instruments import load_instrument

    codes = load_instrument().item_codes
    rng = np.random.default_rng(seed)
    units_dir = path.parent
    write_demo(CACHE / "demo")  # take the demo's units table so every unit is known
    (units_dir / "units.xlsx").write_bytes((CACHE / "demo" / "units.xlsx").read_bytes())
    units = [
        r[1] for r in openpyxl.load_workbook(units_dir / "units.xlsx").active.iter_rows(
            min_row=4, values_only=True) if r[1]
    ]
    answers = rng.integers(1, 6, size=(rows, len(codes))).astype(object)
    answers[rng.random(answers.shape) < 0.03] = None
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("แบบสอบถาม")
    ws.append(["ผลการสำรวจความคิดเห็นต่อโครงการร่วมทำ เพื่อสร้างธรรม นำใจใสสะอาด"])
    ws.append(["ปีงบประมาณ พ.ศ. 2551"])
    ws.append([])
    ws.append(["เลขที่แบบสอบถาม", "หน่วยงาน", "ประเภทบุคลากร", "บทบาท", "วันที่ตอบ", *codes,
               "ข้อเสนอแนะ"])
    staff = ["ข้าราชการ", "ลูกจ้าง", "พนักงานราชการ"]
    roles = ["แกนนำ", "สมาชิกเครือข่าย", "ผู้เข้าร่วม"]
    for i in range(rows):
        day = 1 + i % 28
        month = 1 + (i // 28) % 9
        ws.append([f"51-{i + 1:06d}", units[i % len(units)], staff[i % 3], roles[i % 3],
                   f"{day}/{month}/2551", *answers[i], "" if i % 10 else "ควรทำต่อเนื่อง"])
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.replace(path)


def measure(name: str, path: Path) -> dict[str, float]:
    imports, work = SNIPPETS[name]
    code = RUNNER.format(imports=imports, work=work)
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         check=True).stdout.split()
    return {"rows": int(out[0]), "seconds": float(out[1]), "peak_mib": float(out[2])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = CACHE / f"survey_{args.rows}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "survey.xlsx"
    if not path.exists():
        started = time.perf_counter()
        make_workbook(path, args.rows)
        print(f"wrote {path} in {time.perf_counter() - started:.1f} s")

    results: dict[str, dict[str, float]] = {}
    for name in SNIPPETS:
        runs = [measure(name, path) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        results[name] = {**best, "all_seconds": [round(r["seconds"], 3) for r in runs]}
        print(f"{name:9s} {best['seconds']:7.2f} s  peak {best['peak_mib']:7.0f} MiB  "
              f"rows {best['rows']}")
    assert results["ingest"]["rows"] == args.rows, "ingest must read every row"
    speedup = results["openpyxl"]["seconds"] / results["ingest"]["seconds"]
    overhead = results["ingest"]["seconds"] / results["calamine"]["seconds"]
    summary = {
        "benchmark": "ingest",
        "rows": args.rows,
        "file_mib": round(path.stat().st_size / 2**20, 2),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "results": results,
        "openpyxl_over_ingest": round(speedup, 2),
        "ingest_over_calamine": round(overhead, 3),
        "targets": {"openpyxl_over_ingest": ">= 10", "ingest_over_calamine": "<= 1.5"},
        "met": {"speedup": speedup >= 10, "overhead": overhead <= 1.5},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"openpyxl / ingest = {speedup:.1f}x (target >= 10); "
          f"ingest / calamine = {overhead:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
