"""The whole flow for one programme: store -> jobs -> reports -> index pages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from capeval.batch import BatchResult, plan_jobs, run_jobs
from capeval.index import write_programme_index, write_root_index
from capeval.store import Store


def render_programme(
    programme_dir: str | Path,
    out: str | Path = "reports",
    *,
    partners: Sequence[str] | None = None,
    language: str | None = None,
    workers: int | None = None,
    executor: str = "local",
    executor_options: dict[str, Any] | None = None,
    force: bool = False,
    quiet: bool = False,
) -> BatchResult:
    """Render a programme's reports into ``out/<programme id>/`` and refresh the index pages."""
    out = Path(out)
    jobs = plan_jobs(programme_dir, partners=partners, language=language)
    result = run_jobs(
        jobs, out, workers=workers, executor=executor, executor_options=executor_options, force=force, quiet=quiet
    )
    store = Store(Path(jobs[0].parameters["programme"]))
    tracks = {str(k): str(v) for k, v in zip(store.tracks["track_id"], store.tracks["name"], strict=True)}
    write_programme_index(result.out, title=store.config.title, language=jobs[0].language, tracks=tracks)
    write_root_index(out)
    return result
