"""The registry of export formats: each format module registers one :class:`ExportFormat`.

A format knows how to read its files into sheets, which columns are the tool's own
bookkeeping (meta columns, never items), which are always personal data, which column
usually identifies a respondent and how select-multiple answers are joined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from capeval.ingest.errors import ExportFormatError
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


_REGISTRY: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    """Add a format to the registry (called by each format module at import)."""
    _REGISTRY[fmt.name] = fmt
    return fmt


def get_format(name: str) -> ExportFormat:
    """The registered format called ``name``; ExportFormatError lists the known ones."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise ExportFormatError(f"unknown export format '{name}' (known: {known})") from None


def registered() -> tuple[str, ...]:
    _load_builtin()
    return tuple(_REGISTRY)


def _load_builtin() -> None:
    # Importing the modules registers their formats; kept lazy so that openpyxl loads only when used.
    from capeval.ingest import dutch_csv, googleforms, kobo, limesurvey, msforms, tmd  # noqa: F401
