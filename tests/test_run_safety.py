"""Two runs on one output folder never interleave; tricky unit ids never write outside it."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from capeval.cli import main
from capeval.disk import disk_error
from capeval.errors import StoreError
from capeval.store import Store, build_store, store_damage
from capeval.units import unit_filename
from tests.conftest import append_lines

pytestmark = pytest.mark.slow


def test_a_second_run_on_the_same_folder_refuses_clearly(small: Path, tmp_path: Path) -> None:
    with (small / "partners.csv").open("a", encoding="utf-8") as handle:  # a longer first run
        handle.write("".join(f"X{i},Extra {i},x,NL,T2\n" for i in range(9)))
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "capeval.cli",
        "run",
        "--programme",
        str(small),
        "--out",
        str(out),
        "--quiet",
        "--workers",
        "1",
    ]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out / "small" / ".lock").exists():  # the first run holds the lock from here on
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        second = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert first.poll() is None, "the first run ended before the second tried; the test proves nothing"
        assert second.returncode == 1
        assert "another capeval run is writing these reports; wait for it" in second.stderr
    finally:
        _, errors = first.communicate(timeout=120)  # also closes its pipes
    assert first.returncode == 0, errors
    manifest = json.loads((out / "small" / "manifest.json").read_text(encoding="utf-8"))
    partners = sorted(r["unit"] for r in manifest["reports"] if r["kind"] == "partner")
    assert partners == ["P1", "P2", "P3", *(f"X{i}" for i in range(9))]
    for page in (out / "small" / "partners").iterdir():
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_tricky_partner_ids_stay_inside_the_report_folder(small: Path, tmp_path: Path) -> None:
    tricky = ["../../escape", "a/b", "a\\b", "CON"]
    lines = [f'"{pid}",Partner {i},x,NL,T1' for i, pid in enumerate(tricky)]
    with (small / "partners.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    out = tmp_path / "deep" / "out"
    assert main(["run", "--programme", str(small), "--out", str(out), "--quiet", "--partner", *tricky]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in (out / "small" / "partners").iterdir())
    assert written == sorted(f"small/partners/{unit_filename(pid)}.html" for pid in tricky)
    assert not (tmp_path / "escape.html").exists() and not list(tmp_path.glob("*.html"))
    assert len(set(written)) == len(tricky)


# --- faults: a damaged store, a full or read-only disk, a closed pipe, a killed run ---------------------------------


def _capeval(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "capeval.cli", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_a_damaged_store_is_rebuilt_not_trusted(small: Path, tmp_path: Path, damage: str) -> None:
    built = _capeval("run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet", "--partner", "P1")
    assert built.returncode == 0, built.stderr  # built by a fresh process, as the run below checks it
    store = small / "_store"
    meta = json.loads((store / "meta.json").read_text(encoding="utf-8"))
    target = store / "responses.parquet"
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    else:  # same size, a few bytes changed in the middle: the footer still reads
        middle = len(data) // 2
        target.write_bytes(data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 8]) + data[middle + 8 :])
    assert store_damage(store, meta) == "responses.parquet is damaged (truncated or changed since it was written)"
    if damage == "truncate":  # a report process reading it says what to do (changed bytes only the hash sees)
        with pytest.raises(StoreError, match=r"run 'capeval run --force' to rebuild the store \(or delete the folder"):
            Store(store).read("responses.parquet")
    done = _capeval("run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet", "--partner", "P1")
    assert done.returncode == 0, done.stderr
    assert "responses.parquet is damaged (truncated or changed since it was written); rebuilding it" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_bytes() == data  # the same inputs give the same bytes
    assert store_damage(store, json.loads((store / "meta.json").read_text(encoding="utf-8"))) is None


def test_force_rebuilds_the_store(small: Path, tmp_path: Path) -> None:
    store = build_store(small)
    (store / "bench_gaps.parquet").unlink()
    (store / "meta.json").write_text("{not json", encoding="utf-8")
    assert main(["run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet", "--partner", "P1"]) == 0
    assert (store / "bench_gaps.parquet").is_file()
    first = (store / "meta.json").stat().st_mtime_ns
    assert main(["run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet", "--force"]) == 0
    assert (store / "meta.json").stat().st_mtime_ns > first


BUILD = """
import sys
from capeval.store import build_store
build_store(sys.argv[1], force=True)
"""


def test_concurrent_store_builds_take_turns(small: Path, tmp_path: Path) -> None:
    script = tmp_path / "build.py"
    script.write_text(BUILD, encoding="utf-8")
    for _ in range(2):  # two rounds of four builders at once (3 of 7 such trials crashed before the lock)
        builders = [
            subprocess.Popen([sys.executable, str(script), str(small)], stderr=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        results = [(b.wait(timeout=300), b.communicate()[1]) for b in builders]
        assert results == [(0, "")] * 4
    store = small / "_store"
    assert store_damage(store, json.loads((store / "meta.json").read_text(encoding="utf-8"))) is None
    assert not list(store.glob("*.tmp"))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB file system of its own (tmpfs; needs root, as in the CI container)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)]).returncode:
        pytest.skip("mounting a small file system needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> None:
    with contextlib.suppress(OSError), (disk / "filler").open("wb") as handle:
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()


def test_a_full_disk_gives_a_message_and_no_empty_quarantine_file(tiny_disk: Path, small: Path) -> None:
    programme = tiny_disk / "programme"
    shutil.copytree(small, programme)
    append_lines(programme / "responses.csv", *(f"X{i},P9,A1,1,Q1,4" for i in range(300)))
    _fill(tiny_disk)
    done = _capeval("validate", str(programme))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"capeval: error: {programme / '_rejected'}: cannot write in this folder: no space left on this disk; "
        "free some space (or choose another folder) and run again (No space left on device)"
    )
    assert [p for p in (programme / "_rejected").rglob("*") if p.stat().st_size == 0] == []
    ran = _capeval("run", "--programme", str(programme), "--out", str(tiny_disk / "out"), "--quiet")
    assert ran.returncode == 1 and "Traceback" not in ran.stderr
    assert "cannot write in this folder: no space left on this disk" in ran.stderr


def test_a_read_only_output_folder_is_named(tiny_disk: Path, small: Path) -> None:
    (tiny_disk / "reports").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    ran = _capeval("run", "--programme", str(small), "--out", str(tiny_disk / "reports"), "--quiet")
    assert ran.returncode == 1
    assert ran.stderr.strip() == (
        f"capeval: error: {tiny_disk / 'reports' / 'small'}: cannot write in this folder: the folder is on a "
        "read-only disk; make it writable, or work on a copy on a writable disk (reports: choose another --out) "
        "(Read-only file system)"
    )


@pytest.mark.parametrize(
    ("code", "advice"),
    [
        (errno.EXDEV, "files cannot be renamed within this folder's file system"),
        (errno.ENOTSUP, "this file system cannot rename, lock or flush files safely (FAT, some network shares)"),
        (errno.ENOLCK, "this file system cannot lock files (some network shares)"),
    ],
)
def test_file_systems_without_rename_lock_or_fsync_are_named(tmp_path: Path, code: int, advice: str) -> None:
    problem = disk_error(OSError(code, os.strerror(code)), tmp_path)
    assert problem is not None
    assert str(problem).startswith(f"{tmp_path}: cannot write in this folder: {advice}")
    assert disk_error(FileNotFoundError(errno.ENOENT, "gone"), tmp_path) is None  # not the disk's doing


def test_validate_into_a_closed_pipe_prints_no_traceback(small: Path) -> None:
    append_lines(small / "responses.csv", *(f"X{i},P9{i},A1,1,Q1,4" for i in range(20_000)))  # 20,000 lines
    done = subprocess.run(
        f"{sys.executable} -m capeval.cli validate {small} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.stdout == "responses.csv:8: partner_id: unknown partner_id 'P90' (not in partners.csv)\n"
    assert done.stderr == ""


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_no_tracebacks(small: Path, tmp_path: Path, how: signal.Signals) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "capeval.cli", "run", "--programme", str(small), "--out", str(out)]
    scratch = tmp_path / "tmp"  # where the report processes keep their notebooks while they run
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    run = subprocess.Popen(
        [*command, "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    deadline = time.monotonic() + 120
    while not list(scratch.glob("capeval-*")):
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.05)  # until a report process is running
    run.send_signal(how)
    _, errors = run.communicate(timeout=120)  # until every process holding its stderr has ended
    assert "Traceback" not in errors and "Error" not in errors, errors
    if how == signal.SIGTERM:
        assert errors.rstrip().endswith("capeval: interrupted; finished reports are kept, re-run to continue")


def test_partners_differing_only_by_case_get_their_own_reports(small: Path, tmp_path: Path) -> None:
    append_lines(small / "partners.csv", "p1,Lowercase Lab,x,NL,T1")
    out = tmp_path / "out"
    assert main(["run", "--programme", str(small), "--out", str(out), "--quiet", "--partner", "P1", "p1"]) == 0
    pages = sorted((out / "small" / "partners").iterdir())
    assert len({page.name.casefold() for page in pages}) == 2  # two files on a disk that ignores case too
    manifest = json.loads((out / "small" / "manifest.json").read_text(encoding="utf-8"))
    paths = {r["unit"]: r["path"] for r in manifest["reports"]}
    assert "Lowercase Lab" in (out / "small" / paths["p1"]).read_text(encoding="utf-8")
    assert "Lowercase Lab" not in (out / "small" / paths["P1"]).read_text(encoding="utf-8")


def test_a_rejected_folder_linked_outside_is_not_followed(small: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "partners.csv").write_text("precious\n", encoding="utf-8")
    (small / "_rejected").symlink_to(outside, target_is_directory=True)
    append_lines(small / "partners.csv", "P9,Bad,x,NL,T9")  # a row to quarantine
    done = _capeval("validate", str(small))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        f"capeval: error: {small / '_rejected'}: is a symbolic link to {outside}, outside {small}; capeval does not "
        "follow it: remove the link (a plain folder or file is made in its place)"
    )
    assert sorted(p.name for p in outside.iterdir()) == ["partners.csv"]
    assert (outside / "partners.csv").read_text(encoding="utf-8") == "precious\n"


def test_a_table_linked_outside_is_not_read(small: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0:SECRET-FIRST-LINE\n", encoding="utf-8")
    (small / "tracks.csv").unlink()
    (small / "tracks.csv").symlink_to(secret)
    done = _capeval("validate", str(small))
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "tracks.csv: -: a symbolic link to a file outside the programme folder; capeval does not read it: "
        "copy the file here"
    )
    assert "SECRET" not in done.stdout + done.stderr


def test_report_folders_linked_outside_are_not_written(small: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "out" / "small").mkdir(parents=True)
    (tmp_path / "out" / "small" / "partners").symlink_to(outside, target_is_directory=True)
    done = _capeval("run", "--programme", str(small), "--out", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 1
    assert f"{tmp_path / 'out' / 'small' / 'partners'}: is a symbolic link to {outside}" in done.stderr
    assert list(outside.iterdir()) == []


def test_a_table_beyond_the_size_cap_is_refused_before_it_is_read(small: Path) -> None:
    with (small / "responses.csv").open("r+b") as handle:  # sparse: 300 MiB on paper, nothing on disk
        handle.truncate(300 * 2**20)
    done = _capeval("validate", str(small))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "capeval: error: responses.csv: file of 314,572,800 bytes; capeval reads tables of at most "
        "268,435,456 bytes (is it the right file? split a larger programme into several)"
    )
