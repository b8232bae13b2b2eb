"""Writing the columnar store (see :mod:`capeval.store` for its layout and for reading it): a programme
validated once, its tables, the release decisions and the programme benchmarks as Parquet, then ``meta.json``
and ``unit_hashes.json``, under a lock, only when the inputs or capeval's code changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from capeval import __version__
from capeval.analysis.benchmarks import programme_benchmarks, release_inputs
from capeval.analysis.lessons import programme_adopters
from capeval.analysis.release import Release, plan_release
from capeval.disk import exclusive, refuse_link_out, writing_in
from capeval.errors import StoreError
from capeval.files import replacing, write_atomic
from capeval.fingerprint import code_hash
from capeval.log import logger
from capeval.schema import SCHEMA_VERSION, ProgrammeConfig
from capeval.store_aggregates import AGGREGATE_FROM, PREFIX, programme_results, read_compact, result_metadata
from capeval.store_meta import META, STORE_DIR, UNIT_HASHES, input_hash, store_damage
from capeval.store_meta import file_hash as _file_hash
from capeval.store_meta import read_meta as _read_meta
from capeval.table_specs import TABLE_ORDER, TABLES, unit_column
from capeval.validate import Validated, validate_programme, write_rejected

RELEASE = "release.parquet"  # every published cell of the programme and whether it may be shown
RELEASE_FAMILIES = "release_families.parquet"
LOCK = ".lock"  # held while the store is checked or built
# rows per Parquet row group: a unit's read touches one or two (measured in benchmarks/scale.py: smaller
# groups make every read parse a larger footer, larger ones read more rows of other units)
ROW_GROUP = 16_384


def build_store(programme_dir: str | Path, *, force: bool = False, aggregates: bool | None = None) -> Path:
    """Validate the programme folder and (re)write its store; return the store path.

    The store is reused when the input files are unchanged (same hash and version) and every
    store file still has the hash it was written with; a damaged store is rebuilt. Two
    processes building one store take turns (a lock in the store folder). ``aggregates``: write the
    programme report's results of the answers (:mod:`capeval.store_aggregates`); None: from
    :data:`~capeval.store_aggregates.AGGREGATE_FROM` answers on.
    """
    root = Path(programme_dir)
    store = root / STORE_DIR
    refuse_link_out(store, root)
    with writing_in(store):
        store.mkdir(exist_ok=True)
        with exclusive(store / LOCK):  # two runs of one programme (different --out) build it once
            return _build_store(root, store, force=force, aggregates=aggregates)


def _build_store(root: Path, store: Path, *, force: bool, aggregates: bool | None) -> Path:
    current = input_hash(root)
    meta_path = store / META
    if not force and meta_path.is_file():
        meta = _read_meta(meta_path)
        if meta.get("input_hash") == current and meta.get("code_hash") == code_hash():
            damage = store_damage(store, meta)
            if damage is None:
                return store
            logger.warning("store %s: %s; rebuilding it", store, damage)
    validated = validate_programme(root)
    write_rejected(validated)
    if validated.tables["partners"].empty:
        raise StoreError("no valid partner rows; run 'capeval validate' to see why", file=str(root / "partners.csv"))
    # which adopters are programme partners: only here is every partner read (a report names none it does not cover)
    tables = validated.tables
    tables["lessons"] = programme_adopters(tables["lessons"], tables["partners"])
    files: dict[str, str] = {}  # every file written -> its sha256, checked before the store is reused
    results: dict[str, str] = {}  # the programme report's results of the answers -> their files
    for name in TABLE_ORDER:
        files |= write_table(validated.tables[name], store / f"{name}.parquet", TABLES[name].partner_column)
    cells, families = plan_release(
        release_inputs(validated.tables, validated.config), min_group_size=validated.config.min_group_size
    )
    files |= write_table(cells, store / RELEASE, None)  # sorted by key: a report reads its scopes' row groups
    files |= write_table(families, store / RELEASE_FAMILIES, None)
    release = Release(cells, families, validated.config.min_group_size)
    benches = programme_benchmarks(validated.tables, validated.config, release)
    for name, frame in benches.items():
        files |= write_table(frame, store / f"bench_{name}.parquet", None)
    if aggregates or (aggregates is None and len(validated.tables["responses"]) >= AGGREGATE_FROM):
        written, results = write_aggregates(store, validated.config)
        files |= written
    meta = {
        "files": files,
        "schema_version": SCHEMA_VERSION,
        "capeval_version": __version__,
        "code_hash": code_hash(),
        "input_hash": current,
        "config": validated.config.model_dump(mode="json"),
        "counts": {k: {"kept": v[0], "rejected": v[1]} for k, v in validated.counts().items()},
        "present": sorted(validated.present),
        "problems": len(validated.problems),
        # the programme report's results of the answers, at this threshold (none: it reads the answers)
        "aggregates": {"min_group_size": validated.config.min_group_size, "results": results} if results else {},
        # what every report reads besides its own rows: benchmarks, items, tracks, config
        "benchmark_hash": _frames_hash(
            [*benches.values(), validated.tables["items"], validated.tables["tracks"], cells, families]
        )
        + hashlib.sha256(validated.config.model_dump_json().encode()).hexdigest(),
    }
    hashes = json.dumps(_unit_hashes(validated), indent=0, sort_keys=True)
    write_atomic(store / UNIT_HASHES, hashes)
    meta["files"][UNIT_HASHES] = hashlib.sha256(hashes.encode()).hexdigest()
    write_atomic(meta_path, json.dumps(meta, indent=1, sort_keys=True))
    logger.info("store written: %s", store)
    return store


def write_aggregates(store: Path, config: ProgrammeConfig) -> tuple[dict[str, str], dict[str, str]]:
    """Write each result of :func:`~capeval.store_aggregates.result_names`, computed on the tables as the
    programme report reads them from ``store`` (strings as Arrow, the store's row order), at the programme's
    ``min_group_size``, as ``agg_<n>.parquet``; return ``{file name: sha256}`` and ``{result: file name}``."""
    tables = {name: read_compact(store / f"{name}.parquet") for name in TABLE_ORDER}
    files: dict[str, str] = {}
    results: dict[str, str] = {}
    for number, (name, frame) in enumerate(programme_results(tables, config)):
        results[name] = f"{PREFIX}{number}.parquet"
        files |= write_table(frame, store / results[name], None, result_metadata(frame))
    return files, results


def write_table(
    frame: pd.DataFrame, path: Path, sort_by: str | None, metadata: dict[bytes, bytes] | None = None
) -> dict[str, str]:
    """Write ``frame`` to ``path`` atomically (with ``metadata`` beside pandas'); return ``{file name: sha256}``."""
    if sort_by and sort_by in frame.columns and len(frame):
        frame = frame.sort_values(sort_by, kind="stable")
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    # a temp name of its own: two report processes may write the same release_<k>.parquet at once
    with replacing(path) as temporary:
        pq.write_table(table, temporary, row_group_size=ROW_GROUP)
        digest = _file_hash(temporary)
    return {path.name: digest}


def _frames_hash(frames: Any) -> str:
    digest = hashlib.sha256()
    for frame in frames:
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        digest.update(",".join(map(str, frame.columns)).encode())
    return digest.hexdigest()


def _unit_hashes(validated: Validated) -> dict[str, str]:
    """A hash of each partner's rows in every table, for incremental re-runs."""
    digests: dict[str, Any] = {}
    units = [*validated.tables["partners"]["partner_id"], *validated.tables["tracks"]["track_id"]]
    for unit in units:
        digests[str(unit)] = hashlib.sha256(str(unit).encode())
    for name in TABLE_ORDER:
        frame = validated.tables[name]
        column = unit_column(name)
        if column is None or frame.empty:
            continue
        row_hashes = pd.util.hash_pandas_object(frame, index=False)
        for unit, hashes in row_hashes.groupby(frame[column].astype(str), sort=True):
            if unit in digests:
                digests[unit].update(name.encode() + hashes.to_numpy().tobytes())
    return {unit: d.hexdigest() for unit, d in sorted(digests.items())}
