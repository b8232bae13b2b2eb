"""The columnar store: a programme validated once, written as Parquet, read per unit.

Layout of ``<programme>/_store/``: one ``<table>.parquet`` per table (sorted by the unit
column so a unit's read touches only its row groups), ``bench_<name>.parquet`` for the
precomputed programme benchmarks, ``meta.json`` with the config, hashes and counts (a few KB at any
size: every report reads it), and ``unit_hashes.json`` with a hash per unit (read only when a run is
planned). A report reads its unit's rows only, strings backed by Arrow (see :data:`COMPACT_STRING`).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from capeval.analysis.compare import HeadlineFigures
from capeval.analysis.privacy import decide_release
from capeval.analysis.release import CELL_COLUMNS, PROGRAMME, Release, links, scope_key
from capeval.errors import StoreError
from capeval.log import logger
from capeval.schema import SCHEMA_VERSION, ProgrammeConfig
from capeval.store_aggregates import (
    COMPACT_STRING,
    StoredResults,
    answer_result,
    compact_frame,
    headline_figures_of,
    large_strings,
)
from capeval.store_build import RELEASE, RELEASE_FAMILIES, build_store, write_table
from capeval.store_meta import META, STORE_DIR, UNIT_HASHES, combined_unit_hash, store_damage
from capeval.store_meta import read_meta as _read_meta
from capeval.table_specs import TABLE_ORDER, unit_column
from capeval.units import UnitKind

# the store is built (capeval.store_build) and read here: callers import both from this module
__all__ = [
    "COMPACT_STRING", "META", "UNIT_HASHES", "Store", "UnitData", "build_store", "store_damage",
]  # fmt: skip


class LazyTables(dict[str, pd.DataFrame]):
    """A unit's tables where those in ``lazy`` are not held: each is read again from the store whenever a
    section asks for it, and let go when that section is done (a programme report that reads the stored
    results of its answers holds no answers; a section not converted to them still gets them)."""

    def __init__(
        self, tables: Mapping[str, pd.DataFrame], read: Callable[[str], pd.DataFrame], lazy: Mapping[str, int]
    ):
        super().__init__(tables)
        self.read = read
        self.lazy = dict(lazy)  # name -> its number of rows (has() asks without reading)

    def __missing__(self, name: str) -> pd.DataFrame:
        if name not in self.lazy:
            raise KeyError(name)
        logger.debug("table %s read again from the store", name)
        return self.read(name)

    def like(self, tables: Mapping[str, pd.DataFrame]) -> LazyTables:
        """``tables`` (this one's, changed) with the same lazy tables."""
        return LazyTables(tables, self.read, self.lazy)


@dataclass
class UnitData:
    """One unit's slice of the store: its tables plus the programme benchmarks."""

    kind: UnitKind
    unit_id: str
    config: ProgrammeConfig
    partners: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    benchmarks: dict[str, pd.DataFrame]
    meta: dict[str, Any]
    results: StoredResults | None = None  # the programme report's results of the answers, as the store wrote them
    _computed: dict[tuple[str, int], pd.DataFrame] = field(default_factory=dict, init=False, repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def has(self, name: str) -> bool:
        if isinstance(self.tables, LazyTables) and name in self.tables.lazy and name not in self.tables:
            return name in self.meta["present"] and self.tables.lazy[name] > 0
        return name in self.meta["present"] and not self.tables[name].empty

    def answer_result(self, name: str, min_group_size: int) -> pd.DataFrame:
        """The result ``name`` of the unit's answers (:mod:`capeval.store_aggregates`): as the store wrote it
        when it has it at ``min_group_size``, else computed from the answers by the same function."""
        stored = self.results.result(name) if self.results is not None and self._stored(min_group_size) else None
        if stored is not None:
            return stored
        if (name, min_group_size) not in self._computed:  # several sections ask (the counts: three)
            self._computed[(name, min_group_size)] = answer_result(name, self.tables, self.config, min_group_size)
        return self._computed[(name, min_group_size)].copy()

    def headline(self, min_group_size: int) -> HeadlineFigures:
        """The unit's headline figures (:func:`capeval.analysis.compare.headline_figures`), stored or computed."""
        stored = self.results.headline() if self.results is not None and self._stored(min_group_size) else None
        if stored is not None:
            return stored
        return headline_figures_of(self.tables, self.config, min_group_size)

    def _stored(self, min_group_size: int) -> bool:
        # only on the store's own tables (LazyTables): a frame changed after reading (a wave chosen) computes
        stored = self.results is not None and self.results.min_group_size == min_group_size
        return stored and isinstance(self.tables, LazyTables)

    def all_tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the unit, those not held read from the store (to derive changed tables from)."""
        lazy = self.tables.lazy if isinstance(self.tables, LazyTables) else {}
        return {**self.tables, **{name: self.tables[name] for name in lazy}}


class Store:
    """Read access to a programme's store; reads are filtered to one unit's rows."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if (self.path / STORE_DIR / META).is_file():
            self.path = self.path / STORE_DIR
        if not (self.path / META).is_file():
            raise StoreError("no capeval store here; run 'capeval run' or build_store() first", file=str(path))
        self._members: dict[tuple[str, str], list[str]] = {}  # a unit's partner ids, once read

    @cached_property
    def meta(self) -> dict[str, Any]:
        meta = _read_meta(self.path / META)
        if not meta:
            raise self.damaged(META)
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(f"store schema {meta.get('schema_version')} is not {SCHEMA_VERSION}; rebuild it")
        return meta

    def read(self, name: str, filters: Any = None, *, compact: bool = False) -> pd.DataFrame:
        """A store file as a DataFrame (only the rows ``filters`` keep; strings as :data:`COMPACT_STRING`
        when ``compact``); StoreError when it is damaged."""
        try:
            if not compact:
                frame: pd.DataFrame = pq.read_table(self.path / name, filters=filters).to_pandas()
                return frame
            # read as the large strings pandas keeps (no copy to convert), each column freed once converted
            schema = pq.read_schema(self.path / name)
            table = pq.read_table(self.path / name, filters=filters, schema=large_strings(schema))
            return compact_frame(table)
        except (OSError, pa.ArrowException) as exc:
            raise self.damaged(name) from exc

    def read_rows(self, name: str, column: str, values: Iterable[str], *, compact: bool = False) -> pd.DataFrame:
        """The rows of a store file whose ``column`` is one of ``values``, as :meth:`read` with an ``in`` filter
        gives them (same rows, order and types), read one row group at a time and skipping the groups whose
        statistics rule every value out: the memory of the rows kept, not of the file (a track's 17 % of
        1 M answers took 110 MB through the dataset filter, 35 MB so); StoreError when the file is damaged."""
        wanted = sorted({str(v) for v in values})
        try:
            with pq.ParquetFile(self.path / name) as file:
                schema = file.schema_arrow
                position = schema.get_field_index(column)
                keep = pa.array(wanted, type=schema.field(column).type)
                parts = [schema.empty_table()]
                for group in range(file.num_row_groups):
                    stats = file.metadata.row_group(group).column(position).statistics
                    if stats is not None and stats.has_min_max:
                        first = bisect.bisect_left(wanted, stats.min)
                        if first == len(wanted) or wanted[first] > stats.max:
                            continue  # no wanted value between the group's smallest and largest
                    rows = file.read_row_group(group, use_threads=False)
                    parts.append(rows.filter(pc.is_in(rows[column], value_set=keep)))
                table = pa.concat_tables(parts).combine_chunks()
                del parts
            if not compact:
                frame: pd.DataFrame = table.to_pandas()
                return frame
            return compact_frame(table.cast(large_strings(schema)))
        except (OSError, pa.ArrowException) as exc:
            raise self.damaged(name) from exc

    def damaged(self, name: str) -> StoreError:
        """The error for a store file that cannot be read: what to do about it."""
        return StoreError(
            f"the store file {name} is missing or damaged; run 'capeval run --force' to rebuild the store "
            f"(or delete the folder {self.path})",
            file=str(self.path / name),
        )

    @cached_property
    def config(self) -> ProgrammeConfig:
        return ProgrammeConfig.model_validate(self.meta["config"])

    @cached_property
    def partners(self) -> pd.DataFrame:
        return self.table("partners")

    @cached_property
    def tracks(self) -> pd.DataFrame:
        return self.table("tracks")

    def table(self, name: str, units: list[str] | None = None, *, compact: bool = False) -> pd.DataFrame:
        """Read a table, only the rows of ``units`` when given (by partner or unit column)."""
        column = unit_column(name)
        if units is not None and column:
            return self.read_rows(f"{name}.parquet", column, units, compact=compact)
        frame: pd.DataFrame = self.read(f"{name}.parquet", compact=compact)
        return frame

    def benchmark(self, name: str) -> pd.DataFrame:
        frame: pd.DataFrame = self.read(f"bench_{name}.parquet")
        return frame

    def unit_partners(self, kind: UnitKind, unit_id: str, *, compact: bool = False) -> pd.DataFrame:
        """The partners rows a unit covers; StoreError when the unit is unknown.

        A lookup in the partners table when it has been read (planning asks for every unit), else a
        read of the unit's own rows: a report never reads the other partners.
        """
        if kind == "track" and unit_id not in set(self.tracks["track_id"]):
            raise StoreError(f"unknown track_id '{unit_id}'", file="tracks.csv", unit=unit_id)
        column = {"partner": "partner_id", "track": "track_id"}.get(kind)
        if "partners" in self.__dict__ and not compact:  # read whole already (cached_property)
            rows = self.partners if column is None else self.partners[self.partners[column] == unit_id]
        else:
            rows = self.read("partners.parquet", None if column is None else [(column, "==", unit_id)], compact=compact)
        if kind == "partner" and rows.empty:
            raise StoreError(f"unknown partner_id '{unit_id}'", file="partners.csv", unit=unit_id)
        return rows.reset_index(drop=True)

    def member_partners(self, kind: UnitKind, unit_id: str) -> list[str]:
        """The partner ids a unit covers; StoreError when the unit is unknown."""
        if (kind, unit_id) in self._members:
            return self._members[(kind, unit_id)]
        if kind == "partner" and "partners" in self.__dict__:  # planning asks for every partner: a set lookup
            if unit_id not in self.partner_ids:
                raise StoreError(f"unknown partner_id '{unit_id}'", file="partners.csv", unit=unit_id)
            return [unit_id]
        return [str(m) for m in self.unit_partners(kind, unit_id)["partner_id"]]

    @cached_property
    def partner_ids(self) -> frozenset[str]:
        return frozenset(str(p) for p in self.partners["partner_id"])

    def stored_results(self, min_group_size: int) -> StoredResults | None:
        """The programme report's results of the answers the store wrote (:mod:`capeval.store_aggregates`), when
        it wrote them at ``min_group_size``; else None."""
        written = self.meta.get("aggregates") or {}
        if written.get("min_group_size") != min_group_size or not written.get("results"):
            return None
        return StoredResults(self.path, {str(k): str(v) for k, v in written["results"].items()}, min_group_size)

    def unit(self, kind: UnitKind, unit_id: str, *, results: StoredResults | None = None) -> UnitData:
        """Load one unit's rows of every table (strings compact), and the benchmarks. With ``results`` (the
        programme's, :meth:`stored_results`) the answers are not held: read again whenever asked for."""
        partners = self.unit_partners(kind, unit_id, compact=True)
        self._members[(kind, unit_id)] = [str(m) for m in partners["partner_id"]]
        units = self._members[(kind, unit_id)] + ([unit_id] if kind == "track" else [])
        lazy = {"responses": int(self.meta["counts"]["responses"]["kept"])} if results is not None else {}
        tables: dict[str, pd.DataFrame] = {}
        for name in TABLE_ORDER:
            if name in lazy:
                continue
            if name in ("tracks", "items"):
                tables[name] = self.table(name, compact=True)
            elif name == "partners":
                tables[name] = partners
            else:
                tables[name] = self.table(name, None if kind == "programme" else units, compact=True)
        return UnitData(
            kind=kind,
            unit_id=unit_id,
            config=self.config,
            partners=tables["partners"],
            tables=LazyTables(tables, lambda name: self.table(name, compact=True), lazy) if lazy else tables,
            benchmarks={  # a store written by an older capeval may lack the newer benchmarks
                n: self.benchmark(n)
                for n in (
                    *("gaps", "activities", "kirkpatrick", "kirkpatrick_change"),
                    *("criteria", "scaling", "lesson_recurrence"),
                )
                if (self.path / f"bench_{n}.parquet").is_file()
            },
            meta=self.meta,
            results=results,
        )

    def release_keys(self, kind: UnitKind, unit_id: str) -> list[str]:
        """The scopes a unit's report shows cells of: its own, its partners' (a track), the tracks
        (the programme) and the programme's (every report compares with it)."""
        if kind == "partner":
            return [scope_key("partner", unit_id), PROGRAMME]
        if kind == "track":
            return [
                scope_key("track", unit_id),
                PROGRAMME,
                *(scope_key("partner", p) for p in self.member_partners(kind, unit_id)),
            ]
        return [PROGRAMME, *(scope_key("track", str(t)) for t in self.tracks["track_id"])]

    def release(
        self, kind: UnitKind, unit_id: str, min_group_size: int | None = None, *, partners: bool = False
    ) -> Release:
        """The release decisions for one unit's report, at the programme's ``min_group_size`` or another.

        The programme's own threshold is decided once, when the store is written; another one is
        decided once over the whole programme's cells and kept beside it (``release_<k>.parquet``).
        ``partners`` adds every partner's cells (the internal programme report shows them as partner reports do).
        """
        size = min_group_size or self.config.min_group_size
        families = self.read(RELEASE_FAMILIES)
        path = self.path / RELEASE
        if size != self.config.min_group_size:
            path = self.path / f"release_{size}.parquet"
            if not path.is_file():
                every = self.read(RELEASE)
                decided = decide_release(every[CELL_COLUMNS], links(families), min_size=size)
                write_table(decided, path, None)
        keys = self.release_keys(kind, unit_id)
        if partners:
            keys += [scope_key("partner", p) for p in sorted(self.partner_ids)]
        cells = self.read_rows(path.name, "key", keys)
        return Release(cells, families, size)

    @cached_property
    def unit_hashes(self) -> dict[str, str]:
        """Each unit's hash of its rows (``unit_hashes.json``), for planning which reports changed."""
        try:
            hashes = json.loads((self.path / UNIT_HASHES).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise self.damaged(UNIT_HASHES) from exc
        if not isinstance(hashes, dict):
            raise self.damaged(UNIT_HASHES)
        return {str(k): str(v) for k, v in hashes.items()}

    def unit_hash(self, kind: UnitKind, unit_id: str) -> str:
        """Hash of the data a unit's report reads: its partners' rows and the benchmarks."""
        track = unit_id if kind == "track" else None
        return combined_unit_hash(
            self.unit_hashes, self.member_partners(kind, unit_id), track, self.meta["benchmark_hash"]
        )
