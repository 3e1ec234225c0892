"""The tidy tables that ingest produces and analysis reads, and their on-disk form.

``data/processed/`` holds one Parquet file per table plus ``manifest.json`` (what was read, from
which file, with SHA-256, and every warning). Analysis code only ever sees a :class:`Dataset`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .calendar import years_with_data
from .errors import CleannetError
from .instruments import Instrument, load_instrument

#: Table names, in the order they are written and reported.
TABLES: tuple[str, ...] = ("units", "roster", "attendance", "survey", "expert_review")
#: Tables that an older processed folder may lack; read back empty when absent.
OPTIONAL_TABLES: tuple[str, ...] = ("expert_review",)

#: Columns of each processed table (survey also has one column per instrument item code).
COLUMNS: dict[str, tuple[str, ...]] = {
    "units": ("unit", "parent", "fiscal_year", "headcount"),
    "roster": (
        "person_key", "unit", "staff_type", "role", "joined", "recruited_by_key", "left",
        "left_reason", "source_file", "source_sheet", "source_row",
    ),
    "attendance": (
        "person_key", "unit", "staff_type", "role", "activity", "date", "fiscal_year",
        "source_file", "source_sheet", "source_row",
    ),
    "survey": (
        "respondent", "unit", "staff_type", "role", "date", "fiscal_year", "comment",
        "source_file", "source_sheet", "source_row",
    ),
    "expert_review": ("item", "expert", "rating", "source_file", "source_sheet", "source_row"),
}

MANIFEST_NAME = "manifest.json"


@dataclass
class Dataset:
    """Every tidy table of one evaluation, with where it came from.

    Attributes
    ----------
    units
        ``unit, parent, fiscal_year, headcount`` — one row per unit and fiscal year (BE).
    roster
        Network leaders and members: ``person_key, unit, staff_type, role, joined,
        recruited_by_key, left, left_reason`` plus source columns. A person who left and came
        back has two rows.
    attendance
        One row per person per activity: ``person_key, unit, staff_type, role, activity, date,
        fiscal_year`` plus source columns. ``unit`` is missing for the citizen sector.
    survey
        One row per respondent: ``respondent, unit, staff_type, role, date, fiscal_year,
        comment``, one ``Int64`` column per item code of ``instrument``, plus source columns.
    instrument
        The survey instrument the item columns follow.
    expert_review
        Item–objective congruence ratings: ``item, expert, rating`` (+1, 0, −1) plus source
        columns; one row per item and expert, empty when no expert review was supplied.
    inputs
        One record per file read: path, sha256, kind, sheet, rows.
    warnings
        Problems that did not stop the ingest, as dictionaries (see ``Problem.as_dict``).
    recognised
        What the ingest recognised or assumed, one record per sheet read: how each column was
        read (``columns``), a two-row header, an attendance sheet's activity and date and where
        they came from (see :func:`cleannet_eval.ingest.recognised.recognition_table`).
    """

    units: pd.DataFrame
    roster: pd.DataFrame
    attendance: pd.DataFrame
    survey: pd.DataFrame
    instrument: Instrument
    inputs: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    recognised: list[dict] = field(default_factory=list)
    expert_review: pd.DataFrame = field(default_factory=lambda: empty_table("expert_review"))

    def table(self, name: str) -> pd.DataFrame:
        """One table by name (see :data:`TABLES`)."""
        if name not in TABLES:
            raise CleannetError(f"Unknown table {name!r}. Valid: {', '.join(TABLES)}")
        return getattr(self, name)

    @property
    def fiscal_years(self) -> list[int]:
        """Every fiscal year (BE) with attendance, headcount, roster or survey data, ascending
        (:func:`cleannet_eval.calendar.years_with_data` of every table)."""
        return years_with_data(self.attendance, self.units, self.survey, roster=self.roster)

    @property
    def unit_names(self) -> list[str]:
        """Every unit in the units table, sorted."""
        return sorted(self.units["unit"].dropna().unique().tolist())


def empty_table(name: str) -> pd.DataFrame:
    """A table with no rows and the columns of ``name`` (text columns as ``string``)."""
    return pd.DataFrame({c: pd.Series(dtype="string") for c in COLUMNS[name]})


def read_processed(processed_dir: str | Path | None = None) -> Dataset:
    """Read the tables that ``cleannet-eval ingest`` wrote.

    Parameters
    ----------
    processed_dir
        The folder; defaults to ``config.PROCESSED_DATA_DIR``.

    Raises
    ------
    CleannetError
        The folder has no manifest: ingest has not been run.
    """
    folder = Path(processed_dir) if processed_dir is not None else config.PROCESSED_DATA_DIR
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise CleannetError(
            f"{folder}: no processed data (no {MANIFEST_NAME}). Run 'cleannet-eval ingest' first."
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    tables = {
        name: pd.read_parquet(folder / f"{name}.parquet")
        if name not in OPTIONAL_TABLES or (folder / f"{name}.parquet").is_file()
        else empty_table(name)
        for name in TABLES
    }
    return Dataset(
        **tables,
        instrument=load_instrument(manifest.get("instrument_path") or manifest.get("instrument")),
        inputs=manifest.get("inputs", []),
        warnings=manifest.get("warnings", []),
        recognised=manifest.get("recognised", []),
    )


def processed_beside(raw_dir: str | Path) -> Path:
    """The processed folder that belongs to a raw folder: ``processed/`` beside it.

    Examples
    --------
    >>> processed_beside("/x/raw").as_posix(), processed_beside("data/raw").as_posix()
    ('/x/processed', 'data/processed')
    """
    return Path(raw_dir).parent / "processed"


def dataset_listing(file: str | Path, processed_dir: str | Path | None = None
                    ) -> Dataset | None:
    """The processed dataset whose manifest lists ``file`` with the same SHA-256, else ``None``.

    Parameters
    ----------
    file
        A raw spreadsheet.
    processed_dir
        Where to look; default the ``processed/`` folder beside the file's folder
        (:func:`processed_beside`).
    """
    import hashlib

    path = Path(file)
    folder = Path(processed_dir) if processed_dir is not None else processed_beside(path.parent)
    manifest_path = folder / MANIFEST_NAME
    if not path.is_file() or not manifest_path.is_file():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    listed = any(entry.get("sha256") == digest and Path(str(entry.get("file", ""))).name
                 == path.name for entry in manifest.get("inputs", []))
    return read_processed(folder) if listed else None
