"""The ``cleannet-eval`` command: the only place that parses arguments and configures logging.

A user's mistake (bad spreadsheet, unknown option value) prints one line per problem to
stderr and exits with status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, config
from .errors import CleannetError, InputError

logger = logging.getLogger("cleannet_eval")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .dataset import TABLES
    from .ingest.pipeline import ingest

    dataset = ingest(args.raw, args.out, args.instrument)
    counts = ", ".join(f"{len(dataset.table(t)):,} {t}" for t in TABLES)
    print(f"ingested {len(dataset.inputs)} file(s) from {args.raw}: {counts} → {args.out}")
    for warning in dataset.warnings:
        print(f"warning: {_warning_line(warning)}", file=sys.stderr)
    return EXIT_OK


def _warning_line(warning: dict) -> str:
    parts = [str(warning["file"])]
    if warning.get("sheet"):
        parts[0] += f" sheet '{warning['sheet']}'"
    where = []
    if warning.get("row"):
        where.append(f"row {warning['row']}")
    if warning.get("column"):
        header = f" ({warning['header']})" if warning.get("header") else ""
        where.append(f"column {warning['column']}{header}")
    if where:
        parts.append(", ".join(where))
    return ": ".join(parts) + ": " + str(warning["message"])


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import write_demo

    out = Path(args.out)
    paths = write_demo(out, seed=args.seed, scale=args.scale)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} demo file(s), {total / 1024:,.0f} KiB, to {out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cleannet-eval",
        description="Evaluate the Clean Government Network (เครือข่ายราชการใสสะอาด) from office "
        "spreadsheets.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("ingest", help="validate data/raw and rebuild data/processed")
    p.add_argument("--raw", type=Path, default=config.RAW_DATA_DIR,
                   help="folder of office spreadsheets (default: %(default)s)")
    p.add_argument("--out", type=Path, default=config.PROCESSED_DATA_DIR,
                   help="output folder, replaced whole on success (default: %(default)s)")
    p.add_argument("--instrument", default=None,
                   help="survey instrument: a shipped name or a YAML path (default: cleannet5)")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("demo", help="write the synthetic demo spreadsheets")
    p.add_argument("--out", type=Path, default=config.RAW_DATA_DIR,
                   help="folder to write (default: %(default)s)")
    p.add_argument("--seed", type=int, default=2551, help="random seed (default: %(default)s)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="multiply people, attendance and survey rows (default: %(default)s)")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING if args.quiet else (logging.DEBUG if args.verbose else logging.INFO)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.func(args))
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    except CleannetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
