"""Two runs on one output folder never interleave; tricky unit ids never write outside it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from capeval.cli import main
from capeval.units import unit_filename

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
