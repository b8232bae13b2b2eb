"""Jobs and entries: plain data that planning, the executors and the manifest all share.

A :class:`Job` is one report to render (paths and JSON parameters, so it pickles and
travels to any executor); an :class:`Entry` is what happened to it. This module imports
only the unit kinds and the errors, so an engine can take a job without importing the orchestrator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from capeval.errors import ReportCellError, ReportError

ReportKind = Literal["partner", "track", "programme", "internal"]
"""The kinds of report: one per kind of unit, and the programme manager's internal programme report."""

FOLDERS: dict[str, str] = {"partner": "partners", "track": "tracks", "programme": "programme", "internal": "programme"}
"""The sub-folder of a programme's report folder that holds each kind's reports."""


@dataclass
class Entry:
    """A manifest entry: what happened to one report (and what it cost, when it ran)."""

    unit: str
    kind: str
    name: str
    track_id: str | None
    status: str  # ok | failed | skipped
    input_hash: str
    seconds: float
    path: str | None
    error: str | None = None
    cpu_seconds: float | None = None
    peak_mb: float | None = None  # peak resident memory of the report's process
    cell: int | None = None  # a failed report: the cell that raised (from 1, in the notebook kept in _failed/)
    source: str | None = None  # … that cell's code
    traceback: str | None = None  # … and its traceback, as plain text
    language: str | None = None  # the report's language (None in a manifest from before two languages)
    files: list[dict[str, str]] = field(default_factory=list)  # every file of the report: path, format, language
    min_group_size: int | None = None  # the suppression threshold, when the render used another than the programme's

    def key(self, programme_language: str) -> tuple[str, str, str]:
        """(kind, unit, language): one report; an entry without a language is in ``programme_language``."""
        return (self.kind, self.unit, self.language or programme_language)

    def failed(self, error: ReportError) -> None:
        """Mark this entry failed with ``error``: its words, and the cell, source and traceback when a cell raised."""
        self.status, self.error = "failed", error.message
        if isinstance(error, ReportCellError):
            self.cell, self.source, self.traceback = error.cell, error.source, error.traceback


@dataclass(frozen=True)
class Job:
    """One report to render: a notebook, its JSON parameters and where the HTML goes."""

    programme_id: str
    programme_title: str
    kind: ReportKind  # a unit's kind, or "internal" (the programme's unit, another notebook and file)
    unit_id: str
    unit_name: str
    track_id: str | None
    notebook: str
    parameters: dict[str, Any]
    path: str  # relative to the programme's report folder
    input_hash: str
    language: str
    title: str
    timeout: int = 600  # whole seconds (capeval.options): nbclient refuses a float
    engine: str = "inprocess"
    programme_language: str = ""  # the programme's own language ("" : the report's)
    track_noun: str = "learning_track"  # what the programme calls a track (programme.yaml)

    @property
    def key(self) -> tuple[str, str, str]:
        """(kind, unit, language): a report in a second language is another report, beside the first."""
        return (self.kind, self.unit_id, self.language)

    def entry(self, status: str, seconds: float = 0.0) -> Entry:
        """This job's manifest entry with ``status`` (and the time it took, when it ran)."""
        entry = Entry(
            self.unit_id, self.kind, self.unit_name, self.track_id, status, self.input_hash, seconds, self.path
        )
        entry.language = self.language
        size = self.parameters.get("min_group_size")  # a report's parameters carry it only when it differs
        entry.min_group_size = int(size) if size is not None else None
        return entry
