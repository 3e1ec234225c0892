"""The dossier (โครงร่างผลงาน): one Word document and its PDF, in the programme's own outline.

``cleannet-eval dossier --fiscal-year FY [--unit UNIT]`` writes ``dossier.docx`` and
``dossier.pdf`` for one scope. The outline and every fixed sentence come from a text file
(``data/dossier/dossier.yaml`` in the package, or ``--text FILE``); the figures come from the
same public functions as ``cleannet-eval summary --json`` (:func:`~cleannet_eval.analysis.
summary.headline_summary`), so the two always agree, and survey figures the publishing rule
hides are never written: a hidden scope gets the outline's text and a note instead.

Sections (as in the programme's outline): 1. ชื่อผลงาน, 2. หลักการและเหตุผล, 3. แนวคิด ทฤษฎีที่
เกี่ยวข้อง, 4. ขั้นตอนการปฏิบัติ (+ network and participation figures), 5. บทวิเคราะห์ — 5.1 with
the five-factor table (n, X̄, S.D., ระดับ, ลำดับ, α), 5.2 each problem with its data, 5.3 the
programme's suggestions and those that follow from the data — 6. ผลสำเร็จของงาน (+ figures),
7. การนำไปใช้ประโยชน์, then the certification and signature blocks with blank lines to sign.
"""

from __future__ import annotations

import datetime as dt
import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import __version__, config, i18n
from .errors import ConfigError

logger = logging.getLogger(__name__)

#: The dossier's words, editable (see the comments at its top).
DOSSIER_TEXT: Path = config.PACKAGE_DATA_DIR / "dossier" / "dossier.yaml"
#: File name of the dossier in its report folder.
DOSSIER_NAME = "dossier.docx"
LANGS: tuple[str, ...] = ("th", "en")

# Keys every language of the text file must have (dotted paths).
_REQUIRED = (
    "document_title", "running_header", "cover", "applicant",
    "title.heading", "title.text", "rationale.heading", "rationale.text",
    "concept.heading", "concept.text", "steps.heading", "steps.items",
    "steps.network_evidence", "steps.participation_evidence",
    "analysis.heading", "analysis.work.heading", "analysis.work.intro",
    "analysis.work.factors", "analysis.work.factor_evidence", "analysis.work.factor_hidden",
    "analysis.work.survey_evidence", "analysis.work.reliability",
    "analysis.work.survey_hidden", "analysis.work.table_caption",
    "analysis.work.table_header", "analysis.work.overall_row",
    "analysis.problems.heading", "analysis.problems.citizens",
    "analysis.problems.citizens_evidence", "analysis.problems.continuity",
    "analysis.problems.continuity_evidence", "analysis.suggestions.heading",
    "analysis.suggestions.text", "analysis.suggestions.evidence_intro",
    "analysis.suggestions.table_header", "results.heading", "results.text",
    "results.evidence", "use.heading", "use.text", "source_note", "certification",
    "signature.sign", "signature.name", "signature.date",
)


@dataclass(frozen=True)
class DossierResult:
    """What :func:`build_dossier` wrote.

    Attributes
    ----------
    docx, pdf
        The Word document and its PDF (``None`` with ``pdf=False``).
    summary
        The figures it used (``cleannet-eval summary --json`` of the same scope).
    survey_shown
        Whether the scope's survey figures are in it.
    """

    docx: Path
    pdf: Path | None
    summary: dict[str, object]
    survey_shown: bool


def _get(tree: Mapping, dotted: str) -> object:
    node: object = tree
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def load_text(path: str | Path | None = None, lang: str = "th") -> dict[str, object]:
    """The dossier's words in ``lang`` from ``path`` (default :data:`DOSSIER_TEXT`).

    Raises
    ------
    ConfigError
        The file is missing or not YAML, or lacks the language or a key (named).
    """
    source = Path(path) if path is not None else DOSSIER_TEXT
    if lang not in LANGS:
        raise ConfigError(f"Unknown language {lang!r}. Valid: {', '.join(LANGS)}")
    try:
        tree = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read the dossier text: {exc.strerror}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{source}:{where}: not valid YAML ({getattr(exc, 'problem', exc)})")
    if not isinstance(tree, Mapping) or not isinstance(tree.get(lang), Mapping):
        raise ConfigError(f"{source}: no '{lang}' section; expected the keys 'th' and 'en'")
    words = dict(tree[lang])
    for key in _REQUIRED:
        try:
            _get(words, key)
        except KeyError:
            raise ConfigError(f"{source}: '{lang}.{key}' is missing; expected the same keys "
                              f"as the shipped file {DOSSIER_TEXT.name}")
    return words


class _Filler(string.Formatter):
    """``str.format`` that names the file's key when a placeholder is unknown."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def fill(self, key: str, template: str, values: Mapping[str, object]) -> str:
        try:
            return self.vformat(str(template), (), values)
        except KeyError as exc:
            raise ConfigError(f"{self.source}: '{key}' uses {{{exc.args[0]}}}, which is not "
                              f"known there; known: {', '.join(sorted(values))}")
        except (ValueError, IndexError) as exc:
            raise ConfigError(f"{self.source}: '{key}': {exc} (write {{{{ and }}}} for braces)")


def _number(value: object, decimals: int = 0) -> str:
    from .formatting import format_number

    return format_number(value, decimals)


def _percent(value: object, lang: str) -> str:
    from .formatting import format_number

    if value is None:
        return "–"
    shown = format_number(float(value) * 100, 1)  # type: ignore[arg-type]
    return i18n.text("number.percent", lang, value=shown)


def _ranked(survey: Mapping[str, object]):
    """The factors of a summary's survey part as :func:`narrative.rank_factors` wants them."""
    import pandas as pd

    from .analysis.bands import round_half_up
    from .narrative import rank_factors

    rows = []
    for key, entry in survey["factors"].items():  # type: ignore[union-attr]
        rows.append({"factor": key, **{k: entry.get(k) for k in (
            "name_th", "name_en", "n", "mean", "sd", "level_th", "level_en", "alpha")},
            "suppressed": bool(entry.get("suppressed"))})
    table = pd.DataFrame(rows)
    means = pd.Series([round_half_up(m) if m is not None else None for m in table["mean"]],
                      dtype="float64")
    table["rank"] = means.where(~table["suppressed"]).rank(method="min",
                                                            ascending=False).astype("Int64")
    overall = {"factor": "overall", "name_th": "", "name_en": "",
               "mean": survey.get("overall_mean"), "suppressed": survey.get("overall_mean")
               is None}
    ranked = rank_factors(pd.concat([table, pd.DataFrame([overall])], ignore_index=True))
    return table, ranked


def _movement(dataset: object, fiscal_year: int, unit: str | None) -> dict[str, object]:
    """Leader exits and transfers of the year (the network's own function)."""
    from .analysis.network import joins_exits, leader_continuity

    roster = dataset.roster  # type: ignore[attr-defined]
    in_roster = unit is None or bool((roster["unit"] == unit).fillna(False).any())
    exits = transfers = None
    if in_roster and len(roster):
        moves = joins_exits(roster, fiscal_year=fiscal_year, unit=unit)
        leaders = moves[moves["role"] == "leader"]
        everyone = moves[moves["role"] == "all"]
        if len(leaders):
            exits = int(leaders.iloc[0]["exits"])
            transfers = int(leaders.iloc[0]["exits_transfer"])
        active = int(everyone.iloc[0]["active_at_end"]) if len(everyone) else None
    else:
        active = None
    continuity = leader_continuity(roster, dataset.units,  # type: ignore[attr-defined]
                                   fiscal_year=fiscal_year)
    if unit is not None:
        continuity = continuity[(continuity["unit"] == unit).fillna(False).to_numpy()]
    without = continuity[continuity["without_leader_at_end"]
                         & (continuity["leaders_served"] > 0)]
    return {"exits": exits, "transfers": transfers, "active_at_end": active,
            "units_without_leader": list(without["unit"])}


def _quality_sentences(dataset: object, fiscal_year: int, min_group_size: int | None,
                       values: dict[str, object]) -> list[str]:
    """Keys of the instrument-quality sentences of 5.1, their figures added to ``values``.

    The questionnaire is judged on the whole department's answers of the year
    (:func:`~cleannet_eval.analysis.instrument_quality.instrument_quality`, the figures of
    ``cleannet-eval quality``), through the same disclosure rule: nothing when it hides them.
    """
    from .analysis.instrument_quality import instrument_quality

    quality = instrument_quality(dataset, fiscal_year=fiscal_year, strict=False,
                                 min_group_size=min_group_size).to_dict()
    keys: list[str] = []
    if quality["suppressed"]:
        return keys
    omegas = [r["omega"] for r in quality["reliability"] or [] if r.get("omega") is not None]
    if omegas:
        values.update(omega_min=_number(min(omegas), 2), omega_max=_number(max(omegas), 2))
        keys.append("quality_omega")
    fit = (quality["cfa"] or {}).get("fit") or {}
    if fit.get("converged"):
        values.update(cfa_n=_number(fit["n"]), chi2=_number(fit["chi2"], 2),
                      df=_number(fit["df"]), cfi=_number(fit["cfi"], 3),
                      tli=_number(fit["tli"], 3), rmsea=_number(fit["rmsea"], 3),
                      srmr=_number(fit["srmr"], 3))
        keys.append("quality_cfa")
    if quality["ioc"]:
        values.update(ioc_kept=_number(sum(bool(r["keep"]) for r in quality["ioc"])),
                      ioc_items=_number(len(quality["ioc"])))
        keys.append("quality_ioc")
    else:
        keys.append("quality_no_ioc")
    return keys


def dossier_path(fiscal_year: int, unit: str | None, out_dir: str | Path | None = None) -> Path:
    """Default place of a dossier: ``reports/FY/UNIT/dossier.docx`` (the reports' folders)."""
    from .reports.grid import DEPARTMENT_DIR, slug

    base = Path(out_dir) if out_dir is not None else config.REPORTS_DIR
    return base / str(int(fiscal_year)) / (slug(unit) if unit else DEPARTMENT_DIR) / DOSSIER_NAME


def build_dossier(
    dataset: object,
    fiscal_year: int,
    unit: str | None = None,
    *,
    lang: str = "th",
    out: str | Path | None = None,
    text: str | Path | None = None,
    pdf: bool = True,
    bands: str | None = None,
    min_group_size: int | None = None,
    today: dt.date | None = None,
) -> DossierResult:
    """Write the dossier of one fiscal year and scope as DOCX (and PDF through LibreOffice).

    Parameters
    ----------
    dataset
        A :class:`~cleannet_eval.dataset.Dataset`.
    fiscal_year
        The fiscal year (BE).
    unit
        One unit, or ``None`` for the whole department.
    lang
        ``"th"`` or ``"en"``.
    out
        The ``.docx`` to write; default :func:`dossier_path`. The PDF goes beside it.
    text
        The dossier's words (default :data:`DOSSIER_TEXT`).
    pdf
        Also write the PDF (LibreOffice converts the DOCX).
    bands, min_group_size
        As for ``cleannet-eval summary``.
    today
        The date printed in the document (default today), with a Buddhist-Era year.

    Returns
    -------
    DossierResult

    Raises
    ------
    ConfigError
        A bad text file, an unknown unit or fiscal year (as ``summary``), or no LibreOffice.
    """
    from .analysis.summary import headline_summary
    from .files import atomic_write
    from .narrative import recommendations
    from .render.word import ThaiDocument, thai_date
    from .reports.labels import period_label, scope_label

    source = Path(text) if text is not None else DOSSIER_TEXT
    words = load_text(source, lang)
    target = Path(out) if out is not None else dossier_path(fiscal_year, unit)
    if target.suffix.lower() != ".docx":
        raise ConfigError(f"{target}: the dossier is a Word file; give a name ending in .docx")
    if pdf:
        from .render.libreoffice import soffice_path

        soffice_path()  # before anything is written
    fill = _Filler(str(source)).fill
    fiscal_year = int(fiscal_year)
    summary = headline_summary(dataset, fiscal_year=fiscal_year, unit=unit, bands=bands,
                               min_group_size=min_group_size)
    department = headline_summary(dataset, fiscal_year=fiscal_year, unit=None, bands=bands,
                                  min_group_size=min_group_size)
    survey, part, net = summary["survey"], summary["participation"], summary["network"]
    shown = not survey["suppressed"] and survey.get("respondents") is not None
    moves = _movement(dataset, fiscal_year, unit)
    hidden = str(survey.get("note") or f"n < {survey.get('min_group_size')}")
    scope_words = scope_label(unit or "", lang) if unit else (
        i18n.text("name.department", lang))
    day = today or dt.date.today()
    values: dict[str, object] = {
        "scope": scope_words, "year": period_label(fiscal_year, lang), "hidden": hidden,
        "version": __version__, "date": thai_date(day, lang),
        "leaders": _number(net.get("leaders")), "members": _number(net.get("members")),
        "recruits_median": _number(net.get("recruits_per_leader_median"),
                                   0 if float(net.get("recruits_per_leader_median") or 0)
                                   .is_integer() else 1),
        "max_depth": _number(net.get("max_cascade_depth")),
        "activities": _number(part.get("activities")),
        "attendances": _number(part.get("attendances")),
        "participants": _number(part.get("unique_participants")),
        "coverage": _percent(part.get("coverage"), lang),
        "citizen_share": _percent(department["participation"].get("citizen_share"), lang),
        "leader_retention": _percent(net.get("leader_retention"), lang),
        "members_active_share": _percent(net.get("members_active_share"), lang),
        "exits": _number(moves["exits"]), "transfers": _number(moves["transfers"]),
        "active_at_end": _number(moves["active_at_end"]),
    }
    table, ranked = _ranked(survey)
    if shown:
        alphas = [a for a in table["alpha"] if a is not None and a == a]
        values.update(
            respondents=_number(survey["respondents"]),
            overall_mean=_number(survey["overall_mean"], 2),
            overall_level=survey.get(f"overall_level_{lang}") or "–",
            alpha_min=_number(min(alphas), 2) if alphas else "–",
            alpha_max=_number(max(alphas), 2) if alphas else "–",
        )

    w = words
    doc = ThaiDocument(fill("document_title", w["document_title"], values), lang=lang,
                       running=fill("running_header", w["running_header"], values),
                       subject=f"{values['scope']} · {values['year']}",
                       keywords="cleannet-eval")
    doc.title(fill("document_title", w["document_title"], values))
    for i, line in enumerate(w["cover"]):
        doc.paragraph(fill(f"cover[{i}]", line, values), align="center")
    doc.paragraph()
    for i, line in enumerate(w["applicant"]):
        doc.paragraph(fill(f"applicant[{i}]", line, values))

    def section(key: str) -> None:
        block = w[key]
        doc.heading(fill(f"{key}.heading", block["heading"], values), 1)
        for i, paragraph in enumerate(block.get("text") or []):
            doc.paragraph(fill(f"{key}.text[{i}]", paragraph, values), align="justify",
                          indent_first_mm=12.5)

    section("title")
    section("rationale")
    section("concept")
    steps = w["steps"]
    doc.heading(fill("steps.heading", steps["heading"], values), 1)
    for i, item in enumerate(steps["items"]):
        doc.paragraph(fill(f"steps.items[{i}]", item, values), style="List Number",
                      align="justify")
    doc.paragraph(fill("steps.network_evidence", steps["network_evidence"], values),
                  align="justify", indent_first_mm=12.5)
    doc.paragraph(fill("steps.participation_evidence", steps["participation_evidence"],
                       values), align="justify", indent_first_mm=12.5)

    analysis = w["analysis"]
    work = analysis["work"]
    doc.heading(fill("analysis.heading", analysis["heading"], values), 1)
    doc.heading(fill("analysis.work.heading", work["heading"], values), 2)
    doc.paragraph(fill("analysis.work.intro", work["intro"], values), align="justify",
                  indent_first_mm=12.5)
    if shown:
        doc.paragraph(fill("analysis.work.survey_evidence", work["survey_evidence"], values),
                      align="justify", indent_first_mm=12.5)
        doc.paragraph(fill("analysis.work.reliability", work["reliability"], values),
                      align="justify", indent_first_mm=12.5)
        for key in _quality_sentences(dataset, fiscal_year, min_group_size, values):
            doc.paragraph(fill(f"analysis.work.{key}", work[key], values), align="justify",
                          indent_first_mm=12.5)
        doc.paragraph([(fill("analysis.work.table_caption", work["table_caption"], values),
                        {"bold": True})], keep_with_next=True)
        rows = []
        for entry in table.itertuples(index=False):
            if entry.suppressed:
                rows.append([getattr(entry, f"name_{lang}"), hidden, hidden, hidden, hidden,
                             hidden, hidden])
                continue
            rows.append([getattr(entry, f"name_{lang}"), _number(entry.n),
                         _number(entry.mean, 2), _number(entry.sd, 2),
                         getattr(entry, f"level_{lang}") or "–", _number(entry.rank),
                         _number(entry.alpha, 2)])
        rows.append([str(work["overall_row"]), _number(survey.get("overall_n")),
                     _number(survey["overall_mean"], 2), _number(survey.get("overall_sd"), 2),
                     survey.get(f"overall_level_{lang}") or "–", "", ""])
        doc.table([str(h) for h in work["table_header"]], rows,
                  align=["left", "right", "right", "right", "center", "center", "right"],
                  widths=[38, 7, 8, 8, 10, 9, 8])
    else:
        doc.paragraph(fill("analysis.work.survey_hidden", work["survey_hidden"], values),
                      align="justify", indent_first_mm=12.5)
    for number, entry in enumerate(table.itertuples(index=False), start=1):
        fixed = (work["factors"] or {}).get(entry.factor)
        if fixed is None:
            continue
        doc.paragraph(f"{number}. " + fill(f"analysis.work.factors.{entry.factor}", fixed,
                                           values), align="justify", indent_first_mm=12.5)
        if shown and not entry.suppressed:
            evidence = fill("analysis.work.factor_evidence", work["factor_evidence"], {
                **values, "mean": _number(entry.mean, 2), "sd": _number(entry.sd, 2),
                "level": getattr(entry, f"level_{lang}") or "–", "rank": _number(entry.rank),
                "alpha": _number(entry.alpha, 2)})
        else:
            evidence = fill("analysis.work.factor_hidden", work["factor_hidden"], values)
        doc.paragraph([(evidence, {"italic": True})], indent_first_mm=12.5)

    problems = analysis["problems"]
    doc.heading(fill("analysis.problems.heading", problems["heading"], values), 2)
    for key in ("citizens", "continuity"):
        doc.paragraph("- " + fill(f"analysis.problems.{key}", problems[key], values),
                      align="justify", indent_first_mm=12.5)
        doc.paragraph([(fill(f"analysis.problems.{key}_evidence", problems[f"{key}_evidence"],
                             values), {"italic": True})], align="justify", indent_first_mm=12.5)

    suggestions = analysis["suggestions"]
    doc.heading(fill("analysis.suggestions.heading", suggestions["heading"], values), 2)
    doc.paragraph(fill("analysis.suggestions.text", suggestions["text"], values),
                  align="justify", indent_first_mm=12.5)
    advice = recommendations(
        ranked if shown else ranked.iloc[0:0], lang,
        citizen_share=department["participation"].get("citizen_share"),
        leader_exits=moves["exits"], leader_transfers=moves["transfers"],
        units_without_leader=moves["units_without_leader"])
    doc.paragraph([(fill("analysis.suggestions.evidence_intro", suggestions["evidence_intro"],
                         values), {"bold": True})], keep_with_next=True)
    doc.table([str(h) for h in suggestions["table_header"]],
              [[row.basis, row.recommendation] for row in advice.itertuples(index=False)],
              widths=[2, 3])

    section("results")
    doc.paragraph(fill("results.evidence", w["results"]["evidence"], values), align="justify",
                  indent_first_mm=12.5)
    section("use")
    doc.paragraph([(fill("source_note", w["source_note"], values), {"italic": True})],
                  align="justify")

    signature = w["signature"]
    for i, block in enumerate(w["certification"]):
        doc.paragraph()
        doc.paragraph(fill(f"certification[{i}].statement", block["statement"], values),
                      indent_first_mm=12.5, keep_with_next=True)
        doc.paragraph(keep_with_next=True)
        for key in ("sign", "name"):
            doc.signature_line(fill(f"signature.{key}", signature[key], values))
        doc.signature_line(fill(f"certification[{i}].signer", block["signer"], values))
        doc.signature_line(fill("signature.date", signature["date"], values), last=True)

    atomic_write(target, doc.to_bytes())
    pdf_path = None
    if pdf:
        from .render.libreoffice import docx_to_pdf

        pdf_path = atomic_write(target.with_suffix(".pdf"), docx_to_pdf(target))
    return DossierResult(docx=target, pdf=pdf_path, summary=summary, survey_shown=shown)
