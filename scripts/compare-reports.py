#!/usr/bin/env python3
"""Compare two report folders file by file, timestamps and machine paths aside.

A refactor must keep behaviour: build the demo batch before and after the change, then

    .venv/bin/python scripts/compare-reports.py BEFORE_DIR AFTER_DIR

lists every report (HTML, index, manifest) that is missing, new or different, with the first
differing lines of each, and exits 1 when anything differs (0 when all are the same).

What is set aside, and only that: the generation time (``<time>`` elements and ISO timestamps),
run durations (manifest and index), SHA-256 digests (the processed manifest records its own write
time, so its hash and every fingerprint built on it change with each ingest), and the absolute
data folders a report or manifest names (``/home/…/data/raw``; the folders' own names are
still compared). ``--ignore`` takes more
regular expressions to blank out, e.g. a deliberate wording change.

``--figure-data`` compares the plotly charts as data instead of as text: each
``Plotly.newPlot`` call's data and layout are parsed (a template the page shares through
``cleannetLayout(layout, i)`` is put back into the layout) and must be equal; the chart
scripts and the shared-template script are then left out of the text comparison. A change
in how a chart is *written* (escapes, one template per page) passes; a change of any value
in it does not.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

#: Patterns replaced by a placeholder before comparing: volatile by nature, not behaviour.
VOLATILE: tuple[tuple[str, str], ...] = (
    (r'<time\b[^>]*>[^<]*</time>', "<time/>"),
    (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?", "<timestamp>"),
    (r'"(?:seconds|duration|elapsed)[a-z_]*"\s*:\s*[0-9.eE+-]+', '"<duration>": 0'),
    (r'(class="duration">)[^<]*', r"\1<duration>"),
    # SHA-256 of inputs and fingerprints: the processed manifest holds its own write time, and
    # a notebook's hash changes with any edit of its code; the content is compared instead.
    (r"\b[0-9a-f]{64}\b", "<sha256>"),
    # An absolute folder keeps its last part (``/x/y/data/raw`` → ``…/raw``).
    (r"(?<![\w.])/(?:[^\s\"'<>/]+/)+([^\s\"'<>/]+)", r"…/\1"),
)
#: Large inline scripts (plotly.js) are compared by their length and a fingerprint of their
#: ends, so a difference shows as one line instead of megabytes of text. Each script alone:
#: a short script and the page after it up to a later ``</script>`` are compared as text.
SCRIPT = re.compile(r"(<script[^>]*>)(.*?)(</script>)", re.S)
BIG_SCRIPT_CHARS = 20000


def normalise(text: str, extra: list[str]) -> str:
    """The text with volatile parts replaced (see :data:`VOLATILE`)."""
    text = SCRIPT.sub(
        lambda m: m[0] if len(m[2]) < BIG_SCRIPT_CHARS else
        f"{m[1]}[script of {len(m[2])} chars: {m[2][:40]!r}…{m[2][-40:]!r}]{m[3]}",
        text,
    )
    for pattern, repl in VOLATILE:
        text = re.sub(pattern, repl, text)
    for pattern in extra:
        text = re.sub(pattern, "<ignored>", text)
    return text


_NEWPLOT = re.compile(r'Plotly\.newPlot\(\s*"([^"]+)",\s*')
_FIGURE_SCRIPT = re.compile(r"<script>\s*window\.PLOTLYENV[\s\S]*?</script>")
_TEMPLATES_SCRIPT = re.compile(r"<script>window\.cleannetTemplates=[\s\S]*?</script>")


def figures(text: str) -> list[tuple[str, object, object]]:
    """Every chart of a page: its div id, data and layout (shared template put back)."""
    import json

    decoder = json.JSONDecoder()
    table: list = []
    match = re.search(r"window\.cleannetTemplates=", text)
    if match:
        table, _ = decoder.raw_decode(text, match.end())
    out = []
    for match in _NEWPLOT.finditer(text):
        data, position = decoder.raw_decode(text, match.end())
        position = re.compile(r"\s*,\s*").match(text, position).end()
        shared = text.startswith("cleannetLayout(", position)
        if shared:
            position += len("cleannetLayout(")
        layout, position = decoder.raw_decode(text, position)
        if shared:
            layout["template"] = table[int(re.compile(r",(\d+)\)").match(text, position)[1])]
        out.append((match[1], data, layout))
    return out


def report_files(root: Path) -> set[str]:
    """Relative paths of the files a report batch writes (screenshots and zips left out)."""
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and not p.name.startswith(".")
        and "_screenshots" not in p.parts
        and p.suffix in {".html", ".json", ".csv", ".txt", ".js", ".css"}
    }


def compare(before: Path, after: Path, extra: list[str], context: int = 3,
            figure_data: bool = False) -> list[str]:
    """Lines describing every difference between two report folders (empty: the same)."""
    out: list[str] = []
    old, new = report_files(before), report_files(after)
    out += [f"missing in {after}: {name}" for name in sorted(old - new)]
    out += [f"new in {after}: {name}" for name in sorted(new - old)]
    for name in sorted(old & new):
        a = (before / name).read_text(encoding="utf-8", errors="replace")
        b = (after / name).read_text(encoding="utf-8", errors="replace")
        if figure_data and name.endswith(".html"):
            charts_a, charts_b = figures(a), figures(b)
            if charts_a != charts_b:
                same = sum(x == y for x, y in zip(charts_a, charts_b, strict=False))
                out.append(f"different charts: {name} ({len(charts_a)} before, "
                           f"{len(charts_b)} after, {same} equal)")
            a, b = (_TEMPLATES_SCRIPT.sub("", _FIGURE_SCRIPT.sub("<chart/>", t)) for t in (a, b))
        a, b = normalise(a, extra), normalise(b, extra)
        if a == b:
            continue
        diff = difflib.unified_diff(
            a.splitlines(), b.splitlines(), f"before/{name}", f"after/{name}",
            n=context, lineterm="",
        )
        lines = list(diff)
        out.append(f"different: {name} ({len(lines)} diff lines)")
        out += [f"    {line[:200]}" for line in lines[:40]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                        help="blank out text matching REGEX in both before comparing")
    parser.add_argument("--figure-data", action="store_true",
                        help="compare the plotly charts as data, not as text")
    args = parser.parse_args(argv)
    for folder in (args.before, args.after):
        if not folder.is_dir():
            print(f"error: {folder} is not a folder of reports", file=sys.stderr)
            return 2
    differences = compare(args.before, args.after, args.ignore, figure_data=args.figure_data)
    compared = len(report_files(args.before) & report_files(args.after))
    for line in differences:
        print(line)
    changed = sum(1 for line in differences if not line.startswith("    "))
    print(f"{compared} files compared, {changed} missing, new or different")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
