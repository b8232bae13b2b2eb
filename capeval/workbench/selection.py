"""What the workbench shows, without widgets: programmes, units, and each section's HTML.

The tabs of a unit are the sections its report notebook shows, in the notebook's order, each
drawn by the same :mod:`capeval.report` function. Store reads and drawn sections are cached
(keyed on the store's modification stamp, so a rebuilt store is read again), which keeps the
widgets quick on a second look.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from capeval import report
from capeval.narrative import narrative_digest
from capeval.parameters import NOTEBOOKS
from capeval.report.context import ReportContext
from capeval.store import UnitData, build_store
from capeval.store_meta import META
from capeval.units import UnitKind

ALL = ""  # the partner picker's entry for the whole track (or programme)
KINDS: tuple[UnitKind, ...] = ("partner", "track", "programme")
# The section call of a report notebook's cell: `report.<section>(ctx)`.
SECTION_CALL = re.compile(r"^\s*report\.(\w+)\(ctx\)\s*$", re.MULTILINE)


@cache
def report_sections(kind: UnitKind, notebooks: Path = NOTEBOOKS) -> tuple[str, ...]:
    """The sections the report of a ``kind`` shows, in order, read from its notebook's cells."""
    cells = json.loads((notebooks / f"{kind}_report.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    found = [match for source in sources for match in SECTION_CALL.findall(source)]
    return tuple(name for name in found if name in report.SECTIONS)


def tab_sections(kind: UnitKind) -> tuple[str, ...]:
    """The workbench's tabs for a unit of ``kind``: its report's sections after the title (the header)."""
    return tuple(name for name in report_sections(kind) if name != "title")


def find_programmes(root: str | Path, extra: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """Programme folders (with a ``programme.yaml``) directly under ``root``, then ``extra`` ones (resolved)."""
    base = Path(root)
    found = sorted(p.resolve() for p in base.iterdir() if (p / "programme.yaml").is_file()) if base.is_dir() else []
    for folder in extra:
        if (folder / "programme.yaml").is_file() and folder.resolve() not in found:
            found.append(folder.resolve())
    return found


def folder_labels(folders: list[Path]) -> list[tuple[str, str]]:
    """``(label, path)`` per folder: its name, with its parent folder's name when two share a name."""
    names = [f.name for f in folders]
    return [(f"{f.name} ({f.parent.name}/)" if names.count(f.name) > 1 else f.name, str(f)) for f in folders]


class PartnerRow(NamedTuple):
    """A partner as the pickers and filters need it."""

    id: str
    name: str
    track: str  # "" when in no track
    kind: str
    country: str
    activity_types: frozenset[str]


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
    partners: tuple[PartnerRow, ...]

    def track_of(self, partner_id: str) -> str:
        """The track of a partner ("" when none)."""
        return next((p.track for p in self.partners if p.id == partner_id), "")

    def name_of(self, kind: UnitKind, unit_id: str) -> str:
        """The name of a unit as the pickers show it."""
        if kind == "partner":
            return next((p.name for p in self.partners if p.id == unit_id), unit_id)
        if kind == "track":
            return dict(self.tracks).get(unit_id, unit_id)
        return self.title


def open_programme(folder: str | Path) -> Programme:
    """Build (or reuse) the programme's store and describe it; a CapevalError says why it cannot."""
    store = build_store(folder).resolve()
    return _describe(str(store), (store / META).stat().st_mtime_ns, str(folder))


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)


@lru_cache(maxsize=32)
def _describe(store: str, stamp: int, folder: str) -> Programme:
    from capeval.store import Store

    read = Store(store)
    config, tracks, partners = read.config, read.tracks, read.partners
    activities = read.table("activities")
    types = {str(pid): frozenset(map(str, rows.dropna())) for pid, rows in activities.groupby("partner_id")["type"]}
    empty = pd.Series([None] * len(partners), dtype="object")
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
            PartnerRow(str(i), str(n), _text(t), _text(k), _text(c), types.get(str(i), frozenset()))
            for i, n, t, k, c in zip(
                partners["partner_id"],
                partners["name"],
                partners.get("track_id", empty),
                partners.get("kind", empty),
                partners.get("country", empty),
                strict=True,
            )
        ),
    )


def chosen_unit(programme: Programme, track: str, partner: str) -> tuple[UnitKind, str]:
    """The unit the tabs show: the partner, else the whole track, else the whole programme."""
    if partner != ALL:
        return "partner", partner
    if track != ALL:
        return "track", track
    return "programme", programme.id


def partners_of(programme: Programme, kind: UnitKind, unit_id: str) -> list[str]:
    """The partner ids a unit covers."""
    if kind == "partner":
        return [unit_id]
    return [p.id for p in programme.partners if kind == "programme" or p.track == unit_id]


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
    narrative: str = ""  # digest of the unit's narrative files: an edited narrative is drawn anew


def view_of(
    programme: Programme,
    kind: UnitKind,
    unit_id: str,
    *,
    language: str,
    min_group_size: int,
    wave: int | None = None,
) -> View:
    """The view of one unit of ``programme`` in a language, at a threshold, in one wave or all."""
    narrative = narrative_digest(programme.store.parent, kind, unit_id)  # where the report reads it
    return View(str(programme.store), programme.stamp, kind, unit_id, language, min_group_size, wave, narrative)


@lru_cache(maxsize=64)
def report_context(store: str, stamp: int, kind: UnitKind, unit_id: str, *, language: str, size: int) -> ReportContext:
    """The unit's report context, read from the store once per (unit, language, group size)."""
    return report.open_report(store, kind, unit_id, language=language, min_group_size=size)


def in_wave(data: UnitData, wave: int) -> UnitData:
    """``data`` with only the rows of ``wave`` in every table that has waves (the benchmarks keep all)."""
    tables = {
        name: frame[frame["wave"] == wave].reset_index(drop=True) if "wave" in frame.columns else frame
        for name, frame in data.all_tables().items()  # the answers too where the store's results stood for them
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


def draw_section(view: View, section: str) -> str:
    """The HTML of one section of ``view``'s report (uncached: figures are drawn anew)."""
    return str(getattr(report, section)(context_for(view)).html)


def bare_section(view: View, section: str) -> str:
    """One section of ``view`` without the evaluator's narrative (which :func:`draw_section` places around it)."""
    from importlib import import_module

    module, function = report.SECTIONS[section]
    return str(getattr(import_module(f"capeval.report.{module}"), function)(context_for(view)))


# Sections that list what the sections above them hid (the release records it as they are drawn).
READS_WHAT_WAS_HIDDEN = frozenset({"method_notes"})


@lru_cache(maxsize=512)
def section_html(view: View, section: str) -> str:
    """The HTML of one section (a name of :data:`capeval.report.SECTIONS`) for ``view``; the method notes
    after every section above them, as in the report, whichever tab was opened first."""
    if section in READS_WHAT_WAS_HIDDEN:
        order = report_sections(view.kind)
        for earlier in order[: order.index(section)] if section in order else ():
            section_html(view, earlier)
    return draw_section(view, section)


def clear_caches() -> None:
    """Forget every cached store read and drawn section."""
    for cached in (_describe, report_context, section_html):
        cached.cache_clear()
