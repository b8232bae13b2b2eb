"""What a store's small JSON files say, read without pandas: is the store current, which units it holds,
what each unit's report reads hashes to.

A no-change re-run plans every report from these files alone (``meta.json``, ``unit_hashes.json``
and ``units.json``), so it loads no data library. ``units.json`` (the units in the store's order,
each with its name as reports show it, per language) and ``headline.json`` (the index page's
programme figures) are caches written beside the store by whoever needed them first; each records
the store's input and code hash and is ignored once the store is written again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from capeval.files import write_atomic
from capeval.fingerprint import code_hash
from capeval.log import logger
from capeval.schema import SCHEMA_VERSION, ProgrammeConfig
from capeval.table_specs import TABLE_ORDER, TABLES
from capeval.units import UnitKind

STORE_DIR = "_store"
META = "meta.json"
UNIT_HASHES = "unit_hashes.json"  # per unit: 800 KB at 10,000 partners, so not in meta.json that every report reads
UNITS = "units.json"
HEADLINE = "headline.json"


def input_hash(root: Path) -> str:
    """sha256 over programme.yaml and every table file present, by name."""
    digest = hashlib.sha256()
    for name in ["programme.yaml", *(TABLES[t].file for t in TABLE_ORDER)]:
        path = root / name
        if path.is_file():
            digest.update(name.encode() + b"\0")
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_meta(path: Path) -> dict[str, Any]:
    """meta.json, or {} when it cannot be read (a damaged store is rebuilt, not trusted)."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def store_damage(store: Path, meta: dict[str, Any]) -> str | None:
    """What is wrong with the files of ``store`` (missing, or bytes changed since written), or None."""
    files = meta.get("files")
    if not isinstance(files, dict) or not files:
        return "meta.json lists no files"
    for name, digest in sorted(files.items()):
        path = store / str(name)
        if not path.is_file():
            return f"{name} is missing"
        if file_hash(path) != digest:
            return f"{name} is damaged (truncated or changed since it was written)"
    return None


def current_store(programme_dir: Path) -> Path | None:
    """The store of ``programme_dir`` when it can be used as it is (inputs and code unchanged, no file
    damaged), else None: then :func:`capeval.store.build_store` must (re)write it."""
    store = programme_dir / STORE_DIR
    meta = read_meta(store / META)
    if meta.get("schema_version") != SCHEMA_VERSION or meta.get("code_hash") != code_hash():
        return None
    if meta.get("input_hash") != input_hash(programme_dir) or store_damage(store, meta) is not None:
        return None
    return store


def combined_unit_hash(
    unit_hashes: dict[str, str], members: list[str], track_id: str | None, benchmark_hash: str
) -> str:
    """Hash of the data a unit's report reads: its partners' rows (``members``), a track's own rows
    (``track_id``, None for a partner or the programme) and the programme benchmarks (``benchmark_hash``)."""
    parts = [unit_hashes[p] for p in members]
    if track_id is not None:
        parts.append(unit_hashes.get(track_id, ""))
    parts.append(benchmark_hash)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _stamp(meta: dict[str, Any]) -> str:
    """What a cache beside the store was made from: the store's inputs and capeval's code."""
    return f"{meta.get('input_hash')}:{meta.get('code_hash')}"


def read_cache(store: Path, name: str) -> dict[str, Any] | None:
    """The cache ``name`` beside ``store`` when it was made from the store as it is now, else None."""
    cache = read_meta(store / name)
    if not cache or cache.get("store") != _stamp(read_meta(store / META)):
        return None
    return cache


def write_cache(store: Path, name: str, data: dict[str, Any]) -> None:
    """Write the cache ``name`` beside ``store``, stamped with the store it was made from; where the store
    cannot be written (a read-only programme folder), nothing: the next run works it out again."""
    try:
        write_atomic(store / name, json.dumps({**data, "store": _stamp(read_meta(store / META))}, ensure_ascii=False))
    except OSError as exc:
        logger.info("not kept beside the store: %s (%s)", name, exc)


@dataclass(frozen=True)
class Unit:
    """A partner or track as planning needs it: id, name as typed, its track (a partner's), name shown per language."""

    unit_id: str
    name: str
    track_id: str | None
    shown: dict[str, str]


class StoreIndex:
    """A store's config, units and unit hashes, from its JSON files (``units`` from :data:`UNITS`)."""

    def __init__(self, store: Path, units: dict[str, Any]) -> None:
        self.path = store
        self.partners = [Unit(str(u[0]), str(u[1]), u[2], dict(u[3])) for u in units["partners"]]
        self.tracks = [Unit(str(u[0]), str(u[1]), None, dict(u[3])) for u in units["tracks"]]
        self.programme_title: dict[str, str] = dict(units["programme"])  # per language, as shown
        self._units = {("partner", u.unit_id): u for u in self.partners} | {
            ("track", u.unit_id): u for u in self.tracks
        }

    def unit(self, kind: UnitKind, unit_id: str) -> Unit:
        """The partner or track ``unit_id`` (KeyError when the store has none)."""
        return self._units[(kind, unit_id)]

    @cached_property
    def meta(self) -> dict[str, Any]:
        return read_meta(self.path / META)

    @cached_property
    def config(self) -> ProgrammeConfig:
        return ProgrammeConfig.model_validate(self.meta["config"])

    @cached_property
    def unit_hashes(self) -> dict[str, str]:
        hashes = read_meta(self.path / UNIT_HASHES)
        return {str(k): str(v) for k, v in hashes.items()}

    def members(self, kind: UnitKind, unit_id: str) -> list[str]:
        """The partner ids a unit covers, in the store's order."""
        if kind == "partner":
            return [unit_id]
        return [p.unit_id for p in self.partners if kind == "programme" or p.track_id == unit_id]

    def unit_hash(self, kind: UnitKind, unit_id: str) -> str:
        """As :meth:`capeval.store.Store.unit_hash`, from the JSON files."""
        track = unit_id if kind == "track" else None
        return combined_unit_hash(
            self.unit_hashes, self.members(kind, unit_id), track, str(self.meta["benchmark_hash"])
        )
