"""A fresh hostile corpus written from outside (issue 18): each folder under DATA is one attack.

Each case's README says what it attacks and what a correct tool does; spec.json says how
this test judges it: the exit code, the message that must name the file and line, the rows
kept and quarantined, and what must never appear (a raw control character in the terminal,
an unquoted formula in a CSV capeval wrote, a file outside the folder read or written).
The CLI is called in-process; the slow cases (renders, two runs at once, a closed pipe,
files of many megabytes) live only in the corpus runner, /tmp/hostile_fresh/run.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from capeval.cli import main

DATA = Path(__file__).parent / "data" / "hostile_fresh"
CASES = sorted(p.name for p in DATA.iterdir() if (p / "spec.json").is_file())
SUMMARY = re.compile(r"(\w+): (\d+) kept, (\d+) rejected")
RAW_CONTROL = re.compile("[\x1b\x07\x9b\u202a-\u202e\u2066-\u2069\u200e\u200f]")
PYTHON_ERROR = re.compile(r"Traceback \(most recent|\b[A-Z]\w*(Error|Exception)\b")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?$")


def unquoted_formulas(folder: Path, strict: bool) -> list[str]:
    """Cells of the CSVs under folder that a spreadsheet would run: 'file:line: cell'."""
    found = []
    for path in sorted(folder.rglob("*.csv")):
        text = path.read_text(encoding="utf-8-sig")
        for line, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            for cell in row:
                if not cell or PLAIN_NUMBER.match(cell):
                    continue
                if cell.startswith(FORMULA_START) or (
                    strict and (cell.startswith("\uff1d") or cell.lstrip().startswith("="))
                ):
                    found.append(f"{path.name}:{line}: {cell[:30]!r}")
    return found


def run_case(name: str, work: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, dict]:
    """Copy the case to work, run its command in-process; return exit code, output, spec."""
    shutil.copytree(DATA / name, work, symlinks=True)
    spec = json.loads((work / "spec.json").read_text(encoding="utf-8"))
    for link, target in spec.get("symlinks", {}).items():
        path = work / link
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target.replace("{case}", str(work)))
    prog = work / "prog"
    if spec.get("generate") == "huge_columns":  # 1.4 MB written here, not kept in the repository
        responses = prog / "responses.csv"
        header, rest = responses.read_text(encoding="utf-8").split("\n", 1)
        responses.write_text(header + "".join(f",x{i}" for i in range(200_000)) + "\n" + rest, encoding="utf-8")
    if spec["cmd"] == "validate":
        argv = ["validate", str(prog)]
    elif spec["cmd"] == "validate_file":
        argv = ["validate", str(prog / "programme.yaml")]
    elif spec["cmd"] == "import":
        exports = [str(work / e) for e in spec["exports"]]
        argv = [
            "import",
            "--from",
            spec["fmt"],
            *exports,
            "--mapping",
            str(work / spec["mapping"]),
            "--into",
            str(work / "into"),
        ]
    else:
        raise AssertionError(f"{name}: {spec['cmd']} runs only in the corpus runner")
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse's usage errors
        code = stop.code if isinstance(stop.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out + captured.err, spec


@pytest.mark.parametrize("name", CASES)
def test_hostile_case(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / name
    pwned = Path(spec_value(name, "no_file") or tmp_path / "never")
    pwned.unlink(missing_ok=True)
    code, output, spec = run_case(name, work, capsys)
    assert not spec.get("manual"), spec.get("manual")
    assert not PYTHON_ERROR.search(output), output
    assert code in spec["exit"], output
    if spec.get("msg"):
        assert re.search(spec["msg"], output), output
    counts = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in SUMMARY.finditer(output)}
    for table, expected in spec.get("counts", {}).items():
        assert counts[table] == tuple(expected), output
    for table, rows_in in spec.get("counts_total", {}).items():
        if table in counts:
            assert sum(counts[table]) == rows_in, output
    for table, most in spec.get("max_kept", {}).items():
        if table in counts:
            assert counts[table][0] <= most, output
    assert not RAW_CONTROL.search(output), repr(output)
    assert not pwned.exists(), "a YAML tag ran a command"
    if spec.get("no_output"):
        assert spec["no_output"] not in output
    if spec.get("victim_untouched"):
        victim = work / spec["victim_untouched"]
        assert [p.name for p in victim.iterdir()] == ["responses.csv"]
        assert (victim / "responses.csv").read_text() == "precious data\n"
    for where in spec.get("formula_check", []):
        folder = prog_rejected(work) if where == "_rejected" else work / "into"
        if folder.exists():
            assert unquoted_formulas(folder, spec.get("formula_extra", False)) == []
    if spec.get("into_forbidden") and (work / "into").exists():
        written = "\n".join(
            p.read_text(encoding="utf-8", errors="replace") for p in (work / "into").rglob("*") if p.is_file()
        )
        assert [s for s in spec["into_forbidden"] if s in written] == []


def prog_rejected(work: Path) -> Path:
    return work / "prog" / "_rejected"


def spec_value(name: str, key: str) -> str | None:
    spec = json.loads((DATA / name / "spec.json").read_text(encoding="utf-8"))
    value = spec.get(key)
    return str(value) if value else None
