"""What an import will write, before anything is written: new rows per table, problems,
quarantined export rows, incomplete responses kept apart, notes for the user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capeval.errors import Problem

Row = dict[str, object]

QUARANTINE_REASON = "_reason"


@dataclass
class PlanContext:
    """What the target folder already holds that the rows must agree with."""

    root: Path
    salt: bytes
    partner_ids: set[str]
    activity_ids: set[str]
    wave_ids: set[int]
    programme_exists: bool
    language: str = "en"


@dataclass
class Planned:
    """Rows to add per table, plus everything the user must hear about."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)
    quarantined: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    incomplete: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)
    programme: dict[str, Any] | None = None
    new_waves: list[dict[str, Any]] = field(default_factory=list)
    new_activity_types: list[str] = field(default_factory=list)
    after_write: list[Callable[[Path], None]] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)

    def add(self, table: str, row: Row) -> None:
        self.tables[table].append(row)

    def quarantine(self, stem: str, line: int, sheet: str, cells: Row, reasons: list[str]) -> None:
        row: Row = {"_sheet": sheet, "_line": line, **cells, QUARANTINE_REASON: "; ".join(reasons)}
        self.quarantined[stem].append(row)

    def merge(self, other: Planned) -> None:
        for name, rows in other.tables.items():
            self.tables[name].extend(rows)
        self.problems.extend(other.problems)
        for stem, rows in other.quarantined.items():
            self.quarantined[stem].extend(rows)
        for stem, rows in other.incomplete.items():
            self.incomplete[stem].extend(rows)
        self.notes.extend(other.notes)
        self.programme = self.programme or other.programme
        self.new_waves.extend(w for w in other.new_waves if w not in self.new_waves)
        self.new_activity_types.extend(t for t in other.new_activity_types if t not in self.new_activity_types)
        self.after_write.extend(other.after_write)
        self.stems.extend(other.stems)
