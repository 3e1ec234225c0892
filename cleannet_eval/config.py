"""Every path and default of cleannet-eval, in one place.

Nothing here reads or writes a file or configures logging: importing this module is free of
side effects. Functions elsewhere take paths as arguments whose defaults come from here.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the source checkout (the folder holding ``pyproject.toml``).
PROJ_ROOT: Path = Path(__file__).resolve().parents[1]

#: The original, immutable office spreadsheets. Code reads here and never writes.
RAW_DATA_DIR: Path = PROJ_ROOT / "data" / "raw"
#: Tidy tables rebuilt by ``cleannet-eval ingest``.
PROCESSED_DATA_DIR: Path = PROJ_ROOT / "data" / "processed"
#: HTML reports rebuilt by ``cleannet-eval report``.
REPORTS_DIR: Path = PROJ_ROOT / "reports"
#: The parameterized notebooks.
NOTEBOOKS_DIR: Path = PROJ_ROOT / "notebooks"

#: Data shipped inside the package (instruments, templates, fonts).
PACKAGE_DATA_DIR: Path = Path(__file__).resolve().parent / "data"
INSTRUMENTS_DIR: Path = PACKAGE_DATA_DIR / "instruments"
#: The instrument used when none is named.
DEFAULT_INSTRUMENT: str = "cleannet5"

#: Optional per-file overrides inside the raw folder.
SOURCES_FILE_NAME: str = "sources.yml"

#: Environment variables that locate the pseudonymisation key (see ``ingest.privacy``).
KEY_ENV_VAR: str = "CLEANNET_EVAL_KEY"
KEY_FILE_ENV_VAR: str = "CLEANNET_EVAL_KEY_FILE"


def default_key_file() -> Path:
    """Where the pseudonymisation key lives when no environment variable names one.

    The key is kept outside the repository, in the user's configuration folder
    (``$XDG_CONFIG_HOME/cleannet-eval/pseudonym.key``, by default under ``~/.config``).
    """
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cleannet-eval" / "pseudonym.key"


def project_relative(path: str | Path) -> str:
    """A folder as reports name it: relative to the project root (``data/raw``,
    ``../other/raw``), never an absolute path (which would tell where a user keeps files).

    Examples
    --------
    >>> project_relative(PROJ_ROOT / "data" / "raw")
    'data/raw'
    """
    import os

    return Path(os.path.relpath(Path(path).resolve(), PROJ_ROOT)).as_posix()


def from_project(path: str | Path) -> Path:
    """A folder as notebooks and reports name it, made absolute: a relative path is taken
    from the project root (the inverse of :func:`project_relative`), wherever the caller runs.

    Examples
    --------
    >>> from_project("data/raw") == RAW_DATA_DIR, from_project("/srv/raw")
    (True, PosixPath('/srv/raw'))
    """
    folder = Path(path).expanduser()
    return folder if folder.is_absolute() else PROJ_ROOT / folder


#: Minimum group size below which survey results are suppressed.
MIN_GROUP_SIZE: int = 5
#: Minimum group size below which free-text comments are hidden.
MIN_COMMENT_GROUP_SIZE: int = 10
#: Interpretation bands for 5-point means: ``"half"`` (0.50-wide) or ``"equal"`` (0.80-wide).
DEFAULT_BANDS: str = "half"
#: Share of a factor's items a respondent must answer for a factor score.
MIN_ANSWERED_SHARE: float = 0.6

#: How many rows at the top of a sheet are searched for the header row.
HEADER_SEARCH_ROWS: int = 30
#: A survey sheet must have at least this share of the instrument's items recognised.
MIN_ITEMS_RECOGNISED: float = 0.6
#: Dates outside this range (CE) are rejected as out of range.
EARLIEST_DATE: str = "1990-01-01"
