#!/usr/bin/env python3
"""Compare what a reader sees: full-page screenshots of two report folders, pixel for pixel.

A change meant to leave the pages' look alone (smaller CSS, figures' JSON written differently)
is checked by opening the same reports of both folders in Debian's Chromium (headless, every
non-``file://`` request blocked, so a page that needs the network shows it), waiting for the
fonts and for every plotly chart to be drawn, and comparing the PNG screenshots byte for byte
(Chromium encodes equal pixels to equal bytes)::

    .venv/bin/python scripts/compare-screenshots.py BEFORE_DIR AFTER_DIR [--all] [--out DIR]

What differs between two batches by nature is made the same before the screenshot: the run
time, the SHA-256 digests and the data folders' paths in the header and footer. Without
``--all`` the sample is, for every notebook, each fiscal year's department report and the
largest unit report. Pages that differ are saved as ``NAME.before.png``/``NAME.after.png`` in
``--out``. Exit status 1 when any page differs or fails to draw, 0 when all are the same.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}

#: Volatile text replaced in the page before the screenshot (see the module's description).
NORMALISE = """() => {
  for (const el of document.querySelectorAll('time')) el.textContent = 'TIME';
  for (const el of document.querySelectorAll('.cleannet-sha256')) el.textContent = 'SHA256';
  for (const row of document.querySelectorAll('tr')) {
    const key = row.querySelector('th');
    if (key && ['raw_dir', 'processed_dir'].includes(key.textContent.trim())) {
      const cell = row.querySelector('td');
      if (cell) cell.textContent = 'PATH';
    }
  }
}"""
#: Every chart drawn (plotly put its SVG in each chart's div).
DRAWN = """() => [...document.querySelectorAll('.plotly-graph-div')]
  .every(div => div.querySelector('.main-svg'))"""


def sample(before: Path, after: Path, everything: bool) -> list[str]:
    """Relative paths of the report pages to compare (present in both folders)."""
    names = sorted(p.relative_to(before).as_posix() for p in before.rglob("*.html")
                   if p.name != "index.html" and "_failed" not in p.parts
                   and (after / p.relative_to(before)).is_file())
    if everything:
        return names
    chosen: list[str] = []
    largest: dict[str, tuple[int, str]] = {}
    for name in names:
        parts = name.split("/")
        if len(parts) != 3:
            chosen.append(name)
            continue
        if parts[1] == "_department":
            chosen.append(name)
        else:
            size = (before / name).stat().st_size
            if size > largest.get(parts[2], (-1, ""))[0]:
                largest[parts[2]] = (size, name)
    return sorted(set(chosen) | {name for _, name in largest.values()})


def screenshot(browser, page_path: Path) -> tuple[bytes, list[str]]:
    """The page's full-page PNG and what went wrong (network requests, errors, blank charts)."""
    problems: list[str] = []
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    try:
        def only_files(route) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                problems.append(f"network request: {route.request.url}")
                route.abort("blockedbyclient")

        context.route("**/*", only_files)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.goto(page_path.resolve().as_uri(), wait_until="load", timeout=120_000)
        try:
            page.wait_for_function(DRAWN, timeout=60_000)
        except Exception:  # noqa: BLE001 - reported as a problem of the page
            problems.append("a chart was not drawn")
        page.evaluate(NORMALISE)
        page.evaluate("""() => document.fonts.ready.then(() => new Promise(
            r => requestAnimationFrame(() => requestAnimationFrame(r))))""")
        page.mouse.move(0, 0)
        return page.screenshot(full_page=True), problems
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--all", action="store_true", help="every report, not a sample")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cleannet-screenshots"))
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    names = sample(args.before, args.after, args.all)
    if not names:
        print("no report page in both folders", file=sys.stderr)
        return 1
    differ: dict[str, list[str]] = defaultdict(list)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=FLAGS)
        try:
            for name in names:
                old, old_problems = screenshot(browser, args.before / name)
                new, new_problems = screenshot(browser, args.after / name)
                differ[name] += [f"before: {p}" for p in old_problems]
                differ[name] += [f"after: {p}" for p in new_problems]
                if old != new:
                    differ[name].append("the screenshots differ")
                    stem = name.replace("/", "__").removesuffix(".html")
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"{stem}.before.png").write_bytes(old)
                    (args.out / f"{stem}.after.png").write_bytes(new)
                status = "same" if not differ[name] else "; ".join(differ[name])
                print(f"{name}: {status}", flush=True)
        finally:
            browser.close()
    bad = [name for name, problems in differ.items() if problems]
    print(f"{len(names)} pages compared, {len(bad)} different or broken")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
