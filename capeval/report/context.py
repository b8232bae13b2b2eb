"""What a report notebook opens: one unit's data, its language and its parameters."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from capeval.analysis.redaction import redact_tables, redaction_marks
from capeval.analysis.release import Release, scope_key
from capeval.i18n import country_name, noun_key, number, own_word, t
from capeval.options import REPORT_OPTIONS, ReportOptions, resolve, set_values
from capeval.store import LazyTables, Store, UnitData
from capeval.store_aggregates import StoredResults
from capeval.units import UnitKind

if TYPE_CHECKING:
    from capeval.report.analyses import Analyses


@dataclass
class ReportContext:
    """One report's unit slice, language and the parameters it was rendered with."""

    store: Store
    data: UnitData
    language: str
    parameters: dict[str, Any] = field(default_factory=dict)
    release: Release | None = None
    options: ReportOptions = field(default_factory=ReportOptions)  # effective: given, else the programme's

    def __post_init__(self) -> None:
        if self.release is None:
            self.release = self.store.release(self.kind, self.unit_id, self.min_group_size)

    @cached_property
    def analyses(self) -> Analyses:
        """This report's analyses, each computed once and shared by the sections (:mod:`capeval.report.analyses`)."""
        from capeval.report.analyses import Analyses  # it builds on this module's ReportContext

        return Analyses(self)

    @property
    def decisions(self) -> Release:
        """The programme's release decisions for this report (what it may show, and what it hid)."""
        assert self.release is not None  # set in __post_init__
        return self.release

    @property
    def scope(self) -> str:
        """This report's own scope key in the release."""
        return scope_key(self.kind, self.unit_id)

    @property
    def narrative_kind(self) -> str:
        """The narrative this report shows: its kind's, or ``programme-internal`` for the internal programme report."""
        return "programme-internal" if self.parameters.get("audience") == "internal" else self.kind

    @property
    def kind(self) -> UnitKind:
        return self.data.kind

    @property
    def unit_id(self) -> str:
        return self.data.unit_id

    @property
    def min_group_size(self) -> int:
        value = self.parameters.get("min_group_size")
        return int(value) if value else self.data.config.min_group_size

    @property
    def name(self) -> str:
        if self.kind == "partner":
            return str(self.data.partners["name"].iloc[0])
        if self.kind == "track":
            tracks = self.data.tables["tracks"]
            return str(tracks.loc[tracks["track_id"] == self.unit_id, "name"].iloc[0])
        return self.data.config.title

    def t(self, key: str, /, **values: Any) -> str:
        """The label ``key`` in the report's language; the programme's own noun for its tracks (programme.yaml
        ``track_noun``, e.g. pilot) picks the label's variant ``<key>__<noun>`` where the table has one."""
        return t(noun_key(key, self.data.config.track_noun), self.language, **values)

    def n(self, value: float | int | None, digits: int = 1) -> str:
        return number(value, self.language, digits)

    def service_label(self, service: str) -> str:
        labels = {s.id: s.label for s in self.data.config.services}
        return labels.get(service, service)

    def dimension_label(self, dimension: object) -> str:
        """A dimension of items.csv as the report names it: programme.yaml's label (commitments, added value,
        event feedback), else the Kirkpatrick dimension in the report's language."""
        config = self.data.config
        blocks = [
            *config.commitments,
            *config.added_value,
            *(config.event_feedback.dimensions if config.event_feedback else []),
        ]
        labels = {d.id: d.label for d in blocks}
        return labels.get(str(dimension)) or own_word("dim_", dimension, dimension, self.language)

    def kind_label(self, kind: object) -> str:
        """A kind of organisation (partners.csv ``kind``) in the report's language, else as written."""
        return own_word("org_kind_", kind, kind, self.language)

    def country_label(self, code: object) -> str:
        """A country's name in the report's language for its code (babel's CLDR territories)."""
        return country_name(code, self.language)

    def activity_label(self, activity_type: object) -> str:
        labels = {a.id: a.label for a in self.data.config.activity_types}
        return labels.get(str(activity_type), str(activity_type))


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)
MMAP_FROM = 256 * 1024  # blocks from this size on are mapped alone, and unmapped when freed


def return_freed_memory() -> None:
    """Let this process give the memory of freed large tables back to the system.

    glibc raises its threshold for mapping a block alone each time such a block is freed, so
    an analysis's freed 8 MB columns stay in the heap and the next analysis adds its own on top
    (a programme report at 1 M answers grew by 150 MB); a fixed threshold, and Arrow's buffers
    from the same allocator, keep a report's memory at what it holds. Elsewhere than glibc: unchanged.
    """
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, MMAP_FROM)
    except (OSError, AttributeError):
        return
    pa.set_memory_pool(pa.system_memory_pool())


def open_report(
    programme: str, kind: UnitKind, unit_id: str, *, options: ReportOptions | None = None, **given: Any
) -> ReportContext:
    """Open the store of ``programme`` (its folder or store path) for one unit's report.

    For ``kind`` "programme" an empty ``unit_id`` is the programme's own id. The report options
    (:mod:`capeval.options`) come as ``options`` or by name (``language="nl"``,
    ``min_group_size=8``); one left unset (None) is the programme's, else its default.
    """
    return_freed_memory()
    unknown = sorted(set(given) - set(REPORT_OPTIONS))
    if unknown:
        raise TypeError(f"open_report() got unknown options: {', '.join(unknown)} (see capeval/options.py)")
    store = Store(programme)
    unit_id = unit_id or (store.config.id if kind == "programme" else unit_id)
    chosen = resolve(given, set_values(options) if options else None, programme=store.config)
    data = store.unit(kind, unit_id, results=_stored_results(store, kind, chosen))
    lang = str(chosen.language)
    # every free-text field a section may show goes through the one redaction first
    read = data.tables
    tables = redact_tables(read, redaction_marks(lang))
    if isinstance(read, LazyTables):
        if any(tables[name] is not read[name] for name in ANALYSED):  # the stored results saw other text
            tables |= {name: store.table(name, compact=True) for name in read.lazy}
            data = replace(data, results=None)
        else:
            tables = read.like(tables)
    data = replace(data, tables=tables, partners=tables["partners"])
    params = {"programme": programme, "kind": kind, "unit_id": unit_id, **chosen.model_dump()}
    ctx = ReportContext(store=store, data=data, language=lang, parameters=params, options=chosen)
    trim_heap()
    return ctx


# the tables whose text the programme report's analyses of the answers read (dimensions, names)
ANALYSED = ("items", "partners", "tracks", "activities")


def _stored_results(store: Store, kind: UnitKind, chosen: ReportOptions) -> StoredResults | None:
    """The store's results of the answers when this report may use them: a programme report at the threshold
    they were computed at."""
    if kind != "programme":
        return None
    return store.stored_results(int(chosen.min_group_size or store.config.min_group_size))


def trim_heap() -> None:
    """Give the heap's free memory back to the system (glibc): reading a million answers leaves about 20 MB
    of freed small blocks in the heap, which the analyses' large temporaries do not reuse. Elsewhere: nothing."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return
