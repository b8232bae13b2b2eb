"""The workbench's "render reports": the batch for the chosen reports, in a thread of its own.

A Jupyter kernel runs an asyncio event loop in its main thread; the batch (papermill and
nbclient in report processes) is started from a worker thread, so that loop never sees it
and the widgets stay responsive. Progress is read from the report files as they appear.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from capeval.log import logger
from capeval.report.html import escape

if TYPE_CHECKING:
    from capeval.batch import BatchResult

POLL_SECONDS = 0.3


@dataclass(frozen=True)
class RenderRequest:
    """Which reports to render: partners, tracks and the programme report of one programme, into ``out``."""

    programme: Path
    programme_id: str
    out: Path
    partners: tuple[str, ...]
    language: str
    min_group_size: int | None = None  # None: the programme's own
    tracks: tuple[str, ...] = ()
    programme_report: bool = False

    @property
    def count(self) -> int:
        """How many reports the request renders."""
        return len(self.partners) + len(self.tracks) + int(self.programme_report)

    def report_folders(self) -> list[Path]:
        """The folders its reports are written to (as :mod:`capeval.jobs` lays them out)."""
        from capeval.jobs import FOLDERS

        return [self.out / self.programme_id / folder for folder in FOLDERS.values()]


def render_reports(request: RenderRequest) -> BatchResult:
    """Run the batch for ``request`` (blocking); unchanged reports are skipped as in ``capeval run``."""
    from capeval.parameters import parameters_from
    from capeval.pipeline import render_run

    units: dict[str, object] = {}
    if request.partners:
        units["partners"] = list(request.partners)
    if request.tracks:
        units["tracks"] = list(request.tracks)
    if request.programme_report:
        units["programme"] = True
    settings: dict[str, object] = {
        "programme": str(request.programme.resolve()),
        "out": str(request.out.resolve()),
        "language": request.language,
        "units": units,
    }
    if request.min_group_size is not None:
        settings["min_group_size"] = request.min_group_size
    return render_run(parameters_from(settings), quiet=True)


def _stamps(folders: Sequence[Path]) -> dict[Path, int]:
    """The modification time of every report file in ``folders``."""
    found: dict[Path, int] = {}
    for folder in folders:
        if folder.is_dir():
            for path in folder.glob("*.html"):
                stamp = _stamp(path)
                if stamp is not None:
                    found[path] = stamp
    return found


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
        folders = self.request.report_folders()
        watcher = threading.Thread(target=self._watch, args=(folders, _stamps(folders)), daemon=True)
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

    def _watch(self, folders: Sequence[Path], before: dict[Path, int]) -> None:
        done, total = -1, self.request.count
        while True:
            finished = self._finished.wait(POLL_SECONDS)
            now = min(total, sum(before.get(p) != stamp for p, stamp in _stamps(folders).items()))
            if now != done and not finished:
                done = now
                self._on_progress(done, total)
            if finished:
                return


def served_url(path: Path, server_root: Path | None, prefix: str) -> str | None:
    """The URL the server (JupyterLab's ``/files/``, Voilà's ``/voila/files/``) serves ``path`` at;
    None when it lies outside the server's root."""
    if server_root is None:
        return None
    try:
        relative = path.resolve().relative_to(server_root.resolve())
    except ValueError:
        return None
    return prefix + quote(relative.as_posix())


def report_links(
    result: BatchResult,
    *,
    names: dict[str, str],
    labels: dict[str, str],
    server_root: Path | None = None,
    prefix: str = "/files/",
) -> str:
    """HTML links to the reports ``result`` wrote and to its index, opening in a browser tab of their own.

    The links go to the server's file URL, not to JupyterLab's document viewer (which would
    leave ``.ipynb_checkpoints/`` in the report folder); a report outside the server's root is
    named by its path. ``labels`` names the index (``index``) and each status (``ok``, ``skipped``).
    """

    def link(path: Path, text: str) -> str:
        url = served_url(path, server_root, prefix)
        where = escape(path.resolve())
        if url is None:
            return f"{escape(text)} <code>{where}</code>"
        return f'<a href="{escape(url)}" target="_blank" rel="noopener" title="{where}">{escape(text)}</a>'

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
