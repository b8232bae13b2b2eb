"""Re-runs: skip what did not change, re-render what did, resume after a kill, the fork pool."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from capeval.batch import plan_jobs, run_jobs
from capeval.cli import main
from capeval.engines.pool import ForkPool
from capeval.errors import TaskTimeoutError, WorkerDiedError
from tests.test_batch_support import notebook, partner_ids, six_partner_programme

pytestmark = pytest.mark.slow


def statuses(folder: Path) -> dict[str, str]:
    """The partner reports' statuses (track and programme reports: tests/test_reports_units.py)."""
    reports = json.loads((folder / "manifest.json").read_text())["reports"]
    return {r["unit"]: r["status"] for r in reports if r["kind"] == "partner"}


def test_second_run_skips_and_one_changed_partner_is_rendered_again(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["run", "--programme", str(small), "--out", str(out), "--workers", "2"]
    assert main(args) == 0
    first = {p: (out / "small" / "partners" / f"{p}.html").stat().st_mtime_ns for p in ("P1", "P2", "P3")}
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "0 rendered, 6 unchanged, 0 failed" in err  # 3 partners, 2 tracks, the programme
    assert re.search(r"slowest: \w+ \d+\.\ds, \w+ \d+\.\ds, \w+ \d+\.\ds\n6 rendered, 0 unchanged", err)
    assert statuses(out / "small") == {"P1": "skipped", "P2": "skipped", "P3": "skipped"}

    partners = small / "partners.csv"
    partners.write_text(partners.read_text(encoding="utf-8").replace("Beta Board", "Beta Council"), encoding="utf-8")
    assert main(args) == 0
    assert statuses(out / "small") == {"P1": "skipped", "P2": "ok", "P3": "skipped"}
    assert "Beta Council" in (out / "small" / "partners" / "P2.html").read_text(encoding="utf-8")
    assert {p: (out / "small" / "partners" / f"{p}.html").stat().st_mtime_ns for p in ("P1", "P3")} == {
        p: first[p] for p in ("P1", "P3")
    }

    assert main([*args, "--force", "--partner", " P3 "]) == 0  # an id as the tables hold it: spaces taken away
    assert statuses(out / "small") == {"P1": "skipped", "P2": "ok", "P3": "ok"}  # P2 was not in this run


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_stopped_run_leaves_no_partial_file_and_the_next_run_finishes(tmp_path: Path, stop: signal.Signals) -> None:
    six = six_partner_programme(tmp_path)
    ids = partner_ids(six)
    params = tmp_path / "parameters"
    notebook(params / "nb", "import time\ntime.sleep(0.4)", "'x' * 100_000")
    (params / "six.yaml").write_text(
        # partner reports only (a tiny notebook): what is stopped and resumed here, without the real track reports
        f"programme: {six}\nout: ../out\nworkers: 1\nunits: {{partners: all}}\n"
        "notebooks: {partner: nb/partner_report.ipynb}\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "capeval.cli", "run", str(params / "six.yaml"), "--quiet"]
    folder = tmp_path / "out" / "six"
    process = subprocess.Popen(  # in its own process group, with Ctrl-C handled as in a terminal
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while not (folder / "manifest.json").is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (folder / "manifest.json").is_file(), "the run never recorded a report"
    finally:
        if stop == signal.SIGINT:
            os.killpg(process.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
        else:
            os.kill(process.pid, signal.SIGKILL)  # only capeval itself: its report processes must follow
        code = process.wait(timeout=60)
    assert code == (130 if stop == signal.SIGINT else -signal.SIGKILL)
    assert not (folder / "_failed").exists()  # a stopped report did not fail
    assert _group_ends(process.pid, within=15), "the fork server or a report process outlived capeval"
    recorded = [unit for unit, status in statuses(folder).items() if status == "ok"]
    assert 1 <= len(recorded) < len(ids)

    assert main(["run", str(params / "six.yaml"), "--quiet"]) == 0
    after = statuses(folder)
    assert sorted(after) == sorted(ids) and set(after.values()) <= {"ok", "skipped"}
    assert all(after[unit] == "skipped" for unit in recorded)  # picked up where it stopped
    pages = sorted((folder / "partners").iterdir())
    assert [p.name for p in pages] == sorted(f"{p}.html" for p in ids)
    assert all(page.read_text(encoding="utf-8").rstrip().endswith("</html>") for page in pages)
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] == []


def test_a_second_run_into_the_same_folder_waits_for_none(small: Path, tmp_path: Path) -> None:
    from capeval.batch import lock_folder
    from capeval.errors import CapevalError

    jobs = plan_jobs(small)
    with lock_folder(tmp_path / "small"), pytest.raises(CapevalError, match="another capeval run is writing"):
        run_jobs(jobs, tmp_path, quiet=True)


def _group_ends(pgid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _pid() -> int:
    return os.getpid()


def _die() -> None:
    os._exit(3)


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def test_fork_pool_gives_each_task_a_process_and_isolates_crashes() -> None:
    with ForkPool(2, timeout=2) as pool:
        pids = [pool.submit(_pid) for _ in range(4)]
        died, slept, slow = pool.submit(_die), pool.submit(_sleep, 0.1), pool.submit(_sleep, 30)
        assert len({f.result() for f in pids} | {os.getpid()}) == 5
        with pytest.raises(WorkerDiedError, match=r"ended without a result \(exit code 3\)"):
            died.result()
        assert slept.result() == "woke"
        with pytest.raises(TaskTimeoutError, match="killed after 2 s"):
            slow.result()


def test_fork_pool_starts_under_a_long_temporary_folder(tmp_path: Path) -> None:
    """A long TMPDIR (a test runner's, a network home) must not make the fork server's socket too long."""
    long = tmp_path / ("t" * 90)
    long.mkdir()
    script = (
        "import os\nfrom capeval.engines.pool import ForkPool\n"
        "with ForkPool(1, preload=[]) as pool:\n    print(pool.submit(os.getpid).result())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "TMPDIR": str(long)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "AF_UNIX" not in done.stderr and done.stdout.strip().isdigit()
