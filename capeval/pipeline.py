"""The whole flow for one programme: parameters -> store -> jobs -> reports -> index pages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from capeval.batch import BatchResult, plan_jobs, run_jobs
from capeval.parameters import RunParameters, parameters_from


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

    With ``pdf``, every report rendered in this run (not the unchanged ones) is also printed
    to a PDF beside its HTML.
    """
    from capeval.index import programme_headline, write_programme_index, write_root_index
    from capeval.store import Store

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
    store = Store(Path(jobs[0].parameters["programme"]))
    names = {str(k): str(v) for k, v in zip(store.tracks["track_id"], store.tracks["name"], strict=True)}
    language = run.language or store.config.language
    write_programme_index(
        result.out,
        title=store.config.title,
        language=language,
        tracks=names,
        headline=programme_headline(store, language),
    )
    write_root_index(out)
    if pdf:
        from capeval.pdf import print_reports

        rendered = [result.out / str(e.path) for e in result.entries if e.status == "ok" and e.path]
        print_reports(rendered)
    return result


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
    timeout: float | None = None,
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
