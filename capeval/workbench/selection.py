"""What the workbench shows, without widgets: programmes, units, and each section's HTML.

Every section is drawn by the same :mod:`capeval.report` function a report uses. Store
reads and drawn sections are cached (keyed on the store's modification stamp, so a
rebuilt store is read again), which keeps the widgets quick on a second look.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from capeval import report
from capeval.report.context import ReportContext
from capeval.store import META, UnitData, UnitKind, build_store

# The tabs, in order: the report section that draws each one.
SECTIONS: dict[str, Callable[[ReportContext], report.Section]] = {
    "activities": report.activities,
    "kirkpatrick": report.kirkpatrick,
    "criteria": report.criteria,
    "gaps": report.gaps,
    "lessons": report.lessons,
    "scaling": report.scaling,
    "actions": report.actions,
}
# What a wave filter means for a section, when more than "only that wave" (label keys).
WAVE_NOTES: dict[str, str] = {
    "activities": "wb_wave_note_activities",
    "kirkpatrick": "wb_wave_note_kirkpatrick",
    "criteria": "wb_wave_note_criteria",
    "actions": "wb_wave_note_actions",
}
ALL = ""  # the partner picker's entry for the whole track (or programme)


def find_programmes(root: str | Path, extra: Iterable[str | Path] = ()) -> list[Path]:
    """Programme folders (with a ``programme.yaml``) directly under ``root``, then ``extra`` ones."""
    base = Path(root)
    found = sorted(p for p in base.iterdir() if (p / "programme.yaml").is_file()) if base.is_dir() else []
    for folder in map(Path, extra):
        if (folder / "programme.yaml").is_file() and folder.resolve() not in {p.resolve() for p in found}:
            found.append(folder)
    return found


@dataclass(frozen=True)
class Programme:
    """A programme as the pickers need it: its store, defaults, waves, tracks and partners."""

    folder: Path
    store: Path
    stamp: int  # the store's modification time: a new stamp means a rebuilt store
    id: str
    title: str
    language: str
    min_group_size: int
    waves: tuple[tuple[int, str], ...]  # (id, label)
    tracks: tuple[tuple[str, str], ...]  # (track_id, name)
    partners: tuple[tuple[str, str, str], ...]  # (partner_id, name, track_id or "")


def open_programme(folder: str | Path) -> Programme:
    """Build (or reuse) the programme's store and describe it; StoreError when it has no valid partner."""
    store = build_store(folder).resolve()
    return _describe(str(store), (store / META).stat().st_mtime_ns, str(folder))


@lru_cache(maxsize=32)
def _describe(store: str, stamp: int, folder: str) -> Programme:
    from capeval.store import Store

    read = Store(store)
    config = read.config
    tracks = read.tracks
    partners = read.partners
    track_ids = partners["track_id"] if "track_id" in partners else pd.Series([None] * len(partners))
    return Programme(
        folder=Path(folder),
        store=Path(store),
        stamp=stamp,
        id=config.id,
        title=config.title,
        language=config.language,
        min_group_size=config.min_group_size,
        waves=tuple((w.id, w.label) for w in config.waves),
        tracks=tuple((str(i), str(n)) for i, n in zip(tracks["track_id"], tracks["name"], strict=True)),
        partners=tuple(
            (str(i), str(n), "" if pd.isna(t) else str(t))
            for i, n, t in zip(partners["partner_id"], partners["name"], track_ids, strict=True)
        ),
    )


def partner_choices(programme: Programme, track: str = ALL, search: str = "") -> list[tuple[str, str]]:
    """``(label, partner_id)`` of the partners in ``track`` whose name or id contains ``search`` (any case)."""
    needle = search.strip().casefold()
    return [
        (f"{name} ({pid})", pid)
        for pid, name, in_track in programme.partners
        if track in (ALL, in_track) and (needle in pid.casefold() or needle in name.casefold())
    ]


def chosen_unit(programme: Programme, track: str, partner: str) -> tuple[UnitKind, str]:
    """The unit the tabs show: the partner, else the whole track, else the whole programme."""
    if partner != ALL:
        return "partner", partner
    if track != ALL:
        return "track", track
    return "programme", programme.id


def partners_of(programme: Programme, kind: UnitKind, unit_id: str) -> list[str]:
    """The partner ids whose reports the unit's "render reports" writes."""
    if kind == "partner":
        return [unit_id]
    return [pid for pid, _, track in programme.partners if kind == "programme" or track == unit_id]


@dataclass(frozen=True)
class View:
    """One look at a unit: what a drawn section depends on (and its cache key)."""

    store: str
    stamp: int
    kind: UnitKind
    unit_id: str
    language: str
    min_group_size: int
    wave: int | None = None


def view_of(
    programme: Programme,
    kind: UnitKind,
    unit_id: str,
    *,
    language: str,
    min_group_size: int,
    wave: int | None = None,
) -> View:
    return View(str(programme.store), programme.stamp, kind, unit_id, language, min_group_size, wave)


@lru_cache(maxsize=64)
def report_context(store: str, stamp: int, kind: UnitKind, unit_id: str, *, language: str, size: int) -> ReportContext:
    """The unit's report context, read from the store once per (unit, language, group size)."""
    return report.open_report(store, kind, unit_id, language=language, min_group_size=size)


def in_wave(data: UnitData, wave: int) -> UnitData:
    """``data`` with only the rows of ``wave`` in every table that has waves (the benchmarks keep all)."""
    tables = {
        name: frame[frame["wave"] == wave].reset_index(drop=True) if "wave" in frame.columns else frame
        for name, frame in data.tables.items()
    }
    return dataclasses.replace(data, tables=tables)


def context_for(view: View) -> ReportContext:
    """The report context a section of ``view`` is drawn from (cached; filtered by wave if chosen)."""
    ctx = report_context(
        view.store, view.stamp, view.kind, view.unit_id, language=view.language, size=view.min_group_size
    )
    if view.wave is None:
        return ctx
    return dataclasses.replace(ctx, data=in_wave(ctx.data, view.wave))


@lru_cache(maxsize=512)
def section_html(view: View, section: str) -> str:
    """The HTML of one section (``title`` or a key of :data:`SECTIONS`) for ``view``."""
    draw = report.title if section == "title" else SECTIONS[section]
    return draw(context_for(view)).html


def wave_note_key(view: View, section: str) -> str | None:
    """The label saying what the chosen wave does to ``section``; None when all waves are shown."""
    if view.wave is None:
        return None
    return WAVE_NOTES.get(section, "wb_wave_only")


def clear_caches() -> None:
    """Forget every cached store read and drawn section."""
    for cached in (_describe, report_context, section_html):
        cached.cache_clear()
