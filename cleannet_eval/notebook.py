"""What a notebook needs in its first cell: checked parameters, the data, and bilingual text.

Every evaluation notebook starts with::

    from cleannet_eval.notebook import open_report
    report = open_report(fiscal_year=fiscal_year, unit=unit, lang=lang, raw_dir=raw_dir,
                         processed_dir=processed_dir, min_group_size=min_group_size,
                         bands=bands, instrument=instrument)

A bad parameter stops that cell with one line that lists the valid values (no traceback);
after it, ``report`` holds the tables already filtered to the fiscal year and unit asked, the
headline figures (:attr:`Report.summary`), and ``report.say(th=..., en=...)`` writes narrative
in the report's language.

Safety: every string that comes from a spreadsheet (unit, activity, comment, file name) must
go through :func:`escape` before it is put into Markdown or HTML; :meth:`Report.show_table`
and :meth:`Report.show_list` escape what they show themselves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .analysis.confidentiality import SUPPRESSED, suppression_label
from .analysis.selection import Selection, rows_of
from .calendar import years_with_data
from .dataset import Dataset
from .errors import CleannetError, ConfigError
from .i18n import text
from .ingest.headers import header_key
from .instruments import Instrument, load_instrument

LANGS = ("th", "en")
BANDS = ("half", "equal")

# Characters that HTML or Markdown would read as markup, as numeric character references:
# shown as themselves by both, never as a tag, link, emphasis, heading, list, table or math.
_ESCAPES = {ch: f"&#{ord(ch)};" for ch in "&<>\"'\\`*_{}[]()#+-.!|~$:"}
_ESCAPES.update({"\r": " ", "\n": " ", "\t": " "})
_ESCAPE_TABLE = str.maketrans(_ESCAPES)

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def escape(text: object) -> str:
    """Spreadsheet text made safe for Markdown or HTML: shown as written, never as markup.

    ``< > & " '`` and the characters Markdown reads as structure (``[ ] ( ) * _ # | `` …) become
    numeric character references, and line breaks become spaces; both JupyterLab and the HTML
    report show the original characters.

    Examples
    --------
    >>> escape("<b>กองคลัง</b>")
    '&#60;b&#62;กองคลัง&#60;/b&#62;'
    >>> escape("[x](javascript:alert(1))")
    '&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;'
    """
    return str("" if text is None else text).translate(_ESCAPE_TABLE)


def _one_line_errors() -> None:
    """Inside IPython, show a CleannetError as one line instead of a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return

    def handler(shell, etype, value, tb, tb_offset=None):  # noqa: ANN001 - IPython's signature
        # IPython leaves the display to a custom handler: send the one line as the cell's
        # error output (ename, evalue and a one-line traceback), as a traceback would be.
        lines = [f"{etype.__name__}: {' '.join(str(value).split())}"]
        shell._showtraceback(etype, value, lines)
        return lines

    shell.set_custom_exc((CleannetError,), handler)


@dataclass
class Report:
    """The checked parameters and data of one report: a thin front over its frozen
    :attr:`selection` (fiscal year, unit, data).

    A notebook cell reads *facts → narrative → table → chart*: the figures come from the
    report's tables and :mod:`cleannet_eval.facts`, the narrative from :meth:`say` (the words
    stay in the notebook, where evaluators edit them), then :meth:`show_table` and a chart.

    Attributes
    ----------
    fiscal_year
        Buddhist-Era fiscal year, or ``None`` for every year.
    unit
        The unit's name, or ``None`` for the whole department.
    lang
        ``"th"`` or ``"en"``.
    bands
        Interpretation bands, ``"half"`` or ``"equal"``.
    min_group_size
        Smallest survey group whose results are shown.
    instrument
        The survey instrument.
    dataset
        Every table, unfiltered (for comparisons across years and units).
    """

    fiscal_year: int | None
    unit: str | None
    lang: str
    bands: str
    min_group_size: int
    instrument: Instrument
    dataset: Dataset
    processed_dir: Path
    raw_dir: Path

    # -- words ---------------------------------------------------------------------------
    def t(self, th: str, en: str) -> str:
        """``th`` or ``en``, in the report's language."""
        return th if self.lang == "th" else en

    def say(self, th: str, en: str) -> None:
        """Display a paragraph of Markdown in the report's language.

        Escape spreadsheet text put into it with :func:`escape` (or :attr:`where`).
        """
        from IPython.display import Markdown, display

        display(Markdown(self.t(th, en)))

    def heading(self, th: str, en: str, level: int = 2) -> None:
        """Display a section heading (it appears in the report's table of contents)."""
        self.say("#" * level + " " + th, "#" * level + " " + en)

    def num(self, value: object, decimals: int = 0) -> str:
        """A number for the narrative: thousands separators, half-up rounding, ``–`` if none."""
        from .formatting import format_number

        return format_number(value, decimals)

    def pct(self, share: object, decimals: int = 1) -> str:
        """A share (0–1) the way the language writes it: ``ร้อยละ 15.1`` / ``15.1%``."""
        from .formatting import format_number

        if share is None or pd.isna(share):
            return "–"
        value = format_number(float(share) * 100, decimals)  # type: ignore[arg-type]
        return text("number.percent", self.lang, value=value)

    def year(self, fiscal_year: int | None = None) -> str:
        """``ปีงบประมาณ 2551`` / ``FY2551 (2007–08)`` (default: the report's year)."""
        from .formatting import year_label

        year = self.fiscal_year if fiscal_year is None else fiscal_year
        if year is None:
            return text("notebook.all_years", self.lang)
        return year_label(int(year), self.lang)

    def date(self, day: object) -> str:
        """A date the language's way: ``5 พ.ย. 2550`` (BE) / ``5 Nov 2007``."""
        if day is None or pd.isna(day):
            return "–"
        moment = pd.Timestamp(day)
        if self.lang == "th":
            from .ingest.thai import format_thai_date

            return format_thai_date(moment.date())
        return f"{moment.day} {_EN_MONTHS[moment.month - 1]} {moment.year}"

    def label(self, column: str, value: object) -> str:
        """Display label of a group value (staff types, roles, fiscal years get their words)."""
        from .charts import group_label

        return group_label(column, value, self.lang)

    def labels(self, column: str, values: Iterable[object], total: tuple[str, str] | None = None
               ) -> list[str]:
        """:meth:`label` of each value; the ``"all"`` row reads ``total`` (Thai, English)."""
        return [self.t(*total) if total is not None and value == "all"
                else self.label(column, value) for value in values]

    def by_scope(self, department: str, unit: str) -> str:
        """``department`` in the whole department's report, ``unit`` in a unit's (words the
        notebook chooses, e.g. a sentence only a unit's report needs)."""
        return department if self.unit is None else unit

    def listing(self, items: Iterable[object], none: str) -> str:
        """``items`` joined by commas, or ``none`` (the notebook's word) when there are none."""
        return ", ".join(str(i) for i in items) or none

    def count_or_hidden(self, count: object, hidden: bool) -> str:
        """A count for the narrative, or :attr:`hidden` (``n < 5``) when it may not be shown."""
        return self.hidden if hidden else self.num(count)

    @property
    def hidden(self) -> str:
        """What a hidden number reads: ``n < 5`` (with the report's minimum group size)."""
        return suppression_label(self.min_group_size)

    @property
    def hidden_secondary(self) -> str:
        """What a number hidden to protect a smaller group reads, in the report's language."""
        from .disclosure import SECONDARY, hidden_label

        return hidden_label(SECONDARY, self.min_group_size, self.lang)

    @property
    def hidden_note(self) -> str:
        """Why the selection's survey results are hidden: ``n < 5``, or that they protect a
        smaller group (never the selection's n)."""
        note = self.summary["survey"].get("note")
        if note and not str(note).startswith("n <"):
            return self.hidden_secondary
        return self.hidden

    @cached_property
    def disclosure(self):  # noqa: ANN201 - cleannet_eval.disclosure.Disclosure
        """The dataset's disclosure pattern: every table, chart and test of the report asks it
        (:mod:`cleannet_eval.disclosure`)."""
        from .disclosure import disclosure

        return disclosure(self.dataset.survey, self.min_group_size)

    @cached_property
    def comment_disclosure(self):  # noqa: ANN201 - cleannet_eval.disclosure.Disclosure
        """The disclosure pattern at the comments' minimum group size (10)."""
        from .disclosure import disclosure

        return disclosure(self.dataset.survey, max(config.MIN_COMMENT_GROUP_SIZE,
                                                    self.min_group_size))

    @property
    def where(self) -> str:
        """The scope in words, escaped for Markdown: the unit's name or the whole department."""
        return escape(self.unit) if self.unit else text("notebook.whole_department", self.lang)

    @property
    def plain_where(self) -> str:
        """The unit's name or the whole department, plain (unescaped), for chart titles."""
        return self.unit or text("notebook.whole_department", self.lang)

    @property
    def plain_scope(self) -> str:
        """The scope as plain (unescaped) text, for chart titles (the chart builders escape)."""
        where = self.plain_where
        return where if self.fiscal_year is None else f"{where}, {self.year()}"

    def p(self, value: object) -> str:
        """A p-value as tables print it: ``0.038``, ``< 0.001``; ``–`` when undefined."""
        from .formatting import format_p

        return format_p(value)

    def p_is(self, value: object) -> str:
        """A p-value as a sentence writes it after ``p``: ``= 0.038``, ``< 0.001``."""
        from .formatting import p_clause

        return p_clause(value)

    @property
    def scope(self) -> str:
        """``"กองคลัง, ปีงบประมาณ 2551"`` / ``"the whole department, FY2551 (2007–08)"``."""
        if self.fiscal_year is None:
            return self.where
        return f"{self.where}, {self.year()}"

    def show_table(
        self,
        frame: pd.DataFrame,
        columns: Mapping[str, tuple[str, str]] | None = None,
        decimals: int | Mapping[str, int] = 2,
        percent: Sequence[str] = (),
        labels: Mapping[str, str] | None = None,
        hidden_columns: Sequence[str] | None = None,
    ) -> None:
        """Display a table with headers in the report's language; every cell is HTML-escaped.

        Parameters
        ----------
        frame
            The table (not modified).
        columns
            Column → (Thai header, English header); only these columns are shown, in order.
        decimals
            Digits after the decimal point for float columns (one number, or per column).
        percent
            Columns holding shares (0–1), shown as percentages.
        labels
            Column → grouping column whose codes should be shown as words (e.g.
            ``{"group": "staff_type"}``; ``"fiscal_year"`` gives ``ปีงบประมาณ 2551``).
        hidden_columns
            Columns that read ``n < 5`` in rows whose ``suppressed`` is true (default: every
            numeric column and the ``level_*`` columns). A hidden number is never shown.
        """
        from IPython.display import HTML, display

        from .formatting import format_number, format_percent

        names = list(columns) if columns is not None else [c for c in frame.columns
                                                           if c != SUPPRESSED]
        hidden = (frame[SUPPRESSED].fillna(False).to_numpy(dtype=bool)
                  if SUPPRESSED in frame else np.zeros(len(frame), dtype=bool))
        if hidden_columns is None:
            hidden_columns = [c for c in names if c.startswith(("level_", "rank"))
                              or (pd.api.types.is_numeric_dtype(frame[c])
                                  and not pd.api.types.is_bool_dtype(frame[c]))]
        labels = dict(labels or {})
        cells: dict[str, list[str]] = {}
        for name in names:
            series = frame[name]
            digits = decimals.get(name, 2) if isinstance(decimals, Mapping) else decimals
            out = []
            for i, value in enumerate(series):
                if hidden[i] and name in hidden_columns:
                    out.append(self._hidden_text(frame, i))
                elif value is None or (not isinstance(value, (list, tuple, np.ndarray))
                                       and pd.isna(value)):
                    out.append("–")
                elif name in labels:
                    out.append(self.label(labels[name], value))
                elif name in percent:
                    out.append(format_percent(value, 1))
                elif isinstance(value, (bool, np.bool_)):
                    out.append(text("notebook.yes", self.lang) if value
                               else text("notebook.no", self.lang))
                elif isinstance(value, (int, np.integer)):
                    out.append(format_number(value) if name != "fiscal_year" else str(value))
                elif isinstance(value, (float, np.floating)):
                    out.append(format_number(value, digits))
                elif isinstance(value, (pd.Timestamp, dt.date)):
                    out.append(self.date(value))
                else:
                    out.append(str(value))
            cells[name] = out
        headers = [self.t(*columns[c]) if columns is not None else str(c) for c in names]
        # Numbers right-aligned, text left-aligned; every cell and header escaped.
        numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not
                   pd.api.types.is_bool_dtype(frame[c]) and c not in labels for c in names]
        align = ["right" if n else "left" for n in numeric]
        head = "".join(f'<th style="text-align:{a}">{html.escape(h)}</th>'
                       for h, a in zip(headers, align, strict=True))
        body = "".join(
            "<tr>" + "".join(f'<td style="text-align:{a}">{html.escape(cells[c][i])}</td>'
                             for c, a in zip(names, align, strict=True)) + "</tr>"
            for i in range(len(frame)))
        display(HTML(f'<table class="dataframe cleannet-table"><thead><tr>{head}</tr></thead>'
                     f"<tbody>{body}</tbody></table>"))

    def _hidden_text(self, frame: pd.DataFrame, row: int) -> str:
        from .analysis.scoring import hidden_text

        return hidden_text(frame, row, self.lang, self.min_group_size)

    def show_list(self, items: Iterable[object], limit: int | None = None) -> None:
        """Display spreadsheet texts (e.g. comments) as a bulleted list, each escaped."""
        from IPython.display import Markdown, display

        values = [str(v).strip() for v in items if v is not None and not pd.isna(v)]
        values = [v for v in values if v]
        extra = 0
        if limit is not None and len(values) > limit:
            values, extra = values[:limit], len(values) - limit
        lines = [f"- {escape(v)}" for v in values]
        if extra:
            lines.append(text("notebook.more_items", self.lang, count=f"{extra:,}"))
        if lines:
            display(Markdown("\n".join(lines)))

    # -- data ----------------------------------------------------------------------------
    @cached_property
    def selection(self) -> Selection:
        """The report's frozen selection (fiscal year, unit, data) every table comes from."""
        return Selection(self.fiscal_year, self.unit, self.dataset)

    def _select(self, frame: pd.DataFrame, year_column: str | None = "fiscal_year"
                ) -> pd.DataFrame:
        # citizen rows have no unit: a missing unit is never the unit asked for
        return self.selection.rows(frame, year_column)

    def unit_rows(self, frame: pd.DataFrame, keep_missing_unit: bool = False) -> pd.DataFrame:
        """The rows of ``frame`` of the report's unit (every row for the whole department);
        ``keep_missing_unit`` also keeps the rows without a unit (a table's department row)."""
        return self.selection.unit_rows(frame, keep_missing_unit)

    @property
    def survey_years(self) -> list[int]:
        """The fiscal years with survey answers (:func:`~cleannet_eval.calendar.years_with_data`
        of the survey)."""
        return years_with_data(self.dataset.survey)

    @cached_property
    def survey(self) -> pd.DataFrame:
        """Survey answers of the fiscal year and unit."""
        return self._select(self.dataset.survey)

    @cached_property
    def attendance(self) -> pd.DataFrame:
        """Attendance of the fiscal year and unit (the whole department includes citizens)."""
        return self._select(self.dataset.attendance)

    @cached_property
    def units(self) -> pd.DataFrame:
        """Headcounts of the fiscal year (and unit)."""
        return self._select(self.dataset.units)

    @cached_property
    def roster(self) -> pd.DataFrame:
        """Roster rows of the unit (every year: a spell can span years)."""
        return self._select(self.dataset.roster, year_column=None)

    @property
    def previous_year(self) -> int | None:
        """The fiscal year before the report's, when the data have it; else ``None``."""
        if self.fiscal_year is None:
            return None
        year = self.fiscal_year - 1
        return year if year in self.dataset.fiscal_years else None

    @property
    def has_survey(self) -> bool:
        """The selection has survey answers."""
        return len(self.survey) > 0

    @property
    def has_attendance(self) -> bool:
        """The selection has attendance rows."""
        return len(self.attendance) > 0

    @property
    def has_network(self) -> bool:
        """The selection has network leaders or members during the fiscal year."""
        network = self.summary["network"]
        return bool((network.get("leaders") or 0) + (network.get("members") or 0))

    @property
    def in_roster(self) -> bool:
        """The unit appears in the roster at all (the whole department: any roster row)."""
        return len(self.roster) > 0

    @property
    def in_attendance(self) -> bool:
        """The unit appears in the attendance table at all (any year)."""
        return len(self.unit_rows(self.dataset.attendance)) > 0

    @cached_property
    def survey_shown(self) -> bool:
        """The selection's survey results may be shown: the dataset's disclosure pattern
        publishes its cell (enough respondents, and not hidden to protect a smaller group).
        Nothing computed from a hidden selection's answers (not even its number of
        respondents) may appear in a report."""
        section = self.summary["survey"]
        return self.has_survey and not section.get("suppressed", True)

    @property
    def survey_hidden(self) -> bool:
        """The selection has survey answers, but its results may not be shown."""
        return self.has_survey and not self.survey_shown

    @property
    def respondents(self) -> int | None:
        """Survey respondents of the selection, or ``None`` when its results are hidden."""
        return len(self.survey) if self.survey_shown else None

    def respondents_or(self, none: str) -> str:
        """The number of respondents for the narrative: ``none`` (the notebook's word) when
        the selection has no answers, :attr:`hidden_note` when its results are hidden."""
        if not self.has_survey:
            return none
        return self.hidden_note if self.respondents is None else self.num(self.respondents)

    @cached_property
    def summary(self) -> dict[str, object]:
        """The headline figures of the selection (keys as ``cleannet-eval summary --json``).

        A unit without any survey answer gets a survey part with ``suppressed: true``,
        ``no_data: true`` and every number ``None``.
        """
        from .analysis.network import NETWORK_KEYS, network_summary
        from .analysis.participation import PARTICIPATION_KEYS, participation_summary
        from .analysis.summary import FACTOR_KEYS, jsonable, summary_header, survey_section

        out = summary_header(self.fiscal_year, self.unit)
        survey = self.dataset.survey
        has_unit = self.unit is None or len(self.unit_rows(survey)) > 0
        if has_unit and (self.fiscal_year is None or self.fiscal_year in self.survey_years):
            section = survey_section(survey, self.instrument, fiscal_year=self.fiscal_year,
                                     unit=self.unit, bands=self.bands,
                                     min_group_size=self.min_group_size, lang=self.lang,
                                     disclosure_pattern=self.disclosure)
            section["no_data"] = not self.has_survey
        else:
            section = {
                "instrument": self.instrument.id, "bands": self.bands,
                "min_group_size": self.min_group_size, "suppressed": True, "no_data": True,
                "note": self.hidden, "respondents": None, "overall_n": None,
                "overall_mean": None, "overall_sd": None, "overall_level_th": None,
                "overall_level_en": None,
                "factors": {f.key: {**{k: None for k in FACTOR_KEYS}, "name_th": f.name_th,
                                    "name_en": f.name_en, "suppressed": True}
                            for f in self.instrument.factors},
            }
        out["survey"] = section
        for key, summarise, keys in (("participation", participation_summary, PARTICIPATION_KEYS),
                                     ("network", network_summary, NETWORK_KEYS)):
            try:
                out[key] = jsonable(summarise(self.dataset, self.fiscal_year, self.unit))
            except ConfigError:  # a fiscal year with survey answers only
                out[key] = dict.fromkeys(keys)
        return out

    def factor_table(self) -> pd.DataFrame:
        """The factor table (n, X̄, S.D., 95% CI, level, rank) of the selection, hidden where
        the dataset's disclosure pattern hides the selection's cell."""
        from .analysis import factor_table

        return factor_table(self.survey, self.instrument, bands=self.bands,
                            min_group_size=self.min_group_size, disclosure=self.disclosure)

    def item_table(self) -> pd.DataFrame:
        """The item table (n, X̄, S.D., level, rank in factor, answer shares) of the selection;
        an item is hidden where the disclosure pattern of its answers hides it."""
        from .analysis import item_table

        return item_table(self.survey, self.instrument, bands=self.bands,
                          min_group_size=self.min_group_size, disclosure=self.disclosure)

    def breakdown(self, by: str) -> pd.DataFrame:
        """The factor table by ``by`` (unit, staff type, role) for the report's fiscal year
        (all years pooled when it has none) — within the report's unit, if it has one.

        Every cell is hidden exactly where the dataset's disclosure pattern hides it, so every
        report, the summary and ``score`` agree on what is shown.
        """
        from .analysis import factor_table

        survey = rows_of(self.dataset.survey, fiscal_year=self.fiscal_year,
                         unit=None if by == "unit" else self.unit)
        return factor_table(survey, self.instrument, by=by, bands=self.bands,
                            min_group_size=self.min_group_size, disclosure=self.disclosure)

    def by_year(self) -> pd.DataFrame:
        """The factor table of the report's scope in every fiscal year (``by="fiscal_year"``),
        hidden where the disclosure pattern hides a year's cell."""
        from .analysis import factor_table

        survey = self.unit_rows(self.dataset.survey)
        return factor_table(survey, self.instrument, by="fiscal_year", bands=self.bands,
                            min_group_size=self.min_group_size, disclosure=self.disclosure)

    def shown_in(self, fiscal_year: int) -> bool:
        """Whether the scope's survey results of ``fiscal_year`` may be shown (as that year's
        report would decide, :attr:`survey_shown`)."""
        if fiscal_year == self.fiscal_year:
            return self.survey_shown
        if fiscal_year not in self.survey_years:
            return False
        return dataclasses.replace(self, fiscal_year=int(fiscal_year)).survey_shown

    @property
    def compares_years(self) -> bool:
        """The report may compare its year with the one before: the data have the previous
        year, and the scope's survey results are shown in both."""
        return (self.previous_year is not None and self.survey_shown
                and self.shown_in(self.previous_year))

    def year_change(self, factors: Sequence[str] | None = None, shown_only: bool = False
                    ) -> pd.DataFrame | None:
        """The change of the scope's factor means from the previous fiscal year (Welch's t,
        Hedges' g; the unit's row when the report has a unit), or ``None`` when the report
        may not compare years (:attr:`compares_years`).

        Parameters
        ----------
        factors
            The measures to compare (default: every factor and the overall index).
        shown_only
            Drop the rows the disclosure pattern hides.
        """
        if not self.compares_years:
            return None
        from .analysis import change_between_years

        change = change_between_years(
            self.dataset.survey, self.instrument, from_year=self.previous_year,
            to_year=self.fiscal_year, by="unit" if self.unit is not None else None,
            factors=factors, min_group_size=self.min_group_size, disclosure=self.disclosure)
        change = self.unit_rows(change)
        return change[~change[SUPPRESSED]] if shown_only else change

    def comments(self) -> list[str]:
        """The free-text comments that may be shown for the selection: its survey results are
        shown (:attr:`survey_shown`) and the disclosure pattern at the comments' minimum of 10
        respondents publishes its cell. Plain text: escape it to show it."""
        from .disclosure import PUBLISHED

        if not self.survey_shown:
            return []  # a hidden group's report shows nothing that comes from its answers
        if self.comment_disclosure.group_status(self.survey) != PUBLISHED:
            return []
        comments = self.survey["comment"].astype("string").str.strip()
        shown = comments[comments.notna() & (comments != "")]
        # A placeholder such as "-" or "..." says nothing: only texts with a letter or digit.
        return [str(c) for c in shown if any(ch.isalnum() for ch in str(c))]


def _resolve_dir(value: str | Path | None, default: Path) -> Path:
    if value is None or str(value).strip() == "":
        return default
    return config.from_project(value)


def _choice(name: str, value: object, valid: Sequence[str]) -> str:
    if value not in valid:
        raise ConfigError(f"{name} {value!r} is not valid. Valid values: {', '.join(valid)}")
    return str(value)


def _check_instrument(instrument: Instrument, dataset: Dataset) -> None:
    missing = [c for c in instrument.item_codes if c not in dataset.survey.columns]
    if missing and len(dataset.survey.columns):
        raise ConfigError(
            f"instrument {instrument.id!r} does not match the survey data (no column for "
            f"{', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}). The data were "
            f"ingested with {dataset.instrument.id!r}; leave instrument empty to use it"
        )


def open_report(
    fiscal_year: int | None = None,
    unit: str | None = "",
    lang: str = "th",
    raw_dir: str | Path | None = "",
    processed_dir: str | Path | None = "",
    min_group_size: int = config.MIN_GROUP_SIZE,
    bands: str = config.DEFAULT_BANDS,
    instrument: str | Path | None = "",
) -> Report:
    """Check a notebook's parameters and load its data.

    Relative folders are taken from the project root, so a notebook finds the same data in
    JupyterLab (which runs it from ``notebooks/``) and under papermill (which runs it from
    wherever it was called). When the processed tables are missing or older than the raw
    spreadsheets, the ingest runs first (in JupyterLab; a report batch prepares the data once
    and hands its kernels the fingerprint, so they never check or hash the files again).

    Parameters
    ----------
    fiscal_year
        Buddhist-Era fiscal year with data, or ``None`` for every year.
    unit
        A unit of the units table (spacing and case are forgiven), or empty for the whole
        department.
    lang
        ``"th"`` or ``"en"``.
    raw_dir, processed_dir
        Data folders; empty means ``data/raw`` and the ``processed/`` folder beside the raw
        one (``data/processed``).
    min_group_size
        Smallest survey group whose results are shown (1 or more).
    bands
        ``"half"`` or ``"equal"``.
    instrument
        Instrument name or YAML path; empty means the one the data were ingested with.

    Raises
    ------
    ConfigError
        A parameter is not valid; the one-line message lists the valid values.
    """
    _one_line_errors()
    lang = _choice("lang", lang, LANGS)
    bands = _choice("bands", bands, BANDS)
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, (int, np.integer)) \
            or min_group_size < 1:
        raise ConfigError(f"min_group_size must be a whole number of 1 or more, got "
                          f"{min_group_size!r}")
    if fiscal_year is not None:
        try:
            fiscal_year = int(fiscal_year)
        except (TypeError, ValueError):
            raise ConfigError(f"fiscal_year must be a Buddhist Era year such as 2551, got "
                              f"{fiscal_year!r}") from None
    raw = _resolve_dir(raw_dir, config.RAW_DATA_DIR)
    from .dataset import processed_beside
    from .shared import load_dataset

    processed = _resolve_dir(processed_dir, processed_beside(raw))  # default beside raw

    # read once per kernel and data version (a batch vouches for the data: no re-hashing)
    dataset = load_dataset(raw, processed)
    chosen = load_instrument(instrument) if instrument else dataset.instrument
    _check_instrument(chosen, dataset)
    if fiscal_year is not None and fiscal_year not in dataset.fiscal_years:
        years = ", ".join(str(y) for y in dataset.fiscal_years) or "none"
        hint = f" (Buddhist Era: CE + 543, e.g. {fiscal_year + 543})" if fiscal_year < 2400 \
            else ""
        raise ConfigError(f"no data for fiscal year {fiscal_year}{hint}. Fiscal years with "
                          f"data: {years}")
    unit_name = None
    if unit is not None and str(unit).strip():
        by_key = {header_key(u): u for u in dataset.unit_names}
        unit_name = by_key.get(header_key(unit))
        if unit_name is None:
            raise ConfigError(f"unknown unit {unit!r}. Valid units: "
                              f"{', '.join(dataset.unit_names) or 'none'}")
    if "PLOTLY_RENDERER" not in os.environ:
        # Interactive JupyterLab: draw without "Trust" and keep charts in a saved notebook.
        import plotly.io as pio

        pio.renderers.default = "plotly_mimetype+notebook"
    return Report(
        fiscal_year=fiscal_year, unit=unit_name, lang=lang, bands=bands,
        min_group_size=int(min_group_size), instrument=chosen, dataset=dataset,
        processed_dir=processed, raw_dir=raw,
    )


__all__ = ["Report", "escape", "open_report"]
