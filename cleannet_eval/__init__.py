"""cleannet-eval: evaluate DOPA's Clean Government Network from office spreadsheets.

The public API: load and validate the raw spreadsheets (:func:`load_raw`, :func:`ingest`),
read processed tables (:func:`read_processed`), load a survey instrument
(:func:`load_instrument`), and write the synthetic demo dataset (:func:`write_demo`).
"""

from __future__ import annotations

from .dataset import Dataset, read_processed
from .errors import CleannetError, InputError, Problem
from .instruments import Instrument, load_instrument
from .version import __version__

__all__ = [
    "CleannetError",
    "Dataset",
    "InputError",
    "Instrument",
    "Problem",
    "__version__",
    "ingest",
    "load_file",
    "load_instrument",
    "load_raw",
    "read_processed",
    "write_demo",
]


def __getattr__(name: str) -> object:
    # Heavier entry points load on first use, keeping `import cleannet_eval` quick.
    if name in ("ingest", "load_raw", "load_file"):
        from .ingest import pipeline

        return getattr(pipeline, name)
    if name == "write_demo":
        from .demo import write_demo

        return write_demo
    raise AttributeError(f"module 'cleannet_eval' has no attribute {name!r}")
