"""The whole flow for one programme: parameters -> store -> jobs -> reports -> index pages."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capeval.batch import BatchResult, plan_jobs, run_jobs, store_index
from capeval.parameters import RunParameters, parameters_from

if TYPE_CHECKING:
    from capeval.jobs import Job


def render_run(
    run: RunParameters,
    *,
    partners: Sequence[str] | None = None,
    tracks: Sequence[str] | None = None,
    force: bool = False,
    quiet: bool = False,
    notebooks: Path | None = None,
    executor_options: dict[str, Any] | None = None,
    pdf: bool = False,
) -> BatchResult:
    """Render the reports ``run`` asks for into ``run.out/<programme id>/`` and refresh the index pages.

    Each report is also written in the other formats of ``run.formats`` (and printed to PDF with
    ``pdf``) where that file is missing or older than its HTML.
    """
    from capeval.index import index_headline, write_programme_index, write_root_index

    jobs = plan_jobs(run, partners=partners, tracks=tracks, notebooks=notebooks, rebuild=force)
    out = run.out_dir
    result = run_jobs(
        jobs,
        out,
        workers=run.workers,
        executor=run.executor,
        executor_options=executor_options,
        force=force,
        quiet=quiet,
    )
    store = store_index(Path(jobs[0].parameters["programme"]))  # its JSON files: an unchanged run loads no data
    _write_formats(run, jobs, result, store.path, pdf=pdf)
    names = {t.unit_id: t.name for t in store.tracks}
    language = store.config.language  # the index stays in the programme's language, whichever the run's
    write_programme_index(
        result.out,
        title=store.config.title,
        language=language,
        tracks=names,
        headline=index_headline(store.path, language),
        track_noun=store.config.track_noun,
    )
    write_root_index(out)
    return result


def _write_formats(run: RunParameters, jobs: Sequence[Job], result: BatchResult, store: Path, *, pdf: bool) -> None:
    """Word, XLSX and PDF files of every report rendered or unchanged, as the run asks."""
    from capeval.export import chosen_formats
    from capeval.export.formats import Rendered, stale_exports, write_formats

    formats = chosen_formats(run.formats, pdf=pdf)
    reports = [  # the entries are in the order of the jobs
        Rendered(j.kind, j.unit_id, str(e.path), j.language)
        for e, j in zip(result.entries, jobs, strict=True)
        if e.status in ("ok", "skipped") and e.path
    ]
    pool = None
    stale = sum(1 for r in reports if stale_exports(result.out, r, formats))
    if stale > 1:  # no fork server for files that are all up to date
        from capeval.engines.pool import ForkPool

        pool = ForkPool(min(run.workers or os.cpu_count() or 1, stale))
    files = write_formats(result.out, reports, formats, store=store, pool=pool)
    _record_files(result.out, files)


def _record_files(folder: Path, files: dict[tuple[str, str, str], list[dict[str, str]]]) -> None:
    """List each report's files in the manifest (reports not in this run keep what they listed)."""
    from capeval.batch import lock_folder
    from capeval.manifest import Programme, manifest_entries, read_manifest, write_manifest

    head = read_manifest(folder)
    noun = str(head.get("track_noun") or "learning_track")
    programme = Programme(str(head.get("programme")), str(head.get("title")), str(head.get("language")), noun)
    with lock_folder(folder):
        entries = manifest_entries(folder)
        listed = [entry.files for entry in entries]
        for entry in entries:
            entry.files = files.get(entry.key(programme.language), entry.files)
        if [entry.files for entry in entries] != listed:  # an unchanged run wrote them already
            write_manifest(folder, programme, entries)


def render_programme(
    programme_dir: str | Path,
    out: str | Path = "reports",
    *,
    partners: Sequence[str] | None = None,
    tracks: Sequence[str] | None = None,
    language: str | None = None,
    workers: int | None = None,
    executor: str = "local",
    executor_options: dict[str, Any] | None = None,
    force: bool = False,
    quiet: bool = False,
    timeout: int | None = None,  # whole seconds (capeval.options)
    engine: str | None = None,
) -> BatchResult:
    """Render a programme folder's reports with default parameters (paths relative to the current folder)."""
    settings: dict[str, Any] = {"programme": str(programme_dir), "out": str(out), "executor": executor}
    optional = {"language": language, "workers": workers, "timeout": timeout, "engine": engine}
    settings |= {key: value for key, value in optional.items() if value is not None}
    run = parameters_from(settings)
    return render_run(
        run, partners=partners, tracks=tracks, force=force, quiet=quiet, executor_options=executor_options
    )
