"""The workbench's "render reports": the batch for the chosen partners, in a thread of its own.

A Jupyter kernel runs an asyncio event loop in its main thread; the batch (papermill and
nbclient in report processes) is started from a worker thread, so that loop never sees it
and the widgets stay responsive. Progress is read from the report files as they appear.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from capeval.log import logger
from capeval.report.html import escape
from capeval.units import unit_filename, unit_filenames

if TYPE_CHECKING:
    from capeval.batch import BatchResult

POLL_SECONDS = 0.3


@dataclass(frozen=True)
class RenderRequest:
    """Which reports to render: partners of one programme, in a language, into ``out``."""

    programme: Path
    programme_id: str
    out: Path
    partners: tuple[str, ...]
    language: str
    min_group_size: int | None = None  # None: the programme's own

    def report_paths(self) -> list[Path]:
        """Where each partner's report will be written (as :mod:`capeval.batch` lays them out)."""
        from capeval.batch import FOLDERS
        from capeval.store import Store

        folder = self.out / self.programme_id / FOLDERS["partner"]
        stems = unit_filenames(Store(self.programme).partner_ids)  # as batch names them: over every partner
        return [folder / f"{stems.get(pid, unit_filename(pid))}.html" for pid in self.partners]


def render_reports(request: RenderRequest) -> BatchResult:
    """Run the batch for ``request`` (blocking); unchanged reports are skipped as in ``capeval run``."""
    from capeval.parameters import parameters_from
    from capeval.pipeline import render_run

    settings: dict[str, object] = {
        "programme": str(request.programme.resolve()),
        "out": str(request.out.resolve()),
        "language": request.language,
    }
    if request.min_group_size is not None:
        settings["thresholds"] = {"min_group_size": request.min_group_size}
    return render_run(parameters_from(settings), partners=list(request.partners), quiet=True)


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


class BackgroundRender:
    """:func:`render_reports` in a daemon thread; ``on_progress(done, total)`` while it runs, then ``on_done``.

    ``on_done(result, error)`` gets the :class:`BatchResult`, or the exception that stopped the run.
    """

    def __init__(
        self,
        request: RenderRequest,
        *,
        on_progress: Callable[[int, int], None],
        on_done: Callable[[BatchResult | None, BaseException | None], None],
    ) -> None:
        self.request = request
        self._on_progress, self._on_done = on_progress, on_done
        self._finished = threading.Event()
        self.thread = threading.Thread(target=self._run, name="capeval-workbench-render", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the run to end; True when it did."""
        self.thread.join(timeout)
        return not self.thread.is_alive()

    def _run(self) -> None:
        paths = self.request.report_paths()
        before = [_stamp(p) for p in paths]
        watcher = threading.Thread(target=self._watch, args=(paths, before), daemon=True)
        watcher.start()
        result: BatchResult | None = None
        error: BaseException | None = None
        try:
            result = render_reports(self.request)
        except Exception as exc:  # shown in the workbench, which must stay usable
            logger.exception("workbench render failed")
            error = exc
        finally:
            self._finished.set()
            watcher.join()
        self._on_done(result, error)

    def _watch(self, paths: Sequence[Path], before: Sequence[int | None]) -> None:
        done = -1
        while True:
            finished = self._finished.wait(POLL_SECONDS)
            now = sum(_stamp(p) not in (None, old) for p, old in zip(paths, before, strict=True))
            if now != done and not finished:
                done = now
                self._on_progress(done, len(paths))
            if finished:
                return


def report_links(
    result: BatchResult, *, names: dict[str, str], labels: dict[str, str], start: Path | None = None
) -> str:
    """HTML links to the reports ``result`` wrote and to its index, relative to ``start`` (the current folder).

    JupyterLab resolves relative links in a notebook's output against the notebook's folder
    (the kernel's current folder), and opens them in a tab of its own. ``labels`` names the
    index (``index``) and each status (``ok``, ``skipped``).
    """
    base = start or Path.cwd()

    def link(path: Path, text: str) -> str:
        href = Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
        return f'<a href="{escape(href)}" target="_blank" title="{escape(path.resolve())}">{escape(text)}</a>'

    items = [
        f"<li>{link(result.out / entry.path, names.get(entry.unit, entry.unit))} "
        f"({escape(labels.get(entry.status, entry.status))})</li>"
        for entry in result.entries
        if entry.path and entry.status in ("ok", "skipped")
    ]
    items += [f"<li>{escape(names.get(e.unit, e.unit))}: {escape(e.error or e.status)}</li>" for e in result.failed]
    index = result.out / "index.html"
    head = f"<p>{link(index, labels.get('index', index.name))}</p>" if index.is_file() else ""
    return f'{head}<ul class="capeval-wb-links">{"".join(items)}</ul>'
