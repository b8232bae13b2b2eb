"""Fresh process per report, failure isolation, timeouts, verbatim string parameters."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from capeval.batch import plan_jobs, run_jobs
from capeval.cli import main
from capeval.parameters import parameters_from
from tests.test_batch_support import PARAMETERS, notebook, partner_ids, show, shown, six_partner_programme

pytestmark = pytest.mark.slow

LEAK_CHECK = """
import builtins, os, sys
import matplotlib
import capeval
seen = [
    name for name, present in {
        "global": "MARKER" in globals(),
        "module attribute": hasattr(capeval, "MARKER"),
        "builtin": hasattr(builtins, "MARKER"),
        "environment": "CAPEVAL_MARKER" in os.environ,
        "sys.modules": "capeval_marker_module" in sys.modules,
        "matplotlib rcParams": matplotlib.rcParams["lines.linewidth"] == 7.5,
    }.items() if present
]
if seen:
    raise RuntimeError(f"state of an earlier report: {seen}")
MARKER = partner_id
capeval.MARKER = builtins.MARKER = partner_id
os.environ["CAPEVAL_MARKER"] = partner_id
sys.modules["capeval_marker_module"] = sys
matplotlib.rcParams["lines.linewidth"] = 7.5
"""

HOSTILE = [
    "\"; import os; os.system('touch {pwned}')  #",
    "'''; import os; os.system('touch {pwned}'); '''",
    '"""\nimport os\nos.system("touch {pwned}")\n"""',
    "back\\slash \\n \\\\ \\x41 \\u00e9 {{not.format}} %s $HOME `touch {pwned}`",
    "quotes ' \" ''' \"\"\" and a newline\nand a tab\tand é ü 中文 🙂 and \x00 nul",
]


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return six_partner_programme(tmp_path_factory.mktemp("six"))


def test_nothing_a_report_defines_reaches_the_next(small: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nb"
    notebook(folder, LEAK_CHECK, show("os.getpid()", "pid"))
    result = run_jobs(plan_jobs(small, notebooks=folder), tmp_path / "out", workers=1, quiet=True)
    assert [(e.unit, e.status, e.error) for e in result.entries] == [(p, "ok", None) for p in ("P1", "P2", "P3")]
    pages = [(tmp_path / "out" / "small" / "partners" / f"{p}.html").read_text() for p in ("P1", "P2", "P3")]
    pids = {shown(page, "pid") for page in pages}
    assert len(pids) == 3 and str(os.getpid()) not in pids  # one new process per report
    assert "CAPEVAL_MARKER" not in os.environ


def test_failing_partner_leaves_the_others_and_its_notebook(six: Path, tmp_path: Path) -> None:
    ids = partner_ids(six)
    third = ids[2]
    params = tmp_path / "parameters"
    notebook(params / "nb", f"if partner_id == {third!r}:\n    raise ValueError('no data for ' + partner_id)", "1 + 1")
    (params / "six.yaml").write_text(
        f"programme: {six}\nout: ../out\nnotebooks: {{partner: nb/partner_report.ipynb}}\n", encoding="utf-8"
    )
    assert main(["run", str(params / "six.yaml"), "--quiet", "--workers", "2"]) == 1
    folder = tmp_path / "out" / "six"
    assert sorted(p.name for p in (folder / "partners").iterdir()) == sorted(f"{p}.html" for p in ids if p != third)
    assert [p.name for p in (folder / "_failed").iterdir()] == [f"{third}.ipynb"]
    entries = {r["unit"]: r for r in json.loads((folder / "manifest.json").read_text())["reports"]}
    assert [entries[p]["status"] for p in ids] == ["ok", "ok", "failed", "ok", "ok", "ok"]
    # the cell counts from 1 in the notebook kept in _failed/ (the injected parameters cell included)
    assert entries[third]["error"] == f"cell 3 (if partner_id == {third!r}:) raised ValueError: no data for {third}"
    assert entries[third]["cell"] == 3
    assert entries[third]["source"] == f"if partner_id == {third!r}:\n    raise ValueError('no data for ' + partner_id)"
    assert entries[third]["traceback"].splitlines()[-1] == f"ValueError: no data for {third}"  # plain text, no colours
    assert "\x1b" not in entries[third]["traceback"]
    assert entries[ids[0]]["cell"] is entries[ids[0]]["traceback"] is None
    failed = json.loads((folder / "_failed" / f"{third}.ipynb").read_text())
    errors = [
        o for c in failed["cells"] if c["cell_type"] == "code" for o in c["outputs"] if o["output_type"] == "error"
    ]
    assert [(e["ename"], e["evalue"]) for e in errors] == [("ValueError", f"no data for {third}")]
    assert "ValueError" in "".join(errors[0]["traceback"])
    assert re.search(r'data-status="failed"', (folder / "index.html").read_text())


def test_string_parameters_arrive_verbatim_and_never_run(small: Path, tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    texts = [text.format(pwned=pwned) for text in HOSTILE]
    params = tmp_path / "parameters"
    cells = [show(f"texts[{i}]", f"t{i}") for i in range(len(texts))]
    notebook(
        params / "nb",
        "texts = [text, note['a'][0], *note['b']]",
        *cells,
        parameters=PARAMETERS + "text = ''\nnote = {}\n",
    )
    settings = {
        "programme": str(small),
        "out": "../out",
        "units": {"partners": ["P1"]},
        "notebooks": {"partner": "nb/partner_report.ipynb"},
        "notebook_parameters": {"text": texts[0], "note": {"a": [texts[1]], "b": texts[2:]}},
    }
    (params / "strings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    assert main(["run", str(params / "strings.yaml"), "--quiet"]) == 0
    page = (tmp_path / "out" / "small" / "partners" / "P1.html").read_text(encoding="utf-8")
    assert [shown(page, f"t{i}") for i in range(len(texts))] == texts
    assert not pwned.exists()


def test_a_report_past_its_timeout_fails_alone(small: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nb"
    notebook(folder, "import time\nif partner_id == 'P2':\n    time.sleep(60)")
    run = parameters_from({"programme": str(small), "timeout": 3})
    result = run_jobs(plan_jobs(run, notebooks=folder), tmp_path / "out", workers=3, quiet=True)
    statuses = {e.unit: (e.status, e.error) for e in result.entries}
    assert statuses["P1"] == statuses["P3"] == ("ok", None)
    assert statuses["P2"] == (
        "failed",
        "cell 3 (import time) raised ReportTimeoutError: the report took longer than 3 s (timeout)",
    )
    assert (tmp_path / "out" / "small" / "_failed" / "P2.ipynb").is_file()


def test_kernel_engine_renders_the_same_page(small: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nb"
    notebook(folder, "import sys", show("(partner_id, type(sys.stdout).__module__)", "who"))
    pages = {}
    for engine in ("kernel", "inprocess"):
        run = parameters_from({"programme": str(small), "engine": engine, "units": {"partners": ["P1", "P2"]}})
        result = run_jobs(plan_jobs(run, notebooks=folder), tmp_path / engine, workers=2, quiet=True)
        assert [e.status for e in result.entries] == ["ok", "ok"]
        pages[engine] = shown((tmp_path / engine / "small" / "partners" / "P2.html").read_text(), "who")
    assert pages["kernel"] == "('P2', 'ipykernel.iostream')"
    assert pages["inprocess"] == "('P2', 'capeval.engines.inprocess')"
