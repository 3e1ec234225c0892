"""What a report depends on: fresh processed data, the SHA-256 of every input, a fingerprint.

``ensure_processed`` runs the ingest when ``data/processed`` is missing or older than
``data/raw`` (a raw spreadsheet was added, removed or changed since, or ``sources.yml`` is
newer), so that ``cleannet-eval report`` alone works. ``fingerprint`` hashes everything a report
is built from; ``changed_only`` skips a report whose existing HTML carries the same one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from .. import config
from ..dataset import MANIFEST_NAME
from ..errors import ConfigError
from ..files import sha256_file
from ..version import __version__
from .index import INDEX_TEMPLATE

logger = logging.getLogger(__name__)

# nbconvert re-serialises the page, so the attributes may come in any order.
_FINGERPRINT_META = re.compile(rb'<meta\b[^>]*\bname="cleannet-fingerprint"[^>]*>')
_CONTENT = re.compile(rb'\bcontent="([0-9a-f]*)"')


def _raw_files(raw_dir: Path) -> list[Path]:
    from ..ingest.pipeline import discover_files

    if not raw_dir.is_dir():
        return []
    spreadsheets, _ = discover_files(raw_dir)
    sources = raw_dir / config.SOURCES_FILE_NAME
    return spreadsheets + ([sources] if sources.is_file() else [])


def processed_is_stale(raw_dir: str | Path, processed_dir: str | Path) -> str | None:
    """Why ``processed_dir`` must be rebuilt from ``raw_dir``, or ``None`` when it is current.

    Stale means: no processed manifest; or the raw spreadsheets (names and SHA-256) differ from
    those the manifest records; or ``sources.yml`` is newer than the manifest.
    """
    raw, processed = Path(raw_dir), Path(processed_dir)
    manifest_path = processed / MANIFEST_NAME
    files = _raw_files(raw)
    if not manifest_path.is_file():
        return "no processed data yet" if files else None
    if not files:
        return None  # nothing to ingest from: use the processed data as it is
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    recorded = {str(item.get("file")): item.get("sha256") for item in manifest.get("inputs", [])}
    current = {
        p.relative_to(raw).as_posix(): sha256_file(p)
        for p in files if p.name != config.SOURCES_FILE_NAME
    }
    if recorded != current:
        changed = sorted(set(recorded.items()) ^ set(current.items()))
        return f"raw data changed since the last ingest ({changed[0][0]}…)"
    sources = raw / config.SOURCES_FILE_NAME
    if sources.is_file() and sources.stat().st_mtime > manifest_path.stat().st_mtime:
        return f"{config.SOURCES_FILE_NAME} is newer than the processed data"
    return None


def ensure_processed(raw_dir: str | Path, processed_dir: str | Path) -> bool:
    """Run the ingest when the processed data is missing or stale; ``True`` if it ran.

    Raises
    ------
    ConfigError
        Neither raw nor processed data exists.
    InputError
        The raw data is invalid (from the ingest).
    """
    raw, processed = Path(raw_dir), Path(processed_dir)
    reason = processed_is_stale(raw, processed)
    if reason is None:
        if not (processed / MANIFEST_NAME).is_file():
            raise ConfigError(
                f"No data: {raw} has no spreadsheets and {processed} no processed tables. "
                "Put the office spreadsheets in the raw folder (or run 'cleannet-eval demo')."
            )
        return False
    from ..ingest.pipeline import ingest

    instrument = None
    old_manifest = processed / MANIFEST_NAME
    if old_manifest.is_file():  # keep the instrument the data was ingested with
        instrument = json.loads(old_manifest.read_text(encoding="utf-8")).get("instrument_path")
        if instrument and not Path(instrument).is_file():
            instrument = None
    logger.info("ingesting %s → %s: %s", raw, processed, reason)
    ingest(raw, processed, instrument)
    return True


def instrument_parameter(processed_dir: str | Path) -> str:
    """The instrument the processed data follows: a shipped name, or its YAML path."""
    manifest_path = Path(processed_dir) / MANIFEST_NAME
    if not manifest_path.is_file():
        return config.DEFAULT_INSTRUMENT
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    path = manifest.get("instrument_path")
    if path and Path(path).parent.resolve() != config.INSTRUMENTS_DIR.resolve():
        return str(path)
    return str(manifest.get("instrument") or config.DEFAULT_INSTRUMENT)


def input_files(raw_dir: str | Path, processed_dir: str | Path) -> list[dict[str, str]]:
    """``{"path", "sha256"}`` of every raw and processed file, as ``raw/…`` and ``processed/…``.

    Paths are relative to their folder, so the same data gives the same list on any machine.
    """
    raw, processed = Path(raw_dir), Path(processed_dir)
    items = [{"path": f"raw/{p.relative_to(raw).as_posix()}", "sha256": sha256_file(p)}
             for p in _raw_files(raw)]
    if processed.is_dir():
        items += [
            {"path": f"processed/{p.relative_to(processed).as_posix()}", "sha256": sha256_file(p)}
            for p in sorted(processed.rglob("*"))
            if p.is_file() and not p.name.startswith(".")
        ]
    return items


def template_digest() -> str:
    """SHA-256 over the report template, fonts, the catalogue of words and both plotly.js
    bundles: a change rebuilds every report."""
    from .bundles import bundle_path

    digest = hashlib.sha256(sha256_file(bundle_path("full")).encode())
    digest.update(sha256_file(bundle_path("partial")).encode())
    for folder in (config.PACKAGE_DATA_DIR / "templates", config.PACKAGE_DATA_DIR / "fonts",
                   config.PACKAGE_DATA_DIR / "words"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != INDEX_TEMPLATE:
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(sha256_file(path).encode())
    return digest.hexdigest()


def fingerprint(
    parameters: Mapping[str, object],
    inputs: Sequence[Mapping[str, str]],
    *,
    assets: str,
    template: str,
    version: str = __version__,
) -> str:
    """SHA-256 of everything a report is built from (inputs include the notebook)."""
    payload = {
        "parameters": dict(parameters),
        "inputs": [[item["path"], item["sha256"]] for item in inputs],
        "assets": assets,
        "template": template,
        "version": version,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_fingerprint(html_path: str | Path) -> str | None:
    """The fingerprint stored in a report's ``<head>``, or ``None``."""
    path = Path(html_path)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        head = handle.read(8192)
    tag = _FINGERPRINT_META.search(head)
    content = _CONTENT.search(tag.group(0)) if tag else None
    return content.group(1).decode() if content else None
