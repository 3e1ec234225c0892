"""``data/raw/sources.yml``: optional per-file overrides for layouts detection does not handle.

Example::

    files:
      "ใบลงชื่อ อบรม.xlsx":
        kind: attendance          # units | roster | attendance | survey | expert_review | ignore
        sheet: "Sheet1"           # only this sheet (default: every visible sheet)
        header_row: 4             # 1-based row of the header
        columns:                  # header as written → canonical field or item code
          "ชื่อผู้ลงทะเบียน": name
          "Q1": TMS1
    instrument: cleannet5         # instrument for every survey (name or path)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigError
from .headers import FIELD_ALIASES, KINDS


@dataclass
class FileRule:
    """What ``sources.yml`` says about one file."""

    kind: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class Sources:
    """The parsed ``sources.yml``."""

    files: dict[str, FileRule] = field(default_factory=dict)
    instrument: str | None = None
    path: Path | None = None

    def rule(self, relative_path: str) -> FileRule:
        """The rule for a file (by path relative to the raw folder, or by bare name)."""
        return self.files.get(relative_path) or self.files.get(Path(relative_path).name) or (
            FileRule()
        )


def load_sources(path: Path) -> Sources:
    """Read and check ``sources.yml``; a missing file means no overrides.

    Raises
    ------
    ConfigError
        Invalid YAML or an unknown kind or field, naming the file and the entry.
    """
    if not path.is_file():
        return Sources()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid UTF-8 YAML ({exc.__class__.__name__})")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'files' (and optional 'instrument')")
    unknown = set(data) - {"files", "instrument"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; valid: files, instrument")
    rules = {}
    for name, entry in (data.get("files") or {}).items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: files.{name}: expected a mapping")
        bad = set(entry) - {"kind", "sheet", "header_row", "columns"}
        if bad:
            raise ConfigError(f"{path}: files.{name}: unknown key(s) {sorted(bad)}; valid: "
                              "kind, sheet, header_row, columns")
        kind = entry.get("kind")
        if kind is not None and kind not in (*KINDS, "ignore"):
            raise ConfigError(f"{path}: files.{name}.kind {kind!r} is not one of "
                              f"{', '.join((*KINDS, 'ignore'))}")
        header_row = entry.get("header_row")
        if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
            raise ConfigError(f"{path}: files.{name}.header_row must be a row number (1 or more)")
        columns = {str(k): str(v) for k, v in (entry.get("columns") or {}).items()}
        rules[str(name)] = FileRule(kind, entry.get("sheet"), header_row, columns)
    instrument = data.get("instrument")
    return Sources(rules, str(instrument) if instrument else None, path)


def check_column_targets(sources: Sources, item_codes: list[str]) -> None:
    """Every ``columns`` target must be a field or an item code of the instrument.

    Raises
    ------
    ConfigError
        Naming the entry, the bad target and the valid ones.
    """
    fields = sorted(set(FIELD_ALIASES) - {"seq"})
    valid = set(fields) | set(item_codes)
    for name, rule in sources.files.items():
        for header, target in rule.columns.items():
            if target not in valid:
                raise ConfigError(
                    f"{sources.path}: files.{name}.columns[{header!r}] = {target!r} is neither "
                    f"a field ({', '.join(fields)}) nor an item code of the instrument "
                    f"({', '.join(item_codes[:5])} …)"
                )
