"""Which plotly.js a report embeds: the partial (cartesian) bundle, or the full one.

The full ``plotly.min.js`` that ships inside plotly.py is 4.8 MB; the charts of the package
use only a few trace types. ``data/plotly/plotly-cartesian.min.js`` is the npm package
``plotly.js-cartesian-dist-min`` of the **same plotly.js version** as the installed plotly.py
embeds (1.5 MB; MIT licence beside it, see ``data/plotly/README.md`` for how to update it).
A report whose figures only use trace types the partial bundle registers gets the partial
bundle; a report with any other trace type (or a chart whose type cannot be read) gets the
full bundle, with a warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .. import config

logger = logging.getLogger(__name__)

#: The vendored partial bundle.
PARTIAL_BUNDLE: Path = config.PACKAGE_DATA_DIR / "plotly" / "plotly-cartesian.min.js"
#: File names of the shared copies in a batch's output folder (``assets="shared"``).
SHARED_NAMES: dict[str, str] = {"partial": "plotly.min.js", "full": "plotly-full.min.js"}

# How plotly.js registers a trace module; the same in the full and the partial bundles.
_TRACE_MODULE = re.compile(r'moduleType:"trace",name:"([a-z0-9]+)"')
_VERSION = re.compile(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")


def full_bundle_path() -> Path:
    """``plotly.min.js`` inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@lru_cache(maxsize=4)
def bundle_text(kind: str) -> str:
    """The bundle's JavaScript: ``kind`` is ``"partial"`` or ``"full"``."""
    return bundle_path(kind).read_text(encoding="utf-8")


def bundle_path(kind: str) -> Path:
    """Where the ``"partial"`` or ``"full"`` bundle is."""
    if kind not in SHARED_NAMES:
        raise ValueError(f"Unknown bundle {kind!r}. Valid: {', '.join(SHARED_NAMES)}")
    return PARTIAL_BUNDLE if kind == "partial" else full_bundle_path()


@lru_cache(maxsize=4)
def bundle_trace_types(kind: str) -> frozenset[str]:
    """The trace types a bundle registers, read from the bundle itself."""
    return frozenset(_TRACE_MODULE.findall(bundle_text(kind)))


@lru_cache(maxsize=4)
def bundle_version(kind: str) -> str:
    """The plotly.js version in the bundle's header comment."""
    match = _VERSION.search(bundle_text(kind)[:500])
    return match.group(1) if match else ""


def figure_trace_types(figure: dict) -> set[str]:
    """Trace types of a plotly figure's JSON (a trace without ``type`` is a scatter)."""
    return {str(trace.get("type") or "scatter") for trace in figure.get("data") or []}


def choose_bundle(trace_types: Iterable[str] | None, where: str = "") -> str:
    """``"partial"`` when every trace type is in the partial bundle, else ``"full"``.

    Parameters
    ----------
    trace_types
        The report's trace types; ``None`` when a chart's types are unknown (a chart that
        arrived as HTML).
    where
        The report, for the warning.
    """
    if trace_types is None:
        logger.warning("%s: a chart of unknown trace type; embedding the full plotly.js",
                       where or "report")
        return "full"
    missing = sorted(set(trace_types) - bundle_trace_types("partial"))
    if missing:
        logger.warning("%s: trace type(s) %s not in the partial plotly.js bundle; embedding "
                       "the full plotly.js", where or "report", ", ".join(missing))
        return "full"
    return "partial"
