"""``reports/<programme>/manifest.json``: what each report of a programme is, where it is and how it went.

The manifest is the one record of a programme's rendered reports: the index pages, the
bundles and the leak audit read it (and only it), the batch writes it. Schema 1::

    {"schema_version": 1, "programme", "title", "language", "capeval_version",
     "reports": [{"unit", "kind", "name", "track_id", "status", "input_hash", "seconds",
                  "path", "error", "cpu_seconds", "peak_mb", "min_group_size"}, …]}

``min_group_size`` is set when a report was rendered with another suppression threshold than
the programme's (its reports are then a release of their own), else null.

An entry may carry more keys than :class:`~capeval.jobs.Entry` knows (a later capeval, or
extra files per report); readers keep what they know.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from capeval import __version__
from capeval.files import write_atomic
from capeval.jobs import Entry
from capeval.log import logger

MANIFEST = "manifest.json"
MANIFEST_SCHEMA = 1


@dataclass(frozen=True)
class Programme:
    """The manifest's head: which programme, its title, the language of its pages and what it calls a track
    (programme.yaml ``track_noun``: a bundle's index says "pilot" where the programme does)."""

    programme_id: str
    title: str
    language: str
    track_noun: str = "learning_track"


def manifest_path(folder: Path) -> Path:
    """Where the manifest of the programme report folder ``folder`` is."""
    return folder / MANIFEST


def read_manifest(folder: Path) -> dict[str, Any]:
    """``folder/manifest.json`` as written by :func:`write_manifest` (empty when missing or unreadable)."""
    path = manifest_path(folder)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("ignoring unreadable manifest %s", path)
        return {}
    return data if isinstance(data, dict) else {}


def manifest_reports(folder: Path) -> list[dict[str, Any]]:
    """The report records of ``folder/manifest.json`` as written (empty when there is none)."""
    reports = read_manifest(folder).get("reports", [])
    return [r for r in reports if isinstance(r, dict)] if isinstance(reports, list) else []


def manifest_entries(folder: Path) -> list[Entry]:
    """The report entries of ``folder/manifest.json``; none when an entry lacks a field."""
    names = {f.name for f in fields(Entry)}
    try:
        return [Entry(**{k: v for k, v in r.items() if k in names}) for r in manifest_reports(folder)]
    except TypeError:  # an entry lacks a field: treat the manifest as absent
        logger.warning("ignoring manifest with incomplete entries in %s", folder)
        return []


def manifest_record(entry: Entry) -> dict[str, Any]:
    """One report's record in the manifest (extend here to list more per report)."""
    return asdict(entry)


def write_manifest(folder: Path, programme: Programme, entries: Iterable[Entry]) -> None:
    """Write ``folder/manifest.json`` (schema 1): the programme and one record per report, by kind and unit."""
    ordered = sorted(entries, key=lambda e: (e.kind, e.unit))
    data = {
        "schema_version": MANIFEST_SCHEMA,
        "programme": programme.programme_id,
        "title": programme.title,
        "language": programme.language,
        "track_noun": programme.track_noun,
        "capeval_version": __version__,
        "reports": [manifest_record(e) for e in ordered],
    }
    write_atomic(manifest_path(folder), json.dumps(data, indent=1, ensure_ascii=False) + "\n")
