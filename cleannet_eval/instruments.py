"""Survey instruments: the factors, their items and the answer scale, loaded from YAML.

An instrument is shipped in ``cleannet_eval/data/instruments/NAME.yaml`` or given as a path.
Ingest uses it to recognise item columns (by code or by question text) and to read answers
(numbers or the Thai labels); analysis uses it to score factors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import config
from .errors import InstrumentError

#: Columns of the processed survey table that an item code must not take.
RESERVED_COLUMNS: tuple[str, ...] = (
    "respondent", "unit", "staff_type", "role", "date", "fiscal_year", "comment",
    "source_file", "source_sheet", "source_row",
)

#: Pinto & Slevin's ten critical success factors (Slevin & Pinto 1986), in profile order.
PINTO_SLEVIN_FACTORS: tuple[str, ...] = (
    "project_mission",
    "top_management_support",
    "schedule_plan",
    "client_consultation",
    "personnel",
    "technical_tasks",
    "client_acceptance",
    "monitoring_feedback",
    "communication",
    "trouble_shooting",
)


@dataclass(frozen=True)
class Item:
    """One question: its code, factor, wording and whether it is reverse-scored."""

    code: str
    factor: str
    text_th: str
    text_en: str
    reverse: bool = False


@dataclass(frozen=True)
class Factor:
    """One success factor and its items, in questionnaire order."""

    key: str
    name_th: str
    name_en: str
    items: tuple[Item, ...]

    def name(self, lang: str = "th") -> str:
        """The factor's name in ``lang`` (``"th"`` or ``"en"``)."""
        return self.name_th if lang == "th" else self.name_en


@dataclass(frozen=True)
class Scale:
    """The answer scale: integer points ``min..max`` with Thai and English labels."""

    min: int
    max: int
    labels_th: dict[int, str] = field(default_factory=dict)
    labels_en: dict[int, str] = field(default_factory=dict)

    @property
    def points(self) -> int:
        """Number of answer levels."""
        return self.max - self.min + 1

    def label(self, value: int, lang: str = "th") -> str:
        """The label of one answer value."""
        return (self.labels_th if lang == "th" else self.labels_en)[value]


@dataclass(frozen=True)
class Instrument:
    """A questionnaire: identifier, titles, scale and factors."""

    id: str
    title_th: str
    title_en: str
    scale: Scale
    factors: tuple[Factor, ...]
    source: str = ""

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, factor by factor."""
        return tuple(item for factor in self.factors for item in factor.items)

    @property
    def item_codes(self) -> list[str]:
        """Every item code, in questionnaire order."""
        return [item.code for item in self.items]

    def factor(self, key: str) -> Factor:
        """The factor with ``key``; a clear error lists the valid keys."""
        for factor in self.factors:
            if factor.key == key:
                return factor
        valid = ", ".join(f.key for f in self.factors)
        raise InstrumentError(f"Unknown factor {key!r} in instrument {self.id!r}. Valid: {valid}")


def available_instruments() -> list[str]:
    """Names of the instruments shipped with the package."""
    return sorted(p.stem for p in config.INSTRUMENTS_DIR.glob("*.yaml"))


def load_instrument(instrument: str | Path | None = None) -> Instrument:
    """Load and validate an instrument.

    Parameters
    ----------
    instrument
        A shipped instrument's name (see :func:`available_instruments`), a path to a YAML
        file, or ``None`` for the default (``config.DEFAULT_INSTRUMENT``).

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentError
        The file is missing, is not YAML, or breaks a rule (unknown factor, duplicate item
        code, a label outside the scale, ...). The message names the file and the fix.
    """
    if instrument is None:
        instrument = config.DEFAULT_INSTRUMENT
    text = str(instrument)
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")):
        path = config.INSTRUMENTS_DIR / f"{text}.yaml"
        if not path.exists():
            valid = ", ".join(available_instruments())
            raise InstrumentError(
                f"Unknown instrument {text!r}. Shipped instruments: {valid}; or give a path to a "
                "YAML file."
            )
    else:
        path = Path(instrument)
    return _load_path(path.resolve())


@lru_cache(maxsize=16)
def _load_path(path: Path) -> Instrument:
    if not path.is_file():
        raise InstrumentError(f"{path}: instrument file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{path}: not a valid UTF-8 YAML file ({exc.__class__.__name__})")
    return instrument_from_dict(data, source=str(path))


def instrument_from_dict(data: object, source: str = "<dict>") -> Instrument:
    """Build and validate an :class:`Instrument` from parsed YAML.

    Parameters
    ----------
    data
        The mapping read from the YAML file.
    source
        Where it came from, for error messages.
    """
    def fail(message: str) -> InstrumentError:
        return InstrumentError(f"{source}: {message}")

    if not isinstance(data, dict):
        raise fail("expected a mapping with keys id, scale and factors")
    if "items" in data:
        data = _nest_flat_items(data, fail)
    for key in ("id", "scale", "factors"):
        if key not in data:
            raise fail(f"missing key {key!r}")
    scale_data = data["scale"]
    if not isinstance(scale_data, dict) or "min" not in scale_data or "max" not in scale_data:
        raise fail("scale needs integer 'min' and 'max'")
    try:
        lo, hi = int(scale_data["min"]), int(scale_data["max"])
    except (TypeError, ValueError):
        raise fail("scale 'min' and 'max' must be whole numbers") from None
    if hi - lo < 1:
        raise fail(f"scale max ({hi}) must be above min ({lo})")
    labels = {}
    for lang in ("th", "en"):
        raw = scale_data.get(f"labels_{lang}") or {}
        if not isinstance(raw, dict):
            raise fail(f"scale labels_{lang} must map each value to its label")
        parsed = {}
        for value, label in raw.items():
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise fail(f"scale label key {value!r} is not a whole number") from None
            if not lo <= number <= hi:
                raise fail(
                    f"scale mismatch: label {label!r} is for value {number}, outside {lo}–{hi}"
                )
            parsed[number] = str(label)
        if parsed and set(parsed) != set(range(lo, hi + 1)):
            missing = sorted(set(range(lo, hi + 1)) - set(parsed))
            raise fail(f"scale mismatch: labels_{lang} has no label for {missing}")
        labels[lang] = parsed
    scale = Scale(lo, hi, labels["th"], labels["en"])

    if not isinstance(data["factors"], list) or not data["factors"]:
        raise fail("'factors' must be a non-empty list")
    factors = []
    seen_codes: set[str] = set()
    seen_factors: set[str] = set()
    for f in data["factors"]:
        if not isinstance(f, dict) or "key" not in f:
            raise fail("each factor needs a 'key'")
        key = str(f["key"])
        if key not in PINTO_SLEVIN_FACTORS:
            raise fail(
                f"unknown factor {key!r}; Pinto & Slevin's factors are "
                + ", ".join(PINTO_SLEVIN_FACTORS)
            )
        if key in seen_factors:
            raise fail(f"factor {key!r} is listed twice")
        seen_factors.add(key)
        items = []
        for it in f.get("items") or []:
            if not isinstance(it, dict) or "code" not in it:
                raise fail(f"factor {key!r}: each item needs a 'code'")
            code = str(it["code"]).strip()
            if not code:
                raise fail(f"factor {key!r}: an item has an empty 'code'")
            if code.casefold() in RESERVED_COLUMNS:
                raise fail(
                    f"item code {code!r} is a column of the survey table; choose another. "
                    "Reserved: " + ", ".join(RESERVED_COLUMNS)
                )
            if code.casefold() in seen_codes:
                raise fail(f"duplicate item code {code!r}")
            seen_codes.add(code.casefold())
            reverse = it.get("reverse", False)
            if not isinstance(reverse, bool):
                raise fail(f"item {code!r}: 'reverse' must be true or false")
            items.append(
                Item(code, key, str(it.get("text_th", code)), str(it.get("text_en", code)), reverse)
            )
        if not items:
            raise fail(f"factor {key!r} has no items")
        factors.append(
            Factor(key, str(f.get("name_th", key)), str(f.get("name_en", key)), tuple(items))
        )
    return Instrument(
        id=str(data["id"]),
        title_th=str(data.get("title_th", data["id"])),
        title_en=str(data.get("title_en", data["id"])),
        scale=scale,
        factors=tuple(factors),
        source=source,
    )


def _nest_flat_items(data: dict, fail) -> dict:
    """The flat form (``items:`` with a ``factor`` each, as ``instrument draft`` writes it)
    turned into the nested form; an item without a factor is refused, naming it."""
    items = data["items"]
    if not isinstance(items, list) or not items:
        raise fail("'items' must be a non-empty list")
    undecided = [it for it in items if isinstance(it, dict) and it.get("factor") in (None, "")]
    if undecided:
        named = "; ".join(f"{it.get('code', '?')} ({str(it.get('text_th', ''))[:40]!r})"
                          for it in undecided[:5])
        more = f" and {len(undecided) - 5} more" if len(undecided) > 5 else ""
        raise fail(f"{len(undecided)} item(s) have no factor (factor: null): {named}{more}; "
                   "write the factor each measures (a key listed under 'factors') or delete "
                   "the item")
    names = {str(f.get("key")): f for f in data.get("factors") or [] if isinstance(f, dict)}
    order = list(names) + [str(it["factor"]) for it in items if isinstance(it, dict)]
    nested = []
    for key in dict.fromkeys(order):
        members = [{k: v for k, v in it.items() if k != "factor"} for it in items
                   if isinstance(it, dict) and str(it["factor"]) == key]
        if members:
            nested.append({**names.get(key, {}), "key": key, "items": members})
    for it in items:
        if not isinstance(it, dict):
            raise fail("each item needs a 'code' and a 'factor'")
    return {**{k: v for k, v in data.items() if k != "items"}, "factors": nested}
