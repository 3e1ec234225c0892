"""Analysis shared across the reports of a batch: a per-process memo keyed on the data.

A batch runs many reports in the same warm kernel (:mod:`cleannet_eval.reports.kernels`). Every
report of a fiscal year needs the same department-wide figures (the headline summary of each
unit, the suppression pattern of the table by unit, the year-on-year comparison); without this
module each unit report would compute them all again. Here

* :func:`load_dataset` reads the processed tables once per process and data version, and
  hands every report its own shallow copy of them (pandas copy-on-write: a report that edits
  its copy never changes the next report's);
* :func:`memoized` wraps a pure analysis function: a call whose table arguments are tables of
  a dataset from :func:`load_dataset` (unchanged since: same columns and length) is computed
  once per data version and argument values, and every caller gets its own deep copy of the
  result. A call with any other table (a filtered selection, a test's own frame) runs as
  usual, uncached.

The data version is the **fingerprint**: SHA-256 over the name and SHA-256 of every file of
the processed folder (:func:`data_fingerprint`), the same hashes ``manifest.json`` of a batch
lists as inputs. A batch has already checked that the processed data is current and hashed
it; :func:`use_batch_data` hands the kernel that fingerprint, so the kernel neither hashes the
raw spreadsheets again nor re-reads the tables. Without it (JupyterLab), :func:`load_dataset`
checks freshness itself (``ensure_processed``) and hashes the processed files (milliseconds).

Only the most recent :data:`KEEP_VERSIONS` data versions stay in memory.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .dataset import Dataset

#: Data versions kept in memory (datasets and memoized results).
KEEP_VERSIONS = 2

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.RLock()
_datasets: OrderedDict[str, Dataset] = OrderedDict()  # fingerprint → the tables as read
_results: dict[str, dict[tuple, object]] = {}  # fingerprint → memo key → result
_trusted: dict[str, tuple[str, str]] = {}  # processed folder → (raw folder, fingerprint)
# id of a handed-out table or dataset → (weakref, fingerprint, name, columns, length)
_registry: dict[int, tuple[weakref.ref, str, str, tuple, int]] = {}
_stats = {"hits": 0, "misses": 0, "loads": 0}


def _digest(items: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for name, sha in sorted(items):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()


def data_fingerprint(processed_dir: str | Path) -> str:
    """SHA-256 over the relative name and SHA-256 of every file of ``processed_dir``."""
    from .files import sha256_file

    folder = Path(processed_dir)
    return _digest((p.relative_to(folder).as_posix(), sha256_file(p))
                   for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def fingerprint_of_inputs(inputs: Iterable[Mapping[str, str]]) -> str:
    """The same fingerprint from a batch's input list (``processed/…`` entries, see
    :func:`~cleannet_eval.reports.inputs.input_files`): no file is read again."""
    prefix = "processed/"
    return _digest((item["path"][len(prefix):], item["sha256"]) for item in inputs
                   if item["path"].startswith(prefix))


def use_batch_data(raw_dir: str | Path, processed_dir: str | Path, fingerprint: str) -> None:
    """Trust that ``processed_dir`` is current for ``raw_dir`` and has ``fingerprint``.

    Called by a batch in each report kernel before the notebook runs; :func:`load_dataset`
    then skips the freshness check and the hashing.
    """
    with _lock:
        _trusted[str(Path(processed_dir).resolve())] = (str(Path(raw_dir).resolve()),
                                                        fingerprint)


def _register(obj: object, fingerprint: str, name: str) -> None:
    columns = tuple(obj.columns) if hasattr(obj, "columns") else ()
    length = len(obj) if hasattr(obj, "columns") else 0
    key = id(obj)

    def forget(_ref: weakref.ref, key: int = key) -> None:
        _registry.pop(key, None)

    _registry[key] = (weakref.ref(obj, forget), fingerprint, name, columns, length)


def _identity(obj: object) -> tuple[str, str] | None:
    """``(fingerprint, name)`` of a handed-out table or dataset still as handed out."""
    entry = _registry.get(id(obj))
    if entry is None or entry[0]() is not obj:
        return None
    _, fingerprint, name, columns, length = entry
    if hasattr(obj, "columns") and (tuple(obj.columns) != columns or len(obj) != length):
        return None  # edited since: not the table the memo knows
    if name == "dataset":
        from .dataset import TABLES

        if any(_identity(getattr(obj, table)) != (fingerprint, table) for table in TABLES):
            return None  # a table was replaced or edited
    return fingerprint, name


def load_dataset(raw_dir: str | Path, processed_dir: str | Path) -> Dataset:
    """The processed tables (read once per data version), as a copy of their own.

    Parameters
    ----------
    raw_dir, processed_dir
        The data folders. Unless a batch vouched for them (:func:`use_batch_data`), the ingest
        runs first when the processed data is missing or stale, as ``open_report`` always did.

    Returns
    -------
    Dataset
        Shallow copies of the tables (edits stay in the copy); its tables count as the data
        version's tables for :func:`memoized` functions.
    """
    from .dataset import TABLES, read_processed

    processed = Path(processed_dir).resolve()
    raw = Path(raw_dir).resolve()
    with _lock:
        trusted = _trusted.get(str(processed))
    if trusted is not None and trusted[0] == str(raw):
        fingerprint = trusted[1]
    else:
        from .reports.inputs import ensure_processed

        ensure_processed(raw, processed)
        fingerprint = data_fingerprint(processed)
    with _lock:
        dataset = _datasets.get(fingerprint)
        if dataset is None:
            dataset = read_processed(processed)
            _stats["loads"] += 1
            _datasets[fingerprint] = dataset
            _results.setdefault(fingerprint, {})
            while len(_datasets) > KEEP_VERSIONS:
                old, _ = _datasets.popitem(last=False)
                _results.pop(old, None)
        _datasets.move_to_end(fingerprint)
        tables = {name: getattr(dataset, name).copy(deep=False) for name in TABLES}
        view = replace(dataset, **tables, inputs=list(dataset.inputs),
                       warnings=list(dataset.warnings))
        for name, table in tables.items():
            _register(table, fingerprint, name)
        _register(view, fingerprint, "dataset")
    return view


def dataset_fingerprint(dataset: object) -> str | None:
    """The data version of a dataset from :func:`load_dataset` (``None`` for any other)."""
    identity = _identity(dataset)
    return identity[0] if identity else None


def _key_part(value: object) -> object:
    """A hashable stand-in for an argument, or raise ``TypeError`` when it cannot be one."""
    import pandas as pd

    if isinstance(value, (pd.DataFrame, pd.Series)) or type(value).__name__ == "Dataset":
        identity = _identity(value)
        if identity is None:
            raise TypeError("not a table of a loaded dataset")
        return ("table", *identity)
    if value is None or isinstance(value, (str, int, float, bool, Path)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_key_part(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, repr(value))  # an Instrument: by value
    hash(value)
    return value


def memoized(function: F) -> F:
    """Remember ``function``'s results per data version (see the module's description).

    The wrapped function must be pure: same tables and arguments, same result. Callers get a
    deep copy, so they may edit what they receive.
    """
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            parts = tuple(_key_part(a) for a in args)
            named = tuple(sorted((k, _key_part(v)) for k, v in kwargs.items()))
        except TypeError:
            return function(*args, **kwargs)
        versions = {p[1] for p in (*parts, *(v for _, v in named))
                    if isinstance(p, tuple) and p[:1] == ("table",)}
        if len(versions) != 1:
            return function(*args, **kwargs)
        (fingerprint,) = versions
        key = (name, parts, named)
        with _lock:
            store = _results.get(fingerprint)
            hit = store is not None and key in store
            value = store[key] if hit else None
        if hit:
            _stats["hits"] += 1
            return copy.deepcopy(value)
        value = function(*args, **kwargs)
        _stats["misses"] += 1
        with _lock:
            store = _results.get(fingerprint)
            if store is not None:
                store[key] = copy.deepcopy(value)
        return value

    wrapper.__wrapped__ = function  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def stats() -> dict[str, int]:
    """Counts since the last :func:`clear`: memo ``hits`` and ``misses``, dataset ``loads``."""
    return dict(_stats)


def clear() -> None:
    """Forget every dataset, result and batch fingerprint of this process."""
    with _lock:
        _datasets.clear()
        _results.clear()
        _trusted.clear()
        _registry.clear()
        for key in _stats:
            _stats[key] = 0
