"""The ``cleannet-eval`` command: the only place that parses arguments and configures logging.

A user's mistake (bad spreadsheet, unknown option value) prints one line per problem to
stderr and exits with status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import config
from .errors import CleannetError, InputError
from .i18n import text
from .version import __version__

logger = logging.getLogger("cleannet_eval")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .dataset import OPTIONAL_TABLES, TABLES
    from .ingest.pipeline import ingest

    dataset = ingest(args.raw, args.out, args.instrument)
    counts = ", ".join(f"{len(dataset.table(t)):,} {t}" for t in TABLES
                       if t not in OPTIONAL_TABLES or len(dataset.table(t)))
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


def _load_dataset(args: argparse.Namespace):
    """Processed tables when ``--processed`` is given, else the raw folder read in memory."""
    if getattr(args, "processed", None) is not None:
        from .dataset import read_processed

        return read_processed(args.processed)
    from .ingest.pipeline import load_raw

    return load_raw(args.raw)


def _cmd_score(args: argparse.Namespace) -> int:
    from .analysis import factor_table
    from .dataset import dataset_listing, read_processed
    from .disclosure import disclosure
    from .ingest.pipeline import load_file
    from .render.score_table import render_factor_table

    path = Path(args.survey)
    is_folder = path.is_dir()
    dataset = read_processed(path) if is_folder else load_file(path, instrument=args.instrument)
    if dataset.survey.empty:
        raise CleannetError(f"{path}: no survey answers found")
    # a file of a processed dataset is suppressed as part of it, else as a dataset of its own
    whole = None if is_folder else dataset_listing(path, args.processed)
    pattern = disclosure((whole or dataset).survey, args.min_group_size)
    table = factor_table(dataset.survey, args.instrument or dataset.instrument, by=args.by,
                         bands=args.bands, min_group_size=args.min_group_size,
                         disclosure=pattern)
    rendered = render_factor_table(table, args.format, lang=args.lang,
                                   min_group_size=args.min_group_size)
    sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    return EXIT_OK


def _cmd_summary(args: argparse.Namespace) -> int:
    import json

    from .analysis.summary import headline_summary

    dataset = _load_dataset(args)
    summary = headline_summary(dataset, fiscal_year=args.fiscal_year, unit=args.unit or None,
                               bands=args.bands, min_group_size=args.min_group_size)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return EXIT_OK
    survey, part, net = summary["survey"], summary["participation"], summary["network"]
    print(f"fiscal year: {summary['fiscal_year'] or 'all'}; unit: "
          f"{summary['unit'] or 'whole department'}")
    if survey.get("suppressed"):
        print(f"survey: hidden ({survey.get('note')})")
    else:
        print(f"survey: {survey['respondents']} respondents, overall mean "
              f"{survey['overall_mean']} ({survey['overall_level_en']})")
        for key, factor in survey["factors"].items():
            shown = "hidden" if factor["suppressed"] else (
                f"{factor['mean']} ({factor['level_en']}), alpha {factor['alpha']}")
            print(f"  {key}: {shown}")
    print("participation: " + ", ".join(f"{k} {v}" for k, v in part.items()))
    print("network: " + ", ".join(f"{k} {v}" for k, v in net.items()))
    return EXIT_OK


def _cmd_instrument_draft(args: argparse.Namespace) -> int:
    from .ingest.draft import draft_instrument

    text = draft_instrument(args.survey, reference=args.reference)
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    out = Path(args.out).resolve()
    if out.is_relative_to(config.RAW_DATA_DIR.resolve()):
        raise CleannetError(f"{args.out}: inside {config.RAW_DATA_DIR}, which is never written; "
                            "choose another place, e.g. --out my_survey.yaml")
    if out.exists() and not args.force:
        raise CleannetError(f"{args.out}: already exists (it may hold your decisions); "
                            "choose another name or add --force")
    out.write_text(text, encoding="utf-8")
    undecided = text.count("\n    factor: null")
    print(f"wrote {args.out}: {text.count('  - code: ')} item(s), {undecided} without a factor"
          + (" (decide them, then: cleannet-eval ingest --instrument "
             f"{args.out})" if undecided else
             f"; check it, then: cleannet-eval ingest --instrument {args.out}"))
    return EXIT_OK


def _cmd_quality(args: argparse.Namespace) -> int:
    import json

    from .analysis.instrument_quality import instrument_quality

    dataset = _load_dataset(args)
    quality = instrument_quality(dataset, fiscal_year=args.fiscal_year,
                                 min_group_size=args.min_group_size).to_dict()
    if args.json:
        print(json.dumps(quality, ensure_ascii=False, indent=2))
        return EXIT_OK
    shown = quality["respondents"]
    print(f"fiscal year: {quality['fiscal_year'] or 'all'}; respondents: "
          + (str(shown) if shown is not None else f"hidden (n < {args.min_group_size})"))
    for row in quality["reliability"] or []:
        print(f"  {row['factor']}: alpha {row['alpha']} [{row['ci_low']}, {row['ci_high']}], "
              f"omega {row['omega']} ({row['quality']})")
    fit = (quality["cfa"] or {}).get("fit") or {}
    if fit.get("converged"):
        print(f"CFA: chi2 {fit['chi2']} (df {fit['df']}), CFI {fit['cfi']}, TLI {fit['tli']}, "
              f"RMSEA {fit['rmsea']} [{fit['rmsea_low']}, {fit['rmsea_high']}], "
              f"SRMR {fit['srmr']}")
    if quality["ioc"] is not None:
        kept = sum(bool(r["keep"]) for r in quality["ioc"])
        print(f"IOC: {kept} of {len(quality['ioc'])} items kept (IOC >= 0.50)")
    for note in quality["notes"]:
        print(f"note: {note}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from .reports import build_reports

    result = build_reports(
        raw_dir=args.raw, processed_dir=args.processed, out_dir=args.out,
        fiscal_years=args.fiscal_year, by=args.by, notebooks_dir=args.notebooks,
        lang=args.lang, workers=args.workers, scheduler=args.scheduler, assets=args.assets,
        changed_only=args.changed_only, quiet=args.quiet, timeout=args.timeout,
        zip_per_year=args.zip,
        formats=args.format,
    )
    print(result.summary())
    return int(result.exit_code)


def _cmd_dossier(args: argparse.Namespace) -> int:
    from .dossier import build_dossier

    result = build_dossier(_load_dataset(args), args.fiscal_year, args.unit or None,
                           lang=args.lang, out=args.out, text=args.text, pdf=not args.no_pdf,
                           bands=args.bands, min_group_size=args.min_group_size)
    print(f"wrote {result.docx}" + (f" and {result.pdf}" if result.pdf else ""))
    if not result.survey_shown:
        print("note: the survey figures of this scope are hidden (too few respondents)",
              file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cleannet-eval",
        description=f"Evaluate the {text('name.programme', 'en')} "
        f"({text('name.programme', 'th')}) from office spreadsheets.",
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

    p = sub.add_parser("score", help="print the success-factor table of a survey")
    p.add_argument("survey", help="a survey spreadsheet (.xlsx, .ods, .csv) or a processed "
                   "data folder")
    p.add_argument("--instrument", default=None,
                   help="instrument name or YAML path (default: cleannet5)")
    p.add_argument("--by", default=None,
                   help="break down by a column: unit, staff_type, role or fiscal_year")
    p.add_argument("--bands", choices=("half", "equal"), default=config.DEFAULT_BANDS,
                   help="interpretation bands (default: %(default)s)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--lang", choices=("th", "en"), default="th")
    p.add_argument("--min-group-size", type=int, default=config.MIN_GROUP_SIZE,
                   help="hide groups smaller than this (default: %(default)s)")
    p.add_argument("--processed", type=Path, default=None,
                   help="processed folder whose dataset a single file belongs to (default: "
                   "processed/ beside the file's folder)")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("summary", help="print the headline figures (JSON with --json)")
    p.add_argument("--raw", type=Path, default=config.RAW_DATA_DIR,
                   help="folder of office spreadsheets, read in memory (default: %(default)s)")
    p.add_argument("--processed", type=Path, default=None,
                   help="read processed tables from this folder instead of --raw")
    p.add_argument("--fiscal-year", type=int, default=None, help="Buddhist-Era fiscal year")
    p.add_argument("--unit", default=None, help="one unit (default: the whole department)")
    p.add_argument("--bands", choices=("half", "equal"), default=config.DEFAULT_BANDS)
    p.add_argument("--min-group-size", type=int, default=config.MIN_GROUP_SIZE)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("instrument", help="instrument tools: draft one from a survey")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    d = actions.add_parser("draft", help="write an instrument YAML from a survey's own "
                           "question columns")
    d.add_argument("survey", help="a survey spreadsheet (.xlsx, .ods, .csv)")
    d.add_argument("--out", type=Path, default=None,
                   help="YAML file to write (default: print to stdout)")
    d.add_argument("--reference", default=None,
                   help="instrument whose items suggest the factors (default: cleannet5)")
    d.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    d.set_defaults(func=_cmd_instrument_draft)
    p = sub.add_parser("dossier", help=f"write the dossier ({text('name.dossier', 'th')}) as "
                       "DOCX and PDF")
    p.add_argument("--raw", type=Path, default=config.RAW_DATA_DIR,
                   help="folder of office spreadsheets, read in memory (default: %(default)s)")
    p.add_argument("--processed", type=Path, default=None,
                   help="read processed tables from this folder instead of --raw")
    p.add_argument("--fiscal-year", type=int, required=True, help="Buddhist-Era fiscal year")
    p.add_argument("--unit", default=None, help="one unit (default: the whole department)")
    p.add_argument("--lang", choices=("th", "en"), default="th")
    p.add_argument("--out", type=Path, default=None,
                   help="the .docx to write; the PDF goes beside it "
                   "(default: reports/FY/UNIT/dossier.docx)")
    p.add_argument("--text", type=Path, default=None,
                   help="your own copy of the dossier's words (default: the package's "
                   "data/dossier/dossier.yaml)")
    p.add_argument("--no-pdf", action="store_true", help="write the DOCX only")
    p.add_argument("--bands", choices=("half", "equal"), default=config.DEFAULT_BANDS)
    p.add_argument("--min-group-size", type=int, default=config.MIN_GROUP_SIZE)
    p.set_defaults(func=_cmd_dossier)
    p = sub.add_parser("quality", help="instrument quality: IOC, reliability, omega, "
                       "discrimination, CFA, KMO, sample adequacy (JSON with --json)")
    p.add_argument("--raw", type=Path, default=config.RAW_DATA_DIR,
                   help="folder of office spreadsheets, read in memory (default: %(default)s)")
    p.add_argument("--processed", type=Path, default=None,
                   help="read processed tables from this folder instead of --raw")
    p.add_argument("--fiscal-year", type=int, default=None, help="Buddhist-Era fiscal year")
    p.add_argument("--min-group-size", type=int, default=config.MIN_GROUP_SIZE)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_quality)

    p = sub.add_parser("report", help="run the notebooks and build the HTML reports")
    p.add_argument("--raw", type=Path, default=config.RAW_DATA_DIR,
                   help="office spreadsheets (default: %(default)s)")
    p.add_argument("--processed", type=Path, default=None,
                   help="processed tables, rebuilt when older than --raw (default: "
                   "processed/ beside the raw folder)")
    p.add_argument("--out", type=Path, default=config.REPORTS_DIR,
                   help="where the reports go (default: %(default)s)")
    p.add_argument("--fiscal-year", type=int, nargs="+", default=None, metavar="FY",
                   help="fiscal years (default: every year with data)")
    p.add_argument("--by", choices=("unit",), default=None,
                   help="also one report per unit with enough data")
    p.add_argument("--notebooks", type=Path, default=config.NOTEBOOKS_DIR,
                   help="folder of parameterized notebooks (default: %(default)s)")
    p.add_argument("--lang", choices=("th", "en"), default="th")
    p.add_argument("--workers", type=int, default=2, help="reports at once (default: 2)")
    p.add_argument("--scheduler", default=None,
                   help="address of a Dask distributed scheduler (tcp://host:8786)")
    p.add_argument("--assets", choices=("inline", "shared"), default="inline",
                   help="embed plotly.js in each report, or write one shared copy")
    p.add_argument("--changed-only", action="store_true",
                   help="skip reports whose inputs and parameters have not changed")
    p.add_argument("--timeout", type=int, default=600,
                   help="seconds allowed per report (default: %(default)s)")
    p.add_argument("--zip", action="store_true",
                   help="also one zip per fiscal year (reports-FY.zip) for mailing")
    p.add_argument("--format", default="html", metavar="html,pdf,docx",
                   help="formats to write, comma-separated: html, pdf (A4, Debian's "
                   "chromium), docx (Word) (default: %(default)s)")
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING if args.quiet else (logging.DEBUG if args.verbose else logging.INFO)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("papermill").setLevel(logging.WARNING)
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
    except BrokenPipeError:  # `cleannet-eval summary --json | head`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
