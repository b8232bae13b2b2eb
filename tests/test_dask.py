"""Reports on a real Dask cluster: a scheduler and two workers started as processes on 127.0.0.1.

The cluster tests skip only when dask.distributed is not installed outside CI; in CI
(``CI=true``) they must run, so a missing install fails them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from capeval.batch import BatchResult, plan_jobs, run_jobs
from capeval.cli import main
from tests.test_batch_support import notebook, partner_ids, show, shown, six_partner_programme

DASK = Path(sys.executable).parent / "dask"
RENDERED_AT = re.compile(r'<p class="rendered-at">.*?</p>')


def _need_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("dask.distributed is not installed (pip install capeval[dask])")


class Cluster:
    """A ``dask scheduler`` and ``dask worker`` processes, each in its own process group."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.address = ""

    def _start(self, name: str, *args: str) -> None:
        with (self.folder / f"{name}.log").open("wb") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen(
                [str(DASK), *args, "--no-dashboard"], cwd=self.folder, stdout=log, stderr=log, start_new_session=True
            )

    def start(self, workers: int = 2) -> Cluster:
        from distributed import Client

        file = self.folder / "scheduler.json"
        self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(file))
        for n in range(workers):  # each under its nanny, as `dask worker` runs by default
            self._start(f"worker{n}", "worker", "--scheduler-file", str(file), "--nthreads", "1", "--host", "127.0.0.1")
        deadline = time.monotonic() + 60
        while not file.is_file() or not file.read_text().strip():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        self.address = json.loads(file.read_text())["address"]
        with Client(self.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=60)
        return self

    def kill_group(self, pgid: int) -> None:
        os.killpg(pgid, signal.SIGKILL)

    def stop(self) -> None:
        for process in self.processes.values():
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    process.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue
            process.wait()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    _need_dask()
    folder = tmp_path / "cluster"
    folder.mkdir()
    running = Cluster(folder)
    try:
        yield running.start()
    finally:
        running.stop()


def _without_time(page: str) -> str:
    return RENDERED_AT.sub("", page)


@pytest.mark.slow
def test_dask_renders_the_same_html_as_the_local_pool(
    cluster: Cluster, rendered_small: Path, small: Path, tmp_path: Path
) -> None:
    local, remote = rendered_small, tmp_path / "dask"  # the session's local render of the same programme
    args = ["run", "--programme", str(small), "--out", str(remote), "--quiet"]
    assert main([*args, "--executor", "dask", "--scheduler", cluster.address]) == 0
    pages = sorted(p.relative_to(remote) for p in remote.rglob("*.html"))
    assert len(pages) == 8 and all((local / page).is_file() for page in pages)  # 6 reports and 2 indexes
    reports = [p for p in pages if len(p.parts) == 3 and p.parts[1] in ("partners", "tracks", "programme")]
    assert any(p.parts[1] == "partners" for p in reports)
    for page in reports:
        here, there = (local / page).read_text(encoding="utf-8"), (remote / page).read_text(encoding="utf-8")
        assert RENDERED_AT.search(there) is not None
        assert _without_time(here) == _without_time(there), page
    manifest = json.loads((remote / "small" / "manifest.json").read_text())
    assert {r["status"] for r in manifest["reports"]} == {"ok"}


@pytest.mark.slow
def test_a_worker_killed_mid_report_loses_no_report(cluster: Cluster, tmp_path: Path) -> None:
    six = six_partner_programme(tmp_path)
    ids = partner_ids(six)
    marks = tmp_path / "marks"
    marks.mkdir()
    # each attempt notes its process group (that of the `dask worker` it runs under), then works a while
    slow = (
        f"import os, time, pathlib\nmark = pathlib.Path({str(marks)!r}) / (partner_id + '.pgid')\n"
        "with mark.open('a') as handle:\n    handle.write(f'{os.getpgid(0)}\\n')\ntime.sleep(2)"
    )
    folder = tmp_path / "nb"
    notebook(folder, slow, show("partner_id", "unit"), show("os.getpid()", "pid"))
    jobs = [j for j in plan_jobs(six, notebooks=folder) if j.kind == "partner"]
    out = tmp_path / "out"
    results: list[BatchResult] = []
    options = {"scheduler": cluster.address}
    runner = threading.Thread(
        target=lambda: results.append(run_jobs(jobs, out, executor="dask", executor_options=options, quiet=True))
    )
    runner.start()
    try:
        deadline = time.monotonic() + 60
        while not (started := sorted(marks.glob("*.pgid"))):
            assert time.monotonic() < deadline, "no report started"
            time.sleep(0.05)
        victim = started[0].stem
        pgid = int(started[0].read_text().split()[0])
        assert pgid in {p.pid for p in cluster.processes.values()}
        cluster.kill_group(pgid)  # the worker, its nanny, its fork server and the report process
    finally:
        runner.join(timeout=90)
    assert not runner.is_alive() and results, "the batch did not finish"
    result = results[0]
    assert [(e.unit, e.status, e.error) for e in result.entries] == [(p, "ok", None) for p in ids]
    attempts = (marks / f"{victim}.pgid").read_text().split()
    assert len(attempts) == 2 and attempts[0] != attempts[1]  # run again, under the other worker
    folder_out = out / "six"
    pages = sorted(p.name for p in (folder_out / "partners").iterdir())
    assert pages == sorted(f"{p}.html" for p in ids)  # each report once, no temp files
    pids = set()
    for pid in ids:
        page = (folder_out / "partners" / f"{pid}.html").read_text(encoding="utf-8")
        assert page.rstrip().endswith("</html>")
        assert shown(page, "unit") == pid
        pids.add(shown(page, "pid"))
    assert len(pids) == len(ids)  # a fresh process per report on the workers too
    assert not list(folder_out.rglob("*.tmp")) and not (folder_out / "_failed").exists()
    manifest = json.loads((folder_out / "manifest.json").read_text())
    assert sorted((r["unit"], r["status"]) for r in manifest["reports"]) == [(p, "ok") for p in sorted(ids)]


def test_dask_without_scheduler_is_a_usage_error(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet"]
    assert main([*args, "--executor", "dask"]) == 2
    assert "--executor dask needs --scheduler tcp://HOST:PORT" in capsys.readouterr().err
    assert main([*args, "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--scheduler goes with --executor dask" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_dask_not_installed_is_a_usage_error(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    args = ["run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet", "--executor", "dask"]
    assert main([*args, "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "pip install capeval[dask]" in capsys.readouterr().err
    assert main(["demo", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--quiet"]) == 2


@pytest.mark.slow
def test_unreachable_scheduler_fails_clearly(small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _need_dask()
    args = ["run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet", "--executor", "dask"]
    assert main([*args, "--scheduler", "tcp://127.0.0.1:9"]) == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
