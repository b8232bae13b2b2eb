"""Plan a programme's report jobs and run them on an executor, keeping the manifest up to date.

Every report runs in a fresh process (by default forked from a pre-loaded parent, see
:mod:`capeval.engines.pool`), so nothing one report defines can reach the next; a failing
report is isolated (its executed notebook kept under ``_failed/``) and the others go on.
A report whose inputs hash the same as in the manifest is skipped, and a run with nothing
to render starts no executor. Jobs (:mod:`capeval.jobs`) are plain data and
:func:`~capeval.engines.run.execute_job` a module-level function, so any executor of the
registry (:mod:`capeval.engines.executors`) can run them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from capeval.disk import refuse_link_out, writing_in
from capeval.engines.executors import executor_factory
from capeval.engines.run import execute_job, report_error
from capeval.errors import CapevalError, UsageError
from capeval.export.paths import language_path
from capeval.files import remove_stale_temps
from capeval.fingerprint import code_hash
from capeval.i18n import LANGUAGES, noun_key, t
from capeval.jobs import FOLDERS, Entry, Job
from capeval.manifest import Programme, manifest_entries, write_manifest
from capeval.narrative import narrative_digest
from capeval.parameters import RunParameters, check_json, check_units, parameters_from
from capeval.report_parameters import check_declared, declared_parameters, job_parameters
from capeval.store_meta import UNITS, StoreIndex, current_store, read_cache, write_cache
from capeval.units import UnitKind, unit_filename, unit_filenames
from capeval.visible import lookalikes, visible

__all__ = ["NOTEBOOKS", "BatchResult", "lock_folder", "plan_jobs", "run_jobs", "store_index"]

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
GRACE_SECONDS = 30  # past a report's own timeout, its process is killed


@dataclass
class BatchResult:
    programme_id: str
    out: Path
    entries: list[Entry]

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "failed"]


def plan_jobs(
    source: RunParameters | str | Path,
    *,
    partners: Sequence[str] | None = None,
    tracks: Sequence[str] | None = None,
    language: str | None = None,
    notebooks: Path | None = None,
    rebuild: bool = False,
) -> list[Job]:
    """Build (or reuse) the programme's store and plan its reports: by default a partner report
    per partner, a track report per track that has partners, and the programme report.

    ``rebuild`` writes the store again even when its inputs did not change (``--force``).

    ``source`` is a run's parameters or a programme folder; its ``units`` choose the kinds.
    ``partners`` and ``tracks`` (from the command line) narrow the run to exactly those
    units. ``notebooks`` replaces capeval's notebook folder; a track or programme notebook
    it lacks means no reports of that kind.
    """
    run = source if isinstance(source, RunParameters) else parameters_from({"programme": str(source)})
    if not run.programme_dir.is_dir():
        raise run.error("programme", f"no programme folder at {run.programme_dir}")
    store_path = None if rebuild else current_store(run.programme_dir)
    if store_path is None:  # only then the data libraries load: an unchanged programme plans from JSON
        from capeval.store import build_store

        store_path = build_store(run.programme_dir, force=rebuild)
    store = store_index(store_path.resolve())
    known = [p.unit_id for p in store.partners]
    all_tracks = [t.unit_id for t in store.tracks]
    check_units(run, known, all_tracks)
    for given, ids, option in ((partners, known, "partner"), (tracks, all_tracks, "track")):
        unknown = [u for u in given or () if u not in set(ids)]
        if unknown:
            table = "partners.csv" if option == "partner" else "tracks.csv"
            shown = ", ".join(visible(u, one_line=True) + lookalikes(u) for u in unknown)  # 'Р1' is not 'P1'
            raise UsageError(f"unknown {option} id(s): {shown}", file=table, column=f"--{option}")
    jobs: list[Job] = []
    # file names over every unit of a kind, so a partial run names a report as a full one does
    stems = {"partner": unit_filenames(known), "track": unit_filenames(all_tracks)}
    for kind, units in _chosen_units(run, store, partners, tracks).items():
        if not units:
            continue
        notebook = notebooks / getattr(run.notebooks, kind) if notebooks else run.notebook(kind)
        if not notebook.is_file():
            if notebooks is not None and kind != "partner":
                continue
            raise run.error(f"notebooks.{kind}", f"no such notebook: {notebook}")
        nb_bytes, declared = notebook.read_bytes(), declared_parameters(notebook)
        for uid in units:
            params = job_parameters(run, store.config, kind, uid, programme=str(store_path), language=language)
            check_declared(run, params, declared, notebook)
            check_json(params, "parameters", source=run.source)
            digest = _input_digest(
                nb_bytes, params, store.unit_hash(kind, uid), narrative_digest(store.path.parent, kind, uid)
            )
            stem = stems[kind][uid] if kind in stems else unit_filename(uid)
            job = _job(run, store, kind, uid, notebook=str(notebook), params=params, digest=digest)
            # the programme's language keeps <id>.html; a second language goes beside it as <id>.<lang>.html
            path = language_path(f"{FOLDERS[kind]}/{stem}.html", job.language, store.config.language)
            jobs.append(replace(job, path=path, programme_language=store.config.language))
            if kind == "programme" and run.internal:  # the manager's report, beside the shareable one
                jobs += _internal_job(run, store, uid, params=params, stem=stem, notebooks=notebooks)
    return jobs


INTERNAL_NOTEBOOK = "programme_internal_report.ipynb"


def _input_digest(notebook: bytes, params: dict[str, Any], unit_hash: str, narrative: str) -> str:
    """What a report is made from, hashed: its notebook, parameters, capeval's code, its unit's data and the
    evaluator's words. The store's place is left out (its content is in ``unit_hash``): a moved folder
    renders nothing again."""
    placed = json.dumps({k: v for k, v in params.items() if k != "programme"}, sort_keys=True)
    digest = hashlib.sha256()
    for part in (notebook, placed.encode(), code_hash().encode(), unit_hash.encode(), narrative.encode()):
        digest.update(part)
    return digest.hexdigest()


def store_index(store: Path) -> StoreIndex:
    """The store's config, units and unit hashes from its JSON files; :data:`~capeval.store_meta.UNITS`
    is written first when the store is newer than it (then, once, the store's tables are read)."""
    units = read_cache(store, UNITS)
    if units is None:
        units = _units(store)
        write_cache(store, UNITS, units)
    return StoreIndex(store, units)


def _units(path: Path) -> dict[str, Any]:
    """The partners and tracks in the store's order, each [id, name, track, {language: name as shown}];
    the programme's title as shown."""
    import pandas as pd

    from capeval.analysis.redaction import redact, redaction_marks
    from capeval.store import Store

    store = Store(path)
    marks = {lang: redaction_marks(lang) for lang in LANGUAGES}

    def shown(name: str) -> dict[str, str]:  # the index and page titles show it as typed, less contacts
        return {lang: visible(redact(name, mark)) for lang, mark in marks.items()}

    partners, tracks = store.partners, store.tracks
    # a partner without a track reads back from Parquet as pd.NA (str(pd.NA) is "<NA>", not a track)
    track_ids = [None if pd.isna(t) else str(t) for t in partners["track_id"]]
    return {
        "partners": [
            [str(p), str(n), t, shown(str(n))]
            for p, n, t in zip(partners["partner_id"], partners["name"], track_ids, strict=True)
        ],
        "tracks": [
            [str(t), str(n), None, shown(str(n))] for t, n in zip(tracks["track_id"], tracks["name"], strict=True)
        ],
        "programme": shown(store.config.title),
    }


def _internal_job(
    run: RunParameters, store: StoreIndex, uid: str, *, params: dict[str, Any], stem: str, notebooks: Path | None
) -> list[Job]:
    """The internal programme report (``--internal``): its own notebook, hash, narrative and file
    ``programme/<id>-internal.html``; none when a replaced notebook folder lacks its notebook."""
    notebook = (notebooks or NOTEBOOKS) / INTERNAL_NOTEBOOK
    if not notebook.is_file():
        return []
    narrative = narrative_digest(store.path.parent, "programme-internal", uid)
    digest = _input_digest(notebook.read_bytes(), params, store.unit_hash("programme", uid), narrative)
    job = _job(run, store, "programme", uid, notebook=str(notebook), params=params, digest=digest)
    path = language_path(f"{FOLDERS['internal']}/{stem}-internal.html", job.language, store.config.language)
    title = t("report_title_internal", job.language, name=job.unit_name)
    return [replace(job, kind="internal", path=path, title=title, programme_language=store.config.language)]


def _chosen_units(
    run: RunParameters, store: StoreIndex, partners: Sequence[str] | None, tracks: Sequence[str] | None
) -> dict[UnitKind, list[str]]:
    """The unit ids of each kind this run renders, in the order of the programme's tables."""
    if partners or tracks:  # the command line names exactly the units it wants
        return {"partner": list(partners or []), "track": list(tracks or []), "programme": []}
    kinds = run.units.kinds()
    known = [p.unit_id for p in store.partners]
    with_partners = {p.track_id for p in store.partners if p.track_id is not None}
    default_tracks = [t.unit_id for t in store.tracks if t.unit_id in with_partners]
    return {
        "partner": list(run.units.partners or known) if "partner" in kinds else [],
        "track": list(run.units.tracks or default_tracks) if "track" in kinds else [],
        "programme": [store.config.id] if "programme" in kinds else [],
    }


def _job(
    run: RunParameters,
    store: StoreIndex,
    kind: UnitKind,
    uid: str,
    *,
    notebook: str,
    params: dict[str, Any],
    digest: str,
) -> Job:
    config = store.config
    lang = str(params["language"])
    if kind == "programme":
        name, track = store.programme_title[lang], None
    else:
        unit = store.unit(kind, uid)
        name, track = unit.shown[lang], unit.track_id if kind == "partner" else uid
    return Job(
        programme_id=config.id,
        programme_title=config.title,
        track_noun=config.track_noun,
        kind=kind,
        unit_id=uid,
        unit_name=name,
        track_id=track,
        notebook=notebook,
        parameters=params,
        path=f"{FOLDERS[kind]}/{unit_filename(uid)}.html",
        input_hash=digest,
        language=lang,
        title=t(noun_key(f"report_title_{kind}", config.track_noun), lang, name=name),
        timeout=run.timeout,
        engine=run.engine,
    )


def run_jobs(
    jobs: Sequence[Job],
    out: str | Path,
    *,
    workers: int | None = None,
    executor: str = "local",
    force: bool = False,
    quiet: bool = False,
    executor_options: dict[str, Any] | None = None,
) -> BatchResult:
    """Render ``jobs`` into ``out/<programme>/``; skip unchanged reports unless ``force``."""
    if not jobs:
        raise UsageError("nothing to render: no units selected")
    factory = executor_factory(executor)
    folder = Path(out) / jobs[0].programme_id
    refuse_link_out(folder, Path(out))
    for sub in (*FOLDERS.values(), "_failed"):
        refuse_link_out(folder / sub, folder)
    with writing_in(folder), lock_folder(folder):
        remove_stale_temps(folder)
        own = _programme(jobs[0]).language  # an entry from before two languages is in the programme's
        previous = {e.key(own): e for e in manifest_entries(folder)}
        done = dict(previous)  # units not in this run keep their entries
        todo = []
        for job in jobs:
            old = previous.get(job.key)
            fresh = old is not None and old.input_hash == job.input_hash and old.status in ("ok", "skipped")
            if not force and fresh and (folder / job.path).is_file():
                done[job.key] = job.entry("skipped")
                done[job.key].files = old.files if old is not None else []  # its files are as they were
            else:
                todo.append(job)
        progress = Progress(len(jobs), len(jobs) - len(todo), quiet=quiet)
        try:
            if todo:
                workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
                options = {"timeout": max(j.timeout for j in todo) + GRACE_SECONDS, **(executor_options or {})}
                _render(todo, folder, factory(workers, **options), done, progress)
        finally:
            write_manifest(folder, _programme(jobs[0]), done.values())
            progress.close()
    return BatchResult(jobs[0].programme_id, folder, [done[j.key] for j in jobs])


def _render(
    todo: Sequence[Job], folder: Path, pool: Executor, done: dict[tuple[str, str, str], Entry], progress: Progress
) -> None:
    """Submit every job, record each entry as it finishes; on Ctrl-C stop the running reports."""
    last_write = time.monotonic()
    try:
        futures = {pool.submit(execute_job, job, str(folder)): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                entry = future.result()
            except Exception as exc:  # the report's process died or was killed
                entry = job.entry("failed")
                entry.failed(report_error(exc))
            done[job.key] = entry
            progress.update(entry)
            if time.monotonic() - last_write > 0.5:  # a killed run resumes from here
                write_manifest(folder, _programme(todo[0]), done.values())
                last_write = time.monotonic()
    except BaseException:
        stop = getattr(pool, "terminate", None)
        if callable(stop):
            stop()
        else:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _programme(job: Job) -> Programme:
    return Programme(job.programme_id, job.programme_title, job.programme_language or job.language, job.track_noun)


@contextlib.contextmanager
def lock_folder(folder: Path) -> Iterator[None]:
    """Hold ``folder/.lock`` for this run: two runs never write one programme's reports."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    with (folder / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CapevalError("another capeval run is writing these reports; wait for it", file=str(folder)) from None
        yield


class Progress:
    """A one-line progress display with counts, on stderr, then the slowest reports; silent when quiet."""

    def __init__(self, total: int, skipped: int, *, quiet: bool) -> None:
        self.counts = {"ok": 0, "failed": 0, "skipped": skipped}
        self.slowest: list[tuple[float, str]] = []
        self.bar = None
        if not quiet and skipped < total:  # with nothing to render the run's summary line says it all
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=skipped, file=sys.stderr, unit="report", dynamic_ncols=True)
            self.bar.set_postfix(self.counts)

    def update(self, entry: Entry) -> None:
        self.counts[entry.status] += 1
        self.slowest = sorted([*self.slowest, (entry.seconds, entry.unit)], reverse=True)[:3]
        if self.bar is not None:
            self.bar.set_postfix(self.counts, refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is None:
            return
        self.bar.close()
        if self.slowest:
            slowest = ", ".join(f"{unit} {seconds:.1f}s" for seconds, unit in self.slowest)
            print(f"slowest: {slowest}", file=sys.stderr)
