"""Ingest: every spreadsheet in the raw folder → validated, pseudonymised tidy tables.

``load_raw`` reads and checks everything and returns a :class:`~cleannet_eval.dataset.Dataset`
or raises :class:`~cleannet_eval.errors.InputError` listing every problem. ``ingest`` writes
the tables to ``data/processed/`` only when everything passed, replacing the folder whole.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .. import config
from ..dataset import COLUMNS, MANIFEST_NAME, OPTIONAL_TABLES, TABLES, Dataset
from ..errors import ConfigError, InputError, Problem
from ..files import sha256_file
from ..instruments import Instrument, load_instrument
from ..version import __version__
from .extract import SheetTable, extract_table
from .headers import header_key
from .normalize import map_distinct, normalize_table
from .privacy import load_key, person_keys
from .readers import SUPPORTED_SUFFIXES, read_grids
from .roster_checks import check_roster
from .sources import Sources, check_column_targets, load_sources

logger = logging.getLogger(__name__)

_IGNORED_NAMES = {".gitkeep", ".gitignore", config.SOURCES_FILE_NAME, "readme.md", "readme.txt"}


def discover_files(raw_dir: Path) -> tuple[list[Path], list[Path]]:
    """Spreadsheet files under ``raw_dir`` (recursively) and other files that will be ignored.

    Hidden files, Office lock files (``~$…``), ``sources.yml`` and READMEs are left out of both.
    ``.xls`` counts as a spreadsheet so that the reader can say how to convert it.
    """
    spreadsheets, others = [], []
    for path in sorted(raw_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(raw_dir)
        if any(part.startswith((".", "~$")) for part in relative.parts):
            continue
        if path.name.lower() in _IGNORED_NAMES:
            continue
        if path.suffix.lower() in (*SUPPORTED_SUFFIXES, ".xls"):
            spreadsheets.append(path)
        else:
            others.append(path)
    return spreadsheets, others


@dataclass
class _Read:
    tables: dict[str, list[pd.DataFrame]]
    sheets: dict[tuple[str, str | None], SheetTable]
    inputs: list[dict]
    problems: list[Problem]
    recognised: list[dict] = field(default_factory=list)


def _read_all(
    raw_dir: Path, sources: Sources, instrument: Instrument, today: dt.date,
    only: Path | None = None,
) -> _Read:
    files, others = ([only], []) if only is not None else discover_files(raw_dir)
    result = _Read({k: [] for k in TABLES}, {}, [], [])
    for other in others:
        result.problems.append(Problem(
            file=str(other.relative_to(raw_dir)), severity="warning",
            message="not a spreadsheet (" + ", ".join(SUPPORTED_SUFFIXES) + "): ignored",
        ))
    if not files:
        result.problems.append(Problem(
            file=str(raw_dir), message="no spreadsheets found; put the office files (.xlsx, "
            ".ods, .csv) here, or run 'cleannet-eval demo' for an example dataset",
        ))
    for path in files:
        name = str(path.relative_to(raw_dir))
        rule = sources.rule(name)
        record = {"file": name, "sha256": sha256_file(path), "bytes": path.stat().st_size,
                  "sheets": []}
        result.inputs.append(record)
        if rule.kind == "ignore":
            record["ignored"] = True
            continue
        try:
            grids = read_grids(path, display=name)
        except InputError as exc:
            result.problems.extend(exc.problems)
            continue
        if rule.sheet is not None:
            chosen = [g for g in grids if g.sheet == rule.sheet]
            if not chosen:
                valid = ", ".join(repr(g.sheet) for g in grids)
                result.problems.append(Problem(
                    file=name, message=f"sources.yml names sheet {rule.sheet!r}, which this "
                    f"workbook lacks; its sheets: {valid}",
                ))
                continue
            grids = chosen
        found_any = False
        unreadable: list[Problem] = []
        for grid in grids:
            table = extract_table(grid, instrument, rule.kind, rule.header_row, rule.columns,
                                  config.HEADER_SEARCH_ROWS)
            if table is None:
                if rule.sheet is not None or len(grids) == 1:
                    result.problems.append(Problem(
                        file=name, sheet=grid.sheet,
                        message="the sheet is empty; expected a header row and data rows",
                    ))
                continue
            if isinstance(table, list):
                unreadable.extend(table)
                found_any = True
                continue
            found_any = True
            frame, problems = normalize_table(table, instrument, today)
            result.problems.extend(problems)
            if frame is None:
                continue
            result.tables[table.kind].append(frame)
            result.sheets[(name, grid.sheet)] = table
            record["sheets"].append({"sheet": grid.sheet, "kind": table.kind,
                                     "header_row": table.header.row + 1, "rows": len(frame)})
            result.recognised.append({"file": name, "sheet": grid.sheet, "kind": table.kind,
                                      **table.recognised()})
        if record["sheets"] and rule.sheet is None:
            # An instructions or notes sheet beside the data: worth a warning, not a stop.
            unreadable = [
                replace(p, severity="warning", message=p.message + " (sheet skipped; other "
                        "sheets of this workbook were read)")
                if p.message.startswith(("no header row", "cannot tell")) else p
                for p in unreadable
            ]
        result.problems.extend(unreadable)
        if not found_any and len(grids) > 1:
            result.problems.append(Problem(
                file=name, message="every sheet of the workbook is empty",
            ))
    return result


def _locate(read: _Read, row: pd.Series, column: str, message: str, value: object = None,
            severity: str = "error") -> Problem:
    sheet = row["source_sheet"] if pd.notna(row["source_sheet"]) else None
    table = read.sheets.get((row["source_file"], sheet))
    if table is None:
        return Problem(file=row["source_file"], sheet=sheet, row=int(row["source_row"]),
                       header=column, value=value, message=message, severity=severity)
    return table.problem(message, int(row["source_row"]), column, value, severity)


def _unit_key(name: object) -> str:
    return header_key(name)


def _check_units(read: _Read, frames: dict[str, pd.DataFrame]) -> None:
    units = frames["units"]
    if units.empty:
        read.problems.append(Problem(
            file="(units table)", severity="warning",
            message="no units table found, so unit names cannot be checked and coverage cannot "
            "be computed; add a sheet with หน่วยงาน and อัตรากำลัง columns",
        ))
        return
    twice = units[units.duplicated(["unit", "fiscal_year"], keep=False)]
    for (unit, year), group in twice.groupby(["unit", "fiscal_year"]):
        places = " and ".join(sorted({f"{f} row {r}" for f, r in
                                      zip(group["source_file"], group["source_row"],
                                          strict=True)}))
        read.problems.append(Problem(
            file=str(group["source_file"].iloc[0]), value=unit,
            message=f"unit listed more than once for fiscal year {year} ({places}); keep one "
            "headcount per unit and year",
        ))
    canonical = {_unit_key(u): u for u in units["unit"].dropna().unique()}
    for _, row in units[units["parent"].notna()].iterrows():
        if _unit_key(row["parent"]) not in canonical:
            read.problems.append(Problem(
                file="(units table)", severity="warning", value=row["parent"],
                message=f"parent unit of {row['unit']!r} is not itself in the units table",
            ))
    valid = sorted(canonical.values())
    hint = ", ".join(valid[:6]) + (" …" if len(valid) > 6 else "")
    for kind in ("roster", "attendance", "survey"):
        frame = frames[kind]
        if frame.empty:
            continue
        mapped = map_distinct(
            frame["unit"], lambda u: canonical.get(_unit_key(u)) if isinstance(u, str) else None
        )
        unknown = frame["unit"].notna() & mapped.isna()
        for shown, (_, row) in enumerate(frame[unknown].iterrows()):
            if shown == 20:
                read.problems.append(Problem(
                    file=str(row["source_file"]),
                    message=f"… and {int(unknown.sum()) - 20} more rows with units missing "
                    "from the units table",
                ))
                break
            read.problems.append(_locate(
                read, row, "unit", f"unknown unit; not in the units table (valid: {hint})",
                value=row["unit"],
            ))
        frame["unit"] = mapped.astype("string").where(frame["unit"].notna(), pd.NA)


def _check_duplicate_respondents(read: _Read, survey: pd.DataFrame) -> None:
    if survey.empty:
        return
    duplicated = survey.duplicated(["fiscal_year", "respondent"], keep=False)
    for _, group in survey[duplicated].groupby(["fiscal_year", "respondent"], dropna=False):
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            read.problems.append(_locate(
                read, row, "respondent",
                f"duplicate respondent: the same questionnaire number already appears in "
                f"{first['source_file']} row {int(first['source_row'])} for fiscal year "
                f"{first['fiscal_year']}; remove the copy or correct the number",
                value=row["respondent"],
            ))


def _pseudonymise(read: _Read, frames: dict[str, pd.DataFrame], secret: bytes) -> None:
    """Replace names and IDs with person keys, linking name-only rows to IDs seen elsewhere."""
    people = [frames[k] for k in ("roster", "attendance") if not frames[k].empty]
    if not people:
        return
    pairs = pd.concat([f[["_name", "_national_id"]] for f in people]).dropna().drop_duplicates()
    ids_per_name = pairs.groupby("_name")["_national_id"].nunique()
    unique_names = ids_per_name[ids_per_name == 1].index
    name_to_id = pairs[pairs["_name"].isin(unique_names)].set_index("_name")["_national_id"]
    for kind in ("roster", "attendance"):
        frame = frames[kind]
        if frame.empty:
            continue
        ids = frame["_national_id"].fillna(frame["_name"].map(name_to_id).astype("string"))
        frame["person_key"] = person_keys(secret, ids, frame["_name"])
        if kind == "roster":
            recruiter_ids = frame["_recruiter_id"].fillna(
                frame["_recruiter_name"].map(name_to_id).astype("string")
            )
            frame["recruited_by_key"] = person_keys(
                secret, recruiter_ids, frame["_recruiter_name"]
            )
    ambiguous = ids_per_name[ids_per_name > 1]
    if len(ambiguous):
        read.problems.append(Problem(
            file="(people)", severity="warning",
            message=f"{len(ambiguous)} name(s) belong to more than one national ID; rows with "
            "only that name could not be linked to an ID and are counted as separate people",
        ))


def _check_network(read: _Read, roster: pd.DataFrame) -> None:
    """Recruitment cycles (errors) and recruiters missing from the roster (warnings).

    Empty joined dates and left-before-joined are already reported per row by the roster's
    normalisation, so they are not repeated here.
    """
    for found in check_roster(roster):
        if found["column"] == "left" or (found["column"] == "joined"
                                          and found["severity"] == "error"):
            continue
        row = pd.Series({"source_file": found["source_file"],
                         "source_sheet": found["source_sheet"],
                         "source_row": found["source_row"]})
        read.problems.append(_locate(read, row, str(found["column"]), str(found["message"]),
                                     severity=str(found["severity"])))


def _finish(frames: dict[str, pd.DataFrame], instrument: Instrument) -> dict[str, pd.DataFrame]:
    finished = {}
    for kind in TABLES:
        columns = list(COLUMNS[kind])
        if kind == "survey":
            at = columns.index("comment") + 1
            columns[at:at] = instrument.item_codes
        frame = frames[kind]
        for column in columns:
            if column not in frame:
                frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
        frame = frame[columns]  # drops every _private column: names and IDs end here
        for column in ("date", "joined", "left"):
            if column in frame:
                frame = frame.astype({column: "datetime64[us]"})
        sort = {"units": ["fiscal_year", "unit"], "roster": ["joined", "source_file", "source_row"],
                "attendance": ["date", "source_file", "source_row"],
                "survey": ["fiscal_year", "source_file", "source_row"],
                "expert_review": ["source_file", "source_row"]}[kind]
        finished[kind] = frame.sort_values(sort, kind="stable").reset_index(drop=True)
    return finished


def load_raw(
    raw_dir: str | Path | None = None,
    instrument: str | Path | Instrument | None = None,
    today: dt.date | None = None,
    secret: bytes | None = None,
) -> Dataset:
    """Read, validate and pseudonymise every spreadsheet in ``raw_dir``.

    Parameters
    ----------
    raw_dir
        The folder of office spreadsheets; defaults to ``config.RAW_DATA_DIR``.
    instrument
        The survey instrument (name, path or object); defaults to ``sources.yml``'s
        ``instrument`` or ``config.DEFAULT_INSTRUMENT``.
    today
        Dates after this day are out of range (default: today).
    secret
        The pseudonymisation secret (default: :func:`~.privacy.load_key`).

    Returns
    -------
    Dataset
        Tidy tables with person keys instead of names and IDs; warnings attached.

    Raises
    ------
    InputError
        Listing every error found, each naming file, sheet, row, column and the fix.
    """
    raw = Path(raw_dir) if raw_dir is not None else config.RAW_DATA_DIR
    if not raw.is_dir():
        raise ConfigError(f"{raw}: raw data folder not found")
    sources = load_sources(raw / config.SOURCES_FILE_NAME)
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument or sources.instrument)
    check_column_targets(sources, instrument.item_codes)
    return _assemble(
        _read_all(raw, sources, instrument, today or dt.date.today()), instrument, secret
    )


def _assemble(
    read: _Read, instrument: Instrument, secret: bytes | None, check_units: bool = True,
) -> Dataset:
    frames = {
        kind: (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame())
        for kind, parts in read.tables.items()
    }
    if check_units:
        _check_units(read, frames)
    _check_duplicate_respondents(read, frames["survey"])
    if not (frames["roster"].empty and frames["attendance"].empty):
        _pseudonymise(read, frames, secret if secret is not None else load_key())
    if not frames["roster"].empty and "person_key" in frames["roster"]:
        _check_network(read, frames["roster"])
    errors = [p for p in read.problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    tables = _finish(frames, instrument)
    return Dataset(
        **tables, instrument=instrument, inputs=read.inputs,
        warnings=[p.as_dict() for p in read.problems if p.severity != "error"],
        recognised=read.recognised,
    )


def load_file(
    path: str | Path,
    instrument: str | Path | Instrument | None = None,
    today: dt.date | None = None,
    secret: bytes | None = None,
) -> Dataset:
    """Read and validate one spreadsheet on its own (for example a survey to score).

    Units are not checked against a units table (there is none); everything else is as in
    :func:`load_raw`. The returned :class:`Dataset` has the file's table filled in and the
    others empty.
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"{file}: file not found")
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument)
    read = _read_all(file.parent, Sources(), instrument, today or dt.date.today(), only=file)
    read.problems = [p for p in read.problems if p.file != "(units table)"]
    return _assemble(read, instrument, secret, check_units=False)


def write_processed(dataset: Dataset, out_dir: str | Path, raw_dir: Path | None = None) -> Path:
    """Write a dataset's tables and manifest, replacing ``out_dir`` only once all is written.

    The tables go to a temporary sibling folder first; the old folder is then swapped out by
    two renames, so a reader never sees a half-written folder and a crash leaves the old one.
    """
    out = Path(out_dir).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        # an optional table (the expert review) is written only when there is one
        written = [name for name in TABLES
                   if name not in OPTIONAL_TABLES or len(dataset.table(name))]
        for name in written:
            dataset.table(name).to_parquet(staging / f"{name}.parquet", index=False)
        manifest = {
            "package_version": __version__,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "raw_dir": config.project_relative(raw_dir) if raw_dir else None,
            "instrument": dataset.instrument.id,
            "instrument_path": dataset.instrument.source,
            "tables": {name: len(dataset.table(name)) for name in written},
            "inputs": dataset.inputs,
            "warnings": dataset.warnings,
            "recognised": dataset.recognised,
        }
        (staging / MANIFEST_NAME).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        if (out / ".gitkeep").exists():
            (staging / ".gitkeep").touch()
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            out.rename(old)
        staging.rename(out)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def ingest(
    raw_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    instrument: str | Path | None = None,
    today: dt.date | None = None,
) -> Dataset:
    """Validate ``raw_dir`` and rebuild ``out_dir`` (``data/processed``) from it.

    Nothing is written unless every file passed; see :func:`load_raw` for the checks.

    Raises
    ------
    InputError
        Every error found; ``out_dir`` is left as it was.
    ConfigError
        ``out_dir`` is inside ``raw_dir`` (raw data is never written).
    """
    raw = (Path(raw_dir) if raw_dir is not None else config.RAW_DATA_DIR).resolve()
    out = (Path(out_dir) if out_dir is not None else config.PROCESSED_DATA_DIR).resolve()
    if out == raw or out.is_relative_to(raw) or raw.is_relative_to(out):
        raise ConfigError(f"{out}: the output folder must be outside the raw data folder {raw} "
                          "(raw data is never written)")
    dataset = load_raw(raw, instrument, today)
    write_processed(dataset, out, raw)
    logger.info("wrote %s", ", ".join(f"{len(dataset.table(t))} {t}" for t in TABLES
                                      if t not in OPTIONAL_TABLES or len(dataset.table(t))))
    return dataset
