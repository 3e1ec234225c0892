"""Interpretation bands: turn a mean score into a Thai survey-report level (มากที่สุด ... น้อยที่สุด).

Two schemes are in common use in Thai survey reports and are offered as a setting
(``config.DEFAULT_BANDS``):

* ``"half"`` — 0.50-wide bands around each scale point (Boonchom Srisa-ard):
  4.51–5.00 มากที่สุด, 3.51–4.50 มาก, 2.51–3.50 ปานกลาง, 1.51–2.50 น้อย, 1.00–1.50 น้อยที่สุด.
* ``"equal"`` — equal-width bands of (max − min) / levels (Best 1977): on a 5-point scale
  4.21–5.00, 3.41–4.20, 2.61–3.40, 1.81–2.60, 1.00–1.80.

A mean is first rounded half-up to two decimals, the way the printed table shows it, and the
rounded value is compared with the band boundaries (see :func:`round_half_up`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import config
from ..errors import ConfigError
from ..i18n import entries

log = logging.getLogger(__name__)

#: The band schemes, as accepted by ``bands=`` arguments.
BAND_SCHEMES: tuple[str, ...] = ("half", "equal")

#: Level labels from the highest (level 5) to the lowest (level 1): the catalogue's ``level``
#: area (data/words/words.yaml).
LEVEL_LABELS: dict[int, dict[str, str]] = {int(level): words
                                           for level, words in entries("level").items()}
LEVELS: int = len(LEVEL_LABELS)

_DECIMALS = 2
# Tolerance added before flooring, so that a mean whose exact value ends in 5 at the third
# decimal (e.g. 901 / 200 = 4.505, stored as 4.50499999...) rounds up as it does on paper.
_EPS = 1e-9


@dataclass(frozen=True)
class Band:
    """One interpretation band: ``lower <= round_half_up(mean) <= upper`` means ``level``.

    ``lower`` and ``upper`` are the boundaries as printed (two decimals).
    """

    level: int
    lower: float
    upper: float

    @property
    def label_th(self) -> str:
        """Thai label of the level."""
        return LEVEL_LABELS[self.level]["th"]

    @property
    def label_en(self) -> str:
        """English label of the level."""
        return LEVEL_LABELS[self.level]["en"]

    def label(self, lang: str = "th") -> str:
        """The label in ``lang`` (``"th"`` or ``"en"``)."""
        return LEVEL_LABELS[self.level][_check_lang(lang)]

    def __str__(self) -> str:
        return f"{self.lower:.2f}–{self.upper:.2f} {self.label_th} ({self.label_en})"


def round_half_up(value: float | np.ndarray | pd.Series, decimals: int = _DECIMALS):
    """Round half away from zero to ``decimals`` places, as a printed table (or Excel) does.

    Parameters
    ----------
    value
        A number or an array of numbers (``NaN`` stays ``NaN``).
    decimals
        Decimal places.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Same shape as ``value``.

    Notes
    -----
    :func:`round` and :func:`numpy.round` round half to even and see the binary value, so
    ``round(4.505, 2) == 4.5``. Here the result is ``floor(|x| * 10**d + 0.5 + 1e-9) / 10**d``
    with the sign restored: means of integer answers whose exact value ends in 5 at the third
    decimal round up (4.505 → 4.51), the way the value is printed in a Thai report table.

    Examples
    --------
    >>> round_half_up(4.505), round_half_up(4.504), round_half_up(2.675)
    (4.51, 4.5, 2.68)
    """
    scale = 10.0**decimals
    if isinstance(value, pd.Series):
        return pd.Series(
            round_half_up(_as_float_array(value), decimals), index=value.index, name=value.name
        )
    arr = np.asarray(value, dtype="float64")
    out = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5 + _EPS) / scale
    if out.ndim == 0:
        return float(out)
    return out


def interpretation_bands(
    bands: str | None = None, scale_min: int = 1, scale_max: int = 5
) -> tuple[Band, ...]:
    """The interpretation bands of a scheme on a scale, highest level first.

    Parameters
    ----------
    bands
        ``"half"`` (0.50-wide, Srisa-ard) or ``"equal"`` (equal-width, Best); default
        ``config.DEFAULT_BANDS``.
    scale_min, scale_max
        The answer scale of the instrument (1 and 5 for a 5-point scale).

    Returns
    -------
    tuple of Band
        Five bands, level 5 (มากที่สุด) first.

    Raises
    ------
    ConfigError
        Unknown scheme, or a scale with ``scale_max <= scale_min``.

    Notes
    -----
    ``"half"`` on a 5-point scale: level *k* covers ``k − 0.49 .. k + 0.50`` (clipped to
    1.00 and 5.00), i.e. ``1.00–1.50, 1.51–2.50, 2.51–3.50, 3.51–4.50, 4.51–5.00``.

    ``"equal"``: width ``w = (max − min) / 5``; level *k* covers
    ``min + (k − 1)·w + 0.01 .. min + k·w`` (the lowest band starts at ``min``). On a 5-point
    scale ``w = 0.80``: ``1.00–1.80, 1.81–2.60, 2.61–3.40, 3.41–4.20, 4.21–5.00``; on a
    7-point scale ``w = 1.20``: ``1.00–2.20, 2.21–3.40, 3.41–4.60, 4.61–5.80, 5.81–7.00``.

    The 0.50-wide scheme only exists for a scale with as many points as levels (5). For any
    other scale (e.g. the 7-point Pinto & Slevin profile) ``"half"`` falls back to the
    equal-width bands derived from that scale, and a warning is logged; the effective scheme
    is given by :func:`effective_scheme`.

    References
    ----------
    .. [1] บุญชม ศรีสะอาด (Boonchom Srisa-ard). การวิจัยเบื้องต้น (Introduction to research).
       Bangkok: Suweeriyasan, 2545 [2002].
    .. [2] Best, J. W. (1977). Research in Education (3rd ed.). Prentice-Hall.

    Examples
    --------
    >>> [str(b) for b in interpretation_bands("equal")][:2]
    ['4.21–5.00 มากที่สุด (Very high)', '3.41–4.20 มาก (High)']
    >>> interpretation_bands("half", 1, 7)[0].lower
    5.81
    """
    scheme = effective_scheme(bands, scale_min, scale_max)
    lo, hi = float(scale_min), float(scale_max)
    result = []
    if scheme == "half":
        for level in range(LEVELS, 0, -1):
            point = lo + level - 1
            lower = lo if level == 1 else point - 0.49
            upper = hi if level == LEVELS else point + 0.5
            result.append(Band(level, round(lower, 2), round(upper, 2)))
    else:
        width = (hi - lo) / LEVELS
        for level in range(LEVELS, 0, -1):
            lower = lo if level == 1 else lo + (level - 1) * width + 0.01
            upper = hi if level == LEVELS else lo + level * width
            result.append(Band(level, round(lower, 2), round(upper, 2)))
    return tuple(result)


def effective_scheme(bands: str | None, scale_min: int = 1, scale_max: int = 5) -> str:
    """The scheme actually used: ``"half"`` becomes ``"equal"`` on a scale without 5 points.

    ``None`` means ``config.DEFAULT_BANDS``.

    Examples
    --------
    >>> effective_scheme("half"), effective_scheme("half", 1, 7)
    ('half', 'equal')
    """
    if bands is None:
        bands = config.DEFAULT_BANDS
    if bands not in BAND_SCHEMES:
        raise ConfigError(
            f"Unknown interpretation bands {bands!r}. Valid: {', '.join(BAND_SCHEMES)}"
        )
    if scale_max <= scale_min:
        raise ConfigError(f"Scale max ({scale_max}) must be above min ({scale_min})")
    if bands == "half" and scale_max - scale_min + 1 != LEVELS:
        log.warning(
            "Bands 'half' need a %d-point scale; the scale %d–%d has %d points, so "
            "equal-width bands are used instead.",
            LEVELS, scale_min, scale_max, scale_max - scale_min + 1,
        )
        return "equal"
    return bands


def level_of(
    mean: float | Sequence[float] | np.ndarray | pd.Series,
    bands: str | None = None,
    *,
    scale: tuple[int, int] | object | None = None,
):
    """The level (5 = highest … 1 = lowest) of a mean or of each mean in an array.

    Parameters
    ----------
    mean
        A number or array-like of numbers. ``NaN``/``None`` gives ``NaN`` (level unknown).
    bands
        ``"half"`` or ``"equal"``; see :func:`interpretation_bands`. Default
        ``config.DEFAULT_BANDS``.
    scale
        ``(min, max)`` of the answer scale, or an instrument ``Scale``; default ``(1, 5)``.

    Returns
    -------
    int, float or numpy.ndarray
        An ``int`` for a scalar (``nan`` when missing); a float array otherwise.

    Raises
    ------
    ValueError
        A mean outside the scale (after rounding).
    """
    lo, hi = _scale_bounds(scale)
    band_list = interpretation_bands(bands, lo, hi)
    rounded = round_half_up(_as_float_array(mean))
    finite = ~np.isnan(rounded)
    if np.any((rounded[finite] < lo) | (rounded[finite] > hi)):
        bad = rounded[finite][(rounded[finite] < lo) | (rounded[finite] > hi)][0]
        raise ValueError(f"Mean {bad} is outside the scale {lo}–{hi}")
    # uppers ascending: level 1 band first
    uppers = np.array([b.upper for b in reversed(band_list)])
    levels = np.searchsorted(uppers, rounded - _EPS, side="left") + 1.0
    levels[~finite] = np.nan
    if np.ndim(mean) == 0:
        return float("nan") if not finite[0] else int(levels[0])
    return levels


def interpret(
    mean: float | Sequence[float] | np.ndarray | pd.Series,
    bands: str | None = None,
    *,
    scale: tuple[int, int] | object | None = None,
    lang: str = "th",
):
    """The interpretation label of a mean (or of each mean): มากที่สุด, มาก, ปานกลาง, ...

    Parameters
    ----------
    mean
        A number, or an array-like / Series of numbers. Missing values give ``None``.
    bands
        ``"half"`` (0.50-wide, default in ``config.DEFAULT_BANDS``) or ``"equal"``.
    scale
        ``(min, max)`` of the answer scale or an instrument ``Scale``; default ``(1, 5)``.
    lang
        ``"th"`` (Thai labels) or ``"en"`` (Very high, High, Moderate, Low, Very low).

    Returns
    -------
    str, None, list or pandas.Series
        A label for a scalar, a Series (same index) for a Series, a list otherwise.

    Notes
    -----
    The mean is rounded half-up to two decimals first (:func:`round_half_up`), so the level
    always agrees with the number printed beside it: 4.50 → มาก, 4.505 → 4.51 → มากที่สุด,
    4.504 → 4.50 → มาก. Boundaries are those of :func:`interpretation_bands`.

    References
    ----------
    .. [1] บุญชม ศรีสะอาด (2545). การวิจัยเบื้องต้น. Bangkok: Suweeriyasan.
    .. [2] Best, J. W. (1977). Research in Education. Prentice-Hall.

    Examples
    --------
    >>> interpret(4.50), interpret(4.51), interpret(4.505)
    ('มาก', 'มากที่สุด', 'มากที่สุด')
    >>> interpret(4.20, "equal", lang="en"), interpret(4.21, "equal", lang="en")
    ('High', 'Very high')
    >>> interpret([1.0, None, 3.0], lang="en")
    ['Very low', None, 'Moderate']
    """
    lang = _check_lang(lang)
    levels = level_of(mean, bands, scale=scale)
    if np.ndim(levels) == 0:
        return None if np.isnan(levels) else LEVEL_LABELS[int(levels)][lang]
    labels = [None if np.isnan(v) else LEVEL_LABELS[int(v)][lang] for v in levels]
    if isinstance(mean, pd.Series):
        return pd.Series(labels, index=mean.index, name=mean.name, dtype=object)
    return labels


def _as_float_array(values: object) -> np.ndarray:
    """``values`` as a 1-d float array, with ``None``/``pd.NA`` as ``NaN``."""
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    try:
        return np.atleast_1d(np.asarray(values, dtype="float64"))
    except TypeError:
        objects = np.atleast_1d(np.asarray(values, dtype=object))
        return pd.array(objects, dtype="Float64").to_numpy(dtype="float64", na_value=np.nan)


def _scale_bounds(scale: tuple[int, int] | object | None) -> tuple[int, int]:
    if scale is None:
        return 1, 5
    if hasattr(scale, "min") and hasattr(scale, "max"):
        return int(scale.min), int(scale.max)  # type: ignore[attr-defined]
    lo, hi = scale  # type: ignore[misc]
    return int(lo), int(hi)


def _check_lang(lang: str) -> str:
    if lang not in ("th", "en"):
        raise ConfigError(f"Unknown language {lang!r}. Valid: th, en")
    return lang
