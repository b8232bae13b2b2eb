"""What an export format is: :class:`ExportFormat`, which each format module declares as its ``FORMAT``.

A format knows how to read its files into sheets, which columns are the tool's own
bookkeeping (meta columns, never items), which are always personal data, which column
usually identifies a respondent and how select-multiple answers are joined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from capeval.ingest.sources import Export

if TYPE_CHECKING:
    from capeval.ingest.plan import PlanContext, Planned

Record = dict[str, object]


@dataclass(frozen=True)
class ExportFormat:
    """How one survey tool writes its exports."""

    name: str
    read: Callable[[Path], Export]
    meta_columns: frozenset[str] = frozenset()
    meta_prefixes: tuple[str, ...] = ()
    personal_columns: frozenset[str] = frozenset()
    respondent_columns: tuple[str, ...] = ()
    multi_separator: str = ";"
    is_incomplete: Callable[[Record], bool] | None = None
    needs_mapping: bool = True
    description: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    # A format that needs no mapping plans its rows itself (ELIXIR TMD).
    plan: Callable[[Sequence[Path], PlanContext], Planned] | None = None

    def is_meta(self, column: str) -> bool:
        lowered = column.strip().casefold()
        return lowered in self.meta_columns or lowered.startswith(self.meta_prefixes)

    def is_personal(self, column: str) -> bool:
        return column.strip().casefold() in self.personal_columns
