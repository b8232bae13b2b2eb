"""Plan report jobs for a programme, run them on an executor, keep the manifest.

Each report runs papermill in its own kernel process, so nothing one report defines can
reach the next; a failing report is isolated (its notebook kept under ``_failed/``) and
the others go on. A report whose inputs hash the same as in the manifest is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.resources import files
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from capeval import __version__
from capeval.errors import ParameterError
from capeval.i18n import t
from capeval.log import logger
from capeval.render import notebook_to_html, write_atomic
from capeval.store import Store, UnitKind, build_store
from capeval.units import unit_filename

MANIFEST_SCHEMA = 1
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
FOLDERS: dict[str, str] = {"partner": "partners", "track": "tracks", "programme": "programme"}


@dataclass(frozen=True)
class Job:
    """One report to render: a notebook, its JSON parameters and where the HTML goes."""

    programme_id: str
    programme_title: str
    kind: UnitKind
    unit_id: str
    unit_name: str
    track_id: str | None
    notebook: str
    parameters: dict[str, Any]
    path: str  # relative to the programme's report folder
    input_hash: str
    language: str
    title: str
    timeout: int = 600


@dataclass
class Entry:
    """A manifest entry: what happened to one report."""

    unit: str
    kind: str
    name: str
    track_id: str | None
    status: str  # ok | failed | skipped
    input_hash: str
    seconds: float
    path: str | None
    error: str | None = None


@dataclass
class BatchResult:
    programme_id: str
    out: Path
    entries: list[Entry] = field(default_factory=list)

    @property
    def failed(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "failed"]


@cache
def code_hash() -> str:
    """Hash of capeval's code, templates and labels: a new capeval re-renders every report."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(str(files("capeval")))
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".css", ".yaml", ".json"}:
            digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def plan_jobs(
    programme_dir: str | Path,
    *,
    partners: Sequence[str] | None = None,
    language: str | None = None,
    notebooks: Path = NOTEBOOKS,
) -> list[Job]:
    """Build (or reuse) the programme's store and plan one partner report per partner."""
    store_path = build_store(programme_dir)
    store = Store(store_path)
    config = store.config
    lang = language or config.language
    known = list(store.partners["partner_id"].astype(str))
    if partners:
        unknown = [p for p in partners if p not in set(known)]
        if unknown:
            raise ParameterError(
                f"unknown partner id(s): {', '.join(unknown)}", file="partners.csv", column="--partner"
            )
    chosen = list(partners) if partners else known
    names = store.partners.set_index("partner_id")
    notebook = notebooks / "partner_report.ipynb"
    nb_bytes = notebook.read_bytes()
    jobs = []
    for pid in chosen:
        params = {"programme": str(Path(store_path).resolve()), "partner_id": pid, "language": lang}
        digest = hashlib.sha256()
        for part in (
            nb_bytes,
            json.dumps(params, sort_keys=True).encode(),
            code_hash().encode(),
            store.unit_hash("partner", pid).encode(),
        ):
            digest.update(part)
        track = names.at[pid, "track_id"]
        name = str(names.at[pid, "name"])
        jobs.append(
            Job(
                programme_id=config.id,
                programme_title=config.title,
                kind="partner",
                unit_id=pid,
                unit_name=name,
                track_id=None if pd.isna(track) else str(track),
                notebook=str(notebook),
                parameters=params,
                path=f"{FOLDERS['partner']}/{unit_filename(pid)}.html",
                input_hash=digest.hexdigest(),
                language=lang,
                title=t("report_title_partner", lang, name=name),
            )
        )
    return jobs


def execute_job(job: Job, out: str) -> Entry:
    """Run one report in a fresh kernel and write its HTML; never raises for a report error."""
    import papermill

    started = time.perf_counter()
    folder = Path(out)
    failed_dir = folder / "_failed"
    stem = unit_filename(job.unit_id)
    failed_nb = failed_dir / (f"{stem}.ipynb" if job.kind == "partner" else f"{job.kind}-{stem}.ipynb")
    scratch = Path(tempfile.mkdtemp(prefix="capeval-")) / f"{stem}.ipynb"
    entry = Entry(job.unit_id, job.kind, job.unit_name, job.track_id, "ok", job.input_hash, 0.0, job.path)
    try:
        nb = papermill.execute_notebook(
            job.notebook,
            str(scratch),
            parameters=job.parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            execution_timeout=job.timeout,
            cwd=str(Path(job.notebook).parent),
        )
        html = notebook_to_html(
            nbformat.from_dict(nb), title=job.title, language=job.language, toc_label=t("contents", job.language)
        )
        write_atomic(folder / job.path, html)
        scratch.unlink(missing_ok=True)
        failed_nb.unlink(missing_ok=True)
    except Exception as exc:  # one failing report never stops the batch
        entry.status = "failed"
        entry.error = _describe(exc)
        if scratch.exists():
            failed_dir.mkdir(parents=True, exist_ok=True)
            shutil.move(scratch, failed_nb)
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)
    entry.seconds = round(time.perf_counter() - started, 3)
    return entry


def _describe(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.cell_index} (execution {exc.exec_count}): {exc.ename}: {exc.evalue}"
    lines = traceback.format_exception_only(type(exc), exc)
    return "".join(lines).strip()


def local_pool(workers: int, **_: Any) -> Executor:
    """A pool of worker processes; each report still gets its own kernel process."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


EXECUTORS: dict[str, Callable[..., Executor]] = {"local": local_pool}


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        return {}
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        logger.warning("ignoring unreadable manifest %s", path)
        return {}
    return data


def write_manifest(folder: Path, job: Job, entries: Iterable[Entry]) -> None:
    """Write ``manifest.json`` (schema 1): the programme and one entry per report."""
    ordered = sorted(entries, key=lambda e: (e.kind, e.unit))
    data = {
        "schema_version": MANIFEST_SCHEMA,
        "programme": job.programme_id,
        "title": job.programme_title,
        "language": job.language,
        "capeval_version": __version__,
        "reports": [asdict(e) for e in ordered],
    }
    write_atomic(folder / "manifest.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n")


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
        raise ParameterError("nothing to render: no units selected")
    programme_id = jobs[0].programme_id
    folder = Path(out) / programme_id
    folder.mkdir(parents=True, exist_ok=True)
    previous = {(e["kind"], e["unit"]): e for e in read_manifest(folder).get("reports", [])}
    done: dict[tuple[str, str], Entry] = {}
    for key, old in previous.items():
        done[key] = Entry(**{k: old.get(k) for k in Entry.__dataclass_fields__})  # keep units not in this run
    todo = []
    for job in jobs:
        old = previous.get((job.kind, job.unit_id))
        fresh = old and old["input_hash"] == job.input_hash and old["status"] in ("ok", "skipped")
        if not force and fresh and (folder / job.path).is_file():
            done[(job.kind, job.unit_id)] = Entry(
                job.unit_id, job.kind, job.unit_name, job.track_id, "skipped", job.input_hash, 0.0, job.path
            )
        else:
            todo.append(job)
    progress = Progress(len(jobs), len(jobs) - len(todo), quiet=quiet)
    if todo:
        if executor not in EXECUTORS:
            raise ParameterError(
                f"unknown executor '{executor}' (expected one of: {', '.join(EXECUTORS)})", column="--executor"
            )
        n = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        with EXECUTORS[executor](n, **(executor_options or {})) as pool:
            futures = {pool.submit(execute_job, job, str(folder)): job for job in todo}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    entry = future.result()
                except Exception as exc:  # the worker itself died
                    entry = Entry(
                        job.unit_id,
                        job.kind,
                        job.unit_name,
                        job.track_id,
                        "failed",
                        job.input_hash,
                        0.0,
                        job.path,
                        _describe(exc),
                    )
                done[(job.kind, job.unit_id)] = entry
                progress.update(entry)
                write_manifest(folder, jobs[0], done.values())
    write_manifest(folder, jobs[0], done.values())
    progress.close()
    return BatchResult(programme_id, folder, [done[(j.kind, j.unit_id)] for j in jobs])


class Progress:
    """A one-line progress display with counts, on stderr; silent when quiet."""

    def __init__(self, total: int, skipped: int, *, quiet: bool) -> None:
        from tqdm import tqdm

        self.counts = {"ok": 0, "failed": 0, "skipped": skipped}
        self.slowest: list[tuple[float, str]] = []
        self.bar = tqdm(total=total, initial=skipped, disable=quiet, file=sys.stderr, unit="report", dynamic_ncols=True)
        self.bar.set_postfix(self.counts)

    def update(self, entry: Entry) -> None:
        self.counts[entry.status] += 1
        self.slowest = sorted([*self.slowest, (entry.seconds, entry.unit)], reverse=True)[:3]
        self.bar.set_postfix(self.counts)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()
        if not self.bar.disable and self.slowest:
            shown = ", ".join(f"{unit} {seconds:.1f}s" for seconds, unit in self.slowest)
            print(f"slowest: {shown}", file=sys.stderr)
