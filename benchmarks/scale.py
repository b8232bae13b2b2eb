"""Scale: a 200- and a 10,000-partner programme, same per-report cost; local pool against Dask.

    .venv/bin/python benchmarks/scale.py [--partners 10000] [--sample 8] [--batch 200] [--work DIR]

1. Generates ``bench200`` with the demo generator (the ``municipal_tracks`` demo scaled to 200
   partners, about 250 answers each) and ``bench10000`` by tiling it 50 times with
   vectorised pandas/numpy (ids suffixed per copy): 10,000 partners, 2.5 million answers.
2. Times ingest + validation + store (``build_store``: read the CSVs, validate, write the
   Parquet store and benchmarks) of each; prints the answers per second and the rows one
   partner's read touches in ``responses.parquet``.
3. Renders a sample of ``--sample`` partner reports of each programme (the same partner
   notebook, one report at a time, each in a fresh process) and prints the ratio of the
   median seconds per report, 10k / 200 (target <= 1.3). Only a sample: rendering 10,000
   reports would take hours on 2 cores.
4. Renders ``--batch`` partner reports of the 200-partner programme with the local pool (2
   processes) and with a local 2-worker Dask cluster (``LocalCluster(processes=True)``), and
   prints both wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch import make_programme  # noqa: E402

# id columns made unique per copy when a programme is tiled (scaling.unit_id only where it is a partner)
ID_COLUMNS = {
    "partners": ["partner_id"],
    "activities": ["activity_id", "partner_id"],
    "responses": ["respondent_id", "partner_id", "activity_id"],
    "portfolio": ["partner_id", "respondent_id"],
    "scaling": ["unit_id"],
    "lessons": ["lesson_id", "partner_id"],
}


def tile_programme(base: Path, target: Path, copies: int) -> Path:
    """``base`` repeated ``copies`` times with every id suffixed ``x<copy>``; tracks and items shared."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("programme.yaml", "tracks.csv", "items.csv"):
        shutil.copy(base / name, target / name)
    partners = set(pd.read_csv(base / "partners.csv", dtype=str)["partner_id"])
    for table, columns in ID_COLUMNS.items():
        frame = pd.read_csv(base / f"{table}.csv", dtype=str, keep_default_na=False)
        n = len(frame)
        copy = np.repeat(np.arange(copies), n)
        suffix = np.char.add("x", np.char.zfill(copy.astype(str), len(str(copies - 1)))).astype(object)
        out = pd.DataFrame({c: np.tile(frame[c].to_numpy(dtype=object), copies) for c in frame.columns})
        keep = np.ones(len(out), dtype=bool)
        for column in columns:
            values = out[column].to_numpy(dtype=object)
            if column == "unit_id":  # a track's own rows are kept once
                own = np.tile(frame[column].isin(partners).to_numpy(), copies)
                out[column] = np.where(own, values + suffix, values)
                keep = own | (copy == 0)
            else:
                out[column] = values + suffix
        out[keep].to_csv(target / f"{table}.csv", index=False, lineterminator="\n")
    return target


def timed_store(programme: Path) -> tuple[float, int]:
    """Seconds of a forced store build, and the answers kept."""
    from capeval.store import Store, build_store

    started = time.perf_counter()
    store = build_store(programme, force=True)
    seconds = time.perf_counter() - started
    return seconds, Store(store).meta["counts"]["responses"]["kept"]


def rows_read(programme: Path, partner: str) -> tuple[int, int, int]:
    """(the partner's rows, rows of the row groups its filtered read touches, row groups) in responses."""
    path = programme / "_store" / "responses.parquet"
    meta = pq.ParquetFile(path).metadata
    column = [meta.schema.column(i).name for i in range(meta.num_columns)].index("partner_id")
    touched = 0
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(column).statistics
        if stats.min <= partner <= stats.max:
            touched += meta.row_group(g).num_rows
    own = pq.read_table(path, filters=[("partner_id", "==", partner)], columns=["partner_id"]).num_rows
    return own, touched, meta.num_row_groups


def partner_jobs(programme: Path, partners: list[str] | None = None) -> list[Any]:
    from capeval.batch import plan_jobs

    return [job for job in plan_jobs(programme, partners=partners) if job.kind == "partner"]


def render_sample(programme: Path, partners: list[str], out: Path) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each report inside its process, rendered one at a time."""
    from capeval.batch import run_jobs

    result = run_jobs(partner_jobs(programme, partners), out, workers=1, force=True, quiet=True)
    assert all(e.status == "ok" for e in result.entries), [e.error for e in result.entries if e.error]
    return [(e.seconds, e.cpu_seconds or 0.0) for e in result.entries]


def render_batch(programme: Path, out: Path, count: int, executor: str, options: dict[str, str] | None = None) -> float:
    from capeval.batch import run_jobs

    jobs = partner_jobs(programme)[:count]
    started = time.perf_counter()
    result = run_jobs(jobs, out, workers=2, executor=executor, executor_options=options, force=True, quiet=True)
    wall = time.perf_counter() - started
    assert all(e.status == "ok" for e in result.entries), [e.error for e in result.entries if e.error]
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=10_000, help="partners of the large programme")
    parser.add_argument("--sample", type=int, default=8, help="reports timed in each programme")
    parser.add_argument("--batch", type=int, default=200, help="reports of the 200-partner batch (local vs Dask)")
    parser.add_argument("--work", default="build/scale", help="work folder (emptied first)")
    args = parser.parse_args()
    work = Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()

    small = make_programme(work, 200)
    big = tile_programme(small, work / f"bench{args.partners}", args.partners // 200)
    print(f"generated bench200 and {big.name} in {time.perf_counter() - started:.1f} s; {os.cpu_count()} cores")

    figures = {}
    for programme in (small, big):
        seconds, answers = timed_store(programme)
        partners = pd.read_parquet(programme / "_store" / "partners.parquet")["partner_id"].astype(str).tolist()
        rng = np.random.default_rng(6)
        sample = sorted(rng.choice(partners, size=min(args.sample, len(partners)), replace=False).tolist())
        own, touched, groups = rows_read(programme, sample[0])
        meta_kb = (programme / "_store" / "meta.json").stat().st_size / 1024
        print(
            f"{programme.name}: {len(partners):,} partners, {answers:,} answers; ingest + validation + store "
            f"{seconds:.1f} s = {answers / seconds:,.0f} answers/s; one partner's read of responses: "
            f"{own} own rows, {touched:,} rows read ({groups} row groups in the file); meta.json {meta_kb:.0f} KB"
        )
        render_sample(programme, sample[:1], work / "warm")  # the fork server's start is not a report's cost
        per_report = render_sample(programme, sample, work / f"sample-{programme.name}")
        wall, cpu = (statistics.median(x) for x in zip(*per_report, strict=True))
        figures[programme.name] = (seconds, answers, wall, cpu)
        print(f"  {len(per_report)} sampled reports: median {wall:.2f} s wall, {cpu:.2f} s CPU per report")

    from distributed import LocalCluster

    local = render_batch(small, work / "batch-local", args.batch, "local")
    print(f"batch of {args.batch} reports (bench200), local pool of 2 processes: {local:.1f} s wall")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        dask = render_batch(small, work / "batch-dask", args.batch, "dask", {"scheduler": cluster.scheduler_address})
    print(f"batch of {args.batch} reports (bench200), local Dask cluster of 2 workers: {dask:.1f} s wall")

    ratio = figures[big.name][2] / figures[small.name][2]
    cpu_ratio = figures[big.name][3] / figures[small.name][3]
    print("\nratios (targets in brackets)")
    print(f"  per-report seconds (wall), {big.name} / bench200: {ratio:6.2f}  [<= 1.3]")
    print(f"  per-report CPU seconds, {big.name} / bench200:    {cpu_ratio:6.2f}  [<= 1.3]")
    print(f"  ingest + validation + store, answers/s ({big.name}): {figures[big.name][1] / figures[big.name][0]:,.0f}")
    print(f"  batch wall time, Dask / local pool:             {dask / local:6.2f}")
    print(f"total benchmark time: {time.perf_counter() - started:.0f} s")
    (work / "figures.json").write_text(json.dumps({"ratio": ratio, "local": local, "dask": dask, **figures}))


if __name__ == "__main__":
    main()
