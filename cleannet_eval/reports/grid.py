"""The parameter grid: which reports a batch builds.

One report per notebook, per fiscal year asked and per scope: the whole department always, and
with ``by="unit"`` every unit with enough data in that fiscal year. The pipeline knows a notebook
only as a file with a cell tagged ``parameters``; :func:`notebook_info` reads which parameters it
declares (with papermill's ``inspect_notebook``) and a job passes only those.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..errors import ConfigError

if TYPE_CHECKING:
    import nbformat

    from ..dataset import Dataset

logger = logging.getLogger(__name__)

#: Values of ``by`` that split the department into smaller reports.
BY_CHOICES: tuple[str, ...] = ("unit",)
#: Report languages.
LANGS: tuple[str, ...] = ("th", "en")
#: Folder name of whole-department reports (a unit slug never starts with ``_``).
DEPARTMENT_DIR = "_department"
#: Folder name of reports whose notebook takes no ``fiscal_year``.
ALL_YEARS_DIR = "all-years"


@dataclass(frozen=True)
class NotebookInfo:
    """A parameterized notebook as the pipeline sees it.

    Attributes
    ----------
    path
        Absolute path of the ``.ipynb`` file.
    parameters
        Every parameter its ``parameters`` cell declares, as papermill's ``inspect_notebook``
        gives them (``name``, ``inferred_type_name``, ``default``, ``help``).
    title
        The notebook's ``metadata.title``, else its first level-1 markdown heading, else its
        file name.
    """

    path: Path
    parameters: Mapping[str, Mapping[str, object]]
    title: str

    @property
    def name(self) -> str:
        """File name without ``.ipynb``."""
        return self.path.stem


@dataclass(frozen=True)
class ReportJob:
    """One report to build: a notebook and the parameters it runs with.

    Attributes
    ----------
    notebook
        Absolute path of the notebook.
    fiscal_year
        Fiscal year (BE), or ``None`` when the notebook takes no ``fiscal_year``.
    unit
        The unit, or ``""`` for the whole department.
    parameters
        What papermill injects: only names the notebook declares.
    key
        The report's relative path without suffix, ``FY/UNIT/NOTEBOOK`` (``2551/_department/
        overview``); unique within a batch.
    title
        The notebook's title.
    lang
        Report language, ``"th"`` or ``"en"``.
    """

    notebook: Path
    fiscal_year: int | None
    unit: str
    parameters: Mapping[str, object] = field(default_factory=dict)
    key: str = ""
    title: str = ""
    lang: str = "th"

    @property
    def html_path(self) -> str:
        """Where the report goes, relative to the output folder."""
        return f"{self.key}.html"

    @property
    def failed_path(self) -> str:
        """Where a failed run's executed notebook is kept, relative to the output folder."""
        return f"_failed/{self.key}.ipynb"


def find_notebooks(notebooks: str | Path | Iterable[str | Path] | None = None) -> list[Path]:
    """The notebooks of a folder (``*.ipynb``, sorted, hidden files left out).

    Parameters
    ----------
    notebooks
        A folder, one notebook file, or a list of notebook files; defaults to
        ``config.NOTEBOOKS_DIR``.

    Raises
    ------
    ConfigError
        The folder is missing or holds no notebook.
    """
    if notebooks is None:
        notebooks = config.NOTEBOOKS_DIR
    if isinstance(notebooks, (str, Path)):
        folder = Path(notebooks)
        if folder.is_file():
            return [folder.resolve()]
        if not folder.is_dir():
            raise ConfigError(f"{folder}: no such notebooks folder; pass --notebooks DIR")
        found = sorted(p.resolve() for p in folder.glob("*.ipynb")
                       if not p.name.startswith((".", "~")))
        if not found:
            raise ConfigError(f"{folder}: no notebooks (*.ipynb) in this folder")
        return found
    paths = [Path(p).resolve() for p in notebooks]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ConfigError(f"no such notebook: {', '.join(missing)}")
    return paths


def notebook_info(path: str | Path) -> NotebookInfo | None:
    """Read a notebook's parameters and title; ``None`` if it has no ``parameters`` cell."""
    import nbformat
    import papermill

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        return None
    if nb.metadata.get("kernelspec", {}).get("name"):
        parameters = papermill.inspect_notebook(str(path))
    else:  # papermill cannot pick a translator without a kernelspec: the kernel is Python
        from papermill.translators import PythonTranslator

        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        parameters = {p.name: p._asdict() for p in PythonTranslator.inspect(cell)}
    return NotebookInfo(path=path, parameters=parameters, title=notebook_title(nb, path.stem))


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """``metadata.title``, else the first level-1 markdown heading, else ``fallback``."""
    title = nb.metadata.get("title")
    if title:
        return str(title)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = re.search(r"^#\s+(.+?)\s*#*\s*$", cell.source, flags=re.M)
        if match:
            return match.group(1).strip()
    return fallback


def slug(name: str) -> str:
    """A file-name-safe folder name for a unit, readable in Thai and unique per name.

    Letters (Thai included), digits and combining marks are kept; anything else becomes ``-``.
    When that changed the name, eight hex digits of its SHA-256 are appended so that two names
    never share a folder.

    Examples
    --------
    >>> slug("กองคลัง")
    'กองคลัง'
    >>> slug("<img src=x onerror=alert(1)>")
    'img-src-x-onerror-alert-1-63b586b4'
    """
    text = unicodedata.normalize("NFC", str(name))
    kept = "".join(
        ch if ch.isalnum() or unicodedata.category(ch).startswith("M") else "-" for ch in text
    )
    kept = re.sub(r"-{2,}", "-", kept).strip("-_.")[:80]
    if kept != text or not kept:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        kept = f"{kept}-{digest}" if kept else digest
    return kept


def units_with_data(
    dataset: Dataset, fiscal_year: int | None = None, min_group_size: int | None = None
) -> list[str]:
    """Units with enough data for a report of their own.

    A unit qualifies when, in ``fiscal_year`` (or in any year when ``None``), it has at least
    ``min_group_size`` survey respondents **or** at least ``min_group_size`` attendance rows.
    Below that, survey results would be suppressed for confidentiality and participation
    figures would rest on a handful of people.

    Parameters
    ----------
    dataset
        The processed tables.
    fiscal_year
        Fiscal year (BE), or ``None`` for all years together.
    min_group_size
        Defaults to ``config.MIN_GROUP_SIZE``.

    Returns
    -------
    list of str
        Unit names, sorted.
    """
    threshold = config.MIN_GROUP_SIZE if min_group_size is None else int(min_group_size)
    units: set[str] = set()
    for frame in (dataset.survey, dataset.attendance):
        if not len(frame):
            continue
        rows = frame if fiscal_year is None else frame[frame["fiscal_year"] == fiscal_year]
        counts = rows["unit"].dropna().astype(str).value_counts()
        units.update(str(u) for u, n in counts.items() if n >= threshold and str(u).strip())
    return sorted(units)


def expand_grid(
    dataset: Dataset | str | Path,
    notebooks: str | Path | Iterable[str | Path] | None = None,
    *,
    fiscal_years: Sequence[int] | None = None,
    by: str | None = None,
    lang: str = "th",
    min_group_size: int | None = None,
    parameters: Mapping[str, object] | None = None,
    units: Sequence[str] | None = None,
) -> list[ReportJob]:
    """Every report of a batch: notebooks × fiscal years × (department [+ units]).

    Parameters
    ----------
    dataset
        The processed tables, or the folder they are in.
    notebooks
        A folder of notebooks, one notebook or a list (see :func:`find_notebooks`). Notebooks
        without a cell tagged ``parameters`` are skipped with a warning.
    fiscal_years
        Fiscal years (BE) to report on; default every year with data.
    by
        ``None`` for whole-department reports only; ``"unit"`` adds one report per unit with
        enough data (see :func:`units_with_data`) in each fiscal year.
    lang
        ``"th"`` or ``"en"``, passed as the ``lang`` parameter.
    min_group_size
        Passed as ``min_group_size`` and used to choose units; default
        ``config.MIN_GROUP_SIZE``.
    parameters
        More values for every report (``raw_dir``, ``processed_dir``, ``bands``, ...). A job
        passes a value only when its notebook declares that parameter.
    units
        With ``by="unit"``, only these units (each still needs enough data that year).

    Returns
    -------
    list of ReportJob
        Ordered by fiscal year, then department before units, then notebook.

    Raises
    ------
    ConfigError
        Unknown ``by`` or ``lang``, a fiscal year without data, or no usable notebook.

    Examples
    --------
    >>> jobs = expand_grid("data/processed", "notebooks", by="unit")  # doctest: +SKIP
    >>> jobs[0].key  # doctest: +SKIP
    '2550/_department/overview'
    """
    if by is not None and by not in BY_CHOICES:
        raise ConfigError(f"Unknown by value {by!r}. Valid: {', '.join(BY_CHOICES)}")
    if lang not in LANGS:
        raise ConfigError(f"Unknown language {lang!r}. Valid: {', '.join(LANGS)}")
    from ..dataset import read_processed

    data = read_processed(dataset) if isinstance(dataset, (str, Path)) else dataset
    group = config.MIN_GROUP_SIZE if min_group_size is None else int(min_group_size)

    available = data.fiscal_years
    if fiscal_years is None or len(fiscal_years) == 0:
        years = list(available)
    else:
        years = sorted({int(y) for y in fiscal_years})
        unknown = [y for y in years if y not in available]
        if unknown:
            valid = ", ".join(str(y) for y in available) or "none"
            raise ConfigError(
                f"No data for fiscal year {', '.join(str(y) for y in unknown)}. "
                f"Fiscal years with data: {valid}"
            )
    if not years:
        raise ConfigError("The processed data has no fiscal year with attendance or survey rows")
    wanted = None
    if units is not None:
        wanted = {str(u) for u in units}
        unknown_units = sorted(wanted - set(data.unit_names))
        if unknown_units:
            raise ConfigError(
                f"Unknown unit {', '.join(repr(u) for u in unknown_units)}. "
                f"Units: {', '.join(data.unit_names)}"
            )

    infos = []
    for path in find_notebooks(notebooks):
        info = notebook_info(path)
        if info is None:
            logger.warning("%s: skipped, it has no cell tagged 'parameters'", path.name)
        else:
            infos.append(info)
    if not infos:
        raise ConfigError("No notebook with a cell tagged 'parameters' to run")
    names = [info.name for info in infos]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"Two notebooks named {', '.join(twice)}: their reports would share "
                          "a file; rename one")

    base = dict(parameters or {})
    jobs: list[ReportJob] = []
    for year in years:
        for info in infos:
            if "fiscal_year" not in info.parameters and year != years[0]:
                continue  # a notebook that takes no fiscal year is run once
            fy = year if "fiscal_year" in info.parameters else None
            scopes = [""]
            if by == "unit" and "unit" in info.parameters:
                scopes += [u for u in units_with_data(data, fy, group)
                           if wanted is None or u in wanted]
            for unit in scopes:
                values = {"fiscal_year": fy, "unit": unit, "lang": lang,
                          "min_group_size": group}
                values.update((k, v) for k, v in base.items() if k not in values)
                passed = {k: v for k, v in values.items()
                          if k in info.parameters and v is not None}
                year_dir = str(fy) if fy is not None else ALL_YEARS_DIR
                scope_dir = slug(unit) if unit else DEPARTMENT_DIR
                jobs.append(ReportJob(
                    notebook=info.path, fiscal_year=fy, unit=unit, parameters=passed,
                    key=f"{year_dir}/{scope_dir}/{info.name}", title=info.title, lang=lang,
                ))
    jobs.sort(key=lambda j: (j.fiscal_year is None, j.fiscal_year or 0, j.unit != "", j.unit,
                             j.notebook.name))
    return jobs
